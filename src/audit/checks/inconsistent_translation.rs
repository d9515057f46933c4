//! `inconsistent-translation`: within one document, the same text translated in different
//! ways, and one translation given for different texts.
//!
//! The reference version (Albanian when there is one, else the first) is compared with each
//! other version, by the segments' content keys (wording with names, numbers and punctuation
//! set aside, case-folded; see `audit::context::content_key`), so a changed number or name is
//! another check's. Only segments of three content words or more are judged: a single word
//! ("Open", "Hap") may rightly take two translations in two places.
//!
//! It does not compare documents with each other or with a translation memory.

use std::collections::BTreeMap;

use crate::audit::context::AuditContext;
use crate::model::lang::Lang;
use crate::model::{Category, Finding, Severity};

use super::{About, Check, Localized, Scope, row_members};

/// Finds the same text translated differently, and one translation for different texts.
pub struct InconsistentTranslation;

/// The fewest content words a segment needs to be judged.
const MIN_CONTENT_WORDS: usize = 3;

impl Check for InconsistentTranslation {
    fn about(&self) -> About {
        About { id: "inconsistent-translation", severity: Severity::Warning, category: Category::Consistency, scope: Scope::Versions }
    }

    fn issue_type(&self) -> &'static str {
        "inconsistency"
    }

    fn summary(&self) -> Localized {
        Localized {
            en: "The same text is translated differently, or one translation stands for different texts",
            sq: "I njëjti tekst është përkthyer ndryshe, ose një përkthim qëndron për tekste të ndryshme",
            sr: "Isti tekst je preveden različito, ili jedan prevod stoji za različite tekstove",
        }
    }

    fn docs(&self) -> &'static str {
        "Within one document, compares the reference version (Albanian, else the first) with each other version: a \
         text that occurs twice or more and is translated differently (the later translation is reported, with the \
         line of the first), and one translation given for two different texts. Wording is compared with names, \
         numbers and punctuation set aside and case ignored; segments of fewer than three content words are not \
         judged, since a single word may rightly take two translations.\n\n\
         **Why** a reader who meets one provision in two wordings asks whether they mean two things; consistent \
         terminology is what makes versions equally authentic.\n\n\
         **Bad** sq: `Kërkesa dorëzohet në zyrën e pritjes.` `Afati është pesë ditë.` `Kërkesa dorëzohet në zyrën e \
         pritjes.` sr: `Zahtev se podnosi u prijemnoj kancelariji.` `Rok je pet dana.` `Molba se predaje na šalteru \
         prijema.`\n\n\
         **Good** sr: `Zahtev se podnosi u prijemnoj kancelariji.` `Rok je pet dana.` `Zahtev se podnosi u prijemnoj \
         kancelariji.`"
    }

    fn run(&self, ctx: &AuditContext<'_>, out: &mut Vec<Finding>) {
        let reference = ctx.versions.iter().position(|view| view.lang() == Lang::Sq).unwrap_or(0);
        let reference_lang = ctx.versions[reference].lang().code();
        for other in (0..ctx.versions.len()).filter(|&v| v != reference) {
            // (reference segment, other segment) pairs of the rows where both are judged.
            let pairs: Vec<(usize, usize)> = ctx
                .rows
                .iter()
                .filter_map(|row| {
                    let members = row_members(ctx, row);
                    let find = |version: usize| members.iter().find(|(v, _)| *v == version).map(|(_, s)| *s);
                    Some((find(reference)?, find(other)?))
                })
                .collect();
            let segment = |version: usize, idx: usize| &ctx.versions[version].segments[idx];
            // One text, different translations.
            let mut first_of: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
            for &(r, o) in &pairs {
                let (source, target) = (segment(reference, r), segment(other, o));
                if source.content_words < MIN_CONTENT_WORDS || target.content_words == 0 {
                    continue;
                }
                match first_of.get(source.content_key.as_str()) {
                    None => {
                        first_of.insert(&source.content_key, (r, o));
                    }
                    Some(&(_, first_o)) if segment(other, first_o).content_key != target.content_key => {
                        out.push(ctx.finding(
                            other,
                            o,
                            None,
                            format!(
                                "the {reference_lang} text of line {} is translated differently on line {}: {:?}",
                                segment(reference, r).line,
                                segment(other, first_o).line,
                                crate::audit::context::shorten(&segment(other, first_o).text, 80)
                            ),
                            None,
                        ));
                    }
                    Some(_) => {}
                }
            }
            // One translation, different texts.
            let mut first_of: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
            for &(r, o) in &pairs {
                let (source, target) = (segment(reference, r), segment(other, o));
                if target.content_words < MIN_CONTENT_WORDS || source.content_words == 0 {
                    continue;
                }
                match first_of.get(target.content_key.as_str()) {
                    None => {
                        first_of.insert(&target.content_key, (r, o));
                    }
                    Some(&(first_r, first_o)) if segment(reference, first_r).content_key != source.content_key => {
                        out.push(ctx.finding(
                            other,
                            o,
                            None,
                            format!(
                                "the same translation stands on line {} for a different {reference_lang} text: {:?} there, {:?} here",
                                segment(other, first_o).line,
                                crate::audit::context::shorten(&segment(reference, first_r).text, 80),
                                crate::audit::context::shorten(&source.text, 80)
                            ),
                            None,
                        ));
                    }
                    Some(_) => {}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::checks::tests::expect;

    #[test]
    fn one_text_two_translations_and_one_translation_two_texts() {
        expect(
            "inconsistent-translation",
            &[
                (
                    "sq",
                    "Kërkesa dorëzohet në zyrën e pritjes.\nAfati është pesë ditë.\nKërkesa dorëzohet në zyrën e pritjes.\nAnkesa shqyrtohet nga komisioni.\nAnkesa trajtohet nga komisioni.",
                ),
                (
                    "sr",
                    "Zahtev se podnosi u prijemnoj kancelariji.\nRok je pet dana.\n⟦⟧Molba se predaje na šalteru prijema.\nŽalbu razmatra komisija.\n⟦⟧Žalbu razmatra komisija.",
                ),
            ],
        );
    }

    #[test]
    fn names_numbers_and_short_segments_are_not_judged() {
        expect(
            "inconsistent-translation",
            &[
                ("sq", "Hap\nHap\nKomuna e Prizrenit ka 15 fshatra.\nKomuna e Pejës ka 20 fshatra."),
                ("sr", "Otvori\nOtvoreno\nOpština Prizren ima 15 sela.\nOpština Peć ima 20 sela."),
            ],
        );
    }
}
