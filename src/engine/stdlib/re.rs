//! `re`'s functions and methods that call back into Python (`sub()` with
//! a function as `repl`); the patterns and matches are values
//! (`crate::value::re`).

use crate::engine::call::Args;
use crate::engine::interp::Interp;
use crate::error::{Error, Result};
pub use crate::value::re::*;
use crate::value::{Dict, Value};
use std::rc::Rc;

mod calls;
pub use calls::*;
