//! The SQLite connection.
//!
//! Public surface: [`Database::open`]. Every statement ormsh runs goes through
//! here; the compiler (later) hands it SQL text and bound parameters only.

mod cursor;
pub(crate) mod exec;
mod functions;
pub mod introspect;
mod migrate;
mod tables;
mod transaction;

pub use cursor::{Row, RowStream};
pub use migrate::{MigrateReport, migrate};

use crate::error::{Error, Result};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

/// A statement that ran, and the parameters it was given.
pub type Logged = (String, Vec<rusqlite::types::Value>);

pub struct Database {
    /// Leaked in `open` and taken back in `drop`, so that a streaming cursor
    /// can hold a statement of it (`cursor.rs`); lent to everyone else only
    /// for as long as they borrow the `Database`.
    conn: &'static Connection,
    path: Option<PathBuf>,
    /// Statements run so far: tests count them (no N+1 queries).
    statements: std::cell::Cell<u64>,
    /// `--read-only`: every write is refused before any SQL runs.
    read_only: bool,
    /// `--sandbox`: the session runs inside one transaction, rolled back
    /// when the database is closed.
    sandbox: std::cell::Cell<bool>,
    /// Savepoints open now (ORM operations inside ORM operations).
    depth: std::cell::Cell<usize>,
    /// In the sandbox: whether some foreign key dangled before the
    /// operation began.
    dangling_before: std::cell::Cell<bool>,
    /// `.sql on`: each statement is shown on stderr with its time.
    trace: std::cell::Cell<bool>,
    /// When kept (`keep_log`): each query and write run, with its
    /// parameters, for tests that pin the SQL a statement runs.
    log: std::cell::RefCell<Option<Vec<Logged>>>,
    /// Cursors that may still be streaming, drained before any write.
    cursors: std::cell::RefCell<Vec<std::rc::Weak<std::cell::RefCell<cursor::CursorState>>>>,
    /// Tables still to be made (`tables.rs`).
    pending: std::cell::RefCell<tables::PendingTables>,
}

impl Database {
    /// Opens (or creates) `path`, or an in-memory database when `None`, and
    /// checks that the file really is a SQLite database.
    pub fn open(path: Option<&Path>, read_only: bool) -> Result<Database> {
        let conn = match path {
            None => Connection::open_in_memory(),
            Some(p) if read_only => Connection::open_with_flags(
                p,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            ),
            Some(p) => Connection::open(p),
        }
        .map_err(|e| open_error(path, e))?;
        functions::register(&conn).map_err(|e| open_error(path, e))?;
        // As Django's SQLite backend: foreign keys are enforced (Django's
        // are DEFERRABLE INITIALLY DEFERRED, so checked when an operation
        // commits).
        conn.execute_batch("PRAGMA foreign_keys = ON")
            .map_err(|e| open_error(path, e))?;
        // SQLite opens any file lazily; reading the schema proves it is a database.
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })
        .map_err(|e| open_error(path, e))?;
        Ok(Database {
            conn: Box::leak(Box::new(conn)),
            path: path.map(Path::to_path_buf),
            statements: Default::default(),
            read_only,
            sandbox: Default::default(),
            depth: Default::default(),
            dangling_before: Default::default(),
            trace: Default::default(),
            log: Default::default(),
            cursors: Default::default(),
            pending: Default::default(),
        })
    }

    pub fn describe(&self) -> String {
        match &self.path {
            Some(p) => p.display().to_string(),
            None => "an in-memory database".to_string(),
        }
    }

    /// How many statements ormsh has run on this database.
    pub fn statements_run(&self) -> u64 {
        self.statements.get()
    }

    pub(crate) fn count_statement(&self) {
        self.statements.set(self.statements.get() + 1);
    }

    pub fn set_trace(&self, on: bool) {
        self.trace.set(on);
    }

    /// Starts keeping every query and write run, as [`Database::take_log`] returns them.
    pub fn keep_log(&self) {
        *self.log.borrow_mut() = Some(Vec::new());
    }

    /// The statements run since `keep_log` (or the last take), with their
    /// parameters.
    pub fn take_log(&self) -> Vec<Logged> {
        self.log
            .borrow_mut()
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    }

    /// With `.sql on`: the statement, its parameters written in, and how
    /// long it took, on stderr (stdout is for results).
    pub(crate) fn traced(
        &self,
        sql: &str,
        params: &[rusqlite::types::Value],
        took: std::time::Duration,
    ) {
        if let Some(log) = self.log.borrow_mut().as_mut() {
            log.push((sql.to_string(), params.to_vec()));
        }
        if self.trace.get() {
            eprintln!(
                "-- {:.3} ms\n{};",
                took.as_secs_f64() * 1000.0,
                crate::query::compile::inline_params(sql, params)
            );
        }
    }

    /// A handle another thread may use to stop the running statement.
    pub fn interrupt_handle(&self) -> rusqlite::InterruptHandle {
        self.conn.get_interrupt_handle()
    }

    pub fn connection(&self) -> &Connection {
        self.conn
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if self.sandbox.get() {
            self.settle();
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        let conn: *const Connection = self.conn;
        // SAFETY: `conn` came from `Box::leak` in `open` and is freed only
        // here. Every borrow of it is bounded by a borrow of `self`, except a
        // cursor's statement, and a cursor holds an `Rc<Database>` that it
        // drops after its statement; so nothing uses `conn` after this.
        drop(unsafe { Box::from_raw(conn.cast_mut()) });
    }
}

fn open_error(path: Option<&Path>, e: rusqlite::Error) -> Error {
    let name = path.map_or_else(|| ":memory:".to_string(), |p| p.display().to_string());
    Error::new(
        "OperationalError",
        format!("cannot open database '{name}': {e}"),
    )
}
