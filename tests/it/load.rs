//! A short load run over real HTTP on 127.0.0.1, the CI form of `benches/load.sh`: clients
//! send mixed reads (term lookups, TM matches, place lookups, grouped search, the amaGama
//! API) while background imports run and units are written. It is bounded by request
//! count, not by time, and asserts behaviour only: every read answers 200 (the clients stay
//! under the concurrency limit, so no 503 is intended), every write is acknowledged and
//! counted, and both indexes keep few segments. Throughput and the server's memory are
//! printed, not asserted; BENCHMARKS.md has the 10-minute figures.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::blocking::multipart::{Form, Part};
use serde_json::Value;

use crate::support::{ServerProcess, corpus_row, run, run_json, write_tmx};

const SEED: u64 = 9_001;
const BASE_UNITS: usize = 2_000;
const IMPORTS: usize = 3;
const IMPORT_UNITS: usize = 1_000;
const WRITES: usize = 20;
const WRITE_UNITS: usize = 50;
const CLIENTS: usize = 4;
const READS_PER_CLIENT: usize = 400;

/// Resident anonymous memory of process `pid` in MiB (Linux), if known.
fn anon_mib(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|line| line.starts_with("RssAnon:"))?;
    Some(line.split_whitespace().nth(1)?.parse::<f64>().ok()? / 1024.0)
}

fn client() -> reqwest::blocking::Client {
    crate::support::http_client().timeout(Duration::from_secs(60)).build().expect("client")
}

/// The read of kind `kind` for the `i`-th request of a client.
fn read_path(kind: usize, i: usize) -> String {
    let (en, _) = corpus_row(SEED, (i * 37) % BASE_UNITS);
    // A near match: the row's text with its number changed.
    let near: String = form_urlencoded::byte_serialize(en.replace(char::is_numeric, "7").as_bytes()).collect();
    let places = ["Prishtina", "u Uroševcu", "Besiana", "Mitrovica", "Призрен", "Zvecan", "në Ferizaj", "Gjakovë"];
    let terms = ["opština", "opstini", "komunës", "општина", "kuvendi", "municipality", "vendim"];
    match kind % 5 {
        0 => format!("/api/v1/terms/lookup?q={}&limit=10", terms[i % terms.len()]),
        1 => format!("/api/v1/tm/match?q={near}&source_lang=en&target_lang=sq&limit=5"),
        2 => format!("/api/v1/places/lookup?q={}", form_urlencoded::byte_serialize(places[i % places.len()].as_bytes()).collect::<String>()),
        3 => format!("/api/v1/search?q={}", terms[i % terms.len()]),
        _ => format!("/tmserver/en/sq/unit/{}?max_candidates=5&min_similarity=60", en.replace(' ', "%20")),
    }
}

fn metric(text: &str, name: &str) -> u64 {
    text.lines()
        .find_map(|line| line.strip_prefix(&format!("termbridge_{name} ")))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or_else(|| panic!("no metric {name} in {text}"))
}

#[test]
fn mixed_reads_with_concurrent_imports_answer_without_errors() {
    let work = tempfile::tempdir().expect("tempdir");
    let data_dir = work.path().join("data");
    let base = write_tmx(work.path(), "base.tmx", 0..BASE_UNITS, SEED, "base-");
    let output = run(&data_dir, &["import", base.to_str().expect("path")]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let token = run_json(&data_dir, &["token", "create", "--role", "editor"])["token"].as_str().expect("token").to_string();
    let imports: Vec<Vec<u8>> = (0..IMPORTS)
        .map(|n| {
            let rows = BASE_UNITS + n * IMPORT_UNITS..BASE_UNITS + (n + 1) * IMPORT_UNITS;
            std::fs::read(write_tmx(work.path(), &format!("import-{n}.tmx"), rows, SEED, "import-")).expect("tmx")
        })
        .collect();
    let server = ServerProcess::start(&data_dir, |_| {});
    let pid = server.pid();
    let memory_before = anon_mib(pid);

    let statuses: Arc<Mutex<BTreeMap<String, BTreeMap<u16, u64>>>> = Arc::default();
    let tally = |statuses: &Mutex<BTreeMap<String, BTreeMap<u16, u64>>>, kind: &str, status: u16| {
        *statuses.lock().expect("tally").entry(kind.to_string()).or_default().entry(status).or_default() += 1;
    };
    let started = Instant::now();
    let mut written = 0usize;
    std::thread::scope(|scope| {
        for c in 0..CLIENTS {
            let (server, statuses) = (&server, &statuses);
            scope.spawn(move || {
                let client = client();
                for i in 0..READS_PER_CLIENT {
                    let kind = c + i;
                    let path = read_path(kind, c * READS_PER_CLIENT + i);
                    let name = ["terms", "tm", "places", "search", "amagama"][kind % 5];
                    let status = client.get(server.url(&path)).send().map_or(0, |response| response.status().as_u16());
                    tally(statuses, name, status);
                }
            });
        }
        // Writes beside the reads: background imports, each followed to its end, and batches
        // of units between them.
        let client = client();
        for n in 0..WRITES {
            if n % (WRITES / IMPORTS) == 0 && n / (WRITES / IMPORTS) < IMPORTS {
                let body = imports[n / (WRITES / IMPORTS)].clone();
                let form = Form::new().part("file", Part::bytes(body).file_name(format!("import-{n}.tmx")));
                let response = client.post(server.url("/api/v1/import")).bearer_auth(&token).multipart(form).send().expect("import");
                tally(&statuses, "import", response.status().as_u16());
                let job: Value = response.json().expect("job");
                let id = job["id"].as_str().expect("job id").to_string();
                let deadline = Instant::now() + Duration::from_secs(300);
                let done = loop {
                    let job: Value = client.get(server.url(&format!("/api/v1/jobs/{id}"))).bearer_auth(&token).send().expect("job").json().expect("job");
                    if matches!(job["status"].as_str(), Some("done" | "failed")) || Instant::now() > deadline {
                        break job;
                    }
                    std::thread::sleep(Duration::from_millis(20));
                };
                assert_eq!(done["status"], "done", "{done}");
                written += done["result"]["stored"].as_u64().expect("stored") as usize;
            }
            let units: Vec<Value> = (0..WRITE_UNITS)
                .map(|i| serde_json::json!({"variants": {"en": format!("Write {n} of the load test, unit {i}"), "sq": format!("Shkrimi {n}, njësia {i}")}}))
                .collect();
            let response = client.post(server.url("/api/v1/units")).bearer_auth(&token).json(&serde_json::json!({"units": units})).send().expect("write");
            tally(&statuses, "write", response.status().as_u16());
            let answer: Value = response.json().expect("write answer");
            written += answer["stored"].as_u64().unwrap_or(0) as usize;
        }
    });
    let elapsed = started.elapsed();
    let statuses = statuses.lock().expect("tally").clone();
    for (kind, counts) in &statuses {
        let expected = match kind.as_str() {
            "import" => 202,
            _ => 200,
        };
        assert_eq!(counts.keys().copied().collect::<Vec<_>>(), vec![expected], "{kind} answered {counts:?}; server log:\n{}", server.log());
    }
    let reads: u64 = statuses.iter().filter(|(kind, _)| !matches!(kind.as_str(), "import" | "write")).flat_map(|(_, counts)| counts.values()).sum();
    assert_eq!(reads, (CLIENTS * READS_PER_CLIENT) as u64);
    assert_eq!(written, IMPORTS * IMPORT_UNITS + WRITES * WRITE_UNITS);

    let client = client();
    let stats: Value = client.get(server.url("/api/v1/stats")).send().expect("stats").json().expect("stats");
    assert_eq!(stats["units"].as_u64(), Some((BASE_UNITS + written) as u64), "{stats}");
    let metrics = client.get(server.url("/metrics")).send().expect("metrics").text().expect("metrics");
    assert_eq!(metric(&metrics, "units"), (BASE_UNITS + written) as u64);
    // 23 commits to the search index, merged in the background; the fuzzy-match index of each
    // built language merges in the writes (16 segments at most).
    let (search_segments, match_segments) = (metric(&metrics, "search_index_segments"), metric(&metrics, "match_index_segments"));
    assert!(search_segments < (WRITES + IMPORTS) as u64, "{search_segments} search index segments");
    assert!(match_segments <= 2 * 16, "{match_segments} match index segments");
    // A unit written during the run is found.
    let hit: Value = client
        .get(server.url("/api/v1/tm/match?q=Write%2019%20of%20the%20load%20test%2C%20unit%2049&source_lang=en&target_lang=sq&limit=1"))
        .send()
        .expect("match")
        .json()
        .expect("match");
    assert_eq!(hit["hits"][0]["score"].as_f64(), Some(100.0), "{hit}");

    let total: u64 = statuses.values().flat_map(|counts| counts.values()).sum();
    println!(
        "load: {total} requests in {:.1} s ({:.0}/s), {written} units written; server memory {:.0} → {:.0} MiB; \
         segments: search index {search_segments}, match index {match_segments}",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64(),
        memory_before.unwrap_or(0.0),
        anon_mib(pid).unwrap_or(0.0),
    );
}
