//! Text to AST: the grammar (`grammar/shell.pest`), line joining, and syntax
//! errors in words.
//!
//! Public surface: [`parse_input`] for what a user types (one console
//! statement, possibly a block), [`parse_module`] for a whole models.py,
//! [`completeness`] for the REPL and the script runner, [`tokens`] for the
//! prompt's colours, and the AST. No pest
//! type leaves this module.

pub mod ast;
pub mod lines;
mod parser;
pub mod splitter;
mod strings;

pub use crate::span::{Span, floor_char_boundary, line_at, line_col};
pub use lines::{Completeness, completeness, first_definite_error, starts_block};

use crate::error::{Error, Result};
use ast::Stmt;
use parser::{Rule, ShellParser};
use pest::Parser;
use pest::error::{ErrorVariant, InputLocation};

/// Python's SyntaxError for a line a file's lenient grammar passed over
/// (`StmtKind::Unparsed` at byte `at`): the error the line gives when
/// parsed on its own, its span placed in the file.
pub fn unparsed_error(chunk: &str, at: usize) -> Error {
    match parse_input(chunk) {
        Err(mut e) => {
            let inner = e.span.unwrap_or_default();
            e.span = Some(Span::new(at + inner.start, at + inner.end.max(inner.start)));
            e
        }
        Ok(_) => {
            let first = chunk.lines().next().unwrap_or("").trim();
            Error::new("SyntaxError", "invalid syntax").at(Span::new(at, at + first.len()))
        }
    }
}

/// Parses one console statement (a simple line, `a; b`, or a whole block).
pub fn parse_input(src: &str) -> Result<Vec<Stmt>> {
    parse(src, Rule::single_input)
}

/// Parses a whole file. Lines the grammar cannot read come back as
/// `StmtKind::Unparsed` instead of failing the file.
pub fn parse_module(src: &str) -> Result<Vec<Stmt>> {
    parse(src, Rule::file_input)
}

/// What a span of typed text is, for the prompt's colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    Keyword,
    Name,
    String,
    Number,
    Comment,
    Open,
    Close,
    Space,
    Other,
}

/// The text split into tokens by the grammar's own atoms; it never fails,
/// whatever the text (an unknown character is a token of its own).
pub fn tokens(src: &str) -> Vec<(TokenKind, Span)> {
    let Ok(mut pairs) = ShellParser::parse(Rule::tokens, src) else {
        return vec![(TokenKind::Other, Span::new(0, src.len()))];
    };
    let Some(top) = pairs.next() else {
        return Vec::new();
    };
    top.into_inner()
        .filter_map(|p| {
            let kind = match p.as_rule() {
                Rule::keyword => TokenKind::Keyword,
                Rule::identifier => TokenKind::Name,
                Rule::strings | Rule::tok_open_string => TokenKind::String,
                Rule::number => TokenKind::Number,
                Rule::tok_comment => TokenKind::Comment,
                Rule::tok_open => TokenKind::Open,
                Rule::tok_close => TokenKind::Close,
                Rule::tok_space => TokenKind::Space,
                Rule::EOI => return None,
                _ => TokenKind::Other,
            };
            let span = p.as_span();
            Some((kind, Span::new(span.start(), span.end())))
        })
        .collect()
}

/// Kept for the completeness check, which parses a block header on its own.
fn parse_statement(src: &str) -> Result<Vec<Stmt>> {
    parse_input(src)
}

fn parse(src: &str, rule: Rule) -> Result<Vec<Stmt>> {
    parse_checked(src, rule).map_err(|e| tokenizer_first(src, e))
}

/// Python's tokenizer meets a character it cannot read before the parser
/// fails after it, and a bare "invalid syntax" makes CPython tokenize the
/// rest of the source for such a character: either way that error is the
/// one reported (`filter(title=“Ender's Game”)` is an invalid character,
/// not an unterminated string).
fn tokenizer_first(src: &str, e: Error) -> Error {
    if e.kind != "SyntaxError" {
        return e;
    }
    let detected_at_end = e.message == "invalid syntax"
        || e.message.ends_with("was never closed")
        || e.message.starts_with("unterminated")
        || e.message.starts_with("unexpected EOF");
    let limit = if detected_at_end {
        src.len()
    } else {
        e.span.map_or(src.len(), |s| s.start)
    };
    let invalid = tokens(src)
        .into_iter()
        .filter(|(kind, span)| *kind == TokenKind::Other && span.start < limit)
        .find_map(|(_, span)| {
            let c = src[span.start..].chars().next()?;
            let at = Span::new(span.start, span.start + c.len_utf8());
            invalid_character(c, at)
        });
    invalid.unwrap_or(e)
}

fn parse_checked(src: &str, rule: Rule) -> Result<Vec<Stmt>> {
    let scanned = lines::join_lines(src);
    if let Some(e) = scanned.error {
        return Err(e);
    }
    if let Some(&(bracket, at)) = scanned.open.first() {
        let b = bracket as char;
        return Err(
            Error::syntax(format!("'{b}' was never closed"), Span::new(at, at + 1))
                .with_label(format!("this '{b}' is never closed")),
        );
    }
    if let Some(at) = scanned.open_long_string {
        let (line, _) = line_col(src, src.len());
        return Err(Error::syntax(
            format!("unterminated triple-quoted string literal (detected at line {line})"),
            Span::new(at, at + 3),
        ));
    }
    if scanned.trailing_backslash {
        return Err(Error::syntax(
            "unexpected EOF while parsing",
            Span::point(src.len()),
        ));
    }
    let joined = &scanned.joined;
    let pairs = parse_rule(rule, joined).map_err(|e| syntax_error(joined, e))?;
    parser::build_statements(pairs)
}

/// pest's own error position is where the outermost failing rule began;
/// its detailed attempts know how far parsing really got. Recording them
/// slows every parse, so they are asked for only once a parse has failed,
/// by parsing again (one at a time: the switch is global).
fn parse_rule(
    rule: Rule,
    text: &str,
) -> Result<pest::iterators::Pairs<'_, Rule>, pest::error::Error<Rule>> {
    if let Ok(pairs) = ShellParser::parse(rule, text) {
        return Ok(pairs);
    }
    static DETAIL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one_at_a_time = DETAIL.lock().unwrap_or_else(|p| p.into_inner());
    pest::set_error_detail(true);
    let result = ShellParser::parse(rule, text);
    pest::set_error_detail(false);
    result
}

/// Where a statement whose brackets are still open has already gone wrong:
/// the parser stops before the end of what was typed (`print('a'` then
/// `x = 1`), so no further line can mend it. `None` while it may still be
/// completed.
fn open_statement_error(joined: &str) -> Option<usize> {
    let e = parse_rule(Rule::single_input, joined).err()?;
    let pos = match e.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let pos = pos.max(e.parse_attempts().map_or(0, |a| a.max_position));
    (pos < joined.trim_end().len()).then_some(pos)
}

/// A pest failure as Python would word it, with a label for people.
fn syntax_error(src: &str, e: pest::error::Error<Rule>) -> Error {
    let pos = match e.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let pos = pos
        .max(e.parse_attempts().map_or(0, |a| a.max_position))
        .min(src.len());
    let positives = match &e.variant {
        ErrorVariant::ParsingError { positives, .. } => positives.clone(),
        ErrorVariant::CustomError { .. } => Vec::new(),
    };
    let (line, line_start) = line_at(src, pos);
    let indent_len = line.len() - line.trim_start().len();
    let first_code = src.trim_start_matches(['\n', '\r']);
    let next = src[pos..].chars().next();
    let at = Span::new(pos, pos + next.map_or(0, char::len_utf8));
    if let Some(e) = next.and_then(|c| invalid_character(c, at)) {
        return e;
    }

    if first_code.starts_with([' ', '\t']) {
        let start = src.len() - first_code.len();
        return Error::syntax(
            "unexpected indent",
            Span::new(start, start + indent_len.max(1)),
        )
        .with_label("this line is indented, but no block is open");
    }
    if positives.contains(&Rule::indent) {
        let (header_line, header_no) = header_before(src, pos);
        return Error::syntax(
            format!("expected an indented block after {header_line} on line {header_no}"),
            Span::new(line_start, line_start + line.len().max(1)),
        )
        .with_label("expected an indented block here");
    }
    if pos > line_start && pos <= line_start + indent_len {
        return Error::syntax(
            "unindent does not match any outer indentation level",
            Span::new(line_start, pos),
        )
        .with_label("this indentation matches no open block");
    }
    if let Some(rest) = line.trim_start().strip_prefix("print ")
        && !rest.trim_start().starts_with(['(', '=', '.'])
        && !rest.trim().is_empty()
    {
        return Error::syntax(
            "Missing parentheses in call to 'print'. Did you mean print(...)?",
            at,
        );
    }
    if positives.contains(&Rule::colon) {
        return Error::syntax("expected ':'", at).with_label("expected ':'");
    }
    Error::syntax("invalid syntax", at).with_label(expected_in_words(&positives, src, pos))
}

/// Python's tokenizer refuses a character that can start no token (a curly
/// quote pasted from a document, `½`, an emoji) before the parser sees it.
fn invalid_character(c: char, at: Span) -> Option<Error> {
    if c.is_ascii() || pest::unicode::XID_START(c) {
        return None;
    }
    let code = c as u32;
    let non_printable = c.is_whitespace()
        || c.is_control()
        // Python's isprintable() is also false for format and private-use
        // characters (soft hyphens, bidi marks) and unassigned ones.
        || matches!(
            code,
            0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x180E | 0x200B..=0x200F
                | 0x2028..=0x202E | 0x2060..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB
                | 0xE000..=0xF8FF | 0xF0000..=0x10FFFF | 0xE0000..=0xE007F
        );
    let message = if non_printable {
        format!("invalid non-printable character U+{code:04X}")
    } else {
        format!("invalid character '{c}' (U+{code:04X})")
    };
    Some(Error::syntax(message, at).with_label("not a character Python reads here"))
}

/// "after 'for' statement" and its line, for Python's indented-block message.
fn header_before(src: &str, pos: usize) -> (String, usize) {
    let before = &src[..pos.min(src.len())];
    for (i, l) in before
        .lines()
        .enumerate()
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
    {
        let word: String = l
            .trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let what = match word.as_str() {
            "if" | "elif" | "for" | "while" | "with" | "try" => format!("'{word}' statement"),
            "else" | "except" | "finally" => format!("'{word}' statement"),
            "def" => "function definition".to_string(),
            "class" => "class definition".to_string(),
            _ => continue,
        };
        return (what, i + 1);
    }
    ("':'".to_string(), 1)
}

fn expected_in_words(positives: &[Rule], src: &str, pos: usize) -> String {
    let expression = [
        Rule::test,
        Rule::atom,
        Rule::number,
        Rule::strings,
        Rule::primary,
        Rule::or_test,
        Rule::not_test,
        Rule::power,
        Rule::factor,
    ];
    let before = src[..pos].trim_end().chars().last();
    let after_operator = before.is_some_and(|c| "=([{,:+-*/%&|^<>~@".contains(c));
    if pos >= src.trim_end().len()
        || after_operator
        || positives.iter().any(|r| expression.contains(r))
    {
        return "expected an expression".to_string();
    }
    if positives.contains(&Rule::identifier) {
        return "expected a name".to_string();
    }
    "expected an operator or the end of the statement".to_string()
}

#[cfg(test)]
mod tests {
    use super::ast::*;
    use super::*;

    fn stmt(src: &str) -> StmtKind {
        let mut v = parse_input(src).unwrap_or_else(|e| panic!("{src:?}: {e}"));
        assert_eq!(v.len(), 1, "{src:?}");
        v.remove(0).kind
    }

    fn err(src: &str) -> String {
        parse_input(src).expect_err(src).message
    }

    #[test]
    fn precedence_follows_python() {
        let StmtKind::Expr(e) = stmt("-2 ** 2 + 3 * 4") else {
            panic!()
        };
        let ExprKind::Binary {
            op: BinOp::Add,
            left,
            ..
        } = e.kind
        else {
            panic!("{e:?}")
        };
        assert!(matches!(
            left.kind,
            ExprKind::Unary {
                op: UnaryOp::Neg,
                ..
            }
        ));
        let StmtKind::Expr(e) = stmt("not a == b and c") else {
            panic!()
        };
        assert!(matches!(
            e.kind,
            ExprKind::BoolOp {
                op: BoolOp::And,
                ..
            }
        ));
    }

    #[test]
    fn statements_of_every_kind_parse() {
        for src in [
            "x = [i*i for i in range(5)]",
            "a, b = 1, 2",
            "obj.attr = d['k'] = 3",
            "print(f\"{x[-1]:>4}|\", sep='')",
            "{'a': (1,), 'b': None}",
            "from django.db.models import Q, F",
            "import datetime as dt",
            "for p in qs:\n    print(p)\n    if p: pass\n",
            "if a:\n    x\nelif b:\n    y\nelse:\n    z\n",
            "Book.objects.filter(\n    title='x',  # the title\n)",
            "x = 1 + \\\n    2",
            "del x, y[0]",
            "lambda x, *a, k=1, **kw: x",
            "{**a, 'b': 2}",
            "{x: y for x, y in z.items() if x}",
            "qs[1:4], qs[::2], qs[:3]",
            "'a' 'b' f'{c!r:>{w}}'",
            "x += 1",
        ] {
            parse_input(src).unwrap_or_else(|e| panic!("{src:?}: {e:?}"));
        }
    }

    #[test]
    fn models_files_parse_with_classes_and_methods() {
        let src = "from django.db import models\n\n\nclass Book(models.Model):\n    \"\"\"A book.\"\"\"\n    title = models.CharField(max_length=10)\n\n    class Meta:\n        ordering = ['title']\n\n    @property\n    def upper(self) -> str:\n        return self.title.upper()\n\n    def __str__(self):\n        return f'{self.title}'\n";
        let stmts = parse_module(src).unwrap();
        assert_eq!(stmts.len(), 2);
        let StmtKind::ClassDef(c) = &stmts[1].kind else {
            panic!()
        };
        assert_eq!(c.name.name, "Book");
        assert_eq!(c.body.len(), 5);
    }

    #[test]
    fn unreadable_lines_in_files_are_kept_not_fatal() {
        let src =
            "class A(models.Model):\n    x = 1\n    match x:\n        case 1: pass\n    y = 2\n";
        let stmts = parse_module(src).unwrap();
        let StmtKind::ClassDef(c) = &stmts[0].kind else {
            panic!("{stmts:?}")
        };
        assert!(matches!(c.body[1].kind, StmtKind::Unparsed(_)));
        assert_eq!(c.body.len(), 3);
    }

    #[test]
    fn blank_lines_may_stand_before_a_clause_in_a_file() {
        // django/contrib/admin/models.py: a blank line, then `else` two levels out.
        let src = "def f(x):\n    if x:\n        for i in x:\n            pass\n\n    else:\n        pass\n    try:\n        if x:\n            y = 1\n\n    except E:\n        pass\n\n    finally:\n        pass\n";
        let stmts = parse_module(src).unwrap();
        let StmtKind::FunctionDef(f) = &stmts[0].kind else {
            panic!("{stmts:?}")
        };
        assert_eq!(f.body.len(), 2);
        assert!(
            f.body
                .iter()
                .all(|s| !matches!(s.kind, StmtKind::Unparsed(_)))
        );
    }

    #[test]
    fn syntax_errors_use_pythons_messages() {
        assert_eq!(
            err("Book.objects.filter(title=“Dune”)"),
            "invalid character '“' (U+201C)"
        );
        assert_eq!(err("(😀)"), "invalid character '😀' (U+1F600)");
        assert_eq!(err("1 + ½"), "invalid character '½' (U+00BD)");
        assert_eq!(err("x =\u{a0}1"), "invalid non-printable character U+00A0");
        assert_eq!(err("x é"), "invalid syntax");
        for src in [
            "Book.objects.filter(title=“Ender's Game”)",
            "print(“Dune”",
            "1 +* “x”",
        ] {
            assert_eq!(err(src), "invalid character '“' (U+201C)", "{src}");
        }
        assert_eq!(err("1 +* 2"), "invalid syntax");
        assert_eq!(err("if x\n    y\n"), "expected ':'");
        assert_eq!(
            err("f(a=1, 2)"),
            "positional argument follows keyword argument"
        );
        assert_eq!(
            err("1 = x"),
            "cannot assign to literal here. Maybe you meant '==' instead of '='?"
        );
        assert_eq!(err("f("), "'(' was never closed");
        assert_eq!(
            err("print 'x'"),
            "Missing parentheses in call to 'print'. Did you mean print(...)?"
        );
        assert_eq!(err("  x = 1"), "unexpected indent");
        assert_eq!(
            err("for x in y:\nprint(x)\n"),
            "expected an indented block after 'for' statement on line 1"
        );
        assert_eq!(
            err("f(x for x in y, 1)"),
            "Generator expression must be parenthesized"
        );
    }

    #[test]
    fn errors_point_at_the_offending_token() {
        let e = parse_input("x = = 1").unwrap_err();
        assert_eq!(e.span.unwrap().start, 4);
        assert_eq!(e.label.as_deref(), Some("expected an expression"));
    }

    #[test]
    fn spans_survive_line_joining() {
        let src = "f(1,\n  zz)";
        let StmtKind::Expr(Expr {
            kind: ExprKind::Call { args, .. },
            ..
        }) = stmt(src)
        else {
            panic!()
        };
        assert_eq!(&src[args[1].span.start..args[1].span.end], "zz");
    }

    #[test]
    fn deep_nesting_parses_in_linear_time() {
        let run = || {
            let src = format!("{}x{}", "([{".repeat(66), "}])".repeat(66));
            let start = std::time::Instant::now();
            parse_input(&src).unwrap();
            assert!(start.elapsed().as_secs() < 5);
            assert_eq!(
                parse_input(&"(".repeat(201)).unwrap_err().message,
                "too many nested parentheses"
            );
        };
        crate::with_big_stack(run);
    }
}
