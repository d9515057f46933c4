//! `termbridge audit` and `termbridge audit-dir`: the language-rights audit of one document's
//! versions (with its history, through the audit use case `usecase::audit` that
//! `POST /api/v1/audit` runs too) and of a folder tree.
//!
//! In a terminal, `audit` prints linter-style lines (`file:line:col: severity check: message`)
//! and a summary table; `--json`, `--format` and `--output` give the machine formats (JSON by
//! default when the output is not a terminal, so pipes and scripts get what they always got).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::ValueEnum;
use serde::Serialize;

use termbridge::audit::Report;
use termbridge::audit::history::Comparison;
use termbridge::audit::report::UiLang;
use termbridge::model::lang::{Lang, LangTag};
use termbridge::problem::Classify;
use termbridge::usecase::audit::{self as audit_usecase, History};

use super::common::{Output, emit, open_workspace, progress_bar, write_output};
use super::user_error;

/// What `audit` and `audit-dir` share: the report's format and language, and the policy.
#[derive(Debug, clap::Args)]
pub(super) struct ReportArgs {
    /// Report format (`audit`: lines and a summary in a terminal, else json; `audit-dir`: json)
    #[arg(long, value_enum)]
    format: Option<AuditFormat>,
    /// Language of the HTML report: sq, sr-Cyrl, sr-Latn or en
    #[arg(long, default_value = "en")]
    ui_lang: String,
    /// Audit policy (TOML or JSON): checks on/off, severities, script policy, terms
    #[arg(long)]
    config: Option<PathBuf>,
    /// The original's language (sq, sr, en, tr, bs): with two versions, differences are placed
    /// on the translation (default: the configuration's `source`, else Albanian)
    #[arg(long, value_parser = parse_source)]
    source: Option<Lang>,
    /// Also compare each translation with the translation memory of the data directory
    /// (its exact matches of the original's segments; the configuration's `translation_memory`)
    #[arg(long)]
    tm: bool,
    /// Folder of the Hunspell dictionaries for spelling and missing-diacritics [default: the
    /// configuration's dict_dir, $TERMBRIDGE_DICT_DIR or /usr/share/hunspell]
    #[arg(long)]
    dict_dir: Option<PathBuf>,
}

fn parse_source(raw: &str) -> std::result::Result<Lang, String> {
    LangTag::parse(raw).map(|tag| tag.lang).map_err(|err| err.to_string())
}

impl ReportArgs {
    fn ui_lang(&self) -> Result<UiLang> {
        UiLang::parse(&self.ui_lang)
            .ok_or_else(|| user_error(format!("--ui-lang: unknown interface language {:?} (expected sq, sr-Cyrl, sr-Latn or en)", self.ui_lang)))
    }

    fn config(&self) -> Result<termbridge::audit::AuditConfig> {
        let mut config = match &self.config {
            None => termbridge::audit::AuditConfig::default(),
            Some(path) => termbridge::audit::AuditConfig::load(path).map_err(|err| match err {
                termbridge::audit::ConfigError::Io { ref source, .. } if source.kind() != std::io::ErrorKind::NotFound => anyhow::Error::new(err),
                _ => user_error(err.to_string()),
            })?,
        };
        if self.source.is_some() {
            config.source = self.source;
        }
        config.translation_memory |= self.tm;
        if self.dict_dir.is_some() {
            config.dict_dir.clone_from(&self.dict_dir);
        }
        Ok(config)
    }
}

#[derive(Debug, clap::Args)]
pub(super) struct AuditArgs {
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
    #[command(flatten)]
    report: ReportArgs,
    /// Write the report here instead of stdout
    #[arg(short = 'o', long = "output")]
    output: Option<PathBuf>,
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

#[derive(Debug, clap::Args)]
pub(super) struct AuditDirArgs {
    /// The folder
    dir: PathBuf,
    #[command(flatten)]
    report: ReportArgs,
    /// Folder for one report per document and summary.json (nothing written without it)
    #[arg(short = 'o', long = "output")]
    output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum AuditFormat {
    /// Linter-style lines (file:line:col: severity check: message) and a summary table
    Text,
    Json,
    Html,
    Csv,
    Sarif,
}

impl AuditFormat {
    /// The machine format, `None` for the lines.
    fn format(self) -> Option<termbridge::audit::report::Format> {
        use termbridge::audit::report::Format;
        match self {
            AuditFormat::Text => None,
            AuditFormat::Json => Some(Format::Json),
            AuditFormat::Html => Some(Format::Html),
            AuditFormat::Csv => Some(Format::Csv),
            AuditFormat::Sarif => Some(Format::Sarif),
        }
    }
}

/// The report as linter-style lines, one a finding (`file:line:col: severity check: message`,
/// then `→ suggestion`), and a table of findings by check with the totals.
pub(super) fn render_lines(report: &Report) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for finding in &report.findings {
        let file = report.documents.iter().find(|doc| doc.lang == finding.lang).map_or(finding.lang.as_str(), |doc| doc.path.as_str());
        let suggestion = finding.suggestion.as_deref().map(|suggestion| format!(" → {suggestion}")).unwrap_or_default();
        let _ = writeln!(out, "{file}:{}:{}: {} {}: {}{suggestion}", finding.line, finding.column, finding.severity.as_str(), finding.check, finding.message);
    }
    if !report.findings.is_empty() {
        out.push('\n');
    }
    let width = report.summary.by_check.keys().map(String::len).chain(["check".len()]).max().unwrap_or(0);
    if !report.summary.by_check.is_empty() {
        let _ = writeln!(out, "{:<width$}  {:>8}", "check", "findings");
        for (check, count) in &report.summary.by_check {
            let _ = writeln!(out, "{check:<width$}  {count:>8}");
        }
    }
    for check in report.evidence.checks.iter().filter(|check| check.note.is_some()) {
        let _ = writeln!(out, "note: {}: {}", check.id, check.note.as_deref().unwrap_or_default());
    }
    let versions: Vec<&str> = report.documents.iter().map(|doc| doc.lang.as_str()).collect();
    let _ = writeln!(
        out,
        "{} finding{} in {} ({}): {} error{}, {} warning{}; score {}",
        report.findings.len(),
        if report.findings.len() == 1 { "" } else { "s" },
        versions.join(", "),
        report.municipality.as_deref().unwrap_or("municipality unknown"),
        report.summary.errors,
        if report.summary.errors == 1 { "" } else { "s" },
        report.summary.warnings,
        if report.summary.warnings == 1 { "" } else { "s" },
        report.summary.score
    );
    out
}

/// The checks `audit --list-checks` lists, in report order.
#[derive(Debug, Serialize)]
struct ChecksOutput {
    checks: Vec<CheckInfo>,
}

/// One check: its id, severity, category, one-line summary and documentation, and why it is
/// off in part when a dictionary it needs is not installed.
#[derive(Debug, Serialize)]
struct CheckInfo {
    id: String,
    severity: &'static str,
    category: &'static str,
    summary: String,
    docs: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

impl Output for ChecksOutput {
    fn human(&self, out: &mut dyn Write) -> std::io::Result<()> {
        for check in &self.checks {
            writeln!(out, "{} ({}, {})\n  {}\n", check.id, check.severity, check.category, check.summary)?;
            if let Some(note) = &check.note {
                writeln!(out, "  note: {note}\n")?;
            }
            for paragraph in check.docs.split("\n\n") {
                writeln!(out, "  {paragraph}")?;
            }
            writeln!(out)?;
        }
        Ok(())
    }
}

pub(super) fn list_checks(json: bool, dict_dir: Option<&Path>) -> Result<ExitCode> {
    let lexicon = termbridge::lexicon::Lexicon::at(dict_dir);
    let langs = [LangTag::SQ, LangTag::SR_CYRL, LangTag::SR_LATN];
    let checks = termbridge::audit::checks::REGISTRY
        .iter()
        .map(|check| CheckInfo {
            id: check.id().to_string(),
            severity: check.severity().as_str(),
            category: check.category().as_str(),
            summary: check.summary().en.to_string(),
            docs: check.docs().to_string(),
            note: check.note(lexicon, &langs),
        })
        .collect();
    emit(&ChecksOutput { checks }, json)?;
    Ok(ExitCode::SUCCESS)
}

/// The comparison with the last audit, as `audit --compare-last` shows it on standard error.
#[derive(Debug, Serialize)]
struct ComparisonOutput<'a> {
    comparison: &'a Comparison,
}

impl Output for ComparisonOutput<'_> {
    fn human(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let comparison = self.comparison;
        writeln!(
            out,
            "since the audit of {}: score {} -> {}, {} fixed, {} new, {} unchanged",
            comparison.previous_date,
            comparison.previous_score,
            comparison.score,
            comparison.fixed.len(),
            comparison.new.len(),
            comparison.unchanged
        )?;
        for (label, findings) in [("fixed", &comparison.fixed), ("new", &comparison.new)] {
            for finding in findings {
                writeln!(out, "  {label:<6} {} {}:{} {:?}", finding.check, finding.lang, finding.line, finding.excerpt)?;
            }
        }
        Ok(())
    }
}

pub(super) fn audit_command(data_dir: &Path, args: AuditArgs, json: bool) -> Result<ExitCode> {
    if args.list_checks {
        let config = args.report.config()?;
        return list_checks(json, config.dict_dir.as_deref());
    }
    let config = args.report.config()?;
    let ui = args.report.ui_lang()?;
    let given = [(LangTag::SQ, &args.sq), (LangTag::SR, &args.sr), (LangTag::EN, &args.en), (LangTag::TR, &args.tr), (LangTag::BS, &args.bs)];
    let given: Vec<(LangTag, PathBuf)> = given.into_iter().filter_map(|(tag, path)| path.clone().map(|path| (tag, path))).collect();
    let versions = termbridge::audit::input::read_versions(&given)?;
    if versions.is_empty() {
        return Err(user_error("audit: give at least one version (--sq, --sr, --en, --tr, --bs), or --list-checks"));
    }
    // The translation memory is the data directory's: opened before the audit, and its store
    // then keeps the history too.
    let workspace = if config.translation_memory { Some(open_workspace(data_dir).context("--tm needs the data directory")?) } else { None };
    let report = audit_usecase::run(&versions, args.municipality.as_deref(), &config, workspace.as_ref()).map_err(audit_error)?;
    let format = match args.report.format {
        Some(format) => format,
        None if !json && args.output.is_none() && std::io::stdout().is_terminal() => AuditFormat::Text,
        None => AuditFormat::Json,
    };
    let rendered = match format.format() {
        Some(format) => termbridge::audit::report::render(&report, format, ui),
        None => render_lines(&report),
    };
    write_output(args.output.as_deref(), &rendered)?;

    let history = History { id: args.id, record: !args.no_history, compare_last: args.compare_last };
    if history.is_used() {
        let opened;
        let store = match &workspace {
            Some(workspace) => Ok(&workspace.store),
            None => match termbridge::store::Store::open(data_dir) {
                Ok(store) => {
                    opened = store;
                    Ok(&opened)
                }
                Err(err) => Err(err),
            },
        };
        match store {
            Ok(store) => {
                let outcome = audit_usecase::apply_history(store, &report, &history)?;
                match &outcome.comparison {
                    Some(comparison) => print_comparison(comparison, json)?,
                    None if history.compare_last => eprintln!("no earlier audit of this document (id {}) in {}", outcome.id, data_dir.display()),
                    None => {}
                }
            }
            Err(err) if history.compare_last => return Err(anyhow::Error::new(err).context("--compare-last needs the audit history")),
            Err(err) => tracing::warn!(%err, "audit not recorded in the history"),
        }
    }
    Ok(if report.has_errors() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// The comparison goes to standard error, so that standard output stays the report.
fn print_comparison(comparison: &Comparison, json: bool) -> Result<()> {
    let output = ComparisonOutput { comparison };
    let mut stderr = std::io::stderr().lock();
    if json {
        writeln!(stderr, "{}", serde_json::to_value(&output)?)?;
    } else {
        output.human(&mut stderr)?;
    }
    Ok(())
}

/// One document of `audit-dir`: its scores, or why it could not be read.
#[derive(Debug, Serialize)]
#[serde(untagged)]
enum DirRow {
    Audited { document: String, versions: Vec<String>, score: u32, errors: usize, warnings: usize, by_check: std::collections::BTreeMap<String, usize> },
    Unreadable { document: String, versions: Vec<String>, unreadable: String },
}

/// What `audit-dir` found (also written as summary.json).
#[derive(Debug, Serialize)]
struct DirOutput {
    documents: usize,
    without_counterpart: usize,
    without_counterpart_documents: Vec<String>,
    files_without_language_marker: usize,
    results: Vec<DirRow>,
}

impl Output for DirOutput {
    fn human(&self, out: &mut dyn Write) -> std::io::Result<()> {
        writeln!(out, "{:<48} {:<16} {:>5} {:>6} {:>8}", "document", "versions", "score", "errors", "warnings")?;
        let (mut total_errors, mut total_warnings) = (0, 0);
        for row in &self.results {
            match row {
                DirRow::Audited { document, versions, score, errors, warnings, .. } => {
                    total_errors += errors;
                    total_warnings += warnings;
                    writeln!(out, "{document:<48} {:<16} {score:>5} {errors:>6} {warnings:>8}", versions.join(","))?;
                }
                DirRow::Unreadable { document, versions, unreadable } => {
                    writeln!(out, "{document:<48} {:<16} unreadable: {unreadable}", versions.join(","))?;
                }
            }
        }
        if !self.without_counterpart_documents.is_empty() {
            writeln!(out, "\nwithout a counterpart in the other official language:")?;
            for key in &self.without_counterpart_documents {
                writeln!(out, "  {key}")?;
            }
        }
        writeln!(
            out,
            "{} documents, {} without a counterpart, {} errors, {} warnings; {} files without a language marker skipped",
            self.documents, self.without_counterpart, total_errors, total_warnings, self.files_without_language_marker
        )
    }
}

/// An audit that could not run: the user's to fix (exit 2), or ours (a failed TM search).
fn audit_error(err: termbridge::usecase::UseCaseError) -> anyhow::Error {
    if err.is_user_error() { user_error(err.to_string()) } else { anyhow::Error::new(err) }
}

pub(super) fn audit_dir_command(data_dir: &Path, args: AuditDirArgs, json: bool) -> Result<ExitCode> {
    let config = args.report.config()?;
    let ui = args.report.ui_lang()?;
    let format = match args.report.format.unwrap_or(AuditFormat::Json).format() {
        Some(format) => format,
        None => return Err(user_error("--format text: audit-dir writes json, html, csv or sarif reports")),
    };
    let (dir, output) = (args.dir.as_path(), args.output.as_deref());
    if !dir.is_dir() {
        return Err(user_error(format!("{}: not a folder", dir.display())));
    }
    let workspace = if config.translation_memory { Some(open_workspace(data_dir).context("--tm needs the data directory")?) } else { None };
    let bar = progress_bar("auditing");
    let (outcomes, unmarked) = audit_usecase::run_dir(dir, &config, workspace.as_ref(), &mut |done, total, key| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
        if !key.is_empty() {
            bar.set_message(format!("auditing {key}"));
        }
    })
    .map_err(audit_error)?;
    bar.finish_and_clear();
    if let Some(out_dir) = output {
        std::fs::create_dir_all(out_dir).map_err(|err| user_error(format!("{}: cannot create: {err}", out_dir.display())))?;
    }
    let mut results = Vec::new();
    let mut any_errors = false;
    for outcome in &outcomes {
        let versions: Vec<String> = outcome.group.files.iter().map(|(tag, _)| tag.to_string()).collect();
        let document = outcome.group.key.clone();
        match &outcome.report {
            Ok(report) => {
                any_errors |= report.has_errors();
                if let Some(out_dir) = output {
                    let name = format!("{}.{}", outcome.group.key.replace(['/', '\\'], "__"), format.extension());
                    let path = out_dir.join(name);
                    std::fs::write(&path, termbridge::audit::report::render(report, format, ui))
                        .map_err(|err| user_error(format!("{}: cannot write: {err}", path.display())))?;
                }
                let summary = &report.summary;
                results.push(DirRow::Audited {
                    document,
                    versions,
                    score: summary.score,
                    errors: summary.errors,
                    warnings: summary.warnings,
                    by_check: summary.by_check.clone(),
                });
            }
            Err(err) => {
                any_errors = true;
                results.push(DirRow::Unreadable { document, versions, unreadable: err.to_string() });
            }
        }
    }
    // The inventory of documents that lack one of the two official languages (Albanian, Serbian).
    let has = |outcome: &termbridge::audit::dir::DocumentOutcome, lang: Lang| outcome.group.files.iter().any(|(tag, _)| tag.lang == lang);
    let without_counterpart_documents: Vec<String> =
        outcomes.iter().filter(|outcome| !(has(outcome, Lang::Sq) && has(outcome, Lang::Sr))).map(|outcome| outcome.group.key.clone()).collect();
    let summary = DirOutput {
        documents: outcomes.len(),
        without_counterpart: without_counterpart_documents.len(),
        without_counterpart_documents,
        files_without_language_marker: unmarked,
        results,
    };
    if let Some(out_dir) = output {
        std::fs::write(out_dir.join("summary.json"), serde_json::to_string_pretty(&serde_json::to_value(&summary)?)?)?;
    }
    emit(&summary, json)?;
    Ok(if any_errors { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
