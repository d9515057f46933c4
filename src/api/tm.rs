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
use crate::memory::fragments::{DEFAULT_FRAGMENT_THRESHOLD, FragmentOptions};
use crate::memory::{ConcordanceLine, ConcordanceOptions, Fragment, FragmentExample, MatchContext, MatchOptions, TmHit};
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

impl TmHitOut {
    /// The match's score.
    pub(super) fn score(&self) -> f64 {
        self.score
    }
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

/// A word sequence of the query found in the memory, the term base or the gazetteer, with
/// its translation.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Fragment)]
pub(super) struct FragmentOut {
    /// The query's words.
    #[schema(example = "the file")]
    text: String,
    /// UTF-8 byte offset of the fragment in the query.
    start: usize,
    /// UTF-8 byte offset just past it.
    end: usize,
    /// Number of words.
    words: usize,
    /// The translation: for the memory, the span of `example.target` aligned with the
    /// fragment; for the term base, the concept's term; for the gazetteer, the official name.
    #[schema(example = "skedarin")]
    translation: Option<String>,
    /// Language of the translation.
    target_lang: Option<String>,
    /// `memory`, `termbase` or `places`.
    #[schema(example = "memory")]
    origin: String,
    /// How many units of the memory contain the fragment (inflected forms included).
    occurrences: u64,
    /// 0 to 1: for the memory, the share of sampled units showing the same translation
    /// (lower for few units); 1 for the term base and the gazetteer.
    confidence: f64,
    /// A stored unit showing the translation (memory fragments).
    example: Option<FragmentExampleOut>,
}

/// A stored unit showing a fragment's translation.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = FragmentExample)]
pub(super) struct FragmentExampleOut {
    /// The unit's external id.
    id: String,
    /// Its source text.
    source: String,
    /// Its target text.
    target: String,
    /// UTF-8 byte offset of the translation in `target`.
    target_start: usize,
    /// UTF-8 byte offset just past it.
    target_end: usize,
}

impl From<Fragment> for FragmentOut {
    fn from(fragment: Fragment) -> FragmentOut {
        FragmentOut {
            text: fragment.text,
            start: fragment.start,
            end: fragment.end,
            words: fragment.words,
            translation: fragment.translation,
            target_lang: fragment.target_lang.map(|tag| tag.to_string()),
            origin: fragment.origin.as_str().to_string(),
            occurrences: fragment.occurrences,
            confidence: fragment.confidence,
            example: fragment.example.map(|FragmentExample { id, source, target, target_start, target_end }| FragmentExampleOut {
                id,
                source,
                target,
                target_start,
                target_end,
            }),
        }
    }
}

/// Finds the fragments of a query on the blocking pool.
pub(super) fn fragment_list(workspace: &Workspace, query: &str, options: &FragmentOptions) -> Result<Vec<FragmentOut>, ApiError> {
    Ok(workspace.fragments(query, options).map_err(ApiError::internal)?.into_iter().map(FragmentOut::from).collect())
}

/// The fragments a match answer carries: when `wanted` says so, or, left unsaid, when no hit
/// reaches `threshold`.
pub(super) fn fragments_for(
    workspace: &Workspace,
    query: &str,
    best_score: Option<f64>,
    wanted: Option<bool>,
    threshold: f64,
    options: &FragmentOptions,
) -> Result<Vec<FragmentOut>, ApiError> {
    let needed = wanted.unwrap_or_else(|| best_score.is_none_or(|score| score < threshold));
    if needed { fragment_list(workspace, query, options) } else { Ok(Vec::new()) }
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
    /// `true`: always add the query's fragments; `false`: never; left out: when no match
    /// reaches `fragment_threshold`.
    fragments: Option<bool>,
    /// The score, 0–100, under which the best match adds fragments (default 75).
    fragment_threshold: Option<f64>,
}

/// Answer of the TM match routes.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct MatchResponse {
    /// The query as given.
    query: String,
    /// Matches, best first (penalised score, then tier, then recency).
    hits: Vec<TmHitOut>,
    /// The longest word sequences of the query found in the memory, the term base and the
    /// gazetteer, in query order (empty unless asked for or no match reaches the threshold).
    fragments: Vec<FragmentOut>,
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
    let threshold = request.fragment_threshold.unwrap_or(DEFAULT_FRAGMENT_THRESHOLD);
    if !(0.0..=100.0).contains(&threshold) {
        return Err(ApiError::bad_request(format!("`fragment_threshold` must be between 0 and 100, not {threshold}")));
    }
    let wanted = request.fragments;
    let fragment_options = FragmentOptions { src: options.src, tgt: options.tgt, limit: 10 };
    let workspace = state.workspace.clone();
    let response = blocking(move || {
        let hits = match_hits(&workspace, &query, &options)?;
        let best = hits.iter().map(|hit| hit.score).reduce(f64::max);
        let fragments = fragments_for(&workspace, &query, best, wanted, threshold, &fragment_options)?;
        Ok(MatchResponse { query, hits, fragments })
    })
    .await?;
    Ok(Json(response))
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

/// Query of `GET /api/v1/tm/fragments`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct FragmentsQuery {
    /// The sentence.
    #[param(required = true, example = "Open the file in a new window")]
    q: Option<String>,
    /// Language of the sentence (default: guessed among en, sq and sr).
    source_lang: Option<String>,
    /// Language of the translations (default: sq for English, else en).
    target_lang: Option<String>,
    /// At most this many fragments, 1–50 (default 10).
    limit: Option<usize>,
}

/// Answer of `GET /api/v1/tm/fragments`.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct FragmentsResponse {
    /// The sentence as given.
    query: String,
    /// Fragments in query order.
    fragments: Vec<FragmentOut>,
}

/// The longest word sequences of a sentence found in the memory, the term base and the
/// gazetteer, each with its translation.
#[utoipa::path(
    get,
    path = "/api/v1/tm/fragments",
    tag = "tm",
    params(FragmentsQuery),
    responses(
        (status = 200, description = "Fragments in query order", body = FragmentsResponse),
        (status = 400, description = "Missing `q`, unknown language or bad limit", body = ErrorBody),
    )
)]
pub(super) async fn fragments_get(State(state): State<AppState>, ApiQuery(query): ApiQuery<FragmentsQuery>) -> Result<Json<FragmentsResponse>, ApiError> {
    let text = required_text(query.q, "q")?;
    let options = FragmentOptions {
        src: optional_lang(query.source_lang.as_deref(), "source_lang")?,
        tgt: optional_lang(query.target_lang.as_deref(), "target_lang")?,
        limit: limit(query.limit, 10, 50, "limit")?,
    };
    let workspace = state.workspace.clone();
    let fragments = blocking(move || fragment_list(&workspace, &text, &options).map(|fragments| (text, fragments))).await?;
    Ok(Json(FragmentsResponse { query: fragments.0, fragments: fragments.1 }))
}
