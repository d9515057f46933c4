//! `untranslated`: a segment left in another official language.

use crate::audit::context::AuditContext;
use crate::model::{Category, Finding, Severity};

use super::{About, Check, Localized, Scope};

/// Finds segments written in another official language than their version's: a copy of
/// the counterpart in the other version, or text that is clearly in that language.
pub struct Untranslated;

impl Check for Untranslated {
    fn about(&self) -> About {
        About { id: "untranslated", severity: Severity::Error, category: Category::Language, scope: Scope::Versions }
    }

    fn summary(&self) -> Localized {
        Localized {
            en: "Text left in another official language (not translated)",
            sq: "Tekst i lënë në gjuhën tjetër zyrtare (i papërkthyer)",
            sr: "Tekst ostavljen na drugom službenom jeziku (nepreveden)",
        }
    }

    fn docs(&self) -> &'static str {
        "Finds segments of one version written in another official language: equal to the counterpart in that \
         language's version (names and numbers aside, at least three words), or clearly in that language by its \
         function words and letters. Which of two equal segments is the copy is decided by the language of the shared \
         text. Text in a language that is not official here (usually English) is `wrong-language`.\n\n\
         **Why** a Serbian version that repeats Albanian paragraphs does not give Serbian speakers the content in their \
         language (Law No. 02/L-37 Art. 2; DOMAIN.md V1, V2).\n\n\
         **Bad** sq: `Komuna: Dragash` `Gjej korrispondimin në vazhdim të tekstit të kërkuar` \
         `Gjej korrispondimin paraardhës të tekstit të kërkuar` sr: `Opština: Dragaš` \
         `Pronađite sledeći izraz u nizu za pretraživanje` `Gjej korrispondimin paraardhës të tekstit të kërkuar` \
         (the Albanian line, copied).\n\n\
         **Good** sr: `Opština: Dragaš` `Pronađite sledeći izraz u nizu za pretraživanje` \
         `Pronađite prethodni izraz u nizu za pretraživanje`."
    }

    fn run(&self, ctx: &AuditContext<'_>, out: &mut Vec<Finding>) {
        for (version, view) in ctx.versions.iter().enumerate() {
            for (segment_idx, segment) in view.segments.iter().enumerate() {
                let Some(found) = segment.foreign else { continue };
                if !ctx.official(found) {
                    continue;
                }
                let how = match segment.copy_of {
                    Some(other) => format!("copies the {} version", ctx.versions[other].lang().english_name()),
                    None => format!("is written in {}", found.english_name()),
                };
                out.push(ctx.finding(
                    version,
                    segment_idx,
                    None,
                    format!("this segment of the {} version {how}; it needs a {} translation", view.lang().english_name(), view.lang().english_name()),
                    None,
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::checks::tests::{expect, expect_with, with_dictionaries};

    #[test]
    fn albanian_left_in_the_serbian_version() {
        expect(
            "untranslated",
            &[
                ("sq", "Komuna: Dragash\nGjej korrispondimin në vazhdim të tekstit të kërkuar\nGjej korrispondimin paraardhës të tekstit të kërkuar"),
                ("sr", "Opština: Dragaš\nPronađite sledeći izraz u nizu za pretraživanje\n⟦Gjej korrispondimin paraardhës të tekstit të kërkuar⟧"),
                ("en", "Municipality: Dragash\nFind next occurrence of the search string\nFind previous occurrence of the search string"),
            ],
        );
    }

    #[test]
    fn serbian_text_in_the_albanian_version_without_a_copy() {
        expect("untranslated", &[("sq", "Vendimi\n⟦Ова одлука ступа на снагу даном објављивања.⟧"), ("sr", "Одлука\nОва одлука ступа на снагу осмог дана.")]);
    }

    #[test]
    fn short_copies_of_the_other_official_version() {
        // Too short to call a copy by wording alone: the dictionaries and the script decide,
        // when a third version writes the line otherwise.
        let config = with_dictionaries(&[
            ("sq_AL", &["cyt", "shtoni", "cytje", "kodim"]),
            ("sr_Latn_RS", &["dodaj", "zasedu"]),
            ("sr_RS", &["зона"]),
            ("en_US", &["add", "pounce", "time", "zone"]),
        ]);
        expect_with(
            "untranslated",
            &[
                (
                    "sq",
                    "Komuna: Junik
Kë Të Cyt
Shtoni Cytje
⟦Вр. зона (УТЦ)⟧
Frank Reininghaus
OK
Kodim UTF-8",
                ),
                (
                    "sr",
                    "Opština: Junik
⟦Kë Të Cyt⟧
⟦Shtoni Cytje⟧
Vr. zona (UTC)
Frank Reininghaus
OK
Kodim UTF-8",
                ),
                (
                    "en",
                    "Municipality: Junik
Pounce on
Add Pounce
Time zone (UTC)
Frank Reininghaus
OK
Kodim UTF-8",
                ),
            ],
            &config,
        );
    }

    #[test]
    fn translations_and_shared_names_are_clean() {
        expect(
            "untranslated",
            &[("sq", "Komuna: Junik\nJunik\nE pamundur heqja e kartelës së origjinës."), ("sr", "Opština: Junik\nJunik\nNe mogu da uklonim izvornu fasciklu.")],
        );
    }
}
