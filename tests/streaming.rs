//! Iterating a queryset streams its rows out of SQLite: the memory a loop
//! over a table uses does not grow with the number of rows.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// A project folder with one model and a database of `rows` items.
fn project(rows: u64) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ormsh-stream-{}-{rows}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("shop")).unwrap();
    std::fs::write(
        dir.join("shop/models.py"),
        "from django.db import models\n\n\nclass Item(models.Model):\n    name = models.CharField(max_length=50)\n    n = models.IntegerField()\n",
    )
    .unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_ormsh"))
        .arg(&dir)
        .args(["--migrate", "-c", "pass"])
        .status()
        .unwrap();
    assert!(status.success());
    let conn = rusqlite::Connection::open(dir.join("db.sqlite3")).unwrap();
    conn.execute(
        "INSERT INTO shop_item (name, n) WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ?1) SELECT 'item number ' || x, x FROM c",
        [rows as i64],
    )
    .unwrap();
    dir
}

/// Runs `code` on the project and returns what it printed and the peak
/// resident memory of the process in KiB (Linux's VmHWM, read until it exits).
fn run_measured(dir: &Path, code: &str) -> (String, u64) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ormsh"))
        .arg(dir)
        .args(["--format", "repr", "-c", code])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    while child.try_wait().unwrap().is_none() {
        if let Ok(status) = std::fs::read_to_string(&status_file)
            && let Some(kb) = status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        {
            peak = peak.max(kb);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    (String::from_utf8(out.stdout).unwrap(), peak)
}

#[test]
fn a_loop_over_a_queryset_does_not_hold_its_rows() {
    let code = "total = 0\nfor it in Item.objects.all():\n    total = total + it.n\n\nprint(total)";
    let small = project(2_000);
    let large = project(200_000);
    let (out_small, peak_small) = run_measured(&small, code);
    let (out_large, peak_large) = run_measured(&large, code);
    assert_eq!(out_small.trim(), (2_000u64 * 2_001 / 2).to_string());
    assert_eq!(out_large.trim(), (200_000u64 * 200_001 / 2).to_string());
    // Holding 200,000 instances takes far more than 16 MiB; a stream holds one.
    assert!(
        peak_large < peak_small + 16 * 1024,
        "peak memory grew from {peak_small} KiB to {peak_large} KiB"
    );
    let (_, peak_iterator) = run_measured(
        &large,
        "total = 0\nfor it in Item.objects.iterator():\n    total = total + it.n\n\nprint(total)",
    );
    assert!(peak_iterator < peak_small + 16 * 1024);
    for dir in [small, large] {
        let _ = std::fs::remove_dir_all(dir);
    }
}
