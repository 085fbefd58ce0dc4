//! `Model._meta` as Django's Options: the model's names and table, its
//! fields (`get_field`, `get_fields`, `fields`, `many_to_many`, `pk`) and
//! the reverse relations pointing at it, each field with the attributes
//! people read from it (`max_length`, `null`, `related_model`…).

use crate::error::{Error, Result};
use crate::orm::Python;
use crate::schema::{Field, FieldKind, ModelId, Registry};
use crate::value::model::MetaRef;
use crate::value::{Args, ModelClass, Value};
use std::rc::Rc;

fn meta(r: MetaRef) -> Value {
    Value::Meta(Rc::new(r))
}

/// The tables an object of `model` spans, the root ancestor first (one
/// but for a multi-table child).
fn tables(reg: &Registry, model: ModelId) -> Vec<ModelId> {
    let mut out = reg.ancestors(model);
    out.reverse();
    out.push(model);
    out
}

/// Every forward field as `get_fields()` lists them: for each table from
/// the root ancestor, its concrete fields in creation order, then its
/// many-to-many fields.
fn forward_fields(reg: &Registry, model: ModelId) -> Vec<&Field> {
    let m = reg.model(model);
    let mut all = Vec::new();
    for t in tables(reg, model) {
        let here = |f: &&Field| f.inherited_from.unwrap_or(model) == t;
        all.extend(m.fields.iter().filter(here));
        all.extend(m.many_to_many.iter().filter(here));
    }
    all
}

fn field_of<'a>(reg: &'a Registry, model: ModelId, name: &str) -> Option<&'a Field> {
    let m = reg.model(model);
    m.fields
        .iter()
        .chain(&m.many_to_many)
        .find(|f| f.name == name)
}

/// `django.db.models.fields.CharField`, `…fields.related.ForeignKey`.
fn field_class(f: &Field) -> String {
    let class = f.kind.class_name();
    let module = match f.kind {
        FieldKind::ForeignKey | FieldKind::OneToOneField | FieldKind::ManyToManyField => {
            "django.db.models.fields.related"
        }
        FieldKind::JSONField => "django.db.models.fields.json",
        _ => "django.db.models.fields",
    };
    format!("{module}.{class}")
}

fn rel_class(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::OneToOneField => "OneToOneRel",
        FieldKind::ManyToManyField => "ManyToManyRel",
        _ => "ManyToOneRel",
    }
}

impl dyn Python + '_ {
    pub(crate) fn meta_repr(&self, r: &MetaRef) -> String {
        let reg = &self.orm().registry;
        match r {
            MetaRef::Options(m) => format!("<Options for {}>", reg.model(*m).name),
            MetaRef::Field { model, name } => match field_of(reg, *model, name) {
                Some(f) => format!("<{}: {}>", field_class(f), f.name),
                None => format!("<Field: {name}>"),
            },
            MetaRef::Rel { rel, .. } => {
                let from = reg.model(rel.model);
                format!(
                    "<{}: {}.{}>",
                    rel_class(rel.kind),
                    from.app_label,
                    from.name.to_lowercase()
                )
            }
            MetaRef::Private { name, .. } => {
                format!(
                    "<django.contrib.contenttypes.fields.{}: {name}>",
                    r.type_name()
                )
            }
        }
    }

    /// `str()`: Options' `label_lower`, a field's `app.Model.name`.
    pub(crate) fn meta_str(&self, r: &MetaRef) -> String {
        let reg = &self.orm().registry;
        match r {
            MetaRef::Options(m) => {
                let m = reg.model(*m);
                format!("{}.{}", m.app_label, m.name.to_lowercase())
            }
            MetaRef::Field { model, name } => {
                let m = reg.model(*model);
                format!("{}.{}.{name}", m.app_label, m.name)
            }
            MetaRef::Rel { .. } => self.meta_repr(r),
            MetaRef::Private { model, name, .. } => {
                let m = reg.model(*model);
                format!("{}.{}.{name}", m.app_label, m.name)
            }
        }
    }

    pub(crate) fn meta_attr(&mut self, obj: &Value, r: &MetaRef, name: &str) -> Result<Value> {
        let found = match r {
            MetaRef::Options(m) => self.options_attr(obj, *m, name),
            MetaRef::Field { model, name: field } => self.field_attr(obj, *model, field, name),
            MetaRef::Rel { model, rel } => {
                let reg = self.orm().registry.clone();
                match name {
                    "name" => Some(Value::str(rel.query_name.as_str())),
                    "related_model" => Some(ModelClass::value(&reg, rel.model)),
                    "model" => Some(ModelClass::value(&reg, *model)),
                    "field" => Some(meta(MetaRef::Field {
                        model: rel.model,
                        name: rel.field.clone(),
                    })),
                    "is_relation" | "auto_created" => Some(Value::Bool(true)),
                    "concrete" => Some(Value::Bool(false)),
                    "related_name" => Some(Value::str(rel.accessor.as_str())),
                    _ => None,
                }
            }
            MetaRef::Private {
                model,
                name: field,
                relation,
            } => match name {
                "name" | "attname" => Some(Value::str(field.as_str())),
                "model" => Some(ModelClass::value(&self.orm().registry, *model)),
                "is_relation" => Some(Value::Bool(true)),
                "concrete" | "auto_created" | "editable" => Some(Value::Bool(false)),
                "many_to_one" => Some(Value::Bool(!relation)),
                "one_to_many" => Some(Value::Bool(*relation)),
                "many_to_many" | "one_to_one" => Some(Value::Bool(false)),
                "column" => Some(Value::None),
                _ => None,
            },
        };
        found.ok_or_else(|| {
            Error::new(
                "AttributeError",
                format!("'{}' object has no attribute '{name}'", r.type_name()),
            )
        })
    }

    fn options_attr(&mut self, obj: &Value, model: ModelId, name: &str) -> Option<Value> {
        let reg = self.orm().registry.clone();
        let m = reg.model(model);
        let s = |t: &str| Some(Value::str(t));
        let fields = |list: Vec<&Field>| {
            Value::tuple(
                list.into_iter()
                    .map(|f| {
                        meta(MetaRef::Field {
                            model,
                            name: f.name.clone(),
                        })
                    })
                    .collect(),
            )
        };
        match name {
            "db_table" => s(&m.db_table),
            "verbose_name" => s(&m.meta.verbose_name),
            "verbose_name_plural" => s(&m.meta.verbose_name_plural),
            "app_label" => s(&m.app_label),
            "model_name" => s(&m.name.to_lowercase()),
            "object_name" => s(&m.name),
            "label" => s(&format!("{}.{}", m.app_label, m.name)),
            "label_lower" => s(&format!("{}.{}", m.app_label, m.name.to_lowercase())),
            "ordering" => Some(Value::list(
                m.meta
                    .ordering
                    .iter()
                    .map(|o| Value::str(o.as_str()))
                    .collect(),
            )),
            "managed" => Some(Value::Bool(m.managed)),
            "proxy" => Some(Value::Bool(m.proxy_for.is_some())),
            "abstract" => Some(Value::Bool(false)),
            "auto_created" => Some(Value::Bool(m.auto_created)),
            "model" => Some(ModelClass::value(&reg, model)),
            "concrete_model" => Some(ModelClass::value(&reg, m.proxy_for.unwrap_or(model))),
            "pk" => Some(meta(MetaRef::Field {
                model,
                name: m.pk().name.clone(),
            })),
            "fields" | "concrete_fields" | "local_fields" | "local_concrete_fields" => {
                let local = name.starts_with("local");
                Some(fields(
                    forward_fields(&reg, model)
                        .into_iter()
                        .filter(|f| f.kind != FieldKind::ManyToManyField)
                        .filter(|f| !local || f.inherited_from.is_none())
                        .collect(),
                ))
            }
            "many_to_many" | "local_many_to_many" => Some(fields(m.many_to_many.iter().collect())),
            "get_field" | "get_fields" => {
                Some(Value::BoundMethod(Rc::new((obj.clone(), name.to_string()))))
            }
            _ => None,
        }
    }

    fn field_attr(
        &mut self,
        obj: &Value,
        model: ModelId,
        field: &str,
        name: &str,
    ) -> Option<Value> {
        let reg = self.orm().registry.clone();
        let f = field_of(&reg, model, field)?;
        let b = |v: bool| Some(Value::Bool(v));
        let target = f.relation.as_ref().map(|r| r.target);
        match name {
            "name" => Some(Value::str(f.name.as_str())),
            "attname" => Some(Value::str(if f.kind.is_foreign_key() {
                f.column.as_str()
            } else {
                f.name.as_str()
            })),
            "column" => Some(match f.kind {
                FieldKind::ManyToManyField => Value::None,
                _ => Value::str(f.column.as_str()),
            }),
            "verbose_name" => Some(Value::str(f.verbose_name.as_str())),
            "help_text" => Some(Value::str(f.help_text.as_str())),
            "null" => b(f.null),
            "blank" => b(f.blank),
            "unique" => b(f.unique),
            "primary_key" => b(f.primary_key),
            "db_index" => b(f.db_index),
            "editable" => b(f.editable),
            "concrete" => b(f.kind != FieldKind::ManyToManyField),
            "is_relation" => b(target.is_some()),
            "many_to_many" => b(f.kind == FieldKind::ManyToManyField),
            "many_to_one" => b(f.kind == FieldKind::ForeignKey),
            "one_to_one" => b(f.kind == FieldKind::OneToOneField),
            "max_length" => Some(f.max_length.map_or(Value::None, |n| Value::Int(n.into()))),
            "related_model" => Some(target.map_or(Value::None, |t| ModelClass::value(&reg, t))),
            "model" => Some(ModelClass::value(&reg, model)),
            "get_internal_type" => {
                Some(Value::BoundMethod(Rc::new((obj.clone(), name.to_string()))))
            }
            _ => None,
        }
    }

    pub(crate) fn meta_method(&mut self, r: &MetaRef, name: &str, args: Args) -> Result<Value> {
        let reg = self.orm().registry.clone();
        match (r, name) {
            (MetaRef::Options(model), "get_field") => {
                args.count("get_field", 1, 1)?;
                let wanted = crate::value::repr::str(&args.pos[0]);
                if let Some(f) = field_of(&reg, *model, &wanted) {
                    return Ok(meta(MetaRef::Field {
                        model: *model,
                        name: f.name.clone(),
                    }));
                }
                match reg
                    .reverse_relations(*model)
                    .into_iter()
                    .find(|rel| rel.query_name == wanted)
                {
                    Some(rel) => Ok(meta(MetaRef::Rel { model: *model, rel })),
                    None => Err(Error::new(
                        "FieldDoesNotExist",
                        format!("{} has no field named '{wanted}'", reg.model(*model).name),
                    )),
                }
            }
            (MetaRef::Options(model), "get_fields") => {
                args.count("get_fields", 0, 0)?;
                // Django lists each table's relations pointing at it
                // first, then its fields; a parent's before the child's.
                let fields = forward_fields(&reg, *model);
                let related = reg.related_objects(*model);
                let mut out: Vec<Value> = Vec::new();
                for t in tables(&reg, *model) {
                    let own = |f: &&&Field| f.inherited_from.unwrap_or(*model) == t;
                    out.extend(
                        related
                            .iter()
                            .filter(|r| {
                                reg.reverse_relations(t)
                                    .iter()
                                    .any(|x| x.model == r.model && x.field == r.field)
                            })
                            .map(|rel| {
                                meta(MetaRef::Rel {
                                    model: *model,
                                    rel: rel.clone(),
                                })
                            }),
                    );
                    out.extend(fields.iter().filter(own).map(|f| {
                        meta(MetaRef::Field {
                            model: *model,
                            name: f.name.clone(),
                        })
                    }));
                }
                // Private fields last: generic relations and keys.
                let m = reg.model(*model);
                let private = m
                    .generic_relations
                    .iter()
                    .map(|g| (g.name.clone(), true))
                    .chain(
                        m.generic_foreign_keys
                            .iter()
                            .map(|g| (g.name.clone(), false)),
                    );
                out.extend(private.map(|(name, relation)| {
                    meta(MetaRef::Private {
                        model: *model,
                        name,
                        relation,
                    })
                }));
                Ok(Value::tuple(out))
            }
            (MetaRef::Field { model, name: field }, "get_internal_type") => {
                args.count("get_internal_type", 0, 0)?;
                let f = field_of(&reg, *model, field);
                Ok(Value::str(f.map_or("Field", |f| f.kind.class_name())))
            }
            _ => Err(Error::new(
                "AttributeError",
                format!("'{}' object has no attribute '{name}'", r.type_name()),
            )),
        }
    }
}
