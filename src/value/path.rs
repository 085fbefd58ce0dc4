//! `pathlib.PurePosixPath`'s rules on text: how a path is normalised, joined
//! and taken apart. Settings files build their paths this way
//! (`BASE_DIR / 'db.sqlite3'`); what touches the file system is the
//! engine's (`os`, `Path.resolve()`).

use super::Value;

/// A path as pathlib keeps it: no empty or `.` parts, no trailing slash,
/// `.` for the empty path; `..` stays (pathlib never collapses it).
pub fn normalise(text: &str) -> String {
    let absolute = text.starts_with('/');
    // POSIX keeps exactly two leading slashes; pathlib does too.
    let double = text.starts_with("//") && !text.starts_with("///");
    let parts: Vec<&str> = text
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    let root = match (absolute, double) {
        (true, true) => "//",
        (true, false) => "/",
        _ => "",
    };
    let joined = parts.join("/");
    match (root, joined.is_empty()) {
        ("", true) => ".".into(),
        (r, _) => format!("{r}{joined}"),
    }
}

pub fn value(text: &str) -> Value {
    Value::Path(normalise(text).into())
}

/// `a / b`: an absolute `b` replaces `a`, as in pathlib.
pub fn join(base: &str, other: &str) -> String {
    if other.starts_with('/') || base == "." {
        normalise(other)
    } else {
        normalise(&format!("{base}/{other}"))
    }
}

/// `p.parent`: the path without its last part (`/` and `.` are their own).
pub fn parent(path: &str) -> String {
    match path.rsplit_once('/') {
        Some(("", _)) => "/".into(),
        Some((head, _)) if head.chars().all(|c| c == '/') => head.into(),
        Some((head, _)) => head.into(),
        None => ".".into(),
    }
}

/// `p.name`: the last part ('' for a root or `.`).
pub fn name(path: &str) -> &str {
    match path {
        "." | "/" | "//" => "",
        p => p.rsplit('/').next().unwrap_or(p),
    }
}

/// `p.suffix`: the name's last dotted part, with its dot.
pub fn suffix(path: &str) -> &str {
    let n = name(path);
    match n.rfind('.') {
        Some(i) if i > 0 && i < n.len() - 1 => &n[i..],
        _ => "",
    }
}

pub fn stem(path: &str) -> &str {
    let n = name(path);
    &n[..n.len() - suffix(path).len()]
}

/// `p.parts`: the root (when absolute) and each part.
pub fn parts(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(rest) = path.strip_prefix("//").filter(|_| !path.starts_with("///")) {
        out.push("//".to_string());
        out.extend(rest.split('/').filter(|p| !p.is_empty()).map(String::from));
        return out;
    }
    if path.starts_with('/') {
        out.push("/".to_string());
    }
    if path != "." {
        out.extend(path.split('/').filter(|p| !p.is_empty()).map(String::from));
    }
    out
}

/// `os.path.normpath`: also folds `a/..` away, which pathlib does not.
pub fn normpath(text: &str) -> String {
    if text.is_empty() {
        return ".".into();
    }
    let absolute = text.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for part in text.split('/') {
        match part {
            "" | "." => {}
            ".." if out.last().is_some_and(|p| *p != "..") => {
                out.pop();
            }
            ".." if absolute => {}
            p => out.push(p),
        }
    }
    let joined = out.join("/");
    match (absolute, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_follow_pathlib() {
        assert_eq!(normalise("a//b/./c/"), "a/b/c");
        assert_eq!(normalise(""), ".");
        assert_eq!(normalise("/"), "/");
        assert_eq!(join("/srv/site", "data/app.db"), "/srv/site/data/app.db");
        assert_eq!(join("/srv", "/etc"), "/etc");
        assert_eq!(join(".", "x"), "x");
        assert_eq!(parent("/srv/site/settings.py"), "/srv/site");
        assert_eq!(parent("/srv"), "/");
        assert_eq!(parent("x"), ".");
        assert_eq!(name("/srv/app.tar.gz"), "app.tar.gz");
        assert_eq!(suffix("/srv/app.tar.gz"), ".gz");
        assert_eq!(stem("/srv/.bashrc"), ".bashrc");
        assert_eq!(parts("/a/b"), vec!["/", "a", "b"]);
        assert_eq!(normpath("/a/b/../c/./d/"), "/a/c/d");
        assert_eq!(normpath("../a/.."), "..");
    }
}
