//! Lines to statements, by the Python console's rules.
//!
//! Lines are pushed one at a time (typed at the prompt, or read from a script)
//! and come out grouped into statements: blank and comment-only lines outside
//! a statement are dropped; a statement grows while it is incomplete
//! (`syntax::completeness`); a block ends at a blank line.

/// One statement as typed: its lines and the script line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub lines: Vec<String>,
    pub first_line: usize,
}

impl Statement {
    /// The text to parse.
    pub fn source(&self) -> String {
        self.lines.join("\n")
    }

    /// The lines the console echoes: without trailing blank lines, and for a
    /// statement that does not parse, without any blank line (as
    /// `run_django.py` and the Python console show them).
    pub fn echo_lines(&self, parsed: bool) -> Vec<&str> {
        let mut lines: Vec<&str> = self.lines.iter().map(String::as_str).collect();
        if !parsed {
            lines.retain(|l| !l.trim().is_empty());
        }
        while lines.last().is_some_and(|l| l.trim().is_empty()) {
            lines.pop();
        }
        lines
    }
}

/// Splits lines into statements in time linear in their length: a line is
/// scanned once for brackets and strings ([`Brackets`]), and the parser looks
/// at an unfinished statement again only once it has doubled (every line
/// while it is short), to find an error no further line can mend. Such an
/// error ends the statement at its line, and the lines read after it start
/// anew, exactly where the console would have cut.
#[derive(Default)]
pub struct Splitter {
    buffer: Vec<String>,
    first_line: usize,
    line_no: usize,
    brackets: Brackets,
    block: bool,
    bytes: usize,
    checked_bytes: usize,
    /// How often an unfinished statement was parsed again, for the tests
    /// that keep splitting linear.
    parses: usize,
}

/// Below this size a statement is checked at every line.
const ALWAYS_CHECK: usize = 1024;

impl Splitter {
    /// Whether a statement is under way (the prompt shows `... `).
    pub fn in_statement(&self) -> bool {
        !self.buffer.is_empty()
    }

    /// Feeds one line; returns the statements it completes.
    pub fn push(&mut self, line: &str) -> Vec<Statement> {
        self.line_no += 1;
        self.feed(vec![(line.to_string(), self.line_no)])
    }

    /// Lines with their numbers; the lines after a cut are read again.
    fn feed(&mut self, lines: Vec<(String, usize)>) -> Vec<Statement> {
        let mut out = Vec::new();
        let mut pending = std::collections::VecDeque::from(lines);
        while let Some((line, number)) = pending.pop_front() {
            if let Some((statement, rest)) = self.push_numbered(&line, number) {
                out.push(statement);
                for (i, l) in rest.into_iter().enumerate() {
                    pending.insert(i, l);
                }
            }
        }
        out
    }

    /// The statements left at the end of input: the one under way runs as
    /// it stands, unless an error not looked for yet cuts it short first.
    pub fn finish(&mut self) -> Vec<Statement> {
        let mut out = Vec::new();
        while !self.buffer.is_empty() {
            let unchecked = self.checked_bytes != self.bytes;
            let text = self.buffer.join("\n");
            match unchecked
                .then(|| crate::syntax::first_definite_error(&text))
                .flatten()
            {
                Some(at) => {
                    let (statement, rest) = self.cut_at(&text, at);
                    out.push(statement);
                    out.extend(self.feed(rest));
                }
                None => out.extend(self.take()),
            }
        }
        out
    }

    /// Drops the statement being typed (Ctrl-C at the prompt).
    pub fn reset(&mut self) {
        self.buffer.clear();
        self.brackets = Brackets::default();
        self.bytes = 0;
        self.checked_bytes = 0;
    }

    fn push_numbered(
        &mut self,
        line: &str,
        number: usize,
    ) -> Option<(Statement, Vec<(String, usize)>)> {
        let line = line.trim_end_matches(['\n', '\r']);
        if self.buffer.is_empty() && (line.trim().is_empty() || line.trim_start().starts_with('#'))
        {
            return None;
        }
        if self.buffer.is_empty() {
            self.first_line = number;
            self.block = crate::syntax::starts_block(line);
        }
        self.buffer.push(line.to_string());
        self.bytes += line.len() + 1;
        self.brackets.feed(line);
        if !self.brackets.open() && (!self.block || line.trim().is_empty()) {
            // A check put off while the statement grew is made now, once.
            if self.checked_bytes != self.bytes && self.bytes > ALWAYS_CHECK {
                let text = self.buffer.join("\n");
                if let Some(at) = crate::syntax::first_definite_error(&text) {
                    return Some(self.cut_at(&text, at));
                }
            }
            return self.take().map(|s| (s, Vec::new()));
        }
        if self.bytes > ALWAYS_CHECK && self.bytes < 2 * self.checked_bytes {
            return None;
        }
        self.checked_bytes = self.bytes;
        self.parses += 1;
        let text = self.buffer.join("\n");
        let at = crate::syntax::first_definite_error(&text)?;
        Some(self.cut_at(&text, at))
    }

    /// Ends the statement with the line holding byte `at`; returns it and
    /// the lines after it, with their numbers.
    fn cut_at(&mut self, text: &str, at: usize) -> (Statement, Vec<(String, usize)>) {
        let line = text[..at.min(text.len())].matches('\n').count();
        let rest = self.buffer.split_off((line + 1).min(self.buffer.len()));
        let after = self.first_line + line + 1;
        let statement = self.take().expect("a statement under way");
        let rest = rest
            .into_iter()
            .enumerate()
            .map(|(i, l)| (l, after + i))
            .collect();
        (statement, rest)
    }

    fn take(&mut self) -> Option<Statement> {
        let lines = std::mem::take(&mut self.buffer);
        let first_line = self.first_line;
        self.reset();
        (!lines.is_empty()).then_some(Statement { lines, first_line })
    }
}

/// Whether a statement's brackets, strings or backslash continuation are
/// still open, read a line at a time by the tokenizer's rules that
/// `syntax::lines` follows.
#[derive(Default)]
struct Brackets {
    depth: usize,
    /// The quote of a string still open: a triple-quoted one, or a short one
    /// whose line ended in a backslash.
    string: Option<(u8, bool)>,
    backslash: bool,
}

impl Brackets {
    fn open(&self) -> bool {
        self.depth > 0 || self.string.is_some() || self.backslash
    }

    fn feed(&mut self, line: &str) {
        let b = line.as_bytes();
        let mut i = 0;
        self.backslash = false;
        if let Some((quote, long)) = self.string {
            i = self.skip_string(b, 0, quote, long);
        }
        while i < b.len() {
            match b[i] {
                b'#' => return,
                q @ (b'\'' | b'"') => {
                    let long = b.get(i + 1) == Some(&q) && b.get(i + 2) == Some(&q);
                    i = self.skip_string(b, i + if long { 3 } else { 1 }, q, long);
                }
                b'(' | b'[' | b'{' => {
                    self.depth += 1;
                    i += 1;
                }
                b')' | b']' | b'}' => {
                    self.depth = self.depth.saturating_sub(1);
                    i += 1;
                }
                b'\\' if i + 1 == b.len() => {
                    self.backslash = true;
                    i += 1;
                }
                _ => i += 1,
            }
        }
    }

    /// Skips a string's text from `i`; notes it as open when the line ends first.
    fn skip_string(&mut self, b: &[u8], mut i: usize, quote: u8, long: bool) -> usize {
        self.string = None;
        while i < b.len() {
            if b[i] == b'\\' {
                if i + 1 == b.len() {
                    self.string = Some((quote, long));
                    return b.len();
                }
                i += 2;
            } else if b[i] == quote && (!long || b[i..].starts_with(&[quote, quote, quote])) {
                return i + if long { 3 } else { 1 };
            } else {
                i += 1;
            }
        }
        if long {
            self.string = Some((quote, long));
        }
        b.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<Vec<String>> {
        let mut s = Splitter::default();
        let mut out: Vec<Vec<String>> = text
            .lines()
            .flat_map(|l| s.push(l))
            .map(|st| st.lines)
            .collect();
        out.extend(s.finish().into_iter().map(|st| st.lines));
        out
    }

    #[test]
    fn statements_split_as_the_console_splits_them() {
        let text =
            "# comment\nx = 1\n\nfor i in x:\n    print(i)\n\ny = f(\n  1,\n)\nif y:\n    pass";
        assert_eq!(
            split(text),
            vec![
                vec!["x = 1".to_string()],
                vec!["for i in x:".into(), "    print(i)".into(), "".into()],
                vec!["y = f(".into(), "  1,".into(), ")".into()],
                vec!["if y:".into(), "    pass".into()],
            ]
        );
    }

    #[test]
    fn a_syntax_error_ends_its_statement_where_the_console_cuts() {
        assert_eq!(
            split("print('start'\nx = 1\nprint('after')"),
            vec![
                vec!["print('start'".to_string(), "x = 1".into()],
                vec!["print('after')".into()],
            ]
        );
        // Found late, once the statement has doubled, the cut is the same.
        let mut text = "x = [\n".to_string() + &"  1,\n".repeat(3000) + "  1\n  2\n";
        text.push_str("y = 1\n");
        let statements = split(&text);
        assert_eq!(statements.len(), 2, "{:?}", statements.last());
        assert_eq!(statements[0].len(), 3003);
        assert_eq!(statements[1], vec!["y = 1".to_string()]);
        // Also when the brackets close before the next check.
        let text =
            "data = [\n".to_string() + &"    1,\n".repeat(300) + "    'oops,\n]\nprint('after')\n";
        let statements = split(&text);
        assert_eq!(statements.len(), 3, "{:?}", &statements[1..]);
        assert_eq!(statements[1], vec!["]".to_string()]);
    }

    #[test]
    fn long_statements_are_split_in_linear_time() {
        let mut s = Splitter::default();
        let mut out = s.push("x = [");
        for _ in 0..20_000 {
            out.extend(s.push("  1,"));
        }
        out.extend(s.push("]"));
        assert_eq!(out.len(), 1);
        // Parsed at every line of its first kilobyte, then only as it
        // doubles: a few hundred times, not 20,000.
        assert!(s.parses < 400, "{} parses", s.parses);
        let mut s = Splitter::default();
        let mut n = s.push("print('start'").len();
        for i in 0..20_000 {
            n += s.push(&format!("x = {i}")).len();
        }
        assert_eq!(n, 20_000);
        assert!(s.parses < 100, "{} parses", s.parses);
    }

    #[test]
    fn echo_drops_trailing_blank_lines() {
        let st = Statement {
            lines: vec!["for i in x:".into(), "    i".into(), "".into()],
            first_line: 1,
        };
        assert_eq!(st.echo_lines(true), vec!["for i in x:", "    i"]);
    }
}
