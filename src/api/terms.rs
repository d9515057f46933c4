//! The term base over JSON: lookup in any language and script, one concept by id, term
//! recognition in a text, and concept writes (create, replace, delete) that are durable before
//! the answer and keep the term index in step (through [`crate::Workspace`]).
//!
//! Serbian terms are stored in both scripts: a write that gives one script gets the other
//! derived (marked `derived`), exactly as a term base import does. Derived terms sent back in
//! a replacement are dropped and derived again, so a concept read and written back is unchanged.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::error::{ApiJson, ApiQuery, ErrorBody};
use super::params::{limit, optional_lang, required_lang, required_text};
use super::{ApiError, AppState, blocking};
use crate::model::lang::LangTag;
use crate::model::{Concept, Term, TermStatus};
use crate::termbase::{LookupHit, LookupOptions, Occurrence, TermDate, TermIndex, check_concept, clean_term, clean_text, derive_serbian_scripts};

/// One term of a concept.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Term)]
pub(super) struct TermOut {
    /// Language and, for Serbian, script (`sq`, `sr-Latn`, `sr-Cyrl`, `en`, `tr`, `bs`).
    #[schema(example = "sr-Cyrl")]
    pub lang: String,
    /// The term.
    #[schema(example = "општина")]
    pub term: String,
    /// `preferred`, `admitted`, `deprecated`, `superseded` or `forbidden`.
    #[schema(example = "preferred")]
    pub status: String,
    /// Part of speech.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pos: Option<String>,
    /// Usage note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Where the term is attested.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// True when transliterated from the concept's term in the other Serbian script.
    pub derived: bool,
}

impl From<&Term> for TermOut {
    fn from(term: &Term) -> TermOut {
        TermOut {
            lang: term.lang.to_string(),
            term: term.text.clone(),
            status: term.status.as_str().to_string(),
            pos: term.pos.clone(),
            note: term.note.clone(),
            source: term.source.clone(),
            derived: term.derived,
        }
    }
}

/// A concept with all its terms.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Concept)]
pub(super) struct ConceptOut {
    /// The concept's id.
    #[schema(example = "municipality")]
    pub id: String,
    /// Subject field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Definition, independent of language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub definition: Option<String>,
    /// Definitions written in one language, by language tag.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub lang_definitions: BTreeMap<String, String>,
    /// Note on the concept.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Where the concept is attested.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The terms, derived Serbian scripts right after the term they come from.
    pub terms: Vec<TermOut>,
}

impl From<&Concept> for ConceptOut {
    fn from(concept: &Concept) -> ConceptOut {
        ConceptOut {
            id: concept.id.clone(),
            subject: concept.subject.clone(),
            definition: concept.definition.clone(),
            lang_definitions: concept.lang_definitions.iter().map(|(tag, text)| (tag.to_string(), text.clone())).collect(),
            note: concept.note.clone(),
            source: concept.source.clone(),
            terms: concept.terms.iter().map(TermOut::from).collect(),
        }
    }
}

/// A concept found by a lookup.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct TermHit {
    /// The concept's id.
    pub concept_id: String,
    /// The concept's preferred term in the language of the matched term (else the matched term).
    pub label: String,
    /// Subject field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// How loose the match had to be: `exact`, `case`, `punct`, `diacritics`, `script`,
    /// `stem` or `fuzzy`.
    #[schema(example = "script")]
    pub tier: String,
    /// True when the query only begins the term.
    pub prefix: bool,
    /// Edits between query and term (fuzzy hits).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distance: Option<u32>,
    /// The term that matched.
    pub matched: TermOut,
    /// All the concept's terms.
    pub terms: Vec<TermOut>,
}

impl From<&LookupHit<'_>> for TermHit {
    fn from(hit: &LookupHit<'_>) -> TermHit {
        let label = hit.concept.preferred(hit.term.lang).map_or_else(|| hit.term.text.clone(), |term| term.text.clone());
        TermHit {
            concept_id: hit.concept.id.clone(),
            label,
            subject: hit.concept.subject.clone(),
            tier: hit.tier.as_str().to_string(),
            prefix: hit.prefix,
            distance: hit.distance,
            matched: TermOut::from(hit.term),
            terms: hit.concept.terms.iter().map(TermOut::from).collect(),
        }
    }
}

/// The concepts `query` names, best first.
pub(super) fn lookup_hits(index: &TermIndex, query: &str, lang: Option<LangTag>, limit: usize) -> Vec<TermHit> {
    index.lookup(query, &LookupOptions { lang: lang.map(|tag| tag.lang), limit }).iter().map(TermHit::from).collect()
}

/// Query of `GET /api/v1/terms/lookup`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct TermLookupQuery {
    /// The word or phrase, in any language and script.
    #[param(required = true, example = "opstina")]
    q: Option<String>,
    /// Only match terms in this language (sq, sr, sr-Latn, sr-Cyrl, en, tr, bs; Serbian matches both scripts).
    lang: Option<String>,
    /// At most this many concepts (1–100, default 20).
    limit: Option<usize>,
}

/// Answer of `GET /api/v1/terms/lookup`.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct TermLookupResponse {
    /// The query as given.
    query: String,
    /// The language filter, canonical.
    lang: Option<String>,
    /// Concepts, best first.
    hits: Vec<TermHit>,
}

/// Finds the concepts a word or phrase names (exact, then folded, inflected, misspelt, then
/// as a prefix), with all their equivalents.
#[utoipa::path(
    get,
    path = "/api/v1/terms/lookup",
    tag = "terms",
    params(TermLookupQuery),
    responses(
        (status = 200, description = "Concepts, best first", body = TermLookupResponse),
        (status = 400, description = "Missing `q`, unknown language or bad limit", body = ErrorBody),
    )
)]
pub(super) async fn lookup(State(state): State<AppState>, ApiQuery(query): ApiQuery<TermLookupQuery>) -> Result<Json<TermLookupResponse>, ApiError> {
    let text = required_text(query.q, "q")?;
    let lang = optional_lang(query.lang.as_deref(), "lang")?;
    let limit = limit(query.limit, 20, 100, "limit")?;
    let workspace = state.workspace.clone();
    let response = blocking(move || {
        let index = workspace.term_index().map_err(ApiError::internal)?;
        let hits = lookup_hits(&index, &text, lang, limit);
        Ok(TermLookupResponse { query: text, lang: lang.map(|tag| tag.to_string()), hits })
    })
    .await?;
    Ok(Json(response))
}

/// Returns one concept with all its terms.
#[utoipa::path(
    get,
    path = "/api/v1/terms/{concept_id}",
    tag = "terms",
    params(("concept_id" = String, Path, description = "The concept's id")),
    responses(
        (status = 200, description = "The concept", body = ConceptOut),
        (status = 404, description = "No concept with that id", body = ErrorBody),
    )
)]
pub(super) async fn get_concept(State(state): State<AppState>, Path(concept_id): Path<String>) -> Result<Json<ConceptOut>, ApiError> {
    let workspace = state.workspace.clone();
    let concept = blocking(move || workspace.store.concept(&concept_id).map_err(ApiError::internal)?.ok_or_else(|| unknown_concept(&concept_id))).await?;
    Ok(Json(ConceptOut::from(&concept)))
}

fn unknown_concept(id: &str) -> ApiError {
    ApiError::not_found(format!("no concept with id {id:?}"))
}

/// One term of a concept to store.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = TermInput)]
pub(super) struct TermIn {
    /// Language and script (`sq`, `sr`, `sr-Latn`, `sr-Cyrl`, `en`, `tr`, `bs`); plain `sr`
    /// takes the script of the term's letters.
    #[schema(example = "sr-Latn")]
    lang: String,
    /// The term (`text` is accepted too).
    #[serde(alias = "text")]
    #[schema(example = "opština")]
    term: String,
    /// `preferred` (default), `admitted`, `deprecated`, `superseded` or `forbidden`.
    #[serde(default)]
    status: Option<String>,
    /// Part of speech.
    #[serde(default)]
    pos: Option<String>,
    /// Usage note.
    #[serde(default)]
    note: Option<String>,
    /// Where the term is attested.
    #[serde(default)]
    source: Option<String>,
    /// Terms marked derived (as read from this API) are dropped and derived again.
    #[serde(default)]
    derived: bool,
}

/// A concept to store.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ConceptInput)]
pub(super) struct ConceptIn {
    /// The id; on create, one is made from the terms when absent; on replace it must be the
    /// path's id when given.
    #[serde(default)]
    id: Option<String>,
    /// Subject field.
    #[serde(default)]
    subject: Option<String>,
    /// Definition, independent of language.
    #[serde(default)]
    definition: Option<String>,
    /// Definitions written in one language, by language tag.
    #[serde(default)]
    lang_definitions: BTreeMap<String, String>,
    /// Note on the concept.
    #[serde(default)]
    note: Option<String>,
    /// Where the concept is attested.
    #[serde(default)]
    source: Option<String>,
    /// The terms (at least one).
    terms: Vec<TermIn>,
}

/// Checks a concept id that comes from a client.
fn check_id(id: &str) -> Result<(), ApiError> {
    if id.trim().is_empty() {
        return Err(ApiError::bad_request("`id` is empty"));
    }
    if id.len() > 200 || id.trim() != id || id.chars().any(|c| c.is_control() || c == '/') {
        return Err(ApiError::bad_request(format!("`id` {id:?} must be at most 200 bytes, without slashes, control characters or surrounding spaces")));
    }
    Ok(())
}

/// Builds the concept to store from a request body, checked and normalised as an import
/// would (NFC, single spaces, Serbian scripts derived).
fn to_concept(input: ConceptIn, id: Option<String>) -> Result<Concept, ApiError> {
    let mut terms = Vec::with_capacity(input.terms.len());
    for (idx, term_in) in input.terms.into_iter().enumerate() {
        if term_in.derived {
            continue;
        }
        let tag = LangTag::parse(&term_in.lang).map_err(|_| ApiError::bad_request(format!("terms[{idx}].lang: unknown language {:?}", term_in.lang)))?;
        let status = match term_in.status.as_deref() {
            None => TermStatus::Preferred,
            Some(raw) => TermStatus::parse(raw).ok_or_else(|| {
                ApiError::bad_request(format!("terms[{idx}].status: unknown status {raw:?} (preferred, admitted, deprecated, superseded or forbidden)"))
            })?,
        };
        let mut term = Term::new(tag, term_in.term, status);
        term.pos = term_in.pos;
        term.note = term_in.note;
        term.source = term_in.source;
        let (term, _repair) = clean_term(term).map_err(|message| ApiError::bad_request(format!("terms[{idx}]: {message}")))?;
        terms.push(term);
    }
    let id = match id {
        Some(id) => id,
        None => generated_id(&terms),
    };
    check_id(&id)?;
    let mut lang_definitions = BTreeMap::new();
    for (raw, text) in input.lang_definitions {
        let tag = LangTag::parse(&raw).map_err(|_| ApiError::bad_request(format!("lang_definitions: unknown language {raw:?}")))?;
        if let Some(text) = clean_text(&text) {
            lang_definitions.insert(tag, text);
        }
    }
    let mut concept = Concept::new(id);
    concept.subject = input.subject.as_deref().and_then(clean_text);
    concept.definition = input.definition.as_deref().and_then(clean_text);
    concept.lang_definitions = lang_definitions;
    concept.note = input.note.as_deref().and_then(clean_text);
    concept.source = input.source.as_deref().and_then(clean_text);
    concept.terms = terms;
    derive_serbian_scripts(&mut concept);
    check_concept(&concept).map_err(|err| ApiError::bad_request(err.to_string()))?;
    Ok(concept)
}

/// An id for a concept created without one: `c` and 12 hex digits of a hash of its terms.
fn generated_id(terms: &[Term]) -> String {
    let mut hasher = blake3::Hasher::new();
    for term in terms {
        hasher.update(term.lang.to_string().as_bytes());
        hasher.update(b"\t");
        hasher.update(term.text.as_bytes());
        hasher.update(b"\n");
    }
    format!("c{}", &hasher.finalize().to_hex()[..12])
}

/// Creates a concept. Durable before the answer; the term index sees it at once.
#[utoipa::path(
    post,
    path = "/api/v1/terms",
    tag = "terms",
    request_body = ConceptIn,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = ConceptOut),
        (status = 400, description = "Malformed JSON or an invalid term", body = ErrorBody),
        (status = 401, description = "No or an unknown token", body = ErrorBody),
        (status = 403, description = "The token is not an editor's", body = ErrorBody),
        (status = 409, description = "A concept with that id exists", body = ErrorBody),
    )
)]
pub(super) async fn create_concept(State(state): State<AppState>, ApiJson(input): ApiJson<ConceptIn>) -> Result<(StatusCode, Json<ConceptOut>), ApiError> {
    let id = input.id.clone();
    let concept = to_concept(input, id)?;
    let workspace = state.workspace.clone();
    let concept = blocking(move || {
        if workspace.create_concept(&concept).map_err(ApiError::internal)? {
            Ok(concept)
        } else {
            Err(ApiError::conflict(format!("a concept with id {:?} exists; replace it with PUT /api/v1/terms/{{id}}", concept.id)))
        }
    })
    .await?;
    Ok((StatusCode::CREATED, Json(ConceptOut::from(&concept))))
}

/// Replaces a concept whole. Durable before the answer; the term index sees it at once.
#[utoipa::path(
    put,
    path = "/api/v1/terms/{concept_id}",
    tag = "terms",
    params(("concept_id" = String, Path, description = "The concept's id")),
    request_body = ConceptIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Replaced", body = ConceptOut),
        (status = 400, description = "Malformed JSON, an invalid term, or a body id other than the path's", body = ErrorBody),
        (status = 401, description = "No or an unknown token", body = ErrorBody),
        (status = 403, description = "The token is not an editor's", body = ErrorBody),
        (status = 404, description = "No concept with that id", body = ErrorBody),
    )
)]
pub(super) async fn replace_concept(
    State(state): State<AppState>,
    Path(concept_id): Path<String>,
    ApiJson(input): ApiJson<ConceptIn>,
) -> Result<Json<ConceptOut>, ApiError> {
    if let Some(body_id) = input.id.as_deref().filter(|body_id| *body_id != concept_id) {
        return Err(ApiError::bad_request(format!("the body's id {body_id:?} is not the path's id {concept_id:?}")));
    }
    let concept = to_concept(input, Some(concept_id))?;
    let workspace = state.workspace.clone();
    let concept =
        blocking(move || if workspace.replace_concept(&concept).map_err(ApiError::internal)? { Ok(concept) } else { Err(unknown_concept(&concept.id)) })
            .await?;
    Ok(Json(ConceptOut::from(&concept)))
}

/// Answer of `DELETE /api/v1/terms/{concept_id}`.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct Deleted {
    /// The id of the deleted concept.
    deleted: String,
}

/// Deletes a concept. Durable before the answer.
#[utoipa::path(
    delete,
    path = "/api/v1/terms/{concept_id}",
    tag = "terms",
    params(("concept_id" = String, Path, description = "The concept's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Deleted", body = Deleted),
        (status = 401, description = "No or an unknown token", body = ErrorBody),
        (status = 403, description = "The token is not an editor's", body = ErrorBody),
        (status = 404, description = "No concept with that id", body = ErrorBody),
    )
)]
pub(super) async fn delete_concept(State(state): State<AppState>, Path(concept_id): Path<String>) -> Result<Json<Deleted>, ApiError> {
    let workspace = state.workspace.clone();
    let deleted =
        blocking(move || if workspace.delete_concept(&concept_id).map_err(ApiError::internal)? { Ok(concept_id) } else { Err(unknown_concept(&concept_id)) })
            .await?;
    Ok(Json(Deleted { deleted }))
}

/// Body of `POST /api/v1/terms/scan`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct ScanRequest {
    /// The text to scan.
    #[schema(required = true, example = "Kuvendi i Komunës miratoi vendimin.")]
    text: Option<String>,
    /// Its language (sq, sr, sr-Latn, sr-Cyrl, en, tr, bs).
    #[schema(required = true, example = "sq")]
    lang: Option<String>,
    /// The text's date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`), compared with the dates of
    /// superseded terms; default: the latest full date the text writes.
    #[schema(example = "2012-05-10")]
    date: Option<String>,
}

/// One term found in a text.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Occurrence)]
pub(super) struct OccurrenceOut {
    /// Byte offset in the text.
    start: usize,
    /// Byte offset just past the occurrence.
    end: usize,
    /// 1-based line.
    line: usize,
    /// 1-based column, in characters.
    column: usize,
    /// The occurrence as written.
    text: String,
    /// The concept the term names.
    concept_id: String,
    /// The term as the term base writes it.
    term: String,
    /// The term's language and script.
    lang: String,
    /// The term's status.
    status: String,
    /// How loose the match had to be (`stem` for inflected forms).
    tier: String,
    /// For a deprecated, superseded or forbidden term: the term to use instead.
    suggestion: Option<String>,
    /// For a term not approved but right in a fixed phrase of its usage note: that phrase
    /// (the occurrence is not a defect).
    #[serde(skip_serializing_if = "Option::is_none")]
    correct_in: Option<String>,
    /// For a superseded term with a dated change: when and by what it was replaced.
    #[serde(skip_serializing_if = "Option::is_none")]
    replaced: Option<String>,
    /// True when the occurrence is information, not a defect: a superseded term in a text not
    /// dated after the change.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    informational: bool,
}

impl OccurrenceOut {
    /// The occurrence for a text of date `date` (when known).
    fn dated(occurrence: Occurrence, date: Option<TermDate>) -> OccurrenceOut {
        let informational =
            occurrence.correct_in.is_none() && occurrence.replaced.as_ref().is_some_and(|change| !date.is_some_and(|date| date.is_after(change.date)));
        let replaced = occurrence.replaced.as_ref().map(ToString::to_string);
        let correct_in = occurrence.correct_in.clone();
        OccurrenceOut { correct_in, replaced, informational, ..OccurrenceOut::from(occurrence) }
    }
}

impl From<Occurrence> for OccurrenceOut {
    fn from(occurrence: Occurrence) -> OccurrenceOut {
        OccurrenceOut {
            correct_in: None,
            replaced: None,
            informational: false,
            start: occurrence.start,
            end: occurrence.end,
            line: occurrence.line,
            column: occurrence.column,
            text: occurrence.text,
            concept_id: occurrence.concept_id,
            term: occurrence.term,
            lang: occurrence.lang.to_string(),
            status: occurrence.status.as_str().to_string(),
            tier: occurrence.tier.as_str().to_string(),
            suggestion: occurrence.suggestion,
        }
    }
}

/// Answer of `POST /api/v1/terms/scan`.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct ScanResponse {
    /// The text's language, canonical.
    lang: String,
    /// Every term occurrence, in text order.
    occurrences: Vec<OccurrenceOut>,
}

/// Finds every term of a language in a text, with offsets, line and column; deprecated and
/// forbidden terms come with the term to use.
#[utoipa::path(
    post,
    path = "/api/v1/terms/scan",
    tag = "terms",
    request_body = ScanRequest,
    responses(
        (status = 200, description = "Occurrences in text order", body = ScanResponse),
        (status = 400, description = "Malformed JSON, missing text or unknown language", body = ErrorBody),
    )
)]
pub(super) async fn scan(State(state): State<AppState>, ApiJson(request): ApiJson<ScanRequest>) -> Result<Json<ScanResponse>, ApiError> {
    let text = required_text(request.text, "text")?;
    let tag = required_lang(request.lang.as_deref(), "lang")?;
    let date = match request.date.as_deref().map(str::trim).filter(|raw| !raw.is_empty()) {
        None => None,
        Some(raw) => Some(TermDate::parse(raw).ok_or_else(|| ApiError::bad_request(format!("`date`: invalid date {raw:?} (YYYY, YYYY-MM or YYYY-MM-DD)")))?),
    };
    let workspace = state.workspace.clone();
    let (occurrences, date) = blocking(move || {
        let occurrences = workspace.term_index().map_err(ApiError::internal)?.recognize(&text, tag.lang);
        Ok((occurrences, date.or_else(|| crate::termbase::latest_date(&text))))
    })
    .await?;
    Ok(Json(ScanResponse { lang: tag.to_string(), occurrences: occurrences.into_iter().map(|occurrence| OccurrenceOut::dated(occurrence, date)).collect() }))
}

/// Query of `POST /api/v1/terms/lint`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct LintQuery {
    /// The body's format: `tbx` (default; TBX 2019 or 2008) or `csv` (long or wide form).
    format: Option<String>,
}

/// One problem `POST /api/v1/terms/lint` found.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = LintFinding)]
pub(super) struct LintFindingOut {
    /// The concept.
    #[schema(example = "committee-for-communities")]
    concept_id: String,
    /// The term concerned, when the finding is about one term.
    #[serde(skip_serializing_if = "Option::is_none")]
    term: Option<String>,
    /// The term's language and script.
    #[serde(skip_serializing_if = "Option::is_none")]
    lang: Option<String>,
    /// The rule: `script-pair`, `look-alike`, `rejected-elsewhere`, `rejected-word`,
    /// `head-word`, `no-source`, `superseded-undated`, `phrase-without-term`,
    /// `duplicate-term` or `several-preferred`.
    #[schema(example = "head-word")]
    rule: String,
    /// `error` or `warning`.
    #[schema(example = "warning")]
    severity: String,
    /// What is wrong, in words.
    message: String,
}

/// Answer of `POST /api/v1/terms/lint`.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct LintResponse {
    /// Concepts checked.
    concepts: usize,
    /// Terms checked (derived Serbian scripts included).
    terms: usize,
    /// Findings of severity error.
    errors: usize,
    /// Findings of severity warning.
    warnings: usize,
    /// The findings, in concept order.
    findings: Vec<LintFindingOut>,
}

/// Checks an uploaded term base (the request body: a TBX file, or CSV with `format=csv`) for
/// Serbian scripts that disagree, look-alike letters, statuses that contradict each other,
/// head words, sources, dates of superseded terms and duplicates. Nothing is stored.
#[utoipa::path(
    post,
    path = "/api/v1/terms/lint",
    tag = "terms",
    params(LintQuery),
    request_body(content = String, content_type = "application/xml", description = "The term base file"),
    responses(
        (status = 200, description = "The findings (errors among them do not change the status)", body = LintResponse),
        (status = 400, description = "Unknown format, a file that is not UTF-8, or one the reader refuses (naming its line)", body = ErrorBody),
    )
)]
pub(super) async fn lint(
    State(_state): State<AppState>,
    ApiQuery(query): ApiQuery<LintQuery>,
    body: axum::body::Bytes,
) -> Result<Json<LintResponse>, ApiError> {
    let format = match query.format.as_deref().map(|raw| raw.trim().to_ascii_lowercase()).as_deref() {
        None | Some("" | "tbx") => crate::termbase::FileFormat::Tbx,
        Some("csv") => crate::termbase::FileFormat::Csv,
        Some(other) => return Err(ApiError::bad_request(format!("`format`: unknown term base format {other:?} (tbx or csv)"))),
    };
    let text = String::from_utf8(body.to_vec()).map_err(|err| {
        let valid = err.utf8_error().valid_up_to();
        let line = 1 + err.as_bytes()[..valid].iter().filter(|&&byte| byte == b'\n').count();
        ApiError::bad_request(format!("upload:{line}: not UTF-8 (byte {valid})"))
    })?;
    blocking(move || {
        let imported = match format {
            crate::termbase::FileFormat::Tbx => crate::termbase::tbx::parse_tbx(&text, "upload.tbx"),
            crate::termbase::FileFormat::Csv => crate::termbase::parse_csv(&text, "upload.csv"),
        }
        .map_err(ApiError::from_error)?;
        let findings = crate::termbase::lint(&imported.concepts);
        let summary = crate::termbase::lint_summary(&imported.concepts, &findings);
        Ok(Json(LintResponse {
            concepts: summary.concepts,
            terms: summary.terms,
            errors: summary.errors,
            warnings: summary.warnings,
            findings: findings
                .into_iter()
                .map(|finding| LintFindingOut {
                    concept_id: finding.concept_id,
                    term: finding.term,
                    lang: finding.lang.map(|lang| lang.to_string()),
                    rule: finding.rule.id().to_string(),
                    severity: finding.severity.as_str().to_string(),
                    message: finding.message,
                })
                .collect(),
        }))
    })
    .await
}
