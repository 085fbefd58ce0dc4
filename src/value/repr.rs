//! `repr()` and `str()` exactly as CPython spells them.

use crate::error::Result;
use crate::value::Value;
use chrono::{Datelike, Timelike};

/// Values whose text needs the interpreter (an instance's `__str__`, a
/// queryset's rows) are written by a hook; `None` means "not mine".
pub type Hook<'a> = dyn FnMut(&Value) -> Option<Result<String>> + 'a;

/// `repr(value)` of a plain value.
pub fn repr(v: &Value) -> String {
    repr_with(v, &mut |_| None).unwrap_or_default()
}

/// `repr(value)`, asking `hook` for the values only the interpreter can show.
pub fn repr_with(v: &Value, hook: &mut Hook) -> Result<String> {
    let mut out = String::new();
    write_repr(v, &mut out, &mut Vec::new(), hook)?;
    Ok(out)
}

/// `str(value)` of a plain value, or the RecursionError of one nested too
/// deeply to show.
pub fn try_str(v: &Value) -> Result<String> {
    match v {
        Value::List(_) | Value::Tuple(_) | Value::Dict(_) | Value::Set(_) | Value::BigInt(_) => {
            repr_with(v, &mut |_| None)
        }
        other => Ok(str(other)),
    }
}

/// A date, datetime or time as ISO 8601 (`2020-01-01T10:00:00+00:00`).
pub fn isoformat(v: &Value) -> String {
    crate::value::datetime::isoformat(v, "T")
}

/// `str(value)`: the text itself for strings and Python's `str` for
/// decimals and dates; the repr for everything else.
pub fn str(v: &Value) -> String {
    match v {
        // Unlimited here; `try_str` refuses what Python refuses.
        Value::BigInt(b) => b.to_string(),
        Value::Str(s) => s.to_string(),
        Value::Decimal(d) => d.to_sci_string(),
        Value::Date(d) => d.format("%Y-%m-%d").to_string(),
        Value::DateTime(..) => crate::value::datetime::isoformat(v, " "),
        Value::TimeDelta(t) => t.str(),
        Value::Uuid(u) => crate::value::uuid::text(*u),
        Value::Path(p) => p.to_string(),
        Value::TzInfo(tz) => tz.name(),
        Value::Exception(e) => e.str(),
        Value::Time(t) => time_str(t),
        other => repr(other),
    }
}

/// `datetime.time`'s arguments in its repr: hour and minute always, seconds
/// and microseconds only when not zero.
fn time_args(t: &chrono::NaiveTime) -> String {
    let micro = t.nanosecond() / 1000;
    match (t.second(), micro) {
        (0, 0) => format!("{}, {}", t.hour(), t.minute()),
        (s, 0) => format!("{}, {}, {s}", t.hour(), t.minute()),
        (s, m) => format!("{}, {}, {s}, {m}", t.hour(), t.minute()),
    }
}

fn time_str(t: &chrono::NaiveTime) -> String {
    let micro = t.nanosecond() / 1000;
    if micro == 0 {
        t.format("%H:%M:%S").to_string()
    } else {
        format!("{}.{micro:06}", t.format("%H:%M:%S"))
    }
}

/// `seen` holds the containers being written, so that a list that contains
/// itself prints `[...]` as in Python instead of recursing forever.
fn write_repr(v: &Value, out: &mut String, seen: &mut Vec<usize>, hook: &mut Hook) -> Result<()> {
    if let Some(text) = hook(v) {
        out.push_str(&text?);
        return Ok(());
    }
    let _level = match v {
        Value::List(_) | Value::Tuple(_) | Value::Dict(_) | Value::Set(_) => Some(
            crate::limits::Depth::enter(" while getting the repr of an object")?,
        ),
        _ => None,
    };
    match v {
        Value::List(_)
        | Value::Tuple(_)
        | Value::Dict(_)
        | Value::Set(_)
        | Value::DictView(..)
        | Value::NamedRow(_)
        | Value::Slice(_) => write_container(v, out, seen, hook)?,
        Value::None => out.push_str("None"),
        Value::Bool(true) => out.push_str("True"),
        Value::Bool(false) => out.push_str("False"),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::BigInt(b) => out.push_str(&crate::value::bigint::to_str(b)?),
        Value::RegexFlag(i) => out.push_str(&crate::value::re::flag_repr(*i)),
        Value::DecimalContext(None) => out.push_str(&crate::value::decimal::context_repr()),
        Value::DecimalContext(Some(_)) => out.push_str(&format!(
            "<decimal.ContextManager object at {:#x}>",
            v.identity()
        )),
        Value::MethodDescriptor(d) => {
            out.push_str(&format!("<method '{}' of '{}' objects>", d.1, d.0.name()))
        }
        Value::Float(f) => out.push_str(&float_repr(*f)),
        Value::Str(s) => out.push_str(&str_repr(s)),
        Value::Range { start, stop, step } if *step == 1 => {
            out.push_str(&format!("range({start}, {stop})"))
        }
        Value::Range { start, stop, step } => {
            out.push_str(&format!("range({start}, {stop}, {step})"))
        }
        Value::Iterator(it) => out.push_str(&iterator_repr(&it.borrow(), v.identity())),
        Value::Function(f) => {
            out.push_str(&format!("<function {} at {:#x}>", f.name, v.identity()))
        }
        Value::Builtin(b) => out.push_str(&builtin_repr(*b)),
        Value::BoundMethod(m) => out.push_str(&format!(
            "<built-in method {} of {} object at {:#x}>",
            m.1,
            m.0.type_name(),
            m.0.identity()
        )),
        Value::Method(m) => write_method(m, out, seen, hook)?,
        Value::Module(name) => out.push_str(&format!("<module '{name}'>")),
        Value::Model(m) => out.push_str(&format!("<class '{}.{}'>", m.module, m.name)),
        Value::Choices(c) => out.push_str(&format!("<enum '{}'>", c.2)),
        Value::Descriptor(d) => out.push_str(&descriptor_repr(d.0, v.identity())),
        Value::Decimal(d) => out.push_str(&format!("Decimal('{}')", d.to_sci_string())),
        Value::Date(_) | Value::DateTime(..) | Value::Time(_) => out.push_str(&datetime_repr(v)),
        Value::TimeDelta(t) => out.push_str(&t.repr()),
        Value::Uuid(u) => out.push_str(&format!("UUID('{}')", crate::value::uuid::text(*u))),
        Value::Path(p) => out.push_str(&format!("PosixPath({})", str_repr(p))),
        Value::TzInfo(tz) => out.push_str(&tz.repr()),
        Value::Pattern(p) => out.push_str(&p.repr()),
        Value::Match(m) => out.push_str(&m.repr()),
        Value::Native(n) => out.push_str(&n.repr()),
        Value::Bound(b) => {
            let mut item = |x: &Value| written(x, seen, hook);
            out.push_str(&crate::value::native::bound_repr(b.0, &b.1, &mut item)?);
        }
        Value::ExcClass(c) => out.push_str(&c.repr()),
        Value::UserClass(c) => out.push_str(&format!("<class '__main__.{}'>", c.name)),
        Value::Object(o) => out.push_str(&format!(
            "<__main__.{} object at {:#x}>",
            o.class.name,
            v.identity()
        )),
        Value::Super(s) => out.push_str(&format!(
            "<super: <class '{}'>, <{} object>>",
            s.0.name,
            s.1.type_name()
        )),
        Value::Exception(e) => {
            // Its args may hold instances (ProtectedError's set of them).
            let args = e.args.borrow().clone();
            out.push_str(e.class.short_name());
            write_items(&args, "(", ")", out, seen, hook)?;
        }
        Value::Bytes(b) => out.push_str(&bytes_repr(b)),
        // Only tables read values leniently; they mark these cells.
        Value::Invalid(bad) => out.push_str(&format!("<invalid {}: {}>", bad.0, bad.1)),
        Value::Q(q) => {
            let text = q.text(&mut |x| repr_with(x, hook))?;
            out.push_str(&format!("<Q: {text}>"));
        }
        Value::Expr(e) => out.push_str(&e.repr()),
        Value::Class(name) => out.push_str(&format!("<class '{name}'>")),
        Value::Instance(_) | Value::Manager(_) | Value::QuerySet(_) | Value::Meta(_) => {
            out.push_str(&format!("<{} object>", v.type_name()))
        }
    }
    Ok(())
}

/// The repr of a container: its items', a container already being
/// written as `[...]` or `{...}`.
fn write_container(
    v: &Value,
    out: &mut String,
    seen: &mut Vec<usize>,
    hook: &mut Hook,
) -> Result<()> {
    match v {
        Value::List(l) => nested(v, out, seen, "[...]", |out, seen| {
            // A copy: an item's __repr__ may change the list.
            let items = l.borrow().clone();
            write_items(&items, "[", "]", out, seen, hook)
        })?,
        Value::Tuple(t) if t.len() == 1 => {
            out.push('(');
            write_repr(&t[0], out, seen, hook)?;
            out.push_str(",)");
        }
        Value::Tuple(t) => write_items(t, "(", ")", out, seen, hook)?,
        Value::Dict(d) if !matches!(d.borrow().kind, crate::value::DictKind::Plain) => {
            nested(v, out, seen, "{...}", |out, seen| {
                super::containers::write_repr(&d.borrow(), out, &mut |x, out| {
                    write_repr(x, out, seen, hook)
                })
            })?
        }
        Value::Dict(d) => nested(v, out, seen, "{...}", |out, seen| {
            out.push('{');
            let entries: Vec<(Value, Value)> = d.borrow().entries.values().cloned().collect();
            for (i, (k, val)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_repr(k, out, seen, hook)?;
                out.push_str(": ");
                write_repr(val, out, seen, hook)?;
            }
            out.push('}');
            Ok(())
        })?,
        Value::Set(s) if s.borrow().items.is_empty() => out.push_str("set()"),
        Value::Set(s) => {
            let items = s.borrow().ordered();
            write_items(&items, "{", "}", out, seen, hook)?
        }
        Value::DictView(kind, d) => {
            out.push_str(v.type_name());
            let items = d.borrow().view_items(*kind);
            write_items(&items, "([", "])", out, seen, hook)?;
        }
        Value::NamedRow(row) => {
            out.push_str(row.2);
            out.push('(');
            for (i, (name, value)) in row.0.iter().zip(&row.1).enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(name);
                out.push('=');
                write_repr(value, out, seen, hook)?;
            }
            out.push(')');
        }
        Value::Slice(s) => {
            out.push_str("slice");
            write_items(&s[..], "(", ")", out, seen, hook)?;
        }
        other => out.push_str(&format!("<{} object>", other.type_name())),
    }
    Ok(())
}

fn nested(
    v: &Value,
    out: &mut String,
    seen: &mut Vec<usize>,
    again: &str,
    write: impl FnOnce(&mut String, &mut Vec<usize>) -> Result<()>,
) -> Result<()> {
    let id = v.identity();
    if seen.contains(&id) {
        out.push_str(again);
        return Ok(());
    }
    seen.push(id);
    let result = write(out, seen);
    seen.pop();
    result
}

fn write_items(
    items: &[Value],
    open: &str,
    close: &str,
    out: &mut String,
    seen: &mut Vec<usize>,
    hook: &mut Hook,
) -> Result<()> {
    out.push_str(open);
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write_repr(item, out, seen, hook)?;
    }
    out.push_str(close);
    Ok(())
}

pub use crate::python_float::float_repr;

/// Python's repr of bytes: `b'\xff\x00abc'`.
pub fn bytes_repr(b: &[u8]) -> String {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    let mut out = format!("b{quote}");
    for &c in b {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            c if c as char == quote => {
                out.push('\\');
                out.push(c as char);
            }
            0x20..=0x7e => out.push(c as char),
            c => out.push_str(&format!("\\x{c:02x}")),
        }
    }
    out.push(quote);
    out
}

/// Python's repr of a str: single quotes unless the text has a single quote
/// and no double quote; unprintable characters escaped.
pub fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if !is_printable(c) => {
                let code = c as u32;
                if code < 0x100 {
                    out.push_str(&format!("\\x{code:02x}"));
                } else if code < 0x10000 {
                    out.push_str(&format!("\\u{code:04x}"));
                } else {
                    out.push_str(&format!("\\U{code:08x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// `str.isprintable()` for one character: not a control, format, separator
/// (other than the space), surrogate or private-use character.
fn is_printable(c: char) -> bool {
    let code = c as u32;
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    !matches!(code,
        0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x180E | 0x200B..=0x200F | 0x202A..=0x202E
        | 0x2060..=0x2064 | 0x2066..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB | 0xE000..=0xF8FF
        | 0xF0000..=0x10FFFF | 0xFFFE | 0xFFFF)
}

fn builtin_repr(b: crate::value::builtin::Builtin) -> String {
    use crate::value::builtin::Builtin;
    if b.is_type() {
        return format!("<class '{}'>", b.name());
    }
    // Django's names are classes, shown with their modules.
    if b.is_django() {
        let module = match b.name() {
            "Q" => "django.db.models.query_utils",
            "F" | "Value" => "django.db.models.expressions",
            "Coalesce" => "django.db.models.functions.comparison",
            "Lower" | "Upper" | "Length" | "Concat" => "django.db.models.functions.text",
            _ => "django.db.models.aggregates",
        };
        return format!("<class '{module}.{}'>", b.name());
    }
    match b {
        // The site module's exit and quit are objects that say how to leave.
        Builtin::Exit | Builtin::Quit => {
            format!("Use {}() or Ctrl-D (i.e. EOF) to exit", b.name())
        }
        _ => format!("<built-in function {}>", b.name()),
    }
}

/// `datetime.date(…)`, `datetime.datetime(…, tzinfo=…)`, `datetime.time(…)`.
fn datetime_repr(v: &Value) -> String {
    match v {
        Value::Date(d) => format!("datetime.date({}, {}, {})", d.year(), d.month(), d.day()),
        Value::DateTime(dt, tz) => {
            let zone = tz.map_or(String::new(), |tz| format!(", tzinfo={}", tz.repr()));
            format!(
                "datetime.datetime({}, {}, {}, {}{zone})",
                dt.year(),
                dt.month(),
                dt.day(),
                time_args(&dt.time())
            )
        }
        Value::Time(t) => format!("datetime.time({})", time_args(t)),
        other => format!("<{} object>", other.type_name()),
    }
}

/// A model field's descriptor, by its class: `DeferredAttribute` lives in
/// `query_utils`, the relations' in `related_descriptors`.
fn descriptor_repr(class: &str, identity: usize) -> String {
    let module = if class == "DeferredAttribute" {
        "django.db.models.query_utils"
    } else {
        "django.db.models.fields.related_descriptors"
    };
    format!("<{module}.{class} object at {identity:#x}>")
}

/// `<generator object f at 0x…>`, `<zip object at 0x…>`.
fn iterator_repr(it: &crate::value::PyIterator, identity: usize) -> String {
    let what = match (&it.generator, it.kind) {
        (Some((name, _)), _) => format!("generator object {name}"),
        (None, "generator") => "generator object <genexpr>".to_string(),
        (None, kind) => format!("{kind} object"),
    };
    format!("<{what} at {identity:#x}>")
}

/// `<bound method f of <obj>>`: a method and the object it is bound to.
fn write_method(
    m: &(Value, Value),
    out: &mut String,
    seen: &mut Vec<usize>,
    hook: &mut Hook,
) -> Result<()> {
    let name = match &m.0 {
        Value::Function(f) => f.name.as_str(),
        _ => "method",
    };
    out.push_str(&format!("<bound method {name} of "));
    write_repr(&m.1, out, seen, hook)?;
    out.push('>');
    Ok(())
}

/// One value's repr as a string of its own, within a write.
fn written(v: &Value, seen: &mut Vec<usize>, hook: &mut Hook) -> Result<String> {
    let mut s = String::new();
    write_repr(v, &mut s, seen, hook)?;
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_as_python_repr() {
        for (f, want) in [
            (1.0, "1.0"),
            (0.1, "0.1"),
            (1e16, "1e+16"),
            (1.5e16, "1.5e+16"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (0.1 + 0.2, "0.30000000000000004"),
            (-0.0, "-0.0"),
            (123456789012345678.0, "1.2345678901234568e+17"),
            (1e15, "1000000000000000.0"),
            (2.5, "2.5"),
            (f64::INFINITY, "inf"),
            (-1.25e-7, "-1.25e-07"),
        ] {
            assert_eq!(float_repr(f), want);
        }
    }

    #[test]
    fn strings_quote_and_escape_as_python() {
        assert_eq!(str_repr("a"), "'a'");
        assert_eq!(str_repr("it's"), "\"it's\"");
        assert_eq!(str_repr("'\""), "'\\'\"'");
        assert_eq!(str_repr("a\nb\t\\"), "'a\\nb\\t\\\\'");
        assert_eq!(str_repr("\x00\u{a0}é\u{200b}"), "'\\x00\\xa0é\\u200b'");
    }
}
