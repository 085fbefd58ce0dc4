//! JSON and CSV for scripts. A queryset's rows are written as they come
//! out of SQLite, so printing a million rows holds one at a time.

use super::json::{to_json, write_str};
use crate::engine::{Interp, Value, repr};
use crate::error::Result;
use crate::query::QuerySet;

type Write<'a> = &'a mut dyn FnMut(&str) -> Result<()>;

/// One JSON document: a queryset as an array of objects (values_list
/// rows as arrays), an instance as an object of its fields by attname.
pub fn json(interp: &mut Interp, value: &Value, write: Write) -> Result<()> {
    let Value::QuerySet(qs) = value else {
        return write(&json_of(interp, value)?);
    };
    let rows = interp.py().stream_rows(qs)?;
    write("[")?;
    for (i, row) in rows.enumerate() {
        let row = row?;
        let text = json_of(interp, &row)?;
        write(&if i == 0 { text } else { format!(",{text}") })?;
    }
    write("]")
}

fn json_of(interp: &Interp, v: &Value) -> Result<String> {
    let _level = crate::limits::Depth::enter(" while encoding a JSON object")?;
    Ok(match v {
        Value::Instance(_) => {
            let fields = interp.python().instance_fields(v);
            object(interp, fields.iter().map(|(k, v)| (k.as_str(), v)))?
        }
        Value::NamedRow(row) => object(interp, row.0.iter().map(String::as_str).zip(&row.1))?,
        Value::List(items) => array(interp, &items.borrow())?,
        Value::Tuple(items) => array(interp, items)?,
        Value::Dict(d) => {
            let entries: Vec<(String, Value)> = d
                .borrow()
                .entries
                .values()
                .map(|(k, v)| (repr::str(k), v.clone()))
                .collect();
            object(interp, entries.iter().map(|(k, v)| (k.as_str(), v)))?
        }
        other => to_json(other)?,
    })
}

fn object<'a>(
    interp: &Interp,
    pairs: impl Iterator<Item = (&'a str, &'a Value)>,
) -> Result<String> {
    let mut out = String::from("{");
    for (i, (name, value)) in pairs.enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_str(name, &mut out);
        out.push(':');
        out.push_str(&json_of(interp, value)?);
    }
    Ok(out + "}")
}

fn array(interp: &Interp, items: &[Value]) -> Result<String> {
    let parts: Vec<String> = items
        .iter()
        .map(|v| json_of(interp, v))
        .collect::<Result<_>>()?;
    Ok(format!("[{}]", parts.join(",")))
}

/// A header row, then one row an object; anything else as one cell (a
/// list of tuples as rows).
pub fn csv(interp: &mut Interp, value: &Value, write: Write) -> Result<()> {
    match value {
        Value::QuerySet(qs) => csv_queryset(interp, qs, write),
        Value::Instance(_) => {
            let fields = interp.py().instance_fields(value);
            let header: Vec<String> = fields
                .iter()
                .map(|(k, _)| cell(&Value::str(k.as_str())))
                .collect::<Result<_>>()?;
            let row: Vec<String> = fields.iter().map(|(_, v)| cell(v)).collect::<Result<_>>()?;
            write(&format!("{}\n{}", header.join(","), row.join(",")))
        }
        other => write(&csv_lines(other)?),
    }
}

fn csv_queryset(interp: &mut Interp, qs: &QuerySet, write: Write) -> Result<()> {
    let header: Vec<String> = interp
        .py()
        .csv_columns(qs)
        .iter()
        .map(|c| cell(&Value::str(c.as_str())))
        .collect::<Result<_>>()?;
    write(&header.join(","))?;
    for row in interp.py().stream_rows(qs)? {
        let row = row?;
        let cells: Vec<String> = match &row {
            Value::Instance(_) => interp
                .py()
                .instance_fields(&row)
                .iter()
                .map(|(_, v)| cell(v))
                .collect::<Result<_>>()?,
            Value::Dict(d) => d
                .borrow()
                .entries
                .values()
                .map(|(_, v)| cell(v))
                .collect::<Result<_>>()?,
            Value::Tuple(t) => t.iter().map(cell).collect::<Result<_>>()?,
            Value::NamedRow(r) => r.1.iter().map(cell).collect::<Result<_>>()?,
            other => vec![cell(other)?],
        };
        write(&format!("\n{}", cells.join(",")))?;
    }
    Ok(())
}

/// Plain values as CSV: a list of rows (tuples or lists) as rows, anything
/// else as one cell.
fn csv_lines(value: &Value) -> Result<String> {
    let row = |v: &Value| -> Result<String> {
        Ok(match v {
            Value::Tuple(items) => items
                .iter()
                .map(cell)
                .collect::<Result<Vec<_>>>()?
                .join(","),
            Value::List(items) => items
                .borrow()
                .iter()
                .map(cell)
                .collect::<Result<Vec<_>>>()?
                .join(","),
            other => cell(other)?,
        })
    };
    match value {
        Value::List(items) => Ok(items
            .borrow()
            .iter()
            .map(row)
            .collect::<Result<Vec<_>>>()?
            .join("\n")),
        other => row(other),
    }
}

/// One CSV cell, quoted as RFC 4180 has it; None is empty.
fn cell(v: &Value) -> Result<String> {
    let text = match v {
        Value::None => String::new(),
        other => repr::try_str(other)?,
    };
    Ok(if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    })
}
