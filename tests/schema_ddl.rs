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
    // The other tables are made; this one is reported, never made without it.
    let report = ormsh::db::migrate(&db, &registry).unwrap();
    assert_eq!(report.refused.len(), 1, "{:?}", report.refused);
    let why = &report.refused[0];
    assert!(
        why.contains("Event") && why.contains("'seats_not_negative'"),
        "{why}"
    );
    assert!(dump(db.connection(), "shop", true).is_empty());
}

/// Django 5.2's migrate on SQLite, read back from sqlite_master, for the
/// sites, flatpages and redirects apps (`name` before `domain`, `site_id`
/// second: their migration histories).
const CONTRIB_SITES_DDL: &str = r#"CREATE TABLE "django_flatpage" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "url" varchar(100) NOT NULL, "title" varchar(200) NOT NULL, "content" text NOT NULL, "enable_comments" bool NOT NULL, "template_name" varchar(70) NOT NULL, "registration_required" bool NOT NULL)
CREATE TABLE "django_flatpage_sites" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "flatpage_id" integer NOT NULL REFERENCES "django_flatpage" ("id") DEFERRABLE INITIALLY DEFERRED, "site_id" integer NOT NULL REFERENCES "django_site" ("id") DEFERRABLE INITIALLY DEFERRED)
CREATE INDEX "django_flatpage_url_41612362" ON "django_flatpage" ("url")
CREATE UNIQUE INDEX "django_flatpage_sites_flatpage_id_site_id_0d29d9d1_uniq" ON "django_flatpage_sites" ("flatpage_id", "site_id")
CREATE INDEX "django_flatpage_sites_flatpage_id_078bbc8b" ON "django_flatpage_sites" ("flatpage_id")
CREATE INDEX "django_flatpage_sites_site_id_bfd8ea84" ON "django_flatpage_sites" ("site_id")
CREATE TABLE "django_redirect" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "site_id" integer NOT NULL REFERENCES "django_site" ("id") DEFERRABLE INITIALLY DEFERRED, "old_path" varchar(200) NOT NULL, "new_path" varchar(200) NOT NULL)
CREATE UNIQUE INDEX "django_redirect_site_id_old_path_ac5dd16b_uniq" ON "django_redirect" ("site_id", "old_path")
CREATE INDEX "django_redirect_site_id_c3e37341" ON "django_redirect" ("site_id")
CREATE INDEX "django_redirect_old_path_c6cc94d3" ON "django_redirect" ("old_path")
CREATE TABLE "django_site" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(50) NOT NULL, "domain" varchar(100) NOT NULL UNIQUE)"#;

#[test]
fn sites_flatpages_and_redirects_are_djangos_own() {
    let apps: Vec<String> = [
        "django.contrib.sites",
        "django.contrib.flatpages",
        "django.contrib.redirects",
    ]
    .map(String::from)
    .to_vec();
    let registry = ormsh::schema::load_project(
        &[],
        &ormsh::schema::ProjectOptions {
            installed_apps: Some(&apps),
            ..Default::default()
        },
    );
    assert!(
        registry.diagnostics.is_empty(),
        "{:?}",
        registry.diagnostics
    );
    let db = ormsh::db::Database::open(None, false).unwrap();
    let report = ormsh::db::migrate(&db, &registry).unwrap();
    assert!(report.refused.is_empty(), "{:?}", report.refused);
    let mut made: Vec<String> = db
        .connection()
        .prepare("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'")
        .unwrap()
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut want: Vec<String> = CONTRIB_SITES_DDL.lines().map(String::from).collect();
    made.sort();
    want.sort();
    assert_eq!(made, want);
}
