//! What people and scripts see: tables (pinned with insta, at a fixed
//! width, without and with colour), JSON and CSV parsed back and compared
//! with the database, how many statements a table runs, and CSV streaming
//! a million rows in constant memory.

mod common;

use ormsh::engine::{Console, Interp, Value};
use ormsh::error::Result;
use ormsh::render::table::{TableOptions, render_view};
use ormsh::render::{Format, Output, Settings};
use std::cell::RefCell;
use std::fs;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::rc::Rc;
use std::time::Duration;

use common::{Quiet, bookstore, example_root as root};

fn eval(interp: &mut Interp, expr: &str) -> Value {
    let stmts = ormsh::syntax::parse_input(&format!("_result = {expr}")).unwrap();
    interp.run(&stmts).unwrap();
    interp.globals.borrow_mut().remove("_result").unwrap()
}

fn table(interp: &mut Interp, expr: &str, color: bool) -> String {
    let v = eval(interp, expr);
    let view = interp.py().view(&v, 20).unwrap();
    render_view(
        &view,
        &TableOptions {
            color,
            width: Some(100),
        },
    )
}

#[test]
fn tables_for_people() {
    let (mut interp, _db) = bookstore(Box::new(Quiet));
    let mut out = String::new();
    for expr in [
        "Book.objects.all()",
        "Review.objects.filter(stars__gte=5)",
        "Book.objects.values('title', 'price')[:3]",
        "Book.objects.values_list('title', flat=True)[:2]",
        "Publisher.objects.annotate(n=Count('books')).order_by('name')",
        "Book.objects.aggregate(Sum('pages'), Avg('price'))",
        "Book.objects.get(title='Beloved')",
        "User.objects.get(username='ana')",
        "Tag.objects.none()",
        "Book.objects.count()",
        "'plain text'",
    ] {
        out.push_str(&format!(
            "> {expr}\n{}\n\n",
            table(&mut interp, expr, false)
        ));
    }
    insta::assert_snapshot!(out);
}

#[test]
fn tables_in_colour() {
    let (mut interp, _db) = bookstore(Box::new(Quiet));
    let text = table(&mut interp, "Profile.objects.all()", true);
    // Bold header, dimmed None, coloured relations: escape codes, pinned.
    assert!(text.contains("\u{1b}["), "{text}");
    insta::assert_snapshot!(text.replace('\u{1b}', "<ESC>"));
}

#[test]
fn a_row_too_wide_turns_vertical_and_the_limit_cuts() {
    let (mut interp, _db) = bookstore(Box::new(Quiet));
    let v = eval(&mut interp, "Review.objects.all()");
    let view = interp.py().view(&v, 3).unwrap();
    let narrow = render_view(
        &view,
        &TableOptions {
            color: false,
            width: Some(30),
        },
    );
    assert!(narrow.contains("-[ RECORD 1 ]-"), "{narrow}");
    // Every line of the records fits; the footer is prose.
    assert!(
        narrow
            .lines()
            .take_while(|l| !l.starts_with("Review ·"))
            .all(|l| l.chars().count() <= 30),
        "{narrow}"
    );
    assert!(narrow.contains("Review · 3 of 8 rows"), "{narrow}");
    assert!(narrow.contains("… 5 more"), "{narrow}");
}

/// A console that renders tables into a buffer, as the shell does.
struct Buffer(Output<BufferWriter>);

#[derive(Clone, Default)]
struct BufferWriter(Rc<RefCell<Vec<u8>>>);

impl std::io::Write for BufferWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Console for Buffer {
    fn print(&mut self, text: &str) -> Result<()> {
        self.0.print(text)
    }
    fn display(&mut self, interp: &mut Interp, value: &Value) -> Result<()> {
        self.0.display(interp, value)
    }
    fn help(
        &mut self,
        registry: &ormsh::schema::Registry,
        model: Option<ormsh::schema::ModelId>,
    ) -> Result<()> {
        self.0.help(registry, model)
    }

    fn finish_line(&mut self) -> Result<()> {
        self.0.finish_line()
    }
}

#[test]
fn a_twenty_row_table_with_two_foreign_keys_runs_at_most_two_statements() {
    let writer = BufferWriter::default();
    let settings = Rc::new(RefCell::new(Settings::new(Format::Table, false, Some(120))));
    let console = Buffer(Output::new(writer.clone(), settings));
    let (mut interp, db) = bookstore(Box::new(console));
    let setup = "for i in range(30):\n    Review.objects.create(book=Book.objects.get(pk=1 + i % 8), user=User.objects.get(pk=1 + i % 3), stars=i % 5)\n";
    interp
        .run(&ormsh::syntax::parse_input(setup).unwrap())
        .unwrap();
    let before = db.statements_run();
    interp
        .run(&ormsh::syntax::parse_input("Review.objects.all()").unwrap())
        .unwrap();
    let statements = db.statements_run() - before;
    let text = String::from_utf8(writer.0.borrow().clone()).unwrap();
    assert!(text.contains("Review · 20 of 38 rows"), "{text}");
    // The page of rows with both related objects, and the count.
    assert!(statements <= 2, "{statements} statements");
}

fn ormsh(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_ormsh"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A copy of the example with its database made, in a folder of its own.
fn example_copy(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ormsh-render-{}-{tag}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    let app = dir.join("bookstore");
    fs::create_dir_all(app.join("fixtures")).unwrap();
    fs::copy(root().join("models.py"), app.join("models.py")).unwrap();
    fs::copy(
        root().join("fixtures/sample.json"),
        app.join("fixtures/sample.json"),
    )
    .unwrap();
    ormsh(&[app.to_str().unwrap(), "-c", "pass"]);
    app
}

#[test]
fn json_parses_back_to_the_data() {
    let app = example_copy("json");
    let out = ormsh(&[
        app.to_str().unwrap(),
        "--format",
        "json",
        "-c",
        "Book.objects.order_by('id')\nBook.objects.values_list('title', 'pages').order_by('id')\nBook.objects.get(pk=1)\nBook.objects.count()",
    ]);
    let docs: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(docs.len(), 4);
    let conn = rusqlite::Connection::open(app.join("db.sqlite3")).unwrap();
    let mut stmt = conn
        .prepare("SELECT id, title, publisher_id, published, pages FROM bookstore_book ORDER BY id")
        .unwrap();
    let rows: Vec<(i64, String, i64, String, i64)> = stmt
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let books = docs[0].as_array().unwrap();
    assert_eq!(books.len(), rows.len());
    for (b, (id, title, publisher, published, pages)) in books.iter().zip(&rows) {
        assert_eq!(b["id"], *id);
        assert_eq!(b["title"], *title);
        assert_eq!(b["publisher_id"], *publisher);
        assert_eq!(b["published"], *published);
        assert_eq!(b["pages"], *pages);
        // Decimals come as strings, so no digit is lost.
        assert!(b["price"].is_string());
    }
    let pairs = docs[1].as_array().unwrap();
    assert_eq!(pairs[0], serde_json::json!([rows[0].1, rows[0].4]));
    assert_eq!(docs[2]["title"], rows[0].1);
    assert_eq!(docs[3], serde_json::json!(rows.len()));
    let _ = fs::remove_dir_all(app.parent().unwrap());
}

#[test]
fn csv_parses_back_to_the_data() {
    let app = example_copy("csv");
    let out = ormsh(&[
        app.to_str().unwrap(),
        "--format",
        "csv",
        "-c",
        "Review.objects.order_by('id')",
    ]);
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, ["id", "book_id", "user_id", "stars", "text"]);
    let conn = rusqlite::Connection::open(app.join("db.sqlite3")).unwrap();
    let mut stmt = conn
        .prepare("SELECT id, book_id, user_id, stars, text FROM bookstore_review ORDER BY id")
        .unwrap();
    let rows: Vec<Vec<String>> = stmt
        .query_map([], |r| {
            Ok(vec![
                r.get::<_, i64>(0)?.to_string(),
                r.get::<_, i64>(1)?.to_string(),
                r.get::<_, i64>(2)?.to_string(),
                r.get::<_, i64>(3)?.to_string(),
                r.get::<_, String>(4)?,
            ])
        })
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let parsed: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    assert_eq!(parsed, rows);
    let _ = fs::remove_dir_all(app.parent().unwrap());
}

/// Peak resident memory (KiB) of `ormsh args`, whose stdout is read and
/// counted in lines as it comes.
fn peak_memory(args: &[&str]) -> (usize, u64) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ormsh"))
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        use std::io::BufRead;
        std::io::BufReader::new(stdout).lines().count()
    });
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    while child.try_wait().unwrap().is_none() {
        if let Ok(status) = fs::read_to_string(&status_file)
            && let Some(kb) = status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        {
            peak = peak.max(kb);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(child.wait().unwrap().success());
    (reader.join().unwrap(), peak)
}

#[test]
fn csv_streams_a_million_rows_in_constant_memory() {
    let dir = std::env::temp_dir().join(format!("ormsh-million-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("shop")).unwrap();
    fs::write(
        dir.join("shop/models.py"),
        "from django.db import models\n\n\nclass Item(models.Model):\n    name = models.CharField(max_length=50)\n    n = models.IntegerField()\n",
    )
    .unwrap();
    let target = dir.to_str().unwrap();
    ormsh(&[target, "--migrate", "-c", "pass"]);
    let fill = |rows: i64| {
        let conn = rusqlite::Connection::open(dir.join("db.sqlite3")).unwrap();
        conn.execute_batch(&format!(
            "DELETE FROM shop_item; WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < {rows}) INSERT INTO shop_item (name, n) SELECT 'item number ' || x, x FROM c"
        ))
        .unwrap();
    };
    let args = [target, "--format", "csv", "-c", "Item.objects.all()"];
    fill(10_000);
    let (lines_small, small) = peak_memory(&args);
    fill(1_000_000);
    let (lines_large, large) = peak_memory(&args);
    assert_eq!(lines_small, 10_001);
    assert_eq!(lines_large, 1_000_001);
    assert!(
        large < small + 16 * 1024,
        "peak memory grew from {small} KiB to {large} KiB"
    );
    let _ = fs::remove_dir_all(dir);
}

/// `-c` is one cell: its top-level values print, a block's do not; piped
/// statements follow the console, which prints both.
#[test]
fn a_cell_prints_only_its_top_level_values() {
    let code = "for i in range(2):\n    i\n\n'top'";
    let cell = ormsh(&["--format", "repr", "-c", code]);
    assert_eq!(cell, "'top'\n");
    let mut piped = Command::new(env!("CARGO_BIN_EXE_ormsh"))
        .args(["--format", "repr"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    piped
        .stdin
        .take()
        .unwrap()
        .write_all(code.as_bytes())
        .unwrap();
    let out = piped.wait_with_output().unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "0\n1\n'top'\n");
}
