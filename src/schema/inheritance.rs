//! Multi-table inheritance in the registry: a child's parent link (a
//! primary key that is a relation, resolved before any relation names the
//! child's key), and the parents' fields a child lists as its own.

use super::loader::{PendingField, PendingModel};
use super::resolve::{ModelNames, find_target, relation_field};
use super::{Diagnostic, Field, ModelId, Registry, Severity};

/// Primary keys that are relations first (a multi-table child's parent
/// link): another model's relation to this one names its pk, so a key
/// waits for its target's.
pub(super) fn primary_key_relations(
    registry: &mut Registry,
    pending: &[PendingModel],
    names: &ModelNames,
    through_models: &mut Vec<(ModelId, usize, Option<String>)>,
) {
    let pk_relation = |pf: &&PendingField| pf.field.primary_key;
    let mut waiting: Vec<(ModelId, &PendingField)> = pending
        .iter()
        .enumerate()
        .flat_map(|(id, m)| m.fields.iter().filter(pk_relation).map(move |pf| (id, pf)))
        .filter(|(_, pf)| pf.relation.is_some())
        .collect();
    while !waiting.is_empty() {
        let before = waiting.len();
        waiting.retain(|(id, pf)| {
            let target = pf.relation.as_ref().and_then(|rel| {
                find_target(names, &pending[*id], &rel.to, &registry.auth_user_model)
            });
            if target.is_some_and(|t| !registry.models[t].fields.iter().any(|f| f.primary_key)) {
                return true;
            }
            relation_field(registry, names, (*id, &pending[*id]), pf, through_models);
            false
        });
        if waiting.len() == before {
            // Keys that only point at each other: Django cannot have them either.
            for (id, pf) in std::mem::take(&mut waiting) {
                registry.diagnostics.push(Diagnostic {
                    severity: Severity::Error,
                    message: format!(
                        "{}.{}: a primary key that relates to a model whose primary key is not known",
                        pending[id].name, pf.field.name
                    ),
                    file: pending[id].file.clone(),
                    source: pending[id].source.clone(),
                    span: pf.field.span,
                    hint: None,
                });
            }
        }
    }
}

/// Multi-table inheritance, once every model's own fields are resolved:
/// each child lists its parents' fields first (`inherited_from` naming the
/// table that holds each), then its own, as Django's `_meta.fields` does;
/// its columns (`column_order`) stay its own table's.
pub(super) fn inherit_parents(
    registry: &mut Registry,
    pending: &[PendingModel],
    names: &ModelNames,
) {
    for (id, m) in pending.iter().enumerate() {
        let Some((parent, link)) = &m.mti_parent else {
            continue;
        };
        let (app, name) = parent.split_once('.').unwrap_or(("", parent));
        if let Some(parent) = names.find(app, name).filter(|p| *p != id) {
            registry.models[id].parents = vec![(parent, link.clone())];
        }
    }
    // Parents are read before their children (a class's bases come first),
    // so one pass in id order sees each parent complete.
    for id in 0..registry.models.len() {
        let Some((parent, _)) = registry.models[id].parents.first().cloned() else {
            continue;
        };
        if parent > id {
            continue;
        }
        // The parent's key is a field here, not this model's key.
        let from_parent = |f: &Field| Field {
            inherited_from: f.inherited_from.or(Some(parent)),
            primary_key: false,
            ..f.clone()
        };
        let fields: Vec<Field> = registry.models[parent]
            .fields
            .iter()
            .map(from_parent)
            .collect();
        let m2m: Vec<Field> = registry.models[parent]
            .many_to_many
            .iter()
            .map(from_parent)
            .collect();
        let child = &mut registry.models[id];
        let shift = fields.len();
        if child.column_order.is_empty() {
            child.column_order = (0..child.fields.len()).collect();
        }
        for i in &mut child.column_order {
            *i += shift;
        }
        child.fields.splice(0..0, fields);
        child.many_to_many.splice(0..0, m2m);
    }
}
