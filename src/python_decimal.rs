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

    pub fn from_i64(i: i64) -> Decimal {
        Decimal::finite(i < 0, BigUint::from(i.unsigned_abs()), 0)
    }

    /// An integer of any size, as sign and magnitude.
    pub fn from_integer(negative: bool, magnitude: BigUint) -> Decimal {
        Decimal::finite(negative, magnitude, 0)
    }

    /// `Decimal(float)`: the float's exact binary value.
    pub fn from_f64(f: f64) -> Decimal {
        if f.is_nan() {
            return Decimal::nan();
        }
        if f.is_infinite() {
            return Decimal::infinity(f < 0.0);
        }
        let bits = f.to_bits();
        let biased = ((bits >> 52) & 0x7ff) as i64;
        let mut mantissa = bits & ((1 << 52) - 1);
        let mut e = if biased == 0 { -1074 } else { biased - 1075 };
        if biased != 0 {
            mantissa |= 1 << 52;
        }
        while mantissa != 0 && mantissa.is_multiple_of(2) {
            mantissa /= 2;
            e += 1;
        }
        let negative = f.is_sign_negative();
        if mantissa == 0 {
            return Decimal::finite(negative, BigUint::zero(), 0);
        }
        if e >= 0 {
            Decimal::finite(negative, BigUint::from(mantissa) << e as usize, 0)
        } else {
            // m × 2^e = m × 5^-e / 10^-e
            let coeff = BigUint::from(mantissa) * BigUint::from(5u32).pow((-e) as u32);
            Decimal::finite(negative, coeff, e)
        }
    }

    /// A Decimal's text as CPython reads it: spaces around, a sign, digits
    /// with one point, an exponent; `Infinity`, `Inf`, `NaN` and `sNaN`
    /// with a payload, in any case. Underscores are dropped wherever they
    /// stand, as CPython's decimal drops them (`Decimal('1__0')` is 10).
    /// Exponents past CPython's limits are its InvalidOperation.
    pub fn parse(text: &str) -> Outcome {
        let cleaned: String = text.trim().chars().filter(|c| *c != '_').collect();
        let (negative, body) = match cleaned.as_bytes().first() {
            Some(b'-') => (true, &cleaned[1..]),
            Some(b'+') => (false, &cleaned[1..]),
            _ => (false, cleaned.as_str()),
        };
        let lower = body.to_ascii_lowercase();
        if lower == "inf" || lower == "infinity" {
            return Ok(Decimal::infinity(negative));
        }
        for (prefix, form) in [("snan", Form::Signaling), ("nan", Form::NaN)] {
            if let Some(payload) = lower.strip_prefix(prefix) {
                let payload = if payload.is_empty() {
                    BigUint::zero()
                } else {
                    digits_of(payload).ok_or(Signal::ConversionSyntax)?
                };
                return Ok(Decimal {
                    negative,
                    coeff: payload,
                    exp: 0,
                    form,
                });
            }
        }
        let (mantissa, exponent) = match lower.split_once('e') {
            Some((m, e)) => (m, Some(e)),
            None => (lower.as_str(), None),
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        if int.is_empty() && frac.is_empty() {
            return Err(Signal::ConversionSyntax);
        }
        let coeff = digits_of(&format!("{int}{frac}")).ok_or(Signal::ConversionSyntax)?;
        let exp = match exponent {
            None => 0,
            Some(e) => {
                let (sign, digits) = match e.as_bytes().first() {
                    Some(b'-') => (-1, &e[1..]),
                    Some(b'+') => (1, &e[1..]),
                    _ => (1, e),
                };
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(Signal::ConversionSyntax);
                }
                // More digits than any i64 holds are far past the limits.
                sign * digits
                    .parse::<i64>()
                    .map_err(|_| Signal::InvalidOperation)?
            }
        };
        let exp = exp.saturating_sub(frac.len() as i64);
        let adjusted = exp.saturating_add(digits(&coeff) as i64 - 1);
        if adjusted > MAX_EMAX || exp < MIN_ETINY {
            return Err(Signal::InvalidOperation);
        }
        Ok(Decimal::finite(negative, coeff, exp))
    }

    pub fn is_finite(&self) -> bool {
        self.form == Form::Finite
    }

    pub fn is_infinite(&self) -> bool {
        self.form == Form::Infinite
    }

    pub fn is_nan(&self) -> bool {
        matches!(self.form, Form::NaN | Form::Signaling)
    }

    pub fn is_snan(&self) -> bool {
        self.form == Form::Signaling
    }

    pub fn is_qnan(&self) -> bool {
        self.form == Form::NaN
    }

    pub fn is_zero(&self) -> bool {
        self.is_finite() && self.coeff.is_zero()
    }

    pub fn is_signed(&self) -> bool {
        self.negative
    }

    /// The exponent (the payload's for NaNs is 'n', Python's `as_tuple`).
    pub fn exponent(&self) -> i64 {
        self.exp
    }

    pub fn coefficient(&self) -> &BigUint {
        &self.coeff
    }

    /// Python's `adjusted()`: the exponent of the most significant digit.
    pub fn adjusted(&self) -> i64 {
        if !self.is_finite() {
            return 0;
        }
        self.exp + digits(&self.coeff) as i64 - 1
    }

    /// The digits of the coefficient, most significant first.
    pub fn digit_string(&self) -> String {
        self.coeff.to_str_radix(10)
    }

    pub fn copy_abs(&self) -> Decimal {
        Decimal {
            negative: false,
            ..self.clone()
        }
    }

    pub fn copy_negate(&self) -> Decimal {
        Decimal {
            negative: !self.negative,
            ..self.clone()
        }
    }

    pub fn copy_sign(&self, other: &Decimal) -> Decimal {
        Decimal {
            negative: other.negative,
            ..self.clone()
        }
    }

    /// Rounds to the context's precision and exponent limits (the
    /// specification's final step of every operation).
    pub fn fix(self, ctx: &Context) -> Outcome {
        if !self.is_finite() {
            return Ok(self);
        }
        use condition::*;
        let (etiny, etop) = (ctx.etiny(), ctx.etop());
        if self.coeff.is_zero() {
            let exp = self.exp.clamp(etiny, ctx.emax);
            if exp != self.exp {
                ctx.raise(CLAMPED);
            }
            return Ok(Decimal { exp, ..self });
        }
        let length = digits(&self.coeff) as i64;
        let mut exp_min = length + self.exp - ctx.prec as i64;
        if exp_min > etop {
            ctx.raise(Signal::Overflow.conditions());
            return Err(Signal::Overflow);
        }
        let subnormal = self.adjusted() < ctx.emin;
        exp_min = exp_min.max(etiny);
        if self.exp >= exp_min {
            if subnormal {
                ctx.raise(SUBNORMAL);
            }
            return Ok(self);
        }
        let drop = (exp_min - self.exp) as u64;
        let (mut coeff, inexact) = shed(&self.coeff, drop, self.negative, ctx.rounding);
        if digits(&coeff) > ctx.prec {
            coeff /= 10u32;
            exp_min += 1;
            if exp_min > etop {
                ctx.raise(Signal::Overflow.conditions());
                return Err(Signal::Overflow);
            }
        }
        let mut raised = ROUNDED;
        if inexact {
            raised |= INEXACT;
        }
        if subnormal {
            raised |= SUBNORMAL;
            if inexact {
                raised |= UNDERFLOW;
            }
        }
        if inexact && coeff.is_zero() {
            raised |= CLAMPED;
        }
        ctx.raise(raised);
        Ok(Decimal::finite(self.negative, coeff, exp_min))
    }

    /// The same value at exponent `exp`, rounding the digits that go
    /// (`_rescale`): no context, any number of digits.
    pub fn rescale(&self, exp: i64, rounding: Rounding) -> Decimal {
        if !self.is_finite() {
            return self.clone();
        }
        if self.coeff.is_zero() {
            return Decimal::finite(self.negative, BigUint::zero(), exp);
        }
        if self.exp >= exp {
            let coeff = &self.coeff * pow10((self.exp - exp) as u64);
            return Decimal::finite(self.negative, coeff, exp);
        }
        let (coeff, _) = shed(
            &self.coeff,
            (exp - self.exp) as u64,
            self.negative,
            rounding,
        );
        Decimal::finite(self.negative, coeff, exp)
    }

    /// Rounded to `places` significant digits (`_round`, for formats).
    pub fn round_digits(&self, places: u64, rounding: Rounding) -> Decimal {
        if !self.is_finite() || self.coeff.is_zero() {
            return self.clone();
        }
        let places = places.max(1) as i64;
        let ans = self.rescale(self.adjusted() + 1 - places, rounding);
        if ans.adjusted() != self.adjusted() {
            return ans.rescale(ans.adjusted() + 1 - places, rounding);
        }
        ans
    }

    /// A quiet NaN result when an operand is a NaN; a signaling one is
    /// InvalidOperation, as the default context traps it.
    fn nan_operand(&self, other: Option<&Decimal>) -> Option<Outcome> {
        let operands = [Some(self), other];
        if operands.iter().flatten().any(|d| d.is_snan()) {
            return Some(Err(Signal::InvalidOperation));
        }
        operands
            .into_iter()
            .flatten()
            .find(|d| d.is_qnan())
            .map(|d| Ok(d.clone()))
    }

    pub fn add(&self, other: &Decimal, ctx: &Context) -> Outcome {
        if let Some(nan) = self.nan_operand(Some(other)) {
            return nan;
        }
        if self.is_infinite() {
            if other.is_infinite() && self.negative != other.negative {
                return Err(Signal::InvalidOperation);
            }
            return Ok(self.clone());
        }
        if other.is_infinite() {
            return Ok(other.clone());
        }
        let floor = ctx.rounding == Rounding::Floor;
        let exp = self.exp.min(other.exp);
        let negative_zero = floor && self.negative != other.negative;
        if self.coeff.is_zero() && other.coeff.is_zero() {
            let negative = self.negative && other.negative || negative_zero;
            return Decimal::finite(negative, BigUint::zero(), exp).fix(ctx);
        }
        if self.coeff.is_zero() {
            let exp = exp.max(other.exp - ctx.prec as i64 - 1);
            return other.rescale(exp, ctx.rounding).fix(ctx);
        }
        if other.coeff.is_zero() {
            let exp = exp.max(self.exp - ctx.prec as i64 - 1);
            return self.rescale(exp, ctx.rounding).fix(ctx);
        }
        let (a, b) = align(self, other, ctx.prec);
        let exp = a.exp;
        let sum = if a.negative == b.negative {
            Decimal::finite(a.negative, a.coeff + b.coeff, exp)
        } else {
            match a.coeff.cmp(&b.coeff) {
                Ordering::Equal => Decimal::finite(negative_zero, BigUint::zero(), exp),
                Ordering::Greater => Decimal::finite(a.negative, a.coeff - b.coeff, exp),
                Ordering::Less => Decimal::finite(b.negative, b.coeff - a.coeff, exp),
            }
        };
        sum.fix(ctx)
    }

    pub fn sub(&self, other: &Decimal, ctx: &Context) -> Outcome {
        if let Some(nan) = self.nan_operand(Some(other)) {
            return nan;
        }
        self.add(&other.copy_negate(), ctx)
    }

    pub fn mul(&self, other: &Decimal, ctx: &Context) -> Outcome {
        if let Some(nan) = self.nan_operand(Some(other)) {
            return nan;
        }
        let negative = self.negative != other.negative;
        if self.is_infinite() || other.is_infinite() {
            if self.is_zero() || other.is_zero() {
                return Err(Signal::InvalidOperation);
            }
            return Ok(Decimal::infinity(negative));
        }
        let coeff = &self.coeff * &other.coeff;
        Decimal::finite(negative, coeff, self.exp + other.exp).fix(ctx)
    }

    /// `x / y`: an exact quotient keeps the ideal exponent (`Decimal('10.00')
    /// / 4` is `Decimal('2.50')`), an inexact one is rounded to the precision.
    pub fn div(&self, other: &Decimal, ctx: &Context) -> Outcome {
        if let Some(nan) = self.nan_operand(Some(other)) {
            return nan;
        }
        let negative = self.negative != other.negative;
        match (self.is_infinite(), other.is_infinite()) {
            (true, true) => return Err(Signal::InvalidOperation),
            (true, false) => return Ok(Decimal::infinity(negative)),
            (false, true) => {
                return Ok(Decimal::finite(negative, BigUint::zero(), ctx.etiny()));
            }
            _ => {}
        }
        if other.coeff.is_zero() {
            return Err(if self.coeff.is_zero() {
                Signal::DivisionUndefined
            } else {
                Signal::DivisionByZero
            });
        }
        if self.coeff.is_zero() {
            return Decimal::finite(negative, BigUint::zero(), self.exp - other.exp).fix(ctx);
        }
        let shift = digits(&other.coeff) as i64 - digits(&self.coeff) as i64 + ctx.prec as i64 + 1;
        let mut exp = self.exp - other.exp - shift;
        let (mut coeff, remainder) = if shift >= 0 {
            (&self.coeff * pow10(shift as u64)).div_rem(&other.coeff)
        } else {
            self.coeff.div_rem(&(&other.coeff * pow10((-shift) as u64)))
        };
        if !remainder.is_zero() {
            // A last digit of 0 or 5 would read as exact to the rounding.
            if (&coeff % 5u32).is_zero() {
                coeff += 1u32;
            }
        } else {
            let ideal = self.exp - other.exp;
            while exp < ideal && (&coeff % 10u32).is_zero() {
                coeff /= 10u32;
                exp += 1;
            }
        }
        Decimal::finite(negative, coeff, exp).fix(ctx)
    }

    /// The integer part of `x / y` (toward zero) and the remainder with the
    /// dividend's sign, both finite and `y` nonzero.
    fn divide(&self, other: &Decimal, ctx: &Context) -> Result<(Decimal, Decimal), Signal> {
        let negative = self.negative != other.negative;
        // An infinite divisor leaves the dividend as it is.
        let ideal = if other.is_infinite() {
            self.exp
        } else {
            self.exp.min(other.exp)
        };
        let zero_quotient = Decimal::finite(negative, BigUint::zero(), 0);
        let expdiff = self.adjusted() - other.adjusted();
        if self.coeff.is_zero() || other.is_infinite() || expdiff <= -2 {
            return Ok((zero_quotient, self.rescale(ideal, ctx.rounding)));
        }
        if expdiff <= ctx.prec as i64 {
            let (mut a, mut b) = (self.coeff.clone(), other.coeff.clone());
            if self.exp >= other.exp {
                a *= pow10((self.exp - other.exp) as u64);
            } else {
                b *= pow10((other.exp - self.exp) as u64);
            }
            let (q, r) = a.div_rem(&b);
            if q < pow10(ctx.prec) {
                return Ok((
                    Decimal::finite(negative, q, 0),
                    Decimal::finite(self.negative, r, ideal),
                ));
            }
        }
        Err(Signal::DivisionImpossible)
    }

    pub fn floor_div(&self, other: &Decimal, ctx: &Context) -> Outcome {
        if let Some(nan) = self.nan_operand(Some(other)) {
            return nan;
        }
        let negative = self.negative != other.negative;
        if self.is_infinite() {
            if other.is_infinite() {
                return Err(Signal::InvalidOperation);
            }
            return Ok(Decimal::infinity(negative));
        }
        if other.is_zero() {
            return Err(if self.is_zero() {
                Signal::DivisionUndefined
            } else {
                Signal::DivisionByZero
            });
        }
        Ok(self.divide(other, ctx)?.0)
    }

    pub fn rem(&self, other: &Decimal, ctx: &Context) -> Outcome {
        if let Some(nan) = self.nan_operand(Some(other)) {
            return nan;
        }
        if self.is_infinite() {
            return Err(Signal::InvalidOperation);
        }
        if other.is_zero() {
            return Err(if self.is_zero() {
                Signal::DivisionUndefined
            } else {
                Signal::InvalidOperation
            });
        }
        self.divide(other, ctx)?.1.fix(ctx)
    }

    pub fn divmod(&self, other: &Decimal, ctx: &Context) -> Result<(Decimal, Decimal), Signal> {
        if let Some(nan) = self.nan_operand(Some(other)) {
            let nan = nan?;
            return Ok((nan.clone(), nan));
        }
        if self.is_infinite() {
            // Infinity's remainder is invalid, which the context traps.
            return Err(Signal::InvalidOperation);
        }
        if other.is_zero() {
            return Err(if self.is_zero() {
                Signal::DivisionUndefined
            } else {
                Signal::DivmodByZero
            });
        }
        let (q, r) = self.divide(other, ctx)?;
        Ok((q, r.fix(ctx)?))
    }

    /// `-x`: a zero loses its sign, as Python's `__neg__` in the default
    /// rounding.
    pub fn neg(&self, ctx: &Context) -> Outcome {
        // A NaN keeps its sign: only numbers are negated.
        if let Some(nan) = self.nan_operand(None) {
            return nan;
        }
        self.copy_negate().plus(ctx)
    }

    /// `+x`: rounded to the context.
    pub fn plus(&self, ctx: &Context) -> Outcome {
        if let Some(nan) = self.nan_operand(None) {
            return nan;
        }
        if self.is_zero() && ctx.rounding != Rounding::Floor {
            return self.copy_abs().fix(ctx);
        }
        self.clone().fix(ctx)
    }

    pub fn abs(&self, ctx: &Context) -> Outcome {
        if let Some(nan) = self.nan_operand(None) {
            return nan;
        }
        if self.negative {
            self.neg(ctx)
        } else {
            self.plus(ctx)
        }
    }

    /// `x ** n` for an integer `n`, as CPython computes it (which is not
    /// always the correctly rounded result: `pow_squarings`).
    pub fn pow_int(&self, n: i64, ctx: &Context) -> Outcome {
        if let Some(nan) = self.nan_operand(None) {
            return nan;
        }
        let negative = self.negative && n % 2 != 0;
        if n == 0 {
            if self.is_zero() {
                return Err(Signal::InvalidOperation);
            }
            return Ok(Decimal::from_i64(1));
        }
        if self.is_infinite() {
            return Ok(if n > 0 {
                Decimal::infinity(negative)
            } else {
                Decimal::finite(negative, BigUint::zero(), 0)
            });
        }
        if self.coeff.is_zero() {
            return Ok(if n > 0 {
                Decimal::finite(negative, BigUint::zero(), 0)
            } else {
                Decimal::infinity(negative)
            });
        }
        // Far past the exponent limits, the result is known without it.
        let magnitude = self.adjusted() as f64 + leading_log10(&self.coeff);
        let scale = magnitude * n as f64;
        if scale > (ctx.emax + 1) as f64 {
            return Err(Signal::Overflow);
        }
        if scale < (ctx.etiny() - 2) as f64 {
            return Ok(Decimal::finite(negative, BigUint::zero(), ctx.etiny()));
        }
        self.pow_squarings(n, negative, ctx)
    }

    /// `x ** n` as CPython's decimal (libmpdec) computes it: left-to-right
    /// squarings at the precision plus the exponent's digits and two, halves
    /// to even, `1/x` first for a negative `n`; then one rounding to the
    /// context. Exact powers keep their ideal exponent (`Decimal('1.50') ** 2`
    /// is `Decimal('2.2500')`).
    fn pow_squarings(&self, n: i64, negative: bool, ctx: &Context) -> Outcome {
        let e = n.unsigned_abs();
        let extra = e.checked_ilog10().map_or(1, |d| d as u64 + 1) + 2 + u64::from(n < 0);
        let work = ctx.variant(ctx.prec + extra, Rounding::HalfEven, ctx.emax, ctx.emin);
        let base = if n < 0 {
            Decimal::from_i64(1).div(&self.copy_abs(), &work)
        } else {
            Ok(self.copy_abs())
        };
        let outcome = base.and_then(|base| {
            let mut result = base.clone();
            for bit in (0..e.ilog2()).rev() {
                result = result.mul(&result, &work)?;
                if e >> bit & 1 == 1 {
                    result = result.mul(&base, &work)?;
                }
                if result.is_zero() && work.flags.get() & condition::CLAMPED != 0 {
                    break;
                }
            }
            Ok(result)
        });
        ctx.raise(work.flags.get());
        Decimal {
            negative,
            ..outcome?
        }
        .fix(ctx)
    }

    /// Python's `sqrt()`, correctly rounded, halves to even.
    pub fn sqrt(&self, ctx: &Context) -> Outcome {
        if let Some(nan) = self.nan_operand(None) {
            return nan;
        }
        if self.is_zero() {
            return Decimal::finite(self.negative, BigUint::zero(), self.exp.div_euclid(2))
                .fix(ctx);
        }
        if self.negative {
            return Err(Signal::InvalidOperation);
        }
        if self.is_infinite() {
            return Ok(self.clone());
        }
        let prec = ctx.prec as i64 + 1;
        let length = digits(&self.coeff) as i64;
        let mut e = self.exp >> 1;
        let (c, l) = if self.exp & 1 == 1 {
            (&self.coeff * 10u32, (length >> 1) + 1)
        } else {
            (self.coeff.clone(), (length + 1) >> 1)
        };
        let shift = prec - l;
        let (c, mut exact) = if shift >= 0 {
            (c * pow10(2 * shift as u64), true)
        } else {
            let (q, r) = c.div_rem(&pow10(2 * (-shift) as u64));
            (q, r.is_zero())
        };
        e -= shift;
        let mut n = c.sqrt();
        exact = exact && &n * &n == c;
        if exact {
            if shift >= 0 {
                n /= pow10(shift as u64);
            } else {
                n *= pow10((-shift) as u64);
            }
            e += shift;
        } else if (&n % 5u32).is_zero() {
            n += 1u32;
        }
        let half_even = ctx.variant(ctx.prec, Rounding::HalfEven, ctx.emax, ctx.emin);
        let root = Decimal::finite(false, n, e).fix(&half_even);
        ctx.raise(half_even.flags.get());
        root
    }

    /// `quantize(exp)`: this value at the exponent of `target`.
    pub fn quantize(&self, target: &Decimal, rounding: Rounding, ctx: &Context) -> Outcome {
        if let Some(nan) = self.nan_operand(Some(target)) {
            return nan;
        }
        if self.is_infinite() || target.is_infinite() {
            if self.is_infinite() && target.is_infinite() {
                return Ok(self.clone());
            }
            return Err(Signal::InvalidOperation);
        }
        let exp = target.exp;
        if exp < ctx.etiny() || exp > ctx.emax {
            return Err(Signal::InvalidOperation);
        }
        if self.coeff.is_zero() {
            return Decimal::finite(self.negative, BigUint::zero(), exp).fix(ctx);
        }
        let adjusted = self.adjusted();
        if adjusted > ctx.emax || adjusted - exp + 1 > ctx.prec as i64 {
            return Err(Signal::InvalidOperation);
        }
        let ans = self.rescale(exp, rounding);
        if ans.adjusted() > ctx.emax || digits(&ans.coeff) > ctx.prec {
            return Err(Signal::InvalidOperation);
        }
        if ans.exp > self.exp {
            let inexact = !ans.numeric_eq(self);
            ctx.raise(condition::ROUNDED | if inexact { condition::INEXACT } else { 0 });
        }
        ans.fix(ctx)
    }

    /// `to_integral_value(rounding)`: no digits after the point.
    pub fn to_integral(&self, rounding: Rounding) -> Outcome {
        if let Some(nan) = self.nan_operand(None) {
            return nan;
        }
        if !self.is_finite() || self.exp >= 0 {
            return Ok(self.clone());
        }
        Ok(self.rescale(0, rounding))
    }

    /// `normalize()`: rounded, then without trailing zeros.
    pub fn normalize(&self, ctx: &Context) -> Outcome {
        if let Some(nan) = self.nan_operand(None) {
            return nan;
        }
        let dup = self.clone().fix(ctx)?;
        if dup.is_infinite() {
            return Ok(dup);
        }
        if dup.coeff.is_zero() {
            return Ok(Decimal::finite(dup.negative, BigUint::zero(), 0));
        }
        let (mut coeff, mut exp) = (dup.coeff, dup.exp);
        while exp < ctx.emax && (&coeff % 10u32).is_zero() {
            coeff /= 10u32;
            exp += 1;
        }
        Ok(Decimal::finite(dup.negative, coeff, exp))
    }

    /// `scaleb(n)`: the exponent moved by `n`, at most twice the exponent
    /// range as CPython allows.
    pub fn scaleb(&self, n: i64, ctx: &Context) -> Outcome {
        if let Some(nan) = self.nan_operand(None) {
            return nan;
        }
        let limit = 2 * (ctx.emax + ctx.prec as i64);
        if !(-limit..=limit).contains(&n) {
            return Err(Signal::InvalidOperation);
        }
        if self.is_infinite() {
            return Ok(self.clone());
        }
        Decimal {
            exp: self.exp.saturating_add(n),
            ..self.clone()
        }
        .fix(ctx)
    }

    /// The numeric order; `None` when a NaN is involved.
    pub fn compare(&self, other: &Decimal) -> Option<Ordering> {
        if self.is_nan() || other.is_nan() {
            return None;
        }
        let rank = |d: &Decimal| -> i8 {
            match (d.form, d.negative, d.coeff.is_zero()) {
                (Form::Infinite, true, _) => -2,
                (Form::Infinite, false, _) => 2,
                (_, _, true) => 0,
                (_, true, _) => -1,
                _ => 1,
            }
        };
        let (ra, rb) = (rank(self), rank(other));
        if ra != rb || ra.abs() != 1 {
            return Some(ra.cmp(&rb));
        }
        let magnitude = match self.adjusted().cmp(&other.adjusted()) {
            Ordering::Equal => {
                let (a, b) = if self.exp >= other.exp {
                    (
                        &self.coeff * pow10((self.exp - other.exp) as u64),
                        other.coeff.clone(),
                    )
                } else {
                    (
                        self.coeff.clone(),
                        &other.coeff * pow10((other.exp - self.exp) as u64),
                    )
                };
                a.cmp(&b)
            }
            unequal => unequal,
        };
        Some(if ra < 0 {
            magnitude.reverse()
        } else {
            magnitude
        })
    }

    /// A finite nonzero value as sign, coefficient without trailing zeros
    /// and exponent: one form for all equal values (`1.50` and `15E-1`).
    pub fn reduced(&self) -> (bool, BigUint, i64) {
        let (coeff, zeros) = strip_zeros(&self.coeff);
        (self.negative, coeff, self.exp + zeros as i64)
    }

    /// Equal as numbers (`Decimal('1.0') == Decimal('1')`); NaNs never.
    pub fn numeric_eq(&self, other: &Decimal) -> bool {
        self.compare(other) == Some(Ordering::Equal)
    }

    /// Toward zero, as `int(Decimal)`: sign and magnitude.
    pub fn trunc(&self) -> Option<(bool, BigUint)> {
        if !self.is_finite() {
            return None;
        }
        let magnitude = if self.exp >= 0 {
            &self.coeff * pow10(self.exp as u64)
        } else if (-self.exp) as u64 > digits(&self.coeff) {
            BigUint::zero()
        } else {
            &self.coeff / pow10((-self.exp) as u64)
        };
        Some((self.negative && !magnitude.is_zero(), magnitude))
    }

    /// `float(Decimal)`: the nearest float to the value's text.
    pub fn to_f64(&self) -> f64 {
        match self.form {
            Form::Infinite if self.negative => f64::NEG_INFINITY,
            Form::Infinite => f64::INFINITY,
            Form::NaN | Form::Signaling if self.negative => -f64::NAN,
            Form::NaN | Form::Signaling => f64::NAN,
            Form::Finite => self.to_sci_string().parse().unwrap_or(f64::NAN),
        }
    }

    /// `as_integer_ratio()` of a finite value, in lowest terms.
    pub fn integer_ratio(&self) -> Option<(bool, BigUint, BigUint)> {
        if !self.is_finite() {
            return None;
        }
        if self.coeff.is_zero() {
            return Some((false, BigUint::zero(), BigUint::one()));
        }
        let (num, den) = if self.exp >= 0 {
            (&self.coeff * pow10(self.exp as u64), BigUint::one())
        } else {
            (self.coeff.clone(), pow10((-self.exp) as u64))
        };
        let g = num.gcd(&den);
        Some((self.negative, num / &g, den / g))
    }

    /// Python's hash, equal to the hash of an equal int or float: the value
    /// as a fraction modulo 2**61 - 1. `None` for a NaN (its hash is its
    /// identity's) and `Err` for a signaling one.
    pub fn hash(&self) -> std::result::Result<Option<i64>, &'static str> {
        const P: u64 = (1 << 61) - 1;
        match self.form {
            Form::Signaling => return Err("Cannot hash a signaling NaN value."),
            Form::NaN => return Ok(None),
            Form::Infinite => return Ok(Some(if self.negative { -314_159 } else { 314_159 })),
            Form::Finite => {}
        }
        let p = BigUint::from(P);
        let ten = BigUint::from(10u32);
        // 10 ** (P - 2) is 10's inverse modulo the prime P.
        let scale = if self.exp >= 0 {
            ten.modpow(&BigUint::from(self.exp as u64), &p)
        } else {
            ten.modpow(&BigUint::from(P - 2), &p)
                .modpow(&BigUint::from((-self.exp) as u64), &p)
        };
        let h = (&self.coeff % &p * scale % &p).to_i64().unwrap_or(0);
        let h = if self.negative { -h } else { h };
        Ok(Some(if h == -1 { -2 } else { h }))
    }

    /// Python's `str()` (the specification's to-scientific-string).
    pub fn to_sci_string(&self) -> String {
        let sign = if self.negative { "-" } else { "" };
        let payload = || {
            if self.coeff.is_zero() {
                String::new()
            } else {
                self.digit_string()
            }
        };
        match self.form {
            Form::Infinite => return format!("{sign}Infinity"),
            Form::NaN => return format!("{sign}NaN{}", payload()),
            Form::Signaling => return format!("{sign}sNaN{}", payload()),
            Form::Finite => {}
        }
        let digits = self.digit_string();
        let leftdigits = self.exp + digits.len() as i64;
        let dotplace = if self.exp <= 0 && leftdigits > -6 {
            leftdigits
        } else {
            1
        };
        let (int, frac) = place_point(&digits, dotplace);
        let frac = if frac.is_empty() {
            frac
        } else {
            format!(".{frac}")
        };
        let exponent = if leftdigits == dotplace {
            String::new()
        } else {
            format!("E{:+}", leftdigits - dotplace)
        };
        format!("{sign}{int}{frac}{exponent}")
    }

    /// Python's `__format__` for a finite value up to sign, fill and
    /// grouping: the integer digits and the rest (point, fraction,
    /// exponent, `%`). `kind` is the presentation type (`None` is `g` with
    /// capitals), `alternate` is `#`.
    pub fn format_parts(
        &self,
        kind: Option<char>,
        precision: Option<usize>,
        alternate: bool,
    ) -> (bool, String, String) {
        let kind = kind.unwrap_or('G');
        let kind = if kind == 'n' { 'g' } else { kind };
        let rounding = Context::python().rounding;
        let mut d = self.clone();
        if kind == '%' {
            d.exp += 2;
        }
        let precision = match (kind, precision) {
            ('g' | 'G', Some(0)) => Some(1),
            (_, p) => p,
        };
        if let Some(p) = precision {
            match kind {
                'e' | 'E' => d = d.round_digits(p as u64 + 1, rounding),
                'f' | 'F' | '%' => d = d.rescale(-(p as i64), rounding),
                'g' | 'G' if digits(&d.coeff) > p as u64 => d = d.round_digits(p as u64, rounding),
                _ => {}
            }
        }
        if d.coeff.is_zero() && d.exp > 0 && matches!(kind, 'f' | 'F' | '%') {
            d = d.rescale(0, rounding);
        }
        let digits = d.digit_string();
        let leftdigits = d.exp + digits.len() as i64;
        let dotplace = match kind {
            'e' | 'E' if d.coeff.is_zero() && precision.is_some() => {
                1 - precision.unwrap_or(0) as i64
            }
            'e' | 'E' => 1,
            'f' | 'F' | '%' => leftdigits,
            _ if d.exp <= 0 && leftdigits > -6 => leftdigits,
            _ => 1,
        };
        let (int, frac) = place_point(&digits, dotplace);
        let exp = leftdigits - dotplace;
        let mut rest = if !frac.is_empty() || alternate {
            format!(".{frac}")
        } else {
            String::new()
        };
        if exp != 0 || matches!(kind, 'e' | 'E') {
            let e = if matches!(kind, 'E' | 'G') { 'E' } else { 'e' };
            rest.push_str(&format!("{e}{exp:+}"));
        }
        if kind == '%' {
            rest.push('%');
        }
        (d.negative, int, rest)
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
