//! `wrong-script`: a segment in the other script than its version's (or than the policy).

use crate::audit::config::ScriptPolicy;
use crate::audit::context::AuditContext;
use crate::audit::language::evidence;
use crate::model::lang::{Lang, LangTag, SrScript};
use crate::model::{Category, Finding, Severity};
use crate::text::script::{Script, WordReport, analyze};
use crate::text::{cyr_to_lat, lat_to_cyr};

use super::{About, Check, Issue, Localized, Scope, TextRefs};

/// Finds Serbian segments written in the other script than the version's majority (or than
/// the configured policy), and Albanian written in Cyrillic.
pub struct WrongScript;

fn script_name(script: SrScript) -> &'static str {
    match script {
        SrScript::Cyrl => "Cyrillic",
        SrScript::Latn => "Latin",
    }
}

/// Which script the words of a text in `lang` should be in, when the language has one.
fn expected_script(lang: LangTag) -> Option<SrScript> {
    match (lang.lang, lang.script) {
        (Lang::Sq, _) => Some(SrScript::Latn),
        (Lang::Sr, script) => script,
        _ => None,
    }
}

/// True for a Latin word that a Serbian Cyrillic text should have written in Cyrillic:
/// transliteration changes it (foreign words, URLs and Roman numerals it leaves alone) and
/// it is not a short all-capital abbreviation (EU, PDF, ID).
fn is_serbian_latin_word(word: &str) -> bool {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    let all_caps = word.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase);
    letters >= 2 && !(all_caps && letters <= 4) && lat_to_cyr(word) != word
}

/// True when the segment equals its counterpart in another version (names and numbers
/// aside): a name or code every version shares, or text left untranslated, which is not a
/// script question.
fn repeats_other_version(ctx: &AuditContext<'_>, version: usize, segment: usize) -> bool {
    let key = &ctx.versions[version].segments[segment].content_key;
    (0..ctx.versions.len())
        .filter(|&other| other != version)
        .any(|other| ctx.counterpart(version, segment, other).is_some_and(|seg| &ctx.versions[other].segments[seg].content_key == key))
}

impl Check for WrongScript {
    fn about(&self) -> About {
        About { id: "wrong-script", severity: Severity::Error, category: Category::Script, scope: Scope::Text }
    }

    fn issue_type(&self) -> &'static str {
        "locale-violation"
    }

    fn summary(&self) -> Localized {
        Localized {
            en: "Written in the wrong script (Cyrillic/Latin)",
            sq: "Shkruar me alfabet të gabuar (cirilik/latin)",
            sr: "Napisano pogrešnim pismom (ćirilica/latinica)",
        }
    }

    fn docs(&self) -> &'static str {
        "Finds segments of the Serbian (or Bosnian) version written in the other script than the version as a whole — \
         its majority script, or the script the policy requires (`serbian_script = \"cyrl\"` or `\"latn\"` in the \
         configuration; a version in the wrong script is then reported once, at line 0) — and Albanian text written in \
         Cyrillic. Latin segments count as Serbian only with Serbian evidence (function words, č ć đ), so English or \
         a brand name in a Cyrillic version is not reported here. The suggestion is the exact transliteration.\n\n\
         **Why** Serbian is official \"and its alphabet\" (Law No. 02/L-37 Art. 2); the Commissioner and the OSCE treat \
         Cyrillic as part of Serbian's status, and a version that switches script mid-text is a defect either way \
         (DOMAIN.md A.1, V7).\n\n\
         **Bad** in a Latin version, sr-Latn: `Алатке за ваш претраживач за брзи приступ функцијама администратора.`\n\n\
         **Good** sr-Latn: `Alatke za vaš pretraživač za brzi pristup funkcijama administratora.`"
    }

    /// Runs of words in the other script than the text's (Cyrillic in Albanian or Serbian
    /// Latin text, Serbian Latin words in Cyrillic text), transliterated; one run is one
    /// issue, so that "Општина Приштина" is one underline with one replacement.
    fn detect(&self, text: &str, lang: LangTag, _refs: &TextRefs<'_>) -> Vec<Issue> {
        let Some(expected) = expected_script(lang) else { return Vec::new() };
        let wrong = |word: &WordReport| match (expected, word.script) {
            (SrScript::Latn, Script::Cyrl) => word.offenders.is_empty() && word.word.chars().filter(|c| c.is_alphabetic()).count() >= 2,
            // A Latin word with look-alike letters is the mixed-script check's.
            (SrScript::Cyrl, Script::Latn) => lang.lang == Lang::Sr && word.offenders.is_empty() && is_serbian_latin_word(&word.word),
            _ => false,
        };
        let mut runs: Vec<std::ops::Range<usize>> = Vec::new();
        let mut run_open = false;
        for word in analyze(text).words.iter().filter(|word| word.script != Script::Other) {
            if !wrong(word) {
                run_open = false;
                continue;
            }
            match runs.last_mut() {
                Some(run) if run_open && !text[run.end..word.start].contains('\n') => run.end = word.end,
                _ => runs.push(word.start..word.end),
            }
            run_open = true;
        }
        let (found_name, expected_name) = match expected {
            SrScript::Latn => ("Cyrillic", "Latin"),
            SrScript::Cyrl => ("Latin", "Cyrillic"),
        };
        let language = match lang.lang {
            Lang::Sq => "Albanian is written in the Latin alphabet".to_string(),
            _ => format!("the text is in Serbian {expected_name}"),
        };
        runs.into_iter()
            .map(|run| {
                let written = &text[run.clone()];
                let replacement = match expected {
                    SrScript::Latn => cyr_to_lat(written),
                    SrScript::Cyrl => lat_to_cyr(written),
                };
                Issue {
                    check: self.id(),
                    start: run.start,
                    end: run.end,
                    message: format!("{written:?} is in {found_name} letters; {language}"),
                    short_message: format!("{found_name} in {expected_name} text"),
                    replacements: if replacement != written { vec![replacement.into_owned()] } else { Vec::new() },
                }
            })
            .collect()
    }

    fn run(&self, ctx: &AuditContext<'_>, out: &mut Vec<Finding>) {
        for (version, view) in ctx.versions.iter().enumerate() {
            match view.lang() {
                Lang::Sr | Lang::Bs => {
                    let Some(majority) = view.majority else { continue };
                    let target = match ctx.config.serbian_script {
                        ScriptPolicy::Consistent => majority,
                        ScriptPolicy::Cyrl => SrScript::Cyrl,
                        ScriptPolicy::Latn => SrScript::Latn,
                    };
                    if target != majority {
                        out.push(ctx.version_finding(
                            Some(version),
                            view.lang(),
                            format!(
                                "the {} version is written in {}; the policy requires {}",
                                view.lang().english_name(),
                                script_name(majority),
                                script_name(target)
                            ),
                            None,
                        ));
                        continue;
                    }
                    for (segment_idx, segment) in view.segments.iter().enumerate() {
                        if segment.damaged || segment.foreign.is_some() {
                            continue;
                        }
                        let wrong = match (target, segment.script()) {
                            (SrScript::Latn, Script::Cyrl) => segment.cyrillic >= 4,
                            (SrScript::Cyrl, Script::Latn) => {
                                let evidence = evidence(&segment.prose);
                                let serbian_letters = segment.text.contains(['č', 'ć', 'đ', 'Č', 'Ć', 'Đ', 'š', 'ž', 'Š', 'Ž']);
                                let other_evidence = evidence.en.max(evidence.sq).max(evidence.tr);
                                // Serbian by its words or letters; or, with no sign of any other
                                // language, running text (two words at least) that does not
                                // repeat another version.
                                let serbian = (serbian_letters || evidence.sr > other_evidence) && evidence.sr + u16::from(serbian_letters) >= 1;
                                let plain_text = other_evidence == 0 && segment.content_words >= 2 && !repeats_other_version(ctx, version, segment_idx);
                                segment.latin >= 4 && (serbian || plain_text)
                            }
                            _ => false,
                        };
                        if !wrong {
                            continue;
                        }
                        let suggestion = match target {
                            SrScript::Latn => cyr_to_lat(&segment.text).into_owned(),
                            SrScript::Cyrl => lat_to_cyr(&segment.text).into_owned(),
                        };
                        let found = if target == SrScript::Latn { SrScript::Cyrl } else { SrScript::Latn };
                        out.push(ctx.finding(
                            version,
                            segment_idx,
                            None,
                            format!("this segment is in {}, the {} version is in {}", script_name(found), view.lang().english_name(), script_name(target)),
                            Some(suggestion),
                        ));
                    }
                }
                Lang::Sq => {
                    for (segment_idx, segment) in view.segments.iter().enumerate() {
                        if segment.damaged || segment.foreign.is_some() || segment.script() != Script::Cyrl || segment.cyrillic < 4 {
                            continue;
                        }
                        out.push(ctx.finding(
                            version,
                            segment_idx,
                            None,
                            "Albanian is written in the Latin alphabet; this segment is in Cyrillic".to_string(),
                            Some(cyr_to_lat(&segment.text).into_owned()),
                        ));
                    }
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::AuditConfig;
    use crate::audit::checks::tests::{expect, expect_with};
    use crate::audit::config::ScriptPolicy;

    #[test]
    fn a_cyrillic_line_in_a_latin_version() {
        expect(
            "wrong-script",
            &[
                (
                    "sq",
                    "Komuna: Obiliq\nListë e krejt etiketave të gjedheve dhe funksionet e tyre.\n\
                     Filtrat janë veprime që mund të zbatohen mbi ndryshoret në një gjedhe për të ndryshuar përfundimet e saj.\n\
                     Mjete që shfletuesi juaj të përdorë me shpejtësi funksione administrimi.",
                ),
                (
                    "sr",
                    "Opština: Obilić\nLista svih oznaka šablona i njihovih funkcija.\n\
                     Filteri su radnje koje se mogu primeniti na promenljive u šablonu da bi se promenio izlaz.\n\
                     ⟦Алатке за ваш претраживач за брзи приступ функцијама администратора.⟧",
                ),
            ],
        );
    }

    #[test]
    fn a_latin_line_in_a_cyrillic_version() {
        expect(
            "wrong-script",
            &[
                ("sq", "Grupi nuk mund të ndryshohet.\nPronari nuk mund të ndryshohet.\nTë drejtat nuk mund të ndryshohen."),
                ("sr", "Група не може бити измењена.\n⟦Vlasnik ne može biti izmenjen.⟧\nОвлашћења не могу бити измењена."),
            ],
        );
    }

    #[test]
    fn a_short_latin_line_without_function_words() {
        expect(
            "wrong-script",
            &[
                ("sq", "Grupi nuk mund të ndryshohet.\nPronari i kartelës\nTë drejtat nuk mund të ndryshohen."),
                ("sr", "Група не може бити измењена.\n⟦Vlasnik datoteke⟧\nОвлашћења не могу бити измењена."),
                ("en", "The group could not be changed.\nOwner of the file\nThe permissions could not be changed."),
            ],
        );
    }

    #[test]
    fn names_and_english_in_a_cyrillic_version_are_not_serbian_latin() {
        expect("wrong-script", &[("sq", "Përdorni PDF.\nDjango admin"), ("sr", "Користите PDF датотеку.\nDjango admin")]);
    }

    #[test]
    fn albanian_in_cyrillic() {
        expect(
            "wrong-script",
            &[("sq", "⟦Нук ешт е мундур те екзекутохен командат нга њи сит не дистанце.⟧"), ("sr", "Nije moguće izvršavanje naredbi sa udaljenog mesta.")],
        );
    }

    #[test]
    fn policy_requires_cyrillic() {
        let config = AuditConfig { serbian_script: ScriptPolicy::Cyrl, ..AuditConfig::default() };
        let report = crate::audit::checks::tests::run(&[("sq", "Një vendim."), ("sr", "Jedna odluka.")], &config);
        let found: Vec<_> = report.findings.iter().filter(|f| f.check == "wrong-script").map(|f| (f.lang.as_str(), f.line)).collect();
        assert_eq!(found, vec![("sr", 0)]);
        expect_with("wrong-script", &[("sq", "Një vendim."), ("sr", "Једна одлука.")], &config);
    }
}
