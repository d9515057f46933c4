//! The documented routes and the OpenAPI 3.1 document made from them.
//!
//! Every `/api/v1` route, and `/healthz`, `/readyz` and `/metrics`, is registered here through
//! [`OpenApiRouter::routes`], which adds the axum route and its `#[utoipa::path]` operation in
//! one step: the document served at `/api/v1/openapi.json` cannot list a route the router does
//! not have, nor miss one it has. Routes are grouped by the role they need; the auth layer of
//! a group applies to every route in it.
//!
//! To add a route: annotate the handler with `#[utoipa::path]` (its request and response types
//! derive `ToSchema` or `IntoParams`) and add `.routes(routes!(module::handler))` to the group
//! of the role it needs below. Never register an `/api/v1` route with plain `.route(..)`.

use std::sync::Arc;

use axum::Extension;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::middleware;
use axum::response::IntoResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::ErrorBody;
use super::{AppState, admin, audit, auth, export, jobs, monitor, places, replica, search, system, terms, tm, units};

/// The document's fixed parts: title, description, the bearer scheme and the error schema.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "termbridge",
        description = "Terminology, translation memory, official place names and language-rights checks for Albanian, Serbian (Cyrillic and Latin) and English.\n\nErrors are `{\"error\": {\"code\", \"message\"}}`. Writes need `Authorization: Bearer <token>` of role editor (tokens: admin); reads are open unless the service runs with closed reads."
    ),
    components(schemas(ErrorBody)),
    modifiers(&BearerScheme),
    tags(
        (name = "search", description = "One search over terms, places, translation memory and concordance"),
        (name = "terms", description = "The term base: lookup, recognition, concept writes"),
        (name = "tm", description = "Translation memory: fuzzy match, concordance, unit writes"),
        (name = "places", description = "Official place names, sign checks, municipalities"),
        (name = "audit", description = "Language-rights audits of uploaded document versions"),
        (name = "monitor", description = "Institutions' websites monitored over time: runs, scores, reports, evidence, snapshots"),
        (name = "export", description = "Files of the translation memory and the term base"),
        (name = "system", description = "Health, readiness, metrics, statistics, tokens, this document"),
    )
)]
struct ApiDoc;

/// Declares the `bearer` security scheme the write routes name.
struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).description(Some("A token from `termbridge token create`")).build()),
        );
    }
}

/// The OpenAPI document as served, pretty-printed JSON.
#[derive(Debug, Clone)]
pub(super) struct OpenApiJson(pub Arc<String>);

/// Every documented route, each group behind its auth layer, with the OpenAPI document.
pub(super) fn documented_routes(state: &AppState) -> OpenApiRouter<AppState> {
    let open = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(system::healthz))
        .routes(routes!(system::readyz))
        .routes(routes!(system::metrics))
        .routes(routes!(openapi_json))
        .routes(routes!(docs));

    let reads = OpenApiRouter::new()
        .routes(routes!(system::stats))
        .routes(routes!(search::search))
        .routes(routes!(terms::lookup))
        .routes(routes!(terms::get_concept))
        .routes(routes!(terms::scan))
        .routes(routes!(terms::lint))
        .routes(routes!(tm::match_get, tm::match_post))
        .routes(routes!(tm::concordance_get))
        .routes(routes!(tm::fragments_get))
        .routes(routes!(places::lookup))
        .routes(routes!(places::check))
        .routes(routes!(places::sign))
        .routes(routes!(places::municipalities))
        .routes(routes!(places::municipality))
        .routes(routes!(places::settlements))
        .routes(routes!(places::export_places))
        .routes(routes!(places::place))
        .routes(routes!(export::export))
        .routes(routes!(audit::run_audit))
        .routes(routes!(monitor::list_institutions))
        .routes(routes!(monitor::get_institution))
        .routes(routes!(monitor::list_runs))
        .routes(routes!(monitor::get_report))
        .routes(routes!(monitor::get_evidence))
        .routes(routes!(monitor::list_snapshots))
        .routes(routes!(monitor::get_snapshot))
        // Further read routes are registered here.
        .route_layer(middleware::from_fn_with_state(state.clone(), auth::require_reader));

    let writes = OpenApiRouter::new()
        .routes(routes!(units::add_units))
        .routes(routes!(terms::create_concept))
        .routes(routes!(terms::replace_concept))
        .routes(routes!(terms::delete_concept))
        .routes(routes!(jobs::start_import))
        .routes(routes!(jobs::job_status))
        .routes(routes!(monitor::add_institution))
        .routes(routes!(monitor::remove_institution))
        .routes(routes!(monitor::start))
        .routes(routes!(monitor::job))
        // Further write routes are registered here.
        .route_layer(middleware::from_fn_with_state(state.clone(), auth::require_editor));

    let admin = OpenApiRouter::new()
        .routes(routes!(system::list_tokens, system::create_token))
        .routes(routes!(system::revoke_token))
        .routes(routes!(admin::backup))
        .routes(routes!(replica::refresh))
        .route_layer(middleware::from_fn_with_state(state.clone(), auth::require_admin));

    // Compatible APIs for existing tools (tmserver/amaGama, LanguageTool) are documented
    // groups of their own, merged here with the auth layer they need.
    open.merge(reads).merge(writes).merge(admin)
}

/// The OpenAPI 3.1 document of this service.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "system",
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json", body = Object))
)]
pub(super) async fn openapi_json(Extension(document): Extension<OpenApiJson>) -> impl IntoResponse {
    ([(CONTENT_TYPE, "application/json"), (CACHE_CONTROL, "no-cache")], document.0.as_str().to_string())
}

const DOCS_HTML: &str = include_str!("ui/docs.html");
const DOCS_JS: &str = include_str!("ui/docs.js");
const DOCS_CSS: &str = include_str!("ui/docs.css");

/// A page that renders the OpenAPI document (paths, methods, parameters, schemas); it loads
/// nothing but `/api/v1/openapi.json` and its own script from this service.
#[utoipa::path(
    get,
    path = "/api/v1/docs",
    tag = "system",
    responses((status = 200, description = "The API reference page", content_type = "text/html", body = String))
)]
pub(super) async fn docs() -> impl IntoResponse {
    ([(CONTENT_TYPE, "text/html; charset=utf-8"), (CACHE_CONTROL, "no-cache")], DOCS_HTML)
}

/// The script of the reference page.
pub(super) async fn docs_js() -> impl IntoResponse {
    ([(CONTENT_TYPE, "text/javascript; charset=utf-8"), (CACHE_CONTROL, "no-cache")], DOCS_JS)
}

/// The style sheet of the reference page.
pub(super) async fn docs_css() -> impl IntoResponse {
    ([(CONTENT_TYPE, "text/css; charset=utf-8"), (CACHE_CONTROL, "no-cache")], DOCS_CSS)
}
