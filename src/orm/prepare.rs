//! A condition's value prepared for what it compares (Django's
//! `get_prep_lookup` and each field's `get_prep_value`): Python values to
//! the parameters a lookup binds, with Django's errors, when `filter()`
//! takes them, so the query holds SQL values only.

use crate::error::{Error, Result};
use crate::query::{Condition, ConditionTarget, Operand, QNode, QuerySet, Rhs, condition_target};
use crate::query::{in_range, parse_date, parse_datetime, unsupported};
use crate::schema::{FieldKind, ModelId, Registry};
use crate::value::Value;
use rusqlite::types::Value as Sql;

/// `key=value` as a condition of `qs`: the key resolved against it, the
/// value prepared (an expression resolved).
pub fn condition(reg: &Registry, qs: &QuerySet, key: String, value: &Value) -> Result<QNode> {
    // The key first, then the value, as Django's `build_filter` resolves them.
    let target = condition_target(reg, qs, &key)?;
    let operand = match value {
        Value::Expr(e) => {
            let expr = crate::orm::resolve::resolve(e, reg, qs)?;
            crate::query::compile::check_expression(reg, qs, &expr)?;
            Operand::Expr(expr)
        }
        _ => Operand::Rhs(prepare(reg, &target, value)?),
    };
    Ok(QNode::Leaf(Box::new(Condition {
        key,
        lhs: target.lhs,
        transforms: target.transforms,
        lookup: target.lookup,
        kind: target.kind,
        operand,
    })))
}

/// A condition on a model's own rows (`pk__in=[…]`, a relation's key).
pub fn model_condition(reg: &Registry, model: ModelId, key: &str, value: &Value) -> Result<QNode> {
    condition(reg, &QuerySet::new(model), key.to_string(), value)
}

/// The value of a condition on `target`, as its lookup binds it.
fn prepare(reg: &Registry, target: &ConditionTarget, value: &Value) -> Result<Rhs> {
    let (kind, field, lookup) = (
        target.kind,
        target.field_name.as_str(),
        target.lookup.as_str(),
    );
    if let Value::QuerySet(qs) = value {
        return subquery(lookup, kind, &qs.query);
    }
    if let Some(model) = target.related_model {
        check_instance(reg, model, value)?;
    }
    if lookup == "isnull" {
        return Ok(Rhs::IsNull(value.truthy()));
    }
    if matches!(value, Value::None) {
        return match lookup {
            "exact" | "iexact" => Ok(Rhs::Null),
            _ => Err(Error::value_error("Cannot use None as a query value")),
        };
    }
    let rounded;
    let value = if kind.is_integer() && matches!(lookup, "exact" | "gt" | "gte" | "lt" | "lte") {
        rounded = integer_rhs(lookup, value)?;
        if let Some(everything) = outside_integer_range(lookup, &rounded) {
            return Ok(Rhs::Always(everything));
        }
        &rounded
    } else {
        value
    };
    Ok(match lookup {
        "exact" | "gt" | "gte" | "lt" | "lte" => Rhs::Param(prep(kind, field, value)?),
        "iexact" | "contains" | "icontains" | "startswith" | "istartswith" | "endswith"
        | "iendswith" | "regex" | "iregex" => Rhs::Text(text(value)),
        "range" => {
            let bounds = sequence(value).filter(|b| b.len() == 2).ok_or_else(|| {
                Error::value_error("The range lookup needs a pair of values: (low, high)")
            })?;
            Rhs::Range(
                prep(kind, field, &bounds[0])?,
                prep(kind, field, &bounds[1])?,
            )
        }
        "in" => {
            let items = sequence(value).ok_or_else(|| {
                Error::type_error(format!("'{}' object is not iterable", value.type_name()))
            })?;
            let values = items
                .iter()
                .filter(|v| !matches!(v, Value::None))
                .map(|item| prep(kind, field, item))
                .collect::<Result<Vec<_>>>()?;
            Rhs::In(values)
        }
        other => return Err(unsupported(other, kind)),
    })
}

/// A queryset as a condition's value: the subquery of its one selected
/// column (its primary keys when it selects none).
fn subquery(lookup: &str, kind: FieldKind, qs: &QuerySet) -> Result<Rhs> {
    if lookup != "in" && lookup != "exact" {
        return Err(unsupported(lookup, kind));
    }
    let columns: Vec<String> = match &qs.values {
        Some(v) if v.fields.len() == 1 => v.fields.clone(),
        Some(v) if lookup == "in" => {
            return Err(Error::value_error(format!(
                "The QuerySet value for the 'in' lookup must have 1 selected fields (received {})",
                v.fields.len()
            )));
        }
        Some(_) => {
            return Err(Error::type_error(
                "Cannot use multi-field values as a filter value.",
            ));
        }
        None => vec!["pk".to_string()],
    };
    Ok(Rhs::Query {
        queryset: Box::new(qs.clone()),
        columns,
    })
}

/// Django refuses an instance of the wrong model for a relation:
/// `Cannot query "x": Must be "Y" instance.`
fn check_instance(reg: &Registry, expected: ModelId, value: &Value) -> Result<()> {
    let Some((model, shown)) = crate::orm::orm_instance_model(value) else {
        return Ok(());
    };
    if model != expected {
        return Err(Error::value_error(format!(
            "Cannot query \"{shown}\": Must be \"{}\" instance.",
            reg.model(expected).name
        )));
    }
    Ok(())
}

fn sequence(value: &Value) -> Option<Vec<Value>> {
    match value {
        Value::List(l) => Some(l.borrow().clone()),
        Value::Tuple(t) => Some(t.to_vec()),
        Value::Set(s) => Some(s.borrow().ordered()),
        Value::Range { .. } => Some(crate::value::range_values(value)),
        // Django iterates whatever it is given: a string, by character.
        Value::Str(s) => Some(s.chars().map(|c| Value::str(c.to_string())).collect()),
        _ => None,
    }
}

fn text(value: &Value) -> String {
    crate::value::repr::str(value)
}

/// A Python value as the parameter Django binds for a field of `kind`.
pub(crate) fn prep(kind: FieldKind, field: &str, value: &Value) -> Result<Sql> {
    use FieldKind::*;
    if matches!(value, Value::None) {
        return Ok(Sql::Null);
    }
    if let Some(pk) = crate::orm::orm_pk(value) {
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
            Value::BigInt(b) => Sql::Real(crate::value::bigint::to_f64(b)?),
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
                return Err(not_decimal(&crate::value::repr::float_repr(*f)));
            }
            Value::Decimal(d) => Sql::Text(d.to_sci_string()),
            Value::Int(i) => Sql::Text(i.to_string()),
            Value::BigInt(b) => Sql::Text(b.to_string()),
            Value::Float(f) => Sql::Text(crate::value::repr::float_repr(*f)),
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
        TimeField => match value {
            Value::Time(t) => Sql::Text(crate::value::repr::str(&Value::Time(*t))),
            Value::DateTime(dt, _) => Sql::Text(crate::value::repr::str(&Value::Time(dt.time()))),
            Value::Str(s) => Sql::Text(crate::value::repr::str(&parse_time_text(s)?)),
            // Django's parse_time hands anything else to fromisoformat.
            _ => return Err(Error::type_error("fromisoformat: argument must be str")),
        },
        UUIDField => uuid_param(value)?,
        _ => match value {
            Value::Bool(b) => Sql::Text(if *b { "True".into() } else { "False".into() }),
            other => Sql::Text(text(other)),
        },
    })
}

/// A UUIDField's parameter: 32 hex digits, as Django keeps a UUID on SQLite.
fn uuid_param(value: &Value) -> Result<Sql> {
    Ok(match value {
        Value::Uuid(u) => Sql::Text(crate::value::uuid::hex(*u)),
        Value::Str(s) => match crate::value::uuid::parse(s) {
            Some(u) => Sql::Text(crate::value::uuid::hex(u)),
            None => {
                return Err(Error::new(
                    "ValidationError",
                    format!("['“{s}” is not a valid UUID.']"),
                ));
            }
        },
        Value::Int(i) if *i >= 0 => Sql::Text(crate::value::uuid::hex(*i as u128)),
        other => {
            return Err(Error::new(
                "ValidationError",
                format!("['“{}” is not a valid UUID.']", text(other)),
            ));
        }
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
            crate::value::bigint::float_to_int(f.ceil())
        }
        other => Ok(other.clone()),
    }
}

/// Django's `IntegerFieldOverflow`: an int past the column's range (64 bits
/// on SQLite) matches nothing (`points=2**70`) or everything
/// (`points__lt=2**70`) without asking the database.
fn outside_integer_range(lookup: &str, value: &Value) -> Option<bool> {
    let Value::BigInt(b) = value else {
        return None;
    };
    let below = crate::value::bigint::is_negative(b);
    let everything = match lookup {
        "gt" | "gte" => below,
        "lt" | "lte" => !below,
        _ => false,
    };
    Some(everything)
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
            let zone = crate::value::datetime::Tz::zone(&settings.time_zone).ok_or_else(|| {
                Error::value_error(format!(
                    "Incorrect timezone setting: {}",
                    settings.time_zone
                ))
            })?;
            in_range(dt.checked_sub_signed(chrono::TimeDelta::seconds(zone.utcoffset(*dt))))?
        }
    };
    Ok(text(&Value::DateTime(utc, None)))
}

/// Django's "Field 'x' expected a number but got 'abc'."
fn expected(field: &str, what: &str, got: &Value) -> Error {
    let shown = match got {
        Value::Str(_) => crate::value::repr::repr(got),
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

/// Django's `parse_datetime` of a DateTimeField's text: Python's
/// `datetime.fromisoformat` first, then Django's pattern (which also reads
/// a zone after spaces); an offset or `Z` makes it aware. A date alone is
/// its midnight.
fn parse_datetime_text(s: &str) -> Result<Value> {
    let args = crate::value::Args::positional(vec![Value::str(s)]);
    if let Ok(v) = crate::value::datetime::fromisoformat("datetime", args) {
        return Ok(v);
    }
    let zoned = super::db_values::zoned_datetime(s).map_err(|_| {
        Error::new(
            "ValidationError",
            format!("['“{s}” value has the correct format (YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ]) but it is an invalid date/time.']"),
        )
    })?;
    if let Some((dt, zone)) = zoned {
        let tz = zone.map(|secs| match secs {
            0 => crate::value::datetime::Tz::Utc,
            secs => crate::value::datetime::Tz::Fixed(secs),
        });
        return Ok(Value::DateTime(dt, tz));
    }
    // Django's patterns are anchored: no space around the text.
    if s.trim() != s {
        return Err(Error::new(
            "ValidationError",
            format!(
                "['“{s}” value has an invalid format. It must be in YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ] format.']"
            ),
        ));
    }
    let dt = parse_datetime(s)?;
    Ok(Value::DateTime(dt, None))
}

/// `TimeField.to_python` of a text: `time.fromisoformat` (its zone
/// dropped, as Django's `parse_time` drops it), then Django's pattern,
/// with its ValidationErrors.
fn parse_time_text(s: &str) -> Result<Value> {
    if let Some((t, _)) = crate::value::datetime::parse_iso_time(s) {
        return Ok(Value::Time(t));
    }
    match super::db_values::parse_time(s) {
        Ok(Some(t)) => Ok(Value::Time(t)),
        Ok(None) => Err(Error::new(
            "ValidationError",
            format!(
                "['“{s}” value has an invalid format. It must be in HH:MM[:ss[.uuuuuu]] format.']"
            ),
        )),
        Err(_) => Err(Error::new(
            "ValidationError",
            format!(
                "['“{s}” value has the correct format (HH:MM[:ss[.uuuuuu]]) but it is an invalid time.']"
            ),
        )),
    }
}
