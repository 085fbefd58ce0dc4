//! Transactions: each ORM operation runs in a savepoint, so that it takes
//! effect whole or not at all; `--sandbox` wraps the session in one
//! transaction that is never committed; `--read-only` refuses every write.

use super::Database;
use super::exec::sql_error;
use crate::error::{Error, Result};

/// An open savepoint, named by its depth.
pub struct Savepoint(String);

impl Database {
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// The error every write meets with `--read-only`.
    pub fn check_writable(&self) -> Result<()> {
        if self.read_only {
            return Err(Error::new(
                "OperationalError",
                "the database is open read-only (--read-only): nothing was written",
            ));
        }
        Ok(())
    }

    /// Starts the sandbox transaction: nothing after this reaches the file.
    pub fn begin_sandbox(&self) -> Result<()> {
        self.check_writable()?;
        self.connection()
            .execute_batch("BEGIN")
            .map_err(sql_error)?;
        self.sandbox.set(true);
        Ok(())
    }

    pub fn in_sandbox(&self) -> bool {
        self.sandbox.get()
    }

    pub fn savepoint(&self) -> Result<Savepoint> {
        self.check_writable()?;
        self.settle();
        let depth = self.depth.get() + 1;
        if self.sandbox.get() && depth == 1 {
            // Keys already dangling are the data's, not this operation's.
            self.dangling_before.set(self.dangling_keys());
        }
        let sp = Savepoint(format!("ormsh_{depth}"));
        self.connection()
            .execute_batch(&format!("SAVEPOINT {}", sp.0))
            .map_err(sql_error)?;
        self.depth.set(depth);
        Ok(sp)
    }

    /// Keeps the savepoint's writes (commits them, when it is the outermost
    /// and there is no sandbox). A deferred foreign key that fails here
    /// undoes them all.
    pub fn release(&self, sp: Savepoint) -> Result<()> {
        self.settle();
        // In the sandbox nothing commits, so the deferred foreign keys that
        // a commit would check are checked here, for each operation.
        if self.sandbox.get()
            && self.depth.get() == 1
            && !self.dangling_before.get()
            && self.dangling_keys()
        {
            self.rollback(sp);
            return Err(Error::new(
                "IntegrityError",
                "FOREIGN KEY constraint failed",
            ));
        }
        match self
            .connection()
            .execute_batch(&format!("RELEASE {}", sp.0))
        {
            Ok(()) => {
                self.tables_released(self.depth.get());
                self.depth.set(self.depth.get() - 1);
                Ok(())
            }
            Err(e) => {
                self.rollback(sp);
                Err(sql_error(e))
            }
        }
    }

    /// Whether some row's foreign key points at no row (a full check:
    /// SQLite counts deferred violations but does not say so before COMMIT).
    fn dangling_keys(&self) -> bool {
        self.connection()
            .prepare("PRAGMA foreign_key_check")
            .and_then(|mut s| s.exists([]))
            .unwrap_or(false)
    }

    /// Undoes everything since the savepoint.
    pub fn rollback(&self, sp: Savepoint) {
        self.settle();
        let _ = self
            .connection()
            .execute_batch(&format!("ROLLBACK TO {0}; RELEASE {0}", sp.0));
        self.tables_rolled_back(self.depth.get());
        self.depth.set(self.depth.get().saturating_sub(1));
    }
}
