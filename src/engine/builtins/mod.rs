//! Python's builtin functions and types, with their messages.

use super::call::Args;
use super::interp::Interp;
use super::ops;
use super::repr::{str, str_repr};
use super::value::{Dict, Set, Value};
use crate::error::{Error, Result};
use std::cmp::Ordering;

pub use crate::value::builtin::{Builtin, int_arg, range_len};

mod convert;

pub use convert::len;
use convert::{is_instance, is_subclass, make_range, round, to_float, to_int};

mod named;
mod positional;

impl Interp {
    pub(super) fn call_builtin(&mut self, b: Builtin, mut args: Args) -> Result<Value> {
        let name = b.name();
        match b {
            Builtin::Print => self.builtin_print(args),
            Builtin::Sorted => self.builtin_sorted(args),
            Builtin::Min | Builtin::Max => self.builtin_min_max(b, args),
            Builtin::Dict => self.builtin_dict(args),
            Builtin::Map | Builtin::Filter => self.builtin_map_filter(b, args),
            Builtin::Getattr | Builtin::Hasattr => self.builtin_getattr(b, args),
            Builtin::Setattr | Builtin::Delattr => {
                args.no_kw(name)?;
                let n = if b == Builtin::Setattr { 3 } else { 2 };
                if args.pos.len() != n {
                    return Err(Error::type_error(format!(
                        "{name} expected {n} arguments, got {}",
                        args.pos.len()
                    )));
                }
                let Value::Str(attr) = &args.pos[1] else {
                    return Err(Error::type_error(format!(
                        "attribute name must be string, not '{}'",
                        args.pos[1].type_name()
                    )));
                };
                if b == Builtin::Setattr {
                    self.set_attr(&args.pos[0], attr, args.pos[2].clone())?;
                } else {
                    self.del_attr(&args.pos[0], attr)?;
                }
                Ok(Value::None)
            }
            Builtin::Sum => {
                let start = args.take_kw("start");
                args.no_kw(name)?;
                args.count(name, 1, 2)?;
                let mut total = args.pos.get(1).cloned().or(start).unwrap_or(Value::Int(0));
                if matches!(total, Value::Str(_)) {
                    return Err(Error::type_error(
                        "sum() can't sum strings [use ''.join(seq) instead]",
                    ));
                }
                for item in self.iter(&args.pos[0])? {
                    total = ops::binary(crate::syntax::ast::BinOp::Add, &total, &item?)?;
                }
                Ok(total)
            }
            _ => self.call_builtin_django(b, args),
        }
    }

    fn call_builtin_django(&mut self, b: Builtin, mut args: Args) -> Result<Value> {
        let name = b.name();
        match b {
            Builtin::Enumerate => {
                let start = args.take_kw("start");
                args.no_kw(name)?;
                args.count(name, 1, 2)?;
                let start = int_arg(args.pos.get(1).or(start.as_ref()).unwrap_or(&Value::Int(0)))?;
                self.lazy_enumerate(&args.pos[0], start)
            }
            Builtin::Q => Ok(Value::Q(std::rc::Rc::new(super::expr::QValue::new(
                args.pos, args.kw,
            )?))),
            Builtin::F | Builtin::ExprValue => {
                args.no_kw(name)?;
                args.count(name, 1, 1)?;
                let e = match (b, &args.pos[0]) {
                    (Builtin::F, Value::Str(s)) => super::expr::Expression::F(s.to_string()),
                    (Builtin::F, other) => {
                        return Err(Error::type_error(format!(
                            "F() takes a field name, not {}",
                            other.type_name()
                        )));
                    }
                    (_, v) => super::expr::Expression::Value(v.clone()),
                };
                Ok(Value::Expr(std::rc::Rc::new(e)))
            }
            Builtin::Count | Builtin::AggSum | Builtin::Avg | Builtin::AggMin | Builtin::AggMax => {
                super::expr::aggregate(b.name(), args)
            }
            Builtin::Lower
            | Builtin::Upper
            | Builtin::Length
            | Builtin::Coalesce
            | Builtin::Concat => super::expr::function(b.name(), args),
            Builtin::Help => {
                match args.pos.first() {
                    Some(Value::Model(m)) => self.help(Some(m.id))?,
                    // A queryset's or manager's methods, from the one table.
                    Some(v @ (Value::QuerySet(_) | Value::Manager(_))) => {
                        let manager = matches!(v, Value::Manager(_));
                        let lines: Vec<String> = super::orm::QUERYSET_METHODS
                            .iter()
                            .filter(|m| !(manager && m.name == "delete"))
                            .map(|m| format!("  {}{}", m.name, m.signature))
                            .collect();
                        self.print_text(&format!("QuerySet methods:\n{}\n", lines.join("\n")))?;
                    }
                    Some(other) => {
                        let text = self.repr_value(other)?;
                        self.print_text(&format!("{text}\n"))?;
                    }
                    None => self.help(None)?,
                }
                Ok(Value::None)
            }
            _ => self.call_builtin_shell(b, args),
        }
    }

    fn call_builtin_shell(&mut self, b: Builtin, mut args: Args) -> Result<Value> {
        let name = b.name();
        match b {
            Builtin::Object => Err(Error::new(
                "NotImplementedError",
                "object() instances are not supported; define a class",
            )),
            Builtin::Super => {
                args.count(name, 0, 0)?;
                self.super_object()
            }
            Builtin::Exit | Builtin::Quit => {
                args.no_kw(name)?;
                args.count(name, 0, 1)?;
                let code = match args.pos.first() {
                    None | Some(Value::None) => String::new(),
                    Some(v) => self.str_value(v)?,
                };
                Err(Error::new("SystemExit", code))
            }
            Builtin::Type => {
                args.count(name, 1, 1)?;
                Ok(self.type_of(&args.pos[0]))
            }
            Builtin::Migrate => {
                args.count(name, 0, 0)?;
                let db = self.orm.db()?;
                db.check_writable()?;
                db.settle();
                let report = crate::db::migrate(db, &self.orm.registry)?;
                for (table, what) in &report.mismatched {
                    self.print_text(&format!("table '{table}' differs from its model: {what}\n"))?;
                }
                Ok(Value::None)
            }
            Builtin::Int if args.kw.iter().any(|(k, _)| k == "base") => {
                let base = args.take_kw("base").unwrap_or(Value::Int(10));
                if args.pos.is_empty() {
                    return Err(Error::type_error("int() missing string argument"));
                }
                args.pos.push(base);
                self.call_builtin(b, args)
            }
            Builtin::Zip => {
                args.no_kw(name)?;
                self.lazy_zip(&args.pos)
            }
            _ => {
                if !args.kw.is_empty() {
                    return Err(Error::type_error(format!(
                        "{name}() takes no keyword arguments"
                    )));
                }
                self.builtin_positional(b, args.pos)
            }
        }
    }
}
