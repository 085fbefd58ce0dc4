//! `re`: Python's regular expressions, on fancy-regex (backreferences and
//! lookaround, which the `regex` crate has not).
//!
//! A pattern is translated from Python's dialect once (`crate::python_re`) and kept
//! in a cache as Python's `re` keeps its own. Matching follows Python's
//! rules where the engines differ: positions count characters, `match` is
//! anchored at `pos`, `fullmatch` also at `endpos`, and an empty match right
//! after an empty match gives way to a non-empty one at the same place
//! (Python 3.7's rule for `sub`, `findall`, `finditer` and `split`).

use crate::error::{Error, Result};
use crate::python_re::{
    self as syntax, ASCII, DOTALL, IGNORECASE, LOCALE, MULTILINE, UNICODE, VERBOSE,
};
use crate::value::Args;
use crate::value::{Dict, Value};
use fancy_regex::Regex;
use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

mod attrs;
mod flags;
mod template;
pub use attrs::*;
pub use flags::*;
pub(crate) use template::*;

/// A compiled pattern: `re.compile(…)`.
pub struct Pattern {
    pub source: Rc<str>,
    pub flags: i64,
    pub groups: usize,
    pub names: Vec<(String, usize)>,
    pub(crate) search: Regex,
    /// Built when first needed: the pattern that must reach the end
    /// (fullmatch), and the one that must not match empty (after an empty
    /// match, Python looks for a non-empty one at the same place).
    pub(crate) full: OnceCell<Regex>,
    /// None when the pattern can only match empty (`''`, `\b`).
    pub(crate) not_empty: OnceCell<Option<Regex>>,
    pub(crate) body: String,
}

/// A successful match: `re.search(…)`.
pub struct Match {
    pub pattern: Rc<Pattern>,
    pub string: Rc<str>,
    pub pos: usize,
    pub endpos: usize,
    /// Each group's span in characters; None for a group that took no part.
    pub spans: Vec<Option<(usize, usize)>>,
    /// The same spans in bytes, to slice the string.
    pub(crate) bytes: Vec<Option<(usize, usize)>>,
}

/// Each group's span in bytes; None for a group that took no part.
pub(crate) type Spans = Vec<Option<(usize, usize)>>;

pub(crate) type Cache = HashMap<(Rc<str>, i64), Rc<Pattern>>;

thread_local! {
    static CACHE: RefCell<Cache> = RefCell::new(HashMap::new());
}

/// Python's `_MAXCACHE`: past it the cache starts again.
pub(crate) const MAX_CACHE: usize = 512;

pub(crate) fn re_error(msg: &str, pattern: &str, pos: Option<usize>) -> Error {
    use crate::value::exceptions::{ExcClass, Exception};
    let text = match pos {
        Some(p) => format!("{msg} at position {p}"),
        None => msg.to_string(),
    };
    let class = Rc::new(ExcClass {
        name: "error".into(),
        module: "re".into(),
    });
    let e = Rc::new(Exception::new(class, vec![Value::str(text)]));
    e.set_attr("msg", Value::str(msg));
    e.set_attr("pattern", Value::str(pattern));
    e.set_attr("pos", pos.map_or(Value::None, |p| Value::Int(p as i64)));
    Exception::to_error(&e)
}

pub(crate) fn build(pattern: &str, body: &str, flags: i64, not_empty: bool) -> Result<Regex> {
    syntax::build(body, flags, not_empty).map_err(|e| re_error(&e.to_string(), pattern, None))
}

pub fn compile(source: &str, flags: i64) -> Result<Rc<Pattern>> {
    let key: (Rc<str>, i64) = (source.into(), flags);
    if let Some(p) = CACHE.with(|c| c.borrow().get(&key).cloned()) {
        return Ok(p);
    }
    let t = syntax::translate(source, flags).map_err(|e| {
        if e.overflow {
            Error::new("OverflowError", e.msg)
        } else {
            re_error(&e.msg, source, Some(e.pos))
        }
    })?;
    let mut flags = t.flags;
    if flags & ASCII == 0 {
        flags |= UNICODE;
    }
    let pattern = Rc::new(Pattern {
        source: key.0.clone(),
        flags,
        groups: t.groups,
        names: t.names,
        search: build(source, &t.body, flags, false)?,
        full: OnceCell::new(),
        not_empty: OnceCell::new(),
        body: t.body,
    });
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= MAX_CACHE {
            c.clear();
        }
        c.insert(key, pattern.clone());
    });
    Ok(pattern)
}

/// Converts between Python's character positions and byte offsets, in
/// constant time for ASCII text and logarithmic time otherwise.
#[derive(Clone)]
pub(crate) struct Positions {
    pub(crate) len: usize,
    /// Where each character starts, for text that is not ASCII.
    pub(crate) starts: Option<Rc<Vec<usize>>>,
}

impl Positions {
    pub(crate) fn new(text: &str) -> Self {
        if text.is_ascii() {
            return Positions {
                len: text.len(),
                starts: None,
            };
        }
        let starts: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        Positions {
            len: text.len(),
            starts: Some(Rc::new(starts)),
        }
    }

    pub(crate) fn byte(&self, chars: usize) -> usize {
        match &self.starts {
            None => chars.min(self.len),
            Some(s) => s.get(chars).copied().unwrap_or(self.len),
        }
    }

    pub(crate) fn chars(&self, byte: usize) -> usize {
        match &self.starts {
            None => byte,
            Some(s) => s.partition_point(|b| *b < byte),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.chars(self.len)
    }
}

#[derive(Clone, Copy, PartialEq)]
pub(crate) enum How {
    Search,
    Match,
    Full,
}

impl Pattern {
    pub(crate) fn full(&self) -> Result<&Regex> {
        if let Some(r) = self.full.get() {
            return Ok(r);
        }
        let r = build(
            &self.source,
            &format!("(?:{})\\z", self.body),
            self.flags,
            false,
        )?;
        Ok(self.full.get_or_init(|| r))
    }

    pub(crate) fn not_empty(&self) -> Option<&Regex> {
        self.not_empty
            .get_or_init(|| build(&self.source, &self.body, self.flags, true).ok())
            .as_ref()
    }

    /// The group spans (in bytes) of the first match from byte `from`.
    pub(crate) fn find(
        &self,
        regex: &Regex,
        text: &str,
        from: usize,
        anchored: bool,
    ) -> Result<Option<Spans>> {
        let input = fancy_regex::RegexInput::new(text)
            .from_pos(from)
            .anchored(anchored);
        let caps = regex.captures_input(input).map_err(|e| match e {
            fancy_regex::Error::RuntimeError(_) => Error::new(
                "RecursionError",
                "the pattern backtracks too much on this string (ormsh stops after 10,000,000 steps)",
            ),
            other => re_error(&other.to_string(), &self.source, None),
        })?;
        Ok(caps.map(|c| {
            (0..=self.groups)
                .map(|g| c.get(g).map(|m| (m.start(), m.end())))
                .collect()
        }))
    }
}

/// A match as Python gives it, from byte spans.
pub(crate) fn make_match(
    p: &Rc<Pattern>,
    string: &Rc<str>,
    at: &Positions,
    window: (usize, usize),
    spans: Vec<Option<(usize, usize)>>,
) -> Match {
    Match {
        pattern: p.clone(),
        string: string.clone(),
        pos: window.0,
        endpos: window.1,
        spans: spans
            .iter()
            .map(|s| s.map(|(a, b)| (at.chars(a), at.chars(b))))
            .collect(),
        bytes: spans,
    }
}

/// `search`, `match`, `fullmatch` between character positions.
pub(crate) fn match_at(
    p: &Rc<Pattern>,
    string: &Rc<str>,
    pos: i64,
    endpos: i64,
    how: How,
) -> Result<Value> {
    let m = Matches::new(p.clone(), string.clone(), pos, endpos);
    if m.done {
        return Ok(Value::None);
    }
    let text = &string[..m.end];
    let found = match how {
        How::Search => p.find(&p.search, text, m.at, false)?,
        How::Match => p.find(&p.search, text, m.at, true)?,
        How::Full => p.find(p.full()?, text, m.at, true)?,
    };
    Ok(match found {
        Some(spans) => Value::Match(Rc::new(make_match(
            p,
            string,
            &m.positions,
            m.window,
            spans,
        ))),
        None => Value::None,
    })
}

/// Every match, left to right, with Python's rule for empty matches.
pub(crate) struct Matches {
    pub(crate) pattern: Rc<Pattern>,
    pub(crate) string: Rc<str>,
    pub(crate) positions: Positions,
    /// `pos` and `endpos`, in characters, as the matches report them.
    pub(crate) window: (usize, usize),
    /// Where the text ends for the pattern (`endpos`, in bytes).
    pub(crate) end: usize,
    /// Where the next search starts (bytes), and whether the last match
    /// was empty and ended there.
    pub(crate) at: usize,
    pub(crate) after_empty: bool,
    pub(crate) done: bool,
}

impl Matches {
    /// Matches within `pos..endpos` (characters, clamped as Python clamps
    /// them): the text ends at `endpos`, and the search starts at `pos`
    /// but looks behind it, as Python's does.
    pub(crate) fn new(pattern: Rc<Pattern>, string: Rc<str>, pos: i64, endpos: i64) -> Self {
        let positions = Positions::new(&string);
        let len = positions.len() as i64;
        let (pos, endpos) = (pos.clamp(0, len) as usize, endpos.clamp(0, len) as usize);
        let end = positions.byte(endpos);
        let at = positions.byte(pos).min(end);
        Matches {
            pattern,
            string,
            positions,
            window: (pos, endpos),
            end,
            at,
            after_empty: false,
            done: pos > endpos,
        }
    }

    pub(crate) fn next_spans(&mut self) -> Result<Option<Spans>> {
        if self.done {
            return Ok(None);
        }
        let p = self.pattern.clone();
        let text = &self.string[..self.end];
        let mut found = None;
        if self.after_empty {
            if let Some(r) = p.not_empty() {
                found = p.find(r, text, self.at, true)?;
            }
            if found.is_none() {
                match text[self.at..].chars().next() {
                    Some(c) => self.at += c.len_utf8(),
                    None => {
                        self.done = true;
                        return Ok(None);
                    }
                }
            }
        }
        if found.is_none() {
            found = p.find(&p.search, text, self.at, false)?;
        }
        let Some(spans) = found else {
            self.done = true;
            return Ok(None);
        };
        let (start, end) = spans[0].unwrap_or((self.at, self.at));
        self.after_empty = start == end;
        self.at = end;
        Ok(Some(spans))
    }

    pub(crate) fn next_match(&mut self) -> Result<Option<Match>> {
        Ok(self
            .next_spans()?
            .map(|s| make_match(&self.pattern, &self.string, &self.positions, self.window, s)))
    }
}

/// Python's group value: the text, or `default` for a group that did not
/// take part.
impl Match {
    pub(crate) fn group_text(&self, g: usize, default: &Value) -> Value {
        match self.bytes.get(g).copied().flatten() {
            Some((a, b)) => Value::str(&self.string[a..b]),
            None => default.clone(),
        }
    }

    /// A group by number or name, or IndexError as Python's.
    pub(crate) fn group_index(&self, g: &Value) -> Result<usize> {
        let index = match g {
            Value::Int(i) if *i >= 0 => Some(*i as usize),
            Value::Bool(b) => Some(*b as usize),
            Value::Str(name) => self
                .pattern
                .names
                .iter()
                .find(|(n, _)| **n == **name)
                .map(|(_, i)| *i),
            _ => None,
        };
        index
            .filter(|i| *i <= self.pattern.groups)
            .ok_or_else(|| Error::new("IndexError", "no such group"))
    }

    pub fn repr(&self) -> String {
        let (a, b) = self.spans[0].unwrap_or((0, 0));
        let text = crate::value::repr::repr(&self.group_text(0, &Value::None));
        let text: String = text.chars().take(50).collect();
        format!("<re.Match object; span=({a}, {b}), match={text}>")
    }

    pub(crate) fn last_index(&self) -> Option<usize> {
        let mut best: Option<(usize, usize)> = None;
        for (g, span) in self.spans.iter().enumerate().skip(1) {
            if let Some((_, end)) = span
                && best.is_none_or(|(_, e)| *end > e)
            {
                best = Some((g, *end));
            }
        }
        best.map(|(g, _)| g)
    }
}

impl std::fmt::Debug for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.repr())
    }
}

impl std::fmt::Debug for Match {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.repr())
    }
}

impl Pattern {
    pub fn repr(&self) -> String {
        let source = crate::value::repr::repr(&Value::str(&*self.source));
        let source: String = source.chars().take(200).collect();
        let mut names: Vec<String> = FLAG_NAMES
            .iter()
            .filter(|(bit, _)| self.flags & bit != 0)
            .map(|(_, n)| format!("re.{n}"))
            .collect();
        let known = FLAG_NAMES.iter().fold(UNICODE, |acc, (b, _)| acc | b);
        if self.flags & !known != 0 {
            names.push(format!("{:#x}", self.flags & !known));
        }
        if names.is_empty() {
            format!("re.compile({source})")
        } else {
            format!("re.compile({source}, {})", names.join("|"))
        }
    }
}

pub const PATTERN_METHODS: &[&str] = &[
    "search",
    "match",
    "fullmatch",
    "findall",
    "finditer",
    "sub",
    "subn",
    "split",
];

pub const MATCH_METHODS: &[&str] = &[
    "group",
    "groups",
    "groupdict",
    "start",
    "end",
    "span",
    "expand",
];

pub(crate) fn string_arg(v: &Value) -> Result<Rc<str>> {
    match v {
        Value::Str(s) => Ok(s.clone()),
        Value::Bytes(_) => Err(Error::new(
            "NotImplementedError",
            "ormsh's re works on str; bytes patterns and strings are not supported yet",
        )),
        other => Err(Error::type_error(format!(
            "expected string or bytes-like object, got '{}'",
            other.type_name()
        ))),
    }
}

pub(crate) fn int_arg(v: &Value, name: &str) -> Result<i64> {
    match v {
        Value::Int(i) | Value::RegexFlag(i) => Ok(*i),
        Value::Bool(b) => Ok(*b as i64),
        other => Err(Error::type_error(format!(
            "'{}' object cannot be interpreted as an integer (argument '{name}')",
            other.type_name()
        ))),
    }
}

/// The pattern of a module-level call: a string compiled with `flags`, or
/// a compiled pattern (then no flags).
pub(crate) fn pattern_arg(v: &Value, flags: i64) -> Result<Rc<Pattern>> {
    match v {
        Value::Pattern(_) if flags != 0 => Err(Error::value_error(
            "cannot process flags argument with a compiled pattern",
        )),
        Value::Pattern(p) => Ok(p.clone()),
        Value::Str(_) | Value::Bytes(_) => compile(&string_arg(v)?, flags),
        _ => Err(Error::type_error(
            "first argument must be string or compiled pattern",
        )),
    }
}

/// The named parameters of a call, as a Python function takes them.
pub(crate) fn params(
    func: &str,
    mut args: Args,
    names: &[&str],
    required: usize,
) -> Result<Vec<Option<Value>>> {
    let out = crate::value::bind_params(&format!("{func}()"), &mut args, names, required)?;
    args.no_kw(func)?;
    Ok(out)
}

pub(crate) fn flags_of(v: &Option<Value>) -> Result<i64> {
    v.as_ref().map_or(Ok(0), |v| int_arg(v, "flags"))
}

/// `re.escape(s)`: a backslash before each character special in patterns.
pub fn escape(args: Args) -> Result<Value> {
    args.no_kw("escape")?;
    args.count("escape", 1, 1)?;
    let s = string_arg(&args.pos[0])?;
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "()[]{}?*+-|^$\\.&~# \t\n\r\x0b\x0c".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    Ok(Value::str(out))
}

/// `re.compile(pattern, flags=0)`.
pub fn compile_call(args: Args) -> Result<Value> {
    let v = params("compile", args, &["pattern", "flags"], 1)?;
    let flags = flags_of(&v[1])?;
    match v[0].as_ref() {
        Some(Value::Pattern(p)) if flags == 0 => Ok(Value::Pattern(p.clone())),
        Some(other) => {
            let s = match other {
                Value::Pattern(_) => {
                    return Err(Error::value_error(
                        "cannot process flags argument with a compiled pattern",
                    ));
                }
                v => string_arg(v)?,
            };
            Ok(Value::Pattern(compile(&s, flags)?))
        }
        None => Err(Error::type_error(
            "compile() missing required argument 'pattern'",
        )),
    }
}

/// `re.purge()`.
pub fn purge(args: Args) -> Result<Value> {
    args.count("purge", 0, 0)?;
    CACHE.with(|c| c.borrow_mut().clear());
    Ok(Value::None)
}
