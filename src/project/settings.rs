//! A project's settings module run as Python, as Django imports it: with
//! the project's folder on `sys.path`, so `from .base import *`, `os`,
//! `pathlib` and the environment readers work. ormsh takes from it what
//! shapes the models and the database.

use crate::engine::{Console, Interp, Value};
use crate::error::Result;
use crate::schema::{Diagnostic, Registry};
use std::path::{Path, PathBuf};

/// What ormsh follows of the settings.
#[derive(Debug, Default)]
pub struct Settings {
    pub installed_apps: Option<Vec<String>>,
    /// `DATABASES['default']`: its ENGINE and NAME, when it says them.
    pub engine: Option<String>,
    pub name: Option<String>,
    pub auth_user_model: Option<String>,
    pub default_auto_field: Option<String>,
    pub time: crate::settings::TimeSettings,
    /// Statements of the settings (or what they import) that did not run.
    pub diagnostics: Vec<Diagnostic>,
    /// What the environment readers fell back to.
    pub notes: Vec<String>,
}

/// `print()` in a settings file goes to stderr; nothing else is shown.
struct Quiet;

impl Console for Quiet {
    fn print(&mut self, text: &str) -> Result<()> {
        eprint!("{text}");
        Ok(())
    }
    fn display(&mut self, _: &mut Interp, _: &Value) -> Result<()> {
        Ok(())
    }
    fn help(&mut self, _: &Registry, _: Option<crate::schema::ModelId>) -> Result<()> {
        Ok(())
    }
    fn finish_line(&mut self) -> Result<()> {
        Ok(())
    }
}

/// Runs the settings module `module` (`mysite.settings`) found under
/// `root`. Err when no such module is there.
pub fn run(root: &Path, module: &str) -> std::result::Result<Settings, String> {
    let mut interp = Interp::new(Box::new(Quiet));
    interp.set_source_roots(vec![root.to_path_buf()]);
    let scope = interp
        .import_source(module)
        .map_err(|e| format!("cannot import the settings '{module}': {}", e.message))?
        .ok_or_else(|| {
            format!(
                "the settings module '{module}' is not under '{}'",
                root.display()
            )
        })?;
    let get = |name: &str| crate::value::scope::Scope::lookup(&scope, name);
    let mut out = Settings {
        installed_apps: get("INSTALLED_APPS").and_then(|v| strings(&v)),
        auth_user_model: get("AUTH_USER_MODEL").and_then(|v| text(&v)),
        default_auto_field: get("DEFAULT_AUTO_FIELD").and_then(|v| text(&v)),
        time: time(get("USE_TZ"), get("TIME_ZONE")),
        ..Settings::default()
    };
    if let Some(Value::Dict(dbs)) = get("DATABASES") {
        let default = dbs.borrow().get(&Value::str("default")).ok().flatten();
        if let Some(Value::Dict(db)) = default {
            let db = db.borrow();
            let field = |k: &str| db.get(&Value::str(k)).ok().flatten();
            out.engine = field("ENGINE").and_then(|v| text(&v));
            out.name = field("NAME").and_then(|v| text(&v));
        }
    }
    out.diagnostics = interp.take_source_diagnostics();
    out.notes = interp.take_source_notes();
    Ok(out)
}

/// A settings file given by path (`--settings FILE`): run as the module
/// its name says, with its folder on `sys.path`.
pub fn from_file(path: &Path) -> std::result::Result<Settings, String> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "settings".into());
    run(&dir, &stem)
}

/// Django's defaults (`USE_TZ = True` since 5.0, `America/Chicago`) for
/// what the settings do not say.
fn time(use_tz: Option<Value>, zone: Option<Value>) -> crate::settings::TimeSettings {
    let mut out = crate::settings::TimeSettings {
        use_tz: true,
        ..Default::default()
    };
    if let Some(v) = use_tz {
        out.use_tz = v.truthy();
    }
    if let Some(z) = zone.and_then(|z| text(&z)) {
        out.time_zone = z;
    }
    out
}

/// A str or a path as its text.
fn text(v: &Value) -> Option<String> {
    match v {
        Value::Str(s) => Some(s.to_string()),
        Value::Path(p) => Some(p.to_string()),
        _ => None,
    }
}

fn strings(v: &Value) -> Option<Vec<String>> {
    let items = match v {
        Value::List(l) => l.borrow().clone(),
        Value::Tuple(t) => t.to_vec(),
        _ => return None,
    };
    Some(items.iter().filter_map(text).collect())
}
