//! `decimal.Decimal`: construction and methods with Python's context
//! (28 significant digits, ROUND_HALF_EVEN). Values are rust_decimal's, which
//! hold 28 digits; a Decimal that needs more (`Decimal(0.1)`, `Decimal('1e40')`)
//! is refused with a message rather than rounded into another number.

use super::super::call::Args;
use super::super::value::Value;
use crate::error::{Error, Result};
use rust_decimal::{Decimal, RoundingStrategy};

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

fn invalid(what: &str) -> Error {
    Error::new("InvalidOperation", format!("[<class 'decimal.{what}'>]"))
}

fn too_wide(text: &str) -> Error {
    Error::new(
        "NotImplementedError",
        format!("Decimal({text}) needs more than the 28 digits ormsh's decimals hold"),
    )
}

/// `Decimal(value='0')`.
pub fn construct(mut args: Args) -> Result<Value> {
    let value = args.take_kw("value");
    args.take_kw("context");
    args.no_kw("Decimal")?;
    args.count("Decimal", 0, 2)?;
    let v = args.pos.first().cloned().or(value).unwrap_or(Value::Int(0));
    Ok(Value::Decimal(match &v {
        Value::Decimal(d) => *d,
        Value::Int(i) => Decimal::from(*i),
        Value::Bool(b) => Decimal::from(*b as i64),
        Value::Str(s) => parse(s)?,
        Value::Float(f) => from_float(*f)?,
        Value::Tuple(_) | Value::List(_) => from_tuple(&v)?,
        other => {
            return Err(Error::type_error(format!(
                "conversion from {} to Decimal is not supported",
                other.type_name()
            )));
        }
    }))
}

/// A Decimal's text as Python reads it: sign, digits, point, exponent,
/// underscores between digits, spaces around.
pub fn parse(text: &str) -> Result<Decimal> {
    let s = text.trim();
    let lower = s.to_ascii_lowercase();
    let body = lower.trim_start_matches(['+', '-']);
    if ["nan", "snan", "inf", "infinity"].contains(&body) {
        return Err(Error::new(
            "NotImplementedError",
            format!("Decimal('{s}'): ormsh's decimals are finite numbers"),
        ));
    }
    let cleaned: String = s.chars().filter(|c| *c != '_').collect();
    let shape_ok = {
        let (mantissa, exponent) = match cleaned.to_ascii_lowercase().split_once('e') {
            Some((m, e)) => (m.to_string(), Some(e.to_string())),
            None => (cleaned.to_ascii_lowercase(), None),
        };
        let m = mantissa.trim_start_matches(['+', '-']);
        let digits = m.chars().filter(char::is_ascii_digit).count();
        let m_ok = digits > 0
            && m.chars().all(|c| c.is_ascii_digit() || c == '.')
            && m.matches('.').count() <= 1
            && mantissa.len() - m.len() <= 1;
        let e_ok = exponent.is_none_or(|e| {
            let e = e.strip_prefix(['+', '-']).unwrap_or(&e);
            !e.is_empty() && e.chars().all(|c| c.is_ascii_digit())
        });
        m_ok && e_ok && !s.starts_with('_') && !s.ends_with('_') && !s.contains("__")
    };
    if !shape_ok {
        return Err(invalid("ConversionSyntax"));
    }
    let parsed = if cleaned.contains(['e', 'E']) {
        Decimal::from_scientific(&cleaned)
    } else {
        cleaned.parse::<Decimal>()
    };
    match parsed {
        // rust_decimal cannot keep a positive exponent: Decimal('1E+2') would
        // print as 100, another number's text.
        Ok(_) if cleaned.contains(['e', 'E']) && exponent_of(&cleaned) > 0 => Err(Error::new(
            "NotImplementedError",
            format!(
                "Decimal('{s}') has a positive exponent, which ormsh's decimals cannot keep (write the digits out)"
            ),
        )),
        Ok(d) if digits_in(&cleaned) <= 28 => Ok(d),
        _ => Err(too_wide(&format!("'{s}'"))),
    }
}

fn exponent_of(s: &str) -> i64 {
    let lower = s.to_ascii_lowercase();
    let (m, e) = lower.split_once('e').unwrap_or((&lower, "0"));
    let e: i64 = e.parse().unwrap_or(0);
    let frac = m.split_once('.').map_or(0, |(_, f)| f.len() as i64);
    e - frac
}

fn digits_in(s: &str) -> usize {
    let m = s.split(['e', 'E']).next().unwrap_or(s);
    m.chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .trim_start_matches('0')
        .len()
}

/// `Decimal((sign, (digits…), exponent))`.
fn from_tuple(v: &Value) -> Result<Decimal> {
    let items: Vec<Value> = match v {
        Value::Tuple(t) => t.to_vec(),
        Value::List(l) => l.borrow().clone(),
        _ => Vec::new(),
    };
    let [sign, digits, exponent] = items.as_slice() else {
        return Err(Error::value_error(
            "argument must be a sequence of length 3",
        ));
    };
    let sign = match sign {
        Value::Int(0) => "",
        Value::Int(1) => "-",
        _ => {
            return Err(Error::value_error(
                "sign must be an integer with the value 0 or 1",
            ));
        }
    };
    let digits: Vec<Value> = match digits {
        Value::Tuple(t) => t.to_vec(),
        Value::List(l) => l.borrow().clone(),
        _ => return Err(Error::value_error("coefficient must be a tuple of digits")),
    };
    let mut text = String::from(sign);
    for d in &digits {
        match d {
            Value::Int(n @ 0..=9) => text.push_str(&n.to_string()),
            _ => return Err(Error::value_error("coefficient must be a tuple of digits")),
        }
    }
    if digits.is_empty() {
        text.push('0');
    }
    let Value::Int(e) = exponent else {
        return Err(Error::value_error(
            "string argument in the third position must be 'F', 'n' or 'N'",
        ));
    };
    parse(&format!("{text}E{e}"))
}

/// A float's exact value as a Decimal, when 28 digits hold it.
pub fn exact_float(f: f64) -> Option<Decimal> {
    f.is_finite().then(|| from_float(f).ok()).flatten()
}

/// `Decimal(float)`: the float's exact binary value, as Python gives it.
fn from_float(f: f64) -> Result<Decimal> {
    if !f.is_finite() {
        return Err(Error::new(
            "NotImplementedError",
            "Decimal of a float that is not finite: ormsh's decimals are finite numbers",
        ));
    }
    // An exact value: m × 2^e; with e < 0 it has -e decimal places.
    let bits = f.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    let mut mant = bits & ((1 << 52) - 1);
    let mut e = if exp == 0 { -1074 } else { exp - 1075 };
    if exp != 0 {
        mant |= 1 << 52;
    }
    while mant != 0 && mant.is_multiple_of(2) {
        mant /= 2;
        e += 1;
    }
    let sign = if f.is_sign_negative() { "-" } else { "" };
    let text = if e >= 0 {
        (mant as u128)
            .checked_shl(e as u32)
            .filter(|_| e < 64)
            .map(|v| format!("{sign}{v}"))
    } else if -e <= 28 {
        // m × 2^e = m × 5^-e / 10^-e
        5u128
            .checked_pow((-e) as u32)
            .and_then(|p| p.checked_mul(mant as u128))
            .map(|digits| {
                let places = (-e) as usize;
                let s = format!("{digits:0>width$}", width = places + 1);
                let (int, frac) = s.split_at(s.len() - places);
                format!("{sign}{int}.{frac}")
            })
    } else {
        None
    };
    match text {
        Some(t) if digits_in(&t) <= 28 => t.parse().map_err(|_| too_wide(&format!("{f:?}"))),
        _ => Err(too_wide(&super::super::repr::repr(&Value::Float(f)))),
    }
}

pub const METHODS: &[&str] = &[
    "quantize",
    "normalize",
    "to_integral_value",
    "to_integral",
    "is_zero",
    "is_signed",
    "is_nan",
    "is_finite",
    "is_infinite",
    "copy_abs",
    "copy_negate",
    "adjusted",
    "as_tuple",
    "as_integer_ratio",
    "compare",
    "__round__",
];

fn strategy(v: Option<Value>) -> Result<RoundingStrategy> {
    let name = match &v {
        None | Some(Value::None) => return Ok(RoundingStrategy::MidpointNearestEven),
        Some(Value::Str(s)) => s.to_string(),
        Some(other) => {
            return Err(Error::type_error(format!(
                "rounding must be a str, not {}",
                other.type_name()
            )));
        }
    };
    Ok(match name.as_str() {
        "ROUND_HALF_EVEN" => RoundingStrategy::MidpointNearestEven,
        "ROUND_HALF_UP" => RoundingStrategy::MidpointAwayFromZero,
        "ROUND_HALF_DOWN" => RoundingStrategy::MidpointTowardZero,
        "ROUND_UP" => RoundingStrategy::AwayFromZero,
        "ROUND_DOWN" => RoundingStrategy::ToZero,
        "ROUND_CEILING" => RoundingStrategy::ToPositiveInfinity,
        "ROUND_FLOOR" => RoundingStrategy::ToNegativeInfinity,
        "ROUND_05UP" => {
            return Err(Error::new(
                "NotImplementedError",
                "ROUND_05UP is not supported",
            ));
        }
        _ => {
            return Err(Error::type_error(
                "valid values for rounding are:\n  [ROUND_CEILING, ROUND_FLOOR, ROUND_UP, ROUND_DOWN,\n   ROUND_HALF_UP, ROUND_HALF_DOWN, ROUND_HALF_EVEN,\n   ROUND_05UP]",
            ));
        }
    })
}

fn decimal_arg(v: Option<&Value>, what: &str) -> Result<Decimal> {
    match v {
        Some(Value::Decimal(d)) => Ok(*d),
        Some(Value::Int(i)) => Ok(Decimal::from(*i)),
        Some(other) => Err(Error::type_error(format!(
            "conversion from {} to Decimal is not supported",
            other.type_name()
        ))),
        None => Err(Error::type_error(format!(
            "{what}() missing required argument 'exp' (pos 1)"
        ))),
    }
}

/// Rounds to `places` decimal places and keeps exactly that many.
fn to_places(d: Decimal, places: u32, how: RoundingStrategy) -> Result<Decimal> {
    if places > 28 {
        return Err(invalid("InvalidOperation"));
    }
    let mut r = d.round_dp_with_strategy(places, how);
    r.rescale(places);
    let digits = r.mantissa().unsigned_abs().to_string().len();
    if digits > 28 {
        return Err(invalid("InvalidOperation"));
    }
    Ok(r)
}

pub fn method(d: &Decimal, name: &str, mut args: Args) -> Result<Value> {
    let dec = Value::Decimal;
    match name {
        "quantize" => {
            let rounding = strategy(
                args.take_kw("rounding")
                    .or_else(|| args.pos.get(1).cloned()),
            )?;
            let exp_kw = args.take_kw("exp");
            let exp = decimal_arg(args.pos.first().or(exp_kw.as_ref()), "quantize")?;
            Ok(dec(to_places(*d, exp.scale(), rounding)?))
        }
        "normalize" => Ok(dec(d.normalize())),
        "to_integral_value" | "to_integral" => {
            let rounding = strategy(
                args.take_kw("rounding")
                    .or_else(|| args.pos.first().cloned()),
            )?;
            Ok(dec(d.round_dp_with_strategy(0, rounding)))
        }
        "__round__" => match args.pos.first() {
            None | Some(Value::None) => Ok(round_to_int(d)?),
            Some(Value::Int(n)) if *n >= 0 => Ok(dec(to_places(
                *d,
                u32::try_from(*n).unwrap_or(u32::MAX),
                RoundingStrategy::MidpointNearestEven,
            )?)),
            Some(Value::Int(_)) => Err(Error::new(
                "NotImplementedError",
                "round() of a Decimal to tens or more",
            )),
            Some(other) => Err(Error::type_error(format!(
                "'{}' object cannot be interpreted as an integer",
                other.type_name()
            ))),
        },
        "is_zero" => Ok(Value::Bool(d.is_zero())),
        "is_signed" => Ok(Value::Bool(d.is_sign_negative())),
        "is_nan" | "is_infinite" => Ok(Value::Bool(false)),
        "is_finite" => Ok(Value::Bool(true)),
        "copy_abs" => Ok(dec(d.abs())),
        "copy_negate" => Ok(dec(-*d)),
        "adjusted" => {
            let digits = d.mantissa().unsigned_abs().to_string().len() as i64;
            Ok(Value::Int(if d.is_zero() {
                -(d.scale() as i64)
            } else {
                digits - 1 - d.scale() as i64
            }))
        }
        "as_tuple" => {
            let digits: Vec<Value> = d
                .mantissa()
                .unsigned_abs()
                .to_string()
                .chars()
                .map(|c| Value::Int(c.to_digit(10).unwrap_or(0) as i64))
                .collect();
            Ok(Value::NamedRow(std::rc::Rc::new((
                vec!["sign".into(), "digits".into(), "exponent".into()],
                vec![
                    Value::Int(d.is_sign_negative() as i64),
                    Value::tuple(digits),
                    Value::Int(-(d.scale() as i64)),
                ],
                "DecimalTuple",
            ))))
        }
        "as_integer_ratio" => {
            let mut num = d.mantissa();
            let mut den: i128 = 10i128.pow(d.scale());
            let g = gcd(num.unsigned_abs(), den as u128) as i128;
            num /= g.max(1);
            den /= g.max(1);
            let as_int = |x: i128| {
                i64::try_from(x)
                    .map(Value::Int)
                    .map_err(|_| Error::new("OverflowError", "integer result too large"))
            };
            Ok(Value::tuple(vec![as_int(num)?, as_int(den)?]))
        }
        "compare" => {
            let other = decimal_arg(args.pos.first(), "compare")?;
            Ok(dec(Decimal::from(d.cmp(&other) as i8 as i64)))
        }
        _ => Err(Error::new(
            "AttributeError",
            format!("'decimal.Decimal' object has no attribute '{name}'"),
        )),
    }
}

fn gcd(a: u128, b: u128) -> u128 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// `round(Decimal)`: an int, halves to even.
pub fn round_to_int(d: &Decimal) -> Result<Value> {
    let r = d.round_dp_with_strategy(0, RoundingStrategy::MidpointNearestEven);
    i64::try_from(r)
        .map(Value::Int)
        .map_err(|_| Error::new("OverflowError", "integer result too large"))
}
