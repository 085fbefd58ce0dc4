//! Deleting an instance or a queryset through the collector, each in one savepoint, and Django's refusals as errors.

use crate::orm::Python;
use crate::orm::delete::*;

impl dyn Python + '_ {
    /// `instance.delete()`.
    pub(in crate::orm) fn delete_instance(&mut self, model: ModelId, pk: &Value) -> Result<Value> {
        let m = self.orm().registry.model(model);
        if matches!(pk, Value::None) {
            return Err(Error::value_error(format!(
                "{} object can't be deleted because its {} attribute is set to None.",
                m.name,
                m.pk().name
            )));
        }
        let key = crate::orm::prepare::prep(m.pk().kind, &m.pk().name, pk)?;
        let pks: Vec<Pk> = Pk::from_sql(key).into_iter().collect();
        self.run_delete(model, Objs::Instances(pks))
    }

    /// `qs.delete()`.
    pub(in crate::orm) fn delete_queryset(&mut self, qs: &QuerySet) -> Result<Value> {
        if qs.is_sliced() {
            return Err(Error::type_error(
                "Cannot use 'limit' or 'offset' with delete().",
            ));
        }
        if qs.values.is_some() {
            return Err(Error::type_error(
                "Cannot call delete() after .values() or .values_list()",
            ));
        }
        self.db()?.check_writable()?;
        if qs.empty {
            return Ok(deleted_value(0, Vec::new()));
        }
        let mut q = qs.clone();
        q.order_by = Some(Vec::new());
        q.select_related = None;
        q.distinct = false;
        let pk = vec!["pk".to_string()];
        let c = compile(&self.orm().registry, &q, Select::Columns(&pk))?;
        let pks = self
            .db()?
            .column(&c)?
            .into_iter()
            .filter_map(Pk::from_sql)
            .collect();
        self.run_delete(qs.model, Objs::Rows(pks))
    }

    pub(super) fn run_delete(&mut self, model: ModelId, objs: Objs) -> Result<Value> {
        let reg = self.orm().registry.clone();
        let db = self.db()?.clone();
        let mut computed = HashMap::new();
        let outcome = loop {
            let outcome = self.atomic(|_| {
                let mut collector = Collector::new(&reg, &db, computed.clone());
                match collector.collect(model, objs.clone(), None, false, true) {
                    Ok(()) => collector.delete().map(Ok),
                    Err(Refusal::Failed(e)) => Err(e),
                    Err(refusal) => Ok(Err(refusal)),
                }
            })?;
            match outcome {
                Err(Refusal::Compute(m, f)) if !computed.contains_key(&(m, f.clone())) => {
                    let value = if f == CONTENT_TYPE {
                        self.content_type_id(m)?
                    } else {
                        self.on_delete_value(m, &f)?
                    };
                    computed.insert((m, f), value);
                }
                other => break other,
            }
        };
        match outcome {
            Ok((total, counts)) => Ok(deleted_value(total, counts)),
            Err(refusal) => Err(self.refusal_error(model, refusal)),
        }
    }

    /// The value `SET(callable)` or a computed `SET_DEFAULT` writes,
    /// evaluated in the models module as Django calls it: once a delete.
    pub(super) fn on_delete_value(&mut self, model: ModelId, field: &str) -> Result<Sql> {
        use crate::schema::Literal;
        let reg = self.orm().registry.clone();
        let m = reg.model(model);
        let Some(f) = m.fields.iter().find(|f| f.name == field) else {
            return Ok(Sql::Null);
        };
        let Some(rel) = &f.relation else {
            return Ok(Sql::Null);
        };
        let value = match &rel.on_delete {
            OnDelete::Set(Literal::Name(name)) => {
                let v = self.module_value(&m.app_label, name)?;
                match v {
                    Value::Function(_) | Value::Native(_) | Value::Builtin(_) | Value::Bound(_) => {
                        self.call(&v, crate::value::Args::default())?
                    }
                    other => other,
                }
            }
            OnDelete::SetDefault => self.field_default(model, f)?,
            other => {
                return Err(Error::new(
                    "NotImplementedError",
                    format!(
                        "on_delete of {}.{field}: ormsh cannot compute {other:?}",
                        m.name
                    ),
                ));
            }
        };
        let target = reg.model(rel.target);
        let key_kind = target.to_field(&rel.to_field).kind;
        crate::orm::prepare::prep(key_kind, &f.name, &value)
    }

    /// ProtectedError and RestrictedError as Django raises them: args are
    /// the message and the set of objects, also its `protected_objects`
    /// (`restricted_objects`).
    pub(super) fn refusal_error(&mut self, model: ModelId, refusal: Refusal) -> Error {
        let (kind, how, keys, objects) = match refusal {
            Refusal::Protected(k, o) => ("ProtectedError", "protected", k, o),
            Refusal::Restricted(k, o) => ("RestrictedError", "restricted", k, o),
            Refusal::Failed(e) => return e,
            Refusal::Compute(m, f) => {
                return Error::new(
                    "RuntimeError",
                    format!(
                        "the on_delete value of {}.{f} did not settle",
                        self.orm().registry.model(m).name
                    ),
                );
            }
        };
        let message = format!(
            "Cannot delete some instances of model '{}' because they are referenced through {how} foreign keys: {}.",
            self.orm().registry.model(model).name,
            keys.join(", ")
        );
        let set = match self.object_set(objects) {
            Ok(s) => s,
            Err(e) => return e,
        };
        let shown = match self.repr_value(&set) {
            Ok(s) => s,
            Err(e) => return e,
        };
        let message = Value::str(message);
        let text = format!("({}, {shown})", crate::value::repr::repr(&message));
        let class = crate::value::exceptions::model_class_of(&self.orm().registry, kind);
        let exc = crate::value::exceptions::Exception::new(class, vec![message, set.clone()]);
        exc.set_attr(&format!("{how}_objects"), set);
        let mut e = crate::value::exceptions::Exception::to_error(&Rc::new(exc));
        e.message = text;
        e
    }

    /// `{<Book: Emma>, …}`: the objects as a Python set, in the order
    /// CPython's set keeps them (by the hash of their primary key).
    pub(super) fn object_set(&mut self, objects: Vec<(ModelId, Pk)>) -> Result<Value> {
        let unique: IndexSet<(ModelId, Pk)> = objects.into_iter().collect();
        let mut by_model: IndexMap<ModelId, Vec<Value>> = IndexMap::new();
        for (m, pk) in &unique {
            by_model
                .entry(*m)
                .or_default()
                .push(crate::orm::rows::plain(&pk.sql()));
        }
        let mut instances: HashMap<(ModelId, Pk), Value> = HashMap::new();
        for (m, pks) in by_model {
            for chunk in pks.chunks(MAX_PARAMS) {
                let mut q = QuerySet::new(m);
                let pks = Value::list(chunk.to_vec());
                let node =
                    crate::orm::prepare::model_condition(&self.orm().registry, m, "pk__in", &pks)?;
                q.filters.push(crate::query::Filter {
                    negated: false,
                    node,
                });
                for obj in self.rows(&q)? {
                    let key = crate::orm::orm_pk(&obj)
                        .and_then(|pk| {
                            crate::orm::prepare::prep(FieldKind::IntegerField, "id", &pk).ok()
                        })
                        .and_then(Pk::from_sql);
                    if let Some(key) = key {
                        instances.insert((m, key), obj);
                    }
                }
            }
        }
        let hashes: Option<Vec<i64>> = unique
            .iter()
            .map(|(_, p)| match p {
                Pk::Int(i) => Some(*i),
                Pk::Text(_) => None,
            })
            .collect();
        let order: Vec<usize> = match hashes {
            Some(h) => crate::value::cpython_int_set_order(&h),
            None => (0..unique.len()).collect(),
        };
        let mut set = crate::value::Set::default();
        for i in order {
            if let Some(obj) = unique.get_index(i).and_then(|k| instances.get(k)) {
                set.insert(obj.clone())?;
            }
        }
        Ok(Value::set(set))
    }
}

pub(super) fn deleted_value(total: i64, counts: Vec<(String, i64)>) -> Value {
    let mut d = Dict::default();
    for (label, n) in counts {
        let _ = d.insert(Value::str(label), Value::Int(n));
    }
    Value::tuple(vec![Value::Int(total), Value::dict(d)])
}
