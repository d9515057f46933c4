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
use termbridge::align::AlignOptions;
use termbridge::formats::tmx::{TmxHeader, TmxWriter};
use termbridge::formats::{Format, FormatError, Limits, Parsed, ReadOptions};
use termbridge::model::lang::{Lang, LangTag};
use termbridge::store::{Role, StoreError};
use termbridge::text::{self, Tier};

mod error;

use error::user_error;

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
        /// Require a reader token for reads too (by default reads are open)
        #[arg(long)]
        closed_reads: bool,
        /// Allow cross-origin requests from this origin (repeatable; CORS is off without it)
        #[arg(long = "cors-origin")]
        cors_origins: Vec<String>,
        /// Largest request body accepted, in MiB
        #[arg(long, default_value_t = 64)]
        max_body_mib: usize,
        /// Requests served at once; more are answered 503
        #[arg(long, default_value_t = 256)]
        max_concurrency: usize,
        /// Longest a request may take (body upload included) before it is answered 408, in seconds
        #[arg(long, default_value_t = 60)]
        request_timeout_secs: u64,
        /// Longest a client may take to send a request's headers before the connection is closed, in seconds
        #[arg(long, default_value_t = 10)]
        header_timeout_secs: u64,
        /// Longest shutdown (SIGTERM, SIGINT) waits for requests in flight, in seconds
        #[arg(long, default_value_t = 30)]
        shutdown_grace_secs: u64,
        /// Log format on stderr
        #[arg(long, value_enum, default_value = "text")]
        log_format: LogFormat,
    },
    /// Back up the data directory into a new directory DIR (a consistent snapshot, written
    /// atomically). While `serve` holds the data directory, the backup is taken through the
    /// service, which needs an admin token
    Backup {
        /// The backup directory to create (must not exist)
        dir: PathBuf,
        /// The running service to back up through (default: the address the service recorded
        /// in the data directory, when it holds it)
        #[arg(long)]
        server: Option<String>,
        /// Admin token for backing up through the service
        #[arg(long, env = "TERMBRIDGE_TOKEN", hide_env_values = true)]
        token: Option<String>,
    },
    /// Restore a backup into the data directory (which must be empty or absent unless
    /// --force); the search index is rebuilt
    Restore {
        /// The backup directory
        dir: PathBuf,
        /// Replace the content of a non-empty data directory
        #[arg(long)]
        force: bool,
    },
    /// Verify the data directory: schema, counts, every record, content hashes, and that the
    /// search index reflects the store (exit 1 when anything is wrong)
    Check,
    /// Import translation memories into the store (every file is parsed before the first write;
    /// all or nothing per file)
    Import {
        /// Files to import (for --format text: one line-aligned file per language of --langs)
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// File format (auto: from the content and the extension)
        #[arg(long, value_enum, default_value = "auto")]
        format: ImportFormat,
        /// Source language: TSV/CSV `src` column, PO msgid (default en), XLIFF without one
        #[arg(long)]
        src: Option<String>,
        /// Target language: TSV/CSV `tgt` column, PO msgstr (default: the header's Language:),
        /// XLIFF without one
        #[arg(long)]
        tgt: Option<String>,
        /// Languages of plain text files, one per file in order (e.g. sq,sr,en)
        #[arg(long, value_delimiter = ',')]
        langs: Vec<String>,
        /// Collection to import into (default: the one a termbridge TMX recorded, else "default")
        #[arg(long)]
        collection: Option<String>,
        /// Largest file accepted, in MiB
        #[arg(long, default_value_t = 2048)]
        max_file_mib: u64,
    },
    /// Export the translation memory to a file (written atomically)
    Export {
        /// Output format
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Only this collection
        #[arg(long)]
        collection: Option<String>,
        /// Output file
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Align the sentences of two or three language versions of a document into a TMX
    Align {
        /// The documents (plain text; paragraphs separated by blank lines)
        #[arg(required = true, num_args = 2..=3)]
        files: Vec<PathBuf>,
        /// Their languages, in order
        #[arg(long, value_delimiter = ',', default_value = "sq,sr,en")]
        langs: Vec<String>,
        /// Collection recorded in the TMX
        #[arg(long, default_value = "default")]
        collection: String,
        /// Output TMX file
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Rebuild the search index from the store
    Reindex,
    /// Show what the data directory holds
    Stats,
    /// Manage API tokens (writes over HTTP need one; stop the service first)
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Run the text pipeline on a string: transliterate, detect script or language, fold, stem
    Text {
        #[command(subcommand)]
        command: TextCommand,
    },
    /// Audit the language versions of one document for language-rights compliance
    ///
    /// Each version may be plain text, Markdown, HTML or DOCX, or a bilingual PO, XLIFF or
    /// TMX file (its side in the flag's language is that version; its other sides join the
    /// audit unless another flag gives them). Exit code 1 when a finding of severity error
    /// is reported.
    Audit(AuditArgs),
    /// Audit every document of a folder tree, pairing versions by file names
    ///
    /// Versions are paired by these conventions (language code sq, sr, sr-Latn, sr-Cyrl, en,
    /// tr or bs): a language extension (name.sq.html / name.sr.html), a suffix (name-sq.docx /
    /// name-sr.docx, name_sq.md / name_sr.md) or a language folder anywhere in the path
    /// (sq/news/name.html / sr/news/name.html). A document found in one language only gets a
    /// missing-version finding. Readable: .txt, .md, .html, .htm, .docx.
    AuditDir {
        /// The folder
        dir: PathBuf,
        /// Report format
        #[arg(long, value_enum, default_value = "json")]
        format: AuditFormat,
        /// Folder for one report per document and summary.json (nothing written without it)
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
        /// Language of the HTML reports: sq, sr-Cyrl, sr-Latn or en
        #[arg(long, default_value = "en")]
        ui_lang: String,
        /// Audit policy (TOML or JSON): checks on/off, severities, script policy, terms
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Term base: look up a term, find terms in a text, import and export TBX or CSV
    Terms {
        #[command(subcommand)]
        command: TermsCommand,
    },
    /// Official place names: look up a name, check a text or a sign, rebuild the gazetteer
    Places {
        #[command(subcommand)]
        command: PlacesCommand,
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

#[derive(Debug, clap::Args)]
struct AuditArgs {
    /// The Albanian version
    #[arg(long)]
    sq: Option<PathBuf>,
    /// The Serbian version (Cyrillic or Latin)
    #[arg(long)]
    sr: Option<PathBuf>,
    /// The English version
    #[arg(long)]
    en: Option<PathBuf>,
    /// The Turkish version
    #[arg(long)]
    tr: Option<PathBuf>,
    /// The Bosnian version
    #[arg(long)]
    bs: Option<PathBuf>,
    /// The issuing municipality (any official name); else read from a header such as "Komuna: X"
    #[arg(long)]
    municipality: Option<String>,
    /// Report format
    #[arg(long, value_enum, default_value = "json")]
    format: AuditFormat,
    /// Write the report here instead of stdout
    #[arg(short = 'o', long = "output")]
    output: Option<PathBuf>,
    /// Language of the HTML report: sq, sr-Cyrl, sr-Latn or en
    #[arg(long, default_value = "en")]
    ui_lang: String,
    /// Audit policy (TOML or JSON): checks on/off, severities, script policy, terms
    #[arg(long)]
    config: Option<PathBuf>,
    /// Show what was fixed and what is new since the last audit of the same document
    #[arg(long)]
    compare_last: bool,
    /// The document's identity in the audit history (default: a hash of paths and municipality)
    #[arg(long)]
    id: Option<String>,
    /// Do not record this audit in the data directory's history
    #[arg(long)]
    no_history: bool,
    /// List the checks with their documentation and exit
    #[arg(long)]
    list_checks: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum AuditFormat {
    Json,
    Html,
    Csv,
    Sarif,
}

impl AuditFormat {
    fn format(self) -> termbridge::audit::report::Format {
        use termbridge::audit::report::Format;
        match self {
            AuditFormat::Json => Format::Json,
            AuditFormat::Html => Format::Html,
            AuditFormat::Csv => Format::Csv,
            AuditFormat::Sarif => Format::Sarif,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LogFormat {
    /// Human-readable lines
    Text,
    /// One JSON object a line
    Json,
}

#[derive(Debug, Subcommand)]
enum TokenCommand {
    /// Create a token and print it (shown once; only its hash is stored)
    Create {
        /// What the token may do
        #[arg(long, value_enum)]
        role: RoleArg,
    },
    /// List tokens (ids and roles, never secrets)
    List,
    /// Revoke a token by its id
    Revoke {
        /// The token id (the part after `tb_`)
        id: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum RoleArg {
    Reader,
    Editor,
    Admin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ImportFormat {
    Auto,
    Tmx,
    Xliff,
    Po,
    Csv,
    Tsv,
    Text,
}

impl ImportFormat {
    fn format(self) -> Option<Format> {
        match self {
            ImportFormat::Auto => None,
            ImportFormat::Tmx => Some(Format::Tmx),
            ImportFormat::Xliff => Some(Format::Xliff),
            ImportFormat::Po => Some(Format::Po),
            ImportFormat::Csv => Some(Format::Csv),
            ImportFormat::Tsv => Some(Format::Tsv),
            ImportFormat::Text => Some(Format::Text),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ExportFormat {
    Tmx,
    Tsv,
    Csv,
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
        /// The text (omit with --stdin)
        #[arg(required_unless_present = "stdin", conflicts_with = "stdin")]
        text: Option<String>,
        /// Target script
        #[arg(long, value_enum, default_value = "auto")]
        to: TranslitTarget,
        /// Batch mode: read lines from standard input, write one output line per input line
        /// (JSONL with --json)
        #[arg(long)]
        stdin: bool,
    },
    /// Detect the script of each word; report homoglyphs, mixed-script words and non-Serbian
    /// Cyrillic letters
    Script {
        /// The text (omit with --stdin)
        #[arg(required_unless_present = "stdin", conflicts_with = "stdin")]
        text: Option<String>,
        /// Batch mode: analyse each line of standard input (JSONL with --json)
        #[arg(long)]
        stdin: bool,
    },
    /// Identify the language of a sentence (sq, sr in either script, en, tr, bs)
    Lang {
        /// The sentence (omit with --stdin)
        #[arg(required_unless_present = "stdin", conflicts_with = "stdin")]
        text: Option<String>,
        /// Candidate languages, comma-separated; add bs or drop tr where the municipality
        /// uses other languages
        #[arg(long, value_delimiter = ',', default_value = "sq,sr,en,tr")]
        among: Vec<String>,
        /// Read one sentence a line from standard input and answer one line each
        #[arg(long)]
        stdin: bool,
    },
    /// Show the comparison key of a text at every tier
    Normalize {
        /// The text
        text: String,
    },
    /// Stem words (Albanian or Serbian): fold to the script tier, then strip endings
    Stem {
        /// Language of the words (sq, sr or bs)
        #[arg(long)]
        lang: String,
        /// The words (omit with --stdin)
        #[arg(required_unless_present = "stdin", conflicts_with = "stdin")]
        words: Vec<String>,
        /// Read words from standard input, any number a line
        #[arg(long)]
        stdin: bool,
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
    let log_json = matches!(&cli.command, Command::Serve { log_format: LogFormat::Json, .. });
    init_logging(log_json);
    let json = cli.json;
    match run(cli) {
        Ok(code) => code,
        Err(err) => error::report(&err, json),
    }
}

fn init_logging(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("TERMBRIDGE_LOG").unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = if json { builder.json().try_init() } else { builder.try_init() };
}

fn run(cli: Cli) -> Result<ExitCode> {
    let json = cli.json;
    match cli.command {
        Command::Text { command } => text_command(command, json),
        Command::Serve {
            addr,
            closed_reads,
            cors_origins,
            max_body_mib,
            max_concurrency,
            request_timeout_secs,
            header_timeout_secs,
            shutdown_grace_secs,
            log_format: _,
        } => {
            let config = termbridge::api::ServeConfig {
                open_reads: !closed_reads,
                cors_origins,
                max_body_bytes: max_body_mib.saturating_mul(1 << 20),
                max_concurrency: max_concurrency.max(1),
                request_timeout: std::time::Duration::from_secs(request_timeout_secs.max(1)),
                header_read_timeout: std::time::Duration::from_secs(header_timeout_secs.max(1)),
                shutdown_grace: std::time::Duration::from_secs(shutdown_grace_secs),
            };
            serve(&cli.data_dir, addr, config)
        }
        Command::Backup { dir, server, token } => backup_command(&cli.data_dir, &dir, server.as_deref(), token.as_deref(), json),
        Command::Restore { dir, force } => restore_command(&cli.data_dir, &dir, force, json),
        Command::Check => check_command(&cli.data_dir, json),
        Command::Token { command } => token_command(&cli.data_dir, command, json),
        Command::Import { files, format, src, tgt, langs, collection, max_file_mib } => {
            let request = ImportRequest { format, src, tgt, langs, collection, max_file_mib };
            import(&cli.data_dir, &files, &request, json)
        }
        Command::Export { format, collection, output } => export(&cli.data_dir, format, collection.as_deref(), &output, json),
        Command::Align { files, langs, collection, output } => align(&files, &langs, &collection, &output, json),
        Command::Reindex => reindex(&cli.data_dir, json),
        Command::Stats => stats(&cli.data_dir, json),
        Command::Audit(args) => audit_command(&cli.data_dir, args, json),
        Command::AuditDir { dir, format, output, ui_lang, config } => audit_dir_command(&dir, format, output.as_deref(), &ui_lang, config.as_deref(), json),
        Command::Terms { command } => terms_command(&cli.data_dir, command, json),
        Command::Places { command } => places_command(command, json),
        Command::Tm { command } => tm_command(&cli.data_dir, command, json),
    }
}

fn load_audit_config(path: Option<&Path>) -> Result<termbridge::audit::AuditConfig> {
    match path {
        None => Ok(termbridge::audit::AuditConfig::default()),
        Some(path) => Ok(termbridge::audit::AuditConfig::load(path)?),
    }
}

fn parse_ui_lang(raw: &str) -> Result<termbridge::audit::report::UiLang> {
    termbridge::audit::report::UiLang::parse(raw)
        .ok_or_else(|| user_error(format!("--ui-lang: unknown interface language {raw:?} (expected sq, sr-Cyrl, sr-Latn or en)")))
}

fn audit_resources(config: &termbridge::audit::AuditConfig) -> termbridge::audit::Resources {
    termbridge::audit::input::resources_for(config)
}

fn write_output(output: Option<&Path>, text: &str) -> Result<()> {
    match output {
        Some(path) => std::fs::write(path, text).map_err(|err| user_error(format!("{}: cannot write: {err}", path.display()))),
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(text.as_bytes())?;
            if !text.ends_with('\n') {
                stdout.write_all(b"\n")?;
            }
            Ok(())
        }
    }
}

fn list_checks(json: bool) -> Result<ExitCode> {
    let checks = termbridge::audit::checks::list();
    if json {
        return print_json(&json!({"checks": checks}));
    }
    for check in &checks {
        println!("{} ({}, {}, {})\n  {}\n", check.id, check.severity, check.category, check.scope, check.summary);
        for paragraph in check.docs.split("\n\n") {
            println!("  {paragraph}");
        }
        println!();
    }
    Ok(ExitCode::SUCCESS)
}

fn audit_command(data_dir: &Path, args: AuditArgs, json: bool) -> Result<ExitCode> {
    if args.list_checks {
        return list_checks(json);
    }
    let config = load_audit_config(args.config.as_deref())?;
    let ui = parse_ui_lang(&args.ui_lang)?;
    let given = [(LangTag::SQ, &args.sq), (LangTag::SR, &args.sr), (LangTag::EN, &args.en), (LangTag::TR, &args.tr), (LangTag::BS, &args.bs)];
    let given: Vec<(LangTag, PathBuf)> = given.into_iter().filter_map(|(tag, path)| path.clone().map(|path| (tag, path))).collect();
    let versions = termbridge::audit::input::read_versions(&given)?;
    if versions.is_empty() {
        return Err(user_error("audit: give at least one version (--sq, --sr, --en, --tr, --bs), or --list-checks"));
    }
    let resources = audit_resources(&config);
    let report = termbridge::audit::audit(&versions, args.municipality.as_deref(), &config, &resources).map_err(|err| user_error(err.to_string()))?;
    write_output(args.output.as_deref(), &termbridge::audit::report::render(&report, args.format.format(), ui))?;

    if !args.no_history || args.compare_last {
        let paths: Vec<String> = report.documents.iter().map(|doc| doc.path.clone()).collect();
        let id = termbridge::audit::history::document_id(args.id.as_deref(), &paths, report.municipality.as_deref());
        match termbridge::store::Store::open(data_dir) {
            Ok(store) => {
                if args.compare_last {
                    match store.last_audit(&id)? {
                        Some((_, bytes)) => {
                            let previous: termbridge::audit::history::AuditRecord =
                                serde_json::from_slice(&bytes).context("the stored audit record cannot be read")?;
                            print_comparison(&termbridge::audit::history::compare(&previous, &report), json);
                        }
                        None => eprintln!("no earlier audit of this document (id {id}) in {}", data_dir.display()),
                    }
                }
                if !args.no_history {
                    let now = termbridge::audit::history::now_nanos();
                    let record = termbridge::audit::history::record(&id, now, &report);
                    store.put_audit(&id, now, &serde_json::to_vec(&record)?)?;
                }
            }
            Err(err) if args.compare_last => return Err(anyhow::Error::new(err).context("--compare-last needs the audit history")),
            Err(err) => tracing::warn!(%err, "audit not recorded in the history"),
        }
    }
    Ok(if report.has_errors() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn print_comparison(comparison: &termbridge::audit::history::Comparison, json: bool) {
    if json {
        eprintln!("{}", json!({"comparison": comparison}));
        return;
    }
    eprintln!(
        "since the audit of {}: score {} -> {}, {} fixed, {} new, {} unchanged",
        comparison.previous_date,
        comparison.previous_score,
        comparison.score,
        comparison.fixed.len(),
        comparison.new.len(),
        comparison.unchanged
    );
    for finding in &comparison.fixed {
        eprintln!("  fixed  {} {}:{} {:?}", finding.check, finding.lang, finding.line, finding.excerpt);
    }
    for finding in &comparison.new {
        eprintln!("  new    {} {}:{} {:?}", finding.check, finding.lang, finding.line, finding.excerpt);
    }
}

fn audit_dir_command(dir: &Path, format: AuditFormat, output: Option<&Path>, ui_lang: &str, config: Option<&Path>, json: bool) -> Result<ExitCode> {
    let config = load_audit_config(config)?;
    let ui = parse_ui_lang(ui_lang)?;
    if !dir.is_dir() {
        return Err(user_error(format!("{}: not a folder", dir.display())));
    }
    let resources = audit_resources(&config);
    let bar = progress_bar("auditing");
    let (outcomes, unmarked) = termbridge::audit::dir::audit_dir(dir, &config, &resources, &mut |done, total, key| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
        if !key.is_empty() {
            bar.set_message(format!("auditing {key}"));
        }
    })
    .map_err(|err| user_error(err.to_string()))?;
    bar.finish_and_clear();
    if let Some(out_dir) = output {
        std::fs::create_dir_all(out_dir).map_err(|err| user_error(format!("{}: cannot create: {err}", out_dir.display())))?;
    }
    let mut rows = Vec::new();
    let mut any_errors = false;
    for outcome in &outcomes {
        let langs: Vec<String> = outcome.group.files.iter().map(|(tag, _)| tag.to_string()).collect();
        match &outcome.report {
            Ok(report) => {
                any_errors |= report.has_errors();
                if let Some(out_dir) = output {
                    let name = format!("{}.{}", outcome.group.key.replace(['/', '\\'], "__"), format.format().extension());
                    let path = out_dir.join(name);
                    std::fs::write(&path, termbridge::audit::report::render(report, format.format(), ui))
                        .map_err(|err| user_error(format!("{}: cannot write: {err}", path.display())))?;
                }
                rows.push(json!({"document": outcome.group.key, "versions": langs, "score": report.summary.score, "errors": report.summary.errors,
                    "warnings": report.summary.warnings, "by_check": report.summary.by_check}));
            }
            Err(err) => {
                any_errors = true;
                rows.push(json!({"document": outcome.group.key, "versions": langs, "unreadable": err.to_string()}));
            }
        }
    }
    // The inventory of documents that lack one of the two official languages (Albanian, Serbian).
    let without_counterpart: Vec<&str> = outcomes
        .iter()
        .filter(|o| {
            !(o.group.files.iter().any(|(tag, _)| tag.lang == termbridge::model::lang::Lang::Sq)
                && o.group.files.iter().any(|(tag, _)| tag.lang == termbridge::model::lang::Lang::Sr))
        })
        .map(|o| o.group.key.as_str())
        .collect();
    let missing = without_counterpart.len();
    let summary = json!({"documents": outcomes.len(), "without_counterpart": missing, "without_counterpart_documents": without_counterpart,
        "files_without_language_marker": unmarked, "results": rows});
    if let Some(out_dir) = output {
        std::fs::write(out_dir.join("summary.json"), serde_json::to_string_pretty(&summary)?)?;
    }
    if json {
        print_json(&summary)?;
    } else {
        println!("{:<48} {:<16} {:>5} {:>6} {:>8}", "document", "versions", "score", "errors", "warnings");
        for row in &rows {
            let versions = row["versions"].as_array().map(|v| v.iter().filter_map(|x| x.as_str()).collect::<Vec<_>>().join(",")).unwrap_or_default();
            if let Some(err) = row.get("unreadable") {
                println!("{:<48} {:<16} unreadable: {}", row["document"].as_str().unwrap_or(""), versions, err.as_str().unwrap_or(""));
                continue;
            }
            println!(
                "{:<48} {:<16} {:>5} {:>6} {:>8}",
                row["document"].as_str().unwrap_or(""),
                versions,
                row["score"].to_string(),
                row["errors"].to_string(),
                row["warnings"].to_string()
            );
        }
        let total_errors: u64 = rows.iter().filter_map(|r| r["errors"].as_u64()).sum();
        let total_warnings: u64 = rows.iter().filter_map(|r| r["warnings"].as_u64()).sum();
        if !without_counterpart.is_empty() {
            println!("\nwithout a counterpart in the other official language:");
            for key in &without_counterpart {
                println!("  {key}");
            }
        }
        println!(
            "{} documents, {} without a counterpart, {} errors, {} warnings; {} files without a language marker skipped",
            outcomes.len(),
            missing,
            total_errors,
            total_warnings,
            unmarked
        );
    }
    Ok(if any_errors { ExitCode::from(1) } else { ExitCode::SUCCESS })
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

/// What `import` was asked to do besides the files.
struct ImportRequest {
    format: ImportFormat,
    src: Option<String>,
    tgt: Option<String>,
    langs: Vec<String>,
    collection: Option<String>,
    max_file_mib: u64,
}

/// How many skipped units an import lists before it only counts them.
const SHOWN_PROBLEMS: usize = 10;

fn import(data_dir: &Path, files: &[PathBuf], request: &ImportRequest, json: bool) -> Result<ExitCode> {
    let options = ReadOptions {
        format: request.format.format(),
        src: request.src.as_deref().map(|raw| parse_tag(raw, "--src")).transpose()?,
        tgt: request.tgt.as_deref().map(|raw| parse_tag(raw, "--tgt")).transpose()?,
        langs: request.langs.iter().map(|raw| parse_tag(raw, "--langs")).collect::<Result<_>>()?,
        collection: request.collection.clone(),
        limits: Limits { max_file_bytes: request.max_file_mib.saturating_mul(1 << 20), ..Limits::default() },
    };
    // Plain text files are one line-aligned set (one file a language); every other file
    // stands alone.
    let mut text_files = Vec::new();
    let mut other_files = Vec::new();
    for file in files {
        let format = match options.format {
            Some(format) => format,
            None => detect_file(file)?,
        };
        if format == Format::Text {
            text_files.push(file.clone());
        } else {
            other_files.push((file.clone(), format));
        }
    }
    // Parse every file before the first write, so a bad file stores nothing.
    let mut parsed: Vec<(String, Parsed)> = Vec::with_capacity(files.len());
    if !text_files.is_empty() {
        let paths: Vec<&Path> = text_files.iter().map(PathBuf::as_path).collect();
        let name = text_files.iter().map(|file| file.display().to_string()).collect::<Vec<_>>().join(" + ");
        parsed.push((name, termbridge::formats::text::read_text_files(&paths, &options)?));
    }
    for (file, format) in other_files {
        let bar = progress_bar(&format!("reading {}", file.display()));
        let file_options = ReadOptions { format: Some(format), ..options.clone() };
        let result = termbridge::formats::read_file_with_progress(&file, &file_options, &mut |done, total| {
            bar.set_length(total);
            bar.set_position(done);
        });
        bar.finish_and_clear();
        parsed.push((file.display().to_string(), result?));
    }
    let workspace = open_workspace(data_dir)?;
    for (name, document) in parsed {
        let bar = progress_bar(&format!("importing {name}"));
        bar.set_length(document.units.len() as u64);
        let summary = workspace.add_units(&document.units).map_err(|err| {
            let context = if err.was_stored() {
                format!("import of {name} was stored, but not completely indexed")
            } else {
                format!("import of {name} failed; nothing of it was stored")
            };
            anyhow::Error::new(err).context(context)
        })?;
        bar.finish_and_clear();
        let mut reasons: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
        for problem in &document.problems {
            *reasons.entry(problem.reason.clone()).or_insert(0) += 1;
        }
        if json {
            let problems: Vec<_> =
                document.problems.iter().take(SHOWN_PROBLEMS).map(|problem| json!({"line": problem.line, "reason": problem.reason})).collect();
            print_json(&json!({
                "file": name,
                "read": document.units.len(),
                "stored": summary.stored,
                "duplicates": summary.duplicates,
                "skipped": document.problems.len(),
                "problems": problems,
            }))?;
        } else {
            println!(
                "{name}: {} units read, {} stored, {} duplicates, {} skipped",
                document.units.len(),
                summary.stored,
                summary.duplicates,
                document.problems.len()
            );
            for problem in document.problems.iter().take(SHOWN_PROBLEMS) {
                eprintln!("termbridge: skipped: {problem}");
            }
            if document.problems.len() > SHOWN_PROBLEMS {
                let by_reason: Vec<String> = reasons.iter().map(|(reason, count)| format!("{count} × {reason}")).collect();
                eprintln!("termbridge: {} more skipped; all skips: {}", document.problems.len() - SHOWN_PROBLEMS, by_reason.join("; "));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn detect_file(file: &Path) -> Result<Format> {
    use std::io::Read;
    let mut head = Vec::with_capacity(4096);
    let opened = std::fs::File::open(file).map_err(|err| FormatError::Io { path: file.display().to_string(), source: err })?;
    opened.take(4096).read_to_end(&mut head).map_err(|err| FormatError::Io { path: file.display().to_string(), source: err })?;
    Ok(termbridge::formats::detect(file, &head).ok_or_else(|| FormatError::UnknownFormat { path: file.display().to_string() })?)
}

/// Writes `output` through a temporary file in the same directory, synced and renamed, so a
/// reader never sees half a file and a crash leaves the old one.
fn write_atomically(output: &Path, write: impl FnOnce(&mut std::io::BufWriter<&std::fs::File>) -> Result<()>) -> Result<()> {
    let parent = match output.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let temporary =
        tempfile::NamedTempFile::new_in(&parent).map_err(|err| user_error(format!("{}: cannot write in {}: {err}", output.display(), parent.display())))?;
    {
        let mut writer = std::io::BufWriter::with_capacity(1 << 20, temporary.as_file());
        write(&mut writer)?;
        writer.flush().with_context(|| format!("cannot write {}", output.display()))?;
    }
    temporary.as_file().sync_all().with_context(|| format!("cannot sync {}", output.display()))?;
    temporary.persist(output).map_err(|err| user_error(format!("{}: cannot replace the file: {}", output.display(), err.error)))?;
    if let Ok(directory) = std::fs::File::open(&parent) {
        let _ = directory.sync_all();
    }
    Ok(())
}

fn export(data_dir: &Path, format: ExportFormat, collection: Option<&str>, output: &Path, json: bool) -> Result<ExitCode> {
    let workspace = open_workspace(data_dir)?;
    let wanted = |unit: &termbridge::model::TranslationUnit| collection.is_none_or(|name| unit.collection == name);
    let mut written = 0usize;
    let mut skipped = Vec::new();
    match format {
        ExportFormat::Tmx => {
            let mut units = workspace.store.units().filter(|entry| entry.as_ref().map_or(true, |(_, unit)| wanted(unit)));
            let first = units.next().transpose()?;
            let srclang = first.as_ref().and_then(|(_, unit)| unit.variants.first()).map_or_else(|| "*all*".to_string(), |variant| variant.lang.to_string());
            write_atomically(output, |out| {
                let mut writer = TmxWriter::new(out, &TmxHeader { srclang, adminlang: "en".into() })?;
                for entry in first.into_iter().map(Ok).chain(units) {
                    let (_, unit) = entry?;
                    writer.write_unit(&unit)?;
                    written += 1;
                }
                writer.finish()?;
                Ok(())
            })?;
        }
        ExportFormat::Tsv | ExportFormat::Csv => {
            // The header names every language, so the units are gathered first.
            let mut units = Vec::new();
            for entry in workspace.store.units() {
                let (_, unit) = entry?;
                if wanted(&unit) {
                    units.push(unit);
                }
            }
            write_atomically(output, |out| {
                skipped = if format == ExportFormat::Tsv {
                    termbridge::formats::tsv::write_tsv(out, &units)?
                } else {
                    termbridge::formats::csv::write_csv(out, &units)?
                };
                Ok(())
            })?;
            written = units.len() - skipped.iter().filter(|skip| !skip.written).count();
        }
    }
    for skip in skipped.iter().take(SHOWN_PROBLEMS) {
        eprintln!("termbridge: unit {:?}: {}", skip.id, skip.reason);
    }
    if json {
        print_json(&json!({"file": output.display().to_string(), "written": written, "skipped": skipped.len()}))
    } else {
        println!("{}: {written} units written", output.display());
        Ok(ExitCode::SUCCESS)
    }
}

fn align(files: &[PathBuf], langs: &[String], collection: &str, output: &Path, json: bool) -> Result<ExitCode> {
    let mut tags = langs.iter().map(|raw| parse_tag(raw, "--langs")).collect::<Result<Vec<_>>>()?;
    if tags.len() > files.len() {
        // The default (sq,sr,en) names three; two files take the first two.
        tags.truncate(files.len());
    }
    if tags.len() != files.len() {
        return Err(user_error(format!("--langs names {} language(s) for {} files", tags.len(), files.len())));
    }
    let mut texts = Vec::with_capacity(files.len());
    for file in files {
        let lines = termbridge::formats::text::read_lines(file, &Limits::default())?;
        texts.push(lines.join("\n"));
    }
    let documents: Vec<(termbridge::model::lang::LangTag, &str)> = tags.iter().copied().zip(texts.iter().map(String::as_str)).collect();
    let alignment = termbridge::align::align(&documents, &AlignOptions::default()).map_err(|err| user_error(err.to_string()))?;
    let units = alignment.units(collection);
    write_atomically(output, |out| {
        let mut writer = TmxWriter::new(out, &TmxHeader { srclang: tags[0].to_string(), adminlang: "en".into() })?;
        for unit in &units {
            writer.write_unit(unit)?;
        }
        writer.finish()?;
        Ok(())
    })?;
    let shapes: serde_json::Map<String, serde_json::Value> = alignment.shapes().into_iter().map(|((a, b), count)| (format!("{a}-{b}"), json!(count))).collect();
    if json {
        print_json(
            &json!({"file": output.display().to_string(), "units": units.len(), "segments": alignment.segments.iter().map(Vec::len).collect::<Vec<_>>(), "beads": shapes}),
        )
    } else {
        let beads: Vec<String> = shapes.iter().map(|(shape, count)| format!("{count} × {shape}")).collect();
        println!("{}: {} units; beads {}", output.display(), units.len(), beads.join(", "));
        Ok(ExitCode::SUCCESS)
    }
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

fn token_command(data_dir: &Path, command: TokenCommand, json: bool) -> Result<ExitCode> {
    let store = termbridge::store::Store::open(data_dir).with_context(|| format!("cannot open data directory {}", data_dir.display()))?;
    match command {
        TokenCommand::Create { role } => {
            let role = match role {
                RoleArg::Reader => Role::Reader,
                RoleArg::Editor => Role::Editor,
                RoleArg::Admin => Role::Admin,
            };
            let token = store.create_token(role)?;
            if json {
                print_json(&json!({"token": token.token, "id": token.id, "role": token.role}))
            } else {
                println!("{}", token.token);
                eprintln!("created {} token {} (shown once; keep it secret)", token.role.as_str(), token.id);
                Ok(ExitCode::SUCCESS)
            }
        }
        TokenCommand::List => {
            let tokens = store.tokens()?;
            if json {
                print_json(&json!({"tokens": tokens}))
            } else {
                for token in tokens {
                    println!("{}\t{}\tcreated {}", token.id, token.role.as_str(), token.created);
                }
                Ok(ExitCode::SUCCESS)
            }
        }
        TokenCommand::Revoke { id } => {
            if !store.revoke_token(&id)? {
                return Err(user_error(format!("no token with id {id}")));
            }
            if json {
                print_json(&json!({"revoked": id}))
            } else {
                println!("revoked {id}");
                Ok(ExitCode::SUCCESS)
            }
        }
    }
}

/// The file in the data directory where a running service records its address, so that
/// `termbridge backup` can reach it while it holds the directory.
const SERVICE_FILE: &str = "SERVICE";

/// Opens the data directory for `serve`, loading the shipped term base into an empty store,
/// with a log line for each step.
fn open_for_serving(data_dir: &Path) -> Result<Workspace> {
    tracing::info!(data_dir = %data_dir.display(), "opening the data directory");
    let mut last_logged = 0u64;
    let (workspace, outcome) = Workspace::open(data_dir, &mut |done, total| {
        if total > 0 && (done == total || done >= last_logged + total.div_ceil(10)) {
            last_logged = done;
            tracing::info!(done, total, "rebuilding the search index");
        }
    })
    .with_context(|| format!("cannot open data directory {}", data_dir.display()))?;
    if let termbridge::index::OpenOutcome::Rebuilt(reason) = outcome {
        tracing::info!(%reason, "search index rebuilt from the store");
    }
    // The shipped Kosovo term base goes into an empty store on first start; the gazetteer is
    // compiled into the binary and needs no loading.
    tracing::info!("checking the shipped Kosovo term base");
    match termbridge::termbase::load_shipped(&workspace.store).context("cannot load the shipped term base")? {
        Some(summary) => tracing::info!(concepts = summary.added, "loaded the shipped Kosovo term base into the empty store"),
        None => tracing::info!(concepts = workspace.store.concept_count().unwrap_or(0), "term base present"),
    }
    Ok(workspace)
}

/// The base URL clients on this host reach `local` at.
fn service_url(local: SocketAddr) -> String {
    let ip = match local.ip() {
        std::net::IpAddr::V4(ip) if ip.is_unspecified() => std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
        std::net::IpAddr::V6(ip) if ip.is_unspecified() => std::net::IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}", SocketAddr::new(ip, local.port()))
}

fn serve(data_dir: &Path, addr: SocketAddr, config: termbridge::api::ServeConfig) -> Result<ExitCode> {
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    let data_dir = data_dir.to_path_buf();
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|err| user_error(format!("cannot listen on {addr}: {err}")))?;
        let local = listener.local_addr().context("cannot read the listening address")?;
        tracing::info!(addr = %local, "termbridge is listening; starting up (/readyz answers 503 until ready)");
        let (stop_tx, mut stop_rx) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            shutdown_signal().await;
            tracing::info!("shutdown signal received");
            let _ = stop_tx.send(true);
        });
        let readiness = termbridge::api::Readiness::default();
        let server = {
            let readiness = readiness.clone();
            let config = config.clone();
            let mut stop_rx = stop_rx.clone();
            tokio::spawn(async move {
                termbridge::api::serve(listener, readiness, &config, async move {
                    let _ = stop_rx.wait_for(|stop| *stop).await;
                })
                .await
            })
        };
        let opened = {
            let data_dir = data_dir.clone();
            tokio::task::spawn_blocking(move || open_for_serving(&data_dir)).await
        };
        let workspace = match opened {
            Ok(Ok(workspace)) => Arc::new(workspace),
            Ok(Err(err)) => {
                server.abort();
                return Err(err);
            }
            Err(err) => {
                server.abort();
                return Err(anyhow::Error::new(err).context("startup failed"));
            }
        };
        let service_file = data_dir.join(SERVICE_FILE);
        if let Err(err) = std::fs::write(&service_file, format!("{}\n", service_url(local))) {
            tracing::warn!(%err, file = %service_file.display(), "cannot record the service address; `termbridge backup` will need --server");
        }
        if !*stop_rx.borrow_and_update() {
            let state = termbridge::api::AppState::new(workspace.clone(), config);
            readiness.set_ready(termbridge::api::router(state));
            tracing::info!(addr = %local, data_dir = %data_dir.display(), "termbridge is ready");
            // Build the fuzzy-match index now rather than at the first TM match, which would
            // otherwise wait for it (about a second for 100,000 units).
            let warm = workspace.clone();
            tokio::task::spawn_blocking(move || {
                let started = std::time::Instant::now();
                match warm.prepare_matcher(&termbridge::model::lang::Lang::ALL) {
                    Ok(()) => tracing::info!(seconds = started.elapsed().as_secs_f64(), bytes = warm.matcher_bytes(), "fuzzy-match index built"),
                    Err(err) => tracing::warn!(%err, "fuzzy-match index not built ahead; the first TM match builds it"),
                }
            });
        }
        let served = server.await;
        let _ = std::fs::remove_file(&service_file);
        workspace.store.flush()?;
        tracing::info!("stopped; store flushed");
        served.context("the server task failed")?.context("server failed")?;
        Ok::<(), anyhow::Error>(())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// `termbridge backup DIR`: directly when the data directory is free, through the running
/// service when it holds it.
fn backup_command(data_dir: &Path, dest: &Path, server: Option<&str>, token: Option<&str>, json: bool) -> Result<ExitCode> {
    let manifest = match server {
        Some(server) => backup_through_service(server, token, dest)?,
        None => {
            if !data_dir.is_dir() {
                return Err(user_error(format!("data directory {} does not exist", data_dir.display())));
            }
            match termbridge::store::Store::open(data_dir) {
                Ok(store) => termbridge::ops::backup_store(&store, dest)?,
                Err(StoreError::Locked { holder, .. }) => {
                    let recorded = std::fs::read_to_string(data_dir.join(SERVICE_FILE)).unwrap_or_default();
                    let url = recorded.trim();
                    if url.is_empty() {
                        return Err(user_error(format!(
                            "data directory {} is in use ({holder}) and records no service address; pass --server http://HOST:PORT and an admin token",
                            data_dir.display()
                        )));
                    }
                    tracing::info!(%url, "the data directory is in use by a running service; backing up through it");
                    backup_through_service(url, token, dest)?
                }
                Err(err) => return Err(anyhow::Error::new(err).context(format!("cannot open data directory {}", data_dir.display()))),
            }
        }
    };
    if json {
        print_json(&json!({"backup": dest.display().to_string(), "manifest": manifest}))
    } else {
        println!(
            "backup {}: {} units, {} concepts, {} tokens, {} audit records; {} bytes, blake3 {}",
            dest.display(),
            manifest.units,
            manifest.concepts,
            manifest.tokens,
            manifest.audits,
            manifest.dump.bytes,
            manifest.dump.blake3
        );
        Ok(ExitCode::SUCCESS)
    }
}

fn backup_through_service(server: &str, token: Option<&str>, dest: &Path) -> Result<termbridge::ops::Manifest> {
    let base = service_base_url(server).map_err(user_error)?;
    let Some(token) = token else {
        return Err(user_error(format!(
            "backing up through the service at {base} needs an admin token: pass --token or set TERMBRIDGE_TOKEN (create one with `termbridge token create --role admin` while the service is stopped, or POST /api/v1/tokens)"
        )));
    };
    if dest.exists() {
        return Err(user_error(format!("{} already exists; back up into a new directory", dest.display())));
    }
    // Plain HTTP straight to the service: no proxy, no redirects; the dump is streamed, and
    // the timeout bounds each read, not the whole transfer.
    let client = reqwest::blocking::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(600))
        .build()
        .context("cannot set up the HTTP client")?;
    let mut response = client
        .post(format!("{base}/api/v1/admin/backup"))
        .bearer_auth(token)
        .send()
        .map_err(|err| user_error(format!("cannot reach the service at {base}: {err}")))?;
    let status = response.status();
    if status != reqwest::StatusCode::OK {
        let text = response.text().unwrap_or_default();
        let message = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|value| value["error"]["message"].as_str().map(str::to_string))
            .unwrap_or_else(|| text.trim().to_string());
        return Err(user_error(format!("{base} answered {}: {message}", status.as_u16())));
    }
    Ok(termbridge::ops::backup_from_dump(&mut response, dest)?)
}

/// The base address of a running service, `http://HOST[:PORT]` without a final slash.
fn service_base_url(raw: &str) -> std::result::Result<String, String> {
    let url = reqwest::Url::parse(raw.trim()).map_err(|err| format!("{raw:?}: not a service address ({err})"))?;
    if url.scheme() != "http" {
        return Err(format!("{raw:?}: only http:// service addresses are supported"));
    }
    if url.host_str().is_none() || url.path() != "/" || url.query().is_some() || !url.username().is_empty() {
        return Err(format!("{raw:?}: give the service's base address, e.g. http://127.0.0.1:8080"));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

#[cfg(test)]
mod service_url_tests {
    #[test]
    fn service_urls() {
        assert_eq!(super::service_base_url("http://127.0.0.1:8080/").as_deref(), Ok("http://127.0.0.1:8080"));
        assert_eq!(super::service_base_url("http://localhost").as_deref(), Ok("http://localhost"));
        assert_eq!(super::service_base_url("http://[::1]:9000").as_deref(), Ok("http://[::1]:9000"));
        for bad in ["https://example.org", "http://host:port", "http://host/path", "127.0.0.1:8080"] {
            assert!(super::service_base_url(bad).is_err(), "{bad}");
        }
    }
}

fn restore_command(data_dir: &Path, backup: &Path, force: bool, json: bool) -> Result<ExitCode> {
    let bar = progress_bar("rebuilding search index");
    let outcome = termbridge::ops::restore(backup, data_dir, force, &mut |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    })?;
    bar.finish_and_clear();
    if json {
        print_json(&json!({"data_dir": data_dir.display().to_string(), "restored": outcome}))
    } else {
        println!(
            "restored {} into {}: {} units, {} concepts, {} indexed variants{}",
            backup.display(),
            data_dir.display(),
            outcome.units,
            outcome.concepts,
            outcome.indexed_variants,
            if outcome.replaced { " (the previous content was replaced)" } else { "" }
        );
        Ok(ExitCode::SUCCESS)
    }
}

fn check_command(data_dir: &Path, json: bool) -> Result<ExitCode> {
    let report = termbridge::ops::check(data_dir)?;
    let code = if report.ok { ExitCode::SUCCESS } else { ExitCode::from(1) };
    if json {
        print_json(&serde_json::to_value(&report)?)?;
        return Ok(code);
    }
    println!("data directory: {}", data_dir.display());
    if let Some(reason) = &report.open_error {
        println!("the store cannot be opened: {reason}");
    }
    if let Some(store) = &report.store {
        println!(
            "store: schema {}, generation {}, {} units in {} blocks, {} concepts, {} tokens, {} audit records",
            store.schema_version, store.generation, store.unit_records, store.blocks, store.concepts, store.tokens, store.audits
        );
        for problem in &store.problems {
            println!("  problem (store, {}): {}", problem.kind, problem.detail);
        }
    }
    if let Some(index) = &report.index {
        match index.generation {
            Some(generation) => println!("index: {} documents at store generation {generation}", index.documents),
            None => println!("index: not usable"),
        }
        for problem in &index.problems {
            println!("  problem (index): {problem}");
        }
    }
    println!("{}", if report.ok { "ok: no problems found" } else { "NOT OK: see the problems above" });
    Ok(code)
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

/// Transliterates `text` toward `to`; `Auto` goes to Latin when Serbian Cyrillic letters are
/// at least as many as other letters. Returns the output and whether it is Latin.
fn transliterate(text: &str, to: TranslitTarget) -> (std::borrow::Cow<'_, str>, bool) {
    let to_latin = match to {
        TranslitTarget::Latn => true,
        TranslitTarget::Cyrl => false,
        TranslitTarget::Auto => {
            let cyrillic_letters = text.chars().filter(|c| text::translit::is_serbian_cyrillic_letter(*c)).count();
            let other_letters = text.chars().filter(|c| c.is_alphabetic()).count() - cyrillic_letters;
            cyrillic_letters >= other_letters
        }
    };
    (if to_latin { text::cyr_to_lat(text) } else { text::lat_to_cyr(text) }, to_latin)
}

/// Writes the script report of `text`: one JSON object, or a summary line and a line per
/// offending letter ("line N: " in front in batch mode).
fn write_script_report(out: &mut impl Write, text: &str, json: bool, line: Option<usize>) -> Result<()> {
    let report = text::script::analyze(text);
    if json {
        let mut value = serde_json::to_value(&report)?;
        value["text"] = json!(text);
        if let Some(line) = line {
            value["line"] = json!(line);
        }
        writeln!(out, "{value}")?;
        return Ok(());
    }
    let prefix = line.map(|line| format!("line {line}: ")).unwrap_or_default();
    let n_offenders = report.offenders().count();
    writeln!(
        out,
        "{prefix}{} ({} Cyrillic words, {} Latin words); {}",
        report.script.as_str(),
        report.cyrillic_words,
        report.latin_words,
        if n_offenders == 0 { "no problems".to_string() } else { format!("{n_offenders} problem(s)") }
    )?;
    for (word, offender) in report.offenders() {
        let fix = offender.looks_like.map(|c| format!("; write '{c}' (U+{:04X})", c as u32)).unwrap_or_default();
        writeln!(
            out,
            "{prefix}{}: byte {}, char {}: '{}' (U+{:04X}) is a {}{fix}",
            word.word,
            offender.offset,
            offender.char_index,
            offender.found,
            offender.found as u32,
            offender.kind.describe()
        )?;
    }
    Ok(())
}

fn text_command(command: TextCommand, json: bool) -> Result<ExitCode> {
    match command {
        TextCommand::Translit { text, to, stdin } => {
            let Some(text) = text.filter(|_| !stdin) else {
                let mut out = std::io::BufWriter::new(std::io::stdout().lock());
                for (line_idx, line) in std::io::stdin().lines().enumerate() {
                    let line = line.map_err(|err| user_error(format!("standard input, line {}: {err}", line_idx + 1)))?;
                    let (output, to_latin) = transliterate(&line, to);
                    if json {
                        writeln!(out, "{}", json!({"input": line, "output": output, "script": if to_latin { "Latn" } else { "Cyrl" }}))?;
                    } else {
                        writeln!(out, "{output}")?;
                    }
                }
                out.flush()?;
                return Ok(ExitCode::SUCCESS);
            };
            let (output, to_latin) = transliterate(&text, to);
            if json {
                print_json(&json!({"input": text, "output": output, "script": if to_latin { "Latn" } else { "Cyrl" }}))
            } else {
                println!("{output}");
                Ok(ExitCode::SUCCESS)
            }
        }
        TextCommand::Script { text, stdin } => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let Some(text) = text.filter(|_| !stdin) else {
                for (line_idx, line) in std::io::stdin().lines().enumerate() {
                    let line = line.map_err(|err| user_error(format!("standard input, line {}: {err}", line_idx + 1)))?;
                    write_script_report(&mut out, &line, json, Some(line_idx + 1))?;
                }
                out.flush()?;
                return Ok(ExitCode::SUCCESS);
            };
            write_script_report(&mut out, &text, json, None)?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        TextCommand::Lang { text, among, stdin } => {
            let candidates = among.iter().map(|code| parse_tag(code, "--among").map(|tag| tag.lang)).collect::<Result<Vec<Lang>>>()?;
            let sentences: Vec<String> = match text {
                Some(text) if !stdin => vec![text],
                _ => std::io::BufRead::lines(std::io::stdin().lock())
                    .collect::<std::io::Result<Vec<String>>>()
                    .context("cannot read standard input")?
                    .into_iter()
                    .filter(|line| !line.trim().is_empty())
                    .collect(),
            };
            let mut stdout = std::io::stdout().lock();
            for sentence in &sentences {
                let guess = text::langid::identify_among(sentence, &candidates);
                let tag = guess.map(|guess| LangTag { lang: guess.lang, script: guess.script }.to_string());
                if json {
                    let record = json!({
                        "text": sentence,
                        "lang": guess.map(|g| g.lang.code()),
                        "tag": tag,
                        "confidence": guess.map(|g| g.confidence),
                    });
                    writeln!(stdout, "{record}")?;
                } else if stdin {
                    let confidence = guess.map(|g| format!("{:.2}", g.confidence)).unwrap_or_default();
                    writeln!(stdout, "{}\t{confidence}\t{sentence}", tag.as_deref().unwrap_or("unknown"))?;
                } else {
                    match (guess, tag) {
                        (Some(guess), Some(tag)) => writeln!(stdout, "{tag} ({}, confidence {:.2})", guess.lang.english_name(), guess.confidence)?,
                        _ => writeln!(stdout, "unknown")?,
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
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
        TextCommand::Stem { lang, words, stdin } => {
            let tag = parse_tag(&lang, "--lang")?;
            if !matches!(tag.lang, Lang::Sq | Lang::Sr | Lang::Bs) {
                return Err(user_error(format!("--lang: stemming is available for sq, sr and bs, not {}", tag.lang)));
            }
            let words: Vec<String> = if stdin {
                let input = std::io::read_to_string(std::io::stdin()).context("cannot read standard input")?;
                input.split_whitespace().map(str::to_string).collect()
            } else {
                words
            };
            let mut stdout = std::io::stdout().lock();
            let mut stems = Vec::with_capacity(words.len());
            for word in &words {
                let stem = text::stem::stem_word(word, tag.lang);
                if json && stdin {
                    writeln!(stdout, "{}", json!({"word": word, "stem": stem}))?;
                } else if !json {
                    writeln!(stdout, "{word}\t{stem}")?;
                }
                stems.push(json!({"word": word, "stem": stem}));
            }
            if json && !stdin {
                writeln!(stdout, "{}", json!({"lang": tag.lang.code(), "stems": stems}))?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

#[derive(Debug, Subcommand)]
enum TermsCommand {
    /// Find the concepts a word or phrase names, in any language and script, with all their
    /// equivalents (exact, then folded, inflected, misspelt, then as a prefix)
    Lookup {
        /// The word or phrase
        text: String,
        /// Only match terms in this language (sq, sr, sr-Latn, sr-Cyrl, en, tr, bs)
        #[arg(long)]
        lang: Option<String>,
        /// At most this many concepts
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Find every term of a language in a UTF-8 text file, with line and column; deprecated
    /// and forbidden terms come with the term to use
    Scan {
        /// The text file
        file: PathBuf,
        /// Language of the text (sq, sr, sr-Latn, sr-Cyrl, en, tr, bs)
        #[arg(long)]
        lang: String,
    },
    /// Import term base files into the store, all or nothing (a concept replaces the stored
    /// concept with the same id)
    Import {
        /// TBX (2019 or 2008) or CSV (long or wide form) files
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// File format (auto: by extension, .tbx/.xml or .csv)
        #[arg(long, value_enum, default_value = "auto")]
        format: TermsFormat,
    },
    /// Export the whole term base
    Export {
        /// File format
        #[arg(long, value_enum)]
        format: TermsExportFormat,
        /// Output file (written whole or not at all)
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        /// TBX edition to write
        #[arg(long, value_enum, default_value = "2019")]
        tbx_version: TbxEdition,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum TermsFormat {
    Auto,
    Tbx,
    Csv,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum TermsExportFormat {
    Tbx,
    Csv,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum TbxEdition {
    /// ISO 30042:2019, TBX-Basic
    #[value(name = "2019")]
    V2019,
    /// TBX 2008 (martif)
    #[value(name = "2008")]
    V2008,
}

/// Opens the store for a terms command, loading the shipped term base into an empty one.
fn open_term_store(data_dir: &Path) -> Result<termbridge::store::Store> {
    let store = termbridge::store::Store::open(data_dir).with_context(|| format!("cannot open data directory {}", data_dir.display()))?;
    if let Some(summary) = termbridge::termbase::load_shipped(&store)? {
        tracing::info!(concepts = summary.added, "loaded the shipped Kosovo term base into an empty store");
    }
    Ok(store)
}

fn terms_command(data_dir: &Path, command: TermsCommand, json: bool) -> Result<ExitCode> {
    use termbridge::termbase::{self, FileFormat, LookupOptions};

    match command {
        TermsCommand::Lookup { text, lang, limit } => {
            let lang = lang.map(|raw| parse_tag(&raw, "--lang")).transpose()?;
            let store = open_term_store(data_dir)?;
            let index = termbase::index_from_store(&store)?;
            let hits = index.lookup(&text, &LookupOptions { lang: lang.map(|tag| tag.lang), limit });
            if json {
                return print_json(&json!({"query": text, "lang": lang.map(|tag| tag.to_string()), "hits": hits}));
            }
            if hits.is_empty() {
                println!("no term found for «{text}»");
            }
            for hit in &hits {
                let how = match (hit.prefix, hit.distance) {
                    (true, _) => format!("prefix, {}", hit.tier.as_str()),
                    (false, Some(distance)) => format!("{}, {distance} edit{}", hit.tier.as_str(), if distance == 1 { "" } else { "s" }),
                    (false, None) => hit.tier.as_str().to_string(),
                };
                let subject = hit.concept.subject.as_deref().map(|subject| format!(" [{subject}]")).unwrap_or_default();
                println!("{}{subject} — {how}, via {} «{}»", hit.concept.id, hit.term.lang, hit.term.text);
                for term in &hit.concept.terms {
                    let derived = if term.derived { ", derived" } else { "" };
                    let note = term.note.as_deref().map(|note| format!(" — {note}")).unwrap_or_default();
                    println!("  {:<8} {} ({}{derived}){note}", term.lang.to_string(), term.text, term.status);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        TermsCommand::Scan { file, lang } => {
            let tag = parse_tag(&lang, "--lang")?;
            let bytes = std::fs::read(&file).map_err(|err| user_error(format!("{}: {err}", file.display())))?;
            let content = String::from_utf8(bytes).map_err(|err| {
                let valid = err.utf8_error().valid_up_to();
                let line = 1 + err.as_bytes()[..valid].iter().filter(|&&b| b == b'\n').count();
                user_error(format!("{}:{line}: not UTF-8 (byte {valid})", file.display()))
            })?;
            let store = open_term_store(data_dir)?;
            let index = termbase::index_from_store(&store)?;
            let occurrences = index.recognize(&content, tag.lang);
            if json {
                return print_json(&json!({"file": file.display().to_string(), "lang": tag.to_string(), "occurrences": occurrences}));
            }
            for occurrence in &occurrences {
                let advice = occurrence.suggestion.as_deref().map(|better| format!("; use «{better}»")).unwrap_or_default();
                println!(
                    "{}:{}:{}: «{}» {} ({} «{}», {}, {}){advice}",
                    file.display(),
                    occurrence.line,
                    occurrence.column,
                    occurrence.text,
                    occurrence.concept_id,
                    occurrence.lang,
                    occurrence.term,
                    occurrence.status,
                    occurrence.tier.as_str()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        TermsCommand::Import { files, format } => {
            // Read every file before the first write, so that a bad file stores nothing.
            let mut read: Vec<(PathBuf, termbase::Imported)> = Vec::with_capacity(files.len());
            let mut origin: std::collections::HashMap<String, String> = std::collections::HashMap::new();
            for file in &files {
                let file_format = match format {
                    TermsFormat::Tbx => FileFormat::Tbx,
                    TermsFormat::Csv => FileFormat::Csv,
                    TermsFormat::Auto => FileFormat::from_path(file)
                        .ok_or_else(|| user_error(format!("{}: unknown term base format; pass --format tbx or --format csv", file.display())))?,
                };
                let imported = termbase::read_file(file, file_format)?;
                for concept in &imported.concepts {
                    if let Some(first) = origin.insert(concept.id.clone(), file.display().to_string()) {
                        return Err(termbase::TermbaseError::DuplicateConcept { id: concept.id.clone(), first, second: file.display().to_string() }.into());
                    }
                }
                read.push((file.clone(), imported));
            }
            let store = open_term_store(data_dir)?;
            let concepts: Vec<termbridge::model::Concept> = read.iter().flat_map(|(_, imported)| imported.concepts.iter().cloned()).collect();
            let summary = store.put_concepts(&concepts).context("term base import failed; nothing of it was stored")?;
            for (file, imported) in &read {
                for warning in &imported.warnings {
                    tracing::warn!("{}:{}: {}", file.display(), warning.line, warning.message);
                }
                let record = json!({"file": file.display().to_string(), "concepts": imported.concepts.len(), "warnings": imported.warnings.len()});
                if json {
                    print_json(&record)?;
                } else {
                    println!("{}: {} concepts read, {} warnings", file.display(), imported.concepts.len(), imported.warnings.len());
                }
            }
            if json {
                print_json(&json!({"added": summary.added, "replaced": summary.replaced, "unchanged": summary.unchanged}))
            } else {
                println!("{} concepts added, {} replaced, {} unchanged", summary.added, summary.replaced, summary.unchanged);
                Ok(ExitCode::SUCCESS)
            }
        }
        TermsCommand::Export { format, output, tbx_version } => {
            let store = open_term_store(data_dir)?;
            let concepts = store.concepts()?;
            let dir = output.parent().filter(|parent| !parent.as_os_str().is_empty()).unwrap_or(Path::new("."));
            let mut temporary = tempfile::NamedTempFile::new_in(dir).map_err(|err| user_error(format!("{}: cannot write here: {err}", output.display())))?;
            match format {
                TermsExportFormat::Csv => termbase::write_csv(&concepts, &mut temporary)?,
                TermsExportFormat::Tbx => {
                    let version = match tbx_version {
                        TbxEdition::V2019 => termbridge::termbase::tbx::TbxVersion::V2019,
                        TbxEdition::V2008 => termbridge::termbase::tbx::TbxVersion::V2008,
                    };
                    termbridge::termbase::tbx::write_tbx(&concepts, version, &mut temporary)?
                }
            }
            temporary.as_file().sync_all()?;
            temporary.persist(&output).map_err(|err| user_error(format!("{}: {}", output.display(), err.error)))?;
            let terms: usize = concepts.iter().map(|concept| concept.terms.len()).sum();
            if json {
                print_json(&json!({"file": output.display().to_string(), "concepts": concepts.len(), "terms": terms}))
            } else {
                println!("{}: {} concepts, {terms} terms", output.display(), concepts.len());
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

/// Runs a `places` subcommand: build the gazetteer, look a name up, check a text or a sign,
/// run the self-checks or the evaluation. Findings exit with 1, bad input with 2.
fn places_command(command: PlacesCommand, json: bool) -> Result<ExitCode> {
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
        let parts: Vec<String> =
            report.parts.iter().map(|part| format!("{}. {:?} {}", part.position, part.text, part.lang.as_deref().unwrap_or("?"))).collect();
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
                    (places::read_eval_set(&text, meta_text.as_deref(), &path.display().to_string())?, path.display().to_string())
                }
                None if sourced_as_queries => (places::sourced_variant_cases(shipped.gazetteer()), "sourced variants as queries".to_string()),
                None => (places::synthetic_municipality_cases(shipped.gazetteer())?, "synthetic municipality set".to_string()),
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
                    reports.push((None, shipped.check_sign(text, &options)?));
                }
                (None, Some(path)) => {
                    let content = std::fs::read_to_string(path).map_err(|err| user_error(format!("{}: {err}", path.display())))?;
                    for row in places::read_sign_csv(&content, &path.display().to_string())? {
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
            let compiled = places::compile_dir(&from, &curation_text)?;
            compiled.write(&out)?;
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
                let hits = workspace.tm_match(query, &options)?;
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
            let lines = workspace.concordance(&phrase, &termbridge::memory::ConcordanceOptions { lang, limit })?;
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
    let langs = termbridge::formats::tsv::TsvLanguages { src: parse_tag(src, "--src")?, tgt: parse_tag(tgt, "--tgt")? };
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
        let tm_query = termbridge::memory::TmQuery::new(query);
        let mut search_stats = termbridge::memory::matcher::SearchStats::default();
        let raw = workspace.fuzzy_search(&tm_query, &[langs.src.lang], top, 0.0, &mut search_stats)?;
        let search_micros = started.elapsed().as_micros() as u64;
        let hits = workspace.resolve_hits(&tm_query, raw, &options)?;
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
