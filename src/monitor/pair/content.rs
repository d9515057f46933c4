//! The last resort of pairing: two pages in different languages are versions of one document
//! when they share what a translation keeps (numbers, dates, names; see `features`) and
//! each is the other's best match.
//!
//! A site's pages share a lot: the footer's address and telephone, the year, the
//! institution's name. So every feature is weighted by how rare it is on the site (inverse
//! document frequency), the score is a weighted Jaccard index over all features, and two
//! pages whose dates are all different are not one document, whatever else they share: two
//! vacancy notices of one template differ in their numbers and dates, not in their names.
//!
//! Deliberately not compared: words (they are translated) and structure (menus make every
//! page of a site alike).

use std::collections::{BTreeMap, HashMap};

use super::super::page::PageInfo;
use crate::model::lang::{Lang, LangTag};

/// The score a pair must reach, tuned on the fixture site of `tests/data/monitor/pairing`:
/// its true pairs score 0.25 and more (a Turkish decision beside the Albanian one, 0.25; an
/// English news item, 0.33), its false pairs 0.13 at most (notices of one template, budget
/// hearings of two years: below 0.1). The threshold sits between the two. Retune only on
/// fixtures.
pub const THRESHOLD: f64 = 0.2;

/// How far a page's best match must lead its second best (in the same language): a page
/// matching two candidates alike is one of a series, and guessing between them is worse
/// than reporting no counterpart.
pub const MARGIN: f64 = 0.08;

/// Pages shorter than this many characters carry too little to compare.
const MIN_CHARS: usize = 40;

/// The factor on the score of two pages that both have dates and share none.
const DISJOINT_DATES: f64 = 0.2;

/// A candidate pair of pages (indices into the slice given) with its score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    /// The first page.
    pub a: usize,
    /// The second page.
    pub b: usize,
    /// 0..=1.
    pub score: f64,
}

/// Every page's features as one list of keys (kind-prefixed, so a number and a date never
/// meet).
fn keys(page: &PageInfo) -> Vec<String> {
    let mut keys: Vec<String> = page.numbers.iter().map(|n| format!("#{n}")).collect();
    keys.extend(page.dates.iter().map(|d| format!("d{d}")));
    keys.extend(page.names.iter().map(|n| format!("@{n}")));
    keys.sort();
    keys.dedup();
    keys
}

/// The score of two pages of different languages; `weights` gives each key's weight.
fn score(a: &PageInfo, b: &PageInfo, keys_a: &[u32], keys_b: &[u32], weights: &[f64]) -> f64 {
    let (mut shared, mut union) = (0.0, 0.0);
    let (mut i, mut j) = (0, 0);
    while i < keys_a.len() || j < keys_b.len() {
        match (keys_a.get(i), keys_b.get(j)) {
            (Some(x), Some(y)) if x == y => {
                shared += weights[*x as usize];
                union += weights[*x as usize];
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x < y => {
                union += weights[*x as usize];
                i += 1;
            }
            (Some(x), None) => {
                union += weights[*x as usize];
                i += 1;
            }
            (_, Some(y)) => {
                union += weights[*y as usize];
                j += 1;
            }
            (None, None) => break,
        }
    }
    if union <= 0.0 {
        return 0.0;
    }
    let mut score = shared / union;
    if !a.dates.is_empty() && !b.dates.is_empty() && !a.dates.iter().any(|date| b.dates.contains(date)) {
        score *= DISJOINT_DATES;
    }
    // Translations run about as long as their original (Serbian and English within a third of
    // Albanian on the fixtures); a page half as long or less is another text, or a summary.
    let ratio = a.chars.min(b.chars) as f64 / a.chars.max(b.chars).max(1) as f64;
    if ratio < 0.5 {
        score *= ratio / 0.5;
    }
    score
}

/// Every pair's score, for tuning: (first page, second page, score), pages of one language
/// left out.
pub fn scores(pages: &[&PageInfo]) -> Vec<(usize, usize, f64)> {
    let (page_keys, weights) = weighted_keys(pages);
    let mut out = Vec::new();
    for a in 0..pages.len() {
        for b in a + 1..pages.len() {
            if versions_apart(pages[a], pages[b]) {
                out.push((a, b, score(pages[a], pages[b], &page_keys[a], &page_keys[b], &weights)));
            }
        }
    }
    out
}

/// Every page's keys as numbers (sorted), each key's weight, and how many pages have it.
fn weighted_keys(pages: &[&PageInfo]) -> (Vec<Vec<u32>>, Vec<f64>) {
    let n = pages.len();
    let mut ids: HashMap<String, u32> = HashMap::new();
    let mut frequency: Vec<usize> = Vec::new();
    let page_keys: Vec<Vec<u32>> = pages
        .iter()
        .map(|page| {
            let mut out: Vec<u32> = keys(page)
                .into_iter()
                .map(|key| {
                    let next = ids.len() as u32;
                    let id = *ids.entry(key).or_insert(next);
                    if id as usize == frequency.len() {
                        frequency.push(0);
                    }
                    frequency[id as usize] += 1;
                    id
                })
                .collect();
            out.sort_unstable();
            out
        })
        .collect();
    let weights: Vec<f64> = frequency.iter().map(|&df| ((n as f64 + 1.0) / df as f64).ln()).collect();
    (page_keys, weights)
}

/// The pairs of `pages` (among those `eligible` says may pair, by index) that content alone
/// makes versions of one document: score at least [`THRESHOLD`], each the other's best in its
/// language by at least [`MARGIN`]. Sorted by score, best first, then by index.
pub fn candidates(pages: &[&PageInfo], eligible: &dyn Fn(usize, usize) -> bool) -> Vec<Candidate> {
    let n = pages.len();
    let usable: Vec<bool> = pages.iter().map(|page| page.tag.is_some() && page.chars >= MIN_CHARS).collect();
    let (page_keys, weights) = weighted_keys(pages);
    let mut frequency = vec![0usize; weights.len()];
    for keys in &page_keys {
        for key in keys {
            frequency[*key as usize] += 1;
        }
    }
    // Candidates share at least one key that is not on most of the site's pages.
    let common = (n / 2).max(2);
    let mut postings: Vec<Vec<usize>> = vec![Vec::new(); frequency.len()];
    for (page, keys) in page_keys.iter().enumerate() {
        if usable[page] {
            for key in keys {
                if frequency[*key as usize] <= common {
                    postings[*key as usize].push(page);
                }
            }
        }
    }
    let mut pairs: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    for list in &postings {
        for (idx, &a) in list.iter().enumerate() {
            for &b in &list[idx + 1..] {
                if !versions_apart(pages[a], pages[b]) || pairs.contains_key(&(a, b)) || !eligible(a, b) {
                    continue;
                }
                pairs.insert((a, b), score(pages[a], pages[b], &page_keys[a], &page_keys[b], &weights));
            }
        }
    }
    // Each page's best and second best score per other language (Serbian per script: the
    // Cyrillic and Latin versions of one text score alike, and both are its versions).
    let mut best: HashMap<(usize, LangTag), (f64, Option<usize>, f64)> = HashMap::new();
    for (&(a, b), &s) in &pairs {
        for (me, other) in [(a, b), (b, a)] {
            let Some(lang) = pages[other].tag else { continue };
            let entry = best.entry((me, lang)).or_insert((0.0, None, 0.0));
            if s > entry.0 {
                *entry = (s, Some(other), entry.0);
            } else if s > entry.2 {
                entry.2 = s;
            }
        }
    }
    let leads = |me: usize, other: usize| {
        let Some(lang) = pages[other].tag else { return false };
        best.get(&(me, lang)).is_some_and(|(top, who, second)| *who == Some(other) && top - second >= MARGIN)
    };
    let mut found: Vec<Candidate> =
        pairs.into_iter().filter(|&((a, b), s)| s >= THRESHOLD && leads(a, b) && leads(b, a)).map(|((a, b), score)| Candidate { a, b, score }).collect();
    found.sort_by(|x, y| y.score.total_cmp(&x.score).then((x.a, x.b).cmp(&(y.a, y.b))));
    found
}

/// True when two pages can be versions of one text: both in a known language, and not in
/// the same language and script.
fn versions_apart(a: &PageInfo, b: &PageInfo) -> bool {
    matches!((a.tag, b.tag), (Some(x), Some(y)) if x != y && (x.lang != y.lang || x.lang == Lang::Sr))
}

/// The confidence of a content pair: below every structural method's (0.7 and up), rising
/// with the score.
pub fn confidence(score: f64) -> f32 {
    (0.3 + 0.3 * score.clamp(0.0, 1.0)) as f32
}
