//! The SQL the compiler writes for representative statements, typed as a
//! user types them and pinned with insta: each statement runs on the
//! `join_rules` models and every query it sends is recorded with its
//! parameters. A change here is a change in what runs against users'
//! databases: review the new snapshot, do not just accept it.

mod common;

use ormsh::db::{Database, migrate};
use ormsh::engine::Interp;
use ormsh::schema::{FieldKind, ModelSource, load};
use std::fs;
use std::path::Path;
use std::rc::Rc;

/// An interpreter over the `join_rules` models in memory, its database
/// keeping every statement it runs.
fn session() -> (Interp, Rc<Database>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/join_rules/models.py");
    let registry = load(&[ModelSource {
        app_label: "join_rules".into(),
        path: None,
        text: fs::read_to_string(path).unwrap(),
        default_auto_field: FieldKind::AutoField,
    }]);
    let db = Rc::new(Database::open(None, false).unwrap());
    migrate(&db, &registry).unwrap();
    let mut interp = Interp::new(Box::new(common::Quiet));
    interp.bind_models(Rc::new(registry));
    interp.set_database(db.clone());
    db.keep_log();
    (interp, db)
}

/// Each statement under its label, then the SQL it ran and the parameters.
fn transcript(cases: &[(&str, &str)]) -> String {
    let (mut interp, db) = session();
    let mut out = String::new();
    for (label, code) in cases {
        let stmts = ormsh::syntax::parse_input(code).unwrap();
        interp.run(&stmts).unwrap();
        for (sql, params) in db.take_log() {
            out.push_str(&format!("-- {label}\n{sql}\n{params:?}\n\n"));
        }
    }
    out
}

#[test]
fn compiled_sql() {
    let out = transcript(&[
        ("all, default ordering", "list(Blog.objects.all())"),
        (
            "one call, same entry",
            "list(Blog.objects.filter(entries__headline__contains='Lennon', entries__year=2008))",
        ),
        (
            "two calls, two joins",
            "list(Blog.objects.filter(entries__headline__contains='Lennon').filter(entries__year=2008))",
        ),
        (
            "exclude across a reverse relation",
            "list(Blog.objects.exclude(entries__year=2008))",
        ),
        (
            "exclude on a nullable column",
            "list(Entry.objects.exclude(rating=5))",
        ),
        (
            "isnull across a reverse relation",
            "list(Blog.objects.filter(entries__isnull=True))",
        ),
        (
            "many-to-many, forward FK ordering",
            "list(Entry.objects.filter(tags__name__in=['red', 'blue']).order_by('blog', '-year').distinct()[:21])",
        ),
        ("count", "Entry.objects.filter(year__gte=2008).count()"),
        (
            "exists",
            "Entry.objects.filter(blog__name__iexact='pop').exists()",
        ),
        (
            "range lookup",
            "list(Entry.objects.filter(year__range=(2000, 2010)))",
        ),
    ]);
    insta::assert_snapshot!(out);
}

#[test]
fn annotated_sql() {
    let out = transcript(&[
        // Meta.ordering is dropped; every column is grouped; the join is outer.
        (
            "annotate Count",
            "list(Blog.objects.annotate(n=Count('entries')))",
        ),
        // A filter() before annotate() shares its join; after, it makes its own.
        (
            "filter, then annotate",
            "list(Blog.objects.filter(entries__year=2008).annotate(n=Count('entries')))",
        ),
        (
            "annotate, then filter",
            "list(Blog.objects.annotate(n=Count('entries')).filter(entries__year=2008))",
        ),
        // A filter on the annotation is HAVING; its value is bound once.
        (
            "HAVING and ORDER BY",
            "list(Blog.objects.annotate(n=Count('entries')).filter(n__gte=2).order_by('-n'))",
        ),
        // values().annotate() groups by the values.
        (
            "values().annotate()",
            "list(Entry.objects.values('blog__name').annotate(n=Count('id')))",
        ),
        (
            "aggregate",
            "Blog.objects.filter(entries__year=2008).aggregate(n=Count('entries'))",
        ),
        (
            "aggregate over annotate",
            "Blog.objects.annotate(n=Count('entries')).aggregate(total=Sum('n'))",
        ),
    ]);
    insta::assert_snapshot!(out);
}
