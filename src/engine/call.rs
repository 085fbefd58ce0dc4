//! Calling things: argument lists, functions, methods, and attribute lookup.

use super::interp::{Flow, FunctionBody, Interp};
use super::scope::{Scope, ScopeRef};
use super::value::{Function, Value};
use crate::error::{Error, Result};
use crate::syntax::ast::{Arg, ArgKind, ParamKind};
use std::cell::RefCell;
use std::rc::Rc;

mod attributes;

impl super::builtins::Builtin {
    /// `django.db.models.functions`: imported, never bound at the prompt.
    pub fn is_function(self) -> bool {
        use super::builtins::Builtin::*;
        matches!(self, Lower | Upper | Length | Coalesce | Concat)
    }

    /// The names `django.db.models` gives the shell.
    pub fn is_django(self) -> bool {
        use super::builtins::Builtin::*;
        matches!(
            self,
            Q | F
                | ExprValue
                | Count
                | AggSum
                | Avg
                | AggMin
                | AggMax
                | Lower
                | Upper
                | Length
                | Coalesce
                | Concat
        )
    }
}

pub use crate::value::Args;
use crate::value::plural;

/// Iteration over any iterable value, lazily where the value allows it.
pub enum PyIter {
    Range {
        next: i64,
        stop: i64,
        step: i64,
    },
    Items(std::vec::IntoIter<Value>),
    /// A queryset's rows, streamed from SQLite.
    Rows(Box<super::orm::QueryRows>),
    /// An iterator value, consumed as it is iterated, as in Python.
    Shared(Rc<RefCell<super::value::PyIterator>>),
}

impl Iterator for PyIter {
    type Item = Result<Value>;

    fn next(&mut self) -> Option<Result<Value>> {
        // Values grow an item at a time as they are pulled (comprehensions,
        // list(), set()): stop them at the memory limit.
        if let Err(e) = crate::limits::check_limits() {
            return Some(Err(e));
        }
        // Ctrl-C stops a builtin or a comprehension that loops, not only
        // a statement.
        if crate::limits::interrupted() {
            return Some(Err(Error::new(
                "KeyboardInterrupt",
                crate::limits::CANCELLED,
            )));
        }
        match self {
            PyIter::Range { next, stop, step } => {
                let more = if *step > 0 {
                    *next < *stop
                } else {
                    *next > *stop
                };
                if !more {
                    return None;
                }
                let v = *next;
                *next = next.saturating_add(*step);
                Some(Ok(Value::Int(v)))
            }
            PyIter::Items(items) => items.next().map(Ok),
            PyIter::Rows(rows) => rows.next(),
            PyIter::Shared(it) => super::value::PyIterator::pull(it),
        }
    }
}

impl Interp {
    pub(super) fn eval_args(&mut self, args: &[Arg], scope: &ScopeRef) -> Result<Args> {
        let mut out = Args::default();
        for a in args {
            match &a.kind {
                ArgKind::Positional(e) => out.pos.push(self.eval(e, scope)?),
                ArgKind::Keyword(name, e) => {
                    let v = self.eval(e, scope)?;
                    if out.kw.iter().any(|(k, _)| k == &name.name) {
                        return Err(Error::syntax(
                            format!("keyword argument repeated: {}", name.name),
                            name.span,
                        ));
                    }
                    out.kw.push((name.name.clone(), v));
                }
                ArgKind::Star(e) => {
                    let v = self.eval(e, scope)?;
                    for item in self.iter(&v).map_err(|err| err.at(e.span))? {
                        out.pos.push(item?);
                    }
                }
                ArgKind::DoubleStar(e) => match self.eval(e, scope)? {
                    Value::Dict(d) => {
                        for (k, v) in d.borrow().entries.values() {
                            let Value::Str(k) = k else {
                                return Err(
                                    Error::type_error("keywords must be strings").at(e.span)
                                );
                            };
                            out.kw.push((k.to_string(), v.clone()));
                        }
                    }
                    other => {
                        return Err(Error::type_error(format!(
                            "argument after ** must be a mapping, not {}",
                            other.type_name()
                        ))
                        .at(e.span));
                    }
                },
            }
        }
        Ok(out)
    }

    /// `str.upper(s)`: the method of `s`, which must be the type's.
    fn call_descriptor(
        &mut self,
        owner: super::builtins::Builtin,
        name: &str,
        mut args: Args,
    ) -> Result<Value> {
        let type_name = owner.name();
        if args.pos.is_empty() {
            return Err(Error::type_error(format!(
                "unbound method {type_name}.{name}() needs an argument"
            )));
        }
        let recv = args.pos.remove(0);
        let same_type = match self.type_of(&recv) {
            Value::Builtin(b) => {
                b == owner
                    || owner == super::builtins::Builtin::Int && b == super::builtins::Builtin::Bool
            }
            _ => false,
        };
        if !same_type {
            return Err(Error::type_error(format!(
                "descriptor '{name}' for '{type_name}' objects doesn't apply to a '{}' object",
                recv.type_name()
            )));
        }
        self.call_method(&recv, name, args)
    }

    /// Calls any callable value.
    pub fn call(&mut self, f: &Value, args: Args) -> Result<Value> {
        match f {
            Value::Builtin(b) => self.call_builtin(*b, args),
            Value::MethodDescriptor(d) => self.call_descriptor(d.0, &d.1, args),
            Value::Function(func) => self.call_function(func, args),
            Value::Method(m) => {
                let mut args = args;
                args.pos.insert(0, m.1.clone());
                self.call(&m.0, args)
            }
            Value::UserClass(c) => self.instantiate_class(c, args),
            Value::BoundMethod(m) => match &m.0 {
                Value::Instance(i) => self.py().instance_method(i, &m.1, args),
                Value::Manager(mgr) => self.py().manager_method(mgr, &m.1, args),
                Value::QuerySet(qs) => self.py().queryset_method(qs, &m.1, args),
                Value::Meta(r) => self.py().meta_method(r, &m.1, args),
                recv => self.call_method(recv, &m.1, args),
            },
            Value::Model(m) => self.py().instantiate(m.id, args),
            Value::Native(n) => self.call_native(*n, args),
            Value::Bound(b) => {
                let mut args = args;
                let mut pos = b.1.clone();
                pos.append(&mut args.pos);
                args.pos = pos;
                self.call_native(b.0, args)
            }
            Value::ExcClass(c) => {
                args.no_kw(c.short_name())?;
                Ok(Value::Exception(Rc::new(
                    super::exceptions::Exception::new(c.clone(), args.pos),
                )))
            }
            other => Err(Error::type_error(format!(
                "'{}' object is not callable",
                other.type_name()
            ))),
        }
    }

    fn call_function(&mut self, f: &Rc<Function>, mut args: Args) -> Result<Value> {
        let local = Scope::function(&f.scope, f.locals.clone());
        let mut positional = std::mem::take(&mut args.pos).into_iter();
        let mut extra = Vec::new();
        // After `*args` or a bare `*`, parameters take keywords only.
        let mut keyword_only = false;
        for (p, default) in f.params.iter().zip(&f.defaults) {
            let name = p.name.name.as_str();
            let value = match p.kind {
                ParamKind::Marker => continue,
                ParamKind::KeywordOnly => {
                    keyword_only = true;
                    continue;
                }
                ParamKind::VarArgs => {
                    keyword_only = true;
                    Value::tuple(positional.by_ref().collect())
                }
                ParamKind::Normal if keyword_only => match (args.take_kw(name), default) {
                    (Some(v), _) => v,
                    (None, Some(d)) => d.clone(),
                    (None, None) => {
                        return Err(Error::type_error(format!(
                            "{}() missing 1 required keyword-only argument: '{name}'",
                            f.name
                        )));
                    }
                },
                ParamKind::VarKeywords => {
                    let mut d = super::value::Dict::default();
                    for (k, v) in std::mem::take(&mut args.kw) {
                        d.insert(Value::str(k), v)?;
                    }
                    Value::dict(d)
                }
                ParamKind::Normal => match (positional.next(), args.take_kw(name), default) {
                    (Some(_), Some(_), _) => {
                        return Err(Error::type_error(format!(
                            "{}() got multiple values for argument '{name}'",
                            f.name
                        )));
                    }
                    (Some(v), None, _) | (None, Some(v), _) => v,
                    (None, None, Some(d)) => d.clone(),
                    (None, None, None) => {
                        return Err(Error::type_error(format!(
                            "{}() missing 1 required positional argument: '{name}'",
                            f.name
                        )));
                    }
                },
            };
            local.borrow_mut().set(name, value);
        }
        extra.extend(positional);
        if !extra.is_empty() {
            return Err(too_many_positional(f, extra.len()));
        }
        args.no_kw(&f.name)?;
        match &f.body {
            FunctionBody::Generator(_) => return Ok(self.generator_object(f, local)),
            FunctionBody::Coroutine(_) => {
                return Err(Error::new(
                    "NotSupportedError",
                    format!(
                        "{}() is an async def: calling it makes a coroutine, which ormsh cannot run",
                        f.name
                    ),
                ));
            }
            _ => {}
        }
        self.enter_call()?;
        // A method of a prompt class: `super()` in it is its class's next.
        let owner = f.owner.as_ref().and_then(std::rc::Weak::upgrade);
        let this = owner.as_ref().and_then(|_| {
            f.params
                .first()
                .and_then(|p| Scope::lookup(&local, &p.name.name))
        });
        let in_method = match (owner, this) {
            (Some(o), Some(t)) => {
                self.method_context.push((o, t));
                true
            }
            _ => false,
        };
        let result = match &f.body {
            FunctionBody::Expr(e) => self.eval(e, &local),
            FunctionBody::Block(body)
            | FunctionBody::Generator(body)
            | FunctionBody::Coroutine(body) => {
                self.exec_block(body, &local).map(|flow| match flow {
                    Flow::Return(v) => v,
                    _ => Value::None,
                })
            }
        };
        self.call_depth -= 1;
        if in_method {
            self.method_context.pop();
        }
        result
    }

    /// Iterates any iterable value.
    pub fn iter(&mut self, v: &Value) -> Result<PyIter> {
        Ok(match v {
            // A queryset nothing else holds cannot be looked at again, so
            // its rows stream instead of being kept (Django keeps them).
            Value::QuerySet(qs) if Rc::strong_count(qs) == 1 && qs.cached().is_none() => {
                PyIter::Rows(Box::new(self.py().stream(qs)?))
            }
            Value::QuerySet(qs) => PyIter::Items(self.py().evaluate(qs)?.to_vec().into_iter()),
            Value::NamedRow(row) => PyIter::Items(row.1.clone().into_iter()),
            Value::Range { start, stop, step } => PyIter::Range {
                next: *start,
                stop: *stop,
                step: *step,
            },
            Value::Str(s) => PyIter::Items(
                s.chars()
                    .map(|c| Value::str(c.to_string()))
                    .collect::<Vec<_>>()
                    .into_iter(),
            ),
            Value::List(l) => PyIter::Items(l.borrow().clone().into_iter()),
            Value::Tuple(t) => PyIter::Items(t.iter().cloned().collect::<Vec<_>>().into_iter()),
            Value::Dict(d) => PyIter::Items(d.borrow().keys().into_iter()),
            Value::Set(s) => PyIter::Items(s.borrow().ordered().into_iter()),
            Value::DictView(kind, d) => PyIter::Items(d.borrow().view_items(*kind).into_iter()),
            // Iterators are consumed by iteration, as in Python.
            Value::Iterator(it) => PyIter::Shared(it.clone()),
            other => {
                return Err(Error::type_error(format!(
                    "'{}' object is not iterable",
                    other.type_name()
                )));
            }
        })
    }

    /// All items of an iterable, for builtins that need them at once.
    pub fn collect(&mut self, v: &Value) -> Result<Vec<Value>> {
        if let Value::Range { .. } = v {
            let len = super::builtins::range_len(v);
            crate::limits::reserve_items(len, std::mem::size_of::<Value>())?;
        }
        self.iter(v)?.collect()
    }
}

fn attribute_message(obj: &Value, name: &str) -> String {
    match obj {
        Value::Module(m) => format!("module '{m}' has no attribute '{name}'"),
        Value::Builtin(b) if b.is_type() => {
            format!("type object '{}' has no attribute '{name}'", b.name())
        }
        Value::Native(n) if n.is_class() => {
            format!("type object '{}' has no attribute '{name}'", n.qualname())
        }
        Value::ExcClass(c) => {
            format!("type object '{}' has no attribute '{name}'", c.short_name())
        }
        other => format!("'{}' object has no attribute '{name}'", other.type_name()),
    }
}

/// Python's TypeError for a call with `extra` positional arguments more
/// than the function takes.
fn too_many_positional(f: &Function, extra: usize) -> Error {
    let positional: Vec<_> = f
        .params
        .iter()
        .zip(&f.defaults)
        .take_while(|(p, _)| !matches!(p.kind, ParamKind::KeywordOnly | ParamKind::VarArgs))
        .filter(|(p, _)| p.kind == ParamKind::Normal)
        .collect();
    let takes = positional.len();
    let required = positional.iter().filter(|(_, d)| d.is_none()).count();
    let given = takes + extra;
    let range = if required < takes {
        format!("from {required} to {takes} positional arguments")
    } else {
        format!("{takes} positional argument{}", plural(takes))
    };
    let was = if given == 1 { "was" } else { "were" };
    Error::type_error(format!(
        "{}() takes {range} but {given} {was} given",
        f.name
    ))
}
