//! The module's functions and a pattern's methods (search, match, findall, finditer, sub, split), as one.

use super::*;

/// The module's functions and a pattern's methods, as one: the module's
/// take the pattern first.
#[derive(Clone, Copy)]
pub enum Op {
    Search,
    Match,
    Fullmatch,
    Findall,
    Finditer,
    Sub,
    Subn,
    Split,
}

impl Op {
    pub fn by_name(name: &str) -> Option<Op> {
        Some(match name {
            "search" => Op::Search,
            "match" => Op::Match,
            "fullmatch" => Op::Fullmatch,
            "findall" => Op::Findall,
            "finditer" => Op::Finditer,
            "sub" => Op::Sub,
            "subn" => Op::Subn,
            "split" => Op::Split,
            _ => return None,
        })
    }
}

impl Interp {
    /// `re.search(pattern, string, flags=0)` and the other module functions.
    pub(in super::super::super) fn call_re(&mut self, op: Op, args: Args) -> Result<Value> {
        let (names, required): (&[&str], usize) = match op {
            Op::Sub | Op::Subn => (&["pattern", "repl", "string", "count", "flags"], 3),
            Op::Split => (&["pattern", "string", "maxsplit", "flags"], 2),
            _ => (&["pattern", "string", "flags"], 2),
        };
        let name = op_name(op);
        let mut v = params(name, args, names, required)?;
        let flags = flags_of(v.last().unwrap_or(&None))?;
        let p = pattern_arg(v[0].as_ref().unwrap_or(&Value::None), flags)?;
        match op {
            Op::Sub | Op::Subn => {
                let repl = v[1].take().unwrap_or(Value::None);
                let string = string_arg(v[2].as_ref().unwrap_or(&Value::None))?;
                let count = v[3].as_ref().map_or(Ok(0), |c| int_arg(c, "count"))?;
                self.re_sub(&p, repl, string, count, matches!(op, Op::Subn))
            }
            Op::Split => {
                let string = string_arg(v[1].as_ref().unwrap_or(&Value::None))?;
                let max = v[2].as_ref().map_or(Ok(0), |c| int_arg(c, "maxsplit"))?;
                split(&p, string, max)
            }
            _ => {
                let string = string_arg(v[1].as_ref().unwrap_or(&Value::None))?;
                scan(&p, op, string, 0, i64::MAX)
            }
        }
    }

    /// `pattern.search(string, pos, endpos)` and the other methods.
    pub(in super::super::super) fn pattern_method(
        &mut self,
        p: &Rc<Pattern>,
        name: &str,
        args: Args,
    ) -> Result<Value> {
        let Some(op) = Op::by_name(name) else {
            return Err(Error::new(
                "AttributeError",
                format!("'re.Pattern' object has no attribute '{name}'"),
            ));
        };
        match op {
            Op::Sub | Op::Subn => {
                let mut v = params(name, args, &["repl", "string", "count"], 2)?;
                let repl = v[0].take().unwrap_or(Value::None);
                let string = string_arg(v[1].as_ref().unwrap_or(&Value::None))?;
                let count = v[2].as_ref().map_or(Ok(0), |c| int_arg(c, "count"))?;
                self.re_sub(p, repl, string, count, matches!(op, Op::Subn))
            }
            Op::Split => {
                let v = params(name, args, &["string", "maxsplit"], 1)?;
                let string = string_arg(v[0].as_ref().unwrap_or(&Value::None))?;
                let max = v[1].as_ref().map_or(Ok(0), |c| int_arg(c, "maxsplit"))?;
                split(p, string, max)
            }
            _ => {
                let v = params(name, args, &["string", "pos", "endpos"], 1)?;
                let string = string_arg(v[0].as_ref().unwrap_or(&Value::None))?;
                let pos = v[1].as_ref().map_or(Ok(0), |c| int_arg(c, "pos"))?;
                let endpos = v[2]
                    .as_ref()
                    .map_or(Ok(i64::MAX), |c| int_arg(c, "endpos"))?;
                scan(p, op, string, pos, endpos)
            }
        }
    }

    /// `m.group(…)` and the other methods of a match.
    pub(in super::super::super) fn match_method(
        &mut self,
        m: &Rc<Match>,
        name: &str,
        mut args: Args,
    ) -> Result<Value> {
        let default = args.take_kw("default").unwrap_or(Value::None);
        args.no_kw(name)?;
        match name {
            "group" => {
                if args.pos.is_empty() {
                    return Ok(m.group_text(0, &Value::None));
                }
                let texts = args
                    .pos
                    .iter()
                    .map(|g| Ok(m.group_text(m.group_index(g)?, &Value::None)))
                    .collect::<Result<Vec<_>>>()?;
                Ok(if texts.len() == 1 {
                    texts.into_iter().next().unwrap_or(Value::None)
                } else {
                    Value::tuple(texts)
                })
            }
            "groups" => {
                let default = args.pos.first().cloned().unwrap_or(default);
                Ok(Value::tuple(
                    (1..=m.pattern.groups)
                        .map(|g| m.group_text(g, &default))
                        .collect(),
                ))
            }
            "groupdict" => {
                let default = args.pos.first().cloned().unwrap_or(default);
                let mut d = Dict::default();
                for (n, g) in &m.pattern.names {
                    d.insert(Value::str(n.as_str()), m.group_text(*g, &default))?;
                }
                Ok(Value::dict(d))
            }
            "start" | "end" | "span" => {
                args.count(name, 0, 1)?;
                let g = match args.pos.first() {
                    Some(g) => m.group_index(g)?,
                    None => 0,
                };
                let (a, b) = m.spans[g].map_or((-1, -1), |(a, b)| (a as i64, b as i64));
                Ok(match name {
                    "start" => Value::Int(a),
                    "end" => Value::Int(b),
                    _ => Value::tuple(vec![Value::Int(a), Value::Int(b)]),
                })
            }
            "expand" => {
                args.count("expand", 1, 1)?;
                let template = string_arg(&args.pos[0])?;
                let parts = template_parts(&m.pattern, &template)?;
                Ok(Value::str(expand(&parts, m)))
            }
            _ => Err(Error::new(
                "AttributeError",
                format!("'re.Match' object has no attribute '{name}'"),
            )),
        }
    }

    pub(super) fn re_sub(
        &mut self,
        p: &Rc<Pattern>,
        repl: Value,
        string: Rc<str>,
        count: i64,
        with_count: bool,
    ) -> Result<Value> {
        let template = match &repl {
            Value::Str(t) => Some(template_parts(p, t)?),
            Value::Bytes(_) => {
                string_arg(&repl)?;
                None
            }
            _ => None,
        };
        let mut matches = Matches::new(p.clone(), string.clone(), 0, i64::MAX);
        let mut out = String::with_capacity(string.len());
        let mut last = 0;
        let mut n = 0;
        // Python joins the pieces; its error names the piece's index.
        let mut pieces = 0;
        while count <= 0 || n < count {
            if crate::limits::interrupted() {
                return Err(Error::new("KeyboardInterrupt", crate::limits::CANCELLED));
            }
            let Some(spans) = matches.next_spans()? else {
                break;
            };
            let (a_byte, b_byte) = spans[0].unwrap_or((0, 0));
            let m = make_match(p, &string, &matches.positions, matches.window, spans);
            if a_byte > last {
                pieces += 1;
            }
            out.push_str(&string[last..a_byte]);
            match &template {
                Some(parts) => out.push_str(&expand(parts, &m)),
                None => match self.call(&repl, Args::positional(vec![Value::Match(Rc::new(m))]))? {
                    Value::Str(s) => out.push_str(&s),
                    other => {
                        return Err(Error::type_error(format!(
                            "sequence item {pieces}: expected str instance, {} found",
                            other.type_name()
                        )));
                    }
                },
            }
            pieces += 1;
            last = b_byte;
            n += 1;
        }
        out.push_str(&string[last..]);
        let text = Value::str(out);
        Ok(if with_count {
            Value::tuple(vec![text, Value::Int(n)])
        } else {
            text
        })
    }
}

pub(super) fn op_name(op: Op) -> &'static str {
    match op {
        Op::Search => "search",
        Op::Match => "match",
        Op::Fullmatch => "fullmatch",
        Op::Findall => "findall",
        Op::Finditer => "finditer",
        Op::Sub => "sub",
        Op::Subn => "subn",
        Op::Split => "split",
    }
}

/// `search`, `match`, `fullmatch`, `findall`, `finditer` between positions.
pub(super) fn scan(
    p: &Rc<Pattern>,
    op: Op,
    string: Rc<str>,
    pos: i64,
    endpos: i64,
) -> Result<Value> {
    match op {
        Op::Search => match_at(p, &string, pos, endpos, How::Search),
        Op::Match => match_at(p, &string, pos, endpos, How::Match),
        Op::Fullmatch => match_at(p, &string, pos, endpos, How::Full),
        Op::Findall => {
            let mut matches = Matches::new(p.clone(), string, pos, endpos);
            let mut out = Vec::new();
            while let Some(m) = matches.next_match()? {
                out.push(findall_item(&m));
            }
            Ok(Value::list(out))
        }
        _ => {
            let mut matches = Matches::new(p.clone(), string, pos, endpos);
            let rest = std::iter::from_fn(move || {
                matches
                    .next_match()
                    .transpose()
                    .map(|m| m.map(|m| Value::Match(Rc::new(m))))
            });
            Ok(Value::lazy_iterator("callable_iterator", Box::new(rest)))
        }
    }
}

/// What findall gives for one match: the text, the one group, or a tuple.
pub(super) fn findall_item(m: &Match) -> Value {
    let empty = Value::str("");
    match m.pattern.groups {
        0 => m.group_text(0, &empty),
        1 => m.group_text(1, &empty),
        n => Value::tuple((1..=n).map(|g| m.group_text(g, &empty)).collect()),
    }
}

pub(super) fn split(p: &Rc<Pattern>, string: Rc<str>, max: i64) -> Result<Value> {
    let mut matches = Matches::new(p.clone(), string.clone(), 0, i64::MAX);
    let mut out = Vec::new();
    let mut last = 0;
    let mut n = 0;
    while max <= 0 || n < max {
        let Some(spans) = matches.next_spans()? else {
            break;
        };
        let (a, b) = spans[0].unwrap_or((0, 0));
        out.push(Value::str(&string[last..a]));
        for span in &spans[1..] {
            out.push(match *span {
                Some((x, y)) => Value::str(&string[x..y]),
                None => Value::None,
            });
        }
        last = b;
        n += 1;
    }
    out.push(Value::str(&string[last..]));
    Ok(Value::list(out))
}
