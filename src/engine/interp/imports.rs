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
                if !self.module_exists(&prefix) {
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
        // The models modules hold what the session bound from them.
        let auth = module == "django.contrib.auth.models";
        if !auth && (super::super::stdlib::is_module(module) || module.starts_with("django")) {
            return None;
        }
        Scope::lookup(&self.globals, name)
            .filter(|v| !auth || matches!(v, Value::Model(m) if m.module == module))
    }
}
