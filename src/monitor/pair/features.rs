//! What content pairing compares between two pages: the things a translation keeps. Numbers
//! and act references (the audit's `number-mismatch` reader, so "15 mars 2024", "15. marta
//! 2024." and "15.03.2024" give the same numbers), dates (as `YYYY-MM-DD`), and capitalised
//! names folded to plain Latin (Cyrillic transliterated, diacritics and case dropped), with
//! place names mapped to their gazetteer entry, since "Prishtinë", "Priština" and "Приштина"
//! are one place.
//!
//! Deliberately not compared: ordinary words (they are translated) and links (every page of a
//! site shares its menu's).

use std::collections::BTreeSet;
use std::sync::OnceLock;

use crate::audit::PlaceNames;
use crate::audit::checks::number_mismatch::{invariants, month_number};
use crate::audit::vocabulary::words;
use crate::text::{case_fold, cyr_to_lat, diacritic_fold};

/// The most values of one kind kept for a page: a long page's features beyond these add
/// nothing to telling two pages apart, and they bound the pairing's work.
pub const MAX_FEATURES: usize = 1000;

/// What content pairing compares, each sorted and without repeats.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Features {
    /// Numbers and references as the audit compares them (`n:2024`, `ref:02/L-37`); numbers
    /// below 10 are left out (list numbering, "1 of 3": every page has them).
    pub numbers: Vec<String>,
    /// Dates, `YYYY-MM-DD`.
    pub dates: Vec<String>,
    /// Capitalised words inside sentences, folded (`kurti`, `perparim`), and places as
    /// `@` and their gazetteer id (`@mun:7`).
    pub names: Vec<String>,
}

/// The place names of the shipped gazetteer, built once.
pub(super) fn shipped_places() -> &'static PlaceNames {
    static PLACES: OnceLock<PlaceNames> = OnceLock::new();
    PLACES.get_or_init(|| crate::audit::resources().places)
}

/// The features of a page's blocks of text.
pub fn features<'a>(blocks: impl IntoIterator<Item = &'a str>) -> Features {
    let mut numbers = BTreeSet::new();
    let mut dates = BTreeSet::new();
    let mut names = BTreeSet::new();
    for text in blocks {
        for invariant in invariants(text) {
            let keep = match invariant.key.strip_prefix("n:") {
                Some(digits) => digits.len() >= 2,
                None => invariant.key.starts_with("ref:"),
            };
            if keep {
                numbers.insert(invariant.key);
            }
        }
        dates.extend(dates_in(text));
        names_in(text, &mut names);
    }
    let cap = |set: BTreeSet<String>| set.into_iter().take(MAX_FEATURES).collect();
    Features { numbers: cap(numbers), dates: cap(dates), names: cap(names) }
}

/// Adds the names of `text` to `names`.
fn names_in(text: &str, names: &mut BTreeSet<String>) {
    let mentions = shipped_places().mentions(text);
    for mention in &mentions {
        if let Some(form) = mention.forms.first() {
            names.insert(format!("@{}", shipped_places().place(form.place).id));
        }
    }
    let in_mention = |start: usize| mentions.iter().any(|mention| (mention.start..mention.end).contains(&start));
    for (start, word) in words(text) {
        if !word.chars().next().is_some_and(char::is_uppercase) || sentence_start(&text[..start]) || in_mention(start) {
            continue;
        }
        // Month names are capitalised in English and Turkish; they are dates, not names.
        if month_number(word).is_some() {
            continue;
        }
        let folded = case_fold(&diacritic_fold(&cyr_to_lat(word))).into_owned();
        if folded.chars().count() >= 3 {
            names.insert(folded);
        }
    }
}

/// True when a word after `before` starts a sentence (or the block), where every word is
/// capitalised.
fn sentence_start(before: &str) -> bool {
    let trimmed = before.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '«' | '„' | '“' | '(' | '-' | '–' | '—'));
    trimmed.is_empty() || trimmed.ends_with(['.', '!', '?', ':', ';', '…', '•'])
}

/// Dates written as digits (`15.03.2024`, `15/3/2024`, `2024-03-15`) or with a month's name
/// in any of the languages (`15 mars 2024`, `15. марта 2024.`, `March 15, 2024`).
fn dates_in(text: &str) -> Vec<String> {
    struct Patterns {
        day_first: regex::Regex,
        iso: regex::Regex,
        named: regex::Regex,
        month_first: regex::Regex,
    }
    static PATTERNS: OnceLock<Patterns> = OnceLock::new();
    let patterns = PATTERNS.get_or_init(|| Patterns {
        // The patterns are literals checked by the tests: compiling them cannot fail.
        day_first: regex::Regex::new(r"\b(\d{1,2})\s?[./-]\s?(\d{1,2})\s?[./-]\s?(\d{4})\b").expect("valid pattern"),
        iso: regex::Regex::new(r"\b(\d{4})-(\d{2})-(\d{2})\b").expect("valid pattern"),
        named: regex::Regex::new(r"\b(\d{1,2})\.?\s+(\p{L}+)\.?,?\s+(\d{4})\b").expect("valid pattern"),
        month_first: regex::Regex::new(r"\b(\p{L}+)\.?\s+(\d{1,2}),?\s+(\d{4})\b").expect("valid pattern"),
    });
    let number = |m: Option<regex::Match<'_>>| m.and_then(|m| m.as_str().parse::<u32>().ok()).unwrap_or(0);
    let mut found = Vec::new();
    for caps in patterns.day_first.captures_iter(text) {
        let (first, second, year) = (number(caps.get(1)), number(caps.get(2)), number(caps.get(3)));
        // Kosovo writes the day first; a first part above 12 can only be a day, and a second
        // part above 12 (an American date on an English page) only a day too.
        let (day, month) = if second > 12 && first <= 12 { (second, first) } else { (first, second) };
        found.extend(date(year, month, day));
    }
    for caps in patterns.iso.captures_iter(text) {
        found.extend(date(number(caps.get(1)), number(caps.get(2)), number(caps.get(3))));
    }
    for caps in patterns.named.captures_iter(text) {
        if let Some(month) = caps.get(2).and_then(|m| month_number(m.as_str())) {
            found.extend(date(number(caps.get(3)), month as u32, number(caps.get(1))));
        }
    }
    for caps in patterns.month_first.captures_iter(text) {
        if let Some(month) = caps.get(1).and_then(|m| month_number(m.as_str())) {
            found.extend(date(number(caps.get(3)), month as u32, number(caps.get(2))));
        }
    }
    found
}

/// A date as `YYYY-MM-DD`, when it can be one.
fn date(year: u32, month: u32, day: u32) -> Option<String> {
    ((1900..=2100).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day)).then(|| format!("{year:04}-{month:02}-{day:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_dates(text: &str, expected: &[&str]) {
        let mut got = dates_in(text);
        got.sort();
        got.dedup();
        assert_eq!(got, expected, "{text}");
    }

    #[test]
    fn dates_in_every_language_and_form() {
        check_dates("Afati: 15.03.2024.", &["2024-03-15"]);
        check_dates("Rok: 15. 3. 2024.", &["2024-03-15"]);
        check_dates("Deadline: 3/15/2024", &["2024-03-15"]);
        check_dates("më 15 mars 2024", &["2024-03-15"]);
        check_dates("dana 15. marta 2024. godine", &["2024-03-15"]);
        check_dates("дана 15. марта 2024. године", &["2024-03-15"]);
        check_dates("on March 15, 2024", &["2024-03-15"]);
        check_dates("15 Mart 2024 tarihinde", &["2024-03-15"]);
        check_dates("published 2024-03-15", &["2024-03-15"]);
        check_dates("nr. 12/2024, tel. 038 200 300", &[]);
        check_dates("45.13.2024", &[]);
    }

    #[test]
    fn names_are_folded_and_places_are_one_entry() {
        let sq = features(["Kryetari Përparim Rama vizitoi Prishtinën dhe Gjakovën."]);
        let sr = features(["Gradonačelnik Perparim Rama posetio je Prištinu i Đakovicu."]);
        let cyrl = features(["Градоначелник Перпарим Рама посетио је Приштину."]);
        assert!(sq.names.contains(&"perparim".to_string()) && sq.names.contains(&"rama".to_string()), "{:?}", sq.names);
        assert!(!sq.names.contains(&"kryetari".to_string()), "a sentence's first word is not a name: {:?}", sq.names);
        for name in &sr.names {
            assert!(sq.names.contains(name), "{name} of {:?} not in {:?}", sr.names, sq.names);
        }
        assert!(cyrl.names.contains(&"perparim".to_string()), "{:?}", cyrl.names);
        assert!(sq.names.iter().any(|name| name.starts_with('@')), "{:?}", sq.names);
    }

    #[test]
    fn numbers_are_the_audits_without_small_ones() {
        let got = features(["Vendimi nr. 02/L-37, 1 nga 3, shuma 1.500,00 euro, 15.03.2024"]);
        assert!(got.numbers.contains(&"ref:02/L-37".to_string()), "{:?}", got.numbers);
        assert!(got.numbers.contains(&"n:1500".to_string()), "{:?}", got.numbers);
        assert!(!got.numbers.iter().any(|n| n == "n:1" || n == "n:3"), "{:?}", got.numbers);
        assert_eq!(got.dates, vec!["2024-03-15"]);
    }
}
