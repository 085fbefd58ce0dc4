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
            t.to_field(&rel.to_field).kind
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
            let target = t.to_field(&rel.to_field);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{ModelSource, load};
    use crate::settings::{TimeSettings, configure};
    use crate::value::datetime::{TimeDelta, Tz};

    const MODELS: &str = "
import uuid
from django.db import models

class Tag(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    name = models.CharField(max_length=20)

class Item(models.Model):
    name = models.CharField(max_length=20)
    data = models.JSONField(null=True)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, null=True)
    price = models.DecimalField(max_digits=6, decimal_places=2, null=True)
    done = models.BooleanField(default=False)
    length = models.DurationField(null=True)
    starts = models.DateTimeField(null=True)
    at = models.TimeField(null=True)
";

    fn registry() -> Registry {
        load(&[ModelSource {
            app_label: "shop".into(),
            path: None,
            text: MODELS.into(),
            default_auto_field: FieldKind::AutoField,
        }])
    }

    fn field(reg: &Registry, name: &str) -> Field {
        let item = reg.find("shop.item").unwrap();
        reg.model(item).field(name).unwrap().clone()
    }

    fn to(name: &str, v: Value) -> Sql {
        let reg = registry();
        to_db(&reg, &field(&reg, name), &v).unwrap()
    }

    fn from(name: &str, v: Sql) -> String {
        let reg = registry();
        crate::value::repr::repr(&from_db(&reg, &field(&reg, name), v).unwrap())
    }

    fn json(text: &str) -> Value {
        crate::value::json::json_loads(Args::positional(vec![Value::str(text)])).unwrap()
    }

    #[test]
    fn json_is_stored_as_python_json_dumps_writes_it() {
        // Python's separators and ASCII escapes, keys in their order (not
        // a compact or sorted serialiser's `{"a":1,...}`).
        assert_eq!(
            to("data", json(r#"{"b": 1, "a": ["é", 2.5]}"#)),
            Sql::Text(r#"{"b": 1, "a": ["\u00e9", 2.5]}"#.into())
        );
        // None is SQL NULL, not JSON's null.
        assert_eq!(to("data", Value::None), Sql::Null);
        // A string is a JSON document of its own.
        assert_eq!(to("data", Value::str("x")), Sql::Text("\"x\"".into()));
        // Read back: text that is no JSON stays text.
        assert_eq!(from("data", Sql::Text("[1, null]".into())), "[1, None]");
        assert_eq!(from("data", Sql::Text("not json".into())), "'not json'");
    }

    #[test]
    fn a_foreign_key_binds_as_its_target_field() {
        // A UUID primary key is kept as 32 hex digits on SQLite, so the
        // key given as text is bound that way, not as typed.
        assert_eq!(
            to("tag", Value::str("5b6e1c2a-1b2c-4d3e-8f90-123456789abc")),
            Sql::Text("5b6e1c2a1b2c4d3e8f90123456789abc".into())
        );
        assert_eq!(
            from("tag", Sql::Text("5b6e1c2a1b2c4d3e8f90123456789abc".into())),
            "UUID('5b6e1c2a-1b2c-4d3e-8f90-123456789abc')"
        );
    }

    #[test]
    fn columns_come_back_as_their_fields_give_them() {
        // A decimal column reads with the field's places (a REAL 9.5 is
        // Decimal('9.50'), not Decimal('9.5') or 9.5).
        assert_eq!(from("price", Sql::Real(9.5)), "Decimal('9.50')");
        assert_eq!(from("done", Sql::Integer(1)), "True");
        // A duration is its microseconds.
        assert_eq!(
            from("length", Sql::Integer(86_401_000_000)),
            "datetime.timedelta(days=1, seconds=1)"
        );
        assert_eq!(
            to(
                "length",
                Value::TimeDelta(TimeDelta::from_micros(1_500_000).unwrap())
            ),
            Sql::Integer(1_500_000)
        );
        assert_eq!(from("name", Sql::Null), "None");
    }

    #[test]
    fn datetimes_follow_use_tz() {
        configure(TimeSettings {
            use_tz: true,
            time_zone: "Europe/Paris".into(),
        });
        let wall = chrono::NaiveDate::from_ymd_opt(2024, 7, 1)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap();
        // An aware value is stored in UTC…
        assert_eq!(
            to("starts", Value::DateTime(wall, Some(Tz::Fixed(7200)))),
            Sql::Text("2024-07-01 10:00:00".into())
        );
        // …so is text with an offset, and a naive value is taken in
        // TIME_ZONE.
        assert_eq!(
            to("starts", Value::str("2024-07-01T12:00:00+02:00")),
            Sql::Text("2024-07-01 10:00:00".into())
        );
        assert_eq!(
            to("starts", Value::DateTime(wall, None)),
            Sql::Text("2024-07-01 10:00:00".into())
        );
        crate::settings::take_warnings();
        // It reads back aware, in UTC.
        assert_eq!(
            from("starts", Sql::Text("2024-07-01 10:00:00".into())),
            "datetime.datetime(2024, 7, 1, 10, 0, tzinfo=datetime.timezone.utc)"
        );
        configure(TimeSettings::default());
        let aware = to_db(
            &registry(),
            &field(&registry(), "starts"),
            &Value::DateTime(wall, Some(Tz::Utc)),
        );
        assert!(aware.unwrap_err().message.contains("USE_TZ is False"));
    }

    #[test]
    fn time_text_is_parsed_as_time_field_to_python_does() {
        assert_eq!(to("at", Value::str("10:00")), Sql::Text("10:00:00".into()));
        assert_eq!(
            to("at", Value::str("23:59:59.5")),
            Sql::Text("23:59:59.500000".into())
        );
        let reg = registry();
        let err = to_db(&reg, &field(&reg, "at"), &Value::str("25:00")).unwrap_err();
        assert_eq!(err.kind, "ValidationError");
    }
}
