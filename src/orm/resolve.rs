//! Django's `resolve_expression`: an `F()`/`Value()`/aggregate value made
//! into the query layer's typed expression.

use crate::error::Result;
use crate::query::{Expr, QuerySet};
use crate::schema::Registry;
use crate::value::Value;
use crate::value::expr::Expression;

/// The expression as a query holds it: constants become the parameters
/// they bind, typed as Django's `Value._resolve_output_field` types them,
/// and an aggregate's `filter=Q(...)` becomes conditions of `qs`.
pub fn resolve(e: &Expression, reg: &Registry, qs: &QuerySet) -> Result<Expr> {
    Ok(match e {
        Expression::F(name) => Expr::F(name.clone()),
        Expression::Value(v) => {
            let (param, kind) = constant(v)?;
            Expr::Value {
                param,
                kind,
                text: crate::value::repr::repr(v),
            }
        }
        Expression::Combined(l, op, r) => Expr::Combined(
            Box::new(resolve(l, reg, qs)?),
            *op,
            Box::new(resolve(r, reg, qs)?),
        ),
        Expression::Aggregate {
            function,
            arg,
            distinct,
            filter,
            default,
        } => Expr::Aggregate {
            function,
            arg: Box::new(resolve(arg, reg, qs)?),
            distinct: *distinct,
            filter: match filter {
                Some(q) => {
                    let text = q.text(&mut |v| Ok(crate::value::repr::repr(v)))?;
                    let mut leaf =
                        |k: String, v: &Value| crate::orm::prepare::condition(reg, qs, k, v);
                    Some(Box::new((q.to_node(&mut leaf)?, text)))
                }
                None => None,
            },
            default: match default {
                Some(d) => Some(Box::new(resolve(d, reg, qs)?)),
                None => None,
            },
        },
        Expression::Star => Expr::Star,
        Expression::Func(name, args) => Expr::Func(
            name,
            args.iter()
                .map(|a| resolve(a, reg, qs))
                .collect::<Result<_>>()?,
        ),
    })
}

/// `Value(x)`'s parameter and output field: numbers, decimals, dates and
/// durations as their fields bind them, None and anything else as text.
fn constant(v: &Value) -> Result<(rusqlite::types::Value, crate::schema::FieldKind)> {
    use crate::schema::FieldKind;
    use rusqlite::types::Value as Sql;
    let prep = |kind| crate::orm::prepare::prep(kind, "value", v).map(|p| (p, kind));
    Ok(match v {
        Value::Int(i) => (Sql::Integer(*i), FieldKind::IntegerField),
        Value::Bool(b) => (Sql::Integer(*b as i64), FieldKind::BooleanField),
        Value::Float(f) => (Sql::Real(*f), FieldKind::FloatField),
        Value::Decimal(d) => (Sql::Text(d.to_sci_string()), FieldKind::DecimalField),
        // DurationField keeps microseconds on SQLite.
        Value::TimeDelta(_) => prep(FieldKind::DurationField)?,
        Value::Date(_) => prep(FieldKind::DateField)?,
        Value::DateTime(..) => prep(FieldKind::DateTimeField)?,
        Value::Time(_) => prep(FieldKind::TimeField)?,
        Value::None => (Sql::Null, FieldKind::CharField),
        other => (
            Sql::Text(crate::value::repr::str(other)),
            FieldKind::CharField,
        ),
    })
}
