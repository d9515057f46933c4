//! `mojibake`: text damaged by a wrong character encoding, and Ð written for Đ.

use crate::audit::context::AuditContext;
use crate::audit::{Category, Finding, Severity};
use crate::lang::Lang;

use super::{Check, Localized};

/// Finds UTF-8 text decoded as Windows-1252 or Latin-1 ("Ã«" for ë, "Ä‡" for ć), C1 control
/// characters (Windows-1252 read as Latin-1), and Ð (U+00D0) standing for Đ (U+0110).
pub struct Mojibake;

/// Windows-1252 bytes 0x80–0x9F and the characters they stand for (undefined bytes are
/// absent).
const CP1252_HIGH: &[(u8, char)] = &[
    (0x80, '€'),
    (0x82, '‚'),
    (0x83, 'ƒ'),
    (0x84, '„'),
    (0x85, '…'),
    (0x86, '†'),
    (0x87, '‡'),
    (0x88, 'ˆ'),
    (0x89, '‰'),
    (0x8A, 'Š'),
    (0x8B, '‹'),
    (0x8C, 'Œ'),
    (0x8E, 'Ž'),
    (0x91, '‘'),
    (0x92, '’'),
    (0x93, '“'),
    (0x94, '”'),
    (0x95, '•'),
    (0x96, '–'),
    (0x97, '—'),
    (0x98, '˜'),
    (0x99, '™'),
    (0x9A, 'š'),
    (0x9B, '›'),
    (0x9C, 'œ'),
    (0x9E, 'ž'),
    (0x9F, 'Ÿ'),
];

/// The byte a character was before a Windows-1252 (or Latin-1) decoding, if any.
fn cp1252_byte(c: char) -> Option<u8> {
    let code = c as u32;
    if (0xA0..=0xFF).contains(&code) || (0x80..=0x9F).contains(&code) {
        return Some(code as u8);
    }
    CP1252_HIGH.iter().find(|(_, ch)| *ch == c).map(|(byte, _)| *byte)
}

fn is_c1(c: char) -> bool {
    ('\u{80}'..='\u{9F}').contains(&c)
}

/// The damaged runs of `text` (byte ranges) with their repair.
pub fn damaged_runs(text: &str) -> Vec<(usize, usize, String)> {
    let mut runs = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut idx = 0;
    while idx < chars.len() {
        let (start, c) = chars[idx];
        // A UTF-8 lead byte read as a character: Ã Ä Å Æ Ç (0xC3–0xC7 cover ë ç č ć š ž đ and
        // the Latin-1 letters), Ð Ñ (0xD0, 0xD1: Cyrillic), â (0xE2: quotes, dashes).
        if matches!(c as u32, 0xC2..=0xDF | 0xE2) {
            let width = if (c as u32) >= 0xE0 { 3 } else { 2 };
            if idx + width <= chars.len() {
                let bytes: Option<Vec<u8>> = chars[idx..idx + width].iter().map(|(_, ch)| cp1252_byte(*ch)).collect();
                if let Some(bytes) = bytes
                    && let Ok(decoded) = std::str::from_utf8(&bytes)
                    && bytes[1..].iter().all(|b| (0x80..=0xBF).contains(b))
                {
                    let end = chars.get(idx + width).map_or(text.len(), |(pos, _)| *pos);
                    runs.push((start, end, decoded.to_string()));
                    idx += width;
                    continue;
                }
            }
        }
        if is_c1(c) {
            // Windows-1252 text read as Latin-1: the control character is the 1252 byte.
            let repaired = CP1252_HIGH.iter().find(|(byte, _)| u32::from(*byte) == c as u32).map(|(_, ch)| ch.to_string()).unwrap_or_default();
            runs.push((start, start + c.len_utf8(), repaired));
        }
        idx += 1;
    }
    // Merge adjacent runs so one damaged word is one excerpt.
    let mut merged: Vec<(usize, usize, String)> = Vec::new();
    for (start, end, repaired) in runs {
        match merged.last_mut() {
            Some(last) if last.1 == start => {
                last.1 = end;
                last.2.push_str(&repaired);
            }
            _ => merged.push((start, end, repaired)),
        }
    }
    merged
}

/// True when `text` shows encoding damage.
pub fn is_damaged(text: &str) -> bool {
    !damaged_runs(text).is_empty()
}

/// `text` with every damaged run repaired.
pub fn repair(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (start, end, repaired) in damaged_runs(text) {
        out.push_str(&text[last..start]);
        out.push_str(&repaired);
        last = end;
    }
    out.push_str(&text[last..]);
    out
}

/// Byte ranges of Ð (U+00D0, ETH) used as a Serbian letter: followed by a lowercase letter
/// or standing alone between letters of a word.
fn eth_for_d_stroke(text: &str) -> Vec<usize> {
    text.char_indices()
        .filter(|(idx, c)| *c == 'Ð' && text[idx + c.len_utf8()..].chars().next().is_some_and(|next| next.is_lowercase() || next.is_uppercase()))
        .map(|(idx, _)| idx)
        .collect()
}

impl Check for Mojibake {
    fn id(&self) -> &'static str {
        "mojibake"
    }

    fn severity(&self) -> Severity {
        Severity::Error
    }

    fn category(&self) -> Category {
        Category::Orthography
    }

    fn summary(&self) -> Localized {
        Localized {
            en: "Text damaged by a wrong character encoding (mojibake)",
            sq: "Tekst i dëmtuar nga kodimi i gabuar i karaktereve",
            sr: "Tekst oštećen pogrešnim kodiranjem znakova",
        }
    }

    fn docs(&self) -> &'static str {
        "Finds text damaged by a wrong character encoding: UTF-8 read as Windows-1252 or Latin-1 (`njÃ«` for `një`, \
         `Ä‡` for `ć`, `â€œ` for `“`), Windows-1252 read as Latin-1 (C1 control characters, `Uro\\u009aevac` for \
         `Uroševac`), and Ð (U+00D0, Icelandic eth) written for Serbian Đ (U+0110). The suggestion is the repaired \
         segment. A damaged segment is reported here only, not again as another language or as missing diacritics.\n\n\
         **Why** damaged letters make the text unreadable and unsearchable, and turn official names into non-names \
         (DOMAIN.md V9, D8; the gazetteer sources themselves carry such damage, B.4).\n\n\
         **Bad** `Gjej njÃ« fjalÃ« apo frazÃ« nÃ« dokument`\n\n\
         **Good** `Gjej një fjalë apo frazë në dokument`"
    }

    fn run(&self, ctx: &AuditContext<'_>, out: &mut Vec<Finding>) {
        for (version, view) in ctx.versions.iter().enumerate() {
            for (segment_idx, segment) in view.segments.iter().enumerate() {
                let runs = damaged_runs(&segment.text);
                if let Some((start, end, _)) = runs.first() {
                    // Show the whole damaged word, not only the broken letters.
                    let text = &segment.text;
                    let word_start = text[..*start].char_indices().rev().find(|(_, c)| c.is_whitespace()).map_or(0, |(pos, c)| pos + c.len_utf8());
                    let word_end = text[*end..].find(char::is_whitespace).map_or(text.len(), |pos| end + pos);
                    let shown: Vec<String> = runs.iter().take(4).map(|(s, e, r)| format!("{} → {r}", &segment.text[*s..*e])).collect();
                    out.push(ctx.finding(
                        version,
                        segment_idx,
                        Some((word_start, word_end)),
                        format!("the text was decoded with the wrong character encoding ({})", shown.join(", ")),
                        Some(repair(&segment.text)),
                    ));
                    continue;
                }
                if matches!(view.lang(), Lang::Sr | Lang::Bs)
                    && let Some(&at) = eth_for_d_stroke(&segment.text).first()
                {
                    out.push(ctx.finding(
                        version,
                        segment_idx,
                        Some((at, at + 'Ð'.len_utf8())),
                        "Ð (U+00D0, eth) stands where the Serbian letter Đ (U+0110) belongs".to_string(),
                        Some(segment.text.replace('Ð', "Đ")),
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::checks::tests::expect;

    #[test]
    fn utf8_read_as_cp1252() {
        expect(
            "mojibake",
            &[
                ("sq", "Gjej ⟦njÃ«⟧ fjalÃ« apo frazÃ« nÃ« dokument\nGjej korrispondimin në vazhdim"),
                ("sr", "Pronađite reč ili izraz u dokumentu\nPronađite sledeći izraz"),
            ],
        );
        assert_eq!(repair("Gjej njÃ« fjalÃ« â€œokâ€\u{9d}"), "Gjej një fjalë “ok”");
        assert_eq!(repair("PronaÄ‘ite reÄ\u{8d}"), "Pronađite reč");
    }

    #[test]
    fn c1_controls_and_eth() {
        expect("mojibake", &[("sq", "Komuna e Ferizajt\nKomuna e Gjakovës"), ("sr", "Opština ⟦\u{9a}timlje⟧\nOpština ⟦Ð⟧akovica")]);
    }

    #[test]
    fn clean_letters_are_not_damage() {
        expect("mojibake", &[("sq", "Çdo faqe në sajtin publik. Ëndërr, Ç, ë."), ("sr", "Đakovica, Ćuprija, Čačak, Šid, Žabalj. Ñandú")]);
        assert!(!is_damaged("Æsir Ångström"));
    }
}
