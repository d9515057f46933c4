//! `term-missing`: a term in one version whose approved equivalent is absent from the
//! counterpart segment of another.

use crate::audit::context::AuditContext;
use crate::model::{Category, Finding, Severity};

use super::{About, Check, Localized, Scope};

/// Finds aligned segments where one version uses a term and another version's counterpart
/// has none of that concept's forms.
pub struct TermMissing;

impl Check for TermMissing {
    fn about(&self) -> About {
        About { id: "term-missing", severity: Severity::Warning, category: Category::Terminology, scope: Scope::Versions }
    }

    fn summary(&self) -> Localized {
        Localized {
            en: "The approved translation of a term is missing in this version",
            sq: "Mungon përkthimi i miratuar i një termi në këtë version",
            sr: "Nedostaje odobreni prevod termina u ovoj verziji",
        }
    }

    fn docs(&self) -> &'static str {
        "For every aligned row, finds concepts of the term base (or house terms) that one version's segment uses and \
         another version's counterpart does not render with any of the concept's forms (approved or forbidden: a \
         forbidden form is `term-forbidden`'s). The finding sits in the version that lacks the term; the suggestion is \
         the approved form. Albanian is the reference where present. A warning: a paraphrase can be correct.\n\n\
         **Why** approved equivalents keep institution names and legal terms the same in every official language \
         (DOMAIN.md V2, D9); a missing term often marks a free or machine translation.\n\n\
         **Bad** sq: `Drejtojuni Komisionerit për Gjuhët me shkrim.` sr: `Obratite se kancelariji u pisanoj formi.`\n\n\
         **Good** sr: `Obratite se povereniku za jezike u pisanoj formi.`"
    }

    fn run(&self, ctx: &AuditContext<'_>, out: &mut Vec<Finding>) {
        let terms = &ctx.resources.terms;
        if terms.is_empty() {
            return;
        }
        // Albanian first as the reference, then the others in order.
        let mut order: Vec<usize> = (0..ctx.versions.len()).collect();
        order.sort_by_key(|&v| (ctx.versions[v].lang() != crate::model::lang::Lang::Sq, v));
        for row in &ctx.rows {
            let hits: Vec<Option<&[crate::audit::terms::TermHit]>> = (0..ctx.versions.len())
                .map(|v| {
                    row[v].and_then(|s| {
                        let segment = &ctx.versions[v].segments[s];
                        if segment.foreign.is_some() || segment.damaged { None } else { Some(ctx.term_hits(v, s)) }
                    })
                })
                .collect();
            let mut reported: Vec<(usize, usize)> = Vec::new();
            for &source in &order {
                let Some(source_hits) = &hits[source] else { continue };
                for hit in *source_hits {
                    for target in 0..ctx.versions.len() {
                        if target == source || reported.contains(&(target, hit.rule)) {
                            continue;
                        }
                        let (Some(target_hits), Some(target_segment)) = (&hits[target], row[target]) else { continue };
                        let target_lang = ctx.versions[target].lang();
                        let rule = &terms.rules()[hit.rule];
                        let Some(approved) = rule.approved.get(&target_lang).and_then(|forms| forms.first()) else { continue };
                        if target_hits.iter().any(|other| other.rule == hit.rule) {
                            continue;
                        }
                        reported.push((target, hit.rule));
                        let source_view = &ctx.versions[source];
                        let Some(source_segment) = row[source] else { continue };
                        let written = &source_view.segments[source_segment].text[hit.start..hit.end];
                        out.push(ctx.finding(
                            target,
                            target_segment,
                            None,
                            format!(
                                "the {} version says \"{written}\" here; the approved {} term \"{approved}\" is missing",
                                source_view.lang().code(),
                                target_lang.code()
                            ),
                            Some(approved.clone()),
                        ));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::checks::tests::expect;

    #[test]
    fn a_term_without_its_equivalent() {
        expect("term-missing", &[("sq", "Drejtojuni Komisionerit për Gjuhët me shkrim."), ("sr", "⟦Obratite se kancelariji u pisanoj formi.⟧")]);
    }

    #[test]
    fn equivalents_in_any_accepted_form_are_clean() {
        expect(
            "term-missing",
            &[("sq", "Drejtojuni Komisionerit për Gjuhët.\nJepni fjalëkalimin."), ("sr", "Обратите се поверенику за језике.\nUnesite šifru.")],
        );
    }
}
