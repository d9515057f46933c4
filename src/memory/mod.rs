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

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use concordance::{ConcordanceLine, ConcordanceOptions, concordance};
pub use numbers::NumberChange;

use crate::lang::{Lang, LangTag, SrScript};
use crate::text::script::{Script, word_script};
use crate::text::{Folded, Tier};
use crate::{Workspace, WorkspaceError};

/// One language version of a unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variant {
    /// Canonical language tag (`sq`, `sr-Cyrl`, `sr-Latn`, `en` …).
    pub lang: LangTag,
    /// The text, NFC, without inline markup (that is in `inline`).
    pub text: String,
    /// Inline markup of the source format (TMX `bpt/ept/ph/it/hi`, XLIFF `g/x/bx/ex/ph/pc`),
    /// kept so that an export writes it back where it was.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inline: Vec<InlineTag>,
    /// Variant-level properties (TMX `tuv/prop`, XLIFF `state` …).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub props: BTreeMap<String, String>,
}

impl Variant {
    /// A variant with plain text and nothing else.
    pub fn new(lang: LangTag, text: impl Into<String>) -> Variant {
        Variant { lang, text: text.into(), inline: Vec::new(), props: BTreeMap::new() }
    }
}

/// A piece of inline markup at a position of a variant's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InlineTag {
    /// Byte offset in the variant's `text` where the tag stands.
    pub offset: usize,
    /// Element name as the source format writes it (`bpt`, `ept`, `ph`, `it`, `hi`, `g` …).
    pub kind: String,
    /// The element's attributes, in source order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attrs: Vec<(String, String)>,
    /// The element's raw content (e.g. the native code `<b>` inside a TMX `bpt`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub content: String,
}

/// A translation unit: one segment in several languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TranslationUnit {
    /// The external id (TSV `id` column, TMX `tuid`, …, else a content hash).
    pub id: String,
    /// The collection the unit was imported into.
    pub collection: String,
    /// The language variants, in the order the source gave them.
    pub variants: Vec<Variant>,
    /// Properties (TMX `prop`, PO flags and references, XLIFF attributes …).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub props: BTreeMap<String, String>,
    /// Notes and comments (TMX `note`, PO translator comments, XLIFF `note`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Creation date as the source wrote it (TMX `creationdate`, ISO 8601 basic or extended).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// Last change date as the source wrote it (TMX `changedate`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed: Option<String>,
}

impl TranslationUnit {
    /// The store key: the first 8 bytes of a BLAKE3 hash of id, collection and variants.
    pub fn key(&self) -> u64 {
        let mut hasher = blake3::Hasher::new();
        for part in [self.id.as_str(), self.collection.as_str()] {
            hasher.update(&(part.len() as u64).to_le_bytes());
            hasher.update(part.as_bytes());
        }
        for variant in &self.variants {
            let tag = variant.lang.to_string();
            hasher.update(&(tag.len() as u64).to_le_bytes());
            hasher.update(tag.as_bytes());
            hasher.update(&(variant.text.len() as u64).to_le_bytes());
            hasher.update(variant.text.as_bytes());
        }
        let digest = hasher.finalize();
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest.as_bytes()[..8]);
        u64::from_be_bytes(first)
    }

    /// The variant in `lang` (for Serbian, either script), if any.
    pub fn variant(&self, lang: Lang) -> Option<&Variant> {
        self.variants.iter().find(|variant| variant.lang.lang == lang)
    }
}

/// Gives an untagged Serbian text the script its letters are written in (Latin when it has
/// no letters of either script).
pub fn resolve_script(tag: LangTag, text: &str) -> LangTag {
    if tag.lang != Lang::Sr || tag.script.is_some() {
        return tag;
    }
    let mut cyrillic = 0usize;
    let mut latin = 0usize;
    for word in text.split_whitespace() {
        match word_script(word) {
            Script::Cyrl => cyrillic += 1,
            Script::Latn => latin += 1,
            Script::Mixed | Script::Other => {}
        }
    }
    let script = if cyrillic > latin { SrScript::Cyrl } else { SrScript::Latn };
    LangTag { lang: Lang::Sr, script: Some(script) }
}

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
/// use termbridge::lang::LangTag;
/// use termbridge::memory::{MatchOptions, TranslationUnit, Variant, tm_match};
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
    use super::*;

    #[test]
    fn serbian_script_is_detected() {
        assert_eq!(resolve_script(LangTag::SR, "Општина Приштина"), LangTag::SR_CYRL);
        assert_eq!(resolve_script(LangTag::SR, "Opština Priština"), LangTag::SR_LATN);
        assert_eq!(resolve_script(LangTag::SR_CYRL, "Opština"), LangTag::SR_CYRL);
        assert_eq!(resolve_script(LangTag::SQ, "Приштина"), LangTag::SQ);
    }

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

    #[test]
    fn key_depends_on_content() {
        let unit = |text: &str| TranslationUnit {
            id: "1".into(),
            collection: "default".into(),
            variants: vec![Variant::new(LangTag::EN, text)],
            props: BTreeMap::new(),
            notes: Vec::new(),
            created: None,
            changed: None,
        };
        assert_eq!(unit("a").key(), unit("a").key());
        assert_ne!(unit("a").key(), unit("b").key());
    }
}
