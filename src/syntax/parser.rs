//! pest pairs to the typed AST: one `build_<rule>` function per rule family.
//!
//! This is the only module that sees pest's `Pair`s. Checks that Python's
//! parser makes after the grammar (assignment targets, argument order, number
//! sizes) live here too, with Python's messages.

use super::Span;
use super::ast::*;
use crate::error::{Error, Result};
use pest::iterators::{Pair, Pairs};
use pest::pratt_parser::{Assoc, Op, PrattParser};
use std::sync::LazyLock;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/shell.pest"]
pub(super) struct ShellParser;

type P<'i> = Pair<'i, Rule>;

fn span(p: &P) -> Span {
    let s = p.as_span();
    Span::new(s.start(), s.end())
}

fn children<'i>(p: &P<'i>) -> Vec<P<'i>> {
    p.clone().into_inner().collect()
}

fn first<'i>(p: &P<'i>) -> P<'i> {
    p.clone()
        .into_inner()
        .next()
        .expect("grammar guarantees a child")
}

fn find<'i>(p: &P<'i>, rule: Rule) -> Option<P<'i>> {
    p.clone().into_inner().find(|c| c.as_rule() == rule)
}

fn ident(p: &P) -> Ident {
    Ident {
        name: p.as_str().to_string(),
        span: span(p),
    }
}

// ------------------------------------------------------------------ statements

pub(super) fn build_statements(pairs: Pairs<Rule>) -> Result<Vec<Stmt>> {
    let mut out = Vec::new();
    for p in pairs {
        match p.as_rule() {
            Rule::statement => out.extend(build_statement(p)?),
            Rule::unparsed => out.push(Stmt {
                kind: StmtKind::Unparsed(p.as_str().trim_end().to_string()),
                span: span(&p),
            }),
            Rule::single_input | Rule::file_input => out.extend(build_statements(p.into_inner())?),
            _ => {}
        }
    }
    Ok(out)
}

fn build_statement(p: P) -> Result<Vec<Stmt>> {
    let inner = first(&p);
    match inner.as_rule() {
        Rule::simple_line => first(&inner).into_inner().map(build_small_stmt).collect(),
        Rule::compound_stmt => Ok(vec![build_compound(first(&inner))?]),
        r => unreachable!("statement child {r:?}"),
    }
}

fn build_suite(p: P) -> Result<Vec<Stmt>> {
    let mut out = Vec::new();
    for c in p.into_inner() {
        match c.as_rule() {
            Rule::simple_line => {
                for s in first(&c).into_inner() {
                    out.push(build_small_stmt(s)?);
                }
            }
            Rule::block | Rule::lenient_block => out.extend(build_statements(c.into_inner())?),
            _ => {}
        }
    }
    Ok(out)
}

fn build_compound(p: P) -> Result<Stmt> {
    let sp = span(&p);
    let kind = match p.as_rule() {
        Rule::if_stmt => return build_if(children(&p), sp),
        Rule::for_stmt => {
            let cs = children(&p);
            let head = children(&cs[0]);
            StmtKind::For {
                target: build_target_list(head[1].clone())?,
                iter: build_tuple_rule(head[3].clone())?,
                body: build_suite(cs[1].clone())?,
                orelse: else_body(cs.get(2))?,
            }
        }
        Rule::while_stmt => {
            let cs = children(&p);
            StmtKind::While {
                test: build_test(children(&cs[0])[1].clone())?,
                body: build_suite(cs[1].clone())?,
                orelse: else_body(cs.get(2))?,
            }
        }
        Rule::try_stmt => build_try(children(&p))?,
        Rule::with_stmt => {
            let cs = children(&p);
            let mut items = Vec::new();
            for item in cs[0]
                .clone()
                .into_inner()
                .filter(|c| c.as_rule() == Rule::with_item)
            {
                let parts = children(&item);
                let target = match parts.get(2) {
                    Some(t) => Some(build_target(t.clone())?),
                    None => None,
                };
                items.push((build_test(parts[0].clone())?, target));
            }
            StmtKind::With {
                items,
                body: build_suite(cs[1].clone())?,
            }
        }
        Rule::decorated => {
            let cs = children(&p);
            let (defn, decorators) = cs.split_last().expect("decorated has a definition");
            let decorators = decorators
                .iter()
                .map(|d| build_test(first(d)))
                .collect::<Result<Vec<_>>>()?;
            let mut stmt = build_compound(defn.clone())?;
            match &mut stmt.kind {
                StmtKind::FunctionDef(f) => f.decorators = decorators,
                StmtKind::ClassDef(c) => c.decorators = decorators,
                _ => {}
            }
            stmt.span = sp;
            return Ok(stmt);
        }
        Rule::def_stmt => {
            let cs = children(&p);
            let head = children(&cs[0]);
            let params = match find(&cs[0], Rule::parameters) {
                Some(ps) => build_params(ps)?,
                None => Vec::new(),
            };
            StmtKind::FunctionDef(FunctionDef {
                name: ident(&head[1]),
                params,
                body: build_suite(cs[1].clone())?,
                decorators: Vec::new(),
            })
        }
        Rule::class_stmt => {
            let cs = children(&p);
            let head = children(&cs[0]);
            let bases = match find(&cs[0], Rule::arglist) {
                Some(a) => build_arglist(a)?,
                None => Vec::new(),
            };
            StmtKind::ClassDef(ClassDef {
                name: ident(&head[1]),
                bases,
                body: build_suite(cs[1].clone())?,
                decorators: Vec::new(),
            })
        }
        r => unreachable!("compound {r:?}"),
    };
    Ok(Stmt { kind, span: sp })
}

fn else_body(p: Option<&P>) -> Result<Vec<Stmt>> {
    match p {
        Some(clause) => build_suite(children(clause)[1].clone()),
        None => Ok(Vec::new()),
    }
}

fn build_if(cs: Vec<P>, sp: Span) -> Result<Stmt> {
    // cs: head, suite, then elif_clause* and else_clause?; elifs nest into orelse.
    let test = build_test(children(&cs[0])[1].clone())?;
    let body = build_suite(cs[1].clone())?;
    let mut orelse = Vec::new();
    for clause in cs[2..].iter().rev() {
        match clause.as_rule() {
            Rule::else_clause => orelse = else_body(Some(clause))?,
            Rule::elif_clause => {
                let parts = children(clause);
                let elif_span = span(clause);
                let nested = Stmt {
                    kind: StmtKind::If {
                        test: build_test(children(&parts[0])[1].clone())?,
                        body: build_suite(parts[1].clone())?,
                        orelse: std::mem::take(&mut orelse),
                    },
                    span: elif_span,
                };
                orelse = vec![nested];
            }
            _ => {}
        }
    }
    Ok(Stmt {
        kind: StmtKind::If { test, body, orelse },
        span: sp,
    })
}

fn build_try(cs: Vec<P>) -> Result<StmtKind> {
    let body = build_suite(cs[1].clone())?;
    let (mut handlers, mut orelse, mut finalbody) = (Vec::new(), Vec::new(), Vec::new());
    for clause in &cs[2..] {
        let parts = children(clause);
        match clause.as_rule() {
            Rule::except_clause => {
                let head = children(&parts[0]);
                let kind = match head.iter().find(|c| c.as_rule() == Rule::test) {
                    Some(t) => Some(build_test(t.clone())?),
                    None => None,
                };
                let name = head
                    .iter()
                    .find(|c| c.as_rule() == Rule::identifier)
                    .map(ident);
                handlers.push(ExceptHandler {
                    kind,
                    name,
                    body: build_suite(parts[1].clone())?,
                    span: span(clause),
                });
            }
            Rule::else_clause => orelse = build_suite(parts[1].clone())?,
            Rule::finally_clause => finalbody = build_suite(parts[1].clone())?,
            _ => {}
        }
    }
    Ok(StmtKind::Try {
        body,
        handlers,
        orelse,
        finalbody,
    })
}

fn build_params(p: P) -> Result<Vec<Param>> {
    let mut out = Vec::new();
    for param in p.into_inner() {
        let inner = if matches!(param.as_rule(), Rule::parameter | Rule::lambda_param) {
            first(&param)
        } else {
            param
        };
        let sp = span(&inner);
        let name = find(&inner, Rule::identifier)
            .map(|i| ident(&i))
            .unwrap_or(Ident {
                name: String::new(),
                span: sp,
            });
        let default = match find(&inner, Rule::param_default) {
            Some(d) => Some(build_test(first(&d))?),
            None => None,
        };
        let kind = match inner.as_rule() {
            Rule::star_param | Rule::lambda_star if name.name.is_empty() => ParamKind::Marker,
            Rule::star_param | Rule::lambda_star => ParamKind::VarArgs,
            Rule::dstar_param | Rule::lambda_dstar => ParamKind::VarKeywords,
            Rule::slash_param => ParamKind::Marker,
            _ => ParamKind::Normal,
        };
        out.push(Param {
            name,
            kind,
            default,
        });
    }
    Ok(out)
}

fn build_small_stmt(p: P) -> Result<Stmt> {
    let sp = span(&p);
    let inner = first(&p);
    let cs = children(&inner);
    let kind = match inner.as_rule() {
        Rule::pass_stmt => StmtKind::Pass,
        Rule::break_stmt => StmtKind::Break,
        Rule::continue_stmt => StmtKind::Continue,
        Rule::return_stmt => {
            StmtKind::Return(cs.get(1).map(|c| build_tuple_rule(c.clone())).transpose()?)
        }
        Rule::raise_stmt => StmtKind::Raise(cs.get(1).map(|c| build_test(c.clone())).transpose()?),
        Rule::global_stmt => StmtKind::Global(
            cs.iter()
                .filter(|c| c.as_rule() == Rule::identifier)
                .map(ident)
                .collect(),
        ),
        Rule::del_stmt => {
            let targets = match build_target_list(cs[1].clone())? {
                Expr {
                    kind: ExprKind::Tuple(items),
                    ..
                } if cs[1].as_str().contains(',') => items,
                one => vec![one],
            };
            StmtKind::Delete(targets)
        }
        Rule::assert_stmt => StmtKind::Assert {
            test: build_test(cs[1].clone())?,
            msg: cs.get(2).map(|c| build_test(c.clone())).transpose()?,
        },
        Rule::import_stmt => StmtKind::Import(cs[1..].iter().map(build_dotted_alias).collect()),
        Rule::import_from => build_import_from(&cs),
        Rule::expr_or_assign => build_expr_or_assign(cs)?,
        r => unreachable!("small statement {r:?}"),
    };
    Ok(Stmt { kind, span: sp })
}

fn build_dotted_alias(p: &P) -> Alias {
    let cs = children(p);
    let dotted = &cs[0];
    let name: String = dotted
        .as_str()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    Alias {
        name: Ident {
            name,
            span: span(dotted),
        },
        asname: cs.get(2).map(ident),
    }
}

fn build_import_from(cs: &[P]) -> StmtKind {
    let module: String = cs[1]
        .as_str()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let mut names = Vec::new();
    for c in &cs[2..] {
        match c.as_rule() {
            Rule::star_import => names.push(Alias {
                name: Ident {
                    name: "*".into(),
                    span: span(c),
                },
                asname: None,
            }),
            Rule::import_names => {
                for n in c.clone().into_inner() {
                    let parts = children(&n);
                    names.push(Alias {
                        name: ident(&parts[0]),
                        asname: parts.get(2).map(ident),
                    });
                }
            }
            _ => {}
        }
    }
    StmtKind::ImportFrom { module, names }
}

fn build_expr_or_assign(cs: Vec<P>) -> Result<StmtKind> {
    let first_expr = build_tuple_rule(cs[0].clone())?;
    let Some(rest) = cs.get(1) else {
        return Ok(StmtKind::Expr(first_expr));
    };
    match rest.as_rule() {
        Rule::aug_assign => {
            let parts = children(rest);
            check_aug_target(&first_expr)?;
            let op = match parts[0].as_str() {
                "+=" => BinOp::Add,
                "-=" => BinOp::Sub,
                "*=" => BinOp::Mul,
                "/=" => BinOp::Div,
                "//=" => BinOp::FloorDiv,
                "%=" => BinOp::Mod,
                "**=" => BinOp::Pow,
                "@=" => BinOp::MatMul,
                "&=" => BinOp::BitAnd,
                "|=" => BinOp::BitOr,
                "^=" => BinOp::BitXor,
                "<<=" => BinOp::LShift,
                _ => BinOp::RShift,
            };
            Ok(StmtKind::AugAssign {
                target: first_expr,
                op,
                value: build_tuple_rule(parts[1].clone())?,
            })
        }
        Rule::annotation => {
            let parts = children(rest);
            check_target(&first_expr)?;
            let value = match parts.get(1) {
                Some(v) => Some(build_tuple_rule(first(v))?),
                None => None,
            };
            Ok(StmtKind::AnnAssign {
                target: first_expr,
                annotation: build_test(parts[0].clone())?,
                value,
            })
        }
        _ => {
            let mut exprs = vec![first_expr];
            for v in &cs[1..] {
                exprs.push(build_tuple_rule(first(v))?);
            }
            let value = exprs.pop().expect("an assignment has a value");
            for t in &exprs {
                check_target(t)?;
            }
            Ok(StmtKind::Assign {
                targets: exprs,
                value,
            })
        }
    }
}

/// Python's check of what may stand left of `=`, with its messages.
fn check_target(e: &Expr) -> Result<()> {
    match &e.kind {
        ExprKind::Name(_) | ExprKind::Attribute { .. } | ExprKind::Subscript { .. } => Ok(()),
        ExprKind::Tuple(items) | ExprKind::List(items) => items.iter().try_for_each(check_target),
        ExprKind::Starred(inner) => check_target(inner),
        _ => Err(Error::syntax(
            format!(
                "cannot assign to {} here. Maybe you meant '==' instead of '='?",
                describe(e)
            ),
            e.span,
        )
        .with_label("this cannot be assigned to")),
    }
}

fn check_aug_target(e: &Expr) -> Result<()> {
    match &e.kind {
        ExprKind::Name(_) | ExprKind::Attribute { .. } | ExprKind::Subscript { .. } => Ok(()),
        _ => Err(Error::syntax(
            format!(
                "'{}' is an illegal expression for augmented assignment",
                describe(e)
            ),
            e.span,
        )),
    }
}

/// How Python's parser names an expression in its messages.
fn describe(e: &Expr) -> &'static str {
    match &e.kind {
        ExprKind::Int(_)
        | ExprKind::Float(_)
        | ExprKind::Str(_)
        | ExprKind::Bool(_)
        | ExprKind::None
        | ExprKind::Ellipsis => "literal",
        ExprKind::FString(_) => "f-string expression",
        ExprKind::Call { .. } => "function call",
        ExprKind::Compare { .. } => "comparison",
        ExprKind::IfExp { .. } => "conditional expression",
        ExprKind::Lambda { .. } => "lambda",
        ExprKind::Dict(_) => "dict literal",
        ExprKind::Set(_) => "set display",
        ExprKind::ListComp { .. } => "list comprehension",
        ExprKind::SetComp { .. } => "set comprehension",
        ExprKind::DictComp { .. } => "dict comprehension",
        ExprKind::GeneratorExp { .. } => "generator expression",
        ExprKind::Tuple(_) => "tuple",
        ExprKind::List(_) => "list",
        _ => "expression",
    }
}

// ------------------------------------------------------------------ expressions

/// `testlist`, `testlist_star` and `target_list`: one item, or a tuple when
/// there are several or a trailing comma.
fn build_tuple_rule(p: P) -> Result<Expr> {
    let sp = span(&p);
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

fn build_target_list(p: P) -> Result<Expr> {
    let e = build_tuple_rule(p)?;
    check_target(&e)?;
    Ok(e)
}

fn build_target(p: P) -> Result<Expr> {
    let e = build_expr(p)?;
    check_target(&e)?;
    Ok(e)
}

/// Any expression-level rule.
fn build_expr(p: P) -> Result<Expr> {
    match p.as_rule() {
        Rule::test | Rule::test_nocond => build_test(p),
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

fn build_test(p: P) -> Result<Expr> {
    let sp = span(&p);
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

fn build_lambda(p: P) -> Result<Expr> {
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

fn build_boolop(p: P) -> Result<Expr> {
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

fn build_not(p: P) -> Result<Expr> {
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

fn build_comparison(p: P) -> Result<Expr> {
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

fn build_arith(p: P) -> Result<Expr> {
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
fn build_power(p: P) -> Result<Expr> {
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

fn build_primary(p: P) -> Result<Expr> {
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

fn build_subscript(list: P) -> Result<Expr> {
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

fn build_subscript_item(p: P) -> Result<Expr> {
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

fn build_arglist(p: P) -> Result<Vec<Arg>> {
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

fn build_comprehensions(ps: &[P]) -> Result<Vec<Comprehension>> {
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

fn build_atom(p: P) -> Result<Expr> {
    let sp = span(&p);
    let inner = first(&p);
    let kind = match inner.as_rule() {
        Rule::identifier => ExprKind::Name(inner.as_str().to_string()),
        Rule::kw_none => ExprKind::None,
        Rule::kw_true => ExprKind::Bool(true),
        Rule::kw_false => ExprKind::Bool(false),
        Rule::ellipsis => ExprKind::Ellipsis,
        Rule::number => return build_number(first(&inner)),
        Rule::strings => return super::strings::build_strings(inner),
        Rule::paren_expr | Rule::list_expr => return build_sequence(inner),
        Rule::brace_expr => return build_braces(inner),
        r => unreachable!("atom {r:?}"),
    };
    Ok(Expr::new(kind, sp))
}

fn build_sequence(p: P) -> Result<Expr> {
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

fn build_braces(p: P) -> Result<Expr> {
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

fn build_number(p: P) -> Result<Expr> {
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
            let value = i64::from_str_radix(digits, radix).map_err(|_| {
                Error::new(
                    "OverflowError",
                    "integer literal too large: ormsh integers are 64-bit",
                )
                .at(sp)
            })?;
            ExprKind::Int(value)
        }
    };
    Ok(Expr::new(kind, sp))
}

pub(super) fn build_fstring_field(p: P, source: &str) -> Result<FStringPart> {
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
            Rule::fs_spec => spec = super::strings::build_fstring_parts(c, source, false)?,
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
