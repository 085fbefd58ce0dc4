//! From pending models to the registry: relation targets resolved across
//! apps (lazily, so any order and circular references work), Django's names
//! for tables and columns, the implicit `id`, and the implicit through model
//! of every ManyToManyField.

use super::loader::{PendingModel, PendingRelation};
use super::{
    Diagnostic, Field, FieldKind, Literal, Model, ModelId, OnDelete, Registry, Relation, Severity,
};
use std::rc::Rc;

pub(super) fn resolve(registry: &mut Registry, pending: Vec<PendingModel>) {
    // Ids first, so that relations can point anywhere, forwards or backwards.
    let names = ModelNames::new(&pending);
    for m in &pending {
        let model = base_model(m);
        registry.models.push(model);
    }
    let mut proxies = Vec::new();
    for (id, m) in pending.iter().enumerate() {
        let Some(of) = &m.proxy_of else { continue };
        let (app, name) = of.split_once('.').unwrap_or(("", of));
        if let Some(concrete) = names.find(app, name) {
            registry.models[id].proxy_for = Some(concrete);
            proxies.push((id, concrete));
        }
    }
    for (id, m) in pending.iter().enumerate() {
        for (name, to, ct_field, fk_field) in &m.generic_relations {
            if let Some(target) = find_target(&names, m, to, &registry.auth_user_model) {
                registry.models[id]
                    .generic_relations
                    .push(super::GenericRelation {
                        name: name.clone(),
                        target,
                        ct_field: ct_field.clone(),
                        fk_field: fk_field.clone(),
                    });
            }
        }
    }
    let mut through_models = Vec::new();
    super::inheritance::primary_key_relations(registry, &pending, &names, &mut through_models);
    for (id, m) in pending.iter().enumerate() {
        for pf in m.fields.iter().filter(|pf| !pf.field.primary_key) {
            relation_field(registry, &names, (id, m), pf, &mut through_models);
        }
    }
    for (m, p) in registry.models.iter_mut().zip(&pending) {
        if !m.fields.iter().any(|f| f.primary_key) {
            // A parent link whose parent is unknown (already reported).
            m.fields.insert(0, implicit_id(p.default_auto_field));
        }
    }
    for (id, index, db_table) in through_models {
        add_through_model(registry, id, index, db_table);
    }
    for (id, concrete) in proxies {
        registry.models[id].many_to_many = registry.models[concrete].many_to_many.clone();
    }
    infer_through_fields(registry);
    // Fields as Django's _meta lists them: the implicit id, then as declared.
    for (id, m) in pending.iter().enumerate() {
        let order: Vec<&str> = m.fields.iter().map(|f| f.field.name.as_str()).collect();
        registry.models[id]
            .fields
            .sort_by_key(|f| order.iter().position(|n| *n == f.name).map_or(0, |p| p + 1));
    }
    let declared: Vec<Vec<String>> = pending
        .iter()
        .map(|m| m.fields.iter().map(|f| f.field.name.clone()).collect())
        .collect();
    super::migration_order::apply(registry, &declared);
    for (table, names) in super::contrib::COLUMN_ORDERS {
        if let Some(m) = registry.models.iter_mut().find(|m| m.db_table == *table) {
            m.column_order = names
                .iter()
                .filter_map(|n| m.fields.iter().position(|f| f.name == *n))
                .collect();
        }
    }
    super::inheritance::inherit_parents(registry, &pending, &names);
}

/// One relation field of a pending model, its target resolved, into the
/// registry (a ManyToManyField's through model noted for later).
pub(super) fn relation_field(
    registry: &mut Registry,
    names: &ModelNames,
    (id, m): (ModelId, &PendingModel),
    pf: &super::loader::PendingField,
    through_models: &mut Vec<(ModelId, usize, Option<String>)>,
) {
    let Some(rel) = &pf.relation else { return };
    // A proxy's many-to-many fields are its concrete model's, with their
    // through models (copied later).
    if registry.models[id].proxy_for.is_some() && pf.field.kind == FieldKind::ManyToManyField {
        return;
    }
    let Some(target) = find_target(names, m, &rel.to, &registry.auth_user_model) else {
        registry.diagnostics.push(unknown_target(m, rel, names));
        return;
    };
    let mut field = pf.field.clone();
    let relation = relation(registry, m, names, rel, target, &field);
    if field.kind == FieldKind::ManyToManyField {
        field.relation = Some(relation);
        through_models.push((
            id,
            registry.models[id].many_to_many.len(),
            rel.db_table.clone(),
        ));
        registry.models[id].many_to_many.push(field);
    } else {
        field.column = pf
            .db_column
            .clone()
            .unwrap_or_else(|| format!("{}_id", field.name));
        field.relation = Some(relation);
        insert_field(&mut registry.models[id], field);
    }
}

/// A model with its own (non-relational) fields and its primary key.
fn base_model(m: &PendingModel) -> Model {
    let mut fields: Vec<Field> = Vec::new();
    for pf in m.fields.iter().filter(|f| f.relation.is_none()) {
        let mut f = pf.field.clone();
        f.column = pf.db_column.clone().unwrap_or_else(|| f.name.clone());
        fields.push(f);
    }
    let has_pk = m.fields.iter().any(|f| f.field.primary_key);
    if !has_pk {
        fields.insert(0, implicit_id(m.default_auto_field));
    }
    let mut meta = m.meta.clone();
    if meta.verbose_name.is_empty() {
        meta.verbose_name = camel_to_words(&m.name);
    }
    if meta.verbose_name_plural.is_empty() {
        meta.verbose_name_plural = format!("{}s", meta.verbose_name);
    }
    Model {
        app_label: m.app_label.clone(),
        name: m.name.clone(),
        db_table: m
            .db_table
            .clone()
            .unwrap_or_else(|| format!("{}_{}", m.app_label, m.name.to_lowercase())),
        fields,
        many_to_many: Vec::new(),
        meta,
        methods: m.methods.clone(),
        class_attrs: m.class_attrs.clone(),
        source: m.source.clone(),
        file: m.file.clone(),
        column_order: Vec::new(),
        auto_created: false,
        proxy_for: None,
        managed: m.managed,
        read_only: false,
        choices_classes: m.choices_classes.clone(),
        generic_foreign_keys: m.generic_foreign_keys.clone(),
        generic_relations: Vec::new(),
        parents: Vec::new(),
    }
}

/// Django's implicit primary key, `id`.
fn implicit_id(kind: FieldKind) -> Field {
    let mut id = Field::new("id", kind, Default::default());
    id.primary_key = true;
    id.unique = true;
    id.column = "id".into();
    id.verbose_name = "ID".into();
    id.editable = false;
    id
}

/// A relation field joins the model; `migration_order` later puts every
/// column where Django's migration would.
fn insert_field(model: &mut Model, field: Field) {
    model.fields.push(field);
}

/// Whether the models use a contrib app (import its models, or relate to
/// the user model), so that a project without settings has it.
pub(super) fn uses_app(pending: &[PendingModel], label: &str) -> bool {
    let prefix = format!("{label}.");
    pending
        .iter()
        .any(|m| m.imports.values().any(|v| v.starts_with(&prefix)))
}

pub(super) fn needs_auth(pending: &[PendingModel]) -> bool {
    pending.iter().any(|m| {
        m.imports
            .values()
            .any(|v| v.starts_with("auth.") || v.starts_with("contenttypes."))
            || m.fields.iter().any(|f| {
                f.relation.as_ref().is_some_and(|r| match &r.to {
                    Literal::Str(s) => s.starts_with("auth."),
                    Literal::Name(n) => n.ends_with("AUTH_USER_MODEL"),
                    Literal::Call(n, _) => n.ends_with("get_user_model"),
                    _ => false,
                })
            })
    })
}

/// What a relation's `to` names: `'self'`, `'Name'` (this app), `'app.Name'`,
/// a class (of this file, or imported from another app's models).
/// Every model's app label and name, and an index to find one by them as
/// Django's app registry does (the name without regard to case).
pub(super) struct ModelNames {
    all: Vec<(String, String)>,
    index: std::collections::HashMap<(String, String), ModelId>,
}

impl ModelNames {
    fn new(pending: &[PendingModel]) -> ModelNames {
        let all: Vec<(String, String)> = pending
            .iter()
            .map(|m| (m.app_label.clone(), m.name.clone()))
            .collect();
        let mut index = std::collections::HashMap::new();
        for (id, (app, name)) in all.iter().enumerate() {
            index
                .entry((app.clone(), name.to_ascii_lowercase()))
                .or_insert(id);
        }
        ModelNames { all, index }
    }

    pub(super) fn find(&self, app: &str, name: &str) -> Option<ModelId> {
        self.index
            .get(&(app.to_string(), name.to_ascii_lowercase()))
            .copied()
    }
}

pub(super) fn find_target(
    names: &ModelNames,
    m: &PendingModel,
    to: &Literal,
    user: &str,
) -> Option<ModelId> {
    let (user_app, user_model) = user.split_once('.').unwrap_or(("auth", "User"));
    let by = |app: &str, name: &str| names.find(app, name);
    match to {
        Literal::Str(s) if s == "self" => by(&m.app_label, &m.name),
        Literal::Str(s) => match s.split_once('.') {
            Some((app, name)) => by(app, name),
            None => by(&m.app_label, s),
        },
        Literal::Name(n) if n.ends_with("AUTH_USER_MODEL") => by(user_app, user_model),
        Literal::Call(n, _) if n.ends_with("get_user_model") => by(user_app, user_model),
        Literal::Name(n)
            if n.split_once('.').is_some_and(|(module, _)| {
                m.imports.get(module).is_some_and(|q| q.ends_with(".*"))
            }) =>
        {
            let (module, name) = n.split_once('.').unwrap_or_default();
            let app = m
                .imports
                .get(module)
                .map_or("", |q| q.trim_end_matches(".*"));
            by(app, name)
        }
        Literal::Name(n) => {
            let name = n.rsplit('.').next().unwrap_or(n);
            match m.imports.get(name) {
                Some(qualified) => {
                    let (app, model) = qualified.split_once('.').unwrap_or(("", qualified));
                    by(app, model)
                }
                None => by(&m.app_label, name),
            }
        }
        _ => None,
    }
}

fn unknown_target(m: &PendingModel, rel: &PendingRelation, names: &ModelNames) -> Diagnostic {
    let written = rel
        .source
        .get(rel.to_span.start..rel.to_span.end)
        .unwrap_or("")
        .to_string();
    let wanted = match &rel.to {
        Literal::Str(s) | Literal::Name(s) => s.clone(),
        _ => {
            return Diagnostic {
                severity: Severity::Error,
                message: format!(
                    "{}.{} relates to `{written}`, an expression ormsh cannot evaluate yet: the field is left out",
                    m.name,
                    field_name_of(m, rel)
                ),
                file: rel.file.clone(),
                source: rel.source.clone(),
                span: rel.to_span,
                hint: Some("write the target as 'app_label.ModelName'".into()),
            };
        }
    };
    let candidates: Vec<String> = names.all.iter().map(|(_, n)| n.clone()).collect();
    let short = wanted.rsplit('.').next().unwrap_or(&wanted).to_string();
    let hint = crate::suggest::nearest(&short, candidates.iter().map(String::as_str))
        .map(|n| format!("did you mean '{n}'?"));
    Diagnostic {
        severity: Severity::Error,
        message: format!(
            "{}.{} refers to the model '{wanted}', which is not defined in any app",
            m.name,
            field_name_of(m, rel)
        ),
        file: rel.file.clone(),
        source: rel.source.clone(),
        span: rel.to_span,
        hint,
    }
}

fn field_name_of(m: &PendingModel, rel: &PendingRelation) -> String {
    m.fields
        .iter()
        .find(|f| {
            f.relation
                .as_ref()
                .is_some_and(|r| r.to_span == rel.to_span)
        })
        .map(|f| f.field.name.clone())
        .unwrap_or_default()
}

fn relation(
    registry: &Registry,
    m: &PendingModel,
    names: &ModelNames,
    rel: &PendingRelation,
    target: ModelId,
    field: &Field,
) -> Relation {
    let fill = |s: &str| {
        s.replace("%(class)s", &m.name.to_lowercase())
            .replace("%(app_label)s", &m.app_label.to_lowercase())
    };
    let related_name = rel
        .related_name
        .as_deref()
        .or(m.meta.default_related_name.as_deref())
        .map(fill);
    let through = rel
        .through
        .as_ref()
        .and_then(|t| find_target(names, m, t, &registry.auth_user_model));
    let target_model = &registry.models[target];
    let to_field = rel.to_field.clone().unwrap_or_else(|| {
        target_model
            .fields
            .iter()
            .find(|f| f.primary_key)
            .map_or_else(|| "id".to_string(), |f| f.name.clone())
    });
    let is_self = target_model.app_label == m.app_label && target_model.name == m.name;
    Relation {
        target,
        on_delete: rel.on_delete.clone(),
        related_name,
        related_query_name: rel.related_query_name.as_deref().map(fill),
        to_field,
        through,
        through_fields: rel.through_fields.clone(),
        // Only a ManyToManyField to 'self' is symmetrical unless told otherwise.
        symmetrical: rel
            .symmetrical
            .unwrap_or(is_self && field.kind == FieldKind::ManyToManyField),
        limit_choices_to: rel.limit_choices_to.clone(),
    }
}

/// The implicit model behind a ManyToManyField without `through=`: table
/// `<table>_<field>`, foreign keys `<model>_id` and `<target>_id` (or
/// `from_<model>_id`/`to_<model>_id` when both ends are one model), unique
/// together.
fn add_through_model(
    registry: &mut Registry,
    owner: ModelId,
    index: usize,
    db_table: Option<String>,
) {
    let field = registry.models[owner].many_to_many[index].clone();
    let rel = field
        .relation
        .clone()
        .expect("a ManyToManyField has a relation");
    if rel.through.is_some() {
        return;
    }
    let (from_model, to_model) = (&registry.models[owner], &registry.models[rel.target]);
    let (mut from, mut to) = (from_model.name.to_lowercase(), to_model.name.to_lowercase());
    if from == to {
        from = format!("from_{from}");
        to = format!("to_{to}");
    }
    let fk = |name: &str, target: ModelId, registry: &Registry| {
        let mut f = Field::new(name, FieldKind::ForeignKey, field.span);
        f.column = format!("{name}_id");
        f.relation = Some(Relation {
            target,
            on_delete: OnDelete::Cascade,
            related_name: Some(format!(
                "{}_{}+",
                from_model_name(registry, owner),
                field.name
            )),
            related_query_name: None,
            to_field: registry.models[target].pk().name.clone(),
            through: None,
            through_fields: None,
            symmetrical: false,
            limit_choices_to: None,
        });
        f
    };
    let mut id = Field::new(
        "id",
        registry.models[owner].pk().kind.auto_for_through(),
        field.span,
    );
    id.primary_key = true;
    id.unique = true;
    id.column = "id".into();
    let fields = vec![
        id,
        fk(&from, owner, registry),
        fk(&to, rel.target, registry),
    ];
    let owner_model = &registry.models[owner];
    let through = Model {
        app_label: owner_model.app_label.clone(),
        name: format!("{}_{}", owner_model.name, field.name),
        db_table: db_table.unwrap_or_else(|| format!("{}_{}", owner_model.db_table, field.name)),
        fields,
        many_to_many: Vec::new(),
        meta: super::Meta {
            unique_together: vec![vec![from.clone(), to.clone()]],
            verbose_name: format!(
                "{}-{} relationship",
                from_model_name(registry, owner),
                registry.models[rel.target].name
            ),
            ..Default::default()
        },
        methods: Vec::new(),
        class_attrs: Vec::new(),
        source: Rc::from(""),
        file: None,
        column_order: Vec::new(),
        auto_created: true,
        proxy_for: None,
        managed: owner_model.managed,
        read_only: false,
        choices_classes: Vec::new(),
        generic_foreign_keys: Vec::new(),
        generic_relations: Vec::new(),
        parents: Vec::new(),
    };
    registry.models.push(through);
    let through_id = registry.models.len() - 1;
    if let Some(r) = registry.models[owner].many_to_many[index].relation.as_mut() {
        r.through = Some(through_id);
        r.through_fields = Some((from, to));
    }
}

fn from_model_name(registry: &Registry, id: ModelId) -> String {
    registry.models[id].name.clone()
}

impl FieldKind {
    /// The auto-created through model's `id` follows the owner app's
    /// default primary-key class.
    fn auto_for_through(self) -> FieldKind {
        if self.is_auto() {
            self
        } else {
            FieldKind::AutoField
        }
    }
}

/// Django's default verbose_name: `BookShelf` → `book shelf`.
fn camel_to_words(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push(' ');
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// For `through=Model` without `through_fields`, Django takes the through
/// model's first ForeignKey to the owner and its first to the target (the
/// first and second when both are the same model).
fn infer_through_fields(registry: &mut Registry) {
    for owner in 0..registry.models.len() {
        for i in 0..registry.models[owner].many_to_many.len() {
            let Some(rel) = registry.models[owner].many_to_many[i].relation.clone() else {
                continue;
            };
            let (Some(through), None) = (rel.through, rel.through_fields.as_ref()) else {
                continue;
            };
            let fks: Vec<(String, ModelId)> = registry.models[through]
                .fields
                .iter()
                .filter_map(|f| {
                    f.relation
                        .as_ref()
                        .filter(|_| f.kind.is_foreign_key())
                        .map(|r| (f.name.clone(), r.target))
                })
                .collect();
            let from = fks
                .iter()
                .find(|(_, t)| *t == owner)
                .map(|(n, _)| n.clone());
            let to = fks
                .iter()
                .filter(|(n, t)| *t == rel.target && Some(n) != from.as_ref())
                .map(|(n, _)| n.clone())
                .next();
            if let (Some(from), Some(to)) = (from, to)
                && let Some(r) = registry.models[owner].many_to_many[i].relation.as_mut()
            {
                r.through_fields = Some((from, to));
            }
        }
    }
}
