//! Walking the tree: an expression's children and depth, a body's statements, its locals, whether it yields.

use super::*;

impl Expr {
    pub fn new(kind: ExprKind, span: Span) -> Self {
        Expr { kind, span }
    }
}

impl Expr {
    /// The expressions directly inside this one, in source order.
    pub fn children(&self) -> Vec<&Expr> {
        let mut out: Vec<&Expr> = Vec::new();
        match &self.kind {
            ExprKind::Name(_)
            | ExprKind::Int(_)
            | ExprKind::BigInt(_)
            | ExprKind::Float(_)
            | ExprKind::Str(_)
            | ExprKind::Bytes(_)
            | ExprKind::Bool(_)
            | ExprKind::None
            | ExprKind::Ellipsis => {}
            ExprKind::FString(parts) => fstring_children(parts, &mut out),
            ExprKind::List(items) | ExprKind::Tuple(items) | ExprKind::Set(items) => {
                out.extend(items.iter())
            }
            ExprKind::Dict(entries) => {
                for (k, v) in entries {
                    out.extend(k.iter());
                    out.push(v);
                }
            }
            ExprKind::Attribute { value, .. } => out.push(value),
            ExprKind::Subscript { value, index } => out.extend([&**value, &**index]),
            ExprKind::Slice { lower, upper, step } => {
                out.extend([lower, upper, step].into_iter().flatten().map(|b| &**b))
            }
            ExprKind::Call { func, args } => {
                out.push(func);
                out.extend(args.iter().map(Arg::value));
            }
            ExprKind::Unary { operand, .. } => out.push(operand),
            ExprKind::Binary { left, right, .. } => out.extend([&**left, &**right]),
            ExprKind::BoolOp { values, .. } => out.extend(values.iter()),
            ExprKind::Compare { left, ops } => {
                out.push(left);
                out.extend(ops.iter().map(|(_, e)| e));
            }
            ExprKind::IfExp { test, body, orelse } => out.extend([&**body, &**test, &**orelse]),
            ExprKind::ListComp { elt, generators }
            | ExprKind::SetComp { elt, generators }
            | ExprKind::GeneratorExp { elt, generators } => {
                out.push(elt);
                comprehension_children(generators, &mut out);
            }
            ExprKind::DictComp {
                key,
                value,
                generators,
            } => {
                out.extend([&**key, &**value]);
                comprehension_children(generators, &mut out);
            }
            ExprKind::NamedExpr { value, .. } => out.push(value),
            ExprKind::Lambda { params, body } => {
                out.extend(params.iter().filter_map(|p| p.default.as_ref()));
                out.push(body);
            }
            ExprKind::Starred(e) | ExprKind::YieldFrom(e) => out.push(e),
            ExprKind::Yield(e) => out.extend(e.as_deref()),
        }
        out
    }

    /// How deeply the tree nests, counted without recursion.
    pub fn depth(&self) -> usize {
        let mut deepest = 0;
        let mut stack = vec![(self, 1)];
        while let Some((e, d)) = stack.pop() {
            deepest = deepest.max(d);
            stack.extend(e.children().into_iter().map(|c| (c, d + 1)));
        }
        deepest
    }
}

pub(super) fn comprehension_children<'a>(generators: &'a [Comprehension], out: &mut Vec<&'a Expr>) {
    for g in generators {
        out.push(&g.target);
        out.push(&g.iter);
        out.extend(g.ifs.iter());
    }
}

pub(super) fn fstring_children<'a>(parts: &'a [FStringPart], out: &mut Vec<&'a Expr>) {
    for part in parts {
        if let FStringPart::Field { value, spec, .. } = part {
            out.push(value);
            fstring_children(spec, out);
        }
    }
}

impl Arg {
    pub fn value(&self) -> &Expr {
        match &self.kind {
            ArgKind::Positional(e)
            | ArgKind::Keyword(_, e)
            | ArgKind::Star(e)
            | ArgKind::DoubleStar(e) => e,
        }
    }
}

impl Stmt {
    /// The expressions directly in this statement (not in its body).
    pub fn exprs(&self) -> Vec<&Expr> {
        match &self.kind {
            StmtKind::Expr(e) => vec![e],
            StmtKind::Assign { targets, value } => targets.iter().chain([value]).collect(),
            StmtKind::AugAssign { target, value, .. } => vec![target, value],
            StmtKind::AnnAssign {
                target,
                annotation,
                value,
            } => [target, annotation].into_iter().chain(value).collect(),
            StmtKind::For { target, iter, .. } => vec![target, iter],
            StmtKind::While { test, .. } | StmtKind::If { test, .. } => vec![test],
            StmtKind::Try { handlers, .. } => {
                handlers.iter().filter_map(|h| h.kind.as_ref()).collect()
            }
            StmtKind::With { items, .. } => items
                .iter()
                .flat_map(|(e, t)| std::iter::once(e).chain(t))
                .collect(),
            StmtKind::FunctionDef(f) => f
                .decorators
                .iter()
                .chain(f.params.iter().filter_map(|p| p.default.as_ref()))
                .collect(),
            StmtKind::ClassDef(c) => c
                .decorators
                .iter()
                .chain(c.bases.iter().map(Arg::value))
                .collect(),
            StmtKind::Return(e) => e.iter().collect(),
            StmtKind::Raise { exc, cause } => exc.iter().chain(cause).collect(),
            StmtKind::Assert { test, msg } => std::iter::once(test).chain(msg).collect(),
            StmtKind::Delete(targets) => targets.iter().collect(),
            StmtKind::Import(_)
            | StmtKind::ImportFrom { .. }
            | StmtKind::Global { .. }
            | StmtKind::Pass
            | StmtKind::Break
            | StmtKind::Continue
            | StmtKind::Unparsed(_) => Vec::new(),
        }
    }

    /// The statements nested in this one (bodies, branches, handlers).
    pub fn bodies(&self) -> Vec<&[Stmt]> {
        match &self.kind {
            StmtKind::For { body, orelse, .. }
            | StmtKind::While { body, orelse, .. }
            | StmtKind::If { body, orelse, .. } => vec![body, orelse],
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
            } => [&body[..], orelse, finalbody]
                .into_iter()
                .chain(handlers.iter().map(|h| &h.body[..]))
                .collect(),
            StmtKind::With { body, .. } => vec![body],
            StmtKind::FunctionDef(f) => vec![&f.body],
            StmtKind::ClassDef(c) => vec![&c.body],
            _ => Vec::new(),
        }
    }
}

/// The names a function body binds (its locals, as Python's compiler
/// decides them): assignment and loop targets, `with … as`, `except … as`,
/// nested `def`/`class` names and imports, minus those it declares `global`
/// or `nonlocal`. Nested functions are not looked into.
/// Whether a function body yields, which makes it a generator function:
/// a `yield` anywhere in it but in a function, class or lambda it defines.
pub fn is_generator(body: &[Stmt]) -> bool {
    pub(super) fn yields(e: &Expr) -> bool {
        match &e.kind {
            ExprKind::Yield(_) | ExprKind::YieldFrom(_) => true,
            ExprKind::Lambda { .. } => false,
            _ => e.children().into_iter().any(yields),
        }
    }
    body.iter().any(|s| {
        !matches!(s.kind, StmtKind::FunctionDef(_) | StmtKind::ClassDef(_))
            && (s.exprs().into_iter().any(yields) || s.bodies().into_iter().any(is_generator))
    })
}

pub fn local_names(body: &[Stmt]) -> std::collections::HashSet<String> {
    let mut bound = std::collections::HashSet::new();
    let mut declared = std::collections::HashSet::new();
    collect_locals(body, &mut bound, &mut declared);
    bound.retain(|n| !declared.contains(n));
    bound
}

pub(super) fn collect_locals(
    body: &[Stmt],
    bound: &mut std::collections::HashSet<String>,
    declared: &mut std::collections::HashSet<String>,
) {
    pub(super) fn targets(e: &Expr, bound: &mut std::collections::HashSet<String>) {
        match &e.kind {
            ExprKind::Name(n) => {
                bound.insert(n.clone());
            }
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                items.iter().for_each(|i| targets(i, bound))
            }
            ExprKind::Starred(inner) => targets(inner, bound),
            _ => {}
        }
    }
    for s in body {
        match &s.kind {
            StmtKind::Assign { targets: ts, .. } => ts.iter().for_each(|t| targets(t, bound)),
            StmtKind::AugAssign { target, .. }
            | StmtKind::AnnAssign { target, .. }
            | StmtKind::For { target, .. } => targets(target, bound),
            StmtKind::With { items, .. } => items
                .iter()
                .filter_map(|(_, t)| t.as_ref())
                .for_each(|t| targets(t, bound)),
            StmtKind::Try { handlers, .. } => {
                for h in handlers {
                    if let Some(n) = &h.name {
                        bound.insert(n.name.clone());
                    }
                }
            }
            StmtKind::FunctionDef(f) => {
                bound.insert(f.name.name.clone());
            }
            StmtKind::ClassDef(c) => {
                bound.insert(c.name.name.clone());
            }
            StmtKind::Import(names) => {
                for a in names {
                    let name = a.asname.as_ref().unwrap_or(&a.name).name.clone();
                    bound.insert(name.split('.').next().unwrap_or_default().to_string());
                }
            }
            StmtKind::ImportFrom { names, .. } => {
                for a in names {
                    bound.insert(a.asname.as_ref().unwrap_or(&a.name).name.clone());
                }
            }
            StmtKind::Delete(ts) => ts.iter().for_each(|t| targets(t, bound)),
            StmtKind::Global { names, .. } => {
                declared.extend(names.iter().map(|n| n.name.clone()));
            }
            _ => {}
        }
        if !matches!(s.kind, StmtKind::FunctionDef(_) | StmtKind::ClassDef(_)) {
            for b in s.bodies() {
                collect_locals(b, bound, declared);
            }
        }
    }
}
