//! Python values as the evaluator sees them.
//!
//! Containers are shared and mutable as in Python (`a = b = []` aliases one
//! list), so they live behind `Rc<RefCell<…>>`. Dicts and sets keep their
//! entries in an `IndexMap` keyed by [`HashKey`], Python's notion of equal
//! hashable values (`1 == 1.0 == True`).

use crate::error::{Error, Result};
use crate::syntax::ast::{Expr, Param, Stmt};
use builtin::Builtin;
use indexmap::IndexMap;
use std::cell::RefCell;
use std::rc::Rc;

mod args;
pub mod containers;
pub use args::{Args, bind_params, plural};
pub mod bigint;
pub mod builtin;
pub mod classes;
pub mod datetime;
pub mod decimal;
pub mod exceptions;
pub mod expr;
pub mod format;
pub mod json;
pub mod model;
pub mod native;
pub mod ops;
pub mod path;
pub mod re;
pub use model::{ModelClass, QuerySetValue};
pub mod repr;
pub mod scope;
pub mod subscript;
pub mod uuid;
pub(crate) use containers::*;

#[derive(Clone, Debug)]
pub enum Value {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Rc<str>),
    List(Rc<RefCell<Vec<Value>>>),
    Tuple(Rc<Vec<Value>>),
    Dict(Rc<RefCell<Dict>>),
    Set(Rc<RefCell<Set>>),
    Range {
        start: i64,
        stop: i64,
        step: i64,
    },
    /// `d.keys()`, `d.values()`, `d.items()`: live views of a dict.
    DictView(DictViewKind, Rc<RefCell<Dict>>),
    /// What `enumerate`, `zip`, `reversed`, `map` and generator expressions
    /// give: items not yet consumed.
    Iterator(Rc<RefCell<PyIterator>>),
    Function(Rc<Function>),
    Builtin(Builtin),
    /// A method looked up on a value, not yet called: `'a'.upper`.
    BoundMethod(Rc<(Value, String)>),
    /// A models.py method bound to its instance: the function and `self`.
    Method(Rc<(Value, Value)>),
    /// A module's callable made with arguments bound: `functools.partial`,
    /// `operator.itemgetter(1)`, a `namedtuple` class.
    Bound(Rc<(native::Native, Vec<Value>)>),
    /// An imported module that ormsh knows by name only.
    Module(Rc<str>),
    /// `a:b:c` inside a subscript: start, stop, step (each may be None).
    Slice(Rc<[Value; 3]>),
    /// A model class, e.g. `Book`.
    Model(Rc<ModelClass>),
    /// A field or relation as a class attribute: `Book.authors`, whose
    /// `through` is a model. Django's descriptor class name, and for a
    /// ManyToMany its through model.
    Descriptor(Rc<(&'static str, Option<crate::schema::ModelId>)>),
    /// A model's `TextChoices` class (`Post.Status`): the model, the
    /// class's index among its choices classes, and its name.
    Choices(Rc<(crate::schema::ModelId, usize, String)>),
    /// `bytes`: what a BLOB holds.
    Bytes(Rc<[u8]>),
    /// A database value its field cannot hold, read for a table that marks
    /// it (`engine::orm::leniently`): the raw value and Django's error.
    Invalid(Rc<(String, String)>),
    /// `decimal.Decimal`, keeping its exponent (`Decimal('12.00')`).
    Decimal(Rc<crate::python_decimal::Decimal>),
    /// An `int` that does not fit an i64 (never one that does).
    BigInt(Rc<num_bigint::BigInt>),
    /// `re.RegexFlag`: an int that prints as its flags (`re.IGNORECASE`).
    RegexFlag(i64),
    /// `decimal.getcontext()` (`None`: the session's context, whatever it is
    /// then) or a `decimal.localcontext(**changes)` not yet entered.
    DecimalContext(Option<Rc<Vec<(String, Value)>>>),
    /// A builtin type's method taken from the type (`str.upper`), called
    /// with its instance first: `map(str.upper, names)`.
    MethodDescriptor(Rc<(builtin::Builtin, String)>),
    /// `datetime.date`
    Date(chrono::NaiveDate),
    /// `datetime.datetime`: its wall time, and its tzinfo when aware.
    DateTime(chrono::NaiveDateTime, Option<crate::value::datetime::Tz>),
    /// `datetime.time`
    Time(chrono::NaiveTime),
    /// `datetime.timedelta`
    TimeDelta(crate::value::datetime::TimeDelta),
    /// `uuid.UUID`, what a UUIDField holds.
    Uuid(u128),
    /// `pathlib.PosixPath`, its text normalised as pathlib keeps it.
    Path(Rc<str>),
    /// `re.compile(…)`, and what `re.search(…)` finds.
    Pattern(Rc<re::Pattern>),
    Match(Rc<re::Match>),
    /// A `tzinfo`: `datetime.timezone.utc`, a fixed offset.
    TzInfo(crate::value::datetime::Tz),
    /// A function or class of an imported module: `date`, `islice`.
    Native(native::Native),
    /// An exception class: `ValueError`, `Book.DoesNotExist`.
    ExcClass(Rc<crate::value::exceptions::ExcClass>),
    /// An exception object, as `except ... as e` binds it.
    Exception(Rc<crate::value::exceptions::Exception>),
    /// A class defined at the prompt, and its instances.
    UserClass(Rc<classes::UserClass>),
    Object(Rc<classes::Object>),
    /// `super()` in a method: the method's class and the object.
    Super(Rc<(Rc<classes::UserClass>, Value)>),
    /// A model instance (shared: `b = a` names the same object).
    Instance(Rc<RefCell<model::Instance>>),
    /// `Model.objects`, or a related manager such as `author.book_set`.
    Manager(Rc<model::Manager>),
    QuerySet(Rc<QuerySetValue>),
    /// `Model._meta`, a field of it, or a reverse relation of it.
    Meta(Rc<model::MetaRef>),
    /// `Q(...)`: a condition tree for filter(), exclude() and get().
    Q(Rc<crate::value::expr::QValue>),
    /// `F('price')` and arithmetic on it.
    Expr(Rc<crate::value::expr::Expression>),
    /// A class ormsh knows only by its qualified name (`type(x)` of a value
    /// whose class is not a builtin): `<class 'decimal.Decimal'>`.
    Class(Rc<str>),
    /// A named tuple: a `values_list(named=True)` row (`Row(id=1, name='x')`),
    /// `isocalendar()`'s, `as_tuple()`'s; the fields, the values, the class
    /// name as its repr writes it.
    NamedRow(Rc<(Vec<String>, Vec<Value>, &'static str)>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DictViewKind {
    Keys,
    Values,
    Items,
}

pub struct PyIterator {
    pub kind: &'static str,
    pub items: std::collections::VecDeque<Value>,
    /// What comes after `items`, pulled only when asked for: a queryset's
    /// `iterator()` streams its rows, a generator computes its next item.
    pub rest: Option<Box<dyn Iterator<Item = crate::error::Result<Value>>>>,
    /// Set while `rest` computes an item, which may run any code, even
    /// code that pulls from this very iterator.
    running: bool,
    /// A generator function's generator, for `send()`, `throw()`,
    /// `close()` and the value its StopIteration carries.
    /// Its name, and the evaluator's object (which holds the interpreter
    /// that runs the body).
    pub generator: Option<(Rc<str>, Rc<dyn std::any::Any>)>,
}

impl PyIterator {
    /// The next item. The iterator is not borrowed while `rest` runs, so a
    /// generator that pulls from itself gets Python's ValueError.
    pub fn pull(this: &Rc<RefCell<PyIterator>>) -> Option<crate::error::Result<Value>> {
        let mut rest = {
            let mut it = this.borrow_mut();
            if let Some(v) = it.items.pop_front() {
                return Some(Ok(v));
            }
            if it.running {
                return Some(Err(Error::value_error("generator already executing")));
            }
            let rest = it.rest.take()?;
            it.running = true;
            rest
        };
        let next = rest.next();
        let mut it = this.borrow_mut();
        it.running = false;
        if next.is_some() {
            it.rest = Some(rest);
        }
        next
    }
}

impl std::fmt::Debug for PyIterator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<{} object>", self.kind)
    }
}

/// A lambda: parameters, body and the scope it was made in.
#[derive(Debug)]
pub struct Function {
    pub name: String,
    pub params: Vec<Param>,
    pub defaults: Vec<Option<Value>>,
    pub body: FunctionBody,
    pub scope: crate::value::scope::ScopeRef,
    /// The names the body binds (its locals).
    pub locals: Rc<std::collections::HashSet<String>>,
    /// The prompt class whose body defined it: what `super()` means in it.
    pub owner: Option<std::rc::Weak<classes::UserClass>>,
}

#[derive(Clone, Debug, Default)]
pub struct Dict {
    pub entries: IndexMap<HashKey, (Value, Value)>,
    /// Which dict: a plain one, or a subclass of `collections`.
    pub kind: DictKind,
}

/// The dict subclasses of `collections`: how they print and what a
/// missing key gives.
#[derive(Clone, Debug, Default)]
pub enum DictKind {
    #[default]
    Plain,
    /// Missing keys count 0.
    Counter,
    /// A missing key is set to `factory()`.
    DefaultDict(Value),
    OrderedDict,
    /// A read-only view of a mapping: `pattern.groupindex`.
    MappingProxy,
}

#[derive(Clone, Debug, Default)]
pub struct Set {
    pub items: IndexMap<HashKey, Value>,
}

/// The identity of a hashable value: what Python's `hash` and `==` agree on.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum HashKey {
    None,
    Int(i64),
    /// A float that is not an integer, by its bits.
    Float(u64),
    Str(Rc<str>),
    /// A value that is not a str, by a text of its own (`date 2024-01-01`,
    /// a UUID, bytes): never equal to a str's key.
    Other(Rc<str>),
    Tuple(Vec<HashKey>),
    /// Functions and other objects hash by identity.
    Identity(usize),
}

impl HashKey {
    /// A number that is neither an i64 nor a float, by its exact value
    /// as reduced digits and exponent: big ints and Decimals that are equal
    /// share it (hex digits, so writing them is linear).
    pub fn number(negative: bool, coeff: &num_bigint::BigUint, exp: i64) -> HashKey {
        let sign = if negative { "-" } else { "" };
        HashKey::Other(format!("number {sign}{coeff:x}e{exp}").into())
    }
}

impl Value {
    /// A queryset not yet evaluated.
    pub fn queryset(query: crate::query::QuerySet) -> Value {
        Value::QuerySet(Rc::new(QuerySetValue::new(query)))
    }

    pub fn decimal(d: crate::python_decimal::Decimal) -> Value {
        Value::Decimal(Rc::new(d))
    }

    pub fn str(s: impl Into<Rc<str>>) -> Value {
        Value::Str(s.into())
    }

    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Rc::new(RefCell::new(items)))
    }

    pub fn tuple(items: Vec<Value>) -> Value {
        Value::Tuple(Rc::new(items))
    }

    pub fn dict(d: Dict) -> Value {
        Value::Dict(Rc::new(RefCell::new(d)))
    }

    pub fn set(s: Set) -> Value {
        Value::Set(Rc::new(RefCell::new(s)))
    }

    pub fn iterator(kind: &'static str, items: Vec<Value>) -> Value {
        Value::Iterator(Rc::new(RefCell::new(PyIterator {
            kind,
            items: items.into(),
            rest: None,
            running: false,
            generator: None,
        })))
    }

    /// An iterator whose items are computed as they are asked for.
    pub fn lazy_iterator(
        kind: &'static str,
        items: impl Iterator<Item = crate::error::Result<Value>> + 'static,
    ) -> Value {
        Value::Iterator(Rc::new(RefCell::new(PyIterator {
            kind,
            items: Default::default(),
            rest: Some(Box::new(items)),
            running: false,
            generator: None,
        })))
    }

    /// The name `type(value).__name__` gives, as used in Python's messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::None => "NoneType",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float",
            Value::Str(_) => "str",
            Value::List(_) => "list",
            Value::Tuple(_) => "tuple",
            Value::Dict(d) if matches!(d.borrow().kind, DictKind::MappingProxy) => "mappingproxy",
            Value::Dict(_) => "dict",
            Value::Set(_) => "set",
            Value::Range { .. } => "range",
            Value::DictView(DictViewKind::Keys, _) => "dict_keys",
            Value::DictView(DictViewKind::Values, _) => "dict_values",
            Value::DictView(DictViewKind::Items, _) => "dict_items",
            Value::Iterator(it) => it.borrow().kind,
            Value::Function(_) => "function",
            Value::Builtin(b) if b.is_type() => "type",
            Value::Builtin(_) | Value::BoundMethod(_) => "builtin_function_or_method",
            Value::Method(_) => "method",
            Value::Bound(b) => b.0.bound_type_name(),
            Value::Module(_) => "module",
            Value::Slice(_) => "slice",
            Value::Descriptor(d) => d.0,
            Value::Choices(_) => "ChoicesType",
            Value::Model(_) => "ModelBase",
            Value::Bytes(_) => "bytes",
            Value::Invalid(_) => "invalid value",
            Value::Decimal(_) => "decimal.Decimal",
            Value::BigInt(_) => "int",
            Value::RegexFlag(_) => "RegexFlag",
            Value::MethodDescriptor(_) => "method_descriptor",
            Value::DecimalContext(None) => "decimal.Context",
            Value::DecimalContext(Some(_)) => "decimal.ContextManager",
            Value::Date(_) => "datetime.date",
            Value::DateTime(..) => "datetime.datetime",
            Value::Time(_) => "datetime.time",
            Value::TimeDelta(_) => "datetime.timedelta",
            Value::Uuid(_) => "UUID",
            Value::Path(_) => "PosixPath",
            Value::Pattern(_) => "re.Pattern",
            Value::Match(_) => "re.Match",
            Value::TzInfo(tz) => tz.type_name(),
            Value::Native(n) if n.is_class() => "type",
            Value::Native(_) => "builtin_function_or_method",
            Value::ExcClass(_) => "type",
            Value::Exception(e) => e.class.type_name(),
            Value::UserClass(_) => "type",
            Value::Object(o) => crate::value::exceptions::intern(&o.class.name),
            Value::Super(_) => "super",
            Value::Instance(_) => "Model",
            Value::Manager(_) => "Manager",
            Value::QuerySet(_) => "QuerySet",
            Value::Meta(m) => m.type_name(),
            Value::NamedRow(_) => "Row",
            Value::Class(_) => "type",
            Value::Q(_) => "Q",
            Value::Expr(e) if matches!(**e, crate::value::expr::Expression::F(_)) => "F",
            Value::Expr(e) if matches!(**e, crate::value::expr::Expression::Aggregate { .. }) => {
                "Aggregate"
            }
            Value::Expr(_) => "CombinedExpression",
        }
    }

    /// Python's truth value.
    pub fn truthy(&self) -> bool {
        match self {
            Value::RegexFlag(i) => *i != 0,
            Value::None => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Decimal(d) => !d.is_zero(),
            Value::TimeDelta(t) => t.total_micros() != 0,
            Value::Str(s) => !s.is_empty(),
            Value::List(l) => !l.borrow().is_empty(),
            Value::Tuple(t) => !t.is_empty(),
            Value::Dict(d) | Value::DictView(_, d) => !d.borrow().entries.is_empty(),
            Value::Set(s) => !s.borrow().items.is_empty(),
            Value::Range { .. } => builtin::range_len(self) > 0,
            _ => true,
        }
    }

    /// The key under which a dict or set stores this value.
    pub fn hash_key(&self) -> Result<HashKey> {
        Ok(match self {
            Value::None => HashKey::None,
            Value::Bool(b) => HashKey::Int(*b as i64),
            Value::Int(i) | Value::RegexFlag(i) => HashKey::Int(*i),
            Value::Float(f)
                if f.fract() == 0.0
                    && (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(f) =>
            {
                HashKey::Int(*f as i64)
            }
            Value::Decimal(d) => crate::value::decimal::hash_key(d)?,
            Value::BigInt(b) => crate::value::bigint::hash_key(b),
            Value::Date(d) => HashKey::Other(format!("date {d}").into()),
            Value::DateTime(..) | Value::TimeDelta(_) | Value::TzInfo(_) => HashKey::Other(
                crate::value::datetime::hash_text(self)
                    .unwrap_or_default()
                    .into(),
            ),
            Value::Native(n) => HashKey::Other(format!("native {}", n.qualname()).into()),
            Value::Uuid(u) => HashKey::Other(format!("uuid {u}").into()),
            Value::Path(p) => HashKey::Other(format!("path {p}").into()),
            Value::ExcClass(c) => HashKey::Other(format!("exception class {}", c.name).into()),
            Value::Time(t) => HashKey::Other(format!("time {t}").into()),
            Value::Float(f) => HashKey::Float(if f.is_nan() {
                f64::NAN.to_bits()
            } else {
                f.to_bits()
            }),
            Value::Str(s) => HashKey::Str(s.clone()),
            Value::Bytes(b) => {
                HashKey::Other(format!("bytes {}", crate::value::repr::bytes_repr(b)).into())
            }
            Value::Tuple(items) => {
                let _level = crate::limits::Depth::enter(" while calling a Python object")?;
                HashKey::Tuple(items.iter().map(Value::hash_key).collect::<Result<_>>()?)
            }
            Value::NamedRow(row) => {
                HashKey::Tuple(row.1.iter().map(Value::hash_key).collect::<Result<_>>()?)
            }
            // Django hashes instances by primary key; unsaved ones cannot be hashed.
            Value::Instance(i) => {
                let i = i.borrow();
                let pk = i.pk();
                if matches!(pk, Value::None) {
                    return Err(Error::type_error(
                        "Model instances without primary key value are unhashable",
                    ));
                }
                HashKey::Tuple(vec![
                    HashKey::Other("instance".into()),
                    HashKey::Int(i.model as i64),
                    pk.hash_key()?,
                ])
            }
            Value::List(_) | Value::Dict(_) | Value::Set(_) | Value::DictView(..) => {
                return Err(Error::type_error(format!(
                    "unhashable type: '{}'",
                    self.type_name()
                )));
            }
            other => HashKey::Identity(other.identity()),
        })
    }

    /// An address standing for the object, for `is` and identity hashing.
    pub fn identity(&self) -> usize {
        match self {
            Value::List(r) => Rc::as_ptr(r) as *const u8 as usize,
            Value::Tuple(r) => Rc::as_ptr(r) as *const u8 as usize,
            Value::Dict(r) | Value::DictView(_, r) => Rc::as_ptr(r) as *const u8 as usize,
            Value::Set(r) => Rc::as_ptr(r) as *const u8 as usize,
            Value::Iterator(r) => Rc::as_ptr(r) as *const u8 as usize,
            Value::Function(r) => Rc::as_ptr(r) as *const u8 as usize,
            Value::BoundMethod(r) => Rc::as_ptr(r) as *const u8 as usize,
            Value::Method(r) => Rc::as_ptr(r) as *const u8 as usize,
            Value::Bound(r) => Rc::as_ptr(r) as *const u8 as usize,
            Value::Model(r) => Rc::as_ptr(r) as *const u8 as usize,
            Value::Descriptor(r) => Rc::as_ptr(r) as *const u8 as usize,
            Value::Choices(r) => Rc::as_ptr(r) as *const u8 as usize,
            Value::Instance(r) => Rc::as_ptr(r) as *const u8 as usize,
            Value::Manager(r) => Rc::as_ptr(r) as *const u8 as usize,
            Value::QuerySet(r) => Rc::as_ptr(r) as *const u8 as usize,
            Value::Str(s) => s.as_ptr() as usize,
            Value::Builtin(b) => *b as usize,
            Value::Native(n) => 0x1000 + *n as usize,
            Value::ExcClass(r) => Rc::as_ptr(r) as *const u8 as usize,
            Value::Exception(r) => Rc::as_ptr(r) as *const u8 as usize,
            Value::UserClass(r) => Rc::as_ptr(r) as *const u8 as usize,
            Value::Object(r) => Rc::as_ptr(r) as *const u8 as usize,
            Value::Super(r) => Rc::as_ptr(r) as *const u8 as usize,
            Value::Decimal(r) => Rc::as_ptr(r) as *const u8 as usize,
            Value::BigInt(r) => Rc::as_ptr(r) as *const u8 as usize,
            Value::MethodDescriptor(r) => Rc::as_ptr(r) as *const u8 as usize,
            Value::DecimalContext(Some(r)) => Rc::as_ptr(r) as *const u8 as usize,
            _ => 0,
        }
    }
}

/// The integers of a `range`, for lookups that take a sequence.
pub fn range_values(v: &Value) -> Vec<Value> {
    let Value::Range { start, step, .. } = *v else {
        return Vec::new();
    };
    let n = builtin::range_len(v).min(100_000);
    (0..n)
        .map(|i| Value::Int(start + step * i as i64))
        .collect()
}

pub fn unsupported(op: crate::syntax::ast::BinOp, a: &Value, b: &Value) -> Error {
    Error::type_error(format!(
        "unsupported operand type(s) for {}: '{}' and '{}'",
        op.symbol(),
        a.type_name(),
        b.type_name()
    ))
}

/// A function's body: a lambda's expression or a `def`'s statements.
#[derive(Debug, Clone)]
pub enum FunctionBody {
    Expr(Expr),
    Block(Vec<Stmt>),
    /// A body that yields: calling the function makes a generator.
    Generator(Vec<Stmt>),
    /// An `async def`'s: calling it makes a coroutine, which ormsh refuses.
    Coroutine(Vec<Stmt>),
}

impl FunctionBody {
    /// A `def`'s body: a coroutine's, a generator's if it yields, else a block.
    pub fn of_def(def: &crate::syntax::ast::FunctionDef) -> FunctionBody {
        let body = &def.body;
        if def.is_async {
            FunctionBody::Coroutine(body.to_vec())
        } else if crate::syntax::ast::is_generator(body) {
            FunctionBody::Generator(body.to_vec())
        } else {
            FunctionBody::Block(body.to_vec())
        }
    }

    pub fn statements(&self) -> &[Stmt] {
        match self {
            FunctionBody::Block(b) | FunctionBody::Generator(b) | FunctionBody::Coroutine(b) => b,
            FunctionBody::Expr(_) => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(ints: &[i64]) -> Vec<i64> {
        cpython_int_set_order(ints)
            .into_iter()
            .map(|i| ints[i])
            .collect()
    }

    #[test]
    fn int_sets_iterate_as_cpython_does() {
        assert_eq!(order(&[3, 1, 2]), vec![1, 2, 3]);
        assert_eq!(order(&[10, 2, 8]), vec![8, 10, 2]);
        assert_eq!(order(&[100, 5, 37]), vec![37, 100, 5]);
        assert_eq!(
            order(&[-1, -5, 7, 1000, 33, 8, 16, 24, 40]),
            vec![33, 7, 1000, 8, 40, 16, 24, -5, -1]
        );
        assert_eq!(
            order(&(1..=20).rev().collect::<Vec<_>>()),
            (1..=20).collect::<Vec<_>>()
        );
        assert_eq!(order(&[0, 8, 16, 1]), vec![0, 8, 16, 1]);
    }
}
