//! What several test files share: a console that prints nothing, and the
//! shipped example loaded into an in-memory database.

#![allow(dead_code)]

use ormsh::db::{Database, migrate};
use ormsh::engine::{Console, Interp, Value};
use ormsh::error::Result;
use ormsh::orm::loaddata;
use ormsh::schema::{FieldKind, ModelSource, load};
use std::fs;
use std::path::{Path, PathBuf};
use std::rc::Rc;

pub struct Quiet;

impl Console for Quiet {
    fn print(&mut self, _: &str) -> Result<()> {
        Ok(())
    }
    fn display(&mut self, _: &mut Interp, _: &Value) -> Result<()> {
        Ok(())
    }
    fn help(
        &mut self,
        _registry: &ormsh::schema::Registry,
        _model: Option<ormsh::schema::ModelId>,
    ) -> Result<()> {
        Ok(())
    }

    fn finish_line(&mut self) -> Result<()> {
        Ok(())
    }
}

pub fn example_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/bookstore")
}

/// The bookstore example with its sample data, printing to `console`.
pub fn bookstore(console: Box<dyn Console>) -> (Interp, Rc<Database>) {
    let root = example_root();
    let registry = load(&[ModelSource {
        app_label: "bookstore".into(),
        path: None,
        text: fs::read_to_string(root.join("models.py")).unwrap(),
        default_auto_field: FieldKind::AutoField,
    }]);
    let db = Rc::new(Database::open(None, false).unwrap());
    migrate(&db, &registry).unwrap();
    loaddata(
        &db,
        &registry,
        &fs::read_to_string(root.join("fixtures/sample.json")).unwrap(),
    )
    .unwrap();
    let mut interp = Interp::new(console);
    interp.bind_models(Rc::new(registry));
    interp.set_database(db.clone());
    (interp, db)
}
