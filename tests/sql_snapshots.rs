//! The SQL the compiler writes for representative querysets, pinned with
//! insta. A change here is a change in what runs against users' databases:
//! review the new snapshot, do not just accept it.

use ormsh::engine::Value;
use ormsh::query::compile::{Select, compile};
use ormsh::query::{Filter, QNode, QuerySet};
use ormsh::schema::{FieldKind, ModelSource, Registry, load};
use std::fs;
use std::path::Path;

fn registry() -> Registry {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/join_rules/models.py");
    load(&[ModelSource {
        app_label: "join_rules".into(),
        path: None,
        text: fs::read_to_string(path).unwrap(),
        default_auto_field: FieldKind::AutoField,
    }])
}

fn leaf(key: &str, v: Value) -> QNode {
    QNode::Leaf(key.into(), v)
}

fn with(model: usize, calls: Vec<(bool, QNode)>) -> QuerySet {
    let mut qs = QuerySet::new(model);
    qs.filters = calls
        .into_iter()
        .map(|(negated, node)| Filter { negated, node })
        .collect();
    qs
}

#[test]
fn compiled_sql() {
    let reg = registry();
    let blog = reg.find("Blog").unwrap();
    let entry = reg.find("Entry").unwrap();
    let cases: Vec<(&str, QuerySet, Select)> = vec![
        ("all, default ordering", QuerySet::new(blog), Select::Rows),
        (
            "one call, same entry",
            with(
                blog,
                vec![(
                    false,
                    QNode::And(vec![
                        leaf("entries__headline__contains", Value::str("Lennon")),
                        leaf("entries__year", Value::Int(2008)),
                    ]),
                )],
            ),
            Select::Rows,
        ),
        (
            "two calls, two joins",
            with(
                blog,
                vec![
                    (
                        false,
                        leaf("entries__headline__contains", Value::str("Lennon")),
                    ),
                    (false, leaf("entries__year", Value::Int(2008))),
                ],
            ),
            Select::Rows,
        ),
        (
            "exclude across a reverse relation",
            with(blog, vec![(true, leaf("entries__year", Value::Int(2008)))]),
            Select::Rows,
        ),
        (
            "exclude on a nullable column",
            with(entry, vec![(true, leaf("rating", Value::Int(5)))]),
            Select::Rows,
        ),
        (
            "isnull across a reverse relation",
            with(
                blog,
                vec![(false, leaf("entries__isnull", Value::Bool(true)))],
            ),
            Select::Rows,
        ),
        (
            "many-to-many, forward FK ordering",
            with(
                entry,
                vec![(
                    false,
                    leaf(
                        "tags__name__in",
                        Value::list(vec![Value::str("red"), Value::str("blue")]),
                    ),
                )],
            ),
            Select::Rows,
        ),
        (
            "count",
            with(entry, vec![(false, leaf("year__gte", Value::Int(2008)))]),
            Select::Count,
        ),
        (
            "exists",
            with(
                entry,
                vec![(false, leaf("blog__name__iexact", Value::str("pop")))],
            ),
            Select::Exists,
        ),
        (
            "range lookup",
            with(
                entry,
                vec![(
                    false,
                    leaf(
                        "year__range",
                        Value::tuple(vec![Value::Int(2000), Value::Int(2010)]),
                    ),
                )],
            ),
            Select::Rows,
        ),
    ];
    let mut out = String::new();
    for (label, mut qs, select) in cases {
        if label == "many-to-many, forward FK ordering" {
            qs.order_by = Some(vec!["blog".into(), "-year".into()]);
            qs.distinct = true;
            qs.high = Some(21);
        }
        let c = compile(&reg, &qs, select).unwrap();
        out.push_str(&format!("-- {label}\n{}\n{:?}\n\n", c.sql, c.params));
    }
    insta::assert_snapshot!(out);
}
