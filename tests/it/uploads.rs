//! The upload routes over real HTTP: `POST /api/v1/audit` (the CLI's report for uploaded
//! versions) and `POST /api/v1/import` with `GET /api/v1/jobs/{id}` (background imports).

use std::process::Command;

use reqwest::blocking::multipart::{Form, Part};
use serde_json::Value;
use termbridge::api::ServeConfig;
use termbridge::store::Role;

use crate::http::{TestServer, client};
use crate::support::{binary, data};

fn json_of(response: reqwest::blocking::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().expect("body");
    (status, serde_json::from_str(&text).unwrap_or_else(|err| panic!("body is not JSON ({err}): {text}")))
}

/// Sends the request `make` builds and parses the JSON answer. A request refused before its
/// body is read (auth, a bad query, a size limit) still gets its answer: the server reads the
/// rest of the body before it answers, so no retry is needed.
fn answer(make: impl Fn() -> reqwest::blocking::RequestBuilder) -> (u16, Value) {
    json_of(make().send().expect("the server answers"))
}

fn file_part(relative: &str) -> Part {
    let path = data(relative);
    let name = path.file_name().and_then(|name| name.to_str()).expect("file name").to_string();
    Part::bytes(std::fs::read(&path).expect("fixture")).file_name(name)
}

fn triple_form() -> Form {
    Form::new().part("sq", file_part("audit/triple.sq.txt")).part("sr", file_part("audit/triple.sr.txt")).part("en", file_part("audit/triple.en.txt"))
}

#[test]
fn audit_answers_the_cli_report() {
    let server = TestServer::start(ServeConfig::default());
    let response = client().post(server.url("/api/v1/audit")).multipart(triple_form()).send().expect("post");
    assert_eq!(response.headers()["content-type"], "application/json");
    let (status, report) = json_of(response);
    assert_eq!(status, 200, "{report}");

    // The same versions through the CLI, named as the upload names them.
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(binary())
        .current_dir(data("audit"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["audit", "--sq", "triple.sq.txt", "--sr", "triple.sr.txt", "--en", "triple.en.txt", "--no-history"])
        .env("TERMBRIDGE_LOG", "warn")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    let cli: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report, cli);
    assert!(report["summary"]["errors"].as_u64().unwrap() > 0);
    assert_eq!(report["documents"][0]["path"], "triple.sq.txt");
    assert_eq!(report["municipality"], "Prizren");
}

#[test]
fn audit_renders_every_format() {
    let server = TestServer::start(ServeConfig::default());
    let form = triple_form().text("ui_lang", "sr-Cyrl").text("municipality", "Prizren");
    let response = client().post(server.url("/api/v1/audit?format=html")).multipart(form).send().expect("post");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["content-type"], "text/html; charset=utf-8");
    let page = response.text().unwrap();
    assert!(page.contains("<html lang=\"sr-Cyrl\">"), "{page}");
    assert!(page.contains("Извештај о језичкој ревизији"));
    assert!(page.contains("<mark class=\"finding sev-error"));
    assert!(page.contains("triple.sr.txt") && !page.contains("termbridge-audit-"), "files are named as uploaded");

    let response = client().post(server.url("/api/v1/audit?format=csv")).multipart(triple_form()).send().expect("post");
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(response.text().unwrap().starts_with("check,"));

    let response = client().post(server.url("/api/v1/audit?format=sarif")).multipart(triple_form()).send().expect("post");
    assert_eq!(response.headers()["content-type"], "application/sarif+json");
    let (_, sarif) = json_of(response);
    assert_eq!(sarif["version"], "2.1.0");

    // One audit, both reports: the JSON report carries the HTML one (as the web page asks).
    let response = client().post(server.url("/api/v1/audit?with_html=true")).multipart(triple_form()).send().expect("post");
    let (status, both) = json_of(response);
    assert_eq!(status, 200, "{both}");
    assert!(both["findings"].as_array().is_some_and(|findings| !findings.is_empty()), "{both}");
    assert!(both["html"].as_str().is_some_and(|html| html.contains("<mark class=\"finding sev-error")), "{both}");
    let (status, body) = answer(|| client().post(server.url("/api/v1/audit?format=csv&with_html=true")).multipart(triple_form()));
    assert_eq!(status, 400, "{body}");
}

#[test]
fn audit_rejects_bad_requests_with_a_message() {
    let server = TestServer::start(ServeConfig { max_body_bytes: 8 << 10, ..ServeConfig::default() });
    let post = |query: &str, form: fn() -> Form| answer(|| client().post(server.url(&format!("/api/v1/audit{query}"))).multipart(form()));

    let (status, body) = post("", || Form::new().text("municipality", "Prizren"));
    assert_eq!(status, 400);
    assert!(body["error"]["message"].as_str().unwrap().contains("no version to audit"), "{body}");

    let (status, body) = post("", || triple_form().part("de", Part::bytes(b"Gemeinde".to_vec()).file_name("v.de.txt")));
    assert_eq!(status, 400);
    assert!(body["error"]["message"].as_str().unwrap().contains("unknown field \"de\""), "{body}");

    let (status, body) = post("", || triple_form().part("sq", file_part("audit/triple.sq.txt")));
    assert_eq!((status, body["error"]["code"].as_str()), (400, Some("bad_request")));
    assert!(body["error"]["message"].as_str().unwrap().contains("twice"), "{body}");

    let (status, body) = post("?format=pdf", triple_form);
    assert_eq!(status, 400);
    assert!(body["error"]["message"].as_str().unwrap().contains("pdf"), "{body}");

    let (status, body) = post("", || triple_form().text("ui_lang", "de"));
    assert_eq!(status, 400);
    assert!(body["error"]["message"].as_str().unwrap().contains("ui_lang"), "{body}");

    let (status, body) = post("", || Form::new().part("sq", Part::bytes(vec![b'a', 0xc3, 0x28, 0xa0, 0xa1, b'\n']).file_name("broken.txt")));
    assert_eq!(status, 400, "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.starts_with("broken.txt"), "messages name the upload, not a server path: {message}");

    let (status, body) = answer(|| client().post(server.url("/api/v1/audit")).body("sq=x"));
    assert_eq!(status, 400);
    assert!(body["error"]["message"].as_str().unwrap().contains("multipart/form-data"), "{body}");

    let big = "Komuna: Prizren\n".repeat(640);
    let (status, body) =
        answer(|| client().post(server.url("/api/v1/audit")).multipart(Form::new().part("sq", Part::bytes(big.clone().into_bytes()).file_name("big.sq.txt"))));
    assert_eq!((status, body["error"]["code"].as_str()), (413, Some("too_large")), "{body}");
}

#[test]
fn audit_follows_the_read_policy() {
    let server = TestServer::start(ServeConfig { open_reads: false, ..ServeConfig::default() });
    let (status, _) = answer(|| client().post(server.url("/api/v1/audit")).multipart(triple_form()));
    assert_eq!(status, 401);
    let reader = server.token(Role::Reader);
    let response = client().post(server.url("/api/v1/audit")).bearer_auth(&reader).multipart(triple_form()).send().expect("post");
    assert_eq!(response.status().as_u16(), 200);
}

/// Polls job `id` until it has finished.
fn wait_for_job(server: &TestServer, token: &str, id: &str) -> Value {
    for _ in 0..600 {
        let (status, job) = json_of(client().get(server.url(&format!("/api/v1/jobs/{id}"))).bearer_auth(token).send().expect("get"));
        assert_eq!(status, 200, "{job}");
        if matches!(job["status"].as_str(), Some("done" | "failed")) {
            return job;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("job {id} did not finish");
}

fn units(server: &TestServer) -> u64 {
    let (_, stats) = json_of(client().get(server.url("/api/v1/stats")).send().expect("stats"));
    stats["units"].as_u64().expect("units")
}

#[test]
fn import_runs_in_the_background_and_reports_progress() {
    let server = TestServer::start(ServeConfig::default());
    let editor = server.token(Role::Editor);
    let form = Form::new().part("file", file_part("ui/memory.tmx"));
    let (status, started) = json_of(client().post(server.url("/api/v1/import?collection=ui")).bearer_auth(&editor).multipart(form).send().expect("post"));
    assert_eq!(status, 202, "{started}");
    assert!(matches!(started["status"].as_str(), Some("queued" | "running" | "done")), "{started}");
    let id = started["id"].as_str().expect("id");
    let job = wait_for_job(&server, &editor, id);
    assert_eq!(job["status"], "done", "{job}");
    assert_eq!(job["file"], "memory.tmx");
    assert_eq!((job["done"].as_u64(), job["total"].as_u64()), (Some(3), Some(3)), "{job}");
    assert_eq!(job["result"]["read"], 3);
    assert_eq!(job["result"]["stored"], 3);
    assert!(job["error"].is_null());
    assert_eq!(units(&server), 3);

    // A raw body, named by ?name=; the same units again add nothing.
    let body = std::fs::read(data("ui/memory.tmx")).unwrap();
    let (status, started) =
        json_of(client().post(server.url("/api/v1/import?name=again.tmx&collection=ui")).bearer_auth(&editor).body(body).send().expect("post"));
    assert_eq!(status, 202, "{started}");
    let job = wait_for_job(&server, &editor, started["id"].as_str().unwrap());
    assert_eq!((job["status"].as_str(), job["result"]["duplicates"].as_u64()), (Some("done"), Some(3)), "{job}");
    assert_eq!(units(&server), 3);

    // A term base.
    let form = Form::new().part("file", file_part("termbase/basic-2019.tbx"));
    let (_, started) = json_of(client().post(server.url("/api/v1/import")).bearer_auth(&editor).multipart(form).send().expect("post"));
    let job = wait_for_job(&server, &editor, started["id"].as_str().unwrap());
    assert_eq!((job["status"].as_str(), job["result"]["kind"].as_str()), (Some("done"), Some("terms")), "{job}");
    assert!(job["result"]["added"].as_u64().unwrap() > 0);
}

#[test]
fn a_failed_import_stores_nothing_and_says_where() {
    let server = TestServer::start(ServeConfig::default());
    let editor = server.token(Role::Editor);
    let form = Form::new().part("file", file_part("formats/malformed.tmx"));
    let (status, started) = json_of(client().post(server.url("/api/v1/import")).bearer_auth(&editor).multipart(form).send().expect("post"));
    assert_eq!(status, 202);
    let job = wait_for_job(&server, &editor, started["id"].as_str().unwrap());
    assert_eq!(job["status"], "failed", "{job}");
    let error = job["error"].as_str().unwrap();
    assert!(error.starts_with("malformed.tmx:"), "{error}");
    assert!(!error.contains("termbridge-import-"), "no server path: {error}");
    assert_eq!(job["problem"]["file"], "malformed.tmx");
    assert!(job["problem"]["line"].as_u64().unwrap() >= 7, "{job}");
    assert!(job["result"].is_null());
    assert_eq!(units(&server), 0);
}

#[test]
fn import_needs_an_editor_and_a_file() {
    let server = TestServer::start(ServeConfig::default());
    let form = || Form::new().part("file", file_part("ui/memory.tmx"));
    let (status, _) = answer(|| client().post(server.url("/api/v1/import")).multipart(form()));
    assert_eq!(status, 401);
    let reader = server.token(Role::Reader);
    let (status, _) = answer(|| client().post(server.url("/api/v1/import")).bearer_auth(&reader).multipart(form()));
    assert_eq!(status, 403);
    let (status, _) = json_of(client().get(server.url("/api/v1/jobs/abc")).bearer_auth(&reader).send().expect("get"));
    assert_eq!(status, 403);

    let editor = server.token(Role::Editor);
    let (status, body) = json_of(client().get(server.url("/api/v1/jobs/0123456789abcdef01234567")).bearer_auth(&editor).send().expect("get"));
    assert_eq!((status, body["error"]["code"].as_str()), (404, Some("not_found")));
    let (status, body) = answer(|| client().post(server.url("/api/v1/import")).bearer_auth(&editor).multipart(Form::new().text("note", "x")));
    assert_eq!(status, 400);
    assert!(body["error"]["message"].as_str().unwrap().contains("unknown field \"note\""), "{body}");
    let (status, body) = answer(|| client().post(server.url("/api/v1/import?format=docx")).bearer_auth(&editor).multipart(form()));
    assert_eq!(status, 400);
    assert!(body["error"]["message"].as_str().unwrap().contains("docx"), "{body}");
    let (status, _) = json_of(client().post(server.url("/api/v1/import?name=x.tsv")).bearer_auth(&editor).body(Vec::new()).send().expect("post"));
    assert_eq!(status, 400);
    // `src` is an alias of `source_lang`; the message names the parameter's documented name.
    let (status, body) = answer(|| client().post(server.url("/api/v1/import?src=xx-Klingon")).bearer_auth(&editor).multipart(form()));
    assert_eq!(status, 400);
    assert!(body["error"]["message"].as_str().unwrap().starts_with("source_lang:"), "{body}");
}

/// Imports `body` as the file `name` with `query` and waits for the job to end.
fn import_raw(server: &TestServer, token: &str, name: &str, query: &str, body: &str) -> Value {
    let url = server.url(&format!("/api/v1/import?name={name}{query}"));
    let (status, started) = json_of(client().post(url).bearer_auth(token).body(body.to_string()).send().expect("post"));
    assert_eq!(status, 202, "{started}");
    wait_for_job(server, token, started["id"].as_str().expect("id"))
}

#[test]
fn a_missing_language_names_the_query_parameter_not_a_flag() {
    let server = TestServer::start(ServeConfig::default());
    let editor = server.token(Role::Editor);
    let po = "msgid \"Mayor\"\nmsgstr \"Kryetari\"\n";
    let job = import_raw(&server, &editor, "messages.po", "", po);
    assert_eq!(job["status"], "failed", "{job}");
    let error = job["error"].as_str().expect("error");
    assert_eq!(error, "messages.po: the catalogue names no Language: in its header; give the target language in `target_lang`");
    assert!(!error.contains("--"), "no command-line flag: {error}");
    assert_eq!(job["problem"]["file"], "messages.po");
    assert_eq!(job["problem"]["reason"], "the catalogue names no Language: in its header");
    assert_eq!(job["problem"]["hint"], "give the target language in `target_lang`");

    // The parameter the hint names fixes it; so does its alias `tgt`.
    let job = import_raw(&server, &editor, "messages.po", "&target_lang=sq", po);
    assert_eq!((job["status"].as_str(), job["result"]["stored"].as_u64()), (Some("done"), Some(1)), "{job}");
    let job = import_raw(&server, &editor, "again.po", "&tgt=sq", po);
    assert_eq!((job["status"].as_str(), job["result"]["duplicates"].as_u64()), (Some("done"), Some(1)), "{job}");

    // A benchmark TSV names its columns src and tgt: both languages are needed.
    let job = import_raw(&server, &editor, "corpus.tsv", "", "id\tsrc\ttgt\n1\tMayor\tKryetari\n");
    assert_eq!(job["status"], "failed", "{job}");
    assert_eq!(job["problem"]["hint"], "give the languages in `source_lang` and `target_lang`", "{job}");
    assert!(!job["error"].as_str().unwrap().contains("--"), "{job}");

    // A file of no known format names `format`.
    let job = import_raw(&server, &editor, "notes.dat", "", "nothing to see\n");
    assert_eq!(job["status"], "failed", "{job}");
    let error = job["error"].as_str().expect("error");
    assert!(error.starts_with("notes.dat: unknown format; give the format in `format`"), "{error}");
}
