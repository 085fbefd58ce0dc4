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
            order_expressions: Vec::new(),
        }
    }

    pub(super) fn col(alias: &str, column: &str) -> String {
        format!("{}.{}", quote(alias), quote(column))
    }

    pub(super) fn model_columns(&self, model: ModelId, alias: &str) -> Vec<String> {
        self.reg
            .model(model)
            .fields
            .iter()
            .map(|f| Self::col(alias, &f.column))
            .collect()
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

    /// Walks a `__` path from the base model, joining as it goes.
    /// `ctx` is None for ordering and values(), whose joins are LEFT OUTER
    /// where a row may have no match and reuse any existing join.
    pub(super) fn walk(&mut self, path: &[String], ctx: Option<Ctx>) -> Result<Target> {
        let reg = self.reg;
        let mut model = self.base;
        let mut alias = self.base_alias.clone();
        let mut nullable = false;
        let mut i = 0;
        loop {
            let part = &path[i];
            let name = find(reg, model, part).ok_or_else(|| {
                let annotations: Vec<String> = match i {
                    0 => self.annots.iter().map(|a| a.name.clone()).collect(),
                    _ => Vec::new(),
                };
                super::super::resolve::cannot_resolve_with(reg, model, part, &annotations)
            })?;
            let next_is_field =
                |m: ModelId| path.get(i + 1).is_some_and(|n| find(reg, m, n).is_some());
            let here = reg.model(model);
            match &name {
                Name::Field(f) | Name::Attname(f)
                    if matches!(name, Name::Attname(_))
                        || f.relation.is_none()
                        || !next_is_field(f.relation.as_ref().unwrap().target) =>
                {
                    return Ok(Target {
                        alias,
                        nullable: nullable || f.null,
                        relation: f.relation.is_some(),
                        rest_model: f.relation.as_ref().map_or(model, |r| r.target),
                        reverse_fk: false,
                        field: f.clone(),
                        rest: path[i + 1..].to_vec(),
                    });
                }
                Name::Field(f) => {
                    let rel = f.relation.as_ref().expect("checked above");
                    let target = reg.model(rel.target);
                    let to_column = target
                        .field(&rel.to_field)
                        .map_or(target.pk().column.clone(), |t| t.column.clone());
                    let key = format!("fk:{}.{}", here.name, f.name);
                    let step_ctx = ctx.map(|c| Ctx {
                        outer: c.outer || (f.null && c.negated),
                        ..c
                    });
                    let outer_for_order = ctx.is_none() && (f.null || nullable);
                    let use_ctx = if ctx.is_none() && !outer_for_order {
                        Some(Ctx {
                            call: usize::MAX,
                            outer: false,
                            negated: false,
                            reuse_any: true,
                        })
                    } else {
                        step_ctx
                    };
                    alias = self.join(
                        &alias,
                        &key,
                        &target.db_table,
                        (&f.column, &to_column),
                        use_ctx,
                        false,
                    );
                    nullable |= f.null;
                    model = rel.target;
                }
                Name::Reverse(r) => {
                    let source = reg.model(r.model);
                    let fk = source
                        .field(&r.field)
                        .expect("a reverse relation has its field")
                        .clone();
                    let key = format!("rev:{}.{}", source.name, fk.name);
                    if fk.kind == FieldKind::ManyToManyField {
                        alias = self.join_m2m(&alias, &fk, r.model, true, ctx, &key);
                    } else {
                        let rel = fk.relation.as_ref().expect("a foreign key has a relation");
                        let to_column = here
                            .field(&rel.to_field)
                            .map_or(here.pk().column.clone(), |t| t.column.clone());
                        let multi_here = is_multi_valued(&name);
                        alias = self.join(
                            &alias,
                            &key,
                            &source.db_table,
                            (&to_column, &fk.column),
                            ctx,
                            multi_here,
                        );
                    }
                    nullable = true;
                    model = r.model;
                    if !next_is_field(model) {
                        let mut t = Target::related_key(reg, model, alias, path[i + 1..].to_vec());
                        t.reverse_fk = fk.kind != FieldKind::ManyToManyField;
                        return Ok(t);
                    }
                }
                Name::ManyToMany(f) => {
                    let rel = f
                        .relation
                        .as_ref()
                        .expect("a ManyToManyField has a relation");
                    let key = format!("m2m:{}.{}", here.name, f.name);
                    alias = self.join_m2m(&alias, f, model, false, ctx, &key);
                    nullable = true;
                    model = rel.target;
                    if !next_is_field(model) {
                        return Ok(Target::related_key(
                            reg,
                            model,
                            alias,
                            path[i + 1..].to_vec(),
                        ));
                    }
                }
                Name::Attname(_) => unreachable!("handled by the first arm"),
            }
            i += 1;
        }
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
