//! ManyToMany managers' writes: `add`, `remove`, `set`, `clear`, through rows and symmetrical links.

use crate::orm::Python;
use crate::orm::related::*;

impl dyn Python + '_ {
    // ------------------------------------------------------------ ManyToMany

    pub(super) fn m2m_write(
        &mut self,
        m: &Rc<Manager>,
        name: &str,
        mut args: Args,
    ) -> Result<Value> {
        let defaults = args.take_kw("through_defaults");
        match name {
            "add" => {
                args.no_kw("add")?;
                self.atomic(|me| me.m2m_add_with(m, args.pos, defaults))?;
                Ok(Value::None)
            }
            "create" => {
                args.no_pos("create")?;
                let obj = self.instantiate(m.model, args)?;
                self.atomic(|me| {
                    if let Value::Instance(i) = &obj {
                        me.save_fields(i, None, "save")?;
                    }
                    me.m2m_add_with(m, vec![obj.clone()], defaults)
                })?;
                Ok(obj)
            }
            "get_or_create" | "update_or_create" => {
                let qs = m.queryset();
                self.atomic(|me| {
                    let result = if name == "get_or_create" {
                        me.get_or_create(&qs, args, None)?
                    } else {
                        me.update_or_create(&qs, args, None)?
                    };
                    if let Value::Tuple(t) = &result
                        && matches!(t.get(1), Some(Value::Bool(true)))
                    {
                        me.m2m_add_with(m, vec![t[0].clone()], defaults)?;
                    }
                    Ok(result)
                })
            }
            "remove" => {
                args.no_kw("remove")?;
                let keys = self.target_keys(m, &args.pos, "remove")?;
                self.atomic(|me| me.m2m_remove(m, Some(keys)))?;
                Ok(Value::None)
            }
            "clear" => {
                args.no_kw("clear")?;
                self.atomic(|me| me.m2m_remove(m, None))?;
                Ok(Value::None)
            }
            _ => {
                let clear = take_bool(&mut args, "clear", false);
                args.no_kw("set")?;
                let objs = match args.pos.first() {
                    Some(v) => self.collect(v)?,
                    None => Vec::new(),
                };
                self.atomic(|me| me.m2m_set(m, objs, clear, defaults))?;
                Ok(Value::None)
            }
        }
    }

    /// Django's `set()`: links not wanted any more are removed, new ones added.
    pub(super) fn m2m_set(
        &mut self,
        m: &Manager,
        objs: Vec<Value>,
        clear: bool,
        defaults: Option<Value>,
    ) -> Result<()> {
        if clear {
            self.m2m_remove(m, None)?;
            return self.m2m_add_with(m, objs, defaults);
        }
        let mut current = m.queryset();
        current.values = Some(Values::of(vec!["pk".into()], Shape::Flat));
        // Keys are compared as hash keys, so a set() of any size is linear.
        let old_rows = self.rows(&current)?;
        let mut remaining = std::collections::HashSet::new();
        for key in &old_rows {
            remaining.insert(key.hash_key()?);
        }
        let mut new = Vec::new();
        for obj in objs {
            let key = self
                .target_keys(m, std::slice::from_ref(&obj), "add")?
                .remove(0);
            if !remaining.remove(&key.hash_key()?) {
                new.push(obj);
            }
        }
        let mut old = Vec::new();
        for key in old_rows {
            if remaining.contains(&key.hash_key()?) {
                old.push(key);
            }
        }
        if !old.is_empty() {
            self.m2m_remove(m, Some(old))?;
        }
        self.m2m_add_with(m, new, defaults)
    }

    /// The target keys of `objs`: instances of the related model (saved),
    /// or keys themselves.
    pub(super) fn target_keys(
        &mut self,
        m: &Manager,
        objs: &[Value],
        method: &str,
    ) -> Result<Vec<Value>> {
        let ManagerKind::ManyToMany { target_field, .. } = &m.kind else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for obj in objs {
            match obj {
                Value::Instance(i)
                    if self.orm().registry.is_instance(i.borrow().model, m.model) =>
                {
                    let (pk, adding) = (i.borrow().pk(), i.borrow().adding);
                    if method == "add" && (adding || matches!(pk, Value::None)) {
                        let shown = self.repr_value(obj)?;
                        // An object never saved is on no database yet.
                        return Err(Error::value_error(if adding {
                            format!(
                                "Cannot add \"{shown}\": instance is on database \"default\", value is on database \"None\""
                            )
                        } else {
                            format!(
                                "Cannot add \"{shown}\": the value for field \"{target_field}\" is None"
                            )
                        }));
                    }
                    out.push(pk);
                }
                Value::Instance(_) => {
                    let shown = self.repr_value(obj)?;
                    return Err(Error::type_error(format!(
                        "'{}' instance expected, got {shown}",
                        self.orm().registry.model(m.model).name
                    )));
                }
                other => out.push(other.clone()),
            }
        }
        Ok(out)
    }

    /// Deletes the through rows from the owner to `keys` (all, for clear()),
    /// both ways for a symmetrical relation; as Django, a delete of the
    /// through model's queryset.
    pub(super) fn m2m_remove(&mut self, m: &Manager, keys: Option<Vec<Value>>) -> Result<()> {
        let ManagerKind::ManyToMany {
            through,
            source_field,
            target_field,
            owner,
            symmetrical,
        } = &m.kind
        else {
            return Ok(());
        };
        if keys.as_ref().is_some_and(|k| k.is_empty()) {
            return Ok(());
        }
        let reg = self.orm().registry.clone();
        let side = |from: &str, to: &str| -> Result<QNode> {
            let model = *through;
            let mut parts = vec![crate::orm::prepare::model_condition(
                &reg, model, from, owner,
            )?];
            if let Some(k) = &keys {
                let key = format!("{to}__in");
                let list = Value::list(k.clone());
                parts.push(crate::orm::prepare::model_condition(
                    &reg, model, &key, &list,
                )?);
            }
            Ok(QNode::And(parts))
        };
        let mut node = side(source_field, target_field)?;
        if *symmetrical {
            node = QNode::Or(vec![node, side(target_field, source_field)?]);
        }
        let mut q = QuerySet::new(*through);
        q.filters.push(Filter {
            negated: false,
            node,
        });
        self.delete_queryset(&q)?;
        Ok(())
    }

    /// Links `objs` through the through table. A through model with fields
    /// of its own (or `through_defaults`) gets full rows instead.
    pub(super) fn m2m_add_with(
        &mut self,
        m: &Manager,
        objs: Vec<Value>,
        defaults: Option<Value>,
    ) -> Result<()> {
        let ManagerKind::ManyToMany {
            through,
            source_field,
            target_field,
            owner,
            symmetrical,
        } = &m.kind
        else {
            return Ok(());
        };
        let objs = self.target_keys(m, &objs, "add")?;
        if defaults.is_some() || !self.orm().registry.model(*through).auto_created {
            return self.m2m_add_rows(m, (*through, source_field, target_field), objs, defaults);
        }
        let reg = self.orm().registry.clone();
        let through = reg.model(*through);
        let source_col = through
            .field(source_field)
            .map(|f| f.column.clone())
            .unwrap_or_default();
        let target_col = through
            .field(target_field)
            .map(|f| f.column.clone())
            .unwrap_or_default();
        let owner_pk = owner.clone();
        for obj in objs {
            let target_pk = obj;
            let a = crate::orm::prepare::prep(FieldKind::IntegerField, "id", &owner_pk)?;
            let b = crate::orm::prepare::prep(FieldKind::IntegerField, "id", &target_pk)?;
            let db = self.db()?;
            let table = &through.db_table;
            db.execute(&add_link(
                table,
                &source_col,
                &target_col,
                a.clone(),
                b.clone(),
            ))?;
            if *symmetrical {
                db.execute(&add_link(table, &source_col, &target_col, b, a))?;
            }
        }
        Ok(())
    }

    /// One through-model instance per new link, saved as
    /// `Model.objects.create` would save it.
    pub(super) fn m2m_add_rows(
        &mut self,
        m: &Manager,
        link: (ModelId, &str, &str),
        objs: Vec<Value>,
        defaults: Option<Value>,
    ) -> Result<()> {
        let (through, source_field, target_field) =
            (&link.0, &link.1.to_string(), &link.2.to_string());
        let ManagerKind::ManyToMany {
            owner: owner_pk, ..
        } = &m.kind
        else {
            return Ok(());
        };
        let owner_pk = owner_pk.clone();
        let extra: Vec<(String, Value)> = match defaults {
            Some(Value::Dict(d)) => d
                .borrow()
                .entries
                .values()
                .map(|(k, v)| (crate::value::repr::str(k), v.clone()))
                .collect(),
            Some(Value::None) | None => Vec::new(),
            Some(other) => {
                return Err(Error::type_error(format!(
                    "through_defaults must be a dict, not {}",
                    other.type_name()
                )));
            }
        };
        for obj in objs {
            let target_pk = obj;
            let mut q = QuerySet::new(*through);
            let reg = &self.orm().registry;
            let link = QNode::And(vec![
                crate::orm::prepare::model_condition(reg, *through, source_field, &owner_pk)?,
                crate::orm::prepare::model_condition(reg, *through, target_field, &target_pk)?,
            ]);
            q.filters.push(Filter {
                negated: false,
                node: link,
            });
            if self.exists(&q)? {
                continue;
            }
            // The keys go in by attname (`book_id`), as raw values.
            let attname = |f: &str| {
                self.orm()
                    .registry
                    .model(*through)
                    .field(f)
                    .map_or_else(|| f.to_string(), |f| f.column.clone())
            };
            let mut kw = extra.clone();
            kw.push((attname(source_field), owner_pk.clone()));
            kw.push((attname(target_field), target_pk));
            let row = self.instantiate(
                *through,
                Args {
                    pos: Vec::new(),
                    kw,
                },
            )?;
            if let Value::Instance(i) = &row {
                self.save(i)?;
            }
        }
        Ok(())
    }
}
