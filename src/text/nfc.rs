//! Unicode canonical composition (NFC): the "exact" tier compares NFC forms, so "ë" typed as
//! e + U+0308 equals the precomposed "ë".

use std::borrow::Cow;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Returns `text` in Normalization Form C, borrowing when it already is.
///
/// ```
/// assert_eq!(termbridge::text::nfc("e\u{308}"), "ë");
/// ```
pub fn nfc(text: &str) -> Cow<'_, str> {
    match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => Cow::Borrowed(text),
        _ => {
            let composed: String = text.nfc().collect();
            if composed == text { Cow::Borrowed(text) } else { Cow::Owned(composed) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composes() {
        assert_eq!(nfc("Prishtine\u{308}"), "Prishtinë");
        assert_eq!(nfc("c\u{30c}"), "č");
        assert!(matches!(nfc("Приштина"), Cow::Borrowed(_)));
    }
}
