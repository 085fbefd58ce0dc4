//! `models.Manager` and `models.QuerySet` as a models module uses them in
//! class bodies: `objects = models.Manager()`, `PostQuerySet.as_manager()`,
//! `BaseManager.from_queryset(PostQuerySet)()`. Each makes a manager
//! declaration (`Native::DjManagerDecl` bound to its manager class and its
//! queryset class, None for Django's own), which the ORM turns into the
//! model's manager; an object of a Manager subclass is one too.

use super::super::call::Args;
use super::super::value::Value;
use super::Native;
use crate::error::{Error, Result};
use std::rc::Rc;

fn decl(manager: Value, queryset: Value) -> Value {
    Value::Bound(Rc::new((Native::DjManagerDecl, vec![manager, queryset])))
}

pub fn call(n: Native, args: Args) -> Result<Value> {
    args.no_kw(n.name())?;
    let arg = |i: usize| args.pos.get(i).cloned().unwrap_or(Value::None);
    match n {
        Native::DjManager => {
            args.count("Manager", 0, 0)?;
            Ok(decl(Value::None, Value::None))
        }
        // Bound to the queryset class: `PostQuerySet.as_manager()`.
        Native::DjAsManager => {
            args.count("as_manager", 1, 1)?;
            Ok(decl(Value::None, arg(0)))
        }
        // Bound to the manager class, given the queryset class: a class.
        Native::DjFromQueryset => {
            args.count("from_queryset", 2, 3)?;
            Ok(Value::Bound(Rc::new((
                Native::DjManagerClass,
                vec![arg(0), arg(1)],
            ))))
        }
        Native::DjManagerClass => {
            args.count("Manager", 2, 2)?;
            Ok(decl(arg(0), arg(1)))
        }
        _ => Err(Error::new(
            "NotImplementedError",
            format!(
                "{}() outside a model's class body is not supported by ormsh",
                n.qualname()
            ),
        )),
    }
}
