//! `termbridge monitor` through the binary: institutions added, listed and removed; a run over
//! the mirror fixture `tests/data/monitor/site` (Albanian, Serbian and English pages, one page
//! only in Albanian); the report in JSON, CSV and HTML; and a run killed with SIGKILL, which
//! leaves the earlier runs whole and the next run clean. Nothing here opens a socket.

use std::path::Path;
use std::time::Instant;

use serde_json::{Value, json};

use super::support::{Rng, copy_dir, crash_rounds, crash_seed, data, run, run_and_kill, run_json};

fn path_str(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

/// Runs `args` and expects exit code `code`; returns standard error.
fn fails(data_dir: &Path, args: &[&str], code: i32) -> String {
    let output = run(data_dir, args);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(code), "termbridge {args:?}: {stderr}");
    stderr
}

const HOME: &str = "http://127.0.0.1/sq/index.html";

#[test]
fn institutions_are_added_listed_and_removed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data_dir = dir.path();
    let added = run_json(data_dir, &["monitor", "add", "kline", HOME, "--name", "Komuna e Klinës", "--municipality", "Klina"]);
    assert_eq!(added["institution"]["municipality"], "Klinë", "resolved to the official name: {added}");
    assert_eq!(added["required"], json!(["sq", "sr"]));
    assert_eq!(added["replaced"], false);
    let prizren = run_json(data_dir, &["monitor", "add", "prizren", "http://127.0.0.1/", "--municipality", "Prizren"]);
    assert!(prizren["required"].as_array().expect("languages").contains(&json!("tr")), "{prizren}");
    run_json(data_dir, &["monitor", "add", "mpb", "http://127.0.0.1/mpb/"]);

    let listed = run_json(data_dir, &["monitor", "list"]);
    let ids: Vec<&str> = listed["institutions"].as_array().expect("list").iter().filter_map(|i| i["id"].as_str()).collect();
    assert_eq!(ids, ["kline", "mpb", "prizren"]);
    assert_eq!(listed["institutions"][0]["runs"], 0);
    assert_eq!(listed["institutions"][0]["name"], "Komuna e Klinës");

    let stderr = fails(data_dir, &["monitor", "add", "x", "http://127.0.0.1/", "--municipality", "Atlantis"], 2);
    assert!(stderr.contains("Atlantis") && stderr.contains("Klinë") && stderr.contains("Prishtinë"), "the known names as hint: {stderr}");
    fails(data_dir, &["monitor", "add", "Bad Id", "http://127.0.0.1/"], 2);
    fails(data_dir, &["monitor", "add", "ok", "ftp://127.0.0.1/"], 2);
    let stderr = fails(data_dir, &["monitor", "remove", "nobody"], 2);
    assert!(stderr.contains("nobody"), "{stderr}");
    let stderr = fails(data_dir, &["monitor", "run", "nobody"], 2);
    assert!(stderr.contains("nobody"), "{stderr}");
    let stderr = fails(data_dir, &["monitor", "report", "kline"], 2);
    assert!(stderr.contains("no run"), "{stderr}");

    let removed = run_json(data_dir, &["monitor", "remove", "mpb"]);
    assert_eq!(removed["removed"], "mpb");
    let listed = run_json(data_dir, &["monitor", "list"]);
    assert_eq!(listed["institutions"].as_array().map(Vec::len), Some(2));
    let human = run(data_dir, &["monitor", "list"]);
    assert!(String::from_utf8_lossy(&human.stdout).contains("kline\tKomuna e Klinës\tKlinë"), "{}", String::from_utf8_lossy(&human.stdout));
}

/// The document of a report whose versions include `url`.
fn document<'r>(report: &'r Value, url: &str) -> &'r Value {
    report["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .find(|doc| doc["urls"].as_object().is_some_and(|urls| urls.values().any(|u| u == url)))
        .unwrap_or_else(|| panic!("no document with {url}: {report:#}"))
}

#[test]
fn a_run_over_a_mirror_pairs_audits_and_reports() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data_dir = dir.path().join("data");
    let site = data("monitor/site");
    run_json(&data_dir, &["monitor", "add", "kline", HOME, "--municipality", "Klinë"]);
    let ran = run_json(&data_dir, &["monitor", "run", "kline", "--from-dir", path_str(&site)]);
    let outcome = &ran["runs"][0];
    assert_eq!(outcome["pages_fetched"], 7, "{ran}");
    assert_eq!(outcome["documents"], 3, "home, vacancy, budget: {ran}");
    assert_eq!(outcome["documents_missing_versions"], 1, "{ran}");

    let report = run_json(&data_dir, &["monitor", "report", "kline"]);
    assert_eq!(report["institution"], "kline");
    for key in ["id", "started", "finished", "pages_fetched", "pages_refused"] {
        assert!(report["run"].get(key).is_some(), "run.{key}: {report:#}");
    }
    assert!(report["score"].is_number() && report["findings_by_check"].is_object(), "{report:#}");
    let budget = document(&report, "http://127.0.0.1/sq/vendime/buxheti.html");
    assert_eq!(budget["urls"], json!({"sq": "http://127.0.0.1/sq/vendime/buxheti.html"}));
    assert_eq!(budget["missing"], json!(["sr"]));
    let finding = &budget["findings"][0];
    assert_eq!((finding["check"].as_str(), finding["severity"].as_str(), finding["lang"].as_str()), (Some("missing-version"), Some("error"), Some("sr")));
    for key in ["check", "severity", "lang", "url", "line", "message"] {
        assert!(finding.get(key).is_some(), "finding.{key}: {finding}");
    }
    let vacancy = document(&report, "http://127.0.0.1/sr/vesti/konkurs.html");
    assert_eq!(vacancy["urls"]["sq"], "http://127.0.0.1/sq/lajme/konkurs.html");
    assert_eq!(vacancy["urls"]["en"], "http://127.0.0.1/en/news/vacancy.html");
    assert_eq!(vacancy["missing"], json!([]));
    assert_eq!(vacancy["script"], json!({"sr": "Cyrl"}));
    // The mirror's index.html is the directory's address.
    let home = document(&report, "http://127.0.0.1/sq/");
    assert_eq!(home["script"], json!({"sr": "Latn"}));
    assert_eq!(report["serbian"]["latin_only_share"], 0.5);
    assert_eq!(report["since_previous"], Value::Null);
    assert_eq!(report["documents"].as_array().map(Vec::len), Some(3));

    // A second run of the same mirror: nothing fixed, nothing new.
    run_json(&data_dir, &["monitor", "run", "--from-dir", path_str(&site)]);
    let second = run_json(&data_dir, &["monitor", "report", "kline", "--format", "json"]);
    assert_eq!(second["since_previous"]["previous_run"], report["run"]["id"]);
    assert_eq!((second["since_previous"]["fixed"].as_array().map(Vec::len), second["since_previous"]["new"].as_array().map(Vec::len)), (Some(0), Some(0)));
    let first_again = run_json(&data_dir, &["monitor", "report", "kline", "--run", &report["run"]["id"].to_string()]);
    assert_eq!(first_again["run"], report["run"]);

    let csv = dir.path().join("report.csv");
    run(&data_dir, &["monitor", "report", "kline", "--format", "csv", "-o", path_str(&csv)]);
    let csv = std::fs::read_to_string(&csv).expect("csv written");
    let findings: usize = report["findings_by_check"].as_object().expect("counts").values().filter_map(Value::as_u64).sum::<u64>() as usize;
    assert_eq!(csv.lines().count(), findings + 1, "a header and a row a finding:\n{csv}");
    let html = run(&data_dir, &["monitor", "report", "kline", "--format", "html"]);
    let html = String::from_utf8_lossy(&html.stdout);
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("buxheti.html") && !html.contains("<script"), "{html}");
    let words = run(&data_dir, &["monitor", "report", "kline"]);
    assert!(String::from_utf8_lossy(&words.stdout).contains("missing sr: http://127.0.0.1/sq/vendime/buxheti.html"));
}

#[test]
fn unchanged_documents_are_carried_over_and_indexes_are_not_documents() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data_dir = dir.path().join("data");
    let site = dir.path().join("site");
    copy_dir(&data("monitor/site"), &site);
    // An index of the news, in Albanian only: links, not a document.
    let items: String = (1..=6).map(|n| format!("<li><a href=\"/sq/lajme/{n}.html\">Lajm {n}</a></li>")).collect();
    std::fs::write(
        site.join("127.0.0.1/sq/lajme/index.html"),
        format!("<!DOCTYPE html><html lang=\"sq\"><head><meta charset=\"utf-8\"><title>Lajme</title></head><body><h1>Lajme</h1><ul>{items}</ul></body></html>"),
    )
    .expect("index written");
    run_json(&data_dir, &["monitor", "add", "kline", HOME, "--municipality", "Klinë"]);
    let first = run_json(&data_dir, &["monitor", "run", "kline", "--from-dir", path_str(&site)]);
    let first = &first["runs"][0];
    assert_eq!((first["documents"].as_u64(), first["pages_listing"].as_u64(), first["documents_reused"].as_u64()), (Some(3), Some(1), Some(0)), "{first}");
    let report = run_json(&data_dir, &["monitor", "report", "kline"]);
    assert!(!report.to_string().contains("lajme/index.html"), "the index is no document: {report:#}");

    let second = run_json(&data_dir, &["monitor", "run", "kline", "--from-dir", path_str(&site)]);
    assert_eq!(second["runs"][0]["documents_reused"], 3, "nothing changed: {second}");
    let again = run_json(&data_dir, &["monitor", "report", "kline"]);
    assert_eq!(again["documents"], report["documents"], "the carried-over documents are the ones audited");
    assert_eq!(again["run"]["documents_reused"], 3);

    // The Serbian vacancy now gives another deadline: its document is audited again.
    let vacancy = site.join("127.0.0.1/sr/vesti/konkurs.html");
    let text = std::fs::read_to_string(&vacancy).expect("vacancy").replace("15 дана", "25 дана");
    std::fs::write(&vacancy, text).expect("vacancy written");
    let third = run_json(&data_dir, &["monitor", "run", "kline", "--from-dir", path_str(&site)]);
    assert_eq!(third["runs"][0]["documents_reused"], 2, "{third}");
    let changed = run_json(&data_dir, &["monitor", "report", "kline"]);
    let findings = &document(&changed, "http://127.0.0.1/sr/vesti/konkurs.html")["findings"];
    assert!(
        findings.as_array().expect("findings").iter().any(|f| f["check"] == "number-mismatch" && f["lang"] == "sr"),
        "the changed number is found: {findings:#}"
    );
    assert_eq!(changed["since_previous"]["new"].as_array().map(Vec::is_empty), Some(false), "{changed:#}");
}

/// A mirror of `pages` Albanian pages with a Serbian counterpart for every other one.
fn write_big_mirror(root: &Path, pages: usize) {
    let host = root.join("127.0.0.1");
    for lang in ["sq", "sr"] {
        std::fs::create_dir_all(host.join(lang)).expect("mkdir");
    }
    for n in 0..pages {
        let alternates = if n % 2 == 0 {
            format!(
                "<link rel=\"alternate\" hreflang=\"sq\" href=\"http://127.0.0.1/sq/{n}.html\"><link rel=\"alternate\" hreflang=\"sr\" href=\"http://127.0.0.1/sr/{n}.html\">"
            )
        } else {
            String::new()
        };
        let sq = format!(
            "<html lang=\"sq\"><head><title>Njoftim {n}</title>{alternates}</head><body><p>Komuna e Klinës njofton qytetarët për vendimin numër {n} të kuvendit të komunës për rregullimin e rrugëve dhe ujësjellësit.</p></body></html>"
        );
        std::fs::write(host.join(format!("sq/{n}.html")), sq).expect("write");
        if n % 2 == 0 {
            let sr = format!(
                "<html lang=\"sr\"><head><title>Обавештење {n}</title>{alternates}</head><body><p>Општина Клина обавештава грађане о одлуци број {n} скупштине општине о уређењу путева и водовода.</p></body></html>"
            );
            std::fs::write(host.join(format!("sr/{n}.html")), sr).expect("write");
        }
    }
}

#[test]
fn sigkill_during_a_run_leaves_earlier_runs_whole() {
    let seed = crash_seed("monitor: run");
    let mut rng = Rng::new(seed);
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("site");
    write_big_mirror(&site, 400);
    let data_dir = dir.path().join("data");
    run_json(&data_dir, &["monitor", "add", "kline", "http://127.0.0.1/sq/0.html", "--municipality", "Klinë"]);
    let args = ["monitor", "run", "kline", "--from-dir", path_str(&site)];
    let started = Instant::now();
    run_json(&data_dir, &args);
    let full = started.elapsed();
    let first = run_json(&data_dir, &["monitor", "report", "kline"]);
    assert_eq!(first["documents"].as_array().map(Vec::len), Some(400), "200 pairs and 200 Albanian-only pages");

    let mut acknowledged_runs = 1;
    for round in 0..crash_rounds(3) {
        let delay = full.mul_f64(rng.fraction() * 1.1);
        let acknowledged = run_and_kill(&data_dir, &args, delay);
        let context = format!("seed {seed}, round {round}, kill after {delay:?}, acknowledged {acknowledged}");
        acknowledged_runs += usize::from(acknowledged);
        // Opening the store removes the unfinished run; the finished ones read whole.
        let listed = run_json(&data_dir, &["monitor", "list"]);
        let runs = listed["institutions"][0]["runs"].as_u64().expect("runs") as usize;
        assert!(runs == acknowledged_runs || runs == acknowledged_runs + 1, "{context}: {runs} runs, {acknowledged_runs} acknowledged");
        acknowledged_runs = runs;
        let report = run_json(&data_dir, &["monitor", "report", "kline", "--run", &first["run"]["id"].to_string()]);
        assert_eq!(report["documents"], first["documents"], "{context}: the first run changed");
        let latest = run_json(&data_dir, &["monitor", "report", "kline"]);
        assert_eq!(latest["documents"].as_array().map(Vec::len), Some(400), "{context}");
    }
    // The next run starts cleanly and is the latest.
    let after = run_json(&data_dir, &args);
    let latest = run_json(&data_dir, &["monitor", "report", "kline"]);
    assert_eq!(latest["run"]["id"], after["runs"][0]["run"], "seed {seed}");
    assert_eq!(latest["score"], first["score"], "seed {seed}: the same mirror scores the same");
}

/// `package` with the file `name` replaced by `bytes` (the manifest unchanged).
fn tampered(package: &Path, name: &str, bytes: &[u8]) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zip = zip::ZipArchive::new(std::fs::File::open(package).expect("open zip")).expect("a zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for index in 0..zip.len() {
        let mut entry = zip.by_index(index).expect("entry");
        let entry_name = entry.name().expect("entry name").to_string();
        let mut content = Vec::new();
        entry.read_to_end(&mut content).expect("read entry");
        if entry_name == name {
            content = bytes.to_vec();
        }
        out.start_file(entry_name, zip::write::SimpleFileOptions::default()).expect("start file");
        out.write_all(&content).expect("write entry");
    }
    out.finish().expect("finish").into_inner()
}

#[test]
fn evidence_is_written_verified_and_a_tampered_copy_fails() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data_dir = dir.path().join("data");
    run_json(&data_dir, &["monitor", "add", "kline", HOME, "--municipality", "Klinë"]);
    let ran = run_json(&data_dir, &["monitor", "run", "kline", "--from-dir", path_str(&data("monitor/site"))]);
    let run_id = ran["runs"][0]["run"].to_string();

    let case = dir.path().join("case.zip");
    let written = run_json(&data_dir, &["monitor", "evidence", "kline", "--run", &run_id, "-o", path_str(&case)]);
    assert_eq!(written["run"].to_string(), run_id, "{written}");
    let bytes = std::fs::read(&case).expect("the zip is written");
    assert_eq!(written["bytes"], bytes.len() as u64);
    assert_eq!(written["blake3"], blake3::hash(&bytes).to_hex().to_string(), "the summary names the zip's hash");
    assert_eq!(written["snapshots"], 7, "{written}");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).expect("list").filter_map(Result::ok).map(|entry| entry.file_name()).collect();
    assert_eq!(leftovers.len(), 2, "the data directory and the zip, no temporary file: {leftovers:?}");
    let human = run(&data_dir, &["monitor", "evidence", "kline", "-o", path_str(&dir.path().join("again.zip"))]);
    let line = String::from_utf8_lossy(&human.stdout).into_owned();
    assert!(line.contains("kline run") && line.contains("BLAKE3") && line.lines().count() == 1, "{line}");

    let verified = run_json(&data_dir, &["monitor", "verify", path_str(&case)]);
    assert_eq!(verified["verified"], true, "{verified}");
    assert_eq!(verified["manifest"]["institution"]["id"], "kline");
    // Whoever receives a package verifies it without a data directory.
    let nowhere = dir.path().join("no-data-dir");
    let output = run(&nowhere, &["monitor", "verify", path_str(&case)]);
    assert!(output.status.success() && String::from_utf8_lossy(&output.stdout).contains("verifies"), "{output:?}");
    assert!(!nowhere.exists(), "verify opens no data directory");

    // One snapshot altered: verify names it and exits 1.
    let manifest = &verified["manifest"];
    let snapshot = manifest["snapshots"][0]["path"].as_str().expect("a snapshot path");
    let altered = dir.path().join("altered.zip");
    std::fs::write(&altered, tampered(&case, snapshot, b"<p>another text</p>")).expect("write");
    let output = run(&data_dir, &["monitor", "verify", path_str(&altered)]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("does not verify") && stdout.contains(snapshot), "{stdout}");
    let not_zip = dir.path().join("not.zip");
    std::fs::write(&not_zip, "not a zip").expect("write");
    fails(&data_dir, &["monitor", "verify", path_str(&not_zip)], 2);

    // A check's package holds only the pages its findings rest on.
    let only = dir.path().join("missing.zip");
    let written = run_json(&data_dir, &["monitor", "evidence", "kline", "--check", "missing-version", "-o", path_str(&only)]);
    assert_eq!((written["check"].as_str(), written["snapshots"].as_u64()), (Some("missing-version"), Some(1)), "{written}");

    // Unknown ids, runs and checks: exit 2, nothing written.
    let refused = dir.path().join("refused.zip");
    let stderr = fails(&data_dir, &["monitor", "evidence", "kline", "--check", "no-such-check", "-o", path_str(&refused)], 2);
    assert!(stderr.contains("no-such-check") && stderr.contains("missing-version") && stderr.contains("untranslated"), "the known checks: {stderr}");
    let stderr = fails(&data_dir, &["monitor", "evidence", "kline", "--run", "999999", "-o", path_str(&refused)], 2);
    assert!(stderr.contains("999999"), "{stderr}");
    let stderr = fails(&data_dir, &["monitor", "evidence", "nobody", "-o", path_str(&refused)], 2);
    assert!(stderr.contains("nobody"), "{stderr}");
    assert!(!refused.exists(), "no half-written file");

    // Standard output, when it is not a terminal; the summary then goes to standard error.
    let output = run(&data_dir, &["monitor", "evidence", "kline"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.stdout.starts_with(b"PK"), "a zip on standard output");
    assert!(String::from_utf8_lossy(&output.stderr).contains("standard output"), "{}", String::from_utf8_lossy(&output.stderr));
    termbridge::monitor::evidence::verify(std::io::Cursor::new(output.stdout)).expect("the zip on standard output verifies");
}

#[test]
fn a_preset_adds_every_sourced_institution_and_keeps_their_runs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data_dir = dir.path().join("data");
    // An institution of the preset watched already, with a run.
    run_json(&data_dir, &["monitor", "add", "mun:kline", HOME, "--municipality", "Klinë"]);
    run_json(&data_dir, &["monitor", "run", "mun:kline", "--from-dir", path_str(&data("monitor/site"))]);

    let added = run_json(&data_dir, &["monitor", "add", "--preset", "kosovo-municipalities"]);
    let institutions = added["added"].as_array().expect("added");
    let skipped = added["skipped"].as_array().expect("skipped");
    assert_eq!(institutions.len() + skipped.len(), 38, "every municipality added or skipped: {added}");
    assert!(!institutions.is_empty() && !skipped.is_empty(), "{added}");
    for added in institutions {
        let institution = &added["institution"];
        assert!(institution["id"].as_str().is_some_and(|id| id.starts_with("mun:")), "{institution}");
        assert!(institution["municipality"].is_string() && institution["urls"].as_array().is_some_and(|urls| !urls.is_empty()), "{institution}");
        assert!(institution["source"].as_str().is_some_and(|source| source.starts_with("http")), "the source is kept: {institution}");
    }
    for row in skipped {
        assert!(row["id"].is_string() && row["note"].as_str().is_some_and(|note| !note.is_empty()), "{row}");
    }
    let kline = institutions.iter().find(|added| added["institution"]["id"] == "mun:kline").expect("mun:kline has an address");
    assert_eq!(kline["replaced"], true);

    let listed = run_json(&data_dir, &["monitor", "list"]);
    let listed = listed["institutions"].as_array().expect("list");
    assert_eq!(listed.len(), institutions.len(), "one institution a sourced row");
    let kline = listed.iter().find(|listed| listed["id"] == "mun:kline").expect("listed");
    assert_eq!(kline["runs"], 1, "the run of a replaced institution is kept: {kline}");
    assert!(kline["urls"][0].as_str().is_some_and(|url| url.starts_with("https://")), "the preset's address: {kline}");

    // Again: the same institutions, replaced.
    let again = run_json(&data_dir, &["monitor", "add", "--preset", "kosovo-municipalities"]);
    assert_eq!(again["added"].as_array().map(Vec::len), Some(institutions.len()));
    assert!(again["added"].as_array().expect("added").iter().all(|added| added["replaced"] == true), "{again}");
    assert_eq!(run_json(&data_dir, &["monitor", "list"])["institutions"].as_array().map(Vec::len), Some(institutions.len()));

    let human = run(&data_dir, &["monitor", "add", "--preset", "kosovo-central"]);
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains("preset kosovo-central:") && text.contains("skipped, no sourced address: central:"), "{text}");

    let stderr = fails(&data_dir, &["monitor", "add", "--preset", "kosovo-villages"], 2);
    assert!(stderr.contains("kosovo-municipalities") && stderr.contains("kosovo-central"), "the known presets: {stderr}");
    fails(&data_dir, &["monitor", "add", "--preset", "kosovo", "x", "http://127.0.0.1/"], 2);
    fails(&data_dir, &["monitor", "add"], 2);
}
