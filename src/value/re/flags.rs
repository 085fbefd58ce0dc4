//! re's flags: `RegexFlag` values, their names, reprs and operators.

use crate::value::re::*;

/// Flag names in the order `repr(pattern)` lists them.
pub(super) const FLAG_NAMES: &[(i64, &str)] = &[
    (IGNORECASE, "IGNORECASE"),
    (LOCALE, "LOCALE"),
    (MULTILINE, "MULTILINE"),
    (DOTALL, "DOTALL"),
    (VERBOSE, "VERBOSE"),
    (ASCII, "ASCII"),
];

pub const CONSTANT_NAMES: &[&str] = &[
    "I",
    "IGNORECASE",
    "L",
    "LOCALE",
    "M",
    "MULTILINE",
    "S",
    "DOTALL",
    "U",
    "UNICODE",
    "X",
    "VERBOSE",
    "A",
    "ASCII",
    "NOFLAG",
];

pub fn constant(name: &str) -> Option<Value> {
    Some(Value::RegexFlag(match name {
        "I" | "IGNORECASE" => IGNORECASE,
        "L" | "LOCALE" => LOCALE,
        "M" | "MULTILINE" => MULTILINE,
        "S" | "DOTALL" => DOTALL,
        "U" | "UNICODE" => UNICODE,
        "X" | "VERBOSE" => VERBOSE,
        "A" | "ASCII" => ASCII,
        "NOFLAG" => 0,
        _ => return None,
    }))
}

/// `RegexFlag`'s members in the order of its definition, which its repr
/// follows (`re.MULTILINE|re.DOTALL`).
pub(super) const REGEX_FLAGS: &[(i64, &str)] = &[
    (ASCII, "ASCII"),
    (IGNORECASE, "IGNORECASE"),
    (LOCALE, "LOCALE"),
    (UNICODE, "UNICODE"),
    (MULTILINE, "MULTILINE"),
    (DOTALL, "DOTALL"),
    (VERBOSE, "VERBOSE"),
    (1, "TEMPLATE"),
    (128, "DEBUG"),
];

/// Every bit that names a flag.
pub(super) const ALL_FLAGS: i64 = 511;

/// A RegexFlag's value: a negative int stands for its bits among the
/// named flags (`RegexFlag(-1)` is all of them), as the enum reads it.
pub(crate) fn flag_value(value: i64) -> i64 {
    if value < 0 {
        value & flag_mask(value)
    } else {
        value
    }
}

/// The bits a RegexFlag's complement spans: the named ones and any up to
/// the value's highest (`~(re.I | 1024)` keeps 0x200).
pub(crate) fn flag_mask(value: i64) -> i64 {
    let bits = 64 - value.unsigned_abs().leading_zeros();
    ALL_FLAGS | ((1i64 << bits.min(62)) - 1)
}

/// The flag names of `value`, joined as Python's enum joins them, with any
/// other bits in hex (`IGNORECASE|0x400`); `NOFLAG` for none, `None` when
/// no bit has a name.
pub fn flag_name(value: i64) -> Option<String> {
    if value == 0 {
        return Some("NOFLAG".into());
    }
    let mut parts: Vec<String> = REGEX_FLAGS
        .iter()
        .filter(|(bit, _)| value & bit != 0)
        .map(|(_, name)| name.to_string())
        .collect();
    if parts.is_empty() {
        return None;
    }
    let rest = value & !ALL_FLAGS;
    if rest != 0 {
        parts.push(format!("{rest:#x}"));
    }
    Some(parts.join("|"))
}

/// `repr(re.I)`: `re.IGNORECASE`; `re.RegexFlag(1024)` for unnamed bits.
pub fn flag_repr(value: i64) -> String {
    let Some(name) = flag_name(value) else {
        return format!("re.RegexFlag({value})");
    };
    name.split('|')
        .map(|part| {
            if part.starts_with("0x") {
                part.to_string()
            } else {
                format!("re.{part}")
            }
        })
        .collect::<Vec<_>>()
        .join("|")
}

/// `|`, `&` and `^` keep a RegexFlag when one side is one and the other an
/// int (`re.M | re.S`); other operators give plain ints.
pub fn flag_op(op: crate::syntax::ast::BinOp, a: &Value, b: &Value) -> Option<Value> {
    use crate::syntax::ast::BinOp;
    let int = |v: &Value| match v {
        Value::RegexFlag(i) | Value::Int(i) => Some(*i),
        Value::Bool(b) => Some(*b as i64),
        _ => None,
    };
    // A bool on the left is int's operator, which gives an int.
    if !matches!(a, Value::RegexFlag(_)) && !matches!(b, Value::RegexFlag(_))
        || matches!(a, Value::Bool(_))
    {
        return None;
    }
    let (x, y) = (int(a)?, int(b)?);
    Some(Value::RegexFlag(flag_value(match op {
        BinOp::BitOr => x | y,
        BinOp::BitAnd => x & y,
        BinOp::BitXor => x ^ y,
        _ => return None,
    })))
}

/// `re.RegexFlag(value)`.
pub fn regex_flag(args: Args) -> Result<Value> {
    args.no_kw("RegexFlag")?;
    match args.pos.as_slice() {
        [Value::RegexFlag(i) | Value::Int(i)] => Ok(Value::RegexFlag(flag_value(*i))),
        [Value::Bool(b)] => Ok(Value::RegexFlag(*b as i64)),
        [v] => Err(Error::value_error(format!(
            "{} is not a valid RegexFlag",
            crate::value::repr::repr(v)
        ))),
        _ => Err(Error::type_error(
            "EnumType.__call__() missing 1 required positional argument: 'value'",
        )),
    }
}

/// `re.I.name`, `re.I.value`.
pub fn flag_attr(value: i64, name: &str) -> Option<Value> {
    match name {
        "name" => Some(flag_name(value).map_or(Value::None, Value::str)),
        "value" => Some(Value::Int(value)),
        _ => None,
    }
}

/// `~re.I`: the other named flags.
pub fn invert_flags(value: i64) -> Value {
    Value::RegexFlag(!value & flag_mask(value))
}
