//! `inconsistent-translation`: within one document, the same text translated in different
//! ways, and one translation given for different texts.
//!
//! The reference version (Albanian when there is one, else the first) is compared with each
//! other version. Two segments are the same text when their words are, names and numbers
//! included (case, punctuation and diacritics aside, which are other checks'), and their
//! counterparts are compared the same way. Only segments of three content words or more are judged: a single word
//! ("Open", "Hap") may rightly take two translations in two places.
//!
//! It does not compare documents with each other or with a translation memory.

use std::collections::BTreeMap;

use crate::audit::context::AuditContext;
use crate::model::{Category, Finding, Severity};

use super::{About, Check, Localized, Scope, row_members};

/// Finds the same text translated differently, and one translation for different texts.
pub struct InconsistentTranslation;

/// The fewest content words a segment needs to be judged.
const MIN_CONTENT_WORDS: usize = 3;

/// The wording of `text` with case, punctuation and diacritics set aside but names and
/// numbers kept: two segments with equal keys say the same thing (a stripped diacritic is
/// missing-diacritics', not another text).
fn same_text_key(text: &str) -> String {
    crate::text::fold(text, crate::text::Tier::Diacritics).into_owned()
}

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
         line of the first), and one translation given for two different texts. Texts are the same when their words are \
         (case, punctuation and diacritics aside, names and numbers included); segments of fewer than three content words are not \
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
        let reference = ctx.original();
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
            // One text, different translations. The texts must be the same, names and numbers
            // included; their translations differ when their wording (names and numbers aside) does.
            // Each judged segment's key is folded once, not once a comparison (pairs neither
            // pass below judges keep empty keys, which are never looked up).
            let keys: Vec<(String, String)> = pairs
                .iter()
                .map(|&(r, o)| {
                    let (source, target) = (segment(reference, r), segment(other, o));
                    let judged = (source.content_words >= MIN_CONTENT_WORDS && target.content_words > 0)
                        || (target.content_words >= MIN_CONTENT_WORDS && source.content_words > 0);
                    if judged { (same_text_key(&source.text), same_text_key(&target.text)) } else { (String::new(), String::new()) }
                })
                .collect();
            let mut first_of: BTreeMap<&str, usize> = BTreeMap::new();
            for (idx, &(r, o)) in pairs.iter().enumerate() {
                let (source, target) = (segment(reference, r), segment(other, o));
                if source.content_words < MIN_CONTENT_WORDS || target.content_words == 0 {
                    continue;
                }
                match first_of.get(keys[idx].0.as_str()) {
                    None => {
                        first_of.insert(&keys[idx].0, idx);
                    }
                    Some(&first) if keys[first].1 != keys[idx].1 => {
                        let first_o = pairs[first].1;
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
            // One translation, different texts (likewise).
            let mut first_of: BTreeMap<&str, usize> = BTreeMap::new();
            for (idx, &(r, o)) in pairs.iter().enumerate() {
                let (source, target) = (segment(reference, r), segment(other, o));
                if target.content_words < MIN_CONTENT_WORDS || source.content_words == 0 {
                    continue;
                }
                match first_of.get(keys[idx].1.as_str()) {
                    None => {
                        first_of.insert(&keys[idx].1, idx);
                    }
                    Some(&first) if keys[first].0 != keys[idx].0 => {
                        let (first_r, first_o) = pairs[first];
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
    fn a_source_that_differs_by_a_name_is_another_text() {
        expect(
            "inconsistent-translation",
            &[
                ("sq", "Jepni një identifikues të vlefshëm me shkronja.\nJepni një identifikues të vlefshëm me shkronja Unikod."),
                ("en", "Enter a valid slug of letters.\nEnter a valid slug of Unicode letters."),
            ],
        );
    }

    #[test]
    fn names_numbers_and_short_segments_are_not_judged() {
        expect(
            "inconsistent-translation",
            &[
                (
                    "sq",
                    "Ndërroni temën e faqes sipas dëshirës suaj.\nNderroni temen e faqes sipas deshires suaj.\nHap\nHap\nKomuna e Prizrenit ka 15 fshatra.\nKomuna e Pejës ka 20 fshatra.\nKërkohet fjalëkalimi i ri\nKërkohet fjalëkalimi i ri",
                ),
                (
                    "sr",
                    "Promenite temu stranice po vašoj želji.\nPromenite temu stranice po vašoj želji.\nOtvori\nOtvoreno\nOpština Prizren ima 15 sela.\nOpština Peć ima 20 sela.\nPotrebna je nova lozinka\nPotrebna je Nova Lozinka.",
                ),
            ],
        );
    }
}
