//! Crash safety: a process killed with SIGKILL in the middle of a large import leaves the
//! store with none of that import or all of it, and the store opens again without repair.
//! `TERMBRIDGE_CRASH_ROUNDS` raises the number of kill points (10 by default).

use std::process::{Command, Stdio};
use std::time::Instant;

use super::support::{binary, run_json, write_tsv};

#[test]
fn sigkill_during_import_is_all_or_nothing() {
    let work = tempfile::tempdir().expect("tempdir");
    let rows = 100_000;
    let tsv = write_tsv(work.path(), "big.tsv", rows, 7);
    let data_dir = work.path().join("data");
    let rounds: u64 = std::env::var("TERMBRIDGE_CRASH_ROUNDS").ok().and_then(|raw| raw.parse().ok()).unwrap_or(10);

    // How long an uninterrupted import takes on this machine, to spread the kill points.
    let probe_dir = work.path().join("probe");
    let started = Instant::now();
    let summary = run_json(&probe_dir, &["import", tsv.to_str().expect("utf-8 path"), "--src", "en", "--tgt", "sq"]);
    assert_eq!(summary["stored"], rows);
    let full = started.elapsed();

    let mut completed = 0;
    let mut killed_empty = 0;
    let mut state = 0x5eed_u64;
    for round in 0..rounds {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        // Kill points spread over 0–110% of a full import (some after it finished).
        let delay = full.mul_f64(((state >> 33) % 1100) as f64 / 1000.0);
        let mut child = Command::new(binary())
            .args(["--data-dir", data_dir.to_str().expect("utf-8 path"), "import", tsv.to_str().expect("utf-8 path"), "--src", "en", "--tgt", "sq"])
            .env("TERMBRIDGE_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn import");
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();

        let stats = run_json(&data_dir, &["stats"]);
        let units = stats["units"].as_u64().expect("units");
        assert!(units == 0 || units == rows as u64, "round {round}: kill after {delay:?} left {units} units (partial import)");
        assert_eq!(stats["indexed_variants"].as_u64(), Some(units * 2), "round {round}: index out of step with the store");
        if units == 0 {
            killed_empty += 1;
        } else {
            completed += 1;
            // Start the next round from an empty store so every kill can hit an import.
            std::fs::remove_dir_all(&data_dir).expect("reset data dir");
        }
    }
    eprintln!("crash test: {rounds} kill points, {killed_empty} left no import, {completed} left the whole import, 0 partial");
}
