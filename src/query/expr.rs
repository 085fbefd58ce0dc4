//! Expressions as a query holds them: `F()`, constants, arithmetic,
//! aggregates and database functions, resolved from the Python objects
//! when `annotate()`, `order_by()`, `update()` or `aggregate()` takes them
//! (as Django's `resolve_expression`): a constant is already the parameter
//! it binds, with the field type Django infers for it.

use super::QNode;
use crate::schema::FieldKind;
use crate::syntax::ast::BinOp;
use rusqlite::types::Value as Sql;

#[derive(Clone, Debug)]
pub enum Expr {
    /// `F('a__b')`: a field path or an annotation's name.
    F(String),
    /// `Value(x)`: its parameter, its output field (Django's
    /// `Value._resolve_output_field`) and the constant as Python writes it.
    Value {
        param: Sql,
        kind: FieldKind,
        text: String,
    },
    Combined(Box<Expr>, BinOp, Box<Expr>),
    /// `Count('book', distinct=True, filter=Q(...), default=0)` and its kin.
    Aggregate {
        function: &'static str,
        arg: Box<Expr>,
        distinct: bool,
        /// The condition, and the Q object as Django prints it.
        filter: Option<Box<(QNode, String)>>,
        default: Option<Box<Expr>>,
    },
    /// `Count('*')`.
    Star,
    /// A database function of `django.db.models.functions`: `Lower`,
    /// `Upper`, `Length`, `Coalesce`, `Concat`, the `Trunc*` of `dates()`,
    /// and `OrderBy`/`OrderByDesc` for `order_by(expr.desc())`.
    Func(&'static str, Vec<Expr>),
}

impl Expr {
    /// As Django prints expressions: `F(price)`, `Value(1)`, `F(a) + Value(1)`.
    pub fn text(&self) -> String {
        match self {
            Expr::F(name) => format!("F({name})"),
            Expr::Value { text, .. } => format!("Value({text})"),
            Expr::Combined(l, op, r) => format!("{} {} {}", l.text(), op.symbol(), r.text()),
            Expr::Aggregate {
                function,
                arg,
                distinct,
                filter,
                default,
            } => {
                let mut text = format!("{function}({}", arg.text());
                if *distinct {
                    text.push_str(", distinct=True");
                }
                if let Some(f) = filter {
                    let q = &f.1;
                    text.push_str(&format!(", filter={q}"));
                }
                let text = text + ")";
                match default {
                    Some(d) => format!("Coalesce({text}, {})", d.text()),
                    None => text,
                }
            }
            Expr::Star => "'*'".to_string(),
            Expr::Func(name, args) => {
                let args: Vec<String> = args.iter().map(Expr::text).collect();
                format!("{name}({})", args.join(", "))
            }
        }
    }

    /// Whether an aggregate is inside (which makes a query GROUP BY).
    pub fn has_aggregate(&self) -> bool {
        match self {
            Expr::Aggregate { .. } => true,
            Expr::Combined(l, _, r) => l.has_aggregate() || r.has_aggregate(),
            Expr::Func(_, args) => args.iter().any(Expr::has_aggregate),
            _ => false,
        }
    }

    /// Whether the expression names `name` with `F()`.
    pub fn refers_to(&self, name: &str) -> bool {
        match self {
            Expr::F(n) => n == name,
            Expr::Combined(l, _, r) => l.refers_to(name) || r.refers_to(name),
            Expr::Func(_, args) => args.iter().any(|a| a.refers_to(name)),
            Expr::Aggregate { arg, .. } => arg.refers_to(name),
            _ => false,
        }
    }
}
