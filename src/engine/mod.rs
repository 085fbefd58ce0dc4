//! Evaluation: AST + environment → values, with Python's semantics.
//!
//! Public surface: [`Interp`] (run statements of one console input), the
//! [`Console`] it reports to, [`Value`], and `repr`/`str`. This module knows
//! nothing of terminals or output formats; the renderers implement `Console`.

mod builtins;
mod call;
pub mod classes;
mod eval_expr;
mod generator;
mod generator_function;
mod interp;
mod methods;
mod modules;
mod python;
mod sources;
pub mod stdlib;

use crate::orm;
pub use crate::orm::{
    Cell, Footer, Grid, Method, QUERYSET_METHODS, QueryRows, Record, Returns, View,
    orm_instance_model, orm_pk,
};
pub use crate::value;
pub use crate::value::Value;
pub use crate::value::{bigint, exceptions, expr, format, ops, repr, scope, subscript};
pub use call::Args;
pub use interp::{Console, Interp, NameKind};

/// The builtins bound at the prompt (not the imported-only functions).
pub fn builtin_names() -> impl Iterator<Item = &'static str> {
    builtins::Builtin::names()
        .filter(|n| builtins::Builtin::by_name(n).is_some_and(|b| !b.is_function()))
}
