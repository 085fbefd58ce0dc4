//! Lines to statements, by the Python console's rules.
//!
//! Lines are pushed one at a time (typed at the prompt, or read from a script)
//! and come out grouped into statements: blank and comment-only lines outside
//! a statement are dropped; a statement grows while it is incomplete
//! (`syntax::completeness`); a block ends at a blank line.

use crate::syntax::{Completeness, completeness};

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

#[derive(Default)]
pub struct Splitter {
    buffer: Vec<String>,
    first_line: usize,
    line_no: usize,
}

impl Splitter {
    /// Whether a statement is under way (the prompt shows `... `).
    pub fn in_statement(&self) -> bool {
        !self.buffer.is_empty()
    }

    /// Feeds one line; returns the statement it completes, if any.
    pub fn push(&mut self, line: &str) -> Option<Statement> {
        self.line_no += 1;
        let line = line.trim_end_matches(['\n', '\r']);
        if self.buffer.is_empty() && (line.trim().is_empty() || line.trim_start().starts_with('#'))
        {
            return None;
        }
        if self.buffer.is_empty() {
            self.first_line = self.line_no;
        }
        self.buffer.push(line.to_string());
        match completeness(&self.buffer.join("\n")) {
            Completeness::Complete => self.take(),
            Completeness::Incomplete => None,
        }
    }

    /// The statement left at the end of input, run as it stands.
    pub fn finish(&mut self) -> Option<Statement> {
        self.take()
    }

    /// Drops the statement being typed (Ctrl-C at the prompt).
    pub fn reset(&mut self) {
        self.buffer.clear();
    }

    fn take(&mut self) -> Option<Statement> {
        if self.buffer.is_empty() {
            return None;
        }
        Some(Statement {
            lines: std::mem::take(&mut self.buffer),
            first_line: self.first_line,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<Vec<String>> {
        let mut s = Splitter::default();
        let mut out: Vec<Vec<String>> = text
            .lines()
            .filter_map(|l| s.push(l))
            .map(|st| st.lines)
            .collect();
        out.extend(s.finish().map(|st| st.lines));
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
    fn echo_drops_trailing_blank_lines() {
        let st = Statement {
            lines: vec!["for i in x:".into(), "    i".into(), "".into()],
            first_line: 1,
        };
        assert_eq!(st.echo_lines(true), vec!["for i in x:", "    i"]);
    }
}
