//! The command-line front end: clap definitions, one function a command, human or `--json`
//! output. Errors are classified at this edge: [`UserError`] (exit 2) for input that is
//! wrong, everything else is internal (exit 3).

use std::io::{IsTerminal, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;

use termbridge::Workspace;
use termbridge::formats::tsv::{TsvError, TsvLanguages};
use termbridge::lang::{Lang, LangTag};
use termbridge::store::StoreError;
use termbridge::text::{self, Tier};

/// Input the user has to fix (exit code 2).
#[derive(Debug)]
struct UserError(String);

impl std::fmt::Display for UserError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UserError {}

fn user_error(message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(UserError(message.into()))
}

/// termbridge: terminology, translation memory and language-rights checks for Albanian,
/// Serbian (Cyrillic and Latin) and English.
#[derive(Debug, Parser)]
#[command(name = "termbridge", version, about, long_about = None, propagate_version = true)]
struct Cli {
    /// Data directory (store and index)
    #[arg(long, global = true, env = "TERMBRIDGE_DATA", default_value = "index")]
    data_dir: PathBuf,
    /// Print JSON (JSONL for batches) on stdout; logs go to stderr
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the HTTP service
    Serve {
        /// Address to listen on
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
    },
    /// Import translation memories into the store (all or nothing per file)
    Import {
        /// Files to import
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// File format (auto: by extension)
        #[arg(long, value_enum, default_value = "auto")]
        format: ImportFormat,
        /// Language of the `src` column of a TSV
        #[arg(long)]
        src: Option<String>,
        /// Language of the `tgt` column of a TSV
        #[arg(long)]
        tgt: Option<String>,
        /// Collection to import into
        #[arg(long, default_value = "default")]
        collection: String,
    },
    /// Rebuild the search index from the store
    Reindex,
    /// Show what the data directory holds
    Stats,
    /// Run the text pipeline on a string: transliterate, detect script or language, fold, stem
    Text {
        #[command(subcommand)]
        command: TextCommand,
    },
    /// Translation memory: fuzzy match, concordance, benchmark
    Tm {
        #[command(subcommand)]
        command: TmCommand,
    },
}

#[derive(Debug, Subcommand)]
enum TmCommand {
    /// Best TM matches for a sentence (or for each line of --queries, as JSONL)
    Match {
        /// The sentence to match
        #[arg(required_unless_present = "queries", conflicts_with = "queries")]
        text: Option<String>,
        /// A file with one query a line
        #[arg(long)]
        queries: Option<PathBuf>,
        /// Language of the query (default: every language)
        #[arg(long)]
        src: Option<String>,
        /// Language of the translation to show (default: another language of the unit)
        #[arg(long)]
        tgt: Option<String>,
        /// Number of matches
        #[arg(long, default_value_t = 5)]
        top: usize,
        /// Lowest score to show (0-100)
        #[arg(long, default_value_t = 0.0)]
        min: f64,
    },
    /// Every unit containing a word or phrase, in context
    Concordance {
        /// The word or phrase
        phrase: String,
        /// Only texts in this language
        #[arg(long)]
        lang: Option<String>,
        /// At most this many lines
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Import a TSV corpus into a temporary data directory and time a query file against it
    Bench {
        /// Corpus: `id<TAB>src<TAB>tgt` with that header
        #[arg(long)]
        corpus: PathBuf,
        /// One query a line
        #[arg(long)]
        queries: PathBuf,
        /// Number of matches a query
        #[arg(long, default_value_t = 5)]
        top: usize,
        /// Language of the `src` column
        #[arg(long, default_value = "en")]
        src: String,
        /// Language of the `tgt` column
        #[arg(long, default_value = "sq")]
        tgt: String,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ImportFormat {
    Auto,
    Tsv,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum TranslitTarget {
    /// Cyrillic text to Latin, Latin text to Cyrillic
    Auto,
    /// To Latin
    Latn,
    /// To Cyrillic
    Cyrl,
}

#[derive(Debug, Subcommand)]
enum TextCommand {
    /// Transliterate Serbian between Cyrillic and Latin
    Translit {
        /// The text
        text: String,
        /// Target script
        #[arg(long, value_enum, default_value = "auto")]
        to: TranslitTarget,
    },
    /// Detect the script of each word; report mixed-script words and non-Serbian letters
    Script {
        /// The text
        text: String,
    },
    /// Identify the language of a sentence
    Lang {
        /// The text
        text: String,
    },
    /// Show the comparison key of a text at every tier
    Normalize {
        /// The text
        text: String,
    },
    /// Stem words (Albanian or Serbian)
    Stem {
        /// Language of the words (sq or sr)
        #[arg(long)]
        lang: String,
        /// The words
        #[arg(required = true)]
        words: Vec<String>,
    },
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    init_logging();
    let json = cli.json;
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            let user = err.downcast_ref::<UserError>().is_some() || is_user_store_error(&err);
            if json {
                let code = if user { "bad_input" } else { "internal" };
                eprintln!("{}", json!({"error": {"code": code, "message": format!("{err:#}")}}));
            } else {
                eprintln!("termbridge: error: {err:#}");
            }
            ExitCode::from(if user { 2 } else { 3 })
        }
    }
}

fn is_user_store_error(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause.downcast_ref::<StoreError>().is_some_and(StoreError::is_user_error)
            || cause.downcast_ref::<termbridge::WorkspaceError>().is_some_and(termbridge::WorkspaceError::is_user_error)
    })
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("TERMBRIDGE_LOG").unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}

fn run(cli: Cli) -> Result<ExitCode> {
    let json = cli.json;
    match cli.command {
        Command::Text { command } => text_command(command, json),
        Command::Serve { addr } => serve(&cli.data_dir, addr),
        Command::Import { files, format, src, tgt, collection } => import(&cli.data_dir, &files, format, src, tgt, &collection, json),
        Command::Reindex => reindex(&cli.data_dir, json),
        Command::Stats => stats(&cli.data_dir, json),
        Command::Tm { command } => tm_command(&cli.data_dir, command, json),
    }
}

fn print_json(value: &serde_json::Value) -> Result<ExitCode> {
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{value}")?;
    Ok(ExitCode::SUCCESS)
}

fn progress_bar(message: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({per_sec}, {eta})").unwrap_or_else(|_| ProgressStyle::default_bar()).progress_chars("=> "),
    );
    bar.set_message(message.to_string());
    bar
}

fn open_workspace(data_dir: &Path) -> Result<Workspace> {
    let bar = progress_bar("rebuilding search index");
    let (workspace, outcome) = Workspace::open(data_dir, &mut |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    })
    .with_context(|| format!("cannot open data directory {}", data_dir.display()))?;
    bar.finish_and_clear();
    if let termbridge::index::OpenOutcome::Rebuilt(reason) = outcome {
        tracing::info!(%reason, "search index rebuilt from the store");
    }
    Ok(workspace)
}

fn parse_tag(raw: &str, flag: &str) -> Result<LangTag> {
    LangTag::parse(raw).map_err(|err| user_error(format!("{flag}: {err}")))
}

fn import(
    data_dir: &Path,
    files: &[PathBuf],
    format: ImportFormat,
    src: Option<String>,
    tgt: Option<String>,
    collection: &str,
    json: bool,
) -> Result<ExitCode> {
    let langs = match (src, tgt) {
        (Some(src), Some(tgt)) => Some(TsvLanguages { src: parse_tag(&src, "--src")?, tgt: parse_tag(&tgt, "--tgt")? }),
        (None, None) => None,
        _ => return Err(user_error("--src and --tgt go together")),
    };
    // Parse every file before the first write, so a bad file stores nothing.
    let mut parsed = Vec::with_capacity(files.len());
    for file in files {
        let kind = match format {
            ImportFormat::Tsv => ImportFormat::Tsv,
            ImportFormat::Auto => match file.extension().and_then(|ext| ext.to_str()).map(str::to_ascii_lowercase).as_deref() {
                Some("tsv" | "tab" | "txt") => ImportFormat::Tsv,
                _ => return Err(user_error(format!("{}: unknown format; pass --format", file.display()))),
            },
        };
        let units = match kind {
            ImportFormat::Tsv | ImportFormat::Auto => termbridge::formats::read_tsv(file, langs, collection).map_err(|err| match err {
                TsvError::Invalid { .. } => user_error(err.to_string()),
                TsvError::Io { .. } => user_error(err.to_string()),
            })?,
        };
        parsed.push((file, units));
    }
    let workspace = open_workspace(data_dir)?;
    let mut results = Vec::new();
    for (file, units) in parsed {
        let bar = progress_bar(&format!("importing {}", file.display()));
        bar.set_length(units.len() as u64);
        let summary = workspace.add_units(&units).with_context(|| format!("import of {} failed; nothing of it was stored", file.display()))?;
        bar.finish_and_clear();
        let record = json!({"file": file.display().to_string(), "read": units.len(), "stored": summary.stored, "duplicates": summary.duplicates});
        if json {
            print_json(&record)?;
        } else {
            println!("{}: {} units read, {} stored, {} duplicates", file.display(), units.len(), summary.stored, summary.duplicates);
        }
        results.push(record);
    }
    Ok(ExitCode::SUCCESS)
}

fn reindex(data_dir: &Path, json: bool) -> Result<ExitCode> {
    let mut workspace = open_workspace(data_dir)?;
    let bar = progress_bar("reindexing");
    workspace
        .reindex(&mut |done, total| {
            bar.set_length(total);
            bar.set_position(done);
        })
        .context("reindex failed; the store is unchanged")?;
    bar.finish_and_clear();
    let docs = workspace.index.doc_count();
    if json {
        print_json(&json!({"indexed_variants": docs}))
    } else {
        println!("index rebuilt: {docs} variants");
        Ok(ExitCode::SUCCESS)
    }
}

fn stats(data_dir: &Path, json: bool) -> Result<ExitCode> {
    let workspace = open_workspace(data_dir)?;
    let stats = workspace.store.stats()?;
    let docs = workspace.index.doc_count();
    if json {
        print_json(&json!({"units": stats.units, "indexed_variants": docs, "schema_version": stats.schema_version, "generation": stats.generation}))
    } else {
        println!("data directory: {}\nunits: {}\nindexed variants: {docs}\nschema version: {}", data_dir.display(), stats.units, stats.schema_version);
        Ok(ExitCode::SUCCESS)
    }
}

fn serve(data_dir: &Path, addr: SocketAddr) -> Result<ExitCode> {
    let workspace = Arc::new(open_workspace(data_dir)?);
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|err| user_error(format!("cannot listen on {addr}: {err}")))?;
        tracing::info!(%addr, data_dir = %data_dir.display(), "termbridge is listening");
        let state = termbridge::api::AppState { workspace: workspace.clone() };
        axum::serve(listener, termbridge::api::router(state)).with_graceful_shutdown(shutdown_signal()).await.context("server failed")?;
        workspace.store.flush()?;
        tracing::info!("stopped; store flushed");
        Ok::<(), anyhow::Error>(())
    })?;
    Ok(ExitCode::SUCCESS)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

fn text_command(command: TextCommand, json: bool) -> Result<ExitCode> {
    match command {
        TextCommand::Translit { text, to } => {
            let cyrillic_letters = text.chars().filter(|c| text::translit::is_serbian_cyrillic_letter(*c)).count();
            let latin_letters = text.chars().filter(|c| c.is_alphabetic() && !text::translit::is_serbian_cyrillic_letter(*c)).count();
            let to_latin = match to {
                TranslitTarget::Latn => true,
                TranslitTarget::Cyrl => false,
                TranslitTarget::Auto => cyrillic_letters >= latin_letters,
            };
            let output = if to_latin { text::cyr_to_lat(&text) } else { text::lat_to_cyr(&text) };
            if json {
                print_json(&json!({"input": text, "output": output, "script": if to_latin { "Latn" } else { "Cyrl" }}))
            } else {
                println!("{output}");
                Ok(ExitCode::SUCCESS)
            }
        }
        TextCommand::Script { text } => {
            let words: Vec<_> = text::segment::words(&text)
                .into_iter()
                .map(|range| {
                    let word = &text[range.clone()];
                    json!({"word": word, "start": range.start, "end": range.end, "script": text::script::word_script(word)})
                })
                .collect();
            let report = json!({"text": text, "words": words});
            if json {
                print_json(&report)
            } else {
                println!("{report:#}");
                Ok(ExitCode::SUCCESS)
            }
        }
        TextCommand::Lang { text } => {
            let guess = text::langid::identify(&text);
            if json {
                print_json(&json!({"text": text, "lang": guess.map(|g| g.lang.code()), "confidence": guess.map(|g| g.confidence)}))
            } else {
                match guess {
                    Some(guess) => println!("{} ({}, confidence {:.2})", guess.lang.code(), guess.lang.english_name(), guess.confidence),
                    None => println!("unknown"),
                }
                Ok(ExitCode::SUCCESS)
            }
        }
        TextCommand::Normalize { text } => {
            let keys: serde_json::Map<String, serde_json::Value> =
                Tier::FOLDING.iter().map(|tier| (tier.as_str().to_string(), json!(text::fold(&text, *tier)))).collect();
            if json {
                print_json(&json!({"text": text, "keys": keys}))
            } else {
                for tier in Tier::FOLDING {
                    println!("{:<11} {}", tier.as_str(), text::fold(&text, tier));
                }
                Ok(ExitCode::SUCCESS)
            }
        }
        TextCommand::Stem { lang, words } => {
            let tag = parse_tag(&lang, "--lang")?;
            if !matches!(tag.lang, Lang::Sq | Lang::Sr) {
                return Err(user_error(format!("--lang: stemming is available for sq and sr, not {}", tag.lang)));
            }
            let stems: Vec<_> = words
                .iter()
                .map(|word| {
                    let folded = text::case_fold(word);
                    json!({"word": word, "stem": text::stem::stem(&folded, tag.lang)})
                })
                .collect();
            if json {
                print_json(&json!({"lang": tag.lang.code(), "stems": stems}))
            } else {
                for entry in &stems {
                    println!("{}\t{}", entry["word"].as_str().unwrap_or_default(), entry["stem"].as_str().unwrap_or_default());
                }
                Ok(ExitCode::SUCCESS)
            }
        }
    }
}

fn tm_command(data_dir: &Path, command: TmCommand, json: bool) -> Result<ExitCode> {
    match command {
        TmCommand::Match { text, queries, src, tgt, top, min } => {
            let options = termbridge::memory::MatchOptions {
                src: src.as_deref().map(|raw| parse_tag(raw, "--src")).transpose()?,
                tgt: tgt.as_deref().map(|raw| parse_tag(raw, "--tgt")).transpose()?,
                top,
                min_score: min,
            };
            let lines = match (&text, &queries) {
                (Some(text), _) => vec![text.clone()],
                (None, Some(path)) => read_queries(path)?,
                (None, None) => return Err(user_error("give a TEXT or --queries FILE")),
            };
            let workspace = open_workspace(data_dir)?;
            workspace.prepare_matcher(&termbridge::memory::source_langs(options.src)).context("cannot build the match index")?;
            let batch = queries.is_some();
            for query in &lines {
                let started = std::time::Instant::now();
                let hits = termbridge::memory::tm_match(&workspace, query, &options)?;
                let micros = started.elapsed().as_micros() as u64;
                if json || batch {
                    print_json(&match_record(query, &hits, micros))?;
                } else {
                    print_hits_human(query, &hits);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        TmCommand::Concordance { phrase, lang, limit } => {
            let lang = lang.as_deref().map(|raw| parse_tag(raw, "--lang")).transpose()?.map(|tag| tag.lang);
            let workspace = open_workspace(data_dir)?;
            let lines = termbridge::memory::concordance(&workspace, &phrase, &termbridge::memory::ConcordanceOptions { lang, limit })?;
            if json {
                print_json(&json!({"phrase": phrase, "lines": lines}))
            } else {
                for line in &lines {
                    let before = &line.text[..line.start];
                    let hit = &line.text[line.start..line.end];
                    let after = &line.text[line.end..];
                    println!("{} [{}] {before}[{hit}]{after}  ({})", line.id, line.lang, line.tier.as_str());
                    if let (Some(translation), Some(translation_lang)) = (&line.translation, line.translation_lang) {
                        println!("    {translation_lang}: {translation}");
                    }
                }
                Ok(ExitCode::SUCCESS)
            }
        }
        TmCommand::Bench { corpus, queries, top, src, tgt } => tm_bench(&corpus, &queries, top, &src, &tgt),
    }
}

fn read_queries(path: &Path) -> Result<Vec<String>> {
    let raw = std::fs::read_to_string(path).map_err(|err| user_error(format!("{}: {err}", path.display())))?;
    Ok(raw.lines().map(|line| line.trim_end_matches('\r')).filter(|line| !line.is_empty()).map(str::to_string).collect())
}

fn match_record(query: &str, hits: &[termbridge::memory::TmHit], micros: u64) -> serde_json::Value {
    json!({"query": query, "hits": hits, "micros": micros})
}

fn print_hits_human(query: &str, hits: &[termbridge::memory::TmHit]) {
    println!("{query}");
    if hits.is_empty() {
        println!("  (no match)");
    }
    for hit in hits {
        println!("  {:>6.2} {:<10} {} [{}] {}", hit.score, hit.tier.as_str(), hit.id, hit.source_lang, hit.source);
        if let (Some(target), Some(target_lang)) = (&hit.target, hit.target_lang) {
            println!("         {:<10} [{target_lang}] {target}", "");
        }
        for change in &hit.numbers {
            println!("         number {} -> {}", change.source.as_deref().unwrap_or("-"), change.query.as_deref().unwrap_or("-"));
        }
        if let Some(suggestion) = &hit.suggestion {
            println!("         suggestion: {suggestion}");
        }
    }
}

/// Peak and current resident memory of this process, in MiB (`VmHWM`, `VmRSS`).
fn memory_mib() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| -> f64 {
        status
            .lines()
            .find(|line| line.starts_with(name))
            .and_then(|line| line.split_whitespace().nth(1))
            .and_then(|kib| kib.parse::<f64>().ok())
            .map_or(0.0, |kib| (kib / 1024.0 * 10.0).round() / 10.0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

fn dir_bytes(path: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(path) else { return 0 };
    entries
        .flatten()
        .map(|entry| match entry.file_type() {
            Ok(kind) if kind.is_dir() => dir_bytes(&entry.path()),
            _ => entry.metadata().map(|meta| meta.len()).unwrap_or(0),
        })
        .sum()
}

/// CPU seconds (user + system) this process has used so far, from `/proc/self/stat`.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces) start after the last ')'.
    let fields: Vec<&str> = stat.rsplit_once(')').map(|(_, rest)| rest.split_whitespace().collect()).unwrap_or_default();
    let ticks = |idx: usize| fields.get(idx).and_then(|raw| raw.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name and state.
    (ticks(11) + ticks(12)) / 100.0
}

/// Nearest-rank percentile of ascending values.
fn percentile(sorted: &[u64], p: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = ((p / 100.0 * sorted.len() as f64).ceil() as usize).max(1);
    sorted[rank - 1]
}

fn tm_bench(corpus: &Path, queries: &Path, top: usize, src: &str, tgt: &str) -> Result<ExitCode> {
    let langs = TsvLanguages { src: parse_tag(src, "--src")?, tgt: parse_tag(tgt, "--tgt")? };
    let query_lines = read_queries(queries)?;
    let data = tempfile::Builder::new().prefix("termbridge-bench").tempdir().context("cannot create a temporary data directory")?;
    let (workspace, _) = Workspace::open(data.path(), &mut |_, _| {}).context("cannot open the temporary data directory")?;
    // An empty match index of the source language, so that the import builds it.
    workspace.prepare_matcher(&[langs.src.lang])?;

    let load_started = std::time::Instant::now();
    let units = termbridge::formats::read_tsv(corpus, Some(langs), "bench").map_err(|err| user_error(err.to_string()))?;
    let rows = units.len();
    let parse_s = load_started.elapsed().as_secs_f64();
    let timings = workspace.add_units_timed(&units).context("import failed")?;
    drop(units);
    termbridge::workspace::release_free_memory();
    let load_s = parse_s + timings.store_s;
    let index_s = timings.index_s;
    tracing::info!(rows, parse_s, store_s = timings.store_s, index_s, match_index_s = timings.match_index_s, "corpus imported");

    let options = termbridge::memory::MatchOptions { src: Some(langs.src), tgt: Some(langs.tgt), top, min_score: 0.0 };
    let mut latencies = Vec::with_capacity(query_lines.len());
    let mut empty = 0usize;
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    let queries_started = std::time::Instant::now();
    let cpu_started = cpu_seconds();
    for query in &query_lines {
        let started = std::time::Instant::now();
        // tm_match, spelled out to report how much work each lookup did.
        let normalized = text::nfc(query);
        let mut search_stats = termbridge::memory::matcher::SearchStats::default();
        let raw = workspace.fuzzy_search(&normalized, &[langs.src.lang], top, 0.0, &mut search_stats)?;
        let search_micros = started.elapsed().as_micros() as u64;
        let hits = termbridge::memory::rank_and_resolve(&workspace, &normalized, raw, &options)?;
        let micros = started.elapsed().as_micros() as u64;
        latencies.push(micros);
        if hits.is_empty() {
            empty += 1;
        }
        let mut record = match_record(query, &hits, micros);
        record["postings"] = json!(search_stats.postings);
        record["scored"] = json!(search_stats.scored);
        record["search_micros"] = json!(search_micros);
        writeln!(stdout, "{record}")?;
    }
    stdout.flush()?;
    let total_s = queries_started.elapsed().as_secs_f64();
    let query_cpu_s = cpu_seconds() - cpu_started;
    let (peak_mib, serving_mib) = memory_mib();
    latencies.sort_unstable();
    let count = latencies.len();
    let mean = if count == 0 { 0.0 } else { latencies.iter().sum::<u64>() as f64 / count as f64 };
    let matcher_bytes = workspace.matcher_bytes() as u64;
    let index_bytes = matcher_bytes + dir_bytes(&data.path().join("tantivy"));
    let store_bytes = dir_bytes(&data.path().join("store"));
    // Written by hand: the contract wants "summary" as the first key.
    let summary = format!(
        concat!(
            r#"{{"summary": "termbridge", "count": {}, "p50_us": {}, "p95_us": {}, "p99_us": {}, "mean_us": {:.1}, "max_us": {}, "empty": {}, "#,
            r#""total_s": {:.3}, "load_s": {:.3}, "index_s": {:.3}, "rss_mib": {:.1}, "serving_rss_mib": {:.1}, "rows": {}, "units_per_s": {:.0}, "#,
            r#""index_bytes": {}, "match_index_bytes": {}, "store_bytes": {}, "query_cpu_s": {:.2}}}"#
        ),
        count,
        percentile(&latencies, 50.0),
        percentile(&latencies, 95.0),
        percentile(&latencies, 99.0),
        mean,
        latencies.last().copied().unwrap_or(0),
        empty,
        total_s,
        load_s,
        index_s,
        peak_mib,
        serving_mib,
        rows,
        if load_s + index_s > 0.0 { rows as f64 / (load_s + index_s) } else { 0.0 },
        index_bytes,
        matcher_bytes,
        store_bytes,
        query_cpu_s,
    );
    drop(workspace);
    drop(data);
    eprintln!("{summary}");
    Ok(ExitCode::SUCCESS)
}
