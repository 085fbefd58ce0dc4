//! Exceptions as objects: the classes (Python's builtin hierarchy and
//! Django's), what `except … as e` binds, and how a raised object becomes an
//! [`Error`] and back.

use crate::error::{Error, Payload};
use crate::value::Value;
use std::rc::Rc;

/// An exception class, known by its qualified name (`ValueError`,
/// `Book.DoesNotExist`) and the module it lives in.
#[derive(Debug, PartialEq)]
pub struct ExcClass {
    pub name: String,
    pub module: String,
}

/// An exception object: its class, its `args` and the attributes set on it
/// (`__cause__`).
#[derive(Debug)]
pub struct Exception {
    pub class: Rc<ExcClass>,
    pub args: std::cell::RefCell<Vec<Value>>,
    attrs: std::cell::RefCell<Vec<(String, Value)>>,
}

/// Python's builtin exceptions and their base, in the order of the docs.
const BUILTIN: &[(&str, &str)] = &[
    ("BaseException", ""),
    ("SystemExit", "BaseException"),
    ("KeyboardInterrupt", "BaseException"),
    ("GeneratorExit", "BaseException"),
    ("Exception", "BaseException"),
    ("ArithmeticError", "Exception"),
    ("FloatingPointError", "ArithmeticError"),
    ("OverflowError", "ArithmeticError"),
    ("ZeroDivisionError", "ArithmeticError"),
    ("AssertionError", "Exception"),
    ("AttributeError", "Exception"),
    ("BufferError", "Exception"),
    ("EOFError", "Exception"),
    ("ImportError", "Exception"),
    ("ModuleNotFoundError", "ImportError"),
    ("LookupError", "Exception"),
    ("IndexError", "LookupError"),
    ("KeyError", "LookupError"),
    ("MemoryError", "Exception"),
    ("NameError", "Exception"),
    ("UnboundLocalError", "NameError"),
    ("OSError", "Exception"),
    ("TimeoutError", "OSError"),
    ("FileNotFoundError", "OSError"),
    ("RuntimeError", "Exception"),
    ("NotImplementedError", "RuntimeError"),
    ("RecursionError", "RuntimeError"),
    ("StopIteration", "Exception"),
    ("SyntaxError", "Exception"),
    ("IndentationError", "SyntaxError"),
    ("SystemError", "Exception"),
    ("TypeError", "Exception"),
    ("ValueError", "Exception"),
    ("UnicodeError", "ValueError"),
    ("UnicodeDecodeError", "UnicodeError"),
    ("UnicodeEncodeError", "UnicodeError"),
];

/// Django's exceptions and the standard library's: name, base, module.
const LIBRARY: &[(&str, &str, &str)] = &[
    ("ObjectDoesNotExist", "Exception", "django.core.exceptions"),
    (
        "MultipleObjectsReturned",
        "Exception",
        "django.core.exceptions",
    ),
    ("FieldError", "Exception", "django.core.exceptions"),
    ("FieldDoesNotExist", "Exception", "django.core.exceptions"),
    ("ValidationError", "Exception", "django.core.exceptions"),
    (
        "ImproperlyConfigured",
        "Exception",
        "django.core.exceptions",
    ),
    ("SuspiciousOperation", "Exception", "django.core.exceptions"),
    ("EmptyResultSet", "Exception", "django.core.exceptions"),
    ("Error", "Exception", "django.db.utils"),
    ("InterfaceError", "Error", "django.db.utils"),
    ("DatabaseError", "Error", "django.db.utils"),
    ("DataError", "DatabaseError", "django.db.utils"),
    ("OperationalError", "DatabaseError", "django.db.utils"),
    ("IntegrityError", "DatabaseError", "django.db.utils"),
    ("InternalError", "DatabaseError", "django.db.utils"),
    ("ProgrammingError", "DatabaseError", "django.db.utils"),
    ("NotSupportedError", "DatabaseError", "django.db.utils"),
    (
        "ProtectedError",
        "IntegrityError",
        "django.db.models.deletion",
    ),
    (
        "RestrictedError",
        "IntegrityError",
        "django.db.models.deletion",
    ),
    (
        "TransactionManagementError",
        "ProgrammingError",
        "django.db.transaction",
    ),
    ("DecimalException", "ArithmeticError", "decimal"),
    ("InvalidOperation", "DecimalException", "decimal"),
    ("DivisionByZero", "DecimalException", "decimal"),
    ("JSONDecodeError", "ValueError", "json.decoder"),
    ("error", "Exception", "re"),
    ("ZoneInfoNotFoundError", "KeyError", "zoneinfo._common"),
    ("CommandError", "Exception", "django.core.management.base"),
];

/// Where each module's exceptions are importable from.
const EXPORTS: &[(&str, &[&str])] = &[
    (
        "django.core.exceptions",
        &[
            "ObjectDoesNotExist",
            "MultipleObjectsReturned",
            "FieldError",
            "FieldDoesNotExist",
            "ValidationError",
            "ImproperlyConfigured",
            "SuspiciousOperation",
            "EmptyResultSet",
        ],
    ),
    (
        "django.db",
        &[
            "Error",
            "InterfaceError",
            "DatabaseError",
            "DataError",
            "OperationalError",
            "IntegrityError",
            "InternalError",
            "ProgrammingError",
            "NotSupportedError",
        ],
    ),
    (
        "django.db.models",
        &["ProtectedError", "RestrictedError", "ObjectDoesNotExist"],
    ),
    ("django.db.transaction", &["TransactionManagementError"]),
    (
        "decimal",
        &["DecimalException", "InvalidOperation", "DivisionByZero"],
    ),
    ("json", &["JSONDecodeError"]),
    ("re", &["error"]),
    ("zoneinfo", &["ZoneInfoNotFoundError"]),
];

fn class(name: &str, module: &str) -> Value {
    Value::ExcClass(Rc::new(ExcClass {
        name: name.to_string(),
        module: module.to_string(),
    }))
}

/// A builtin exception class by name (`ValueError`), as the prompt binds it.
pub fn builtin_class(name: &str) -> Option<Value> {
    BUILTIN
        .iter()
        .any(|(n, _)| *n == name)
        .then(|| class(name, "builtins"))
}

pub fn builtin_names() -> impl Iterator<Item = &'static str> {
    BUILTIN.iter().map(|(n, _)| *n)
}

/// `from module import Name` of an exception class.
pub fn module_class(module: &str, name: &str) -> Option<Value> {
    let (_, names) = EXPORTS.iter().find(|(m, _)| *m == module)?;
    names.contains(&name).then(|| {
        let module = LIBRARY
            .iter()
            .find(|(n, _, _)| *n == name)
            .map_or(module, |(_, _, m)| m);
        class(name, module)
    })
}

/// The class of an exception kind as errors name it (`Book.DoesNotExist`).
pub fn class_of(kind: &str, model_module: impl Fn(&str) -> Option<String>) -> Rc<ExcClass> {
    let module = if BUILTIN.iter().any(|(n, _)| *n == kind) {
        "builtins".to_string()
    } else if let Some((_, _, m)) = LIBRARY.iter().find(|(n, _, _)| *n == kind) {
        m.to_string()
    } else {
        let owner = kind.split('.').next().unwrap_or_default();
        model_module(owner).unwrap_or_else(|| "builtins".to_string())
    };
    Rc::new(ExcClass {
        name: kind.to_string(),
        module,
    })
}

/// The direct bases of an exception class. A model's `DoesNotExist` derives
/// from `ObjectDoesNotExist`, or from its parent's (named by `related`); a
/// related object's from the related model's `DoesNotExist` (named by
/// `related`) and `AttributeError`.
pub fn bases(kind: &str, related: &dyn Fn(&str) -> Option<String>) -> Vec<String> {
    if let Some((_, base)) = BUILTIN.iter().find(|(n, _)| *n == kind) {
        return if base.is_empty() {
            Vec::new()
        } else {
            vec![base.to_string()]
        };
    }
    if kind == "DivisionByZero" {
        return vec!["DecimalException".into(), "ZeroDivisionError".into()];
    }
    if let Some((_, base, _)) = LIBRARY.iter().find(|(n, _, _)| *n == kind) {
        return vec![base.to_string()];
    }
    if kind.ends_with(".RelatedObjectDoesNotExist") {
        let mut out: Vec<String> = related(kind).into_iter().collect();
        if out.is_empty() {
            out.push("ObjectDoesNotExist".into());
        }
        out.push("AttributeError".into());
        return out;
    }
    // A multi-table child's or a proxy's from its parent's (`related`).
    if kind.ends_with(".DoesNotExist") {
        return vec![related(kind).unwrap_or_else(|| "ObjectDoesNotExist".into())];
    }
    if kind.ends_with(".MultipleObjectsReturned") {
        return vec![related(kind).unwrap_or_else(|| "MultipleObjectsReturned".into())];
    }
    if let Some(b) = super::classes::exception_bases(kind) {
        return b;
    }
    vec!["Exception".into()]
}

/// Whether class `kind` is `base` or derives from it.
pub fn is_subclass(kind: &str, base: &str, related: &dyn Fn(&str) -> Option<String>) -> bool {
    let mut todo = vec![kind.to_string()];
    let mut steps = 0;
    while let Some(k) = todo.pop() {
        if k == base {
            return true;
        }
        steps += 1;
        // Python's recursion limit bounds how deep a class hierarchy goes.
        if steps > 1000 {
            break;
        }
        todo.extend(bases(&k, related));
    }
    false
}

impl ExcClass {
    pub fn clone_class(&self) -> ExcClass {
        ExcClass {
            name: self.name.clone(),
            module: self.module.clone(),
        }
    }

    /// `__name__`: the last part of the qualified name.
    pub fn short_name(&self) -> &str {
        self.name.rsplit('.').next().unwrap_or(&self.name)
    }

    /// `type(e).__name__` for messages; names are few, so each is kept once.
    pub fn type_name(&self) -> &'static str {
        intern(self.short_name())
    }

    pub fn repr(&self) -> String {
        if self.module == "builtins" {
            format!("<class '{}'>", self.name)
        } else {
            format!("<class '{}.{}'>", self.module, self.name)
        }
    }
}

/// A name kept for the session (class and zone names are few).
pub fn intern(name: &str) -> &'static str {
    thread_local! {
        static NAMES: std::cell::RefCell<std::collections::HashMap<String, &'static str>> =
            Default::default();
    }
    NAMES.with(|n| {
        let mut n = n.borrow_mut();
        if let Some(s) = n.get(name) {
            return *s;
        }
        let leaked: &'static str = Box::leak(name.to_string().into_boxed_str());
        n.insert(name.to_string(), leaked);
        leaked
    })
}

/// `KeyError(key)`: its message is the key's repr, its `args` the key.
pub fn key_error(key: &Value) -> Error {
    let class = Rc::new(ExcClass {
        name: "KeyError".into(),
        module: "builtins".into(),
    });
    let object = Rc::new(Exception::new(class, vec![key.clone()]));
    Exception::to_error(&object)
}

impl Exception {
    pub fn new(class: Rc<ExcClass>, args: Vec<Value>) -> Exception {
        Exception {
            class,
            args: std::cell::RefCell::new(args),
            attrs: Default::default(),
        }
    }

    /// Whether it had the attribute, now removed.
    pub fn remove_attr(&self, name: &str) -> bool {
        let mut attrs = self.attrs.borrow_mut();
        let before = attrs.len();
        attrs.retain(|(n, _)| n != name);
        attrs.len() < before
    }

    pub fn set_attr(&self, name: &str, value: Value) {
        let mut attrs = self.attrs.borrow_mut();
        attrs.retain(|(n, _)| n != name);
        attrs.push((name.to_string(), value));
    }

    /// `e.name`: `args`, `__cause__`, what was set, and Django's
    /// `ValidationError.messages`.
    pub fn attr(&self, name: &str) -> Option<Value> {
        if let Some((_, v)) = self.attrs.borrow().iter().find(|(n, _)| n == name) {
            return Some(v.clone());
        }
        match name {
            "args" => Some(Value::tuple(self.args.borrow().clone())),
            "__cause__" | "__context__" => Some(Value::None),
            "__class__" => Some(Value::ExcClass(self.class.clone())),
            "messages" if self.class.name == "ValidationError" => {
                Some(match self.args.borrow().first() {
                    Some(Value::List(items)) => Value::list(items.borrow().clone()),
                    Some(v) => Value::list(vec![Value::str(crate::value::repr::str(v))]),
                    None => Value::list(Vec::new()),
                })
            }
            "message" if self.class.name == "ValidationError" => {
                Some(self.args.borrow().first().cloned().unwrap_or(Value::None))
            }
            _ => None,
        }
    }

    /// `str(e)`: nothing, the one argument's text, or the tuple of them.
    pub fn str(&self) -> String {
        match self.args.borrow().as_slice() {
            [] => String::new(),
            // KeyError shows its key as a repr, as CPython's KeyError.__str__.
            [one] if self.class.name == "KeyError" => crate::value::repr::repr(one),
            [one] => crate::value::repr::str(one),
            many => crate::value::repr::repr(&Value::tuple(many.to_vec())),
        }
    }

    pub fn repr(&self) -> String {
        let args: Vec<String> = self
            .args
            .borrow()
            .iter()
            .map(crate::value::repr::repr)
            .collect();
        format!("{}({})", self.class.short_name(), args.join(", "))
    }

    /// The error that raising this object raises.
    pub fn to_error(this: &Rc<Exception>) -> Error {
        let mut e = Error::new(this.class.name.clone(), this.str());
        e.payload = Some(Payload(Rc::new(Box::new(this.clone()))));
        e
    }

    /// The object an `except` clause binds for `error`: the one raised,
    /// else one made from the error's kind and message.
    pub fn from_error(error: &Error, class: Rc<ExcClass>) -> Rc<Exception> {
        if let Some(e) = error
            .payload
            .as_ref()
            .and_then(|p| p.0.downcast_ref::<Rc<Exception>>())
        {
            return e.clone();
        }
        let args = if error.message.is_empty() {
            Vec::new()
        } else {
            vec![Value::str(error.message.as_str())]
        };
        Rc::new(Exception::new(class, args))
    }
}

/// The class of an error's kind, a model's `DoesNotExist` in the module
/// the model lives in.
pub fn model_class_of(reg: &crate::schema::Registry, kind: &str) -> Rc<ExcClass> {
    class_of(kind, |owner| {
        reg.models
            .iter()
            .find(|m| m.name == owner && !m.auto_created)
            .map(|m| m.python_module())
    })
}
