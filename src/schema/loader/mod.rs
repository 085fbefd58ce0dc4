//! models.py files to models, through the shell's own grammar.
//!
//! A class is a model when one of its bases is `models.Model` or a model of
//! the same file. Real files are untidy: methods, managers, properties and
//! module-level code are passed over (and listed in `App::skipped`); an
//! unknown field class becomes a text column with a warning. Relations are
//! kept by name here and resolved across all apps by `resolve`.

use super::literal::{Literal, dotted};
use super::{App, Diagnostic, Field, FieldKind, Meta, OnDelete, Registry, Severity};
use crate::syntax::ast::{ArgKind, ClassDef, CmpOp, Expr, ExprKind, Stmt, StmtKind};
use crate::syntax::{Span, parse_module};
use std::collections::HashMap;
use std::path::PathBuf;
use std::rc::Rc;

/// One models.py to load, and the app it belongs to.
#[derive(Debug, Clone)]
pub struct ModelSource {
    pub app_label: String,
    pub path: Option<PathBuf>,
    pub text: String,
    /// The primary-key class of the app (`AppConfig.default_auto_field` or
    /// `DEFAULT_AUTO_FIELD`; AutoField when neither says).
    pub default_auto_field: FieldKind,
}

/// A model read from a file, its relations still named, not resolved.
#[derive(Debug, Clone)]
pub(super) struct PendingModel {
    pub app_label: String,
    pub name: String,
    pub fields: Vec<PendingField>,
    pub meta: Meta,
    pub db_table: Option<String>,
    pub managed: bool,
    pub abstract_: bool,
    /// `Meta.proxy = True`: the concrete model (`app.Name`) it proxies.
    pub proxy_of: Option<String>,
    pub methods: Vec<crate::syntax::ast::FunctionDef>,
    pub class_attrs: Vec<(String, Expr)>,
    /// The class body's constants so far, for field options that name them
    /// (`default=REGULAR`, `choices=ACCOUNT_TYPE_CHOICES`).
    pub consts: HashMap<String, Literal>,
    pub source: Rc<str>,
    pub file: Option<PathBuf>,
    pub default_auto_field: FieldKind,
    /// Names this file imported, to find the model a bare class name means.
    pub imports: Rc<HashMap<String, String>>,
    pub choices_classes: Vec<crate::schema::ChoicesClass>,
    pub generic_foreign_keys: Vec<crate::schema::GenericForeignKey>,
    /// `GenericRelation`s: name, target (still named), ct and id fields.
    pub generic_relations: Vec<(String, Literal, String, String)>,
    /// Multi-table inheritance: the concrete parent (`app.Name`) and the
    /// OneToOneField that links to it (`place_ptr`, or a `parent_link=True`
    /// field of the class).
    pub mti_parent: Option<(String, String)>,
}

#[derive(Debug, Clone)]
pub(super) struct PendingField {
    pub field: Field,
    pub db_column: Option<String>,
    pub relation: Option<PendingRelation>,
    /// Django's `creation_counter`: the order fields were declared in,
    /// across files, which orders the fields a model inherits.
    pub counter: usize,
}

/// What every file loaded so far shares: model classes by `app.Name` (a
/// base class another file imports: abstract, or the concrete model of a
/// proxy) and the field counter.
#[derive(Default)]
pub(super) struct Shared {
    pub classes: HashMap<String, PendingModel>,
    pub counter: usize,
    /// `INSTALLED_APPS` as the settings give it, for module code that asks.
    pub installed_apps: Vec<String>,
}

#[derive(Debug, Clone)]
pub(super) struct PendingRelation {
    pub to: Literal,
    pub to_span: Span,
    /// The file the field is written in (an abstract base's, for a field
    /// a model inherits), where `to_span` points.
    pub file: Option<PathBuf>,
    pub source: Rc<str>,
    pub on_delete: OnDelete,
    pub related_name: Option<String>,
    pub related_query_name: Option<String>,
    pub to_field: Option<String>,
    pub through: Option<Literal>,
    pub through_fields: Option<(String, String)>,
    pub symmetrical: Option<bool>,
    pub db_table: Option<String>,
    pub limit_choices_to: Option<String>,
    /// `parent_link=True`: the OneToOneField multi-table inheritance uses.
    pub parent_link: bool,
}

/// Loads every source into one registry. Problems become diagnostics; the
/// models that could be read are always there.
pub fn load(sources: &[ModelSource]) -> Registry {
    load_project(sources, &ProjectOptions::default())
}

/// What the project's settings say of its models.
#[derive(Default)]
pub struct ProjectOptions<'a> {
    /// `AUTH_USER_MODEL` (`app.Model`): the model relations to
    /// `settings.AUTH_USER_MODEL` point at, in place of `auth.User`, which
    /// is then swapped out.
    pub auth_user_model: Option<&'a str>,
    /// `INSTALLED_APPS`, which says which contrib apps there are; without
    /// settings, contenttypes and auth are there when the models use them.
    pub installed_apps: Option<&'a [String]>,
    /// The apps' `AppConfig.verbose_name`s, by label, where they give one.
    pub verbose_names: &'a [(String, String)],
}

/// As `load`, with what the settings say.
pub fn load_project(sources: &[ModelSource], options: &ProjectOptions) -> Registry {
    let mut registry = Registry::default();
    let mut shared = Shared {
        installed_apps: options.installed_apps.unwrap_or_default().to_vec(),
        ..Shared::default()
    };
    // Django's contrib models are imported before any app's.
    let mut contrib: Vec<_> = super::contrib::BUILT_IN
        .iter()
        .map(|app| (app, super::contrib::models(app, &mut shared)))
        .collect();
    let swapped = options.auth_user_model.filter(|m| *m != "auth.User");
    if swapped.is_some() {
        for (app, (models, _)) in &mut contrib {
            if app.label == "auth" {
                models.retain(|m| m.name != "User");
            }
        }
    }
    registry.auth_user_model = swapped.unwrap_or("auth.User").to_string();
    let mut pending = Vec::new();
    for source in sources {
        let (models, skipped, module) = load_file(source, &mut registry.diagnostics, &mut shared);
        pending.extend(models);
        registry.apps.push(App {
            label: source.app_label.clone(),
            verbose_name: options
                .verbose_names
                .iter()
                .find(|(l, _)| *l == source.app_label)
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| super::title_case(&source.app_label)),
            path: source.path.clone(),
            skipped,
            module,
        });
    }
    let uses_auth = super::resolve::needs_auth(&pending);
    for (app, (models, module)) in contrib {
        let installed = match options.installed_apps {
            Some(apps) => apps
                .iter()
                .any(|a| a == app.name || a.starts_with(&format!("{}.apps.", app.name))),
            None => {
                (uses_auth && matches!(app.label, "auth" | "contenttypes"))
                    || super::resolve::uses_app(&pending, app.label)
            }
        };
        if installed && !registry.apps.iter().any(|a| a.label == app.label) {
            pending.extend(models);
            registry.apps.push(App {
                label: app.label.into(),
                verbose_name: app.verbose_name.into(),
                path: None,
                skipped: Vec::new(),
                module,
            });
        }
    }
    super::resolve::resolve(&mut registry, pending);
    registry
}

/// The concrete models of one file, what was passed over in it, and its
/// module-level code.
pub(super) fn load_file(
    source: &ModelSource,
    diagnostics: &mut Vec<Diagnostic>,
    shared: &mut Shared,
) -> (Vec<PendingModel>, Vec<String>, Vec<Stmt>) {
    let mut models = Vec::new();
    let mut file = FileLoader::new(source, diagnostics, shared);
    file.load(&mut models);
    (models, file.skipped, file.module)
}

mod classes;
mod constraints;
mod generic;
mod meta;

use generic::{generic_foreign_key, generic_relation};
mod fields;

use fields::choices_members;

struct FileLoader<'a> {
    source: &'a ModelSource,
    text: Rc<str>,
    diagnostics: &'a mut Vec<Diagnostic>,
    shared: &'a mut Shared,
    skipped: Vec<String>,
    /// Classes of this file that are models (abstract ones included).
    models: HashMap<String, PendingModel>,
    /// `TextChoices`/`IntegerChoices` classes by name (and by
    /// `Model.Name` when nested): their members (name, value, label).
    choices: HashMap<String, Vec<(String, Literal, String)>>,
    imports: HashMap<String, String>,
    /// Concrete models by lowercased name, as Django's app registry keys them.
    registered: HashMap<String, String>,
    /// Module-level imports, functions and assignments, for the engine.
    module: Vec<Stmt>,
    /// The module's constants so far (`STATUS_CHOICES = [...]`), which
    /// field options name.
    consts: HashMap<String, Literal>,
}

impl<'a> FileLoader<'a> {
    fn new(
        source: &'a ModelSource,
        diagnostics: &'a mut Vec<Diagnostic>,
        shared: &'a mut Shared,
    ) -> Self {
        FileLoader {
            source,
            text: source.text.as_str().into(),
            diagnostics,
            shared,
            skipped: Vec::new(),
            models: HashMap::new(),
            choices: HashMap::new(),
            imports: HashMap::new(),
            registered: HashMap::new(),
            module: Vec::new(),
            consts: HashMap::new(),
        }
    }

    fn diagnose(&mut self, severity: Severity, message: String, span: Span, hint: Option<String>) {
        self.diagnostics.push(Diagnostic {
            severity,
            message,
            file: self.source.path.clone(),
            source: self.text.clone(),
            span,
            hint,
        });
    }

    fn line_of(&self, span: Span) -> usize {
        crate::syntax::line_col(&self.text, span.start).0
    }

    fn load(&mut self, out: &mut Vec<PendingModel>) {
        if let Some(at) = self.text.find('\0') {
            // Python refuses the whole file; the rest is still worth loading.
            self.diagnose(
                Severity::Error,
                "SyntaxError: source code cannot contain null bytes".to_string(),
                Span::new(at, at + 1),
                Some("the rest of the file was read with the null bytes as spaces".to_string()),
            );
            self.text = self.text.replace('\0', " ").into();
        }
        let text = self.text.clone();
        let stmts = match parse_module(&text) {
            Ok(s) => s,
            Err(e) => {
                let span = e.span.unwrap_or_default();
                self.diagnose(
                    Severity::Error,
                    format!("{}: {}", e.kind, e.message),
                    span,
                    None,
                );
                return;
            }
        };
        self.report_syntax_errors(&stmts);
        for stmt in &stmts {
            match &stmt.kind {
                StmtKind::ImportFrom { module, names } => {
                    self.record_import(module, names);
                    self.module.push(stmt.clone());
                }
                StmtKind::Import(_) => self.module.push(stmt.clone()),
                StmtKind::Assign { targets, value } => {
                    for t in targets {
                        self.record_constant(t, value);
                    }
                    self.module.push(stmt.clone())
                }
                StmtKind::AnnAssign { .. } => self.module.push(stmt.clone()),
                StmtKind::ClassDef(class) => {
                    if let Some(model) = self.class(class) {
                        self.add_model(model, class.name.span, out);
                    } else if !is_choices(class) {
                        // Managers, querysets and helpers run in the module.
                        self.module.push(stmt.clone());
                    }
                }
                StmtKind::Expr(Expr {
                    kind: ExprKind::Str(_),
                    ..
                }) => {}
                StmtKind::Unparsed(text) => {
                    let line = self.line_of(stmt.span);
                    self.skipped
                        .push(format!("line {line}: {}", first_line(text)));
                }
                StmtKind::FunctionDef(_) => self.module.push(stmt.clone()),
                _ => {
                    let line = self.line_of(stmt.span);
                    self.skipped.push(format!("module code, line {line}"));
                }
            }
        }
    }

    /// `NAME = value` and `A, B = 'a', 'b'` at module level, as constants.
    fn record_constant(&mut self, target: &Expr, value: &Expr) {
        match (&target.kind, &value.kind) {
            (ExprKind::Name(n), _) => {
                let lit = Literal::read(value, &self.text).resolve(&self.consts);
                self.consts.insert(n.clone(), lit);
            }
            (
                ExprKind::Tuple(names) | ExprKind::List(names),
                ExprKind::Tuple(values) | ExprKind::List(values),
            ) if names.len() == values.len() => {
                for (n, v) in names.iter().zip(values) {
                    self.record_constant(n, v);
                }
            }
            _ => {}
        }
    }

    /// Django's `register_model`: a second class of the same name replaces
    /// the first, with a warning; another class whose name differs only in
    /// case is an error (and is left out). Abstract classes are not models.
    fn add_model(&mut self, model: PendingModel, name: Span, out: &mut Vec<PendingModel>) {
        if model.abstract_ {
            let key = format!("{}.{}", self.source.app_label, model.name);
            self.shared.classes.insert(key, model.clone());
            self.models.insert(model.name.clone(), model);
            return;
        }
        let key = format!("{}.{}", self.source.app_label, model.name);
        self.shared.classes.insert(key, model.clone());
        let key = model.name.to_lowercase();
        let app = self.source.app_label.clone();
        match self.registered.get(&key).cloned() {
            Some(previous) if previous == model.name => {
                self.diagnose(
                    Severity::Warning,
                    format!(
                        "RuntimeWarning: Model '{app}.{key}' was already registered. Reloading models is not advised as it can lead to inconsistencies, most notably with related models."
                    ),
                    name,
                    Some("the later class is the one used, as in Django".to_string()),
                );
                out.retain(|m| m.name != model.name);
            }
            Some(previous) => {
                self.diagnose(
                    Severity::Error,
                    format!(
                        "RuntimeError: Conflicting '{key}' models in application '{app}': <class '{app}.models.{previous}'> and <class '{app}.models.{}'>.",
                        model.name
                    ),
                    name,
                    Some(format!("ormsh keeps {previous}")),
                );
                return;
            }
            None => {}
        }
        self.registered.insert(key, model.name.clone());
        out.push(model.clone());
        self.models.insert(model.name.clone(), model);
    }

    /// Lines the lenient grammar passed over are Python's syntax errors
    /// (Django could not import the file): each is reported where the
    /// parser stops, and the models around it are loaded.
    fn report_syntax_errors(&mut self, stmts: &[crate::syntax::ast::Stmt]) {
        for stmt in stmts {
            match &stmt.kind {
                StmtKind::Unparsed(chunk) => {
                    let e = crate::syntax::unparsed_error(chunk, stmt.span.start);
                    self.diagnose(
                        Severity::Error,
                        format!("{}: {}", e.kind, e.message),
                        e.span.unwrap_or(stmt.span),
                        Some("Django cannot import this file; ormsh loaded the rest".to_string()),
                    );
                }
                StmtKind::ClassDef(c) => self.report_syntax_errors(&c.body),
                StmtKind::FunctionDef(f) => self.report_syntax_errors(&f.body),
                _ => {}
            }
        }
    }

    fn record_import(&mut self, module: &str, names: &[crate::syntax::ast::Alias]) {
        for alias in names {
            let bound = alias.asname.as_ref().unwrap_or(&alias.name).name.clone();
            let app = match module {
                "django.contrib.auth.models" => Some("auth".to_string()),
                m if m.ends_with(".models") || m.ends_with("models") => {
                    let parts: Vec<&str> = m
                        .trim_start_matches('.')
                        .split('.')
                        .filter(|p| !p.is_empty())
                        .collect();
                    // `from shop.models import X` names the app; `from .models` is this app.
                    parts
                        .iter()
                        .rev()
                        .nth(1)
                        .map(|s| s.to_string())
                        .or(Some(self.source.app_label.clone()))
                }
                // A sibling in a models package (`from .abstract import
                // BaseImage`): a class of this app, read before this file.
                m if m.starts_with('.') && !m.starts_with("..") && alias.name.name != "models" => {
                    Some(self.source.app_label.clone())
                }
                // `from django.contrib.auth import models as auth_models`:
                // a module alias, `auth_models.Group`.
                m if alias.name.name == "models" && m != "django.db" => {
                    let last = m.trim_start_matches('.').rsplit('.').next().unwrap_or("");
                    let app = if last.is_empty() {
                        self.source.app_label.as_str()
                    } else {
                        last
                    };
                    self.imports.insert(bound, format!("{app}.*"));
                    continue;
                }
                _ => None,
            };
            if let Some(app) = app {
                self.imports
                    .insert(bound, format!("{app}.{}", alias.name.name));
            }
        }
    }

    fn class_assign(
        &mut self,
        model: &mut PendingModel,
        targets: &[Expr],
        value: &Expr,
        span: Span,
    ) {
        let Some(ExprKind::Name(name)) = targets.first().map(|t| &t.kind) else {
            return;
        };
        let ExprKind::Call { func, args } = &value.kind else {
            let lit = Literal::read(value, &self.text).resolve(&model.consts);
            model.consts.insert(name.clone(), lit);
            model.class_attrs.push((name.clone(), value.clone()));
            return;
        };
        let class = dotted(func).unwrap_or_default();
        let class_name = class.rsplit('.').next().unwrap_or("").to_string();
        if class_name == "GenericRelation" {
            let rel = generic_relation(name, args, &self.text);
            let to = self.class_reference(rel.1.clone());
            model.generic_relations.retain(|g| g.0 != rel.0);
            model.generic_relations.push((rel.0, to, rel.2, rel.3));
            return;
        }
        if class_name == "GenericForeignKey" {
            let gfk = generic_foreign_key(name, args, &self.text);
            model.generic_foreign_keys.retain(|g| g.name != gfk.name);
            model.generic_foreign_keys.push(gfk);
            return;
        }
        let kind = FieldKind::from_class(&class_name);
        if kind.is_none() && !class_name.ends_with("Field") && !class_name.ends_with("Key") {
            model.class_attrs.push((name.clone(), value.clone()));
            let line = self.line_of(span);
            self.skipped.push(format!(
                "{}.{name} = {class}(…) (not a field), line {line}",
                model.name
            ));
            return;
        }
        let mut field = Field::new(
            name,
            kind.unwrap_or(FieldKind::TextField),
            targets[0].span.to(value.span),
        );
        if kind.is_none() {
            field.unknown_class = Some(class_name.clone());
            self.diagnose(
                Severity::Warning,
                format!(
                    "unknown field type '{class_name}' for {}.{name}: its column is read as text",
                    model.name
                ),
                func.span,
                None,
            );
        }
        let mut pending = self.field_options(model, &mut field, args, value.span);
        self.shared.counter += 1;
        pending.counter = self.shared.counter;
        model.fields.retain(|f| f.field.name != *name);
        model.fields.push(pending);
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("").trim()
}

/// `class Status(models.TextChoices)`: a choices enum, not a model.
fn is_choices(class: &ClassDef) -> bool {
    class.bases.iter().any(|b| match &b.kind {
        ArgKind::Positional(e) => dotted(e).is_some_and(|d| {
            matches!(
                d.rsplit('.').next().unwrap_or(""),
                "TextChoices" | "IntegerChoices" | "Choices"
            )
        }),
        _ => false,
    })
}
