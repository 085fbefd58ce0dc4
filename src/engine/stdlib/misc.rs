//! `json.dumps`/`json.loads` as Python's json module writes and reads, and
//! the constants of `string`.

use super::super::call::Args;
use super::super::value::Value;
use crate::error::{Error, Result};

pub use crate::value::json::*;

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

/// `textwrap.dedent(text)`: the whitespace every non-blank line starts
/// with removed; lines of only whitespace become empty.
pub fn dedent(args: Args) -> Result<Value> {
    args.no_kw("dedent")?;
    args.count("dedent", 1, 1)?;
    let Value::Str(text) = &args.pos[0] else {
        return Err(Error::type_error("expected str"));
    };
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let blank = |l: &str| l.trim_matches([' ', '\t', '\n']).is_empty();
    let margin = lines
        .iter()
        .filter(|l| !blank(l))
        .map(|l| &l[..l.len() - l.trim_start_matches([' ', '\t']).len()])
        .reduce(|a, b| {
            let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
            &a[..common]
        })
        .unwrap_or("");
    let out: String = lines
        .iter()
        .map(|l| {
            if blank(l) {
                if l.ends_with('\n') {
                    "\n".to_string()
                } else {
                    String::new()
                }
            } else {
                l[margin.len()..].to_string()
            }
        })
        .collect();
    Ok(Value::str(out))
}

/// `textwrap.indent(text, prefix)`: the prefix before every line that is
/// not only whitespace.
pub fn indent(args: Args) -> Result<Value> {
    args.count("indent", 2, 3)?;
    if args.pos.len() == 3 || !args.kw.is_empty() {
        return Err(Error::new(
            "NotImplementedError",
            "indent(predicate=...) is not supported yet",
        ));
    }
    let (Value::Str(text), Value::Str(prefix)) = (&args.pos[0], &args.pos[1]) else {
        return Err(Error::type_error("indent() takes two strings"));
    };
    let out: String = text
        .split_inclusive('\n')
        .map(|l| {
            if l.trim().is_empty() {
                l.to_string()
            } else {
                format!("{prefix}{l}")
            }
        })
        .collect();
    Ok(Value::str(out))
}
