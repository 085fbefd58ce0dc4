//! The modules a shell user imports: Python's standard library as far as
//! ormsh has it (`datetime`, `decimal`, `itertools`, `math`, `functools`,
//! `json`, `string`) and Django's own (`django.utils.timezone`,
//! `django.db.transaction`, `django.core.exceptions`).
//!
//! A module is a name; its attributes are [`Native`] callables and classes
//! (named by their qualified name, which is also how they print) or
//! constants. Anything not listed here is `ModuleNotFoundError`, never a
//! name that imports and does nothing.

pub mod collections;
pub mod datetime;
pub mod decimal;
mod itertools;
mod math;
pub(crate) mod misc;
mod pprint;
mod random;
pub mod re;
mod textwrap;
pub mod timezone;
pub mod uuid;

use super::call::Args;
use super::interp::Interp;
use super::value::Value;
use crate::error::{Error, Result};

mod calls;

macro_rules! natives {
    ($($variant:ident = $name:literal),* $(,)?) => {
        /// A function or class of a module, known by its qualified name.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Native { $($variant),* }

        impl Native {
            pub fn qualname(self) -> &'static str {
                match self { $(Native::$variant => $name),* }
            }

            pub fn by_qualname(name: &str) -> Option<Native> {
                match name { $($name => Some(Native::$variant),)* _ => None }
            }

            fn all() -> impl Iterator<Item = Native> {
                [$(Native::$variant),*].into_iter()
            }
        }
    };
}

natives! {
    Date = "datetime.date", DateTime = "datetime.datetime", Time = "datetime.time",
    TimeDelta = "datetime.timedelta", Timezone = "datetime.timezone",
    DateToday = "datetime.date.today", DateFromIso = "datetime.date.fromisoformat",
    DateFromOrdinal = "datetime.date.fromordinal", DateFromTimestamp = "datetime.date.fromtimestamp",
    DateTimeNow = "datetime.datetime.now", DateTimeUtcNow = "datetime.datetime.utcnow",
    DateTimeToday = "datetime.datetime.today", DateTimeFromIso = "datetime.datetime.fromisoformat",
    DateTimeCombine = "datetime.datetime.combine", DateTimeStrptime = "datetime.datetime.strptime",
    DateTimeFromTimestamp = "datetime.datetime.fromtimestamp",
    TimeFromIso = "datetime.time.fromisoformat",
    Decimal = "decimal.Decimal", ZoneInfo = "zoneinfo.ZoneInfo",
    TzNow = "django.utils.timezone.now", TzMakeAware = "django.utils.timezone.make_aware",
    TzMakeNaive = "django.utils.timezone.make_naive", TzIsAware = "django.utils.timezone.is_aware",
    TzIsNaive = "django.utils.timezone.is_naive", TzLocaltime = "django.utils.timezone.localtime",
    TzLocaldate = "django.utils.timezone.localdate",
    TzCurrent = "django.utils.timezone.get_current_timezone",
    TzDefault = "django.utils.timezone.get_default_timezone",
    TzCurrentName = "django.utils.timezone.get_current_timezone_name",
    Atomic = "django.db.transaction.atomic",
    // What `transaction.atomic()` returns: a block to enter with `with`.
    AtomicBlock = "django.db.transaction.Atomic",
    AtomicCall = "django.db.transaction.atomic()",
    Islice = "itertools.islice", Chain = "itertools.chain",
    ChainFromIterable = "itertools.chain.from_iterable", Count = "itertools.count",
    Repeat = "itertools.repeat", Cycle = "itertools.cycle", Product = "itertools.product",
    Permutations = "itertools.permutations", Combinations = "itertools.combinations",
    CombinationsWithReplacement = "itertools.combinations_with_replacement",
    Groupby = "itertools.groupby", Accumulate = "itertools.accumulate",
    ZipLongest = "itertools.zip_longest", Takewhile = "itertools.takewhile",
    Dropwhile = "itertools.dropwhile", Starmap = "itertools.starmap",
    Pairwise = "itertools.pairwise", Compress = "itertools.compress",
    Filterfalse = "itertools.filterfalse",
    Sqrt = "math.sqrt", Floor = "math.floor", Ceil = "math.ceil", Trunc = "math.trunc",
    Fabs = "math.fabs", Log = "math.log", Log10 = "math.log10", Log2 = "math.log2",
    Exp = "math.exp", MathPow = "math.pow", Sin = "math.sin", Cos = "math.cos", Tan = "math.tan",
    Atan = "math.atan", Atan2 = "math.atan2", Isclose = "math.isclose", Isnan = "math.isnan",
    Isinf = "math.isinf", Isfinite = "math.isfinite", Factorial = "math.factorial",
    Gcd = "math.gcd", Lcm = "math.lcm", Comb = "math.comb", Perm = "math.perm",
    Prod = "math.prod", Fsum = "math.fsum", Hypot = "math.hypot", Degrees = "math.degrees",
    Radians = "math.radians", Copysign = "math.copysign", Fmod = "math.fmod", Isqrt = "math.isqrt",
    Tee = "itertools.tee",
    RandomSeed = "random.seed", RandomRandom = "random.random", RandomUniform = "random.uniform",
    RandomRandint = "random.randint", RandomRandrange = "random.randrange",
    RandomGetrandbits = "random.getrandbits", RandomChoice = "random.choice",
    RandomShuffle = "random.shuffle", RandomSample = "random.sample",
    Uuid = "uuid.UUID", Uuid4 = "uuid.uuid4",
    TextwrapDedent = "textwrap.dedent", TextwrapIndent = "textwrap.indent",
    TextwrapWrap = "textwrap.wrap", TextwrapFill = "textwrap.fill",
    TextwrapShorten = "textwrap.shorten",
    Pprint = "pprint.pprint", Pformat = "pprint.pformat", Pp = "pprint.pp",
    Saferepr = "pprint.saferepr",
    ExceptionInit = "BaseException.__init__()", ObjectInit = "object.__init__()",
    Counter = "collections.Counter", DefaultDict = "collections.defaultdict",
    OrderedDict = "collections.OrderedDict", NamedTuple = "collections.namedtuple",
    NamedTupleClass = "collections.namedtuple()",
    Partial = "functools.partial", PartialCall = "functools.partial()",
    OpAdd = "operator.add", OpSub = "operator.sub", OpMul = "operator.mul",
    OpTruediv = "operator.truediv", OpFloordiv = "operator.floordiv", OpMod = "operator.mod",
    OpPow = "operator.pow", OpNeg = "operator.neg", OpPos = "operator.pos",
    OpNot = "operator.not_", OpTruth = "operator.truth", OpEq = "operator.eq",
    OpNe = "operator.ne", OpLt = "operator.lt", OpLe = "operator.le", OpGt = "operator.gt",
    OpGe = "operator.ge", OpAnd = "operator.and_", OpOr = "operator.or_", OpXor = "operator.xor",
    OpConcat = "operator.concat", OpGetitem = "operator.getitem",
    OpContains = "operator.contains", ItemGetter = "operator.itemgetter",
    ItemGetterCall = "operator.itemgetter()", AttrGetter = "operator.attrgetter",
    AttrGetterCall = "operator.attrgetter()",
    Capwords = "string.capwords",
    Reduce = "functools.reduce",
    JsonDumps = "json.dumps", JsonLoads = "json.loads",
    ReCompile = "re.compile", ReSearch = "re.search", ReMatch = "re.match",
    ReFullmatch = "re.fullmatch", ReFindall = "re.findall", ReFinditer = "re.finditer",
    ReSub = "re.sub", ReSubn = "re.subn", ReSplit = "re.split", ReEscape = "re.escape",
    RePurge = "re.purge", RePattern = "re.Pattern", ReMatchClass = "re.Match",
    ReRegexFlag = "re.RegexFlag",
    DecimalGetcontext = "decimal.getcontext", DecimalLocalcontext = "decimal.localcontext",
    DecimalFromFloat = "decimal.Decimal.from_float",
}

/// Natives that are classes: `<class 'datetime.date'>`, usable with isinstance.
impl Native {
    pub fn is_class(self) -> bool {
        use Native::*;
        matches!(
            self,
            Date | DateTime
                | Time
                | TimeDelta
                | Timezone
                | ZoneInfo
                | Decimal
                | Uuid
                | Counter
                | DefaultDict
                | OrderedDict
                | Partial
                | ItemGetter
                | AttrGetter
                | AtomicBlock
                | Islice
                | Chain
                | Count
                | Repeat
                | Cycle
                | Product
                | Permutations
                | Combinations
                | CombinationsWithReplacement
                | Groupby
                | Accumulate
                | ZipLongest
                | Takewhile
                | Dropwhile
                | Starmap
                | Pairwise
                | Compress
                | Filterfalse
                | RePattern
                | ReMatchClass
                | ReRegexFlag
        )
    }

    /// `type(x).__name__` of a value this native made with bound arguments.
    pub fn bound_type_name(self) -> &'static str {
        match self {
            Native::PartialCall => "functools.partial",
            Native::AtomicCall => "function",
            Native::ItemGetterCall => "operator.itemgetter",
            Native::AttrGetterCall => "operator.attrgetter",
            _ => "type",
        }
    }

    /// The name as Python's messages write it (`date`, `islice`).
    pub fn name(self) -> &'static str {
        self.qualname().rsplit('.').next().unwrap_or_default()
    }

    pub fn repr(self) -> String {
        let q = self.qualname();
        if self == Native::ReRegexFlag {
            return "<flag 'RegexFlag'>".into();
        }
        if self.is_class() {
            return format!("<class '{q}'>");
        }
        match q.rsplit_once('.') {
            Some((owner, name)) if Native::by_qualname(owner).is_some_and(Native::is_class) => {
                let class = Native::by_qualname(owner).map_or(owner, Native::name);
                format!(
                    "<built-in method {name} of type object at {:#x}>",
                    class.len() * 4096
                )
            }
            _ if q.starts_with("django.") => {
                format!("<function {} at 0x7f0000000000>", self.name())
            }
            _ => format!("<built-in function {}>", self.name()),
        }
    }
}

/// The repr of a value made with bound arguments (`operator.itemgetter(1)`,
/// `functools.partial(<function f>, 1)`, a namedtuple class).
pub fn bound_repr(
    n: Native,
    args: &[Value],
    repr: &mut dyn FnMut(&Value) -> Result<String>,
) -> Result<String> {
    Ok(match n {
        Native::NamedTupleClass => format!("<class '__main__.{}'>", super::repr::str(&args[0])),
        Native::AtomicCall => repr(&args[0])?,
        Native::PartialCall => {
            let mut parts = vec![repr(&args[0])?];
            for a in &args[2..] {
                parts.push(repr(a)?);
            }
            if let Value::Dict(kw) = &args[1] {
                for (k, v) in kw.borrow().entries.values() {
                    parts.push(format!("{}={}", super::repr::str(k), repr(v)?));
                }
            }
            format!("functools.partial({})", parts.join(", "))
        }
        _ => {
            let keys = match &args[0] {
                Value::Tuple(t) => t.to_vec(),
                other => vec![other.clone()],
            };
            let parts = keys.iter().map(&mut *repr).collect::<Result<Vec<_>>>()?;
            format!("{}({})", n.bound_type_name(), parts.join(", "))
        }
    })
}

pub fn decimal_methods() -> &'static [&'static str] {
    decimal::METHODS
}

pub fn decimal_method(d: &crate::python_decimal::Decimal, name: &str, args: Args) -> Result<Value> {
    decimal::method(d, name, args)
}

/// Binds a call's arguments to named parameters, positional first, then
/// by keyword; Python's TypeErrors name `callee` (`search()`, or
/// `function` as C constructors say). Other keywords stay in `args`.
fn bind_params(
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

/// The modules ormsh has, as `import` and `from … import` find them.
pub const MODULES: &[&str] = &[
    "datetime",
    "decimal",
    "itertools",
    "math",
    "functools",
    "json",
    "string",
    "collections",
    "operator",
    "pprint",
    "random",
    "re",
    "textwrap",
    "uuid",
    "zoneinfo",
    "django",
    "django.db",
    "django.db.models",
    "django.db.models.functions",
    "django.db.transaction",
    "django.utils",
    "django.utils.timezone",
    "django.core",
    "django.core.exceptions",
    "django.contrib",
    "django.contrib.auth",
    "django.contrib.auth.models",
];

pub fn is_module(name: &str) -> bool {
    MODULES.contains(&name)
}

/// `module.name`: a submodule, a native, an exception class or a constant.
pub fn module_attr(module: &str, name: &str) -> Option<Value> {
    let qualified = format!("{module}.{name}");
    if is_module(&qualified) {
        return Some(Value::Module(qualified.as_str().into()));
    }
    if let Some(n) = Native::by_qualname(&qualified) {
        return Some(Value::Native(n));
    }
    if let Some(c) = super::exceptions::module_class(module, name) {
        return Some(c);
    }
    constant(module, name)
}

fn constant(module: &str, name: &str) -> Option<Value> {
    use datetime::Tz;
    Some(match (module, name) {
        ("datetime", "MINYEAR") => Value::Int(1),
        ("datetime", "MAXYEAR") => Value::Int(9999),
        ("datetime", "UTC") => Value::TzInfo(Tz::Utc),
        // django.utils.timezone imports these from datetime.
        ("django.utils.timezone", "datetime") => Value::Native(Native::DateTime),
        ("django.utils.timezone", "timedelta") => Value::Native(Native::TimeDelta),
        ("django.utils.timezone", "timezone") => Value::Native(Native::Timezone),
        ("decimal", _) => return decimal::constant(name),
        ("math", _) => return math::constant(name),
        ("string", _) => return misc::string_constant(name),
        ("re", _) => return re::constant(name),
        _ => return None,
    })
}

/// `Class.attr` of a native class: its class methods and constants.
pub fn class_attr(class: Native, name: &str) -> Option<Value> {
    let qualified = format!("{}.{name}", class.qualname());
    if let Some(n) = Native::by_qualname(&qualified) {
        return Some(Value::Native(n));
    }
    use chrono::{NaiveDate, NaiveTime};
    use datetime::{TimeDelta as Td, Tz};
    let max_date = NaiveDate::from_ymd_opt(9999, 12, 31)?;
    let min_date = NaiveDate::from_ymd_opt(1, 1, 1)?;
    let max_time = NaiveTime::from_hms_micro_opt(23, 59, 59, 999_999)?;
    Some(match (class, name) {
        (Native::Timezone, "utc") => Value::TzInfo(Tz::Utc),
        (Native::Date, "min") => Value::Date(min_date),
        (Native::Date, "max") => Value::Date(max_date),
        (Native::DateTime, "min") => Value::DateTime(min_date.and_time(NaiveTime::MIN), None),
        (Native::DateTime, "max") => Value::DateTime(max_date.and_time(max_time), None),
        (Native::Time, "min") => Value::Time(NaiveTime::MIN),
        (Native::Time, "max") => Value::Time(max_time),
        (Native::TimeDelta, "min") => Value::TimeDelta(Td {
            days: -999_999_999,
            seconds: 0,
            micros: 0,
        }),
        (Native::TimeDelta, "max") => Value::TimeDelta(Td {
            days: 999_999_999,
            seconds: 86_399,
            micros: 999_999,
        }),
        (Native::TimeDelta | Native::DateTime | Native::Time, "resolution") => {
            Value::TimeDelta(Td {
                days: 0,
                seconds: 0,
                micros: 1,
            })
        }
        (Native::Date, "resolution") => Value::TimeDelta(Td {
            days: 1,
            seconds: 0,
            micros: 0,
        }),
        (Native::DateTime, _)
            if Native::by_qualname(&format!("datetime.date.{name}")).is_some() =>
        {
            return None;
        }
        _ => return None,
    })
}

/// The constants each module has, for `from module import *`.
const CONSTANTS: &[(&str, &[&str])] = &[
    ("math", &["pi", "e", "tau", "inf", "nan"]),
    ("datetime", &["MINYEAR", "MAXYEAR", "UTC"]),
    ("re", re::CONSTANT_NAMES),
    ("decimal", decimal::ROUNDINGS),
    (
        "string",
        &[
            "ascii_letters",
            "ascii_lowercase",
            "ascii_uppercase",
            "digits",
            "hexdigits",
            "octdigits",
            "punctuation",
            "printable",
            "whitespace",
        ],
    ),
];

/// The names a module offers, for hints and `from module import *`.
pub fn module_names(module: &str) -> Vec<String> {
    let prefix = format!("{module}.");
    let constants = CONSTANTS
        .iter()
        .filter(|(m, _)| *m == module)
        .flat_map(|(_, names)| names.iter().copied());
    Native::all()
        .map(Native::qualname)
        .chain(MODULES.iter().copied())
        .filter_map(|q| q.strip_prefix(&prefix))
        .filter(|rest| rest.chars().all(|c| c.is_alphanumeric() || c == '_'))
        .chain(constants)
        .map(String::from)
        .collect()
}

/// The hint a missing module gets: what ormsh does have.
pub fn modules_hint() -> String {
    let top: Vec<&str> = MODULES
        .iter()
        .copied()
        .filter(|m| !m.starts_with("django"))
        .collect();
    format!(
        "ormsh has these standard modules: {}; and Django's django.db, django.db.models, django.db.models.functions, django.db.transaction, django.utils.timezone, django.core.exceptions",
        top.join(", ")
    )
}
