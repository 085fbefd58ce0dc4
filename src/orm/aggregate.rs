//! `annotate()` and `aggregate()`: naming expressions as Django does
//! (`book__count` when no name is given), refusing what Django refuses, and
//! reading the aggregates back with their Python types.

use crate::error::{Error, Result};
use crate::orm::Python;
use crate::query::compile::annotate::compile_aggregate;
use crate::query::{Annotation, QuerySet};
use crate::value::Args;
use crate::value::expr::Expression;
use crate::value::{Dict, Value};

/// `annotate(Count('x'))` and `aggregate(Sum('y'))` name positional
/// expressions by their default alias.
fn default_alias(e: &Expression, what: &str) -> Result<String> {
    e.default_alias()
        .ok_or_else(|| Error::type_error(format!("Complex {what} require an alias")))
}

fn expression(v: &Value, method: &str) -> Result<Expression> {
    match v {
        Value::Expr(e) => Ok((**e).clone()),
        other => Err(Error::type_error(format!(
            "QuerySet.{method}() received non-expression(s): {}.",
            crate::value::repr::str(other)
        ))),
    }
}

impl dyn Python + '_ {
    /// `qs.annotate(...)`: a new queryset whose rows carry the values.
    pub(super) fn annotate(&mut self, qs: &QuerySet, args: Args) -> Result<Value> {
        let mut named: Vec<(String, Expression)> = Vec::new();
        for v in &args.pos {
            let e = expression(v, "annotate")?;
            let alias = default_alias(&e, "annotations")?;
            if args.kw.iter().any(|(k, _)| *k == alias) {
                return Err(Error::value_error(format!(
                    "The named annotation '{alias}' conflicts with the default name for another annotation."
                )));
            }
            named.push((alias, e));
        }
        for (k, v) in &args.kw {
            named.push((k.clone(), expression(v, "annotate")?));
        }
        let model = self.orm().registry.model(qs.model);
        // After values(), only its fields are taken (Django's `_fields`).
        let values_fields = qs.values.as_ref().map(|v| v.fields.clone());
        let taken = |name: &str| {
            if let Some(fields) = values_fields.as_ref().filter(|f| !f.is_empty()) {
                return fields.iter().any(|f| f == name);
            }
            model
                .fields
                .iter()
                .any(|f| f.name == name || f.column == name)
                || model.many_to_many.iter().any(|f| f.name == name)
                || self
                    .orm()
                    .registry
                    .reverse_relations(qs.model)
                    .iter()
                    .any(|r| r.query_name == name)
        };
        if let Some((name, _)) = named.iter().find(|(n, _)| taken(n)) {
            return Err(Error::value_error(format!(
                "The annotation '{name}' conflicts with a field on the model."
            )));
        }
        let named = named
            .into_iter()
            .map(|(n, e)| {
                Ok((
                    n,
                    crate::orm::resolve::resolve(&e, &self.orm().registry, qs)?,
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        let mut q = qs.clone();
        let aggregates = named.iter().any(|(_, e)| e.has_aggregate());
        if let Some(v) = &mut q.values {
            // values() before annotate(): group by those fields, and the
            // annotations join the values.
            if aggregates && q.group_by.is_none() {
                q.group_by = Some(v.fields.clone());
            }
            if !v.fields.is_empty() {
                v.fields.extend(named.iter().map(|(n, _)| n.clone()));
                if let Some(columns) = &mut v.columns {
                    columns.extend(
                        named
                            .iter()
                            .map(|(n, _)| crate::query::ValueColumn::Annotation(n.clone())),
                    );
                }
            }
        }
        let after = q.filters.len();
        for (name, expr) in named {
            q.annotations.retain(|a| a.name != name);
            q.annotations.push(Annotation { name, expr, after });
        }
        // Django resolves the expressions at once: a mistake fails here.
        crate::query::compile::check_annotations(&self.orm().registry, &q)?;
        Ok(Value::queryset(q))
    }

    /// `qs.aggregate(...)`: a dict of values, keywords first, then the
    /// positional ones by their default alias (as Django builds it).
    pub(super) fn aggregate(&mut self, qs: &QuerySet, args: Args) -> Result<Value> {
        let mut named: Vec<(String, Expression)> = Vec::new();
        for (k, v) in &args.kw {
            named.push((k.clone(), expression(v, "aggregate")?));
        }
        for v in &args.pos {
            let e = expression(v, "aggregate")?;
            let alias = default_alias(&e, "aggregates")?;
            match named.iter_mut().find(|(n, _)| *n == alias) {
                Some(slot) => slot.1 = e,
                None => named.push((alias, e)),
            }
        }
        // Resolved first, then checked, as Django's aggregate() does.
        let resolved = named
            .iter()
            .map(|(n, e)| {
                Ok((
                    n.clone(),
                    crate::orm::resolve::resolve(e, &self.orm().registry, qs)?,
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        for (name, e) in &resolved {
            crate::query::compile::check_expression(&self.orm().registry, qs, e)?;
            if !e.has_aggregate() {
                return Err(Error::type_error(format!(
                    "{name} is not an aggregate expression"
                )));
            }
        }
        let mut d = Dict::default();
        if qs.empty {
            for (name, e) in &named {
                d.insert(Value::str(name.as_str()), empty_result(e))?;
            }
            return Ok(Value::dict(d));
        }
        let (c, outputs) = compile_aggregate(&self.orm().registry, qs, &resolved)?;
        let row = self
            .db()?
            .stream(&c)?
            .next()
            .transpose()?
            .unwrap_or_default();
        for (((name, _), out), cell) in named.iter().zip(&outputs).zip(row) {
            d.insert(
                Value::str(name.as_str()),
                crate::orm::rows::from_output(out, cell)?,
            )?;
        }
        Ok(Value::dict(d))
    }
}

impl dyn Python + '_ {
    /// `qs.dates(field, kind, order='ASC')`: the distinct dates, cut to
    /// the year, month, week or day, as `datetime.date` values.
    pub(super) fn dates(&mut self, qs: &QuerySet, args: Args) -> Result<Value> {
        self.truncated(qs, args, false)
    }

    /// `qs.datetimes(field, kind, order='ASC')`: the same, down to the
    /// hour, minute or second, as `datetime.datetime` values.
    pub(super) fn datetimes(&mut self, qs: &QuerySet, args: Args) -> Result<Value> {
        self.truncated(qs, args, true)
    }

    fn truncated(&mut self, qs: &QuerySet, mut args: Args, datetimes: bool) -> Result<Value> {
        let method = if datetimes { "datetimes" } else { "dates" };
        let order = args.take_kw("order");
        if datetimes
            && args
                .take_kw("tzinfo")
                .is_some_and(|t| !matches!(t, Value::None))
        {
            return Err(Error::new(
                "NotImplementedError",
                "datetimes(tzinfo=...) is not supported yet",
            ));
        }
        args.no_kw(method)?;
        let text = |v: Option<&Value>| match v {
            Some(Value::Str(s)) => Some(s.to_string()),
            _ => None,
        };
        let (Some(field), Some(kind)) = (text(args.pos.first()), text(args.pos.get(1))) else {
            return Err(Error::type_error(format!(
                "QuerySet.{method}() missing 2 required positional arguments: 'field_name' and 'kind'"
            )));
        };
        let function = match (kind.as_str(), datetimes) {
            ("year", false) => "TruncYear",
            ("month", false) => "TruncMonth",
            ("week", false) => "TruncWeek",
            ("day", false) => "TruncDay",
            ("year", true) => "DateTimeTruncYear",
            ("month", true) => "DateTimeTruncMonth",
            ("week", true) => "DateTimeTruncWeek",
            ("day", true) => "DateTimeTruncDay",
            ("hour", true) => "DateTimeTruncHour",
            ("minute", true) => "DateTimeTruncMinute",
            ("second", true) => "DateTimeTruncSecond",
            (_, false) => {
                return Err(Error::value_error(
                    "'kind' must be one of 'year', 'month', 'week', or 'day'.",
                ));
            }
            (_, true) => {
                return Err(Error::value_error(
                    "'kind' must be one of 'year', 'month', 'week', 'day', 'hour', 'minute', or 'second'.",
                ));
            }
        };
        let descending = match text(order.as_ref()).as_deref() {
            None | Some("ASC") => false,
            Some("DESC") => true,
            Some(_) => {
                return Err(Error::value_error(
                    "'order' must be either 'ASC' or 'DESC'.",
                ));
            }
        };
        let mut q = qs.clone();
        let name = if datetimes {
            "datetimefield"
        } else {
            "datefield"
        }
        .to_string();
        q.annotations.push(Annotation {
            name: name.clone(),
            expr: crate::query::Expr::Func(function, vec![crate::query::Expr::F(field)]),
            after: q.filters.len(),
        });
        q.values = Some(crate::query::Values::of(
            vec![name.clone()],
            crate::query::Shape::Flat,
        ));
        q.distinct = true;
        q.filters.push(crate::query::Filter {
            negated: false,
            node: crate::orm::prepare::condition(
                &self.orm().registry,
                &q,
                format!("{name}__isnull"),
                &Value::Bool(false),
            )?,
        });
        q.order_by = Some(vec![crate::query::OrderBy::Name(if descending {
            format!("-{name}")
        } else {
            name
        })]);
        Ok(Value::queryset(q))
    }
}

/// What an aggregate over `none()` gives: Count 0, the others None (or
/// their default).
fn empty_result(e: &Expression) -> Value {
    match e {
        Expression::Aggregate {
            default: Some(d), ..
        } => match &**d {
            Expression::Value(v) => v.clone(),
            _ => Value::None,
        },
        Expression::Aggregate {
            function: "Count", ..
        } => Value::Int(0),
        _ => Value::None,
    }
}
