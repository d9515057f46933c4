//! tantivy analyzers that fold text with `text::Folded`, so the index folds exactly as
//! search, term recognition and the audit do: NFC, case, punctuation, diacritics and Serbian
//! Cyrillic→Latin, then trigrams (`NGRAM_TOKENIZER`) or words (`WORD_TOKENIZER`).

use tantivy::Index;
use tantivy::tokenizer::{NgramTokenizer, SimpleTokenizer, TextAnalyzer, Tokenizer};

use crate::text::{Folded, Tier};

/// Name of the folded character-trigram analyzer.
pub const NGRAM_TOKENIZER: &str = "tb_ng3";
/// Name of the folded word analyzer.
pub const WORD_TOKENIZER: &str = "tb_words";

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
}
