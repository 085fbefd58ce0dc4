//! Atoms: names, displays (tuples, lists, dicts, sets, comprehensions), `yield` and numbers.

use super::*;

pub(in crate::syntax::parser) fn build_atom(p: P) -> Result<Expr> {
    let sp = span(&p);
    let inner = first(&p);
    let kind = match inner.as_rule() {
        Rule::identifier => ExprKind::Name(inner.as_str().to_string()),
        Rule::kw_none => ExprKind::None,
        Rule::kw_true => ExprKind::Bool(true),
        Rule::kw_false => ExprKind::Bool(false),
        Rule::ellipsis => ExprKind::Ellipsis,
        Rule::number => return build_number(first(&inner)),
        Rule::strings => return crate::syntax::strings::build_strings(inner),
        Rule::paren_expr | Rule::list_expr => return build_sequence(inner),
        Rule::brace_expr => return build_braces(inner),
        r => unreachable!("atom {r:?}"),
    };
    Ok(Expr::new(kind, sp))
}

/// `yield`, `yield a, b`, `yield from it`.
pub(super) fn build_yield(p: P) -> Result<Expr> {
    let sp = span(&p);
    let kind = match children(&p).get(1) {
        None => ExprKind::Yield(None),
        Some(v) if v.as_rule() == Rule::yield_from => {
            ExprKind::YieldFrom(Box::new(build_test(children(v)[1].clone())?))
        }
        Some(v) => ExprKind::Yield(Some(Box::new(build_tuple_rule(v.clone())?))),
    };
    Ok(Expr::new(kind, sp))
}

pub(in crate::syntax::parser) fn build_sequence(p: P) -> Result<Expr> {
    let sp = span(&p);
    let is_list = p.as_rule() == Rule::list_expr;
    let Some(body) = p.into_inner().next() else {
        return Ok(Expr::new(
            if is_list {
                ExprKind::List(vec![])
            } else {
                ExprKind::Tuple(vec![])
            },
            sp,
        ));
    };
    if body.as_rule() == Rule::yield_expr {
        let mut e = build_yield(body)?;
        e.span = sp;
        return Ok(e);
    }
    let cs = children(&body);
    let comps: Vec<P> = cs
        .iter()
        .filter(|c| c.as_rule() == Rule::comp_for)
        .cloned()
        .collect();
    let has_comma = cs.iter().any(|c| c.as_rule() == Rule::comma);
    let items: Vec<Expr> = cs
        .into_iter()
        .filter(|c| !matches!(c.as_rule(), Rule::comp_for | Rule::comma))
        .map(build_expr)
        .collect::<Result<_>>()?;
    if !comps.is_empty() {
        let elt = Box::new(
            items
                .into_iter()
                .next()
                .expect("a comprehension has an element"),
        );
        let generators = build_comprehensions(&comps)?;
        let kind = if is_list {
            ExprKind::ListComp { elt, generators }
        } else {
            ExprKind::GeneratorExp { elt, generators }
        };
        return Ok(Expr::new(kind, sp));
    }
    if is_list {
        return Ok(Expr::new(ExprKind::List(items), sp));
    }
    if items.len() == 1 && !has_comma {
        let mut inner = items.into_iter().next().expect("one item");
        if matches!(inner.kind, ExprKind::Starred(_)) {
            return Err(Error::syntax(
                "cannot use starred expression here",
                inner.span,
            ));
        }
        inner.span = sp;
        return Ok(inner);
    }
    Ok(Expr::new(ExprKind::Tuple(items), sp))
}

pub(in crate::syntax::parser) fn build_braces(p: P) -> Result<Expr> {
    let sp = span(&p);
    let Some(body) = p.into_inner().next() else {
        return Ok(Expr::new(ExprKind::Dict(vec![]), sp));
    };
    let cs = children(&body);
    let comps: Vec<P> = cs
        .iter()
        .filter(|c| c.as_rule() == Rule::comp_for)
        .cloned()
        .collect();
    let items: Vec<P> = cs
        .iter()
        .filter(|c| c.as_rule() == Rule::brace_item)
        .cloned()
        .collect();
    let is_dict = {
        let c = children(&items[0]);
        c.len() == 2 || c[0].as_rule() == Rule::dict_spread
    };
    if !comps.is_empty() {
        let generators = build_comprehensions(&comps)?;
        let parts = children(&items[0]);
        let kind = if is_dict {
            if parts.len() != 2 {
                return Err(Error::syntax(
                    "dict unpacking cannot be used in dict comprehension",
                    span(&items[0]),
                ));
            }
            ExprKind::DictComp {
                key: Box::new(build_test(parts[0].clone())?),
                value: Box::new(build_test(parts[1].clone())?),
                generators,
            }
        } else {
            ExprKind::SetComp {
                elt: Box::new(build_expr(parts[0].clone())?),
                generators,
            }
        };
        return Ok(Expr::new(kind, sp));
    }
    if is_dict {
        let mut entries = Vec::new();
        for item in items {
            let parts = children(&item);
            match (parts.len(), parts[0].as_rule()) {
                (2, _) => entries.push((
                    Some(build_test(parts[0].clone())?),
                    build_test(parts[1].clone())?,
                )),
                (_, Rule::dict_spread) => entries.push((None, build_expr(first(&parts[0]))?)),
                _ => {
                    return Err(Error::syntax(
                        "':' expected after dictionary key",
                        span(&item),
                    ));
                }
            }
        }
        return Ok(Expr::new(ExprKind::Dict(entries), sp));
    }
    let mut elems = Vec::new();
    for item in items {
        let parts = children(&item);
        if parts.len() == 2 || parts[0].as_rule() == Rule::dict_spread {
            return Err(Error::syntax("invalid syntax", span(&item)));
        }
        elems.push(build_expr(parts[0].clone())?);
    }
    Ok(Expr::new(ExprKind::Set(elems), sp))
}

pub(in crate::syntax::parser) fn build_number(p: P) -> Result<Expr> {
    let sp = span(&p);
    let text: String = p.as_str().chars().filter(|c| *c != '_').collect();
    let kind = match p.as_rule() {
        Rule::imaginary => {
            return Err(Error::syntax(
                "complex numbers are not supported in ormsh",
                sp,
            ));
        }
        Rule::float => ExprKind::Float(
            text.parse()
                .map_err(|_| Error::syntax("invalid float literal", sp))?,
        ),
        _ => {
            let lower = text.to_ascii_lowercase();
            let (digits, radix) = match lower.get(..2) {
                Some("0x") => (&lower[2..], 16),
                Some("0o") => (&lower[2..], 8),
                Some("0b") => (&lower[2..], 2),
                _ => (lower.as_str(), 10),
            };
            if radix == 10
                && digits.len() > 1
                && digits.starts_with('0')
                && digits.bytes().any(|b| b != b'0')
            {
                return Err(Error::syntax(
                    "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers",
                    sp,
                ));
            }
            match i64::from_str_radix(digits, radix) {
                Ok(value) => ExprKind::Int(value),
                Err(_) => big_literal(digits, radix, sp)?,
            }
        }
    };
    Ok(Expr::new(kind, sp))
}

/// An integer literal past 64 bits; decimal ones past 4300 digits are
/// Python's SyntaxError-time ValueError.
pub(super) fn big_literal(digits: &str, radix: u32, sp: Span) -> Result<ExprKind> {
    if radix == 10 && digits.len() > 4300 {
        return Err(Error::value_error(format!(
            "Exceeds the limit (4300 digits) for integer string conversion: value has {} digits; use sys.set_int_max_str_digits() to increase the limit",
            digits.len()
        ))
        .at(sp));
    }
    num_bigint::BigInt::parse_bytes(digits.as_bytes(), radix)
        .map(|b| ExprKind::BigInt(std::rc::Rc::new(b)))
        .ok_or_else(|| Error::syntax("invalid integer literal", sp))
}

pub(in crate::syntax) fn build_fstring_field(p: P, source: &str) -> Result<FStringPart> {
    let mut value = None;
    let mut debug_text = None;
    let mut conversion = None;
    let mut spec = Vec::new();
    let open = p.as_span().start();
    for c in p.into_inner() {
        match c.as_rule() {
            Rule::fs_expr => value = Some(build_tuple_rule(first(&c))?),
            Rule::fs_debug => debug_text = Some(source[open + 1..c.as_span().end()].to_string()),
            Rule::fs_conversion => conversion = c.as_str().chars().nth(1),
            Rule::fs_spec => spec = crate::syntax::strings::build_fstring_parts(c, source, false)?,
            _ => {}
        }
    }
    Ok(FStringPart::Field {
        value: Box::new(value.expect("a field has an expression")),
        debug_text,
        conversion,
        spec,
    })
}
