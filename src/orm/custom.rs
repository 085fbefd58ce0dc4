//! The managers and querysets a models module defines: `published =
//! PublishedManager()` (a `get_queryset()` override, methods of its own),
//! `objects = PostQuerySet.as_manager()` (the queryset's methods on the
//! manager, and on every queryset it gives). Their methods are Python,
//! called through `Python::call` with the manager or queryset as `self`.

use crate::error::{Error, Result};
use crate::orm::Python;
use crate::schema::ModelId;
use crate::value::model::{CustomManager, Manager, ManagerKind};
use crate::value::{Args, QuerySetValue, Value};
use std::rc::Rc;

impl dyn Python + '_ {
    /// The managers the model's class declares (its own and its abstract
    /// parents'), in the order the class body gives them.
    pub(crate) fn declared_managers(&mut self, model: ModelId) -> Vec<Rc<CustomManager>> {
        let names: Vec<String> = self
            .orm()
            .registry
            .model(model)
            .class_attrs
            .iter()
            .map(|(n, _)| n.clone())
            .collect();
        names
            .iter()
            .filter_map(|n| {
                let v = self.class_constant(model, n)?;
                CustomManager::declared(n, &v).map(Rc::new)
            })
            .collect()
    }

    /// `Model.name` as a manager: one the class declares, `objects` when
    /// it declares none (Django's implicit manager), `_default_manager`
    /// (the first declared) and `_base_manager` (a plain one).
    pub(crate) fn model_manager(&mut self, model: ModelId, name: &str) -> Option<Value> {
        let declared = self.declared_managers(model);
        let custom = match name {
            "_base_manager" => None,
            "_default_manager" => declared.first().cloned(),
            "objects" if declared.is_empty() => None,
            _ => Some(declared.iter().find(|m| m.name == name)?.clone()),
        };
        Some(Value::Manager(Rc::new(Manager {
            model,
            core: None,
            core_node: None,
            kind: ManagerKind::Objects,
            owner: None,
            custom,
        })))
    }

    /// A related manager is of its model's default manager's class, as
    /// Django makes it from `_default_manager.__class__`.
    pub(crate) fn with_default_manager_class(&mut self, manager: Value) -> Value {
        let Value::Manager(m) = &manager else {
            return manager;
        };
        let Some(default) = self.declared_managers(m.model).into_iter().next() else {
            return manager;
        };
        Value::Manager(Rc::new(Manager {
            model: m.model,
            core: m.core.clone(),
            core_node: m.core_node.clone(),
            kind: m.kind.clone(),
            owner: m.owner.clone(),
            custom: Some(default),
        }))
    }

    /// The queryset a manager's methods work on: its class's
    /// `get_queryset()` when it overrides it, else all rows, of its
    /// queryset class.
    pub(crate) fn manager_queryset(&mut self, m: &Rc<Manager>) -> Result<Rc<QuerySetValue>> {
        let method = m
            .custom
            .as_ref()
            .and_then(|c| c.class.as_ref())
            .and_then(|c| c.lookup("get_queryset"))
            .map(|(_, f)| f)
            .filter(|f| matches!(f, Value::Function(_)));
        let Some(f) = method else {
            return Ok(Rc::new(default_queryset(m)));
        };
        let bound = Value::Method(Rc::new((f, Value::Manager(m.clone()))));
        match self.call(&bound, Args::default())? {
            Value::QuerySet(q) => Ok(q),
            other => Err(Error::type_error(format!(
                "get_queryset() returned a '{}', not a QuerySet",
                other.type_name()
            ))),
        }
    }

    /// `manager.name` when the manager's class (or its queryset class)
    /// defines it: the method bound to the manager (or to its queryset).
    pub(crate) fn custom_manager_attr(
        &mut self,
        m: &Rc<Manager>,
        name: &str,
    ) -> Result<Option<Value>> {
        let Some((f, on_queryset)) = m.custom.as_ref().and_then(|c| c.method(name)) else {
            return Ok(None);
        };
        let this = if on_queryset {
            Value::QuerySet(self.manager_queryset(m)?)
        } else {
            Value::Manager(m.clone())
        };
        Ok(Some(Value::Method(Rc::new((f, this)))))
    }
}

/// All of a manager's rows, as a queryset of its queryset class.
pub(crate) fn default_queryset(m: &Manager) -> QuerySetValue {
    QuerySetValue::of_class(
        m.queryset(),
        m.custom.as_ref().and_then(|c| c.queryset_class.clone()),
    )
}

/// `qs.name` when the queryset's class defines it.
pub(crate) fn custom_queryset_attr(qs: &Rc<QuerySetValue>, name: &str) -> Option<Value> {
    let (_, f) = qs.class.as_ref()?.lookup(name)?;
    matches!(f, Value::Function(_))
        .then(|| Value::Method(Rc::new((f, Value::QuerySet(qs.clone())))))
}

/// A queryset a method of a classed queryset made keeps the class, as
/// Django's `_clone()` does.
pub(crate) fn keep_class(from: &QuerySetValue, made: Value) -> Value {
    match (&from.class, made) {
        (Some(c), Value::QuerySet(new)) if new.class.is_none() => Value::QuerySet(Rc::new(
            QuerySetValue::of_class(new.query.clone(), Some(c.clone())),
        )),
        (_, made) => made,
    }
}
