//! Numbers that differ between a query and the source of a TM match, and the match's target
//! with them substituted.
//!
//! A number is a run of digits, possibly with inner separators (`1.000,50`, `12:30`,
//! `02/2024`, `3-4`). Numbers are paired by their order in the two texts. When the query and
//! the source have the same number of numbers and each changed source number stands exactly
//! once in the target, the suggestion is the target with each such number replaced by the
//! query's. Otherwise the changes are still reported, but no suggestion is made: a guess at
//! which number of the target to change would be worse than none.
//!
//! It does not convert number formats (1,000.50 vs 1.000,50) or spell out numbers.

use std::ops::Range;

use serde::Serialize;

/// A number of the source that the query has differently (or only one side has).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NumberChange {
    /// The number in the match's source, if any.
    pub source: Option<String>,
    /// The number in the query, if any.
    pub query: Option<String>,
}

/// Byte ranges of the numbers of `text`.
pub fn numbers(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut idx = 0;
    while idx < bytes.len() {
        if !bytes[idx].is_ascii_digit() {
            idx += 1;
            continue;
        }
        let start = idx;
        while idx < bytes.len() {
            // A digit, or a separator between two digits.
            let inner_separator = matches!(bytes[idx], b'.' | b',' | b':' | b'/' | b'-') && bytes.get(idx + 1).is_some_and(u8::is_ascii_digit);
            if !(bytes[idx].is_ascii_digit() || inner_separator) {
                break;
            }
            idx += 1;
        }
        found.push(start..idx);
    }
    found
}

/// The numbers that differ between `query` and `source`, and, when every change can be
/// placed, `target` with the query's numbers.
pub fn substitute(query: &str, source: &str, target: Option<&str>) -> (Vec<NumberChange>, Option<String>) {
    let in_query = numbers(query);
    let in_source = numbers(source);
    let query_numbers: Vec<&str> = in_query.iter().map(|range| &query[range.clone()]).collect();
    let source_numbers: Vec<&str> = in_source.iter().map(|range| &source[range.clone()]).collect();
    if query_numbers == source_numbers {
        return (Vec::new(), None);
    }
    let longest = query_numbers.len().max(source_numbers.len());
    let changes: Vec<NumberChange> = (0..longest)
        .filter(|&idx| query_numbers.get(idx) != source_numbers.get(idx))
        .map(|idx| NumberChange { source: source_numbers.get(idx).map(|n| n.to_string()), query: query_numbers.get(idx).map(|n| n.to_string()) })
        .collect();
    let Some(target) = target else { return (changes, None) };
    if query_numbers.len() != source_numbers.len() {
        return (changes, None);
    }
    let in_target = numbers(target);
    let mut replacements: Vec<(Range<usize>, &str)> = Vec::new();
    for change in &changes {
        let (Some(from), Some(to)) = (change.source.as_deref(), change.query.as_deref()) else { return (changes, None) };
        let mut places = in_target.iter().filter(|range| &target[(*range).clone()] == from);
        match (places.next(), places.next()) {
            (Some(place), None) if !replacements.iter().any(|(taken, _)| taken == place) => replacements.push((place.clone(), to)),
            _ => return (changes, None),
        }
    }
    replacements.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    let mut suggestion = target.to_string();
    for (range, to) in replacements {
        suggestion.replace_range(range, to);
    }
    (changes, Some(suggestion))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(query: &str, source: &str, target: &str, changes: &[(&str, &str)], suggestion: Option<&str>) {
        let (got, suggested) = substitute(query, source, Some(target));
        let got: Vec<(String, String)> = got.iter().map(|c| (c.source.clone().unwrap_or_default(), c.query.clone().unwrap_or_default())).collect();
        let expected: Vec<(String, String)> = changes.iter().map(|(s, q)| (s.to_string(), q.to_string())).collect();
        assert_eq!(got, expected, "{query:?} vs {source:?}");
        assert_eq!(suggested.as_deref(), suggestion, "{query:?} vs {source:?}");
    }

    #[test]
    fn finds_numbers() {
        let text = "Neni 5, paragrafi 2.1 i Ligjit 02/L-37 nga 1.000,50 € më 12:30";
        let found: Vec<&str> = numbers(text).into_iter().map(|range| &text[range]).collect();
        assert_eq!(found, ["5", "2.1", "02", "37", "1.000,50", "12:30"]);
    }

    #[test]
    fn substitutes() {
        check("Decision 12 of 2024", "Decision 11 of 2024", "Vendimi 11 i vitit 2024", &[("11", "12")], Some("Vendimi 12 i vitit 2024"));
        check("Article 5 and 6", "Article 3 and 4", "Neni 3 dhe 4", &[("3", "5"), ("4", "6")], Some("Neni 5 dhe 6"));
        check("Same 5", "Same 5", "Njëjtë 5", &[], None);
        // The number is missing from the target, or stands twice: no guess.
        check("Page 7", "Page 6", "Faqja gjashtë", &[("6", "7")], None);
        check("Room 2 of 2", "Room 1 of 1", "Dhoma 1 nga 1", &[("1", "2"), ("1", "2")], None);
        // A number only the query has.
        check("Items 3", "Items", "Artikuj", &[("", "3")], None);
        check("Опис 10", "Опис 9", "Përshkrimi 9", &[("9", "10")], Some("Përshkrimi 10"));
    }

    proptest::proptest! {
        #[test]
        fn numbers_are_in_bounds(text in "[0-9.,:/\\- a-zë€]{0,40}", other in "[0-9.,:/\\- a-z]{0,20}") {
            for range in numbers(&text) {
                proptest::prop_assert!(range.start < range.end && range.end <= text.len());
                proptest::prop_assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
            }
            let _ = substitute(&text, &other, Some(&other));
            let _ = substitute(&other, &text, None);
        }

        #[test]
        fn never_panics(query in "\\PC{0,60}", source in "\\PC{0,60}", target in "\\PC{0,60}") {
            let _ = substitute(&query, &source, Some(&target));
        }
    }
}
