//! The one compiler: a [`QuerySet`] to one SQL statement and its parameters.
//!
//! Django's join rules, mirrored:
//! - a ForeignKey/OneToOne join (single-valued) is made once and reused;
//! - a reverse ForeignKey or ManyToMany join (multi-valued) is shared by the
//!   conditions of one `filter()` call, and each call makes its own, so
//!   separate calls may match different related rows;
//! - in `exclude()`, a condition across a multi-valued relation becomes a
//!   subquery (`pk IN (…)`), excluding objects for which any related row
//!   matches; nullable columns get Django's `IS NOT NULL` guard;
//! - joins under OR, NOT or `isnull=True` are LEFT OUTER.
//!
//! Identifiers come from the registry and are quoted; values are bound.

use super::lookups::{LOOKUPS, bind, lookup_sql, renumber, transform, transform_sql, unsupported};
use super::resolve::{Name, cannot_resolve, find, is_multi_valued};
use super::{QNode, QuerySet};
use crate::engine::Value;
use crate::engine::expr::Expression;
use crate::error::{Error, Result};
use crate::schema::ddl::quote;
use crate::schema::{Field, FieldKind, ModelId, Registry};
use rusqlite::types::Value as Sql;

/// SQL text and its bound parameters.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Compiled {
    pub sql: String,
    pub params: Vec<Sql>,
    /// For `select_related`: after the model's columns, each related
    /// model's columns, in this order, with the path that leads to it.
    pub related: Vec<(Vec<String>, ModelId)>,
    /// After those, each annotation's column (`annotate()`), by name.
    pub annotations: Vec<(String, annotate::Output)>,
}

impl Compiled {
    /// The SQL with its parameters written in, as Django's `str(qs.query)`
    /// shows it (for reading only: it is never run).
    pub fn display(&self) -> String {
        inline_params(&self.sql, &self.params)
    }
}

/// SQL with its parameters written in, for reading only (`qs.query`,
/// `.sql on`); never run.
pub fn inline_params(sql: &str, params: &[Sql]) -> String {
    let shown = |p: Option<&Sql>| match p {
        Some(Sql::Null) => "None".to_string(),
        Some(Sql::Integer(i)) => i.to_string(),
        Some(Sql::Real(r)) => crate::engine::repr::float_repr(*r),
        Some(Sql::Text(t)) => t.clone(),
        Some(Sql::Blob(_)) | None => "?".to_string(),
    };
    let mut next = 0;
    let mut out = String::new();
    let mut chars = sql.chars().peekable();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, '?') => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                let index = digits.parse::<usize>().map_or(next, |n| n - 1);
                next = index + 1;
                out.push_str(&shown(params.get(index)));
                continue;
            }
            _ => {}
        }
        out.push(c);
    }
    out
}

/// What the statement returns.
pub mod annotate;
mod joins;
pub mod write;

pub enum Select<'a> {
    /// Every concrete column of the model, in `fields` order.
    Rows,
    /// The given paths (values()/values_list()); each is one column.
    Columns(&'a [String]),
    Count,
    Exists,
}

pub fn compile(reg: &Registry, qs: &QuerySet, select: Select) -> Result<Compiled> {
    let mut q = Query::new(reg, qs.model, "");
    let (conditions, having) = q.conditions(qs)?;
    let grouped = q.grouped();
    if grouped && matches!(select, Select::Count) {
        // Counting groups: count the rows of the grouped query.
        let mut inner = qs.clone();
        inner.order_by = Some(Vec::new());
        let inner = compile(reg, &inner, Select::Rows)?;
        return Ok(Compiled {
            sql: format!("SELECT COUNT(*) FROM ({}) subquery", inner.sql),
            params: inner.params,
            related: Vec::new(),
            annotations: Vec::new(),
        });
    }
    let mut columns = match &select {
        Select::Rows => q.model_columns(qs.model, &q.base_alias.clone()),
        Select::Columns(paths) => paths
            .iter()
            .map(|p| q.select_path(p))
            .collect::<Result<Vec<_>>>()?,
        Select::Count | Select::Exists => Vec::new(),
    };
    // select_related: join each path and select its model's columns too.
    let mut related = Vec::new();
    let mut related_columns = Vec::new();
    if let (Select::Rows, Some(names)) = (&select, &qs.select_related) {
        for (path, model) in related_paths(reg, qs.model, names)? {
            let mut to_pk = path.clone();
            to_pk.push(reg.model(model).pk().name.clone());
            let target = q.walk(&to_pk, None)?;
            related_columns.extend(q.model_columns(model, &target.alias));
            related.push((path, model));
        }
    }
    columns.extend(related_columns.iter().cloned());
    let mut annotations = Vec::new();
    if let Select::Rows = select {
        for a in &q.annots {
            columns.push(format!("{} AS {}", a.sql, quote(&a.name)));
            annotations.push((a.name.clone(), a.output.clone()));
        }
    }
    // Django leaves Meta.ordering out of a GROUP BY query.
    let ordering = match select {
        Select::Rows | Select::Columns(_) if !(grouped && qs.order_by.is_none()) => {
            q.ordering(qs)?
        }
        _ => Vec::new(),
    };
    let group_by = if grouped {
        q.group_by(qs, &related_columns, &ordering)?
    } else {
        Vec::new()
    };
    // With DISTINCT, Django selects the ordering columns too, so rows that
    // differ only there stay apart.
    if qs.distinct {
        for (expr, _) in &ordering {
            if !columns.contains(expr) && expr != "RANDOM()" {
                columns.push(expr.clone());
            }
        }
    }
    let ordering: Vec<String> = ordering
        .into_iter()
        .map(|(expr, desc)| {
            if expr == "RANDOM()" {
                expr
            } else if desc {
                format!("{expr} DESC")
            } else {
                format!("{expr} ASC")
            }
        })
        .collect();
    let mut sql = String::from("SELECT ");
    if qs.distinct {
        sql.push_str("DISTINCT ");
    }
    match select {
        Select::Count if qs.distinct || qs.is_sliced() => {
            let inner = compile(reg, qs, Select::Rows)?;
            return Ok(Compiled {
                sql: format!("SELECT COUNT(*) FROM ({}) subquery", inner.sql),
                params: inner.params,
                related: Vec::new(),
                annotations: Vec::new(),
            });
        }
        Select::Count => sql.push_str("COUNT(*) AS \"__count\""),
        Select::Exists => sql.push_str("1 AS \"a\""),
        _ => sql.push_str(&columns.join(", ")),
    }
    sql.push_str(&q.sql_from());
    if !conditions.is_empty() {
        sql.push_str(&format!(" WHERE {}", conditions.join(" AND ")));
    }
    if !group_by.is_empty() {
        sql.push_str(&format!(" GROUP BY {}", group_by.join(", ")));
    }
    if !having.is_empty() {
        sql.push_str(&format!(" HAVING {}", having.join(" AND ")));
    }
    if !ordering.is_empty() {
        sql.push_str(&format!(" ORDER BY {}", ordering.join(", ")));
    }
    match (select_is_exists(&sql), qs.high) {
        (true, _) => sql.push_str(" LIMIT 1"),
        (false, Some(high)) => sql.push_str(&format!(" LIMIT {}", high.saturating_sub(qs.low))),
        (false, None) if qs.low > 0 => sql.push_str(" LIMIT -1"),
        _ => {}
    }
    if qs.low > 0 {
        sql.push_str(&format!(" OFFSET {}", qs.low));
    }
    Ok(Compiled {
        sql,
        params: q.params,
        related,
        annotations,
    })
}

/// The ForeignKey paths `select_related` fetches, each prefix first
/// (`book__publisher` needs `book`). No names: every non-null ForeignKey,
/// followed up to five levels, as Django does.
fn related_paths(
    reg: &Registry,
    model: ModelId,
    names: &[String],
) -> Result<Vec<(Vec<String>, ModelId)>> {
    let mut out: Vec<(Vec<String>, ModelId)> = Vec::new();
    if names.is_empty() {
        fn follow(
            reg: &Registry,
            model: ModelId,
            prefix: Vec<String>,
            out: &mut Vec<(Vec<String>, ModelId)>,
        ) {
            if prefix.len() >= 5 {
                return;
            }
            for f in reg
                .model(model)
                .fields
                .iter()
                .filter(|f| f.kind.is_foreign_key() && !f.null)
            {
                let target = f.relation.as_ref().map(|r| r.target).unwrap_or(model);
                let mut path = prefix.clone();
                path.push(f.name.clone());
                out.push((path.clone(), target));
                follow(reg, target, path, out);
            }
        }
        follow(reg, model, Vec::new(), &mut out);
        return Ok(out);
    }
    for name in names {
        let mut current = model;
        let mut path = Vec::new();
        for part in name.split("__") {
            let field = reg
                .model(current)
                .fields
                .iter()
                .find(|f| f.name == part && f.kind.is_foreign_key());
            let Some(f) = field else {
                let choices: Vec<&str> = reg
                    .model(current)
                    .fields
                    .iter()
                    .filter(|f| f.kind.is_foreign_key())
                    .map(|f| f.name.as_str())
                    .collect();
                return Err(Error::new(
                    "FieldError",
                    format!(
                        "Invalid field name(s) given in select_related: '{part}'. Choices are: {}",
                        if choices.is_empty() {
                            "(none)".to_string()
                        } else {
                            choices.join(", ")
                        }
                    ),
                ));
            };
            current = f.relation.as_ref().map(|r| r.target).unwrap_or(current);
            path.push(part.to_string());
            if !out.iter().any(|(p, _)| *p == path) {
                out.push((path.clone(), current));
            }
        }
    }
    Ok(out)
}

fn select_is_exists(sql: &str) -> bool {
    sql.starts_with("SELECT 1 AS \"a\"") || sql.starts_with("SELECT DISTINCT 1 AS \"a\"")
}

struct Join {
    alias: String,
    table: String,
    parent_alias: String,
    parent_column: String,
    column: String,
    outer: bool,
    /// What the join follows, from which alias: decides reuse.
    key: String,
    /// The filter() call that made a multi-valued join; None when reusable anywhere.
    call: Option<usize>,
}

/// Where a condition sits: which filter() call, and whether joins made for
/// it must keep rows without a match (LEFT OUTER).
#[derive(Clone, Copy)]
struct Ctx {
    call: usize,
    outer: bool,
    negated: bool,
    /// An annotation's paths reuse any join made before them.
    reuse_any: bool,
}

/// The end of a path: a column, the field it holds, what follows.
struct Target {
    alias: String,
    field: Field,
    /// Whether a NULL can reach the column (nullable field or outer join).
    nullable: bool,
    /// The path ended on a relation (its column or the related key).
    relation: bool,
    rest: Vec<String>,
}

impl Target {
    /// A path that ends on a reverse or ManyToMany relation compares the
    /// related model's primary key, through an outer-able join.
    fn related_key(reg: &Registry, model: ModelId, alias: String, rest: Vec<String>) -> Target {
        Target {
            alias,
            field: reg.model(model).pk().clone(),
            nullable: true,
            relation: true,
            rest,
        }
    }
}

struct Query<'r> {
    reg: &'r Registry,
    base: ModelId,
    base_alias: String,
    joins: Vec<Join>,
    params: Vec<Sql>,
    /// "" for the main query, "U" inside subqueries (as Django names them).
    prefix: &'static str,
    /// The annotations compiled so far, in order.
    annots: Vec<annotate::AnnotSql>,
    /// The expressions `order_by()` was given.
    order_expressions: Vec<Expression>,
}

impl<'r> Query<'r> {
    // ---------------------------------------------------------------- WHERE

    /// WHERE and HAVING conditions, with each annotation compiled where it
    /// stands among the filter() calls (which joins it may reuse depends
    /// on it). A call that tests an aggregate goes to HAVING.
    fn conditions(&mut self, qs: &QuerySet) -> Result<(Vec<String>, Vec<String>)> {
        let (mut where_, mut having) = (Vec::new(), Vec::new());
        let mut pending = qs.annotations.iter().peekable();
        for (call, f) in qs.filters.iter().enumerate() {
            while let Some(a) = pending.next_if(|a| a.after <= call) {
                self.annotate(a)?;
            }
            let ctx = Ctx {
                call,
                outer: f.negated,
                negated: f.negated,
                reuse_any: false,
            };
            let sql = self.node(&f.node, ctx)?;
            let sql = if f.negated {
                format!("NOT ({sql})")
            } else {
                sql
            };
            if self.tests_aggregate(&f.node) {
                having.push(sql);
            } else {
                where_.push(sql);
            }
        }
        for a in pending {
            self.annotate(a)?;
        }
        Ok((where_, having))
    }

    fn tests_aggregate(&self, node: &QNode) -> bool {
        match node {
            QNode::Leaf(key, value) => {
                let first = key.split("__").next().unwrap_or_default();
                let refers = |name: &str| self.annotation(name).is_some_and(|a| a.aggregate);
                refers(first)
                    || matches!(value, Value::Expr(e) if e.has_aggregate()
                        || self.annots.iter().any(|a| a.aggregate && e.refers_to(&a.name)))
            }
            QNode::And(c) | QNode::Or(c) => c.iter().any(|n| self.tests_aggregate(n)),
            QNode::Not(c) => self.tests_aggregate(c),
        }
    }

    fn node(&mut self, node: &QNode, ctx: Ctx) -> Result<String> {
        match node {
            QNode::Leaf(key, value) => self.leaf(key, value, ctx),
            QNode::And(children) if children.is_empty() => Ok("1 = 1".into()),
            QNode::And(children) => {
                let parts = children
                    .iter()
                    .map(|c| self.node(c, ctx))
                    .collect::<Result<Vec<_>>>()?;
                Ok(wrap(parts, " AND "))
            }
            QNode::Or(children) => {
                let inner = Ctx { outer: true, ..ctx };
                let parts = children
                    .iter()
                    .map(|c| self.node(c, inner))
                    .collect::<Result<Vec<_>>>()?;
                Ok(wrap(parts, " OR "))
            }
            QNode::Not(child) => {
                let inner = Ctx {
                    outer: true,
                    negated: !ctx.negated,
                    ..ctx
                };
                Ok(format!("NOT ({})", self.node(child, inner)?))
            }
        }
    }

    fn leaf(&mut self, key: &str, value: &Value, ctx: Ctx) -> Result<String> {
        let path: Vec<String> = key.split("__").map(String::from).collect();
        if let Some(a) = self.annotation(&path[0]).cloned() {
            return self.annotation_leaf(&a, &path[1..], value, ctx);
        }
        if ctx.negated && self.crosses_multi_valued(&path)? {
            return self.exclude_subquery(key, value, ctx);
        }
        let isnull_true = path.last().is_some_and(|l| l == "isnull") && value.truthy();
        let ctx = Ctx {
            outer: ctx.outer || isnull_true,
            ..ctx
        };
        let target = self.walk(&path, Some(ctx))?;
        let mut lhs = Self::col(&target.alias, &target.field.column);
        let mut kind = value_kind(self.reg, &target.field);
        let mut lookup = "exact".to_string();
        for (n, part) in target.rest.iter().enumerate() {
            if let Some(k) = transform(kind, part) {
                lhs = transform_sql(part, &lhs);
                kind = k;
            } else if LOOKUPS.contains(&part.as_str()) && n + 1 == target.rest.len() {
                lookup = part.clone();
            } else {
                // Past a relation, Django names the relation's class.
                let shown = if target.relation && n == 0 {
                    FieldKind::ForeignKey
                } else {
                    kind
                };
                let mut e = unsupported(part, shown);
                // For people: the related model's field it was likely meant to be.
                if let Some(rel) = target.field.relation.as_ref().filter(|_| n == 0) {
                    let names = super::resolve::choices(self.reg, rel.target);
                    if let Some(near) =
                        crate::suggest::nearest(part, names.iter().map(String::as_str))
                    {
                        let prefix = &path[..path.len() - target.rest.len()];
                        e = e.with_hint(format!("did you mean '{}__{near}'?", prefix.join("__")));
                    }
                }
                return Err(e);
            }
        }
        // A relation compares with its target field, which messages name.
        let field_name = match &target.field.relation {
            Some(rel) if target.field.kind.is_foreign_key() => rel.to_field.clone(),
            _ => target.field.name.clone(),
        };
        if let Value::Expr(e) = value {
            let op = comparison(&lookup, kind)?;
            let rhs = self.expression(e, Some(ctx))?;
            let sql = format!("{lhs} {op} {rhs}");
            if ctx.negated && target.nullable {
                return Ok(format!("{sql} AND {lhs} IS NOT NULL"));
            }
            return Ok(sql);
        }
        let value = self.query_value(value)?;
        if let QueryValue::Subquery(sub) = &value {
            if lookup != "in" && lookup != "exact" {
                return Err(unsupported(&lookup, kind));
            }
            let sql = renumber(&sub.sql, self.params.len());
            self.params.extend(sub.params.clone());
            return Ok(format!("{lhs} IN ({sql})"));
        }
        let QueryValue::Plain(value) = value else {
            unreachable!()
        };
        check_instance(self.reg, &target.field, &value)?;
        let sql = lookup_sql(&lhs, &lookup, kind, &field_name, &value, &mut self.params)?;
        // Django keeps rows whose column is NULL out of a negated comparison's
        // reach: NOT (col = x AND col IS NOT NULL).
        if ctx.negated && target.nullable && lookup != "isnull" && !matches!(value, Value::None) {
            return Ok(format!("{sql} AND {lhs} IS NOT NULL"));
        }
        Ok(sql)
    }

    fn crosses_multi_valued(&self, path: &[String]) -> Result<bool> {
        let mut model = self.base;
        for part in path {
            let Some(name) = find(self.reg, model, part) else {
                return Ok(false);
            };
            if is_multi_valued(&name) {
                return Ok(true);
            }
            model = match &name {
                Name::Field(f) => match &f.relation {
                    Some(rel) => rel.target,
                    None => return Ok(false),
                },
                Name::Reverse(r) => r.model,
                _ => return Ok(false),
            };
        }
        Ok(false)
    }

    /// `pk IN (SELECT pk … WHERE condition)`: objects with any related row
    /// that matches, for the enclosing NOT to exclude.
    fn exclude_subquery(&mut self, key: &str, value: &Value, ctx: Ctx) -> Result<String> {
        let mut sub = Query::new(self.reg, self.base, "U");
        let inner_ctx = Ctx {
            call: 0,
            outer: false,
            negated: false,
            reuse_any: false,
        };
        let cond = sub.leaf(key, value, inner_ctx)?;
        let pk = self.reg.model(self.base).pk().column.clone();
        let sql = format!(
            "SELECT {}{} WHERE {cond}",
            Self::col(&sub.base_alias, &pk),
            sub.sql_from()
        );
        let sql = renumber(&sql, self.params.len());
        self.params.extend(sub.params);
        let _ = ctx;
        Ok(format!("{} IN ({sql})", Self::col(&self.base_alias, &pk)))
    }

    /// `F('a') * 2` as SQL: columns through the same joins, values bound.
    fn expression(
        &mut self,
        e: &crate::engine::expr::Expression,
        ctx: Option<Ctx>,
    ) -> Result<String> {
        let ctx = ctx.unwrap_or(Ctx {
            call: usize::MAX,
            outer: false,
            negated: false,
            reuse_any: true,
        });
        Ok(self.typed(e, ctx, false)?.0)
    }

    /// A condition on an annotation (`n__gte=2`): its SQL as the left side.
    fn annotation_leaf(
        &mut self,
        a: &annotate::AnnotSql,
        rest: &[String],
        value: &Value,
        ctx: Ctx,
    ) -> Result<String> {
        let mut lhs = format!("({})", a.sql);
        let mut kind = a.output.kind;
        let mut lookup = "exact".to_string();
        for (n, part) in rest.iter().enumerate() {
            if let Some(k) = transform(kind, part) {
                lhs = transform_sql(part, &lhs);
                kind = k;
            } else if LOOKUPS.contains(&part.as_str()) && n + 1 == rest.len() {
                lookup = part.clone();
            } else {
                return Err(unsupported(part, kind));
            }
        }
        if let Value::Expr(e) = value {
            let op = comparison(&lookup, kind)?;
            let (rhs, _) = self.typed(
                e,
                Ctx {
                    reuse_any: true,
                    ..ctx
                },
                true,
            )?;
            return Ok(format!("{lhs} {op} {rhs}"));
        }
        lookup_sql(&lhs, &lookup, kind, &a.name, value, &mut self.params)
    }

    fn query_value(&self, value: &Value) -> Result<QueryValue> {
        if let Value::QuerySet(qs) = value {
            let columns: Vec<String> = match &qs.values {
                Some(v) if v.fields.len() == 1 => v.fields.clone(),
                Some(_) => {
                    return Err(Error::type_error(
                        "Cannot use multi-field values as a filter value.",
                    ));
                }
                None => vec!["pk".to_string()],
            };
            let sub = compile(self.reg, qs, Select::Columns(&columns))?;
            return Ok(QueryValue::Subquery(sub));
        }
        Ok(QueryValue::Plain(value.clone()))
    }

    // ---------------------------------------------------------------- values() and ORDER BY

    /// A values() path: an annotation's SQL, else a column.
    fn select_path(&mut self, path: &str) -> Result<String> {
        match self.annotation(path) {
            Some(a) => Ok(a.sql.clone()),
            None => self.column_path(path),
        }
    }

    fn column_path(&mut self, path: &str) -> Result<String> {
        let parts: Vec<String> = path.split("__").map(String::from).collect();
        let target = self.walk(&parts, None)?;
        let mut sql = Self::col(&target.alias, &target.field.column);
        // A values() path may end in transforms (`published__year`).
        let mut kind = target.field.kind;
        for part in &target.rest {
            kind = match transform(kind, part) {
                Some(k) if !target.relation => k,
                _ => return Err(cannot_resolve(self.reg, self.base, part)),
            };
            sql = transform_sql(part, &sql);
        }
        Ok(sql)
    }

    fn ordering(&mut self, qs: &QuerySet) -> Result<Vec<(String, bool)>> {
        let names = match &qs.order_by {
            Some(o) => o.clone(),
            None => self.reg.model(qs.model).meta.ordering.clone(),
        };
        self.order_expressions = qs.order_expressions.clone();
        let mut out = Vec::new();
        for name in &names {
            self.order_item(name, qs.reversed, &mut out, 0)?;
        }
        Ok(out)
    }

    /// One ordering name; a relation orders by its model's Meta.ordering
    /// (Django's rule), else by its column.
    fn order_item(
        &mut self,
        name: &str,
        reversed: bool,
        out: &mut Vec<(String, bool)>,
        depth: usize,
    ) -> Result<()> {
        if name == "?" {
            out.push(("RANDOM()".into(), false));
            return Ok(());
        }
        if depth > 8 {
            return Err(Error::new(
                "FieldError",
                "Infinite loop caused by ordering.",
            ));
        }
        let (desc, bare) = match name.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, name),
        };
        let desc = desc != reversed;
        if let Some(index) = bare.strip_prefix('\u{0}') {
            let e = index
                .parse::<usize>()
                .ok()
                .and_then(|i| self.order_expressions.get(i).cloned())
                .ok_or_else(|| Error::new("FieldError", "unknown ordering expression"))?;
            let (e, e_desc) = match e {
                Expression::Func("OrderByDesc", mut a) if a.len() == 1 => (a.remove(0), true),
                Expression::Func("OrderBy", mut a) if a.len() == 1 => (a.remove(0), false),
                other => (other, false),
            };
            let ctx = Ctx {
                call: usize::MAX,
                outer: true,
                negated: false,
                reuse_any: true,
            };
            let (sql, _) = self.typed(&e, ctx, true)?;
            out.push((sql, e_desc != reversed));
            return Ok(());
        }
        if let Some(a) = self.annotation(bare) {
            out.push((a.sql.clone(), desc));
            return Ok(());
        }
        let parts: Vec<String> = bare.split("__").map(String::from).collect();
        let target = self.walk(&parts, None)?;
        if let Some(extra) = target.rest.first() {
            return Err(cannot_resolve(self.reg, self.base, extra));
        }
        let last = parts.last().map(String::as_str).unwrap_or("");
        if let Some(rel) = target
            .field
            .relation
            .as_ref()
            .filter(|_| last == target.field.name && target.field.kind.is_foreign_key())
        {
            let related = self.reg.model(rel.target).meta.ordering.clone();
            if !related.is_empty() {
                for r in related {
                    let (rdesc, rname) = match r.strip_prefix('-') {
                        Some(x) => (true, x.to_string()),
                        None => (false, r.clone()),
                    };
                    let combined =
                        format!("{}{bare}__{rname}", if rdesc != desc { "-" } else { "" });
                    self.order_item(&combined, false, out, depth + 1)?;
                }
                return Ok(());
            }
        }
        out.push((Self::col(&target.alias, &target.field.column), desc));
        Ok(())
    }
}

enum QueryValue {
    Plain(Value),
    Subquery(Compiled),
}

/// The SQL operator of a lookup that compares with an expression (`F()`).
fn comparison(lookup: &str, kind: FieldKind) -> Result<&'static str> {
    Ok(match lookup {
        "exact" => "=",
        "gt" => ">",
        "gte" => ">=",
        "lt" => "<",
        "lte" => "<=",
        other => return Err(unsupported(other, kind)),
    })
}

fn wrap(parts: Vec<String>, joiner: &str) -> String {
    if parts.len() == 1 {
        return parts.into_iter().next().unwrap_or_default();
    }
    format!("({})", parts.join(joiner))
}

/// The kind a compared value is prepared for: a ForeignKey compares with its
/// target field's kind.
fn value_kind(reg: &Registry, f: &Field) -> FieldKind {
    match &f.relation {
        Some(rel) if f.kind.is_foreign_key() => {
            let target = reg.model(rel.target);
            target
                .field(&rel.to_field)
                .unwrap_or_else(|| target.pk())
                .kind
        }
        _ => f.kind,
    }
}

/// Django refuses an instance of the wrong model for a relation:
/// `Cannot query "x": Must be "Y" instance.`
fn check_instance(reg: &Registry, f: &Field, value: &Value) -> Result<()> {
    let Some((model, shown)) = crate::engine::orm_instance_model(value) else {
        return Ok(());
    };
    let expected = match &f.relation {
        Some(rel) if f.kind.is_foreign_key() => rel.target,
        _ => return Ok(()),
    };
    if model != expected {
        return Err(Error::value_error(format!(
            "Cannot query \"{shown}\": Must be \"{}\" instance.",
            reg.model(expected).name
        )));
    }
    Ok(())
}
