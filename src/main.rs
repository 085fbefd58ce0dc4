//! ormsh: the Django shell's query language over a SQLite file.
//! See ARCHITECTURE.md for the pipeline and where each stage lives.

mod cli;
mod db;
mod engine;
mod error;
mod render;
mod repl;
mod session;
mod suggest;
mod syntax;

use clap::Parser;
use std::io::{IsTerminal, Read};
use std::process::ExitCode;

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

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    with_big_stack(move || run(cli))
}

fn run(cli: cli::Cli) -> ExitCode {
    let db = match db::Database::open(cli.db.as_deref(), cli.read_only) {
        Ok(db) => db,
        Err(e) => {
            eprintln!("ormsh: {}", e.message);
            return ExitCode::from(2);
        }
    };
    let color = !cli.no_color && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal();
    let options = session::Options { format: cli.format, echo: cli.echo, bail: cli.bail, color };
    let mut session = session::Session::new(options);
    let outcome = if let Some(code) = &cli.code {
        repl::run_script(&mut session, code.as_bytes())
    } else if let Some(path) = &cli.file {
        let mut text = String::new();
        if let Err(e) = std::fs::File::open(path).and_then(|mut f| f.read_to_string(&mut text)) {
            eprintln!("ormsh: cannot read '{}': {e}", path.display());
            return ExitCode::from(2);
        }
        repl::run_script(&mut session, text.as_bytes())
    } else if std::io::stdin().is_terminal() {
        let banner = format!("ormsh {} · {} · Ctrl-D to exit", env!("CARGO_PKG_VERSION"), db.describe());
        repl::run_interactive(&mut session, &banner)
    } else {
        repl::run_script(&mut session, std::io::stdin().lock())
    };
    match outcome {
        Ok(true) | Err(session::Stop::BrokenPipe) => ExitCode::SUCCESS,
        Ok(false) | Err(session::Stop::Bailed) => ExitCode::from(1),
        Err(session::Stop::Fatal(msg)) => {
            eprintln!("ormsh: {msg}");
            ExitCode::from(1)
        }
    }
}
