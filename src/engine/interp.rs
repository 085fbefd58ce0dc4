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
    /// `help()` (no model) and `help(Model)`: the session's text, or the
    /// model's fields and relations.
    fn help(&mut self, registry: &Registry, model: Option<crate::schema::ModelId>) -> Result<()>;
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
    console: Rc<std::cell::RefCell<Option<Box<dyn Console>>>>,
    pub(super) call_depth: usize,
    pub(super) registry: Rc<Registry>,
    pub(super) db: Option<Rc<crate::db::Database>>,
    /// The exceptions whose `except` blocks are running, innermost last,
    /// for a bare `raise`.
    handling: Vec<Error>,
    /// Each app's models module namespace, by app label.
    pub(super) modules: std::collections::HashMap<String, ScopeRef>,
    /// Each model's class body namespace (its constants), by model id.
    pub(super) class_scopes: std::collections::HashMap<crate::schema::ModelId, ScopeRef>,
    /// The methods of prompt classes running, innermost last, with their
    /// class and object: what `super()` means.
    pub(super) method_context: Vec<(Rc<super::classes::UserClass>, Value)>,
    /// Whether an expression statement inside a block (`for`, `with`…)
    /// prints, as at Python's console; a `-c` cell prints only its own.
    pub display_nested: bool,
    /// How many blocks the running statement is inside.
    block_depth: usize,
    /// In the interpreter that runs a generator function's body: where
    /// `yield` suspends it to (see `generator_function`).
    pub(super) yielder: Option<super::generator_function::YielderRef>,
    /// How many `with transaction.atomic():` blocks are running here.
    pub(super) atomic_blocks: usize,
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
            console: Rc::new(std::cell::RefCell::new(Some(console))),
            call_depth: 0,
            registry: Rc::default(),
            db: None,
            handling: Vec::new(),
            modules: Default::default(),
            class_scopes: Default::default(),
            method_context: Vec::new(),
            display_nested: true,
            block_depth: 0,
            yielder: None,
            atomic_blocks: 0,
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
            Value::Exception(e) if e.class.name != "KeyError" => match self.orm_str(v) {
                Some(text) => text,
                None => {
                    let args = e.args.borrow().clone();
                    match args.as_slice() {
                        [] => Ok(String::new()),
                        [one] => self.str_value(one),
                        many => self.repr_value(&Value::tuple(many.to_vec())),
                    }
                }
            },
            Value::Instance(_)
            | Value::QuerySet(_)
            | Value::Manager(_)
            | Value::Object(_)
            | Value::Exception(_) => self.orm_str(v).unwrap_or_else(|| Ok(super::repr::str(v))),
            // A mappingproxy's text is its mapping's.
            Value::Dict(d) if matches!(d.borrow().kind, super::value::DictKind::MappingProxy) => {
                let mut plain = d.borrow().clone();
                plain.kind = super::value::DictKind::Plain;
                self.repr_value(&Value::dict(plain))
            }
            Value::List(_) | Value::Tuple(_) | Value::Dict(_) | Value::Set(_) => self.repr_value(v),
            Value::BigInt(b) => super::bigint::to_str(b),
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
            Value::QuerySet(qs) => Ok(!self.evaluate(qs)?.is_empty()),
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
        self.run_models_modules();
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

    /// An interpreter for a generator: the same scopes, database and
    /// console, its own call depth and handled exceptions.
    pub(super) fn fork(&self) -> Interp {
        Interp {
            globals: self.globals.clone(),
            console: self.console.clone(),
            call_depth: self.call_depth,
            registry: self.registry.clone(),
            db: self.db.clone(),
            handling: Vec::new(),
            modules: self.modules.clone(),
            class_scopes: self.class_scopes.clone(),
            method_context: Vec::new(),
            display_nested: self.display_nested,
            block_depth: 0,
            yielder: None,
            atomic_blocks: 0,
        }
    }

    pub fn finish_line(&mut self) -> Result<()> {
        match self.console.borrow_mut().as_mut() {
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
        match self.console.borrow_mut().as_mut() {
            Some(c) => c.print(text),
            None => Ok(()),
        }
    }

    /// `help()`: what the console has to say of the session or of a model.
    pub(super) fn help(&mut self, model: Option<crate::schema::ModelId>) -> Result<()> {
        let registry = self.registry.clone();
        match self.console.borrow_mut().as_mut() {
            Some(c) => c.help(&registry, model),
            None => Ok(()),
        }
    }

    fn display(&mut self, value: &Value) -> Result<()> {
        self.set_global("_", value.clone());
        // The console needs the interpreter (to run a queryset it is shown);
        // lend it out for the call.
        let Some(mut console) = self.console.borrow_mut().take() else {
            return Ok(());
        };
        let result = console.display(self, value);
        *self.console.borrow_mut() = Some(console);
        result
    }

    pub(super) fn exec_block(&mut self, body: &[Stmt], scope: &ScopeRef) -> Result<Flow> {
        self.block_depth += 1;
        let flow = self.exec_statements(body, scope);
        self.block_depth -= 1;
        flow
    }

    fn exec_statements(&mut self, body: &[Stmt], scope: &ScopeRef) -> Result<Flow> {
        for s in body {
            match self.exec(s, scope)? {
                Flow::Normal => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Normal)
    }

    /// Whether an expression statement's value is the console's to show:
    /// not a function body's, and in a cell only the cell's own.
    fn displays(&self) -> bool {
        self.call_depth == 0 && (self.display_nested || self.block_depth == 0)
    }

    /// Runs one statement in `scope` (a models module's namespace).
    pub(super) fn exec_in(&mut self, s: &Stmt, scope: &ScopeRef) -> Result<Flow> {
        self.exec(s, scope)
    }

    fn exec(&mut self, s: &Stmt, scope: &ScopeRef) -> Result<Flow> {
        if crate::limits::interrupted() {
            return Err(Error::new("KeyboardInterrupt", crate::limits::CANCELLED));
        }
        crate::limits::check_limits()?;
        self.exec_inner(s, scope).map_err(|e| e.at(s.span))
    }

    fn exec_inner(&mut self, s: &Stmt, scope: &ScopeRef) -> Result<Flow> {
        match &s.kind {
            StmtKind::Expr(e) => {
                let v = self.eval(e, scope)?;
                if !matches!(v, Value::None) && self.displays() {
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
            StmtKind::Raise { exc, cause } => {
                return Err(self.raise(exc.as_ref(), cause.as_ref(), scope));
            }
            StmtKind::FunctionDef(f) => {
                // Decorators are evaluated first and applied innermost first.
                let mut decorators = Vec::with_capacity(f.decorators.len());
                for d in &f.decorators {
                    decorators.push(self.eval(d, scope)?);
                }
                let mut func = self.make_function(
                    &f.name.name,
                    &f.params,
                    FunctionBody::of_def(&f.body),
                    scope,
                )?;
                for d in decorators.iter().rev() {
                    func = self.call(d, super::call::Args::positional(vec![func]))?;
                }
                scope.borrow_mut().set(&f.name.name, func);
            }
            StmtKind::Return(e) => {
                let v = match e {
                    Some(e) => self.eval(e, scope)?,
                    None => Value::None,
                };
                return Ok(Flow::Return(v));
            }
            StmtKind::Import(names) => self.import(names, scope)?,
            StmtKind::ImportFrom { module, names } => self.import_from(module, names, scope)?,
            StmtKind::Global { names, nonlocal } => {
                for n in names {
                    Scope::declare(scope, &n.name, *nonlocal)
                        .map_err(|m| Error::syntax(m, n.span))?;
                }
            }
            StmtKind::Pass => {}
            StmtKind::Break => return Ok(Flow::Break),
            StmtKind::Continue => return Ok(Flow::Continue),
            StmtKind::ClassDef(c) => {
                let class = self.define_class(c, scope)?;
                scope.borrow_mut().set(&c.name.name, class);
            }
            StmtKind::With { items, body } => return self.exec_with(items, body, scope),
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

    /// `with transaction.atomic():` (the one context manager a shell user
    /// meets): a savepoint, rolled back when the block raises.
    fn exec_with(
        &mut self,
        items: &[(Expr, Option<Expr>)],
        body: &[Stmt],
        scope: &ScopeRef,
    ) -> Result<Flow> {
        let Some(((context, target), rest)) = items.split_first() else {
            return self.exec_block(body, scope);
        };
        let manager = self.eval(context, scope)?;
        if let Value::DecimalContext(Some(changes)) = &manager {
            return self.with_local_context(changes, target.as_ref(), rest, body, scope);
        }
        if !matches!(manager, Value::Native(super::stdlib::Native::AtomicBlock)) {
            return Err(Error::type_error(format!(
                "'{}' object does not support the context manager protocol",
                manager.type_name()
            ))
            .at(context.span));
        }
        if let Some(t) = target {
            self.assign(t, manager.clone(), scope)?;
        }
        let writable = self
            .db
            .as_ref()
            .is_some_and(|db| db.check_writable().is_ok());
        if !writable {
            return self.exec_with(rest, body, scope);
        }
        self.atomic_blocks += 1;
        let flow = self.atomic(|interp| interp.exec_with(rest, body, scope));
        self.atomic_blocks -= 1;
        flow
    }

    /// `with decimal.localcontext(prec=3) as ctx:`: the block computes in a
    /// changed context, and the session's comes back however it ends.
    fn with_local_context(
        &mut self,
        changes: &[(String, Value)],
        target: Option<&Expr>,
        rest: &[(Expr, Option<Expr>)],
        body: &[Stmt],
        scope: &ScopeRef,
    ) -> Result<Flow> {
        let saved = super::stdlib::decimal::enter_local(changes)?;
        let flow = (|| {
            if let Some(t) = target {
                self.assign(t, Value::DecimalContext(None), scope)?;
            }
            self.exec_with(rest, body, scope)
        })();
        super::stdlib::decimal::restore_context(saved);
        flow
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
                // What ormsh cannot do is not the user's exception: only an
                // explicit `except NotImplementedError` takes it.
                _ if error.kind == "NotImplementedError" && error.payload.is_none() => {
                    match &h.kind {
                        Some(kind) => matches!(
                            self.eval(kind, scope)?,
                            Value::ExcClass(ref c) if c.name == "NotImplementedError"
                        ),
                        None => false,
                    }
                }
                None => true,
                Some(kind) => {
                    let classes = self.eval(kind, scope)?;
                    self.catches(&classes, &error.kind)?
                }
            };
            if matches {
                if let Some(name) = &h.name {
                    let class = self.exception_class(&error.kind);
                    let object = super::exceptions::Exception::from_error(&error, class);
                    scope.borrow_mut().set(&name.name, Value::Exception(object));
                }
                self.handling.push(error);
                let outcome = self.exec_block(&h.body, scope);
                self.handling.pop();
                if let Some(name) = &h.name {
                    // Python deletes the name at the end of the handler.
                    scope.borrow_mut().remove(&name.name);
                }
                return outcome;
            }
        }
        Err(error)
    }

    /// Whether `except <classes>` catches an error of kind `raised`.
    fn catches(&self, classes: &Value, raised: &str) -> Result<bool> {
        let related = |kind: &str| self.related_does_not_exist(kind);
        match classes {
            Value::ExcClass(c) => Ok(super::exceptions::is_subclass(raised, &c.name, &related)),
            Value::UserClass(u) if u.exception.is_some() => {
                Ok(super::exceptions::is_subclass(raised, &u.name, &related))
            }
            Value::Tuple(items) => {
                for c in items.iter() {
                    if self.catches(c, raised)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            _ => Err(Error::type_error(
                "catching classes that do not inherit from BaseException is not allowed",
            )),
        }
    }

    /// The class of an error's kind, with the module a model's lives in.
    pub(super) fn exception_class(&self, kind: &str) -> Rc<super::exceptions::ExcClass> {
        super::exceptions::class_of(kind, |owner| {
            self.registry
                .models
                .iter()
                .find(|m| m.name == owner && !m.auto_created)
                .map(|m| {
                    if m.app_label == "auth" {
                        "django.contrib.auth.models".to_string()
                    } else {
                        format!("{}.models", m.app_label)
                    }
                })
        })
    }

    /// For `Place.restaurant.RelatedObjectDoesNotExist`, the related
    /// model's `DoesNotExist`, which it derives from.
    pub(super) fn related_does_not_exist(&self, kind: &str) -> Option<String> {
        let mut parts = kind.split('.');
        let (owner, accessor) = (parts.next()?, parts.next()?);
        let reg = &self.registry;
        let id = reg.models.iter().position(|m| m.name == owner)?;
        let m = reg.model(id);
        let target = m
            .fields
            .iter()
            .find(|f| f.name == accessor)
            .and_then(|f| f.relation.as_ref().map(|r| r.target))
            .or_else(|| {
                reg.reverse_relations(id)
                    .into_iter()
                    .find(|r| r.accessor == accessor)
                    .map(|r| r.model)
            })?;
        Some(format!("{}.DoesNotExist", reg.model(target).name))
    }

    /// `raise X`, `raise X(...)`, `raise e`, and a bare `raise` that
    /// re-raises the exception being handled.
    fn raise(&mut self, e: Option<&Expr>, cause: Option<&Expr>, scope: &ScopeRef) -> Error {
        let Some(e) = e else {
            return match self.handling.last() {
                Some(current) => current.clone(),
                None => Error::new("RuntimeError", "No active exception to reraise"),
            };
        };
        let value = match self.eval(e, scope) {
            Ok(v) => v,
            Err(err) => return err,
        };
        let value = match value {
            Value::UserClass(c) if c.exception.is_some() => {
                match self.instantiate_class(&c, super::call::Args::default()) {
                    Ok(v) => v,
                    Err(e) => return e,
                }
            }
            other => other,
        };
        let object = match value {
            Value::ExcClass(c) => Rc::new(super::exceptions::Exception::new(c, Vec::new())),
            Value::Exception(x) => x,
            _ => return Error::type_error("exceptions must derive from BaseException"),
        };
        if let Some(c) = cause {
            let cause = match self.eval(c, scope) {
                Ok(v) => v,
                Err(err) => return err,
            };
            let cause = match cause {
                Value::ExcClass(c) => {
                    Value::Exception(Rc::new(super::exceptions::Exception::new(c, Vec::new())))
                }
                v @ (Value::Exception(_) | Value::None) => v,
                _ => {
                    return Error::type_error("exception causes must derive from BaseException");
                }
            };
            object.set_attr("__cause__", cause);
        }
        super::exceptions::Exception::to_error(&object)
    }

    // ---------------------------------------------------------------- names and targets

    pub(super) fn lookup(&self, name: &str, scope: &ScopeRef) -> Result<Value> {
        if Scope::unbound_local(scope, name) {
            return Err(Error::new(
                "UnboundLocalError",
                format!(
                    "cannot access local variable '{name}' where it is not associated with a value"
                ),
            ));
        }
        if let Some(v) = Scope::lookup(scope, name) {
            return Ok(v);
        }
        if let Some(b) = super::builtins::Builtin::by_name(name).filter(|b| !b.is_function()) {
            return Ok(Value::Builtin(b));
        }
        if let Some(c) = super::exceptions::builtin_class(name) {
            return Ok(c);
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
                return self
                    .set_attr(&obj, &attr.name, value)
                    .map_err(|e| e.at(attr.span));
            }
            _ => return Err(Error::syntax("cannot assign to expression", target.span)),
        }
        Ok(())
    }

    /// `obj.name = value` and `setattr(obj, name, value)`.
    pub(super) fn set_attr(&mut self, obj: &Value, name: &str, value: Value) -> Result<()> {
        match obj {
            Value::Instance(i) => self.set_instance_attr(i, name, value),
            Value::Exception(e) => {
                e.set_attr(name, value);
                Ok(())
            }
            Value::Object(o) => {
                o.attrs.borrow_mut().insert(name.to_string(), value);
                Ok(())
            }
            Value::UserClass(c) => {
                c.attrs.borrow_mut().insert(name.to_string(), value);
                Ok(())
            }
            Value::DecimalContext(None) => super::stdlib::decimal::set_context_attr(name, &value),
            _ => Err(Error::new(
                "AttributeError",
                format!("'{}' object has no attribute '{name}'", obj.type_name()),
            )),
        }
    }

    /// `del obj.name` and `delattr(obj, name)`.
    pub(super) fn del_attr(&mut self, obj: &Value, name: &str) -> Result<()> {
        let removed = match obj {
            Value::Object(o) => o.attrs.borrow_mut().shift_remove(name).is_some(),
            Value::UserClass(c) => {
                if c.attrs.borrow_mut().shift_remove(name).is_none() {
                    return Err(Error::new(
                        "AttributeError",
                        format!("type object '{}' has no attribute '{name}'", c.name),
                    ));
                }
                true
            }
            Value::Exception(e) => e.remove_attr(name),
            Value::Instance(_) => {
                return Err(Error::new(
                    "NotImplementedError",
                    "deleting a model instance's attribute (Django defers the field) is not supported yet",
                ));
            }
            _ => false,
        };
        if removed {
            return Ok(());
        }
        let owner = match obj {
            Value::Object(o) => o.class.name.clone(),
            other => other.type_name().to_string(),
        };
        Err(Error::new(
            "AttributeError",
            format!("'{owner}' object has no attribute '{name}'"),
        ))
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
            ExprKind::Attribute { value, attr } => {
                let obj = self.eval(value, scope)?;
                self.del_attr(&obj, &attr.name).map_err(|e| e.at(attr.span))
            }
            _ => Err(Error::syntax("cannot delete expression", target.span)),
        }
    }

    /// Whether `import name` finds a module: one of ormsh's, an app's
    /// (`shop`, `shop.models`), or any of Django's.
    fn module_exists(&self, name: &str) -> bool {
        let app = name.strip_suffix(".models").unwrap_or(name);
        super::stdlib::is_module(name)
            || name.starts_with("django.")
            || self.registry.apps.iter().any(|a| a.label == app)
    }

    fn no_module(name: &str, span: crate::syntax::Span) -> Error {
        Error::new("ModuleNotFoundError", format!("No module named '{name}'"))
            .at(span)
            .with_hint(super::stdlib::modules_hint())
    }

    fn import(&mut self, names: &[Alias], scope: &ScopeRef) -> Result<()> {
        for alias in names {
            let full = alias.name.name.as_str();
            // `import a.b.c` needs each of a, a.b and a.b.c.
            let mut prefix = String::new();
            for part in full.split('.') {
                if !prefix.is_empty() {
                    prefix.push('.');
                }
                prefix.push_str(part);
                if !self.module_exists(&prefix) {
                    let mut err = Self::no_module(&prefix, alias.name.span);
                    // A module that is not a package has no submodules.
                    if let Some((parent, _)) = prefix.rsplit_once('.')
                        && super::stdlib::is_module(parent)
                        && !super::stdlib::MODULES
                            .iter()
                            .any(|m| m.starts_with(&format!("{parent}.")))
                    {
                        err.message = format!("{}; '{parent}' is not a package", err.message);
                    }
                    return Err(err);
                }
            }
            let top = full.split('.').next().unwrap_or_default().to_string();
            let (bound, module) = match &alias.asname {
                Some(a) => (a.name.clone(), full.to_string()),
                None => (top.clone(), top),
            };
            scope
                .borrow_mut()
                .set(&bound, Value::Module(module.as_str().into()));
        }
        Ok(())
    }

    /// `from X import a, b`: a module of ormsh's gives its names; an app's
    /// models module gives what the session has from it (its models, the
    /// functions and constants of models.py).
    fn import_from(&mut self, module: &str, names: &[Alias], scope: &ScopeRef) -> Result<()> {
        let known = super::stdlib::is_module(module);
        if !self.module_exists(module) {
            let span = names.first().map(|a| a.name.span);
            let mut err = Error::new("ModuleNotFoundError", format!("No module named '{module}'"))
                .with_hint(super::stdlib::modules_hint());
            if let Some(span) = span {
                err = err.at(span);
            }
            return Err(err);
        }
        for alias in names {
            if alias.name.name == "*" {
                if known {
                    for name in super::stdlib::module_names(module) {
                        if let Some(v) = super::stdlib::module_attr(module, &name) {
                            scope.borrow_mut().set(&name, v);
                        }
                    }
                }
                continue;
            }
            let value = self.import_name(module, &alias.name.name).ok_or_else(|| {
                let mut err = Error::new(
                    "ImportError",
                    format!("cannot import name '{}' from '{module}'", alias.name.name),
                )
                .at(alias.name.span);
                if module.starts_with("django") {
                    err = err.with_hint(
                        "Django has more than ormsh does yet; this name is not supported",
                    );
                } else if known {
                    let names = super::stdlib::module_names(module);
                    if let Some(near) =
                        crate::suggest::nearest(&alias.name.name, names.iter().map(String::as_str))
                    {
                        err = err.with_hint(format!("did you mean '{near}'?"));
                    }
                }
                err
            })?;
            let bound = alias.asname.as_ref().unwrap_or(&alias.name);
            scope.borrow_mut().set(&bound.name, value);
        }
        Ok(())
    }

    fn import_name(&self, module: &str, name: &str) -> Option<Value> {
        // The database functions live in django.db.models.functions; the
        // rest of Django's names in django.db.models.
        let from_django = super::builtins::Builtin::by_name(name)
            .filter(|b| {
                b.is_django()
                    && (module == "django.db.models.functions") == b.is_function()
                    && module.starts_with("django.db.models")
            })
            .map(Value::Builtin);
        if from_django.is_some() {
            return from_django;
        }
        if let Some(v) = super::stdlib::module_attr(module, name) {
            return Some(v);
        }
        if let Some(v) = self.module_name(module, name) {
            return Some(v);
        }
        // The models modules hold what the session bound from them.
        let auth = module == "django.contrib.auth.models";
        if !auth && (super::stdlib::is_module(module) || module.starts_with("django")) {
            return None;
        }
        Scope::lookup(&self.globals, name)
            .filter(|v| !auth || matches!(v, Value::Model(m) if m.module == module))
    }
}

/// A function's body: a lambda's expression or a `def`'s statements.
#[derive(Debug, Clone)]
pub enum FunctionBody {
    Expr(Expr),
    Block(Vec<Stmt>),
    /// A body that yields: calling the function makes a generator.
    Generator(Vec<Stmt>),
}

impl FunctionBody {
    /// A `def`'s body, a generator's if it yields.
    pub(super) fn of_def(body: &[Stmt]) -> FunctionBody {
        if crate::syntax::ast::is_generator(body) {
            FunctionBody::Generator(body.to_vec())
        } else {
            FunctionBody::Block(body.to_vec())
        }
    }

    pub(super) fn statements(&self) -> &[Stmt] {
        match self {
            FunctionBody::Block(b) | FunctionBody::Generator(b) => b,
            FunctionBody::Expr(_) => &[],
        }
    }
}
