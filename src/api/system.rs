//! Health, readiness, metrics, statistics and token management.

use axum::Json;
use axum::extract::{Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{ApiError, AppState, blocking};
use crate::store::Role;

pub(super) async fn healthz() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

pub(super) async fn readyz(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let workspace = state.workspace.clone();
    let (units, docs) = blocking(move || Ok((workspace.store.stats().map_err(ApiError::internal)?.units, workspace.index.doc_count()))).await?;
    Ok(Json(json!({"status": "ready", "units": units, "indexed_variants": docs})))
}

pub(super) async fn stats(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let workspace = state.workspace.clone();
    let (stats, docs) = blocking(move || Ok((workspace.store.stats().map_err(ApiError::internal)?, workspace.index.doc_count()))).await?;
    Ok(Json(json!({"units": stats.units, "indexed_variants": docs, "schema_version": stats.schema_version, "generation": stats.generation})))
}

pub(super) async fn metrics(State(state): State<AppState>) -> Result<Response, ApiError> {
    let workspace = state.workspace.clone();
    let (units, docs) = blocking(move || Ok((workspace.store.stats().map_err(ApiError::internal)?.units as u64, workspace.index.doc_count()))).await?;
    let body = state.metrics.render(&[("units", "Translation units in the store", units), ("indexed_variants", "Language variants in the search index", docs)]);
    Ok(([(CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")], body).into_response())
}

#[derive(Debug, Deserialize)]
pub(super) struct CreateToken {
    role: Role,
}

pub(super) async fn create_token(
    State(state): State<AppState>,
    body: Result<Json<CreateToken>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let Json(request) = body.map_err(ApiError::from_json_rejection)?;
    let workspace = state.workspace.clone();
    let token = blocking(move || workspace.store.create_token(request.role).map_err(ApiError::internal)).await?;
    Ok(Json(json!({"token": token.token, "id": token.id, "role": token.role})))
}

pub(super) async fn revoke_token(State(state): State<AppState>, axum::extract::Path(id): axum::extract::Path<String>) -> Result<Json<Value>, ApiError> {
    let workspace = state.workspace.clone();
    let lookup = id.clone();
    let existed = blocking(move || workspace.store.revoke_token(&lookup).map_err(ApiError::internal)).await?;
    if !existed {
        return Err(ApiError::not_found(format!("no token with id {id}")));
    }
    Ok(Json(json!({"revoked": id})))
}

pub(super) async fn list_tokens(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let workspace = state.workspace.clone();
    let tokens = blocking(move || workspace.store.tokens().map_err(ApiError::internal)).await?;
    Ok(Json(json!({"tokens": tokens})))
}

pub(super) async fn not_found() -> ApiError {
    ApiError::not_found("no such route")
}

/// Security headers on every response: no sniffing, no framing, a strict CSP (no inline
/// scripts), no referrer leaks.
pub(crate) async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"),
    );
    response
}
