//! Python's `decimal.Decimal`: the General Decimal Arithmetic specification
//! as CPython's `decimal` module implements it. A value is a sign, an
//! unbounded coefficient and an exponent, kept exactly as written
//! (`Decimal('1.10')`, `Decimal('-0')`, `Decimal('1E+2')`); each operation
//! computes the exact result and rounds it once to the context's precision,
//! so results are Python's digit for digit, trailing zeros and the sign of
//! zero included. The engine's `decimal` module, the fields that store
//! Decimals and the compiler that binds them all go through this type.

use num_bigint::BigUint;
use num_integer::Integer;
use num_traits::{One, ToPrimitive, Zero};
use std::cmp::Ordering;

mod arith;
mod convert;
mod parse;
mod parts;

/// The rounding modes, named as the `decimal` module names them.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Rounding {
    Up,
    Down,
    Ceiling,
    Floor,
    HalfUp,
    HalfDown,
    HalfEven,
    ZeroFiveUp,
}

impl Rounding {
    pub const ALL: [Rounding; 8] = [
        Rounding::HalfEven,
        Rounding::HalfUp,
        Rounding::HalfDown,
        Rounding::Up,
        Rounding::Down,
        Rounding::Ceiling,
        Rounding::Floor,
        Rounding::ZeroFiveUp,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Rounding::Up => "ROUND_UP",
            Rounding::Down => "ROUND_DOWN",
            Rounding::Ceiling => "ROUND_CEILING",
            Rounding::Floor => "ROUND_FLOOR",
            Rounding::HalfUp => "ROUND_HALF_UP",
            Rounding::HalfDown => "ROUND_HALF_DOWN",
            Rounding::HalfEven => "ROUND_HALF_EVEN",
            Rounding::ZeroFiveUp => "ROUND_05UP",
        }
    }

    pub fn from_name(name: &str) -> Option<Rounding> {
        Rounding::ALL.into_iter().find(|r| r.name() == name)
    }
}

/// A condition that Python's default context traps: the operation raises.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Signal {
    InvalidOperation,
    ConversionSyntax,
    DivisionByZero,
    DivisionUndefined,
    DivisionImpossible,
    /// `divmod(x, 0)`: Python lists both conditions.
    DivmodByZero,
    Overflow,
}

impl Signal {
    /// The exception class Python raises.
    pub fn class(self) -> &'static str {
        match self {
            Signal::DivisionByZero => "DivisionByZero",
            Signal::Overflow => "Overflow",
            _ => "InvalidOperation",
        }
    }

    /// Python's message: the conditions that were signalled.
    pub fn message(self) -> String {
        let name = match self {
            Signal::DivmodByZero => {
                return "[<class 'decimal.InvalidOperation'>, <class 'decimal.DivisionByZero'>]"
                    .into();
            }
            Signal::InvalidOperation => "InvalidOperation",
            Signal::ConversionSyntax => "ConversionSyntax",
            Signal::DivisionByZero => "DivisionByZero",
            Signal::DivisionUndefined => "DivisionUndefined",
            Signal::DivisionImpossible => "DivisionImpossible",
            Signal::Overflow => "Overflow",
        };
        format!("[<class 'decimal.{name}'>]")
    }
}

impl Signal {
    /// The conditions Python records in the context's flags.
    pub fn conditions(self) -> u16 {
        use condition::*;
        match self {
            Signal::InvalidOperation => INVALID_OPERATION,
            Signal::ConversionSyntax => CONVERSION_SYNTAX,
            Signal::DivisionByZero => DIVISION_BY_ZERO,
            Signal::DivisionUndefined => DIVISION_UNDEFINED,
            Signal::DivisionImpossible => DIVISION_IMPOSSIBLE,
            Signal::DivmodByZero => INVALID_OPERATION | DIVISION_BY_ZERO,
            Signal::Overflow => OVERFLOW | INEXACT | ROUNDED,
        }
    }
}

/// The conditions an operation can raise, numbered as CPython's decimal
/// (libmpdec) numbers them: the order in which a context's flags print.
pub mod condition {
    pub const CLAMPED: u16 = 1;
    pub const CONVERSION_SYNTAX: u16 = 2;
    pub const DIVISION_BY_ZERO: u16 = 4;
    pub const DIVISION_IMPOSSIBLE: u16 = 8;
    pub const DIVISION_UNDEFINED: u16 = 16;
    pub const INEXACT: u16 = 64;
    pub const INVALID_OPERATION: u16 = 256;
    pub const FLOAT_OPERATION: u16 = 1024;
    pub const OVERFLOW: u16 = 2048;
    pub const ROUNDED: u16 = 4096;
    pub const SUBNORMAL: u16 = 8192;
    pub const UNDERFLOW: u16 = 16384;

    /// The signal names of `flags`, each once, in Python's order
    /// (`[Inexact, Rounded]`).
    pub fn names(flags: u16) -> Vec<&'static str> {
        let table = [
            (CLAMPED, "Clamped"),
            (CONVERSION_SYNTAX, "InvalidOperation"),
            (DIVISION_BY_ZERO, "DivisionByZero"),
            (DIVISION_IMPOSSIBLE, "InvalidOperation"),
            (DIVISION_UNDEFINED, "InvalidOperation"),
            (INEXACT, "Inexact"),
            (INVALID_OPERATION, "InvalidOperation"),
            (FLOAT_OPERATION, "FloatOperation"),
            (OVERFLOW, "Overflow"),
            (ROUNDED, "Rounded"),
            (SUBNORMAL, "Subnormal"),
            (UNDERFLOW, "Underflow"),
        ];
        let mut out: Vec<&'static str> = Vec::new();
        for (bit, name) in table {
            if flags & bit != 0 && !out.contains(&name) {
                out.push(name);
            }
        }
        out
    }
}

pub type Outcome = std::result::Result<Decimal, Signal>;

/// The arithmetic context: precision, rounding, exponent limits, and the
/// flags of the conditions its operations have raised (as Python's context
/// records them: `flags=[Inexact, Rounded]` after `Decimal(1) / 7`).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Context {
    pub prec: u64,
    pub rounding: Rounding,
    pub emax: i64,
    pub emin: i64,
    pub flags: std::cell::Cell<u16>,
}

impl Context {
    /// Python's default context, with no flags raised.
    pub const fn python() -> Context {
        Context {
            prec: 28,
            rounding: Rounding::HalfEven,
            emax: 999_999,
            emin: -999_999,
            flags: std::cell::Cell::new(0),
        }
    }

    /// Records conditions in the flags.
    pub fn raise(&self, conditions: u16) {
        self.flags.set(self.flags.get() | conditions);
    }

    /// The same settings with flags of its own.
    fn variant(&self, prec: u64, rounding: Rounding, emax: i64, emin: i64) -> Context {
        Context {
            prec,
            rounding,
            emax,
            emin,
            flags: std::cell::Cell::new(0),
        }
    }

    /// `decimal.Context(prec=…)`: the defaults with another precision.
    pub fn with_prec(prec: u64) -> Context {
        Context {
            prec: prec.max(1),
            ..Context::python()
        }
    }

    fn etiny(&self) -> i64 {
        self.emin - self.prec as i64 + 1
    }

    fn etop(&self) -> i64 {
        self.emax - self.prec as i64 + 1
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Form {
    Finite,
    Infinite,
    /// A quiet NaN; its payload is the coefficient.
    NaN,
    Signaling,
}

#[derive(Clone, Debug)]
pub struct Decimal {
    negative: bool,
    coeff: BigUint,
    exp: i64,
    form: Form,
}

/// 10**n. Callers keep `n` to the digits of values that exist (Decimal
/// exponents past them are refused before): no truncation here.
fn pow10(n: u64) -> BigUint {
    num_traits::Pow::pow(BigUint::from(10u32), n)
}

/// `n` without its trailing decimal zeros, and how many there were; by
/// doubling powers of ten, so a long run of zeros costs few divisions.
pub fn strip_zeros(n: &BigUint) -> (BigUint, u64) {
    let mut n = n.clone();
    let mut count = 0;
    if n.is_zero() {
        return (n, 0);
    }
    let mut step = 1u64;
    loop {
        let (q, r) = n.div_rem(&pow10(step));
        if r.is_zero() {
            n = q;
            count += step;
            step *= 2;
        } else if step == 1 {
            return (n, count);
        } else {
            step /= 2;
        }
    }
}

/// The number of decimal digits of `n` (one for zero).
fn digits(n: &BigUint) -> u64 {
    if let Some(small) = n.to_u128() {
        return small.checked_ilog10().map_or(1, |d| d as u64 + 1);
    }
    // log10(2) slightly low, then corrected by one comparison.
    let estimate = ((n.bits() - 1) as f64 * std::f64::consts::LOG10_2) as u64 + 1;
    if *n >= pow10(estimate) {
        estimate + 1
    } else {
        estimate
    }
}

/// `coeff` without its last `drop` digits, rounded as `rounding` says;
/// also whether a nonzero digit was dropped.
fn shed(coeff: &BigUint, drop: u64, negative: bool, rounding: Rounding) -> (BigUint, bool) {
    if drop == 0 {
        return (coeff.clone(), false);
    }
    let (kept, half, nonzero) = if drop > digits(coeff) {
        // Every digit goes, and together they are less than a half.
        (BigUint::zero(), Ordering::Less, !coeff.is_zero())
    } else {
        let p = pow10(drop);
        let (kept, rest) = coeff.div_rem(&p);
        let half = (&rest * 2u32).cmp(&p);
        (kept, half, !rest.is_zero())
    };
    let last = (&kept % 10u32).to_u32().unwrap_or(0);
    let up = match rounding {
        Rounding::Down => false,
        Rounding::Up => nonzero,
        Rounding::Ceiling => nonzero && !negative,
        Rounding::Floor => nonzero && negative,
        Rounding::HalfUp => half != Ordering::Less,
        Rounding::HalfDown => half == Ordering::Greater,
        Rounding::HalfEven => half == Ordering::Greater || half == Ordering::Equal && last % 2 == 1,
        Rounding::ZeroFiveUp => nonzero && (last == 0 || last == 5),
    };
    (if up { kept + 1u32 } else { kept }, nonzero)
}

impl Decimal {
    pub fn finite(negative: bool, coeff: BigUint, exp: i64) -> Decimal {
        Decimal {
            negative,
            coeff,
            exp,
            form: Form::Finite,
        }
    }

    fn special(negative: bool, form: Form) -> Decimal {
        Decimal {
            negative,
            coeff: BigUint::zero(),
            exp: 0,
            form,
        }
    }

    pub fn infinity(negative: bool) -> Decimal {
        Decimal::special(negative, Form::Infinite)
    }

    pub fn nan() -> Decimal {
        Decimal::special(false, Form::NaN)
    }

    pub fn zero() -> Decimal {
        Decimal::from_i64(0)
    }
}

/// Digits split around a point at `dotplace` (counted from the left).
fn place_point(digits: &str, dotplace: i64) -> (String, String) {
    if dotplace <= 0 {
        (
            "0".into(),
            format!("{}{digits}", "0".repeat((-dotplace) as usize)),
        )
    } else if dotplace as usize >= digits.len() {
        (
            format!("{digits}{}", "0".repeat(dotplace as usize - digits.len())),
            String::new(),
        )
    } else {
        let (int, frac) = digits.split_at(dotplace as usize);
        (int.to_string(), frac.to_string())
    }
}

/// log10 of the coefficient's leading digits as a fraction of one digit.
fn leading_log10(coeff: &BigUint) -> f64 {
    let text = coeff.to_str_radix(10);
    let lead: f64 = text[..text.len().min(15)].parse().unwrap_or(1.0);
    lead.log10() - (text.len().min(15) as f64 - 1.0)
}

/// Two operands at one exponent for an addition; a far smaller one is
/// replaced by a single digit below the precision, which rounds the same.
fn align(x: &Decimal, y: &Decimal, prec: u64) -> (Decimal, Decimal) {
    let (big, small, swapped) = if x.exp < y.exp {
        (y, x, true)
    } else {
        (x, y, false)
    };
    let mut small = small.clone();
    let big_len = digits(&big.coeff) as i64;
    let floor = big.exp + (-1).min(big_len - prec as i64 - 2);
    if digits(&small.coeff) as i64 + small.exp - 1 < floor {
        small.coeff = BigUint::one();
        small.exp = floor;
    }
    let mut big = big.clone();
    big.coeff *= pow10((big.exp - small.exp) as u64);
    big.exp = small.exp;
    if swapped { (small, big) } else { (big, small) }
}

/// ASCII decimal digits as a number (none is zero).
fn digits_of(text: &str) -> Option<BigUint> {
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if text.is_empty() {
        return Some(BigUint::zero());
    }
    BigUint::parse_bytes(text.as_bytes(), 10)
}

/// CPython's largest exponent (`MAX_EMAX`) and smallest (`MIN_ETINY`):
/// a Decimal outside them cannot be made, so exponent arithmetic stays
/// well inside an i64.
pub const MAX_EMAX: i64 = 999_999_999_999_999_999;
const MIN_ETINY: i64 = -MAX_EMAX - (MAX_EMAX - 1);

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::parse(s).unwrap()
    }

    fn show(o: Outcome) -> String {
        o.map(|d| d.to_sci_string()).unwrap_or_else(|s| s.message())
    }

    #[test]
    fn text_round_trips_as_python_prints_it() {
        for (text, shown) in [
            ("1.10", "1.10"),
            ("-0", "-0"),
            ("1E+2", "1E+2"),
            ("0.000001", "0.000001"),
            ("0.0000001", "1E-7"),
            ("123E-10", "1.23E-8"),
            ("1_000.25", "1000.25"),
            ("  -inf ", "-Infinity"),
            ("nan12", "NaN12"),
            (".5", "0.5"),
            ("5.", "5"),
        ] {
            assert_eq!(d(text).to_sci_string(), shown, "{text}");
        }
        for bad in ["", ".", "1.2.3", "e5", "1e", "abc", "1 2", "1e+", "--1"] {
            assert!(Decimal::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn arithmetic_rounds_once_to_28_digits() {
        assert_eq!(
            show(d("1").div(&d("3"), &Context::python())),
            "0.3333333333333333333333333333"
        );
        assert_eq!(show(d("10.00").div(&d("4"), &Context::python())), "2.50");
        assert_eq!(show(d("-1.5").mul(&d("0"), &Context::python())), "-0.0");
        assert_eq!(show(d("0").neg(&Context::python())), "0");
        assert_eq!(show(d("1E+2").add(&d("1"), &Context::python())), "101");
        assert_eq!(
            show(d("1E+50").add(&d("1E-50"), &Context::python())),
            "1.000000000000000000000000000E+50"
        );
        assert_eq!(show(d("-7").rem(&d("3"), &Context::python())), "-1");
        assert_eq!(show(d("-7").floor_div(&d("2"), &Context::python())), "-3");
        assert_eq!(
            show(d("2").sqrt(&Context::python())),
            "1.414213562373095048801688724"
        );
        assert_eq!(show(d("0.0400").sqrt(&Context::python())), "0.20");
        assert_eq!(show(d("1.50").pow_int(2, &Context::python())), "2.2500");
        assert_eq!(show(d("1.0").pow_int(-1, &Context::python())), "1");
        assert_eq!(
            show(d("1.1").pow_int(100_000, &Context::python())),
            "1.855734417546823747428055637E+4139"
        );
        assert_eq!(
            show(d("9E+999999").mul(&d("10"), &Context::python())),
            "[<class 'decimal.Overflow'>]"
        );
    }

    #[test]
    fn hashes_agree_with_ints_and_floats() {
        assert_eq!(d("2.00").hash(), Ok(Some(2)));
        assert_eq!(d("-1").hash(), Ok(Some(-2)));
        assert_eq!(d("0.5").hash(), Ok(Some(1 << 60)));
    }
}
