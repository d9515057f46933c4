//! Fault injection: a full disk (a small tmpfs as root, and a lowered file size limit,
//! `RLIMIT_FSIZE`, anywhere), a read-only data directory, a damaged search index and a store
//! of an older schema. Each must fail clearly or recover, and never lose acknowledged data.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::support::{
    Rng, ServerProcess, binary, concordance, copy_dir, corpus_row, crash_seed, data, exported_ids, limit_file_size, output_within, run, run_json, write_tmx,
};

fn path_str(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// A tmpfs mounted for one test, unmounted when dropped.
struct Tmpfs {
    path: PathBuf,
}

impl Tmpfs {
    /// Mounts a tmpfs of `size` (`8m`) at `path`, or tells why it cannot.
    fn mount(path: &Path, size: &str) -> Result<Tmpfs, String> {
        if !is_root() {
            return Err("not root".into());
        }
        std::fs::create_dir_all(path).map_err(|err| err.to_string())?;
        let output =
            Command::new("mount").args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs", path_str(path)]).output().map_err(|err| err.to_string())?;
        if !output.status.success() {
            return Err(String::from_utf8_lossy(&output.stderr).trim().to_string());
        }
        Ok(Tmpfs { path: path.to_path_buf() })
    }

    fn remount(&self, options: &str) {
        let output = Command::new("mount").args(["-o", &format!("remount,{options}"), path_str(&self.path)]).output().expect("mount");
        assert!(output.status.success(), "remount {options}: {}", String::from_utf8_lossy(&output.stderr));
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.path).output();
    }
}

/// Size of the largest file under `dir`.
fn largest_file(dir: &Path) -> u64 {
    let mut largest = 0;
    for entry in std::fs::read_dir(dir).expect("read dir").map_while(Result::ok) {
        let meta = entry.metadata().expect("metadata");
        largest = largest.max(if meta.is_dir() { largest_file(&entry.path()) } else { meta.len() });
    }
    largest
}

fn phrases(seed: u64, rows: &[usize]) -> Vec<String> {
    rows.iter()
        .map(|&row| {
            let (_, sq) = corpus_row(seed, row);
            sq.split(' ').rev().take(2).collect::<Vec<_>>().into_iter().rev().collect::<Vec<_>>().join(" ")
        })
        .collect()
}

fn searches(data_dir: &Path, phrases: &[String]) -> Vec<Vec<String>> {
    phrases.iter().map(|phrase| concordance(data_dir, phrase)).collect()
}

#[test]
fn import_past_the_file_size_limit_fails_clearly_and_keeps_the_data() {
    let work = tempfile::tempdir().expect("tempdir");
    let data_dir = work.path().join("data");
    let base = write_tmx(work.path(), "base.tmx", 0..1_000, 21, "base-");
    let big = write_tmx(work.path(), "big.tmx", 0..60_000, 22, "big-");
    run_json(&data_dir, &["import", path_str(&base)]);
    let probe = phrases(21, &[3, 999]);
    let before = searches(&data_dir, &probe);

    // Room for a few more megabytes in any one file: the store's log outgrows it.
    let limit = largest_file(&data_dir) + (3 << 20);
    let mut command = Command::new(binary());
    command.arg("--data-dir").arg(&data_dir).args(["import", path_str(&big)]).env("TERMBRIDGE_LOG", "off");
    limit_file_size(&mut command, limit);
    let output = output_within(&mut command, std::time::Duration::from_secs(300));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "import past the limit: {stderr}");
    assert!(stderr.contains("size limit") && stderr.contains("nothing of it was stored"), "the error names the cause: {stderr}");

    let stats = run_json(&data_dir, &["stats"]);
    assert_eq!(stats["units"], 1_000, "the data before the failed import is intact");
    assert_eq!(searches(&data_dir, &probe), before);
    assert_eq!(exported_ids(&data_dir, work.path()).len(), 1_000);
    // With room again, the same import goes through.
    assert_eq!(run_json(&data_dir, &["import", path_str(&big)])["stored"], 60_000);
}

fn post_batch(client: &reqwest::blocking::Client, server: &ServerProcess, token: &str, batch: usize) -> (u16, serde_json::Value) {
    let units: Vec<serde_json::Value> = (0..2_000)
        .map(|unit| {
            serde_json::json!({"id": format!("b{batch}-u{unit}"), "variants": {
                "en": format!("Batch {batch}: the municipal assembly adopted decision {unit} on public lighting and roads"),
                "sq": format!("Grupi {batch}: kuvendi komunal miratoi vendimin {unit} për ndriçimin publik dhe rrugët"),
            }})
        })
        .collect();
    let response = client.post(server.url("/api/v1/units")).bearer_auth(token).json(&serde_json::json!({"units": units})).send().expect("post");
    let status = response.status().as_u16();
    (status, response.json().unwrap_or_default())
}

#[test]
fn service_past_the_file_size_limit_refuses_writes_and_keeps_answering_reads() {
    // About 400 KB of text a batch: 400 batches are far more than 4 MiB of growth.
    const MAX_BATCHES: usize = 400;
    let work = tempfile::tempdir().expect("tempdir");
    let data_dir = work.path().join("data");
    let token = run_json(&data_dir, &["token", "create", "--role", "editor"])["token"].as_str().expect("token").to_string();
    // The shipped term base goes in on the first start; start once without a limit.
    drop(ServerProcess::start(&data_dir, |_| {}));
    let limit = largest_file(&data_dir) + (4 << 20);
    let server = ServerProcess::start(&data_dir, |command| limit_file_size(command, limit));
    let client = super::support::http_client().timeout(std::time::Duration::from_secs(60)).build().expect("client");

    let mut acknowledged = 0;
    let mut refused = None;
    // The store's file grows only when the engine has no freed space left to reuse, which
    // depends on how far its background cleaning got: keep writing until a write is refused.
    for batch in 0..MAX_BATCHES {
        let (status, body) = post_batch(&client, &server, &token, batch);
        if status == 200 {
            acknowledged += 1;
            continue;
        }
        refused = Some((batch, status, body));
        break;
    }
    let (batch, status, body) = refused.unwrap_or_else(|| panic!("{MAX_BATCHES} batches fit under a limit of {limit} bytes"));
    assert_eq!(status, 507, "batch {batch}: {body}");
    assert_eq!(body["error"]["code"], "insufficient_storage");
    assert!(body["error"]["message"].as_str().unwrap_or_default().contains("nothing of this write was stored"), "{body}");
    // The log is read on another thread: give it a moment to catch up.
    let logged = (0..100).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(50));
        server.log().contains("size limit")
    });
    assert!(logged, "the log names the cause: {}", server.log());

    // Reads go on, and show only what was acknowledged.
    let stats: serde_json::Value = client.get(server.url("/api/v1/stats")).send().expect("stats").json().expect("json");
    assert_eq!(stats["units"], acknowledged * 2_000, "reads see only acknowledged writes: {stats}");
    assert_eq!(client.get(server.url("/healthz")).send().expect("healthz").status().as_u16(), 200);
    let (status, _) = post_batch(&client, &server, &token, 999);
    assert_eq!(status, 507, "later writes are refused too");
    drop(server);

    let stats = run_json(&data_dir, &["stats"]);
    assert_eq!(stats["units"], acknowledged * 2_000, "after a restart, exactly the acknowledged batches");
    let ids = exported_ids(&data_dir, work.path());
    assert!(ids.iter().all(|id| id.split_once("-u").is_some_and(|(batch, _)| batch[1..].parse::<usize>().is_ok_and(|number| number < acknowledged))));
}

#[test]
fn import_onto_a_full_tmpfs_fails_clearly_and_keeps_the_data() {
    let work = tempfile::tempdir().expect("tempdir");
    let disk = match Tmpfs::mount(&work.path().join("disk"), "8m") {
        Ok(disk) => disk,
        Err(why) => {
            eprintln!("SKIPPED full tmpfs: cannot mount a tmpfs ({why}); the RLIMIT_FSIZE tests cover a full disk");
            return;
        }
    };
    let data_dir = disk.path.join("data");
    let base = write_tmx(work.path(), "base.tmx", 0..1_000, 31, "base-");
    let big = write_tmx(work.path(), "big.tmx", 0..100_000, 32, "big-");
    run_json(&data_dir, &["import", path_str(&base)]);
    let probe = phrases(31, &[5, 500]);
    let before = searches(&data_dir, &probe);

    let mut command = Command::new(binary());
    command.arg("--data-dir").arg(&data_dir).args(["import", path_str(&big)]).env("TERMBRIDGE_LOG", "off");
    let output = output_within(&mut command, std::time::Duration::from_secs(300));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "import onto a full disk: {stderr}");
    assert!(stderr.contains("no space left on the device") && stderr.contains("nothing of it was stored"), "the error names the cause: {stderr}");

    // Once there is room again, the data of before is all there.
    disk.remount("size=256m");
    assert_eq!(run_json(&data_dir, &["stats"])["units"], 1_000);
    assert_eq!(searches(&data_dir, &probe), before);
    // Whatever part of the failed write the engine applied lies past the commit record's
    // next block: the open removed it, and the store checks clean.
    let check = run_json(&data_dir, &["check"]);
    assert_eq!(check["ok"], true, "{check}");
}

#[test]
fn a_read_only_data_directory_is_refused_at_start() {
    let work = tempfile::tempdir().expect("tempdir");
    let base = write_tmx(work.path(), "base.tmx", 0..50, 41, "u");
    // Root ignores permission bits: a read-only tmpfs then; otherwise chmod.
    let (data_dir, _disk) = if is_root() {
        match Tmpfs::mount(&work.path().join("disk"), "32m") {
            Ok(disk) => {
                let data_dir = disk.path.join("data");
                run_json(&data_dir, &["import", path_str(&base)]);
                disk.remount("ro");
                (data_dir, Some(disk))
            }
            Err(why) => {
                eprintln!("SKIPPED read-only data directory: running as root and cannot mount a tmpfs ({why})");
                return;
            }
        }
    } else {
        use std::os::unix::fs::PermissionsExt;
        let data_dir = work.path().join("data");
        run_json(&data_dir, &["import", path_str(&base)]);
        for entry in std::fs::read_dir(&data_dir).expect("read dir").map_while(Result::ok) {
            let _ = std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(0o555));
        }
        std::fs::set_permissions(&data_dir, std::fs::Permissions::from_mode(0o555)).expect("chmod");
        (data_dir, None)
    };
    for args in [&["stats"][..], &["import", path_str(&base)], &["serve", "--addr", "127.0.0.1:0"], &["terms", "lookup", "komuna"]] {
        let output = run(&data_dir, args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?} on a read-only data directory: {stderr}");
        assert!(
            stderr.contains("is not writable") && stderr.contains(path_str(&data_dir)),
            "{args:?}: the message names the directory and the cause: {stderr}"
        );
    }
}

/// Ways to damage the index, each applied to a fresh copy of a good one.
const DAMAGES: [&str; 7] = [
    "delete meta.json",
    "garble meta.json",
    "truncate the largest file",
    "garble the middle of every file",
    "delete a segment file",
    "delete the index",
    "leave a half-built index beside it",
];

fn damage(index: &Path, how: &str, rng: &mut Rng) {
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(index).expect("index dir").map_while(Result::ok).map(|entry| entry.path()).filter(|path| path.is_file()).collect();
    files.sort();
    let segment_files: Vec<&PathBuf> =
        files.iter().filter(|path| path.file_name().and_then(|name| name.to_str()).is_some_and(|name| !name.starts_with('.') && name != "meta.json")).collect();
    match how {
        "delete meta.json" => std::fs::remove_file(index.join("meta.json")).expect("delete"),
        "garble meta.json" => std::fs::write(index.join("meta.json"), b"{\"segments\": [garbage").expect("write"),
        "truncate the largest file" => {
            let largest = segment_files.iter().max_by_key(|path| path.metadata().map(|meta| meta.len()).unwrap_or(0)).expect("a segment file");
            let file = std::fs::OpenOptions::new().write(true).open(largest).expect("open");
            file.set_len(file.metadata().expect("metadata").len() / 2).expect("truncate");
        }
        "garble the middle of every file" => {
            for path in &segment_files {
                let mut bytes = std::fs::read(path).expect("read");
                if bytes.len() > 32 {
                    let at = bytes.len() / 2;
                    for byte in &mut bytes[at..at + 8] {
                        *byte ^= 0x5a;
                    }
                    std::fs::write(path, bytes).expect("write");
                }
            }
        }
        "delete a segment file" => {
            let victim = segment_files[rng.below(segment_files.len() as u64) as usize];
            std::fs::remove_file(victim).expect("delete");
        }
        "delete the index" => std::fs::remove_dir_all(index).expect("delete"),
        "leave a half-built index beside it" => {
            let staging = index.with_file_name("tantivy.rebuild");
            std::fs::create_dir_all(&staging).expect("mkdir");
            std::fs::write(staging.join("meta.json"), b"{").expect("write");
            std::fs::remove_file(index.join("meta.json")).expect("delete");
        }
        other => panic!("unknown damage {other}"),
    }
}

#[test]
fn a_damaged_index_is_rebuilt_from_the_store_at_open() {
    let seed = crash_seed("faults: damaged index");
    let mut rng = Rng::new(seed);
    let work = tempfile::tempdir().expect("tempdir");
    let good = work.path().join("good");
    // Two imports: the index has two segments.
    run_json(&good, &["import", path_str(&write_tmx(work.path(), "a.tmx", 0..3_000, 51, "a"))]);
    run_json(&good, &["import", path_str(&write_tmx(work.path(), "b.tmx", 0..2_000, 52, "b"))]);
    let probe: Vec<String> = phrases(51, &[7, 2_999]).into_iter().chain(phrases(52, &[1_234])).chain(["komuna vendimi".to_string()]).collect();
    let expected = searches(&good, &probe);
    for how in DAMAGES {
        let data_dir = work.path().join(how.replace(' ', "-"));
        copy_dir(&good, &data_dir);
        damage(&data_dir.join("tantivy"), how, &mut rng);
        let output = Command::new(binary()).arg("--data-dir").arg(&data_dir).args(["--json", "stats"]).env("TERMBRIDGE_LOG", "info").output().expect("stats");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "seed {seed}, {how}: stats failed: {stderr}");
        assert!(stderr.contains("search index rebuilt from the store"), "seed {seed}, {how}: the index is rebuilt at open: {stderr}");
        let stats: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
        assert_eq!((stats["units"].as_u64(), stats["indexed_variants"].as_u64()), (Some(5_000), Some(10_000)), "seed {seed}, {how}");
        assert_eq!(searches(&data_dir, &probe), expected, "seed {seed}, {how}: searches differ after the rebuild");
        assert!(!data_dir.join("tantivy.rebuild").exists(), "seed {seed}, {how}: no staging directory stays");
    }
}

#[test]
fn a_schema_1_store_is_migrated_at_open() {
    let fixture = data("store-v1");
    let work = tempfile::tempdir().expect("tempdir");
    let data_dir = work.path().join("data");
    copy_dir(&fixture, &data_dir);
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture.with_file_name("store-v1.expected.json")).expect("expected")).expect("json");

    let stats = run_json(&data_dir, &["stats"]);
    assert_eq!(stats["schema_version"], 3, "{stats}");
    assert_eq!(stats["units"], expected["units"].as_array().expect("units").len());
    assert_eq!(stats["generation"], expected["generation"]);
    let export = work.path().join("units.tmx");
    run_json(&data_dir, &["export", "--format", "tmx", "-o", path_str(&export)]);
    let exported = termbridge::formats::read_file(&export, &termbridge::formats::ReadOptions::default()).expect("read the export").units;
    for unit in expected["units"].as_array().expect("units") {
        let id = unit["id"].as_str().expect("id");
        let found = exported.iter().find(|exported| exported.id == id).unwrap_or_else(|| panic!("unit {id} missing after migration"));
        let texts: Vec<&str> = found.variants.iter().map(|variant| variant.text.as_str()).collect();
        let wanted: Vec<&str> = unit["texts"].as_array().expect("texts").iter().filter_map(|text| text.as_str()).collect();
        assert_eq!(texts, wanted, "unit {id} after migration");
    }
    let mut ids = exported_ids(&data_dir, work.path());
    ids.sort();
    let mut expected_ids: Vec<String> = expected["units"].as_array().expect("units").iter().map(|unit| unit["id"].as_str().expect("id").to_string()).collect();
    expected_ids.sort();
    assert_eq!(ids, expected_ids);
    for concept in expected["concepts"].as_array().expect("concepts") {
        let (id, term) = (concept["id"].as_str().expect("id"), concept["term"].as_str().expect("term"));
        let found = run_json(&data_dir, &["terms", "lookup", term]);
        assert_eq!(found["hits"][0]["concept"]["id"], id, "concept {id} after migration: {found}");
    }
    // Searches work on the migrated units, and a second open changes nothing.
    let concordance_hits = concordance(&data_dir, expected["search"].as_str().expect("search"));
    assert!(!concordance_hits.is_empty(), "the migrated units are searchable");
    assert_eq!(run_json(&data_dir, &["stats"]), stats);
}

#[test]
fn an_import_that_fails_after_several_batches_stores_nothing_and_leaves_a_clean_store() {
    let work = tempfile::tempdir().expect("tempdir");
    let data_dir = work.path().join("data");
    let base = write_tmx(work.path(), "base.tmx", 0..300, 51, "base-");
    run_json(&data_dir, &["import", path_str(&base)]);
    let probe = phrases(51, &[5, 200]);
    let before = searches(&data_dir, &probe);
    let stats_before = run_json(&data_dir, &["stats"]);

    // 2,000 good units in batches of 100, then the file breaks off inside a unit.
    let big = write_tmx(work.path(), "big.tmx", 0..2_000, 52, "big-");
    let text = std::fs::read_to_string(&big).expect("read tmx").replace("</body></tmx>\n", "<tu tuid=\"cut\"><tuv xml:lang=\"en\"><seg>cut off");
    std::fs::write(&big, text).expect("write tmx");
    let output = Command::new(binary())
        .arg("--data-dir")
        .arg(&data_dir)
        .args(["import", path_str(&big)])
        .env("TERMBRIDGE_LOG", "off")
        .env("TERMBRIDGE_IMPORT_BATCH", "100")
        .output()
        .expect("run import");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "a broken file is the user's to fix: {stderr}");
    assert!(stderr.contains("big.tmx:2003"), "the error names the file and the line: {stderr}");

    // The units of before, and nothing of the broken file; the store checks clean.
    assert_eq!(run_json(&data_dir, &["stats"]), stats_before);
    assert_eq!(searches(&data_dir, &probe), before);
    let check = run_json(&data_dir, &["check"]);
    assert_eq!(check["ok"], true, "{check}");
    // And the next import is whole.
    let again = write_tmx(work.path(), "again.tmx", 0..500, 53, "again-");
    let outcome = run_json(&data_dir, &["import", path_str(&again)]);
    assert_eq!(outcome["stored"], 500, "{outcome}");
    assert_eq!(run_json(&data_dir, &["check"])["ok"], true);
}
