//! Words that are spelled right though a Hunspell dictionary may not know them: the official
//! place names in every form the gazetteer knows, and the terms of the term base.
//!
//! The `spelling` check asks these after the dictionary, so an official name ("Gjakovë",
//! "Ђаковица", "Prishtinës") or an approved term is never reported as a misspelling. Place
//! names are read once a process from the shipped gazetteer ([`KnownWords::gazetteer`]):
//! the official names in every language and script, the forms the audit's mention finder
//! knows (generated inflections, attested variants), and the fuller Albanian and Serbian
//! declensions of `places::inflect` (in Cyrillic too). Terms are added by whoever holds a term
//! base (the audit's house terms, the proofreader's term index), each word with its stem
//! ([`crate::text::stem::stem_word`]), so that an inflected term is known as well.
//!
//! Deliberately not here: misspelt and diacritic-less forms of names (attested variants that
//! the place-name and missing-diacritics checks report), and forbidden or deprecated terms.

use std::collections::HashSet;
use std::sync::OnceLock;

use crate::model::lang::Lang;
use crate::text::stem::stem_word;

use super::vocabulary::words;

/// The fewest letters a term word has for its stem to stand for its inflected forms: the stem
/// of a shorter word matches too many other words.
const MIN_STEMMED_CHARS: usize = 5;

/// Lowercase words known to be spelled right, and the stems of term words.
#[derive(Debug, Clone, Default)]
pub struct KnownWords {
    words: HashSet<String>,
    stems: HashSet<(Lang, String)>,
}

impl KnownWords {
    /// The words of the shipped gazetteer's place names, in every known form (built on first
    /// use and kept for the process).
    pub fn gazetteer() -> &'static KnownWords {
        static GAZETTEER: OnceLock<KnownWords> = OnceLock::new();
        GAZETTEER.get_or_init(|| {
            let mut known = KnownWords::default();
            let names = super::resources().places;
            for form in names.correct_forms() {
                known.add_name(form);
            }
            for place in crate::places::Gazetteer::shipped().places() {
                for name in [&place.name_sq, &place.name_sr_latn, &place.name_sr_cyrl, &place.name_tr, &place.name_bs] {
                    known.add_name(name);
                }
                for form in crate::places::albanian_forms(&place.name_sq) {
                    known.add_name(&form);
                }
                for form in crate::places::serbian_forms(&place.name_sr_latn) {
                    known.add_name(&crate::text::lat_to_cyr(&form));
                    known.add_name(&form);
                }
            }
            known
        })
    }

    /// Adds the words of a name (any language or script), as written.
    pub fn add_name(&mut self, name: &str) {
        for (_, word) in words(name) {
            self.words.insert(word.to_lowercase());
        }
    }

    /// Adds the words of a term in `lang`, with the stems of the longer ones.
    pub fn add_term(&mut self, lang: Lang, term: &str) {
        for (_, word) in words(term) {
            let lowered = word.to_lowercase();
            if lowered.chars().count() >= MIN_STEMMED_CHARS && matches!(lang, Lang::Sq | Lang::Sr | Lang::Bs) {
                self.stems.insert((stem_lang(lang), stem_word(&lowered, lang)));
            }
            self.words.insert(lowered);
        }
    }

    /// True when `word` (any case) is one of the words, or in `lang` an inflected form of a
    /// term word.
    ///
    /// ```
    /// use termbridge::audit::KnownWords;
    /// use termbridge::model::lang::Lang;
    /// let mut known = KnownWords::default();
    /// known.add_term(Lang::Sq, "fjalëkalim");
    /// assert!(known.contains(Lang::Sq, "Fjalëkalimin"));
    /// assert!(!known.contains(Lang::Sr, "Fjalëkalimin"));
    /// ```
    pub fn contains(&self, lang: Lang, word: &str) -> bool {
        let lowered = word.to_lowercase();
        if self.words.contains(&lowered) {
            return true;
        }
        !self.stems.is_empty()
            && lowered.chars().count() >= MIN_STEMMED_CHARS
            && matches!(lang, Lang::Sq | Lang::Sr | Lang::Bs)
            && self.stems.contains(&(stem_lang(lang), stem_word(&lowered, lang)))
    }

    /// True when nothing is known.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

/// Bosnian shares the Serbian declension (and its stems).
fn stem_lang(lang: Lang) -> Lang {
    if lang == Lang::Bs { Lang::Sr } else { lang }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gazetteer_knows_names_in_every_form_and_script() {
        let known = KnownWords::gazetteer();
        for word in ["Gjakovë", "Gjakovës", "Gjakovën", "Đakovica", "Đakovici", "Ђаковица", "Ђаковици", "Prishtinës", "Uroševcu", "Podujevë"]
        {
            assert!(known.contains(Lang::Sq, word), "{word}");
        }
        assert!(!known.contains(Lang::Sq, "Gjakovëss"));
    }

    #[test]
    fn a_term_is_known_in_its_inflected_forms() {
        let mut known = KnownWords::default();
        known.add_term(Lang::Sr, "upravni postupak");
        assert!(known.contains(Lang::Sr, "postupka"));
        assert!(known.contains(Lang::Sr, "Upravnog"));
        assert!(known.contains(Lang::Sr, "upravni"));
        assert!(!known.contains(Lang::Sr, "postupci"), "sound changes inside the stem are not undone");
    }
}
