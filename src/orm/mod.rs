//! The ORM: managers, querysets' methods, instances, save, delete (the
//! collector) and related managers, on an [`Orm`] (the registry and the
//! database). It calls back into Python only through the [`Python`]
//! trait, which the evaluator implements; it names nothing above it.
//!
//! `Model.objects` and related managers hand out lazy querysets
//! (`crate::query`); running one compiles it to one SQL statement and turns
//! the rows into instances or plain values (`rows`). Instances hold their
//! field values by attname and fetch related objects on first access.

mod aggregate;
mod convert;
mod custom;
mod db_values;
mod delete;
mod duration;
mod fetch;
mod generic;
mod instance;
mod loaddata;
mod manager;
mod meta;
mod methods;
pub mod prepare;
mod related;
mod resolve;
mod rows;
pub use db_values::leniently;
mod save;
mod view;
mod write;

pub use fetch::QueryRows;
pub use instance::Instance;
pub use loaddata::loaddata;
pub use manager::Manager;
pub use methods::{Method, QUERYSET_METHODS, Returns};
pub use view::{Cell, Footer, Grid, Record, View};

use crate::db::Database;
use crate::error::{Error, Result};
use crate::schema::{Field, ModelId, Registry};
use crate::value::{Args, ModelClass, Value};
use std::rc::Rc;

/// The primary key an instance stands for in a lookup, if `value` is one.
pub fn orm_pk(value: &Value) -> Option<Value> {
    match value {
        Value::Instance(i) => Some(i.borrow().pk()),
        _ => None,
    }
}

/// An instance's model and how it reads in messages.
pub fn orm_instance_model(value: &Value) -> Option<(ModelId, String)> {
    match value {
        Value::Instance(i) => {
            let i = i.borrow();
            Some((
                i.model,
                format!(
                    "{} object ({})",
                    i.model_name,
                    crate::value::repr::str(&i.pk())
                ),
            ))
        }
        _ => None,
    }
}

/// The models and the database every ORM operation works on.
#[derive(Clone, Default)]
pub struct Orm {
    pub registry: Rc<Registry>,
    pub db: Option<Rc<Database>>,
}

impl Orm {
    pub fn db(&self) -> Result<&Rc<Database>> {
        self.db
            .as_ref()
            .ok_or_else(|| Error::new("OperationalError", "no database is open"))
    }
}

/// What the ORM asks of Python: running the models module's code (a
/// model's methods, `__str__`, defaults, `on_delete` callables) and
/// Python's own protocols on values it did not make. The evaluator
/// implements it; nothing else of the evaluator reaches the ORM.
pub trait Python {
    fn orm(&self) -> &Orm;
    /// Calls any callable with `args`.
    fn call(&mut self, f: &Value, args: Args) -> Result<Value>;
    /// `getattr(obj, name)`, descriptors and properties included.
    fn get_attr(&mut self, obj: &Value, name: &str) -> Result<Value>;
    /// `repr(v)`, running `__repr__` where a value has one.
    fn repr_value(&mut self, v: &Value) -> Result<String>;
    /// `str(v)`, running `__str__` where a value has one.
    fn str_value(&mut self, v: &Value) -> Result<String>;
    /// `bool(v)`, running `__bool__`/`__len__` where a value has one.
    fn truthy(&mut self, v: &Value) -> Result<bool>;
    /// A method the model's class defines, bound to `instance`.
    fn model_method(
        &mut self,
        instance: &Value,
        model: ModelId,
        name: &str,
    ) -> Result<Option<Value>>;
    /// A constant of the model's class body.
    fn class_constant(&self, model: ModelId, name: &str) -> Option<Value>;
    /// A name of an app's models module (`on_delete=SET(get_sentinel)`).
    fn module_value(&mut self, app: &str, dotted: &str) -> Result<Value>;
    /// A field's `default=`, called when it is callable.
    fn field_default(&mut self, model: ModelId, f: &Field) -> Result<Value>;
    /// `list(v)` of any iterable.
    fn collect(&mut self, v: &Value) -> Result<Vec<Value>>;
}

/// Runs `f` in a savepoint of `db`: its writes all stay, or, when it
/// fails, none do.
pub fn in_savepoint<P: ?Sized, T>(
    db: &Rc<Database>,
    p: &mut P,
    f: impl FnOnce(&mut P) -> Result<T>,
) -> Result<T> {
    let sp = db.savepoint()?;
    match f(p) {
        Ok(v) => db.release(sp).map(|()| v),
        Err(e) => {
            db.rollback(sp);
            Err(e)
        }
    }
}

impl dyn Python + '_ {
    pub(crate) fn db(&self) -> Result<&Rc<Database>> {
        self.orm().db()
    }

    /// Runs one ORM operation in a savepoint. `--read-only` refuses it
    /// before any SQL runs.
    pub(crate) fn atomic<T>(&mut self, f: impl FnOnce(&mut dyn Python) -> Result<T>) -> Result<T> {
        let db = self.db()?.clone();
        in_savepoint(&db, self, |p| f(p))
    }

    /// Attributes of models, managers, querysets, instances and named rows;
    /// `None` when `obj` is none of them.
    pub(crate) fn orm_attr(&mut self, obj: &Value, name: &str) -> Result<Option<Value>> {
        let bound = |obj: &Value| {
            Ok(Some(Value::BoundMethod(std::rc::Rc::new((
                obj.clone(),
                name.to_string(),
            )))))
        };
        // Managers and the methods of a models module's classes, each
        // looked up once (a manager's may run its get_queryset()).
        let custom = match obj {
            Value::Model(m) if name != "_meta" => self.model_manager(m.id, name),
            Value::Manager(m) if m.custom.is_some() => self.custom_manager_attr(m, name)?,
            Value::QuerySet(qs) => custom::custom_queryset_attr(qs, name),
            _ => None,
        };
        if custom.is_some() {
            return Ok(custom);
        }
        match obj {
            Value::Model(m) if name == "_meta" => Ok(Some(Value::Meta(Rc::new(
                crate::value::model::MetaRef::Options(m.id),
            )))),
            Value::Meta(r) => self.meta_attr(obj, r, name).map(Some),
            Value::Model(m) if self.choices_class(m.id, name).is_some() => {
                let index = self.choices_class(m.id, name).unwrap_or(0);
                Ok(Some(Value::Choices(Rc::new((
                    m.id,
                    index,
                    name.to_string(),
                )))))
            }
            Value::Choices(c) => self.choices_attr(c, name).map(Some),
            Value::Model(m) => match self.descriptor(m.id, name) {
                Some(d) => Ok(Some(d)),
                None => Err(Error::new(
                    "AttributeError",
                    format!("type object '{}' has no attribute '{name}'", m.name),
                )),
            },
            Value::Descriptor(d) => match (name, d.1) {
                ("through", Some(through)) => {
                    Ok(Some(ModelClass::value(&self.orm().registry, through)))
                }
                _ => Err(Error::new(
                    "AttributeError",
                    format!("'{}' object has no attribute '{name}'", d.0),
                )),
            },
            Value::Manager(m)
                if manager::has_manager_method(&m.kind, name) || name == "get_queryset" =>
            {
                bound(obj)
            }
            Value::Manager(m) => Err(Error::new(
                "AttributeError",
                format!("'{}' object has no attribute '{name}'", m.kind.class_name()),
            )),
            Value::QuerySet(qs) if name == "query" => {
                let c = crate::query::compile::compile(
                    &self.orm().registry,
                    qs,
                    crate::query::compile::Select::Rows,
                )?;
                Ok(Some(Value::str(c.display())))
            }
            Value::QuerySet(_) if methods::find(name).is_some() => bound(obj),
            Value::QuerySet(_) => Err(Error::new(
                "AttributeError",
                format!("'QuerySet' object has no attribute '{name}'"),
            )),
            Value::Instance(i) => self.instance_attr(i, name).map(Some),
            Value::NamedRow(row) => match row.0.iter().position(|f| f == name) {
                Some(i) => Ok(Some(row.1[i].clone())),
                None => Err(Error::new(
                    "AttributeError",
                    format!("'Row' object has no attribute '{name}'"),
                )),
            },
            _ => Ok(None),
        }
    }

    fn choices_class(&self, model: ModelId, name: &str) -> Option<usize> {
        self.orm()
            .registry
            .model(model)
            .choices_classes
            .iter()
            .position(|c| c.name == name)
    }

    /// `Post.Status.PUBLISHED` (its value, as the str or int enum member
    /// compares and binds), `.choices`, `.values`, `.labels`, `.names`.
    fn choices_attr(&self, c: &(ModelId, usize, String), name: &str) -> Result<Value> {
        let class = &self.orm().registry.model(c.0).choices_classes[c.1];
        let value = |l: &crate::schema::Literal| match l {
            crate::schema::Literal::Int(i) => Value::Int(*i),
            crate::schema::Literal::Str(s) => Value::str(s.as_str()),
            _ => Value::None,
        };
        let list = |f: &dyn Fn(&(String, crate::schema::Literal, String)) -> Value| {
            Value::list(class.members.iter().map(f).collect())
        };
        Ok(match name {
            "choices" => list(&|(_, v, l)| Value::tuple(vec![value(v), Value::str(l.as_str())])),
            "values" => list(&|(_, v, _)| value(v)),
            "labels" => list(&|(_, _, l)| Value::str(l.as_str())),
            "names" => list(&|(n, _, _)| Value::str(n.as_str())),
            member => match class.members.iter().find(|(n, _, _)| n == member) {
                Some((_, v, _)) => value(v),
                None => {
                    return Err(Error::new(
                        "AttributeError",
                        format!("type object '{}' has no attribute '{member}'", class.name),
                    ));
                }
            },
        })
    }

    /// A field or relation named as an attribute of its model class, with
    /// the class Django's descriptor has.
    fn descriptor(&self, model: ModelId, name: &str) -> Option<Value> {
        use crate::schema::FieldKind;
        let reg = &self.orm().registry;
        let m = reg.model(model);
        let found = if let Some(f) = m.fields.iter().find(|f| f.name == name) {
            let class = match f.kind {
                FieldKind::OneToOneField => "ForwardOneToOneDescriptor",
                k if k.is_foreign_key() => "ForwardManyToOneDescriptor",
                _ => "DeferredAttribute",
            };
            (class, None)
        } else if let Some(f) = m.many_to_many.iter().find(|f| f.name == name) {
            (
                "ManyToManyDescriptor",
                f.relation.as_ref().and_then(|r| r.through),
            )
        } else {
            let r = reg
                .reverse_relations(model)
                .into_iter()
                .find(|r| r.accessor == name)?;
            match r.kind {
                FieldKind::ManyToManyField => {
                    let through = reg
                        .model(r.model)
                        .many_to_many
                        .iter()
                        .find(|f| f.name == r.field)
                        .and_then(|f| f.relation.as_ref().and_then(|rel| rel.through));
                    ("ManyToManyDescriptor", through)
                }
                FieldKind::OneToOneField => ("ReverseOneToOneDescriptor", None),
                _ => ("ReverseManyToOneDescriptor", None),
            }
        };
        Some(Value::Descriptor(Rc::new(found)))
    }

    /// `repr()` of ORM values: `<Book: Dune>`, `<QuerySet [...]>`.
    pub(crate) fn orm_repr(&mut self, v: &Value) -> Option<Result<String>> {
        match v {
            Value::Instance(i) => Some(self.instance_repr(i)),
            Value::Meta(r) => Some(Ok(self.meta_repr(r))),
            Value::QuerySet(qs) => Some(self.queryset_repr(qs)),
            Value::Manager(m) => Some(Ok(m.repr(&self.orm().registry))),
            _ => None,
        }
    }

    /// `str()` of ORM values: an instance's `__str__`.
    pub(crate) fn orm_str(&mut self, v: &Value) -> Option<Result<String>> {
        match v {
            Value::Instance(i) => Some(self.instance_str(i)),
            Value::Meta(r) => Some(Ok(self.meta_str(r))),
            _ => self.orm_repr(v),
        }
    }
}
