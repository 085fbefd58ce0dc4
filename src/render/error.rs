//! Errors for people and for scripts.
//!
//! `--format repr` prints the one line Django's console prints
//! (`NameError: name 'x' is not defined`); the other formats also name the
//! line and column and put a caret under the span at fault.

use super::Format;
use crate::error::Error;
use crate::schema::{Diagnostic, Severity};
use crate::syntax::{Span, floor_char_boundary, line_at, line_col};
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
    // A cancelled statement has no place to point at.
    let span = e.span.filter(|_| e.kind != "KeyboardInterrupt");
    if let Some(span) = span.filter(|s| s.start <= source.text.len()) {
        let place = format!(
            "line {}, column {}",
            source.first_line + line_col(source.text, span.start).0 - 1,
            line_col(source.text, span.start).1
        );
        out.push('\n');
        out.push_str(&snippet(source, span, &place, e.label.as_deref(), color));
    }
    for hint in &e.hints {
        out.push_str(&format!("\n  = hint: {hint}"));
    }
    out
}

/// The place, the line of source and a caret under `span`:
///
/// ```text
///   --> line 11, column 1
///    |
/// 11 | bok.title
///    | ^^^ label
/// ```
pub fn snippet(
    source: &Source,
    span: Span,
    place: &str,
    label: Option<&str>,
    color: bool,
) -> String {
    let (line, col) = line_col(source.text, span.start);
    let (text, line_start) = line_at(source.text, span.start);
    let number = (source.first_line + line - 1).to_string();
    let gutter = " ".repeat(number.len());
    let start = floor_char_boundary(source.text, span.start.min(source.text.len()));
    let end = floor_char_boundary(source.text, span.end.min(line_start + text.len())).max(start);
    let width = source.text[start..end].chars().count().max(1);
    let caret = format!("{}{}", " ".repeat(col - 1), "^".repeat(width));
    let label = label.map(|l| format!(" {l}")).unwrap_or_default();
    format!(
        "{gutter}--> {place}\n{gutter} |\n{number} | {text}\n{gutter} | {}",
        paint(color, Color::Red.bold(), &format!("{caret}{label}"))
    )
}

/// What start-up prints of the problems met: each as `render_diagnostic`
/// does, but those of installed packages' modules (under `site-packages`,
/// which the user cannot change) counted per package in one note, unless
/// `verbose`; `keep_errors`: a models module's errors (a model or field
/// left out) are shown wherever they are.
pub fn render_diagnostics(
    ds: &[Diagnostic],
    color: bool,
    verbose: bool,
    keep_errors: bool,
) -> Vec<String> {
    let mut out = Vec::new();
    let mut counted: Vec<(String, usize)> = Vec::new();
    for d in ds {
        let package = d.file.as_deref().and_then(installed_package);
        match package {
            Some(p) if !(verbose || keep_errors && d.severity == Severity::Error) => {
                match counted.iter_mut().find(|(n, _)| *n == p) {
                    Some((_, n)) => *n += 1,
                    None => counted.push((p, 1)),
                }
            }
            _ => out.push(render_diagnostic(d, color)),
        }
    }
    if !counted.is_empty() {
        counted.sort_by_key(|c| std::cmp::Reverse(c.1));
        let total: usize = counted.iter().map(|(_, n)| n).sum();
        let list: Vec<String> = counted.iter().map(|(p, n)| format!("{p} {n}")).collect();
        let what = if keep_errors {
            "warnings about installed packages' models"
        } else {
            "statements of installed packages' modules ormsh could not run (what they define is missing)"
        };
        out.push(format!(
            "note: {total} {what}: {}; --verbose shows each",
            list.join(", ")
        ));
    }
    out
}

/// The top-level package of a file under `site-packages` (or
/// `dist-packages`).
fn installed_package(file: &std::path::Path) -> Option<String> {
    let mut parts = file.components().map(|c| c.as_os_str().to_string_lossy());
    parts.find(|c| c == "site-packages" || c == "dist-packages")?;
    let first = parts.next()?;
    Some(first.trim_end_matches(".py").to_string())
}

/// A models.py problem: `warning: …` or `error: …`, file:line:col, the line
/// and a caret, and the hint.
pub fn render_diagnostic(d: &Diagnostic, color: bool) -> String {
    let (kind, style) = match d.severity {
        Severity::Error => ("error", Color::Red.bold()),
        Severity::Warning => ("warning", Color::Yellow.bold()),
    };
    let (line, col) = line_col(&d.source, d.span.start);
    let file = d
        .file
        .as_ref()
        .map_or("models.py".to_string(), |f| f.display().to_string());
    let place = format!("{file}:{line}:{col}");
    let source = Source {
        text: &d.source,
        first_line: 1,
    };
    let mut out = format!("{}: {}\n", paint(color, style, kind), d.message);
    out.push_str(&snippet(&source, d.span, &place, None, color));
    if let Some(hint) = &d.hint {
        out.push_str(&format!("\n  = hint: {hint}"));
    }
    out
}

fn render_json(e: &Error, source: &Source) -> String {
    let line = e
        .span
        .map(|s| source.first_line + line_col(source.text, s.start).0 - 1)
        .unwrap_or(source.first_line);
    let esc = |s: &str| {
        let mut out = String::new();
        super::json::write_str(s, &mut out);
        out
    };
    format!(
        "{{\"error\":{},\"message\":{},\"line\":{line}}}",
        esc(&e.kind),
        esc(&e.message)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn carets_stand_under_whole_characters() {
        let text = "Book.objects.filter(title=“Dune”)";
        let at = text.find('“').unwrap();
        // A span that ends inside the three bytes of '“'.
        let e = Error::syntax("invalid character '“' (U+201C)", Span::new(at, at + 1));
        let source = Source {
            text,
            first_line: 1,
        };
        for format in [Format::Table, Format::Csv, Format::Json] {
            render(&e, &source, format, false);
        }
        let human = render(&e, &source, Format::Table, false);
        assert!(human.contains("line 1, column 27"), "{human}");
        assert!(
            human.ends_with(&format!("| {}^", " ".repeat(26))),
            "{human}"
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
