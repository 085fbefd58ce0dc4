//! ormsh: the Django shell's query language over a SQLite file.
//! See ARCHITECTURE.md for the pipeline and where each stage lives.

use clap::Parser;
use ormsh::{cli, db, project, render, repl, schema, session, with_big_stack};
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

fn run(cli: cli::Cli) -> ExitCode {
    ormsh::limits::set_memory_limit(cli.memory_limit);
    let request = project::Request {
        target: cli.target.as_deref(),
        db: cli.db.as_deref(),
        models: &cli.models,
        default_auto_field: cli.default_auto_field.as_deref(),
        migrate: cli.migrate,
        settings: cli.settings.as_deref(),
    };
    let project = match project::discover(&request) {
        Ok(p) => p,
        Err(msg) => {
            eprintln!("ormsh: {msg}");
            return ExitCode::from(2);
        }
    };
    ormsh::settings::configure(project.time.clone());
    // A database ormsh creates (or an in-memory one) gets the tables at once.
    let fresh = project.db.as_ref().is_none_or(|p| !p.exists());
    let db = match db::Database::open(project.db.as_deref(), cli.read_only) {
        Ok(db) => db,
        Err(e) => {
            eprintln!("ormsh: {}", e.message);
            return ExitCode::from(2);
        }
    };
    if cli.sandbox
        && let Err(e) = db.begin_sandbox()
    {
        eprintln!("ormsh: cannot start the sandbox: {}", e.message);
        return ExitCode::from(2);
    }
    let registry = if project.sources.is_empty() {
        match introspect(&db, project.db.as_deref()) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("ormsh: cannot read the database's tables: {}", e.message);
                return ExitCode::from(2);
            }
        }
    } else {
        schema::load(&project.sources)
    };
    let color_err = colour_allowed(&cli) && std::io::stderr().is_terminal();
    for d in &registry.diagnostics {
        eprintln!("{}", render::error::render_diagnostic(d, color_err));
    }
    if cli.migrate {
        warn_of_many_tables(&db, &registry, fresh);
        match db::migrate(&db, &registry) {
            Ok(report) => {
                for (table, what) in &report.mismatched {
                    eprintln!("warning: table '{table}' differs from its model: {what}");
                }
            }
            Err(e) => {
                eprintln!("ormsh: migrate failed: {}", e.message);
                return ExitCode::from(1);
            }
        }
    } else if !project.sources.is_empty() && (fresh || db.made_by_ormsh()) {
        // A database ormsh makes gets each table when a statement first
        // needs it (`db/tables.rs`).
        let deferred = if fresh && project.db.is_some() && !cli.read_only {
            db.mark_as_ormshs()
        } else {
            Ok(())
        }
        .and_then(|()| db.defer_tables(&registry));
        if let Err(e) = deferred {
            eprintln!("ormsh: cannot prepare the tables: {}", e.message);
            return ExitCode::from(1);
        }
    }
    if fresh && !project.sources.is_empty() {
        for fixture in &project.fixtures {
            let loaded = std::fs::read_to_string(fixture)
                .map_err(|e| e.to_string())
                .and_then(|text| db::loaddata(&db, &registry, &text).map_err(|e| e.to_string()));
            match loaded {
                Ok(n) => eprintln!("loaded {n} objects from {}", fixture.display()),
                Err(e) => eprintln!("warning: could not load {}: {e}", fixture.display()),
            }
        }
    }
    let color = colour_allowed(&cli) && std::io::stdout().is_terminal();
    let options = session::Options {
        format: cli.format,
        echo: cli.echo,
        bail: cli.bail,
        color,
        width: terminal_width(),
        sql: cli.sql,
        timer: cli.timer,
        interactive: cli.code.is_none()
            && cli.file.is_none()
            && std::io::stdin().is_terminal()
            && std::io::stdout().is_terminal(),
        cell: cli.code.is_some(),
    };
    let mode = if db.in_sandbox() {
        " · sandbox: every change is rolled back on exit"
    } else if db.is_read_only() {
        " · read-only"
    } else {
        ""
    };
    let banner = format!(
        "ormsh {} · {} · {} models{mode} · .help for help, Ctrl-D to exit",
        env!("CARGO_PKG_VERSION"),
        db.describe(),
        registry.models.iter().filter(|m| !m.auto_created).count()
    );
    let mut session = session::Session::new(options, db, registry);
    let outcome = if let Some(code) = &cli.code {
        repl::run_script(&mut session, code.as_bytes())
    } else if let Some(path) = &cli.file {
        match session::read_script(path) {
            Ok(text) => repl::run_script(&mut session, text.as_bytes()),
            Err(message) => {
                eprintln!("ormsh: {message}");
                return ExitCode::from(2);
            }
        }
    } else if std::io::stdin().is_terminal() {
        repl::run_interactive(&mut session, &banner, project.db.as_deref(), color)
    } else {
        repl::run_script(&mut session, std::io::stdin().lock())
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

/// `--migrate` makes every table at once, and SQLite's time for that grows
/// with the square of their number: minutes for tens of thousands.
fn warn_of_many_tables(db: &db::Database, registry: &schema::Registry, fresh: bool) {
    const MANY: usize = 2000;
    let missing = db.missing_tables(registry).unwrap_or(0);
    if missing > MANY {
        let instead = if fresh || db.made_by_ormsh() {
            " (without --migrate, each table is made when first used)"
        } else {
            ""
        };
        eprintln!(
            "ormsh: making {missing} tables in {}; SQLite takes a while for this many{instead}",
            db.describe()
        );
    }
}

/// Models for a database that comes without a models.py: its app label is
/// the file's name (`chinook.db` → `chinook`).
fn introspect(
    db: &db::Database,
    path: Option<&std::path::Path>,
) -> Result<schema::Registry, ormsh::error::Error> {
    let stem = path
        .and_then(|p| p.file_stem())
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "main".into());
    let app: String = stem
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    let tables = db::introspect::tables(db.connection())?;
    let content_types = db::introspect::content_types(db.connection())?;
    Ok(schema::introspect::from_tables(
        &tables,
        content_types.as_deref(),
        &app,
    ))
}

/// Colour unless `--no-color` or `NO_COLOR` says otherwise (each stream
/// must also be a terminal).
fn colour_allowed(cli: &cli::Cli) -> bool {
    !cli.no_color && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// The width tables fit: the terminal's, else `$COLUMNS`, else none.
fn terminal_width() -> Option<u16> {
    if std::io::stdout().is_terminal()
        && let Ok((w, _)) = crossterm::terminal::size()
    {
        return Some(w);
    }
    std::env::var("COLUMNS").ok()?.parse().ok()
}
