//! Operations end to end: backup and restore (direct and through a running service), the
//! data directory check, readiness, and graceful shutdown of `serve` on SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use termbridge::store::{Role, Store};

use super::support::{binary, run, run_json, write_tsv};

/// A data directory with units, the shipped term base, a token and an audit record.
fn populated(dir: &Path) -> String {
    let work = dir.parent().expect("parent");
    let tsv = write_tsv(work, "units.tsv", 300, 11);
    run_json(dir, &["import", tsv.to_str().expect("utf-8"), "--src", "en", "--tgt", "sq"]);
    // Any terms command loads the shipped term base into an empty store.
    run_json(dir, &["terms", "lookup", "komuna"]);
    let store = Store::open(dir).expect("open");
    store.put_audit("decision-12", 42, b"{\"record\": 1}").expect("audit");
    store.create_token(Role::Admin).expect("token").token
}

fn assert_same_content(left: &Path, right: &Path) {
    let left = Store::open(left).expect("open left");
    let right = Store::open(right).expect("open right");
    let units = |store: &Store| store.records().collect::<Result<Vec<_>, _>>().expect("units");
    let (left_units, right_units) = (units(&left), units(&right));
    assert!(!left_units.is_empty());
    assert_eq!(left_units, right_units, "every unit, with its generation, is restored");
    let (left_concepts, right_concepts) = (left.concepts().expect("concepts"), right.concepts().expect("concepts"));
    assert!(!left_concepts.is_empty());
    assert_eq!(left_concepts, right_concepts, "every concept is restored");
    assert_eq!(left.tokens().expect("tokens"), right.tokens().expect("tokens"));
    assert_eq!(left.last_audit("decision-12").expect("audit"), right.last_audit("decision-12").expect("audit"));
    assert_eq!(left.stats().expect("stats"), right.stats().expect("stats"));
}

#[test]
fn backup_and_restore_round_trip() {
    let work = tempfile::tempdir().expect("tempdir");
    let data = work.path().join("data");
    let admin = populated(&data);
    let backup = work.path().join("backup-1");
    let made = run_json(&data, &["backup", backup.to_str().expect("utf-8")]);
    assert_eq!(made["manifest"]["units"], 300);
    assert!(made["manifest"]["concepts"].as_u64().expect("concepts") > 100);
    assert_eq!(made["manifest"]["tokens"], 1);
    assert!(backup.join("manifest.json").is_file() && backup.join("store.tbdump").is_file());
    assert_eq!(
        std::fs::read_dir(work.path()).expect("list").filter(|entry| entry.as_ref().expect("entry").file_name().to_string_lossy().starts_with('.')).count(),
        0,
        "no staging left behind"
    );
    let again = run(&data, &["backup", backup.to_str().expect("utf-8")]);
    assert_eq!(again.status.code(), Some(2), "an existing backup is never overwritten");

    let restored = work.path().join("restored");
    let outcome = run_json(&restored, &["restore", backup.to_str().expect("utf-8")]);
    assert_eq!(outcome["restored"]["units"], 300);
    assert_eq!(outcome["restored"]["indexed_variants"], 600, "the index is rebuilt");
    assert_same_content(&data, &restored);
    let check = run_json(&restored, &["check"]);
    assert_eq!(check["ok"], true, "{check}");
    // The restored store answers like the original: the admin token still works.
    assert_eq!(Store::open(&restored).expect("open").verify_token(&admin).expect("verify"), Some(Role::Admin));

    // A non-empty data directory is refused unless --force, and then replaced whole.
    let other = work.path().join("other");
    run_json(&other, &["import", write_tsv(work.path(), "other.tsv", 5, 3).to_str().expect("utf-8"), "--src", "en", "--tgt", "sq"]);
    let refused = run(&other, &["restore", backup.to_str().expect("utf-8")]);
    assert_eq!(refused.status.code(), Some(2), "{}", String::from_utf8_lossy(&refused.stderr));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--force"));
    assert_eq!(run_json(&other, &["stats"])["units"], 5, "a refused restore changes nothing");
    let forced = run_json(&other, &["restore", "--force", backup.to_str().expect("utf-8")]);
    assert_eq!(forced["restored"]["replaced"], true);
    assert_same_content(&data, &other);
}

#[test]
fn a_damaged_backup_is_refused() {
    let work = tempfile::tempdir().expect("tempdir");
    let data = work.path().join("data");
    populated(&data);
    let backup = work.path().join("backup");
    run_json(&data, &["backup", backup.to_str().expect("utf-8")]);
    let dump = backup.join("store.tbdump");
    let mut bytes = std::fs::read(&dump).expect("read dump");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&dump, bytes).expect("write dump");
    let target = work.path().join("target");
    let output = run(&target, &["restore", backup.to_str().expect("utf-8")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("unusable"), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(!target.exists(), "nothing is restored from a damaged backup");
}

/// Changes one byte of a unit's text inside the sled store, as damage or tampering would.
fn tamper_first_unit_text(data: &Path, needle: &[u8]) {
    let db = sled::open(data.join("store")).expect("open sled");
    let units = db.open_tree("units").expect("units tree");
    let (key, value) = units.scan_prefix([0x01]).next().expect("a block").expect("read block");
    let mut block = value.to_vec();
    let at = block.windows(needle.len()).position(|window| window == needle).expect("the text is in the block");
    block[at] = block[at].to_ascii_uppercase();
    units.insert(key, block).expect("write block");
    db.flush().expect("flush");
}

#[test]
fn check_detects_a_tampered_record_and_a_stale_index() {
    let work = tempfile::tempdir().expect("tempdir");
    let data = work.path().join("data");
    populated(&data);
    assert_eq!(run_json(&data, &["check"])["ok"], true);

    tamper_first_unit_text(&data, b"komuna");
    let output = run(&data, &["--json", "check"]);
    assert_eq!(output.status.code(), Some(1), "a tampered store fails the check");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json report");
    assert_eq!(report["ok"], false);
    let problems = report["store"]["problems"].as_array().expect("problems");
    assert_eq!(problems.len(), 1, "{report}");
    assert_eq!(problems[0]["kind"], "content-hash");
    let human = run(&data, &["check"]);
    assert_eq!(human.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&human.stdout).contains("content-hash"));

    // The index is derived: a missing index is reported, not silently rebuilt by the check.
    let fresh = work.path().join("fresh");
    populated(&fresh);
    std::fs::remove_dir_all(fresh.join("tantivy")).expect("remove index");
    let output = run(&fresh, &["--json", "check"]);
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json report");
    assert!(report["index"]["problems"][0].as_str().expect("problem").contains("no search index"), "{report}");
}

/// A `termbridge serve` child with its log lines on a channel.
struct Service {
    child: Child,
    lines: mpsc::Receiver<String>,
    url: String,
}

impl Service {
    fn start(data: &Path, extra: &[&str]) -> Service {
        let mut child = Command::new(binary())
            .arg("--data-dir")
            .arg(data)
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(extra)
            .env("TERMBRIDGE_LOG", "info")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn serve");
        let stderr = child.stderr.take().expect("stderr");
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let mut service = Service { child, lines, url: String::new() };
        service.wait_for("termbridge is ready");
        service.url = std::fs::read_to_string(data.join("SERVICE")).expect("the service records its address").trim().to_string();
        service
    }

    /// Waits for a log line containing `text` (the child's own progress, not a clock).
    fn wait_for(&mut self, text: &str) {
        loop {
            match self.lines.recv_timeout(Duration::from_secs(120)) {
                Ok(line) if line.contains(text) => return,
                Ok(_) => {}
                Err(err) => {
                    let _ = self.child.kill();
                    panic!("serve never logged {text:?}: {err}");
                }
            }
        }
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill").arg(format!("-{name}")).arg(self.child.id().to_string()).status().expect("kill");
        assert!(status.success());
    }

    fn host_port(&self) -> String {
        self.url.trim_start_matches("http://").to_string()
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn backup_while_the_service_holds_the_data_directory() {
    let work = tempfile::tempdir().expect("tempdir");
    let data = work.path().join("data");
    let admin = populated(&data);
    let reader = Store::open(&data).expect("open").create_token(Role::Reader).expect("token").token;
    let mut service = Service::start(&data, &[]);

    let backup = work.path().join("live");
    let without_token = run(&data, &["backup", backup.to_str().expect("utf-8")]);
    assert_eq!(without_token.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&without_token.stderr).contains("admin token"));
    let as_reader = Command::new(binary())
        .arg("--data-dir")
        .arg(&data)
        .args(["backup", backup.to_str().expect("utf-8")])
        .env("TERMBRIDGE_TOKEN", &reader)
        .output()
        .expect("run");
    assert_eq!(as_reader.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&as_reader.stderr).contains("403"), "{}", String::from_utf8_lossy(&as_reader.stderr));
    assert!(!backup.exists());

    let as_admin = Command::new(binary())
        .arg("--data-dir")
        .arg(&data)
        .args(["--json", "backup", backup.to_str().expect("utf-8")])
        .env("TERMBRIDGE_TOKEN", &admin)
        .output()
        .expect("run");
    assert!(as_admin.status.success(), "{}", String::from_utf8_lossy(&as_admin.stderr));
    let made: serde_json::Value = serde_json::from_slice(&as_admin.stdout).expect("json");
    assert_eq!(made["manifest"]["units"], 300);

    service.signal("TERM");
    let status = service.child.wait().expect("wait");
    assert_eq!(status.code(), Some(0));
    let restored = work.path().join("restored");
    run_json(&restored, &["restore", backup.to_str().expect("utf-8")]);
    assert_same_content(&data, &restored);
}

#[test]
fn sigterm_finishes_the_request_in_flight_and_flushes() {
    let work = tempfile::tempdir().expect("tempdir");
    let data = work.path().join("data");
    let editor = Store::open(&data).expect("open").create_token(Role::Editor).expect("token").token;
    let mut service = Service::start(&data, &[]);

    // A write whose body arrives in two halves, with SIGTERM in between.
    let body = serde_json::json!({"units": [{"id": "u1", "variants": {"en": "Municipal Assembly", "sq": "Kuvendi i Komunës"}}]}).to_string();
    let (first, second) = body.as_bytes().split_at(body.len() / 2);
    let mut stream = std::net::TcpStream::connect(service.host_port()).expect("connect");
    write!(
        stream,
        "POST /api/v1/units HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer {editor}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .expect("send head");
    stream.write_all(first).expect("send first half");
    stream.flush().expect("flush");
    // The server logs each request only when it is done; wait until it is inside the handler
    // by polling readiness on another connection first.
    let ready = super::http::client().get(format!("{}/readyz", service.url)).send().expect("readyz");
    assert_eq!(ready.status().as_u16(), 200);

    service.signal("TERM");
    service.wait_for("shutting down");
    stream.write_all(second).expect("send second half after SIGTERM");
    stream.set_read_timeout(Some(Duration::from_secs(60))).expect("timeout");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read response");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("\"stored\":1"), "{response}");

    let status = service.child.wait().expect("wait");
    assert_eq!(status.code(), Some(0), "a graceful stop exits 0");
    service.wait_for("store flushed");
    assert!(!data.join("SERVICE").exists(), "the address file is removed at stop");
    let stats = run_json(&data, &["stats"]);
    assert_eq!(stats["units"], 1, "the write acknowledged during shutdown is on disk");
}

#[test]
fn a_replica_serves_the_newest_backup_and_swaps_to_a_newer_one_while_ready() {
    let work = tempfile::tempdir().expect("tempdir");
    let primary = work.path().join("primary");
    let admin = populated(&primary);
    let backups = work.path().join("backups");
    run_json(&primary, &["backup", backups.join("b1").to_str().expect("utf-8")]);
    let replica_dir = work.path().join("replica");
    let service = Service::start(&replica_dir, &["--replica-of", backups.to_str().expect("utf-8")]);
    let client = super::support::http_client().build().expect("client");
    let get = |path: &str| -> serde_json::Value { client.get(format!("{}{path}", service.url)).send().expect("get").json().expect("json") };
    assert_eq!(get("/api/v1/stats")["units"], 300);
    let ready = get("/readyz");
    assert!(ready["replica"]["backup"].as_str().expect("backup").ends_with("b1"), "{ready}");

    // Writes go to the primary.
    let refused = client
        .post(format!("{}/api/v1/units", service.url))
        .bearer_auth(&admin)
        .json(&serde_json::json!({"units": [{"variants": {"en": "Hello", "sq": "Përshëndetje"}}]}))
        .send()
        .expect("post");
    assert_eq!(refused.status(), 409);
    assert_eq!(refused.json::<serde_json::Value>().expect("json")["error"]["code"], "read-replica");

    // The primary moves on and writes a newer backup; a refresh swaps it in while every
    // readiness probe keeps answering 200.
    let more = write_tsv(work.path(), "more.tsv", 20, 99);
    run_json(&primary, &["import", more.to_str().expect("utf-8"), "--src", "en", "--tgt", "sq"]);
    run_json(&primary, &["backup", backups.join("b2").to_str().expect("utf-8")]);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let probes = {
        let (stop, url) = (stop.clone(), format!("{}/readyz", service.url));
        std::thread::spawn(move || {
            let client = super::support::http_client().build().expect("client");
            let mut statuses = Vec::new();
            loop {
                statuses.push(client.get(&url).send().expect("readyz").status().as_u16());
                if stop.load(std::sync::atomic::Ordering::SeqCst) {
                    return statuses;
                }
            }
        })
    };
    let refresh = |token: &str| client.post(format!("{}/api/v1/admin/refresh", service.url)).bearer_auth(token).send().expect("refresh");
    let refreshed = refresh(&admin);
    assert_eq!(refreshed.status(), 200);
    let refreshed: serde_json::Value = refreshed.json().expect("json");
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let statuses = probes.join().expect("probe thread");
    assert!(statuses.iter().all(|status| *status == 200), "{statuses:?}");
    assert_eq!(refreshed["swapped"], true, "{refreshed}");
    assert_eq!(refreshed["served"]["units"], 320);
    assert!(refreshed["served"]["backup"].as_str().expect("backup").ends_with("b2"));
    assert_eq!(get("/api/v1/stats")["units"], 320);
    assert_eq!(refresh(&admin).json::<serde_json::Value>().expect("json")["swapped"], false, "nothing newer");

    // A backup that does not verify is not served; the replica keeps the one it has.
    let again = write_tsv(work.path(), "again.tsv", 5, 7);
    run_json(&primary, &["import", again.to_str().expect("utf-8"), "--src", "en", "--tgt", "sq"]);
    let broken = backups.join("b3");
    run_json(&primary, &["backup", broken.to_str().expect("utf-8")]);
    let dump = broken.join("store.tbdump");
    let mut bytes = std::fs::read(&dump).expect("read dump");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&dump, bytes).expect("write dump");
    let failed = refresh(&admin);
    assert_eq!(failed.status(), 422);
    assert!(failed.text().expect("text").contains("b3"), "the answer names the backup");
    assert_eq!(get("/api/v1/stats")["units"], 320);
    assert_eq!(get("/readyz")["status"], "ready");
}
