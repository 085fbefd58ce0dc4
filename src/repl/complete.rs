//! What Tab completes, knowing the models: model names and variables at
//! the start of an expression; `objects` and the manager and queryset
//! methods after `Model.` / `Model.objects.` / a queryset; fields and
//! related accessors after an instance; field names inside `filter(`,
//! `exclude(`, `get(`, `order_by('`, `values('`…, and after `field__` the
//! related model's fields and the lookups that field takes; dot-commands
//! after a leading `.`.
//!
//! It reads only the text before the cursor and what it knows of the names
//! bound at the prompt; it runs nothing.

use crate::engine::NameKind;
use crate::engine::Returns;
use crate::schema::{FieldKind, ModelId, Registry};
use std::collections::HashMap;

/// What completion knows: the models, and the names bound at the prompt.
pub struct Context<'a> {
    pub registry: &'a Registry,
    pub names: &'a HashMap<String, NameKind>,
}

const KEYWORDS: &[&str] = &[
    "for", "in", "if", "elif", "else", "while", "import", "from", "not", "and", "or", "is", "None",
    "True", "False", "print", "len", "list", "dict", "del", "pass", "break", "continue",
];

/// Methods that take field names as keywords or strings.
const FIELD_METHODS: &[&str] = &[
    "filter",
    "exclude",
    "get",
    "order_by",
    "values",
    "values_list",
    "annotate",
    "aggregate",
    "select_related",
    "prefetch_related",
    "only",
    "defer",
    "get_or_create",
    "update_or_create",
    "update",
    "create",
    "Q",
    "F",
    "Count",
    "Sum",
    "Avg",
    "Min",
    "Max",
    "latest",
    "earliest",
];

const INSTANCE_METHODS: &[&str] = &["save", "delete", "refresh_from_db", "pk"];

/// Where the word being completed starts, and what it may become.
pub fn complete(line: &str, pos: usize, ctx: &Context) -> (usize, Vec<String>) {
    let before = &line[..pos.min(line.len())];
    if before.trim_start().starts_with('.') && !before.contains(' ') {
        let start = before.len() - before.trim_start().len();
        return (
            start,
            matching(
                crate::commands::COMMANDS.iter().map(|c| c.name),
                &before[start..],
            ),
        );
    }
    let start = word_start(before);
    let word = &before[start..];
    let prefix = &before[..start];
    // `recv.word`: what the receiver offers.
    if let Some(recv) = prefix.strip_suffix('.') {
        let kind = chain_kind(recv, ctx);
        let names = attributes(kind, ctx);
        return (start, matching(names.iter().map(String::as_str), word));
    }
    // Inside a call that takes field names: `filter(cat`, `order_by('-pri`.
    if let Some((method, recv, quoted)) = enclosing_call(prefix)
        && FIELD_METHODS.contains(&method.as_str())
    {
        let model = chain_kind(&recv, ctx).model().or_else(|| {
            // `Q(...)`, `Count(...)` inside a filter: the outer call's model.
            let inner_open = innermost_call(prefix)?;
            enclosing_call(&prefix[..word_start(&prefix[..inner_open])])
                .and_then(|(_, outer, _)| chain_kind(&outer, ctx).model())
        });
        if let Some(model) = model {
            let (word_start, word) = if quoted {
                // `order_by('-price')`: the name follows the minus.
                match word.strip_prefix('-') {
                    Some(rest) => (start + 1, rest),
                    None => (start, word),
                }
            } else {
                (start, word)
            };
            return (word_start, field_paths(model, word, ctx));
        }
    }
    if quoted_here(prefix) {
        return (start, Vec::new());
    }
    let mut names: Vec<String> = ctx.names.keys().cloned().collect();
    names.extend(KEYWORDS.iter().map(|k| k.to_string()));
    names.sort();
    names.dedup();
    (start, matching(names.iter().map(String::as_str), word))
}

/// Whether text ending here is inside the arguments of a call that takes
/// field names (`filter(`, `order_by(`…), where a bare word is a field path.
pub fn in_field_call(prefix: &str) -> bool {
    enclosing_call(prefix).is_some_and(|(method, _, _)| FIELD_METHODS.contains(&method.as_str()))
}

fn matching<'a>(candidates: impl Iterator<Item = &'a str>, word: &str) -> Vec<String> {
    let mut out: Vec<String> = candidates
        .filter(|c| c.starts_with(word))
        .map(String::from)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Whether the cursor is inside a string literal.
fn quoted_here(text: &str) -> bool {
    let mut quote = None;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(_), '\\') => {
                chars.next();
            }
            (Some(q), c) if c == q => quote = None,
            (None, '\'' | '"') => quote = Some(c),
            _ => {}
        }
    }
    quote.is_some()
}

/// Where the name that ends `text` starts.
fn word_start(text: &str) -> usize {
    text.char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric() || *c == '_')
        .last()
        .map_or(text.len(), |(i, _)| i)
}

/// The byte offset of the innermost bracket still open at the end of
/// `text` (outside strings), when it is a call's `(`.
fn innermost_call(text: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut opens: Vec<(char, usize)> = Vec::new();
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(' | '[' | '{') => opens.push((c, i)),
            (None, ')' | ']' | '}') => {
                opens.pop();
            }
            _ => {}
        }
    }
    match opens.last() {
        Some(&('(', at)) => Some(at),
        _ => None,
    }
}

/// The innermost call still open at the end of `text`: its method name,
/// the receiver before it, and whether the cursor is inside a string.
fn enclosing_call(text: &str) -> Option<(String, String, bool)> {
    let open = innermost_call(text)?;
    let head = &text[..open];
    let name_start = word_start(head);
    let recv = head[..name_start].strip_suffix('.').unwrap_or("");
    Some((
        head[name_start..].to_string(),
        recv.to_string(),
        quoted_here(text),
    ))
}

/// The segments of a chain like `Book.objects.filter(x=1)[0].publisher`:
/// names, with `()` and `[]` groups as markers.
fn segments(chain: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut depth = 0;
    let mut quote: Option<char> = None;
    let mut group = String::new();
    for c in chain.trim().chars() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            group.push(c);
            continue;
        }
        match c {
            '\'' | '"' if depth > 0 => {
                quote = Some(c);
                group.push(c);
            }
            '(' | '[' => {
                if depth == 0 {
                    if !current.is_empty() {
                        out.push(std::mem::take(&mut current));
                    }
                    group.clear();
                }
                depth += 1;
                group.push(c);
            }
            ')' | ']' => {
                depth -= 1;
                group.push(c);
                if depth == 0 {
                    out.push(if group.starts_with('(') {
                        "()".to_string()
                    } else if group.contains(':') {
                        "[:]".to_string()
                    } else {
                        "[]".to_string()
                    });
                }
            }
            _ if depth > 0 => group.push(c),
            '.' => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
            c if c.is_alphanumeric() || c == '_' => current.push(c),
            // Anything else starts a new expression: keep what follows.
            _ => {
                out.clear();
                current.clear();
            }
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// What a chain of names and calls evaluates to, as far as the models say.
pub fn chain_kind(chain: &str, ctx: &Context) -> NameKind {
    let segs = segments(chain);
    let mut iter = segs.iter().peekable();
    let Some(root) = iter.next() else {
        return NameKind::Other;
    };
    let mut kind = ctx.names.get(root).cloned().unwrap_or(NameKind::Other);
    let mut last_name = String::new();
    for seg in iter {
        kind = match (seg.as_str(), &kind) {
            ("()", NameKind::Manager(m) | NameKind::QuerySet(m)) => {
                let method = crate::engine::QUERYSET_METHODS
                    .iter()
                    .find(|q| q.name == last_name);
                match method.map(|q| q.returns) {
                    Some(Returns::QuerySet) => NameKind::QuerySet(*m),
                    Some(Returns::Instance) => NameKind::Instance(*m),
                    _ => NameKind::Other,
                }
            }
            ("[]", NameKind::QuerySet(m) | NameKind::Manager(m)) => NameKind::Instance(*m),
            ("[:]", NameKind::QuerySet(m)) => NameKind::QuerySet(*m),
            ("()" | "[]" | "[:]", _) => NameKind::Other,
            ("objects", NameKind::Model(m)) => NameKind::Manager(*m),
            (name, NameKind::Manager(m) | NameKind::QuerySet(m)) => {
                last_name = name.to_string();
                // The call comes next; until then it is the same model.
                NameKind::QuerySet(*m)
            }
            (name, NameKind::Instance(m)) => related(*m, name, ctx),
            _ => NameKind::Other,
        };
    }
    kind
}

/// `instance.name`: a ForeignKey's object, or a related manager.
fn related(model: ModelId, name: &str, ctx: &Context) -> NameKind {
    let reg = ctx.registry;
    let m = reg.model(model);
    if let Some(f) = m.fields.iter().find(|f| f.name == name)
        && let Some(rel) = &f.relation
    {
        return NameKind::Instance(rel.target);
    }
    if let Some(f) = m.many_to_many.iter().find(|f| f.name == name)
        && let Some(rel) = &f.relation
    {
        return NameKind::Manager(rel.target);
    }
    match reg
        .reverse_relations(model)
        .into_iter()
        .find(|r| r.accessor == name)
    {
        Some(r) if r.kind == FieldKind::OneToOneField => NameKind::Instance(r.model),
        Some(r) => NameKind::Manager(r.model),
        None => NameKind::Other,
    }
}

/// The attributes completion offers after `recv.`.
fn attributes(kind: NameKind, ctx: &Context) -> Vec<String> {
    let owned = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
    match kind {
        NameKind::Model(_) => owned(&["objects", "DoesNotExist", "MultipleObjectsReturned"]),
        NameKind::Manager(_) | NameKind::QuerySet(_) => {
            let mut names: Vec<String> = crate::engine::QUERYSET_METHODS
                .iter()
                .map(|q| q.name.to_string())
                .collect();
            names.extend(owned(&["add", "remove", "clear", "set", "query"]));
            names
        }
        NameKind::Instance(m) => {
            let reg = ctx.registry;
            let model = reg.model(m);
            let mut names = Vec::new();
            for f in &model.fields {
                names.push(f.name.clone());
                if f.kind.is_foreign_key() {
                    names.push(format!("{}_id", f.name));
                }
            }
            names.extend(model.many_to_many.iter().map(|f| f.name.clone()));
            names.extend(reg.reverse_relations(m).into_iter().map(|r| r.accessor));
            names.extend(owned(INSTANCE_METHODS));
            names
        }
        NameKind::Other => Vec::new(),
    }
}

/// Where the complete parts of a path lead (the path resolver's walk): a
/// model whose names come next, or a field kind whose lookups do.
fn walk_done(
    model: ModelId,
    done: &[&str],
    reg: &crate::schema::Registry,
) -> Option<(ModelId, Option<FieldKind>)> {
    if done.is_empty() {
        return Some((model, None));
    }
    let parts: Vec<String> = done.iter().map(|p| p.to_string()).collect();
    let path = crate::query::resolve::resolve_path(reg, model, &parts, &[]).ok()?;
    let field = path.field(reg);
    // A ForeignKey by its attname (`author_id`) is a plain column.
    let by_attname = done
        .last()
        .is_some_and(|l| *l == field.column && *l != field.name);
    if path.ends_on_relation() && !by_attname {
        return path.rest.is_empty().then(|| (path.rest_model(), None));
    }
    Some((path.model, Some(path.transformed_field(reg)?.kind)))
}

/// `category__na` → `category__name`: each complete part walks a relation;
/// the last part is a field, relation or lookup of where the walk ends.
fn field_paths(model: ModelId, word: &str, ctx: &Context) -> Vec<String> {
    let reg = ctx.registry;
    let parts: Vec<&str> = word.split("__").collect();
    let (done, last) = parts.split_at(parts.len() - 1);
    let Some((current, kind)) = walk_done(model, done, reg) else {
        return Vec::new();
    };
    let base = if done.is_empty() {
        String::new()
    } else {
        format!("{}__", done.join("__"))
    };
    let candidates: Vec<String> = match kind {
        Some(k) => crate::query::lookup_names(k)
            .iter()
            .map(|s| s.to_string())
            .collect(),
        None => {
            let m = reg.model(current);
            let mut c: Vec<String> = m.fields.iter().map(|f| f.name.clone()).collect();
            c.extend(m.many_to_many.iter().map(|f| f.name.clone()));
            c.extend(
                reg.reverse_relations(current)
                    .into_iter()
                    .map(|r| r.query_name),
            );
            if !done.is_empty() {
                c.extend(["exact", "in", "isnull"].map(String::from));
            }
            c
        }
    };
    let mut out: Vec<String> = candidates
        .into_iter()
        .filter(|c| c.starts_with(last[0]))
        .map(|c| format!("{base}{c}"))
        .collect();
    out.sort();
    out.dedup();
    out
}

impl NameKind {
    fn model(&self) -> Option<ModelId> {
        match self {
            NameKind::Model(m)
            | NameKind::Manager(m)
            | NameKind::QuerySet(m)
            | NameKind::Instance(m) => Some(*m),
            NameKind::Other => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{FieldKind, ModelSource, load};

    fn registry() -> Registry {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/bookstore/models.py");
        load(&[ModelSource {
            app_label: "bookstore".into(),
            path: None,
            text: std::fs::read_to_string(path).unwrap(),
            default_auto_field: FieldKind::AutoField,
        }])
    }

    fn check(line: &str, names: &[(&str, NameKind)], expected: &[&str]) {
        let reg = registry();
        let mut map: HashMap<String, NameKind> = names
            .iter()
            .map(|(n, k)| (n.to_string(), k.clone()))
            .collect();
        for (id, m) in reg.models.iter().enumerate() {
            if !m.auto_created {
                map.insert(m.name.clone(), NameKind::Model(id));
            }
        }
        let ctx = Context {
            registry: &reg,
            names: &map,
        };
        let (start, got) = complete(line, line.len(), &ctx);
        let full: Vec<String> = got
            .iter()
            .map(|c| format!("{}{c}", &line[..start]))
            .collect();
        for e in expected {
            assert!(full.iter().any(|f| f == e), "{line}: {full:?} lacks {e}");
        }
    }

    #[test]
    fn completes_along_the_chain() {
        check("Bo", &[], &["Book"]);
        check("Book.obj", &[], &["Book.objects"]);
        check("Book.objects.fil", &[], &["Book.objects.filter"]);
        check(
            "Book.objects.filter(title='x').excl",
            &[],
            &["Book.objects.filter(title='x').exclude"],
        );
        check(
            "Book.objects.filter(pub",
            &[],
            &[
                "Book.objects.filter(publisher",
                "Book.objects.filter(published",
            ],
        );
        check(
            "Book.objects.filter(publisher__ci",
            &[],
            &["Book.objects.filter(publisher__city"],
        );
        check(
            "Book.objects.filter(publisher__city__ist",
            &[],
            &["Book.objects.filter(publisher__city__istartswith"],
        );
        check(
            "Book.objects.filter(published__ye",
            &[],
            &["Book.objects.filter(published__year"],
        );
        check(
            "Book.objects.filter(reviews__sta",
            &[],
            &["Book.objects.filter(reviews__stars"],
        );
        check(
            "Book.objects.order_by('-pa",
            &[],
            &["Book.objects.order_by('-pages"],
        );
        check(
            "Book.objects.filter(Q(tit",
            &[],
            &["Book.objects.filter(Q(title"],
        );
        check(".sch", &[], &[".schema"]);
    }

    #[test]
    fn knows_what_variables_hold() {
        let book = registry().find("Book").unwrap();
        check(
            "b.pub",
            &[("b", NameKind::Instance(book))],
            &["b.publisher", "b.publisher_id"],
        );
        check("b.rev", &[("b", NameKind::Instance(book))], &["b.reviews"]);
        check(
            "b.reviews.fil",
            &[("b", NameKind::Instance(book))],
            &["b.reviews.filter"],
        );
        check(
            "b.publisher.bo",
            &[("b", NameKind::Instance(book))],
            &["b.publisher.books"],
        );
        check("qs.cou", &[("qs", NameKind::QuerySet(book))], &["qs.count"]);
        check(
            "qs[0].ti",
            &[("qs", NameKind::QuerySet(book))],
            &["qs[0].title"],
        );
    }
}
