//! The registry described for people: `.models`, `.schema` and `help(Model)`.

use crate::schema::{Field, FieldKind, Literal, ModelId, Registry};
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};

/// `.models`: apps, models, tables and each table's rows as `rows` counts them.
pub fn models(registry: &Registry, rows: &dyn Fn(ModelId) -> String) -> String {
    let mut t = table(&["app", "model", "table", "rows"]);
    for (id, m) in registry.models.iter().enumerate() {
        let name = if m.auto_created {
            format!("({})", m.name)
        } else {
            m.name.clone()
        };
        t.add_row(vec![
            m.app_label.clone(),
            name,
            m.db_table.clone(),
            rows(id),
        ]);
    }
    let mut out = t.to_string();
    for app in registry.apps.iter().filter(|a| !a.skipped.is_empty()) {
        out.push_str(&format!(
            "\nskipped in {}: {}",
            app.label,
            app.skipped.join("; ")
        ));
    }
    out
}

/// `help(Model)` and `.schema Model`: the model's fields and relations, both ways.
pub fn model(registry: &Registry, id: ModelId) -> String {
    let m = registry.model(id);
    let mut fields = table(&["field", "type", "null", "default", "column"]);
    for f in m.fields.iter().chain(&m.many_to_many) {
        fields.add_row(vec![
            f.name.clone(),
            type_text(registry, f),
            if f.null { "yes".into() } else { String::new() },
            default_text(f),
            f.column.clone(),
        ]);
    }
    let lower = m.name.to_lowercase();
    let mut relations = table(&["relation", "model", "access", "lookup"]);
    for f in m.fields.iter().chain(&m.many_to_many) {
        let Some(rel) = &f.relation else { continue };
        let target = &registry.model(rel.target).name;
        let (arrow, access) = match f.kind {
            FieldKind::ManyToManyField => ("↔", format!("{lower}.{}.all()", f.name)),
            _ => ("→", format!("{lower}.{}", f.name)),
        };
        relations.add_row(vec![
            format!("{} {arrow}", f.name),
            target.clone(),
            access,
            format!("{}__…", f.name),
        ]);
    }
    for r in registry.reverse_relations(id) {
        let source = registry.model(r.model);
        let access = match r.kind {
            FieldKind::OneToOneField => format!("{lower}.{}", r.accessor),
            _ => format!("{lower}.{}.all()", r.accessor),
        };
        relations.add_row(vec![
            format!("{} ←", r.accessor),
            format!("{}.{}", source.name, r.field),
            access,
            format!("{}__…", r.query_name),
        ]);
    }
    format!(
        "{} ({}.{}) · table {}\n{fields}\n{relations}",
        m.name, m.app_label, m.name, m.db_table
    )
}

fn table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header.to_vec());
    t
}

fn type_text(registry: &Registry, f: &Field) -> String {
    let class = f
        .unknown_class
        .clone()
        .unwrap_or_else(|| f.kind.class_name().to_string());
    let mut text = match (f.kind, f.max_length, f.max_digits, f.decimal_places) {
        (FieldKind::DecimalField, _, Some(d), Some(p)) => format!("{class}({d}, {p})"),
        (_, Some(n), _, _) if f.kind.is_text() => format!("{class}({n})"),
        _ => class,
    };
    if let Some(rel) = &f.relation {
        text.push_str(&format!(" to {}", registry.model(rel.target).name));
        if f.kind.is_foreign_key() {
            text.push_str(&format!(", on_delete {}", rel.on_delete.name()));
        }
    }
    if f.primary_key {
        text.push_str(", primary key");
    } else if f.unique {
        text.push_str(", unique");
    }
    text
}

fn default_text(f: &Field) -> String {
    match &f.default {
        None => String::new(),
        Some(Literal::Str(s)) => crate::engine::repr::str_repr(s),
        Some(Literal::Int(i)) => i.to_string(),
        Some(Literal::Float(x)) => crate::engine::repr::float_repr(*x),
        Some(Literal::Bool(b)) => (if *b { "True" } else { "False" }).into(),
        Some(Literal::None) => "None".into(),
        Some(Literal::Name(n)) => format!("{n}()"),
        Some(other) => format!("{other:?}"),
    }
}
