//! `GenericForeignKey` (contenttypes): an attribute with no column that
//! reads the object its ContentType field and id field name, and sets both
//! from an object (its ContentType made with `get_for_model`, as Django's
//! `__set__` does). It is not a field to filter on: Django's FieldError.

use crate::error::{Error, Result};
use crate::orm::Python;
use crate::orm::instance::Instance;
use crate::query::{Filter, QuerySet};
use crate::schema::GenericForeignKey;
use crate::value::{Args, ModelClass, Value};
use std::cell::RefCell;
use std::rc::Rc;

impl dyn Python + '_ {
    /// The model's GenericForeignKey called `name`, if it has one.
    pub(crate) fn generic_key(
        &self,
        model: crate::schema::ModelId,
        name: &str,
    ) -> Option<GenericForeignKey> {
        self.orm()
            .registry
            .model(model)
            .generic_foreign_keys
            .iter()
            .find(|g| g.name == name)
            .cloned()
    }

    /// `tag.content_object`: the object, or None when the ContentType is
    /// unset, names no installed model or the object is gone.
    pub(crate) fn generic_get(
        &mut self,
        i: &Rc<RefCell<Instance>>,
        g: &GenericForeignKey,
    ) -> Result<Value> {
        let Value::Instance(ct) = self.instance_attr(i, &g.ct_field)? else {
            return Ok(Value::None);
        };
        let text = |me: &mut Self, name: &str| -> Result<String> {
            Ok(crate::value::repr::str(&me.instance_attr(&ct, name)?))
        };
        let (app, model) = (text(self, "app_label")?, text(self, "model")?);
        let reg = self.orm().registry.clone();
        let Some(target) = reg
            .models
            .iter()
            .position(|m| m.app_label == app && m.name.to_lowercase() == model)
        else {
            return Ok(Value::None);
        };
        let id = self.instance_attr(i, &g.fk_field)?;
        if matches!(id, Value::None) {
            return Ok(Value::None);
        }
        let mut qs = QuerySet::new(target);
        qs.filters.push(Filter {
            negated: false,
            node: crate::orm::prepare::model_condition(&reg, target, "pk", &id)?,
        });
        match self.get_one(&qs) {
            Err(e) if e.kind.ends_with("DoesNotExist") => Ok(Value::None),
            other => other,
        }
    }

    /// `tag.content_object = obj`: its ContentType and its primary key.
    pub(crate) fn generic_set(
        &mut self,
        i: &Rc<RefCell<Instance>>,
        g: &GenericForeignKey,
        value: Value,
    ) -> Result<()> {
        let (ct, id) = match &value {
            Value::None => (Value::None, Value::None),
            Value::Instance(obj) => {
                let (model, pk) = {
                    let b = obj.borrow();
                    (b.model, b.pk())
                };
                (self.content_type_for(model)?, pk)
            }
            other => {
                return Err(Error::value_error(format!(
                    "Cannot assign {}: \"{}\" is a generic relation to a model instance",
                    other.type_name(),
                    g.name
                )));
            }
        };
        self.set_instance_attr(i, &g.ct_field, ct)?;
        self.set_instance_attr(i, &g.fk_field, id)
    }

    /// `ContentType.objects.get_for_model(Model)`, run as contenttypes' Python.
    pub(crate) fn content_type_for(&mut self, model: crate::schema::ModelId) -> Result<Value> {
        let reg = self.orm().registry.clone();
        let missing = || {
            Error::new(
                "RuntimeError",
                "a GenericForeignKey needs django.contrib.contenttypes installed",
            )
        };
        let ct_model = reg.find("contenttypes.ContentType").ok_or_else(missing)?;
        let Some(Value::Manager(m)) = self.model_manager(ct_model, "objects") else {
            return Err(missing());
        };
        let f = self
            .custom_manager_attr(&m, "get_for_model")?
            .ok_or_else(missing)?;
        self.call(&f, Args::positional(vec![ModelClass::value(&reg, model)]))
    }

    /// `bookmark.tags`: a manager of the target's rows whose generic key
    /// names this object (its `create()` sets that key).
    pub(crate) fn generic_manager(
        &mut self,
        i: &Rc<RefCell<Instance>>,
        rel: &crate::schema::GenericRelation,
    ) -> Result<Value> {
        let reg = self.orm().registry.clone();
        let (model, pk) = {
            let b = i.borrow();
            (b.model, b.pk())
        };
        let ct = self.content_type_for(model)?;
        let node = crate::query::QNode::And(vec![
            crate::orm::prepare::model_condition(&reg, rel.target, &rel.ct_field, &ct)?,
            crate::orm::prepare::model_condition(&reg, rel.target, &rel.fk_field, &pk)?,
        ]);
        let key = reg
            .model(rel.target)
            .generic_foreign_keys
            .iter()
            .find(|g| g.ct_field == rel.ct_field && g.fk_field == rel.fk_field)
            .map(|g| g.name.clone());
        let manager = Value::Manager(Rc::new(crate::value::model::Manager {
            model: rel.target,
            core: key.map(|k| (k, Value::Instance(i.clone()))),
            core_node: Some(node),
            kind: crate::value::model::ManagerKind::Objects,
            owner: Some(Value::Instance(i.clone())),
            custom: None,
        }));
        Ok(self.with_default_manager_class(manager))
    }

    /// The id of the model's ContentType, for SQL.
    pub(crate) fn content_type_id(
        &mut self,
        model: crate::schema::ModelId,
    ) -> Result<rusqlite::types::Value> {
        match self.content_type_for(model)? {
            Value::Instance(ct) => match ct.borrow().pk() {
                Value::Int(i) => Ok(rusqlite::types::Value::Integer(i)),
                _ => Ok(rusqlite::types::Value::Null),
            },
            _ => Ok(rusqlite::types::Value::Null),
        }
    }
}
