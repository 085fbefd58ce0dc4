//! `django.utils.timezone`, following the project's `USE_TZ` and `TIME_ZONE`.
//!
//! Zones are IANA's (chrono-tz's copy of the database): `TIME_ZONE` is a
//! `zoneinfo.ZoneInfo`, as Django's current time zone is.

use super::super::call::Args;
use super::super::value::Value;
use super::Native;
use super::datetime::{self, Tz};
use crate::error::{Error, Result};
use crate::settings::TimeSettings;

/// What the settings mean for `django.utils.timezone`.
pub trait Zones {
    fn zone(&self) -> Result<Tz>;
    fn now(&self) -> Value;
}

impl Zones for TimeSettings {
    /// The current time zone, as `get_current_timezone()` returns it.
    fn zone(&self) -> Result<Tz> {
        Tz::zone(&self.time_zone).ok_or_else(|| {
            Error::value_error(format!("Incorrect timezone setting: {}", self.time_zone))
        })
    }

    /// What `timezone.now()` returns.
    fn now(&self) -> Value {
        if self.use_tz {
            Value::DateTime(datetime::utc_now(), Some(Tz::Utc))
        } else {
            Value::DateTime(datetime::local_now(), None)
        }
    }
}

fn tz_param(args: &mut Args, pos: usize, settings: &TimeSettings) -> Result<Tz> {
    let given = args
        .take_kw("timezone")
        .or_else(|| args.pos.get(pos).cloned());
    match given {
        None | Some(Value::None) => settings.zone(),
        Some(Value::TzInfo(tz)) => Ok(tz),
        Some(other) => Err(Error::type_error(format!(
            "tzinfo argument must be None or of a tzinfo subclass, not type '{}'",
            other.type_name()
        ))),
    }
}

fn datetime_arg(args: &Args, name: &str) -> Result<Value> {
    match args.pos.first() {
        Some(v @ Value::DateTime(..)) => Ok(v.clone()),
        Some(other) => Err(Error::new(
            "AttributeError",
            format!(
                "'{}' object has no attribute '{}'",
                other.type_name(),
                if name == "is_aware" {
                    "utcoffset"
                } else {
                    "tzinfo"
                }
            ),
        )),
        None => Err(Error::type_error(format!(
            "{name}() missing 1 required positional argument: 'value'"
        ))),
    }
}

pub fn call(n: Native, mut args: Args, settings: &TimeSettings) -> Result<Value> {
    match n {
        Native::TzNow => {
            args.count("now", 0, 0)?;
            Ok(settings.now())
        }
        Native::TzIsAware | Native::TzIsNaive => {
            let Value::DateTime(_, tz) = datetime_arg(&args, n.name())? else {
                unreachable!()
            };
            Ok(Value::Bool(tz.is_some() == (n == Native::TzIsAware)))
        }
        Native::TzCurrent | Native::TzDefault => Ok(Value::TzInfo(settings.zone()?)),
        Native::TzCurrentName => Ok(Value::str(settings.time_zone.as_str())),
        Native::TzMakeAware => {
            let Value::DateTime(dt, tz) = datetime_arg(&args, "make_aware")? else {
                unreachable!()
            };
            let zone = tz_param(&mut args, 1, settings)?;
            if tz.is_some() {
                return Err(Error::value_error(
                    "Not naive datetime (tzinfo is already set)",
                ));
            }
            Ok(Value::DateTime(dt, Some(zone)))
        }
        Native::TzMakeNaive => {
            let v = datetime_arg(&args, "make_naive")?;
            let zone = tz_param(&mut args, 1, settings)?;
            match v {
                Value::DateTime(_, None) => Err(Error::value_error(
                    "make_naive() cannot be applied to a naive datetime",
                )),
                Value::DateTime(dt, Some(tz)) => Ok(Value::DateTime(shift(dt, tz, zone), None)),
                _ => unreachable!(),
            }
        }
        Native::TzLocaltime | Native::TzLocaldate => {
            let value = match args.take_kw("value").or_else(|| args.pos.first().cloned()) {
                None | Some(Value::None) => {
                    if !settings.use_tz {
                        // Django's localtime(None) is now(), naive here.
                        return Err(Error::value_error(
                            "localtime() cannot be applied to a naive datetime",
                        ));
                    }
                    settings.now()
                }
                Some(v) => v,
            };
            let zone = tz_param(&mut args, 1, settings)?;
            let Value::DateTime(dt, tz) = value else {
                return Err(Error::new(
                    "AttributeError",
                    format!(
                        "'{}' object has no attribute 'utcoffset'",
                        value.type_name()
                    ),
                ));
            };
            let Some(tz) = tz else {
                return Err(Error::value_error(
                    "localtime() cannot be applied to a naive datetime",
                ));
            };
            let local = shift(dt, tz, zone);
            Ok(if n == Native::TzLocaldate {
                Value::Date(local.date())
            } else {
                Value::DateTime(local, Some(zone))
            })
        }
        _ => unreachable!("{} is not in django.utils.timezone", n.qualname()),
    }
}

/// The wall time in `to` of a wall time in `from`.
fn shift(dt: chrono::NaiveDateTime, from: Tz, to: Tz) -> chrono::NaiveDateTime {
    to.from_utc(from.to_utc(dt))
}
