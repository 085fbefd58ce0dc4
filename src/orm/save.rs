//! Saving instances: `save()` (UPDATE first for an object with a key,
//! `update_fields`, `F()` values computed by the database), the values an
//! INSERT writes, Django's checks of related objects before a save,
//! `auto_now` stamps, and `refresh_from_db()`.

use crate::error::{Error, Result};
use crate::orm::Python;
use crate::orm::instance::Instance;
use crate::query::QuerySet;
use crate::query::compile::write::{NewValue, compile_update};
use crate::schema::FieldKind;
use crate::value::Value;
use std::cell::RefCell;
use std::rc::Rc;

/// Django's `pre_save` for `auto_now` (every save) and `auto_now_add` (the
/// first): the current local time, as with USE_TZ off.
fn stamp_times(m: &crate::schema::Model, instance: &mut Instance, only: Option<&[usize]>) {
    // timezone.now(): aware in UTC with USE_TZ, else the local wall time.
    let tz = crate::settings::use_tz().then_some(crate::value::datetime::Tz::Utc);
    let now = if tz.is_some() {
        crate::value::datetime::utc_now()
    } else {
        crate::value::datetime::local_now()
    };
    for (idx, (f, v)) in m.fields.iter().zip(instance.values.iter_mut()).enumerate() {
        if only.is_some_and(|o| !o.contains(&idx)) {
            continue;
        }
        if f.auto_now || (f.auto_now_add && instance.adding) {
            *v = match f.kind {
                FieldKind::DateField => Value::Date(now.date()),
                FieldKind::TimeField => Value::Time(now.time()),
                _ => Value::DateTime(now, tz),
            };
        }
    }
}

/// `auto_now` and `auto_now_add` for an instance about to be inserted.
pub(super) fn stamp(m: &crate::schema::Model, instance: &mut Instance) {
    stamp_times(m, instance, None);
}

impl dyn Python + '_ {
    /// `save()`: INSERT the first time (the primary key comes back), UPDATE after.
    pub(crate) fn save(&mut self, i: &Rc<RefCell<Instance>>) -> Result<()> {
        self.save_fields(i, None, "save")
    }

    /// `save(update_fields=…)` as Django's `save_base`: an instance with a
    /// primary key is UPDATEd first and INSERTed only when no row has it;
    /// with `update_fields`, only those columns are written.
    pub(super) fn save_fields(
        &mut self,
        i: &Rc<RefCell<Instance>>,
        update_fields: Option<&[String]>,
        operation: &str,
    ) -> Result<()> {
        self.save_with(i, update_fields, operation, false)
    }

    /// `create()`'s save: Django's `force_insert=True`, so a primary key
    /// that exists is an IntegrityError, never an UPDATE of that row.
    pub(super) fn insert_new(&mut self, i: &Rc<RefCell<Instance>>) -> Result<()> {
        self.save_with(i, None, "save", true)
    }

    fn save_with(
        &mut self,
        i: &Rc<RefCell<Instance>>,
        update_fields: Option<&[String]>,
        operation: &str,
        force_insert: bool,
    ) -> Result<()> {
        let reg = self.orm().registry.clone();
        let model = i.borrow().model;
        let m = reg.model(model);
        if m.read_only {
            return Err(Error::new(
                "NotSupportedError",
                format!(
                    "{} is read-only here (a view, or a table keyed by several columns): it cannot be saved",
                    m.name
                ),
            ));
        }
        if update_fields.is_some_and(|u| u.is_empty()) {
            return Ok(());
        }
        let fields: Vec<usize> = match update_fields {
            None => (0..m.fields.len()).collect(),
            Some(names) => update_field_indexes(m, names)?,
        };
        self.prepare_related_for_save(i, operation)?;
        stamp_times(
            m,
            &mut i.borrow_mut(),
            update_fields.map(|_| fields.as_slice()),
        );
        // Django's `_save_parents`, then `_save_table`: each table of a
        // multi-table child from the root down, a table inserted when its
        // parent's row was.
        adopt_parent_keys(&reg, model, &mut i.borrow_mut());
        let mut inserted = force_insert;
        for (table, columns) in table_groups(&reg, model) {
            sync_parent_link(&reg, model, table, &mut i.borrow_mut());
            let here: Vec<usize> = columns.into_iter().filter(|c| fields.contains(c)).collect();
            let save = TableSave {
                table,
                fields: &here,
                partial: update_fields.is_some(),
                force_insert: inserted,
            };
            inserted = self.save_table(i, &save)?;
        }
        i.borrow_mut().adding = false;
        Ok(())
    }

    /// One table's row of `i`: UPDATE when it has a key (unless forced to
    /// insert), INSERT when no row was updated. True when it inserted.
    fn save_table(&mut self, i: &Rc<RefCell<Instance>>, save: &TableSave) -> Result<bool> {
        let reg = self.orm().registry.clone();
        let model = i.borrow().model;
        let (m, table) = (reg.model(model), reg.model(save.table));
        let pk_index = key_index(&reg, model, save.table);
        let pk = i.borrow().values[pk_index].clone();
        let mut sets = Vec::new();
        for &idx in save.fields.iter().filter(|&&idx| idx != pk_index) {
            let f = &m.fields[idx];
            let new = match &i.borrow().values[idx] {
                // `obj.stock = F('stock') - 5`: the database computes it.
                Value::Expr(e) => NewValue::Expr(crate::orm::resolve::resolve(
                    e,
                    &reg,
                    &QuerySet::new(save.table),
                )?),
                v => NewValue::Bound(crate::orm::convert::to_db(&reg, f, v)?),
            };
            sets.push((f.column.clone(), new));
        }
        if !matches!(pk, Value::None) && !save.force_insert {
            let mut q = QuerySet::new(save.table);
            q.filters.push(crate::query::Filter {
                negated: false,
                node: crate::orm::prepare::model_condition(&reg, save.table, "pk", &pk)?,
            });
            let updated = if sets.is_empty() {
                // Nothing to set: Django checks the row exists instead.
                usize::from(self.exists(&q)?)
            } else {
                let c = compile_update(&reg, &q, &sets)?;
                self.db()?.execute(&c)?
            };
            if updated > 0 {
                return Ok(false);
            }
            if save.partial {
                return Err(Error::new(
                    "DatabaseError",
                    "Save with update_fields did not affect any rows.",
                ));
            }
        }
        if save.partial {
            return Err(Error::value_error(
                "Cannot force an update in save() with no primary key.",
            ));
        }
        let (columns, params) = self.insert_values(i, save.table)?;
        let insert = crate::query::compile::write::insert_row(&table.db_table, &columns, params);
        let rowid = self.db()?.insert(&insert)?;
        if matches!(pk, Value::None) {
            i.borrow_mut().values[pk_index] = Value::Int(rowid);
        }
        Ok(true)
    }

    /// The columns and values an INSERT of `i` into `table` (its model's,
    /// or an ancestor's) writes: all but an automatic primary key that has
    /// no value yet.
    pub(super) fn insert_values(
        &self,
        i: &Rc<RefCell<Instance>>,
        table: crate::schema::ModelId,
    ) -> Result<(Vec<String>, Vec<rusqlite::types::Value>)> {
        let reg = self.orm().registry.clone();
        let b = i.borrow();
        let m = reg.model(b.model);
        let auto = reg.model(table).pk().kind.is_auto();
        let pk_index = key_index(&reg, b.model, table);
        let mut columns = Vec::new();
        let mut params = Vec::new();
        for (idx, (f, v)) in m.fields.iter().zip(b.values.iter()).enumerate() {
            if f.inherited_from.unwrap_or(b.model) != table
                || (idx == pk_index && auto && matches!(v, Value::None))
            {
                continue;
            }
            columns.push(f.column.clone());
            params.push(crate::orm::convert::to_db(&reg, f, v)?);
        }
        Ok((columns, params))
    }

    /// Django's `_prepare_related_fields_for_save`: an unsaved related
    /// object refuses the save; one saved since it was assigned gives its key.
    pub(super) fn prepare_related_for_save(
        &mut self,
        i: &Rc<RefCell<Instance>>,
        operation: &str,
    ) -> Result<()> {
        let reg = self.orm().registry.clone();
        let model = i.borrow().model;
        for (idx, f) in reg.model(model).fields.iter().enumerate() {
            if !f.kind.is_foreign_key() {
                continue;
            }
            let cached = i.borrow().cache.get(&f.name).cloned();
            let Some(Value::Instance(obj)) = cached else {
                continue;
            };
            if matches!(obj.borrow().pk(), Value::None) {
                return Err(Error::value_error(format!(
                    "{operation}() prohibited to prevent data loss due to unsaved related object '{}'.",
                    f.name
                )));
            }
            if matches!(i.borrow().values[idx], Value::None) {
                let key = self.related_key(&reg.model(model).name, f, &Value::Instance(obj))?;
                i.borrow_mut().values[idx] = key;
            }
        }
        Ok(())
    }

    pub(super) fn refresh_from_db(&mut self, i: &Rc<RefCell<Instance>>) -> Result<()> {
        let (model, pk) = {
            let b = i.borrow();
            (b.model, b.pk())
        };
        let mut qs = QuerySet::new(model);
        qs.filters.push(crate::query::Filter {
            negated: false,
            node: crate::orm::prepare::model_condition(&self.orm().registry, model, "pk", &pk)?,
        });
        let fresh = self.get_one(&qs)?;
        let Value::Instance(fresh) = fresh else {
            return Ok(());
        };
        let mut b = i.borrow_mut();
        b.values = fresh.borrow().values.clone();
        b.cache.clear();
        Ok(())
    }
}

/// What one table's save writes.
struct TableSave<'a> {
    table: crate::schema::ModelId,
    /// The fields to write, as indexes into the instance's model's fields.
    fields: &'a [usize],
    /// `update_fields` was given: an UPDATE or nothing.
    partial: bool,
    force_insert: bool,
}

/// The tables an instance of `model` is saved to, the root ancestor first,
/// each with the indexes of the fields its row holds.
pub(super) fn table_groups(
    reg: &crate::schema::Registry,
    model: crate::schema::ModelId,
) -> Vec<(crate::schema::ModelId, Vec<usize>)> {
    let m = reg.model(model);
    let mut tables = reg.ancestors(model);
    tables.reverse();
    tables.push(model);
    tables
        .into_iter()
        .map(|t| {
            let columns = (0..m.fields.len())
                .filter(|&i| m.fields[i].inherited_from.unwrap_or(model) == t)
                .collect();
            (t, columns)
        })
        .collect()
}

/// The index, in `model`'s fields, of the primary key of `table` (the model
/// itself or one of its ancestors).
fn key_index(
    reg: &crate::schema::Registry,
    model: crate::schema::ModelId,
    table: crate::schema::ModelId,
) -> usize {
    let pk = &reg.model(table).pk().name;
    reg.model(model)
        .fields
        .iter()
        .position(|f| f.name == *pk && f.inherited_from.unwrap_or(model) == table)
        .unwrap_or(0)
}

/// Django's `_save_parents` first step, from the child up: a parent
/// without a key takes the one its link already holds
/// (`Restaurant(place_ptr=place)` saves over that place's row).
fn adopt_parent_keys(
    reg: &crate::schema::Registry,
    model: crate::schema::ModelId,
    instance: &mut Instance,
) {
    let mut table = model;
    for parent in reg.ancestors(model) {
        let link = reg.model(table).parents.first().map(|(_, l)| l.clone());
        let at = link.and_then(|l| {
            reg.model(model)
                .fields
                .iter()
                .position(|f| f.name == l && f.inherited_from.unwrap_or(model) == table)
        });
        let parent_key = key_index(reg, model, parent);
        if let Some(at) = at
            && matches!(instance.values[parent_key], Value::None)
        {
            instance.values[parent_key] = instance.values[at].clone();
        }
        table = parent;
    }
}

/// Before `table`'s row is saved: its parent link takes the parent's key
/// (Django's `_save_parents` setting `field.attname` from the parent's pk),
/// or gives it to a parent that has none yet.
fn sync_parent_link(
    reg: &crate::schema::Registry,
    model: crate::schema::ModelId,
    table: crate::schema::ModelId,
    instance: &mut Instance,
) {
    let Some((parent, link)) = reg.model(table).parents.first() else {
        return;
    };
    let m = reg.model(model);
    let Some(link) = m
        .fields
        .iter()
        .position(|f| f.name == *link && f.inherited_from.unwrap_or(model) == table)
    else {
        return;
    };
    let parent_key = key_index(reg, model, *parent);
    instance.values[link] = instance.values[parent_key].clone();
}

/// The fields `update_fields` names (by name or attname), in model order.
fn update_field_indexes(m: &crate::schema::Model, names: &[String]) -> Result<Vec<usize>> {
    let unknown: Vec<&str> = names
        .iter()
        .filter(|n| {
            !m.fields
                .iter()
                .any(|f| !f.primary_key && (f.name == **n || f.column == **n))
        })
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() {
        return Err(Error::value_error(format!(
            "The following fields do not exist in this model, are m2m fields, primary keys, or are non-concrete fields: {}",
            unknown.join(", ")
        )));
    }
    Ok((0..m.fields.len())
        .filter(|&i| {
            names
                .iter()
                .any(|n| *n == m.fields[i].name || *n == m.fields[i].column)
        })
        .collect())
}
