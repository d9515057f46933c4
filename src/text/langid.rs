//! Language identification of one sentence among sq, sr (either script), en, tr and bs.
//! (Being completed: see the helper branch.)

use crate::lang::Lang;

/// A language guess with a confidence between 0 and 1.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct LangGuess {
    /// The language.
    pub lang: Lang,
    /// How sure the guess is, 0 to 1.
    pub confidence: f64,
}

/// Identifies the language of `text`, or `None` when there is nothing to go on.
pub fn identify(text: &str) -> Option<LangGuess> {
    if text.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c)) {
        return Some(LangGuess { lang: Lang::Sr, confidence: 1.0 });
    }
    None
}
