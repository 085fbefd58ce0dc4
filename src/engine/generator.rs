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
