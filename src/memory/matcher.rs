//! Fuzzy matching: an in-memory index of folded character trigrams that proposes candidates,
//! and the exact TM score of DESIGN.md that ranks them.
//!
//! The score is `1 - lev(a, b) / max(len(a), len(b))` over the Unicode scalar values of the
//! two NFC strings, case- and diacritics-sensitive (Levenshtein by `rapidfuzz`, bit-parallel,
//! with a distance cutoff), where each placeholder, markup tag and inline tag counts as one
//! symbol ([`super::tags::scored_text`]): `<b>` is one character of the distance, not three.
//! For a text without any, that is DESIGN.md's score over its characters, as the peer
//! benchmark computes it. The index only decides which units are worth scoring; it never
//! changes a score.
//!
//! How the search stays exact while scoring few units:
//! - Each text is folded one character to one character (lower case, base letter without
//!   diacritics, punctuation to a space), so one edit of the text is at most one edit of the
//!   folded text. Its padded trigrams, each tagged with its occurrence number (the second
//!   "ion" of a text is another token than the first), go into posting lists.
//! - Documents are numbered by folded length, so the texts that are long or short enough to
//!   reach the current k-th best score form one range of numbers: the length filter
//!   `|m - n| <= lev` costs nothing per document.
//! - The q-gram lemma gives a lower bound of the distance from the number of shared tokens:
//!   `lev >= (max(m, n) + 2 - shared) / 3`. Counting shared tokens over the length range
//!   gives every document an upper bound of its score. Documents are scored in the order of
//!   that bound, and the search stops when no remaining bound reaches the k-th best score
//!   found so far (ties included, because ties are ranked by tier and recency).
//! - A first pass over the query's rarest trigrams finds a few good matches, so that the
//!   k-th best score, and with it the length range, is tight before the main pass.
//! - Posting lists so common that nearly every document in range has them are not counted;
//!   every document is assumed to share them, which keeps the bound valid.
//! - Documents are scored in the order of an estimate of their score (the bound, with 4/3
//!   rather than 3 trigrams lost per edit, which is closer for word-level edits), so the
//!   best ones come early and the k-th best score rises fast.
//!
//! Within its work budget (posting entries counted, documents scored; see `Limits`) the
//! search is exact: it returns the true top k. Past the budget, which a dense memory and a
//! low k-th best score can exhaust (a query with no close match in a million units of one
//! domain), it counts only the rarer trigrams and scores only the best-estimated documents,
//! so a lower-ranked hit may be missed; scores are always exact. `tm bench` measures how
//! often against an exhaustive scan.
//!
//! Serbian is folded to Latin (љ → lj, so one letter may become two): a bound on the folded
//! text then allows twice the distance, and Serbian units are scored in the query's script.
//!
//! The index is rebuilt from the store when a data directory is opened for matching, and
//! grows by one segment per write; it is never written to disk. Segments are merged so that
//! each is several times larger than all newer ones together (see [`FuzzyIndex::plan_merge`]):
//! a partition keeps a few segments, so a search pays their fixed costs only a few times.
//! New segments and merges are built outside the index ([`FuzzyIndex::build_segment`],
//! [`MergePlan::build`]), so that a caller holding the index behind a lock blocks searches
//! only to swap them in. It does not
//! know units, targets or collections: callers map its hits back to units.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use rapidfuzz::distance::levenshtein;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

use super::TmQuery;
use crate::model::InlineTag;
use crate::model::lang::{Lang, SrScript};
use crate::text::translit::cyr_lower_to_lat;
use crate::text::{cyr_to_lat, lat_to_cyr};

/// How recent a unit is: its change (or creation) date as digits, then the store
/// generation that imported it. Larger is more recent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Recency {
    /// `YYYYMMDDhhmmss` of the unit's change or creation date, 0 when it has none.
    pub date: u64,
    /// The store generation of the import that wrote the unit.
    pub generation: u64,
}

impl Recency {
    /// Recency from a TMX-style date (`20240131T120000Z` or `2024-01-31T12:00:00Z`) and a
    /// store generation.
    pub fn new(date: Option<&str>, generation: u64) -> Recency {
        let digits: String = date.unwrap_or_default().chars().filter(char::is_ascii_digit).take(14).collect();
        let date = if digits.is_empty() { 0 } else { format!("{digits:0<14}").parse().unwrap_or(0) };
        Recency { date, generation }
    }
}

/// A text to index: one language variant of one unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocInput {
    /// The variant's text (NFC).
    pub text: String,
    /// The variant's inline tags, which the score reads as symbols at their offsets.
    pub inline: Vec<InlineTag>,
    /// The unit's store key.
    pub unit: u64,
    /// Index of the variant in the unit.
    pub variant: u16,
    /// How recent the unit is.
    pub recency: Recency,
}

/// A scored match from [`FuzzyIndex::search`].
#[derive(Debug, Clone, PartialEq)]
pub struct RawHit {
    /// The unit's store key.
    pub unit: u64,
    /// Index of the matched variant in the unit.
    pub variant: u16,
    /// The language partition the variant was found in.
    pub lang: Lang,
    /// The matched text as scored: the stored text with each tag as one symbol
    /// ([`super::tags::scored_text`]), the stored text itself when it has none.
    pub text: String,
    /// The TM score, 0 to 1.
    pub score: f64,
    /// How recent the unit is.
    pub recency: Recency,
}

/// A document to index, borrowed from a segment being merged or from the scored text of a
/// [`DocInput`]; its text is the scored text.
#[derive(Debug, Clone, Copy)]
struct DocView<'a> {
    text: &'a str,
    unit: u64,
    variant: u16,
    recency: Recency,
}

/// Counts of what a search did, for benchmarks and tuning.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SearchStats {
    /// Posting entries counted.
    pub postings: u64,
    /// Documents whose exact score was computed.
    pub scored: u64,
}

/// The fuzzy index: one partition per language.
#[derive(Debug, Default)]
pub struct FuzzyIndex {
    partitions: HashMap<Lang, Partition>,
}

/// Segments of one language, oldest (and largest) first; Serbian of both scripts shares one
/// partition.
#[derive(Debug, Default)]
struct Partition {
    segments: Vec<Arc<Segment>>,
}

/// Each segment is kept at least this many times larger than all the later (newer) ones
/// together; when it is not, it is merged with them. A partition of `n` texts written in
/// batches of `b` then has about log8(n / b) + 1 segments (4 for 160,000 texts written 200 at a
/// time), and a text is merged about 8 × that many times over its life.
const SIZE_RATIO: usize = 8;

/// A safety bound on the number of segments a partition keeps (the ratio alone keeps fewer).
const MAX_SEGMENTS: usize = 12;

/// A segment built outside the index, for [`FuzzyIndex::insert`].
#[derive(Debug)]
pub struct BuiltSegment {
    lang: Lang,
    segment: Arc<Segment>,
}

/// Segments of one partition to merge, from [`FuzzyIndex::plan_merge`]: build the merged
/// segment with [`MergePlan::build`] (no lock needed), then [`FuzzyIndex::apply_merge`].
#[derive(Debug)]
pub struct MergePlan {
    lang: Lang,
    inputs: Vec<Arc<Segment>>,
}

impl MergePlan {
    /// Number of texts the merged segment will hold.
    pub fn len(&self) -> usize {
        self.inputs.iter().map(|segment| segment.len()).sum()
    }

    /// True when the plan merges nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The merged segment.
    pub fn build(&self) -> BuiltSegment {
        let docs: Vec<DocView<'_>> = self.inputs.iter().flat_map(|segment| (0..segment.len()).map(|doc| segment.view(doc))).collect();
        BuiltSegment { lang: self.lang, segment: Arc::new(Segment::build(docs, self.lang == Lang::Sr)) }
    }
}

impl FuzzyIndex {
    /// An empty index.
    pub fn new() -> FuzzyIndex {
        FuzzyIndex::default()
    }

    /// Languages that have a partition (possibly empty).
    pub fn has_partition(&self, lang: Lang) -> bool {
        self.partitions.contains_key(&lang)
    }

    /// Number of indexed texts in `lang`.
    pub fn len(&self, lang: Lang) -> usize {
        self.partitions.get(&lang).map_or(0, |partition| partition.segments.iter().map(|segment| segment.len()).sum())
    }

    /// True when nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.partitions.values().all(|partition| partition.segments.is_empty())
    }

    /// Bytes held by the index (texts, postings, tables), approximately.
    pub fn heap_bytes(&self) -> usize {
        self.partitions.values().flat_map(|partition| &partition.segments).map(|segment| segment.heap_bytes()).sum()
    }

    /// Creates the partition of `lang` if it does not exist, so that later imports add to it.
    pub fn ensure_partition(&mut self, lang: Lang) {
        self.partitions.entry(lang).or_default();
    }

    /// Adds `docs` in `lang` as a new segment and merges what the tiers call for, all in
    /// place: [`FuzzyIndex::build_segment`] and [`FuzzyIndex::plan_merge`] do the same in
    /// steps that can be taken outside a lock.
    pub fn add(&mut self, lang: Lang, docs: Vec<DocInput>) {
        self.ensure_partition(lang);
        if let Some(built) = FuzzyIndex::build_segment(lang, docs) {
            self.insert(built);
        }
        while let Some(plan) = self.plan_merge(lang) {
            let merged = plan.build();
            self.apply_merge(plan, merged);
        }
    }

    /// A segment of `docs` in `lang`, built without touching an index (`None` when there are
    /// no documents).
    pub fn build_segment(lang: Lang, docs: Vec<DocInput>) -> Option<BuiltSegment> {
        if docs.is_empty() {
            return None;
        }
        let scored: Vec<std::borrow::Cow<'_, str>> = docs.iter().map(|doc| super::tags::scored_text(&doc.text, &doc.inline)).collect();
        let views: Vec<DocView<'_>> =
            docs.iter().zip(&scored).map(|(doc, text)| DocView { text, unit: doc.unit, variant: doc.variant, recency: doc.recency }).collect();
        Some(BuiltSegment { lang, segment: Arc::new(Segment::build(views, lang == Lang::Sr)) })
    }

    /// Adds a built segment to its language's partition (creating the partition).
    pub fn insert(&mut self, built: BuiltSegment) {
        self.partitions.entry(built.lang).or_default().segments.push(built.segment);
    }

    /// The segments of `lang` to merge next, if any: the oldest segment that is less than
    /// `SIZE_RATIO` times the size of the newer ones together, with all the newer ones.
    /// Searches pay a fixed cost per segment, so fewer segments answer faster; the ratio keeps
    /// their number logarithmic while a text is merged a bounded number of times.
    pub fn plan_merge(&self, lang: Lang) -> Option<MergePlan> {
        let segments = &self.partitions.get(&lang)?.segments;
        let mut newer = 0usize;
        let mut from = None;
        for (at, segment) in segments.iter().enumerate().rev() {
            if newer > 0 && segment.len() < SIZE_RATIO.saturating_mul(newer) {
                from = Some(at);
            }
            newer += segment.len();
        }
        if from.is_none() && segments.len() > MAX_SEGMENTS {
            from = Some(segments.len() - MAX_SEGMENTS);
        }
        from.map(|from| MergePlan { lang, inputs: segments[from..].to_vec() })
    }

    /// Replaces the plan's segments by `merged`, at the place of the first of them. Returns
    /// false, changing nothing, when the partition no longer holds every segment of the plan.
    pub fn apply_merge(&mut self, plan: MergePlan, merged: BuiltSegment) -> bool {
        let Some(partition) = self.partitions.get_mut(&plan.lang) else { return false };
        let positions: Option<Vec<usize>> = plan.inputs.iter().map(|input| partition.segments.iter().position(|segment| Arc::ptr_eq(segment, input))).collect();
        let Some(positions) = positions else { return false };
        let first = positions.iter().copied().min().unwrap_or(0);
        let mut at = 0;
        partition.segments.retain(|_| {
            let keep = !positions.contains(&at);
            at += 1;
            keep
        });
        let removed_before = positions.iter().filter(|&&position| position < first).count();
        partition.segments.insert(first - removed_before, merged.segment);
        true
    }

    /// Number of segments of `lang`.
    pub fn segment_count(&self, lang: Lang) -> usize {
        self.partitions.get(&lang).map_or(0, |partition| partition.segments.len())
    }

    /// The `top` best matches of `query` among the texts of `langs` scoring at least
    /// `min_score` (0 to 1), best first by score, then recency. Ties at the last place are all
    /// returned, so that callers can rank them by tier.
    pub fn search(&self, query: &TmQuery, langs: &[Lang], top: usize, min_score: f64, stats: &mut SearchStats) -> Vec<RawHit> {
        let mut collector = Collector::new(top.max(1), min_score);
        let query = query.symbols();
        let query_chars: Vec<char> = query.chars().collect();
        if query_chars.is_empty() || top == 0 {
            return Vec::new();
        }
        let query_script = if is_mostly_cyrillic(query) { SrScript::Cyrl } else { SrScript::Latn };
        // The query folded for the index once per kind of partition (Serbian folds Cyrillic
        // to Latin digraphs, the others one character to one), whatever the number of languages.
        let mut prepared_queries: [Option<PreparedQuery>; 2] = [None, None];
        for &lang in langs {
            let Some(partition) = self.partitions.get(&lang) else { continue };
            let serbian = lang == Lang::Sr;
            let prepared = prepared_queries[usize::from(serbian)].get_or_insert_with(|| PreparedQuery::new(query, &query_chars, serbian, query_script));
            // Largest segment first: it gives the best k-th score to cut the others with.
            let mut order: Vec<&Segment> = partition.segments.iter().map(|segment| &**segment).collect();
            order.sort_by_key(|segment| std::cmp::Reverse(segment.len()));
            // The work budget is the partition's, shared by size: a partition of many segments
            // does the work of one merged segment, not that of each segment.
            let total: usize = order.iter().map(|segment| segment.len()).sum();
            for segment in order {
                collector.limits = limits().share(segment.len() as f64 / total.max(1) as f64);
                segment.search(prepared, lang, &mut collector, stats);
            }
        }
        collector.finish()
    }
}

/// True when most words of `text` are Cyrillic (a Serbian query's script).
fn is_mostly_cyrillic(text: &str) -> bool {
    let mut cyrillic = 0i32;
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        if crate::text::script::is_cyrillic_letter(c) {
            cyrillic += 1;
        } else {
            cyrillic -= 1;
        }
    }
    cyrillic > 0
}

/// The base letter of `c` (lower case already): diacritics dropped, stroke letters tabled.
fn base_letter(c: char) -> char {
    match c {
        'đ' | 'ð' => 'd',
        'ł' => 'l',
        'ø' => 'o',
        'ı' => 'i',
        'ß' => 's',
        _ => {
            let mut base = None;
            decompose_canonical(c, |part| {
                if base.is_none() && !is_combining_mark(part) {
                    base = Some(part);
                }
            });
            base.unwrap_or(c)
        }
    }
}

/// Folds `text` for the trigram index into `out`: one character to one character (lower
/// case, base letter, a tag's symbol as itself, punctuation and spaces to one space each), except that Serbian Cyrillic
/// becomes Latin with its digraphs when `serbian` (so both scripts share trigrams).
fn fold_for_index(text: &str, serbian: bool, out: &mut Vec<char>) {
    out.clear();
    for c in text.chars() {
        if c.is_ascii() {
            out.push(if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { ' ' });
            continue;
        }
        if crate::text::placeholders::is_symbol(c) {
            out.push(c);
            continue;
        }
        if !c.is_alphanumeric() {
            out.push(' ');
            continue;
        }
        let lower = c.to_lowercase().next().unwrap_or(c);
        match cyr_lower_to_lat(lower) {
            Some(latin) if serbian => out.extend(latin.chars().map(base_letter)),
            Some(latin) => out.push(latin.chars().next().map_or(lower, base_letter)),
            None => out.push(base_letter(lower)),
        }
    }
}

/// The padded trigrams of a folded text as hashed tokens, the i-th occurrence of a trigram
/// being its own token (so shared tokens count a multiset intersection).
fn tokens_of(folded: &[char], grams: &mut Vec<u64>, tokens: &mut Vec<u64>) {
    grams.clear();
    tokens.clear();
    let at = |idx: isize| -> u64 { if idx < 0 || idx as usize >= folded.len() { 0 } else { u64::from(folded[idx as usize] as u32) } };
    for start in -2..(folded.len() as isize) {
        grams.push((at(start) << 42) | (at(start + 1) << 21) | at(start + 2));
    }
    grams.sort_unstable();
    let mut previous = u64::MAX;
    let mut occurrence = 0u64;
    for &gram in grams.iter() {
        occurrence = if gram == previous { occurrence + 1 } else { 0 };
        previous = gram;
        tokens.push(mix(gram ^ occurrence.wrapping_mul(0x9E37_79B9_7F4A_7C15)));
    }
}

/// A 64-bit mixer (the splitmix64 finaliser): posting lists are chosen by its top bits.
fn mix(mut value: u64) -> u64 {
    value = (value ^ (value >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    value = (value ^ (value >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    value ^ (value >> 31)
}

/// One query prepared for one kind of partition.
struct PreparedQuery {
    /// Its length in characters (the `m` of the score).
    len: usize,
    /// Folded length (the `m` of the bounds).
    folded_len: usize,
    /// Hashed tokens.
    tokens: Vec<u64>,
    /// The comparator for exact scores.
    scorer: levenshtein::BatchComparator<char>,
    /// Serbian partitions score in the query's script.
    script: Option<SrScript>,
    /// 2 when one letter may fold to two (Serbian), else 1.
    factor: usize,
}

impl PreparedQuery {
    fn new(text: &str, chars: &[char], serbian: bool, script: SrScript) -> PreparedQuery {
        let mut folded = Vec::new();
        fold_for_index(text, serbian, &mut folded);
        let mut grams = Vec::new();
        let mut tokens = Vec::new();
        tokens_of(&folded, &mut grams, &mut tokens);
        PreparedQuery {
            len: chars.len(),
            folded_len: folded.len(),
            tokens,
            scorer: levenshtein::BatchComparator::new(chars.iter().copied()),
            script: serbian.then_some(script),
            factor: if serbian { 2 } else { 1 },
        }
    }

    /// Upper bound of the score of a document of folded length `n` sharing `shared` tokens.
    fn bound(&self, shared: usize, n: usize) -> f64 {
        let longest = self.folded_len.max(n);
        if longest == 0 {
            return 1.0;
        }
        let from_grams = (longest + 2).saturating_sub(shared).div_ceil(3);
        let folded_distance = self.folded_len.abs_diff(n).max(from_grams);
        let distance = folded_distance.div_ceil(self.factor);
        1.0 - distance as f64 / longest as f64
    }

    /// A guess of the score of a document of folded length `n` sharing `shared` tokens, for
    /// the order in which documents are scored (not a bound).
    fn estimate(&self, shared: usize, n: usize) -> f64 {
        let longest = self.folded_len.max(n);
        if longest == 0 {
            return 1.0;
        }
        let lost = (longest + 2).saturating_sub(shared) as f64 * 0.75;
        let distance = (self.folded_len.abs_diff(n) as f64).max(lost) / self.factor as f64;
        (1.0 - distance / longest as f64).max(0.0)
    }

    /// Tokens a document of folded length `n` must share to reach score `tau`; may be <= 0.
    fn tokens_needed(&self, n: usize, tau: f64) -> isize {
        let longest = self.folded_len.max(n);
        let max_distance = (self.factor as f64 * (1.0 - tau) * longest as f64 + 1e-9).floor() as isize;
        (longest + 2) as isize - 3 * max_distance
    }

    /// The exact score of `text`, if it reaches `tau`.
    fn score(&self, text: &str, tau: f64) -> Option<f64> {
        let converted = match self.script {
            Some(SrScript::Latn) => cyr_to_lat(text),
            Some(SrScript::Cyrl) => lat_to_cyr(text),
            None => std::borrow::Cow::Borrowed(text),
        };
        let n = converted.chars().count();
        let longest = self.len.max(n);
        if longest == 0 {
            return Some(1.0);
        }
        let max_distance = ((1.0 - tau) * longest as f64 + 1e-9).floor().max(0.0) as usize;
        if self.len.abs_diff(n) > max_distance {
            return None;
        }
        let distance = self.scorer.distance_with_args(converted.chars(), &levenshtein::Args::default().score_cutoff(max_distance))?;
        // The same arithmetic as the reference implementation (1 - d / max), so scores agree
        // to the last bit.
        Some(1.0 - distance as f64 / longest as f64)
    }
}

/// A scored document, its text still borrowed from the index.
struct Candidate<'a> {
    unit: u64,
    variant: u16,
    lang: Lang,
    text: &'a str,
    score: f64,
    recency: Recency,
}

/// Keeps the best hits seen so far, with every tie at the last place.
struct Collector<'a> {
    top: usize,
    min_score: f64,
    hits: Vec<Candidate<'a>>,
    threshold: f64,
    /// The work budget of the segment being searched.
    limits: Limits,
}

impl<'a> Collector<'a> {
    fn new(top: usize, min_score: f64) -> Collector<'a> {
        Collector { top, min_score, hits: Vec::new(), threshold: min_score, limits: limits() }
    }

    /// The score a document must reach to matter: the k-th best so far (ties matter too).
    fn threshold(&self) -> f64 {
        self.threshold
    }

    fn offer(&mut self, hit: Candidate<'a>) {
        if hit.score < self.threshold {
            return;
        }
        self.hits.push(hit);
        if self.hits.len() >= self.top * 4 + 16 {
            self.prune();
        }
    }

    fn prune(&mut self) {
        if self.hits.len() < self.top {
            return;
        }
        self.hits.sort_by(|a, b| b.score.total_cmp(&a.score));
        let kth = self.hits[self.top - 1].score;
        self.threshold = self.threshold.max(kth);
        let threshold = self.threshold;
        self.hits.retain(|hit| hit.score >= threshold);
    }

    fn finish(mut self) -> Vec<RawHit> {
        self.prune();
        self.hits.retain(|hit| hit.score >= self.min_score);
        self.hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(b.recency.cmp(&a.recency)).then(a.unit.cmp(&b.unit)));
        self.hits
            .into_iter()
            .map(|hit| RawHit { unit: hit.unit, variant: hit.variant, lang: hit.lang, text: hit.text.to_string(), score: hit.score, recency: hit.recency })
            .collect()
    }
}

/// How much work one segment search may do before it stops being exhaustive.
#[derive(Debug, Clone, Copy)]
struct Limits {
    /// Posting entries counted (the rarest lists first).
    postings: usize,
    /// Lists counted at least, whatever their length.
    min_lists: usize,
    /// Documents scored after the first pass.
    scored: usize,
}

impl Limits {
    /// The part `share` (0 to 1) of the limits, for a segment holding that part of its
    /// partition; never below a small floor, so that a small segment is still searched fully.
    fn share(self, share: f64) -> Limits {
        let part = |limit: usize, floor: usize| ((limit as f64 * share.clamp(0.0, 1.0)).ceil() as usize).max(floor).min(limit);
        Limits { postings: part(self.postings, 2_000), min_lists: self.min_lists, scored: part(self.scored, 16) }
    }
}

/// The limits, from `TERMBRIDGE_TM_POSTINGS` / `TERMBRIDGE_TM_SCORED` when set (for tuning).
fn limits() -> Limits {
    static LIMITS: std::sync::OnceLock<Limits> = std::sync::OnceLock::new();
    *LIMITS.get_or_init(|| {
        let env = |name: &str, default: usize| std::env::var(name).ok().and_then(|raw| raw.parse().ok()).unwrap_or(default);
        Limits { postings: env("TERMBRIDGE_TM_POSTINGS", 1_000_000), min_lists: 8, scored: env("TERMBRIDGE_TM_SCORED", 2_000) }
    })
}

thread_local! {
    /// Shared-token counters, one per document of a length range; reused across searches.
    static COUNTERS: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    /// Candidates of one search (bucket, length offset, document); reused across searches.
    static CANDIDATES: RefCell<Vec<(u16, u16, u32)>> = const { RefCell::new(Vec::new()) };
}

/// Immutable trigram index over a set of texts, numbered by folded length.
#[derive(Debug)]
struct Segment {
    /// The scored texts, one after the other.
    texts: String,
    /// `text_starts[doc]..text_starts[doc + 1]` is a document's text.
    text_starts: Vec<usize>,
    units: Vec<u64>,
    variants: Vec<u16>,
    recency: Vec<Recency>,
    /// `len_starts[n]` is the first document of folded length `n` (length >= last: `len`).
    len_starts: Vec<u32>,
    /// Number of hash bits that choose a posting list.
    list_bits: u32,
    /// `list_starts[list]..list_starts[list + 1]` are the list's entries in `postings`.
    list_starts: Vec<u32>,
    postings: Vec<u32>,
}

impl Segment {
    fn len(&self) -> usize {
        self.units.len()
    }

    fn heap_bytes(&self) -> usize {
        self.texts.capacity()
            + self.text_starts.capacity() * 8
            + self.units.capacity() * 8
            + self.variants.capacity() * 2
            + self.recency.capacity() * std::mem::size_of::<Recency>()
            + self.len_starts.capacity() * 4
            + self.list_starts.capacity() * 4
            + self.postings.capacity() * 4
    }

    fn text(&self, doc: usize) -> &str {
        &self.texts[self.text_starts[doc]..self.text_starts[doc + 1]]
    }

    fn view(&self, doc: usize) -> DocView<'_> {
        DocView { text: self.text(doc), unit: self.units[doc], variant: self.variants[doc], recency: self.recency[doc] }
    }

    fn build(docs: Vec<DocView<'_>>, serbian: bool) -> Segment {
        let mut folded = Vec::new();
        let mut with_len: Vec<(usize, DocView<'_>)> = docs
            .into_iter()
            .map(|doc| {
                // Outside Serbian the fold maps one character to one: no need to fold here.
                if serbian {
                    fold_for_index(doc.text, serbian, &mut folded);
                    (folded.len(), doc)
                } else {
                    (doc.text.chars().count(), doc)
                }
            })
            .collect();
        with_len.sort_by_key(|(len, _)| *len);
        let n_docs = with_len.len();
        let max_len = with_len.last().map_or(0, |(len, _)| *len);
        let mut len_starts = vec![0u32; max_len + 2];
        let mut texts = String::with_capacity(with_len.iter().map(|(_, doc)| doc.text.len()).sum());
        let mut text_starts = Vec::with_capacity(n_docs + 1);
        let mut units = Vec::with_capacity(n_docs);
        let mut variants = Vec::with_capacity(n_docs);
        let mut recency = Vec::with_capacity(n_docs);
        let mut total_tokens = 0usize;
        for (len, doc) in &with_len {
            len_starts[*len + 1] += 1;
            total_tokens += len + 2;
            text_starts.push(texts.len());
            texts.push_str(doc.text);
            units.push(doc.unit);
            variants.push(doc.variant);
            recency.push(doc.recency);
        }
        text_starts.push(texts.len());
        drop(with_len);
        for len in 1..len_starts.len() {
            len_starts[len] += len_starts[len - 1];
        }
        // About four tokens a list; between 2^10 and 2^21 lists.
        let list_bits = (usize::BITS - (total_tokens / 4).max(1).leading_zeros()).clamp(10, 21);
        let n_lists = 1usize << list_bits;
        let shift = 64 - list_bits;
        let mut list_starts = vec![0u32; n_lists + 1];
        let mut grams = Vec::new();
        let mut tokens = Vec::new();
        let segment_text = |doc: usize| &texts[text_starts[doc]..text_starts[doc + 1]];
        // Two passes (count, then fill) instead of one buffer of every token: the buffer
        // would double the peak memory of a large import.
        for doc in 0..n_docs {
            fold_for_index(segment_text(doc), serbian, &mut folded);
            tokens_of(&folded, &mut grams, &mut tokens);
            for &token in &tokens {
                list_starts[(token >> shift) as usize + 1] += 1;
            }
        }
        for list in 1..list_starts.len() {
            list_starts[list] += list_starts[list - 1];
        }
        let mut fill: Vec<u32> = list_starts[..n_lists].to_vec();
        let mut postings = vec![0u32; total_tokens];
        for doc in 0..n_docs {
            fold_for_index(segment_text(doc), serbian, &mut folded);
            tokens_of(&folded, &mut grams, &mut tokens);
            for &token in &tokens {
                let list = (token >> shift) as usize;
                postings[fill[list] as usize] = doc as u32;
                fill[list] += 1;
            }
        }
        Segment { texts, text_starts, units, variants, recency, len_starts, list_bits, list_starts, postings }
    }

    /// Documents with folded length in `lo..=hi` form this range of numbers.
    fn doc_range(&self, lo: usize, hi: usize) -> (u32, u32) {
        let last = self.len_starts.len() - 1;
        (self.len_starts[lo.min(last)], self.len_starts[(hi + 1).min(last)])
    }

    fn list(&self, token: u64) -> &[u32] {
        let list = (token >> (64 - self.list_bits)) as usize;
        &self.postings[self.list_starts[list] as usize..self.list_starts[list + 1] as usize]
    }

    /// The part of a posting list inside the document range.
    fn list_in(&self, token: u64, start: u32, end: u32) -> &[u32] {
        let list = self.list(token);
        let from = list.partition_point(|&doc| doc < start);
        let to = from + list[from..].partition_point(|&doc| doc < end);
        &list[from..to]
    }

    /// Folded lengths whose length difference alone still allows score `tau`.
    fn length_window(&self, query: &PreparedQuery, tau: f64) -> (usize, usize) {
        let max_len = self.len_starts.len().saturating_sub(2);
        let m = query.folded_len;
        let mut lo = m.min(max_len);
        while lo > 0 && query.bound(usize::MAX / 2, lo - 1) >= tau {
            lo -= 1;
        }
        let mut hi = m;
        while hi < max_len && query.bound(usize::MAX / 2, hi + 1) >= tau {
            hi += 1;
        }
        (lo, hi.max(lo))
    }

    fn hit(&self, doc: usize, lang: Lang, score: f64) -> Candidate<'_> {
        Candidate { unit: self.units[doc], variant: self.variants[doc], lang, text: self.text(doc), score, recency: self.recency[doc] }
    }

    /// Spends one unit of the scoring `budget` on `doc`: scores it exactly and offers it to
    /// `collector`. False when the budget was already spent.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    fn score_within<'a>(
        &'a self,
        doc: u32,
        query: &PreparedQuery,
        lang: Lang,
        tau: f64,
        budget: &mut usize,
        collector: &mut Collector<'a>,
        stats: &mut SearchStats,
    ) -> bool {
        if *budget == 0 {
            return false;
        }
        *budget -= 1;
        stats.scored += 1;
        if let Some(score) = query.score(self.text(doc as usize), tau) {
            collector.offer(self.hit(doc as usize, lang, score));
        }
        true
    }

    fn search<'a>(&'a self, query: &PreparedQuery, lang: Lang, collector: &mut Collector<'a>, stats: &mut SearchStats) {
        if self.len() == 0 {
            return;
        }
        COUNTERS.with(|counters| {
            let mut counters = counters.borrow_mut();
            if counters.len() < self.len() {
                counters.resize(self.len(), 0);
            }
            let seeded = if collector.hits.len() < collector.top { self.seed(query, lang, collector, &mut counters, stats) } else { Vec::new() };
            self.exact_pass(query, lang, collector, &mut counters, &seeded, stats);
        });
    }

    /// Scores the documents that share the most of the query's rarest tokens, for a first
    /// k-th best score.
    /// Returns the documents it scored.
    fn seed<'a>(&'a self, query: &PreparedQuery, lang: Lang, collector: &mut Collector<'a>, counters: &mut [u8], stats: &mut SearchStats) -> Vec<u32> {
        const SEED_LISTS: usize = 16;
        const SEED_DOCS: usize = 64;
        let tau = collector.threshold().max(0.5);
        let (lo, hi) = self.length_window(query, tau);
        let (start, end) = self.doc_range(lo, hi);
        if start >= end {
            return Vec::new();
        }
        let mut lists: Vec<&[u32]> = query.tokens.iter().map(|&token| self.list_in(token, start, end)).filter(|list| !list.is_empty()).collect();
        lists.sort_by_key(|list| list.len());
        lists.truncate(SEED_LISTS);
        let mut touched = Vec::new();
        for list in &lists {
            stats.postings += list.len() as u64;
            for &doc in *list {
                let slot = &mut counters[(doc - start) as usize];
                if *slot == 0 {
                    touched.push(doc);
                }
                *slot = slot.saturating_add(1);
            }
        }
        let mut best: Vec<(u8, u32)> = touched.iter().map(|&doc| (counters[(doc - start) as usize], doc)).collect();
        for &doc in &touched {
            counters[(doc - start) as usize] = 0;
        }
        let keep = SEED_DOCS.min(best.len());
        if keep == 0 {
            return Vec::new();
        }
        best.select_nth_unstable_by(keep - 1, |a, b| b.0.cmp(&a.0));
        let mut seeded = Vec::with_capacity(keep);
        for &(_, doc) in &best[..keep] {
            stats.scored += 1;
            seeded.push(doc);
            if let Some(score) = query.score(self.text(doc as usize), collector.threshold()) {
                collector.offer(self.hit(doc as usize, lang, score));
            }
        }
        seeded
    }

    /// Counts shared tokens over the length range the k-th best score allows, then scores
    /// documents by descending upper bound until no bound reaches the k-th best score.
    fn exact_pass<'a>(
        &'a self,
        query: &PreparedQuery,
        lang: Lang,
        collector: &mut Collector<'a>,
        counters: &mut [u8],
        seeded: &[u32],
        stats: &mut SearchStats,
    ) {
        let limits = collector.limits;
        let tau = collector.threshold();
        let (lo, hi) = self.length_window(query, tau);
        let (start, end) = self.doc_range(lo, hi);
        if start >= end {
            return;
        }
        let window = (end - start) as usize;
        let mut lists: Vec<&[u32]> = query.tokens.iter().map(|&token| self.list_in(token, start, end)).collect();
        lists.sort_by_key(|list| std::cmp::Reverse(list.len()));
        // Lists that (nearly) every document in range has are assumed present rather than
        // counted. A document in none of the counted lists then shares at most `skipped`
        // tokens, so skipping stays exact while that is fewer than any length needs.
        let min_needed = (lo..=hi).map(|n| query.tokens_needed(n, tau)).min().unwrap_or(0);
        let mut skipped = 0usize;
        while skipped < lists.len() && (skipped as isize) < min_needed - 1 && lists[skipped].len() * 3 > window {
            skipped += 1;
        }
        // Past the work budget, the most common lists are skipped too. The search is then no
        // longer exhaustive: documents that share only common trigrams are not considered.
        let mut counted_postings: usize = lists[skipped..].iter().map(|list| list.len()).sum();
        let mut over_budget = false;
        while skipped < lists.len() && counted_postings > limits.postings && lists.len() - skipped > limits.min_lists {
            counted_postings -= lists[skipped].len();
            skipped += 1;
            over_budget = true;
        }
        let exhaustive = !over_budget;
        // Counters are bytes (half the memory traffic of the counting loop): past 255 lists,
        // the most common ones are assumed present, which keeps every bound valid.
        while lists.len() - skipped > u8::MAX as usize {
            skipped += 1;
        }
        for list in &lists[skipped..] {
            stats.postings += list.len() as u64;
            for &doc in *list {
                let slot = &mut counters[(doc - start) as usize];
                *slot = slot.saturating_add(1);
            }
        }
        // Candidates are scored in the order of an estimate of their score. The bound assumes
        // that every edit destroys three trigrams; a replaced or missing word destroys about
        // one per edit, so the estimate, which assumes 4/3, orders candidates much closer to
        // their real scores. The bound still decides who may be skipped.
        //
        // Bound and estimate depend only on the length and the count: one table row a length,
        // holding the estimate in 1/1000 steps (1001 buckets), or NONE when the bound rules
        // the document out.
        const BUCKETS: usize = 1001;
        const NONE: u16 = u16::MAX;
        let max_count = query.tokens.len() + 1;
        let row = max_count + 1;
        // How many documents of each length share each count: one cheap pass over the range.
        let mut count_histogram = vec![0u32; (hi - lo + 1) * row];
        for n in lo..=hi {
            let (doc_start, doc_end) = self.doc_range(n, n);
            let histogram_row = &mut count_histogram[(n - lo) * row..(n - lo + 1) * row];
            for &counted in &counters[(doc_start - start) as usize..(doc_end - start) as usize] {
                histogram_row[(counted as usize).min(max_count)] += 1;
            }
        }
        // The table, for the cells that hold documents (the others stay NONE: no document
        // needs them, and leaving them out keeps the bounds below tight).
        let mut table: Vec<(u16, f64)> = vec![(NONE, 0.0); (hi - lo + 1) * row];
        for n in lo..=hi {
            let needed = query.tokens_needed(n, tau) - skipped as isize;
            // Without a guarantee, documents that share no counted token are not worth a look.
            let needed = if exhaustive { needed } else { needed.max(1) };
            for counted in 0..=max_count {
                let idx = (n - lo) * row + counted;
                if count_histogram[idx] == 0 {
                    continue;
                }
                let shared = counted + skipped;
                let bound = query.bound(shared, n);
                if (counted as isize) >= needed && bound >= tau {
                    table[idx] = (((query.estimate(shared, n) * 1000.0) as u16).min(1000), bound);
                }
            }
        }
        // The best bound in each bucket (over the table, which covers every document): once
        // the k-th best score passes it, the bucket holds nothing left to find.
        let mut best_bound = vec![0f64; BUCKETS];
        for &(bucket, bound) in &table {
            if bucket != NONE {
                best_bound[bucket as usize] = best_bound[bucket as usize].max(bound);
            }
        }
        // The same per bucket (documents that share no counted token are left to the end).
        let mut histogram = vec![0u32; BUCKETS];
        for (idx, &(bucket, _)) in table.iter().enumerate() {
            if bucket != NONE && idx % row != 0 {
                histogram[bucket as usize] += count_histogram[idx];
            }
        }
        // The best bound of every bucket at or below each bucket, to stop when none is left.
        let mut bound_below = vec![0f64; BUCKETS + 1];
        for bucket in 0..BUCKETS {
            bound_below[bucket + 1] = bound_below[bucket].max(best_bound[bucket]);
        }
        // Score the best buckets a slice at a time: pick the lowest bucket that still fits the
        // budget, collect the documents at or above it (per length, a minimum count, since
        // the estimate grows with the count), sort only those, and go on while budget remains
        // and a lower bucket could still beat the k-th best score. That keeps the search
        // exhaustive unless the budget is spent.
        let mut budget = limits.scored;
        let mut candidates: Vec<(u16, u16, u32)> = CANDIDATES.with(|buffer| std::mem::take(&mut *buffer.borrow_mut()));
        let mut upper = BUCKETS;
        while budget > 0 && upper > 0 && bound_below[upper] >= collector.threshold() {
            let mut cutoff = upper;
            let mut wanted = 0usize;
            while cutoff > 0 && wanted < budget + seeded.len() + 64 {
                cutoff -= 1;
                wanted += histogram[cutoff] as usize;
            }
            candidates.clear();
            for n in lo..=hi {
                let table_row = &table[(n - lo) * row..(n - lo + 1) * row];
                let in_slice = |counted: usize| {
                    let bucket = table_row[counted].0;
                    bucket != NONE && (cutoff..upper).contains(&(bucket as usize))
                };
                let Some(min_count) = (1..=max_count).find(|&counted| in_slice(counted)) else { continue };
                let (doc_start, doc_end) = self.doc_range(n, n);
                for (offset, &counted) in counters[(doc_start - start) as usize..(doc_end - start) as usize].iter().enumerate() {
                    let counted = (counted as usize).min(max_count);
                    if counted >= min_count && in_slice(counted) {
                        candidates.push((table_row[counted].0, (n - lo) as u16, doc_start + offset as u32));
                    }
                }
            }
            candidates.sort_unstable_by_key(|&(bucket, _, doc)| (std::cmp::Reverse(bucket), doc));
            for &(bucket, n_offset, doc) in &candidates {
                let tau = collector.threshold();
                if best_bound[bucket as usize] < tau {
                    continue;
                }
                let n = lo + n_offset as usize;
                let counted = (counters[(doc - start) as usize] as usize).min(max_count);
                if query.bound(counted + skipped, n) < tau || seeded.contains(&doc) {
                    continue;
                }
                if !self.score_within(doc, query, lang, tau, &mut budget, collector, stats) {
                    break;
                }
            }
            upper = cutoff;
        }
        CANDIDATES.with(|buffer| *buffer.borrow_mut() = candidates);
        let zero_rows: Vec<usize> = (lo..=hi).filter(|&n| table[(n - lo) * row].0 != NONE).collect();
        // Documents that share no counted token, when their bound still allows them.
        for n in zero_rows {
            if budget == 0 {
                break;
            }
            let (doc_start, doc_end) = self.doc_range(n, n);
            for doc in doc_start..doc_end {
                let tau = collector.threshold();
                let skip = counters[(doc - start) as usize] != 0 || query.bound(skipped, n) < tau || seeded.contains(&doc);
                if !skip && !self.score_within(doc, query, lang, tau, &mut budget, collector, stats) {
                    break;
                }
            }
        }
        counters[..window].fill(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(unit: u64, text: &str) -> DocInput {
        DocInput { text: text.to_string(), inline: Vec::new(), unit, variant: 0, recency: Recency::default() }
    }

    /// The scores of every text, each tag one symbol.
    fn brute_force(texts: &[&str], query: &str, top: usize) -> Vec<f64> {
        let chars: Vec<char> = crate::text::placeholders::symbols(query).chars().collect();
        let mut scores: Vec<f64> = texts
            .iter()
            .map(|text| {
                let text = crate::text::placeholders::symbols(text);
                let longest = chars.len().max(text.chars().count());
                1.0 - levenshtein::distance(chars.iter().copied(), text.chars()) as f64 / longest as f64
            })
            .collect();
        scores.sort_by(|a, b| b.total_cmp(a));
        scores.truncate(top);
        scores
    }

    fn check_fold(input: &str, serbian: bool, expected: &str) {
        let mut out = Vec::new();
        fold_for_index(input, serbian, &mut out);
        assert_eq!(out.iter().collect::<String>(), expected, "{input:?}");
    }

    #[test]
    fn folding_is_one_to_one_except_serbian_digraphs() {
        check_fold("Komuna e Prishtinës, 2024.", false, "komuna e prishtines  2024 ");
        check_fold("Çështje ĐAK", false, "ceshtje dak");
        check_fold("Љубљана", true, "ljubljana");
        check_fold("Љубљана", false, "lublana");
        check_fold("Straße", false, "strase");
    }

    #[test]
    fn recency_reads_dates() {
        assert_eq!(Recency::new(Some("20240131T120000Z"), 3), Recency { date: 20240131120000, generation: 3 });
        assert_eq!(Recency::new(Some("2024-01-31"), 1).date, 20240131000000);
        assert_eq!(Recency::new(None, 5), Recency { date: 0, generation: 5 });
    }

    #[test]
    fn search_agrees_with_brute_force() {
        // A dense set of near duplicates, like a single-domain memory.
        let words = ["the", "user", "group", "delete", "selected", "items", "save", "and", "add", "another", "field", "is", "required", "date", "%(name)s"];
        let mut state = 17u64;
        let mut next = |bound: usize| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((state >> 33) as usize) % bound
        };
        let texts: Vec<String> = (0..3000).map(|_| (0..1 + next(9)).map(|_| words[next(words.len())]).collect::<Vec<_>>().join(" ")).collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        // One segment, and three segments as three imports would make.
        for chunk_size in [3000, 1000] {
            let mut index = FuzzyIndex::new();
            for (part, chunk) in texts.chunks(chunk_size).enumerate() {
                index.add(Lang::En, chunk.iter().enumerate().map(|(idx, text)| doc((part * chunk_size + idx) as u64, text)).collect());
            }
            check_against_brute_force(&index, &refs);
        }
    }

    fn check_against_brute_force(index: &FuzzyIndex, refs: &[&str]) {
        for query in
            ["delete the selected items", "Save and add another", "field is requird", "user", "x", "the the the the", "date %(name)s is required field"]
        {
            let mut stats = SearchStats::default();
            let hits = index.search(&TmQuery::new(query), &[Lang::En], 5, 0.0, &mut stats);
            let got: Vec<f64> = hits.iter().take(5).map(|hit| hit.score).collect();
            let expected = brute_force(refs, query, 5);
            assert_eq!(got, expected, "{query}");
            // Unless everything ties at 0, the bounds spare some of the scoring.
            if expected[4] > 0.0 {
                assert!(stats.scored < 3000, "{query}: scored {} of 3000", stats.scored);
            }
        }
    }

    #[test]
    fn the_size_ratio_bounds_the_segments_and_merges_keep_every_text() {
        let mut index = FuzzyIndex::new();
        let texts: Vec<String> = (0..6000).map(|i| format!("item {i} of the list")).collect();
        index.add(Lang::En, texts[..3000].iter().enumerate().map(|(i, text)| doc(i as u64, text)).collect());
        let mut most = 0;
        for (at, chunk) in texts[3000..].chunks(10).enumerate() {
            index.add(Lang::En, chunk.iter().enumerate().map(|(i, text)| doc((3000 + at * 10 + i) as u64, text)).collect());
            most = most.max(index.segment_count(Lang::En));
            // Every segment is at least SIZE_RATIO times all newer ones together.
            let sizes: Vec<usize> = index.partitions[&Lang::En].segments.iter().map(|segment| segment.len()).collect();
            for at in 0..sizes.len() {
                let newer: usize = sizes[at + 1..].iter().sum();
                assert!(newer == 0 || sizes[at] >= SIZE_RATIO * newer, "{sizes:?}");
            }
        }
        assert!(most <= 4, "{most} segments");
        assert_eq!(index.len(Lang::En), 6000);
        for i in [0usize, 2999, 3000, 4321, 5999] {
            let hits = index.search(&TmQuery::new(&texts[i]), &[Lang::En], 1, 0.0, &mut SearchStats::default());
            assert_eq!((hits[0].unit, hits[0].score), (i as u64, 1.0), "{}", texts[i]);
        }
    }

    #[test]
    fn a_stale_merge_plan_changes_nothing() {
        let mut index = FuzzyIndex::new();
        index.add(Lang::En, (0..20).map(|i| doc(i, "one text")).collect());
        let Some(built) = FuzzyIndex::build_segment(Lang::En, vec![doc(99, "another text"), doc(98, "a third text"), doc(97, "and a fourth")]) else {
            panic!("no segment")
        };
        index.insert(built);
        let plan = index.plan_merge(Lang::En).expect("20 texts are less than 8 times 3");
        assert_eq!(plan.len(), 23);
        let merged = plan.build();
        // Another merge took the segments first.
        let other = index.plan_merge(Lang::En).unwrap();
        let other_merged = other.build();
        assert!(index.apply_merge(other, other_merged));
        assert!(!index.apply_merge(plan, merged));
        assert_eq!((index.segment_count(Lang::En), index.len(Lang::En)), (1, 23));
    }

    #[test]
    fn serbian_matches_across_scripts() {
        let mut index = FuzzyIndex::new();
        index.add(Lang::Sr, vec![doc(1, "Општина Приштина"), doc(2, "Skupština opštine"), doc(3, "Љубљана")]);
        let hits = index.search(&TmQuery::new("Opština Priština"), &[Lang::Sr], 1, 0.0, &mut SearchStats::default());
        assert_eq!((hits[0].unit, hits[0].score), (1, 1.0));
        let hits = index.search(&TmQuery::new("Скупштина општине"), &[Lang::Sr], 1, 0.0, &mut SearchStats::default());
        assert_eq!((hits[0].unit, hits[0].score), (2, 1.0));
        let hits = index.search(&TmQuery::new("Ljubljana"), &[Lang::Sr], 1, 0.0, &mut SearchStats::default());
        assert_eq!((hits[0].unit, hits[0].score), (3, 1.0));
    }

    /// The score of `text` (with its inline tags) for `query`, as a search finds it.
    fn score_of(query: &str, text: &str, inline: Vec<InlineTag>) -> f64 {
        let mut index = FuzzyIndex::new();
        index.add(Lang::En, vec![DocInput { inline, ..doc(1, text) }]);
        let hits = index.search(&TmQuery::new(query), &[Lang::En], 1, 0.0, &mut SearchStats::default());
        hits.first().map_or(f64::NAN, |hit| hit.score)
    }

    fn tag(offset: usize, kind: &str, content: &str) -> InlineTag {
        InlineTag { offset, kind: kind.into(), attrs: Vec::new(), content: content.into() }
    }

    #[test]
    fn a_tag_is_one_symbol_of_the_score() {
        let chars = |query: &str, text: &str| brute_force_chars(query, text);
        for (query, text, expected) in [
            // Equal tags are equal symbols.
            ("Click <b>Save</b> now", "Click <b>Save</b> now", 1.0),
            ("Click <b>Save</b> today", "Click <b>Save</b> now", 1.0 - 4.0 / 18.0),
            // A missing pair of tags is two symbols, not seven characters.
            ("Click <b>Save</b> now", "Click Save now", 1.0 - 2.0 / 16.0),
            ("Click Save now", "Click <b>Save</b> now", 1.0 - 2.0 / 16.0),
            ("Click <i>Save</i> now", "Click <b>Save</b> now", 1.0 - 2.0 / 16.0),
            // A different placeholder is one substitution.
            ("Delete %(count)d files", "Delete %(name)s files", 1.0 - 1.0 / 14.0),
            ("{0} of {1}", "{1} of {0}", 1.0 - 2.0 / 6.0),
            ("Page %1 of %2", "Page %1", 1.0 - 5.0 / 11.0),
            // Texts without any keep their characters' score.
            ("Save the file", "Save the files", chars("Save the file", "Save the files")),
            ("100% sure, a < b", "100 % sure, a < c", chars("100% sure, a < b", "100 % sure, a < c")),
        ] {
            assert_eq!(score_of(query, text, Vec::new()), expected, "{query:?} / {text:?}");
        }
        assert_eq!(chars("Click <b>Save</b> now", "Click Save now"), 1.0 - 7.0 / 21.0, "by characters, as before");
    }

    #[test]
    fn inline_tags_take_part_as_symbols() {
        // "Click <b>Save</b> now" kept as a TMX segment: text and two inline tags.
        let tmx = || vec![tag(6, "bpt", "<b>"), tag(10, "ept", "</b>")];
        assert_eq!(score_of("Click <b>Save</b> now", "Click Save now", tmx()), 1.0);
        assert_eq!(score_of("Click Save now", "Click Save now", tmx()), 1.0 - 2.0 / 16.0);
        // XLIFF g elements without native code: a tag, but not the query's <b>.
        assert_eq!(score_of("Click <b>Save</b> now", "Click Save now", vec![tag(6, "g", ""), tag(10, "/g", "")]), 1.0 - 2.0 / 16.0);
        let hits = {
            let mut index = FuzzyIndex::new();
            index.add(Lang::En, vec![DocInput { inline: tmx(), ..doc(7, "Click Save now") }]);
            index.search(&TmQuery::new("Click <b>Save</b> now"), &[Lang::En], 1, 0.0, &mut SearchStats::default())
        };
        assert_eq!(hits[0].text, TmQuery::new("Click <b>Save</b> now").symbols(), "a hit carries its scored text");
    }

    #[test]
    fn placeholders_are_not_transliterated_in_serbian() {
        let mut index = FuzzyIndex::new();
        index.add(Lang::Sr, vec![doc(1, "Отвори %s"), doc(2, "Obriši %(name)s")]);
        let hits = index.search(&TmQuery::new("Otvori %s"), &[Lang::Sr], 1, 0.0, &mut SearchStats::default());
        assert_eq!((hits[0].unit, hits[0].score), (1, 1.0));
        let hits = index.search(&TmQuery::new("Обриши %(name)s"), &[Lang::Sr], 1, 0.0, &mut SearchStats::default());
        assert_eq!((hits[0].unit, hits[0].score), (2, 1.0));
    }

    /// DESIGN.md's score over characters, tags included.
    fn brute_force_chars(query: &str, text: &str) -> f64 {
        let longest = query.chars().count().max(text.chars().count());
        1.0 - levenshtein::distance(query.chars(), text.chars()) as f64 / longest as f64
    }

    proptest::proptest! {
        #[test]
        fn texts_without_tags_score_by_their_characters(query in "[a-eë %<>{}]{0,12}", text in "[a-eë %<>{}]{0,12}") {
            let tokens = crate::text::placeholders::tag_tokens;
            proptest::prop_assume!(tokens(&query).is_empty() && tokens(&text).is_empty() && !query.is_empty());
            proptest::prop_assert_eq!(score_of(&query, &text, Vec::new()), brute_force_chars(&query, &text));
        }
    }

    #[test]
    fn min_score_and_ties() {
        let mut index = FuzzyIndex::new();
        index.add(Lang::En, vec![doc(1, "abcd"), doc(2, "abce"), doc(3, "abcf"), doc(4, "zzzz")]);
        let hits = index.search(&TmQuery::new("abcx"), &[Lang::En], 1, 0.0, &mut SearchStats::default());
        assert_eq!(hits.len(), 3, "ties at the last place are all kept: {hits:?}");
        let hits = index.search(&TmQuery::new("abcx"), &[Lang::En], 5, 0.8, &mut SearchStats::default());
        assert!(hits.is_empty());
    }
}
