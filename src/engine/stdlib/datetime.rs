//! Python's `datetime` module: dates, datetimes, times, timedeltas and fixed
//! time zones, with CPython's ranges, normalisation, reprs and messages.

use super::super::builtins::int_arg as int_of;
use super::super::call::Args;
use super::super::value::Value;
use crate::error::{Error, Result};
use crate::syntax::ast::BinOp;
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use std::cmp::Ordering;

const MICROS_PER_DAY: i128 = 86_400_000_000;
/// `timedelta.max.days`.
const MAX_DAYS: i128 = 999_999_999;

/// `datetime.timedelta`, normalised as Python keeps it: `seconds` in
/// 0..86400 and `micros` in 0..1_000_000, the sign carried by `days`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimeDelta {
    pub days: i64,
    pub seconds: i64,
    pub micros: i64,
}

impl TimeDelta {
    pub fn from_micros(total: i128) -> Result<TimeDelta> {
        let days = total.div_euclid(MICROS_PER_DAY);
        if days.abs() > MAX_DAYS {
            return Err(Error::new(
                "OverflowError",
                format!("days={days}; must have magnitude <= {MAX_DAYS}"),
            ));
        }
        let rest = total.rem_euclid(MICROS_PER_DAY);
        Ok(TimeDelta {
            days: days as i64,
            seconds: (rest / 1_000_000) as i64,
            micros: (rest % 1_000_000) as i64,
        })
    }

    pub fn total_micros(&self) -> i128 {
        self.days as i128 * MICROS_PER_DAY + self.seconds as i128 * 1_000_000 + self.micros as i128
    }

    fn chrono(&self) -> chrono::TimeDelta {
        chrono::TimeDelta::microseconds(self.total_micros() as i64)
    }

    pub fn repr(&self) -> String {
        let mut parts = Vec::new();
        if self.days != 0 {
            parts.push(format!("days={}", self.days));
        }
        if self.seconds != 0 {
            parts.push(format!("seconds={}", self.seconds));
        }
        if self.micros != 0 {
            parts.push(format!("microseconds={}", self.micros));
        }
        if parts.is_empty() {
            parts.push("0".into());
        }
        format!("datetime.timedelta({})", parts.join(", "))
    }

    pub fn str(&self) -> String {
        let (h, m, s) = (
            self.seconds / 3600,
            self.seconds / 60 % 60,
            self.seconds % 60,
        );
        let mut out = String::new();
        if self.days != 0 {
            let plural = if self.days.abs() != 1 { "s" } else { "" };
            out.push_str(&format!("{} day{plural}, ", self.days));
        }
        out.push_str(&format!("{h}:{m:02}:{s:02}"));
        if self.micros != 0 {
            out.push_str(&format!(".{:06}", self.micros));
        }
        out
    }
}

/// A `tzinfo`: UTC, a fixed offset (`timezone(timedelta(hours=1))`), or
/// a `zoneinfo.ZoneInfo` (what Django's `localtime()` gives), whose offset
/// depends on the date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tz {
    Utc,
    Fixed(i32),
    /// `timezone(timedelta(hours=-5), 'EST')`
    Named(i32, &'static str),
    Zone(chrono_tz::Tz),
}

impl Tz {
    /// `utcoffset(dt)` of a wall time in this zone: for a time that comes
    /// twice the first (Python's `fold=0`), for one that never comes the
    /// offset in force before the change.
    pub fn utcoffset(self, wall: NaiveDateTime) -> i64 {
        use chrono::{LocalResult, Offset, TimeZone};
        match self {
            Tz::Fixed(s) | Tz::Named(s, _) => s as i64,
            Tz::Utc => 0,
            Tz::Zone(z) => match z.offset_from_local_datetime(&wall) {
                LocalResult::Single(o) | LocalResult::Ambiguous(o, _) => {
                    o.fix().local_minus_utc() as i64
                }
                LocalResult::None => {
                    let before = wall - chrono::TimeDelta::hours(14);
                    z.offset_from_utc_datetime(&before).fix().local_minus_utc() as i64
                }
            },
        }
    }

    /// The offset in force at a UTC instant.
    pub fn offset_at_utc(self, utc: NaiveDateTime) -> i64 {
        use chrono::{Offset, TimeZone};
        match self {
            Tz::Zone(z) => z.offset_from_utc_datetime(&utc).fix().local_minus_utc() as i64,
            other => other.utcoffset(utc),
        }
    }

    /// The wall time in this zone of a UTC instant.
    pub fn from_utc(self, utc: NaiveDateTime) -> NaiveDateTime {
        utc + chrono::TimeDelta::seconds(self.offset_at_utc(utc))
    }

    /// The UTC instant of a wall time in this zone.
    pub fn to_utc(self, wall: NaiveDateTime) -> NaiveDateTime {
        wall - chrono::TimeDelta::seconds(self.utcoffset(wall))
    }

    /// `tzname(dt)`: a zone's abbreviation at that time (`CET`, `CEST`).
    pub fn tzname(self, wall: NaiveDateTime) -> String {
        use chrono::TimeZone;
        match self {
            Tz::Zone(z) => {
                let utc = self.to_utc(wall);
                let abbr = z.offset_from_utc_datetime(&utc);
                chrono_tz::OffsetName::abbreviation(&abbr)
                    .map_or_else(|| offset_text(self.utcoffset(wall), ":"), str::to_string)
            }
            other => other.name(),
        }
    }

    /// A zone by its IANA key (`Europe/Paris`).
    pub fn zone(key: &str) -> Option<Tz> {
        key.parse::<chrono_tz::Tz>().ok().map(Tz::Zone)
    }

    pub fn repr(self) -> String {
        match self {
            Tz::Utc => "datetime.timezone.utc".into(),
            Tz::Zone(z) => format!("zoneinfo.ZoneInfo(key='{}')", z.name()),
            Tz::Fixed(s) => format!("datetime.timezone({})", offset_repr(s)),
            Tz::Named(s, name) => format!(
                "datetime.timezone({}, {})",
                offset_repr(s),
                super::super::repr::str_repr(name)
            ),
        }
    }

    /// `str(tz)`, also what `tzname()` and `%Z` give.
    pub fn name(self) -> String {
        match self {
            Tz::Utc => "UTC".into(),
            Tz::Zone(z) => z.name().to_string(),
            Tz::Fixed(s) => format!("UTC{}", offset_text(s as i64, ":")),
            Tz::Named(_, name) => name.to_string(),
        }
    }

    pub fn type_name(self) -> &'static str {
        match self {
            Tz::Zone(_) => "zoneinfo.ZoneInfo",
            _ => "datetime.timezone",
        }
    }
}

fn offset_repr(seconds: i32) -> String {
    TimeDelta::from_micros(seconds as i128 * 1_000_000)
        .map(|d| d.repr())
        .unwrap_or_default()
}

/// `+01:00`, as `isoformat()` and `%z` (with no separator) write offsets.
pub fn offset_text(seconds: i64, sep: &str) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.abs();
    let mut text = format!("{sign}{:02}{sep}{:02}", s / 3600, s / 60 % 60);
    if s % 60 != 0 {
        text.push_str(&format!("{sep}{:02}", s % 60));
    }
    text
}

// ---------------------------------------------------------------- construction

/// Positional-or-keyword parameters of a C constructor, in order.
fn params(args: &mut Args, names: &[&str], required: usize) -> Result<Vec<Option<Value>>> {
    let out = super::bind_params("function", args, names, required)?;
    if let Some((k, _)) = args.kw.first() {
        return Err(Error::type_error(format!(
            "'{k}' is an invalid keyword argument for this function"
        )));
    }
    Ok(out)
}

fn range_check(v: i64, lo: i64, hi: i64, what: &str) -> Result<u32> {
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

fn make_time(h: i64, m: i64, s: i64, us: i64) -> Result<NaiveTime> {
    let h = range_check(h, 0, 23, "hour")?;
    let m = range_check(m, 0, 59, "minute")?;
    let s = range_check(s, 0, 59, "second")?;
    let us = range_check(us, 0, 999_999, "microsecond")?;
    NaiveTime::from_hms_micro_opt(h, m, s, us).ok_or_else(|| Error::value_error("invalid time"))
}

fn tz_arg(v: Option<Value>) -> Result<Option<Tz>> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(Value::TzInfo(tz)) => Ok(Some(tz)),
        Some(other) => Err(Error::type_error(format!(
            "tzinfo argument must be None or of a tzinfo subclass, not type '{}'",
            other.type_name()
        ))),
    }
}

fn get_int(v: &Option<Value>) -> Result<i64> {
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
fn floor_div(a: i128, b: i128) -> i128 {
    let q = a / b;
    if (a % b != 0) && ((a < 0) != (b < 0)) {
        q - 1
    } else {
        q
    }
}

/// `a / b` rounded to the nearest integer, halves to even, exactly.
fn div_half_even(a: i128, b: i128) -> i128 {
    let (a, b) = if b < 0 { (-a, -b) } else { (a, b) };
    let q = floor_div(a, b);
    let r = a - q * b;
    if 2 * r > b || (2 * r == b && q % 2 != 0) {
        q + 1
    } else {
        q
    }
}

fn round_half_even(f: f64) -> f64 {
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
        Some(Value::Str(s)) => Some(super::super::exceptions::intern(s)),
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
            let class = std::rc::Rc::new(super::super::exceptions::ExcClass {
                name: "ZoneInfoNotFoundError".into(),
                module: "zoneinfo._common".into(),
            });
            let msg = Value::str(format!("No time zone found with key {key}"));
            let e = super::super::exceptions::Exception::new(class, vec![msg]);
            let mut err = super::super::exceptions::Exception::to_error(&std::rc::Rc::new(e));
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
            super::super::repr::str_repr(s)
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

fn digits(s: &str) -> Option<i64> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn parse_iso_date(s: &str) -> Option<NaiveDate> {
    let (y, m, d) = match s.len() {
        10 if s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-' => (&s[0..4], &s[5..7], &s[8..10]),
        8 => (s.get(0..4)?, s.get(4..6)?, s.get(6..8)?),
        _ => return None,
    };
    make_date(digits(y)?, digits(m)?, digits(d)?).ok()
}

fn parse_iso_time(s: &str) -> Option<(NaiveTime, Option<Tz>)> {
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

// ---------------------------------------------------------------- attributes and methods

pub fn is_datetime_value(v: &Value) -> bool {
    matches!(
        v,
        Value::Date(_)
            | Value::DateTime(..)
            | Value::Time(_)
            | Value::TimeDelta(_)
            | Value::TzInfo(_)
    )
}

/// `d.year`, `dt.tzinfo`, `td.days`…
pub fn attr(v: &Value, name: &str) -> Option<Value> {
    let date = match v {
        Value::Date(d) => Some(*d),
        Value::DateTime(dt, _) => Some(dt.date()),
        _ => None,
    };
    let time = match v {
        Value::Time(t) => Some(*t),
        Value::DateTime(dt, _) => Some(dt.time()),
        _ => None,
    };
    let int = |n: u32| Some(Value::Int(n as i64));
    match (name, v) {
        ("days", Value::TimeDelta(d)) => Some(Value::Int(d.days)),
        ("seconds", Value::TimeDelta(d)) => Some(Value::Int(d.seconds)),
        ("microseconds", Value::TimeDelta(d)) => Some(Value::Int(d.micros)),
        ("tzinfo", Value::DateTime(_, tz)) => Some(tz.map_or(Value::None, Value::TzInfo)),
        ("tzinfo", Value::Time(_)) => Some(Value::None),
        ("key", Value::TzInfo(Tz::Zone(z))) => Some(Value::str(z.name())),
        ("fold", Value::DateTime(..) | Value::Time(_)) => Some(Value::Int(0)),
        ("year", _) => date.map(|d| Value::Int(d.year() as i64)),
        ("month", _) => date.and_then(|d| int(d.month())),
        ("day", _) => date.and_then(|d| int(d.day())),
        ("hour", _) => time.and_then(|t| int(t.hour())),
        ("minute", _) => time.and_then(|t| int(t.minute())),
        ("second", _) => time.and_then(|t| int(t.second())),
        ("microsecond", _) => time.and_then(|t| int(t.nanosecond() / 1000)),
        _ => None,
    }
}

pub const DATE_METHODS: &[&str] = &[
    "timetuple",
    "weekday",
    "isoweekday",
    "isocalendar",
    "isoformat",
    "strftime",
    "replace",
    "toordinal",
    "ctime",
    "__format__",
];
pub const DATETIME_METHODS: &[&str] = &[
    "timetuple",
    "weekday",
    "isoweekday",
    "isocalendar",
    "isoformat",
    "strftime",
    "replace",
    "toordinal",
    "ctime",
    "date",
    "time",
    "timetz",
    "timestamp",
    "utcoffset",
    "tzname",
    "astimezone",
    "__format__",
];
pub const TIME_METHODS: &[&str] = &["isoformat", "strftime", "replace", "utcoffset", "tzname"];
pub const TIMEDELTA_METHODS: &[&str] = &["total_seconds"];
pub const TZ_METHODS: &[&str] = &["utcoffset", "tzname", "dst"];

pub fn method_names(v: &Value) -> &'static [&'static str] {
    match v {
        Value::Date(_) => DATE_METHODS,
        Value::DateTime(..) => DATETIME_METHODS,
        Value::Time(_) => TIME_METHODS,
        Value::TimeDelta(_) => TIMEDELTA_METHODS,
        Value::TzInfo(_) => TZ_METHODS,
        _ => &[],
    }
}

pub fn method(v: &Value, name: &str, mut args: Args) -> Result<Value> {
    let text = |s: String| Ok(Value::str(s));
    match (name, v) {
        ("total_seconds", Value::TimeDelta(d)) => {
            Ok(Value::Float(d.total_micros() as f64 / 1_000_000.0))
        }
        ("date", Value::DateTime(dt, _)) => Ok(Value::Date(dt.date())),
        ("time" | "timetz", Value::DateTime(dt, _)) => Ok(Value::Time(dt.time())),
        ("weekday", _) => Ok(Value::Int(
            date_part(v)?.weekday().num_days_from_monday() as i64
        )),
        ("isoweekday", _) => Ok(Value::Int(
            date_part(v)?.weekday().number_from_monday() as i64
        )),
        ("toordinal", _) => Ok(Value::Int(date_part(v)?.num_days_from_ce() as i64)),
        ("isocalendar", _) => {
            let d = date_part(v)?;
            let w = d.iso_week();
            Ok(Value::NamedRow(std::rc::Rc::new((
                vec!["year".into(), "week".into(), "weekday".into()],
                vec![
                    Value::Int(w.year() as i64),
                    Value::Int(w.week() as i64),
                    Value::Int(d.weekday().number_from_monday() as i64),
                ],
                "datetime.IsoCalendarDate",
            ))))
        }
        ("timetuple", _) => Ok(time_tuple(v)),
        ("ctime", _) => text(strftime(v, "%a %b %e %H:%M:%S %Y")?),
        ("isoformat", _) => {
            let is_time = matches!(v, Value::Time(_));
            let sep_arg = if is_time {
                None
            } else {
                args.take_kw("sep").or_else(|| args.pos.first().cloned())
            };
            let sep = match sep_arg {
                Some(Value::Str(s)) if s.chars().count() == 1 => s.to_string(),
                None => "T".into(),
                Some(_) => {
                    return Err(Error::type_error(
                        "isoformat() argument 1 must be a unicode character",
                    ));
                }
            };
            let spec_pos = if is_time { 0 } else { 1 };
            let timespec = match args
                .take_kw("timespec")
                .or_else(|| args.pos.get(spec_pos).cloned())
            {
                None => "auto".to_string(),
                Some(Value::Str(s)) => s.to_string(),
                Some(other) => {
                    return Err(Error::type_error(format!(
                        "isoformat() argument 2 must be str, not {}",
                        other.type_name()
                    )));
                }
            };
            text(isoformat_spec(v, &sep, &timespec)?)
        }
        ("strftime" | "__format__", _) => {
            let fmt = match args.pos.first() {
                Some(Value::Str(f)) => f.to_string(),
                Some(other) => {
                    return Err(Error::type_error(format!(
                        "{name}() argument 1 must be str, not {}",
                        other.type_name()
                    )));
                }
                None => {
                    return Err(Error::type_error(format!(
                        "{name}() missing required argument 'format' (pos 1)"
                    )));
                }
            };
            if name == "__format__" && fmt.is_empty() {
                return text(super::super::repr::str(v));
            }
            text(strftime(v, &fmt)?)
        }
        ("replace", _) => replace(v, args),
        ("utcoffset", Value::DateTime(dt, tz)) => {
            Ok(tz.map_or(Value::None, |t| offset_value(t.utcoffset(*dt))))
        }
        ("utcoffset" | "tzname" | "dst", Value::TzInfo(tz)) => {
            let wall = match args.pos.first() {
                Some(Value::DateTime(dt, _)) => Some(*dt),
                _ => None,
            };
            Ok(match (name, wall, tz) {
                // A ZoneInfo needs the datetime to know its offset.
                (_, None, Tz::Zone(z)) if z.name() != "UTC" => Value::None,
                ("utcoffset", w, _) => offset_value(tz.utcoffset(w.unwrap_or_default())),
                ("tzname", Some(w), _) => Value::str(tz.tzname(w)),
                ("tzname", None, _) => Value::str(tz.name()),
                (_, w, Tz::Zone(z)) => {
                    use chrono::TimeZone;
                    let utc = tz.to_utc(w.unwrap_or_default());
                    let off = z.offset_from_utc_datetime(&utc);
                    let dst = chrono_tz::OffsetComponents::dst_offset(&off);
                    offset_value(dst.num_seconds())
                }
                _ => Value::None,
            })
        }
        ("utcoffset" | "tzname", Value::Time(_)) => Ok(Value::None),
        ("tzname", Value::DateTime(dt, tz)) => {
            Ok(tz.map_or(Value::None, |t| Value::str(t.tzname(*dt))))
        }
        ("timestamp", Value::DateTime(dt, tz)) => {
            let utc = tz.unwrap_or_else(local_zone).to_utc(*dt);
            Ok(Value::Float(utc.and_utc().timestamp_micros() as f64 / 1e6))
        }
        ("astimezone", Value::DateTime(dt, tz)) => {
            let target = match args.pos.first() {
                Some(Value::TzInfo(t)) => *t,
                // The local zone as Python gives it: a fixed offset named
                // by the zone's abbreviation then.
                None | Some(Value::None) => {
                    let local = local_zone();
                    let utc = tz.unwrap_or(local).to_utc(*dt);
                    let wall = local.from_utc(utc);
                    let name = super::super::exceptions::intern(&local.tzname(wall));
                    Tz::Named(local.offset_at_utc(utc) as i32, name)
                }
                Some(other) => {
                    return Err(Error::type_error(format!(
                        "tzinfo argument must be None or of a tzinfo subclass, not type '{}'",
                        other.type_name()
                    )));
                }
            };
            let utc = tz.unwrap_or_else(local_zone).to_utc(*dt);
            Ok(Value::DateTime(target.from_utc(utc), Some(target)))
        }
        _ => Err(Error::new(
            "AttributeError",
            format!("'{}' object has no attribute '{name}'", v.type_name()),
        )),
    }
}

fn offset_value(seconds: i64) -> Value {
    Value::TimeDelta(TimeDelta::from_micros(seconds as i128 * 1_000_000).unwrap_or_default())
}

fn date_part(v: &Value) -> Result<NaiveDate> {
    match v {
        Value::Date(d) => Ok(*d),
        Value::DateTime(dt, _) => Ok(dt.date()),
        other => Err(Error::new(
            "AttributeError",
            format!("'{}' object has no attribute 'weekday'", other.type_name()),
        )),
    }
}

fn replace(v: &Value, mut args: Args) -> Result<Value> {
    let field = |args: &mut Args, name: &str, current: i64| -> Result<i64> {
        args.take_kw(name).map_or(Ok(current), |x| int_of(&x))
    };
    if !args.pos.is_empty() {
        return Err(Error::new(
            "NotImplementedError",
            "replace() with positional arguments; name them (replace(day=1))",
        ));
    }
    let out = match v {
        Value::Date(d) => {
            let y = field(&mut args, "year", d.year() as i64)?;
            let m = field(&mut args, "month", d.month() as i64)?;
            let day = field(&mut args, "day", d.day() as i64)?;
            Value::Date(make_date(y, m, day)?)
        }
        Value::DateTime(dt, tz) => {
            let y = field(&mut args, "year", dt.year() as i64)?;
            let m = field(&mut args, "month", dt.month() as i64)?;
            let day = field(&mut args, "day", dt.day() as i64)?;
            let h = field(&mut args, "hour", dt.hour() as i64)?;
            let mi = field(&mut args, "minute", dt.minute() as i64)?;
            let s = field(&mut args, "second", dt.second() as i64)?;
            let us = field(&mut args, "microsecond", (dt.nanosecond() / 1000) as i64)?;
            let tz = match args.take_kw("tzinfo") {
                Some(t) => tz_arg(Some(t))?,
                None => *tz,
            };
            args.take_kw("fold");
            Value::DateTime(make_date(y, m, day)?.and_time(make_time(h, mi, s, us)?), tz)
        }
        Value::Time(t) => {
            let h = field(&mut args, "hour", t.hour() as i64)?;
            let mi = field(&mut args, "minute", t.minute() as i64)?;
            let s = field(&mut args, "second", t.second() as i64)?;
            let us = field(&mut args, "microsecond", (t.nanosecond() / 1000) as i64)?;
            Value::Time(make_time(h, mi, s, us)?)
        }
        other => {
            return Err(Error::new(
                "AttributeError",
                format!("'{}' object has no attribute 'replace'", other.type_name()),
            ));
        }
    };
    if let Some((k, _)) = args.kw.first() {
        return Err(Error::type_error(format!(
            "'{k}' is an invalid keyword argument for replace()"
        )));
    }
    Ok(out)
}

/// `isoformat(sep)` of a date, datetime or time.
pub fn isoformat(v: &Value, sep: &str) -> String {
    match v {
        Value::Date(d) => d.format("%Y-%m-%d").to_string(),
        Value::Time(t) => time_text(t),
        Value::DateTime(dt, tz) => {
            let mut s = format!("{}{sep}{}", dt.format("%Y-%m-%d"), time_text(&dt.time()));
            if let Some(tz) = tz {
                s.push_str(&offset_text(tz.utcoffset(*dt), ":"));
            }
            s
        }
        other => super::super::repr::str(other),
    }
}

/// `isoformat(sep, timespec)`: `auto`, `hours`, `minutes`, `seconds`,
/// `milliseconds` or `microseconds`.
fn isoformat_spec(v: &Value, sep: &str, timespec: &str) -> Result<String> {
    if timespec == "auto" || matches!(v, Value::Date(_)) {
        return Ok(isoformat(v, sep));
    }
    let (t, date, tz) = match v {
        Value::Time(t) => (*t, None, None),
        Value::DateTime(dt, tz) => (dt.time(), Some(dt.date()), *tz),
        other => return Ok(super::super::repr::str(other)),
    };
    let micro = t.nanosecond() / 1000;
    let (h, m, s) = (t.hour(), t.minute(), t.second());
    let clock = match timespec {
        "hours" => format!("{h:02}"),
        "minutes" => format!("{h:02}:{m:02}"),
        "seconds" => format!("{h:02}:{m:02}:{s:02}"),
        "milliseconds" => format!("{h:02}:{m:02}:{s:02}.{:03}", micro / 1000),
        "microseconds" => format!("{h:02}:{m:02}:{s:02}.{micro:06}"),
        _ => return Err(Error::value_error("Unknown timespec value")),
    };
    let mut text = match date {
        Some(d) => format!("{}{sep}{clock}", d.format("%Y-%m-%d")),
        None => clock,
    };
    if let (Some(tz), Some(d)) = (tz, date) {
        text.push_str(&offset_text(tz.utcoffset(d.and_time(t)), ":"));
    }
    Ok(text)
}

/// `HH:MM:SS[.ffffff]`
pub fn time_text(t: &NaiveTime) -> String {
    let micro = t.nanosecond() / 1000;
    let mut s = format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second());
    if micro != 0 {
        s.push_str(&format!(".{micro:06}"));
    }
    s
}

const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `strftime(format)` with the C library's directives as CPython on Linux
/// (C locale) writes them.
pub fn strftime(v: &Value, fmt: &str) -> Result<String> {
    let (date, time, tz) = match v {
        Value::Date(d) => (*d, NaiveTime::MIN, None),
        Value::DateTime(dt, tz) => (dt.date(), dt.time(), *tz),
        Value::Time(t) => (
            NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default(),
            *t,
            None,
        ),
        _ => {
            return Err(Error::type_error(
                "strftime() needs a date, datetime or time",
            ));
        }
    };
    let wall = date.and_time(time);
    let mut out = String::new();
    let mut chars = fmt.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let Some(d) = chars.next() else {
            out.push('%');
            break;
        };
        let wd = date.weekday();
        let hour12 = match time.hour() % 12 {
            0 => 12,
            h => h,
        };
        let piece = match d {
            'a' => DAYS[wd.num_days_from_monday() as usize][..3].to_string(),
            'A' => DAYS[wd.num_days_from_monday() as usize].to_string(),
            'w' => wd.num_days_from_sunday().to_string(),
            'u' => wd.number_from_monday().to_string(),
            'd' => format!("{:02}", date.day()),
            'e' => format!("{:2}", date.day()),
            'b' | 'h' => MONTHS[date.month0() as usize][..3].to_string(),
            'B' => MONTHS[date.month0() as usize].to_string(),
            'm' => format!("{:02}", date.month()),
            'y' => format!("{:02}", date.year() % 100),
            'Y' => date.year().to_string(),
            'C' => format!("{:02}", date.year() / 100),
            'G' => date.iso_week().year().to_string(),
            'V' => format!("{:02}", date.iso_week().week()),
            'H' => format!("{:02}", time.hour()),
            'I' => format!("{hour12:02}"),
            'p' => if time.hour() < 12 { "AM" } else { "PM" }.to_string(),
            'M' => format!("{:02}", time.minute()),
            'S' => format!("{:02}", time.second()),
            'f' => format!("{:06}", time.nanosecond() / 1000),
            'j' => format!("{:03}", date.ordinal()),
            'U' => format!(
                "{:02}",
                (date.ordinal() + 6 - wd.num_days_from_sunday()) / 7
            ),
            'W' => format!(
                "{:02}",
                (date.ordinal() + 6 - wd.num_days_from_monday()) / 7
            ),
            'z' => tz.map_or(String::new(), |t| offset_text(t.utcoffset(wall), "")),
            'Z' => tz.map_or(String::new(), |t| t.tzname(wall)),
            'c' => strftime(v, "%a %b %e %H:%M:%S %Y")?,
            'x' => strftime(v, "%m/%d/%y")?,
            'X' => strftime(v, "%H:%M:%S")?,
            'D' => strftime(v, "%m/%d/%y")?,
            'F' => strftime(v, "%Y-%m-%d")?,
            'T' => strftime(v, "%H:%M:%S")?,
            'R' => strftime(v, "%H:%M")?,
            'n' => "\n".into(),
            't' => "\t".into(),
            '%' => "%".into(),
            other => format!("%{other}"),
        };
        out.push_str(&piece);
    }
    Ok(out)
}

/// `datetime.strptime(text, format)` for the numeric and English-name directives.
pub fn strptime(args: Args) -> Result<Value> {
    args.count("strptime", 2, 2)?;
    let (Value::Str(text), Value::Str(fmt)) = (&args.pos[0], &args.pos[1]) else {
        return Err(Error::type_error("strptime() argument 1 must be str"));
    };
    let mismatch = || {
        Error::value_error(format!(
            "time data {} does not match format {}",
            super::super::repr::str_repr(text),
            super::super::repr::str_repr(fmt)
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
    let number = |rest: &mut &str, max: usize| -> Option<i64> {
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
    };
    let name = |rest: &mut &str, names: &[&str]| -> Option<i64> {
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
    };
    while let Some(c) = f.next() {
        if c == '%' {
            let dch = f.next().ok_or_else(|| {
                Error::value_error(format!(
                    "stray % in format {}",
                    super::super::repr::str_repr(fmt)
                ))
            })?;
            match dch {
                'Y' => {
                    let before = rest.len();
                    y = number(&mut rest, 4).ok_or_else(mismatch)?;
                    if before - rest.len() != 4 {
                        return Err(mismatch());
                    }
                }
                'y' => {
                    let v = number(&mut rest, 2).ok_or_else(mismatch)?;
                    y = if v < 69 { 2000 + v } else { 1900 + v };
                }
                'm' => mo = number(&mut rest, 2).ok_or_else(mismatch)?,
                'd' => d = number(&mut rest, 2).ok_or_else(mismatch)?,
                'H' => h = number(&mut rest, 2).ok_or_else(mismatch)?,
                'I' => {
                    h = number(&mut rest, 2).ok_or_else(mismatch)?;
                    if !(1..=12).contains(&h) {
                        return Err(mismatch());
                    }
                    twelve = true;
                }
                'M' => mi = number(&mut rest, 2).ok_or_else(mismatch)?,
                'S' => s = number(&mut rest, 2).ok_or_else(mismatch)?,
                'f' => {
                    let n = rest.bytes().take(6).take_while(u8::is_ascii_digit).count();
                    if n == 0 {
                        return Err(mismatch());
                    }
                    us = format!("{:0<6}", &rest[..n])
                        .parse()
                        .map_err(|_| mismatch())?;
                    rest = &rest[n..];
                }
                'b' | 'B' | 'h' => mo = name(&mut rest, &MONTHS).ok_or_else(mismatch)? + 1,
                'a' | 'A' => {
                    name(&mut rest, &DAYS).ok_or_else(mismatch)?;
                }
                'p' => {
                    if rest.len() >= 2 && rest.is_char_boundary(2) {
                        match rest[..2].to_ascii_uppercase().as_str() {
                            "AM" => pm = Some(false),
                            "PM" => pm = Some(true),
                            _ => return Err(mismatch()),
                        }
                        rest = &rest[2..];
                    } else {
                        return Err(mismatch());
                    }
                }
                'z' => {
                    if let Some(r) = rest.strip_prefix('Z') {
                        tz = Some(Tz::Utc);
                        rest = r;
                    } else {
                        let sign = match rest.chars().next() {
                            Some('+') => 1,
                            Some('-') => -1,
                            _ => return Err(mismatch()),
                        };
                        rest = &rest[1..];
                        let hh = number(&mut rest, 2).ok_or_else(mismatch)?;
                        rest = rest.strip_prefix(':').unwrap_or(rest);
                        let mm = number(&mut rest, 2).ok_or_else(mismatch)?;
                        if hh > 23 || mm > 59 {
                            return Err(mismatch());
                        }
                        let secs = sign * (hh * 3600 + mm * 60);
                        tz = Some(if secs == 0 {
                            Tz::Utc
                        } else {
                            Tz::Fixed(secs as i32)
                        });
                    }
                }
                '%' => rest = rest.strip_prefix('%').ok_or_else(mismatch)?,
                other => {
                    return Err(Error::value_error(format!(
                        "'{other}' is a bad directive in format {}",
                        super::super::repr::str_repr(&format!("%{other}"))
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

// ---------------------------------------------------------------- arithmetic

/// The instant a datetime stands for, in UTC when it is aware.
/// Two aware datetimes as Python compares and subtracts them: by wall
/// time when they share their tzinfo, else by the instant.
fn instants(
    x: &NaiveDateTime,
    tx: Option<Tz>,
    y: &NaiveDateTime,
    ty: Option<Tz>,
) -> (NaiveDateTime, NaiveDateTime) {
    if tx == ty {
        (*x, *y)
    } else {
        (utc_of(x, tx), utc_of(y, ty))
    }
}

fn utc_of(dt: &NaiveDateTime, tz: Option<Tz>) -> NaiveDateTime {
    match tz {
        Some(t) => t.to_utc(*dt),
        None => *dt,
    }
}

fn out_of_range() -> Error {
    Error::new("OverflowError", "date value out of range")
}

fn add_to_datetime(dt: &NaiveDateTime, d: &TimeDelta, sign: i64) -> Result<NaiveDateTime> {
    let micros = i64::try_from(d.total_micros()).map_err(|_| out_of_range())?;
    let delta = chrono::TimeDelta::microseconds(micros.saturating_mul(sign));
    dt.checked_add_signed(delta)
        .filter(|r| (1..=9999).contains(&r.year()))
        .ok_or_else(out_of_range)
}

fn add_to_date(date: &NaiveDate, d: &TimeDelta, sign: i64) -> Result<NaiveDate> {
    date.checked_add_signed(chrono::TimeDelta::days(d.days * sign))
        .filter(|r| (1..=9999).contains(&r.year()))
        .ok_or_else(out_of_range)
}

fn delta(micros: i128) -> Result<Value> {
    TimeDelta::from_micros(micros).map(Value::TimeDelta)
}

/// `a op b` when either side is a date, datetime, time or timedelta;
/// `None` when neither is.
pub fn binary(op: BinOp, a: &Value, b: &Value) -> Option<Result<Value>> {
    if !is_datetime_value(a) && !is_datetime_value(b) {
        return None;
    }
    Some(binary_inner(op, a, b))
}

fn binary_inner(op: BinOp, a: &Value, b: &Value) -> Result<Value> {
    use Value::{DateTime as Dt, TimeDelta as Td};
    Ok(match (op, a, b) {
        (BinOp::Add, Td(x), Td(y)) => delta(x.total_micros() + y.total_micros())?,
        (BinOp::Sub, Td(x), Td(y)) => delta(x.total_micros() - y.total_micros())?,
        (BinOp::Add, Value::Date(d), Td(t)) | (BinOp::Add, Td(t), Value::Date(d)) => {
            Value::Date(add_to_date(d, t, 1)?)
        }
        (BinOp::Sub, Value::Date(d), Td(t)) => Value::Date(add_to_date(d, t, -1)?),
        (BinOp::Sub, Value::Date(x), Value::Date(y)) => {
            delta((*x - *y).num_days() as i128 * MICROS_PER_DAY)?
        }
        (BinOp::Add, Dt(dt, tz), Td(t)) | (BinOp::Add, Td(t), Dt(dt, tz)) => {
            Dt(add_to_datetime(dt, t, 1)?, *tz)
        }
        (BinOp::Sub, Dt(dt, tz), Td(t)) => Dt(add_to_datetime(dt, t, -1)?, *tz),
        (BinOp::Sub, Dt(x, tx), Dt(y, ty)) => {
            if tx.is_some() != ty.is_some() {
                return Err(Error::type_error(
                    "can't subtract offset-naive and offset-aware datetimes",
                ));
            }
            let (a, b) = instants(x, *tx, y, *ty);
            let diff = a - b;
            delta(diff.num_microseconds().unwrap_or(0) as i128)?
        }
        (BinOp::Mul, Td(t), n) | (BinOp::Mul, n, Td(t)) if !matches!(n, Td(_)) => match n {
            Value::Int(_) | Value::Bool(_) => delta(
                t.total_micros()
                    .checked_mul(int_of(n)? as i128)
                    .ok_or_else(|| Error::new("OverflowError", "date value out of range"))?,
            )?,
            Value::Float(f) if f.is_nan() => {
                return Err(Error::value_error("cannot convert float NaN to integer"));
            }
            Value::Float(f) => {
                let m = round_half_even(t.total_micros() as f64 * f);
                if !m.is_finite() || m.abs() > 1e35 {
                    return Err(Error::new(
                        "OverflowError",
                        "cannot convert float infinity to integer",
                    ));
                }
                delta(m as i128)?
            }
            _ => return Err(super::super::ops::unsupported(op, a, b)),
        },
        (BinOp::Div, Td(x), Td(y)) => {
            if y.total_micros() == 0 {
                return Err(Error::new("ZeroDivisionError", "division by zero"));
            }
            Value::Float(x.total_micros() as f64 / y.total_micros() as f64)
        }
        (BinOp::FloorDiv, Td(x), Td(y)) => {
            if y.total_micros() == 0 {
                return Err(Error::new(
                    "ZeroDivisionError",
                    "integer division or modulo by zero",
                ));
            }
            Value::Int(floor_div(x.total_micros(), y.total_micros()) as i64)
        }
        (BinOp::Mod, Td(x), Td(y)) => {
            if y.total_micros() == 0 {
                return Err(Error::new(
                    "ZeroDivisionError",
                    "integer division or modulo by zero",
                ));
            }
            let (x, y) = (x.total_micros(), y.total_micros());
            delta(x - y * floor_div(x, y))?
        }
        (BinOp::Div | BinOp::FloorDiv, Td(t), Value::Int(n)) => {
            if *n == 0 {
                return Err(Error::new(
                    "ZeroDivisionError",
                    "integer division or modulo by zero",
                ));
            }
            let m = t.total_micros();
            if op == BinOp::FloorDiv {
                delta(floor_div(m, *n as i128))?
            } else {
                delta(div_half_even(m, *n as i128))?
            }
        }
        (BinOp::Div, Td(t), Value::Float(f)) => {
            if *f == 0.0 {
                return Err(Error::new("ZeroDivisionError", "division by zero"));
            }
            delta(round_half_even(t.total_micros() as f64 / f) as i128)?
        }
        _ => return Err(super::super::ops::unsupported(op, a, b)),
    })
}

/// `-td`, `+td`, `abs(td)`.
pub fn negate(t: &TimeDelta) -> Result<Value> {
    delta(-t.total_micros())
}

/// `==` between datetime values; `None` when neither side is one.
pub fn equals(a: &Value, b: &Value) -> Option<bool> {
    Some(match (a, b) {
        (Value::TimeDelta(x), Value::TimeDelta(y)) => x == y,
        (Value::Date(x), Value::Date(y)) => x == y,
        (Value::Time(x), Value::Time(y)) => x == y,
        (Value::DateTime(x, tx), Value::DateTime(y, ty)) => {
            let (a, b) = instants(x, *tx, y, *ty);
            tx.is_some() == ty.is_some() && a == b
        }
        // timezone objects equal by offset; a ZoneInfo only itself.
        (Value::TzInfo(x), Value::TzInfo(y)) => match (x, y) {
            (Tz::Zone(_), _) | (_, Tz::Zone(_)) => x == y,
            _ => x.utcoffset(NaiveDateTime::default()) == y.utcoffset(NaiveDateTime::default()),
        },
        _ if is_datetime_value(a) || is_datetime_value(b) => false,
        _ => return None,
    })
}

/// `<` and friends between datetime values; `None` when neither side is one.
pub fn compare(a: &Value, b: &Value, op: &str) -> Option<Result<Ordering>> {
    Some(match (a, b) {
        (Value::TimeDelta(x), Value::TimeDelta(y)) => Ok(x.cmp(y)),
        (Value::Date(x), Value::Date(y)) => Ok(x.cmp(y)),
        (Value::Time(x), Value::Time(y)) => Ok(x.cmp(y)),
        (Value::DateTime(x, tx), Value::DateTime(y, ty)) => {
            if tx.is_some() != ty.is_some() {
                Err(Error::type_error(
                    "can't compare offset-naive and offset-aware datetimes",
                ))
            } else {
                let (a, b) = instants(x, *tx, y, *ty);
                Ok(a.cmp(&b))
            }
        }
        // date's comparison gives way to datetime's, which refuses.
        (Value::DateTime(..), Value::Date(_)) | (Value::Date(_), Value::DateTime(..)) => Err(
            Error::type_error("can't compare datetime.datetime to datetime.date"),
        ),
        _ if is_datetime_value(a) || is_datetime_value(b) => Err(Error::type_error(format!(
            "'{op}' not supported between instances of '{}' and '{}'",
            a.type_name(),
            b.type_name()
        ))),
        _ => return None,
    })
}

/// The key under which a dict stores a datetime value: equal values, one key.
pub fn hash_text(v: &Value) -> Option<String> {
    Some(match v {
        Value::TimeDelta(t) => format!("timedelta {}", t.total_micros()),
        Value::DateTime(dt, None) => format!("datetime {dt}"),
        Value::DateTime(dt, Some(tz)) => format!("datetime-aware {}", utc_of(dt, Some(*tz))),
        Value::TzInfo(tz) => format!("tz {}", tz.repr()),
        _ => return None,
    })
}

/// `date.fromordinal(n)`.
pub fn fromordinal(args: Args) -> Result<Value> {
    args.count("fromordinal", 1, 1)?;
    let n = int_of(&args.pos[0])?;
    if !(1..=3_652_059).contains(&n) {
        return Err(Error::value_error("ordinal must be >= 1"));
    }
    NaiveDate::from_num_days_from_ce_opt(n as i32)
        .map(Value::Date)
        .ok_or_else(out_of_range)
}

/// `fromtimestamp(ts, tz=None)` of date or datetime.
pub fn fromtimestamp(class: &str, mut args: Args) -> Result<Value> {
    let mut p = params(&mut args, &["timestamp", "tz"], 1)?;
    let ts = match &p[0] {
        Some(Value::Int(i)) => *i as f64,
        Some(Value::Float(f)) => *f,
        Some(other) => {
            return Err(Error::type_error(format!(
                "'{}' object cannot be interpreted as an integer",
                other.type_name()
            )));
        }
        None => 0.0,
    };
    let micros = (ts * 1e6).round() as i64;
    let utc = chrono::DateTime::from_timestamp_micros(micros)
        .ok_or_else(|| Error::value_error("year is out of range"))?
        .naive_utc();
    let tz = tz_arg(p[1].take())?;
    let value = match tz {
        Some(t) => Value::DateTime(t.from_utc(utc), Some(t)),
        None => Value::DateTime(local_zone().from_utc(utc), None),
    };
    Ok(match (class, value) {
        ("date", Value::DateTime(dt, _)) => Value::Date(dt.date()),
        (_, v) => v,
    })
}

pub fn chrono_delta(t: &TimeDelta) -> chrono::TimeDelta {
    t.chrono()
}

/// `d.timetuple()`: a `time.struct_time`, whose `tm_isdst` is -1 unless a
/// ZoneInfo says whether daylight saving time is in force (a fixed offset's
/// `dst()` is None).
fn time_tuple(v: &Value) -> Value {
    use chrono::{Datelike, Timelike};
    let (dt, tz) = match v {
        Value::DateTime(dt, tz) => (*dt, *tz),
        Value::Date(d) => (d.and_time(chrono::NaiveTime::MIN), None),
        _ => unreachable!("timetuple is a date's or a datetime's method"),
    };
    let isdst = match tz {
        Some(Tz::Zone(z)) => {
            use chrono::TimeZone;
            let utc = Tz::Zone(z).to_utc(dt);
            let off = z.offset_from_utc_datetime(&utc);
            i64::from(chrono_tz::OffsetComponents::dst_offset(&off).num_seconds() != 0)
        }
        _ => -1,
    };
    let fields = [
        ("tm_year", i64::from(dt.year())),
        ("tm_mon", i64::from(dt.month())),
        ("tm_mday", i64::from(dt.day())),
        ("tm_hour", i64::from(dt.hour())),
        ("tm_min", i64::from(dt.minute())),
        ("tm_sec", i64::from(dt.second())),
        ("tm_wday", i64::from(dt.weekday().num_days_from_monday())),
        ("tm_yday", i64::from(dt.ordinal())),
        ("tm_isdst", isdst),
    ];
    Value::NamedRow(std::rc::Rc::new((
        fields.iter().map(|(n, _)| n.to_string()).collect(),
        fields.iter().map(|(_, v)| Value::Int(*v)).collect(),
        "time.struct_time",
    )))
}
