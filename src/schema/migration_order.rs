//! The column order Django's initial migration gives each table.
//!
//! `makemigrations` creates each model without its relation fields and adds
//! those with one AddField each (sorted by name); it orders the operations
//! with `graphlib.TopologicalSorter` over their dependencies, and its
//! optimizer then folds AddFields back into CreateModels where nothing in
//! between refers to them. A column added by a remaining AddField goes to the
//! end of its table. This module replays those three steps on the registry,
//! so that `--migrate` writes columns in exactly Django's order.

use super::{ModelId, Registry};

#[derive(Clone, Debug, PartialEq)]
struct FieldRef {
    name: String,
    /// The model the relation points at, if any.
    remote: Option<ModelId>,
    /// An explicit through model.
    through: Option<ModelId>,
}

impl FieldRef {
    fn references(&self, model: ModelId) -> bool {
        self.remote == Some(model) || self.through == Some(model)
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Op {
    Create {
        model: ModelId,
        fields: Vec<FieldRef>,
    },
    Add {
        model: ModelId,
        field: FieldRef,
    },
}

enum Reduce {
    Merge(Op),
    Through,
    Blocked,
}

impl Op {
    fn references_model(&self, m: ModelId) -> bool {
        match self {
            Op::Create { model, fields } => *model == m || fields.iter().any(|f| f.references(m)),
            Op::Add { model, field } => *model == m || field.references(m),
        }
    }

    fn references_field(&self, m: ModelId, name: &str) -> bool {
        match self {
            Op::Create { .. } => self.references_model(m),
            Op::Add { model, field } => (*model == m && field.name == name) || field.references(m),
        }
    }

    /// Django's `Operation.reduce` for the two kinds an initial migration has.
    fn reduce(&self, other: &Op) -> Reduce {
        let through = |ok: bool| if ok { Reduce::Through } else { Reduce::Blocked };
        match (self, other) {
            (Op::Create { model, fields }, Op::Add { model: m2, field }) if model == m2 => {
                let mut fields = fields.clone();
                fields.push(field.clone());
                Reduce::Merge(Op::Create {
                    model: *model,
                    fields,
                })
            }
            (Op::Create { model, .. }, _) => through(!other.references_model(*model)),
            (Op::Add { model, field }, _) => through(!other.references_field(*model, &field.name)),
        }
    }
}

/// Puts every model's concrete fields in the order of Django's columns.
/// `declared[id]` lists the model's field names as declared.
pub(super) fn apply(registry: &mut Registry, declared: &[Vec<String>]) {
    let mut apps: Vec<String> = registry
        .models
        .iter()
        .map(|m| m.app_label.clone())
        .collect();
    apps.dedup();
    for app in apps {
        let ops = optimize(sort(generate(registry, &app, declared)));
        reorder(registry, &ops);
    }
}

fn is_related(registry: &Registry, id: ModelId, name: &str) -> bool {
    registry.models[id]
        .field(name)
        .is_some_and(|f| f.relation.is_some() && !f.primary_key)
}

fn field_ref(registry: &Registry, id: ModelId, name: &str) -> FieldRef {
    let f = registry.models[id].field(name);
    let rel = f.and_then(|f| f.relation.as_ref());
    let auto_through = rel
        .and_then(|r| r.through)
        .is_some_and(|t| registry.models[t].auto_created);
    FieldRef {
        name: name.to_string(),
        remote: rel.map(|r| r.target),
        through: rel.and_then(|r| r.through).filter(|_| !auto_through),
    }
}

/// `generate_created_models`: models in reverse order of their names, each
/// CreateModel put first and its relation fields' AddFields appended.
fn generate(registry: &Registry, app: &str, declared: &[Vec<String>]) -> Vec<Op> {
    let mut ids: Vec<ModelId> = (0..declared.len().min(registry.models.len()))
        .filter(|&id| registry.models[id].app_label == app && !registry.models[id].auto_created)
        .collect();
    ids.sort_by_key(|&id| std::cmp::Reverse(registry.models[id].name.to_lowercase()));
    // Each CreateModel goes before all earlier ones, each model's AddFields
    // after all earlier ones: creates are gathered reversed.
    let mut creates = Vec::new();
    let mut ops = Vec::new();
    for id in ids {
        let model = &registry.models[id];
        let mut own: Vec<FieldRef> = Vec::new();
        if model
            .fields
            .first()
            .is_some_and(|f| f.name == "id" && !f.editable)
        {
            own.push(field_ref(registry, id, "id"));
        }
        own.extend(
            declared[id]
                .iter()
                .filter(|n| !is_related(registry, id, n))
                .map(|n| field_ref(registry, id, n)),
        );
        creates.push(Op::Create {
            model: id,
            fields: own,
        });
        if !model.managed {
            continue;
        }
        let mut related: Vec<&String> = declared[id]
            .iter()
            .filter(|n| is_related(registry, id, n))
            .collect();
        related.sort();
        for name in related {
            ops.push(Op::Add {
                model: id,
                field: field_ref(registry, id, name),
            });
        }
    }
    creates.reverse();
    creates.extend(ops);
    creates
}

/// `graphlib.TopologicalSorter(...).static_order()` over the operations'
/// dependencies within the app: an AddField waits for the CreateModel of its
/// model, of its target and of its explicit through model.
fn sort(ops: Vec<Op>) -> Vec<Op> {
    let creates: std::collections::HashMap<ModelId, usize> = ops
        .iter()
        .enumerate()
        .filter_map(|(i, o)| match o {
            Op::Create { model, .. } => Some((*model, i)),
            Op::Add { .. } => None,
        })
        .collect();
    let create_of = |m: ModelId| creates.get(&m).copied();
    let n = ops.len();
    let mut npred = vec![0usize; n];
    let mut successors: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, op) in ops.iter().enumerate() {
        let Op::Add { model, field } = op else {
            continue;
        };
        let mut preds: Vec<usize> = [Some(*model), field.remote, field.through]
            .into_iter()
            .flatten()
            .filter_map(create_of)
            .collect();
        preds.sort_unstable();
        preds.dedup();
        npred[i] += preds.len();
        for p in preds {
            successors[p].push(i);
        }
    }
    let mut order: Vec<usize> = Vec::with_capacity(n);
    let mut ready: Vec<usize> = (0..n).filter(|&i| npred[i] == 0).collect();
    while !ready.is_empty() {
        let group = std::mem::take(&mut ready);
        order.extend(&group);
        for node in group {
            for &s in &successors[node] {
                npred[s] -= 1;
                if npred[s] == 0 {
                    ready.push(s);
                }
            }
        }
    }
    order.into_iter().map(|i| ops[i].clone()).collect()
}

/// `MigrationOptimizer.optimize`: reduce until nothing changes.
fn optimize(mut ops: Vec<Op>) -> Vec<Op> {
    loop {
        let next = optimize_inner(&ops);
        if next == ops {
            return next;
        }
        ops = next;
    }
}

fn optimize_inner(ops: &[Op]) -> Vec<Op> {
    // Only a CreateModel followed by an AddField of its model can reduce;
    // the others are kept without scanning what follows them.
    let mut last_add = std::collections::HashMap::new();
    for (i, op) in ops.iter().enumerate() {
        if let Op::Add { model, .. } = op {
            last_add.insert(*model, i);
        }
    }
    let mut out = Vec::with_capacity(ops.len());
    for (i, op) in ops.iter().enumerate() {
        let can_merge = match op {
            Op::Create { model, .. } => last_add.get(model).is_some_and(|&j| j > i),
            Op::Add { .. } => false,
        };
        if !can_merge {
            out.push(op.clone());
            continue;
        }
        let mut right = true;
        let mut kept = false;
        for j in i + 1..ops.len() {
            match op.reduce(&ops[j]) {
                Reduce::Merge(merged) => {
                    let between = &ops[i + 1..j];
                    if right {
                        out.extend_from_slice(between);
                        out.push(merged);
                    } else if between
                        .iter()
                        .all(|b| matches!(b.reduce(&ops[j]), Reduce::Through))
                    {
                        out.push(merged);
                        out.extend_from_slice(between);
                    } else {
                        out.push(op.clone());
                        kept = true;
                        break;
                    }
                    out.extend_from_slice(&ops[j + 1..]);
                    return out;
                }
                Reduce::Blocked => right = false,
                Reduce::Through => {}
            }
        }
        if !kept {
            out.push(op.clone());
        }
    }
    out
}

/// Columns in the order the optimized migration creates them: the
/// CreateModel's fields, then each AddField at the end of the table.
fn reorder(registry: &mut Registry, ops: &[Op]) {
    let mut order: indexmap::IndexMap<ModelId, Vec<String>> = indexmap::IndexMap::new();
    for op in ops {
        let (model, names): (ModelId, Vec<String>) = match op {
            Op::Create { model, fields } => {
                (*model, fields.iter().map(|f| f.name.clone()).collect())
            }
            Op::Add { model, field } => (*model, vec![field.name.clone()]),
        };
        order.entry(model).or_default().extend(names);
    }
    for (model, names) in order {
        let m = &mut registry.models[model];
        let mut indexes: Vec<usize> = (0..m.fields.len()).collect();
        indexes.sort_by_key(|&i| {
            names
                .iter()
                .position(|n| *n == m.fields[i].name)
                .unwrap_or(usize::MAX)
        });
        m.column_order = indexes;
    }
}
