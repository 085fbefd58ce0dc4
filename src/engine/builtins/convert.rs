//! The builtins that convert and construct: `int()`, `float()`, `range()`,
//! `round()`, `isinstance()`, `len()`, with Python's messages.

use super::*;
use crate::engine::bigint;
use crate::engine::stdlib::Native;

pub fn len(v: &Value) -> Result<usize> {
    Ok(match v {
        Value::Str(s) => s.chars().count(),
        Value::Bytes(b) => b.len(),
        Value::List(l) => l.borrow().len(),
        Value::Tuple(t) => t.len(),
        Value::Dict(d) | Value::DictView(_, d) => d.borrow().entries.len(),
        Value::Set(s) => s.borrow().items.len(),
        Value::Range { .. } => range_len(v),
        // Django's Q is a tree node: its length is its children's number.
        Value::Q(q) => q.len(),
        other => {
            return Err(Error::type_error(format!(
                "object of type '{}' has no len()",
                other.type_name()
            )));
        }
    })
}

pub(super) fn to_int(args: &Args) -> Result<Value> {
    args.count("int", 0, 2)?;
    let Some(v) = args.pos.first() else {
        return Ok(Value::Int(0));
    };
    let base = match args.pos.get(1) {
        Some(b) => {
            let base = int_arg(b)?;
            if base != 0 && !(2..=36).contains(&base) {
                return Err(Error::value_error(
                    "int() base must be >= 2 and <= 36, or 0",
                ));
            }
            if !matches!(v, Value::Str(_)) {
                return Err(Error::type_error(
                    "int() can't convert non-string with explicit base",
                ));
            }
            base as u32
        }
        None => 10,
    };
    match v {
        Value::Int(i) | Value::RegexFlag(i) => Ok(Value::Int(*i)),
        Value::BigInt(_) => Ok(v.clone()),
        Value::Bool(b) => Ok(Value::Int(*b as i64)),
        Value::Float(f) => bigint::float_to_int(*f),
        Value::Decimal(d) => crate::engine::stdlib::decimal::to_int(d),
        Value::Str(s) => {
            let text = s.trim();
            let (sign, unsigned) = match text.strip_prefix('-') {
                Some(rest) => (-1, rest),
                None => (1, text.strip_prefix('+').unwrap_or(text)),
            };
            let (radix, raw) = radix_of(base, unsigned);
            // Underscores only between digits, or right after a prefix.
            let body = match raw.len() < unsigned.len() {
                true => raw.strip_prefix('_').unwrap_or(&raw),
                false => &raw,
            };
            let digits: String = body.chars().filter(|c| *c != '_').collect();
            let valid = !digits.is_empty()
                && !body.starts_with('_')
                && !body.ends_with('_')
                && !body.contains("__")
                && !digits.starts_with(['+', '-'])
                && !(base == 0
                    && radix == 10
                    && digits.len() > 1
                    && digits.starts_with('0')
                    && digits.chars().any(|c| c != '0'));
            if valid && !radix.is_power_of_two() && digits.len() as u64 > bigint::MAX_STR_DIGITS {
                return bigint::parse(&digits, radix, sign < 0)?
                    .ok_or_else(|| Error::value_error("invalid literal for int()"));
            }
            match i64::from_str_radix(&digits, radix) {
                Ok(n) if valid => Ok(Value::Int(sign * n)),
                Err(e) if valid && matches!(e.kind(), std::num::IntErrorKind::PosOverflow) => {
                    bigint::parse(&digits, radix, sign < 0)?.ok_or_else(|| {
                        Error::value_error(format!(
                            "invalid literal for int() with base {base}: {}",
                            str_repr(s)
                        ))
                    })
                }
                _ => Err(Error::value_error(format!(
                    "invalid literal for int() with base {base}: {}",
                    str_repr(s)
                ))),
            }
        }
        other => Err(Error::type_error(format!(
            "int() argument must be a string, a bytes-like object or a real number, not '{}'",
            other.type_name()
        ))),
    }
}

/// The radix and the digits of `int(text, base)`: base 0 reads Python's
/// prefix (`0x`, `0o`, `0b`), and a base may be written with its own prefix.
fn radix_of(base: u32, digits: &str) -> (u32, String) {
    let lower = digits.to_ascii_lowercase();
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if (base == 0 || base == radix)
            && let Some(rest) = lower.strip_prefix(prefix)
        {
            return (radix, rest.to_string());
        }
    }
    (if base == 0 { 10 } else { base }, digits.to_string())
}

pub(super) fn to_float(v: &Value) -> Result<Value> {
    match v {
        Value::Int(i) | Value::RegexFlag(i) => Ok(Value::Float(*i as f64)),
        Value::BigInt(b) => bigint::to_f64(b).map(Value::Float),
        Value::Bool(b) => Ok(Value::Float(*b as i64 as f64)),
        Value::Float(f) => Ok(Value::Float(*f)),
        Value::Decimal(d) => crate::engine::stdlib::decimal::to_float(d),
        Value::Str(s) => {
            let t = s.trim().to_lowercase().replace('_', "");
            let parsed = match t.trim_start_matches(['+', '-']) {
                "inf" | "infinity" => Some(if t.starts_with('-') {
                    f64::NEG_INFINITY
                } else {
                    f64::INFINITY
                }),
                "nan" => Some(f64::NAN),
                _ if t.chars().all(|c| c.is_ascii_digit() || "+-.e".contains(c)) => t.parse().ok(),
                _ => None,
            };
            parsed.map(Value::Float).ok_or_else(|| {
                Error::value_error(format!(
                    "could not convert string to float: {}",
                    str_repr(s)
                ))
            })
        }
        other => Err(Error::type_error(format!(
            "float() argument must be a string or a real number, not '{}'",
            other.type_name()
        ))),
    }
}

pub(super) fn make_range(args: &Args) -> Result<Value> {
    args.count("range", 1, 3)?;
    if args.pos.iter().any(|v| matches!(v, Value::BigInt(_))) {
        return Err(Error::new(
            "NotImplementedError",
            "range() with bounds past 64-bit integers is not supported",
        ));
    }
    let n: Vec<i64> = args.pos.iter().map(int_arg).collect::<Result<_>>()?;
    let (start, stop, step) = match n.as_slice() {
        [stop] => (0, *stop, 1),
        [start, stop] => (*start, *stop, 1),
        [start, stop, step] => (*start, *stop, *step),
        _ => unreachable!("counted"),
    };
    if step == 0 {
        return Err(Error::value_error("range() arg 3 must not be zero"));
    }
    Ok(Value::Range { start, stop, step })
}

pub(super) fn round(args: &Args) -> Result<Value> {
    args.count("round", 1, 2)?;
    let digits = match args.pos.get(1) {
        None | Some(Value::None) => None,
        Some(d) => Some(int_arg(d)?),
    };
    match (&args.pos[0], digits) {
        (Value::Float(f), None) => {
            if !f.is_finite() {
                return Err(Error::new(
                    "OverflowError",
                    "cannot convert float infinity to integer",
                ));
            }
            bigint::float_to_int(f.round_ties_even())
        }
        (Value::Float(f), Some(d)) if d >= 0 => Ok(Value::Float(
            format!("{:.*}", d.min(300) as usize, f)
                .parse()
                .unwrap_or(*f),
        )),
        (Value::Float(f), Some(d)) => {
            let scale = 10f64.powi((-d) as i32);
            Ok(Value::Float((f / scale).round_ties_even() * scale))
        }
        (Value::Int(_) | Value::BigInt(_) | Value::Bool(_) | Value::RegexFlag(_), Some(d))
            if d < 0 =>
        {
            let x = bigint::big(&args.pos[0]).unwrap_or_default();
            Ok(bigint::round(&x, d))
        }
        (Value::Decimal(d), n) => crate::engine::stdlib::decimal::round(d, n),
        (Value::Int(i) | Value::RegexFlag(i), _) => Ok(Value::Int(*i)),
        (Value::BigInt(_), _) => Ok(args.pos[0].clone()),
        (Value::Bool(b), _) => Ok(Value::Int(*b as i64)),
        (other, _) => Err(Error::type_error(format!(
            "type {} doesn't define __round__ method",
            other.type_name()
        ))),
    }
}

/// `isinstance(v, t)`; `models` says whether an object of one model is one
/// of another (a proxy's or a multi-table child's parents).
pub(super) fn is_instance(
    v: &Value,
    t: &Value,
    models: &dyn Fn(crate::schema::ModelId, crate::schema::ModelId) -> bool,
) -> Result<bool> {
    match t {
        Value::Tuple(ts) => {
            for t in ts.iter() {
                if is_instance(v, t, models)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        Value::Model(m) => Ok(matches!(v, Value::Instance(i) if models(i.borrow().model, m.id))),
        Value::Builtin(Builtin::Object) => Ok(true),
        Value::Builtin(b) if b.is_type() => Ok(v.type_name() == b.name()
            || (*b == Builtin::Int && matches!(v, Value::Bool(_) | Value::RegexFlag(_)))),
        Value::Native(n) if n.is_class() => Ok(native_instance(v, *n)),
        Value::UserClass(c) => Ok(match v {
            Value::Object(o) => o.class.derives(c),
            Value::Exception(e) => {
                crate::engine::exceptions::is_subclass(&e.class.name, &c.name, &|_| None)
            }
            _ => false,
        }),
        Value::ExcClass(c) => Ok(matches!(v, Value::Exception(e)
            if crate::engine::exceptions::is_subclass(&e.class.name, &c.name, &|_| None))),
        _ => Err(Error::type_error(
            "isinstance() arg 2 must be a type, a tuple of types, or a union",
        )),
    }
}

/// `isinstance(v, cls)` for a class of ormsh's modules (a datetime is a date).
fn native_instance(v: &Value, class: Native) -> bool {
    use crate::engine::stdlib::datetime::Tz;
    match (class, v) {
        (Native::Date, Value::Date(_) | Value::DateTime(..)) => true,
        (Native::DateTime, Value::DateTime(..)) => true,
        (Native::Time, Value::Time(_)) => true,
        (Native::TimeDelta, Value::TimeDelta(_)) => true,
        (Native::Timezone, Value::TzInfo(Tz::Utc | Tz::Fixed(_) | Tz::Named(..))) => true,
        (Native::ZoneInfo, Value::TzInfo(Tz::Zone(_))) => true,
        (Native::Decimal, Value::Decimal(_)) => true,
        (Native::Uuid, Value::Uuid(_)) => true,
        (
            Native::PathlibPath
            | Native::PathlibPosixPath
            | Native::PathlibPurePath
            | Native::PathlibPurePosixPath,
            Value::Path(_),
        ) => true,
        (Native::RePattern, Value::Pattern(_)) => true,
        (Native::ReRegexFlag, Value::RegexFlag(_)) => true,
        (Native::ReMatchClass, Value::Match(_)) => true,
        (c, Value::Iterator(it)) => it.borrow().kind == c.name(),
        _ => false,
    }
}

/// `issubclass(a, b)`.
pub(super) fn is_subclass(a: &Value, b: &Value) -> Result<bool> {
    if let Value::Tuple(bs) = b {
        for x in bs.iter() {
            if is_subclass(a, x)? {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    let is_class = |v: &Value| match v {
        Value::Builtin(b) => b.is_type(),
        Value::Native(n) => n.is_class(),
        Value::ExcClass(_) | Value::Model(_) | Value::Class(_) | Value::UserClass(_) => true,
        _ => false,
    };
    if !is_class(a) {
        return Err(Error::type_error("issubclass() arg 1 must be a class"));
    }
    if !is_class(b) {
        return Err(Error::type_error(
            "issubclass() arg 2 must be a class, a tuple of classes, or a union",
        ));
    }
    Ok(match (a, b) {
        (Value::ExcClass(x), Value::ExcClass(y)) => {
            crate::engine::exceptions::is_subclass(&x.name, &y.name, &|_| None)
        }
        (Value::Native(x), Value::Native(y)) => {
            x == y || (*x == Native::DateTime && *y == Native::Date)
        }
        (Value::Builtin(x), Value::Builtin(y)) => {
            x == y || (*x == Builtin::Bool && *y == Builtin::Int)
        }
        (Value::Model(x), Value::Model(y)) => x.id == y.id,
        (Value::Class(x), Value::Class(y)) => x == y,
        (Value::UserClass(x), Value::UserClass(y)) => x.derives(y),
        (Value::UserClass(x), Value::ExcClass(y)) => {
            crate::engine::exceptions::is_subclass(&x.name, &y.name, &|_| None)
        }
        _ => false,
    })
}
