//! The layering ARCHITECTURE.md states, held by the source itself: a layer
//! never names one above it. The query compiler, the database and the
//! registry know nothing of the interpreter, the renderers or the prompt;
//! the interpreter knows nothing of the renderers, the prompt or the
//! dot-commands.

use std::fs;
use std::path::{Path, PathBuf};

fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// Every line of code (comments aside) under `src/<layer>` that names one
/// of `above`.
fn reaching_up(layer: &str, above: &[&str]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join(layer);
    let mut found = Vec::new();
    for file in sources(&root) {
        let text = fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            if above.iter().any(|a| code.contains(a)) {
                found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    found
}

#[test]
fn the_query_compiler_database_and_registry_know_nothing_above_them() {
    let above = [
        "engine::",
        "crate::orm",
        "crate::value",
        "crate::render",
        "crate::repl",
        "crate::session",
    ];
    for layer in ["query", "db", "schema"] {
        let found = reaching_up(layer, &above);
        assert!(
            found.is_empty(),
            "{layer} reaches up:\n{}",
            found.join("\n")
        );
    }
}

/// The ORM (`src/orm`) reaches the evaluator only through its `Python`
/// trait.
#[test]
fn the_orm_knows_nothing_of_the_evaluator_or_anything_above() {
    let above = [
        "engine::",
        "Interp",
        "crate::render",
        "crate::repl",
        "crate::commands",
        "crate::session",
    ];
    let found = reaching_up("orm", &above);
    assert!(found.is_empty(), "orm reaches up:\n{}", found.join("\n"));
}

/// Python's values (`src/value`) are what the ORM and the evaluator share:
/// they name neither.
#[test]
fn values_know_nothing_of_the_evaluator_or_anything_above() {
    let above = [
        "engine::",
        "crate::orm",
        "Interp",
        "crate::render",
        "crate::repl",
        "crate::commands",
        "crate::session",
    ];
    let found = reaching_up("value", &above);
    assert!(found.is_empty(), "value reaches up:\n{}", found.join("\n"));
}

#[test]
fn the_interpreter_knows_nothing_of_renderers_prompt_or_commands() {
    let found = reaching_up(
        "engine",
        &[
            "crate::render",
            "crate::repl",
            "crate::commands",
            "crate::session",
        ],
    );
    assert!(found.is_empty(), "engine reaches up:\n{}", found.join("\n"));
}

/// Files stay small enough to read whole: none over 600 lines.
#[test]
fn no_source_file_is_over_six_hundred_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let long: Vec<String> = sources(&root)
        .into_iter()
        .filter_map(|f| {
            let n = fs::read_to_string(&f).unwrap().lines().count();
            (n > 600).then(|| format!("{}: {n} lines", f.display()))
        })
        .collect();
    assert!(long.is_empty(), "split these:\n{}", long.join("\n"));
}

/// The layers, lowest first: a module may name only those before it.
const ORDER: &[&str] = &[
    "span",
    "error",
    "limits",
    "suggest",
    "settings",
    "python_decimal",
    "python_float",
    "python_re",
    "syntax",
    "schema",
    "query",
    "db",
    "value",
    "orm",
    "engine",
    "render",
    "cli",
    "commands",
    "session",
    "repl",
    "project",
    "startup",
];

/// The top-level modules a line of code names: through `crate::`, plain
/// (`crate::db::X`) or grouped (`crate::{db::{A, B}, query::Y}`), and
/// through as many `super::` as climb out of its top-level module, from a
/// file `depth` modules deep.
fn named_modules(code: &str, depth: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        out.extend(first_names(rest));
    }
    let mut rest = code;
    while let Some(at) = rest.find("super::") {
        let mut climbed = 0;
        rest = &rest[at..];
        while let Some(r) = rest.strip_prefix("super::") {
            climbed += 1;
            rest = r;
        }
        if climbed >= depth {
            out.extend(first_names(rest));
        }
    }
    out
}

/// The first name of a path, or of each path in a `{…}` group.
fn first_names(path: &str) -> Vec<String> {
    let ident = |t: &str| -> String {
        t.trim()
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || *c == '_')
            .collect()
    };
    let Some(group) = path.strip_prefix('{') else {
        return vec![ident(path)];
    };
    let (mut names, mut level, mut start) = (Vec::new(), 0, 0);
    for (i, c) in group.char_indices() {
        match c {
            '{' => level += 1,
            '}' if level == 0 => {
                names.push(ident(&group[start..i]));
                break;
            }
            '}' => level -= 1,
            ',' if level == 0 => {
                names.push(ident(&group[start..i]));
                start = i + 1;
            }
            _ => {}
        }
    }
    names
}

#[test]
fn every_layer_names_only_layers_below_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    for file in sources(&root) {
        let rel = file.strip_prefix(&root).unwrap();
        let top = rel.iter().next().unwrap().to_string_lossy();
        let top = top.trim_end_matches(".rs");
        if top == "lib" || top == "main" {
            continue;
        }
        let Some(level) = ORDER.iter().position(|m| *m == top) else {
            found.push(format!("{}: a module ORDER does not place", rel.display()));
            continue;
        };
        // src/a/b.rs is module a::b, src/a/mod.rs module a.
        let depth = rel.iter().count() - usize::from(rel.ends_with("mod.rs"));
        let text = fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            for m in named_modules(code, depth) {
                if ORDER[level + 1..].contains(&m.as_str()) {
                    found.push(format!("{}:{}: {top} names {m}", rel.display(), n + 1));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "layers reaching up:\n{}",
        found.join("\n")
    );
}

/// Every line of code under `src` outside the folders `allowed` that
/// `bad` says is one.
fn lines_outside(allowed: &[&str], bad: impl Fn(&str) -> bool) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    for file in sources(&root) {
        let rel = file
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .to_string();
        if allowed.iter().any(|a| rel.starts_with(a)) {
            continue;
        }
        let text = fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            if bad(code) {
                found.push(format!("{rel}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    found
}

/// The rest of the program sees only `syntax::ast`: pest stays in the parser.
#[test]
fn only_the_parser_names_pest() {
    let found = lines_outside(&["syntax/"], |code| code.contains("pest::"));
    assert!(
        found.is_empty(),
        "pest outside the parser:\n{}",
        found.join("\n")
    );
}

/// SQL that reads or writes a model's rows is built by the query compiler
/// alone; `src/db` writes DDL, savepoints and catalogue reads.
#[test]
fn no_row_sql_outside_the_compiler_and_the_database() {
    let statements = ["\"SELECT ", "\"INSERT INTO ", "\"UPDATE ", "\"DELETE FROM "];
    let found = lines_outside(&["query/", "db/"], |code| {
        statements.iter().any(|s| code.contains(s))
    });
    assert!(
        found.is_empty(),
        "SQL outside the compiler:\n{}",
        found.join("\n")
    );
}
