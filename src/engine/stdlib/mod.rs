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
pub use crate::value::{datetime, decimal};
mod itertools;
mod managers;
mod math;
pub(crate) mod misc;
pub mod os;
mod pprint;
mod random;
pub mod re;
mod textwrap;
pub mod timezone;
pub use crate::value::uuid;

use super::call::Args;
use super::interp::Interp;
use super::value::Value;
use crate::error::{Error, Result};

mod calls;

pub use crate::value::native::{Native, bound_repr};

pub fn decimal_methods() -> &'static [&'static str] {
    decimal::METHODS
}

pub fn decimal_method(d: &crate::python_decimal::Decimal, name: &str, args: Args) -> Result<Value> {
    decimal::method(d, name, args)
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
    "os",
    "_ormsh",
    "os.path",
    "sys",
    "pathlib",
    "django",
    "django.db",
    "django.db.models",
    "django.db.models.functions",
    "django.db.transaction",
    "django.utils",
    "django.utils.timezone",
    "django.utils.translation",
    "django.core",
    "django.core.exceptions",
    "django.contrib",
    "django.contrib.auth",
    "django.contrib.auth.models",
    "django.contrib.contenttypes",
    "django.contrib.contenttypes.models",
    "django.contrib.admin",
    "django.contrib.admin.models",
    "django.contrib.sessions",
    "django.contrib.sessions.models",
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
        ("os" | "os.path" | "sys", _) => return os::constant(module, name),
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
        (Native::DjQuerySet, "as_manager") => {
            Value::Bound(std::rc::Rc::new((Native::DjAsManager, vec![Value::None])))
        }
        (Native::DjManager, "from_queryset") => Value::Bound(std::rc::Rc::new((
            Native::DjFromQueryset,
            vec![Value::None],
        ))),
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
    ("os", os::OS_CONSTANTS),
    ("sys", os::SYS_CONSTANTS),
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
        .filter(|m| !m.starts_with("django") && !m.starts_with('_'))
        .collect();
    format!(
        "ormsh has these standard modules: {}; and Django's django.db, django.db.models, django.db.models.functions, django.db.transaction, django.utils.timezone, django.core.exceptions",
        top.join(", ")
    )
}
