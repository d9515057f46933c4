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
//!   ([`matcher`] finds and scores, [`numbers`] lists the numbers). The patched target
//!   ([`Patch`]) is filled above this layer, by `patch`, which needs the term base and the
//!   place names too.
//! - [`penalty`]: context matches (101 and 102, tier `context`) and the penalties that order
//!   the hits by their penalised score ([`finish`]).
//! - [`tags`]: placeholders, markup and inline tags as one symbol each in the scored text, and
//!   the keys the `tags` penalty compares.
//! - [`concordance`]: where a word or phrase occurs in a text, tier by tier, as
//!   keyword-in-context lines.
//! - [`fragments`]: when no whole sentence matches, the query's longest word runs the memory
//!   holds, chosen and aligned with their translation in a stored target.
//!
//! Reading and writing file formats is `formats`' business, storing is `store`'s.

pub mod concordance;
pub mod fragments;
pub mod matcher;
pub mod numbers;
pub mod penalty;
pub mod tags;

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

pub use concordance::{ConcordanceLine, ConcordanceOptions};
pub use fragments::{Fragment, FragmentExample, FragmentOrigin};
pub use numbers::NumberChange;
pub use penalty::{MatchContext, Penalties, Penalty, PenaltyKind};

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
    /// The query as the fuzzy score reads it: each placeholder and markup tag one symbol
    /// (`tags::scored_text`); the tiers compare it with a hit's scored text.
    symbols: String,
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
        let symbols = tags::scored_text(&text, &[]).into_owned();
        let script_keys = [Folded::new(&symbols, Tier::Script, false).text, Folded::new(&symbols, Tier::Script, true).text];
        TmQuery { text, symbols, script_keys, ladder: OnceLock::new() }
    }

    /// The query, NFC.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The query as the fuzzy score reads it (each tag one symbol; the text itself when it
    /// has none).
    pub fn symbols(&self) -> &str {
        &self.symbols
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

    /// The strictest tier at which the query and `text` (a hit's scored text) are equal
    /// (`text::match_tier` with the query's side folded once).
    fn tier_of(&self, text: &str) -> Option<Tier> {
        let ladder = self.ladder.get_or_init(|| {
            Tier::FOLDING
                .into_iter()
                .map(|tier| match tier {
                    Tier::Exact => (tier, self.symbols.clone(), None),
                    Tier::Script => (tier, self.script_keys[0].clone(), Some(self.script_keys[1].clone())),
                    _ if tier >= Tier::Diacritics => (tier, Folded::new(&self.symbols, tier, false).text, Some(Folded::new(&self.symbols, tier, true).text)),
                    _ => (tier, Folded::new(&self.symbols, tier, false).text, None),
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
    /// The query's context and neighbours, for context matches.
    pub context: MatchContext,
}

impl Default for MatchOptions {
    fn default() -> MatchOptions {
        MatchOptions { src: None, tgt: None, top: 5, min_score: 0.0, context: MatchContext::default() }
    }
}

/// The TM settings of a data directory (its `tm.toml`; every key optional, see
/// [`Penalties`] for the keys and their defaults).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TmConfig {
    /// Points taken off hits.
    pub penalties: Penalties,
}

impl TmConfig {
    /// Reads the settings from TOML text; an error names the line (`line 2: unknown field …`).
    pub fn parse(text: &str) -> Result<TmConfig, String> {
        toml::from_str(text).map_err(|err| match err.span() {
            Some(span) => format!("line {}: {}", text[..span.start.min(text.len())].matches('\n').count() + 1, err.message()),
            None => err.message().to_string(),
        })
    }
}

/// How strict a hit is: a context match, or the strictest tier of the folding ladder at which
/// query and source are equal. A context match comes before every tier (`Ord`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum HitTier {
    /// A 100 % match whose context (101) or neighbours too (102) equal the query's.
    Context,
    /// The ladder's tier.
    Text(Tier),
}

impl HitTier {
    /// The tier's name as JSON writes it (`context`, `exact`, `case` … `fuzzy`).
    pub fn as_str(self) -> &'static str {
        match self {
            HitTier::Context => "context",
            HitTier::Text(tier) => tier.as_str(),
        }
    }
}

impl Serialize for HitTier {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One TM match.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TmHit {
    /// The unit's external id.
    pub id: String,
    /// DESIGN.md's TM score, 0 to 100, rounded to two decimals; 101 for a context match,
    /// 102 when the neighbours match too.
    pub score: f64,
    /// `context` for a context match, else the strictest tier at which query and source are
    /// equal (`fuzzy` when they are not).
    pub tier: HitTier,
    /// `score` less the penalties' points, which orders the hits; left out when there is no
    /// penalty.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub penalised_score: Option<f64>,
    /// Points taken off, in the order they were found.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub penalties: Vec<Penalty>,
    /// The unit's context, if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
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
    /// `target` with what differs between the query and `source` (numbers, dates, codes,
    /// place names, terms) replaced by the query's values in the target language, when every
    /// difference of those kinds could be placed in the target; the stored `target` stays
    /// as it is. Filled by the patcher (`patch::patch_hit`), not by [`hit`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patched_target: Option<String>,
    /// The replacements made in `patched_target`, in its order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub patches: Vec<Patch>,
    /// The score the hit would have with its source patched too (the differing spans counted
    /// equal), below 100: a patched hit is never an exact match.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patched_score: Option<f64>,
    /// The unit's store key.
    #[serde(skip)]
    pub key: u64,
}

/// What a patch replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PatchKind {
    /// A number, written in the target language's format (1.000,5 / 1,000.5).
    Number,
    /// A date, in the target's form (its order, separators, month names and their case).
    Date,
    /// A code kept as written, such as a law number (03/L-040).
    Code,
    /// A place name: the official name in the target language, in the case of the replaced
    /// one.
    Place,
    /// A term of the term base: the preferred term in the target language, inflected as the
    /// replaced one.
    Term,
}

impl PatchKind {
    /// The kind's name as JSON writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            PatchKind::Number => "number",
            PatchKind::Date => "date",
            PatchKind::Code => "code",
            PatchKind::Place => "place",
            PatchKind::Term => "term",
        }
    }
}

/// One replacement in a patched target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Patch {
    /// The text replaced, as the stored target has it.
    pub from: String,
    /// The text put in its place.
    pub to: String,
    /// What was replaced.
    pub kind: PatchKind,
    /// UTF-8 byte offset of `to` in the patched target.
    pub start: usize,
    /// UTF-8 byte offset just past `to`.
    pub end: usize,
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
            let tier = if hit.text == query.symbols {
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
/// asks for, the numbers that differ from the query's, its context score and the unit's
/// own penalties (`today` as `YYYYMMDD`, for their age). `None` when the unit no longer has
/// the matched variant.
pub fn hit(
    query: &TmQuery,
    unit: &TranslationUnit,
    raw_hit: &matcher::RawHit,
    tier: Tier,
    options: &MatchOptions,
    penalties: &Penalties,
    today: u64,
) -> Option<TmHit> {
    let matched = unit.variants.get(raw_hit.variant as usize)?;
    let mut score = round_score(raw_hit.score);
    let mut tier = HitTier::Text(tier);
    if score >= 100.0
        && !options.context.is_empty()
        && let Some(context_score) = penalty::context_score(unit, &options.context)
    {
        score = context_score;
        tier = HitTier::Context;
    }
    let found = penalty::unit_penalties(unit, raw_hit.variant as usize, &query.text, penalties, today);
    let (target, target_lang) = match pick_target(unit, raw_hit.variant as usize, options.tgt) {
        Some((text, lang)) => (Some(text), Some(lang)),
        None => (None, None),
    };
    let numbers = numbers::changes(&query.text, &matched.text);
    Some(TmHit {
        id: unit.id.clone(),
        score,
        tier,
        penalised_score: None,
        penalties: found,
        context: unit.context().map(str::to_string),
        source: matched.text.clone(),
        target,
        source_lang: matched.lang,
        target_lang,
        collection: unit.collection.clone(),
        numbers,
        patched_target: None,
        patches: Vec::new(),
        patched_score: None,
        key: raw_hit.unit,
    })
}

/// Finishes the hits of one match: adds the penalty for several translations of one source,
/// orders the hits by penalised score (then tier, then their ranked order, which holds
/// recency) and keeps the `top` best.
pub fn finish(mut hits: Vec<TmHit>, penalties: &Penalties, top: usize) -> Vec<TmHit> {
    penalty::penalise_variants(
        hits.iter_mut().map(|hit| (hit.source.as_str(), hit.target_lang.map(|tag| tag.to_string()), hit.target.as_deref(), &mut hit.penalties)),
        penalties,
    );
    for hit in &mut hits {
        if !hit.penalties.is_empty() {
            let points: f64 = hit.penalties.iter().map(|penalty| penalty.points).sum();
            hit.penalised_score = Some(((hit.score - points) * 100.0).round() / 100.0);
        }
    }
    let penalised = |hit: &TmHit| hit.penalised_score.unwrap_or(hit.score);
    // Stable: equal hits keep the ranked order.
    hits.sort_by(|a, b| penalised(b).total_cmp(&penalised(a)).then(a.tier.cmp(&b.tier)));
    hits.truncate(top);
    hits
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

    fn stored(id: &str, en: &str, sq: &str, props: &[(&str, &str)]) -> TranslationUnit {
        TranslationUnit {
            id: id.into(),
            collection: "default".into(),
            variants: vec![Variant::new(LangTag::EN, en), Variant::new(LangTag::SQ, sq)],
            props: props.iter().map(|(key, value)| (key.to_string(), value.to_string())).collect(),
            notes: Vec::new(),
            created: None,
            changed: None,
        }
    }

    /// The hits of `units` for `query` (each scored as `score`), finished as a match does.
    fn ranked(query: &str, units: &[(TranslationUnit, f64)], context: MatchContext, top: usize) -> Vec<(String, f64, &'static str, Vec<&'static str>)> {
        let tm_query = TmQuery::new(query);
        let options = MatchOptions { src: Some(LangTag::EN), tgt: Some(LangTag::SQ), top, min_score: 0.0, context };
        let penalties = Penalties::default();
        let hits: Vec<TmHit> = units
            .iter()
            .enumerate()
            .filter_map(|(idx, (unit, score))| {
                let raw = matcher::RawHit {
                    unit: idx as u64,
                    variant: 0,
                    lang: Lang::En,
                    text: unit.variants[0].text.clone(),
                    score: *score,
                    recency: Default::default(),
                };
                let tier = if *score >= 1.0 { Tier::Exact } else { Tier::Fuzzy };
                hit(&tm_query, unit, &raw, tier, &options, &penalties, 20261207)
            })
            .collect();
        finish(hits, &penalties, top)
            .into_iter()
            .map(|hit| {
                (hit.id, hit.penalised_score.unwrap_or(hit.score), hit.tier.as_str(), hit.penalties.iter().map(|penalty| penalty.kind.as_str()).collect())
            })
            .collect()
    }

    fn context(context: Option<&str>, prev: Option<&str>, next: Option<&str>) -> MatchContext {
        MatchContext { context: context.map(Into::into), prev: prev.map(Into::into), next: next.map(Into::into) }
    }

    #[test]
    fn a_match_in_the_same_context_comes_first() {
        let units = [
            (stored("menu", "Open", "Hap", &[("x-context", "menu")]), 1.0),
            (stored("door", "Open", "E hapur", &[("x-context", "door"), ("x-context-prev", "Close"), ("x-context-next", "Lock")]), 1.0),
        ];
        let found = ranked("Open", &units, context(Some("door"), None, None), 5);
        assert_eq!(found, [("door".to_string(), 100.0, "context", vec!["variants"]), ("menu".to_string(), 99.0, "exact", vec!["variants"])]);
        let found = ranked("Open", &units, context(Some("menu"), None, None), 5);
        assert_eq!(found[0], ("menu".to_string(), 100.0, "context", vec!["variants"]));
        let found = ranked("Open", &units, context(None, Some("Close"), Some("Lock")), 1);
        assert_eq!(found, [("door".to_string(), 101.0, "context", vec!["variants"])]);
        // Without a context in the query, both are exact matches with their contexts shown.
        let found = ranked("Open", &units, MatchContext::default(), 5);
        assert_eq!(found.iter().map(|hit| hit.2).collect::<Vec<_>>(), ["exact", "exact"]);
    }

    #[test]
    fn the_order_follows_the_penalised_score() {
        let units = [
            (stored("fuzzy", "Save the file", "Ruaj skedarin", &[("fuzzy", "yes")]), 1.0),
            (stored("aligned", "Save the files", "Ruaj skedarët", &[("align:lines", "4-4")]), 0.93),
            (stored("close", "Save the fil", "Ruaj skedari", &[]), 0.92),
        ];
        let found = ranked("Save the file", &units, MatchContext::default(), 3);
        assert_eq!(
            found,
            [
                ("fuzzy".to_string(), 95.0, "exact", vec!["unreviewed"]),
                ("close".to_string(), 92.0, "fuzzy", vec![]),
                ("aligned".to_string(), 91.0, "fuzzy", vec!["alignment"]),
            ]
        );
        // Kept to the top after the reordering.
        assert_eq!(ranked("Save the file", &units, MatchContext::default(), 1).len(), 1);
    }
}
