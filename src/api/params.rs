//! Checks shared by the handlers: required text, language tags and limits, each failure a 400
//! that names the parameter.

use super::ApiError;
use crate::model::lang::LangTag;

/// The text of a required parameter or field: 400 when it is missing or blank.
pub(super) fn required_text(value: Option<String>, name: &str) -> Result<String, ApiError> {
    match value {
        None => Err(ApiError::bad_request(format!("missing parameter `{name}`"))),
        Some(text) if text.trim().is_empty() => Err(ApiError::bad_request(format!("parameter `{name}` is empty"))),
        Some(text) => Ok(text),
    }
}

/// An optional language tag (any common spelling); 400 naming the parameter when unknown.
pub(super) fn optional_lang(value: Option<&str>, name: &str) -> Result<Option<LangTag>, ApiError> {
    match value.map(str::trim).filter(|raw| !raw.is_empty()) {
        None => Ok(None),
        Some(raw) => LangTag::parse(raw)
            .map(Some)
            .map_err(|_| ApiError::bad_request(format!("`{name}`: unknown language {raw:?} (use sq, sr, sr-Latn, sr-Cyrl, en, tr or bs)"))),
    }
}

/// A required language tag.
pub(super) fn required_lang(value: Option<&str>, name: &str) -> Result<LangTag, ApiError> {
    optional_lang(value, name)?.ok_or_else(|| ApiError::bad_request(format!("missing parameter `{name}`")))
}

/// A limit between 1 and `max`, `default` when absent.
pub(super) fn limit(value: Option<usize>, default: usize, max: usize, name: &str) -> Result<usize, ApiError> {
    match value {
        None => Ok(default),
        Some(limit) if (1..=max).contains(&limit) => Ok(limit),
        Some(limit) => Err(ApiError::bad_request(format!("`{name}` must be between 1 and {max}, not {limit}"))),
    }
}
