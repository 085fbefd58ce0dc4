//! Field declarations in a model class: the field's options, its relation
//! (target, on_delete, related_name…), and choices, including
//! `TextChoices`/`IntegerChoices` classes.

use super::*;

impl FileLoader<'_> {
    pub(super) fn field_options(
        &mut self,
        model: &PendingModel,
        field: &mut Field,
        args: &[crate::syntax::ast::Arg],
        call_span: Span,
    ) -> PendingField {
        let text = self.text.clone();
        let mut positional = Vec::new();
        let mut kw: HashMap<String, (Literal, Span)> = HashMap::new();
        for a in args {
            match &a.kind {
                ArgKind::Positional(e) => {
                    positional.push((Literal::read(e, &text).resolve(&model.consts), e.span))
                }
                ArgKind::Keyword(k, e) => {
                    kw.insert(
                        k.name.clone(),
                        (Literal::read(e, &text).resolve(&model.consts), e.span),
                    );
                }
                _ => {}
            }
        }
        field.default_expr = args.iter().find_map(|a| match &a.kind {
            ArgKind::Keyword(k, e) if k.name == "default" => Some(e.clone()),
            _ => None,
        });
        let get = |k: &str| kw.get(k).map(|(l, _)| l.clone());
        let flag = |k: &str, default: bool| get(k).and_then(|l| l.as_bool()).unwrap_or(default);
        field.primary_key = flag("primary_key", false);
        field.null = flag("null", false);
        field.blank = flag("blank", false);
        field.unique = flag(
            "unique",
            field.primary_key || field.kind == FieldKind::OneToOneField,
        );
        field.db_index = flag("db_index", field.db_index);
        field.editable = flag("editable", true);
        field.auto_now = flag("auto_now", false);
        field.auto_now_add = flag("auto_now_add", false);
        if let Some(n) = get("max_length").and_then(|l| l.as_int()) {
            field.max_length = u32::try_from(n).ok();
        }
        field.max_digits = get("max_digits")
            .and_then(|l| l.as_int())
            .and_then(|n| u32::try_from(n).ok());
        field.decimal_places = get("decimal_places")
            .and_then(|l| l.as_int())
            .and_then(|n| u32::try_from(n).ok());
        // `default=Status.DRAFT`: the member's value.
        field.default = get("default").map(|d| match &d {
            Literal::Name(n) => n
                .rsplit_once('.')
                .and_then(|(class, member)| {
                    self.choices
                        .get(class)?
                        .iter()
                        .find(|(name, _, _)| name == member)
                        .map(|(_, v, _)| v.clone())
                })
                .unwrap_or(d),
            _ => d,
        });
        field.db_default = get("db_default");
        field.help_text = get("help_text")
            .and_then(|l| l.as_str().map(String::from))
            .unwrap_or_default();
        if let Some(choices) = get("choices") {
            field.choices = self.read_choices(&choices);
        }
        let relation = if field.kind.is_relation() {
            Some(self.relation(model, field, &positional, &kw, call_span))
        } else {
            if let Some(v) = positional.first().and_then(|(l, _)| l.as_str()) {
                field.verbose_name = v.to_string();
            }
            None
        };
        if let Some(v) = get("verbose_name").and_then(|l| l.as_str().map(String::from)) {
            field.verbose_name = v;
        }
        // SQLite takes a CharField without max_length (`varchar`); one
        // given as an expression ormsh cannot evaluate is said.
        if let Some((_, span)) = kw.get("max_length").filter(|_| field.max_length.is_none()) {
            let written = text.get(span.start..span.end).unwrap_or("?").to_string();
            self.diagnose(
                Severity::Warning,
                format!(
                    "{}.{}: max_length={} could not be evaluated: the column is made as varchar without a length",
                    model.name,
                    field.name,
                    written
                ),
                *span,
                None,
            );
        }
        PendingField {
            field: field.clone(),
            db_column: get("db_column").and_then(|l| l.as_str().map(String::from)),
            relation,
            counter: 0,
        }
    }

    pub(super) fn relation(
        &mut self,
        model: &PendingModel,
        field: &mut Field,
        positional: &[(Literal, Span)],
        kw: &HashMap<String, (Literal, Span)>,
        call_span: Span,
    ) -> PendingRelation {
        let get = |k: &str| kw.get(k).map(|(l, _)| l.clone());
        let (to, to_span) = kw
            .get("to")
            .cloned()
            .or_else(|| positional.first().cloned())
            .unwrap_or((Literal::None, call_span));
        let on_delete_lit = get("on_delete").or_else(|| positional.get(1).map(|(l, _)| l.clone()));
        let on_delete = match on_delete_lit.as_ref() {
            Some(l) => on_delete_of(l),
            None if field.kind == FieldKind::ManyToManyField => OnDelete::Cascade,
            None => {
                self.diagnose(
                    Severity::Warning,
                    format!(
                        "{}.{} has no on_delete: loaded as CASCADE, as Django before 2.0 did",
                        model.name, field.name
                    ),
                    field.span,
                    Some("add on_delete=models.CASCADE (or another rule) to the field".into()),
                );
                OnDelete::Cascade
            }
        };
        let through_fields = match get("through_fields") {
            Some(Literal::List(items)) if items.len() == 2 => Some((
                items[0].as_str().unwrap_or("").to_string(),
                items[1].as_str().unwrap_or("").to_string(),
            )),
            _ => None,
        };
        let text = |l: Literal| match l {
            Literal::Other(s) => Some(s),
            Literal::Str(s) => Some(s),
            other => Some(format!("{other:?}")),
        };
        PendingRelation {
            to: self.class_reference(to),
            to_span,
            file: self.source.path.clone(),
            source: self.text.clone(),
            on_delete,
            related_name: get("related_name").and_then(|l| l.as_str().map(String::from)),
            related_query_name: get("related_query_name")
                .and_then(|l| l.as_str().map(String::from)),
            to_field: get("to_field").and_then(|l| l.as_str().map(String::from)),
            through: get("through").map(|t| self.class_reference(t)),
            through_fields,
            symmetrical: get("symmetrical").and_then(|l| l.as_bool()),
            db_table: get("db_table").and_then(|l| l.as_str().map(String::from)),
            limit_choices_to: get("limit_choices_to").and_then(text),
            parent_link: get("parent_link")
                .and_then(|l| l.as_bool())
                .unwrap_or(false),
        }
    }

    /// A relation to a class object (`ForeignKey(Group)`) names the class
    /// where the field is written: qualified here, so that a model that
    /// inherits the field from another app's abstract base still points at
    /// it. Strings stay relative, as Django resolves them in the model's app.
    pub(super) fn class_reference(&self, to: Literal) -> Literal {
        let Literal::Name(n) = &to else {
            return to;
        };
        if n.contains('.') {
            return to;
        }
        if self.models.contains_key(n) {
            return Literal::Str(format!("{}.{n}", self.source.app_label));
        }
        match self.imports.get(n) {
            Some(qualified) => Literal::Str(qualified.clone()),
            None => to,
        }
    }

    pub(super) fn read_choices(&self, lit: &Literal) -> Vec<(Literal, String)> {
        match lit {
            // Grouped choices (`('Audio', (('vinyl', 'Vinyl'), …))`) are
            // their members, as Django's flatchoices.
            Literal::List(pairs) => pairs
                .iter()
                .flat_map(|p| match p {
                    Literal::List(kv) if kv.len() == 2 && matches!(kv[1], Literal::List(_)) => {
                        self.read_choices(&kv[1])
                    }
                    Literal::List(kv) if kv.len() == 2 => {
                        vec![(kv[0].clone(), kv[1].as_str().unwrap_or("").to_string())]
                    }
                    _ => Vec::new(),
                })
                .collect(),
            Literal::Name(n) => {
                let class = n.trim_end_matches(".choices");
                self.choices
                    .get(class)
                    .map(|m| m.iter().map(|(_, v, l)| (v.clone(), l.clone())).collect())
                    .unwrap_or_default()
            }
            _ => Vec::new(),
        }
    }
}

pub(super) fn on_delete_of(lit: &Literal) -> OnDelete {
    match (lit.last_name(), lit) {
        (Some("PROTECT"), _) => OnDelete::Protect,
        (Some("RESTRICT"), _) => OnDelete::Restrict,
        (Some("SET_NULL"), _) => OnDelete::SetNull,
        (Some("SET_DEFAULT"), _) => OnDelete::SetDefault,
        (Some("DO_NOTHING"), _) => OnDelete::DoNothing,
        (Some("SET"), Literal::Call(_, args)) => {
            OnDelete::Set(args.first().cloned().unwrap_or(Literal::None))
        }
        _ => OnDelete::Cascade,
    }
}

/// The members of a `TextChoices`/`IntegerChoices` class: `DRAFT = 'D', 'Draft'`
/// or `DRAFT = 'D'` (label from the name).
pub(super) fn choices_members(body: &[Stmt], text: &str) -> Vec<(String, Literal, String)> {
    body.iter()
        .filter_map(|s| match &s.kind {
            StmtKind::Assign { targets, value } => {
                let ExprKind::Name(name) = &targets.first()?.kind else {
                    return None;
                };
                match Literal::read(value, text) {
                    Literal::List(items) if items.len() == 2 => Some((
                        name.clone(),
                        items[0].clone(),
                        items[1].as_str().unwrap_or("").to_string(),
                    )),
                    lit => Some((name.clone(), lit, title_words(name))),
                }
            }
            _ => None,
        })
        .collect()
}

pub(super) fn title_words(name: &str) -> String {
    name.split('_')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let lower = w.to_lowercase();
            let mut cs = lower.chars();
            cs.next()
                .map(|c| c.to_uppercase().collect::<String>() + cs.as_str())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}
