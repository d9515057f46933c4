//! Encoding damage: UTF-8 read as cp1252/Latin-1 ("Ã«"), cp1252 read as Latin-1 (C1
//! controls), and Ð (U+00D0) written for Đ (U+0110).
//! (Being completed: see the helper branch.)

/// True when `text` holds C1 control characters or the typical "Ã" + continuation pairs.
pub fn looks_damaged(text: &str) -> bool {
    text.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c)) || text.contains("Ã«") || text.contains("Ã§")
}
