//! Decimals made from ints, floats and text, as CPython's constructor reads them.

use super::*;

impl Decimal {
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
}
