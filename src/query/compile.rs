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

use super::lookups::{LOOKUPS, lookup_sql, transform, transform_sql, unsupported};
use super::resolve::{Name, cannot_resolve, find, is_multi_valued};
use super::{Filter, QNode, QuerySet};
use crate::engine::Value;
use crate::error::{Error, Result};
use crate::schema::ddl::quote;
use crate::schema::{Field, FieldKind, ModelId, Registry};
use rusqlite::types::Value as Sql;

/// SQL text and its bound parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Compiled {
    pub sql: String,
    pub params: Vec<Sql>,
}

impl Compiled {
    /// The SQL with its parameters written in, as Django's `str(qs.query)`
    /// shows it (for reading only: it is never run).
    pub fn display(&self) -> String {
        let mut params = self.params.iter();
        let mut out = String::new();
        for c in self.sql.chars() {
            match (c, params.clone().next()) {
                ('?', Some(_)) => {
                    out.push_str(&match params.next() {
                        Some(Sql::Null) => "None".to_string(),
                        Some(Sql::Integer(i)) => i.to_string(),
                        Some(Sql::Real(r)) => crate::engine::repr::float_repr(*r),
                        Some(Sql::Text(t)) => t.clone(),
                        Some(Sql::Blob(_)) | None => "?".to_string(),
                    });
                }
                _ => out.push(c),
            }
        }
        out
    }
}

/// What the statement returns.
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
    let conditions = q.filters(&qs.filters)?;
    let mut columns = match &select {
        Select::Rows => q.model_columns(qs.model, &q.base_alias.clone()),
        Select::Columns(paths) => paths
            .iter()
            .map(|p| q.column_path(p))
            .collect::<Result<Vec<_>>>()?,
        Select::Count | Select::Exists => Vec::new(),
    };
    let ordering = match select {
        Select::Rows | Select::Columns(_) => q.ordering(qs)?,
        _ => Vec::new(),
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
    })
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
}

impl<'r> Query<'r> {
    fn new(reg: &'r Registry, base: ModelId, prefix: &'static str) -> Self {
        let table = reg.model(base).db_table.clone();
        let base_alias = if prefix.is_empty() {
            table
        } else {
            format!("{prefix}0")
        };
        Query {
            reg,
            base,
            base_alias,
            joins: Vec::new(),
            params: Vec::new(),
            prefix,
        }
    }

    fn col(alias: &str, column: &str) -> String {
        format!("{}.{}", quote(alias), quote(column))
    }

    fn model_columns(&self, model: ModelId, alias: &str) -> Vec<String> {
        self.reg
            .model(model)
            .fields
            .iter()
            .map(|f| Self::col(alias, &f.column))
            .collect()
    }

    fn sql_from(&self) -> String {
        let base_table = &self.reg.model(self.base).db_table;
        let mut out = if self.base_alias == *base_table {
            format!(" FROM {}", quote(base_table))
        } else {
            format!(" FROM {} {}", quote(base_table), quote(&self.base_alias))
        };
        for j in &self.joins {
            let kind = if j.outer {
                "LEFT OUTER JOIN"
            } else {
                "INNER JOIN"
            };
            let target = if j.alias == j.table {
                quote(&j.table)
            } else {
                format!("{} {}", quote(&j.table), quote(&j.alias))
            };
            out.push_str(&format!(
                " {kind} {target} ON ({} = {})",
                Self::col(&j.parent_alias, &j.parent_column),
                Self::col(&j.alias, &j.column)
            ));
        }
        out
    }

    fn new_alias(&self, table: &str) -> String {
        let used = |a: &str| a == self.base_alias || self.joins.iter().any(|j| j.alias == a);
        if self.prefix.is_empty() && !used(table) {
            return table.to_string();
        }
        let letter = if self.prefix.is_empty() {
            "T"
        } else {
            self.prefix
        };
        let mut n = self.joins.len() + if self.prefix.is_empty() { 2 } else { 1 };
        while used(&format!("{letter}{n}")) {
            n += 1;
        }
        format!("{letter}{n}")
    }

    /// Finds or makes the join from `parent_alias` along `key`.
    fn join(
        &mut self,
        parent_alias: &str,
        key: &str,
        table: &str,
        cols: (&str, &str),
        ctx: Option<Ctx>,
        multi: bool,
    ) -> String {
        let reusable = |j: &Join| {
            j.parent_alias == parent_alias
                && j.key == key
                && match (ctx, j.call) {
                    (_, None) | (None, _) => true,
                    (Some(c), Some(made_in)) => c.call == made_in,
                }
        };
        if let Some(j) = self.joins.iter_mut().find(|j| reusable(j)) {
            if ctx.is_some_and(|c| c.outer) {
                j.outer = true;
            }
            return j.alias.clone();
        }
        let alias = self.new_alias(table);
        let parent_outer = self
            .joins
            .iter()
            .any(|j| j.alias == parent_alias && j.outer);
        self.joins.push(Join {
            alias: alias.clone(),
            table: table.to_string(),
            parent_alias: parent_alias.to_string(),
            parent_column: cols.0.to_string(),
            column: cols.1.to_string(),
            outer: parent_outer || ctx.is_none_or(|c| c.outer),
            key: key.to_string(),
            call: if multi { ctx.map(|c| c.call) } else { None },
        });
        alias
    }

    /// Walks a `__` path from the base model, joining as it goes.
    /// `ctx` is None for ordering and values(), whose joins are LEFT OUTER
    /// where a row may have no match and reuse any existing join.
    fn walk(&mut self, path: &[String], ctx: Option<Ctx>) -> Result<Target> {
        let reg = self.reg;
        let mut model = self.base;
        let mut alias = self.base_alias.clone();
        let mut nullable = false;
        let mut i = 0;
        loop {
            let part = &path[i];
            let name = find(reg, model, part).ok_or_else(|| cannot_resolve(reg, model, part))?;
            let next_is_field =
                |m: ModelId| path.get(i + 1).is_some_and(|n| find(reg, m, n).is_some());
            let here = reg.model(model);
            match &name {
                Name::Field(f) | Name::Attname(f)
                    if matches!(name, Name::Attname(_))
                        || f.relation.is_none()
                        || !next_is_field(f.relation.as_ref().unwrap().target) =>
                {
                    return Ok(Target {
                        alias,
                        nullable: nullable || f.null,
                        relation: f.relation.is_some(),
                        field: f.clone(),
                        rest: path[i + 1..].to_vec(),
                    });
                }
                Name::Field(f) => {
                    let rel = f.relation.as_ref().expect("checked above");
                    let target = reg.model(rel.target);
                    let to_column = target
                        .field(&rel.to_field)
                        .map_or(target.pk().column.clone(), |t| t.column.clone());
                    let key = format!("fk:{}.{}", here.name, f.name);
                    let step_ctx = ctx.map(|c| Ctx {
                        outer: c.outer || (f.null && c.negated),
                        ..c
                    });
                    let outer_for_order = ctx.is_none() && (f.null || nullable);
                    let use_ctx = if ctx.is_none() && !outer_for_order {
                        Some(Ctx {
                            call: usize::MAX,
                            outer: false,
                            negated: false,
                        })
                    } else {
                        step_ctx
                    };
                    alias = self.join(
                        &alias,
                        &key,
                        &target.db_table,
                        (&f.column, &to_column),
                        use_ctx,
                        false,
                    );
                    nullable |= f.null;
                    model = rel.target;
                }
                Name::Reverse(r) => {
                    let source = reg.model(r.model);
                    let fk = source
                        .field(&r.field)
                        .expect("a reverse relation has its field")
                        .clone();
                    let key = format!("rev:{}.{}", source.name, fk.name);
                    if fk.kind == FieldKind::ManyToManyField {
                        alias = self.join_m2m(&alias, &fk, r.model, true, ctx, &key);
                    } else {
                        let rel = fk.relation.as_ref().expect("a foreign key has a relation");
                        let to_column = here
                            .field(&rel.to_field)
                            .map_or(here.pk().column.clone(), |t| t.column.clone());
                        let multi_here = is_multi_valued(&name);
                        alias = self.join(
                            &alias,
                            &key,
                            &source.db_table,
                            (&to_column, &fk.column),
                            ctx,
                            multi_here,
                        );
                    }
                    nullable = true;
                    model = r.model;
                    if !next_is_field(model) {
                        return Ok(Target::related_key(
                            reg,
                            model,
                            alias,
                            path[i + 1..].to_vec(),
                        ));
                    }
                }
                Name::ManyToMany(f) => {
                    let rel = f
                        .relation
                        .as_ref()
                        .expect("a ManyToManyField has a relation");
                    let key = format!("m2m:{}.{}", here.name, f.name);
                    alias = self.join_m2m(&alias, f, model, false, ctx, &key);
                    nullable = true;
                    model = rel.target;
                    if !next_is_field(model) {
                        return Ok(Target::related_key(
                            reg,
                            model,
                            alias,
                            path[i + 1..].to_vec(),
                        ));
                    }
                }
                Name::Attname(_) => unreachable!("handled by the first arm"),
            }
            i += 1;
        }
    }

    /// The two joins of a ManyToMany step: to the through table, then to the
    /// other model. `reverse` walks from the target side back to the owner.
    fn join_m2m(
        &mut self,
        alias: &str,
        field: &Field,
        owner: ModelId,
        reverse: bool,
        ctx: Option<Ctx>,
        key: &str,
    ) -> String {
        let reg = self.reg;
        let rel = field
            .relation
            .as_ref()
            .expect("a ManyToManyField has a relation");
        let through = reg.model(rel.through.expect("resolved through model"));
        let (from_name, to_name) = rel.through_fields.clone().unwrap_or_default();
        let column_of = |name: &str| {
            through
                .field(name)
                .map(|f| f.column.clone())
                .unwrap_or_default()
        };
        let (near, far, far_model) = if reverse {
            (column_of(&to_name), column_of(&from_name), owner)
        } else {
            (column_of(&from_name), column_of(&to_name), rel.target)
        };
        let near_model = if reverse { rel.target } else { owner };
        let near_pk = reg.model(near_model).pk().column.clone();
        let far_model = reg.model(far_model);
        let t = self.join(
            alias,
            &format!("{key}:through"),
            &through.db_table,
            (&near_pk, &near),
            ctx,
            true,
        );
        self.join(
            &t,
            &format!("{key}:far"),
            &far_model.db_table,
            (&far, &far_model.pk().column),
            ctx,
            true,
        )
    }

    // ---------------------------------------------------------------- WHERE

    fn filters(&mut self, filters: &[Filter]) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for (call, f) in filters.iter().enumerate() {
            let ctx = Ctx {
                call,
                outer: f.negated,
                negated: f.negated,
            };
            let sql = self.node(&f.node, ctx)?;
            out.push(if f.negated {
                format!("NOT ({sql})")
            } else {
                sql
            });
        }
        Ok(out)
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
                return Err(unsupported(part, shown));
            }
        }
        // A relation compares with its target field, which messages name.
        let field_name = match &target.field.relation {
            Some(rel) if target.field.kind.is_foreign_key() => rel.to_field.clone(),
            _ => target.field.name.clone(),
        };
        if let Value::Expr(e) = value {
            let op = match lookup.as_str() {
                "exact" => "=",
                "gt" => ">",
                "gte" => ">=",
                "lt" => "<",
                "lte" => "<=",
                other => return Err(unsupported(other, kind)),
            };
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
            self.params.extend(sub.params.clone());
            return Ok(format!("{lhs} IN ({})", sub.sql));
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
        };
        let cond = sub.leaf(key, value, inner_ctx)?;
        let pk = self.reg.model(self.base).pk().column.clone();
        let sql = format!(
            "SELECT {}{} WHERE {cond}",
            Self::col(&sub.base_alias, &pk),
            sub.sql_from()
        );
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
        use crate::engine::expr::Expression;
        Ok(match e {
            Expression::F(name) => {
                let parts: Vec<String> = name.split("__").map(String::from).collect();
                let target = self.walk(&parts, ctx)?;
                if let Some(extra) = target.rest.first() {
                    return Err(cannot_resolve(self.reg, self.base, extra));
                }
                Self::col(&target.alias, &target.field.column)
            }
            Expression::Value(v) => {
                self.params.push(match v {
                    Value::Int(i) => Sql::Integer(*i),
                    Value::Bool(b) => Sql::Integer(*b as i64),
                    Value::Float(f) => Sql::Real(*f),
                    other => Sql::Text(crate::engine::repr::str(other)),
                });
                "?".to_string()
            }
            Expression::Aggregate { .. } => {
                return Err(Error::new(
                    "FieldError",
                    format!(
                        "Aggregate functions are not allowed in this query ({}).",
                        e.text()
                    ),
                ));
            }
            Expression::Combined(l, op, r) => {
                let (l, r) = (self.expression(l, ctx)?, self.expression(r, ctx)?);
                format!("({l} {} {r})", op.symbol())
            }
        })
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

    fn column_path(&mut self, path: &str) -> Result<String> {
        let parts: Vec<String> = path.split("__").map(String::from).collect();
        let target = self.walk(&parts, None)?;
        if let Some(extra) = target.rest.first() {
            return Err(cannot_resolve(self.reg, self.base, extra));
        }
        Ok(Self::col(&target.alias, &target.field.column))
    }

    fn ordering(&mut self, qs: &QuerySet) -> Result<Vec<(String, bool)>> {
        let names = match &qs.order_by {
            Some(o) => o.clone(),
            None => self.reg.model(qs.model).meta.ordering.clone(),
        };
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
