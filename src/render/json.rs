//! Plain values as JSON.

use crate::engine::repr::float_repr;
use crate::engine::value::Value;
use std::fmt::Write;

/// A value as JSON, or Python's RecursionError for one nested too deeply.
pub fn to_json(v: &Value) -> crate::error::Result<String> {
    let mut out = String::new();
    write_json(v, &mut out)?;
    Ok(out)
}

fn write_json(v: &Value, out: &mut String) -> crate::error::Result<()> {
    let _level = crate::limits::Depth::enter(" while encoding a JSON object")?;
    match v {
        Value::None => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::BigInt(b) => out.push_str(&b.to_string()),
        Value::Float(f) if f.is_finite() => out.push_str(&float_repr(*f)),
        Value::Float(_) => out.push_str("null"),
        Value::Str(s) => write_str(s, out),
        // Decimals as strings (no precision lost), dates as ISO 8601.
        Value::Decimal(_) => write_str(&crate::engine::repr::str(v), out),
        Value::Date(d) => write_str(&d.format("%Y-%m-%d").to_string(), out),
        Value::DateTime(..) => write_str(&crate::engine::repr::isoformat(v), out),
        Value::Time(t) => write_str(&t.format("%H:%M:%S%.f").to_string(), out),
        Value::List(items) => write_array(&items.borrow(), out)?,
        Value::Tuple(items) => write_array(items, out)?,
        Value::Set(s) => write_array(&s.borrow().ordered(), out)?,
        Value::Dict(d) => {
            out.push('{');
            for (i, (k, val)) in d.borrow().entries.values().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_str(&crate::engine::repr::str(k), out);
                out.push(':');
                write_json(val, out)?;
            }
            out.push('}');
        }
        other => write_str(&crate::engine::repr::repr_with(other, &mut |_| None)?, out),
    }
    Ok(())
}

fn write_array(items: &[Value], out: &mut String) -> crate::error::Result<()> {
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_json(item, out)?;
    }
    out.push(']');
    Ok(())
}

pub(super) fn write_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
