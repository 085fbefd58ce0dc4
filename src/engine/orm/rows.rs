//! Database values to Python values, as Django's SQLite converters make
//! them, and the shapes of `values()` / `values_list()` rows.

use super::super::value::{Dict, Value};
use crate::query::Shape;
use crate::schema::{Field, FieldKind, ModelId, Registry};
use rusqlite::types::Value as Sql;
use rust_decimal::Decimal;

pub(super) fn from_db(reg: &Registry, f: &Field, v: Sql) -> Value {
    let kind = match &f.relation {
        Some(rel) if f.kind.is_foreign_key() => {
            let t = reg.model(rel.target);
            t.field(&rel.to_field).unwrap_or_else(|| t.pk()).kind
        }
        _ => f.kind,
    };
    convert(kind, f.decimal_places, v)
}

fn convert(kind: FieldKind, places: Option<u32>, v: Sql) -> Value {
    use FieldKind::*;
    match (kind, v) {
        (_, Sql::Null) => Value::None,
        (BooleanField, Sql::Integer(i)) => Value::Bool(i != 0),
        (FloatField, Sql::Integer(i)) => Value::Float(i as f64),
        (FloatField, Sql::Real(r)) => Value::Float(r),
        (DecimalField, v) => decimal(v, places),
        (DateField, Sql::Text(s)) => crate::query::parse_date_value(&s)
            .map(Value::Date)
            .unwrap_or(Value::str(s)),
        (DateTimeField, Sql::Text(s)) => crate::query::parse_datetime_value(&s)
            .map(Value::DateTime)
            .unwrap_or(Value::str(s)),
        (TimeField, Sql::Text(s)) => chrono::NaiveTime::parse_from_str(&s, "%H:%M:%S%.f")
            .map(Value::Time)
            .unwrap_or(Value::str(s)),
        (JSONField, Sql::Text(s)) => crate::render::parse_json(&s).unwrap_or(Value::str(s)),
        (k, Sql::Integer(i)) if k.is_text() => Value::str(i.to_string()),
        (_, Sql::Integer(i)) => Value::Int(i),
        (_, Sql::Real(r)) => Value::Float(r),
        (_, Sql::Text(s)) => Value::str(s),
        (_, Sql::Blob(b)) => Value::str(String::from_utf8_lossy(&b).into_owned()),
    }
}

/// A computed column (an annotation or aggregate) as Django's converter for
/// its output type gives it.
pub(super) fn from_output(out: &crate::query::compile::annotate::Output, v: Sql) -> Value {
    match (out.kind, out.places, v) {
        (_, _, Sql::Null) => Value::None,
        (FieldKind::DecimalField, None, v) => computed_decimal(v),
        (kind, places, v) => convert(kind, places, v),
    }
}

/// Django's SQLite converter for a decimal that is not a plain column:
/// `Context(prec=15).create_decimal_from_float`, exact when the float has
/// at most 15 significant digits, else rounded to 15 (trailing zeros kept).
fn computed_decimal(v: Sql) -> Value {
    let f = match v {
        Sql::Integer(i) => return Value::Decimal(Decimal::from(i)),
        Sql::Real(f) => f,
        Sql::Text(s) => return Value::Decimal(s.trim().parse().unwrap_or_default()),
        _ => return Value::None,
    };
    if let Some(d) = exact_decimal(f) {
        return Value::Decimal(d);
    }
    let text = format!("{:.*e}", 14, f);
    Value::Decimal(Decimal::from_scientific(&text).unwrap_or_default())
}

/// The float's exact decimal value, when it has at most 15 digits.
fn exact_decimal(f: f64) -> Option<Decimal> {
    if !f.is_finite() {
        return None;
    }
    if f == f.trunc() && f.abs() < 1e15 {
        return Some(Decimal::from(f as i64));
    }
    // f = m / 2^k with m odd is m * 5^k / 10^k: k decimal places.
    let bits = f.abs();
    let mut k = 0u32;
    let mut m = bits;
    while m != m.trunc() && k < 22 {
        m *= 2.0;
        k += 1;
    }
    if m != m.trunc() {
        return None;
    }
    let digits = (m as i128).checked_mul(5i128.checked_pow(k)?)?;
    if digits >= 1_000_000_000_000_000 {
        return None;
    }
    let signed = if f < 0.0 { -digits } else { digits };
    Decimal::try_from_i128_with_scale(signed, k).ok()
}

/// A database value with no field to say what it is.
pub(super) fn plain(v: &Sql) -> Value {
    match v {
        Sql::Null => Value::None,
        Sql::Integer(i) => Value::Int(*i),
        Sql::Real(r) => Value::Float(*r),
        Sql::Text(t) => Value::str(t.as_str()),
        Sql::Blob(b) => Value::str(String::from_utf8_lossy(b).into_owned()),
    }
}

/// Django's DecimalField converter: the stored number, quantized to the
/// field's decimal places (`12` → `Decimal('12.00')`).
fn decimal(v: Sql, places: Option<u32>) -> Value {
    let d = match v {
        Sql::Integer(i) => Decimal::from(i),
        Sql::Real(r) => {
            // Python's create_decimal_from_float with 15 significant digits.
            let text = format!("{:.*e}", 14, r);
            Decimal::from_scientific(&text).unwrap_or_default()
        }
        Sql::Text(s) => s.trim().parse().unwrap_or_default(),
        _ => Decimal::ZERO,
    };
    match places {
        Some(p) => Value::Decimal(
            d.round_dp_with_strategy(p, rust_decimal::RoundingStrategy::MidpointNearestEven)
                .trunc_with_scale(p)
                .rescaled(p),
        ),
        None => Value::Decimal(d.normalize()),
    }
}

trait Rescaled {
    fn rescaled(self, scale: u32) -> Self;
}

impl Rescaled for Decimal {
    fn rescaled(mut self, scale: u32) -> Self {
        self.rescale(scale);
        self
    }
}

/// The field a values() path ends at, for converting its column.
pub(super) fn path_field(reg: &Registry, model: ModelId, path: &str) -> Option<Field> {
    let mut model = model;
    let parts: Vec<&str> = path.split("__").collect();
    for (i, part) in parts.iter().enumerate() {
        let m = reg.model(model);
        let last = i + 1 == parts.len();
        if *part == "pk" {
            return Some(m.pk().clone());
        }
        if let Some(f) = m
            .fields
            .iter()
            .find(|f| f.name == *part || (f.kind.is_foreign_key() && f.column == *part))
        {
            if last {
                return Some(f.clone());
            }
            let Some(rel) = &f.relation else {
                // The rest are transforms (`published__year`): their kind.
                let mut f = f.clone();
                for t in &parts[i + 1..] {
                    f.kind = crate::query::transform(f.kind, t)?;
                }
                return Some(f);
            };
            model = rel.target;
            continue;
        }
        let next = m
            .many_to_many
            .iter()
            .find(|f| f.name == *part)
            .and_then(|f| f.relation.as_ref().map(|r| r.target))
            .or_else(|| {
                reg.reverse_relations(model)
                    .into_iter()
                    .find(|r| r.query_name == *part)
                    .map(|r| r.model)
            })?;
        model = next;
        if last {
            return Some(reg.model(model).pk().clone());
        }
    }
    None
}

pub(super) fn shape_row(fields: &[String], vals: Vec<Value>, shape: Shape) -> Value {
    match shape {
        Shape::Dicts => {
            let mut d = Dict::default();
            for (k, v) in fields.iter().zip(vals) {
                let _ = d.insert(Value::str(k.as_str()), v);
            }
            Value::dict(d)
        }
        Shape::Flat => vals.into_iter().next().unwrap_or(Value::None),
        Shape::Tuples => Value::tuple(vals),
        Shape::Named => Value::NamedRow(std::rc::Rc::new((fields.to_vec(), vals))),
    }
}
