//! The match ladder of DESIGN.md and folding with offsets.
//!
//! [`Tier`] orders the comparison forms from strict to loose. [`Folded`] applies every step up
//! to a tier to a text, grapheme by grapheme, and remembers for each folded byte the grapheme
//! of the original it came from, so a match in the folded form maps back to the original.

use std::borrow::Cow;
use std::ops::Range;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

use super::case::case_fold_char_into;
use super::diacritics::diacritic_fold_char_into;
use super::punct::is_ignorable;
use super::translit::cyr_lower_to_lat;

/// How loose a comparison had to be for two strings to match, strict first.
///
/// The declaration order is the ladder: the derived `Ord` (and [`Tier::rank`]) puts a
/// stricter tier first, so ranking code sorts by the tier itself. A stem match (an inflected
/// form of the same word) ranks before a fuzzy one (a possible typo).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    /// Byte-equal after NFC.
    Exact,
    /// Equal after Unicode case folding.
    Case,
    /// Equal after also collapsing whitespace and ignoring punctuation.
    Punct,
    /// Equal after also folding diacritics.
    Diacritics,
    /// Equal after also transliterating Serbian Cyrillic to Latin.
    Script,
    /// Equal after stemming inflected forms.
    Stem,
    /// Similar by edit distance.
    Fuzzy,
}

impl Tier {
    /// The tiers that [`fold`] computes keys for, strict first.
    pub const FOLDING: [Tier; 5] = [Tier::Exact, Tier::Case, Tier::Punct, Tier::Diacritics, Tier::Script];

    /// The tier's place on the ladder, 0 for [`Tier::Exact`]: the order that [`Ord`] follows.
    ///
    /// ```
    /// use termbridge::text::Tier;
    /// assert!(Tier::Script.rank() < Tier::Stem.rank() && Tier::Stem < Tier::Fuzzy);
    /// ```
    pub const fn rank(self) -> u8 {
        self as u8
    }

    /// The tier's name as reports write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Exact => "exact",
            Tier::Case => "case",
            Tier::Punct => "punct",
            Tier::Diacritics => "diacritics",
            Tier::Script => "script",
            Tier::Fuzzy => "fuzzy",
            Tier::Stem => "stem",
        }
    }
}

/// A text folded up to a tier, with a map back to the original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folded {
    /// The folded text.
    pub text: String,
    /// For each byte of `text`, the byte range in the original of the grapheme it came from.
    origin: Vec<(u32, u32)>,
    original_len: usize,
}

impl Folded {
    /// Folds `original` with every step up to and including `tier` (tiers past `Script`
    /// fold like `Script`). `dj_as_d` chooses đ→d over đ→dj at the diacritics step.
    pub fn new(original: &str, tier: Tier, dj_as_d: bool) -> Folded {
        let mut text = String::with_capacity(original.len());
        let mut origin = Vec::with_capacity(original.len());
        let mut grapheme_buf = String::new();
        let mut step_buf = String::new();
        let mut pending_space: Option<(u32, u32)> = None;
        for (start, grapheme) in original.grapheme_indices(true) {
            let span = (start as u32, (start + grapheme.len()) as u32);
            grapheme_buf.clear();
            grapheme_buf.extend(grapheme.nfc());
            if tier >= Tier::Case {
                step_buf.clear();
                for c in grapheme_buf.chars() {
                    case_fold_char_into(c, &mut step_buf);
                }
                std::mem::swap(&mut grapheme_buf, &mut step_buf);
            }
            if tier >= Tier::Punct {
                // Ignorable characters that open a grapheme (a space or a line separator that a
                // combining mark leans on) become the pending space; the rest stays, so that
                // folding the folded text gives the same text.
                match grapheme_buf.find(|c: char| !is_ignorable(c)) {
                    Some(0) => {}
                    found => {
                        if !text.is_empty() && pending_space.is_none() {
                            pending_space = Some(span);
                        }
                        let Some(at) = found else { continue };
                        grapheme_buf.drain(..at);
                    }
                }
            }
            if tier >= Tier::Script {
                step_buf.clear();
                for c in grapheme_buf.chars() {
                    if let Some(latin) = cyr_lower_to_lat(c) {
                        step_buf.push_str(latin);
                        continue;
                    }
                    // A Cyrillic letter outside the Serbian alphabet with a diacritic ("ӑ"):
                    // its base letter ("а") is transliterated, as the folded text's would be.
                    let mut base = String::new();
                    diacritic_fold_char_into(c, dj_as_d, &mut base);
                    for b in base.chars() {
                        match cyr_lower_to_lat(b) {
                            Some(latin) => step_buf.push_str(latin),
                            None => step_buf.push(b),
                        }
                    }
                }
                std::mem::swap(&mut grapheme_buf, &mut step_buf);
            }
            if tier >= Tier::Diacritics {
                step_buf.clear();
                for c in grapheme_buf.chars() {
                    diacritic_fold_char_into(c, dj_as_d, &mut step_buf);
                }
                std::mem::swap(&mut grapheme_buf, &mut step_buf);
            }
            if grapheme_buf.is_empty() {
                // A lone mark that the diacritics step removed: nothing to emit, and a pending
                // space waits for the next visible grapheme (or is dropped at the end).
                continue;
            }
            if let Some(space_span) = pending_space.take() {
                text.push(' ');
                origin.push(space_span);
            }
            text.push_str(&grapheme_buf);
            origin.extend(std::iter::repeat_n(span, grapheme_buf.len()));
        }
        Folded { text, origin, original_len: original.len() }
    }

    /// Maps a byte range of the folded text to the byte range of the original that produced
    /// it, widened to whole graphemes. Out-of-bounds ends are clamped.
    pub fn original_range(&self, folded: Range<usize>) -> Range<usize> {
        if self.origin.is_empty() {
            return 0..0;
        }
        let start_idx = folded.start.min(self.origin.len());
        if start_idx == self.origin.len() {
            return self.original_len..self.original_len;
        }
        let start = self.origin[start_idx].0 as usize;
        if folded.end <= folded.start {
            return start..start;
        }
        let end_idx = (folded.end - 1).min(self.origin.len() - 1);
        let end = (self.origin[end_idx].1 as usize).max(start);
        start..end
    }
}

/// The comparison key of `text` at `tier` (DESIGN.md's ladder; tiers past `Script` fold like
/// `Script`).
///
/// ```
/// use termbridge::text::{Tier, fold};
/// assert_eq!(fold("Prishtinë, 2024", Tier::Punct), "prishtinë 2024");
/// assert_eq!(fold("Приштина", Tier::Script), "pristina");
/// ```
pub fn fold(text: &str, tier: Tier) -> Cow<'_, str> {
    if tier == Tier::Exact {
        return super::nfc(text);
    }
    Cow::Owned(Folded::new(text, tier, false).text)
}

/// The strictest tier at which `a` and `b` are equal, or `None` when they differ even after
/// transliteration (fuzzy and stem matching are the callers' business).
///
/// ```
/// use termbridge::text::{Tier, match_tier};
/// assert_eq!(match_tier("Prishtinë", "prishtinë"), Some(Tier::Case));
/// assert_eq!(match_tier("Đakovica", "Dakovica"), Some(Tier::Diacritics));
/// assert_eq!(match_tier("Priština", "Приштина"), Some(Tier::Script));
/// assert_eq!(match_tier("Priština", "Prizren"), None);
/// ```
pub fn match_tier(a: &str, b: &str) -> Option<Tier> {
    for tier in Tier::FOLDING {
        if fold(a, tier) == fold(b, tier) {
            return Some(tier);
        }
        if tier >= Tier::Diacritics {
            // Either side may have written đ as "d" (ASCII folding) rather than "dj".
            let a_dj = Folded::new(a, tier, false).text;
            let b_dj = Folded::new(b, tier, false).text;
            let a_d = Folded::new(a, tier, true).text;
            let b_d = Folded::new(b, tier, true).text;
            if a_dj == b_d || a_d == b_dj {
                return Some(tier);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, tier: Tier, expected: &str) {
        assert_eq!(Folded::new(input, tier, false).text, expected, "{input:?} at {tier:?}");
    }

    #[test]
    fn ladder() {
        check("Komuna e Prishtinës, 2024.", Tier::Exact, "Komuna e Prishtinës, 2024.");
        check("Komuna e Prishtinës, 2024.", Tier::Case, "komuna e prishtinës, 2024.");
        check("Komuna e Prishtinës, 2024.", Tier::Punct, "komuna e prishtinës 2024");
        check("Komuna e Prishtinës, 2024.", Tier::Diacritics, "komuna e prishtines 2024");
        check("Општина Приштина", Tier::Diacritics, "општина приштина");
        check("Општина Приштина", Tier::Script, "opstina pristina");
        check("ЉУБЉАНА Ђаковица", Tier::Script, "ljubljana djakovica");
        check("e\u{308}", Tier::Exact, "ë");
        check("  — ", Tier::Punct, "");
    }

    #[test]
    fn offsets_point_at_the_original() {
        let original = "Opština «Priština», 2024";
        let folded = Folded::new(original, Tier::Script, false);
        assert_eq!(folded.text, "opstina pristina 2024");
        let at = folded.text.find("pristina").unwrap();
        let range = folded.original_range(at..at + "pristina".len());
        assert_eq!(&original[range], "Priština");

        let cyrillic = "у Приштини";
        let folded = Folded::new(cyrillic, Tier::Script, false);
        let at = folded.text.find("pristini").unwrap();
        assert_eq!(&cyrillic[folded.original_range(at..at + 8)], "Приштини");
    }

    #[test]
    fn regression_spacing_mark_after_punctuation() {
        for tier in Tier::FOLDING {
            let once = fold("ᱍ:ၢ", tier).into_owned();
            assert_eq!(fold(&once, tier), once, "{tier:?}: {once:?}");
        }
    }

    #[test]
    fn a_mark_after_a_separator_folds_idempotently() {
        for tier in Tier::FOLDING {
            let once = fold("a\u{2028}\u{bbe}", tier).into_owned();
            assert_eq!(fold(&once, tier), once, "{tier:?}");
        }
        assert_eq!(fold("a\u{2028}\u{bbe}", Tier::Punct), "a \u{bbe}");
    }

    #[test]
    fn tiers() {
        assert_eq!(match_tier("Prizren", "Prizren"), Some(Tier::Exact));
        assert_eq!(match_tier("PRIZREN", "Prizren"), Some(Tier::Case));
        assert_eq!(match_tier("Hani i Elezit.", "hani  i elezit"), Some(Tier::Punct));
        assert_eq!(match_tier("Fushë Kosovë", "Fushe Kosove"), Some(Tier::Diacritics));
        assert_eq!(match_tier("Đeneral Janković", "Djeneral Jankovic"), Some(Tier::Diacritics));
        assert_eq!(match_tier("Урошевац", "Urosevac"), Some(Tier::Script));
        assert_eq!(match_tier("Урошевац", "Ferizaj"), None);
    }

    proptest::proptest! {
        #[test]
        fn folding_never_panics_and_offsets_stay_in_bounds(text in "\\PC*", tier_idx in 0usize..5, dj_as_d: bool) {
            let tier = Tier::FOLDING[tier_idx];
            let folded = Folded::new(&text, tier, dj_as_d);
            for start in 0..=folded.text.len() {
                for end in start..=(start + 8).min(folded.text.len()) {
                    let range = folded.original_range(start..end);
                    proptest::prop_assert!(range.start <= range.end && range.end <= text.len());
                    proptest::prop_assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
                }
            }
        }

        #[test]
        fn folding_is_idempotent(text in "\\PC*|a[\u{2028} ][\u{300}\u{bbe}]+", tier_idx in 0usize..5) {
            let tier = Tier::FOLDING[tier_idx];
            let once = fold(&text, tier).into_owned();
            proptest::prop_assert_eq!(fold(&once, tier).into_owned(), once);
        }

        #[test]
        fn serbian_and_albanian_text_folds_idempotently(text in "[a-zA-ZëçčćšžđËÇČĆŠŽĐабвгдђежзијклљмнњопрстћуфхцчџшЉЊЏ ,.]{0,40}", tier_idx in 0usize..5) {
            let tier = Tier::FOLDING[tier_idx];
            let once = fold(&text, tier).into_owned();
            proptest::prop_assert_eq!(fold(&once, tier).into_owned(), once);
        }
    }
}
