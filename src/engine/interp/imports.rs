//! `import` and `from … import`: ormsh's modules, the apps' models modules and Django's names.

use super::*;

impl Interp {
    /// Whether `import name` finds a module: one of ormsh's, an app's
    /// (`shop`, `shop.models`), or any of Django's.
    pub(super) fn module_exists(&self, name: &str) -> bool {
        let app = name.strip_suffix(".models").unwrap_or(name);
        super::super::stdlib::is_module(name)
            || name.starts_with("django.")
            || self.orm.registry.apps.iter().any(|a| a.label == app)
            || self.source_module_exists(name)
    }

    /// The namespace of a module read from source, run on first import;
    /// None for every other kind of module.
    fn source_scope(&mut self, name: &str) -> Result<Option<ScopeRef>> {
        if let Some(scope) = self.loaded_source(name) {
            return Ok(Some(scope));
        }
        if !self.source_module_exists(name) {
            return Ok(None);
        }
        self.import_source(name)
    }

    pub(super) fn no_module(name: &str, span: crate::syntax::Span) -> Error {
        Error::new("ModuleNotFoundError", format!("No module named '{name}'"))
            .at(span)
            .with_hint(super::super::stdlib::modules_hint())
    }

    pub(super) fn import(&mut self, names: &[Alias], scope: &ScopeRef) -> Result<()> {
        for alias in names {
            let full = alias.name.name.as_str();
            // `import a.b.c` needs each of a, a.b and a.b.c.
            let mut prefix = String::new();
            for part in full.split('.') {
                if !prefix.is_empty() {
                    prefix.push('.');
                }
                prefix.push_str(part);
                if self.source_scope(&prefix)?.is_none() && !self.module_exists(&prefix) {
                    let mut err = Self::no_module(&prefix, alias.name.span);
                    // A module that is not a package has no submodules.
                    if let Some((parent, _)) = prefix.rsplit_once('.')
                        && super::super::stdlib::is_module(parent)
                        && !super::super::stdlib::MODULES
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
    pub(super) fn import_from(
        &mut self,
        module: &str,
        names: &[Alias],
        scope: &ScopeRef,
    ) -> Result<()> {
        let absolute = self.absolute_module(module, scope)?;
        if let Some(source) = self.source_scope(&absolute)? {
            return self.import_from_source(&absolute, &source, names, scope);
        }
        let module = absolute.as_str();
        let known = super::super::stdlib::is_module(module);
        if !self.module_exists(module) {
            let span = names.first().map(|a| a.name.span);
            let mut err = Error::new("ModuleNotFoundError", format!("No module named '{module}'"))
                .with_hint(super::super::stdlib::modules_hint());
            if let Some(span) = span {
                err = err.at(span);
            }
            return Err(err);
        }
        for alias in names {
            if alias.name.name == "*" {
                if known {
                    for name in super::super::stdlib::module_names(module) {
                        if let Some(v) = super::super::stdlib::module_attr(module, &name) {
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
                    let names = super::super::stdlib::module_names(module);
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

    pub(super) fn import_name(&self, module: &str, name: &str) -> Option<Value> {
        // The database functions live in django.db.models.functions; the
        // rest of Django's names in django.db.models.
        let from_django = super::super::builtins::Builtin::by_name(name)
            .filter(|b| {
                b.is_django()
                    && (module == "django.db.models.functions") == b.is_function()
                    && module.starts_with("django.db.models")
            })
            .map(Value::Builtin);
        if from_django.is_some() {
            return from_django;
        }
        if let Some(v) = super::super::stdlib::module_attr(module, name) {
            return Some(v);
        }
        if let Some(v) = self.module_name(module, name) {
            return Some(v);
        }
        let registry = &self.orm.registry;
        if module.starts_with("django.contrib.")
            && let Some(id) = registry
                .models
                .iter()
                .position(|m| !m.auto_created && m.name == name && m.python_module() == module)
        {
            return Some(crate::value::ModelClass::value(registry, id));
        }
        // The models modules hold what the session bound from them.
        let auth = module == "django.contrib.auth.models";
        if !auth && (super::super::stdlib::is_module(module) || module.starts_with("django")) {
            return None;
        }
        Scope::lookup(&self.globals, name)
            .filter(|v| !auth || matches!(v, Value::Model(m) if m.module == module))
    }

    /// `from pkg.mod import a, *` of a module read from source: its names,
    /// or a submodule of a package.
    fn import_from_source(
        &mut self,
        module: &str,
        source: &ScopeRef,
        names: &[Alias],
        scope: &ScopeRef,
    ) -> Result<()> {
        for alias in names {
            let name = alias.name.name.as_str();
            if name == "*" {
                for (n, v) in self.public_names(source)? {
                    scope.borrow_mut().set(&n, v);
                }
                continue;
            }
            let sub = format!("{module}.{name}");
            let value = match Scope::lookup(source, name) {
                Some(v) => v,
                None if self.import_source(&sub)?.is_some() => Value::Module(sub.as_str().into()),
                None => {
                    return Err(Error::new(
                        "ImportError",
                        format!("cannot import name '{name}' from '{module}'"),
                    )
                    .at(alias.name.span));
                }
            };
            let bound = alias.asname.as_ref().unwrap_or(&alias.name);
            scope.borrow_mut().set(&bound.name, value);
        }
        Ok(())
    }
}
