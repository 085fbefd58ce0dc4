//! Database values to Python values, as Django's SQLite converters make
//! them, and the shapes of `values()` / `values_list()` rows.

use crate::error::Result;
use crate::orm::db_values::{self, Converted, settle};
use crate::query::Shape;
use crate::schema::{Field, FieldKind, ModelId, Registry};
use crate::value::{Dict, Value};
use rusqlite::types::Value as Sql;

/// A computed column (an annotation or aggregate) as Django's converter for
/// its output type gives it: `int()` for integers, `float()` for floats, a
/// decimal from the number SQLite computed.
pub(super) fn from_output(out: &crate::query::compile::annotate::Output, v: Sql) -> Result<Value> {
    use FieldKind::*;
    settle(match (out.kind, out.places, v) {
        (_, _, Sql::Null) => Ok(Value::None),
        // `expressions.py` converts the types whose name ends in
        // IntegerField; an AutoField's values pass as stored.
        (k, _, v) if k.is_integer() && !k.is_auto() => db_values::python_int(v),
        (FloatField, _, v) => db_values::python_float(v),
        (DecimalField, None, v) => computed_decimal(v),
        // The backend's converter: 0 and 1 are booleans, anything else as stored.
        (BooleanField, _, Sql::Integer(i @ (0 | 1))) => Ok(Value::Bool(i == 1)),
        (BooleanField, _, v) => Ok(plain(&v)),
        // Django's TruncBase: the wall time made aware in the current zone.
        (DateTimeField, _, v) if out.local && crate::settings::use_tz() => {
            match crate::orm::convert::column(DateTimeField, None, None, v) {
                Ok(Value::DateTime(dt, Some(_))) => {
                    let zone = crate::value::datetime::local_zone();
                    Ok(Value::DateTime(dt, Some(zone)))
                }
                other => other,
            }
        }
        (kind, places, v) => crate::orm::convert::column(kind, places, None, v),
    })
}

/// Django's SQLite converter for a decimal that is not a plain column:
/// `Context(prec=15).create_decimal_from_float`, exact when the float has
/// at most 15 significant digits, else rounded to 15 (trailing zeros kept).
fn computed_decimal(v: Sql) -> Converted {
    match &v {
        // Django casts a decimal aggregate AS NUMERIC: text counts by its
        // numeric prefix.
        Sql::Text(s) => Ok(Value::decimal(db_values::numeric_prefix(s))),
        _ => match db_values::fifteen_digits(&v) {
            Ok(d) => Ok(Value::decimal(d)),
            Err(e) => db_values::fail(e, v),
        },
    }
}

/// A database value with no field to say what it is.
pub(super) fn plain(v: &Sql) -> Value {
    match v {
        Sql::Null => Value::None,
        Sql::Integer(i) => Value::Int(*i),
        Sql::Real(r) => Value::Float(*r),
        Sql::Text(t) => Value::str(t.as_str()),
        Sql::Blob(b) => Value::Bytes(b.as_slice().into()),
    }
}

/// The field a values() path ends at, for converting its column: the
/// path resolver's field, with the kind its transforms give.
pub(super) fn path_field(reg: &Registry, model: ModelId, path: &str) -> Option<Field> {
    let parts: Vec<String> = path.split("__").map(String::from).collect();
    let path = crate::query::resolve::resolve_path(reg, model, &parts, &[]).ok()?;
    path.transformed_field(reg)
}

pub(super) fn shape_row(fields: &[String], vals: Vec<Value>, shape: Shape) -> Value {
    match shape {
        Shape::Dicts => {
            let mut d = Dict::default();
            for (k, v) in fields.iter().zip(vals) {
                let _ = d.insert(Value::str(k.as_str()), v);
            }
            Value::dict(d)
        }
        Shape::Flat => vals.into_iter().next().unwrap_or(Value::None),
        Shape::Tuples => Value::tuple(vals),
        Shape::Named => Value::NamedRow(std::rc::Rc::new((fields.to_vec(), vals, "Row"))),
    }
}
