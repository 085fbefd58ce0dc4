//! Managers and queryset methods: `filter`, `exclude`, `order_by`, `get`,
//! `count`, `first`… Methods that return querysets build a new value; the
//! others run one query.

use crate::error::{Error, Result};
use crate::orm::Python;
use crate::orm::instance::Instance;
use crate::value::Args;
use crate::value::{QuerySetValue, Value};

use crate::query::{Filter, QNode, QuerySet, Shape, Values};
use crate::schema::{FieldKind, ModelId, Registry};
use std::rc::Rc;

pub use crate::value::model::{Manager, ManagerKind};

/// A related manager for `instance.name`, if the name is one.
pub(super) fn related_manager(
    reg: &Registry,
    model: ModelId,
    name: &str,
    owner: &Rc<std::cell::RefCell<Instance>>,
) -> Result<Option<Value>> {
    let instance = &owner.borrow();
    let core_node = |model: ModelId, (key, value): &(String, Value)| {
        crate::orm::prepare::model_condition(reg, model, key, value).map(Some)
    };
    let pk = instance.pk();
    let owner = Some(Value::Instance(owner.clone()));
    let m = reg.model(model);
    if let Some(f) = m.many_to_many.iter().find(|f| f.name == name) {
        let Some(rel) = f.relation.as_ref() else {
            return Ok(None);
        };
        let (Some((from, to)), Some(through)) = (rel.through_fields.clone(), rel.through) else {
            return Ok(None);
        };
        // The model that declares the field (an ancestor, for an inherited one).
        let declared_on = f.inherited_from.unwrap_or(model);
        let query_name = reg
            .reverse_relations(rel.target)
            .into_iter()
            .find(|r| r.model == declared_on && r.field == f.name)
            .map(|r| r.query_name);
        // A hidden reverse side (a symmetrical 'self' relation, or
        // related_name='+') has no name to filter by: go through the table.
        let core = match query_name {
            Some(q) => (q, pk.clone()),
            None => {
                let mut links = QuerySet::new(through);
                links.filters.push(Filter {
                    negated: false,
                    node: crate::orm::prepare::model_condition(reg, through, &from, &pk)?,
                });
                links.values = Some(Values::of(vec![to.clone()], Shape::Flat));
                ("pk__in".to_string(), Value::queryset(links))
            }
        };
        return Ok(Some(Value::Manager(Rc::new(Manager {
            model: rel.target,
            core_node: core_node(rel.target, &core)?,
            core: Some(core),
            kind: ManagerKind::ManyToMany {
                through,
                source_field: from,
                target_field: to,
                owner: pk,
                symmetrical: rel.symmetrical,
            },
            owner,
            custom: None,
        }))));
    }
    let Some(rev) = reg
        .related_objects(model)
        .into_iter()
        .find(|r| r.accessor == name && r.kind != FieldKind::OneToOneField)
    else {
        return Ok(None);
    };
    let source = reg.model(rev.model);
    let Some(field) = source.field(&rev.field) else {
        return Ok(None);
    };
    let core = (rev.field.clone(), pk);
    if field.kind == FieldKind::ManyToManyField {
        let Some(rel) = field.relation.as_ref() else {
            return Ok(None);
        };
        let (Some((from, to)), Some(through)) = (rel.through_fields.clone(), rel.through) else {
            return Ok(None);
        };
        return Ok(Some(Value::Manager(Rc::new(Manager {
            model: rev.model,
            core_node: core_node(rev.model, &core)?,
            core: Some(core),
            kind: ManagerKind::ManyToMany {
                through,
                source_field: to,
                target_field: from,
                owner: instance.pk(),
                symmetrical: false,
            },
            owner,
            custom: None,
        }))));
    }
    Ok(Some(Value::Manager(Rc::new(Manager {
        model: rev.model,
        core_node: core_node(rev.model, &core)?,
        core: Some(core),
        kind: ManagerKind::Reverse {
            field: rev.field.clone(),
            nullable: field.null,
        },
        owner,
        custom: None,
    }))))
}

pub fn has_manager_method(kind: &ManagerKind, name: &str) -> bool {
    // Django's managers copy the queryset's methods but for the
    // `queryset_only` ones (delete).
    (crate::orm::methods::find(name).is_some() && name != "delete")
        || crate::orm::related::has_write(kind, name)
}

impl dyn Python + '_ {
    pub(crate) fn manager_method(
        &mut self,
        m: &Rc<Manager>,
        name: &str,
        args: Args,
    ) -> Result<Value> {
        if let (ManagerKind::Reverse { field, .. }, Some((_, Value::None))) = (&m.kind, &m.core) {
            return Err(self.unsaved_owner(m, field, name));
        }
        if name == "get_queryset" {
            return Ok(Value::QuerySet(Rc::new(
                crate::orm::custom::default_queryset(m),
            )));
        }
        if m.custom.is_some() && !crate::orm::related::has_write(&m.kind, name) {
            // Django's manager methods run on its get_queryset().
            let base = self.manager_queryset(m)?;
            if name != "create" {
                return self.queryset_method(&base, name, args);
            }
        }
        match (name, &m.kind) {
            ("create", ManagerKind::Objects) => {
                let mut args = args;
                // A generic relation's manager sets the generic key.
                if let Some((key, owner)) = &m.core
                    && !args.kw.iter().any(|(k, _)| k == key)
                {
                    args.kw.push((key.clone(), owner.clone()));
                }
                let obj = self.instantiate(m.model, args)?;
                if let Value::Instance(i) = &obj {
                    self.atomic(|me| me.insert_new(i))?;
                }
                Ok(obj)
            }
            (_, ManagerKind::Reverse { .. } | ManagerKind::ManyToMany { .. })
                if crate::orm::related::WRITES.contains(&name) =>
            {
                self.related_write(m, name, args)
            }
            _ => self.queryset_method(&Rc::new(QuerySetValue::new(m.queryset())), name, args),
        }
    }

    /// `latest()` / `earliest()`: by the given fields or Meta.get_latest_by.
    pub(super) fn latest(&mut self, qs: &QuerySet, args: &Args, latest: bool) -> Result<Value> {
        let mut fields = args
            .pos
            .iter()
            .map(|v| self.text_arg(v, "latest"))
            .collect::<Result<Vec<_>>>()?;
        if fields.is_empty() {
            fields = self
                .orm()
                .registry
                .model(qs.model)
                .meta
                .get_latest_by
                .clone();
        }
        if fields.is_empty() {
            return Err(Error::value_error(
                "earliest() and latest() require either fields as positional arguments or 'get_latest_by' in the model's Meta.",
            ));
        }
        let order: Vec<String> = fields
            .into_iter()
            .map(|f| match (latest, f.strip_prefix('-')) {
                (true, Some(rest)) => rest.to_string(),
                (true, None) => format!("-{f}"),
                (false, _) => f,
            })
            .collect();
        let q = QuerySet {
            order_by: Some(order.into_iter().map(crate::query::OrderBy::Name).collect()),
            reversed: false,
            low: 0,
            high: Some(1),
            ..qs.clone()
        };
        let mut rows = self.rows(&q)?;
        if rows.is_empty() {
            let name = self.orm().registry.model(qs.model).name.clone();
            return Err(Error::new(
                format!("{name}.DoesNotExist"),
                format!("{name} matching query does not exist."),
            ));
        }
        Ok(rows.remove(0))
    }

    /// Django's refusals for a reverse manager of an unsaved object: its
    /// writes name the key field, its reads the model.
    fn unsaved_owner(&mut self, m: &Manager, field: &str, method: &str) -> Error {
        let reg = self.orm().registry.clone();
        let Some(target) = reg
            .model(m.model)
            .field(field)
            .and_then(|f| f.relation.as_ref())
            .map(|r| r.target)
        else {
            return Error::value_error("the related object is not saved");
        };
        let owner = reg.model(target);
        if crate::orm::related::WRITES.contains(&method) {
            let shown = match &m.owner {
                Some(o) => self.repr_value(o).unwrap_or_default(),
                None => owner.name.clone(),
            };
            return Error::value_error(format!(
                "\"{shown}\" needs to have a value for field \"{}\" before this relationship can be used.",
                owner.pk().column
            ));
        }
        Error::value_error(format!(
            "'{}' instance needs to have a primary key value before this relationship can be used.",
            owner.name
        ))
    }

    pub(super) fn text_arg(&self, v: &Value, method: &str) -> Result<String> {
        match v {
            Value::Str(s) => Ok(s.to_string()),
            other => Err(Error::type_error(format!(
                "{method}() arguments must be field names, not {}",
                other.type_name()
            ))),
        }
    }

    /// `filter(Q(...), name=value, ...)`: Django builds `Q(*args, **kwargs)`.
    pub(super) fn q_from_args(&self, qs: &QuerySet, args: Args) -> Result<QNode> {
        let q = crate::value::expr::QValue::new(args.pos, args.kw)?;
        let reg = &self.orm().registry;
        q.to_node(&mut |key, value| crate::orm::prepare::condition(reg, qs, key, value))
    }
}
