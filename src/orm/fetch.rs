//! Running querysets: counting, fetching rows as instances or values,
//! `get()`'s one-row rule, a queryset's repr, and `qs[i]` / `qs[a:b]`.

use crate::db::{Row, RowStream};
use crate::error::{Error, Result};
use crate::orm::Python;
use crate::orm::instance::Instance;
use crate::query::compile::annotate::Output;
use crate::query::compile::{Select, compile};
use crate::query::{QuerySet, Shape, Values};
use crate::schema::{Field, ModelId, Registry};
use crate::value::{QuerySetValue, Value};
use rusqlite::types::Value as Sql;
use std::rc::Rc;

impl dyn Python + '_ {
    pub(crate) fn count(&mut self, qs: &QuerySet) -> Result<i64> {
        if qs.empty {
            return Ok(0);
        }
        let c = compile(&self.orm().registry, qs, Select::Count)?;
        self.db()?.scalar(&c)
    }

    pub(super) fn exists(&mut self, qs: &QuerySet) -> Result<bool> {
        if qs.empty {
            return Ok(false);
        }
        let c = compile(&self.orm().registry, qs, Select::Exists)?;
        Ok(self.db()?.stream(&c)?.next().transpose()?.is_some())
    }

    /// Django's `get()`: exactly one object, else DoesNotExist or
    /// MultipleObjectsReturned (counting up to 21).
    pub(super) fn get_one(&mut self, qs: &QuerySet) -> Result<Value> {
        let name = self.orm().registry.model(qs.model).name.clone();
        let mut q = qs.clone();
        if !q.distinct && !q.is_sliced() {
            q.order_by = Some(Vec::new());
        }
        q.high = Some(q.low + 21);
        let mut rows = self.rows(&q)?;
        match rows.len() {
            1 => Ok(rows.remove(0)),
            0 => Err(Error::new(
                format!("{name}.DoesNotExist"),
                format!("{name} matching query does not exist."),
            )),
            n => {
                let count = if n >= 21 {
                    "more than 20".to_string()
                } else {
                    n.to_string()
                };
                Err(Error::new(
                    format!("{name}.MultipleObjectsReturned"),
                    format!("get() returned more than one {name} -- it returned {count}!"),
                ))
            }
        }
    }

    /// Django's `_fetch_all()`: the rows of a queryset value, run once and
    /// then kept with the value.
    pub(crate) fn evaluate(&mut self, qs: &QuerySetValue) -> Result<Rc<Vec<Value>>> {
        if let Some(rows) = qs.cached() {
            return Ok(rows);
        }
        let rows = Rc::new(self.rows(qs)?);
        *qs.cache.borrow_mut() = Some(rows.clone());
        Ok(rows)
    }

    /// The queryset's rows as values: instances, dicts, tuples or scalars.
    pub(crate) fn rows(&mut self, qs: &QuerySet) -> Result<Vec<Value>> {
        self.stream(qs)?.collect()
    }

    /// The queryset's rows, pulled from SQLite one at a time.
    pub(crate) fn stream(&mut self, qs: &QuerySet) -> Result<QueryRows> {
        if qs.empty {
            return Ok(QueryRows::empty(self.orm().registry.clone()));
        }
        let reg = self.orm().registry.clone();
        let (c, shape) = match &qs.values {
            None => {
                let c = compile(&reg, qs, Select::Rows)?;
                let related = c.related.clone();
                let annotations = c.annotations.clone();
                (c, RowShape::Instances(qs.model, related, annotations))
            }
            Some(v) => {
                let fields = values_fields(&reg, qs, v);
                let c = match v.fields.is_empty() {
                    true => compile(&reg, qs, Select::Columns(&fields))?,
                    false => compile(&reg, qs, Select::Values(v))?,
                };
                let kinds = fields
                    .iter()
                    .enumerate()
                    .map(|(i, p)| value_conv(&reg, qs, v, &c, i, p))
                    .collect();
                (c, RowShape::Values(fields, kinds, v.shape))
            }
        };
        let rows = self.db()?.stream(&c)?;
        Ok(QueryRows {
            rows: Some(rows),
            shape,
            registry: reg,
        })
    }

    pub(super) fn fetch_instances(
        &mut self,
        qs: &QuerySet,
        limit: Option<usize>,
    ) -> Result<Vec<Value>> {
        let mut q = qs.clone();
        q.values = None;
        if let Some(n) = limit {
            q.high = Some(q.low + n);
        }
        self.rows(&q)
    }

    /// `<QuerySet [...]>`, fetching 21 rows to know whether to truncate.
    pub(super) fn queryset_repr(&mut self, qs: &QuerySetValue) -> Result<String> {
        let mut rows = match qs.cached() {
            Some(rows) => rows.iter().take(21).cloned().collect(),
            None => {
                let mut q = qs.query.clone();
                q.high = Some(match q.high {
                    Some(h) => h.min(q.low + 21),
                    None => q.low + 21,
                });
                self.rows(&q)?
            }
        };
        if rows.len() > 20 {
            rows.truncate(20);
            rows.push(Value::str("...(remaining elements truncated)..."));
        }
        let inner = self.repr_value(&Value::list(rows))?;
        Ok(format!("<{} {inner}>", qs.class_name()))
    }

    /// `qs[i]` and `qs[a:b]`, with Django's rules for negative indexes.
    pub(crate) fn queryset_index(&mut self, qs: &QuerySetValue, index: &Value) -> Result<Value> {
        let negative = |v: &Value| matches!(v, Value::Int(i) if *i < 0);
        let is_negative = match index {
            Value::Slice(s) => negative(&s[0]) || negative(&s[1]),
            v => negative(v),
        };
        if let (Some(rows), false, Value::Int(_) | Value::Slice(_)) =
            (qs.cached(), is_negative, index)
        {
            // An evaluated queryset indexes its rows, as a list does.
            return crate::value::subscript::get_item(&Value::list(rows.to_vec()), index);
        }
        match index {
            Value::Int(i) if *i < 0 => {
                Err(Error::value_error("Negative indexing is not supported."))
            }
            Value::Int(i) => {
                let low = qs.low + *i as usize;
                if qs.high.is_some_and(|h| low >= h) {
                    return Err(Error::new("IndexError", "list index out of range"));
                }
                let rows = self.rows(&QuerySet {
                    low,
                    high: Some(low + 1),
                    ..qs.query.clone()
                })?;
                rows.into_iter()
                    .next()
                    .ok_or_else(|| Error::new("IndexError", "list index out of range"))
            }
            Value::Slice(s) => {
                let bound = |v: &Value| -> Result<Option<usize>> {
                    match v {
                        Value::None => Ok(None),
                        Value::Int(i) if *i < 0 => {
                            Err(Error::value_error("Negative indexing is not supported."))
                        }
                        Value::Int(i) => Ok(Some(*i as usize)),
                        other => Err(Error::type_error(format!(
                            "QuerySet indices must be integers or slices, not {}.",
                            other.type_name()
                        ))),
                    }
                };
                let (start, stop) = (bound(&s[0])?, bound(&s[1])?);
                let mut q = qs.query.clone();
                let low = qs.low + start.unwrap_or(0);
                let high = match (stop, qs.high) {
                    (Some(st), Some(h)) => Some((qs.low + st).min(h)),
                    (Some(st), None) => Some(qs.low + st),
                    (None, h) => h,
                };
                q.low = low;
                q.high = high.map(|h| h.max(low));
                if !matches!(s[2], Value::None) {
                    let items = self.rows(&q)?;
                    return crate::value::subscript::get_item(
                        &Value::list(items),
                        &crate::value::subscript::slice_value(
                            Value::None,
                            Value::None,
                            s[2].clone(),
                        ),
                    );
                }
                Ok(Value::queryset(q))
            }
            other => Err(Error::type_error(format!(
                "QuerySet indices must be integers or slices, not {}.",
                other.type_name()
            ))),
        }
    }
}

/// The fields a `values()` row names: those asked for, else every concrete
/// field (by attname for dicts, as Django's `values()` gives `author_id`)
/// and the annotations.
fn values_fields(reg: &Registry, qs: &QuerySet, v: &Values) -> Vec<String> {
    if !v.fields.is_empty() {
        return v.fields.clone();
    }
    let attname = v.shape == Shape::Dicts;
    reg.model(qs.model)
        .fields
        .iter()
        .map(|f| {
            if attname && f.kind.is_foreign_key() {
                f.column.clone()
            } else {
                f.name.clone()
            }
        })
        .chain(qs.annotations.iter().map(|a| a.name.clone()))
        .collect()
}

/// How the `i`th values() column (named `name`) converts: an annotation's
/// type comes from the compiler, a field from its resolved path.
fn value_conv(
    reg: &Registry,
    qs: &QuerySet,
    v: &Values,
    c: &crate::query::compile::Compiled,
    i: usize,
    name: &str,
) -> Conv {
    if let Some((_, o)) = c.annotations.iter().find(|(n, _)| n == name) {
        return Conv::Output(o.clone());
    }
    let field = match v.columns.as_ref().and_then(|cols| cols.get(i)) {
        Some(crate::query::ValueColumn::Path(path)) => path.transformed_field(reg),
        _ => crate::orm::rows::path_field(reg, qs.model, name),
    };
    field.map_or(Conv::Plain, |f| Conv::Field(Box::new(f)))
}

/// How one column of a values() row becomes a value.
enum Conv {
    Field(Box<Field>),
    Output(Output),
    Plain,
}

/// How the cells of a row become a value.
enum RowShape {
    /// An instance of the model, then each `select_related` object with the
    /// path that leads to it, then the annotations.
    Instances(ModelId, Vec<(Vec<String>, ModelId)>, Vec<(String, Output)>),
    /// A `values()` / `values_list()` row of these fields.
    Values(Vec<String>, Vec<Conv>, Shape),
}

/// A queryset's rows as values, converted as they come out of SQLite.
pub struct QueryRows {
    rows: Option<RowStream>,
    shape: RowShape,
    registry: Rc<Registry>,
}

impl QueryRows {
    fn empty(registry: Rc<Registry>) -> QueryRows {
        QueryRows {
            rows: None,
            shape: RowShape::Values(Vec::new(), Vec::new(), Shape::Dicts),
            registry,
        }
    }
}

impl Iterator for QueryRows {
    type Item = Result<Value>;

    fn next(&mut self) -> Option<Result<Value>> {
        let row = match self.rows.as_mut()?.next()? {
            Ok(row) => row,
            Err(e) => return Some(Err(e)),
        };
        let reg = &self.registry;
        Some(match &self.shape {
            RowShape::Instances(model, related, annotations) => {
                instance_with_related(reg, *model, related, annotations, row)
            }
            RowShape::Values(fields, kinds, shape) => row
                .into_iter()
                .zip(kinds)
                .map(|(x, k)| match k {
                    Conv::Field(f) => crate::orm::convert::from_db(reg, f, x),
                    Conv::Output(o) => crate::orm::rows::from_output(o, x),
                    Conv::Plain => Ok(crate::orm::rows::plain(&x)),
                })
                .collect::<Result<Vec<_>>>()
                .map(|vals| crate::orm::rows::shape_row(fields, vals, *shape)),
        })
    }
}

/// The instance a row holds, with its `select_related` objects cached on it
/// (and on each other, for paths deeper than one step).
fn instance_with_related(
    reg: &Registry,
    model: ModelId,
    related: &[(Vec<String>, ModelId)],
    annotations: &[(String, Output)],
    row: Row,
) -> Result<Value> {
    let mut cells = row.into_iter();
    let instance = take_instance(reg, model, &mut cells)?;
    let mut by_path: Vec<(&[String], Value)> = Vec::new();
    for (path, model) in related {
        let obj = take_instance(reg, *model, &mut cells)?;
        let obj = if matches!(crate::orm::orm_pk(&obj), Some(Value::None)) {
            Value::None
        } else {
            obj
        };
        let parent = match &path[..path.len() - 1] {
            [] => Some(instance.clone()),
            prefix => by_path
                .iter()
                .find(|(p, _)| *p == prefix)
                .map(|(_, v)| v.clone()),
        };
        if let Some(Value::Instance(p)) = parent {
            p.borrow_mut()
                .cache
                .insert(path[path.len() - 1].clone(), obj.clone());
        }
        by_path.push((path, obj));
    }
    if let Value::Instance(i) = &instance {
        let mut i = i.borrow_mut();
        for (name, out) in annotations {
            let v = crate::orm::rows::from_output(out, cells.next().unwrap_or(Sql::Null))?;
            i.extra.insert(name.clone(), v);
        }
    }
    Ok(instance)
}

/// The next cells of a row, one a field, as an instance of `model`.
fn take_instance(
    reg: &Registry,
    model: ModelId,
    cells: &mut impl Iterator<Item = Sql>,
) -> Result<Value> {
    let values = reg
        .model(model)
        .fields
        .iter()
        .map(|f| crate::orm::convert::from_db(reg, f, cells.next().unwrap_or(Sql::Null)))
        .collect::<Result<_>>()?;
    Ok(Value::Instance(Rc::new(std::cell::RefCell::new(
        Instance::new(reg, model, values, false),
    ))))
}
