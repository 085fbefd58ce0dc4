use super::*;

/// A scratch folder with the given files.
fn tree(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let root = std::env::temp_dir().join(format!("ormsh-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&root);
    for (path, text) in files {
        let path = root.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    root.canonicalize().unwrap()
}

fn request(target: &Path, migrate: bool) -> Request<'_> {
    Request {
        target: Some(target),
        db: None,
        models: &[],
        default_auto_field: None,
        migrate,
        settings: None,
        site_packages: None,
    }
}

fn apps(project: &Project) -> Vec<(&str, FieldKind)> {
    project
        .sources
        .iter()
        .map(|s| (s.app_label.as_str(), s.default_auto_field))
        .collect()
}

#[test]
fn finds_apps_settings_and_skips_noise() {
    let root = tree(
        "walk",
        &[
            ("shop/models.py", "from django.db import models\n"),
            ("shop/migrations/models.py", ""),
            ("blog/models.py", ""),
            (
                "blog/apps.py",
                "class BlogConfig(AppConfig):\n    default_auto_field = 'django.db.models.AutoField'\n",
            ),
            (".venv/lib/models.py", ""),
            ("node_modules/x/models.py", ""),
            (
                "mysite/settings.py",
                "from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\nDEFAULT_AUTO_FIELD = 'django.db.models.BigAutoField'\nTIME_ZONE = 'UTC'\nDATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': BASE_DIR / 'db.sqlite3'}}\n",
            ),
        ],
    );
    let project = discover(&request(&root, true)).unwrap();
    assert_eq!(
        apps(&project),
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

const SETTINGS: &str = "import os\nfrom pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent.parent\nINSTALLED_APPS = ['django.contrib.auth', 'polls.apps.PollsConfig', 'accounts', 'taggit']\nAUTH_USER_MODEL = 'accounts.User'\nDATABASES = {'default': {'ENGINE': os.environ.get('ORMSH_TEST_NO_SUCH_VAR', 'django.db.backends.sqlite3'), 'NAME': BASE_DIR / 'data' / 'app.db'}}\nUSE_TZ = False\n";

fn tutorial(name: &str, settings: &str) -> PathBuf {
    tree(
        name,
        &[
            (
                "manage.py",
                "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings.dev')\n",
            ),
            ("mysite/__init__.py", ""),
            ("mysite/settings/__init__.py", ""),
            ("mysite/settings/base.py", settings),
            (
                "mysite/settings/dev.py",
                "from .base import *\nDEBUG = True\n",
            ),
            ("polls/models.py", ""),
            (
                "polls/apps.py",
                "class PollsConfig(AppConfig):\n    name = 'polls'\n    label = 'votes'\n",
            ),
            ("accounts/models/__init__.py", "from .user import User\n"),
            ("accounts/models/user.py", ""),
            ("unlisted/models.py", ""),
        ],
    )
}

#[test]
fn settings_run_as_python_choose_the_apps_and_the_database() {
    let root = tutorial("settings", SETTINGS);
    let project = discover(&request(&root, true)).unwrap();
    assert_eq!(
        apps(&project),
        vec![
            ("votes", FieldKind::AutoField),
            ("accounts", FieldKind::AutoField),
            ("accounts", FieldKind::AutoField)
        ]
    );
    assert_eq!(project.db, Some(root.join("data/app.db")));
    assert_eq!(project.auth_user_model.as_deref(), Some("accounts.User"));
    assert!(!project.time.use_tz);
    assert!(project.notes.iter().any(|n| n.contains("'taggit'")));
    // The database the settings name must exist unless --migrate makes it.
    let err = discover(&request(&root, false)).unwrap_err();
    assert!(err.contains("data/app.db"), "{err}");
    // A database file inside the project opens the project.
    fs::create_dir_all(root.join("data")).unwrap();
    fs::write(root.join("data/app.db"), "").unwrap();
    let db = root.join("data/app.db");
    let project = discover(&request(&db, false)).unwrap();
    assert_eq!(project.sources.len(), 3);
    assert_eq!(project.db, Some(db));
    let _ = fs::remove_dir_all(&root);
}

#[test]
fn other_engines_are_refused_by_name() {
    let settings = SETTINGS.replace(
        "django.db.backends.sqlite3",
        "django.db.backends.postgresql",
    );
    let root = tutorial("engine", &settings);
    let err = discover(&request(&root, true)).unwrap_err();
    assert!(err.contains("'django.db.backends.postgresql'"), "{err}");
    let _ = fs::remove_dir_all(&root);
}

#[test]
fn a_models_package_and_the_current_folder_name_their_app() {
    let root = tree(
        "package",
        &[
            ("shop/models/__init__.py", "from .book import *\n"),
            ("shop/models/book.py", ""),
        ],
    );
    let files = models_argument(&root.join("shop/models")).unwrap();
    assert_eq!(files.len(), 2);
    assert!(files.iter().all(|(_, app)| app == "shop"));
    assert_eq!(app_label_of(&root.join("shop")), "shop");
    let _ = fs::remove_dir_all(&root);
}

#[test]
fn third_party_apps_are_read_from_the_projects_virtualenv() {
    let root = tree(
        "venv",
        &[
            (
                "manage.py",
                "os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"site.settings\")\n",
            ),
            (
                "site/settings.py",
                "INSTALLED_APPS = ['shelf', 'nowhere']\nDATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': ':memory:'}}\n",
            ),
            (".venv/lib/python3.12/site-packages/shelf/__init__.py", ""),
            (".venv/lib/python3.12/site-packages/shelf/models.py", ""),
            (
                ".venv/lib/python3.12/site-packages/shelf/apps.py",
                "class ShelfConfig(AppConfig):\n    name = 'shelf'\n    label = 'books'\n    verbose_name = 'Bookshelf'\n",
            ),
        ],
    );
    let project = discover(&request(&root, false)).unwrap();
    assert_eq!(apps(&project), vec![("books", FieldKind::AutoField)]);
    assert!(
        project.sources[0]
            .path
            .as_ref()
            .unwrap()
            .ends_with("site-packages/shelf/models.py")
    );
    assert_eq!(
        project.verbose_names,
        vec![("books".to_string(), "Bookshelf".to_string())]
    );
    assert!(project.notes.iter().any(|n| n.contains("'nowhere'")));
    assert_eq!(project.db, None);
    let _ = fs::remove_dir_all(&root);
}

#[test]
fn a_models_package_is_read_in_pythons_import_order() {
    // `abstract.py` imports File from `filemodels.py`, and `__init__.py`
    // imports `images` first: Python runs filemodels, abstract, images.
    let root = tree(
        "package-order",
        &[
            (
                "media/models/__init__.py",
                "from .images import *\nfrom .filemodels import *\n",
            ),
            ("media/models/abstract.py", "from .filemodels import File\n"),
            (
                "media/models/images.py",
                "from .abstract import BaseImage\n",
            ),
            (
                "media/models/filemodels.py",
                "from django.db import models\n",
            ),
            ("media/models/zzz.py", ""),
        ],
    );
    let dir = root.join("media/models");
    let paths: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let order: Vec<String> = packages::import_order(&dir, paths)
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        order,
        [
            "filemodels.py",
            "abstract.py",
            "images.py",
            "__init__.py",
            "zzz.py"
        ]
    );
}

#[test]
fn settings_with_only_djangos_apps_have_their_models() {
    let root = tree(
        "contrib-only",
        &[
            ("manage.py", ""),
            (
                "config/settings.py",
                "INSTALLED_APPS = ['django.contrib.auth', 'django.contrib.contenttypes']\nDATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3'}}\n",
            ),
        ],
    );
    let project = discover(&request(&root, true)).unwrap();
    assert!(project.sources.is_empty());
    assert_eq!(
        project.installed_apps.as_deref(),
        Some(
            &[
                "django.contrib.auth".to_string(),
                "django.contrib.contenttypes".to_string()
            ][..]
        )
    );
}
