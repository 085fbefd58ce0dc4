//! `Meta.indexes` and `Meta.constraints`, read from their calls
//! (`models.Index(fields=[...], name=...)`,
//! `models.UniqueConstraint(fields=[...], name=...)`). What ormsh cannot
//! write yet (a condition, expressions, a CheckConstraint) is kept as
//! such, so that `--migrate` refuses the table instead of leaving it out.

use super::Literal;
use crate::schema::{ConstraintSpec, IndexSpec};
use crate::syntax::ast::{ArgKind, Expr, ExprKind};

/// A call's keyword arguments.
type Keywords<'a> = Vec<(&'a str, &'a Expr)>;

/// A call's class (last dotted part), positional arguments and keywords.
fn call_parts(e: &Expr) -> Option<(String, usize, Keywords<'_>)> {
    let ExprKind::Call { func, args } = &e.kind else {
        return None;
    };
    let class = super::dotted(func)?;
    let class = class.rsplit('.').next().unwrap_or(&class).to_string();
    let positional = args
        .iter()
        .filter(|a| matches!(a.kind, ArgKind::Positional(_)))
        .count();
    let kw = args
        .iter()
        .filter_map(|a| match &a.kind {
            ArgKind::Keyword(k, v) => Some((k.name.as_str(), v)),
            _ => None,
        })
        .collect();
    Some((class, positional, kw))
}

fn items(value: &Expr) -> &[Expr] {
    match &value.kind {
        ExprKind::List(items) | ExprKind::Tuple(items) => items,
        _ => &[],
    }
}

fn text(e: &Expr, source: &str) -> String {
    source
        .get(e.span.start..e.span.end)
        .unwrap_or("")
        .to_string()
}

/// The options ormsh writes; any other is why it cannot.
fn other_option<'a>(kw: &[(&'a str, &Expr)], known: &[&str]) -> Option<&'a str> {
    kw.iter().map(|(k, _)| *k).find(|k| !known.contains(k))
}

pub(super) fn indexes(value: &Expr, source: &str) -> Vec<IndexSpec> {
    items(value)
        .iter()
        .map(|e| {
            let Some((class, positional, kw)) = call_parts(e) else {
                return IndexSpec {
                    unsupported: Some(format!("`{}` is not an Index call", text(e, source))),
                    ..IndexSpec::default()
                };
            };
            let get = |k: &str| kw.iter().find(|(n, _)| *n == k).map(|(_, v)| *v);
            let name =
                get("name").and_then(|v| Literal::read(v, source).as_str().map(String::from));
            let fields = get("fields")
                .map(|v| Literal::read(v, source).strings())
                .unwrap_or_default();
            let unsupported = if class != "Index" {
                Some(format!("{class} is not Django's Index"))
            } else if positional > 0 {
                Some("an index on expressions".to_string())
            } else if let Some(k) = other_option(&kw, &["name", "fields"]) {
                Some(format!("the option {k}="))
            } else if fields.is_empty() {
                Some("an index without fields".to_string())
            } else {
                None
            };
            IndexSpec {
                name,
                fields,
                unsupported,
            }
        })
        .collect()
}

pub(super) fn constraints(value: &Expr, source: &str) -> Vec<ConstraintSpec> {
    items(value)
        .iter()
        .map(|e| {
            let Some((class, positional, kw)) = call_parts(e) else {
                return ConstraintSpec::Unsupported {
                    class: "constraint".into(),
                    name: text(e, source),
                    why: "it is not a constraint's call".into(),
                };
            };
            let get = |k: &str| kw.iter().find(|(n, _)| *n == k).map(|(_, v)| *v);
            let name = get("name")
                .and_then(|v| Literal::read(v, source).as_str().map(String::from))
                .unwrap_or_default();
            let fields = get("fields")
                .map(|v| Literal::read(v, source).strings())
                .unwrap_or_default();
            let why = if class != "UniqueConstraint" {
                Some(format!("ormsh does not write {class}s yet"))
            } else if positional > 0 {
                Some("ormsh does not write constraints on expressions yet".to_string())
            } else if let Some(k) = other_option(&kw, &["name", "fields"]) {
                Some(format!("ormsh does not write the option {k}= yet"))
            } else if fields.is_empty() {
                Some("it names no fields".to_string())
            } else {
                None
            };
            match why {
                None => ConstraintSpec::Unique { name, fields },
                Some(why) => ConstraintSpec::Unsupported { class, name, why },
            }
        })
        .collect()
}
