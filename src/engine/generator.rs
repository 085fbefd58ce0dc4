//! Generator expressions, lazy as Python's: `sum(i for i in range(10**9))`
//! holds one item at a time. A generator evaluates its clauses with an
//! interpreter of its own that shares the session's scopes, database and
//! console, so it is an ordinary iterator that any consumer can pull from.

use super::call::PyIter;
use super::interp::Interp;
use super::scope::ScopeRef;
use super::value::Value;
use crate::error::Result;
use crate::syntax::ast::{Comprehension, Expr};

pub struct Generator {
    interp: Interp,
    elt: Expr,
    clauses: Vec<Comprehension>,
    scope: ScopeRef,
    /// One live iterator per `for` clause entered, outermost first.
    stack: Vec<PyIter>,
}

impl Interp {
    /// `(elt for … in … if …)`: the first iterable is evaluated now, as
    /// Python does; the rest as items are pulled.
    pub(super) fn generator(
        &mut self,
        elt: &Expr,
        clauses: &[Comprehension],
        scope: &ScopeRef,
    ) -> Result<Value> {
        let inner = super::scope::Scope::comprehension(scope);
        let Some(first) = clauses.first() else {
            return Ok(Value::iterator("generator", Vec::new()));
        };
        let iterable = self.eval(&first.iter, scope)?;
        let it = self.iter(&iterable)?;
        let g = Generator {
            interp: self.fork(),
            elt: elt.clone(),
            clauses: clauses.to_vec(),
            scope: inner,
            stack: vec![it],
        };
        Ok(Value::lazy_iterator("generator", g))
    }
}

impl Generator {
    fn advance(&mut self) -> Result<Option<Value>> {
        loop {
            let depth = self.stack.len();
            let Some(it) = self.stack.last_mut() else {
                return Ok(None);
            };
            let Some(item) = it.next() else {
                self.stack.pop();
                continue;
            };
            let clause = &self.clauses[depth - 1];
            self.interp.assign(&clause.target, item?, &self.scope)?;
            let mut keep = true;
            for cond in &clause.ifs {
                let c = self.interp.eval(cond, &self.scope)?;
                if !self.interp.truthy(&c)? {
                    keep = false;
                    break;
                }
            }
            if !keep {
                continue;
            }
            if depth == self.clauses.len() {
                return self.interp.eval(&self.elt, &self.scope).map(Some);
            }
            let next = self.interp.eval(&self.clauses[depth].iter, &self.scope)?;
            let it = self.interp.iter(&next)?;
            self.stack.push(it);
        }
    }
}

impl Iterator for Generator {
    type Item = Result<Value>;

    fn next(&mut self) -> Option<Result<Value>> {
        // A generator over a generator over … recurses: Python's limit.
        let _level = match crate::limits::Depth::enter(" while calling a Python object") {
            Ok(l) => l,
            Err(e) => return Some(Err(e)),
        };
        match self.advance() {
            Ok(Some(v)) => Some(Ok(v)),
            Ok(None) => None,
            Err(e) => {
                // A generator that raised is finished.
                self.stack.clear();
                Some(Err(e))
            }
        }
    }
}

/// What a lazy builtin does with the items it pulls.
enum Step {
    /// `map(f, *iterables)`: `f` of one item from each.
    Map(Value),
    /// `filter(f, iterable)`: the items `f` (or the item itself) finds true.
    Filter(Value),
    /// `zip(*iterables)`: a tuple of one item from each.
    Zip,
    /// `enumerate(iterable, start)`: the count and the item.
    Enumerate(i64),
}

/// `map`, `filter`, `zip` and `enumerate`, lazy as Python's: nothing is
/// pulled or called until the result is iterated (`map(print, xs)` prints
/// nothing by itself), so they work over endless iterables.
pub struct Lazy {
    interp: Interp,
    step: Step,
    sources: Vec<PyIter>,
}

impl Interp {
    /// The iterables are made iterators now, as Python does (a TypeError for
    /// what is not iterable comes at once).
    fn lazy_builtin(
        &mut self,
        kind: &'static str,
        step: Step,
        iterables: &[Value],
    ) -> Result<Value> {
        let sources = iterables
            .iter()
            .map(|v| self.iter(v))
            .collect::<Result<Vec<_>>>()?;
        let lazy = Lazy {
            interp: self.fork(),
            step,
            sources,
        };
        Ok(Value::lazy_iterator(kind, lazy))
    }

    pub(super) fn lazy_map(&mut self, f: Value, iterables: &[Value]) -> Result<Value> {
        self.lazy_builtin("map", Step::Map(f), iterables)
    }

    pub(super) fn lazy_filter(&mut self, f: Value, iterable: &Value) -> Result<Value> {
        self.lazy_builtin("filter", Step::Filter(f), std::slice::from_ref(iterable))
    }

    pub(super) fn lazy_zip(&mut self, iterables: &[Value]) -> Result<Value> {
        self.lazy_builtin("zip", Step::Zip, iterables)
    }

    pub(super) fn lazy_enumerate(&mut self, iterable: &Value, start: i64) -> Result<Value> {
        self.lazy_builtin(
            "enumerate",
            Step::Enumerate(start),
            std::slice::from_ref(iterable),
        )
    }
}

impl Lazy {
    /// One item from each source, or `None` when the shortest has ended.
    fn row(&mut self) -> Result<Option<Vec<Value>>> {
        let mut row = Vec::with_capacity(self.sources.len());
        for source in &mut self.sources {
            match source.next() {
                Some(item) => row.push(item?),
                None => return Ok(None),
            }
        }
        Ok(Some(row))
    }

    fn advance(&mut self) -> Result<Option<Value>> {
        loop {
            if self.sources.is_empty() {
                return Ok(None);
            }
            let Some(mut row) = self.row()? else {
                self.sources.clear();
                return Ok(None);
            };
            return Ok(Some(match &mut self.step {
                Step::Map(f) => {
                    let f = f.clone();
                    self.interp.call(&f, super::call::Args::positional(row))?
                }
                Step::Filter(f) => {
                    let item = row.pop().unwrap_or(Value::None);
                    let verdict = match f {
                        Value::None => item.clone(),
                        f => {
                            let f = f.clone();
                            self.interp
                                .call(&f, super::call::Args::positional(vec![item.clone()]))?
                        }
                    };
                    if !self.interp.truthy(&verdict)? {
                        continue;
                    }
                    item
                }
                Step::Zip => Value::tuple(row),
                Step::Enumerate(count) => {
                    let item = row.pop().unwrap_or(Value::None);
                    let i = *count;
                    *count = count.saturating_add(1);
                    Value::tuple(vec![Value::Int(i), item])
                }
            }));
        }
    }
}

impl Iterator for Lazy {
    type Item = Result<Value>;

    fn next(&mut self) -> Option<Result<Value>> {
        let _level = match crate::limits::Depth::enter(" while calling a Python object") {
            Ok(l) => l,
            Err(e) => return Some(Err(e)),
        };
        // An error leaves the sources where they are: pulling again goes on
        // with the next item, as Python's map does.
        self.advance().transpose()
    }
}
