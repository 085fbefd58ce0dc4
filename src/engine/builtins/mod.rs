//! Python's builtin functions and types, with their messages.

use super::call::Args;
use super::interp::Interp;
use super::ops;
use super::repr::{str, str_repr};
use super::value::{Dict, Set, Value};
use crate::error::{Error, Result};
use std::cmp::Ordering;

macro_rules! builtins {
    ($($variant:ident = $name:literal),* $(,)?) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Builtin { $($variant),* }

        impl Builtin {
            pub fn name(self) -> &'static str {
                match self { $(Builtin::$variant => $name),* }
            }

            pub fn by_name(name: &str) -> Option<Builtin> {
                match name { $($name => Some(Builtin::$variant),)* _ => None }
            }

            pub fn names() -> impl Iterator<Item = &'static str> {
                [$($name),*].into_iter()
            }
        }
    };
}

builtins! {
    Print = "print", Len = "len", List = "list", Str = "str", Repr = "repr", Int = "int",
    Float = "float", Bool = "bool", Range = "range", Sum = "sum", Min = "min", Max = "max",
    Sorted = "sorted", Tuple = "tuple", Dict = "dict", Set = "set", Abs = "abs", Round = "round",
    Enumerate = "enumerate", Zip = "zip", Reversed = "reversed", Any = "any", All = "all",
    Divmod = "divmod", Pow = "pow", Chr = "chr", Ord = "ord", Format = "format",
    Hex = "hex", Oct = "oct", Bin = "bin",
    Isinstance = "isinstance", Issubclass = "issubclass", Map = "map", Filter = "filter", Getattr = "getattr",
    Hasattr = "hasattr", Setattr = "setattr", Delattr = "delattr", Callable = "callable", Iter = "iter", Next = "next", Hash = "hash",
    // django.db.models, bound at the prompt as in Django's shell.
    Q = "Q", F = "F", ExprValue = "Value", Count = "Count", AggSum = "Sum", Avg = "Avg", AggMin = "Min",
    AggMax = "Max",
    // django.db.models.functions: bound too, so annotate() can use them.
    Lower = "Lower", Upper = "Upper", Length = "Length", Coalesce = "Coalesce", Concat = "Concat",
    Type = "type",
    // ormsh's own: create the models' missing tables, as --migrate does.
    Migrate = "migrate",
    // help() and help(Model): how to use the shell, a model's schema.
    Help = "help",
    Super = "super", Object = "object",
    // The site's exit() and quit(): end the session.
    Exit = "exit", Quit = "quit",
}

impl Builtin {
    /// Builtins that are classes: `int`, `str`… (their repr is `<class 'int'>`).
    pub fn is_type(self) -> bool {
        matches!(
            self,
            Builtin::List
                | Builtin::Str
                | Builtin::Int
                | Builtin::Float
                | Builtin::Bool
                | Builtin::Range
                | Builtin::Tuple
                | Builtin::Dict
                | Builtin::Set
                | Builtin::Enumerate
                | Builtin::Zip
                | Builtin::Reversed
                | Builtin::Map
                | Builtin::Filter
                | Builtin::Object
        )
    }
}

impl Builtin {
    /// An empty value of this builtin type, for asking what methods its
    /// instances have (`str.upper`); `None` for types without methods.
    pub fn instance(self) -> Option<Value> {
        Some(match self {
            Builtin::Str => Value::str(""),
            Builtin::List => Value::list(Vec::new()),
            Builtin::Tuple => Value::tuple(Vec::new()),
            Builtin::Dict => Value::dict(Default::default()),
            Builtin::Set => Value::set(Default::default()),
            Builtin::Int => Value::Int(0),
            Builtin::Float => Value::Float(0.0),
            _ => return None,
        })
    }
}

pub fn range_len(v: &Value) -> usize {
    let Value::Range { start, stop, step } = *v else {
        return 0;
    };
    let (start, stop, step) = (start as i128, stop as i128, step as i128);
    let n = if step > 0 {
        (stop - start + step - 1) / step
    } else {
        (start - stop - step - 1) / -step
    };
    n.max(0) as usize
}

pub fn range_contains(v: &Value, needle: &Value) -> bool {
    let Value::Range { start, stop, step } = *v else {
        return false;
    };
    let n = match needle {
        Value::Int(i) => *i,
        Value::Bool(b) => *b as i64,
        Value::Float(f) if f.fract() == 0.0 => *f as i64,
        _ => return false,
    };
    let inside = if step > 0 {
        n >= start && n < stop
    } else {
        n <= start && n > stop
    };
    inside && (n - start) % step == 0
}

/// An argument that must be an integer, with Python's TypeError.
pub(in crate::engine) fn int_arg(v: &Value) -> Result<i64> {
    match v {
        Value::Int(i) | Value::RegexFlag(i) => Ok(*i),
        Value::Bool(b) => Ok(*b as i64),
        Value::BigInt(_) => Err(super::bigint::index_overflow()),
        other => Err(Error::type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            other.type_name()
        ))),
    }
}

mod convert;

pub use convert::len;
use convert::{is_instance, is_subclass, make_range, round, to_float, to_int};

mod named;
mod positional;

impl Interp {
    pub(super) fn call_builtin(&mut self, b: Builtin, mut args: Args) -> Result<Value> {
        let name = b.name();
        match b {
            Builtin::Print => self.builtin_print(args),
            Builtin::Sorted => self.builtin_sorted(args),
            Builtin::Min | Builtin::Max => self.builtin_min_max(b, args),
            Builtin::Dict => self.builtin_dict(args),
            Builtin::Map | Builtin::Filter => self.builtin_map_filter(b, args),
            Builtin::Getattr | Builtin::Hasattr => self.builtin_getattr(b, args),
            Builtin::Setattr | Builtin::Delattr => {
                args.no_kw(name)?;
                let n = if b == Builtin::Setattr { 3 } else { 2 };
                if args.pos.len() != n {
                    return Err(Error::type_error(format!(
                        "{name} expected {n} arguments, got {}",
                        args.pos.len()
                    )));
                }
                let Value::Str(attr) = &args.pos[1] else {
                    return Err(Error::type_error(format!(
                        "attribute name must be string, not '{}'",
                        args.pos[1].type_name()
                    )));
                };
                if b == Builtin::Setattr {
                    self.set_attr(&args.pos[0], attr, args.pos[2].clone())?;
                } else {
                    self.del_attr(&args.pos[0], attr)?;
                }
                Ok(Value::None)
            }
            Builtin::Sum => {
                let start = args.take_kw("start");
                args.no_kw(name)?;
                args.count(name, 1, 2)?;
                let mut total = args.pos.get(1).cloned().or(start).unwrap_or(Value::Int(0));
                if matches!(total, Value::Str(_)) {
                    return Err(Error::type_error(
                        "sum() can't sum strings [use ''.join(seq) instead]",
                    ));
                }
                for item in self.iter(&args.pos[0])? {
                    total = ops::binary(crate::syntax::ast::BinOp::Add, &total, &item?)?;
                }
                Ok(total)
            }
            Builtin::Enumerate => {
                let start = args.take_kw("start");
                args.no_kw(name)?;
                args.count(name, 1, 2)?;
                let start = int_arg(args.pos.get(1).or(start.as_ref()).unwrap_or(&Value::Int(0)))?;
                self.lazy_enumerate(&args.pos[0], start)
            }
            Builtin::Q => Ok(Value::Q(std::rc::Rc::new(super::expr::QValue::new(
                args.pos, args.kw,
            )?))),
            Builtin::F | Builtin::ExprValue => {
                args.no_kw(name)?;
                args.count(name, 1, 1)?;
                let e = match (b, &args.pos[0]) {
                    (Builtin::F, Value::Str(s)) => super::expr::Expression::F(s.to_string()),
                    (Builtin::F, other) => {
                        return Err(Error::type_error(format!(
                            "F() takes a field name, not {}",
                            other.type_name()
                        )));
                    }
                    (_, v) => super::expr::Expression::Value(v.clone()),
                };
                Ok(Value::Expr(std::rc::Rc::new(e)))
            }
            Builtin::Count | Builtin::AggSum | Builtin::Avg | Builtin::AggMin | Builtin::AggMax => {
                super::expr::aggregate(b.name(), args)
            }
            Builtin::Lower
            | Builtin::Upper
            | Builtin::Length
            | Builtin::Coalesce
            | Builtin::Concat => super::expr::function(b.name(), args),
            Builtin::Help => {
                match args.pos.first() {
                    Some(Value::Model(m)) => self.help(Some(m.id))?,
                    // A queryset's or manager's methods, from the one table.
                    Some(v @ (Value::QuerySet(_) | Value::Manager(_))) => {
                        let manager = matches!(v, Value::Manager(_));
                        let lines: Vec<String> = super::orm::QUERYSET_METHODS
                            .iter()
                            .filter(|m| !(manager && m.name == "delete"))
                            .map(|m| format!("  {}{}", m.name, m.signature))
                            .collect();
                        self.print_text(&format!("QuerySet methods:\n{}\n", lines.join("\n")))?;
                    }
                    Some(other) => {
                        let text = self.repr_value(other)?;
                        self.print_text(&format!("{text}\n"))?;
                    }
                    None => self.help(None)?,
                }
                Ok(Value::None)
            }
            Builtin::Object => Err(Error::new(
                "NotImplementedError",
                "object() instances are not supported; define a class",
            )),
            Builtin::Super => {
                args.count(name, 0, 0)?;
                self.super_object()
            }
            Builtin::Exit | Builtin::Quit => {
                args.no_kw(name)?;
                args.count(name, 0, 1)?;
                let code = match args.pos.first() {
                    None | Some(Value::None) => String::new(),
                    Some(v) => self.str_value(v)?,
                };
                Err(Error::new("SystemExit", code))
            }
            Builtin::Type => {
                args.count(name, 1, 1)?;
                Ok(self.type_of(&args.pos[0]))
            }
            Builtin::Migrate => {
                args.count(name, 0, 0)?;
                let db = self.db()?;
                db.check_writable()?;
                db.settle();
                let report = crate::db::migrate(db, &self.registry)?;
                for (table, what) in &report.mismatched {
                    self.print_text(&format!("table '{table}' differs from its model: {what}\n"))?;
                }
                Ok(Value::None)
            }
            Builtin::Int if args.kw.iter().any(|(k, _)| k == "base") => {
                let base = args.take_kw("base").unwrap_or(Value::Int(10));
                if args.pos.is_empty() {
                    return Err(Error::type_error("int() missing string argument"));
                }
                args.pos.push(base);
                self.call_builtin(b, args)
            }
            Builtin::Zip => {
                args.no_kw(name)?;
                self.lazy_zip(&args.pos)
            }
            _ => {
                if !args.kw.is_empty() {
                    return Err(Error::type_error(format!(
                        "{name}() takes no keyword arguments"
                    )));
                }
                self.builtin_positional(b, args.pos)
            }
        }
    }
}
