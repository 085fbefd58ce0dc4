//! String literals: prefixes, escapes, implicit concatenation and f-strings.

use super::Span;
use super::ast::{Expr, ExprKind, FStringPart};
use super::parser::Rule;
use crate::error::{Error, Result};
use pest::iterators::Pair;

type P<'i> = Pair<'i, Rule>;

/// `strings`: adjacent literals, concatenated; an f-string among them makes
/// the whole an f-string, as in Python.
pub(super) fn build_strings(p: P) -> Result<Expr> {
    let sp = Span::new(p.as_span().start(), p.as_span().end());
    let source = p.as_span().get_input();
    let mut parts: Vec<FStringPart> = Vec::new();
    let mut any_fstring = false;
    let mut bytes: Option<Vec<u8>> = None;
    let mut any_text = false;
    for lit in p.into_inner() {
        let lit_span = Span::new(lit.as_span().start(), lit.as_span().end());
        let mut inner = lit.clone().into_inner().peekable();
        let prefix = match inner.peek().map(|c| c.as_rule()) {
            Some(Rule::string_prefix | Rule::fstring_prefix) => {
                inner.next().map(|c| c.as_str().to_ascii_lowercase())
            }
            _ => None,
        }
        .unwrap_or_default();
        let raw = prefix.contains('r');
        if prefix.contains('b') {
            if any_text {
                return Err(Error::syntax(
                    "cannot mix bytes and nonbytes literals",
                    lit_span,
                ));
            }
            let body = inner.next().map(|b| b.as_str()).unwrap_or("");
            bytes
                .get_or_insert_with(Vec::new)
                .extend(unescape_bytes(body, raw, lit_span)?);
            continue;
        }
        if bytes.is_some() {
            return Err(Error::syntax(
                "cannot mix bytes and nonbytes literals",
                lit_span,
            ));
        }
        any_text = true;
        if lit.as_rule() == Rule::fstring {
            any_fstring = true;
            for part in build_fstring_parts_from(inner, source, raw)? {
                push_part(&mut parts, part);
            }
        } else {
            let body = inner.next().map(|b| b.as_str()).unwrap_or("");
            let text = if raw {
                body.to_string()
            } else {
                unescape(body, lit_span)?
            };
            push_part(&mut parts, FStringPart::Literal(text));
        }
    }
    if let Some(b) = bytes {
        return Ok(Expr::new(ExprKind::Bytes(b), sp));
    }
    if !any_fstring {
        let text = match parts.pop() {
            Some(FStringPart::Literal(s)) => s,
            _ => String::new(),
        };
        return Ok(Expr::new(ExprKind::Str(text), sp));
    }
    Ok(Expr::new(ExprKind::FString(parts), sp))
}

fn push_part(parts: &mut Vec<FStringPart>, part: FStringPart) {
    if let (Some(FStringPart::Literal(prev)), FStringPart::Literal(next)) =
        (parts.last_mut(), &part)
    {
        prev.push_str(next);
        return;
    }
    parts.push(part);
}

/// The parts of an f-string body or of a format spec.
pub(super) fn build_fstring_parts(p: P, source: &str, raw: bool) -> Result<Vec<FStringPart>> {
    build_fstring_parts_from(p.into_inner(), source, raw)
}

fn build_fstring_parts_from<'i>(
    pairs: impl Iterator<Item = P<'i>>,
    source: &str,
    raw: bool,
) -> Result<Vec<FStringPart>> {
    let mut parts = Vec::new();
    for c in pairs {
        let sp = Span::new(c.as_span().start(), c.as_span().end());
        match c.as_rule() {
            Rule::fs_long_text | Rule::fs_short_text | Rule::fs_spec_text => {
                let text = c.as_str().replace("{{", "{").replace("}}", "}");
                let text = if raw { text } else { unescape(&text, sp)? };
                push_part(&mut parts, FStringPart::Literal(text));
            }
            Rule::fs_field => parts.push(super::parser::build_fstring_field(c, source)?),
            _ => {}
        }
    }
    Ok(parts)
}

/// A bytes literal's body: ASCII characters, and the escapes bytes have
/// (`\xhh` and octal are bytes; `\u` is not an escape there).
fn unescape_bytes(body: &str, raw: bool, span: Span) -> Result<Vec<u8>> {
    if !body.is_ascii() {
        return Err(Error::syntax(
            "bytes can only contain ASCII literal characters",
            span,
        ));
    }
    if raw || !body.contains('\\') {
        return Ok(body.as_bytes().to_vec());
    }
    let mut out = Vec::with_capacity(body.len());
    let b = body.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' || i + 1 == b.len() {
            out.push(b[i]);
            i += 1;
            continue;
        }
        let e = b[i + 1];
        i += 2;
        match e {
            b'\n' => {}
            b'\\' | b'\'' | b'"' => out.push(e),
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'v' => out.push(11),
            b'0'..=b'7' => {
                let mut value = (e - b'0') as u32;
                for _ in 0..2 {
                    match b.get(i).filter(|d| (b'0'..=b'7').contains(d)) {
                        Some(d) => {
                            value = value * 8 + (d - b'0') as u32;
                            i += 1;
                        }
                        None => break,
                    }
                }
                out.push((value & 0xff) as u8);
            }
            b'x' => {
                let hex = b.get(i..i + 2).and_then(|h| std::str::from_utf8(h).ok());
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(v) => {
                        out.push(v);
                        i += 2;
                    }
                    None => {
                        return Err(Error::syntax(
                            format!("(value error) invalid \\x escape at position {}", i - 2),
                            span,
                        ));
                    }
                }
            }
            other => {
                out.push(b'\\');
                out.push(other);
            }
        }
    }
    Ok(out)
}

/// Python's escape sequences in a non-raw literal.
fn unescape(body: &str, span: Span) -> Result<String> {
    if !body.contains('\\') {
        return Ok(body.to_string());
    }
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(e) = chars.next() else {
            out.push('\\');
            break;
        };
        match e {
            '\n' => {}
            '\r' => {
                chars.next_if_eq(&'\n');
            }
            '\\' | '\'' | '"' => out.push(e),
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'f' => out.push('\x0c'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\x0b'),
            '0'..='7' => {
                let mut value = e.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match chars.peek().and_then(|d| d.to_digit(8)) {
                        Some(d) => {
                            value = value * 8 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                out.push(char::from_u32(value).unwrap_or('\u{fffd}'));
            }
            'x' | 'u' | 'U' => {
                let width = match e {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let digits: String = (0..width)
                    .filter_map(|_| chars.next_if(|d| d.is_ascii_hexdigit()))
                    .collect();
                let code = if digits.len() == width {
                    u32::from_str_radix(&digits, 16).ok()
                } else {
                    None
                };
                match code.and_then(char::from_u32) {
                    Some(ch) => out.push(ch),
                    None => {
                        let what = if e == 'x' {
                            "truncated \\xXX escape".to_string()
                        } else {
                            format!("truncated \\{e}{} escape", "X".repeat(width))
                        };
                        return Err(Error::syntax(
                            format!(
                                "(unicode error) 'unicodeescape' codec can't decode bytes: {what}"
                            ),
                            span,
                        ));
                    }
                }
            }
            'N' => {
                return Err(Error::syntax(
                    "\\N{...} escapes are not supported in ormsh",
                    span,
                ));
            }
            other => {
                // Python keeps unknown escapes as they are (with a warning).
                out.push('\\');
                out.push(other);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_decode_as_in_python() {
        let sp = Span::default();
        assert_eq!(
            unescape(r"a\tb\n\x41\u00e9\101\q", sp).unwrap(),
            "a\tb\nAéA\\q"
        );
        assert_eq!(unescape("line\\\nnext", sp).unwrap(), "linenext");
    }
}
