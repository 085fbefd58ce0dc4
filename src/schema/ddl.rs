//! The DDL Django 5.2's migrate leaves on SQLite for a model: its CREATE
//! TABLE and CREATE INDEX statements, as they read in sqlite_master.

use super::{ConstraintSpec, Field, Model, ModelId, Registry};
use md5::{Digest, Md5};

/// Double-quotes an identifier, as Django's `quote_name` does.
pub fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Every statement that creates `id`'s table and its indexes; Err names
/// an index or constraint ormsh cannot write, which is never left out.
pub fn create_statements(registry: &Registry, id: ModelId) -> Result<Vec<String>, String> {
    let model = registry.model(id);
    if matches!(model.app_label.as_str(), "auth" | "contenttypes")
        && let Some(fixed) = super::contrib::ddl(&model.db_table)
    {
        return Ok(fixed.iter().map(|s| s.to_string()).collect());
    }
    refuse_unsupported(model)?;
    let mut out = vec![create_table(registry, model)];
    out.extend(indexes(model));
    out.extend(meta_indexes(model));
    Ok(out)
}

fn refuse_unsupported(model: &Model) -> Result<(), String> {
    // A name that is no field (one ormsh could not load) would be an index
    // on a constant: the table is refused instead.
    let named = model
        .meta
        .unique_together
        .iter()
        .flatten()
        .chain(model.meta.indexes.iter().flat_map(|i| i.fields.iter()))
        .chain(model.meta.constraints.iter().flat_map(|c| match c {
            ConstraintSpec::Unique { fields, .. } => fields.as_slice(),
            ConstraintSpec::Unsupported { .. } => &[],
        }));
    for name in named {
        let name = name.trim_start_matches('-');
        if model.field(name).is_none() {
            return Err(format!(
                "cannot create the table of {}: its Meta names the field '{name}', which ormsh could not load",
                model.name
            ));
        }
    }
    for c in &model.meta.constraints {
        if let ConstraintSpec::Unsupported { class, name, why } = c {
            return Err(format!(
                "cannot create the table of {}: its {class} '{name}' cannot be written by ormsh ({why}); Django's migrate would make it",
                model.name
            ));
        }
    }
    for i in &model.meta.indexes {
        if let Some(why) = &i.unsupported {
            return Err(format!(
                "cannot create the table of {}: its index {} cannot be written by ormsh ({why}); Django's migrate would make it",
                model.name,
                i.name
                    .as_deref()
                    .map_or(String::new(), |n| format!("'{n}'"))
            ));
        }
    }
    Ok(())
}

/// `Meta.indexes`: `CREATE INDEX`, named as given or as Django's
/// `Index.set_name_with_model` names it.
fn meta_indexes(model: &Model) -> Vec<String> {
    model
        .meta
        .indexes
        .iter()
        .map(|index| {
            let columns: Vec<(String, bool)> = index
                .fields
                .iter()
                .map(|f| {
                    let (name, desc) = match f.strip_prefix('-') {
                        Some(n) => (n, true),
                        None => (f.as_str(), false),
                    };
                    (column_of(model, name), desc)
                })
                .collect();
            let name = index
                .name
                .clone()
                .unwrap_or_else(|| auto_index_name(&model.db_table, &columns));
            let list: Vec<String> = columns
                .iter()
                .map(|(c, desc)| format!("{}{}", quote(c), if *desc { " DESC" } else { "" }))
                .collect();
            format!(
                "CREATE INDEX {} ON {} ({})",
                quote(&name),
                quote(&model.db_table),
                list.join(", ")
            )
        })
        .collect()
}

fn column_of(model: &Model, field: &str) -> String {
    model
        .field(field)
        .map_or_else(|| field.to_string(), |f| f.column.clone())
}

/// Django's name for an unnamed `Meta.indexes` entry: 11 characters of the
/// table, 7 of the first column, 6 of an md5 over both and `idx`.
fn auto_index_name(table: &str, columns: &[(String, bool)]) -> String {
    let mut h = Md5::new();
    h.update(table.as_bytes());
    for (c, desc) in columns {
        if *desc {
            h.update(b"-");
        }
        h.update(c.as_bytes());
    }
    h.update(b"idx");
    let digest: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    let first = columns.first().map_or("", |(c, _)| c.as_str());
    let name = format!(
        "{}_{}_{}_idx",
        table.chars().take(11).collect::<String>(),
        first.chars().take(7).collect::<String>(),
        &digest[..6]
    );
    if name.starts_with('_') || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("D{}", &name[1..])
    } else {
        name
    }
}

fn create_table(registry: &Registry, model: &Model) -> String {
    let order: Vec<usize> = if model.column_order.is_empty() {
        (0..model.fields.len()).collect()
    } else {
        model.column_order.clone()
    };
    let columns: Vec<String> = order
        .iter()
        .map(|&i| &model.fields[i])
        .map(|f| format!("{} {}", quote(&f.column), column_definition(registry, f)))
        .collect();
    let mut definition = columns;
    for c in &model.meta.constraints {
        if let ConstraintSpec::Unique { name, fields } = c {
            let list: Vec<String> = fields.iter().map(|f| quote(&column_of(model, f))).collect();
            definition.push(format!(
                "CONSTRAINT {} UNIQUE ({})",
                quote(name),
                list.join(", ")
            ));
        }
    }
    format!(
        "CREATE TABLE {} ({})",
        quote(&model.db_table),
        definition.join(", ")
    )
}

/// Django's column SQL: type, NULL/NOT NULL, PRIMARY KEY or UNIQUE, CHECK,
/// AUTOINCREMENT, then the inline foreign key.
fn column_definition(registry: &Registry, f: &Field) -> String {
    let mut parts = vec![column_type(registry, f)];
    if let Some(default) = &f.db_default {
        parts.push(format!("DEFAULT {}", sql_literal(default)));
    }
    parts.push(if f.null {
        "NULL".into()
    } else {
        "NOT NULL".into()
    });
    if f.primary_key {
        parts.push("PRIMARY KEY".into());
    } else if f.unique {
        parts.push("UNIQUE".into());
    }
    if let Some(check) = f.kind.check(&f.column) {
        parts.push(format!("CHECK ({check})"));
    }
    if f.kind.is_auto() {
        parts.push("AUTOINCREMENT".into());
    }
    if let Some(rel) = &f.relation {
        let target = registry.model(rel.target);
        let to_column = target.to_field(&rel.to_field).column.clone();
        parts.push(format!(
            "REFERENCES {} ({}) DEFERRABLE INITIALLY DEFERRED",
            quote(&target.db_table),
            quote(&to_column)
        ));
    }
    parts.join(" ")
}

fn column_type(registry: &Registry, f: &Field) -> String {
    match &f.relation {
        Some(rel) if f.kind.is_foreign_key() => {
            let target = registry.model(rel.target);
            let to = target.to_field(&rel.to_field);
            to.kind.rel_db_type(to.max_length)
        }
        _ => f.kind.db_type(f.max_length),
    }
}

/// `db_default` values are constants; they are written as SQL literals.
fn sql_literal(l: &super::Literal) -> String {
    use super::Literal::*;
    match l {
        None => "NULL".into(),
        Bool(b) => (if *b { "1" } else { "0" }).into(),
        Int(i) => i.to_string(),
        Float(f) => f.to_string(),
        Str(s) => format!("'{}'", s.replace('\'', "''")),
        other => format!("'{}'", format!("{other:?}").replace('\'', "''")),
    }
}

/// Indexes: one per indexed column that is not unique (ForeignKeys are
/// indexed by default), one unique index per `unique_together`.
fn indexes(model: &Model) -> Vec<String> {
    let mut out = Vec::new();
    for f in model
        .fields
        .iter()
        .filter(|f| f.db_index && !f.unique && !f.primary_key && f.inherited_from.is_none())
    {
        let name = index_name(&model.db_table, &[f.column.as_str()], "");
        out.push(format!(
            "CREATE INDEX {} ON {} ({})",
            quote(&name),
            quote(&model.db_table),
            quote(&f.column)
        ));
    }
    for together in &model.meta.unique_together {
        let columns: Vec<&str> = together
            .iter()
            .map(|n| model.field(n).map_or(n.as_str(), |f| f.column.as_str()))
            .collect();
        let name = index_name(&model.db_table, &columns, "_uniq");
        let list: Vec<String> = columns.iter().map(|c| quote(c)).collect();
        out.push(format!(
            "CREATE UNIQUE INDEX {} ON {} ({})",
            quote(&name),
            quote(&model.db_table),
            list.join(", ")
        ));
    }
    out
}

/// Django's `_create_index_name`: table, columns and an md5 digest of both.
fn index_name(table: &str, columns: &[&str], suffix: &str) -> String {
    let mut h = Md5::new();
    h.update(table.as_bytes());
    for c in columns {
        h.update(c.as_bytes());
    }
    let digest: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    let name = format!("{table}_{}_{}{suffix}", columns.join("_"), &digest[..8]);
    if name.len() <= 200 {
        return name;
    }
    // Too long: Django shortens the table and column parts to fit.
    let other = (200 - 8 - suffix.len() - 3) / 3;
    let table_part: String = table.chars().take(other).collect();
    let cols_part: String = columns.join("_").chars().take(other).collect();
    let mut name = format!("{table_part}_{cols_part}_{}{suffix}", &digest[..8]);
    if name.starts_with('_') || name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("D{}", &name[1..]);
    }
    name
}

#[cfg(test)]
mod tests {
    #[test]
    fn index_names_use_djangos_digest() {
        assert_eq!(
            super::index_name("m2m_basics_book_authors", &["author_id"], ""),
            "m2m_basics_book_authors_author_id_8495dda1"
        );
        assert_eq!(
            super::index_name(
                "m2m_basics_book_authors",
                &["book_id", "author_id"],
                "_uniq"
            ),
            "m2m_basics_book_authors_book_id_author_id_17682223_uniq"
        );
    }
}
