//! `Q` objects and `F` expressions as values at the prompt.
//!
//! `Q` follows Django's `tree.Node`: a connector, a negation flag and
//! children; combining squashes children as Django's `add()` does, which is
//! what its repr shows. `F` and arithmetic on it build expressions that the
//! query compiler turns into SQL.

use crate::error::{Error, Result};
use crate::query::QNode;
use crate::syntax::ast::BinOp;
use crate::value::Value;
use std::rc::Rc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connector {
    And,
    Or,
}

/// Combining is constant-time: where Django's `add()` copies the children
/// of a Q with the same connector into the new one, a `QPart::Inline` keeps
/// a reference to them instead, so `q = q | Q(...)` in a loop stays linear.
/// [`QValue::children`] reads them back flat, as Django holds them.
#[derive(Clone, Debug)]
pub struct QValue {
    pub connector: Connector,
    pub negated: bool,
    parts: Vec<QPart>,
    /// How many children `parts` stand for.
    len: usize,
}

#[derive(Clone, Debug)]
enum QPart {
    Child(QChild),
    /// The children of another Q, squashed into this one.
    Inline(Rc<QValue>),
}

#[derive(Clone, Debug)]
pub enum QChild {
    Leaf(String, Value),
    Node(Rc<QValue>),
}

/// An expression: `F('price')`, `Value(1)`, `F('price') * 2`.
#[derive(Clone, Debug)]
pub enum Expression {
    F(String),
    Value(Value),
    Combined(Box<Expression>, BinOp, Box<Expression>),
    /// `Count('book', distinct=True, filter=Q(...), default=0)` and its kin.
    Aggregate {
        function: &'static str,
        arg: Box<Expression>,
        distinct: bool,
        filter: Option<Rc<QValue>>,
        default: Option<Box<Expression>>,
    },
    /// `Count('*')`.
    Star,
    /// A database function of `django.db.models.functions`: `Lower`,
    /// `Upper`, `Length`, `Coalesce`, `Concat`.
    Func(&'static str, Vec<Expression>),
}

impl QValue {
    /// `Q(*args, **kwargs)`: positional Q objects, then keywords sorted by
    /// name, as Django stores them.
    pub fn new(args: Vec<Value>, mut kwargs: Vec<(String, Value)>) -> Result<QValue> {
        let mut children = Vec::new();
        for a in args {
            match a {
                Value::Q(q) => children.push(QChild::Node(q)),
                other => {
                    return Err(Error::type_error(format!(
                        "{} is not a Q object",
                        other.type_name()
                    )));
                }
            }
        }
        kwargs.sort_by(|a, b| a.0.cmp(&b.0));
        children.extend(kwargs.into_iter().map(|(k, v)| QChild::Leaf(k, v)));
        Ok(QValue {
            connector: Connector::And,
            negated: false,
            len: children.len(),
            parts: children.into_iter().map(QPart::Child).collect(),
        })
    }

    /// How many children Django's Q holds (`len(q)`).
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The children, squashed ones in their place (walked without
    /// recursion: a Q built in a loop inlines thousands of levels).
    pub fn children(&self) -> Vec<QChild> {
        let mut out = Vec::with_capacity(self.len);
        let mut stack = vec![self.parts.iter()];
        while let Some(top) = stack.last_mut() {
            match top.next() {
                None => {
                    stack.pop();
                }
                Some(QPart::Child(c)) => out.push(c.clone()),
                Some(QPart::Inline(q)) => stack.push(q.parts.iter()),
            }
        }
        out
    }

    fn add(&mut self, data: &Rc<QValue>, conn: Connector) {
        let squash = !data.negated && (data.connector == conn || data.len == 1);
        if squash {
            self.parts.push(QPart::Inline(data.clone()));
            self.len += data.len;
        } else {
            self.parts.push(QPart::Child(QChild::Node(data.clone())));
            self.len += 1;
        }
    }

    /// `a | b`, `a & b` (Django's `Q._combine`).
    pub fn combine(a: &Rc<QValue>, b: &Rc<QValue>, conn: Connector) -> QValue {
        if a.is_empty() {
            return (**b).clone();
        }
        if b.is_empty() {
            return (**a).clone();
        }
        let mut obj = QValue {
            connector: conn,
            negated: false,
            parts: Vec::new(),
            len: 0,
        };
        obj.add(a, conn);
        obj.add(b, conn);
        obj
    }

    pub fn negate(&self) -> QValue {
        QValue {
            negated: !self.negated,
            ..self.clone()
        }
    }

    /// The condition tree the compiler reads.
    /// Django's `_add_q` drops a clause with no conditions in it (`Q()`,
    /// `~Q()`, negated or not), so an empty Q filters nothing: its node is
    /// an empty AND, never a negated one.
    /// Each `key=value` becomes a condition through `leaf` (which
    /// resolves the key and prepares the value for the query).
    pub fn to_node(&self, leaf: &mut dyn FnMut(String, &Value) -> Result<QNode>) -> Result<QNode> {
        let mut children = Vec::new();
        for c in self.children() {
            let node = match c {
                QChild::Leaf(k, v) => leaf(k, &v)?,
                QChild::Node(q) => q.to_node(leaf)?,
            };
            if !matches!(&node, QNode::And(c) if c.is_empty()) {
                children.push(node);
            }
        }
        if children.is_empty() {
            return Ok(QNode::And(Vec::new()));
        }
        let node = match self.connector {
            Connector::And => QNode::And(children),
            Connector::Or => QNode::Or(children),
        };
        Ok(if self.negated {
            QNode::Not(Box::new(node))
        } else {
            node
        })
    }

    /// Django's `Node.__str__`: `(AND: ('a', 1))`, `(NOT (OR: …))`.
    pub fn text(&self, repr: &mut dyn FnMut(&Value) -> Result<String>) -> Result<String> {
        let mut parts = Vec::new();
        for c in &self.children() {
            parts.push(match c {
                QChild::Leaf(k, v) => {
                    format!("({}, {})", crate::value::repr::str_repr(k), repr(v)?)
                }
                QChild::Node(q) => q.text(repr)?,
            });
        }
        let connector = match self.connector {
            Connector::And => "AND",
            Connector::Or => "OR",
        };
        let body = format!("{connector}: {}", parts.join(", "));
        Ok(if self.negated {
            format!("(NOT ({body}))")
        } else {
            format!("({body})")
        })
    }
}

impl Expression {
    /// As Django prints expressions: `F(price)`, `Value(1)`, `F(a) + Value(1)`.
    pub fn text(&self) -> String {
        match self {
            Expression::F(name) => format!("F({name})"),
            Expression::Value(v) => format!("Value({})", crate::value::repr::repr(v)),
            Expression::Combined(l, op, r) => format!("{} {} {}", l.text(), op.symbol(), r.text()),
            Expression::Aggregate {
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
                if let Some(q) = filter {
                    let q = q
                        .text(&mut |v| Ok(crate::value::repr::repr(v)))
                        .unwrap_or_default();
                    text.push_str(&format!(", filter={q}"));
                }
                let text = text + ")";
                match default {
                    Some(d) => format!("Coalesce({text}, {})", d.text()),
                    None => text,
                }
            }
            Expression::Star => "'*'".to_string(),
            Expression::Func(name, args) => {
                let args: Vec<String> = args.iter().map(Expression::text).collect();
                format!("{name}({})", args.join(", "))
            }
        }
    }

    /// Django's `default_alias`: `book__count` for `Count('book')`; None for
    /// anything else, which needs a name.
    pub fn default_alias(&self) -> Option<String> {
        match self {
            Expression::Aggregate { function, arg, .. } => match &**arg {
                Expression::F(name) => Some(format!("{name}__{}", function.to_lowercase())),
                _ => None,
            },
            _ => None,
        }
    }

    pub fn repr(&self) -> String {
        match self {
            Expression::Combined(..) => format!("<CombinedExpression: {}>", self.text()),
            other => other.text(),
        }
    }

    fn from_value(v: &Value) -> Option<Expression> {
        match v {
            Value::Expr(e) => Some((**e).clone()),
            Value::Int(_)
            | Value::Float(_)
            | Value::Decimal(_)
            | Value::Str(_)
            | Value::Bool(_)
            | Value::TimeDelta(_)
            | Value::Date(_)
            | Value::DateTime(..)
            | Value::Time(_) => Some(Expression::Value(v.clone())),
            _ => None,
        }
    }
}

/// `Count('book')`, `Sum(F('price'))`…: an aggregate over a field or expression.
pub fn aggregate(function: &'static str, mut args: crate::value::Args) -> Result<Value> {
    let distinct = args.take_kw("distinct").is_some_and(|v| v.truthy());
    let filter = match args.take_kw("filter") {
        Some(Value::Q(q)) => Some(q),
        Some(Value::None) | None => None,
        Some(other) => {
            return Err(Error::type_error(format!(
                "filter must be a Q object, not {}",
                other.type_name()
            )));
        }
    };
    let default = match args.take_kw("default") {
        None | Some(Value::None) => None,
        Some(v) => Some(Box::new(Expression::from_value(&v).ok_or_else(|| {
            Error::type_error(format!("{} is not a valid default", v.type_name()))
        })?)),
    };
    args.no_kw(function)?;
    let arg = match args.pos.as_slice() {
        [Value::Str(s)] if &**s == "*" && function == "Count" => Expression::Star,
        [Value::Str(name)] => Expression::F(name.to_string()),
        [Value::Expr(e)] => (**e).clone(),
        [other] => {
            return Err(Error::type_error(format!(
                "{function}() takes a field name or an expression, not {}",
                other.type_name()
            )));
        }
        _ => {
            return Err(Error::type_error(format!(
                "Complex aggregates require an alias, or {function}() takes one argument"
            )));
        }
    };
    Ok(Value::Expr(Rc::new(Expression::Aggregate {
        function,
        arg: Box::new(arg),
        distinct,
        filter,
        default,
    })))
}

/// `Lower('name')`, `Coalesce('a', 'b', Value(0))`, `Concat('a', Value(' '), 'b')`:
/// field names and expressions, as `django.db.models.functions` takes them.
pub fn function(name: &'static str, args: crate::value::Args) -> Result<Value> {
    args.no_kw(name)?;
    let arity_ok = match name {
        "Lower" | "Upper" | "Length" => args.pos.len() == 1,
        _ => args.pos.len() >= 2,
    };
    if !arity_ok {
        return Err(Error::type_error(match name {
            "Coalesce" => "Coalesce must take at least two expressions".to_string(),
            "Concat" => "Concat must take at least two expressions".to_string(),
            _ => format!(
                "'{name}' takes exactly 1 argument ({} given)",
                args.pos.len()
            ),
        }));
    }
    let exprs = args
        .pos
        .iter()
        .map(|v| match v {
            Value::Str(s) => Ok(Expression::F(s.to_string())),
            other => Expression::from_value(other).ok_or_else(|| {
                Error::type_error(format!(
                    "{name}() takes field names and expressions, not {}",
                    other.type_name()
                ))
            }),
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Value::Expr(Rc::new(Expression::Func(name, exprs))))
}

/// Arithmetic with an expression on either side: `F('a') + 1`, `2 * F('b')`.
pub fn combine_arithmetic(op: BinOp, a: &Value, b: &Value) -> Option<Value> {
    if !matches!(a, Value::Expr(_)) && !matches!(b, Value::Expr(_)) {
        return None;
    }
    if !matches!(
        op,
        BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Mod | BinOp::Pow
    ) {
        return None;
    }
    let (l, r) = (Expression::from_value(a)?, Expression::from_value(b)?);
    Some(Value::Expr(Rc::new(Expression::Combined(
        Box::new(l),
        op,
        Box::new(r),
    ))))
}
