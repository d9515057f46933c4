//! `wrong-language`: a segment in a language that is not official here (usually English).

use crate::audit::context::AuditContext;
use crate::model::{Category, Finding, Severity};

use super::{About, Check, Localized, Scope};

/// Finds segments written in a language that is neither their version's nor official in
/// the municipality: typically the English source left in the Albanian or Serbian version.
pub struct WrongLanguage;

impl Check for WrongLanguage {
    fn about(&self) -> About {
        About { id: "wrong-language", severity: Severity::Error, category: Category::Language, scope: Scope::Versions }
    }

    fn summary(&self) -> Localized {
        Localized {
            en: "Text in a language that is not official here (e.g. the English source)",
            sq: "Tekst në një gjuhë që nuk është zyrtare këtu (p.sh. origjinali anglisht)",
            sr: "Tekst na jeziku koji ovde nije službeni (npr. engleski original)",
        }
    }

    fn docs(&self) -> &'static str {
        "Finds segments of a version written in a language that is not official in the municipality, most often the \
         English source text left in place: equal to the English version's counterpart (names and numbers aside), or \
         clearly English (or Turkish where Turkish is not official) by function words, confirmed by language \
         identification. Text in another official language is `untranslated` instead.\n\n\
         **Why** a reader of the Albanian or Serbian version is entitled to the content in that language (Law No. \
         02/L-37 Art. 2); leftover source text is a sign of incomplete or automated translation (DOMAIN.md V2).\n\n\
         **Bad** sq: `Komuna: Klinë` `U ndesh një gabim gjatë marrjes së informacioneve në lidhje me objektivin.` \
         sr: `Opština: Klina` `There was an error getting information about the destination.`\n\n\
         **Good** sr: `Opština: Klina` `Došlo je do greške pri dobavljanju podataka o odredištu.`"
    }

    fn run(&self, ctx: &AuditContext<'_>, out: &mut Vec<Finding>) {
        for (version, view) in ctx.versions.iter().enumerate() {
            for (segment_idx, segment) in view.segments.iter().enumerate() {
                let Some(found) = segment.foreign else { continue };
                if ctx.official(found) {
                    continue;
                }
                out.push(ctx.finding(
                    version,
                    segment_idx,
                    None,
                    format!("this segment of the {} version is in {}", view.lang().english_name(), found.english_name()),
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
    fn english_left_in_the_serbian_version() {
        expect(
            "wrong-language",
            &[
                ("sq", "Komuna: Klinë\nU ndesh një gabim gjatë marrjes së informacioneve në lidhje me objektivin."),
                ("sr", "Општина: Клина\n⟦There was an error getting information about the destination.⟧"),
                ("en", "Municipality: Klinë\nThere was an error getting information about the destination."),
            ],
        );
    }

    #[test]
    fn english_copied_into_albanian_is_found_by_the_copy() {
        expect(
            "wrong-language",
            &[
                ("sq", "Komuna: Dragash\n⟦DVI document has incorrect format⟧"),
                ("sr", "Opština: Dragaš\nDVI dokument ima neispravan oblik"),
                ("en", "Municipality: Dragash\nDVI document has incorrect format"),
            ],
        );
    }

    #[test]
    fn short_english_copies_are_found_by_the_dictionaries() {
        // No function word, too few words for language identification: the copy of the English
        // line, a Serbian or Albanian line that differs, and English words decide.
        let config = with_dictionaries(&[
            ("en_US", &["go", "to", "tab", "unknown", "type", "auto", "hide", "panel", "import", "list"]),
            ("sq_AL", &["auto", "hide", "panel", "import", "lloj", "panjohur"]),
            ("sr_Latn_RS", &["auto", "panel", "import", "idi", "na", "list", "uvezi", "spisak"]),
        ]);
        expect_with(
            "wrong-language",
            &[
                (
                    "sq",
                    "Komuna: Klinë
⟦Go to Tab 7⟧
Lloj MIME i panjohur
⟦Auto hide panel⟧
⟦Import Sametime List...⟧
Frank Reininghaus
https://example.org/help
OK, GNOME",
                ),
                (
                    "sr",
                    "Opština: Klina
Idi na list 7
⟦Unknown MIME Type⟧
Automatski sakrij panel
Uvezi Sametime spisak...
Frank Reininghaus
https://example.org/help
OK, GNOME",
                ),
                (
                    "en",
                    "Municipality: Klina
Go to Tab 7
Unknown MIME Type
Auto hide panel
Import Sametime List...
Frank Reininghaus
https://example.org/help
OK, GNOME",
                ),
            ],
            &config,
        );
    }

    #[test]
    fn borrowed_words_are_not_a_language() {
        expect(
            "wrong-language",
            &[
                ("sq", "Që të instaloni bookmarklet-e, tërhiqeni lidhjen te paneli juaj."),
                ("sr", "Sada možete da izaberete bookmarklet sa bilo koje stranice na sajtu."),
            ],
        );
    }
}
