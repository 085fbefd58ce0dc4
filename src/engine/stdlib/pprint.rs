//! `pprint`: Python's PrettyPrinter. A value that fits in the width is its
//! repr (dicts with their keys sorted); one that does not is broken over
//! lines the way `pprint._format` breaks dicts, lists, tuples, sets and
//! strings. Anything else is its repr, which the interpreter writes (an
//! instance by its `__str__`).

use super::super::call::Args;
use super::super::interp::Interp;
use super::super::value::{DictKind, Value};
use crate::error::{Error, Result};
use crate::syntax::ast::CmpOp;

struct Printer {
    indent: usize,
    width: usize,
    depth: Option<usize>,
    compact: bool,
    sort_dicts: bool,
    underscore_numbers: bool,
}

/// The options of `pprint`, `pformat` and `pp`, after the object.
fn printer(func: &str, mut args: Args, sort_dicts: bool) -> Result<(Value, Printer)> {
    let names = ["object", "stream", "indent", "width", "depth"];
    if args.pos.len() > names.len() {
        return Err(Error::type_error(format!(
            "{func}() takes from 1 to 5 positional arguments but {} were given",
            args.pos.len()
        )));
    }
    let mut given: Vec<Option<Value>> = names.iter().map(|_| None).collect();
    for (i, v) in std::mem::take(&mut args.pos).into_iter().enumerate() {
        given[i] = Some(v);
    }
    for (i, n) in names.iter().enumerate() {
        if let Some(v) = args.take_kw(n) {
            given[i] = Some(v);
        }
    }
    let mut p = Printer {
        indent: 1,
        width: 80,
        depth: None,
        compact: args.take_kw("compact").is_some_and(|v| v.truthy()),
        sort_dicts: args
            .take_kw("sort_dicts")
            .map_or(sort_dicts, |v| v.truthy()),
        underscore_numbers: args
            .take_kw("underscore_numbers")
            .is_some_and(|v| v.truthy()),
    };
    if let Some((k, _)) = args.kw.first() {
        return Err(Error::type_error(format!(
            "{func}() got an unexpected keyword argument '{k}'"
        )));
    }
    let Some(object) = given[0].take() else {
        return Err(Error::type_error(format!(
            "{func}() missing 1 required positional argument: 'object'"
        )));
    };
    if given[1].as_ref().is_some_and(|s| !matches!(s, Value::None)) {
        return Err(Error::new(
            "NotImplementedError",
            "ormsh's pprint writes to the console only (stream=None)",
        ));
    }
    let int = |v: &Option<Value>, name: &str| -> Result<Option<i64>> {
        match v {
            None | Some(Value::None) => Ok(None),
            Some(Value::Int(i)) => Ok(Some(*i)),
            Some(other) => Err(Error::type_error(format!(
                "'{}' object cannot be interpreted as an integer ({name})",
                other.type_name()
            ))),
        }
    };
    if let Some(i) = int(&given[2], "indent")? {
        if i < 0 {
            return Err(Error::value_error("indent must be >= 0"));
        }
        p.indent = i as usize;
    }
    if let Some(w) = int(&given[3], "width")? {
        if w <= 0 {
            return Err(Error::value_error("width must be != 0"));
        }
        p.width = w as usize;
    }
    if let Some(d) = int(&given[4], "depth")? {
        if d <= 0 {
            return Err(Error::value_error("depth must be > 0"));
        }
        p.depth = Some(d as usize);
    }
    Ok((object, p))
}

fn len(s: &str) -> usize {
    s.chars().count()
}

impl Interp {
    /// `pprint.pprint`, `pprint.pp`, `pprint.pformat`, `pprint.saferepr`.
    pub(in super::super) fn call_pprint(&mut self, func: &str, args: Args) -> Result<Value> {
        let (object, p) = printer(func, args, func != "pp")?;
        if func == "saferepr" {
            return Ok(Value::str(self.safe_repr(
                &p,
                &object,
                &mut Vec::new(),
                0,
            )?));
        }
        let mut out = String::new();
        self.pp_format(&p, &object, &mut out, 0, 0, &mut Vec::new(), 0)?;
        if func == "pformat" {
            return Ok(Value::str(out));
        }
        out.push('\n');
        self.print_text(&out)?;
        Ok(Value::None)
    }

    /// `_safe_repr`: the repr, with plain dicts' keys sorted and depth cut.
    fn safe_repr(
        &mut self,
        p: &Printer,
        v: &Value,
        context: &mut Vec<usize>,
        level: usize,
    ) -> Result<String> {
        let (open, close, items): (&str, &str, Vec<Value>) = match v {
            Value::Int(i) if p.underscore_numbers => return Ok(underscored(*i)),
            Value::Dict(d) if matches!(d.borrow().kind, DictKind::Plain) => {
                if d.borrow().entries.is_empty() {
                    return Ok("{}".into());
                }
                if p.depth.is_some_and(|m| level >= m) {
                    return Ok("{...}".into());
                }
                let id = v.identity();
                if context.contains(&id) {
                    return Ok(recursion(v));
                }
                context.push(id);
                let mut pairs: Vec<(Value, Value)> = d.borrow().entries.values().cloned().collect();
                if p.sort_dicts {
                    pairs.sort_by(|(a, x), (b, y)| safe_cmp(a, b).then_with(|| safe_cmp(x, y)));
                }
                let mut parts = Vec::new();
                for (k, val) in &pairs {
                    let k = self.safe_repr(p, k, context, level + 1)?;
                    let val = self.safe_repr(p, val, context, level + 1)?;
                    parts.push(format!("{k}: {val}"));
                }
                context.pop();
                return Ok(format!("{{{}}}", parts.join(", ")));
            }
            Value::List(l) => ("[", "]", l.borrow().clone()),
            Value::Tuple(t) => ("(", ")", t.to_vec()),
            other => return self.repr_value(other),
        };
        if items.is_empty() {
            return Ok(format!("{open}{close}"));
        }
        if p.depth.is_some_and(|m| level >= m) {
            return Ok(format!("{open}...{close}"));
        }
        let id = v.identity();
        if context.contains(&id) {
            return Ok(recursion(v));
        }
        context.push(id);
        let mut parts = Vec::new();
        for item in &items {
            parts.push(self.safe_repr(p, item, context, level + 1)?);
        }
        context.pop();
        let tail = if items.len() == 1 && open == "(" {
            ","
        } else {
            ""
        };
        Ok(format!("{open}{}{tail}{close}", parts.join(", ")))
    }

    /// `PrettyPrinter._format`.
    #[allow(clippy::too_many_arguments)]
    fn pp_format(
        &mut self,
        p: &Printer,
        v: &Value,
        out: &mut String,
        indent: usize,
        allowance: usize,
        context: &mut Vec<usize>,
        level: usize,
    ) -> Result<()> {
        let id = v.identity();
        if context.contains(&id) && matches!(v, Value::List(_) | Value::Dict(_)) {
            out.push_str(&recursion(v));
            return Ok(());
        }
        let rep = self.safe_repr(p, v, &mut context.clone(), level)?;
        let max_width = p.width as i64 - indent as i64 - allowance as i64;
        if (len(&rep) as i64) <= max_width {
            out.push_str(&rep);
            return Ok(());
        }
        context.push(id);
        let level = level + 1;
        match v {
            Value::Dict(d) if matches!(d.borrow().kind, DictKind::Plain) => {
                out.push('{');
                if p.indent > 1 {
                    out.push_str(&" ".repeat(p.indent - 1));
                }
                let mut pairs: Vec<(Value, Value)> = d.borrow().entries.values().cloned().collect();
                if p.sort_dicts {
                    pairs.sort_by(|(a, x), (b, y)| safe_cmp(a, b).then_with(|| safe_cmp(x, y)));
                }
                self.pp_dict_items(p, &pairs, out, indent, allowance + 1, context, level)?;
                out.push('}');
            }
            Value::List(l) => {
                let items = l.borrow().clone();
                out.push('[');
                self.pp_items(p, &items, out, indent, allowance + 1, context, level)?;
                out.push(']');
            }
            Value::Tuple(t) => {
                let end = if t.len() == 1 { ",)" } else { ")" };
                out.push('(');
                self.pp_items(p, t, out, indent, allowance + len(end), context, level)?;
                out.push_str(end);
            }
            Value::Set(s) if !s.borrow().items.is_empty() => {
                let mut items = s.borrow().ordered();
                items.sort_by(safe_cmp);
                out.push('{');
                self.pp_items(p, &items, out, indent, allowance + 1, context, level)?;
                out.push('}');
            }
            Value::Str(s) if !s.is_empty() => self.pp_str(p, s, out, indent, allowance, level),
            _ => out.push_str(&rep),
        }
        context.pop();
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn pp_dict_items(
        &mut self,
        p: &Printer,
        pairs: &[(Value, Value)],
        out: &mut String,
        indent: usize,
        allowance: usize,
        context: &mut Vec<usize>,
        level: usize,
    ) -> Result<()> {
        let indent = indent + p.indent;
        let delim = format!(",\n{}", " ".repeat(indent));
        for (i, (k, v)) in pairs.iter().enumerate() {
            let last = i + 1 == pairs.len();
            let rep = self.safe_repr(p, k, &mut context.clone(), level)?;
            out.push_str(&rep);
            out.push_str(": ");
            let allow = if last { allowance } else { 1 };
            self.pp_format(p, v, out, indent + len(&rep) + 2, allow, context, level)?;
            if !last {
                out.push_str(&delim);
            }
        }
        Ok(())
    }

    /// `PrettyPrinter._format_items`, compact or one item a line.
    #[allow(clippy::too_many_arguments)]
    fn pp_items(
        &mut self,
        p: &Printer,
        items: &[Value],
        out: &mut String,
        indent: usize,
        allowance: usize,
        context: &mut Vec<usize>,
        level: usize,
    ) -> Result<()> {
        let indent = indent + p.indent;
        if p.indent > 1 {
            out.push_str(&" ".repeat(p.indent - 1));
        }
        let delimnl = format!(",\n{}", " ".repeat(indent));
        let mut delim = String::new();
        let mut max_width = p.width as i64 - indent as i64 + 1;
        let mut width = max_width;
        for (i, item) in items.iter().enumerate() {
            let last = i + 1 == items.len();
            if last {
                max_width -= allowance as i64;
                width -= allowance as i64;
            }
            if p.compact {
                let rep = self.safe_repr(p, item, &mut context.clone(), level)?;
                let w = len(&rep) as i64 + 2;
                if width < w {
                    width = max_width;
                    if !delim.is_empty() {
                        delim = delimnl.clone();
                    }
                }
                if width >= w {
                    width -= w;
                    out.push_str(&delim);
                    delim = ", ".into();
                    out.push_str(&rep);
                    continue;
                }
            }
            out.push_str(&delim);
            delim = delimnl.clone();
            let allow = if last { allowance } else { 1 };
            self.pp_format(p, item, out, indent, allow, context, level)?;
        }
        Ok(())
    }

    /// `PrettyPrinter._pprint_str`: a long string as adjacent literals,
    /// broken after whitespace.
    fn pp_str(
        &mut self,
        p: &Printer,
        s: &str,
        out: &mut String,
        indent: usize,
        allowance: usize,
        level: usize,
    ) {
        let repr = |t: &str| super::super::repr::repr(&Value::str(t));
        let (mut indent, mut allowance) = (indent, allowance);
        if level == 1 {
            indent += 1;
            allowance += 1;
        }
        let max_width = p.width as i64 - indent as i64;
        let mut max_width1 = max_width;
        let lines = split_lines_keep(s);
        let mut chunks: Vec<String> = Vec::new();
        let mut rep = String::new();
        for (i, line) in lines.iter().enumerate() {
            rep = repr(line);
            if i + 1 == lines.len() {
                max_width1 -= allowance as i64;
            }
            if len(&rep) as i64 <= max_width1 {
                chunks.push(rep.clone());
                continue;
            }
            let parts = word_parts(line);
            let mut max_width2 = max_width;
            let mut current = String::new();
            for (j, part) in parts.iter().enumerate() {
                let candidate = format!("{current}{part}");
                if j + 1 == parts.len() && i + 1 == lines.len() {
                    max_width2 -= allowance as i64;
                }
                if len(&repr(&candidate)) as i64 > max_width2 {
                    if !current.is_empty() {
                        chunks.push(repr(&current));
                    }
                    current = part.clone();
                } else {
                    current = candidate;
                }
            }
            if !current.is_empty() {
                chunks.push(repr(&current));
            }
        }
        if chunks.len() == 1 {
            out.push_str(&rep);
            return;
        }
        if level == 1 {
            out.push('(');
        }
        for (i, c) in chunks.iter().enumerate() {
            if i > 0 {
                out.push('\n');
                out.push_str(&" ".repeat(indent));
            }
            out.push_str(c);
        }
        if level == 1 {
            out.push(')');
        }
    }
}

/// Python's `_safe_key`: `<` where it works, else by type name.
fn safe_cmp(a: &Value, b: &Value) -> std::cmp::Ordering {
    let less = |x: &Value, y: &Value| match super::super::ops::compare_op(CmpOp::Lt, x, y) {
        Ok(lt) => lt,
        Err(_) => (x.type_name(), x.identity()) < (y.type_name(), y.identity()),
    };
    if less(a, b) {
        std::cmp::Ordering::Less
    } else if less(b, a) {
        std::cmp::Ordering::Greater
    } else {
        std::cmp::Ordering::Equal
    }
}

/// `str.splitlines(True)`.
fn split_lines_keep(s: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        cur.push(c);
        let breaks = matches!(
            c,
            '\n' | '\r'
                | '\x0b'
                | '\x0c'
                | '\x1c'
                | '\x1d'
                | '\x1e'
                | '\u{85}'
                | '\u{2028}'
                | '\u{2029}'
        );
        if c == '\r' && chars.peek() == Some(&'\n') {
            cur.push('\n');
            chars.next();
        }
        if breaks {
            lines.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// `re.findall(r'\S*\s*', line)` without its final empty match.
fn word_parts(line: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut in_space = false;
    for c in line.chars() {
        if c.is_whitespace() {
            in_space = true;
        } else if in_space {
            parts.push(std::mem::take(&mut cur));
            in_space = false;
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        parts.push(cur);
    }
    parts
}

fn recursion(v: &Value) -> String {
    format!("<Recursion on {} with id={}>", v.type_name(), v.identity())
}

/// `format(i, '_d')`.
fn underscored(i: i64) -> String {
    let digits = i.unsigned_abs().to_string();
    let mut out = String::new();
    for (n, c) in digits.chars().enumerate() {
        if n > 0 && (digits.len() - n).is_multiple_of(3) {
            out.push('_');
        }
        out.push(c);
    }
    if i < 0 { format!("-{out}") } else { out }
}
