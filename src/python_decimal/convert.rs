//! Quantizing, comparing, hashing and the text of a Decimal.

use super::*;

impl Decimal {
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
