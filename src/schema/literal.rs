//! Constant expressions in models.py: the values of field options and Meta
//! attributes (`max_length=60`, `ordering=['-name']`, `on_delete=models.CASCADE`,
//! `default=timezone.now`), read from the AST without running anything.

use crate::syntax::ast::{ArgKind, Expr, ExprKind, UnaryOp};

#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<Literal>),
    /// A dotted name: `models.CASCADE`, `timezone.now`, `Publisher`.
    Name(String),
    /// A call of a dotted name: `models.SET(0)`, `Decimal('0.00')`.
    Call(String, Vec<Literal>),
    /// Anything else (a lambda, arithmetic…), kept as source text.
    Other(String),
}

/// `a op b` on integers, None where Python's answer is not an int that
/// fits (a true division, an overflow, a division by zero).
fn int_op(op: crate::syntax::ast::BinOp, a: i64, b: i64) -> Option<i64> {
    use crate::syntax::ast::BinOp::*;
    match op {
        Add => a.checked_add(b),
        Sub => a.checked_sub(b),
        Mul => a.checked_mul(b),
        FloorDiv if b != 0 => {
            let q = a.checked_div(b)?;
            Some(if (a % b != 0) && ((a < 0) != (b < 0)) {
                q - 1
            } else {
                q
            })
        }
        Pow => u32::try_from(b).ok().and_then(|b| a.checked_pow(b)),
        _ => None,
    }
}

impl Literal {
    /// The literal with the names of `consts` replaced by their values.
    pub fn resolve(self, consts: &std::collections::HashMap<String, Literal>) -> Literal {
        match self {
            Literal::Name(n) => consts.get(&n).cloned().unwrap_or(Literal::Name(n)),
            Literal::List(items) => {
                Literal::List(items.into_iter().map(|i| i.resolve(consts)).collect())
            }
            other => other,
        }
    }

    pub fn read(e: &Expr, source: &str) -> Literal {
        match &e.kind {
            ExprKind::None => Literal::None,
            ExprKind::Bool(b) => Literal::Bool(*b),
            ExprKind::Int(i) => Literal::Int(*i),
            ExprKind::Float(f) => Literal::Float(*f),
            ExprKind::Str(s) => Literal::Str(s.clone()),
            ExprKind::Unary {
                op: UnaryOp::Neg,
                operand,
            } => match Literal::read(operand, source) {
                Literal::Int(i) => Literal::Int(-i),
                Literal::Float(f) => Literal::Float(-f),
                _ => Literal::Other(text(e, source)),
            },
            // `max_length=60 * 4`: integer arithmetic, as Python computes it.
            ExprKind::Binary { op, left, right } => {
                match (Literal::read(left, source), Literal::read(right, source)) {
                    (Literal::Int(a), Literal::Int(b)) => int_op(*op, a, b)
                        .map_or_else(|| Literal::Other(text(e, source)), Literal::Int),
                    _ => Literal::Other(text(e, source)),
                }
            }
            ExprKind::List(items) | ExprKind::Tuple(items) => {
                Literal::List(items.iter().map(|i| Literal::read(i, source)).collect())
            }
            // A dict as choices (Django 5 takes a mapping): its pairs.
            ExprKind::Dict(pairs) if pairs.iter().all(|(k, _)| k.is_some()) => Literal::List(
                pairs
                    .iter()
                    .filter_map(|(k, v)| {
                        let k = k.as_ref()?;
                        Some(Literal::List(vec![
                            Literal::read(k, source),
                            Literal::read(v, source),
                        ]))
                    })
                    .collect(),
            ),
            ExprKind::Name(_) | ExprKind::Attribute { .. } => match dotted(e) {
                Some(name) => Literal::Name(name),
                None => Literal::Other(text(e, source)),
            },
            // `_('Draft')`: gettext_lazy and its kin give their text back.
            ExprKind::Call { func, args } if dotted(func).is_some_and(|f| is_gettext(&f)) => {
                let texts: Vec<Literal> = args
                    .iter()
                    .filter_map(|a| match &a.kind {
                        ArgKind::Positional(v) => Some(Literal::read(v, source)),
                        _ => None,
                    })
                    .collect();
                match texts.last() {
                    Some(Literal::Str(s)) => Literal::Str(s.clone()),
                    _ => Literal::Other(text(e, source)),
                }
            }
            // `getattr(settings, 'AUTH_USER_MODEL', 'auth.User')` is the setting.
            ExprKind::Call { func, args }
                if dotted(func).as_deref() == Some("getattr")
                    && args.get(1).is_some_and(|a| {
                        matches!(&a.kind, ArgKind::Positional(v)
                            if matches!(&v.kind, ExprKind::Str(s) if s == "AUTH_USER_MODEL"))
                    }) =>
            {
                Literal::Name("settings.AUTH_USER_MODEL".into())
            }
            ExprKind::Call { func, args } => match dotted(func) {
                Some(name) => Literal::Call(
                    name,
                    args.iter()
                        .filter_map(|a| match &a.kind {
                            ArgKind::Positional(v) => Some(Literal::read(v, source)),
                            _ => None,
                        })
                        .collect(),
                ),
                None => Literal::Other(text(e, source)),
            },
            _ => Literal::Other(text(e, source)),
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Literal::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Literal::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_int(&self) -> Option<i64> {
        match self {
            Literal::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// The last part of a dotted name: `models.CASCADE` → `CASCADE`.
    pub fn last_name(&self) -> Option<&str> {
        match self {
            Literal::Name(n) | Literal::Call(n, _) => n.rsplit('.').next(),
            _ => None,
        }
    }

    /// A list of strings (`ordering`, `unique_together` rows), or one string.
    pub fn strings(&self) -> Vec<String> {
        match self {
            Literal::Str(s) => vec![s.clone()],
            Literal::List(items) => items
                .iter()
                .filter_map(|i| i.as_str().map(String::from))
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// `a.b.c` as text, if the expression is only names and attributes.
pub fn dotted(e: &Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Name(n) => Some(n.clone()),
        ExprKind::Attribute { value, attr } => Some(format!("{}.{}", dotted(value)?, attr.name)),
        _ => None,
    }
}

fn text(e: &Expr, source: &str) -> String {
    source
        .get(e.span.start..e.span.end)
        .unwrap_or("")
        .to_string()
}

/// The translation functions models files wrap their texts in (the last
/// argument is the text: `pgettext_lazy('context', 'text')`).
fn is_gettext(dotted: &str) -> bool {
    matches!(
        dotted.rsplit('.').next().unwrap_or(dotted),
        "_" | "gettext"
            | "gettext_lazy"
            | "gettext_noop"
            | "pgettext"
            | "pgettext_lazy"
            | "ugettext"
            | "ugettext_lazy"
    )
}
