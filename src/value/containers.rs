//! Dicts and sets: insertion, lookup and CPython's iteration order for sets of ints.

use crate::value::*;

impl Dict {
    pub fn get(&self, key: &Value) -> Result<Option<Value>> {
        Ok(self.entries.get(&key.hash_key()?).map(|(_, v)| v.clone()))
    }

    /// Inserts or replaces; an existing key keeps its first spelling, as in Python.
    pub fn insert(&mut self, key: Value, value: Value) -> Result<()> {
        let hk = key.hash_key()?;
        match self.entries.get_mut(&hk) {
            Some(slot) => slot.1 = value,
            None => {
                self.entries.insert(hk, (key, value));
            }
        }
        Ok(())
    }

    pub fn keys(&self) -> Vec<Value> {
        self.entries.values().map(|(k, _)| k.clone()).collect()
    }

    /// What a `keys()`, `values()` or `items()` view yields.
    pub fn view_items(&self, kind: DictViewKind) -> Vec<Value> {
        self.entries
            .values()
            .map(|(k, v)| match kind {
                DictViewKind::Keys => k.clone(),
                DictViewKind::Values => v.clone(),
                DictViewKind::Items => Value::tuple(vec![k.clone(), v.clone()]),
            })
            .collect()
    }
}

impl Set {
    pub fn insert(&mut self, value: Value) -> Result<()> {
        let hk = value.hash_key()?;
        self.items.entry(hk).or_insert(value);
        Ok(())
    }

    pub fn contains(&self, value: &Value) -> Result<bool> {
        Ok(self.items.contains_key(&value.hash_key()?))
    }

    /// The items in the order CPython's hash table would yield them, for
    /// sets of integers (whose hashes are known); other sets keep insertion order.
    pub fn ordered(&self) -> Vec<Value> {
        let ints: Option<Vec<i64>> = self
            .items
            .keys()
            .map(|k| {
                if let HashKey::Int(i) = k {
                    Some(*i)
                } else {
                    None
                }
            })
            .collect();
        match ints {
            Some(ints) => cpython_int_set_order(&ints)
                .into_iter()
                .map(|i| self.items[i].clone())
                .collect(),
            None => self.items.values().cloned().collect(),
        }
    }
}

/// Simulates CPython's set table (linear probing, then perturbation) for
/// integer hashes inserted in this order, and returns indexes in table order.
pub(crate) fn cpython_int_set_order(hashes: &[i64]) -> Vec<usize> {
    pub(super) const LINEAR_PROBES: usize = 9;
    let mut mask: usize = 7;
    let mut table: Vec<Option<usize>> = vec![None; mask + 1];
    let insert = |table: &mut Vec<Option<usize>>, mask: usize, idx: usize| {
        let hash = (if hashes[idx] == -1 { -2 } else { hashes[idx] }) as u64 as usize;
        let mut perturb = hash;
        let mut i = hash & mask;
        loop {
            let probes = if i + LINEAR_PROBES <= mask {
                LINEAR_PROBES
            } else {
                0
            };
            if let Some(slot) = table[i..=i + probes].iter_mut().find(|s| s.is_none()) {
                *slot = Some(idx);
                return;
            }
            perturb >>= 5;
            i = (i.wrapping_mul(5).wrapping_add(1).wrapping_add(perturb)) & mask;
        }
    };
    let mut used = 0;
    for idx in 0..hashes.len() {
        insert(&mut table, mask, idx);
        used += 1;
        if used * 5 >= mask * 3 {
            let min = if used > 50000 { used * 2 } else { used * 4 };
            let mut size = 8;
            while size <= min {
                size <<= 1;
            }
            let old: Vec<usize> = table.iter().flatten().copied().collect();
            mask = size - 1;
            table = vec![None; size];
            for o in old {
                insert(&mut table, mask, o);
            }
        }
    }
    table.into_iter().flatten().collect()
}

/// A collections dict as its class's repr writes it.
pub fn write_repr(
    d: &Dict,
    out: &mut String,
    item: &mut dyn FnMut(&Value, &mut String) -> Result<()>,
) -> Result<()> {
    let pairs: Vec<(Value, Value)> = match d.kind {
        DictKind::Counter => most_common(d),
        _ => d.entries.values().cloned().collect(),
    };
    let braces = |out: &mut String, item: &mut dyn FnMut(&Value, &mut String) -> Result<()>| {
        out.push('{');
        for (i, (k, v)) in pairs.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            item(k, out)?;
            out.push_str(": ");
            item(v, out)?;
        }
        out.push('}');
        Ok(())
    };
    match &d.kind {
        DictKind::Counter if pairs.is_empty() => out.push_str("Counter()"),
        DictKind::Counter => {
            out.push_str("Counter(");
            braces(out, item)?;
            out.push(')');
        }
        DictKind::DefaultDict(factory) => {
            out.push_str("defaultdict(");
            item(factory, out)?;
            out.push_str(", ");
            braces(out, item)?;
            out.push(')');
        }
        DictKind::OrderedDict if pairs.is_empty() => out.push_str("OrderedDict()"),
        DictKind::OrderedDict => {
            // Python 3.11 writes the items as a list of pairs.
            out.push_str("OrderedDict([");
            for (i, (k, v)) in pairs.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push('(');
                item(k, out)?;
                out.push_str(", ");
                item(v, out)?;
                out.push(')');
            }
            out.push_str("])");
        }
        DictKind::MappingProxy => {
            out.push_str("mappingproxy(");
            braces(out, item)?;
            out.push(')');
        }
        DictKind::Plain => braces(out, item)?,
    }
    Ok(())
}

/// The counts from the most common; ties keep insertion order (a stable sort).
pub(crate) fn most_common(d: &Dict) -> Vec<(Value, Value)> {
    let mut pairs: Vec<(Value, Value)> = d.entries.values().cloned().collect();
    pairs.sort_by(|a, b| super::ops::compare(&b.1, &a.1, ">").unwrap_or(std::cmp::Ordering::Equal));
    pairs
}
