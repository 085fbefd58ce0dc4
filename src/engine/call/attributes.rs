//! `obj.name` on plain values: their attributes and methods, bound to them.

use super::*;

impl Interp {
    /// `obj.name` on plain values: their methods, bound to them.
    pub fn get_attr(&mut self, obj: &Value, name: &str) -> Result<Value> {
        if let Some(v) = self.class_instance_attr(obj, name)? {
            return Ok(v);
        }
        // A manager the class declares is the ORM's, not the constant.
        if let Value::Model(m) = obj
            && let Some(v) = self.class_constant(m.id, name)
            && crate::value::model::CustomManager::declared(name, &v).is_none()
        {
            return Ok(v);
        }
        if let (Value::Model(m), "DoesNotExist" | "MultipleObjectsReturned") = (obj, name) {
            let mut class = (*self.exception_class(&format!("{}.{name}", m.name))).clone_class();
            class.module = m.module.clone();
            return Ok(Value::ExcClass(Rc::new(class)));
        }
        if let Some(v) = self.py().orm_attr(obj, name)? {
            return Ok(v);
        }
        if super::super::methods::has_method(obj, name) {
            return Ok(Value::BoundMethod(Rc::new((obj.clone(), name.to_string()))));
        }
        if name == "__class__" && !matches!(obj, Value::Exception(_)) {
            return Ok(self.type_of(obj));
        }
        if let Value::RegexFlag(i) = obj
            && let Some(v) = super::super::stdlib::re::flag_attr(*i, name)
        {
            return Ok(v);
        }
        if let Value::DecimalContext(None) = obj {
            if let Some(v) = super::super::stdlib::decimal::context_attr(name) {
                return Ok(v);
            }
            if name == "clear_flags" {
                return Ok(Value::BoundMethod(Rc::new((obj.clone(), name.to_string()))));
            }
        }
        if let (Value::Builtin(super::super::builtins::Builtin::Dict), "fromkeys") = (obj, name) {
            return Ok(Value::BoundMethod(Rc::new((obj.clone(), name.to_string()))));
        }
        if let Value::Builtin(b) = obj
            && b.is_type()
            && let Some(instance) = b.instance()
            && super::super::methods::has_method(&instance, name)
        {
            return Ok(Value::MethodDescriptor(Rc::new((*b, name.to_string()))));
        }
        match (obj, name) {
            (Value::Range { start, .. }, "start") => return Ok(Value::Int(*start)),
            (Value::Range { stop, .. }, "stop") => return Ok(Value::Int(*stop)),
            (Value::Range { step, .. }, "step") => return Ok(Value::Int(*step)),
            (Value::Function(f), "__name__") => return Ok(Value::str(f.name.as_str())),
            (Value::Builtin(b), "__name__" | "__qualname__") => return Ok(Value::str(b.name())),
            (Value::Class(c), "__name__" | "__qualname__") => {
                return Ok(Value::str(c.rsplit('.').next().unwrap_or(c)));
            }
            (Value::Class(c), "__module__") => {
                return Ok(Value::str(
                    c.rsplit_once('.').map_or("builtins", |(m, _)| m),
                ));
            }
            (Value::Function(f), "__doc__") => {
                let doc = match f.body.statements().first().map(|s| &s.kind) {
                    Some(crate::syntax::ast::StmtKind::Expr(e)) => match &e.kind {
                        crate::syntax::ast::ExprKind::Str(s) => Some(Value::str(s.as_str())),
                        _ => None,
                    },
                    _ => None,
                };
                return Ok(doc.unwrap_or(Value::None));
            }
            (Value::Module(m), _) if super::super::stdlib::module_attr(m, name).is_some() => {
                return Ok(super::super::stdlib::module_attr(m, name).unwrap_or(Value::None));
            }
            (Value::Module(m), _) if self.source_module_exists(m) => {
                if let Some(v) = self.source_attr(m, name)? {
                    return Ok(v);
                }
                return Err(Error::new(
                    "AttributeError",
                    format!("module '{m}' has no attribute '{name}'"),
                ));
            }
            (Value::Module(m), _) if &**m == "django.db.models" => {
                if let Some(b) = super::super::builtins::Builtin::by_name(name)
                    .filter(|b| b.is_django() && !b.is_function())
                {
                    return Ok(Value::Builtin(b));
                }
            }
            _ => return self.special_attr(obj, name),
        }
        let mut err = Error::new("AttributeError", attribute_message(obj, name));
        if let Some(near) = crate::suggest::nearest(
            name,
            super::super::methods::method_names(obj).iter().copied(),
        ) {
            err = err.with_hint(format!("did you mean '{near}'?"));
        }
        Err(err)
    }

    /// Attributes of prompt classes, their objects and exceptions, and
    /// `super()`; None when `obj` is none of them or has no such name.
    fn class_instance_attr(&mut self, obj: &Value, name: &str) -> Result<Option<Value>> {
        match obj {
            Value::Object(o) => {
                if let Some(v) = self.object_attr(obj, &o.class.clone(), name) {
                    return Ok(Some(v));
                }
            }
            Value::Exception(e) if e.class.module == "__main__" => {
                if let Some(v) = e.attr(name) {
                    return Ok(Some(v));
                }
                if let Some(class) = super::super::classes::exception_class(&e.class.name)
                    && let Some(v) = self.object_attr(obj, &class, name)
                {
                    return Ok(Some(v));
                }
            }
            Value::UserClass(c) => {
                if name == "__name__" || name == "__qualname__" {
                    return Ok(Some(Value::str(c.name.as_str())));
                }
                if name == "__module__" {
                    return Ok(Some(Value::str("__main__")));
                }
                if let Some((_, v)) = c.lookup(name) {
                    return Ok(Some(v));
                }
                use super::super::stdlib::Native;
                let made = match name {
                    "as_manager" if c.derives_from_native(Native::DjQuerySet) => {
                        Some(Native::DjAsManager)
                    }
                    "from_queryset" if c.derives_from_native(Native::DjManager) => {
                        Some(Native::DjFromQueryset)
                    }
                    _ => None,
                };
                if let Some(n) = made {
                    return Ok(Some(Value::Bound(Rc::new((n, vec![obj.clone()])))));
                }
            }
            Value::Super(s) => {
                let (owner, this) = (s.0.clone(), s.1.clone());
                return self.super_attr(&owner, &this, name).map(Some);
            }
            _ => {}
        }
        Ok(None)
    }

    fn special_attr(&mut self, obj: &Value, name: &str) -> Result<Value> {
        match (obj, name) {
            (Value::Module(m), _) => {
                let app = m.trim_end_matches(".models");
                if let Some(id) = self.orm.registry.find(&format!("{app}.{name}")) {
                    return Ok(super::super::value::ModelClass::value(
                        &self.orm.registry,
                        id,
                    ));
                }
            }
            (Value::Model(m), "__name__") => return Ok(Value::str(m.name.as_str())),
            (
                Value::Date(_)
                | Value::DateTime(..)
                | Value::Time(_)
                | Value::TimeDelta(_)
                | Value::TzInfo(_),
                _,
            ) => {
                if let Some(v) = super::super::stdlib::datetime::attr(obj, name) {
                    return Ok(v);
                }
            }
            (Value::Pattern(p), _) if super::super::stdlib::re::pattern_attr(p, name).is_some() => {
                return Ok(super::super::stdlib::re::pattern_attr(p, name).unwrap_or(Value::None));
            }
            (Value::Match(m), _) if super::super::stdlib::re::match_attr(m, name).is_some() => {
                return Ok(super::super::stdlib::re::match_attr(m, name).unwrap_or(Value::None));
            }
            (Value::Path(p), _) if super::super::stdlib::os::path_attr(p, name).is_some() => {
                return Ok(super::super::stdlib::os::path_attr(p, name).unwrap_or(Value::None));
            }
            (Value::Uuid(u), _) if super::super::stdlib::uuid::attr(*u, name).is_some() => {
                return Ok(super::super::stdlib::uuid::attr(*u, name).unwrap_or(Value::None));
            }
            (Value::Native(n), "__name__") => return Ok(Value::str(n.name())),
            (Value::Native(n), "__module__") => {
                let module = n.qualname().rsplit_once('.').map_or("", |(m, _)| m);
                return Ok(Value::str(module));
            }
            (Value::Native(n), _) => {
                if let Some(v) = super::super::stdlib::class_attr(*n, name) {
                    return Ok(v);
                }
            }
            (Value::Model(m), "__module__") => return Ok(Value::str(m.module.as_str())),
            (Value::Exception(e), _) if e.attr(name).is_some() => {
                return Ok(e.attr(name).unwrap_or(Value::None));
            }
            (Value::ExcClass(c), "__name__") => return Ok(Value::str(c.short_name())),
            (Value::ExcClass(c), "__qualname__") => return Ok(Value::str(c.name.as_str())),
            (Value::ExcClass(c), "__module__") => return Ok(Value::str(c.module.as_str())),
            _ => {}
        }
        let mut err = Error::new("AttributeError", attribute_message(obj, name));
        if let Some(near) = crate::suggest::nearest(
            name,
            super::super::methods::method_names(obj).iter().copied(),
        ) {
            err = err.with_hint(format!("did you mean '{near}'?"));
        }
        Err(err)
    }
}
