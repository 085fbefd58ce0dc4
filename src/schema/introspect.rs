//! Models for any SQLite file, without a models.py.
//!
//! Each table becomes a model: named from django_content_type in a
//! Django-made database, else as `inspectdb` names it; columns become fields
//! typed from their declared types, foreign keys become ForeignKey (or
//! OneToOneField when unique) with inspectdb's field names. A table that only
//! joins two others (a primary key and two foreign keys, unique together)
//! becomes a ManyToManyField on the first referenced model. Views are
//! read-only models; a table without a primary key uses its rowid.

use super::{App, Field, FieldKind, Meta, Model, ModelId, OnDelete, Registry, Relation};
use std::collections::HashMap;
use std::rc::Rc;

/// A table as SQLite's catalogue describes it (read by `db::introspect`).
#[derive(Debug, Clone)]
pub struct TableInfo {
    pub name: String,
    pub is_view: bool,
    pub columns: Vec<ColumnInfo>,
    pub foreign_keys: Vec<ForeignKeyInfo>,
    /// Column sets with a unique index (single columns included).
    pub unique: Vec<Vec<String>>,
    pub without_rowid: bool,
}

#[derive(Debug, Clone)]
pub struct ColumnInfo {
    pub name: String,
    pub decl_type: String,
    pub not_null: bool,
    /// Position in the primary key (1-based), 0 when not part of it.
    pub pk: i64,
    pub has_json_check: bool,
}

#[derive(Debug, Clone)]
pub struct ForeignKeyInfo {
    pub column: String,
    pub table: String,
    /// The referenced column; None means the referenced table's primary key.
    pub to: Option<String>,
    pub on_delete: String,
}

pub fn from_tables(
    tables: &[TableInfo],
    content_types: Option<&[(String, String)]>,
    default_app: &str,
) -> Registry {
    let known: Vec<(String, String)> = content_types.map(<[_]>::to_vec).unwrap_or_default();
    let joins: Vec<&TableInfo> = tables
        .iter()
        .filter(|t| is_join_table(t) && named_by(&known, &t.name).is_none())
        .collect();
    let models: Vec<&TableInfo> = tables
        .iter()
        .filter(|t| !joins.iter().any(|j| j.name == t.name))
        .collect();
    let mut registry = Registry::default();
    let mut by_table: HashMap<String, ModelId> = HashMap::new();
    for t in &models {
        let (app, name) = named_by(&known, &t.name)
            .unwrap_or_else(|| (default_app.to_string(), table_to_model(&t.name)));
        let name = unique_name(&registry, &app, name);
        if !registry.apps.iter().any(|a| a.label == app) {
            registry.apps.push(App {
                label: app.clone(),
                verbose_name: super::title_case(&app),
                path: None,
                skipped: Vec::new(),
                module: Vec::new(),
            });
        }
        by_table.insert(t.name.clone(), registry.models.len());
        registry.models.push(empty_model(&app, &name, t));
    }
    for (id, t) in models.iter().enumerate() {
        let fields = fields_of(t, &models, &registry.models[id].name, &by_table);
        registry.models[id].fields = fields;
    }
    for j in joins {
        add_many_to_many(&mut registry, j, &models, &by_table);
    }
    name_target_fields(&mut registry);
    registry
}

/// Relations were built before every table had fields: name the target field
/// now (the target's primary key, or the field of the referenced column).
fn name_target_fields(registry: &mut Registry) {
    for id in 0..registry.models.len() {
        for i in 0..registry.models[id].fields.len() {
            let Some(rel) = registry.models[id].fields[i].relation.clone() else {
                continue;
            };
            let target = &registry.models[rel.target];
            let name = target
                .fields
                .iter()
                .find(|f| {
                    if rel.to_field.is_empty() {
                        f.primary_key
                    } else {
                        f.column == rel.to_field
                    }
                })
                .map(|f| f.name.clone())
                .unwrap_or_default();
            if let Some(r) = registry.models[id].fields[i].relation.as_mut() {
                r.to_field = name;
            }
        }
    }
}

/// `(app_label, ClassName)` from django_content_type, for a table named
/// `<app_label>_<model>` as Django names tables.
fn named_by(known: &[(String, String)], table: &str) -> Option<(String, String)> {
    known
        .iter()
        .find(|(app, model)| table == format!("{app}_{model}"))
        .map(|(app, model)| {
            let mut cs = model.chars();
            let class = cs
                .next()
                .map(|c| c.to_uppercase().collect::<String>() + cs.as_str())
                .unwrap_or_default();
            (app.clone(), class)
        })
}

/// inspectdb's `normalize_table_name`: title-case, then only letters and digits.
fn table_to_model(table: &str) -> String {
    let mut out = String::new();
    let mut start = true;
    for c in table.chars() {
        if c.is_alphabetic() {
            if start {
                out.extend(c.to_uppercase())
            } else {
                out.extend(c.to_lowercase())
            }
            start = false;
        } else {
            start = true;
            if c.is_ascii_digit() {
                out.push(c);
            }
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out = format!("Table{out}");
    }
    out
}

fn unique_name(registry: &Registry, app: &str, name: String) -> String {
    let taken = |n: &str| {
        registry
            .models
            .iter()
            .any(|m| m.app_label == app && m.name == n)
    };
    if !taken(&name) {
        return name;
    }
    (2..)
        .map(|i| format!("{name}{i}"))
        .find(|n| !taken(n))
        .unwrap_or(name)
}

fn empty_model(app: &str, name: &str, t: &TableInfo) -> Model {
    let verbose = name.to_lowercase();
    Model {
        app_label: app.to_string(),
        name: name.to_string(),
        db_table: t.name.clone(),
        fields: Vec::new(),
        many_to_many: Vec::new(),
        meta: Meta {
            verbose_name_plural: format!("{verbose}s"),
            verbose_name: verbose,
            ..Meta::default()
        },
        methods: Vec::new(),
        class_attrs: Vec::new(),
        source: Rc::from(""),
        file: None,
        column_order: Vec::new(),
        auto_created: false,
        proxy_for: None,
        managed: false,
        read_only: t.is_view || composite_key(t),
        choices_classes: Vec::new(),
        generic_foreign_keys: Vec::new(),
        generic_relations: Vec::new(),
        parents: Vec::new(),
    }
}

/// A WITHOUT ROWID table whose primary key has several columns.
fn composite_key(t: &TableInfo) -> bool {
    t.without_rowid && t.columns.iter().filter(|c| c.pk > 0).count() > 1
}

fn is_join_table(t: &TableInfo) -> bool {
    if t.is_view || t.foreign_keys.len() != 2 {
        return false;
    }
    let fk_cols: Vec<&str> = t.foreign_keys.iter().map(|f| f.column.as_str()).collect();
    // Two keys whose pair is the primary key (Chinook's PlaylistTrack).
    if t.columns.len() == 2 {
        return t
            .columns
            .iter()
            .all(|c| c.pk > 0 && fk_cols.contains(&c.name.as_str()));
    }
    if t.columns.len() != 3 {
        return false;
    }
    let pk_is_other = t
        .columns
        .iter()
        .any(|c| c.pk == 1 && !fk_cols.contains(&c.name.as_str()));
    let pair_unique = t
        .unique
        .iter()
        .any(|u| u.len() == 2 && fk_cols.iter().all(|c| u.iter().any(|x| x == c)));
    pk_is_other && pair_unique
}

fn fields_of(
    t: &TableInfo,
    tables: &[&TableInfo],
    model_name: &str,
    by_table: &HashMap<String, ModelId>,
) -> Vec<Field> {
    let pk_cols: Vec<&ColumnInfo> = t.columns.iter().filter(|c| c.pk > 0).collect();
    let single_pk = (pk_cols.len() == 1).then(|| pk_cols[0].name.clone());
    let mut fields = Vec::new();
    let mut used: Vec<String> = Vec::new();
    let mut used_relations: Vec<ModelId> = Vec::new();
    if single_pk.is_none() && !t.without_rowid && !t.is_view {
        let mut rowid = Field::new("rowid", FieldKind::AutoField, Default::default());
        rowid.column = "rowid".into();
        rowid.primary_key = true;
        rowid.unique = true;
        rowid.editable = false;
        used.push("rowid".into());
        fields.push(rowid);
    }
    for c in &t.columns {
        let fk = t.foreign_keys.iter().find(|f| f.column == c.name);
        let target = fk.and_then(|f| by_table.get(&f.table).copied());
        let (name, _) = normalize_col_name(&c.name, &used, target.is_some());
        used.push(name.clone());
        // A view, or a WITHOUT ROWID table keyed by several columns (Django
        // 5.2's CompositePrimaryKey, which ormsh lacks), is read through its
        // first column as `pk`, and read-only (`composite_key`).
        let is_pk = single_pk.as_deref() == Some(c.name.as_str())
            || (single_pk.is_none() && t.is_view && fields.is_empty())
            || (composite_key(t)
                && pk_cols
                    .iter()
                    .min_by_key(|p| p.pk)
                    .is_some_and(|p| p.name == c.name));
        let unique = is_pk || t.unique.iter().any(|u| u.len() == 1 && u[0] == c.name);
        let kind = match target {
            Some(_) if unique => FieldKind::OneToOneField,
            Some(_) => FieldKind::ForeignKey,
            None => field_kind(c, is_pk),
        };
        let mut f = Field::new(&name, kind, Default::default());
        f.column = c.name.clone();
        f.primary_key = is_pk;
        f.unique = unique;
        f.null = !c.not_null && !is_pk;
        f.max_length = char_length(&c.decl_type).or(f.max_length);
        if let (Some(target), Some(fk)) = (target, fk) {
            // The referenced column for now; `name_target_fields` makes it a field name.
            let target_pk = tables
                .iter()
                .find(|x| x.name == fk.table)
                .map(|x| pk_column(x));
            let to_column = fk
                .to
                .clone()
                .filter(|to| !to.is_empty() && Some(to) != target_pk.as_ref());
            let related_name = used_relations
                .contains(&target)
                .then(|| format!("{}_{}_set", model_name.to_lowercase(), name));
            used_relations.push(target);
            f.relation = Some(Relation {
                target,
                on_delete: match fk.on_delete.as_str() {
                    "CASCADE" => OnDelete::Cascade,
                    "SET NULL" => OnDelete::SetNull,
                    "RESTRICT" => OnDelete::Restrict,
                    "SET DEFAULT" => OnDelete::SetDefault,
                    _ => OnDelete::DoNothing,
                },
                related_name,
                related_query_name: None,
                to_field: to_column.unwrap_or_default(),
                through: None,
                through_fields: None,
                symmetrical: false,
                limit_choices_to: None,
            });
        }
        fields.push(f);
    }
    fields
}

/// The primary-key column of a table (`rowid` when it declares none).
fn pk_column(t: &TableInfo) -> String {
    let pks: Vec<&ColumnInfo> = t.columns.iter().filter(|c| c.pk > 0).collect();
    match pks.as_slice() {
        [one] => one.name.clone(),
        _ => "rowid".to_string(),
    }
}

/// inspectdb's `normalize_col_name`: lower case, `_id` dropped from
/// relations, no characters Python cannot use, no double underscores.
fn normalize_col_name(column: &str, used: &[String], is_relation: bool) -> (String, bool) {
    let mut name = column.to_lowercase();
    let mut db_column = name != column;
    if is_relation {
        match name.strip_suffix("_id") {
            Some(stripped) if !stripped.is_empty() => name = stripped.to_string(),
            _ => db_column = true,
        }
    }
    name = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    while name.contains("__") {
        name = name.replace("__", "_");
    }
    if name.starts_with('_') {
        name = format!("field{name}");
    }
    if name.ends_with('_') {
        name = format!("{name}field");
    }
    if is_python_keyword(&name) {
        name.push_str("_field");
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("number_{name}");
    }
    if used.contains(&name) {
        let mut n = 0;
        while used.contains(&format!("{name}_{n}")) {
            n += 1;
        }
        name = format!("{name}_{n}");
    }
    (name, db_column)
}

fn is_python_keyword(s: &str) -> bool {
    matches!(
        s,
        "false"
            | "none"
            | "true"
            | "and"
            | "as"
            | "assert"
            | "async"
            | "await"
            | "break"
            | "class"
            | "continue"
            | "def"
            | "del"
            | "elif"
            | "else"
            | "except"
            | "finally"
            | "for"
            | "from"
            | "global"
            | "if"
            | "import"
            | "in"
            | "is"
            | "lambda"
            | "nonlocal"
            | "not"
            | "or"
            | "pass"
            | "raise"
            | "return"
            | "try"
            | "while"
            | "with"
            | "yield"
    )
}

/// Django's SQLite `data_types_reverse`, then SQLite's type affinity for the
/// types Django does not name (INT…, …CHAR…, REAL…, NUMERIC…).
fn field_kind(c: &ColumnInfo, is_pk: bool) -> FieldKind {
    let key = c.decl_type.to_lowercase();
    let key = key.split('(').next().unwrap_or("").trim();
    let exact = match key {
        "bool" | "boolean" => Some(FieldKind::BooleanField),
        "smallint" | "smallinteger" => Some(FieldKind::SmallIntegerField),
        "smallint unsigned" => Some(FieldKind::PositiveSmallIntegerField),
        "int" | "integer" => Some(FieldKind::IntegerField),
        "bigint" => Some(FieldKind::BigIntegerField),
        "integer unsigned" => Some(FieldKind::PositiveIntegerField),
        "bigint unsigned" => Some(FieldKind::PositiveBigIntegerField),
        "decimal" => Some(FieldKind::DecimalField),
        "real" => Some(FieldKind::FloatField),
        "text" => Some(FieldKind::TextField),
        "char" | "varchar" => Some(FieldKind::CharField),
        "blob" => Some(FieldKind::BinaryField),
        "date" => Some(FieldKind::DateField),
        "datetime" => Some(FieldKind::DateTimeField),
        "time" => Some(FieldKind::TimeField),
        _ => None,
    };
    let kind = exact.unwrap_or_else(|| affinity(key));
    if c.has_json_check {
        return FieldKind::JSONField;
    }
    if is_pk
        && matches!(
            kind,
            FieldKind::IntegerField | FieldKind::BigIntegerField | FieldKind::SmallIntegerField
        )
    {
        return FieldKind::AutoField;
    }
    kind
}

fn affinity(t: &str) -> FieldKind {
    if t.contains("int") {
        FieldKind::IntegerField
    } else if t.contains("timestamp") || t.contains("datetime") {
        FieldKind::DateTimeField
    } else if t.contains("date") {
        FieldKind::DateField
    } else if t.contains("char") || t.contains("clob") {
        FieldKind::CharField
    } else if t.contains("text") || t.is_empty() {
        FieldKind::TextField
    } else if t.contains("blob") {
        FieldKind::BinaryField
    } else if t.contains("real") || t.contains("floa") || t.contains("doub") {
        FieldKind::FloatField
    } else if t.contains("bool") {
        FieldKind::BooleanField
    } else if t.contains("num") || t.contains("dec") {
        FieldKind::DecimalField
    } else {
        FieldKind::TextField
    }
}

fn char_length(decl: &str) -> Option<u32> {
    let lower = decl.to_lowercase();
    let (_, rest) = lower.split_once('(')?;
    rest.split([')', ',']).next()?.trim().parse().ok()
}

/// A join table as a ManyToManyField on the model its first foreign key
/// points at; the table itself becomes the field's (auto-created) through model.
fn add_many_to_many(
    registry: &mut Registry,
    t: &TableInfo,
    tables: &[&TableInfo],
    by_table: &HashMap<String, ModelId>,
) {
    let (Some(owner), Some(target)) = (
        by_table.get(&t.foreign_keys[0].table).copied(),
        by_table.get(&t.foreign_keys[1].table).copied(),
    ) else {
        return;
    };
    let owner_table = registry.models[owner].db_table.clone();
    let field_name = t
        .name
        .strip_prefix(&format!("{owner_table}_"))
        .map(|s| normalize_col_name(s, &[], false).0)
        .unwrap_or_else(|| normalize_col_name(&registry.models[target].db_table, &[], false).0);
    let (from, _) = normalize_col_name(&t.foreign_keys[0].column, &[], true);
    let (to, _) = normalize_col_name(&t.foreign_keys[1].column, std::slice::from_ref(&from), true);
    let app = registry.models[owner].app_label.clone();
    let through_name = format!("{}_{field_name}", registry.models[owner].name);
    let mut through = empty_model(&app, &through_name, t);
    through.auto_created = true;
    let mut by_through = by_table.clone();
    by_through.insert(t.name.clone(), registry.models.len());
    through.fields = fields_of(t, tables, &through_name, &by_through);
    registry.models.push(through);
    let through_id = registry.models.len() - 1;
    let mut m2m = Field::new(&field_name, FieldKind::ManyToManyField, Default::default());
    m2m.relation = Some(Relation {
        target,
        on_delete: OnDelete::Cascade,
        related_name: None,
        related_query_name: None,
        to_field: String::new(),
        through: Some(through_id),
        through_fields: Some((from, to)),
        symmetrical: false,
        limit_choices_to: None,
    });
    registry.models[owner].many_to_many.push(m2m);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_inspectdb() {
        assert_eq!(table_to_model("shop_orderitem"), "ShopOrderitem");
        assert_eq!(table_to_model("Album"), "Album");
        assert_eq!(table_to_model("playlist_track"), "PlaylistTrack");
        assert_eq!(
            normalize_col_name("ArtistId", &[], true),
            ("artistid".to_string(), true)
        );
        assert_eq!(
            normalize_col_name("artist_id", &[], true),
            ("artist".to_string(), false)
        );
        assert_eq!(normalize_col_name("class", &[], false).0, "class_field");
        assert_eq!(normalize_col_name("Unit Price", &[], false).0, "unit_price");
    }
}
