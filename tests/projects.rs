//! Whole Django projects (tests/projects/NAME, made by tests/projects/
//! oracle.py with Django itself): ormsh opens them as Django does, from the
//! project folder, from inside it and from the database file its settings
//! name, and prints what `manage.py shell` printed for NAME.session.txt.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn projects() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/projects")
}

/// A scratch copy of the project, so that the session's writes stay there.
fn copy(name: &str, tag: &str) -> PathBuf {
    let to = std::env::temp_dir().join(format!("ormsh-project-{tag}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&to);
    copy_dir(&projects().join(name), &to);
    to
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let dest = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &dest);
        } else {
            fs::copy(&path, &dest).unwrap();
        }
    }
}

/// The session through ormsh, run in `cwd` with `args`, stderr merged.
fn transcript(name: &str, cwd: &Path, args: &[&str]) -> String {
    let session = fs::read(projects().join(format!("{name}.session.txt"))).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_ormsh"))
        .args(args)
        .args(["--echo", "--format", "repr"])
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env_remove("DJANGO_SETTINGS_MODULE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(&session).unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

fn expected(name: &str) -> String {
    fs::read_to_string(projects().join(format!("{name}.expected.txt"))).unwrap()
}

#[test]
fn the_tutorial_project_opens_as_django_opens_it() {
    let want = expected("mysite");
    let dir = copy("mysite", "folder");
    let parent = dir.parent().unwrap().to_path_buf();
    let folder = dir.to_string_lossy().into_owned();
    assert_eq!(
        transcript("mysite", &parent, &[&folder]),
        want,
        "ormsh mysite/"
    );
    let dir = copy("mysite", "inside");
    assert_eq!(
        transcript("mysite", &dir, &[]),
        want,
        "ormsh inside mysite/"
    );
    let dir = copy("mysite", "database");
    let db = dir.join("data/app.db").to_string_lossy().into_owned();
    assert_eq!(
        transcript("mysite", &parent, &[&db]),
        want,
        "ormsh mysite/data/app.db"
    );
}

#[test]
fn a_database_the_settings_name_is_never_replaced() {
    let dir = copy("mysite", "missing");
    fs::remove_file(dir.join("data/app.db")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_ormsh"))
        .arg(&dir)
        .args(["-c", "Question.objects.count()"])
        .env_remove("DJANGO_SETTINGS_MODULE")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("data/app.db") && err.contains("--migrate"),
        "{err}"
    );
    assert!(!dir.join("data/app.db").exists());
    assert!(!dir.join("db.sqlite3").exists());
}

/// The project's tables as `--migrate` makes them in an empty database,
/// against Django's migrate (NAME.schema.sql): the apps' and the contrib
/// apps' (all but `django_migrations`, which only a migration history
/// fills).
#[test]
fn migrate_makes_the_projects_tables_as_django_does() {
    let dir = copy("mysite", "migrate");
    fs::remove_file(dir.join("data/app.db")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_ormsh"))
        .arg(&dir)
        .args(["--migrate", "-c", "Question.objects.count()"])
        .env_remove("DJANGO_SETTINGS_MODULE")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "0\n");
    let conn = rusqlite::Connection::open(dir.join("data/app.db")).unwrap();
    let ours = |sql: &str| !sql.contains("\"django_migrations\"");
    let mut stmt = conn
        .prepare("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type DESC, name")
        .unwrap();
    let made: Vec<String> = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(|s| s.unwrap())
        .filter(|s| ours(s))
        .collect();
    let django: Vec<String> = fs::read_to_string(projects().join("mysite.schema.sql"))
        .unwrap()
        .lines()
        .map(|l| l.trim_end_matches(';').to_string())
        .filter(|s| ours(s))
        .collect();
    assert_eq!(made, django);
}

/// Settings whose INSTALLED_APPS are all Django's own still give their
/// models (not the database's introspected tables), and a module the
/// project imports never echoes its bare expressions (a docstring).
#[test]
fn a_project_of_djangos_apps_alone_has_their_models() {
    let dir = std::env::temp_dir().join(format!("ormsh-contrib-only-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("config")).unwrap();
    fs::write(dir.join("manage.py"), "").unwrap();
    fs::write(
        dir.join("config/settings.py"),
        "'''The settings.'''\nINSTALLED_APPS = ['django.contrib.auth', 'django.contrib.contenttypes', 'django.contrib.sites']\nDATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3'}}\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_ormsh"))
        .arg(&dir)
        .args(["--migrate", "--format", "repr", "-c"])
        .arg("from django.contrib.auth.models import User\nfrom django.contrib.sites.models import Site\nprint(User.objects.count(), Site.objects.count())")
        .env_remove("DJANGO_SETTINGS_MODULE")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout, "0 0\n", "{}", String::from_utf8_lossy(&out.stderr));
    let _ = fs::remove_dir_all(&dir);
}
