//! Walking `__` paths from the base model: which name each part is, and the
//! joins that follow it, reused or made anew by Django's rules (see the
//! parent module's header).

use super::*;

impl<'r> Query<'r> {
    pub(super) fn new(reg: &'r Registry, base: ModelId, prefix: &'static str) -> Self {
        let table = reg.model(base).db_table.clone();
        let base_alias = if prefix.is_empty() {
            table
        } else {
            format!("{prefix}0")
        };
        Query {
            reg,
            base,
            base_alias,
            joins: Vec::new(),
            params: Vec::new(),
            prefix,
            annots: Vec::new(),
        }
    }

    pub(super) fn col(alias: &str, column: &str) -> String {
        format!("{}.{}", quote(alias), quote(column))
    }

    /// Every concrete column of `model` from `alias`; an inherited field's
    /// through the join to its ancestor's table (Django's INNER JOIN of a
    /// multi-table child's parents).
    pub(super) fn model_columns(&mut self, model: ModelId, alias: &str) -> Vec<String> {
        let reg = self.reg;
        reg.model(model)
            .fields
            .iter()
            .map(|f| match f.inherited_from {
                None => Self::col(alias, &f.column),
                Some(owner) => Self::col(&self.parent_alias(model, alias, owner), &f.column),
            })
            .collect()
    }

    /// The alias of an ancestor's table, joined along the parent links.
    pub(super) fn parent_alias(&mut self, model: ModelId, alias: &str, owner: ModelId) -> String {
        let mut at = alias.to_string();
        for step in super::super::resolve::parent_steps(self.reg, model, owner) {
            at = self.join_step(&at, &step, None, false);
        }
        at
    }

    pub(super) fn sql_from(&self) -> String {
        let base_table = &self.reg.model(self.base).db_table;
        let mut out = if self.base_alias == *base_table {
            format!(" FROM {}", quote(base_table))
        } else {
            format!(" FROM {} {}", quote(base_table), quote(&self.base_alias))
        };
        for j in &self.joins {
            let kind = if j.outer {
                "LEFT OUTER JOIN"
            } else {
                "INNER JOIN"
            };
            let target = if j.alias == j.table {
                quote(&j.table)
            } else {
                format!("{} {}", quote(&j.table), quote(&j.alias))
            };
            out.push_str(&format!(
                " {kind} {target} ON ({} = {})",
                Self::col(&j.parent_alias, &j.parent_column),
                Self::col(&j.alias, &j.column)
            ));
        }
        out
    }

    pub(super) fn new_alias(&self, table: &str) -> String {
        let used = |a: &str| a == self.base_alias || self.joins.iter().any(|j| j.alias == a);
        if self.prefix.is_empty() && !used(table) {
            return table.to_string();
        }
        let letter = if self.prefix.is_empty() {
            "T"
        } else {
            self.prefix
        };
        let mut n = self.joins.len() + if self.prefix.is_empty() { 2 } else { 1 };
        while used(&format!("{letter}{n}")) {
            n += 1;
        }
        format!("{letter}{n}")
    }

    /// Finds or makes the join from `parent_alias` along `key`.
    pub(super) fn join(
        &mut self,
        parent_alias: &str,
        key: &str,
        table: &str,
        cols: (&str, &str),
        ctx: Option<Ctx>,
        multi: bool,
    ) -> String {
        let reusable = |j: &Join| {
            j.parent_alias == parent_alias
                && j.key == key
                && match (ctx, j.call) {
                    (_, None) | (None, _) => true,
                    (Some(c), _) if c.reuse_any => true,
                    (Some(c), Some(made_in)) => c.call == made_in,
                }
        };
        if let Some(j) = self.joins.iter_mut().find(|j| reusable(j)) {
            // An annotation takes the join as the filter made it.
            if ctx.is_some_and(|c| c.outer && !c.reuse_any) {
                j.outer = true;
            }
            return j.alias.clone();
        }
        let alias = self.new_alias(table);
        let parent_outer = self
            .joins
            .iter()
            .any(|j| j.alias == parent_alias && j.outer);
        self.joins.push(Join {
            alias: alias.clone(),
            table: table.to_string(),
            parent_alias: parent_alias.to_string(),
            parent_column: cols.0.to_string(),
            column: cols.1.to_string(),
            outer: parent_outer || ctx.is_none_or(|c| c.outer),
            key: key.to_string(),
            // A multi-valued join made for ordering, values() or an
            // annotation is not one a later filter() call may share.
            call: if multi {
                Some(ctx.map_or(super::annotate::ANNOTATION_CALL, |c| c.call))
            } else {
                None
            },
        });
        alias
    }

    /// Walks a `__` path from the base model (resolved by the one path
    /// resolver), joining as it goes. `ctx` is None for ordering and
    /// values(), whose joins are LEFT OUTER where a row may have no match
    /// and reuse any existing join.
    pub(super) fn walk(&mut self, parts: &[String], ctx: Option<Ctx>) -> Result<Target> {
        let annotations: Vec<String> = self.annots.iter().map(|a| a.name.clone()).collect();
        let path = resolve_path(self.reg, self.base, parts, &annotations)?;
        Ok(self.join_path(&path, ctx))
    }

    /// The joins of a resolved path, made or reused, and its end's column.
    pub(super) fn join_path(&mut self, path: &Path, ctx: Option<Ctx>) -> Target {
        let mut alias = self.base_alias.clone();
        for (i, step) in path.steps.iter().enumerate() {
            let nullable = path.steps[..i].iter().any(Step::nullable);
            alias = self.join_step(&alias, step, ctx, nullable);
        }
        Target::of(self.reg, path, alias)
    }

    /// The join (or, for a ManyToMany, the two joins) of one step from
    /// `alias`; `nullable`: whether a NULL can already reach it.
    fn join_step(&mut self, alias: &str, step: &Step, ctx: Option<Ctx>, nullable: bool) -> String {
        let reg = self.reg;
        let (here, there) = (reg.model(step.from), reg.model(step.to));
        match &step.kind {
            StepKind::Forward(f) => {
                let rel = f.relation.as_ref().expect("a forward step is a relation");
                let to_column = there.to_field(&rel.to_field).column.clone();
                let key = format!("fk:{}.{}", here.name, f.name);
                // Ordering and values() share any join, but go LEFT OUTER
                // once a NULL can reach it.
                let use_ctx = match ctx {
                    None if !(f.null || nullable) => Some(Ctx {
                        call: usize::MAX,
                        outer: false,
                        negated: false,
                        reuse_any: true,
                    }),
                    None => None,
                    Some(c) => Some(Ctx {
                        outer: c.outer || (f.null && c.negated),
                        ..c
                    }),
                };
                let cols = (f.column.as_str(), to_column.as_str());
                self.join(alias, &key, &there.db_table, cols, use_ctx, false)
            }
            StepKind::Reverse(fk) => {
                let rel = fk.relation.as_ref().expect("a foreign key has a relation");
                let to_column = here.to_field(&rel.to_field).column.clone();
                let key = format!("rev:{}.{}", there.name, fk.name);
                let cols = (to_column.as_str(), fk.column.as_str());
                self.join(
                    alias,
                    &key,
                    &there.db_table,
                    cols,
                    ctx,
                    step.is_multi_valued(),
                )
            }
            StepKind::ManyToMany { field, reverse } => {
                // The model that declares the field, and the key's prefix.
                let (owner, prefix) = if *reverse {
                    (step.to, "rev")
                } else {
                    (step.from, "m2m")
                };
                let key = format!("{prefix}:{}.{}", reg.model(owner).name, field.name);
                self.join_m2m(alias, field, owner, *reverse, ctx, &key)
            }
        }
    }

    /// `select_related`: each path joined, and its model's columns; the
    /// paths with their models, for the rows to be read back.
    pub(super) fn select_related(
        &mut self,
        names: &[String],
    ) -> Result<(Vec<RelatedPath>, Vec<String>)> {
        let mut related = Vec::new();
        let mut columns = Vec::new();
        for (path, model) in related_paths(self.reg, self.base, names)? {
            let mut to_pk = path.clone();
            to_pk.push(self.reg.model(model).pk().name.clone());
            let target = self.walk(&to_pk, None)?;
            columns.extend(self.model_columns(model, &target.alias));
            related.push((path, model));
        }
        Ok((related, columns))
    }

    /// The two joins of a ManyToMany step: to the through table, then to the
    /// other model. `reverse` walks from the target side back to the owner.
    pub(super) fn join_m2m(
        &mut self,
        alias: &str,
        field: &Field,
        owner: ModelId,
        reverse: bool,
        ctx: Option<Ctx>,
        key: &str,
    ) -> String {
        let reg = self.reg;
        let rel = field
            .relation
            .as_ref()
            .expect("a ManyToManyField has a relation");
        let through = reg.model(rel.through.expect("resolved through model"));
        let (from_name, to_name) = rel.through_fields.clone().unwrap_or_default();
        let column_of = |name: &str| {
            through
                .field(name)
                .map(|f| f.column.clone())
                .unwrap_or_default()
        };
        let (near, far, far_model) = if reverse {
            (column_of(&to_name), column_of(&from_name), owner)
        } else {
            (column_of(&from_name), column_of(&to_name), rel.target)
        };
        let near_model = if reverse { rel.target } else { owner };
        let near_pk = reg.model(near_model).pk().column.clone();
        let far_model = reg.model(far_model);
        let t = self.join(
            alias,
            &format!("{key}:through"),
            &through.db_table,
            (&near_pk, &near),
            ctx,
            true,
        );
        self.join(
            &t,
            &format!("{key}:far"),
            &far_model.db_table,
            (&far, &far_model.pk().column),
            ctx,
            true,
        )
    }
}
