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
         diacritics, in either Serbian script and inflected. The suggestion is the approved form. The term base's \
         deprecated and superseded forms are reported only where an aligned version names the concept (they are often \
         ordinary words in another sense); a former name whose usage note dates its replacement is information in a \
         document not dated after it (the policy's `document_date`, else the latest date the document writes); a \
         deprecated word inside a fixed phrase its note names (\"correct in\") is not reported.\n\n\
         **Why** institutions' names and legal terms have approved equivalents in each official language; \
         \"terminologically flawed\" translations are among the most reported defects (DOMAIN.md V2, V5, D9).\n\n\
         **Bad** sr-Latn: `Obratite se povjereniku za jezike.` (ijekavian, deprecated in the shipped term base)\n\n\
         **Good** sr-Latn: `Obratite se povereniku za jezike.`"
    }

    /// The term base's forbidden, deprecated or superseded terms, with the preferred term
    /// ([`check_forbidden`]).
    fn detect(&self, text: &str, lang: LangTag, refs: &TextRefs<'_>) -> Vec<Issue> {
        let Some(index) = refs.terms else { return Vec::new() };
        // Information (a former name in an older text) is not a defect of this text.
        check_forbidden(index, text, lang)
            .into_iter()
            .filter(|finding| !finding.informational)
            .map(|finding| Issue::new(self.id(), finding.start..finding.end, finding.message, "Term not to be used", finding.suggestion))
            .collect()
    }

    fn run(&self, ctx: &AuditContext<'_>, out: &mut Vec<Finding>) {
        let terms = &ctx.resources.terms;
        if terms.is_empty() {
            return;
        }
        // The document's date: the policy's, else the latest full date any version writes
        // (a document cannot cite a later date than its own).
        let document_date = ctx
            .config
            .document_date
            .or_else(|| ctx.versions.iter().flat_map(|view| &view.segments).filter_map(|segment| crate::termbase::latest_date(&segment.text)).max());
        for (version, view) in ctx.versions.iter().enumerate() {
            for (segment_idx, segment) in view.segments.iter().enumerate() {
                if segment.foreign.is_some() {
                    continue;
                }
                for hit in ctx.term_hits(version, segment_idx).iter().filter(|hit| hit.forbidden) {
                    let rule = &terms.rules()[hit.rule];
                    let form = rule.forbidden.get(&view.lang()).and_then(|forms| forms.get(hit.form));
                    // A deprecated word inside a fixed phrase its note names is right there.
                    if let Some(phrases) = form.and_then(|form| rule.correct_in.get(form))
                        && crate::termbase::phrase_covering(&segment.text, hit.start..hit.end, phrases).is_some()
                    {
                        continue;
                    }
                    // A deprecated or superseded form is often an ordinary word in another sense:
                    // where other versions have a counterpart segment, it is reported only when
                    // one of them names the concept (in any of its forms).
                    if form.is_some_and(|form| rule.where_named.contains(form)) && !named_alongside(ctx, version, segment_idx, hit.rule) {
                        continue;
                    }
                    let approved = rule.approved.get(&view.lang()).and_then(|forms| forms.first()).cloned();
                    let written = &segment.text[hit.start..hit.end];
                    let use_instead = approved.as_deref().map(|form| format!("; use \"{form}\"")).unwrap_or_default();
                    let change = form.and_then(|form| rule.replaced.get(form));
                    let (message, severity) = match (change, document_date) {
                        (Some(change), Some(date)) if date.is_after(change.date) => {
                            (format!("\"{written}\" is a former name, {change}, before this document's date {date}{use_instead}"), Severity::Error)
                        }
                        (Some(change), _) => {
                            (format!("\"{written}\" is a former name, {change}; right in texts from before then{use_instead} in later ones"), Severity::Info)
                        }
                        (None, _) => (format!("\"{written}\" is a forbidden form{use_instead}"), Severity::Error),
                    };
                    let mut finding = ctx.finding(version, segment_idx, Some((hit.start, hit.end)), message, approved);
                    finding.severity = severity;
                    out.push(finding);
                }
            }
        }
    }
}

/// True when segment `segment_idx` of `version` has no counterpart in another version, or
/// when a counterpart names the concept of rule `rule_idx`.
fn named_alongside(ctx: &AuditContext<'_>, version: usize, segment_idx: usize, rule_idx: usize) -> bool {
    let mut has_counterpart = false;
    for other in 0..ctx.versions.len() {
        if other == version {
            continue;
        }
        let Some(counterpart) = ctx.counterpart(version, segment_idx, other) else { continue };
        has_counterpart = true;
        if ctx.term_hits(other, counterpart).iter().any(|hit| hit.rule == rule_idx) {
            return true;
        }
    }
    !has_counterpart
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
