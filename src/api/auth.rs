//! Bearer-token authorisation. Tokens are verified against the store (hashed, constant-time);
//! a missing or unknown token is 401, a known token of too small a role is 403.

use axum::extract::{Request, State};
use axum::http::header::AUTHORIZATION;
use axum::middleware::Next;
use axum::response::Response;

use super::{ApiError, AppState, blocking};
use crate::store::Role;

/// Who is calling, as established by the auth layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caller {
    /// The token's role, or `None` for an anonymous caller of an open route.
    pub role: Option<Role>,
}

fn bearer_token(request: &Request) -> Result<Option<String>, ApiError> {
    let Some(header) = request.headers().get(AUTHORIZATION) else { return Ok(None) };
    let value = header.to_str().map_err(|_| ApiError::unauthorized("the Authorization header is not valid text"))?;
    match value.strip_prefix("Bearer ") {
        Some(token) => Ok(Some(token.trim().to_string())),
        None => Err(ApiError::unauthorized("the Authorization header must be \"Bearer <token>\"")),
    }
}

async fn caller_role(state: &AppState, token: Option<String>) -> Result<Option<Role>, ApiError> {
    let Some(token) = token else { return Ok(None) };
    let workspace = state.workspace.clone();
    let role = blocking(move || workspace.store.verify_token(&token).map_err(ApiError::internal)).await?;
    match role {
        Some(role) => Ok(Some(role)),
        None => Err(ApiError::unauthorized("unknown or revoked token")),
    }
}

async fn require(state: AppState, needed: Role, mut request: Request, next: Next) -> Result<Response, ApiError> {
    let token = bearer_token(&request)?;
    let role = caller_role(&state, token).await?;
    let allowed = match role {
        Some(role) => role >= needed,
        None if needed == Role::Reader && state.config.open_reads => true,
        None => return Err(ApiError::unauthorized(format!("this route needs a bearer token of role {} or higher", needed.as_str()))),
    };
    if !allowed {
        return Err(ApiError::forbidden(format!("this route needs role {} or higher", needed.as_str())));
    }
    request.extensions_mut().insert(Caller { role });
    Ok(next.run(request).await)
}

/// Lets readers through (everyone when reads are open).
pub(super) async fn require_reader(State(state): State<AppState>, request: Request, next: Next) -> Result<Response, ApiError> {
    require(state, Role::Reader, request, next).await
}

/// Lets editors and admins through.
pub(super) async fn require_editor(State(state): State<AppState>, request: Request, next: Next) -> Result<Response, ApiError> {
    require(state, Role::Editor, request, next).await
}

/// Lets admins through.
pub(super) async fn require_admin(State(state): State<AppState>, request: Request, next: Next) -> Result<Response, ApiError> {
    require(state, Role::Admin, request, next).await
}
