//! Bounded edit distance between two words, for the fuzzy rungs of term and place lookup.
//!
//! The distance is optimal string alignment (Levenshtein plus the transposition of two
//! adjacent characters, each edit counted once), computed by `rapidfuzz` over characters, not
//! bytes: "ë" for "e" is one edit. It does not fold: callers compare keys already folded to
//! the tier they need.

use rapidfuzz::distance::osa;

/// The optimal-string-alignment distance between `a` and `b` in characters, or `None` when
/// it exceeds `max`.
///
/// ```
/// use termbridge::text::osa_distance;
/// let chars = |text: &str| text.chars().collect::<Vec<char>>();
/// assert_eq!(osa_distance(&chars("prihstina"), &chars("prishtina"), 1), Some(1));
/// assert_eq!(osa_distance(&chars("ferizaj"), &chars("prizren"), 2), None);
/// ```
pub fn osa_distance(a: &[char], b: &[char], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    osa::distance_with_args(a.iter().copied(), b.iter().copied(), &osa::Args::default().score_cutoff(max))
}

#[cfg(test)]
mod tests {
    use super::osa_distance;

    fn check(a: &str, b: &str, max: usize, expected: Option<usize>) {
        let chars = |text: &str| text.chars().collect::<Vec<char>>();
        assert_eq!(osa_distance(&chars(a), &chars(b), max), expected, "{a} {b} {max}");
        assert_eq!(osa_distance(&chars(b), &chars(a), max), expected, "{b} {a} {max}");
    }

    #[test]
    fn distances() {
        check("prishtina", "prishtina", 2, Some(0));
        check("prishtna", "prishtina", 2, Some(1));
        check("prsihtina", "prishtina", 2, Some(1));
        check("prihstina", "prishtina", 1, Some(1));
        check("pristina", "prishtinë", 1, None);
        check("ferizaj", "prizren", 2, None);
        check("", "abc", 3, Some(3));
        check("", "ab", 2, Some(2));
        check("abc", "", 2, None);
        // Characters, not bytes: ë and ђ are two bytes each.
        check("komunë", "komune", 1, Some(1));
        check("ђак", "дак", 1, Some(1));
        // A transposition is one edit; OSA does not edit a substring twice.
        check("ca", "abc", 3, Some(3));
    }
}
