//! The HTTP service: an axum router over the library. Handlers parse the request, call the
//! synchronous core on the blocking pool and render JSON; errors become
//! `{"error": {"code", "message"}}` with a fitting status.

mod error;

use std::sync::Arc;

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

pub use error::ApiError;

use crate::Workspace;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The open data directory.
    pub workspace: Arc<Workspace>,
}

/// The service's routes.
pub fn router(state: AppState) -> Router {
    Router::new().route("/healthz", get(healthz)).route("/readyz", get(readyz)).route("/api/v1/stats", get(stats)).fallback(not_found).with_state(state)
}

async fn healthz() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

async fn readyz(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let workspace = state.workspace.clone();
    let docs = tokio::task::spawn_blocking(move || workspace.index.doc_count()).await.map_err(ApiError::internal)?;
    Ok(Json(json!({"status": "ready", "indexed": docs})))
}

async fn stats(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let workspace = state.workspace.clone();
    let (stats, docs) = tokio::task::spawn_blocking(move || Ok::<_, crate::store::StoreError>((workspace.store.stats()?, workspace.index.doc_count())))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    Ok(Json(json!({"units": stats.units, "indexed_variants": docs, "schema_version": stats.schema_version, "generation": stats.generation})))
}

async fn not_found() -> ApiError {
    ApiError::not_found("no such route")
}
