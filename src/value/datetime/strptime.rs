//! `datetime.strptime`: a text read by a format's directives.

use crate::value::datetime::*;

/// `datetime.strptime(text, format)` for the numeric and English-name directives.
pub fn strptime(args: Args) -> Result<Value> {
    args.count("strptime", 2, 2)?;
    let (Value::Str(text), Value::Str(fmt)) = (&args.pos[0], &args.pos[1]) else {
        return Err(Error::type_error("strptime() argument 1 must be str"));
    };
    let mismatch = || {
        Error::value_error(format!(
            "time data {} does not match format {}",
            crate::value::repr::str_repr(text),
            crate::value::repr::str_repr(fmt)
        ))
    };
    let (mut y, mut mo, mut d, mut h, mut mi, mut s, mut us) =
        (1900i64, 1i64, 1i64, 0i64, 0i64, 0i64, 0i64);
    let mut pm: Option<bool> = None;
    // %p means something only with %I, as in Python.
    let mut twelve = false;
    let mut tz = None;
    let mut rest: &str = text;
    let mut f = fmt.chars();
    while let Some(c) = f.next() {
        if c == '%' {
            let dch = f.next().ok_or_else(|| {
                Error::value_error(format!(
                    "stray % in format {}",
                    crate::value::repr::str_repr(fmt)
                ))
            })?;
            match dch {
                'Y' => {
                    let before = rest.len();
                    y = take_number(&mut rest, 4).ok_or_else(mismatch)?;
                    if before - rest.len() != 4 {
                        return Err(mismatch());
                    }
                }
                'y' => {
                    let v = take_number(&mut rest, 2).ok_or_else(mismatch)?;
                    y = if v < 69 { 2000 + v } else { 1900 + v };
                }
                'm' => mo = take_number(&mut rest, 2).ok_or_else(mismatch)?,
                'd' => d = take_number(&mut rest, 2).ok_or_else(mismatch)?,
                'H' => h = take_number(&mut rest, 2).ok_or_else(mismatch)?,
                'I' => {
                    h = take_number(&mut rest, 2).ok_or_else(mismatch)?;
                    if !(1..=12).contains(&h) {
                        return Err(mismatch());
                    }
                    twelve = true;
                }
                'M' => mi = take_number(&mut rest, 2).ok_or_else(mismatch)?,
                'S' => s = take_number(&mut rest, 2).ok_or_else(mismatch)?,
                'f' => us = take_micros(&mut rest).ok_or_else(mismatch)?,
                'b' | 'B' | 'h' => mo = take_name(&mut rest, &MONTHS).ok_or_else(mismatch)? + 1,
                'a' | 'A' => {
                    take_name(&mut rest, &DAYS).ok_or_else(mismatch)?;
                }
                'p' => pm = Some(take_am_pm(&mut rest).ok_or_else(mismatch)?),
                'z' => tz = Some(take_offset(&mut rest).ok_or_else(mismatch)?),
                '%' => rest = rest.strip_prefix('%').ok_or_else(mismatch)?,
                other => {
                    return Err(Error::value_error(format!(
                        "'{other}' is a bad directive in format {}",
                        crate::value::repr::str_repr(&format!("%{other}"))
                    )));
                }
            }
        } else if c.is_whitespace() {
            // Whitespace in the format matches one or more in the text.
            let trimmed = rest.trim_start();
            if trimmed.len() == rest.len() {
                return Err(mismatch());
            }
            rest = trimmed;
        } else {
            rest = rest.strip_prefix(c).ok_or_else(mismatch)?;
        }
    }
    if !rest.is_empty() {
        return Err(Error::value_error(format!(
            "unconverted data remains: {rest}"
        )));
    }
    match pm {
        Some(true) if twelve && h < 12 => h += 12,
        Some(false) if twelve && h == 12 => h = 0,
        _ => {}
    }
    let in_range = (1..=12).contains(&mo)
        && (0..=23).contains(&h)
        && (0..=59).contains(&mi)
        && (0..=61).contains(&s);
    if !in_range {
        return Err(mismatch());
    }
    let date = make_date(y, mo, d)?;
    Ok(Value::DateTime(date.and_time(make_time(h, mi, s, us)?), tz))
}

/// Up to `max` digits at the start of `rest`, taken off it.
fn take_number(rest: &mut &str, max: usize) -> Option<i64> {
    let n = rest
        .bytes()
        .take(max)
        .take_while(u8::is_ascii_digit)
        .count();
    if n == 0 {
        return None;
    }
    let v = rest[..n].parse().ok();
    *rest = &rest[n..];
    v
}

/// The index of the name (or its three-letter abbreviation) `rest` starts
/// with, in any case, taken off it.
fn take_name(rest: &mut &str, names: &[&str]) -> Option<i64> {
    for (i, n) in names.iter().enumerate() {
        for cand in [*n, &n[..3]] {
            if rest.len() >= cand.len()
                && rest.is_char_boundary(cand.len())
                && rest[..cand.len()].eq_ignore_ascii_case(cand)
            {
                *rest = &rest[cand.len()..];
                return Some(i as i64);
            }
        }
    }
    None
}

/// `%f`: one to six digits, as microseconds.
fn take_micros(rest: &mut &str) -> Option<i64> {
    let n = rest.bytes().take(6).take_while(u8::is_ascii_digit).count();
    if n == 0 {
        return None;
    }
    let us = format!("{:0<6}", &rest[..n]).parse().ok()?;
    *rest = &rest[n..];
    Some(us)
}

/// `%p`: whether the time is PM.
fn take_am_pm(rest: &mut &str) -> Option<bool> {
    if rest.len() < 2 || !rest.is_char_boundary(2) {
        return None;
    }
    let pm = match rest[..2].to_ascii_uppercase().as_str() {
        "AM" => false,
        "PM" => true,
        _ => return None,
    };
    *rest = &rest[2..];
    Some(pm)
}

/// `%z`: `Z`, or `±HH[:]MM`.
fn take_offset(rest: &mut &str) -> Option<Tz> {
    if let Some(r) = rest.strip_prefix('Z') {
        *rest = r;
        return Some(Tz::Utc);
    }
    let sign = match rest.chars().next() {
        Some('+') => 1,
        Some('-') => -1,
        _ => return None,
    };
    *rest = &rest[1..];
    let hh = take_number(rest, 2)?;
    *rest = rest.strip_prefix(':').unwrap_or(rest);
    let mm = take_number(rest, 2)?;
    if hh > 23 || mm > 59 {
        return None;
    }
    let secs = sign * (hh * 3600 + mm * 60);
    Some(if secs == 0 {
        Tz::Utc
    } else {
        Tz::Fixed(secs as i32)
    })
}
