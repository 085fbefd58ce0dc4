//! What Django makes of a value read from SQLite that its field cannot hold:
//! the converters of `backends/sqlite3/operations.py` and `base.py`, the
//! parsers of `utils/dateparse.py`, and the `int()`/`float()` that
//! `expressions.py` applies to computed columns. Where Django raises, so
//! does ormsh, with Python's message; where Django shows the raw value (an
//! IntegerField holding text), so does ormsh. Nothing is invented.

use crate::error::{Error, Result};
use crate::python_decimal::{Context, Decimal};
use crate::value::Value;
use crate::value::decimal::signal;
use regex::Regex;
use rusqlite::types::Value as Sql;
use std::sync::LazyLock;

/// A value Django cannot convert: its exception, with the raw value kept
/// for a table that marks the cell instead of failing (see [`leniently`]).
pub struct Unconvertible {
    pub error: Error,
    pub raw: Sql,
}

pub type Converted = std::result::Result<Value, Box<Unconvertible>>;

pub(super) fn fail(error: Error, raw: Sql) -> Converted {
    Err(Box::new(Unconvertible { error, raw }))
}

thread_local! {
    static LENIENT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with unconvertible values read as [`Value::Invalid`] cells
/// instead of raising: for tables shown to people, which mark them.
pub fn leniently<T>(f: impl FnOnce() -> T) -> T {
    let before = LENIENT.with(|l| l.replace(true));
    let out = f();
    LENIENT.with(|l| l.set(before));
    out
}

/// The value, or the error Django raises for it (an invalid cell when
/// reading [`leniently`]).
pub(super) fn settle(converted: Converted) -> Result<Value> {
    converted.or_else(|u| {
        if LENIENT.with(|l| l.get()) {
            Ok(Value::Invalid(std::rc::Rc::new((
                raw_text(&u.raw),
                format!("{}: {}", u.error.kind, u.error.message),
            ))))
        } else {
            Err(u.error)
        }
    })
}

fn raw_text(v: &Sql) -> String {
    match v {
        Sql::Null => "NULL".into(),
        Sql::Integer(i) => i.to_string(),
        Sql::Real(r) => crate::value::repr::float_repr(*r),
        Sql::Text(t) => crate::value::repr::str_repr(t),
        Sql::Blob(b) => crate::value::repr::bytes_repr(b),
    }
}

/// Django's DecimalField converter for a column:
/// `Context(prec=15).create_decimal_from_float(v).quantize(1e-places,
/// context=Context(prec=max_digits))`.
pub(super) fn decimal_column(v: Sql, places: Option<u32>, max_digits: Option<u32>) -> Converted {
    let d = match fifteen_digits(&v) {
        Ok(d) => d,
        Err(e) => return fail(e, v),
    };
    let Some(p) = places else {
        return d
            .normalize(&Context::python())
            .map(Value::decimal)
            .or_else(|s| fail(signal(s), v));
    };
    let context = max_digits.map_or(Context::python(), |m| Context::with_prec(m as u64));
    let target = Decimal::finite(false, 1u32.into(), -(p as i64));
    match d.quantize(&target, context.rounding, &context) {
        Ok(q) => Ok(Value::decimal(q)),
        Err(s) => fail(signal(s), v),
    }
}

/// `Context(prec=15).create_decimal_from_float(v)`: SQLite keeps 15
/// significant digits, so Django drops the float's noise past them.
pub(super) fn fifteen_digits(v: &Sql) -> Result<Decimal> {
    let exact = match v {
        Sql::Integer(i) => Decimal::from_i64(*i),
        Sql::Real(r) => Decimal::from_f64(*r),
        _ => return Err(Error::type_error("argument must be int or float")),
    };
    exact.fix(&Context::with_prec(15)).map_err(signal)
}

/// SQLite's `CAST(text AS NUMERIC)`, which Django wraps around a decimal
/// aggregate: the longest numeric prefix, else 0.
pub(super) fn numeric_prefix(text: &str) -> Decimal {
    static NUMBER: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?").expect("regex"));
    NUMBER
        .find(text)
        .and_then(|m| Decimal::parse(m.as_str()).ok())
        .unwrap_or_else(Decimal::zero)
}

/// Django's sqlite3 converter for `bool` columns: `b"1".__eq__`.
pub(super) fn boolean_column(v: &Sql) -> Value {
    Value::Bool(match v {
        Sql::Integer(i) => *i == 1,
        Sql::Text(t) => t == "1",
        Sql::Blob(b) => b == b"1",
        _ => false,
    })
}

/// Python's `int(value)` on what a computed integer column returned.
pub(super) fn python_int(v: Sql) -> Converted {
    match &v {
        Sql::Integer(i) => Ok(Value::Int(*i)),
        Sql::Real(r) if r.is_finite() && r.abs() < 9.2e18 => Ok(Value::Int(r.trunc() as i64)),
        Sql::Real(r) if r.is_nan() => {
            fail(Error::value_error("cannot convert float NaN to integer"), v)
        }
        Sql::Real(_) => fail(
            Error::new("OverflowError", "cannot convert float infinity to integer"),
            v,
        ),
        Sql::Text(t) => match t.trim().replace('_', "").parse::<i64>() {
            Ok(i) if !t.trim().starts_with('_') => Ok(Value::Int(i)),
            _ => fail(
                Error::value_error(format!(
                    "invalid literal for int() with base 10: {}",
                    crate::value::repr::str_repr(t)
                )),
                v,
            ),
        },
        Sql::Blob(b) => fail(
            Error::value_error(format!(
                "invalid literal for int() with base 10: {}",
                crate::value::repr::bytes_repr(b)
            )),
            v,
        ),
        Sql::Null => Ok(Value::None),
    }
}

/// Python's `float(value)` on what a computed float column returned.
pub(super) fn python_float(v: Sql) -> Converted {
    match &v {
        Sql::Integer(i) => Ok(Value::Float(*i as f64)),
        Sql::Real(r) => Ok(Value::Float(*r)),
        Sql::Text(t) => match t.trim().parse::<f64>() {
            Ok(f) => Ok(Value::Float(f)),
            Err(_) => fail(
                Error::value_error(format!(
                    "could not convert string to float: {}",
                    crate::value::repr::str_repr(t)
                )),
                v,
            ),
        },
        Sql::Blob(b) => fail(
            Error::value_error(format!(
                "could not convert string to float: {}",
                crate::value::repr::bytes_repr(b)
            )),
            v,
        ),
        Sql::Null => Ok(Value::None),
    }
}

static ISO_DATE_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{4})-?(\d{2})-?(\d{2})$").expect("regex"));
static DATE_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{4})-(\d{1,2})-(\d{1,2})$").expect("regex"));
static TIME_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d{1,6})\d{0,6})?)?$").expect("regex")
});
static DATETIME_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d{1,6})\d{0,6})?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$",
    )
    .expect("regex")
});

fn group(c: &regex::Captures, i: usize) -> i64 {
    c.get(i)
        .map_or(0, |m| m.as_str().parse().unwrap_or(i64::MAX))
}

/// Python's `datetime.date(y, m, d)` and its refusals.
fn python_date(y: i64, m: i64, d: i64) -> Result<chrono::NaiveDate> {
    if !(1..=9999).contains(&y) {
        return Err(Error::value_error(format!("year {y} is out of range")));
    }
    if !(1..=12).contains(&m) {
        return Err(Error::value_error("month must be in 1..12"));
    }
    chrono::NaiveDate::from_ymd_opt(y as i32, m as u32, d.clamp(0, 99) as u32)
        .filter(|_| d >= 1)
        .ok_or_else(|| Error::value_error("day is out of range for month"))
}

/// Python's `datetime.time(h, m, s, us)` and its refusals.
fn python_time(h: i64, m: i64, s: i64, micro: i64) -> Result<chrono::NaiveTime> {
    for (v, what, max) in [
        (h, "hour", 23),
        (m, "minute", 59),
        (s, "second", 59),
        (micro, "microsecond", 999_999),
    ] {
        if !(0..=max).contains(&v) {
            return Err(Error::value_error(format!("{what} must be in 0..{max}")));
        }
    }
    chrono::NaiveTime::from_hms_micro_opt(h as u32, m as u32, s as u32, micro as u32)
        .ok_or_else(|| Error::value_error("microsecond must be in 0..999999"))
}

fn microseconds(c: &regex::Captures, i: usize) -> i64 {
    c.get(i)
        .map_or(0, |m| format!("{:0<6}", m.as_str()).parse().unwrap_or(0))
}

/// `dateparse.parse_date`: `date.fromisoformat` (`2024-01-02`, `20240102`),
/// else a date-shaped text that must be a real date (ValueError), else None.
/// Only these regular expressions decide, as in Django: no trimming, no
/// leap seconds, no years outside 1..9999.
pub(super) fn parse_date(text: &str) -> Result<Option<chrono::NaiveDate>> {
    let text = text.strip_suffix('\n').unwrap_or(text);
    if let Some(c) = ISO_DATE_RE.captures(text) {
        return python_date(group(&c, 1), group(&c, 2), group(&c, 3)).map(Some);
    }
    match DATE_RE.captures(text) {
        Some(c) => python_date(group(&c, 1), group(&c, 2), group(&c, 3)).map(Some),
        None => Ok(None),
    }
}

/// `dateparse.parse_time`.
pub(super) fn parse_time(text: &str) -> Result<Option<chrono::NaiveTime>> {
    let text = text.strip_suffix('\n').unwrap_or(text);
    match TIME_RE.captures(text) {
        Some(c) => python_time(
            group(&c, 1),
            group(&c, 2),
            group(&c, 3),
            microseconds(&c, 4),
        )
        .map(Some),
        None => Ok(None),
    }
}

/// Django's datetime pattern with its zone (`Z`, `+02`, `-05:30`, after
/// optional spaces) as seconds east of UTC; None when the text is not in it.
pub(super) fn zoned_datetime(text: &str) -> Result<Option<(chrono::NaiveDateTime, Option<i32>)>> {
    let Some(c) = DATETIME_RE.captures(text) else {
        return Ok(None);
    };
    let date = python_date(group(&c, 1), group(&c, 2), group(&c, 3))?;
    let time = python_time(
        group(&c, 4),
        group(&c, 5),
        group(&c, 6),
        microseconds(&c, 7),
    )?;
    let zone = c.get(8).map(|z| match z.as_str() {
        "Z" => 0,
        z => {
            let sign = if z.starts_with('-') { -1 } else { 1 };
            let digits: String = z[1..].chars().filter(char::is_ascii_digit).collect();
            let hours: i32 = digits.get(..2).and_then(|h| h.parse().ok()).unwrap_or(0);
            let minutes: i32 = digits.get(2..).and_then(|m| m.parse().ok()).unwrap_or(0);
            sign * (hours * 3600 + minutes * 60)
        }
    });
    Ok(Some((date.and_time(time), zone)))
}

/// `dateparse.parse_datetime` (a time zone suffix is read and dropped, as
/// naive datetimes are all ormsh keeps); a date alone is its midnight, as
/// `datetime.fromisoformat` reads it.
pub(super) fn parse_datetime(text: &str) -> Result<Option<chrono::NaiveDateTime>> {
    let text = text.strip_suffix('\n').unwrap_or(text);
    if let Some((dt, _)) = zoned_datetime(text)? {
        return Ok(Some(dt));
    }
    match ISO_DATE_RE.captures(text) {
        Some(c) => Ok(Some(
            python_date(group(&c, 1), group(&c, 2), group(&c, 3))?.and_time(chrono::NaiveTime::MIN),
        )),
        None => Ok(None),
    }
}
