//! Proofreading one text in one language, span by span: what an editor's grammar checker
//! underlines, with the text to put instead.
//!
//! [`Proofreader::check`] is a thin runner over the audit registry's single-text checks
//! ([`Scope::Text`]: wrong-script, mixed-script, missing-diacritics, mojibake, place-name,
//! term-forbidden, the QA checks of one text, spelling, in registry order): it holds their
//! reference data ([`TextRefs`]: the shipped gazetteer, the term base and its words, the word
//! list for diacritics, the Hunspell dictionaries), runs each check's
//! detector and reports each problem at the word or name where it is, by byte range into
//! the text as written. The detectors are the audit's, so a rule reads and judges the same
//! in a LanguageTool client, a SARIF report and `termbridge audit`.
//!
//! Where two checks point at overlapping text, the one earlier in the registry wins, so one
//! defect is underlined once.
//!
//! Deliberately not done: anything that needs another language version (untranslated text,
//! missing segments, numbers that differ, term-missing, and the spelling rules that read the
//! other versions or the whole document), judging the language of the text (the caller says
//! it, or asks [`crate::text::langid`]), or grammar.

use crate::audit::checks::{Scope, TextRefs, of_scope};
use crate::audit::known_words::KnownWords;
use crate::audit::vocabulary::Vocabulary;
use crate::lexicon::Lexicon;
use crate::model::lang::{Lang, LangTag, SrScript};
use crate::places::Places;
use crate::termbase::TermIndex;
use crate::text::cyr_to_lat;
use crate::text::script::analyze;

pub use crate::audit::checks::Issue;

/// The ids of the checks [`Proofreader::check`] runs, in the order that decides overlaps:
/// the registry's single-text checks.
pub fn checks() -> Vec<&'static str> {
    of_scope(Scope::Text).map(|check| check.id()).collect()
}

/// The reference data a proofreading run reads: the official place names, the term base and
/// the word list for diacritics built from both. Build it once and share it.
pub struct Proofreader {
    places: &'static Places,
    terms: Option<TermIndex>,
    vocabulary: Vocabulary,
    known: KnownWords,
    lexicon: &'static Lexicon,
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
    /// assert_eq!(issues[0].replacements, ["Uroševcu"]);
    /// ```
    pub fn new(terms: Option<TermIndex>) -> Proofreader {
        let places = Places::shipped();
        let mut vocabulary = Vocabulary::seeded();
        let mut known = KnownWords::default();
        for place in places.gazetteer().places() {
            vocabulary.add_trusted(Lang::Sq, &place.name_sq);
            vocabulary.add_trusted(Lang::Sr, &place.name_sr_latn);
        }
        if let Some(index) = &terms {
            for term in index.concepts().iter().flat_map(|concept| concept.terms.iter()).filter(|term| term.status.is_approved()) {
                known.add_term(term.lang.lang, &term.text);
                match (term.lang.lang, term.lang.script) {
                    (Lang::Sr, Some(SrScript::Cyrl)) => vocabulary.add_trusted(Lang::Sr, &cyr_to_lat(&term.text)),
                    (lang, _) => vocabulary.add_trusted(lang, &term.text),
                }
            }
        }
        Proofreader { places, terms, vocabulary, known, lexicon: Lexicon::system() }
    }

    /// The reference data the single-text checks read.
    pub fn refs(&self) -> TextRefs<'_> {
        TextRefs { places: self.places, terms: self.terms.as_ref(), vocabulary: &self.vocabulary, lexicon: self.lexicon, known: Some(&self.known) }
    }

    /// The problems in `text`, written in `lang`, in text order. A Serbian tag without a
    /// script takes the script most of the text's words are in ([`with_script`]).
    pub fn check(&self, text: &str, lang: LangTag) -> Vec<Issue> {
        let lang = with_script(text, lang);
        let refs = self.refs();
        // One underline a defect: keep an issue only when no earlier check's issue overlaps it.
        let mut kept: Vec<Issue> = Vec::new();
        for check in of_scope(Scope::Text) {
            for issue in check.detect(text, lang, &refs) {
                if issue.start >= issue.end || kept.iter().any(|other| other.start < issue.end && issue.start < other.end) {
                    continue;
                }
                kept.push(issue);
            }
        }
        kept.sort_by_key(|issue| (issue.start, issue.end));
        kept
    }
}

/// `lang`, and for Serbian without a script, the script most of the words of `text` are in.
///
/// ```
/// use termbridge::model::lang::LangTag;
/// assert_eq!(termbridge::proofread::with_script("Одлука је донета у opštini.", LangTag::SR), LangTag::SR_CYRL);
/// ```
pub fn with_script(text: &str, lang: LangTag) -> LangTag {
    if (lang.lang, lang.script) != (Lang::Sr, None) {
        return lang;
    }
    let report = analyze(text);
    if report.cyrillic_words > report.latin_words {
        LangTag::SR_CYRL
    } else if report.latin_words > 0 {
        LangTag::SR_LATN
    } else {
        lang
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::checks::example;
    use crate::model::{Concept, Term, TermStatus};
    use std::ops::Range;

    /// A proofreader over the shipped gazetteer and term base.
    fn shipped_proofreader() -> &'static Proofreader {
        static PROOFREADER: std::sync::OnceLock<Proofreader> = std::sync::OnceLock::new();
        PROOFREADER.get_or_init(|| Proofreader::new(Some(TermIndex::build(crate::termbase::shipped_concepts().expect("shipped term base")))))
    }

    /// Every single-text check finds something in each of its Bad examples and nothing in its
    /// Good ones, run as `/v2/check` runs it (the other scopes' examples run in
    /// `audit::checks::tests`).
    #[test]
    fn every_text_check_finds_its_bad_example_and_not_its_good_one() {
        let mut wrong = Vec::new();
        for check in of_scope(Scope::Text) {
            let id = check.id();
            // Spelling needs the Hunspell dictionaries (Debian's myspell-sq, hunspell-sr).
            if let Some(off) = check.note(crate::lexicon::Lexicon::system(), &[LangTag::SQ, LangTag::SR_CYRL]) {
                eprintln!("SKIPPED: {id} examples: {off}");
                continue;
            }
            for (label, want_findings) in [("Bad", true), ("Good", false)] {
                let spans = example(check.docs(), label);
                assert!(!spans.is_empty(), "{id}: the {label} example is a code span");
                for (tag, text) in &spans {
                    let lang = with_script(text, LangTag::parse(tag).expect("tagged example"));
                    let count = check.detect(text, lang, &shipped_proofreader().refs()).len();
                    if (count > 0) != want_findings {
                        wrong.push(format!("{id} finds {count} in its {label} example {text:?}"));
                    }
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

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
        check(LangTag::SR_LATN, "Sastanak je održan u ⟦Ferizaju⟧.", &[("place-name", "Uroševcu")]);
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
