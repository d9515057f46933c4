//! The HTTP service: an axum router over the library.
//!
//! Handlers parse the request, run the synchronous core on the blocking pool
//! (`spawn_blocking`) and render JSON; every failure is `{"error": {"code", "message"}}` with a
//! fitting status ([`ApiError`]). Cross-cutting layers, outermost first: metrics, security
//! headers, load shedding (503 past the concurrency limit), request timeout (408), body limit
//! (413), CORS (off unless origins are configured). Writes need a bearer token of role editor;
//! reads are open unless [`ServeConfig::open_reads`] is false.
//!
//! This module knows HTTP; the library below it does not.

mod auth;
mod error;
mod metrics;
mod system;
mod ui;
mod units;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::error_handling::HandleErrorLayer;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use axum::middleware;
use axum::routing::{get, post};
use tower::ServiceBuilder;
use tower_http::cors::CorsLayer;
use tower_http::limit::RequestBodyLimitLayer;

pub use auth::Caller;
pub use error::ApiError;
pub use metrics::Metrics;

use crate::Workspace;

/// How the service behaves; `Default` is the safe configuration `serve` uses.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Reads need no token when true.
    pub open_reads: bool,
    /// Largest request body accepted, in bytes (413 above).
    pub max_body_bytes: usize,
    /// Longest a request may take before it is answered 408.
    pub request_timeout: Duration,
    /// Requests served at once; more are shed with 503.
    pub max_concurrency: usize,
    /// Origins allowed by CORS; empty means CORS is off.
    pub cors_origins: Vec<String>,
}

impl Default for ServeConfig {
    fn default() -> Self {
        ServeConfig { open_reads: true, max_body_bytes: 64 << 20, request_timeout: Duration::from_secs(60), max_concurrency: 256, cors_origins: Vec::new() }
    }
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The open data directory.
    pub workspace: Arc<Workspace>,
    /// The service configuration.
    pub config: Arc<ServeConfig>,
    /// Request metrics.
    pub metrics: Arc<Metrics>,
}

impl AppState {
    /// State for `workspace` with `config`.
    pub fn new(workspace: Arc<Workspace>, config: ServeConfig) -> AppState {
        AppState { workspace, config: Arc::new(config), metrics: Arc::new(Metrics::new()) }
    }
}

/// Runs `work` on the blocking pool, mapping a panic or cancellation to a 500.
pub(crate) async fn blocking<T, F>(work: F) -> Result<T, ApiError>
where
    F: FnOnce() -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(work).await.map_err(ApiError::internal)?
}

/// The service's routes with every layer.
pub fn router(state: AppState) -> Router {
    let reads = Router::new().route("/api/v1/stats", get(system::stats)).route_layer(middleware::from_fn_with_state(state.clone(), auth::require_reader));
    let writes = Router::new().route("/api/v1/units", post(units::add_units)).route_layer(middleware::from_fn_with_state(state.clone(), auth::require_editor));
    let admin = Router::new()
        .route("/api/v1/tokens", get(system::list_tokens).post(system::create_token))
        .route_layer(middleware::from_fn_with_state(state.clone(), auth::require_admin));
    let open = Router::new()
        .route("/healthz", get(system::healthz))
        .route("/readyz", get(system::readyz))
        .route("/metrics", get(system::metrics))
        .route("/", get(ui::index))
        .route("/ui/app.js", get(ui::app_js))
        .route("/ui/style.css", get(ui::style_css));

    let cors = if state.config.cors_origins.is_empty() {
        None
    } else {
        let origins: Vec<HeaderValue> = state.config.cors_origins.iter().filter_map(|origin| origin.parse().ok()).collect();
        Some(CorsLayer::new().allow_origin(origins).allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE]))
    };
    let config = state.config.clone();
    Router::new()
        .merge(open)
        .merge(reads)
        .merge(writes)
        .merge(admin)
        .fallback(system::not_found)
        .layer(RequestBodyLimitLayer::new(config.max_body_bytes))
        // The limit above is the one that counts: without this, axum's extractors stop at
        // their own 2 MiB default with a 400.
        .layer(DefaultBodyLimit::disable())
        .layer(middleware::from_fn(error::json_for_bare_statuses))
        .layer(option_layer(cors))
        .layer(
            ServiceBuilder::new()
                .layer(HandleErrorLayer::new(error::handle_overload))
                .load_shed()
                .concurrency_limit(config.max_concurrency)
                .timeout(config.request_timeout),
        )
        .layer(middleware::from_fn(system::security_headers))
        .layer(middleware::from_fn_with_state(state.clone(), metrics::record))
        .with_state(state)
}

fn option_layer<L>(layer: Option<L>) -> tower::util::Either<L, tower::layer::util::Identity> {
    match layer {
        Some(layer) => tower::util::Either::Left(layer),
        None => tower::util::Either::Right(tower::layer::util::Identity::new()),
    }
}
