//! ormsh: the Django shell's query language over a SQLite file.
//!
//! The pipeline (see ARCHITECTURE.md): `syntax` (text → AST) → `engine`
//! (AST → values, `value`) → `render` (values → text), driven by `repl` and
//! `session`. The engine hands model values to `orm`, which resolves
//! querysets (`query`), runs them on `db` and builds instances.

#![warn(clippy::too_many_lines)]

pub mod cli;
pub mod commands;
pub mod db;
pub mod engine;
pub mod error;
pub mod limits;
pub mod orm;
pub mod project;
pub mod python_decimal;
pub mod python_float;
pub mod python_re;
pub mod query;
pub mod render;
pub mod repl;
pub mod schema;
pub mod session;
pub mod settings;
pub mod span;
pub mod startup;
pub mod suggest;
pub mod syntax;
pub mod value;

/// Runs `f` on a thread whose stack is large enough for the deepest input the
/// grammar accepts (200 nested brackets) in a debug build.
/// Under a tight `ulimit -v` a smaller stack is taken rather than none.
pub fn with_big_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let f = std::sync::Arc::new(std::sync::Mutex::new(Some(f)));
    for size in [1 << 30, 1 << 28, 1 << 26] {
        let slot = f.clone();
        let spawned = std::thread::Builder::new().stack_size(size).spawn(move || {
            let f = slot.lock().ok().and_then(|mut g| g.take());
            f.map(|f| f())
        });
        if let Ok(handle) = spawned {
            match handle.join() {
                Ok(Some(v)) => return v,
                Ok(None) => break,
                Err(e) => std::panic::resume_unwind(e),
            }
        }
    }
    let f = f.lock().ok().and_then(|mut g| g.take());
    f.expect("the closure runs once")()
}
