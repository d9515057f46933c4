//! Health, readiness, metrics, statistics and token management.

use axum::Json;
use axum::extract::{Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::error::{ApiJson, ErrorBody};
use super::{ApiError, AppState, blocking};
use crate::store::Role;

/// Liveness: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "system", responses((status = 200, description = "`{\"status\": \"ok\"}`", body = Object)))]
pub(super) async fn healthz() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

/// Readiness: the store and the index answer; counts of units and indexed variants.
#[utoipa::path(get, path = "/readyz", tag = "system", responses((status = 200, description = "`{\"status\": \"ready\", \"units\", \"indexed_variants\"}`; on a read replica also `replica`: the backup served and when it was restored", body = Object)))]
pub(super) async fn readyz(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let workspace = state.workspace.clone();
    let (units, docs) = blocking(move || Ok((workspace.store.stats().map_err(ApiError::internal)?.units, workspace.index.doc_count()))).await?;
    let mut answer = json!({"status": "ready", "units": units, "indexed_variants": docs});
    if let Some(served) = state.replica.as_ref().and_then(|replica| replica.served()) {
        answer["replica"] = serde_json::to_value(served).map_err(ApiError::internal)?;
    }
    Ok(Json(answer))
}

/// What the data directory holds.
#[utoipa::path(
    get,
    path = "/api/v1/stats",
    tag = "system",
    responses(
        (status = 200, description = "`units`, `indexed_variants`, `schema_version`, `generation`", body = Object),
        (status = 401, description = "Reads are closed and no token was given", body = ErrorBody),
    )
)]
pub(super) async fn stats(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let workspace = state.workspace.clone();
    let (stats, docs) = blocking(move || Ok((workspace.store.stats().map_err(ApiError::internal)?, workspace.index.doc_count()))).await?;
    Ok(Json(json!({"units": stats.units, "indexed_variants": docs, "schema_version": stats.schema_version, "generation": stats.generation})))
}

/// Request counts, latencies and store gauges in the OpenMetrics text format.
#[utoipa::path(get, path = "/metrics", tag = "system", responses((status = 200, description = "OpenMetrics text", content_type = "application/openmetrics-text", body = String)))]
pub(super) async fn metrics(State(state): State<AppState>) -> Result<Response, ApiError> {
    let workspace = state.workspace.clone();
    let gauges = blocking(move || {
        let units = workspace.store.stats().map_err(ApiError::internal)?.units as u64;
        let concepts = workspace.store.concept_count().map_err(ApiError::internal)? as u64;
        Ok([
            ("units", "Translation units in the store", units),
            ("concepts", "Term-base concepts in the store", concepts),
            ("indexed_variants", "Language variants in the search index", workspace.index.doc_count()),
            ("search_index_segments", "Segments of the search index (merged in the background)", workspace.index.segment_count() as u64),
            ("search_index_bytes", "Bytes of the search index on disk", workspace.index.disk_bytes()),
            ("match_index_segments", "Segments of the fuzzy-match index, all languages", workspace.matcher_segments() as u64),
            ("match_index_bytes", "Bytes of memory held by the fuzzy-match index", workspace.matcher_bytes() as u64),
        ])
    })
    .await?;
    let body = state.metrics.render(&gauges);
    Ok(([(CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")], body).into_response())
}

/// Body of `POST /api/v1/tokens`.
#[derive(Debug, Deserialize, ToSchema)]
pub(super) struct CreateToken {
    /// `reader`, `editor` or `admin`.
    #[schema(value_type = String, example = "editor")]
    role: Role,
}

/// A new token; the secret is shown once.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct TokenCreated {
    /// The secret to send as `Authorization: Bearer <token>`.
    token: String,
    /// The token's id (to revoke it).
    id: String,
    /// Its role.
    #[schema(value_type = String)]
    role: Role,
}

/// Creates a token (admin).
#[utoipa::path(
    post,
    path = "/api/v1/tokens",
    tag = "system",
    request_body = CreateToken,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The token", body = TokenCreated),
        (status = 400, description = "Malformed JSON or unknown role", body = ErrorBody),
        (status = 401, description = "No or an unknown token", body = ErrorBody),
        (status = 403, description = "The token is not an admin's", body = ErrorBody),
    )
)]
pub(super) async fn create_token(State(state): State<AppState>, ApiJson(request): ApiJson<CreateToken>) -> Result<Json<TokenCreated>, ApiError> {
    let workspace = state.workspace.clone();
    let token = blocking(move || workspace.store.create_token(request.role).map_err(ApiError::internal)).await?;
    Ok(Json(TokenCreated { token: token.token, id: token.id, role: token.role }))
}

/// Revokes a token at once (admin).
#[utoipa::path(
    delete,
    path = "/api/v1/tokens/{id}",
    tag = "system",
    params(("id" = String, Path, description = "The token's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "`{\"revoked\": id}`", body = Object),
        (status = 401, description = "No or an unknown token", body = ErrorBody),
        (status = 403, description = "The token is not an admin's", body = ErrorBody),
        (status = 404, description = "No token with that id", body = ErrorBody),
    )
)]
pub(super) async fn revoke_token(State(state): State<AppState>, axum::extract::Path(id): axum::extract::Path<String>) -> Result<Json<Value>, ApiError> {
    let workspace = state.workspace.clone();
    let lookup = id.clone();
    let existed = blocking(move || workspace.store.revoke_token(&lookup).map_err(ApiError::internal)).await?;
    if !existed {
        return Err(ApiError::not_found(format!("no token with id {id}")));
    }
    Ok(Json(json!({"revoked": id})))
}

/// Lists tokens: ids and roles, never secrets (admin).
#[utoipa::path(
    get,
    path = "/api/v1/tokens",
    tag = "system",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "`{\"tokens\": [{\"id\", \"role\", …}]}`", body = Object),
        (status = 401, description = "No or an unknown token", body = ErrorBody),
        (status = 403, description = "The token is not an admin's", body = ErrorBody),
    )
)]
pub(super) async fn list_tokens(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let workspace = state.workspace.clone();
    let tokens = blocking(move || workspace.store.tokens().map_err(ApiError::internal)).await?;
    Ok(Json(json!({"tokens": tokens})))
}

pub(super) async fn not_found() -> ApiError {
    ApiError::not_found("no such route")
}

/// The Content-Security-Policy of every response: nothing from elsewhere, no inline
/// scripts, and no inline styles except the audit report's own style sheet, allowed by its
/// hash so that the web UI can show a report in a sandboxed frame (`srcdoc` frames inherit
/// this policy).
fn content_security_policy() -> &'static HeaderValue {
    static CSP: std::sync::OnceLock<HeaderValue> = std::sync::OnceLock::new();
    CSP.get_or_init(|| {
        use base64::Engine;
        use sha2::Digest;
        let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(crate::audit::report::html::STYLE.as_bytes()));
        let policy = format!(
            "default-src 'self'; script-src 'self'; style-src 'self' 'sha256-{hash}'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
        );
        // The policy is ASCII (base64 and fixed text): it is always a valid header value.
        HeaderValue::from_str(&policy).unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"))
    })
}

/// Security headers on every response: no sniffing, no framing, a strict CSP (no inline
/// scripts), no referrer leaks.
pub(crate) async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::CONTENT_SECURITY_POLICY, content_security_policy().clone());
    response
}
