//! Methods of `str`, and `str.format` with its field syntax.

use super::*;

impl Interp {
    pub(super) fn str_method(&mut self, s: &str, name: &str, mut args: Args) -> Result<Value> {
        if name == "format" {
            return self.str_format(s, args).map(Value::str);
        }
        if name == "join" {
            return self.str_join(s, args);
        }
        let maxsplit = args.take_kw("maxsplit");
        let sep_kw = args.take_kw("sep");
        if sep_kw.is_some() {
            args.pos.insert(0, sep_kw.unwrap_or(Value::None));
        }
        if let Some(m) = maxsplit {
            args.pos.resize(1.max(args.pos.len()), Value::None);
            args.pos.push(m);
        }
        args.no_kw(name)?;
        self.str_method_on(s, name, args)
    }

    /// `sep.join(iterable)`: str items only, its size checked first.
    fn str_join(&mut self, s: &str, args: Args) -> Result<Value> {
        args.count("str.join", 1, 1)?;
        let mut parts: Vec<std::rc::Rc<str>> = Vec::new();
        let mut size = 0usize;
        for (i, item) in self.collect(&args.pos[0])?.into_iter().enumerate() {
            match item {
                Value::Str(p) => {
                    size = size.saturating_add(p.len() + s.len());
                    parts.push(p);
                }
                other => {
                    return Err(Error::type_error(format!(
                        "sequence item {i}: expected str instance, {} found",
                        other.type_name()
                    )));
                }
            }
        }
        crate::limits::reserve(size)?;
        let parts: Vec<&str> = parts.iter().map(|p| &**p).collect();
        Ok(Value::str(parts.join(s)))
    }

    /// A str method with its arguments as positional ones.
    fn str_method_on(&mut self, s: &str, name: &str, args: Args) -> Result<Value> {
        let text = |v: String| Ok(Value::str(v));
        match name {
            "upper" => text(s.to_uppercase()),
            "lower" | "casefold" => text(s.to_lowercase()),
            "swapcase" => text(
                s.chars()
                    .map(|c| {
                        if c.is_uppercase() {
                            c.to_lowercase().to_string()
                        } else {
                            c.to_uppercase().to_string()
                        }
                    })
                    .collect(),
            ),
            "title" => text(title_case(s)),
            "capitalize" => {
                let mut cs = s.chars();
                text(
                    cs.next()
                        .map(|c| c.to_uppercase().collect::<String>() + &cs.as_str().to_lowercase())
                        .unwrap_or_default(),
                )
            }
            "strip" | "lstrip" | "rstrip" => {
                let set = str_arg(&args, 0, name)?;
                let pred = |c: char| match &set {
                    Some(chars) => chars.contains(c),
                    None => c.is_whitespace(),
                };
                text(
                    match name {
                        "strip" => s.trim_matches(pred),
                        "lstrip" => s.trim_start_matches(pred),
                        _ => s.trim_end_matches(pred),
                    }
                    .to_string(),
                )
            }
            "split" | "rsplit" => split(s, name, &args),
            "splitlines" => Ok(Value::list(s.lines().map(Value::str).collect())),
            "replace" => {
                let (old, new) = (
                    str_arg(&args, 0, name)?.unwrap_or_default(),
                    str_arg(&args, 1, name)?.unwrap_or_default(),
                );
                let count = args
                    .pos
                    .get(2)
                    .and_then(|v| {
                        if let Value::Int(i) = v {
                            Some(*i)
                        } else {
                            None
                        }
                    })
                    .unwrap_or(-1);
                // The result's size is known before it is made.
                let found = if old.is_empty() {
                    s.chars().count() + 1
                } else {
                    s.matches(old.as_str()).count()
                };
                let found = if count < 0 {
                    found
                } else {
                    found.min(count as usize)
                };
                crate::limits::reserve(s.len().saturating_add(found.saturating_mul(new.len())))?;
                text(if count < 0 {
                    s.replace(&old, &new)
                } else {
                    s.replacen(&old, &new, count as usize)
                })
            }
            _ => self.str_method_searching(s, name, args),
        }
    }

    fn str_method_searching(&mut self, s: &str, name: &str, args: Args) -> Result<Value> {
        let boolean = |b: bool| Ok(Value::Bool(b));
        let chars = |f: fn(char) -> bool| Ok(Value::Bool(!s.is_empty() && s.chars().all(f)));
        match name {
            "startswith" | "endswith" => {
                let candidates: Vec<String> = match args.pos.first() {
                    Some(Value::Tuple(t)) => t.iter().map(str).collect(),
                    Some(Value::Str(p)) => vec![p.to_string()],
                    other => {
                        return Err(Error::type_error(format!(
                            "{name} first arg must be str or a tuple of str, not {}",
                            other.map_or("NoneType", Value::type_name)
                        )));
                    }
                };
                boolean(candidates.iter().any(|p| {
                    if name == "startswith" {
                        s.starts_with(p.as_str())
                    } else {
                        s.ends_with(p.as_str())
                    }
                }))
            }
            "find" | "rfind" | "index" | "rindex" => {
                let needle = str_arg(&args, 0, name)?.unwrap_or_default();
                let found = if name.starts_with('r') {
                    s.rfind(&needle)
                } else {
                    s.find(&needle)
                };
                match found {
                    Some(byte) => Ok(Value::Int(s[..byte].chars().count() as i64)),
                    None if name.contains("find") => Ok(Value::Int(-1)),
                    None => Err(Error::value_error("substring not found")),
                }
            }
            "count" => {
                let needle = str_arg(&args, 0, name)?.unwrap_or_default();
                Ok(Value::Int(if needle.is_empty() {
                    s.chars().count() as i64 + 1
                } else {
                    s.matches(&needle).count() as i64
                }))
            }
            "isdigit" | "isnumeric" | "isdecimal" => chars(|c| c.is_numeric()),
            "isalpha" => chars(char::is_alphabetic),
            "isalnum" => chars(char::is_alphanumeric),
            "isspace" => chars(char::is_whitespace),
            "isupper" => {
                boolean(s.chars().any(char::is_alphabetic) && !s.chars().any(char::is_lowercase))
            }
            "islower" => {
                boolean(s.chars().any(char::is_alphabetic) && !s.chars().any(char::is_uppercase))
            }
            "istitle" => boolean(!s.is_empty() && title_case(s) == s),
            _ => self.str_method_padding(s, name, args),
        }
    }

    fn str_method_padding(&mut self, s: &str, name: &str, args: Args) -> Result<Value> {
        let text = |v: String| Ok(Value::str(v));
        match name {
            "zfill" => {
                let width = int_at(&args, 0)?.max(0) as usize;
                crate::limits::reserve(width)?;
                let len = s.chars().count();
                if len >= width {
                    return text(s.to_string());
                }
                let (sign, rest) = match s.strip_prefix(['-', '+']) {
                    Some(rest) => (&s[..1], rest),
                    None => ("", s),
                };
                text(format!("{sign}{}{rest}", "0".repeat(width - len)))
            }
            "center" | "ljust" | "rjust" => {
                let width = int_at(&args, 0)?.max(0) as usize;
                let fill = str_arg(&args, 1, name)?
                    .and_then(|f| f.chars().next())
                    .unwrap_or(' ');
                crate::limits::reserve_items(width, fill.len_utf8())?;
                let len = s.chars().count();
                let gap = width.saturating_sub(len);
                let pad = |n: usize| fill.to_string().repeat(n);
                text(match name {
                    "ljust" => format!("{s}{}", pad(gap)),
                    "rjust" => format!("{}{s}", pad(gap)),
                    // CPython puts the odd space on the left when the width is odd.
                    _ => {
                        let left = gap / 2 + (gap & width & 1);
                        format!("{}{s}{}", pad(left), pad(gap - left))
                    }
                })
            }
            "partition" | "rpartition" => {
                let sep = str_arg(&args, 0, name)?.unwrap_or_default();
                if sep.is_empty() {
                    return Err(Error::value_error("empty separator"));
                }
                let found = if name == "partition" {
                    s.find(&sep)
                } else {
                    s.rfind(&sep)
                };
                let parts = match found {
                    Some(i) => [&s[..i], sep.as_str(), &s[i + sep.len()..]],
                    None if name == "partition" => [s, "", ""],
                    None => ["", "", s],
                };
                Ok(Value::tuple(parts.iter().map(|p| Value::str(*p)).collect()))
            }
            "removeprefix" => text(
                s.strip_prefix(str_arg(&args, 0, name)?.unwrap_or_default().as_str())
                    .unwrap_or(s)
                    .to_string(),
            ),
            "removesuffix" => text(
                s.strip_suffix(str_arg(&args, 0, name)?.unwrap_or_default().as_str())
                    .unwrap_or(s)
                    .to_string(),
            ),
            _ => unreachable!("str method {name} is listed"),
        }
    }

    /// `'{} {name!r:>5}'.format(...)`.
    pub(super) fn str_format(&mut self, template: &str, args: Args) -> Result<String> {
        let mut out = String::new();
        let mut auto = 0;
        let mut chars = template.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    out.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    out.push('}');
                }
                '}' => {
                    return Err(Error::value_error(
                        "Single '}' encountered in format string",
                    ));
                }
                '{' => {
                    let mut field = String::new();
                    let mut depth = 1;
                    for c in chars.by_ref() {
                        match c {
                            '{' => depth += 1,
                            '}' => {
                                depth -= 1;
                                if depth == 0 {
                                    break;
                                }
                            }
                            _ => {}
                        }
                        field.push(c);
                    }
                    if depth != 0 {
                        return Err(Error::value_error("expected '}' before end of string"));
                    }
                    out.push_str(&self.format_field(&field, &args, &mut auto)?);
                }
                c => out.push(c),
            }
        }
        Ok(out)
    }

    pub(super) fn format_field(
        &mut self,
        field: &str,
        args: &Args,
        auto: &mut usize,
    ) -> Result<String> {
        let (head, spec) = field.split_once(':').unwrap_or((field, ""));
        let (path, conversion) = match head.split_once('!') {
            Some((p, c)) => (p, c.chars().next()),
            None => (head, None),
        };
        let split = path.find(['.', '[']).unwrap_or(path.len());
        let (first, rest) = path.split_at(split);
        let mut value = if first.is_empty() {
            let v = args.pos.get(*auto).cloned();
            *auto += 1;
            v.ok_or_else(|| {
                Error::new(
                    "IndexError",
                    format!(
                        "Replacement index {} out of range for positional args tuple",
                        *auto - 1
                    ),
                )
            })?
        } else if let Ok(i) = first.parse::<usize>() {
            args.pos.get(i).cloned().ok_or_else(|| {
                Error::new(
                    "IndexError",
                    format!("Replacement index {i} out of range for positional args tuple"),
                )
            })?
        } else {
            args.kw
                .iter()
                .find(|(k, _)| k == first)
                .map(|(_, v)| v.clone())
                .ok_or_else(|| crate::engine::exceptions::key_error(&Value::str(first)))?
        };
        let mut rest = rest;
        while !rest.is_empty() {
            if let Some(r) = rest.strip_prefix('.') {
                let end = r.find(['.', '[']).unwrap_or(r.len());
                value = self.get_attr(&value, &r[..end])?;
                rest = &r[end..];
            } else if let Some(r) = rest.strip_prefix('[') {
                let end = r
                    .find(']')
                    .ok_or_else(|| Error::value_error("Missing ']' in format string"))?;
                let key = &r[..end];
                let key = key
                    .parse::<i64>()
                    .map(Value::Int)
                    .unwrap_or_else(|_| Value::str(key));
                value = crate::engine::subscript::get_item(&value, &key)?;
                rest = &r[end + 1..];
            } else {
                break;
            }
        }
        let value = match conversion {
            Some('r') | Some('a') => Value::str(repr(&value)),
            Some('s') => Value::str(str(&value)),
            _ => value,
        };
        let spec = if spec.contains('{') {
            self.str_format(
                spec,
                Args {
                    pos: args.pos.clone(),
                    kw: args.kw.clone(),
                },
            )?
        } else {
            spec.to_string()
        };
        crate::engine::format::format_value(&value, &spec)
    }
}

fn title_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev_cased = false;
    for c in s.chars() {
        if prev_cased {
            out.extend(c.to_lowercase());
        } else {
            out.extend(c.to_uppercase());
        }
        prev_cased = c.is_alphabetic();
    }
    out
}

fn split(s: &str, name: &str, args: &Args) -> Result<Value> {
    let sep = str_arg(args, 0, name)?;
    let maxsplit = match args.pos.get(1) {
        Some(Value::Int(i)) if *i >= 0 => Some(*i as usize),
        _ => None,
    };
    let parts: Vec<String> = match (&sep, maxsplit) {
        (Some(sep), _) if sep.is_empty() => return Err(Error::value_error("empty separator")),
        (Some(sep), None) => s.split(sep.as_str()).map(String::from).collect(),
        (Some(sep), Some(n)) if name == "split" => {
            s.splitn(n + 1, sep.as_str()).map(String::from).collect()
        }
        (Some(sep), Some(n)) => {
            let mut v: Vec<String> = s.rsplitn(n + 1, sep.as_str()).map(String::from).collect();
            v.reverse();
            v
        }
        (None, None) => s.split_whitespace().map(String::from).collect(),
        (None, Some(n)) => {
            let words: Vec<&str> = s.split_whitespace().collect();
            if words.len() <= n + 1 {
                words.into_iter().map(String::from).collect()
            } else if name == "split" {
                let mut rest = s.trim_start();
                let mut v = Vec::new();
                for _ in 0..n {
                    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                    v.push(rest[..end].to_string());
                    rest = rest[end..].trim_start();
                }
                v.push(rest.to_string());
                v
            } else {
                let mut rest = s.trim_end();
                let mut v = Vec::new();
                for _ in 0..n {
                    let start = rest.rfind(char::is_whitespace).map_or(0, |i| i + 1);
                    v.push(rest[start..].to_string());
                    rest = rest[..start].trim_end();
                }
                v.push(rest.to_string());
                v.reverse();
                v
            }
        }
    };
    Ok(Value::list(parts.into_iter().map(Value::str).collect()))
}
