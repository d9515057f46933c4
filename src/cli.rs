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
    /// Official place names: look up a name, check a text or a sign, rebuild the gazetteer
    Places {
        #[command(subcommand)]
        command: PlacesCommand,
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
    err.chain()
        .any(|cause| matches!(cause.downcast_ref::<StoreError>(), Some(StoreError::Locked { .. } | StoreError::NotWritable { .. } | StoreError::TooNew { .. })))
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
        Command::Places { command } => places_command(command, json),
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

#[derive(Debug, Subcommand)]
enum PlacesCommand {
    /// Compile the shipped gazetteer (places.tsv, place_variants.tsv, corrections.tsv) from the sources
    Build {
        /// Folder holding places.csv and raw/ (the collected sources)
        #[arg(long, default_value = "../shared/data/places")]
        from: PathBuf,
        /// Output folder
        #[arg(short = 'o', long = "out", default_value = "glossaries/kosovo")]
        out: PathBuf,
        /// Curation rules (default: the ones shipped with termbridge)
        #[arg(long)]
        curation: Option<PathBuf>,
    },
    /// Run the gazetteer self-checks (NFC, C1 controls, Đ, Cyrillic letters, scripts agree, unique names, sources)
    Selfcheck,
    /// Resolve any spelling of a place to its official names
    Lookup {
        /// The name as written (any language, script, case form or spelling)
        name: String,
    },
    /// Report place names in a text file that are not the official form (check id place-name)
    Check {
        /// The text file (UTF-8)
        file: PathBuf,
        /// Language of the text: sq, sr, sr-Latn or sr-Cyrl
        #[arg(long)]
        lang: String,
        /// List every place mention, official or not, instead of the findings
        #[arg(long)]
        mentions: bool,
    },
    /// Check a place-name sign (parts separated by " / ", "|" or new lines) or a CSV list of signs
    Sign {
        /// The sign's text, e.g. "Zveçan / Звечан / Zvečan"
        #[arg(required_unless_present = "csv", conflicts_with = "csv")]
        text: Option<String>,
        /// The municipality the sign stands in (any spelling)
        #[arg(long)]
        municipality: Option<String>,
        /// CSV list of signs: municipality, id, and sign or one column per language (sq, sr-Cyrl, sr-Latn, tr, bs), order
        #[arg(long)]
        csv: Option<PathBuf>,
        /// Serbian script policy (default: the municipality's, from the language table)
        #[arg(long, value_parser = ["cyrillic-required", "latin-allowed", "both"])]
        sr_script: Option<String>,
        /// Which language comes first
        #[arg(long, default_value = "majority-first", value_parser = ["majority-first", "law-order", "any"])]
        order: String,
    },
    /// Measure lookup accuracy on a labelled set (query, expected_sq, expected_sr_latn, status)
    Eval {
        /// The labelled set; without it, the synthetic municipality set is used
        file: Option<PathBuf>,
        /// Variant types per query (query, variant_type, source); default FILE with .meta.tsv
        #[arg(long)]
        meta: Option<PathBuf>,
        /// Leave the sourced variants out of the index (measures the generated forms alone)
        #[arg(long)]
        no_sourced_variants: bool,
        /// Use every sourced variant as a query (with --no-sourced-variants: a held-out test)
        #[arg(long, conflicts_with = "file")]
        sourced_as_queries: bool,
        /// List the misses
        #[arg(long)]
        misses: bool,
    },
}

fn places_error(err: termbridge::places::PlacesError) -> anyhow::Error {
    if err.is_user_error() { user_error(err.to_string()) } else { anyhow::Error::new(err) }
}

fn place_line(names: &termbridge::places::PlaceNames) -> String {
    let mut parts = vec![names.sq.clone(), names.sr_latn.clone()];
    if !names.sr_cyrl.is_empty() {
        parts.push(names.sr_cyrl.clone());
    }
    parts.extend(names.tr.iter().map(|tr| format!("tr {tr}")));
    parts.extend(names.bs.iter().map(|bs| format!("bs {bs}")));
    parts.join(" / ")
}

/// Writes human-readable output; a closed pipe (`| head`) is not an error.
fn print_text(text: &str) -> Result<ExitCode> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => Err(err.into()),
        _ => Ok(ExitCode::SUCCESS),
    }
}

fn format_lookup(lookup: &termbridge::places::Lookup) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let Some(best) = lookup.best() else {
        let _ = writeln!(out, "{}: no place found", lookup.query);
        return out;
    };
    let where_ = |candidate: &termbridge::places::Candidate| match candidate.kind {
        termbridge::places::PlaceKind::Municipality => "municipality".to_string(),
        termbridge::places::PlaceKind::Settlement => format!("settlement in {}", candidate.municipality.join(" or ")),
    };
    let _ = writeln!(out, "{} → {} ({})", lookup.query, place_line(&best.names), where_(best));
    let also = if best.also.is_empty() { String::new() } else { format!(", also {}", best.also.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(", ")) };
    let _ = writeln!(out, "  variant type: {}{also}; tier: {}; confidence {:.2}", best.variant_type, best.tier.as_str(), best.confidence);
    let lang = best.matched_lang.as_deref().map(|lang| format!(" ({lang})")).unwrap_or_default();
    let _ = writeln!(out, "  matched: {}{lang}{}", best.matched, best.source.as_deref().map(|source| format!("; source: {source}")).unwrap_or_default());
    if let Some(repaired) = &lookup.repaired {
        let _ = writeln!(out, "  repaired encoding: {repaired}");
    }
    if let Some(context) = &lookup.context {
        let _ = writeln!(out, "  context set aside: {context}");
    }
    if !best.note.is_empty() {
        let _ = writeln!(out, "  note: {}", best.note);
    }
    if lookup.candidates.len() > 1 {
        let _ = writeln!(out, "{}", if lookup.ambiguous { "ambiguous; candidates:" } else { "other candidates:" });
        let skip = usize::from(!lookup.ambiguous);
        for (idx, candidate) in lookup.candidates.iter().enumerate().skip(skip) {
            let _ = writeln!(
                out,
                "  {}. {} ({}) — {}, {}, confidence {:.2}",
                idx + 1,
                place_line(&candidate.names),
                where_(candidate),
                candidate.variant_type,
                candidate.tier.as_str(),
                candidate.confidence
            );
        }
    }
    out
}

fn format_sign_report(id: Option<&str>, report: &termbridge::places::SignReport) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let label = id.map(|id| format!("[{id}] ")).unwrap_or_default();
    let _ = writeln!(out, "{label}sign: {}", report.sign);
    if let Some(names) = &report.names {
        let _ = writeln!(out, "  names: {}", place_line(names));
    }
    let _ = writeln!(
        out,
        "  rules: {}required {}; Serbian script {}",
        report.municipality.as_deref().map(|municipality| format!("municipality {municipality}; ")).unwrap_or_default(),
        report.required.join(", "),
        report.sr_script_policy.as_str()
    );
    let parts: Vec<String> = report.parts.iter().map(|part| format!("{}. {:?} {}", part.position, part.text, part.lang.as_deref().unwrap_or("?"))).collect();
    let _ = writeln!(out, "  parts: {}", parts.join("  "));
    if report.findings.is_empty() {
        let _ = writeln!(out, "  no findings");
    }
    for finding in &report.findings {
        let part = finding.part.map(|part| format!(" part {part}")).unwrap_or_default();
        let suggestion = finding.suggestion.as_deref().map(|suggestion| format!(" → {suggestion}")).unwrap_or_default();
        let _ = writeln!(out, "  {}{part}: {}{suggestion}", finding.check, finding.message);
    }
    out
}

fn places_command(command: PlacesCommand, json: bool) -> Result<ExitCode> {
    use termbridge::places;
    match command {
        PlacesCommand::Eval { file, meta, no_sourced_variants, sourced_as_queries, misses } => {
            let shipped = places::Places::shipped();
            let ablated;
            let index = if no_sourced_variants {
                ablated = places::Places::with_options(shipped.gazetteer().clone(), places::IndexOptions { sourced_variants: false, generated_forms: true });
                &ablated
            } else {
                shipped
            };
            let (cases, set_name) = match &file {
                Some(path) => {
                    let text = std::fs::read_to_string(path).map_err(|err| user_error(format!("{}: {err}", path.display())))?;
                    let meta_path = meta.clone().or_else(|| {
                        let candidate = PathBuf::from(path.display().to_string().replace(".tsv", ".meta.tsv"));
                        (candidate != *path && candidate.exists()).then_some(candidate)
                    });
                    let meta_text = match &meta_path {
                        Some(meta_path) => Some(std::fs::read_to_string(meta_path).map_err(|err| user_error(format!("{}: {err}", meta_path.display())))?),
                        None => None,
                    };
                    (places::read_eval_set(&text, meta_text.as_deref(), &path.display().to_string()).map_err(places_error)?, path.display().to_string())
                }
                None if sourced_as_queries => (places::sourced_variant_cases(shipped.gazetteer()), "sourced variants as queries".to_string()),
                None => (places::synthetic_municipality_cases(shipped.gazetteer()).map_err(places_error)?, "synthetic municipality set".to_string()),
            };
            let report = places::evaluate(index, &cases);
            if json {
                return print_json(&json!({"set": set_name, "sourced_variants": !no_sourced_variants, "report": report}));
            }
            use std::fmt::Write as _;
            let mut out = String::new();
            let line = |name: &str, score: &places::Score| {
                format!(
                    "  {name:<38} {:>4}/{:<4} top-1 {:>6.2} %   found {:>6.2} %\n",
                    score.top1,
                    score.cases,
                    100.0 * score.top1_rate(),
                    if score.cases == 0 { 100.0 } else { 100.0 * score.found as f64 / score.cases as f64 }
                )
            };
            let _ = writeln!(out, "{set_name} ({} cases; sourced variants {})", cases.len(), if no_sourced_variants { "left out" } else { "indexed" });
            out.push_str(&line("overall", &report.overall));
            out.push_str(&line("municipalities", &report.municipalities));
            for (variant_type, score) in &report.by_type {
                out.push_str(&line(variant_type, score));
            }
            let _ = writeln!(out, "  lookup time: p50 {} µs, p95 {} µs, max {} µs", report.p50_us, report.p95_us, report.max_us);
            if misses {
                for miss in &report.misses {
                    let _ = writeln!(out, "  miss: {} → {} (expected {})", miss.query, if miss.got.is_empty() { "nothing" } else { &miss.got }, miss.expected);
                }
            }
            print_text(&out)
        }
        PlacesCommand::Check { file, lang, mentions } => {
            let tag = parse_tag(&lang, "--lang")?;
            if !matches!(tag.lang, Lang::Sq | Lang::Sr) {
                return Err(user_error(format!("--lang: place names are checked in sq and sr text, not {tag}")));
            }
            let text = std::fs::read_to_string(&file).map_err(|err| user_error(format!("{}: {err}", file.display())))?;
            if mentions {
                let found = places::Places::shipped().mentions(&text, tag);
                if json {
                    return print_json(&json!({"file": file.display().to_string(), "lang": tag.to_string(), "mentions": found}));
                }
                use std::fmt::Write as _;
                let mut out = String::new();
                for mention in &found {
                    let line = text[..mention.start].matches('\n').count() + 1;
                    let verdict = if mention.official {
                        "official".to_string()
                    } else {
                        format!("{} → {}", mention.variant_type, mention.suggestion.as_deref().unwrap_or("?"))
                    };
                    let _ = writeln!(out, "{}:{line}: {} = {} ({}; {verdict})", file.display(), mention.text, mention.names.sq, mention.place_id);
                }
                let _ = writeln!(out, "{} mention{}", found.len(), if found.len() == 1 { "" } else { "s" });
                return print_text(&out);
            }
            let findings = places::Places::shipped().check_text(&text, tag);
            let code = if findings.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) };
            if json {
                print_json(&json!({"file": file.display().to_string(), "lang": tag.to_string(), "findings": findings}))?;
            } else {
                use std::fmt::Write as _;
                let mut out = String::new();
                for finding in &findings {
                    let suggestion = finding.suggestion.as_deref().map(|s| format!(" → {s}")).unwrap_or_default();
                    let _ = writeln!(out, "{}:{}:{}: {}: {}{suggestion}", file.display(), finding.line, finding.column, finding.check, finding.message);
                }
                let _ = writeln!(out, "{} finding{}", findings.len(), if findings.len() == 1 { "" } else { "s" });
                print_text(&out)?;
            }
            Ok(code)
        }
        PlacesCommand::Sign { text, municipality, csv, sr_script, order } => {
            let shipped = places::Places::shipped();
            let sr_script = sr_script
                .as_deref()
                .map(|raw| places::SrScriptPolicy::parse(raw).ok_or_else(|| user_error(format!("--sr-script: unknown policy {raw:?}"))))
                .transpose()?;
            let order = places::OrderRule::parse(&order).ok_or_else(|| user_error(format!("--order: unknown rule {order:?}")))?;
            let mut reports = Vec::new();
            match (&text, &csv) {
                (Some(text), _) => {
                    let options = places::SignOptions { municipality: municipality.clone(), sr_script, order };
                    reports.push((None, shipped.check_sign(text, &options).map_err(places_error)?));
                }
                (None, Some(path)) => {
                    let content = std::fs::read_to_string(path).map_err(|err| user_error(format!("{}: {err}", path.display())))?;
                    for row in places::read_sign_csv(&content, &path.display().to_string()).map_err(places_error)? {
                        let options = places::SignOptions { municipality: row.municipality.clone().or_else(|| municipality.clone()), sr_script, order };
                        let sign = row.parts.iter().map(|(_, part)| part.as_str()).collect::<Vec<_>>().join(" / ");
                        let report = shipped
                            .check_sign_parts(&sign, &row.parts, &options)
                            .map_err(|err| user_error(format!("{}:{}: {err}", path.display(), row.line)))?;
                        reports.push((Some(row.id.clone()), report));
                    }
                }
                (None, None) => return Err(user_error("give the sign's text or --csv FILE")),
            }
            let any_findings = reports.iter().any(|(_, report)| !report.findings.is_empty());
            if json {
                let mut out = String::new();
                for (id, report) in &reports {
                    let mut value = serde_json::to_value(report)?;
                    if let (Some(id), Some(object)) = (id, value.as_object_mut()) {
                        object.insert("id".into(), json!(id));
                    }
                    out.push_str(&value.to_string());
                    out.push('\n');
                }
                print_text(&out)?;
            } else {
                let mut out = String::new();
                for (id, report) in &reports {
                    out.push_str(&format_sign_report(id.as_deref(), report));
                }
                print_text(&out)?;
            }
            Ok(if any_findings { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        PlacesCommand::Selfcheck => {
            let gazetteer = places::Gazetteer::shipped();
            let mut problems = Vec::new();
            for (file, text) in [
                ("places.tsv", places::SHIPPED_PLACES_TSV),
                ("place_variants.tsv", places::SHIPPED_VARIANTS_TSV),
                ("municipal_languages.tsv", places::SHIPPED_LANGUAGES_TSV),
            ] {
                problems.extend(places::check_file_text(file, text));
            }
            problems.extend(places::self_check(gazetteer));
            if json {
                print_json(&json!({"places": gazetteer.places().len(), "variants": gazetteer.variants().len(), "problems": problems}))?;
            } else {
                use std::fmt::Write as _;
                let mut out = String::new();
                for problem in &problems {
                    let place = gazetteer.place(&problem.entity).map(|place| format!(" ({})", place.note)).unwrap_or_default();
                    let _ = writeln!(out, "{}\t{}\t{}{place}", problem.check, problem.entity, problem.value);
                }
                let _ = writeln!(out, "{} places, {} variants: {} problem(s)", gazetteer.places().len(), gazetteer.variants().len(), problems.len());
                print_text(&out)?;
            }
            Ok(if problems.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        PlacesCommand::Lookup { name } => {
            let lookup = places::Places::shipped().lookup(&name);
            if json { print_json(&serde_json::to_value(&lookup)?) } else { print_text(&format_lookup(&lookup)) }
        }
        PlacesCommand::Build { from, out, curation } => {
            let curation_text = match &curation {
                Some(path) => std::fs::read_to_string(path).map_err(|err| user_error(format!("{}: {err}", path.display())))?,
                None => places::SHIPPED_CURATION_TSV.to_string(),
            };
            let compiled = places::compile_dir(&from, &curation_text).map_err(places_error)?;
            compiled.write(&out).map_err(places_error)?;
            if json {
                print_json(&json!({"out": out.display().to_string(), "report": compiled.report}))
            } else {
                let report = serde_json::to_value(&compiled.report)?;
                println!("compiled {} into {}", from.display(), out.display());
                if let Some(fields) = report.as_object() {
                    for (name, value) in fields {
                        println!("  {name:<22} {value}");
                    }
                }
                Ok(ExitCode::SUCCESS)
            }
        }
    }
}
