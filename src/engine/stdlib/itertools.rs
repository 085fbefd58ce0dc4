//! `itertools`, lazy where its input allows: `islice(count(), 5)` never
//! builds the infinite part. The functions that call a Python callable on
//! each item (`takewhile`, `groupby` with a key, `accumulate` with a function,
//! `starmap`) consume their input as they are made.

use super::super::call::Args;
use super::super::interp::Interp;
use super::super::ops;
use super::super::value::Value;
use super::Native;
use crate::error::{Error, Result};
use crate::syntax::ast::BinOp;

fn index_arg(v: &Value, what: &str) -> Result<Option<i64>> {
    match v {
        Value::None => Ok(None),
        Value::Int(i) if *i >= 0 => Ok(Some(*i)),
        Value::Bool(b) => Ok(Some(*b as i64)),
        _ => Err(Error::value_error(format!(
            "{what} argument for islice() must be None or an integer: 0 <= x <= sys.maxsize."
        ))),
    }
}

/// At most this many items are built for a combinatoric function's result.
const MAX_COMBINATIONS: usize = 10_000_000;

fn too_many() -> Error {
    Error::new("MemoryError", "")
}

impl Interp {
    pub(super) fn call_itertools(&mut self, n: Native, args: Args) -> Result<Value> {
        match n {
            Native::Islice => {
                args.no_kw("islice")?;
                args.count("islice", 2, 4)?;
                let (start, stop, step) = match args.pos.len() {
                    2 => (Some(0), index_arg(&args.pos[1], "Stop")?, Some(1)),
                    _ => (
                        index_arg(&args.pos[1], "Indices")?,
                        index_arg(&args.pos[2], "Stop")?,
                        match args.pos.get(3) {
                            None | Some(Value::None) => Some(1),
                            Some(Value::Int(i)) if *i > 0 => Some(*i),
                            _ => {
                                return Err(Error::value_error(
                                    "Step for islice() must be a positive integer or None.",
                                ));
                            }
                        },
                    ),
                };
                let (start, step) = (start.unwrap_or(0) as usize, step.unwrap_or(1) as usize);
                let it = self.iter(&args.pos[0])?;
                // Items are counted, errors passed on (Iterator::skip would drop them).
                let mut seen = 0usize;
                let items = it.filter(move |item| {
                    let keep =
                        item.is_err() || (seen >= start && (seen - start).is_multiple_of(step));
                    if item.is_ok() {
                        seen += 1;
                    }
                    keep
                });
                Ok(match stop {
                    Some(stop) => {
                        let take = (stop as usize).saturating_sub(start).div_ceil(step);
                        Value::lazy_iterator("islice", items.take(take))
                    }
                    None => Value::lazy_iterator("islice", items),
                })
            }
            Native::Tee => {
                args.no_kw("tee")?;
                args.count("tee", 1, 2)?;
                let n = match args.pos.get(1) {
                    None => 2,
                    Some(Value::Int(n)) if *n >= 0 => *n as usize,
                    Some(Value::Int(_)) => return Err(Error::value_error("n must be >= 0")),
                    Some(other) => {
                        return Err(Error::type_error(format!(
                            "'{}' object cannot be interpreted as an integer",
                            other.type_name()
                        )));
                    }
                };
                crate::limits::reserve_items(n, std::mem::size_of::<Value>() * 8)?;
                let items = self.collect(&args.pos[0])?;
                crate::limits::reserve_items(
                    n.saturating_mul(items.len()),
                    std::mem::size_of::<Value>(),
                )?;
                Ok(Value::tuple(
                    (0..n)
                        .map(|_| Value::iterator("_tee", items.clone()))
                        .collect(),
                ))
            }
            Native::Chain => {
                args.no_kw("chain")?;
                let mut parts = Vec::new();
                for v in &args.pos {
                    parts.push(self.iter(v)?);
                }
                Ok(Value::lazy_iterator("chain", parts.into_iter().flatten()))
            }
            Native::ChainFromIterable => {
                args.count("from_iterable", 1, 1)?;
                let mut parts = Vec::new();
                for v in self.collect(&args.pos[0])? {
                    parts.push(self.iter(&v)?);
                }
                Ok(Value::lazy_iterator("chain", parts.into_iter().flatten()))
            }
            _ => self.call_itertools_infinite(n, args),
        }
    }

    fn call_itertools_infinite(&mut self, n: Native, mut args: Args) -> Result<Value> {
        match n {
            Native::Count => {
                let start = args.take_kw("start");
                let step = args.take_kw("step");
                args.no_kw("count")?;
                args.count("count", 0, 2)?;
                let mut current = args.pos.first().cloned().or(start).unwrap_or(Value::Int(0));
                let step = args.pos.get(1).cloned().or(step).unwrap_or(Value::Int(1));
                for v in [&current, &step] {
                    if !matches!(
                        v,
                        Value::Int(_) | Value::Float(_) | Value::Decimal(_) | Value::Bool(_)
                    ) {
                        return Err(Error::type_error("a number is required"));
                    }
                }
                Ok(Value::lazy_iterator(
                    "count",
                    std::iter::from_fn(move || {
                        let v = current.clone();
                        Some(ops::binary(BinOp::Add, &current, &step).map(|next| {
                            current = next;
                            v
                        }))
                    }),
                ))
            }
            Native::Repeat => {
                let times = args.take_kw("times");
                args.no_kw("repeat")?;
                args.count("repeat", 1, 2)?;
                let v = args.pos[0].clone();
                match args.pos.get(1).cloned().or(times) {
                    None => Ok(Value::lazy_iterator(
                        "repeat",
                        std::iter::repeat_with(move || Ok(v.clone())),
                    )),
                    Some(Value::Int(n)) => Ok(Value::lazy_iterator(
                        "repeat",
                        std::iter::repeat_n(v, n.max(0) as usize).map(Ok),
                    )),
                    Some(other) => Err(Error::type_error(format!(
                        "'{}' object cannot be interpreted as an integer",
                        other.type_name()
                    ))),
                }
            }
            Native::Cycle => {
                args.count("cycle", 1, 1)?;
                let items = self.collect(&args.pos[0])?;
                if items.is_empty() {
                    return Ok(Value::iterator("cycle", Vec::new()));
                }
                Ok(Value::lazy_iterator(
                    "cycle",
                    items.into_iter().cycle().map(Ok),
                ))
            }
            Native::Pairwise => {
                args.count("pairwise", 1, 1)?;
                let mut it = self.iter(&args.pos[0])?;
                let mut prev: Option<Value> = None;
                Ok(Value::lazy_iterator(
                    "pairwise",
                    std::iter::from_fn(move || {
                        loop {
                            let next = match it.next()? {
                                Ok(v) => v,
                                Err(e) => return Some(Err(e)),
                            };
                            if let Some(p) = prev.replace(next.clone()) {
                                return Some(Ok(Value::tuple(vec![p, next])));
                            }
                        }
                    }),
                ))
            }
            _ => self.call_itertools_combinatoric(n, args),
        }
    }

    fn call_itertools_combinatoric(&mut self, n: Native, args: Args) -> Result<Value> {
        let name = n.name();
        match n {
            Native::Product => self.product(args),
            Native::Permutations | Native::Combinations | Native::CombinationsWithReplacement => {
                args.no_kw(name)?;
                let need = if n == Native::Permutations { 1 } else { 2 };
                args.count(name, need, 2)?;
                let pool = self.collect(&args.pos[0])?;
                let r = match args.pos.get(1) {
                    None | Some(Value::None) => pool.len(),
                    Some(Value::Int(r)) if *r >= 0 => *r as usize,
                    Some(Value::Int(_)) => {
                        return Err(Error::value_error("r must be non-negative"));
                    }
                    Some(other) => {
                        return Err(Error::type_error(format!(
                            "'{}' object cannot be interpreted as an integer",
                            other.type_name()
                        )));
                    }
                };
                let mut out = Vec::new();
                let mut current = Vec::new();
                if r > pool.len() && n != Native::CombinationsWithReplacement {
                    return Ok(Value::iterator(name, Vec::new()));
                }
                choose(
                    &pool,
                    r,
                    n,
                    &mut vec![false; pool.len()],
                    0,
                    &mut current,
                    &mut out,
                )?;
                Ok(Value::iterator(
                    name,
                    out.into_iter().map(Value::tuple).collect(),
                ))
            }
            _ => self.call_itertools_filtering(n, args),
        }
    }

    fn product(&mut self, mut args: Args) -> Result<Value> {
        let repeat = match args.take_kw("repeat") {
            None => 1,
            Some(Value::Int(n)) if n >= 0 => n as usize,
            Some(Value::Int(_)) => {
                return Err(Error::value_error("repeat argument cannot be negative"));
            }
            Some(other) => {
                return Err(Error::type_error(format!(
                    "'{}' object cannot be interpreted as an integer",
                    other.type_name()
                )));
            }
        };
        args.no_kw("product")?;
        let mut pools = Vec::new();
        for v in &args.pos {
            pools.push(self.collect(v)?);
        }
        // The size first: nothing is built for a product too large.
        let one = pools
            .iter()
            .try_fold(1usize, |acc, p| acc.checked_mul(p.len()));
        let total = match one {
            _ if pools.is_empty() => Some(1),
            Some(0) => Some(0),
            Some(o) => u32::try_from(repeat).ok().and_then(|r| o.checked_pow(r)),
            None => None,
        };
        let width = pools.len().saturating_mul(repeat).max(1);
        match total {
            Some(t) if t <= MAX_COMBINATIONS => {
                crate::limits::reserve_items(t.saturating_mul(width), std::mem::size_of::<Value>())?
            }
            _ => return Err(too_many()),
        }
        if total == Some(0) {
            return Ok(Value::iterator("product", Vec::new()));
        }
        if pools.is_empty() {
            return Ok(Value::iterator("product", vec![Value::tuple(Vec::new())]));
        }
        let pools: Vec<Vec<Value>> = (0..repeat).flat_map(|_| pools.clone()).collect();
        let mut out = vec![Vec::new()];
        for pool in &pools {
            out = out
                .into_iter()
                .flat_map(|prefix: Vec<Value>| {
                    pool.iter().map(move |x| {
                        let mut p = prefix.clone();
                        p.push(x.clone());
                        p
                    })
                })
                .collect();
        }
        Ok(Value::iterator(
            "product",
            out.into_iter().map(Value::tuple).collect(),
        ))
    }

    fn call_itertools_filtering(&mut self, n: Native, mut args: Args) -> Result<Value> {
        let name = n.name();
        match n {
            Native::ZipLongest => {
                let fill = args.take_kw("fillvalue").unwrap_or(Value::None);
                args.no_kw("zip_longest")?;
                let columns = args
                    .pos
                    .iter()
                    .map(|a| self.collect(a))
                    .collect::<Result<Vec<_>>>()?;
                let n = columns.iter().map(Vec::len).max().unwrap_or(0);
                let rows = (0..n).map(|i| {
                    Value::tuple(
                        columns
                            .iter()
                            .map(|c| c.get(i).cloned().unwrap_or_else(|| fill.clone()))
                            .collect(),
                    )
                });
                Ok(Value::iterator("zip_longest", rows.collect()))
            }
            Native::Compress => {
                args.count("compress", 2, 2)?;
                let data = self.iter(&args.pos[0])?;
                let selectors = self.iter(&args.pos[1])?;
                Ok(Value::lazy_iterator(
                    "compress",
                    data.zip(selectors).filter_map(|(d, s)| match (d, s) {
                        (Ok(d), Ok(s)) => s.truthy().then_some(Ok(d)),
                        (Err(e), _) | (_, Err(e)) => Some(Err(e)),
                    }),
                ))
            }
            Native::Takewhile | Native::Dropwhile | Native::Filterfalse => {
                args.no_kw(name)?;
                args.count(name, 2, 2)?;
                let f = args.pos[0].clone();
                let mut out = Vec::new();
                let mut dropping = true;
                for item in self.iter(&args.pos[1])? {
                    let item = item?;
                    let keep = match &f {
                        Value::None => item.truthy(),
                        f => {
                            let r = self.call(f, Args::positional(vec![item.clone()]))?;
                            self.truthy(&r)?
                        }
                    };
                    match n {
                        Native::Takewhile if !keep => break,
                        Native::Takewhile => out.push(item),
                        Native::Dropwhile => {
                            dropping &= keep;
                            if !dropping {
                                out.push(item);
                            }
                        }
                        _ if !keep => out.push(item),
                        _ => {}
                    }
                }
                Ok(Value::iterator(name, out))
            }
            Native::Starmap => {
                args.count("starmap", 2, 2)?;
                let f = args.pos[0].clone();
                let mut out = Vec::new();
                for item in self.collect(&args.pos[1])? {
                    let a = self.collect(&item)?;
                    out.push(self.call(&f, Args::positional(a))?);
                }
                Ok(Value::iterator("starmap", out))
            }
            _ => self.call_itertools_grouping(n, args),
        }
    }

    fn call_itertools_grouping(&mut self, n: Native, mut args: Args) -> Result<Value> {
        match n {
            Native::Accumulate => {
                let initial = args
                    .take_kw("initial")
                    .filter(|v| !matches!(v, Value::None));
                let func = args.take_kw("func");
                args.no_kw("accumulate")?;
                args.count("accumulate", 1, 2)?;
                let f = args
                    .pos
                    .get(1)
                    .cloned()
                    .or(func)
                    .filter(|v| !matches!(v, Value::None));
                let mut out = Vec::new();
                let mut acc = initial;
                if let Some(a) = &acc {
                    out.push(a.clone());
                }
                for item in self.iter(&args.pos[0])? {
                    let item = item?;
                    let next = match (&acc, &f) {
                        (None, _) => item,
                        (Some(a), None) => ops::binary(BinOp::Add, a, &item)?,
                        (Some(a), Some(f)) => {
                            self.call(f, Args::positional(vec![a.clone(), item]))?
                        }
                    };
                    out.push(next.clone());
                    acc = Some(next);
                }
                Ok(Value::iterator("accumulate", out))
            }
            Native::Groupby => {
                let key = args.take_kw("key").filter(|v| !matches!(v, Value::None));
                args.no_kw("groupby")?;
                args.count("groupby", 1, 2)?;
                let key = args
                    .pos
                    .get(1)
                    .cloned()
                    .filter(|v| !matches!(v, Value::None))
                    .or(key);
                let mut groups: Vec<(Value, Vec<Value>)> = Vec::new();
                for item in self.iter(&args.pos[0])? {
                    let item = item?;
                    let k = match &key {
                        Some(f) => self.call(f, Args::positional(vec![item.clone()]))?,
                        None => item.clone(),
                    };
                    match groups.last_mut() {
                        Some((last, members)) if ops::equals(last, &k)? => members.push(item),
                        _ => groups.push((k, vec![item])),
                    }
                }
                let pairs = groups
                    .into_iter()
                    .map(|(k, members)| Value::tuple(vec![k, Value::iterator("_grouper", members)]))
                    .collect();
                Ok(Value::iterator("groupby", pairs))
            }
            _ => unreachable!("{} is not in itertools", n.qualname()),
        }
    }
}

/// The r-length selections of `pool` in itertools' order.
fn choose(
    pool: &[Value],
    r: usize,
    kind: Native,
    used: &mut Vec<bool>,
    from: usize,
    current: &mut Vec<Value>,
    out: &mut Vec<Vec<Value>>,
) -> Result<()> {
    if current.len() == r {
        if out.len() >= MAX_COMBINATIONS {
            return Err(too_many());
        }
        out.push(current.clone());
        return Ok(());
    }
    let start = if kind == Native::Permutations {
        0
    } else {
        from
    };
    for i in start..pool.len() {
        if kind == Native::Permutations && used[i] {
            continue;
        }
        used[i] = true;
        current.push(pool[i].clone());
        let next = if kind == Native::CombinationsWithReplacement {
            i
        } else {
            i + 1
        };
        choose(pool, r, kind, used, next, current, out)?;
        current.pop();
        used[i] = false;
    }
    Ok(())
}
