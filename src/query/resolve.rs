//! What a name means on a model, as Django's `names_to_path` decides: a
//! field, a ForeignKey's attname (`publisher_id`), a ManyToManyField, or a
//! reverse relation by its query name. Unknown names raise FieldError with
//! Django's list of choices.

use crate::error::Error;
use crate::schema::{Field, FieldKind, ModelId, Registry, ReverseRelation};

#[derive(Clone, Debug)]
pub(super) enum Name {
    /// A concrete field (a ForeignKey by its name included).
    Field(Field),
    /// A ForeignKey's column by its attname, `publisher_id`.
    Attname(Field),
    ManyToMany(Field),
    Reverse(ReverseRelation),
}

pub(super) fn find(reg: &Registry, model: ModelId, name: &str) -> Option<Name> {
    let m = reg.model(model);
    if name == "pk" {
        return Some(Name::Field(m.pk().clone()));
    }
    if let Some(f) = m.fields.iter().find(|f| f.name == name) {
        return Some(Name::Field(f.clone()));
    }
    if let Some(f) = m
        .fields
        .iter()
        .find(|f| f.kind.is_foreign_key() && f.column == name && f.name != name)
    {
        return Some(Name::Attname(f.clone()));
    }
    if let Some(f) = m.many_to_many.iter().find(|f| f.name == name) {
        return Some(Name::ManyToMany(f.clone()));
    }
    reg.reverse_relations(model)
        .into_iter()
        .find(|r| r.query_name == name)
        .map(Name::Reverse)
}

/// Django's "Choices are: …": every field name, every ForeignKey attname,
/// ManyToMany names and reverse query names, sorted.
pub(super) fn choices(reg: &Registry, model: ModelId) -> Vec<String> {
    let m = reg.model(model);
    let mut names: Vec<String> = Vec::new();
    for f in &m.fields {
        names.push(f.name.clone());
        if f.kind.is_foreign_key() && f.column != f.name {
            names.push(format!("{}_id", f.name));
        }
    }
    names.extend(m.many_to_many.iter().map(|f| f.name.clone()));
    names.extend(
        reg.reverse_relations(model)
            .into_iter()
            .map(|r| r.query_name),
    );
    names.sort();
    names.dedup();
    names
}

pub(super) fn cannot_resolve(reg: &Registry, model: ModelId, name: &str) -> Error {
    cannot_resolve_with(reg, model, name, &[])
}

/// The same, with the query's annotation names among the choices.
pub(super) fn cannot_resolve_with(
    reg: &Registry,
    model: ModelId,
    name: &str,
    annotations: &[String],
) -> Error {
    let mut choices = choices(reg, model);
    choices.extend(annotations.iter().cloned());
    choices.sort();
    let mut e = Error::new(
        "FieldError",
        format!(
            "Cannot resolve keyword '{name}' into field. Choices are: {}",
            choices.join(", ")
        ),
    );
    if let Some(near) = crate::suggest::nearest(name, choices.iter().map(String::as_str)) {
        e = e.with_hint(format!("did you mean '{near}'?"));
    }
    e
}

/// Whether a relation step can match several rows (reverse ForeignKey,
/// ManyToMany), which is what Django's join-reuse rules turn on.
pub(super) fn is_multi_valued(name: &Name) -> bool {
    match name {
        Name::ManyToMany(_) => true,
        Name::Reverse(r) => r.kind != FieldKind::OneToOneField,
        _ => false,
    }
}
