//! Arithmetic, each result computed exactly and rounded once, as libmpdec does.

use super::*;

impl Decimal {
    /// A quiet NaN result when an operand is a NaN; a signaling one is
    /// InvalidOperation, as the default context traps it.
    pub(super) fn nan_operand(&self, other: Option<&Decimal>) -> Option<Outcome> {
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
    pub(super) fn divide(
        &self,
        other: &Decimal,
        ctx: &Context,
    ) -> Result<(Decimal, Decimal), Signal> {
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
    pub(super) fn pow_squarings(&self, n: i64, negative: bool, ctx: &Context) -> Outcome {
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
}
