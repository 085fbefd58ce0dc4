//! Python's unbounded `int` past 64 bits. `Value::Int` holds every integer
//! that fits an i64; an operation whose result does not fit gives a
//! `Value::BigInt`, and one whose result fits again gives a `Value::Int`, so
//! each integer has one representation and the fast path stays the i64's.

use crate::error::{Error, Result};
use crate::syntax::ast::BinOp;
use crate::value::Value;
use num_bigint::{BigInt, Sign};
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};
use std::cmp::Ordering;
use std::rc::Rc;

/// CPython's `sys.get_int_max_str_digits()` default: converting a longer
/// int to or from decimal text is a ValueError.
pub const MAX_STR_DIGITS: u64 = 4300;

/// An integer as its one Value: an i64 when it fits.
pub fn int(b: BigInt) -> Value {
    match i64::try_from(&b) {
        Ok(i) => Value::Int(i),
        Err(_) => Value::BigInt(Rc::new(b)),
    }
}

/// The integer of an int or bool.
pub fn big(v: &Value) -> Option<BigInt> {
    match v {
        Value::Int(i) | Value::RegexFlag(i) => Some(BigInt::from(*i)),
        Value::Bool(b) => Some(BigInt::from(*b as i64)),
        Value::BigInt(b) => Some((**b).clone()),
        _ => None,
    }
}

/// Sign and magnitude, as Decimal takes them.
pub fn to_decimal(b: &BigInt) -> crate::python_decimal::Decimal {
    crate::python_decimal::Decimal::from_integer(b.is_negative(), b.magnitude().clone())
}

/// An integer Decimal's value (`int(Decimal('5E+30'))`).
pub fn from_magnitude(negative: bool, m: num_bigint::BigUint) -> Value {
    let sign = if negative { Sign::Minus } else { Sign::Plus };
    int(BigInt::from_biguint(sign, m))
}

/// What `int` arithmetic on `x` and `y` gives, past 64 bits.
pub fn binary(op: BinOp, x: &BigInt, y: &BigInt) -> Result<Value> {
    let zero = |msg: &str| Err(Error::new("ZeroDivisionError", msg));
    Ok(match op {
        BinOp::Add => int(x + y),
        BinOp::Sub => int(x - y),
        BinOp::Mul => {
            reserve_bits(x.bits() + y.bits())?;
            int(x * y)
        }
        BinOp::Div => {
            if y.is_zero() {
                return zero("division by zero");
            }
            Value::Float(true_div(x, y)?)
        }
        BinOp::FloorDiv => {
            if y.is_zero() {
                return zero("integer division or modulo by zero");
            }
            int(x.div_floor(y))
        }
        BinOp::Mod => {
            if y.is_zero() {
                return zero("integer modulo by zero");
            }
            int(x.mod_floor(y))
        }
        BinOp::Pow => return pow(x, y),
        BinOp::LShift => {
            if x.is_zero() && !y.is_negative() {
                return Ok(Value::Int(0));
            }
            let n = shift_count(y)?;
            reserve_bits(x.bits().saturating_add(n))?;
            int(x << n)
        }
        BinOp::RShift => {
            // A count past 64 bits shifts everything out.
            let n = if y.is_negative() {
                shift_count(y)?
            } else {
                y.to_u64().unwrap_or(u64::MAX)
            };
            if n >= x.bits() {
                return Ok(Value::Int(if x.is_negative() { -1 } else { 0 }));
            }
            int(x >> n)
        }
        BinOp::BitAnd => int(x & y),
        BinOp::BitOr => int(x | y),
        BinOp::BitXor => int(x ^ y),
        BinOp::MatMul => {
            return Err(Error::type_error(
                "unsupported operand type(s) for @: 'int' and 'int'",
            ));
        }
    })
}

fn shift_count(y: &BigInt) -> Result<u64> {
    if y.is_negative() {
        return Err(Error::value_error("negative shift count"));
    }
    y.to_u64()
        .ok_or_else(|| Error::new("OverflowError", "too many digits in integer"))
}

/// Ints past this many bits (a gigabyte) are MemoryError, whatever the
/// machine has: num-bigint would abort where Python raises.
const MAX_BITS: u64 = 1 << 33;

/// A result of `bits` bits must fit the memory ormsh may use.
fn reserve_bits(bits: u64) -> Result<()> {
    if bits > MAX_BITS {
        return Err(Error::new("MemoryError", ""));
    }
    crate::limits::reserve(usize::try_from(bits / 8).unwrap_or(usize::MAX))
}

/// `x ** y`: exact for a non-negative exponent, a float for a negative one.
fn pow(x: &BigInt, y: &BigInt) -> Result<Value> {
    if y.is_negative() {
        if x.is_zero() {
            return Err(Error::new(
                "ZeroDivisionError",
                "0.0 cannot be raised to a negative power",
            ));
        }
        let base = to_f64(x)?;
        return Ok(Value::Float(
            base.powf(y.to_f64().unwrap_or(f64::NEG_INFINITY)),
        ));
    }
    // Bases whose powers stay small need no size check.
    match x.to_i64() {
        Some(0) => return Ok(Value::Int(if y.is_zero() { 1 } else { 0 })),
        Some(1) => return Ok(Value::Int(1)),
        Some(-1) => return Ok(Value::Int(if y.is_even() { 1 } else { -1 })),
        _ => {}
    }
    let e = y.to_u64().unwrap_or(u64::MAX);
    reserve_bits(x.bits().saturating_mul(e))?;
    let e = u32::try_from(e).map_err(|_| Error::new("MemoryError", ""))?;
    Ok(int(x.pow(e)))
}

/// `pow(x, y, m)`: modular exponentiation; a negative exponent is the
/// modular inverse's power.
pub fn pow_mod(x: &BigInt, y: &BigInt, m: &BigInt) -> Result<Value> {
    if m.is_zero() {
        return Err(Error::value_error("pow() 3rd argument cannot be 0"));
    }
    let modulus = m.abs();
    let mut base = x.mod_floor(&modulus);
    let mut e = y.clone();
    if e.is_negative() {
        let g = base.extended_gcd(&modulus);
        if !g.gcd.is_one() {
            return Err(Error::value_error(
                "base is not invertible for the given modulus",
            ));
        }
        base = g.x.mod_floor(&modulus);
        e = -e;
    }
    let r = base.modpow(&e, &modulus);
    // Python's result takes the modulus's sign.
    Ok(int(if m.is_negative() && !r.is_zero() {
        r + m
    } else {
        r
    }))
}

/// `float(x)`, correctly rounded, or Python's OverflowError.
pub fn to_f64(x: &BigInt) -> Result<f64> {
    ratio_to_f64(x, &BigInt::from(1))
        .ok_or_else(|| Error::new("OverflowError", "int too large to convert to float"))
}

/// `x / y` as Python divides ints: the correctly rounded quotient.
pub fn true_div(x: &BigInt, y: &BigInt) -> Result<f64> {
    ratio_to_f64(x, y).ok_or_else(|| {
        Error::new(
            "OverflowError",
            "integer division result too large for a float",
        )
    })
}

/// The nearest float to `x / y` (ties to even, subnormals included),
/// `None` past the largest.
fn ratio_to_f64(x: &BigInt, y: &BigInt) -> Option<f64> {
    let negative = x.is_negative() != y.is_negative() && !x.is_zero();
    let (a, b) = (x.magnitude(), y.magnitude());
    if a.is_zero() {
        return Some(0.0);
    }
    // Scale so that the integer quotient has 55 or 56 bits, then round it
    // to the bits the result's binade holds: 53, fewer when subnormal.
    let shift = 55 - (a.bits() as i64 - b.bits() as i64);
    let (q, r) = if shift >= 0 {
        (a << shift as u64).div_rem(b)
    } else {
        a.div_rem(&(b << (-shift) as u64))
    };
    let q = q.to_u64()?;
    let sticky = !r.is_zero();
    let top = 64 - q.leading_zeros() as i64;
    // The value is q·2^-shift, its leading bit at 2^(top - 1 - shift).
    let lead = top - 1 - shift;
    if lead > 1023 {
        return None;
    }
    let keep = if lead >= -1022 {
        53
    } else {
        53 - (-1022 - lead)
    };
    let drop = top - keep.max(0);
    let (mut m, mut exp) = (q, -shift);
    if drop > 0 {
        let low = if drop >= 64 {
            q
        } else {
            q & ((1u64 << drop) - 1)
        };
        let half = if drop > 64 {
            u64::MAX
        } else {
            1u64 << (drop - 1)
        };
        m = if drop >= 64 { 0 } else { q >> drop };
        exp += drop;
        if low > half || low == half && (sticky || m & 1 == 1) {
            m += 1;
        }
    }
    // m·2^exp is exactly a float now; two steps keep each factor normal.
    let half_exp = exp / 2;
    let magnitude = m as f64 * 2f64.powi(half_exp as i32) * 2f64.powi((exp - half_exp) as i32);
    if magnitude.is_infinite() {
        return None;
    }
    Some(if negative { -magnitude } else { magnitude })
}

/// The exact order of an int and a float; `None` for a NaN.
pub fn compare_float(x: &BigInt, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    if f.is_infinite() {
        return Some(if f > 0.0 {
            Ordering::Less
        } else {
            Ordering::Greater
        });
    }
    let floor = exact_integer(f.floor())?;
    Some(match x.cmp(&floor) {
        Ordering::Equal if f.fract() != 0.0 => Ordering::Less,
        other => other,
    })
}

/// An integral float's exact value.
fn exact_integer(f: f64) -> Option<BigInt> {
    num_traits::FromPrimitive::from_f64(f)
}

/// `int(float)`: the float's exact integer part.
pub fn float_to_int(f: f64) -> Result<Value> {
    if f.is_nan() {
        return Err(Error::value_error("cannot convert float NaN to integer"));
    }
    if f.is_infinite() {
        return Err(Error::new(
            "OverflowError",
            "cannot convert float infinity to integer",
        ));
    }
    Ok(exact_integer(f.trunc()).map_or(Value::Int(0), int))
}

/// The dict key of a big int: an equal float's when one exists
/// (`{2**70, 2.0**70}` has one element), else its exact value, which an
/// equal Decimal shares.
pub fn hash_key(x: &BigInt) -> crate::value::HashKey {
    match to_f64(x) {
        Ok(f) if exact_integer(f).as_ref() == Some(x) => crate::value::HashKey::Float(f.to_bits()),
        _ => {
            let (coeff, zeros) = crate::python_decimal::strip_zeros(x.magnitude());
            crate::value::HashKey::number(x.is_negative(), &coeff, zeros as i64)
        }
    }
}

/// Python's hash: the value modulo 2**61 - 1, keeping the sign.
pub fn hash(x: &BigInt) -> i64 {
    let p = BigInt::from((1u64 << 61) - 1);
    let h = (x.magnitude() % p.magnitude()).to_i64().unwrap_or(0);
    let h = if x.is_negative() { -h } else { h };
    if h == -1 { -2 } else { h }
}

fn too_long(detail: &str) -> Error {
    Error::value_error(format!(
        "Exceeds the limit ({MAX_STR_DIGITS} digits) for integer string conversion{detail}; use sys.set_int_max_str_digits() to increase the limit"
    ))
}

/// `str(x)`, refusing what Python refuses (more than 4300 digits).
pub fn to_str(x: &BigInt) -> Result<String> {
    // 2**(bits-1) already has more digits than the limit.
    if x.bits().saturating_sub(1) as f64 * std::f64::consts::LOG10_2 >= MAX_STR_DIGITS as f64 {
        return Err(too_long(""));
    }
    let text = x.to_string();
    if text.trim_start_matches('-').len() as u64 > MAX_STR_DIGITS {
        return Err(too_long(""));
    }
    Ok(text)
}

/// `int(text, radix)` of digits (no sign, no underscores) too long for an
/// i64; decimal text longer than 4300 digits is Python's ValueError.
pub fn parse(digits: &str, radix: u32, negative: bool) -> Result<Option<Value>> {
    if !radix.is_power_of_two() && digits.len() as u64 > MAX_STR_DIGITS {
        return Err(too_long(&format!(": value has {} digits", digits.len())));
    }
    let Some(m) = num_bigint::BigUint::parse_bytes(digits.as_bytes(), radix) else {
        return Ok(None);
    };
    Ok(Some(from_magnitude(negative, m)))
}

/// `round(x, d)` for `d < 0`: to a multiple of `10**-d`, halves to even.
pub fn round(x: &BigInt, d: i64) -> Value {
    // A power of ten past twice |x| rounds it to zero.
    if d.unsigned_abs() > x.bits() / 3 + 2 {
        return Value::Int(0);
    }
    let scale = BigInt::from(10).pow(d.unsigned_abs().min(u32::MAX as u64) as u32);
    let (q, r) = x.div_mod_floor(&scale);
    let twice: BigInt = &r * 2;
    let up = twice > scale || twice == scale && q.is_odd();
    int(if up { q + 1 } else { q } * scale)
}

/// `~x`, `-x`, `abs(x)`.
pub fn invert(x: &BigInt) -> Value {
    int(-x - 1)
}

pub fn negate(x: &BigInt) -> Value {
    int(-x)
}

pub fn abs(x: &BigInt) -> Value {
    int(x.abs())
}

/// The digits of `x` in `radix` (2, 8, 16) without prefix or sign.
pub fn digits_in(x: &BigInt, radix: u32) -> String {
    x.magnitude().to_str_radix(radix)
}

/// What an int too large for an index or a count says.
pub fn index_overflow() -> Error {
    Error::new(
        "OverflowError",
        "Python int too large to convert to C ssize_t",
    )
}

/// `math.isqrt(x)`.
pub fn isqrt(x: &BigInt) -> Result<Value> {
    if x.is_negative() {
        return Err(Error::value_error("isqrt() argument must be nonnegative"));
    }
    Ok(int(x.sqrt()))
}

/// `math.factorial(n)`, by products of halves so it stays quick.
pub fn factorial(n: u64) -> Result<Value> {
    // log2(n!) < n·log2(n): the result must fit in memory.
    reserve_bits((n as f64 * (n.max(2) as f64).log2()) as u64)?;
    Ok(if n < 2 {
        Value::Int(1)
    } else {
        int(product(2, n))
    })
}

/// The product of `lo..=hi`, halves multiplied together so the operands
/// stay balanced (linear products of a growing int are quadratic).
fn product(lo: u64, hi: u64) -> BigInt {
    if lo > hi {
        return BigInt::from(1);
    }
    if hi - lo < 16 {
        return (lo..=hi).fold(BigInt::from(1), |acc, k| acc * k);
    }
    let mid = lo + (hi - lo) / 2;
    product(lo, mid) * product(mid + 1, hi)
}

/// `math.comb(n, k)` and `math.perm(n, k)`: `n!/(n-k)!`, divided by `k!`
/// for combinations.
pub fn comb(n: u64, k: u64, ordered: bool) -> Result<Value> {
    if k > n {
        return Ok(Value::Int(0));
    }
    let k = if ordered { k } else { k.min(n - k) };
    reserve_bits((k as f64 * (n.max(2) as f64).log2()) as u64)?;
    let falling = product(n - k + 1, n);
    Ok(int(if ordered {
        falling
    } else {
        falling / product(2, k)
    }))
}

/// `math.gcd` of any ints.
pub fn gcd(x: &BigInt, y: &BigInt) -> Value {
    int(x.gcd(y))
}

/// A sign for `Sign`-less callers.
pub fn is_negative(x: &BigInt) -> bool {
    x.sign() == Sign::Minus
}
