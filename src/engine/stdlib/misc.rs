//! `json.dumps`/`json.loads` as Python's json module writes and reads, and
//! the constants of `string`.

use super::super::call::Args;
use super::super::repr::float_repr;
use super::super::value::{Dict, Value};
use crate::error::{Error, Result};

pub fn string_constant(name: &str) -> Option<Value> {
    let lower = "abcdefghijklmnopqrstuvwxyz";
    let upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let digits = "0123456789";
    let punctuation = r##"!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~"##;
    Some(Value::str(match name {
        "ascii_lowercase" => lower.to_string(),
        "ascii_uppercase" => upper.to_string(),
        "ascii_letters" => format!("{lower}{upper}"),
        "digits" => digits.to_string(),
        "hexdigits" => "0123456789abcdefABCDEF".to_string(),
        "octdigits" => "01234567".to_string(),
        "punctuation" => punctuation.to_string(),
        "whitespace" => " \t\n\r\x0b\x0c".to_string(),
        "printable" => format!("{digits}{lower}{upper}{punctuation} \t\n\r\x0b\x0c"),
        _ => return None,
    }))
}

/// `string.capwords(s, sep=None)`.
pub fn capwords(args: Args) -> Result<Value> {
    args.no_kw("capwords")?;
    args.count("capwords", 1, 2)?;
    let Value::Str(s) = &args.pos[0] else {
        return Err(Error::new(
            "AttributeError",
            format!(
                "'{}' object has no attribute 'split'",
                args.pos[0].type_name()
            ),
        ));
    };
    let cap = |w: &str| {
        let mut c = w.chars();
        match c.next() {
            Some(f) => f
                .to_uppercase()
                .chain(c.flat_map(char::to_lowercase))
                .collect(),
            None => String::new(),
        }
    };
    Ok(Value::str(match args.pos.get(1) {
        None | Some(Value::None) => s
            .split_whitespace()
            .map(cap)
            .collect::<Vec<String>>()
            .join(" "),
        Some(Value::Str(sep)) => s.split(&**sep).map(cap).collect::<Vec<String>>().join(sep),
        Some(other) => {
            return Err(Error::type_error(format!(
                "must be str or None, not {}",
                other.type_name()
            )));
        }
    }))
}

struct Dumper {
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
        Some(Value::Int(n)) => Some(" ".repeat(n.max(0) as usize)),
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
                item_sep = super::super::repr::str(&t[0]);
                key_sep = super::super::repr::str(&t[1]);
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
    fn newline(&self, level: usize, out: &mut String) {
        if let Some(ind) = &self.indent {
            out.push('\n');
            for _ in 0..level {
                out.push_str(ind);
            }
        }
    }

    fn write(&self, v: &Value, level: usize, out: &mut String) -> Result<()> {
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
                    self.newline(level + 1, out);
                    self.string(k, out);
                    out.push_str(&self.key_sep);
                    self.write(val, level + 1, out)?;
                }
                self.newline(level, out);
                out.push('}');
            }
            Value::List(items) => self.array(&items.borrow(), level, out)?,
            Value::Tuple(items) => self.array(items, level, out)?,
            Value::Str(s) => self.string(s, out),
            other => out.push_str(&scalar(other)?),
        }
        Ok(())
    }

    fn array(&self, items: &[Value], level: usize, out: &mut String) -> Result<()> {
        if items.is_empty() {
            out.push_str("[]");
            return Ok(());
        }
        out.push('[');
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.push_str(&self.item_sep);
            }
            self.newline(level + 1, out);
            self.write(item, level + 1, out)?;
        }
        self.newline(level, out);
        out.push(']');
        Ok(())
    }

    fn key(&self, k: &Value) -> Result<String> {
        match k {
            Value::Str(s) => Ok(s.to_string()),
            Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::None => scalar(k),
            other => Err(Error::type_error(format!(
                "keys must be str, int, float, bool or None, not {}",
                other.type_name()
            ))),
        }
    }

    fn string(&self, s: &str, out: &mut String) {
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

fn scalar(v: &Value) -> Result<String> {
    Ok(match v {
        Value::None => "null".into(),
        Value::Bool(true) => "true".into(),
        Value::Bool(false) => "false".into(),
        Value::Int(i) => i.to_string(),
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

/// `json.loads(text)`: objects keep their keys' order, as Python's dicts do.
pub fn json_loads(args: Args) -> Result<Value> {
    args.no_kw("loads")?;
    args.count("loads", 1, 1)?;
    let text = match &args.pos[0] {
        Value::Str(s) => s.to_string(),
        Value::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        other => {
            return Err(Error::type_error(format!(
                "the JSON object must be str, bytes or bytearray, not {}",
                other.type_name()
            )));
        }
    };
    let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        Error::new(
            "JSONDecodeError",
            format!(
                "{}: line {} column {} (char {})",
                json_message(&e),
                e.line(),
                e.column(),
                char_offset(&text, e.line(), e.column())
            ),
        )
    })?;
    from_json(&json)
}

fn json_message(e: &serde_json::Error) -> &'static str {
    let s = e.to_string();
    if s.contains("EOF") {
        "Expecting value"
    } else if s.contains("trailing") {
        "Extra data"
    } else {
        "Expecting value"
    }
}

fn char_offset(text: &str, line: usize, column: usize) -> usize {
    let before: usize = text
        .split('\n')
        .take(line.saturating_sub(1))
        .map(|l| l.chars().count() + 1)
        .sum();
    (before + column).saturating_sub(1)
}

fn from_json(j: &serde_json::Value) -> Result<Value> {
    let _depth = crate::limits::Depth::enter(" while decoding a JSON array from a unicode string")?;
    Ok(match j {
        serde_json::Value::Null => Value::None,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None if n.is_f64() => Value::Float(n.as_f64().unwrap_or(0.0)),
            None => {
                return Err(Error::new(
                    "OverflowError",
                    format!("the integer {n} is beyond ormsh's 64-bit integers"),
                ));
            }
        },
        serde_json::Value::String(s) => Value::str(s.as_str()),
        serde_json::Value::Array(items) => {
            Value::list(items.iter().map(from_json).collect::<Result<_>>()?)
        }
        serde_json::Value::Object(map) => {
            let mut d = Dict::default();
            for (k, v) in map {
                d.insert(Value::str(k.as_str()), from_json(v)?)?;
            }
            Value::dict(d)
        }
    })
}
