//! Names and attributes: lookup, assignment, unpacking, augmented assignment and `del`.

use super::*;

impl Interp {
    // ---------------------------------------------------------------- names and targets

    pub(in crate::engine) fn lookup(&self, name: &str, scope: &ScopeRef) -> Result<Value> {
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
        if let Some(b) = super::super::builtins::Builtin::by_name(name).filter(|b| !b.is_function())
        {
            return Ok(Value::Builtin(b));
        }
        if let Some(c) = super::super::exceptions::builtin_class(name) {
            return Ok(c);
        }
        let mut err = Error::new("NameError", format!("name '{name}' is not defined"));
        let mut known = self.global_names();
        known.extend(super::super::builtins::Builtin::names().map(String::from));
        if let Some(near) = crate::suggest::nearest(name, known.iter().map(String::as_str)) {
            err = err.with_hint(format!("did you mean '{near}'?"));
        }
        Err(err)
    }

    pub(in crate::engine) fn assign(
        &mut self,
        target: &Expr,
        value: Value,
        scope: &ScopeRef,
    ) -> Result<()> {
        match &target.kind {
            ExprKind::Name(n) => scope.borrow_mut().set(n, value),
            ExprKind::Tuple(items) | ExprKind::List(items) => self.unpack(items, value, scope)?,
            ExprKind::Subscript { value: obj, index } => {
                let obj = self.eval(obj, scope)?;
                let index = self.eval_index(index, scope)?;
                super::super::subscript::set_item(&obj, &index, value)?;
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
    pub(in crate::engine) fn set_attr(
        &mut self,
        obj: &Value,
        name: &str,
        value: Value,
    ) -> Result<()> {
        match obj {
            Value::Instance(i) => self.py().set_instance_attr(i, name, value),
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
            Value::DecimalContext(None) => {
                super::super::stdlib::decimal::set_context_attr(name, &value)
            }
            _ => Err(Error::new(
                "AttributeError",
                format!("'{}' object has no attribute '{name}'", obj.type_name()),
            )),
        }
    }

    /// `del obj.name` and `delattr(obj, name)`.
    pub(in crate::engine) fn del_attr(&mut self, obj: &Value, name: &str) -> Result<()> {
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

    pub(super) fn unpack(
        &mut self,
        targets: &[Expr],
        value: Value,
        scope: &ScopeRef,
    ) -> Result<()> {
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

    pub(super) fn aug_assign(
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

    pub(super) fn delete(&mut self, target: &Expr, scope: &ScopeRef) -> Result<()> {
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
                super::super::subscript::del_item(&obj, &index)
            }
            ExprKind::Attribute { value, attr } => {
                let obj = self.eval(value, scope)?;
                self.del_attr(&obj, &attr.name).map_err(|e| e.at(attr.span))
            }
            _ => Err(Error::syntax("cannot delete expression", target.span)),
        }
    }
}
