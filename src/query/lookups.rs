//! Lookups (`exact`, `icontains`, `in`, `range`…) and transforms (`year`,
//! `month`, `date`…) as Django's SQLite backend writes them, and the
//! conversion of Python values to bound parameters (Django's
//! `get_prep_value`), with its error messages.

use crate::engine::Value;
use crate::error::{Error, Result};
use crate::schema::FieldKind;
use rusqlite::types::Value as Sql;

pub(super) const LOOKUPS: &[&str] = &[
    "exact",
    "iexact",
    "contains",
    "icontains",
    "in",
    "gt",
    "gte",
    "lt",
    "lte",
    "startswith",
    "istartswith",
    "endswith",
    "iendswith",
    "range",
    "isnull",
    "regex",
    "iregex",
];

/// The lookups and transforms a field of `kind` takes, for completion.
pub fn lookup_names(kind: FieldKind) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = LOOKUPS.to_vec();
    let parts = EXTRACTABLE.iter().chain(&["date", "time"]).copied();
    out.extend(parts.filter(|p| transform(kind, p).is_some()));
    out
}

/// Transforms and the kind of value they produce.
pub fn transform(kind: FieldKind, name: &str) -> Option<FieldKind> {
    let is_date = matches!(kind, FieldKind::DateField | FieldKind::DateTimeField);
    let is_time = matches!(kind, FieldKind::TimeField | FieldKind::DateTimeField);
    match name {
        "year" | "iso_year" | "month" | "day" | "week_day" | "iso_week_day" | "week"
        | "quarter"
            if is_date =>
        {
            Some(FieldKind::IntegerField)
        }
        "hour" | "minute" | "second" if is_time => Some(FieldKind::IntegerField),
        "date" if kind == FieldKind::DateTimeField => Some(FieldKind::DateField),
        "time" if kind == FieldKind::DateTimeField => Some(FieldKind::TimeField),
        _ => None,
    }
}

/// The parts a date or time can be asked for; only these reach SQL text.
const EXTRACTABLE: &[&str] = &[
    "year",
    "iso_year",
    "month",
    "day",
    "week_day",
    "iso_week_day",
    "week",
    "quarter",
    "hour",
    "minute",
    "second",
];

/// The SQL of a transform applied to `lhs` (functions registered by `db`).
/// The part's name is written into the SQL, so it must be one of ours.
pub(super) fn transform_sql(name: &str, lhs: &str) -> String {
    // In the current time zone, as Django casts and extracts.
    let lhs = &format!("django_local({lhs})");
    match name {
        "date" => format!("django_datetime_cast_date({lhs})"),
        "time" => format!("django_datetime_cast_time({lhs})"),
        part => {
            let part = EXTRACTABLE
                .iter()
                .find(|p| **p == part)
                .copied()
                .unwrap_or("year");
            format!("django_extract('{part}', {lhs})")
        }
    }
}

/// `WHERE` text for `lhs <lookup> value`, pushing bound parameters.
pub(super) fn lookup_sql(
    lhs: &str,
    lookup: &str,
    kind: FieldKind,
    field: &str,
    value: &Value,
    params: &mut Vec<Sql>,
) -> Result<String> {
    if lookup == "isnull" {
        return Ok(if value.truthy() {
            format!("{lhs} IS NULL")
        } else {
            format!("{lhs} IS NOT NULL")
        });
    }
    if matches!(value, Value::None) {
        return match lookup {
            "exact" | "iexact" => Ok(format!("{lhs} IS NULL")),
            _ => Err(Error::value_error("Cannot use None as a query value")),
        };
    }
    let rounded;
    let value = if kind.is_integer() && matches!(lookup, "exact" | "gt" | "gte" | "lt" | "lte") {
        rounded = integer_rhs(lookup, value)?;
        match outside_integer_range(lookup, &rounded) {
            Some(sql) => return Ok(sql.into()),
            None => &rounded,
        }
    } else {
        value
    };
    let like = |pattern: String, params: &mut Vec<Sql>| {
        let p = bind(params, Sql::Text(pattern));
        Ok(format!("{lhs} LIKE {p} ESCAPE '\\'"))
    };
    match lookup {
        "exact" => {
            let p = bind(params, prep(kind, field, value)?);
            Ok(format!("{lhs} = {p}"))
        }
        "gt" | "gte" | "lt" | "lte" => {
            let p = bind(params, prep(kind, field, value)?);
            let op = match lookup {
                "gt" => ">",
                "gte" => ">=",
                "lt" => "<",
                _ => "<=",
            };
            Ok(format!("{lhs} {op} {p}"))
        }
        "iexact" => like(escape_like(&text(value)), params),
        "contains" | "icontains" => like(format!("%{}%", escape_like(&text(value))), params),
        "startswith" | "istartswith" => like(format!("{}%", escape_like(&text(value))), params),
        "endswith" | "iendswith" => like(format!("%{}", escape_like(&text(value))), params),
        "regex" | "iregex" => {
            let p = bind(params, Sql::Text(text(value)));
            Ok(if lookup == "regex" {
                format!("{lhs} REGEXP {p}")
            } else {
                format!("{lhs} REGEXP '(?i)' || {p}")
            })
        }
        "range" => {
            let bounds = sequence(value).filter(|b| b.len() == 2).ok_or_else(|| {
                Error::value_error("The range lookup needs a pair of values: (low, high)")
            })?;
            let low = bind(params, prep(kind, field, &bounds[0])?);
            let high = bind(params, prep(kind, field, &bounds[1])?);
            Ok(format!("{lhs} BETWEEN {low} AND {high}"))
        }
        "in" => {
            let items = sequence(value).ok_or_else(|| {
                Error::type_error(format!("'{}' object is not iterable", value.type_name()))
            })?;
            let items: Vec<&Value> = items.iter().filter(|v| !matches!(v, Value::None)).collect();
            if items.is_empty() {
                // Django answers an empty `in` without asking the database.
                return Ok("0 = 1".into());
            }
            let values = items
                .iter()
                .map(|item| prep(kind, field, item))
                .collect::<Result<Vec<_>>>()?;
            if values.len() > LARGE_IN
                && let Some(array) = json_array(&values)
            {
                let p = bind(params, Sql::Text(array));
                return Ok(format!("{lhs} IN (SELECT value FROM json_each({p}))"));
            }
            let marks: Vec<String> = values.into_iter().map(|v| bind(params, v)).collect();
            Ok(format!("{lhs} IN ({})", marks.join(", ")))
        }
        other => Err(unsupported(other, kind)),
    }
}

/// Past this many values an `in` list is bound as one JSON array: SQLite
/// takes at most 32,766 parameters a statement, and one parameter parses
/// faster than thousands.
const LARGE_IN: usize = 1000;

/// The values as a JSON array for `json_each`, when JSON can hold each of
/// them exactly (no BLOB, no infinite float).
fn json_array(values: &[Sql]) -> Option<String> {
    let items = values
        .iter()
        .map(|v| match v {
            Sql::Integer(i) => Some(serde_json::Value::from(*i)),
            Sql::Real(f) => serde_json::Number::from_f64(*f).map(serde_json::Value::Number),
            Sql::Text(t) => Some(serde_json::Value::from(t.as_str())),
            Sql::Null | Sql::Blob(_) => None,
        })
        .collect::<Option<Vec<_>>>()?;
    Some(serde_json::Value::Array(items).to_string())
}

/// Binds `value` and returns its numbered marker (`?3`). Numbered markers
/// let one fragment (an annotation) stand in several clauses and keep its
/// values, whatever order the clauses were compiled in.
pub(super) fn bind(params: &mut Vec<Sql>, value: Sql) -> String {
    params.push(value);
    format!("?{}", params.len())
}

/// Shifts the numbered markers of `sql` by `offset`, for a subquery whose
/// parameters are appended to an enclosing query's.
pub(super) fn renumber(sql: &str, offset: usize) -> String {
    if offset == 0 {
        return sql.to_string();
    }
    rewrite_markers(sql, |n| match n {
        Some(n) => format!("?{}", n + offset),
        None => "?".to_string(),
    })
}

/// `sql` with each parameter marker (`?3`, or a bare `?`) replaced by
/// `f(its number)`. Quoted names and string literals are left alone.
pub fn rewrite_markers(sql: &str, mut f: impl FnMut(Option<usize>) -> String) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '?') => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                out.push_str(&f(digits.parse().ok()));
                continue;
            }
            _ => {}
        }
        out.push(c);
    }
    out
}

pub(super) fn unsupported(lookup: &str, kind: FieldKind) -> Error {
    let mut message = format!(
        "Unsupported lookup '{lookup}' for {} or join on the field not permitted",
        kind.class_name()
    );
    let near = crate::suggest::close_matches(lookup, LOOKUPS.iter().copied());
    if near.is_empty() {
        message.push('.');
    } else {
        message.push_str(&format!(", perhaps you meant {}?", near.join(" or ")));
    }
    Error::new("FieldError", message)
}

fn sequence(value: &Value) -> Option<Vec<Value>> {
    match value {
        Value::List(l) => Some(l.borrow().clone()),
        Value::Tuple(t) => Some(t.to_vec()),
        Value::Set(s) => Some(s.borrow().ordered()),
        Value::Range { .. } => Some(crate::engine::value::range_values(value)),
        // Django iterates whatever it is given: a string, by character.
        Value::Str(s) => Some(s.chars().map(|c| Value::str(c.to_string())).collect()),
        _ => None,
    }
}

fn text(value: &Value) -> String {
    crate::engine::repr::str(value)
}

/// Django's `prep_for_like_query`: backslash, `%` and `_` escaped.
fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// A Python value as the parameter Django binds for a field of `kind`.
pub(crate) fn prep(kind: FieldKind, field: &str, value: &Value) -> Result<Sql> {
    use FieldKind::*;
    if matches!(value, Value::None) {
        return Ok(Sql::Null);
    }
    if let Some(pk) = crate::engine::orm_pk(value) {
        return prep(kind, field, &pk);
    }
    Ok(match kind {
        DurationField => match value {
            Value::TimeDelta(d) => Sql::Integer(i64::try_from(d.total_micros()).map_err(|_| {
                Error::new(
                    "OverflowError",
                    "Python int too large to convert to SQLite INTEGER",
                )
            })?),
            other => Sql::Integer(as_int(field, other)?),
        },
        k if k.is_integer() => Sql::Integer(as_int(field, value)?),
        FloatField => match value {
            Value::Int(i) => Sql::Real(*i as f64),
            Value::Float(f) => Sql::Real(*f),
            Value::Bool(b) => Sql::Real(*b as i64 as f64),
            Value::Decimal(d) => Sql::Real(d.to_f64()),
            Value::BigInt(b) => Sql::Real(crate::engine::bigint::to_f64(b)?),
            Value::Str(s) => Sql::Real(
                s.trim()
                    .parse()
                    .map_err(|_| expected(field, "a number", value))?,
            ),
            other => return Err(expected(field, "a number", other)),
        },
        DecimalField => match value {
            // Django refuses what is not a finite number (`to_python`).
            Value::Decimal(d) if !d.is_finite() => return Err(not_decimal(&d.to_sci_string())),
            Value::Float(f) if !f.is_finite() => {
                return Err(not_decimal(&crate::engine::repr::float_repr(*f)));
            }
            Value::Decimal(d) => Sql::Text(d.to_sci_string()),
            Value::Int(i) => Sql::Text(i.to_string()),
            Value::BigInt(b) => Sql::Text(b.to_string()),
            Value::Float(f) => Sql::Text(crate::engine::repr::float_repr(*f)),
            Value::Str(s) => match crate::python_decimal::Decimal::parse(s) {
                Ok(d) if d.is_finite() => Sql::Text(d.to_sci_string()),
                _ => return Err(not_decimal(s)),
            },
            other => return Err(expected(field, "a decimal number", other)),
        },
        BooleanField => match value {
            Value::Bool(b) => Sql::Integer(*b as i64),
            Value::Int(i @ (0 | 1)) => Sql::Integer(*i),
            Value::Str(s) if matches!(&**s, "t" | "True" | "1") => Sql::Integer(1),
            Value::Str(s) if matches!(&**s, "f" | "False" | "0") => Sql::Integer(0),
            other => {
                return Err(Error::new(
                    "ValidationError",
                    format!("['“{}” value must be either True or False.']", text(other)),
                ));
            }
        },
        DateField => match value {
            Value::Date(d) => Sql::Text(d.format("%Y-%m-%d").to_string()),
            Value::DateTime(dt, _) => Sql::Text(dt.date().format("%Y-%m-%d").to_string()),
            Value::Str(s) => Sql::Text(parse_date(s)?.format("%Y-%m-%d").to_string()),
            other => return Err(expected(field, "a date", other)),
        },
        DateTimeField => match value {
            Value::DateTime(..) | Value::Date(_) => {
                Sql::Text(datetime_param(field, &as_datetime(value))?)
            }
            Value::Str(s) => Sql::Text(datetime_param(field, &parse_datetime_text(s)?)?),
            other => return Err(expected(field, "a datetime", other)),
        },
        UUIDField => match value {
            Value::Uuid(u) => Sql::Text(crate::engine::stdlib::uuid::hex(*u)),
            Value::Str(s) => match crate::engine::stdlib::uuid::parse(s) {
                Some(u) => Sql::Text(crate::engine::stdlib::uuid::hex(u)),
                None => {
                    return Err(Error::new(
                        "ValidationError",
                        format!("['“{s}” is not a valid UUID.']"),
                    ));
                }
            },
            Value::Int(i) if *i >= 0 => Sql::Text(crate::engine::stdlib::uuid::hex(*i as u128)),
            other => {
                return Err(Error::new(
                    "ValidationError",
                    format!("['“{}” is not a valid UUID.']", text(other)),
                ));
            }
        },
        _ => match value {
            Value::Bool(b) => Sql::Text(if *b { "True".into() } else { "False".into() }),
            other => Sql::Text(text(other)),
        },
    })
}

fn as_datetime(v: &Value) -> Value {
    match v {
        Value::Date(d) => Value::DateTime(d.and_hms_opt(0, 0, 0).unwrap_or_default(), None),
        other => other.clone(),
    }
}

/// Django's `IntegerFieldFloatRounding`: `gte` and `lt` take the ceiling
/// of a float (`points__gte=1.5` is `points >= 2`); other lookups truncate.
fn integer_rhs(lookup: &str, value: &Value) -> Result<Value> {
    match value {
        Value::Float(f) if matches!(lookup, "gte" | "lt") && f.is_finite() => {
            crate::engine::bigint::float_to_int(f.ceil())
        }
        other => Ok(other.clone()),
    }
}

/// Django's `IntegerFieldOverflow`: an int past the column's range (64 bits
/// on SQLite) matches nothing (`points=2**70`) or everything
/// (`points__lt=2**70`) without asking the database.
fn outside_integer_range(lookup: &str, value: &Value) -> Option<&'static str> {
    let Value::BigInt(b) = value else {
        return None;
    };
    let below = crate::engine::bigint::is_negative(b);
    let everything = match lookup {
        "gt" | "gte" => below,
        "lt" | "lte" => !below,
        _ => false,
    };
    Some(if everything { "1 = 1" } else { "0 = 1" })
}

/// DecimalField's ValidationError for a value that is no finite number.
fn not_decimal(text: &str) -> Error {
    Error::new(
        "ValidationError",
        format!("['“{text}” value must be a decimal number.']"),
    )
}

/// What SQLite says of an int past 64 bits.
fn too_large() -> Error {
    Error::new(
        "OverflowError",
        "Python int too large to convert to SQLite INTEGER",
    )
}

fn as_int(field: &str, value: &Value) -> Result<i64> {
    match value {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(*b as i64),
        Value::BigInt(_) => Err(too_large()),
        Value::Float(f) if !f.is_finite() => Err(expected(field, "a number", value)),
        Value::Float(f) if f.abs() >= 9.223_372_036_854_776e18 => Err(too_large()),
        Value::Float(f) => Ok(f.trunc() as i64),
        Value::Decimal(d) => match d.trunc() {
            None => Err(expected(field, "a number", value)),
            Some((negative, m)) => i64::try_from(m)
                .map(|m| if negative { -m } else { m })
                .map_err(|_| too_large()),
        },
        Value::Str(s) => s
            .trim()
            .parse()
            .map_err(|_| expected(field, "a number", value)),
        other => Err(expected(field, "a number", other)),
    }
}

/// A datetime as Django's SQLite backend stores it: UTC and naive with
/// `USE_TZ`, where a naive value gets Django's warning and is read in the
/// default time zone; an aware value without `USE_TZ` is Django's error.
fn datetime_param(field: &str, v: &Value) -> Result<String> {
    let Value::DateTime(dt, tz) = v else {
        return Ok(text(v));
    };
    let settings = crate::settings::time();
    let utc = match (tz, settings.use_tz) {
        (Some(_), false) => {
            return Err(Error::value_error(
                "SQLite backend does not support timezone-aware datetimes when USE_TZ is False.",
            ));
        }
        (None, false) => *dt,
        (Some(tz), true) => {
            in_range(dt.checked_sub_signed(chrono::TimeDelta::seconds(tz.utcoffset(*dt))))?
        }
        (None, true) => {
            crate::settings::warn(
                "RuntimeWarning",
                &format!(
                    "DateTimeField {field} received a naive datetime ({}) while time zone support is active.",
                    text(v)
                ),
            );
            // Django makes it aware in the default time zone.
            let zone = crate::engine::stdlib::datetime::Tz::zone(&settings.time_zone).ok_or_else(
                || {
                    Error::value_error(format!(
                        "Incorrect timezone setting: {}",
                        settings.time_zone
                    ))
                },
            )?;
            in_range(dt.checked_sub_signed(chrono::TimeDelta::seconds(zone.utcoffset(*dt))))?
        }
    };
    Ok(text(&Value::DateTime(utc, None)))
}

fn in_range(dt: Option<chrono::NaiveDateTime>) -> Result<chrono::NaiveDateTime> {
    dt.filter(|u| (1..=9999).contains(&chrono::Datelike::year(u)))
        .ok_or_else(|| Error::new("OverflowError", "date value out of range"))
}

/// Django's "Field 'x' expected a number but got 'abc'."
fn expected(field: &str, what: &str, got: &Value) -> Error {
    let shown = match got {
        Value::Str(_) => crate::engine::repr::repr(got),
        other => text(other),
    };
    let kind = if what == "a number" {
        "ValueError"
    } else {
        "TypeError"
    };
    Error::new(
        kind,
        format!("Field '{field}' expected {what} but got {shown}."),
    )
}

pub(crate) fn parse_date(s: &str) -> Result<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        if s.len() == 10 && s.chars().filter(|c| *c == '-').count() == 2 {
            Error::new(
                "ValidationError",
                format!(
                    "['“{s}” value has the correct format (YYYY-MM-DD) but it is an invalid date.']"
                ),
            )
        } else {
            Error::new(
                "ValidationError",
                format!(
                    "['“{s}” value has an invalid date format. It must be in YYYY-MM-DD format.']"
                ),
            )
        }
    })
}

/// Django's `parse_datetime` of a DateTimeField's text: an offset
/// (`+02:00`, `Z`) makes it aware.
fn parse_datetime_text(s: &str) -> Result<Value> {
    match parse_datetime(s) {
        Ok(dt) => Ok(Value::DateTime(dt, None)),
        Err(e) => {
            let args = crate::engine::Args::positional(vec![Value::str(s.trim())]);
            crate::engine::stdlib::datetime::fromisoformat("datetime", args).map_err(|_| e)
        }
    }
}

pub(crate) fn parse_datetime(s: &str) -> Result<chrono::NaiveDateTime> {
    let s = s.trim().replacen('T', " ", 1);
    for f in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(dt) = chrono::NaiveDateTime::parse_from_str(&s, f) {
            return Ok(dt);
        }
    }
    parse_date(&s).map(|d| d.and_hms_opt(0, 0, 0).unwrap_or_default()).map_err(|_| {
        Error::new(
            "ValidationError",
            format!("['“{s}” value has an invalid format. It must be in YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ] format.']"),
        )
    })
}
