//! Arithmetic, comparison and hashing of the datetime module's values.

use crate::value::datetime::*;

// ---------------------------------------------------------------- arithmetic

/// The instant a datetime stands for, in UTC when it is aware.
/// Two aware datetimes as Python compares and subtracts them: by wall
/// time when they share their tzinfo, else by the instant.
pub(super) fn instants(
    x: &NaiveDateTime,
    tx: Option<Tz>,
    y: &NaiveDateTime,
    ty: Option<Tz>,
) -> (NaiveDateTime, NaiveDateTime) {
    if tx == ty {
        (*x, *y)
    } else {
        (utc_of(x, tx), utc_of(y, ty))
    }
}

pub(super) fn utc_of(dt: &NaiveDateTime, tz: Option<Tz>) -> NaiveDateTime {
    match tz {
        Some(t) => t.to_utc(*dt),
        None => *dt,
    }
}

pub(super) fn out_of_range() -> Error {
    Error::new("OverflowError", "date value out of range")
}

pub(super) fn add_to_datetime(
    dt: &NaiveDateTime,
    d: &TimeDelta,
    sign: i64,
) -> Result<NaiveDateTime> {
    let micros = i64::try_from(d.total_micros()).map_err(|_| out_of_range())?;
    let delta = chrono::TimeDelta::microseconds(micros.saturating_mul(sign));
    dt.checked_add_signed(delta)
        .filter(|r| (1..=9999).contains(&r.year()))
        .ok_or_else(out_of_range)
}

pub(super) fn add_to_date(date: &NaiveDate, d: &TimeDelta, sign: i64) -> Result<NaiveDate> {
    date.checked_add_signed(chrono::TimeDelta::days(d.days * sign))
        .filter(|r| (1..=9999).contains(&r.year()))
        .ok_or_else(out_of_range)
}

pub(super) fn delta(micros: i128) -> Result<Value> {
    TimeDelta::from_micros(micros).map(Value::TimeDelta)
}

/// `a op b` when either side is a date, datetime, time or timedelta;
/// `None` when neither is.
pub fn binary(op: BinOp, a: &Value, b: &Value) -> Option<Result<Value>> {
    if !is_datetime_value(a) && !is_datetime_value(b) {
        return None;
    }
    Some(binary_inner(op, a, b))
}

pub(super) fn binary_inner(op: BinOp, a: &Value, b: &Value) -> Result<Value> {
    use Value::{DateTime as Dt, TimeDelta as Td};
    Ok(match (op, a, b) {
        (BinOp::Add, Td(x), Td(y)) => delta(x.total_micros() + y.total_micros())?,
        (BinOp::Sub, Td(x), Td(y)) => delta(x.total_micros() - y.total_micros())?,
        (BinOp::Add, Value::Date(d), Td(t)) | (BinOp::Add, Td(t), Value::Date(d)) => {
            Value::Date(add_to_date(d, t, 1)?)
        }
        (BinOp::Sub, Value::Date(d), Td(t)) => Value::Date(add_to_date(d, t, -1)?),
        (BinOp::Sub, Value::Date(x), Value::Date(y)) => {
            delta((*x - *y).num_days() as i128 * MICROS_PER_DAY)?
        }
        (BinOp::Add, Dt(dt, tz), Td(t)) | (BinOp::Add, Td(t), Dt(dt, tz)) => {
            Dt(add_to_datetime(dt, t, 1)?, *tz)
        }
        (BinOp::Sub, Dt(dt, tz), Td(t)) => Dt(add_to_datetime(dt, t, -1)?, *tz),
        (BinOp::Sub, Dt(x, tx), Dt(y, ty)) => {
            if tx.is_some() != ty.is_some() {
                return Err(Error::type_error(
                    "can't subtract offset-naive and offset-aware datetimes",
                ));
            }
            let (a, b) = instants(x, *tx, y, *ty);
            let diff = a - b;
            delta(diff.num_microseconds().unwrap_or(0) as i128)?
        }
        (BinOp::Mul, Td(t), n) | (BinOp::Mul, n, Td(t)) if !matches!(n, Td(_)) => match n {
            Value::Int(_) | Value::Bool(_) => delta(
                t.total_micros()
                    .checked_mul(int_of(n)? as i128)
                    .ok_or_else(|| Error::new("OverflowError", "date value out of range"))?,
            )?,
            Value::Float(f) if f.is_nan() => {
                return Err(Error::value_error("cannot convert float NaN to integer"));
            }
            Value::Float(f) => {
                let m = round_half_even(t.total_micros() as f64 * f);
                if !m.is_finite() || m.abs() > 1e35 {
                    return Err(Error::new(
                        "OverflowError",
                        "cannot convert float infinity to integer",
                    ));
                }
                delta(m as i128)?
            }
            _ => return Err(crate::value::unsupported(op, a, b)),
        },
        (BinOp::Div, Td(x), Td(y)) => {
            if y.total_micros() == 0 {
                return Err(Error::new("ZeroDivisionError", "division by zero"));
            }
            Value::Float(x.total_micros() as f64 / y.total_micros() as f64)
        }
        (BinOp::FloorDiv, Td(x), Td(y)) => {
            if y.total_micros() == 0 {
                return Err(Error::new(
                    "ZeroDivisionError",
                    "integer division or modulo by zero",
                ));
            }
            Value::Int(floor_div(x.total_micros(), y.total_micros()) as i64)
        }
        (BinOp::Mod, Td(x), Td(y)) => {
            if y.total_micros() == 0 {
                return Err(Error::new(
                    "ZeroDivisionError",
                    "integer division or modulo by zero",
                ));
            }
            let (x, y) = (x.total_micros(), y.total_micros());
            delta(x - y * floor_div(x, y))?
        }
        (BinOp::Div | BinOp::FloorDiv, Td(t), Value::Int(n)) => {
            if *n == 0 {
                return Err(Error::new(
                    "ZeroDivisionError",
                    "integer division or modulo by zero",
                ));
            }
            let m = t.total_micros();
            if op == BinOp::FloorDiv {
                delta(floor_div(m, *n as i128))?
            } else {
                delta(div_half_even(m, *n as i128))?
            }
        }
        (BinOp::Div, Td(t), Value::Float(f)) => {
            if *f == 0.0 {
                return Err(Error::new("ZeroDivisionError", "division by zero"));
            }
            delta(round_half_even(t.total_micros() as f64 / f) as i128)?
        }
        _ => return Err(crate::value::unsupported(op, a, b)),
    })
}

/// `-td`, `+td`, `abs(td)`.
pub fn negate(t: &TimeDelta) -> Result<Value> {
    delta(-t.total_micros())
}

/// `==` between datetime values; `None` when neither side is one.
pub fn equals(a: &Value, b: &Value) -> Option<bool> {
    Some(match (a, b) {
        (Value::TimeDelta(x), Value::TimeDelta(y)) => x == y,
        (Value::Date(x), Value::Date(y)) => x == y,
        (Value::Time(x), Value::Time(y)) => x == y,
        (Value::DateTime(x, tx), Value::DateTime(y, ty)) => {
            let (a, b) = instants(x, *tx, y, *ty);
            tx.is_some() == ty.is_some() && a == b
        }
        // timezone objects equal by offset; a ZoneInfo only itself.
        (Value::TzInfo(x), Value::TzInfo(y)) => match (x, y) {
            (Tz::Zone(_), _) | (_, Tz::Zone(_)) => x == y,
            _ => x.utcoffset(NaiveDateTime::default()) == y.utcoffset(NaiveDateTime::default()),
        },
        _ if is_datetime_value(a) || is_datetime_value(b) => false,
        _ => return None,
    })
}

/// `<` and friends between datetime values; `None` when neither side is one.
pub fn compare(a: &Value, b: &Value, op: &str) -> Option<Result<Ordering>> {
    Some(match (a, b) {
        (Value::TimeDelta(x), Value::TimeDelta(y)) => Ok(x.cmp(y)),
        (Value::Date(x), Value::Date(y)) => Ok(x.cmp(y)),
        (Value::Time(x), Value::Time(y)) => Ok(x.cmp(y)),
        (Value::DateTime(x, tx), Value::DateTime(y, ty)) => {
            if tx.is_some() != ty.is_some() {
                Err(Error::type_error(
                    "can't compare offset-naive and offset-aware datetimes",
                ))
            } else {
                let (a, b) = instants(x, *tx, y, *ty);
                Ok(a.cmp(&b))
            }
        }
        // date's comparison gives way to datetime's, which refuses.
        (Value::DateTime(..), Value::Date(_)) | (Value::Date(_), Value::DateTime(..)) => Err(
            Error::type_error("can't compare datetime.datetime to datetime.date"),
        ),
        _ if is_datetime_value(a) || is_datetime_value(b) => Err(Error::type_error(format!(
            "'{op}' not supported between instances of '{}' and '{}'",
            a.type_name(),
            b.type_name()
        ))),
        _ => return None,
    })
}

/// The key under which a dict stores a datetime value: equal values, one key.
pub fn hash_text(v: &Value) -> Option<String> {
    Some(match v {
        Value::TimeDelta(t) => format!("timedelta {}", t.total_micros()),
        Value::DateTime(dt, None) => format!("datetime {dt}"),
        Value::DateTime(dt, Some(tz)) => format!("datetime-aware {}", utc_of(dt, Some(*tz))),
        Value::TzInfo(tz) => format!("tz {}", tz.repr()),
        _ => return None,
    })
}

/// `date.fromordinal(n)`.
pub fn fromordinal(args: Args) -> Result<Value> {
    args.count("fromordinal", 1, 1)?;
    let n = int_of(&args.pos[0])?;
    if !(1..=3_652_059).contains(&n) {
        return Err(Error::value_error("ordinal must be >= 1"));
    }
    NaiveDate::from_num_days_from_ce_opt(n as i32)
        .map(Value::Date)
        .ok_or_else(out_of_range)
}

/// `fromtimestamp(ts, tz=None)` of date or datetime.
pub fn fromtimestamp(class: &str, mut args: Args) -> Result<Value> {
    let mut p = params(&mut args, &["timestamp", "tz"], 1)?;
    let ts = match &p[0] {
        Some(Value::Int(i)) => *i as f64,
        Some(Value::Float(f)) => *f,
        Some(other) => {
            return Err(Error::type_error(format!(
                "'{}' object cannot be interpreted as an integer",
                other.type_name()
            )));
        }
        None => 0.0,
    };
    let micros = (ts * 1e6).round() as i64;
    let utc = chrono::DateTime::from_timestamp_micros(micros)
        .ok_or_else(|| Error::value_error("year is out of range"))?
        .naive_utc();
    let tz = tz_arg(p[1].take())?;
    let value = match tz {
        Some(t) => Value::DateTime(t.from_utc(utc), Some(t)),
        None => Value::DateTime(local_zone().from_utc(utc), None),
    };
    Ok(match (class, value) {
        ("date", Value::DateTime(dt, _)) => Value::Date(dt.date()),
        (_, v) => v,
    })
}

pub fn chrono_delta(t: &TimeDelta) -> chrono::TimeDelta {
    t.chrono()
}

/// `d.timetuple()`: a `time.struct_time`, whose `tm_isdst` is -1 unless a
/// ZoneInfo says whether daylight saving time is in force (a fixed offset's
/// `dst()` is None).
pub(super) fn time_tuple(v: &Value) -> Value {
    use chrono::{Datelike, Timelike};
    let (dt, tz) = match v {
        Value::DateTime(dt, tz) => (*dt, *tz),
        Value::Date(d) => (d.and_time(chrono::NaiveTime::MIN), None),
        _ => unreachable!("timetuple is a date's or a datetime's method"),
    };
    let isdst = match tz {
        Some(Tz::Zone(z)) => {
            use chrono::TimeZone;
            let utc = Tz::Zone(z).to_utc(dt);
            let off = z.offset_from_utc_datetime(&utc);
            i64::from(chrono_tz::OffsetComponents::dst_offset(&off).num_seconds() != 0)
        }
        _ => -1,
    };
    let fields = [
        ("tm_year", i64::from(dt.year())),
        ("tm_mon", i64::from(dt.month())),
        ("tm_mday", i64::from(dt.day())),
        ("tm_hour", i64::from(dt.hour())),
        ("tm_min", i64::from(dt.minute())),
        ("tm_sec", i64::from(dt.second())),
        ("tm_wday", i64::from(dt.weekday().num_days_from_monday())),
        ("tm_yday", i64::from(dt.ordinal())),
        ("tm_isdst", isdst),
    ];
    Value::NamedRow(std::rc::Rc::new((
        fields.iter().map(|(n, _)| n.to_string()).collect(),
        fields.iter().map(|(_, v)| Value::Int(*v)).collect(),
        "time.struct_time",
    )))
}
