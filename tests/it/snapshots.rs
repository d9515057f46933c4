//! Snapshots of representative `/api/v1` JSON answers over real HTTP on 127.0.0.1 (insta,
//! files in `tests/it/snapshots/`): search, term lookup, TM match, place lookup and stats.
//! Timings and other values that change from run to run are redacted, so a snapshot changes
//! only when the answer's shape or content does. After a deliberate change, rerun with
//! `INSTA_UPDATE=always` (or `cargo insta review`) and read the diff.

use serde_json::{Value, json};
use termbridge::api::ServeConfig;
use termbridge::store::Role;

use crate::http::{TestServer, client};

/// The JSON answer of `GET path` with the query `pairs`, which must be 200.
fn get_json(server: &TestServer, path: &str, pairs: &[(&str, &str)]) -> Value {
    let url = reqwest::Url::parse_with_params(&server.url(path), pairs).expect("url");
    let response = client().get(url).send().expect("request");
    let status = response.status().as_u16();
    let body: Value = response.json().expect("JSON body");
    assert_eq!(status, 200, "{path}: {body}");
    body
}

/// A service with one concept and two translation units.
fn populated() -> TestServer {
    let server = TestServer::start(ServeConfig::default());
    let editor = server.token(Role::Editor);
    let concept = super::api::meeting_room();
    let response = client().post(server.url("/api/v1/terms")).bearer_auth(&editor).json(&concept).send().expect("post concept");
    assert_eq!(response.status().as_u16(), 201);
    let units = json!({"collection": "decisions", "units": [
        {"id": "d11", "variants": {"en": "Decision 11 of 2024 on the municipal budget", "sq": "Vendimi 11 i vitit 2024 për buxhetin komunal"}},
        {"id": "m1", "variants": {"en": "The meeting room is in Ferizaj", "sr-Latn": "Sala za sastanke je u Uroševcu"}}
    ]});
    let response = client().post(server.url("/api/v1/units")).bearer_auth(&editor).json(&units).send().expect("post units");
    assert_eq!(response.status().as_u16(), 200);
    server
}

#[test]
fn api_v1_answers() {
    let server = populated();
    let body = get_json(&server, "/api/v1/search", &[("q", "Sala za sastanke je u Uroševcu")]);
    insta::assert_json_snapshot!("search", body, {".micros" => "[micros]"});
    let body = get_json(&server, "/api/v1/terms/lookup", &[("q", "sala za sastanke"), ("lang", "sr-Latn")]);
    insta::assert_json_snapshot!("terms_lookup", body, {".micros" => "[micros]"});
    let body = get_json(&server, "/api/v1/tm/match", &[("q", "Decision 12 of 2024 on the municipal budget"), ("source_lang", "en"), ("target_lang", "sq")]);
    insta::assert_json_snapshot!("tm_match", body, {".micros" => "[micros]"});
    let body = get_json(&server, "/api/v1/places/lookup", &[("q", "u Uroševcu")]);
    insta::assert_json_snapshot!("places_lookup", body, {".micros" => "[micros]"});
    // The store's generation counts writes, which the set-up makes: keep it out.
    let body = get_json(&server, "/api/v1/stats", &[]);
    insta::assert_json_snapshot!("stats", body, {".generation" => "[generation]"});
}
