//! `length-ratio`: a segment far longer or shorter than its counterpart, relative to the
//! document's usual ratio (a triage flag).

use crate::audit::context::AuditContext;
use crate::model::lang::Lang;
use crate::model::{Category, Finding, Severity};

use super::{About, Check, Localized, Scope};

/// Flags aligned segments whose length ratio to their counterparts departs from the
/// document's median ratio by more than the configured factor: with two versions the
/// translation, with three or more the version that departs most from the others as a whole,
/// when it departs from one of them by more than the factor.
pub struct LengthRatio;

/// Segments shorter than this (in characters, the longer of the pair) are not judged:
/// short labels vary too much.
const MIN_CHARS: usize = 40;

/// One segment of a row: (version, segment, its departure from each other version's
/// counterpart as ((version, segment), ratio), its departure from them as a whole).
type Judged = (usize, usize, Vec<((usize, usize), f64)>, f64);

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
        "Flags segments whose length, relative to their counterparts, departs from the document's median ratio \
         for that pair of versions by more than a factor (`length_ratio` in the configuration, 2.5 by \
         default), when the longer of the two has at least 40 characters. It is a triage flag for a person to look \
         at, not a verdict: a warning by default. With two versions the translation is flagged (the original is \
         `source` in the configuration, else the source side of a bilingual file, else Albanian); with three or more, \
         the version that departs most from the others as a whole (the geometric mean of its ratios) when it departs from one of them by more than the factor, so a truncated Albanian segment is flagged in Albanian, not \
         in its two complete counterparts.\n\n\
         **Why** partial and machine translations are among the most reported defects (\"incomprehensible, \
         grammatically incorrect\", DOMAIN.md V2, D10); a translation a third as long as its source usually leaves \
         something out.\n\n\
         **Bad** sq: `Ju lutemi, për hir të sigurisë, jepni fjalëkalimin tuaj të vjetër dhe mandej jepeni dy herë \
         fjalëkalimin tuaj të ri.` sr: `Unesite lozinku.`\n\n\
         **Good** sr: `Iz bezbednosnih razloga prvo unesite staru lozinku, a zatim dva puta novu.`"
    }

    fn run(&self, ctx: &AuditContext<'_>, out: &mut Vec<Finding>) {
        let width = ctx.versions.len();
        let factor = ctx.config.length_ratio.max(1.01);
        let usable = |version: usize, segment: usize| {
            let seg = &ctx.versions[version].segments[segment];
            !seg.damaged && seg.foreign.is_none()
        };
        let chars = |version: usize, segment: usize| ctx.versions[version].segments[segment].text.chars().count();
        // The document's usual length of `b` per character of `a`, for every pair of versions
        // with at least three usable counterparts.
        let mut median = vec![vec![None; width]; width];
        for a in 0..width {
            for b in 0..width {
                if a == b {
                    continue;
                }
                let mut ratios: Vec<f64> = ctx
                    .rows
                    .iter()
                    .filter_map(|row| {
                        let (sa, sb) = (row[a]?, row[b]?);
                        (usable(a, sa) && usable(b, sb)).then(|| (chars(b, sb) as f64 + 1.0) / (chars(a, sa) as f64 + 1.0))
                    })
                    .collect();
                if ratios.len() >= 3 {
                    ratios.sort_by(f64::total_cmp);
                    median[a][b] = Some(ratios[ratios.len() / 2]);
                }
            }
        }
        let original = ctx.original();
        for row in &ctx.rows {
            let present: Vec<(usize, usize)> = row.iter().enumerate().filter_map(|(v, cell)| cell.map(|s| (v, s))).filter(|&(v, s)| usable(v, s)).collect();
            // How far `b`'s segment departs from its usual length relative to `a`'s (1.0: as usual).
            let relative = |(a, sa): (usize, usize), (b, sb): (usize, usize)| -> Option<f64> {
                let (la, lb) = (chars(a, sa), chars(b, sb));
                if la.max(lb) < MIN_CHARS {
                    return None;
                }
                Some((lb as f64 + 1.0) / (la as f64 + 1.0) / median[a][b]?)
            };
            let off = |value: f64| value > factor || value < 1.0 / factor;
            let mut judged: Vec<Judged> = Vec::new();
            for &(version, segment) in &present {
                let others: Vec<((usize, usize), f64)> =
                    present.iter().filter(|&&(v, _)| v != version).filter_map(|&other| Some((other, relative(other, (version, segment))?))).collect();
                if others.is_empty() {
                    continue;
                }
                // The geometric mean of its departures from the others.
                let overall = (others.iter().map(|&(_, value)| value.ln()).sum::<f64>() / others.len() as f64).exp();
                judged.push((version, segment, others, overall));
            }
            let blamed = match judged.len() {
                0 | 1 => None,
                // Two versions: the translation is the one to look at, not the original.
                2 => {
                    let (a, b) = (judged[0].0, judged[1].0);
                    let translation = if a == original {
                        1
                    } else if b == original || ctx.versions[a].lang() == Lang::Sq {
                        0
                    } else {
                        usize::from(ctx.versions[b].lang() != Lang::Sq)
                    };
                    Some(translation)
                }
                // Three or more: the version that departs most from the others as a whole.
                _ => judged.iter().enumerate().max_by(|x, y| x.1.3.ln().abs().total_cmp(&y.1.3.ln().abs())).map(|(idx, _)| idx),
            };
            // Flagged when it departs from at least one counterpart by more than the factor.
            if let Some(idx) = blamed
                && judged[idx].2.iter().any(|&(_, value)| off(value))
            {
                let (version, segment, ref others, _) = judged[idx];
                let &((reference, reference_segment), value) = others.iter().find(|((v, _), _)| *v == original).unwrap_or(&others[0]);
                let (la, lb) = (chars(reference, reference_segment), chars(version, segment));
                let reference_lang = ctx.versions[reference].lang().code();
                let what = if value > 1.0 { "longer" } else { "shorter" };
                let shown = if value > 1.0 { value } else { 1.0 / value };
                out.push(ctx.finding(
                    version,
                    segment,
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
    fn with_three_versions_the_one_that_departs_is_flagged() {
        expect(
            "length-ratio",
            &[
                (
                    "sq",
                    "Komuna: Dragash\n⟦Jepni fjalëkalimin.⟧\nFjalëkalimi juaj u caktua. Mund të vazhdoni më tej dhe të bëni hyrjen tani.\n\
                     Lidhja për ricaktimin e fjalëkalimit qe e pavlefshme, ndoshta ngaqë është përdorur tashmë një herë.\n\
                     Faleminderit që harxhoni pak kohë me sajtin sot.",
                ),
                (
                    "sr",
                    "Opština: Dragaš\nIz bezbednosnih razloga prvo unesite svoju staru lozinku, a novu zatim unesite dva puta.\n\
                     Vaša lozinka je postavljena. Možete se prijaviti.\n\
                     Link za resetovanje lozinke nije važeći, verovatno zato što je već iskorišćen.\nHvala što ste danas proveli vreme na sajtu.",
                ),
                (
                    "en",
                    "Municipality: Dragash\nFor security's sake, please enter your old password, and then enter your new password twice.\n\
                     Your password has been set. You may go ahead and log in now.\n\
                     The password reset link was invalid, possibly because it has already been used.\nThanks for spending some quality time with the web site today.",
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
