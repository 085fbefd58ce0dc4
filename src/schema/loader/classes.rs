//! Class statements of a models file: which are models, what they inherit
//! from their abstract bases (of this file or imported from another app),
//! and what their bodies declare.

use super::*;

impl FileLoader<'_> {
    /// The model a base class names: a class of this file, or an abstract
    /// model imported from another app's models (`AbstractUser`).
    fn base_model(&self, base: &str) -> Option<PendingModel> {
        if let Some(m) = self.models.get(base) {
            return Some(m.clone());
        }
        let bound = base.rsplit('.').next().unwrap_or(base);
        let qualified = self.imports.get(bound)?;
        self.shared.classes.get(qualified).cloned()
    }

    /// A class statement: a model (returned), a choices enum (recorded), or
    /// something else (skipped).
    pub(super) fn class(&mut self, class: &ClassDef) -> Option<PendingModel> {
        let bases: Vec<String> = class
            .bases
            .iter()
            .filter_map(|b| match &b.kind {
                ArgKind::Positional(e) => dotted(e),
                _ => None,
            })
            .collect();
        let last = |b: &String| b.rsplit('.').next().unwrap_or("").to_string();
        if is_choices(class) {
            let members = choices_members(&class.body, &self.text);
            self.choices.insert(class.name.name.clone(), members);
            return None;
        }
        let parents: Vec<PendingModel> = bases.iter().filter_map(|b| self.base_model(b)).collect();
        let is_model = !parents.is_empty() || bases.iter().any(|b| last(b) == "Model");
        if !is_model {
            let line = self.line_of(class.name.span);
            self.skipped.push(format!(
                "class {} (not a model), line {line}",
                class.name.name
            ));
            return None;
        }
        let proxy = self.declares_proxy(class);
        if !proxy && let Some(p) = parents.iter().find(|p| !p.abstract_).cloned() {
            return Some(self.child_model(class, parents, p));
        }
        let concrete = parents.iter().find(|p| !p.abstract_).map(|p| {
            let of = p
                .proxy_of
                .clone()
                .unwrap_or_else(|| format!("{}.{}", p.app_label, p.name));
            let table = p
                .db_table
                .clone()
                .unwrap_or_else(|| format!("{}_{}", p.app_label, p.name.to_lowercase()));
            (
                of,
                table,
                p.meta.ordering.clone(),
                p.meta.get_latest_by.clone(),
            )
        });
        let mut model = self.model(class, parents);
        // A proxy shares its concrete model's table and keeps the ordering
        // it does not set itself, as Django's Meta inheritance does.
        if let Some((of, table, ordering, latest)) = concrete {
            model.proxy_of = Some(of);
            model.db_table = Some(table);
            if model.meta.ordering.is_empty() {
                model.meta.ordering = ordering;
            }
            if model.meta.get_latest_by.is_empty() {
                model.meta.get_latest_by = latest;
            }
        }
        Some(model)
    }

    fn model(&mut self, class: &ClassDef, parents: Vec<PendingModel>) -> PendingModel {
        let name = class.name.name.clone();
        let mut parents = parents.into_iter();
        let mut model = match parents.next() {
            Some(p) => PendingModel {
                name: name.clone(),
                abstract_: false,
                ..p
            },
            None => PendingModel {
                app_label: self.source.app_label.clone(),
                name: name.clone(),
                fields: Vec::new(),
                meta: Meta::default(),
                db_table: None,
                managed: true,
                abstract_: false,
                proxy_of: None,
                methods: Vec::new(),
                class_attrs: Vec::new(),
                consts: self.consts.clone(),
                source: self.text.clone(),
                file: self.source.path.clone(),
                default_auto_field: self.source.default_auto_field,
                imports: Rc::new(HashMap::new()),
                choices_classes: Vec::new(),
                generic_foreign_keys: Vec::new(),
                generic_relations: Vec::new(),
                mti_parent: None,
            },
        };
        for other in parents {
            inherit(&mut model, other);
        }
        model.app_label = self.source.app_label.clone();
        model.default_auto_field = self.source.default_auto_field;
        model.file = self.source.path.clone();
        model.source = self.text.clone();
        for stmt in &class.body {
            match &stmt.kind {
                StmtKind::Assign { targets, value } => {
                    self.class_assign(&mut model, targets, value, stmt.span)
                }
                StmtKind::AnnAssign {
                    target,
                    value: Some(value),
                    ..
                } => self.class_assign(&mut model, std::slice::from_ref(target), value, stmt.span),
                StmtKind::ClassDef(c) if is_choices(c) => {
                    let members = choices_members(&c.body, &self.text);
                    self.choices.insert(c.name.name.clone(), members.clone());
                    self.choices
                        .insert(format!("{name}.{}", c.name.name), members.clone());
                    model.choices_classes.push(crate::schema::ChoicesClass {
                        name: c.name.name.clone(),
                        members,
                    });
                }
                StmtKind::ClassDef(meta) if meta.name.name == "Meta" => {
                    // A Meta of its own replaces the parent's, unless it subclasses it.
                    if meta.bases.is_empty() {
                        model.meta = Meta::default();
                    }
                    self.meta(&mut model, meta);
                }
                StmtKind::FunctionDef(f) => {
                    if matches!(
                        f.name.name.as_str(),
                        "save" | "delete" | "refresh_from_db" | "full_clean"
                    ) {
                        self.diagnose(
                            Severity::Warning,
                            format!(
                                "{name}.{}() overrides Django's, and ormsh runs Django's own: the code in it does not run",
                                f.name.name
                            ),
                            f.name.span,
                            Some("what it changes (a slug, a timestamp) is not done by ormsh".into()),
                        );
                    }
                    model.methods.retain(|m| m.name.name != f.name.name);
                    model.methods.push(f.clone());
                }
                StmtKind::Expr(Expr {
                    kind: ExprKind::Str(_),
                    ..
                })
                | StmtKind::Pass => {}
                _ => {
                    let line = self.line_of(stmt.span);
                    self.skipped
                        .push(format!("{name}: statement at line {line}"));
                }
            }
        }
        model.imports = Rc::new(self.imports.clone());
        model
    }
}

impl FileLoader<'_> {
    /// Multi-table inheritance (`class Restaurant(Place)`): a table of its
    /// own, whose primary key is a OneToOneField to the parent's (the
    /// class's `parent_link=True` field, else `place_ptr`, made as Django's
    /// ModelBase makes it). The parent's fields stay the parent's (the
    /// registry adds them to the child once both are resolved); its
    /// methods and constants are inherited as Python inherits them, and of
    /// its Meta only `ordering` and `get_latest_by`.
    fn child_model(
        &mut self,
        class: &ClassDef,
        parents: Vec<PendingModel>,
        parent: PendingModel,
    ) -> PendingModel {
        let key = match &parent.proxy_of {
            Some(of) => of.clone(),
            None => format!("{}.{}", parent.app_label, parent.name),
        };
        let (concrete, abstract_): (Vec<_>, Vec<_>) =
            parents.into_iter().partition(|p| !p.abstract_);
        if concrete.len() > 1 {
            self.diagnose(
                Severity::Error,
                format!(
                    "model '{}' inherits from several concrete models: ormsh follows only the first, '{}'",
                    class.name.name, parent.name
                ),
                class.name.span,
                None,
            );
        }
        let mut model = self.model(class, abstract_);
        for m in &parent.methods {
            if !model.methods.iter().any(|x| x.name.name == m.name.name) {
                model.methods.push(m.clone());
            }
        }
        for (k, v) in &parent.class_attrs {
            if !model.class_attrs.iter().any(|(n, _)| n == k) {
                model.class_attrs.push((k.clone(), v.clone()));
            }
        }
        for (k, v) in &parent.consts {
            model.consts.entry(k.clone()).or_insert_with(|| v.clone());
        }
        if model.meta.ordering.is_empty() {
            model.meta.ordering = parent.meta.ordering.clone();
        }
        if model.meta.get_latest_by.is_empty() {
            model.meta.get_latest_by = parent.meta.get_latest_by.clone();
        }
        let link = model.fields.iter_mut().find(|f| {
            f.field.kind == FieldKind::OneToOneField
                && f.relation.as_ref().is_some_and(|r| r.parent_link)
        });
        let name = match link {
            Some(f) => {
                f.field.primary_key = true;
                f.field.name.clone()
            }
            None => {
                let ptr = parent_pointer(&parent, &key, &self.text, class.name.span);
                let name = ptr.field.name.clone();
                model.fields.insert(0, ptr);
                name
            }
        };
        model.mti_parent = Some((key, name));
        model
    }
}

/// Django's automatic parent link: `OneToOneField(parent, on_delete=CASCADE,
/// name='<parent>_ptr', auto_created=True, parent_link=True)`, the primary
/// key; auto-created fields sort before every declared one.
fn parent_pointer(parent: &PendingModel, key: &str, source: &Rc<str>, span: Span) -> PendingField {
    let name = format!("{}_ptr", parent.name.to_lowercase());
    let mut field = Field::new(&name, FieldKind::OneToOneField, span);
    field.primary_key = true;
    field.unique = true;
    field.editable = false;
    field.verbose_name = name.replace('_', " ");
    PendingField {
        field,
        db_column: None,
        relation: Some(PendingRelation {
            to: Literal::Str(key.to_string()),
            to_span: span,
            file: None,
            source: source.clone(),
            on_delete: OnDelete::Cascade,
            related_name: None,
            related_query_name: None,
            to_field: None,
            through: None,
            through_fields: None,
            symmetrical: None,
            db_table: None,
            limit_choices_to: None,
            parent_link: true,
        }),
        counter: 0,
    }
}

impl FileLoader<'_> {
    /// `class Meta: proxy = True` in the class body.
    fn declares_proxy(&self, class: &ClassDef) -> bool {
        class.body.iter().any(|s| match &s.kind {
            StmtKind::ClassDef(meta) if meta.name.name == "Meta" => meta.body.iter().any(|b| {
                matches!(&b.kind, StmtKind::Assign { targets, value }
                    if targets.iter().any(|t| matches!(&t.kind, ExprKind::Name(n) if n == "proxy"))
                        && self.flag(value) == Some(true))
            }),
            _ => false,
        })
    }
}

/// What a later abstract base adds (Python's MRO: an earlier base's name
/// wins): its fields, placed by declaration order as Django's
/// `creation_counter` places them, its methods and constants.
fn inherit(model: &mut PendingModel, other: PendingModel) {
    for f in other.fields {
        if !model.fields.iter().any(|m| m.field.name == f.field.name) {
            model.fields.push(f);
        }
    }
    model.fields.sort_by_key(|f| f.counter);
    for m in other.methods {
        if !model.methods.iter().any(|x| x.name.name == m.name.name) {
            model.methods.push(m);
        }
    }
    for (k, v) in other.class_attrs {
        if !model.class_attrs.iter().any(|(n, _)| *n == k) {
            model.class_attrs.push((k, v));
        }
    }
    for (k, v) in other.consts {
        model.consts.entry(k).or_insert(v);
    }
    model.choices_classes.extend(other.choices_classes);
}
