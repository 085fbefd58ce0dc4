//! A database without models.py: every table becomes a model, with the
//! relations Django's models would give, and nothing is written.

use ormsh::db::{Database, introspect};
use ormsh::schema::{FieldKind, ModelSource, Registry, introspect::from_tables, load};
use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

fn introspected(db: &Database, app: &str) -> Registry {
    let tables = introspect::tables(db.connection()).unwrap();
    let cts = introspect::content_types(db.connection()).unwrap();
    from_tables(&tables, cts.as_deref(), app)
}

/// Relations as tables and columns, so that naming differences do not count:
/// (from table, column or through table, to table).
fn relations(r: &Registry) -> BTreeSet<(String, String, String)> {
    let mut out = BTreeSet::new();
    for m in r.models.iter().filter(|m| !m.auto_created) {
        for f in m.fields.iter().filter(|f| f.relation.is_some()) {
            let target = &r.model(f.relation.as_ref().unwrap().target).db_table;
            out.insert((m.db_table.clone(), f.column.clone(), target.clone()));
        }
        // An explicit through model is a model of its own on both sides: its
        // foreign keys carry the relation.
        for f in m.many_to_many.iter().filter(|f| {
            r.model(f.relation.as_ref().unwrap().through.unwrap())
                .auto_created
        }) {
            let rel = f.relation.as_ref().unwrap();
            let through = &r.model(rel.through.unwrap()).db_table;
            out.insert((
                m.db_table.clone(),
                through.clone(),
                r.model(rel.target).db_table.clone(),
            ));
        }
    }
    out
}

/// Reverse sides: (target table, source table) for every accessor.
fn reverse(r: &Registry) -> BTreeSet<(String, String, String)> {
    let mut out = BTreeSet::new();
    for (id, m) in r.models.iter().enumerate().filter(|(_, m)| !m.auto_created) {
        for rev in r.reverse_relations(id) {
            let source = r.model(rev.model);
            if source.auto_created {
                continue;
            }
            let field = source.field(&rev.field).unwrap();
            let explicit_through = field
                .relation
                .as_ref()
                .and_then(|x| x.through)
                .is_some_and(|t| !r.model(t).auto_created);
            if explicit_through {
                continue;
            }
            let column = field.column.clone();
            out.insert((m.db_table.clone(), source.db_table.clone(), column));
        }
    }
    out
}

#[test]
fn a_django_made_database_has_the_same_relations_with_or_without_models() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/introspect_awkward");
    let path = dir.join("db.sqlite3");
    let before = fs::read(&path).unwrap();
    let db = Database::open(Some(&path), true).unwrap();
    let without = introspected(&db, "db");
    let text = fs::read_to_string(dir.join("models.py")).unwrap();
    let with = load(&[ModelSource {
        app_label: "introspect_awkward".into(),
        path: None,
        text,
        default_auto_field: FieldKind::AutoField,
    }]);
    let app_tables = |r: &Registry| -> BTreeSet<(String, String, String)> {
        relations(r)
            .into_iter()
            .filter(|(t, _, _)| t.starts_with("introspect_awkward_") || t == "people")
            .collect()
    };
    assert_eq!(app_tables(&without), app_tables(&with));
    let app_reverse = |r: &Registry| -> BTreeSet<(String, String, String)> {
        reverse(r)
            .into_iter()
            .filter(|(t, s, _)| {
                (t.starts_with("introspect_awkward_") || t == "people") && !s.starts_with("auth_")
            })
            .collect()
    };
    assert_eq!(app_reverse(&without), app_reverse(&with));
    // Names from django_content_type: app label and model.
    let city = without
        .find("introspect_awkward.City")
        .expect("City from content types");
    assert_eq!(
        without.model(city).field("country").unwrap().kind,
        FieldKind::ForeignKey
    );
    assert_eq!(
        without.model(city).field("mayor").unwrap().kind,
        FieldKind::OneToOneField
    );
    drop(db);
    assert_eq!(
        fs::read(&path).unwrap(),
        before,
        "introspection wrote to the database"
    );
}

#[test]
fn any_sqlite_file_gets_models_named_as_inspectdb_names_them() {
    let db = Database::open(None, false).unwrap();
    db.connection()
        .execute_batch(
            "CREATE TABLE Artist (ArtistId INTEGER PRIMARY KEY, Name NVARCHAR(120));
             CREATE TABLE Album (AlbumId INTEGER PRIMARY KEY, Title NVARCHAR(160) NOT NULL,
                 ArtistId INTEGER NOT NULL REFERENCES Artist (ArtistId) ON DELETE CASCADE);
             CREATE TABLE playlist (id INTEGER PRIMARY KEY, name TEXT);
             CREATE TABLE playlist_album (id INTEGER PRIMARY KEY, playlist_id INTEGER REFERENCES playlist (id),
                 album_id INTEGER REFERENCES Album (AlbumId), UNIQUE (playlist_id, album_id));
             CREATE TABLE log (message TEXT, at DATETIME);
             CREATE TABLE Genre (GenreId INTEGER PRIMARY KEY, Name TEXT);
             CREATE TABLE AlbumGenre (AlbumId INTEGER REFERENCES Album (AlbumId),
                 GenreId INTEGER REFERENCES Genre (GenreId), PRIMARY KEY (AlbumId, GenreId));
             CREATE VIEW album_titles AS SELECT Title FROM Album;",
        )
        .unwrap();
    let r = introspected(&db, "music");
    let album = r.model(r.find("Album").unwrap());
    let artist = album
        .field("artistid")
        .expect("inspectdb keeps 'ArtistId' lower-cased");
    assert_eq!(artist.kind, FieldKind::ForeignKey);
    assert_eq!(artist.column, "ArtistId");
    assert_eq!(album.field("title").unwrap().max_length, Some(160));
    assert_eq!(album.pk().name, "albumid");
    let playlist = r.model(r.find("Playlist").unwrap());
    assert_eq!(
        playlist.many_to_many[0].name, "album",
        "the join table became a ManyToManyField"
    );
    assert!(r.find("PlaylistAlbum").is_none());
    let reverse: Vec<String> = r
        .reverse_relations(r.find("Artist").unwrap())
        .into_iter()
        .map(|x| x.accessor)
        .collect();
    assert_eq!(reverse, vec!["album_set"]);
    let album_id = r.find("Album").unwrap();
    assert_eq!(
        r.model(album_id).many_to_many[0].name,
        "genre",
        "a composite-key join table is a ManyToManyField too"
    );
    assert!(r.find("Albumgenre").is_none());
    let log = r.model(r.find("Log").unwrap());
    assert_eq!(log.pk().column, "rowid");
    let view = r.model(r.find("AlbumTitles").unwrap());
    assert!(view.read_only);
}

/// A WITHOUT ROWID table keyed by several columns (wagtail's search index)
/// is read through its first key column, and never saved.
#[test]
fn a_table_keyed_by_several_columns_without_rowid_is_read_only() {
    let dir = std::env::temp_dir().join(format!("ormsh-composite-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("index.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "CREATE TABLE entry (kind TEXT NOT NULL, ref INTEGER NOT NULL, body TEXT, PRIMARY KEY (ref, kind)) WITHOUT ROWID;
         INSERT INTO entry VALUES ('b', 2, 'two'), ('a', 1, 'one');",
    )
    .unwrap();
    drop(conn);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ormsh"))
        .arg(&path)
        .args(["--format", "repr", "-c"])
        .arg("print(list(Entry.objects.order_by('pk').values_list('body', flat=True)))\ne = Entry.objects.first()\ne.body = 'x'\ne.save()")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("['one', 'two']"), "{stdout}{stderr}");
    assert!(stderr.contains("read-only"), "{stdout}{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
