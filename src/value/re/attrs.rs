//! Attributes of patterns and matches: `p.groups`, `m.string`, `m[g]`.

use super::*;

pub fn pattern_attr(p: &Rc<Pattern>, name: &str) -> Option<Value> {
    Some(match name {
        "pattern" => Value::str(&*p.source),
        "flags" => Value::Int(p.flags),
        "groups" => Value::Int(p.groups as i64),
        "groupindex" => {
            let mut d = Dict::default();
            for (n, g) in &p.names {
                d.insert(Value::str(n.as_str()), Value::Int(*g as i64))
                    .ok()?;
            }
            // CPython's view of the names, or a new dict when there are none.
            if !p.names.is_empty() {
                d.kind = crate::value::DictKind::MappingProxy;
            }
            Value::dict(d)
        }
        _ => return None,
    })
}

pub fn match_attr(m: &Rc<Match>, name: &str) -> Option<Value> {
    Some(match name {
        "string" => Value::Str(m.string.clone()),
        "re" => Value::Pattern(m.pattern.clone()),
        "pos" => Value::Int(m.pos as i64),
        "endpos" => Value::Int(m.endpos as i64),
        "lastindex" => m.last_index().map_or(Value::None, |g| Value::Int(g as i64)),
        "lastgroup" => m
            .last_index()
            .and_then(|g| m.pattern.names.iter().find(|(_, i)| *i == g))
            .map_or(Value::None, |(n, _)| Value::str(n.as_str())),
        "regs" => Value::tuple(
            m.spans
                .iter()
                .map(|s| {
                    let (a, b) = s.map_or((-1, -1), |(a, b)| (a as i64, b as i64));
                    Value::tuple(vec![Value::Int(a), Value::Int(b)])
                })
                .collect(),
        ),
        _ => return None,
    })
}

/// `m[g]`.
pub fn match_item(m: &Match, g: &Value) -> Result<Value> {
    Ok(m.group_text(m.group_index(g)?, &Value::None))
}
