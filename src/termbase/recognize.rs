//! Term recognition: every occurrence of every term of one language in a text, with byte
//! offsets into the original, line and column.
//!
//! The text is folded once at the loosest tier ([`Tier::Script`]: case, punctuation,
//! diacritics, Serbian script), keeping the map back to the original. Each folded word gets
//! its candidate term words: itself, and the base forms it may be an inflection of (the
//! ending table of `inflect`, the general stemmer), computed once per distinct word. Where
//! terms match a span in different ways, only the strongest kind is kept: the words
//! themselves, then forms from the ending table, then words that merely share a stem. A term
//! matches where its word sequence can be read off consecutive candidate sets; Albanian
//! linking articles match each other. At each position the longest term wins, then the text
//! continues after it (leftmost-longest, no overlaps). Where several concepts share the
//! longest term, each is reported. Each occurrence reports the strictest tier at which the
//! original span equals the term, or `stem` when a word had to be inflected.
//!
//! Recognition does not decide which occurrences are wrong; [`super::check`] does, from
//! their status.

use std::collections::HashMap;

use serde::Serialize;

use super::index::{ALBANIAN_ARTICLES, ARTICLE, TermId, TermIndex, WordId, equal_tier, lang_bit, word_key};
use super::usage::{Supersession, correct_in, phrase_covering, supersession};
use crate::model::lang::{Lang, LangTag};
use crate::model::{Concept, Term, TermStatus};
use crate::text::{Folded, Tier, stem::stem};

/// One occurrence of a term in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Occurrence {
    /// Byte offset of the occurrence in the original text (a char boundary).
    pub start: usize,
    /// Byte offset just past the occurrence (a char boundary).
    pub end: usize,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The occurrence as written.
    pub text: String,
    /// The concept the term names.
    pub concept_id: String,
    /// The term as the term base writes it.
    pub term: String,
    /// The term's language and script.
    pub lang: LangTag,
    /// The term's status.
    pub status: TermStatus,
    /// How loose the match had to be (`stem` for inflected forms).
    pub tier: Tier,
    /// For a deprecated, superseded or forbidden term: the term to use instead.
    pub suggestion: Option<String>,
    /// For a term that is not approved but right in a fixed phrase of its usage note
    /// ("correct in «…»"), the phrase it stands in here: the occurrence is not a defect.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correct_in: Option<String>,
    /// For a superseded term whose note dates the change ("replaced on … by …"): when and by
    /// what it was replaced.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaced: Option<Supersession>,
    #[serde(skip)]
    pub(crate) concept_idx: u32,
    #[serde(skip)]
    pub(crate) term_idx: u32,
}

impl Occurrence {
    /// The byte range in the original text.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start..self.end
    }
}

/// How a text word reached a term word, strongest first.
const DIRECT: u8 = 0;
/// By the term-specific ending table.
const INFLECTED: u8 = 1;
/// Only by sharing a stem under the general stemmer.
const SAME_STEM: u8 = 2;

/// Candidate term words of each distinct folded word, in one arena.
struct Candidates<'t> {
    arena: Vec<(WordId, u8)>,
    by_word: HashMap<&'t str, (u32, u32)>,
}

impl TermIndex {
    /// Candidate term words for one folded word: (word, how it was reached).
    fn word_candidates(&self, folded_word: &str, lang: Lang, out: &mut Vec<(WordId, u8)>) {
        let langs = lang_bit(lang);
        let word = word_key(folded_word);
        let start = out.len();
        if let Some(id) = self.is_word_in(&word, langs) {
            out.push((id, DIRECT));
        }
        if lang == Lang::Sq && ALBANIAN_ARTICLES.contains(&word.as_ref()) {
            out.push((ARTICLE, DIRECT));
        }
        self.inflector.bases(
            &word,
            lang,
            |candidate| self.is_word_in(candidate, langs).is_some(),
            |base| {
                if let Some(id) = self.is_word_in(base, langs)
                    && !out[start..].iter().any(|entry| entry.0 == id)
                {
                    out.push((id, INFLECTED));
                }
            },
        );
        if matches!(lang, Lang::Sq | Lang::Sr) {
            let stemmed = stem(&word, lang);
            if stemmed.as_ref() != word.as_ref() {
                let ids: Vec<WordId> = self.stems.get(stemmed.as_ref()).into_iter().flatten().copied().chain(self.is_word_in(&stemmed, langs)).collect();
                for id in ids {
                    if self.word_langs[id as usize] & langs != 0 && !out[start..].iter().any(|entry| entry.0 == id) {
                        out.push((id, SAME_STEM));
                    }
                }
            }
        }
    }

    /// Finds every occurrence of the terms of `lang` (Serbian: both scripts) in `text`, in text
    /// order (see the module documentation).
    ///
    /// ```
    /// use termbridge::model::lang::{Lang, LangTag};
    /// use termbridge::termbase::TermIndex;
    /// use termbridge::model::{Concept, Term, TermStatus};
    /// let mut concept = Concept::new("municipal-assembly");
    /// concept.terms.push(Term::new(LangTag::SQ, "Kuvendi i Komunës", TermStatus::Preferred));
    /// let index = TermIndex::build(vec![concept]);
    /// let text = "Vendimi i Kuvendit të Komunës u miratua.";
    /// let found = index.recognize(text, Lang::Sq);
    /// assert_eq!(&text[found[0].range()], "Kuvendit të Komunës");
    /// ```
    pub fn recognize(&self, text: &str, lang: Lang) -> Vec<Occurrence> {
        let folded = Folded::new(text, Tier::Script, true);
        let mut word_spans: Vec<(usize, usize)> = Vec::new();
        let mut offset = 0;
        for word in folded.text.split(' ') {
            if !word.is_empty() {
                word_spans.push((offset, offset + word.len()));
            }
            offset += word.len() + 1;
        }
        let mut candidates = Candidates { arena: Vec::new(), by_word: HashMap::new() };
        let mut slots: Vec<(u32, u32)> = Vec::with_capacity(word_spans.len());
        for &(start, end) in &word_spans {
            let word = &folded.text[start..end];
            let slot = match candidates.by_word.get(word) {
                Some(&slot) => slot,
                None => {
                    let begin = candidates.arena.len() as u32;
                    self.word_candidates(word, lang, &mut candidates.arena);
                    let slot = (begin, candidates.arena.len() as u32);
                    candidates.by_word.insert(word, slot);
                    slot
                }
            };
            slots.push(slot);
        }
        let at = |position: usize| {
            let (begin, end) = slots[position];
            &candidates.arena[begin as usize..end as usize]
        };

        let langs = lang_bit(lang);
        let line_starts: Vec<usize> = std::iter::once(0).chain(text.match_indices('\n').map(|(idx, _)| idx + 1)).collect();
        let mut occurrences = Vec::new();
        let mut matched: Vec<(TermId, u8)> = Vec::new();
        let mut position = 0;
        while position < slots.len() {
            let mut best_len = 0;
            matched.clear();
            for &(first, first_how) in at(position) {
                for &term_id in self.by_first_word.get(&first).into_iter().flatten() {
                    let indexed = &self.terms[term_id as usize];
                    let len = indexed.words.len();
                    if lang_bit(indexed.lang) & langs == 0 || len < best_len || position + len > slots.len() {
                        continue;
                    }
                    let mut how = first_how;
                    let fits =
                        indexed.words.iter().enumerate().skip(1).all(|(offset, word)| match at(position + offset).iter().find(|entry| entry.0 == *word) {
                            Some(entry) => {
                                how = how.max(entry.1);
                                true
                            }
                            None => false,
                        });
                    if !fits {
                        continue;
                    }
                    if len > best_len {
                        best_len = len;
                        matched.clear();
                    }
                    if !matched.iter().any(|entry| entry.0 == term_id) {
                        matched.push((term_id, how));
                    }
                }
            }
            if best_len == 0 {
                position += 1;
                continue;
            }
            let folded_range = word_spans[position].0..word_spans[position + best_len - 1].1;
            let range = folded.original_range(folded_range);
            let written = &text[range.clone()];
            // One occurrence per concept: its term that matched most strictly.
            let mut per_concept: Vec<(u32, TermId, Tier)> = Vec::new();
            // Words that only share a stem are weaker evidence than forms of the term ("komunitet"
            // and "komunë" share the stem "kom"): keep the strongest kind of match found here.
            let strongest = matched.iter().map(|entry| entry.1).min().unwrap_or(DIRECT);
            matched.retain(|entry| entry.1 == strongest);
            for &(term_id, how) in &matched {
                let (_, term) = self.term(term_id);
                let tier = if how == DIRECT { equal_tier(written, &term.text) } else { Tier::Stem };
                let concept_idx = self.terms[term_id as usize].concept;
                match per_concept.iter_mut().find(|entry| entry.0 == concept_idx) {
                    Some(entry) => {
                        let (_, current) = self.term(entry.1);
                        if (tier.rank(), term.status) < (entry.2.rank(), current.status) {
                            *entry = (concept_idx, term_id, tier);
                        }
                    }
                    None => per_concept.push((concept_idx, term_id, tier)),
                }
            }
            per_concept.sort_by_key(|entry| (entry.2.rank(), self.term(entry.1).1.status, self.term(entry.1).0.id.clone()));
            let line_idx = line_starts.partition_point(|&line_start| line_start <= range.start) - 1;
            let column = text[line_starts[line_idx]..range.start].chars().count() + 1;
            for (concept_idx, term_id, tier) in per_concept {
                let (concept, term) = self.term(term_id);
                occurrences.push(Occurrence {
                    start: range.start,
                    end: range.end,
                    line: line_idx + 1,
                    column,
                    text: written.to_string(),
                    concept_id: concept.id.clone(),
                    term: term.text.clone(),
                    lang: term.lang,
                    status: term.status,
                    tier,
                    suggestion: replacement(concept, term),
                    correct_in: None,
                    replaced: None,
                    concept_idx,
                    term_idx: self.terms[term_id as usize].term,
                });
            }
            position += best_len;
        }
        self.read_usage_notes(text, &mut occurrences);
        occurrences
    }

    /// Fills `correct_in` and `replaced` of the occurrences of terms that are not approved,
    /// from their usage notes (see `usage`).
    fn read_usage_notes(&self, text: &str, occurrences: &mut [Occurrence]) {
        for occurrence in occurrences.iter_mut().filter(|occurrence| !occurrence.status.is_approved()) {
            let (_, term) = self.occurrence_term(occurrence);
            let Some(note) = term.note.as_deref() else { continue };
            let phrases = correct_in(note);
            occurrence.correct_in = phrase_covering(text, occurrence.range(), &phrases).map(str::to_string);
            if occurrence.status == TermStatus::Superseded {
                occurrence.replaced = supersession(note);
            }
        }
    }

    /// The concept and term an occurrence found.
    pub fn occurrence_term(&self, occurrence: &Occurrence) -> (&Concept, &Term) {
        let concept = &self.concepts[occurrence.concept_idx as usize];
        (concept, &concept.terms[occurrence.term_idx as usize])
    }
}

/// The term to use instead of `term` when it is not approved: the concept's preferred (else
/// admitted) term in the same language and script.
pub(crate) fn replacement(concept: &Concept, term: &Term) -> Option<String> {
    if term.status.is_approved() {
        return None;
    }
    concept.suggestion(term.lang).or_else(|| concept.suggestion(LangTag { lang: term.lang.lang, script: None })).map(|better| better.text.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> TermIndex {
        let rows: &[(&str, &str, &str, TermStatus)] = &[
            ("municipality", "sq", "komunë", TermStatus::Preferred),
            ("municipality", "sr-Latn", "opština", TermStatus::Preferred),
            ("municipality", "sr-Latn", "općina", TermStatus::Deprecated),
            ("municipal-assembly", "sq", "Kuvendi i Komunës", TermStatus::Preferred),
            ("municipal-assembly", "sr-Latn", "Skupština opštine", TermStatus::Preferred),
            ("kosovo", "sr-Latn", "Republika Kosovo", TermStatus::Preferred),
            ("kosovo", "sr-Latn", "Kosovo i Metohija", TermStatus::Forbidden),
            ("gjakova", "sr-Latn", "Đakovica", TermStatus::Preferred),
            ("gjakova", "sr-Latn", "Djakovica", TermStatus::Deprecated),
            ("language-rights", "sq", "të drejtat gjuhësore", TermStatus::Preferred),
            ("community", "sq", "komunitet", TermStatus::Preferred),
        ];
        crate::termbase::test_index(rows)
    }

    /// Each occurrence as "text=concept/tier[/suggestion]".
    fn check(text: &str, lang: Lang, expected: &[&str]) {
        let found: Vec<String> = index()
            .recognize(text, lang)
            .iter()
            .map(|occurrence| {
                assert_eq!(&text[occurrence.range()], occurrence.text);
                let mut line = format!("{}={}/{}", occurrence.text, occurrence.concept_id, occurrence.tier.as_str());
                if let Some(suggestion) = &occurrence.suggestion {
                    line.push('/');
                    line.push_str(suggestion);
                }
                line
            })
            .collect();
        assert_eq!(found, expected, "{text}");
    }

    #[test]
    fn finds_inflected_multiword_and_both_scripts() {
        check("Kuvendi i Komunës dhe komunat.", Lang::Sq, &["Kuvendi i Komunës=municipal-assembly/exact", "komunat=municipality/stem"]);
        check("Në mbledhjen e Kuvendit të Komunës", Lang::Sq, &["Kuvendit të Komunës=municipal-assembly/stem"]);
        check("KUVENDI I KOMUNES", Lang::Sq, &["KUVENDI I KOMUNES=municipal-assembly/diacritics"]);
        check("Skupštini opštine i opštini", Lang::Sr, &["Skupštini opštine=municipal-assembly/stem", "opštini=municipality/stem"]);
        check("Скупштина општине", Lang::Sr, &["Скупштина општине=municipal-assembly/exact"]);
        check("u Opštini.", Lang::Sr, &["Opštini=municipality/stem"]);
        check("mbrojtja e të drejtave gjuhësore", Lang::Sq, &["të drejtave gjuhësore=language-rights/stem"]);
        check("opština", Lang::Sq, &[]);
        // "komunitet" and "komunë" may share a stem; forms of a term win over stem siblings.
        check("komunitetit dhe komunës", Lang::Sq, &["komunitetit=community/stem", "komunës=municipality/stem"]);
        check("komunitet", Lang::Sq, &["komunitet=community/exact"]);
    }

    #[test]
    fn forbidden_terms_carry_the_preferred_term() {
        check("Vlada Kosova i Metohije", Lang::Sr, &["Kosova i Metohije=kosovo/stem/Republika Kosovo"]);
        check("Косово и Метохија", Lang::Sr, &["Косово и Метохија=kosovo/exact/Република Косово"]);
        check("u općini Djakovica", Lang::Sr, &["općini=municipality/stem/opština", "Djakovica=gjakova/exact/Đakovica"]);
        check("Đakovica, Dakovica", Lang::Sr, &["Đakovica=gjakova/exact", "Dakovica=gjakova/diacritics"]);
    }

    #[test]
    fn lines_and_columns() {
        let text = "Prvi red\nDrugi: «opština»\r\nтрећи општина";
        let found = index().recognize(text, Lang::Sr);
        let places: Vec<(usize, usize, &str)> = found.iter().map(|o| (o.line, o.column, o.text.as_str())).collect();
        assert_eq!(places, [(2, 9, "opština"), (3, 7, "општина")]);
    }

    proptest::proptest! {
        #[test]
        fn offsets_are_char_boundaries_in_bounds(text in "(\\PC|komunës |opštini |Kuvendit të |Komunës |Ђ|e\u{308}| ){0,60}") {
            let index = index();
            for lang in [Lang::Sq, Lang::Sr, Lang::En] {
                let mut last_end = 0;
                for occurrence in index.recognize(&text, lang) {
                    proptest::prop_assert!(occurrence.start < occurrence.end && occurrence.end <= text.len());
                    proptest::prop_assert!(text.is_char_boundary(occurrence.start) && text.is_char_boundary(occurrence.end));
                    proptest::prop_assert!(occurrence.start >= last_end.min(occurrence.start));
                    proptest::prop_assert_eq!(&text[occurrence.range()], occurrence.text.as_str());
                    last_end = occurrence.end;
                }
            }
        }
    }
}
