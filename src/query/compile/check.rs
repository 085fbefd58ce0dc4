//! What a queryset method resolves when it is called, as Django's
//! `add_q`, `add_ordering` and `add_select_related` do: a name that does
//! not resolve is the method's FieldError at once, not the evaluation's.
//! Only the clause the method added is resolved; nothing is compiled to be
//! thrown away.

use super::*;

/// The queryset's annotations, compiled in order, for names to resolve
/// against.
fn annotated<'r>(reg: &'r Registry, qs: &QuerySet) -> Result<Query<'r>> {
    let mut q = Query::new(reg, qs.model, "");
    for a in &qs.annotations {
        q.annotate(a)?;
    }
    Ok(q)
}

/// What `annotate()` adds: each expression resolved against the ones
/// before it (Django's `resolve_expression` at the call).
pub fn check_annotations(reg: &Registry, qs: &QuerySet) -> Result<()> {
    annotated(reg, qs).map(|_| ())
}

/// What `values()` names, resolved when it is called: annotations, or
/// paths whose transforms are checked too.
pub fn resolve_values(
    reg: &Registry,
    qs: &QuerySet,
    fields: Vec<String>,
    shape: Shape,
) -> Result<Values> {
    let mut q = annotated(reg, qs)?;
    let names: Vec<String> = qs.annotations.iter().map(|a| a.name.clone()).collect();
    let mut columns = Vec::new();
    for f in &fields {
        let column = if names.contains(f) {
            ValueColumn::Annotation(f.clone())
        } else {
            let parts: Vec<String> = f.split("__").map(String::from).collect();
            ValueColumn::Path(resolve_path(reg, qs.model, &parts, &names)?)
        };
        q.value_column(&column)?;
        columns.push(column);
    }
    Ok(Values {
        fields,
        columns: Some(columns),
        shape,
    })
}

/// An `order_by()` name resolved when it is called, as Django's
/// `add_ordering` does: `'?'`, an annotation, or a path from the model.
pub fn order_term(reg: &Registry, qs: &QuerySet, name: &str) -> Result<OrderBy> {
    let (descending, bare) = match name.strip_prefix('-') {
        Some(rest) if name != "?" => (true, rest),
        _ => (false, name),
    };
    let annotations: Vec<String> = qs.annotations.iter().map(|a| a.name.clone()).collect();
    let target = if name == "?" {
        OrderTarget::Random
    } else if annotations.iter().any(|a| a == bare) {
        OrderTarget::Annotation
    } else {
        let parts: Vec<String> = bare.split("__").map(String::from).collect();
        OrderTarget::Path(resolve_path(reg, qs.model, &parts, &annotations)?)
    };
    Ok(OrderBy::Resolved {
        name: bare.to_string(),
        descending,
        target,
    })
}

/// What `order_by()` names: fields, relations (by their model's ordering),
/// annotations and expressions.
pub fn check_ordering(reg: &Registry, qs: &QuerySet) -> Result<()> {
    annotated(reg, qs)?.ordering(qs).map(|_| ())
}

/// The `F()` names and types of an expression that a condition compares
/// with (`filter(a__gt=F('b'))`).
pub fn check_expression(reg: &Registry, qs: &QuerySet, e: &Expr) -> Result<()> {
    let ctx = Ctx {
        call: usize::MAX,
        outer: false,
        negated: false,
        reuse_any: true,
    };
    annotated(reg, qs)?.typed(e, ctx, true).map(|_| ())
}

/// What `select_related()` names: ForeignKeys, each prefix too.
pub fn check_select_related(reg: &Registry, model: ModelId, names: &[String]) -> Result<()> {
    related_paths(reg, model, names).map(|_| ())
}
