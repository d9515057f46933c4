//! Translation memory: translation units, fuzzy match and concordance.
//!
//! A [`TranslationUnit`] holds every language variant of one segment. Units are keyed by a
//! content hash of their id, collection and variants, so importing the same file twice adds
//! nothing. Serbian variants without a script tag get the script of their letters, and are
//! searchable in both scripts because the indexes fold Cyrillic to Latin.
//!
//! - [`tm_match`]: the best units for a sentence, scored by DESIGN.md's TM score, with the
//!   tier the match needed and the numbers that differ substituted in the suggested target
//!   ([`matcher`] finds and scores, [`numbers`] substitutes).
//! - [`concordance`]: every unit that contains a word or phrase, as keyword-in-context lines.
//!
//! Reading and writing file formats is `formats`' business, storing is `store`'s.

pub mod concordance;
pub mod matcher;
pub mod numbers;

use serde::Serialize;

pub use concordance::{ConcordanceLine, ConcordanceOptions, concordance};
pub use numbers::NumberChange;

use crate::model::lang::{Lang, LangTag, SrScript};
use crate::model::{TranslationUnit, Variant};
use crate::text::{Folded, Tier};
use crate::{Workspace, WorkspaceError};

/// What [`tm_match`] looks for.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchOptions {
    /// Language of the query; `None` searches the variants of every language.
    pub src: Option<LangTag>,
    /// Language of the translation to show; `None` shows the first variant in another
    /// language than the matched one. A Serbian target with a script is shown in that script.
    pub tgt: Option<LangTag>,
    /// How many hits.
    pub top: usize,
    /// Lowest score to show, 0 to 100.
    pub min_score: f64,
}

impl Default for MatchOptions {
    fn default() -> MatchOptions {
        MatchOptions { src: None, tgt: None, top: 5, min_score: 0.0 }
    }
}

/// One TM match.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TmHit {
    /// The unit's external id.
    pub id: String,
    /// DESIGN.md's TM score, 0 to 100, rounded to two decimals.
    pub score: f64,
    /// The strictest tier at which query and source are equal (`fuzzy` when they are not).
    pub tier: Tier,
    /// The matched variant's text, as stored.
    pub source: String,
    /// The translation (see [`MatchOptions::tgt`]), if the unit has one.
    pub target: Option<String>,
    /// Language of `source`.
    pub source_lang: LangTag,
    /// Language of `target`.
    pub target_lang: Option<LangTag>,
    /// The unit's collection.
    pub collection: String,
    /// Numbers that differ between the query and `source`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub numbers: Vec<NumberChange>,
    /// `target` with the query's numbers, when every changed number could be placed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    /// The unit's store key.
    #[serde(skip)]
    pub key: u64,
}

/// Rounds a 0–1 score to a 0–100 score with two decimals, as the benchmark's reference does
/// (Python's `round`, half to even on the exact binary value, which `format!` also does).
pub fn round_score(score: f64) -> f64 {
    format!("{:.2}", score * 100.0).parse().unwrap_or(score * 100.0)
}

/// The languages a query in `src` is matched against.
pub fn source_langs(src: Option<LangTag>) -> Vec<Lang> {
    match src {
        Some(tag) => vec![tag.lang],
        None => Lang::ALL.to_vec(),
    }
}

/// At most this many tied hits get their tier computed; the rest count as fuzzy.
const MAX_TIER_CHECKS: usize = 256;

/// The `top` best TM matches for `query` (ranked by score, then tier, then recency).
///
/// ```
/// use termbridge::Workspace;
/// use termbridge::model::lang::LangTag;
/// use termbridge::memory::{MatchOptions, tm_match};
/// use termbridge::model::{TranslationUnit, Variant};
///
/// let dir = tempfile::tempdir().unwrap();
/// let (workspace, _) = Workspace::open(dir.path(), &mut |_, _| {}).unwrap();
/// let unit = TranslationUnit {
///     id: "t1".into(),
///     collection: "default".into(),
///     variants: vec![Variant::new(LangTag::EN, "Decision 11 of 2024"), Variant::new(LangTag::SQ, "Vendimi 11 i vitit 2024")],
///     props: Default::default(),
///     notes: vec![],
///     created: None,
///     changed: None,
/// };
/// workspace.add_units(&[unit]).unwrap();
/// let options = MatchOptions { src: Some(LangTag::EN), tgt: Some(LangTag::SQ), ..MatchOptions::default() };
/// let hits = tm_match(&workspace, "Decision 12 of 2024", &options).unwrap();
/// assert_eq!(hits[0].score, 94.74);
/// assert_eq!(hits[0].suggestion.as_deref(), Some("Vendimi 12 i vitit 2024"));
/// ```
pub fn tm_match(workspace: &Workspace, query: &str, options: &MatchOptions) -> Result<Vec<TmHit>, WorkspaceError> {
    let query = crate::text::nfc(query);
    let langs = source_langs(options.src);
    let mut stats = matcher::SearchStats::default();
    let raw = workspace.fuzzy_search(&query, &langs, options.top, options.min_score / 100.0, &mut stats)?;
    rank_and_resolve(workspace, &query, raw, options)
}

/// Ranks raw hits by score, tier and recency, keeps the top ones and looks their units up.
pub fn rank_and_resolve(workspace: &Workspace, query: &str, raw: Vec<matcher::RawHit>, options: &MatchOptions) -> Result<Vec<TmHit>, WorkspaceError> {
    let query_keys = [Folded::new(query, Tier::Script, false).text, Folded::new(query, Tier::Script, true).text];
    let mut ranked: Vec<(matcher::RawHit, Tier)> = raw
        .into_iter()
        .enumerate()
        .map(|(idx, hit)| {
            // A Serbian text in the other script scores 100 without being byte-equal.
            let tier = if hit.text == query {
                Tier::Exact
            } else if idx < MAX_TIER_CHECKS && could_fold_equal(&query_keys, &hit.text) {
                crate::text::match_tier(query, &hit.text).unwrap_or(Tier::Fuzzy)
            } else {
                Tier::Fuzzy
            };
            (hit, tier)
        })
        .collect();
    ranked.sort_by(|(a, a_tier), (b, b_tier)| {
        b.score.total_cmp(&a.score).then(a_tier.cmp(b_tier)).then(b.recency.cmp(&a.recency)).then(a.unit.cmp(&b.unit)).then(a.variant.cmp(&b.variant))
    });
    ranked.truncate(options.top);
    let mut hits = Vec::with_capacity(ranked.len());
    for (raw_hit, tier) in ranked {
        let Some(unit) = workspace.store.unit(raw_hit.unit)? else { continue };
        let Some(matched) = unit.variants.get(raw_hit.variant as usize) else { continue };
        let (target, target_lang) = match pick_target(&unit, raw_hit.variant as usize, options.tgt) {
            Some((text, lang)) => (Some(text), Some(lang)),
            None => (None, None),
        };
        let (numbers, suggestion) = numbers::substitute(query, &matched.text, target.as_deref());
        hits.push(TmHit {
            id: unit.id.clone(),
            score: round_score(raw_hit.score),
            tier,
            source: matched.text.clone(),
            target,
            source_lang: matched.lang,
            target_lang,
            collection: unit.collection.clone(),
            numbers,
            suggestion,
            key: raw_hit.unit,
        });
    }
    Ok(hits)
}

/// A cheap necessary condition for a tier below fuzzy: equal at the loosest folding tier.
fn could_fold_equal(query_keys: &[String; 2], text: &str) -> bool {
    let with_dj = Folded::new(text, Tier::Script, false).text;
    if query_keys.contains(&with_dj) {
        return true;
    }
    let with_d = Folded::new(text, Tier::Script, true).text;
    query_keys.contains(&with_d)
}

/// The translation of a unit to show beside its matched variant, in the wanted language and
/// (for Serbian) script.
fn pick_target(unit: &TranslationUnit, matched: usize, tgt: Option<LangTag>) -> Option<(String, LangTag)> {
    let matched_lang = unit.variants.get(matched)?.lang.lang;
    let Some(wanted) = tgt else {
        let variant = unit.variants.iter().find(|variant| variant.lang.lang != matched_lang)?;
        return Some((variant.text.clone(), variant.lang));
    };
    let candidates: Vec<&Variant> = unit.variants.iter().enumerate().filter(|(idx, v)| *idx != matched && v.lang.lang == wanted.lang).map(|(_, v)| v).collect();
    let exact = candidates.iter().find(|variant| wanted.script.is_none() || variant.lang.script == wanted.script).or(candidates.first())?;
    match (wanted.script, exact.lang.script) {
        (Some(SrScript::Latn), Some(SrScript::Cyrl)) => Some((crate::text::cyr_to_lat(&exact.text).into_owned(), wanted)),
        (Some(SrScript::Cyrl), Some(SrScript::Latn)) => Some((crate::text::lat_to_cyr(&exact.text).into_owned(), wanted)),
        _ => Some((exact.text.clone(), exact.lang)),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn scores_round_like_the_reference() {
        for (score, expected) in [(1.0, 100.0), (0.875, 87.5), (1.0 - 1.0 / 3.0, 66.67), (1.0 - 3.0 / 32.0, 90.62), (0.0, 0.0)] {
            assert_eq!(round_score(score), expected, "{score}");
        }
    }

    #[test]
    fn targets_follow_the_wanted_language_and_script() {
        let unit = TranslationUnit {
            id: "1".into(),
            collection: "default".into(),
            variants: vec![Variant::new(LangTag::SQ, "Komuna"), Variant::new(LangTag::SR_CYRL, "Општина"), Variant::new(LangTag::EN, "Municipality")],
            props: BTreeMap::new(),
            notes: Vec::new(),
            created: None,
            changed: None,
        };
        assert_eq!(pick_target(&unit, 0, None), Some(("Општина".into(), LangTag::SR_CYRL)));
        assert_eq!(pick_target(&unit, 0, Some(LangTag::SR_LATN)), Some(("Opština".into(), LangTag::SR_LATN)));
        assert_eq!(pick_target(&unit, 0, Some(LangTag::SR)), Some(("Општина".into(), LangTag::SR_CYRL)));
        assert_eq!(pick_target(&unit, 2, Some(LangTag::SQ)), Some(("Komuna".into(), LangTag::SQ)));
        assert_eq!(pick_target(&unit, 0, Some(LangTag::TR)), None);
    }
}
