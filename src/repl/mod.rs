//! Keys and lines to statements: the interactive prompt and the script runner.
//!
//! Both feed lines to the [`splitter::Splitter`] and hand each statement to a
//! [`crate::session::Session`]. This module knows nothing about SQL.

pub mod complete;
mod helper;
mod interactive;
pub mod splitter;

pub use interactive::run_interactive;

use crate::session::{Session, Stop};
use std::io::BufRead;

/// Runs a script (a file, `-c` code or piped stdin) statement by statement.
/// Returns whether every statement succeeded.
pub fn run_script(session: &mut Session, input: impl BufRead) -> Result<bool, Stop> {
    let mut splitter = splitter::Splitter::default();
    let mut all_ok = true;
    for line in input.lines() {
        let line = line.map_err(|e| Stop::Fatal(format!("cannot read input: {e}")))?;
        if let Some(statement) = splitter.push(&line) {
            all_ok &= session.run(&statement)?;
        }
    }
    if let Some(statement) = splitter.finish() {
        all_ok &= session.run(&statement)?;
    }
    Ok(all_ok)
}
