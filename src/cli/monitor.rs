//! `termbridge monitor`: the institutions watched (`add`, one or a shipped preset; `list`,
//! `remove`), monitoring runs (`run`: crawl, or read a mirror or a WARC file, then pair and
//! audit; a progress bar), their reports (`report`: JSON, CSV or a standalone HTML page), the
//! evidence package of a run (`evidence`, written atomically) and its check against its
//! manifest (`verify`, which needs no data directory), through the monitoring use case
//! `usecase::monitor`.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Subcommand, ValueEnum};
use serde::Serialize;

use termbridge::monitor::evidence::{self, EvidenceError};
use termbridge::monitor::preset::PRESETS;
use termbridge::monitor::report::{self, MonitorReport};
use termbridge::store::{Removed, Store};
use termbridge::usecase::monitor::{
    self as monitor_usecase, Added, Listed, LiveOptions, NewInstitution, PresetAdded, RunOptions, RunOutcome, RunProgress, Source,
};

use super::common::{Output, emit, progress_bar, write_atomically, write_output, write_to};
use super::user_error;

#[derive(Debug, Subcommand)]
pub(super) enum MonitorCommand {
    /// Watch an institution's websites (replaces one with the same id, keeping its runs), or
    /// every institution of a shipped preset
    Add {
        /// A short id (lower-case letters, digits, '-', '_', '.', ':'), e.g. kline
        #[arg(required_unless_present = "preset")]
        id: Option<String>,
        /// Start addresses; only their hosts are crawled
        #[arg(required_unless_present = "preset")]
        urls: Vec<String>,
        /// Add every institution of a shipped preset that has a sourced address (ids as in
        /// glossaries/kosovo/institutions.csv, e.g. mun:kline); rows without one are listed.
        /// Running it again replaces the same institutions and keeps their runs
        #[arg(long, value_name = "NAME", value_parser = preset_names(), conflicts_with_all = ["id", "urls", "name", "municipality", "source"])]
        preset: Option<String>,
        /// The institution's name (default: the id)
        #[arg(long)]
        name: Option<String>,
        /// The municipality, in any language; it decides the required languages (Albanian
        /// and Serbian without it: a central institution)
        #[arg(long)]
        municipality: Option<String>,
        /// Where the address was found
        #[arg(long)]
        source: Option<String>,
    },
    /// List the institutions with their last score
    List,
    /// Stop watching an institution: its runs and snapshots are removed
    Remove {
        /// The institution's id
        id: String,
    },
    /// Crawl institutions (all without an id), pair their pages' language versions, audit
    /// them and keep the run
    Run(RunArgs),
    /// Write the evidence package of a run (the last by default): the report in JSON and HTML,
    /// the snapshots of the pages its findings rest on, and a manifest with their BLAKE3 hashes
    /// (written atomically; check it with monitor verify)
    Evidence {
        /// The institution's id
        id: String,
        /// The run's id (see monitor list)
        #[arg(long)]
        run: Option<u64>,
        /// Only this check's findings (e.g. missing-version) and the pages they rest on
        #[arg(long)]
        check: Option<String>,
        /// The zip file to write; - for standard output (refused on a terminal without it)
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Check an evidence package against its manifest: every file present with its BLAKE3
    /// hash and size, no file added (exit 1 when it does not verify)
    Verify {
        /// The evidence zip
        package: PathBuf,
    },
    /// The report of an institution's run (the last by default), compared with the run before
    Report {
        /// The institution's id
        id: String,
        /// The run's id (see monitor list)
        #[arg(long)]
        run: Option<u64>,
        /// Report format (a summary in words without it; --json gives the JSON report)
        #[arg(long, value_enum)]
        format: Option<ReportFormat>,
        /// Write the report to this file instead of standard output
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, clap::Args)]
pub(super) struct RunArgs {
    /// Institutions to run (default: every one)
    ids: Vec<String>,
    /// Most pages fetched an institution [crawler default: 500]
    #[arg(long)]
    max_pages: Option<usize>,
    /// Most links followed from a start address [crawler default: 5]
    #[arg(long)]
    max_depth: Option<u32>,
    /// Delay between two requests to one host, in milliseconds [crawler default: 1000]
    #[arg(long)]
    delay_ms: Option<u64>,
    /// Read a wget or HTTrack mirror directory (DIR/host/path) instead of crawling
    #[arg(long, conflicts_with = "warc")]
    from_dir: Option<PathBuf>,
    /// Read a WARC file instead of crawling
    #[arg(long)]
    warc: Option<PathBuf>,
    /// A contact URL named in the user agent
    #[arg(long)]
    contact: Option<String>,
    /// Also trust the CA certificates in this PEM file for https (an institution behind an
    /// internal CA); repeatable. The system's store (/etc/ssl/certs) is always trusted
    #[arg(long = "ca-cert", value_name = "FILE")]
    ca_cert: Vec<PathBuf>,
    /// Runs kept an institution from now on (default 30); older runs and the snapshots only
    /// they hold are removed
    #[arg(long)]
    keep_runs: Option<usize>,
    /// Audit policy (TOML or JSON): checks on/off, severities, script policy, terms
    #[arg(long)]
    config: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum ReportFormat {
    Json,
    Csv,
    Html,
}

fn open_store(data_dir: &Path) -> Result<Store> {
    Store::open(data_dir).with_context(|| format!("cannot open data directory {}", data_dir.display()))
}

/// The presets `--preset` takes, each with what it selects.
fn preset_names() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(PRESETS.iter().map(|(name, selects)| clap::builder::PossibleValue::new(*name).help(*selects)))
}

pub(super) fn monitor_command(data_dir: &Path, command: MonitorCommand, json: bool) -> Result<ExitCode> {
    // A package is checked on its own: whoever receives one needs no data directory.
    if let MonitorCommand::Verify { package } = &command {
        return verify(package, json);
    }
    let store = open_store(data_dir)?;
    match command {
        MonitorCommand::Add { preset: Some(preset), .. } => emit(&PresetOutput(monitor_usecase::add_preset(&store, &preset)?), json)?,
        MonitorCommand::Add { id, urls, name, municipality, source, preset: None } => {
            let id = id.ok_or_else(|| user_error("monitor add needs an ID and URLs, or --preset NAME"))?;
            let added = monitor_usecase::add_institution(&store, &NewInstitution { id, urls, name, municipality, source })?;
            emit(&AddOutput(added), json)?;
        }
        MonitorCommand::Evidence { id, run, check, output } => evidence(&store, &id, run, check.as_deref(), output.as_deref(), json)?,
        MonitorCommand::Verify { package } => return verify(&package, json),
        MonitorCommand::List => emit(&ListOutput { institutions: monitor_usecase::list_institutions(&store)? }, json)?,
        MonitorCommand::Remove { id } => {
            let removed = monitor_usecase::remove_institution(&store, &id)?;
            emit(&RemoveOutput { removed: id, runs: removed.runs, snapshots: removed.snapshots, bodies: removed.bodies }, json)?;
        }
        MonitorCommand::Run(args) => run(&store, args, json)?,
        MonitorCommand::Report { id, run, format, output } => {
            let Some(report) = monitor_usecase::report(&store, &id, run)? else {
                return Err(user_error(match run {
                    Some(run) => format!("institution {id} has no run {run}; see termbridge monitor list"),
                    None => format!("institution {id} has no run yet; run termbridge monitor run {id}"),
                }));
            };
            let rendered = match (format, json) {
                (Some(ReportFormat::Json), _) | (None, true) => report::render_json(&report),
                (Some(ReportFormat::Csv), _) => report::render_csv(&report),
                (Some(ReportFormat::Html), _) => report::render_html(&report),
                (None, false) => {
                    let mut text = Vec::new();
                    ReportSummary(&report).human(&mut text)?;
                    String::from_utf8_lossy(&text).into_owned()
                }
            };
            write_output(output.as_deref(), &rendered)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn run(store: &Store, args: RunArgs, json: bool) -> Result<()> {
    let ids = if args.ids.is_empty() { store.institutions()?.into_iter().map(|institution| institution.id).collect() } else { args.ids.clone() };
    if ids.is_empty() {
        return Err(user_error("no institution to run; add one with termbridge monitor add ID URL"));
    }
    // Every id is checked before the first crawl starts.
    for id in &ids {
        monitor_usecase::institution(store, id)?;
    }
    let mut options = RunOptions { keep_runs: args.keep_runs, ..RunOptions::default() };
    if let Some(path) = &args.config {
        options.audit = termbridge::audit::AuditConfig::load(path).map_err(|err| user_error(format!("--config: {err}")))?;
    }
    let source = match (&args.from_dir, &args.warc) {
        (Some(dir), _) => Source::Dir(dir.clone()),
        (None, Some(warc)) => Source::Warc(warc.clone()),
        (None, None) => {
            // The operator chooses what to crawl from the command line, a host on their own network
            // included; the service's guard is for addresses others submit.
            Source::Live(LiveOptions {
                max_pages: args.max_pages,
                max_depth: args.max_depth,
                delay_ms: args.delay_ms,
                contact: args.contact.clone(),
                allow_private: true,
                extra_ca: args.ca_cert.clone(),
            })
        }
    };
    let steps = monitor_usecase::steps(source);
    let mut runs = Vec::new();
    for id in &ids {
        let bar = progress_bar(&format!("{id}: crawling"));
        let outcome = monitor_usecase::run(store, id, &options, steps.as_ref(), &mut |progress| match progress {
            RunProgress::Crawling { pages } => bar.set_position(pages as u64),
            RunProgress::Auditing { done, total } => {
                if bar.length() != Some(total as u64) {
                    bar.set_message(format!("{id}: auditing"));
                    bar.set_length(total as u64);
                }
                bar.set_position(done as u64);
            }
        });
        bar.finish_and_clear();
        runs.push(outcome.with_context(|| format!("the run of {id} failed"))?);
    }
    emit(&RunOutput { runs }, json)
}

/// `monitor evidence`: the package written atomically to a file, or to standard output when
/// it is not a terminal (or `-o -` insists); the summary goes to standard error then.
fn evidence(store: &Store, id: &str, run: Option<u64>, check: Option<&str>, output: Option<&Path>, json: bool) -> Result<()> {
    let to_stdout = match output {
        Some(path) if path == Path::new("-") => true,
        Some(_) => false,
        None if std::io::stdout().is_terminal() => {
            return Err(user_error("an evidence package is a zip file; pass -o FILE (or -o - to write it to the terminal anyway)"));
        }
        None => true,
    };
    let (written, bytes, blake3) = match output.filter(|_| !to_stdout) {
        Some(path) => {
            let mut written = None;
            write_atomically(path, |out| {
                written = Some(monitor_usecase::evidence(store, id, run, check, out)?);
                Ok(())
            })?;
            let written = written.context("the package was not written")?;
            let (bytes, blake3) = hash_file(path)?;
            (written, bytes, blake3)
        }
        None => {
            let mut out = std::io::Cursor::new(Vec::new());
            let written = monitor_usecase::evidence(store, id, run, check, &mut out)?;
            let zip = out.into_inner();
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(&zip).and_then(|()| stdout.flush()).context("cannot write the package to standard output")?;
            (written, zip.len() as u64, blake3::hash(&zip).to_hex().to_string())
        }
    };
    let summary = EvidenceOutput {
        institution: id.to_string(),
        run: written.run,
        check: check.map(str::to_string),
        output: output.filter(|_| !to_stdout).map(|path| path.display().to_string()),
        files: written.manifest.files.len() + 1,
        snapshots: written.manifest.snapshots.len(),
        bytes,
        blake3,
    };
    if to_stdout { write_to(&mut std::io::stderr().lock(), &summary, json) } else { emit(&summary, json) }
}

/// The size and BLAKE3 hash of a file, read back from the disk.
fn hash_file(path: &Path) -> Result<(u64, String)> {
    let file = std::fs::File::open(path).with_context(|| format!("cannot read {} back", path.display()))?;
    let mut hasher = blake3::Hasher::new();
    let bytes = std::io::copy(&mut std::io::BufReader::new(file), &mut hasher).with_context(|| format!("cannot read {} back", path.display()))?;
    Ok((bytes, hasher.finalize().to_hex().to_string()))
}

/// `monitor verify`: exit 0 when the package verifies, 1 when a file differs from the
/// manifest, 2 when it is not an evidence package at all.
fn verify(package: &Path, json: bool) -> Result<ExitCode> {
    let file = std::fs::File::open(package).map_err(|err| user_error(format!("{}: cannot open: {err}", package.display())))?;
    let outcome = match evidence::verify(std::io::BufReader::new(file)) {
        Ok(manifest) => VerifyOutput { package: package.display().to_string(), verified: true, problem: None, manifest: Some(manifest) },
        Err(EvidenceError::Mismatch(problem)) => {
            VerifyOutput { package: package.display().to_string(), verified: false, problem: Some(problem), manifest: None }
        }
        Err(err) => return Err(anyhow::Error::new(err).context(package.display().to_string())),
    };
    emit(&outcome, json)?;
    Ok(if outcome.verified { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// What `monitor evidence` wrote.
#[derive(Debug, Serialize)]
struct EvidenceOutput {
    institution: String,
    run: u64,
    check: Option<String>,
    /// The file written; none for standard output.
    output: Option<String>,
    /// Files in the zip, the manifest included.
    files: usize,
    snapshots: usize,
    /// The zip's size and BLAKE3 hash (hex), as `b3sum` prints it.
    bytes: u64,
    blake3: String,
}

impl Output for EvidenceOutput {
    fn human(&self, out: &mut dyn Write) -> std::io::Result<()> {
        writeln!(
            out,
            "{}: {} run {}{}, {} files ({} snapshots), {} bytes, BLAKE3 {}",
            self.output.as_deref().unwrap_or("standard output"),
            self.institution,
            self.run,
            self.check.as_deref().map(|check| format!(" ({check} only)")).unwrap_or_default(),
            self.files,
            self.snapshots,
            self.bytes,
            self.blake3
        )
    }
}

/// What `monitor verify` found.
#[derive(Debug, Serialize)]
struct VerifyOutput {
    package: String,
    verified: bool,
    /// What differs from the manifest, when something does.
    problem: Option<String>,
    manifest: Option<evidence::Manifest>,
}

impl Output for VerifyOutput {
    fn human(&self, out: &mut dyn Write) -> std::io::Result<()> {
        match (&self.manifest, &self.problem) {
            (Some(manifest), _) => writeln!(
                out,
                "{}: verifies: {} run {}, {} files and {} snapshots as listed, made {} by termbridge {}",
                self.package,
                manifest.institution.id,
                manifest.run.id,
                manifest.files.len(),
                manifest.snapshots.len(),
                manifest.created,
                manifest.termbridge_version
            ),
            (None, problem) => writeln!(out, "{}: does not verify: {}", self.package, problem.as_deref().unwrap_or("")),
        }
    }
}

/// What `monitor add --preset` added and skipped.
#[derive(Debug, Serialize)]
#[serde(transparent)]
struct PresetOutput(PresetAdded);

impl Output for PresetOutput {
    fn human(&self, out: &mut dyn Write) -> std::io::Result<()> {
        for added in &self.0.added {
            AddOutput(added.clone()).human(out)?;
        }
        let replaced = self.0.added.iter().filter(|added| added.replaced).count();
        writeln!(out, "preset {}: {} institutions added ({replaced} of them replaced, their runs kept)", self.0.preset, self.0.added.len())?;
        if !self.0.skipped.is_empty() {
            let ids: Vec<&str> = self.0.skipped.iter().map(|skipped| skipped.id.as_str()).collect();
            writeln!(out, "{} skipped, no sourced address: {}", ids.len(), ids.join(", "))?;
        }
        Ok(())
    }
}

/// What `monitor add` added.
#[derive(Debug, Serialize)]
#[serde(transparent)]
struct AddOutput(Added);

impl Output for AddOutput {
    fn human(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let institution = &self.0.institution;
        let required: Vec<&str> = self.0.required.iter().map(|lang| lang.code()).collect();
        writeln!(
            out,
            "{} {} ({}): {} start address{}; required languages {}",
            if self.0.replaced { "replaced" } else { "added" },
            institution.id,
            institution.municipality.as_deref().unwrap_or("central institution"),
            institution.urls.len(),
            if institution.urls.len() == 1 { "" } else { "es" },
            required.join(", ")
        )
    }
}

/// The institutions `monitor list` shows.
#[derive(Debug, Serialize)]
struct ListOutput {
    institutions: Vec<Listed>,
}

impl Output for ListOutput {
    fn human(&self, out: &mut dyn Write) -> std::io::Result<()> {
        if self.institutions.is_empty() {
            return writeln!(out, "no institution is watched; add one with termbridge monitor add ID URL");
        }
        for listed in &self.institutions {
            let institution = &listed.institution;
            let last = match (listed.last_run, listed.last_score) {
                (Some(run), Some(score)) => format!("run {run}, score {score}"),
                _ => "never run".to_string(),
            };
            writeln!(
                out,
                "{}\t{}\t{}\t{} runs\t{}\t{}",
                institution.id,
                institution.name,
                institution.municipality.as_deref().unwrap_or("-"),
                listed.runs,
                last,
                institution.urls.join(" ")
            )?;
        }
        Ok(())
    }
}

/// What `monitor remove` removed.
#[derive(Debug, Serialize)]
struct RemoveOutput {
    removed: String,
    runs: usize,
    snapshots: usize,
    bodies: usize,
}

impl Output for RemoveOutput {
    fn human(&self, out: &mut dyn Write) -> std::io::Result<()> {
        writeln!(out, "removed {} with {} runs and {} snapshots", self.removed, self.runs, self.snapshots)
    }
}

/// What `monitor run` did.
#[derive(Debug, Serialize)]
struct RunOutput {
    runs: Vec<RunOutcome>,
}

impl Output for RunOutput {
    fn human(&self, out: &mut dyn Write) -> std::io::Result<()> {
        for run in &self.runs {
            writeln!(
                out,
                "{}: run {}, score {}; {} pages fetched ({} unchanged), {} refused, {} failed, {} unreadable; {} documents, {} missing a version, {} findings",
                run.institution,
                run.run,
                run.score,
                run.pages_fetched,
                run.pages_not_modified,
                run.pages_refused,
                run.pages_failed,
                run.pages_unreadable,
                run.documents,
                run.documents_missing_versions,
                run.findings
            )?;
            let Removed { runs, .. } = run.removed;
            if runs > 0 {
                writeln!(out, "  {runs} older runs removed (retention)")?;
            }
        }
        Ok(())
    }
}

/// `monitor report` in words.
struct ReportSummary<'r>(&'r MonitorReport);

impl ReportSummary<'_> {
    fn human(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let report = self.0;
        writeln!(out, "{} ({}), run {}: score {}/100", report.name, report.institution, report.run.id, report.score)?;
        writeln!(out, "  score = {}", report::SCORE_FORMULA)?;
        let missing = report.documents.iter().filter(|doc| !doc.missing.is_empty()).count();
        writeln!(out, "  {} documents, {missing} missing a required version ({})", report.documents.len(), report.required.join(", "))?;
        writeln!(
            out,
            "  Serbian: {} pages, {} Cyrillic, {} Latin only ({:.1} %)",
            report.serbian.pages,
            report.serbian.cyrillic,
            report.serbian.latin_only,
            report.serbian.latin_only_share * 100.0
        )?;
        if let (Some(median), Some(max)) = (report.translation_lag.median_days, report.translation_lag.max_days) {
            writeln!(out, "  translation lag: median {median} days, longest {max} days")?;
        }
        for (check, count) in &report.findings_by_check {
            writeln!(out, "  {count:>5}  {check}")?;
        }
        if let Some(since) = &report.since_previous {
            writeln!(out, "  since run {}: {} fixed, {} new, {} unchanged", since.previous_run, since.fixed.len(), since.new.len(), since.unchanged)?;
        }
        for doc in report.documents.iter().filter(|doc| !doc.missing.is_empty()) {
            let url = doc.urls.values().next().map(String::as_str).unwrap_or("");
            writeln!(out, "  missing {}: {url}", doc.missing.join(", "))?;
        }
        Ok(())
    }
}
