//! The SQL the compiler writes for representative querysets, pinned with
//! insta. A change here is a change in what runs against users' databases:
//! review the new snapshot, do not just accept it.

use ormsh::engine::Value;
use ormsh::query::Expr as Expression;
use ormsh::query::compile::annotate::compile_aggregate;
use ormsh::query::compile::{Select, compile};
use ormsh::query::{Annotation, Filter, QNode, QuerySet, Shape, Values};
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
    QNode::value(key.into(), v)
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

/// `Count('entries')` as the prompt builds it.
fn count(path: &str) -> Expression {
    Expression::Aggregate {
        function: "Count",
        arg: Box::new(Expression::F(path.into())),
        distinct: false,
        filter: None,
        default: None,
    }
}

fn annotated(mut qs: QuerySet, name: &str, expr: Expression) -> QuerySet {
    let after = qs.filters.len();
    qs.annotations.push(Annotation {
        name: name.into(),
        expr,
        after,
    });
    qs
}

#[test]
fn annotated_sql() {
    let reg = registry();
    let blog = reg.find("Blog").unwrap();
    let entry = reg.find("Entry").unwrap();
    let year = |y| (false, leaf("entries__year", Value::Int(y)));
    let mut out = String::new();
    let mut show = |label: &str, c: ormsh::query::compile::Compiled| {
        out.push_str(&format!("-- {label}\n{}\n{:?}\n\n", c.sql, c.params));
    };
    // Meta.ordering is dropped; every column is grouped; the join is outer.
    let qs = annotated(QuerySet::new(blog), "n", count("entries"));
    show("annotate Count", compile(&reg, &qs, Select::Rows).unwrap());
    // A filter() before annotate() shares its join; after, it makes its own.
    let before = annotated(with(blog, vec![year(2008)]), "n", count("entries"));
    show(
        "filter, then annotate",
        compile(&reg, &before, Select::Rows).unwrap(),
    );
    let mut after = annotated(QuerySet::new(blog), "n", count("entries"));
    after.filters.push(Filter {
        negated: false,
        node: leaf("entries__year", Value::Int(2008)),
    });
    show(
        "annotate, then filter",
        compile(&reg, &after, Select::Rows).unwrap(),
    );
    // A filter on the annotation is HAVING; its value is bound once.
    let mut having = annotated(QuerySet::new(blog), "n", count("entries"));
    having.filters.push(Filter {
        negated: false,
        node: leaf("n__gte", Value::Int(2)),
    });
    having.order_by = Some(vec!["-n".into()]);
    show(
        "HAVING and ORDER BY",
        compile(&reg, &having, Select::Rows).unwrap(),
    );
    // values().annotate() groups by the values.
    let mut grouped = QuerySet::new(entry);
    grouped.values = Some(Values {
        fields: vec!["blog__name".into(), "n".into()],
        shape: Shape::Dicts,
    });
    grouped.group_by = Some(vec!["blog__name".into()]);
    let grouped = annotated(grouped, "n", count("id"));
    show(
        "values().annotate()",
        compile(
            &reg,
            &grouped,
            Select::Columns(&["blog__name".into(), "n".into()]),
        )
        .unwrap(),
    );
    let (agg, _) = compile_aggregate(
        &reg,
        &with(blog, vec![year(2008)]),
        &[("n".into(), count("entries"))],
    )
    .unwrap();
    show("aggregate", agg);
    let (nested, _) = compile_aggregate(
        &reg,
        &annotated(QuerySet::new(blog), "n", count("entries")),
        &[(
            "total".into(),
            Expression::Aggregate {
                function: "Sum",
                arg: Box::new(Expression::F("n".into())),
                distinct: false,
                filter: None,
                default: None,
            },
        )],
    )
    .unwrap();
    show("aggregate over annotate", nested);
    insta::assert_snapshot!(out);
}
