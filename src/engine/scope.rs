//! Name scopes: the session's globals, and the local scopes of lambdas and
//! comprehensions (which, as in Python 3, do not leak their loop variables).

use super::value::Value;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

pub type ScopeRef = Rc<RefCell<Scope>>;

#[derive(Debug, Default)]
pub struct Scope {
    vars: HashMap<String, Value>,
    parent: Option<ScopeRef>,
    /// A comprehension's scope: `:=` inside it binds in the scope around it.
    comprehension: bool,
}

impl Scope {
    pub fn root() -> ScopeRef {
        Rc::new(RefCell::new(Scope::default()))
    }

    pub fn child(parent: &ScopeRef) -> ScopeRef {
        Rc::new(RefCell::new(Scope {
            vars: HashMap::new(),
            parent: Some(parent.clone()),
            comprehension: false,
        }))
    }

    pub fn comprehension(parent: &ScopeRef) -> ScopeRef {
        let scope = Scope::child(parent);
        scope.borrow_mut().comprehension = true;
        scope
    }

    /// Where `name := value` binds: the nearest scope that is not a
    /// comprehension's (PEP 572).
    pub fn named_expr_target(scope: &ScopeRef) -> ScopeRef {
        let mut current = scope.clone();
        loop {
            let parent = {
                let s = current.borrow();
                match (&s.parent, s.comprehension) {
                    (Some(p), true) => p.clone(),
                    _ => break,
                }
            };
            current = parent;
        }
        current
    }

    /// Looks a name up here, then in the enclosing scopes.
    pub fn lookup(scope: &ScopeRef, name: &str) -> Option<Value> {
        let s = scope.borrow();
        match s.vars.get(name) {
            Some(v) => Some(v.clone()),
            None => s.parent.as_ref().and_then(|p| Scope::lookup(p, name)),
        }
    }

    pub fn set(&mut self, name: &str, value: Value) {
        self.vars.insert(name.to_string(), value);
    }

    pub fn remove(&mut self, name: &str) -> Option<Value> {
        self.vars.remove(name)
    }

    pub fn names(&self) -> impl Iterator<Item = &String> {
        self.vars.keys()
    }
}
