//! Every statement of every conformance session parses, and every models.py
//! parses with nothing skipped, even where evaluation does not exist yet.

use ormsh::repl::splitter::Splitter;
use ormsh::syntax::ast::{Stmt, StmtKind};
use ormsh::syntax::{parse_input, parse_module};
use std::fs;
use std::path::{Path, PathBuf};

fn scenario_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    for root in [
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance"),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance"),
    ] {
        if let Ok(entries) = fs::read_dir(root) {
            dirs.extend(
                entries
                    .map(|e| e.unwrap().path())
                    .filter(|p| p.join("session.txt").exists()),
            );
        }
    }
    dirs
}

fn has_unparsed(stmts: &[Stmt]) -> bool {
    stmts.iter().any(|s| match &s.kind {
        StmtKind::Unparsed(_) => true,
        StmtKind::ClassDef(c) => has_unparsed(&c.body),
        StmtKind::FunctionDef(f) => has_unparsed(&f.body),
        _ => false,
    })
}

#[test]
fn every_conformance_statement_parses() {
    let dirs = scenario_dirs();
    assert!(dirs.len() > 20);
    ormsh::with_big_stack(move || {
        let mut count = 0;
        for dir in dirs {
            // lang_syntax_errors is made of statements that must not parse.
            if dir.ends_with("lang_syntax_errors") {
                continue;
            }
            let text = fs::read_to_string(dir.join("session.txt")).unwrap();
            let mut splitter = Splitter::default();
            let mut statements: Vec<_> = text.lines().flat_map(|l| splitter.push(l)).collect();
            statements.extend(splitter.finish());
            for st in statements {
                count += 1;
                if let Err(e) = parse_input(&st.source()) {
                    panic!(
                        "{}: line {}: {:?} does not parse: {e}",
                        dir.display(),
                        st.first_line,
                        st.source()
                    );
                }
            }
            let models = fs::read_to_string(dir.join("models.py")).unwrap();
            let stmts = parse_module(&models)
                .unwrap_or_else(|e| panic!("{}: models.py: {e}", dir.display()));
            assert!(
                !has_unparsed(&stmts),
                "{}: models.py has lines the grammar skipped",
                dir.display()
            );
        }
        assert!(count > 500, "only {count} statements were checked");
    });
}
