//! Translation memory: fuzzy match and concordance over translation units.
//!
//! The units themselves are the model's ([`TranslationUnit`]); an opened data directory runs
//! the searches over its store and indexes (`Workspace::tm_match`, `Workspace::concordance`).
//! This module holds what those searches compute without touching storage:
//!
//! - [`TmQuery`]: a TM query normalised (NFC) and folded once, at every tier the ranking
//!   compares at; the match index and the ranking read the folded forms from it.
//! - [`rank`] and [`hit`]: DESIGN.md's TM score ranking (score, then tier, then recency) and
//!   one ranked hit turned into a [`TmHit`] with its target and the numbers that differ
//!   substituted ([`matcher`] finds and scores, [`numbers`] substitutes).
//! - [`concordance`]: where a word or phrase occurs in a text, tier by tier, as
//!   keyword-in-context lines.
//!
//! Reading and writing file formats is `formats`' business, storing is `store`'s.

pub mod concordance;
pub mod matcher;
pub mod numbers;

use std::sync::OnceLock;

use serde::Serialize;

pub use concordance::{ConcordanceLine, ConcordanceOptions};
pub use numbers::NumberChange;

use crate::model::lang::{Lang, LangTag, SrScript};
use crate::model::{TranslationUnit, Variant};
use crate::text::{Folded, Tier};

/// A TM query, normalised and folded once: every step of a match (candidates in the match
/// index, the ranking's tier) reads its folded forms from here instead of folding the query
/// again.
#[derive(Debug)]
pub struct TmQuery {
    /// The query, NFC.
    text: String,
    /// The query folded at the script tier, đ as "dj" and as "d": equal to a text's fold is
    /// the cheap necessary condition for a tier below fuzzy.
    script_keys: [String; 2],
    /// The query folded at each tier of the ladder (`Tier::FOLDING`) and, from diacritics
    /// on, with đ as "d" too; computed when the first candidate could fold equal.
    ladder: OnceLock<Vec<(Tier, String, Option<String>)>>,
}

impl TmQuery {
    /// Normalises and folds `query`.
    pub fn new(query: &str) -> TmQuery {
        let text = crate::text::nfc(query).into_owned();
        let script_keys = [Folded::new(&text, Tier::Script, false).text, Folded::new(&text, Tier::Script, true).text];
        TmQuery { text, script_keys, ladder: OnceLock::new() }
    }

    /// The query, NFC.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// True when `text` folds to the query at the loosest folding tier (a cheap necessary
    /// condition for a tier below fuzzy).
    fn could_fold_equal(&self, text: &str) -> bool {
        let with_dj = Folded::new(text, Tier::Script, false).text;
        if self.script_keys.contains(&with_dj) {
            return true;
        }
        let with_d = Folded::new(text, Tier::Script, true).text;
        self.script_keys.contains(&with_d)
    }

    /// The strictest tier at which the query and `text` are equal (`text::match_tier` with the
    /// query's side folded once).
    fn tier_of(&self, text: &str) -> Option<Tier> {
        let ladder = self.ladder.get_or_init(|| {
            Tier::FOLDING
                .into_iter()
                .map(|tier| match tier {
                    Tier::Exact => (tier, self.text.clone(), None),
                    Tier::Script => (tier, self.script_keys[0].clone(), Some(self.script_keys[1].clone())),
                    _ if tier >= Tier::Diacritics => (tier, Folded::new(&self.text, tier, false).text, Some(Folded::new(&self.text, tier, true).text)),
                    _ => (tier, Folded::new(&self.text, tier, false).text, None),
                })
                .collect()
        });
        for (tier, query_dj, query_d) in ladder {
            let text_dj = crate::text::fold(text, *tier);
            if *query_dj == text_dj {
                return Some(*tier);
            }
            if let Some(query_d) = query_d {
                // Either side may have written đ as "d" (ASCII folding) rather than "dj".
                let text_d = Folded::new(text, *tier, true).text;
                if *query_dj == text_d || *query_d == text_dj {
                    return Some(*tier);
                }
            }
        }
        None
    }
}

/// What a TM match (`Workspace::tm_match`) looks for.
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

/// Ranks the match index's hits by score, tier and recency and keeps the `top` best, each
/// with the strictest tier at which it equals the query.
pub fn rank(query: &TmQuery, raw: Vec<matcher::RawHit>, top: usize) -> Vec<(matcher::RawHit, Tier)> {
    let mut ranked: Vec<(matcher::RawHit, Tier)> = raw
        .into_iter()
        .enumerate()
        .map(|(idx, hit)| {
            // A Serbian text in the other script scores 100 without being byte-equal.
            let tier = if hit.text == query.text {
                Tier::Exact
            } else if idx < MAX_TIER_CHECKS && query.could_fold_equal(&hit.text) {
                query.tier_of(&hit.text).unwrap_or(Tier::Fuzzy)
            } else {
                Tier::Fuzzy
            };
            (hit, tier)
        })
        .collect();
    ranked.sort_by(|(a, a_tier), (b, b_tier)| {
        b.score.total_cmp(&a.score).then(a_tier.cmp(b_tier)).then(b.recency.cmp(&a.recency)).then(a.unit.cmp(&b.unit)).then(a.variant.cmp(&b.variant))
    });
    ranked.truncate(top);
    ranked
}

/// One ranked hit as a [`TmHit`], given its unit: the matched variant, the target `options`
/// asks for and the query's numbers substituted into it. `None` when the unit no longer has
/// the matched variant.
pub fn hit(query: &TmQuery, unit: &TranslationUnit, raw_hit: &matcher::RawHit, tier: Tier, options: &MatchOptions) -> Option<TmHit> {
    let matched = unit.variants.get(raw_hit.variant as usize)?;
    let (target, target_lang) = match pick_target(unit, raw_hit.variant as usize, options.tgt) {
        Some((text, lang)) => (Some(text), Some(lang)),
        None => (None, None),
    };
    let (numbers, suggestion) = numbers::substitute(&query.text, &matched.text, target.as_deref());
    Some(TmHit {
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
    })
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
    fn a_query_folded_once_finds_the_tiers_of_the_ladder() {
        for (query, text) in [
            ("Prishtinë", "Prishtinë"),
            ("Prishtinë", "prishtinë"),
            ("Komuna, 2024.", "komuna 2024"),
            ("Đakovica", "Dakovica"),
            ("Dakovica", "Đakovica"),
            ("Đakovica", "Djakovica"),
            ("Priština", "Приштина"),
            ("Ђаковица", "Dakovica"),
            ("Priština", "Prizren"),
        ] {
            let tm_query = TmQuery::new(query);
            assert_eq!(tm_query.tier_of(text), crate::text::match_tier(query, text), "{query:?} and {text:?}");
            assert_eq!(tm_query.could_fold_equal(text), tm_query.tier_of(text).is_some(), "{query:?} and {text:?}");
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
