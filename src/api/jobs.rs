//! Background imports: `POST /api/v1/import` starts one and answers 202 `{id, status}`;
//! `GET /api/v1/jobs/{id}` tells how far it got.
//!
//! An import job runs the import use case (`usecase::import`) that `termbridge import`
//! (translation memories: TMX, XLIFF, PO, CSV, TSV) and `termbridge terms import` (term bases:
//! TBX) run: it parses the whole file first, then writes all of it in one durable,
//! all-or-nothing step, so a file that cannot be read stores nothing and its job fails with
//! the file, line and reason. Units the
//! reader skipped are listed in the result, as the command line lists them. Imports run one
//! at a time (a later one waits as `queued`); the job table lives in memory, holds at most
//! [`MAX_JOBS`] jobs, and forgets the oldest finished ones first.

use std::collections::VecDeque;
use std::path::Path;
use std::sync::Mutex;

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequest, Path as UrlPath, Query, Request, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

use super::error::{ErrorBody, hint_words};
use super::upload::{Upload, clean_file_name, multipart_error, multipart_rejection, save_body, save_field};
use super::{ApiError, AppState};
use crate::formats::{Format, Limits, ReadOptions};
use crate::model::lang::LangTag;
use crate::problem::{Classify, ErrorClass, Problem, ProblemKind};
use crate::usecase::UseCaseError;
use crate::usecase::import::{self, Phase, Progress, Source};

/// Jobs kept in memory; past this, the oldest finished job is forgotten.
pub const MAX_JOBS: usize = 64;

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum JobStatus {
    /// Waiting for the import before it.
    Queued,
    /// Reading or writing.
    Running,
    /// Finished; `result` says what was stored.
    Done,
    /// Stopped; nothing was stored, `error` says why.
    Failed,
}

/// Where a failed import found the problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct JobProblem {
    /// The file, as the client named it.
    pub file: String,
    /// 1-based line, when the reader knows it.
    pub line: Option<usize>,
    /// 1-based column, when the reader knows it.
    pub column: Option<usize>,
    /// What is wrong.
    pub reason: String,
    /// What to give to fix it, naming the query parameter (e.g. `target_lang`).
    pub hint: Option<String>,
}

impl JobProblem {
    /// `problem` as the client sees it: its file named as the client named it.
    fn of(problem: &Problem, upload: &Upload) -> JobProblem {
        JobProblem {
            file: upload.name.clone(),
            line: problem.line,
            column: problem.column,
            reason: upload.speak_of_name(&problem.reason),
            hint: problem.hint.and_then(hint_words).map(str::to_string),
        }
    }
}

/// One job as `GET /api/v1/jobs/{id}` shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Job {
    /// Its id.
    pub id: String,
    /// Where it is.
    pub status: JobStatus,
    /// `reading` (done/total count bytes of the file), `writing` (done/total count units), or
    /// none before it starts and after it ends.
    #[schema(value_type = Option<String>, example = "reading")]
    pub phase: Option<&'static str>,
    /// Work done, in the phase's unit.
    pub done: u64,
    /// Work in the phase, in the phase's unit.
    pub total: u64,
    /// The file, as the client named it.
    pub file: String,
    /// What was stored (when done): `kind` (`memory` or `terms`), `file`, `read`, then
    /// `stored` and `duplicates` (memory) or `added`, `replaced` and `unchanged` (terms),
    /// `skipped` and the first `problems` (`file`, `line`, `reason`).
    #[schema(value_type = Option<Object>)]
    pub result: Option<Value>,
    /// Why it failed (when failed), naming file, line and reason.
    pub error: Option<String>,
    /// The same, as fields (when failed).
    pub problem: Option<JobProblem>,
}

/// The in-memory job table.
#[derive(Debug, Default)]
pub struct Jobs {
    table: Mutex<VecDeque<Job>>,
    /// Held by the running import, so imports run one at a time.
    running: Mutex<()>,
}

impl Jobs {
    /// An empty table.
    pub fn new() -> Jobs {
        Jobs::default()
    }

    /// A copy of job `id`.
    pub fn get(&self, id: &str) -> Option<Job> {
        self.table.lock().ok()?.iter().find(|job| job.id == id).cloned()
    }

    /// Adds a queued job, forgetting the oldest finished one when the table is full; `None`
    /// when every job in it is still queued or running.
    fn add(&self, id: String, file: String) -> Option<Job> {
        let mut table = self.table.lock().ok()?;
        if table.len() >= MAX_JOBS {
            let oldest_finished = table.iter().position(|job| matches!(job.status, JobStatus::Done | JobStatus::Failed))?;
            table.remove(oldest_finished);
        }
        let job = Job { id, status: JobStatus::Queued, phase: None, done: 0, total: 0, file, result: None, error: None, problem: None };
        table.push_back(job.clone());
        Some(job)
    }

    /// Changes job `id` in place (a forgotten job is left alone).
    fn update(&self, id: &str, change: impl FnOnce(&mut Job)) {
        if let Ok(mut table) = self.table.lock()
            && let Some(job) = table.iter_mut().find(|job| job.id == id)
        {
            change(job);
        }
    }

    fn fail(&self, id: &str, error: String, problem: Option<JobProblem>) {
        self.update(id, |job| {
            job.status = JobStatus::Failed;
            job.phase = None;
            job.error = Some(error);
            job.problem = problem;
        });
    }
}

/// A fresh, unguessable job id.
fn new_id() -> Result<String, ApiError> {
    let mut bytes = [0u8; 12];
    getrandom::fill(&mut bytes).map_err(|err| ApiError::internal(format!("no randomness available: {err}")))?;
    Ok(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
}

/// The query of `POST /api/v1/import`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct ImportQuery {
    /// `tmx`, `xliff`, `po`, `csv`, `tsv` or `tbx`; detected from the name and content when absent.
    format: Option<String>,
    /// The file name of a raw body (its extension tells the format).
    name: Option<String>,
    /// Source language (TSV/CSV `src` column, PO msgid, XLIFF without one); `src` is an alias.
    #[serde(alias = "src")]
    source_lang: Option<String>,
    /// Target language (TSV/CSV `tgt` column, PO msgstr, XLIFF without one); `tgt` is an alias.
    #[serde(alias = "tgt")]
    target_lang: Option<String>,
    /// Collection to import into.
    collection: Option<String>,
}

/// What kind of import a file gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A translation memory, read as `format` (or detected).
    Memory(Option<Format>),
    /// A term base in TBX.
    Terms,
}

fn parse_kind(raw: Option<&str>, name: &str) -> Result<Kind, ApiError> {
    let explicit = match raw.map(|raw| raw.trim().to_ascii_lowercase()).as_deref() {
        None | Some("") | Some("auto") => None,
        Some("tmx") => Some(Kind::Memory(Some(Format::Tmx))),
        Some("xliff" | "xlf") => Some(Kind::Memory(Some(Format::Xliff))),
        Some("po") => Some(Kind::Memory(Some(Format::Po))),
        Some("csv") => Some(Kind::Memory(Some(Format::Csv))),
        Some("tsv") => Some(Kind::Memory(Some(Format::Tsv))),
        Some("tbx") => Some(Kind::Terms),
        Some(other) => return Err(ApiError::bad_request(format!("format: unknown import format {other:?} (expected tmx, xliff, po, csv, tsv or tbx)"))),
    };
    Ok(explicit.unwrap_or_else(|| if name.to_ascii_lowercase().ends_with(".tbx") { Kind::Terms } else { Kind::Memory(None) }))
}

fn parse_tag(raw: Option<&str>, field: &str) -> Result<Option<LangTag>, ApiError> {
    raw.filter(|raw| !raw.trim().is_empty()).map(|raw| LangTag::parse(raw).map_err(|err| ApiError::bad_request(format!("{field}: {err}")))).transpose()
}

fn is_multipart(request: &Request) -> bool {
    request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.trim_start().to_ascii_lowercase().starts_with("multipart/"))
}

/// Receives the file of an import request: the multipart part `file`, or the raw body.
async fn receive(request: Request, state: &AppState, query: &ImportQuery, dir: &Path) -> Result<Upload, ApiError> {
    if !is_multipart(&request) {
        let name = clean_file_name(query.name.as_deref(), &format!("upload.{}", query.format.as_deref().unwrap_or("txt")));
        let upload = save_body(request.into_body(), dir, "body", &name).await?;
        if upload.bytes == 0 {
            return Err(ApiError::bad_request("the request body is empty: send the file as the body or as the multipart field \"file\""));
        }
        return Ok(upload);
    }
    let mut multipart = axum::extract::Multipart::from_request(request, state).await.map_err(multipart_rejection)?;
    let mut upload = None;
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        match field.name().unwrap_or_default() {
            "file" if upload.is_some() => return Err(ApiError::bad_request("field \"file\" is given twice")),
            "file" => upload = Some(save_field(field, dir, "file", query.name.as_deref().unwrap_or("upload")).await?),
            other => return Err(ApiError::bad_request(format!("unknown field {other:?}; the import takes one file in the field \"file\""))),
        }
    }
    match upload {
        Some(upload) if upload.bytes > 0 => Ok(upload),
        Some(_) => Err(ApiError::bad_request("the file in the field \"file\" is empty")),
        None => Err(ApiError::bad_request("no file: send it in the multipart field \"file\" (or as the raw body with ?name=)")),
    }
}

/// The multipart form of `POST /api/v1/import` (described for the OpenAPI document only).
#[derive(ToSchema)]
#[allow(dead_code)]
pub(super) struct ImportForm {
    /// The file: TMX, XLIFF, PO, CSV or TSV (a translation memory) or TBX (a term base).
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// The answer of `POST /api/v1/import`.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct JobStarted {
    /// The job's id, for `GET /api/v1/jobs/{id}`.
    id: String,
    /// `queued` (or already further).
    status: JobStatus,
}

/// Starts importing a file in the background (all or nothing, like `termbridge import`).
/// Send it as the multipart field `file`, or as the raw body with `?name=` (its extension
/// tells the format) or `?format=`.
#[utoipa::path(
    post,
    path = "/api/v1/import",
    tag = "tm",
    params(ImportQuery),
    request_body(content(
        (ImportForm = "multipart/form-data"),
        ("application/octet-stream"),
    )),
    security(("bearer" = [])),
    responses(
        (status = 202, description = "The job was started; follow it at /api/v1/jobs/{id}", body = JobStarted),
        (status = 400, description = "No file, an empty file, an unknown field, format or language", body = ErrorBody),
        (status = 401, description = "No or an unknown token", body = ErrorBody),
        (status = 403, description = "The token is not an editor's", body = ErrorBody),
        (status = 413, description = "The body is larger than the service's limit", body = ErrorBody),
        (status = 503, description = "Too many imports are waiting", body = ErrorBody),
    )
)]
pub(super) async fn start_import(
    State(state): State<AppState>,
    query: Result<Query<ImportQuery>, QueryRejection>,
    request: Request,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|rejection| ApiError::bad_request(rejection.body_text()))?;
    let src = parse_tag(query.source_lang.as_deref(), "source_lang")?;
    let tgt = parse_tag(query.target_lang.as_deref(), "target_lang")?;
    let dir = tempfile::Builder::new().prefix("termbridge-import-").tempdir().map_err(ApiError::internal)?;
    let upload = receive(request, &state, &query, dir.path()).await?;
    let kind = parse_kind(query.format.as_deref(), &upload.name)?;
    let options = ReadOptions {
        format: match kind {
            Kind::Memory(format) => format,
            Kind::Terms => None,
        },
        src,
        tgt,
        langs: Vec::new(),
        collection: query.collection.clone().filter(|collection| !collection.trim().is_empty()),
        limits: Limits::default(),
    };
    let id = new_id()?;
    let job = state
        .jobs
        .add(id.clone(), upload.name.clone())
        .ok_or_else(|| ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "overloaded", "too many imports are waiting; retry when one has finished"))?;
    let worker_state = state.clone();
    let worker_id = id.clone();
    let handle = tokio::task::spawn_blocking(move || {
        run_job(&worker_state, &worker_id, &upload, kind, &options);
        drop(dir);
    });
    let jobs = state.jobs.clone();
    tokio::spawn(async move {
        if let Err(err) = handle.await {
            tracing::error!(%err, job = %id, "import job stopped abnormally");
            jobs.fail(&id, "internal error; see the server log".to_string(), None);
        }
    });
    Ok((StatusCode::ACCEPTED, Json(JobStarted { id: job.id, status: job.status })).into_response())
}

/// How far an import job got: its status, the phase and its progress, and the result or the
/// error (file, line, reason) once it has finished.
#[utoipa::path(
    get,
    path = "/api/v1/jobs/{id}",
    tag = "tm",
    params(("id" = String, Path, description = "The id `POST /api/v1/import` answered")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The job", body = Job),
        (status = 401, description = "No or an unknown token", body = ErrorBody),
        (status = 403, description = "The token is not an editor's", body = ErrorBody),
        (status = 404, description = "No such job (or forgotten: the oldest finished jobs are)", body = ErrorBody),
    )
)]
pub(super) async fn job_status(State(state): State<AppState>, UrlPath(id): UrlPath<String>) -> Result<Json<Job>, ApiError> {
    state.jobs.get(&id).map(Json).ok_or_else(|| ApiError::not_found(format!("no job {id:?} (jobs are kept in memory, the oldest finished ones are forgotten)")))
}

/// Runs one import on the calling (blocking) thread, recording progress in the job table.
fn run_job(state: &AppState, id: &str, upload: &Upload, kind: Kind, options: &ReadOptions) {
    let jobs = &state.jobs;
    // A poisoned lock only means an earlier import panicked; the next one may still run.
    let _turn = jobs.running.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    jobs.update(id, |job| {
        job.status = JobStatus::Running;
        job.phase = Some("reading");
        job.total = upload.bytes;
    });
    let outcome = match kind {
        Kind::Memory(_) => import_memory(state, id, upload, options),
        Kind::Terms => import_terms(state, id, upload),
    };
    match outcome {
        Ok(result) => jobs.update(id, |job| {
            job.status = JobStatus::Done;
            job.phase = None;
            job.result = Some(result);
        }),
        Err(JobError::User(problem)) => {
            let problem = JobProblem::of(&problem, upload);
            let located = match problem.line {
                Some(line) => format!("{}:{line}: {}", problem.file, problem.reason),
                None => format!("{}: {}", problem.file, problem.reason),
            };
            let message = match &problem.hint {
                Some(hint) => format!("{located}; {hint}"),
                None => located,
            };
            jobs.fail(id, message, Some(problem));
        }
        Err(JobError::Internal(cause)) => {
            tracing::error!(%cause, job = %id, "import job failed");
            jobs.fail(id, "internal error; nothing was stored; see the server log".to_string(), None);
        }
    }
}

/// Why a job failed: the input (told to the client, as fields) or the server (logged).
enum JobError {
    User(Problem),
    Internal(String),
}

impl JobError {
    /// A failure to read `upload`: the user's when its class says so.
    fn reading(class: ErrorClass, problem: Option<Problem>, cause: String) -> JobError {
        match problem {
            Some(problem) if class.is_user() => JobError::User(problem),
            _ => JobError::Internal(cause),
        }
    }

    /// A failure to store what was read: the user's when its class says so (nothing of the
    /// file was stored either way).
    fn writing<E: Classify + std::fmt::Display>(err: E, upload: &Upload) -> JobError {
        if !err.class().is_user() {
            return JobError::Internal(err.to_string());
        }
        let reason = format!("{err}; nothing was stored");
        JobError::User(Problem { file: upload.name.clone(), line: None, column: None, kind: ProblemKind::Refused, reason, hint: err.hint() })
    }
}

/// Records the use case's progress in the job table.
fn track<'a>(jobs: &'a Jobs, id: &'a str) -> impl FnMut(Progress<'_>) + 'a {
    move |progress: Progress<'_>| {
        jobs.update(id, |job| {
            job.phase = Some(progress.phase.as_str());
            job.done = progress.done;
            job.total = progress.total.max(progress.done);
        })
    }
}

fn import_memory(state: &AppState, id: &str, upload: &Upload, options: &ReadOptions) -> Result<Value, JobError> {
    let mut progress = track(&state.jobs, id);
    let source = Source { name: upload.name.clone(), path: upload.path.clone() };
    let documents = import::read_memory(std::slice::from_ref(&source), options, &mut progress).map_err(|err| job_error(err, upload))?;
    let mut outcome = None;
    for document in &documents {
        outcome = Some(import::store_memory(&state.workspace, document, &mut progress).map_err(|err| job_error(err, upload))?);
    }
    let outcome = outcome.ok_or_else(|| JobError::Internal(format!("{}: nothing was read", upload.name)))?;
    let mut result = serde_json::to_value(&outcome).map_err(|err| JobError::Internal(err.to_string()))?;
    result["kind"] = json!("memory");
    Ok(result)
}

/// A use case's failure as a job's: the problem with its fields when the user can fix it.
fn job_error(err: UseCaseError, upload: &Upload) -> JobError {
    match err {
        UseCaseError::Write { source, .. } => JobError::writing(source, upload),
        UseCaseError::Format(err) => JobError::reading(err.class(), Some(err.problem()), err.to_string()),
        UseCaseError::Termbase(err) => JobError::reading(err.class(), err.problem(), err.to_string()),
        err => {
            let problem =
                Problem { file: upload.name.clone(), line: None, column: None, kind: ProblemKind::Refused, reason: err.to_string(), hint: err.hint() };
            JobError::reading(err.class(), Some(problem), err.to_string())
        }
    }
}

fn import_terms(state: &AppState, id: &str, upload: &Upload) -> Result<Value, JobError> {
    let jobs = &state.jobs;
    let source = Source { name: upload.name.clone(), path: upload.path.clone() };
    let read = import::read_terms(std::slice::from_ref(&source), Some(crate::termbase::FileFormat::Tbx))
        .map_err(|err| job_error(err, upload))?
        .pop()
        .ok_or_else(|| JobError::Internal(format!("{}: nothing was read", upload.name)))?;
    let n_read = read.imported.concepts.len() as u64;
    jobs.update(id, |job| {
        job.phase = Some(Phase::Writing.as_str());
        job.done = 0;
        job.total = n_read;
    });
    let summary = state.workspace.put_concepts(&read.imported.concepts).map_err(|err| JobError::writing(err, upload))?;
    jobs.update(id, |job| job.done = n_read);
    Ok(json!({
        "kind": "terms",
        "file": upload.name,
        "read": n_read,
        "added": summary.added,
        "replaced": summary.replaced,
        "unchanged": summary.unchanged,
        "skipped": read.imported.warnings.len(),
        "problems": read.problems(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upload(name: &str) -> Upload {
        Upload { name: name.to_string(), path: std::path::PathBuf::from("/tmp/x").join(name), bytes: 1 }
    }

    #[test]
    fn problems_keep_their_fields_and_name_the_client_file_and_parameter() {
        let upload = upload("m.po");
        let err = crate::formats::FormatError::Missing {
            path: upload.path.display().to_string(),
            message: "the catalogue names no Language: in its header".into(),
            hint: crate::problem::Hint::TargetLanguage,
        };
        let problem = JobProblem::of(&err.problem(), &upload);
        assert_eq!(
            problem,
            JobProblem {
                file: "m.po".into(),
                line: None,
                column: None,
                reason: "the catalogue names no Language: in its header".into(),
                hint: Some("give the target language in `target_lang`".into()),
            }
        );
        let err = crate::formats::FormatError::Syntax { path: upload.path.display().to_string(), line: 7, message: "unclosed tag".into() };
        let problem = JobProblem::of(&err.problem(), &upload);
        assert_eq!((problem.line, problem.reason.as_str(), problem.hint), (Some(7), "unclosed tag", None));
    }

    #[test]
    fn the_table_is_bounded_and_keeps_unfinished_jobs() {
        let jobs = Jobs::new();
        for n in 0..MAX_JOBS {
            assert!(jobs.add(format!("j{n}"), "f".into()).is_some());
        }
        assert!(jobs.add("over".into(), "f".into()).is_none(), "all queued: nothing to forget");
        jobs.update("j3", |job| job.status = JobStatus::Done);
        jobs.update("j5", |job| job.status = JobStatus::Failed);
        assert!(jobs.add("next".into(), "f".into()).is_some());
        assert!(jobs.get("j3").is_none(), "the oldest finished job is forgotten");
        assert!(jobs.get("j5").is_some());
        assert!(jobs.get("j0").is_some());
    }

    #[test]
    fn kinds_come_from_the_format_or_the_name() {
        assert_eq!(parse_kind(None, "terms.tbx").unwrap(), Kind::Terms);
        assert_eq!(parse_kind(None, "m.tmx").unwrap(), Kind::Memory(None));
        assert_eq!(parse_kind(Some("tsv"), "upload").unwrap(), Kind::Memory(Some(Format::Tsv)));
        assert!(parse_kind(Some("docx"), "x").is_err());
    }
}
