//! Whole statements run against the shipped example, rendered as tables:
//! whatever the input, ormsh answers with a value or Python's or Django's
//! error. Each input gets a fresh copy of the example's database, a memory
//! limit and a time limit (an endless loop is no finding).
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Counts the heap, so that values past the memory limit are a MemoryError
/// (`ormsh::limits`).
#[global_allocator]
static ALLOCATOR: ormsh::limits::CountingAlloc = ormsh::limits::CountingAlloc;

fn registry() -> ormsh::schema::Registry {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/bookstore");
    ormsh::schema::load(&[ormsh::schema::ModelSource {
        app_label: "bookstore".into(),
        path: None,
        text: std::fs::read_to_string(root.join("models.py")).expect("the example's models"),
        default_auto_field: ormsh::schema::FieldKind::AutoField,
    }])
}

/// The example's database, migrated and loaded once; each input gets a copy.
fn template() -> &'static [u8] {
    static TEMPLATE: OnceLock<Vec<u8>> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/bookstore");
        let registry = registry();
        let path = std::env::temp_dir().join(format!("ormsh-fuzz-template-{}.sqlite3", std::process::id()));
        let _ = std::fs::remove_file(&path);
        {
            let db = ormsh::db::Database::open(Some(&path), false).expect("a database");
            ormsh::db::migrate(&db, &registry).expect("the example's tables");
            let fixture =
                std::fs::read_to_string(root.join("fixtures/sample.json")).expect("the fixture");
            ormsh::db::loaddata(&db, &registry, &fixture).expect("the sample data");
        }
        let bytes = std::fs::read(&path).expect("the template");
        let _ = std::fs::remove_file(&path);
        bytes
    })
}

fn run(text: String) {
    let path = std::env::temp_dir().join(format!("ormsh-fuzz-{}.sqlite3", std::process::id()));
    std::fs::write(&path, template()).expect("a copy of the template");
    let db = ormsh::db::Database::open(Some(&path), false).expect("the copy");
    let options = ormsh::session::Options {
        format: ormsh::render::Format::Table,
        echo: false,
        bail: false,
        color: false,
        width: Some(80),
        sql: false,
        timer: false,
        interactive: false,
    };
    let mut session = ormsh::session::Session::new(options, db, registry());
    ormsh::limits::set_memory_limit(Some(256 << 20));
    ormsh::limits::set_deadline(Some(Instant::now() + Duration::from_secs(2)));
    let _ = ormsh::repl::run_script(&mut session, text.as_bytes());
    ormsh::limits::set_deadline(None);
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let text = text.to_string();
    ormsh::with_big_stack(move || run(text));
});
