//! A model's `class Meta`: its options as Django's Options reads them.

use super::*;

impl FileLoader<'_> {
    pub(super) fn meta(&mut self, model: &mut PendingModel, meta: &ClassDef) {
        for stmt in &meta.body {
            // `abstract: ClassVar[bool] = True` is an assignment too.
            let (target, value) = match &stmt.kind {
                StmtKind::Assign { targets, value } => (targets.first(), value),
                StmtKind::AnnAssign {
                    target,
                    value: Some(value),
                    ..
                } => (Some(target), value),
                _ => continue,
            };
            let Some(ExprKind::Name(key)) = target.map(|t| &t.kind) else {
                continue;
            };
            let lit = Literal::read(value, &self.text);
            match key.as_str() {
                "db_table" => model.db_table = lit.as_str().map(String::from),
                "ordering" => model.meta.ordering = lit.strings(),
                "abstract" => model.abstract_ = self.flag(value).unwrap_or(false),
                "managed" => model.managed = self.flag(value).unwrap_or(true),
                "verbose_name" => model.meta.verbose_name = lit.as_str().unwrap_or("").to_string(),
                "verbose_name_plural" => {
                    model.meta.verbose_name_plural = lit.as_str().unwrap_or("").to_string()
                }
                "get_latest_by" => model.meta.get_latest_by = lit.strings(),
                "default_related_name" => {
                    model.meta.default_related_name = lit.as_str().map(String::from)
                }
                "unique_together" => {
                    model.meta.unique_together = match &lit {
                        Literal::List(rows)
                            if rows.iter().all(|r| matches!(r, Literal::Str(_))) =>
                        {
                            vec![lit.strings()]
                        }
                        Literal::List(rows) => rows.iter().map(Literal::strings).collect(),
                        _ => Vec::new(),
                    }
                }
                "indexes" => model.meta.indexes = constraints::indexes(value, &self.text),
                "constraints" => {
                    model.meta.constraints = constraints::constraints(value, &self.text)
                }
                _ => {}
            }
        }
    }

    /// A Meta flag: `True`/`False`, or `'app' in settings.INSTALLED_APPS`
    /// (DRF's `proxy = 'rest_framework.authtoken' in settings.INSTALLED_APPS`),
    /// answered from the project's settings.
    pub(super) fn flag(&self, value: &Expr) -> Option<bool> {
        if let ExprKind::Compare { left, ops } = &value.kind
            && let (ExprKind::Str(app), [(op @ (CmpOp::In | CmpOp::NotIn), right)]) =
                (&left.kind, ops.as_slice())
            && dotted(right).is_some_and(|r| r.ends_with("INSTALLED_APPS"))
        {
            let installed = self.shared.installed_apps.iter().any(|a| a == app);
            return Some(installed == matches!(op, CmpOp::In));
        }
        Literal::read(value, &self.text).as_bool()
    }
}
