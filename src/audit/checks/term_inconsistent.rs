//! `term-inconsistent`: one concept rendered by different terms within a version.

use std::collections::BTreeMap;

use crate::audit::context::AuditContext;
use crate::model::{Category, Finding, Severity};

use super::{About, Check, Localized, Scope};

/// Finds concepts that one version renders with more than one of its accepted forms.
pub struct TermInconsistent;

/// How often a form is used, and where first: (count, segment, byte span).
type FormUse = (usize, usize, (usize, usize));

impl Check for TermInconsistent {
    fn about(&self) -> About {
        About { id: "term-inconsistent", severity: Severity::Warning, category: Category::Terminology, scope: Scope::Versions }
    }

    fn summary(&self) -> Localized {
        Localized {
            en: "One concept is rendered by different terms in this version",
            sq: "I njëjti koncept përkthehet me terma të ndryshëm në këtë version",
            sr: "Isti pojam je preveden različitim terminima u ovoj verziji",
        }
    }

    fn docs(&self) -> &'static str {
        "Finds concepts of the term base (or house terms) that one version renders with more than one of its forms, \
         e.g. both `lozinka` and `šifra` for \"password\". The first use of the most frequent form sets the rule; every \
         other form is reported where it first occurs, with the dominant form as suggestion.\n\n\
         **Why** the reader must be able to tell that two passages speak of the same thing; inconsistent terminology \
         is a recurring finding on legal texts (DOMAIN.md V5, D9).\n\n\
         **Bad** sq: `Jepni fjalëkalimin.` `Fjalëkalimi është i gabuar.` `Ndryshoni fjalëkalimin.` \
         sr: `Unesite lozinku.` `Šifra je pogrešna.` `Promenite lozinku.`\n\n\
         **Good** sr: `Unesite lozinku.` `Lozinka je pogrešna.` `Promenite lozinku.`"
    }

    fn run(&self, ctx: &AuditContext<'_>, out: &mut Vec<Finding>) {
        let terms = &ctx.resources.terms;
        if terms.is_empty() {
            return;
        }
        for (version, view) in ctx.versions.iter().enumerate() {
            let mut uses: BTreeMap<usize, BTreeMap<usize, FormUse>> = BTreeMap::new();
            for (segment_idx, segment) in view.segments.iter().enumerate() {
                if segment.foreign.is_some() {
                    continue;
                }
                for hit in ctx.term_hits(version, segment_idx).iter().filter(|hit| !hit.forbidden) {
                    let entry = uses.entry(hit.rule).or_default().entry(hit.form).or_insert((0, segment_idx, (hit.start, hit.end)));
                    entry.0 += 1;
                }
            }
            for (rule, forms) in uses {
                if forms.len() < 2 {
                    continue;
                }
                let (&dominant, _) = forms.iter().max_by(|a, b| a.1.0.cmp(&b.1.0).then(b.1.1.cmp(&a.1.1))).unwrap_or((&0, &(0, 0, (0, 0))));
                let dominant_form = terms.rules()[rule].approved.get(&view.lang()).and_then(|list| list.get(dominant)).cloned();
                for (form, (_, segment_idx, span)) in forms {
                    if form == dominant {
                        continue;
                    }
                    let written = &view.segments[segment_idx].text[span.0..span.1];
                    let message = match &dominant_form {
                        Some(main) => format!("\"{written}\" and \"{main}\" render the same concept in this version; use one"),
                        None => format!("\"{written}\" is one of several renderings of the same concept in this version"),
                    };
                    out.push(ctx.finding(version, segment_idx, Some(span), message, dominant_form.clone()));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::checks::tests::expect;

    #[test]
    fn two_forms_of_one_concept() {
        expect(
            "term-inconsistent",
            &[
                ("sq", "Jepni fjalëkalimin.\nFjalëkalimi është i gabuar.\nNdryshoni fjalëkalimin."),
                ("sr", "Unesite lozinku.\n⟦Šifra⟧ je pogrešna.\nPromenite lozinku."),
            ],
        );
    }

    #[test]
    fn one_form_throughout_is_clean() {
        expect("term-inconsistent", &[("sq", "Jepni fjalëkalimin.\nFjalëkalimi është i gabuar."), ("sr", "Unesite lozinku.\nLozinka je pogrešna.")]);
    }
}
