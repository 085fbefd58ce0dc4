//! Django's field conversion, in one place: a Python value to the
//! parameter a field binds (`get_db_prep_save`) and a column's value back
//! to the Python value its field gives (`from_db_value` and the SQLite
//! backend's converters).

use crate::error::Result;
use crate::orm::db_values::{self, Converted, fail, settle};
use crate::schema::{Field, FieldKind, Registry};
use crate::value::Args;
use crate::value::Value;
use rusqlite::types::Value as Sql;

/// A field's value as the parameter Django's `get_db_prep_save` binds; a
/// ForeignKey binds its target field's.
pub(super) fn to_db(reg: &Registry, f: &Field, v: &Value) -> Result<Sql> {
    let kind = match &f.relation {
        Some(rel) if f.kind.is_foreign_key() => {
            let t = reg.model(rel.target);
            t.field(&rel.to_field).unwrap_or_else(|| t.pk()).kind
        }
        _ => f.kind,
    };
    if kind == FieldKind::JSONField {
        return json_dumps(v);
    }
    crate::orm::prepare::prep(kind, &f.name, v)
}

/// A JSONField's value as Django stores it: `json.dumps(value)` with
/// Python's separators and ASCII escapes (`{"x": 1, "y": "\u00e9"}`), its
/// TypeError for what JSON cannot hold; None is SQL NULL, as Django saves
/// it (JSON's `null` needs `Value(None, JSONField())`).
fn json_dumps(v: &Value) -> Result<Sql> {
    if matches!(v, Value::None) {
        return Ok(Sql::Null);
    }
    let text = crate::value::json::json_dumps(Args::positional(vec![v.clone()]))?;
    Ok(Sql::Text(crate::value::repr::str(&text)))
}

/// A JSONField's column as `json.loads` reads it; text that is not JSON
/// stays text, as Django's `from_db_value` leaves it.
fn json_loads(text: String) -> Value {
    let args = Args::positional(vec![Value::str(text.as_str())]);
    crate::value::json::json_loads(args).unwrap_or_else(|_| Value::str(text))
}

pub(super) fn from_db(reg: &Registry, f: &Field, v: Sql) -> Result<Value> {
    let (kind, places, digits) = match &f.relation {
        Some(rel) if f.kind.is_foreign_key() => {
            let t = reg.model(rel.target);
            let target = t.field(&rel.to_field).unwrap_or_else(|| t.pk());
            (target.kind, target.decimal_places, target.max_digits)
        }
        _ => (f.kind, f.decimal_places, f.max_digits),
    };
    settle(column(kind, places, digits, v))
}

/// A column's value as Django's converters for its field give it.
pub(super) fn column(
    kind: FieldKind,
    places: Option<u32>,
    digits: Option<u32>,
    v: Sql,
) -> Converted {
    use FieldKind::*;
    let date_error = |e: crate::error::Error, text: String| fail(e, Sql::Text(text));
    Ok(match (kind, v) {
        (_, Sql::Null) => Value::None,
        (BooleanField, v) => db_values::boolean_column(&v),
        // Django keeps a UUID as its 32 hex digits on SQLite.
        (UUIDField, Sql::Text(s)) => match crate::value::uuid::parse(&s) {
            Some(u) => Value::Uuid(u),
            None => {
                return fail(
                    crate::error::Error::value_error("badly formed hexadecimal UUID string"),
                    Sql::Text(s),
                );
            }
        },
        // Django keeps a duration as its microseconds on SQLite.
        (DurationField, Sql::Integer(us)) => {
            match crate::value::datetime::TimeDelta::from_micros(us as i128) {
                Ok(d) => Value::TimeDelta(d),
                Err(e) => return fail(e, Sql::Integer(us)),
            }
        }
        (FloatField, Sql::Integer(i)) => Value::Float(i as f64),
        (FloatField, Sql::Real(r)) => Value::Float(r),
        (DecimalField, v) => return db_values::decimal_column(v, places, digits),
        (DateField, Sql::Text(s)) => match db_values::parse_date(&s) {
            Ok(d) => d.map_or(Value::None, Value::Date),
            Err(e) => return date_error(e, s),
        },
        (DateTimeField, Sql::Text(s)) => match db_values::parse_datetime(&s) {
            Ok(d) => d.map_or(Value::None, |d| {
                let tz = crate::settings::use_tz().then_some(crate::value::datetime::Tz::Utc);
                Value::DateTime(d, tz)
            }),
            Err(e) => return date_error(e, s),
        },
        (TimeField, Sql::Text(s)) => match db_values::parse_time(&s) {
            Ok(t) => t.map_or(Value::None, Value::Time),
            Err(e) => return date_error(e, s),
        },
        (JSONField, Sql::Text(s)) => json_loads(s),
        (k, Sql::Integer(i)) if k.is_text() => Value::str(i.to_string()),
        (_, other) => crate::orm::rows::plain(&other),
    })
}
