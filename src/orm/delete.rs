//! `delete()`, as Django's `Collector` does it (`django/db/models/deletion.py`):
//! every relation that points at what is deleted is followed by its
//! `on_delete` — CASCADE collects, PROTECT and RESTRICT refuse before
//! anything is written, SET_NULL / SET_DEFAULT / SET() update — then the
//! rows go in a few set-based statements, in one savepoint. The answer is
//! Django's `(total, {'app.Model': n, …})`, keys in Django's order: rows
//! deleted without being collected (join rows, leaves) first, then the
//! collected models, children before parents.

use crate::db::Database;
use crate::error::{Error, Result};
use crate::query::QuerySet;
use crate::query::compile::write::{
    MAX_PARAMS, delete_pks, generic_pks_where_in, pks_where_in, update_pks,
};
use crate::query::compile::{Select, compile};
use crate::schema::{FieldKind, ModelId, OnDelete, Registry};
use crate::value::{Dict, Value};
use indexmap::{IndexMap, IndexSet};
use rusqlite::types::Value as Sql;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

mod run;

/// A primary key, hashable and ordered as Django sorts collected objects.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Pk {
    Int(i64),
    Text(String),
}

impl Pk {
    fn from_sql(v: Sql) -> Option<Pk> {
        match v {
            Sql::Integer(i) => Some(Pk::Int(i)),
            Sql::Text(t) => Some(Pk::Text(t)),
            Sql::Real(r) => Some(Pk::Text(r.to_string())),
            Sql::Blob(_) | Sql::Null => None,
        }
    }

    fn sql(&self) -> Sql {
        match self {
            Pk::Int(i) => Sql::Integer(*i),
            Pk::Text(t) => Sql::Text(t.clone()),
        }
    }
}

/// A ForeignKey or OneToOneField pointing at the model being deleted.
struct Candidate {
    model: ModelId,
    field: String,
    column: String,
    on_delete: OnDelete,
    null: bool,
}

/// What a collect step refuses with. Django raises PROTECT's refusal again
/// at each level of a cascade on the way up, each time naming the fields of
/// that level, so the message seen names the top model's fields; the
/// objects are those the PROTECT relations reached.
/// The `computed` key of a model's ContentType id, for its generic relations.
const CONTENT_TYPE: &str = "<content type>";

enum Refusal {
    Protected(Vec<String>, Vec<(ModelId, Pk)>),
    Restricted(Vec<String>, Vec<(ModelId, Pk)>),
    /// A SET(callable) or computed SET_DEFAULT value is needed: it is
    /// computed (running models.py code through `Python`) and the collect runs again.
    Compute(ModelId, String),
    Failed(Error),
}

impl From<Error> for Refusal {
    fn from(e: Error) -> Self {
        Refusal::Failed(e)
    }
}

/// Objects to delete: a queryset's rows may be deleted without collecting
/// them (Django's fast delete); instances the user holds are collected.
#[derive(Clone)]
enum Objs {
    Instances(Vec<Pk>),
    Rows(Vec<Pk>),
}

struct Collector<'a> {
    reg: &'a Registry,
    db: &'a Rc<Database>,
    data: IndexMap<ModelId, IndexSet<Pk>>,
    fast: Vec<(ModelId, Vec<Pk>)>,
    /// (model, column, value) → the rows to update.
    updates: IndexMap<(ModelId, String, String), (Sql, Vec<Pk>)>,
    restricted: IndexMap<ModelId, IndexMap<String, IndexSet<Pk>>>,
    dependencies: HashMap<ModelId, HashSet<ModelId>>,
    candidates: HashMap<ModelId, Rc<Vec<Candidate>>>,
    /// SET(callable) and SET_DEFAULT values that models.py computes, by
    /// (model, field): computed before the collector runs.
    computed: HashMap<(ModelId, String), Sql>,
}

impl<'a> Collector<'a> {
    fn new(
        reg: &'a Registry,
        db: &'a Rc<Database>,
        computed: HashMap<(ModelId, String), Sql>,
    ) -> Self {
        Collector {
            computed,
            reg,
            db,
            data: IndexMap::new(),
            fast: Vec::new(),
            updates: IndexMap::new(),
            restricted: IndexMap::new(),
            dependencies: HashMap::new(),
            candidates: HashMap::new(),
        }
    }

    /// The relations to `target` a delete follows, in the order Django's
    /// `_meta.get_fields()` lists them: by model as the app registry holds
    /// them (an implicit through model just before its owner), then by field.
    fn candidates(&mut self, target: ModelId) -> Rc<Vec<Candidate>> {
        if let Some(c) = self.candidates.get(&target) {
            return c.clone();
        }
        let reg = self.reg;
        // A multi-table child's rows take its ancestors' with them, and so
        // what points at those (`get_fields()` lists a parent's first), but
        // not the ancestors' other children, which are not deleted.
        let mut targets = reg.ancestors(target);
        targets.reverse();
        targets.push(target);
        let order = django_model_order(reg);
        let mut out: Vec<Candidate> = Vec::new();
        for t in targets {
            out.extend(order.iter().flat_map(|&id| {
                reg.model(id).fields.iter().filter_map(move |f| {
                    let rel = f.relation.as_ref()?;
                    let link = reg
                        .model(id)
                        .parents
                        .iter()
                        .any(|(p, l)| *l == f.name && *p == t);
                    let wanted = f.kind.is_foreign_key()
                        && f.inherited_from.is_none()
                        && rel.target == t
                        && (t == target || !link);
                    wanted.then(|| Candidate {
                        model: id,
                        field: f.name.clone(),
                        column: f.column.clone(),
                        on_delete: rel.on_delete.clone(),
                        null: f.null,
                    })
                })
            }));
        }
        let out = Rc::new(out);
        self.candidates.insert(target, out.clone());
        out
    }

    /// Django's `can_fast_delete`: nothing points at the model but
    /// DO_NOTHING relations, so its rows go without being looked at.
    fn can_fast_delete(&mut self, model: ModelId, from: Option<&Candidate>) -> bool {
        if from.is_some_and(|c| c.on_delete != OnDelete::Cascade) {
            return false;
        }
        // A child's rows take its parents' rows with them.
        if !self.reg.model(model).parents.is_empty() {
            return false;
        }
        self.candidates(model)
            .iter()
            .all(|c| c.on_delete == OnDelete::DoNothing)
    }

    fn add(
        &mut self,
        model: ModelId,
        pks: &[Pk],
        source: Option<ModelId>,
        nullable: bool,
    ) -> Vec<Pk> {
        if pks.is_empty() {
            return Vec::new();
        }
        let set = self.data.entry(model).or_default();
        let new: Vec<Pk> = pks.iter().filter(|p| !set.contains(*p)).cloned().collect();
        set.extend(new.iter().cloned());
        if let Some(source) = source.filter(|_| !nullable) {
            self.add_dependency(source, model);
        }
        new
    }

    fn add_dependency(&mut self, model: ModelId, dependency: ModelId) {
        self.dependencies
            .entry(model)
            .or_default()
            .insert(dependency);
        self.data.entry(dependency).or_default();
    }

    /// The rows of `model` whose `columns` hold one of `keys`.
    fn related(&self, model: ModelId, columns: &[String], keys: &[Pk]) -> Result<Vec<Pk>> {
        let keys: Vec<Sql> = keys.iter().map(Pk::sql).collect();
        let c = pks_where_in(self.reg, model, columns, &keys);
        Ok(self
            .db
            .column(&c)?
            .into_iter()
            .filter_map(Pk::from_sql)
            .collect())
    }

    fn collect(
        &mut self,
        model: ModelId,
        objs: Objs,
        source: Option<ModelId>,
        nullable: bool,
        fail_on_restricted: bool,
    ) -> std::result::Result<(), Refusal> {
        let pks = match objs {
            Objs::Rows(pks) if self.can_fast_delete(model, None) => {
                self.fast.push((model, pks));
                return Ok(());
            }
            Objs::Rows(pks) | Objs::Instances(pks) => pks,
        };
        let new = self.add(model, &pks, source, nullable);
        if new.is_empty() {
            return Ok(());
        }
        self.collect_parents(model, &new);
        let mut fast_by_model: IndexMap<ModelId, Vec<String>> = IndexMap::new();
        let mut protected: IndexMap<String, Vec<(ModelId, Pk)>> = IndexMap::new();
        // The batch holds the keys, bound twice at most per condition.
        let batch_size = MAX_PARAMS;
        for c in self.candidates(model).iter() {
            if c.on_delete == OnDelete::DoNothing {
                continue;
            }
            if self.can_fast_delete(c.model, Some(c)) {
                fast_by_model
                    .entry(c.model)
                    .or_default()
                    .push(c.column.clone());
                continue;
            }
            let key = format!("'{}.{}'", self.reg.model(c.model).name, c.field);
            for batch in new.chunks(batch_size) {
                let sub = self.related(c.model, std::slice::from_ref(&c.column), batch)?;
                // Django's lazy_sub_objs: SET_NULL and SET(constant) update
                // even no rows; SET(callable) is called only for rows.
                use crate::schema::Literal;
                let lazy = matches!(
                    c.on_delete,
                    OnDelete::SetNull
                        | OnDelete::Set(
                            Literal::None
                                | Literal::Int(_)
                                | Literal::Str(_)
                                | Literal::Bool(_)
                                | Literal::Float(_)
                        )
                );
                if sub.is_empty() && !lazy {
                    continue;
                }
                match &c.on_delete {
                    OnDelete::Cascade => {
                        match self.collect(c.model, Objs::Rows(sub), Some(model), c.null, false) {
                            Err(Refusal::Protected(_, objs)) => {
                                protected.entry(key.clone()).or_default().extend(objs)
                            }
                            other => other?,
                        }
                    }
                    OnDelete::Protect => protected
                        .entry(key.clone())
                        .or_default()
                        .extend(sub.into_iter().map(|p| (c.model, p))),
                    OnDelete::Restrict => {
                        self.restricted
                            .entry(c.model)
                            .or_default()
                            .entry(c.field.clone())
                            .or_default()
                            .extend(sub);
                        self.add_dependency(model, c.model);
                    }
                    set => {
                        let value = self.set_value(c, set)?;
                        let slot = (c.model, c.column.clone(), format!("{value:?}"));
                        self.updates
                            .entry(slot)
                            .or_insert_with(|| (value, Vec::new()))
                            .1
                            .extend(sub);
                    }
                }
            }
        }
        if !protected.is_empty() {
            let keys = protected.keys().cloned().collect();
            return Err(Refusal::Protected(
                keys,
                protected.into_values().flatten().collect(),
            ));
        }
        for (related, columns) in fast_by_model {
            for batch in new.chunks(batch_size / columns.len().max(1)) {
                let sub = self.related(related, &columns, batch)?;
                self.fast.push((related, sub));
            }
        }
        self.collect_generic(model, &new)?;
        if fail_on_restricted {
            self.check_restricted()?;
        }
        Ok(())
    }

    /// Django's "collect concrete model's parent models, but not their
    /// related objects" (the child's candidates include those): each
    /// ancestor's row, the same key, deleted after the child's.
    fn collect_parents(&mut self, model: ModelId, new: &[Pk]) {
        let mut child = model;
        for parent in self.reg.ancestors(model) {
            self.add(parent, new, None, false);
            self.add_dependency(parent, child);
            child = parent;
        }
    }

    /// Django's private fields: a GenericRelation's objects go with the
    /// objects they point at (`bulk_related_objects`), looked up by the
    /// model's ContentType (computed through contenttypes' Python first).
    fn collect_generic(&mut self, model: ModelId, new: &[Pk]) -> std::result::Result<(), Refusal> {
        let reg = self.reg;
        for rel in &reg.model(model).generic_relations {
            let Some(content_type) = self
                .computed
                .get(&(model, CONTENT_TYPE.to_string()))
                .cloned()
            else {
                return Err(Refusal::Compute(model, CONTENT_TYPE.to_string()));
            };
            let target = reg.model(rel.target);
            let column = |name: &str| {
                target
                    .field(name)
                    .map_or(name.to_string(), |f| f.column.clone())
            };
            let (ct_column, fk_column) = (column(&rel.ct_field), column(&rel.fk_field));
            for batch in new.chunks(MAX_PARAMS - 1) {
                let keys: Vec<Sql> = batch.iter().map(Pk::sql).collect();
                let c = generic_pks_where_in(
                    reg,
                    rel.target,
                    (&ct_column, &content_type),
                    &fk_column,
                    &keys,
                );
                let sub: Vec<Pk> = self
                    .db
                    .column(&c)?
                    .into_iter()
                    .filter_map(Pk::from_sql)
                    .collect();
                if !sub.is_empty() {
                    self.collect(rel.target, Objs::Rows(sub), Some(model), true, false)?;
                }
            }
        }
        Ok(())
    }

    /// RESTRICT refuses unless each restricted object is deleted anyway,
    /// through some CASCADE path.
    fn check_restricted(&mut self) -> std::result::Result<(), Refusal> {
        let mut deleted: HashMap<ModelId, HashSet<Pk>> = HashMap::new();
        for (m, pks) in &self.data {
            deleted.entry(*m).or_default().extend(pks.iter().cloned());
        }
        for (m, pks) in &self.fast {
            deleted.entry(*m).or_default().extend(pks.iter().cloned());
        }
        let mut keys = Vec::new();
        let mut objects = Vec::new();
        for (m, fields) in &mut self.restricted {
            for (field, pks) in fields.iter_mut() {
                if let Some(gone) = deleted.get(m) {
                    pks.retain(|p| !gone.contains(p));
                }
                if !pks.is_empty() {
                    keys.push(format!("'{}.{field}'", self.reg.model(*m).name));
                    objects.extend(pks.iter().map(|p| (*m, p.clone())));
                }
            }
        }
        if keys.is_empty() {
            return Ok(());
        }
        Err(Refusal::Restricted(keys, objects))
    }

    /// The value SET_NULL, SET_DEFAULT or SET(value) writes.
    fn set_value(&self, c: &Candidate, on_delete: &OnDelete) -> Result<Sql, Refusal> {
        use crate::schema::Literal;
        if let Some(v) = self.computed.get(&(c.model, c.field.clone())) {
            return Ok(v.clone());
        }
        let default = self
            .reg
            .model(c.model)
            .fields
            .iter()
            .find(|f| f.name == c.field)
            .and_then(|f| f.default.clone());
        let computed = match on_delete {
            OnDelete::Set(v) => !matches!(
                v,
                Literal::Int(_)
                    | Literal::Str(_)
                    | Literal::Bool(_)
                    | Literal::Float(_)
                    | Literal::None
            ),
            OnDelete::SetDefault => !matches!(
                default,
                None | Some(
                    Literal::Int(_)
                        | Literal::Str(_)
                        | Literal::Bool(_)
                        | Literal::Float(_)
                        | Literal::None
                )
            ),
            _ => false,
        };
        if computed {
            return Err(Refusal::Compute(c.model, c.field.clone()));
        }
        let field = self
            .reg
            .model(c.model)
            .fields
            .iter()
            .find(|f| f.name == c.field);
        let literal = match on_delete {
            OnDelete::SetNull => return Ok(Sql::Null),
            OnDelete::SetDefault => field.and_then(|f| f.default.clone()),
            OnDelete::Set(v) => Some(v.clone()),
            _ => None,
        };
        Ok(match literal {
            Some(crate::schema::Literal::Int(i)) => Sql::Integer(i),
            Some(crate::schema::Literal::Str(s)) => Sql::Text(s),
            Some(crate::schema::Literal::Bool(b)) => Sql::Integer(b as i64),
            Some(crate::schema::Literal::Float(f)) => Sql::Real(f),
            Some(crate::schema::Literal::None) | None => Sql::Null,
            Some(_) => return Err(Refusal::Compute(c.model, c.field.clone())),
        })
    }

    /// Django's `sort()`: a model goes once every model it depends on has.
    fn sort(&mut self) {
        let models: Vec<ModelId> = self.data.keys().copied().collect();
        let mut sorted: Vec<ModelId> = Vec::new();
        while sorted.len() < models.len() {
            let mut found = false;
            for m in &models {
                if sorted.contains(m) {
                    continue;
                }
                let ready = self
                    .dependencies
                    .get(m)
                    .is_none_or(|deps| deps.iter().all(|d| sorted.contains(d)));
                if ready {
                    sorted.push(*m);
                    found = true;
                }
            }
            if !found {
                return;
            }
        }
        let mut data = std::mem::take(&mut self.data);
        for m in sorted {
            if let Some(pks) = data.shift_remove(&m) {
                self.data.insert(m, pks);
            }
        }
    }

    /// Django's `Collector.delete()`; returns the counts by model label.
    fn delete(mut self) -> Result<(i64, Vec<(String, i64)>)> {
        for pks in self.data.values_mut() {
            pks.sort();
        }
        self.sort();
        let reg = self.reg;
        let mut counter: Vec<(String, i64)> = Vec::new();
        let mut count = |model: ModelId, n: usize| {
            if n > 0 {
                let label = label(reg, model);
                match counter.iter_mut().find(|(l, _)| *l == label) {
                    Some((_, c)) => *c += n as i64,
                    None => counter.push((label, n as i64)),
                }
            }
        };
        for (model, pks) in &self.fast {
            count(*model, self.delete_rows(*model, pks)?);
        }
        for ((model, column, _), (value, pks)) in &self.updates {
            let keys: Vec<Sql> = pks.iter().map(Pk::sql).collect();
            self.db
                .write_batched(std::slice::from_ref(value), &keys, |n| {
                    update_pks(reg, *model, column, n)
                })?;
        }
        for (model, pks) in &self.data {
            let pks: Vec<Pk> = pks.iter().cloned().collect();
            count(*model, self.delete_rows(*model, &pks)?);
        }
        let total = counter.iter().map(|(_, n)| n).sum();
        Ok((total, counter))
    }

    fn delete_rows(&self, model: ModelId, pks: &[Pk]) -> Result<usize> {
        let keys: Vec<Sql> = pks.iter().map(Pk::sql).collect();
        self.db
            .write_batched(&[], &keys, |n| delete_pks(self.reg, model, n))
    }
}

/// `app_label.Model`, as Django's counts name models.
fn label(reg: &Registry, model: ModelId) -> String {
    let m = reg.model(model);
    format!("{}.{}", m.app_label, m.name)
}

/// The models in the order Django's app registry holds them: the contrib
/// apps first (INSTALLED_APPS lists them first), and an implicit through
/// model registered just before the model that declares its field.
fn django_model_order(reg: &Registry) -> Vec<ModelId> {
    let rank = |app: &str| match app {
        "contenttypes" => 0,
        "auth" => 1,
        _ => 2,
    };
    let mut owners: Vec<ModelId> = (0..reg.models.len())
        .filter(|&id| !reg.model(id).auto_created)
        .collect();
    owners.sort_by_key(|&id| rank(&reg.model(id).app_label));
    let mut out = Vec::new();
    for id in owners {
        for f in &reg.model(id).many_to_many {
            if let Some(t) = f.relation.as_ref().and_then(|r| r.through)
                && reg.model(t).auto_created
            {
                out.push(t);
            }
        }
        out.push(id);
    }
    out
}
