//! Python's regular expressions on fancy-regex: the pattern syntax of
//! Python's `re` rewritten for the engine, so that the `re` module and the
//! `regex` lookups (Django's REGEXP function calls `re.search`) read a
//! pattern as Python does.
//!
//! The two dialects agree on most of a pattern; where they differ the
//! pattern is rewritten: `\Z`, `$` (which in Python also matches before a
//! final newline), a `{` that is not a repetition (a literal in Python),
//! `[`, `&`, `~` and `--` inside a class (set operators in Rust), octal and
//! `\x`/`\u` escapes, verbose mode (Python keeps whitespace inside a class)
//! and ASCII classes. The errors Python's parser reports are reported here,
//! with its messages and its positions (in characters).

use fancy_regex::{Regex, RegexBuilder};

mod groups;

pub const IGNORECASE: i64 = 2;
pub const LOCALE: i64 = 4;
pub const MULTILINE: i64 = 8;
pub const DOTALL: i64 = 16;
pub const UNICODE: i64 = 32;
pub const VERBOSE: i64 = 64;
pub const ASCII: i64 = 256;

/// How far a match may backtrack before it gives up (Python would run on).
pub const BACKTRACK_LIMIT: usize = 10_000_000;

/// A pattern ready for fancy-regex, with what Python's parser learned.
pub struct Translated {
    /// The pattern's body, without the global flags.
    pub body: String,
    /// Flags given and those the pattern sets with a leading `(?i)`.
    pub flags: i64,
    pub groups: usize,
    pub names: Vec<(String, usize)>,
}

/// Python's `re.error`: a message and the position it names.
#[derive(Debug)]
pub struct SyntaxError {
    pub msg: String,
    pub pos: usize,
    /// Python raises OverflowError for this one, not re.error.
    pub overflow: bool,
}

type Result<T> = std::result::Result<T, SyntaxError>;

pub fn translate(pattern: &str, flags: i64) -> Result<Translated> {
    let mut t = Translator {
        src: pattern.chars().collect(),
        i: 0,
        out: String::with_capacity(pattern.len() + 8),
        flags,
        groups: 0,
        names: Vec::new(),
        open: Vec::new(),
        repeatable: false,
    };
    t.global_flags()?;
    t.sequence()?;
    Ok(Translated {
        body: t.out,
        flags: t.flags,
        groups: t.groups,
        names: t.names,
    })
}

/// The engine's regex for a translated body; `not_empty` for one that
/// never matches the empty string.
pub fn build(
    body: &str,
    flags: i64,
    not_empty: bool,
) -> std::result::Result<Regex, fancy_regex::Error> {
    RegexBuilder::new(&format!("{}{body}", flag_prefix(flags)))
        .backtrack_limit(BACKTRACK_LIMIT)
        .find_not_empty(not_empty)
        .build()
}

/// A pattern as Python's `re.search(pattern, text)` reads it, or Python's
/// error message (for Django's REGEXP function).
pub fn search_regex(pattern: &str, flags: i64) -> std::result::Result<Regex, String> {
    let t = translate(pattern, flags).map_err(|e| format!("{} at position {}", e.msg, e.pos))?;
    build(&t.body, t.flags, false).map_err(|e| e.to_string())
}

/// The prefix that gives fancy-regex the flags it shares with Python.
fn flag_prefix(flags: i64) -> String {
    let mut f = String::new();
    if flags & IGNORECASE != 0 {
        f.push('i');
    }
    if flags & MULTILINE != 0 {
        f.push('m');
    }
    if flags & DOTALL != 0 {
        f.push('s');
    }
    if f.is_empty() { f } else { format!("(?{f})") }
}

struct Open {
    /// Where `(` is, for "missing ), unterminated subpattern".
    at: usize,
    /// Its group number, while the group is open (no backreference to it).
    group: Option<usize>,
    /// Whether `$` inside is multiline (`(?m:…)` sets it).
    multiline: bool,
}

struct Translator {
    src: Vec<char>,
    i: usize,
    out: String,
    flags: i64,
    groups: usize,
    names: Vec<(String, usize)>,
    open: Vec<Open>,
    /// Whether what was just written can take a repetition.
    repeatable: bool,
}

fn error<T>(msg: impl Into<String>, pos: usize) -> Result<T> {
    Err(SyntaxError {
        msg: msg.into(),
        pos,
        overflow: false,
    })
}

const FLAG_LETTERS: &str = "aiLmsux";

fn flag_bit(c: char) -> i64 {
    match c {
        'a' => ASCII,
        'i' => IGNORECASE,
        'L' => LOCALE,
        'm' => MULTILINE,
        's' => DOTALL,
        'u' => UNICODE,
        'x' => VERBOSE,
        _ => 0,
    }
}

impl Translator {
    fn peek(&self) -> Option<char> {
        self.src.get(self.i).copied()
    }

    fn peek_at(&self, k: usize) -> Option<char> {
        self.src.get(self.i + k).copied()
    }

    fn starts_with(&self, s: &str) -> bool {
        s.chars()
            .enumerate()
            .all(|(k, c)| self.peek_at(k) == Some(c))
    }

    fn multiline(&self) -> bool {
        self.open
            .last()
            .map_or(self.flags & MULTILINE != 0, |o| o.multiline)
    }

    /// `(?i)` and friends at the very start set the pattern's flags.
    fn global_flags(&mut self) -> Result<()> {
        while self.starts_with("(?") {
            let letters: String = self.src[self.i + 2..]
                .iter()
                .take_while(|c| FLAG_LETTERS.contains(**c))
                .collect();
            let close = self.i + 2 + letters.chars().count();
            if letters.is_empty() || self.src.get(close) != Some(&')') {
                return Ok(());
            }
            for c in letters.chars() {
                self.flags |= flag_bit(c);
            }
            self.i = close + 1;
        }
        if self.flags & ASCII != 0 && self.flags & UNICODE != 0 {
            return error("ASCII and UNICODE flags are incompatible", 0);
        }
        Ok(())
    }

    fn sequence(&mut self) -> Result<()> {
        while let Some(c) = self.peek() {
            let at = self.i;
            if self.flags & VERBOSE != 0 && self.skip_verbose(c) {
                continue;
            }
            self.i += 1;
            match c {
                '\\' => {
                    let piece = self.escape(at, false)?;
                    self.out.push_str(&piece);
                    self.repeatable = true;
                }
                '[' => {
                    self.class(at)?;
                    self.repeatable = true;
                }
                '(' => self.group(at)?,
                ')' => {
                    if self.open.pop().is_none() {
                        return error("unbalanced parenthesis", at);
                    }
                    self.out.push(')');
                    self.repeatable = true;
                }
                '*' | '+' | '?' => self.repeat(at, c.to_string())?,
                '{' => match self.braces() {
                    Some(q) => self.repeat(at, q)?,
                    None => {
                        self.out.push_str("\\{");
                        self.repeatable = true;
                    }
                },
                '|' => {
                    self.out.push('|');
                    self.repeatable = false;
                }
                '$' if !self.multiline() => {
                    self.out.push_str("(?=\\n?\\z)");
                    self.repeatable = true;
                }
                '^' | '$' => {
                    self.out.push(c);
                    self.repeatable = true;
                }
                '.' => {
                    self.out.push('.');
                    self.repeatable = true;
                }
                _ => {
                    self.literal(c);
                    self.repeatable = true;
                }
            }
        }
        if let Some(open) = self.open.last() {
            return error("missing ), unterminated subpattern", open.at);
        }
        Ok(())
    }

    /// Verbose mode: whitespace and `#` comments outside classes are not
    /// part of the pattern.
    fn skip_verbose(&mut self, c: char) -> bool {
        if c.is_whitespace() {
            self.i += 1;
            return true;
        }
        if c == '#' {
            while let Some(c) = self.peek() {
                self.i += 1;
                if c == '\n' {
                    break;
                }
            }
            return true;
        }
        false
    }

    fn literal(&mut self, c: char) {
        if c.is_alphanumeric() || c == '_' || (!c.is_ascii() && !c.is_whitespace()) {
            self.out.push(c);
        } else {
            self.out.push_str(&format!("\\x{{{:x}}}", c as u32));
        }
    }

    /// A `{m,n}` after the `{` just read, as fancy-regex writes it; None
    /// when Python reads the brace as a literal.
    fn braces(&mut self) -> Option<String> {
        let rest: String = self.src[self.i..].iter().take(64).collect();
        let close = rest.find('}')?;
        let inner = &rest[..close];
        let (lo, hi) = match inner.split_once(',') {
            Some((lo, hi)) => (lo, Some(hi)),
            None => (inner, None),
        };
        let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if !digits(lo) || !hi.is_none_or(digits) || (lo.is_empty() && hi.is_none()) {
            return None;
        }
        self.i += inner.chars().count() + 1;
        let lo = if lo.is_empty() { "0" } else { lo };
        Some(match hi {
            None => format!("{{{lo}}}"),
            Some(hi) => format!("{{{lo},{hi}}}"),
        })
    }

    fn repeat(&mut self, at: usize, quantifier: String) -> Result<()> {
        if !self.repeatable {
            let msg = if self.out.ends_with(['*', '+', '?', '}']) && at > 0 {
                "multiple repeat"
            } else {
                "nothing to repeat"
            };
            return error(msg, at);
        }
        let numbers = quantifier.trim_matches(|c| c == '{' || c == '}');
        if quantifier.starts_with('{')
            && numbers
                .split(',')
                .any(|n| !n.is_empty() && n.parse::<u32>().ok().is_none_or(|n| n == u32::MAX))
        {
            return Err(SyntaxError {
                msg: "the repetition number is too large".into(),
                pos: at,
                overflow: true,
            });
        }
        if let Some((lo, hi)) = quantifier
            .strip_prefix('{')
            .and_then(|q| q.strip_suffix('}'))
            .and_then(|q| q.split_once(','))
            && let (Ok(lo), Ok(hi)) = (lo.parse::<u64>(), hi.parse::<u64>())
            && hi < lo
        {
            return error("min repeat greater than max repeat", at + 1);
        }
        self.out.push_str(&quantifier);
        // A lazy `?` or a possessive `+` may follow; then nothing more.
        if let Some(c @ ('?' | '+')) = self.peek() {
            self.i += 1;
            self.out.push(c);
        }
        self.repeatable = false;
        Ok(())
    }
}
