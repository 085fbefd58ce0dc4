//! One user session: runs statements and reports their outcome.
//!
//! A statement is echoed (with `--echo`), parsed, run by the engine, and any
//! error is rendered once stdout has been flushed, so that `2>&1` keeps the
//! order of the Python console.

use crate::commands::Command;
use crate::db::Database;
use crate::engine::Interp;
use crate::error::Error;
use crate::render::error::{Source, render};
use crate::render::{Format, Output, Settings, SharedSettings};
use crate::schema::Registry;
use crate::syntax;
use crate::syntax::splitter::Statement;
use std::io::Write;

mod script;
pub use script::run_script;
use std::rc::Rc;

pub struct Options {
    pub format: Format,
    pub echo: bool,
    pub bail: bool,
    pub color: bool,
    /// The terminal's width, for tables (None: no limit).
    pub width: Option<u16>,
    /// `--sql`, `--timer`: as `.sql on`, `.timer on`.
    pub sql: bool,
    pub timer: bool,
    /// At a terminal: long output is paged.
    pub interactive: bool,
    /// `-c CODE` is one cell: only its top-level expression statements
    /// print, not those inside a block (the console prints both).
    pub cell: bool,
    /// `--verbose`: every problem of installed packages' modules is shown.
    pub verbose: bool,
}

/// Why a session stops before its input ends.
#[derive(Debug)]
pub enum Stop {
    /// `--bail` and a statement failed.
    Bailed,
    /// The reader of stdout went away (`| head`): end quietly.
    BrokenPipe,
    /// Input could not be read.
    Fatal(String),
    /// `.quit`.
    Quit,
    /// `exit(code)`, `quit()`: Python's SystemExit, with its exit status.
    Exit(u8),
}

/// How many `.read` files may be open within one another.
const MAX_READ_DEPTH: usize = 32;

/// The largest script `.read` or `-f` takes: more is not a script a person
/// wrote (`.read /dev/zero`).
pub const MAX_SCRIPT_BYTES: u64 = 64 << 20;

/// A script's text, refused when it is not text or too large to be one.
pub fn read_script(path: &std::path::Path) -> Result<String, String> {
    use std::io::Read;
    let shown = path.display();
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read '{shown}': {e}"))?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(format!("cannot read '{shown}': it is a directory"));
    }
    let mut bytes = Vec::new();
    file.take(MAX_SCRIPT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read '{shown}': {e}"))?;
    if bytes.len() as u64 > MAX_SCRIPT_BYTES {
        return Err(format!(
            "cannot read '{shown}': it is larger than {} MiB, too large for a script",
            MAX_SCRIPT_BYTES >> 20
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "cannot read '{shown}': it is not UTF-8 text (byte {} is not)",
            e.utf8_error().valid_up_to()
        )
    })
}

pub struct Session {
    /// `.read` files being run, one within another.
    reading: usize,
    /// Held while a statement runs at the prompt, for the pager.
    stdout: crate::render::pager::PagedStdout,
    interp: Interp,
    options: Options,
    settings: SharedSettings,
    db: Rc<Database>,
    registry: Rc<Registry>,
}

impl Session {
    pub fn new(options: Options, db: Database, registry: Registry) -> Self {
        let settings = Rc::new(std::cell::RefCell::new(Settings::new(
            options.format,
            options.color,
            options.width,
        )));
        {
            let mut s = settings.borrow_mut();
            s.sql = options.sql;
            s.timer = options.timer;
        }
        let stdout = crate::render::pager::PagedStdout::default();
        let output =
            Output::new(stdout.clone(), settings.clone()).with_help(crate::commands::help_text());
        let registry = Rc::new(registry);
        let db = Rc::new(db);
        let mut interp = Interp::new(Box::new(output));
        interp.bind_models(registry.clone());
        interp.set_database(db.clone());
        interp.display_nested = !options.cell;
        db.set_trace(options.sql);
        Session {
            reading: 0,
            stdout,
            interp,
            options,
            settings,
            db,
            registry,
        }
    }

    /// Runs one statement; returns whether it succeeded.
    pub fn run(&mut self, statement: &Statement) -> Result<bool, Stop> {
        let start = std::time::Instant::now();
        if self.options.interactive {
            // The terminal may have been resized since the last statement.
            if let Ok((w, _)) = crossterm::terminal::size() {
                self.settings.borrow_mut().width = Some(w);
            }
        }
        let paged = self.options.interactive && self.settings.borrow().pager;
        if paged {
            self.stdout.hold();
        }
        let outcome = self.run_statement(statement);
        if paged {
            let rows = crossterm::terminal::size().ok().map(|(_, h)| h);
            self.stdout.release(rows).map_err(stop_on_write)?;
        }
        if self.settings.borrow().timer {
            eprintln!("Time: {:.3} ms", start.elapsed().as_secs_f64() * 1000.0);
        }
        outcome
    }

    fn run_statement(&mut self, statement: &Statement) -> Result<bool, Stop> {
        let source = statement.source();
        if source.trim_start().starts_with('.') {
            return self.command(&source, statement.first_line);
        }
        let parsed = syntax::parse_input(&source);
        if self.options.echo {
            self.echo(&statement.echo_lines(parsed.is_ok()))?;
        }
        let mut result = parsed.and_then(|stmts| self.interp.run(&stmts));
        if self.options.echo {
            result = result.and_then(|()| self.interp.finish_line());
        }
        self.print_warnings();
        self.print_source_diagnostics();
        let Err(e) = result else { return Ok(true) };
        if e.kind == "OSError" && e.message.contains("Broken pipe") {
            return Err(Stop::BrokenPipe);
        }
        if e.kind == "SystemExit" {
            return Err(self.exit(&e.message));
        }
        self.report(&e, &source, statement.first_line)?;
        if self.options.bail {
            return Err(Stop::Bailed);
        }
        Ok(false)
    }

    fn command(&mut self, source: &str, first_line: usize) -> Result<bool, Stop> {
        if self.options.echo {
            self.echo(&[source.trim_end()])?;
        }
        let (command, args) = match crate::commands::parse(source) {
            Ok(parsed) => parsed,
            Err(e) => {
                self.report(&e, source, first_line)?;
                return Ok(false);
            }
        };
        match command {
            Command::Quit => return Err(Stop::Quit),
            Command::Read => return self.read(args.first().copied(), source, first_line),
            _ => {}
        }
        match crate::commands::run(command, &args, &self.registry, &self.db, &self.settings) {
            Ok(text) if text.is_empty() => Ok(true),
            Ok(text) => {
                writeln!(self.stdout, "{text}").map_err(stop_on_write)?;
                Ok(true)
            }
            Err(e) => {
                self.report(&e, source, first_line)?;
                Ok(false)
            }
        }
    }

    /// `.read FILE`: the file's statements, run as if typed, at most
    /// `MAX_READ_DEPTH` files within one another.
    fn read(&mut self, path: Option<&str>, source: &str, first_line: usize) -> Result<bool, Stop> {
        let Some(path) = path else {
            let e = Error::new("CommandError", "'.read' takes a file to run");
            self.report(&e, source, first_line)?;
            return Ok(false);
        };
        if self.reading >= MAX_READ_DEPTH {
            let e = Error::new(
                "CommandError",
                format!(
                    "'.read' nested too deeply ({MAX_READ_DEPTH} files, each read by the one before): does '{path}' read itself?"
                ),
            );
            self.report(&e, source, first_line)?;
            return Ok(false);
        }
        match read_script(std::path::Path::new(path)) {
            Ok(text) => {
                self.reading += 1;
                let outcome = run_script(self, text.as_bytes());
                self.reading -= 1;
                outcome
            }
            Err(message) => {
                let e = Error::new("OSError", message);
                self.report(&e, source, first_line)?;
                Ok(false)
            }
        }
    }

    /// SystemExit's status: none is 0, an integer is itself, any other
    /// value is printed to stderr and is 1, as Python's interpreter does.
    fn exit(&mut self, code: &str) -> Stop {
        let _ = self.stdout.release(None);
        let _ = std::io::stdout().flush();
        match code.parse::<i64>() {
            _ if code.is_empty() => Stop::Exit(0),
            Ok(n) => Stop::Exit(n as u8),
            Err(_) => {
                eprintln!("{code}");
                Stop::Exit(1)
            }
        }
    }

    /// Django's warnings (a naive datetime in a filter…), on stderr as
    /// Python's `warnings` module prints them; `--format repr` keeps to
    /// what the statement itself prints, as Django's transcripts do.
    /// What the project's modules imported so far could not run (at
    /// start-up, a models module's imports; at the prompt, a module the
    /// statement imported): on stderr, each with its file and line.
    pub fn print_source_diagnostics(&mut self) {
        let diagnostics = self.interp.take_source_diagnostics();
        if diagnostics.is_empty() {
            return;
        }
        let _ = self.stdout.release(None);
        let _ = std::io::stdout().flush();
        let verbose = self.options.verbose;
        for line in crate::render::error::render_diagnostics(&diagnostics, false, verbose, false) {
            eprintln!("{line}");
        }
    }

    fn print_warnings(&mut self) {
        let warnings = crate::settings::take_warnings();
        if warnings.is_empty() || self.options.format == Format::Repr {
            return;
        }
        let _ = self.stdout.release(None);
        let _ = std::io::stdout().flush();
        for w in warnings {
            eprintln!("{w}");
        }
    }

    pub fn registry(&self) -> Rc<Registry> {
        self.registry.clone()
    }

    pub fn database(&self) -> Rc<Database> {
        self.db.clone()
    }

    /// The names bound at the prompt (models, variables, builtins), for
    /// completion and highlighting.
    pub fn names(&self) -> std::collections::HashMap<String, crate::engine::NameKind> {
        let mut names: std::collections::HashMap<_, _> =
            self.interp.name_kinds().into_iter().collect();
        for b in crate::engine::builtin_names() {
            names
                .entry(b.to_string())
                .or_insert(crate::engine::NameKind::Other);
        }
        names
    }

    fn echo(&mut self, lines: &[&str]) -> Result<(), Stop> {
        let mut out = std::io::stdout().lock();
        for (i, line) in lines.iter().enumerate() {
            let prompt = if i == 0 { ">>> " } else { "... " };
            writeln!(out, "{prompt}{line}").map_err(stop_on_write)?;
        }
        Ok(())
    }

    fn report(&mut self, e: &Error, source: &str, first_line: usize) -> Result<(), Stop> {
        if self.options.echo {
            let _ = self.interp.finish_line();
        }
        // What the statement printed before it failed comes first.
        self.stdout.release(None).map_err(stop_on_write)?;
        std::io::stdout().flush().map_err(stop_on_write)?;
        let text = render(
            e,
            &Source {
                text: source,
                first_line,
            },
            self.options.format,
            self.options.color,
        );
        let mut err = std::io::stderr().lock();
        writeln!(err, "{text}").map_err(stop_on_write)?;
        err.flush().map_err(stop_on_write)
    }
}

fn stop_on_write(e: std::io::Error) -> Stop {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Stop::BrokenPipe
    } else {
        Stop::Fatal(e.to_string())
    }
}
