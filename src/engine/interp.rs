//! The evaluator: statements and expressions with Python's semantics.
//!
//! [`Interp`] holds the session's global scope. Results reach the user through
//! a [`Console`]: `print()` text, and the value of each expression statement
//! (shown by the console's displayhook, which is also what sets `_`).

use super::eval_expr::is_orm;
use super::ops;
use super::scope::{Scope, ScopeRef};
use super::value::{ModelClass, Value};
use crate::error::{Error, Result};
use crate::schema::Registry;
use crate::syntax::ast::*;
use std::rc::Rc;

/// Where a session's output goes; implemented by the renderers.
pub trait Console {
    /// Text written by `print()`.
    fn print(&mut self, text: &str) -> Result<()>;
    /// The value of an expression statement that is not None.
    fn display(&mut self, interp: &mut Interp, value: &Value) -> Result<()>;
    /// Ends a line left open by `print(..., end='')`, as transcripts expect.
    fn finish_line(&mut self) -> Result<()>;
}

/// How a statement ended, for loops and functions.
pub(super) enum Flow {
    Normal,
    Break,
    Continue,
    Return(Value),
}

/// Python's default recursion limit, for functions that call themselves.
pub(super) const MAX_CALL_DEPTH: usize = 1000;

pub struct Interp {
    pub globals: ScopeRef,
    console: Option<Box<dyn Console>>,
    pub(super) call_depth: usize,
    pub(super) registry: Rc<Registry>,
    pub(super) db: Option<Rc<crate::db::Database>>,
}

/// Set by Ctrl-C while a statement runs (the prompt's SIGINT handler);
/// the next statement the interpreter reaches stops with KeyboardInterrupt.
static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

pub const CANCELLED: &str = "cancelled; the database is as it was before the statement";

/// Asks the running statement to stop (from a signal handler's thread).
pub fn request_interrupt() {
    INTERRUPTED.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Forgets a Ctrl-C that came after its statement ended.
pub fn clear_interrupt() {
    INTERRUPTED.store(false, std::sync::atomic::Ordering::Relaxed);
}

/// What a name at the prompt holds, as completion needs to know it.
#[derive(Clone, Debug, PartialEq)]
pub enum NameKind {
    Model(crate::schema::ModelId),
    Manager(crate::schema::ModelId),
    QuerySet(crate::schema::ModelId),
    Instance(crate::schema::ModelId),
    Other,
}

impl Interp {
    /// Every name bound at the prompt, with what it holds.
    pub fn name_kinds(&self) -> Vec<(String, NameKind)> {
        let g = self.globals.borrow();
        g.names()
            .map(|n| {
                let kind = match Scope::lookup(&self.globals, n) {
                    Some(Value::Model(m)) => NameKind::Model(m.id),
                    Some(Value::Manager(m)) => NameKind::Manager(m.model),
                    Some(Value::QuerySet(q)) => NameKind::QuerySet(q.model),
                    Some(Value::Instance(i)) => NameKind::Instance(i.borrow().model),
                    _ => NameKind::Other,
                };
                (n.clone(), kind)
            })
            .collect()
    }

    pub fn new(console: Box<dyn Console>) -> Self {
        Interp {
            globals: Scope::root(),
            console: Some(console),
            call_depth: 0,
            registry: Rc::default(),
            db: None,
        }
    }

    pub fn set_database(&mut self, db: Rc<crate::db::Database>) {
        self.db = Some(db);
    }

    /// `repr(value)` for any value, instances and querysets included.
    pub fn repr_value(&mut self, v: &Value) -> Result<String> {
        super::repr::repr_with(v, &mut |x| self.orm_repr(x))
    }

    /// `str(value)` for any value: an instance's `__str__`, a string itself.
    pub fn str_value(&mut self, v: &Value) -> Result<String> {
        match v {
            Value::Instance(_) | Value::QuerySet(_) | Value::Manager(_) => {
                self.orm_str(v).unwrap_or_else(|| Ok(super::repr::str(v)))
            }
            Value::List(_) | Value::Tuple(_) | Value::Dict(_) | Value::Set(_) => self.repr_value(v),
            other => Ok(super::repr::str(other)),
        }
    }

    /// `format(value, spec)`, with instances formatted by their `__str__`.
    pub(super) fn format_any(&mut self, v: &Value, spec: &str) -> Result<String> {
        match v {
            Value::Instance(_) | Value::QuerySet(_) | Value::Manager(_) => {
                let text = self.str_value(v)?;
                super::format::format_value(&Value::str(text), spec)
            }
            other => super::format::format_value(other, spec),
        }
    }

    /// `'%s' % obj`: model values become their text first.
    pub(super) fn plain_format_args(&mut self, v: Value) -> Result<Value> {
        match &v {
            Value::Tuple(items) if items.iter().any(is_orm) => {
                let items = items
                    .iter()
                    .map(|x| {
                        if is_orm(x) {
                            self.str_value(x).map(Value::str)
                        } else {
                            Ok(x.clone())
                        }
                    })
                    .collect::<Result<Vec<_>>>()?;
                Ok(Value::tuple(items))
            }
            x if is_orm(x) => Ok(Value::str(self.str_value(x)?)),
            _ => Ok(v),
        }
    }

    /// Python's truth value, running a queryset to learn whether it has rows.
    pub(super) fn truthy(&mut self, v: &Value) -> Result<bool> {
        match v {
            Value::QuerySet(qs) => Ok(!self.rows(qs)?.is_empty()),
            other => Ok(other.truthy()),
        }
    }

    /// Makes the models available: every model name bound without imports
    /// (the first app wins when two apps define one name, as in Django 5.2's
    /// shell), each app label as a module holding its models, and `models`.
    pub fn bind_models(&mut self, registry: Rc<Registry>) {
        for (id, model) in registry.models.iter().enumerate().rev() {
            if model.auto_created {
                continue;
            }
            self.set_global(&model.name, ModelClass::value(&registry, id));
        }
        for app in &registry.apps {
            if Scope::lookup(&self.globals, &app.label).is_none() {
                self.set_global(&app.label, Value::Module(app.label.as_str().into()));
            }
        }
        self.set_global("models", Value::Module("django.db.models".into()));
        self.registry = registry;
    }

    /// Runs the statements of one console input.
    pub fn run(&mut self, stmts: &[Stmt]) -> Result<()> {
        let globals = self.globals.clone();
        for s in stmts {
            crate::limits::statement_starts();
            match self.exec(s, &globals)? {
                Flow::Normal => {}
                Flow::Break | Flow::Continue => {
                    return Err(Error::syntax("'break' outside loop", s.span));
                }
                Flow::Return(_) => return Err(Error::syntax("'return' outside function", s.span)),
            }
        }
        Ok(())
    }

    pub fn finish_line(&mut self) -> Result<()> {
        match self.console.as_mut() {
            Some(c) => c.finish_line(),
            None => Ok(()),
        }
    }

    pub fn set_global(&mut self, name: &str, value: Value) {
        self.globals.borrow_mut().set(name, value);
    }

    pub fn global_names(&self) -> Vec<String> {
        self.globals.borrow().names().cloned().collect()
    }

    pub(super) fn print_text(&mut self, text: &str) -> Result<()> {
        match self.console.as_mut() {
            Some(c) => c.print(text),
            None => Ok(()),
        }
    }

    fn display(&mut self, value: &Value) -> Result<()> {
        self.set_global("_", value.clone());
        // The console needs the interpreter (to run a queryset it is shown);
        // lend it out for the call.
        let Some(mut console) = self.console.take() else {
            return Ok(());
        };
        let result = console.display(self, value);
        self.console = Some(console);
        result
    }

    pub(super) fn exec_block(&mut self, body: &[Stmt], scope: &ScopeRef) -> Result<Flow> {
        for s in body {
            match self.exec(s, scope)? {
                Flow::Normal => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Normal)
    }

    fn exec(&mut self, s: &Stmt, scope: &ScopeRef) -> Result<Flow> {
        if INTERRUPTED.swap(false, std::sync::atomic::Ordering::Relaxed) {
            return Err(Error::new("KeyboardInterrupt", CANCELLED));
        }
        crate::limits::check_limits()?;
        self.exec_inner(s, scope).map_err(|e| e.at(s.span))
    }

    fn exec_inner(&mut self, s: &Stmt, scope: &ScopeRef) -> Result<Flow> {
        match &s.kind {
            StmtKind::Expr(e) => {
                let v = self.eval(e, scope)?;
                if !matches!(v, Value::None) {
                    self.display(&v)?;
                }
            }
            StmtKind::Assign { targets, value } => {
                let v = self.eval(value, scope)?;
                for t in targets {
                    self.assign(t, v.clone(), scope)?;
                }
            }
            StmtKind::AugAssign { target, op, value } => {
                self.aug_assign(target, *op, value, scope)?
            }
            StmtKind::AnnAssign { target, value, .. } => {
                if let Some(value) = value {
                    let v = self.eval(value, scope)?;
                    self.assign(target, v, scope)?;
                }
            }
            StmtKind::For {
                target,
                iter,
                body,
                orelse,
            } => return self.exec_for(target, iter, body, orelse, scope),
            StmtKind::While { test, body, orelse } => {
                return self.exec_while(test, body, orelse, scope);
            }
            StmtKind::If { test, body, orelse } => {
                let test = self.eval(test, scope)?;
                let branch = if self.truthy(&test)? { body } else { orelse };
                return self.exec_block(branch, scope);
            }
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
            } => {
                return self.exec_try(body, handlers, orelse, finalbody, scope);
            }
            StmtKind::Delete(targets) => {
                for t in targets {
                    self.delete(t, scope)?;
                }
            }
            StmtKind::Assert { test, msg } => {
                if !{
                    let t = self.eval(test, scope)?;
                    self.truthy(&t)?
                } {
                    let message = match msg {
                        Some(m) => {
                            let v = self.eval(m, scope)?;
                            self.str_value(&v)?
                        }
                        None => String::new(),
                    };
                    return Err(Error::new("AssertionError", message));
                }
            }
            StmtKind::Raise(e) => return Err(self.raise(e.as_ref(), scope)),
            StmtKind::FunctionDef(f) => {
                let func = self.make_function(
                    &f.name.name,
                    &f.params,
                    FunctionBody::Block(f.body.clone()),
                    scope,
                )?;
                scope.borrow_mut().set(&f.name.name, func);
            }
            StmtKind::Return(e) => {
                let v = match e {
                    Some(e) => self.eval(e, scope)?,
                    None => Value::None,
                };
                return Ok(Flow::Return(v));
            }
            StmtKind::Import(names) => self.import(names)?,
            StmtKind::ImportFrom { module, names } => self.import_from(module, names)?,
            StmtKind::Pass | StmtKind::Global(_) => {}
            StmtKind::Break => return Ok(Flow::Break),
            StmtKind::Continue => return Ok(Flow::Continue),
            StmtKind::ClassDef(_) => {
                return Err(Error::new(
                    "NotImplementedError",
                    "class definitions are not supported at the ormsh prompt; define models in models.py",
                ));
            }
            StmtKind::With { .. } => {
                return Err(Error::new(
                    "NotImplementedError",
                    "'with' blocks are not supported in ormsh",
                ));
            }
            StmtKind::Unparsed(_) => return Err(Error::syntax("invalid syntax", s.span)),
        }
        Ok(Flow::Normal)
    }

    fn exec_for(
        &mut self,
        target: &Expr,
        iter: &Expr,
        body: &[Stmt],
        orelse: &[Stmt],
        scope: &ScopeRef,
    ) -> Result<Flow> {
        let iterable = self.eval(iter, scope)?;
        for item in self.iter(&iterable)? {
            self.assign(target, item?, scope)?;
            match self.exec_block(body, scope)? {
                Flow::Break => return Ok(Flow::Normal),
                Flow::Return(v) => return Ok(Flow::Return(v)),
                Flow::Normal | Flow::Continue => {}
            }
        }
        self.exec_block(orelse, scope)
    }

    fn exec_while(
        &mut self,
        test: &Expr,
        body: &[Stmt],
        orelse: &[Stmt],
        scope: &ScopeRef,
    ) -> Result<Flow> {
        while {
            let t = self.eval(test, scope)?;
            self.truthy(&t)?
        } {
            match self.exec_block(body, scope)? {
                Flow::Break => return Ok(Flow::Normal),
                Flow::Return(v) => return Ok(Flow::Return(v)),
                Flow::Normal | Flow::Continue => {}
            }
        }
        self.exec_block(orelse, scope)
    }

    fn exec_try(
        &mut self,
        body: &[Stmt],
        handlers: &[ExceptHandler],
        orelse: &[Stmt],
        finalbody: &[Stmt],
        scope: &ScopeRef,
    ) -> Result<Flow> {
        let outcome = match self.exec_block(body, scope) {
            Ok(Flow::Normal) => self.exec_block(orelse, scope),
            Ok(flow) => Ok(flow),
            Err(e) => self.handle(e, handlers, scope),
        };
        match self.exec_block(finalbody, scope)? {
            Flow::Normal => outcome,
            flow => Ok(flow),
        }
    }

    fn handle(
        &mut self,
        error: Error,
        handlers: &[ExceptHandler],
        scope: &ScopeRef,
    ) -> Result<Flow> {
        for h in handlers {
            let matches = match &h.kind {
                None => true,
                Some(kind) => exception_names(kind)
                    .iter()
                    .any(|n| catches(n, &error.kind)),
            };
            if matches {
                if let Some(name) = &h.name {
                    scope
                        .borrow_mut()
                        .set(&name.name, Value::str(error.message.as_str()));
                }
                return self.exec_block(&h.body, scope);
            }
        }
        Err(error)
    }

    /// `raise Kind('message')`: ormsh has no exception objects, so the
    /// exception's name and message are read from the expression.
    fn raise(&mut self, e: Option<&Expr>, scope: &ScopeRef) -> Error {
        let Some(e) = e else {
            return Error::new("RuntimeError", "No active exception to reraise");
        };
        match &e.kind {
            ExprKind::Name(n) => Error::new(n.clone(), ""),
            ExprKind::Call { func, args } if matches!(func.kind, ExprKind::Name(_)) => {
                let ExprKind::Name(n) = &func.kind else {
                    unreachable!()
                };
                let message = match args.first().map(|a| &a.kind) {
                    Some(ArgKind::Positional(m)) => match self.eval(m, scope) {
                        Ok(v) => super::repr::str(&v),
                        Err(err) => return err,
                    },
                    _ => String::new(),
                };
                Error::new(n.clone(), message)
            }
            _ => Error::type_error("exceptions must derive from BaseException"),
        }
    }

    // ---------------------------------------------------------------- names and targets

    pub(super) fn lookup(&self, name: &str, scope: &ScopeRef) -> Result<Value> {
        if let Some(v) = Scope::lookup(scope, name) {
            return Ok(v);
        }
        if let Some(b) = super::builtins::Builtin::by_name(name).filter(|b| !b.is_function()) {
            return Ok(Value::Builtin(b));
        }
        let mut err = Error::new("NameError", format!("name '{name}' is not defined"));
        let mut known = self.global_names();
        known.extend(super::builtins::Builtin::names().map(String::from));
        if let Some(near) = crate::suggest::nearest(name, known.iter().map(String::as_str)) {
            err = err.with_hint(format!("did you mean '{near}'?"));
        }
        Err(err)
    }

    pub(super) fn assign(&mut self, target: &Expr, value: Value, scope: &ScopeRef) -> Result<()> {
        match &target.kind {
            ExprKind::Name(n) => scope.borrow_mut().set(n, value),
            ExprKind::Tuple(items) | ExprKind::List(items) => self.unpack(items, value, scope)?,
            ExprKind::Subscript { value: obj, index } => {
                let obj = self.eval(obj, scope)?;
                let index = self.eval_index(index, scope)?;
                super::subscript::set_item(&obj, &index, value)?;
            }
            ExprKind::Attribute { value: obj, attr } => {
                let obj = self.eval(obj, scope)?;
                if let Value::Instance(i) = &obj {
                    return self
                        .set_instance_attr(i, &attr.name, value)
                        .map_err(|e| e.at(attr.span));
                }
                return Err(Error::new(
                    "AttributeError",
                    format!(
                        "'{}' object has no attribute '{}'",
                        obj.type_name(),
                        attr.name
                    ),
                )
                .at(attr.span));
            }
            _ => return Err(Error::syntax("cannot assign to expression", target.span)),
        }
        Ok(())
    }

    fn unpack(&mut self, targets: &[Expr], value: Value, scope: &ScopeRef) -> Result<()> {
        let items: Vec<Value> = self.iter(&value)?.collect::<Result<_>>()?;
        let star = targets
            .iter()
            .position(|t| matches!(t.kind, ExprKind::Starred(_)));
        let n = targets.len();
        match star {
            None if items.len() > n => {
                return Err(Error::value_error(format!(
                    "too many values to unpack (expected {n})"
                )));
            }
            None if items.len() < n => {
                return Err(Error::value_error(format!(
                    "not enough values to unpack (expected {n}, got {})",
                    items.len()
                )));
            }
            Some(_) if items.len() < n - 1 => {
                return Err(Error::value_error(format!(
                    "not enough values to unpack (expected at least {}, got {})",
                    n - 1,
                    items.len()
                )));
            }
            _ => {}
        }
        let mut items = items.into_iter();
        for (i, t) in targets.iter().enumerate() {
            if let (Some(s), ExprKind::Starred(inner)) = (star, &t.kind) {
                let rest = items.len() - (n - 1 - s);
                let collected: Vec<Value> = items.by_ref().take(rest).collect();
                self.assign(inner, Value::list(collected), scope)?;
            } else {
                let _ = i;
                self.assign(t, items.next().expect("counted above"), scope)?;
            }
        }
        Ok(())
    }

    fn aug_assign(
        &mut self,
        target: &Expr,
        op: BinOp,
        value: &Expr,
        scope: &ScopeRef,
    ) -> Result<()> {
        let current = self.eval(target, scope)?;
        let rhs = self.eval(value, scope)?;
        // `list += iterable` extends the same list, as Python's __iadd__ does.
        if let (Value::List(l), BinOp::Add) = (&current, op) {
            let extra: Vec<Value> = self.iter(&rhs)?.collect::<Result<_>>()?;
            l.borrow_mut().extend(extra);
            return Ok(());
        }
        let result = ops::binary(op, &current, &rhs).map_err(|e| {
            if e.message.starts_with("unsupported operand") {
                Error::type_error(e.message.replacen(
                    &format!("for {}:", op.symbol()),
                    &format!("for {}=:", op.symbol()),
                    1,
                ))
            } else {
                e
            }
        })?;
        self.assign(target, result, scope)
    }

    fn delete(&mut self, target: &Expr, scope: &ScopeRef) -> Result<()> {
        match &target.kind {
            ExprKind::Name(n) => {
                if scope.borrow_mut().remove(n).is_none() {
                    return Err(
                        Error::new("NameError", format!("name '{n}' is not defined"))
                            .at(target.span),
                    );
                }
                Ok(())
            }
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                items.iter().try_for_each(|t| self.delete(t, scope))
            }
            ExprKind::Subscript { value, index } => {
                let obj = self.eval(value, scope)?;
                let index = self.eval_index(index, scope)?;
                super::subscript::del_item(&obj, &index)
            }
            _ => Err(Error::syntax("cannot delete expression", target.span)),
        }
    }

    fn import(&mut self, names: &[Alias]) -> Result<()> {
        for alias in names {
            let top = alias
                .name
                .name
                .split('.')
                .next()
                .unwrap_or_default()
                .to_string();
            let bound = alias
                .asname
                .as_ref()
                .map_or(top.clone(), |a| a.name.clone());
            let module = if alias.asname.is_some() {
                alias.name.name.clone()
            } else {
                top
            };
            self.set_global(&bound, Value::Module(module.as_str().into()));
        }
        Ok(())
    }

    /// `from X import a, b`: ormsh has no Python modules, so an import is
    /// accepted when the names it brings are ones the session already has.
    fn import_from(&mut self, module: &str, names: &[Alias]) -> Result<()> {
        for alias in names {
            if alias.name.name == "*" {
                continue;
            }
            // The database functions live in django.db.models.functions; the
            // rest of Django's names in django.db.models.
            let from_django = super::builtins::Builtin::by_name(&alias.name.name)
                .filter(|b| {
                    b.is_django()
                        && (module == "django.db.models.functions") == b.is_function()
                        && module.starts_with("django.db.models")
                })
                .map(Value::Builtin);
            // django.db.models modules hold only Django's names.
            let from_globals = || {
                (!module.starts_with("django.db.models"))
                    .then(|| Scope::lookup(&self.globals, &alias.name.name))
                    .flatten()
            };
            let value = from_django.or_else(from_globals).ok_or_else(|| {
                Error::new(
                    "ImportError",
                    format!("cannot import name '{}' from '{module}'", alias.name.name),
                )
                .at(alias.name.span)
            })?;
            let bound = alias.asname.as_ref().unwrap_or(&alias.name);
            self.set_global(&bound.name, value);
        }
        Ok(())
    }
}

/// A function's body: a lambda's expression or a `def`'s statements.
#[derive(Debug, Clone)]
pub enum FunctionBody {
    Expr(Expr),
    Block(Vec<Stmt>),
}

/// The names an `except` clause lists: `except KeyError` or `except (A, B)`.
fn exception_names(e: &Expr) -> Vec<String> {
    match &e.kind {
        ExprKind::Name(n) => vec![n.clone()],
        ExprKind::Attribute { attr, value } => match &value.kind {
            ExprKind::Name(m) => vec![format!("{m}.{}", attr.name)],
            _ => vec![attr.name.clone()],
        },
        ExprKind::Tuple(items) => items.iter().flat_map(exception_names).collect(),
        _ => Vec::new(),
    }
}

/// Whether `except <handler>` catches an exception of kind `raised`.
fn catches(handler: &str, raised: &str) -> bool {
    let family: &[&str] = match raised {
        "ZeroDivisionError" | "OverflowError" => &["ArithmeticError"],
        "KeyError" | "IndexError" => &["LookupError"],
        "RecursionError" | "NotImplementedError" => &["RuntimeError"],
        "ModuleNotFoundError" => &["ImportError"],
        _ => &[],
    };
    handler == raised
        || handler == "Exception"
        || handler == "BaseException"
        || family.contains(&handler)
}
