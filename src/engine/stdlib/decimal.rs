//! `decimal.Decimal` in the engine: construction, operators, methods and
//! hashing, over `crate::python_decimal` in Python's default context
//! (28 significant digits, ROUND_HALF_EVEN, the usual traps).

use super::super::call::Args;
use super::super::value::{HashKey, Value};
use crate::error::{Error, Result};
use crate::python_decimal::{Context, Decimal, Rounding, Signal};
use crate::syntax::ast::BinOp;
use std::cmp::Ordering;
use std::rc::Rc;

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
        Value::BigInt(b) => Some(super::super::bigint::to_decimal(b)),
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
    let unsupported = || super::super::ops::unsupported(op, a, b);
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

/// `decimal.getcontext()`.
pub fn getcontext(args: Args) -> Result<Value> {
    args.no_kw("getcontext")?;
    args.count("getcontext", 0, 0)?;
    Ok(Value::DecimalContext(None))
}

/// `decimal.localcontext(ctx=None, **changes)`: a manager for `with`.
pub fn localcontext(mut args: Args) -> Result<Value> {
    args.take_kw("ctx");
    args.count("localcontext", 0, 1)?;
    if args
        .pos
        .first()
        .is_some_and(|c| !matches!(c, Value::None | Value::DecimalContext(None)))
    {
        return Err(Error::type_error("optional argument must be a context"));
    }
    let changes = std::mem::take(&mut args.kw);
    Ok(Value::DecimalContext(Some(Rc::new(changes))))
}

/// `with localcontext(prec=3):` entered: the changes applied to a copy of
/// the session's context; the returned context is put back at the end.
pub fn enter_local(changes: &[(String, Value)]) -> Result<Context> {
    let saved = saved_context();
    for (name, v) in changes {
        if let Err(e) = set_context_attr(name, v) {
            restore_context(saved);
            return Err(e);
        }
    }
    Ok(saved)
}

/// `getcontext().prec` and the other settings.
pub fn context_attr(name: &str) -> Option<Value> {
    let c = saved_context();
    Some(match name {
        "prec" => Value::Int(c.prec as i64),
        "rounding" => Value::str(c.rounding.name()),
        "Emax" => Value::Int(c.emax),
        "Emin" => Value::Int(c.emin),
        "capitals" => Value::Int(1),
        "clamp" => Value::Int(0),
        _ => return None,
    })
}

/// The most digits ormsh computes a Decimal to (Python's limit is far
/// larger, and as slow as its size).
const MAX_PREC: i64 = 100_000;

/// `getcontext().prec = 6`, with Python's checks.
pub fn set_context_attr(name: &str, v: &Value) -> Result<()> {
    let int = |v: &Value| match v {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(*b as i64),
        Value::BigInt(_) => Err(Error::value_error(format!(
            "valid range for {name} is out of bounds"
        ))),
        _ => Err(Error::type_error("an integer is required")),
    };
    let mut c = saved_context();
    match name {
        "prec" => {
            let p = int(v)?;
            if p < 1 {
                return Err(Error::value_error("valid range for prec is [1, MAX_PREC]"));
            }
            if p > MAX_PREC {
                return Err(Error::new(
                    "NotImplementedError",
                    format!("ormsh computes Decimals to at most {MAX_PREC} digits"),
                ));
            }
            c.prec = p as u64;
        }
        "rounding" => c.rounding = rounding_arg(Some(v.clone()))?,
        "Emax" => {
            let e = int(v)?;
            if !(0..=999_999_999_999_999_999).contains(&e) {
                return Err(Error::value_error("valid range for Emax is [0, MAX_EMAX]"));
            }
            c.emax = e;
        }
        "Emin" => {
            let e = int(v)?;
            if !(-999_999_999_999_999_999..=0).contains(&e) {
                return Err(Error::value_error("valid range for Emin is [MIN_EMIN, 0]"));
            }
            c.emin = e;
        }
        "capitals" | "clamp" => {
            return Err(Error::new(
                "NotImplementedError",
                format!("changing the context's {name} is not supported"),
            ));
        }
        _ => {
            return Err(Error::new(
                "AttributeError",
                format!("'decimal.Context' object has no attribute '{name}'"),
            ));
        }
    }
    restore_context(c);
    Ok(())
}

/// `getcontext().clear_flags()`.
pub fn context_method(name: &str, args: Args) -> Result<Value> {
    match name {
        "clear_flags" => {
            args.count("clear_flags", 0, 0)?;
            CURRENT.with(|c| c.borrow().flags.set(0));
            Ok(Value::None)
        }
        _ => Err(Error::new(
            "AttributeError",
            format!("'decimal.Context' object has no attribute '{name}'"),
        )),
    }
}

/// `repr(getcontext())`, flags as the session's operations raised them.
pub fn context_repr() -> String {
    let c = saved_context();
    let flags = crate::python_decimal::condition::names(c.flags.get()).join(", ");
    format!(
        "Context(prec={}, rounding={}, Emin={}, Emax={}, capitals=1, clamp=0, flags=[{flags}], traps=[InvalidOperation, DivisionByZero, Overflow])",
        c.prec,
        c.rounding.name(),
        c.emin,
        c.emax
    )
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
    Ok(super::super::bigint::from_magnitude(negative, m))
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

pub const METHODS: &[&str] = &[
    "adjusted",
    "as_integer_ratio",
    "as_tuple",
    "compare",
    "copy_abs",
    "copy_negate",
    "copy_sign",
    "is_finite",
    "is_infinite",
    "is_nan",
    "is_qnan",
    "is_signed",
    "is_snan",
    "is_zero",
    "max",
    "min",
    "normalize",
    "quantize",
    "same_quantum",
    "scaleb",
    "sqrt",
    "to_eng_string",
    "to_integral",
    "to_integral_exact",
    "to_integral_value",
    "__round__",
];

/// Methods of Python's Decimal that ormsh does not compute: a clear error
/// rather than Python's AttributeError, which would say they do not exist.
const NOT_COMPUTED: &[&str] = &[
    "exp",
    "ln",
    "log10",
    "logb",
    "fma",
    "next_minus",
    "next_plus",
    "next_toward",
    "number_class",
    "rotate",
    "shift",
    "remainder_near",
    "logical_and",
    "logical_or",
    "logical_xor",
    "logical_invert",
    "compare_total",
    "compare_total_mag",
    "compare_signal",
    "max_mag",
    "min_mag",
    "is_normal",
    "is_subnormal",
    "is_canonical",
    "canonical",
    "radix",
    "conjugate",
];

fn rounding_arg(v: Option<Value>) -> Result<Rounding> {
    match &v {
        None | Some(Value::None) => Ok(current().rounding),
        Some(Value::Str(s)) => Rounding::from_name(s).ok_or_else(|| {
            Error::type_error(
                "valid values for rounding are:\n  [ROUND_CEILING, ROUND_FLOOR, ROUND_UP, ROUND_DOWN,\n   ROUND_HALF_UP, ROUND_HALF_DOWN, ROUND_HALF_EVEN,\n   ROUND_05UP]",
            )
        }),
        Some(other) => Err(Error::type_error(format!(
            "rounding must be a str, not {}",
            other.type_name()
        ))),
    }
}

fn decimal_arg(args: &mut Args, name: &str, method: &str) -> Result<Decimal> {
    let kw = args.take_kw(name);
    let v = if args.pos.is_empty() {
        kw
    } else {
        Some(args.pos.remove(0))
    };
    match v {
        Some(v) => operand(&v).ok_or_else(|| {
            Error::type_error(format!(
                "conversion from {} to Decimal is not supported",
                v.type_name()
            ))
        }),
        None => Err(Error::type_error(format!(
            "{method}() missing required argument '{name}' (pos 1)"
        ))),
    }
}

fn rounding_param(args: &mut Args) -> Result<Rounding> {
    let kw = args.take_kw("rounding");
    let v = if args.pos.is_empty() {
        kw
    } else {
        Some(args.pos.remove(0))
    };
    rounding_arg(v)
}

pub fn method(d: &Decimal, name: &str, mut args: Args) -> Result<Value> {
    args.take_kw("context");
    let c = &current();
    let value = |outcome| value(c, outcome);
    let b = Value::Bool;
    match name {
        "quantize" => {
            let exp = decimal_arg(&mut args, "exp", "quantize")?;
            let rounding = rounding_param(&mut args)?;
            value(d.quantize(&exp, rounding, c))
        }
        "normalize" => value(d.normalize(c)),
        "to_integral_value" | "to_integral" | "to_integral_exact" => {
            let rounding = rounding_param(&mut args)?;
            value(d.to_integral(rounding))
        }
        "sqrt" => value(d.sqrt(c)),
        "scaleb" => {
            let n = decimal_arg(&mut args, "other", "scaleb")?;
            if n.is_nan() {
                return value(d.add(&n, c));
            }
            let whole = (n.exponent() >= 0 || n.is_zero()) && n.adjusted() < 18;
            match whole.then(|| n.trunc()).flatten() {
                Some((negative, m)) => {
                    let m = i64::try_from(m).unwrap_or(i64::MAX);
                    value(d.scaleb(if negative { -m } else { m }, c))
                }
                None => Err(signal(Signal::InvalidOperation)),
            }
        }
        "__round__" => match args.pos.first() {
            None | Some(Value::None) => round(d, None),
            Some(Value::Int(n)) => round(d, Some(*n)),
            Some(_) => Err(Error::type_error(
                "Second argument to round should be integral",
            )),
        },
        "compare" => {
            let other = decimal_arg(&mut args, "other", "compare")?;
            Ok(match d.compare(&other) {
                None => Value::decimal(Decimal::nan()),
                Some(o) => Value::decimal(Decimal::from_i64(o as i8 as i64)),
            })
        }
        "max" | "min" => {
            let other = decimal_arg(&mut args, "other", name)?;
            // Equal values are told apart as compare_total orders them: the
            // positive zero over the negative, then by exponent.
            let ord = d.compare(&other).map(|o| {
                o.then_with(|| match (d.is_signed(), other.is_signed()) {
                    (true, false) => Ordering::Less,
                    (false, true) => Ordering::Greater,
                    (false, false) => d.exponent().cmp(&other.exponent()),
                    (true, true) => other.exponent().cmp(&d.exponent()),
                })
            });
            let keep_self = match (name, ord) {
                (_, None) => !d.is_nan() || other.is_nan(),
                ("max", Some(o)) => o != Ordering::Less,
                (_, Some(o)) => o != Ordering::Greater,
            };
            let pick = if keep_self { d.clone() } else { other };
            value(pick.fix(c))
        }
        "same_quantum" => {
            let other = decimal_arg(&mut args, "other", "same_quantum")?;
            let same = if d.is_finite() && other.is_finite() {
                d.exponent() == other.exponent()
            } else {
                d.is_nan() && other.is_nan() || d.is_infinite() && other.is_infinite()
            };
            Ok(b(same))
        }
        "copy_sign" => {
            let other = decimal_arg(&mut args, "other", "copy_sign")?;
            Ok(Value::decimal(d.copy_sign(&other)))
        }
        "is_zero" => Ok(b(d.is_zero())),
        "is_signed" => Ok(b(d.is_signed())),
        "is_nan" => Ok(b(d.is_nan())),
        "is_qnan" => Ok(b(d.is_qnan())),
        "is_snan" => Ok(b(d.is_snan())),
        "is_infinite" => Ok(b(d.is_infinite())),
        "is_finite" => Ok(b(d.is_finite())),
        "copy_abs" => Ok(Value::decimal(d.copy_abs())),
        "copy_negate" => Ok(Value::decimal(d.copy_negate())),
        "adjusted" => Ok(Value::Int(d.adjusted())),
        "to_eng_string" => Err(Error::new(
            "NotImplementedError",
            "Decimal.to_eng_string() is not supported yet",
        )),
        "as_tuple" => Ok(as_tuple(d)),
        "as_integer_ratio" => as_integer_ratio(d),
        _ if NOT_COMPUTED.contains(&name) => Err(Error::new(
            "NotImplementedError",
            format!("Decimal.{name}() is not supported yet"),
        )),
        _ => Err(Error::new(
            "AttributeError",
            format!("'decimal.Decimal' object has no attribute '{name}'"),
        )),
    }
}

fn as_tuple(d: &Decimal) -> Value {
    let digit_values = |text: String| {
        text.chars()
            .map(|c| Value::Int(c.to_digit(10).unwrap_or(0) as i64))
            .collect::<Vec<_>>()
    };
    let (digits, exponent) = if d.is_finite() {
        (digit_values(d.digit_string()), Value::Int(d.exponent()))
    } else if d.is_infinite() {
        (vec![Value::Int(0)], Value::str("F"))
    } else {
        let payload = if d.coefficient().bits() == 0 {
            Vec::new()
        } else {
            digit_values(d.digit_string())
        };
        (payload, Value::str(if d.is_snan() { "N" } else { "n" }))
    };
    Value::NamedRow(Rc::new((
        vec!["sign".into(), "digits".into(), "exponent".into()],
        vec![
            Value::Int(d.is_signed() as i64),
            Value::tuple(digits),
            exponent,
        ],
        "DecimalTuple",
    )))
}

fn as_integer_ratio(d: &Decimal) -> Result<Value> {
    if d.is_finite() && d.exponent().unsigned_abs() > 100_000_000 {
        return Err(Error::new("MemoryError", ""));
    }
    let Some((negative, num, den)) = d.integer_ratio() else {
        return Err(if d.is_nan() {
            Error::value_error("cannot convert NaN to integer ratio")
        } else {
            Error::new("OverflowError", "cannot convert Infinity to integer ratio")
        });
    };
    Ok(Value::tuple(vec![
        int_value(negative, num)?,
        int_value(false, den)?,
    ]))
}
