//! Lookups (`exact`, `icontains`, `in`, `range`…) and transforms (`year`,
//! `month`, `date`…) as Django's SQLite backend writes them, over values
//! already prepared for their field (`Rhs`).

use super::Rhs;
use crate::error::{Error, Result};
use crate::schema::FieldKind;
use rusqlite::types::Value as Sql;

pub(crate) const LOOKUPS: &[&str] = &[
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

/// `WHERE` text for `lhs <lookup> rhs`, pushing bound parameters. A
/// subquery (`Rhs::Query`) is the caller's to compile.
pub(super) fn lookup_sql(
    lhs: &str,
    lookup: &str,
    kind: FieldKind,
    rhs: &Rhs,
    params: &mut Vec<Sql>,
) -> Result<String> {
    let like = |pattern: String, params: &mut Vec<Sql>| {
        let p = bind(params, Sql::Text(pattern));
        Ok(format!("{lhs} LIKE {p} ESCAPE '\\'"))
    };
    match rhs {
        Rhs::IsNull(true) | Rhs::Null => Ok(format!("{lhs} IS NULL")),
        Rhs::IsNull(false) => Ok(format!("{lhs} IS NOT NULL")),
        Rhs::Always(true) => Ok("1 = 1".into()),
        Rhs::Always(false) => Ok("0 = 1".into()),
        Rhs::Param(v) => {
            let p = bind(params, v.clone());
            let op = match lookup {
                "exact" => "=",
                "gt" => ">",
                "gte" => ">=",
                "lt" => "<",
                "lte" => "<=",
                other => return Err(unsupported(other, kind)),
            };
            Ok(format!("{lhs} {op} {p}"))
        }
        Rhs::Text(t) => match lookup {
            "iexact" => like(escape_like(t), params),
            "contains" | "icontains" => like(format!("%{}%", escape_like(t)), params),
            "startswith" | "istartswith" => like(format!("{}%", escape_like(t)), params),
            "endswith" | "iendswith" => like(format!("%{}", escape_like(t)), params),
            "regex" => Ok(format!(
                "{lhs} REGEXP {}",
                bind(params, Sql::Text(t.clone()))
            )),
            "iregex" => Ok(format!(
                "{lhs} REGEXP '(?i)' || {}",
                bind(params, Sql::Text(t.clone()))
            )),
            other => Err(unsupported(other, kind)),
        },
        Rhs::Range(low, high) => {
            let low = bind(params, low.clone());
            let high = bind(params, high.clone());
            Ok(format!("{lhs} BETWEEN {low} AND {high}"))
        }
        // Django answers an empty `in` without asking the database.
        Rhs::In(values) if values.is_empty() => Ok("0 = 1".into()),
        Rhs::In(values) => {
            if values.len() > LARGE_IN
                && let Some(array) = json_array(values)
            {
                let p = bind(params, Sql::Text(array));
                return Ok(format!("{lhs} IN (SELECT value FROM json_each({p}))"));
            }
            let marks: Vec<String> = values.iter().map(|v| bind(params, v.clone())).collect();
            Ok(format!("{lhs} IN ({})", marks.join(", ")))
        }
        Rhs::Query { .. } => Err(unsupported(lookup, kind)),
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

pub(crate) fn unsupported(lookup: &str, kind: FieldKind) -> Error {
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

/// Django's `prep_for_like_query`: backslash, `%` and `_` escaped.
fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

pub(crate) fn in_range(dt: Option<chrono::NaiveDateTime>) -> Result<chrono::NaiveDateTime> {
    dt.filter(|u| (1..=9999).contains(&chrono::Datelike::year(u)))
        .ok_or_else(|| Error::new("OverflowError", "date value out of range"))
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
