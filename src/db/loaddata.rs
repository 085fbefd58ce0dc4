//! Django fixtures (`manage.py loaddata` JSON) into the database: one row
//! per object, ManyToMany lists into their through tables, missing fields
//! given Django's defaults. Every value is a bound parameter; it all happens
//! in one transaction.

use super::Database;
use crate::error::{Error, Result};
use crate::query::compile::write::insert_row;
use crate::schema::{Field, FieldKind, Literal, Registry};
use rusqlite::types::Value as Sql;
use serde_json::Value as Json;

/// Loads a fixture; returns the number of objects.
pub fn loaddata(db: &Database, registry: &Registry, text: &str) -> Result<usize> {
    let objects: Vec<Json> = serde_json::from_str(text)
        .map_err(|e| Error::new("DeserializationError", e.to_string()))?;
    let sp = db.savepoint()?;
    let loaded = objects
        .iter()
        .try_for_each(|obj| load_object(db, registry, obj));
    match loaded {
        Ok(()) => db.release(sp)?,
        Err(e) => {
            db.rollback(sp);
            return Err(e);
        }
    }
    Ok(objects.len())
}

fn load_object(db: &Database, registry: &Registry, obj: &Json) -> Result<()> {
    let label = obj["model"]
        .as_str()
        .ok_or_else(|| bad("an object has no \"model\""))?;
    let id = registry
        .find(label)
        .ok_or_else(|| bad(&format!("Invalid model identifier: '{label}'")))?;
    let model = registry.model(id);
    let fields = obj["fields"]
        .as_object()
        .ok_or_else(|| bad(&format!("{label}: no \"fields\"")))?;
    let mut columns = Vec::new();
    let mut values = Vec::new();
    if let Some(pk) = obj.get("pk").filter(|pk| !pk.is_null()) {
        columns.push(model.pk().column.clone());
        values.push(to_sql(model.pk(), pk));
    }
    for f in model.fields.iter().filter(|f| !f.primary_key) {
        columns.push(f.column.clone());
        values.push(match fields.get(&f.name) {
            Some(v) => to_sql(f, v),
            None => default_value(f),
        });
    }
    for name in fields.keys() {
        if model.field(name).is_none() && fields[name].as_array().is_none_or(|a| !a.is_empty()) {
            return Err(Error::new(
                "FieldDoesNotExist",
                format!("{} has no field named '{name}'", model.name),
            ));
        }
    }
    let pk = db.insert(&insert_row(&model.db_table, &columns, values))?;
    for f in &model.many_to_many {
        if let Some(Json::Array(targets)) = fields.get(&f.name) {
            add_m2m_rows(db, registry, f, pk, targets)?;
        }
    }
    Ok(())
}

fn add_m2m_rows(
    db: &Database,
    registry: &Registry,
    f: &Field,
    pk: i64,
    targets: &[Json],
) -> Result<()> {
    let rel = f
        .relation
        .as_ref()
        .expect("a ManyToManyField has a relation");
    let (Some(through), Some((from, to))) = (rel.through, rel.through_fields.as_ref()) else {
        return Ok(());
    };
    let through = registry.model(through);
    let column = |name: &str| {
        through
            .field(name)
            .map(|x| x.column.clone())
            .unwrap_or_default()
    };
    let columns = [column(from), column(to)];
    for t in targets {
        let params = vec![Sql::Integer(pk), json_scalar(t)];
        db.insert(&insert_row(&through.db_table, &columns, params))?;
    }
    Ok(())
}

/// A fixture value as Django's SQLite adapters store it.
fn to_sql(f: &Field, v: &Json) -> Sql {
    match (f.kind, v) {
        (_, Json::Null) => Sql::Null,
        (FieldKind::DateTimeField, Json::String(s)) => {
            Sql::Text(s.replacen('T', " ", 1).trim_end_matches('Z').to_string())
        }
        (FieldKind::JSONField, other) => Sql::Text(other.to_string()),
        (_, other) => json_scalar(other),
    }
}

fn json_scalar(v: &Json) -> Sql {
    match v {
        Json::Null => Sql::Null,
        Json::Bool(b) => Sql::Integer(*b as i64),
        Json::Number(n) => n
            .as_i64()
            .map(Sql::Integer)
            .unwrap_or_else(|| Sql::Real(n.as_f64().unwrap_or(0.0))),
        Json::String(s) => Sql::Text(s.clone()),
        other => Sql::Text(other.to_string()),
    }
}

/// Django's `Field.get_default()` for a field the fixture leaves out.
fn default_value(f: &Field) -> Sql {
    match &f.default {
        Some(Literal::Int(i)) => Sql::Integer(*i),
        Some(Literal::Float(x)) => Sql::Real(*x),
        Some(Literal::Bool(b)) => Sql::Integer(*b as i64),
        Some(Literal::Str(s)) => Sql::Text(s.clone()),
        Some(Literal::Name(n)) if n == "dict" => Sql::Text("{}".into()),
        Some(Literal::Name(n)) if n == "list" => Sql::Text("[]".into()),
        _ if f.null => Sql::Null,
        // Fields that allow empty strings default to '' (CharField, TextField…).
        _ if f.kind.is_text() => Sql::Text(String::new()),
        _ => Sql::Null,
    }
}

fn bad(msg: &str) -> Error {
    Error::new("DeserializationError", msg.to_string())
}
