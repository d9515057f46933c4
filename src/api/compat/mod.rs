//! Compatible endpoints: the wire formats of services that existing tools already speak, so
//! they use termbridge without a plug-in.
//!
//! - [`amagama`]: the amaGama / tmserver translation-memory API that Weblate's and Virtaal's
//!   TM back ends call (`GET /tmserver/{source}/{target}/unit/{text}`,
//!   `GET /tmserver/languages/`).
//! - [`languagetool`]: the LanguageTool HTTP API v2 that LibreOffice and many editors call
//!   (`POST /v2/check`, `GET /v2/languages`), answering with termbridge's place-name,
//!   terminology, script, diacritics and encoding checks as rules.
//!
//! Both are reads: they follow the server's read policy (open by default; with closed reads
//! they need a bearer token like any other read). They are not part of `/api/v1` and not
//! described by its OpenAPI document: their contract is the original services' behaviour.

pub mod amagama;
pub mod languagetool;

use axum::Router;
use axum::middleware;
use axum::routing::get;

use super::{AppState, auth};

/// The compatible routes, behind the read policy.
pub fn routes(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/tmserver/languages/", get(amagama::languages))
        .route("/tmserver/languages", get(amagama::languages))
        .route("/tmserver/{source}/{target}/unit/", get(amagama::unit_by_query))
        .route("/tmserver/{source}/{target}/unit/{*text}", get(amagama::unit))
        .route("/v2/check", get(languagetool::check).post(languagetool::check))
        .route("/v2/languages", get(languagetool::languages))
        .route_layer(middleware::from_fn_with_state(state, auth::require_reader))
}
