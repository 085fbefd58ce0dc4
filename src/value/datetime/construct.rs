//! Constructors of the datetime module's classes, `fromisoformat`, the clock and time zones.

use crate::value::datetime::*;

// ---------------------------------------------------------------- construction

/// Positional-or-keyword parameters of a C constructor, in order.
pub(super) fn params(
    args: &mut Args,
    names: &[&str],
    required: usize,
) -> Result<Vec<Option<Value>>> {
    let out = crate::value::bind_params("function", args, names, required)?;
    if let Some((k, _)) = args.kw.first() {
        return Err(Error::type_error(format!(
            "'{k}' is an invalid keyword argument for this function"
        )));
    }
    Ok(out)
}

pub(super) fn range_check(v: i64, lo: i64, hi: i64, what: &str) -> Result<u32> {
    if (lo..=hi).contains(&v) {
        Ok(v as u32)
    } else {
        Err(Error::value_error(format!("{what} must be in {lo}..{hi}")))
    }
}

pub fn make_date(year: i64, month: i64, day: i64) -> Result<NaiveDate> {
    if !(1..=9999).contains(&year) {
        return Err(Error::value_error(format!("year {year} is out of range")));
    }
    let month = range_check(month, 1, 12, "month")?;
    u32::try_from(day)
        .ok()
        .and_then(|d| NaiveDate::from_ymd_opt(year as i32, month, d))
        .ok_or_else(|| Error::value_error("day is out of range for month"))
}

pub(super) fn make_time(h: i64, m: i64, s: i64, us: i64) -> Result<NaiveTime> {
    let h = range_check(h, 0, 23, "hour")?;
    let m = range_check(m, 0, 59, "minute")?;
    let s = range_check(s, 0, 59, "second")?;
    let us = range_check(us, 0, 999_999, "microsecond")?;
    NaiveTime::from_hms_micro_opt(h, m, s, us).ok_or_else(|| Error::value_error("invalid time"))
}

pub(super) fn tz_arg(v: Option<Value>) -> Result<Option<Tz>> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(Value::TzInfo(tz)) => Ok(Some(tz)),
        Some(other) => Err(Error::type_error(format!(
            "tzinfo argument must be None or of a tzinfo subclass, not type '{}'",
            other.type_name()
        ))),
    }
}

pub(super) fn get_int(v: &Option<Value>) -> Result<i64> {
    v.as_ref().map_or(Ok(0), int_of)
}

/// `date(year, month, day)`.
pub fn date(mut args: Args) -> Result<Value> {
    let p = params(&mut args, &["year", "month", "day"], 3)?;
    Ok(Value::Date(make_date(
        get_int(&p[0])?,
        get_int(&p[1])?,
        get_int(&p[2])?,
    )?))
}

/// `datetime(year, month, day, hour=0, minute=0, second=0, microsecond=0, tzinfo=None)`.
pub fn datetime(mut args: Args) -> Result<Value> {
    args.take_kw("fold");
    let names = [
        "year",
        "month",
        "day",
        "hour",
        "minute",
        "second",
        "microsecond",
        "tzinfo",
    ];
    let mut p = params(&mut args, &names, 3)?;
    let d = make_date(get_int(&p[0])?, get_int(&p[1])?, get_int(&p[2])?)?;
    let t = make_time(
        get_int(&p[3])?,
        get_int(&p[4])?,
        get_int(&p[5])?,
        get_int(&p[6])?,
    )?;
    Ok(Value::DateTime(d.and_time(t), tz_arg(p[7].take())?))
}

/// `time(hour=0, minute=0, second=0, microsecond=0)`.
pub fn time(mut args: Args) -> Result<Value> {
    args.take_kw("fold");
    let p = params(
        &mut args,
        &["hour", "minute", "second", "microsecond", "tzinfo"],
        0,
    )?;
    if tz_arg(p[4].clone())?.is_some() {
        return Err(Error::new(
            "NotImplementedError",
            "ormsh's times do not carry a tzinfo; use a datetime",
        ));
    }
    Ok(Value::Time(make_time(
        get_int(&p[0])?,
        get_int(&p[1])?,
        get_int(&p[2])?,
        get_int(&p[3])?,
    )?))
}

/// `timedelta(days=0, seconds=0, microseconds=0, milliseconds=0, minutes=0, hours=0, weeks=0)`.
pub fn timedelta(mut args: Args) -> Result<Value> {
    let names = [
        "days",
        "seconds",
        "microseconds",
        "milliseconds",
        "minutes",
        "hours",
        "weeks",
    ];
    let units: [i128; 7] = [
        MICROS_PER_DAY,
        1_000_000,
        1,
        1_000,
        60_000_000,
        3_600_000_000,
        7 * MICROS_PER_DAY,
    ];
    if args.pos.len() > names.len() {
        return Err(Error::type_error(format!(
            "__new__() takes at most 7 arguments ({} given)",
            args.pos.len()
        )));
    }
    let mut p = params(&mut args, &names, 0).map_err(|e| {
        Error::type_error(e.message.replace(
            "is an invalid keyword argument for this function",
            "is an invalid keyword argument for __new__()",
        ))
    })?;
    let mut whole: i128 = 0;
    let mut fraction: f64 = 0.0;
    for (v, unit) in p.iter_mut().zip(units) {
        match v.take() {
            None => {}
            Some(Value::Int(i)) => whole += i as i128 * unit,
            Some(Value::Bool(b)) => whole += b as i128 * unit,
            Some(Value::Float(f)) if f.is_finite() => {
                let int = f.trunc();
                if int.abs() > 1e18 {
                    return Err(Error::new(
                        "OverflowError",
                        "Python int too large to convert to C int",
                    ));
                }
                whole += int as i128 * unit;
                fraction += (f - int) * unit as f64;
            }
            Some(Value::Float(f)) => {
                return Err(Error::value_error(format!(
                    "cannot convert float {} to integer",
                    if f.is_nan() { "NaN" } else { "infinity" }
                )));
            }
            Some(other) => {
                return Err(Error::type_error(format!(
                    "unsupported type for timedelta {} component: {}",
                    "days",
                    other.type_name()
                )));
            }
        }
    }
    // The fraction is rounded with the whole, halves to even, as Python.
    let parity = (whole % 2) as f64;
    let total = whole + (round_half_even(parity + fraction) - parity) as i128;
    Ok(Value::TimeDelta(TimeDelta::from_micros(total)?))
}

/// Python's `//`: the quotient rounded toward minus infinity.
pub(super) fn floor_div(a: i128, b: i128) -> i128 {
    let q = a / b;
    if (a % b != 0) && ((a < 0) != (b < 0)) {
        q - 1
    } else {
        q
    }
}

/// `a / b` rounded to the nearest integer, halves to even, exactly.
pub(super) fn div_half_even(a: i128, b: i128) -> i128 {
    let (a, b) = if b < 0 { (-a, -b) } else { (a, b) };
    let q = floor_div(a, b);
    let r = a - q * b;
    if 2 * r > b || (2 * r == b && q % 2 != 0) {
        q + 1
    } else {
        q
    }
}

pub(super) fn round_half_even(f: f64) -> f64 {
    let r = f.round();
    if (f - f.trunc()).abs() == 0.5 {
        2.0 * (f / 2.0).round()
    } else {
        r
    }
}

/// `timezone(offset, name=None)`.
pub fn timezone(mut args: Args) -> Result<Value> {
    let p = params(&mut args, &["offset", "name"], 1)?;
    let name = match &p[1] {
        None => None,
        Some(Value::Str(s)) => Some(crate::value::exceptions::intern(s)),
        Some(other) => {
            return Err(Error::type_error(format!(
                "timezone() argument 2 must be str, not {}",
                other.type_name()
            )));
        }
    };
    let Some(Value::TimeDelta(d)) = &p[0] else {
        return Err(Error::type_error(format!(
            "timezone() argument 1 must be datetime.timedelta, not {}",
            p[0].as_ref().map_or("None", Value::type_name)
        )));
    };
    let micros = d.total_micros();
    if micros.abs() >= MICROS_PER_DAY {
        return Err(Error::value_error(format!(
            "offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24), not {}.",
            d.repr()
        )));
    }
    if micros % 1_000_000 != 0 {
        return Err(Error::new(
            "NotImplementedError",
            "offsets with microseconds are not supported",
        ));
    }
    let seconds = (micros / 1_000_000) as i32;
    Ok(Value::TzInfo(match (seconds, name) {
        (s, Some(n)) => Tz::Named(s, n),
        (0, None) => Tz::Utc,
        (s, None) => Tz::Fixed(s),
    }))
}

/// The local wall time now: what `datetime.now()` gives without a tz.
/// The zone naive local times are in: Django sets the process's time zone
/// to `TIME_ZONE`, so `datetime.now()` is the time there.
pub fn local_zone() -> Tz {
    Tz::zone(&crate::settings::time().time_zone).unwrap_or(Tz::Utc)
}

pub fn local_now() -> NaiveDateTime {
    local_zone().from_utc(utc_now())
}

pub fn utc_now() -> NaiveDateTime {
    let now = chrono::Utc::now().naive_utc();
    now.with_nanosecond(now.nanosecond() / 1000 * 1000)
        .unwrap_or(now)
}

/// `zoneinfo.ZoneInfo(key)`.
pub fn zoneinfo(mut args: Args) -> Result<Value> {
    let p = params(&mut args, &["key"], 1)?;
    match &p[0] {
        Some(Value::Str(key)) => Tz::zone(key).map(Value::TzInfo).ok_or_else(|| {
            let class = std::rc::Rc::new(crate::value::exceptions::ExcClass {
                name: "ZoneInfoNotFoundError".into(),
                module: "zoneinfo._common".into(),
            });
            let msg = Value::str(format!("No time zone found with key {key}"));
            let e = crate::value::exceptions::Exception::new(class, vec![msg]);
            let mut err = crate::value::exceptions::Exception::to_error(&std::rc::Rc::new(e));
            err.message = format!("'No time zone found with key {key}'");
            err
        }),
        Some(other) => Err(Error::type_error(format!(
            "expected str, bytes or os.PathLike object, not {}",
            other.type_name()
        ))),
        None => Err(Error::type_error(
            "ZoneInfo() missing required argument 'key' (pos 1)",
        )),
    }
}

/// `datetime.now(tz=None)`.
pub fn now(mut args: Args) -> Result<Value> {
    let p = params(&mut args, &["tz"], 0)?;
    Ok(match tz_arg(p[0].clone())? {
        None => Value::DateTime(local_now(), None),
        Some(tz) => Value::DateTime(tz.from_utc(utc_now()), Some(tz)),
    })
}

/// `datetime.combine(date, time, tzinfo=None)`.
pub fn combine(mut args: Args) -> Result<Value> {
    let mut p = params(&mut args, &["date", "time", "tzinfo"], 2)?;
    let d = match &p[0] {
        Some(Value::Date(d)) => *d,
        Some(Value::DateTime(dt, _)) => dt.date(),
        Some(other) => {
            return Err(Error::type_error(format!(
                "combine() argument 1 must be datetime.date, not {}",
                other.type_name()
            )));
        }
        None => unreachable!("required"),
    };
    let t = match &p[1] {
        Some(Value::Time(t)) => *t,
        Some(other) => {
            return Err(Error::type_error(format!(
                "combine() argument 2 must be datetime.time, not {}",
                other.type_name()
            )));
        }
        None => unreachable!("required"),
    };
    Ok(Value::DateTime(d.and_time(t), tz_arg(p[2].take())?))
}

/// `fromisoformat(text)` of date, datetime or time, as Python 3.11+ reads it.
pub fn fromisoformat(class: &str, args: Args) -> Result<Value> {
    args.count("fromisoformat", 1, 1)?;
    let Value::Str(s) = &args.pos[0] else {
        return Err(Error::type_error(format!(
            "fromisoformat: argument must be str, not {}",
            args.pos[0].type_name()
        )));
    };
    let bad = || {
        Error::value_error(format!(
            "Invalid isoformat string: {}",
            crate::value::repr::str_repr(s)
        ))
    };
    match class {
        "date" => parse_iso_date(s).map(Value::Date).ok_or_else(bad),
        "time" => parse_iso_time(s)
            .filter(|(_, tz)| tz.is_none())
            .map(|(t, _)| Value::Time(t))
            .ok_or_else(bad),
        _ => {
            let (date, rest) =
                if s.len() >= 10 && s.is_char_boundary(10) && s.as_bytes().get(4) == Some(&b'-') {
                    s.split_at(10)
                } else if s.len() >= 8
                    && s.is_char_boundary(8)
                    && s[..8].bytes().all(|b| b.is_ascii_digit())
                {
                    s.split_at(8)
                } else {
                    (&s[..], "")
                };
            let d = parse_iso_date(date).ok_or_else(bad)?;
            if rest.is_empty() {
                return Ok(Value::DateTime(d.and_time(NaiveTime::MIN), None));
            }
            let time = rest
                .get(1..)
                .filter(|_| rest.is_char_boundary(1))
                .ok_or_else(bad)?;
            let (t, tz) = parse_iso_time(time).ok_or_else(bad)?;
            Ok(Value::DateTime(d.and_time(t), tz))
        }
    }
}

pub(super) fn digits(s: &str) -> Option<i64> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

pub(super) fn parse_iso_date(s: &str) -> Option<NaiveDate> {
    let (y, m, d) = match s.len() {
        10 if s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-' => (&s[0..4], &s[5..7], &s[8..10]),
        8 => (s.get(0..4)?, s.get(4..6)?, s.get(6..8)?),
        _ => return None,
    };
    make_date(digits(y)?, digits(m)?, digits(d)?).ok()
}

pub fn parse_iso_time(s: &str) -> Option<(NaiveTime, Option<Tz>)> {
    let (clock, tz) = match s.find(['+', '-', 'Z']) {
        Some(i) => (&s[..i], Some(&s[i..])),
        None => (s, None),
    };
    let tz = match tz {
        None => None,
        Some("Z") => Some(Tz::Utc),
        Some(t) => {
            let sign = if t.starts_with('-') { -1 } else { 1 };
            let body = t[1..].replace(':', "");
            let (h, m) = (
                digits(body.get(0..2)?)?,
                digits(body.get(2..4).unwrap_or("00"))?,
            );
            let secs = sign * (h * 3600 + m * 60);
            if h > 23 || m > 59 {
                return None;
            }
            Some(if secs == 0 {
                Tz::Utc
            } else {
                Tz::Fixed(secs as i32)
            })
        }
    };
    let (hms, frac) = match clock.split_once(['.', ',']) {
        Some((a, b)) => (a, Some(b)),
        None => (clock, None),
    };
    let parts: Vec<&str> = if hms.contains(':') {
        hms.split(':').collect()
    } else {
        (0..hms.len() / 2)
            .filter_map(|i| hms.get(2 * i..2 * i + 2))
            .collect()
    };
    if parts.is_empty() || parts.len() > 3 || parts.iter().any(|p| p.len() != 2) {
        return None;
    }
    let n = |i: usize| parts.get(i).map_or(Some(0), |p| digits(p));
    let micros = match frac {
        None => 0,
        Some(f) if (1..=9).contains(&f.len()) => {
            let padded = format!("{f:0<6}");
            digits(&padded[..6])?
        }
        Some(_) => return None,
    };
    let t = make_time(n(0)?, n(1)?, n(2)?, micros).ok()?;
    Some((t, tz))
}
