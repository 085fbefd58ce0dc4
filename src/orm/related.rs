//! The write methods of related managers, on every side: a reverse
//! ForeignKey's `add`, `remove`, `clear`, `set`, `create`; a ManyToMany's
//! (either side, implicit or explicit through model) `add`, `remove`,
//! `clear`, `set`, `create`, with `through_defaults`; and `get_or_create` /
//! `update_or_create` on both. Each call is one ORM operation, in one
//! savepoint; Django's messages for wrong objects.

use crate::error::{Error, Result};
use crate::orm::Python;
use crate::orm::manager::{Manager, ManagerKind};
use crate::query::compile::write::{NewValue, add_link, compile_update};
use crate::query::{Filter, QNode, QuerySet, Shape, Values};
use crate::schema::{FieldKind, ModelId};
use crate::value::Args;
use crate::value::Value;
use std::rc::Rc;

mod many_to_many;

/// The methods of this module.
pub(super) const WRITES: &[&str] = &[
    "add",
    "remove",
    "clear",
    "set",
    "create",
    "get_or_create",
    "update_or_create",
];

/// Whether a related manager has the write method `name`: remove() and
/// clear() need a nullable ForeignKey (else Django's AttributeError).
pub(super) fn has_write(kind: &ManagerKind, name: &str) -> bool {
    match kind {
        ManagerKind::Objects => false,
        ManagerKind::Reverse { nullable, .. } => {
            WRITES.contains(&name) && (*nullable || !matches!(name, "remove" | "clear"))
        }
        ManagerKind::ManyToMany { .. } => WRITES.contains(&name),
    }
}

impl dyn Python + '_ {
    pub(super) fn related_write(
        &mut self,
        m: &Rc<Manager>,
        name: &str,
        args: Args,
    ) -> Result<Value> {
        match &m.kind {
            ManagerKind::Reverse { field, nullable } => {
                if !nullable && matches!(name, "remove" | "clear") {
                    return Err(Error::new(
                        "AttributeError",
                        format!("'RelatedManager' object has no attribute '{name}'"),
                    ));
                }
                self.reverse_write(m, field, name, args)
            }
            ManagerKind::ManyToMany { .. } => self.m2m_write(m, name, args),
            ManagerKind::Objects => Err(Error::new(
                "AttributeError",
                format!("'Manager' object has no attribute '{name}'"),
            )),
        }
    }

    // ------------------------------------------------------------ reverse ForeignKey

    fn reverse_write(
        &mut self,
        m: &Manager,
        field: &str,
        name: &str,
        mut args: Args,
    ) -> Result<Value> {
        let qs = m.queryset();
        let owner = m.core.clone().map(|(_, v)| v).unwrap_or(Value::None);
        // The new objects hold the owner itself, as in Django.
        let core = Some((field.to_string(), m.owner.clone().unwrap_or(owner.clone())));
        match name {
            "create" => {
                args.no_pos("create")?;
                args.kw.extend(core);
                let obj = self.instantiate(m.model, args)?;
                if let Value::Instance(i) = &obj {
                    self.atomic(|me| me.save_fields(i, None, "save"))?;
                }
                Ok(obj)
            }
            "get_or_create" => self.get_or_create(&qs, args, core),
            "update_or_create" => self.update_or_create(&qs, args, core),
            "add" => {
                let bulk = take_bool(&mut args, "bulk", true);
                args.no_kw("add")?;
                self.atomic(|me| me.reverse_add(m, field, &owner, &args.pos, bulk))?;
                Ok(Value::None)
            }
            "remove" => {
                let bulk = take_bool(&mut args, "bulk", true);
                args.no_kw("remove")?;
                self.atomic(|me| me.reverse_remove(m, field, &owner, &args.pos, bulk))?;
                Ok(Value::None)
            }
            "clear" => {
                let bulk = take_bool(&mut args, "bulk", true);
                args.no_kw("clear")?;
                self.atomic(|me| me.reverse_clear(&qs, field, bulk))?;
                Ok(Value::None)
            }
            _ => {
                let bulk = take_bool(&mut args, "bulk", true);
                let clear = take_bool(&mut args, "clear", false);
                args.no_kw("set")?;
                let objs = match args.pos.first() {
                    Some(v) => self.collect(v)?,
                    None => Vec::new(),
                };
                let nullable = matches!(m.kind, ManagerKind::Reverse { nullable: true, .. });
                self.atomic(|me| {
                    if !nullable {
                        return me.reverse_add(m, field, &owner, &objs, bulk);
                    }
                    if clear {
                        me.reverse_clear(&qs, field, bulk)?;
                        return me.reverse_add(m, field, &owner, &objs, bulk);
                    }
                    let old: Vec<Value> = me.rows(&qs)?;
                    // Keys are compared as hash keys, so a set() of any size is linear.
                    let mut old_keys = std::collections::HashSet::new();
                    for o in &old {
                        if let Some(pk) = crate::orm::orm_pk(o) {
                            old_keys.insert(pk.hash_key()?);
                        }
                    }
                    let mut keep = std::collections::HashSet::new();
                    let mut new = Vec::new();
                    for obj in objs {
                        match crate::orm::orm_pk(&obj)
                            .map(|pk| pk.hash_key())
                            .transpose()?
                        {
                            Some(pk) if old_keys.contains(&pk) => {
                                keep.insert(pk);
                            }
                            _ => new.push(obj),
                        }
                    }
                    let mut gone = Vec::new();
                    for o in old {
                        if let Some(pk) = crate::orm::orm_pk(&o)
                            && !keep.contains(&pk.hash_key()?)
                        {
                            gone.push(o);
                        }
                    }
                    me.reverse_remove(m, field, &owner, &gone, bulk)?;
                    me.reverse_add(m, field, &owner, &new, bulk)
                })?;
                Ok(Value::None)
            }
        }
    }

    /// Objects of the manager's model, or Django's TypeError.
    fn check_related(&mut self, model: ModelId, objs: &[Value]) -> Result<()> {
        for obj in objs {
            let ok = matches!(obj, Value::Instance(i) if self.orm().registry.is_instance(i.borrow().model, model));
            if !ok {
                let shown = self.repr_value(obj)?;
                return Err(Error::type_error(format!(
                    "'{}' instance expected, got {shown}",
                    self.orm().registry.model(model).name
                )));
            }
        }
        Ok(())
    }

    /// Django's `add()`: one UPDATE moving saved objects to the owner
    /// (`bulk=False` saves each instead, and may save new ones).
    fn reverse_add(
        &mut self,
        m: &Manager,
        field: &str,
        owner: &Value,
        objs: &[Value],
        bulk: bool,
    ) -> Result<()> {
        self.check_related(m.model, objs)?;
        let mut pks = Vec::new();
        for obj in objs {
            let Value::Instance(i) = obj else { continue };
            if bulk && (i.borrow().adding || matches!(i.borrow().pk(), Value::None)) {
                let shown = self.repr_value(obj)?;
                return Err(Error::value_error(format!(
                    "{shown} instance isn't saved. Use bulk=False or save the object first."
                )));
            }
            // As Django: the object now holds its new owner, no query needed.
            let value = m.owner.clone().unwrap_or_else(|| owner.clone());
            self.set_instance_attr(i, field, value)?;
            if bulk {
                pks.push(i.borrow().pk());
            } else {
                self.save_fields(i, None, "save")?;
            }
        }
        if bulk && !pks.is_empty() {
            self.set_fk(m.model, field, Value::list(pks), owner)?;
        }
        Ok(())
    }

    /// `UPDATE model SET field = value WHERE pk IN (pks)`.
    fn set_fk(&mut self, model: ModelId, field: &str, pks: Value, value: &Value) -> Result<usize> {
        let mut q = QuerySet::new(model);
        q.filters.push(Filter {
            negated: false,
            node: crate::orm::prepare::model_condition(
                &self.orm().registry,
                model,
                "pk__in",
                &pks,
            )?,
        });
        self.update_field(&q, field, value)
    }

    fn update_field(&mut self, q: &QuerySet, field: &str, value: &Value) -> Result<usize> {
        let reg = self.orm().registry.clone();
        let Some(f) = reg.model(q.model).field(field) else {
            return Ok(0);
        };
        let bound = crate::orm::convert::to_db(&reg, f, value)?;
        let c = compile_update(&reg, q, &[(f.column.clone(), NewValue::Bound(bound))])?;
        self.db()?.execute(&c)
    }

    fn reverse_remove(
        &mut self,
        m: &Manager,
        field: &str,
        owner: &Value,
        objs: &[Value],
        bulk: bool,
    ) -> Result<()> {
        self.check_related(m.model, objs)?;
        let column = self
            .orm()
            .registry
            .model(m.model)
            .field(field)
            .map(|f| f.column.clone())
            .unwrap_or_default();
        let mut pks = Vec::new();
        for obj in objs {
            let Value::Instance(i) = obj else { continue };
            let current = self.get_attr(obj, &column)?;
            if !crate::value::ops::equals(&current, owner)? {
                return Err(self.not_related(m, field, obj));
            }
            pks.push(i.borrow().pk());
        }
        let mut q = m.queryset();
        let node = crate::orm::prepare::condition(
            &self.orm().registry,
            &q,
            "pk__in".into(),
            &Value::list(pks),
        )?;
        q.filters.push(Filter {
            negated: false,
            node,
        });
        self.reverse_clear(&q, field, bulk)
    }

    /// `<Book: x> is not related to <Author: y>.`, as the owner's DoesNotExist.
    fn not_related(&mut self, m: &Manager, field: &str, obj: &Value) -> Error {
        let target = self
            .orm()
            .registry
            .model(m.model)
            .field(field)
            .and_then(|f| f.relation.as_ref().map(|r| r.target));
        let (Some(target), Some(owner)) = (target, m.owner.clone()) else {
            return Error::new("DoesNotExist", "object is not related");
        };
        let name = self.orm().registry.model(target).name.clone();
        let shown = (|| -> Result<String> {
            Ok(format!(
                "{} is not related to {}.",
                self.repr_value(obj)?,
                self.repr_value(&owner)?
            ))
        })();
        match shown {
            Ok(msg) => Error::new(format!("{name}.DoesNotExist"), msg),
            Err(e) => e,
        }
    }

    /// Sets the ForeignKey of the queryset's rows to NULL: one UPDATE, or
    /// (`bulk=False`) each object saved.
    fn reverse_clear(&mut self, q: &QuerySet, field: &str, bulk: bool) -> Result<()> {
        if bulk {
            self.update_field(q, field, &Value::None)?;
            return Ok(());
        }
        for obj in self.rows(q)? {
            if let Value::Instance(i) = &obj {
                self.set_instance_attr(i, field, Value::None)?;
                self.save_fields(i, Some(&[field.to_string()]), "save")?;
            }
        }
        Ok(())
    }
}

fn take_bool(args: &mut Args, name: &str, default: bool) -> bool {
    args.take_kw(name).map_or(default, |v| v.truthy())
}
