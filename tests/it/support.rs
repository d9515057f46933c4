//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The termbridge binary under test.
pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_termbridge"))
}

/// Runs termbridge with `args` against `data_dir` and returns its output.
pub fn run(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(binary()).arg("--data-dir").arg(data_dir).args(args).env("TERMBRIDGE_LOG", "warn").output().expect("termbridge runs")
}

/// Runs termbridge with `--json` and parses stdout as one JSON value; panics with stderr on
/// a non-zero exit.
pub fn run_json(data_dir: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let output = run(data_dir, &all);
    assert!(output.status.success(), "termbridge {args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap_or_else(|err| panic!("stdout of {args:?} is not JSON ({err}): {}", String::from_utf8_lossy(&output.stdout)))
}

/// A path in tests/data.
pub fn data(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(relative)
}

/// Writes a benchmark-form TSV of `rows` en→sq units and returns its path.
pub fn write_tsv(dir: &Path, name: &str, rows: usize, seed: u64) -> PathBuf {
    use std::io::Write;
    let words = ["komuna", "vendimi", "neni", "kuvendi", "prishtinë", "kryetari", "decision", "article", "municipality", "assembly", "mayor", "the", "of"];
    let path = dir.join(name);
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).expect("create tsv"));
    writeln!(file, "id\tsrc\ttgt").expect("write");
    let mut state = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    let mut next = || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    for row in 0..rows {
        let src: Vec<&str> = (0..8).map(|_| words[next() % words.len()]).collect();
        let tgt: Vec<&str> = (0..8).map(|_| words[next() % words.len()]).collect();
        writeln!(file, "{seed}-{row}\t{} {row}\t{} {row}", src.join(" "), tgt.join(" ")).expect("write");
    }
    path
}
