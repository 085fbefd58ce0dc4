//! Classes defined at the prompt and their objects: what they hold and
//! their method resolution order. Running a class body is the evaluator's.

use super::Value;
use super::exceptions::ExcClass;
use crate::error::{Error, Result};
use indexmap::IndexMap;
use std::cell::RefCell;
use std::rc::Rc;

#[derive(Debug)]
pub struct UserClass {
    pub name: String,
    pub bases: Vec<Value>,
    pub attrs: RefCell<IndexMap<String, Value>>,
    /// For a subclass of an exception: the exception class its objects have.
    pub exception: Option<Rc<ExcClass>>,
    /// The method resolution order after this class (C3, as Python's).
    pub(crate) after: Vec<Rc<UserClass>>,
}

/// An instance of a user class.
#[derive(Debug)]
pub struct Object {
    pub class: Rc<UserClass>,
    pub attrs: RefCell<IndexMap<String, Value>>,
}

impl UserClass {
    /// The classes to search, this one first (Python's C3 order).
    pub fn mro(self: &Rc<Self>) -> Vec<Rc<UserClass>> {
        let mut out = vec![self.clone()];
        out.extend(self.after.iter().cloned());
        out
    }

    /// C3: merge the bases' orders and the bases, keeping each class after
    /// its subclasses; TypeError when no consistent order exists.
    pub(crate) fn linearize(bases: &[Rc<UserClass>]) -> Result<Vec<Rc<UserClass>>> {
        let mut lists: Vec<Vec<Rc<UserClass>>> = bases.iter().map(|b| b.mro()).collect();
        lists.push(bases.to_vec());
        let mut out: Vec<Rc<UserClass>> = Vec::new();
        loop {
            lists.retain(|l| !l.is_empty());
            if lists.is_empty() {
                return Ok(out);
            }
            let head = lists.iter().map(|l| l[0].clone()).find(|h| {
                !lists
                    .iter()
                    .any(|l| l[1..].iter().any(|x| Rc::ptr_eq(x, h)))
            });
            let Some(head) = head else {
                let names: Vec<&str> = bases.iter().map(|b| b.name.as_str()).collect();
                return Err(Error::type_error(format!(
                    "Cannot create a consistent method resolution order (MRO) for bases {}",
                    names.join(", ")
                )));
            };
            for l in &mut lists {
                if Rc::ptr_eq(&l[0], &head) {
                    l.remove(0);
                }
            }
            out.push(head);
        }
    }

    /// A class attribute found along the MRO.
    pub fn lookup(self: &Rc<Self>, name: &str) -> Option<(Rc<UserClass>, Value)> {
        self.mro()
            .into_iter()
            .find_map(|c| c.attrs.borrow().get(name).cloned().map(|v| (c.clone(), v)))
    }

    /// Whether this class derives from one of the library's classes
    /// (`models.Manager`, `models.QuerySet`).
    pub fn derives_from_native(self: &Rc<Self>, native: crate::value::native::Native) -> bool {
        self.mro().iter().any(|c| {
            c.bases
                .iter()
                .any(|b| matches!(b, Value::Native(n) if *n == native))
        })
    }

    /// Whether this class is `other` or derives from it.
    pub fn derives(self: &Rc<Self>, other: &Rc<UserClass>) -> bool {
        self.mro().iter().any(|c| Rc::ptr_eq(c, other))
    }

    /// The builtin or library exception this class derives from, if any.
    pub(crate) fn exception_base(bases: &[Value]) -> Option<String> {
        bases.iter().find_map(|b| match b {
            Value::ExcClass(c) => Some(c.name.clone()),
            Value::UserClass(c) => c.exception.as_ref().map(|e| e.name.clone()),
            _ => None,
        })
    }
}

thread_local! {
    /// The bases of the exception classes defined at the prompt, for
    /// `except` and `issubclass` (which know exceptions by name).
    pub(crate) static EXCEPTION_BASES: RefCell<std::collections::HashMap<String, Vec<String>>> =
        Default::default();
    pub(crate) static CLASSES: RefCell<std::collections::HashMap<String, Rc<UserClass>>> = Default::default();
}

/// The bases of an exception class defined at the prompt.
pub fn exception_bases(name: &str) -> Option<Vec<String>> {
    EXCEPTION_BASES.with(|b| b.borrow().get(name).cloned())
}

/// The user class an exception object's class names.
pub fn exception_class(name: &str) -> Option<Rc<UserClass>> {
    CLASSES.with(|c| c.borrow().get(name).cloned())
}
