//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The termbridge binary under test.
pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_termbridge"))
}

/// A blocking HTTP client builder for the tests' own requests. reqwest is built with rustls
/// but no provider of its own, so ring is installed as the process default first (every
/// test may be the first to build a client).
pub fn http_client() -> reqwest::blocking::ClientBuilder {
    termbridge::monitor::crawl::install_default_provider();
    reqwest::blocking::Client::builder()
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

/// Copies a directory tree.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir").map_while(Result::ok) {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// A path in tests/data.
pub fn data(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(relative)
}

/// A seeded pseudo-random sequence (SplitMix64) for kill points and fault choices.
pub struct Rng(u64);

impl Rng {
    /// The sequence of `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// A number in `[0, 1)`.
    pub fn fraction(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The seed of a crash or fault test: `TERMBRIDGE_CRASH_SEED`, else taken from the clock.
/// Printed at the start, and every assertion message of those tests repeats it, so a failure
/// can be replayed with the same choices (kill points still depend on the machine's speed).
pub fn crash_seed(test: &str) -> u64 {
    let seed = std::env::var("TERMBRIDGE_CRASH_SEED")
        .ok()
        .and_then(|raw| raw.parse().ok())
        .unwrap_or_else(|| std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|elapsed| elapsed.as_nanos() as u64).unwrap_or(0x5eed));
    eprintln!("{test}: seed {seed} (TERMBRIDGE_CRASH_SEED={seed} replays it)");
    seed
}

/// Kill points for one crash harness: `share` tenths of `TERMBRIDGE_CRASH_ROUNDS` (10 in all
/// by default, spread over the harnesses), at least one.
pub fn crash_rounds(share: u64) -> u64 {
    let total: u64 = std::env::var("TERMBRIDGE_CRASH_ROUNDS").ok().and_then(|raw| raw.parse().ok()).unwrap_or(10);
    (total * share / 10).max(1)
}

/// The words of the generated corpora.
const WORDS: [&str; 13] =
    ["komuna", "vendimi", "neni", "kuvendi", "prishtinë", "kryetari", "decision", "article", "municipality", "assembly", "mayor", "the", "of"];

/// The English and Albanian texts of row `row` of the corpus of `seed` (each ends with the
/// row number, so a phrase of its last word and the number finds that row only).
pub fn corpus_row(seed: u64, row: usize) -> (String, String) {
    let mut rng = Rng::new(seed.wrapping_mul(1_000_003).wrapping_add(row as u64));
    let text = |rng: &mut Rng| (0..8).map(|_| WORDS[rng.below(WORDS.len() as u64) as usize]).collect::<Vec<_>>().join(" ");
    let en = text(&mut rng);
    let sq = text(&mut rng);
    (format!("{en} {row}"), format!("{sq} {row}"))
}

/// Writes a TMX 1.4 file of `rows` en→sq units of the corpus of `seed` (tuids `{prefix}{row}`)
/// and returns its path.
pub fn write_tmx(dir: &Path, name: &str, rows: std::ops::Range<usize>, seed: u64, prefix: &str) -> PathBuf {
    use std::io::Write;
    let path = dir.join(name);
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).expect("create tmx"));
    writeln!(file, r#"<?xml version="1.0" encoding="UTF-8"?>"#).expect("write");
    writeln!(file, r#"<tmx version="1.4"><header creationtool="termbridge-tests" creationtoolversion="1" datatype="plaintext" segtype="sentence" adminlang="en" srclang="en" o-tmf="none"/><body>"#).expect("write");
    for row in rows {
        let (en, sq) = corpus_row(seed, row);
        writeln!(file, r#"<tu tuid="{prefix}{row}"><tuv xml:lang="en"><seg>{en}</seg></tuv><tuv xml:lang="sq"><seg>{sq}</seg></tuv></tu>"#).expect("write");
    }
    writeln!(file, "</body></tmx>").expect("write");
    path
}

/// Lowers the file size limit (`RLIMIT_FSIZE`) of the process `command` starts, with SIGXFSZ
/// ignored, so a write past the limit fails with EFBIG as on a full disk.
pub fn limit_file_size(command: &mut Command, bytes: u64) {
    use std::os::unix::process::CommandExt;
    // SAFETY: between fork and exec the closure only calls async-signal-safe functions
    // (signal, setrlimit) and touches no memory of the parent.
    unsafe {
        command.pre_exec(move || {
            if libc::signal(libc::SIGXFSZ, libc::SIG_IGN) == libc::SIG_ERR {
                return Err(std::io::Error::last_os_error());
            }
            let limit = libc::rlimit { rlim_cur: bytes as libc::rlim_t, rlim_max: bytes as libc::rlim_t };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

/// A `termbridge serve` child process on 127.0.0.1 (port chosen by the system); killed with
/// SIGKILL when dropped.
pub struct ServerProcess {
    child: std::process::Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    log: std::sync::Arc<std::sync::Mutex<String>>,
}

impl ServerProcess {
    /// Starts the service on `data_dir`; `configure` may change the command (limits) first.
    /// Waits until it listens; panics with its log when it stops before.
    pub fn start(data_dir: &Path, configure: impl FnOnce(&mut Command)) -> ServerProcess {
        use std::io::BufRead;
        let mut command = Command::new(binary());
        command
            .arg("--data-dir")
            .arg(data_dir)
            .args(["serve", "--addr", "127.0.0.1:0", "--log-format", "json"])
            .env("TERMBRIDGE_LOG", "info")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped());
        configure(&mut command);
        let mut child = command.spawn().expect("spawn termbridge serve");
        let stderr = child.stderr.take().expect("stderr");
        let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let (found, listening) = std::sync::mpsc::channel();
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Ok(record) = serde_json::from_str::<serde_json::Value>(&line)
                    && record["fields"]["message"].as_str().is_some_and(|message| message.starts_with("termbridge is listening"))
                    && let Some(addr) = record["fields"]["addr"].as_str()
                {
                    let _ = found.send(addr.to_string());
                }
                if let Ok(mut text) = sink.lock() {
                    text.push_str(&line);
                    text.push('\n');
                }
            }
        });
        match listening.recv_timeout(std::time::Duration::from_secs(300)) {
            Ok(addr) => {
                // The service listens before it is ready (`/readyz` answers 503 while it opens
                // the data directory); wait for ready.
                let base = format!("http://{addr}");
                let client = http_client().timeout(std::time::Duration::from_secs(5)).build().expect("client");
                let deadline = std::time::Instant::now() + std::time::Duration::from_secs(300);
                while std::time::Instant::now() < deadline {
                    if client.get(format!("{base}/readyz")).send().is_ok_and(|response| response.status().is_success()) {
                        break;
                    }
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                ServerProcess { child, base, log }
            }
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                std::thread::sleep(std::time::Duration::from_millis(100));
                panic!("termbridge serve did not start: {}", log.lock().map(|text| text.clone()).unwrap_or_default());
            }
        }
    }

    /// `base` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Kills the process with SIGKILL and waits for it.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// What the service logged so far.
    pub fn log(&self) -> String {
        self.log.lock().map(|text| text.clone()).unwrap_or_default()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The unit ids of `data_dir`, from a TSV export (opens the store like any command).
pub fn exported_ids(data_dir: &Path, work: &Path) -> Vec<String> {
    let out = work.join("export.tsv");
    let output = run(data_dir, &["export", "--format", "tsv", "-o", out.to_str().expect("utf-8 path")]);
    assert!(output.status.success(), "export failed: {}", String::from_utf8_lossy(&output.stderr));
    let text = std::fs::read_to_string(&out).expect("read export");
    text.lines().skip(1).filter_map(|line| line.split('\t').next()).map(str::to_string).collect()
}

/// The concordance lines of `phrase`, sorted, as JSON text (for comparing index states).
pub fn concordance(data_dir: &Path, phrase: &str) -> Vec<String> {
    let result = run_json(data_dir, &["tm", "concordance", phrase, "--limit", "200"]);
    let mut lines: Vec<String> = result["lines"].as_array().map(|lines| lines.iter().map(|line| line.to_string()).collect()).unwrap_or_default();
    lines.sort();
    lines
}

/// Runs `command` to the end, or kills it after `limit` and panics: a command that hangs fails
/// the test instead of stalling the suite.
pub fn output_within(command: &mut Command, limit: std::time::Duration) -> Output {
    use std::io::Read;
    let mut child = command.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().expect("spawn");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out_reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stdout.read_to_end(&mut bytes);
        bytes
    });
    let err_reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stderr.read_to_end(&mut bytes);
        bytes
    });
    let deadline = std::time::Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if std::time::Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            let stderr = err_reader.join().unwrap_or_default();
            panic!("{command:?} did not finish within {limit:?}: {}", String::from_utf8_lossy(&stderr));
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    Output { status, stdout: out_reader.join().unwrap_or_default(), stderr: err_reader.join().unwrap_or_default() }
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

/// Runs `args` on `data_dir` as a child and kills it with SIGKILL after `delay`; true when it
/// had already exited 0 (an acknowledged write).
pub fn run_and_kill(data_dir: &Path, args: &[&str], delay: Duration) -> bool {
    let mut child = Command::new(binary())
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env("TERMBRIDGE_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn termbridge");
    let deadline = Instant::now() + delay;
    // Poll, so a process that finished early is seen as finished (acknowledged), not killed.
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            return status.success();
        }
        let now = Instant::now();
        if now >= deadline {
            break;
        }
        std::thread::sleep((deadline - now).min(Duration::from_millis(5)));
    }
    let _ = child.kill();
    let status = child.wait().expect("wait");
    // The kill may race with a normal exit.
    status.success()
}
