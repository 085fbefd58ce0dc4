//! Groups, flags scoped to a group, escapes, numbers and classes, as Python's `sre_parse` reads them.

use super::*;

impl Translator {
    pub(super) fn group(&mut self, at: usize) -> Result<()> {
        self.repeatable = false;
        let multiline = self.multiline();
        if self.peek() != Some('?') {
            self.groups += 1;
            self.open.push(Open {
                at,
                group: Some(self.groups),
                multiline,
            });
            self.out.push('(');
            return Ok(());
        }
        self.i += 1;
        let plain = |this: &mut Self, text: &str, skip: usize| {
            this.i += skip;
            this.open.push(Open {
                at,
                group: None,
                multiline,
            });
            this.out.push_str(text);
        };
        match (self.peek(), self.peek_at(1)) {
            (Some(':'), _) => plain(self, "(?:", 1),
            (Some('='), _) => plain(self, "(?=", 1),
            (Some('!'), _) => plain(self, "(?!", 1),
            (Some('>'), _) => plain(self, "(?>", 1),
            (Some('<'), Some('=')) => plain(self, "(?<=", 2),
            (Some('<'), Some('!')) => plain(self, "(?<!", 2),
            (Some('P'), Some('<')) => {
                self.i += 2;
                let name = self.group_name('>')?;
                if self.names.iter().any(|(n, _)| *n == name) {
                    return error(
                        format!(
                            "redefinition of group name '{name}' as group {}; was group {}",
                            self.groups + 1,
                            self.names
                                .iter()
                                .find(|(n, _)| *n == name)
                                .map_or(0, |(_, g)| *g)
                        ),
                        at + 4,
                    );
                }
                self.groups += 1;
                self.names.push((name.clone(), self.groups));
                self.open.push(Open {
                    at,
                    group: Some(self.groups),
                    multiline,
                });
                self.out.push_str(&format!("(?P<{name}>"));
            }
            (Some('P'), Some('=')) => {
                self.i += 2;
                let name = self.group_name(')')?;
                let Some(&(_, g)) = self.names.iter().find(|(n, _)| *n == name) else {
                    return error(format!("unknown group name '{name}'"), at + 4);
                };
                if self.open.iter().any(|o| o.group == Some(g)) {
                    return error("cannot refer to an open group", at);
                }
                self.out.push_str(&format!("(?:\\{g})"));
                self.repeatable = true;
            }
            (Some('#'), _) => {
                while let Some(c) = self.peek() {
                    self.i += 1;
                    if c == ')' {
                        return Ok(());
                    }
                }
                return error("missing ), unterminated comment", at);
            }
            (Some('('), _) => plain(self, "(?(", 1),
            (Some(c), _) if FLAG_LETTERS.contains(c) || c == '-' => {
                self.scoped_flags(at, multiline)?
            }
            (Some(c), _) => {
                let ext = if c == 'P' || c == '<' {
                    format!(
                        "?{c}{}",
                        self.peek_at(1).map(String::from).unwrap_or_default()
                    )
                } else {
                    format!("?{c}")
                };
                return error(format!("unknown extension {ext}"), at + 1);
            }
            (None, _) => return error("unexpected end of pattern", self.i),
        }
        Ok(())
    }

    /// `(?i:…)`, `(?-i:…)`: flags for one group. A flags-only group past
    /// the start is Python 3.11's error.
    pub(super) fn scoped_flags(&mut self, at: usize, multiline: bool) -> Result<()> {
        let mut on = String::new();
        let mut off = String::new();
        let mut minus = false;
        let mut multiline = multiline;
        loop {
            match self.peek() {
                Some('-') if !minus => minus = true,
                Some(c) if FLAG_LETTERS.contains(c) => {
                    if matches!(c, 'i' | 'm' | 's') {
                        if minus { &mut off } else { &mut on }.push(c);
                    }
                    if c == 'm' {
                        multiline = !minus;
                    }
                }
                Some(':') => {
                    self.i += 1;
                    break;
                }
                Some(')') => return error("global flags not at the start of the expression", at),
                Some(c) if c.is_alphabetic() => return error("unknown flag", self.i),
                Some(_) => return error("missing -, : or )", self.i),
                None => return error("missing -, : or )", self.i),
            }
            self.i += 1;
        }
        self.open.push(Open {
            at,
            group: None,
            multiline,
        });
        let flags = match (on.is_empty(), off.is_empty()) {
            (true, true) => String::new(),
            (_, true) => on,
            _ => format!("{on}-{off}"),
        };
        self.out.push_str(&format!("(?{flags}:"));
        Ok(())
    }

    pub(super) fn group_name(&mut self, end: char) -> Result<String> {
        let start = self.i;
        let mut name = String::new();
        loop {
            match self.peek() {
                Some(c) if c == end => break,
                Some(c) => name.push(c),
                None if name.is_empty() => return error("missing group name", start),
                None => {
                    return error(format!("missing {end}, unterminated name"), start);
                }
            }
            self.i += 1;
        }
        self.i += 1;
        if name.is_empty() {
            return error("missing group name", start);
        }
        let ident = name
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_alphanumeric() || c == '_');
        if !ident {
            return error(format!("bad character in group name '{name}'"), start);
        }
        Ok(name)
    }

    /// The escape after a `\` at `at`, outside or inside a class.
    pub(super) fn escape(&mut self, at: usize, in_class: bool) -> Result<String> {
        let Some(c) = self.peek() else {
            return error("bad escape (end of pattern)", at);
        };
        self.i += 1;
        let ascii = self.flags & ASCII != 0;
        let class = |set: &str, negated: bool| {
            if negated {
                format!("[^{set}]")
            } else {
                format!("[{set}]")
            }
        };
        Ok(match c {
            'd' | 'D' if ascii => class("0-9", c == 'D'),
            'w' | 'W' if ascii => class("a-zA-Z0-9_", c == 'W'),
            's' | 'S' if ascii => class(" \\t\\n\\r\\x0C\\x0B", c == 'S'),
            'd' | 'D' | 'w' | 'W' | 's' | 'S' => format!("\\{c}"),
            'b' if in_class => "\\x08".into(),
            'b' | 'B' if ascii => format!("(?-u:\\{c})"),
            'A' | 'b' | 'B' if !in_class => format!("\\{c}"),
            'Z' if !in_class => "\\z".into(),
            'a' => "\\x07".into(),
            'f' => "\\x0C".into(),
            'v' => "\\x0B".into(),
            'n' => "\\n".into(),
            'r' => "\\r".into(),
            't' => "\\t".into(),
            'x' => self.hex(at, 2, 'x')?,
            'u' => self.hex(at, 4, 'u')?,
            'U' => self.hex(at, 8, 'U')?,
            '0'..='9' => self.number(at, c, in_class)?,
            c if c.is_ascii_alphabetic() => return error(format!("bad escape \\{c}"), at),
            c => format!("\\x{{{:x}}}", c as u32),
        })
    }

    pub(super) fn hex(&mut self, at: usize, n: usize, letter: char) -> Result<String> {
        let digits: String = self.src[self.i..]
            .iter()
            .take(n)
            .take_while(|c| c.is_ascii_hexdigit())
            .collect();
        if digits.len() < n {
            return error(format!("incomplete escape \\{letter}{digits}"), at);
        }
        self.i += n;
        let code = u32::from_str_radix(&digits, 16).unwrap_or(u32::MAX);
        if char::from_u32(code).is_none() && code > 0x10FFFF {
            return error(format!("bad escape \\{letter}{digits}"), at);
        }
        Ok(format!("\\x{{{code:x}}}"))
    }

    /// `\0`, `\012` (octal) or `\1`, `\12` (a group), as Python reads them.
    pub(super) fn number(&mut self, at: usize, first: char, in_class: bool) -> Result<String> {
        let octal = |c: Option<char>| c.is_some_and(|c| ('0'..='7').contains(&c));
        let mut text = first.to_string();
        let three_octal = octal(Some(first)) && octal(self.peek()) && octal(self.peek_at(1));
        if first == '0' || in_class || three_octal {
            if !octal(Some(first)) {
                return error(format!("bad escape \\{first}"), at);
            }
            while text.len() < 3 && octal(self.peek()) {
                text.push(self.peek().unwrap_or('0'));
                self.i += 1;
            }
            let code = u32::from_str_radix(&text, 8).unwrap_or(0);
            if code > 0o377 {
                return error(
                    format!("octal escape value \\{text} outside of range 0-0o377"),
                    at,
                );
            }
            return Ok(format!("\\x{{{code:x}}}"));
        }
        if let Some(d) = self.peek().filter(char::is_ascii_digit) {
            text.push(d);
            self.i += 1;
        }
        let g: usize = text.parse().unwrap_or(0);
        if g > self.groups {
            return error(format!("invalid group reference {text}"), at + 1);
        }
        if self.open.iter().any(|o| o.group == Some(g)) {
            return error("cannot refer to an open group", at);
        }
        Ok(format!("(?:\\{g})"))
    }

    /// A character class, from its `[` at `at` to its `]`.
    pub(super) fn class(&mut self, at: usize) -> Result<()> {
        self.out.push('[');
        if self.peek() == Some('^') {
            self.i += 1;
            self.out.push('^');
        }
        let mut first = true;
        loop {
            let Some(c) = self.peek() else {
                return error("unterminated character set", at);
            };
            let here = self.i;
            self.i += 1;
            match c {
                ']' if !first => break,
                '\\' => {
                    let piece = self.escape(here, true)?;
                    self.out.push_str(&piece);
                }
                '-' if !first && self.peek() != Some(']') && !self.out.ends_with('-') => {
                    self.out.push('-')
                }
                c if c.is_alphanumeric() || c == '_' || c == ' ' => self.out.push(c),
                c => self.out.push_str(&format!("\\x{{{:x}}}", c as u32)),
            }
            first = false;
        }
        self.out.push(']');
        Ok(())
    }
}
