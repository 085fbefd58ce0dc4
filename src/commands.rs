//! Dot-commands typed at the prompt: `.models`, `.schema [Model]` describe
//! the registry and the database; `.limit`, `.format`, `.sql`, `.timer`
//! and `.pager` change how results are shown. None changes the data.

use crate::db::Database;
use crate::error::{Error, Result};
use crate::schema::{Field, FieldKind, Literal, Model, ModelId, Registry, ddl};
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};

const COMMANDS: &[&str] = crate::repl::complete::DOT_COMMANDS;

/// What `.help` and `help()` print.
pub const HELP: &str = "Type what you would type in Django's `manage.py shell`:
  Book.objects.filter(author__name__icontains='le').order_by('-published')[:5]
  b = Book.objects.get(pk=1); b.reviews.all(); b.authors.add(a)
  Author.objects.annotate(n=Count('books')).filter(n__gt=1)
Every model is bound by name, with Q, F, Count, Sum, Avg, Min, Max and Value.
Tab completes models, methods, fields and lookups (after `field__`).

Commands:
  .models              apps, models, tables and row counts
  .schema [Model]      fields and every relation, both ways   (also help(Model))
  .limit N             rows a table shows (0: all)
  .format table|repr|json|csv
  .sql on|off          show each SQL statement and its time
  .timer on|off        show each statement's time
  .pager on|off        long output through $PAGER
  .read FILE           run the statements of FILE
  .quit                leave (also Ctrl-D)
Ctrl-C cancels a running statement (the database stays as it was) or clears the line.";

/// Runs a dot-command line and returns what it prints.
pub fn run(
    line: &str,
    registry: &Registry,
    db: &Database,
    settings: &crate::render::SharedSettings,
) -> Result<String> {
    let mut words = line.split_whitespace();
    let name = words.next().unwrap_or("");
    let args: Vec<&str> = words.collect();
    let mut s = settings.borrow_mut();
    match name {
        ".help" => Ok(HELP.to_string()),
        ".limit" => {
            let Some(n) = args.first() else {
                return Ok(format!("limit {}", s.limit));
            };
            s.limit = n.parse().map_err(|_| {
                Error::new(
                    "CommandError",
                    format!("'.limit' takes a number of rows, not '{n}'"),
                )
                .with_hint("'.limit 0' shows every row")
            })?;
            Ok(String::new())
        }
        ".format" => {
            let Some(f) = args.first() else {
                return Ok(format!("format {:?}", s.format).to_lowercase());
            };
            use clap::ValueEnum;
            s.format = crate::render::Format::from_str(f, true).map_err(|_| {
                Error::new("CommandError", format!("unknown format '{f}'"))
                    .with_hint("formats: table repr json csv")
            })?;
            Ok(String::new())
        }
        ".sql" => {
            s.sql = switch(name, &args, s.sql)?;
            db.set_trace(s.sql);
            Ok(String::new())
        }
        ".timer" => {
            s.timer = switch(name, &args, s.timer)?;
            Ok(String::new())
        }
        ".pager" => {
            s.pager = switch(name, &args, s.pager)?;
            Ok(String::new())
        }
        ".models" => Ok(models(registry, db)),
        ".schema" => match args.first() {
            Some(model) => schema(registry, model),
            None => Ok(registry
                .models
                .iter()
                .enumerate()
                .filter(|(_, m)| !m.auto_created)
                .map(|(id, _)| schema_of(registry, id))
                .collect::<Vec<_>>()
                .join("\n\n")),
        },
        other => {
            let mut e = Error::new("CommandError", format!("unknown command '{other}'"));
            if let Some(near) = crate::suggest::nearest(other, COMMANDS.iter().copied()) {
                e = e.with_hint(format!("did you mean '{near}'?"));
            }
            Err(e.with_hint(format!("commands: {}", COMMANDS.join(" "))))
        }
    }
}

/// `on` or `off` (nothing: flip it).
fn switch(name: &str, args: &[&str], now: bool) -> Result<bool> {
    match args.first() {
        None => Ok(!now),
        Some(&"on") => Ok(true),
        Some(&"off") => Ok(false),
        Some(other) => Err(Error::new(
            "CommandError",
            format!("'{name}' takes 'on' or 'off', not '{other}'"),
        )),
    }
}

fn table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header.to_vec());
    t
}

fn row_count(db: &Database, model: &Model) -> String {
    if db.table_is_pending(&model.db_table) {
        return "0".to_string();
    }
    let sql = format!("SELECT count(*) FROM {}", ddl::quote(&model.db_table));
    match db.connection().query_row(&sql, [], |r| r.get::<_, i64>(0)) {
        Ok(n) => n.to_string(),
        Err(_) => "no table".to_string(),
    }
}

fn models(registry: &Registry, db: &Database) -> String {
    let mut t = table(&["app", "model", "table", "rows"]);
    for m in &registry.models {
        let name = if m.auto_created {
            format!("({})", m.name)
        } else {
            m.name.clone()
        };
        t.add_row(vec![
            m.app_label.clone(),
            name,
            m.db_table.clone(),
            row_count(db, m),
        ]);
    }
    let mut out = t.to_string();
    for app in registry.apps.iter().filter(|a| !a.skipped.is_empty()) {
        out.push_str(&format!(
            "\nskipped in {}: {}",
            app.label,
            app.skipped.join("; ")
        ));
    }
    out
}

/// `help(Model)`: the model's fields and relations, as `.schema Model`.
pub fn describe_model(registry: &Registry, id: ModelId) -> String {
    schema_of(registry, id)
}

fn schema(registry: &Registry, name: &str) -> Result<String> {
    match registry.find(name) {
        Some(id) => Ok(schema_of(registry, id)),
        None => {
            let names: Vec<&str> = registry
                .models
                .iter()
                .filter(|m| !m.auto_created)
                .map(|m| m.name.as_str())
                .collect();
            let mut e = Error::new("LookupError", format!("no model named '{name}'"));
            if let Some(near) = crate::suggest::nearest(name, names.iter().copied()) {
                e = e.with_hint(format!("did you mean '{near}'?"));
            }
            Err(e)
        }
    }
}

fn schema_of(registry: &Registry, id: ModelId) -> String {
    let m = registry.model(id);
    let mut fields = table(&["field", "type", "null", "default", "column"]);
    for f in m.fields.iter().chain(&m.many_to_many) {
        fields.add_row(vec![
            f.name.clone(),
            type_text(registry, f),
            if f.null { "yes".into() } else { String::new() },
            default_text(f),
            f.column.clone(),
        ]);
    }
    let lower = m.name.to_lowercase();
    let mut relations = table(&["relation", "model", "access", "lookup"]);
    for f in m.fields.iter().chain(&m.many_to_many) {
        let Some(rel) = &f.relation else { continue };
        let target = &registry.model(rel.target).name;
        let (arrow, access) = match f.kind {
            FieldKind::ManyToManyField => ("↔", format!("{lower}.{}.all()", f.name)),
            _ => ("→", format!("{lower}.{}", f.name)),
        };
        relations.add_row(vec![
            format!("{} {arrow}", f.name),
            target.clone(),
            access,
            format!("{}__…", f.name),
        ]);
    }
    for r in registry.reverse_relations(id) {
        let source = registry.model(r.model);
        let access = match r.kind {
            FieldKind::OneToOneField => format!("{lower}.{}", r.accessor),
            _ => format!("{lower}.{}.all()", r.accessor),
        };
        relations.add_row(vec![
            format!("{} ←", r.accessor),
            format!("{}.{}", source.name, r.field),
            access,
            format!("{}__…", r.query_name),
        ]);
    }
    format!(
        "{} ({}.{}) · table {}\n{fields}\n{relations}",
        m.name, m.app_label, m.name, m.db_table
    )
}

fn type_text(registry: &Registry, f: &Field) -> String {
    let class = f
        .unknown_class
        .clone()
        .unwrap_or_else(|| f.kind.class_name().to_string());
    let mut text = match (f.kind, f.max_length, f.max_digits, f.decimal_places) {
        (FieldKind::DecimalField, _, Some(d), Some(p)) => format!("{class}({d}, {p})"),
        (_, Some(n), _, _) if f.kind.is_text() => format!("{class}({n})"),
        _ => class,
    };
    if let Some(rel) = &f.relation {
        text.push_str(&format!(" to {}", registry.model(rel.target).name));
        if f.kind.is_foreign_key() {
            text.push_str(&format!(", on_delete {}", rel.on_delete.name()));
        }
    }
    if f.primary_key {
        text.push_str(", primary key");
    } else if f.unique {
        text.push_str(", unique");
    }
    text
}

fn default_text(f: &Field) -> String {
    match &f.default {
        None => String::new(),
        Some(Literal::Str(s)) => crate::engine::repr::str_repr(s),
        Some(Literal::Int(i)) => i.to_string(),
        Some(Literal::Float(x)) => crate::engine::repr::float_repr(*x),
        Some(Literal::Bool(b)) => (if *b { "True" } else { "False" }).into(),
        Some(Literal::None) => "None".into(),
        Some(Literal::Name(n)) => format!("{n}()"),
        Some(other) => format!("{other:?}"),
    }
}
