//! Fragments: when no whole sentence of the memory matches a query, the longest word
//! sequences of the query that the memory does hold, each with the words that translate it
//! inside one stored target.
//!
//! This file computes without storage: the query's words and their index keys
//! ([`query_words`], [`keys_of`]), the maximal runs of words an oracle says occur
//! ([`maximal_spans`]), their trimming and the choice of non-overlapping ones ([`trim`],
//! [`choose`]), and the alignment of a fragment with its translation in a sample of units
//! ([`align`]). `Workspace::fragments` asks the search index which runs occur, reads the
//! sampled units and adds the term base's and the gazetteer's fragments.
//!
//! The alignment is learned from the memory itself: a target word belongs to the
//! fragment's translation when it is much more frequent in the targets of units whose
//! source contains the fragment than in the memory's texts of that language as a whole (the
//! search index's document frequencies are that background); each sampled target gives its
//! best contiguous run of such words, placed near where the fragment sits in the source, and
//! the runs vote. Words of a term base translation of the fragment count as strong evidence.
//! Words are compared by their folded stems (case, diacritics, Serbian script, inflection set
//! aside) and Albanian linking articles (i, e, të, së) as one word, so "Komunës së
//! Prishtinës" meets "Komuna e Prishtinës".
//!
//! It does not translate what the memory does not hold, inflect a translation for the
//! query's sentence, or align whole sentences word by word (an IBM-style model estimated on
//! a few dozen sampled units learns less than the frequency contrast does).

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use serde::Serialize;

use crate::index::word_keys;
use crate::model::lang::{Lang, LangTag};

/// Fragments of at most this many words are looked for.
pub const MAX_FRAGMENT_WORDS: usize = 12;

/// Units sampled to learn a fragment's translation.
pub const SAMPLE_UNITS: usize = 24;

/// The default whole-match score under which a TM match adds fragments.
pub const DEFAULT_FRAGMENT_THRESHOLD: f64 = 75.0;

/// What a fragment search (`Workspace::fragments`) looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FragmentOptions {
    /// Language of the query (default: guessed among English, Albanian and Serbian).
    pub src: Option<LangTag>,
    /// Language of the translations (default: Albanian for an English query, else English).
    pub tgt: Option<LangTag>,
    /// At most this many fragments (0: no limit).
    pub limit: usize,
}

/// Where a fragment was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FragmentOrigin {
    /// In the translation memory; the translation is aligned in a stored target.
    Memory,
    /// A term of the term base; the translation is the concept's term in the target language.
    Termbase,
    /// A place name of the gazetteer; the translation is its official name.
    Places,
}

impl FragmentOrigin {
    /// The origin as written in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            FragmentOrigin::Memory => "memory",
            FragmentOrigin::Termbase => "termbase",
            FragmentOrigin::Places => "places",
        }
    }

    /// At equal length, the term base and the gazetteer are authoritative; the memory is not.
    fn rank(self) -> u8 {
        match self {
            FragmentOrigin::Termbase => 0,
            FragmentOrigin::Places => 1,
            FragmentOrigin::Memory => 2,
        }
    }
}

/// A stored unit showing a fragment's translation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FragmentExample {
    /// The unit's external id.
    pub id: String,
    /// Its source text.
    pub source: String,
    /// Its target text.
    pub target: String,
    /// Byte offset of the translation in `target`.
    pub target_start: usize,
    /// Byte offset just past it.
    pub target_end: usize,
}

/// A word sequence of the query found in the memory, the term base or the gazetteer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fragment {
    /// The query's words.
    pub text: String,
    /// Byte offset of the fragment in the query.
    pub start: usize,
    /// Byte offset just past it.
    pub end: usize,
    /// Number of words.
    pub words: usize,
    /// Its translation (for the memory, the span of `example.target`).
    pub translation: Option<String>,
    /// Language of the translation.
    pub target_lang: Option<LangTag>,
    /// Where the fragment was found.
    pub origin: FragmentOrigin,
    /// How many units of the memory contain the fragment (inflected forms included).
    pub occurrences: u64,
    /// How sure the translation is, 0 to 1: for the memory, the share of sampled units whose
    /// target shows the same translation (shrunk towards 0 for few units); 1 for the term base
    /// and the gazetteer.
    pub confidence: f64,
    /// A unit showing the translation (memory fragments).
    pub example: Option<FragmentExample>,
}

/// One word of a query or a stored text, with its comparison key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FragmentWord {
    /// Byte range in the text.
    pub range: Range<usize>,
    /// The word folded to the script tier.
    pub word: String,
    /// Its stem (Albanian linking articles: one shared key).
    pub key: String,
    /// An Albanian linking article: any article matches it.
    pub article: bool,
    /// A function word: a fragment neither starts nor ends with one, and alone it is none.
    pub stop: bool,
}

/// Albanian linking articles, folded (i, e, të, së).
const ALBANIAN_ARTICLES: &[&str] = &["i", "e", "te", "se"];

/// The key every Albanian linking article shares.
const ARTICLE_KEY: &str = "\u{2022}art";

/// Function words, folded to the script tier: too frequent to be a fragment alone, and no
/// fragment starts or ends with one.
const ENGLISH_STOP: &[&str] = &[
    "a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "from", "with", "and", "or", "is", "are", "be", "was", "were", "been", "it", "its", "this",
    "that", "these", "those", "as", "not", "no", "do", "does", "did", "has", "have", "had", "will", "would", "can", "could", "should", "may", "you", "your",
    "we", "our", "i", "my", "he", "she", "they", "their", "them", "his", "her", "if", "then", "than", "so", "but", "all", "any", "some", "into", "out", "up",
    "there", "here", "which", "what", "who", "when", "where", "how", "s", "t",
];
const ALBANIAN_STOP: &[&str] = &[
    "i", "e", "te", "se", "dhe", "ne", "nga", "per", "me", "ka", "nje", "eshte", "jane", "qe", "si", "por", "ose", "apo", "mbi", "nen", "pa", "deri", "tek",
    "kete", "ky", "kjo", "keto", "ai", "ajo", "ata", "ato", "u", "do", "jo", "nuk", "mos", "duhet", "mund", "tuaj", "juaj", "ju", "ime", "im", "sipas",
];
const SERBIAN_STOP: &[&str] = &[
    "i", "a", "u", "na", "za", "od", "do", "iz", "sa", "s", "o", "po", "pri", "kod", "ka", "k", "se", "je", "su", "da", "ne", "ni", "ili", "ali", "kao", "to",
    "ta", "taj", "ova", "ovo", "ovaj", "ove", "koji", "koja", "koje", "biti", "bi", "sam", "smo", "ste", "ce", "nije", "vas", "vasa", "vase", "vi", "mi",
];

fn is_stop(word: &str, lang: Lang) -> bool {
    let list = match lang {
        Lang::En => ENGLISH_STOP,
        Lang::Sq => ALBANIAN_STOP,
        Lang::Sr | Lang::Bs => SERBIAN_STOP,
        Lang::Tr => &[],
    };
    list.contains(&word)
}

/// The words of `text` in `lang` with their keys.
///
/// ```
/// use termbridge::model::lang::Lang;
/// use termbridge::memory::fragments::query_words;
/// let words = query_words("Komunës së Prishtinës", Lang::Sq);
/// let other = query_words("Komuna e Prishtinës", Lang::Sq);
/// let keys = |words: &[termbridge::memory::fragments::FragmentWord]| words.iter().map(|word| word.key.clone()).collect::<Vec<_>>();
/// assert_eq!(keys(&words), keys(&other));
/// ```
pub fn query_words(text: &str, lang: Lang) -> Vec<FragmentWord> {
    word_keys(text, lang)
        .into_iter()
        .map(|word_key| {
            let article = lang == Lang::Sq && ALBANIAN_ARTICLES.contains(&word_key.word.as_str());
            // Numbers, codes and one-letter words (the markup name b) are not
            // fragments on their own.
            let stop = is_stop(&word_key.word, lang) || word_key.word.chars().filter(|c| c.is_alphabetic()).count() < 2;
            let key = if article { ARTICLE_KEY.to_string() } else { word_key.stem };
            FragmentWord { range: word_key.range, word: word_key.word, key, article, stop }
        })
        .collect()
}

/// The index keys of a run of query words, for a phrase search: stems when `stems`, else the
/// folded words; `None` for an Albanian article, which any article matches.
pub fn keys_of(words: &[FragmentWord], stems: bool) -> Vec<Option<String>> {
    words
        .iter()
        .map(|word| match (word.article, stems) {
            (true, _) => None,
            (false, true) => Some(word.key.clone()),
            (false, false) => Some(word.word.clone()),
        })
        .collect()
}

/// The maximal runs of `n_words` words that `occurs` accepts: for each start, the longest run
/// (at most [`MAX_FRAGMENT_WORDS`]), kept when it is not inside the run of an earlier start.
/// A run occurs only if its sub-runs do, so each start extends where the previous one
/// stopped and the oracle is asked about 2 × `n_words` times.
pub fn maximal_spans<E>(n_words: usize, mut occurs: impl FnMut(Range<usize>) -> Result<bool, E>) -> Result<Vec<Range<usize>>, E> {
    let mut spans: Vec<Range<usize>> = Vec::new();
    let mut end = 0;
    for start in 0..n_words {
        if end <= start {
            if !occurs(start..start + 1)? {
                continue;
            }
            end = start + 1;
        }
        while end < n_words && end - start < MAX_FRAGMENT_WORDS && occurs(start..end + 1)? {
            end += 1;
        }
        if spans.last().is_none_or(|last| end > last.end) {
            spans.push(start..end);
        }
    }
    Ok(spans)
}

/// `span` without function words at either end; `None` when no content word is left.
pub fn trim(words: &[FragmentWord], span: Range<usize>) -> Option<Range<usize>> {
    let mut span = span;
    while span.start < span.end && words[span.start].stop {
        span.start += 1;
    }
    while span.end > span.start && words[span.end - 1].stop {
        span.end -= 1;
    }
    (span.start < span.end).then_some(span)
}

/// A candidate fragment: a word span of the query, where it comes from, how often it occurs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Word indices in the query.
    pub span: Range<usize>,
    /// Where it was found.
    pub origin: FragmentOrigin,
    /// Units of the memory containing it.
    pub occurrences: u64,
}

/// The longest candidates that do not overlap: by length, then the term base and gazetteer
/// before the memory, then the more frequent, then the earlier; in query order.
pub fn choose(mut candidates: Vec<Candidate>, limit: usize) -> Vec<Candidate> {
    candidates.sort_by(|a, b| {
        (b.span.len())
            .cmp(&a.span.len())
            .then(a.origin.rank().cmp(&b.origin.rank()))
            .then(b.occurrences.cmp(&a.occurrences))
            .then(a.span.start.cmp(&b.span.start))
    });
    let mut chosen: Vec<Candidate> = Vec::new();
    for candidate in candidates {
        if chosen.len() >= limit {
            break;
        }
        if chosen.iter().all(|other| other.span.end <= candidate.span.start || candidate.span.end <= other.span.start) {
            chosen.push(candidate);
        }
    }
    chosen.sort_by_key(|candidate| candidate.span.start);
    chosen
}

/// A unit sampled for a fragment: its target, and where the fragment sits in its source.
#[derive(Debug, Clone)]
pub struct Sample<'a> {
    /// Index of the unit in the caller's list (returned in [`Alignment::sample`]).
    pub idx: usize,
    /// The target text.
    pub target: &'a str,
    /// Word indices of the fragment in the source, and the source's number of words.
    pub source_words: Range<usize>,
    /// Words in the source.
    pub n_source_words: usize,
}

/// Where a fragment's translation lies in one sampled target.
#[derive(Debug, Clone, PartialEq)]
pub struct Alignment {
    /// The sample showing it ([`Sample::idx`]).
    pub sample: usize,
    /// Byte range of the translation in its target.
    pub range: Range<usize>,
    /// Share of samples agreeing, shrunk for few samples (n / (n + 1)).
    pub confidence: f64,
}

/// The samples showing one translation (by its words' keys).
struct Votes {
    /// How many samples show it.
    n_votes: usize,
    /// Their runs' summed scores.
    total: f64,
    /// The sample whose run scores best, its run of words and score.
    sample_pos: usize,
    run: Range<usize>,
    best: f64,
}

/// What a target word must reach, in association, to belong to a translation: words found
/// in every sampled target and 1 in 20 texts of the memory score about 3, a function word
/// found in half the samples and in a third of all texts about 0.2.
const MIN_ASSOCIATION: f64 = 1.0;

/// How much a word loses for each word it lies outside where the fragment would be in a
/// target as long as the source, as a share of the target's length.
const DISTANCE_COST: f64 = 1.5;

/// What each content word of a target adds when the unit's source is the fragment alone.
const WHOLE_UNIT: f64 = 2.0;

/// What a function word inside a run costs.
const STOP_COST: f64 = 0.05;

/// What a word of a term base translation of the fragment adds.
const TERM_PRIOR: f64 = 3.0;

/// Where, in one of `samples`, the translation of a fragment lies (see the module
/// documentation). `background` gives a folded word's share of the memory's texts in
/// `target_lang` (0 to 1); `term_keys` are the stems of term base translations of the
/// fragment's words.
pub fn align(samples: &[Sample<'_>], target_lang: Lang, background: &dyn Fn(&str) -> f64, term_keys: &HashSet<String>) -> Option<Alignment> {
    let fragment_words = samples.first()?.source_words.len();
    // A translation longer than this is a sentence around the fragment, not its translation.
    let max_words = 2 * fragment_words + 2;
    let targets: Vec<Vec<FragmentWord>> = samples.iter().map(|sample| query_words(sample.target, target_lang)).collect();
    let mut containing: HashMap<&str, usize> = HashMap::new();
    for words in &targets {
        let distinct: HashSet<&str> = words.iter().map(|word| word.key.as_str()).collect();
        for key in distinct {
            *containing.entry(key).or_default() += 1;
        }
    }
    let n_samples = samples.len() as f64;
    let evidence = n_samples / (n_samples + 1.0);
    let mut votes: HashMap<Vec<&str>, Votes> = HashMap::new();
    for (sample_pos, (sample, words)) in samples.iter().zip(&targets).enumerate() {
        if words.is_empty() {
            continue;
        }
        let n_target = words.len() as f64;
        let scale = n_target / sample.n_source_words.max(1) as f64;
        let expected_start = (sample.source_words.start as f64 * scale).floor();
        let expected_end = (sample.source_words.end as f64 * scale).ceil().max(expected_start + 1.0);
        // A unit whose source is the fragment alone translates it whole.
        let whole = if sample.source_words.len() == sample.n_source_words { WHOLE_UNIT } else { 0.0 };
        let scores: Vec<f64> = words
            .iter()
            .enumerate()
            .map(|(word_idx, word)| {
                let position = word_idx as f64;
                let distance = if position < expected_start {
                    expected_start - position
                } else if position >= expected_end {
                    position - expected_end + 1.0
                } else {
                    0.0
                };
                let off_place = DISTANCE_COST * distance / n_target;
                // A function word joins a run between content words but never makes one.
                if word.stop {
                    return -STOP_COST - off_place;
                }
                let share = containing.get(word.key.as_str()).copied().unwrap_or(0) as f64 / n_samples;
                let base = background(&word.word).clamp(1e-7, 1.0);
                // One sample is weaker evidence than many.
                let mut association = if share > base { evidence * share * (share / base).ln() } else { 0.0 };
                if term_keys.contains(&word.key) {
                    association += TERM_PRIOR;
                }
                association + whole - MIN_ASSOCIATION - off_place
            })
            .collect();
        let Some((run, score)) = best_run(&scores, max_words) else { continue };
        let key: Vec<&str> = words[run.clone()].iter().map(|word| word.key.as_str()).collect();
        let entry = votes.entry(key).or_insert(Votes { n_votes: 0, total: 0.0, sample_pos, run: run.clone(), best: f64::NEG_INFINITY });
        entry.n_votes += 1;
        entry.total += score;
        if score > entry.best {
            entry.sample_pos = sample_pos;
            entry.run = run;
            entry.best = score;
        }
    }
    let (_, Votes { n_votes, sample_pos, run, .. }) =
        votes.into_iter().max_by(|(a_key, a), (b_key, b)| a.n_votes.cmp(&b.n_votes).then(a.total.total_cmp(&b.total)).then(b_key.cmp(a_key)))?;
    let words = &targets[sample_pos];
    let range = words[run.start].range.start..words[run.end - 1].range.end;
    let confidence = ((n_votes as f64 / (n_samples + 1.0)) * 100.0).round() / 100.0;
    Some(Alignment { sample: samples[sample_pos].idx, range, confidence })
}

/// The contiguous run of at most `max_words` with the largest positive sum, if any.
fn best_run(scores: &[f64], max_words: usize) -> Option<(Range<usize>, f64)> {
    let mut best: Option<(Range<usize>, f64)> = None;
    for start in 0..scores.len() {
        if scores[start] <= 0.0 {
            continue;
        }
        let mut sum = 0.0;
        for (end, score) in scores.iter().enumerate().skip(start).take(max_words) {
            sum += score;
            if sum > 0.0 && *score > 0.0 && best.as_ref().is_none_or(|(_, best_sum)| sum > *best_sum) {
                best = Some((start..end + 1, sum));
            }
        }
    }
    best
}

/// Where the words keyed `keys` (`None`: any Albanian article) occur in a row in `words`.
pub fn locate_keys(words: &[FragmentWord], keys: &[Option<String>], stems: bool) -> Option<Range<usize>> {
    if keys.is_empty() || keys.len() > words.len() {
        return None;
    }
    (0..=words.len() - keys.len())
        .find(|&start| {
            words[start..start + keys.len()].iter().zip(keys).all(|(word, key)| match key {
                None => word.article,
                Some(key) if stems => &word.key == key,
                Some(key) => &word.word == key,
            })
        })
        .map(|start| start..start + keys.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(n_words: usize, present: &[Range<usize>]) -> Vec<Range<usize>> {
        let occurs = |span: Range<usize>| Ok::<bool, ()>(present.iter().any(|known| known.start <= span.start && span.end <= known.end));
        maximal_spans(n_words, occurs).unwrap()
    }

    #[test]
    fn maximal_spans_extend_where_the_previous_stopped() {
        assert_eq!(spans(6, &[0..3, 2..5]), [0..3, 2..5]);
        assert_eq!(spans(6, &[1..2, 3..6]), [1..2, 3..6]);
        assert_eq!(spans(4, &[]), Vec::<Range<usize>>::new());
        assert_eq!(spans(4, &[0..4, 1..3]), vec![Range { start: 0, end: 4 }]);
    }

    fn words(text: &str, lang: Lang) -> Vec<FragmentWord> {
        query_words(text, lang)
    }

    #[test]
    fn trims_function_words() {
        let query = words("Save the file to the disk", Lang::En);
        let check = |span: Range<usize>, expected: Option<Range<usize>>| assert_eq!(trim(&query, span.clone()), expected, "{span:?}");
        check(0..5, Some(0..3));
        check(1..3, Some(2..3));
        check(3..5, None);
        check(0..6, Some(0..6));
    }

    #[test]
    fn chooses_the_longest_without_overlap() {
        let candidate = |span: Range<usize>, origin, occurrences| Candidate { span, origin, occurrences };
        let chosen = choose(
            vec![
                candidate(0..2, FragmentOrigin::Memory, 5),
                candidate(1..4, FragmentOrigin::Memory, 1),
                candidate(4..5, FragmentOrigin::Memory, 9),
                candidate(4..5, FragmentOrigin::Places, 0),
                candidate(5..7, FragmentOrigin::Memory, 2),
            ],
            10,
        );
        let got: Vec<(Range<usize>, FragmentOrigin)> = chosen.into_iter().map(|candidate| (candidate.span, candidate.origin)).collect();
        assert_eq!(got, [(1..4, FragmentOrigin::Memory), (4..5, FragmentOrigin::Places), (5..7, FragmentOrigin::Memory)]);
    }

    #[test]
    fn keys_meet_across_inflection_script_and_articles() {
        let keys = |text: &str, lang| keys_of(&words(text, lang), true);
        assert_eq!(keys("Komunës së Prishtinës", Lang::Sq), keys("Komuna e Prishtinës", Lang::Sq));
        assert_eq!(keys("Општина Приштина", Lang::Sr), keys("Opština Priština", Lang::Sr));
        assert_eq!(keys("opštini Prištini", Lang::Sr), keys("Opština Priština", Lang::Sr));
        let target = words("Kuvendi i Komunës së Prishtinës", Lang::Sq);
        assert_eq!(locate_keys(&target, &keys("Komuna e Prishtinës", Lang::Sq), true), Some(2..5));
    }

    /// A small memory: "file" is "skedar" in every target, "open" is "hap".
    fn align_in(pairs: &[(&str, &str)], fragment: &str) -> String {
        let fragment_keys = keys_of(&words(fragment, Lang::En), false);
        let sources: Vec<Vec<FragmentWord>> = pairs.iter().map(|(source, _)| words(source, Lang::En)).collect();
        let samples: Vec<Sample<'_>> = pairs
            .iter()
            .zip(&sources)
            .enumerate()
            .filter_map(|(idx, ((_, target), source))| {
                let source_words = locate_keys(source, &fragment_keys, false)?;
                Some(Sample { idx, target, source_words, n_source_words: source.len() })
            })
            .collect();
        // Background: articles and "dhe" are everywhere, a content word in 1 text of 50.
        let background = |word: &str| if ["e", "i", "te", "se", "dhe", "ne"].contains(&word) { 0.4 } else { 0.02 };
        let alignment = align(&samples, Lang::Sq, &background, &HashSet::new()).expect("an alignment");
        pairs[alignment.sample].1[alignment.range].to_string()
    }

    #[test]
    fn aligns_a_fragment_in_a_small_memory() {
        let pairs = [
            ("Open the file", "Hap skedarin"),
            ("Save the file", "Ruaj skedarin"),
            ("The file is empty", "Skedari është bosh"),
            ("Delete the file and the folder", "Fshij skedarin dhe dosjen"),
            ("Open the folder", "Hap dosjen"),
        ];
        assert_eq!(align_in(&pairs, "the file"), "skedarin");
        assert_eq!(align_in(&pairs, "Open"), "Hap");
        assert_eq!(align_in(&pairs, "folder"), "dosjen");
    }

    #[test]
    fn best_run_spans_weak_words_between_strong_ones() {
        assert_eq!(best_run(&[-1.0, 3.0, -0.5, 2.0, -2.0], 5).map(|(run, _)| run), Some(1..4));
        assert_eq!(best_run(&[-1.0, 3.0, -0.5, 2.0, -2.0], 2).map(|(run, _)| run), Some(1..2));
        assert_eq!(best_run(&[-1.0, -0.5], 5), None);
    }
}
