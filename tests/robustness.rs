//! Inputs that once crashed ormsh, hung it or made it guess (issue 12's
//! hostile campaign): each runs the real binary and must end with Python's
//! or Django's answer, never a panic (exit 101), an abort (134) or a value
//! Django would not give. Memory cases run under `ulimit -v`, so that a
//! regression fails the test rather than taking the machine down.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

struct Run {
    status: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

fn finish(out: Output) -> Run {
    Run {
        status: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `ormsh ARGS` in `dir`, with `stdin` as its input, under a 4 GB
/// address-space limit.
fn ormsh_in(dir: &Path, args: &[&str], stdin: &str) -> Run {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 4000000; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_ormsh"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ormsh runs");
    child
        .stdin
        .take()
        .expect("a pipe")
        .write_all(stdin.as_bytes())
        .expect("ormsh reads its input");
    finish(child.wait_with_output().expect("ormsh ends"))
}

fn ormsh(args: &[&str]) -> Run {
    ormsh_in(&std::env::temp_dir(), args, "")
}

fn repr(code: &str) -> Run {
    ormsh(&["--format", "repr", "-c", code])
}

fn scratch(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ormsh-robust-{}-{tag}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// A scratch folder holding one app, `label/models.py`.
fn app(tag: &str, label: &str, models: &str) -> PathBuf {
    let dir = scratch(tag);
    fs::create_dir_all(dir.join(label)).unwrap();
    fs::write(dir.join(label).join("models.py"), models).unwrap();
    dir
}

/// Ended cleanly, with `want` among the errors.
fn assert_error(run: &Run, want: &str) {
    assert_clean(run, want);
    assert!(run.stderr.contains(want), "{want}: {}", run.all());
}

fn assert_clean(run: &Run, what: &str) {
    assert!(
        !matches!(run.status, Some(101) | Some(134) | None),
        "{what}: exit {:?}\n{}",
        run.status,
        run.all()
    );
}

#[test]
fn non_ascii_next_to_a_syntax_error_is_pythons_invalid_character() {
    for format in ["table", "repr", "json", "csv"] {
        for (code, want) in [
            (
                "Book.objects.filter(title=“Dune”)",
                "invalid character '“' (U+201C)",
            ),
            ("(😀)", "invalid character '😀' (U+1F600)"),
            ("1 + ½", "invalid character '½' (U+00BD)"),
        ] {
            let run = ormsh(&["--format", format, "-c", code]);
            assert_clean(&run, code);
            assert!(run.stderr.contains(want), "{format} {code}: {}", run.all());
        }
    }
}

#[test]
fn self_referencing_lists_compare_as_python_does() {
    let run = repr(
        "x = [[]]\nx.count(x)\nx.index([])\ny = []\ny.append(y)\ny == [y]\ny in y\ny\nsorted([y, y])\nd = {}\nd['d'] = d\nd == {'d': d}\nd",
    );
    assert_clean(&run, "self-reference");
    assert_eq!(
        run.stdout,
        "0\n0\nTrue\nTrue\n[[...]]\n[[[...]], [[...]]]\nTrue\n{'d': {...}}\n"
    );
    let run = repr("x = [[]]\nx.remove(x)");
    assert_eq!(
        run.stderr.trim(),
        "ValueError: list.remove(x): x not in list"
    );
}

#[test]
fn nesting_past_the_limit_is_a_recursion_error() {
    let sum = format!("{}\nprint('after')\n", vec!["1"; 600_000].join("+"));
    for (code, want) in [
        (
            "a = []\nfor i in range(200000):\n    a = [a]\n\nrepr(a)\n",
            "RecursionError: maximum recursion depth exceeded while getting the repr of an object",
        ),
        (
            "a = []\nb = []\nfor i in range(5000):\n    a = [a]\n    b = [b]\n\na == b\n",
            "RecursionError: maximum recursion depth exceeded in comparison",
        ),
        (
            sum.as_str(),
            "RecursionError: maximum recursion depth exceeded during compilation",
        ),
    ] {
        let run = ormsh_in(&std::env::temp_dir(), &["--format", "repr"], code);
        assert_clean(&run, want);
        assert!(run.stderr.contains(want), "{}", run.all());
    }
    let deep = ormsh_in(&std::env::temp_dir(), &["--format", "repr"], &sum);
    assert_eq!(deep.stdout, "after\n", "the script goes on");
}

#[test]
fn a_str_that_calls_itself_is_a_recursion_error() {
    let dir = app(
        "str",
        "shop",
        "from django.db import models\n\nclass Book(models.Model):\n    title = models.CharField(max_length=9)\n\n    def __str__(self):\n        return str(self)\n",
    );
    let run = ormsh_in(
        &dir,
        &[
            "--models",
            "shop/models.py",
            "--format",
            "repr",
            "-c",
            "Book(title='x')\nprint('after')",
        ],
        "",
    );
    assert_error(&run, "RecursionError: maximum recursion depth exceeded");
    assert_eq!(run.stdout, "after\n");
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn a_read_that_reads_itself_stops() {
    let dir = scratch("read");
    fs::write(dir.join("self.txt"), ".read self.txt\n").unwrap();
    fs::write(dir.join("a.txt"), ".read b.txt\n").unwrap();
    fs::write(dir.join("b.txt"), ".read a.txt\n").unwrap();
    for file in ["self.txt", "a.txt"] {
        let run = ormsh_in(&dir, &["-f", file], "");
        assert_clean(&run, file);
        assert!(run.stderr.contains("nested too deeply"), "{}", run.all());
    }
    let run = ormsh_in(&dir, &["-c", ".read /dev/zero"], "");
    assert!(
        run.stderr.contains("too large for a script"),
        "{}",
        run.all()
    );
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn huge_values_are_memory_errors() {
    for code in [
        "f'{0:>10000000000}'",
        "'%10000000000d' % 1",
        "'x'.ljust(10**10)",
        "'x' * 10**10",
        "[*range(10**10)]",
        "{i: i for i in range(10**9)}",
        "set(range(10**9))",
        "s = 'x'\nwhile True:\n    s += s\n",
    ] {
        let run = repr(&format!("{code}\nprint('after')"));
        assert_clean(&run, code);
        assert!(run.stderr.contains("MemoryError"), "{code}: {}", run.all());
        assert!(
            run.stdout.ends_with("after\n"),
            "{code}: the script goes on"
        );
    }
    // Python's refusals before any memory is asked for.
    let run = repr("f'{1.0:.10000000000f}'\n'%99999999999999999999d' % 1\n'x'.ljust(-5)");
    assert_eq!(
        run.stderr,
        "ValueError: precision too big\nValueError: width too big\n"
    );
    assert_eq!(run.stdout, "'x'\n");
}

#[test]
fn a_script_goes_on_after_an_unclosed_bracket() {
    let run = repr("print('start'\nx = 1\nprint('after')");
    assert_eq!(run.stderr.trim(), "SyntaxError: '(' was never closed");
    assert_eq!(run.stdout, "after\n");
}

#[test]
fn input_that_is_no_script_is_refused() {
    let out = Command::new(env!("CARGO_BIN_EXE_ormsh"))
        .stdin(fs::File::open("/dev/zero").unwrap())
        .output()
        .unwrap();
    let run = finish(out);
    assert_eq!(run.status, Some(1));
    assert!(
        run.stderr.contains("too long for a script"),
        "{}",
        run.all()
    );
}

#[test]
fn syntax_errors_in_models_py_are_reported_and_the_rest_loads() {
    let dir = app(
        "models",
        "shop",
        "from django.db import models\n\nclass Author(models.Model):\n    name = models.CharField(max_length=9)\n\nclass Book(models.Model)\n    title = models.CharField(max_length=9)\n\nclass Author(models.Model):\n    name = models.CharField(max_length=20)\n\nclass Tag(models.Model):\n    name = models.CharField(max_length=9)\0\n",
    );
    let run = ormsh_in(
        &dir,
        &[
            "--models",
            "shop/models.py",
            "--format",
            "repr",
            "-c",
            "Tag.objects.count(), Author.objects.count()",
        ],
        "",
    );
    assert_eq!(run.stdout, "(0, 0)\n", "{}", run.all());
    for want in [
        "SyntaxError: source code cannot contain null bytes",
        "shop/models.py:13:",
        "SyntaxError: expected ':'",
        "shop/models.py:6:25",
        "RuntimeWarning: Model 'shop.author' was already registered.",
    ] {
        assert!(run.stderr.contains(want), "{want}: {}", run.stderr);
    }
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn an_empty_folder_is_not_given_a_database() {
    let dir = scratch("empty");
    let run = ormsh(&[dir.to_str().unwrap(), "-c", "pass"]);
    assert_eq!(run.status, Some(2));
    assert!(
        run.stderr.contains("no models.py and no db.sqlite3"),
        "{}",
        run.all()
    );
    assert!(!dir.join("db.sqlite3").exists());
    let run = ormsh(&[dir.to_str().unwrap(), "--migrate", "-c", "pass"]);
    assert_eq!(run.status, Some(0), "{}", run.all());
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn a_time_zone_django_cannot_find_is_refused_as_django_refuses_it() {
    let dir = app("badzone", "shop", TAGS);
    fs::write(
        dir.join("settings.py"),
        "USE_TZ = True\nTIME_ZONE = 'Nowhere/Land'\n",
    )
    .unwrap();
    let settings = dir.join("settings.py");
    let start = || {
        ormsh(&[
            dir.to_str().unwrap(),
            "--settings",
            settings.to_str().unwrap(),
            "--migrate",
            "-c",
            "1",
        ])
    };
    let run = start();
    assert_eq!(run.status, Some(2), "{}", run.all());
    assert!(
        run.stderr
            .contains("ValueError: Incorrect timezone setting: Nowhere/Land"),
        "{}",
        run.all()
    );
    fs::write(&settings, "TIME_ZONE = 'Europe/Paris'\n").unwrap();
    let run = start();
    assert_eq!(run.status, Some(0), "{}", run.all());
    let _ = fs::remove_dir_all(dir);
}

const TAGS: &str = "from django.db import models

class Tag(models.Model):
    name = models.CharField(max_length=20)

class Article(models.Model):
    title = models.CharField(max_length=20)
    tags = models.ManyToManyField(Tag)
";

#[test]
fn lists_past_sqlites_parameter_limit_work() {
    let dir = app("in", "blog", TAGS);
    let run = ormsh_in(
        &dir,
        &[
            "--models",
            "blog/models.py",
            "--db",
            "db.sqlite3",
            "--migrate",
            "--format",
            "repr",
        ],
        "Tag.objects.bulk_create([Tag(name=str(i)) for i in range(40000)]) and None
a = Article.objects.create(title='a')
ts = list(Tag.objects.all())
a.tags.set(ts)
a.tags.count()
a.tags.set(ts[:20000])
a.tags.count()
a.tags.remove(*ts[:15000])
a.tags.count()
Tag.objects.filter(id__in=list(range(40000))).count()
Tag.objects.exclude(id__in=list(range(3, 40000))).count()
Tag.objects.filter(name__in=[str(i) for i in range(35000)]).count()
Tag.objects.filter(id__in=[t.id for t in ts]).delete()[0]
",
    );
    assert_eq!(run.stderr, "");
    assert_eq!(
        run.stdout,
        "40000\n20000\n5000\n39999\n3\n35000\n45000\n",
        "{}",
        run.all()
    );
    let _ = fs::remove_dir_all(dir);
}

const ITEMS: &str = "from django.db import models

class Item(models.Model):
    name = models.CharField(max_length=50)
    price = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    pages = models.IntegerField(null=True)
    ratio = models.FloatField(null=True)
    published = models.DateField(null=True)
    stamp = models.DateTimeField(null=True)
    at = models.TimeField(null=True)
    flag = models.BooleanField(null=True)

    def __str__(self):
        return self.name
";

/// A database whose columns hold what their fields cannot: each row is one
/// case Django 5.2 was asked about (its answers are the expectations below).
fn invalid_items(tag: &str) -> PathBuf {
    let dir = app(tag, "inv", ITEMS);
    let run = ormsh_in(
        &dir,
        &[
            "--models",
            "inv/models.py",
            "--db",
            "db.sqlite3",
            "--migrate",
            "-c",
            "pass",
        ],
        "",
    );
    assert_eq!(run.status, Some(0), "{}", run.all());
    use rusqlite::types::Value as V;
    let conn = rusqlite::Connection::open(dir.join("db.sqlite3")).unwrap();
    let t = |s: &str| V::Text(s.into());
    let rows: Vec<Vec<V>> = vec![
        vec![
            t("cheap"),
            t("cheap"),
            V::Null,
            V::Null,
            V::Null,
            V::Null,
            V::Null,
            V::Null,
        ],
        vec![
            t("inf"),
            t("1e400"),
            V::Null,
            V::Null,
            V::Null,
            V::Null,
            V::Null,
            V::Null,
        ],
        vec![
            t("big"),
            V::Real(123456789.5),
            V::Null,
            V::Null,
            V::Null,
            V::Null,
            V::Null,
            V::Null,
        ],
        vec![
            t("ok"),
            V::Real(12.345),
            V::Integer(1000),
            V::Real(1.5),
            t("2024-01-02"),
            t("2024-01-02 10:00:00"),
            t("10:00:00"),
            V::Integer(1),
        ],
        vec![
            t("bad"),
            V::Null,
            t("1919abc"),
            t("x"),
            t("not a date"),
            t("garbage"),
            t("xx"),
            t("yes"),
        ],
        vec![
            t("month"),
            V::Null,
            V::Real(3.7),
            V::Null,
            t("2024-13-45"),
            t("2024-02-30 10:00"),
            t("25:00"),
            V::Integer(5),
        ],
        vec![
            V::Blob(b"\xff\x00abc".to_vec()),
            V::Null,
            V::Null,
            V::Null,
            V::Null,
            V::Null,
            V::Null,
            V::Null,
        ],
    ];
    for row in rows {
        conn.execute(
            "INSERT INTO inv_item (name, price, pages, ratio, published, stamp, at, flag) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rusqlite::params_from_iter(row),
        )
        .unwrap();
    }
    dir
}

#[test]
fn values_a_field_cannot_hold_are_what_django_makes_of_them() {
    let dir = invalid_items("invalid");
    let run = ormsh_in(
        &dir,
        &[
            "--models",
            "inv/models.py",
            "--db",
            "db.sqlite3",
            "--format",
            "repr",
        ],
        "Item.objects.get(pk=1)
Item.objects.values_list('price', flat=True).get(pk=2)
Item.objects.get(pk=3)
Item.objects.values_list('price', flat=True).get(pk=4)
Item.objects.filter(pk=5).values('pages', 'ratio', 'published', 'stamp', 'at', 'flag')[0]
Item.objects.values_list('published', flat=True).get(pk=6)
Item.objects.values_list('stamp', flat=True).get(pk=6)
Item.objects.values_list('at', flat=True).get(pk=6)
Item.objects.values_list('flag', flat=True).get(pk=6)
Item.objects.values_list('name', flat=True).get(pk=7)
Item.objects.filter(pk__in=[4, 5, 6]).aggregate(Sum('pages'), Avg('pages'), Min('pages'))
Item.objects.filter(pk__in=[4, 5]).aggregate(Max('pages'))
Item.objects.filter(pk=5).aggregate(Sum('ratio'), Max('ratio'))
Item.objects.filter(pk=1).aggregate(Sum('price'), Max('price'))
",
    );
    assert_eq!(
        run.stdout,
        "Decimal('12.34')
{'pages': '1919abc', 'ratio': 'x', 'published': None, 'stamp': None, 'at': None, 'flag': False}
False
b'\\xff\\x00abc'
{'pages__sum': 2922, 'pages__avg': 974.2333333333332, 'pages__min': 3}
{'price__sum': Decimal('0'), 'price__max': Decimal('0')}
",
        "{}",
        run.all()
    );
    assert_eq!(
        run.stderr,
        "TypeError: argument must be int or float
InvalidOperation: [<class 'decimal.InvalidOperation'>]
InvalidOperation: [<class 'decimal.InvalidOperation'>]
ValueError: month must be in 1..12
ValueError: day is out of range for month
ValueError: hour must be in 0..23
ValueError: invalid literal for int() with base 10: '1919abc'
ValueError: could not convert string to float: 'x'
"
    );
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn a_table_marks_the_cells_it_cannot_show() {
    let dir = invalid_items("invalid-table");
    let run = ormsh_in(
        &dir,
        &[
            "--models",
            "inv/models.py",
            "--db",
            "db.sqlite3",
            "-c",
            "Item.objects.all()",
        ],
        "",
    );
    assert_eq!(run.status, Some(0), "{}", run.all());
    for want in [
        "⚠ 'cheap'",
        "⚠ '2024-13-45'",
        "⚠ price: the database holds 'cheap', which the field cannot hold (TypeError: argument must be int or float)",
        "⚠ at: the database holds '25:00', which the field cannot hold (ValueError: hour must be in 0..23)",
    ] {
        assert!(run.stdout.contains(want), "{want}:\n{}", run.stdout);
    }
    assert!(!run.stdout.contains("Decimal('0"), "{}", run.stdout);
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn terminal_escapes_stored_in_the_database_are_shown_not_obeyed() {
    let dir = app("escapes", "blog", TAGS);
    let run = ormsh_in(
        &dir,
        &["--models", "blog/models.py", "--migrate"],
        "Tag.objects.create(name='\\x1b]0;PWNED\\x07\\x1b[2J')\nTag.objects.all()\nTag.objects.get()\n",
    );
    assert_eq!(run.status, Some(0), "{}", run.all());
    assert!(!run.stdout.contains('\u{1b}'), "{:?}", run.stdout);
    assert!(
        run.stdout.contains("\\x1b]0;PWNED\\x07\\x1b[2J"),
        "{}",
        run.stdout
    );
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn int_takes_any_base_python_takes() {
    let run = repr(
        "int('10', 0), int('0x1f', 0), int('0b11', 16), int('z', 36)\nint('010', 0)\nint('10', 37)\nint(5, 10)",
    );
    assert_clean(&run, "int()");
    assert_eq!(run.stdout, "(10, 31, 2833, 35)\n");
    assert_eq!(
        run.stderr,
        "ValueError: invalid literal for int() with base 0: '010'\nValueError: int() base must be >= 2 and <= 36, or 0\nTypeError: int() can't convert non-string with explicit base\n"
    );
}

#[test]
fn json_of_a_deeply_nested_value_is_a_recursion_error() {
    let run = ormsh_in(
        &std::env::temp_dir(),
        &["--format", "json"],
        "a = []\nfor i in range(300000):\n    a = [a]\n\na\nprint('after')\n",
    );
    assert_error(
        &run,
        "maximum recursion depth exceeded while encoding a JSON object",
    );
    assert_eq!(run.stdout, "after\n");
}

/// Two models, one pointing at the other.
const SHOP: &str = "from django.db import models\n\n\
    class Maker(models.Model):\n    name = models.CharField(max_length=20)\n\n\
    class Item(models.Model):\n    name = models.CharField(max_length=20)\n    \
    maker = models.ForeignKey(Maker, on_delete=models.CASCADE)\n";

/// An in-memory database makes a table when a statement first needs it
/// (SQLite's CREATE costs grow with the schema: 70,000 tables at start-up
/// took minutes). A table first made by a write that fails is rolled back
/// with it and made again when next needed; a foreign key to a table never
/// used fails as Django's does.
#[test]
fn tables_made_on_first_use_behave_as_tables_made_at_start() {
    let dir = app("first-use", "shop", SHOP);
    let run = ormsh_in(
        &dir,
        &["--models", "shop/models.py", "--format", "repr"],
        "Maker.objects.create(name=None)\n\
         Maker.objects.count()\n\
         Item.objects.create(name='x', maker_id=7)\n\
         Item.objects.count()\n\
         m = Maker.objects.create(name='m')\n\
         Item.objects.create(name='i', maker=m).maker.name\n\
         m.delete()\n\
         .models\n",
    );
    assert_clean(&run, "first use");
    assert_eq!(
        run.stderr.matches("IntegrityError").count(),
        2,
        "{}",
        run.all()
    );
    assert!(
        run.stderr
            .contains("NOT NULL constraint failed: shop_maker.name")
            && run.stderr.contains("FOREIGN KEY constraint failed"),
        "{}",
        run.all()
    );
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines[..4],
        ["0", "0", "'m'", "(2, {'shop.Item': 1, 'shop.Maker': 1})"],
        "{}",
        run.all()
    );
    assert!(!run.stdout.contains("no table"), "{}", run.stdout);
}

/// A file ormsh makes is marked as its own: a later session goes on making
/// its tables on first use. A database ormsh did not make keeps Django's
/// "no such table", and a read-only one says why the table is missing.
#[test]
fn a_file_ormsh_made_gets_its_tables_on_first_use_in_later_sessions() {
    let dir = app("first-use-file", "shop", SHOP);
    let first = ormsh_in(
        &dir,
        &[".", "--format", "repr"],
        "Maker.objects.create(name='m').pk\n",
    );
    assert_eq!(first.stdout, "1\n", "{}", first.all());
    let read_only = ormsh_in(
        &dir,
        &[".", "--read-only", "--format", "repr"],
        "Maker.objects.count()\nItem.objects.count()\n",
    );
    assert_eq!(read_only.stdout, "1\n", "{}", read_only.all());
    assert!(
        read_only
            .stderr
            .contains("no such table: shop_item (ormsh makes it when first used, and the database is open read-only)"),
        "{}",
        read_only.all()
    );
    let later = ormsh_in(
        &dir,
        &[".", "--format", "repr"],
        "Maker.objects.count()\nItem.objects.create(name='i', maker_id=1).pk\n",
    );
    assert_eq!(later.stdout, "1\n1\n", "{}", later.all());

    let other = app("not-ormshs", "shop", SHOP);
    let conn = rusqlite::Connection::open(other.join("db.sqlite3")).unwrap();
    conn.execute_batch(
        "CREATE TABLE \"shop_maker\" (\"id\" integer NOT NULL PRIMARY KEY AUTOINCREMENT, \"name\" varchar(20) NOT NULL)",
    )
    .unwrap();
    drop(conn);
    let run = ormsh_in(
        &other,
        &[".", "--format", "repr"],
        "Maker.objects.count()\nItem.objects.count()\n",
    );
    assert_eq!(run.stdout, "0\n", "{}", run.all());
    assert_error(&run, "OperationalError: no such table: shop_item\n");
}
