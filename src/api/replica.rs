//! A read replica: the service serves the newest backup found in a folder of the primary's
//! backups, and refreshes itself from a newer one without a moment of unreadiness.
//!
//! A refresh restores the newer backup into a standby directory beside the one being served
//! (`ops::restore`, which checks the dump against its manifest and rebuilds the search
//! index), opens it, builds its fuzzy-match index, and only then hands the new router to
//! [`Readiness::swap`]: requests that began before the swap finish on the old data directory,
//! later ones see the new one, and `/readyz` answers 200 throughout. The old directory is
//! closed once its last request has finished, and removed. A refresh that fails leaves the
//! replica serving what it served.
//!
//! A replica takes no writes: every route of [`WRITE_ROUTES`](super::WRITE_ROUTES) but the
//! refresh itself answers 409 `read-replica` (writes go to the primary; a replica's store is
//! replaced at its next refresh). Refreshes run on an interval and on
//! `POST /api/v1/admin/refresh` (admin), one at a time.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::Json;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use super::{ApiError, AppState, Readiness, ServeConfig, WRITE_ROUTES, router};
use crate::Workspace;
use crate::ops::{self, OpsError};

/// The route that refreshes a replica, the one write route a replica answers.
pub const REFRESH_ROUTE: &str = "/api/v1/admin/refresh";

/// What a replica serves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Served {
    /// The backup directory it was restored from.
    pub backup: String,
    /// When the primary wrote that backup, seconds since the epoch.
    pub backup_created_unix: u64,
    /// The BLAKE3 hash of the backup's dump: what tells two backups apart.
    pub dump_blake3: String,
    /// The data directory it was restored into.
    pub data_dir: String,
    /// When this replica finished restoring it, seconds since the epoch.
    pub restored_unix: u64,
    /// Translation units in it.
    pub units: u64,
}

/// The answer of a refresh.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Refreshed {
    /// True when a newer backup was found and is now served.
    pub swapped: bool,
    /// What is served now.
    pub served: Served,
}

/// Why a replica cannot start or refresh.
#[derive(Debug, thiserror::Error)]
pub enum ReplicaError {
    #[error("no backup found in {0} (a backup is a directory with a manifest.json, as `backup` writes it)")]
    NoBackup(PathBuf),
    #[error("cannot read the backups in {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    Ops(#[from] OpsError),
    #[error("cannot open the restored data directory {path}: {source}")]
    Open { path: PathBuf, source: Box<dyn std::error::Error + Send + Sync> },
}

/// A data directory being served, with what it was restored from.
struct Current {
    served: Served,
    workspace: Arc<Workspace>,
}

/// A read replica of the backups in one folder.
pub struct Replica {
    backups: PathBuf,
    root: PathBuf,
    config: ServeConfig,
    current: Mutex<Option<Current>>,
    /// Held for the whole of a refresh, so two never run at once.
    refreshing: tokio::sync::Mutex<()>,
    readiness: Mutex<Option<Readiness>>,
}

impl std::fmt::Debug for Replica {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Replica").field("backups", &self.backups).field("root", &self.root).finish()
    }
}

impl Replica {
    /// A replica of the backups in `backups` whose restored data directories live under
    /// `root`; nothing is read until [`Replica::start`].
    pub fn new(backups: &Path, root: &Path, config: ServeConfig) -> Arc<Replica> {
        Arc::new(Replica {
            backups: backups.to_path_buf(),
            root: root.to_path_buf(),
            config,
            current: Mutex::new(None),
            refreshing: tokio::sync::Mutex::new(()),
            readiness: Mutex::new(None),
        })
    }

    /// Restores (or reopens) the newest backup and returns the router that serves it. Blocking.
    pub fn start(self: &Arc<Self>, readiness: &Readiness) -> Result<axum::Router, ReplicaError> {
        *self.readiness.lock().unwrap_or_else(PoisonError::into_inner) = Some(readiness.clone());
        let found = newest_backup(&self.backups)?.ok_or_else(|| ReplicaError::NoBackup(self.backups.clone()))?;
        let current = self.open(&found)?;
        let router = self.router_for(&current);
        self.remove_others(&current.served.data_dir);
        *self.current.lock().unwrap_or_else(PoisonError::into_inner) = Some(current);
        Ok(router)
    }

    /// What is served now.
    pub fn served(&self) -> Option<Served> {
        self.current.lock().unwrap_or_else(PoisonError::into_inner).as_ref().map(|current| current.served.clone())
    }

    /// The workspace served now (for warming its match index after start).
    pub fn workspace(&self) -> Option<Arc<Workspace>> {
        self.current.lock().unwrap_or_else(PoisonError::into_inner).as_ref().map(|current| current.workspace.clone())
    }

    /// Serves the newest backup if it is not the one served: restore, open, warm, swap.
    pub async fn refresh(self: &Arc<Self>) -> Result<Refreshed, ReplicaError> {
        let _one_at_a_time = self.refreshing.lock().await;
        let this = self.clone();
        let opened = tokio::task::spawn_blocking(move || -> Result<Option<Current>, ReplicaError> {
            let found = newest_backup(&this.backups)?.ok_or_else(|| ReplicaError::NoBackup(this.backups.clone()))?;
            let same = this.served().is_some_and(|served| served.dump_blake3 == found.1.dump.blake3);
            if same {
                return Ok(None);
            }
            let current = this.open(&found)?;
            // Warm before the swap, so the first match after it is as fast as the last before.
            if let Err(err) = current.workspace.prepare_matcher(&crate::model::lang::Lang::ALL) {
                tracing::warn!(%err, "fuzzy-match index not built ahead of the swap");
            }
            Ok(Some(current))
        })
        .await
        .map_err(|err| ReplicaError::Open { path: self.root.clone(), source: Box::new(err) })??;
        let Some(current) = opened else {
            let served = self.served().ok_or_else(|| ReplicaError::NoBackup(self.backups.clone()))?;
            return Ok(Refreshed { swapped: false, served });
        };
        let router = self.router_for(&current);
        let served = current.served.clone();
        let previous = self.current.lock().unwrap_or_else(PoisonError::into_inner).replace(current);
        if let Some(readiness) = self.readiness.lock().unwrap_or_else(PoisonError::into_inner).as_ref() {
            readiness.swap(router);
        }
        tracing::info!(backup = %served.backup, units = served.units, data_dir = %served.data_dir, "replica now serves a newer backup");
        if let Some(previous) = previous {
            tokio::task::spawn_blocking(move || retire(previous));
        }
        Ok(Refreshed { swapped: true, served })
    }

    /// Refreshes every `every` until the process ends; a failed refresh is logged and the
    /// replica goes on serving what it served.
    pub async fn refresh_every(self: Arc<Self>, every: Duration) {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        ticks.tick().await;
        loop {
            ticks.tick().await;
            if let Err(err) = self.refresh().await {
                tracing::warn!(%err, "replica refresh failed; still serving the previous backup");
            }
        }
    }

    fn router_for(self: &Arc<Self>, current: &Current) -> axum::Router {
        let mut state = AppState::new(current.workspace.clone(), self.config.clone());
        state.replica = Some(self.clone());
        router(state)
    }

    /// Restores `found` into its standby directory (reused when an earlier start restored it
    /// and it opens) and opens it.
    fn open(&self, (path, manifest): &(PathBuf, ops::Manifest)) -> Result<Current, ReplicaError> {
        std::fs::create_dir_all(&self.root).map_err(|source| ReplicaError::Io { path: self.root.clone(), source })?;
        let dir = self.root.join(format!("replica-{}-{}", manifest.created_unix, &manifest.dump.blake3[..16.min(manifest.dump.blake3.len())]));
        let reuse = dir.join(RESTORED_MARK).exists();
        if !reuse {
            if dir.exists() {
                std::fs::remove_dir_all(&dir).map_err(|source| ReplicaError::Io { path: dir.clone(), source })?;
            }
            tracing::info!(backup = %path.display(), into = %dir.display(), "restoring a backup for the replica");
            ops::restore(path, &dir, false, &mut |_, _| {})?;
            std::fs::write(dir.join(RESTORED_MARK), &manifest.dump.blake3).map_err(|source| ReplicaError::Io { path: dir.clone(), source })?;
        }
        let (workspace, _) = Workspace::open(&dir, &mut |_, _| {}).map_err(|err| ReplicaError::Open { path: dir.clone(), source: Box::new(err) })?;
        let units = workspace.store.stats().map(|stats| stats.units as u64).unwrap_or(0);
        let served = Served {
            backup: path.display().to_string(),
            backup_created_unix: manifest.created_unix,
            dump_blake3: manifest.dump.blake3.clone(),
            data_dir: dir.display().to_string(),
            restored_unix: now_unix(),
            units,
        };
        Ok(Current { served, workspace: Arc::new(workspace) })
    }

    /// Removes the restored directories under the root other than `keep` (left by earlier
    /// runs of the replica).
    fn remove_others(&self, keep: &str) {
        let Ok(entries) = std::fs::read_dir(&self.root) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with("replica-")
                && path.display().to_string() != keep
                && let Err(err) = std::fs::remove_dir_all(&path)
            {
                tracing::warn!(%err, dir = %path.display(), "cannot remove an old replica directory");
            }
        }
    }
}

/// Written into a standby directory once its restore is complete, so a restart reuses it.
const RESTORED_MARK: &str = "replica-restored";

/// Closes a data directory that is no longer served once its last request is done, and
/// removes it.
fn retire(previous: Current) {
    let Current { served, workspace } = previous;
    let mut waited = Duration::ZERO;
    // Requests that began before the swap hold the workspace through their router; they end
    // within the request timeout.
    while Arc::strong_count(&workspace) > 1 && waited < Duration::from_secs(600) {
        std::thread::sleep(Duration::from_millis(100));
        waited += Duration::from_millis(100);
    }
    if Arc::strong_count(&workspace) > 1 {
        tracing::warn!(dir = %served.data_dir, "an old replica directory is still in use; it is removed at the next start");
        return;
    }
    drop(workspace);
    if let Err(err) = std::fs::remove_dir_all(&served.data_dir) {
        tracing::warn!(%err, dir = %served.data_dir, "cannot remove the old replica directory");
    }
}

/// The newest backup in `dir` (or `dir` itself when it is a backup): the one whose manifest
/// was written last, by name at equal times. Directories without a readable manifest are
/// skipped; the chosen one is verified in full when it is restored.
pub fn newest_backup(dir: &Path) -> Result<Option<(PathBuf, ops::Manifest)>, ReplicaError> {
    let manifest_of = |path: &Path| -> Option<ops::Manifest> {
        let bytes = std::fs::read(path.join(ops::MANIFEST_FILE)).ok()?;
        serde_json::from_slice(&bytes).ok()
    };
    if let Some(manifest) = manifest_of(dir) {
        return Ok(Some((dir.to_path_buf(), manifest)));
    }
    let entries = std::fs::read_dir(dir).map_err(|source| ReplicaError::Io { path: dir.to_path_buf(), source })?;
    let mut newest: Option<(PathBuf, ops::Manifest)> = None;
    for entry in entries.flatten() {
        let path = entry.path();
        // Backups in progress are hidden siblings (`.NAME.backup-PID`).
        if entry.file_name().to_string_lossy().starts_with('.') || !path.is_dir() {
            continue;
        }
        if let Some(manifest) = manifest_of(&path) {
            let newer = newest.as_ref().is_none_or(|(best, current)| (manifest.created_unix, &path) > (current.created_unix, best));
            if newer {
                newest = Some((path, manifest));
            }
        }
    }
    Ok(newest)
}

fn now_unix() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|elapsed| elapsed.as_secs()).unwrap_or(0)
}

/// Refuses writes on a replica with 409 `read-replica`, naming where writes go.
pub(super) async fn refuse_writes(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if state.replica.is_some() && is_write(request.method(), request.uri().path()) {
        return ApiError::new(
            StatusCode::CONFLICT,
            "read-replica",
            "this service is a read replica restored from the primary's backups; send writes to the primary",
        )
        .into_response();
    }
    next.run(request).await
}

fn is_write(method: &Method, path: &str) -> bool {
    if path == REFRESH_ROUTE || *method == Method::GET || *method == Method::HEAD {
        return false;
    }
    WRITE_ROUTES.iter().any(|route| route.method == method.as_str() && template_matches(route.path, path))
}

/// `/api/v1/terms/{concept_id}` matches `/api/v1/terms/c42`.
fn template_matches(template: &str, path: &str) -> bool {
    let (mut template, mut path) = (template.split('/'), path.trim_end_matches('/').split('/'));
    loop {
        match (template.next(), path.next()) {
            (None, None) => return true,
            (Some(want), Some(got)) if want.starts_with('{') || want == got => {}
            _ => return false,
        }
    }
}

/// Restores the newest backup of the replica's folder if it is newer than the one served, and
/// serves it (admin; only on a replica).
#[utoipa::path(
    post,
    path = "/api/v1/admin/refresh",
    tag = "system",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "What is served now and whether it changed", body = Refreshed),
        (status = 401, description = "No or an unknown token", body = super::ErrorBody),
        (status = 403, description = "The token is not an admin's", body = super::ErrorBody),
        (status = 409, description = "The service is not a read replica", body = super::ErrorBody),
        (status = 422, description = "No backup could be restored; the replica serves what it served", body = super::ErrorBody),
    )
)]
pub(super) async fn refresh(State(state): State<AppState>) -> Result<Json<Refreshed>, ApiError> {
    let Some(replica) = state.replica.clone() else {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "not-a-replica",
            "this service is not a read replica (it was not started with a folder of backups to follow)",
        ));
    };
    match replica.refresh().await {
        Ok(refreshed) => Ok(Json(refreshed)),
        Err(err) => {
            tracing::warn!(%err, "replica refresh failed");
            Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "refresh-failed", err.to_string()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_match_their_paths_only() {
        assert!(template_matches("/api/v1/terms/{concept_id}", "/api/v1/terms/c42"));
        assert!(template_matches("/api/v1/units", "/api/v1/units/"));
        assert!(!template_matches("/api/v1/terms/{concept_id}", "/api/v1/terms"));
        assert!(!template_matches("/api/v1/units", "/api/v1/units/x"));
        assert!(is_write(&Method::POST, "/api/v1/units"));
        assert!(is_write(&Method::DELETE, "/api/v1/terms/c1"));
        assert!(!is_write(&Method::POST, "/api/v1/tm/match"));
        assert!(!is_write(&Method::POST, REFRESH_ROUTE));
        assert!(!is_write(&Method::GET, "/api/v1/tokens"));
    }
}
