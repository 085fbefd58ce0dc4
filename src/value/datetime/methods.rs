//! Attributes and methods of dates, datetimes, times, timedeltas and tzinfos; `strftime`.

use crate::value::datetime::*;

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
                return text(crate::value::repr::str(v));
            }
            text(strftime(v, &fmt)?)
        }
        ("replace", _) => replace(v, args),
        ("utcoffset", Value::DateTime(dt, tz)) => {
            Ok(tz.map_or(Value::None, |t| offset_value(t.utcoffset(*dt))))
        }
        _ => zone_method(v, name, args),
    }
}

/// The time-zone methods: `utcoffset`, `tzname`, `dst`, `timestamp`,
/// `astimezone`.
fn zone_method(v: &Value, name: &str, args: Args) -> Result<Value> {
    match (name, v) {
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
                    let name = crate::value::exceptions::intern(&local.tzname(wall));
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

pub(super) fn offset_value(seconds: i64) -> Value {
    Value::TimeDelta(TimeDelta::from_micros(seconds as i128 * 1_000_000).unwrap_or_default())
}

pub(super) fn date_part(v: &Value) -> Result<NaiveDate> {
    match v {
        Value::Date(d) => Ok(*d),
        Value::DateTime(dt, _) => Ok(dt.date()),
        other => Err(Error::new(
            "AttributeError",
            format!("'{}' object has no attribute 'weekday'", other.type_name()),
        )),
    }
}

pub(super) fn replace(v: &Value, mut args: Args) -> Result<Value> {
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
        other => crate::value::repr::str(other),
    }
}

/// `isoformat(sep, timespec)`: `auto`, `hours`, `minutes`, `seconds`,
/// `milliseconds` or `microseconds`.
pub(super) fn isoformat_spec(v: &Value, sep: &str, timespec: &str) -> Result<String> {
    if timespec == "auto" || matches!(v, Value::Date(_)) {
        return Ok(isoformat(v, sep));
    }
    let (t, date, tz) = match v {
        Value::Time(t) => (*t, None, None),
        Value::DateTime(dt, tz) => (dt.time(), Some(dt.date()), *tz),
        other => return Ok(crate::value::repr::str(other)),
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

pub(super) const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
pub(super) const MONTHS: [&str; 12] = [
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
