//! HTTP hardening over real HTTP on 127.0.0.1, served by `termbridge::api::serve` as
//! `termbridge serve` runs it: slow clients are cut off, overload is shed with 503, big
//! bodies get 413, error bodies reveal nothing, the UI is served with a strict CSP and no
//! inline script, tokens are stored hashed and revoked at once, and every protected route
//! refuses missing and too-small tokens.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use termbridge::api::{AppState, Readiness, ServeConfig, WRITE_ROUTES, router};
use termbridge::store::Role;

use super::http::client;

/// The service as `termbridge serve` runs it, on 127.0.0.1 with a temporary data directory.
struct Server {
    addr: String,
    state: AppState,
    dir: tempfile::TempDir,
    _runtime: tokio::runtime::Runtime,
}

impl Server {
    fn start(config: ServeConfig) -> Server {
        let dir = tempfile::tempdir().expect("tempdir");
        let (workspace, _) = termbridge::Workspace::open(dir.path(), &mut |_, _| {}).expect("open workspace");
        let state = AppState::new(Arc::new(workspace), config.clone());
        Server::serve(Readiness::ready(router(state.clone())), config, state, dir)
    }

    fn serve(readiness: Readiness, config: ServeConfig, state: AppState, dir: tempfile::TempDir) -> Server {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
        let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).expect("bind");
        let addr = listener.local_addr().expect("addr").to_string();
        runtime.spawn(async move { termbridge::api::serve(listener, readiness, &config, std::future::pending()).await });
        Server { addr, state, dir, _runtime: runtime }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn token(&self, role: Role) -> String {
        self.state.workspace.store.create_token(role).expect("token").token
    }

    fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(&self.addr).expect("connect");
        stream.set_read_timeout(Some(Duration::from_secs(60))).expect("read timeout");
        stream
    }
}

fn json_of(response: reqwest::blocking::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().expect("body");
    (status, serde_json::from_str(&text).unwrap_or_else(|err| panic!("body is not JSON ({err}): {text}")))
}

/// Reads a whole HTTP/1.1 response from a raw socket (the server closes it afterwards).
fn read_response(stream: &mut TcpStream) -> String {
    let mut response = Vec::new();
    match stream.read_to_end(&mut response) {
        Ok(_) => {}
        Err(err) if err.kind() == ErrorKind::ConnectionReset => {}
        Err(err) => panic!("reading the response failed: {err}"),
    }
    String::from_utf8_lossy(&response).into_owned()
}

#[test]
fn headers_sent_byte_by_byte_are_cut_off() {
    let server = Server::start(ServeConfig { header_read_timeout: Duration::from_secs(1), ..ServeConfig::default() });
    let mut stream = server.connect();
    stream.set_nonblocking(true).expect("nonblocking");
    let head = format!("GET /healthz HTTP/1.1\r\nHost: test\r\n{}\r\n", "X-Slow: a\r\n".repeat(40));
    let mut sent = 0;
    let mut closed = false;
    for byte in head.as_bytes() {
        if stream.write_all(&[*byte]).is_err() {
            closed = true;
            break;
        }
        sent += 1;
        let mut buf = [0u8; 256];
        match stream.read(&mut buf) {
            Ok(_) => {
                // EOF, or an error status followed by the close.
                closed = true;
                break;
            }
            Err(err) if err.kind() == ErrorKind::WouldBlock => {}
            Err(_) => {
                closed = true;
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(closed, "the server kept a connection whose headers trickled in for {sent} bytes");
    assert!(sent < head.len(), "the connection was closed before the headers were complete");
}

#[test]
fn a_body_that_never_finishes_is_answered_408() {
    let server = Server::start(ServeConfig { request_timeout: Duration::from_secs(1), ..ServeConfig::default() });
    let editor = server.token(Role::Editor);
    let mut stream = server.connect();
    write!(stream, "POST /api/v1/units HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer {editor}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"units\": [").expect("send");
    let response = read_response(&mut stream);
    assert!(response.starts_with("HTTP/1.1 408"), "{response}");
    assert!(response.contains("\"code\":\"timeout\""), "{response}");
    assert_eq!(server.state.workspace.store.stats().expect("stats").units, 0);
}

/// Starts a write whose body stops halfway; the request holds a concurrency slot until the
/// rest is sent.
fn slow_write(server: &Server, token: &str, body: &str) -> TcpStream {
    let mut stream = server.connect();
    write!(
        stream,
        "POST /api/v1/units HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .expect("send head");
    stream.write_all(&body.as_bytes()[..body.len() / 2]).expect("send half");
    stream
}

#[test]
fn overload_is_shed_with_503_json() {
    let server = Server::start(ServeConfig { max_concurrency: 2, ..ServeConfig::default() });
    let editor = server.token(Role::Editor);
    let bodies: Vec<String> = (0..2).map(|n| json!({"units": [{"id": format!("u{n}"), "variants": {"en": format!("text {n}")}}]}).to_string()).collect();
    let mut slow: Vec<TcpStream> = bodies.iter().map(|body| slow_write(&server, &editor, body)).collect();
    // The two slow writes take both slots as soon as the server has read their heads; poll
    // until the third request is shed (the count bounds the wait, nothing is timed).
    let mut shed = None;
    for _ in 0..400 {
        let response = client().get(server.url("/healthz")).send().expect("healthz");
        if response.status().as_u16() == 503 {
            shed = Some(json_of(response).1);
            break;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    let shed = shed.expect("a third request while two are in flight is shed");
    assert_eq!(shed["error"]["code"], "overloaded");
    for (stream, body) in slow.iter_mut().zip(&bodies) {
        stream.write_all(&body.as_bytes()[body.len() / 2..]).expect("send the rest");
        let response = read_response_head(stream);
        assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    }
    assert_eq!(client().get(server.url("/healthz")).send().expect("healthz").status().as_u16(), 200, "slots are freed");
    assert_eq!(server.state.workspace.store.stats().expect("stats").units, 2);
}

/// Reads until the end of a keep-alive response's body (small JSON bodies).
fn read_response_head(stream: &mut TcpStream) -> String {
    let mut response = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let read = stream.read(&mut buf).expect("read");
        response.extend_from_slice(&buf[..read]);
        let text = String::from_utf8_lossy(&response);
        if read == 0 || (text.contains("\r\n\r\n") && text.trim_end().ends_with('}')) {
            return text.into_owned();
        }
    }
}

#[test]
fn big_bodies_and_big_multipart_get_413() {
    let server = Server::start(ServeConfig { max_body_bytes: 4096, ..ServeConfig::default() });
    let editor = server.token(Role::Editor);
    let big = json!({"units": [{"variants": {"en": "a".repeat(10_000)}}]}).to_string();
    let (status, error) = json_of(
        client().post(server.url("/api/v1/units")).bearer_auth(&editor).header("content-type", "application/json").body(big.clone()).send().expect("post"),
    );
    assert_eq!((status, error["error"]["code"].as_str()), (413, Some("too_large")));

    // Without a Content-Length (chunked), the limit stops the body as it is read.
    let chunked = reqwest::blocking::Body::new(std::io::Cursor::new(big.into_bytes()));
    let (status, error) =
        json_of(client().post(server.url("/api/v1/units")).bearer_auth(&editor).header("content-type", "application/json").body(chunked).send().expect("post"));
    assert_eq!((status, error["error"]["code"].as_str()), (413, Some("too_large")), "{error}");

    let boundary = "termbridge-test-boundary";
    let multipart = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.tmx\"\r\nContent-Type: application/xml\r\n\r\n{}\r\n--{boundary}--\r\n",
        "<tu/>".repeat(5000)
    );
    let (status, error) = json_of(
        client()
            .post(server.url("/api/v1/units"))
            .bearer_auth(&editor)
            .header("content-type", format!("multipart/form-data; boundary={boundary}"))
            .body(multipart)
            .send()
            .expect("post"),
    );
    assert_eq!((status, error["error"]["code"].as_str()), (413, Some("too_large")));
    assert_eq!(server.state.workspace.store.stats().expect("stats").units, 0);
}

/// What must never appear in an error body.
fn assert_reveals_nothing(what: &str, body: &str, data_dir: &Path) {
    let lower = body.to_lowercase();
    for marker in [".rs:", "src/", "panicked", "backtrace", "rust_", "/tmp", "/home", "/root", "sled", "tantivy", "thread '"] {
        assert!(!lower.contains(marker), "{what}: the error body reveals {marker:?}: {body}");
    }
    assert!(!body.contains(&*data_dir.to_string_lossy()), "{what}: the error body names the data directory: {body}");
    let value: Value = serde_json::from_str(body).unwrap_or_else(|err| panic!("{what}: not JSON ({err}): {body}"));
    assert!(value["error"]["code"].is_string() && value["error"]["message"].is_string(), "{what}: {body}");
}

#[test]
fn error_bodies_reveal_no_internals() {
    let server = Server::start(ServeConfig { max_body_bytes: 1024, open_reads: false, ..ServeConfig::default() });
    let editor = server.token(Role::Editor);
    let reader = server.token(Role::Reader);
    let units = server.url("/api/v1/units");
    let cases: Vec<(&str, reqwest::blocking::RequestBuilder, u16)> = vec![
        ("unknown route", client().get(server.url("/src/main.rs")), 404),
        ("wrong method", client().delete(server.url("/healthz")), 405),
        ("no token", client().get(server.url("/api/v1/stats")), 401),
        ("unknown token", client().get(server.url("/api/v1/stats")).bearer_auth("tb_0123456789abcdef_nope"), 401),
        ("malformed authorization", client().get(server.url("/api/v1/stats")).header("authorization", "Basic abc"), 401),
        ("small role", client().post(&units).bearer_auth(&reader).json(&json!({"units": []})), 403),
        ("malformed JSON", client().post(&units).bearer_auth(&editor).header("content-type", "application/json").body("{\"units\": [}"), 400),
        ("wrong JSON shape", client().post(&units).bearer_auth(&editor).json(&json!({"units": [{"variants": {"en": 5}}]})), 400),
        ("unknown field", client().post(&units).bearer_auth(&editor).json(&json!({"units": [], "drop": true})), 400),
        ("no content type", client().post(&units).bearer_auth(&editor).body("{}"), 415),
        ("too large", client().post(&units).bearer_auth(&editor).header("content-type", "application/json").body("x".repeat(4096)), 413),
    ];
    for (what, request, expected) in cases {
        let response = request.send().unwrap_or_else(|err| panic!("{what}: {err}"));
        let status = response.status().as_u16();
        let content_type = response.headers().get("content-type").map(|value| value.to_str().unwrap_or("").to_string()).unwrap_or_default();
        let body = response.text().expect("body");
        assert_eq!(status, expected, "{what}: {body}");
        assert!(content_type.starts_with("application/json"), "{what}: content type {content_type}");
        assert_reveals_nothing(what, &body, server.dir.path());
    }
}

#[test]
fn the_ui_has_a_strict_csp_and_no_inline_script() {
    let server = Server::start(ServeConfig::default());
    for path in ["/", "/ui/app.js", "/ui/style.css"] {
        let response = client().get(server.url(path)).send().expect("get");
        assert_eq!(response.status().as_u16(), 200, "{path}");
        let headers = response.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert!(headers.contains_key("referrer-policy"), "{path}");
        let csp = headers["content-security-policy"].to_str().expect("csp").to_string();
        let directive = |name: &str| csp.split(';').map(str::trim).find(|part| part.starts_with(name)).map(str::to_string);
        let scripts = directive("script-src").or_else(|| directive("default-src")).expect("a script policy");
        assert!(!scripts.contains("unsafe-inline") && !scripts.contains("unsafe-eval") && !scripts.contains('*'), "{path}: {csp}");
        assert_eq!(directive("frame-ancestors").as_deref(), Some("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(directive("object-src").as_deref(), Some("object-src 'none'"), "{path}: {csp}");
    }
    let html = client().get(server.url("/")).send().expect("get").text().expect("html").to_lowercase();
    let mut rest = html.as_str();
    let mut scripts = 0;
    while let Some(start) = rest.find("<script") {
        let tag_end = rest[start..].find('>').expect("script tag closes") + start;
        let tag = &rest[start..=tag_end];
        assert!(tag.contains(" src="), "inline script: {tag}");
        assert!(rest[tag_end + 1..].starts_with("</script>"), "a script element has a body: {}", &rest[start..(tag_end + 80).min(rest.len())]);
        scripts += 1;
        rest = &rest[tag_end + 1..];
    }
    assert!(scripts >= 1, "the page loads its script from a file");
    // No event-handler attributes (onclick=, onload= …) in any tag.
    for tag in html.split('<').skip(1).map(|part| part.split('>').next().unwrap_or("")) {
        for attribute in tag.split_whitespace().skip(1) {
            let name = attribute.split('=').next().unwrap_or("");
            assert!(!(name.starts_with("on") && attribute.contains('=') && name.len() > 2), "event handler attribute in <{tag}>");
        }
    }
    assert!(!html.contains("javascript:"), "no javascript: URLs");
}

/// Every file under `dir`, read whole.
fn all_bytes(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        for entry in std::fs::read_dir(&path).expect("list") {
            let entry = entry.expect("entry");
            if entry.file_type().expect("type").is_dir() {
                stack.push(entry.path());
            } else {
                files.push((entry.path().display().to_string(), std::fs::read(entry.path()).unwrap_or_default()));
            }
        }
    }
    files
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|window| window == needle)
}

#[test]
fn tokens_are_stored_hashed_and_revoked_at_once() {
    let server = Server::start(ServeConfig { open_reads: false, ..ServeConfig::default() });
    let admin = server.token(Role::Admin);
    let (status, created) = json_of(client().post(server.url("/api/v1/tokens")).bearer_auth(&admin).json(&json!({"role": "reader"})).send().expect("create"));
    assert_eq!(status, 200);
    let token = created["token"].as_str().expect("token").to_string();
    let id = created["id"].as_str().expect("id").to_string();
    let secret = token.rsplit('_').next().expect("secret").to_string();
    assert_eq!(secret.len(), 64);

    server.state.workspace.store.flush().expect("flush");
    let files = all_bytes(server.dir.path());
    assert!(files.iter().any(|(_, bytes)| contains(bytes, id.as_bytes())), "the token's public id is in the store (the scan sees records)");
    for (path, bytes) in &files {
        assert!(!contains(bytes, secret.as_bytes()), "{path} holds the token secret");
        assert!(!contains(bytes, &secret.as_bytes()[..16]), "{path} holds part of the token secret");
    }

    let (status, _) = json_of(client().get(server.url("/api/v1/stats")).bearer_auth(&token).send().expect("stats"));
    assert_eq!(status, 200);
    let (status, revoked) = json_of(client().delete(server.url(&format!("/api/v1/tokens/{id}"))).bearer_auth(&admin).send().expect("revoke"));
    assert_eq!((status, revoked["revoked"].as_str()), (200, Some(id.as_str())));
    let (status, error) = json_of(client().get(server.url("/api/v1/stats")).bearer_auth(&token).send().expect("stats"));
    assert_eq!(status, 401, "a revoked token is refused on the very next request: {error}");
    let (status, _) = json_of(client().delete(server.url(&format!("/api/v1/tokens/{id}"))).bearer_auth(&admin).send().expect("revoke again"));
    assert_eq!(status, 404);
}

#[test]
fn every_protected_route_refuses_missing_and_small_tokens() {
    let server = Server::start(ServeConfig::default());
    let tokens = [(Role::Reader, server.token(Role::Reader)), (Role::Editor, server.token(Role::Editor)), (Role::Admin, server.token(Role::Admin))];
    assert!(WRITE_ROUTES.len() >= 5);
    for route in WRITE_ROUTES {
        // Path parameters get a well-formed value that names nothing.
        let path: String = route.path.split('/').map(|part| if part.starts_with('{') { "0000000000000000" } else { part }).collect::<Vec<_>>().join("/");
        let method = reqwest::Method::from_bytes(route.method.as_bytes()).expect("method");
        let request = |token: Option<&str>| {
            let mut request = client().request(method.clone(), server.url(&path)).header("content-type", "application/json").body("{}");
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            let response = request.send().expect("send");
            let status = response.status().as_u16();
            (status, response.bytes().expect("body"))
        };
        let (status, body) = request(None);
        assert_eq!(status, 401, "{} {} without a token: {}", route.method, route.path, String::from_utf8_lossy(&body));
        for (role, token) in &tokens {
            let (status, body) = request(Some(token));
            let text = String::from_utf8_lossy(&body);
            if *role < route.role {
                assert_eq!(status, 403, "{} {} with a {} token: {text}", route.method, route.path, role.as_str());
            } else {
                assert!(
                    ![401, 403, 405].contains(&status) && !text.contains("no such route"),
                    "{} {} is routed and lets {} in: {status} {text}",
                    route.method,
                    route.path,
                    role.as_str()
                );
            }
        }
    }
}

#[test]
fn readiness_until_the_service_is_ready() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (workspace, _) = termbridge::Workspace::open(dir.path(), &mut |_, _| {}).expect("open workspace");
    let config = ServeConfig::default();
    let state = AppState::new(Arc::new(workspace), config.clone());
    let readiness = Readiness::default();
    let server = Server::serve(readiness.clone(), config, state.clone(), dir);
    let (status, body) = json_of(client().get(server.url("/readyz")).send().expect("readyz"));
    assert_eq!((status, body["status"].as_str()), (503, Some("starting")));
    let (status, _) = json_of(client().get(server.url("/healthz")).send().expect("healthz"));
    assert_eq!(status, 200, "alive while starting");
    let (status, body) = json_of(client().get(server.url("/api/v1/stats")).send().expect("stats"));
    assert_eq!((status, body["error"]["code"].as_str()), (503, Some("starting")));
    readiness.set_ready(router(state));
    let (status, body) = json_of(client().get(server.url("/readyz")).send().expect("readyz"));
    assert_eq!((status, body["status"].as_str()), (200, Some("ready")));
}
