//! The real binary at a real (pseudo-)terminal, typed into as a person
//! would: Tab completion of a model, a manager method, a field and a lookup
//! after `__`; a multi-line block; Ctrl-C cancelling a long query and a long
//! loop; history recalled with the Up key after a restart.

use rexpect::session::{PtySession, spawn_command};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const MODELS: &str = "from django.db import models


class Category(models.Model):
    name = models.CharField(max_length=50)

    def __str__(self):
        return self.name


class Tag(models.Model):
    name = models.CharField(max_length=20)


class Product(models.Model):
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name='products')
    name = models.CharField(max_length=50)
    tags = models.ManyToManyField(Tag, related_name='products')

    def __str__(self):
        return self.name
";

/// A project folder with a laptop in Electronics.
fn shop(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ormsh-terminal-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("shop")).unwrap();
    std::fs::write(dir.join("shop/models.py"), MODELS).unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_ormsh"))
        .arg(&dir)
        .args([
            "-c",
            "c = Category.objects.create(name='Electronics')\nProduct.objects.create(category=c, name='Laptop')",
        ])
        .status()
        .unwrap();
    assert!(status.success());
    dir
}

/// Ctrl-C to clear the line, then Ctrl-D: the shell ends.
fn leave(mut p: PtySession) {
    p.send_control('c').unwrap();
    p.exp_string("KeyboardInterrupt").unwrap();
    p.exp_string(">>> ").unwrap();
    p.send_control('d').unwrap();
    p.exp_eof().unwrap();
}

fn shell(dir: &Path) -> PtySession {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ormsh"));
    cmd.arg(dir)
        .env("XDG_STATE_HOME", dir.join("state"))
        .env("NO_COLOR", "1")
        .env("PAGER", "cat")
        .env("TERM", "xterm");
    let mut p = spawn_command(cmd, Some(20_000)).unwrap();
    p.exp_string(".help for help").unwrap();
    p.exp_string(">>> ").unwrap();
    p
}

#[test]
fn tab_completes_models_methods_fields_and_lookups() {
    let dir = shop("tab");
    let mut p = shell(&dir);
    for (typed, shown) in [
        ("Pro", "Product"),
        (".obj", "Product.objects"),
        (".fil", "Product.objects.filter"),
        ("(cat", "filter(category"),
        ("__na", "category__name"),
        ("__ico", "category__name__icontains"),
    ] {
        p.send(typed).unwrap();
        p.send("\t").unwrap();
        p.flush().unwrap();
        p.exp_string(shown).unwrap();
    }
    p.send_line("='elec')").unwrap();
    p.exp_string("Laptop").unwrap();
    p.exp_string(" 1 row").unwrap();
    // Several candidates are listed.
    p.send("Product.objects.e").unwrap();
    p.send("\t\t").unwrap();
    p.flush().unwrap();
    p.exp_string("earliest").unwrap();
    p.exp_string("exclude").unwrap();
    leave(p);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_block_is_typed_over_several_lines() {
    let dir = shop("block");
    let mut p = shell(&dir);
    p.send_line("for product in Product.objects.all():")
        .unwrap();
    p.exp_string("... ").unwrap();
    p.send_line("    print('found', product.name, product.category)")
        .unwrap();
    p.exp_string("... ").unwrap();
    p.send_line("").unwrap();
    p.exp_string("found Laptop Electronics").unwrap();
    p.exp_string(">>> ").unwrap();
    p.send_control('d').unwrap();
    p.exp_eof().unwrap();
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_pasted_curly_quote_is_a_syntax_error_and_the_shell_goes_on() {
    let dir = shop("curly");
    let mut p = shell(&dir);
    p.send_line("Product.objects.filter(name=\u{201c}Laptop\u{201d})")
        .unwrap();
    // rexpect reads the terminal's bytes one char each: match the ASCII.
    p.exp_string("SyntaxError: invalid character '").unwrap();
    p.exp_string("(U+201C)").unwrap();
    p.exp_string("column 29").unwrap();
    p.exp_string(">>> ").unwrap();
    p.send_line("Product.objects.count()").unwrap();
    p.exp_string("1").unwrap();
    p.exp_string(">>> ").unwrap();
    p.send_control('d').unwrap();
    p.exp_eof().unwrap();
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn ctrl_c_cancels_a_long_query_and_the_shell_goes_on() {
    let dir = shop("interrupt");
    // Every product has every tag: two tag joins give 40,000 × 30 × 30 rows.
    let conn = rusqlite::Connection::open(dir.join("db.sqlite3")).unwrap();
    conn.execute_batch(
        "BEGIN;
         WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 30)
           INSERT INTO shop_tag (name) SELECT 'tag' || x FROM c;
         WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 40000)
           INSERT INTO shop_product (category_id, name) SELECT 1, 'p' || x FROM c;
         INSERT INTO shop_product_tags (product_id, tag_id) SELECT p.id, t.id FROM shop_product p, shop_tag t;
         COMMIT;",
    )
    .unwrap();
    drop(conn);
    let mut p = shell(&dir);
    p.send_line(
        "Product.objects.filter(tags__name__regex='9').filter(tags__name__regex='1').count()",
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(700));
    let sent = Instant::now();
    p.send_control('c').unwrap();
    p.exp_string("KeyboardInterrupt").unwrap();
    let took = sent.elapsed();
    assert!(took < Duration::from_secs(1), "cancelled after {took:?}");
    p.exp_string(">>> ").unwrap();
    p.send_line("Product.objects.count()").unwrap();
    p.exp_string("40001").unwrap();
    p.send_control('d').unwrap();
    p.exp_eof().unwrap();
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn ctrl_c_stops_a_generator_function_a_comprehension_a_generator_and_a_builtin_that_loops() {
    let dir = shop("interrupt-loops");
    let mut p = shell(&dir);
    for line in [
        "def naturals():",
        "    n = 0",
        "    while True:",
        "        yield n",
        "        n += 1",
        "",
    ] {
        p.send_line(line).unwrap();
    }
    p.exp_string(">>> ").unwrap();
    for statement in [
        "sum(naturals())",
        "len([i for i in range(10**9)])",
        "sum(i for i in range(10**9))",
        "sum(range(10**12))",
        "any(x < 0 for x in range(10**12))",
    ] {
        p.send_line(statement).unwrap();
        std::thread::sleep(Duration::from_millis(500));
        let sent = Instant::now();
        p.send_control('c').unwrap();
        p.exp_string("KeyboardInterrupt").unwrap();
        let took = sent.elapsed();
        eprintln!("{statement}: stopped {took:?} after Ctrl-C");
        assert!(
            took < Duration::from_secs(1),
            "{statement}: stopped after {took:?}"
        );
        p.exp_string(">>> ").unwrap();
    }
    p.send_line("print('still here:', Product.objects.count())")
        .unwrap();
    p.exp_string("still here: 1").unwrap();
    p.exp_string(">>> ").unwrap();
    p.send_control('d').unwrap();
    p.exp_eof().unwrap();
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn history_is_recalled_after_a_restart_with_blocks_whole() {
    let dir = shop("history");
    let mut p = shell(&dir);
    p.send_line("Category.objects.count()").unwrap();
    p.exp_string("1").unwrap();
    p.send_line("for c in Category.objects.all():").unwrap();
    p.send_line("    print('category', c)").unwrap();
    p.send_line("").unwrap();
    p.exp_string("category Electronics").unwrap();
    p.send_control('d').unwrap();
    p.exp_eof().unwrap();

    let mut p = shell(&dir);
    // The prompt is written just before the line editor takes the terminal
    // raw; a key sent in between would be read as cooked input.
    std::thread::sleep(Duration::from_millis(300));
    // Up: the block, as one entry; as in the console, a blank line ends it.
    p.send("\x1b[A").unwrap();
    p.flush().unwrap();
    p.exp_string("print('category', c)").unwrap();
    p.send("\r\r").unwrap();
    p.flush().unwrap();
    p.exp_string("category Electronics").unwrap();
    p.exp_string(">>> ").unwrap();
    // Up: the block again (its last line, then its first), then the
    // statement before it.
    p.send("\x1b[A\x1b[A\x1b[A").unwrap();
    p.flush().unwrap();
    p.exp_string("Category.objects.count()").unwrap();
    leave(p);
    let _ = std::fs::remove_dir_all(dir);
}
