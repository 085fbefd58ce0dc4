//! `textwrap.wrap`, `fill` and `shorten`: Python's TextWrapper, chunk by
//! chunk. Words are split with the very pattern Python's `wordsep_re`
//! uses (hyphenated words break after a hyphen between letters), read by
//! `crate::python_re`.

use super::super::call::Args;
use super::super::value::Value;
use crate::error::{Error, Result};

/// Python's `TextWrapper` options.
struct Wrapper {
    width: i64,
    initial_indent: String,
    subsequent_indent: String,
    expand_tabs: bool,
    replace_whitespace: bool,
    fix_sentence_endings: bool,
    break_long_words: bool,
    drop_whitespace: bool,
    break_on_hyphens: bool,
    tabsize: i64,
    max_lines: Option<i64>,
    placeholder: String,
}

impl Wrapper {
    fn from_args(args: &mut Args, width: Value) -> Result<Wrapper> {
        let mut w = Wrapper {
            width: width_of(&width)?,
            initial_indent: String::new(),
            subsequent_indent: String::new(),
            expand_tabs: true,
            replace_whitespace: true,
            fix_sentence_endings: false,
            break_long_words: true,
            drop_whitespace: true,
            break_on_hyphens: true,
            tabsize: 8,
            max_lines: None,
            placeholder: " [...]".into(),
        };
        for (name, v) in std::mem::take(&mut args.kw) {
            match name.as_str() {
                "initial_indent" => w.initial_indent = text(&v, &name)?,
                "subsequent_indent" => w.subsequent_indent = text(&v, &name)?,
                "expand_tabs" => w.expand_tabs = v.truthy(),
                "replace_whitespace" => w.replace_whitespace = v.truthy(),
                "fix_sentence_endings" => w.fix_sentence_endings = v.truthy(),
                "break_long_words" => w.break_long_words = v.truthy(),
                "drop_whitespace" => w.drop_whitespace = v.truthy(),
                "break_on_hyphens" => w.break_on_hyphens = v.truthy(),
                "tabsize" => w.tabsize = int(&v, &name)?,
                "max_lines" if matches!(v, Value::None) => w.max_lines = None,
                "max_lines" => w.max_lines = Some(int(&v, &name)?),
                "placeholder" => w.placeholder = text(&v, &name)?,
                "width" => w.width = width_of(&v)?,
                other => {
                    return Err(Error::type_error(format!(
                        "TextWrapper.__init__() got an unexpected keyword argument '{other}'"
                    )));
                }
            }
        }
        Ok(w)
    }

    fn munge_whitespace(&self, s: &str) -> String {
        let s = if self.expand_tabs {
            expand_tabs(s, self.tabsize)
        } else {
            s.to_string()
        };
        if self.replace_whitespace {
            s.chars()
                .map(|c| if "\t\n\x0b\x0c\r".contains(c) { ' ' } else { c })
                .collect()
        } else {
            s
        }
    }

    fn split(&self, s: &str) -> Result<Vec<String>> {
        let pattern = if self.break_on_hyphens {
            WORDSEP
        } else {
            r"([\t\n\x0b\x0c\r ]+)"
        };
        let re = compiled(pattern)?;
        let mut chunks = Vec::new();
        let mut last = 0;
        for m in re.find_iter(s) {
            let m = m.map_err(|e| Error::new("RuntimeError", e.to_string()))?;
            chunks.push(s[last..m.start()].to_string());
            chunks.push(m.as_str().to_string());
            last = m.end();
        }
        chunks.push(s[last..].to_string());
        chunks.retain(|c| !c.is_empty());
        Ok(chunks)
    }

    fn fix_endings(chunks: &mut [String]) {
        let mut i = 0;
        while i + 1 < chunks.len() {
            if chunks[i + 1] == " " && sentence_end(&chunks[i]) {
                chunks[i + 1] = "  ".into();
                i += 2;
            } else {
                i += 1;
            }
        }
    }

    fn wrap(&self, text: &str) -> Result<Vec<String>> {
        let mut chunks = self.split(&self.munge_whitespace(text))?;
        if self.fix_sentence_endings {
            Self::fix_endings(&mut chunks);
        }
        self.wrap_chunks(chunks)
    }

    fn wrap_chunks(&self, mut chunks: Vec<String>) -> Result<Vec<String>> {
        let len = |s: &str| s.chars().count() as i64;
        if self.width <= 0 {
            return Err(Error::value_error(format!(
                "invalid width {} (must be > 0)",
                self.width
            )));
        }
        if let Some(max) = self.max_lines {
            let indent = if max > 1 {
                &self.subsequent_indent
            } else {
                &self.initial_indent
            };
            if len(indent) + len(self.placeholder.trim_start()) > self.width {
                return Err(Error::value_error("placeholder too large for max width"));
            }
        }
        let blank = |s: &str| s.trim().is_empty();
        let mut lines: Vec<String> = Vec::new();
        chunks.reverse();
        while !chunks.is_empty() {
            let mut cur: Vec<String> = Vec::new();
            let mut cur_len = 0;
            let indent = if lines.is_empty() {
                &self.initial_indent
            } else {
                &self.subsequent_indent
            };
            let width = self.width - len(indent);
            if self.drop_whitespace && !lines.is_empty() && chunks.last().is_some_and(|c| blank(c))
            {
                chunks.pop();
            }
            while let Some(c) = chunks.last() {
                let l = len(c);
                if cur_len + l > width {
                    break;
                }
                cur_len += l;
                cur.extend(chunks.pop());
            }
            if chunks.last().is_some_and(|c| len(c) > width) {
                self.handle_long_word(&mut chunks, &mut cur, cur_len, width);
                cur_len = cur.iter().map(|c| len(c)).sum();
            }
            if self.drop_whitespace && cur.last().is_some_and(|c| blank(c)) {
                cur_len -= cur.last().map_or(0, |c| len(c));
                cur.pop();
            }
            if cur.is_empty() {
                continue;
            }
            let fits = match self.max_lines {
                None => true,
                Some(max) => {
                    (lines.len() as i64) + 1 < max
                        || ((chunks.is_empty()
                            || (self.drop_whitespace && chunks.len() == 1 && blank(&chunks[0])))
                            && cur_len <= width)
                }
            };
            if fits {
                lines.push(format!("{indent}{}", cur.concat()));
                continue;
            }
            loop {
                let Some(last) = cur.last() else {
                    if let Some(prev) = lines.last_mut() {
                        let trimmed = prev.trim_end().to_string();
                        if len(&trimmed) + len(&self.placeholder) <= self.width {
                            *prev = trimmed + &self.placeholder;
                            break;
                        }
                    }
                    lines.push(format!("{indent}{}", self.placeholder.trim_start()));
                    break;
                };
                if !blank(last) && cur_len + len(&self.placeholder) <= width {
                    cur.push(self.placeholder.clone());
                    lines.push(format!("{indent}{}", cur.concat()));
                    break;
                }
                cur_len -= len(last);
                cur.pop();
            }
            break;
        }
        Ok(lines)
    }

    fn handle_long_word(
        &self,
        chunks: &mut Vec<String>,
        cur: &mut Vec<String>,
        cur_len: i64,
        width: i64,
    ) {
        let space_left = if width < 1 { 1 } else { width - cur_len };
        let Some(chunk) = chunks.last_mut() else {
            return;
        };
        if self.break_long_words {
            let chars: Vec<char> = chunk.chars().collect();
            let mut end = space_left.max(0) as usize;
            if self.break_on_hyphens && chars.len() > end {
                let hyphen = chars[..end.min(chars.len())]
                    .iter()
                    .rposition(|c| *c == '-');
                if let Some(h) = hyphen
                    && h > 0
                    && chars[..h].iter().any(|c| *c != '-')
                {
                    end = h + 1;
                }
            }
            let end = end.min(chars.len());
            cur.push(chars[..end].iter().collect());
            *chunk = chars[end..].iter().collect();
        } else if cur.is_empty() {
            cur.extend(chunks.pop());
        }
    }
}

thread_local! {
    static PATTERNS: std::cell::RefCell<Vec<(&'static str, std::rc::Rc<fancy_regex::Regex>)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// One of the two splitting patterns, compiled once.
fn compiled(pattern: &'static str) -> Result<std::rc::Rc<fancy_regex::Regex>> {
    if let Some(re) = PATTERNS.with(|p| {
        p.borrow()
            .iter()
            .find(|(k, _)| *k == pattern)
            .map(|(_, r)| r.clone())
    }) {
        return Ok(re);
    }
    let re = crate::python_re::search_regex(pattern, crate::python_re::VERBOSE)
        .map_err(|e| Error::new("RuntimeError", e))?;
    let re = std::rc::Rc::new(re);
    PATTERNS.with(|p| p.borrow_mut().push((pattern, re.clone())));
    Ok(re)
}

/// Python's `TextWrapper.wordsep_re`, as its source writes it.
const WORDSEP: &str = r#"
        ( # any whitespace
          [\t\n\x0b\x0c\r ]+
        | # em-dash between words
          (?<=[\w!"'&.,?]) -{2,} (?=\w)
        | # word, possibly hyphenated
          [^\t\n\x0b\x0c\r ]+? (?:
            # hyphenated word
              -(?: (?<=[^\d\W]{2}-) | (?<=[^\d\W]-[^\d\W]-))
              (?= [^\d\W] -? [^\d\W])
            | # end of word
              (?=[\t\n\x0b\x0c\r ]|\Z)
            | # em-dash
              (?<=[\w!"'&.,?]) (?=-{2,}\w)
            )
        )"#;

/// Python's `sentence_end_re`: a lowercase letter, `.`, `!` or `?`, maybe a
/// closing quote, at the end of the chunk.
fn sentence_end(chunk: &str) -> bool {
    let mut rev = chunk.chars().rev();
    let mut c = rev.next();
    if matches!(c, Some('"' | '\'')) {
        c = rev.next();
    }
    matches!(c, Some('.' | '!' | '?')) && rev.next().is_some_and(|l| l.is_ascii_lowercase())
}

/// `str.expandtabs(tabsize)`.
fn expand_tabs(s: &str, tabsize: i64) -> String {
    let mut out = String::new();
    let mut col = 0i64;
    for c in s.chars() {
        match c {
            '\t' if tabsize > 0 => {
                let n = tabsize - col % tabsize;
                out.extend(std::iter::repeat_n(' ', n as usize));
                col += n;
            }
            '\t' => {}
            '\n' | '\r' => {
                out.push(c);
                col = 0;
            }
            c => {
                out.push(c);
                col += 1;
            }
        }
    }
    out
}

fn int(v: &Value, name: &str) -> Result<i64> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(*b as i64),
        other => Err(Error::type_error(format!(
            "'{}' object cannot be interpreted as an integer ({name})",
            other.type_name()
        ))),
    }
}

/// The width, which Python first compares with 0.
fn width_of(v: &Value) -> Result<i64> {
    match v {
        Value::Int(_) | Value::Bool(_) => int(v, "width"),
        other => Err(Error::type_error(format!(
            "'<=' not supported between instances of '{}' and 'int'",
            other.type_name()
        ))),
    }
}

fn text(v: &Value, name: &str) -> Result<String> {
    match v {
        Value::Str(s) => Ok(s.to_string()),
        other => Err(Error::type_error(format!(
            "{name} must be str, not {}",
            other.type_name()
        ))),
    }
}

/// The text and the wrapper a call describes: `(text, width=70, **kw)`.
fn wrapper_call(
    func: &str,
    mut args: Args,
    default_width: Option<i64>,
) -> Result<(String, Wrapper)> {
    let width = args
        .take_kw("width")
        .or_else(|| args.pos.get(1).cloned())
        .or(default_width.map(Value::Int));
    let text_value = match args.take_kw("text") {
        Some(t) => t,
        None => match args.pos.first() {
            Some(t) => t.clone(),
            None => {
                return Err(Error::type_error(format!(
                    "{func}() missing 1 required positional argument: 'text'"
                )));
            }
        },
    };
    let Some(width) = width else {
        return Err(Error::type_error(format!(
            "{func}() missing 1 required positional argument: 'width'"
        )));
    };
    if args.pos.len() > 2 {
        return Err(Error::type_error(format!(
            "{func}() takes from 1 to 2 positional arguments but {} were given",
            args.pos.len()
        )));
    }
    let w = Wrapper::from_args(&mut args, width)?;
    let Value::Str(s) = text_value else {
        return Err(Error::new(
            "AttributeError",
            format!(
                "'{}' object has no attribute 'expandtabs'",
                text_value.type_name()
            ),
        ));
    };
    Ok((s.to_string(), w))
}

/// `textwrap.wrap(text, width=70, **kwargs)`.
pub fn wrap(args: Args) -> Result<Value> {
    let (text, w) = wrapper_call("wrap", args, Some(70))?;
    Ok(Value::list(
        w.wrap(&text)?.into_iter().map(Value::str).collect(),
    ))
}

/// `textwrap.fill(text, width=70, **kwargs)`.
pub fn fill(args: Args) -> Result<Value> {
    let (text, w) = wrapper_call("fill", args, Some(70))?;
    Ok(Value::str(w.wrap(&text)?.join("\n")))
}

/// `textwrap.shorten(text, width, **kwargs)`: collapsed, on one line.
pub fn shorten(args: Args) -> Result<Value> {
    let (text, mut w) = wrapper_call("shorten", args, None)?;
    w.max_lines = Some(1);
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    Ok(Value::str(w.wrap(&collapsed)?.join("\n")))
}
