//! ormsh: the Django shell's query language over a SQLite file.
//!
//! The pipeline (see ARCHITECTURE.md): `syntax` (text → AST) → `engine`
//! (AST → values) → `render` (values → text), driven by `repl` and `session`.
//! `db` owns the SQLite connection.

pub mod cli;
pub mod commands;
pub mod db;
pub mod engine;
pub mod error;
pub mod project;
pub mod query;
pub mod render;
pub mod repl;
pub mod schema;
pub mod session;
pub mod suggest;
pub mod syntax;

/// Runs `f` on a thread whose stack is large enough for the deepest input the
/// grammar accepts (200 nested brackets) in a debug build.
pub fn with_big_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(1 << 30)
        .spawn(f)
        .expect("a thread can be started")
        .join()
        .unwrap_or_else(|e| std::panic::resume_unwind(e))
}
