//! Sentence and word segmentation.
//! (Being completed: see the helper branch.)

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

/// Byte ranges of the words (runs of letters and digits) of `text`.
pub fn words(text: &str) -> Vec<Range<usize>> {
    text.unicode_word_indices().map(|(start, word)| start..start + word.len()).collect()
}

/// Byte ranges of the sentences of `text`, trimmed of surrounding whitespace.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    text.split_sentence_bound_indices()
        .filter_map(|(start, sentence)| {
            let trimmed = sentence.trim();
            if trimmed.is_empty() {
                return None;
            }
            let offset = start + (sentence.len() - sentence.trim_start().len());
            Some(offset..offset + trimmed.len())
        })
        .collect()
}
