//! `class` statements at the prompt: classes with methods, class and
//! instance attributes, single or multiple inheritance, `super()`, and
//! exception classes that `raise` and `except` know.

use super::call::Args;
use super::exceptions::{ExcClass, Exception};
use super::interp::Interp;
use super::scope::{Scope, ScopeRef};
use super::value::Value;
use crate::error::{Error, Result};
use crate::syntax::ast::ClassDef;
use indexmap::IndexMap;
use std::cell::RefCell;
use std::rc::Rc;

use crate::value::classes::{CLASSES, EXCEPTION_BASES};
pub use crate::value::classes::{Object, UserClass, exception_bases, exception_class};
impl Interp {
    /// `class Name(bases): body`: the body runs in a namespace of its own,
    /// whose names become the class's attributes.
    pub(super) fn define_class(&mut self, c: &ClassDef, scope: &ScopeRef) -> Result<Value> {
        if let Some(d) = c.decorators.first() {
            return Err(Error::new(
                "NotImplementedError",
                "class decorators (@dataclass…) are not supported yet",
            )
            .at(d.span));
        }
        let bases = self.class_bases(c, scope)?;
        let user_bases: Vec<Rc<UserClass>> = bases
            .iter()
            .filter_map(|b| match b {
                Value::UserClass(u) => Some(u.clone()),
                _ => None,
            })
            .collect();
        let after = UserClass::linearize(&user_bases)?;
        let body = Scope::child(scope);
        self.exec_class_body(&c.body, &body)?;
        let attrs: IndexMap<String, Value> = {
            let b = body.borrow();
            b.names()
                .filter_map(|n| Scope::lookup(&body, n).map(|v| (n.clone(), v)))
                .collect()
        };
        let name = c.name.name.clone();
        let exception = UserClass::exception_base(&bases).map(|_| {
            let names: Vec<String> = bases
                .iter()
                .filter_map(|b| match b {
                    Value::ExcClass(e) => Some(e.name.clone()),
                    Value::UserClass(u) => u.exception.as_ref().map(|e| e.name.clone()),
                    _ => None,
                })
                .collect();
            EXCEPTION_BASES.with(|m| m.borrow_mut().insert(name.clone(), names));
            Rc::new(ExcClass {
                name: name.clone(),
                module: "__main__".into(),
            })
        });
        if let Some(d) = attrs.keys().find(|k| {
            k.starts_with("__")
                && k.ends_with("__")
                && !matches!(
                    k.as_str(),
                    "__init__" | "__str__" | "__repr__" | "__module__" | "__qualname__" | "__doc__"
                )
        }) {
            return Err(Error::new(
                "NotImplementedError",
                format!(
                    "class {name} defines {d}, which ormsh does not call yet (it knows __init__, __str__ and __repr__)"
                ),
            ));
        }
        let class = Rc::new(UserClass {
            name: name.clone(),
            bases,
            attrs: RefCell::new(attrs),
            exception,
            after,
        });
        // Methods see the scope around the class, not its body, and know
        // their class for super().
        for v in class.attrs.borrow_mut().values_mut() {
            if let Value::Function(f) = v {
                *v = Value::Function(Rc::new(super::value::Function {
                    name: f.name.clone(),
                    params: f.params.clone(),
                    defaults: f.defaults.clone(),
                    body: f.body.clone(),
                    scope: scope.clone(),
                    locals: f.locals.clone(),
                    owner: Some(Rc::downgrade(&class)),
                }));
            }
        }
        if class.exception.is_some() {
            CLASSES.with(|m| m.borrow_mut().insert(name, class.clone()));
        }
        Ok(Value::UserClass(class))
    }

    /// A class statement's bases, evaluated: prompt classes and exception
    /// classes (`object` is implied), each once.
    fn class_bases(&mut self, c: &ClassDef, scope: &ScopeRef) -> Result<Vec<Value>> {
        let mut bases = Vec::new();
        for b in &c.bases {
            let crate::syntax::ast::ArgKind::Positional(e) = &b.kind else {
                return Err(Error::new(
                    "NotImplementedError",
                    "class keyword arguments (metaclass=…) are not supported",
                ));
            };
            let v = self.eval(e, scope)?;
            match &v {
                Value::UserClass(_) | Value::ExcClass(_) => bases.push(v),
                // A models module's own managers and querysets.
                Value::Native(
                    super::stdlib::Native::DjManager | super::stdlib::Native::DjQuerySet,
                ) => bases.push(v),
                Value::Builtin(b) if b.name() == "object" => {}
                Value::Model(_) => {
                    return Err(Error::new(
                        "NotImplementedError",
                        "models are defined in models.py, not at the prompt",
                    ));
                }
                other => {
                    return Err(Error::new(
                        "NotImplementedError",
                        format!(
                            "subclassing {} at the prompt is not supported",
                            super::repr::repr(other)
                        ),
                    ));
                }
            }
        }
        for (i, b) in bases.iter().enumerate() {
            if bases[..i].iter().any(|x| super::ops::is(x, b)) {
                return Err(Error::type_error(format!(
                    "duplicate base class {}",
                    match b {
                        Value::UserClass(u) => u.name.clone(),
                        Value::ExcClass(e) => e.short_name().to_string(),
                        _ => String::new(),
                    }
                )));
            }
        }
        Ok(bases)
    }

    fn exec_class_body(
        &mut self,
        body: &[crate::syntax::ast::Stmt],
        scope: &ScopeRef,
    ) -> Result<()> {
        for s in body {
            self.exec_in(s, scope)?;
        }
        Ok(())
    }

    /// `Class(...)`: a new object, its `__init__` run.
    pub(super) fn instantiate_class(&mut self, class: &Rc<UserClass>, args: Args) -> Result<Value> {
        let object = match &class.exception {
            Some(exc) => Value::Exception(Rc::new(Exception::new(exc.clone(), args.pos.clone()))),
            None => Value::Object(Rc::new(Object {
                class: class.clone(),
                attrs: RefCell::new(IndexMap::new()),
            })),
        };
        if let Some((owner, init)) = class.lookup("__init__") {
            let result = self.call_method_of(&owner, &init, object.clone(), args)?;
            if !matches!(result, Value::None) {
                return Err(Error::type_error(format!(
                    "__init__() should return None, not '{}'",
                    result.type_name()
                )));
            }
        } else if class.exception.is_none() && (!args.pos.is_empty() || !args.kw.is_empty()) {
            return Err(Error::type_error(format!(
                "{}() takes no arguments",
                class.name
            )));
        }
        Ok(object)
    }

    /// Calls a function found on a class as a method of `this`.
    pub(super) fn call_method_of(
        &mut self,
        _owner: &Rc<UserClass>,
        function: &Value,
        this: Value,
        mut args: Args,
    ) -> Result<Value> {
        args.pos.insert(0, this);
        self.call(function, args)
    }

    /// `super()` in a method: the object and the class after the method's.
    pub(super) fn super_object(&self) -> Result<Value> {
        let Some((owner, this)) = self.method_context.last() else {
            return Err(Error::new("RuntimeError", "super(): no arguments"));
        };
        Ok(Value::Super(Rc::new((owner.clone(), this.clone()))))
    }

    /// `super().name`: looked up after the method's class, in the object's MRO.
    pub(super) fn super_attr(
        &mut self,
        owner: &Rc<UserClass>,
        this: &Value,
        name: &str,
    ) -> Result<Value> {
        let class = match this {
            Value::Object(o) => o.class.clone(),
            Value::Exception(e) => exception_class(&e.class.name).unwrap_or_else(|| owner.clone()),
            _ => owner.clone(),
        };
        let mro = class.mro();
        let after = mro
            .iter()
            .position(|c| Rc::ptr_eq(c, owner))
            .map_or(0, |i| i + 1);
        for c in &mro[after..] {
            if let Some(v) = c.attrs.borrow().get(name).cloned() {
                return Ok(match v {
                    f @ Value::Function(_) => Value::Method(Rc::new((f, this.clone()))),
                    other => other,
                });
            }
        }
        // Past the user classes: object's or BaseException's own, or a
        // manager's or queryset's built-in method (`super().get_queryset()`).
        if let Value::Manager(_) | Value::QuerySet(_) = this {
            return Ok(Value::BoundMethod(Rc::new((
                this.clone(),
                name.to_string(),
            ))));
        }
        match (name, this) {
            ("__init__", Value::Exception(_)) => Ok(Value::Bound(Rc::new((
                super::stdlib::Native::ExceptionInit,
                vec![this.clone()],
            )))),
            ("__init__", _) => Ok(Value::Bound(Rc::new((
                super::stdlib::Native::ObjectInit,
                vec![this.clone()],
            )))),
            _ => Err(Error::new(
                "AttributeError",
                format!("'super' object has no attribute '{name}'"),
            )),
        }
    }

    /// `obj.name` of a user object: its own attributes, then its class's
    /// (functions bound to it).
    pub(super) fn object_attr(
        &mut self,
        this: &Value,
        class: &Rc<UserClass>,
        name: &str,
    ) -> Option<Value> {
        if let Value::Object(o) = this
            && let Some(v) = o.attrs.borrow().get(name)
        {
            return Some(v.clone());
        }
        let (_, v) = class.lookup(name)?;
        Some(match v {
            f @ Value::Function(_) => Value::Method(Rc::new((f, this.clone()))),
            other => other,
        })
    }

    /// `repr()`/`str()` of a user object through its `__repr__`/`__str__`.
    pub(super) fn object_text(&mut self, v: &Value, dunder: &str) -> Option<Result<String>> {
        let class = match v {
            Value::Object(o) => o.class.clone(),
            Value::Exception(e) if e.class.module == "__main__" => exception_class(&e.class.name)?,
            _ => return None,
        };
        let lookup = class.lookup(dunder).or_else(|| {
            (dunder == "__str__")
                .then(|| class.lookup("__repr__"))
                .flatten()
        });
        let Some((owner, f)) = lookup else {
            return match v {
                Value::Object(o) => Some(Ok(format!(
                    "<__main__.{} object at {:#x}>",
                    o.class.name,
                    v.identity()
                ))),
                _ => None,
            };
        };
        Some(
            self.call_method_of(&owner, &f, v.clone(), Args::default())
                .and_then(|r| match r {
                    Value::Str(s) => Ok(s.to_string()),
                    other => Err(Error::type_error(format!(
                        "{dunder} returned non-string (type {})",
                        other.type_name()
                    ))),
                }),
        )
    }
}
