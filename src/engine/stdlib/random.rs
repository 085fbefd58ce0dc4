//! `random`, with CPython's generator (MT19937), seeding and algorithms,
//! so that a seeded sequence is the one Python gives (`random.seed(42)`,
//! then `randint`, `choice`, `shuffle`, `sample`, `random`, `uniform`).

use super::super::builtins::int_arg;
use super::super::call::Args;
use super::super::interp::Interp;
use super::super::value::Value;
use super::Native;
use crate::error::{Error, Result};
use std::cell::RefCell;

const N: usize = 624;
const M: usize = 397;

pub struct Mt {
    state: [u32; N],
    index: usize,
}

impl Mt {
    fn init_genrand(seed: u32) -> Mt {
        let mut state = [0u32; N];
        state[0] = seed;
        for i in 1..N {
            state[i] = 1_812_433_253u32
                .wrapping_mul(state[i - 1] ^ (state[i - 1] >> 30))
                .wrapping_add(i as u32);
        }
        Mt { state, index: N }
    }

    /// CPython's `init_by_array`, as `random.seed(int)` calls it.
    fn by_array(key: &[u32]) -> Mt {
        let mut mt = Mt::init_genrand(19_650_218);
        let s = &mut mt.state;
        let (mut i, mut j) = (1usize, 0usize);
        for _ in 0..N.max(key.len()) {
            s[i] = (s[i] ^ (s[i - 1] ^ (s[i - 1] >> 30)).wrapping_mul(1_664_525))
                .wrapping_add(key[j])
                .wrapping_add(j as u32);
            i += 1;
            j += 1;
            if i >= N {
                s[0] = s[N - 1];
                i = 1;
            }
            if j >= key.len() {
                j = 0;
            }
        }
        for _ in 0..N - 1 {
            s[i] = (s[i] ^ (s[i - 1] ^ (s[i - 1] >> 30)).wrapping_mul(1_566_083_941))
                .wrapping_sub(i as u32);
            i += 1;
            if i >= N {
                s[0] = s[N - 1];
                i = 1;
            }
        }
        s[0] = 0x8000_0000;
        mt
    }

    fn next_u32(&mut self) -> u32 {
        if self.index >= N {
            for k in 0..N {
                let y = (self.state[k] & 0x8000_0000) | (self.state[(k + 1) % N] & 0x7fff_ffff);
                let mut v = self.state[(k + M) % N] ^ (y >> 1);
                if y & 1 == 1 {
                    v ^= 0x9908_b0df;
                }
                self.state[k] = v;
            }
            self.index = 0;
        }
        let mut y = self.state[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    fn random(&mut self) -> f64 {
        let a = (self.next_u32() >> 5) as f64;
        let b = (self.next_u32() >> 6) as f64;
        (a * 67_108_864.0 + b) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// `getrandbits(k)` for k up to 64.
    fn bits(&mut self, k: u32) -> u64 {
        if k <= 32 {
            return (self.next_u32() >> (32 - k)) as u64;
        }
        let low = self.next_u32() as u64;
        let high = (self.next_u32() >> (64 - k)) as u64;
        low | (high << 32)
    }

    /// `_randbelow(n)`: getrandbits of n's bit length until below n.
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let k = 64 - n.leading_zeros();
        loop {
            let r = self.bits(k);
            if r < n {
                return r;
            }
        }
    }
}

thread_local! {
    static GENERATOR: RefCell<Mt> = RefCell::new(Mt::by_array(&entropy()));
}

/// An unseeded generator's seed: the process's own randomness.
fn entropy() -> Vec<u32> {
    use std::hash::{BuildHasher, Hasher};
    let mut out = Vec::new();
    for _ in 0..4 {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64),
        );
        let v = h.finish();
        out.push(v as u32);
        out.push((v >> 32) as u32);
    }
    out
}

fn with<T>(f: impl FnOnce(&mut Mt) -> T) -> T {
    GENERATOR.with(|g| f(&mut g.borrow_mut()))
}

/// An argument of randrange as Python 3.11 takes it: an int, or a float
/// that is one.
fn range_arg(v: &Value, position: usize) -> Result<i64> {
    match v {
        Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.2e18 => Ok(*f as i64),
        Value::Float(_) => Err(Error::value_error(format!(
            "non-integer arg {position} for randrange()"
        ))),
        other => int_arg(other),
    }
}

fn randrange(start: i64, stop: i64, step: i64) -> Result<Value> {
    let width = stop as i128 - start as i128;
    if step == 1 {
        if width <= 0 {
            return Err(Error::value_error(format!(
                "empty range for randrange() ({start}, {stop}, {width})"
            )));
        }
        return Ok(Value::Int(start + with(|g| g.below(width as u64)) as i64));
    }
    if step == 0 {
        return Err(Error::value_error("zero step for randrange()"));
    }
    let n = if step > 0 {
        (width + step as i128 - 1) / step as i128
    } else {
        (width + step as i128 + 1) / step as i128
    };
    if n <= 0 {
        return Err(Error::value_error(format!(
            "empty range for randrange() ({start}, {stop}, {step})"
        )));
    }
    let r = with(|g| g.below(n as u64)) as i64;
    Ok(Value::Int(start + step * r))
}

impl Interp {
    pub(super) fn call_random(&mut self, n: Native, mut args: Args) -> Result<Value> {
        match n {
            Native::RandomSeed => {
                args.take_kw("version");
                args.count("seed", 0, 2)?;
                let key: Vec<u32> = match args.pos.first() {
                    None | Some(Value::None) => entropy(),
                    Some(Value::Int(i)) => {
                        let a = i.unsigned_abs();
                        if a >> 32 == 0 {
                            vec![a as u32]
                        } else {
                            vec![a as u32, (a >> 32) as u32]
                        }
                    }
                    Some(Value::Bool(b)) => vec![*b as u32],
                    Some(Value::Float(f)) if f.fract() == 0.0 && f.abs() < 9e15 => {
                        let a = (*f as i64).unsigned_abs();
                        if a >> 32 == 0 {
                            vec![a as u32]
                        } else {
                            vec![a as u32, (a >> 32) as u32]
                        }
                    }
                    Some(other) => {
                        return Err(Error::new(
                            "NotImplementedError",
                            format!(
                                "random.seed() of a {} is not supported; seed with an int",
                                other.type_name()
                            ),
                        ));
                    }
                };
                GENERATOR.with(|g| *g.borrow_mut() = Mt::by_array(&key));
                Ok(Value::None)
            }
            Native::RandomRandom => {
                args.count("random", 0, 0)?;
                Ok(Value::Float(with(Mt::random)))
            }
            Native::RandomUniform => {
                args.count("uniform", 2, 2)?;
                let f = |v: &Value| match v {
                    Value::Int(i) => Ok(*i as f64),
                    Value::Float(f) => Ok(*f),
                    other => Err(Error::type_error(format!(
                        "unsupported operand type(s) for -: '{}' and 'float'",
                        other.type_name()
                    ))),
                };
                let (a, b) = (f(&args.pos[0])?, f(&args.pos[1])?);
                Ok(Value::Float(a + (b - a) * with(Mt::random)))
            }
            Native::RandomRandint => {
                args.count("randint", 2, 2)?;
                let (a, b) = (range_arg(&args.pos[0], 1)?, range_arg(&args.pos[1], 2)?);
                randrange(a, b.saturating_add(1), 1)
            }
            _ => self.call_random_choosing(n, args),
        }
    }

    fn call_random_choosing(&mut self, n: Native, args: Args) -> Result<Value> {
        let _name = n.name();
        match n {
            Native::RandomRandrange => {
                args.count("randrange", 1, 3)?;
                let ints = args
                    .pos
                    .iter()
                    .enumerate()
                    .map(|(i, v)| range_arg(v, i + 1))
                    .collect::<Result<Vec<_>>>()?;
                match ints.as_slice() {
                    [stop] if *stop <= 0 => Err(Error::value_error("empty range for randrange()")),
                    [stop] => randrange(0, *stop, 1),
                    [start, stop] => randrange(*start, *stop, 1),
                    [start, stop, step] => randrange(*start, *stop, *step),
                    _ => unreachable!("counted"),
                }
            }
            Native::RandomGetrandbits => {
                args.count("getrandbits", 1, 1)?;
                let k = int_arg(&args.pos[0])?;
                if k < 0 {
                    return Err(Error::value_error("number of bits must be non-negative"));
                }
                if k > 63 {
                    return Err(Error::new(
                        "OverflowError",
                        "integer result too large: ormsh integers are 64-bit",
                    ));
                }
                Ok(Value::Int(if k == 0 {
                    0
                } else {
                    with(|g| g.bits(k as u32)) as i64
                }))
            }
            Native::RandomChoice => {
                args.count("choice", 1, 1)?;
                let items = self.collect(&args.pos[0])?;
                if items.is_empty() {
                    return Err(Error::new(
                        "IndexError",
                        "Cannot choose from an empty sequence",
                    ));
                }
                let i = with(|g| g.below(items.len() as u64)) as usize;
                Ok(items[i].clone())
            }
            _ => self.call_random_sampling(n, args),
        }
    }

    fn call_random_sampling(&mut self, n: Native, mut args: Args) -> Result<Value> {
        let name = n.name();
        match n {
            Native::RandomShuffle => {
                args.count("shuffle", 1, 1)?;
                let Value::List(l) = &args.pos[0] else {
                    return Err(Error::type_error(format!(
                        "'{}' object does not support item assignment",
                        args.pos[0].type_name()
                    )));
                };
                let mut items = l.borrow_mut();
                for i in (1..items.len()).rev() {
                    let j = with(|g| g.below(i as u64 + 1)) as usize;
                    items.swap(i, j);
                }
                Ok(Value::None)
            }
            Native::RandomSample => {
                let counts = args.take_kw("counts");
                if counts.is_some() {
                    return Err(Error::new(
                        "NotImplementedError",
                        "sample(counts=) is not supported yet",
                    ));
                }
                let k_kw = args.take_kw("k");
                args.no_kw("sample")?;
                let population = match args.pos.first() {
                    Some(Value::Set(_) | Value::Dict(_)) => {
                        return Err(Error::type_error(
                            "Population must be a sequence.  For dicts or sets, use sorted(d).",
                        ));
                    }
                    Some(v) => self.collect(v)?,
                    None => {
                        return Err(Error::type_error(
                            "sample() missing 2 required positional arguments: 'population' and 'k'",
                        ));
                    }
                };
                let k = match args.pos.get(1).or(k_kw.as_ref()) {
                    Some(v) => int_arg(v)?,
                    None => {
                        return Err(Error::type_error(
                            "sample() missing 1 required positional argument: 'k'",
                        ));
                    }
                };
                let n = population.len();
                if k < 0 || k as usize > n {
                    return Err(Error::value_error(
                        "Sample larger than population or is negative",
                    ));
                }
                let k = k as usize;
                // CPython's two ways: a pool for small populations, else a set.
                let mut setsize = 21usize;
                if k > 5 {
                    setsize += 4usize.pow(((k * 3) as f64).log(4.0).ceil() as u32);
                }
                let mut result = Vec::with_capacity(k);
                if n <= setsize {
                    let mut pool = population.clone();
                    for i in 0..k {
                        let j = with(|g| g.below((n - i) as u64)) as usize;
                        result.push(pool[j].clone());
                        pool[j] = pool[n - i - 1].clone();
                    }
                } else {
                    let mut selected = std::collections::HashSet::new();
                    for _ in 0..k {
                        let mut j = with(|g| g.below(n as u64)) as usize;
                        while selected.contains(&j) {
                            j = with(|g| g.below(n as u64)) as usize;
                        }
                        selected.insert(j);
                        result.push(population[j].clone());
                    }
                }
                Ok(Value::list(result))
            }
            _ => unreachable!("{name} is not in random"),
        }
    }
}
