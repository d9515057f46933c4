//! The one table from failures to HTTP statuses and error codes ([`status_of`], from the
//! [`ErrorClass`] every library error has), and the words of each [`Hint`] over HTTP (the
//! query parameter or JSON field that supplies what is missing). Bodies are always
//! `{"error": {"code", "message"}}`; 5xx bodies say nothing about the cause, the log gets
//! everything.

use axum::Json;
use axum::body::Body;
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::json;
use utoipa::ToSchema;

use crate::problem::{Classify, ErrorClass, Hint};

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ErrorDetail,
}

/// The code and message of an error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code: `bad_request`, `unauthorized`, `forbidden`, `not_found`,
    /// `conflict`, `too_large`, `unsupported_media_type`, `method_not_allowed`, `timeout`,
    /// `overloaded`, `unavailable`, `insufficient_storage`, `internal`.
    #[schema(example = "bad_request")]
    pub code: String,
    /// What to fix, for people.
    #[schema(example = "missing query parameter `q`")]
    pub message: String,
}

/// The one table from an error's class to the HTTP status and the `code` of the body.
///
/// | class | status | code |
/// |---|---|---|
/// | input | 400 | `bad_request` |
/// | not found | 404 | `not_found` |
/// | conflict | 409 | `conflict` |
/// | refused | 503 | `unavailable` |
/// | out of space | 507 | `insufficient_storage` |
/// | internal | 500 | `internal` |
pub fn status_of(class: ErrorClass) -> (StatusCode, &'static str) {
    match class {
        ErrorClass::Input => (StatusCode::BAD_REQUEST, "bad_request"),
        ErrorClass::NotFound => (StatusCode::NOT_FOUND, "not_found"),
        ErrorClass::Conflict => (StatusCode::CONFLICT, "conflict"),
        ErrorClass::Refused => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
        ErrorClass::OutOfSpace => (StatusCode::INSUFFICIENT_STORAGE, "insufficient_storage"),
        ErrorClass::Internal => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
    }
}

/// What the service tells a client to do for a hint, naming the query parameters and JSON
/// fields of its routes (`source_lang`, `target_lang` and `format` on every route that takes
/// them); `None` for hints no route can act on (flags of the command line only).
pub fn hint_words(hint: Hint) -> Option<&'static str> {
    match hint {
        Hint::SourceLanguage => Some("give the source language in `source_lang`"),
        Hint::TargetLanguage => Some("give the target language in `target_lang`"),
        Hint::SourceAndTargetLanguages => Some("give the languages in `source_lang` and `target_lang`"),
        Hint::Format => Some("give the format in `format` (tmx, xliff, po, csv, tsv or tbx)"),
        Hint::TermsFormat => Some("give the format in `format` (tbx or csv)"),
        Hint::FileLanguages | Hint::Force | Hint::OtherDataDir | Hint::CheckIds => None,
    }
}

/// `message` followed by what to do about `hint`, in the service's words.
pub fn with_hint(message: String, hint: Option<Hint>) -> String {
    match hint.and_then(hint_words) {
        Some(words) => format!("{message}; {words}"),
        None => message,
    }
}

/// An error answered as `{"error": {"code", "message"}}`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiError {
    /// An error with an explicit status and code.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status, code, message: message.into() }
    }

    /// 400: the request is malformed.
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    /// 401: no or an unknown token.
    pub fn unauthorized(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    /// 403: the token's role is not enough.
    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    /// 404: nothing there.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// 409: the request conflicts with what is stored.
    pub fn conflict(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, "conflict", message)
    }

    /// 500: we failed; the cause is logged, not returned.
    pub fn internal(cause: impl std::fmt::Display) -> ApiError {
        tracing::error!(%cause, "internal error");
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "internal error; see the server log")
    }

    /// The answer to a library error: its class gives the status ([`status_of`]); the message
    /// (with the hint in the service's words) goes to the client for what the client can
    /// fix, to the log for the rest.
    pub fn from_error<E: Classify + std::fmt::Display>(err: E) -> ApiError {
        ApiError::classified(err.class(), err.hint(), err.to_string())
    }

    /// [`ApiError::from_error`] with the message given (e.g. with server paths replaced by
    /// the client's file names).
    pub fn classified(class: ErrorClass, hint: Option<Hint>, message: String) -> ApiError {
        let (status, code) = status_of(class);
        match class {
            ErrorClass::Internal => ApiError::internal(message),
            ErrorClass::OutOfSpace => {
                tracing::error!(cause = %message, "out of space");
                ApiError::new(status, code, "the server's disk is full")
            }
            _ => ApiError::new(status, code, with_hint(message, hint)),
        }
    }

    /// The answer to a JSON body that could not be read: 413 when it is larger than the body
    /// limit, 415 without a JSON content type, 400 otherwise.
    pub fn from_json_rejection(rejection: axum::extract::rejection::JsonRejection) -> ApiError {
        match rejection.status() {
            StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", "the request body is larger than the limit"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", rejection.body_text()),
            _ => ApiError::bad_request(rejection.body_text()),
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(json!({"error": {"code": self.code, "message": self.message}}))).into_response()
    }
}

/// A JSON request body whose rejections (malformed JSON, wrong types, missing fields, wrong
/// content type) are answered in the JSON error format with a message naming the problem.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => {
                // Well-formed JSON of the wrong shape is bad input like any other: 400, not 422.
                let status = match rejection.status() {
                    StatusCode::UNPROCESSABLE_ENTITY => StatusCode::BAD_REQUEST,
                    other => other,
                };
                let code = match status {
                    StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
                    StatusCode::PAYLOAD_TOO_LARGE => "too_large",
                    _ => "bad_request",
                };
                let text = rejection.body_text();
                let message = text
                    .strip_prefix("Failed to deserialize the JSON body into the target type: ")
                    .map(|detail| format!("JSON body: {detail}"))
                    .or_else(|| text.strip_prefix("Failed to parse the request body as JSON: ").map(|detail| format!("malformed JSON body: {detail}")))
                    .unwrap_or(text);
                Err(ApiError::new(status, code, message))
            }
        }
    }
}

/// A query string whose rejections (missing or ill-typed parameters) are answered in the JSON
/// error format with a message naming the parameter.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(ApiQuery(value)),
            Err(rejection) => {
                let text = rejection.body_text();
                let detail = text.strip_prefix("Failed to deserialize query string: ").unwrap_or(&text);
                let message = if let Some(rest) = detail.strip_prefix("missing field `") {
                    format!("missing query parameter `{rest}")
                } else if let Some((name, problem)) = detail.split_once(": ").filter(|(name, _)| name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')) {
                    format!("query parameter `{name}`: {problem}")
                } else {
                    format!("query string: {detail}")
                };
                Err(ApiError::bad_request(message))
            }
        }
    }
}

/// Maps the errors of the timeout and load-shedding layers.
pub(super) async fn handle_overload(err: tower::BoxError) -> ApiError {
    if err.is::<tower::timeout::error::Elapsed>() {
        ApiError::new(StatusCode::REQUEST_TIMEOUT, "timeout", "the request took too long")
    } else if err.is::<tower::load_shed::error::Overloaded>() {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "overloaded", "too many requests at once; retry shortly")
    } else {
        ApiError::internal(err)
    }
}

/// Marks a response whose error body is already in the wire format a compatible client
/// expects (LanguageTool answers bad requests in plain text), so it is passed on as it is.
#[derive(Debug, Clone, Copy)]
pub(crate) struct WireFormat;

/// Gives a JSON body to bare error responses produced below the handlers (the body limit's
/// 413, axum's rejections without a JSON body, 405), so no client ever sees a plain-text or
/// HTML error.
pub(super) async fn json_for_bare_statuses(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) || response.extensions().get::<WireFormat>().is_some() {
        return response;
    }
    let is_json = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/json"));
    if is_json {
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, 64 << 10).await.unwrap_or_default();
    let detail = String::from_utf8_lossy(&bytes).trim().to_string();
    let (code, message) = match status {
        StatusCode::PAYLOAD_TOO_LARGE => ("too_large", "the request body is larger than the limit".to_string()),
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "this route does not take that method".to_string()),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("unsupported_media_type", if detail.is_empty() { "unsupported content type".to_string() } else { detail }),
        _ if status.is_server_error() => ("internal", "internal error; see the server log".to_string()),
        _ => ("bad_request", if detail.is_empty() { status.canonical_reason().unwrap_or("bad request").to_string() } else { detail }),
    };
    let mut fixed = Response::from_parts(parts, Body::from(json!({"error": {"code": code, "message": message}}).to_string()));
    fixed.headers_mut().insert(axum::http::header::CONTENT_TYPE, axum::http::HeaderValue::from_static("application/json"));
    fixed.headers_mut().remove(axum::http::header::CONTENT_LENGTH);
    fixed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_map_to_statuses_and_internal_causes_stay_in_the_log() {
        for (class, status) in [
            (ErrorClass::Input, 400),
            (ErrorClass::NotFound, 404),
            (ErrorClass::Conflict, 409),
            (ErrorClass::Refused, 503),
            (ErrorClass::OutOfSpace, 507),
            (ErrorClass::Internal, 500),
        ] {
            let err = ApiError::classified(class, Some(Hint::TargetLanguage), "m.po: no language".into());
            assert_eq!(err.status().as_u16(), status, "{class:?}");
            assert_eq!(err.message.contains("m.po"), class.is_user(), "{class:?}: {}", err.message);
        }
        let err = ApiError::classified(ErrorClass::Input, Some(Hint::TargetLanguage), "m.po: no language".into());
        assert_eq!(err.message, "m.po: no language; give the target language in `target_lang`");
    }
}
