//! Monitoring runs started by the service: the run use case (`usecase::monitor::run`) as a
//! background job on the blocking pool, one run an institution at a time, the in-memory job
//! table `GET /api/v1/monitor/jobs/{id}` reads, the schedule of `serve --monitor-every`, and
//! the guard that keeps an institution added over HTTP from pointing into the service's own
//! network.
//!
//! Deliberately not here: crawling, reading and pairing pages (reached through the
//! [`Steps`] the service was given), the score and the report (`monitor::report`).

use std::collections::{BTreeSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::AppState;
use super::jobs::JobStatus;
use crate::problem::ErrorClass;
use crate::usecase::monitor::{LiveOptions, RunOptions, RunProgress, Source, Steps};

/// Run jobs kept in memory; past this, the oldest finished one is forgotten.
pub const MAX_RUN_JOBS: usize = 64;

/// Makes the steps of one run (a crawler, a page reader and the pairing); called on the
/// blocking thread that runs it.
pub type StepsFactory = Arc<dyn Fn() -> Box<dyn Steps> + Send + Sync>;

/// How the service monitors institutions.
#[derive(Clone)]
pub struct MonitorConfig {
    /// Institutions added over HTTP may point at loopback, private and link-local addresses
    /// (`serve --monitor-allow-private`; tests and closed networks).
    pub allow_private: bool,
    /// The steps every run uses.
    pub steps: StepsFactory,
}

impl MonitorConfig {
    /// Runs that crawl the institutions' websites, refusing private addresses unless
    /// `allow_private`, at every hop.
    pub fn live(allow_private: bool) -> MonitorConfig {
        MonitorConfig::live_trusting(allow_private, Vec::new())
    }

    /// Live runs whose https also trusts the CA certificates (PEM) of `extra_ca`, for
    /// institutions behind an internal CA.
    pub fn live_trusting(allow_private: bool, extra_ca: Vec<std::path::PathBuf>) -> MonitorConfig {
        MonitorConfig {
            allow_private,
            steps: Arc::new(move || {
                crate::usecase::monitor::steps(Source::Live(LiveOptions { allow_private, extra_ca: extra_ca.clone(), ..LiveOptions::default() }))
            }),
        }
    }
}

impl Default for MonitorConfig {
    fn default() -> Self {
        // A live crawl with the crawler's defaults, as `termbridge monitor run` does.
        MonitorConfig::live(false)
    }
}

impl std::fmt::Debug for MonitorConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MonitorConfig").field("allow_private", &self.allow_private).finish_non_exhaustive()
    }
}

/// One run job as `GET /api/v1/monitor/jobs/{id}` shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RunJob {
    /// Its id.
    pub id: String,
    /// The institution it runs.
    pub institution: String,
    /// Where it is.
    pub status: JobStatus,
    /// `crawling` (done counts pages fetched) or `auditing` (done of total documents).
    #[schema(value_type = Option<String>, example = "crawling")]
    pub phase: Option<&'static str>,
    /// Work done in the phase.
    pub done: u64,
    /// Work in the phase (0 while crawling: the number of pages is not known ahead).
    pub total: u64,
    /// What the run did (when done): `run`, `score`, page and document counts.
    #[schema(value_type = Option<Object>)]
    pub result: Option<Value>,
    /// Why it failed (when failed); nothing of a failed run is kept.
    pub error: Option<String>,
}

/// The run job table and the institutions being run.
#[derive(Debug, Default)]
pub struct MonitorRuns {
    table: Mutex<VecDeque<RunJob>>,
    running: Mutex<BTreeSet<String>>,
}

/// Why a run was not started.
#[derive(Debug, PartialEq, Eq)]
pub enum NotStarted {
    /// A run of this institution is going on (its job id).
    Running(Option<String>),
    /// The job table is full of unfinished jobs.
    Full,
}

impl MonitorRuns {
    /// A copy of job `id`.
    pub fn get(&self, id: &str) -> Option<RunJob> {
        self.table.lock().ok()?.iter().find(|job| job.id == id).cloned()
    }

    /// The unfinished job of `institution`, if one is running.
    pub fn running_job(&self, institution: &str) -> Option<RunJob> {
        let table = self.table.lock().ok()?;
        table.iter().rev().find(|job| job.institution == institution && matches!(job.status, JobStatus::Queued | JobStatus::Running)).cloned()
    }

    fn update(&self, id: &str, change: impl FnOnce(&mut RunJob)) {
        if let Ok(mut table) = self.table.lock()
            && let Some(job) = table.iter_mut().find(|job| job.id == id)
        {
            change(job);
        }
    }

    /// Marks `institution` as running and adds its job; refused while it runs.
    fn claim(&self, institution: &str, id: String) -> Result<RunJob, NotStarted> {
        let mut running = self.running.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if running.contains(institution) {
            return Err(NotStarted::Running(self.running_job(institution).map(|job| job.id)));
        }
        let mut table = self.table.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if table.len() >= MAX_RUN_JOBS {
            let oldest_finished = table.iter().position(|job| matches!(job.status, JobStatus::Done | JobStatus::Failed)).ok_or(NotStarted::Full)?;
            table.remove(oldest_finished);
        }
        let job = RunJob { id, institution: institution.to_string(), status: JobStatus::Queued, phase: None, done: 0, total: 0, result: None, error: None };
        table.push_back(job.clone());
        running.insert(institution.to_string());
        Ok(job)
    }

    fn release(&self, institution: &str) {
        self.running.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).remove(institution);
    }
}

/// Frees the institution when the run ends, however it ends (a panic included).
struct Claim {
    runs: Arc<MonitorRuns>,
    institution: String,
}

impl Drop for Claim {
    fn drop(&mut self) {
        self.runs.release(&self.institution);
    }
}

/// A fresh, unguessable job id.
pub(super) fn new_job_id() -> Result<String, super::ApiError> {
    let mut bytes = [0u8; 12];
    getrandom::fill(&mut bytes).map_err(|err| super::ApiError::internal(format!("no randomness available: {err}")))?;
    Ok(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
}

/// Starts a run of `institution` on the blocking pool; the handle ends with the run.
pub(super) fn start_run(state: &AppState, institution: &str, job_id: String) -> Result<(RunJob, tokio::task::JoinHandle<()>), NotStarted> {
    let runs = state.monitor_runs.clone();
    let job = runs.claim(institution, job_id)?;
    let claim = Claim { runs: runs.clone(), institution: institution.to_string() };
    let workspace = state.workspace.clone();
    let steps = state.monitor.steps.clone();
    let id = job.id.clone();
    let worker = tokio::task::spawn_blocking(move || {
        let _claim = claim;
        runs.update(&id, |job| job.status = JobStatus::Running);
        let steps = steps();
        let mut progress = |step: RunProgress| {
            runs.update(&id, |job| match step {
                RunProgress::Crawling { pages } => {
                    job.phase = Some("crawling");
                    job.done = pages as u64;
                }
                RunProgress::Auditing { done, total } => {
                    job.phase = Some("auditing");
                    job.done = done as u64;
                    job.total = total as u64;
                }
            })
        };
        let outcome = crate::usecase::monitor::run(&workspace.store, &_claim.institution, &RunOptions::default(), &*steps, &mut progress);
        match outcome {
            Ok(outcome) => runs.update(&id, |job| {
                job.status = JobStatus::Done;
                job.phase = None;
                job.result = serde_json::to_value(&outcome).ok();
            }),
            Err(err) => {
                use crate::problem::Classify;
                let message = match err.class() {
                    ErrorClass::Internal => {
                        tracing::error!(job = %id, "monitoring run failed: {err}");
                        "internal error; see the server log".to_string()
                    }
                    _ => err.to_string(),
                };
                runs.update(&id, |job| {
                    job.status = JobStatus::Failed;
                    job.phase = None;
                    job.error = Some(message);
                });
            }
        }
    });
    let runs = state.monitor_runs.clone();
    let watched = job.id.clone();
    let handle = tokio::spawn(async move {
        if let Err(err) = worker.await {
            tracing::error!(%err, job = %watched, "monitoring run stopped abnormally");
            runs.update(&watched, |job| {
                job.status = JobStatus::Failed;
                job.error = Some("internal error; see the server log".to_string());
            });
        }
    });
    Ok((job, handle))
}

/// Runs every institution every `every`, one after another, skipping one whose run (started
/// over HTTP) is still going on. The first round starts one interval after the call.
pub async fn run_every(state: AppState, every: Duration) {
    let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        ticks.tick().await;
        let workspace = state.workspace.clone();
        let listed = tokio::task::spawn_blocking(move || workspace.store.institutions()).await;
        let institutions = match listed {
            Ok(Ok(institutions)) => institutions,
            Ok(Err(err)) => {
                tracing::warn!(%err, "scheduled monitoring: cannot list the institutions");
                continue;
            }
            Err(err) => {
                tracing::warn!(%err, "scheduled monitoring: the listing stopped");
                continue;
            }
        };
        tracing::info!(institutions = institutions.len(), "scheduled monitoring round");
        for institution in institutions {
            let Ok(job_id) = new_job_id() else { continue };
            match start_run(&state, &institution.id, job_id) {
                Ok((job, handle)) => {
                    let _ = handle.await;
                    let job = state.monitor_runs.get(&job.id);
                    tracing::info!(institution = %institution.id, status = ?job.as_ref().map(|job| job.status), error = ?job.and_then(|job| job.error), "scheduled run ended");
                }
                Err(why) => tracing::info!(institution = %institution.id, ?why, "scheduled run skipped"),
            }
        }
    }
}
