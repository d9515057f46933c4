//! Crash safety: processes killed with SIGKILL at seeded random points leave every
//! acknowledged write whole, no unacknowledged write in part, no duplicate, and a data
//! directory that opens without repair and searches as before.
//!
//! Four harnesses: `termbridge import` of a 100,000-unit TMX, the service under concurrent
//! `POST /api/v1/units` batches, `termbridge reindex`, and `termbridge terms import`.
//! `TERMBRIDGE_CRASH_ROUNDS` sets the kill points of all four together (10 by default: 3, 3,
//! 2, 2); `TERMBRIDGE_CRASH_SEED` replays a run's choices (the seed is in every failure).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::support::{Rng, ServerProcess, concordance, corpus_row, crash_rounds, crash_seed, exported_ids, run, run_and_kill, run_json, write_tmx};

fn path_str(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

/// Times a command run to completion.
fn timed(data_dir: &Path, args: &[&str]) -> Duration {
    let started = Instant::now();
    let output = run(data_dir, args);
    assert!(output.status.success(), "termbridge {args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
    started.elapsed()
}

/// Phrases that find one row each (its last word and its number), for comparing searches.
fn probe_phrases(seed: u64, rows: &[usize]) -> Vec<String> {
    rows.iter()
        .flat_map(|&row| {
            let (en, sq) = corpus_row(seed, row);
            [en, sq].map(|text| text.split(' ').rev().take(2).collect::<Vec<_>>().into_iter().rev().collect::<Vec<_>>().join(" "))
        })
        .collect()
}

fn searches(data_dir: &Path, phrases: &[String]) -> Vec<Vec<String>> {
    phrases.iter().map(|phrase| concordance(data_dir, phrase)).collect()
}

#[test]
fn sigkill_during_import_is_all_or_nothing() {
    let seed = crash_seed("crash: import");
    let mut rng = Rng::new(seed);
    let work = tempfile::tempdir().expect("tempdir");
    let rows = 100_000;
    let base_rows = 1_000;
    let corpus_seed = 7;
    let big = write_tmx(work.path(), "big.tmx", 0..rows, corpus_seed, "big-");
    let base = write_tmx(work.path(), "base.tmx", 0..base_rows, corpus_seed + 1, "base-");
    let import_big = ["import", path_str(&big)];
    let import_base = ["import", path_str(&base)];
    let phrases: Vec<String> = probe_phrases(corpus_seed, &[0, 4_321, 99_999]).into_iter().chain(probe_phrases(corpus_seed + 1, &[17])).collect();
    let rounds = crash_rounds(3);

    // The two states a kill may leave, measured on an uninterrupted run.
    let reference = work.path().join("reference");
    run_json(&reference, &import_base);
    let before = searches(&reference, &phrases);
    let started = Instant::now();
    let summary = run_json(&reference, &import_big);
    let full = started.elapsed();
    assert_eq!(summary["stored"], rows);
    let after = searches(&reference, &phrases);
    assert_ne!(before, after, "the probe phrases see the big import");

    let data_dir = work.path().join("data");
    run_json(&data_dir, &import_base);
    let (mut whole, mut none) = (0, 0);
    let started_all = Instant::now();
    for round in 0..rounds {
        // Kill points spread over 0–110% of a full import (some after it finished).
        let delay = full.mul_f64(rng.fraction() * 1.1);
        let acknowledged = run_and_kill(&data_dir, &import_big, delay);
        let context = format!("seed {seed}, round {round}, kill after {delay:?}, acknowledged {acknowledged}");

        // The store opens without repair (any command opens it; the index follows the store).
        let stats = run_json(&data_dir, &["stats"]);
        let units = stats["units"].as_u64().expect("units");
        assert!(units == base_rows as u64 || units == (base_rows + rows) as u64, "{context}: {units} units (partial import)");
        if acknowledged {
            assert_eq!(units, (base_rows + rows) as u64, "{context}: an acknowledged import is missing");
        }
        assert_eq!(stats["indexed_variants"].as_u64(), Some(units * 2), "{context}: index out of step with the store");
        let ids = exported_ids(&data_dir, work.path());
        let distinct: BTreeSet<&String> = ids.iter().collect();
        assert_eq!(distinct.len(), ids.len(), "{context}: duplicate units");
        assert_eq!(ids.len() as u64, units, "{context}: export and count differ");
        assert_eq!(ids.iter().filter(|id| id.starts_with("base-")).count(), base_rows, "{context}: the earlier import is damaged");

        let expected = if units == base_rows as u64 { &before } else { &after };
        assert_eq!(&searches(&data_dir, &phrases), expected, "{context}: search results differ after the kill");
        run_json(&data_dir, &["reindex"]);
        assert_eq!(&searches(&data_dir, &phrases), expected, "{context}: search results differ after reindex");

        if units == base_rows as u64 {
            none += 1;
        } else {
            whole += 1;
            // Start the next round from the base again, so every kill can hit an import.
            std::fs::remove_dir_all(&data_dir).expect("reset data dir");
            run_json(&data_dir, &import_base);
        }
    }
    eprintln!(
        "crash: import: seed {seed}: {rounds} kill points in {:.1} s, {none} left none of the import, {whole} all of it, 0 partial, 0 duplicates",
        started_all.elapsed().as_secs_f64()
    );
}

/// One batch of the service harness: its id and whether the service acknowledged it (2xx).
struct Sent {
    batch: String,
    acknowledged: bool,
}

const BATCH_UNITS: usize = 50;

fn batch_body(batch: &str) -> Value {
    let units: Vec<Value> = (0..BATCH_UNITS)
        .map(|unit| {
            json!({"id": format!("{batch}-u{unit}"), "variants": {
                "en": format!("Decision {batch} of the municipal assembly, item {unit}"),
                "sq": format!("Vendimi {batch} i kuvendit komunal, pika {unit}"),
            }})
        })
        .collect();
    json!({"units": units})
}

#[test]
fn sigkill_of_the_service_under_concurrent_writes() {
    let seed = crash_seed("crash: service");
    let mut rng = Rng::new(seed);
    let work = tempfile::tempdir().expect("tempdir");
    let data_dir = work.path().join("data");
    let token = run_json(&data_dir, &["token", "create", "--role", "editor"])["token"].as_str().expect("token").to_string();
    let rounds = crash_rounds(3);
    let clients = 4;
    let mut all_sent: Vec<Sent> = Vec::new();
    let started_all = Instant::now();
    for round in 0..rounds {
        let mut server = ServerProcess::start(&data_dir, |_| {});
        let delay = Duration::from_millis(200 + rng.below(2_500));
        let threads: Vec<_> = (0..clients)
            .map(|client| {
                let url = server.url("/api/v1/units");
                let token = token.clone();
                std::thread::spawn(move || {
                    let http = super::support::http_client().timeout(Duration::from_secs(60)).build().expect("client");
                    let mut sent = Vec::new();
                    // Bounded: a client stops at the first refused connection, or after 400 batches.
                    for number in 0..400 {
                        let batch = format!("r{round}-c{client}-b{number}");
                        match http.post(&url).bearer_auth(&token).json(&batch_body(&batch)).send() {
                            Ok(response) => {
                                let status = response.status();
                                let body = response.text().unwrap_or_default();
                                assert!(status.is_success(), "batch {batch}: {status} {body}");
                                sent.push(Sent { batch, acknowledged: true });
                            }
                            Err(_) => {
                                sent.push(Sent { batch, acknowledged: false });
                                break;
                            }
                        }
                    }
                    sent
                })
            })
            .collect();
        std::thread::sleep(delay);
        server.kill();
        let log = server.log();
        for thread in threads {
            match thread.join() {
                Ok(sent) => all_sent.extend(sent),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        let context = format!("seed {seed}, round {round}, kill after {delay:?}");

        // After the kill: the store opens, every acknowledged batch is whole, no other batch
        // is in part, nothing is twice.
        let stats = run_json(&data_dir, &["stats"]);
        let units = stats["units"].as_u64().expect("units");
        assert_eq!(stats["indexed_variants"].as_u64(), Some(units * 2), "{context}: index out of step with the store");
        let ids = exported_ids(&data_dir, work.path());
        assert_eq!(ids.len() as u64, units, "{context}: export and count differ");
        let mut per_batch: BTreeMap<&str, usize> = BTreeMap::new();
        let mut distinct = BTreeSet::new();
        for id in &ids {
            assert!(distinct.insert(id.as_str()), "{context}: unit {id} is stored twice");
            let batch = id.rsplit_once("-u").map(|(batch, _)| batch).unwrap_or(id);
            *per_batch.entry(batch).or_default() += 1;
        }
        for (batch, count) in &per_batch {
            assert_eq!(*count, BATCH_UNITS, "{context}: batch {batch} is in part ({count} of {BATCH_UNITS} units)\nservice log:\n{log}");
        }
        for sent in &all_sent {
            if sent.acknowledged {
                assert!(per_batch.contains_key(sent.batch.as_str()), "{context}: acknowledged batch {} is missing", sent.batch);
            }
        }
        let sent_batches: BTreeSet<&str> = all_sent.iter().map(|sent| sent.batch.as_str()).collect();
        assert!(per_batch.keys().all(|batch| sent_batches.contains(batch)), "{context}: a batch nobody sent");
    }
    let acknowledged = all_sent.iter().filter(|sent| sent.acknowledged).count();
    eprintln!(
        "crash: service: seed {seed}: {rounds} kill points in {:.1} s, {clients} clients, {acknowledged} batches acknowledged (all whole), {} unacknowledged, 0 partial, 0 duplicates",
        started_all.elapsed().as_secs_f64(),
        all_sent.len() - acknowledged
    );
}

#[test]
fn sigkill_during_reindex_leaves_a_usable_index() {
    let seed = crash_seed("crash: reindex");
    let mut rng = Rng::new(seed);
    let work = tempfile::tempdir().expect("tempdir");
    let rows = 30_000;
    let corpus_seed = 11;
    let tmx = write_tmx(work.path(), "corpus.tmx", 0..rows, corpus_seed, "u");
    let data_dir = work.path().join("data");
    run_json(&data_dir, &["import", path_str(&tmx)]);
    let phrases = probe_phrases(corpus_seed, &[1, 12_345, 29_999]);
    let expected = searches(&data_dir, &phrases);
    let full = timed(&data_dir, &["reindex"]);
    let rounds = crash_rounds(2);
    let started_all = Instant::now();
    for round in 0..rounds {
        let delay = full.mul_f64(rng.fraction() * 1.1);
        let finished = run_and_kill(&data_dir, &["reindex"], delay);
        let context = format!("seed {seed}, round {round}, kill after {delay:?}, finished {finished}");
        let stats = run_json(&data_dir, &["stats"]);
        assert_eq!(stats["units"].as_u64(), Some(rows as u64), "{context}: the store changed");
        assert_eq!(stats["indexed_variants"].as_u64(), Some(rows as u64 * 2), "{context}: index out of step with the store");
        assert_eq!(searches(&data_dir, &phrases), expected, "{context}: search results differ after the kill");
    }
    run_json(&data_dir, &["reindex"]);
    assert_eq!(searches(&data_dir, &phrases), expected, "seed {seed}: search results differ after a final reindex");
    assert!(!data_dir.join("tantivy.old").exists() && !data_dir.join("tantivy.rebuild").exists(), "seed {seed}: a completed reindex leaves no staging copy");
    eprintln!("crash: reindex: seed {seed}: {rounds} kill points in {:.1} s, searches equal after every kill", started_all.elapsed().as_secs_f64());
}

/// Writes a long-form term base CSV whose every concept `crash-N` carries `marker`.
fn write_terms_csv(path: &Path, concepts: usize, marker: &str) {
    use std::io::Write;
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).expect("create csv"));
    writeln!(file, "concept_id,subject,lang,term,status,pos,note,source").expect("write");
    for concept in 0..concepts {
        writeln!(file, "crash-{concept},crash,en,municipal register {concept},preferred,noun,{marker},").expect("write");
        writeln!(file, "crash-{concept},crash,sq,regjistri komunal {concept},preferred,noun,{marker},").expect("write");
    }
}

/// The notes of the `crash-N` concepts and the number of other concepts, from a CSV export.
fn exported_terms(data_dir: &Path, work: &Path) -> (BTreeMap<String, BTreeSet<String>>, usize) {
    let out = work.join("terms.csv");
    let output = run(data_dir, &["terms", "export", "--format", "csv", "-o", path_str(&out)]);
    assert!(output.status.success(), "terms export failed: {}", String::from_utf8_lossy(&output.stderr));
    let mut reader = csv::Reader::from_path(&out).expect("read export");
    let headers = reader.headers().expect("headers").clone();
    let column = |name: &str| headers.iter().position(|header| header == name).expect("column");
    let (id_col, note_col) = (column("concept_id"), column("note"));
    let mut markers: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut others = BTreeSet::new();
    for record in reader.records() {
        let record = record.expect("record");
        let id = record.get(id_col).unwrap_or_default().to_string();
        if id.starts_with("crash-") {
            markers.entry(id).or_default().insert(record.get(note_col).unwrap_or_default().to_string());
        } else {
            others.insert(id);
        }
    }
    (markers, others.len())
}

#[test]
fn sigkill_during_term_base_import_is_all_or_nothing() {
    let seed = crash_seed("crash: terms import");
    let mut rng = Rng::new(seed);
    let work = tempfile::tempdir().expect("tempdir");
    let data_dir = work.path().join("data");
    let concepts = 20_000;
    let csv_path = work.path().join("terms.csv");
    write_terms_csv(&csv_path, concepts, "round-start");
    // The first import also loads the shipped term base: the state every kill starts from.
    let full = timed(&data_dir, &["terms", "import", path_str(&csv_path)]);
    let (markers, shipped) = exported_terms(&data_dir, work.path());
    assert_eq!(markers.len(), concepts);
    let mut current = "round-start".to_string();
    let rounds = crash_rounds(2);
    let started_all = Instant::now();
    for round in 0..rounds {
        // Each round rewrites every concept with its own marker: an import is all new or all old.
        let marker = format!("round-{round}");
        write_terms_csv(&csv_path, concepts, &marker);
        let delay = full.mul_f64(rng.fraction() * 1.1);
        let acknowledged = run_and_kill(&data_dir, &["terms", "import", path_str(&csv_path)], delay);
        let context = format!("seed {seed}, round {round}, kill after {delay:?}, acknowledged {acknowledged}");
        let (markers, others) = exported_terms(&data_dir, work.path());
        assert_eq!(others, shipped, "{context}: the shipped term base changed");
        assert_eq!(markers.len(), concepts, "{context}: concepts lost or added");
        let seen: BTreeSet<&String> = markers.values().flatten().collect();
        assert_eq!(seen.len(), 1, "{context}: concepts of two imports side by side (partial import): {seen:?}");
        let now = seen.into_iter().next().expect("one marker").clone();
        assert!(now == current || now == marker, "{context}: marker {now}");
        if acknowledged {
            assert_eq!(now, marker, "{context}: an acknowledged import is missing");
        }
        current = now;
    }
    eprintln!("crash: terms import: seed {seed}: {rounds} kill points in {:.1} s, 0 partial", started_all.elapsed().as_secs_f64());
}
