//! SQL functions SQLite lacks and Django registers on every connection:
//! REGEXP, and date and time extraction for the `year`, `month`… transforms.

use chrono::{Datelike, NaiveDateTime, Timelike};
use rusqlite::Connection;
use rusqlite::functions::FunctionFlags;

pub fn register(conn: &Connection) -> rusqlite::Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_scalar_function("regexp", 2, flags, |ctx| {
        if ctx.get::<Option<String>>(0)?.is_none() {
            return Ok(None);
        }
        let Some(text) = ctx.get::<Option<String>>(1)? else {
            return Ok(None);
        };
        // Compiled once a statement (SQLite keeps it with the pattern
        // argument), as Django's backend caches its compiled patterns.
        let re = ctx.get_or_create_aux(
            0,
            |v| -> Result<fancy_regex::Regex, Box<dyn std::error::Error + Send + Sync>> {
                Ok(crate::python_re::search_regex(v.as_str()?, 0)?)
            },
        )?;
        let found = re
            .is_match(&text)
            .map_err(|e| rusqlite::Error::UserFunctionError(Box::new(e)))?;
        Ok(Some(found))
    })?;
    // Reads the settings, so it is not deterministic across statements.
    conn.create_scalar_function("django_local", 1, FunctionFlags::SQLITE_UTF8, |ctx| {
        Ok(ctx.get::<Option<String>>(0)?.map(|v| local_time(&v)))
    })?;
    conn.create_scalar_function("django_extract", 2, flags, |ctx| {
        let (kind, value) = (ctx.get::<String>(0)?, ctx.get::<Option<String>>(1)?);
        Ok(value.and_then(|v| extract(&kind, &v)))
    })?;
    conn.create_scalar_function("django_datetime_cast_date", 1, flags, |ctx| {
        Ok(ctx
            .get::<Option<String>>(0)?
            .and_then(|v| parse(&v))
            .map(|dt| dt.date().format("%Y-%m-%d").to_string()))
    })?;
    conn.create_scalar_function("django_datetime_cast_time", 1, flags, |ctx| {
        Ok(ctx
            .get::<Option<String>>(0)?
            .and_then(|v| parse(&v))
            .map(|dt| dt.time().format("%H:%M:%S%.f").to_string()))
    })?;
    conn.create_scalar_function("django_format_dtdelta", 3, flags, |ctx| {
        let op = ctx.get::<Option<String>>(0)?;
        let (l, r) = (ctx.get_raw(1), ctx.get_raw(2));
        Ok(op.and_then(|op| format_dtdelta(op.trim(), l, r)))
    })?;
    conn.create_scalar_function("django_timestamp_diff", 2, flags, |ctx| {
        let (l, r) = (ctx.get::<Option<String>>(0)?, ctx.get::<Option<String>>(1)?);
        Ok(match (
            l.as_deref().and_then(timestamp),
            r.as_deref().and_then(timestamp),
        ) {
            (Some(Stamp::Date(a)), Some(Stamp::Date(b))) => Some((a - b).num_microseconds()),
            (Some(Stamp::DateTime(a)), Some(Stamp::DateTime(b))) => {
                Some((a - b).num_microseconds())
            }
            _ => None,
        }
        .flatten())
    })?;
    conn.create_scalar_function("django_time_diff", 2, flags, |ctx| {
        let (l, r) = (ctx.get::<Option<String>>(0)?, ctx.get::<Option<String>>(1)?);
        let time = |s: &str| chrono::NaiveTime::parse_from_str(s, "%H:%M:%S%.f").ok();
        Ok(
            match (l.as_deref().and_then(time), r.as_deref().and_then(time)) {
                (Some(a), Some(b)) => (a - b).num_microseconds(),
                _ => None,
            },
        )
    })?;
    Ok(())
}

/// What Django's `typecast_timestamp` makes of a stored value: a date when
/// it has no time part, else a naive datetime (any offset dropped).
enum Stamp {
    Date(chrono::NaiveDate),
    DateTime(NaiveDateTime),
}

fn timestamp(s: &str) -> Option<Stamp> {
    let Some((d, t)) = s.trim().split_once(' ') else {
        return chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .ok()
            .map(Stamp::Date);
    };
    let t = t.split(['+', '-']).next().unwrap_or(t);
    NaiveDateTime::parse_from_str(&format!("{d} {t}"), "%Y-%m-%d %H:%M:%S%.f")
        .ok()
        .map(Stamp::DateTime)
}

/// Django's `_sqlite_format_dtdelta`: a date or datetime (text) plus or
/// minus a duration (microseconds) is the text of the result, as Python's
/// `str()` writes it; `*` and `/` scale a duration.
fn format_dtdelta(
    op: &str,
    l: rusqlite::types::ValueRef<'_>,
    r: rusqlite::types::ValueRef<'_>,
) -> Option<rusqlite::types::Value> {
    use rusqlite::types::{Value, ValueRef};
    if matches!(l, ValueRef::Null) || matches!(r, ValueRef::Null) {
        return None;
    }
    if matches!(op, "*" | "/") {
        let num = |v: ValueRef| match v {
            ValueRef::Integer(i) => Some(i as f64),
            ValueRef::Real(f) => Some(f),
            _ => None,
        };
        let (a, b) = (num(l)?, num(r)?);
        let exact = |x: f64| Value::Integer(x as i64);
        return Some(match (op, l, r) {
            ("*", ValueRef::Integer(x), ValueRef::Integer(y)) => Value::Integer(x.checked_mul(y)?),
            ("*", _, _) => Value::Real(a * b),
            (_, _, _) if b == 0.0 => return None,
            _ => exact(a / b),
        });
    }
    enum Side {
        Delta(chrono::TimeDelta),
        Stamp(Stamp),
    }
    let side = |v: ValueRef| match v {
        ValueRef::Integer(us) => Some(Side::Delta(chrono::TimeDelta::microseconds(us))),
        ValueRef::Text(t) => timestamp(std::str::from_utf8(t).ok()?).map(Side::Stamp),
        _ => None,
    };
    let sign = if op == "-" { -1 } else { 1 };
    let text = match (side(l)?, side(r)?) {
        (Side::Stamp(Stamp::Date(d)), Side::Delta(t))
        | (Side::Delta(t), Side::Stamp(Stamp::Date(d))) => {
            // A date moves by the duration's whole days, as Python's `.days`.
            let days = t.num_microseconds()?.div_euclid(86_400_000_000);
            d.checked_add_signed(chrono::TimeDelta::try_days(days * sign)?)?
                .format("%Y-%m-%d")
                .to_string()
        }
        (Side::Stamp(Stamp::DateTime(dt)), Side::Delta(t))
        | (Side::Delta(t), Side::Stamp(Stamp::DateTime(dt))) => {
            let r = dt.checked_add_signed(t * sign as i32)?;
            let micro = r.and_utc().timestamp_subsec_micros();
            if micro == 0 {
                r.format("%Y-%m-%d %H:%M:%S").to_string()
            } else {
                format!("{}.{micro:06}", r.format("%Y-%m-%d %H:%M:%S"))
            }
        }
        (Side::Delta(a), Side::Delta(b)) => {
            return (a + b * sign as i32).num_microseconds().map(Value::Integer);
        }
        _ => return None,
    };
    Some(Value::Text(text))
}

/// A stored datetime (UTC with `USE_TZ`) as the wall time in the current
/// time zone, where Django's backend casts, extracts and truncates it
/// (`_sqlite_datetime_parse` with the connection's `tzname`). Dates and
/// times, which hold no instant, pass as they are.
fn local_time(v: &str) -> String {
    let settings = crate::settings::time();
    if !settings.use_tz || settings.time_zone == "UTC" || v.len() <= 10 {
        return v.to_string();
    }
    let (Ok(zone), Some(utc)) = (settings.time_zone.parse::<chrono_tz::Tz>(), parse(v)) else {
        return v.to_string();
    };
    let wall = utc.and_utc().with_timezone(&zone).naive_local();
    let micro = wall.and_utc().timestamp_subsec_micros();
    if micro == 0 {
        wall.format("%Y-%m-%d %H:%M:%S").to_string()
    } else {
        format!("{}.{micro:06}", wall.format("%Y-%m-%d %H:%M:%S"))
    }
}

/// Dates and datetimes as Django stores them (the lookups' own parser).
fn parse(v: &str) -> Option<NaiveDateTime> {
    crate::query::parse_datetime_value(v)
}

/// Django's `_sqlite_datetime_extract`: week_day counts from Sunday = 1,
/// iso_week_day from Monday = 1.
fn extract(kind: &str, v: &str) -> Option<i64> {
    // A TimeField's value has no date: only its clock parts can be asked.
    let Some(dt) = parse(v) else {
        let t = chrono::NaiveTime::parse_from_str(v, "%H:%M:%S%.f").ok()?;
        return match kind {
            "hour" => Some(t.hour() as i64),
            "minute" => Some(t.minute() as i64),
            "second" => Some(t.second() as i64),
            _ => None,
        };
    };
    let d = dt.date();
    Some(match kind {
        "year" => d.year() as i64,
        "iso_year" => d.iso_week().year() as i64,
        "month" => d.month() as i64,
        "day" => d.day() as i64,
        "week_day" => d.weekday().num_days_from_sunday() as i64 + 1,
        "iso_week_day" => d.weekday().number_from_monday() as i64,
        "week" => d.iso_week().week() as i64,
        "quarter" => (d.month() as i64 - 1) / 3 + 1,
        "hour" => dt.hour() as i64,
        "minute" => dt.minute() as i64,
        "second" => dt.second() as i64,
        _ => return None,
    })
}
