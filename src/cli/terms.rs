//! `termbridge terms`: look up, scan, import and export the term base.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Subcommand, ValueEnum};
use serde::Serialize;

use termbridge::termbase::tbx::TbxVersion;
use termbridge::usecase::export;
use termbridge::usecase::import::{self, Source};

use super::common::{Output, emit, parse_tag, write_atomically};
use super::user_error;

#[derive(Debug, Subcommand)]
pub(super) enum TermsCommand {
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
        /// The document's date (YYYY, YYYY-MM or YYYY-MM-DD), compared with the dates of
        /// superseded terms; default: the latest full date the text writes
        #[arg(long)]
        date: Option<String>,
    },
    /// Check a term base for what review by hand finds: Serbian scripts that disagree,
    /// look-alike letters, statuses that contradict each other, head words, sources, dates of
    /// superseded terms, duplicates (exit 1 when an error is found)
    Lint {
        /// TBX (2019 or 2008) or CSV files; without files, the data directory's term base (the
        /// shipped one in a new data directory)
        files: Vec<PathBuf>,
        /// File format (auto: by extension, .tbx/.xml or .csv)
        #[arg(long, value_enum, default_value = "auto")]
        format: TermsFormat,
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
pub(super) enum TermsFormat {
    Auto,
    Tbx,
    Csv,
}

impl TermsFormat {
    /// The reader's format, or `None` to tell it from the file.
    fn file_format(self) -> Option<termbridge::termbase::FileFormat> {
        match self {
            TermsFormat::Tbx => Some(termbridge::termbase::FileFormat::Tbx),
            TermsFormat::Csv => Some(termbridge::termbase::FileFormat::Csv),
            TermsFormat::Auto => None,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(super) enum TermsExportFormat {
    /// TBX in the edition --tbx-version names (default 2019)
    Tbx,
    /// TBX 2008 (`martif`), the form translate-toolkit and Weblate read
    Tbx2008,
    Csv,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(super) enum TbxEdition {
    /// ISO 30042:2019, TBX-Basic
    #[value(name = "2019")]
    V2019,
    /// TBX 2008 (martif)
    #[value(name = "2008")]
    V2008,
}

/// Opens the store for a terms command, loading the shipped term base into an empty one.
pub(super) fn open_term_store(data_dir: &Path) -> Result<termbridge::store::Store> {
    let store = termbridge::store::Store::open(data_dir).with_context(|| format!("cannot open data directory {}", data_dir.display()))?;
    if let Some(summary) = termbridge::termbase::load_shipped(&store)? {
        tracing::info!(concepts = summary.added, "loaded the shipped Kosovo term base into an empty store");
    }
    Ok(store)
}

pub(super) fn terms_command(data_dir: &Path, command: TermsCommand, json: bool) -> Result<ExitCode> {
    use termbridge::termbase::{self, LookupOptions};

    match command {
        TermsCommand::Lookup { text, lang, limit } => {
            let lang = lang.map(|raw| parse_tag(&raw, "--lang")).transpose()?;
            let store = open_term_store(data_dir)?;
            let index = termbase::index_from_store(&store)?;
            let hits = index.lookup(&text, &LookupOptions { lang: lang.map(|tag| tag.lang), limit });
            emit(&LookupOutput { query: text, lang: lang.map(|tag| tag.to_string()), hits }, json)?;
            Ok(ExitCode::SUCCESS)
        }
        TermsCommand::Scan { file, lang, date } => {
            let tag = parse_tag(&lang, "--lang")?;
            let date = date
                .map(|raw| {
                    termbase::TermDate::parse(&raw).ok_or_else(|| user_error(format!("--date: invalid date {raw:?} (expected YYYY, YYYY-MM or YYYY-MM-DD)")))
                })
                .transpose()?;
            let bytes = std::fs::read(&file).map_err(|err| user_error(format!("{}: {err}", file.display())))?;
            let content = String::from_utf8(bytes).map_err(|err| {
                let valid = err.utf8_error().valid_up_to();
                let line = 1 + err.as_bytes()[..valid].iter().filter(|&&b| b == b'\n').count();
                user_error(format!("{}:{line}: not UTF-8 (byte {valid})", file.display()))
            })?;
            let store = open_term_store(data_dir)?;
            let index = termbase::index_from_store(&store)?;
            let occurrences = index.recognize(&content, tag.lang);
            let date = date.or_else(|| termbase::latest_date(&content));
            emit(&ScanOutput { file: file.display().to_string(), lang: tag.to_string(), date: date.map(|date| date.to_string()), occurrences }, json)?;
            Ok(ExitCode::SUCCESS)
        }
        TermsCommand::Lint { files, format } => {
            let concepts: Vec<termbridge::model::Concept> = if files.is_empty() {
                let store = open_term_store(data_dir)?;
                store.concepts()?
            } else {
                let sources: Vec<Source> = files.iter().map(|file| Source::from_path(file)).collect();
                let read = import::read_terms(&sources, format.file_format())?;
                read.into_iter().flat_map(|file| file.imported.concepts).collect()
            };
            let findings = termbase::lint(&concepts);
            let summary = termbase::lint_summary(&concepts, &findings);
            emit(&LintOutput { summary, findings }, json)?;
            Ok(if summary.errors > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        TermsCommand::Import { files, format } => {
            // Read every file before the first write, so that a bad file stores nothing.
            let sources: Vec<Source> = files.iter().map(|file| Source::from_path(file)).collect();
            let read = import::read_terms(&sources, format.file_format())?;
            let store = open_term_store(data_dir)?;
            let concepts: Vec<termbridge::model::Concept> = read.iter().flat_map(|file| file.imported.concepts.iter().cloned()).collect();
            let summary = store.put_concepts(&concepts).context("term base import failed; nothing of it was stored")?;
            for file in &read {
                for warning in &file.imported.warnings {
                    tracing::warn!("{}:{}: {}", file.name, warning.line, warning.message);
                }
                emit(&TermsFileRead { file: file.name.clone(), concepts: file.imported.concepts.len(), warnings: file.imported.warnings.len() }, json)?;
            }
            emit(&TermsStored { added: summary.added, replaced: summary.replaced, unchanged: summary.unchanged }, json)?;
            Ok(ExitCode::SUCCESS)
        }
        TermsCommand::Export { format, output, tbx_version } => {
            let store = open_term_store(data_dir)?;
            let format = match (format, tbx_version) {
                (TermsExportFormat::Csv, _) => export::TermsFormat::Csv,
                (TermsExportFormat::Tbx2008, _) => export::TermsFormat::Tbx(TbxVersion::V2008),
                (TermsExportFormat::Tbx, TbxEdition::V2019) => export::TermsFormat::Tbx(TbxVersion::V2019),
                (TermsExportFormat::Tbx, TbxEdition::V2008) => export::TermsFormat::Tbx(TbxVersion::V2008),
            };
            let mut outcome = None;
            write_atomically(&output, |out| {
                outcome = Some(export::export_terms(&store, format, out)?);
                Ok(())
            })?;
            let outcome = outcome.unwrap_or(export::TermsExport { concepts: 0, terms: 0 });
            emit(&TermsWritten { file: output.display().to_string(), concepts: outcome.concepts, terms: outcome.terms }, json)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// One term base file `terms import` read.
#[derive(Debug, Serialize)]
struct TermsFileRead {
    file: String,
    concepts: usize,
    warnings: usize,
}

impl Output for TermsFileRead {
    fn human(&self, out: &mut dyn Write) -> std::io::Result<()> {
        writeln!(out, "{}: {} concepts read, {} warnings", self.file, self.concepts, self.warnings)
    }
}

/// What `terms import` stored.
#[derive(Debug, Serialize)]
struct TermsStored {
    added: usize,
    replaced: usize,
    unchanged: usize,
}

impl Output for TermsStored {
    fn human(&self, out: &mut dyn Write) -> std::io::Result<()> {
        writeln!(out, "{} concepts added, {} replaced, {} unchanged", self.added, self.replaced, self.unchanged)
    }
}

/// What `terms export` wrote.
#[derive(Debug, Serialize)]
struct TermsWritten {
    file: String,
    concepts: usize,
    terms: usize,
}

impl Output for TermsWritten {
    fn human(&self, out: &mut dyn Write) -> std::io::Result<()> {
        writeln!(out, "{}: {} concepts, {} terms", self.file, self.concepts, self.terms)
    }
}

/// What `terms lookup` found.
#[derive(Debug, Serialize)]
struct LookupOutput<'a> {
    query: String,
    lang: Option<String>,
    hits: Vec<termbridge::termbase::LookupHit<'a>>,
}

impl Output for LookupOutput<'_> {
    fn human(&self, out: &mut dyn Write) -> std::io::Result<()> {
        if self.hits.is_empty() {
            writeln!(out, "no term found for «{}»", self.query)?;
        }
        for hit in &self.hits {
            let how = match (hit.prefix, hit.distance) {
                (true, _) => format!("prefix, {}", hit.tier.as_str()),
                (false, Some(distance)) => format!("{}, {distance} edit{}", hit.tier.as_str(), if distance == 1 { "" } else { "s" }),
                (false, None) => hit.tier.as_str().to_string(),
            };
            let subject = hit.concept.subject.as_deref().map(|subject| format!(" [{subject}]")).unwrap_or_default();
            writeln!(out, "{}{subject} — {how}, via {} «{}»", hit.concept.id, hit.term.lang, hit.term.text)?;
            for term in &hit.concept.terms {
                let derived = if term.derived { ", derived" } else { "" };
                let note = term.note.as_deref().map(|note| format!(" — {note}")).unwrap_or_default();
                writeln!(out, "  {:<8} {} ({}{derived}){note}", term.lang.to_string(), term.text, term.status)?;
            }
        }
        Ok(())
    }
}

/// What `terms lint` found.
#[derive(Debug, Serialize)]
struct LintOutput {
    summary: termbridge::termbase::LintSummary,
    findings: Vec<termbridge::termbase::LintFinding>,
}

impl Output for LintOutput {
    fn human(&self, out: &mut dyn Write) -> std::io::Result<()> {
        for finding in &self.findings {
            let term = match (&finding.lang, &finding.term) {
                (Some(lang), Some(term)) => format!(" {lang} «{term}»"),
                (Some(lang), None) => format!(" {lang}"),
                _ => String::new(),
            };
            writeln!(out, "{}{term}: {} {}: {}", finding.concept_id, finding.severity.as_str(), finding.rule.id(), finding.message)?;
        }
        let summary = &self.summary;
        writeln!(out, "{} concepts, {} terms: {} errors, {} warnings", summary.concepts, summary.terms, summary.errors, summary.warnings)
    }
}

/// The terms `terms scan` found in a file.
#[derive(Debug, Serialize)]
struct ScanOutput {
    file: String,
    lang: String,
    /// The document's date superseded terms are compared with, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    occurrences: Vec<termbridge::termbase::Occurrence>,
}

impl Output for ScanOutput {
    fn human(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let date = self.date.as_deref().and_then(termbridge::termbase::TermDate::parse);
        for occurrence in &self.occurrences {
            let mut advice = occurrence.suggestion.as_deref().map(|better| format!("; use «{better}»")).unwrap_or_default();
            if let Some(phrase) = &occurrence.correct_in {
                advice = format!("; right in «{phrase}»");
            } else if let Some(change) = &occurrence.replaced {
                advice = match date {
                    Some(date) if date.is_after(change.date) => format!("; {change}, before this text's date {date}{advice}"),
                    _ => format!("; information: {change}, right in texts from before then{advice} in later ones"),
                };
            }
            writeln!(
                out,
                "{}:{}:{}: «{}» {} ({} «{}», {}, {}){advice}",
                self.file,
                occurrence.line,
                occurrence.column,
                occurrence.text,
                occurrence.concept_id,
                occurrence.lang,
                occurrence.term,
                occurrence.status,
                occurrence.tier.as_str()
            )?;
        }
        Ok(())
    }
}
