//! Equality, ordering, hashing and identity with Python's rules across numbers and containers.

use crate::value::ops::*;

/// `a == b` with Python's rules (numbers compare across int, float and bool).
/// Containers compare item by item, an item being equal to itself first, as
/// `PyObject_RichCompareBool` has it: so `x == [x]` is True for a list that
/// holds itself, and two distinct structures nested past the recursion limit
/// raise RecursionError.
pub fn equals(a: &Value, b: &Value) -> Result<bool> {
    if let (Some(x), Some(y)) = (num(a), num(b)) {
        return Ok(exact_cmp(&x, &y) == Some(Ordering::Equal));
    }
    if matches!(a, Value::List(_) | Value::Tuple(_) | Value::Dict(_)) {
        let _level = crate::limits::Depth::enter(" in comparison")?;
        return container_equals(a, b);
    }
    if let Some(eq) = crate::value::datetime::equals(a, b) {
        return Ok(eq);
    }
    if let (Value::ExcClass(x), Value::ExcClass(y)) = (a, b) {
        return Ok(x.name == y.name);
    }
    if let (Value::Uuid(x), Value::Uuid(y)) = (a, b) {
        return Ok(x == y);
    }
    if let (Value::Path(x), Value::Path(y)) = (a, b) {
        return Ok(x == y);
    }
    Ok(match (a, b) {
        (Value::None, Value::None) => true,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Set(x), Value::Set(y)) => {
            let (x, y) = (x.borrow(), y.borrow());
            x.items.len() == y.items.len() && x.items.keys().all(|k| y.items.contains_key(k))
        }
        // Django: instances are equal when they are of one model and have one
        // primary key; an unsaved instance equals only itself.
        (Value::Instance(x), Value::Instance(y)) => {
            let same = std::rc::Rc::ptr_eq(x, y);
            let (x, y) = (x.borrow(), y.borrow());
            let pk = x.pk();
            same || x.model == y.model && !matches!(pk, Value::None) && equals(&pk, &y.pk())?
        }
        (Value::Decimal(_), _) | (_, Value::Decimal(_))
            if let Some(eq) = crate::value::decimal::equals(a, b) =>
        {
            eq?
        }
        (Value::Bytes(x), Value::Bytes(y)) => x == y,
        (Value::Model(x), Value::Model(y)) => x.id == y.id,
        (Value::Class(x), Value::Class(y)) => x == y,
        (
            Value::Range {
                start: s1,
                step: t1,
                ..
            },
            Value::Range {
                start: s2,
                step: t2,
                ..
            },
        ) => {
            let (n1, n2) = (
                crate::value::builtin::range_len(a),
                crate::value::builtin::range_len(b),
            );
            n1 == n2 && (n1 == 0 || s1 == s2 && (n1 == 1 || t1 == t2))
        }
        _ => a.identity() != 0 && a.identity() == b.identity() && a.type_name() == b.type_name(),
    })
}

pub(super) fn container_equals(a: &Value, b: &Value) -> Result<bool> {
    match (a, b) {
        (Value::List(x), Value::List(y)) => seq_eq(&x.borrow(), &y.borrow()),
        (Value::Tuple(x), Value::Tuple(y)) => seq_eq(x, y),
        (Value::Dict(x), Value::Dict(y)) => {
            let (x, y) = (x.borrow(), y.borrow());
            if x.entries.len() != y.entries.len() {
                return Ok(false);
            }
            for (k, (_, v)) in &x.entries {
                match y.entries.get(k) {
                    Some((_, w)) if item_equals(v, w)? => {}
                    _ => return Ok(false),
                }
            }
            Ok(true)
        }
        _ => Ok(false),
    }
}

/// Equality of two items of containers: the same object is equal to itself.
pub fn item_equals(a: &Value, b: &Value) -> Result<bool> {
    if is(a, b) {
        return Ok(true);
    }
    equals(a, b)
}

pub(super) fn seq_eq(x: &[Value], y: &[Value]) -> Result<bool> {
    if x.len() != y.len() {
        return Ok(false);
    }
    for (a, b) in x.iter().zip(y) {
        if !item_equals(a, b)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Where `needle` first stands in `items`, as `list.index` finds it.
pub fn position_of(items: &[Value], needle: &Value) -> Result<Option<usize>> {
    for (i, v) in items.iter().enumerate() {
        if item_equals(v, needle)? {
            return Ok(Some(i));
        }
    }
    Ok(None)
}

/// Python's `<`-family ordering, or the TypeError it raises.
pub fn compare(a: &Value, b: &Value, op: &str) -> Result<Ordering> {
    if let (Some(x), Some(y)) = (num(a), num(b)) {
        // NaN compares false every way; Equal-but-not-equal is what callers test.
        return Ok(exact_cmp(&x, &y).unwrap_or(Ordering::Equal));
    }
    if let Some(ord) = crate::value::datetime::compare(a, b, op) {
        return ord;
    }
    match (a, b) {
        (Value::Decimal(_), _) | (_, Value::Decimal(_))
            if let Some(ord) = crate::value::decimal::compare(a, b) =>
        {
            ord
        }
        (Value::Str(x), Value::Str(y)) => Ok(x.cmp(y)),
        (Value::List(x), Value::List(y)) => {
            let _level = crate::limits::Depth::enter(" in comparison")?;
            seq_cmp(&x.borrow(), &y.borrow(), op)
        }
        (Value::Tuple(x), Value::Tuple(y)) => {
            let _level = crate::limits::Depth::enter(" in comparison")?;
            seq_cmp(x, y, op)
        }
        _ => Err(Error::type_error(format!(
            "'{op}' not supported between instances of '{}' and '{}'",
            a.type_name(),
            b.type_name()
        ))),
    }
}

pub(super) fn seq_cmp(x: &[Value], y: &[Value], op: &str) -> Result<Ordering> {
    for (a, b) in x.iter().zip(y) {
        if !item_equals(a, b)? {
            return compare(a, b, op);
        }
    }
    Ok(x.len().cmp(&y.len()))
}

pub(super) fn is_nan(v: &Value) -> bool {
    matches!(v, Value::Float(f) if f.is_nan())
}

pub fn compare_op(op: CmpOp, a: &Value, b: &Value) -> Result<bool> {
    Ok(match op {
        CmpOp::Eq => equals(a, b)?,
        CmpOp::NotEq => !equals(a, b)?,
        CmpOp::Is => is(a, b),
        CmpOp::IsNot => !is(a, b),
        CmpOp::In => contains(b, a)?,
        CmpOp::NotIn => !contains(b, a)?,
        CmpOp::Lt | CmpOp::LtE | CmpOp::Gt | CmpOp::GtE => {
            let ord = compare(a, b, op.symbol())?;
            if is_nan(a) || is_nan(b) {
                return Ok(false);
            }
            match op {
                CmpOp::Lt => ord == Ordering::Less,
                CmpOp::LtE => ord != Ordering::Greater,
                CmpOp::Gt => ord == Ordering::Greater,
                _ => ord != Ordering::Less,
            }
        }
    })
}

/// `a is b`: the same object. Singletons and small values compare by value,
/// as CPython's caches make them behave.
/// Python's hash of a number: the value as a fraction modulo 2**61 - 1, so
/// that `hash(2) == hash(2.0) == hash(Decimal('2.00'))`.
pub fn numeric_hash(v: &Value) -> Option<i64> {
    pub(super) const P: u128 = (1 << 61) - 1;
    pub(super) fn pow_mod(mut b: u128, mut e: u128) -> u128 {
        let mut r = 1u128;
        b %= P;
        while e > 0 {
            if e & 1 == 1 {
                r = r * b % P;
            }
            b = b * b % P;
            e >>= 1;
        }
        r
    }
    let finish = |negative: bool, h: u128| {
        let h = h as i64;
        let h = if negative { -h } else { h };
        if h == -1 { -2 } else { h }
    };
    match v {
        Value::Bool(b) => Some(*b as i64),
        Value::Int(i) | Value::RegexFlag(i) => Some(finish(*i < 0, i.unsigned_abs() as u128 % P)),
        Value::Float(f) if f.is_nan() => None,
        Value::Float(f) if f.is_infinite() => Some(if *f > 0.0 { 314_159 } else { -314_159 }),
        Value::Float(f) => {
            let bits = f.to_bits();
            let exp = ((bits >> 52) & 0x7ff) as i64;
            let mut mant = (bits & ((1 << 52) - 1)) as u128;
            if exp != 0 {
                mant |= 1 << 52;
            }
            let e = if exp == 0 { -1074 } else { exp - 1075 };
            // 2**e modulo P: 2**61 is 1, so exponents wrap every 61.
            let shift = e.rem_euclid(61) as u128;
            Some(finish(*f < 0.0, mant % P * pow_mod(2, shift) % P))
        }
        Value::Decimal(d) => crate::value::decimal::hash(d),
        Value::BigInt(b) => Some(crate::value::bigint::hash(b)),
        _ => None,
    }
}

pub fn is(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::None, Value::None) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x), Value::Int(y)) => x == y && (-5..=256).contains(x),
        (Value::Str(x), Value::Str(y)) => std::rc::Rc::ptr_eq(x, y) || x == y && x.len() <= 1,
        // A class is one object however often it is named.
        (Value::Model(x), Value::Model(y)) => x.id == y.id,
        (Value::Builtin(x), Value::Builtin(y)) => x == y,
        (Value::Class(x), Value::Class(y)) => x == y,
        (Value::Native(x), Value::Native(y)) => x == y,
        (Value::ExcClass(x), Value::ExcClass(y)) => x.name == y.name,
        _ => a.identity() != 0 && a.identity() == b.identity() && a.type_name() == b.type_name(),
    }
}

/// `needle in haystack`.
pub fn contains(haystack: &Value, needle: &Value) -> Result<bool> {
    match haystack {
        Value::Str(s) => match needle {
            Value::Str(n) => Ok(s.contains(&**n)),
            other => Err(Error::type_error(format!(
                "'in <string>' requires string as left operand, not {}",
                other.type_name()
            ))),
        },
        Value::List(l) => Ok(position_of(&l.borrow(), needle)?.is_some()),
        Value::Tuple(t) => Ok(position_of(t, needle)?.is_some()),
        Value::Dict(d) => Ok(d.borrow().entries.contains_key(&needle.hash_key()?)),
        Value::Set(s) => s.borrow().contains(needle),
        Value::Range { .. } => Ok(crate::value::builtin::range_contains(haystack, needle)),
        Value::DictView(crate::value::DictViewKind::Keys, d) => {
            Ok(d.borrow().entries.contains_key(&needle.hash_key()?))
        }
        Value::DictView(kind, d) => {
            let d = d.borrow();
            for (k, v) in d.entries.values() {
                let found = match kind {
                    crate::value::DictViewKind::Keys => item_equals(k, needle)?,
                    crate::value::DictViewKind::Values => item_equals(v, needle)?,
                    crate::value::DictViewKind::Items => {
                        equals(&Value::tuple(vec![k.clone(), v.clone()]), needle)?
                    }
                };
                if found {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        Value::Iterator(it) => {
            // Membership consumes an iterator up to the match, as in Python.
            while let Some(v) = crate::value::PyIterator::pull(it) {
                if item_equals(&v?, needle)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        other => Err(Error::type_error(format!(
            "argument of type '{}' is not iterable",
            other.type_name()
        ))),
    }
}
