//! Querysets as values, and the one compiler that turns them into SQL.
//!
//! A [`QuerySet`] is an immutable description: the model, each `filter()` or
//! `exclude()` call as its own [`Filter`] (Django's join rules depend on
//! which call a condition came from), ordering, slicing and the shape of the
//! rows. `compile` resolves names against the registry and writes one SQL
//! statement with every value bound as a parameter.

pub mod compile;
pub mod expr;
pub use expr::Expr;
mod lookups;
pub use lookups::{lookup_names, transform};
pub mod resolve;

pub use compile::{ConditionTarget, condition_target};
pub(crate) use lookups::{in_range, parse_date, parse_datetime, unsupported};
pub use resolve::Path;

pub(crate) fn parse_datetime_value(s: &str) -> Option<chrono::NaiveDateTime> {
    lookups::parse_datetime(s).ok()
}
use crate::schema::ModelId;
use rusqlite::types::Value as Sql;

#[derive(Clone, Debug)]
pub struct QuerySet {
    pub model: ModelId,
    pub filters: Vec<Filter>,
    /// `None`: the model's Meta.ordering; `Some(vec![])`: `order_by()`.
    pub order_by: Option<Vec<OrderBy>>,
    pub reversed: bool,
    pub distinct: bool,
    pub low: usize,
    pub high: Option<usize>,
    pub values: Option<Values>,
    /// `.none()`: matches nothing, runs no query.
    pub empty: bool,
    /// `select_related(...)`: ForeignKey paths fetched in the same query;
    /// an empty list means every non-null ForeignKey, as Django does.
    pub select_related: Option<Vec<String>>,
    /// `annotate(...)`, in order.
    pub annotations: Vec<Annotation>,
    /// `values(...).annotate(...)` groups by these fields.
    pub group_by: Option<Vec<String>>,
}

/// One term of an ordering: a name as written (`'-price'`, `'?'`; what
/// Meta.ordering holds), a name `order_by()` resolved when called, or an
/// expression (`Lower('name').desc()`).
#[derive(Clone, Debug)]
pub enum OrderBy {
    Name(String),
    Resolved {
        /// The name without its `-`, for a relation's ordering to extend.
        name: String,
        descending: bool,
        target: OrderTarget,
    },
    Expr(Expr),
}

/// What a resolved ordering name orders by.
#[derive(Clone, Debug)]
pub enum OrderTarget {
    /// `'?'`
    Random,
    Annotation,
    Path(resolve::Path),
}

/// One name of `annotate(name=expression)`.
#[derive(Clone, Debug)]
pub struct Annotation {
    pub name: String,
    pub expr: Expr,
    /// How many filter() calls came before it: it may reuse their joins;
    /// later calls make their own.
    pub after: usize,
}

impl QuerySet {
    pub fn new(model: ModelId) -> QuerySet {
        QuerySet {
            model,
            filters: Vec::new(),
            order_by: None,
            reversed: false,
            distinct: false,
            low: 0,
            high: None,
            values: None,
            empty: false,
            select_related: None,
            annotations: Vec::new(),
            group_by: None,
        }
    }

    pub fn is_sliced(&self) -> bool {
        self.low > 0 || self.high.is_some()
    }
}

/// One `filter()` (or `exclude()`) call.
#[derive(Clone, Debug)]
pub struct Filter {
    pub negated: bool,
    pub node: QNode,
}

/// A condition tree, as Django's `Q` objects build it.
#[derive(Clone, Debug)]
pub enum QNode {
    /// `name__lookup=value`
    Leaf(Box<Condition>),
    And(Vec<QNode>),
    Or(Vec<QNode>),
    Not(Box<QNode>),
}

/// One condition, resolved when `filter()` takes it (Django's
/// `build_filter`): what it compares, through which joins, with which
/// transforms and lookup, and the value prepared for them.
#[derive(Clone, Debug)]
pub struct Condition {
    /// The key as written (`author__name__icontains`).
    pub key: String,
    pub lhs: Lhs,
    /// The transforms after the field or annotation, in order.
    pub transforms: Vec<String>,
    pub lookup: String,
    /// The kind compared, after the transforms.
    pub kind: crate::schema::FieldKind,
    pub operand: Operand,
}

/// A condition's left side: one of the queryset's annotations, or a path
/// from its model.
#[derive(Clone, Debug)]
pub enum Lhs {
    Annotation(String),
    Path(resolve::Path),
}

/// What a condition compares with: a value prepared for its field and
/// lookup when `filter()` took it, or a resolved expression (`F('b')`).
#[derive(Clone, Debug)]
pub enum Operand {
    Rhs(Rhs),
    Expr(Expr),
}

/// A condition's value as Django's `get_prep_lookup` leaves it: the
/// parameters bound, in the shape the lookup takes.
#[derive(Clone, Debug)]
pub enum Rhs {
    /// `exact`, `gt`, `gte`, `lt`, `lte`: one parameter.
    Param(Sql),
    /// `exact=None`: `IS NULL`.
    Null,
    /// `isnull=True` / `isnull=False`.
    IsNull(bool),
    /// An answer known without the database: an int past the column's 64
    /// bits (Django's `IntegerFieldOverflow`).
    Always(bool),
    /// The text of a pattern lookup (`contains`, `startswith`, `regex`…),
    /// escaped for LIKE when compiled.
    Text(String),
    Range(Sql, Sql),
    /// `in`: the values, None left out.
    In(Vec<Sql>),
    /// `in` or `exact` with a queryset: a subquery of these columns.
    Query {
        queryset: Box<QuerySet>,
        columns: Vec<String>,
    },
}

/// `values()` / `values_list()`: which fields, and how rows come back.
#[derive(Clone, Debug)]
pub struct Values {
    /// The names as given (the rows' keys); none means every field.
    pub fields: Vec<String>,
    /// Each name resolved, when it was (`Values::resolved`).
    pub columns: Option<Vec<ValueColumn>>,
    pub shape: Shape,
}

/// One column of values(): an annotation, or a path from the model (its
/// transforms are the path's rest).
#[derive(Clone, Debug)]
pub enum ValueColumn {
    Annotation(String),
    Path(resolve::Path),
}

impl Values {
    /// Names the ORM chose itself, resolved when compiled.
    pub fn of(fields: Vec<String>, shape: Shape) -> Values {
        Values {
            fields,
            columns: None,
            shape,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Dicts,
    Tuples,
    Flat,
    Named,
}
