//! Writes that must not lose data: a cascade is set-based, `--read-only`
//! refuses before any SQL runs, `--sandbox` leaves the file untouched, and
//! a process killed in the middle of a large cascading delete leaves the
//! database as it was before that statement.

mod common;

use ormsh::db::{Database, migrate};
use ormsh::engine::Interp;
use ormsh::error::Result;
use ormsh::schema::{FieldKind, ModelSource, load};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::rc::Rc;
use std::time::{Duration, Instant};

const MODELS: &str = "from django.db import models


class Parent(models.Model):
    name = models.CharField(max_length=30)


class Child(models.Model):
    parent = models.ForeignKey(Parent, on_delete=models.CASCADE, related_name='children')
    n = models.IntegerField()


class Toy(models.Model):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name='toys')
    owner = models.ForeignKey(Parent, on_delete=models.SET_NULL, null=True, related_name='+')


class Note(models.Model):
    parent = models.ForeignKey(Parent, on_delete=models.DO_NOTHING)
";

/// A folder `DIR/family` with the models and `DIR/db.sqlite3` holding
/// `parents` parents, each with `children` children and one toy a child.
fn family(tag: &str, parents: i64, children: i64) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ormsh-writes-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("family")).unwrap();
    std::fs::write(dir.join("family/models.py"), MODELS).unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_ormsh"))
        .arg(&dir)
        .args(["--migrate", "-c", "pass"])
        .status()
        .unwrap();
    assert!(status.success());
    let conn = rusqlite::Connection::open(dir.join("db.sqlite3")).unwrap();
    conn.execute_batch(&format!(
        "BEGIN;
         WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < {parents})
           INSERT INTO family_parent (name) SELECT 'p' || x FROM c;
         WITH RECURSIVE c(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM c WHERE x < {children} * {parents} - 1)
           INSERT INTO family_child (parent_id, n) SELECT x / {children} + 1, x FROM c;
         INSERT INTO family_toy (child_id, owner_id) SELECT id, parent_id FROM family_child;
         COMMIT;"
    ))
    .unwrap();
    dir
}

fn counts(db: &Path) -> (i64, i64, i64) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let n = |t: &str| {
        conn.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
            .unwrap()
    };
    (n("family_parent"), n("family_child"), n("family_toy"))
}

fn interp_on(db_path: &Path, read_only: bool) -> (Interp, Rc<Database>) {
    let registry = load(&[ModelSource {
        app_label: "family".into(),
        path: None,
        text: MODELS.into(),
        default_auto_field: FieldKind::AutoField,
    }]);
    let db = Rc::new(Database::open(Some(db_path), read_only).unwrap());
    if !read_only {
        migrate(&db, &registry).unwrap();
    }
    let mut interp = Interp::new(Box::new(common::Quiet));
    interp.bind_models(Rc::new(registry));
    interp.set_database(db.clone());
    (interp, db)
}

fn run(interp: &mut Interp, code: &str) -> Result<()> {
    let stmts = ormsh::syntax::parse_input(code).unwrap();
    interp.run(&stmts).map(|_| ())
}

#[test]
fn a_cascade_over_ten_thousand_rows_is_set_based() {
    let dir = family("cascade", 1, 10_000);
    let (mut interp, db) = interp_on(&dir.join("db.sqlite3"), false);
    let before = db.statements_run();
    run(
        &mut interp,
        "result = Parent.objects.get(name='p1').delete()",
    )
    .unwrap();
    let statements = db.statements_run() - before;
    // 20,000 rows deleted: batches of 999 keys, never a statement a row.
    assert!(statements <= 60, "{statements} statements for the cascade");
    let result = interp.globals.borrow_mut().remove("result").unwrap();
    assert_eq!(
        ormsh::engine::repr::repr(&result),
        "(20001, {'family.Toy': 10000, 'family.Child': 10000, 'family.Parent': 1})"
    );
    drop((interp, db));
    assert_eq!(counts(&dir.join("db.sqlite3")), (0, 0, 0));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn read_only_refuses_every_write_before_any_sql_runs() {
    let dir = family("readonly", 2, 3);
    let path = dir.join("db.sqlite3");
    let bytes = std::fs::read(&path).unwrap();
    let (mut interp, db) = interp_on(&path, true);
    run(&mut interp, "p = Parent.objects.get(name='p1')").unwrap();
    run(&mut interp, "c = Child.objects.filter(parent=p).first()").unwrap();
    for write in [
        "Parent.objects.create(name='new')",
        "p.save()",
        "p.delete()",
        "Parent.objects.all().delete()",
        "Child.objects.update(n=0)",
        "Parent.objects.bulk_create([Parent(name='a')])",
        "p.children.create(n=1)",
        "p.children.add(c)",
        "migrate()",
    ] {
        let before = db.statements_run();
        let err = run(&mut interp, write).unwrap_err();
        assert!(
            err.message.contains("read-only"),
            "{write}: {}",
            err.message
        );
        assert_eq!(db.statements_run(), before, "{write} ran SQL");
    }
    // As Django: get_or_create() looks first, outside any transaction, so a
    // row that exists is answered; only creating one is refused.
    run(
        &mut interp,
        "found = Parent.objects.get_or_create(name='p1')",
    )
    .unwrap();
    let found = interp.globals.borrow_mut().remove("found").unwrap();
    let shown = ormsh::engine::repr::repr(&found);
    assert!(shown.ends_with(", False)"), "{shown}");
    let before = db.statements_run();
    let err = run(&mut interp, "Parent.objects.get_or_create(name='p9')").unwrap_err();
    assert!(err.message.contains("read-only"), "{}", err.message);
    assert_eq!(db.statements_run(), before + 1, "only the lookup ran");
    drop((interp, db));
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_sandbox_session_leaves_the_database_untouched() {
    let dir = family("sandbox", 3, 4);
    let path = dir.join("db.sqlite3");
    let before = counts(&path);
    let out = Command::new(env!("CARGO_BIN_EXE_ormsh"))
        .arg(&dir)
        .args([
            "--sandbox",
            "--format",
            "repr",
            "-c",
            "Parent.objects.get(name='p1').delete()\nChild.objects.update(n=-7)\nParent.objects.create(name='new')\nParent.objects.count(), Child.objects.filter(n=-7).count()",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.ends_with("(3, 8)\n"), "{stdout}");
    assert_eq!(counts(&path), before);
    let conn = rusqlite::Connection::open(&path).unwrap();
    // A key left dangling fails the operation, as the commit would outside.
    let out = Command::new(env!("CARGO_BIN_EXE_ormsh"))
        .arg(&dir)
        .args([
            "--sandbox",
            "--format",
            "repr",
            "-c",
            "Note.objects.create(parent=Parent.objects.get(name='p2'))\nParent.objects.get(name='p2').delete()\nParent.objects.filter(name='p2').exists()",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("IntegrityError: FOREIGN KEY constraint failed"),
        "{stderr}"
    );
    assert!(String::from_utf8(out.stdout).unwrap().ends_with("True\n"));
    let sevens: i64 = conn
        .query_row("SELECT count(*) FROM family_child WHERE n = -7", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(sevens, 0);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn sigkill_in_the_middle_of_a_cascade_leaves_the_database_as_it_was() {
    let dir = family("sigkill", 40, 5_000);
    let path = dir.join("db.sqlite3");
    let journal = dir.join("db.sqlite3-journal");
    let before = counts(&path);
    let mut child = Command::new(env!("CARGO_BIN_EXE_ormsh"))
        .arg(&dir)
        .args(["-c", "Parent.objects.all().delete()"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // The rollback journal exists while a write transaction is open: once
    // it appears, the delete has begun writing and not yet committed.
    let start = Instant::now();
    while !journal.exists() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the delete ended before it was caught writing"
        );
        assert!(start.elapsed() < Duration::from_secs(60));
        std::thread::sleep(Duration::from_micros(200));
    }
    std::thread::sleep(Duration::from_millis(20));
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(journal.exists(), "the kill came after the commit");
    // Opening the file rolls the hot journal back.
    assert_eq!(counts(&path), before);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let _ = std::fs::remove_dir_all(dir);
}

/// A JSONField stores `json.dumps(value)`, byte for byte what Django 5.2
/// stored for the same `create()` calls (separators, `\u` escapes), and None
/// as SQL NULL: another program reading the column sees Django's text.
#[test]
fn a_json_field_stores_the_text_django_stores() {
    let dir = std::env::temp_dir().join(format!("ormsh-writes-{}-json", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("kennel")).unwrap();
    std::fs::write(
        dir.join("kennel/models.py"),
        "from django.db import models\n\n\nclass Dog(models.Model):\n    data = models.JSONField(null=True)\n",
    )
    .unwrap();
    let code = "Dog.objects.create(data={'x': 1, 'y': 'é', 'z': [1, 2.5, None]})
Dog.objects.create(data=None)
Dog.objects.create(data={1: 'a', None: 2, 2.5: 3, True: 4})";
    let status = Command::new(env!("CARGO_BIN_EXE_ormsh"))
        .arg(&dir)
        .args(["--migrate", "-c", code])
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let conn = rusqlite::Connection::open(dir.join("db.sqlite3")).unwrap();
    let stored: Vec<Option<String>> = conn
        .prepare("SELECT data FROM kennel_dog ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(
        stored,
        [
            Some(r#"{"x": 1, "y": "\u00e9", "z": [1, 2.5, null]}"#.to_string()),
            None,
            Some(r#"{"1": 4, "null": 2, "2.5": 3}"#.to_string()),
        ]
    );
    let _ = std::fs::remove_dir_all(dir);
}
