//! Running statements: compiled queries, inserts, updates and M2M links.
//! SQLite's errors come back in Django's form (`IntegrityError: UNIQUE
//! constraint failed: app_tag.name`).

use super::Database;
use crate::error::{Error, Result};
use crate::query::compile::Compiled;
use rusqlite::types::Value as Sql;

/// A SQLite error as the Django exception it becomes.
pub fn sql_error(e: rusqlite::Error) -> Error {
    if let rusqlite::Error::SqliteFailure(f, _) = &e
        && f.code == rusqlite::ErrorCode::OperationInterrupted
    {
        return Error::new("KeyboardInterrupt", crate::limits::CANCELLED);
    }
    let kind = match &e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            "IntegrityError"
        }
        _ => "OperationalError",
    };
    let message = match &e {
        rusqlite::Error::SqliteFailure(_, Some(m)) => m.clone(),
        // Not the statement's text, which can be very long.
        rusqlite::Error::SqlInputError { msg, .. } => msg.clone(),
        other => other.to_string(),
    };
    Error::new(kind, shorten(&message))
}

/// A message cut to a few hundred characters: an error never prints a
/// whole statement.
fn shorten(message: &str) -> String {
    const MAX: usize = 300;
    match message.char_indices().nth(MAX) {
        Some((at, _)) => format!(
            "{}… ({} characters)",
            &message[..at],
            message.chars().count()
        ),
        None => message.to_string(),
    }
}

impl Database {
    pub fn scalar(&self, c: &Compiled) -> Result<i64> {
        self.count_statement();
        let start = std::time::Instant::now();
        let result = self.prepare(&c.sql).and_then(|mut s| {
            s.query_row(rusqlite::params_from_iter(c.params.iter()), |r| r.get(0))
                .map_err(sql_error)
        });
        self.traced(&c.sql, &c.params, start.elapsed());
        result
    }

    /// A compiled INSERT of one row; returns its rowid.
    pub fn insert(&self, c: &Compiled) -> Result<i64> {
        self.write(&c.sql, c.params.clone())?;
        Ok(self.connection().last_insert_rowid())
    }

    /// Every write goes through here: live cursors are drained first (see
    /// `cursor.rs`), then the statement runs; returns the rows changed.
    pub(crate) fn write(&self, sql: &str, params: Vec<Sql>) -> Result<usize> {
        self.check_writable()?;
        self.count_statement();
        self.settle();
        let start = std::time::Instant::now();
        let result = self.prepare(sql).and_then(|mut s| {
            s.execute(rusqlite::params_from_iter(&params))
                .map_err(sql_error)
        });
        self.traced(sql, &params, start.elapsed());
        result
    }

    /// A write that returns rows (`INSERT … RETURNING`): their first column.
    pub fn write_returning(&self, sql: &str, params: Vec<Sql>) -> Result<Vec<Sql>> {
        self.check_writable()?;
        self.count_statement();
        self.settle();
        let start = std::time::Instant::now();
        let mut stmt = self.prepare(sql)?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(&params), |r| r.get::<_, Sql>(0))
            .map_err(sql_error)?;
        let keys = rows.map(|r| r.map_err(sql_error)).collect();
        self.traced(sql, &params, start.elapsed());
        keys
    }

    /// A compiled write (`qs.update()`): the rows it changed.
    pub fn execute(&self, c: &Compiled) -> Result<usize> {
        self.write(&c.sql, c.params.clone())
    }

    /// The statement `sql_for(n)` once per batch of at most `MAX_PARAMS`
    /// keys (less the `fixed` parameters bound before them); the rows changed.
    pub fn write_batched(
        &self,
        fixed: &[Sql],
        keys: &[Sql],
        sql_for: impl Fn(usize) -> String,
    ) -> Result<usize> {
        let size = crate::query::compile::write::MAX_PARAMS - fixed.len();
        let mut total = 0;
        for batch in keys.chunks(size) {
            let mut params = fixed.to_vec();
            params.extend_from_slice(batch);
            total += self.write(&sql_for(batch.len()), params)?;
        }
        Ok(total)
    }

    /// The first column of every row of `c`.
    pub fn column(self: &std::rc::Rc<Self>, c: &Compiled) -> Result<Vec<Sql>> {
        self.stream(c)?
            .map(|row| row.map(|r| r.into_iter().next().unwrap_or(Sql::Null)))
            .collect()
    }
}
