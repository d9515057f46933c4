//! Punctuation and whitespace folding, the "punct" tier: every run of characters that are
//! neither letters, digits nor combining marks becomes one space, and the ends are trimmed.
//! "Komuna e Prishtinës, 2024." and "Komuna e Prishtinës 2024" compare equal.

use std::borrow::Cow;

use unicode_normalization::char::is_combining_mark;

/// True for the characters the punct tier ignores: punctuation, symbols and whitespace.
pub(crate) fn is_ignorable(c: char) -> bool {
    !(c.is_alphanumeric() || is_combining_mark(c))
}

/// Collapses punctuation and whitespace runs to single spaces and trims the ends.
///
/// ```
/// assert_eq!(termbridge::text::punct_fold("  Neni 5, paragrafi 2. "), "Neni 5 paragrafi 2");
/// ```
pub fn punct_fold(text: &str) -> Cow<'_, str> {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if is_ignorable(c) {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    if out == text { Cow::Borrowed(text) } else { Cow::Owned(out) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds() {
        for (input, expected) in
            [("a, b", "a b"), ("«Zyra» — e Komisionerit!", "Zyra e Komisionerit"), ("02/L-37", "02 L 37"), ("\t x \n", "x"), ("...", ""), ("ok", "ok")]
        {
            assert_eq!(punct_fold(input), expected, "{input:?}");
        }
    }
}
