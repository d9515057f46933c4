//! Translation-unit writes over JSON: `POST /api/v1/units` stores a batch all-or-nothing.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::{ApiJson, ErrorBody};
use super::{ApiError, AppState, blocking};
use crate::WorkspaceError;
use crate::model::lang::LangTag;
use crate::model::{TranslationUnit, Variant, resolve_script};
use crate::problem::{Classify, ErrorClass};

/// One translation unit to store.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = UnitInput)]
pub(super) struct UnitIn {
    /// The unit's external id (default: a hash of its content).
    id: Option<String>,
    /// Language tag → text.
    #[schema(example = json!({"en": "Decision 11 of 2024", "sq": "Vendimi 11 i vitit 2024"}))]
    variants: BTreeMap<String, String>,
}

/// A batch of translation units, stored all or nothing.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = UnitsInput)]
pub(super) struct UnitsIn {
    /// The collection to store into (default `default`).
    #[serde(default = "default_collection")]
    collection: String,
    /// The units.
    units: Vec<UnitIn>,
}

/// What a unit write stored.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct UnitsWritten {
    /// Units in the request.
    read: usize,
    /// Units stored (new).
    stored: usize,
    /// Units already stored with the same content.
    duplicates: usize,
}

fn default_collection() -> String {
    "default".to_string()
}

fn to_unit(index: usize, unit: UnitIn, collection: &str) -> Result<TranslationUnit, ApiError> {
    let mut variants = Vec::with_capacity(unit.variants.len());
    for (tag, text) in unit.variants {
        let tag = LangTag::parse(&tag).map_err(|err| ApiError::bad_request(format!("units[{index}].variants: {err}")))?;
        if text.trim().is_empty() {
            continue;
        }
        let text = crate::text::nfc(&text).into_owned();
        variants.push(Variant::new(resolve_script(tag, &text), text));
    }
    if variants.is_empty() {
        return Err(ApiError::bad_request(format!("units[{index}] has no non-empty variant")));
    }
    let mut stored = TranslationUnit {
        id: unit.id.unwrap_or_default(),
        collection: collection.to_string(),
        variants,
        props: BTreeMap::new(),
        notes: Vec::new(),
        created: None,
        changed: None,
    };
    if stored.id.is_empty() {
        stored.id = format!("{:016x}", stored.key());
    }
    Ok(stored)
}

/// Stores translation units all or nothing, durably; the match and search indexes see them at once.
#[utoipa::path(
    post,
    path = "/api/v1/units",
    tag = "tm",
    request_body = UnitsIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Stored", body = UnitsWritten),
        (status = 400, description = "Malformed JSON, an unknown language or an empty unit", body = ErrorBody),
        (status = 401, description = "No or an unknown token", body = ErrorBody),
        (status = 403, description = "The token is not an editor's", body = ErrorBody),
    )
)]
pub(super) async fn add_units(State(state): State<AppState>, ApiJson(request): ApiJson<UnitsIn>) -> Result<Json<UnitsWritten>, ApiError> {
    let units = request.units.into_iter().enumerate().map(|(index, unit)| to_unit(index, unit, &request.collection)).collect::<Result<Vec<_>, _>>()?;
    let workspace = state.workspace.clone();
    let read = units.len();
    let summary = blocking(move || workspace.add_units(&units).map_err(write_error)).await?;
    Ok(Json(UnitsWritten { read, stored: summary.stored, duplicates: summary.duplicates }))
}

/// The answer to a failed write: 507 when the disk is full (the cause goes to the log), 500
/// otherwise; both say whether the units were stored.
fn write_error(err: WorkspaceError) -> ApiError {
    let stored = err.was_stored();
    if err.class() != ErrorClass::OutOfSpace {
        return ApiError::internal(err);
    }
    tracing::error!(cause = %err, "write failed: no space");
    let message = if stored {
        "the units were stored, but the server's disk is full and the search index misses them until it is rebuilt"
    } else {
        "the server's disk is full; nothing of this write was stored"
    };
    let (status, code) = super::error::status_of(ErrorClass::OutOfSpace);
    ApiError::new(status, code, message)
}
