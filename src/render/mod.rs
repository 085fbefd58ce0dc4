//! Values and errors to text: `--format repr` as the Python console prints
//! them, JSON and CSV for scripts, and the default format for people.
//!
//! Renderers write to any `io::Write`, so tests render into a `Vec<u8>`.

pub mod describe;
pub mod error;
mod json;
pub mod pager;
mod stream;
pub mod table;

use crate::engine::{Console, Interp, Value};
use crate::error::{Error, Result};
use crate::schema::ModelId;
use std::io::Write;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people: tables of querysets, plain values as the console shows them.
    Table,
    /// Exactly what Django's shell prints.
    Repr,
    /// One JSON document per result, one per line.
    Json,
    /// A header row and rows.
    Csv,
}

/// What a session's output looks like now; dot-commands change it.
#[derive(Clone, Debug)]
pub struct Settings {
    pub format: Format,
    pub color: bool,
    /// The terminal's width, for tables; None for a pipe.
    pub width: Option<u16>,
    /// Rows a table shows at most (`.limit N`; 0 is all).
    pub limit: usize,
    /// `.sql on`: each SQL statement and its time, on stderr.
    pub sql: bool,
    /// `.timer on`: each statement's wall time, on stderr.
    pub timer: bool,
    /// `.pager off` turns paging of long interactive output off.
    pub pager: bool,
}

impl Settings {
    pub fn new(format: Format, color: bool, width: Option<u16>) -> Self {
        Settings {
            format,
            color,
            width,
            limit: 20,
            sql: false,
            timer: false,
            pager: true,
        }
    }
}

pub type SharedSettings = std::rc::Rc<std::cell::RefCell<Settings>>;

/// The console a session prints to: `print()` text and each result in the
/// format the settings name.
pub struct Output<W: Write> {
    out: W,
    settings: SharedSettings,
    line_open: bool,
    /// What `help()` prints: the session's commands and examples.
    help: String,
}

impl<W: Write> Output<W> {
    pub fn new(out: W, settings: SharedSettings) -> Self {
        Output {
            out,
            settings,
            line_open: false,
            help: "Type what you would type in Django's `manage.py shell`.".to_string(),
        }
    }

    /// What `help()` without an argument prints.
    pub fn with_help(mut self, help: String) -> Self {
        self.help = help;
        self
    }

    fn write(&mut self, text: &str) -> Result<()> {
        if !text.is_empty() {
            self.line_open = !text.ends_with('\n');
        }
        self.out.write_all(text.as_bytes()).map_err(io_error)
    }
}

/// A failed write is an `OSError`; a closed pipe ends the program quietly
/// where the caller sees it.
pub fn io_error(e: std::io::Error) -> Error {
    Error::new("OSError", e.to_string())
}

impl<W: Write> Console for Output<W> {
    fn print(&mut self, text: &str) -> Result<()> {
        self.write(text)
    }

    fn help(&mut self, registry: &crate::schema::Registry, model: Option<ModelId>) -> Result<()> {
        let text = match model {
            Some(id) => describe::model(registry, id),
            None => self.help.clone(),
        };
        self.write(&format!("{text}\n"))
    }

    fn finish_line(&mut self) -> Result<()> {
        if self.line_open {
            self.write("\n")
        } else {
            Ok(())
        }
    }

    fn display(&mut self, interp: &mut Interp, value: &Value) -> Result<()> {
        let settings = self.settings.borrow().clone();
        match settings.format {
            Format::Repr => {
                let text = interp.repr_value(value)?;
                self.write(&text)?;
            }
            Format::Table => {
                let view = interp.py().view(value, settings.limit)?;
                let options = table::TableOptions {
                    color: settings.color,
                    width: settings.width,
                };
                self.write(&table::render_view(&view, &options))?;
            }
            Format::Json => stream::json(interp, value, &mut |t| self.write(t))?,
            Format::Csv => stream::csv(interp, value, &mut |t| self.write(t))?,
        }
        self.write("\n")?;
        self.out.flush().map_err(io_error)
    }
}
