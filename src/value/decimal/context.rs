//! The session's decimal context: `getcontext()`, `localcontext()`, its attributes and methods.

use crate::value::decimal::*;

/// `decimal.getcontext()`.
pub fn getcontext(args: Args) -> Result<Value> {
    args.no_kw("getcontext")?;
    args.count("getcontext", 0, 0)?;
    Ok(Value::DecimalContext(None))
}

/// `decimal.localcontext(ctx=None, **changes)`: a manager for `with`.
pub fn localcontext(mut args: Args) -> Result<Value> {
    args.take_kw("ctx");
    args.count("localcontext", 0, 1)?;
    if args
        .pos
        .first()
        .is_some_and(|c| !matches!(c, Value::None | Value::DecimalContext(None)))
    {
        return Err(Error::type_error("optional argument must be a context"));
    }
    let changes = std::mem::take(&mut args.kw);
    Ok(Value::DecimalContext(Some(Rc::new(changes))))
}

/// `with localcontext(prec=3):` entered: the changes applied to a copy of
/// the session's context; the returned context is put back at the end.
pub fn enter_local(changes: &[(String, Value)]) -> Result<Context> {
    let saved = saved_context();
    for (name, v) in changes {
        if let Err(e) = set_context_attr(name, v) {
            restore_context(saved);
            return Err(e);
        }
    }
    Ok(saved)
}

/// `getcontext().prec` and the other settings.
pub fn context_attr(name: &str) -> Option<Value> {
    let c = saved_context();
    Some(match name {
        "prec" => Value::Int(c.prec as i64),
        "rounding" => Value::str(c.rounding.name()),
        "Emax" => Value::Int(c.emax),
        "Emin" => Value::Int(c.emin),
        "capitals" => Value::Int(1),
        "clamp" => Value::Int(0),
        _ => return None,
    })
}

/// The most digits ormsh computes a Decimal to (Python's limit is far
/// larger, and as slow as its size).
pub(super) const MAX_PREC: i64 = 100_000;

/// `getcontext().prec = 6`, with Python's checks.
pub fn set_context_attr(name: &str, v: &Value) -> Result<()> {
    let int = |v: &Value| match v {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(*b as i64),
        Value::BigInt(_) => Err(Error::value_error(format!(
            "valid range for {name} is out of bounds"
        ))),
        _ => Err(Error::type_error("an integer is required")),
    };
    let mut c = saved_context();
    match name {
        "prec" => {
            let p = int(v)?;
            if p < 1 {
                return Err(Error::value_error("valid range for prec is [1, MAX_PREC]"));
            }
            if p > MAX_PREC {
                return Err(Error::new(
                    "NotImplementedError",
                    format!("ormsh computes Decimals to at most {MAX_PREC} digits"),
                ));
            }
            c.prec = p as u64;
        }
        "rounding" => c.rounding = rounding_arg(Some(v.clone()))?,
        "Emax" => {
            let e = int(v)?;
            if !(0..=999_999_999_999_999_999).contains(&e) {
                return Err(Error::value_error("valid range for Emax is [0, MAX_EMAX]"));
            }
            c.emax = e;
        }
        "Emin" => {
            let e = int(v)?;
            if !(-999_999_999_999_999_999..=0).contains(&e) {
                return Err(Error::value_error("valid range for Emin is [MIN_EMIN, 0]"));
            }
            c.emin = e;
        }
        "capitals" | "clamp" => {
            return Err(Error::new(
                "NotImplementedError",
                format!("changing the context's {name} is not supported"),
            ));
        }
        _ => {
            return Err(Error::new(
                "AttributeError",
                format!("'decimal.Context' object has no attribute '{name}'"),
            ));
        }
    }
    restore_context(c);
    Ok(())
}

/// `getcontext().clear_flags()`.
pub fn context_method(name: &str, args: Args) -> Result<Value> {
    match name {
        "clear_flags" => {
            args.count("clear_flags", 0, 0)?;
            CURRENT.with(|c| c.borrow().flags.set(0));
            Ok(Value::None)
        }
        _ => Err(Error::new(
            "AttributeError",
            format!("'decimal.Context' object has no attribute '{name}'"),
        )),
    }
}

/// `repr(getcontext())`, flags as the session's operations raised them.
pub fn context_repr() -> String {
    let c = saved_context();
    let flags = crate::python_decimal::condition::names(c.flags.get()).join(", ");
    format!(
        "Context(prec={}, rounding={}, Emin={}, Emax={}, capitals=1, clamp=0, flags=[{flags}], traps=[InvalidOperation, DivisionByZero, Overflow])",
        c.prec,
        c.rounding.name(),
        c.emin,
        c.emax
    )
}
