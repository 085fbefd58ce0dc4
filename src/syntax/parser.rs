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

mod expressions;

pub(super) use expressions::build_fstring_field;
use expressions::*;

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
    let stmts = build_statements_unchecked(pairs)?;
    check_depth(&stmts)?;
    Ok(stmts)
}

/// Python's compiler refuses expressions nested past its stack
/// (`1+1+…` with thousands of terms); so does ormsh, before evaluating
/// them would exhaust its own.
fn check_depth(stmts: &[Stmt]) -> Result<()> {
    let mut pending: Vec<&[Stmt]> = vec![stmts];
    while let Some(block) = pending.pop() {
        for s in block {
            for e in s.exprs() {
                if e.depth() > crate::limits::COMPILE_DEPTH_LIMIT {
                    return Err(crate::limits::compile_depth_error().at(e.span));
                }
            }
            pending.extend(s.bodies());
        }
    }
    Ok(())
}

fn build_statements_unchecked(pairs: Pairs<Rule>) -> Result<Vec<Stmt>> {
    let mut out = Vec::new();
    for p in pairs {
        match p.as_rule() {
            Rule::statement => out.extend(build_statement(p)?),
            Rule::unparsed => out.push(Stmt {
                kind: StmtKind::Unparsed(p.as_str().trim_end().to_string()),
                span: span(&p),
            }),
            Rule::single_input | Rule::file_input => {
                out.extend(build_statements_unchecked(p.into_inner())?)
            }
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
            let is_async = head.first().is_some_and(|h| h.as_rule() == Rule::kw_async);
            StmtKind::FunctionDef(FunctionDef {
                name: ident(&head[usize::from(is_async) + 1]),
                params,
                body: build_suite(cs[1].clone())?,
                decorators: Vec::new(),
                is_async,
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
            Rule::star_param | Rule::lambda_star if name.name.is_empty() => ParamKind::KeywordOnly,
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
        Rule::raise_stmt => StmtKind::Raise {
            exc: cs.get(1).map(|c| build_test(c.clone())).transpose()?,
            cause: cs.get(3).map(|c| build_test(c.clone())).transpose()?,
        },
        Rule::global_stmt => StmtKind::Global {
            names: cs
                .iter()
                .filter(|c| c.as_rule() == Rule::identifier)
                .map(ident)
                .collect(),
            nonlocal: cs.first().is_some_and(|c| c.as_rule() == Rule::kw_nonlocal),
        },
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
