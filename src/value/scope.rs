//! Name scopes: the session's globals, and the local scopes of lambdas and
//! comprehensions (which, as in Python 3, do not leak their loop variables).

use crate::value::Value;
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
    /// Names declared `global` or `nonlocal` here, and the scope they bind in.
    declared: HashMap<String, ScopeRef>,
    /// A function call's scope: the names its body binds, which are local
    /// even before they are bound (UnboundLocalError, not a global).
    locals: Option<Rc<std::collections::HashSet<String>>>,
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
            declared: HashMap::new(),
            locals: None,
        }))
    }

    /// A function call's scope, knowing the names its body binds.
    pub fn function(parent: &ScopeRef, locals: Rc<std::collections::HashSet<String>>) -> ScopeRef {
        let scope = Scope::child(parent);
        scope.borrow_mut().locals = Some(locals);
        scope
    }

    /// Whether `name` is a local of the enclosing function that has no
    /// value yet (Python's UnboundLocalError).
    pub fn unbound_local(scope: &ScopeRef, name: &str) -> bool {
        let mut current = scope.clone();
        loop {
            let next = {
                let s = current.borrow();
                if s.vars.contains_key(name) {
                    return false;
                }
                match (&s.parent, s.comprehension) {
                    (Some(p), true) => p.clone(),
                    _ => {
                        return s.locals.as_ref().is_some_and(|l| l.contains(name))
                            && !s.declared.contains_key(name);
                    }
                }
            };
            current = next;
        }
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
        match self.declared.get(name) {
            Some(target) => target.borrow_mut().set(name, value),
            None => {
                self.vars.insert(name.to_string(), value);
            }
        }
    }

    pub fn remove(&mut self, name: &str) -> Option<Value> {
        match self.declared.get(name) {
            Some(target) => target.borrow_mut().remove(name),
            None => self.vars.remove(name),
        }
    }

    /// `global name` (the outermost scope) or `nonlocal name` (the nearest
    /// enclosing function's scope that binds it; SyntaxError otherwise).
    pub fn declare(scope: &ScopeRef, name: &str, nonlocal: bool) -> Result<(), String> {
        let root = {
            let mut current = scope.clone();
            loop {
                let parent = current.borrow().parent.clone();
                match parent {
                    Some(p) => current = p,
                    None => break current,
                }
            }
        };
        if Rc::ptr_eq(scope, &root) {
            return if nonlocal {
                Err("nonlocal declaration not allowed at module level".into())
            } else {
                Ok(())
            };
        }
        let target = if nonlocal {
            let mut found = None;
            let mut current = scope.borrow().parent.clone();
            while let Some(s) = current {
                if Rc::ptr_eq(&s, &root) {
                    break;
                }
                if s.borrow().vars.contains_key(name) {
                    found = Some(s.clone());
                    break;
                }
                current = s.borrow().parent.clone();
            }
            found.ok_or_else(|| format!("no binding for nonlocal '{name}' found"))?
        } else {
            root
        };
        scope.borrow_mut().declared.insert(name.to_string(), target);
        Ok(())
    }

    pub fn names(&self) -> impl Iterator<Item = &String> {
        self.vars.keys()
    }
}
