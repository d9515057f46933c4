//! Term lookup: from a word or phrase in any language and script to the concepts it names,
//! with all their equivalents, ranked by how loose the match had to be.
//!
//! The ladder, strict first (each hit says which rung it needed):
//! 1. the folding tiers of the text pipeline: `exact`, `case`, `punct`, `diacritics`,
//!    `script` ("opstina", "ОПШТИНА" and "Opština" all find "opština");
//! 2. `stem`: inflected forms ("komunës" → "komunë", "opštini" → "opština",
//!    "Kuvendit të Komunës" → "Kuvendi i Komunës"), by the term-specific ending table and by
//!    the general stemmer;
//! 3. `fuzzy`: typos, by optimal string alignment distance over the comparison keys, at most
//!    1 edit for queries of 5–8 letters and 2 for longer ones, spread over the words;
//! 4. prefix: the query begins a term (autocomplete); such hits carry `prefix: true` and the
//!    strictest tier at which the term starts with the query.
//!
//! Within a rung, fewer edits (for `stem`: forms from the ending table before words that
//! merely share a stem), then preferred over admitted over the rest, then sources over
//! derived terms, then terms closer in length to the query come first. A concept appears once,
//! with its best hit. Lookup does not guess the query's language: `lang` restricts which
//! terms may match, and nothing else.

use std::collections::HashMap;

use serde::Serialize;

use super::index::{ARTICLE, TermId, TermIndex, WordId, equal_tier, key, lang_bit, prefix_tier};
use crate::model::lang::Lang;
use crate::model::{Concept, Term};
use crate::text::{Tier, stem::stem};

/// Options of [`TermIndex::lookup`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LookupOptions {
    /// Only terms in this language may match (Serbian: either script).
    pub lang: Option<Lang>,
    /// At most this many concepts.
    pub limit: usize,
}

impl Default for LookupOptions {
    fn default() -> Self {
        LookupOptions { lang: None, limit: 20 }
    }
}

/// One concept found by a lookup.
#[derive(Debug, Clone, Serialize)]
pub struct LookupHit<'a> {
    /// The concept, with all its terms.
    pub concept: &'a Concept,
    /// The term that matched.
    pub term: &'a Term,
    /// How loose the match had to be; for a prefix hit, the strictest tier at which the term
    /// starts with the query.
    pub tier: Tier,
    /// True when the query only begins the term.
    pub prefix: bool,
    /// Edits between query and term (fuzzy hits).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distance: Option<u32>,
}

/// Most word combinations a stem or fuzzy lookup tries.
const MAX_COMBINATIONS: usize = 256;
/// Most partial combinations a stem or fuzzy lookup visits.
const MAX_STEPS: usize = 4096;

/// The order of the rungs: the tiers in their order ([`Tier::rank`]), then prefix matches.
fn rung(tier: Tier, prefix: bool) -> u8 {
    if prefix { Tier::Fuzzy.rank() + 1 } else { tier.rank() }
}

#[derive(Clone, Copy)]
struct Candidate {
    term_id: TermId,
    tier: Tier,
    prefix: bool,
    distance: u32,
}

/// Calls `found` with each combination of one choice per position (a word and its cost),
/// whose total cost is within `budget`, until `MAX_COMBINATIONS` were tried or
/// `MAX_STEPS` partial combinations were visited (dead ends deep in a long query must not
/// make the search exponential).
fn combinations(choices: &[Vec<(WordId, u32)>], budget: u32, found: &mut impl FnMut(&[WordId], u32)) {
    struct Walk {
        tried: usize,
        steps: usize,
    }
    fn walk(choices: &[Vec<(WordId, u32)>], budget: u32, cost: u32, current: &mut Vec<WordId>, state: &mut Walk, found: &mut impl FnMut(&[WordId], u32)) {
        state.steps += 1;
        if state.tried >= MAX_COMBINATIONS || state.steps >= MAX_STEPS {
            return;
        }
        let Some((first, rest)) = choices.split_first() else {
            state.tried += 1;
            found(current, cost);
            return;
        };
        for &(word, word_cost) in first {
            if cost + word_cost > budget {
                continue;
            }
            current.push(word);
            walk(rest, budget, cost + word_cost, current, state, found);
            current.pop();
        }
    }
    // A position without any choice admits no combination.
    if choices.iter().any(Vec::is_empty) {
        return;
    }
    walk(choices, budget, 0, &mut Vec::with_capacity(choices.len()), &mut Walk { tried: 0, steps: 0 }, found);
}

impl TermIndex {
    fn langs_of(lang: Option<Lang>) -> u8 {
        lang.map_or(0xff, lang_bit)
    }

    /// The languages whose inflection rules apply to a query in `langs`.
    fn rule_langs(langs: u8) -> impl Iterator<Item = Lang> {
        Lang::ALL.into_iter().filter(move |lang| langs & lang_bit(*lang) != 0)
    }

    /// Word choices for each query word at the stem rung: the word itself (cost 0), its
    /// candidate bases by the term-specific ending table and the other Albanian articles (cost
    /// 1), and words that only share a stem by the general stemmer (cost 2: weaker evidence,
    /// as "komunë" and "komunitet" share one). A combination must cost something, so that at
    /// least one word inflected; cheaper combinations rank first.
    fn stem_choices(&self, words: &[&str], langs: u8) -> Vec<Vec<(WordId, u32)>> {
        words
            .iter()
            .map(|word| {
                let mut choices: Vec<(WordId, u32)> = Vec::new();
                if let Some(id) = self.is_word_in(word, langs) {
                    choices.push((id, 0));
                }
                if langs & lang_bit(Lang::Sq) != 0 && super::index::ALBANIAN_ARTICLES.contains(word) {
                    choices.push((ARTICLE, 1));
                }
                for lang in Self::rule_langs(langs) {
                    let lang_langs = lang_bit(lang);
                    self.inflector.bases(
                        word,
                        lang,
                        |candidate| self.is_word_in(candidate, lang_langs).is_some(),
                        |base| {
                            if let Some(id) = self.is_word_in(base, lang_langs)
                                && !choices.iter().any(|choice| choice.0 == id)
                            {
                                choices.push((id, 1));
                            }
                        },
                    );
                    if matches!(lang, Lang::Sq | Lang::Sr) {
                        let stemmed = stem(word, lang);
                        if stemmed.as_ref() != *word {
                            let ids = self.stems.get(stemmed.as_ref()).into_iter().flatten().copied().chain(self.is_word_in(&stemmed, lang_langs));
                            for id in ids {
                                if !choices.iter().any(|choice| choice.0 == id) {
                                    choices.push((id, 2));
                                }
                            }
                        }
                    }
                }
                choices
            })
            .collect()
    }

    /// Finds the concepts that `query` names, best first (see the module documentation).
    ///
    /// ```
    /// use termbridge::model::lang::LangTag;
    /// use termbridge::termbase::{LookupOptions, TermIndex};
    /// use termbridge::model::{Concept, Term, TermStatus};
    /// use termbridge::text::Tier;
    /// let mut concept = Concept::new("municipality");
    /// concept.terms.push(Term::new(LangTag::SQ, "komunë", TermStatus::Preferred));
    /// concept.terms.push(Term::new(LangTag::SR_LATN, "opština", TermStatus::Preferred));
    /// let index = TermIndex::build(vec![concept]);
    /// let hits = index.lookup("opstini", &LookupOptions::default());
    /// assert_eq!((hits[0].concept.id.as_str(), hits[0].tier), ("municipality", Tier::Stem));
    /// ```
    pub fn lookup(&self, query: &str, options: &LookupOptions) -> Vec<LookupHit<'_>> {
        let query_key = key(query);
        if query_key.is_empty() || options.limit == 0 {
            return Vec::new();
        }
        let langs = Self::langs_of(options.lang);
        let lang_ok = |term_id: TermId| langs & lang_bit(self.terms[term_id as usize].lang) != 0;
        let mut found: Vec<Candidate> = Vec::new();

        // 1. Folding tiers.
        for &term_id in self.by_key.get(query_key.as_str()).into_iter().flatten() {
            if lang_ok(term_id) {
                let (_, term) = self.term(term_id);
                found.push(Candidate { term_id, tier: equal_tier(query, &term.text), prefix: false, distance: 0 });
            }
        }

        let words: Vec<&str> = query_key.split(' ').collect();
        // A query longer than every term can only be a prefix of none and a form of none.
        let words_fit = words.len() <= self.max_term_words;
        // 2. Inflected forms.
        let stem_choices = if words_fit { self.stem_choices(&words, langs) } else { Vec::new() };
        combinations(&stem_choices, 2 * words.len() as u32, &mut |combination, cost| {
            if cost == 0 {
                return;
            }
            for &term_id in self.by_words.get(combination).into_iter().flatten() {
                if lang_ok(term_id) {
                    found.push(Candidate { term_id, tier: Tier::Stem, prefix: false, distance: cost });
                }
            }
        });

        // 3. Typos.
        let letters = query_key.chars().filter(|c| *c != ' ').count();
        let budget = match letters {
            0..=4 => 0,
            5..=8 => 1,
            _ => 2,
        };
        if budget > 0 && words_fit {
            let fuzzy_choices: Vec<Vec<(WordId, u32)>> = words
                .iter()
                .zip(&stem_choices)
                .map(|(word, stemmed)| {
                    let mut choices: Vec<(WordId, u32)> =
                        stemmed.iter().filter(|choice| choice.1 == 0 || choice.0 == ARTICLE).map(|choice| (choice.0, 0)).collect();
                    choices.extend(self.typo_neighbours(word, budget, langs));
                    choices
                })
                .collect();
            combinations(&fuzzy_choices, budget, &mut |combination, cost| {
                if cost == 0 {
                    return;
                }
                for &term_id in self.by_words.get(combination).into_iter().flatten() {
                    if lang_ok(term_id) {
                        found.push(Candidate { term_id, tier: Tier::Fuzzy, prefix: false, distance: cost });
                    }
                }
            });
            // Words run together or split apart ("ZubinPotok").
            let squashed = query_key.replace(' ', "");
            for &term_id in self.by_squashed.get(squashed.as_str()).into_iter().flatten() {
                if lang_ok(term_id) && *self.terms[term_id as usize].key != *query_key {
                    found.push(Candidate { term_id, tier: Tier::Fuzzy, prefix: false, distance: 1 });
                }
            }
        }

        // 4. Prefix.
        let start = self.sorted.partition_point(|&term_id| *self.terms[term_id as usize].key < *query_key);
        let mut prefix_hits = 0;
        for &term_id in &self.sorted[start..] {
            let indexed = &self.terms[term_id as usize];
            if !indexed.key.starts_with(query_key.as_str()) || prefix_hits >= options.limit * 4 {
                break;
            }
            if indexed.key.len() > query_key.len() && lang_ok(term_id) {
                // The tier of a prefix hit does not rank it; it is worked out for the hits kept.
                found.push(Candidate { term_id, tier: Tier::Script, prefix: true, distance: 0 });
                prefix_hits += 1;
            }
        }

        let mut hits = self.rank(found, query_key.chars().count(), options.limit);
        for hit in hits.iter_mut().filter(|hit| hit.prefix) {
            hit.tier = prefix_tier(query, &hit.term.text);
        }
        hits
    }

    /// Keeps each concept's best candidate, sorts and truncates.
    fn rank(&self, found: Vec<Candidate>, query_chars: usize, limit: usize) -> Vec<LookupHit<'_>> {
        let order = |candidate: &Candidate| {
            let (concept, term) = self.term(candidate.term_id);
            let length_gap = self.terms[candidate.term_id as usize].key.chars().count().abs_diff(query_chars);
            (rung(candidate.tier, candidate.prefix), candidate.distance, term.status, term.derived, length_gap, concept.id.clone())
        };
        let mut best: HashMap<u32, (Candidate, _)> = HashMap::new();
        for candidate in found {
            let concept_idx = self.terms[candidate.term_id as usize].concept;
            let rank = order(&candidate);
            match best.get(&concept_idx) {
                Some((_, existing)) if *existing <= rank => {}
                _ => {
                    best.insert(concept_idx, (candidate, rank));
                }
            }
        }
        let mut ranked: Vec<(Candidate, _)> = best.into_values().collect();
        ranked.sort_by(|a, b| a.1.cmp(&b.1));
        ranked.truncate(limit);
        ranked
            .into_iter()
            .map(|(candidate, _)| {
                let (concept, term) = self.term(candidate.term_id);
                LookupHit {
                    concept,
                    term,
                    tier: candidate.tier,
                    prefix: candidate.prefix,
                    distance: (candidate.tier == Tier::Fuzzy).then_some(candidate.distance),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TermStatus;

    fn index() -> TermIndex {
        let rows: &[(&str, &str, &str, TermStatus)] = &[
            ("municipality", "sq", "komunë", TermStatus::Preferred),
            ("municipality", "sr-Latn", "opština", TermStatus::Preferred),
            ("municipality", "sr-Latn", "općina", TermStatus::Deprecated),
            ("municipality", "en", "municipality", TermStatus::Preferred),
            ("municipal-assembly", "sq", "Kuvendi i Komunës", TermStatus::Preferred),
            ("municipal-assembly", "sr-Latn", "Skupština opštine", TermStatus::Preferred),
            ("municipal-assembly", "en", "Municipal Assembly", TermStatus::Preferred),
            ("gjakova", "sr-Latn", "Đakovica", TermStatus::Preferred),
            ("gjakova", "sq", "Gjakovë", TermStatus::Preferred),
            ("zubin-potok", "sr-Latn", "Zubin Potok", TermStatus::Preferred),
            ("prishtina", "sq", "Prishtinë", TermStatus::Preferred),
            ("prishtina", "sr-Latn", "Priština", TermStatus::Preferred),
            ("court", "sr-Latn", "sud", TermStatus::Preferred),
            ("community", "sq", "komunitet", TermStatus::Preferred),
        ];
        crate::termbase::test_index(rows)
    }

    /// (concept, tier, prefix) of the first hit.
    fn check(query: &str, lang: Option<Lang>, expected: Option<(&str, Tier, bool)>) {
        let index = index();
        let hits = index.lookup(query, &LookupOptions { lang, limit: 20 });
        let first = hits.first().map(|hit| (hit.concept.id.as_str(), hit.tier, hit.prefix));
        assert_eq!(first, expected, "{query}: {:?}", hits.iter().map(|h| (&h.concept.id, &h.term.text, h.tier, h.prefix)).collect::<Vec<_>>());
    }

    #[test]
    fn the_ladder() {
        check("komunë", None, Some(("municipality", Tier::Exact, false)));
        check("Komunë", None, Some(("municipality", Tier::Case, false)));
        check("komune", None, Some(("municipality", Tier::Diacritics, false)));
        check("ОПШТИНА", None, Some(("municipality", Tier::Case, false)));
        check("opstina", None, Some(("municipality", Tier::Diacritics, false)));
        check("komunës", None, Some(("municipality", Tier::Stem, false)));
        check("opstini", None, Some(("municipality", Tier::Stem, false)));
        check("општини", None, Some(("municipality", Tier::Stem, false)));
        check("municipalities", None, Some(("municipality", Tier::Stem, false)));
        check("Kuvendit të Komunës", None, Some(("municipal-assembly", Tier::Stem, false)));
        check("Skupštini opštine", None, Some(("municipal-assembly", Tier::Stem, false)));
        check("Djakovica", None, Some(("gjakova", Tier::Diacritics, false)));
        check("Dakovica", None, Some(("gjakova", Tier::Diacritics, false)));
        check("Pristna", None, Some(("prishtina", Tier::Fuzzy, false)));
        check("Prihstinë", None, Some(("prishtina", Tier::Fuzzy, false)));
        check("opstnia", None, Some(("municipality", Tier::Fuzzy, false)));
        check("ZubinPotok", None, Some(("zubin-potok", Tier::Fuzzy, false)));
        check("Skupstina opstnie", None, Some(("municipal-assembly", Tier::Fuzzy, false)));
        check("Kuve", None, Some(("municipal-assembly", Tier::Exact, true)));
        check("kuvendi i k", None, Some(("municipal-assembly", Tier::Case, true)));
        check("muni", None, Some(("municipality", Tier::Exact, true)));
        check("sad", None, None);
        check("komunë", Some(Lang::Sr), None);
        check("komunës", Some(Lang::Sq), Some(("municipality", Tier::Stem, false)));
        check("", None, None);
        check(" ,. ", None, None);
    }

    #[test]
    fn ranking_and_grouping() {
        let index = index();
        let hits = index.lookup("mun", &LookupOptions::default());
        let ids: Vec<&str> = hits.iter().map(|hit| hit.concept.id.as_str()).collect();
        assert_eq!(ids, ["municipality", "municipal-assembly"], "shorter completion first, one hit per concept");
        let hits = index.lookup("općina", &LookupOptions::default());
        assert_eq!(hits.len(), 1);
        assert_eq!((hits[0].term.text.as_str(), hits[0].term.status), ("općina", TermStatus::Deprecated));
        assert!(index.lookup("mun", &LookupOptions { lang: None, limit: 1 }).len() == 1);
        // Forms from the ending table rank before words that only share a stem.
        let hits = index.lookup("komunës", &LookupOptions::default());
        assert_eq!(hits[0].concept.id, "municipality");
    }

    #[test]
    fn combinations_stay_bounded() {
        let mut found = 0;
        // A dead end after 40 positions of three choices: nothing, at once.
        let mut choices: Vec<Vec<(WordId, u32)>> = vec![vec![(1, 0), (2, 0), (3, 0)]; 40];
        choices.push(Vec::new());
        combinations(&choices, 0, &mut |_, _| found += 1);
        assert_eq!(found, 0);
        // A dead end by budget at the last position: the step cap ends the search.
        choices.pop();
        choices.push(vec![(4, 1)]);
        combinations(&choices, 0, &mut |_, _| found += 1);
        assert_eq!(found, 0);
        choices.pop();
        combinations(&choices, 0, &mut |_, _| found += 1);
        assert_eq!(found, MAX_COMBINATIONS);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(query in "\\PC{0,40}") {
            let index = index();
            let hits = index.lookup(&query, &LookupOptions::default());
            proptest::prop_assert!(hits.len() <= 20);
        }
    }
}
