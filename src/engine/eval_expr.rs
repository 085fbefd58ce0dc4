//! Expressions: names, literals, displays, calls, operators, comprehensions,
//! f-strings. The statement side of the evaluator is in `interp.rs`.

use super::interp::{FunctionBody, Interp, MAX_CALL_DEPTH};
use super::ops;
use super::scope::{Scope, ScopeRef};
use super::value::{Dict, Function, Set, Value};
use crate::error::{Error, Result};
use crate::syntax::ast::*;
use std::rc::Rc;

impl Interp {
    pub fn eval(&mut self, e: &Expr, scope: &ScopeRef) -> Result<Value> {
        self.eval_inner(e, scope).map_err(|err| err.at(e.span))
    }

    fn eval_inner(&mut self, e: &Expr, scope: &ScopeRef) -> Result<Value> {
        Ok(match &e.kind {
            ExprKind::Name(n) => self.lookup(n, scope)?,
            ExprKind::Int(i) => Value::Int(*i),
            ExprKind::BigInt(b) => Value::BigInt(b.clone()),
            ExprKind::Float(f) => Value::Float(*f),
            ExprKind::Str(s) => Value::str(s.as_str()),
            ExprKind::Bytes(b) => Value::Bytes(b.as_slice().into()),
            ExprKind::Bool(b) => Value::Bool(*b),
            ExprKind::None => Value::None,
            ExprKind::Ellipsis => Value::str("Ellipsis"),
            ExprKind::FString(parts) => Value::str(self.fstring(parts, scope)?),
            ExprKind::List(items) => Value::list(self.eval_items(items, scope)?),
            ExprKind::Tuple(items) => Value::tuple(self.eval_items(items, scope)?),
            ExprKind::Set(items) => {
                let mut set = Set::default();
                for v in self.eval_items(items, scope)? {
                    set.insert(v)?;
                }
                Value::set(set)
            }
            ExprKind::Dict(entries) => self.eval_dict(entries, scope)?,
            ExprKind::Attribute { value, attr } => {
                let obj = self.eval(value, scope)?;
                self.get_attr(&obj, &attr.name)
                    .map_err(|err| err.at(attr.span))?
            }
            ExprKind::Subscript {
                value,
                index: index_expr,
            } => self.eval_subscript(value, index_expr, scope)?,
            ExprKind::Slice { .. } => return Err(Error::syntax("invalid syntax", e.span)),
            ExprKind::Call {
                func,
                args: arg_exprs,
            } => {
                let f = self.eval(func, scope)?;
                let args = self.eval_args(arg_exprs, scope)?;
                self.call(&f, args)
                    .map_err(|e| point_at_name(e, arg_exprs))?
            }
            ExprKind::Unary {
                op: UnaryOp::Not,
                operand,
            } => {
                let v = self.eval(operand, scope)?;
                Value::Bool(!self.truthy(&v)?)
            }
            ExprKind::Unary { op, operand } => ops::unary(*op, &self.eval(operand, scope)?)?,
            ExprKind::Binary { op, left, right } => {
                let l = self.eval(left, scope)?;
                let mut r = self.eval(right, scope)?;
                if let (BinOp::Mod, Value::Str(_)) = (op, &l) {
                    r = self.plain_format_args(r)?;
                }
                ops::binary(*op, &l, &r)?
            }
            ExprKind::BoolOp { op, values } => self.eval_boolop(*op, values, scope)?,
            ExprKind::Compare {
                left,
                ops: comparisons,
            } => self.eval_compare(left, comparisons, scope)?,
            ExprKind::IfExp { test, body, orelse } => {
                let test = self.eval(test, scope)?;
                let branch = if self.truthy(&test)? { body } else { orelse };
                self.eval(branch, scope)?
            }
            ExprKind::ListComp { elt, generators } => {
                Value::list(self.comprehension(elt, None, generators, scope)?.0)
            }
            ExprKind::GeneratorExp { elt, generators } => self.generator(elt, generators, scope)?,
            ExprKind::SetComp { elt, generators } => self.eval_set_comp(elt, generators, scope)?,
            ExprKind::DictComp {
                key,
                value,
                generators,
            } => self.eval_dict_comp(key, value, generators, scope)?,
            ExprKind::NamedExpr { target, value } => self.assign_named(target, value, scope)?,
            ExprKind::Lambda { params, body } => self.make_function(
                "<lambda>",
                params,
                FunctionBody::Expr((**body).clone()),
                scope,
            )?,
            ExprKind::Starred(_) => {
                return Err(Error::syntax("can't use starred expression here", e.span));
            }
            ExprKind::Yield(value) => {
                let v = match value {
                    Some(v) => self.eval(v, scope)?,
                    None => Value::None,
                };
                return self.suspend(v).map_err(|err| at_yield(err, e.span));
            }
            ExprKind::YieldFrom(iterable) => {
                let it = self.eval(iterable, scope)?;
                return self.yield_from(&it).map_err(|err| at_yield(err, e.span));
            }
        })
    }

    /// `target := value`: bound in the scope a comprehension leaks it to.
    fn assign_named(&mut self, target: &Ident, value: &Expr, scope: &ScopeRef) -> Result<Value> {
        let v = self.eval(value, scope)?;
        Scope::named_expr_target(scope)
            .borrow_mut()
            .set(&target.name, v.clone());
        Ok(v)
    }

    /// `value[index]`: a queryset's item or slice, a dict's missing key,
    /// or the container's item.
    fn eval_subscript(
        &mut self,
        value: &Expr,
        index_expr: &Expr,
        scope: &ScopeRef,
    ) -> Result<Value> {
        let obj = self.eval(value, scope)?;
        let index = self.eval_index(index_expr, scope)?;
        if let Value::QuerySet(qs) = &obj {
            return self.py().queryset_index(qs, &index);
        }
        if let Value::Manager(_) = &obj {
            return Err(Error::type_error("'Manager' object is not subscriptable"));
        }
        if let Some(v) = self.missing_key(&obj, &index)? {
            return Ok(v);
        }
        super::subscript::get_item(&obj, &index).map_err(|err| match err.kind.as_str() {
            "KeyError" | "IndexError" => err.at(index_expr.span),
            _ => err,
        })
    }

    /// `{elt for …}`.
    fn eval_set_comp(
        &mut self,
        elt: &Expr,
        generators: &[Comprehension],
        scope: &ScopeRef,
    ) -> Result<Value> {
        let mut set = Set::default();
        for v in self.comprehension(elt, None, generators, scope)?.0 {
            set.insert(v)?;
        }
        Ok(Value::set(set))
    }

    /// `{key: value for …}`.
    fn eval_dict_comp(
        &mut self,
        key: &Expr,
        value: &Expr,
        generators: &[Comprehension],
        scope: &ScopeRef,
    ) -> Result<Value> {
        let (keys, values) = self.comprehension(key, Some(value), generators, scope)?;
        let mut d = Dict::default();
        for (k, v) in keys.into_iter().zip(values) {
            d.insert(k, v)?;
        }
        Ok(Value::dict(d))
    }

    fn eval_items(&mut self, items: &[Expr], scope: &ScopeRef) -> Result<Vec<Value>> {
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            if let ExprKind::Starred(inner) = &item.kind {
                let v = self.eval(inner, scope)?;
                for x in self.iter(&v)? {
                    out.push(x?);
                }
            } else {
                out.push(self.eval(item, scope)?);
            }
        }
        Ok(out)
    }

    fn eval_dict(&mut self, entries: &[(Option<Expr>, Expr)], scope: &ScopeRef) -> Result<Value> {
        let mut d = Dict::default();
        for (k, v) in entries {
            match k {
                Some(k) => {
                    let key = self.eval(k, scope)?;
                    let value = self.eval(v, scope)?;
                    d.insert(key, value).map_err(|e| e.at(k.span))?;
                }
                None => {
                    let Value::Dict(other) = self.eval(v, scope)? else {
                        return Err(Error::type_error("'**' argument must be a mapping").at(v.span));
                    };
                    for (key, value) in other.borrow().entries.values() {
                        d.insert(key.clone(), value.clone())?;
                    }
                }
            }
        }
        Ok(Value::dict(d))
    }

    pub(super) fn eval_index(&mut self, index: &Expr, scope: &ScopeRef) -> Result<Value> {
        if let ExprKind::Slice { lower, upper, step } = &index.kind {
            let mut bound = |b: &Option<Box<Expr>>| -> Result<Value> {
                match b {
                    Some(e) => self.eval(e, scope),
                    None => Ok(Value::None),
                }
            };
            let (l, u, s) = (bound(lower)?, bound(upper)?, bound(step)?);
            return Ok(super::subscript::slice_value(l, u, s));
        }
        self.eval(index, scope)
    }

    fn eval_boolop(&mut self, op: BoolOp, values: &[Expr], scope: &ScopeRef) -> Result<Value> {
        let mut last = Value::None;
        for v in values {
            last = self.eval(v, scope)?;
            let decided = match op {
                BoolOp::And => !self.truthy(&last)?,
                BoolOp::Or => self.truthy(&last)?,
            };
            if decided {
                break;
            }
        }
        Ok(last)
    }

    fn eval_compare(
        &mut self,
        left: &Expr,
        comparisons: &[(CmpOp, Expr)],
        scope: &ScopeRef,
    ) -> Result<Value> {
        let mut l = self.eval(left, scope)?;
        for (op, right) in comparisons {
            let mut r = self.eval(right, scope)?;
            if let (CmpOp::In | CmpOp::NotIn, Value::QuerySet(qs)) = (op, &r) {
                r = Value::list(self.py().evaluate(qs)?.to_vec());
            }
            if !ops::compare_op(*op, &l, &r).map_err(|e| e.at(right.span))? {
                return Ok(Value::Bool(false));
            }
            l = r;
        }
        Ok(Value::Bool(true))
    }

    /// Runs comprehension clauses in a scope of their own, collecting `elt`
    /// (and `value`, for dict comprehensions) for each innermost iteration.
    fn comprehension(
        &mut self,
        elt: &Expr,
        value: Option<&Expr>,
        generators: &[Comprehension],
        scope: &ScopeRef,
    ) -> Result<(Vec<Value>, Vec<Value>)> {
        let inner = Scope::comprehension(scope);
        let mut out = (Vec::new(), Vec::new());
        self.comprehension_level(elt, value, generators, &inner, &mut out)?;
        Ok(out)
    }

    fn comprehension_level(
        &mut self,
        elt: &Expr,
        value: Option<&Expr>,
        generators: &[Comprehension],
        scope: &ScopeRef,
        out: &mut (Vec<Value>, Vec<Value>),
    ) -> Result<()> {
        let Some((first, rest)) = generators.split_first() else {
            out.0.push(self.eval(elt, scope)?);
            if let Some(v) = value {
                out.1.push(self.eval(v, scope)?);
            }
            return Ok(());
        };
        let iterable = self.eval(&first.iter, scope)?;
        'items: for item in self.iter(&iterable)? {
            self.assign(&first.target, item?, scope)?;
            for cond in &first.ifs {
                if !{
                    let c = self.eval(cond, scope)?;
                    self.truthy(&c)?
                } {
                    continue 'items;
                }
            }
            self.comprehension_level(elt, value, rest, scope, out)?;
        }
        Ok(())
    }

    fn fstring(&mut self, parts: &[FStringPart], scope: &ScopeRef) -> Result<String> {
        let mut out = String::new();
        for part in parts {
            match part {
                FStringPart::Literal(s) => out.push_str(s),
                FStringPart::Field {
                    value,
                    debug_text,
                    conversion,
                    spec,
                } => {
                    let v = self.eval(value, scope)?;
                    let spec = self.fstring(spec, scope)?;
                    if let Some(text) = debug_text {
                        out.push_str(text);
                    }
                    // `{x=}` shows the repr unless a conversion or spec says otherwise.
                    let conversion =
                        conversion.or((debug_text.is_some() && spec.is_empty()).then_some('r'));
                    let v = match conversion {
                        Some('r') | Some('a') => Value::str(self.repr_value(&v)?),
                        Some('s') => Value::str(self.str_value(&v)?),
                        _ => v,
                    };
                    out.push_str(&self.format_any(&v, &spec)?);
                }
            }
        }
        Ok(out)
    }

    pub(super) fn make_function(
        &mut self,
        name: &str,
        params: &[Param],
        body: FunctionBody,
        scope: &ScopeRef,
    ) -> Result<Value> {
        let mut defaults = Vec::with_capacity(params.len());
        for p in params {
            defaults.push(match &p.default {
                Some(d) => Some(self.eval(d, scope)?),
                None => None,
            });
        }
        let mut locals = crate::syntax::ast::local_names(body.statements());
        locals.extend(params.iter().map(|p| p.name.name.clone()));
        Ok(Value::Function(Rc::new(Function {
            name: name.to_string(),
            params: params.to_vec(),
            defaults,
            body,
            scope: scope.clone(),
            locals: Rc::new(locals),
            owner: None,
        })))
    }

    pub(super) fn enter_call(&mut self) -> Result<()> {
        crate::limits::check_stack()?;
        if self.call_depth >= MAX_CALL_DEPTH {
            return Err(Error::new(
                "RecursionError",
                "maximum recursion depth exceeded",
            ));
        }
        self.call_depth += 1;
        Ok(())
    }
}

/// `yield` outside a function is the mistake of the `yield` itself.
fn at_yield(err: Error, span: crate::syntax::Span) -> Error {
    if err.kind == "SyntaxError" && err.span.is_none() {
        Error::syntax(err.message, span)
    } else {
        err
    }
}

/// A FieldError about a name (`Cannot resolve keyword 'x'`, `Unsupported
/// lookup 'x'`) points at that name inside the call's keyword or string
/// argument, so the caret falls under the mistake.
fn point_at_name(e: Error, args: &[Arg]) -> Error {
    if e.kind != "FieldError" || e.span.is_some() {
        return e;
    }
    let Some(bad) = e.message.split('\'').nth(1).map(str::to_string) else {
        return e;
    };
    let locate = |text: &str, start: usize| -> Option<crate::syntax::Span> {
        let mut offset = 0;
        for part in text.split("__") {
            if part == bad {
                return Some(crate::syntax::Span::new(
                    start + offset,
                    start + offset + part.len(),
                ));
            }
            offset += part.len() + 2;
        }
        None
    };
    match args.iter().find_map(|a| locate_in_arg(a, &locate)) {
        Some(span) => e
            .at(span)
            .with_label(format!("'{bad}' is not a field or lookup here")),
        None => e,
    }
}

/// Where a keyword or a field-name string of `a` names the bad part; `Q(...)`
/// and `|`, `&`, `~` between them are looked into, as filter() reads them.
fn locate_in_arg(
    a: &Arg,
    locate: &dyn Fn(&str, usize) -> Option<crate::syntax::Span>,
) -> Option<crate::syntax::Span> {
    match &a.kind {
        ArgKind::Keyword(name, _) => locate(&name.name, name.span.start),
        ArgKind::Positional(e) => locate_in_expr(e, locate),
        _ => None,
    }
}

fn locate_in_expr(
    e: &Expr,
    locate: &dyn Fn(&str, usize) -> Option<crate::syntax::Span>,
) -> Option<crate::syntax::Span> {
    match &e.kind {
        // A string literal: the name starts after the quote (and a '-').
        ExprKind::Str(s) => {
            let skip = 1 + usize::from(s.starts_with('-'));
            locate(s.trim_start_matches('-'), e.span.start + skip)
        }
        ExprKind::Call { args, .. } => args.iter().find_map(|a| locate_in_arg(a, locate)),
        ExprKind::Binary { left, right, .. } => {
            locate_in_expr(left, locate).or_else(|| locate_in_expr(right, locate))
        }
        ExprKind::Unary { operand, .. } => locate_in_expr(operand, locate),
        _ => None,
    }
}

pub(super) fn is_orm(v: &Value) -> bool {
    matches!(
        v,
        Value::Instance(_) | Value::QuerySet(_) | Value::Manager(_)
    )
}
