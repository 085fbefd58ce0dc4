//! Replacement templates of `sub()`: text and group references (`\\1`, `\\g<name>`).

use crate::value::re::*;

/// A replacement template: text and group references.
pub(crate) enum Part {
    Text(String),
    Group(usize),
}

/// Python's template syntax: `\1`, `\g<1>`, `\g<name>`, `\n` and friends.
pub(crate) fn template_parts(p: &Pattern, template: &str) -> Result<Vec<Part>> {
    let chars: Vec<char> = template.chars().collect();
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut i = 0;
    let bad = |msg: String, pos: usize| re_error(&msg, template, Some(pos));
    while i < chars.len() {
        let c = chars[i];
        if c != '\\' {
            text.push(c);
            i += 1;
            continue;
        }
        let at = i;
        i += 1;
        let Some(&e) = chars.get(i) else {
            return Err(bad("bad escape (end of pattern)".into(), at));
        };
        i += 1;
        let group = match e {
            'g' => Some(named_group(p, &chars, &mut i, template)?),
            '0'..='9' => {
                let octal = |c: Option<&char>| c.is_some_and(|c| ('0'..='7').contains(c));
                if e == '0' || (octal(Some(&e)) && octal(chars.get(i)) && octal(chars.get(i + 1))) {
                    let mut digits = e.to_string();
                    while digits.len() < 3 && octal(chars.get(i)) {
                        digits.push(chars[i]);
                        i += 1;
                    }
                    let code = u32::from_str_radix(&digits, 8).unwrap_or(0);
                    if code > 0o377 {
                        return Err(bad(
                            format!("octal escape value \\{digits} outside of range 0-0o377"),
                            at,
                        ));
                    }
                    text.push(char::from_u32(code).unwrap_or('\0'));
                    None
                } else {
                    let mut digits = e.to_string();
                    if let Some(d) = chars.get(i).filter(|c| c.is_ascii_digit()) {
                        digits.push(*d);
                        i += 1;
                    }
                    let g: usize = digits.parse().unwrap_or(0);
                    if g > p.groups {
                        return Err(bad(format!("invalid group reference {g}"), at + 1));
                    }
                    Some(g)
                }
            }
            e => match simple_escape(e) {
                Some(c) => {
                    text.push(c);
                    None
                }
                None if e.is_ascii_alphabetic() => {
                    return Err(bad(format!("bad escape \\{e}"), at));
                }
                None => {
                    text.push('\\');
                    text.push(e);
                    None
                }
            },
        };
        if let Some(g) = group {
            if !text.is_empty() {
                parts.push(Part::Text(std::mem::take(&mut text)));
            }
            parts.push(Part::Group(g));
        }
    }
    if !text.is_empty() {
        parts.push(Part::Text(text));
    }
    Ok(parts)
}

pub(crate) fn expand(parts: &[Part], m: &Match) -> String {
    let mut out = String::new();
    for part in parts {
        match part {
            Part::Text(t) => out.push_str(t),
            Part::Group(g) => {
                if let Value::Str(s) = m.group_text(*g, &Value::None) {
                    out.push_str(&s);
                }
            }
        }
    }
    out
}

/// The character a one-letter escape (`\n`, `\t`…) stands for in a template.
fn simple_escape(e: char) -> Option<char> {
    Some(match e {
        'a' => '\x07',
        'b' => '\x08',
        'f' => '\x0c',
        'n' => '\n',
        'r' => '\r',
        't' => '\t',
        'v' => '\x0b',
        '\\' => '\\',
        _ => return None,
    })
}

/// `\g<name>` or `\g<1>`, the `<` at `i`: the group, with `i` past its `>`.
fn named_group(p: &Pattern, chars: &[char], i: &mut usize, template: &str) -> Result<usize> {
    let bad = |msg: String, pos: usize| re_error(&msg, template, Some(pos));
    if chars.get(*i) != Some(&'<') {
        return Err(bad("missing <".into(), *i));
    }
    let start = *i + 1;
    let Some(len) = chars[start..].iter().position(|c| *c == '>') else {
        if start == chars.len() {
            return Err(bad("missing group name".into(), start));
        }
        return Err(bad("missing >, unterminated name".into(), start));
    };
    let name: String = chars[start..start + len].iter().collect();
    *i = start + len + 1;
    if name.is_empty() {
        return Err(bad("missing group name".into(), start));
    }
    let g = if name.chars().all(|c| c.is_ascii_digit()) {
        let g: usize = name.parse().unwrap_or(usize::MAX);
        if g > p.groups {
            return Err(bad(format!("invalid group reference {name}"), start));
        }
        g
    } else if let Some((_, g)) = p.names.iter().find(|(n, _)| *n == name) {
        *g
    } else if name.chars().all(|c| c.is_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
    {
        return Err(Error::new(
            "IndexError",
            format!("unknown group name '{name}'"),
        ));
    } else {
        return Err(bad(format!("bad character in group name '{name}'"), start));
    };
    Ok(g)
}
