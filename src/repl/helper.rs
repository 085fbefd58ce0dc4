//! The line editor's helper: completion (`complete.rs`), a dim hint with
//! the rest of a unique completion, colours from the grammar's own tokens
//! (keywords, strings, numbers, model names, unknown names flagged, the
//! bracket matching the one at the cursor), and the validator that keeps a
//! multi-line buffer open until the statement is complete.

use super::complete::{Context, complete};
use crate::engine::NameKind;
use crate::schema::Registry;
use crate::syntax::{Completeness, TokenKind, completeness, tokens};
use nu_ansi_term::{Color, Style};
use rustyline::completion::Completer;
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::Hinter;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context as LineContext, Helper};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

pub struct ShellHelper {
    pub registry: Rc<Registry>,
    /// The names bound at the prompt, refreshed after each statement.
    pub names: Rc<RefCell<HashMap<String, NameKind>>>,
    pub color: bool,
}

impl ShellHelper {
    fn candidates(&self, line: &str, pos: usize) -> (usize, Vec<String>) {
        let names = self.names.borrow();
        let ctx = Context {
            registry: &self.registry,
            names: &names,
        };
        complete(line, pos, &ctx)
    }
}

impl Completer for ShellHelper {
    type Candidate = String;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _: &LineContext<'_>,
    ) -> rustyline::Result<(usize, Vec<String>)> {
        Ok(self.candidates(line, pos))
    }
}

impl Hinter for ShellHelper {
    type Hint = String;

    fn hint(&self, line: &str, pos: usize, _: &LineContext<'_>) -> Option<String> {
        if pos < line.len() || line.trim().is_empty() {
            return None;
        }
        let (start, candidates) = self.candidates(line, pos);
        let typed = &line[start..pos];
        match candidates.as_slice() {
            [only] if only.len() > typed.len() && only.starts_with(typed) && !typed.is_empty() => {
                Some(only[typed.len()..].to_string())
            }
            _ => None,
        }
    }
}

impl Highlighter for ShellHelper {
    fn highlight<'l>(&self, line: &'l str, pos: usize) -> Cow<'l, str> {
        if !self.color || line.starts_with('.') {
            return Cow::Borrowed(line);
        }
        Cow::Owned(self.paint(line, pos))
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if self.color {
            Cow::Owned(Style::new().dimmed().paint(hint).to_string())
        } else {
            Cow::Borrowed(hint)
        }
    }

    fn highlight_char(&self, _line: &str, _pos: usize, _kind: CmdKind) -> bool {
        self.color
    }
}

impl ShellHelper {
    /// The line in colour; the bracket at (or just before) the cursor and
    /// its partner in bold.
    fn paint(&self, line: &str, pos: usize) -> String {
        let toks = tokens(line);
        let matched = matching_brackets(&toks, pos);
        let names = self.names.borrow();
        // Names bound by this very line (`for b in …`, `x = …`) are known.
        let bound = bound_here(line, &toks);
        let mut out = String::new();
        for (i, (kind, span)) in toks.iter().enumerate() {
            let text = &line[span.start..span.end];
            let after_dot = i > 0 && line[..span.start].trim_end().ends_with('.');
            let style = match kind {
                TokenKind::Keyword => Some(Color::Magenta.bold()),
                TokenKind::String => Some(Style::new().fg(Color::Green)),
                TokenKind::Number => Some(Style::new().fg(Color::Cyan)),
                TokenKind::Comment => Some(Style::new().dimmed()),
                TokenKind::Name if after_dot => None,
                TokenKind::Name => match names.get(text) {
                    Some(NameKind::Model(_)) => Some(Color::Yellow.bold()),
                    Some(_) => None,
                    None if bound.contains(&text)
                        || is_keyword_arg(line, span.end)
                        || super::complete::in_field_call(&line[..span.start]) =>
                    {
                        None
                    }
                    // Not bound anywhere: flagged.
                    None => Some(Style::new().fg(Color::Red).underline()),
                },
                TokenKind::Open | TokenKind::Close if matched.contains(&span.start) => {
                    Some(Style::new().bold().reverse())
                }
                _ => None,
            };
            match style {
                Some(s) => out.push_str(&s.paint(text).to_string()),
                None => out.push_str(text),
            }
        }
        out
    }
}

/// `name=` in a call: a keyword argument, not a name to look up.
fn is_keyword_arg(line: &str, end: usize) -> bool {
    let rest = line[end..].trim_start();
    rest.starts_with('=') && !rest.starts_with("==")
}

/// The names a line binds: assignment targets and loop variables.
fn bound_here<'a>(line: &'a str, toks: &[(TokenKind, crate::syntax::Span)]) -> Vec<&'a str> {
    let mut out = Vec::new();
    for (i, (kind, span)) in toks.iter().enumerate() {
        if *kind != TokenKind::Name {
            continue;
        }
        let text = &line[span.start..span.end];
        let previous = toks[..i]
            .iter()
            .rev()
            .find(|(k, _)| *k != TokenKind::Space)
            .map(|(_, s)| &line[s.start..s.end]);
        let assigned = is_keyword_arg(line, span.end) && line[..span.start].trim().is_empty();
        if assigned
            || matches!(
                previous,
                Some("for" | "as" | "import" | "def" | "lambda" | ",")
            )
        {
            out.push(text);
        }
    }
    out
}

/// The bracket at the cursor (or just before it) and the one it pairs with.
fn matching_brackets(toks: &[(TokenKind, crate::syntax::Span)], pos: usize) -> Vec<usize> {
    let brackets: Vec<(TokenKind, usize)> = toks
        .iter()
        .filter(|(k, _)| matches!(k, TokenKind::Open | TokenKind::Close))
        .map(|(k, s)| (*k, s.start))
        .collect();
    let at = brackets
        .iter()
        .position(|(_, p)| *p == pos)
        .or_else(|| brackets.iter().position(|(_, p)| *p + 1 == pos));
    let Some(i) = at else {
        return Vec::new();
    };
    let mut depth = 0i32;
    match brackets[i].0 {
        TokenKind::Open => {
            for (k, p) in &brackets[i..] {
                depth += if *k == TokenKind::Open { 1 } else { -1 };
                if depth == 0 {
                    return vec![brackets[i].1, *p];
                }
            }
        }
        _ => {
            for (k, p) in brackets[..=i].iter().rev() {
                depth += if *k == TokenKind::Close { 1 } else { -1 };
                if depth == 0 {
                    return vec![*p, brackets[i].1];
                }
            }
        }
    }
    Vec::new()
}

impl Validator for ShellHelper {
    /// A buffer of several lines (a paste, a statement recalled from
    /// history) stays open until it is a complete statement; single lines
    /// go to the console's own `... ` continuation.
    fn validate(&self, ctx: &mut ValidationContext) -> rustyline::Result<ValidationResult> {
        let input = ctx.input();
        if !input.contains('\n') {
            return Ok(ValidationResult::Valid(None));
        }
        Ok(match completeness(input) {
            Completeness::Incomplete => ValidationResult::Incomplete,
            _ => ValidationResult::Valid(None),
        })
    }
}

impl Helper for ShellHelper {}
