//! `term-forbidden`: a term form that the term base or the house terms forbid.

use crate::audit::context::AuditContext;
use crate::model::{Category, Finding, Severity};

use super::{About, Check, Issue, Localized, Scope, TextRefs};
use crate::model::lang::LangTag;
use crate::termbase::check_forbidden;

/// Finds forbidden term forms (rejected translations, deprecated names of institutions).
pub struct TermForbidden;

impl Check for TermForbidden {
    fn about(&self) -> About {
        About { id: "term-forbidden", severity: Severity::Error, category: Category::Terminology, scope: Scope::Text }
    }

    fn issue_type(&self) -> &'static str {
        "terminology"
    }

    fn summary(&self) -> Localized {
        Localized { en: "A forbidden term is used", sq: "Përdoret një term i ndaluar", sr: "Upotrebljen je zabranjen termin" }
    }

    fn docs(&self) -> &'static str {
        "Finds term forms that the term base or the configuration's house terms mark as forbidden for the version's \
         language (rejected translations, calques, deprecated names of institutions), in any case, with or without \
         diacritics, in either Serbian script and inflected. The suggestion is the approved form.\n\n\
         **Why** institutions' names and legal terms have approved equivalents in each official language; \
         \"terminologically flawed\" translations are among the most reported defects (DOMAIN.md V2, V5, D9).\n\n\
         **Bad** sr-Latn: `Obratite se povjereniku za jezike.` (ijekavian, deprecated in the shipped term base)\n\n\
         **Good** sr-Latn: `Obratite se povereniku za jezike.`"
    }

    /// The term base's forbidden, deprecated or superseded terms, with the preferred term
    /// ([`check_forbidden`]).
    fn detect(&self, text: &str, lang: LangTag, refs: &TextRefs<'_>) -> Vec<Issue> {
        let Some(index) = refs.terms else { return Vec::new() };
        check_forbidden(index, text, lang)
            .into_iter()
            .map(|finding| Issue::new(self.id(), finding.start..finding.end, finding.message, "Term not to be used", finding.suggestion))
            .collect()
    }

    fn run(&self, ctx: &AuditContext<'_>, out: &mut Vec<Finding>) {
        let terms = &ctx.resources.terms;
        if terms.is_empty() {
            return;
        }
        for (version, view) in ctx.versions.iter().enumerate() {
            for (segment_idx, segment) in view.segments.iter().enumerate() {
                if segment.foreign.is_some() {
                    continue;
                }
                for hit in terms.find(&segment.text, view.lang()).into_iter().filter(|hit| hit.forbidden) {
                    let rule = &terms.rules()[hit.rule];
                    let approved = rule.approved.get(&view.lang()).and_then(|forms| forms.first()).cloned();
                    let written = &segment.text[hit.start..hit.end];
                    let message = match &approved {
                        Some(form) => format!("\"{written}\" is a forbidden form; use \"{form}\""),
                        None => format!("\"{written}\" is a forbidden form"),
                    };
                    out.push(ctx.finding(version, segment_idx, Some((hit.start, hit.end)), message, approved));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::checks::tests::expect;

    #[test]
    fn forbidden_forms_in_any_script() {
        expect(
            "term-forbidden",
            &[("sq", "Drejtojuni Komisionerit për Gjuhët.\nFjalëkalimi është i gabuar."), ("sr", "Obratite se ⟦jezičkom komesaru⟧.\n⟦Пасворд⟧ није исправан.")],
        );
    }

    #[test]
    fn approved_forms_are_clean() {
        expect("term-forbidden", &[("sq", "Drejtojuni Komisionerit për Gjuhët."), ("sr", "Obratite se povereniku za jezike.")]);
    }
}
