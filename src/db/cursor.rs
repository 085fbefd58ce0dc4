//! Streaming a query's rows out of SQLite one at a time.
//!
//! A [`RowStream`] owns its live statement, so rows can be pulled between the
//! statements of a user's loop body and memory does not grow with the size of
//! the result. Before any write, [`Database::settle`] drains every live cursor
//! into its own buffer: a loop whose body saves or deletes then goes on over
//! the rows as they were when it began, as in Django (whose `__iter__`
//! fetches every row before the first iteration), and a scan never meets its
//! own writes.

use super::Database;
use super::exec::sql_error;
use crate::error::Result;
use crate::query::compile::Compiled;
use ouroboros::self_referencing;
use rusqlite::types::Value as Sql;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::{Rc, Weak};

/// One row as SQLite gives it.
pub type Row = Vec<Sql>;

/// A running statement and its rows. The statement borrows the connection
/// for `'static` (see `Database::conn`); `_db` keeps the database open, and
/// is dropped after `live`, so the statement never outlives its connection.
struct Cursor {
    live: Live,
    _db: Rc<Database>,
}

#[self_referencing]
struct Live {
    stmt: rusqlite::CachedStatement<'static>,
    #[borrows(mut stmt)]
    #[covariant]
    rows: rusqlite::Rows<'this>,
}

impl Cursor {
    fn step(&mut self) -> Option<Result<Row>> {
        self.live.with_rows_mut(|rows| match rows.next() {
            Ok(Some(r)) => {
                let n = r.as_ref().column_count();
                Some(
                    (0..n)
                        .map(|i| r.get::<_, Sql>(i))
                        .collect::<Result<Row, _>>()
                        .map_err(sql_error),
                )
            }
            Ok(None) => None,
            Err(e) => Some(Err(sql_error(e))),
        })
    }
}

#[derive(Default)]
pub(super) struct CursorState {
    /// Rows read ahead of the consumer, when a write drained the statement.
    buffered: VecDeque<Result<Row>>,
    /// The statement, while it still has rows to give.
    live: Option<Cursor>,
}

impl CursorState {
    fn next(&mut self) -> Option<Result<Row>> {
        if let Some(row) = self.buffered.pop_front() {
            return Some(row);
        }
        let row = self.live.as_mut()?.step();
        if row.is_none() {
            // Finished: give the statement back to the cache at once.
            self.live = None;
        }
        row
    }

    fn drain(&mut self) {
        if let Some(mut live) = self.live.take() {
            while let Some(row) = live.step() {
                self.buffered.push_back(row);
            }
        }
    }
}

/// The rows of one query, pulled from SQLite as they are asked for.
pub struct RowStream(Rc<RefCell<CursorState>>);

impl Iterator for RowStream {
    type Item = Result<Row>;

    fn next(&mut self) -> Option<Result<Row>> {
        self.0.borrow_mut().next()
    }
}

impl Database {
    /// Starts `c` and hands back its rows as a stream.
    pub fn stream(self: &Rc<Self>, c: &Compiled) -> Result<RowStream> {
        self.count_statement();
        let start = std::time::Instant::now();
        let stmt = self.prepare(&c.sql)?;
        let live = LiveTryBuilder {
            stmt,
            rows_builder: |stmt: &mut rusqlite::CachedStatement<'static>| {
                stmt.query(rusqlite::params_from_iter(c.params.iter()))
            },
        }
        .try_build()
        .map_err(sql_error)?;
        let live = Cursor {
            live,
            _db: Rc::clone(self),
        };
        let mut state = CursorState {
            buffered: VecDeque::new(),
            live: Some(live),
        };
        // SQLite runs the statement at the first step: take that row now, so
        // `.sql on` can tell how long the query took.
        if let Some(first) = state.next() {
            state.buffered.push_back(first);
        }
        self.traced(&c.sql, &c.params, start.elapsed());
        let state = Rc::new(RefCell::new(state));
        let mut cursors = self.cursors.borrow_mut();
        cursors.retain(|w| w.strong_count() > 0);
        cursors.push(Rc::downgrade(&state));
        Ok(RowStream(state))
    }

    /// Reads every live cursor to its end, so that a write cannot change
    /// what a loop over an earlier query goes on to see.
    pub(crate) fn settle(&self) {
        let cursors: Vec<Weak<RefCell<CursorState>>> = self.cursors.take();
        for c in cursors.iter().filter_map(Weak::upgrade) {
            // A cursor in the middle of its own step runs no write; skip it.
            if let Ok(mut c) = c.try_borrow_mut() {
                c.drain();
            }
        }
    }
}
