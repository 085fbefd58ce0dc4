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

mod control;
mod imports;
mod names;

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
    /// The models and the database, which the ORM works on.
    pub(super) orm: crate::orm::Orm,
    /// The exceptions whose `except` blocks are running, innermost last,
    /// for a bare `raise`.
    handling: Vec<Error>,
    /// Each app's models module namespace, by app label.
    pub(super) modules: std::collections::HashMap<String, ScopeRef>,
    /// Each models file's namespace, by path (the files of a package).
    pub(super) file_modules: std::collections::HashMap<std::path::PathBuf, ScopeRef>,
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
    /// Modules read from source files, shared with forked interpreters.
    pub(super) sources: Rc<std::cell::RefCell<super::sources::Sources>>,
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
            orm: Default::default(),
            handling: Vec::new(),
            modules: Default::default(),
            file_modules: Default::default(),
            class_scopes: Default::default(),
            method_context: Vec::new(),
            display_nested: true,
            block_depth: 0,
            yielder: None,
            atomic_blocks: 0,
            sources: Default::default(),
        }
    }

    pub fn set_database(&mut self, db: Rc<crate::db::Database>) {
        self.orm.db = Some(db);
    }

    /// `repr(value)` for any value, instances and querysets included.
    pub fn repr_value(&mut self, v: &Value) -> Result<String> {
        super::repr::repr_with(v, &mut |x| self.object_repr(x))
    }

    /// `str(value)` for any value: an instance's `__str__`, a string itself.
    pub fn str_value(&mut self, v: &Value) -> Result<String> {
        match v {
            Value::Exception(e) if e.class.name != "KeyError" => match self.object_str(v) {
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
            | Value::Meta(_)
            | Value::Object(_)
            | Value::Exception(_) => self
                .object_str(v)
                .unwrap_or_else(|| Ok(super::repr::str(v))),
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
            Value::QuerySet(qs) => Ok(!self.py().evaluate(qs)?.is_empty()),
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
        self.orm.registry = registry;
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
            orm: self.orm.clone(),
            handling: Vec::new(),
            modules: self.modules.clone(),
            file_modules: self.file_modules.clone(),
            class_scopes: self.class_scopes.clone(),
            method_context: Vec::new(),
            display_nested: self.display_nested,
            block_depth: 0,
            yielder: None,
            atomic_blocks: 0,
            sources: self.sources.clone(),
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
        let registry = self.orm.registry.clone();
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

    /// Runs one statement in `scope` (a module's namespace): a module's
    /// bare expressions (docstrings, `...`) are not echoed, as only the
    /// console echoes.
    pub(super) fn exec_in(&mut self, s: &Stmt, scope: &ScopeRef) -> Result<Flow> {
        self.call_depth += 1;
        let flow = self.exec(s, scope);
        self.call_depth -= 1;
        flow
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
            StmtKind::Assert { test, msg } => self.assert(test, msg.as_ref(), scope)?,
            StmtKind::Raise { exc, cause } => {
                return Err(self.raise(exc.as_ref(), cause.as_ref(), scope));
            }
            StmtKind::FunctionDef(f) => self.define_function(f, scope)?,
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

    /// `assert test, msg`: AssertionError with `str(msg)` when the test fails.
    fn assert(&mut self, test: &Expr, msg: Option<&Expr>, scope: &ScopeRef) -> Result<()> {
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
        Ok(())
    }

    /// `def`: the function, its decorators applied innermost first.
    fn define_function(&mut self, f: &FunctionDef, scope: &ScopeRef) -> Result<()> {
        // Decorators are evaluated first and applied innermost first.
        let mut decorators = Vec::with_capacity(f.decorators.len());
        for d in &f.decorators {
            decorators.push(self.eval(d, scope)?);
        }
        let mut func =
            self.make_function(&f.name.name, &f.params, FunctionBody::of_def(f), scope)?;
        for d in decorators.iter().rev() {
            func = self.call(d, super::call::Args::positional(vec![func]))?;
        }
        scope.borrow_mut().set(&f.name.name, func);
        Ok(())
    }
}

pub use crate::value::FunctionBody;
