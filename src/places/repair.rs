//! Repair of the character-level damage that place names carry in real data (DOMAIN.md B.4.4):
//! Ð (U+00D0, Icelandic eth) written for Serbian Đ (U+0110), cp1252 text read as Latin-1 (C1
//! control characters: "Uro\u{9a}evac"), UTF-8 read as cp1252 ("PrishtinÃ«"), and broken
//! capitalisation ("KaCanik", "Hani I Elezit").
//!
//! `text::mojibake` only detects damage so far; the repairs the gazetteer and the resolver need
//! live here. They are conservative: a repair is returned only when the repaired text is valid
//! and differs. This file does not decide what a name is; it only undoes encoding accidents.

use std::borrow::Cow;

/// What kind of damage a repair undid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Damage {
    /// C1 control characters: cp1252 bytes 0x80–0x9F read as Latin-1.
    C1Controls,
    /// UTF-8 bytes decoded as cp1252 ("Ã«" for "ë").
    Utf8AsCp1252,
    /// Ð/ð (eth) written for Đ/đ.
    EthForDStroke,
}

impl Damage {
    /// The name the data files and reports use.
    pub fn as_str(self) -> &'static str {
        match self {
            Damage::C1Controls => "c1_controls",
            Damage::Utf8AsCp1252 => "utf8_as_cp1252",
            Damage::EthForDStroke => "eth_for_d_stroke",
        }
    }
}

/// cp1252 bytes 0x80–0x9F and the characters they stand for (0x81, 0x8D, 0x8F, 0x90 and 0x9D
/// are unassigned). One entry a line: (byte, character, Unicode name).
const CP1252_HIGH: &[(u8, char, &str)] = &[
    (0x80, '\u{20AC}', "EURO SIGN"),
    (0x82, '\u{201A}', "SINGLE LOW-9 QUOTATION MARK"),
    (0x83, '\u{0192}', "LATIN SMALL LETTER F WITH HOOK"),
    (0x84, '\u{201E}', "DOUBLE LOW-9 QUOTATION MARK"),
    (0x85, '\u{2026}', "HORIZONTAL ELLIPSIS"),
    (0x86, '\u{2020}', "DAGGER"),
    (0x87, '\u{2021}', "DOUBLE DAGGER"),
    (0x88, '\u{02C6}', "MODIFIER LETTER CIRCUMFLEX ACCENT"),
    (0x89, '\u{2030}', "PER MILLE SIGN"),
    (0x8A, '\u{0160}', "LATIN CAPITAL LETTER S WITH CARON"),
    (0x8B, '\u{2039}', "SINGLE LEFT-POINTING ANGLE QUOTATION MARK"),
    (0x8C, '\u{0152}', "LATIN CAPITAL LIGATURE OE"),
    (0x8E, '\u{017D}', "LATIN CAPITAL LETTER Z WITH CARON"),
    (0x91, '\u{2018}', "LEFT SINGLE QUOTATION MARK"),
    (0x92, '\u{2019}', "RIGHT SINGLE QUOTATION MARK"),
    (0x93, '\u{201C}', "LEFT DOUBLE QUOTATION MARK"),
    (0x94, '\u{201D}', "RIGHT DOUBLE QUOTATION MARK"),
    (0x95, '\u{2022}', "BULLET"),
    (0x96, '\u{2013}', "EN DASH"),
    (0x97, '\u{2014}', "EM DASH"),
    (0x98, '\u{02DC}', "SMALL TILDE"),
    (0x99, '\u{2122}', "TRADE MARK SIGN"),
    (0x9A, '\u{0161}', "LATIN SMALL LETTER S WITH CARON"),
    (0x9B, '\u{203A}', "SINGLE RIGHT-POINTING ANGLE QUOTATION MARK"),
    (0x9C, '\u{0153}', "LATIN SMALL LIGATURE OE"),
    (0x9E, '\u{017E}', "LATIN SMALL LETTER Z WITH CARON"),
    (0x9F, '\u{0178}', "LATIN CAPITAL LETTER Y WITH DIAERESIS"),
];

fn is_c1(c: char) -> bool {
    ('\u{80}'..='\u{9f}').contains(&c)
}

/// The cp1252 character that byte `byte` (0x80–0x9F) stands for.
fn cp1252_char(byte: u8) -> Option<char> {
    CP1252_HIGH.iter().find(|entry| entry.0 == byte).map(|entry| entry.1)
}

/// The cp1252 byte of `c`, when `c` is in cp1252.
fn cp1252_byte(c: char) -> Option<u8> {
    // Bytes cp1252 leaves unassigned (0x81, 0x8D, 0x8F, 0x90, 0x9D) decode to the C1 control
    // of the same value, so they encode back to it.
    if (c as u32) <= 0xFF && !CP1252_HIGH.iter().any(|entry| entry.0 as u32 == c as u32) {
        return Some(c as u32 as u8);
    }
    CP1252_HIGH.iter().find(|entry| entry.1 == c).map(|entry| entry.0)
}

/// Replaces C1 control characters with the cp1252 characters their byte stands for
/// ("Uro\u{9a}evac" → "Uroševac"); `None` when there are none or one is unassigned.
pub fn repair_c1(text: &str) -> Option<String> {
    if !text.chars().any(is_c1) {
        return None;
    }
    text.chars().map(|c| if is_c1(c) { cp1252_char(c as u32 as u8) } else { Some(c) }).collect()
}

/// Undoes UTF-8 read as cp1252 ("PrishtinÃ«" → "Prishtinë", "ÐŸÑ€Ð¸Ð·Ñ€ÐµÐ½" → "Призрен"):
/// re-encodes the text as cp1252 and decodes it as UTF-8. `None` unless that yields valid,
/// different text with at least one non-ASCII character.
pub fn repair_utf8_as_cp1252(text: &str) -> Option<String> {
    // Only texts that hold the lead bytes of two-byte UTF-8 sequences (Â–ß) can be damaged so.
    if !text.chars().any(|c| ('\u{C2}'..='\u{DF}').contains(&c)) {
        return None;
    }
    let bytes: Option<Vec<u8>> = text.chars().map(cp1252_byte).collect();
    let repaired = String::from_utf8(bytes?).ok()?;
    (repaired != text && !repaired.is_ascii()).then_some(repaired)
}

/// Damages text the way a UTF-8 file read as cp1252 is damaged ("Prishtinë" → "PrishtinÃ«");
/// the inverse of [`repair_utf8_as_cp1252`], for tests and evaluation sets.
pub fn damage_utf8_as_cp1252(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            0x80..=0x9F => cp1252_char(byte).unwrap_or(char::from(byte)),
            _ => char::from(byte),
        })
        .collect()
}

/// Writes Đ/đ for Ð/ð (eth), which the NGA GNS file uses for the Serbian letter.
pub fn fix_eth(text: &str) -> Cow<'_, str> {
    if !text.contains(['\u{D0}', '\u{F0}']) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.replace('\u{D0}', "\u{110}").replace('\u{F0}', "\u{111}"))
}

/// Repairs encoding damage, trying C1 controls, then UTF-8 read as cp1252, then eth; returns
/// the repaired text and every kind of damage undone (empty when nothing was wrong).
///
/// ```
/// use termbridge::places::repair;
/// assert_eq!(repair("Uro\u{9a}evac").0, "Uroševac");
/// assert_eq!(repair("PrishtinÃ«").0, "Prishtinë");
/// assert_eq!(repair("\u{D0}akovica").0, "Đakovica");
/// assert!(repair("Prizren").1.is_empty());
/// ```
pub fn repair(text: &str) -> (String, Vec<Damage>) {
    let mut damage = Vec::new();
    let mut current = text.to_string();
    if let Some(repaired) = repair_c1(&current) {
        current = repaired;
        damage.push(Damage::C1Controls);
    }
    if let Some(repaired) = repair_utf8_as_cp1252(&current) {
        current = repaired;
        damage.push(Damage::Utf8AsCp1252);
    }
    if let Cow::Owned(repaired) = fix_eth(&current) {
        current = repaired;
        damage.push(Damage::EthForDStroke);
    }
    (current, damage)
}

/// True when a name's capitalisation is broken: a capital letter inside a word after a small
/// one ("KaCanik", "ZveCan"), or a capitalised Albanian article ("Hani I Elezit"). All-caps
/// words ("PRISHTINË") are not broken.
///
/// ```
/// use termbridge::places::has_broken_case;
/// assert!(has_broken_case("KaCanik"));
/// assert!(has_broken_case("Hani I Elezit"));
/// assert!(!has_broken_case("PRIZREN"));
/// assert!(!has_broken_case("Hani i Elezit"));
/// ```
pub fn has_broken_case(name: &str) -> bool {
    let words: Vec<&str> = name.split([' ', '-']).filter(|word| !word.is_empty()).collect();
    let all_caps = name.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase);
    if all_caps {
        return false;
    }
    for (idx, word) in words.iter().enumerate() {
        let chars: Vec<char> = word.chars().collect();
        if chars.windows(2).any(|pair| pair[0].is_lowercase() && pair[1].is_uppercase()) {
            return true;
        }
        // Albanian articles inside a name are written small (Hani i Elezit, Mitrovicë e Jugut).
        // A capital I before a parenthesis or at the end is a Roman numeral (Plavë I (Parë)).
        let next_is_word = words.get(idx + 1).and_then(|next| next.chars().next()).is_some_and(char::is_alphabetic);
        if idx > 0 && next_is_word && ["I", "E", "Të", "Së"].contains(word) {
            return true;
        }
    }
    false
}

/// Restores ordinary capitalisation in a name whose case is broken: each word starts with a
/// capital and continues in small letters; Albanian articles inside the name are small
/// ("KaCanik" → "Kacanik", "Hani I Elezit" → "Hani i Elezit").
pub fn fix_case(name: &str) -> String {
    let words: Vec<&str> = name.split(' ').collect();
    let last = words.len().saturating_sub(1);
    words
        .iter()
        .enumerate()
        .map(|(idx, word)| {
            let lower = crate::text::case_fold(word).into_owned();
            if idx > 0 && idx < last && ["i", "e", "të", "së"].contains(&lower.as_str()) {
                return lower;
            }
            let mut chars = lower.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repairs() {
        for (input, expected, damage) in [
            ("Uro\u{9a}evac", "Uroševac", vec![Damage::C1Controls]),
            ("\u{8a}timlje", "Štimlje", vec![Damage::C1Controls]),
            ("Draga\u{9a}", "Dragaš", vec![Damage::C1Controls]),
            ("PrishtinÃ«", "Prishtinë", vec![Damage::Utf8AsCp1252]),
            ("Ã‡arakoc", "Çarakoc", vec![Damage::Utf8AsCp1252]),
            ("UroÅ¡evac", "Uroševac", vec![Damage::Utf8AsCp1252]),
            ("ÐŸÑ€Ð¸Ð·Ñ€ÐµÐ½", "Призрен", vec![Damage::Utf8AsCp1252]),
            ("\u{D0}akovica", "Đakovica", vec![Damage::EthForDStroke]),
            ("Glo\u{F0}ane", "Glođane", vec![Damage::EthForDStroke]),
            ("Prizren", "Prizren", vec![]),
            ("Priština", "Priština", vec![]),
            ("Ferizaj ë", "Ferizaj ë", vec![]),
        ] {
            assert_eq!(repair(input), (expected.to_string(), damage), "{input:?}");
        }
        for text in ["Prishtinë", "Uroševac", "Приштина", "Gjakovë Đakovica"] {
            assert_eq!(repair(&damage_utf8_as_cp1252(text)).0, text, "{text}");
        }
        // An unassigned cp1252 byte is not repaired.
        assert_eq!(repair_c1("a\u{81}b"), None);
    }

    #[test]
    fn broken_case() {
        for (name, expected) in [
            ("KaCanik", true),
            ("DeCan", true),
            ("GraCanica", true),
            ("Hani I Elezit", true),
            ("Mitrovicë E Jugut", true),
            ("Kaçanik", false),
            ("PRISHTINË", false),
            ("Fushë Kosovë", false),
            ("Shte Rpce", false),
            ("I", false),
            ("Plavë I (Parë)", false),
        ] {
            assert_eq!(has_broken_case(name), expected, "{name}");
        }
        for (name, expected) in [("KaCanik", "Kacanik"), ("Hani I Elezit", "Hani i Elezit"), ("GjaKova", "Gjakova"), ("ZVEÇAN", "Zveçan")] {
            assert_eq!(fix_case(name), expected, "{name}");
        }
    }
}
