//! Compound statements: `for`, `while`, `with`, `try` and `raise`, with Python's exception matching.

use super::*;

impl Interp {
    pub(super) fn exec_for(
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

    pub(super) fn exec_while(
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
    pub(super) fn exec_with(
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
        if !matches!(
            manager,
            Value::Native(super::super::stdlib::Native::AtomicBlock)
        ) {
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
            .orm
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
    pub(super) fn with_local_context(
        &mut self,
        changes: &[(String, Value)],
        target: Option<&Expr>,
        rest: &[(Expr, Option<Expr>)],
        body: &[Stmt],
        scope: &ScopeRef,
    ) -> Result<Flow> {
        let saved = super::super::stdlib::decimal::enter_local(changes)?;
        let flow = (|| {
            if let Some(t) = target {
                self.assign(t, Value::DecimalContext(None), scope)?;
            }
            self.exec_with(rest, body, scope)
        })();
        super::super::stdlib::decimal::restore_context(saved);
        flow
    }

    pub(super) fn exec_try(
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

    pub(super) fn handle(
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
                    let object = super::super::exceptions::Exception::from_error(&error, class);
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
    pub(super) fn catches(&self, classes: &Value, raised: &str) -> Result<bool> {
        let related = |kind: &str| self.related_does_not_exist(kind);
        match classes {
            Value::ExcClass(c) => Ok(super::super::exceptions::is_subclass(
                raised, &c.name, &related,
            )),
            Value::UserClass(u) if u.exception.is_some() => Ok(
                super::super::exceptions::is_subclass(raised, &u.name, &related),
            ),
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
    pub(in crate::engine) fn exception_class(
        &self,
        kind: &str,
    ) -> Rc<super::super::exceptions::ExcClass> {
        super::super::exceptions::model_class_of(&self.orm.registry, kind)
    }

    /// For `Place.restaurant.RelatedObjectDoesNotExist`, the related
    /// model's `DoesNotExist`, which it derives from.
    pub(in crate::engine) fn related_does_not_exist(&self, kind: &str) -> Option<String> {
        let mut parts = kind.split('.');
        let (owner, accessor) = (parts.next()?, parts.next()?);
        let reg = &self.orm.registry;
        let id = reg.models.iter().position(|m| m.name == owner)?;
        let m = reg.model(id);
        // A child's (or proxy's) DoesNotExist derives from its parent's.
        if matches!(accessor, "DoesNotExist" | "MultipleObjectsReturned") && parts.next().is_none()
        {
            let parent = m.proxy_for.or(m.parents.first().map(|p| p.0))?;
            return Some(format!("{}.{accessor}", reg.model(parent).name));
        }
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
    pub(super) fn raise(
        &mut self,
        e: Option<&Expr>,
        cause: Option<&Expr>,
        scope: &ScopeRef,
    ) -> Error {
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
                match self.instantiate_class(&c, super::super::call::Args::default()) {
                    Ok(v) => v,
                    Err(e) => return e,
                }
            }
            other => other,
        };
        let object = match value {
            Value::ExcClass(c) => Rc::new(super::super::exceptions::Exception::new(c, Vec::new())),
            Value::Exception(x) => x,
            _ => return Error::type_error("exceptions must derive from BaseException"),
        };
        if let Some(c) = cause {
            let cause = match self.eval(c, scope) {
                Ok(v) => v,
                Err(err) => return err,
            };
            let cause = match cause {
                Value::ExcClass(c) => Value::Exception(Rc::new(
                    super::super::exceptions::Exception::new(c, Vec::new()),
                )),
                v @ (Value::Exception(_) | Value::None) => v,
                _ => {
                    return Error::type_error("exception causes must derive from BaseException");
                }
            };
            object.set_attr("__cause__", cause);
        }
        super::super::exceptions::Exception::to_error(&object)
    }
}
