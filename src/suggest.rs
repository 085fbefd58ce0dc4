//! "Did you mean …?": the nearest of some valid names to a mistyped one.

/// The candidate closest to `wrong` by edit distance, if one is close enough
/// to be a likely typo (Python's own suggestions use a similar bound).
pub fn nearest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = wrong.chars().count().div_ceil(3);
    candidates
        .into_iter()
        .filter(|c| *c != wrong)
        .map(|c| {
            (
                strsim::levenshtein(&wrong.to_lowercase(), &c.to_lowercase()),
                c,
            )
        })
        .filter(|(d, _)| *d <= limit.max(1))
        .min_by_key(|(d, c)| (*d, c.len()))
        .map(|(_, c)| c)
}

/// Python's `difflib.get_close_matches(word, candidates)` (n=3, cutoff
/// 0.6), which Django uses to suggest lookups: best first.
pub fn close_matches<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Vec<&'a str> {
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|c| (ratio(word, c), c))
        .filter(|(r, _)| *r >= 0.6)
        .collect();
    scored.sort_by(|a, b| {
        b.0.partial_cmp(&a.0)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| b.1.cmp(a.1))
    });
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

/// `SequenceMatcher(None, a, b).ratio()`: twice the matched characters
/// (longest common blocks, found recursively) over the total length.
fn ratio(a: &str, b: &str) -> f64 {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    2.0 * matched(&a, &b) as f64 / (a.len() + b.len()) as f64
}

fn matched(a: &[char], b: &[char]) -> usize {
    let (mut best, mut at_a, mut at_b) = (0, 0, 0);
    for i in 0..a.len() {
        for j in 0..b.len() {
            let mut k = 0;
            while i + k < a.len() && j + k < b.len() && a[i + k] == b[j + k] {
                k += 1;
            }
            if k > best {
                (best, at_a, at_b) = (k, i, j);
            }
        }
    }
    if best == 0 {
        return 0;
    }
    best + matched(&a[..at_a], &b[..at_b]) + matched(&a[at_a + best..], &b[at_b + best..])
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_close_names_only() {
        let names = ["category", "price", "name"];
        assert_eq!(super::nearest("categroy", names), Some("category"));
        assert_eq!(super::nearest("nmae", names), Some("name"));
        assert_eq!(super::nearest("zzzzzz", names), None);
    }

    #[test]
    fn close_matches_follow_difflib() {
        let lookups = [
            "exact",
            "iexact",
            "lte",
            "lt",
            "contains",
            "icontains",
            "startswith",
        ];
        assert!(super::close_matches("like", lookups).is_empty());
        assert_eq!(
            super::close_matches("containz", lookups),
            vec!["contains", "icontains"]
        );
    }
}
