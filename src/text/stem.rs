//! Light stemmers for Albanian and Serbian.
//! (Being completed: see the helper branch.)

use std::borrow::Cow;

use crate::lang::Lang;

/// The stem of a case-folded word.
pub fn stem(word: &str, _lang: Lang) -> Cow<'_, str> {
    Cow::Borrowed(word)
}
