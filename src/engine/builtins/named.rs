//! `type()`, `print()`, `sorted()`, `min()`/`max()`, `dict()`, `map()`/`filter()` and `getattr()`, which take keywords too.

use super::*;

impl Interp {
    /// `type(value)`: the builtin class, the model class, or the class by name.
    pub(in crate::engine) fn type_of(&self, v: &Value) -> Value {
        let builtin = match v {
            Value::Dict(d) if !matches!(d.borrow().kind, super::super::value::DictKind::Plain) => {
                None
            }
            Value::Int(_) | Value::BigInt(_) => Some(Builtin::Int),
            Value::Float(_) => Some(Builtin::Float),
            Value::Str(_) => Some(Builtin::Str),
            Value::Bool(_) => Some(Builtin::Bool),
            Value::List(_) => Some(Builtin::List),
            Value::Tuple(_) => Some(Builtin::Tuple),
            Value::Dict(_) => Some(Builtin::Dict),
            Value::Set(_) => Some(Builtin::Set),
            Value::Range { .. } => Some(Builtin::Range),
            _ => None,
        };
        if let Some(b) = builtin {
            return Value::Builtin(b);
        }
        if let Value::Instance(i) = v {
            return super::super::value::ModelClass::value(&self.orm.registry, i.borrow().model);
        }
        if let Value::Object(o) = v {
            return Value::UserClass(o.class.clone());
        }
        if let Value::Exception(e) = v
            && let Some(c) = super::super::classes::exception_class(&e.class.name)
        {
            return Value::UserClass(c);
        }
        use super::super::stdlib::{Native, datetime::Tz};
        let native = match v {
            Value::Dict(d) => match d.borrow().kind {
                super::super::value::DictKind::Plain
                | super::super::value::DictKind::MappingProxy => None,
                super::super::value::DictKind::Counter => Some(Native::Counter),
                super::super::value::DictKind::DefaultDict(_) => Some(Native::DefaultDict),
                super::super::value::DictKind::OrderedDict => Some(Native::OrderedDict),
            },
            Value::Date(_) => Some(Native::Date),
            Value::DateTime(..) => Some(Native::DateTime),
            Value::Time(_) => Some(Native::Time),
            Value::TimeDelta(_) => Some(Native::TimeDelta),
            Value::TzInfo(Tz::Utc | Tz::Fixed(_) | Tz::Named(..)) => Some(Native::Timezone),
            Value::TzInfo(Tz::Zone(_)) => Some(Native::ZoneInfo),
            Value::Decimal(_) => Some(Native::Decimal),
            Value::Uuid(_) => Some(Native::Uuid),
            Value::Path(_) => Some(Native::PathlibPosixPath),
            Value::Pattern(_) => Some(Native::RePattern),
            Value::RegexFlag(_) => Some(Native::ReRegexFlag),
            Value::Match(_) => Some(Native::ReMatchClass),
            _ => None,
        };
        if let Some(n) = native {
            return Value::Native(n);
        }
        if let Value::QuerySet(qs) = v
            && let Some(class) = &qs.class
        {
            return Value::UserClass(class.clone());
        }
        let name = match v {
            Value::None => "NoneType",
            Value::Decimal(_) => "decimal.Decimal",
            Value::Date(_) => "datetime.date",
            Value::DateTime(..) => "datetime.datetime",
            Value::TimeDelta(_) => "datetime.timedelta",
            Value::TzInfo(tz) => tz.type_name(),
            Value::Exception(e) => return Value::ExcClass(e.class.clone()),
            Value::Native(n) if n.is_class() => "type",
            Value::Time(_) => "datetime.time",
            Value::QuerySet(_) => "django.db.models.query.QuerySet",
            Value::Manager(_) => "django.db.models.manager.Manager",
            Value::Model(_) => "django.db.models.base.ModelBase",
            Value::Q(_) => "django.db.models.query_utils.Q",
            Value::Expr(_) => "django.db.models.expressions.F",
            Value::NamedRow(_) => "django.db.models.utils.Row",
            Value::Class(_) | Value::Builtin(_) if matches!(v, Value::Builtin(b) if b.is_type()) => {
                "type"
            }
            other => other.type_name(),
        };
        Value::Class(name.into())
    }

    pub(super) fn builtin_print(&mut self, mut args: Args) -> Result<Value> {
        let text_kw = |v: Option<Value>, name: &str, default: &str| -> Result<String> {
            match v {
                None | Some(Value::None) => Ok(default.to_string()),
                Some(Value::Str(s)) => Ok(s.to_string()),
                Some(other) => Err(Error::type_error(format!(
                    "{name} must be None or a string, not {}",
                    other.type_name()
                ))),
            }
        };
        let sep = text_kw(args.take_kw("sep"), "sep", " ")?;
        let end = text_kw(args.take_kw("end"), "end", "\n")?;
        args.take_kw("flush");
        if let Some((k, _)) = args.kw.first() {
            return Err(Error::type_error(format!(
                "'{k}' is an invalid keyword argument for print()"
            )));
        }
        let parts = args
            .pos
            .iter()
            .map(|v| self.str_value(v))
            .collect::<Result<Vec<String>>>()?;
        self.print_text(&format!("{}{}", parts.join(&sep), end))?;
        Ok(Value::None)
    }

    pub(super) fn builtin_sorted(&mut self, mut args: Args) -> Result<Value> {
        let key = args.take_kw("key").filter(|k| !matches!(k, Value::None));
        let reverse = args.take_kw("reverse").is_some_and(|r| r.truthy());
        args.no_kw("sort")?;
        if args.pos.len() != 1 {
            return Err(Error::type_error(format!(
                "sorted expected 1 argument, got {}",
                args.pos.len()
            )));
        }
        let items = self.collect(&args.pos[0])?;
        Ok(Value::list(self.sort_values(
            items,
            key.as_ref(),
            reverse,
        )?))
    }

    /// A stable sort with Python's comparison (and its TypeError), by `key`.
    pub(in crate::engine) fn sort_values(
        &mut self,
        items: Vec<Value>,
        key: Option<&Value>,
        reverse: bool,
    ) -> Result<Vec<Value>> {
        let mut keyed = Vec::with_capacity(items.len());
        for item in items {
            let k = match key {
                Some(f) => self.call(f, Args::positional(vec![item.clone()]))?,
                None => item.clone(),
            };
            keyed.push((k, item));
        }
        let mut failure = None;
        // Python's sort compares with `<` only and is stable, also when reversed.
        keyed.sort_by(|(a, _), (b, _)| {
            if failure.is_some() {
                return Ordering::Equal;
            }
            let (x, y) = if reverse { (a, b) } else { (b, a) };
            match ops::compare_op(crate::syntax::ast::CmpOp::Lt, y, x) {
                Ok(true) => Ordering::Less,
                Ok(false) => match ops::compare_op(crate::syntax::ast::CmpOp::Lt, x, y) {
                    Ok(true) => Ordering::Greater,
                    Ok(false) => Ordering::Equal,
                    Err(e) => {
                        failure = Some(e);
                        Ordering::Equal
                    }
                },
                Err(e) => {
                    failure = Some(e);
                    Ordering::Equal
                }
            }
        });
        match failure {
            Some(e) => Err(e),
            None => Ok(keyed.into_iter().map(|(_, v)| v).collect()),
        }
    }

    pub(super) fn builtin_min_max(&mut self, b: Builtin, mut args: Args) -> Result<Value> {
        let name = b.name();
        let key = args.take_kw("key").filter(|k| !matches!(k, Value::None));
        let default = args.take_kw("default");
        args.no_kw(name)?;
        let items = match args.pos.len() {
            0 => {
                return Err(Error::type_error(format!(
                    "{name} expected at least 1 argument, got 0"
                )));
            }
            1 => self.collect(&args.pos[0])?,
            _ => args.pos,
        };
        let mut best: Option<(Value, Value)> = None;
        for item in items {
            let k = match &key {
                Some(f) => self.call(f, Args::positional(vec![item.clone()]))?,
                None => item.clone(),
            };
            let better = match &best {
                None => true,
                Some((bk, _)) => {
                    let op = if b == Builtin::Max {
                        crate::syntax::ast::CmpOp::Gt
                    } else {
                        crate::syntax::ast::CmpOp::Lt
                    };
                    ops::compare_op(op, &k, bk)?
                }
            };
            if better {
                best = Some((k, item));
            }
        }
        match (best, default) {
            (Some((_, v)), _) => Ok(v),
            (None, Some(d)) => Ok(d),
            (None, None) => Err(Error::value_error(format!(
                "{name}() arg is an empty sequence"
            ))),
        }
    }

    pub(super) fn builtin_dict(&mut self, args: Args) -> Result<Value> {
        args.count("dict", 0, 1)?;
        let mut d = Dict::default();
        if let Some(src) = args.pos.first() {
            if let Value::Dict(other) = src {
                d = other.borrow().clone();
                d.kind = super::super::value::DictKind::Plain;
            } else {
                for (i, pair) in self.collect(src)?.into_iter().enumerate() {
                    let kv = self.collect(&pair).map_err(|_| {
                        Error::type_error(format!(
                            "cannot convert dictionary update sequence element #{i} to a sequence"
                        ))
                    })?;
                    if kv.len() != 2 {
                        return Err(Error::value_error(format!(
                            "dictionary update sequence element #{i} has length {}; 2 is required",
                            kv.len()
                        )));
                    }
                    d.insert(kv[0].clone(), kv[1].clone())?;
                }
            }
        }
        for (k, v) in args.kw {
            d.insert(Value::str(k), v)?;
        }
        Ok(Value::dict(d))
    }

    pub(super) fn builtin_map_filter(&mut self, b: Builtin, args: Args) -> Result<Value> {
        args.no_kw(b.name())?;
        if args.pos.len() < 2 {
            return Err(Error::type_error(format!(
                "{} expected 2 arguments, got {}",
                b.name(),
                args.pos.len()
            )));
        }
        let f = args.pos[0].clone();
        if b == Builtin::Map {
            return self.lazy_map(f, &args.pos[1..]);
        }
        if args.pos.len() > 2 {
            return Err(Error::type_error(format!(
                "filter expected 2 arguments, got {}",
                args.pos.len()
            )));
        }
        self.lazy_filter(f, &args.pos[1])
    }

    pub(super) fn builtin_getattr(&mut self, b: Builtin, args: Args) -> Result<Value> {
        args.count(b.name(), 2, if b == Builtin::Getattr { 3 } else { 2 })?;
        let Value::Str(attr) = &args.pos[1] else {
            return Err(Error::type_error("attribute name must be string"));
        };
        match (self.get_attr(&args.pos[0], attr), b, args.pos.get(2)) {
            (Ok(v), Builtin::Getattr, _) => Ok(v),
            (Ok(_), _, _) => Ok(Value::Bool(true)),
            // A related object's DoesNotExist is an AttributeError too.
            (Err(e), _, _)
                if !super::super::exceptions::is_subclass(&e.kind, "AttributeError", &|k| {
                    self.related_does_not_exist(k)
                }) =>
            {
                Err(e)
            }
            (Err(_), Builtin::Hasattr, _) => Ok(Value::Bool(false)),
            (Err(_), _, Some(default)) => Ok(default.clone()),
            (Err(e), _, None) => Err(e),
        }
    }
}
