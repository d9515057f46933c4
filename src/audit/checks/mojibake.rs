//! `mojibake`: text damaged by a wrong character encoding, and Ð written for Đ.

use crate::audit::context::AuditContext;
use crate::model::{Category, Finding, Severity};
use crate::text::mojibake::{DefectKind, detect};

use super::{About, Check, Issue, Localized, Scope, TextRefs};
use crate::model::lang::LangTag;

/// Finds UTF-8 text decoded as Windows-1252 or Latin-1 ("Ã«" for ë, "Ä‡" for ć), C1 control
/// characters (Windows-1252 read as Latin-1), and Ð (U+00D0) standing for Đ (U+0110).
pub struct Mojibake;

/// The damaged runs of `text` (byte ranges) with their repair, adjacent damage merged so one
/// damaged word is one run; Ð-for-Đ is not counted here (see [`eth_for_d_stroke`]).
pub fn damaged_runs(text: &str) -> Vec<(usize, usize, String)> {
    let mut merged: Vec<(usize, usize, String)> = Vec::new();
    for defect in detect(text).into_iter().filter(|defect| defect.kind != DefectKind::EthForDje) {
        let repaired = defect.suggestion.unwrap_or_default();
        match merged.last_mut() {
            Some(last) if last.1 == defect.start => {
                last.1 = defect.end;
                last.2.push_str(&repaired);
            }
            _ => merged.push((defect.start, defect.end, repaired)),
        }
    }
    merged
}

/// True when `text` shows encoding damage (other than Ð for Đ, which leaves it readable).
pub fn is_damaged(text: &str) -> bool {
    detect(text).iter().any(|defect| defect.kind != DefectKind::EthForDje)
}

/// `text` with every damaged run repaired.
pub fn repair(text: &str) -> String {
    crate::text::mojibake::repair(text).into_owned()
}

/// Byte offsets of Ð/ð standing for Đ/đ.
fn eth_for_d_stroke(text: &str) -> Vec<usize> {
    detect(text).into_iter().filter(|defect| defect.kind == DefectKind::EthForDje).map(|defect| defect.start).collect()
}

impl Check for Mojibake {
    fn about(&self) -> About {
        About { id: "mojibake", severity: Severity::Error, category: Category::Orthography, scope: Scope::Text }
    }

    fn issue_type(&self) -> &'static str {
        "characters"
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
         **Bad** sq: `Gjej njÃ« fjalÃ« apo frazÃ« nÃ« dokument`\n\n\
         **Good** sq: `Gjej një fjalë apo frazë në dokument`"
    }

    fn detect(&self, text: &str, _lang: LangTag, _refs: &TextRefs<'_>) -> Vec<Issue> {
        detect(text)
            .into_iter()
            .map(|defect| {
                let message = format!("{:?} is damaged text ({})", defect.found, defect.kind.describe());
                Issue::new(self.id(), defect.start..defect.end, message, "Wrong character encoding", defect.suggestion)
            })
            .collect()
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
                if let Some(&at) = eth_for_d_stroke(&segment.text).first() {
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
        assert!(!is_damaged("SÃO PAULO"));
    }
}
