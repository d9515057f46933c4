//! Proofreading one text in one language, span by span: what an editor's grammar checker
//! underlines, with the text to put instead.
//!
//! [`Proofreader::check`] runs the audit's single-version checks on a lone text and reports
//! each problem at the word or name where it is, by byte range into the text as written:
//! - `mojibake`: encoding damage ("Ã«" for ë, C1 controls, Ð for Đ), with the repair;
//! - `mixed-script`: a word that mixes Latin and Cyrillic letters (look-alikes such as Latin
//!   "a" in "Приштинa"), a whole look-alike word, or, in Serbian, a Cyrillic letter outside
//!   the Serbian alphabet, with the word in one script;
//! - `wrong-script`: a run of words in the other script than the text's (Cyrillic in Albanian
//!   or Serbian Latin text, Serbian Latin words in Cyrillic text), transliterated;
//! - `place-name`: a place named otherwise than in the official list for the language and
//!   script (Reg. 2000/43 Art. 1), with the official form ([`Places::check_text`]);
//! - `term-forbidden`: a forbidden, deprecated or superseded term of the term base, with the
//!   preferred term ([`crate::termbase::check_forbidden`]);
//! - `missing-diacritics`: words written without the ë ç / č ć š ž đ that the gazetteer, the
//!   term base, the languages' function words and the text itself spell them with.
//!
//! Where two checks point at overlapping text, the first in that list wins, so one defect is
//! underlined once. The ids are the audit's check ids (DESIGN.md), so a rule reads the same in
//! a LanguageTool client, a SARIF report and `termbridge audit`.
//!
//! Deliberately not done: anything that needs another language version (untranslated text,
//! missing segments, numbers that differ, term-missing), judging the language of the text
//! (the caller says it, or asks [`crate::text::langid`]), or grammar and spelling in general.

use std::ops::Range;

use serde::Serialize;

use crate::audit::vocabulary::{Vocabulary, is_marked_letter, words};
use crate::model::lang::{Lang, LangTag, SrScript};
use crate::places::Places;
use crate::termbase::{TermIndex, check_forbidden};
use crate::text::mojibake;
use crate::text::script::{OffenderKind, Script, analyze};
use crate::text::{cyr_to_lat, lat_to_cyr};

/// The checks [`Proofreader::check`] runs, in the order that decides overlaps.
pub const CHECKS: [&str; 6] = ["mojibake", "mixed-script", "wrong-script", "place-name", "term-forbidden", "missing-diacritics"];

/// One problem in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    /// The audit check id (one of [`CHECKS`]).
    pub check: &'static str,
    /// Byte offset of the first character of the problem (a char boundary).
    pub start: usize,
    /// Byte offset just past it (a char boundary).
    pub end: usize,
    /// What is wrong, in a sentence.
    pub message: String,
    /// What is wrong, in a few words.
    pub short_message: String,
    /// Texts to put in place of `start..end`, best first; may be empty.
    pub replacements: Vec<String>,
}

impl Issue {
    /// The byte range in the text.
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// The reference data a proofreading run reads: the official place names, the term base and
/// the word list for diacritics built from both. Build it once and share it.
pub struct Proofreader {
    places: &'static Places,
    terms: Option<TermIndex>,
    vocabulary: Vocabulary,
}

impl std::fmt::Debug for Proofreader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Proofreader").field("terms", &self.terms.as_ref().map(TermIndex::term_count)).finish_non_exhaustive()
    }
}

impl Proofreader {
    /// A proofreader over the shipped gazetteer and `terms` (none: no terminology check).
    ///
    /// ```
    /// use termbridge::model::lang::LangTag;
    /// use termbridge::proofread::Proofreader;
    /// let proofreader = Proofreader::new(None);
    /// let issues = proofreader.check("Sastanak je održan u Ferizaju.", LangTag::SR_LATN);
    /// assert_eq!(issues[0].check, "place-name");
    /// assert_eq!(issues[0].replacements, ["Uroševac"]);
    /// ```
    pub fn new(terms: Option<TermIndex>) -> Proofreader {
        let places = Places::shipped();
        let mut vocabulary = Vocabulary::seeded();
        for place in places.gazetteer().places() {
            vocabulary.add_trusted(Lang::Sq, &place.name_sq);
            vocabulary.add_trusted(Lang::Sr, &place.name_sr_latn);
        }
        if let Some(index) = &terms {
            for term in index.concepts().iter().flat_map(|concept| concept.terms.iter()).filter(|term| term.status.is_approved()) {
                match (term.lang.lang, term.lang.script) {
                    (Lang::Sr, Some(SrScript::Cyrl)) => vocabulary.add_trusted(Lang::Sr, &cyr_to_lat(&term.text)),
                    (lang, _) => vocabulary.add_trusted(lang, &term.text),
                }
            }
        }
        Proofreader { places, terms, vocabulary }
    }

    /// The problems in `text`, written in `lang`, in text order. A Serbian tag without a
    /// script takes the script most of the text's words are in.
    pub fn check(&self, text: &str, lang: LangTag) -> Vec<Issue> {
        let report = analyze(text);
        let lang = match (lang.lang, lang.script) {
            (Lang::Sr, None) if report.cyrillic_words > report.latin_words => LangTag::SR_CYRL,
            (Lang::Sr, None) if report.latin_words > 0 => LangTag::SR_LATN,
            _ => lang,
        };
        let mut found: Vec<Issue> = Vec::new();
        mojibake_issues(text, &mut found);
        mixed_script_issues(text, lang, &report, &mut found);
        wrong_script_issues(text, lang, &report, &mut found);
        if matches!(lang.lang, Lang::Sq | Lang::Sr) {
            for finding in self.places.check_text(text, lang) {
                let short_message = "Not the official place name".to_string();
                found.push(Issue {
                    check: "place-name",
                    start: finding.start,
                    end: finding.end,
                    message: finding.message,
                    short_message,
                    replacements: finding.suggestion.into_iter().collect(),
                });
            }
        }
        if let Some(index) = &self.terms {
            for finding in check_forbidden(index, text, lang) {
                found.push(Issue {
                    check: "term-forbidden",
                    start: finding.start,
                    end: finding.end,
                    message: finding.message,
                    short_message: "Term not to be used".to_string(),
                    replacements: finding.suggestion.into_iter().collect(),
                });
            }
        }
        self.diacritics_issues(text, lang, &mut found);

        // One underline a defect: keep an issue only when no earlier check's issue overlaps it.
        let mut kept: Vec<Issue> = Vec::with_capacity(found.len());
        for issue in found {
            if issue.start >= issue.end || kept.iter().any(|other| other.start < issue.end && issue.start < other.end) {
                continue;
            }
            kept.push(issue);
        }
        kept.sort_by_key(|issue| (issue.start, issue.end));
        kept
    }

    /// Words without their diacritics, when the text as a whole shows the loss (the audit's
    /// rule: two suspects, or one in a long Albanian text with no ë or ç at all), so that a
    /// single word the corpus happens to spell with a mark is not taken for a defect.
    fn diacritics_issues(&self, text: &str, lang: LangTag, out: &mut Vec<Issue>) {
        let latin_text = lang.lang == Lang::Sq || lang == LangTag::SR_LATN || lang.lang == Lang::Bs;
        if !latin_text || !mojibake::detect(text).is_empty() {
            return;
        }
        // The text vouches for the spellings it writes with marks (and is ignored when it
        // has none, see `Vocabulary::add_segment`).
        let mut own_words = Vocabulary::default();
        own_words.add_segment(lang.lang, text);
        let has_marks = text.chars().any(|c| is_marked_letter(lang.lang, c));
        let mut suspects: Vec<(usize, &str, String)> = Vec::new();
        for (start, word) in words(text) {
            if word.chars().count() < 3 || crate::text::script::word_script(word) != Script::Latn {
                continue;
            }
            if let Some(restored) = self.vocabulary.restore_with(&own_words, lang.lang, word) {
                suspects.push((start, word, restored));
            }
        }
        let final_e_only = |word: &str, restored: &str| {
            let (word, restored) = (word.to_lowercase(), restored.to_lowercase());
            lang.lang == Lang::Sq && restored.ends_with('ë') && restored[..restored.len() - 'ë'.len_utf8()] == word[..word.len() - 1]
        };
        let strong: usize =
            suspects.iter().filter(|(_, word, restored)| !final_e_only(word, restored)).map(|(_, word, _)| if word.chars().count() >= 5 { 2 } else { 1 }).sum();
        let weak = suspects.iter().filter(|(_, word, restored)| final_e_only(word, restored)).count();
        let letters = text.chars().filter(|c| c.is_alphabetic()).count();
        let long_unmarked = lang.lang == Lang::Sq && !has_marks && letters >= 25;
        if strong + weak < 2 && !(long_unmarked && strong >= 1) {
            return;
        }
        for (start, word, restored) in suspects {
            out.push(Issue {
                check: "missing-diacritics",
                start,
                end: start + word.len(),
                message: format!("\"{word}\" is written without its diacritics: \"{restored}\""),
                short_message: "Missing diacritics".to_string(),
                replacements: vec![restored],
            });
        }
    }
}

fn mojibake_issues(text: &str, out: &mut Vec<Issue>) {
    for defect in mojibake::detect(text) {
        out.push(Issue {
            check: "mojibake",
            start: defect.start,
            end: defect.end,
            message: format!("{:?} is damaged text ({})", defect.found, defect.kind.describe()),
            short_message: "Wrong character encoding".to_string(),
            replacements: defect.suggestion.into_iter().collect(),
        });
    }
}

fn mixed_script_issues(text: &str, lang: LangTag, report: &crate::text::script::ScriptReport, out: &mut Vec<Issue>) {
    let serbian = matches!(lang.lang, Lang::Sr | Lang::Bs);
    for word in &report.words {
        let offenders: Vec<_> = word.offenders.iter().filter(|offender| serbian || offender.kind != OffenderKind::NonSerbianCyrillic).collect();
        if offenders.is_empty() {
            continue;
        }
        let mut fixed = String::with_capacity(word.word.len());
        let mut complete = true;
        for (offset, c) in word.word.char_indices() {
            match offenders.iter().find(|offender| offender.offset == word.start + offset) {
                Some(offender) => match offender.looks_like {
                    Some(replacement) => fixed.push(replacement),
                    None => {
                        complete = false;
                        fixed.push(c);
                    }
                },
                None => fixed.push(c),
            }
        }
        let letters: Vec<String> =
            offenders.iter().map(|offender| format!("{} U+{:04X}, {}", offender.found, u32::from(offender.found), offender.kind.describe())).collect();
        let all_foreign = offenders.iter().all(|offender| offender.kind == OffenderKind::NonSerbianCyrillic);
        out.push(Issue {
            check: "mixed-script",
            start: word.start,
            end: word.end,
            message: format!("{:?} has letters that do not belong to its script ({})", &text[word.start..word.end], letters.join("; ")),
            short_message: if all_foreign { "Letter not in the Serbian alphabet".to_string() } else { "Mixed Latin and Cyrillic letters".to_string() },
            replacements: if complete && fixed != word.word { vec![fixed] } else { Vec::new() },
        });
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

fn wrong_script_issues(text: &str, lang: LangTag, report: &crate::text::script::ScriptReport, out: &mut Vec<Issue>) {
    let Some(expected) = expected_script(lang) else { return };
    let wrong = |word: &crate::text::script::WordReport| match (expected, word.script) {
        (SrScript::Latn, Script::Cyrl) => word.offenders.is_empty() && word.word.chars().filter(|c| c.is_alphabetic()).count() >= 2,
        (SrScript::Cyrl, Script::Latn) => lang.lang == Lang::Sr && is_serbian_latin_word(&word.word),
        _ => false,
    };
    // Runs of wrong words, so that "Општина Приштина" is one underline with one replacement.
    let mut runs: Vec<Range<usize>> = Vec::new();
    let mut run_open = false;
    for word in report.words.iter().filter(|word| word.script != Script::Other) {
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
    for run in runs {
        let written = &text[run.clone()];
        let (replacement, found_name, expected_name) = match expected {
            SrScript::Latn => (cyr_to_lat(written).into_owned(), "Cyrillic", "Latin"),
            SrScript::Cyrl => (lat_to_cyr(written).into_owned(), "Latin", "Cyrillic"),
        };
        let language = match lang.lang {
            Lang::Sq => "Albanian is written in the Latin alphabet".to_string(),
            _ => format!("the text is in Serbian {expected_name}"),
        };
        out.push(Issue {
            check: "wrong-script",
            start: run.start,
            end: run.end,
            message: format!("{written:?} is in {found_name} letters; {language}"),
            short_message: format!("{found_name} in {expected_name} text"),
            replacements: if replacement != written { vec![replacement] } else { Vec::new() },
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Concept, Term, TermStatus};

    fn proofreader() -> &'static Proofreader {
        static PROOFREADER: std::sync::OnceLock<Proofreader> = std::sync::OnceLock::new();
        PROOFREADER.get_or_init(|| {
            let mut concept = Concept::new("municipality");
            concept.terms.push(Term::new(LangTag::SR_LATN, "opština", TermStatus::Preferred));
            concept.terms.push(Term::new(LangTag::SR_LATN, "općina", TermStatus::Deprecated));
            concept.terms.push(Term::new(LangTag::SQ, "komunë", TermStatus::Preferred));
            Proofreader::new(Some(TermIndex::build(vec![concept])))
        })
    }

    /// Checks `marked` (the text with ⟦…⟧ around each expected issue) in `lang`: the issues
    /// must be exactly the marked spans, of checks `checks` in order, with the first
    /// replacement `replacements` (`-` for none).
    fn check(lang: LangTag, marked: &str, expected: &[(&str, &str)]) {
        let text = marked.replace(['⟦', '⟧'], "");
        let mut spans = Vec::new();
        let mut clean_offset = 0;
        let mut open = None;
        for c in marked.chars() {
            match c {
                '⟦' => open = Some(clean_offset),
                '⟧' => spans.push(open.take().expect("balanced markers")..clean_offset),
                _ => clean_offset += c.len_utf8(),
            }
        }
        let issues = proofreader().check(&text, lang);
        let got: Vec<(Range<usize>, &str, String)> =
            issues.iter().map(|issue| (issue.range(), issue.check, issue.replacements.first().cloned().unwrap_or_else(|| "-".into()))).collect();
        let want: Vec<(Range<usize>, &str, String)> =
            spans.into_iter().zip(expected).map(|(span, (check, replacement))| (span, *check, replacement.to_string())).collect();
        assert_eq!(got, want, "{marked}");
    }

    #[test]
    fn clean_texts_have_no_issue() {
        check(LangTag::SQ, "Kuvendi i Komunës së Prishtinës miratoi vendimin.", &[]);
        check(LangTag::SR_LATN, "Skupština opštine Priština je usvojila odluku.", &[]);
        check(LangTag::SR_CYRL, "Скупштина општине Приштина је усвојила одлуку о EU и PDF.", &[]);
        check(LangTag::EN, "The municipality adopted the decision.", &[]);
    }

    #[test]
    fn each_check_points_at_its_span() {
        check(LangTag::SR_LATN, "Sastanak je održan u ⟦Ferizaju⟧.", &[("place-name", "Uroševac")]);
        check(LangTag::SR_LATN, "Odluka ⟦općine⟧ je doneta.", &[("term-forbidden", "opština")]);
        check(LangTag::SR_CYRL, "Општина ⟦Приштинa⟧ је донела одлуку.", &[("mixed-script", "Приштина")]);
        check(LangTag::SR_LATN, "Odluka je doneta u ⟦Општини Приштина⟧ juče.", &[("wrong-script", "Opštini Priština")]);
        check(LangTag::SR_CYRL, "Одлука је донета у ⟦opštini⟧ јуче.", &[("wrong-script", "општини")]);
        check(LangTag::SQ, "Komuna e Prishtin⟦Ã«⟧ miratoi vendimin.", &[("mojibake", "ë")]);
        check(LangTag::SQ, "Ky ⟦eshte⟧ vendimi ⟦per⟧ komunen.", &[("missing-diacritics", "është"), ("missing-diacritics", "për")]);
    }

    #[test]
    fn serbian_without_a_script_takes_the_majority() {
        check(LangTag::SR, "Одлука је донета у ⟦opštini⟧ јуче.", &[("wrong-script", "општини")]);
        check(LangTag::SR, "Odluka je doneta ⟦јуче⟧ u opštini.", &[("wrong-script", "juče")]);
    }

    #[test]
    fn overlapping_issues_are_reported_once() {
        // The Cyrillic run is a wrong script and would also be a place name in Latin text.
        let issues = proofreader().check("Sastanak u Приштини.", LangTag::SR_LATN);
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert_eq!(issues[0].check, "wrong-script");
    }
}
