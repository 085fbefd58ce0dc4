//! How many statements ormsh runs: one per queryset, and none for related
//! objects that `select_related` brought along.

use ormsh::db::{Database, loaddata, migrate};
use ormsh::engine::{Console, Interp, Value};
use ormsh::error::Result;
use ormsh::schema::{FieldKind, ModelSource, load};
use std::fs;
use std::path::Path;
use std::rc::Rc;

struct Quiet;

impl Console for Quiet {
    fn print(&mut self, _: &str) -> Result<()> {
        Ok(())
    }
    fn display(&mut self, _: &mut Interp, _: &Value) -> Result<()> {
        Ok(())
    }
    fn finish_line(&mut self) -> Result<()> {
        Ok(())
    }
}

fn bookstore() -> (Interp, Rc<Database>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/bookstore");
    let registry = load(&[ModelSource {
        app_label: "bookstore".into(),
        path: None,
        text: fs::read_to_string(root.join("models.py")).unwrap(),
        default_auto_field: FieldKind::AutoField,
    }]);
    let db = Rc::new(Database::open(None, false).unwrap());
    migrate(db.connection(), &registry).unwrap();
    loaddata(
        db.connection(),
        &registry,
        &fs::read_to_string(root.join("fixtures/sample.json")).unwrap(),
    )
    .unwrap();
    let mut interp = Interp::new(Box::new(Quiet));
    interp.bind_models(Rc::new(registry));
    interp.set_database(db.clone());
    (interp, db)
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
