//! Python's `datetime` module: dates, datetimes, times, timedeltas and fixed
//! time zones, with CPython's ranges, normalisation, reprs and messages.

use crate::error::{Error, Result};
use crate::syntax::ast::BinOp;
use crate::value::Args;
use crate::value::Value;
use crate::value::builtin::int_arg as int_of;
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use std::cmp::Ordering;

mod arithmetic;
mod construct;
mod methods;
mod strptime;
pub use arithmetic::*;
pub use construct::*;
pub use methods::*;
pub use strptime::*;

const MICROS_PER_DAY: i128 = 86_400_000_000;
/// `timedelta.max.days`.
const MAX_DAYS: i128 = 999_999_999;

/// `datetime.timedelta`, normalised as Python keeps it: `seconds` in
/// 0..86400 and `micros` in 0..1_000_000, the sign carried by `days`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimeDelta {
    pub days: i64,
    pub seconds: i64,
    pub micros: i64,
}

impl TimeDelta {
    pub fn from_micros(total: i128) -> Result<TimeDelta> {
        let days = total.div_euclid(MICROS_PER_DAY);
        if days.abs() > MAX_DAYS {
            return Err(Error::new(
                "OverflowError",
                format!("days={days}; must have magnitude <= {MAX_DAYS}"),
            ));
        }
        let rest = total.rem_euclid(MICROS_PER_DAY);
        Ok(TimeDelta {
            days: days as i64,
            seconds: (rest / 1_000_000) as i64,
            micros: (rest % 1_000_000) as i64,
        })
    }

    pub fn total_micros(&self) -> i128 {
        self.days as i128 * MICROS_PER_DAY + self.seconds as i128 * 1_000_000 + self.micros as i128
    }

    fn chrono(&self) -> chrono::TimeDelta {
        chrono::TimeDelta::microseconds(self.total_micros() as i64)
    }

    pub fn repr(&self) -> String {
        let mut parts = Vec::new();
        if self.days != 0 {
            parts.push(format!("days={}", self.days));
        }
        if self.seconds != 0 {
            parts.push(format!("seconds={}", self.seconds));
        }
        if self.micros != 0 {
            parts.push(format!("microseconds={}", self.micros));
        }
        if parts.is_empty() {
            parts.push("0".into());
        }
        format!("datetime.timedelta({})", parts.join(", "))
    }

    pub fn str(&self) -> String {
        let (h, m, s) = (
            self.seconds / 3600,
            self.seconds / 60 % 60,
            self.seconds % 60,
        );
        let mut out = String::new();
        if self.days != 0 {
            let plural = if self.days.abs() != 1 { "s" } else { "" };
            out.push_str(&format!("{} day{plural}, ", self.days));
        }
        out.push_str(&format!("{h}:{m:02}:{s:02}"));
        if self.micros != 0 {
            out.push_str(&format!(".{:06}", self.micros));
        }
        out
    }
}

/// A `tzinfo`: UTC, a fixed offset (`timezone(timedelta(hours=1))`), or
/// a `zoneinfo.ZoneInfo` (what Django's `localtime()` gives), whose offset
/// depends on the date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tz {
    Utc,
    Fixed(i32),
    /// `timezone(timedelta(hours=-5), 'EST')`
    Named(i32, &'static str),
    Zone(chrono_tz::Tz),
}

impl Tz {
    /// `utcoffset(dt)` of a wall time in this zone: for a time that comes
    /// twice the first (Python's `fold=0`), for one that never comes the
    /// offset in force before the change.
    pub fn utcoffset(self, wall: NaiveDateTime) -> i64 {
        use chrono::{LocalResult, Offset, TimeZone};
        match self {
            Tz::Fixed(s) | Tz::Named(s, _) => s as i64,
            Tz::Utc => 0,
            Tz::Zone(z) => match z.offset_from_local_datetime(&wall) {
                LocalResult::Single(o) | LocalResult::Ambiguous(o, _) => {
                    o.fix().local_minus_utc() as i64
                }
                LocalResult::None => {
                    let before = wall - chrono::TimeDelta::hours(14);
                    z.offset_from_utc_datetime(&before).fix().local_minus_utc() as i64
                }
            },
        }
    }

    /// The offset in force at a UTC instant.
    pub fn offset_at_utc(self, utc: NaiveDateTime) -> i64 {
        use chrono::{Offset, TimeZone};
        match self {
            Tz::Zone(z) => z.offset_from_utc_datetime(&utc).fix().local_minus_utc() as i64,
            other => other.utcoffset(utc),
        }
    }

    /// The wall time in this zone of a UTC instant.
    pub fn from_utc(self, utc: NaiveDateTime) -> NaiveDateTime {
        utc + chrono::TimeDelta::seconds(self.offset_at_utc(utc))
    }

    /// The UTC instant of a wall time in this zone.
    pub fn to_utc(self, wall: NaiveDateTime) -> NaiveDateTime {
        wall - chrono::TimeDelta::seconds(self.utcoffset(wall))
    }

    /// `tzname(dt)`: a zone's abbreviation at that time (`CET`, `CEST`).
    pub fn tzname(self, wall: NaiveDateTime) -> String {
        use chrono::TimeZone;
        match self {
            Tz::Zone(z) => {
                let utc = self.to_utc(wall);
                let abbr = z.offset_from_utc_datetime(&utc);
                chrono_tz::OffsetName::abbreviation(&abbr)
                    .map_or_else(|| offset_text(self.utcoffset(wall), ":"), str::to_string)
            }
            other => other.name(),
        }
    }

    /// A zone by its IANA key (`Europe/Paris`).
    pub fn zone(key: &str) -> Option<Tz> {
        key.parse::<chrono_tz::Tz>().ok().map(Tz::Zone)
    }

    pub fn repr(self) -> String {
        match self {
            Tz::Utc => "datetime.timezone.utc".into(),
            Tz::Zone(z) => format!("zoneinfo.ZoneInfo(key='{}')", z.name()),
            Tz::Fixed(s) => format!("datetime.timezone({})", offset_repr(s)),
            Tz::Named(s, name) => format!(
                "datetime.timezone({}, {})",
                offset_repr(s),
                crate::value::repr::str_repr(name)
            ),
        }
    }

    /// `str(tz)`, also what `tzname()` and `%Z` give.
    pub fn name(self) -> String {
        match self {
            Tz::Utc => "UTC".into(),
            Tz::Zone(z) => z.name().to_string(),
            Tz::Fixed(s) => format!("UTC{}", offset_text(s as i64, ":")),
            Tz::Named(_, name) => name.to_string(),
        }
    }

    pub fn type_name(self) -> &'static str {
        match self {
            Tz::Zone(_) => "zoneinfo.ZoneInfo",
            _ => "datetime.timezone",
        }
    }
}

fn offset_repr(seconds: i32) -> String {
    TimeDelta::from_micros(seconds as i128 * 1_000_000)
        .map(|d| d.repr())
        .unwrap_or_default()
}

/// `+01:00`, as `isoformat()` and `%z` (with no separator) write offsets.
pub fn offset_text(seconds: i64, sep: &str) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.abs();
    let mut text = format!("{sign}{:02}{sep}{:02}", s / 3600, s / 60 % 60);
    if s % 60 != 0 {
        text.push_str(&format!("{sep}{:02}", s % 60));
    }
    text
}
