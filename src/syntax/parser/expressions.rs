//! Expression rules to AST nodes: operators by precedence (a Pratt parser
//! for the binary ones), calls and arguments, subscripts, displays and
//! comprehensions, numbers. Statements are in the parent module.

use super::*;

mod atoms;
pub(in crate::syntax) use atoms::*;

/// `testlist`, `testlist_star` and `target_list`: one item, or a tuple when
/// there are several or a trailing comma.
pub(super) fn build_tuple_rule(p: P) -> Result<Expr> {
    let sp = span(&p);
    if p.as_rule() == Rule::yield_expr {
        return build_yield(p);
    }
    let cs = children(&p);
    let has_comma = cs.iter().any(|c| c.as_rule() == Rule::comma);
    let items: Vec<Expr> = cs
        .into_iter()
        .filter(|c| c.as_rule() != Rule::comma)
        .map(build_expr)
        .collect::<Result<_>>()?;
    if items.len() == 1 && !has_comma {
        Ok(items.into_iter().next().expect("one item"))
    } else {
        Ok(Expr::new(ExprKind::Tuple(items), sp))
    }
}

pub(super) fn build_target_list(p: P) -> Result<Expr> {
    let e = build_tuple_rule(p)?;
    check_target(&e)?;
    Ok(e)
}

pub(super) fn build_target(p: P) -> Result<Expr> {
    let e = build_expr(p)?;
    check_target(&e)?;
    Ok(e)
}

/// Any expression-level rule.
pub(super) fn build_expr(p: P) -> Result<Expr> {
    match p.as_rule() {
        Rule::test | Rule::test_nocond | Rule::walrus => build_test(p),
        Rule::star_expr => Ok(Expr::new(
            ExprKind::Starred(Box::new(build_expr(first(&p))?)),
            span(&p),
        )),
        Rule::target => build_expr(first(&p)),
        Rule::or_test | Rule::and_test => build_boolop(p),
        Rule::not_test => build_not(p),
        Rule::comparison => build_comparison(p),
        Rule::bitor_expr => build_arith(p),
        Rule::testlist | Rule::testlist_star | Rule::target_list => build_tuple_rule(p),
        Rule::lambdef => build_lambda(p),
        r => unreachable!("expression rule {r:?}"),
    }
}

pub(super) fn build_test(p: P) -> Result<Expr> {
    let sp = span(&p);
    if p.as_rule() == Rule::walrus {
        let cs = children(&p);
        return Ok(Expr::new(
            ExprKind::NamedExpr {
                target: ident(&cs[0]),
                value: Box::new(build_test(cs[1].clone())?),
            },
            sp,
        ));
    }
    let cs: Vec<P> = children(&p)
        .into_iter()
        .filter(|c| !matches!(c.as_rule(), Rule::kw_if | Rule::kw_else))
        .collect();
    match cs.len() {
        1 => build_expr(cs[0].clone()),
        3 => Ok(Expr::new(
            ExprKind::IfExp {
                body: Box::new(build_expr(cs[0].clone())?),
                test: Box::new(build_expr(cs[1].clone())?),
                orelse: Box::new(build_expr(cs[2].clone())?),
            },
            sp,
        )),
        n => unreachable!("test with {n} parts"),
    }
}

pub(super) fn build_lambda(p: P) -> Result<Expr> {
    let sp = span(&p);
    let params = match find(&p, Rule::lambda_params) {
        Some(ps) => build_params(ps)?,
        None => Vec::new(),
    };
    let body = build_test(find(&p, Rule::test).expect("lambda has a body"))?;
    Ok(Expr::new(
        ExprKind::Lambda {
            params,
            body: Box::new(body),
        },
        sp,
    ))
}

pub(super) fn build_boolop(p: P) -> Result<Expr> {
    let sp = span(&p);
    let op = if p.as_rule() == Rule::or_test {
        BoolOp::Or
    } else {
        BoolOp::And
    };
    let values: Vec<Expr> = p
        .into_inner()
        .filter(|c| !matches!(c.as_rule(), Rule::kw_or | Rule::kw_and))
        .map(build_expr)
        .collect::<Result<_>>()?;
    if values.len() == 1 {
        return Ok(values.into_iter().next().expect("one value"));
    }
    Ok(Expr::new(ExprKind::BoolOp { op, values }, sp))
}

pub(super) fn build_not(p: P) -> Result<Expr> {
    let sp = span(&p);
    let cs = children(&p);
    if cs[0].as_rule() == Rule::kw_not {
        let operand = build_expr(cs[1].clone())?;
        return Ok(Expr::new(
            ExprKind::Unary {
                op: UnaryOp::Not,
                operand: Box::new(operand),
            },
            sp,
        ));
    }
    build_expr(cs[0].clone())
}

pub(super) fn build_comparison(p: P) -> Result<Expr> {
    let sp = span(&p);
    let mut cs = p.into_inner();
    let left = build_expr(cs.next().expect("comparison has a left side"))?;
    let mut ops = Vec::new();
    while let Some(op) = cs.next() {
        let words: Vec<&str> = op.as_str().split_whitespace().collect();
        let op = match words.as_slice() {
            ["=="] => CmpOp::Eq,
            ["!="] => CmpOp::NotEq,
            ["<"] => CmpOp::Lt,
            ["<="] => CmpOp::LtE,
            [">"] => CmpOp::Gt,
            [">="] => CmpOp::GtE,
            ["in"] => CmpOp::In,
            ["is"] => CmpOp::Is,
            ["is", "not"] => CmpOp::IsNot,
            _ => CmpOp::NotIn,
        };
        ops.push((
            op,
            build_expr(cs.next().expect("an operator has a right side"))?,
        ));
    }
    if ops.is_empty() {
        return Ok(left);
    }
    Ok(Expr::new(
        ExprKind::Compare {
            left: Box::new(left),
            ops,
        },
        sp,
    ))
}

static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    PrattParser::new()
        .op(Op::infix(Rule::bitor, Assoc::Left))
        .op(Op::infix(Rule::bitxor, Assoc::Left))
        .op(Op::infix(Rule::bitand, Assoc::Left))
        .op(Op::infix(Rule::lshift, Assoc::Left) | Op::infix(Rule::rshift, Assoc::Left))
        .op(Op::infix(Rule::add, Assoc::Left) | Op::infix(Rule::sub, Assoc::Left))
        .op(Op::infix(Rule::mul, Assoc::Left)
            | Op::infix(Rule::div, Assoc::Left)
            | Op::infix(Rule::floordiv, Assoc::Left)
            | Op::infix(Rule::modulo, Assoc::Left)
            | Op::infix(Rule::matmul, Assoc::Left))
        .op(Op::prefix(Rule::neg) | Op::prefix(Rule::pos) | Op::prefix(Rule::invert))
});

pub(super) fn build_arith(p: P) -> Result<Expr> {
    // Operators chain into a tree as deep as they are many: refuse a chain
    // too long for Python's compiler before building it.
    if p.clone().into_inner().count() / 2 > crate::limits::COMPILE_DEPTH_LIMIT {
        return Err(crate::limits::compile_depth_error().at(span(&p)));
    }
    PRATT
        .map_primary(build_power)
        .map_prefix(|op, operand| {
            let operand = operand?;
            let sp = span(&op).to(operand.span);
            Ok(Expr::new(
                ExprKind::Unary {
                    op: unary_op(&op),
                    operand: Box::new(operand),
                },
                sp,
            ))
        })
        .map_infix(|left, op, right| {
            let (left, right) = (left?, right?);
            let sp = left.span.to(right.span);
            let op = match op.as_rule() {
                Rule::bitor => BinOp::BitOr,
                Rule::bitxor => BinOp::BitXor,
                Rule::bitand => BinOp::BitAnd,
                Rule::lshift => BinOp::LShift,
                Rule::rshift => BinOp::RShift,
                Rule::add => BinOp::Add,
                Rule::sub => BinOp::Sub,
                Rule::mul => BinOp::Mul,
                Rule::div => BinOp::Div,
                Rule::floordiv => BinOp::FloorDiv,
                Rule::modulo => BinOp::Mod,
                _ => BinOp::MatMul,
            };
            Ok(Expr::new(
                ExprKind::Binary {
                    op,
                    left: Box::new(left),
                    right: Box::new(right),
                },
                sp,
            ))
        })
        .parse(p.into_inner())
}

fn unary_op(p: &P) -> UnaryOp {
    match p.as_rule() {
        Rule::neg => UnaryOp::Neg,
        Rule::pos => UnaryOp::Pos,
        _ => UnaryOp::Invert,
    }
}

/// `power` (`primary ** factor`) and `factor` (unary operators on a power).
pub(super) fn build_power(p: P) -> Result<Expr> {
    let sp = span(&p);
    let cs = children(&p);
    if p.as_rule() == Rule::factor {
        let (operand, ops) = cs.split_last().expect("factor has an operand");
        let mut e = build_power(operand.clone())?;
        for op in ops.iter().rev() {
            e = Expr::new(
                ExprKind::Unary {
                    op: unary_op(op),
                    operand: Box::new(e),
                },
                span(op).to(sp),
            );
        }
        return Ok(e);
    }
    let base = build_primary(cs[0].clone())?;
    match cs.get(1) {
        Some(exp) => Ok(Expr::new(
            ExprKind::Binary {
                op: BinOp::Pow,
                left: Box::new(base),
                right: Box::new(build_power(exp.clone())?),
            },
            sp,
        )),
        None => Ok(base),
    }
}

pub(super) fn build_primary(p: P) -> Result<Expr> {
    let mut cs = p.into_inner();
    let mut e = build_atom(cs.next().expect("primary has an atom"))?;
    for trailer in cs {
        let sp = e.span.to(span(&trailer));
        let kind = match trailer.as_rule() {
            Rule::attribute => ExprKind::Attribute {
                value: Box::new(e),
                attr: ident(&first(&trailer)),
            },
            Rule::call => {
                let args = match trailer.clone().into_inner().next() {
                    Some(list) => build_arglist(list)?,
                    None => Vec::new(),
                };
                ExprKind::Call {
                    func: Box::new(e),
                    args,
                }
            }
            _ => ExprKind::Subscript {
                value: Box::new(e),
                index: Box::new(build_subscript(first(&trailer))?),
            },
        };
        e = Expr::new(kind, sp);
    }
    Ok(e)
}

pub(super) fn build_subscript(list: P) -> Result<Expr> {
    let sp = span(&list);
    let mut items: Vec<Expr> = list
        .into_inner()
        .map(build_subscript_item)
        .collect::<Result<_>>()?;
    if items.len() == 1 && !sp_has_trailing_comma(&items, sp) {
        return Ok(items.remove(0));
    }
    Ok(Expr::new(ExprKind::Tuple(items), sp))
}

fn sp_has_trailing_comma(items: &[Expr], sp: Span) -> bool {
    items.last().is_some_and(|last| last.span.end < sp.end)
}

pub(super) fn build_subscript_item(p: P) -> Result<Expr> {
    let sp = span(&p);
    let mut lower = None;
    let mut tail = None;
    for c in p.into_inner() {
        match c.as_rule() {
            Rule::slice_lower => lower = Some(build_test(first(&c))?),
            _ => tail = Some(c),
        }
    }
    let Some(tail) = tail else {
        return Ok(lower.expect("a subscript item has an index or a slice"));
    };
    let (mut upper, mut step) = (None, None);
    for c in tail.into_inner() {
        let e = Some(Box::new(build_test(first(&c))?));
        if c.as_rule() == Rule::slice_upper {
            upper = e;
        } else {
            step = e;
        }
    }
    Ok(Expr::new(
        ExprKind::Slice {
            lower: lower.map(Box::new),
            upper,
            step,
        },
        sp,
    ))
}

pub(super) fn build_arglist(p: P) -> Result<Vec<Arg>> {
    let mut args = Vec::new();
    let count = p.clone().into_inner().count();
    let (mut seen_keyword, mut seen_dstar) = (false, false);
    for a in p.into_inner() {
        let sp = span(&a);
        let cs = children(&a);
        let kind = match cs[0].as_rule() {
            Rule::kwarg => {
                seen_keyword = true;
                let kw = children(&cs[0]);
                ArgKind::Keyword(ident(&kw[0]), build_test(kw[1].clone())?)
            }
            Rule::dstar_arg => {
                seen_dstar = true;
                ArgKind::DoubleStar(build_test(first(&cs[0]))?)
            }
            Rule::star_arg => ArgKind::Star(build_test(first(&cs[0]))?),
            _ => {
                if seen_dstar || seen_keyword {
                    let what = if seen_dstar {
                        "keyword argument unpacking"
                    } else {
                        "keyword argument"
                    };
                    return Err(Error::syntax(
                        format!("positional argument follows {what}"),
                        sp,
                    ));
                }
                let value = build_test(cs[0].clone())?;
                if cs.len() > 1 {
                    if count > 1 {
                        return Err(Error::syntax(
                            "Generator expression must be parenthesized",
                            sp,
                        ));
                    }
                    let generators = build_comprehensions(&cs[1..])?;
                    ArgKind::Positional(Expr::new(
                        ExprKind::GeneratorExp {
                            elt: Box::new(value),
                            generators,
                        },
                        sp,
                    ))
                } else {
                    ArgKind::Positional(value)
                }
            }
        };
        args.push(Arg { kind, span: sp });
    }
    Ok(args)
}

pub(super) fn build_comprehensions(ps: &[P]) -> Result<Vec<Comprehension>> {
    ps.iter()
        .map(|c| {
            let parts = children(c);
            let ifs = parts[4..]
                .iter()
                .map(|i| build_test(children(i)[1].clone()))
                .collect::<Result<_>>()?;
            Ok(Comprehension {
                target: build_target_list(parts[1].clone())?,
                iter: build_expr(parts[3].clone())?,
                ifs,
            })
        })
        .collect()
}
