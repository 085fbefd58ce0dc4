//! Startup as a library function: the command line's request to a session
//! ready for statements. Find the project, open the database (sandboxed or
//! read-only when asked), load the models or introspect the tables, migrate
//! or defer the tables, load the fixtures, report the models' diagnostics.

use crate::cli::Cli;
use crate::error::Error;
use crate::{db, project, render, schema, session};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// A session ready to run, and what the prompt needs to know of it.
pub struct Opened {
    pub session: session::Session,
    /// What the interactive prompt says first.
    pub banner: String,
    /// The database file (history is kept beside it); None in memory.
    pub database: Option<PathBuf>,
    /// Whether stdout gets colour.
    pub color: bool,
}

/// Why ormsh could not start, and the exit status that says so: 2 when
/// nothing could be opened, 1 when the database could not be prepared.
#[derive(Debug)]
pub struct Failed {
    pub error: Box<Error>,
    pub status: u8,
}

fn failed(status: u8, message: impl Into<String>) -> Failed {
    Failed {
        error: Box::new(Error::new("CommandError", message)),
        status,
    }
}

/// Opens what the command line names. Warnings and what was loaded are
/// written to stderr as they happen; a failure is returned for the edge to
/// print.
pub fn open(cli: &Cli) -> Result<Opened, Failed> {
    let request = project::Request {
        target: cli.target.as_deref(),
        db: cli.db.as_deref(),
        models: &cli.models,
        default_auto_field: cli.default_auto_field.as_deref(),
        migrate: cli.migrate,
        settings: cli.settings.as_deref(),
        site_packages: cli.site_packages.as_deref(),
    };
    let project = project::discover(&request).map_err(|msg| failed(2, msg))?;
    crate::settings::configure(project.time.clone());
    let color_err = colour_allowed(cli) && std::io::stderr().is_terminal();
    for d in &project.diagnostics {
        eprintln!("{}", render::error::render_diagnostic(d, color_err));
    }
    for note in &project.notes {
        eprintln!("note: {note}");
    }
    // A database ormsh creates (or an in-memory one) gets the tables at once.
    let fresh = project.db.as_ref().is_none_or(|p| !p.exists());
    let db = db::Database::open(project.db.as_deref(), cli.read_only)
        .map_err(|e| failed(2, e.message))?;
    if cli.sandbox {
        db.begin_sandbox()
            .map_err(|e| failed(2, format!("cannot start the sandbox: {}", e.message)))?;
    }
    // Settings say which apps there are, even when all are Django's own.
    let models_known = !project.sources.is_empty() || project.installed_apps.is_some();
    let registry = if !models_known {
        introspect(&db, project.db.as_deref()).map_err(|e| {
            failed(
                2,
                format!("cannot read the database's tables: {}", e.message),
            )
        })?
    } else {
        schema::load_project(
            &project.sources,
            &schema::ProjectOptions {
                auth_user_model: project.auth_user_model.as_deref(),
                installed_apps: project.installed_apps.as_deref(),
                verbose_names: &project.verbose_names,
            },
        )
    };
    for line in
        render::error::render_diagnostics(&registry.diagnostics, color_err, cli.verbose, true)
    {
        eprintln!("{line}");
    }
    prepare_tables(cli, &project, &db, &registry, fresh)?;
    if fresh && models_known {
        load_fixtures(&project.fixtures, &db, &registry);
    }
    let color = colour_allowed(cli) && std::io::stdout().is_terminal();
    let banner = banner(&db, &registry);
    let mut session = session::Session::new(options(cli, color), db, registry);
    session.print_source_diagnostics();
    Ok(Opened {
        session,
        banner,
        database: project.db,
        color,
    })
}

/// `--migrate` makes the missing tables now; without it, a database ormsh
/// makes gets each table when a statement first needs it (`db/tables.rs`).
fn prepare_tables(
    cli: &Cli,
    project: &project::Project,
    db: &db::Database,
    registry: &schema::Registry,
    fresh: bool,
) -> Result<(), Failed> {
    if cli.migrate {
        warn_of_many_tables(db, registry, fresh);
        let report = db::migrate(db, registry)
            .map_err(|e| failed(1, format!("migrate failed: {}", e.message)))?;
        for (table, what) in &report.mismatched {
            eprintln!("warning: table '{table}' differs from its model: {what}");
        }
        for why in &report.refused {
            eprintln!("error: {why}");
        }
    } else if (!project.sources.is_empty() || project.installed_apps.is_some())
        && (fresh || db.made_by_ormsh())
    {
        let deferred = if fresh && project.db.is_some() && !cli.read_only {
            db.mark_as_ormshs()
        } else {
            Ok(())
        }
        .and_then(|()| db.defer_tables(registry));
        deferred.map_err(|e| failed(1, format!("cannot prepare the tables: {}", e.message)))?;
    }
    Ok(())
}

/// The project's fixtures, into a database just made; one that fails is a
/// warning and the others still load.
fn load_fixtures(fixtures: &[PathBuf], db: &db::Database, registry: &schema::Registry) {
    for fixture in fixtures {
        let loaded = std::fs::read_to_string(fixture)
            .map_err(|e| e.to_string())
            .and_then(|text| crate::orm::loaddata(db, registry, &text).map_err(|e| e.to_string()));
        match loaded {
            Ok(n) => eprintln!("loaded {n} objects from {}", fixture.display()),
            Err(e) => eprintln!("warning: could not load {}: {e}", fixture.display()),
        }
    }
}

fn options(cli: &Cli, color: bool) -> session::Options {
    session::Options {
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
        verbose: cli.verbose,
    }
}

fn banner(db: &db::Database, registry: &schema::Registry) -> String {
    let mode = if db.in_sandbox() {
        " · sandbox: every change is rolled back on exit"
    } else if db.is_read_only() {
        " · read-only"
    } else {
        ""
    };
    format!(
        "ormsh {} · {} · {} models{mode} · .help for help, Ctrl-D to exit",
        env!("CARGO_PKG_VERSION"),
        db.describe(),
        registry.models.iter().filter(|m| !m.auto_created).count()
    )
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
fn introspect(db: &db::Database, path: Option<&Path>) -> Result<schema::Registry, Error> {
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
fn colour_allowed(cli: &Cli) -> bool {
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
