//! `--migrate`: create every missing table (and its indexes) with Django's
//! DDL. Existing tables are never dropped, rewritten or altered; a table whose
//! columns differ from its model is reported. Tables still to be made on
//! first use (`tables.rs`) are made now.

use super::Database;
use super::exec::sql_error;
use crate::error::Result;
use crate::schema::{Registry, ddl};
use rusqlite::Connection;

#[derive(Debug, Default)]
pub struct MigrateReport {
    pub created: Vec<String>,
    /// Tables that exist with other columns: (table, what differs).
    pub mismatched: Vec<(String, String)>,
    /// Tables ormsh cannot make as Django would (a constraint it cannot
    /// write): why, for each. The others are made.
    pub refused: Vec<String>,
}

pub fn migrate(db: &Database, registry: &Registry) -> Result<MigrateReport> {
    let sp = db.savepoint()?;
    match create_missing(db, registry) {
        Ok(report) => {
            db.release(sp)?;
            Ok(report)
        }
        Err(e) => {
            db.rollback(sp);
            Err(e)
        }
    }
}

fn create_missing(db: &Database, registry: &Registry) -> Result<MigrateReport> {
    let mut report = MigrateReport::default();
    for (id, model) in registry.models.iter().enumerate() {
        if !model.has_own_table() {
            continue;
        }
        if db.make_table(&model.db_table)? {
            report.created.push(model.db_table.clone());
            continue;
        }
        let existing = columns(db.connection(), &model.db_table)?;
        if existing.is_empty() {
            let statements = match ddl::create_statements(registry, id) {
                Ok(s) => s,
                Err(why) => {
                    report.refused.push(why);
                    continue;
                }
            };
            for statement in statements {
                db.connection().execute(&statement, []).map_err(sql_error)?;
            }
            report.created.push(model.db_table.clone());
            continue;
        }
        let wanted: Vec<&str> = model.fields.iter().map(|f| f.column.as_str()).collect();
        let missing: Vec<&str> = wanted
            .iter()
            .copied()
            .filter(|c| !existing.iter().any(|e| e == c))
            .collect();
        let extra: Vec<&str> = existing
            .iter()
            .map(String::as_str)
            .filter(|e| !wanted.contains(e))
            .collect();
        if !missing.is_empty() || !extra.is_empty() {
            let mut what = Vec::new();
            if !missing.is_empty() {
                what.push(format!("missing columns {}", missing.join(", ")));
            }
            if !extra.is_empty() {
                what.push(format!("columns not in the model {}", extra.join(", ")));
            }
            report
                .mismatched
                .push((model.db_table.clone(), what.join("; ")));
        }
    }
    Ok(report)
}

/// The column names of a table, empty when it does not exist.
pub fn columns(conn: &Connection, table: &str) -> Result<Vec<String>> {
    let mut stmt = conn
        .prepare("SELECT name FROM pragma_table_info(?1)")
        .map_err(sql_error)?;
    let rows = stmt
        .query_map([table], |r| r.get::<_, String>(0))
        .map_err(sql_error)?;
    rows.collect::<std::result::Result<Vec<_>, _>>()
        .map_err(sql_error)
}
