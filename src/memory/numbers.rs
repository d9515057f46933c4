//! Numbers that differ between a query and the source of a TM match.
//!
//! A number is a run of digits, possibly with inner separators (`1.000,50`, `12:30`,
//! `02/2024`, `3-4`). Numbers are paired by their order in the two texts and reported as
//! they are written.
//!
//! Putting the query's numbers into the target (in the target language's format, with dates,
//! codes, place names and terms) is the patcher's (`patch`), which reads the runs found here.

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

/// The numbers that differ between `query` and `source`, paired by their order.
pub fn changes(query: &str, source: &str) -> Vec<NumberChange> {
    let in_query = numbers(query);
    let in_source = numbers(source);
    let query_numbers: Vec<&str> = in_query.iter().map(|range| &query[range.clone()]).collect();
    let source_numbers: Vec<&str> = in_source.iter().map(|range| &source[range.clone()]).collect();
    if query_numbers == source_numbers {
        return Vec::new();
    }
    let longest = query_numbers.len().max(source_numbers.len());
    (0..longest)
        .filter(|&idx| query_numbers.get(idx) != source_numbers.get(idx))
        .map(|idx| NumberChange { source: source_numbers.get(idx).map(|n| n.to_string()), query: query_numbers.get(idx).map(|n| n.to_string()) })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(query: &str, source: &str, expected: &[(&str, &str)]) {
        let got: Vec<(String, String)> =
            changes(query, source).iter().map(|c| (c.source.clone().unwrap_or_default(), c.query.clone().unwrap_or_default())).collect();
        let expected: Vec<(String, String)> = expected.iter().map(|(s, q)| (s.to_string(), q.to_string())).collect();
        assert_eq!(got, expected, "{query:?} vs {source:?}");
    }

    #[test]
    fn finds_numbers() {
        let text = "Neni 5, paragrafi 2.1 i Ligjit 02/L-37 nga 1.000,50 € më 12:30";
        let found: Vec<&str> = numbers(text).into_iter().map(|range| &text[range]).collect();
        assert_eq!(found, ["5", "2.1", "02", "37", "1.000,50", "12:30"]);
    }

    #[test]
    fn reports_changes() {
        check("Decision 12 of 2024", "Decision 11 of 2024", &[("11", "12")]);
        check("Article 5 and 6", "Article 3 and 4", &[("3", "5"), ("4", "6")]);
        check("Same 5", "Same 5", &[]);
        check("Room 2 of 2", "Room 1 of 1", &[("1", "2"), ("1", "2")]);
        // A number only the query has.
        check("Items 3", "Items", &[("", "3")]);
    }

    proptest::proptest! {
        #[test]
        fn numbers_are_in_bounds(text in "[0-9.,:/\\- a-zë€]{0,40}", other in "[0-9.,:/\\- a-z]{0,20}") {
            for range in numbers(&text) {
                proptest::prop_assert!(range.start < range.end && range.end <= text.len());
                proptest::prop_assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
            }
            let _ = changes(&text, &other);
        }
    }
}
