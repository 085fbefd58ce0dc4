//! Where models and the database come from: a Django project (found by
//! its `manage.py`, its settings module run as Python: `INSTALLED_APPS`,
//! `DATABASES`, `AUTH_USER_MODEL`…), a folder of apps, a database file
//! with its models beside it, or `--models`.
//!
//! Without settings, a directory is searched for every `models.py` (and
//! `models/` package), skipping migrations, virtual environments,
//! node_modules and hidden folders; each is an app labelled by its
//! `AppConfig.label`, else its folder's name. The primary-key class
//! follows Django: the app's `AppConfig.default_auto_field`, else the
//! project's `DEFAULT_AUTO_FIELD`, else AutoField.

mod packages;
pub mod settings;

use crate::schema::{Diagnostic, FieldKind, ModelSource};
use crate::syntax::ast::{ExprKind, StmtKind};
use std::fs;
use std::path::{Path, PathBuf};

#[derive(Debug, Default)]
pub struct Project {
    pub db: Option<PathBuf>,
    pub sources: Vec<ModelSource>,
    /// The apps' `fixtures/*.json`, loaded into a database ormsh creates.
    pub fixtures: Vec<PathBuf>,
    /// `USE_TZ` and `TIME_ZONE` from the project's settings (Django's
    /// defaults with `USE_TZ = False` when there are none).
    pub time: crate::settings::TimeSettings,
    /// `AUTH_USER_MODEL` (`app_label.Model`), when the settings swap it.
    pub auth_user_model: Option<String>,
    /// `INSTALLED_APPS`, when the settings say them.
    pub installed_apps: Option<Vec<String>>,
    /// The apps' AppConfig `verbose_name`s, by label.
    pub verbose_names: Vec<(String, String)>,
    /// What the settings could not run, or what could not be found.
    pub diagnostics: Vec<Diagnostic>,
    pub notes: Vec<String>,
}

/// What the command line names. Errors are usage errors (exit status 2).
pub struct Request<'a> {
    pub target: Option<&'a Path>,
    pub db: Option<&'a Path>,
    pub models: &'a [PathBuf],
    pub default_auto_field: Option<&'a str>,
    /// `--migrate`: a missing database may be created.
    pub migrate: bool,
    /// `--settings FILE`: these settings, not the project's settings.py.
    pub settings: Option<&'a Path>,
    /// `--site-packages DIR`: where third-party apps are installed.
    pub site_packages: Option<&'a Path>,
}

/// A Django project: the folder Python starts in (where `manage.py` is)
/// and the dotted name of its settings module.
struct DjangoProject {
    root: PathBuf,
    module: String,
}

pub fn discover(req: &Request) -> Result<Project, String> {
    let forced = match req.default_auto_field {
        Some(name) => Some(
            auto_field_kind(name).ok_or_else(|| format!("'{name}' is not an auto field class"))?,
        ),
        None => None,
    };
    let mut project = Project {
        db: req.db.map(Path::to_path_buf),
        ..Project::default()
    };
    let target = req
        .target
        .map(|t| t.canonicalize().unwrap_or_else(|_| t.to_path_buf()));
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    let mut settings_file: Option<PathBuf> = None;
    let django = match req.settings {
        Some(_) => None,
        None => django_project(target.as_deref()),
    };
    let mut auto_field = None;
    if let Some(dj) = &django {
        auto_field = open_django_project(req, dj, target.as_deref(), &mut project, &mut files)?;
    } else if let Some(target) = &target {
        open_target(req, target, &mut project, &mut files, &mut settings_file)?;
    }
    for path in req.models {
        files.extend(models_argument(path)?);
    }
    if let Some(path) = req.settings {
        if !path.is_file() {
            return Err(format!("--settings '{}': no such file", path.display()));
        }
        settings_file = Some(path.to_path_buf());
    }
    if let Some(file) = &settings_file {
        let s = settings::from_file(file)?;
        auto_field = s.default_auto_field.as_deref().and_then(auto_field_kind);
        apply_settings(&mut project, s)?;
    }
    for (path, app) in files {
        add_source(&mut project, path, app, forced, auto_field)?;
    }
    Ok(project)
}

/// The settings' time zone, user model and diagnostics, into the project.
fn apply_settings(project: &mut Project, s: settings::Settings) -> Result<(), String> {
    // Django refuses a zone it cannot find when it loads the settings.
    let zone = &s.time.time_zone;
    if zone.parse::<chrono_tz::Tz>().is_err() {
        return Err(format!("ValueError: Incorrect timezone setting: {zone}"));
    }
    project.time = s.time;
    project.auth_user_model = s.auth_user_model;
    project.installed_apps = s.installed_apps;
    project.diagnostics.extend(s.diagnostics);
    project.notes.extend(s.notes);
    Ok(())
}

/// One models file of an app, with the app's fixtures and primary-key class.
fn add_source(
    project: &mut Project,
    path: PathBuf,
    app: String,
    forced: Option<FieldKind>,
    settings: Option<FieldKind>,
) -> Result<(), String> {
    let text =
        fs::read_to_string(&path).map_err(|e| format!("cannot read '{}': {e}", path.display()))?;
    let app_dir = app_dir_of(&path);
    for fixture in app_dir
        .map(|d| json_files(&d.join("fixtures")))
        .unwrap_or_default()
    {
        if !project.fixtures.contains(&fixture) {
            project.fixtures.push(fixture);
        }
    }
    let default_auto_field = forced
        .or_else(|| {
            app_dir
                .and_then(|d| app_config(d, None))
                .and_then(|c| c.auto_field)
        })
        .or(settings)
        .unwrap_or(FieldKind::AutoField);
    project.sources.push(ModelSource {
        app_label: app,
        path: Some(path),
        text,
        default_auto_field,
    });
    Ok(())
}

/// The app's folder: a models.py's, or a `models/` package's parent.
fn app_dir_of(path: &Path) -> Option<&Path> {
    path.parent().map(|p| {
        if p.ends_with("models") {
            p.parent().unwrap_or(p)
        } else {
            p
        }
    })
}

/// `--models FILE` or `--models DIR/models/` (a package): the files and
/// the app label (the app's AppConfig.label, else its folder's name).
fn models_argument(path: &Path) -> Result<Vec<(PathBuf, String)>, String> {
    let full = path
        .canonicalize()
        .map_err(|e| format!("--models '{}': {e}", path.display()))?;
    let package = full.is_dir();
    let app_dir = full.parent().map(Path::to_path_buf).unwrap_or_default();
    let label = app_label_of(&app_dir);
    if package {
        if !full.join("__init__.py").is_file() {
            return Err(format!(
                "--models '{}': a folder of models must be a package (with __init__.py)",
                path.display()
            ));
        }
        let mut files = Vec::new();
        models_package(&full, &label, &mut files);
        return Ok(files);
    }
    Ok(vec![(path.to_path_buf(), label)])
}

/// An app folder's label: its AppConfig's `label`, else the folder's name.
fn app_label_of(dir: &Path) -> String {
    app_config(dir, None)
        .and_then(|c| c.label)
        .or_else(|| dir.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "app".to_string())
}

/// The project a target belongs to: a folder with `manage.py` (or the
/// folder that holds a settings package), a database inside such a
/// folder, or, with no target, the folder ormsh runs in or one above it.
fn django_project(target: Option<&Path>) -> Option<DjangoProject> {
    let from_env = std::env::var("DJANGO_SETTINGS_MODULE")
        .ok()
        .filter(|m| !m.is_empty());
    let start = match target {
        Some(t) if t.is_dir() => {
            return manage_py(t, from_env.as_deref()).or_else(|| settings_package(t));
        }
        Some(t) => t.parent()?.to_path_buf(),
        None => std::env::current_dir().ok()?,
    };
    let found = start
        .ancestors()
        .find_map(|dir| manage_py(dir, from_env.as_deref()));
    match (found, from_env, target) {
        (Some(p), _, _) => Some(p),
        (None, Some(module), None) => Some(DjangoProject {
            root: start,
            module,
        }),
        _ => None,
    }
}

/// `dir/manage.py` and the settings module it names (`os.environ.setdefault(
/// 'DJANGO_SETTINGS_MODULE', 'mysite.settings')`), unless the environment
/// already names one, as setdefault leaves it.
fn manage_py(dir: &Path, from_env: Option<&str>) -> Option<DjangoProject> {
    let text = fs::read_to_string(dir.join("manage.py")).ok()?;
    let module = from_env.map(String::from).or_else(|| {
        let after = &text[text.find("DJANGO_SETTINGS_MODULE")? + 22..];
        // Past the key's own closing quote, to the value's opening one.
        let after = after.strip_prefix(['\'', '"']).unwrap_or(after);
        let quote = after.find(['\'', '"'])?;
        let q = after[quote..].chars().next()?;
        let rest = &after[quote + 1..];
        Some(rest[..rest.find(q)?].to_string())
    })?;
    Some(DjangoProject {
        root: dir.to_path_buf(),
        module,
    })
}

/// A folder without manage.py whose `X/settings.py` (or `settings/`
/// package) makes it a project all the same.
fn settings_package(dir: &Path) -> Option<DjangoProject> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir() && !skipped_dir(p))
        .collect();
    entries.sort();
    entries.into_iter().find_map(|p| {
        let name = p.file_name()?.to_string_lossy().into_owned();
        let has = p.join("settings.py").is_file() || p.join("settings/__init__.py").is_file();
        has.then(|| DjangoProject {
            root: dir.to_path_buf(),
            module: format!("{name}.settings"),
        })
    })
}

/// Runs the project's settings and takes its apps and database. Returns
/// the project's DEFAULT_AUTO_FIELD.
fn open_django_project(
    req: &Request,
    dj: &DjangoProject,
    target: Option<&Path>,
    project: &mut Project,
    files: &mut Vec<(PathBuf, String)>,
) -> Result<Option<FieldKind>, String> {
    let s = settings::run(&dj.root, &dj.module)?;
    let auto_field = s.default_auto_field.as_deref().and_then(auto_field_kind);
    let mut roots = vec![dj.root.clone()];
    roots.extend(site_packages(&dj.root, req.site_packages)?);
    match &s.installed_apps {
        Some(apps) => {
            let mut labels: Vec<String> = Vec::new();
            for app in apps {
                let Some(label) = installed_app(&roots, app, files, project) else {
                    continue;
                };
                if labels.contains(&label) {
                    return Err(format!(
                        "ImproperlyConfigured: Application labels aren't unique, duplicates: {label}"
                    ));
                }
                labels.push(label);
            }
        }
        None => walk(&dj.root, files, &mut None),
    }
    let named_db = database_setting(&s, &dj.root)?;
    apply_settings(project, s)?;
    // A database file given on the command line wins over the settings'.
    let given = target.filter(|t| !t.is_dir());
    match (given, project.db.is_some(), named_db) {
        (Some(file), false, _) => project.db = Some(file.to_path_buf()),
        (None, false, Some(Some(path))) => {
            if !path.exists() && !req.migrate {
                return Err(format!(
                    "the settings ({}) name the database '{}', which does not exist (--migrate creates it)",
                    dj.module,
                    path.display()
                ));
            }
            project.db = Some(path);
        }
        (None, false, Some(None)) => {}
        (None, false, None) => {
            return Err(format!(
                "the settings ({}) define no DATABASES['default']: name the database with --db FILE",
                dj.module
            ));
        }
        _ => {}
    }
    Ok(auto_field)
}

/// Where the project's third-party apps are installed: `--site-packages`,
/// else the active virtualenv's, then a `.venv/` or `venv/` beside
/// manage.py (each `lib/python*/site-packages`), searched in that order.
fn site_packages(root: &Path, given: Option<&Path>) -> Result<Vec<PathBuf>, String> {
    if let Some(dir) = given {
        if !dir.is_dir() {
            return Err(format!(
                "--site-packages '{}': no such folder",
                dir.display()
            ));
        }
        return Ok(vec![dir.to_path_buf()]);
    }
    let envs: Vec<PathBuf> = std::env::var_os("VIRTUAL_ENV")
        .map(PathBuf::from)
        .into_iter()
        .chain([root.join(".venv"), root.join("venv")])
        .collect();
    let mut found = Vec::new();
    for env in envs {
        let Ok(entries) = fs::read_dir(env.join("lib")) else {
            continue;
        };
        let mut dirs: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path().join("site-packages")))
            .filter(|p| p.is_dir())
            .collect();
        dirs.sort();
        found.extend(dirs);
    }
    Ok(found)
}

/// `DATABASES['default']`: Some(None) for an in-memory database.
fn database_setting(
    s: &settings::Settings,
    root: &Path,
) -> Result<Option<Option<PathBuf>>, String> {
    let Some(engine) = &s.engine else {
        return Ok(None);
    };
    if !engine.ends_with("sqlite3") && !engine.ends_with("spatialite") {
        return Err(format!(
            "the settings' DATABASES['default'] uses ENGINE '{engine}'; ormsh opens SQLite databases only"
        ));
    }
    Ok(Some(match s.name.as_deref() {
        None | Some("") | Some(":memory:") => None,
        // Django opens a relative NAME from where manage.py runs.
        Some(name) => Some(root.join(name)),
    }))
}

/// One `INSTALLED_APPS` entry: its models files under the project, with
/// its label (returned). Django's contrib apps are ormsh's own; an app not
/// in the project folder is noted.
fn installed_app(
    roots: &[PathBuf],
    entry: &str,
    files: &mut Vec<(PathBuf, String)>,
    project: &mut Project,
) -> Option<String> {
    if let Some(rest) = entry.strip_prefix("django.contrib.") {
        return Some(rest.split('.').next().unwrap_or(rest).to_string());
    }
    let (package, config) = match entry.split_once(".apps.") {
        Some((p, c)) if !c.contains('.') => (p.to_string(), Some(c.to_string())),
        _ => (entry.to_string(), None),
    };
    let rel: PathBuf = package.split('.').collect();
    let Some(dir) = roots.iter().map(|r| r.join(&rel)).find(|d| d.is_dir()) else {
        project.notes.push(format!(
            "INSTALLED_APPS: '{entry}' is neither in the project folder nor in its site-packages; its models are not loaded (--site-packages DIR says where it is installed)"
        ));
        return None;
    };
    let config = app_config(&dir, config.as_deref()).unwrap_or_default();
    let label = config
        .label
        .unwrap_or_else(|| package.rsplit('.').next().unwrap_or(&package).to_string());
    if let Some(name) = config.verbose_name {
        project.verbose_names.push((label.clone(), name));
    }
    if dir.join("models").join("__init__.py").is_file() {
        models_package(&dir.join("models"), &label, files);
    } else if dir.join("models.py").is_file() {
        files.push((dir.join("models.py"), label.clone()));
    }
    Some(label)
}

/// What the target names: a project folder (its models, settings and
/// `db.sqlite3`) or a database file (and the models beside it).
fn open_target(
    req: &Request,
    target: &Path,
    project: &mut Project,
    files: &mut Vec<(PathBuf, String)>,
    settings_file: &mut Option<PathBuf>,
) -> Result<(), String> {
    if target.is_dir() {
        walk(target, files, settings_file);
        let db = target.join("db.sqlite3");
        // A folder with neither models nor a database is most likely a
        // mistyped path: say so rather than leave an empty file there.
        if files.is_empty()
            && req.models.is_empty()
            && req.db.is_none()
            && !req.migrate
            && !db.exists()
        {
            return Err(format!(
                "'{}' holds no models.py and no db.sqlite3: nothing to open (--migrate creates its database, --db FILE names another)",
                target.display()
            ));
        }
        project.db.get_or_insert(db);
    } else if target.is_file() || looks_like_database(target) {
        project.db.get_or_insert_with(|| target.to_path_buf());
        let parent = target
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if let Some(dir) = Some(parent).filter(|d| d.is_dir()) {
            walk(dir, files, settings_file);
        }
    } else {
        return Err(format!("'{}': no such file or directory", target.display()));
    }
    Ok(())
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

fn looks_like_database(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("sqlite3" | "sqlite" | "db")
    )
}

fn skipped_dir(dir: &Path) -> bool {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    name.starts_with('.')
        || matches!(
            name.as_str(),
            "migrations"
                | "node_modules"
                | "__pycache__"
                | "site-packages"
                | "venv"
                | "env"
                | "virtualenv"
        )
        || dir.join("pyvenv.cfg").exists()
}

/// Finds models files (in a stable order) and the project's settings.
fn walk(dir: &Path, files: &mut Vec<(PathBuf, String)>, settings: &mut Option<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    let folder = app_label_of(dir);
    for path in paths {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if path.is_dir() {
            if skipped_dir(&path) {
                continue;
            }
            if name == "models" && path.join("__init__.py").exists() {
                models_package(&path, &folder, files);
            } else {
                walk(&path, files, settings);
            }
        } else if name == "models.py" {
            files.push((path, folder.clone()));
        } else if name == "settings.py" && settings.is_none() {
            *settings = Some(path);
        }
    }
}

fn models_package(dir: &Path, app: &str, files: &mut Vec<(PathBuf, String)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    let paths = packages::import_order(dir, paths);
    files.extend(paths.into_iter().map(|p| (p, app.to_string())));
}

/// What an app's `AppConfig` in apps.py says.
#[derive(Default)]
struct AppConfigInfo {
    label: Option<String>,
    verbose_name: Option<String>,
    auto_field: Option<FieldKind>,
}

/// The app's AppConfig class: the one named (`polls.apps.PollsConfig`),
/// else the one marked `default = True`, else the first (as Django picks
/// the only one).
fn app_config(app_dir: &Path, class: Option<&str>) -> Option<AppConfigInfo> {
    let text = fs::read_to_string(app_dir.join("apps.py")).ok()?;
    let stmts = crate::syntax::parse_module(&text).ok()?;
    let classes: Vec<&crate::syntax::ast::ClassDef> = stmts
        .iter()
        .filter_map(|s| match &s.kind {
            StmtKind::ClassDef(c) => Some(c),
            _ => None,
        })
        .collect();
    let chosen = match class {
        Some(name) => classes.iter().find(|c| c.name.name == name),
        None => classes
            .iter()
            .find(|c| matches!(assigned(&c.body, "default"), Some(ExprKind::Bool(true))))
            .or(classes.first()),
    }?;
    let text_of = |name: &str| match assigned(&chosen.body, name) {
        Some(ExprKind::Str(s)) => Some(s.clone()),
        _ => None,
    };
    Some(AppConfigInfo {
        label: text_of("label"),
        verbose_name: text_of("verbose_name"),
        auto_field: text_of("default_auto_field").and_then(|s| auto_field_kind(&s)),
    })
}

/// The value a class body assigns to `name`.
fn assigned<'a>(body: &'a [crate::syntax::ast::Stmt], name: &str) -> Option<&'a ExprKind> {
    body.iter().find_map(|stmt| {
        let StmtKind::Assign { targets, value } = &stmt.kind else {
            return None;
        };
        targets
            .iter()
            .any(|t| matches!(&t.kind, ExprKind::Name(n) if n == name))
            .then_some(&value.kind)
    })
}

fn auto_field_kind(dotted: &str) -> Option<FieldKind> {
    FieldKind::from_class(dotted.rsplit('.').next()?).filter(|k| k.is_auto())
}

#[cfg(test)]
mod tests;
