//! One search box over everything: terms, place names, TM matches and concordance lines for
//! the same query, each group limited, and the query's fragments when no TM match reaches 75.
//! This is what the web UI's search calls.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::error::{ApiQuery, ErrorBody};
use super::params::{limit, optional_lang, required_text};
use super::places::{MatchedSpanOut, PlaceHit, place_hits};
use super::terms::{TermHit, lookup_hits};
use super::tm::{ConcordanceOut, FragmentOut, TmHitOut, concordance_lines, fragments_for, match_hits};
use super::{ApiError, AppState, blocking};
use crate::memory::MatchOptions;
use crate::memory::fragments::{DEFAULT_FRAGMENT_THRESHOLD, FragmentOptions};

/// TM matches below this score are left out of the search (DESIGN.md's lowest band is 50–74).
const SEARCH_MIN_TM_SCORE: f64 = 50.0;

/// Query of `GET /api/v1/search`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct SearchQuery {
    /// A term, sentence or place name, in any language and script.
    #[param(required = true, example = "u Uroševcu")]
    q: Option<String>,
    /// Only terms, TM sources and concordance texts in this language.
    lang: Option<String>,
    /// At most this many results in each group, 1–50 (default 5).
    limit: Option<usize>,
}

/// Answer of `GET /api/v1/search`.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct SearchResponse {
    /// The query as given.
    query: String,
    /// The language filter, canonical.
    lang: Option<String>,
    /// Term base concepts, best first.
    terms: Vec<TermHit>,
    /// Places the query may name, best first.
    places: Vec<PlaceHit>,
    /// When the query is a phrase ("Municipality of Gjakova"): the words taken as the place
    /// name (character offsets into the query).
    #[serde(skip_serializing_if = "Option::is_none")]
    place_span: Option<MatchedSpanOut>,
    /// TM matches scoring 50 or more, best first.
    tm: Vec<TmHitOut>,
    /// Concordance lines.
    concordance: Vec<ConcordanceOut>,
    /// When no TM match scores 75 or more: the longest word sequences of the query found in
    /// the memory, the term base and the gazetteer, with their translations.
    fragments: Vec<FragmentOut>,
}

/// Searches terms, places, the translation memory and the concordance at once.
#[utoipa::path(
    get,
    path = "/api/v1/search",
    tag = "search",
    params(SearchQuery),
    responses(
        (status = 200, description = "Results in five groups", body = SearchResponse),
        (status = 400, description = "Missing `q`, unknown language or bad limit", body = ErrorBody),
    )
)]
pub(super) async fn search(State(state): State<AppState>, ApiQuery(query): ApiQuery<SearchQuery>) -> Result<Json<SearchResponse>, ApiError> {
    let text = required_text(query.q, "q")?;
    let lang = optional_lang(query.lang.as_deref(), "lang")?;
    let limit = limit(query.limit, 5, 50, "limit")?;
    let workspace = state.workspace.clone();
    let response = blocking(move || {
        let index = workspace.term_index().map_err(ApiError::internal)?;
        let terms = lookup_hits(&index, &text, lang, limit);
        let (places, place_span) = place_hits(&text, limit);
        let options = MatchOptions { src: lang, tgt: None, top: limit, min_score: SEARCH_MIN_TM_SCORE, ..MatchOptions::default() };
        let tm = match_hits(&workspace, &text, &options)?;
        let concordance = concordance_lines(&workspace, &text, lang, limit)?;
        let best = tm.iter().map(TmHitOut::score).reduce(f64::max);
        let fragment_options = FragmentOptions { src: lang, tgt: None, limit: 10 };
        let fragments = fragments_for(&workspace, &text, best, None, DEFAULT_FRAGMENT_THRESHOLD, &fragment_options)?;
        Ok(SearchResponse { query: text, lang: lang.map(|tag| tag.to_string()), terms, places, place_span, tm, concordance, fragments })
    })
    .await?;
    Ok(Json(response))
}
