//! The translation memory over JSON: fuzzy match (`GET` with a query string or `POST` with a
//! JSON body, for sentences too long for a URL) and concordance, as `tm match` and
//! `tm concordance` do on the command line.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::error::{ApiJson, ApiQuery, ErrorBody};
use super::params::{limit, optional_lang, required_text};
use super::{ApiError, AppState, blocking};
use crate::Workspace;
use crate::memory::{ConcordanceLine, ConcordanceOptions, MatchContext, MatchOptions, TmHit};
use crate::model::lang::LangTag;

/// One TM match.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = TmHit)]
pub(super) struct TmHitOut {
    /// The unit's external id.
    id: String,
    /// TM score, 0 to 100 (Levenshtein over characters), two decimals; 101 for a 100 % match
    /// with the query's context, 102 when its neighbouring segments match too.
    #[schema(example = 94.74)]
    score: f64,
    /// `context` for a context match (101, 102), else the strictest tier at which query and
    /// source are equal (`fuzzy` when they are not).
    #[schema(example = "fuzzy")]
    tier: String,
    /// `score` less the penalties' points, which orders the hits (equal to `score` when there
    /// is no penalty).
    #[schema(example = 93.74)]
    penalised_score: f64,
    /// Points taken off: `alignment`, `variants`, `unreviewed`, `age`, `tags`.
    penalties: Vec<PenaltyOut>,
    /// The unit's context (PO msgctxt, XLIFF resname or id, TMX tuid or x-context prop).
    context: Option<String>,
    /// The matched text, as stored.
    source: String,
    /// Its language.
    source_lang: String,
    /// The translation, if the unit has one in the wanted language.
    target: Option<String>,
    /// Its language.
    target_lang: Option<String>,
    /// The unit's collection.
    collection: String,
    /// Numbers that differ between the query and `source`.
    numbers: Vec<NumberChangeOut>,
    /// `target` with what differs between the query and `source` (numbers, dates, codes such
    /// as 03/L-040, place names, terms of the term base) replaced by the query's values as the
    /// target language writes them; absent when nothing could be patched. `target` stays the
    /// stored text.
    #[schema(example = "Vendimi 12 i vitit 2024")]
    #[serde(skip_serializing_if = "Option::is_none")]
    patched_target: Option<String>,
    /// The replacements in `patched_target`, in its order (empty when there is none).
    patches: Vec<PatchOut>,
    /// The score the hit would have with its source patched too, below 100 (a patched hit is
    /// never an exact match; `score` and `tier` stay those of the stored text).
    #[schema(example = 99.99)]
    #[serde(skip_serializing_if = "Option::is_none")]
    patched_score: Option<f64>,
}

/// One replacement in a patched target.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Patch)]
pub(super) struct PatchOut {
    /// The text replaced, as the stored target has it.
    #[schema(example = "11")]
    from: String,
    /// The text put in its place.
    #[schema(example = "12")]
    to: String,
    /// What was replaced: `number`, `date`, `code`, `place` or `term`.
    #[schema(example = "number")]
    kind: String,
    /// UTF-8 byte offset of `to` in `patched_target`.
    #[schema(example = 8)]
    start: usize,
    /// UTF-8 byte offset just past `to`.
    #[schema(example = 10)]
    end: usize,
}

/// Points taken off a match.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Penalty)]
pub(super) struct PenaltyOut {
    /// What for: `alignment` (automatic alignment), `variants` (several translations of one
    /// source), `unreviewed` (PO fuzzy, XLIFF state not final), `age`, `tags` (placeholders or
    /// markup differ).
    #[schema(example = "unreviewed")]
    kind: String,
    /// How many points.
    #[schema(example = 5.0)]
    points: f64,
}

/// A number that differs between the query and a match.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = NumberChange)]
pub(super) struct NumberChangeOut {
    /// The number in the match's source, if any.
    source: Option<String>,
    /// The number in the query, if any.
    query: Option<String>,
}

impl From<TmHit> for TmHitOut {
    fn from(hit: TmHit) -> TmHitOut {
        TmHitOut {
            id: hit.id,
            score: hit.score,
            tier: hit.tier.as_str().to_string(),
            penalised_score: hit.penalised_score.unwrap_or(hit.score),
            penalties: hit.penalties.iter().map(|penalty| PenaltyOut { kind: penalty.kind.as_str().to_string(), points: penalty.points }).collect(),
            context: hit.context,
            source: hit.source,
            source_lang: hit.source_lang.to_string(),
            target: hit.target,
            target_lang: hit.target_lang.map(|tag| tag.to_string()),
            collection: hit.collection,
            numbers: hit.numbers.into_iter().map(|change| NumberChangeOut { source: change.source, query: change.query }).collect(),
            patched_target: hit.patched_target,
            patches: hit
                .patches
                .into_iter()
                .map(|patch| PatchOut { from: patch.from, to: patch.to, kind: patch.kind.as_str().to_string(), start: patch.start, end: patch.end })
                .collect(),
            patched_score: hit.patched_score,
        }
    }
}

/// One concordance line: a text containing the phrase, with the phrase marked.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ConcordanceLine)]
pub(super) struct ConcordanceOut {
    /// The unit's external id.
    id: String,
    /// Language of the text.
    lang: String,
    /// The whole text.
    text: String,
    /// Byte offset of the occurrence in `text`.
    start: usize,
    /// Byte offset just past it.
    end: usize,
    /// The occurrence as UTF-8 byte ranges `[start, end]` of `text`, for highlighting.
    highlights: Vec<[usize; 2]>,
    /// How loose the comparison had to be.
    tier: String,
    /// The aligned translation.
    translation: Option<String>,
    /// Its language.
    translation_lang: Option<String>,
}

impl From<ConcordanceLine> for ConcordanceOut {
    fn from(line: ConcordanceLine) -> ConcordanceOut {
        ConcordanceOut {
            id: line.id,
            lang: line.lang.to_string(),
            highlights: vec![[line.start, line.end]],
            text: line.text,
            start: line.start,
            end: line.end,
            tier: line.tier.as_str().to_string(),
            translation: line.translation,
            translation_lang: line.translation_lang.map(|tag| tag.to_string()),
        }
    }
}

/// Runs a TM match on the blocking pool.
pub(super) fn match_hits(workspace: &Workspace, query: &str, options: &MatchOptions) -> Result<Vec<TmHitOut>, ApiError> {
    Ok(workspace.tm_match(query, options).map_err(ApiError::internal)?.into_iter().map(TmHitOut::from).collect())
}

/// Runs a concordance search on the blocking pool.
pub(super) fn concordance_lines(workspace: &Workspace, phrase: &str, lang: Option<LangTag>, limit: usize) -> Result<Vec<ConcordanceOut>, ApiError> {
    let lines = workspace.concordance(phrase, &ConcordanceOptions { lang: lang.map(|tag| tag.lang), limit }).map_err(ApiError::internal)?;
    Ok(lines.into_iter().map(ConcordanceOut::from).collect())
}

/// What a TM match asks for, from the query string or a JSON body.
#[derive(Debug, Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
pub(super) struct MatchRequest {
    /// The sentence to match (`text` is accepted too).
    #[serde(alias = "text")]
    #[param(required = true, example = "Decision 12 of 2024")]
    #[schema(required = true, example = "Decision 12 of 2024")]
    q: Option<String>,
    /// Language of the query (default: every language).
    source_lang: Option<String>,
    /// Language of the translation to show (default: another language of the unit).
    target_lang: Option<String>,
    /// Lowest score to show, 0–100 (default 0).
    min_score: Option<f64>,
    /// Number of matches, 1–100 (default 5).
    limit: Option<usize>,
    /// The query's context (msgctxt, resource name): a 100 % match with the same context
    /// scores 101.
    context: Option<String>,
    /// The source segment before the query: with `next`, a 100 % match whose stored
    /// neighbours both equal them scores 102.
    prev: Option<String>,
    /// The source segment after the query.
    next: Option<String>,
}

/// Answer of the TM match routes.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct MatchResponse {
    /// The query as given.
    query: String,
    /// Matches, best first (penalised score, then tier, then recency).
    hits: Vec<TmHitOut>,
}

async fn run_match(state: AppState, request: MatchRequest) -> Result<Json<MatchResponse>, ApiError> {
    let query = required_text(request.q, "q")?;
    let min_score = request.min_score.unwrap_or(0.0);
    if !(0.0..=100.0).contains(&min_score) {
        return Err(ApiError::bad_request(format!("`min_score` must be between 0 and 100, not {min_score}")));
    }
    let options = MatchOptions {
        src: optional_lang(request.source_lang.as_deref(), "source_lang")?,
        tgt: optional_lang(request.target_lang.as_deref(), "target_lang")?,
        top: limit(request.limit, 5, 100, "limit")?,
        min_score,
        context: MatchContext { context: request.context, prev: request.prev, next: request.next },
    };
    let workspace = state.workspace.clone();
    let hits = blocking(move || match_hits(&workspace, &query, &options).map(|hits| (query, hits))).await?;
    Ok(Json(MatchResponse { query: hits.0, hits: hits.1 }))
}

/// Best TM matches for a sentence (query string).
#[utoipa::path(
    get,
    path = "/api/v1/tm/match",
    tag = "tm",
    params(MatchRequest),
    responses(
        (status = 200, description = "Matches, best first", body = MatchResponse),
        (status = 400, description = "Missing `q`, unknown language or a value out of range", body = ErrorBody),
    )
)]
pub(super) async fn match_get(State(state): State<AppState>, ApiQuery(request): ApiQuery<MatchRequest>) -> Result<Json<MatchResponse>, ApiError> {
    run_match(state, request).await
}

/// Best TM matches for a sentence (JSON body: `text` or `q`, `source_lang`, `target_lang`,
/// `min_score`, `limit`, `context`, `prev`, `next`).
#[utoipa::path(
    post,
    path = "/api/v1/tm/match",
    tag = "tm",
    request_body = MatchRequest,
    responses(
        (status = 200, description = "Matches, best first", body = MatchResponse),
        (status = 400, description = "Malformed JSON, missing text, unknown language or a value out of range", body = ErrorBody),
    )
)]
pub(super) async fn match_post(State(state): State<AppState>, ApiJson(request): ApiJson<MatchRequest>) -> Result<Json<MatchResponse>, ApiError> {
    run_match(state, request).await
}

/// Query of `GET /api/v1/tm/concordance`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct ConcordanceQuery {
    /// The word or phrase.
    #[param(required = true, example = "vendim")]
    q: Option<String>,
    /// Only texts in this language.
    lang: Option<String>,
    /// At most this many lines, 1–500 (default 50).
    limit: Option<usize>,
}

/// Answer of `GET /api/v1/tm/concordance`.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct ConcordanceResponse {
    /// The phrase as given.
    query: String,
    /// Lines, strictest tier first.
    lines: Vec<ConcordanceOut>,
}

/// Every stored text that contains a word or phrase, in context, with its translation.
#[utoipa::path(
    get,
    path = "/api/v1/tm/concordance",
    tag = "tm",
    params(ConcordanceQuery),
    responses(
        (status = 200, description = "Concordance lines", body = ConcordanceResponse),
        (status = 400, description = "Missing `q`, unknown language or bad limit", body = ErrorBody),
    )
)]
pub(super) async fn concordance_get(State(state): State<AppState>, ApiQuery(query): ApiQuery<ConcordanceQuery>) -> Result<Json<ConcordanceResponse>, ApiError> {
    let phrase = required_text(query.q, "q")?;
    let lang = optional_lang(query.lang.as_deref(), "lang")?;
    let limit = limit(query.limit, 50, 500, "limit")?;
    let workspace = state.workspace.clone();
    let lines = blocking(move || concordance_lines(&workspace, &phrase, lang, limit).map(|lines| (phrase, lines))).await?;
    Ok(Json(ConcordanceResponse { query: lines.0, lines: lines.1 }))
}
