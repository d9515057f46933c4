//! How the search index sees text: the words of a text, each folded with `text::Folded` to
//! the script tier (so case, punctuation, diacritics and Serbian script do not matter) and,
//! for the stem field, stemmed first with `text::stem`. Both the indexed documents and the
//! queries go through [`word_keys`], so they fold alike; tantivy then only splits on spaces.
//!
//! The trigram analyzer (`NGRAM_TOKENIZER`) folds the same way and cuts character trigrams,
//! for callers that want tantivy n-gram fields; the TM's fuzzy match keeps its own trigram
//! index in memory (see `memory::matcher`).

use std::ops::Range;

use tantivy::Index;
use tantivy::tokenizer::{NgramTokenizer, SimpleTokenizer, TextAnalyzer, Tokenizer, WhitespaceTokenizer};

use crate::model::lang::Lang;
use crate::text::{Folded, Tier};

/// Name of the folded character-trigram analyzer.
pub const NGRAM_TOKENIZER: &str = "tb_ng3";
/// Name of the folded word analyzer.
pub const WORD_TOKENIZER: &str = "tb_words";
/// Name of the analyzer of pre-folded keys (split on spaces only).
pub const KEY_TOKENIZER: &str = "tb_keys";

/// Folds the text to the script tier, then hands it to an inner tokenizer.
#[derive(Clone)]
pub struct FoldingTokenizer<T> {
    inner: T,
    buf: String,
}

impl<T: Tokenizer> Tokenizer for FoldingTokenizer<T> {
    type TokenStream<'a> = T::TokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        let FoldingTokenizer { inner, buf } = self;
        *buf = Folded::new(text, Tier::Script, false).text;
        let folded: &'a String = buf;
        inner.token_stream(folded.as_str())
    }
}

/// Registers the termbridge analyzers on `index`.
pub fn register_analyzers(index: &Index) {
    // Trigram sizes are constants that NgramTokenizer accepts (1 <= min <= max).
    let ngram = NgramTokenizer::new(3, 3, false).expect("3..=3 is a valid n-gram range");
    index.tokenizers().register(NGRAM_TOKENIZER, TextAnalyzer::from(FoldingTokenizer { inner: ngram, buf: String::new() }));
    index.tokenizers().register(WORD_TOKENIZER, TextAnalyzer::from(FoldingTokenizer { inner: SimpleTokenizer::default(), buf: String::new() }));
    index.tokenizers().register(KEY_TOKENIZER, TextAnalyzer::from(WhitespaceTokenizer::default()));
}

/// One word of a text and its index keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordKey {
    /// Byte range of the word in the text.
    pub range: Range<usize>,
    /// The word folded to the script tier, inner punctuation removed.
    pub word: String,
    /// The word's stem, folded the same way.
    pub stem: String,
}

/// The folded key of one word: what `Folded` gives at the script tier, without the spaces
/// that inner punctuation ("don't", "02/L") leaves, so one word stays one token.
pub fn fold_word(word: &str) -> String {
    if word.is_ascii() {
        // For ASCII, the script tier is exactly: lower case, punctuation dropped.
        return word.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect();
    }
    let composed = crate::text::nfc(word);
    if composed.chars().any(|c| !(c.is_ascii() || c.is_alphanumeric())) {
        // Marks that stay after NFC, joiners and selectors belong to a grapheme with their
        // neighbours: only `Folded`, which works grapheme by grapheme, handles those.
        return Folded::new(word, Tier::Script, false).text.replace(' ', "");
    }
    // Without stray marks every grapheme is one character, and the ladder's steps applied to
    // the whole word give what `Folded` gives grapheme by grapheme, several times faster
    // (the test below holds the two together).
    let lowered = crate::text::case_fold(&composed);
    let letters: String = lowered.chars().filter(|c| c.is_alphanumeric()).collect();
    let latin = crate::text::cyr_to_lat(&letters);
    crate::text::diacritic_fold(&latin).into_owned()
}

/// The words of `text` with their folded and stemmed keys, for a text in `lang`.
pub fn word_keys(text: &str, lang: Lang) -> Vec<WordKey> {
    crate::text::segment::words(text)
        .into_iter()
        .filter_map(|range| {
            let original = &text[range.clone()];
            let word = fold_word(original);
            if word.is_empty() {
                return None;
            }
            // The stemmers read folded words (Latin, no diacritics): stemming the folded key
            // lets "Komunës" and "Komuna", "скупштине" and "Skupština" meet.
            let stem = crate::text::stem::stem(&word, lang).into_owned();
            Some(WordKey { range, word, stem })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: &[&str]) {
        let words: Vec<String> = word_keys(text, Lang::Sq).into_iter().map(|key| key.word).collect();
        assert_eq!(words, expected, "{text:?}");
    }

    #[test]
    fn words_fold_like_the_ladder() {
        check("Komuna e Prishtinës, 2024.", &["komuna", "e", "prishtines", "2024"]);
        check("Општина Приштина", &["opstina", "pristina"]);
        check("You don't have permission", &["you", "dont", "have", "permission"]);
        check("Đakovica ÇAJ", &["djakovica", "caj"]);
        for word in [
            "Prishtinës",
            "don't",
            "ЉУБЉАНА",
            "Straße",
            "x",
            "Ђаковица",
            "Đakovica",
            "ÇAJ",
            "e\u{308}",
            "a\u{301}\u{327}",
            "İstanbul",
            "NJEGOŠ",
            "Његош",
            "džemper",
            "ǅ",
            "Ð",
            "½",
            "x²",
            "ﬁ",
            "a\u{200d}b",
        ] {
            assert_eq!(fold_word(word), Folded::new(word, Tier::Script, false).text.replace(' ', ""), "{word}");
        }
    }
}
