//! What settings files use of `os`, `os.path`, `sys` and `pathlib`: paths
//! built from `__file__`, the environment read with defaults. The
//! environment is the process's, read once into `os.environ` (a dict that
//! settings may also change, as Django's settings sometimes do).

use super::super::call::Args;
use super::super::value::{Dict, Value};
use super::Native;
use crate::error::{Error, Result};
use crate::value::path;
use std::cell::RefCell;
use std::rc::Rc;

thread_local! {
    static ENVIRON: RefCell<Option<Rc<RefCell<Dict>>>> = const { RefCell::new(None) };
    static SYS_PATH: RefCell<Option<Rc<RefCell<Vec<Value>>>>> = const { RefCell::new(None) };
}

/// `os.environ`: one dict for the session, filled from the process's
/// environment the first time it is asked for.
pub fn environ() -> Value {
    ENVIRON.with(|e| {
        let mut slot = e.borrow_mut();
        let dict = slot.get_or_insert_with(|| {
            let mut d = Dict::default();
            for (k, v) in std::env::vars() {
                let _ = d.insert(Value::str(k.as_str()), Value::str(v.as_str()));
            }
            Rc::new(RefCell::new(d))
        });
        Value::Dict(dict.clone())
    })
}

pub fn constant(module: &str, name: &str) -> Option<Value> {
    Some(match (module, name) {
        ("os", "environ") => environ(),
        ("os", "sep") | ("os.path", "sep") => Value::str("/"),
        ("os", "name") => Value::str("posix"),
        ("os", "curdir") | ("os.path", "curdir") => Value::str("."),
        ("os", "pardir") | ("os.path", "pardir") => Value::str(".."),
        ("os", "linesep") => Value::str("\n"),
        ("os", "pathsep") | ("os.path", "pathsep") => Value::str(":"),
        ("sys", "argv") => Value::list(vec![Value::str("manage.py"), Value::str("shell")]),
        ("sys", "platform") => Value::str("linux"),
        ("sys", "maxsize") => Value::Int(i64::MAX),
        ("sys", "path") => SYS_PATH.with(|p| {
            let mut slot = p.borrow_mut();
            Value::List(
                slot.get_or_insert_with(|| Rc::new(RefCell::new(Vec::new())))
                    .clone(),
            )
        }),
        _ => return None,
    })
}

/// The names `from os import *` and hints offer besides the natives.
pub const OS_CONSTANTS: &[&str] = &["environ", "sep", "name", "curdir", "pardir", "linesep"];
pub const SYS_CONSTANTS: &[&str] = &["argv", "platform", "maxsize", "path"];

/// A str or a path, as `os.fspath` takes them.
fn fspath(v: &Value, callee: &str) -> Result<String> {
    match v {
        Value::Str(s) => Ok(s.to_string()),
        Value::Path(p) => Ok(p.to_string()),
        other => Err(Error::type_error(format!(
            "{callee}: expected str, bytes or os.PathLike object, not {}",
            other.type_name()
        ))),
    }
}

fn cwd() -> String {
    std::env::current_dir()
        .map(|d| d.to_string_lossy().into_owned())
        .unwrap_or_else(|_| "/".into())
}

fn absolute(p: &str) -> String {
    if p.starts_with('/') {
        p.to_string()
    } else {
        format!("{}/{p}", cwd())
    }
}

/// `os.path.realpath` and `Path.resolve()`: absolute, symlinks followed
/// where the path exists, `..` folded where it does not.
fn resolved(p: &str) -> String {
    let abs = path::normpath(&absolute(p));
    std::fs::canonicalize(&abs)
        .map(|c| c.to_string_lossy().into_owned())
        .unwrap_or(abs)
}

fn one_path(args: &Args, callee: &str) -> Result<String> {
    args.no_kw(callee)?;
    args.count(callee, 1, 1)?;
    fspath(&args.pos[0], callee)
}

fn exists(p: &str) -> bool {
    std::path::Path::new(p).exists()
}

/// `os.getenv(key, default=None)`.
fn getenv(mut args: Args) -> Result<Value> {
    let default = args.take_kw("default");
    args.no_kw("getenv")?;
    args.count("getenv", 1, 2)?;
    let Value::Str(key) = &args.pos[0] else {
        return Err(Error::type_error(format!(
            "str expected, not {}",
            args.pos[0].type_name()
        )));
    };
    let Value::Dict(env) = environ() else {
        return Ok(Value::None);
    };
    let found = env.borrow().get(&Value::Str(key.clone()))?;
    Ok(found
        .or(default)
        .or_else(|| args.pos.get(1).cloned())
        .unwrap_or(Value::None))
}

/// `os.path.join(a, *p)`.
fn join(args: Args) -> Result<Value> {
    args.no_kw("join")?;
    let mut out = String::new();
    for (i, part) in args.pos.iter().enumerate() {
        let part = fspath(part, "join")?;
        if part.starts_with('/') || i == 0 {
            out = part;
        } else if out.is_empty() || out.ends_with('/') {
            out.push_str(&part);
        } else {
            out.push('/');
            out.push_str(&part);
        }
    }
    if args.pos.is_empty() {
        return Err(Error::type_error(
            "join() missing 1 required positional argument: 'a'",
        ));
    }
    Ok(Value::str(out.as_str()))
}

fn dirname(p: &str) -> String {
    match p.rfind('/') {
        Some(i) => {
            let head = &p[..=i];
            let trimmed = head.trim_end_matches('/');
            if trimmed.is_empty() {
                head.to_string()
            } else {
                trimmed.to_string()
            }
        }
        None => String::new(),
    }
}

fn basename(p: &str) -> &str {
    p.rsplit('/').next().unwrap_or(p)
}

fn splitext(p: &str) -> (String, String) {
    let base = basename(p);
    let dot = base
        .rfind('.')
        .filter(|&i| base[..i].chars().any(|c| c != '.'));
    match dot {
        Some(i) => {
            let cut = p.len() - base.len() + i;
            (p[..cut].to_string(), p[cut..].to_string())
        }
        None => (p.to_string(), String::new()),
    }
}

fn expanduser(p: &str) -> String {
    let home = std::env::var("HOME").unwrap_or_default();
    match p.strip_prefix('~') {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => format!("{home}{rest}"),
        _ => p.to_string(),
    }
}

/// Calls to the natives of `os`, `os.path`, `pathlib` and translation.
pub fn call(n: Native, args: Args) -> Result<Value> {
    use Native::*;
    let s = |t: String| Value::str(t.as_str());
    Ok(match n {
        PathlibPath | PathlibPosixPath | PathlibPurePath | PathlibPurePosixPath => {
            args.no_kw("Path")?;
            let mut text = String::from(".");
            for part in &args.pos {
                text = path::join(&text, &fspath(part, "Path")?);
            }
            path::value(&text)
        }
        PathlibPathCwd => {
            args.count("cwd", 0, 0)?;
            path::value(&cwd())
        }
        PathlibPathHome => {
            args.count("home", 0, 0)?;
            path::value(&expanduser("~"))
        }
        OsGetenv => getenv(args)?,
        OsGetcwd => {
            args.count("getcwd", 0, 0)?;
            s(cwd())
        }
        OsFspath => s(one_path(&args, "fspath")?),
        OsPathJoin => join(args)?,
        OsPathDirname => s(dirname(&one_path(&args, "dirname")?)),
        OsPathBasename => s(basename(&one_path(&args, "basename")?).to_string()),
        OsPathAbspath => s(path::normpath(&absolute(&one_path(&args, "abspath")?))),
        OsPathRealpath => s(resolved(&one_path(&args, "realpath")?)),
        OsPathNormpath => s(path::normpath(&one_path(&args, "normpath")?)),
        OsPathExpanduser => s(expanduser(&one_path(&args, "expanduser")?)),
        OsPathExists => Value::Bool(exists(&one_path(&args, "exists")?)),
        OsPathIsfile => Value::Bool(std::path::Path::new(&one_path(&args, "isfile")?).is_file()),
        OsPathIsdir => Value::Bool(std::path::Path::new(&one_path(&args, "isdir")?).is_dir()),
        OsPathIsabs => Value::Bool(one_path(&args, "isabs")?.starts_with('/')),
        OsPathSplitext => {
            let (root, ext) = splitext(&one_path(&args, "splitext")?);
            Value::tuple(vec![s(root), s(ext)])
        }
        OsPathSplit => {
            let p = one_path(&args, "split")?;
            Value::tuple(vec![s(dirname(&p)), s(basename(&p).to_string())])
        }
        Gettext | GettextLazy | GettextNoop => {
            args.count(n.name(), 1, 1)?;
            args.pos[0].clone()
        }
        Pgettext | PgettextLazy => {
            args.count(n.name(), 2, 2)?;
            args.pos[1].clone()
        }
        _ => return Err(Error::type_error(format!("{} is not callable", n.name()))),
    })
}

/// `p.parent`, `p.name`, `p.stem`, `p.suffix`, `p.parts`.
pub fn path_attr(p: &str, name: &str) -> Option<Value> {
    let s = |t: &str| Value::str(t);
    Some(match name {
        "parent" => path::value(&path::parent(p)),
        "name" => s(path::name(p)),
        "stem" => s(path::stem(p)),
        "suffix" => s(path::suffix(p)),
        "parts" => Value::tuple(path::parts(p).iter().map(|x| s(x)).collect()),
        "anchor" => s(if p.starts_with('/') { "/" } else { "" }),
        _ => return None,
    })
}

pub const PATH_METHODS: &[&str] = &[
    "resolve",
    "absolute",
    "exists",
    "is_dir",
    "is_file",
    "is_absolute",
    "joinpath",
    "with_name",
    "with_suffix",
    "as_posix",
    "expanduser",
    "__fspath__",
];

pub fn path_method(p: &str, name: &str, args: Args) -> Result<Value> {
    let fixed = |n: usize| args.count(name, n, n);
    Ok(match name {
        "resolve" => {
            args.count(name, 0, 1)?;
            path::value(&resolved(p))
        }
        "absolute" => {
            fixed(0)?;
            path::value(&absolute(p))
        }
        "exists" => Value::Bool(exists(p)),
        "is_dir" => Value::Bool(std::path::Path::new(p).is_dir()),
        "is_file" => Value::Bool(std::path::Path::new(p).is_file()),
        "is_absolute" => Value::Bool(p.starts_with('/')),
        "joinpath" => {
            let mut text = p.to_string();
            for part in &args.pos {
                text = path::join(&text, &fspath(part, "joinpath")?);
            }
            path::value(&text)
        }
        "with_name" | "with_suffix" => {
            fixed(1)?;
            let new = fspath(&args.pos[0], name)?;
            let parent = path::parent(p);
            let last = if name == "with_name" {
                new
            } else {
                format!("{}{new}", path::stem(p))
            };
            path::value(&path::join(&parent, &last))
        }
        "as_posix" | "__fspath__" => {
            fixed(0)?;
            Value::str(p)
        }
        "expanduser" => path::value(&expanduser(p)),
        _ => {
            return Err(Error::new(
                "AttributeError",
                format!("'PosixPath' object has no attribute '{name}'"),
            ));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_path_follows_posixpath() {
        assert_eq!(dirname("/a/b/c.py"), "/a/b");
        assert_eq!(dirname("/a"), "/");
        assert_eq!(dirname("c.py"), "");
        assert_eq!(basename("/a/b/"), "");
        assert_eq!(
            splitext("/a/b.tar.gz"),
            ("/a/b.tar".to_string(), ".gz".to_string())
        );
        assert_eq!(splitext(".bashrc"), (".bashrc".to_string(), String::new()));
    }
}
