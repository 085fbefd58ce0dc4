//! `math`, with CPython's domain and range errors.

use super::super::builtins::int_arg as int_of;
use super::super::call::Args;
use super::super::value::Value;
use super::Native;
use crate::error::{Error, Result};
use crate::python_decimal::Rounding;

pub fn constant(name: &str) -> Option<Value> {
    Some(Value::Float(match name {
        "pi" => std::f64::consts::PI,
        "e" => std::f64::consts::E,
        "tau" => std::f64::consts::TAU,
        "inf" => f64::INFINITY,
        "nan" => f64::NAN,
        _ => return None,
    }))
}

fn float_of(v: &Value) -> Result<f64> {
    match v {
        Value::Int(i) => Ok(*i as f64),
        Value::Bool(b) => Ok(*b as i64 as f64),
        Value::Float(f) => Ok(*f),
        Value::Decimal(d) => Ok(d.to_f64()),
        other => Err(Error::type_error(format!(
            "must be real number, not {}",
            other.type_name()
        ))),
    }
}

fn domain() -> Error {
    Error::value_error("math domain error")
}

fn range() -> Error {
    Error::new("OverflowError", "math range error")
}

fn checked(f: f64) -> Result<Value> {
    if f.is_infinite() {
        Err(range())
    } else {
        Ok(Value::Float(f))
    }
}

/// A float rounded to an int (`floor`, `ceil`, `trunc`), or Python's error.
fn to_int(f: f64) -> Result<Value> {
    if f.is_nan() {
        return Err(Error::value_error("cannot convert float NaN to integer"));
    }
    if f.is_infinite() {
        return Err(Error::new(
            "OverflowError",
            "cannot convert float infinity to integer",
        ));
    }
    if f.abs() >= 9.223_372_036_854_776e18 {
        return Err(Error::new(
            "OverflowError",
            "integers beyond 64 bits are not supported",
        ));
    }
    Ok(Value::Int(f as i64))
}

fn overflow() -> Error {
    Error::new("OverflowError", "integer result too large")
}

fn gcd(a: i64, b: i64) -> i64 {
    let (mut a, mut b) = (a.unsigned_abs(), b.unsigned_abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    // 2**63 has no i64: the caller's checked arithmetic then overflows.
    i64::try_from(a).unwrap_or(i64::MIN)
}

fn one(args: &Args, name: &str) -> Result<Value> {
    args.no_kw(name)?;
    args.count(name, 1, 1)?;
    Ok(args.pos[0].clone())
}

fn two(args: &Args, name: &str) -> Result<(Value, Value)> {
    args.no_kw(name)?;
    if args.pos.len() != 2 {
        return Err(Error::type_error(format!(
            "{name} expected 2 arguments, got {}",
            args.pos.len()
        )));
    }
    Ok((args.pos[0].clone(), args.pos[1].clone()))
}

/// `comb(n, k)` and `perm(n, k)` in exact integers.
fn falling(n: i64, k: i64, divide: bool) -> Result<Value> {
    if n < 0 || k < 0 {
        let which = if n < 0 { "n" } else { "k" };
        return Err(Error::value_error(format!(
            "{which} must be a non-negative integer"
        )));
    }
    if k > n {
        return Ok(Value::Int(0));
    }
    let k = if divide { k.min(n - k) } else { k };
    let mut acc: i128 = 1;
    for i in 0..k {
        acc = acc.checked_mul((n - i) as i128).ok_or_else(overflow)?;
        if divide {
            acc /= (i + 1) as i128;
        }
        if acc > i64::MAX as i128 {
            return Err(overflow());
        }
    }
    Ok(Value::Int(acc as i64))
}

pub fn call(n: Native, mut args: Args, items: Option<Vec<Value>>) -> Result<Value> {
    let name = n.name();
    match n {
        Native::Sqrt => {
            let x = float_of(&one(&args, name)?)?;
            if x < 0.0 {
                Err(domain())
            } else {
                Ok(Value::Float(x.sqrt()))
            }
        }
        Native::Floor | Native::Ceil | Native::Trunc => match one(&args, name)? {
            v @ (Value::Int(_) | Value::Bool(_)) => Ok(Value::Int(int_of(&v)?)),
            Value::Decimal(d) => super::decimal::to_int_rounded(
                &d,
                match n {
                    Native::Floor => Rounding::Floor,
                    Native::Ceil => Rounding::Ceiling,
                    _ => Rounding::Down,
                },
            ),
            v => {
                let f = float_of(&v).map_err(|_| {
                    Error::type_error(format!(
                        "type {} doesn't define __{name}__ method",
                        v.type_name()
                    ))
                })?;
                to_int(match n {
                    Native::Floor => f.floor(),
                    Native::Ceil => f.ceil(),
                    _ => f.trunc(),
                })
            }
        },
        Native::Fabs => Ok(Value::Float(float_of(&one(&args, name)?)?.abs())),
        Native::Log => {
            args.no_kw(name)?;
            args.count("log", 1, 2)?;
            let x = float_of(&args.pos[0])?;
            if x <= 0.0 {
                return Err(domain());
            }
            match args.pos.get(1) {
                None => Ok(Value::Float(x.ln())),
                Some(b) => {
                    let b = float_of(b)?;
                    if b <= 0.0 {
                        return Err(domain());
                    }
                    if b == 1.0 {
                        return Err(Error::new("ZeroDivisionError", "float division by zero"));
                    }
                    Ok(Value::Float(x.ln() / b.ln()))
                }
            }
        }
        Native::Log10 | Native::Log2 => {
            let x = float_of(&one(&args, name)?)?;
            if x <= 0.0 {
                return Err(domain());
            }
            Ok(Value::Float(if n == Native::Log10 {
                x.log10()
            } else {
                x.log2()
            }))
        }
        Native::Exp => checked(float_of(&one(&args, name)?)?.exp()),
        Native::MathPow => {
            let (a, b) = two(&args, name)?;
            let (x, y) = (float_of(&a)?, float_of(&b)?);
            if x == 0.0 && y < 0.0 || x < 0.0 && y.fract() != 0.0 {
                return Err(domain());
            }
            checked(x.powf(y))
        }
        Native::Sin | Native::Cos | Native::Tan | Native::Atan => {
            let x = float_of(&one(&args, name)?)?;
            if x.is_infinite() && n != Native::Atan {
                return Err(domain());
            }
            Ok(Value::Float(match n {
                Native::Sin => x.sin(),
                Native::Cos => x.cos(),
                Native::Tan => x.tan(),
                _ => x.atan(),
            }))
        }
        Native::Atan2 => {
            let (a, b) = two(&args, name)?;
            Ok(Value::Float(float_of(&a)?.atan2(float_of(&b)?)))
        }
        Native::Degrees => Ok(Value::Float(float_of(&one(&args, name)?)?.to_degrees())),
        Native::Radians => Ok(Value::Float(float_of(&one(&args, name)?)?.to_radians())),
        Native::Copysign => {
            let (a, b) = two(&args, name)?;
            Ok(Value::Float(float_of(&a)?.copysign(float_of(&b)?)))
        }
        Native::Fmod => {
            let (a, b) = two(&args, name)?;
            let (x, y) = (float_of(&a)?, float_of(&b)?);
            if y == 0.0 || x.is_infinite() {
                return Err(domain());
            }
            Ok(Value::Float(x % y))
        }
        Native::Isnan | Native::Isinf | Native::Isfinite => {
            let x = float_of(&one(&args, name)?)?;
            Ok(Value::Bool(match n {
                Native::Isnan => x.is_nan(),
                Native::Isinf => x.is_infinite(),
                _ => x.is_finite(),
            }))
        }
        Native::Isclose => {
            let rel = args.take_kw("rel_tol").map_or(Ok(1e-9), |v| float_of(&v))?;
            let abs = args.take_kw("abs_tol").map_or(Ok(0.0), |v| float_of(&v))?;
            let (a, b) = two(&args, name)?;
            if rel < 0.0 || abs < 0.0 {
                return Err(Error::value_error("tolerances must be non-negative"));
            }
            let (x, y) = (float_of(&a)?, float_of(&b)?);
            if x == y {
                return Ok(Value::Bool(true));
            }
            if x.is_infinite() || y.is_infinite() {
                return Ok(Value::Bool(false));
            }
            let diff = (x - y).abs();
            Ok(Value::Bool(
                diff <= (rel * y).abs() || diff <= (rel * x).abs() || diff <= abs,
            ))
        }
        Native::Factorial => {
            let x = int_of(&one(&args, name)?)?;
            if x < 0 {
                return Err(Error::value_error(
                    "factorial() not defined for negative values",
                ));
            }
            (1..=x)
                .try_fold(1i64, |acc, i| acc.checked_mul(i))
                .map(Value::Int)
                .ok_or_else(overflow)
        }
        Native::Isqrt => {
            let x = int_of(&one(&args, name)?)?;
            if x < 0 {
                return Err(Error::value_error("isqrt() argument must be nonnegative"));
            }
            let mut r = (x as f64).sqrt() as i64;
            while r.checked_mul(r).is_none_or(|sq| sq > x) {
                r -= 1;
            }
            while (r + 1).checked_mul(r + 1).is_some_and(|sq| sq <= x) {
                r += 1;
            }
            Ok(Value::Int(r))
        }
        Native::Gcd | Native::Lcm => {
            args.no_kw(name)?;
            let mut acc = if n == Native::Gcd { 0 } else { 1 };
            for v in &args.pos {
                let x = int_of(v)?;
                acc = if n == Native::Gcd {
                    let g = gcd(acc, x);
                    if g < 0 {
                        return Err(overflow());
                    }
                    g
                } else if acc == 0 || x == 0 {
                    0
                } else {
                    (acc / gcd(acc, x))
                        .checked_mul(x.checked_abs().ok_or_else(overflow)?)
                        .ok_or_else(overflow)?
                };
            }
            Ok(Value::Int(acc))
        }
        Native::Comb => {
            let (a, b) = two(&args, name)?;
            falling(int_of(&a)?, int_of(&b)?, true)
        }
        Native::Perm => {
            args.no_kw(name)?;
            args.count("perm", 1, 2)?;
            let x = int_of(&args.pos[0])?;
            let k = match args.pos.get(1) {
                None | Some(Value::None) => x,
                Some(v) => int_of(v)?,
            };
            falling(x, k, false)
        }
        Native::Hypot => {
            args.no_kw(name)?;
            let mut sum = 0.0f64;
            for v in &args.pos {
                sum = sum.hypot(float_of(v)?);
            }
            Ok(Value::Float(sum))
        }
        Native::Fsum => {
            // Shewchuk's exact partial sums, as CPython's fsum.
            let mut partials: Vec<f64> = Vec::new();
            for v in items.unwrap_or_default() {
                let mut x = float_of(&v)?;
                let mut kept = Vec::new();
                for mut y in partials {
                    if x.abs() < y.abs() {
                        std::mem::swap(&mut x, &mut y);
                    }
                    let hi = x + y;
                    let lo = y - (hi - x);
                    if lo != 0.0 {
                        kept.push(lo);
                    }
                    x = hi;
                }
                kept.push(x);
                partials = kept;
            }
            Ok(Value::Float(partials.iter().sum()))
        }
        Native::Prod => {
            let start = args.take_kw("start").unwrap_or(Value::Int(1));
            let mut acc = start;
            for v in items.unwrap_or_default() {
                acc = super::super::ops::binary(crate::syntax::ast::BinOp::Mul, &acc, &v)?;
            }
            Ok(acc)
        }
        _ => unreachable!("{} is not in math", n.qualname()),
    }
}
