//! Load generator for `termbridge serve`, bounded in time and in count, for 127.0.0.1 only.
//!
//! ```sh
//! cargo bench --bench load -- --url http://127.0.0.1:8080 --duration 60 --concurrency 16 \
//!     --mix terms=1 --queries terms=queries.txt [--server-pid PID] [--writes FILE --token T]
//! ```
//!
//! Each worker sends one request at a time, choosing its kind by the weights of `--mix`
//! (kinds: `terms`, `tm`, `places`, `amagama`, `search`) and its text from that kind's query
//! file (one query a line; a built-in list is used without one). With `--writes FILE` (a TSV
//! `source<TAB>target`, source English, target Albanian) one more task posts batches of
//! `--write-batch` units to `/api/v1/units` every `--write-every` seconds (every `--import-every`-th
//! batch as a TSV file to `/api/v1/import`, followed to the job's end), with the editor
//! token `--token`. With `--server-pid` the server's resident memory is sampled every
//! `--rss-every` seconds. The run stops at `--duration` seconds or `--max-requests`, whichever
//! comes first, and prints a Markdown report: per kind the count, rate, p50/p90/p99/max
//! latency and the answers that were not 2xx (503 counted apart, as intended shedding), then
//! the memory series.
//!
//! Refuses any host other than 127.0.0.1 or localhost.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::Mutex;

const KINDS: [&str; 5] = ["terms", "tm", "places", "amagama", "search"];

#[derive(Debug, Clone)]
struct Options {
    url: String,
    duration: Duration,
    max_requests: u64,
    concurrency: usize,
    mix: Vec<(String, u32)>,
    queries: BTreeMap<String, Vec<String>>,
    server_pid: Option<u32>,
    rss_every: Duration,
    writes: Vec<(String, String)>,
    write_every: Duration,
    write_batch: usize,
    import_every: u64,
    token: Option<String>,
    seed: u64,
}

fn usage() -> ! {
    eprintln!(
        "usage: load --url http://127.0.0.1:PORT [--duration S] [--max-requests N] [--concurrency N] [--mix kind=weight,...] \
         [--queries kind=FILE ...] [--server-pid PID] [--rss-every S] [--writes TSV --token T [--write-every S] [--write-batch N] [--import-every K]] [--seed N]"
    );
    std::process::exit(2)
}

fn parse_options() -> Options {
    let mut options = Options {
        url: String::new(),
        duration: Duration::from_secs(30),
        max_requests: u64::MAX,
        concurrency: 8,
        mix: vec![("terms".into(), 1)],
        queries: BTreeMap::new(),
        server_pid: None,
        rss_every: Duration::from_secs(10),
        writes: Vec::new(),
        write_every: Duration::from_secs(5),
        write_batch: 200,
        import_every: 0,
        token: None,
        seed: 7,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        // `cargo bench` passes `--bench`; nothing else here is a flag without a value.
        if arg == "--bench" {
            continue;
        }
        let Some(value) = args.next() else { usage() };
        let secs = |v: &str| Duration::from_secs_f64(v.parse::<f64>().unwrap_or_else(|_| usage()));
        match arg.as_str() {
            "--url" => options.url = value.trim_end_matches('/').to_string(),
            "--duration" => options.duration = secs(&value),
            "--max-requests" => options.max_requests = value.parse().unwrap_or_else(|_| usage()),
            "--concurrency" => options.concurrency = value.parse().unwrap_or_else(|_| usage()),
            "--mix" => {
                options.mix = value
                    .split(',')
                    .map(|part| {
                        let (kind, weight) = part.split_once('=').unwrap_or((part, "1"));
                        if !KINDS.contains(&kind) {
                            eprintln!("unknown kind {kind:?}; kinds: {}", KINDS.join(", "));
                            std::process::exit(2)
                        }
                        (kind.to_string(), weight.parse().unwrap_or_else(|_| usage()))
                    })
                    .collect()
            }
            "--queries" => {
                let (kind, path) = value.split_once('=').unwrap_or_else(|| usage());
                let text = std::fs::read_to_string(path).unwrap_or_else(|err| {
                    eprintln!("{path}: {err}");
                    std::process::exit(2)
                });
                options.queries.insert(kind.to_string(), text.lines().filter(|l| !l.trim().is_empty()).map(str::to_string).collect());
            }
            "--server-pid" => options.server_pid = Some(value.parse().unwrap_or_else(|_| usage())),
            "--rss-every" => options.rss_every = secs(&value),
            "--writes" => {
                let text = std::fs::read_to_string(&value).unwrap_or_else(|err| {
                    eprintln!("{value}: {err}");
                    std::process::exit(2)
                });
                options.writes = text
                    .lines()
                    .filter_map(|line| {
                        let mut cols = line.split('\t');
                        let (a, b, c) = (cols.next()?, cols.next()?, cols.next());
                        // Either `source<TAB>target` or `id<TAB>source<TAB>target`.
                        Some(match c {
                            Some(c) => (b.to_string(), c.to_string()),
                            None => (a.to_string(), b.to_string()),
                        })
                    })
                    .collect();
            }
            "--write-every" => options.write_every = secs(&value),
            "--write-batch" => options.write_batch = value.parse().unwrap_or_else(|_| usage()),
            "--import-every" => options.import_every = value.parse().unwrap_or_else(|_| usage()),
            "--token" => options.token = Some(value),
            "--seed" => options.seed = value.parse().unwrap_or_else(|_| usage()),
            _ => usage(),
        }
    }
    let host_ok = ["http://127.0.0.1:", "http://localhost:"].iter().any(|prefix| options.url.starts_with(prefix));
    if !host_ok {
        eprintln!("--url must be http://127.0.0.1:PORT or http://localhost:PORT (load is generated on loopback only)");
        std::process::exit(2)
    }
    options
}

/// Built-in queries when no file is given: terms and places in all scripts, with inflection.
fn default_queries(kind: &str) -> Vec<String> {
    let list: &[&str] = match kind {
        "terms" | "search" => &["opština", "opstini", "komunës", "општина", "kuvend", "skupština", "municipality", "ministria", "zakon", "ligji"],
        "places" => &["Prishtina", "u Uroševcu", "Besiana", "Mitrovica", "Gnjilane", "Pejës", "Призрен", "Zvecan", "në Ferizaj", "Dečani"],
        _ => &["The file could not be saved.", "Delete all items in the trash?", "Open the folder", "Save the document before closing"],
    };
    list.iter().map(|s| s.to_string()).collect()
}

fn percent(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn request_url(base: &str, kind: &str, query: &str) -> String {
    let q = percent(query);
    match kind {
        "terms" => format!("{base}/api/v1/terms/lookup?q={q}&limit=10"),
        "tm" => format!("{base}/api/v1/tm/match?q={q}&source_lang=en&target_lang=sq&limit=5"),
        "places" => format!("{base}/api/v1/places/lookup?q={q}"),
        "amagama" => format!("{base}/tmserver/en/sq/unit/{q}?max_candidates=5&min_similarity=60"),
        _ => format!("{base}/api/v1/search?q={q}"),
    }
}

/// Latencies in microseconds and answers by status, for one kind.
#[derive(Default)]
struct Tally {
    micros: Vec<u64>,
    statuses: BTreeMap<u16, u64>,
    transport_errors: u64,
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn status_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|line| line.strip_prefix(field)).and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

fn rss_kib(pid: u32) -> Option<u64> {
    status_kib(pid, "VmRSS:")
}

/// Resident memory that is the process's own (heap, stacks), not mapped files such as the
/// search index, which the kernel can drop and read again.
fn anon_kib(pid: u32) -> Option<u64> {
    status_kib(pid, "RssAnon:")
}

fn quantile(sorted: &[u64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let at = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[at] as f64 / 1000.0
}

#[tokio::main]
async fn main() {
    let options = Arc::new(parse_options());
    // reqwest has rustls without a provider of its own; ring becomes the process default.
    termbridge::monitor::crawl::install_default_provider();
    let client = reqwest::Client::builder().timeout(Duration::from_secs(30)).pool_max_idle_per_host(options.concurrency).build().expect("http client");
    let tallies: Arc<Mutex<BTreeMap<String, Tally>>> = Arc::new(Mutex::new(BTreeMap::new()));
    let sent = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let total_weight: u32 = options.mix.iter().map(|(_, w)| w).sum::<u32>().max(1);

    let mut workers = Vec::new();
    for worker in 0..options.concurrency {
        let (options, client, tallies, sent, stop) = (options.clone(), client.clone(), tallies.clone(), sent.clone(), stop.clone());
        workers.push(tokio::spawn(async move {
            let mut rng = Rng(options.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(worker as u64 + 1) | 1);
            let mut local: BTreeMap<String, Tally> = BTreeMap::new();
            while !stop.load(Ordering::Relaxed) && started.elapsed() < options.duration {
                if sent.fetch_add(1, Ordering::Relaxed) >= options.max_requests {
                    break;
                }
                let mut pick = (rng.next() % total_weight as u64) as u32;
                let kind = options
                    .mix
                    .iter()
                    .find(|(_, w)| {
                        if pick < *w {
                            true
                        } else {
                            pick -= w;
                            false
                        }
                    })
                    .map(|(k, _)| k.clone())
                    .unwrap_or_default();
                let queries = options.queries.get(&kind).cloned().unwrap_or_else(|| default_queries(&kind));
                let query = &queries[(rng.next() % queries.len() as u64) as usize];
                let url = request_url(&options.url, &kind, query);
                let at = Instant::now();
                let answer = client.get(&url).send().await;
                let tally = local.entry(kind).or_default();
                match answer {
                    Ok(response) => {
                        let status = response.status().as_u16();
                        let _ = response.bytes().await;
                        tally.micros.push(at.elapsed().as_micros() as u64);
                        *tally.statuses.entry(status).or_default() += 1;
                    }
                    Err(_) => tally.transport_errors += 1,
                }
            }
            let mut all = tallies.lock().await;
            for (kind, tally) in local {
                let into = all.entry(kind).or_default();
                into.micros.extend(tally.micros);
                for (status, n) in tally.statuses {
                    *into.statuses.entry(status).or_default() += n;
                }
                into.transport_errors += tally.transport_errors;
            }
        }));
    }

    // Concurrent writes: batches of units through the API.
    let writer = (!options.writes.is_empty()).then(|| {
        let (options, client, tallies, stop) = (options.clone(), client.clone(), tallies.clone(), stop.clone());
        tokio::spawn(async move {
            let mut at = 0usize;
            let mut round = 0u64;
            while !stop.load(Ordering::Relaxed) && started.elapsed() < options.duration {
                tokio::time::sleep(options.write_every).await;
                let as_import = options.import_every > 0 && (round + 1).is_multiple_of(options.import_every);
                let rows: Vec<(String, String)> = (0..options.write_batch)
                    .map(|i| {
                        let (source, target) = &options.writes[(at + i) % options.writes.len()];
                        (format!("{source} [{round}]"), target.clone())
                    })
                    .collect();
                at += options.write_batch;
                round += 1;
                let begun = Instant::now();
                // Every `--import-every`-th batch is a file import: a background job, timed
                // from the upload to its end.
                let (kind, answer) = if as_import {
                    let mut tsv = String::from("id\tsrc\ttgt\n");
                    for (i, (source, target)) in rows.iter().enumerate() {
                        tsv.push_str(&format!("load-{round}-{i}\t{}\t{}\n", source.replace(['\t', '\n'], " "), target.replace(['\t', '\n'], " ")));
                    }
                    let request = client.post(format!("{}/api/v1/import?name=load.tsv&src=en&tgt=sq", options.url)).body(tsv);
                    let request = match &options.token {
                        Some(token) => request.bearer_auth(token),
                        None => request,
                    };
                    ("import", follow_job(&client, &options, request.send().await).await)
                } else {
                    let units: Vec<serde_json::Value> =
                        rows.iter().map(|(source, target)| serde_json::json!({"variants": {"en": source, "sq": target}})).collect();
                    let mut request = client.post(format!("{}/api/v1/units", options.url)).json(&serde_json::json!({"units": units}));
                    if let Some(token) = &options.token {
                        request = request.bearer_auth(token);
                    }
                    ("write", request.send().await.map(|response| response.status().as_u16()))
                };
                let mut all = tallies.lock().await;
                let tally = all.entry(kind.to_string()).or_default();
                match answer {
                    Ok(status) => {
                        if !(200..300).contains(&status) {
                            eprintln!("{kind} answered {status}");
                        }
                        tally.micros.push(begun.elapsed().as_micros() as u64);
                        *tally.statuses.entry(status).or_default() += 1;
                    }
                    Err(_) => tally.transport_errors += 1,
                }
            }
        })
    });

    // Memory of the server over time.
    let sampler = options.server_pid.map(|pid| {
        let (options, stop) = (options.clone(), stop.clone());
        tokio::spawn(async move {
            let mut series = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                if let Some(kib) = rss_kib(pid) {
                    series.push((started.elapsed().as_secs(), kib, anon_kib(pid).unwrap_or(0)));
                }
                tokio::time::sleep(options.rss_every.min(Duration::from_secs(1)).max(Duration::from_millis(200))).await;
                let last = series.last().map(|(s, _, _)| *s).unwrap_or(0);
                while !stop.load(Ordering::Relaxed) && started.elapsed().as_secs_f64() < last as f64 + options.rss_every.as_secs_f64() {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            }
            if let Some(kib) = rss_kib(pid) {
                series.push((started.elapsed().as_secs(), kib, anon_kib(pid).unwrap_or(0)));
            }
            series
        })
    });

    for worker in workers {
        let _ = worker.await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    if let Some(writer) = writer {
        let _ = writer.await;
    }
    let series = match sampler {
        Some(task) => task.await.unwrap_or_default(),
        None => Vec::new(),
    };

    let tallies = tallies.lock().await;
    println!("load: {} for {elapsed:.1} s, concurrency {}, mix {:?}\n", options.url, options.concurrency, options.mix);
    println!("| kind | requests | per s | p50 ms | p90 ms | p99 ms | max ms | 2xx | 503 | other non-2xx | transport errors |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut reads = Vec::new();
    for (kind, tally) in tallies.iter() {
        let mut sorted = tally.micros.clone();
        sorted.sort_unstable();
        if !matches!(kind.as_str(), "write" | "import") {
            reads.extend_from_slice(&sorted);
        }
        print_row(kind, &sorted, tally, elapsed);
    }
    reads.sort_unstable();
    let all = Tally {
        micros: Vec::new(),
        statuses: tallies.iter().filter(|(k, _)| !matches!(k.as_str(), "write" | "import")).fold(BTreeMap::new(), |mut acc, (_, t)| {
            for (s, n) in &t.statuses {
                *acc.entry(*s).or_default() += n;
            }
            acc
        }),
        transport_errors: tallies.iter().filter(|(k, _)| !matches!(k.as_str(), "write" | "import")).map(|(_, t)| t.transport_errors).sum(),
    };
    print_row("**all reads**", &reads, &all, elapsed);
    if !series.is_empty() {
        let mib = |kib: u64| format!("{:.0}", kib as f64 / 1024.0);
        println!("\nserver RSS (MiB) every {:.0} s: {}", options.rss_every.as_secs_f64(), series.iter().map(|(_, k, _)| mib(*k)).collect::<Vec<_>>().join(" "));
        println!("of which anonymous (heap; the rest is mapped index files): {}", series.iter().map(|(_, _, a)| mib(*a)).collect::<Vec<_>>().join(" "));
        for (label, pick) in [("RSS", 1usize), ("anonymous", 2usize)] {
            let value = |entry: &(u64, u64, u64)| if pick == 1 { entry.1 } else { entry.2 };
            let first = value(&series[0]);
            let max = series.iter().map(value).max().unwrap_or(0);
            let last = series.last().map(value).unwrap_or(0);
            // Slope over the second half, where warm-up is over.
            let half = &series[series.len() / 2..];
            let slope = match (half.first(), half.last()) {
                (Some(a), Some(b)) if b.0 > a.0 => {
                    format!(", second half {:+.1} MiB/min", (value(b) as f64 - value(a) as f64) / 1024.0 / ((b.0 - a.0) as f64 / 60.0))
                }
                _ => String::new(),
            };
            println!("{label}: first {} MiB, max {} MiB, last {} MiB{slope}", mib(first), mib(max), mib(last));
        }
    }
}

fn print_row(kind: &str, sorted: &[u64], tally: &Tally, elapsed: f64) {
    let ok: u64 = tally.statuses.iter().filter(|(s, _)| (200..300).contains(*s)).map(|(_, n)| n).sum();
    let shed = tally.statuses.get(&503).copied().unwrap_or(0);
    let other: u64 = tally.statuses.iter().filter(|(s, _)| !(200..300).contains(*s) && **s != 503).map(|(_, n)| n).sum();
    println!(
        "| {kind} | {} | {:.0} | {:.2} | {:.2} | {:.2} | {:.2} | {ok} | {shed} | {other} | {} |",
        sorted.len(),
        sorted.len() as f64 / elapsed,
        quantile(sorted, 0.5),
        quantile(sorted, 0.9),
        quantile(sorted, 0.99),
        quantile(sorted, 1.0),
        tally.transport_errors
    );
    if other > 0 {
        let detail: Vec<String> = tally.statuses.iter().filter(|(s, _)| !(200..300).contains(*s) && **s != 503).map(|(s, n)| format!("{s}×{n}")).collect();
        println!("|  ↳ {kind} non-2xx: {} | | | | | | | | | | |", detail.join(", "));
    }
}

/// Follows the import job that `sent` started to its end: the job's HTTP status (202 when it
/// finished as done, 500 when it failed) or the submission's status when it was refused.
async fn follow_job(client: &reqwest::Client, options: &Options, sent: reqwest::Result<reqwest::Response>) -> reqwest::Result<u16> {
    let response = sent?;
    let status = response.status().as_u16();
    if status != 202 {
        return Ok(status);
    }
    let job: serde_json::Value = response.json().await?;
    let id = job["id"].as_str().unwrap_or_default().to_string();
    loop {
        let mut request = client.get(format!("{}/api/v1/jobs/{id}", options.url));
        if let Some(token) = &options.token {
            request = request.bearer_auth(token);
        }
        let job: serde_json::Value = request.send().await?.json().await?;
        match job["status"].as_str() {
            Some("done") => return Ok(202),
            Some("failed") => {
                eprintln!("import failed: {job}");
                return Ok(500);
            }
            _ => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    }
}
