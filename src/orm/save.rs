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
        let pk = i.borrow().pk();
        let mut sets = Vec::new();
        for &idx in &fields {
            let f = &m.fields[idx];
            if f.primary_key {
                continue;
            }
            let new = match &i.borrow().values[idx] {
                // `obj.stock = F('stock') - 5`: the database computes it.
                Value::Expr(e) => NewValue::Expr(crate::orm::resolve::resolve(
                    e,
                    &reg,
                    &QuerySet::new(model),
                )?),
                v => NewValue::Bound(crate::orm::convert::to_db(&reg, f, v)?),
            };
            sets.push((f.column.clone(), new));
        }
        if !matches!(pk, Value::None) && !force_insert {
            let mut q = QuerySet::new(model);
            q.filters.push(crate::query::Filter {
                negated: false,
                node: crate::orm::prepare::model_condition(&reg, model, "pk", &pk)?,
            });
            let updated = if sets.is_empty() {
                // Nothing to set: Django checks the row exists instead.
                usize::from(self.exists(&q)?)
            } else {
                let c = compile_update(&reg, &q, &sets)?;
                self.db()?.execute(&c)?
            };
            if updated > 0 {
                i.borrow_mut().adding = false;
                return Ok(());
            }
            if update_fields.is_some() {
                return Err(Error::new(
                    "DatabaseError",
                    "Save with update_fields did not affect any rows.",
                ));
            }
        }
        if update_fields.is_some() {
            return Err(Error::value_error(
                "Cannot force an update in save() with no primary key.",
            ));
        }
        let (columns, params) = self.insert_values(i)?;
        let insert = crate::query::compile::write::insert_row(&m.db_table, &columns, params);
        let rowid = self.db()?.insert(&insert)?;
        let mut b = i.borrow_mut();
        if matches!(pk, Value::None) {
            let idx = m.fields.iter().position(|f| f.primary_key).unwrap_or(0);
            b.values[idx] = Value::Int(rowid);
        }
        b.adding = false;
        Ok(())
    }

    /// The columns and values an INSERT of `i` writes: all but an automatic
    /// primary key that has no value yet.
    pub(super) fn insert_values(
        &self,
        i: &Rc<RefCell<Instance>>,
    ) -> Result<(Vec<String>, Vec<rusqlite::types::Value>)> {
        let reg = self.orm().registry.clone();
        let b = i.borrow();
        let m = reg.model(b.model);
        let auto = m.pk().kind.is_auto();
        let mut columns = Vec::new();
        let mut params = Vec::new();
        for (f, v) in m.fields.iter().zip(b.values.iter()) {
            if f.primary_key && auto && matches!(v, Value::None) {
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
