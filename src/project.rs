//! Where models and the database come from: a Django project or app
//! directory, a database file with its models beside it, or `--models`.
//!
//! A directory is searched for every `models.py` (and `models/` package),
//! skipping migrations, virtual environments, node_modules and hidden
//! folders; each is an app labelled by its folder's name. The primary-key
//! class follows Django: the app's `AppConfig.default_auto_field`, else the
//! project's `DEFAULT_AUTO_FIELD`, else AutoField.

use crate::schema::{FieldKind, ModelSource};
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
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    let mut settings_file: Option<PathBuf> = None;
    if let Some(target) = req.target {
        open_target(req, target, &mut project, &mut files, &mut settings_file)?;
    }
    for path in req.models {
        let app = path
            .canonicalize()
            .ok()
            .and_then(|p| {
                p.parent()
                    .and_then(|d| d.file_name())
                    .map(|n| n.to_string_lossy().into_owned())
            })
            .unwrap_or_else(|| "app".to_string());
        files.push((path.clone(), app));
    }
    if let Some(path) = req.settings {
        if !path.is_file() {
            return Err(format!("--settings '{}': no such file", path.display()));
        }
        settings_file = Some(path.to_path_buf());
    }
    let settings_text = settings_file
        .as_ref()
        .and_then(|p| fs::read_to_string(p).ok());
    let settings = settings_text
        .as_deref()
        .and_then(|t| assigned_auto_field(t, "DEFAULT_AUTO_FIELD"));
    if let Some(text) = &settings_text {
        project.time = time_settings(text);
        // Django refuses a zone it cannot find when it loads the settings.
        let zone = &project.time.time_zone;
        if zone.parse::<chrono_tz::Tz>().is_err() {
            return Err(format!("ValueError: Incorrect timezone setting: {zone}"));
        }
    }
    for (path, app) in files {
        let text = fs::read_to_string(&path)
            .map_err(|e| format!("cannot read '{}': {e}", path.display()))?;
        let app_dir = path.parent().map(|p| {
            if p.ends_with("models") {
                p.parent().unwrap_or(p)
            } else {
                p
            }
        });
        for fixture in app_dir
            .map(|d| json_files(&d.join("fixtures")))
            .unwrap_or_default()
        {
            if !project.fixtures.contains(&fixture) {
                project.fixtures.push(fixture);
            }
        }
        let default_auto_field = forced
            .or_else(|| app_dir.and_then(app_config_auto_field))
            .or(settings)
            .unwrap_or(FieldKind::AutoField);
        project.sources.push(ModelSource {
            app_label: app,
            path: Some(path),
            text,
            default_auto_field,
        });
    }
    Ok(project)
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

/// `USE_TZ` and `TIME_ZONE` as a settings file assigns them, with Django's
/// defaults (`USE_TZ = True` since Django 5.0) for what it does not say.
pub fn time_settings(text: &str) -> crate::settings::TimeSettings {
    let mut out = crate::settings::TimeSettings {
        use_tz: true,
        ..Default::default()
    };
    let Ok(stmts) = crate::syntax::parse_module(text) else {
        return out;
    };
    for s in &stmts {
        let StmtKind::Assign { targets, value } = &s.kind else {
            continue;
        };
        for t in targets {
            match (&t.kind, &value.kind) {
                (ExprKind::Name(n), ExprKind::Bool(b)) if n == "USE_TZ" => out.use_tz = *b,
                (ExprKind::Name(n), ExprKind::Str(z)) if n == "TIME_ZONE" => {
                    out.time_zone = z.clone()
                }
                _ => {}
            }
        }
    }
    out
}

/// Finds models files (in a stable order) and the project's settings.
fn walk(dir: &Path, files: &mut Vec<(PathBuf, String)>, settings: &mut Option<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    let folder = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
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
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    paths.sort();
    files.extend(paths.into_iter().map(|p| (p, app.to_string())));
}

/// `default_auto_field = '…'` in a class of the app's apps.py.
fn app_config_auto_field(app_dir: &Path) -> Option<FieldKind> {
    let text = fs::read_to_string(app_dir.join("apps.py")).ok()?;
    let stmts = crate::syntax::parse_module(&text).ok()?;
    stmts.iter().find_map(|s| match &s.kind {
        StmtKind::ClassDef(c) => c
            .body
            .iter()
            .find_map(|b| assignment_value(b, "default_auto_field")),
        _ => None,
    })
}

fn assigned_auto_field(text: &str, name: &str) -> Option<FieldKind> {
    let stmts = crate::syntax::parse_module(text).ok()?;
    stmts.iter().find_map(|s| assignment_value(s, name))
}

fn assignment_value(stmt: &crate::syntax::ast::Stmt, name: &str) -> Option<FieldKind> {
    let StmtKind::Assign { targets, value } = &stmt.kind else {
        return None;
    };
    let is_name = targets
        .iter()
        .any(|t| matches!(&t.kind, ExprKind::Name(n) if n == name));
    match (&value.kind, is_name) {
        (ExprKind::Str(s), true) => auto_field_kind(s),
        _ => None,
    }
}

fn auto_field_kind(dotted: &str) -> Option<FieldKind> {
    FieldKind::from_class(dotted.rsplit('.').next()?).filter(|k| k.is_auto())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_apps_settings_and_skips_noise() {
        let root = std::env::temp_dir().join(format!("ormsh-project-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        for dir in [
            "shop/migrations",
            "blog",
            ".venv/lib",
            "node_modules/x",
            "mysite",
        ] {
            fs::create_dir_all(root.join(dir)).unwrap();
        }
        fs::write(
            root.join("shop/models.py"),
            "from django.db import models\n",
        )
        .unwrap();
        fs::write(root.join("shop/migrations/models.py"), "").unwrap();
        fs::write(root.join("blog/models.py"), "").unwrap();
        fs::write(
            root.join("blog/apps.py"),
            "class BlogConfig(AppConfig):\n    default_auto_field = 'django.db.models.AutoField'\n",
        )
        .unwrap();
        fs::write(root.join(".venv/lib/models.py"), "").unwrap();
        fs::write(root.join("node_modules/x/models.py"), "").unwrap();
        fs::write(
            root.join("mysite/settings.py"),
            "DEFAULT_AUTO_FIELD = 'django.db.models.BigAutoField'\nTIME_ZONE = 'UTC'\n",
        )
        .unwrap();
        let project = discover(&Request {
            target: Some(&root),
            db: None,
            models: &[],
            default_auto_field: None,
            migrate: false,
            settings: None,
        })
        .unwrap();
        let apps: Vec<(&str, FieldKind)> = project
            .sources
            .iter()
            .map(|s| (s.app_label.as_str(), s.default_auto_field))
            .collect();
        assert_eq!(
            apps,
            vec![
                ("blog", FieldKind::AutoField),
                ("shop", FieldKind::BigAutoField)
            ]
        );
        assert_eq!(project.db, Some(root.join("db.sqlite3")));
        // Django 5's default USE_TZ = True, as the file does not say.
        assert_eq!(
            project.time,
            crate::settings::TimeSettings {
                use_tz: true,
                time_zone: "UTC".into()
            }
        );
        let _ = fs::remove_dir_all(&root);
    }
}
