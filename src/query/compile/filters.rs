//! WHERE and HAVING: each filter() call's conditions, lookups on columns and
//! on annotations, `exclude()` across multi-valued relations as subqueries,
//! and the values a condition compares with.

use super::*;

impl<'r> Query<'r> {
    /// WHERE and HAVING conditions, with each annotation compiled where it
    /// stands among the filter() calls (which joins it may reuse depends
    /// on it). A call that tests an aggregate goes to HAVING.
    pub(super) fn conditions(&mut self, qs: &QuerySet) -> Result<(Vec<String>, Vec<String>)> {
        let (mut where_, mut having) = (Vec::new(), Vec::new());
        let mut pending = qs.annotations.iter().peekable();
        for (call, f) in qs.filters.iter().enumerate() {
            while let Some(a) = pending.next_if(|a| a.after <= call) {
                self.annotate(a)?;
            }
            // No condition (`exclude(Q())`): Django adds no clause at all.
            if matches!(&f.node, QNode::And(c) if c.is_empty()) {
                continue;
            }
            let ctx = Ctx {
                call,
                outer: f.negated,
                negated: f.negated,
                reuse_any: false,
            };
            let sql = self.node(&f.node, ctx)?;
            let sql = if f.negated {
                format!("NOT ({sql})")
            } else {
                sql
            };
            if self.tests_aggregate(&f.node) {
                having.push(sql);
            } else {
                where_.push(sql);
            }
        }
        for a in pending {
            self.annotate(a)?;
        }
        Ok((where_, having))
    }

    fn tests_aggregate(&self, node: &QNode) -> bool {
        match node {
            QNode::Leaf(c) => {
                let refers = |name: &str| self.annotation(name).is_some_and(|a| a.aggregate);
                matches!(&c.lhs, Lhs::Annotation(name) if refers(name))
                    || matches!(&c.operand, Operand::Expr(e) if e.has_aggregate()
                        || self.annots.iter().any(|a| a.aggregate && e.refers_to(&a.name)))
            }
            QNode::And(c) | QNode::Or(c) => c.iter().any(|n| self.tests_aggregate(n)),
            QNode::Not(c) => self.tests_aggregate(c),
        }
    }

    pub(super) fn node(&mut self, node: &QNode, ctx: Ctx) -> Result<String> {
        match node {
            QNode::Leaf(c) => self.leaf(c, ctx),
            QNode::And(children) if children.is_empty() => Ok("1 = 1".into()),
            QNode::And(children) => {
                let parts = children
                    .iter()
                    .map(|c| self.node(c, ctx))
                    .collect::<Result<Vec<_>>>()?;
                Ok(wrap(parts, " AND "))
            }
            QNode::Or(children) => {
                let inner = Ctx { outer: true, ..ctx };
                let parts = children
                    .iter()
                    .map(|c| self.node(c, inner))
                    .collect::<Result<Vec<_>>>()?;
                Ok(wrap(parts, " OR "))
            }
            QNode::Not(child) => {
                let inner = Ctx {
                    outer: true,
                    negated: !ctx.negated,
                    ..ctx
                };
                Ok(format!("NOT ({})", self.node(child, inner)?))
            }
        }
    }

    fn leaf(&mut self, c: &Condition, ctx: Ctx) -> Result<String> {
        let path = match &c.lhs {
            Lhs::Annotation(name) => {
                let a = self.annotation(name).cloned().ok_or_else(|| {
                    Error::new(
                        "FieldError",
                        format!("Cannot resolve keyword '{name}' into field."),
                    )
                })?;
                return self.annotation_leaf(&a, c, ctx);
            }
            Lhs::Path(path) => path,
        };
        if ctx.negated && path.steps.iter().any(Step::is_multi_valued) {
            return self.exclude_subquery(c);
        }
        let isnull_true = matches!(c.operand, Operand::Rhs(Rhs::IsNull(true)));
        let ctx = Ctx {
            outer: ctx.outer || isnull_true,
            ..ctx
        };
        let target = self.join_path(path, Some(ctx));
        let mut lhs = Self::col(&target.alias, &target.field.column);
        for t in &c.transforms {
            lhs = transform_sql(t, &lhs);
        }
        let rhs = match &c.operand {
            Operand::Expr(e) => {
                let op = comparison(&c.lookup, c.kind)?;
                let rhs = self.expression(e, Some(ctx))?;
                let sql = format!("{lhs} {op} {rhs}");
                if ctx.negated && target.nullable {
                    return Ok(format!("{sql} AND {lhs} IS NOT NULL"));
                }
                return Ok(sql);
            }
            Operand::Rhs(rhs) => rhs,
        };
        if let Rhs::Query { queryset, columns } = rhs {
            return self.in_subquery(&lhs, queryset, columns);
        }
        let sql = lookup_sql(&lhs, &c.lookup, c.kind, rhs, &mut self.params)?;
        // Django keeps rows whose column is NULL out of a negated comparison's
        // reach: NOT (col = x AND col IS NOT NULL).
        if ctx.negated && target.nullable && !matches!(rhs, Rhs::IsNull(_) | Rhs::Null) {
            return Ok(format!("{sql} AND {lhs} IS NOT NULL"));
        }
        Ok(sql)
    }

    /// `lhs IN (subquery)`: the queryset's columns, its values bound after ours.
    fn in_subquery(&mut self, lhs: &str, qs: &QuerySet, columns: &[String]) -> Result<String> {
        let sub = compile(self.reg, qs, Select::Columns(columns))?;
        let sql = renumber(&sub.sql, self.params.len());
        self.params.extend(sub.params);
        Ok(format!("{lhs} IN ({sql})"))
    }

    /// What follows a path's field: its transforms (each changing the kind
    /// compared) and the lookup at the end (`exact` when none is named).
    fn lookup_of(
        &self,
        target: &Target,
        path: &[String],
    ) -> Result<(FieldKind, String, Vec<String>)> {
        let mut kind = value_kind(self.reg, &target.field);
        let mut lookup = "exact".to_string();
        let mut transforms = Vec::new();
        for (n, part) in target.rest.iter().enumerate() {
            if let Some(k) = transform(kind, part) {
                transforms.push(part.clone());
                kind = k;
            } else if LOOKUPS.contains(&part.as_str()) && n + 1 == target.rest.len() {
                lookup = part.clone();
            } else {
                // Past a relation, Django names the relation's class.
                let shown = if target.relation && n == 0 {
                    FieldKind::ForeignKey
                } else {
                    kind
                };
                let mut e = unsupported(part, shown);
                // For people: the related model's field it was likely meant to be.
                if let Some(rel) = target.field.relation.as_ref().filter(|_| n == 0) {
                    let names = crate::query::resolve::choices(self.reg, rel.target);
                    if let Some(near) =
                        crate::suggest::nearest(part, names.iter().map(String::as_str))
                    {
                        let prefix = &path[..path.len() - target.rest.len()];
                        e = e.with_hint(format!("did you mean '{}__{near}'?", prefix.join("__")));
                    }
                }
                return Err(e);
            }
        }
        Ok((kind, lookup, transforms))
    }

    /// What a condition on `key` compares, for its value to be prepared.
    fn target_of(&mut self, key: &str, annotations: &[String]) -> Result<ConditionTarget> {
        let parts: Vec<String> = key.split("__").map(String::from).collect();
        if let Some(a) = self.annotation(&parts[0]).cloned() {
            let (kind, lookup, transforms) = annotation_lookup(a.output.kind, &parts[1..])?;
            return Ok(ConditionTarget {
                kind,
                lookup,
                transforms,
                field_name: a.name.clone(),
                related_model: None,
                lhs: Lhs::Annotation(a.name),
            });
        }
        let path = resolve_path(self.reg, self.base, &parts, annotations)?;
        let target = Target::of(self.reg, &path, String::new());
        let (kind, lookup, transforms) = self.lookup_of(&target, &parts)?;
        // A relation compares with its target field, which messages name.
        let (field_name, related_model) = match &target.field.relation {
            Some(rel) if target.field.kind.is_foreign_key() => {
                (rel.to_field.clone(), Some(rel.target))
            }
            _ => (target.field.name.clone(), None),
        };
        Ok(ConditionTarget {
            kind,
            lookup,
            transforms,
            field_name,
            related_model,
            lhs: Lhs::Path(path),
        })
    }

    /// `pk IN (SELECT pk … WHERE condition)`: objects with any related row
    /// that matches, for the enclosing NOT to exclude.
    fn exclude_subquery(&mut self, c: &Condition) -> Result<String> {
        let mut sub = Query::new(self.reg, self.base, "U");
        let inner_ctx = Ctx {
            call: 0,
            outer: false,
            negated: false,
            reuse_any: false,
        };
        let cond = sub.leaf(c, inner_ctx)?;
        let pk = self.reg.model(self.base).pk().column.clone();
        let sql = format!(
            "SELECT {}{} WHERE {cond}",
            Self::col(&sub.base_alias, &pk),
            sub.sql_from()
        );
        let sql = renumber(&sql, self.params.len());
        self.params.extend(sub.params);
        Ok(format!("{} IN ({sql})", Self::col(&self.base_alias, &pk)))
    }

    /// `F('a') * 2` as SQL: columns through the same joins, values bound.
    pub(super) fn expression(&mut self, e: &Expr, ctx: Option<Ctx>) -> Result<String> {
        let ctx = ctx.unwrap_or(Ctx {
            call: usize::MAX,
            outer: false,
            negated: false,
            reuse_any: true,
        });
        Ok(self.typed(e, ctx, false)?.0)
    }

    /// A condition on an annotation (`n__gte=2`): its SQL as the left side.
    fn annotation_leaf(
        &mut self,
        a: &annotate::AnnotSql,
        c: &Condition,
        ctx: Ctx,
    ) -> Result<String> {
        let mut lhs = format!("({})", a.sql);
        for t in &c.transforms {
            lhs = transform_sql(t, &lhs);
        }
        let rhs = match &c.operand {
            Operand::Rhs(rhs) => rhs,
            Operand::Expr(e) => {
                let op = comparison(&c.lookup, c.kind)?;
                let (rhs, _) = self.typed(
                    e,
                    Ctx {
                        reuse_any: true,
                        ..ctx
                    },
                    true,
                )?;
                return Ok(format!("{lhs} {op} {rhs}"));
            }
        };
        if let Rhs::Query { queryset, columns } = rhs {
            return self.in_subquery(&lhs, queryset, columns);
        }
        lookup_sql(&lhs, &c.lookup, c.kind, rhs, &mut self.params)
    }
}

/// What a condition compares: the kind of its left side after transforms,
/// its lookup, the name messages give it, and for a relation the model an
/// instance given as its value must be of.
#[derive(Clone, Debug)]
pub struct ConditionTarget {
    pub kind: FieldKind,
    pub lookup: String,
    pub transforms: Vec<String>,
    /// What it compares, resolved: the condition's left side.
    pub lhs: Lhs,
    pub field_name: String,
    pub related_model: Option<ModelId>,
}

/// Resolves a condition's `key` against `qs` (its annotations, its model's
/// fields and relations), as Django's `build_filter` does before it
/// prepares the value; a name that does not resolve is its FieldError.
pub fn condition_target(reg: &Registry, qs: &QuerySet, key: &str) -> Result<ConditionTarget> {
    let mut q = Query::new(reg, qs.model, "");
    let names: Vec<String> = qs.annotations.iter().map(|a| a.name.clone()).collect();
    // Only a condition on an annotation needs its type, hence its SQL.
    let first = key.split("__").next().unwrap_or_default();
    if names.iter().any(|n| n == first) {
        for a in &qs.annotations {
            q.annotate(a)?;
        }
    }
    q.target_of(key, &names)
}

/// The transforms and lookup after an annotation's name (`n__gte`).
fn annotation_lookup(kind: FieldKind, rest: &[String]) -> Result<(FieldKind, String, Vec<String>)> {
    let mut kind = kind;
    let mut lookup = "exact".to_string();
    let mut transforms = Vec::new();
    for (n, part) in rest.iter().enumerate() {
        if let Some(k) = transform(kind, part) {
            transforms.push(part.clone());
            kind = k;
        } else if LOOKUPS.contains(&part.as_str()) && n + 1 == rest.len() {
            lookup = part.clone();
        } else {
            return Err(unsupported(part, kind));
        }
    }
    Ok((kind, lookup, transforms))
}

/// The SQL operator of a lookup that compares with an expression (`F()`).
fn comparison(lookup: &str, kind: FieldKind) -> Result<&'static str> {
    Ok(match lookup {
        "exact" => "=",
        "gt" => ">",
        "gte" => ">=",
        "lt" => "<",
        "lte" => "<=",
        other => return Err(unsupported(other, kind)),
    })
}

fn wrap(parts: Vec<String>, joiner: &str) -> String {
    if parts.len() == 1 {
        return parts.into_iter().next().unwrap_or_default();
    }
    format!("({})", parts.join(joiner))
}
