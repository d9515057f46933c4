//! Concordance: every unit whose text contains a word or phrase, as keyword-in-context lines
//! with the occurrence located in the original text and the aligned translation beside it.
//!
//! The search index proposes units whose folded words (or their stems) contain the phrase in
//! order (`Workspace::concordance` asks it and reads the units); each proposed text is then
//! checked here, tier by tier of DESIGN.md's ladder (exact,
//! case, punct, diacritics, script, then stem), and the occurrence is mapped back to byte
//! offsets of the original through `text::Folded::original_range`. Lines come strictest tier
//! first, then most recent unit first. A match must start and end at word boundaries.
//!
//! It does not rank by relevance beyond that, and it reports the first occurrence of a text
//! only.

use std::ops::Range;

use serde::Serialize;

use crate::index::word_keys;
use crate::model::TranslationUnit;
use crate::model::lang::{Lang, LangTag};
use crate::text::{Folded, Tier};

/// What a concordance search (`Workspace::concordance`) looks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConcordanceOptions {
    /// Only texts in this language.
    pub lang: Option<Lang>,
    /// At most this many lines.
    pub limit: usize,
}

impl Default for ConcordanceOptions {
    fn default() -> ConcordanceOptions {
        ConcordanceOptions { lang: None, limit: 50 }
    }
}

/// One occurrence of the phrase, in context.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConcordanceLine {
    /// The unit's external id.
    pub id: String,
    /// Language of the text.
    pub lang: LangTag,
    /// The whole text.
    pub text: String,
    /// Byte offset of the occurrence in `text`.
    pub start: usize,
    /// Byte offset of the end of the occurrence in `text`.
    pub end: usize,
    /// How loose the comparison had to be (`exact` … `script`, or `stem`).
    pub tier: Tier,
    /// The aligned translation (the unit's first variant in another language).
    pub translation: Option<String>,
    /// Language of the translation.
    pub translation_lang: Option<LangTag>,
}

/// True when `range` of `text` starts and ends at word boundaries.
fn at_word_boundaries(text: &str, range: &Range<usize>) -> bool {
    let before = text[..range.start].chars().next_back();
    let after = text[range.end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// The first occurrence of `needle` in `haystack` at word boundaries.
fn find_word_match(haystack: &str, needle: &str) -> Option<Range<usize>> {
    if needle.is_empty() {
        return None;
    }
    haystack.match_indices(needle).map(|(at, _)| at..at + needle.len()).find(|range| at_word_boundaries(haystack, range))
}

/// Where `phrase` occurs in `text` and the strictest tier it needed, if it does.
///
/// ```
/// use termbridge::model::lang::Lang;
/// use termbridge::memory::concordance::locate;
/// use termbridge::text::Tier;
/// let text = "Kuvendi i Komunës së Prishtinës";
/// let (range, tier) = locate(text, "komunes", Lang::Sq).unwrap();
/// assert_eq!((&text[range], tier), ("Komunës", Tier::Diacritics));
/// ```
pub fn locate(text: &str, phrase: &str, lang: Lang) -> Option<(Range<usize>, Tier)> {
    for tier in Tier::FOLDING {
        for dj_as_d in [false, true] {
            if dj_as_d && tier < Tier::Diacritics {
                continue;
            }
            let folded_text = Folded::new(text, tier, dj_as_d);
            let folded_phrase = Folded::new(phrase, tier, dj_as_d).text;
            let folded_phrase = folded_phrase.trim();
            if let Some(found) = find_word_match(&folded_text.text, folded_phrase) {
                return Some((folded_text.original_range(found), tier));
            }
        }
    }
    // Inflected forms: a run of words whose stems are the phrase's stems.
    let phrase_stems: Vec<String> = word_keys(phrase, lang).into_iter().map(|key| key.stem).collect();
    if phrase_stems.is_empty() {
        return None;
    }
    let words = word_keys(text, lang);
    words.windows(phrase_stems.len()).find(|run| run.iter().zip(&phrase_stems).all(|(word, stem)| &word.stem == stem)).and_then(|run| {
        let first = run.first()?;
        let last = run.last()?;
        Some((first.range.start..last.range.end, Tier::Stem))
    })
}

/// How many units the index is asked for, per line wanted: some proposed units turn out not
/// to contain the phrase at a word boundary.
const CANDIDATES_PER_LINE: usize = 4;

/// How many candidate units to ask the search index for, for `limit` lines.
pub fn candidates_wanted(limit: usize) -> usize {
    (limit * CANDIDATES_PER_LINE).clamp(64, 5000)
}

/// The languages a search in `lang` (or any language) covers.
pub fn langs_of(lang: Option<Lang>) -> Vec<Lang> {
    match lang {
        Some(lang) => vec![lang],
        None => Lang::ALL.to_vec(),
    }
}

/// The lines of one candidate unit: every variant in `langs` that contains `phrase` (NFC),
/// with the aligned translation beside it.
pub fn lines_of(unit: &TranslationUnit, phrase: &str, langs: &[Lang]) -> Vec<ConcordanceLine> {
    let mut lines = Vec::new();
    for (variant_idx, variant) in unit.variants.iter().enumerate() {
        if !langs.contains(&variant.lang.lang) {
            continue;
        }
        let Some((range, tier)) = locate(&variant.text, phrase, variant.lang.lang) else { continue };
        let translation =
            unit.variants.iter().enumerate().find(|(idx, other)| *idx != variant_idx && other.lang.lang != variant.lang.lang).map(|(_, other)| other);
        lines.push(ConcordanceLine {
            id: unit.id.clone(),
            lang: variant.lang,
            text: variant.text.clone(),
            start: range.start,
            end: range.end,
            tier,
            translation: translation.map(|other| other.text.clone()),
            translation_lang: translation.map(|other| other.lang),
        });
    }
    lines
}

/// Orders lines (each with its unit's store generation) strictest tier first, then most
/// recent unit first, and keeps `limit`.
pub fn finish(mut lines: Vec<(ConcordanceLine, u64)>, limit: usize) -> Vec<ConcordanceLine> {
    lines.sort_by(|(a, a_generation), (b, b_generation)| {
        a.tier.cmp(&b.tier).then(b_generation.cmp(a_generation)).then(a.id.cmp(&b.id)).then(a.start.cmp(&b.start))
    });
    lines.truncate(limit);
    lines.into_iter().map(|(line, _)| line).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, phrase: &str, expected: Option<(&str, Tier)>) {
        let found = locate(text, phrase, Lang::Sr).map(|(range, tier)| (&text[range], tier));
        assert_eq!(found, expected, "{phrase:?} in {text:?}");
    }

    #[test]
    fn locates_at_the_strictest_tier() {
        check("Opština Priština", "Priština", Some(("Priština", Tier::Exact)));
        check("Opština Priština", "priština", Some(("Priština", Tier::Case)));
        check("Opština «Priština», 2024", "pristina 2024", Some(("Priština», 2024", Tier::Diacritics)));
        check("Општина Приштина", "Priština", Some(("Приштина", Tier::Script)));
        check("Đakovica", "Dakovica", Some(("Đakovica", Tier::Diacritics)));
        check("Prištevac", "Priština", None);
        check("Opština Priština", "Prizren", None);
        check("Opština Priština", "  ", None);
    }
}
