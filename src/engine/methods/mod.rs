//! Methods of the plain types: str, list, tuple, dict, set, float.

use super::call::Args;
use super::interp::Interp;
use super::ops::{item_equals, position_of};
use super::repr::{repr, str};
use super::value::{DictViewKind, Value};
use crate::error::{Error, Result};

const STR_METHODS: &[&str] = &[
    "upper",
    "lower",
    "title",
    "capitalize",
    "swapcase",
    "casefold",
    "strip",
    "lstrip",
    "rstrip",
    "split",
    "rsplit",
    "splitlines",
    "join",
    "replace",
    "startswith",
    "endswith",
    "find",
    "rfind",
    "index",
    "rindex",
    "count",
    "isdigit",
    "isnumeric",
    "isdecimal",
    "isalpha",
    "isalnum",
    "isspace",
    "isupper",
    "islower",
    "istitle",
    "format",
    "zfill",
    "center",
    "ljust",
    "rjust",
    "partition",
    "rpartition",
    "removeprefix",
    "removesuffix",
];
const LIST_METHODS: &[&str] = &[
    "append", "extend", "insert", "pop", "remove", "index", "count", "sort", "reverse", "copy",
    "clear",
];
const TUPLE_METHODS: &[&str] = &["index", "count"];
const DICT_METHODS: &[&str] = &[
    "keys",
    "values",
    "items",
    "get",
    "pop",
    "popitem",
    "setdefault",
    "update",
    "copy",
    "clear",
];
const SET_METHODS: &[&str] = &[
    "add",
    "remove",
    "discard",
    "pop",
    "clear",
    "copy",
    "union",
    "intersection",
    "difference",
    "symmetric_difference",
    "issubset",
    "issuperset",
    "isdisjoint",
    "update",
];
const FLOAT_METHODS: &[&str] = &["is_integer"];
pub fn method_names(v: &Value) -> &'static [&'static str] {
    match v {
        Value::Str(_) => STR_METHODS,
        Value::List(_) => LIST_METHODS,
        Value::Tuple(_) => TUPLE_METHODS,
        Value::Dict(d) if matches!(d.borrow().kind, super::value::DictKind::Counter) => {
            super::stdlib::collections::COUNTER_AND_DICT_METHODS
        }
        Value::Dict(d) if matches!(d.borrow().kind, super::value::DictKind::MappingProxy) => {
            &["keys", "values", "items", "get", "copy"]
        }
        Value::Dict(_) => DICT_METHODS,
        Value::Set(_) => SET_METHODS,
        Value::Float(_) => FLOAT_METHODS,
        Value::Date(_)
        | Value::DateTime(..)
        | Value::Time(_)
        | Value::TimeDelta(_)
        | Value::TzInfo(_) => super::stdlib::datetime::method_names(v),
        Value::Decimal(_) => super::stdlib::decimal_methods(),
        Value::Pattern(_) => super::stdlib::re::PATTERN_METHODS,
        Value::Match(_) => super::stdlib::re::MATCH_METHODS,
        Value::Path(_) => super::stdlib::os::PATH_METHODS,
        Value::Expr(_) => &["asc", "desc"],
        Value::Iterator(it) if it.borrow().generator.is_some() => &["close", "send", "throw"],
        _ => &[],
    }
}

pub fn has_method(v: &Value, name: &str) -> bool {
    method_names(v).contains(&name)
}

fn str_arg(args: &Args, i: usize, method: &str) -> Result<Option<String>> {
    match args.pos.get(i) {
        None | Some(Value::None) => Ok(None),
        Some(Value::Str(s)) => Ok(Some(s.to_string())),
        Some(other) => Err(Error::type_error(format!(
            "{method} arg must be None or str, not {}",
            other.type_name()
        ))),
    }
}

mod text;

impl Interp {
    pub(super) fn call_method(&mut self, recv: &Value, name: &str, args: Args) -> Result<Value> {
        match recv {
            Value::Str(s) => self.str_method(s, name, args),
            Value::List(_) => self.list_method(recv, name, args),
            Value::Tuple(t) => seq_method(t, "tuple", name, &args),
            Value::Dict(_) => self.dict_method(recv, name, args),
            Value::Set(_) => self.set_method(recv, name, args),
            Value::Float(f) => Ok(Value::Bool(f.fract() == 0.0 && f.is_finite())),
            Value::Date(_)
            | Value::DateTime(..)
            | Value::Time(_)
            | Value::TimeDelta(_)
            | Value::TzInfo(_) => super::stdlib::datetime::method(recv, name, args),
            Value::Decimal(d) => super::stdlib::decimal_method(d, name, args),
            Value::Pattern(p) => self.pattern_method(p, name, args),
            Value::Match(m) => self.match_method(m, name, args),
            Value::Path(p) => super::stdlib::os::path_method(p, name, args),
            Value::Iterator(_) => self.generator_method(recv, name, args),
            Value::DecimalContext(None) => super::stdlib::decimal::context_method(name, args),
            Value::Builtin(super::builtins::Builtin::Dict) if name == "fromkeys" => {
                self.dict_fromkeys(args)
            }
            // `Lower('name').desc()`: an ordering, for order_by().
            Value::Expr(e) if matches!(name, "asc" | "desc") => {
                args.no_kw(name)?;
                let way = if name == "desc" {
                    "OrderByDesc"
                } else {
                    "OrderBy"
                };
                Ok(Value::Expr(std::rc::Rc::new(
                    super::expr::Expression::Func(way, vec![(**e).clone()]),
                )))
            }
            other => Err(Error::new(
                "AttributeError",
                format!("'{}' object has no attribute '{name}'", other.type_name()),
            )),
        }
    }

    /// `dict.fromkeys(iterable, value=None)`: every key bound to one value.
    fn dict_fromkeys(&mut self, args: Args) -> Result<Value> {
        args.no_kw("fromkeys")?;
        if !(1..=2).contains(&args.pos.len()) {
            return Err(Error::type_error(format!(
                "fromkeys expected at most 2 arguments, got {}",
                args.pos.len()
            )));
        }
        let value = args.pos.get(1).cloned().unwrap_or(Value::None);
        let mut d = super::value::Dict::default();
        for key in self.iter(&args.pos[0])? {
            d.insert(key?, value.clone())?;
        }
        Ok(Value::dict(d))
    }

    fn list_method(&mut self, recv: &Value, name: &str, mut args: Args) -> Result<Value> {
        let Value::List(list) = recv else {
            unreachable!("list method on a list")
        };
        if name == "sort" {
            let key = args.take_kw("key").filter(|k| !matches!(k, Value::None));
            let reverse = args.take_kw("reverse").is_some_and(|r| r.truthy());
            args.no_kw("sort")?;
            let items = list.borrow().clone();
            let sorted = self.sort_values(items, key.as_ref(), reverse)?;
            *list.borrow_mut() = sorted;
            return Ok(Value::None);
        }
        if name == "extend" {
            args.count("list.extend", 1, 1)?;
            let items = self.collect(&args.pos[0])?;
            list.borrow_mut().extend(items);
            return Ok(Value::None);
        }
        args.no_kw(name)?;
        if matches!(name, "remove" | "index" | "count") {
            // Comparing may look into this very list (`x.count(x)`), so it
            // is only borrowed, and changed once the comparison is done.
            let items = list.borrow().clone();
            if name != "remove" {
                return seq_method(&items, "list", name, &args);
            }
            args.count("list.remove", 1, 1)?;
            let Some(i) = position_of(&items, &args.pos[0])? else {
                return Err(Error::value_error("list.remove(x): x not in list"));
            };
            list.borrow_mut().remove(i);
            return Ok(Value::None);
        }
        let mut l = list.borrow_mut();
        match name {
            "append" => {
                args.count("list.append", 1, 1)?;
                l.push(args.pos[0].clone());
            }
            "insert" => {
                args.count("insert", 2, 2)?;
                let len = l.len() as i64;
                let i = int_at(&args, 0)?;
                let at = if i < 0 { (i + len).max(0) } else { i.min(len) };
                l.insert(at as usize, args.pos[1].clone());
            }
            "pop" => {
                if l.is_empty() {
                    return Err(Error::new("IndexError", "pop from empty list"));
                }
                let len = l.len() as i64;
                let i = if args.pos.is_empty() {
                    -1
                } else {
                    int_at(&args, 0)?
                };
                let at = if i < 0 { i + len } else { i };
                if at < 0 || at >= len {
                    return Err(Error::new("IndexError", "pop index out of range"));
                }
                return Ok(l.remove(at as usize));
            }
            "reverse" => l.reverse(),
            "clear" => l.clear(),
            "copy" => return Ok(Value::list(l.clone())),
            _ => return seq_method(&l, "list", name, &args),
        }
        Ok(Value::None)
    }

    fn dict_method(&mut self, recv: &Value, name: &str, args: Args) -> Result<Value> {
        let Value::Dict(d) = recv else {
            unreachable!("dict method on a dict")
        };
        if matches!(d.borrow().kind, super::value::DictKind::Counter)
            && super::stdlib::collections::COUNTER_METHODS.contains(&name)
        {
            return self.counter_method(d, name, args);
        }
        let view = |kind| Ok(Value::DictView(kind, d.clone()));
        match name {
            "keys" => view(DictViewKind::Keys),
            "values" => view(DictViewKind::Values),
            "items" => view(DictViewKind::Items),
            "get" => {
                args.count("get", 1, 2)?;
                Ok(d.borrow()
                    .get(&args.pos[0])?
                    .or_else(|| args.pos.get(1).cloned())
                    .unwrap_or(Value::None))
            }
            "pop" => {
                args.count("pop", 1, 2)?;
                let key = args.pos[0].hash_key()?;
                match d.borrow_mut().entries.shift_remove(&key) {
                    Some((_, v)) => Ok(v),
                    None => args
                        .pos
                        .get(1)
                        .cloned()
                        .ok_or_else(|| super::exceptions::key_error(&args.pos[0])),
                }
            }
            "popitem" => match d.borrow_mut().entries.pop() {
                Some((_, (k, v))) => Ok(Value::tuple(vec![k, v])),
                None => Err(super::exceptions::key_error(&Value::str(
                    "popitem(): dictionary is empty",
                ))),
            },
            "setdefault" => {
                args.count("setdefault", 1, 2)?;
                let existing = d.borrow().get(&args.pos[0])?;
                match existing {
                    Some(v) => Ok(v),
                    None => {
                        let v = args.pos.get(1).cloned().unwrap_or(Value::None);
                        d.borrow_mut().insert(args.pos[0].clone(), v.clone())?;
                        Ok(v)
                    }
                }
            }
            "update" => {
                let other = self.builtin_dict_from(args)?;
                for (k, v) in other {
                    d.borrow_mut().insert(k, v)?;
                }
                Ok(Value::None)
            }
            "copy" => {
                let mut copy = d.borrow().clone();
                if let super::value::DictKind::MappingProxy = copy.kind {
                    copy.kind = super::value::DictKind::Plain;
                }
                Ok(Value::dict(copy))
            }
            "clear" => {
                d.borrow_mut().entries.clear();
                Ok(Value::None)
            }
            _ => unreachable!("dict method {name} is listed"),
        }
    }

    fn builtin_dict_from(&mut self, args: Args) -> Result<Vec<(Value, Value)>> {
        let built = self.call(&Value::Builtin(super::builtins::Builtin::Dict), args)?;
        let Value::Dict(d) = built else {
            return Ok(Vec::new());
        };
        let pairs = d.borrow().entries.values().cloned().collect();
        Ok(pairs)
    }

    fn set_method(&mut self, recv: &Value, name: &str, args: Args) -> Result<Value> {
        let Value::Set(set) = recv else {
            unreachable!("set method on a set")
        };
        let takes_iterables = !matches!(
            name,
            "add" | "remove" | "discard" | "pop" | "clear" | "copy"
        );
        let mut other = super::value::Set::default();
        for a in args.pos.iter().filter(|_| takes_iterables) {
            for item in self.collect(a)? {
                other.insert(item)?;
            }
        }
        let op = |op| super::ops::binary(op, recv, &Value::set(other.clone()));
        use crate::syntax::ast::BinOp;
        match name {
            "add" => {
                args.count("set.add", 1, 1)?;
                set.borrow_mut().insert(args.pos[0].clone())?;
                Ok(Value::None)
            }
            "remove" | "discard" => {
                args.count(&format!("set.{name}"), 1, 1)?;
                let removed = set
                    .borrow_mut()
                    .items
                    .shift_remove(&args.pos[0].hash_key()?);
                if removed.is_none() && name == "remove" {
                    return Err(super::exceptions::key_error(&args.pos[0]));
                }
                Ok(Value::None)
            }
            "pop" => {
                let first = set.borrow().ordered().into_iter().next();
                let v = first.ok_or_else(|| {
                    super::exceptions::key_error(&Value::str("pop from an empty set"))
                })?;
                set.borrow_mut().items.shift_remove(&v.hash_key()?);
                Ok(v)
            }
            "clear" => {
                set.borrow_mut().items.clear();
                Ok(Value::None)
            }
            "copy" => Ok(Value::set(set.borrow().clone())),
            "union" => op(BinOp::BitOr),
            "intersection" => op(BinOp::BitAnd),
            "difference" => op(BinOp::Sub),
            "symmetric_difference" => op(BinOp::BitXor),
            "update" => {
                for v in other.items.values() {
                    set.borrow_mut().insert(v.clone())?;
                }
                Ok(Value::None)
            }
            "issubset" => Ok(Value::Bool(
                set.borrow()
                    .items
                    .keys()
                    .all(|k| other.items.contains_key(k)),
            )),
            "issuperset" => Ok(Value::Bool(
                other
                    .items
                    .keys()
                    .all(|k| set.borrow().items.contains_key(k)),
            )),
            "isdisjoint" => Ok(Value::Bool(
                !set.borrow()
                    .items
                    .keys()
                    .any(|k| other.items.contains_key(k)),
            )),
            _ => unreachable!("set method {name} is listed"),
        }
    }
}

fn seq_method(items: &[Value], type_name: &str, name: &str, args: &Args) -> Result<Value> {
    args.count(name, 1, 1)?;
    let needle = &args.pos[0];
    match name {
        "count" => {
            let mut n = 0;
            for v in items {
                n += item_equals(v, needle)? as i64;
            }
            Ok(Value::Int(n))
        }
        _ => match position_of(items, needle)? {
            Some(i) => Ok(Value::Int(i as i64)),
            None if type_name == "tuple" => {
                Err(Error::value_error("tuple.index(x): x not in tuple"))
            }
            None => Err(Error::value_error(format!(
                "{} is not in list",
                repr(needle)
            ))),
        },
    }
}

fn int_at(args: &Args, i: usize) -> Result<i64> {
    match args.pos.get(i) {
        Some(Value::Int(n)) => Ok(*n),
        Some(Value::Bool(b)) => Ok(*b as i64),
        Some(other) => Err(Error::type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            other.type_name()
        ))),
        None => Err(Error::type_error("expected an integer argument")),
    }
}
