//! The word list the diacritics check compares against: words written with their
//! diacritics (ë ç; č ć š ž đ) in the same document, a wider corpus, the gazetteer and the
//! term base, keyed by their diacritic-free form.
//!
//! Only text that shows it was typed with diacritics is trusted: a segment of an Albanian
//! version that has no ë or ç anywhere, or a Serbian Latin segment without any of č ć š ž đ,
//! adds nothing, so a damaged segment cannot vouch for its own spellings. Serbian Cyrillic
//! text is transliterated to Latin and always trusted (Cyrillic has no diacritics to drop).
//!
//! Deliberately not done: guessing diacritics from a language model or a spelling
//! dictionary; a word is only restored to a form the corpus itself spells.

use std::collections::HashMap;

use crate::model::lang::Lang;
use crate::text::script::is_letter;
use crate::text::{cyr_to_lat, diacritic_fold};

/// Words with and without diacritics, per language (Albanian; Serbian in Latin).
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    sq: LangWords,
    sr: LangWords,
}

#[derive(Debug, Clone, Default)]
struct LangWords {
    /// Diacritic-free lowercase key -> lowercase spellings with diacritics and their counts.
    marked: HashMap<String, HashMap<String, u32>>,
    /// Lowercase spellings without diacritics seen in trusted text, and how often.
    plain: HashMap<String, u32>,
}

/// Function words written with diacritics whose forms without them are not words of the
/// language: a closed class, so the list is complete enough to seed every document's word
/// list (Albanian ë ç; Serbian č ć š ž đ).
const ALBANIAN_FUNCTION_WORDS: &[&str] = &[
    "një", "është", "për", "janë", "këtë", "këtu", "kësaj", "këtij", "këto", "këta", "nëse", "nëpër", "tërë", "gjithë", "çdo", "çfarë", "kështu", "tjetër",
    "vetëm", "asnjë", "ndonjë", "cilët", "përmes", "tashmë", "qenë", "kanë", "mbë", "ngaqë", "meqë", "sipër", "poshtë", "përpara", "këtej", "andej",
];
const SERBIAN_FUNCTION_WORDS: &[&str] = &[
    "će", "ćete", "ćemo", "ću", "ćeš", "već", "još", "čak", "može", "možete", "možemo", "između", "među", "šta", "zašto", "pošto", "naša", "naše", "vaša",
    "vaše", "čiji", "čija", "čije", "nešto", "ništa", "čime", "čemu", "čega",
];

/// True for the letters whose loss the check looks for, in `lang`.
pub fn is_marked_letter(lang: Lang, c: char) -> bool {
    match lang {
        Lang::Sq => matches!(c, 'ë' | 'Ë' | 'ç' | 'Ç'),
        Lang::Sr | Lang::Bs => matches!(c, 'č' | 'Č' | 'ć' | 'Ć' | 'š' | 'Š' | 'ž' | 'Ž' | 'đ' | 'Đ'),
        _ => false,
    }
}

/// The words of a text: runs of letters (apostrophes inside words kept out).
pub fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.char_indices().filter(move |(idx, c)| is_letter(*c) && !text[..*idx].chars().next_back().is_some_and(is_letter)).map(move |(start, _)| {
        let end = text[start..].find(|c: char| !is_letter(c)).map_or(text.len(), |len| start + len);
        (start, &text[start..end])
    })
}

impl Vocabulary {
    /// A word list seeded with the languages' function words that carry diacritics.
    pub fn seeded() -> Vocabulary {
        let mut vocabulary = Vocabulary::default();
        for word in ALBANIAN_FUNCTION_WORDS {
            vocabulary.add_trusted(Lang::Sq, word);
        }
        for word in SERBIAN_FUNCTION_WORDS {
            vocabulary.add_trusted(Lang::Sr, word);
        }
        vocabulary
    }

    fn lang_mut(&mut self, lang: Lang) -> Option<&mut LangWords> {
        match lang {
            Lang::Sq => Some(&mut self.sq),
            Lang::Sr | Lang::Bs => Some(&mut self.sr),
            _ => None,
        }
    }

    fn lang(&self, lang: Lang) -> Option<&LangWords> {
        match lang {
            Lang::Sq => Some(&self.sq),
            Lang::Sr | Lang::Bs => Some(&self.sr),
            _ => None,
        }
    }

    /// Adds a segment of a version in `lang`; untrusted text (see the module doc) is ignored.
    pub fn add_segment(&mut self, lang: Lang, text: &str) {
        let latin;
        let text = if matches!(lang, Lang::Sr | Lang::Bs) && crate::text::script::has_cyrillic(text) {
            latin = cyr_to_lat(text).into_owned();
            latin.as_str()
        } else {
            if !text.chars().any(|c| is_marked_letter(lang, c)) {
                return;
            }
            text
        };
        self.add_trusted(lang, text);
    }

    /// Adds text known to be written with its diacritics (gazetteer names, terms).
    pub fn add_trusted(&mut self, lang: Lang, text: &str) {
        let Some(words_of_lang) = self.lang_mut(lang) else { return };
        for (_, word) in words(text) {
            let lowered = word.to_lowercase();
            if lowered.chars().any(|c| is_marked_letter(lang, c)) {
                let key = diacritic_fold(&lowered).into_owned();
                *words_of_lang.marked.entry(key).or_default().entry(lowered).or_default() += 1;
            } else {
                *words_of_lang.plain.entry(lowered).or_default() += 1;
            }
        }
    }

    /// Adds everything another vocabulary holds.
    pub fn extend(&mut self, other: &Vocabulary) {
        for (mine, theirs) in [(&mut self.sq, &other.sq), (&mut self.sr, &other.sr)] {
            for (key, spellings) in &theirs.marked {
                let entry = mine.marked.entry(key.clone()).or_default();
                for (spelling, count) in spellings {
                    *entry.entry(spelling.clone()).or_default() += count;
                }
            }
            for (spelling, count) in &theirs.plain {
                *mine.plain.entry(spelling.clone()).or_default() += count;
            }
        }
    }

    /// The spelling with diacritics of `word` (which has none), when the corpus writes the
    /// word only with them; the case of `word` is kept.
    pub fn restore(&self, lang: Lang, word: &str) -> Option<String> {
        let words_of_lang = self.lang(lang)?;
        let lowered = word.to_lowercase();
        if lowered.chars().any(|c| is_marked_letter(lang, c)) || words_of_lang.plain.contains_key(&lowered) {
            return None;
        }
        let key = diacritic_fold(&lowered);
        if key != lowered {
            // Other marks (é, ü) the check does not handle.
            return None;
        }
        let spellings = words_of_lang.marked.get(key.as_ref())?;
        let (best, _) = spellings.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))?;
        Some(copy_case(word, best))
    }

    /// [`Vocabulary::restore`] over this word list and `extra` taken together (as if
    /// [`Vocabulary::extend`]ed), without copying either: for a large shared list and the
    /// few words of one text.
    ///
    /// ```
    /// use termbridge::audit::Vocabulary;
    /// use termbridge::model::lang::Lang;
    /// let shared = Vocabulary::seeded();
    /// let mut text = Vocabulary::default();
    /// text.add_segment(Lang::Sq, "Ndërroni temën");
    /// assert_eq!(shared.restore_with(&text, Lang::Sq, "temen").as_deref(), Some("temën"));
    /// assert_eq!(shared.restore_with(&text, Lang::Sq, "per").as_deref(), Some("për"));
    /// ```
    pub fn restore_with(&self, extra: &Vocabulary, lang: Lang, word: &str) -> Option<String> {
        let (mine, theirs) = (self.lang(lang)?, extra.lang(lang)?);
        let lowered = word.to_lowercase();
        if lowered.chars().any(|c| is_marked_letter(lang, c)) || mine.plain.contains_key(&lowered) || theirs.plain.contains_key(&lowered) {
            return None;
        }
        let key = diacritic_fold(&lowered);
        if key != lowered {
            return None;
        }
        let mut spellings: HashMap<&str, u32> = HashMap::new();
        for words_of_lang in [mine, theirs] {
            for (spelling, count) in words_of_lang.marked.get(key.as_ref()).into_iter().flatten() {
                *spellings.entry(spelling.as_str()).or_default() += count;
            }
        }
        let (best, _) = spellings.into_iter().max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)))?;
        Some(copy_case(word, best))
    }

    /// How often trusted text writes `word` (small letters, none marked) with diacritics, in
    /// its most frequent marked spelling, and how often without: the odds of a loss when the
    /// word turns up in text without any mark. `None` when the word has a mark or letters the
    /// check does not handle.
    ///
    /// ```
    /// use termbridge::audit::Vocabulary;
    /// use termbridge::model::lang::Lang;
    /// let mut text = Vocabulary::default();
    /// text.add_segment(Lang::Sq, "Kartelë e re, kartelë e vjetër, emri i kartele së re");
    /// assert_eq!(text.counts(Lang::Sq, "kartele"), Some(("kartelë".to_string(), 2, 1)));
    /// ```
    pub fn counts(&self, lang: Lang, word: &str) -> Option<(String, u32, u32)> {
        let words_of_lang = self.lang(lang)?;
        if word.chars().any(|c| is_marked_letter(lang, c)) || diacritic_fold(word) != word {
            return None;
        }
        let plain = words_of_lang.plain.get(word).copied().unwrap_or(0);
        let (best, marked) = words_of_lang
            .marked
            .get(word)
            .and_then(|spellings| spellings.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0))))
            .map_or((String::new(), 0), |(spelling, count)| (spelling.clone(), *count));
        Some((best, marked, plain))
    }

    /// Number of distinct marked words known for `lang`.
    pub fn len(&self, lang: Lang) -> usize {
        self.lang(lang).map_or(0, |words| words.marked.len())
    }

    /// True when nothing is known.
    pub fn is_empty(&self) -> bool {
        self.sq.marked.is_empty() && self.sr.marked.is_empty()
    }
}

/// `target` (lowercase) with the capitalisation of `model`: all caps, title case or lower.
fn copy_case(model: &str, target: &str) -> String {
    let letters: Vec<char> = model.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        return target.to_uppercase();
    }
    if model.chars().next().is_some_and(char::is_uppercase) {
        let mut chars = target.chars();
        return match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => String::new(),
        };
    }
    target.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restores_only_what_trusted_text_spells() {
        let mut vocabulary = Vocabulary::default();
        vocabulary.add_segment(Lang::Sq, "Ndërroni temën (temë e tanishme: auto)");
        vocabulary.add_segment(Lang::Sq, "Nderroni temen pa diakritike");
        vocabulary.add_segment(Lang::Sr, "Датотека није локална.");
        vocabulary.add_segment(Lang::Sr, "Hvala što ste danas proveli vreme.");
        assert_eq!(vocabulary.restore(Lang::Sq, "Nderroni").as_deref(), Some("Ndërroni"));
        assert_eq!(vocabulary.restore(Lang::Sq, "temen").as_deref(), Some("temën"));
        assert_eq!(vocabulary.restore(Lang::Sq, "auto"), None);
        assert_eq!(vocabulary.restore(Lang::Sr, "sto").as_deref(), Some("što"));
        assert_eq!(vocabulary.restore(Lang::Sr, "nije"), None);
        assert_eq!(vocabulary.restore(Lang::Sr, "LOKALNA"), None);
        vocabulary.add_segment(Lang::Sr, "Sto dinara, reče čovek.");
        assert_eq!(vocabulary.restore(Lang::Sr, "sto"), None);
    }

    #[test]
    fn words_are_letter_runs() {
        let found: Vec<_> = words("S’u gjet 12 herë, e-mail").map(|(_, w)| w).collect();
        assert_eq!(found, vec!["S", "u", "gjet", "herë", "e", "mail"]);
    }
}
