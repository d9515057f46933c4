//! `/api/v1/monitor` over real HTTP on 127.0.0.1: the address guard, institutions, runs as
//! background jobs (one an institution at a time), the trend, the report's JSON contract, the
//! evidence package verified against its manifest, and stored snapshots served as text.
//!
//! Most runs read a recorded site through the run use case's `Steps` (every URL on
//! 127.0.0.1, nothing fetched): the service's crawler is reached through the same trait. One
//! test starts `termbridge serve --monitor-allow-private` and crawls a fixture website served
//! on 127.0.0.1 live, over HTTP from start to report. Shipped presets are added too.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use termbridge::api::{AppState, MonitorConfig, Readiness, ServeConfig, StepsFactory, router};
use termbridge::formats::document::{Document, DocumentFormat, parse_text};
use termbridge::model::lang::LangTag;
use termbridge::model::monitor::{CrawlEvent, FailureKind, FetchedPage, PageGroup, PairMethod, RefusalKind, Snapshot};
use termbridge::problem::ErrorClass;
use termbridge::store::Role;
use termbridge::usecase::monitor::{Page, PreviousLookup, Steps};

use super::http::client;
use super::monitor_crawl::{Site, html, status};
use super::support::{ServerProcess, run_json};

/// The service on 127.0.0.1 with a temporary data directory and the given monitoring.
pub struct MonitorServer {
    pub base: String,
    pub state: AppState,
    _dir: tempfile::TempDir,
    _runtime: tokio::runtime::Runtime,
}

impl MonitorServer {
    pub fn start(monitor: MonitorConfig) -> MonitorServer {
        let dir = tempfile::tempdir().expect("tempdir");
        let config = ServeConfig::default();
        let (workspace, _) = termbridge::Workspace::open(dir.path(), &mut |_, _| {}).expect("open workspace");
        let state = AppState::new(Arc::new(workspace), config.clone()).with_monitor(monitor);
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
        let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let readiness = Readiness::ready(router(state.clone()));
        runtime.spawn(async move { termbridge::api::serve(listener, readiness, &config, std::future::pending()).await });
        MonitorServer { base, state, _dir: dir, _runtime: runtime }
    }

    pub fn token(&self, role: Role) -> String {
        self.state.workspace.store.create_token(role).expect("token").token
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn get(&self, path: &str) -> (u16, Value) {
        json_of(client().get(self.url(path)).send().expect("get"))
    }

    fn send(&self, method: reqwest::Method, path: &str, token: Option<&str>, body: Option<&Value>) -> (u16, Value) {
        let mut request = client().request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        json_of(request.send().expect("send"))
    }

    /// Waits for run job `job` to end and returns it (the run is on the blocking pool).
    pub fn wait_for_job(&self, job: &str, editor: &str) -> Value {
        for _ in 0..1200 {
            let (status, body) = self.send(reqwest::Method::GET, &format!("/api/v1/monitor/jobs/{job}"), Some(editor), None);
            assert_eq!(status, 200, "{body}");
            if matches!(body["status"].as_str(), Some("done" | "failed")) {
                return body;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("run job {job} never ended");
    }

    /// Starts a run of `id` and waits for it to end; the job as it ended.
    pub fn run(&self, id: &str, editor: &str) -> Value {
        let (status, started) = self.send(reqwest::Method::POST, &format!("/api/v1/monitor/institutions/{id}/runs"), Some(editor), None);
        assert_eq!(status, 202, "{started}");
        self.wait_for_job(started["job"].as_str().expect("job id"), editor)
    }
}

fn json_of(response: reqwest::blocking::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().expect("body");
    (status, serde_json::from_str(&text).unwrap_or_else(|err| panic!("body is not JSON ({err}): {text}")))
}

/// A page of the recorded site, served as HTML.
fn page(url: &str, body: &str) -> CrawlEvent {
    CrawlEvent::Page(FetchedPage {
        snapshot: Snapshot {
            url: url.into(),
            final_url: url.into(),
            status: 200,
            fetched_at: 1_765_000_000,
            headers: BTreeMap::from([("content-type".to_string(), "text/html; charset=utf-8".to_string())]),
            hash: String::new(),
            body_len: body.len() as u64,
            lastmod: None,
            depth: 0,
        },
        body: body.as_bytes().to_vec(),
    })
}

fn group(urls: &[(&str, &str)]) -> PageGroup {
    PageGroup {
        urls: urls.iter().map(|(lang, url)| (lang.to_string(), url.to_string())).collect(),
        tags: urls.iter().map(|(lang, _)| (lang.to_string(), LangTag::parse(lang).expect("tag"))).collect(),
        method: (urls.len() > 1).then_some(PairMethod::Hreflang),
        confidence: if urls.len() > 1 { 1.0 } else { 0.0 },
        ..PageGroup::default()
    }
}

pub const SITE: &str = "http://127.0.0.1:9";

/// A municipality's site as recorded: a notice in both languages, a decision only in
/// Albanian, a notice whose Serbian counterpart answers 404, a page robots.txt refuses. From
/// the second run on, the decision has its Serbian version too (the score rises).
struct Recorded {
    run: usize,
    gate: Option<Gate>,
}

/// Holds a crawl until the test opens it.
#[derive(Clone, Default)]
pub struct Gate(Arc<(Mutex<bool>, Condvar)>);

impl Gate {
    pub fn open(&self) {
        let (open, changed) = &*self.0;
        *open.lock().expect("gate") = true;
        changed.notify_all();
    }

    fn wait(&self) {
        let (open, changed) = &*self.0;
        let mut is_open = open.lock().expect("gate");
        while !*is_open {
            is_open = changed.wait(is_open).expect("gate");
        }
    }
}

impl Recorded {
    fn events(&self) -> Vec<CrawlEvent> {
        let mut events = vec![
            page(&format!("{SITE}/sq/lajme"), "<h1>Komuna hap konkurs për mësues të rinj.</h1><script>alert(1)</script>"),
            page(&format!("{SITE}/sr/vesti"), "<h1>Општина отвара конкурс за нове наставнике.</h1>"),
            page(&format!("{SITE}/sq/vendim"), "Vendim për buxhetin e vitit 2026."),
            page(&format!("{SITE}/sq/njoftim"), "Njoftim për banorët e komunës."),
            CrawlEvent::Failed { url: format!("{SITE}/sr/obavestenje"), kind: FailureKind::Status, status: Some(404), detail: "404".into(), referrer: None },
            CrawlEvent::Refused { url: format!("{SITE}/admin"), kind: RefusalKind::Robots, detail: "robots.txt".into() },
        ];
        if self.run > 0 {
            events.push(page(&format!("{SITE}/sr/odluka"), "Одлука о буџету за 2026. годину."));
        }
        events
    }

    fn groups(&self) -> Vec<PageGroup> {
        let mut groups = vec![group(&[("sq", &format!("{SITE}/sq/lajme")), ("sr", &format!("{SITE}/sr/vesti"))])];
        if self.run > 0 {
            groups.push(group(&[("sq", &format!("{SITE}/sq/vendim")), ("sr", &format!("{SITE}/sr/odluka"))]));
        } else {
            groups.push(group(&[("sq", &format!("{SITE}/sq/vendim"))]));
        }
        groups.push(group(&[("sq", &format!("{SITE}/sq/njoftim"))]));
        groups
    }
}

impl Steps for Recorded {
    fn crawl(
        &self,
        _seeds: &[String],
        _previous: &PreviousLookup,
        sink: &mut dyn FnMut(CrawlEvent),
        fetched: &mut dyn FnMut(usize),
    ) -> Result<(), (String, ErrorClass)> {
        if let Some(gate) = &self.gate {
            gate.wait();
        }
        for (n, event) in self.events().into_iter().enumerate() {
            sink(event);
            fetched(n + 1);
        }
        Ok(())
    }

    fn read_page(&self, page: &FetchedPage) -> Result<Page, String> {
        let url = page.snapshot.url.clone();
        let text = String::from_utf8(page.body.clone()).map_err(|err| err.to_string())?;
        let lang = url.split('/').nth(3).unwrap_or("sq");
        let tag = if lang == "sr" { LangTag::parse("sr-Cyrl") } else { LangTag::parse(lang) };
        let alternates = if url.ends_with("/sq/njoftim") { vec![("sr".to_string(), format!("{SITE}/sr/obavestenje"))] } else { Vec::new() };
        Ok(Page {
            tag: tag.ok(),
            document: Some(Document::new(url.clone(), DocumentFormat::Text, parse_text(&text))),
            url,
            alternates,
            switchers: Vec::new(),
            listing: false,
        })
    }

    fn pair(&self, _pages: &[Page]) -> Vec<PageGroup> {
        self.groups()
    }
}

/// Steps reading the recorded site, one run after another; each run's crawl waits for
/// `gate` when one is given.
pub fn recorded_site(gate: Option<Gate>) -> StepsFactory {
    let runs = Arc::new(AtomicUsize::new(0));
    Arc::new(move || Box::new(Recorded { run: runs.fetch_add(1, Ordering::SeqCst), gate: gate.clone() }) as Box<dyn Steps>)
}

/// A service allowing private addresses, with institution `klina` added and run twice over
/// HTTP; its editor token.
pub fn monitored() -> (MonitorServer, String) {
    let server = MonitorServer::start(MonitorConfig { allow_private: true, steps: recorded_site(None) });
    let editor = server.token(Role::Editor);
    let body = json!({"id": "klina", "name": "Komuna e Klinës", "urls": [format!("{SITE}/sq/")], "source": "test fixture"});
    let (status, added) = server.send(reqwest::Method::POST, "/api/v1/monitor/institutions", Some(&editor), Some(&body));
    assert_eq!(status, 201, "{added}");
    for _ in 0..2 {
        let job = server.run("klina", &editor);
        assert_eq!(job["status"], "done", "{job}");
    }
    (server, editor)
}

#[test]
fn addresses_in_private_networks_are_refused_unless_allowed() {
    let server = MonitorServer::start(MonitorConfig::default());
    let editor = server.token(Role::Editor);
    for url in ["http://127.0.0.1:9/", "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://[::1]/"] {
        // Literal addresses only: the test resolves no name.
        let body = json!({"id": "inside", "urls": [url]});
        let (status, error) = server.send(reqwest::Method::POST, "/api/v1/monitor/institutions", Some(&editor), Some(&body));
        assert_eq!(status, 403, "{url}: {error}");
        let message = error["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains("private") && message.contains(url.trim_end_matches('/')), "the answer says why: {message}");
    }
    let (_, listed) = server.get("/api/v1/monitor/institutions");
    assert_eq!(listed["institutions"], json!([]), "nothing refused was stored");

    let allowing = MonitorServer::start(MonitorConfig { allow_private: true, ..MonitorConfig::default() });
    let editor = allowing.token(Role::Editor);
    let body = json!({"id": "inside", "urls": ["http://127.0.0.1:9/"], "municipality": "Prizren"});
    let (status, added) = allowing.send(reqwest::Method::POST, "/api/v1/monitor/institutions", Some(&editor), Some(&body));
    assert_eq!(status, 201, "{added}");
    assert_eq!(added["institution"]["municipality"], "Prizren");
    assert!(added["institution"]["required"].as_array().is_some_and(|langs| langs.contains(&json!("tr"))), "{added}");
    // Validation still applies when private addresses are allowed.
    let (status, error) =
        allowing.send(reqwest::Method::POST, "/api/v1/monitor/institutions", Some(&editor), Some(&json!({"id": "Bad Id", "urls": ["http://127.0.0.1/"]})));
    assert_eq!(status, 400, "{error}");
    let (status, error) =
        allowing.send(reqwest::Method::POST, "/api/v1/monitor/institutions", Some(&editor), Some(&json!({"id": "x", "urls": ["ftp://127.0.0.1/"]})));
    assert_eq!(status, 400, "{error}");
}

#[test]
fn institutions_are_added_listed_shown_and_removed_with_the_right_tokens() {
    let server = MonitorServer::start(MonitorConfig { allow_private: true, ..MonitorConfig::default() });
    let (editor, reader) = (server.token(Role::Editor), server.token(Role::Reader));
    let body = json!({"id": "ferizaj", "name": "Komuna e Ferizajt", "urls": ["http://127.0.0.1:9/"], "municipality": "Uroševac"});
    let post = |token: Option<&str>| server.send(reqwest::Method::POST, "/api/v1/monitor/institutions", token, Some(&body));
    assert_eq!(post(None).0, 401);
    assert_eq!(post(Some(&reader)).0, 403, "a reader cannot add");
    let (status, added) = post(Some(&editor));
    assert_eq!(status, 201, "{added}");
    assert_eq!((added["replaced"].as_bool(), added["institution"]["municipality"].as_str()), (Some(false), Some("Ferizaj")));

    let (status, listed) = server.get("/api/v1/monitor/institutions");
    assert_eq!(status, 200);
    let first = &listed["institutions"][0];
    assert_eq!((first["id"].as_str(), first["runs"].as_u64(), first["last_score"].is_null()), (Some("ferizaj"), Some(0), true), "{listed}");
    let (status, shown) = server.get("/api/v1/monitor/institutions/ferizaj");
    assert_eq!((status, shown["name"].as_str()), (200, Some("Komuna e Ferizajt")));
    let (status, runs) = server.get("/api/v1/monitor/institutions/ferizaj/runs");
    assert_eq!((status, runs["runs"].clone()), (200, json!([])));
    let (status, error) = server.get("/api/v1/monitor/institutions/ferizaj/report");
    assert_eq!(status, 404, "no run yet: {error}");

    for path in [
        "/api/v1/monitor/institutions/nowhere",
        "/api/v1/monitor/institutions/nowhere/runs",
        "/api/v1/monitor/institutions/nowhere/report",
        "/api/v1/monitor/institutions/nowhere/evidence",
    ] {
        let (status, error) = server.get(path);
        assert_eq!((status, error["error"]["code"].as_str()), (404, Some("not_found")), "{path}: {error}");
    }
    let (status, _) = server.send(reqwest::Method::POST, "/api/v1/monitor/institutions/nowhere/runs", Some(&editor), None);
    assert_eq!(status, 404);

    assert_eq!(server.send(reqwest::Method::DELETE, "/api/v1/monitor/institutions/ferizaj", Some(&reader), None).0, 403);
    let (status, removed) = server.send(reqwest::Method::DELETE, "/api/v1/monitor/institutions/ferizaj", Some(&editor), None);
    assert_eq!((status, removed["id"].as_str()), (200, Some("ferizaj")), "{removed}");
    assert_eq!(server.get("/api/v1/monitor/institutions/ferizaj").0, 404);
}

#[test]
fn one_run_an_institution_at_a_time() {
    let gate = Gate::default();
    let server = MonitorServer::start(MonitorConfig { allow_private: true, steps: recorded_site(Some(gate.clone())) });
    let (editor, reader) = (server.token(Role::Editor), server.token(Role::Reader));
    let body = json!({"id": "klina", "urls": [format!("{SITE}/sq/")]});
    assert_eq!(server.send(reqwest::Method::POST, "/api/v1/monitor/institutions", Some(&editor), Some(&body)).0, 201);
    let runs = "/api/v1/monitor/institutions/klina/runs";
    assert_eq!(server.send(reqwest::Method::POST, runs, Some(&reader), None).0, 403, "a reader cannot start a run");
    let (status, started) = server.send(reqwest::Method::POST, runs, Some(&editor), None);
    assert_eq!((status, started["institution"].as_str()), (202, Some("klina")), "{started}");
    let job = started["job"].as_str().expect("job").to_string();
    // The first run holds in its crawl until the gate opens: a second is refused meanwhile.
    let (status, error) = server.send(reqwest::Method::POST, runs, Some(&editor), None);
    assert_eq!(status, 409, "{error}");
    assert!(error["error"]["message"].as_str().unwrap_or_default().contains(&job), "the answer names the running job: {error}");
    let (_, listed) = server.get(runs);
    assert_eq!(listed["running_job"].as_str(), Some(job.as_str()));
    assert_eq!(server.send(reqwest::Method::DELETE, "/api/v1/monitor/institutions/klina", Some(&editor), None).0, 409, "not removed while it runs");
    gate.open();
    let ended = server.wait_for_job(&job, &editor);
    assert_eq!(ended["status"], "done", "{ended}");
    assert_eq!(ended["result"]["pages_fetched"], 4, "{ended}");
    let again = server.run("klina", &editor);
    assert_eq!(again["status"], "done", "a run may start once the last has ended: {again}");
    let (_, listed) = server.get(runs);
    assert_eq!(listed["runs"].as_array().map(Vec::len), Some(2), "{listed}");
    assert!(listed["running_job"].is_null());
}

#[test]
fn a_run_whose_crawler_refuses_the_address_fetches_nothing_and_says_so() {
    // Private addresses may be added here, but the crawl itself runs with the crawler's
    // defaults, which refuse them at every request.
    let server = MonitorServer::start(MonitorConfig { allow_private: true, ..MonitorConfig::default() });
    let editor = server.token(Role::Editor);
    let body = json!({"id": "klina", "urls": [format!("{SITE}/sq/")]});
    assert_eq!(server.send(reqwest::Method::POST, "/api/v1/monitor/institutions", Some(&editor), Some(&body)).0, 201);
    let job = server.run("klina", &editor);
    assert_eq!(job["status"], "done", "{job}");
    assert_eq!(job["result"]["pages_fetched"], 0, "{job}");
    assert_eq!(job["result"]["pages_refused"], 1, "{job}");
    assert_eq!(job["result"]["documents"], 0, "{job}");
}

#[test]
fn runs_give_the_trend_the_report_and_verified_evidence() {
    let (server, _) = monitored();
    let (status, runs) = server.get("/api/v1/monitor/institutions/klina/runs");
    assert_eq!(status, 200);
    let runs = runs["runs"].as_array().expect("runs").clone();
    assert_eq!(runs.len(), 2);
    assert!(runs[0]["id"].as_u64() < runs[1]["id"].as_u64(), "oldest first");
    for run in &runs {
        assert!(run["score"].as_f64().is_some_and(|score| (0.0..=100.0).contains(&score)), "{run}");
        assert_eq!((run["pages_fetched"].as_u64(), run["pages_refused"].as_u64()), (Some(if run == &runs[0] { 4 } else { 5 }), Some(1)), "{run}");
    }
    assert!(runs[1]["documents_missing_versions"].as_u64() < runs[0]["documents_missing_versions"].as_u64(), "the decision was translated: {runs:?}");
    assert!(runs[1]["score"].as_f64() > runs[0]["score"].as_f64(), "the score rises with it: {runs:?}");
    let (_, listed) = server.get("/api/v1/monitor/institutions");
    assert_eq!(listed["institutions"][0]["last_score"], runs[1]["score"]);
    assert_eq!(listed["institutions"][0]["last_run"], runs[1]["id"]);

    // The JSON contract of `monitor report`, for the first run.
    let first = runs[0]["id"].as_u64().expect("id");
    let (status, report) = server.get(&format!("/api/v1/monitor/institutions/klina/report?run={first}"));
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["institution"], "klina");
    for field in ["id", "started", "finished", "pages_fetched", "pages_refused"] {
        assert!(report["run"][field].is_u64(), "run.{field}: {report}");
    }
    assert_eq!(report["run"]["id"], first);
    assert!(report["score"].is_number());
    assert!(report["findings_by_check"].is_object());
    let documents = report["documents"].as_array().expect("documents");
    assert_eq!(documents.len(), 3, "{report}");
    let only_albanian = documents.iter().find(|doc| doc["urls"] == json!({"sq": format!("{SITE}/sq/vendim")})).expect("the decision");
    assert_eq!(only_albanian["missing"], json!(["sr"]), "{only_albanian}");
    let both = documents.iter().find(|doc| doc["urls"]["sr"] == format!("{SITE}/sr/vesti")).expect("the notice in both");
    assert_eq!(both["script"]["sr"], "Cyrl", "{both}");
    for finding in documents.iter().flat_map(|doc| doc["findings"].as_array().expect("findings")) {
        for field in ["check", "severity", "lang", "url", "line", "message"] {
            assert!(!finding[field].is_null(), "finding.{field}: {finding}");
        }
    }
    assert!(report["findings_by_check"]["missing-version"].as_u64().is_some_and(|n| n >= 2), "{}", report["findings_by_check"]);

    let (status, latest) = server.get("/api/v1/monitor/institutions/klina/report");
    assert_eq!((status, latest["run"]["id"].clone()), (200, runs[1]["id"].clone()), "the latest run by default");
    let csv = client().get(server.url("/api/v1/monitor/institutions/klina/report?format=csv")).send().expect("csv");
    assert!(csv.headers()["content-type"].to_str().unwrap_or_default().starts_with("text/csv"));
    assert!(csv.text().expect("csv").starts_with("run,check,severity,lang,url,line,message"));
    let html = client().get(server.url("/api/v1/monitor/institutions/klina/report?format=html")).send().expect("html");
    assert!(html.headers()["content-disposition"].to_str().unwrap_or_default().starts_with("attachment"), "saved, not shown in this origin");
    assert!(html.text().expect("html").contains("Komuna e Klinës"));
    assert_eq!(server.get("/api/v1/monitor/institutions/klina/report?format=pdf").0, 400);
    assert_eq!(server.get("/api/v1/monitor/institutions/klina/report?run=999999").0, 404);

    // The evidence package verifies against its manifest.
    let zip = client().get(server.url(&format!("/api/v1/monitor/institutions/klina/evidence?run={first}"))).send().expect("evidence");
    assert_eq!(zip.status().as_u16(), 200);
    assert_eq!(zip.headers()["content-type"], "application/zip");
    let bytes = zip.bytes().expect("zip").to_vec();
    let manifest = termbridge::monitor::evidence::verify(std::io::Cursor::new(&bytes)).expect("the package verifies");
    assert_eq!((manifest.institution.id.as_str(), manifest.run.id), ("klina", first));
    let cited: Vec<&str> = manifest.snapshots.iter().map(|snapshot| snapshot.url.as_str()).collect();
    assert!(cited.contains(&format!("{SITE}/sq/vendim").as_str()) && cited.contains(&format!("{SITE}/sr/vesti").as_str()), "{cited:?}");
    let zip = client().get(server.url("/api/v1/monitor/institutions/klina/evidence?check=missing-version")).send().expect("evidence");
    let manifest = termbridge::monitor::evidence::verify(std::io::Cursor::new(zip.bytes().expect("zip").to_vec())).expect("verifies");
    assert_eq!(manifest.check.as_deref(), Some("missing-version"));
    assert!(!manifest.snapshots.iter().any(|snapshot| snapshot.url.ends_with("/sr/vesti")), "only the pages the check's findings rest on");
}

#[test]
fn stored_pages_are_served_as_text_never_as_pages() {
    let (server, _) = monitored();
    let (status, listed) = server.get("/api/v1/monitor/institutions/klina/snapshots");
    assert_eq!(status, 200, "{listed}");
    let snapshots = listed["snapshots"].as_array().expect("snapshots");
    let news = snapshots.iter().find(|snapshot| snapshot["url"] == format!("{SITE}/sq/lajme")).expect("the news page");
    assert_eq!(news["content_type"], "text/html; charset=utf-8");
    let hash = news["hash"].as_str().expect("hash");
    let response = client().get(server.url(&format!("/api/v1/monitor/institutions/klina/snapshots/{hash}"))).send().expect("snapshot");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["content-type"], "text/plain; charset=utf-8", "HTML is shown as text");
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    assert!(response.text().expect("body").contains("<script>alert(1)</script>"), "the body as fetched");
    assert_eq!(server.get(&format!("/api/v1/monitor/institutions/other/snapshots/{hash}")).0, 404, "a page of another institution");
    assert_eq!(server.get(&format!("/api/v1/monitor/institutions/klina/snapshots/{}", "0".repeat(64))).0, 404);
    assert_eq!(server.get("/api/v1/monitor/institutions/klina/snapshots/..%2F..%2Fetc").0, 404);
}

#[test]
fn a_preset_is_added_over_http_by_an_editor() {
    // The service refuses private addresses and resolves none here: the shipped addresses are
    // not checked by the guard (the crawler checks every request).
    let server = MonitorServer::start(MonitorConfig::default());
    let (editor, reader) = (server.token(Role::Editor), server.token(Role::Reader));
    let body = json!({"preset": "kosovo-municipalities"});
    assert_eq!(server.send(reqwest::Method::POST, "/api/v1/monitor/institutions", Some(&reader), Some(&body)).0, 403);
    let (status, added) = server.send(reqwest::Method::POST, "/api/v1/monitor/institutions", Some(&editor), Some(&body));
    assert_eq!(status, 201, "{added}");
    assert_eq!(added["preset"], "kosovo-municipalities");
    let institutions = added["added"].as_array().expect("added");
    let skipped = added["skipped"].as_array().expect("skipped");
    assert_eq!(institutions.len() + skipped.len(), 38, "{added}");
    let kline = institutions.iter().find(|one| one["institution"]["id"] == "mun:kline").expect("mun:kline");
    assert!(kline["institution"]["source"].as_str().is_some_and(|source| source.starts_with("http")), "{kline}");
    assert_eq!(kline["institution"]["required"], json!(["sq", "sr"]));
    assert!(skipped.iter().all(|row| row["id"].as_str().is_some_and(|id| id.starts_with("mun:")) && row["note"].is_string()), "{added}");

    let (_, listed) = server.get("/api/v1/monitor/institutions");
    assert_eq!(listed["institutions"].as_array().map(Vec::len), Some(institutions.len()));
    let (status, shown) = server.get("/api/v1/monitor/institutions/mun:kline");
    assert_eq!((status, shown["municipality"].as_str()), (200, Some("Klinë")), "{shown}");
    let (status, again) = server.send(reqwest::Method::POST, "/api/v1/monitor/institutions", Some(&editor), Some(&body));
    assert_eq!(status, 201);
    assert!(again["added"].as_array().expect("added").iter().all(|one| one["replaced"] == true), "the same ids: {again}");

    let (status, error) = server.send(reqwest::Method::POST, "/api/v1/monitor/institutions", Some(&editor), Some(&json!({"preset": "kosovo-villages"})));
    assert_eq!(status, 400, "{error}");
    assert!(error["error"]["message"].as_str().is_some_and(|message| message.contains("kosovo-central")), "the known presets: {error}");
    let (status, error) = server.send(
        reqwest::Method::POST,
        "/api/v1/monitor/institutions",
        Some(&editor),
        Some(&json!({"preset": "kosovo", "id": "x", "urls": ["http://127.0.0.1/"]})),
    );
    assert_eq!(status, 400, "{error}");
    let (status, error) = server.send(reqwest::Method::POST, "/api/v1/monitor/institutions", Some(&editor), Some(&json!({"urls": ["http://127.0.0.1/"]})));
    assert_eq!(status, 400, "{error}");
    assert!(error["error"]["message"].as_str().is_some_and(|message| message.contains("`id`")), "{error}");
}

/// The mirror fixture `tests/data/monitor/site` served live on 127.0.0.1, its absolute links
/// pointed at the server's port; anything else answers 404.
fn live_site() -> Site {
    let root = super::support::data("monitor/site/127.0.0.1");
    let port = Arc::new(std::sync::OnceLock::<u16>::new());
    let known = Arc::clone(&port);
    let site = Site::start(move |seen| {
        let path = seen.path.split(['?', '#']).next().unwrap_or("/");
        if path.contains("..") {
            return status(404);
        }
        let file = if path.ends_with('/') { root.join(&path[1..]).join("index.html") } else { root.join(&path[1..]) };
        match std::fs::read_to_string(&file) {
            Ok(text) => html(&text.replace("http://127.0.0.1/", &format!("http://127.0.0.1:{}/", known.get().copied().unwrap_or(0)))),
            Err(_) => status(404),
        }
    });
    let _ = port.set(site.port());
    site
}

/// `POST` or `GET` against a running `serve`, with the editor token; status and JSON body.
pub fn call(server: &ServerProcess, method: reqwest::Method, path: &str, token: &str, body: Option<&Value>) -> (u16, Value) {
    let mut request = client().request(method, server.url(path)).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(body);
    }
    json_of(request.send().expect("request"))
}

/// The job of a run the service started (`started`: its answer), once it has ended. The crawl
/// waits the crawler's delay between requests; the bound only catches a hang.
pub fn wait_for_job(server: &ServerProcess, started: &Value, token: &str) -> Value {
    let job_path = format!("/api/v1/monitor/jobs/{}", started["job"].as_str().expect("job"));
    let bound = std::time::Instant::now() + Duration::from_secs(120);
    loop {
        let (status, job) = call(server, reqwest::Method::GET, &job_path, token, None);
        assert_eq!(status, 200, "{job}");
        if matches!(job["status"].as_str(), Some("done" | "failed")) {
            return job;
        }
        assert!(std::time::Instant::now() < bound, "the run did not end: {job}\n{}", server.log());
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn a_live_crawl_through_the_service() {
    let site = live_site();
    let dir = tempfile::tempdir().expect("tempdir");
    let data_dir = dir.path().join("data");
    let editor = run_json(&data_dir, &["token", "create", "--role", "editor"])["token"].as_str().expect("token").to_string();
    let server = ServerProcess::start(&data_dir, |command| {
        command.arg("--monitor-allow-private");
    });
    let body = json!({"id": "kline", "urls": [site.url("/sq/index.html")], "municipality": "Klinë"});
    let (status, added) = call(&server, reqwest::Method::POST, "/api/v1/monitor/institutions", &editor, Some(&body));
    assert_eq!(status, 201, "{added}");
    let (status, started) = call(&server, reqwest::Method::POST, "/api/v1/monitor/institutions/kline/runs", &editor, None);
    assert_eq!(status, 202, "{started}");
    let job = wait_for_job(&server, &started, &editor);
    assert_eq!(job["status"], "done", "{job}\n{}", server.log());
    assert_eq!(job["result"]["pages_fetched"], 7, "every page of the site: {job}; requested {:?}", site.requested());
    assert!(site.requests_of("/sq/index.html").iter().all(|seen| seen.headers.get("user-agent").is_some_and(|agent| agent.contains("termbridge"))));

    let (status, report) = call(&server, reqwest::Method::GET, "/api/v1/monitor/institutions/kline/report", &editor, None);
    assert_eq!(status, 200, "{report}");
    let documents = report["documents"].as_array().expect("documents");
    assert_eq!(documents.len(), 3, "home, vacancy, budget: {report:#}");
    let budget = documents.iter().find(|doc| doc["urls"]["sq"] == site.url("/sq/vendime/buxheti.html")).expect("the budget decision");
    assert_eq!((budget["urls"].as_object().map(|urls| urls.len()), budget["missing"].clone()), (Some(1), json!(["sr"])), "{budget}");
    let vacancy = documents.iter().find(|doc| doc["urls"]["sr"] == site.url("/sr/vesti/konkurs.html")).expect("the vacancy");
    assert_eq!((vacancy["urls"]["en"].as_str(), vacancy["missing"].clone()), (Some(site.url("/en/news/vacancy.html").as_str()), json!([])), "{vacancy}");
    assert_eq!(report["findings_by_check"]["missing-version"], 1, "{}", report["findings_by_check"]);

    // Without --monitor-allow-private the service refuses the same address and says why.
    let guarded_dir = dir.path().join("guarded");
    let guarded_editor = run_json(&guarded_dir, &["token", "create", "--role", "editor"])["token"].as_str().expect("token").to_string();
    let guarded = ServerProcess::start(&guarded_dir, |_| {});
    let (status, error) = call(&guarded, reqwest::Method::POST, "/api/v1/monitor/institutions", &guarded_editor, Some(&body));
    assert!((400..500).contains(&status), "{status}: {error}");
    let message = error["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("private") && message.contains("127.0.0.1"), "the answer says why: {message}");
    let (_, listed) = call(&guarded, reqwest::Method::GET, "/api/v1/monitor/institutions", &guarded_editor, None);
    assert_eq!(listed["institutions"], json!([]), "nothing refused was stored");
}
