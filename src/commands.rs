//! Dot-commands typed at the prompt: `.models`, `.schema [Model]` describe
//! the registry and the database; `.limit`, `.format`, `.sql`, `.timer`
//! and `.pager` change how results are shown; `.read` runs a file and
//! `.quit` leaves. None changes the data. [`COMMANDS`] is the one list:
//! the prompt, `.help` and completion all read it.

use crate::db::Database;
use crate::error::{Error, Result};
use crate::query::compile::{Select, compile};
use crate::schema::{ModelId, Registry};

/// A dot-command, by what it does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    Help,
    Models,
    Schema,
    Limit,
    Format,
    Sql,
    Timer,
    Pager,
    Read,
    Quit,
}

/// A command's name, what it takes and its line in `.help`.
pub struct CommandInfo {
    pub command: Command,
    pub name: &'static str,
    pub args: &'static str,
    pub help: &'static str,
}

/// Every dot-command, in the order `.help` lists them.
pub const COMMANDS: &[CommandInfo] = &[
    info(Command::Help, ".help", "", "this text (also help())"),
    info(
        Command::Models,
        ".models",
        "",
        "apps, models, tables and row counts",
    ),
    info(
        Command::Schema,
        ".schema",
        "[Model]",
        "fields and every relation, both ways   (also help(Model))",
    ),
    info(Command::Limit, ".limit", "N", "rows a table shows (0: all)"),
    info(
        Command::Format,
        ".format",
        "table|repr|json|csv",
        "how results are printed",
    ),
    info(
        Command::Sql,
        ".sql",
        "on|off",
        "show each SQL statement and its time",
    ),
    info(
        Command::Timer,
        ".timer",
        "on|off",
        "show each statement's time",
    ),
    info(
        Command::Pager,
        ".pager",
        "on|off",
        "long output through $PAGER",
    ),
    info(Command::Read, ".read", "FILE", "run the statements of FILE"),
    info(
        Command::Quit,
        ".quit",
        "",
        "leave (also .exit, exit(), Ctrl-D)",
    ),
    info(Command::Quit, ".exit", "", ""),
];

const fn info(
    command: Command,
    name: &'static str,
    args: &'static str,
    help: &'static str,
) -> CommandInfo {
    CommandInfo {
        command,
        name,
        args,
        help,
    }
}

/// The command a dot-command line names, or Django-style CommandError with
/// the nearest name.
pub fn parse(line: &str) -> Result<(Command, Vec<&str>)> {
    let mut words = line.split_whitespace();
    let name = words.next().unwrap_or("");
    let args = words.collect();
    match COMMANDS.iter().find(|c| c.name == name) {
        Some(c) => Ok((c.command, args)),
        None => {
            let names = COMMANDS.iter().map(|c| c.name);
            let mut e = Error::new("CommandError", format!("unknown command '{name}'"));
            if let Some(near) = crate::suggest::nearest(name, names.clone()) {
                e = e.with_hint(format!("did you mean '{near}'?"));
            }
            let all: Vec<&str> = names.collect();
            Err(e.with_hint(format!("commands: {}", all.join(" "))))
        }
    }
}

/// What `.help` and `help()` print.
pub fn help_text() -> String {
    let mut text = String::from(
        "Type what you would type in Django's `manage.py shell`:
  Book.objects.filter(authors__name__icontains='le').order_by('-published')[:5]
  b = Book.objects.get(pk=1); b.reviews.all(); b.authors.add(a)
  Author.objects.annotate(n=Count('books')).filter(n__gt=1)
Every model is bound by name, with Q, F, Count, Sum, Avg, Min, Max and Value.
Tab completes models, methods, fields and lookups (after `field__`).

Commands:
",
    );
    let usage = |c: &CommandInfo| format!("{} {}", c.name, c.args);
    let listed: Vec<&CommandInfo> = COMMANDS.iter().filter(|c| !c.help.is_empty()).collect();
    let width = listed.iter().map(|c| usage(c).len()).max().unwrap_or(0);
    for c in listed {
        text.push_str(&format!("  {:<width$} {}\n", usage(c), c.help));
    }
    text.push_str(
        "Ctrl-C cancels a running statement (the database stays as it was) or clears the line.",
    );
    text
}

/// Runs a command that only reads the registry or changes the settings and
/// returns what it prints; `.read` and `.quit` are the session's.
pub fn run(
    command: Command,
    args: &[&str],
    registry: &Registry,
    db: &Database,
    settings: &crate::render::SharedSettings,
) -> Result<String> {
    let mut s = settings.borrow_mut();
    let name = COMMANDS
        .iter()
        .find(|c| c.command == command)
        .map_or("", |c| c.name);
    match command {
        Command::Help => Ok(help_text()),
        Command::Limit => {
            let Some(n) = args.first() else {
                return Ok(format!("limit {}", s.limit));
            };
            s.limit = n.parse().map_err(|_| {
                Error::new(
                    "CommandError",
                    format!("'.limit' takes a number of rows, not '{n}'"),
                )
                .with_hint("'.limit 0' shows every row")
            })?;
            Ok(String::new())
        }
        Command::Format => {
            let Some(f) = args.first() else {
                return Ok(format!("format {:?}", s.format).to_lowercase());
            };
            use clap::ValueEnum;
            s.format = crate::render::Format::from_str(f, true).map_err(|_| {
                Error::new("CommandError", format!("unknown format '{f}'"))
                    .with_hint("formats: table repr json csv")
            })?;
            Ok(String::new())
        }
        Command::Sql => {
            s.sql = switch(name, args, s.sql)?;
            db.set_trace(s.sql);
            Ok(String::new())
        }
        Command::Timer => {
            s.timer = switch(name, args, s.timer)?;
            Ok(String::new())
        }
        Command::Pager => {
            s.pager = switch(name, args, s.pager)?;
            Ok(String::new())
        }
        Command::Models => Ok(crate::render::describe::models(registry, &|id| {
            row_count(registry, db, id)
        })),
        Command::Schema => match args.first() {
            Some(model) => schema(registry, model),
            None => Ok(registry
                .models
                .iter()
                .enumerate()
                .filter(|(_, m)| !m.auto_created)
                .map(|(id, _)| crate::render::describe::model(registry, id))
                .collect::<Vec<_>>()
                .join("\n\n")),
        },
        Command::Read | Command::Quit => Err(Error::new(
            "CommandError",
            format!("'{name}' is run by the session"),
        )),
    }
}

/// `on` or `off` (nothing: flip it).
fn switch(name: &str, args: &[&str], now: bool) -> Result<bool> {
    match args.first() {
        None => Ok(!now),
        Some(&"on") => Ok(true),
        Some(&"off") => Ok(false),
        Some(other) => Err(Error::new(
            "CommandError",
            format!("'{name}' takes 'on' or 'off', not '{other}'"),
        )),
    }
}

/// A table's rows, counted by the query compiler as `Model.objects.count()`
/// would; a table still waiting to be made has none.
fn row_count(registry: &Registry, db: &Database, model: ModelId) -> String {
    if db.table_is_pending(&registry.model(model).db_table) {
        return "0".to_string();
    }
    let qs = crate::query::QuerySet::new(model);
    let counted = compile(registry, &qs, Select::Count).and_then(|c| db.scalar(&c));
    match counted {
        Ok(n) => n.to_string(),
        Err(_) => "no table".to_string(),
    }
}

fn schema(registry: &Registry, name: &str) -> Result<String> {
    match registry.find(name) {
        Some(id) => Ok(crate::render::describe::model(registry, id)),
        None => {
            let names: Vec<&str> = registry
                .models
                .iter()
                .filter(|m| !m.auto_created)
                .map(|m| m.name.as_str())
                .collect();
            let mut e = Error::new("LookupError", format!("no model named '{name}'"));
            if let Some(near) = crate::suggest::nearest(name, names.iter().copied()) {
                e = e.with_hint(format!("did you mean '{near}'?"));
            }
            Err(e)
        }
    }
}
