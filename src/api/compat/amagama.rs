//! The amaGama / tmserver translation-memory API, as Weblate's `tmserver` and `amagama`
//! machinery and Virtaal's TM client call it.
//!
//! `GET /tmserver/{source}/{target}/unit/{text}?max_candidates=N&min_similarity=S` answers a
//! JSON list `[{"source", "target", "quality", "rank"}]`, best first. What clients send and
//! what termbridge does with it:
//! - Language codes as Weblate writes them: lower case with `_` (`sq`, `sr`, `sr_latn`,
//!   `sr_cyrl`, `en`), and any other spelling [`LangTag::parse`] reads (`sr@latin`,
//!   `sr-Latn`, `SQ_AL`). An unknown code, or the same code for both sides, is 404, as
//!   amaGama answers.
//! - The text percent-encoded in the path: Weblate encodes every reserved character (`/` as
//!   `%2F`), older Weblate and Virtaal leave `/` as it is; both are read, since the text is the
//!   rest of the path. `GET /tmserver/{source}/{target}/unit/?source=TEXT` (amaGama's other
//!   form) is read too. A text longer than 500 characters is cut to its first 500, as Weblate
//!   cuts it before sending: the client gets matches for the start rather than an error.
//! - `min_similarity` (default 70, at least 30) and `max_candidates` (default 5, at most 30)
//!   as amaGama reads them: a value that is not an integer counts as absent.
//! - `quality` and `rank` are both DESIGN.md's TM score (0–100); Weblate keeps a hit when
//!   `int(quality)` reaches its threshold.
//! - Serbian: the query is matched against Serbian units of either script (scored in the
//!   query's script). The target is shown in the script asked for: `sr_latn` gets a unit stored
//!   in Cyrillic transliterated to Latin and `sr_cyrl` the reverse (the transliteration is
//!   exact both ways); plain `sr` gets the variant as stored.
//! - Only units with a translation in the target language are offered.
//! - A hit whose source differs from the query in numbers, dates, codes, place names or terms
//!   offers its patched translation as `target` (the query's values in the target language,
//!   `patch`), with the stored one in an extra field `stored_target` that amaGama's clients
//!   ignore; `quality` stays the stored source's score.
//!
//! `GET /tmserver/languages/` lists every language termbridge knows, in every spelling
//! Weblate sends, as both source and target languages: the memory can hold any of them, and
//! Weblate asks this once to decide which pairs to query.

use axum::Json;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::json;

use crate::api::{ApiError, AppState, blocking};
use crate::memory::MatchOptions;
use crate::model::lang::{Lang, LangTag};

/// Longest query text, in characters (Weblate's own cut).
pub const MAX_QUERY_CHARS: usize = 500;

/// One suggestion as amaGama writes it, plus the stored translation when it was patched.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    /// The matched source text.
    pub source: String,
    /// Its translation in the target language (and script), patched with the query's
    /// numbers, dates, codes, place names and terms when they differ.
    pub target: String,
    /// The translation as stored, when `target` is patched (a field amaGama clients ignore).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stored_target: Option<String>,
    /// The TM score, 0–100.
    pub quality: f64,
    /// The same score (amaGama's ranking field).
    pub rank: f64,
}

/// The query parameters amaGama reads; anything that is not an integer counts as absent.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Lowest quality kept, 30–100.
    pub min_similarity: f64,
    /// Most suggestions returned, 1–30.
    pub max_candidates: usize,
}

impl Limits {
    /// Reads `min_similarity` and `max_candidates` from query pairs, with amaGama's defaults
    /// and bounds.
    pub fn from_pairs(pairs: &[(String, String)]) -> Limits {
        let int =
            |name: &str| pairs.iter().rev().find(|(key, _)| key == name).and_then(|(_, value)| value.trim().parse::<i64>().ok()).filter(|value| *value != 0);
        let min_similarity = int("min_similarity").unwrap_or(70).clamp(30, 100) as f64;
        let max_candidates = int("max_candidates").unwrap_or(5).clamp(1, 30) as usize;
        Limits { min_similarity, max_candidates }
    }
}

fn language(code: &str, side: &str) -> Result<LangTag, ApiError> {
    LangTag::parse(code).map_err(|_| ApiError::not_found(format!("unknown {side} language {code:?}")))
}

/// The query text as matched: carriage returns as spaces (Weblate sends them so) and at
/// most [`MAX_QUERY_CHARS`] characters.
pub fn query_text(raw: &str) -> String {
    raw.chars().take(MAX_QUERY_CHARS).map(|c| if c == '\r' { ' ' } else { c }).collect()
}

fn cacheable(body: Vec<Suggestion>) -> Response {
    // amaGama lets clients cache answers for an hour; termbridge's memory changes with
    // imports, so it asks for revalidation instead.
    ([(header::CACHE_CONTROL, "no-cache")], Json(body)).into_response()
}

async fn suggestions(state: AppState, source: &str, target: &str, text: &str, pairs: &[(String, String)]) -> Result<Response, ApiError> {
    let src = language(source, "source")?;
    let tgt = language(target, "target")?;
    if src == tgt {
        return Err(ApiError::not_found(format!("source and target language are both {src}")));
    }
    let limits = Limits::from_pairs(pairs);
    let query = query_text(text);
    if query.trim().is_empty() {
        return Ok(cacheable(Vec::new()));
    }
    let workspace = state.workspace.clone();
    let found = blocking(move || {
        // Hits without a translation in the target language are dropped below, so ask for
        // more than are shown.
        let options =
            MatchOptions { src: Some(src), tgt: Some(tgt), top: limits.max_candidates * 4, min_score: limits.min_similarity, ..MatchOptions::default() };
        workspace.tm_match(&query, &options).map_err(ApiError::internal)
    })
    .await?;
    let mut out: Vec<Suggestion> = Vec::with_capacity(limits.max_candidates);
    for hit in found {
        let Some(stored) = hit.target else { continue };
        let (target_text, stored_target) = match hit.patched_target {
            Some(patched) => (patched, Some(stored)),
            None => (stored, None),
        };
        if hit.score < limits.min_similarity || out.iter().any(|known| known.source == hit.source && known.target == target_text) {
            continue;
        }
        // The quality stays the stored text's: a patched hit is not a better match of the
        // source, and Weblate's threshold reads it as such.
        out.push(Suggestion { source: hit.source, target: target_text, stored_target, quality: hit.score, rank: hit.score });
        if out.len() == limits.max_candidates {
            break;
        }
    }
    Ok(cacheable(out))
}

/// `GET /tmserver/{source}/{target}/unit/{text}`.
pub(super) async fn unit(
    State(state): State<AppState>,
    path: Result<Path<(String, String, String)>, PathRejection>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Path((source, target, text)) = path.map_err(|rejection| ApiError::bad_request(rejection.body_text()))?;
    let pairs = query.map(|Query(pairs)| pairs).unwrap_or_default();
    suggestions(state, &source, &target, &text, &pairs).await
}

/// `GET /tmserver/{source}/{target}/unit/?source=TEXT` (amaGama's query-string form).
pub(super) async fn unit_by_query(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Path((source, target)) = path.map_err(|rejection| ApiError::bad_request(rejection.body_text()))?;
    let pairs = query.map(|Query(pairs)| pairs).unwrap_or_default();
    let Some(text) = pairs.iter().find(|(key, _)| key == "source").map(|(_, value)| value.clone()) else {
        return Err(ApiError::not_found("no text: put it in the path or in ?source="));
    };
    suggestions(state, &source, &target, &text, &pairs).await
}

/// Every code a client may send for the languages termbridge knows.
pub fn language_codes() -> Vec<String> {
    let mut codes: Vec<String> = Vec::new();
    for lang in Lang::ALL {
        codes.push(lang.code().to_string());
        if lang == Lang::Sr {
            codes.extend(["sr_cyrl", "sr_latn", "sr@cyrillic", "sr@latin"].map(String::from));
        }
    }
    codes.sort();
    codes
}

/// `GET /tmserver/languages/`.
pub(super) async fn languages() -> Response {
    let codes = language_codes();
    Json(json!({"sourceLanguages": codes, "targetLanguages": codes})).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(raw: &[(&str, &str)]) -> Vec<(String, String)> {
        raw.iter().map(|(key, value)| (key.to_string(), value.to_string())).collect()
    }

    #[test]
    fn limits_follow_amagama() {
        let check = |raw: &[(&str, &str)], min: f64, max: usize| {
            assert_eq!(Limits::from_pairs(&pairs(raw)), Limits { min_similarity: min, max_candidates: max }, "{raw:?}");
        };
        check(&[], 70.0, 5);
        check(&[("min_similarity", "31"), ("max_candidates", "500")], 31.0, 30);
        check(&[("min_similarity", "10")], 30.0, 5);
        check(&[("min_similarity", "seventy"), ("max_candidates", "")], 70.0, 5);
        check(&[("min_similarity", "0"), ("max_candidates", "0")], 70.0, 5);
        check(&[("max_candidates", "-3")], 70.0, 1);
    }

    #[test]
    fn query_text_is_cut_and_cleaned() {
        assert_eq!(query_text("a\r\nb"), "a \nb");
        let long: String = "ë".repeat(MAX_QUERY_CHARS + 20);
        assert_eq!(query_text(&long).chars().count(), MAX_QUERY_CHARS);
    }

    #[test]
    fn languages_cover_weblate_spellings() {
        let codes = language_codes();
        for code in ["sq", "sr", "sr_latn", "sr_cyrl", "sr@latin", "en"] {
            assert!(codes.iter().any(|known| known == code), "{code}");
            assert!(LangTag::parse(code).is_ok(), "{code}");
        }
    }
}
