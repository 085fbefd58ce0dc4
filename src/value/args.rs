//! A call's evaluated arguments, `*` and `**` already spread.

use super::Value;
use crate::error::{Error, Result};

/// Evaluated call arguments, `*` and `**` already spread.
#[derive(Debug, Default)]
pub struct Args {
    pub pos: Vec<Value>,
    pub kw: Vec<(String, Value)>,
}

impl Args {
    pub fn positional(pos: Vec<Value>) -> Self {
        Args {
            pos,
            kw: Vec::new(),
        }
    }

    /// Takes a keyword argument out of the list.
    pub fn take_kw(&mut self, name: &str) -> Option<Value> {
        let i = self.kw.iter().position(|(k, _)| k == name)?;
        Some(self.kw.remove(i).1)
    }

    /// Fails as Python does when positional arguments come to a callee that
    /// takes keywords only.
    pub fn no_pos(&self, callee: &str) -> Result<()> {
        match self.pos.len() {
            0 => Ok(()),
            n => Err(Error::type_error(format!(
                "{callee}() takes 1 positional argument but {} were given",
                n + 1
            ))),
        }
    }

    /// Fails as Python does when a keyword is left that the callee does not take.
    pub fn no_kw(&self, callee: &str) -> Result<()> {
        match self.kw.first() {
            Some((k, _)) => Err(Error::type_error(format!(
                "{callee}() got an unexpected keyword argument '{k}'"
            ))),
            None => Ok(()),
        }
    }

    /// Checks the number of positional arguments of a builtin.
    pub fn count(&self, callee: &str, min: usize, max: usize) -> Result<()> {
        let n = self.pos.len();
        if (min..=max).contains(&n) {
            return Ok(());
        }
        let msg = match (min, max) {
            (1, 1) => format!("{callee}() takes exactly one argument ({n} given)"),
            (0, 0) => format!("{callee}() takes no arguments ({n} given)"),
            _ if n < min => format!(
                "{callee} expected at least {min} argument{}, got {n}",
                plural(min)
            ),
            _ => format!(
                "{callee} expected at most {max} argument{}, got {n}",
                plural(max)
            ),
        };
        Err(Error::type_error(msg))
    }
}

pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Binds a call's arguments to named parameters, positional first, then
/// by keyword; Python's TypeErrors name `callee` (`search()`, or
/// `function` as C constructors say). Other keywords stay in `args`.
pub fn bind_params(
    callee: &str,
    args: &mut Args,
    names: &[&str],
    required: usize,
) -> Result<Vec<Option<Value>>> {
    if args.pos.len() > names.len() {
        return Err(Error::type_error(format!(
            "{callee} takes at most {} arguments ({} given)",
            names.len(),
            args.pos.len()
        )));
    }
    let mut out: Vec<Option<Value>> = names.iter().map(|_| None).collect();
    for (i, v) in std::mem::take(&mut args.pos).into_iter().enumerate() {
        out[i] = Some(v);
    }
    for (i, name) in names.iter().enumerate() {
        if let Some(v) = args.take_kw(name) {
            if out[i].is_some() {
                return Err(Error::type_error(format!(
                    "argument for {callee} given by name ('{name}') and position ({})",
                    i + 1
                )));
            }
            out[i] = Some(v);
        }
    }
    if let Some(i) = out[..required].iter().position(Option::is_none) {
        return Err(Error::type_error(format!(
            "{callee} missing required argument '{}' (pos {})",
            names[i],
            i + 1
        )));
    }
    Ok(out)
}
