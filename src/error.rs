//! The one error type of ormsh.
//!
//! Every stage reports failures as an [`Error`]: a Python exception name
//! (`NameError`, `SyntaxError`, later `Book.DoesNotExist`), Python's message,
//! the span of the source at fault and hints for people. Errors are only
//! rendered at the edge (`render::error`), once for `--format repr` (one line,
//! as the Python console prints it) and once for people (with a caret).

use crate::span::Span;
use std::fmt;

#[derive(Clone, Debug, PartialEq)]
pub struct Error {
    /// The qualified name of the Python exception, e.g. `TypeError`.
    pub kind: String,
    pub message: String,
    pub span: Option<Span>,
    /// Said under the caret, in human formats only ("expected an expression").
    pub label: Option<Box<str>>,
    /// Extra lines for people ("did you mean 'name'?").
    pub hints: Vec<String>,
    /// The exception object a `raise` statement raised, so that `except …
    /// as e` binds that very object (its `args`), not one remade from text.
    pub payload: Option<Payload>,
}

/// An engine value carried by an error; errors compare equal whatever it is.
/// (A thin pointer, so that every `Result` stays small.)
#[derive(Clone)]
pub struct Payload(pub std::rc::Rc<Box<dyn std::any::Any>>);

impl fmt::Debug for Payload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Payload")
    }
}

impl PartialEq for Payload {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: impl Into<String>, message: impl Into<String>) -> Self {
        Error {
            kind: kind.into(),
            message: message.into(),
            span: None,
            label: None,
            hints: Vec::new(),
            payload: None,
        }
    }

    pub fn syntax(message: impl Into<String>, span: Span) -> Self {
        Error::new("SyntaxError", message).at(span)
    }

    pub fn type_error(message: impl Into<String>) -> Self {
        Error::new("TypeError", message)
    }

    pub fn value_error(message: impl Into<String>) -> Self {
        Error::new("ValueError", message)
    }

    /// Points the error at `span` unless a more precise place is known already.
    pub fn at(mut self, span: Span) -> Self {
        self.span.get_or_insert(span);
        self
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into().into_boxed_str());
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // As Django's oracle prints an exception: `Kind: message`, trimmed.
        write!(
            f,
            "{}",
            format!("{}: {}", self.kind, self.message).trim_end()
        )
    }
}

impl std::error::Error for Error {}
