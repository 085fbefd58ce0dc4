//! Methods of the plain types: str, list, tuple, dict, set, float.

use super::call::Args;
use super::interp::Interp;
use super::ops::equals;
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
const DATE_METHODS: &[&str] = &[
    "isoformat",
    "weekday",
    "isoweekday",
    "strftime",
    "date",
    "time",
];

pub fn method_names(v: &Value) -> &'static [&'static str] {
    match v {
        Value::Str(_) => STR_METHODS,
        Value::List(_) => LIST_METHODS,
        Value::Tuple(_) => TUPLE_METHODS,
        Value::Dict(_) => DICT_METHODS,
        Value::Set(_) => SET_METHODS,
        Value::Float(_) => FLOAT_METHODS,
        Value::Date(_) | Value::DateTime(_) | Value::Time(_) => DATE_METHODS,
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

impl Interp {
    pub(super) fn call_method(&mut self, recv: &Value, name: &str, args: Args) -> Result<Value> {
        match recv {
            Value::Str(s) => self.str_method(s, name, args),
            Value::List(_) => self.list_method(recv, name, args),
            Value::Tuple(t) => seq_method(t, "tuple", name, &args),
            Value::Dict(_) => self.dict_method(recv, name, args),
            Value::Set(_) => self.set_method(recv, name, args),
            Value::Float(f) => Ok(Value::Bool(f.fract() == 0.0 && f.is_finite())),
            Value::Date(_) | Value::DateTime(_) | Value::Time(_) => date_method(recv, name, &args),
            other => Err(Error::new(
                "AttributeError",
                format!("'{}' object has no attribute '{name}'", other.type_name()),
            )),
        }
    }

    fn str_method(&mut self, s: &str, name: &str, mut args: Args) -> Result<Value> {
        if name == "format" {
            return self.str_format(s, args).map(Value::str);
        }
        if name == "join" {
            args.count("str.join", 1, 1)?;
            let mut parts = Vec::new();
            for (i, item) in self.collect(&args.pos[0])?.into_iter().enumerate() {
                match item {
                    Value::Str(p) => parts.push(p.to_string()),
                    other => {
                        return Err(Error::type_error(format!(
                            "sequence item {i}: expected str instance, {} found",
                            other.type_name()
                        )));
                    }
                }
            }
            return Ok(Value::str(parts.join(s)));
        }
        let maxsplit = args.take_kw("maxsplit");
        let sep_kw = args.take_kw("sep");
        if sep_kw.is_some() {
            args.pos.insert(0, sep_kw.unwrap_or(Value::None));
        }
        if let Some(m) = maxsplit {
            args.pos.resize(1.max(args.pos.len()), Value::None);
            args.pos.push(m);
        }
        args.no_kw(name)?;
        let text = |v: String| Ok(Value::str(v));
        let boolean = |b: bool| Ok(Value::Bool(b));
        let chars = |f: fn(char) -> bool| Ok(Value::Bool(!s.is_empty() && s.chars().all(f)));
        match name {
            "upper" => text(s.to_uppercase()),
            "lower" | "casefold" => text(s.to_lowercase()),
            "swapcase" => text(
                s.chars()
                    .map(|c| {
                        if c.is_uppercase() {
                            c.to_lowercase().to_string()
                        } else {
                            c.to_uppercase().to_string()
                        }
                    })
                    .collect(),
            ),
            "title" => text(title_case(s)),
            "capitalize" => {
                let mut cs = s.chars();
                text(
                    cs.next()
                        .map(|c| c.to_uppercase().collect::<String>() + &cs.as_str().to_lowercase())
                        .unwrap_or_default(),
                )
            }
            "strip" | "lstrip" | "rstrip" => {
                let set = str_arg(&args, 0, name)?;
                let pred = |c: char| match &set {
                    Some(chars) => chars.contains(c),
                    None => c.is_whitespace(),
                };
                text(
                    match name {
                        "strip" => s.trim_matches(pred),
                        "lstrip" => s.trim_start_matches(pred),
                        _ => s.trim_end_matches(pred),
                    }
                    .to_string(),
                )
            }
            "split" | "rsplit" => split(s, name, &args),
            "splitlines" => Ok(Value::list(s.lines().map(Value::str).collect())),
            "replace" => {
                let (old, new) = (
                    str_arg(&args, 0, name)?.unwrap_or_default(),
                    str_arg(&args, 1, name)?.unwrap_or_default(),
                );
                let count = args
                    .pos
                    .get(2)
                    .and_then(|v| {
                        if let Value::Int(i) = v {
                            Some(*i)
                        } else {
                            None
                        }
                    })
                    .unwrap_or(-1);
                text(if count < 0 {
                    s.replace(&old, &new)
                } else {
                    s.replacen(&old, &new, count as usize)
                })
            }
            "startswith" | "endswith" => {
                let candidates: Vec<String> = match args.pos.first() {
                    Some(Value::Tuple(t)) => t.iter().map(str).collect(),
                    Some(Value::Str(p)) => vec![p.to_string()],
                    other => {
                        return Err(Error::type_error(format!(
                            "{name} first arg must be str or a tuple of str, not {}",
                            other.map_or("NoneType", Value::type_name)
                        )));
                    }
                };
                boolean(candidates.iter().any(|p| {
                    if name == "startswith" {
                        s.starts_with(p.as_str())
                    } else {
                        s.ends_with(p.as_str())
                    }
                }))
            }
            "find" | "rfind" | "index" | "rindex" => {
                let needle = str_arg(&args, 0, name)?.unwrap_or_default();
                let found = if name.starts_with('r') {
                    s.rfind(&needle)
                } else {
                    s.find(&needle)
                };
                match found {
                    Some(byte) => Ok(Value::Int(s[..byte].chars().count() as i64)),
                    None if name.contains("find") => Ok(Value::Int(-1)),
                    None => Err(Error::value_error("substring not found")),
                }
            }
            "count" => {
                let needle = str_arg(&args, 0, name)?.unwrap_or_default();
                Ok(Value::Int(if needle.is_empty() {
                    s.chars().count() as i64 + 1
                } else {
                    s.matches(&needle).count() as i64
                }))
            }
            "isdigit" | "isnumeric" | "isdecimal" => chars(|c| c.is_numeric()),
            "isalpha" => chars(char::is_alphabetic),
            "isalnum" => chars(char::is_alphanumeric),
            "isspace" => chars(char::is_whitespace),
            "isupper" => {
                boolean(s.chars().any(char::is_alphabetic) && !s.chars().any(char::is_lowercase))
            }
            "islower" => {
                boolean(s.chars().any(char::is_alphabetic) && !s.chars().any(char::is_uppercase))
            }
            "istitle" => boolean(!s.is_empty() && title_case(s) == s),
            "zfill" => {
                let width = int_at(&args, 0)? as usize;
                let len = s.chars().count();
                if len >= width {
                    return text(s.to_string());
                }
                let (sign, rest) = match s.strip_prefix(['-', '+']) {
                    Some(rest) => (&s[..1], rest),
                    None => ("", s),
                };
                text(format!("{sign}{}{rest}", "0".repeat(width - len)))
            }
            "center" | "ljust" | "rjust" => {
                let width = int_at(&args, 0)? as usize;
                let fill = str_arg(&args, 1, name)?
                    .and_then(|f| f.chars().next())
                    .unwrap_or(' ');
                let len = s.chars().count();
                let gap = width.saturating_sub(len);
                let pad = |n: usize| fill.to_string().repeat(n);
                text(match name {
                    "ljust" => format!("{s}{}", pad(gap)),
                    "rjust" => format!("{}{s}", pad(gap)),
                    // CPython puts the odd space on the left when the width is odd.
                    _ => {
                        let left = gap / 2 + (gap & width & 1);
                        format!("{}{s}{}", pad(left), pad(gap - left))
                    }
                })
            }
            "partition" | "rpartition" => {
                let sep = str_arg(&args, 0, name)?.unwrap_or_default();
                if sep.is_empty() {
                    return Err(Error::value_error("empty separator"));
                }
                let found = if name == "partition" {
                    s.find(&sep)
                } else {
                    s.rfind(&sep)
                };
                let parts = match found {
                    Some(i) => [&s[..i], sep.as_str(), &s[i + sep.len()..]],
                    None if name == "partition" => [s, "", ""],
                    None => ["", "", s],
                };
                Ok(Value::tuple(parts.iter().map(|p| Value::str(*p)).collect()))
            }
            "removeprefix" => text(
                s.strip_prefix(str_arg(&args, 0, name)?.unwrap_or_default().as_str())
                    .unwrap_or(s)
                    .to_string(),
            ),
            "removesuffix" => text(
                s.strip_suffix(str_arg(&args, 0, name)?.unwrap_or_default().as_str())
                    .unwrap_or(s)
                    .to_string(),
            ),
            _ => unreachable!("str method {name} is listed"),
        }
    }

    /// `'{} {name!r:>5}'.format(...)`.
    fn str_format(&mut self, template: &str, args: Args) -> Result<String> {
        let mut out = String::new();
        let mut auto = 0;
        let mut chars = template.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    out.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    out.push('}');
                }
                '}' => {
                    return Err(Error::value_error(
                        "Single '}' encountered in format string",
                    ));
                }
                '{' => {
                    let mut field = String::new();
                    let mut depth = 1;
                    for c in chars.by_ref() {
                        match c {
                            '{' => depth += 1,
                            '}' => {
                                depth -= 1;
                                if depth == 0 {
                                    break;
                                }
                            }
                            _ => {}
                        }
                        field.push(c);
                    }
                    if depth != 0 {
                        return Err(Error::value_error("expected '}' before end of string"));
                    }
                    out.push_str(&self.format_field(&field, &args, &mut auto)?);
                }
                c => out.push(c),
            }
        }
        Ok(out)
    }

    fn format_field(&mut self, field: &str, args: &Args, auto: &mut usize) -> Result<String> {
        let (head, spec) = field.split_once(':').unwrap_or((field, ""));
        let (path, conversion) = match head.split_once('!') {
            Some((p, c)) => (p, c.chars().next()),
            None => (head, None),
        };
        let split = path.find(['.', '[']).unwrap_or(path.len());
        let (first, rest) = path.split_at(split);
        let mut value = if first.is_empty() {
            let v = args.pos.get(*auto).cloned();
            *auto += 1;
            v.ok_or_else(|| {
                Error::new(
                    "IndexError",
                    format!(
                        "Replacement index {} out of range for positional args tuple",
                        *auto - 1
                    ),
                )
            })?
        } else if let Ok(i) = first.parse::<usize>() {
            args.pos.get(i).cloned().ok_or_else(|| {
                Error::new(
                    "IndexError",
                    format!("Replacement index {i} out of range for positional args tuple"),
                )
            })?
        } else {
            args.kw
                .iter()
                .find(|(k, _)| k == first)
                .map(|(_, v)| v.clone())
                .ok_or_else(|| Error::new("KeyError", super::repr::str_repr(first)))?
        };
        let mut rest = rest;
        while !rest.is_empty() {
            if let Some(r) = rest.strip_prefix('.') {
                let end = r.find(['.', '[']).unwrap_or(r.len());
                value = self.get_attr(&value, &r[..end])?;
                rest = &r[end..];
            } else if let Some(r) = rest.strip_prefix('[') {
                let end = r
                    .find(']')
                    .ok_or_else(|| Error::value_error("Missing ']' in format string"))?;
                let key = &r[..end];
                let key = key
                    .parse::<i64>()
                    .map(Value::Int)
                    .unwrap_or_else(|_| Value::str(key));
                value = super::subscript::get_item(&value, &key)?;
                rest = &r[end + 1..];
            } else {
                break;
            }
        }
        let value = match conversion {
            Some('r') | Some('a') => Value::str(repr(&value)),
            Some('s') => Value::str(str(&value)),
            _ => value,
        };
        let spec = if spec.contains('{') {
            self.str_format(
                spec,
                Args {
                    pos: args.pos.clone(),
                    kw: args.kw.clone(),
                },
            )?
        } else {
            spec.to_string()
        };
        super::format::format_value(&value, &spec)
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
            "remove" => {
                args.count("list.remove", 1, 1)?;
                match l.iter().position(|v| equals(v, &args.pos[0])) {
                    Some(i) => {
                        l.remove(i);
                    }
                    None => return Err(Error::value_error("list.remove(x): x not in list")),
                }
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
                        .ok_or_else(|| Error::new("KeyError", repr(&args.pos[0]))),
                }
            }
            "popitem" => match d.borrow_mut().entries.pop() {
                Some((_, (k, v))) => Ok(Value::tuple(vec![k, v])),
                None => Err(Error::new("KeyError", "'popitem(): dictionary is empty'")),
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
            "copy" => Ok(Value::dict(d.borrow().clone())),
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
                    return Err(Error::new("KeyError", repr(&args.pos[0])));
                }
                Ok(Value::None)
            }
            "pop" => {
                let first = set.borrow().ordered().into_iter().next();
                let v = first.ok_or_else(|| Error::new("KeyError", "'pop from an empty set'"))?;
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
        "count" => Ok(Value::Int(
            items.iter().filter(|v| equals(v, needle)).count() as i64,
        )),
        _ => match items.iter().position(|v| equals(v, needle)) {
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

fn title_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev_cased = false;
    for c in s.chars() {
        if prev_cased {
            out.extend(c.to_lowercase());
        } else {
            out.extend(c.to_uppercase());
        }
        prev_cased = c.is_alphabetic();
    }
    out
}

fn split(s: &str, name: &str, args: &Args) -> Result<Value> {
    let sep = str_arg(args, 0, name)?;
    let maxsplit = match args.pos.get(1) {
        Some(Value::Int(i)) if *i >= 0 => Some(*i as usize),
        _ => None,
    };
    let parts: Vec<String> = match (&sep, maxsplit) {
        (Some(sep), _) if sep.is_empty() => return Err(Error::value_error("empty separator")),
        (Some(sep), None) => s.split(sep.as_str()).map(String::from).collect(),
        (Some(sep), Some(n)) if name == "split" => {
            s.splitn(n + 1, sep.as_str()).map(String::from).collect()
        }
        (Some(sep), Some(n)) => {
            let mut v: Vec<String> = s.rsplitn(n + 1, sep.as_str()).map(String::from).collect();
            v.reverse();
            v
        }
        (None, None) => s.split_whitespace().map(String::from).collect(),
        (None, Some(n)) => {
            let words: Vec<&str> = s.split_whitespace().collect();
            if words.len() <= n + 1 {
                words.into_iter().map(String::from).collect()
            } else if name == "split" {
                let mut rest = s.trim_start();
                let mut v = Vec::new();
                for _ in 0..n {
                    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                    v.push(rest[..end].to_string());
                    rest = rest[end..].trim_start();
                }
                v.push(rest.to_string());
                v
            } else {
                let mut rest = s.trim_end();
                let mut v = Vec::new();
                for _ in 0..n {
                    let start = rest.rfind(char::is_whitespace).map_or(0, |i| i + 1);
                    v.push(rest[start..].to_string());
                    rest = rest[..start].trim_end();
                }
                v.push(rest.to_string());
                v.reverse();
                v
            }
        }
    };
    Ok(Value::list(parts.into_iter().map(Value::str).collect()))
}

/// `d.year`, `dt.hour`…: the fields of dates, datetimes and times.
pub fn date_attr(v: &Value, name: &str) -> Option<Value> {
    use chrono::{Datelike, Timelike};
    let date = match v {
        Value::Date(d) => Some(*d),
        Value::DateTime(dt) => Some(dt.date()),
        _ => None,
    };
    let time = match v {
        Value::Time(t) => Some(*t),
        Value::DateTime(dt) => Some(dt.time()),
        _ => None,
    };
    let int = |n: u32| Some(Value::Int(n as i64));
    match name {
        "year" => date.map(|d| Value::Int(d.year() as i64)),
        "month" => date.and_then(|d| int(d.month())),
        "day" => date.and_then(|d| int(d.day())),
        "hour" => time.and_then(|t| int(t.hour())),
        "minute" => time.and_then(|t| int(t.minute())),
        "second" => time.and_then(|t| int(t.second())),
        "microsecond" => time.and_then(|t| int(t.nanosecond() / 1000)),
        _ => None,
    }
}

fn date_method(v: &Value, name: &str, args: &Args) -> Result<Value> {
    use chrono::Datelike;
    let text = |s: String| Ok(Value::str(s));
    match (name, v) {
        ("date", Value::DateTime(dt)) => Ok(Value::Date(dt.date())),
        ("time", Value::DateTime(dt)) => Ok(Value::Time(dt.time())),
        ("weekday", Value::Date(d)) => Ok(Value::Int(d.weekday().num_days_from_monday() as i64)),
        ("weekday", Value::DateTime(dt)) => {
            Ok(Value::Int(dt.weekday().num_days_from_monday() as i64))
        }
        ("isoweekday", Value::Date(d)) => Ok(Value::Int(d.weekday().number_from_monday() as i64)),
        ("isoweekday", Value::DateTime(dt)) => {
            Ok(Value::Int(dt.weekday().number_from_monday() as i64))
        }
        ("isoformat", Value::DateTime(_)) => text(str(v).replacen(' ', "T", 1)),
        ("isoformat", _) => text(str(v)),
        ("strftime", _) => {
            let fmt = match args.pos.first() {
                Some(Value::Str(f)) => f.to_string(),
                _ => return Err(Error::type_error("strftime() argument 1 must be str")),
            };
            text(match v {
                Value::Date(d) => d.format(&fmt).to_string(),
                Value::DateTime(dt) => dt.format(&fmt).to_string(),
                Value::Time(t) => t.format(&fmt).to_string(),
                _ => String::new(),
            })
        }
        (other, _) => Err(Error::new(
            "AttributeError",
            format!("'{}' object has no attribute '{other}'", v.type_name()),
        )),
    }
}
