//! `--migrate` creates, for every conformance scenario, exactly the tables
//! and indexes Django's migrate made (the scenario's schema.sql).

use ormsh::schema::{FieldKind, ModelSource, load};
use rusqlite::Connection;
use std::fs;
use std::path::{Path, PathBuf};

fn scenarios() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance");
    let mut dirs: Vec<PathBuf> = fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("schema.sql").exists())
        .collect();
    dirs.sort();
    dirs
}

/// What run_django.py's dump_schema writes (`ours` true: the app's tables),
/// or what tests/tools/dump_other_tables.py writes (the other tables).
fn dump(conn: &Connection, label: &str, ours: bool) -> String {
    let mut stmt = conn.prepare("SELECT tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type DESC, name").unwrap();
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .unwrap();
    let prefix = format!("{label}_");
    let other = |t: &str| {
        !t.starts_with(prefix.as_str())
            && !t.starts_with("auth_")
            && !t.starts_with("django_")
            && !t.starts_with("sqlite_")
    };
    rows.map(Result::unwrap)
        .filter(|(t, _)| {
            if ours {
                t.starts_with(&prefix)
            } else {
                other(t)
            }
        })
        .map(|(_, sql)| format!("{sql};\n"))
        .collect()
}

#[test]
fn migrate_makes_djangos_schema_for_every_scenario() {
    let mut failures = Vec::new();
    for dir in scenarios() {
        let label = dir.file_name().unwrap().to_string_lossy().into_owned();
        let text = fs::read_to_string(dir.join("models.py")).unwrap();
        let registry = load(&[ModelSource {
            app_label: label.clone(),
            path: None,
            text,
            default_auto_field: FieldKind::AutoField,
        }]);
        let errors: Vec<_> = registry
            .diagnostics
            .iter()
            .filter(|d| d.severity == ormsh::schema::Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{label}: {errors:?}");
        let db = ormsh::db::Database::open(None, false).unwrap();
        ormsh::db::migrate(&db, &registry).unwrap();
        let conn = db.connection();
        for (file, ours) in [("schema.sql", true), ("schema_other.sql", false)] {
            let Ok(want) = fs::read_to_string(dir.join(file)) else {
                continue;
            };
            let got = dump(conn, &label, ours);
            if got != want {
                failures.push(format!("{label}/{file}:\n  want:\n{want}  got:\n{got}"));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// A constraint or index ormsh cannot write refuses its table, by name,
/// rather than leave it out of the schema.
#[test]
fn a_constraint_ormsh_cannot_write_is_refused_not_dropped() {
    let text = "from django.db import models\n\nclass Event(models.Model):\n    seats = models.IntegerField()\n\n    class Meta:\n        constraints = [models.CheckConstraint(condition=models.Q(seats__gte=0), name='seats_not_negative')]\n";
    let registry = load(&[ModelSource {
        app_label: "shop".into(),
        path: None,
        text: text.into(),
        default_auto_field: FieldKind::AutoField,
    }]);
    let db = ormsh::db::Database::open(None, false).unwrap();
    let err = ormsh::db::migrate(&db, &registry).unwrap_err();
    assert!(
        err.message.contains("Event") && err.message.contains("'seats_not_negative'"),
        "{}",
        err.message
    );
    assert!(dump(db.connection(), "shop", true).is_empty());
}
