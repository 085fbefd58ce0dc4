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
            |v| -> Result<regex::Regex, Box<dyn std::error::Error + Send + Sync>> {
                Ok(regex::Regex::new(v.as_str()?)?)
            },
        )?;
        Ok(Some(re.is_match(&text)))
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
    Ok(())
}

/// Dates and datetimes as Django stores them (the lookups' own parser).
fn parse(v: &str) -> Option<NaiveDateTime> {
    crate::query::parse_datetime_value(v)
}

/// Django's `_sqlite_datetime_extract`: week_day counts from Sunday = 1,
/// iso_week_day from Monday = 1.
fn extract(kind: &str, v: &str) -> Option<i64> {
    let dt = parse(v)?;
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
