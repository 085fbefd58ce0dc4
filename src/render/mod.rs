//! Values and errors to text: `--format repr` as the Python console prints
//! them, JSON and CSV for scripts, and the default format for people.
//!
//! Renderers write to any `io::Write`, so tests render into a `Vec<u8>`.

pub mod error;
mod json;

pub use json::{json_text, parse_json};

use crate::engine::{Console, Interp, Value, repr};
use crate::error::{Error, Result};
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

/// The console a session prints to: `print()` text and each result in the
/// chosen format.
pub struct Output<W: Write> {
    out: W,
    format: Format,
    line_open: bool,
}

impl<W: Write> Output<W> {
    pub fn new(out: W, format: Format) -> Self {
        Output {
            out,
            format,
            line_open: false,
        }
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

    fn finish_line(&mut self) -> Result<()> {
        if self.line_open {
            self.write("\n")
        } else {
            Ok(())
        }
    }

    fn display(&mut self, interp: &mut Interp, value: &Value) -> Result<()> {
        let text = match self.format {
            Format::Table | Format::Repr => interp.repr_value(value)?,
            Format::Json => json::to_json(value),
            Format::Csv => csv_lines(value),
        };
        self.write(&text)?;
        self.write("\n")
    }
}

/// Plain values as CSV: a list of rows (tuples or lists) as rows, anything
/// else as one cell.
fn csv_lines(value: &Value) -> String {
    let row = |v: &Value| -> String {
        match v {
            Value::Tuple(items) => items.iter().map(csv_cell).collect::<Vec<_>>().join(","),
            Value::List(items) => items
                .borrow()
                .iter()
                .map(csv_cell)
                .collect::<Vec<_>>()
                .join(","),
            other => csv_cell(other),
        }
    };
    match value {
        Value::List(items) => items
            .borrow()
            .iter()
            .map(row)
            .collect::<Vec<_>>()
            .join("\n"),
        other => row(other),
    }
}

fn csv_cell(v: &Value) -> String {
    let text = match v {
        Value::None => String::new(),
        other => repr::str(other),
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}
