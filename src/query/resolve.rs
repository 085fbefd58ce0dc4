//! What a name means on a model, as Django's `names_to_path` decides: a
//! field, a ForeignKey's attname (`publisher_id`), a ManyToManyField, or a
//! reverse relation by its query name. Unknown names raise FieldError with
//! Django's list of choices.

use crate::error::Error;
use crate::schema::{Field, FieldKind, ModelId, Registry, ReverseRelation};

#[derive(Clone, Debug)]
pub(super) enum Name {
    /// A concrete field (a ForeignKey by its name included).
    Field(Field),
    /// A ForeignKey's column by its attname, `publisher_id`.
    Attname(Field),
    ManyToMany(Field),
    Reverse(ReverseRelation),
}

pub(super) fn find(reg: &Registry, model: ModelId, name: &str) -> Option<Name> {
    let m = reg.model(model);
    if name == "pk" {
        return Some(Name::Field(m.pk().clone()));
    }
    if let Some(f) = m.fields.iter().find(|f| f.name == name) {
        return Some(Name::Field(f.clone()));
    }
    if let Some(f) = m
        .fields
        .iter()
        .find(|f| f.kind.is_foreign_key() && f.column == name && f.name != name)
    {
        return Some(Name::Attname(f.clone()));
    }
    if let Some(f) = m.many_to_many.iter().find(|f| f.name == name) {
        return Some(Name::ManyToMany(f.clone()));
    }
    reg.reverse_relations(model)
        .into_iter()
        .find(|r| r.query_name == name)
        .map(Name::Reverse)
}

/// Where a name of `model` lives: on the model itself, or, under
/// multi-table inheritance, on the ancestor whose table holds it (an
/// inherited field, or a relation to an ancestor), with the parent links
/// that reach it (Django's `get_path_to_parent`).
pub(super) fn owner_of(reg: &Registry, model: ModelId, name: &str) -> Option<(ModelId, Vec<Step>)> {
    let inherited = match find(reg, model, name) {
        Some(Name::Field(f) | Name::Attname(f) | Name::ManyToMany(f)) => f.inherited_from,
        Some(Name::Reverse(_)) => None,
        None => Some(reg.ancestors(model).into_iter().find(|&a| {
            reg.reverse_relations(a)
                .iter()
                .any(|r| r.query_name == name)
        })?),
    };
    match inherited {
        None => Some((model, Vec::new())),
        Some(owner) => Some((owner, parent_steps(reg, model, owner))),
    }
}

/// The parent links from `model` up to its ancestor `to`, as steps.
pub fn parent_steps(reg: &Registry, model: ModelId, to: ModelId) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut at = model;
    while at != to {
        let Some((parent, link)) = reg.model(at).parents.first() else {
            break;
        };
        let Some(field) = reg
            .model(at)
            .fields
            .iter()
            .find(|f| f.name == *link && f.inherited_from.is_none())
        else {
            break;
        };
        steps.push(Step {
            from: at,
            to: *parent,
            kind: StepKind::Forward(field.clone()),
        });
        if steps.len() > reg.models.len() {
            break;
        }
        at = *parent;
    }
    steps
}

/// Django's "Choices are: …": every field name, every ForeignKey attname,
/// ManyToMany names and reverse query names, sorted.
pub(super) fn choices(reg: &Registry, model: ModelId) -> Vec<String> {
    let m = reg.model(model);
    let mut names: Vec<String> = Vec::new();
    for f in &m.fields {
        names.push(f.name.clone());
        if f.kind.is_foreign_key() && f.column != f.name {
            names.push(format!("{}_id", f.name));
        }
    }
    names.extend(m.many_to_many.iter().map(|f| f.name.clone()));
    for m in std::iter::once(model).chain(reg.ancestors(model)) {
        names.extend(reg.reverse_relations(m).into_iter().map(|r| r.query_name));
    }
    names.sort();
    names.dedup();
    names
}

pub(super) fn cannot_resolve(reg: &Registry, model: ModelId, name: &str) -> Error {
    cannot_resolve_with(reg, model, name, &[])
}

/// The same, with the query's annotation names among the choices.
pub(super) fn cannot_resolve_with(
    reg: &Registry,
    model: ModelId,
    name: &str,
    annotations: &[String],
) -> Error {
    if reg
        .model(model)
        .generic_foreign_keys
        .iter()
        .any(|g| g.name == name)
    {
        return Error::new(
            "FieldError",
            format!(
                "Field '{name}' does not generate an automatic reverse relation and therefore cannot be used for reverse querying. If it is a GenericForeignKey, consider adding a GenericRelation."
            ),
        );
    }
    if reg
        .model(model)
        .generic_relations
        .iter()
        .any(|g| g.name == name)
    {
        return Error::new(
            "NotSupportedError",
            format!(
                "'{name}' is a GenericRelation: Django joins through it, ormsh does not yet (use {name} on an object, or filter the related model by its content type and object id)"
            ),
        );
    }
    let mut choices = choices(reg, model);
    choices.extend(annotations.iter().cloned());
    choices.sort();
    let mut e = Error::new(
        "FieldError",
        format!(
            "Cannot resolve keyword '{name}' into field. Choices are: {}",
            choices.join(", ")
        ),
    );
    if let Some(near) = crate::suggest::nearest(name, choices.iter().map(String::as_str)) {
        e = e.with_hint(format!("did you mean '{near}'?"));
    }
    e
}

/// A relation a path follows, from one model to another.
#[derive(Clone, Debug)]
pub struct Step {
    pub from: ModelId,
    pub to: ModelId,
    pub kind: StepKind,
}

#[derive(Clone, Debug)]
pub enum StepKind {
    /// A ForeignKey or OneToOneField, to its target.
    Forward(Field),
    /// A ForeignKey or OneToOneField seen from its target: the field, on
    /// the model the step goes to.
    Reverse(Field),
    /// A ManyToManyField from its owner (`reverse: false`) or from its
    /// target; two joins, through the through table.
    ManyToMany { field: Field, reverse: bool },
}

impl Step {
    /// Whether the step can match several rows (reverse ForeignKey,
    /// ManyToMany): what Django's join-reuse rules turn on.
    pub fn is_multi_valued(&self) -> bool {
        match &self.kind {
            StepKind::Forward(_) => false,
            StepKind::Reverse(f) => f.kind != FieldKind::OneToOneField,
            StepKind::ManyToMany { .. } => true,
        }
    }

    /// Whether a row may have no match across it.
    pub fn nullable(&self) -> bool {
        match &self.kind {
            StepKind::Forward(f) => f.null,
            _ => true,
        }
    }
}

/// Where a path ends.
#[derive(Clone, Debug)]
pub enum End {
    /// A column of the last model: a plain field, or a relation's own
    /// column (`author`, `author_id`) when no field of its target follows.
    Field(Box<Field>),
    /// A reverse or ManyToMany relation with no field of its model after
    /// it: the related model's primary key. `reverse_fk`: over a reverse
    /// ForeignKey, whose following names Django reads as lookups.
    RelatedKey { model: ModelId, reverse_fk: bool },
}

/// A `__` path resolved from a model, as Django's `names_to_path` does:
/// the relations it follows, where it ends, and the names after that end
/// (transforms, then a lookup), which are not resolved here.
#[derive(Clone, Debug)]
pub struct Path {
    /// The relations, in order.
    pub steps: Vec<Step>,
    /// The model the end belongs to.
    pub model: ModelId,
    pub end: End,
    pub rest: Vec<String>,
}

impl Path {
    /// The field the path compares or reads.
    pub fn field(&self, reg: &Registry) -> Field {
        match &self.end {
            End::Field(f) => (**f).clone(),
            End::RelatedKey { model, .. } => reg.model(*model).pk().clone(),
        }
    }

    /// The field it reads, of the kind its rest gives when every name there
    /// is a transform (`published__year`); None when one is not.
    pub fn transformed_field(&self, reg: &Registry) -> Option<Field> {
        let mut field = self.field(reg);
        for t in &self.rest {
            field.kind = super::lookups::transform(field.kind, t)?;
        }
        Some(field)
    }

    /// Whether the path ends on a relation (its column or the related key).
    pub fn ends_on_relation(&self) -> bool {
        match &self.end {
            End::Field(f) => f.relation.is_some(),
            End::RelatedKey { .. } => true,
        }
    }

    /// The model the names in `rest` would be fields of: a relation's
    /// target, else the model holding the field.
    pub fn rest_model(&self) -> ModelId {
        match &self.end {
            End::Field(f) => f.relation.as_ref().map_or(self.model, |r| r.target),
            End::RelatedKey { model, .. } => *model,
        }
    }
}

/// Resolves `parts` from `model`. A relation is followed while a field of
/// its target comes next; otherwise the path ends there and the names left
/// are its rest, for the caller to read as transforms and a lookup (or
/// refuse). So only the first name can be unknown here: Django's
/// FieldError, with `annotations` among the choices.
pub fn resolve_path(
    reg: &Registry,
    model: ModelId,
    parts: &[String],
    annotations: &[String],
) -> Result<Path, Error> {
    let mut model = model;
    let mut steps = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let unknown = |model: ModelId| {
            let annotations = if i == 0 { annotations } else { &[] };
            cannot_resolve_with(reg, model, part, annotations)
        };
        let (owner, climb) = owner_of(reg, model, part).ok_or_else(|| unknown(model))?;
        steps.extend(climb);
        model = owner;
        let name = find(reg, model, part).ok_or_else(|| unknown(model))?;
        let rest = || parts[i + 1..].to_vec();
        let field_follows = |m: ModelId| {
            parts
                .get(i + 1)
                .is_some_and(|n| owner_of(reg, m, n).is_some())
        };
        let (kind, next) = match name {
            Name::Attname(f) => return Ok(end_at(steps, model, End::Field(Box::new(f)), rest())),
            Name::Field(f) => match f.relation.as_ref().map(|r| r.target) {
                Some(target) if field_follows(target) => (StepKind::Forward(f), target),
                _ => return Ok(end_at(steps, model, End::Field(Box::new(f)), rest())),
            },
            Name::ManyToMany(f) => {
                let target = f.relation.as_ref().map_or(model, |r| r.target);
                (
                    StepKind::ManyToMany {
                        field: f,
                        reverse: false,
                    },
                    target,
                )
            }
            Name::Reverse(r) => {
                let fk = reg
                    .model(r.model)
                    .field(&r.field)
                    .expect("a reverse relation has its field")
                    .clone();
                let kind = match fk.kind {
                    FieldKind::ManyToManyField => StepKind::ManyToMany {
                        field: fk,
                        reverse: true,
                    },
                    _ => StepKind::Reverse(fk),
                };
                (kind, r.model)
            }
        };
        let forward = matches!(kind, StepKind::Forward(_));
        let reverse_fk = matches!(kind, StepKind::Reverse(_));
        steps.push(Step {
            from: model,
            to: next,
            kind,
        });
        model = next;
        if !forward && !field_follows(model) {
            let end = End::RelatedKey { model, reverse_fk };
            return Ok(end_at(steps, model, end, rest()));
        }
    }
    // Only an empty path gets here.
    Err(cannot_resolve(reg, model, ""))
}

fn end_at(steps: Vec<Step>, model: ModelId, end: End, rest: Vec<String>) -> Path {
    Path {
        steps,
        model,
        end,
        rest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{ModelSource, load};

    const MODELS: &str = "
from django.db import models

class Author(models.Model):
    name = models.CharField(max_length=50)

class Tag(models.Model):
    name = models.CharField(max_length=20)

class Book(models.Model):
    title = models.CharField(max_length=50)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, null=True)
    tags = models.ManyToManyField(Tag)
";

    fn registry() -> Registry {
        load(&[ModelSource {
            app_label: "shop".into(),
            path: None,
            text: MODELS.into(),
            default_auto_field: FieldKind::AutoField,
        }])
    }

    fn path(reg: &Registry, model: &str, key: &str) -> Result<Path, Error> {
        let model = reg.find(&format!("shop.{model}")).unwrap();
        let parts: Vec<String> = key.split("__").map(String::from).collect();
        resolve_path(reg, model, &parts, &["n".to_string()])
    }

    /// The steps' kinds and the end, as one line.
    fn shape(reg: &Registry, model: &str, key: &str) -> String {
        let p = path(reg, model, key).unwrap();
        let steps: Vec<String> = p
            .steps
            .iter()
            .map(|s| match &s.kind {
                StepKind::Forward(f) => format!("fk {}", f.name),
                StepKind::Reverse(f) => format!("reverse {}", f.name),
                StepKind::ManyToMany { field, reverse } => {
                    format!(
                        "m2m {}{}",
                        field.name,
                        if *reverse { " reversed" } else { "" }
                    )
                }
            })
            .collect();
        let end = match &p.end {
            End::Field(f) => format!("field {}", f.name),
            End::RelatedKey { model, reverse_fk } => {
                format!(
                    "key of {} (reverse fk: {reverse_fk})",
                    reg.model(*model).name
                )
            }
        };
        format!("[{}] {end} rest {:?}", steps.join(", "), p.rest)
    }

    #[test]
    fn a_relation_is_followed_only_when_a_field_of_its_target_comes_next() {
        let reg = registry();
        assert_eq!(
            shape(&reg, "book", "author__name"),
            "[fk author] field name rest []"
        );
        // Alone, or before a lookup, a ForeignKey is its own column: no join
        // (a naive walk would join Author and fail on `gt`).
        assert_eq!(shape(&reg, "book", "author"), "[] field author rest []");
        assert_eq!(
            shape(&reg, "book", "author__gt"),
            "[] field author rest [\"gt\"]"
        );
        assert_eq!(shape(&reg, "book", "author_id"), "[] field author rest []");
        // `pk` is a field of the target like any other.
        assert_eq!(
            shape(&reg, "book", "author__pk"),
            "[fk author] field id rest []"
        );
    }

    #[test]
    fn reverse_and_many_to_many_relations_end_on_the_related_key() {
        let reg = registry();
        assert_eq!(
            shape(&reg, "author", "book"),
            "[reverse author] key of Book (reverse fk: true) rest []"
        );
        // After a reverse ForeignKey, a name that is no field is a lookup
        // on the related key.
        assert_eq!(
            shape(&reg, "author", "book__gt"),
            "[reverse author] key of Book (reverse fk: true) rest [\"gt\"]"
        );
        assert_eq!(
            shape(&reg, "author", "book__title"),
            "[reverse author] field title rest []"
        );
        assert_eq!(
            shape(&reg, "book", "tags"),
            "[m2m tags] key of Tag (reverse fk: false) rest []"
        );
        assert_eq!(
            shape(&reg, "tag", "book__author__name"),
            "[m2m tags reversed, fk author] field name rest []"
        );
    }

    #[test]
    fn transforms_and_lookups_after_a_field_are_left_to_the_caller() {
        let reg = registry();
        assert_eq!(
            shape(&reg, "book", "title__lower__startswith"),
            "[] field title rest [\"lower\", \"startswith\"]"
        );
    }

    #[test]
    fn an_unknown_first_name_is_django_field_error_with_the_annotations() {
        let reg = registry();
        let first = path(&reg, "book", "titel").unwrap_err();
        assert_eq!(first.kind, "FieldError");
        assert_eq!(
            first.message,
            "Cannot resolve keyword 'titel' into field. Choices are: author, author_id, id, n, tags, title"
        );
        // A later unknown name is what follows the end, on the model whose
        // choices the caller's error gives (Author's, not Book's).
        let later = path(&reg, "book", "author__nme").unwrap();
        assert_eq!(later.rest, ["nme"]);
        assert_eq!(reg.model(later.rest_model()).name, "Author");
    }
}
