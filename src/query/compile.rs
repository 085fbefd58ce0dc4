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
use super::resolve::{End, Path, Step, StepKind, cannot_resolve, resolve_path};
use super::{
    Condition, Expr, Lhs, Operand, OrderBy, OrderTarget, QNode, QuerySet, Rhs, Shape, ValueColumn,
    Values,
};
use crate::error::{Error, Result};
use crate::schema::ddl::quote;
use crate::schema::{Field, FieldKind, ModelId, Registry};
pub use filters::{ConditionTarget, condition_target};
use rusqlite::types::Value as Sql;

/// A `select_related` path and the model it reaches.
pub type RelatedPath = (Vec<String>, ModelId);

/// SQL text and its bound parameters.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Compiled {
    pub sql: String,
    pub params: Vec<Sql>,
    /// For `select_related`: after the model's columns, each related
    /// model's columns, in this order, with the path that leads to it.
    pub related: Vec<(Vec<String>, ModelId)>,
    /// Each annotation (`annotate()`) by name, with the type it computes;
    /// for rows, its column comes after those.
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
    let mut next = 0;
    super::lookups::rewrite_markers(sql, |n| {
        let index = n.map_or(next, |n| n - 1);
        next = index + 1;
        match params.get(index) {
            Some(Sql::Null) => "None".to_string(),
            Some(Sql::Integer(i)) => i.to_string(),
            Some(Sql::Real(r)) => crate::python_float::float_repr(*r),
            Some(Sql::Text(t)) => t.clone(),
            Some(Sql::Blob(_)) | None => "?".to_string(),
        }
    })
}

/// What the statement returns.
pub mod annotate;
mod check;
pub use check::{
    check_annotations, check_expression, check_ordering, check_select_related, order_term,
    resolve_values,
};
mod filters;
mod joins;
mod ordering;
pub mod write;

pub enum Select<'a> {
    /// Every concrete column of the model, in `fields` order.
    Rows,
    /// The given paths; each is one column.
    Columns(&'a [String]),
    /// values()/values_list()'s columns, as resolved when it was called.
    Values(&'a Values),
    Count,
    Exists,
}

pub fn compile(reg: &Registry, qs: &QuerySet, select: Select) -> Result<Compiled> {
    let mut q = Query::new(reg, qs.model, "");
    let (conditions, having) = q.conditions(qs)?;
    let grouped = q.grouped();
    if matches!(select, Select::Count) && (grouped || qs.distinct || qs.is_sliced()) {
        return count_of_rows(reg, qs, grouped);
    }
    if matches!(select, Select::Exists) && qs.distinct && qs.is_sliced() {
        return distinct_slice_exists(reg, qs);
    }
    let mut columns = q.selected(qs, &select)?;
    let (related, related_columns) = match (&select, &qs.select_related) {
        (Select::Rows, Some(names)) => q.select_related(names)?,
        _ => (Vec::new(), Vec::new()),
    };
    columns.extend(related_columns.iter().cloned());
    let annotations: Vec<(String, annotate::Output)> = match select {
        Select::Rows | Select::Columns(_) | Select::Values(_) => q
            .annots
            .iter()
            .map(|a| (a.name.clone(), a.output.clone()))
            .collect(),
        _ => Vec::new(),
    };
    if let Select::Rows = select {
        for a in &q.annots {
            columns.push(format!("{} AS {}", a.sql, quote(&a.name)));
        }
    }
    // Django leaves Meta.ordering out of a GROUP BY query.
    let ordering = match select {
        Select::Rows | Select::Columns(_) | Select::Values(_)
            if !(grouped && qs.order_by.is_none()) =>
        {
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
    let ordering: Vec<String> = ordering.into_iter().map(order_sql).collect();
    let mut sql = String::from("SELECT ");
    if qs.distinct {
        sql.push_str("DISTINCT ");
    }
    match select {
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
    // exists() asks for one row past the slice's start, within the slice
    // (Django's `set_limits(high=1)`), so `qs[:0].exists()` finds none.
    let high = match select {
        Select::Exists => Some(qs.high.map_or(qs.low + 1, |h| h.min(qs.low + 1))),
        _ => qs.high,
    };
    match high {
        Some(high) => sql.push_str(&format!(" LIMIT {}", high.saturating_sub(qs.low))),
        None if qs.low > 0 => sql.push_str(" LIMIT -1"),
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

impl Query<'_> {
    /// The columns a select lists before select_related's and the
    /// annotations: the model's, or the values() paths.
    fn selected(&mut self, qs: &QuerySet, select: &Select) -> Result<Vec<String>> {
        Ok(match &select {
            Select::Rows => self.model_columns(qs.model, &self.base_alias.clone()),
            Select::Columns(paths) => paths
                .iter()
                .map(|p| self.select_path(p))
                .collect::<Result<Vec<_>>>()?,
            Select::Values(v) => match &v.columns {
                Some(columns) => columns
                    .iter()
                    .map(|c| self.value_column(c))
                    .collect::<Result<Vec<_>>>()?,
                None => v
                    .fields
                    .iter()
                    .map(|p| self.select_path(p))
                    .collect::<Result<Vec<_>>>()?,
            },
            Select::Count | Select::Exists => Vec::new(),
        })
    }
}

/// A COUNT of what the queryset gives, over it as a subquery: its groups
/// (`grouped`, counted without their ordering), or its distinct rows or
/// values() columns or its slice (the ordering kept only for a slice).
fn count_of_rows(reg: &Registry, qs: &QuerySet, grouped: bool) -> Result<Compiled> {
    let mut q = qs.clone();
    if grouped || !q.is_sliced() {
        q.order_by = Some(Vec::new());
    }
    let inner = match grouped {
        true => compile(reg, &q, Select::Rows)?,
        false => rows_as_given(reg, &q)?,
    };
    Ok(Compiled {
        sql: format!("SELECT COUNT(*) FROM ({}) subquery", inner.sql),
        params: inner.params,
        related: Vec::new(),
        annotations: Vec::new(),
    })
}

/// exists() of a distinct slice keeps its select list, as Django's does:
/// `DISTINCT 1` would leave a single row for the offset to skip.
fn distinct_slice_exists(reg: &Registry, qs: &QuerySet) -> Result<Compiled> {
    let mut q = qs.clone();
    q.order_by = Some(Vec::new());
    q.high = Some(qs.high.map_or(qs.low + 1, |h| h.min(qs.low + 1)));
    rows_as_given(reg, &q)
}

/// The rows the queryset gives: its values() columns when it names some,
/// else its model's.
fn rows_as_given(reg: &Registry, q: &QuerySet) -> Result<Compiled> {
    match q.values.as_ref().filter(|v| !v.fields.is_empty()) {
        Some(v) => compile(reg, q, Select::Values(v)),
        None => compile(reg, q, Select::Rows),
    }
}

/// One ORDER BY term: the expression and its direction.
fn order_sql((expr, desc): (String, bool)) -> String {
    if expr == "RANDOM()" {
        expr
    } else if desc {
        format!("{expr} DESC")
    } else {
        format!("{expr} ASC")
    }
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
    /// The model whose fields the names in `rest` would be: a relation's
    /// target, else the model holding the field.
    rest_model: ModelId,
    /// The path ended on a reverse ForeignKey: what follows is read as a
    /// lookup on the related key, as Django reads it.
    reverse_fk: bool,
}

impl Target {
    /// The end of `path`, its column reached at `alias`.
    fn of(reg: &Registry, path: &Path, alias: String) -> Target {
        let nullable = path.steps.iter().any(Step::nullable);
        match &path.end {
            End::Field(f) => Target {
                alias,
                nullable: nullable || f.null,
                relation: f.relation.is_some(),
                rest_model: path.rest_model(),
                reverse_fk: false,
                field: (**f).clone(),
                rest: path.rest.clone(),
            },
            End::RelatedKey { model, reverse_fk } => {
                let mut t = Target::related_key(reg, *model, alias, path.rest.clone());
                t.reverse_fk = *reverse_fk;
                t
            }
        }
    }

    /// A path that ends on a reverse or ManyToMany relation compares the
    /// related model's primary key, through an outer-able join.
    fn related_key(reg: &Registry, model: ModelId, alias: String, rest: Vec<String>) -> Target {
        Target {
            alias,
            field: reg.model(model).pk().clone(),
            nullable: true,
            relation: true,
            rest,
            rest_model: model,
            reverse_fk: false,
        }
    }

    /// Django's error for a name after the path's end that is no
    /// transform: past a relation, the related model's choices; past a
    /// plain field, no join.
    fn past_end(&self, reg: &Registry, part: &str) -> Error {
        if self.reverse_fk {
            return unsupported(part, self.field.kind);
        }
        if self.relation {
            return cannot_resolve(reg, self.rest_model, part);
        }
        Error::new(
            "FieldError",
            format!(
                "Cannot resolve keyword '{part}' into field. Join on '{}' not permitted.",
                self.field.name
            ),
        )
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
}

/// The kind a compared value is prepared for: a ForeignKey compares with its
/// target field's kind.
fn value_kind(reg: &Registry, f: &Field) -> FieldKind {
    match &f.relation {
        Some(rel) if f.kind.is_foreign_key() => {
            let target = reg.model(rel.target);
            target.to_field(&rel.to_field).kind
        }
        _ => f.kind,
    }
}
