//! The HTTP/1.1 server loop: accepts connections, protects itself from slow clients, answers
//! "starting" until the service is ready, and shuts down gracefully.
//!
//! - Slow clients: a connection must deliver a request's head (request line and headers)
//!   within [`ServeConfig::header_read_timeout`], or it is closed; this also bounds idle
//!   keep-alive connections. A body that does not arrive is cut off by the request timeout
//!   (the body is read inside the handler, under the timeout layer), answered 408.
//! - Readiness: until [`Readiness::set_ready`] hands over the full router, `/healthz` is 200,
//!   `/readyz` is 503 `{"status": "starting"}` and every other route is 503 `starting`.
//!   Once shutdown begins, `/readyz` answers 503 `{"status": "stopping"}`.
//! - Shutdown: when `shutdown` completes the listener is closed, idle connections are closed,
//!   requests in flight run to completion (up to [`ServeConfig::shutdown_grace`]).
//!
//! - Refused bodies: a request answered before its body was read (a 413 from the size limit,
//!   a 401 before an upload) has the rest of its body read and discarded, up to
//!   [`DRAIN_MAX_BYTES`] and the request timeout, before the answer is sent. Closing a socket
//!   with unread data makes the kernel reset the connection, and a client still sending would
//!   see that reset instead of the answer.
//!
//! axum's own `serve` sets no timer, so hyper's header timeout never fires there; that is why
//! this loop exists.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use http_body::{Frame, SizeHint};
use http_body_util::BodyExt;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use serde_json::json;
use tokio::net::TcpListener;
use tower::ServiceExt;

use super::{ApiError, ServeConfig};

/// How the server learns that the service is ready, and tells handlers that it is stopping.
#[derive(Clone, Default)]
pub struct Readiness {
    router: Arc<RwLock<Option<Router>>>,
    stopping: Arc<AtomicBool>,
}

impl std::fmt::Debug for Readiness {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Readiness").field("ready", &self.is_ready()).field("stopping", &self.is_stopping()).finish()
    }
}

impl Readiness {
    /// A service that is ready at once with `router`.
    pub fn ready(router: Router) -> Readiness {
        let readiness = Readiness::default();
        readiness.set_ready(router);
        readiness
    }

    /// Hands over the full router: from now on every request goes to it. Later calls are
    /// ignored (a replica hands over a new one with [`Readiness::swap`]).
    pub fn set_ready(&self, router: Router) {
        let mut slot = self.router.write().unwrap_or_else(PoisonError::into_inner);
        if slot.is_none() {
            *slot = Some(router);
        }
    }

    /// Replaces the full router: requests that began before keep the old one, every later
    /// request goes to `router`. The service stays ready throughout.
    pub fn swap(&self, router: Router) {
        *self.router.write().unwrap_or_else(PoisonError::into_inner) = Some(router);
    }

    /// True once [`Readiness::set_ready`] was called.
    pub fn is_ready(&self) -> bool {
        self.router.read().unwrap_or_else(PoisonError::into_inner).is_some()
    }

    /// True once shutdown has begun.
    pub fn is_stopping(&self) -> bool {
        self.stopping.load(Ordering::Relaxed)
    }
}

/// The routes served while the data directory is still being opened.
fn starting_router() -> Router {
    Router::new()
        .route("/healthz", get(|| async { axum::Json(json!({"status": "starting"})) }))
        .route("/readyz", get(|| async { (StatusCode::SERVICE_UNAVAILABLE, axum::Json(json!({"status": "starting"}))) }))
        .fallback(|| async { ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "starting", "the service is starting; retry shortly") })
        .layer(axum::middleware::from_fn(super::system::security_headers))
}

/// Most bytes of a refused body read and discarded before the answer; a larger rest is cut
/// off by closing the connection.
pub const DRAIN_MAX_BYTES: u64 = 64 << 20;

/// A request body that the server keeps a hold on, so that what the handler left unread can
/// be drained after it answered.
struct SharedBody(Arc<Mutex<Option<Body>>>);

impl SharedBody {
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Body>> {
        // Polling a body does not panic while holding the lock in any way that leaves it
        // inconsistent: a poisoned lock still holds a usable body.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl http_body::Body for SharedBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        match self.lock().as_mut() {
            Some(body) => Pin::new(body).poll_frame(cx),
            None => Poll::Ready(None),
        }
    }

    fn is_end_stream(&self) -> bool {
        self.lock().as_ref().is_none_or(http_body::Body::is_end_stream)
    }

    fn size_hint(&self) -> SizeHint {
        self.lock().as_ref().map_or_else(|| SizeHint::with_exact(0), http_body::Body::size_hint)
    }
}

/// Reads and discards the rest of `body`, up to [`DRAIN_MAX_BYTES`].
async fn drain(mut body: Body) {
    let mut drained = 0u64;
    while let Some(Ok(frame)) = body.frame().await {
        if let Some(data) = frame.data_ref() {
            drained += data.len() as u64;
            if drained > DRAIN_MAX_BYTES {
                return;
            }
        }
    }
}

async fn dispatch(readiness: Readiness, starting: Router, request: Request, drain_timeout: Duration) -> Response {
    if readiness.is_stopping() && request.uri().path() == "/readyz" {
        return (StatusCode::SERVICE_UNAVAILABLE, axum::Json(json!({"status": "stopping"}))).into_response();
    }
    let router = readiness.router.read().unwrap_or_else(PoisonError::into_inner).clone().unwrap_or(starting);
    let declared = request.headers().get(header::CONTENT_LENGTH).and_then(|value| value.to_str().ok()?.parse::<u64>().ok());
    let (parts, body) = request.into_parts();
    let shared = Arc::new(Mutex::new(Some(body)));
    let request = Request::from_parts(parts, Body::new(SharedBody(shared.clone())));
    let response = match router.oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    let rest = SharedBody(shared).lock().take();
    // A body that timed out is not waited for again; one declared larger than the bound is
    // not worth reading.
    let worth_draining = response.status() != StatusCode::REQUEST_TIMEOUT && declared.is_none_or(|length| length <= DRAIN_MAX_BYTES);
    if let Some(rest) = rest
        && worth_draining
        && !http_body::Body::is_end_stream(&rest)
    {
        let _ = tokio::time::timeout(drain_timeout, drain(rest)).await;
    }
    response
}

/// Serves `readiness`'s router (or the starting routes) on `listener` until `shutdown`
/// completes, then finishes the requests in flight. Returns when every connection is closed
/// or the grace period is over.
pub async fn serve(listener: TcpListener, readiness: Readiness, config: &ServeConfig, shutdown: impl Future<Output = ()>) -> std::io::Result<()> {
    let starting = starting_router();
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut connections = tokio::task::JoinSet::new();
    let header_read_timeout = config.header_read_timeout;
    let drain_timeout = config.request_timeout;
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    Err(err) => {
                        // Out of file descriptors and the like: wait a little, keep serving.
                        tracing::warn!(%err, "cannot accept a connection");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let readiness = readiness.clone();
                let starting = starting.clone();
                let mut stop_rx = stop_rx.clone();
                connections.spawn(async move {
                    let service = tower::service_fn(move |request: Request<hyper::body::Incoming>| {
                        let readiness = readiness.clone();
                        let starting = starting.clone();
                        async move { Ok::<_, std::convert::Infallible>(dispatch(readiness, starting, request.map(Body::new), drain_timeout).await) }
                    });
                    let mut builder = hyper::server::conn::http1::Builder::new();
                    builder.timer(TokioTimer::new()).header_read_timeout(header_read_timeout).max_buf_size(64 << 10);
                    let connection = builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
                    tokio::pin!(connection);
                    tokio::select! {
                        result = connection.as_mut() => {
                            if let Err(err) = result {
                                tracing::debug!(%err, "connection closed with an error");
                            }
                        }
                        _ = stop_rx.changed() => {
                            connection.as_mut().graceful_shutdown();
                            if let Err(err) = connection.await {
                                tracing::debug!(%err, "connection closed with an error during shutdown");
                            }
                        }
                    }
                });
            }
        }
    }
    drop(listener);
    readiness.stopping.store(true, Ordering::Relaxed);
    let in_flight = connections.len();
    tracing::info!(connections = in_flight, "shutting down: no new connections; finishing requests in flight");
    let _ = stop_tx.send(true);
    let drained = tokio::time::timeout(config.shutdown_grace, async { while connections.join_next().await.is_some() {} }).await;
    if drained.is_err() {
        tracing::warn!(connections = connections.len(), grace_s = config.shutdown_grace.as_secs(), "closing connections still open after the grace period");
        connections.abort_all();
    }
    Ok(())
}
