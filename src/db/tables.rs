//! Tables made when a statement first needs them.
//!
//! SQLite re-reads its schema table after every CREATE, so making N tables
//! costs N²: 70,000 models took ten minutes (and 450 MB of empty tables)
//! before the first prompt. So a database that ormsh makes for a models.py,
//! in memory or a new file, gets each table when SQLite first reports it
//! missing while preparing a statement; the statement is then prepared
//! again. A new file is marked as ormsh's (its `application_id`), so that a
//! later session goes on making its tables on first use; in any other
//! database a missing table stays Django's "no such table". A table made
//! inside a savepoint that is rolled back goes back to waiting.

use super::Database;
use super::exec::sql_error;
use crate::error::{Error, Result};
use crate::schema::{Registry, ddl};
use rusqlite::CachedStatement;
use std::collections::{HashMap, HashSet};

/// `PRAGMA application_id` of a database ormsh made: "orms".
const ORMSH_APPLICATION_ID: i64 = 0x6f72_6d73;

#[derive(Default)]
pub(super) struct PendingTables {
    /// Table name → the statements that make it and its indexes.
    waiting: HashMap<String, Vec<String>>,
    /// Tables ormsh cannot make as Django would (an index or constraint it
    /// cannot write), with why: using one is that error.
    refused: HashMap<String, String>,
    /// Tables made so far, with the savepoint depth they were made at.
    made: Vec<(String, Vec<String>, usize)>,
}

impl Database {
    /// Whether ormsh made this database (see `mark_as_ormshs`).
    pub fn made_by_ormsh(&self) -> bool {
        self.conn
            .query_row("PRAGMA application_id", [], |r| r.get::<_, i64>(0))
            .is_ok_and(|id| id == ORMSH_APPLICATION_ID)
    }

    /// Marks a new database as ormsh's: its tables are made on first use.
    pub fn mark_as_ormshs(&self) -> Result<()> {
        self.conn
            .execute_batch(&format!("PRAGMA application_id = {ORMSH_APPLICATION_ID}"))
            .map_err(sql_error)
    }

    /// Every managed model's table that does not exist yet is to be made
    /// when first used.
    pub fn defer_tables(&self, registry: &Registry) -> Result<()> {
        let existing = self.table_names()?;
        let mut pending = self.pending.borrow_mut();
        for (id, model) in registry.models.iter().enumerate() {
            if model.has_own_table() && !existing.contains(&model.db_table) {
                match ddl::create_statements(registry, id) {
                    Ok(statements) => {
                        pending.waiting.insert(model.db_table.clone(), statements);
                    }
                    Err(why) => {
                        pending.refused.insert(model.db_table.clone(), why);
                    }
                }
            }
        }
        Ok(())
    }

    /// How many managed models have no table.
    pub fn missing_tables(&self, registry: &Registry) -> Result<usize> {
        let existing = self.table_names()?;
        Ok(registry
            .models
            .iter()
            .filter(|m| m.has_own_table() && !existing.contains(&m.db_table))
            .count())
    }

    fn table_names(&self) -> Result<HashSet<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
            .map_err(sql_error)?;
        let names = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(sql_error)?;
        names
            .collect::<std::result::Result<_, _>>()
            .map_err(sql_error)
    }

    /// Whether `table` is still to be made (so it has no rows).
    pub fn table_is_pending(&self, table: &str) -> bool {
        self.pending.borrow().waiting.contains_key(table)
    }

    /// `sql` prepared, once every table it names exists.
    pub(crate) fn prepare(&self, sql: &str) -> Result<CachedStatement<'static>> {
        loop {
            match self.conn.prepare_cached(sql) {
                Ok(stmt) => return Ok(stmt),
                Err(e) => match missing_table(&e) {
                    Some(table) if self.make_table(table)? => continue,
                    _ => return Err(sql_error(e)),
                },
            }
        }
    }

    /// Makes `table` if it is waiting; false when it is not.
    pub(super) fn make_table(&self, table: &str) -> Result<bool> {
        let mut pending = self.pending.borrow_mut();
        if let Some(why) = pending.refused.get(table) {
            return Err(Error::new("NotSupportedError", why.clone()));
        }
        if !pending.waiting.contains_key(table) {
            return Ok(false);
        }
        if self.is_read_only() {
            return Err(Error::new(
                "OperationalError",
                format!(
                    "no such table: {table} (ormsh makes it when first used, and the database is open read-only)"
                ),
            ));
        }
        let statements = pending.waiting.remove(table).unwrap_or_default();
        match self.run_together(&statements) {
            Ok(()) => {
                let depth = self.depth.get();
                pending.made.push((table.to_string(), statements, depth));
                Ok(true)
            }
            // Another session on the same file made it first.
            Err(e) if e.to_string().ends_with("already exists") => Ok(true),
            Err(e) => {
                pending.waiting.insert(table.to_string(), statements);
                Err(sql_error(e))
            }
        }
    }

    /// A table and its indexes, made whole or not at all.
    fn run_together(&self, statements: &[String]) -> rusqlite::Result<()> {
        self.conn.execute_batch("SAVEPOINT ormsh_table")?;
        let made = statements
            .iter()
            .try_for_each(|s| self.conn.execute(s, []).map(|_| ()));
        let end = if made.is_ok() {
            "RELEASE ormsh_table"
        } else {
            "ROLLBACK TO ormsh_table; RELEASE ormsh_table"
        };
        made.and(self.conn.execute_batch(end))
    }

    /// After a rollback to the savepoint at `depth`: the tables made since
    /// are gone, so they wait again.
    pub(super) fn tables_rolled_back(&self, depth: usize) {
        let mut pending = self.pending.borrow_mut();
        let (undone, kept): (Vec<_>, Vec<_>) = std::mem::take(&mut pending.made)
            .into_iter()
            .partition(|made| made.2 >= depth);
        pending.made = kept;
        if undone.is_empty() {
            return;
        }
        for (table, statements, _) in undone {
            pending.waiting.insert(table, statements);
        }
        // A cached statement would name a table that is gone.
        self.conn.flush_prepared_statement_cache();
    }

    /// After the savepoint at `depth` is released: what it made now
    /// belongs to the savepoint around it.
    pub(super) fn tables_released(&self, depth: usize) {
        for made in &mut self.pending.borrow_mut().made {
            made.2 = made.2.min(depth - 1);
        }
    }
}

/// The table in SQLite's "no such table: main.x" error.
fn missing_table(e: &rusqlite::Error) -> Option<&str> {
    let message = match e {
        rusqlite::Error::SqliteFailure(_, Some(m)) => m,
        rusqlite::Error::SqlInputError { msg, .. } => msg,
        _ => return None,
    };
    let name = message.strip_prefix("no such table: ")?;
    Some(name.strip_prefix("main.").unwrap_or(name))
}
