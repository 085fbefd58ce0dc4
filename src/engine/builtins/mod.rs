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

    fn builtin_positional(&mut self, b: Builtin, pos: Vec<Value>) -> Result<Value> {
        let args = Args::positional(pos);
        let name = b.name();
        let one = |args: &Args| -> Result<Value> {
            args.count(name, 1, 1)?;
            Ok(args.pos[0].clone())
        };
        match b {
            Builtin::Len => match one(&args)? {
                Value::QuerySet(qs) => Ok(Value::Int(self.evaluate(&qs)?.len() as i64)),
                other => len(&other).map(|n| Value::Int(n as i64)),
            },
            Builtin::Repr => Ok(Value::str(self.repr_value(&one(&args)?)?)),
            Builtin::Str => {
                args.count(name, 0, 1)?;
                match args.pos.first() {
                    Some(v) => Ok(Value::str(self.str_value(v)?)),
                    None => Ok(Value::str("")),
                }
            }
            Builtin::Int => to_int(&args),
            Builtin::Float => {
                args.count(name, 0, 1)?;
                args.pos.first().map_or(Ok(Value::Float(0.0)), to_float)
            }
            Builtin::Bool => {
                args.count(name, 0, 1)?;
                match args.pos.first() {
                    Some(v) => Ok(Value::Bool(self.truthy(v)?)),
                    None => Ok(Value::Bool(false)),
                }
            }
            Builtin::List => {
                args.count(name, 0, 1)?;
                Ok(Value::list(match args.pos.first() {
                    Some(v) => self.collect(v)?,
                    None => Vec::new(),
                }))
            }
            Builtin::Tuple => {
                args.count(name, 0, 1)?;
                Ok(Value::tuple(match args.pos.first() {
                    Some(v) => self.collect(v)?,
                    None => Vec::new(),
                }))
            }
            Builtin::Set => {
                args.count(name, 0, 1)?;
                let mut s = Set::default();
                if let Some(v) = args.pos.first() {
                    for item in self.iter(v)? {
                        s.insert(item?)?;
                    }
                }
                Ok(Value::set(s))
            }
            Builtin::Range => make_range(&args),
            Builtin::Abs => match one(&args)? {
                Value::Int(i) => Ok(i.checked_abs().map_or_else(
                    || super::bigint::abs(&num_bigint::BigInt::from(i)),
                    Value::Int,
                )),
                Value::BigInt(b) => Ok(super::bigint::abs(&b)),
                Value::RegexFlag(i) => Ok(Value::Int(i.abs())),
                Value::Bool(b) => Ok(Value::Int(b as i64)),
                Value::Float(f) => Ok(Value::Float(f.abs())),
                Value::Decimal(d) => super::stdlib::decimal::abs(&d),
                Value::TimeDelta(t) if t.days < 0 => super::stdlib::datetime::negate(&t),
                v @ Value::TimeDelta(_) => Ok(v),
                other => Err(Error::type_error(format!(
                    "bad operand type for abs(): '{}'",
                    other.type_name()
                ))),
            },
            Builtin::Round => round(&args),
            Builtin::Reversed => {
                let v = one(&args)?;
                if matches!(v, Value::Set(_) | Value::Iterator(_)) {
                    return Err(Error::type_error(format!(
                        "'{}' object is not reversible",
                        v.type_name()
                    )));
                }
                if let Value::Range { start, step, .. } = v {
                    // Lazy, as Python's range_iterator: reversed(range(10**12)).
                    let n = range_len(&v) as i128;
                    let (start, step) = (start as i128, step as i128);
                    let last = start + (n - 1) * step;
                    let items = (0..n).map(move |k| Ok(Value::Int((last - k * step) as i64)));
                    return Ok(Value::lazy_iterator("range_iterator", items));
                }
                let mut items = self.collect(&v)?;
                items.reverse();
                Ok(Value::iterator("reversed", items))
            }
            Builtin::Any | Builtin::All => {
                let v = one(&args)?;
                let want = b == Builtin::Any;
                for item in self.iter(&v)? {
                    if item?.truthy() == want {
                        return Ok(Value::Bool(want));
                    }
                }
                Ok(Value::Bool(!want))
            }
            Builtin::Divmod => {
                args.count(name, 2, 2)?;
                if matches!(args.pos[0], Value::Decimal(_))
                    || matches!(args.pos[1], Value::Decimal(_))
                {
                    return super::stdlib::decimal::divmod(&args.pos[0], &args.pos[1]);
                }
                let q = ops::binary(
                    crate::syntax::ast::BinOp::FloorDiv,
                    &args.pos[0],
                    &args.pos[1],
                )?;
                let r = ops::binary(crate::syntax::ast::BinOp::Mod, &args.pos[0], &args.pos[1])?;
                Ok(Value::tuple(vec![q, r]))
            }
            Builtin::Pow => {
                args.count(name, 2, 3)?;
                let Some(m) = args.pos.get(2).filter(|m| !matches!(m, Value::None)) else {
                    return ops::binary(crate::syntax::ast::BinOp::Pow, &args.pos[0], &args.pos[1]);
                };
                let big = super::bigint::big;
                match (big(&args.pos[0]), big(&args.pos[1]), big(m)) {
                    (Some(x), Some(y), Some(m)) => super::bigint::pow_mod(&x, &y, &m),
                    _ => Err(Error::type_error(
                        "pow() 3rd argument not allowed unless all arguments are integers",
                    )),
                }
            }
            Builtin::Hex | Builtin::Oct | Builtin::Bin => {
                let v = one(&args)?;
                let x = super::bigint::big(&v).ok_or_else(|| {
                    Error::type_error(format!(
                        "'{}' object cannot be interpreted as an integer",
                        v.type_name()
                    ))
                })?;
                let (radix, prefix) = match b {
                    Builtin::Hex => (16, "0x"),
                    Builtin::Oct => (8, "0o"),
                    _ => (2, "0b"),
                };
                let sign = if super::bigint::is_negative(&x) {
                    "-"
                } else {
                    ""
                };
                Ok(Value::str(format!(
                    "{sign}{prefix}{}",
                    super::bigint::digits_in(&x, radix)
                )))
            }
            Builtin::Chr => {
                let v = one(&args)?;
                if let Value::BigInt(_) = v {
                    return Err(Error::new(
                        "OverflowError",
                        "Python int too large to convert to C int",
                    ));
                }
                let i = int_arg(&v)?;
                u32::try_from(i)
                    .ok()
                    .and_then(char::from_u32)
                    .map(|c| Value::str(c.to_string()))
                    .ok_or_else(|| Error::value_error("chr() arg not in range(0x110000)"))
            }
            Builtin::Ord => match one(&args)? {
                Value::Str(s) if s.chars().count() == 1 => {
                    Ok(Value::Int(s.chars().next().map_or(0, |c| c as i64)))
                }
                Value::Str(s) => Err(Error::type_error(format!(
                    "ord() expected a character, but string of length {} found",
                    s.chars().count()
                ))),
                other => Err(Error::type_error(format!(
                    "ord() expected string of length 1, but {} found",
                    other.type_name()
                ))),
            },
            Builtin::Format => {
                args.count(name, 1, 2)?;
                let spec = args.pos.get(1).map(str).unwrap_or_default();
                Ok(Value::str(super::format::format_value(
                    &args.pos[0],
                    &spec,
                )?))
            }
            Builtin::Isinstance => {
                args.count(name, 2, 2)?;
                Ok(Value::Bool(is_instance(&args.pos[0], &args.pos[1])?))
            }
            Builtin::Issubclass => {
                args.count(name, 2, 2)?;
                Ok(Value::Bool(is_subclass(&args.pos[0], &args.pos[1])?))
            }
            Builtin::Callable => Ok(Value::Bool(matches!(
                one(&args)?,
                Value::Builtin(_)
                    | Value::Function(_)
                    | Value::BoundMethod(_)
                    | Value::Method(_)
                    | Value::MethodDescriptor(_)
                    | Value::Native(_)
                    | Value::UserClass(_)
                    | Value::Model(_)
                    | Value::ExcClass(_)
            ))),
            Builtin::Iter => {
                let v = one(&args)?;
                if let Value::Iterator(_) = v {
                    return Ok(v);
                }
                // Lazy, as Python's: iter(range(10**12)) holds nothing.
                let kind = match &v {
                    Value::List(_) => "list_iterator",
                    Value::Tuple(_) => "tuple_iterator",
                    Value::Str(_) => "str_iterator",
                    Value::Range { .. } => "range_iterator",
                    Value::Dict(_) => "dict_keyiterator",
                    Value::Set(_) => "set_iterator",
                    _ => "iterator",
                };
                let items = self.iter(&v)?;
                Ok(Value::lazy_iterator(kind, items))
            }
            Builtin::Next => {
                args.count(name, 1, 2)?;
                let Value::Iterator(it) = &args.pos[0] else {
                    return Err(Error::type_error(format!(
                        "'{}' object is not an iterator",
                        args.pos[0].type_name()
                    )));
                };
                let next = super::value::PyIterator::pull(it).transpose()?;
                match next.or_else(|| args.pos.get(1).cloned()) {
                    Some(v) => Ok(v),
                    None => Err(self.stop_iteration(&args.pos[0])),
                }
            }
            Builtin::Hash => {
                let v = one(&args)?;
                v.hash_key()?;
                match ops::numeric_hash(&v) {
                    Some(h) => Ok(Value::Int(h)),
                    None => Ok(Value::Int(v.identity() as i64)),
                }
            }
            _ => unreachable!("{name} is dispatched before"),
        }
    }

    /// `type(value)`: the builtin class, the model class, or the class by name.
    pub(super) fn type_of(&self, v: &Value) -> Value {
        let builtin = match v {
            Value::Dict(d) if !matches!(d.borrow().kind, super::value::DictKind::Plain) => None,
            Value::Int(_) | Value::BigInt(_) => Some(Builtin::Int),
            Value::Float(_) => Some(Builtin::Float),
            Value::Str(_) => Some(Builtin::Str),
            Value::Bool(_) => Some(Builtin::Bool),
            Value::List(_) => Some(Builtin::List),
            Value::Tuple(_) => Some(Builtin::Tuple),
            Value::Dict(_) => Some(Builtin::Dict),
            Value::Set(_) => Some(Builtin::Set),
            Value::Range { .. } => Some(Builtin::Range),
            _ => None,
        };
        if let Some(b) = builtin {
            return Value::Builtin(b);
        }
        if let Value::Instance(i) = v {
            return super::value::ModelClass::value(&self.registry, i.borrow().model);
        }
        if let Value::Object(o) = v {
            return Value::UserClass(o.class.clone());
        }
        if let Value::Exception(e) = v
            && let Some(c) = super::classes::exception_class(&e.class.name)
        {
            return Value::UserClass(c);
        }
        use super::stdlib::{Native, datetime::Tz};
        let native = match v {
            Value::Dict(d) => match d.borrow().kind {
                super::value::DictKind::Plain | super::value::DictKind::MappingProxy => None,
                super::value::DictKind::Counter => Some(Native::Counter),
                super::value::DictKind::DefaultDict(_) => Some(Native::DefaultDict),
                super::value::DictKind::OrderedDict => Some(Native::OrderedDict),
            },
            Value::Date(_) => Some(Native::Date),
            Value::DateTime(..) => Some(Native::DateTime),
            Value::Time(_) => Some(Native::Time),
            Value::TimeDelta(_) => Some(Native::TimeDelta),
            Value::TzInfo(Tz::Utc | Tz::Fixed(_) | Tz::Named(..)) => Some(Native::Timezone),
            Value::TzInfo(Tz::Zone(_)) => Some(Native::ZoneInfo),
            Value::Decimal(_) => Some(Native::Decimal),
            Value::Uuid(_) => Some(Native::Uuid),
            Value::Pattern(_) => Some(Native::RePattern),
            Value::RegexFlag(_) => Some(Native::ReRegexFlag),
            Value::Match(_) => Some(Native::ReMatchClass),
            _ => None,
        };
        if let Some(n) = native {
            return Value::Native(n);
        }
        let name = match v {
            Value::None => "NoneType",
            Value::Decimal(_) => "decimal.Decimal",
            Value::Date(_) => "datetime.date",
            Value::DateTime(..) => "datetime.datetime",
            Value::TimeDelta(_) => "datetime.timedelta",
            Value::TzInfo(tz) => tz.type_name(),
            Value::Exception(e) => return Value::ExcClass(e.class.clone()),
            Value::Native(n) if n.is_class() => "type",
            Value::Time(_) => "datetime.time",
            Value::QuerySet(_) => "django.db.models.query.QuerySet",
            Value::Manager(_) => "django.db.models.manager.Manager",
            Value::Model(_) => "django.db.models.base.ModelBase",
            Value::Q(_) => "django.db.models.query_utils.Q",
            Value::Expr(_) => "django.db.models.expressions.F",
            Value::NamedRow(_) => "django.db.models.utils.Row",
            Value::Class(_) | Value::Builtin(_) if matches!(v, Value::Builtin(b) if b.is_type()) => {
                "type"
            }
            other => other.type_name(),
        };
        Value::Class(name.into())
    }

    fn builtin_print(&mut self, mut args: Args) -> Result<Value> {
        let text_kw = |v: Option<Value>, name: &str, default: &str| -> Result<String> {
            match v {
                None | Some(Value::None) => Ok(default.to_string()),
                Some(Value::Str(s)) => Ok(s.to_string()),
                Some(other) => Err(Error::type_error(format!(
                    "{name} must be None or a string, not {}",
                    other.type_name()
                ))),
            }
        };
        let sep = text_kw(args.take_kw("sep"), "sep", " ")?;
        let end = text_kw(args.take_kw("end"), "end", "\n")?;
        args.take_kw("flush");
        if let Some((k, _)) = args.kw.first() {
            return Err(Error::type_error(format!(
                "'{k}' is an invalid keyword argument for print()"
            )));
        }
        let parts = args
            .pos
            .iter()
            .map(|v| self.str_value(v))
            .collect::<Result<Vec<String>>>()?;
        self.print_text(&format!("{}{}", parts.join(&sep), end))?;
        Ok(Value::None)
    }

    fn builtin_sorted(&mut self, mut args: Args) -> Result<Value> {
        let key = args.take_kw("key").filter(|k| !matches!(k, Value::None));
        let reverse = args.take_kw("reverse").is_some_and(|r| r.truthy());
        args.no_kw("sort")?;
        if args.pos.len() != 1 {
            return Err(Error::type_error(format!(
                "sorted expected 1 argument, got {}",
                args.pos.len()
            )));
        }
        let items = self.collect(&args.pos[0])?;
        Ok(Value::list(self.sort_values(
            items,
            key.as_ref(),
            reverse,
        )?))
    }

    /// A stable sort with Python's comparison (and its TypeError), by `key`.
    pub(super) fn sort_values(
        &mut self,
        items: Vec<Value>,
        key: Option<&Value>,
        reverse: bool,
    ) -> Result<Vec<Value>> {
        let mut keyed = Vec::with_capacity(items.len());
        for item in items {
            let k = match key {
                Some(f) => self.call(f, Args::positional(vec![item.clone()]))?,
                None => item.clone(),
            };
            keyed.push((k, item));
        }
        let mut failure = None;
        // Python's sort compares with `<` only and is stable, also when reversed.
        keyed.sort_by(|(a, _), (b, _)| {
            if failure.is_some() {
                return Ordering::Equal;
            }
            let (x, y) = if reverse { (a, b) } else { (b, a) };
            match ops::compare_op(crate::syntax::ast::CmpOp::Lt, y, x) {
                Ok(true) => Ordering::Less,
                Ok(false) => match ops::compare_op(crate::syntax::ast::CmpOp::Lt, x, y) {
                    Ok(true) => Ordering::Greater,
                    Ok(false) => Ordering::Equal,
                    Err(e) => {
                        failure = Some(e);
                        Ordering::Equal
                    }
                },
                Err(e) => {
                    failure = Some(e);
                    Ordering::Equal
                }
            }
        });
        match failure {
            Some(e) => Err(e),
            None => Ok(keyed.into_iter().map(|(_, v)| v).collect()),
        }
    }

    fn builtin_min_max(&mut self, b: Builtin, mut args: Args) -> Result<Value> {
        let name = b.name();
        let key = args.take_kw("key").filter(|k| !matches!(k, Value::None));
        let default = args.take_kw("default");
        args.no_kw(name)?;
        let items = match args.pos.len() {
            0 => {
                return Err(Error::type_error(format!(
                    "{name} expected at least 1 argument, got 0"
                )));
            }
            1 => self.collect(&args.pos[0])?,
            _ => args.pos,
        };
        let mut best: Option<(Value, Value)> = None;
        for item in items {
            let k = match &key {
                Some(f) => self.call(f, Args::positional(vec![item.clone()]))?,
                None => item.clone(),
            };
            let better = match &best {
                None => true,
                Some((bk, _)) => {
                    let op = if b == Builtin::Max {
                        crate::syntax::ast::CmpOp::Gt
                    } else {
                        crate::syntax::ast::CmpOp::Lt
                    };
                    ops::compare_op(op, &k, bk)?
                }
            };
            if better {
                best = Some((k, item));
            }
        }
        match (best, default) {
            (Some((_, v)), _) => Ok(v),
            (None, Some(d)) => Ok(d),
            (None, None) => Err(Error::value_error(format!(
                "{name}() arg is an empty sequence"
            ))),
        }
    }

    fn builtin_dict(&mut self, args: Args) -> Result<Value> {
        args.count("dict", 0, 1)?;
        let mut d = Dict::default();
        if let Some(src) = args.pos.first() {
            if let Value::Dict(other) = src {
                d = other.borrow().clone();
                d.kind = super::value::DictKind::Plain;
            } else {
                for (i, pair) in self.collect(src)?.into_iter().enumerate() {
                    let kv = self.collect(&pair).map_err(|_| {
                        Error::type_error(format!(
                            "cannot convert dictionary update sequence element #{i} to a sequence"
                        ))
                    })?;
                    if kv.len() != 2 {
                        return Err(Error::value_error(format!(
                            "dictionary update sequence element #{i} has length {}; 2 is required",
                            kv.len()
                        )));
                    }
                    d.insert(kv[0].clone(), kv[1].clone())?;
                }
            }
        }
        for (k, v) in args.kw {
            d.insert(Value::str(k), v)?;
        }
        Ok(Value::dict(d))
    }

    fn builtin_map_filter(&mut self, b: Builtin, args: Args) -> Result<Value> {
        args.no_kw(b.name())?;
        if args.pos.len() < 2 {
            return Err(Error::type_error(format!(
                "{} expected 2 arguments, got {}",
                b.name(),
                args.pos.len()
            )));
        }
        let f = args.pos[0].clone();
        if b == Builtin::Map {
            return self.lazy_map(f, &args.pos[1..]);
        }
        if args.pos.len() > 2 {
            return Err(Error::type_error(format!(
                "filter expected 2 arguments, got {}",
                args.pos.len()
            )));
        }
        self.lazy_filter(f, &args.pos[1])
    }

    fn builtin_getattr(&mut self, b: Builtin, args: Args) -> Result<Value> {
        args.count(b.name(), 2, if b == Builtin::Getattr { 3 } else { 2 })?;
        let Value::Str(attr) = &args.pos[1] else {
            return Err(Error::type_error("attribute name must be string"));
        };
        match (self.get_attr(&args.pos[0], attr), b, args.pos.get(2)) {
            (Ok(v), Builtin::Getattr, _) => Ok(v),
            (Ok(_), _, _) => Ok(Value::Bool(true)),
            // A related object's DoesNotExist is an AttributeError too.
            (Err(e), _, _)
                if !super::exceptions::is_subclass(&e.kind, "AttributeError", &|k| {
                    self.related_does_not_exist(k)
                }) =>
            {
                Err(e)
            }
            (Err(_), Builtin::Hasattr, _) => Ok(Value::Bool(false)),
            (Err(_), _, Some(default)) => Ok(default.clone()),
            (Err(e), _, None) => Err(e),
        }
    }
}
