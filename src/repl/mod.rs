//! Keys to lines to statements: the interactive prompt, its completion,
//! colours and history. It feeds lines to the [`splitter::Splitter`] and
//! hands each statement to a [`crate::session::Session`] (whose script
//! runner it re-exports). This module knows nothing about SQL.

pub mod complete;
mod helper;
mod interactive;

pub use interactive::run_interactive;

pub use crate::session::run_script;
pub use crate::syntax::splitter;
