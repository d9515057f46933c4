//! The in-memory index over a term base that lookup and recognition share, built once from
//! the concepts.
//!
//! Every term is reduced to its comparison key: the loosest fold of the text pipeline
//! (case, punctuation, diacritics and Serbian script folded, [`Tier::Script`]), with đ and its
//! stand-in "dj" both written "d", so "Đakovica", "Djakovica", "Dakovica" and "Ђаковица" share
//! one key. A key is a sequence of words; each distinct word gets a number. On top of that:
//! - a hash map from key to terms (the folding tiers),
//! - a hash map from word-number sequences to terms, where Albanian's linking articles
//!   (i, e, të, së), which change with case ("Kuvendi i Komunës", "Kuvendit të Komunës"), are
//!   one number, and a map from first word to terms (inflected forms, recognition),
//! - the term numbers sorted by key (prefix search),
//! - a deletion-neighbourhood index over the words (typos): every word with up to one or
//!   two characters deleted, hashed, so that two words within edit distance k meet on some
//!   deletion of each,
//! - the stems of the words by the general stemmer ([`crate::text::stem`]), as a second way to
//!   inflected forms beside the term-specific table of `inflect`.
//!
//! The index holds no reference to the store; rebuild it after the term base changes.

use std::collections::HashMap;

use super::inflect::Inflector;
use crate::model::Concept;
use crate::model::lang::Lang;
use crate::text::{self, Folded, Tier, stem::stem};

/// A term's number in the index.
pub(crate) type TermId = u32;
/// A distinct word's number in the index.
pub(crate) type WordId = u32;
/// The number every Albanian linking article (i, e, të, së) gets in Albanian terms.
pub(crate) const ARTICLE: WordId = u32::MAX;

/// Albanian linking articles as keys.
pub(crate) const ALBANIAN_ARTICLES: [&str; 4] = ["i", "e", "te", "se"];

/// A term as the index sees it.
#[derive(Debug)]
pub(crate) struct IndexedTerm {
    /// Index of the concept in [`TermIndex::concepts`].
    pub(crate) concept: u32,
    /// Index of the term in the concept's `terms`.
    pub(crate) term: u32,
    /// The term's language.
    pub(crate) lang: Lang,
    /// Comparison key.
    pub(crate) key: Box<str>,
    /// Word numbers of the key (articles as [`ARTICLE`] in Albanian terms).
    pub(crate) words: Box<[WordId]>,
}

/// Lookup and recognition structures over a term base. Build once, share freely (it is
/// immutable and `Sync`).
#[derive(Debug)]
pub struct TermIndex {
    pub(crate) concepts: Vec<Concept>,
    pub(crate) terms: Vec<IndexedTerm>,
    pub(crate) by_key: HashMap<Box<str>, Vec<TermId>>,
    pub(crate) by_words: HashMap<Box<[WordId]>, Vec<TermId>>,
    pub(crate) by_first_word: HashMap<WordId, Vec<TermId>>,
    /// Keys of multi-word terms with the spaces taken out ("zubinpotok").
    pub(crate) by_squashed: HashMap<Box<str>, Vec<TermId>>,
    /// Term numbers sorted by key.
    pub(crate) sorted: Vec<TermId>,
    /// The most words a term has.
    pub(crate) max_term_words: usize,
    pub(crate) words: Vec<Box<str>>,
    pub(crate) word_ids: HashMap<Box<str>, WordId>,
    /// For each word, the languages (bit per [`lang_bit`]) of the terms it occurs in.
    pub(crate) word_langs: Vec<u8>,
    /// Stem (by the general stemmer, where it differs from the word) → words.
    pub(crate) stems: HashMap<Box<str>, Vec<WordId>>,
    /// (hash of a deletion variant, word), sorted by hash.
    pub(crate) deletions: Vec<(u32, WordId)>,
    /// Where each bucket of hashes (their top `deletion_bits` bits) starts in `deletions`, so
    /// that a probe touches one or two cache lines instead of a binary search's twenty.
    pub(crate) deletion_buckets: Vec<u32>,
    pub(crate) deletion_bits: u32,
    pub(crate) inflector: Inflector,
}

impl std::fmt::Debug for Inflector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Inflector")
    }
}

/// The bit of a language in a language set.
pub(crate) fn lang_bit(lang: Lang) -> u8 {
    match lang {
        Lang::Sq => 1,
        Lang::Sr => 2,
        Lang::En => 4,
        Lang::Tr => 8,
        Lang::Bs => 16,
    }
}

/// The comparison key of a text: [`Tier::Script`] folding with đ → d, and "dj" → "d".
pub(crate) fn key(text: &str) -> String {
    let folded = Folded::new(text, Tier::Script, true).text;
    word_key(&folded).into_owned()
}

/// The key of one word (or key) already folded at [`Tier::Script`]: "dj" → "d".
pub(crate) fn word_key(folded: &str) -> std::borrow::Cow<'_, str> {
    if folded.contains("dj") { std::borrow::Cow::Owned(folded.replace("dj", "d")) } else { std::borrow::Cow::Borrowed(folded) }
}

fn has_cyrillic(text: &str) -> bool {
    crate::text::script::has_cyrillic(text)
}

/// The strictest folding tier at which `written` equals `term`, for two texts already known
/// to share a comparison key. Cheaper than [`text::match_tier`] for the usual cases: equal
/// texts, and texts in different scripts (which only the script tier can join).
pub(crate) fn equal_tier(written: &str, term: &str) -> Tier {
    let written = text::nfc(written);
    if written == term {
        return Tier::Exact;
    }
    if has_cyrillic(&written) != has_cyrillic(term) {
        return Tier::Script;
    }
    if text::case_fold(&written) == text::case_fold(term) {
        return Tier::Case;
    }
    // Keys are equal, so the texts meet at the script tier at the latest (đ written "dj" or
    // "d" included).
    text::match_tier(&written, term).unwrap_or(Tier::Script)
}

/// The strictest folding tier at which `term` starts with `query`.
pub(crate) fn prefix_tier(query: &str, term: &str) -> Tier {
    let query = text::nfc(query);
    if term.starts_with(query.as_ref()) {
        return Tier::Exact;
    }
    if has_cyrillic(&query) != has_cyrillic(term) {
        return Tier::Script;
    }
    if text::case_fold(term).starts_with(text::case_fold(&query).as_ref()) {
        return Tier::Case;
    }
    for tier in [Tier::Punct, Tier::Diacritics] {
        if text::fold(term, tier).starts_with(text::fold(&query, tier).as_ref()) {
            return tier;
        }
    }
    Tier::Script
}

/// How many edits a word of `chars` characters may take to still count as a typo of
/// another: none below 3, one up to 5, two above.
pub(crate) fn word_typo_cap(chars: usize) -> u32 {
    match chars {
        0..=2 => 0,
        3..=5 => 1,
        _ => 2,
    }
}

/// FNV-1a over the characters of `chars` except those at `skip` (sorted), as 32 bits.
fn hash_without(chars: &[char], skip: &[usize]) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    let mut skip = skip.iter().peekable();
    for (idx, c) in chars.iter().enumerate() {
        if skip.peek() == Some(&&idx) {
            skip.next();
            continue;
        }
        for byte in (*c as u32).to_le_bytes() {
            hash ^= u32::from(byte);
            hash = hash.wrapping_mul(0x0100_0193);
        }
    }
    hash
}

/// Calls `found` with the hash of every string made from `chars` by deleting up to `max`
/// (at most 2) characters, `chars` itself included; equal variants may repeat.
pub(crate) fn deletion_hashes(chars: &[char], max: u32, found: &mut impl FnMut(u32)) {
    found(hash_without(chars, &[]));
    if max == 0 {
        return;
    }
    for first in 0..chars.len() {
        found(hash_without(chars, &[first]));
        if max >= 2 {
            for second in first + 1..chars.len() {
                found(hash_without(chars, &[first, second]));
            }
        }
    }
}

impl TermIndex {
    /// Builds the index over `concepts`.
    ///
    /// ```
    /// use termbridge::model::lang::LangTag;
    /// use termbridge::termbase::TermIndex;
    /// use termbridge::model::{Concept, Term, TermStatus};
    /// let mut concept = Concept::new("municipality");
    /// concept.terms.push(Term::new(LangTag::SQ, "komunë", TermStatus::Preferred));
    /// let index = TermIndex::build(vec![concept]);
    /// assert_eq!(index.concepts().len(), 1);
    /// ```
    pub fn build(concepts: Vec<Concept>) -> TermIndex {
        let mut index = TermIndex {
            concepts: Vec::new(),
            terms: Vec::new(),
            by_key: HashMap::new(),
            by_words: HashMap::new(),
            by_first_word: HashMap::new(),
            by_squashed: HashMap::new(),
            sorted: Vec::new(),
            max_term_words: 0,
            words: Vec::new(),
            word_ids: HashMap::new(),
            word_langs: Vec::new(),
            stems: HashMap::new(),
            deletions: Vec::new(),
            deletion_buckets: Vec::new(),
            deletion_bits: 0,
            inflector: Inflector::new(),
        };
        for (concept_idx, concept) in concepts.iter().enumerate() {
            for (term_idx, term) in concept.terms.iter().enumerate() {
                let term_key = key(&term.text);
                if term_key.is_empty() {
                    continue;
                }
                let lang = term.lang.lang;
                let mut word_numbers = Vec::new();
                for word in term_key.split(' ') {
                    if lang == Lang::Sq && ALBANIAN_ARTICLES.contains(&word) {
                        word_numbers.push(ARTICLE);
                        continue;
                    }
                    let id = index.intern(word);
                    index.word_langs[id as usize] |= lang_bit(lang);
                    word_numbers.push(id);
                }
                let term_id = index.terms.len() as TermId;
                index.max_term_words = index.max_term_words.max(word_numbers.len());
                index.by_key.entry(term_key.as_str().into()).or_default().push(term_id);
                if word_numbers.len() > 1 {
                    index.by_squashed.entry(term_key.replace(' ', "").into()).or_default().push(term_id);
                }
                index.by_words.entry(word_numbers.clone().into()).or_default().push(term_id);
                index.by_first_word.entry(word_numbers[0]).or_default().push(term_id);
                index.terms.push(IndexedTerm { concept: concept_idx as u32, term: term_idx as u32, lang, key: term_key.into(), words: word_numbers.into() });
            }
        }
        index.concepts = concepts;
        let mut sorted: Vec<TermId> = (0..index.terms.len() as TermId).collect();
        sorted.sort_by(|a, b| index.terms[*a as usize].key.cmp(&index.terms[*b as usize].key));
        index.sorted = sorted;
        index.build_word_indexes();
        index
    }

    fn intern(&mut self, word: &str) -> WordId {
        if let Some(&id) = self.word_ids.get(word) {
            return id;
        }
        let id = self.words.len() as WordId;
        self.words.push(word.into());
        self.word_ids.insert(word.into(), id);
        self.word_langs.push(0);
        id
    }

    fn build_word_indexes(&mut self) {
        let mut deletions = Vec::new();
        for (id, word) in self.words.iter().enumerate() {
            let id = id as WordId;
            for lang in Lang::ALL {
                if self.word_langs[id as usize] & lang_bit(lang) == 0 || !matches!(lang, Lang::Sq | Lang::Sr) {
                    continue;
                }
                let stemmed = stem(word, lang);
                if stemmed.as_ref() != word.as_ref() && !stemmed.is_empty() {
                    let list = self.stems.entry(stemmed.as_ref().into()).or_default();
                    if !list.contains(&id) {
                        list.push(id);
                    }
                }
            }
            let chars: Vec<char> = word.chars().collect();
            // Short words are indexed as themselves, so that an inserted letter ("of" → "oqf")
            // is still found from the longer side.
            let cap = word_typo_cap(chars.len());
            deletion_hashes(&chars, cap, &mut |hash| deletions.push((hash, id)));
        }
        deletions.sort_unstable();
        deletions.dedup();
        // About one entry a bucket.
        let bits = (usize::BITS - deletions.len().max(1).leading_zeros()).clamp(1, 28);
        let mut buckets = vec![0u32; (1usize << bits) + 1];
        for &(hash, _) in &deletions {
            buckets[(hash >> (32 - bits)) as usize + 1] += 1;
        }
        for idx in 1..buckets.len() {
            buckets[idx] += buckets[idx - 1];
        }
        self.deletions = deletions;
        self.deletion_buckets = buckets;
        self.deletion_bits = bits;
    }

    /// The concepts, in the order they were given.
    pub fn concepts(&self) -> &[Concept] {
        &self.concepts
    }

    /// The number of terms indexed.
    pub fn term_count(&self) -> usize {
        self.terms.len()
    }

    /// The concept and term behind a term number.
    pub(crate) fn term(&self, term_id: TermId) -> (&Concept, &crate::model::Term) {
        let indexed = &self.terms[term_id as usize];
        let concept = &self.concepts[indexed.concept as usize];
        (concept, &concept.terms[indexed.term as usize])
    }

    /// True when `word` is a term word in one of the languages of `langs`.
    pub(crate) fn is_word_in(&self, word: &str, langs: u8) -> Option<WordId> {
        let &id = self.word_ids.get(word)?;
        (self.word_langs[id as usize] & langs != 0).then_some(id)
    }

    /// Words within the typo cap of `word` (and at most `max` edits), with their distance;
    /// `word` itself is not included.
    pub(crate) fn typo_neighbours(&self, word: &str, max: u32, langs: u8) -> Vec<(WordId, u32)> {
        let chars: Vec<char> = word.chars().collect();
        let max = max.min(word_typo_cap(chars.len()));
        if max == 0 {
            return Vec::new();
        }
        let mut candidates = std::collections::HashSet::new();
        deletion_hashes(&chars, max, &mut |hash| {
            let bucket = (hash >> (32 - self.deletion_bits)) as usize;
            let (Some(&start), Some(&end)) = (self.deletion_buckets.get(bucket), self.deletion_buckets.get(bucket + 1)) else { return };
            for entry in &self.deletions[start as usize..end as usize] {
                if entry.0 == hash {
                    candidates.insert(entry.1);
                }
            }
        });
        let mut found = Vec::new();
        for id in candidates {
            if self.word_langs[id as usize] & langs == 0 {
                continue;
            }
            let candidate = &self.words[id as usize];
            if candidate.as_ref() == word {
                continue;
            }
            let candidate_chars: Vec<char> = candidate.chars().collect();
            // The longer of the two words sets the cap: two letters take no typo, but an
            // inserted letter makes a three-letter word that does.
            let allowed = max.min(word_typo_cap(candidate_chars.len().max(chars.len())));
            if let Some(distance) = crate::text::osa_distance(&chars, &candidate_chars, allowed as usize)
                && distance > 0
            {
                found.push((id, distance as u32));
            }
        }
        found.sort_unstable();
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::lang::LangTag;
    use crate::model::{Term, TermStatus};

    #[test]
    fn keys() {
        for (text, expected) in [
            ("Đakovica", "dakovica"),
            ("Djakovica", "dakovica"),
            ("Ђаковица", "dakovica"),
            ("Kuvendi i Komunës", "kuvendi i komunes"),
            ("Opština «Priština»", "opstina pristina"),
            ("čl.", "cl"),
        ] {
            assert_eq!(key(text), expected, "{text}");
        }
    }

    #[test]
    fn typo_neighbours_respect_caps() {
        let mut concept = Concept::new("c");
        for text in ["opština", "sud", "municipality", "ab"] {
            concept.terms.push(Term::new(LangTag::parse(if text == "municipality" { "en" } else { "sr-Latn" }).unwrap(), text, TermStatus::Preferred));
        }
        let index = TermIndex::build(vec![concept]);
        let all = 0xff;
        let names = |found: Vec<(WordId, u32)>| found.into_iter().map(|(id, d)| (index.words[id as usize].to_string(), d)).collect::<Vec<_>>();
        assert_eq!(names(index.typo_neighbours("opstna", 2, all)), [("opstina".to_string(), 1)]);
        assert_eq!(names(index.typo_neighbours("municpaliti", 2, all)), [("municipality".to_string(), 2)]);
        assert_eq!(names(index.typo_neighbours("sad", 2, all)), [("sud".to_string(), 1)]);
        assert!(index.typo_neighbours("ac", 2, all).is_empty(), "two-letter words take no typo");
        assert!(index.typo_neighbours("opstna", 2, lang_bit(Lang::En)).is_empty());
    }

    #[test]
    fn articles_are_one_word_in_albanian_terms() {
        let mut concept = Concept::new("c");
        concept.terms.push(Term::new(LangTag::SQ, "Kuvendi i Komunës", TermStatus::Preferred));
        concept.terms.push(Term::new(LangTag::SR_LATN, "Kosovo i Metohija", TermStatus::Forbidden));
        let index = TermIndex::build(vec![concept]);
        assert_eq!(index.terms[0].words[1], ARTICLE);
        assert_ne!(index.terms[1].words[1], ARTICLE);
    }
}
