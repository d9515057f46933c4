//! `inconsistent-translation`: the same text translated in different ways, and one
//! translation given for different texts, within one document; and, when the caller gives
//! them ([`Resources::folder`](crate::audit::Resources::folder),
//! [`Resources::memory`](crate::audit::Resources::memory)), the same text translated
//! differently than in an earlier document of the folder or than in the translation memory.
//!
//! The original ([`AuditContext::original`]: the configured source, else the source side of a
//! bilingual file, else Albanian) is compared with each other version. Two segments are the
//! same text when their words are, names and numbers included (case, punctuation, diacritics
//! and Serbian script aside, which are other checks'; [`text_key`]). Two translations differ
//! when their texts do and their wordings too, names and numbers aside ([`differs`]: a number
//! or a name that differs is number-mismatch's or place-name's). Only segments of three content
//! words or more are judged: a single word ("Open", "Hap") may rightly take two translations in
//! two places.
//!
//! A segment gets one finding at most: against its document first, else against the folder,
//! else against the TM. Across a folder the finding is placed on the later document (in the
//! folder's order), naming the earlier one's file and line; the earlier one is not changed.
//! Across documents and against the TM only "one text, different translations" is judged: one
//! translation for two texts is a matter of one document's wording.

use std::collections::BTreeMap;

use crate::audit::DocumentTranslation;
use crate::audit::context::{AuditContext, shorten};
use crate::audit::translations::{KnownTranslation, MIN_CONTENT_WORDS, Origin, differs, text_key, wording_key};
use crate::model::{Category, Finding, Severity};

use super::{About, Check, Localized, Scope};

/// Finds the same text translated differently, and one translation for different texts.
pub struct InconsistentTranslation;

/// An aligned pair of the original's segment and a translation's, with their keys.
struct Pair {
    /// The original's segment.
    source: usize,
    /// The translation's segment.
    target: usize,
    /// The source judged as a text that is translated (enough content words on its side).
    source_judged: bool,
    /// The target judged as a translation that stands for one text.
    target_judged: bool,
    /// [`text_key`] of the source (empty when neither side is judged).
    source_key: String,
    /// [`text_key`] of the target (likewise).
    target_key: String,
    /// [`shape_key`] of the target (likewise).
    target_shape: String,
    /// The target is the original copied as it stands: no translation, which `untranslated`
    /// reports; it is never reported here, though another translation may be held to it.
    copy: bool,
}

/// The segments of a row that are compared: every readable one, also when it is left in
/// another language (two copies of one English text that differ are two translations all the
/// same; the language is the language checks' finding).
fn readable_members(ctx: &AuditContext<'_>, row: &[Option<usize>]) -> Vec<(usize, usize)> {
    row.iter()
        .enumerate()
        .filter_map(|(version, cell)| cell.map(|segment| (version, segment)))
        .filter(|&(version, segment)| !ctx.versions[version].segments[segment].damaged)
        .collect()
}

/// Words of a segment, names included: what decides whether a text is long enough to judge
/// ("Show MATE Terminal options" is four words, though two of them are names).
fn all_words(text: &str) -> usize {
    // An accelerator mark splits no word ("Re_versed Order" is two words).
    crate::audit::vocabulary::words(&text.replace(['_', '&'], "")).count()
}

/// The wording of a translation with each name kept as a slot: words in small letters, a
/// capitalised word inside a sentence as `0`, placeholders and numbers left out. Two
/// translations with another name in one slot ("Prishtina", "Prishtinë") have one shape; a
/// translation that lost a name or a sentence's first word ("Marrëveshja e Kyçeve dështoi",
/// "Marrëveshja e dështoi") has another, which [`wording_key`] alone, setting names aside, does
/// not see.
fn shape_key(text: &str) -> String {
    let codes: Vec<(usize, usize)> = crate::text::placeholders::placeholders(text).into_iter().map(|found| (found.start, found.end)).collect();
    let mut shape = String::with_capacity(text.len());
    for (start, word) in crate::audit::vocabulary::words(text) {
        if codes.iter().any(|&(code_start, code_end)| (code_start..code_end).contains(&start)) {
            continue;
        }
        // A sentence, a path's step or a menu item starts after these; quotes, brackets and
        // accelerator marks in between do not count.
        let before =
            text[..start].chars().rev().find(|c| !(c.is_whitespace() || matches!(c, '_' | '&' | '"' | '\'' | '(' | '[' | '„' | '“' | '«' | '‘' | '*')));
        let first = before.is_none_or(|c| matches!(c, '.' | '!' | '?' | ':' | '/' | '…' | ';' | '>' | '|'));
        if !shape.is_empty() {
            shape.push(' ');
        }
        if word.chars().next().is_some_and(char::is_uppercase) && !first {
            shape.push('0');
        } else {
            shape.push_str(&word.to_lowercase());
        }
    }
    wording_key(&shape)
}

/// The pairs of the rows where both the original (`reference`) and `other` have a readable
/// segment in their own language, keyed once each.
fn pairs(ctx: &AuditContext<'_>, reference: usize, other: usize) -> Vec<Pair> {
    ctx.rows
        .iter()
        .filter_map(|row| {
            let members = readable_members(ctx, row);
            let find = |version: usize| members.iter().find(|(v, _)| *v == version).map(|(_, s)| *s);
            let (source, target) = (find(reference)?, find(other)?);
            let (source_segment, target_segment) = (&ctx.versions[reference].segments[source], &ctx.versions[other].segments[target]);
            // Names count towards the length: a text of three words with a name in it is
            // not a single word that may rightly take two translations.
            let long_enough = |segment: &crate::audit::context::Segment| segment.content_words.max(all_words(&segment.text)) >= MIN_CONTENT_WORDS;
            let source_judged = long_enough(source_segment) && target_segment.content_words > 0;
            let target_judged = long_enough(target_segment) && source_segment.content_words > 0;
            // Pairs neither side judges keep empty keys, which are never looked up.
            let (source_key, target_key, target_shape) = if source_judged || target_judged {
                (text_key(&source_segment.text), text_key(&target_segment.text), shape_key(&target_segment.text))
            } else {
                (String::new(), String::new(), String::new())
            };
            let copy = (source_judged || target_judged) && source_key == target_key;
            Some(Pair { source, target, source_judged, target_judged, source_key, target_key, target_shape, copy })
        })
        .collect()
}

/// The translations of `ctx`'s document as the folder remembers them: each judged source of the
/// original with its translation in each other version.
pub(crate) fn translations(ctx: &AuditContext<'_>) -> Vec<DocumentTranslation> {
    let reference = ctx.original();
    let source_lang = ctx.versions[reference].lang();
    let mut found = Vec::new();
    for other in (0..ctx.versions.len()).filter(|&v| v != reference) {
        let view = &ctx.versions[other];
        for pair in pairs(ctx, reference, other).into_iter().filter(|pair| pair.source_judged) {
            let segment = &view.segments[pair.target];
            let translation = KnownTranslation {
                text: segment.text.clone(),
                key: pair.target_key,
                wording: wording_key(&segment.content_key),
                origin: Origin::Document { path: view.path.clone(), line: segment.line },
            };
            found.push((source_lang, view.lang(), pair.source_key, translation));
        }
    }
    found
}

impl Check for InconsistentTranslation {
    fn about(&self) -> About {
        About { id: "inconsistent-translation", severity: Severity::Warning, category: Category::Consistency, scope: Scope::Versions }
    }

    fn version(&self) -> u32 {
        // 2: Serbian script set aside in the keys; names and numbers aside when translations
        // are compared; earlier documents of the folder and the translation memory.
        2
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
        "Compares the original (the configured source, else Albanian, else the first version) with each other \
         version: a text that occurs twice or more in the document and is translated differently (the later \
         translation is reported, with the line of the first), and one translation given for two different texts. \
         In `audit-dir`, a text translated differently than in an earlier document of the folder is reported on the \
         later document, naming the earlier file and line; with the translation memory (the policy's `translation_memory`), a text whose \
         exact matches in the TM are all translated differently is reported, naming the TM unit and its \
         translation. Texts are the same when their words are (case, punctuation, diacritics and Serbian script \
         aside, names and numbers included); translations differ when their wording does, names and numbers aside \
         (those are number-mismatch's and place-name's). Segments of fewer than three content words are not judged, \
         since a single word may rightly take two translations. A segment gets one finding at most: its document \
         first, then the folder, then the TM.\n\n\
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
        let reference_lang = ctx.versions[reference].lang();
        let reference_code = reference_lang.code();
        for other in (0..ctx.versions.len()).filter(|&v| v != reference) {
            let other_lang = ctx.versions[other].lang();
            let pairs = pairs(ctx, reference, other);
            let segment = |version: usize, idx: usize| &ctx.versions[version].segments[idx];
            let wording = |idx: usize| wording_key(&segment(other, idx).content_key);
            let mut reported = vec![false; pairs.len()];
            // One text, different translations: within the document, the first translation
            // of each text is the one the later ones are held to.
            let mut first_of: BTreeMap<&str, usize> = BTreeMap::new();
            for (idx, pair) in pairs.iter().enumerate().filter(|(_, pair)| pair.source_judged) {
                let Some(&first) = first_of.get(pair.source_key.as_str()) else {
                    first_of.insert(&pair.source_key, idx);
                    continue;
                };
                if pair.copy {
                    continue;
                }
                let first_target = pairs[first].target;
                let worded_otherwise = wording(first_target) != wording(pair.target) || pairs[first].target_shape != pair.target_shape;
                if pairs[first].target_key != pair.target_key && worded_otherwise {
                    reported[idx] = true;
                    out.push(ctx.finding(
                        other,
                        pair.target,
                        None,
                        format!(
                            "the {reference_code} text of line {} is translated differently on line {}: {:?}",
                            segment(reference, pair.source).line,
                            segment(other, first_target).line,
                            shorten(&segment(other, first_target).text, 80)
                        ),
                        None,
                    ));
                }
            }
            // The same against the folder's earlier documents, then the translation memory.
            for known in [&ctx.resources.folder, &ctx.resources.memory].into_iter().flatten() {
                for (idx, pair) in pairs.iter().enumerate().filter(|(_, pair)| pair.source_judged) {
                    if reported[idx] || pair.copy {
                        continue;
                    }
                    let translations = known.get(reference_lang, other_lang, &pair.source_key);
                    if translations.is_empty() || translations.iter().any(|known| known.key == pair.target_key) {
                        continue;
                    }
                    let this_wording = wording(pair.target);
                    if !translations.iter().all(|known| differs(known, &pair.target_key, &this_wording)) {
                        continue;
                    }
                    reported[idx] = true;
                    let first = &translations[0];
                    let message = match &first.origin {
                        Origin::Document { path, line } => format!(
                            "the {reference_code} text of line {} is translated differently in {path} line {line}: {:?}",
                            segment(reference, pair.source).line,
                            shorten(&first.text, 80)
                        ),
                        Origin::Memory { unit } => format!(
                            "the {reference_code} text of line {} is translated differently in the translation memory (unit {unit}): {:?}",
                            segment(reference, pair.source).line,
                            shorten(&first.text, 80)
                        ),
                    };
                    out.push(ctx.finding(other, pair.target, None, message, None));
                }
            }
            // One translation, different texts (within the document only).
            let mut first_of: BTreeMap<&str, usize> = BTreeMap::new();
            for (idx, pair) in pairs.iter().enumerate().filter(|(_, pair)| pair.target_judged) {
                match first_of.get(pair.target_key.as_str()) {
                    None => {
                        first_of.insert(&pair.target_key, idx);
                    }
                    Some(&first) if pairs[first].source_key != pair.source_key => {
                        if reported[idx] || pair.copy {
                            continue;
                        }
                        out.push(ctx.finding(
                            other,
                            pair.target,
                            None,
                            format!(
                                "the same translation stands on line {} for a different {reference_code} text: {:?} there, {:?} here",
                                segment(other, pairs[first].target).line,
                                shorten(&segment(reference, pairs[first].source).text, 80),
                                shorten(&segment(reference, pair.source).text, 80)
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
    use std::sync::Arc;

    use crate::audit::checks::tests::{expect, expect_in, expect_with, resources, run_in};
    use crate::audit::translations::{KnownTranslation, KnownTranslations, Origin, text_key};
    use crate::audit::{AuditConfig, Resources};
    use crate::model::lang::Lang;

    /// Resources whose folder (`memory` false) or TM (`memory` true) knows the given
    /// (Albanian, Serbian) pairs.
    fn knowing(pairs: &[(&str, &str)], memory: bool) -> Resources {
        let mut known = KnownTranslations::default();
        for (idx, (sq, sr)) in pairs.iter().enumerate() {
            let origin = if memory { Origin::Memory { unit: format!("u{idx}") } } else { Origin::Document { path: "earlier.sr.txt".into(), line: idx + 1 } };
            known.add(Lang::Sq, Lang::Sr, text_key(sq), KnownTranslation::new(sr, origin, AuditConfig::default().lexicon()), !memory);
        }
        let known = Some(Arc::new(known));
        if memory { Resources { memory: known, ..resources() } } else { Resources { folder: known, ..resources() } }
    }

    #[test]
    fn a_text_translated_otherwise_in_an_earlier_document() {
        let folder = knowing(
            &[
                ("Kërkesa dorëzohet në zyrën e pritjes.", "Zahtev se podnosi u prijemnoj kancelariji."),
                ("Afati për aplikim është pesë ditë.", "Rok za prijavu je pet dana."),
                ("Komuna e Prizrenit ka 15 fshatra.", "Opština Prizren ima 15 sela."),
                ("Hap", "Otvori"),
            ],
            false,
        );
        expect_in(
            "inconsistent-translation",
            &[
                ("sq", "Kërkesa dorëzohet në zyrën e pritjes.\nAfati për aplikim është pesë ditë.\nKomuna e Prizrenit ka 15 fshatra.\nHap"),
                // The same translation in the other script, a number or a name that differs
                // (other checks' findings) and a single word are not another translation.
                ("sr-Cyrl", "⟦Молба се предаје на шалтеру пријема.⟧\nРок за пријаву је пет дана.\nОпштина Призрен има 16 села.\nОтворено"),
            ],
            &AuditConfig::default(),
            &folder,
        );
        let report =
            run_in(&[("sq", "Kërkesa dorëzohet në zyrën e pritjes."), ("sr", "Molba se predaje na šalteru prijema.")], &AuditConfig::default(), &folder);
        let finding = report.findings.iter().find(|finding| finding.check == "inconsistent-translation").expect("a finding");
        assert_eq!(finding.message, "the sq text of line 1 is translated differently in earlier.sr.txt line 1: \"Zahtev se podnosi u prijemnoj kancelariji.\"");
    }

    #[test]
    fn a_text_the_memory_translates_otherwise() {
        let memory = knowing(
            &[
                ("Kërkesa dorëzohet në zyrën e pritjes.", "Zahtev se podnosi u pisarnici."),
                ("Kërkesa dorëzohet në zyrën e pritjes.", "Zahtev se podnosi u prijemnoj kancelariji."),
                ("Afati për aplikim është pesë ditë.", "Rok za prijavu je pet dana."),
                ("Ankesa shqyrtohet nga komisioni.", "Komisija razmatra žalbu."),
            ],
            true,
        );
        // One of the TM's translations is enough; a segment already reported inside its
        // document is not reported again.
        expect_in(
            "inconsistent-translation",
            &[
                (
                    "sq",
                    "Kërkesa dorëzohet në zyrën e pritjes.\nAfati për aplikim është pesë ditë.\nAnkesa shqyrtohet nga komisioni.\nAfati për aplikim është pesë ditë.",
                ),
                ("sr", "Zahtev se podnosi u prijemnoj kancelariji.\n⟦Rok za podnošenje je pet dana.⟧\n⟦Žalbu razmatra komisija.⟧\n⟦Rok je pet dana.⟧"),
            ],
            &AuditConfig::default(),
            &memory,
        );
        let report = run_in(&[("sq", "Afati për aplikim është pesë ditë."), ("sr", "Rok je pet dana.")], &AuditConfig::default(), &memory);
        let messages: Vec<&str> =
            report.findings.iter().filter(|finding| finding.check == "inconsistent-translation").map(|finding| finding.message.as_str()).collect();
        assert_eq!(messages, ["the sq text of line 1 is translated differently in the translation memory (unit u2): \"Rok za prijavu je pet dana.\""]);
        // With Serbian as the original, the Albanian version is the translation; the TM's
        // Albanian-to-Serbian pairs say nothing about it.
        let config = AuditConfig { source: Some(Lang::Sr), ..AuditConfig::default() };
        expect_in("inconsistent-translation", &[("sq", "Afati për aplikim është pesë ditë."), ("sr", "Rok je pet dana.")], &config, &memory);
    }

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
    fn a_translation_that_lost_a_name_a_first_word_or_a_step() {
        // Setting names aside hides a dropped name, a dropped sentence start, a dropped menu
        // step; names count towards the three words; a copy left in English is compared too.
        let config = AuditConfig { source: Some(Lang::En), ..AuditConfig::default() };
        let en = "Key Agreement failed\nSt. Kitts and Nevis\nThe format of dates. Possible values are listed.\n/Conversation/Add Buddy _Pounce...\nShow MATE Terminal options\nIf you look real closely";
        expect_with(
            "inconsistent-translation",
            &[
                ("en", &format!("{en}\n{en}")),
                (
                    "sq",
                    "Marrëveshja e Kyçeve dështoi\nShën Kits dhe Nevis\nFormati i datave. Vlerat e mundshme janë në listë.\n/Bisedë/Shtoni _Cytje Shoku…\nShfaq opsionet e terminalit MATE\nIf you look real closely\n\
                     ⟦⟧Marrëveshja e dështoi\n⟦⟧Kits dhe Nevis\n⟦⟧Formati i datave. e mundshme janë në listë.\n/Bisedë/Shtoni _Cytje Shoku…\nShfaq opsionet e terminalit MATE\n⟦⟧If you look real",
                ),
                (
                    "sr",
                    "Pregovor o ključevima nije uspeo\nSv. Kits i Nevis\nOblik datuma. Dopuštene vrednosti su navedene.\n/Razgovor/Dodaj _zasedu drugaru...\nPrikaži mogućnosti Gnomovog terminala\nUkoliko pogledate izbliza\n\
                     Pregovor o ključevima nije uspeo\nSv. Kits i Nevis\nOblik datuma. Dopuštene vrednosti su navedene.\n⟦⟧/Razgovor/ _zasedu drugaru...\n⟦⟧Prikaži Gnomovog terminala\nUkoliko pogledate izbliza",
                ),
            ],
            &config,
        );
    }

    #[test]
    fn a_copy_of_the_original_is_left_to_untranslated() {
        // The second and fourth lines are the original copied as it stands: `untranslated`
        // reports them, and they are not also a second translation of the same text.
        let config = AuditConfig { source: Some(Lang::Sq), ..AuditConfig::default() };
        expect_with(
            "inconsistent-translation",
            &[
                (
                    "sq",
                    "Ndërroni temën e faqes sipas dëshirës suaj.\nNdërroni temën e faqes sipas dëshirës suaj.\nKërkesa dorëzohet në zyrën e pritjes.\nKërkesa dorëzohet në zyrën e pritjes.",
                ),
                (
                    "sr",
                    "Promenite temu stranice po vašoj želji.\nNdërroni temën e faqes sipas dëshirës suaj.\nZahtev se podnosi u prijemnoj kancelariji.\nKërkesa dorëzohet në zyrën e pritjes.",
                ),
            ],
            &config,
        );
    }

    #[test]
    fn another_name_in_the_same_place_is_the_same_wording() {
        let config = AuditConfig { source: Some(Lang::En), ..AuditConfig::default() };
        expect_with(
            "inconsistent-translation",
            &[
                ("en", "The office in Prishtina is open\nThe office in Prishtina is open\nOpen with Mousepad Editor\nOpen with Mousepad Editor"),
                ("sq", "Zyra në Prishtinë është e hapur\nZyra në Prishtina është e hapur\nHape me Redaktorin Mousepad\nHape me redaktorin Mousepad"),
                ("sr", "Kancelarija u Prištini je otvorena\nКанцеларија у Приштини је отворена\nOtvori uređivačem Mousepad\nOtvori Uređivačem Mousepad"),
            ],
            &config,
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
