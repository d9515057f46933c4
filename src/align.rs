//! Sentence alignment of language versions of one document (Gale & Church 1993, "A program
//! for aligning sentences in bilingual corpora", with lexical anchors).
//!
//! A document is cut into paragraphs (blank lines), lines, then sentences
//! ([`crate::text::segment::sentences`]). Two documents are aligned by dynamic programming
//! over beads of 1-1, 1-0, 0-1, 2-1 and 1-2 segments. A bead's cost is Gale–Church's: minus
//! the log of the bead prior and of the probability that the lengths differ as much as they
//! do, given the documents' overall length ratio. Anchors correct what lengths miss: numbers,
//! article numbers ("Neni 5", "Član 5", "Члан 5", "Article 5"), capitalised words such as
//! place names (compared on the first letters after folding Cyrillic to Latin and dropping
//! diacritics, so Prishtinë, Priština and Приштина agree) and question/exclamation marks.
//! Shared anchors lower a bead's cost, anchors on one side only raise it. A bead that would
//! span a paragraph break costs more, and paragraph starts on both sides attract each other.
//!
//! Three documents are aligned each against the first (the pivot); a unit gets the third
//! language where both alignments group the same pivot sentences.
//!
//! Not done: word alignment, reordering (sentences that swap places are aligned 1-0 + 0-1),
//! 2-2 and larger beads. Memory is one cell per pair of sentences inside a band around the
//! diagonal; documents of up to a few thousand sentences a side are the target.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use crate::model::lang::LangTag;
use crate::model::{TranslationUnit, Variant};
use crate::text::{Tier, fold, segment};

/// Why documents could not be aligned.
#[derive(Debug, thiserror::Error)]
pub enum AlignError {
    /// Fewer than two or more than three documents, or languages that do not match them.
    #[error("alignment needs 2 or 3 documents with one language each, got {documents} document(s) and {langs} language(s)")]
    Arity {
        /// Documents given.
        documents: usize,
        /// Languages given.
        langs: usize,
    },
    /// A document has no text.
    #[error("document {index} ({lang}) has no text to align")]
    Empty {
        /// 1-based position of the document.
        index: usize,
        /// Its language.
        lang: LangTag,
    },
}

impl crate::problem::Classify for AlignError {
    /// Every reason alignment refuses is in the documents or languages given.
    fn class(&self) -> crate::problem::ErrorClass {
        crate::problem::ErrorClass::Input
    }
}

/// A sentence of a document, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// The sentence, trimmed.
    pub text: String,
    /// 0-based paragraph (blocks separated by blank lines).
    pub paragraph: usize,
    /// 1-based line in the document.
    pub line: usize,
    /// True for the first sentence of a paragraph.
    pub starts_paragraph: bool,
}

/// Cuts a document into sentences: paragraphs at blank lines, then lines, then sentences.
///
/// ```
/// let segments = termbridge::align::segment_document("Neni 1. Komuna.\n\nNeni 2.");
/// let texts: Vec<&str> = segments.iter().map(|s| s.text.as_str()).collect();
/// // "Neni 1." heads its provision and stays with it.
/// assert_eq!(texts, ["Neni 1. Komuna.", "Neni 2."]);
/// assert_eq!(segments[1].paragraph, 1);
/// ```
pub fn segment_document(text: &str) -> Vec<Segment> {
    let mut segments = Vec::new();
    let mut paragraph = 0usize;
    let mut in_paragraph = false;
    let mut paragraph_open = false;
    for (line_idx, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            if in_paragraph {
                paragraph += 1;
                in_paragraph = false;
            }
            continue;
        }
        if !in_paragraph {
            paragraph_open = true;
        }
        in_paragraph = true;
        for range in segment::sentences(line) {
            let sentence = line[range].trim();
            if sentence.is_empty() {
                continue;
            }
            segments.push(Segment { text: sentence.to_string(), paragraph, line: line_idx + 1, starts_paragraph: paragraph_open });
            paragraph_open = false;
        }
    }
    segments
}

/// One aligned group: a range of segments of each document (empty for 1-0 and 0-1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bead {
    /// Segments of the first document.
    pub a: Range<usize>,
    /// Segments of the second document.
    pub b: Range<usize>,
}

impl Bead {
    /// The bead's shape, e.g. `(2, 1)`.
    pub fn shape(&self) -> (usize, usize) {
        (self.a.len(), self.b.len())
    }
}

/// Knobs of the aligner; the defaults are the tuned ones (see BENCHMARKS.md).
#[derive(Debug, Clone, Copy)]
pub struct AlignOptions {
    /// Use anchors (numbers, article numbers, capitalised words, punctuation).
    pub anchors: bool,
    /// Cost of an anchor found on one side of a bead only.
    pub anchor_mismatch: f64,
    /// Bonus (cost subtracted) for an anchor found on both sides.
    pub anchor_match: f64,
    /// Cost of a bead spanning a paragraph break, or starting a paragraph on one side only.
    pub paragraph_penalty: f64,
    /// Score 1-0 and 0-1 beads by length difference as Gale and Church did (off: by the
    /// prior alone).
    pub length_cost_for_deletions: bool,
}

impl Default for AlignOptions {
    fn default() -> AlignOptions {
        AlignOptions { anchors: true, anchor_mismatch: 1.5, anchor_match: 1.0, paragraph_penalty: 3.0, length_cost_for_deletions: false }
    }
}

/// Bead shapes and their prior probabilities (Gale & Church 1993, table 5).
const BEADS: [(usize, usize, f64); 5] = [(1, 1, 0.89), (1, 0, 0.0099 / 2.0), (0, 1, 0.0099 / 2.0), (2, 1, 0.089 / 2.0), (1, 2, 0.089 / 2.0)];

/// Variance of the length difference per character (Gale & Church's s²).
const VARIANCE: f64 = 6.8;

/// Aligns the sentences of two documents.
pub fn align_segments(a: &[Segment], b: &[Segment], options: &AlignOptions) -> Vec<Bead> {
    let n = a.len();
    let m = b.len();
    if n == 0 || m == 0 {
        let mut beads: Vec<Bead> = (0..n).map(|i| Bead { a: i..i + 1, b: 0..0 }).collect();
        beads.extend((0..m).map(|j| Bead { a: 0..0, b: j..j + 1 }));
        return beads;
    }
    let len_a: Vec<f64> = a.iter().map(|s| s.text.chars().count() as f64).collect();
    let len_b: Vec<f64> = b.iter().map(|s| s.text.chars().count() as f64).collect();
    // The length ratio of the two languages, from the whole documents, pulled towards 1 by
    // a prior of 500 characters so that a short document missing one long sentence does not
    // skew it (sq, sr and en texts run within about 20% of each other).
    let ratio = ((len_b.iter().sum::<f64>() + 500.0) / (len_a.iter().sum::<f64>() + 500.0)).clamp(0.2, 5.0);
    let anchors_a: Vec<BTreeSet<String>> = a.iter().map(|s| if options.anchors { anchors(&s.text) } else { BTreeSet::new() }).collect();
    let anchors_b: Vec<BTreeSet<String>> = b.iter().map(|s| if options.anchors { anchors(&s.text) } else { BTreeSet::new() }).collect();

    // A band around the diagonal bounds the work on long documents; it is wide enough that
    // whole paragraphs missing on one side still fit.
    let band = (n.max(m) / 5).max(n.abs_diff(m) + 50);
    let width = m + 1;
    let mut cost = vec![f64::INFINITY; (n + 1) * width];
    let mut back = vec![u8::MAX; (n + 1) * width];
    cost[0] = 0.0;
    for i in 0..=n {
        let center = i * m / n;
        let lo = center.saturating_sub(band);
        let hi = (center + band).min(m);
        for j in lo..=hi {
            if i == 0 && j == 0 {
                continue;
            }
            let mut best = f64::INFINITY;
            let mut best_bead = u8::MAX;
            for (bead_idx, &(da, db, prior)) in BEADS.iter().enumerate() {
                if da > i || db > j {
                    continue;
                }
                let previous = cost[(i - da) * width + (j - db)];
                if !previous.is_finite() {
                    continue;
                }
                let bead_cost = previous + bead_cost(a, b, &len_a, &len_b, &anchors_a, &anchors_b, i - da..i, j - db..j, prior, ratio, options);
                if bead_cost < best {
                    best = bead_cost;
                    best_bead = bead_idx as u8;
                }
            }
            cost[i * width + j] = best;
            back[i * width + j] = best_bead;
        }
    }
    let mut beads = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let bead_idx = back[i * width + j];
        // Every cell reached from (0, 0) has a back pointer: the band always holds a path
        // (1-0 and 0-1 beads connect any two cells), so a missing one would be a bug here.
        let Some(&(da, db, _)) = BEADS.get(bead_idx as usize) else {
            debug_assert!(false, "alignment path broken at ({i}, {j})");
            break;
        };
        beads.push(Bead { a: i - da..i, b: j - db..j });
        i -= da;
        j -= db;
    }
    beads.reverse();
    beads
}

#[allow(clippy::too_many_arguments)]
fn bead_cost(
    a: &[Segment],
    b: &[Segment],
    len_a: &[f64],
    len_b: &[f64],
    anchors_a: &[BTreeSet<String>],
    anchors_b: &[BTreeSet<String>],
    range_a: Range<usize>,
    range_b: Range<usize>,
    prior: f64,
    ratio: f64,
    options: &AlignOptions,
) -> f64 {
    let la: f64 = len_a[range_a.clone()].iter().sum();
    let lb: f64 = len_b[range_b.clone()].iter().sum();
    // Moore's variant of Gale–Church's delta: the mean of both lengths (in the first
    // document's units) keeps it defined when one side is empty.
    let mut cost = -prior.ln();
    // A 1-0 or 0-1 bead costs its prior alone. Gale–Church score it by the length difference
    // too, which makes dropping a long sentence dearer than wrongly merging it into a
    // neighbour's 2-1 bead; measured on the dev documents, the prior alone aligns better.
    if options.length_cost_for_deletions || (!range_a.is_empty() && !range_b.is_empty()) {
        let mean = ((la + lb / ratio) / 2.0).max(1.0);
        let delta = (lb - la * ratio) / (mean * VARIANCE).sqrt();
        let probability = (2.0 * (1.0 - normal_cdf(delta.abs()))).max(1e-100);
        cost -= probability.ln();
    }

    // Paragraphs: a bead may not straddle a break on either side, and a paragraph start on
    // one side should meet a paragraph start on the other.
    let spans_break = |segments: &[Segment], range: &Range<usize>| range.len() > 1 && segments[range.start].paragraph != segments[range.end - 1].paragraph;
    if spans_break(a, &range_a) || spans_break(b, &range_b) {
        cost += options.paragraph_penalty;
    }
    if !range_a.is_empty() && !range_b.is_empty() && a[range_a.start].starts_paragraph != b[range_b.start].starts_paragraph {
        cost += options.paragraph_penalty;
    }

    if options.anchors {
        let mut side_a: BTreeSet<&String> = BTreeSet::new();
        for set in &anchors_a[range_a] {
            side_a.extend(set.iter());
        }
        let mut side_b: BTreeSet<&String> = BTreeSet::new();
        for set in &anchors_b[range_b] {
            side_b.extend(set.iter());
        }
        let shared = side_a.intersection(&side_b).count() as f64;
        let one_sided = (side_a.len() + side_b.len()) as f64 - 2.0 * shared;
        cost += options.anchor_mismatch * one_sided - options.anchor_match * shared;
    }
    cost
}

/// Standard normal cumulative distribution (Abramowitz & Stegun 26.2.17, error < 7.5e-8).
fn normal_cdf(z: f64) -> f64 {
    let t = 1.0 / (1.0 + 0.231_641_9 * z.abs());
    let density = (-z * z / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let tail = density * t * (0.319_381_530 + t * (-0.356_563_782 + t * (1.781_477_937 + t * (-1.821_255_978 + t * 1.330_274_429))));
    if z >= 0.0 { 1.0 - tail } else { tail }
}

/// Words that introduce an article number in the three languages.
const ARTICLE_WORDS: &[&str] = &["neni", "nenit", "neneve", "clan", "clana", "clanu", "article", "art"];

/// The anchors of a sentence: numbers, article numbers, capitalised words (first four
/// letters after folding to Latin without diacritics) and `?`/`!`.
pub fn anchors(sentence: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let words: Vec<&str> = segment::words(sentence).into_iter().map(|range| &sentence[range]).collect();
    for (word_idx, word) in words.iter().enumerate() {
        if word.chars().all(|c| c.is_ascii_digit()) {
            let number = word.trim_start_matches('0');
            let number = if number.is_empty() { "0" } else { number };
            found.insert(format!("n:{number}"));
            if word_idx > 0 {
                let previous = fold(words[word_idx - 1], Tier::Script);
                if ARTICLE_WORDS.contains(&previous.as_ref()) {
                    found.insert(format!("art:{number}"));
                }
            }
            continue;
        }
        let first = word.chars().next().unwrap_or(' ');
        if word_idx > 0 && first.is_uppercase() && word.chars().count() >= 4 {
            let folded = fold(word, Tier::Script);
            let key: String = folded.chars().filter(|c| c.is_alphabetic()).take(4).collect();
            if key.chars().count() == 4 {
                found.insert(format!("cap:{key}"));
            }
        }
    }
    for word in &words {
        // Acronyms and codes (PDF, URL, UTF-8) stay the same in every language.
        let letters = word.chars().filter(|c| c.is_alphabetic()).count();
        if letters >= 2 && word.chars().all(|c| !c.is_lowercase()) && word.chars().any(char::is_alphabetic) {
            found.insert(format!("code:{}", fold(word, Tier::Script)));
        }
    }
    // Placeholders and markup, which translations keep as they are.
    for placeholder in crate::text::placeholders::placeholders(sentence) {
        found.insert(format!("ph:{}", placeholder.key));
    }
    for mark in ['?', '!'] {
        if sentence.contains(mark) {
            found.insert(format!("p:{mark}"));
        }
    }
    found
}

/// The result of aligning two or three documents.
#[derive(Debug, Clone)]
pub struct Alignment {
    /// The languages, in document order.
    pub langs: Vec<LangTag>,
    /// Each document's sentences.
    pub segments: Vec<Vec<Segment>>,
    /// Beads of the first document against each other one (`pairs[k]` aligns document 0
    /// with document k + 1).
    pub pairs: Vec<Vec<Bead>>,
}

impl Alignment {
    /// Counts of bead shapes of the first pair, e.g. `{(1, 1): 40, (2, 1): 2}`.
    pub fn shapes(&self) -> BTreeMap<(usize, usize), usize> {
        let mut counts = BTreeMap::new();
        for bead in self.pairs.first().into_iter().flatten() {
            *counts.entry(bead.shape()).or_insert(0) += 1;
        }
        counts
    }

    /// Translation units of `collection`: one a bead with text on both sides of the first
    /// pair (1-0 and 0-1 beads give none), with the third language where its alignment groups
    /// the same sentences of the first document. Sentences of a bead are joined with a space.
    pub fn units(&self, collection: &str) -> Vec<TranslationUnit> {
        let join = |segments: &[Segment], range: &Range<usize>| segments[range.clone()].iter().map(|s| s.text.as_str()).collect::<Vec<_>>().join(" ");
        let mut units = Vec::new();
        let Some(first_pair) = self.pairs.first() else { return units };
        for bead in first_pair {
            if bead.a.is_empty() || bead.b.is_empty() {
                continue;
            }
            let mut variants = Vec::new();
            for (doc_idx, range) in [(0usize, &bead.a), (1usize, &bead.b)] {
                let text = crate::text::nfc(&join(&self.segments[doc_idx], range)).into_owned();
                variants.push(Variant::new(crate::formats::resolve_lang(self.langs[doc_idx], &text), text));
            }
            for (pair_idx, beads) in self.pairs.iter().enumerate().skip(1) {
                let doc_idx = pair_idx + 1;
                if let Some(other) = beads.iter().find(|other| other.a == bead.a && !other.b.is_empty()) {
                    let text = crate::text::nfc(&join(&self.segments[doc_idx], &other.b)).into_owned();
                    variants.push(Variant::new(crate::formats::resolve_lang(self.langs[doc_idx], &text), text));
                }
            }
            let mut unit = TranslationUnit {
                id: String::new(),
                collection: collection.to_string(),
                variants,
                props: BTreeMap::from([(
                    "align:lines".to_string(),
                    format!("{}-{}", self.segments[0][bead.a.start].line, self.segments[0][bead.a.end - 1].line),
                )]),
                notes: Vec::new(),
                created: None,
                changed: None,
            };
            unit.id = format!("{:016x}", unit.key());
            units.push(unit);
        }
        units
    }
}

/// Aligns two or three language versions of a document (the first is the pivot).
///
/// ```
/// use termbridge::align::{align, AlignOptions};
/// use termbridge::model::lang::LangTag;
/// let sq = "Neni 1. Komuna e Prishtinës miraton buxhetin.\nNeni 2. Vendimi hyn në fuqi.";
/// let sr = "Član 1. Opština Priština usvaja budžet.\nČlan 2. Odluka stupa na snagu.";
/// let alignment = align(&[(LangTag::SQ, sq), (LangTag::SR_LATN, sr)], &AlignOptions::default()).unwrap();
/// assert_eq!(alignment.units("default").len(), 2);
/// ```
pub fn align(documents: &[(LangTag, &str)], options: &AlignOptions) -> Result<Alignment, AlignError> {
    if !(2..=3).contains(&documents.len()) {
        return Err(AlignError::Arity { documents: documents.len(), langs: documents.len() });
    }
    let mut segments = Vec::with_capacity(documents.len());
    for (doc_idx, (lang, text)) in documents.iter().enumerate() {
        let doc_segments = segment_document(text);
        if doc_segments.is_empty() {
            return Err(AlignError::Empty { index: doc_idx + 1, lang: *lang });
        }
        segments.push(doc_segments);
    }
    let pairs = (1..segments.len()).map(|other| align_segments(&segments[0], &segments[other], options)).collect();
    Ok(Alignment { langs: documents.iter().map(|(lang, _)| *lang).collect(), segments, pairs })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shapes(a: &str, b: &str) -> Vec<(usize, usize)> {
        let sa = segment_document(a);
        let sb = segment_document(b);
        align_segments(&sa, &sb, &AlignOptions::default()).iter().map(Bead::shape).collect()
    }

    #[test]
    fn anchors_fold_scripts_and_find_articles() {
        let sq = anchors("Sipas Nenit 5, Komuna e Prishtinës paguan 300 euro?");
        let sr = anchors("Prema Članu 5, Opština Приштина plaća 300 evra?");
        assert!(sq.contains("art:5") && sr.contains("art:5"), "{sq:?} {sr:?}");
        assert!(sq.contains("cap:pris") && sr.contains("cap:pris"), "{sq:?} {sr:?}");
        assert!(sq.contains("n:300") && sr.contains("p:?"));
        let placeholders = anchors("Delete %(count)s files from {name}? PDF only, 100%");
        assert!(placeholders.contains("ph:%(count)s") && placeholders.contains("ph:{name}") && placeholders.contains("code:pdf"), "{placeholders:?}");
        assert!(!anchors("Komuna paguan.").contains("cap:komu"), "the first word is capitalised anyway");
    }

    #[test]
    fn one_to_one_when_nothing_is_missing() {
        let sq = "Neni 1. Komuna e Prishtinës miraton buxhetin për vitin 2024.\nNeni 2. Ky vendim hyn në fuqi ditën e publikimit.";
        let sr = "Član 1. Opština Priština usvaja budžet za 2024. godinu.\nČlan 2. Ova odluka stupa na snagu danom objavljivanja.";
        // "Neni 1." / "Član 1." head their provision: one segment each, not a sentence of their own.
        assert_eq!(shapes(sq, sr), vec![(1, 1), (1, 1)]);
    }

    #[test]
    fn a_missing_sentence_is_a_one_to_zero_bead() {
        let en = "The assembly met on 3 May.\nIt also approved the budget of Prizren for the next year, the plan for the roads and the new rules for the public markets.\nThe mayor signed decision 17 on the same day.\nThe session closed at noon.";
        let sq = "Kuvendi u mblodh më 3 maj.\nKryetari nënshkroi vendimin 17 në të njëjtën ditë.\nSeanca u mbyll në mesditë.";
        assert_eq!(shapes(en, sq), vec![(1, 1), (1, 0), (1, 1), (1, 1)]);
    }

    #[test]
    fn a_merged_sentence_is_a_two_to_one_bead() {
        let en = "Article 4. The municipality of Gjakova publishes every decision. Decisions are published in both official languages.\nArticle 5. Signs show names in Albanian and Serbian.";
        let sr = "Član 4. Opština Đakovica objavljuje svaku odluku, i to na oba službena jezika.\nČlan 5. Table pokazuju nazive na albanskom i srpskom.";
        let got = shapes(en, sr);
        assert!(got.contains(&(2, 1)), "{got:?}");
    }

    #[test]
    fn three_documents_share_the_pivot() {
        let sq = "Komuna e Pejës.\nVendimi për rrugët, 12 faqe.";
        let sr = "Opština Peć.\nOdluka o putevima, 12 strana.";
        let en = "Municipality of Peja.\nDecision on roads, 12 pages.";
        let alignment = align(&[(LangTag::SQ, sq), (LangTag::SR, sr), (LangTag::EN, en)], &AlignOptions::default()).unwrap();
        let units = alignment.units("default");
        assert_eq!(units.len(), 2);
        assert_eq!(units[1].variants.len(), 3);
        assert_eq!(units[1].variants[1].lang, LangTag::SR_LATN);
    }

    #[test]
    fn errors() {
        assert!(matches!(align(&[(LangTag::SQ, "a")], &AlignOptions::default()), Err(AlignError::Arity { .. })));
        assert!(matches!(align(&[(LangTag::SQ, "a"), (LangTag::EN, "  \n")], &AlignOptions::default()), Err(AlignError::Empty { index: 2, .. })));
    }
}
