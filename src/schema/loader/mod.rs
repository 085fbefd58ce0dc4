//! models.py files to models, through the shell's own grammar.
//!
//! A class is a model when one of its bases is `models.Model` or a model of
//! the same file. Real files are untidy: methods, managers, properties and
//! module-level code are passed over (and listed in `App::skipped`); an
//! unknown field class becomes a text column with a warning. Relations are
//! kept by name here and resolved across all apps by `resolve`.

use super::literal::{Literal, dotted};
use super::{App, Diagnostic, Field, FieldKind, Meta, OnDelete, Registry, Severity};
use crate::syntax::ast::{ArgKind, ClassDef, Expr, ExprKind, Stmt, StmtKind};
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
    pub str_expr: Option<Expr>,
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
}

#[derive(Debug, Clone)]
pub(super) struct PendingField {
    pub field: Field,
    pub db_column: Option<String>,
    pub relation: Option<PendingRelation>,
}

#[derive(Debug, Clone)]
pub(super) struct PendingRelation {
    pub to: Literal,
    pub to_span: Span,
    pub on_delete: OnDelete,
    pub related_name: Option<String>,
    pub related_query_name: Option<String>,
    pub to_field: Option<String>,
    pub through: Option<Literal>,
    pub through_fields: Option<(String, String)>,
    pub symmetrical: Option<bool>,
    pub db_table: Option<String>,
    pub limit_choices_to: Option<String>,
}

/// Loads every source into one registry. Problems become diagnostics; the
/// models that could be read are always there.
pub fn load(sources: &[ModelSource]) -> Registry {
    let mut registry = Registry::default();
    let mut pending = Vec::new();
    for source in sources {
        let (models, skipped, module) = load_file(source, &mut registry.diagnostics);
        pending.extend(models);
        registry.apps.push(App {
            label: source.app_label.clone(),
            path: source.path.clone(),
            skipped,
            module,
        });
    }
    super::resolve::resolve(&mut registry, pending);
    registry
}

/// The concrete models of one file, what was passed over in it, and its
/// module-level code.
pub(super) fn load_file(
    source: &ModelSource,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<PendingModel>, Vec<String>, Vec<Stmt>) {
    let mut models = Vec::new();
    let mut file = FileLoader::new(source, diagnostics);
    file.load(&mut models);
    (models, file.skipped, file.module)
}

mod fields;

use fields::choices_members;

struct FileLoader<'a> {
    source: &'a ModelSource,
    text: Rc<str>,
    diagnostics: &'a mut Vec<Diagnostic>,
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
}

impl<'a> FileLoader<'a> {
    fn new(source: &'a ModelSource, diagnostics: &'a mut Vec<Diagnostic>) -> Self {
        FileLoader {
            source,
            text: source.text.as_str().into(),
            diagnostics,
            skipped: Vec::new(),
            models: HashMap::new(),
            choices: HashMap::new(),
            imports: HashMap::new(),
            registered: HashMap::new(),
            module: Vec::new(),
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
                StmtKind::Assign { .. } | StmtKind::AnnAssign { .. } => {
                    self.module.push(stmt.clone())
                }
                StmtKind::ClassDef(class) => {
                    if let Some(model) = self.class(class) {
                        self.add_model(model, class.name.span, out);
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

    /// Django's `register_model`: a second class of the same name replaces
    /// the first, with a warning; another class whose name differs only in
    /// case is an error (and is left out). Abstract classes are not models.
    fn add_model(&mut self, model: PendingModel, name: Span, out: &mut Vec<PendingModel>) {
        if model.abstract_ {
            self.models.insert(model.name.clone(), model);
            return;
        }
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
                    let (message, span) = match crate::syntax::parse_input(chunk) {
                        Err(e) => {
                            let at = e.span.unwrap_or_default();
                            let base = stmt.span.start;
                            (
                                format!("{}: {}", e.kind, e.message),
                                Span::new(base + at.start, base + at.end.max(at.start)),
                            )
                        }
                        Ok(_) => (
                            "SyntaxError: invalid syntax".to_string(),
                            Span::new(stmt.span.start, stmt.span.start + first_line(chunk).len()),
                        ),
                    };
                    self.diagnose(
                        Severity::Error,
                        message,
                        span,
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
                _ => None,
            };
            if let Some(app) = app {
                self.imports
                    .insert(bound, format!("{app}.{}", alias.name.name));
            }
        }
    }

    /// A class statement: a model (returned), a choices enum (recorded), or
    /// something else (skipped).
    fn class(&mut self, class: &ClassDef) -> Option<PendingModel> {
        let bases: Vec<String> = class
            .bases
            .iter()
            .filter_map(|b| match &b.kind {
                ArgKind::Positional(e) => dotted(e),
                _ => None,
            })
            .collect();
        let last = |b: &String| b.rsplit('.').next().unwrap_or("").to_string();
        if is_choices(class) {
            let members = choices_members(&class.body, &self.text);
            self.choices.insert(class.name.name.clone(), members);
            return None;
        }
        let parent = bases
            .iter()
            .find_map(|b| self.models.get(b.as_str()).cloned());
        let is_model = parent.is_some() || bases.iter().any(|b| last(b) == "Model");
        if !is_model {
            let line = self.line_of(class.name.span);
            self.skipped.push(format!(
                "class {} (not a model), line {line}",
                class.name.name
            ));
            return None;
        }
        if let Some(p) = parent.as_ref().filter(|p| !p.abstract_) {
            self.diagnose(
                Severity::Error,
                format!(
                    "model '{}' inherits from the concrete model '{}': multi-table inheritance is not supported by ormsh",
                    class.name.name, p.name
                ),
                class.name.span,
                Some("make the parent abstract (class Meta: abstract = True) or use a OneToOneField".into()),
            );
            return None;
        }
        Some(self.model(class, parent))
    }

    fn model(&mut self, class: &ClassDef, parent: Option<PendingModel>) -> PendingModel {
        let name = class.name.name.clone();
        let mut model = match parent {
            Some(p) => PendingModel {
                name: name.clone(),
                abstract_: false,
                str_expr: p.str_expr.clone(),
                ..p
            },
            None => PendingModel {
                app_label: self.source.app_label.clone(),
                name: name.clone(),
                fields: Vec::new(),
                meta: Meta::default(),
                db_table: None,
                managed: true,
                abstract_: false,
                str_expr: None,
                methods: Vec::new(),
                class_attrs: Vec::new(),
                consts: HashMap::new(),
                source: self.text.clone(),
                file: self.source.path.clone(),
                default_auto_field: self.source.default_auto_field,
                imports: Rc::new(HashMap::new()),
                choices_classes: Vec::new(),
            },
        };
        model.app_label = self.source.app_label.clone();
        model.source = self.text.clone();
        for stmt in &class.body {
            match &stmt.kind {
                StmtKind::Assign { targets, value } => {
                    self.class_assign(&mut model, targets, value, stmt.span)
                }
                StmtKind::AnnAssign {
                    target,
                    value: Some(value),
                    ..
                } => self.class_assign(&mut model, std::slice::from_ref(target), value, stmt.span),
                StmtKind::ClassDef(c) if is_choices(c) => {
                    let members = choices_members(&c.body, &self.text);
                    self.choices.insert(c.name.name.clone(), members.clone());
                    self.choices
                        .insert(format!("{name}.{}", c.name.name), members.clone());
                    model.choices_classes.push(crate::schema::ChoicesClass {
                        name: c.name.name.clone(),
                        members,
                    });
                }
                StmtKind::ClassDef(meta) if meta.name.name == "Meta" => {
                    // A Meta of its own replaces the parent's, unless it subclasses it.
                    if meta.bases.is_empty() {
                        model.meta = Meta::default();
                    }
                    self.meta(&mut model, meta);
                }
                StmtKind::FunctionDef(f) if f.name.name == "__str__" => {
                    model.str_expr = str_return(&f.body)
                }
                StmtKind::FunctionDef(f) => {
                    if matches!(
                        f.name.name.as_str(),
                        "save" | "delete" | "refresh_from_db" | "full_clean"
                    ) {
                        self.diagnose(
                            Severity::Warning,
                            format!(
                                "{name}.{}() overrides Django's, and ormsh runs Django's own: the code in it does not run",
                                f.name.name
                            ),
                            f.name.span,
                            Some("what it changes (a slug, a timestamp) is not done by ormsh".into()),
                        );
                    }
                    model.methods.retain(|m| m.name.name != f.name.name);
                    model.methods.push(f.clone());
                }
                StmtKind::Expr(Expr {
                    kind: ExprKind::Str(_),
                    ..
                })
                | StmtKind::Pass => {}
                _ => {
                    let line = self.line_of(stmt.span);
                    self.skipped
                        .push(format!("{name}: statement at line {line}"));
                }
            }
        }
        model.imports = Rc::new(self.imports.clone());
        model
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
        let pending = self.field_options(model, &mut field, args, value.span);
        model.fields.retain(|f| f.field.name != *name);
        model.fields.push(pending);
    }

    fn meta(&mut self, model: &mut PendingModel, meta: &ClassDef) {
        for stmt in &meta.body {
            let StmtKind::Assign { targets, value } = &stmt.kind else {
                continue;
            };
            let Some(ExprKind::Name(key)) = targets.first().map(|t| &t.kind) else {
                continue;
            };
            let lit = Literal::read(value, &self.text);
            match key.as_str() {
                "db_table" => model.db_table = lit.as_str().map(String::from),
                "ordering" => model.meta.ordering = lit.strings(),
                "abstract" => model.abstract_ = lit.as_bool().unwrap_or(false),
                "managed" => model.managed = lit.as_bool().unwrap_or(true),
                "verbose_name" => model.meta.verbose_name = lit.as_str().unwrap_or("").to_string(),
                "verbose_name_plural" => {
                    model.meta.verbose_name_plural = lit.as_str().unwrap_or("").to_string()
                }
                "get_latest_by" => model.meta.get_latest_by = lit.strings(),
                "default_related_name" => {
                    model.meta.default_related_name = lit.as_str().map(String::from)
                }
                "unique_together" => {
                    model.meta.unique_together = match &lit {
                        Literal::List(rows)
                            if rows.iter().all(|r| matches!(r, Literal::Str(_))) =>
                        {
                            vec![lit.strings()]
                        }
                        Literal::List(rows) => rows.iter().map(Literal::strings).collect(),
                        _ => Vec::new(),
                    }
                }
                "indexes" => model.meta.indexes = list_len(&lit),
                "constraints" => model.meta.constraints = list_len(&lit),
                _ => {}
            }
        }
    }
}

fn list_len(lit: &Literal) -> usize {
    match lit {
        Literal::List(items) => items.len(),
        _ => 0,
    }
}

/// `def __str__(self): return <expr>` (a docstring before it is fine).
fn str_return(body: &[Stmt]) -> Option<Expr> {
    body.iter().find_map(|s| match &s.kind {
        StmtKind::Return(Some(e)) => Some(e.clone()),
        _ => None,
    })
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
