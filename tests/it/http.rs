//! The HTTP service over real HTTP on 127.0.0.1: health, errors, auth, limits, metrics.

use std::sync::Arc;

use serde_json::{Value, json};
use termbridge::api::{AppState, Readiness, ServeConfig, router};
use termbridge::store::Role;

/// A running service on 127.0.0.1 with a temporary data directory, served by the same loop
/// as `termbridge serve`.
pub struct TestServer {
    pub base: String,
    pub state: AppState,
    _dir: tempfile::TempDir,
    _runtime: tokio::runtime::Runtime,
}

impl TestServer {
    pub fn start(config: ServeConfig) -> TestServer {
        TestServer::start_in(tempfile::tempdir().expect("tempdir"), config)
    }

    /// Serves the data directory `dir` (prepared by the caller, e.g. with a term base).
    pub fn start_in(dir: tempfile::TempDir, config: ServeConfig) -> TestServer {
        let (workspace, _) = termbridge::Workspace::open(dir.path(), &mut |_, _| {}).expect("open workspace");
        let state = AppState::new(Arc::new(workspace), config.clone());
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
        let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let readiness = Readiness::ready(router(state.clone()));
        runtime.spawn(async move { termbridge::api::serve(listener, readiness, &config, std::future::pending()).await });
        TestServer { base, state, _dir: dir, _runtime: runtime }
    }

    pub fn token(&self, role: Role) -> String {
        self.state.workspace.store.create_token(role).expect("token").token
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

pub fn client() -> reqwest::blocking::Client {
    super::support::http_client().timeout(std::time::Duration::from_secs(30)).build().expect("client")
}

fn json_of(response: reqwest::blocking::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().expect("body");
    (status, serde_json::from_str(&text).unwrap_or_else(|err| panic!("body is not JSON ({err}): {text}")))
}

#[test]
fn health_and_readiness() {
    let server = TestServer::start(ServeConfig::default());
    let (status, body) = json_of(client().get(server.url("/healthz")).send().expect("healthz"));
    assert_eq!((status, body["status"].as_str()), (200, Some("ok")));
    let (status, body) = json_of(client().get(server.url("/readyz")).send().expect("readyz"));
    assert_eq!((status, body["status"].as_str()), (200, Some("ready")));
}

#[test]
fn unknown_routes_and_methods_answer_json() {
    let server = TestServer::start(ServeConfig::default());
    let (status, body) = json_of(client().get(server.url("/no/such/route")).send().expect("get"));
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "not_found");
    let (status, body) = json_of(client().delete(server.url("/healthz")).send().expect("delete"));
    assert_eq!(status, 405);
    assert_eq!(body["error"]["code"], "method_not_allowed");
}

#[test]
fn writes_need_an_editor_token() {
    let server = TestServer::start(ServeConfig::default());
    let body = json!({"units": [{"id": "u1", "variants": {"en": "Municipal Assembly", "sq": "Kuvendi i Komunës", "sr": "Скупштина општине"}}]});
    let (status, error) = json_of(client().post(server.url("/api/v1/units")).json(&body).send().expect("post"));
    assert_eq!(status, 401, "{error}");
    let reader = server.token(Role::Reader);
    let (status, _) = json_of(client().post(server.url("/api/v1/units")).bearer_auth(&reader).json(&body).send().expect("post"));
    assert_eq!(status, 403);
    let (status, _) = json_of(client().post(server.url("/api/v1/units")).bearer_auth("tb_0000000000000000_nope").json(&body).send().expect("post"));
    assert_eq!(status, 401);
    let editor = server.token(Role::Editor);
    let (status, summary) = json_of(client().post(server.url("/api/v1/units")).bearer_auth(&editor).json(&body).send().expect("post"));
    assert_eq!(status, 200, "{summary}");
    assert_eq!(summary["stored"], 1);
    let (_, stats) = json_of(client().get(server.url("/api/v1/stats")).send().expect("stats"));
    assert_eq!(stats["units"], 1);
    assert_eq!(stats["indexed_variants"], 3);
}

#[test]
fn token_management_needs_admin() {
    let server = TestServer::start(ServeConfig::default());
    let editor = server.token(Role::Editor);
    let (status, _) = json_of(client().post(server.url("/api/v1/tokens")).bearer_auth(&editor).json(&json!({"role": "reader"})).send().expect("post"));
    assert_eq!(status, 403);
    let admin = server.token(Role::Admin);
    let (status, created) = json_of(client().post(server.url("/api/v1/tokens")).bearer_auth(&admin).json(&json!({"role": "reader"})).send().expect("post"));
    assert_eq!(status, 200);
    assert!(created["token"].as_str().expect("token").starts_with("tb_"));
    let (_, listed) = json_of(client().get(server.url("/api/v1/tokens")).bearer_auth(&admin).send().expect("list"));
    assert_eq!(listed["tokens"].as_array().expect("array").len(), 3);
    assert!(!listed.to_string().contains(created["token"].as_str().expect("token")), "secrets are never listed");
}

#[test]
fn closed_reads_need_a_token() {
    let server = TestServer::start(ServeConfig { open_reads: false, ..ServeConfig::default() });
    let (status, _) = json_of(client().get(server.url("/api/v1/stats")).send().expect("stats"));
    assert_eq!(status, 401);
    let reader = server.token(Role::Reader);
    let (status, _) = json_of(client().get(server.url("/api/v1/stats")).bearer_auth(reader).send().expect("stats"));
    assert_eq!(status, 200);
}

#[test]
fn malformed_and_oversized_bodies() {
    let server = TestServer::start(ServeConfig { max_body_bytes: 1024, ..ServeConfig::default() });
    let editor = server.token(Role::Editor);
    let post = |body: String| {
        client().post(server.url("/api/v1/units")).bearer_auth(&editor).header("content-type", "application/json").body(body).send().expect("post")
    };
    let (status, error) = json_of(post("{\"units\": [".to_string()));
    assert_eq!(status, 400);
    assert_eq!(error["error"]["code"], "bad_request");
    let (status, error) = json_of(post(json!({"units": [{"variants": {"xx": "a"}}]}).to_string()));
    assert_eq!(status, 400);
    assert!(error["error"]["message"].as_str().expect("message").contains("units[0].variants"), "{error}");
    let big = json!({"units": [{"variants": {"en": "a".repeat(4096)}}]}).to_string();
    let (status, error) = json_of(post(big));
    assert_eq!(status, 413);
    assert_eq!(error["error"]["code"], "too_large");
    assert_eq!(server.state.workspace.store.stats().expect("stats").units, 0, "nothing stored by failed requests");
}

#[test]
fn metrics_and_security_headers() {
    let server = TestServer::start(ServeConfig::default());
    client().get(server.url("/healthz")).send().expect("healthz");
    let response = client().get(server.url("/metrics")).send().expect("metrics");
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    assert!(response.headers()["content-security-policy"].to_str().expect("csp").contains("frame-ancestors 'none'"));
    let text = response.text().expect("text");
    assert!(text.contains("termbridge_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1"), "{text}");
    assert!(text.contains("termbridge_http_request_duration_seconds_bucket"), "{text}");
    assert!(text.contains("termbridge_units 0"), "{text}");
}

#[test]
fn bodies_up_to_the_configured_limit_are_accepted() {
    // Larger than axum's own 2 MiB extractor default, smaller than the configured 64 MiB.
    let server = TestServer::start(ServeConfig::default());
    let editor = server.token(Role::Editor);
    let units: Vec<Value> = (0..6_000).map(|unit| json!({"id": format!("u{unit}"), "variants": {"en": format!("{unit} {}", "x".repeat(400))}})).collect();
    let body = json!({"units": units});
    assert!(body.to_string().len() > 2 << 20);
    let (status, summary) = json_of(client().post(server.url("/api/v1/units")).bearer_auth(&editor).json(&body).send().expect("post"));
    assert_eq!(status, 200, "{summary}");
    assert_eq!(summary["stored"], 6_000);
}
