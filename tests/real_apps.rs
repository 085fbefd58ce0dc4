//! Real apps from PyPI, loaded as Django loads them: the wheels pinned in
//! tests/real_apps/wheels.txt (fetched by fetch.sh into target/real-apps,
//! never committed), the project in tests/real_apps/project, and what
//! Django made of them (tests/real_apps/oracle.py: its tables, its rows,
//! and its transcript of a session over every model and relation).
//!
//! What does not match yet is listed in tests/real_apps/known_failures.txt
//! (`table NAME`, `statement TEXT`); a listed line that matches fails the
//! test too, so the list only shrinks.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

fn here() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/real_apps")
}

/// The apps' source, fetched once (network to PyPI the first time).
fn site_packages() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/real-apps");
        let sp = dir.join("site-packages");
        if !sp.join("taggit").is_dir() {
            let status = Command::new("bash")
                .arg(here().join("fetch.sh"))
                .arg(&dir)
                .status()
                .expect("bash runs fetch.sh");
            assert!(
                status.success() && sp.join("taggit").is_dir(),
                "tests/real_apps/fetch.sh could not fetch the apps' wheels from PyPI (it needs the network once; they are kept in target/real-apps)"
            );
        }
        sp
    })
}

/// A scratch copy of the project, its database made from `sql` when given.
fn project(tag: &str, sql: &[&str]) -> PathBuf {
    let to = std::env::temp_dir().join(format!("ormsh-real-apps-{tag}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&to);
    fs::create_dir_all(to.join("config")).unwrap();
    for file in [
        "manage.py",
        "config/__init__.py",
        "config/settings.py",
        "config/urls.py",
    ] {
        fs::copy(here().join("project").join(file), to.join(file)).unwrap();
    }
    if !sql.is_empty() {
        let conn = rusqlite::Connection::open(to.join("db.sqlite3")).unwrap();
        // The rows come table by table, not in the order their keys need.
        conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
        for text in sql {
            conn.execute_batch(text).unwrap();
        }
    }
    to
}

fn ormsh(dir: &Path, args: &[&str], stdin: &str) -> String {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("exec \"$0\" \"$@\" 2>&1")
        .arg(env!("CARGO_BIN_EXE_ormsh"))
        .arg(dir)
        .arg("--site-packages")
        .arg(site_packages())
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("DJANGO_SETTINGS_MODULE")
        .env_remove("VIRTUAL_ENV")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The listed failures with this prefix (`table `, `statement `).
fn known(prefix: &str) -> BTreeSet<String> {
    fs::read_to_string(here().join("known_failures.txt"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.strip_prefix(prefix))
        .map(String::from)
        .collect()
}

fn check_against_list(prefix: &str, failing: BTreeSet<String>, details: &str) {
    let listed = known(prefix);
    let new: Vec<&String> = failing.difference(&listed).collect();
    let fixed: Vec<&String> = listed.difference(&failing).collect();
    assert!(
        new.is_empty() && fixed.is_empty(),
        "tests/real_apps/known_failures.txt is out of date.\nfailing but not listed ({}):\n{}\nlisted but now passing, remove them ({}):\n{}\n\n{details}",
        new.len(),
        new.iter()
            .map(|s| format!("{prefix}{s}"))
            .collect::<Vec<_>>()
            .join("\n"),
        fixed.len(),
        fixed
            .iter()
            .map(|s| format!("{prefix}{s}"))
            .collect::<Vec<_>>()
            .join("\n"),
    );
}

/// Statements of a schema by the table they belong to.
fn by_table(statements: impl Iterator<Item = String>) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for sql in statements {
        let table = sql
            .split_once(" ON \"")
            .or_else(|| sql.split_once("CREATE TABLE \""))
            .and_then(|(_, rest)| rest.split('"').next())
            .unwrap_or_default()
            .to_string();
        out.entry(table).or_default().insert(sql);
    }
    out
}

#[test]
fn migrate_makes_the_tables_djangos_migrate_makes() {
    let dir = project("migrate", &[]);
    let log = ormsh(&dir, &["--migrate", "-c", "pass"], "");
    let conn = rusqlite::Connection::open(dir.join("db.sqlite3")).unwrap();
    let mut stmt = conn
        .prepare("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND tbl_name != 'django_migrations'")
        .unwrap();
    let ours = by_table(
        stmt.query_map([], |r| r.get::<_, String>(0))
            .unwrap()
            .map(Result::unwrap),
    );
    let schema = fs::read_to_string(here().join("schema.sql")).unwrap();
    let django = by_table(
        schema
            .split(";\n")
            .filter(|s| !s.is_empty())
            .map(String::from),
    );
    let mut failing = BTreeSet::new();
    let mut details = String::new();
    for (table, want) in &django {
        let got = ours.get(table).cloned().unwrap_or_default();
        if got != *want {
            failing.insert(table.clone());
            details.push_str(&format!(
                "== {table}\n  django: {want:?}\n  ormsh:  {got:?}\n"
            ));
        }
    }
    for table in ours.keys().filter(|t| !django.contains_key(*t)) {
        failing.insert(format!("{table} (made by ormsh only)"));
    }
    let _ = fs::remove_dir_all(&dir);
    check_against_list("table ", failing, &format!("{details}\normsh said:\n{log}"));
}

/// A transcript's blocks by their statement (the `>>>` line and its `...`
/// lines), each with what followed it.
fn blocks(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if let Some(stmt) = line.strip_prefix(">>> ") {
            out.push((stmt.to_string(), String::new()));
        } else if let Some((_, body)) = out.last_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    out
}

#[test]
fn a_session_over_every_model_prints_what_django_printed() {
    let schema = fs::read_to_string(here().join("schema.sql")).unwrap();
    let rows = fs::read_to_string(here().join("db.sql")).unwrap();
    let dir = project("session", &[&schema, &rows]);
    let session = fs::read_to_string(here().join("session.txt")).unwrap();
    let got = ormsh(
        &dir,
        &["--read-only", "--echo", "--format", "repr"],
        &session,
    );
    let want = fs::read_to_string(here().join("expected.txt")).unwrap();
    let (got, want) = (blocks(&got), blocks(&want));
    assert_eq!(
        got.len(),
        want.len(),
        "ormsh echoed {} statements, Django {}",
        got.len(),
        want.len()
    );
    let mut failing = BTreeSet::new();
    let mut details = String::new();
    for ((stmt, ours), (_, theirs)) in got.iter().zip(&want) {
        if ours != theirs {
            failing.insert(stmt.clone());
            details.push_str(&format!(">>> {stmt}\n  django: {theirs}  ormsh:  {ours}"));
        }
    }
    let _ = fs::remove_dir_all(&dir);
    check_against_list("statement ", failing, &details);
}
