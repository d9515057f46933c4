//! `terms lint`: checks a whole term base for what a review by hand finds, each finding with
//! concept id, term, rule id, severity and message.
//!
//! Rules (id, severity):
//! - `script-pair` (error): every Serbian Cyrillic term is the transliteration of a Latin term
//!   of its concept and the reverse (DOMAIN.md D7), with the same status.
//! - `look-alike` (error): a word mixing Latin, Cyrillic or Greek letters, or a letter of
//!   another script than the term's (a Latin `a` in Cyrillic, a Greek `ο` in Albanian); words
//!   with digits (`02/L-37`) are codes and keep Latin letters in Cyrillic text.
//! - `rejected-elsewhere` (error): a preferred term that another concept of the same subject
//!   field marks deprecated, superseded or forbidden.
//! - `rejected-word` (warning): an approved term of several words containing a one-word term
//!   that the term base rejects in that language ("Ured premijera" where "ured" is deprecated).
//! - `head-word` (warning): sibling concepts, whose preferred English terms share a head noun
//!   ("… Committee"), name it with different head words in another language ("Odbor" beside
//!   "Komitet"); the minority is reported.
//! - `no-source` (error): a term taken from a source (not derived) without a source on the
//!   term or its concept.
//! - `superseded-undated` (error): a superseded term whose note does not say when and by what
//!   it was replaced (`replaced on DATE by ACT`, see `usage`).
//! - `phrase-without-term` (warning): a `correct in «…»` phrase that does not contain its term.
//! - `duplicate-term` (warning): one term (same language, case aside) in two concepts.
//! - `several-preferred` (warning): more than one preferred term in one language and script.
//!
//! The lint reads concepts; it does not read files (the caller reads them, and a file the
//! reader refuses is an error before any rule runs) and it changes nothing.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::model::lang::{Lang, LangTag, SrScript};
use crate::model::{Concept, Severity, Term, TermStatus};
use crate::text::{self, Tier};

use super::usage::{correct_in, mentions_replacement, supersession};

/// One lint rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LintRule {
    /// A Serbian term without its counterpart in the other script.
    ScriptPair,
    /// Letters of another script inside a term.
    LookAlike,
    /// A preferred term rejected by a sibling concept.
    RejectedElsewhere,
    /// An approved phrase built on a rejected word.
    RejectedWord,
    /// Sibling concepts with different head words.
    HeadWord,
    /// A term without a source.
    NoSource,
    /// A superseded term without the date and act that replaced it.
    SupersededUndated,
    /// A fixed phrase that does not contain its term.
    PhraseWithoutTerm,
    /// One term in two concepts.
    DuplicateTerm,
    /// Several preferred terms in one language and script.
    SeveralPreferred,
}

impl LintRule {
    /// Every rule, in report order.
    pub const ALL: [LintRule; 10] = [
        LintRule::ScriptPair,
        LintRule::LookAlike,
        LintRule::RejectedElsewhere,
        LintRule::RejectedWord,
        LintRule::HeadWord,
        LintRule::NoSource,
        LintRule::SupersededUndated,
        LintRule::PhraseWithoutTerm,
        LintRule::DuplicateTerm,
        LintRule::SeveralPreferred,
    ];

    /// The stable rule id.
    pub fn id(self) -> &'static str {
        match self {
            LintRule::ScriptPair => "script-pair",
            LintRule::LookAlike => "look-alike",
            LintRule::RejectedElsewhere => "rejected-elsewhere",
            LintRule::RejectedWord => "rejected-word",
            LintRule::HeadWord => "head-word",
            LintRule::NoSource => "no-source",
            LintRule::SupersededUndated => "superseded-undated",
            LintRule::PhraseWithoutTerm => "phrase-without-term",
            LintRule::DuplicateTerm => "duplicate-term",
            LintRule::SeveralPreferred => "several-preferred",
        }
    }

    /// How serious a finding of this rule is.
    pub fn severity(self) -> Severity {
        match self {
            LintRule::ScriptPair | LintRule::LookAlike | LintRule::RejectedElsewhere | LintRule::NoSource | LintRule::SupersededUndated => Severity::Error,
            LintRule::RejectedWord | LintRule::HeadWord | LintRule::PhraseWithoutTerm | LintRule::DuplicateTerm | LintRule::SeveralPreferred => {
                Severity::Warning
            }
        }
    }
}

impl Serialize for LintRule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

/// One problem the lint found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LintFinding {
    /// The concept.
    pub concept_id: String,
    /// The term concerned, when the finding is about one term.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub term: Option<String>,
    /// The term's language and script.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<LangTag>,
    /// The rule.
    pub rule: LintRule,
    /// The rule's severity.
    pub severity: Severity,
    /// What is wrong, in words.
    pub message: String,
}

/// Counts of a lint run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct LintSummary {
    /// Concepts checked.
    pub concepts: usize,
    /// Terms checked (derived ones included).
    pub terms: usize,
    /// Findings of severity error.
    pub errors: usize,
    /// Findings of severity warning.
    pub warnings: usize,
}

/// The counts of `findings` over `concepts`.
pub fn lint_summary(concepts: &[Concept], findings: &[LintFinding]) -> LintSummary {
    LintSummary {
        concepts: concepts.len(),
        terms: concepts.iter().map(|concept| concept.terms.len()).sum(),
        errors: findings.iter().filter(|finding| finding.severity == Severity::Error).count(),
        warnings: findings.iter().filter(|finding| finding.severity == Severity::Warning).count(),
    }
}

fn finding(concept: &Concept, term: Option<&Term>, rule: LintRule, message: String) -> LintFinding {
    LintFinding {
        concept_id: concept.id.clone(),
        term: term.map(|term| term.text.clone()),
        lang: term.map(|term| term.lang),
        rule,
        severity: rule.severity(),
        message,
    }
}

/// Case-folded comparison key.
fn case_key(text: &str) -> String {
    text::fold(text, Tier::Case).into_owned()
}

/// Folded words (case, punctuation, diacritics, Serbian script).
fn folded_words(text: &str) -> Vec<String> {
    text::fold(text, Tier::Script).split(' ').filter(|word| !word.is_empty()).map(str::to_string).collect()
}

/// Lints `concepts` (as read, with derived Serbian scripts); findings in concept order, then
/// rule order.
///
/// ```
/// use termbridge::model::lang::LangTag;
/// use termbridge::model::{Concept, Term, TermStatus};
/// use termbridge::termbase::lint;
/// let mut concept = Concept::new("municipality");
/// concept.source = Some("Law No. 03/L-040, Art. 3".into());
/// concept.terms.push(Term::new(LangTag::SR_LATN, "opština", TermStatus::Preferred));
/// concept.terms.push(Term::new(LangTag::SR_CYRL, "општинa", TermStatus::Preferred)); // Latin "a"
/// let findings = lint(&[concept]);
/// assert!(findings.iter().any(|finding| finding.rule.id() == "look-alike"));
/// ```
pub fn lint(concepts: &[Concept]) -> Vec<LintFinding> {
    let mut findings = Vec::new();
    let rejected = rejected_terms(concepts);
    let head_words = head_word_findings(concepts);
    let duplicates = duplicate_terms(concepts);
    for (concept_idx, concept) in concepts.iter().enumerate() {
        let mut own = Vec::new();
        script_pairs(concept, &mut own);
        for term in &concept.terms {
            if let Some(message) = look_alike(term) {
                own.push(finding(concept, Some(term), LintRule::LookAlike, message));
            }
        }
        for term in concept.terms.iter().filter(|term| !term.derived) {
            if term.status == TermStatus::Preferred {
                let key = (term.lang, case_key(&term.text), concept.subject.clone());
                for (other_idx, status) in rejected.exact.get(&key).into_iter().flatten() {
                    if *other_idx != concept_idx {
                        own.push(finding(
                            concept,
                            Some(term),
                            LintRule::RejectedElsewhere,
                            format!("preferred here but {status} in {} (same subject field)", concepts[*other_idx].id),
                        ));
                    }
                }
            }
            if term.status.is_approved() {
                let words = folded_words(&term.text);
                if words.len() > 1 {
                    for word in &words {
                        if let Some((other_idx, status, rejected_text)) = rejected.words.get(&(term.lang.lang, word.clone()))
                            && *other_idx != concept_idx
                        {
                            own.push(finding(
                                concept,
                                Some(term),
                                LintRule::RejectedWord,
                                format!("{} term built on «{rejected_text}», which {} marks {status}", term.status, concepts[*other_idx].id),
                            ));
                        }
                    }
                }
            }
            if term.source.is_none() && concept.source.is_none() {
                own.push(finding(concept, Some(term), LintRule::NoSource, "no source on the term or its concept".to_string()));
            }
            let note = term.note.as_deref().unwrap_or("");
            if term.status == TermStatus::Superseded && supersession(note).is_none() {
                let message = if mentions_replacement(note) {
                    "superseded, but the note's replacement clause is not «replaced on YYYY[-MM[-DD]] by ACT»".to_string()
                } else {
                    "superseded without the date and act that replaced it (note: «replaced on YYYY[-MM[-DD]] by ACT»)".to_string()
                };
                own.push(finding(concept, Some(term), LintRule::SupersededUndated, message));
            }
            for phrase in correct_in(note) {
                if !phrase_holds_term(&phrase, &term.text) {
                    own.push(finding(concept, Some(term), LintRule::PhraseWithoutTerm, format!("the phrase «{phrase}» does not contain the term")));
                }
            }
            if let Some(others) = duplicates.get(&(term.lang, case_key(&term.text))) {
                let elsewhere: Vec<&str> = others.iter().filter(|idx| **idx != concept_idx).map(|idx| concepts[*idx].id.as_str()).collect();
                if !elsewhere.is_empty() {
                    own.push(finding(concept, Some(term), LintRule::DuplicateTerm, format!("also a term of {}", elsewhere.join(", "))));
                }
            }
        }
        let mut preferred: BTreeMap<LangTag, usize> = BTreeMap::new();
        for term in concept.terms.iter().filter(|term| !term.derived && term.status == TermStatus::Preferred) {
            *preferred.entry(term.lang).or_default() += 1;
        }
        for (lang, count) in preferred {
            if count > 1 {
                let mut with_lang = finding(concept, None, LintRule::SeveralPreferred, format!("{count} preferred {lang} terms; the first is suggested"));
                with_lang.lang = Some(lang);
                own.push(with_lang);
            }
        }
        own.extend(head_words.get(&concept_idx).into_iter().flatten().cloned());
        own.sort_by_key(|finding| finding.rule);
        findings.extend(own);
    }
    findings
}

/// `script-pair`: Cyrillic terms against Latin ones, both ways, statuses included.
fn script_pairs(concept: &Concept, out: &mut Vec<LintFinding>) {
    let latin: Vec<&Term> = concept.terms.iter().filter(|term| term.lang == LangTag::SR_LATN).collect();
    let cyrillic: Vec<&Term> = concept.terms.iter().filter(|term| term.lang == LangTag::SR_CYRL).collect();
    if latin.is_empty() || cyrillic.is_empty() {
        return;
    }
    for term in cyrillic.iter().filter(|term| !term.derived) {
        let as_latin = text::cyr_to_lat(&term.text);
        match latin.iter().find(|other| case_key(&other.text) == case_key(&as_latin)) {
            None => out.push(finding(concept, Some(term), LintRule::ScriptPair, format!("no Latin term transliterates it (expected «{as_latin}»)"))),
            Some(other) if other.status != term.status => out.push(finding(
                concept,
                Some(term),
                LintRule::ScriptPair,
                format!("{} here but its Latin form «{}» is {}", term.status, other.text, other.status),
            )),
            Some(_) => {}
        }
    }
    for term in latin.iter().filter(|term| !term.derived && term.status.is_approved()) {
        let as_cyrillic = text::lat_to_cyr(&term.text);
        // Foreign words and codes stay Latin in Cyrillic text: no counterpart expected.
        if !as_cyrillic.chars().any(crate::text::translit::is_serbian_cyrillic_letter) {
            continue;
        }
        if !cyrillic.iter().any(|other| case_key(&other.text) == case_key(&as_cyrillic)) {
            out.push(finding(concept, Some(term), LintRule::ScriptPair, format!("no Cyrillic term transliterates it (expected «{as_cyrillic}»)")));
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LetterScript {
    Latin,
    Cyrillic,
    Greek,
}

fn letter_script(c: char) -> Option<LetterScript> {
    if !c.is_alphabetic() {
        return None;
    }
    if crate::text::script::is_cyrillic_letter(c) {
        Some(LetterScript::Cyrillic)
    } else if ('\u{370}'..='\u{3FF}').contains(&c) || ('\u{1F00}'..='\u{1FFF}').contains(&c) {
        Some(LetterScript::Greek)
    } else {
        Some(LetterScript::Latin)
    }
}

/// `look-alike`: the first word with a letter of another script, as a message.
fn look_alike(term: &Term) -> Option<String> {
    let expected = if term.lang.script == Some(SrScript::Cyrl) { LetterScript::Cyrillic } else { LetterScript::Latin };
    for word in term.text.split(|c: char| c.is_whitespace() || c == '-' || c == '/') {
        if word.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        let scripts: Vec<(char, LetterScript)> = word.chars().filter_map(|c| letter_script(c).map(|script| (c, script))).collect();
        let all_latin = scripts.iter().all(|(_, script)| *script == LetterScript::Latin);
        // A Latin word in a Cyrillic term is a name or an abbreviation written in Latin (rare
        // but real); a word mixing scripts is not.
        if expected == LetterScript::Cyrillic && all_latin {
            continue;
        }
        if let Some((c, _)) = scripts.iter().find(|(_, script)| *script != expected) {
            return Some(format!("«{word}» holds {c:?} (U+{:04X}), a letter of another script", u32::from(*c)));
        }
    }
    None
}

/// Rejected terms: by (language and script, case key, subject) → (concept, status), and
/// one-word rejected terms by (language, folded word) → (concept, status, term).
/// (language and script, case key, subject field).
type TermKey = (LangTag, String, Option<String>);

struct Rejected {
    exact: HashMap<TermKey, Vec<(usize, TermStatus)>>,
    words: HashMap<(Lang, String), (usize, TermStatus, String)>,
}

fn rejected_terms(concepts: &[Concept]) -> Rejected {
    let mut rejected = Rejected { exact: HashMap::new(), words: HashMap::new() };
    for (idx, concept) in concepts.iter().enumerate() {
        for term in concept.terms.iter().filter(|term| !term.status.is_approved()) {
            rejected.exact.entry((term.lang, case_key(&term.text), concept.subject.clone())).or_default().push((idx, term.status));
            let words = folded_words(&term.text);
            if words.len() == 1 {
                rejected.words.entry((term.lang.lang, words[0].clone())).or_insert((idx, term.status, term.text.clone()));
            }
        }
    }
    rejected
}

/// Non-derived terms by (language and script, case key) → concepts, where more than one.
fn duplicate_terms(concepts: &[Concept]) -> HashMap<(LangTag, String), Vec<usize>> {
    let mut seen: HashMap<(LangTag, String), Vec<usize>> = HashMap::new();
    for (idx, concept) in concepts.iter().enumerate() {
        for term in concept.terms.iter().filter(|term| !term.derived) {
            let owners = seen.entry((term.lang, case_key(&term.text))).or_default();
            if !owners.contains(&idx) {
                owners.push(idx);
            }
        }
    }
    seen.retain(|_, owners| owners.len() > 1);
    seen
}

/// True when the words of `term` stand, in order, in `phrase` (a phrase word may inflect the
/// term's word: it starts with all but its last two letters, at least four).
fn phrase_holds_term(phrase: &str, term: &str) -> bool {
    let phrase_words: Vec<String> = folded_words(&phrase.replace('*', ""));
    let term_words = folded_words(term);
    if term_words.is_empty() || term_words.len() > phrase_words.len() {
        return false;
    }
    let stem = |word: &str| -> String {
        let len = word.chars().count();
        word.chars().take(len.saturating_sub(2).max(4).min(len)).collect()
    };
    (0..=phrase_words.len() - term_words.len()).any(|first| term_words.iter().enumerate().all(|(idx, word)| phrase_words[first + idx].starts_with(&stem(word))))
}

/// The head noun of an English term of several words: the word before the first
/// preposition, else the last word ("Committee on Policy and Finance" → committee,
/// "Policy and Finance Committee" → committee, "Municipal Assembly" → assembly).
fn english_head(term: &str) -> Option<String> {
    let words: Vec<String> = folded_words(term);
    if words.len() < 2 {
        return None;
    }
    let cut = words.iter().position(|word| matches!(word.as_str(), "of" | "for" | "on" | "in" | "to" | "with")).unwrap_or(words.len());
    (cut > 0).then(|| words[cut - 1].clone())
}

/// Serbian adjective endings that may precede the head noun ("Opštinski sud").
const SERBIAN_ADJECTIVE_ENDINGS: [&str; 10] = ["ski", "ska", "sko", "cki", "cka", "cko", "ni", "vni", "nji", "cna"];

/// The head word of an Albanian or Serbian term of several words, stemmed so that case forms
/// agree ("gjuha", "gjuhë"): the first word, in Serbian the first that is not an adjective by
/// its ending.
fn local_head(term: &str, lang: Lang) -> Option<String> {
    let words = folded_words(term);
    if words.len() < 2 {
        return None;
    }
    let head = match lang {
        Lang::Sr => words.iter().find(|word| !SERBIAN_ADJECTIVE_ENDINGS.iter().any(|ending| word.ends_with(ending)))?,
        _ => words.first()?,
    };
    Some(crate::text::stem::stem(head, lang).into_owned())
}

/// `head-word` findings by concept index.
fn head_word_findings(concepts: &[Concept]) -> HashMap<usize, Vec<LintFinding>> {
    let mut out: HashMap<usize, Vec<LintFinding>> = HashMap::new();
    for tag in [LangTag::SQ, LangTag::SR_LATN] {
        // English head → [(concept, local head, local term)].
        let mut groups: BTreeMap<String, Vec<(usize, String, &Term)>> = BTreeMap::new();
        for (idx, concept) in concepts.iter().enumerate() {
            let Some(english) = concept.preferred(LangTag::EN).and_then(|term| english_head(&term.text)) else { continue };
            let Some(local) = concept.preferred(tag) else { continue };
            let Some(head) = local_head(&local.text, tag.lang) else { continue };
            groups.entry(english).or_default().push((idx, head, local));
        }
        for (english, members) in groups {
            let mut counts: Vec<(&str, usize)> = Vec::new();
            for (_, head, _) in &members {
                match counts.iter_mut().find(|count| count.0 == head) {
                    Some(count) => count.1 += 1,
                    None => counts.push((head, 1)),
                }
            }
            if counts.len() < 2 {
                continue;
            }
            // The majority head; ties go to the first concept's (two siblings that disagree
            // are reported once, on the second).
            let Some(&(majority, n_majority)) = counts.iter().rev().max_by_key(|count| count.1) else { continue };
            let majority_ids: Vec<&str> = members.iter().filter(|member| member.1 == majority).map(|member| concepts[member.0].id.as_str()).collect();
            for (idx, head, term) in members.iter().filter(|member| member.1 != majority) {
                out.entry(*idx).or_default().push(finding(
                    &concepts[*idx],
                    Some(term),
                    LintRule::HeadWord,
                    format!(
                        "head word «{head}», where {} sibling concepts named «… {english}» in English use «{majority}» ({})",
                        n_majority,
                        majority_ids.join(", ")
                    ),
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(lang: LangTag, text: &str, status: TermStatus) -> Term {
        let mut term = Term::new(lang, text, status);
        term.source = Some("test".into());
        term
    }

    fn concept(id: &str, subject: &str, terms: Vec<Term>) -> Concept {
        let mut concept = Concept::new(id);
        concept.subject = Some(subject.into());
        concept.terms = terms;
        concept
    }

    /// Each finding as "concept:rule:term".
    fn check(concepts: &[Concept], expected: &[&str]) {
        let found: Vec<String> =
            lint(concepts).iter().map(|finding| format!("{}:{}:{}", finding.concept_id, finding.rule.id(), finding.term.as_deref().unwrap_or("-"))).collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn clean_concepts_pass() {
        let mut good = concept(
            "municipality",
            "local",
            vec![term(LangTag::SR_LATN, "opština", TermStatus::Preferred), term(LangTag::EN, "municipality", TermStatus::Preferred)],
        );
        crate::termbase::derive_serbian_scripts(&mut good);
        check(&[good], &[]);
    }

    #[test]
    fn each_rule_fires() {
        let mut superseded = term(LangTag::SR_LATN, "Opštinski sud", TermStatus::Superseded);
        superseded.note = Some("old court".into());
        let mut phrase = term(LangTag::SR_LATN, "manjina", TermStatus::Deprecated);
        phrase.note = Some("correct in «nacionalnih manjina»; «Okvirna konvencija»".into());
        let mut unsourced = Term::new(LangTag::EN, "Basic Court", TermStatus::Preferred);
        unsourced.source = None;
        let concepts = vec![
            concept(
                "court",
                "inst",
                vec![
                    term(LangTag::SR_LATN, "Osnovni sud", TermStatus::Preferred),
                    term(LangTag::SR_CYRL, "Основни суд", TermStatus::Preferred),
                    term(LangTag::SR_CYRL, "Општински суд", TermStatus::Preferred),
                    superseded,
                    unsourced,
                    term(LangTag::SQ, "Gjykatα Themelore", TermStatus::Preferred),
                ],
            ),
            concept(
                "community",
                "inst",
                vec![term(LangTag::SR_LATN, "zajednica", TermStatus::Preferred), phrase, term(LangTag::EN, "Basic Court", TermStatus::Admitted)],
            ),
            concept(
                "minority-office",
                "inst",
                vec![term(LangTag::SR_LATN, "manjina", TermStatus::Preferred), term(LangTag::SR_LATN, "Ured za manjina pitanja", TermStatus::Admitted)],
            ),
            concept(
                "committee-a",
                "inst",
                vec![term(LangTag::EN, "Committee on Finance", TermStatus::Preferred), term(LangTag::SR_LATN, "Odbor za finansije", TermStatus::Preferred)],
            ),
            concept(
                "committee-b",
                "inst",
                vec![term(LangTag::EN, "Committee on Budget", TermStatus::Preferred), term(LangTag::SR_LATN, "Odbor za budžet", TermStatus::Preferred)],
            ),
            concept(
                "committee-c",
                "inst",
                vec![
                    term(LangTag::EN, "Committee for Communities", TermStatus::Preferred),
                    term(LangTag::SR_LATN, "Komitet za zajednice", TermStatus::Preferred),
                    term(LangTag::SR_LATN, "Komitet za zajednice", TermStatus::Preferred),
                ],
            ),
        ];
        check(
            &concepts,
            &[
                "court:script-pair:Општински суд",
                "court:look-alike:Gjykatα Themelore",
                "court:no-source:Basic Court",
                "court:superseded-undated:Opštinski sud",
                "court:duplicate-term:Basic Court",
                "court:several-preferred:-",
                "community:phrase-without-term:manjina",
                "community:duplicate-term:manjina",
                "community:duplicate-term:Basic Court",
                "minority-office:rejected-elsewhere:manjina",
                "minority-office:rejected-word:Ured za manjina pitanja",
                "minority-office:duplicate-term:manjina",
                "committee-c:head-word:Komitet za zajednice",
                "committee-c:several-preferred:-",
            ],
        );
    }

    #[test]
    fn heads() {
        assert_eq!(english_head("Committee on Policy and Finance").as_deref(), Some("committee"));
        assert_eq!(english_head("Municipal Assembly").as_deref(), Some("assembly"));
        assert_eq!(english_head("Policy and Finance Committee").as_deref(), Some("committee"));
        assert_eq!(english_head("Mayor"), None);
        assert_eq!(local_head("Opštinski sud", Lang::Sr), local_head("sud opštine", Lang::Sr));
        assert_eq!(local_head("gjuha turke", Lang::Sq), local_head("gjuhë zyrtare", Lang::Sq));
        assert_ne!(local_head("Komitet za zajednice", Lang::Sr), local_head("Odbor za finansije", Lang::Sr));
        assert!(phrase_holds_term("pripadnici manjinskih zajednica", "manjina"));
        assert!(!phrase_holds_term("Okvirna konvencija", "manjina"));
    }

    #[test]
    fn rule_ids_are_unique() {
        let ids: std::collections::BTreeSet<&str> = LintRule::ALL.iter().map(|rule| rule.id()).collect();
        assert_eq!(ids.len(), LintRule::ALL.len());
    }
}
