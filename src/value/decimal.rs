//! `decimal.Decimal` in the engine: construction, operators, methods and
//! hashing, over `crate::python_decimal` in Python's default context
//! (28 significant digits, ROUND_HALF_EVEN, the usual traps).

use crate::error::{Error, Result};
use crate::python_decimal::{Context, Decimal, Rounding, Signal};
use crate::syntax::ast::BinOp;
use crate::value::Args;
use crate::value::{HashKey, Value};
use std::cmp::Ordering;
use std::rc::Rc;

mod context;
mod methods;
pub use context::*;
pub use methods::*;

thread_local! {
    /// `decimal.getcontext()`: the session's context, which `prec`,
    /// `rounding` and `localcontext()` change and operations flag.
    static CURRENT: std::cell::RefCell<Context> = const { std::cell::RefCell::new(Context::python()) };
}

/// A copy of the session's context for one operation; its flags are
/// merged back by `value`.
fn current() -> Context {
    CURRENT.with(|c| {
        let c = c.borrow();
        Context {
            flags: std::cell::Cell::new(0),
            ..c.clone()
        }
    })
}

/// Records an operation's conditions in the session's context.
fn record(conditions: u16) {
    CURRENT.with(|c| c.borrow().raise(conditions));
}

/// The session's context as it is (for `with localcontext()`).
pub fn saved_context() -> Context {
    CURRENT.with(|c| c.borrow().clone())
}

pub fn restore_context(saved: Context) {
    CURRENT.with(|c| *c.borrow_mut() = saved);
}

/// The rounding names, which are also their values (`ROUND_HALF_UP`).
pub const ROUNDINGS: &[&str] = &[
    "ROUND_HALF_EVEN",
    "ROUND_HALF_UP",
    "ROUND_HALF_DOWN",
    "ROUND_UP",
    "ROUND_DOWN",
    "ROUND_CEILING",
    "ROUND_FLOOR",
    "ROUND_05UP",
];

pub fn constant(name: &str) -> Option<Value> {
    ROUNDINGS
        .iter()
        .find(|r| **r == name)
        .map(|r| Value::str(*r))
}

/// A trapped condition as Python raises it.
pub fn signal(s: Signal) -> Error {
    Error::new(s.class(), s.message())
}

/// An operation's result in the session's context: its flags recorded, a
/// trapped condition raised.
fn value(ctx: &Context, outcome: std::result::Result<Decimal, Signal>) -> Result<Value> {
    record(ctx.flags.get());
    outcome.map(Value::decimal).map_err(|s| {
        record(s.conditions());
        signal(s)
    })
}

/// A Decimal operand: Decimals, ints and bools (never floats, as in Python).
pub fn operand(v: &Value) -> Option<Decimal> {
    match v {
        Value::Decimal(d) => Some((**d).clone()),
        Value::Int(i) | Value::RegexFlag(i) => Some(Decimal::from_i64(*i)),
        Value::Bool(b) => Some(Decimal::from_i64(*b as i64)),
        Value::BigInt(b) => Some(crate::value::bigint::to_decimal(b)),
        _ => None,
    }
}

/// `Decimal(value='0', context=None)`: exact, whatever the context.
pub fn construct(mut args: Args) -> Result<Value> {
    let value = args.take_kw("value");
    args.take_kw("context");
    args.no_kw("Decimal")?;
    args.count("Decimal", 0, 2)?;
    let v = args.pos.first().cloned().or(value).unwrap_or(Value::Int(0));
    if let Value::Decimal(_) = v {
        return Ok(v);
    }
    Ok(Value::decimal(from_value(&v)?))
}

fn from_value(v: &Value) -> Result<Decimal> {
    Ok(match v {
        Value::Str(s) => Decimal::parse(s).map_err(|s| {
            record(s.conditions());
            signal(s)
        })?,
        Value::Float(f) => {
            record(crate::python_decimal::condition::FLOAT_OPERATION);
            Decimal::from_f64(*f)
        }
        Value::Tuple(_) | Value::List(_) => from_tuple(v)?,
        other => operand(other).ok_or_else(|| {
            Error::type_error(format!(
                "conversion from {} to Decimal is not supported",
                other.type_name()
            ))
        })?,
    })
}

/// `Decimal.from_float(f)`: a float's exact value, or an int's (an
/// explicit conversion, which raises no FloatOperation).
pub fn from_float(v: &Value) -> Result<Value> {
    match v {
        Value::Float(f) => Ok(Value::decimal(Decimal::from_f64(*f))),
        Value::Int(_) | Value::Bool(_) | Value::BigInt(_) => from_value(v).map(Value::decimal),
        other => Err(Error::type_error(format!(
            "argument must be int or float, not {}",
            other.type_name()
        ))),
    }
}

fn items(v: &Value) -> Option<Vec<Value>> {
    match v {
        Value::Tuple(t) => Some(t.to_vec()),
        Value::List(l) => Some(l.borrow().clone()),
        _ => None,
    }
}

/// `Decimal((sign, (digits…), exponent))`, exponent `'F'` for Infinity,
/// `'n'`/`'N'` for the NaNs.
fn from_tuple(v: &Value) -> Result<Decimal> {
    let parts = items(v).unwrap_or_default();
    let [sign, digits, exponent] = parts.as_slice() else {
        return Err(Error::value_error(
            "argument must be a sequence of length 3",
        ));
    };
    let negative = match sign {
        Value::Int(0) => false,
        Value::Int(1) => true,
        _ => {
            return Err(Error::value_error(
                "sign must be an integer with the value 0 or 1",
            ));
        }
    };
    let coefficient_error = || Error::value_error("coefficient must be a tuple of digits");
    let mut text = String::new();
    for d in items(digits).ok_or_else(coefficient_error)? {
        match d {
            Value::Int(n @ 0..=9) => text.push_str(&n.to_string()),
            _ => return Err(coefficient_error()),
        }
    }
    let sign = if negative { "-" } else { "" };
    let text = match exponent {
        Value::Int(e) => format!("{sign}{}E{e}", if text.is_empty() { "0" } else { &text }),
        Value::Str(s) if &**s == "F" => format!("{sign}Infinity"),
        Value::Str(s) if &**s == "n" => format!("{sign}NaN{text}"),
        Value::Str(s) if &**s == "N" => format!("{sign}sNaN{text}"),
        _ => {
            return Err(Error::value_error(
                "string argument in the third position must be 'F', 'n' or 'N'",
            ));
        }
    };
    Decimal::parse(&text).map_err(signal)
}

/// `x op y` where one side is a Decimal (a str on the left is `%`
/// formatting, not arithmetic).
pub fn binary(op: BinOp, a: &Value, b: &Value) -> Result<Value> {
    let unsupported = || crate::value::unsupported(op, a, b);
    let (Some(x), Some(y)) = (operand(a), operand(b)) else {
        return Err(unsupported());
    };
    let c = &current();
    match op {
        BinOp::Add => value(c, x.add(&y, c)),
        BinOp::Sub => value(c, x.sub(&y, c)),
        BinOp::Mul => value(c, x.mul(&y, c)),
        BinOp::Div => value(c, x.div(&y, c)),
        BinOp::FloorDiv => value(c, x.floor_div(&y, c)),
        BinOp::Mod => value(c, x.rem(&y, c)),
        BinOp::Pow => power(&x, &y),
        _ => Err(unsupported()),
    }
}

/// `x ** y` for an integral `y`; other powers need Python's correctly
/// rounded exp and ln, which ormsh does not compute.
fn power(x: &Decimal, y: &Decimal) -> Result<Value> {
    let c = &current();
    if y.is_nan() || x.is_nan() {
        return value(c, x.add(y, c));
    }
    let integral = y
        .to_integral(Rounding::Down)
        .ok()
        .filter(|i| i.numeric_eq(y));
    let n = integral.as_ref().map(|i| {
        // Past an i64 the power is an overflow, a zero or one either way;
        // only the exponent's sign and parity still matter.
        if i.adjusted() >= 18 {
            let odd = i.exponent() == 0 && i.coefficient().bit(0);
            return match (i.is_signed(), odd) {
                (false, true) => i64::MAX,
                (false, false) => i64::MAX - 1,
                (true, true) => i64::MIN + 1,
                (true, false) => i64::MIN + 2,
            };
        }
        let (negative, m) = i.trunc().unwrap_or_default();
        let m = i64::try_from(m).unwrap_or(i64::MAX);
        if negative { -m } else { m }
    });
    match n {
        Some(n) => value(c, x.pow_int(n, c)),
        None if y.is_infinite() => Err(Error::new(
            "NotImplementedError",
            "a Decimal power with an infinite exponent is not supported",
        )),
        None => Err(Error::new(
            "NotImplementedError",
            format!(
                "Decimal ** Decimal('{}'): powers that are not whole numbers are not supported yet",
                y.to_sci_string()
            ),
        )),
    }
}

/// `divmod(x, y)` with a Decimal operand.
pub fn divmod(a: &Value, b: &Value) -> Result<Value> {
    let (Some(x), Some(y)) = (operand(a), operand(b)) else {
        return Err(Error::type_error(format!(
            "unsupported operand type(s) for divmod(): '{}' and '{}'",
            a.type_name(),
            b.type_name()
        )));
    };
    let c = &current();
    record(c.flags.get());
    let (q, r) = x.divmod(&y, c).map_err(|s| {
        record(c.flags.get() | s.conditions());
        signal(s)
    })?;
    record(c.flags.get());
    Ok(Value::tuple(vec![Value::decimal(q), Value::decimal(r)]))
}

pub fn negate(d: &Decimal) -> Result<Value> {
    let c = &current();
    value(c, d.neg(c))
}

pub fn plus(d: &Decimal) -> Result<Value> {
    let c = &current();
    value(c, d.plus(c))
}

pub fn abs(d: &Decimal) -> Result<Value> {
    let c = &current();
    value(c, d.abs(c))
}

/// A Decimal against another number; floats are compared exactly, which
/// Python records as a FloatOperation.
fn comparable(v: &Value) -> Option<Decimal> {
    match v {
        Value::Float(f) => {
            record(crate::python_decimal::condition::FLOAT_OPERATION);
            Some(Decimal::from_f64(*f))
        }
        other => operand(other),
    }
}

/// `==` between a Decimal and a number (a signaling NaN is Python's
/// InvalidOperation); `None` when `b` is no number.
pub fn equals(a: &Value, b: &Value) -> Option<Result<bool>> {
    let (x, y) = (comparable(a)?, comparable(b)?);
    if x.is_snan() || y.is_snan() {
        record(Signal::InvalidOperation.conditions());
        return Some(Err(signal(Signal::InvalidOperation)));
    }
    Some(Ok(x.numeric_eq(&y)))
}

/// `<` and friends between a Decimal and a number: a NaN is Python's
/// InvalidOperation; `None` when `b` is no number.
pub fn compare(a: &Value, b: &Value) -> Option<Result<Ordering>> {
    let (x, y) = (comparable(a)?, comparable(b)?);
    Some(x.compare(&y).ok_or_else(|| {
        record(Signal::InvalidOperation.conditions());
        signal(Signal::InvalidOperation)
    }))
}

/// The dict key of a Decimal: an equal int's or float's key when there is
/// one (`{Decimal('1.0'), 1}` has one element), else its reduced digits,
/// which an equal big int shares. Nothing here grows with the exponent.
pub fn hash_key(d: &Rc<Decimal>) -> Result<HashKey> {
    match d.hash() {
        Err(message) => return Err(Error::type_error(message)),
        // Python hashes a NaN by its identity.
        Ok(None) => {
            return Ok(HashKey::Other(
                format!("Decimal NaN {:p}", Rc::as_ptr(d)).into(),
            ));
        }
        Ok(Some(_)) => {}
    }
    if d.is_zero() {
        return Ok(HashKey::Int(0));
    }
    let f = d.to_f64();
    if d.is_infinite() {
        return Ok(HashKey::Float(f.to_bits()));
    }
    let (negative, coeff, exp) = d.reduced();
    if (0..19).contains(&exp)
        && let Some((_, m)) = d.trunc()
        && let Ok(i) = i64::try_from(m)
    {
        return Ok(HashKey::Int(if negative { -i } else { i }));
    }
    if f.is_finite() && Decimal::from_f64(f).numeric_eq(d) {
        return Ok(HashKey::Float(f.to_bits()));
    }
    Ok(HashKey::number(negative, &coeff, exp))
}

/// Python's hash of a Decimal (equal to an equal int's or float's).
pub fn hash(d: &Decimal) -> Option<i64> {
    d.hash().ok().flatten()
}

/// An integral value too long to write out: CPython would spend all its
/// memory on it.
fn too_long_for_an_int(d: &Decimal) -> Result<()> {
    if d.is_finite() && d.adjusted() > 100_000_000 {
        return Err(Error::new("MemoryError", ""));
    }
    Ok(())
}

fn int_value(negative: bool, m: num_bigint::BigUint) -> Result<Value> {
    Ok(crate::value::bigint::from_magnitude(negative, m))
}

/// `int(Decimal)`: toward zero.
pub fn to_int(d: &Decimal) -> Result<Value> {
    if d.is_nan() {
        return Err(Error::value_error("cannot convert NaN to integer"));
    }
    too_long_for_an_int(d)?;
    let (negative, m) = d
        .trunc()
        .ok_or_else(|| Error::new("OverflowError", "cannot convert Infinity to integer"))?;
    int_value(negative, m)
}

/// `float(Decimal)`.
pub fn to_float(d: &Decimal) -> Result<Value> {
    if d.is_snan() {
        return Err(Error::value_error("cannot convert signaling NaN to float"));
    }
    Ok(Value::Float(d.to_f64()))
}

/// `math.floor`, `math.ceil`, `math.trunc` and `round()` of a Decimal: an int.
pub fn to_int_rounded(d: &Decimal, rounding: Rounding) -> Result<Value> {
    to_int(&d.rescale(0, rounding))
}

/// `round(Decimal, n)`: an int without `n`, else the Decimal at `n` places
/// (`round(Decimal('1234.5'), -2)` is `Decimal('1.2E+3')`).
pub fn round(d: &Decimal, places: Option<i64>) -> Result<Value> {
    match places {
        None => to_int_rounded(d, Rounding::HalfEven),
        Some(n) => {
            let target = Decimal::finite(false, 1u32.into(), n.saturating_neg());
            let c = &current();
            value(c, d.quantize(&target, c.rounding, c))
        }
    }
}
