//! What a person's table shows of a value, computed by the ORM (which
//! alone runs queries, and `__str__` through `Python`): a queryset as a grid of at most
//! `limit` rows whose ForeignKey columns come from the same query, an
//! instance as a record with its relations and their counts, a dict as
//! pairs. The renderers only lay these out.
//!
//! Also the rows of a queryset for scripts, one at a time: JSON and CSV
//! stream them, so memory does not grow with the result.

use crate::error::Result;
use crate::orm::Python;
use crate::orm::instance::Instance;
use crate::query::compile::{Select, compile};
use crate::query::{QuerySet, Shape};
use crate::schema::FieldKind;
use crate::value::{QuerySetValue, Value};
use std::cell::RefCell;
use std::rc::Rc;

/// One cell, with what it is (for alignment and colour).
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Null,
    Number(String),
    Text(String),
    Bool(bool),
    /// A related object: its `__str__` and its key.
    Relation {
        label: String,
        pk: String,
    },
    /// A relation of a record: how many objects, and the expression that
    /// fetches them (`author.books.all()`).
    Related {
        count: u64,
        access: String,
    },
    /// A stored value its field cannot hold: the raw value and Django's
    /// error for it, shown instead of a value Django would not give.
    Invalid(String, String),
}

/// Rows under named columns, and what the footer says.
#[derive(Clone, Debug, PartialEq)]
pub struct Grid {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// Whose rows, how many shown of how many: the footer's facts.
    pub footer: Option<Footer>,
    /// Rows left out by the limit.
    pub more: u64,
}

/// A grid's model, the rows it shows and the rows there are.
#[derive(Clone, Debug, PartialEq)]
pub struct Footer {
    pub model: String,
    pub shown: u64,
    pub total: u64,
}

/// One object: its model, key and `__str__`, its fields, and every
/// relation with a count.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    pub model: String,
    pub pk: String,
    pub label: String,
    pub fields: Vec<(String, Cell)>,
    pub related: Vec<(String, Cell)>,
}

/// A value as a person's table shows it.
#[derive(Clone, Debug, PartialEq)]
pub enum View {
    Grid(Grid),
    Record(Record),
    /// A dict (`aggregate()`): keys and values.
    Pairs(Vec<(String, Cell)>),
    /// Anything else, as `str()` shows it.
    Plain(String),
}

/// Django's attname: `category_id` for a ForeignKey, else the name.
fn attname(f: &crate::schema::Field) -> String {
    if f.kind.is_foreign_key() {
        format!("{}_id", f.name)
    } else {
        f.name.clone()
    }
}

impl dyn Python + '_ {
    /// How the default format shows `v`; `limit` rows at most (0: all).
    pub fn view(&mut self, v: &Value, limit: usize) -> Result<View> {
        Ok(match v {
            // Rows a field cannot hold still show, their cells marked.
            Value::QuerySet(qs) => {
                View::Grid(crate::orm::leniently(|| self.queryset_grid(qs, limit))?)
            }
            Value::Instance(i) => View::Record(self.instance_record(i)?),
            Value::Dict(d) => {
                let entries: Vec<(Value, Value)> = d.borrow().entries.values().cloned().collect();
                let mut pairs = Vec::new();
                for (k, v) in entries {
                    pairs.push((self.str_value(&k)?, self.cell(&v)?));
                }
                View::Pairs(pairs)
            }
            Value::Str(s) => View::Plain(s.to_string()),
            other => View::Plain(self.repr_value(other)?),
        })
    }

    /// A value as one cell.
    fn cell(&mut self, v: &Value) -> Result<Cell> {
        Ok(match v {
            Value::None => Cell::Null,
            Value::Bool(b) => Cell::Bool(*b),
            Value::Int(_) | Value::Float(_) | Value::Decimal(_) => Cell::Number(self.str_value(v)?),
            Value::Invalid(bad) => Cell::Invalid(bad.0.clone(), bad.1.clone()),
            Value::Instance(i) => {
                let pk = crate::value::repr::str(&i.borrow().pk());
                let label = self.instance_str(i)?;
                Cell::Relation { label, pk }
            }
            other => Cell::Text(self.str_value(other)?),
        })
    }

    fn queryset_grid(&mut self, qs: &QuerySetValue, limit: usize) -> Result<Grid> {
        let mut q = qs.query.clone();
        if limit > 0 {
            let high = q.low + limit + 1;
            q.high = Some(q.high.map_or(high, |h| h.min(high)));
        }
        let instances = q.values.is_none();
        if instances {
            // The related objects the ForeignKey columns show, and those
            // their __str__ reads, come in the same query.
            q.select_related = Some(self.grid_related_paths(q.model));
        }
        // An evaluated queryset shows the rows it holds, as its repr does.
        let rows = match qs.cached() {
            Some(rows) if limit > 0 => rows.iter().take(limit + 1).cloned().collect(),
            Some(rows) => rows.to_vec(),
            None => self.rows(&q)?,
        };
        let shown = if limit > 0 {
            rows.len().min(limit)
        } else {
            rows.len()
        };
        let more_rows = rows.len() > shown;
        let model = self.orm().registry.model(qs.model).name.clone();
        let mut grid = Grid {
            columns: self.grid_columns(qs),
            rows: Vec::new(),
            footer: None,
            more: 0,
        };
        for row in rows.into_iter().take(shown) {
            let cells = match &row {
                Value::Instance(i) => self.instance_cells(i, &qs.annotations)?,
                Value::Dict(d) => {
                    let values: Vec<Value> = d
                        .borrow()
                        .entries
                        .values()
                        .map(|(_, v)| v.clone())
                        .collect();
                    values.iter().map(|v| self.cell(v)).collect::<Result<_>>()?
                }
                Value::Tuple(t) => t.iter().map(|v| self.cell(v)).collect::<Result<_>>()?,
                Value::NamedRow(r) => r.1.iter().map(|v| self.cell(v)).collect::<Result<_>>()?,
                other => vec![self.cell(other)?],
            };
            grid.rows.push(cells);
        }
        let total = if more_rows {
            self.count(qs)? as u64
        } else {
            shown as u64
        };
        grid.more = total.saturating_sub(shown as u64);
        grid.footer = Some(Footer {
            model,
            shown: shown as u64,
            total,
        });
        Ok(grid)
    }

    /// The columns of a queryset's rows: its values() fields, else the
    /// model's concrete fields in declaration order and the annotations.
    pub fn grid_columns(&self, qs: &QuerySet) -> Vec<String> {
        let m = self.orm().registry.model(qs.model);
        match &qs.values {
            Some(v) if !v.fields.is_empty() => v.fields.clone(),
            Some(v) => m
                .fields
                .iter()
                .map(|f| {
                    if v.shape == Shape::Dicts && f.kind.is_foreign_key() {
                        f.column.clone()
                    } else {
                        f.name.clone()
                    }
                })
                .chain(qs.annotations.iter().map(|a| a.name.clone()))
                .collect(),
            None => m
                .fields
                .iter()
                .map(|f| f.name.clone())
                .chain(qs.annotations.iter().map(|a| a.name.clone()))
                .collect(),
        }
    }

    /// ForeignKeys of the model, and theirs (what a related `__str__` most
    /// often reads), as select_related paths.
    fn grid_related_paths(&self, model: crate::schema::ModelId) -> Vec<String> {
        let reg = &self.orm().registry;
        let mut out = Vec::new();
        for f in reg
            .model(model)
            .fields
            .iter()
            .filter(|f| f.kind.is_foreign_key())
        {
            out.push(f.name.clone());
            let Some(target) = f.relation.as_ref().map(|r| r.target) else {
                continue;
            };
            for g in reg
                .model(target)
                .fields
                .iter()
                .filter(|g| g.kind.is_foreign_key())
            {
                out.push(format!("{}__{}", f.name, g.name));
            }
        }
        out
    }

    fn instance_cells(
        &mut self,
        i: &Rc<RefCell<Instance>>,
        annotations: &[crate::query::Annotation],
    ) -> Result<Vec<Cell>> {
        let reg = self.orm().registry.clone();
        let model = i.borrow().model;
        let mut cells = Vec::new();
        for (idx, f) in reg.model(model).fields.iter().enumerate() {
            let cell = if f.kind.is_foreign_key() {
                let obj = self.instance_attr(i, &f.name)?;
                self.cell(&obj)?
            } else {
                let v = i.borrow().values[idx].clone();
                self.cell(&v)?
            };
            cells.push(cell);
        }
        let extra: Vec<Value> = {
            let b = i.borrow();
            annotations
                .iter()
                .map(|a| b.extra.get(&a.name).cloned().unwrap_or(Value::None))
                .collect()
        };
        for v in extra {
            cells.push(self.cell(&v)?);
        }
        Ok(cells)
    }

    fn instance_record(&mut self, i: &Rc<RefCell<Instance>>) -> Result<Record> {
        let reg = self.orm().registry.clone();
        let (model, pk) = {
            let b = i.borrow();
            (b.model, b.pk())
        };
        let m = reg.model(model);
        let label = self.instance_str(i)?;
        let mut fields = Vec::new();
        for (idx, f) in m.fields.iter().enumerate() {
            if f.kind.is_foreign_key() {
                continue;
            }
            let v = i.borrow().values[idx].clone();
            fields.push((f.name.clone(), self.cell(&v)?));
        }
        let extra: Vec<(String, Value)> = i
            .borrow()
            .extra
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        for (k, v) in extra {
            fields.push((k, self.cell(&v)?));
        }
        let mut related = Vec::new();
        let var = m.name.to_lowercase();
        for f in m.fields.iter().filter(|f| f.kind.is_foreign_key()) {
            let obj = self.instance_attr(i, &f.name)?;
            related.push((format!("{} →", f.name), self.cell(&obj)?));
        }
        if matches!(pk, Value::None) {
            return Ok(Record {
                model: m.name.clone(),
                pk: crate::value::repr::str(&pk),
                label,
                fields,
                related,
            });
        }
        let mut managers: Vec<String> = m.many_to_many.iter().map(|f| f.name.clone()).collect();
        for r in reg.reverse_relations(model) {
            if r.kind == FieldKind::OneToOneField {
                let obj = match self.instance_attr(i, &r.accessor) {
                    Ok(o) => o,
                    Err(e) if e.kind.ends_with("RelatedObjectDoesNotExist") => Value::None,
                    Err(e) => return Err(e),
                };
                related.push((format!("{} →", r.accessor), self.cell(&obj)?));
            } else {
                managers.push(r.accessor.clone());
            }
        }
        for name in managers {
            let Value::Manager(mgr) = self.instance_attr(i, &name)? else {
                continue;
            };
            let n = self.count(&mgr.queryset())?;
            related.push((
                format!("{name}:"),
                Cell::Related {
                    count: n as u64,
                    access: format!("{var}.{name}.all()"),
                },
            ));
        }
        Ok(Record {
            model: m.name.clone(),
            pk: crate::value::repr::str(&pk),
            label,
            fields,
            related,
        })
    }

    /// The rows of a queryset for JSON and CSV, streamed.
    pub fn stream_rows(&mut self, qs: &QuerySet) -> Result<crate::orm::QueryRows> {
        self.stream(qs)
    }

    /// An instance's fields by attname (`category_id`), then its
    /// annotations, as JSON and CSV give them.
    pub fn instance_fields(&self, v: &Value) -> Vec<(String, Value)> {
        let Value::Instance(i) = v else {
            return Vec::new();
        };
        let b = i.borrow();
        let m = self.orm().registry.model(b.model);
        let mut out: Vec<(String, Value)> = m
            .fields
            .iter()
            .zip(&b.values)
            .map(|(f, v)| (attname(f), v.clone()))
            .collect();
        out.extend(b.extra.iter().map(|(k, v)| (k.clone(), v.clone())));
        out
    }

    /// The header of a queryset's rows for CSV.
    pub fn csv_columns(&self, qs: &QuerySet) -> Vec<String> {
        match &qs.values {
            Some(_) => self.grid_columns(qs),
            None => {
                let m = self.orm().registry.model(qs.model);
                m.fields
                    .iter()
                    .map(attname)
                    .chain(qs.annotations.iter().map(|a| a.name.clone()))
                    .collect()
            }
        }
    }

    /// Compiles nothing but checks the queryset, so a broken one fails
    /// before any output starts.
    pub fn check_queryset(&self, qs: &QuerySet) -> Result<()> {
        compile(&self.orm().registry, qs, Select::Count).map(|_| ())
    }
}
