//! Terms as the audit needs them: per concept, the approved form in each language (first
//! is preferred), other accepted forms, and forms that must not be used, with a finder that
//! tolerates case, diacritics, script (Serbian Cyrillic reads as Latin) and inflection.
//!
//! Filled from the audit configuration's house terms and, where the term base is loaded,
//! from its concepts. Matching is on words: each word of a term matches a word of the text
//! that is equal after folding, or that extends it by at most three letters when the term's
//! word has five letters or more (inflection: "lozinka" / "lozinke" / "lozinkom"). A word of
//! a term written in capitals (an abbreviation: "AKO", "KAP") matches only a word written in
//! capitals, since folding case would make it the ordinary word ("ako" = if, "kap" = drop).
//!
//! Deliberately not done: full morphological analysis, or matching across punctuation.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::lang::Lang;
use crate::text::{case_fold, cyr_to_lat, diacritic_fold};

use super::vocabulary::words;

/// One concept's forms in each language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermRule {
    /// An id or label for reports (e.g. the term base concept id).
    #[serde(default)]
    pub id: String,
    /// Approved forms per language code; the first is preferred.
    #[serde(default)]
    pub approved: BTreeMap<Lang, Vec<String>>,
    /// Forms that must not be used, per language code.
    #[serde(default)]
    pub forbidden: BTreeMap<Lang, Vec<String>>,
    /// Per forbidden form: fixed phrases in which it is right (a treaty's name, a phrase of
    /// the law); an occurrence inside one is not reported. Matching as `termbase::phrase_covering`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub correct_in: BTreeMap<String, Vec<String>>,
    /// Per superseded form of a term base concept: when and by what it was replaced (from the
    /// term's usage note).
    #[serde(skip)]
    pub replaced: BTreeMap<String, crate::termbase::Supersession>,
    /// Forms that are deprecated or superseded rather than forbidden (term base concepts):
    /// often ordinary words in another sense ("letters", "plata" = salary), so the audit
    /// reports them only where an aligned version names the concept.
    #[serde(skip)]
    pub where_named: std::collections::BTreeSet<String>,
}

/// A term found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermHit {
    /// Index of the rule.
    pub rule: usize,
    /// True when the form found is a forbidden one.
    pub forbidden: bool,
    /// Index of the form in its list (approved or forbidden).
    pub form: usize,
    /// Byte range in the text.
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
}

/// One form in the lookup index.
#[derive(Debug, Clone)]
struct IndexedForm {
    rule: usize,
    lang: Lang,
    forbidden: bool,
    form: usize,
    words: Vec<String>,
    /// Per word: written in capitals in the term (an abbreviation), so it matches only a word
    /// written in capitals.
    capitals: Vec<bool>,
}

/// The terms an audit checks.
#[derive(Debug, Clone, Default)]
pub struct TermList {
    rules: Vec<TermRule>,
    /// Forms by the first four letters of their first folded word: a text word can only
    /// start a form whose key its own first four letters equal (see `word_matches`).
    index: std::collections::HashMap<String, Vec<IndexedForm>>,
}

fn index_key(folded_word: &str) -> String {
    folded_word.chars().take(4).collect()
}

fn fold_word(word: &str) -> String {
    let latin = cyr_to_lat(word);
    let cased = case_fold(&latin);
    diacritic_fold(&cased).into_owned()
}

fn fold_words(text: &str) -> Vec<String> {
    words(text).map(|(_, word)| fold_word(word)).collect()
}

/// True for a word of two or more letters none of which is lower case ("AKO", "АКО", "MASHT").
fn in_capitals(word: &str) -> bool {
    word.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !word.chars().any(char::is_lowercase)
}

fn word_matches(term_word: &str, text_word: &str) -> bool {
    if term_word == text_word {
        return true;
    }
    let term_len = term_word.chars().count();
    let text_len = text_word.chars().count();
    if term_len < 5 || text_len < term_len.saturating_sub(1) || text_len > term_len + 3 {
        return false;
    }
    // The term's word minus a final vowel is the stem that inflection keeps.
    let stem: String = if term_word.ends_with(['a', 'e', 'i', 'o', 'u']) { term_word.chars().take(term_len - 1).collect() } else { term_word.to_string() };
    text_word.starts_with(&stem)
}

impl TermList {
    /// Builds the list from rules.
    pub fn new(rules: Vec<TermRule>) -> TermList {
        let mut index: std::collections::HashMap<String, Vec<IndexedForm>> = std::collections::HashMap::new();
        for (rule_idx, rule) in rules.iter().enumerate() {
            for (forbidden, forms_by_lang) in [(false, &rule.approved), (true, &rule.forbidden)] {
                for (lang, forms) in forms_by_lang {
                    for (form_idx, form) in forms.iter().enumerate() {
                        let words = fold_words(form);
                        let capitals = super::vocabulary::words(form).map(|(_, word)| in_capitals(word)).collect();
                        let Some(first) = words.first() else { continue };
                        index.entry(index_key(first)).or_default().push(IndexedForm {
                            rule: rule_idx,
                            lang: *lang,
                            forbidden,
                            form: form_idx,
                            words,
                            capitals,
                        });
                    }
                }
            }
        }
        TermList { rules, index }
    }

    /// The rules of term base concepts: preferred and admitted terms are approved (preferred
    /// first), deprecated, superseded and forbidden ones are forbidden, with the fixed phrases
    /// and the replacement dates their usage notes give.
    pub fn rules_from_concepts(concepts: &[crate::model::Concept]) -> Vec<TermRule> {
        concepts
            .iter()
            .map(|concept| {
                let mut rule = TermRule { id: concept.id.clone(), ..TermRule::default() };
                let mut terms: Vec<&crate::model::Term> = concept.terms.iter().collect();
                terms.sort_by_key(|term| term.status);
                for term in terms {
                    let list = if term.status.is_approved() { &mut rule.approved } else { &mut rule.forbidden };
                    let forms = list.entry(term.lang.lang).or_default();
                    if !forms.contains(&term.text) {
                        forms.push(term.text.clone());
                    }
                    if matches!(term.status, crate::model::TermStatus::Deprecated | crate::model::TermStatus::Superseded) {
                        rule.where_named.insert(term.text.clone());
                    }
                    if let Some(note) = term.note.as_deref().filter(|_| !term.status.is_approved()) {
                        let phrases = crate::termbase::correct_in(note);
                        if !phrases.is_empty() {
                            rule.correct_in.insert(term.text.clone(), phrases);
                        }
                        if term.status == crate::model::TermStatus::Superseded
                            && let Some(change) = crate::termbase::supersession(note)
                        {
                            rule.replaced.insert(term.text.clone(), change);
                        }
                    }
                }
                rule
            })
            .collect()
    }

    /// Adds rules.
    pub fn extend(&mut self, rules: Vec<TermRule>) {
        let mut all = std::mem::take(&mut self.rules);
        all.extend(rules);
        *self = TermList::new(all);
    }

    /// The rules.
    pub fn rules(&self) -> &[TermRule] {
        &self.rules
    }

    /// True when there is no rule.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Every form of every rule for `lang` found in `text`, longest first where they overlap.
    pub fn find(&self, text: &str, lang: Lang) -> Vec<TermHit> {
        if self.rules.is_empty() {
            return Vec::new();
        }
        let tokens: Vec<(usize, &str, String)> = words(text).map(|(start, word)| (start, word, fold_word(word))).collect();
        let mut hits = Vec::new();
        for start in 0..tokens.len() {
            let Some(candidates) = self.index.get(&index_key(&tokens[start].2)) else { continue };
            for candidate in candidates {
                if candidate.lang != lang || candidate.words.len() > tokens.len() - start {
                    continue;
                }
                let matches = candidate
                    .words
                    .iter()
                    .zip(&candidate.capitals)
                    .zip(&tokens[start..])
                    .all(|((term_word, capitals), token)| word_matches(term_word, &token.2) && (!capitals || in_capitals(token.1)));
                if matches {
                    let (last_start, last_word, _) = &tokens[start + candidate.words.len() - 1];
                    hits.push(TermHit {
                        rule: candidate.rule,
                        forbidden: candidate.forbidden,
                        form: candidate.form,
                        start: tokens[start].0,
                        end: last_start + last_word.len(),
                    });
                }
            }
        }
        // Keep the longest of overlapping hits (a forbidden "Kosovska Mitrovica" over an
        // approved "Mitrovica").
        hits.sort_by(|a, b| a.start.cmp(&b.start).then((b.end - b.start).cmp(&(a.end - a.start))));
        let mut kept: Vec<TermHit> = Vec::new();
        for hit in hits {
            if kept.last().is_some_and(|last| hit.start < last.end) {
                continue;
            }
            kept.push(hit);
        }
        kept
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// House terms for the tests of the checks.
    pub(crate) fn sample() -> TermList {
        let rule = |id: &str, approved: &[(Lang, &[&str])], forbidden: &[(Lang, &[&str])]| TermRule {
            id: id.to_string(),
            approved: approved.iter().map(|(lang, forms)| (*lang, forms.iter().map(|f| f.to_string()).collect())).collect(),
            forbidden: forbidden.iter().map(|(lang, forms)| (*lang, forms.iter().map(|f| f.to_string()).collect())).collect(),
            ..TermRule::default()
        };
        TermList::new(vec![
            rule("password", &[(Lang::Sq, &["fjalëkalim"]), (Lang::Sr, &["lozinka", "šifra"]), (Lang::En, &["password"])], &[(Lang::Sr, &["pasvord"])]),
            rule(
                "language-commissioner",
                &[(Lang::Sq, &["Komisioneri për Gjuhët"]), (Lang::Sr, &["poverenik za jezike"]), (Lang::En, &["Language Commissioner"])],
                &[(Lang::Sr, &["jezički komesar"])],
            ),
        ])
    }

    #[test]
    fn finds_inflected_folded_and_cyrillic_forms() {
        let terms = sample();
        let hits = terms.find("Унесите лозинку. Vaša šifra je ista.", Lang::Sr);
        assert_eq!(hits.iter().map(|hit| (hit.rule, hit.form)).collect::<Vec<_>>(), vec![(0, 0), (0, 1)]);
        assert!(terms.find("Pasvord je loš", Lang::Sr)[0].forbidden);
        assert_eq!(terms.find("Jepni fjalëkalimin", Lang::Sq).len(), 1);
        assert!(terms.find("Jepni emrin", Lang::Sq).is_empty());
        assert_eq!(terms.find("Kancelarija: Poverenika za jezike", Lang::Sr).len(), 1);
    }

    #[test]
    fn an_abbreviation_matches_only_capitals() {
        let rule = TermRule {
            id: "association-of-kosovo-municipalities".to_string(),
            approved: [(Lang::Sr, vec!["Asocijacija kosovskih opština".to_string(), "AKO".to_string()])].into_iter().collect(),
            ..TermRule::default()
        };
        let terms = TermList::new(vec![rule]);
        assert!(terms.find("Ako želite, ako ne.", Lang::Sr).is_empty(), "the word 'ako' (if) is not the abbreviation");
        assert_eq!(terms.find("Skupština AKO-a i АКО", Lang::Sr).len(), 2);
        assert_eq!(terms.find("ASOCIJACIJA KOSOVSKIH OPŠTINA", Lang::Sr).len(), 1, "a term in ordinary case still matches capitals");
    }
}
