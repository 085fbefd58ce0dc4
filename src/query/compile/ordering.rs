//! values() columns and ORDER BY: paths to columns (and transforms or
//! annotations), Meta.ordering, a relation ordered by its model's ordering,
//! and expressions given to order_by().

use super::*;

impl<'r> Query<'r> {
    /// A values() path: an annotation's SQL, else a column.
    pub(super) fn select_path(&mut self, path: &str) -> Result<String> {
        match self.annotation(path) {
            Some(a) => Ok(a.sql.clone()),
            None => self.column_path(path),
        }
    }

    /// A resolved values() column's SQL.
    pub(super) fn value_column(&mut self, c: &ValueColumn) -> Result<String> {
        match c {
            ValueColumn::Annotation(name) => self.select_path(name),
            ValueColumn::Path(path) => {
                let target = self.join_path(path, None);
                self.column_of(&target)
            }
        }
    }

    pub(super) fn column_path(&mut self, path: &str) -> Result<String> {
        let parts: Vec<String> = path.split("__").map(String::from).collect();
        let target = self.walk(&parts, None)?;
        self.column_of(&target)
    }

    /// A path's column, with the transforms after it.
    fn column_of(&self, target: &Target) -> Result<String> {
        let mut sql = Self::col(&target.alias, &target.field.column);
        // A values() path may end in transforms (`published__year`).
        let mut kind = target.field.kind;
        for part in &target.rest {
            kind = match transform(kind, part) {
                Some(k) if !target.relation => k,
                _ => return Err(target.past_end(self.reg, part)),
            };
            sql = transform_sql(part, &sql);
        }
        Ok(sql)
    }

    pub(super) fn ordering(&mut self, qs: &QuerySet) -> Result<Vec<(String, bool)>> {
        let mut out = Vec::new();
        match &qs.order_by {
            Some(terms) => {
                for term in terms {
                    match term {
                        OrderBy::Name(name) => self.order_item(name, qs.reversed, &mut out, 0)?,
                        OrderBy::Resolved {
                            name,
                            descending,
                            target,
                        } => {
                            let desc = *descending != qs.reversed;
                            self.order_target(name, desc, target, &mut out, 0)?
                        }
                        OrderBy::Expr(e) => out.push(self.order_expression(e, qs.reversed)?),
                    }
                }
            }
            None => {
                for name in &self.reg.model(qs.model).meta.ordering {
                    self.order_item(name, qs.reversed, &mut out, 0)?;
                }
            }
        }
        Ok(out)
    }

    /// `order_by(Lower('name').desc())`: the expression's SQL and direction.
    fn order_expression(&mut self, e: &Expr, reversed: bool) -> Result<(String, bool)> {
        let (e, desc) = match e {
            Expr::Func("OrderByDesc", a) if a.len() == 1 => (&a[0], true),
            Expr::Func("OrderBy", a) if a.len() == 1 => (&a[0], false),
            other => (other, false),
        };
        let ctx = Ctx {
            call: usize::MAX,
            outer: true,
            negated: false,
            reuse_any: true,
        };
        let (sql, _) = self.typed(e, ctx, true)?;
        Ok((sql, desc != reversed))
    }

    /// One ordering name; a relation orders by its model's Meta.ordering
    /// (Django's rule), else by its column.
    fn order_item(
        &mut self,
        name: &str,
        reversed: bool,
        out: &mut Vec<(String, bool)>,
        depth: usize,
    ) -> Result<()> {
        if name == "?" {
            out.push(("RANDOM()".into(), false));
            return Ok(());
        }
        if depth > 8 {
            return Err(Error::new(
                "FieldError",
                "Infinite loop caused by ordering.",
            ));
        }
        let (desc, bare) = match name.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, name),
        };
        let desc = desc != reversed;
        if self.annotation(bare).is_some() {
            return self.order_target(bare, desc, &OrderTarget::Annotation, out, depth);
        }
        let parts: Vec<String> = bare.split("__").map(String::from).collect();
        let annotations: Vec<String> = self.annots.iter().map(|a| a.name.clone()).collect();
        let path = resolve_path(self.reg, self.base, &parts, &annotations)?;
        self.order_target(bare, desc, &OrderTarget::Path(path), out, depth)
    }

    /// A resolved name's ORDER BY terms: a relation orders by its model's
    /// Meta.ordering (Django's rule), else by its column.
    fn order_target(
        &mut self,
        bare: &str,
        desc: bool,
        target: &OrderTarget,
        out: &mut Vec<(String, bool)>,
        depth: usize,
    ) -> Result<()> {
        let path = match target {
            OrderTarget::Random => {
                out.push(("RANDOM()".into(), false));
                return Ok(());
            }
            OrderTarget::Annotation => {
                let sql = self
                    .annotation(bare)
                    .map(|a| a.sql.clone())
                    .ok_or_else(|| {
                        Error::new(
                            "FieldError",
                            format!("Cannot resolve keyword '{bare}' into field."),
                        )
                    })?;
                out.push((sql, desc));
                return Ok(());
            }
            OrderTarget::Path(path) => path,
        };
        let target = self.join_path(path, None);
        // A path ending in transforms (`at__hour`) orders by their value.
        if !target.rest.is_empty() {
            let sql = self.column_of(&target)?;
            out.push((sql, desc));
            return Ok(());
        }
        let last = bare.rsplit("__").next().unwrap_or("");
        if let Some(rel) = target
            .field
            .relation
            .as_ref()
            .filter(|_| last == target.field.name && target.field.kind.is_foreign_key())
        {
            let related = self.reg.model(rel.target).meta.ordering.clone();
            if !related.is_empty() {
                for r in related {
                    let (rdesc, rname) = match r.strip_prefix('-') {
                        Some(x) => (true, x.to_string()),
                        None => (false, r.clone()),
                    };
                    let combined =
                        format!("{}{bare}__{rname}", if rdesc != desc { "-" } else { "" });
                    self.order_item(&combined, false, out, depth + 1)?;
                }
                return Ok(());
            }
        }
        out.push((Self::col(&target.alias, &target.field.column), desc));
        Ok(())
    }
}
