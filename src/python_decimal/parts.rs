//! A Decimal's parts, and rounding it to a context (`fix`, `rescale`).

use super::*;

impl Decimal {
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
}
