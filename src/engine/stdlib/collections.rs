//! `collections` (Counter, defaultdict, OrderedDict, namedtuple),
//! `functools.partial` and `operator`: dict subclasses as dicts of a kind,
//! and callables made with arguments bound.

use super::super::call::Args;
use super::super::interp::Interp;
use super::super::ops;
use super::super::value::{Dict, DictKind, Value};
use super::Native;
use crate::error::{Error, Result};
use crate::syntax::ast::{BinOp, CmpOp, UnaryOp};
use std::cell::RefCell;
use std::rc::Rc;

pub const COUNTER_METHODS: &[&str] = &["most_common", "elements", "update", "subtract", "total"];
pub const COUNTER_AND_DICT_METHODS: &[&str] = &[
    "most_common",
    "elements",
    "update",
    "subtract",
    "total",
    "keys",
    "values",
    "items",
    "get",
    "pop",
    "popitem",
    "setdefault",
    "copy",
    "clear",
];

fn dict_of(kind: DictKind) -> Value {
    Value::Dict(Rc::new(RefCell::new(Dict {
        entries: Default::default(),
        kind,
    })))
}

use crate::value::containers::most_common;
pub use crate::value::containers::write_repr;

fn count_into(d: &Rc<RefCell<Dict>>, key: Value, by: &Value) -> Result<()> {
    let current = d.borrow().get(&key)?.unwrap_or(Value::Int(0));
    let next = ops::binary(BinOp::Add, &current, by)?;
    d.borrow_mut().insert(key, next)
}

impl Interp {
    /// Counter(iterable or mapping), defaultdict(factory, …), OrderedDict(…).
    pub(super) fn call_collections(&mut self, n: Native, mut args: Args) -> Result<Value> {
        match n {
            Native::Counter => {
                let value = dict_of(DictKind::Counter);
                let Value::Dict(d) = &value else {
                    unreachable!()
                };
                self.counter_update(d, &args, 1)?;
                Ok(value)
            }
            Native::DefaultDict => {
                let factory = if args.pos.is_empty() {
                    Value::None
                } else {
                    args.pos.remove(0)
                };
                if !matches!(factory, Value::None) && !self.is_callable(&factory) {
                    return Err(Error::type_error("first argument must be callable or None"));
                }
                let value = dict_of(DictKind::DefaultDict(factory));
                self.fill(&value, args)?;
                Ok(value)
            }
            Native::OrderedDict => {
                let value = dict_of(DictKind::OrderedDict);
                self.fill(&value, args)?;
                Ok(value)
            }
            Native::NamedTuple => self.namedtuple(args),
            Native::NamedTupleClass => {
                let (name, fields) = (args.pos.remove(0), args.pos.remove(0));
                let (Value::Str(name), Value::Tuple(fields)) = (name, fields) else {
                    unreachable!("a namedtuple class is bound to its name and fields")
                };
                let mut values = Vec::with_capacity(fields.len());
                let mut positional = std::mem::take(&mut args.pos).into_iter();
                for f in fields.iter() {
                    let f = super::super::repr::str(f);
                    match (positional.next(), args.take_kw(&f)) {
                        (Some(_), Some(_)) => {
                            return Err(Error::type_error(format!(
                                "{name}.__new__() got multiple values for argument '{f}'"
                            )));
                        }
                        (Some(v), None) | (None, Some(v)) => values.push(v),
                        (None, None) => {
                            return Err(Error::type_error(format!(
                                "{name}.__new__() missing 1 required positional argument: '{f}'"
                            )));
                        }
                    }
                }
                if positional.next().is_some() {
                    return Err(Error::type_error(format!(
                        "{name}.__new__() takes {} positional arguments but more were given",
                        fields.len() + 1
                    )));
                }
                args.no_kw(&format!("{name}.__new__"))?;
                let names = fields.iter().map(super::super::repr::str).collect();
                Ok(Value::NamedRow(Rc::new((
                    names,
                    values,
                    super::super::exceptions::intern(&name),
                ))))
            }
            _ => unreachable!("{} is not in collections", n.qualname()),
        }
    }

    fn is_callable(&self, v: &Value) -> bool {
        matches!(
            v,
            Value::Builtin(_)
                | Value::Function(_)
                | Value::Native(_)
                | Value::Bound(_)
                | Value::Method(_)
                | Value::BoundMethod(_)
                | Value::Model(_)
                | Value::ExcClass(_)
        )
    }

    /// `dict(...)`'s arguments into a dict of another kind.
    fn fill(&mut self, target: &Value, args: Args) -> Result<()> {
        let plain = self.call_builtin(super::super::builtins::Builtin::Dict, args)?;
        let (Value::Dict(t), Value::Dict(p)) = (target, &plain) else {
            unreachable!("dict() makes a dict")
        };
        let entries = p.borrow().entries.clone();
        t.borrow_mut().entries = entries;
        Ok(())
    }

    /// Counter's update (sign 1) and subtract (sign -1).
    fn counter_update(&mut self, d: &Rc<RefCell<Dict>>, args: &Args, sign: i64) -> Result<()> {
        if let Some(src) = args.pos.first() {
            if let Value::Dict(m) = src {
                let pairs: Vec<(Value, Value)> = m.borrow().entries.values().cloned().collect();
                for (k, v) in pairs {
                    let v = ops::binary(BinOp::Mul, &v, &Value::Int(sign))?;
                    count_into(d, k, &v)?;
                }
            } else {
                for item in self.iter(src)? {
                    count_into(d, item?, &Value::Int(sign))?;
                }
            }
        }
        for (k, v) in &args.kw {
            let v = ops::binary(BinOp::Mul, v, &Value::Int(sign))?;
            count_into(d, Value::str(k.as_str()), &v)?;
        }
        Ok(())
    }

    pub(in crate::engine) fn counter_method(
        &mut self,
        d: &Rc<RefCell<Dict>>,
        name: &str,
        args: Args,
    ) -> Result<Value> {
        match name {
            "most_common" => {
                let mut pairs = most_common(&d.borrow());
                if let Some(Value::Int(n)) = args.pos.first() {
                    pairs.truncate((*n).max(0) as usize);
                }
                Ok(Value::list(
                    pairs
                        .into_iter()
                        .map(|(k, v)| Value::tuple(vec![k, v]))
                        .collect(),
                ))
            }
            "elements" => {
                let pairs: Vec<(Value, usize)> = d
                    .borrow()
                    .entries
                    .values()
                    .filter_map(|(k, v)| match v {
                        Value::Int(n) if *n > 0 => Some((k.clone(), *n as usize)),
                        _ => None,
                    })
                    .collect();
                Ok(Value::lazy_iterator(
                    "itertools.chain",
                    pairs
                        .into_iter()
                        .flat_map(|(k, n)| std::iter::repeat_n(k, n))
                        .map(Ok),
                ))
            }
            "update" | "subtract" => {
                self.counter_update(d, &args, if name == "update" { 1 } else { -1 })?;
                Ok(Value::None)
            }
            _ => {
                let mut total = Value::Int(0);
                for (_, v) in d.borrow().entries.values() {
                    total = ops::binary(BinOp::Add, &total, v)?;
                }
                Ok(total)
            }
        }
    }

    /// `d[k]` of a Counter (0) or a defaultdict (`factory()`, kept) whose key
    /// is missing; `None` for anything else.
    pub(in crate::engine) fn missing_key(
        &mut self,
        obj: &Value,
        key: &Value,
    ) -> Result<Option<Value>> {
        let Value::Dict(d) = obj else {
            return Ok(None);
        };
        let kind = d.borrow().kind.clone();
        if matches!(kind, DictKind::Plain | DictKind::OrderedDict) || d.borrow().get(key)?.is_some()
        {
            return Ok(None);
        }
        match kind {
            DictKind::Counter => Ok(Some(Value::Int(0))),
            DictKind::DefaultDict(Value::None) => Ok(None),
            DictKind::DefaultDict(factory) => {
                let v = self.call(&factory, Args::default())?;
                d.borrow_mut().insert(key.clone(), v.clone())?;
                Ok(Some(v))
            }
            _ => Ok(None),
        }
    }

    /// `namedtuple('Point', ['x', 'y'])` (or `'x y'`, `'x, y'`).
    fn namedtuple(&mut self, mut args: Args) -> Result<Value> {
        args.take_kw("defaults");
        args.take_kw("rename");
        args.take_kw("module");
        let name = args
            .pos
            .first()
            .cloned()
            .or_else(|| args.take_kw("typename"));
        let fields = args
            .pos
            .get(1)
            .cloned()
            .or_else(|| args.take_kw("field_names"));
        let (Some(Value::Str(name)), Some(fields)) = (name, fields) else {
            return Err(Error::type_error(
                "namedtuple() missing required arguments: 'typename' and 'field_names'",
            ));
        };
        let names: Vec<Value> = match &fields {
            Value::Str(s) => s
                .replace(',', " ")
                .split_whitespace()
                .map(Value::str)
                .collect(),
            other => self.collect(other)?,
        };
        for n in &names {
            let text = super::super::repr::str(n);
            let ok = text
                .chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() || c == '_')
                && text.chars().all(|c| c.is_alphanumeric() || c == '_');
            if !ok {
                return Err(Error::value_error(format!(
                    "Type names and field names must be valid identifiers: {}",
                    super::super::repr::repr(n)
                )));
            }
        }
        Ok(Value::Bound(Rc::new((
            Native::NamedTupleClass,
            vec![Value::Str(name), Value::tuple(names)],
        ))))
    }

    /// `operator`'s functions, `itemgetter`/`attrgetter`/`methodcaller`
    /// and `functools.partial`, and calling what they make.
    pub(super) fn call_operator(&mut self, n: Native, args: Args) -> Result<Value> {
        let binary = |op: BinOp, args: &Args| -> Result<Value> {
            args.count(n.name(), 2, 2)?;
            ops::binary(op, &args.pos[0], &args.pos[1])
        };
        let compare = |op: CmpOp, args: &Args| -> Result<Value> {
            args.count(n.name(), 2, 2)?;
            ops::compare_op(op, &args.pos[0], &args.pos[1]).map(Value::Bool)
        };
        match n {
            Native::OpAdd | Native::OpConcat => binary(BinOp::Add, &args),
            Native::OpSub => binary(BinOp::Sub, &args),
            Native::OpMul => binary(BinOp::Mul, &args),
            Native::OpTruediv => binary(BinOp::Div, &args),
            Native::OpFloordiv => binary(BinOp::FloorDiv, &args),
            Native::OpMod => binary(BinOp::Mod, &args),
            Native::OpPow => binary(BinOp::Pow, &args),
            Native::OpAnd => binary(BinOp::BitAnd, &args),
            Native::OpOr => binary(BinOp::BitOr, &args),
            Native::OpXor => binary(BinOp::BitXor, &args),
            Native::OpEq => compare(CmpOp::Eq, &args),
            Native::OpNe => compare(CmpOp::NotEq, &args),
            Native::OpLt => compare(CmpOp::Lt, &args),
            Native::OpLe => compare(CmpOp::LtE, &args),
            Native::OpGt => compare(CmpOp::Gt, &args),
            Native::OpGe => compare(CmpOp::GtE, &args),
            Native::OpNeg | Native::OpPos | Native::OpNot | Native::OpTruth => {
                args.count(n.name(), 1, 1)?;
                let v = &args.pos[0];
                match n {
                    Native::OpNeg => ops::unary(UnaryOp::Neg, v),
                    Native::OpPos => ops::unary(UnaryOp::Pos, v),
                    Native::OpNot => Ok(Value::Bool(!self.truthy(v)?)),
                    _ => Ok(Value::Bool(self.truthy(v)?)),
                }
            }
            Native::OpGetitem => {
                args.count("getitem", 2, 2)?;
                super::super::subscript::get_item(&args.pos[0], &args.pos[1])
            }
            Native::OpContains => {
                args.count("contains", 2, 2)?;
                ops::contains(&args.pos[0], &args.pos[1]).map(Value::Bool)
            }
            Native::ItemGetter | Native::AttrGetter => {
                args.no_kw(n.name())?;
                if args.pos.is_empty() {
                    return Err(Error::type_error(format!(
                        "{} expected 1 argument, got 0",
                        n.name()
                    )));
                }
                let apply = if n == Native::ItemGetter {
                    Native::ItemGetterCall
                } else {
                    Native::AttrGetterCall
                };
                Ok(Value::Bound(Rc::new((apply, vec![Value::tuple(args.pos)]))))
            }
            _ => self.call_operator_items(n, args),
        }
    }

    fn call_operator_items(&mut self, n: Native, mut args: Args) -> Result<Value> {
        match n {
            Native::ItemGetterCall | Native::AttrGetterCall => {
                let keys = args.pos.remove(0);
                let Value::Tuple(keys) = keys else {
                    unreachable!()
                };
                args.count(n.bound_type_name(), 1, 1)?;
                let obj = args.pos.remove(0);
                let mut out = Vec::with_capacity(keys.len());
                for k in keys.iter() {
                    out.push(if n == Native::ItemGetterCall {
                        super::super::subscript::get_item(&obj, k)?
                    } else {
                        let mut v = obj.clone();
                        for part in super::super::repr::str(k).split('.') {
                            v = self.get_attr(&v, part)?;
                        }
                        v
                    });
                }
                Ok(if out.len() == 1 {
                    out.remove(0)
                } else {
                    Value::tuple(out)
                })
            }
            Native::Partial => {
                if args.pos.is_empty() {
                    return Err(Error::type_error(
                        "type 'partial' takes at least one argument",
                    ));
                }
                let mut kw = Dict::default();
                for (k, v) in std::mem::take(&mut args.kw) {
                    kw.insert(Value::str(k), v)?;
                }
                let mut bound = vec![args.pos.remove(0), Value::dict(kw)];
                bound.extend(args.pos);
                Ok(Value::Bound(Rc::new((Native::PartialCall, bound))))
            }
            Native::PartialCall => {
                let func = args.pos.remove(0);
                let Value::Dict(kw) = args.pos.remove(0) else {
                    unreachable!()
                };
                let mut merged: Vec<(String, Value)> = kw
                    .borrow()
                    .entries
                    .values()
                    .map(|(k, v)| (super::super::repr::str(k), v.clone()))
                    .collect();
                for (k, v) in std::mem::take(&mut args.kw) {
                    merged.retain(|(m, _)| *m != k);
                    merged.push((k, v));
                }
                args.kw = merged;
                self.call(&func, args)
            }
            _ => unreachable!("{} is not in operator", n.qualname()),
        }
    }
}
