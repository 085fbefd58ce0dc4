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

#[cfg(test)]
mod tests {
    #[test]
    fn finds_close_names_only() {
        let names = ["category", "price", "name"];
        assert_eq!(super::nearest("categroy", names), Some("category"));
        assert_eq!(super::nearest("nmae", names), Some("name"));
        assert_eq!(super::nearest("zzzzzz", names), None);
    }
}
