//! `obj[index]`, `obj[a:b:c]`, item assignment and `del obj[index]`.

use crate::error::{Error, Result};
use crate::value::Value;
use std::rc::Rc;

pub fn slice_value(lower: Value, upper: Value, step: Value) -> Value {
    Value::Slice(Rc::new([lower, upper, step]))
}

/// The positions a slice selects in a sequence of `len` items (Python's
/// `slice.indices`).
pub fn slice_positions(slice: &[Value; 3], len: usize) -> Result<Vec<usize>> {
    let as_int = |v: &Value| -> Result<Option<i64>> {
        match v {
            Value::None => Ok(None),
            Value::Int(i) => Ok(Some(*i)),
            Value::Bool(b) => Ok(Some(*b as i64)),
            // Past 64 bits a bound only clamps.
            Value::BigInt(b) if crate::value::bigint::is_negative(b) => Ok(Some(i64::MIN + 1)),
            Value::BigInt(_) => Ok(Some(i64::MAX)),
            _ => Err(Error::type_error(
                "slice indices must be integers or None or have an __index__ method",
            )),
        }
    };
    let len = len as i64;
    let step = as_int(&slice[2])?.unwrap_or(1);
    if step == 0 {
        return Err(Error::value_error("slice step cannot be zero"));
    }
    let clamp = |v: Option<i64>, default: i64, lo: i64, hi: i64| match v {
        None => default,
        Some(i) if i < 0 => (i + len).max(lo),
        Some(i) => i.min(hi),
    };
    let (start, stop) = if step > 0 {
        (
            clamp(as_int(&slice[0])?, 0, 0, len),
            clamp(as_int(&slice[1])?, len, 0, len),
        )
    } else {
        (
            clamp(as_int(&slice[0])?, len - 1, -1, len - 1),
            clamp(as_int(&slice[1])?, -1, -1, len - 1),
        )
    };
    let mut out = Vec::new();
    let mut i = start;
    while (step > 0 && i < stop) || (step < 0 && i > stop) {
        out.push(i as usize);
        match i.checked_add(step) {
            Some(next) => i = next,
            None => break,
        }
    }
    Ok(out)
}

fn index_of(index: &Value, len: usize, what: &str) -> Result<usize> {
    let i = match index {
        Value::Int(i) => *i,
        Value::Bool(b) => *b as i64,
        Value::BigInt(_) => {
            return Err(Error::new(
                "IndexError",
                "cannot fit 'int' into an index-sized integer",
            ));
        }
        other => {
            return Err(Error::type_error(match what {
                "string" => format!(
                    "string indices must be integers, not '{}'",
                    other.type_name()
                ),
                _ => format!(
                    "{what} indices must be integers or slices, not {}",
                    other.type_name()
                ),
            }));
        }
    };
    let len = len as i64;
    let at = if i < 0 { i + len } else { i };
    if at < 0 || at >= len {
        return Err(Error::new(
            "IndexError",
            format!("{what} index out of range"),
        ));
    }
    Ok(at as usize)
}

/// An index for `l[i] = v` and `del l[i]`, with their own IndexError message.
fn assignment_index(index: &Value, len: usize) -> Result<usize> {
    index_of(index, len, "list").map_err(|e| {
        if e.kind == "IndexError" {
            Error::new("IndexError", "list assignment index out of range")
        } else {
            e
        }
    })
}

pub fn get_item(obj: &Value, index: &Value) -> Result<Value> {
    if let Value::Match(m) = obj {
        return crate::value::re::match_item(m, index);
    }
    if let Value::NamedRow(row) = obj {
        return get_item(&Value::tuple(row.1.clone()), index);
    }
    // bytes index as ints, slice as bytes.
    if let Value::Bytes(b) = obj {
        let ints = Value::tuple(b.iter().map(|x| Value::Int(*x as i64)).collect());
        return match get_item(&ints, index) {
            Ok(Value::Tuple(t)) => Ok(Value::Bytes(
                t.iter()
                    .map(|v| if let Value::Int(i) = v { *i as u8 } else { 0 })
                    .collect::<Vec<u8>>()
                    .into(),
            )),
            Err(e) if e.kind == "IndexError" => Err(Error::new("IndexError", "index out of range")),
            other => other,
        };
    }
    match (obj, index) {
        (Value::List(l), Value::Slice(s)) => {
            let l = l.borrow();
            Ok(Value::list(
                slice_positions(s, l.len())?
                    .into_iter()
                    .map(|i| l[i].clone())
                    .collect(),
            ))
        }
        (Value::List(l), _) => {
            let l = l.borrow();
            Ok(l[index_of(index, l.len(), "list")?].clone())
        }
        (Value::Tuple(t), Value::Slice(s)) => Ok(Value::tuple(
            slice_positions(s, t.len())?
                .into_iter()
                .map(|i| t[i].clone())
                .collect(),
        )),
        (Value::Tuple(t), _) => Ok(t[index_of(index, t.len(), "tuple")?].clone()),
        (Value::Str(text), _) => {
            let chars: Vec<char> = text.chars().collect();
            match index {
                Value::Slice(s) => Ok(Value::str(
                    slice_positions(s, chars.len())?
                        .into_iter()
                        .map(|i| chars[i])
                        .collect::<String>(),
                )),
                _ => Ok(Value::str(
                    chars[index_of(index, chars.len(), "string")?].to_string(),
                )),
            }
        }
        (Value::Dict(d), _) => d
            .borrow()
            .get(index)?
            .ok_or_else(|| crate::value::exceptions::key_error(index)),
        (Value::Range { .. }, Value::Slice(_)) => Err(Error::new(
            "NotImplementedError",
            "slicing a range is not supported in ormsh; use list(range(...))[a:b]",
        )),
        (Value::Range { start, step, .. }, _) => {
            let i = index_of(index, crate::value::builtin::range_len(obj), "range object")?;
            Ok(Value::Int(start + step * i as i64))
        }
        (other, _) => Err(Error::type_error(format!(
            "'{}' object is not subscriptable",
            other.type_name()
        ))),
    }
}

fn read_only(d: &std::cell::RefCell<crate::value::Dict>) -> bool {
    matches!(d.borrow().kind, crate::value::DictKind::MappingProxy)
}

/// A KeyError's message is the repr of the missing key.
pub fn set_item(obj: &Value, index: &Value, value: Value) -> Result<()> {
    match obj {
        Value::List(l) => {
            if let Value::Slice(s) = index {
                return set_slice(&mut l.borrow_mut(), s, value);
            }
            let mut l = l.borrow_mut();
            let at = assignment_index(index, l.len())?;
            l[at] = value;
            Ok(())
        }
        Value::Dict(d) if !read_only(d) => d.borrow_mut().insert(index.clone(), value),
        other => Err(Error::type_error(format!(
            "'{}' object does not support item assignment",
            other.type_name()
        ))),
    }
}

fn set_slice(list: &mut Vec<Value>, s: &[Value; 3], value: Value) -> Result<()> {
    let items: Vec<Value> = match value {
        Value::List(l) => l.borrow().clone(),
        Value::Tuple(t) => t.to_vec(),
        _ => return Err(Error::type_error("can only assign an iterable")),
    };
    let positions = slice_positions(s, list.len())?;
    if matches!(s[2], Value::None | Value::Int(1)) {
        let start = positions.first().copied().unwrap_or_else(|| match &s[0] {
            Value::Int(i) if *i < 0 => (*i + list.len() as i64).max(0) as usize,
            Value::Int(i) => (*i as usize).min(list.len()),
            _ => 0,
        });
        list.splice(start..start + positions.len(), items);
        return Ok(());
    }
    if positions.len() != items.len() {
        return Err(Error::value_error(format!(
            "attempt to assign sequence of size {} to extended slice of size {}",
            items.len(),
            positions.len()
        )));
    }
    for (p, v) in positions.into_iter().zip(items) {
        list[p] = v;
    }
    Ok(())
}

pub fn del_item(obj: &Value, index: &Value) -> Result<()> {
    match obj {
        Value::List(l) => {
            let mut l = l.borrow_mut();
            if let Value::Slice(s) = index {
                let mut positions = slice_positions(s, l.len())?;
                positions.sort_unstable();
                for p in positions.into_iter().rev() {
                    l.remove(p);
                }
                return Ok(());
            }
            let at = assignment_index(index, l.len())?;
            l.remove(at);
            Ok(())
        }
        Value::Dict(d) if !read_only(d) => {
            let key = index.hash_key()?;
            match d.borrow_mut().entries.shift_remove(&key) {
                Some(_) => Ok(()),
                None => Err(crate::value::exceptions::key_error(index)),
            }
        }
        // The one type whose message CPython words out.
        Value::Dict(_) => Err(Error::type_error(
            "'mappingproxy' object does not support item deletion",
        )),
        other => Err(Error::type_error(format!(
            "'{}' object doesn't support item deletion",
            other.type_name()
        ))),
    }
}
