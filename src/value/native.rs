//! The functions and classes of the modules ormsh knows, by qualified name
//! (`datetime.date`, `itertools.islice`): what such a value is and how it
//! prints. Calling one is the evaluator's.

use super::Value;
use crate::error::Result;

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

            pub fn all() -> impl Iterator<Item = Native> {
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
    PathlibPath = "pathlib.Path", PathlibPosixPath = "pathlib.PosixPath",
    PathlibPurePath = "pathlib.PurePath", PathlibPurePosixPath = "pathlib.PurePosixPath",
    PathlibPathCwd = "pathlib.Path.cwd", PathlibPathHome = "pathlib.Path.home",
    OsGetenv = "os.getenv", OsGetcwd = "os.getcwd", OsFspath = "os.fspath",
    OsPathJoin = "os.path.join", OsPathDirname = "os.path.dirname",
    OsPathBasename = "os.path.basename", OsPathAbspath = "os.path.abspath",
    OsPathRealpath = "os.path.realpath", OsPathNormpath = "os.path.normpath",
    OsPathExpanduser = "os.path.expanduser", OsPathExists = "os.path.exists",
    OsPathIsfile = "os.path.isfile", OsPathIsdir = "os.path.isdir",
    OsPathIsabs = "os.path.isabs", OsPathSplitext = "os.path.splitext",
    OsPathSplit = "os.path.split",
    Gettext = "django.utils.translation.gettext",
    GettextLazy = "django.utils.translation.gettext_lazy",
    GettextNoop = "django.utils.translation.gettext_noop",
    Pgettext = "django.utils.translation.pgettext",
    PgettextLazy = "django.utils.translation.pgettext_lazy",
    // What ormsh's own Python modules (engine/shims) call.
    GetUserModel = "django.contrib.auth.get_user_model",
    DjManager = "django.db.models.Manager", DjQuerySet = "django.db.models.QuerySet",
    // What `models.Manager()`, `QS.as_manager()` and `from_queryset(QS)()`
    // make: a manager declaration (its class and queryset class, or None).
    DjManagerDecl = "django.db.models.Manager()",
    DjAsManager = "django.db.models.QuerySet.as_manager",
    DjFromQueryset = "django.db.models.Manager.from_queryset",
    DjManagerClass = "django.db.models.Manager.from_queryset()",
    OrmshNote = "_ormsh.note", OrmshContentTypeName = "_ormsh.content_type_name",
    OrmshModelKey = "_ormsh.model_key", OrmshReadEnvFile = "_ormsh.read_env_file",
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
                | PathlibPath
                | DjManager
                | DjQuerySet
                | DjManagerClass
                | PathlibPosixPath
                | PathlibPurePath
                | PathlibPurePosixPath
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
