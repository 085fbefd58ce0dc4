//! Queryset methods that write: `update()`, `get_or_create()`,
//! `update_or_create()`, `bulk_create()`, `bulk_update()`. Each is one ORM
//! operation, run in a savepoint (`atomic`), and set-based: one
//! UPDATE for `update()`, one INSERT per batch for `bulk_create()`.

use crate::error::{Error, Result};
use crate::orm::Python;
use crate::query::compile::write::{
    MAX_PARAMS, NewValue, bulk_update_sql, compile_update, insert_rows,
};
use crate::query::{Filter, QNode, QuerySet};
use crate::schema::{Field, ModelId, Registry};
use crate::value::Args;
use crate::value::Value;
use std::rc::Rc;

impl dyn Python + '_ {
    /// `qs.update(**kwargs)`: one UPDATE; the number of rows it matched.
    pub(super) fn update(&mut self, qs: &QuerySet, args: Args) -> Result<Value> {
        if qs.is_sliced() {
            return Err(Error::type_error(
                "Cannot update a query once a slice has been taken.",
            ));
        }
        if !args.pos.is_empty() {
            return Err(Error::type_error(format!(
                "QuerySet.update() takes 1 positional argument but {} were given",
                args.pos.len() + 1
            )));
        }
        let reg = self.orm().registry.clone();
        let mut sets = Vec::new();
        for (name, value) in &args.kw {
            let f = self.updatable_field(qs.model, name)?;
            let new = match value {
                Value::Expr(e) => NewValue::Expr(crate::orm::resolve::resolve(e, &reg, qs)?),
                v => NewValue::Bound(crate::orm::convert::to_db(&reg, &f, v)?),
            };
            sets.push((f.inherited_from, f.column.clone(), new));
        }
        if qs.empty || sets.is_empty() {
            return Ok(Value::Int(0));
        }
        if sets.iter().any(|(table, _, _)| table.is_some()) {
            return self.atomic(|me| me.update_tables(qs, sets));
        }
        let sets: Vec<(String, NewValue)> = sets.into_iter().map(|(_, c, v)| (c, v)).collect();
        let c = compile_update(&reg, qs, &sets)?;
        let n = self.atomic(|me| me.db()?.execute(&c))?;
        Ok(Value::Int(n as i64))
    }

    /// An update that sets a multi-table child's inherited fields, as
    /// Django's related updates: the keys selected first, then an UPDATE
    /// of the model's own table and one of each ancestor's, by key; the
    /// count is the first table's that had something to set.
    fn update_tables(
        &mut self,
        qs: &QuerySet,
        sets: Vec<(Option<ModelId>, String, NewValue)>,
    ) -> Result<Value> {
        let reg = self.orm().registry.clone();
        let mut keys_qs = qs.clone();
        keys_qs.order_by = Some(Vec::new());
        let pk = vec!["pk".to_string()];
        let c = crate::query::compile::compile(
            &reg,
            &keys_qs,
            crate::query::compile::Select::Columns(&pk),
        )?;
        let keys: Vec<Value> = self
            .db()?
            .column(&c)?
            .iter()
            .map(crate::orm::rows::plain)
            .collect();
        let mut tables: Vec<ModelId> = vec![qs.model];
        for t in sets.iter().filter_map(|(t, _, _)| *t) {
            if !tables.contains(&t) {
                tables.push(t);
            }
        }
        let mut sets = sets;
        let mut count = None;
        for table in tables {
            let (here, rest): (Vec<_>, Vec<_>) = sets
                .into_iter()
                .partition(|(t, _, _)| t.unwrap_or(qs.model) == table);
            sets = rest;
            if here.is_empty() {
                continue;
            }
            let here: Vec<(String, NewValue)> = here.into_iter().map(|(_, c, v)| (c, v)).collect();
            let mut n = 0;
            for batch in keys.chunks(MAX_PARAMS) {
                let mut by_key = QuerySet::new(table);
                by_key.filters.push(Filter {
                    negated: false,
                    node: crate::orm::prepare::model_condition(
                        &reg,
                        table,
                        "pk__in",
                        &Value::list(batch.to_vec()),
                    )?,
                });
                n += self.db()?.execute(&compile_update(&reg, &by_key, &here)?)?;
            }
            count.get_or_insert(n);
        }
        Ok(Value::Int(count.unwrap_or(0) as i64))
    }

    /// A field `update()` may set: concrete, by name or attname.
    fn updatable_field(&self, model: ModelId, name: &str) -> Result<Field> {
        let m = self.orm().registry.model(model);
        if let Some(f) = m
            .fields
            .iter()
            .find(|f| f.name == name || (f.kind.is_foreign_key() && f.column == name))
        {
            return Ok(f.clone());
        }
        // Django names the field by its repr.
        let shown = if m.many_to_many.iter().any(|f| f.name == name) {
            Some(format!(
                "<django.db.models.fields.related.ManyToManyField: {name}>"
            ))
        } else {
            self.orm()
                .registry
                .reverse_relations(model)
                .iter()
                .find(|r| r.query_name == name)
                .map(|r| {
                    let rel = match r.kind {
                        crate::schema::FieldKind::ManyToManyField => "ManyToManyRel",
                        crate::schema::FieldKind::OneToOneField => "OneToOneRel",
                        _ => "ManyToOneRel",
                    };
                    format!(
                        "<{rel}: {}>",
                        self.orm().registry.model(r.model).label_lower()
                    )
                })
        };
        if let Some(shown) = shown {
            return Err(Error::new(
                "FieldError",
                format!(
                    "Cannot update model field {shown} (only non-relations and foreign keys permitted)."
                ),
            ));
        }
        Err(Error::new(
            "FieldDoesNotExist",
            format!("{} has no field named '{name}'", m.name),
        ))
    }

    /// `get_or_create(defaults=…, **kwargs)` → `(obj, created)`; `core` is
    /// a related manager's own keyword (`author=<Author>`).
    pub(super) fn get_or_create(
        &mut self,
        qs: &QuerySet,
        mut args: Args,
        core: Option<(String, Value)>,
    ) -> Result<Value> {
        let defaults = self.dict_kw(&mut args, "defaults")?;
        args.no_pos("get_or_create")?;
        // As Django: the get runs outside any transaction (so a read-only
        // database answers it), the create in its own; a create that loses
        // a race to a unique constraint looks the row up again.
        if let Some(obj) = self.get_existing(qs, &args.kw)? {
            return Ok(Value::tuple(vec![obj, Value::Bool(false)]));
        }
        let created = self.atomic(|me| me.create_from_lookup(qs, &args.kw, &defaults, core));
        let (obj, created) = match created {
            Ok(obj) => (obj, true),
            Err(e) if e.kind == "IntegrityError" => match self.get_existing(qs, &args.kw)? {
                Some(obj) => (obj, false),
                None => return Err(e),
            },
            Err(e) => return Err(e),
        };
        Ok(Value::tuple(vec![obj, Value::Bool(created)]))
    }

    /// `qs.get(**lookup)`, or None when no row matches.
    fn get_existing(&mut self, qs: &QuerySet, lookup: &[(String, Value)]) -> Result<Option<Value>> {
        match self.get_one(&with_lookup(&self.orm().registry.clone(), qs, lookup)?) {
            Ok(obj) => Ok(Some(obj)),
            Err(e) if e.kind.ends_with(".DoesNotExist") => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn get_or_create_in(
        &mut self,
        qs: &QuerySet,
        lookup: &[(String, Value)],
        defaults: &[(String, Value)],
        core: Option<(String, Value)>,
    ) -> Result<(Value, bool)> {
        if let Some(obj) = self.get_existing(qs, lookup)? {
            return Ok((obj, false));
        }
        Ok((self.create_from_lookup(qs, lookup, defaults, core)?, true))
    }

    fn create_from_lookup(
        &mut self,
        qs: &QuerySet,
        lookup: &[(String, Value)],
        defaults: &[(String, Value)],
        core: Option<(String, Value)>,
    ) -> Result<Value> {
        // Django creates from the lookups that are plain fields, then defaults.
        let mut params: Vec<(String, Value)> = lookup
            .iter()
            .filter(|(k, _)| !k.contains("__"))
            .cloned()
            .collect();
        for (k, v) in defaults {
            match params.iter_mut().find(|(pk, _)| pk == k) {
                Some(slot) => slot.1 = v.clone(),
                None => params.push((k.clone(), v.clone())),
            }
        }
        params.extend(core);
        let obj = self.instantiate(
            qs.model,
            Args {
                pos: Vec::new(),
                kw: params,
            },
        )?;
        if let Value::Instance(i) = &obj {
            self.insert_new(i)?;
        }
        Ok(obj)
    }

    /// `update_or_create(defaults=…, create_defaults=…, **kwargs)`.
    pub(super) fn update_or_create(
        &mut self,
        qs: &QuerySet,
        mut args: Args,
        core: Option<(String, Value)>,
    ) -> Result<Value> {
        let defaults = self.dict_kw(&mut args, "defaults")?;
        let create_defaults = match args.kw.iter().any(|(k, _)| k == "create_defaults") {
            true => self.dict_kw(&mut args, "create_defaults")?,
            false => defaults.clone(),
        };
        args.no_pos("update_or_create")?;
        self.atomic(|me| {
            let (obj, created) = me.get_or_create_in(qs, &args.kw, &create_defaults, core)?;
            if !created && let Value::Instance(i) = &obj {
                for (k, v) in &defaults {
                    me.set_instance_attr(i, k, v.clone())?;
                }
                let mut fields: Vec<String> = defaults.iter().map(|(k, _)| k.clone()).collect();
                // Django also writes the auto_now fields it stamps.
                let m = me.orm().registry.model(qs.model);
                let concrete = fields.iter().all(|k| {
                    m.fields
                        .iter()
                        .any(|f| !f.primary_key && (f.name == *k || f.column == *k))
                });
                if concrete {
                    fields.extend(
                        m.fields
                            .iter()
                            .filter(|f| f.auto_now)
                            .map(|f| f.name.clone()),
                    );
                    me.save_fields(i, Some(&fields), "save")?;
                } else {
                    me.save_fields(i, None, "save")?;
                }
            }
            Ok(Value::tuple(vec![obj, Value::Bool(created)]))
        })
    }

    /// `bulk_create(objs, batch_size=None, ignore_conflicts=False)`: one
    /// INSERT … RETURNING per batch; the objects get their keys.
    pub(super) fn bulk_create(&mut self, model: ModelId, mut args: Args) -> Result<Value> {
        let batch_size = args.take_kw("batch_size");
        let ignore = args.take_kw("ignore_conflicts").is_some_and(|v| v.truthy());
        for k in ["update_conflicts", "update_fields", "unique_fields"] {
            args.take_kw(k);
        }
        args.no_kw("bulk_create")?;
        let Some(objs) = args.pos.first() else {
            return Err(Error::type_error(
                "QuerySet.bulk_create() missing 1 required positional argument: 'objs'",
            ));
        };
        let objs = self.collect(objs)?;
        let instances = self.instances_of(model, &objs)?;
        let batch = match batch_size {
            Some(Value::Int(n)) if n > 0 => Some(n as usize),
            Some(Value::Int(_)) => {
                return Err(Error::value_error("Batch size must be a positive integer."));
            }
            _ => None,
        };
        if !self.orm().registry.model(model).parents.is_empty() {
            return Err(Error::value_error(
                "Can't bulk create a multi-table inherited model",
            ));
        }
        self.atomic(|me| {
            for i in &instances {
                me.prepare_related_for_save(i, "bulk_create")?;
                let m = me.orm().registry.clone();
                crate::orm::save::stamp(m.model(model), &mut i.borrow_mut());
            }
            // As Django: the objects with a key first, then the others.
            let (with_pk, without_pk): (Vec<_>, Vec<_>) = instances
                .iter()
                .partition(|i| !matches!(i.borrow().pk(), Value::None));
            for group in [with_pk, without_pk] {
                me.insert_group(model, &group, batch, ignore)?;
            }
            Ok(())
        })?;
        Ok(Value::list(objs))
    }

    fn insert_group(
        &mut self,
        model: ModelId,
        group: &[&Rc<std::cell::RefCell<crate::orm::Instance>>],
        batch: Option<usize>,
        ignore: bool,
    ) -> Result<()> {
        let Some(first) = group.first() else {
            return Ok(());
        };
        let (columns, _) = self.insert_values(first, model)?;
        let per_batch = (MAX_PARAMS / columns.len().max(1)).max(1);
        let per_batch = batch.map_or(per_batch, |b| b.min(per_batch));
        let reg = self.orm().registry.clone();
        for chunk in group.chunks(per_batch) {
            let mut params = Vec::new();
            for i in chunk {
                params.extend(self.insert_values(i, model)?.1);
            }
            let sql = insert_rows(&reg, model, &columns, chunk.len(), ignore);
            let keys = self.db()?.write_returning(&sql, params)?;
            if ignore {
                continue;
            }
            let pk_index = reg.model(model).fields.iter().position(|f| f.primary_key);
            for (i, key) in chunk.iter().zip(keys) {
                let mut b = i.borrow_mut();
                if let Some(idx) = pk_index
                    && matches!(b.values[idx], Value::None)
                {
                    b.values[idx] = crate::orm::rows::plain(&key);
                }
                b.adding = false;
            }
        }
        Ok(())
    }

    /// `bulk_update(objs, fields, batch_size=None)`: one UPDATE … CASE per
    /// batch; the number of rows matched.
    pub(super) fn bulk_update(&mut self, model: ModelId, mut args: Args) -> Result<Value> {
        let batch_size = args.take_kw("batch_size");
        let fields_arg = args.take_kw("fields").or_else(|| args.pos.get(1).cloned());
        args.no_kw("bulk_update")?;
        let objs = match args.pos.first() {
            Some(v) => self.collect(v)?,
            None => Vec::new(),
        };
        let names: Vec<String> = match fields_arg {
            Some(v) => self
                .collect(&v)?
                .iter()
                .map(crate::value::repr::str)
                .collect(),
            None => Vec::new(),
        };
        if names.is_empty() {
            return Err(Error::value_error(
                "Field names must be given to bulk_update().",
            ));
        }
        let instances = self.instances_of(model, &objs)?;
        if instances
            .iter()
            .any(|i| matches!(i.borrow().pk(), Value::None))
        {
            return Err(Error::value_error(
                "All bulk_update() objects must have a primary key set.",
            ));
        }
        let reg = self.orm().registry.clone();
        let m = reg.model(model);
        let mut fields = Vec::new();
        for n in &names {
            let idx = m.fields.iter().position(|f| f.name == *n || f.column == *n);
            match idx {
                Some(i) if m.fields[i].primary_key => {
                    return Err(Error::value_error(
                        "bulk_update() cannot be used with primary key fields.",
                    ));
                }
                Some(i) => fields.push(i),
                None => {
                    return Err(Error::value_error(
                        "bulk_update() can only be used with concrete fields.",
                    ));
                }
            }
        }
        if instances.is_empty() {
            return Ok(Value::Int(0));
        }
        let pk_field = m.pk().clone();
        let per_row = fields.len() * 2 + 1;
        let per_batch = (MAX_PARAMS / per_row).max(1);
        let per_batch = match batch_size {
            Some(Value::Int(n)) if n > 0 => (n as usize).min(per_batch),
            _ => per_batch,
        };
        let columns: Vec<String> = fields.iter().map(|&i| m.fields[i].column.clone()).collect();
        let n = self.atomic(|me| {
            let mut total = 0;
            for chunk in instances.chunks(per_batch) {
                let mut params = Vec::new();
                let keys: Vec<_> = chunk
                    .iter()
                    .map(|i| crate::orm::convert::to_db(&reg, &pk_field, &i.borrow().pk()))
                    .collect::<Result<_>>()?;
                for &f in &fields {
                    for (i, key) in chunk.iter().zip(&keys) {
                        params.push(key.clone());
                        params.push(crate::orm::convert::to_db(
                            &reg,
                            &m.fields[f],
                            &i.borrow().values[f],
                        )?);
                    }
                }
                params.extend(keys.iter().cloned());
                let sql = bulk_update_sql(&reg, model, &columns, chunk.len());
                total += me.db()?.write(&sql, params)?;
            }
            Ok(total)
        })?;
        Ok(Value::Int(n as i64))
    }

    /// The instances of `model` in `objs`, else Django's TypeError.
    fn instances_of(
        &mut self,
        model: ModelId,
        objs: &[Value],
    ) -> Result<Vec<Rc<std::cell::RefCell<crate::orm::Instance>>>> {
        let name = self.orm().registry.model(model).name.clone();
        objs.iter()
            .map(|o| match o {
                Value::Instance(i) if self.orm().registry.is_instance(i.borrow().model, model) => {
                    Ok(i.clone())
                }
                other => {
                    let shown = self.repr_value(other)?;
                    Err(Error::type_error(format!(
                        "'{name}' instance expected, got {shown}"
                    )))
                }
            })
            .collect()
    }

    /// A keyword argument that must be a dict (`defaults={…}`), as pairs.
    fn dict_kw(&mut self, args: &mut Args, name: &str) -> Result<Vec<(String, Value)>> {
        match args.take_kw(name) {
            None | Some(Value::None) => Ok(Vec::new()),
            Some(Value::Dict(d)) => Ok(d
                .borrow()
                .entries
                .values()
                .map(|(k, v)| (crate::value::repr::str(k), v.clone()))
                .collect()),
            Some(other) => Err(Error::type_error(format!(
                "'{}' object is not a mapping",
                other.type_name()
            ))),
        }
    }
}

/// `qs` narrowed by `lookup` as keyword filters, as `get(**lookup)` reads them.
fn with_lookup(reg: &Registry, qs: &QuerySet, lookup: &[(String, Value)]) -> Result<QuerySet> {
    let mut q = qs.clone();
    let mut kw = lookup.to_vec();
    kw.sort_by(|a, b| a.0.cmp(&b.0));
    let mut leaves = Vec::new();
    for (k, v) in kw {
        leaves.push(crate::orm::prepare::condition(reg, qs, k, &v)?);
    }
    q.filters.push(Filter {
        negated: false,
        node: QNode::And(leaves),
    });
    Ok(q)
}
