//! Annotations and aggregates: `annotate()`, `aggregate()`, `F()`/`Value()`
//! arithmetic and database functions, with the output type Django resolves
//! for each (`Count` an int, `Avg` of integers a float, `Sum` of decimals a
//! Decimal…).
//!
//! Django's rules, mirrored: an annotation reuses any join made before it
//! (so a `filter()` before `annotate()` limits what is counted), while a
//! `filter()` after it makes its own multi-valued joins; an aggregate makes
//! the query GROUP BY every selected column (or the `values()` fields) and
//! drops Meta.ordering; a filter on an aggregate goes to HAVING.

use super::*;
use crate::query::Annotation;

/// What an expression's column holds, for converting it to a Python value.
#[derive(Clone, Debug, PartialEq)]
pub struct Output {
    pub kind: FieldKind,
    /// A plain column of a DecimalField: quantized to its places. Computed
    /// decimals come back with SQLite's float precision (15 digits).
    pub places: Option<u32>,
    /// A datetime cut in the current time zone: its value is a wall time
    /// there (aware in that zone with `USE_TZ`), not an instant in UTC.
    pub local: bool,
}

impl Output {
    fn of(kind: FieldKind) -> Output {
        Output {
            kind,
            places: None,
            local: false,
        }
    }

    fn local(kind: FieldKind) -> Output {
        Output {
            local: true,
            ..Output::of(kind)
        }
    }
}

/// An annotation as compiled: its SQL, type, and whether it aggregates.
#[derive(Clone, Debug)]
pub(super) struct AnnotSql {
    pub name: String,
    pub sql: String,
    pub output: Output,
    pub aggregate: bool,
}

/// The join reuse of an annotation: any join made before it, and joins of
/// its own that later filter() calls do not reuse.
pub(super) const ANNOTATION_CALL: usize = usize::MAX - 1;

fn annotation_ctx() -> Ctx {
    Ctx {
        call: ANNOTATION_CALL,
        outer: true,
        negated: false,
        reuse_any: true,
    }
}

/// Integer fields combine as one kind, as Django's combinator table has it.
fn numeric(kind: FieldKind) -> FieldKind {
    use FieldKind::*;
    match kind {
        AutoField
        | BigAutoField
        | SmallAutoField
        | BigIntegerField
        | SmallIntegerField
        | PositiveIntegerField
        | PositiveSmallIntegerField
        | PositiveBigIntegerField => IntegerField,
        k => k,
    }
}

impl<'r> Query<'r> {
    pub(super) fn annotation(&self, name: &str) -> Option<&AnnotSql> {
        self.annots.iter().find(|a| a.name == name)
    }

    /// Compiles one annotation; later ones, filters and ordering see it.
    pub(super) fn annotate(&mut self, a: &Annotation) -> Result<()> {
        let (sql, output) = self.typed(&a.expr, annotation_ctx(), true)?;
        let aggregate = a.expr.has_aggregate()
            || self
                .annots
                .iter()
                .any(|prev| prev.aggregate && a.expr.refers_to(&prev.name));
        self.annots.push(AnnotSql {
            name: a.name.clone(),
            sql,
            output,
            aggregate,
        });
        Ok(())
    }

    pub(super) fn grouped(&self) -> bool {
        self.annots.iter().any(|a| a.aggregate)
    }

    /// An expression as SQL, with the type of what it computes.
    pub(super) fn typed(
        &mut self,
        e: &Expr,
        ctx: Ctx,
        allow_aggregates: bool,
    ) -> Result<(String, Output)> {
        Ok(match e {
            Expr::F(name) => self.typed_field(name, ctx)?,
            Expr::Star => ("*".to_string(), Output::of(FieldKind::IntegerField)),
            Expr::Value { param, kind, .. } => {
                (bind(&mut self.params, param.clone()), Output::of(*kind))
            }
            Expr::Combined(l, op, r) => {
                let (ls, lo) = self.typed(l, ctx, allow_aggregates)?;
                let (rs, ro) = self.typed(r, ctx, allow_aggregates)?;
                let (a, b) = (numeric(lo.kind), numeric(ro.kind));
                if let Some(t) = temporal(a, b, op.symbol()) {
                    return Ok((t.sql(op.symbol(), &ls, &rs), Output::of(t.kind())));
                }
                let kind = combined_kind(a, b, op.symbol())?;
                (format!("({ls} {} {rs})", op.symbol()), Output::of(kind))
            }
            Expr::Aggregate {
                function,
                arg,
                distinct,
                filter,
                default,
            } => {
                if !allow_aggregates {
                    return Err(Error::new(
                        "FieldError",
                        format!(
                            "Aggregate functions are not allowed in this query ({}).",
                            e.text()
                        ),
                    ));
                }
                if arg.has_aggregate() {
                    return Err(Error::new(
                        "FieldError",
                        format!(
                            "Cannot compute {function}('{}'): '{}' is an aggregate",
                            arg.text(),
                            arg.text()
                        ),
                    ));
                }
                let (inner, out) = self.typed(arg, ctx, false)?;
                let sql_name = match *function {
                    "Count" => "COUNT",
                    "Sum" => "SUM",
                    "Avg" => "AVG",
                    "Min" => "MIN",
                    _ => "MAX",
                };
                let mut sql = format!(
                    "{sql_name}({}{inner})",
                    if *distinct { "DISTINCT " } else { "" }
                );
                if let Some(f) = filter {
                    let cond = self.node(&f.0, ctx)?;
                    sql.push_str(&format!(" FILTER (WHERE {cond})"));
                }
                let kind = match (*function, numeric(out.kind)) {
                    ("Count", _) => FieldKind::IntegerField,
                    ("Avg", FieldKind::DecimalField) => FieldKind::DecimalField,
                    ("Avg", _) => FieldKind::FloatField,
                    (_, k) => k,
                };
                if let Some(d) = default {
                    let (d, _) = self.typed(d, ctx, false)?;
                    sql = format!("COALESCE({sql}, {d})");
                }
                (sql, Output::of(kind))
            }
            Expr::Func(name, args) => {
                let mut parts = Vec::new();
                let mut first = None;
                for a in args {
                    let (s, o) = self.typed(a, ctx, allow_aggregates)?;
                    first.get_or_insert(o);
                    parts.push(s);
                }
                let first = first.unwrap_or(Output::of(FieldKind::CharField));
                if name.contains("Trunc") {
                    // Cut in the current time zone, as Django's backend cuts.
                    parts[0] = format!("django_local({})", parts[0]);
                }
                function_sql(name, &parts, first)
            }
        })
    }

    /// `F('a__b')`: an annotation's SQL, or the path's column and transforms.
    fn typed_field(&mut self, name: &str, ctx: Ctx) -> Result<(String, Output)> {
        if let Some(a) = self.annotation(name) {
            let out = Output::of(a.output.kind);
            return Ok((format!("({})", a.sql), out));
        }
        let parts: Vec<String> = name.split("__").map(String::from).collect();
        let target = self.walk(&parts, Some(ctx))?;
        let mut sql = Self::col(&target.alias, &target.field.column);
        let mut kind = value_kind(self.reg, &target.field);
        for part in &target.rest {
            kind = match transform(kind, part) {
                Some(k) if !target.relation => k,
                _ => return Err(target.past_end(self.reg, part)),
            };
            sql = transform_sql(part, &sql);
        }
        let places = if target.rest.is_empty() && kind == FieldKind::DecimalField {
            target.field.decimal_places
        } else {
            None
        };
        Ok((
            sql,
            Output {
                kind,
                places,
                local: false,
            },
        ))
    }

    /// GROUP BY: the grouped fields (or every selected column), the
    /// non-aggregate annotations, and what the query orders by.
    pub(super) fn group_by(
        &mut self,
        qs: &QuerySet,
        related: &[String],
        ordering: &[(String, bool)],
    ) -> Result<Vec<String>> {
        // Without values() first, Django groups by every concrete column.
        let mut columns = self.model_columns(qs.model, &self.base_alias.clone());
        columns.extend(related.iter().cloned());
        let mut out: Vec<String> = match &qs.group_by {
            Some(fields) => fields
                .iter()
                .map(|f| match self.annotation(f) {
                    Some(a) => Ok(a.sql.clone()),
                    None => self.column_path(f),
                })
                .collect::<Result<_>>()?,
            None => columns,
        };
        for a in self.annots.iter().filter(|a| !a.aggregate) {
            if !out.contains(&a.sql) {
                out.push(a.sql.clone());
            }
        }
        for (expr, _) in ordering {
            let aggregate = self.annots.iter().any(|a| a.aggregate && a.sql == *expr);
            if !aggregate && !out.contains(expr) && expr != "RANDOM()" {
                out.push(expr.clone());
            }
        }
        Ok(out)
    }
}

/// Arithmetic on dates, times and durations, which SQLite has no type for:
/// Django's backend computes it in functions it registers.
enum Temporal {
    /// A date, datetime or time plus or minus a duration, or a duration
    /// scaled by a number: `django_format_dtdelta`.
    Delta(FieldKind),
    /// The difference of two dates or datetimes (or two times), in
    /// microseconds: `django_timestamp_diff` / `django_time_diff`.
    Difference(bool),
}

impl Temporal {
    fn kind(&self) -> FieldKind {
        match self {
            Temporal::Delta(k) => *k,
            Temporal::Difference(_) => FieldKind::DurationField,
        }
    }

    fn sql(&self, op: &str, l: &str, r: &str) -> String {
        match self {
            Temporal::Delta(_) => format!("django_format_dtdelta('{op}', {l}, {r})"),
            Temporal::Difference(true) => format!("django_time_diff({l}, {r})"),
            Temporal::Difference(false) => format!("django_timestamp_diff({l}, {r})"),
        }
    }
}

/// Django's combinations of temporal types (DurationExpression and
/// TemporalSubtraction on a backend without a native duration type).
fn temporal(a: FieldKind, b: FieldKind, op: &str) -> Option<Temporal> {
    use FieldKind::*;
    let dated = |k: FieldKind| matches!(k, DateField | DateTimeField);
    Some(match (a, b, op) {
        (x, DurationField, "+" | "-") | (DurationField, x, "+") if dated(x) => {
            Temporal::Delta(DateTimeField)
        }
        (TimeField, DurationField, "+" | "-") | (DurationField, TimeField, "+") => {
            Temporal::Delta(TimeField)
        }
        (x, y, "-") if dated(x) && dated(y) => Temporal::Difference(false),
        (TimeField, TimeField, "-") => Temporal::Difference(true),
        _ => return None,
    })
}

/// The type of `a op b`, as Django's `_connector_combinations` resolves it.
fn combined_kind(a: FieldKind, b: FieldKind, op: &str) -> Result<FieldKind> {
    use FieldKind::*;
    Ok(match (a, b) {
        (x, y) if x == y => x,
        (IntegerField, DecimalField) | (DecimalField, IntegerField) => DecimalField,
        (IntegerField, FloatField) | (FloatField, IntegerField) => FloatField,
        (x, y) => {
            return Err(Error::new(
                "FieldError",
                format!(
                    "Cannot infer type of '{op}' expression involving these types: {}, {}. You must set output_field.",
                    x.class_name(),
                    y.class_name()
                ),
            ));
        }
    })
}

/// `qs.aggregate(...)`: one row of aggregates. Over a queryset that is
/// itself grouped, sliced or distinct, Django aggregates a subquery.
pub fn compile_aggregate(
    reg: &Registry,
    qs: &QuerySet,
    aggregates: &[(String, Expr)],
) -> Result<(Compiled, Vec<Output>)> {
    let mut q = Query::new(reg, qs.model, "");
    // A HAVING means a GROUP BY, which makes the subquery form below.
    let (conditions, _having) = q.conditions(qs)?;
    let nested = q.grouped() || qs.distinct || qs.is_sliced();
    if nested {
        return aggregate_subquery(reg, qs, aggregates);
    }
    let mut columns = Vec::new();
    let mut outputs = Vec::new();
    for (alias, e) in aggregates {
        if !e.has_aggregate() {
            return Err(Error::type_error(format!(
                "{} is not an aggregate expression",
                alias
            )));
        }
        let (sql, out) = q.typed(e, annotation_ctx(), true)?;
        columns.push(format!("{sql} AS {}", quote(alias)));
        outputs.push(out);
    }
    let mut sql = format!("SELECT {}{}", columns.join(", "), q.sql_from());
    if !conditions.is_empty() {
        sql.push_str(&format!(" WHERE {}", conditions.join(" AND ")));
    }
    Ok((
        Compiled {
            sql,
            params: q.params,
            related: Vec::new(),
            annotations: Vec::new(),
        },
        outputs,
    ))
}

/// `SELECT SUM("n") FROM (SELECT …, COUNT(…) AS "n" … GROUP BY …) subquery`:
/// the aggregates may name the inner query's fields and annotations.
fn aggregate_subquery(
    reg: &Registry,
    qs: &QuerySet,
    aggregates: &[(String, Expr)],
) -> Result<(Compiled, Vec<Output>)> {
    let mut inner_qs = qs.clone();
    inner_qs.values = None;
    if inner_qs.order_by.is_none() || !inner_qs.is_sliced() {
        inner_qs.order_by = Some(Vec::new());
    }
    let inner = compile(reg, &inner_qs, Select::Rows)?;
    let model = reg.model(qs.model);
    let mut columns = Vec::new();
    let mut outputs = Vec::new();
    for (alias, e) in aggregates {
        let Expr::Aggregate {
            function,
            arg,
            distinct,
            ..
        } = e
        else {
            return Err(Error::type_error(format!(
                "{alias} is not an aggregate expression"
            )));
        };
        let (column, out) = match &**arg {
            Expr::Star => ("*".to_string(), Output::of(FieldKind::IntegerField)),
            Expr::F(name) => {
                if let Some((_, o)) = inner.annotations.iter().find(|(n, _)| n == name) {
                    (format!("\"subquery\".{}", quote(name)), o.clone())
                } else if let Some(f) = model
                    .fields
                    .iter()
                    .find(|f| f.name == *name || f.column == *name)
                {
                    (
                        format!("\"subquery\".{}", quote(&f.column)),
                        Output {
                            kind: value_kind(reg, f),
                            places: f.decimal_places,
                            local: false,
                        },
                    )
                } else {
                    return Err(cannot_resolve(reg, qs.model, name));
                }
            }
            _ => {
                return Err(Error::new(
                    "NotImplementedError",
                    "ormsh aggregates an annotated queryset only over its fields and annotations",
                ));
            }
        };
        let sql_name = function.to_uppercase();
        let kind = match (*function, numeric(out.kind)) {
            ("Count", _) => FieldKind::IntegerField,
            ("Avg", FieldKind::DecimalField) => FieldKind::DecimalField,
            ("Avg", _) => FieldKind::FloatField,
            (_, k) => k,
        };
        columns.push(format!(
            "{sql_name}({}{column}) AS {}",
            if *distinct { "DISTINCT " } else { "" },
            quote(alias)
        ));
        outputs.push(Output::of(kind));
    }
    // The inner query names its columns so that the outer one can refer to them.
    Ok((
        Compiled {
            sql: format!(
                "SELECT {} FROM ({}) subquery",
                columns.join(", "),
                inner.sql
            ),
            params: inner.params,
            related: Vec::new(),
            annotations: Vec::new(),
        },
        outputs,
    ))
}

/// A database function's SQL over its arguments' SQL, and its type:
/// `first` is the first argument's, which Coalesce keeps.
fn function_sql(name: &str, parts: &[String], first: Output) -> (String, Output) {
    match name {
        // `dates(field, kind)`: the date cut to its year, month, week or day.
        "TruncYear" => (
            format!("strftime('%Y-01-01', {})", parts[0]),
            Output::of(FieldKind::DateField),
        ),
        "TruncMonth" => (
            format!("strftime('%Y-%m-01', {})", parts[0]),
            Output::of(FieldKind::DateField),
        ),
        "TruncWeek" => (
            format!("date({}, '-6 days', 'weekday 1')", parts[0]),
            Output::of(FieldKind::DateField),
        ),
        "TruncDay" => (
            format!("date({})", parts[0]),
            Output::of(FieldKind::DateField),
        ),
        // `datetimes(field, kind)`: a datetime cut to its start.
        "DateTimeTruncWeek" => (
            format!("datetime(date({}, '-6 days', 'weekday 1'))", parts[0]),
            Output::local(FieldKind::DateTimeField),
        ),
        trunc if trunc.starts_with("DateTimeTrunc") => {
            let format = match trunc {
                "DateTimeTruncYear" => "%Y-01-01 00:00:00",
                "DateTimeTruncMonth" => "%Y-%m-01 00:00:00",
                "DateTimeTruncDay" => "%Y-%m-%d 00:00:00",
                "DateTimeTruncHour" => "%Y-%m-%d %H:00:00",
                "DateTimeTruncMinute" => "%Y-%m-%d %H:%M:00",
                _ => "%Y-%m-%d %H:%M:%S",
            };
            (
                format!("strftime('{format}', {})", parts[0]),
                Output::local(FieldKind::DateTimeField),
            )
        }
        "Lower" => (
            format!("LOWER({})", parts[0]),
            Output::of(FieldKind::CharField),
        ),
        "Upper" => (
            format!("UPPER({})", parts[0]),
            Output::of(FieldKind::CharField),
        ),
        "Length" => (
            format!("LENGTH({})", parts[0]),
            Output::of(FieldKind::IntegerField),
        ),
        "Coalesce" => (
            format!("COALESCE({})", parts.join(", ")),
            Output::of(first.kind),
        ),
        // Django's Concat treats NULL as '' (COALESCE each part).
        _ => (
            parts
                .iter()
                .map(|p| format!("COALESCE({p}, '')"))
                .collect::<Vec<_>>()
                .join(" || "),
            Output::of(FieldKind::TextField),
        ),
    }
}
