//! Each app's models module as a namespace: its imports, functions and
//! assignments run at start-up, so that a field's `default=make_token`, a
//! model method and `from shop.models import helper` mean what they mean
//! in Django. Model methods are functions of that namespace, called with
//! the instance as `self`.

use super::interp::{FunctionBody, Interp};
use super::scope::{Scope, ScopeRef};
use super::value::{ModelClass, Value};
use crate::error::{Error, Result};
use crate::schema::{Field, ModelId};
use std::rc::Rc;

/// Names of Django's own Model methods: a models.py method of the same
/// name (`save` that calls `super().save()`) is not run in their place.
const DJANGO_METHODS: &[&str] = &["save", "delete", "refresh_from_db", "full_clean"];

impl Interp {
    /// Runs every app's module code in a namespace of its own. What cannot
    /// run (an import of a package ormsh lacks) is passed over, as the
    /// loader passes over what it cannot read.
    pub(super) fn run_models_modules(&mut self) {
        let registry = self.orm.registry.clone();
        // Every models module is placed first, so that one importing
        // another (`from .question import Question` in a models package)
        // finds it, with the model classes already bound.
        let scopes: Vec<ScopeRef> = registry
            .apps
            .iter()
            .map(|app| {
                let scope = Scope::root();
                for (id, m) in registry.models.iter().enumerate() {
                    if !m.auto_created {
                        scope
                            .borrow_mut()
                            .set(&m.name, ModelClass::value(&registry, id));
                    }
                }
                if let Some(path) = &app.path {
                    self.place_models_module(path, &scope);
                }
                scope
            })
            .collect();
        for (app, scope) in registry.apps.iter().zip(scopes) {
            for stmt in &app.module {
                // A statement that cannot run leaves its names unbound, not
                // at an earlier value: using them is then a NameError.
                if self.exec_module_stmt(stmt, &scope).is_err() {
                    for name in crate::syntax::ast::local_names(std::slice::from_ref(stmt)) {
                        scope.borrow_mut().remove(&name);
                    }
                }
            }
            // A package's files are one app: `from app.models import X` is
            // its `__init__.py` (or its models.py), each model's own file
            // the namespace its class body runs in.
            let is_package_face = app
                .path
                .as_ref()
                .and_then(|p| p.file_stem())
                .is_none_or(|s| s == "__init__" || s == "models");
            if is_package_face || !self.modules.contains_key(&app.label) {
                self.modules.insert(app.label.clone(), scope.clone());
            }
            if let Some(path) = &app.path {
                self.file_modules.insert(path.clone(), scope);
            }
        }
        // Each class body's constants, in the order it assigns them.
        for (id, m) in registry.models.iter().enumerate() {
            if m.class_attrs.is_empty() {
                continue;
            }
            let Some(module) = self.model_module(id) else {
                continue;
            };
            let body = Scope::child(&module);
            for (name, expr) in &m.class_attrs {
                match self.eval(expr, &body) {
                    Ok(v) => body.borrow_mut().set(name, v),
                    Err(_) => {
                        body.borrow_mut().remove(name);
                    }
                }
            }
            self.class_scopes.insert(id, body);
        }
    }

    /// `Model.NAME` (and `instance.NAME`) of a class body's constant.
    pub(super) fn class_constant(&self, model: ModelId, name: &str) -> Option<Value> {
        let scope = self.class_scopes.get(&model)?;
        let s = scope.borrow();
        s.names()
            .any(|n| n == name)
            .then(|| Scope::lookup(scope, name))
            .flatten()
    }

    fn exec_module_stmt(
        &mut self,
        stmt: &crate::syntax::ast::Stmt,
        scope: &ScopeRef,
    ) -> Result<()> {
        self.exec_in(stmt, scope).map(|_| ())
    }

    /// The namespace of `app`'s models module.
    pub(super) fn module_scope(&self, app: &str) -> Option<ScopeRef> {
        self.modules.get(app).cloned()
    }

    /// The namespace of the module a model is defined in (a file of a
    /// models package, or its app's models module).
    pub(super) fn model_module(&self, model: ModelId) -> Option<ScopeRef> {
        let m = self.orm.registry.model(model);
        m.file
            .as_ref()
            .and_then(|f| self.file_modules.get(f).cloned())
            .or_else(|| self.module_scope(&m.app_label))
    }

    /// A dotted name (`get_default_r`, `timezone.now`) in `app`'s models module.
    pub(super) fn module_value(&mut self, app: &str, dotted: &str) -> Result<Value> {
        let scope = self
            .module_scope(app)
            .unwrap_or_else(|| self.globals.clone());
        let mut parts = dotted.split('.');
        let mut v = self.lookup(parts.next().unwrap_or_default(), &scope)?;
        for p in parts {
            v = self.get_attr(&v, p)?;
        }
        Ok(v)
    }

    /// `from shop.models import name`: what the module defines.
    pub(super) fn module_name(&self, module: &str, name: &str) -> Option<Value> {
        let app = module.strip_suffix(".models").unwrap_or(module);
        let scope = self.module_scope(app)?;
        Scope::lookup(&scope, name)
    }

    /// A models.py method of the instance's model, if it has one by `name`
    /// (Django's own methods keep theirs). A `@property` is its value.
    pub(super) fn model_method(
        &mut self,
        instance: &Value,
        model: ModelId,
        name: &str,
    ) -> Result<Option<Value>> {
        if DJANGO_METHODS.contains(&name) {
            return Ok(None);
        }
        let registry = self.orm.registry.clone();
        let m = registry.model(model);
        let Some(def) = m.methods.iter().find(|f| f.name.name == name) else {
            return Ok(None);
        };
        let decorators: Vec<String> = def
            .decorators
            .iter()
            .filter_map(crate::schema::dotted_name)
            .collect();
        if let Some(d) = decorators.iter().find(|d| {
            !matches!(
                d.as_str(),
                "property" | "cached_property" | "functools.cached_property" | "admin.display"
            )
        }) {
            return Err(Error::new(
                "NotImplementedError",
                format!(
                    "{}.{name} is decorated with @{d}, which ormsh does not run yet",
                    m.name
                ),
            ));
        }
        let scope = self
            .model_module(model)
            .unwrap_or_else(|| self.globals.clone());
        let function = self.make_function(
            &def.name.name,
            &def.params,
            FunctionBody::of_def(def),
            &scope,
        )?;
        let bound = Value::Method(Rc::new((function, instance.clone())));
        if decorators.iter().any(|d| d.ends_with("property")) {
            return self.call(&bound, super::call::Args::default()).map(Some);
        }
        Ok(Some(bound))
    }

    /// Django's `Field.get_default()`: the `default=` evaluated in the
    /// models module and called when callable (`date.today`, `timezone.now`,
    /// a function of models.py), else '' for a text field that is not null,
    /// else None.
    pub(super) fn field_default(&mut self, model: ModelId, f: &Field) -> Result<Value> {
        use crate::schema::Literal;
        // Constants (and choices members, which the loader resolved) as read.
        let expr = match (&f.default, &f.default_expr) {
            (Some(Literal::None), _) => return Ok(Value::None),
            (Some(Literal::Int(i)), _) => return Ok(Value::Int(*i)),
            (Some(Literal::Float(x)), _) => return Ok(Value::Float(*x)),
            (Some(Literal::Bool(b)), _) => return Ok(Value::Bool(*b)),
            (Some(Literal::Str(s)), _) => return Ok(Value::str(s.as_str())),
            (Some(_), Some(expr)) => expr,
            _ if f.kind.is_text() && !f.null => return Ok(Value::str("")),
            _ => return Ok(Value::None),
        };
        // Evaluated in the class body (`default=REGULAR`), else the module.
        let scope = self
            .class_scopes
            .get(&model)
            .cloned()
            .or_else(|| self.model_module(model))
            .unwrap_or_else(|| self.globals.clone());
        let value = self.eval(expr, &scope).map_err(|e| {
            Error::new(
                e.kind.clone(),
                format!(
                    "{} (evaluating the default of field '{}')",
                    e.message, f.name
                ),
            )
        })?;
        let callable = matches!(
            value,
            Value::Function(_) | Value::Native(_) | Value::Builtin(_) | Value::BoundMethod(_)
        );
        if callable {
            self.call(&value, super::call::Args::default())
        } else {
            Ok(value)
        }
    }
}
