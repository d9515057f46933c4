//! Unicode default case folding (full folding, so "ß" and "SS" agree), the "case" tier.
//! Turkish dotted/dotless i is folded the default way: İ→i̇, I→i (not the Turkish rule),
//! which keeps folding independent of the text's language.

use std::borrow::Cow;

use caseless::Caseless;

/// Folds case, borrowing when `text` has nothing to fold.
///
/// ```
/// assert_eq!(termbridge::text::case_fold("PRIŠTINA"), "priština");
/// assert_eq!(termbridge::text::case_fold("ЉУБЉАНА"), "љубљана");
/// ```
pub fn case_fold(text: &str) -> Cow<'_, str> {
    if text.chars().all(|c| !c.is_uppercase() && c != 'ß' && c.is_ascii()) {
        return Cow::Borrowed(text);
    }
    let folded: String = text.chars().default_case_fold().collect();
    if folded == text { Cow::Borrowed(text) } else { Cow::Owned(folded) }
}

/// Folds the case of one character into `out` (one character may fold to several).
pub(crate) fn case_fold_char_into(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else {
        out.extend(std::iter::once(c).default_case_fold());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds() {
        for (input, expected) in
            [("Prishtinë", "prishtinë"), ("ÇAJ", "çaj"), ("Straße", "strasse"), ("ЊЕГОШ", "његош"), ("DŽEMPER", "džemper"), ("already lower", "already lower")]
        {
            assert_eq!(case_fold(input), expected, "{input}");
        }
        assert!(matches!(case_fold("abc"), Cow::Borrowed(_)));
    }
}
