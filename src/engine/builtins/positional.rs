//! Builtins called with positional arguments only: `len`, `abs`, `isinstance`, `sum`, `any`…

use super::*;

impl Interp {
    pub(super) fn builtin_positional(&mut self, b: Builtin, pos: Vec<Value>) -> Result<Value> {
        self.builtin_conversions(b, Args::positional(pos))
    }

    /// `len`, `repr`, `str`, `int` and the other conversions.
    fn builtin_conversions(&mut self, b: Builtin, args: Args) -> Result<Value> {
        let name = b.name();
        let one = |args: &Args| -> Result<Value> {
            args.count(name, 1, 1)?;
            Ok(args.pos[0].clone())
        };
        match b {
            Builtin::Len => match one(&args)? {
                Value::QuerySet(qs) => Ok(Value::Int(self.py().evaluate(&qs)?.len() as i64)),
                other => len(&other).map(|n| Value::Int(n as i64)),
            },
            Builtin::Repr => Ok(Value::str(self.repr_value(&one(&args)?)?)),
            Builtin::Str => {
                args.count(name, 0, 1)?;
                match args.pos.first() {
                    Some(v) => Ok(Value::str(self.str_value(v)?)),
                    None => Ok(Value::str("")),
                }
            }
            Builtin::Int => to_int(&args),
            Builtin::Float => {
                args.count(name, 0, 1)?;
                args.pos.first().map_or(Ok(Value::Float(0.0)), to_float)
            }
            Builtin::Bool => {
                args.count(name, 0, 1)?;
                match args.pos.first() {
                    Some(v) => Ok(Value::Bool(self.truthy(v)?)),
                    None => Ok(Value::Bool(false)),
                }
            }
            Builtin::List => {
                args.count(name, 0, 1)?;
                Ok(Value::list(match args.pos.first() {
                    Some(v) => self.collect(v)?,
                    None => Vec::new(),
                }))
            }
            Builtin::Tuple => {
                args.count(name, 0, 1)?;
                Ok(Value::tuple(match args.pos.first() {
                    Some(v) => self.collect(v)?,
                    None => Vec::new(),
                }))
            }
            Builtin::Set => {
                args.count(name, 0, 1)?;
                let mut s = Set::default();
                if let Some(v) = args.pos.first() {
                    for item in self.iter(v)? {
                        s.insert(item?)?;
                    }
                }
                Ok(Value::set(s))
            }
            Builtin::Range => make_range(&args),
            Builtin::Abs => match one(&args)? {
                Value::Int(i) => Ok(i.checked_abs().map_or_else(
                    || super::super::bigint::abs(&num_bigint::BigInt::from(i)),
                    Value::Int,
                )),
                Value::BigInt(b) => Ok(super::super::bigint::abs(&b)),
                Value::RegexFlag(i) => Ok(Value::Int(i.abs())),
                Value::Bool(b) => Ok(Value::Int(b as i64)),
                Value::Float(f) => Ok(Value::Float(f.abs())),
                Value::Decimal(d) => super::super::stdlib::decimal::abs(&d),
                Value::TimeDelta(t) if t.days < 0 => super::super::stdlib::datetime::negate(&t),
                v @ Value::TimeDelta(_) => Ok(v),
                other => Err(Error::type_error(format!(
                    "bad operand type for abs(): '{}'",
                    other.type_name()
                ))),
            },
            Builtin::Round => round(&args),
            Builtin::Reversed => {
                let v = one(&args)?;
                if matches!(v, Value::Set(_) | Value::Iterator(_)) {
                    return Err(Error::type_error(format!(
                        "'{}' object is not reversible",
                        v.type_name()
                    )));
                }
                if let Value::Range { start, step, .. } = v {
                    // Lazy, as Python's range_iterator: reversed(range(10**12)).
                    let n = range_len(&v) as i128;
                    let (start, step) = (start as i128, step as i128);
                    let last = start + (n - 1) * step;
                    let items = (0..n).map(move |k| Ok(Value::Int((last - k * step) as i64)));
                    return Ok(Value::lazy_iterator("range_iterator", items));
                }
                let mut items = self.collect(&v)?;
                items.reverse();
                Ok(Value::iterator("reversed", items))
            }
            _ => self.builtin_arithmetic(b, args),
        }
    }

    fn builtin_arithmetic(&mut self, b: Builtin, args: Args) -> Result<Value> {
        let name = b.name();
        let one = |args: &Args| -> Result<Value> {
            args.count(name, 1, 1)?;
            Ok(args.pos[0].clone())
        };
        match b {
            Builtin::Any | Builtin::All => {
                let v = one(&args)?;
                let want = b == Builtin::Any;
                for item in self.iter(&v)? {
                    if item?.truthy() == want {
                        return Ok(Value::Bool(want));
                    }
                }
                Ok(Value::Bool(!want))
            }
            Builtin::Divmod => {
                args.count(name, 2, 2)?;
                if matches!(args.pos[0], Value::Decimal(_))
                    || matches!(args.pos[1], Value::Decimal(_))
                {
                    return super::super::stdlib::decimal::divmod(&args.pos[0], &args.pos[1]);
                }
                let q = ops::binary(
                    crate::syntax::ast::BinOp::FloorDiv,
                    &args.pos[0],
                    &args.pos[1],
                )?;
                let r = ops::binary(crate::syntax::ast::BinOp::Mod, &args.pos[0], &args.pos[1])?;
                Ok(Value::tuple(vec![q, r]))
            }
            Builtin::Pow => {
                args.count(name, 2, 3)?;
                let Some(m) = args.pos.get(2).filter(|m| !matches!(m, Value::None)) else {
                    return ops::binary(crate::syntax::ast::BinOp::Pow, &args.pos[0], &args.pos[1]);
                };
                let big = super::super::bigint::big;
                match (big(&args.pos[0]), big(&args.pos[1]), big(m)) {
                    (Some(x), Some(y), Some(m)) => super::super::bigint::pow_mod(&x, &y, &m),
                    _ => Err(Error::type_error(
                        "pow() 3rd argument not allowed unless all arguments are integers",
                    )),
                }
            }
            Builtin::Hex | Builtin::Oct | Builtin::Bin => {
                let v = one(&args)?;
                let x = super::super::bigint::big(&v).ok_or_else(|| {
                    Error::type_error(format!(
                        "'{}' object cannot be interpreted as an integer",
                        v.type_name()
                    ))
                })?;
                let (radix, prefix) = match b {
                    Builtin::Hex => (16, "0x"),
                    Builtin::Oct => (8, "0o"),
                    _ => (2, "0b"),
                };
                let sign = if super::super::bigint::is_negative(&x) {
                    "-"
                } else {
                    ""
                };
                Ok(Value::str(format!(
                    "{sign}{prefix}{}",
                    super::super::bigint::digits_in(&x, radix)
                )))
            }
            Builtin::Chr => {
                let v = one(&args)?;
                if let Value::BigInt(_) = v {
                    return Err(Error::new(
                        "OverflowError",
                        "Python int too large to convert to C int",
                    ));
                }
                let i = int_arg(&v)?;
                u32::try_from(i)
                    .ok()
                    .and_then(char::from_u32)
                    .map(|c| Value::str(c.to_string()))
                    .ok_or_else(|| Error::value_error("chr() arg not in range(0x110000)"))
            }
            Builtin::Ord => match one(&args)? {
                Value::Str(s) if s.chars().count() == 1 => {
                    Ok(Value::Int(s.chars().next().map_or(0, |c| c as i64)))
                }
                Value::Str(s) => Err(Error::type_error(format!(
                    "ord() expected a character, but string of length {} found",
                    s.chars().count()
                ))),
                other => Err(Error::type_error(format!(
                    "ord() expected string of length 1, but {} found",
                    other.type_name()
                ))),
            },
            _ => self.builtin_introspection(b, args),
        }
    }

    fn builtin_introspection(&mut self, b: Builtin, args: Args) -> Result<Value> {
        let name = b.name();
        let one = |args: &Args| -> Result<Value> {
            args.count(name, 1, 1)?;
            Ok(args.pos[0].clone())
        };
        match b {
            Builtin::Format => {
                args.count(name, 1, 2)?;
                let spec = args.pos.get(1).map(str).unwrap_or_default();
                Ok(Value::str(super::super::format::format_value(
                    &args.pos[0],
                    &spec,
                )?))
            }
            Builtin::Isinstance => {
                args.count(name, 2, 2)?;
                let reg = self.orm.registry.clone();
                let models = |a, b| reg.is_instance(a, b);
                Ok(Value::Bool(is_instance(
                    &args.pos[0],
                    &args.pos[1],
                    &models,
                )?))
            }
            Builtin::Issubclass => {
                args.count(name, 2, 2)?;
                Ok(Value::Bool(is_subclass(&args.pos[0], &args.pos[1])?))
            }
            Builtin::Callable => Ok(Value::Bool(matches!(
                one(&args)?,
                Value::Builtin(_)
                    | Value::Function(_)
                    | Value::BoundMethod(_)
                    | Value::Method(_)
                    | Value::MethodDescriptor(_)
                    | Value::Native(_)
                    | Value::UserClass(_)
                    | Value::Model(_)
                    | Value::ExcClass(_)
            ))),
            Builtin::Iter => {
                let v = one(&args)?;
                if let Value::Iterator(_) = v {
                    return Ok(v);
                }
                // Lazy, as Python's: iter(range(10**12)) holds nothing.
                let kind = match &v {
                    Value::List(_) => "list_iterator",
                    Value::Tuple(_) => "tuple_iterator",
                    Value::Str(_) => "str_iterator",
                    Value::Range { .. } => "range_iterator",
                    Value::Dict(_) => "dict_keyiterator",
                    Value::Set(_) => "set_iterator",
                    _ => "iterator",
                };
                let items = self.iter(&v)?;
                Ok(Value::lazy_iterator(kind, items))
            }
            Builtin::Next => {
                args.count(name, 1, 2)?;
                let Value::Iterator(it) = &args.pos[0] else {
                    return Err(Error::type_error(format!(
                        "'{}' object is not an iterator",
                        args.pos[0].type_name()
                    )));
                };
                let next = super::super::value::PyIterator::pull(it).transpose()?;
                match next.or_else(|| args.pos.get(1).cloned()) {
                    Some(v) => Ok(v),
                    None => Err(self.stop_iteration(&args.pos[0])),
                }
            }
            Builtin::Hash => {
                let v = one(&args)?;
                v.hash_key()?;
                match ops::numeric_hash(&v) {
                    Some(h) => Ok(Value::Int(h)),
                    None => Ok(Value::Int(v.identity() as i64)),
                }
            }
            _ => unreachable!("{name} is dispatched before"),
        }
    }
}
