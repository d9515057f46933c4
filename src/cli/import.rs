//! `termbridge import`: translation memories into the store, through the import use case
//! (`usecase::import`) that `POST /api/v1/import` runs too.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use clap::ValueEnum;
use clap::builder::PossibleValue;
use indicatif::ProgressBar;
use serde::Serialize;

use termbridge::formats::{Format, Limits, ReadOptions};
use termbridge::usecase::UseCaseError;
use termbridge::usecase::import::{self, ImportSettings, MemoryImport, SHOWN_PROBLEMS, Source};

use super::common::{Output, byte_progress_bar, emit, open_workspace, parse_tag};

/// `--format`: `auto` (from the content and the extension) or a format by its own name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct ImportFormat(Option<Format>);

impl ValueEnum for ImportFormat {
    fn value_variants<'a>() -> &'a [Self] {
        &[
            ImportFormat(None),
            ImportFormat(Some(Format::Tmx)),
            ImportFormat(Some(Format::Xliff)),
            ImportFormat(Some(Format::Po)),
            ImportFormat(Some(Format::Csv)),
            ImportFormat(Some(Format::Tsv)),
            ImportFormat(Some(Format::Text)),
        ]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.0.map_or("auto", Format::as_str)))
    }
}

/// What `import` was asked to do besides the files.
pub(super) struct ImportRequest {
    pub(super) format: ImportFormat,
    pub(super) src: Option<String>,
    pub(super) tgt: Option<String>,
    pub(super) langs: Vec<String>,
    pub(super) collection: Option<String>,
    pub(super) max_file_mib: u64,
}

/// What importing one file (or one set of plain text files) stored.
#[derive(Debug, Serialize)]
pub(super) struct ImportOutput(MemoryImport);

impl Output for ImportOutput {
    fn human(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let outcome = &self.0;
        writeln!(
            out,
            "{}: {} units read, {} stored, {} duplicates, {} skipped",
            outcome.file, outcome.read, outcome.stored, outcome.duplicates, outcome.skipped
        )
    }
}

/// Tells about the skipped units on standard error: the first ones, then the count by reason.
fn report_skips(outcome: &MemoryImport) {
    for problem in &outcome.problems {
        eprintln!("termbridge: skipped: {problem}");
    }
    if outcome.skipped > SHOWN_PROBLEMS {
        let by_reason: Vec<String> = outcome.skipped_by_reason.iter().map(|(reason, count)| format!("{count} × {reason}")).collect();
        eprintln!("termbridge: {} more skipped; all skips: {}", outcome.skipped - SHOWN_PROBLEMS, by_reason.join("; "));
    }
}

pub(super) fn import(data_dir: &Path, files: &[PathBuf], request: &ImportRequest, json: bool) -> Result<ExitCode> {
    let options = ReadOptions {
        format: request.format.0,
        src: request.src.as_deref().map(|raw| parse_tag(raw, "--src")).transpose()?,
        tgt: request.tgt.as_deref().map(|raw| parse_tag(raw, "--tgt")).transpose()?,
        langs: request.langs.iter().map(|raw| parse_tag(raw, "--langs")).collect::<Result<_>>()?,
        collection: request.collection.clone(),
        limits: Limits { max_file_bytes: request.max_file_mib.saturating_mul(1 << 20), ..Limits::default() },
    };
    let sources: Vec<Source> = files.iter().map(|file| Source::from_path(file)).collect();
    let workspace = open_workspace(data_dir)?;
    // The files are read and written in batches that stay out of sight until the last file
    // was read whole: a bad file stores nothing.
    let mut reading: Option<(String, ProgressBar)> = None;
    let streamed = import::import_memory(&workspace, &sources, &options, import_settings()?, &mut |progress| {
        if reading.as_ref().is_none_or(|(file, _)| file != progress.file) {
            if let Some((_, done)) = reading.take() {
                done.finish_and_clear();
            }
            reading = Some((progress.file.to_string(), byte_progress_bar(&format!("importing {}", progress.file))));
        }
        if let Some((_, bar)) = &reading {
            bar.set_length(progress.total);
            bar.set_position(progress.done);
        }
    });
    if let Some((_, bar)) = reading {
        bar.finish_and_clear();
    }
    let streamed = streamed.map_err(|err| match err {
        UseCaseError::Write { file, source } => {
            let context = if source.was_stored() {
                format!("import of {file} was stored, but not completely indexed")
            } else if files.len() > 1 {
                format!("import of {file} failed; nothing of this import was stored")
            } else {
                format!("import of {file} failed; nothing of it was stored")
            };
            anyhow::Error::new(source).context(context)
        }
        err => err.into(),
    })?;
    tracing::info!(
        batches = streamed.batches,
        stored = streamed.timings.summary.stored,
        store_s = streamed.timings.store_s,
        index_s = streamed.timings.index_s,
        "import published"
    );
    for outcome in streamed.documents {
        let output = ImportOutput(outcome);
        emit(&output, json)?;
        if !json {
            report_skips(&output.0);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The batch size of a streamed import: `TERMBRIDGE_IMPORT_BATCH` (units) when set, for
/// experiments and tests, else the default.
fn import_settings() -> Result<ImportSettings> {
    match std::env::var("TERMBRIDGE_IMPORT_BATCH") {
        Ok(raw) => {
            let batch_units: usize = raw.trim().parse().map_err(|_| anyhow::anyhow!("TERMBRIDGE_IMPORT_BATCH must be a number of units, got {raw:?}"))?;
            Ok(ImportSettings { batch_units: batch_units.max(1) })
        }
        Err(_) => Ok(ImportSettings::default()),
    }
}
