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
use std::collections::{BTreeSet, HashMap};

#[derive(Clone, Debug, PartialEq)]
struct FieldRef {
    name: String,
    /// The model the relation points at, if any.
    remote: Option<ModelId>,
    /// An explicit through model.
    through: Option<ModelId>,
}

#[cfg(test)]
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

impl Op {
    fn model(&self) -> ModelId {
        match self {
            Op::Create { model, .. } | Op::Add { model, .. } => *model,
        }
    }

    /// The models the operation refers to: its own and its fields' targets.
    fn models(&self) -> Vec<ModelId> {
        let fields: Vec<&FieldRef> = match self {
            Op::Create { fields, .. } => fields.iter().collect(),
            Op::Add { field, .. } => vec![field],
        };
        let mut out = vec![self.model()];
        for f in fields {
            out.extend(f.remote);
            out.extend(f.through);
        }
        out.sort_unstable();
        out.dedup();
        out
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
        if !model.has_own_table() {
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
        let mut preds: Vec<usize> = match op {
            Op::Add { model, field } => [Some(*model), field.remote, field.through]
                .into_iter()
                .flatten()
                .filter_map(create_of)
                .collect(),
            // A CreateModel whose primary key relates (a multi-table
            // child's parent link) waits for its target's.
            Op::Create { model, fields } => fields
                .iter()
                .filter_map(|f| f.remote)
                .filter(|r| r != model)
                .filter_map(create_of)
                .collect(),
        };
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

/// `MigrationOptimizer.optimize` on an initial migration, with Django's
/// answer but not its cost. Django reduces the first CreateModel it can
/// (with the first AddField of its model after it: moved right when nothing
/// between refers to the model, else left when nothing between blocks the
/// field) and starts again from the top, which is quadratic in the models.
/// Here every operation keeps its position as a label, indexes say which
/// operations refer to or belong to each model, and after a reduction only
/// the CreateModels that the two operations involved could affect are
/// looked at again, so the first reducible CreateModel is still the one
/// Django reduces. `reference::optimize` is Django's loop, kept to test
/// against.
fn optimize(ops: Vec<Op>) -> Vec<Op> {
    let mut plan = Plan::new(ops);
    let mut from = 0;
    while let Some(i) = plan.creates.range(from..).next().copied() {
        from = match plan.reduce_create(i) {
            Some(affected) => affected,
            None => i + 1,
        };
    }
    plan.ops.into_iter().flatten().collect()
}

/// The operations by position (None once merged away) and their indexes.
struct Plan {
    ops: Vec<Option<Op>>,
    creates: BTreeSet<usize>,
    /// Positions of the operations that refer to a model (theirs or a target).
    refs: HashMap<ModelId, BTreeSet<usize>>,
    /// Positions of the operations of a model (its CreateModel, its AddFields).
    owned: HashMap<ModelId, BTreeSet<usize>>,
}

impl Plan {
    fn new(ops: Vec<Op>) -> Plan {
        let mut plan = Plan {
            ops: Vec::with_capacity(ops.len()),
            creates: BTreeSet::new(),
            refs: HashMap::new(),
            owned: HashMap::new(),
        };
        for (at, op) in ops.into_iter().enumerate() {
            plan.ops.push(None);
            plan.put(at, op);
        }
        plan
    }

    fn put(&mut self, at: usize, op: Op) {
        for m in op.models() {
            self.refs.entry(m).or_default().insert(at);
        }
        self.owned.entry(op.model()).or_default().insert(at);
        if matches!(op, Op::Create { .. }) {
            self.creates.insert(at);
        }
        self.ops[at] = Some(op);
    }

    fn take(&mut self, at: usize) -> Op {
        let op = self.ops[at].take().expect("an operation at this position");
        for m in op.models() {
            self.refs.entry(m).or_default().remove(&at);
        }
        self.owned.entry(op.model()).or_default().remove(&at);
        self.creates.remove(&at);
        op
    }

    fn any_between(set: Option<&BTreeSet<usize>>, from: usize, to: usize) -> bool {
        set.is_some_and(|s| s.range(from + 1..to).next().is_some())
    }

    /// Reduces the CreateModel at `i` with its model's next AddField, if
    /// Django would; returns the first position to look at again.
    fn reduce_create(&mut self, i: usize) -> Option<usize> {
        let m = self.ops[i].as_ref()?.model();
        let a = *self.owned.get(&m)?.range(i + 1..).next()?;
        let Some(Op::Add { field, .. }) = &self.ops[a] else {
            return None;
        };
        let right = !Self::any_between(self.refs.get(&m), i, a);
        let left = || {
            [field.remote, field.through]
                .into_iter()
                .flatten()
                .all(|t| !Self::any_between(self.owned.get(&t), i, a))
        };
        let at = if right {
            a
        } else if left() {
            i
        } else {
            return None;
        };
        let Op::Create { mut fields, .. } = self.take(i) else {
            unreachable!("a CreateModel at {i}")
        };
        let Op::Add { field, .. } = self.take(a) else {
            unreachable!("an AddField at {a}")
        };
        fields.push(field);
        let merged = Op::Create { model: m, fields };
        // What the two operations touched: the models they refer to, and
        // the models whose AddFields refer to this one.
        let mut affected: Vec<ModelId> = merged.models();
        affected.extend(
            self.refs
                .get(&m)
                .into_iter()
                .flatten()
                .filter_map(|&r| self.ops[r].as_ref().map(Op::model)),
        );
        self.put(at, merged);
        let first = affected
            .into_iter()
            .filter_map(|k| {
                self.owned
                    .get(&k)?
                    .iter()
                    .copied()
                    .find(|&p| self.creates.contains(&p))
            })
            .min()
            .unwrap_or(i);
        Some(first.min(i))
    }
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

/// Django's optimizer loop as `optimizer.py` writes it, to hold the fast
/// one to.
#[cfg(test)]
mod reference {
    use super::*;

    enum Reduce {
        Merge(Op),
        Through,
        Blocked,
    }

    trait Reduces {
        fn references_model(&self, m: ModelId) -> bool;
        fn references_field(&self, m: ModelId, name: &str) -> bool;
        fn reduce(&self, other: &Op) -> Reduce;
    }

    impl Reduces for Op {
        fn references_model(&self, m: ModelId) -> bool {
            match self {
                Op::Create { model, fields } => {
                    *model == m || fields.iter().any(|f| f.references(m))
                }
                Op::Add { model, field } => *model == m || field.references(m),
            }
        }

        fn references_field(&self, m: ModelId, name: &str) -> bool {
            match self {
                Op::Create { .. } => self.references_model(m),
                Op::Add { model, field } => {
                    (*model == m && field.name == name) || field.references(m)
                }
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
                (Op::Add { model, field }, _) => {
                    through(!other.references_field(*model, &field.name))
                }
            }
        }
    }

    /// `MigrationOptimizer.optimize`: reduce until nothing changes.
    pub(super) fn optimize(mut ops: Vec<Op>) -> Vec<Op> {
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn field(name: String, remote: Option<ModelId>, through: Option<ModelId>) -> FieldRef {
        FieldRef {
            name,
            remote,
            through,
        }
    }

    /// An initial migration's shape: every CreateModel, then AddFields of
    /// relations between the models, in any order.
    fn operations() -> impl Strategy<Value = Vec<Op>> {
        (1usize..9).prop_flat_map(|n| {
            let add = (0..n, 0..n, prop::option::weighted(0.2, 0..n));
            (
                Just(n),
                prop::collection::vec(add, 0..14),
                Just(()).prop_perturb(move |_, mut rng| {
                    let mut order: Vec<usize> = (0..n).collect();
                    for i in (1..n).rev() {
                        order.swap(i, rng.random_range(0..=i));
                    }
                    order
                }),
            )
                .prop_map(|(_, adds, order)| {
                    let mut ops: Vec<Op> = order
                        .into_iter()
                        .map(|m| Op::Create {
                            model: m,
                            fields: vec![field("id".into(), None, None)],
                        })
                        .collect();
                    for (k, (m, remote, through)) in adds.into_iter().enumerate() {
                        ops.push(Op::Add {
                            model: m,
                            field: field(format!("f{k}"), Some(remote), through),
                        });
                    }
                    ops
                })
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

        #[test]
        fn the_fast_optimizer_reduces_as_djangos_loop(ops in operations()) {
            prop_assert_eq!(optimize(ops.clone()), reference::optimize(ops));
        }
    }

    #[test]
    fn a_long_chain_of_foreign_keys_optimizes_in_linear_time() {
        let n = 70_000;
        let mut ops: Vec<Op> = (0..n)
            .map(|m| Op::Create {
                model: m,
                fields: vec![field("id".into(), None, None)],
            })
            .collect();
        ops.extend((1..n).rev().map(|m| Op::Add {
            model: m,
            field: field("parent".into(), Some(m - 1), None),
        }));
        let out = optimize(ops);
        // Every AddField folds into its CreateModel, as Django's would.
        assert_eq!(out.len(), n);
    }
}
