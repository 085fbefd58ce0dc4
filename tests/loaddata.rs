//! Fixtures: ormsh's loaddata writes exactly the rows Django's loaddata
//! wrote, for every scenario with a fixture (its `db.sqlite3` is Django's),
//! and the shipped example and the bookstore scenario stay one and the same.

use ormsh::db::{Database, migrate};
use ormsh::orm::loaddata;
use ormsh::schema::{FieldKind, ModelSource, Registry, load};
use rusqlite::Connection;
use rusqlite::types::Value;
use std::fs;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn rows(conn: &Connection, table: &str) -> Vec<Vec<Value>> {
    let mut stmt = conn
        .prepare(&format!("SELECT * FROM \"{table}\" ORDER BY rowid"))
        .unwrap();
    let n = stmt.column_count();
    stmt.query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn example_and_scenario_are_the_same_files() {
    let example = root().join("examples/bookstore");
    let scenario = root().join("tests/conformance/bookstore");
    assert_eq!(
        fs::read(example.join("models.py")).unwrap(),
        fs::read(scenario.join("models.py")).unwrap()
    );
    assert_eq!(
        fs::read(example.join("fixtures/sample.json")).unwrap(),
        fs::read(scenario.join("fixture.json")).unwrap()
    );
}

/// The bookstore's models, and a fresh in-memory database with their tables.
fn bookstore() -> (Registry, Database) {
    let scenario = root().join("tests/conformance/bookstore");
    let registry = load(&[ModelSource {
        app_label: "bookstore".into(),
        path: None,
        text: fs::read_to_string(scenario.join("models.py")).unwrap(),
        default_auto_field: FieldKind::AutoField,
    }]);
    let db = Database::open(None, false).unwrap();
    migrate(&db, &registry).unwrap();
    (registry, db)
}

#[test]
fn loaddata_writes_the_rows_django_writes() {
    let scenario = root().join("tests/conformance/bookstore");
    let (registry, db) = bookstore();
    let n = loaddata(
        &db,
        &registry,
        &fs::read_to_string(scenario.join("fixture.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(n, 48);
    let django = Connection::open(scenario.join("db.sqlite3")).unwrap();
    // Django's migrate fills the content types and permissions itself.
    let filled_by_migrate = ["auth_group", "django_content_type", "auth_permission"];
    for m in registry
        .models
        .iter()
        .filter(|m| !filled_by_migrate.contains(&m.db_table.as_str()))
    {
        assert_eq!(
            rows(db.connection(), &m.db_table),
            rows(&django, &m.db_table),
            "table {}",
            m.db_table
        );
    }
}

/// Every scenario that has models and a fixture: its models, migrated into
/// a fresh database under its settings, loaded by ormsh.
#[test]
fn every_fixture_is_stored_as_django_stores_it() {
    let dir = root().join("tests/conformance");
    let mut checked = 0;
    for entry in fs::read_dir(&dir).unwrap() {
        let scenario = entry.unwrap().path();
        let (Ok(models), Ok(fixture)) = (
            fs::read_to_string(scenario.join("models.py")),
            fs::read_to_string(scenario.join("fixture.json")),
        ) else {
            continue;
        };
        // The oracle's defaults, and what the scenario's settings change.
        let settings_file = scenario.join("settings.py");
        let settings = if settings_file.exists() {
            ormsh::project::settings::from_file(&settings_file)
                .unwrap()
                .time
        } else {
            Default::default()
        };
        ormsh::settings::configure(settings);
        let label = scenario.file_name().unwrap().to_string_lossy().to_string();
        let registry = load(&[ModelSource {
            app_label: label.clone(),
            path: None,
            text: models,
            default_auto_field: FieldKind::AutoField,
        }]);
        let db = Database::open(None, false).unwrap();
        migrate(&db, &registry).unwrap();
        loaddata(&db, &registry, &fixture).unwrap_or_else(|e| panic!("{label}: {e:?}"));
        let django = Connection::open(scenario.join("db.sqlite3")).unwrap();
        for m in registry.models.iter().filter(|m| m.app_label == label) {
            assert_eq!(
                rows(db.connection(), &m.db_table),
                rows(&django, &m.db_table),
                "{label}: table {}",
                m.db_table
            );
        }
        ormsh::settings::take_warnings();
        checked += 1;
    }
    assert!(checked >= 4, "only {checked} scenarios have a fixture");
}

#[test]
fn a_failing_fixture_leaves_nothing_behind() {
    let (registry, db) = bookstore();
    let broken = r#"[{"model": "bookstore.tag", "pk": 1, "fields": {"name": "a"}},
                     {"model": "bookstore.tag", "pk": 2, "fields": {"name": "a"}}]"#;
    let err = loaddata(&db, &registry, broken).unwrap_err();
    assert_eq!(err.kind, "IntegrityError");
    assert!(rows(db.connection(), "bookstore_tag").is_empty());
}

/// A broken fixture is an error that names what is wrong, never a panic.
#[test]
fn broken_fixtures_are_errors() {
    let (registry, db) = bookstore();
    let cases = [
        ("{\"model\": \"bookstore.tag\"}", "DeserializationError"),
        ("[1]", "DeserializationError"),
        ("[{\"fields\": {}}]", "DeserializationError"),
        (
            "[{\"model\": \"bookstore.nope\", \"fields\": {}}]",
            "DeserializationError",
        ),
        (
            "[{\"model\": \"bookstore.tag\", \"pk\": 1}]",
            "DeserializationError",
        ),
        (
            "[{\"model\": \"bookstore.tag\", \"pk\": 1, \"fields\": {\"nope\": 1}}]",
            "FieldDoesNotExist",
        ),
        (
            "[{\"model\": \"bookstore.book\", \"pk\": 1, \"fields\": {\"published\": \"soon\"}}]",
            "ValidationError",
        ),
        (
            "[{\"model\": \"bookstore.tag\", \"pk\": 1, \"fields\": {\"name\": \"a\"",
            "DeserializationError",
        ),
    ];
    for (text, kind) in cases {
        let err = loaddata(&db, &registry, text).unwrap_err();
        assert_eq!(err.kind, kind, "{text}: {}", err.message);
    }
}
