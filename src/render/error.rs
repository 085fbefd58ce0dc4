//! Errors for people and for scripts.
//!
//! `--format repr` prints the one line Django's console prints
//! (`NameError: name 'x' is not defined`); the other formats also name the
//! line and column and put a caret under the span at fault.

use super::Format;
use crate::error::Error;
use crate::syntax::{line_at, line_col};
use nu_ansi_term::{Color, Style};

/// Where a statement came from: its text and the script line it starts on.
pub struct Source<'a> {
    pub text: &'a str,
    pub first_line: usize,
}

pub fn render(e: &Error, source: &Source, format: Format, color: bool) -> String {
    match format {
        Format::Repr => e.to_string(),
        Format::Json => render_json(e, source),
        Format::Table | Format::Csv => render_human(e, source, color),
    }
}

fn paint(color: bool, style: Style, text: &str) -> String {
    if color {
        style.paint(text).to_string()
    } else {
        text.to_string()
    }
}

fn render_human(e: &Error, source: &Source, color: bool) -> String {
    let mut out = paint(color, Color::Red.bold(), &e.to_string());
    if let Some(span) = e.span.filter(|s| s.start <= source.text.len()) {
        let (line, col) = line_col(source.text, span.start);
        let (text, line_start) = line_at(source.text, span.start);
        let number = (source.first_line + line - 1).to_string();
        let gutter = " ".repeat(number.len());
        let width = source.text[span.start..span.end.min(line_start + text.len()).max(span.start)]
            .chars()
            .count()
            .max(1);
        let caret = format!("{}{}", " ".repeat(col - 1), "^".repeat(width));
        let label = e
            .label
            .as_deref()
            .map(|l| format!(" {l}"))
            .unwrap_or_default();
        out.push_str(&format!(
            "\n{gutter}--> line {number}, column {col}\n{gutter} |\n{number} | {text}\n{gutter} | "
        ));
        out.push_str(&paint(color, Color::Red.bold(), &format!("{caret}{label}")));
    }
    for hint in &e.hints {
        out.push_str(&format!("\n  = hint: {hint}"));
    }
    out
}

fn render_json(e: &Error, source: &Source) -> String {
    let line = e
        .span
        .map(|s| source.first_line + line_col(source.text, s.start).0 - 1)
        .unwrap_or(source.first_line);
    let esc = |s: &str| super::json::to_json(&crate::engine::Value::str(s));
    format!(
        "{{\"error\":{},\"message\":{},\"line\":{line}}}",
        esc(&e.kind),
        esc(&e.message)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::Span;

    #[test]
    fn human_errors_show_line_column_and_caret() {
        let e = Error::new("NameError", "name 'bok' is not defined")
            .at(Span::new(6, 9))
            .with_hint("did you mean 'book'?");
        let text = render(
            &e,
            &Source {
                text: "x = 1\nbok.title",
                first_line: 10,
            },
            Format::Table,
            false,
        );
        assert_eq!(
            text,
            "NameError: name 'bok' is not defined\n  --> line 11, column 1\n   |\n11 | bok.title\n   | ^^^\n  = hint: did you mean 'book'?"
        );
    }

    #[test]
    fn repr_errors_are_one_line() {
        let e = Error::syntax("invalid syntax", Span::new(0, 1));
        assert_eq!(
            render(
                &e,
                &Source {
                    text: "?",
                    first_line: 1
                },
                Format::Repr,
                false
            ),
            "SyntaxError: invalid syntax"
        );
    }
}
