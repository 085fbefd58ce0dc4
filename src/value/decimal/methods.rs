//! A Decimal's methods, as CPython's `decimal` module has them.

use crate::value::decimal::*;

pub const METHODS: &[&str] = &[
    "adjusted",
    "as_integer_ratio",
    "as_tuple",
    "compare",
    "copy_abs",
    "copy_negate",
    "copy_sign",
    "is_finite",
    "is_infinite",
    "is_nan",
    "is_qnan",
    "is_signed",
    "is_snan",
    "is_zero",
    "max",
    "min",
    "normalize",
    "quantize",
    "same_quantum",
    "scaleb",
    "sqrt",
    "to_eng_string",
    "to_integral",
    "to_integral_exact",
    "to_integral_value",
    "__round__",
];

/// Methods of Python's Decimal that ormsh does not compute: a clear error
/// rather than Python's AttributeError, which would say they do not exist.
pub(super) const NOT_COMPUTED: &[&str] = &[
    "exp",
    "ln",
    "log10",
    "logb",
    "fma",
    "next_minus",
    "next_plus",
    "next_toward",
    "number_class",
    "rotate",
    "shift",
    "remainder_near",
    "logical_and",
    "logical_or",
    "logical_xor",
    "logical_invert",
    "compare_total",
    "compare_total_mag",
    "compare_signal",
    "max_mag",
    "min_mag",
    "is_normal",
    "is_subnormal",
    "is_canonical",
    "canonical",
    "radix",
    "conjugate",
];

pub(super) fn rounding_arg(v: Option<Value>) -> Result<Rounding> {
    match &v {
        None | Some(Value::None) => Ok(current().rounding),
        Some(Value::Str(s)) => Rounding::from_name(s).ok_or_else(|| {
            Error::type_error(
                "valid values for rounding are:\n  [ROUND_CEILING, ROUND_FLOOR, ROUND_UP, ROUND_DOWN,\n   ROUND_HALF_UP, ROUND_HALF_DOWN, ROUND_HALF_EVEN,\n   ROUND_05UP]",
            )
        }),
        Some(other) => Err(Error::type_error(format!(
            "rounding must be a str, not {}",
            other.type_name()
        ))),
    }
}

pub(super) fn decimal_arg(args: &mut Args, name: &str, method: &str) -> Result<Decimal> {
    let kw = args.take_kw(name);
    let v = if args.pos.is_empty() {
        kw
    } else {
        Some(args.pos.remove(0))
    };
    match v {
        Some(v) => operand(&v).ok_or_else(|| {
            Error::type_error(format!(
                "conversion from {} to Decimal is not supported",
                v.type_name()
            ))
        }),
        None => Err(Error::type_error(format!(
            "{method}() missing required argument '{name}' (pos 1)"
        ))),
    }
}

pub(super) fn rounding_param(args: &mut Args) -> Result<Rounding> {
    let kw = args.take_kw("rounding");
    let v = if args.pos.is_empty() {
        kw
    } else {
        Some(args.pos.remove(0))
    };
    rounding_arg(v)
}

pub fn method(d: &Decimal, name: &str, mut args: Args) -> Result<Value> {
    args.take_kw("context");
    let c = &current();
    let value = |outcome| value(c, outcome);
    let b = Value::Bool;
    match name {
        "quantize" => {
            let exp = decimal_arg(&mut args, "exp", "quantize")?;
            let rounding = rounding_param(&mut args)?;
            value(d.quantize(&exp, rounding, c))
        }
        "normalize" => value(d.normalize(c)),
        "to_integral_value" | "to_integral" | "to_integral_exact" => {
            let rounding = rounding_param(&mut args)?;
            value(d.to_integral(rounding))
        }
        "sqrt" => value(d.sqrt(c)),
        "scaleb" => {
            let n = decimal_arg(&mut args, "other", "scaleb")?;
            if n.is_nan() {
                return value(d.add(&n, c));
            }
            let whole = (n.exponent() >= 0 || n.is_zero()) && n.adjusted() < 18;
            match whole.then(|| n.trunc()).flatten() {
                Some((negative, m)) => {
                    let m = i64::try_from(m).unwrap_or(i64::MAX);
                    value(d.scaleb(if negative { -m } else { m }, c))
                }
                None => Err(signal(Signal::InvalidOperation)),
            }
        }
        "__round__" => match args.pos.first() {
            None | Some(Value::None) => round(d, None),
            Some(Value::Int(n)) => round(d, Some(*n)),
            Some(_) => Err(Error::type_error(
                "Second argument to round should be integral",
            )),
        },
        "compare" => {
            let other = decimal_arg(&mut args, "other", "compare")?;
            Ok(match d.compare(&other) {
                None => Value::decimal(Decimal::nan()),
                Some(o) => Value::decimal(Decimal::from_i64(o as i8 as i64)),
            })
        }
        "max" | "min" => {
            let other = decimal_arg(&mut args, "other", name)?;
            // Equal values are told apart as compare_total orders them: the
            // positive zero over the negative, then by exponent.
            let ord = d.compare(&other).map(|o| {
                o.then_with(|| match (d.is_signed(), other.is_signed()) {
                    (true, false) => Ordering::Less,
                    (false, true) => Ordering::Greater,
                    (false, false) => d.exponent().cmp(&other.exponent()),
                    (true, true) => other.exponent().cmp(&d.exponent()),
                })
            });
            let keep_self = match (name, ord) {
                (_, None) => !d.is_nan() || other.is_nan(),
                ("max", Some(o)) => o != Ordering::Less,
                (_, Some(o)) => o != Ordering::Greater,
            };
            let pick = if keep_self { d.clone() } else { other };
            value(pick.fix(c))
        }
        "same_quantum" => {
            let other = decimal_arg(&mut args, "other", "same_quantum")?;
            let same = if d.is_finite() && other.is_finite() {
                d.exponent() == other.exponent()
            } else {
                d.is_nan() && other.is_nan() || d.is_infinite() && other.is_infinite()
            };
            Ok(b(same))
        }
        "copy_sign" => {
            let other = decimal_arg(&mut args, "other", "copy_sign")?;
            Ok(Value::decimal(d.copy_sign(&other)))
        }
        "is_zero" => Ok(b(d.is_zero())),
        "is_signed" => Ok(b(d.is_signed())),
        "is_nan" => Ok(b(d.is_nan())),
        "is_qnan" => Ok(b(d.is_qnan())),
        "is_snan" => Ok(b(d.is_snan())),
        "is_infinite" => Ok(b(d.is_infinite())),
        "is_finite" => Ok(b(d.is_finite())),
        "copy_abs" => Ok(Value::decimal(d.copy_abs())),
        "copy_negate" => Ok(Value::decimal(d.copy_negate())),
        "adjusted" => Ok(Value::Int(d.adjusted())),
        "to_eng_string" => Err(Error::new(
            "NotImplementedError",
            "Decimal.to_eng_string() is not supported yet",
        )),
        "as_tuple" => Ok(as_tuple(d)),
        "as_integer_ratio" => as_integer_ratio(d),
        _ if NOT_COMPUTED.contains(&name) => Err(Error::new(
            "NotImplementedError",
            format!("Decimal.{name}() is not supported yet"),
        )),
        _ => Err(Error::new(
            "AttributeError",
            format!("'decimal.Decimal' object has no attribute '{name}'"),
        )),
    }
}

pub(super) fn as_tuple(d: &Decimal) -> Value {
    let digit_values = |text: String| {
        text.chars()
            .map(|c| Value::Int(c.to_digit(10).unwrap_or(0) as i64))
            .collect::<Vec<_>>()
    };
    let (digits, exponent) = if d.is_finite() {
        (digit_values(d.digit_string()), Value::Int(d.exponent()))
    } else if d.is_infinite() {
        (vec![Value::Int(0)], Value::str("F"))
    } else {
        let payload = if d.coefficient().bits() == 0 {
            Vec::new()
        } else {
            digit_values(d.digit_string())
        };
        (payload, Value::str(if d.is_snan() { "N" } else { "n" }))
    };
    Value::NamedRow(Rc::new((
        vec!["sign".into(), "digits".into(), "exponent".into()],
        vec![
            Value::Int(d.is_signed() as i64),
            Value::tuple(digits),
            exponent,
        ],
        "DecimalTuple",
    )))
}

pub(super) fn as_integer_ratio(d: &Decimal) -> Result<Value> {
    if d.is_finite() && d.exponent().unsigned_abs() > 100_000_000 {
        return Err(Error::new("MemoryError", ""));
    }
    let Some((negative, num, den)) = d.integer_ratio() else {
        return Err(if d.is_nan() {
            Error::value_error("cannot convert NaN to integer ratio")
        } else {
            Error::new("OverflowError", "cannot convert Infinity to integer ratio")
        });
    };
    Ok(Value::tuple(vec![
        int_value(negative, num)?,
        int_value(false, den)?,
    ]))
}
