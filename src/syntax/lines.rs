//! Physical lines to logical lines, and "is this statement complete?".
//!
//! Python joins the lines of a bracketed expression and those ending in a
//! backslash before parsing. [`join_lines`] does the same, replacing each
//! joining newline (and any comment inside brackets) by spaces so that every
//! byte offset, and so every span, stays valid in the original text.
//!
//! [`completeness`] mirrors `codeop.compile_command`, which the Python console
//! and Django's shell use: a statement continues while a bracket or a
//! triple-quoted string is open or a line ends in a backslash, and a compound
//! statement (`for`, `if`, `def`, a decorator…) continues until a blank line.
//! The REPL's validator and the script runner both decide with it.

use super::Span;
use crate::error::Error;

/// Python's own limit on nested brackets; it also bounds the parser's recursion.
pub const MAX_NESTING: usize = 200;

/// The outcome of scanning a buffer of lines.
#[derive(Debug)]
pub struct Scanned {
    /// The text with bracketed newlines and continuations blanked out.
    pub joined: String,
    /// Brackets still open at the end: (bracket, byte offset).
    pub open: Vec<(u8, usize)>,
    /// Byte offset of a triple-quoted string still open at the end.
    pub open_long_string: Option<usize>,
    /// The text ends with a backslash continuation.
    pub trailing_backslash: bool,
    /// The first error found (bracket mismatch, unterminated string).
    pub error: Option<Error>,
}

/// Joins physical lines into logical ones without moving any byte.
pub fn join_lines(src: &str) -> Scanned {
    Scanner {
        src: src.as_bytes(),
        out: src.as_bytes().to_vec(),
        pos: 0,
        open: Vec::new(),
    }
    .run()
}

struct Scanner<'a> {
    src: &'a [u8],
    out: Vec<u8>,
    pos: usize,
    open: Vec<(u8, usize)>,
}

impl Scanner<'_> {
    fn run(mut self) -> Scanned {
        let mut open_long_string = None;
        let mut trailing_backslash = false;
        let mut error = None;
        while self.pos < self.src.len() {
            let at = self.pos;
            match self.src[at] {
                b'#' => self.comment(),
                b'\'' | b'"' => match self.string() {
                    Ok(()) => {}
                    Err(StringEnd::OpenLong) => {
                        open_long_string = Some(at);
                        break;
                    }
                    Err(StringEnd::Unterminated(e)) => {
                        error = Some(e);
                        break;
                    }
                },
                b'(' | b'[' | b'{' => {
                    if self.open.len() >= MAX_NESTING {
                        error = Some(Error::syntax(
                            "too many nested parentheses",
                            Span::new(at, at + 1),
                        ));
                        break;
                    }
                    self.open.push((self.src[at], at));
                    self.pos += 1;
                }
                b')' | b']' | b'}' => {
                    if let Err(e) = self.close(at) {
                        error = Some(e);
                        break;
                    }
                    self.pos += 1;
                }
                b'\n' | b'\r' if !self.open.is_empty() => {
                    self.out[at] = b' ';
                    self.pos += 1;
                }
                b'\\' => {
                    let next = self.newline_len(at + 1);
                    if next > 0 {
                        self.blank(at, at + 1 + next);
                        self.pos = at + 1 + next;
                    } else if at + 1 == self.src.len() {
                        trailing_backslash = true;
                        self.pos += 1;
                    } else {
                        error = Some(Error::syntax(
                            "unexpected character after line continuation character",
                            Span::new(at, at + 1),
                        ));
                        break;
                    }
                }
                _ => self.pos += 1,
            }
        }
        Scanned {
            joined: String::from_utf8(self.out)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
            open: self.open,
            open_long_string,
            trailing_backslash,
            error,
        }
    }

    fn newline_len(&self, at: usize) -> usize {
        match (self.src.get(at), self.src.get(at + 1)) {
            (Some(b'\r'), Some(b'\n')) => 2,
            (Some(b'\n'), _) | (Some(b'\r'), _) => 1,
            _ => 0,
        }
    }

    fn blank(&mut self, from: usize, to: usize) {
        self.out[from..to].fill(b' ');
    }

    fn comment(&mut self) {
        let start = self.pos;
        while self.pos < self.src.len() && !matches!(self.src[self.pos], b'\n' | b'\r') {
            self.pos += 1;
        }
        // Inside brackets the comment would hide the rest of the expression
        // once the lines are joined; outside them the grammar skips it.
        if !self.open.is_empty() {
            self.blank(start, self.pos);
        }
    }

    fn close(&mut self, at: usize) -> Result<(), Error> {
        let closer = self.src[at] as char;
        match self.open.pop() {
            None => Err(Error::syntax(
                format!("unmatched '{closer}'"),
                Span::new(at, at + 1),
            )),
            Some((opener, opened_at)) if matching(opener) != self.src[at] => {
                let (open_line, _) =
                    crate::span::line_col(std::str::from_utf8(self.src).unwrap_or(""), opened_at);
                let (close_line, _) =
                    crate::span::line_col(std::str::from_utf8(self.src).unwrap_or(""), at);
                let on_line = if open_line == close_line {
                    String::new()
                } else {
                    format!(" on line {open_line}")
                };
                Err(Error::syntax(
                    format!(
                        "closing parenthesis '{closer}' does not match opening parenthesis '{}'{on_line}",
                        opener as char
                    ),
                    Span::new(at, at + 1),
                ))
            }
            Some(_) => Ok(()),
        }
    }

    /// Skips a string literal starting at a quote. Backslashes escape the next
    /// character even in raw strings, as in Python's tokenizer.
    fn string(&mut self) -> Result<(), StringEnd> {
        let start = self.pos;
        let quote = self.src[start];
        let long =
            self.src.get(start + 1) == Some(&quote) && self.src.get(start + 2) == Some(&quote);
        self.pos += if long { 3 } else { 1 };
        while self.pos < self.src.len() {
            let c = self.src[self.pos];
            if c == b'\\' {
                self.pos += 2;
            } else if long && self.src[self.pos..].starts_with(&[quote, quote, quote]) {
                self.pos += 3;
                return Ok(());
            } else if !long && c == quote {
                self.pos += 1;
                return Ok(());
            } else if !long && (c == b'\n' || c == b'\r') {
                return Err(StringEnd::Unterminated(
                    self.unterminated(start, "string literal"),
                ));
            } else {
                self.pos += 1;
            }
        }
        self.pos = self.src.len();
        if long {
            Err(StringEnd::OpenLong)
        } else {
            Err(StringEnd::Unterminated(
                self.unterminated(start, "string literal"),
            ))
        }
    }

    fn unterminated(&self, start: usize, what: &str) -> Error {
        let text = std::str::from_utf8(self.src).unwrap_or("");
        let (line, _) = crate::span::line_col(text, self.pos.min(text.len()));
        Error::syntax(
            format!("unterminated {what} (detected at line {line})"),
            Span::new(start, start + 1),
        )
    }
}

enum StringEnd {
    OpenLong,
    Unterminated(Error),
}

fn matching(open: u8) -> u8 {
    match open {
        b'(' => b')',
        b'[' => b']',
        _ => b'}',
    }
}

/// Whether a buffer of console lines is a whole statement yet.
#[derive(Debug, PartialEq, Eq)]
pub enum Completeness {
    /// Run it (or report its syntax error).
    Complete,
    /// Read another line first.
    Incomplete,
}

/// Decides, as the Python console does, whether `buffer` is a whole statement.
pub fn completeness(buffer: &str) -> Completeness {
    let scanned = join_lines(buffer);
    if scanned.error.is_some() {
        return Completeness::Complete;
    }
    let open = !scanned.open.is_empty()
        || scanned.open_long_string.is_some()
        || scanned.trailing_backslash;
    if !open && (!starts_block(buffer) || ends_with_blank_line(buffer)) {
        return Completeness::Complete;
    }
    match definite_error(buffer, &scanned) {
        Some(_) => Completeness::Complete,
        None => Completeness::Incomplete,
    }
}

/// The byte offset of an error in an unfinished statement that no further
/// line can mend, as `codeop` finds it: the console then reports the error
/// and reads the next line as a new statement.
pub fn first_definite_error(buffer: &str) -> Option<usize> {
    let scanned = join_lines(buffer);
    if let Some(e) = &scanned.error {
        return Some(e.span.map_or(buffer.len(), |s| s.start));
    }
    definite_error(buffer, &scanned)
}

fn definite_error(buffer: &str, scanned: &Scanned) -> Option<usize> {
    if scanned.open_long_string.is_some() || scanned.trailing_backslash {
        return None;
    }
    if !scanned.open.is_empty() {
        return super::open_statement_error(&scanned.joined);
    }
    if !starts_block(buffer) {
        return None;
    }
    // A block header that cannot become valid (`if x` without a colon) is
    // reported at once, as the console does; anything else waits for the
    // blank line that ends the block.
    match super::parse_statement(&format!("{buffer}\n")) {
        Err(e) if e.message == "expected ':'" => Some(e.span.map_or(0, |s| s.start)),
        Err(e)
            if e.span.is_some_and(|s| s.start < buffer.trim_end().len())
                && !e.message.starts_with("expected an indented block") =>
        {
            e.span.map(|s| s.start)
        }
        _ => None,
    }
}

/// Whether the first line of `buffer` opens a compound statement.
pub fn starts_block(buffer: &str) -> bool {
    let first = buffer
        .lines()
        .map(str::trim_start)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .unwrap_or("");
    if first.starts_with('@') {
        return true;
    }
    let word: String = first
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    matches!(
        word.as_str(),
        "if" | "for" | "while" | "def" | "class" | "try" | "with" | "async"
    )
}

/// The console joins its lines with '\n', so a blank line typed after a
/// block leaves the buffer ending in an empty (or blank) last line.
fn ends_with_blank_line(buffer: &str) -> bool {
    let mut lines = buffer.split('\n');
    let last = lines.next_back().unwrap_or("");
    lines.next().is_some() && last.trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::Completeness::*;
    use super::*;

    #[test]
    fn joining_keeps_offsets() {
        let s = join_lines("f(1,  # one\n  2)\nx");
        assert_eq!(s.joined, format!("f(1,{}2)\nx", " ".repeat(10)));
        assert!(s.error.is_none());
        assert_eq!(join_lines("a = 1 + \\\n 2").joined, "a = 1 +    2");
    }

    #[test]
    fn brackets_inside_strings_do_not_count() {
        let s = join_lines("x = '(' + \"[\" + '''\n)'''");
        assert!(s.open.is_empty() && s.error.is_none());
    }

    #[test]
    fn bracket_errors_use_pythons_messages() {
        assert_eq!(join_lines(")").error.unwrap().message, "unmatched ')'");
        assert_eq!(
            join_lines("(]").error.unwrap().message,
            "closing parenthesis ']' does not match opening parenthesis '('"
        );
        assert_eq!(
            join_lines("'abc").error.unwrap().message,
            "unterminated string literal (detected at line 1)"
        );
    }

    #[test]
    fn completeness_follows_the_console() {
        for (src, want) in [
            ("x = 1", Complete),
            ("f(", Incomplete),
            ("x = [1, 2", Incomplete),
            ("x = '''a", Incomplete),
            ("x = \\", Incomplete),
            ("if 1: pass", Incomplete),
            ("if 1:", Incomplete),
            ("if 1:\n  x", Incomplete),
            ("if 1:\n  x\n", Complete),
            ("for x in y:\n    print(x)\n\n", Complete),
            ("@dec", Incomplete),
            ("def f():", Incomplete),
            ("if x", Complete),
            ("'abc", Complete),
            (")", Complete),
            ("1 +* 2", Complete),
            ("print('start'\nx = 1", Complete),
            ("d = {\n'a': 1\n'b': 2", Complete),
            ("f(1,\n  2,", Incomplete),
        ] {
            assert_eq!(completeness(src), want, "{src:?}");
        }
    }
}
