//! `math`, with CPython's domain and range errors.

use super::super::bigint;
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
        Value::BigInt(b) => bigint::to_f64(b),
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
    bigint::comb(n as u64, k as u64, !divide)
}

/// An int argument of any size, with Python's TypeError.
fn big_of(v: &Value) -> Result<num_bigint::BigInt> {
    bigint::big(v).ok_or_else(|| {
        Error::type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            v.type_name()
        ))
    })
}

pub fn call(n: Native, args: Args, items: Option<Vec<Value>>) -> Result<Value> {
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
            v @ Value::BigInt(_) => Ok(v),
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
                bigint::float_to_int(match n {
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
        _ => call_float_tests(n, args, items),
    }
}

fn call_float_tests(n: Native, mut args: Args, items: Option<Vec<Value>>) -> Result<Value> {
    let name = n.name();
    match n {
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
        _ => call_integers(n, args, items),
    }
}

fn call_integers(n: Native, args: Args, items: Option<Vec<Value>>) -> Result<Value> {
    let name = n.name();
    match n {
        Native::Factorial => {
            let x = int_of(&one(&args, name)?).map_err(|e| {
                if e.kind == "OverflowError" {
                    Error::new(
                        "OverflowError",
                        "factorial() argument should not exceed 9223372036854775807",
                    )
                } else {
                    e
                }
            })?;
            if x < 0 {
                return Err(Error::value_error(
                    "factorial() not defined for negative values",
                ));
            }
            bigint::factorial(x as u64)
        }
        Native::Isqrt => bigint::isqrt(&big_of(&one(&args, name)?)?),
        Native::Gcd | Native::Lcm => {
            args.no_kw(name)?;
            let mut acc = num_bigint::BigInt::from(if n == Native::Gcd { 0 } else { 1 });
            for v in &args.pos {
                let x = big_of(v)?;
                acc = if n == Native::Gcd {
                    num_integer::Integer::gcd(&acc, &x)
                } else {
                    num_traits::Signed::abs(&num_integer::Integer::lcm(&acc, &x))
                };
            }
            Ok(bigint::int(acc))
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
        _ => call_sums(n, args, items),
    }
}

fn call_sums(n: Native, mut args: Args, items: Option<Vec<Value>>) -> Result<Value> {
    let name = n.name();
    match n {
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
