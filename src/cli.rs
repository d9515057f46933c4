//! The command-line front end: the clap definitions of the commands and their dispatch; each
//! command group lives in its own file below `cli/` and renders human or `--json` output. Errors are classified at this edge (`cli/error.rs`): exit 2 for what the user
//! must fix, 3 for internal failures, 1 for findings.

mod align;
mod audit;
mod bench;
mod common;
mod export;
mod import;
mod monitor;
mod ops;
mod places;
mod serve;
mod terms;
mod text;
mod tm;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

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
        log_format: serve::LogFormat,
        /// Serve as a read replica of the newest backup in this folder (the primary's
        /// `backup` directories); the data directory then holds the restored copies
        #[arg(long, value_name = "BACKUPS")]
        replica_of: Option<PathBuf>,
        /// How often a replica looks for a newer backup, in seconds
        #[arg(long, default_value_t = 900, requires = "replica_of")]
        refresh_every_secs: u64,
        #[command(flatten)]
        monitor: serve::MonitorArgs,
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
    /// Import translation memories into the store (streamed in batches, published when every
    /// file was read whole: all or nothing)
    Import {
        /// Files to import (for --format text: one line-aligned file per language of --langs)
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// File format (auto: from the content and the extension)
        #[arg(long, value_enum, default_value = "auto")]
        format: import::ImportFormat,
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
        format: export::ExportFormat,
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
        command: ops::TokenCommand,
    },
    /// Run the text pipeline on a string: transliterate, detect script or language, fold, stem
    Text {
        #[command(subcommand)]
        command: text::TextCommand,
    },
    /// Audit the language versions of one document for language-rights compliance
    ///
    /// Each version may be plain text, Markdown, HTML or DOCX, or a bilingual PO, XLIFF or
    /// TMX file (its side in the flag's language is that version; its other sides join the
    /// audit unless another flag gives them). Exit code 1 when a finding of severity error
    /// is reported.
    Audit(audit::AuditArgs),
    /// Audit every document of a folder tree, pairing versions by file names
    ///
    /// Versions are paired by these conventions (language code sq, sr, sr-Latn, sr-Cyrl, en,
    /// tr or bs): a language extension (name.sq.html / name.sr.html), a suffix (name-sq.docx /
    /// name-sr.docx, name_sq.md / name_sr.md) or a language folder anywhere in the path
    /// (sq/news/name.html / sr/news/name.html). A document found in one language only gets a
    /// missing-version finding. Readable: .txt, .md, .html, .htm, .docx.
    AuditDir(audit::AuditDirArgs),
    /// Term base: look up a term, find terms in a text, import and export TBX or CSV
    Terms {
        #[command(subcommand)]
        command: terms::TermsCommand,
    },
    /// Official place names: look up a name, check a text or a sign, rebuild the gazetteer
    Places {
        #[command(subcommand)]
        command: places::PlacesCommand,
    },
    /// Translation memory: fuzzy match, concordance, benchmark
    Tm {
        #[command(subcommand)]
        command: tm::TmCommand,
    },
    /// Monitor institutions' websites: crawl them, pair their language versions, audit every
    /// document with the required languages and keep each run with its score
    Monitor {
        #[command(subcommand)]
        command: monitor::MonitorCommand,
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
    let log_json = matches!(&cli.command, Command::Serve { log_format: serve::LogFormat::Json, .. });
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
        Command::Text { command } => text::text_command(command, json),
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
            replica_of,
            refresh_every_secs,
            monitor,
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
            let replica = replica_of.map(|backups| serve::ReplicaOf { backups, every: std::time::Duration::from_secs(refresh_every_secs.max(1)) });
            serve::serve(&cli.data_dir, addr, config, replica, monitor)
        }
        Command::Backup { dir, server, token } => ops::backup_command(&cli.data_dir, &dir, server.as_deref(), token.as_deref(), json),
        Command::Restore { dir, force } => ops::restore_command(&cli.data_dir, &dir, force, json),
        Command::Check => ops::check_command(&cli.data_dir, json),
        Command::Token { command } => ops::token_command(&cli.data_dir, command, json),
        Command::Import { files, format, src, tgt, langs, collection, max_file_mib } => {
            let request = import::ImportRequest { format, src, tgt, langs, collection, max_file_mib };
            import::import(&cli.data_dir, &files, &request, json)
        }
        Command::Export { format, collection, output } => export::export(&cli.data_dir, format, collection.as_deref(), &output, json),
        Command::Align { files, langs, collection, output } => align::align(&files, &langs, &collection, &output, json),
        Command::Reindex => ops::reindex(&cli.data_dir, json),
        Command::Stats => ops::stats(&cli.data_dir, json),
        Command::Audit(args) => audit::audit_command(&cli.data_dir, args, json),
        Command::AuditDir(args) => audit::audit_dir_command(&cli.data_dir, args, json),
        Command::Terms { command } => terms::terms_command(&cli.data_dir, command, json),
        Command::Places { command } => places::places_command(command, json),
        Command::Tm { command } => tm::tm_command(&cli.data_dir, command, json),
        Command::Monitor { command } => monitor::monitor_command(&cli.data_dir, command, json),
    }
}
