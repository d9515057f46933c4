//! `/api/v1/monitor`: the institutions whose websites are monitored, their runs (the score
//! over time), the report of a run in JSON, CSV or HTML, the evidence package of a run, and
//! the stored snapshot of a page.
//!
//! Adding an institution and starting a run need an editor token; everything else is a read.
//! An institution's start addresses are checked by the guard of `monitor_runs` before it is
//! stored: an address in the service's own network (loopback, private, link-local, cloud
//! metadata) is refused with 403 unless the service allows private addresses. A stored
//! snapshot is served as plain text or as a download, never as a page of this origin: it is
//! someone else's HTML.
//!
//! The library's use cases do the work (`usecase::monitor`), the evidence package included
//! (`usecase::monitor::evidence`, which `monitor evidence` on the command line calls too).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE, LOCATION};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::error::ErrorBody;
use super::monitor_runs::{NotStarted, RunJob, new_job_id, start_run};
use super::{ApiError, ApiJson, ApiQuery, AppState, blocking};
use crate::model::monitor::{Institution, RefusalKind, RunRecord};
use crate::monitor::crawl::check_public;
use crate::monitor::report;
use crate::usecase::monitor::{self as usecase, NewInstitution};

/// An institution as the API shows it, with its last run.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InstitutionOut {
    /// Its id.
    #[schema(example = "ferizaj")]
    pub id: String,
    /// Its name.
    pub name: String,
    /// The official Albanian name of its municipality; none for a central institution.
    pub municipality: Option<String>,
    /// The languages its documents must be published in (the municipal language table).
    pub required: Vec<String>,
    /// Its start addresses.
    pub urls: Vec<String>,
    /// Where the addresses were found.
    pub source: Option<String>,
    /// When it was added, seconds since the epoch.
    pub added: u64,
    /// Finished runs kept.
    pub runs: usize,
    /// The id of its last finished run.
    pub last_run: Option<u64>,
    /// The score of its last run (0–100).
    pub last_score: Option<f64>,
    /// The job of its run going on now, if one is.
    pub running_job: Option<String>,
}

/// The institutions.
#[derive(Debug, Serialize, ToSchema)]
pub struct InstitutionList {
    /// Every institution, by id.
    pub institutions: Vec<InstitutionOut>,
}

/// The body of `POST /api/v1/monitor/institutions`: one institution (`id` and `urls`), or a
/// shipped preset alone (`preset`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InstitutionIn {
    /// 1 to 64 lower-case letters, digits, `-`, `_`, `.` or `:`; required without `preset`.
    #[schema(example = "ferizaj")]
    pub id: Option<String>,
    /// Its start addresses (http or https); required without `preset`.
    #[schema(example = json!(["https://kk.rks-gov.net/ferizaj/"]))]
    #[serde(default)]
    pub urls: Vec<String>,
    /// Its name; the id when absent.
    pub name: Option<String>,
    /// Its municipality in any language or script; absent for a central institution.
    pub municipality: Option<String>,
    /// Where the addresses were found.
    pub source: Option<String>,
    /// Instead of the fields above: every institution of a shipped preset with a sourced
    /// address (`kosovo-municipalities`, `kosovo-central` or `kosovo`), ids as in the shipped
    /// file (`mun:kline`). Again replaces the same institutions and keeps their runs.
    #[schema(example = "kosovo-municipalities")]
    pub preset: Option<String>,
}

/// What was added.
#[derive(Debug, Serialize, ToSchema)]
pub struct InstitutionAdded {
    /// The institution as stored.
    pub institution: InstitutionOut,
    /// True when an institution with this id was replaced.
    pub replaced: bool,
}

/// What a preset added, and the rows it left out.
#[derive(Debug, Serialize, ToSchema)]
pub struct PresetAddedOut {
    /// The preset.
    pub preset: String,
    /// Every institution added or replaced (runs kept), in the shipped file's order.
    pub added: Vec<InstitutionAdded>,
    /// The rows left out because no source gave their address.
    pub skipped: Vec<PresetSkippedOut>,
}

/// A row of a preset without a sourced address.
#[derive(Debug, Serialize, ToSchema)]
pub struct PresetSkippedOut {
    /// The row's id.
    pub id: String,
    /// Its Albanian name.
    pub name: String,
    /// What was looked for.
    pub note: String,
}

/// The answer to adding: one institution, or a preset's.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum AddedOut {
    /// `id` and `urls` were given.
    One(InstitutionAdded),
    /// `preset` was given.
    Preset(PresetAddedOut),
}

/// What was removed with an institution.
#[derive(Debug, Serialize, ToSchema)]
pub struct InstitutionRemoved {
    /// Its id.
    pub id: String,
    /// Runs removed.
    pub runs: usize,
    /// Snapshots removed.
    pub snapshots: usize,
    /// Stored page bodies no other snapshot needed.
    pub bodies: usize,
}

/// One run in the trend.
#[derive(Debug, Serialize, ToSchema)]
pub struct RunOut {
    /// The run's id.
    pub id: u64,
    /// Seconds since the epoch.
    pub started: u64,
    /// Seconds since the epoch.
    pub finished: u64,
    /// The score (0–100).
    pub score: f64,
    pub pages_fetched: usize,
    pub pages_not_modified: usize,
    pub pages_refused: usize,
    pub pages_unreadable: usize,
    /// Documents (groups of language versions).
    pub documents: usize,
    /// Documents lacking a required language version.
    pub documents_missing_versions: usize,
    /// Findings of all checks.
    pub findings: usize,
    /// Findings by check id.
    pub findings_by_check: std::collections::BTreeMap<String, usize>,
}

impl RunOut {
    fn of(record: &RunRecord) -> RunOut {
        RunOut {
            id: record.id,
            started: record.started,
            finished: record.finished,
            score: record.score,
            pages_fetched: record.pages_fetched,
            pages_not_modified: record.pages_not_modified,
            pages_refused: record.pages_refused,
            pages_unreadable: record.pages_unreadable,
            documents: record.documents.len(),
            documents_missing_versions: record.documents.iter().filter(|doc| !doc.missing.is_empty()).count(),
            findings: record.findings_by_check.values().sum(),
            findings_by_check: record.findings_by_check.clone(),
        }
    }
}

/// The runs of an institution, oldest first: its score over time.
#[derive(Debug, Serialize, ToSchema)]
pub struct RunList {
    /// The institution.
    pub institution: String,
    /// Its finished runs, oldest first.
    pub runs: Vec<RunOut>,
    /// The job of its run going on now, if one is.
    pub running_job: Option<String>,
}

/// The answer to starting a run.
#[derive(Debug, Serialize, ToSchema)]
pub struct RunStarted {
    /// The job; follow it at `/api/v1/monitor/jobs/{job}`.
    pub job: String,
    /// The institution.
    pub institution: String,
    /// `queued` or `running`.
    pub status: super::JobStatus,
}

/// One stored page of a run.
#[derive(Debug, Serialize, ToSchema)]
pub struct SnapshotOut {
    /// The URL requested.
    pub url: String,
    /// The URL after redirects.
    pub final_url: String,
    /// The HTTP status (304: unchanged since the run before).
    pub status: u16,
    /// Seconds since the epoch.
    pub fetched_at: u64,
    /// BLAKE3 of the body (hex): `/api/v1/monitor/institutions/{id}/snapshots/{hash}` serves it.
    pub hash: String,
    /// The body's length in bytes.
    pub bytes: u64,
    /// The `Content-Type` it was served with.
    pub content_type: Option<String>,
}

/// The snapshots of a run.
#[derive(Debug, Serialize, ToSchema)]
pub struct SnapshotList {
    /// The run.
    pub run: u64,
    /// Its snapshots, by URL.
    pub snapshots: Vec<SnapshotOut>,
}

/// Which run.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct RunQuery {
    /// The run's id; the latest when absent.
    run: Option<u64>,
}

/// Which run, in which format.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct ReportQuery {
    /// The run's id; the latest when absent.
    run: Option<u64>,
    /// `json` (default), `csv` or `html`.
    format: Option<String>,
}

/// Which run, and which check's findings.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct EvidenceQuery {
    /// The run's id; the latest when absent.
    run: Option<u64>,
    /// Only the findings of this check (e.g. `missing-version`) and the pages they rest on.
    check: Option<String>,
}

fn unknown(id: &str) -> ApiError {
    ApiError::not_found(format!("no institution with id {id}"))
}

fn no_run(id: &str, run: Option<u64>) -> ApiError {
    match run {
        Some(run) => ApiError::not_found(format!("institution {id} has no finished run {run}")),
        None => ApiError::not_found(format!("institution {id} has no finished run yet")),
    }
}

fn institution_out(state: &AppState, institution: Institution, runs: usize, last_run: Option<u64>, last_score: Option<f64>) -> InstitutionOut {
    let required = crate::monitor::pair::codes(&usecase::required_languages(institution.municipality.as_deref()));
    let running_job = state.monitor_runs.running_job(&institution.id).map(|job| job.id);
    InstitutionOut {
        id: institution.id,
        name: institution.name,
        municipality: institution.municipality,
        required,
        urls: institution.urls,
        source: institution.source,
        added: institution.added,
        runs,
        last_run,
        last_score,
        running_job,
    }
}

/// The institution `id` with its last run, 404 when there is none.
fn one_institution(state: &AppState, id: &str) -> Result<InstitutionOut, ApiError> {
    let store = &state.workspace.store;
    let institution = store.institution(id).map_err(ApiError::internal)?.ok_or_else(|| unknown(id))?;
    let runs = store.run_ids(id).map_err(ApiError::internal)?;
    let last = match runs.last() {
        Some(&run) => store.run_record(id, run).map_err(ApiError::internal)?,
        None => None,
    };
    Ok(institution_out(state, institution, runs.len(), last.as_ref().map(|run| run.id), last.map(|run| run.score)))
}

/// The institutions monitored, each with its last score.
#[utoipa::path(
    get,
    path = "/api/v1/monitor/institutions",
    tag = "monitor",
    responses((status = 200, description = "Every institution with its last run", body = InstitutionList))
)]
pub(super) async fn list_institutions(State(state): State<AppState>) -> Result<Json<InstitutionList>, ApiError> {
    let worker = state.clone();
    let listed = blocking(move || usecase::list_institutions(&worker.workspace.store).map_err(ApiError::from_error)).await?;
    let institutions = listed.into_iter().map(|listed| institution_out(&state, listed.institution, listed.runs, listed.last_run, listed.last_score)).collect();
    Ok(Json(InstitutionList { institutions }))
}

/// Adds (or replaces) an institution. Its start addresses must be public websites: one that
/// resolves to a loopback, private, link-local or metadata address, or whose host does not
/// resolve, is refused (403) unless the service allows private addresses. With `preset`, adds
/// every institution of a shipped preset that has a sourced address (the shipped addresses are
/// not a caller's, so the guard is left to the crawler, which checks every request).
#[utoipa::path(
    post,
    path = "/api/v1/monitor/institutions",
    tag = "monitor",
    request_body = InstitutionIn,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Added or replaced (a preset: every institution of it, and the rows skipped)", body = AddedOut),
        (status = 400, description = "Malformed JSON, an invalid id or address, an unknown municipality or preset, a preset with other fields", body = ErrorBody),
        (status = 401, description = "No or an unknown token", body = ErrorBody),
        (status = 403, description = "The token is not an editor's, or an address points into a private network", body = ErrorBody),
        (status = 422, description = "An address the guard refuses for another reason", body = ErrorBody),
    )
)]
pub(super) async fn add_institution(State(state): State<AppState>, ApiJson(body): ApiJson<InstitutionIn>) -> Result<Response, ApiError> {
    if let Some(preset) = body.preset {
        if body.id.is_some() || !body.urls.is_empty() || body.name.is_some() || body.municipality.is_some() || body.source.is_some() {
            return Err(ApiError::bad_request("`preset` comes alone: give either `preset` or `id` and `urls`"));
        }
        return add_preset(state, preset).await;
    }
    let Some(id) = body.id else {
        return Err(ApiError::bad_request("`id` is required unless `preset` is given"));
    };
    let new = NewInstitution { id, urls: body.urls, name: body.name, municipality: body.municipality, source: body.source };
    let allow_private = state.monitor.allow_private;
    let worker = state.clone();
    let added = blocking(move || {
        for url in &new.urls {
            match check_public(url, allow_private) {
                Ok(()) => {}
                // Not an http(s) address: the use case below says so (400).
                Err((RefusalKind::Scheme, _)) => {}
                Err((RefusalKind::PrivateAddress, reason)) => return Err(ApiError::new(StatusCode::FORBIDDEN, "forbidden", reason)),
                Err((_, reason)) => return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "unprocessable", reason)),
            }
        }
        let added = usecase::add_institution(&worker.workspace.store, &new).map_err(ApiError::from_error)?;
        Ok(InstitutionAdded { institution: one_institution(&worker, &added.institution.id)?, replaced: added.replaced })
    })
    .await?;
    let location = format!("/api/v1/monitor/institutions/{}", added.institution.id);
    Ok((StatusCode::CREATED, [(LOCATION, location)], Json(AddedOut::One(added))).into_response())
}

/// `POST /api/v1/monitor/institutions` with `preset`.
async fn add_preset(state: AppState, preset: String) -> Result<Response, ApiError> {
    let added = blocking(move || {
        let added = usecase::add_preset(&state.workspace.store, &preset).map_err(ApiError::from_error)?;
        let mut institutions = Vec::with_capacity(added.added.len());
        for one in &added.added {
            institutions.push(InstitutionAdded { institution: one_institution(&state, &one.institution.id)?, replaced: one.replaced });
        }
        let skipped = added.skipped.into_iter().map(|row| PresetSkippedOut { id: row.id, name: row.name, note: row.note }).collect();
        Ok(PresetAddedOut { preset: added.preset, added: institutions, skipped })
    })
    .await?;
    Ok((StatusCode::CREATED, Json(AddedOut::Preset(added))).into_response())
}

/// One institution with its last score.
#[utoipa::path(
    get,
    path = "/api/v1/monitor/institutions/{id}",
    tag = "monitor",
    params(("id" = String, Path, description = "The institution's id")),
    responses(
        (status = 200, description = "The institution", body = InstitutionOut),
        (status = 404, description = "No institution with that id", body = ErrorBody),
    )
)]
pub(super) async fn get_institution(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<InstitutionOut>, ApiError> {
    blocking(move || one_institution(&state, &id)).await.map(Json)
}

/// Removes an institution with its runs and snapshots.
#[utoipa::path(
    delete,
    path = "/api/v1/monitor/institutions/{id}",
    tag = "monitor",
    params(("id" = String, Path, description = "The institution's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Removed", body = InstitutionRemoved),
        (status = 401, description = "No or an unknown token", body = ErrorBody),
        (status = 403, description = "The token is not an editor's", body = ErrorBody),
        (status = 404, description = "No institution with that id", body = ErrorBody),
        (status = 409, description = "A run of the institution is going on", body = ErrorBody),
    )
)]
pub(super) async fn remove_institution(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<InstitutionRemoved>, ApiError> {
    if let Some(job) = state.monitor_runs.running_job(&id) {
        return Err(ApiError::conflict(format!("a run of {id} is going on (job {}); remove it when the run has ended", job.id)));
    }
    let removed = blocking(move || usecase::remove_institution(&state.workspace.store, &id).map(|removed| (id, removed)).map_err(ApiError::from_error)).await?;
    let (id, removed) = removed;
    Ok(Json(InstitutionRemoved { id, runs: removed.runs, snapshots: removed.snapshots, bodies: removed.bodies }))
}

/// The runs of an institution, oldest first, with their scores and counts: the trend.
#[utoipa::path(
    get,
    path = "/api/v1/monitor/institutions/{id}/runs",
    tag = "monitor",
    params(("id" = String, Path, description = "The institution's id")),
    responses(
        (status = 200, description = "Its runs, oldest first", body = RunList),
        (status = 404, description = "No institution with that id", body = ErrorBody),
    )
)]
pub(super) async fn list_runs(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<RunList>, ApiError> {
    let running_job = state.monitor_runs.running_job(&id).map(|job| job.id);
    blocking(move || {
        let store = &state.workspace.store;
        store.institution(&id).map_err(ApiError::internal)?.ok_or_else(|| unknown(&id))?;
        let mut runs = Vec::new();
        for run in store.run_ids(&id).map_err(ApiError::internal)? {
            if let Some(record) = store.run_record(&id, run).map_err(ApiError::internal)? {
                runs.push(RunOut::of(&record));
            }
        }
        Ok(Json(RunList { institution: id, runs, running_job }))
    })
    .await
}

/// Starts a run of an institution in the background: 202 with the job to follow. One run
/// an institution at a time.
#[utoipa::path(
    post,
    path = "/api/v1/monitor/institutions/{id}/runs",
    tag = "monitor",
    params(("id" = String, Path, description = "The institution's id")),
    security(("bearer" = [])),
    responses(
        (status = 202, description = "The run was started; follow it at /api/v1/monitor/jobs/{job}", body = RunStarted),
        (status = 401, description = "No or an unknown token", body = ErrorBody),
        (status = 403, description = "The token is not an editor's", body = ErrorBody),
        (status = 404, description = "No institution with that id", body = ErrorBody),
        (status = 409, description = "A run of the institution is going on", body = ErrorBody),
        (status = 503, description = "Too many runs are unfinished", body = ErrorBody),
    )
)]
pub(super) async fn start(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let worker = state.clone();
    let known = id.clone();
    blocking(move || worker.workspace.store.institution(&known).map_err(ApiError::internal)?.map(|_| ()).ok_or_else(|| unknown(&known))).await?;
    let (job, _) = start_run(&state, &id, new_job_id()?).map_err(|why| match why {
        NotStarted::Running(job) => ApiError::conflict(format!(
            "a run of {id} is going on{}; start another when it has ended",
            job.map(|job| format!(" (job {job})")).unwrap_or_default()
        )),
        NotStarted::Full => ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "overloaded", "too many runs are unfinished; retry when one has ended"),
    })?;
    let location = format!("/api/v1/monitor/jobs/{}", job.id);
    Ok((StatusCode::ACCEPTED, [(LOCATION, location)], Json(RunStarted { job: job.id, institution: job.institution, status: job.status })).into_response())
}

/// How far a run job got, and what the run did once it has ended.
#[utoipa::path(
    get,
    path = "/api/v1/monitor/jobs/{id}",
    tag = "monitor",
    params(("id" = String, Path, description = "The job `POST .../runs` answered")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The job", body = RunJob),
        (status = 401, description = "No or an unknown token", body = ErrorBody),
        (status = 403, description = "The token is not an editor's", body = ErrorBody),
        (status = 404, description = "No such job (or forgotten: the oldest finished jobs are)", body = ErrorBody),
    )
)]
pub(super) async fn job(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<RunJob>, ApiError> {
    state
        .monitor_runs
        .get(&id)
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("no run job {id:?} (jobs are kept in memory, the oldest finished ones are forgotten)")))
}

/// The report of a run (the latest by default) in JSON (the `monitor report` contract),
/// CSV (one finding a row) or HTML (a standalone page, downloaded).
#[utoipa::path(
    get,
    path = "/api/v1/monitor/institutions/{id}/report",
    tag = "monitor",
    params(("id" = String, Path, description = "The institution's id"), ReportQuery),
    responses(
        (status = 200, description = "The report", content(
            (Object = "application/json"),
            (String = "text/csv"),
            (String = "text/html"),
        )),
        (status = 400, description = "An unknown format", body = ErrorBody),
        (status = 404, description = "No institution with that id, or no such run", body = ErrorBody),
    )
)]
pub(super) async fn get_report(State(state): State<AppState>, Path(id): Path<String>, ApiQuery(query): ApiQuery<ReportQuery>) -> Result<Response, ApiError> {
    let format = query.format.as_deref().map(str::trim).map(str::to_ascii_lowercase).unwrap_or_else(|| "json".to_string());
    if !matches!(format.as_str(), "json" | "csv" | "html") {
        return Err(ApiError::bad_request(format!("unknown format {format:?} in `format`; give json, csv or html")));
    }
    let run = query.run;
    let (report, id) = blocking(move || {
        let report = usecase::report(&state.workspace.store, &id, run).map_err(ApiError::from_error)?.ok_or_else(|| no_run(&id, run))?;
        Ok((report, id))
    })
    .await?;
    let file = |extension: &str| format!("attachment; filename=\"{id}-run-{}.{extension}\"", report.run.id);
    Ok(match format.as_str() {
        "csv" => ([(CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (CONTENT_DISPOSITION, file("csv"))], report::render_csv(&report)).into_response(),
        // The page carries its own style; this origin's policy would strip it, so it is saved
        // and opened as a file.
        "html" => ([(CONTENT_TYPE, "text/html; charset=utf-8".to_string()), (CONTENT_DISPOSITION, file("html"))], report::render_html(&report)).into_response(),
        _ => ([(CONTENT_TYPE, "application/json")], report::render_json(&report)).into_response(),
    })
}

/// The evidence package of a run: a zip of the report (JSON and HTML), the snapshots of the
/// pages its findings rest on, and `manifest.json` with their BLAKE3 hashes.
#[utoipa::path(
    get,
    path = "/api/v1/monitor/institutions/{id}/evidence",
    tag = "monitor",
    params(("id" = String, Path, description = "The institution's id"), EvidenceQuery),
    responses(
        (status = 200, description = "The package", content_type = "application/zip", body = Vec<u8>),
        (status = 400, description = "An unknown check (the message lists the known ones)", body = ErrorBody),
        (status = 404, description = "No institution with that id, or no such run", body = ErrorBody),
    )
)]
pub(super) async fn get_evidence(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<EvidenceQuery>,
) -> Result<Response, ApiError> {
    let (bytes, name) = blocking(move || {
        let check = query.check.as_deref().map(str::trim).filter(|check| !check.is_empty());
        let mut out = std::io::Cursor::new(Vec::new());
        let written = usecase::evidence(&state.workspace.store, &id, query.run, check, &mut out).map_err(ApiError::from_error)?;
        // An id may hold ':', which some systems refuse in a file name.
        let name = format!("{}-run-{}{}-evidence.zip", id.replace(':', "-"), written.run, check.map(|check| format!("-{check}")).unwrap_or_default());
        Ok((out.into_inner(), name))
    })
    .await?;
    Ok(([(CONTENT_TYPE, "application/zip".to_string()), (CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\""))], bytes).into_response())
}

/// The pages stored by a run (the latest by default), each with the hash its body is
/// served under.
#[utoipa::path(
    get,
    path = "/api/v1/monitor/institutions/{id}/snapshots",
    tag = "monitor",
    params(("id" = String, Path, description = "The institution's id"), RunQuery),
    responses(
        (status = 200, description = "The run's snapshots", body = SnapshotList),
        (status = 404, description = "No institution with that id, or no such run", body = ErrorBody),
    )
)]
pub(super) async fn list_snapshots(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<RunQuery>,
) -> Result<Json<SnapshotList>, ApiError> {
    blocking(move || {
        let store = &state.workspace.store;
        store.institution(&id).map_err(ApiError::internal)?.ok_or_else(|| unknown(&id))?;
        let runs = store.run_ids(&id).map_err(ApiError::internal)?;
        let run = match query.run {
            Some(run) => runs.contains(&run).then_some(run),
            None => runs.last().copied(),
        }
        .ok_or_else(|| no_run(&id, query.run))?;
        let snapshots = store
            .snapshots(&id, run)
            .map_err(ApiError::internal)?
            .into_iter()
            .map(|snapshot| SnapshotOut {
                content_type: snapshot.header("content-type").map(str::to_string),
                url: snapshot.url,
                final_url: snapshot.final_url,
                status: snapshot.status,
                fetched_at: snapshot.fetched_at,
                hash: snapshot.hash,
                bytes: snapshot.body_len,
            })
            .collect();
        Ok(Json(SnapshotList { run, snapshots }))
    })
    .await
}

/// Whether a stored page of this type is shown as text (markup and text), rather than
/// downloaded (PDF, DOCX, anything else).
fn shown_as_text(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence.is_empty() || essence.starts_with("text/") || essence.ends_with("+xml") || essence.ends_with("/xml") || essence.ends_with("/json")
}

/// The charset a `Content-Type` names, when it is a plain token.
fn charset(content_type: &str) -> Option<String> {
    let value = content_type
        .split(';')
        .skip(1)
        .find_map(|parameter| parameter.trim().strip_prefix("charset=").or_else(|| parameter.trim().strip_prefix("CHARSET=")))?;
    let value = value.trim_matches('"');
    (!value.is_empty() && value.len() <= 40 && value.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':')))
        .then(|| value.to_string())
}

/// A stored page body as it was fetched. Markup and text are served as `text/plain` (in the
/// charset they were served in), so a page is read, never run, in this origin; anything else
/// is a download.
#[utoipa::path(
    get,
    path = "/api/v1/monitor/institutions/{id}/snapshots/{hash}",
    tag = "monitor",
    params(("id" = String, Path, description = "The institution's id"), ("hash" = String, Path, description = "BLAKE3 of the body, hex")),
    responses(
        (status = 200, description = "The body as fetched", content(
            (String = "text/plain"),
            (Vec<u8> = "application/octet-stream"),
        )),
        (status = 404, description = "No institution with that id, or no snapshot of it with that hash", body = ErrorBody),
    )
)]
pub(super) async fn get_snapshot(State(state): State<AppState>, Path((id, hash)): Path<(String, String)>) -> Result<Response, ApiError> {
    if hash.len() != 64 || !hash.bytes().all(|byte| byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte)) {
        return Err(ApiError::not_found(format!("{hash:?} is not the hash of a stored page")));
    }
    let (content_type, body) = blocking(move || {
        let store = &state.workspace.store;
        store.institution(&id).map_err(ApiError::internal)?.ok_or_else(|| unknown(&id))?;
        // Only a page of this institution is served: a hash alone names a body of any.
        let mut content_type = None;
        for run in store.run_ids(&id).map_err(ApiError::internal)?.into_iter().rev() {
            let snapshots = store.snapshots(&id, run).map_err(ApiError::internal)?;
            if let Some(snapshot) = snapshots.iter().find(|snapshot| snapshot.hash == hash) {
                content_type = Some(snapshot.header("content-type").unwrap_or("").to_string());
                break;
            }
        }
        let content_type = content_type.ok_or_else(|| ApiError::not_found(format!("institution {id} has no stored page {hash}")))?;
        let body =
            store.snapshot_body(&hash).map_err(ApiError::internal)?.ok_or_else(|| ApiError::not_found(format!("the page {hash} is no longer stored")))?;
        Ok((content_type, body))
    })
    .await?;
    if shown_as_text(&content_type) {
        let served = format!("text/plain; charset={}", charset(&content_type).unwrap_or_else(|| "utf-8".to_string()));
        Ok(([(CONTENT_TYPE, served), (CONTENT_DISPOSITION, "inline".to_string())], body).into_response())
    } else {
        Ok(([(CONTENT_TYPE, "application/octet-stream".to_string()), (CONTENT_DISPOSITION, "attachment; filename=\"snapshot.bin\"".to_string())], body)
            .into_response())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_pages_are_shown_as_text_or_downloaded() {
        for (content_type, text) in [
            ("text/html; charset=windows-1250", true),
            ("application/xhtml+xml", true),
            ("", true),
            ("text/plain", true),
            ("application/pdf", false),
            ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", false),
        ] {
            assert_eq!(shown_as_text(content_type), text, "{content_type}");
        }
        assert_eq!(charset("text/html; charset=windows-1250").as_deref(), Some("windows-1250"));
        assert_eq!(charset("text/html; charset=\"utf-8\"").as_deref(), Some("utf-8"));
        assert_eq!(charset("text/html; charset=a b<script>"), None);
        assert_eq!(charset("text/html"), None);
    }
}
