//! `json.dumps` and `json.loads`, with Python's separators, escapes, errors and positions.

use crate::error::{Error, Result};
use crate::value::repr::float_repr;
use crate::value::{Args, Dict, Value};

pub(super) struct Dumper {
    indent: Option<String>,
    item_sep: String,
    key_sep: String,
    sort_keys: bool,
    ensure_ascii: bool,
}

/// `json.dumps(obj, *, indent=None, separators=None, sort_keys=False, ensure_ascii=True)`.
pub fn json_dumps(mut args: Args) -> Result<Value> {
    let indent = match args.take_kw("indent") {
        None | Some(Value::None) => None,
        Some(Value::Int(n)) => {
            crate::limits::reserve(n.max(0) as usize)?;
            Some(" ".repeat(n.max(0) as usize))
        }
        Some(Value::Str(s)) => Some(s.to_string()),
        Some(other) => {
            return Err(Error::type_error(format!(
                "indent must be an int or a str, not {}",
                other.type_name()
            )));
        }
    };
    let (mut item_sep, mut key_sep) = (
        if indent.is_some() { "," } else { ", " }.to_string(),
        ": ".to_string(),
    );
    if let Some(seps) = args
        .take_kw("separators")
        .filter(|v| !matches!(v, Value::None))
    {
        match &seps {
            Value::Tuple(t) if t.len() == 2 => {
                item_sep = crate::value::repr::str(&t[0]);
                key_sep = crate::value::repr::str(&t[1]);
            }
            _ => return Err(Error::value_error("separators must be a (item, key) pair")),
        }
    }
    let sort_keys = args.take_kw("sort_keys").is_some_and(|v| v.truthy());
    let ensure_ascii = args.take_kw("ensure_ascii").is_none_or(|v| v.truthy());
    if args
        .take_kw("default")
        .is_some_and(|v| !matches!(v, Value::None))
    {
        return Err(Error::new(
            "NotImplementedError",
            "json.dumps(default=...) is not supported yet",
        ));
    }
    args.no_kw("dumps")?;
    args.count("dumps", 1, 1)?;
    let d = Dumper {
        indent,
        item_sep,
        key_sep,
        sort_keys,
        ensure_ascii,
    };
    let mut out = String::new();
    d.write(&args.pos[0], 0, &mut out)?;
    Ok(Value::str(out))
}

impl Dumper {
    pub(super) fn newline(&self, level: usize, out: &mut String) -> Result<()> {
        if let Some(ind) = &self.indent {
            crate::limits::reserve(out.len() + ind.len() * level + 1)?;
            out.push('\n');
            for _ in 0..level {
                out.push_str(ind);
            }
        }
        Ok(())
    }

    pub(super) fn write(&self, v: &Value, level: usize, out: &mut String) -> Result<()> {
        let _depth = crate::limits::Depth::enter(" while encoding a JSON object")?;
        match v {
            Value::Dict(d) => {
                let d = d.borrow();
                if d.entries.is_empty() {
                    out.push_str("{}");
                    return Ok(());
                }
                let mut pairs: Vec<(String, Value)> = Vec::new();
                for (k, val) in d.entries.values() {
                    pairs.push((self.key(k)?, val.clone()));
                }
                if self.sort_keys {
                    pairs.sort_by(|a, b| a.0.cmp(&b.0));
                }
                out.push('{');
                for (i, (k, val)) in pairs.iter().enumerate() {
                    if i > 0 {
                        out.push_str(&self.item_sep);
                    }
                    self.newline(level + 1, out)?;
                    self.string(k, out);
                    out.push_str(&self.key_sep);
                    self.write(val, level + 1, out)?;
                }
                self.newline(level, out)?;
                out.push('}');
            }
            Value::List(items) => self.array(&items.borrow(), level, out)?,
            Value::Tuple(items) => self.array(items, level, out)?,
            Value::Str(s) => self.string(s, out),
            other => out.push_str(&scalar(other)?),
        }
        Ok(())
    }

    pub(super) fn array(&self, items: &[Value], level: usize, out: &mut String) -> Result<()> {
        if items.is_empty() {
            out.push_str("[]");
            return Ok(());
        }
        out.push('[');
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.push_str(&self.item_sep);
            }
            self.newline(level + 1, out)?;
            self.write(item, level + 1, out)?;
        }
        self.newline(level, out)?;
        out.push(']');
        Ok(())
    }

    pub(super) fn key(&self, k: &Value) -> Result<String> {
        match k {
            Value::Str(s) => Ok(s.to_string()),
            Value::Int(_)
            | Value::BigInt(_)
            | Value::RegexFlag(_)
            | Value::Float(_)
            | Value::Bool(_)
            | Value::None => scalar(k),
            other => Err(Error::type_error(format!(
                "keys must be str, int, float, bool or None, not {}",
                other.type_name()
            ))),
        }
    }

    pub(super) fn string(&self, s: &str, out: &mut String) {
        out.push('"');
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '\u{8}' => out.push_str("\\b"),
                '\u{c}' => out.push_str("\\f"),
                c if (c as u32) < 0x20 || (self.ensure_ascii && !c.is_ascii()) => {
                    let mut buf = [0u16; 2];
                    for unit in c.encode_utf16(&mut buf) {
                        out.push_str(&format!("\\u{unit:04x}"));
                    }
                }
                c => out.push(c),
            }
        }
        out.push('"');
    }
}

pub(super) fn scalar(v: &Value) -> Result<String> {
    Ok(match v {
        Value::None => "null".into(),
        Value::Bool(true) => "true".into(),
        Value::Bool(false) => "false".into(),
        Value::Int(i) | Value::RegexFlag(i) => i.to_string(),
        Value::BigInt(b) => crate::value::bigint::to_str(b)?,
        Value::Float(f) if f.is_nan() => "NaN".into(),
        Value::Float(f) if f.is_infinite() => {
            if *f > 0.0 { "Infinity" } else { "-Infinity" }.into()
        }
        Value::Float(f) => float_repr(*f),
        other => {
            return Err(Error::type_error(format!(
                "Object of type {} is not JSON serializable",
                other.type_name().rsplit('.').next().unwrap_or_default()
            )));
        }
    })
}

/// `json.loads(text)`, read as Python's json module reads it: objects keep
/// their keys' order, `NaN` and `Infinity` are numbers, and a bad document is
/// `JSONDecodeError` with Python's message and position.
pub fn json_loads(args: Args) -> Result<Value> {
    args.no_kw("loads")?;
    args.count("loads", 1, 1)?;
    let text: Vec<char> = match &args.pos[0] {
        Value::Str(s) => s.chars().collect(),
        Value::Bytes(b) => match std::str::from_utf8(b) {
            Ok(s) => s.chars().collect(),
            Err(e) => {
                return Err(Error::new(
                    "UnicodeDecodeError",
                    format!(
                        "'utf-8' codec can't decode byte 0x{:02x} in position {}: invalid start byte",
                        b[e.valid_up_to()],
                        e.valid_up_to()
                    ),
                ));
            }
        },
        other => {
            return Err(Error::type_error(format!(
                "the JSON object must be str, bytes or bytearray, not {}",
                other.type_name()
            )));
        }
    };
    let mut p = JsonParser {
        text: &text,
        pos: 0,
    };
    p.space();
    let v = p.value()?;
    p.space();
    if p.pos < text.len() {
        return Err(p.fail("Extra data", p.pos));
    }
    Ok(v)
}

pub(super) struct JsonParser<'a> {
    text: &'a [char],
    pos: usize,
}

impl JsonParser<'_> {
    pub(super) fn fail(&self, msg: &str, pos: usize) -> Error {
        let before = &self.text[..pos.min(self.text.len())];
        let line = before.iter().filter(|c| **c == '\n').count() + 1;
        let col = match before.iter().rposition(|c| *c == '\n') {
            Some(nl) => pos - nl,
            None => pos + 1,
        };
        let doc: String = self.text.iter().collect();
        let class = std::rc::Rc::new(crate::value::exceptions::ExcClass {
            name: "JSONDecodeError".into(),
            module: "json.decoder".into(),
        });
        let text = format!("{msg}: line {line} column {col} (char {pos})");
        let e = std::rc::Rc::new(crate::value::exceptions::Exception::new(
            class,
            vec![Value::str(text)],
        ));
        e.set_attr("msg", Value::str(msg));
        e.set_attr("doc", Value::str(doc));
        e.set_attr("pos", Value::Int(pos as i64));
        e.set_attr("lineno", Value::Int(line as i64));
        e.set_attr("colno", Value::Int(col as i64));
        crate::value::exceptions::Exception::to_error(&e)
    }

    pub(super) fn space(&mut self) {
        while self
            .text
            .get(self.pos)
            .is_some_and(|c| matches!(c, ' ' | '\t' | '\n' | '\r'))
        {
            self.pos += 1;
        }
    }

    pub(super) fn starts(&self, word: &str) -> bool {
        word.chars()
            .enumerate()
            .all(|(i, c)| self.text.get(self.pos + i) == Some(&c))
    }

    pub(super) fn value(&mut self) -> Result<Value> {
        let _depth =
            crate::limits::Depth::enter(" while decoding a JSON array from a unicode string")?;
        let Some(&c) = self.text.get(self.pos) else {
            return Err(self.fail("Expecting value", self.pos));
        };
        for (word, v) in [
            ("null", Value::None),
            ("true", Value::Bool(true)),
            ("false", Value::Bool(false)),
            ("NaN", Value::Float(f64::NAN)),
            ("Infinity", Value::Float(f64::INFINITY)),
            ("-Infinity", Value::Float(f64::NEG_INFINITY)),
        ] {
            if self.starts(word) {
                self.pos += word.chars().count();
                return Ok(v);
            }
        }
        match c {
            '"' => self.string().map(Value::str),
            '[' => self.array(),
            '{' => self.object(),
            '-' | '0'..='9' => self.number(),
            _ => Err(self.fail("Expecting value", self.pos)),
        }
    }

    pub(super) fn number(&mut self) -> Result<Value> {
        let start = self.pos;
        let digits = |p: &mut Self| {
            let s = p.pos;
            while p.text.get(p.pos).is_some_and(char::is_ascii_digit) {
                p.pos += 1;
            }
            p.pos > s
        };
        if self.text.get(self.pos) == Some(&'-') {
            self.pos += 1;
        }
        if self.text.get(self.pos) == Some(&'0') {
            self.pos += 1;
        } else if !digits(self) {
            return Err(self.fail("Expecting value", start));
        }
        let mut float = false;
        if self.text.get(self.pos) == Some(&'.')
            && self
                .text
                .get(self.pos + 1)
                .is_some_and(char::is_ascii_digit)
        {
            self.pos += 1;
            digits(self);
            float = true;
        }
        if matches!(self.text.get(self.pos), Some('e' | 'E')) {
            let save = self.pos;
            self.pos += 1;
            if matches!(self.text.get(self.pos), Some('+' | '-')) {
                self.pos += 1;
            }
            if digits(self) {
                float = true;
            } else {
                self.pos = save;
            }
        }
        let text: String = self.text[start..self.pos].iter().collect();
        if float {
            return Ok(Value::Float(text.parse().unwrap_or(0.0)));
        }
        if let Ok(i) = text.parse::<i64>() {
            return Ok(Value::Int(i));
        }
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.as_str()),
        };
        Ok(crate::value::bigint::parse(digits, 10, negative)?.unwrap_or(Value::Int(0)))
    }

    pub(super) fn string(&mut self) -> Result<String> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let Some(&c) = self.text.get(self.pos) else {
                return Err(self.fail("Unterminated string starting at", start));
            };
            match c {
                '"' => {
                    self.pos += 1;
                    return Ok(out);
                }
                '\\' => {
                    let esc = self.text.get(self.pos + 1).copied();
                    let simple = match esc {
                        Some('"') => Some('"'),
                        Some('\\') => Some('\\'),
                        Some('/') => Some('/'),
                        Some('b') => Some('\u{8}'),
                        Some('f') => Some('\u{c}'),
                        Some('n') => Some('\n'),
                        Some('r') => Some('\r'),
                        Some('t') => Some('\t'),
                        _ => None,
                    };
                    if let Some(s) = simple {
                        out.push(s);
                        self.pos += 2;
                        continue;
                    }
                    if esc != Some('u') {
                        return Err(self.fail("Invalid \\escape", self.pos));
                    }
                    let hex = |p: &Self, at: usize| -> Option<u32> {
                        let h: String = p.text.get(at..at + 4)?.iter().collect();
                        if !h.chars().all(|c| c.is_ascii_hexdigit()) {
                            return None;
                        }
                        u32::from_str_radix(&h, 16).ok()
                    };
                    let Some(mut code) = hex(self, self.pos + 2) else {
                        return Err(self.fail("Invalid \\uXXXX escape", self.pos + 1));
                    };
                    self.pos += 6;
                    if (0xd800..0xdc00).contains(&code)
                        && self.text.get(self.pos) == Some(&'\\')
                        && self.text.get(self.pos + 1) == Some(&'u')
                        && let Some(low) =
                            hex(self, self.pos + 2).filter(|l| (0xdc00..0xe000).contains(l))
                    {
                        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
                        self.pos += 6;
                    }
                    match char::from_u32(code) {
                        Some(c) => out.push(c),
                        None => {
                            return Err(Error::new(
                                "NotImplementedError",
                                "a lone surrogate (\\ud800…\\udfff) cannot be held in ormsh's strings",
                            ));
                        }
                    }
                }
                c if (c as u32) < 0x20 => {
                    return Err(self.fail("Invalid control character at", self.pos));
                }
                c => {
                    out.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    pub(super) fn array(&mut self) -> Result<Value> {
        self.pos += 1;
        let mut items = Vec::new();
        self.space();
        if self.text.get(self.pos) == Some(&']') {
            self.pos += 1;
            return Ok(Value::list(items));
        }
        loop {
            self.space();
            items.push(self.value()?);
            self.space();
            match self.text.get(self.pos) {
                Some(']') => {
                    self.pos += 1;
                    return Ok(Value::list(items));
                }
                Some(',') => self.pos += 1,
                _ => return Err(self.fail("Expecting ',' delimiter", self.pos)),
            }
        }
    }

    pub(super) fn object(&mut self) -> Result<Value> {
        self.pos += 1;
        let mut d = Dict::default();
        self.space();
        if self.text.get(self.pos) == Some(&'}') {
            self.pos += 1;
            return Ok(Value::dict(d));
        }
        loop {
            self.space();
            if self.text.get(self.pos) != Some(&'"') {
                return Err(self.fail(
                    "Expecting property name enclosed in double quotes",
                    self.pos,
                ));
            }
            let key = self.string()?;
            self.space();
            if self.text.get(self.pos) != Some(&':') {
                return Err(self.fail("Expecting ':' delimiter", self.pos));
            }
            self.pos += 1;
            self.space();
            let v = self.value()?;
            d.insert(Value::str(key), v)?;
            self.space();
            match self.text.get(self.pos) {
                Some('}') => {
                    self.pos += 1;
                    return Ok(Value::dict(d));
                }
                Some(',') => self.pos += 1,
                _ => return Err(self.fail("Expecting ',' delimiter", self.pos)),
            }
        }
    }
}
