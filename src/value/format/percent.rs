//! printf-style formatting: `template % args`.

use crate::value::format::*;

/// `template % args`, printf-style.
pub fn percent_format(template: &str, args: &Value) -> Result<String> {
    let positional: Vec<Value> = match args {
        Value::Tuple(items) => items.to_vec(),
        other => vec![other.clone()],
    };
    let mapping = matches!(args, Value::Dict(_)).then_some(args);
    let mut next = 0;
    let mut out = String::new();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut key = None;
        if chars.peek() == Some(&'(') {
            chars.next();
            let name: String = chars.by_ref().take_while(|c| *c != ')').collect();
            key = Some(name);
        }
        let mut flags = String::new();
        while let Some(&f @ ('-' | '+' | ' ' | '#' | '0')) = chars.peek() {
            flags.push(f);
            chars.next();
        }
        let mut width = String::new();
        while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
            width.push(d);
            chars.next();
        }
        let mut precision = None;
        if chars.peek() == Some(&'.') {
            chars.next();
            let mut p = String::new();
            while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                p.push(d);
                chars.next();
            }
            let p = if p.is_empty() {
                0
            } else {
                p.parse::<usize>()
                    .map_err(|_| Error::value_error("precision too big"))?
            };
            precision = Some(checked_precision(p)?);
        }
        let Some(kind) = chars.next() else {
            return Err(Error::value_error("incomplete format"));
        };
        if kind == '%' {
            out.push('%');
            continue;
        }
        let arg = match (&key, mapping) {
            (Some(k), Some(Value::Dict(d))) => d
                .borrow()
                .get(&Value::str(k.as_str()))?
                .ok_or_else(|| crate::value::exceptions::key_error(&Value::str(k.as_str())))?,
            (Some(_), _) => return Err(Error::type_error("format requires a mapping")),
            (None, _) => {
                let a = positional
                    .get(next)
                    .cloned()
                    .ok_or_else(|| Error::type_error("not enough arguments for format string"))?;
                next += 1;
                a
            }
        };
        let body = percent_one(kind, &arg, precision, &flags)?;
        let spec = Spec {
            align: Some(if flags.contains('-') { '<' } else { '>' }),
            fill: Some(
                if flags.contains('0') && !flags.contains('-') && kind != 's' && kind != 'r' {
                    '0'
                } else {
                    ' '
                },
            ),
            width: percent_width(&width)?,
            ..Spec::default()
        };
        let (sign, digits) = match body.strip_prefix('-') {
            Some(rest) if spec.fill == Some('0') => ("-", rest.to_string()),
            _ => ("", body),
        };
        let spec = if sign == "-" {
            Spec {
                align: Some('='),
                ..spec
            }
        } else {
            spec
        };
        out.push_str(&pad(&digits, sign, &spec, '>'));
    }
    if mapping.is_none() && next < positional.len() {
        return Err(Error::type_error(
            "not all arguments converted during string formatting",
        ));
    }
    Ok(out)
}

pub(super) fn percent_width(digits: &str) -> Result<usize> {
    if digits.is_empty() {
        return Ok(0);
    }
    let width = digits
        .parse::<i64>()
        .map_err(|_| Error::value_error("width too big"))? as usize;
    crate::limits::reserve(width)?;
    Ok(width)
}

pub(super) fn percent_one(
    kind: char,
    arg: &Value,
    precision: Option<usize>,
    flags: &str,
) -> Result<String> {
    let number = |name: char| real_number(arg, name);
    let sign = if flags.contains('+') {
        "+"
    } else if flags.contains(' ') {
        " "
    } else {
        ""
    };
    let signed = |s: String| {
        if s.starts_with('-') {
            s
        } else {
            format!("{sign}{s}")
        }
    };
    Ok(match kind {
        's' => {
            let s = str(arg);
            match precision {
                Some(p) => s.chars().take(p).collect(),
                None => s,
            }
        }
        'r' | 'a' => repr(arg),
        'd' | 'i' | 'u' => match arg {
            Value::Int(i) | Value::RegexFlag(i) => signed(i.to_string()),
            Value::Bool(b) => signed((*b as i64).to_string()),
            Value::Decimal(d) => match d.trunc() {
                Some((negative, m)) => signed(format!("{}{m}", if negative { "-" } else { "" })),
                None => {
                    crate::value::decimal::to_int(d)?;
                    String::new()
                }
            },
            Value::BigInt(b) => signed(crate::value::bigint::to_str(b)?),
            _ => {
                let f = number(kind)?;
                let whole = crate::value::bigint::float_to_int(f)?;
                signed(crate::value::repr::try_str(&whole)?)
            }
        },
        'f' | 'F' => signed(format!("{:.*}", precision.unwrap_or(6), number(kind)?)),
        'e' | 'E' => {
            let f = number(kind)?;
            let s = format!(
                "{}{}",
                if f < 0.0 { "-" } else { "" },
                sci(f.abs(), precision.unwrap_or(6))
            );
            signed(if kind == 'E' { s.to_uppercase() } else { s })
        }
        'g' | 'G' => {
            let f = number(kind)?;
            let s = format!(
                "{}{}",
                if f < 0.0 { "-" } else { "" },
                general(f.abs(), precision.unwrap_or(6), false, false)
            );
            signed(if kind == 'G' { s.to_uppercase() } else { s })
        }
        'x' | 'X' | 'o' => integer_digits(kind, arg, sign)?,
        'c' => match arg {
            Value::Str(s) if s.chars().count() == 1 => s.to_string(),
            Value::Int(i) => u32::try_from(*i)
                .ok()
                .and_then(char::from_u32)
                .map(String::from)
                .unwrap_or_default(),
            _ => {
                return Err(Error::type_error(
                    "%c requires an int or a unicode character, not str",
                ));
            }
        },
        other => {
            return Err(Error::value_error(format!(
                "unsupported format character '{other}' ({:#x}) at index {}",
                other as u32, 0
            )));
        }
    })
}

/// The number `%f`, `%e`, `%g` and `%d` of a non-integer format.
fn real_number(arg: &Value, name: char) -> Result<f64> {
    match arg {
        Value::Int(_) | Value::Bool(_) | Value::Float(_) | Value::BigInt(_) => as_f64(arg),
        Value::RegexFlag(i) => Ok(*i as f64),
        Value::Decimal(d) => Ok(d.to_f64()),
        other => Err(Error::type_error(format!(
            "%{name} format: a real number is required, not {}",
            other.type_name()
        ))),
    }
}

/// `%x`, `%X` and `%o`: an integer's digits, the sign before them.
fn integer_digits(kind: char, arg: &Value, sign: &str) -> Result<String> {
    let Some(i) = crate::value::bigint::big(arg) else {
        return Err(Error::type_error(format!(
            "%{kind} format: an integer is required, not {}",
            arg.type_name()
        )));
    };
    let body = match kind {
        'x' => crate::value::bigint::digits_in(&i, 16),
        'X' => crate::value::bigint::digits_in(&i, 16).to_uppercase(),
        _ => crate::value::bigint::digits_in(&i, 8),
    };
    let negative = crate::value::bigint::is_negative(&i);
    Ok(format!("{}{}", if negative { "-" } else { sign }, body))
}
