//! Model instances: field values by attname, related objects fetched on
//! first access and cached, `save()`, `__str__`.

use super::super::call::Args;
use super::super::interp::Interp;
use super::super::scope::Scope;
use super::super::value::Value;
use crate::error::{Error, Result};
use crate::query::compile::write::{NewValue, compile_update};
use crate::query::{QNode, QuerySet};
use crate::schema::{Field, FieldKind, Literal, ModelId, Registry};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

#[derive(Debug)]
pub struct Instance {
    pub model: ModelId,
    pub model_name: String,
    /// One value per concrete field, in the model's field order; a
    /// ForeignKey holds the related primary key (its attname's value).
    pub values: Vec<Value>,
    /// Related objects already fetched, by field name.
    pub cache: HashMap<String, Value>,
    /// Other attributes: annotations, and what the user sets.
    pub extra: indexmap::IndexMap<String, Value>,
    /// Not saved yet (Django's `_state.adding`).
    pub adding: bool,
    pk_index: usize,
}

impl Instance {
    pub fn new(reg: &Registry, model: ModelId, values: Vec<Value>, adding: bool) -> Instance {
        let m = reg.model(model);
        let pk_index = m.fields.iter().position(|f| f.primary_key).unwrap_or(0);
        Instance {
            model,
            model_name: m.name.clone(),
            values,
            cache: HashMap::new(),
            extra: Default::default(),
            adding,
            pk_index,
        }
    }

    pub fn pk(&self) -> Value {
        self.values
            .get(self.pk_index)
            .cloned()
            .unwrap_or(Value::None)
    }
}

/// Django's `pre_save` for `auto_now` (every save) and `auto_now_add` (the
/// first): the current local time, as with USE_TZ off.
fn stamp_times(m: &crate::schema::Model, instance: &mut Instance, only: Option<&[usize]>) {
    use chrono::Timelike;
    // Python's datetime stops at microseconds.
    let now = chrono::Local::now().naive_local();
    let now = now
        .with_nanosecond(now.nanosecond() / 1000 * 1000)
        .unwrap_or(now);
    for (idx, (f, v)) in m.fields.iter().zip(instance.values.iter_mut()).enumerate() {
        if only.is_some_and(|o| !o.contains(&idx)) {
            continue;
        }
        if f.auto_now || (f.auto_now_add && instance.adding) {
            *v = match f.kind {
                FieldKind::DateField => Value::Date(now.date()),
                FieldKind::TimeField => Value::Time(now.time()),
                _ => Value::DateTime(now),
            };
        }
    }
}

/// `auto_now` and `auto_now_add` for an instance about to be inserted.
pub(super) fn stamp(m: &crate::schema::Model, instance: &mut Instance) {
    stamp_times(m, instance, None);
}

/// Django's `Field.get_default()`: the default, else '' for fields that
/// allow empty strings and are not null, else None.
fn default_of(f: &Field) -> Value {
    match &f.default {
        Some(Literal::Int(i)) => Value::Int(*i),
        Some(Literal::Float(x)) => Value::Float(*x),
        Some(Literal::Bool(b)) => Value::Bool(*b),
        Some(Literal::Str(s)) => Value::str(s.as_str()),
        Some(Literal::Name(n)) if n == "dict" => Value::dict(Default::default()),
        Some(Literal::Name(n)) if n == "list" => Value::list(Vec::new()),
        Some(Literal::Name(n)) if n.ends_with("now") => match f.kind {
            FieldKind::DateField => Value::Date(chrono::Local::now().date_naive()),
            _ => Value::DateTime(chrono::Local::now().naive_local()),
        },
        _ if f.kind.is_text() && !f.null => Value::str(""),
        _ => Value::None,
    }
}

impl Interp {
    /// `Model(**kwargs)`: an unsaved instance.
    pub(in crate::engine) fn instantiate(&mut self, model: ModelId, args: Args) -> Result<Value> {
        let reg = self.registry.clone();
        let m = reg.model(model);
        if !args.pos.is_empty() {
            return Err(Error::type_error(format!(
                "{}() takes keyword arguments only",
                m.name
            )));
        }
        let mut values: Vec<Value> = m.fields.iter().map(default_of).collect();
        let mut cache = HashMap::new();
        let mut unexpected = Vec::new();
        for (k, v) in args.kw {
            let by_name = m
                .fields
                .iter()
                .position(|f| f.name == k || (k == "pk" && f.primary_key));
            let by_attname = m
                .fields
                .iter()
                .position(|f| f.kind.is_foreign_key() && f.column == k);
            match (by_name, by_attname) {
                (Some(i), _) if m.fields[i].kind.is_foreign_key() => {
                    values[i] = self.related_key(&m.name, &m.fields[i], &v)?;
                    if matches!(v, Value::Instance(_)) {
                        cache.insert(k.clone(), v);
                    }
                }
                (Some(i), _) | (None, Some(i)) => values[i] = v,
                _ if m.many_to_many.iter().any(|f| f.name == k) => {
                    return Err(Error::type_error(format!(
                        "Direct assignment to the forward side of a many-to-many set is prohibited. Use {k}.set() instead."
                    )));
                }
                _ => unexpected.push(format!("'{k}'")),
            }
        }
        if !unexpected.is_empty() {
            return Err(Error::type_error(format!(
                "{}() got unexpected keyword arguments: {}",
                m.name,
                unexpected.join(", ")
            )));
        }
        let mut instance = Instance::new(&reg, model, values, true);
        instance.cache = cache;
        Ok(Value::Instance(Rc::new(RefCell::new(instance))))
    }

    /// The value a ForeignKey stores for `v`: an instance's key, or the key itself.
    fn related_key(&mut self, owner: &str, f: &Field, v: &Value) -> Result<Value> {
        let rel = f.relation.as_ref().expect("a foreign key has a relation");
        match v {
            Value::Instance(other) => {
                if other.borrow().model != rel.target {
                    let shown = self.repr_value(v)?;
                    return Err(Error::value_error(format!(
                        "Cannot assign \"{shown}\": \"{owner}.{}\" must be a \"{}\" instance.",
                        f.name,
                        self.registry.model(rel.target).name
                    )));
                }
                let other = other.borrow();
                let target = self.registry.model(rel.target);
                let index = target
                    .fields
                    .iter()
                    .position(|t| t.name == rel.to_field)
                    .unwrap_or(0);
                Ok(other.values[index].clone())
            }
            Value::None => Ok(Value::None),
            other => {
                let shown = self.repr_value(other)?;
                Err(Error::value_error(format!(
                    "Cannot assign \"{shown}\": \"{owner}.{}\" must be a \"{}\" instance.",
                    f.name,
                    self.registry.model(rel.target).name
                )))
            }
        }
    }

    /// `__str__`: the model's expression with `self` bound, or Django's
    /// `Model object (pk)`.
    pub(super) fn instance_str(&mut self, i: &Rc<RefCell<Instance>>) -> Result<String> {
        let (model, name, pk) = {
            let b = i.borrow();
            (b.model, b.model_name.clone(), b.pk())
        };
        let Some(expr) = self.registry.model(model).str_expr.clone() else {
            return Ok(format!("{name} object ({})", super::super::repr::str(&pk)));
        };
        let scope = Scope::child(&self.globals);
        scope.borrow_mut().set("self", Value::Instance(i.clone()));
        let v = self.eval(&expr, &scope)?;
        match v {
            Value::Str(s) => Ok(s.to_string()),
            other => Err(Error::type_error(format!(
                "__str__ returned non-string (type {})",
                other.type_name()
            ))),
        }
    }

    /// `instance.name`: a field, a ForeignKey's object or attname, a related
    /// manager, a reverse one-to-one object, or a method.
    pub(in crate::engine) fn instance_attr(
        &mut self,
        i: &Rc<RefCell<Instance>>,
        name: &str,
    ) -> Result<Value> {
        let reg = self.registry.clone();
        let model = i.borrow().model;
        let m = reg.model(model);
        if name == "pk" {
            return Ok(i.borrow().pk());
        }
        if let Some(idx) = m.fields.iter().position(|f| f.name == name) {
            let f = &m.fields[idx];
            if !f.kind.is_foreign_key() {
                return Ok(i.borrow().values[idx].clone());
            }
            return self.forward_object(i, f, idx);
        }
        if let Some(idx) = m
            .fields
            .iter()
            .position(|f| f.kind.is_foreign_key() && f.column == name)
        {
            return Ok(i.borrow().values[idx].clone());
        }
        let manager = super::manager::related_manager(&reg, model, name, i);
        if let Some(manager) = manager {
            // Django refuses a ManyToMany manager of an unsaved object at once.
            if let Value::Manager(m) = &manager
                && matches!(m.kind, super::manager::ManagerKind::ManyToMany { .. })
                && matches!(i.borrow().pk(), Value::None)
            {
                let shown = self.repr_value(&Value::Instance(i.clone()))?;
                return Err(Error::value_error(format!(
                    "\"{shown}\" needs to have a value for field \"{}\" before this many-to-many relationship can be used.",
                    reg.model(model).pk().name
                )));
            }
            return Ok(manager);
        }
        if let Some(rev) = reg
            .reverse_relations(model)
            .into_iter()
            .find(|r| r.accessor == name && r.kind == FieldKind::OneToOneField)
        {
            return self.reverse_one_to_one(i, &rev);
        }
        if let Some(v) = i.borrow().extra.get(name) {
            return Ok(v.clone());
        }
        if matches!(name, "save" | "refresh_from_db" | "delete" | "full_clean")
            || name.starts_with("get_") && name.ends_with("_display")
        {
            return Ok(Value::BoundMethod(Rc::new((
                Value::Instance(i.clone()),
                name.to_string(),
            ))));
        }
        Err(Error::new(
            "AttributeError",
            format!("'{}' object has no attribute '{name}'", m.name),
        ))
    }

    fn forward_object(
        &mut self,
        i: &Rc<RefCell<Instance>>,
        f: &Field,
        idx: usize,
    ) -> Result<Value> {
        if let Some(cached) = i.borrow().cache.get(&f.name) {
            return Ok(cached.clone());
        }
        let key = i.borrow().values[idx].clone();
        if matches!(key, Value::None) {
            return Ok(Value::None);
        }
        let rel = f.relation.as_ref().expect("a foreign key has a relation");
        let mut qs = QuerySet::new(rel.target);
        qs.filters.push(crate::query::Filter {
            negated: false,
            node: QNode::Leaf(rel.to_field.clone(), key),
        });
        let obj = self.get_one(&qs)?;
        i.borrow_mut().cache.insert(f.name.clone(), obj.clone());
        Ok(obj)
    }

    fn reverse_one_to_one(
        &mut self,
        i: &Rc<RefCell<Instance>>,
        rev: &crate::schema::ReverseRelation,
    ) -> Result<Value> {
        if let Some(cached) = i.borrow().cache.get(&rev.accessor) {
            return Ok(cached.clone());
        }
        let pk = i.borrow().pk();
        let mut qs = QuerySet::new(rev.model);
        qs.filters.push(crate::query::Filter {
            negated: false,
            node: QNode::Leaf(rev.field.clone(), pk),
        });
        let mut rows = self.fetch_instances(&qs, Some(2))?;
        let owner = i.borrow().model_name.clone();
        match rows.len() {
            0 => Err(Error::new(
                format!("{owner}.{}.RelatedObjectDoesNotExist", rev.accessor),
                format!("{owner} has no {}.", rev.accessor),
            )),
            _ => {
                let obj = rows.remove(0);
                i.borrow_mut()
                    .cache
                    .insert(rev.accessor.clone(), obj.clone());
                Ok(obj)
            }
        }
    }

    /// `instance.name = value`: a field, a ForeignKey by object or attname.
    pub(in crate::engine) fn set_instance_attr(
        &mut self,
        i: &Rc<RefCell<Instance>>,
        name: &str,
        value: Value,
    ) -> Result<()> {
        let reg = self.registry.clone();
        let model = i.borrow().model;
        let m = reg.model(model);
        if let Some(idx) = m
            .fields
            .iter()
            .position(|f| f.name == name || (name == "pk" && f.primary_key))
        {
            let f = &m.fields[idx];
            if f.kind.is_foreign_key() {
                let key = self.related_key(&m.name, f, &value)?;
                let mut b = i.borrow_mut();
                b.values[idx] = key;
                b.cache.remove(&f.name);
                if matches!(value, Value::Instance(_)) {
                    b.cache.insert(f.name.clone(), value);
                }
            } else {
                i.borrow_mut().values[idx] = value;
            }
            return Ok(());
        }
        if let Some(idx) = m
            .fields
            .iter()
            .position(|f| f.kind.is_foreign_key() && f.column == name)
        {
            let mut b = i.borrow_mut();
            b.values[idx] = value;
            let field_name = m.fields[idx].name.clone();
            b.cache.remove(&field_name);
            return Ok(());
        }
        // Django lets any other attribute be set on an instance.
        i.borrow_mut().extra.insert(name.to_string(), value);
        Ok(())
    }

    pub(in crate::engine) fn instance_method(
        &mut self,
        i: &Rc<RefCell<Instance>>,
        name: &str,
        args: Args,
    ) -> Result<Value> {
        match name {
            "save" => {
                let mut args = args;
                let fields = match args.take_kw("update_fields") {
                    None | Some(Value::None) => None,
                    Some(v) => Some(
                        self.collect(&v)?
                            .iter()
                            .map(super::super::repr::str)
                            .collect::<Vec<_>>(),
                    ),
                };
                args.no_kw("save")?;
                self.atomic(|me| me.save_fields(i, fields.as_deref(), "save"))?;
                Ok(Value::None)
            }
            "delete" => {
                let (model, pk) = {
                    let b = i.borrow();
                    (b.model, b.pk())
                };
                let result = self.delete_instance(model, &pk)?;
                let mut b = i.borrow_mut();
                let idx = self
                    .registry
                    .model(model)
                    .fields
                    .iter()
                    .position(|f| f.primary_key);
                if let Some(idx) = idx {
                    b.values[idx] = Value::None;
                }
                Ok(result)
            }
            "refresh_from_db" => self.refresh_from_db(i).map(|()| Value::None),
            n if n.starts_with("get_") && n.ends_with("_display") => {
                let field = &n[4..n.len() - 8];
                self.display_value(i, field)
            }
            other => Err(Error::new(
                "NotImplementedError",
                format!("{other}() is not supported yet"),
            )),
        }
    }

    fn display_value(&mut self, i: &Rc<RefCell<Instance>>, field: &str) -> Result<Value> {
        let reg = self.registry.clone();
        let m = reg.model(i.borrow().model);
        let idx = m
            .fields
            .iter()
            .position(|f| f.name == field)
            .ok_or_else(|| {
                Error::new(
                    "AttributeError",
                    format!("'{}' object has no attribute 'get_{field}_display'", m.name),
                )
            })?;
        let value = i.borrow().values[idx].clone();
        for (choice, label) in &m.fields[idx].choices {
            let matches = match (choice, &value) {
                (Literal::Str(a), Value::Str(b)) => **b == *a.as_str(),
                (Literal::Int(a), Value::Int(b)) => a == b,
                _ => false,
            };
            if matches {
                return Ok(Value::str(label.as_str()));
            }
        }
        Ok(Value::str(super::super::repr::str(&value)))
    }

    /// `save()`: INSERT the first time (the primary key comes back), UPDATE after.
    pub(in crate::engine) fn save(&mut self, i: &Rc<RefCell<Instance>>) -> Result<()> {
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
        let reg = self.registry.clone();
        let model = i.borrow().model;
        let m = reg.model(model);
        if m.read_only {
            return Err(Error::new(
                "NotSupportedError",
                format!("{} is a view: it cannot be saved", m.name),
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
                Value::Expr(e) => NewValue::Expr(e.clone()),
                v => NewValue::Bound(self.db_value(&reg, f, v)?),
            };
            sets.push((f.column.clone(), new));
        }
        if !matches!(pk, Value::None) {
            let mut q = QuerySet::new(model);
            q.filters.push(crate::query::Filter {
                negated: false,
                node: QNode::Leaf("pk".into(), pk.clone()),
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
        let rowid = self.db()?.insert_row(&m.db_table, &columns, params)?;
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
        let reg = self.registry.clone();
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
            params.push(self.db_value(&reg, f, v)?);
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
        let reg = self.registry.clone();
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

    /// A field's value as the parameter Django's `get_db_prep_save` binds.
    pub(super) fn db_value(
        &self,
        reg: &Registry,
        f: &Field,
        v: &Value,
    ) -> Result<rusqlite::types::Value> {
        let kind = match &f.relation {
            Some(rel) if f.kind.is_foreign_key() => {
                let t = reg.model(rel.target);
                t.field(&rel.to_field).unwrap_or_else(|| t.pk()).kind
            }
            _ => f.kind,
        };
        if kind == FieldKind::JSONField {
            return Ok(rusqlite::types::Value::Text(crate::render::json_text(v)));
        }
        crate::query::lookups_prep(kind, &f.name, v)
    }

    fn refresh_from_db(&mut self, i: &Rc<RefCell<Instance>>) -> Result<()> {
        let (model, pk) = {
            let b = i.borrow();
            (b.model, b.pk())
        };
        let mut qs = QuerySet::new(model);
        qs.filters.push(crate::query::Filter {
            negated: false,
            node: QNode::Leaf("pk".into(), pk),
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
