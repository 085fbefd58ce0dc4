//! SQL for writes: `qs.update()`, and the statements of a delete (rows by
//! primary key, in batches no larger than SQLite's parameter limit as
//! Django's backend keeps them).

use super::*;

/// Django's `max_query_params` for SQLite: no statement binds more.
pub const MAX_PARAMS: usize = 999;

/// A column's new value in an UPDATE: bound, or computed from `F()`.
pub enum NewValue {
    Bound(Sql),
    Expr(Expr),
}

/// `UPDATE t SET … WHERE …`: one statement for any filter; one that needs
/// joins becomes `pk IN (the queryset)`.
pub fn compile_update(
    reg: &Registry,
    qs: &QuerySet,
    sets: &[(String, NewValue)],
) -> Result<Compiled> {
    let model = reg.model(qs.model);
    let mut q = Query::new(reg, qs.model, "");
    let mut assignments = Vec::new();
    for (column, value) in sets {
        let rhs = match value {
            NewValue::Bound(v) => super::super::lookups::bind(&mut q.params, v.clone()),
            NewValue::Expr(e) => {
                let sql = q.expression(e, None)?;
                if !q.joins.is_empty() {
                    return Err(Error::new(
                        "FieldError",
                        "Joined field references are not permitted in this query",
                    ));
                }
                sql
            }
        };
        assignments.push(format!("{} = {rhs}", quote(column)));
    }
    let set_params = q.params.len();
    let mut sql = format!(
        "UPDATE {} SET {}",
        quote(&model.db_table),
        assignments.join(", ")
    );
    let (conditions, having) = q.conditions(qs)?;
    if q.joins.is_empty() && having.is_empty() && !q.grouped() {
        if !conditions.is_empty() {
            sql.push_str(&format!(" WHERE {}", conditions.join(" AND ")));
        }
    } else {
        // The joins need the subquery form: its own parameters replace these.
        q.params.truncate(set_params);
        let pk = vec!["pk".to_string()];
        let mut inner = qs.clone();
        inner.order_by = Some(Vec::new());
        let sub = compile(reg, &inner, Select::Columns(&pk))?;
        sql.push_str(&format!(
            " WHERE {} IN ({})",
            quote(&model.pk().column),
            super::super::lookups::renumber(&sub.sql, q.params.len())
        ));
        q.params.extend(sub.params);
    }
    Ok(Compiled {
        sql,
        params: q.params,
        ..Default::default()
    })
}

/// The primary keys of `model`'s rows whose `columns` hold one of `keys`
/// (`WHERE a IN (…) OR b IN (…)`): the related objects a delete reaches.
pub fn pks_where_in(reg: &Registry, model: ModelId, columns: &[String], keys: &[Sql]) -> Compiled {
    let m = reg.model(model);
    let marks = vec!["?"; keys.len()].join(", ");
    let conditions: Vec<String> = columns
        .iter()
        .map(|c| format!("{} IN ({marks})", quote(c)))
        .collect();
    let ordering = ordering_columns(reg, model);
    let mut sql = format!(
        "SELECT {} FROM {} WHERE {}",
        quote(&m.pk().column),
        quote(&m.db_table),
        conditions.join(" OR ")
    );
    if !ordering.is_empty() {
        sql.push_str(&format!(" ORDER BY {}", ordering.join(", ")));
    }
    Compiled {
        sql,
        params: columns.iter().flat_map(|_| keys.iter().cloned()).collect(),
        ..Default::default()
    }
}

/// The rows of `model` a generic relation reaches: its ContentType column
/// holding `content_type` and its id column one of `keys`.
pub fn generic_pks_where_in(
    reg: &Registry,
    model: ModelId,
    (ct_column, content_type): (&str, &Sql),
    fk_column: &str,
    keys: &[Sql],
) -> Compiled {
    let m = reg.model(model);
    let marks = vec!["?"; keys.len()].join(", ");
    let mut params = vec![content_type.clone()];
    params.extend(keys.iter().cloned());
    Compiled {
        sql: format!(
            "SELECT {} FROM {} WHERE {} = ? AND {} IN ({marks})",
            quote(&m.pk().column),
            quote(&m.db_table),
            quote(ct_column),
            quote(fk_column)
        ),
        params,
        ..Default::default()
    }
}

/// Meta.ordering over the model's own columns, the order Django's collector
/// meets related objects in (it iterates their queryset).
fn ordering_columns(reg: &Registry, model: ModelId) -> Vec<String> {
    let m = reg.model(model);
    m.meta
        .ordering
        .iter()
        .filter_map(|o| {
            let (name, desc) = match o.strip_prefix('-') {
                Some(rest) => (rest, " DESC"),
                None => (o.as_str(), ""),
            };
            let f = if name == "pk" {
                Some(m.pk())
            } else {
                m.fields.iter().find(|f| f.name == name || f.column == name)
            }?;
            Some(format!("{}{desc}", quote(&f.column)))
        })
        .collect()
}

/// `DELETE FROM t WHERE pk IN (…)` for `n` keys.
pub fn delete_pks(reg: &Registry, model: ModelId, n: usize) -> String {
    let m = reg.model(model);
    format!(
        "DELETE FROM {} WHERE {} IN ({})",
        quote(&m.db_table),
        quote(&m.pk().column),
        vec!["?"; n].join(", ")
    )
}

/// `UPDATE t SET column = ? WHERE pk IN (…)` for `n` keys.
pub fn update_pks(reg: &Registry, model: ModelId, column: &str, n: usize) -> String {
    let m = reg.model(model);
    format!(
        "UPDATE {} SET {} = ? WHERE {} IN ({})",
        quote(&m.db_table),
        quote(column),
        quote(&m.pk().column),
        vec!["?"; n].join(", ")
    )
}

/// `INSERT INTO t (…) VALUES (…)` of one row (`save()`, `create()`).
pub fn insert_row(table: &str, columns: &[String], params: Vec<Sql>) -> Compiled {
    let sql = if columns.is_empty() {
        format!("INSERT INTO {} DEFAULT VALUES", quote(table))
    } else {
        let cols: Vec<String> = columns.iter().map(|c| quote(c)).collect();
        format!(
            "INSERT INTO {} ({}) VALUES ({})",
            quote(table),
            cols.join(", "),
            vec!["?"; cols.len()].join(", ")
        )
    };
    Compiled {
        sql,
        params,
        ..Compiled::default()
    }
}

/// A ManyToMany link of `a` to `b`, unless it is there already (as
/// Django's `add()` skips the links that exist).
pub fn add_link(table: &str, a_column: &str, b_column: &str, a: Sql, b: Sql) -> Compiled {
    let (t, ac, bc) = (quote(table), quote(a_column), quote(b_column));
    Compiled {
        sql: format!(
            "INSERT INTO {t} ({ac}, {bc}) SELECT ?1, ?2 WHERE NOT EXISTS (SELECT 1 FROM {t} WHERE {ac} = ?1 AND {bc} = ?2)"
        ),
        params: vec![a, b],
        ..Compiled::default()
    }
}

/// `INSERT INTO t (…) VALUES (…), (…) RETURNING pk` for `rows` rows.
pub fn insert_rows(
    reg: &Registry,
    model: ModelId,
    columns: &[String],
    rows: usize,
    ignore: bool,
) -> String {
    let m = reg.model(model);
    let verb = if ignore { "INSERT OR IGNORE" } else { "INSERT" };
    let returning = format!(" RETURNING {}", quote(&m.pk().column));
    if columns.is_empty() {
        // SQLite takes one DEFAULT VALUES row per statement.
        return format!(
            "{verb} INTO {} DEFAULT VALUES{returning}",
            quote(&m.db_table)
        );
    }
    let row = format!("({})", vec!["?"; columns.len()].join(", "));
    let cols: Vec<String> = columns.iter().map(|c| quote(c)).collect();
    format!(
        "{verb} INTO {} ({}) VALUES {}{returning}",
        quote(&m.db_table),
        cols.join(", "),
        vec![row; rows].join(", ")
    )
}

/// `UPDATE t SET c = CASE pk WHEN ? THEN ? … END, … WHERE pk IN (…)`: for
/// each column, a (key, value) pair per row, then the keys.
pub fn bulk_update_sql(reg: &Registry, model: ModelId, columns: &[String], rows: usize) -> String {
    let m = reg.model(model);
    let pk = quote(&m.pk().column);
    let whens = vec!["WHEN ? THEN ?"; rows].join(" ");
    let sets: Vec<String> = columns
        .iter()
        .map(|c| format!("{} = CASE {pk} {whens} END", quote(c)))
        .collect();
    format!(
        "UPDATE {} SET {} WHERE {pk} IN ({})",
        quote(&m.db_table),
        sets.join(", "),
        vec!["?"; rows].join(", ")
    )
}
