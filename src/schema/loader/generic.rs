//! `GenericForeignKey` and `GenericRelation` declarations in a class body:
//! the fields they name (contenttypes' defaults: `content_type`,
//! `object_id`) and a relation's target.

use super::Literal;
use crate::syntax::ast::ArgKind;

/// `GenericForeignKey(ct_field='content_type', fk_field='object_id')`.
pub(super) fn generic_foreign_key(
    name: &str,
    args: &[crate::syntax::ast::Arg],
    source: &str,
) -> crate::schema::GenericForeignKey {
    let mut fields = ["content_type".to_string(), "object_id".to_string()];
    let mut positional = 0;
    for a in args {
        let (slot, e) = match &a.kind {
            ArgKind::Positional(e) => {
                positional += 1;
                (positional - 1, e)
            }
            ArgKind::Keyword(k, e) if k.name == "ct_field" => (0, e),
            ArgKind::Keyword(k, e) if k.name == "fk_field" => (1, e),
            _ => continue,
        };
        if let (Some(s), Some(text)) = (fields.get_mut(slot), Literal::read(e, source).as_str()) {
            *s = text.to_string();
        }
    }
    crate::schema::GenericForeignKey {
        name: name.to_string(),
        ct_field: fields[0].clone(),
        fk_field: fields[1].clone(),
    }
}

/// `GenericRelation(Target, content_type_field=…, object_id_field=…)`.
pub(super) fn generic_relation(
    name: &str,
    args: &[crate::syntax::ast::Arg],
    source: &str,
) -> (String, Literal, String, String) {
    let mut to = Literal::None;
    let mut fields = ["content_type".to_string(), "object_id".to_string()];
    for a in args {
        match &a.kind {
            ArgKind::Positional(e) if matches!(to, Literal::None) => to = Literal::read(e, source),
            ArgKind::Keyword(k, e) if k.name == "to" => to = Literal::read(e, source),
            ArgKind::Keyword(k, e)
                if k.name == "content_type_field" || k.name == "object_id_field" =>
            {
                let slot = usize::from(k.name == "object_id_field");
                if let Some(text) = Literal::read(e, source).as_str() {
                    fields[slot] = text.to_string();
                }
            }
            _ => {}
        }
    }
    let [ct, fk] = fields;
    (name.to_string(), to, ct, fk)
}
