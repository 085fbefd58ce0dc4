//! Python's builtins by name: what a builtin value is (calling one is the
//! evaluator's), with the few facts of them that values need.

use super::Value;
use crate::error::{Error, Result};

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
pub fn int_arg(v: &Value) -> Result<i64> {
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
