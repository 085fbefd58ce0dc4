//! The model registry: every model, its fields, its relations in both
//! directions and its table, with Django's naming rules.
//!
//! Public surface: [`Registry`] (built by [`load`] from models.py files),
//! [`Model`], [`Field`], [`Relation`], and `ddl` for Django's CREATE
//! statements. The relation engine resolves every statement against it.

mod contrib;
pub mod ddl;
mod fields;
mod inheritance;
pub mod introspect;
mod literal;
mod loader;
mod migration_order;
mod resolve;

pub use self::Severity as DiagnosticSeverity;
pub use fields::FieldKind;
pub use literal::Literal;
pub use literal::dotted as dotted_name;
pub use loader::{ModelSource, ProjectOptions, load, load_project};

use crate::syntax::Span;
use crate::syntax::ast::Expr;
use std::path::PathBuf;

pub type ModelId = usize;

#[derive(Debug, Default)]
pub struct Registry {
    pub models: Vec<Model>,
    pub apps: Vec<App>,
    /// Warnings and errors met while loading, each with its place.
    pub diagnostics: Vec<Diagnostic>,
    /// `settings.AUTH_USER_MODEL`: `auth.User` unless the project swaps it.
    pub auth_user_model: String,
    /// Reverse relations by target model, computed on first use (after
    /// loading, when the models no longer change): name resolution asks
    /// for them on every path part.
    reverse: std::cell::OnceCell<Vec<Vec<ReverseRelation>>>,
}

#[derive(Debug, Clone)]
pub struct App {
    pub label: String,
    /// The AppConfig's `verbose_name` (Django's default: the label, title-cased).
    pub verbose_name: String,
    pub path: Option<PathBuf>,
    /// What the loader passed over, for `.models` ("method total_price, line 30").
    pub skipped: Vec<String>,
    /// The module-level imports, functions and assignments of models.py,
    /// which the engine runs as the module's namespace (defaults, helpers,
    /// `from app.models import helper`).
    pub module: Vec<crate::syntax::ast::Stmt>,
}

#[derive(Debug, Clone)]
pub struct Model {
    pub app_label: String,
    /// The class name, e.g. `Book`.
    pub name: String,
    pub db_table: String,
    /// Concrete fields (those with a column) in Django's `concrete_fields`
    /// order: the implicit `id`, then as declared (abstract parents first).
    pub fields: Vec<Field>,
    /// The order of the table's columns, as indexes into `fields`: Django's
    /// migrations add relation columns last. Empty means `fields` order.
    pub column_order: Vec<usize>,
    pub many_to_many: Vec<Field>,
    pub meta: Meta,
    /// The methods of the class (abstract parents' first), run by the
    /// engine in the models module: `q.was_published_recently()`, and
    /// `__str__`/`__repr__` when the class defines them.
    pub methods: Vec<crate::syntax::ast::FunctionDef>,
    /// The class body's other assignments (`REGULAR = 'R'`), in order, which
    /// the engine evaluates as the class's attributes.
    pub class_attrs: Vec<(String, Expr)>,
    /// The text of the file the model was read from (for its spans).
    pub source: std::rc::Rc<str>,
    /// That file (None for Django's own apps and introspected models): its
    /// module is the namespace the class body and methods run in.
    pub file: Option<PathBuf>,
    /// A ManyToManyField's implicit through model.
    pub auto_created: bool,
    /// `Meta.proxy = True`: the concrete model whose table and fields it
    /// shares (its own managers, ordering and methods).
    pub proxy_for: Option<ModelId>,
    /// `Meta.managed = False`: ormsh never creates its table.
    pub managed: bool,
    /// A view: rows can be read, never written.
    pub read_only: bool,
    /// `TextChoices` / `IntegerChoices` classes declared in the model's body
    /// (`Post.Status.PUBLISHED`).
    pub choices_classes: Vec<ChoicesClass>,
    /// `GenericForeignKey`s: no column, an object through two fields.
    pub generic_foreign_keys: Vec<GenericForeignKey>,
    /// `GenericRelation`s: the objects of another model whose generic key
    /// points at this one.
    pub generic_relations: Vec<GenericRelation>,
    /// Multi-table inheritance: the concrete parent and the name of the
    /// OneToOneField that links to it (`place_ptr`), Django's `_meta.parents`.
    /// Its fields are also this model's (`inherited_from` set), first.
    pub parents: Vec<(ModelId, String)>,
}

/// A choices enum: its name and its members (name, value, label).
#[derive(Debug, Clone, Default)]
pub struct ChoicesClass {
    pub name: String,
    pub members: Vec<(String, Literal, String)>,
}

/// `tags = GenericRelation(TaggedItem)`: `bookmark.tags`, the target's rows
/// whose ContentType field and id field name this object.
#[derive(Debug, Clone)]
pub struct GenericRelation {
    pub name: String,
    pub target: ModelId,
    pub ct_field: String,
    pub fk_field: String,
}

/// `content_object = GenericForeignKey('content_type', 'object_id')`: the
/// object a ContentType field and an id field name together.
#[derive(Debug, Clone)]
pub struct GenericForeignKey {
    pub name: String,
    pub ct_field: String,
    pub fk_field: String,
}

#[derive(Debug, Clone, Default)]
pub struct Meta {
    pub ordering: Vec<String>,
    pub unique_together: Vec<Vec<String>>,
    pub verbose_name: String,
    pub verbose_name_plural: String,
    pub get_latest_by: Vec<String>,
    pub default_related_name: Option<String>,
    pub indexes: Vec<IndexSpec>,
    pub constraints: Vec<ConstraintSpec>,
}

/// A `Meta.indexes` entry: its name (Django makes one when none is given)
/// and its fields, `-name` for descending.
#[derive(Debug, Clone, Default)]
pub struct IndexSpec {
    pub name: Option<String>,
    pub fields: Vec<String>,
    /// What ormsh cannot make of it yet (expressions, a condition,
    /// opclasses…), which refuses the table rather than drop it.
    pub unsupported: Option<String>,
}

/// A `Meta.constraints` entry.
#[derive(Debug, Clone)]
pub enum ConstraintSpec {
    /// `UniqueConstraint(fields=[...], name=...)`: in the CREATE TABLE.
    Unique { name: String, fields: Vec<String> },
    /// One ormsh cannot write yet (a condition, expressions, a check): the
    /// class, the name and why.
    Unsupported {
        class: String,
        name: String,
        why: String,
    },
}

#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    /// The column name; empty for a ManyToManyField.
    pub column: String,
    pub kind: FieldKind,
    /// The class named in models.py when ormsh does not know it (a text column).
    pub unknown_class: Option<String>,
    pub null: bool,
    pub blank: bool,
    pub unique: bool,
    pub primary_key: bool,
    pub db_index: bool,
    pub editable: bool,
    pub max_length: Option<u32>,
    pub max_digits: Option<u32>,
    pub decimal_places: Option<u32>,
    pub default: Option<Literal>,
    /// The `default=` expression itself, evaluated in the app's models
    /// module (and called when it is callable) as Django's `get_default()`.
    pub default_expr: Option<Expr>,
    pub db_default: Option<Literal>,
    pub choices: Vec<(Literal, String)>,
    pub auto_now: bool,
    pub auto_now_add: bool,
    pub verbose_name: String,
    pub help_text: String,
    pub relation: Option<Relation>,
    /// Multi-table inheritance: the concrete ancestor whose table holds the
    /// column (Django's `field.model`, when it is not this model); None for
    /// a field of the model's own table.
    pub inherited_from: Option<ModelId>,
    /// Where the field is declared in its models.py.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum OnDelete {
    Cascade,
    Protect,
    Restrict,
    SetNull,
    SetDefault,
    Set(Literal),
    DoNothing,
}

impl OnDelete {
    /// As models.py spells it: `CASCADE`, `SET_NULL`, `SET(0)`…
    pub fn name(&self) -> String {
        match self {
            OnDelete::Cascade => "CASCADE".into(),
            OnDelete::Protect => "PROTECT".into(),
            OnDelete::Restrict => "RESTRICT".into(),
            OnDelete::SetNull => "SET_NULL".into(),
            OnDelete::SetDefault => "SET_DEFAULT".into(),
            OnDelete::Set(v) => format!("SET({v:?})"),
            OnDelete::DoNothing => "DO_NOTHING".into(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Relation {
    pub target: ModelId,
    pub on_delete: OnDelete,
    /// As written, with `%(class)s`/`%(app_label)s` filled in; `+` hides it.
    pub related_name: Option<String>,
    pub related_query_name: Option<String>,
    /// The target field the column refers to (the target's pk by default).
    pub to_field: String,
    /// ManyToMany: the through model (auto-created unless `through=`).
    pub through: Option<ModelId>,
    pub through_fields: Option<(String, String)>,
    pub symmetrical: bool,
    pub limit_choices_to: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Severity {
    Warning,
    Error,
}

/// A problem in a models.py, with its place.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub file: Option<PathBuf>,
    pub source: std::rc::Rc<str>,
    pub span: Span,
    pub hint: Option<String>,
}

/// A relation seen from its target: `author.book_set`, `filter(book__…)`.
#[derive(Debug, Clone)]
pub struct ReverseRelation {
    /// The model holding the field.
    pub model: ModelId,
    pub field: String,
    pub kind: FieldKind,
    /// The attribute on instances (`book_set`, `profile`, `books`).
    pub accessor: String,
    /// The name used in lookups (`book`, or related_query_name/related_name).
    pub query_name: String,
}

impl Registry {
    pub fn model(&self, id: ModelId) -> &Model {
        &self.models[id]
    }

    /// Every relation that points at `target`, with Django's names: the
    /// accessor is `related_name`, else `<model>_set` (`<model>` for a
    /// OneToOneField); the query name is `related_query_name`, else
    /// `related_name`, else `<model>`. A `related_name` ending in `+`, and a
    /// symmetrical ManyToManyField to 'self', have no reverse side.
    pub fn reverse_relations(&self, target: ModelId) -> Vec<ReverseRelation> {
        let all = self.reverse.get_or_init(|| self.compute_reverse());
        // A proxy's related objects are its concrete model's.
        let target = self
            .models
            .get(target)
            .and_then(|m| m.proxy_for)
            .unwrap_or(target);
        all.get(target).cloned().unwrap_or_default()
    }

    /// Every model's reverse relations, in one pass over the fields (in
    /// model and field order, as Django lists them).
    fn compute_reverse(&self) -> Vec<Vec<ReverseRelation>> {
        let mut all = vec![Vec::new(); self.models.len()];
        // A proxy's fields are its concrete model's: they relate once.
        for (id, model) in self
            .models
            .iter()
            .enumerate()
            .filter(|(_, m)| m.proxy_for.is_none())
        {
            for f in model.fields.iter().chain(&model.many_to_many) {
                let Some(rel) = f.relation.as_ref() else {
                    continue;
                };
                if rel
                    .related_name
                    .as_deref()
                    .is_some_and(|n| n.ends_with('+'))
                    || (rel.symmetrical && id == rel.target)
                {
                    continue;
                }
                let lower = model.name.to_lowercase();
                let accessor = rel.related_name.clone().unwrap_or_else(|| match f.kind {
                    FieldKind::OneToOneField => lower.clone(),
                    _ => format!("{lower}_set"),
                });
                let query_name = rel
                    .related_query_name
                    .clone()
                    .or_else(|| rel.related_name.clone())
                    .unwrap_or(lower);
                // A relation to a proxy is also its concrete model's.
                let target = self
                    .models
                    .get(rel.target)
                    .and_then(|m| m.proxy_for)
                    .unwrap_or(rel.target);
                if let Some(out) = all.get_mut(target) {
                    out.push(ReverseRelation {
                        model: id,
                        field: f.name.clone(),
                        kind: f.kind,
                        accessor,
                        query_name,
                    });
                }
            }
        }
        all
    }

    /// The concrete ancestors of a multi-table child, nearest first.
    pub fn ancestors(&self, model: ModelId) -> Vec<ModelId> {
        let mut out = Vec::new();
        let mut at = model;
        while let Some((parent, _)) = self.models.get(at).and_then(|m| m.parents.first()) {
            if out.contains(parent) || *parent == model {
                break;
            }
            out.push(*parent);
            at = *parent;
        }
        out
    }

    /// Django's `isinstance(obj, cls)` for model classes: an object of
    /// `model` is one of `of` when `of` is the model, or a class it
    /// proxies or inherits from.
    pub fn is_instance(&self, model: ModelId, of: ModelId) -> bool {
        let mut at = model;
        for _ in 0..=self.models.len() {
            if at == of {
                return true;
            }
            let Some(m) = self.models.get(at) else {
                return false;
            };
            match m.proxy_for.or(m.parents.first().map(|p| p.0)) {
                Some(next) => at = next,
                None => return false,
            }
        }
        false
    }

    /// The relations an object of `model` has from other models: its own
    /// reverse relations, then its ancestors' (nearest last, as Django's
    /// `get_fields()` lists a parent's first), without the links of the
    /// ancestors' other children.
    pub fn related_objects(&self, model: ModelId) -> Vec<ReverseRelation> {
        let mut out = Vec::new();
        for a in self.ancestors(model).into_iter().rev() {
            out.extend(self.reverse_relations(a).into_iter().filter(|r| {
                !self.models[r.model]
                    .parents
                    .iter()
                    .any(|(p, link)| *p == a && *link == r.field)
            }));
        }
        out.extend(self.reverse_relations(model));
        out
    }

    /// A model by class name (the first app wins, as in Django 5.2's shell)
    /// or by `app_label.Name`.
    pub fn find(&self, name: &str) -> Option<ModelId> {
        if let Some((app, model)) = name.split_once('.') {
            return self
                .models
                .iter()
                .position(|m| m.app_label == app && m.name.eq_ignore_ascii_case(model));
        }
        self.models
            .iter()
            .position(|m| m.name == name && !m.auto_created)
    }
}

impl Model {
    /// Whether `--migrate` makes a table for it: managed, and not a proxy.
    pub fn has_own_table(&self) -> bool {
        self.managed && self.proxy_for.is_none()
    }

    /// The Python module Django's class lives in: `shop.models`, or
    /// `django.contrib.auth.models` for the contrib apps ormsh carries.
    pub fn python_module(&self) -> String {
        if contrib::BUILT_IN.iter().any(|a| a.label == self.app_label) {
            format!("django.contrib.{}.models", self.app_label)
        } else {
            format!("{}.models", self.app_label)
        }
    }

    pub fn pk(&self) -> &Field {
        self.fields
            .iter()
            .find(|f| f.primary_key)
            .expect("every model has a primary key")
    }

    /// The field a relation's `to_field` names on this, its target model:
    /// the primary key when it names none of its fields.
    pub fn to_field(&self, name: &str) -> &Field {
        self.field(name).unwrap_or_else(|| self.pk())
    }

    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields
            .iter()
            .chain(&self.many_to_many)
            .find(|f| f.name == name)
    }

    /// `app_label.modelname`, as Django labels models in messages.
    pub fn label_lower(&self) -> String {
        format!("{}.{}", self.app_label, self.name.to_lowercase())
    }
}

impl Field {
    /// A field with Django's defaults for its class.
    pub fn new(name: &str, kind: FieldKind, span: Span) -> Field {
        Field {
            name: name.to_string(),
            column: String::new(),
            kind,
            unknown_class: None,
            null: false,
            blank: false,
            unique: false,
            primary_key: false,
            // ForeignKey and SlugField are indexed unless told otherwise.
            db_index: kind.is_foreign_key() || kind == FieldKind::SlugField,
            editable: true,
            max_length: kind.default_max_length(),
            max_digits: None,
            decimal_places: None,
            default: None,
            default_expr: None,
            db_default: None,
            choices: Vec::new(),
            auto_now: false,
            auto_now_add: false,
            verbose_name: name.replace('_', " "),
            help_text: String::new(),
            relation: None,
            inherited_from: None,
            span,
        }
    }
}

/// Python's `str.title()`, as Django names an app without a verbose_name.
pub fn title_case(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut previous_cased = false;
    for c in text.chars() {
        if previous_cased {
            out.extend(c.to_lowercase());
        } else {
            out.extend(c.to_uppercase());
        }
        previous_cased = c.is_alphabetic();
    }
    out
}
