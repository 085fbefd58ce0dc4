//! A `models/` package's files in the order Python first runs them:
//! `__init__.py` and, depth first, each module its relative imports reach
//! before the module itself finishes. So a base class another file of the
//! package defines (`from .filemodels import File`) is read first.

use crate::syntax::ast::StmtKind;
use std::path::{Path, PathBuf};

pub(super) fn import_order(dir: &Path, mut paths: Vec<PathBuf>) -> Vec<PathBuf> {
    paths.sort();
    let mut walk = Walk {
        dir,
        paths: &paths,
        order: Vec::new(),
        started: Vec::new(),
    };
    walk.visit(&dir.join("__init__.py"));
    for p in &paths {
        walk.visit(p);
    }
    walk.order
}

struct Walk<'a> {
    dir: &'a Path,
    paths: &'a [PathBuf],
    order: Vec<PathBuf>,
    /// Modules begun: a cycle of imports runs each once, as Python's
    /// `sys.modules` makes it.
    started: Vec<PathBuf>,
}

impl Walk<'_> {
    fn visit(&mut self, file: &Path) {
        if !self.paths.iter().any(|p| p == file) || self.started.iter().any(|p| p == file) {
            return;
        }
        self.started.push(file.to_path_buf());
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let stmts = crate::syntax::parse_module(&text).unwrap_or_default();
        for stmt in &stmts {
            for name in relative_imports(&stmt.kind) {
                let next = self.dir.join(format!("{name}.py"));
                self.visit(&next);
            }
        }
        self.order.push(file.to_path_buf());
    }
}

/// The sibling modules a statement imports: `from .x import …` gives `x`,
/// `from . import x, y` gives both.
fn relative_imports(kind: &StmtKind) -> Vec<String> {
    let StmtKind::ImportFrom { module, names } = kind else {
        return Vec::new();
    };
    match module.strip_prefix('.') {
        Some("") => names.iter().map(|a| a.name.name.clone()).collect(),
        Some(rest) if !rest.starts_with('.') => {
            vec![rest.split('.').next().unwrap_or(rest).to_string()]
        }
        _ => Vec::new(),
    }
}
