//! Python's operators on plain values: arithmetic, comparison, containment.
//!
//! Integers are 64-bit: where Python would grow a big integer, ormsh raises
//! `OverflowError` instead of wrapping.

use crate::error::{Error, Result};
use crate::syntax::ast::{BinOp, CmpOp, UnaryOp};
use crate::value::format::percent_format;
use crate::value::{Set, Value};
use num_bigint::BigInt;
use std::cmp::Ordering;

mod compare;
pub use compare::*;

pub(super) use crate::value::unsupported;

/// Numbers as Python widens them: bool to int, int to float.
enum Num {
    I(i64),
    B(BigInt),
    F(f64),
}

fn num(v: &Value) -> Option<Num> {
    match v {
        Value::Bool(b) => Some(Num::I(*b as i64)),
        Value::Int(i) | Value::RegexFlag(i) => Some(Num::I(*i)),
        Value::BigInt(b) => Some(Num::B((**b).clone())),
        Value::Float(f) => Some(Num::F(*f)),
        _ => None,
    }
}

/// An int operand as a big one.
fn big(n: &Num) -> BigInt {
    match n {
        Num::I(i) => BigInt::from(*i),
        Num::B(b) => b.clone(),
        Num::F(_) => BigInt::default(),
    }
}

/// Ints whose floats are exact: the fast path of mixed comparisons.
const EXACT_IN_FLOAT: u64 = 1 << 53;

/// The exact numeric order, as Python compares int with float (`2**53 + 1
/// > 2.0**53`); `None` for a NaN.
fn exact_cmp(x: &Num, y: &Num) -> Option<Ordering> {
    match (x, y) {
        (Num::I(x), Num::I(y)) => Some(x.cmp(y)),
        (Num::F(x), Num::F(y)) => x.partial_cmp(y),
        (Num::I(i), Num::F(f)) if i.unsigned_abs() <= EXACT_IN_FLOAT => (*i as f64).partial_cmp(f),
        (Num::F(f), Num::I(i)) if i.unsigned_abs() <= EXACT_IN_FLOAT => f.partial_cmp(&(*i as f64)),
        (x, Num::F(f)) => crate::value::bigint::compare_float(&big(x), *f),
        (Num::F(f), y) => crate::value::bigint::compare_float(&big(y), *f).map(Ordering::reverse),
        (x, y) => Some(big(x).cmp(&big(y))),
    }
}

pub fn binary(op: BinOp, a: &Value, b: &Value) -> Result<Value> {
    if let (Value::Q(x), Value::Q(y), BinOp::BitOr | BinOp::BitAnd) = (a, b, op) {
        let conn = if op == BinOp::BitOr {
            crate::value::expr::Connector::Or
        } else {
            crate::value::expr::Connector::And
        };
        return Ok(Value::Q(std::rc::Rc::new(
            crate::value::expr::QValue::combine(x, y, conn),
        )));
    }
    if let Some(e) = crate::value::expr::combine_arithmetic(op, a, b) {
        return Ok(e);
    }
    if let Some(r) = crate::value::datetime::binary(op, a, b) {
        return r;
    }
    if (matches!(a, Value::Decimal(_)) || matches!(b, Value::Decimal(_)))
        && !matches!(a, Value::Str(_))
    {
        return crate::value::decimal::binary(op, a, b);
    }
    if let Some(joined) = path_op(op, a, b) {
        return Ok(joined);
    }
    if let Some(flags) = crate::value::re::flag_op(op, a, b) {
        return Ok(flags);
    }
    if let (Some(x), Some(y)) = (num(a), num(b)) {
        if matches!(op, BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor)
            && let (Value::Bool(p), Value::Bool(q)) = (a, b)
        {
            return Ok(Value::Bool(match op {
                BinOp::BitAnd => p & q,
                BinOp::BitOr => p | q,
                _ => p ^ q,
            }));
        }
        return match (x, y) {
            (Num::I(x), Num::I(y)) => int_op(op, x, y, a, b),
            (x @ Num::F(_), y) | (x, y @ Num::F(_)) => float_op(op, to_f(&x)?, to_f(&y)?, a, b),
            (x, y) => crate::value::bigint::binary(op, &big(&x), &big(&y)),
        };
    }
    sequence_op(op, a, b)
}

/// `path / 'part'` and `'dir' / path`: pathlib's joins.
fn path_op(op: BinOp, a: &Value, b: &Value) -> Option<Value> {
    use crate::value::path::{join, value};
    match (op, a, b) {
        (BinOp::Div, Value::Path(x), Value::Str(y) | Value::Path(y)) => Some(value(&join(x, y))),
        (BinOp::Div, Value::Str(x), Value::Path(y)) => Some(value(&join(x, y))),
        _ => None,
    }
}

/// Binary operators on sequences, sets and dicts: concatenation, repetition, `%` formatting, set algebra, dict merge.
fn sequence_op(op: BinOp, a: &Value, b: &Value) -> Result<Value> {
    match (op, a, b) {
        (BinOp::Add, Value::Str(x), Value::Str(y)) => {
            crate::limits::reserve(x.len() + y.len())?;
            Ok(Value::str(format!("{x}{y}")))
        }
        (BinOp::Add, Value::Str(_), _) => Err(Error::type_error(format!(
            "can only concatenate str (not \"{}\") to str",
            b.type_name()
        ))),
        (BinOp::Add, Value::Bytes(x), Value::Bytes(y)) => {
            crate::limits::reserve(x.len() + y.len())?;
            Ok(Value::Bytes([&x[..], &y[..]].concat().into()))
        }
        (BinOp::Add, Value::List(x), Value::List(y)) => {
            let len = x.borrow().len() + y.borrow().len();
            crate::limits::reserve_items(len, std::mem::size_of::<Value>())?;
            let mut items = x.borrow().clone();
            items.extend(y.borrow().iter().cloned());
            Ok(Value::list(items))
        }
        (BinOp::Add, Value::List(_), _) => Err(Error::type_error(format!(
            "can only concatenate list (not \"{}\") to list",
            b.type_name()
        ))),
        (BinOp::Add, Value::Tuple(x), Value::Tuple(y)) => {
            Ok(Value::tuple(x.iter().chain(y.iter()).cloned().collect()))
        }
        (BinOp::Add, Value::Tuple(_), _) => Err(Error::type_error(format!(
            "can only concatenate tuple (not \"{}\") to tuple",
            b.type_name()
        ))),
        (BinOp::Mul, Value::Str(_) | Value::List(_) | Value::Tuple(_), Value::BigInt(_))
        | (BinOp::Mul, Value::BigInt(_), Value::Str(_) | Value::List(_) | Value::Tuple(_)) => {
            Err(Error::new(
                "OverflowError",
                "cannot fit 'int' into an index-sized integer",
            ))
        }
        (
            BinOp::Mul,
            Value::Str(_) | Value::List(_) | Value::Tuple(_),
            Value::Int(_) | Value::Bool(_),
        ) => repeat(a, b),
        (
            BinOp::Mul,
            Value::Int(_) | Value::Bool(_),
            Value::Str(_) | Value::List(_) | Value::Tuple(_),
        ) => repeat(b, a),
        (BinOp::Mod, Value::Str(t), _) => Ok(Value::str(percent_format(t, b)?)),
        (
            BinOp::BitOr | BinOp::BitAnd | BinOp::Sub | BinOp::BitXor,
            Value::Set(x),
            Value::Set(y),
        ) => set_op(op, &x.borrow(), &y.borrow()),
        (BinOp::BitOr, Value::Dict(x), Value::Dict(y)) => {
            let mut merged = x.borrow().clone();
            for (k, v) in y.borrow().entries.values() {
                merged.insert(k.clone(), v.clone())?;
            }
            Ok(Value::dict(merged))
        }
        _ => Err(unsupported(op, a, b)),
    }
}

fn to_f(n: &Num) -> Result<f64> {
    match n {
        Num::I(i) => Ok(*i as f64),
        Num::B(b) => crate::value::bigint::to_f64(b),
        Num::F(f) => Ok(*f),
    }
}

fn int_op(op: BinOp, x: i64, y: i64, a: &Value, b: &Value) -> Result<Value> {
    let zero = |msg: &str| Err(Error::new("ZeroDivisionError", msg));
    let v = match op {
        BinOp::Add => x.checked_add(y),
        BinOp::Sub => x.checked_sub(y),
        BinOp::Mul => x.checked_mul(y),
        BinOp::Div => {
            if y == 0 {
                return zero("division by zero");
            }
            if x.unsigned_abs() > EXACT_IN_FLOAT || y.unsigned_abs() > EXACT_IN_FLOAT {
                // Correctly rounded, as Python divides: not two roundings.
                return crate::value::bigint::true_div(&x.into(), &y.into()).map(Value::Float);
            }
            return Ok(Value::Float(x as f64 / y as f64));
        }
        BinOp::FloorDiv => {
            if y == 0 {
                return zero("integer division or modulo by zero");
            }
            floor_div(x, y)
        }
        BinOp::Mod => {
            if y == 0 {
                return zero("integer modulo by zero");
            }
            x.checked_rem(y).map(|r| {
                if r != 0 && (r < 0) != (y < 0) {
                    r + y
                } else {
                    r
                }
            })
        }
        BinOp::Pow => {
            if y < 0 {
                if x == 0 {
                    return zero("0.0 cannot be raised to a negative power");
                }
                return Ok(Value::Float((x as f64).powf(y as f64)));
            }
            u32::try_from(y).ok().and_then(|e| x.checked_pow(e))
        }
        BinOp::LShift => {
            if y < 0 {
                return Err(Error::value_error("negative shift count"));
            }
            u32::try_from(y)
                .ok()
                .and_then(|s| x.checked_shl(s))
                .filter(|r| r >> y.min(63) == x)
        }
        BinOp::RShift => {
            if y < 0 {
                return Err(Error::value_error("negative shift count"));
            }
            Some(x >> y.min(63))
        }
        BinOp::BitAnd => Some(x & y),
        BinOp::BitOr => Some(x | y),
        BinOp::BitXor => Some(x ^ y),
        BinOp::MatMul => return Err(unsupported(op, a, b)),
    };
    match v {
        Some(i) => Ok(Value::Int(i)),
        // Past 64 bits, Python's ints go on.
        None => crate::value::bigint::binary(op, &x.into(), &y.into()),
    }
}

/// Python's floor division, which rounds toward negative infinity.
pub fn floor_div(x: i64, y: i64) -> Option<i64> {
    let q = x.checked_div(y)?;
    Some(if x % y != 0 && ((x < 0) != (y < 0)) {
        q - 1
    } else {
        q
    })
}

fn float_op(op: BinOp, x: f64, y: f64, a: &Value, b: &Value) -> Result<Value> {
    let zero = |msg: &str| Err(Error::new("ZeroDivisionError", msg));
    let v = match op {
        BinOp::Add => x + y,
        BinOp::Sub => x - y,
        BinOp::Mul => x * y,
        BinOp::Div => {
            if y == 0.0 {
                return zero("float division by zero");
            }
            x / y
        }
        BinOp::FloorDiv => {
            if y == 0.0 {
                return zero("float floor division by zero");
            }
            float_divmod(x, y).0
        }
        BinOp::Mod => {
            if y == 0.0 {
                return zero("float modulo");
            }
            float_divmod(x, y).1
        }
        BinOp::Pow => {
            if x == 0.0 && y < 0.0 {
                return zero("0.0 cannot be raised to a negative power");
            }
            let r = x.powf(y);
            if r.is_infinite() && x.is_finite() && y.is_finite() {
                return Err(Error::new(
                    "OverflowError",
                    "(34, 'Numerical result out of range')",
                ));
            }
            r
        }
        _ => return Err(unsupported(op, a, b)),
    };
    Ok(Value::Float(v))
}

/// CPython's float divmod: the remainder takes the sign of the divisor.
pub fn float_divmod(x: f64, y: f64) -> (f64, f64) {
    let mut m = x % y;
    let mut div = (x - m) / y;
    if m != 0.0 {
        if (y < 0.0) != (m < 0.0) {
            m += y;
            div -= 1.0;
        }
    } else {
        m = 0.0f64.copysign(y);
    }
    let floordiv = if div != 0.0 {
        let f = div.floor();
        if div - f > 0.5 { f + 1.0 } else { f }
    } else {
        0.0f64.copysign(x / y)
    };
    (floordiv, m)
}

fn repeat(seq: &Value, n: &Value) -> Result<Value> {
    let n = match n {
        Value::Int(i) => (*i).max(0) as usize,
        Value::Bool(b) => *b as usize,
        _ => 0,
    };
    let len = match seq {
        Value::Str(s) => s.len(),
        Value::List(l) => l.borrow().len(),
        Value::Tuple(t) => t.len(),
        _ => 0,
    };
    let item_size = match seq {
        Value::Str(_) => 1,
        _ => std::mem::size_of::<Value>(),
    };
    crate::limits::reserve_items(len.saturating_mul(n), item_size)?;
    Ok(match seq {
        Value::Str(s) => Value::str(s.repeat(n)),
        Value::List(l) => Value::list(l.borrow().iter().cloned().cycle().take(len * n).collect()),
        Value::Tuple(t) => Value::tuple(t.iter().cloned().cycle().take(len * n).collect()),
        _ => unreachable!("repeat is called on sequences only"),
    })
}

fn set_op(op: BinOp, x: &Set, y: &Set) -> Result<Value> {
    let mut out = Set::default();
    match op {
        BinOp::BitOr => {
            out = x.clone();
            for v in y.items.values() {
                out.insert(v.clone())?;
            }
        }
        BinOp::BitAnd => {
            for v in x.items.values().filter(|v| y.contains(v).unwrap_or(false)) {
                out.insert(v.clone())?;
            }
        }
        BinOp::Sub => {
            for v in x.items.values().filter(|v| !y.contains(v).unwrap_or(false)) {
                out.insert(v.clone())?;
            }
        }
        _ => {
            for v in x.items.values().filter(|v| !y.contains(v).unwrap_or(false)) {
                out.insert(v.clone())?;
            }
            for v in y.items.values().filter(|v| !x.contains(v).unwrap_or(false)) {
                out.insert(v.clone())?;
            }
        }
    }
    Ok(Value::set(out))
}

pub fn unary(op: UnaryOp, v: &Value) -> Result<Value> {
    let bad = |sym: &str| {
        Error::type_error(format!(
            "bad operand type for unary {sym}: '{}'",
            v.type_name()
        ))
    };
    match (op, v) {
        (UnaryOp::Not, _) => Ok(Value::Bool(!v.truthy())),
        (UnaryOp::Neg, Value::Int(i)) => Ok(i.checked_neg().map_or_else(
            || crate::value::bigint::negate(&BigInt::from(*i)),
            Value::Int,
        )),
        (UnaryOp::Neg, Value::BigInt(b)) => Ok(crate::value::bigint::negate(b)),
        (UnaryOp::Pos, Value::BigInt(_)) => Ok(v.clone()),
        (UnaryOp::Invert, Value::BigInt(b)) => Ok(crate::value::bigint::invert(b)),
        (UnaryOp::Neg, Value::Bool(b)) => Ok(Value::Int(-(*b as i64))),
        (UnaryOp::Neg, Value::Float(f)) => Ok(Value::Float(-f)),
        (UnaryOp::Neg, Value::Decimal(d)) => crate::value::decimal::negate(d),
        (UnaryOp::Pos, Value::Decimal(d)) => crate::value::decimal::plus(d),
        (UnaryOp::Pos, Value::Int(_) | Value::Float(_)) => Ok(v.clone()),
        (UnaryOp::Pos, Value::Bool(b)) => Ok(Value::Int(*b as i64)),
        (UnaryOp::Neg, Value::TimeDelta(t)) => crate::value::datetime::negate(t),
        (UnaryOp::Pos, Value::TimeDelta(_)) => Ok(v.clone()),
        (UnaryOp::Invert, Value::Int(i)) => Ok(Value::Int(!i)),
        (UnaryOp::Invert, Value::RegexFlag(i)) => Ok(crate::value::re::invert_flags(*i)),
        (UnaryOp::Neg, Value::RegexFlag(i)) => Ok(Value::Int(-i)),
        (UnaryOp::Pos, Value::RegexFlag(i)) => Ok(Value::Int(*i)),
        (UnaryOp::Invert, Value::Q(q)) => Ok(Value::Q(std::rc::Rc::new(q.negate()))),
        (UnaryOp::Invert, Value::Bool(b)) => Ok(Value::Int(!(*b as i64))),
        (UnaryOp::Neg, _) => Err(bad("-")),
        (UnaryOp::Pos, _) => Err(bad("+")),
        (UnaryOp::Invert, _) => Err(bad("~")),
    }
}
