//! Python modules read from source files, as Python's import finds them on
//! `sys.path`: a project's settings (`mysite.settings`, `from .base import
//! *`), its helpers, and the small modules settings use to read the
//! environment (`environ`, `decouple`, `dj_database_url`), which ormsh
//! carries as Python text. A module runs once, in a namespace of its own;
//! a statement that fails is reported with its file and line, and the
//! rest of the module still runs.

use super::interp::Interp;
use super::scope::{Scope, ScopeRef};
use super::value::Value;
use crate::error::{Error, Result};
use crate::schema::{Diagnostic, Severity};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

#[derive(Default)]
pub struct Sources {
    /// Where modules are looked for, first match wins (`sys.path`).
    pub roots: Vec<PathBuf>,
    loaded: HashMap<String, ScopeRef>,
    /// What could not run, for the edge to print.
    pub diagnostics: Vec<Diagnostic>,
    /// What the environment readers fell back to (`DEBUG is not set…`).
    pub notes: Vec<String>,
}

/// The environment readers settings files import, as Python text.
const SHIMS: &[(&str, &str)] = &[
    ("environ", include_str!("shims/environ.py")),
    ("decouple", include_str!("shims/decouple.py")),
    ("dj_database_url", include_str!("shims/dj_database_url.py")),
];

fn shim(name: &str) -> Option<&'static str> {
    SHIMS.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

impl Sources {
    /// The file a dotted module name is, under the first root that has it.
    fn find(&self, dotted: &str) -> Option<PathBuf> {
        let rel: PathBuf = dotted.split('.').collect();
        self.roots.iter().find_map(|root| {
            let base = root.join(&rel);
            let file = base.with_extension("py");
            let package = base.join("__init__.py");
            if package.is_file() {
                Some(package)
            } else if file.is_file() {
                Some(file)
            } else {
                None
            }
        })
    }

    pub fn exists(&self, dotted: &str) -> bool {
        self.loaded.contains_key(dotted) || shim(dotted).is_some() || self.find(dotted).is_some()
    }
}

impl Interp {
    pub fn set_source_roots(&mut self, roots: Vec<PathBuf>) {
        self.sources.borrow_mut().roots = roots;
    }

    /// An app's models module as Python imports it: its dotted name from
    /// the folders above it that are packages (`polls/models.py` →
    /// `polls.models`), its folder's parent on `sys.path`, so that its
    /// relative and absolute imports (`from .managers import …`) are found,
    /// and its namespace registered under that name.
    pub(super) fn place_models_module(&mut self, path: &Path, scope: &ScopeRef) {
        let Ok(file) = path.canonicalize() else {
            return;
        };
        let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned());
        let Some(mut dir) = file.parent().map(Path::to_path_buf) else {
            return;
        };
        let mut parts: Vec<String> = match stem.as_deref() {
            Some("__init__") | None => Vec::new(),
            Some(s) => vec![s.to_string()],
        };
        // The app's own folder is a package even without __init__.py.
        while let Some(name) = dir.file_name().map(|n| n.to_string_lossy().into_owned()) {
            parts.insert(0, name);
            let Some(parent) = dir.parent().map(Path::to_path_buf) else {
                break;
            };
            dir = parent;
            if !dir.join("__init__.py").is_file() {
                break;
            }
        }
        let dotted = parts.join(".");
        let package = if stem.as_deref() == Some("__init__") {
            dotted.clone()
        } else {
            dotted
                .rsplit_once('.')
                .map_or(String::new(), |(p, _)| p.to_string())
        };
        {
            let mut s = scope.borrow_mut();
            s.set("__name__", Value::str(dotted.as_str()));
            s.set("__package__", Value::str(package.as_str()));
            s.set("__file__", Value::str(file.to_string_lossy().as_ref()));
        }
        let mut sources = self.sources.borrow_mut();
        if !sources.roots.contains(&dir) {
            sources.roots.push(dir);
        }
        sources.loaded.insert(dotted, scope.clone());
    }

    /// What the environment readers fell back to.
    pub fn take_source_notes(&mut self) -> Vec<String> {
        std::mem::take(&mut self.sources.borrow_mut().notes)
    }

    /// `_ormsh.read_env_file(path)`: a `.env` file's `KEY=value` lines as a
    /// dict (the project's own `.env` when path is None); a missing file
    /// is an empty dict, as the readers treat it.
    pub(super) fn read_env_file(&mut self, args: super::call::Args) -> Result<Value> {
        args.count("read_env_file", 1, 1)?;
        let path = match &args.pos[0] {
            Value::None => self.sources.borrow().roots.first().map(|r| r.join(".env")),
            other => Some(PathBuf::from(crate::value::repr::str(other))),
        };
        let mut dict = super::value::Dict::default();
        let text = path
            .and_then(|p| std::fs::read_to_string(p).ok())
            .unwrap_or_default();
        for line in text.lines() {
            let line = line.trim();
            let line = line.strip_prefix("export ").unwrap_or(line);
            if line.starts_with('#') {
                continue;
            }
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            let value = value.trim();
            let unquoted = ['"', '\'']
                .iter()
                .find_map(|q| value.strip_prefix(*q).and_then(|v| v.strip_suffix(*q)))
                .unwrap_or(value);
            dict.insert(Value::str(key.trim()), Value::str(unquoted))?;
        }
        Ok(Value::dict(dict))
    }

    /// `str(content_type)`: Django's `app_labeled_name`, the app's and the
    /// model's verbose names when the model is installed, else its name.
    pub(super) fn content_type_name(&mut self, args: super::call::Args) -> Result<Value> {
        args.count("content_type_name", 2, 2)?;
        let app = crate::value::repr::str(&args.pos[0]);
        let model = crate::value::repr::str(&args.pos[1]);
        let registry = self.orm.registry.clone();
        let found = registry
            .models
            .iter()
            .find(|m| m.app_label == app && m.name.to_lowercase() == model);
        let config = registry.apps.iter().find(|a| a.label == app);
        Ok(Value::str(match (found, config) {
            (Some(m), Some(a)) => format!("{} | {}", a.verbose_name, m.meta.verbose_name),
            _ => model,
        }))
    }

    /// `_ormsh.model_key(model_or_instance, for_concrete)`: the app label
    /// and lower-cased name ContentType keys a model by (its concrete
    /// model's for a proxy, unless told otherwise).
    pub(super) fn model_key(&mut self, args: super::call::Args) -> Result<Value> {
        args.count("model_key", 1, 2)?;
        let registry = self.orm.registry.clone();
        let id = match &args.pos[0] {
            Value::Model(m) => m.id,
            Value::Instance(i) => i.borrow().model,
            other => {
                return Err(Error::new(
                    "AttributeError",
                    format!("'{}' object has no attribute '_meta'", other.type_name()),
                ));
            }
        };
        let concrete = args.pos.get(1).is_none_or(Value::truthy);
        let id = match registry.model(id).proxy_for {
            Some(c) if concrete => c,
            _ => id,
        };
        let m = registry.model(id);
        Ok(Value::tuple(vec![
            Value::str(m.app_label.as_str()),
            Value::str(m.name.to_lowercase().as_str()),
        ]))
    }

    /// What the modules run so far could not do.
    pub fn take_source_diagnostics(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.sources.borrow_mut().diagnostics)
    }

    /// `from .base import x` inside `mysite.settings`: the absolute name,
    /// from the importing module's `__package__`.
    pub(super) fn absolute_module(&self, module: &str, scope: &ScopeRef) -> Result<String> {
        let dots = module.len() - module.trim_start_matches('.').len();
        if dots == 0 {
            return Ok(module.to_string());
        }
        let package = match Scope::lookup(scope, "__package__") {
            Some(Value::Str(p)) if !p.is_empty() => p.to_string(),
            _ => {
                return Err(Error::new(
                    "ImportError",
                    "attempted relative import with no known parent package",
                ));
            }
        };
        let mut parts: Vec<&str> = package.split('.').collect();
        if dots > parts.len() {
            return Err(Error::new(
                "ImportError",
                "attempted relative import beyond top-level package",
            ));
        }
        parts.truncate(parts.len() - (dots - 1));
        let rest = &module[dots..];
        let mut out = parts.join(".");
        if !rest.is_empty() {
            out = format!("{out}.{rest}");
        }
        Ok(out)
    }

    /// A module already imported (or an app's models module being run).
    pub(super) fn loaded_source(&self, dotted: &str) -> Option<ScopeRef> {
        self.sources.borrow().loaded.get(dotted).cloned()
    }

    /// Whether `dotted` is a module read from source: not one of ormsh's
    /// own (the standard library, Django, an app's models), and found.
    pub(super) fn source_module_exists(&self, dotted: &str) -> bool {
        let app = dotted.strip_suffix(".models").unwrap_or(dotted);
        let ours = super::stdlib::is_module(dotted)
            || dotted == "django"
            || dotted.starts_with("django.")
            || self.orm.registry.apps.iter().any(|a| a.label == app);
        !ours && self.sources.borrow().exists(dotted)
    }

    /// The namespace of a source module, run the first time it is asked for
    /// (its parent packages first, as Python imports them).
    pub fn import_source(&mut self, dotted: &str) -> Result<Option<ScopeRef>> {
        if let Some(scope) = self.sources.borrow().loaded.get(dotted) {
            return Ok(Some(scope.clone()));
        }
        if let Some((parent, _)) = dotted.rsplit_once('.') {
            self.import_source(parent)?;
        }
        if let Some(text) = shim(dotted) {
            return self.run_source(dotted, None, text, false).map(Some);
        }
        let Some(file) = self.sources.borrow().find(dotted) else {
            return Ok(None);
        };
        let text = std::fs::read_to_string(&file).map_err(|e| {
            Error::new(
                "ImportError",
                format!("cannot read '{}': {e}", file.display()),
            )
        })?;
        let package = file.ends_with("__init__.py");
        self.run_source(dotted, Some(&file), &text, package)
            .map(Some)
    }

    /// Runs a module's text into a new namespace, registered before it runs
    /// so that a circular import finds the names bound so far.
    fn run_source(
        &mut self,
        dotted: &str,
        file: Option<&Path>,
        text: &str,
        package: bool,
    ) -> Result<ScopeRef> {
        let scope = Scope::root();
        let parent = match (package, dotted.rsplit_once('.')) {
            (true, _) => dotted.to_string(),
            (false, Some((p, _))) => p.to_string(),
            (false, None) => String::new(),
        };
        {
            let mut s = scope.borrow_mut();
            s.set("__name__", Value::str(dotted));
            s.set("__package__", Value::str(parent.as_str()));
            if let Some(f) = file {
                s.set("__file__", Value::str(f.to_string_lossy().as_ref()));
            }
        }
        self.sources
            .borrow_mut()
            .loaded
            .insert(dotted.to_string(), scope.clone());
        let stmts = match crate::syntax::parse_module(text) {
            Ok(s) => s,
            Err(e) => {
                self.report(file, text, &e);
                return Ok(scope);
            }
        };
        let source: Rc<str> = text.into();
        for stmt in &stmts {
            if let crate::syntax::ast::StmtKind::Unparsed(chunk) = &stmt.kind {
                let e = crate::syntax::unparsed_error(chunk, stmt.span.start);
                self.report_in(file, source.clone(), &e, stmt.span);
                continue;
            }
            if let Err(e) = self.exec_in(stmt, &scope) {
                self.report_in(file, source.clone(), &e, stmt.span);
                for name in crate::syntax::ast::local_names(std::slice::from_ref(stmt)) {
                    scope.borrow_mut().remove(&name);
                }
            }
        }
        Ok(scope)
    }

    fn report(&mut self, file: Option<&Path>, text: &str, e: &Error) {
        let span = e.span.unwrap_or_default();
        self.report_in(file, text.into(), e, span);
    }

    fn report_in(
        &mut self,
        file: Option<&Path>,
        source: Rc<str>,
        e: &Error,
        stmt: crate::syntax::Span,
    ) {
        let span = e.span.filter(|s| s.end <= source.len()).unwrap_or(stmt);
        self.sources.borrow_mut().diagnostics.push(Diagnostic {
            severity: Severity::Warning,
            message: format!("{}: {}", e.kind, e.message),
            file: file.map(Path::to_path_buf),
            source,
            span,
            hint: Some("this statement did not run; the rest of the module did".into()),
        });
    }

    /// `module.name` of a source module: its name, or a submodule.
    pub(super) fn source_attr(&mut self, module: &str, name: &str) -> Result<Option<Value>> {
        let Some(scope) = self.import_source(module)? else {
            return Ok(None);
        };
        if let Some(v) = Scope::lookup(&scope, name) {
            return Ok(Some(v));
        }
        let sub = format!("{module}.{name}");
        Ok(self
            .import_source(&sub)?
            .map(|_| Value::Module(sub.as_str().into())))
    }

    /// `from module import *` of a source module: its `__all__`, else every
    /// name not starting with an underscore.
    pub(super) fn public_names(&mut self, scope: &ScopeRef) -> Result<Vec<(String, Value)>> {
        let all = Scope::lookup(scope, "__all__");
        let names: Vec<String> = match all {
            Some(v) => self
                .collect(&v)?
                .iter()
                .map(crate::value::repr::str)
                .collect(),
            None => scope
                .borrow()
                .names()
                .filter(|n| !n.starts_with('_'))
                .cloned()
                .collect(),
        };
        Ok(names
            .into_iter()
            .filter_map(|n| Scope::lookup(scope, &n).map(|v| (n, v)))
            .collect())
    }
}
