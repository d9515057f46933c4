//! The JSON API `/api/v1` over real HTTP on 127.0.0.1: terms, TM, places, search, export,
//! errors and auth, and the OpenAPI document against the router.

use reqwest::blocking::{RequestBuilder, Response};
use serde_json::{Value, json};
use termbridge::api::ServeConfig;
use termbridge::store::Role;

use crate::http::{TestServer, client};

/// `path` with `pairs` as its query string, percent-encoded.
fn with_query(path: &str, pairs: &[(&str, &str)]) -> String {
    let encode = |text: &str| -> String {
        text.bytes()
            .map(|byte| if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) { (byte as char).to_string() } else { format!("%{byte:02X}") })
            .collect()
    };
    let query: Vec<String> = pairs.iter().map(|(name, value)| format!("{}={}", encode(name), encode(value))).collect();
    format!("{path}?{}", query.join("&"))
}

fn start() -> TestServer {
    TestServer::start(ServeConfig::default())
}

/// Status and JSON body; panics with the text when the body is not JSON.
fn send(request: RequestBuilder) -> (u16, Value) {
    let response: Response = request.send().expect("request");
    let status = response.status().as_u16();
    let text = response.text().expect("body");
    (status, serde_json::from_str(&text).unwrap_or_else(|err| panic!("body is not JSON ({err}): {text}")))
}

fn get(server: &TestServer, path: &str) -> (u16, Value) {
    send(client().get(server.url(path)))
}

fn post(server: &TestServer, path: &str, token: Option<&str>, body: &Value) -> (u16, Value) {
    let mut request = client().post(server.url(path)).json(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    send(request)
}

fn put(server: &TestServer, path: &str, token: Option<&str>, body: &Value) -> (u16, Value) {
    let mut request = client().put(server.url(path)).json(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    send(request)
}

fn delete(server: &TestServer, path: &str, token: Option<&str>) -> (u16, Value) {
    let mut request = client().delete(server.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    send(request)
}

/// The error code and message of an error body.
fn error_of(body: &Value) -> (&str, &str) {
    (body["error"]["code"].as_str().unwrap_or("?"), body["error"]["message"].as_str().unwrap_or("?"))
}

/// A concept in three languages, one term admitted (also used by `snapshots.rs`).
pub(super) fn meeting_room() -> Value {
    json!({
        "id": "meeting-room",
        "subject": "administration",
        "terms": [
            {"lang": "sq", "term": "sallë e mbledhjeve"},
            {"lang": "sr-Latn", "term": "sala za sastanke"},
            {"lang": "en", "term": "meeting room"},
            {"lang": "en", "term": "conference room", "status": "admitted"}
        ]
    })
}

/// The (lang, term) pairs of a concept's terms.
fn terms_of(concept: &Value) -> Vec<(String, String)> {
    concept["terms"]
        .as_array()
        .expect("terms")
        .iter()
        .map(|term| (term["lang"].as_str().unwrap_or("").to_string(), term["term"].as_str().unwrap_or("").to_string()))
        .collect()
}

fn lookup_ids(server: &TestServer, query: &str) -> Vec<String> {
    let (status, body) = send(client().get(server.url(&with_query("/api/v1/terms/lookup", &[("q", query)]))));
    assert_eq!(status, 200, "{body}");
    body["hits"].as_array().expect("hits").iter().map(|hit| hit["concept_id"].as_str().unwrap_or("").to_string()).collect()
}

#[test]
fn concept_created_then_found_in_every_script_replaced_and_deleted() {
    let server = start();
    let editor = server.token(Role::Editor);
    let (status, created) = post(&server, "/api/v1/terms", Some(&editor), &meeting_room());
    assert_eq!(status, 201, "{created}");
    assert!(terms_of(&created).contains(&("sr-Cyrl".into(), "сала за састанке".into())), "the Cyrillic term is derived: {created}");

    // Looked up in Serbian Latin, the concept comes with its Cyrillic and Albanian terms.
    let (status, body) = send(client().get(server.url(&with_query("/api/v1/terms/lookup", &[("q", "sala za sastanke"), ("lang", "sr-Latn")]))));
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["lang"], "sr-Latn");
    let hit = &body["hits"][0];
    assert_eq!((hit["concept_id"].as_str(), hit["tier"].as_str()), (Some("meeting-room"), Some("exact")));
    let terms = terms_of(hit);
    assert!(terms.contains(&("sr-Cyrl".into(), "сала за састанке".into())), "{hit}");
    assert!(terms.contains(&("sq".into(), "sallë e mbledhjeve".into())), "{hit}");
    assert_eq!(hit["terms"].as_array().map(Vec::len), Some(5));
    // Cyrillic and folded spellings find it too.
    assert_eq!(lookup_ids(&server, "САЛА ЗА САСТАНКЕ"), ["meeting-room"]);
    assert_eq!(lookup_ids(&server, "salle e mbledhjeve"), ["meeting-room"]);

    let (status, concept) = get(&server, "/api/v1/terms/meeting-room");
    assert_eq!((status, concept["subject"].as_str()), (200, Some("administration")));

    // The same id again is a conflict; nothing changes.
    let (status, body) = post(&server, "/api/v1/terms", Some(&editor), &meeting_room());
    assert_eq!((status, error_of(&body).0), (409, "conflict"));

    // Read back and written back (derived terms included), the concept is unchanged.
    let (status, same) = put(&server, "/api/v1/terms/meeting-room", Some(&editor), &concept);
    assert_eq!(status, 200, "{same}");
    assert_eq!(terms_of(&same), terms_of(&concept));

    // A replacement is seen by the next lookup.
    let replacement = json!({"terms": [{"lang": "sr-Cyrl", "term": "сала за седнице"}, {"lang": "sq", "term": "sallë e mbledhjeve"}]});
    let (status, replaced) = put(&server, "/api/v1/terms/meeting-room", Some(&editor), &replacement);
    assert_eq!(status, 200, "{replaced}");
    assert!(terms_of(&replaced).contains(&("sr-Latn".into(), "sala za sednice".into())));
    assert!(lookup_ids(&server, "sala za sastanke").is_empty(), "the old term is gone");
    assert_eq!(lookup_ids(&server, "sala za sednice"), ["meeting-room"]);

    let (status, body) = delete(&server, "/api/v1/terms/meeting-room", Some(&editor));
    assert_eq!((status, body["deleted"].as_str()), (200, Some("meeting-room")));
    assert!(lookup_ids(&server, "sala za sednice").is_empty());
    for (status, body) in [
        get(&server, "/api/v1/terms/meeting-room"),
        delete(&server, "/api/v1/terms/meeting-room", Some(&editor)),
        put(&server, "/api/v1/terms/meeting-room", Some(&editor), &replacement),
    ] {
        assert_eq!(error_of(&body), ("not_found", "no concept with id \"meeting-room\""), "{status}");
        assert_eq!(status, 404);
    }
}

#[test]
fn concept_writes_check_their_terms() {
    let server = start();
    let editor = server.token(Role::Editor);
    let cases = [
        (json!({"terms": [{"lang": "sq", "term": "комуна"}]}), "terms[0]: sq term \"комуна\" holds Cyrillic"),
        (json!({"terms": [{"lang": "xx", "term": "a"}]}), "terms[0].lang: unknown language \"xx\""),
        (json!({"terms": [{"lang": "en", "term": "a", "status": "great"}]}), "terms[0].status: unknown status \"great\""),
        (json!({"terms": []}), "has no term"),
        (json!({"id": "a/b", "terms": [{"lang": "en", "term": "a"}]}), "without slashes"),
        (json!({"terms": [{"lang": "en", "term": "a"}], "colour": "red"}), "unknown field `colour`"),
    ];
    for (body, expected) in cases {
        let (status, answer) = post(&server, "/api/v1/terms", Some(&editor), &body);
        assert_eq!((status, error_of(&answer).0), (400, "bad_request"), "{body}: {answer}");
        assert!(error_of(&answer).1.contains(expected), "{body}: {answer}");
    }
    // Without an id, one is made from the terms.
    let (status, created) = post(&server, "/api/v1/terms", Some(&editor), &json!({"terms": [{"lang": "en", "text": "by-law"}]}));
    assert_eq!(status, 201, "{created}");
    assert!(created["id"].as_str().is_some_and(|id| id.starts_with('c') && id.len() == 13), "{created}");
    // A body id other than the path's is refused.
    let (status, body) = put(&server, "/api/v1/terms/other", Some(&editor), &json!({"id": "x", "terms": [{"lang": "en", "term": "a"}]}));
    assert_eq!(status, 400, "{body}");
}

/// A request made with an optional bearer token.
type Attempt<'a> = Box<dyn Fn(Option<&str>) -> (u16, Value) + 'a>;

#[test]
fn every_write_route_needs_an_editor_token() {
    let server = start();
    let reader = server.token(Role::Reader);
    let concept = meeting_room();
    let units = json!({"units": [{"variants": {"en": "Hello", "sq": "Përshëndetje"}}]});
    let attempts: Vec<(&str, Attempt)> = vec![
        ("POST /api/v1/terms", Box::new(|token| post(&server, "/api/v1/terms", token, &concept))),
        ("PUT /api/v1/terms/{id}", Box::new(|token| put(&server, "/api/v1/terms/meeting-room", token, &concept))),
        ("DELETE /api/v1/terms/{id}", Box::new(|token| delete(&server, "/api/v1/terms/meeting-room", token))),
        ("POST /api/v1/units", Box::new(|token| post(&server, "/api/v1/units", token, &units))),
    ];
    for (route, attempt) in &attempts {
        let (status, body) = attempt(None);
        assert_eq!((status, error_of(&body).0), (401, "unauthorized"), "{route} without a token");
        let (status, body) = attempt(Some("tb_unknown.secret"));
        assert_eq!((status, error_of(&body).0), (401, "unauthorized"), "{route} with an unknown token");
        let (status, body) = attempt(Some(&reader));
        assert_eq!((status, error_of(&body).0), (403, "forbidden"), "{route} with a reader token");
    }
    assert_eq!(get(&server, "/api/v1/terms/meeting-room").0, 404, "nothing was written");
}

#[test]
fn terms_are_recognised_in_a_text() {
    let server = start();
    let editor = server.token(Role::Editor);
    let concept = json!({"id": "municipal-assembly", "terms": [
        {"lang": "sq", "term": "Kuvendi i Komunës"},
        {"lang": "sq", "term": "Asambleja Komunale", "status": "deprecated"}
    ]});
    assert_eq!(post(&server, "/api/v1/terms", Some(&editor), &concept).0, 201);
    let text = "Njoftim.\nKuvendi i Komunës dhe Asambleja Komunale u mblodhën.";
    let (status, body) = post(&server, "/api/v1/terms/scan", None, &json!({"text": text, "lang": "sq"}));
    assert_eq!(status, 200, "{body}");
    let found: Vec<(String, u64, u64, String, Value)> = body["occurrences"]
        .as_array()
        .expect("occurrences")
        .iter()
        .map(|occurrence| {
            (
                occurrence["text"].as_str().unwrap_or("").to_string(),
                occurrence["line"].as_u64().unwrap_or(0),
                occurrence["column"].as_u64().unwrap_or(0),
                occurrence["status"].as_str().unwrap_or("").to_string(),
                occurrence["suggestion"].clone(),
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            ("Kuvendi i Komunës".to_string(), 2, 1, "preferred".to_string(), Value::Null),
            ("Asambleja Komunale".to_string(), 2, 23, "deprecated".to_string(), json!("Kuvendi i Komunës")),
        ]
    );
    let (status, body) = post(&server, "/api/v1/terms/scan", None, &json!({"text": text}));
    assert_eq!((status, error_of(&body).1), (400, "missing parameter `lang`"));
}

#[test]
fn tm_unit_stored_then_matched_and_found_in_concordance() {
    let server = start();
    let editor = server.token(Role::Editor);
    let units = json!({"collection": "decisions", "units": [
        {"id": "d11", "variants": {"en": "Decision 11 of 2024 on the municipal budget", "sq": "Vendimi 11 i vitit 2024 për buxhetin komunal"}},
        {"id": "d12", "variants": {"en": "The mayor signed the decision", "sq": "Kryetari e nënshkroi vendimin"}}
    ]});
    let (status, body) = post(&server, "/api/v1/units", Some(&editor), &units);
    assert_eq!((status, body["stored"].as_u64()), (200, Some(2)), "{body}");

    let query = [("q", "Decision 12 of 2024 on the municipal budget"), ("source_lang", "en"), ("target_lang", "sq")];
    let (status, body) = send(client().get(server.url(&with_query("/api/v1/tm/match", &query))));
    assert_eq!(status, 200, "{body}");
    let hit = &body["hits"][0];
    assert_eq!(hit["id"], "d11");
    assert_eq!(hit["score"].as_f64(), Some(97.67));
    assert_eq!(hit["tier"], "fuzzy");
    assert_eq!(hit["target"], "Vendimi 11 i vitit 2024 për buxhetin komunal");
    assert_eq!(hit["patched_target"], "Vendimi 12 i vitit 2024 për buxhetin komunal");
    assert_eq!(hit["patches"], json!([{"from": "11", "to": "12", "kind": "number", "start": 8, "end": 10}]));
    assert!(hit["patched_score"].as_f64().is_some_and(|score| score > 97.67 && score < 100.0), "{hit}");
    assert_eq!(hit["collection"], "decisions");

    // The same by POST, with `text` and a minimum score that leaves the weaker unit out.
    let (status, body) =
        post(&server, "/api/v1/tm/match", None, &json!({"text": "The mayor signed the decision", "source_lang": "en", "min_score": 90, "limit": 3}));
    assert_eq!(status, 200, "{body}");
    let hits = body["hits"].as_array().expect("hits");
    assert_eq!(hits.len(), 1, "{body}");
    assert_eq!((hits[0]["id"].as_str(), hits[0]["score"].as_f64(), hits[0]["tier"].as_str()), (Some("d12"), Some(100.0), Some("exact")));

    let (status, body) = send(client().get(server.url(&with_query("/api/v1/tm/concordance", &[("q", "vendimin"), ("lang", "sq")]))));
    assert_eq!(status, 200, "{body}");
    let line = &body["lines"][0];
    assert_eq!((line["id"].as_str(), line["lang"].as_str()), (Some("d12"), Some("sq")));
    let text = line["text"].as_str().expect("text");
    let [start, end] = [line["highlights"][0][0].as_u64().unwrap_or(0) as usize, line["highlights"][0][1].as_u64().unwrap_or(0) as usize];
    assert_eq!(&text[start..end], "vendimin");
    assert_eq!(line["translation"], "The mayor signed the decision");

    for (query, expected) in [
        (vec![("source_lang", "en")], "missing parameter `q`"),
        (vec![("q", "x"), ("min_score", "120")], "`min_score` must be between 0 and 100, not 120"),
        (vec![("q", "x"), ("limit", "0")], "`limit` must be between 1 and 100, not 0"),
        (vec![("q", "x"), ("limit", "many")], "query parameter `limit`: invalid digit found in string"),
        (vec![("q", "x"), ("target_lang", "klingon")], "`target_lang`: unknown language \"klingon\""),
    ] {
        let (status, body) = send(client().get(server.url(&with_query("/api/v1/tm/match", &query))));
        assert_eq!((status, error_of(&body).0), (400, "bad_request"), "{query:?}");
        assert!(error_of(&body).1.contains(expected), "{query:?}: {body}");
    }
}

#[test]
fn tm_match_with_context_and_penalties() {
    let dir = tempfile::tempdir().expect("tempdir");
    let po = crate::support::data("tm/context/menu.po");
    let output = crate::support::run(dir.path(), &["import", "--src", "en", po.to_str().expect("utf-8")]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let server = TestServer::start_in(dir, ServeConfig::default());

    let query = [("q", "Open"), ("source_lang", "en"), ("target_lang", "sq"), ("context", "door"), ("min_score", "50")];
    let (status, body) = send(client().get(server.url(&with_query("/api/v1/tm/match", &query))));
    assert_eq!(status, 200, "{body}");
    let hits = body["hits"].as_array().expect("hits");
    assert_eq!(hits.len(), 2, "{body}");
    assert_eq!((hits[0]["tier"].as_str(), hits[0]["score"].as_f64(), hits[0]["context"].as_str()), (Some("context"), Some(101.0), Some("door")));
    assert_eq!(hits[0]["penalties"], json!([{"kind": "variants", "points": 1.0}]));
    assert_eq!((hits[0]["penalised_score"].as_f64(), hits[0]["target"].as_str()), (Some(100.0), Some("E hapur")));
    assert_eq!((hits[1]["tier"].as_str(), hits[1]["context"].as_str(), hits[1]["target"].as_str()), (Some("exact"), Some("menu"), Some("Hap")));

    let request = json!({"text": "Open", "source_lang": "en", "target_lang": "sq", "context": "door", "prev": "Open", "next": "Save the file"});
    let (status, body) = post(&server, "/api/v1/tm/match", None, &request);
    assert_eq!(status, 200, "{body}");
    assert_eq!((body["hits"][0]["score"].as_f64(), body["hits"][0]["tier"].as_str()), (Some(102.0), Some("context")));

    let (status, body) = post(&server, "/api/v1/tm/match", None, &json!({"text": "Save the file", "source_lang": "en"}));
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["hits"][0]["penalties"], json!([{"kind": "unreviewed", "points": 5.0}]));
    assert_eq!((body["hits"][0]["score"].as_f64(), body["hits"][0]["penalised_score"].as_f64()), (Some(100.0), Some(95.0)));
    assert_eq!(body["hits"][0]["context"], Value::Null);
}

#[test]
fn places_lookup_check_sign_and_municipalities() {
    let server = start();
    let (status, body) = send(client().get(server.url(&with_query("/api/v1/places/lookup", &[("q", "u Uroševcu")]))));
    assert_eq!(status, 200, "{body}");
    let best = &body["candidates"][0];
    assert_eq!((best["id"].as_str(), best["name_sq"].as_str(), best["kind"].as_str()), (Some("mun:ferizaj"), Some("Ferizaj"), Some("municipality")));
    assert_eq!((best["name_sr_cyrl"].as_str(), best["variant_type"].as_str()), (Some("Урошевац"), Some("inflected_form")));
    assert_eq!(body["context"], "u");
    assert!(body.get("matched_span").is_none(), "a name after a preposition is not a phrase: {body}");

    // Phrases typed in a search box: the name is found inside and reported.
    for (query, id, name, before, after) in [
        ("Municipality of Gjakova, Kosovo", "mun:gjakove", "Gjakova", "Municipality of", ", Kosovo"),
        ("banorët e Gjilanit", "mun:gjilan", "Gjilanit", "banorët e", ""),
        ("Пећ, Косово", "mun:peje", "Пећ", "", ", Косово"),
        ("stanovnici Gnjilana", "mun:gjilan", "Gnjilana", "stanovnici", ""),
    ] {
        let (status, body) = send(client().get(server.url(&with_query("/api/v1/places/lookup", &[("q", query)]))));
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["candidates"][0]["id"].as_str(), Some(id), "{query}: {body}");
        let span = &body["matched_span"];
        assert_eq!((span["name"].as_str(), span["before"].as_str(), span["after"].as_str()), (Some(name), Some(before), Some(after)), "{query}: {body}");
        let (start, end) = (span["start"].as_u64().unwrap_or(0) as usize, span["end"].as_u64().unwrap_or(0) as usize);
        assert_eq!(query.chars().skip(start).take(end - start).collect::<String>(), name, "{query}: character offsets");
    }

    let (status, body) =
        post(&server, "/api/v1/places/check", None, &json!({"text": "Sastanak je održan u Ferizaju.\nU Prištini je bilo mirno.", "lang": "sr-Latn"}));
    assert_eq!(status, 200, "{body}");
    let findings = body["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1, "Prištini is official, Ferizaju is not: {body}");
    let finding = &findings[0];
    assert_eq!(
        (finding["text"].as_str(), finding["suggestion"].as_str(), finding["place_id"].as_str()),
        (Some("Ferizaju"), Some("Uroševcu"), Some("mun:ferizaj"))
    );
    assert_eq!((finding["line"].as_u64(), finding["column"].as_u64(), finding["severity"].as_str()), (Some(1), Some(22), Some("error")));
    let (status, body) = post(&server, "/api/v1/places/check", None, &json!({"text": "Hello", "lang": "en"}));
    assert_eq!((status, error_of(&body).1), (400, "`lang`: place names are checked in sq and sr text, not en"));

    // The web UI's sign form sends {text, municipality} and reads these fields.
    let (status, body) = post(&server, "/api/v1/places/sign", None, &json!({"text": "Zveçan / Zvecan", "municipality": "Zveçan"}));
    assert_eq!(status, 200, "{body}");
    let checks: Vec<&str> = body["findings"].as_array().expect("findings").iter().filter_map(|finding| finding["check"].as_str()).collect();
    assert_eq!(checks, ["place-name", "sign-script", "sign-order"]);
    let first = &body["findings"][0];
    for field in ["check", "severity", "lang", "line", "message", "excerpt", "suggestion"] {
        assert!(first.get(field).is_some(), "sign finding lacks {field}: {first}");
    }
    assert_eq!((first["excerpt"].as_str(), first["suggestion"].as_str(), first["line"].as_u64()), (Some("Zvecan"), Some("Zvečan"), Some(2)));
    let (status, body) = post(&server, "/api/v1/places/sign", None, &json!({"text": "Zveçan", "municipality": "Atlantis"}));
    assert_eq!(status, 400, "{body}");
    assert!(error_of(&body).1.contains("unknown municipality \"Atlantis\""), "{body}");

    let (status, body) = get(&server, "/api/v1/places/municipalities");
    assert_eq!(status, 200);
    let municipalities = body["municipalities"].as_array().expect("municipalities");
    assert_eq!(municipalities.len(), 38);
    let ferizaj = municipalities.iter().find(|municipality| municipality["id"] == "mun:ferizaj").expect("Ferizaj listed");
    assert_eq!((ferizaj["name_sr_latn"].as_str(), ferizaj["name_sr_cyrl"].as_str()), (Some("Uroševac"), Some("Урошевац")));
    assert_eq!(ferizaj["official"], json!(["sq", "sr"]));
    assert!(ferizaj["in_official_use"].is_array());
    let prizren = municipalities.iter().find(|municipality| municipality["id"] == "mun:prizren").expect("Prizren listed");
    assert!(prizren["official"].as_array().is_some_and(|langs| langs.contains(&json!("tr"))), "Turkish is official in Prizren: {prizren}");

    for key in ["mun:ferizaj", "mun%3Aferizaj", "ferizaj", "Uro%C5%A1evac"] {
        let (status, body) = get(&server, &format!("/api/v1/places/municipalities/{key}"));
        assert_eq!((status, body["id"].as_str()), (200, Some("mun:ferizaj")), "{key}: {body}");
    }
    let (status, body) = get(&server, "/api/v1/places/municipalities/mun%3Aferizaj/settlements");
    assert_eq!((status, body["municipality"].as_str()), (200, Some("mun:ferizaj")));
    let settlements = body["settlements"].as_array().expect("settlements");
    assert!(settlements.len() > 20, "{}", settlements.len());
    assert!(
        settlements
            .iter()
            .all(|settlement| settlement["name_sq"].is_string() && settlement["name_sr_latn"].is_string() && settlement["name_sr_cyrl"].is_string())
    );
    for path in ["/api/v1/places/municipalities/atlantis", "/api/v1/places/municipalities/atlantis/settlements"] {
        let (status, body) = get(&server, path);
        assert_eq!((status, error_of(&body)), (404, ("not_found", "no municipality \"atlantis\"")));
    }
}

/// `GET /api/v1/places/{id}`: names, municipality, coordinates, languages, variants and former
/// names with their dates; a clear 404 for an unknown id. Former names resolve with a note.
#[test]
fn place_detail_history_and_geojson_export() {
    let server = start();
    let (status, body) = get(&server, "/api/v1/places/mun%3Adrenas");
    assert_eq!(status, 200, "{body}");
    assert_eq!((body["id"].as_str(), body["kind"].as_str(), body["names"]["sq"].as_str()), (Some("mun:drenas"), Some("municipality"), Some("Drenas")));
    assert_eq!(body["names"]["sr_latn"], "Glogovac");
    let former: Vec<&str> = body["former_names"].as_array().expect("former names").iter().filter_map(|former| former["name"].as_str()).collect();
    assert_eq!(former, ["Gllogoc", "Gllogovc"]);
    let gllogoc = &body["former_names"][0];
    assert_eq!((gllogoc["change"].as_str(), gllogoc["period"].as_str(), gllogoc["status"].as_str()), (Some("renamed"), Some("date unknown"), Some("former")));
    assert!(gllogoc["from"].is_null() && gllogoc["until"].is_null(), "no source gives the date: {gllogoc}");
    assert!(gllogoc["source"].as_str().is_some_and(|source| source.contains("Koha Ditore")), "{gllogoc}");
    let point = &body["coordinates"];
    assert_eq!(point["origin"], "seat", "{point}");
    let (lat, lon) = (point["lat"].as_f64().unwrap_or(0.0), point["lon"].as_f64().unwrap_or(0.0));
    assert!((42.0..43.5).contains(&lat) && (20.0..21.8).contains(&lon), "{point}");
    assert_eq!(body["official_languages"], json!(["sq", "sr"]));
    assert!(body["variants"].as_array().is_some_and(|variants| variants.iter().any(|variant| variant["variant"] == "Gllogoc")), "{body}");

    // A settlement by its GNS id; the pre-2013 Mitrovicë names a municipality's predecessor.
    let (status, body) = get(&server, "/api/v1/places/gns:-78323");
    assert_eq!((status, body["names"]["sr_latn"].as_str()), (200, Some("Elez Han")), "{body}");
    let jankovic =
        body["former_names"].as_array().and_then(|names| names.iter().find(|former| former["name"] == "Đeneral Janković")).cloned().unwrap_or_default();
    assert_eq!((jankovic["from"].as_u64(), jankovic["until"].as_u64(), jankovic["period"].as_str()), (Some(1914), Some(2012), Some("1914–2012")));
    assert_eq!(body["coordinates"]["origin"], "gns");
    let (status, body) = get(&server, "/api/v1/places/mun:mitrovice-e-veriut");
    assert_eq!(status, 200);
    let split = body["former_names"].as_array().and_then(|names| names.iter().find(|former| former["name"] == "Mitrovicë")).cloned().unwrap_or_default();
    assert_eq!((split["change"].as_str(), split["until"].as_u64()), (Some("split"), Some(2013)), "{body}");

    for id in ["gns:1", "atlantis", "mun:atlantis"] {
        let (status, body) = get(&server, &format!("/api/v1/places/{id}"));
        assert_eq!((status, error_of(&body).0), (404, "not_found"), "{id}: {body}");
        assert!(error_of(&body).1.contains(&format!("no place with id \"{id}\"")), "{id}: {body}");
    }

    // Lookup: the former name resolves to today's place with the change and its date.
    let (status, body) = send(client().get(server.url(&with_query("/api/v1/places/lookup", &[("q", "Komuna e Gllogocit")]))));
    assert_eq!(status, 200, "{body}");
    let best = &body["candidates"][0];
    assert_eq!(best["id"], "mun:drenas", "{body}");
    assert!(best["history"].as_str().is_some_and(|note| note.starts_with("Gllogoc: the name before the renaming to Drenas (date unknown")), "{body}");

    // The check: a pre-2013 Mitrovicë after "Komunës së" offers both successors, in the genitive.
    let (status, body) = post(&server, "/api/v1/places/check", None, &json!({"text": "Kuvendi i Komunës së Mitrovicës u mblodh sot.", "lang": "sq"}));
    assert_eq!(status, 200, "{body}");
    let finding = &body["findings"][0];
    assert!(finding["suggestion"].is_null(), "no single suggestion: {body}");
    assert_eq!(finding["alternatives"], json!(["Mitrovicës së Jugut", "Mitrovicës së Veriut"]), "{body}");

    // GeoJSON (RFC 7946): a FeatureCollection of Points, [lon, lat].
    let response = client().get(server.url("/api/v1/places/export?format=geojson")).send().expect("export");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers().get("content-type").and_then(|value| value.to_str().ok()), Some("application/geo+json"));
    let collection: serde_json::Value = serde_json::from_str(&response.text().expect("body")).expect("JSON");
    assert_eq!(collection["type"], "FeatureCollection");
    let features = collection["features"].as_array().expect("features");
    assert_eq!(features.len(), 38 + 1547, "every place has a point");
    for feature in features {
        assert_eq!((feature["type"].as_str(), feature["geometry"]["type"].as_str()), (Some("Feature"), Some("Point")), "{feature}");
        let coordinates = feature["geometry"]["coordinates"].as_array().expect("coordinates");
        assert_eq!(coordinates.len(), 2, "{feature}");
        let (lon, lat) = (coordinates[0].as_f64().unwrap_or(0.0), coordinates[1].as_f64().unwrap_or(0.0));
        assert!((19.9..21.9).contains(&lon) && (41.8..43.3).contains(&lat), "longitude first, then latitude: {feature}");
        assert!(feature["properties"]["name_sq"].is_string() && feature["properties"]["name_sr_latn"].is_string(), "{feature}");
    }
    let (status, body) = get(&server, "/api/v1/places/export?format=geojson&kind=municipality");
    assert_eq!((status, body["features"].as_array().map(Vec::len)), (200, Some(38)));
    let (status, body) = get(&server, "/api/v1/places/export?format=kml");
    assert_eq!((status, error_of(&body).0), (400, "bad_request"), "{body}");
}

#[test]
fn search_returns_the_four_groups_the_web_ui_reads() {
    let server = start();
    let editor = server.token(Role::Editor);
    assert_eq!(post(&server, "/api/v1/terms", Some(&editor), &meeting_room()).0, 201);
    let units = json!({"units": [{"id": "m1", "variants": {"en": "The meeting room is in Ferizaj", "sr-Latn": "Sala za sastanke je u Uroševcu"}}]});
    assert_eq!(post(&server, "/api/v1/units", Some(&editor), &units).0, 200);

    let (status, body) = send(client().get(server.url(&with_query("/api/v1/search", &[("q", "sala za sastanke")]))));
    assert_eq!(status, 200, "{body}");
    let term = &body["terms"][0];
    assert_eq!((term["concept_id"].as_str(), term["label"].as_str(), term["tier"].as_str()), (Some("meeting-room"), Some("sala za sastanke"), Some("exact")));
    assert!(term["terms"][0]["lang"].is_string() && term["terms"][0]["term"].is_string() && term["terms"][0]["status"].is_string());
    let line = &body["concordance"][0];
    assert_eq!(line["id"], "m1");
    assert!(line["highlights"][0].is_array() && line["text"].is_string() && line["translation"].is_string(), "{line}");

    let (status, body) = send(client().get(server.url(&with_query("/api/v1/search", &[("q", "Sala za sastanke je u Uroševcu")]))));
    assert_eq!(status, 200, "{body}");
    let tm = &body["tm"][0];
    assert_eq!((tm["id"].as_str(), tm["score"].as_f64(), tm["target"].as_str()), (Some("m1"), Some(100.0), Some("The meeting room is in Ferizaj")));
    assert!(tm["tier"].is_string() && tm["source"].is_string());

    let (status, body) = send(client().get(server.url(&with_query("/api/v1/search", &[("q", "u Uroševcu")]))));
    assert_eq!(status, 200, "{body}");
    let place = &body["places"][0];
    for field in ["name_sq", "name_sr_latn", "name_sr_cyrl", "kind", "variant_type"] {
        assert!(place[field].is_string(), "place hit lacks {field}: {place}");
    }
    assert_eq!(place["name_sq"], "Ferizaj");

    let (status, body) = get(&server, "/api/v1/search?q=");
    assert_eq!((status, error_of(&body).1), (400, "parameter `q` is empty"));
}

#[test]
fn export_streams_the_memory_and_the_term_base() {
    let server = start();
    let editor = server.token(Role::Editor);
    let units = json!({"collection": "web", "units": [{"id": "u1", "variants": {"sq": "Ruaj ndryshimet", "sr-Cyrl": "Сачувај измене"}}]});
    assert_eq!(post(&server, "/api/v1/units", Some(&editor), &units).0, 200);
    assert_eq!(post(&server, "/api/v1/terms", Some(&editor), &meeting_room()).0, 201);

    let fetch = |query: &str| {
        let response = client().get(server.url(&format!("/api/v1/export?{query}"))).send().expect("export");
        let status = response.status().as_u16();
        let content_type = response.headers().get("content-type").and_then(|value| value.to_str().ok()).unwrap_or("").to_string();
        (status, content_type, response.text().expect("body"))
    };
    let (status, content_type, tmx) = fetch("format=tmx");
    assert_eq!((status, content_type.as_str()), (200, "application/xml; charset=utf-8"));
    assert!(tmx.contains("tuid=\"u1\"") && tmx.contains("<seg>Сачувај измене</seg>") && tmx.trim_end().ends_with("</tmx>"), "{tmx}");
    let (_, _, only_other) = fetch("format=tmx&collection=other");
    assert!(!only_other.contains("tuid="), "{only_other}");
    let (status, content_type, tsv) = fetch("format=tsv");
    assert_eq!((status, content_type.starts_with("text/tab-separated-values")), (200, true));
    assert!(tsv.contains("Ruaj ndryshimet\tСачувај измене") || tsv.contains("Сачувај измене\tRuaj ndryshimet"), "{tsv}");
    let (status, _, csv) = fetch("format=csv");
    assert!(status == 200 && csv.contains("Ruaj ndryshimet"), "{csv}");
    let (status, _, tbx) = fetch("format=tbx");
    assert!(status == 200 && tbx.contains("sala za sastanke") && tbx.contains("сала за састанке") && tbx.contains("conceptEntry"), "{tbx}");
    let (status, _, tbx2008) = fetch("format=tbx&tbx_version=2008");
    assert!(status == 200 && tbx2008.contains("<martif"), "{tbx2008}");
    let (status, _, terms_csv) = fetch("format=terms-csv");
    assert!(status == 200 && terms_csv.contains("meeting-room") && terms_csv.contains("sallë e mbledhjeve"), "{terms_csv}");

    for (query, expected) in
        [("", "missing parameter `format`"), ("format=docx", "`format`: unknown format \"docx\""), ("format=tbx&tbx_version=1999", "unknown edition \"1999\"")]
    {
        let (status, body) = get(&server, &format!("/api/v1/export?{query}"));
        assert_eq!(status, 400, "{query}");
        assert!(error_of(&body).1.contains(expected), "{query}: {body}");
    }
}

#[test]
fn malformed_bodies_and_missing_parameters_answer_400_with_a_message() {
    let server = start();
    let editor = server.token(Role::Editor);
    let raw = |path: &str, body: &str, content_type: Option<&str>| {
        let mut request = client().post(server.url(path)).bearer_auth(&editor).body(body.to_string());
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        send(request)
    };
    for path in ["/api/v1/terms", "/api/v1/terms/scan", "/api/v1/tm/match", "/api/v1/places/check", "/api/v1/places/sign", "/api/v1/units"] {
        let (status, body) = raw(path, "{,}", Some("application/json"));
        assert_eq!((status, error_of(&body).0), (400, "bad_request"), "{path}");
        assert!(error_of(&body).1.starts_with("malformed JSON body"), "{path}: {body}");
        let (status, body) = raw(path, "\"just text\"", Some("application/json"));
        assert_eq!(status, 400, "{path}: {body}");
        assert!(error_of(&body).1.starts_with("JSON body: invalid type"), "{path}: {body}");
        let (status, body) = raw(path, "{}", None);
        assert_eq!((status, error_of(&body).0), (415, "unsupported_media_type"), "{path}");
    }
    for (path, parameter) in [
        ("/api/v1/search", "q"),
        ("/api/v1/terms/lookup", "q"),
        ("/api/v1/tm/match", "q"),
        ("/api/v1/tm/concordance", "q"),
        ("/api/v1/places/lookup", "q"),
        ("/api/v1/export", "format"),
    ] {
        let (status, body) = get(&server, path);
        assert_eq!((status, error_of(&body)), (400, ("bad_request", format!("missing parameter `{parameter}`").as_str())), "{path}");
    }
    for path in ["/api/v1/search?q=a&lang=xx", "/api/v1/terms/lookup?q=a&lang=xx", "/api/v1/tm/concordance?q=a&lang=xx"] {
        let (status, body) = get(&server, path);
        assert_eq!(status, 400, "{path}");
        assert!(error_of(&body).1.contains("unknown language \"xx\""), "{path}: {body}");
    }
    let (status, body) = post(&server, "/api/v1/terms/scan", None, &json!({"text": "a", "lang": "sq", "extra": 1}));
    assert_eq!(status, 400);
    assert!(error_of(&body).1.contains("unknown field `extra`"), "{body}");
}

/// The routes this branch serves; the OpenAPI document must list each.
const ROUTES: &[(&str, &str)] = &[
    ("get", "/healthz"),
    ("get", "/readyz"),
    ("get", "/metrics"),
    ("get", "/api/v1/openapi.json"),
    ("get", "/api/v1/docs"),
    ("get", "/api/v1/stats"),
    ("get", "/api/v1/search"),
    ("get", "/api/v1/terms/lookup"),
    ("post", "/api/v1/terms"),
    ("get", "/api/v1/terms/{concept_id}"),
    ("put", "/api/v1/terms/{concept_id}"),
    ("delete", "/api/v1/terms/{concept_id}"),
    ("post", "/api/v1/terms/scan"),
    ("get", "/api/v1/tm/match"),
    ("post", "/api/v1/tm/match"),
    ("get", "/api/v1/tm/concordance"),
    ("post", "/api/v1/units"),
    ("get", "/api/v1/places/lookup"),
    ("post", "/api/v1/places/check"),
    ("post", "/api/v1/places/sign"),
    ("get", "/api/v1/places/municipalities"),
    ("get", "/api/v1/places/municipalities/{id}"),
    ("get", "/api/v1/places/municipalities/{id}/settlements"),
    ("get", "/api/v1/places/export"),
    ("get", "/api/v1/places/{id}"),
    ("get", "/api/v1/export"),
    ("get", "/api/v1/tokens"),
    ("post", "/api/v1/tokens"),
    ("delete", "/api/v1/tokens/{id}"),
    ("post", "/api/v1/admin/backup"),
    ("post", "/api/v1/audit"),
    ("post", "/api/v1/import"),
    ("get", "/api/v1/jobs/{id}"),
    ("get", "/api/v1/monitor/institutions"),
    ("post", "/api/v1/monitor/institutions"),
    ("get", "/api/v1/monitor/institutions/{id}"),
    ("delete", "/api/v1/monitor/institutions/{id}"),
    ("get", "/api/v1/monitor/institutions/{id}/runs"),
    ("post", "/api/v1/monitor/institutions/{id}/runs"),
    ("get", "/api/v1/monitor/institutions/{id}/report"),
    ("get", "/api/v1/monitor/institutions/{id}/evidence"),
    ("get", "/api/v1/monitor/institutions/{id}/snapshots"),
    ("get", "/api/v1/monitor/institutions/{id}/snapshots/{hash}"),
    ("get", "/api/v1/monitor/jobs/{id}"),
];

#[test]
fn openapi_document_is_3_1_and_lists_every_route_the_router_serves() {
    let server = start();
    let (status, document) = get(&server, "/api/v1/openapi.json");
    assert_eq!(status, 200);
    assert!(document["openapi"].as_str().is_some_and(|version| version.starts_with("3.1.")), "{}", document["openapi"]);
    assert_eq!(document["info"]["title"], "termbridge");
    let paths = document["paths"].as_object().expect("paths");
    let mut listed: Vec<(String, String)> = Vec::new();
    for (path, item) in paths {
        for method in ["get", "put", "post", "delete", "patch"] {
            if item.get(method).is_some() {
                listed.push((method.to_string(), path.clone()));
            }
        }
    }
    for (method, path) in ROUTES {
        assert!(listed.contains(&(method.to_string(), path.to_string())), "{method} {path} is served but not in the OpenAPI document");
    }
    // Every listed operation is routed: requests reach a handler or its auth layer, never the
    // fallback ("no such route") nor a 405.
    let admin = server.token(Role::Admin);
    for (method, path) in &listed {
        let concrete = path.replace("{concept_id}", "no-such-concept").replace("{id}", "mun:ferizaj");
        let request = match method.as_str() {
            "get" => client().get(server.url(&concrete)),
            "post" => client().post(server.url(&concrete)),
            "put" => client().put(server.url(&concrete)),
            "delete" => client().delete(server.url(&concrete)),
            other => panic!("unexpected method {other}"),
        };
        let response = request.bearer_auth(&admin).send().expect("request");
        let status = response.status().as_u16();
        let text = response.text().unwrap_or_default();
        assert_ne!(status, 405, "{method} {path}: {text}");
        assert!(!(status == 404 && text.contains("no such route")), "{method} {path} is in the document but not routed");
        if !path.starts_with("/api/v1/") || path.starts_with("/api/v1/openapi") {
            continue;
        }
        // Each /api/v1 operation documents its answers, and every error body is ErrorBody.
        let operation = &paths[path.as_str()][method.as_str()];
        assert!(["200", "201", "202"].iter().any(|status| operation["responses"][status].is_object()), "{method} {path}");
    }
    let schemas = document["components"]["schemas"].as_object().expect("schemas");
    for schema in
        ["ErrorBody", "Concept", "Term", "TmHit", "Patch", "ConcordanceLine", "PlaceHit", "SignFinding", "Municipality", "SearchResponse", "ConceptInput"]
    {
        assert!(schemas.contains_key(schema), "schema {schema} missing: {:?}", schemas.keys().collect::<Vec<_>>());
    }
    for field in ["patched_target", "patches", "patched_score"] {
        assert!(schemas["TmHit"]["properties"][field].is_object(), "TmHit.{field}: {}", schemas["TmHit"]);
    }
    assert!(document["components"]["securitySchemes"]["bearer"].is_object());
    // The operations that need a token are exactly the protected routes the security tests walk.
    let mut secured: Vec<(String, String)> =
        listed.iter().filter(|(method, path)| paths[path.as_str()][method.as_str()].get("security").is_some()).cloned().collect();
    let mut protected: Vec<(String, String)> =
        termbridge::api::WRITE_ROUTES.iter().map(|route| (route.method.to_lowercase(), route.path.to_string())).collect();
    secured.sort();
    protected.sort();
    assert_eq!(secured, protected, "operations with `security` in the document against WRITE_ROUTES");
    let create = &paths["/api/v1/terms"]["post"];
    assert_eq!(create["security"], json!([{"bearer": []}]));
    assert_eq!(create["requestBody"]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/ConceptInput");
}

#[test]
fn docs_page_renders_the_document_without_inline_or_external_scripts() {
    let server = start();
    let response = client().get(server.url("/api/v1/docs")).send().expect("docs");
    assert_eq!(response.status().as_u16(), 200);
    assert!(response.headers()["content-type"].to_str().is_ok_and(|value| value.starts_with("text/html")));
    let csp = response.headers()["content-security-policy"].to_str().unwrap_or("").to_string();
    assert!(csp.contains("script-src 'self'"), "{csp}");
    let html = response.text().expect("html");
    assert!(html.contains("<script src=\"/ui/docs.js\" defer></script>"));
    assert_eq!(html.matches("<script").count(), 1, "one script, loaded from this service");
    assert!(!html.contains("style=") && !html.contains("<style"), "no inline styles (the CSP forbids them)");
    assert!(!html.contains("http://") && !html.contains("https://"), "no external assets");
    for (path, content_type) in [("/ui/docs.js", "text/javascript"), ("/ui/docs.css", "text/css")] {
        let response = client().get(server.url(path)).send().expect("asset");
        assert_eq!(response.status().as_u16(), 200, "{path}");
        assert!(response.headers()["content-type"].to_str().is_ok_and(|value| value.starts_with(content_type)), "{path}");
        let text = response.text().expect("asset text");
        assert!(!text.contains("http://") && !text.contains("https://"), "{path} loads nothing from elsewhere");
        if path.ends_with(".js") {
            assert!(text.contains("fetch(\"/api/v1/openapi.json\""), "the page renders this service's document");
            assert!(!text.contains("innerHTML"), "document text is inserted as text");
        }
    }
}

#[test]
fn tm_fragments_and_the_fragments_of_a_match() {
    let server = start();
    let editor = server.token(Role::Editor);
    let pairs = [
        ("f1", "Open the file", "Hap skedarin"),
        ("f2", "Save the file", "Ruaj skedarin"),
        ("f4", "Close the window", "Mbyll dritaren"),
        ("f5", "Open a new window", "Hap një dritare të re"),
        ("f6", "Create a new window", "Krijo një dritare të re"),
    ];
    let units: Vec<Value> = pairs.iter().map(|(id, en, sq)| json!({"id": id, "variants": {"en": en, "sq": sq}})).collect();
    let (status, body) = post(&server, "/api/v1/units", Some(&editor), &json!({"units": units}));
    assert_eq!((status, body["stored"].as_u64()), (200, Some(5)), "{body}");

    let query = "Print the file in a new window";
    let (status, body) = get(&server, &with_query("/api/v1/tm/fragments", &[("q", query), ("source_lang", "en"), ("target_lang", "sq")]));
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["query"], query);
    let fragments = body["fragments"].as_array().expect("fragments");
    let rows: Vec<(&str, &str, &str)> =
        fragments.iter().map(|f| (f["text"].as_str().unwrap_or(""), f["translation"].as_str().unwrap_or(""), f["origin"].as_str().unwrap_or(""))).collect();
    assert_eq!(rows, [("file", "skedarin", "memory"), ("new window", "dritare të re", "memory")]);
    let window = &fragments[1];
    assert_eq!(&query[window["start"].as_u64().unwrap_or(0) as usize..window["end"].as_u64().unwrap_or(0) as usize], "new window");
    assert_eq!((window["occurrences"].as_u64(), window["words"].as_u64(), window["target_lang"].as_str()), (Some(2), Some(2), Some("sq")));
    assert!(window["confidence"].as_f64().is_some_and(|confidence| confidence > 0.0 && confidence <= 1.0), "{window}");
    let example = &window["example"];
    let target = example["target"].as_str().expect("target");
    assert_eq!(&target[example["target_start"].as_u64().unwrap_or(0) as usize..example["target_end"].as_u64().unwrap_or(0) as usize], "dritare të re");
    assert!(example["id"].is_string() && example["source"].is_string(), "{example}");

    // No match reaches 75: the match answer carries the same fragments.
    let (status, body) = get(&server, &with_query("/api/v1/tm/match", &[("q", query), ("source_lang", "en"), ("target_lang", "sq")]));
    assert_eq!(status, 200, "{body}");
    assert!(body["hits"].as_array().is_some_and(|hits| hits.iter().all(|hit| hit["score"].as_f64().unwrap_or(100.0) < 75.0)), "{body}");
    assert_eq!(body["fragments"].as_array().map(Vec::len), Some(2), "{body}");
    // A whole match above the threshold: none, unless asked for.
    let whole = [("q", "Open the file"), ("source_lang", "en"), ("target_lang", "sq")];
    let (_, body) = get(&server, &with_query("/api/v1/tm/match", &whole));
    assert_eq!(body["fragments"], json!([]), "{body}");
    let (_, body) = post(&server, "/api/v1/tm/match", None, &json!({"text": "Open the file", "source_lang": "en", "target_lang": "sq", "fragments": true}));
    assert_eq!(body["fragments"][0]["text"], "Open the file", "{body}");
    let (_, body) = get(&server, &with_query("/api/v1/tm/match", &[("q", query), ("source_lang", "en"), ("fragment_threshold", "10")]));
    assert_eq!(body["fragments"], json!([]), "{body}");
    let (status, body) = get(&server, &with_query("/api/v1/tm/match", &[("q", query), ("fragment_threshold", "101")]));
    assert_eq!((status, error_of(&body).0), (400, "bad_request"), "{body}");
    let (status, body) = get(&server, "/api/v1/tm/fragments?q=");
    assert_eq!((status, error_of(&body).1), (400, "parameter `q` is empty"));

    // The search the web UI calls has them too.
    let (status, body) = get(&server, &with_query("/api/v1/search", &[("q", query), ("lang", "en")]));
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["fragments"].as_array().map(Vec::len), Some(2), "{body}");

    let (_, openapi) = get(&server, "/api/v1/openapi.json");
    assert!(openapi["paths"]["/api/v1/tm/fragments"]["get"].is_object());
    for schema in ["Fragment", "FragmentExample", "FragmentsResponse"] {
        assert!(openapi["components"]["schemas"][schema].is_object(), "no schema {schema}");
    }
    assert!(openapi["components"]["schemas"]["MatchResponse"]["properties"]["fragments"].is_object());
}
