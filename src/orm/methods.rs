//! The queryset methods, one table: each method's name, Django's
//! signature, what it hands back, and the function that runs it. Calls,
//! completion and `help()` read the same table; managers have every
//! method but `delete()` (Django's `queryset_only`).

use crate::error::{Error, Result};
use crate::orm::Python;
use crate::orm::manager::{Manager, ManagerKind};
use crate::query::compile::{Select, check_ordering, check_select_related, compile};
use crate::query::{Filter, OrderBy, QuerySet, Shape};
use crate::value::Args;
use crate::value::{QuerySetValue, Value};
use std::rc::Rc;

/// What a method hands back, as completion follows a chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Returns {
    /// A queryset of the same model.
    QuerySet,
    /// One object of the model.
    Instance,
    /// Anything else: a number, a dict, rows of values.
    Value,
}

type Run = fn(&mut dyn Python, &Rc<QuerySetValue>, &str, Args) -> Result<Value>;

/// One queryset method.
pub struct Method {
    pub name: &'static str,
    /// Django's signature, as help() shows it: `(*fields, flat=False)`.
    pub signature: &'static str,
    pub returns: Returns,
    run: Run,
}

const fn method(name: &'static str, signature: &'static str, returns: Returns, run: Run) -> Method {
    Method {
        name,
        signature,
        returns,
        run,
    }
}

/// Every queryset method, in the order completion offers them.
pub const QUERYSET_METHODS: &[Method] = &[
    method("all", "()", Returns::QuerySet, all),
    method("filter", "(*args, **kwargs)", Returns::QuerySet, filter),
    method("exclude", "(*args, **kwargs)", Returns::QuerySet, filter),
    method("order_by", "(*fields)", Returns::QuerySet, order_by),
    method("reverse", "()", Returns::QuerySet, reverse),
    method("distinct", "(*fields)", Returns::QuerySet, distinct),
    method(
        "values",
        "(*fields, **expressions)",
        Returns::QuerySet,
        values,
    ),
    method(
        "values_list",
        "(*fields, flat=False, named=False)",
        Returns::QuerySet,
        values,
    ),
    method("none", "()", Returns::QuerySet, none),
    method(
        "select_related",
        "(*fields)",
        Returns::QuerySet,
        select_related,
    ),
    method("prefetch_related", "(*lookups)", Returns::QuerySet, all),
    method("only", "(*fields)", Returns::QuerySet, all),
    method("defer", "(*fields)", Returns::QuerySet, all),
    method("get", "(*args, **kwargs)", Returns::Instance, get),
    method("count", "()", Returns::Value, count),
    method("exists", "()", Returns::Value, exists),
    method("first", "()", Returns::Instance, first),
    method("last", "()", Returns::Instance, first),
    method("create", "(**kwargs)", Returns::Instance, create),
    method("latest", "(*fields)", Returns::Instance, latest),
    method("earliest", "(*fields)", Returns::Instance, latest),
    method(
        "in_bulk",
        "(id_list=None, *, field_name='pk')",
        Returns::Value,
        in_bulk,
    ),
    method("iterator", "(chunk_size=None)", Returns::Value, iterator),
    method(
        "explain",
        "(format=None, **options)",
        Returns::Value,
        explain,
    ),
    method("delete", "()", Returns::Value, delete),
    method("update", "(**kwargs)", Returns::Value, update),
    method(
        "get_or_create",
        "(defaults=None, **kwargs)",
        Returns::Value,
        get_or_create,
    ),
    method(
        "update_or_create",
        "(defaults=None, create_defaults=None, **kwargs)",
        Returns::Value,
        update_or_create,
    ),
    method(
        "bulk_create",
        "(objs, batch_size=None, ignore_conflicts=False)",
        Returns::Value,
        bulk_create,
    ),
    method(
        "bulk_update",
        "(objs, fields, batch_size=None)",
        Returns::Value,
        bulk_update,
    ),
    method("annotate", "(*args, **kwargs)", Returns::QuerySet, annotate),
    method("aggregate", "(*args, **kwargs)", Returns::Value, aggregate),
    method("dates", "(field, kind, order='ASC')", Returns::Value, dates),
    method(
        "datetimes",
        "(field_name, kind, order='ASC', tzinfo=None)",
        Returns::Value,
        datetimes,
    ),
];

/// The method called `name`, if querysets have one.
pub fn find(name: &str) -> Option<&'static Method> {
    QUERYSET_METHODS.iter().find(|m| m.name == name)
}

impl dyn Python + '_ {
    /// `qs.name(*args)`.
    pub(crate) fn queryset_method(
        &mut self,
        qs: &Rc<QuerySetValue>,
        name: &str,
        args: Args,
    ) -> Result<Value> {
        match find(name) {
            Some(m) => {
                let made = (m.run)(self, qs, name, args)?;
                Ok(crate::orm::custom::keep_class(qs, made))
            }
            None => Err(Error::new(
                "AttributeError",
                format!("'{}' object has no attribute '{name}'", qs.class_name()),
            )),
        }
    }
}

fn new_qs(q: QuerySet) -> Result<Value> {
    Ok(Value::queryset(q))
}

/// Django's refusal to reorder, reverse or make distinct a sliced queryset.
fn not_sliced(qs: &QuerySetValue, name: &str) -> Result<()> {
    if !qs.is_sliced() {
        return Ok(());
    }
    Err(Error::type_error(match name {
        "order_by" => "Cannot reorder a query once a slice has been taken.",
        "reverse" => "Cannot reverse a query once a slice has been taken.",
        _ => "Cannot create distinct fields once a slice has been taken.",
    }))
}

fn all(_me: &mut dyn Python, qs: &Rc<QuerySetValue>, _name: &str, _args: Args) -> Result<Value> {
    new_qs(qs.query.clone())
}

fn select_related(
    me: &mut dyn Python,
    qs: &Rc<QuerySetValue>,
    name: &str,
    args: Args,
) -> Result<Value> {
    let mut q = qs.query.clone();
    if matches!(args.pos.first(), Some(Value::None)) {
        q.select_related = None;
    } else {
        let names = args
            .pos
            .iter()
            .map(|v| me.text_arg(v, name))
            .collect::<Result<Vec<_>>>()?;
        let mut all = q.select_related.take().unwrap_or_default();
        all.extend(names);
        // Unknown names fail now, as in Django.
        check_select_related(&me.orm().registry, q.model, &all)?;
        q.select_related = Some(all);
    }
    new_qs(q)
}

fn filter(me: &mut dyn Python, qs: &Rc<QuerySetValue>, name: &str, args: Args) -> Result<Value> {
    if qs.is_sliced() {
        return Err(Error::type_error(
            "Cannot filter a query once a slice has been taken.",
        ));
    }
    let node = me.q_from_args(&qs.query, args)?;
    let mut q = qs.query.clone();
    q.filters.push(Filter {
        negated: name == "exclude",
        node,
    });
    new_qs(q)
}

fn order_by(me: &mut dyn Python, qs: &Rc<QuerySetValue>, name: &str, args: Args) -> Result<Value> {
    not_sliced(qs, name)?;
    let mut q = qs.query.clone();
    let mut names = Vec::new();
    for v in &args.pos {
        names.push(match v {
            Value::Expr(e) => OrderBy::Expr(crate::orm::resolve::resolve(
                e,
                &me.orm().registry,
                &qs.query,
            )?),
            other => {
                let name = me.text_arg(other, "order_by")?;
                crate::query::compile::order_term(&me.orm().registry, &qs.query, &name)?
            }
        });
    }
    q.order_by = Some(names);
    q.reversed = false;
    // Unknown names fail now, as in Django.
    check_ordering(&me.orm().registry, &q)?;
    new_qs(q)
}

fn reverse(_me: &mut dyn Python, qs: &Rc<QuerySetValue>, name: &str, _args: Args) -> Result<Value> {
    not_sliced(qs, name)?;
    new_qs(QuerySet {
        reversed: !qs.reversed,
        ..qs.query.clone()
    })
}

fn distinct(
    _me: &mut dyn Python,
    qs: &Rc<QuerySetValue>,
    name: &str,
    _args: Args,
) -> Result<Value> {
    not_sliced(qs, name)?;
    new_qs(QuerySet {
        distinct: true,
        ..qs.query.clone()
    })
}

fn none(_me: &mut dyn Python, qs: &Rc<QuerySetValue>, _name: &str, _args: Args) -> Result<Value> {
    new_qs(QuerySet {
        empty: true,
        ..qs.query.clone()
    })
}

fn values(
    me: &mut dyn Python,
    qs: &Rc<QuerySetValue>,
    name: &str,
    mut args: Args,
) -> Result<Value> {
    let flat = args.take_kw("flat").is_some_and(|v| v.truthy());
    let named = args.take_kw("named").is_some_and(|v| v.truthy());
    // values(low=Lower('name')): annotate, then select by name.
    let expressions = match name {
        "values" => std::mem::take(&mut args.kw),
        _ => Vec::new(),
    };
    args.no_kw(name)?;
    let mut fields = args
        .pos
        .iter()
        .map(|v| me.text_arg(v, name))
        .collect::<Result<Vec<_>>>()?;
    let base = if expressions.is_empty() {
        qs.clone()
    } else {
        fields.extend(expressions.iter().map(|(k, _)| k.clone()));
        let annotated = me.annotate(
            qs,
            Args {
                pos: Vec::new(),
                kw: expressions,
            },
        )?;
        match annotated {
            Value::QuerySet(q) => q,
            _ => qs.clone(),
        }
    };
    if flat && fields.len() > 1 {
        return Err(Error::type_error(
            "'flat' is not valid when values_list is called with more than one field.",
        ));
    }
    let shape = match (name, flat, named) {
        ("values", _, _) => Shape::Dicts,
        (_, true, _) => Shape::Flat,
        (_, _, true) => Shape::Named,
        _ => Shape::Tuples,
    };
    // The names are resolved now: a mistake fails here, as in Django.
    let values =
        crate::query::compile::resolve_values(&me.orm().registry, &base.query, fields, shape)?;
    let mut q = base.query.clone();
    q.values = Some(values);
    new_qs(q)
}

fn count(me: &mut dyn Python, qs: &Rc<QuerySetValue>, _name: &str, _args: Args) -> Result<Value> {
    match qs.cached() {
        Some(rows) => Ok(Value::Int(rows.len() as i64)),
        None => me.count(qs).map(Value::Int),
    }
}

/// Django forgets the rows it had once they are written.
fn delete(me: &mut dyn Python, qs: &Rc<QuerySetValue>, _name: &str, _args: Args) -> Result<Value> {
    let done = me.delete_queryset(qs);
    qs.cache.replace(None);
    done
}

fn update(me: &mut dyn Python, qs: &Rc<QuerySetValue>, _name: &str, args: Args) -> Result<Value> {
    let done = me.update(qs, args);
    qs.cache.replace(None);
    done
}

fn annotate(me: &mut dyn Python, qs: &Rc<QuerySetValue>, _name: &str, args: Args) -> Result<Value> {
    me.annotate(qs, args)
}

fn dates(me: &mut dyn Python, qs: &Rc<QuerySetValue>, _name: &str, args: Args) -> Result<Value> {
    me.dates(qs, args)
}

fn datetimes(
    me: &mut dyn Python,
    qs: &Rc<QuerySetValue>,
    _name: &str,
    args: Args,
) -> Result<Value> {
    me.datetimes(qs, args)
}

fn aggregate(
    me: &mut dyn Python,
    qs: &Rc<QuerySetValue>,
    _name: &str,
    args: Args,
) -> Result<Value> {
    me.aggregate(qs, args)
}

fn get_or_create(
    me: &mut dyn Python,
    qs: &Rc<QuerySetValue>,
    _name: &str,
    args: Args,
) -> Result<Value> {
    me.get_or_create(qs, args, None)
}

fn update_or_create(
    me: &mut dyn Python,
    qs: &Rc<QuerySetValue>,
    _name: &str,
    args: Args,
) -> Result<Value> {
    me.update_or_create(qs, args, None)
}

fn bulk_create(
    me: &mut dyn Python,
    qs: &Rc<QuerySetValue>,
    _name: &str,
    args: Args,
) -> Result<Value> {
    me.bulk_create(qs.model, args)
}

fn bulk_update(
    me: &mut dyn Python,
    qs: &Rc<QuerySetValue>,
    _name: &str,
    args: Args,
) -> Result<Value> {
    me.bulk_update(qs.model, args)
}

fn exists(me: &mut dyn Python, qs: &Rc<QuerySetValue>, _name: &str, _args: Args) -> Result<Value> {
    match qs.cached() {
        Some(rows) => Ok(Value::Bool(!rows.is_empty())),
        None => me.exists(qs).map(Value::Bool),
    }
}

fn get(me: &mut dyn Python, qs: &Rc<QuerySetValue>, _name: &str, args: Args) -> Result<Value> {
    let node = me.q_from_args(&qs.query, args)?;
    let mut q = qs.query.clone();
    q.filters.push(Filter {
        negated: false,
        node,
    });
    me.get_one(&q)
}

fn first(me: &mut dyn Python, qs: &Rc<QuerySetValue>, name: &str, _args: Args) -> Result<Value> {
    let mut q = qs.query.clone();
    let ordered = q.order_by.as_ref().map_or(
        !me.orm().registry.model(q.model).meta.ordering.is_empty(),
        |o| !o.is_empty(),
    );
    // `self[:1]` of an ordered queryset that was evaluated
    // is its first row.
    if let (true, "first", Some(rows)) = (ordered, name, qs.cached()) {
        return Ok(rows.first().cloned().unwrap_or(Value::None));
    }
    if !ordered {
        q.order_by = Some(vec![OrderBy::Name("pk".into())]);
    }
    if name == "last" {
        q.reversed = !q.reversed;
    }
    let rows = me.rows(&QuerySet {
        high: Some(q.low + 1),
        ..q
    })?;
    Ok(rows.into_iter().next().unwrap_or(Value::None))
}

fn latest(me: &mut dyn Python, qs: &Rc<QuerySetValue>, name: &str, args: Args) -> Result<Value> {
    me.latest(qs, &args, name == "latest")
}

fn explain(me: &mut dyn Python, qs: &Rc<QuerySetValue>, _name: &str, _args: Args) -> Result<Value> {
    let c = compile(&me.orm().registry, qs, Select::Rows)?;
    let plan = crate::query::compile::Compiled {
        sql: format!("EXPLAIN QUERY PLAN {}", c.sql),
        params: c.params,
        ..Default::default()
    };
    let lines = me
        .db()?
        .stream(&plan)?
        .map(|row| {
            row.map(|cells| {
                cells
                    .iter()
                    .map(|c| crate::value::repr::str(&crate::orm::rows::plain(c)))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Value::str(lines.join("\n")))
}

fn iterator(
    me: &mut dyn Python,
    qs: &Rc<QuerySetValue>,
    _name: &str,
    _args: Args,
) -> Result<Value> {
    Ok(Value::lazy_iterator("generator", me.stream(qs)?))
}

fn in_bulk(
    me: &mut dyn Python,
    qs: &Rc<QuerySetValue>,
    _name: &str,
    mut args: Args,
) -> Result<Value> {
    let field = match args.take_kw("field_name") {
        Some(v) => me.text_arg(&v, "in_bulk")?,
        None => "pk".to_string(),
    };
    args.no_kw("in_bulk")?;
    let m = me.orm().registry.model(qs.model);
    if field != "pk"
        && !m
            .fields
            .iter()
            .any(|f| f.name == field && (f.unique || f.primary_key))
    {
        return Err(Error::value_error(format!(
            "in_bulk()'s field_name must be a unique field but '{field}' isn't."
        )));
    }
    let mut q = qs.query.clone();
    if let Some(ids) = args.pos.first().filter(|v| !matches!(v, Value::None)) {
        if !me.truthy(ids)? {
            return Ok(Value::dict(Default::default()));
        }
        let key = format!("{field}__in");
        let node = crate::orm::prepare::condition(&me.orm().registry, &q, key, ids)?;
        q.filters.push(Filter {
            negated: false,
            node,
        });
    }
    let mut d = crate::value::Dict::default();
    for obj in me.rows(&q)? {
        let key = me.get_attr(&obj, &field)?;
        d.insert(key, obj)?;
    }
    Ok(Value::dict(d))
}

fn create(me: &mut dyn Python, qs: &Rc<QuerySetValue>, name: &str, args: Args) -> Result<Value> {
    me.manager_method(
        &Rc::new(Manager {
            model: qs.model,
            core: None,
            core_node: None,
            kind: ManagerKind::Objects,
            owner: None,
            custom: None,
        }),
        name,
        args,
    )
}
