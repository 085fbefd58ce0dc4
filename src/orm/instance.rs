//! Model instances: field values by attname, related objects fetched on
//! first access and cached, `__str__`, attributes and methods (saving is
//! in `save.rs`).

use crate::error::{Error, Result};
use crate::orm::Python;
use crate::query::QuerySet;
use crate::schema::{Field, FieldKind, Literal, ModelId};
use crate::value::Args;
use crate::value::Value;
pub use crate::value::model::Instance;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

impl dyn Python + '_ {
    /// `Model(**kwargs)`: an unsaved instance.
    pub(crate) fn instantiate(&mut self, model: ModelId, args: Args) -> Result<Value> {
        let reg = self.orm().registry.clone();
        let m = reg.model(model);
        if !args.pos.is_empty() {
            return Err(Error::type_error(format!(
                "{}() takes keyword arguments only",
                m.name
            )));
        }
        // Django's get_default() runs for the fields not given only.
        let given = |f: &Field| {
            args.kw.iter().any(|(k, _)| {
                *k == f.name
                    || (k == "pk" && f.primary_key)
                    || (f.kind.is_foreign_key() && *k == f.column)
            })
        };
        let mut values = Vec::with_capacity(m.fields.len());
        for f in &m.fields {
            values.push(if given(f) {
                Value::None
            } else {
                self.field_default(model, f)?
            });
        }
        let mut cache = HashMap::new();
        let mut unexpected = Vec::new();
        let mut generic = Vec::new();
        for (k, v) in args.kw {
            if let Some(g) = self.generic_key(model, &k) {
                generic.push((g, v));
                continue;
            }
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
        let instance = Rc::new(RefCell::new(instance));
        for (g, v) in generic {
            self.generic_set(&instance, &g, v)?;
        }
        Ok(Value::Instance(instance))
    }

    /// The value a ForeignKey stores for `v`: an instance's key, or the key itself.
    pub(super) fn related_key(&mut self, owner: &str, f: &Field, v: &Value) -> Result<Value> {
        let rel = f.relation.as_ref().expect("a foreign key has a relation");
        match v {
            Value::Instance(other) => {
                let reg = &self.orm().registry;
                // Django's descriptor: `isinstance(value, target's concrete model)`.
                let concrete = reg.model(rel.target).proxy_for.unwrap_or(rel.target);
                if !reg.is_instance(other.borrow().model, concrete) {
                    let shown = self.repr_value(v)?;
                    return Err(Error::value_error(format!(
                        "Cannot assign \"{shown}\": \"{owner}.{}\" must be a \"{}\" instance.",
                        f.name,
                        self.orm().registry.model(rel.target).name
                    )));
                }
                let other = other.borrow();
                // The object's own fields: a child's hold its parents' too.
                let index = self
                    .orm()
                    .registry
                    .model(other.model)
                    .fields
                    .iter()
                    .position(|t| t.name == rel.to_field)
                    .unwrap_or(0);
                Ok(other.values.get(index).cloned().unwrap_or(Value::None))
            }
            Value::None => Ok(Value::None),
            other => {
                let shown = self.repr_value(other)?;
                Err(Error::value_error(format!(
                    "Cannot assign \"{shown}\": \"{owner}.{}\" must be a \"{}\" instance.",
                    f.name,
                    self.orm().registry.model(rel.target).name
                )))
            }
        }
    }

    /// `__str__`: the model's method, run in its models module with `self`
    /// bound, or Django's `Model object (pk)`.
    pub(super) fn instance_str(&mut self, i: &Rc<RefCell<Instance>>) -> Result<String> {
        let (model, name, pk) = {
            let b = i.borrow();
            (b.model, b.model_name.clone(), b.pk())
        };
        match self.text_method(i, model, "__str__")? {
            Some(text) => Ok(text),
            None => Ok(format!("{name} object ({})", crate::value::repr::str(&pk))),
        }
    }

    /// `repr(instance)`: the model's `__repr__`, else Django's `<Model: str>`.
    pub(super) fn instance_repr(&mut self, i: &Rc<RefCell<Instance>>) -> Result<String> {
        let (model, name) = {
            let b = i.borrow();
            (b.model, b.model_name.clone())
        };
        match self.text_method(i, model, "__repr__")? {
            Some(text) => Ok(text),
            None => self.instance_str(i).map(|s| format!("<{name}: {s}>")),
        }
    }

    /// A method of the model's class that must return a str, called.
    fn text_method(
        &mut self,
        i: &Rc<RefCell<Instance>>,
        model: crate::schema::ModelId,
        method: &str,
    ) -> Result<Option<String>> {
        let Some(bound) = self.model_method(&Value::Instance(i.clone()), model, method)? else {
            return Ok(None);
        };
        match self.call(&bound, Default::default())? {
            Value::Str(s) => Ok(Some(s.to_string())),
            other => Err(Error::type_error(format!(
                "{method} returned non-string (type {})",
                other.type_name()
            ))),
        }
    }

    /// `instance.name`: a field, a ForeignKey's object or attname, a related
    /// manager, a reverse one-to-one object, or a method.
    pub(crate) fn instance_attr(&mut self, i: &Rc<RefCell<Instance>>, name: &str) -> Result<Value> {
        let reg = self.orm().registry.clone();
        let model = i.borrow().model;
        let m = reg.model(model);
        if name == "pk" {
            return Ok(i.borrow().pk());
        }
        if name == "_meta" {
            return Ok(Value::Meta(Rc::new(crate::value::model::MetaRef::Options(
                model,
            ))));
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
        if let Some(g) = self.generic_key(model, name) {
            return self.generic_get(i, &g);
        }
        if let Some(rel) = reg
            .model(model)
            .generic_relations
            .iter()
            .find(|r| r.name == name)
        {
            return self.generic_manager(i, rel);
        }
        let manager = crate::orm::manager::related_manager(&reg, model, name, i)?;
        if let Some(manager) = manager {
            // Django refuses a ManyToMany manager of an unsaved object at once.
            if let Value::Manager(m) = &manager
                && matches!(m.kind, crate::orm::manager::ManagerKind::ManyToMany { .. })
                && matches!(i.borrow().pk(), Value::None)
            {
                let shown = self.repr_value(&Value::Instance(i.clone()))?;
                return Err(Error::value_error(format!(
                    "\"{shown}\" needs to have a value for field \"{}\" before this many-to-many relationship can be used.",
                    reg.model(model).pk().name
                )));
            }
            return Ok(self.with_default_manager_class(manager));
        }
        if let Some(rev) = reg
            .related_objects(model)
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
        if let Some(method) = self.model_method(&Value::Instance(i.clone()), model, name)? {
            return Ok(method);
        }
        let constant = self.class_constant(model, name);
        let manager = constant
            .as_ref()
            .is_some_and(|v| crate::value::model::CustomManager::declared(name, v).is_some());
        if let Some(v) = constant.filter(|_| !manager) {
            return Ok(v);
        }
        if name == "objects" || manager {
            return Err(Error::new(
                "AttributeError",
                format!("Manager isn't accessible via {} instances", m.name),
            ));
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
            node: crate::orm::prepare::model_condition(
                &self.orm().registry,
                rel.target,
                &rel.to_field,
                &key,
            )?,
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
            node: crate::orm::prepare::model_condition(
                &self.orm().registry,
                rev.model,
                &rev.field,
                &pk,
            )?,
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
    pub(crate) fn set_instance_attr(
        &mut self,
        i: &Rc<RefCell<Instance>>,
        name: &str,
        value: Value,
    ) -> Result<()> {
        let reg = self.orm().registry.clone();
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
        if let Some(g) = self.generic_key(model, name) {
            return self.generic_set(i, &g, value);
        }
        // Django lets any other attribute be set on an instance.
        i.borrow_mut().extra.insert(name.to_string(), value);
        Ok(())
    }

    pub(crate) fn instance_method(
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
                            .map(crate::value::repr::str)
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
                    .orm()
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
        let reg = self.orm().registry.clone();
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
        Ok(Value::str(crate::value::repr::str(&value)))
    }
}
