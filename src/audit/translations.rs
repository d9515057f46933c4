//! Translations known from outside the document being audited, for `inconsistent-translation`:
//! those of the documents audited before it in the same folder (`audit-dir`), and those of the
//! translation memory (exact matches of the document's original segments).
//!
//! A [`KnownTranslations`] maps a source text's comparison key ([`text_key`]), in its language,
//! to the translations seen for it in each other language. It is plain data: the folder run
//! fills it from each document's aligned pairs as it goes ([`dir`](super::dir)); the TM's is
//! filled above the audit (the use case that opened the data directory), so the audit itself
//! never reads the store.
//!
//! It does not decide what counts as a different translation: that is the check's
//! ([`differs`]), the same rule inside a document, across a folder and against the TM.

use std::collections::HashMap;

use crate::model::lang::Lang;

/// The fewest content words (names and numbers aside) a source text needs to be judged: a
/// single word ("Open", "Hap") may rightly take two translations in two places.
pub const MIN_CONTENT_WORDS: usize = 3;

/// Where a known translation comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// An aligned segment of another document of the folder.
    Document {
        /// The path of the document's version that holds the translation.
        path: String,
        /// Its line or block.
        line: usize,
    },
    /// A unit of the translation memory.
    Memory {
        /// The unit's id.
        unit: String,
    },
}

/// One translation of a source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownTranslation {
    /// The translation as written.
    pub text: String,
    /// Its comparison key ([`text_key`]).
    pub key: String,
    /// Its wording with names and numbers set aside ([`wording_key`]).
    pub wording: String,
    /// Where it was seen.
    pub origin: Origin,
}

impl KnownTranslation {
    /// The translation `text`, seen at `origin`, with its keys (`lexicon`: the audit's
    /// dictionaries, so that its wording is keyed as the audited segments' are).
    pub fn new(text: &str, origin: Origin, lexicon: &crate::lexicon::Lexicon) -> KnownTranslation {
        let prose = super::prose::prose(text);
        KnownTranslation { text: text.to_string(), key: text_key(text), wording: wording_key(&super::context::content_key(&prose, lexicon).0), origin }
    }
}

/// Translations by source text: (source language, target language) → source key → the
/// translations seen, first seen first.
#[derive(Debug, Clone, Default)]
pub struct KnownTranslations {
    by_source: HashMap<(Lang, Lang), HashMap<String, Vec<KnownTranslation>>>,
}

impl KnownTranslations {
    /// Adds a translation of the source whose key is `source_key`, unless one with the same
    /// wording is known already. With `first_only`, a source keeps its first translation only
    /// (a folder: each later document is compared with the first that translated the text).
    pub fn add(&mut self, source: Lang, target: Lang, source_key: String, translation: KnownTranslation, first_only: bool) {
        let known = self.by_source.entry((source, target)).or_default().entry(source_key).or_default();
        if (first_only && !known.is_empty()) || known.iter().any(|other| !differs(other, &translation.key, &translation.wording)) {
            return;
        }
        known.push(translation);
    }

    /// The translations into `target` known for the `source` text whose key is `source_key`.
    pub fn get(&self, source: Lang, target: Lang, source_key: &str) -> &[KnownTranslation] {
        self.by_source.get(&(source, target)).and_then(|texts| texts.get(source_key)).map_or(&[], Vec::as_slice)
    }

    /// Number of source texts known (once per target language).
    pub fn len(&self) -> usize {
        self.by_source.values().map(HashMap::len).sum()
    }

    /// True when nothing is known.
    pub fn is_empty(&self) -> bool {
        self.by_source.values().all(HashMap::is_empty)
    }
}

/// The comparison key of a text: case, punctuation, diacritics and Serbian script set aside,
/// names and numbers kept. Two texts with equal keys are the same text (a stripped diacritic
/// or a Latin copy of a Cyrillic sentence is another check's finding, not another text).
pub fn text_key(text: &str) -> String {
    // Without Cyrillic letters the script tier folds exactly as the diacritics tier, which
    // skips the transliteration step (about a third of the folding's cost).
    let tier = if crate::text::script::has_cyrillic(text) { crate::text::Tier::Script } else { crate::text::Tier::Diacritics };
    crate::text::fold(text, tier).into_owned()
}

/// The key of a text's wording: its content key (names and numbers aside,
/// [`content_key`](super::context::content_key)) folded like [`text_key`].
pub fn wording_key(content_key: &str) -> String {
    crate::text::fold(content_key, crate::text::Tier::Script).into_owned()
}

/// True when a translation with keys `key` and `wording` says something else than `known`:
/// the texts differ, and not only in names or numbers (a number or a place name that differs is
/// number-mismatch's or place-name's finding, not another translation).
pub fn differs(known: &KnownTranslation, key: &str, wording: &str) -> bool {
    known.key != key && known.wording != wording
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(text: &str) -> KnownTranslation {
        KnownTranslation::new(text, Origin::Memory { unit: "u".into() }, &crate::lexicon::Lexicon::new("/nonexistent-dictionaries"))
    }

    #[test]
    fn a_translation_differs_in_its_wording_only() {
        let check = |a: &str, b: &str, expected: bool| {
            let b = known(b);
            assert_eq!(differs(&known(a), &b.key, &b.wording), expected, "{a:?} / {b:?}");
        };
        check("Zahtev se podnosi u prijemnoj kancelariji.", "Молба се предаје на шалтеру пријема.", true);
        check("Zahtev se podnosi u prijemnoj kancelariji.", "Захтев се подноси у пријемној канцеларији.", false);
        check("Zahtev se podnosi u prijemnoj kancelariji", "Zahtev se podnosi u prijemnoj kancelariji.", false);
        check("Rok je 15 dana.", "Rok je 30 dana.", false);
        check("Opština Priština ima sela.", "Opština Prishtina ima sela.", false);
        check("Select all files", "Select All Files", false);
    }

    #[test]
    fn keys_fold_to_the_script_tier() {
        for text in [
            "Kërkesa dorëzohet në zyrën e pritjes.",
            "Đakovica, Ðakovica i ĐAKOVICA",
            "Захтев се подноси у канцеларији.",
            "Opština Ђаковица",
            "ӑ ё ў",
            "Straße “ﬁ” Ǆ",
        ] {
            assert_eq!(text_key(text), crate::text::fold(text, crate::text::Tier::Script), "{text}");
        }
    }

    #[test]
    fn a_folder_keeps_the_first_translation_and_the_memory_every_one() {
        let mut folder = KnownTranslations::default();
        folder.add(Lang::Sq, Lang::Sr, "a".into(), known("Prvi prevod ovde."), true);
        folder.add(Lang::Sq, Lang::Sr, "a".into(), known("Drugi prevod ovde."), true);
        assert_eq!(folder.get(Lang::Sq, Lang::Sr, "a").len(), 1);
        let mut memory = KnownTranslations::default();
        memory.add(Lang::Sq, Lang::Sr, "a".into(), known("Prvi prevod ovde."), false);
        memory.add(Lang::Sq, Lang::Sr, "a".into(), known("Први превод овде."), false);
        memory.add(Lang::Sq, Lang::Sr, "a".into(), known("Drugi prevod ovde."), false);
        assert_eq!(memory.get(Lang::Sq, Lang::Sr, "a").len(), 2);
        assert!(memory.get(Lang::Sq, Lang::En, "a").is_empty());
    }
}
