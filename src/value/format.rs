//! Python's format-spec mini-language (`f'{x:>8.2f}'`, `format()`,
//! `str.format`) and printf-style `%` formatting (`'%s (%d)' % (a, b)`).

use crate::error::{Error, Result};
use crate::value::Value;
use crate::value::repr::{float_repr, repr, str};
use num_bigint::BigInt;

mod percent;
pub use percent::*;

#[derive(Default, Debug, Clone)]
struct Spec {
    fill: Option<char>,
    align: Option<char>,
    sign: Option<char>,
    alternate: bool,
    zero: bool,
    width: usize,
    grouping: Option<char>,
    precision: Option<usize>,
    kind: Option<char>,
}

fn parse_spec(spec: &str) -> Result<Spec> {
    let chars: Vec<char> = spec.chars().collect();
    let mut s = Spec::default();
    let mut i = 0;
    let is_align = |c: char| matches!(c, '<' | '>' | '=' | '^');
    if chars.len() >= 2 && is_align(chars[1]) {
        s.fill = Some(chars[0]);
        s.align = Some(chars[1]);
        i = 2;
    } else if !chars.is_empty() && is_align(chars[0]) {
        s.align = Some(chars[0]);
        i = 1;
    }
    if let Some(&c @ ('+' | '-' | ' ')) = chars.get(i) {
        s.sign = Some(c);
        i += 1;
    }
    if chars.get(i) == Some(&'z') {
        i += 1;
    }
    if chars.get(i) == Some(&'#') {
        s.alternate = true;
        i += 1;
    }
    if chars.get(i) == Some(&'0') {
        s.zero = true;
        i += 1;
    }
    let start = i;
    while chars.get(i).is_some_and(|c| c.is_ascii_digit()) {
        i += 1;
    }
    s.width = spec_number(&chars[start..i])?;
    crate::limits::reserve_items(s.width, s.fill.map_or(1, char::len_utf8))?;
    if let Some(&c @ (',' | '_')) = chars.get(i) {
        s.grouping = Some(c);
        i += 1;
    }
    if chars.get(i) == Some(&'.') {
        i += 1;
        let start = i;
        while chars.get(i).is_some_and(|c| c.is_ascii_digit()) {
            i += 1;
        }
        if start == i {
            return Err(Error::value_error("Format specifier missing precision"));
        }
        let precision = spec_number(&chars[start..i])?;
        s.precision = Some(checked_precision(precision)?);
    }
    if i < chars.len() {
        s.kind = Some(chars[i]);
        i += 1;
    }
    if i < chars.len() {
        return Err(Error::value_error("Invalid format specifier"));
    }
    Ok(s)
}

/// `format(value, spec)`.
pub fn format_value(v: &Value, spec: &str) -> Result<String> {
    if spec.is_empty() {
        return Ok(str(v));
    }
    // A date's spec is a strftime format, whatever it holds.
    if matches!(v, Value::Date(_) | Value::DateTime(..) | Value::Time(_)) {
        return crate::value::datetime::strftime(v, spec);
    }
    let s = parse_spec(spec)?;
    match v {
        Value::Decimal(d) => format_decimal(d, &s),
        Value::Int(_) | Value::Bool(_) | Value::BigInt(_)
            if matches!(s.kind, Some('e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%')) =>
        {
            format_float(as_f64(v)?, &s)
        }
        Value::Int(i) => format_int(&BigInt::from(*i), &s),
        Value::Bool(b) => format_int(&BigInt::from(*b as i64), &s),
        Value::BigInt(b) => format_int(b, &s),
        Value::RegexFlag(i) => format_int(&BigInt::from(*i), &s),
        Value::Float(f) => format_float(*f, &s),
        Value::Str(text) => format_str(text, &s),
        other => {
            if s.kind.is_some_and(|k| k != 's') || s.sign.is_some() {
                return Err(Error::type_error(format!(
                    "unsupported format string passed to {}.__format__",
                    other.type_name()
                )));
            }
            format_str(&str(other), &s)
        }
    }
}

fn as_f64(v: &Value) -> Result<f64> {
    Ok(match v {
        Value::Int(i) => *i as f64,
        Value::Bool(b) => *b as i64 as f64,
        Value::BigInt(b) => crate::value::bigint::to_f64(b)?,
        Value::Float(f) => *f,
        _ => 0.0,
    })
}

fn unknown_code(kind: char, v: &str) -> Error {
    Error::value_error(format!(
        "Unknown format code '{kind}' for object of type '{v}'"
    ))
}

fn format_str(text: &str, s: &Spec) -> Result<String> {
    if let Some(k) = s.kind.filter(|k| *k != 's') {
        return Err(unknown_code(k, "str"));
    }
    if s.sign.is_some() {
        return Err(Error::value_error(
            "Sign not allowed in string format specifier",
        ));
    }
    let text: String = match s.precision {
        Some(p) => text.chars().take(p).collect(),
        None => text.to_string(),
    };
    Ok(pad(&text, "", s, '<'))
}

fn format_int(i: &BigInt, s: &Spec) -> Result<String> {
    if s.precision.is_some() {
        return Err(Error::value_error(
            "Precision not allowed in integer format specifier",
        ));
    }
    let radix = |r: u32| i.magnitude().to_str_radix(r);
    let (digits, prefix) = match s.kind {
        None | Some('d') | Some('n') => {
            let text = crate::value::bigint::to_str(i)?;
            (group(text.trim_start_matches('-'), s.grouping, 3), "")
        }
        Some('b') => (group(&radix(2), s.grouping, 4), "0b"),
        Some('o') => (group(&radix(8), s.grouping, 4), "0o"),
        Some('x') => (group(&radix(16), s.grouping, 4), "0x"),
        Some('X') => (group(&radix(16).to_uppercase(), s.grouping, 4), "0X"),
        Some('c') => {
            let c = u32::try_from(i)
                .ok()
                .and_then(char::from_u32)
                .ok_or_else(|| Error::new("OverflowError", "%c arg not in range(0x110000)"))?;
            return Ok(pad(&c.to_string(), "", s, '<'));
        }
        Some(k) => return Err(unknown_code(k, "int")),
    };
    let sign = sign_text(i.sign() == num_bigint::Sign::Minus, s);
    let prefix = if s.alternate { prefix } else { "" };
    Ok(pad(&digits, &format!("{sign}{prefix}"), s, '>'))
}

fn sign_text(negative: bool, s: &Spec) -> &'static str {
    match (negative, s.sign) {
        (true, _) => "-",
        (false, Some('+')) => "+",
        (false, Some(' ')) => " ",
        _ => "",
    }
}

fn format_float(f: f64, s: &Spec) -> Result<String> {
    let negative = f.is_sign_negative() && !f.is_nan();
    let a = f.abs();
    let upper = matches!(s.kind, Some('E' | 'F' | 'G'));
    let mut body = if !a.is_finite() {
        if a.is_nan() {
            "nan".to_string()
        } else {
            "inf".to_string()
        }
    } else {
        match s.kind {
            Some('f' | 'F') => format!("{:.*}", s.precision.unwrap_or(6), a),
            Some('e' | 'E') => sci(a, s.precision.unwrap_or(6)),
            Some('%') => format!("{:.*}%", s.precision.unwrap_or(6), a * 100.0),
            Some('g' | 'G' | 'n') => general(a, s.precision.unwrap_or(6), s.alternate, false),
            None => match s.precision {
                Some(p) => general(a, p, s.alternate, true),
                None => float_repr(a),
            },
            Some(k) => return Err(unknown_code(k, "float")),
        }
    };
    if upper {
        body = body.to_uppercase();
    }
    if let Some(g) = s.grouping {
        let split = body
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(body.len());
        body = format!("{}{}", group(&body[..split], Some(g), 3), &body[split..]);
    }
    Ok(pad(&body, sign_text(negative, s), s, '>'))
}

/// A Decimal formatted as Python's `Decimal.__format__`: exactly, in the
/// context's rounding (halves to even); no type is `g` that keeps the
/// value's own exponent (`format(Decimal('1.10'), '')` is `1.10`).
fn format_decimal(d: &crate::python_decimal::Decimal, s: &Spec) -> Result<String> {
    if let Some(k) = s.kind.filter(|k| !"eEfFgGn%".contains(*k)) {
        return Err(unknown_code(k, "decimal.Decimal"));
    }
    if !d.is_finite() {
        let mut body = d.copy_abs().to_sci_string();
        if s.kind == Some('%') {
            body.push('%');
        }
        // No zeros before a word: `0` padding is spaces here.
        let spaces = Spec {
            zero: false,
            ..s.clone()
        };
        return Ok(pad(&body, sign_text(d.is_signed(), s), &spaces, '>'));
    }
    // Fixed point writes every digit out: an exponent of 10**14 would be
    // 100 TB of zeros, which Python could not hold either.
    let fixed = matches!(s.kind, Some('f' | 'F' | '%'));
    if fixed
        && (d.adjusted().unsigned_abs() > 100_000_000 || d.exponent().unsigned_abs() > 100_000_000)
    {
        return Err(Error::new("MemoryError", ""));
    }
    crate::limits::reserve(s.precision.unwrap_or(0))?;
    let (negative, int, rest) = d.format_parts(s.kind, s.precision, s.alternate);
    let int = match s.grouping {
        Some(g) => group(&int, Some(g), 3),
        None => int,
    };
    Ok(pad(&format!("{int}{rest}"), sign_text(negative, s), s, '>'))
}

/// Scientific notation with Python's exponent (sign and at least two digits).
fn sci(a: f64, precision: usize) -> String {
    let raw = format!("{:.*e}", precision, a);
    let (m, e) = raw.split_once('e').expect("{:e} has an exponent");
    let e: i32 = e.parse().unwrap_or(0);
    format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
}

/// The `g` presentation; `repr_like` is the no-type form that keeps `.0`.
fn general(a: f64, precision: usize, alternate: bool, repr_like: bool) -> String {
    let p = precision.max(1);
    if a == 0.0 {
        return if repr_like { "0.0".into() } else { "0".into() };
    }
    let exp: i32 = format!("{:.*e}", p - 1, a)
        .split_once('e')
        .and_then(|(_, e)| e.parse().ok())
        .unwrap_or(0);
    let mut out = if exp >= -4 && exp < p as i32 {
        format!("{:.*}", (p as i32 - 1 - exp).max(0) as usize, a)
    } else {
        sci(a, p - 1)
    };
    if !alternate {
        let (mantissa, exponent) = match out.find('e') {
            Some(i) => (out[..i].to_string(), out[i..].to_string()),
            None => (out.clone(), String::new()),
        };
        let mantissa = if mantissa.contains('.') {
            mantissa
                .trim_end_matches('0')
                .trim_end_matches('.')
                .to_string()
        } else {
            mantissa
        };
        let mantissa = if repr_like && exponent.is_empty() && !mantissa.contains('.') {
            format!("{mantissa}.0")
        } else {
            mantissa
        };
        out = format!("{mantissa}{exponent}");
    }
    out
}

fn group(digits: &str, sep: Option<char>, every: usize) -> String {
    let Some(sep) = sep else {
        return digits.to_string();
    };
    let chars: Vec<char> = digits.chars().collect();
    let mut out = String::new();
    for (i, c) in chars.iter().enumerate() {
        if i > 0 && (chars.len() - i).is_multiple_of(every) {
            out.push(sep);
        }
        out.push(*c);
    }
    out
}

/// A width or precision of a format spec, as Python reads it: one past
/// `sys.maxsize` is refused.
fn spec_number(digits: &[char]) -> Result<usize> {
    if digits.is_empty() {
        return Ok(0);
    }
    digits
        .iter()
        .collect::<String>()
        .parse::<i64>()
        .map(|n| n as usize)
        .map_err(|_| Error::value_error("Too many decimal digits in format string"))
}

/// Python keeps a precision in a C int; a smaller one that still cannot be
/// held is a MemoryError.
fn checked_precision(precision: usize) -> Result<usize> {
    if precision > i32::MAX as usize {
        return Err(Error::value_error("precision too big"));
    }
    crate::limits::reserve(precision)?;
    Ok(precision)
}

fn pad(body: &str, sign: &str, s: &Spec, default_align: char) -> String {
    let (fill, align) = match (s.fill, s.align) {
        (f, Some(a)) => (f.unwrap_or(' '), a),
        (_, None) if s.zero => ('0', '='),
        _ => (' ', default_align),
    };
    let len = body.chars().count() + sign.chars().count();
    if len >= s.width {
        return format!("{sign}{body}");
    }
    let gap = s.width - len;
    let fills = |n: usize| std::iter::repeat_n(fill, n).collect::<String>();
    match align {
        '<' => format!("{sign}{body}{}", fills(gap)),
        '^' => format!("{}{sign}{body}{}", fills(gap / 2), fills(gap - gap / 2)),
        '=' => format!("{sign}{}{body}", fills(gap)),
        _ => format!("{}{sign}{body}", fills(gap)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(v: Value, spec: &str) -> String {
        format_value(&v, spec).unwrap()
    }

    #[test]
    fn format_specs_match_python() {
        assert_eq!(f(Value::Int(1), ">5"), "    1");
        assert_eq!(f(Value::Float(1.23456), ".2f"), "1.23");
        assert_eq!(f(Value::Int(1234567), ","), "1,234,567");
        assert_eq!(f(Value::Float(0.5), "%"), "50.000000%");
        assert_eq!(f(Value::str("x"), "^7"), "   x   ");
        assert_eq!(f(Value::Int(-42), "08d"), "-0000042");
        assert_eq!(f(Value::Int(255), "#x"), "0xff");
        assert_eq!(f(Value::Float(1234.5678), ".3"), "1.23e+03");
        assert_eq!(f(Value::Float(1.0), ".3"), "1.0");
        assert_eq!(f(Value::Float(0.0001234), "g"), "0.0001234");
        assert_eq!(f(Value::Float(1e20), "g"), "1e+20");
        assert_eq!(f(Value::Float(2.5), "e"), "2.500000e+00");
        assert_eq!(f(Value::Int(5), ".1f"), "5.0");
        assert_eq!(f(Value::Float(1234567.891), ",.2f"), "1,234,567.89");
        assert_eq!(f(Value::str("abc"), "*<6"), "abc***");
    }

    #[test]
    fn percent_formatting_matches_python() {
        let args = Value::tuple(vec![Value::str("Dune"), Value::Int(1965)]);
        assert_eq!(percent_format("%s (%s)", &args).unwrap(), "Dune (1965)");
        assert_eq!(
            percent_format(
                "%5.1f|%-4d|%03d",
                &Value::tuple(vec![Value::Float(2.25), Value::Int(7), Value::Int(5)])
            )
            .unwrap(),
            "  2.2|7   |005"
        );
        assert_eq!(percent_format("%d%%", &Value::Int(50)).unwrap(), "50%");
        assert_eq!(
            percent_format("%d", &Value::str("a")).unwrap_err().message,
            "%d format: a real number is required, not str"
        );
        assert_eq!(
            percent_format("%s %s", &Value::Int(1)).unwrap_err().message,
            "not enough arguments for format string"
        );
        assert_eq!(
            percent_format("%s", &Value::tuple(vec![Value::Int(1), Value::Int(2)]))
                .unwrap_err()
                .message,
            "not all arguments converted during string formatting"
        );
    }
}
