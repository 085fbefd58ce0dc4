//! ormsh: the Django shell's query language over a SQLite file.
//! See ARCHITECTURE.md for the pipeline and where each stage lives.

use clap::Parser;
use ormsh::{cli, repl, session, startup, with_big_stack};
use std::io::IsTerminal;
use std::process::ExitCode;

/// Counts the heap, so that values past the memory limit are a MemoryError
/// (`ormsh::limits`).
#[global_allocator]
static ALLOCATOR: ormsh::limits::CountingAlloc = ormsh::limits::CountingAlloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    with_big_stack(move || run(cli))
}

/// Opens what the command line names, then runs `-c`, `-f`, the prompt or
/// standard input.
fn run(cli: cli::Cli) -> ExitCode {
    ormsh::limits::set_memory_limit(cli.memory_limit);
    let mut opened = match startup::open(&cli) {
        Ok(opened) => opened,
        Err(failed) => {
            eprintln!("ormsh: {}", failed.error.message);
            return ExitCode::from(failed.status);
        }
    };
    let session = &mut opened.session;
    let outcome = if let Some(code) = &cli.code {
        repl::run_script(session, code.as_bytes())
    } else if let Some(path) = &cli.file {
        match session::read_script(path) {
            Ok(text) => repl::run_script(session, text.as_bytes()),
            Err(message) => {
                eprintln!("ormsh: {message}");
                return ExitCode::from(2);
            }
        }
    } else if std::io::stdin().is_terminal() {
        let database = opened.database.as_deref();
        repl::run_interactive(session, &opened.banner, database, opened.color)
    } else {
        repl::run_script(session, std::io::stdin().lock())
    };
    match outcome {
        Ok(true) | Err(session::Stop::BrokenPipe | session::Stop::Quit) => ExitCode::SUCCESS,
        Ok(false) | Err(session::Stop::Bailed) => ExitCode::from(1),
        Err(session::Stop::Exit(code)) => ExitCode::from(code),
        Err(session::Stop::Fatal(msg)) => {
            eprintln!("ormsh: {msg}");
            ExitCode::from(1)
        }
    }
}
