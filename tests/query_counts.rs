//! How many statements ormsh runs: one per queryset, and none for related
//! objects that `select_related` brought along.

mod common;

use ormsh::db::Database;
use ormsh::engine::Interp;
use std::rc::Rc;

fn bookstore() -> (Interp, Rc<Database>) {
    common::bookstore(Box::new(common::Quiet))
}

/// Statements run by `code` (one console statement).
fn statements(interp: &mut Interp, db: &Database, code: &str) -> u64 {
    let before = db.statements_run();
    let stmts = ormsh::syntax::parse_input(code).unwrap();
    interp.run(&stmts).unwrap();
    db.statements_run() - before
}

#[test]
fn select_related_fetches_related_objects_in_the_same_query() {
    let (mut interp, db) = bookstore();
    // Each review's __str__ reads its book and its user: 8 reviews.
    assert_eq!(
        statements(&mut interp, &db, "x = repr(Review.objects.all())"),
        1 + 8 * 2
    );
    assert_eq!(
        statements(
            &mut interp,
            &db,
            "x = repr(Review.objects.select_related('book', 'user'))"
        ),
        1
    );
    assert_eq!(
        statements(
            &mut interp,
            &db,
            "x = [r.book.publisher.name for r in Review.objects.select_related('book__publisher')]"
        ),
        1
    );
}

#[test]
fn counting_and_existence_are_single_queries() {
    let (mut interp, db) = bookstore();
    assert_eq!(
        statements(
            &mut interp,
            &db,
            "n = Book.objects.filter(authors__name__startswith='T').count()"
        ),
        1
    );
    assert_eq!(
        statements(
            &mut interp,
            &db,
            "e = Book.objects.filter(publisher__city='Paris').exists()"
        ),
        1
    );
    assert_eq!(
        statements(
            &mut interp,
            &db,
            "q = Book.objects.filter(pages__gt=100).order_by('title')"
        ),
        0,
        "querysets are lazy"
    );
}
