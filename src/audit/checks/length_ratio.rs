//! `length-ratio`: a segment far longer or shorter than its counterpart, relative to the
//! document's usual ratio (a triage flag).

use crate::audit::context::AuditContext;
use crate::model::lang::Lang;
use crate::model::{Category, Finding, Severity};

use super::{About, Check, Localized, Scope};

/// Flags aligned segments whose length ratio to the reference version departs from the
/// document's median ratio by more than the configured factor.
pub struct LengthRatio;

/// Segments shorter than this (in characters, the longer of the pair) are not judged:
/// short labels vary too much.
const MIN_CHARS: usize = 40;

impl Check for LengthRatio {
    fn about(&self) -> About {
        About { id: "length-ratio", severity: Severity::Warning, category: Category::Quality, scope: Scope::Versions }
    }

    fn summary(&self) -> Localized {
        Localized {
            en: "Much longer or shorter than its counterpart: check for a partial or machine translation",
            sq: "Shumë më i gjatë ose më i shkurtër se homologu: kontrolloni për përkthim të pjesshëm ose automatik",
            sr: "Mnogo duže ili kraće od odgovarajućeg dela: proverite da li je prevod delimičan ili mašinski",
        }
    }

    fn docs(&self) -> &'static str {
        "Flags segments whose length, relative to the counterpart in the reference version (Albanian where present), \
         departs from the document's median ratio by more than a factor (`length_ratio` in the configuration, 2.5 by \
         default), when the longer of the two has at least 40 characters. It is a triage flag for a person to look \
         at, not a verdict: a warning by default.\n\n\
         **Why** partial and machine translations are among the most reported defects (\"incomprehensible, \
         grammatically incorrect\", DOMAIN.md V2, D10); a translation a third as long as its source usually leaves \
         something out.\n\n\
         **Bad** sq: `Ju lutemi, për hir të sigurisë, jepni fjalëkalimin tuaj të vjetër dhe mandej jepeni dy herë \
         fjalëkalimin tuaj të ri.` sr: `Unesite lozinku.`\n\n\
         **Good** sr: `Iz bezbednosnih razloga prvo unesite staru lozinku, a zatim dva puta novu.`"
    }

    fn run(&self, ctx: &AuditContext<'_>, out: &mut Vec<Finding>) {
        let Some(reference) = ctx.versions.iter().position(|v| v.lang() == Lang::Sq).or(if ctx.versions.is_empty() { None } else { Some(0) }) else { return };
        let factor = ctx.config.length_ratio.max(1.01);
        for version in 0..ctx.versions.len() {
            if version == reference {
                continue;
            }
            // (segment in this version, its length, the reference segment's length)
            let pairs: Vec<(usize, usize, usize)> = ctx
                .rows
                .iter()
                .filter_map(|row| {
                    let (a, b) = (row[reference]?, row[version]?);
                    let (sa, sb) = (&ctx.versions[reference].segments[a], &ctx.versions[version].segments[b]);
                    if sa.damaged || sb.damaged || sa.foreign.is_some() || sb.foreign.is_some() {
                        return None;
                    }
                    Some((b, sa.text.chars().count(), sb.text.chars().count()))
                })
                .collect();
            if pairs.len() < 3 {
                continue;
            }
            let mut ratios: Vec<f64> = pairs.iter().map(|&(_, la, lb)| (lb as f64 + 1.0) / (la as f64 + 1.0)).collect();
            ratios.sort_by(f64::total_cmp);
            let median = ratios[ratios.len() / 2];
            for &(b, la, lb) in &pairs {
                if la.max(lb) < MIN_CHARS {
                    continue;
                }
                let relative = (lb as f64 + 1.0) / (la as f64 + 1.0) / median;
                if relative <= factor && relative >= 1.0 / factor {
                    continue;
                }
                let reference_lang = ctx.versions[reference].lang().code();
                let what = if relative > 1.0 { "longer" } else { "shorter" };
                let shown = if relative > 1.0 { relative } else { 1.0 / relative };
                out.push(ctx.finding(
                    version,
                    b,
                    None,
                    format!("{shown:.1} times {what} than usual relative to the {reference_lang} segment ({lb} against {la} characters); check for a partial or machine translation"),
                    None,
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::checks::tests::expect;

    const SQ: &str = "Komuna: Dragash\n\
        Ju lutemi, për hir të sigurisë, jepni fjalëkalimin tuaj të vjetër dhe mandej jepeni dy herë fjalëkalimin tuaj të ri.\n\
        Fjalëkalimi juaj u caktua. Mund të vazhdoni më tej dhe të bëni hyrjen tani.\n\
        Lidhja për ricaktimin e fjalëkalimit qe e pavlefshme, ndoshta ngaqë është përdorur tashmë një herë.\n\
        Faleminderit që harxhoni pak kohë me sajtin sot.";

    #[test]
    fn a_truncated_translation() {
        expect(
            "length-ratio",
            &[
                ("sq", SQ),
                (
                    "sr",
                    "Opština: Dragaš\n⟦Unesite lozinku.⟧\nVaša lozinka je postavljena. Možete se prijaviti.\n\
                     Link za resetovanje lozinke nije važeći, verovatno zato što je već iskorišćen.\nHvala što ste danas proveli vreme na sajtu.",
                ),
            ],
        );
    }

    #[test]
    fn ordinary_translations_are_clean() {
        expect(
            "length-ratio",
            &[
                ("sq", SQ),
                (
                    "sr",
                    "Opština: Dragaš\nIz bezbednosnih razloga prvo unesite svoju staru lozinku, a novu zatim unesite dva puta.\n\
                     Vaša lozinka je postavljena. Možete se prijaviti.\n\
                     Link za resetovanje lozinke nije važeći, verovatno zato što je već iskorišćen.\nHvala što ste danas proveli vreme na sajtu.",
                ),
            ],
        );
    }
}
