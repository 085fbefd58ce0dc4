//! `django.utils.dateparse.parse_duration`: a duration's text in Django's
//! format (`3 days, 10:15:30.5`, `10:15`), ISO 8601's (`P1DT02H00M00S`, what
//! fixtures hold) or PostgreSQL's (`3 days 04:05:06`).

use crate::value::datetime::TimeDelta;
use fancy_regex::{Captures, Regex};
use std::sync::LazyLock;

static STANDARD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:(?P<days>-?\d+) (days?, )?)?(?P<sign>-?)((?:(?P<hours>\d+):)(?=\d+:\d+))?(?:(?P<minutes>\d+):)?(?P<seconds>\d+)(?:[.,](?P<microseconds>\d{1,6})\d{0,6})?$",
    )
    .expect("a valid pattern")
});

static ISO8601: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?P<sign>[-+]?)P(?:(?P<days>\d+(?:[.,]\d+)?)D)?(?:T(?:(?P<hours>\d+(?:[.,]\d+)?)H)?(?:(?P<minutes>\d+(?:[.,]\d+)?)M)?(?:(?P<seconds>\d+(?:[.,]\d+)?)S)?)?$",
    )
    .expect("a valid pattern")
});

static POSTGRES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:(?P<days>-?\d+) (days? ?))?(?:(?P<sign>[-+])?(?P<hours>\d+):(?P<minutes>\d\d):(?P<seconds>\d\d)(?:\.(?P<microseconds>\d{1,6}))?)?$",
    )
    .expect("a valid pattern")
});

/// The duration, or None when the text is in none of the formats.
pub fn parse_duration(text: &str) -> Option<TimeDelta> {
    for (re, iso) in [(&*STANDARD, false), (&*ISO8601, true), (&*POSTGRES, false)] {
        if let Ok(Some(c)) = re.captures(text) {
            return from_parts(&c, iso);
        }
    }
    None
}

/// Django's arithmetic on the groups: the days signed by the ISO sign
/// only, the rest by the sign group. Django reads each group as a float;
/// whole numbers are added exactly here, as timedelta adds them.
fn from_parts(c: &Captures<'_, str>, iso: bool) -> Option<TimeDelta> {
    let whole = ["days", "hours", "minutes", "seconds", "microseconds"]
        .iter()
        .all(|g| c.name(g).is_none_or(|m| !m.as_str().contains(['.', ','])));
    if whole {
        return exact(c, iso);
    }
    let number = |name: &str| -> Option<f64> {
        c.name(name)
            .map(|m| m.as_str().replace(',', "."))
            .and_then(|t| t.parse().ok())
    };
    let micros_group = c
        .name("microseconds")
        .map(|m| format!("{:0<6}", m.as_str()).parse::<f64>().unwrap_or(0.0));
    let sign = if c.name("sign").is_some_and(|m| m.as_str() == "-") {
        -1.0
    } else {
        1.0
    };
    let days = number("days").unwrap_or(0.0) * if iso { sign } else { 1.0 };
    let rest = number("hours").unwrap_or(0.0) * 3_600e6
        + number("minutes").unwrap_or(0.0) * 60e6
        + number("seconds").unwrap_or(0.0) * 1e6
        + micros_group.unwrap_or(0.0);
    let total = days * 86_400e6 + sign * rest;
    TimeDelta::from_micros(total.round_ties_even() as i128).ok()
}

/// The same sum in whole microseconds.
fn exact(c: &Captures<'_, str>, iso: bool) -> Option<TimeDelta> {
    let int =
        |name: &str| -> Option<i128> { c.name(name).map_or(Some(0), |m| m.as_str().parse().ok()) };
    let micros = c.name("microseconds").map_or(Some(0), |m| {
        format!("{:0<6}", m.as_str()).parse::<i128>().ok()
    })?;
    let sign: i128 = if c.name("sign").is_some_and(|m| m.as_str() == "-") {
        -1
    } else {
        1
    };
    let days = int("days")? * if iso { sign } else { 1 };
    let rest = int("hours")? * 3_600_000_000
        + int("minutes")? * 60_000_000
        + int("seconds")? * 1_000_000
        + micros;
    TimeDelta::from_micros(days * 86_400_000_000 + sign * rest).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn micros(text: &str) -> Option<i128> {
        parse_duration(text).map(|d| d.total_micros())
    }

    #[test]
    fn reads_django_iso_and_postgres_formats() {
        assert_eq!(
            micros("10:15:30"),
            Some((10 * 3600 + 15 * 60 + 30) * 1_000_000)
        );
        // Two parts are minutes and seconds, not hours and minutes.
        assert_eq!(micros("10:15"), Some((10 * 60 + 15) * 1_000_000));
        assert_eq!(
            micros("3 days, 0:00:01.5"),
            Some((3 * 86_400 + 1) * 1_000_000 + 500_000)
        );
        assert_eq!(micros("P1DT02H00M00S"), Some((86_400 + 7_200) * 1_000_000));
        // ISO's sign applies to the days too; Django's own format's does not.
        assert_eq!(micros("-P1DT01H"), Some(-(86_400 + 3_600) * 1_000_000));
        assert_eq!(micros("-1 00:00:01"), Some(-(86_400 - 1) * 1_000_000));
        assert_eq!(
            micros("3 days 04:05:06"),
            Some((3 * 86_400 + 4 * 3600 + 5 * 60 + 6) * 1_000_000)
        );
        assert_eq!(micros("an hour"), None);
        // Whole numbers stay exact where a float would round.
        assert_eq!(
            micros("999999999 23:59:59.999999"),
            Some(999_999_999 * 86_400_000_000 + 86_399_999_999)
        );
    }
}
