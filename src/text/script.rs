//! Script detection per word and per segment, homoglyphs and non-Serbian Cyrillic letters.
//! (Being completed: see the helper branch.)

use std::ops::Range;

use serde::Serialize;

/// The writing system of a word or segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Script {
    /// Latin letters only.
    Latn,
    /// Cyrillic letters only.
    Cyrl,
    /// Latin and Cyrillic letters in one word (or, for a segment, words of both scripts).
    Mixed,
    /// No Latin or Cyrillic letter.
    Other,
}

/// The script of one word.
pub fn word_script(word: &str) -> Script {
    let latin = word.chars().any(|c| c.is_alphabetic() && (c as u32) < 0x0250);
    let cyrillic = word.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c));
    match (latin, cyrillic) {
        (true, true) => Script::Mixed,
        (true, false) => Script::Latn,
        (false, true) => Script::Cyrl,
        (false, false) => Script::Other,
    }
}

/// Byte ranges of the words of `text` whose script is mixed.
pub fn mixed_words(text: &str) -> Vec<Range<usize>> {
    super::segment::words(text).into_iter().filter(|range| word_script(&text[range.clone()]) == Script::Mixed).collect()
}
