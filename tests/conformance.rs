//! Runs every scenario under tests/conformance/ through the built binary,
//! exactly as ../shared/oracle/compare.py does, and compares the transcript
//! with Django's expected.txt statement by statement.
//!
//! Scenarios that do not pass yet are named in
//! tests/conformance/known_failures.txt. The test fails when a scenario not
//! listed there fails, and also when a listed one passes, so the list only
//! shrinks.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A transcript as (statement lines, output lines) blocks, as compare.py reads it.
fn blocks(text: &str) -> Vec<(Vec<String>, Vec<String>)> {
    let mut out: Vec<(Vec<String>, Vec<String>)> = Vec::new();
    for line in text.trim_end_matches('\n').lines() {
        let line = line.trim_end().to_string();
        if line.starts_with(">>> ") || line == ">>>" {
            out.push((vec![line], vec![]));
        } else if line.starts_with("... ") || line == "..." {
            match out.last_mut() {
                Some(last) if last.1.is_empty() => last.0.push(line),
                Some(last) => last.1.push(line),
                None => {}
            }
        } else if let Some(last) = out.last_mut() {
            last.1.push(line);
        } else {
            out.push((vec![], vec![line]));
        }
    }
    out
}

/// Runs the binary on a scenario as compare.py does: a copy of models.py in a
/// folder named after the app, a fresh database (or a copy of the shipped
/// one), session.txt on stdin, and stderr merged into stdout on one pipe.
fn run_scenario(dir: &Path) -> String {
    run_on(dir, Database::Migrated)
}

#[derive(Clone, Copy, PartialEq)]
enum Database {
    /// As compare.py: a copy of the shipped database, else `--migrate`.
    Migrated,
    /// No `--db`: the tables are made as statements first use them.
    InMemory,
    /// A new file without `--migrate`: the same, on disk.
    NewFile,
}

fn run_on(dir: &Path, database: Database) -> String {
    let label = dir.file_name().unwrap().to_str().unwrap();
    // Tests run side by side: each run has its own folder.
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let run = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = std::env::temp_dir().join(format!(
        "ormsh-conformance-{}-{run}-{label}",
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&tmp);
    fs::create_dir_all(tmp.join(label)).unwrap();
    let models = tmp.join(label).join("models.py");
    fs::copy(dir.join("models.py"), &models).unwrap();
    let db = tmp.join("db.sqlite3");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ormsh"));
    cmd.arg("--models")
        .arg(&models)
        .args(["--echo", "--format", "repr"]);
    // As compare.py: a scenario's settings.py is given as --settings.
    if dir.join("settings.py").exists() {
        cmd.arg("--settings").arg(dir.join("settings.py"));
    }
    match database {
        Database::InMemory => {}
        Database::NewFile => {
            cmd.arg("--db").arg(&db);
        }
        Database::Migrated if dir.join("db.sqlite3").exists() => {
            cmd.arg("--db").arg(&db);
            fs::copy(dir.join("db.sqlite3"), &db).unwrap();
        }
        Database::Migrated => {
            cmd.arg("--db").arg(&db).arg("--migrate");
        }
    }
    let (mut reader, writer) = std::io::pipe().expect("a pipe");
    let mut child = cmd
        .stdin(fs::File::open(dir.join("session.txt")).unwrap())
        .stdout(writer.try_clone().expect("a pipe end"))
        .stderr(writer)
        .env("NO_COLOR", "1")
        .env("TERM", "dumb")
        .spawn()
        .expect("the ormsh binary runs");
    // The command holds the last writers; drop it so that reading ends with the child.
    drop(cmd);
    let mut text = String::new();
    std::io::Read::read_to_string(&mut reader, &mut text).expect("the transcript is text");
    child.wait().expect("ormsh exits");
    let _ = fs::remove_dir_all(&tmp);
    text
}

struct Mismatch {
    statement: Vec<String>,
    want: Vec<String>,
    got: Option<Vec<String>>,
}

fn compare(expected: &str, got: &str) -> (usize, Vec<Mismatch>) {
    let want = blocks(expected);
    let got = blocks(got);
    let mut misses = Vec::new();
    for (i, (stmt, out)) in want.iter().enumerate() {
        match got.get(i) {
            Some((s, o)) if s == stmt && o == out => {}
            Some((s, o)) if s == stmt => misses.push(Mismatch {
                statement: stmt.clone(),
                want: out.clone(),
                got: Some(o.clone()),
            }),
            _ => misses.push(Mismatch {
                statement: stmt.clone(),
                want: out.clone(),
                got: None,
            }),
        }
    }
    (want.len(), misses)
}

fn scenarios() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance");
    let mut dirs: Vec<PathBuf> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("expected.txt").exists())
        .collect();
    dirs.sort();
    dirs
}

fn known_failures() -> BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/known_failures.txt");
    fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn conformance_transcripts_match_django() {
    let known = known_failures();
    let all = scenarios();
    assert!(
        !all.is_empty(),
        "no scenarios found under tests/conformance"
    );
    let names: BTreeSet<String> = all
        .iter()
        .map(|d| d.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let mut problems = Vec::new();
    for stale in known.difference(&names) {
        problems.push(format!(
            "known_failures.txt names '{stale}', which is not a scenario"
        ));
    }
    let (mut matched, mut total) = (0, 0);
    for dir in &all {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let expected = fs::read_to_string(dir.join("expected.txt")).unwrap();
        let got = run_scenario(dir);
        let (count, misses) = compare(&expected, &got);
        total += count;
        matched += count - misses.len();
        let passes = misses.is_empty();
        println!(
            "{} {name} ({}/{count})",
            if passes { "PASS" } else { "FAIL" },
            count - misses.len()
        );
        match (passes, known.contains(&name)) {
            (true, true) => problems.push(format!(
                "{name} passes now: remove it from tests/conformance/known_failures.txt"
            )),
            (false, false) => {
                let mut report = format!(
                    "{name}: {} of {count} statements differ from Django",
                    misses.len()
                );
                for m in misses.iter().take(8) {
                    report.push_str(&format!("\n    {}", m.statement.join(" | ")));
                    report.push_str(&format!(
                        "\n      want: {}",
                        if m.want.is_empty() {
                            "(nothing)".into()
                        } else {
                            m.want.join(" / ")
                        }
                    ));
                    let got = match &m.got {
                        None => "<<statement not echoed at this position>>".to_string(),
                        Some(g) if g.is_empty() => "(nothing)".to_string(),
                        Some(g) => g.join(" / "),
                    };
                    report.push_str(&format!("\n      got:  {got}"));
                }
                problems.push(report);
            }
            _ => {}
        }
    }
    println!("statements: {matched}/{total} match");
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

/// A database ormsh makes gets each table when a statement first needs it;
/// whatever the order, every scenario reads as on a migrated database.
#[test]
fn tables_made_on_first_use_give_the_same_transcripts() {
    let mut differ = Vec::new();
    for dir in scenarios()
        .iter()
        .filter(|d| !d.join("db.sqlite3").exists())
    {
        let migrated = run_scenario(dir);
        for (database, what) in [
            (Database::InMemory, "in memory"),
            (Database::NewFile, "new file "),
        ] {
            let made_on_use = run_on(dir, database);
            if migrated != made_on_use {
                let name = dir.file_name().unwrap().to_string_lossy().into_owned();
                let first = migrated
                    .lines()
                    .zip(made_on_use.lines())
                    .find(|(a, b)| a != b)
                    .map(|(a, b)| format!("\n    migrated:  {a}\n    {what}: {b}"))
                    .unwrap_or_default();
                differ.push(format!("{name}{first}"));
            }
        }
    }
    assert!(differ.is_empty(), "\n{}\n", differ.join("\n"));
}

#[test]
fn transcript_blocks_split_like_compare_py() {
    let text = ">>> for x in y:\n...     print(x)\n1\n... not a statement\n>>> x\n";
    let b = blocks(text);
    assert_eq!(b.len(), 2);
    assert_eq!(b[0].0.len(), 2);
    assert_eq!(
        b[0].1,
        vec!["1".to_string(), "... not a statement".to_string()]
    );
}
