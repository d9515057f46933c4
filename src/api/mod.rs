//! The HTTP service: an axum router over the library.
//!
//! Handlers parse the request, run the synchronous core on the blocking pool
//! (`spawn_blocking`) and render JSON; every failure is `{"error": {"code", "message"}}` with a
//! fitting status ([`ApiError`]). Cross-cutting layers, outermost first: metrics, security
//! headers, load shedding (503 past the concurrency limit), request timeout (408), body limit
//! (413), CORS (off unless origins are configured). Writes need a bearer token of role editor;
//! reads are open unless [`ServeConfig::open_reads`] is false. Every route that needs an
//! editor or admin token is listed in [`WRITE_ROUTES`], which the security tests walk: add a
//! new protected route there too. [`serve`] runs the router with slow-client protection,
//! readiness and graceful shutdown.
//!
//! This module knows HTTP; the library below it does not.

mod admin;
mod audit;
mod auth;
pub mod compat;
mod error;
mod export;
mod jobs;
mod metrics;
mod monitor;
mod monitor_runs;
mod openapi;
mod params;
mod places;
pub mod replica;
mod search;
mod server;
mod system;
mod terms;
mod tm;
mod ui;
mod units;
mod upload;

use std::sync::Arc;
use std::time::Duration;

use axum::error_handling::HandleErrorLayer;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use axum::middleware;
use axum::routing::get;
use axum::{Extension, Router};
use tower::ServiceBuilder;
use tower_http::cors::CorsLayer;
use tower_http::limit::RequestBodyLimitLayer;

pub use auth::Caller;
pub use error::{ApiError, ApiJson, ApiQuery, ErrorBody, ErrorDetail};
pub use jobs::{Job, JobStatus, Jobs};
pub use metrics::Metrics;
pub use monitor_runs::{MonitorConfig, MonitorRuns, RunJob, StepsFactory, run_every as run_monitor_every};
pub use server::{Readiness, serve};

use crate::Workspace;
use crate::store::Role;

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
    /// Longest a client may take to send a request's head (request line and headers); the
    /// connection is closed after it. Also bounds idle keep-alive connections.
    pub header_read_timeout: Duration,
    /// Longest shutdown waits for requests in flight.
    pub shutdown_grace: Duration,
}

impl Default for ServeConfig {
    fn default() -> Self {
        ServeConfig {
            open_reads: true,
            max_body_bytes: 64 << 20,
            request_timeout: Duration::from_secs(60),
            max_concurrency: 256,
            cors_origins: Vec::new(),
            header_read_timeout: Duration::from_secs(10),
            shutdown_grace: Duration::from_secs(30),
        }
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
    /// Background import jobs.
    pub jobs: Arc<Jobs>,
    /// Set when the service is a read replica of a folder of backups.
    pub replica: Option<Arc<replica::Replica>>,
    /// How institutions are monitored: the address guard and the steps of a run.
    pub monitor: Arc<MonitorConfig>,
    /// Monitoring runs going on and ended.
    pub monitor_runs: Arc<MonitorRuns>,
}

impl AppState {
    /// State for `workspace` with `config`.
    pub fn new(workspace: Arc<Workspace>, config: ServeConfig) -> AppState {
        AppState {
            workspace,
            config: Arc::new(config),
            metrics: Arc::new(Metrics::new()),
            jobs: Arc::new(Jobs::new()),
            monitor: Arc::new(MonitorConfig::default()),
            monitor_runs: Arc::new(MonitorRuns::default()),
            replica: None,
        }
    }

    /// The same state monitoring with `monitor`.
    pub fn with_monitor(mut self, monitor: MonitorConfig) -> AppState {
        self.monitor = Arc::new(monitor);
        self
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

/// A route that needs a bearer token of role editor or admin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProtectedRoute {
    /// The HTTP method.
    pub method: &'static str,
    /// The route template, `{name}` for a path parameter.
    pub path: &'static str,
    /// The least role that may call it.
    pub role: Role,
}

/// Every route that needs an editor or admin token. The security tests walk this list (no
/// token → 401, a token of a smaller role → 403), so a protected route added to [`router`]
/// belongs here too.
pub const WRITE_ROUTES: &[ProtectedRoute] = &[
    ProtectedRoute { method: "POST", path: "/api/v1/units", role: Role::Editor },
    ProtectedRoute { method: "POST", path: "/api/v1/terms", role: Role::Editor },
    ProtectedRoute { method: "PUT", path: "/api/v1/terms/{concept_id}", role: Role::Editor },
    ProtectedRoute { method: "DELETE", path: "/api/v1/terms/{concept_id}", role: Role::Editor },
    ProtectedRoute { method: "POST", path: "/api/v1/import", role: Role::Editor },
    ProtectedRoute { method: "GET", path: "/api/v1/jobs/{id}", role: Role::Editor },
    ProtectedRoute { method: "GET", path: "/api/v1/tokens", role: Role::Admin },
    ProtectedRoute { method: "POST", path: "/api/v1/tokens", role: Role::Admin },
    ProtectedRoute { method: "DELETE", path: "/api/v1/tokens/{id}", role: Role::Admin },
    ProtectedRoute { method: "POST", path: "/api/v1/admin/backup", role: Role::Admin },
    ProtectedRoute { method: "POST", path: replica::REFRESH_ROUTE, role: Role::Admin },
    ProtectedRoute { method: "POST", path: "/api/v1/monitor/institutions", role: Role::Editor },
    ProtectedRoute { method: "DELETE", path: "/api/v1/monitor/institutions/{id}", role: Role::Editor },
    ProtectedRoute { method: "POST", path: "/api/v1/monitor/institutions/{id}/runs", role: Role::Editor },
    ProtectedRoute { method: "GET", path: "/api/v1/monitor/jobs/{id}", role: Role::Editor },
];

/// The service's routes with every layer.
pub fn router(state: AppState) -> Router {
    let (documented, document) = openapi::documented_routes(&state).split_for_parts();
    let document = openapi::OpenApiJson(Arc::new(document.to_pretty_json().unwrap_or_else(|err| {
        tracing::error!(%err, "cannot render the OpenAPI document");
        String::from("{}")
    })));
    let open = Router::new()
        .route("/", get(ui::index))
        .route("/ui/app.js", get(ui::app_js))
        .route("/ui/monitor.js", get(ui::monitor_js))
        .route("/ui/style.css", get(ui::style_css))
        .route("/ui/docs.js", get(openapi::docs_js))
        .route("/ui/docs.css", get(openapi::docs_css));

    let cors = if state.config.cors_origins.is_empty() {
        None
    } else {
        let origins: Vec<HeaderValue> = state.config.cors_origins.iter().filter_map(|origin| origin.parse().ok()).collect();
        Some(CorsLayer::new().allow_origin(origins).allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE]))
    };
    let config = state.config.clone();
    Router::new()
        .merge(open)
        .merge(documented)
        .layer(Extension(document))
        .merge(compat::routes(state.clone()))
        .fallback(system::not_found)
        // Uploads stream up to the service's own limit, not axum's 2 MB default for extractors.
        .layer(DefaultBodyLimit::disable())
        .layer(RequestBodyLimitLayer::new(config.max_body_bytes))
        // The limit above is the one that counts: without this, axum's extractors stop at
        // their own 2 MiB default with a 400.
        .layer(DefaultBodyLimit::disable())
        .layer(middleware::from_fn_with_state(state.clone(), replica::refuse_writes))
        .layer(middleware::from_fn(error::json_for_bare_statuses))
        .layer(option_layer(cors))
        .layer(
            ServiceBuilder::new()
                .layer(HandleErrorLayer::new(error::handle_overload))
                .load_shed()
                // Router::layer wraps every route on its own: the global layer shares one
                // semaphore among them, so the limit counts all requests, not each route's.
                .layer(tower::limit::GlobalConcurrencyLimitLayer::new(config.max_concurrency))
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
