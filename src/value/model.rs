//! What model values are made of: a model class, an instance's field
//! values, a manager and a queryset. Their behaviour is the ORM's.

use super::Value;
use crate::query::{Filter, QNode, QuerySet};
use crate::schema::{ModelId, Registry};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

impl ManagerKind {
    /// The class name Django's messages give a manager.
    pub fn class_name(&self) -> &'static str {
        match self {
            ManagerKind::Objects => "Manager",
            ManagerKind::Reverse { .. } => "RelatedManager",
            ManagerKind::ManyToMany { .. } => "ManyRelatedManager",
        }
    }
}

/// `Model.objects`, or a related manager bound to one instance.
#[derive(Debug)]
pub struct Manager {
    pub model: ModelId,
    /// The filter a related manager applies (`book_set` → `author=<pk>`).
    pub core: Option<(String, Value)>,
    /// That filter as the query holds it.
    pub core_node: Option<QNode>,
    /// How the manager reads in messages and reprs.
    pub kind: ManagerKind,
    /// A related manager's instance (`author` of `author.book_set`).
    pub owner: Option<Value>,
    /// A manager the model's class declares (`published = PublishedManager()`).
    pub custom: Option<Rc<CustomManager>>,
}

/// A manager declared in a model's class body: its attribute name, its
/// class (a `models.Manager` subclass of the models module) and its
/// queryset class (`PostQuerySet.as_manager()`, `from_queryset()`).
#[derive(Debug)]
pub struct CustomManager {
    pub name: String,
    pub class: Option<Rc<crate::value::classes::UserClass>>,
    pub queryset_class: Option<Rc<crate::value::classes::UserClass>>,
}

impl CustomManager {
    /// What a class body's value declares, if it is a manager: an object of
    /// a Manager subclass, or what `models.Manager()`, `as_manager()` or
    /// `from_queryset(…)()` made.
    pub fn declared(name: &str, v: &Value) -> Option<CustomManager> {
        use crate::value::native::Native;
        let class_of = |v: &Value| match v {
            Value::UserClass(c) => Some(c.clone()),
            _ => None,
        };
        let (class, queryset_class) = match v {
            Value::Object(o) if o.class.derives_from_native(Native::DjManager) => {
                (Some(o.class.clone()), None)
            }
            Value::Bound(b) if b.0 == Native::DjManagerDecl => (
                b.1.first().and_then(class_of),
                b.1.get(1).and_then(class_of),
            ),
            _ => return None,
        };
        Some(CustomManager {
            name: name.to_string(),
            class,
            queryset_class,
        })
    }

    /// A method of the manager's class, else of its queryset class (which
    /// `as_manager()` copies onto the manager), with where it was found.
    pub fn method(&self, name: &str) -> Option<(Value, bool)> {
        let own = self
            .class
            .as_ref()
            .and_then(|c| c.lookup(name))
            .map(|(_, f)| (f, false));
        own.or_else(|| {
            self.queryset_class
                .as_ref()
                .and_then(|c| c.lookup(name))
                .map(|(_, f)| (f, true))
        })
        .filter(|(f, _)| matches!(f, Value::Function(_)))
    }
}

/// What `Model._meta` hands out: the Options, a field (forward, by name),
/// or a reverse relation (the relation seen from the model it points at).
#[derive(Debug)]
pub enum MetaRef {
    Options(ModelId),
    Field {
        model: ModelId,
        name: String,
    },
    Rel {
        model: ModelId,
        rel: crate::schema::ReverseRelation,
    },
    /// A private field: a GenericForeignKey or a GenericRelation.
    Private {
        model: ModelId,
        name: String,
        /// A GenericRelation (else a GenericForeignKey).
        relation: bool,
    },
}

impl MetaRef {
    pub fn type_name(&self) -> &'static str {
        match self {
            MetaRef::Options(_) => "Options",
            MetaRef::Field { .. } => "Field",
            MetaRef::Rel { .. } => "ForeignObjectRel",
            MetaRef::Private { relation: true, .. } => "GenericRelation",
            MetaRef::Private { .. } => "GenericForeignKey",
        }
    }
}

#[derive(Debug, Clone)]
pub enum ManagerKind {
    Objects,
    /// Reverse ForeignKey: (the ForeignKey's field name, nullable).
    Reverse {
        field: String,
        /// remove() and clear() exist only for a nullable ForeignKey.
        nullable: bool,
    },
    /// ManyToMany from either side: the through model, and which of its
    /// fields points at the instance and which at the related objects.
    ManyToMany {
        through: ModelId,
        source_field: String,
        target_field: String,
        /// The instance's key: what the through table's `source_field` holds.
        owner: Value,
        /// A symmetrical relation to 'self': `add()` links both ways.
        symmetrical: bool,
    },
}

impl Manager {
    pub fn queryset(&self) -> QuerySet {
        let mut qs = QuerySet::new(self.model);
        if let Some(node) = &self.core_node {
            qs.filters.push(Filter {
                negated: false,
                node: node.clone(),
            });
        }
        qs
    }

    pub fn repr(&self, reg: &Registry) -> String {
        let m = reg.model(self.model);
        match self.kind {
            ManagerKind::Objects => format!(
                "<django.db.models.manager.Manager object at {:#x}>",
                self as *const _ as usize
            ),
            _ => format!(
                "<django.db.models.fields.related_descriptors.create_related_manager.<locals>.RelatedManager object at {:#x}> ({})",
                self as *const _ as usize, m.name
            ),
        }
    }
}

#[derive(Debug)]
pub struct Instance {
    pub model: ModelId,
    pub model_name: String,
    /// One value per concrete field, in the model's field order; a
    /// ForeignKey holds the related primary key (its attname's value).
    pub values: Vec<Value>,
    /// Related objects already fetched, by field name.
    pub cache: HashMap<String, Value>,
    /// Other attributes: annotations, and what the user sets.
    pub extra: indexmap::IndexMap<String, Value>,
    /// Not saved yet (Django's `_state.adding`).
    pub adding: bool,
    pub(crate) pk_index: usize,
}

impl Instance {
    pub fn new(reg: &Registry, model: ModelId, values: Vec<Value>, adding: bool) -> Instance {
        let m = reg.model(model);
        let pk_index = m.fields.iter().position(|f| f.primary_key).unwrap_or(0);
        Instance {
            model,
            model_name: m.name.clone(),
            values,
            cache: HashMap::new(),
            extra: Default::default(),
            adding,
            pk_index,
        }
    }

    pub fn pk(&self) -> Value {
        self.values
            .get(self.pk_index)
            .cloned()
            .unwrap_or(Value::None)
    }
}

/// What a model class value knows of itself; the rest is in the registry.
#[derive(Debug)]
pub struct ModelClass {
    pub id: crate::schema::ModelId,
    pub name: String,
    /// The Python module it lives in: `shop.models`.
    pub module: String,
}

impl ModelClass {
    /// The class value of model `id`, in the module Django would name.
    pub fn value(reg: &crate::schema::Registry, id: crate::schema::ModelId) -> Value {
        let m = reg.model(id);
        let module = m.python_module();
        Value::Model(Rc::new(ModelClass {
            id,
            name: m.name.clone(),
            module,
        }))
    }
}

/// A queryset as a value: its query, and once it has been evaluated (by
/// iterating it, `len()`, `bool()`, `list()`) its rows, as Django's
/// `_result_cache`: later iterations, `qs[i]`, `count()` and `repr()` use
/// those very instances, changed attributes included.
#[derive(Debug)]
pub struct QuerySetValue {
    pub query: crate::query::QuerySet,
    pub cache: RefCell<Option<Rc<Vec<Value>>>>,
    /// A `models.QuerySet` subclass of the models module, whose methods it
    /// has and whose name its repr shows (`<PostQuerySet [...]>`).
    pub class: Option<Rc<crate::value::classes::UserClass>>,
}

impl QuerySetValue {
    pub fn new(query: crate::query::QuerySet) -> Self {
        QuerySetValue {
            query,
            cache: RefCell::new(None),
            class: None,
        }
    }

    pub fn of_class(
        query: crate::query::QuerySet,
        class: Option<Rc<crate::value::classes::UserClass>>,
    ) -> Self {
        QuerySetValue {
            class,
            ..QuerySetValue::new(query)
        }
    }

    /// The class name its repr and `type()` show.
    pub fn class_name(&self) -> &str {
        self.class.as_ref().map_or("QuerySet", |c| c.name.as_str())
    }

    /// Its rows, when it has been evaluated.
    pub fn cached(&self) -> Option<Rc<Vec<Value>>> {
        self.cache.borrow().clone()
    }
}

impl std::ops::Deref for QuerySetValue {
    type Target = crate::query::QuerySet;

    fn deref(&self) -> &Self::Target {
        &self.query
    }
}
