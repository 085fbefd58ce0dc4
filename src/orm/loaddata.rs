//! Django fixtures (`manage.py loaddata` JSON) into a database just made:
//! the document read as Python's `json` reads it, each field's value
//! through the field converter (`to_db`, which is `to_python` then
//! `get_db_prep_save`), ManyToMany lists into their through tables in
//! Django's order, missing fields given their literal defaults. It all
//! happens in one savepoint. Each object is an INSERT: where Django's raw
//! save would update a row already there, this fails.

use super::convert::to_db;
use crate::db::Database;
use crate::error::{Error, Result};
use crate::query::compile::write::insert_row;
use crate::schema::{Field, FieldKind, Literal, Model, Registry};
use crate::value::{Args, Dict, Value};
use rusqlite::types::Value as Sql;

/// Loads a fixture; returns the number of objects.
pub fn loaddata(db: &Database, registry: &Registry, text: &str) -> Result<usize> {
    let document = crate::value::json::json_loads(Args::positional(vec![Value::str(text)]))
        .map_err(|e| bad(&e.message))?;
    let Value::List(objects) = document else {
        return Err(bad("a fixture is a list of objects"));
    };
    let objects = objects.borrow().clone();
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

fn load_object(db: &Database, registry: &Registry, obj: &Value) -> Result<()> {
    let Value::Dict(obj) = obj else {
        return Err(bad("an object is not a JSON object"));
    };
    let obj = obj.borrow();
    let label = match member(&obj, "model") {
        Some(Value::Str(s)) => s,
        _ => return Err(bad("an object has no \"model\"")),
    };
    let id = registry
        .find(&label)
        .ok_or_else(|| bad(&format!("Invalid model identifier: '{label}'")))?;
    let model = registry.model(id);
    let Some(Value::Dict(fields)) = member(&obj, "fields") else {
        return Err(bad(&format!("{label}: no \"fields\"")));
    };
    let fields = fields.borrow();
    no_unknown_fields(model, &fields)?;
    let mut columns = Vec::new();
    let mut values = Vec::new();
    let given_pk = match member(&obj, "pk").filter(|pk| !matches!(pk, Value::None)) {
        Some(pk) => Some(field_value(registry, model.pk(), &pk)?),
        None => None,
    };
    if let Some(pk) = &given_pk {
        columns.push(model.pk().column.clone());
        values.push(pk.clone());
    }
    for f in model.fields.iter().filter(|f| !f.primary_key) {
        columns.push(f.column.clone());
        values.push(match member(&fields, &f.name) {
            Some(v) => field_value(registry, f, &v)?,
            None => default_value(f),
        });
    }
    let rowid = db.insert(&insert_row(&model.db_table, &columns, values))?;
    let pk = given_pk.unwrap_or(Sql::Integer(rowid));
    for f in &model.many_to_many {
        if let Some(Value::List(targets)) = member(&fields, &f.name) {
            add_m2m_rows(db, registry, f, &pk, &targets.borrow())?;
        }
    }
    Ok(())
}

fn member(d: &Dict, name: &str) -> Option<Value> {
    d.get(&Value::str(name)).ok().flatten()
}

/// Django's deserializer refuses a field the model does not have (an
/// empty list is let through, as a reverse relation's may be).
fn no_unknown_fields(model: &Model, fields: &Dict) -> Result<()> {
    for (key, value) in fields.entries.values() {
        let name = crate::value::repr::str(key);
        let empty_list = matches!(value, Value::List(l) if l.borrow().is_empty());
        if model.field(&name).is_none() && !empty_list {
            return Err(Error::new(
                "FieldDoesNotExist",
                format!("{} has no field named '{name}'", model.name),
            ));
        }
    }
    Ok(())
}

/// A fixture's value as its field stores it. A duration is text in a
/// fixture (`P1DT02H00M00S`, Django's `duration_iso_string`), read as
/// `DurationField.to_python` reads it.
fn field_value(registry: &Registry, f: &Field, v: &Value) -> Result<Sql> {
    match (f.kind, v) {
        (FieldKind::DurationField, Value::Str(s)) => {
            let d = super::duration::parse_duration(s).ok_or_else(|| {
                Error::new(
                    "ValidationError",
                    format!(
                        "['“{s}” value has an invalid format. It must be in [DD] [[HH:]MM:]ss[.uuuuuu] format.']"
                    ),
                )
            })?;
            to_db(registry, f, &Value::TimeDelta(d))
        }
        _ => to_db(registry, f, v),
    }
}

fn add_m2m_rows(
    db: &Database,
    registry: &Registry,
    f: &Field,
    pk: &Sql,
    targets: &[Value],
) -> Result<()> {
    let Some(rel) = f.relation.as_ref() else {
        return Ok(());
    };
    let (Some(through), Some((from, to))) = (rel.through, rel.through_fields.as_ref()) else {
        return Ok(());
    };
    let through = registry.model(through);
    let (Some(from), Some(to)) = (through.field(from), through.field(to)) else {
        return Ok(());
    };
    let columns = [from.column.clone(), to.column.clone()];
    let mut keys: Vec<Sql> = Vec::new();
    for t in targets {
        let key = to_db(registry, to, t)?;
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    for i in set_order(&keys) {
        let params = vec![pk.clone(), keys[i].clone()];
        db.insert(&insert_row(&through.db_table, &columns, params))?;
    }
    Ok(())
}

/// The order Django's `add()` inserts target keys in: it gathers them in a
/// Python set and, for an auto-created through model (`can_fast_add`),
/// bulk-creates the rows in that set's order, so integers and UUIDs (which
/// hash as their integer) come in CPython's set order; other keys (text,
/// whose hash varies by process) keep the fixture's order.
fn set_order(keys: &[Sql]) -> Vec<usize> {
    const MODULUS: u128 = (1 << 61) - 1;
    let hashes: Option<Vec<i64>> = keys
        .iter()
        .map(|k| match k {
            Sql::Integer(i) => Some(*i),
            Sql::Text(t) => crate::value::uuid::parse(t).map(|u| (u % MODULUS) as i64),
            _ => None,
        })
        .collect();
    match hashes {
        Some(h) => crate::value::cpython_int_set_order(&h),
        None => (0..keys.len()).collect(),
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
