//! Random text and random token sequences thrown at the parser and the
//! evaluator: whatever comes in, ormsh answers with a value or an error and
//! never panics.

use ormsh::engine::{Console, Interp, Value};
use ormsh::error::Result;
use proptest::prelude::*;

struct Quiet;

impl Console for Quiet {
    fn print(&mut self, _: &str) -> Result<()> {
        Ok(())
    }
    fn display(&mut self, _: &mut Interp, _: &Value) -> Result<()> {
        Ok(())
    }
    fn help(
        &mut self,
        _registry: &ormsh::schema::Registry,
        _model: Option<ormsh::schema::ModelId>,
    ) -> Result<()> {
        Ok(())
    }

    fn finish_line(&mut self) -> Result<()> {
        Ok(())
    }
}

/// Tokens of the shell's language; `while` is left out so that a random
/// program cannot loop forever, and numbers stay small so that loops end soon.
const TOKENS: &[&str] = &[
    "x",
    "y",
    "qs",
    "print",
    "len",
    "range",
    "list",
    "dict",
    "sorted",
    "str",
    "int",
    "float",
    "sum",
    "max",
    "0",
    "1",
    "2",
    "3",
    "-1",
    "1.5",
    "1e3",
    "'a'",
    "\"b\"",
    "f'{x}'",
    "f'{x:>3}'",
    "'%s'",
    "True",
    "None",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    ".",
    "=",
    "==",
    "!=",
    "<",
    ">=",
    "+",
    "-",
    "*",
    "/",
    "//",
    "%",
    "**",
    "&",
    "|",
    "~",
    "not",
    "and",
    "or",
    "in",
    "is",
    "if",
    "else",
    "elif",
    "for",
    "lambda",
    "del",
    "pass",
    "\n",
    "\n    ",
    ";",
    "\\\n",
    "#c",
    "*",
    "**",
    "upper",
    "append",
    "keys",
    "items",
    "@",
];

/// Runs `src` as the script runner does: split into console statements,
/// each parsed and run; returns how many statements ran without error.
fn run(src: &str) -> usize {
    let mut interp = Interp::new(Box::new(Quiet));
    interp.set_global("x", Value::Int(3));
    interp.set_global("y", Value::list(vec![Value::Int(1), Value::str("s")]));
    // A list and a dict that contain themselves.
    let setup = ormsh::syntax::parse_input("s = [1]; s.append(s); d = {}; d['d'] = d").unwrap();
    interp.run(&setup).unwrap();
    let mut splitter = ormsh::repl::splitter::Splitter::default();
    let mut statements: Vec<_> = src.lines().flat_map(|l| splitter.push(l)).collect();
    statements.extend(splitter.finish());
    let mut ok = 0;
    for st in statements {
        if let Ok(stmts) = ormsh::syntax::parse_input(&st.source()) {
            ok += interp.run(&stmts).is_ok() as usize;
        }
    }
    ok
}

fn check(src: String) {
    // Deep inputs need the stack ormsh itself runs with.
    ormsh::with_big_stack(move || {
        let _ = ormsh::syntax::completeness(&src);
        let _ = ormsh::syntax::parse_module(&src);
        if let Err(e) = ormsh::syntax::parse_input(&src) {
            render_everywhere(&e, &src);
        }
        run(&src);
    });
}

/// An error as each format shows it: carets under any character.
fn render_everywhere(e: &ormsh::error::Error, src: &str) {
    use ormsh::render::{Format, error::Source};
    for format in [Format::Table, Format::Repr, Format::Json, Format::Csv] {
        for color in [false, true] {
            let source = Source {
                text: src,
                first_line: 1,
            };
            ormsh::render::error::render(e, &source, format, color);
        }
    }
}

/// Characters pasted from documents and chat: quotes, symbols, emoji, and
/// the invisible ones.
const UNICODE: &[&str] = &[
    "“", "”", "‘", "’", "½", "😀", "é", "ß", "\u{a0}", "\u{200b}", "\u{200f}", "\u{feff}",
    "\u{301}", "\u{2028}", "Ω", "中", "—", "…", "→",
];

#[test]
fn generated_programs_really_run() {
    // Guards the property tests above against testing only the parser.
    assert_eq!(
        run("(1 + 2)\nz = [x for x in range(3)]\nfor x in [z, 1]: x\n"),
        3
    );
}

/// Well-formed expressions, so that the evaluator (not only the parser) meets
/// every operator, builtin and method with every kind of operand.
fn expression() -> impl Strategy<Value = String> {
    let leaf = prop::sample::select(
        &[
            "0",
            "1",
            "2",
            "0",
            "1",
            "2",
            "-1",
            "1.5",
            "0.0",
            "'a'",
            "''",
            "x",
            "y",
            "True",
            "None",
            "[]",
            "{}",
            "()",
            "range(3)",
            "{1, 2}",
            "{'k': 1}",
            "2 ** 63 - 1",
            "s",
            "d",
            "[s, d]",
        ][..],
    )
    .prop_map(String::from);
    leaf.prop_recursive(4, 48, 3, |inner| {
        let ops = prop::sample::select(&[
            "+", "-", "*", "/", "//", "%", "**", "==", "<", ">=", "in", "not in", "is", "and", "or", "&", "|", "^", "<<", ">>",
        ][..]);
        let funcs = prop::sample::select(&[
            "len", "str", "repr", "int", "float", "bool", "list", "tuple", "set", "dict", "sorted", "sum", "max", "min",
            "abs", "round", "range", "enumerate", "zip", "reversed", "any", "all", "chr", "ord", "print", "iter", "next",
        ][..]);
        let methods = prop::sample::select(&[
            "upper()", "split()", "strip('a')", "append(1)", "pop()", "keys()", "items()", "get(1)", "count(1)",
            "index(1)", "sort()", "format(1)", "zfill(3)", "add(1)", "union([1])", "replace('a', 'b')",
        ][..]);
        prop_oneof![
            6 => (inner.clone(), ops, inner.clone()).prop_map(|(a, op, b)| format!("({a} {op} {b})")),
            1 => (funcs, inner.clone()).prop_map(|(f, a)| format!("{f}({a})")),
            1 => (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a}[{b}]")),
            1 => (inner.clone(), inner.clone(), inner.clone()).prop_map(|(a, b, c)| format!("{a}[{b}:{c}]")),
            1 => (inner.clone(), methods).prop_map(|(a, m)| format!("{a}.{m}")),
            1 => (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("[{a}, *{b}]")),
            1 => (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{{{a}: {b}}}")),
            1 => (inner.clone(), inner.clone(), inner.clone()).prop_map(|(a, b, c)| format!("({a} if {b} else {c})")),
            1 => (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("[{a} for x in {b}]")),
            1 => (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("f'{{{a}:>3}}{{{b}!r}}'")),
            1 => (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("'%s %d' % ({a}, {b})")),
            1 => inner.clone().prop_map(|a| format!("-{a}")),
            1 => inner.clone().prop_map(|a| format!("not {a}")),
            1 => inner.prop_map(|a| format!("(lambda v: v * 2)({a})")),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

    #[test]
    fn random_text_never_panics(src in "\\PC{0,80}") {
        check(src);
    }

    #[test]
    fn random_token_sequences_never_panic(tokens in prop::collection::vec(prop::sample::select(TOKENS), 0..40)) {
        check(tokens.join(" "));
    }

    #[test]
    fn random_well_formed_expressions_never_panic(e in expression()) {
        check(format!("{e}\nz = {e}\nfor x in [z, 1]: x\n"));
    }

    #[test]
    fn non_ascii_next_to_errors_never_panics(
        parts in prop::collection::vec(
            prop_oneof![prop::sample::select(TOKENS), prop::sample::select(UNICODE)],
            0..30,
        )
    ) {
        check(parts.concat());
        check(parts.join(" "));
    }

    #[test]
    fn random_expression_shapes_never_panic(tokens in prop::collection::vec(prop::sample::select(TOKENS), 0..12)) {
        check(format!("x = [{}]\nprint(x)", tokens.join(" ")));
    }
}

proptest! {
    // Each deep case parses thousands of levels: fewer of them.
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn deep_nesting_never_overflows(depth in 0usize..4000, shape in 0usize..8) {
        let src = match shape {
            0 => format!("{}1{}", "(".repeat(depth), ")".repeat(depth)),
            1 => format!("{}]", "[".repeat(depth)),
            2 => format!("{}1", "-".repeat(depth)),
            3 => format!("1{}", "+1".repeat(depth)),
            4 => format!("x{}", ".real".repeat(depth)),
            5 => format!("{}1", "not ".repeat(depth)),
            6 => (0..depth.min(300))
                .map(|i| format!("{}if 1:\n", " ".repeat(i)))
                .collect::<String>() + &" ".repeat(depth.min(300)) + "pass\n",
            _ => format!("{}s{}", "[".repeat(depth.min(150)), "]".repeat(depth.min(150))),
        };
        check(src);
    }
}
