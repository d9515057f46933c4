//! `termbridge export`: the translation memory into a TMX, TSV or CSV file, written
//! atomically, through the export use case (`usecase::export`) that `GET /api/v1/export` runs
//! too.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use clap::ValueEnum;
use serde::Serialize;

use termbridge::usecase::export::{MemoryExport, MemoryFormat, export_memory};
use termbridge::usecase::import::SHOWN_PROBLEMS;

use super::common::{Output, emit, open_workspace, write_atomically};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum ExportFormat {
    Tmx,
    Tsv,
    Csv,
}

impl ExportFormat {
    fn format(self) -> MemoryFormat {
        match self {
            ExportFormat::Tmx => MemoryFormat::Tmx,
            ExportFormat::Tsv => MemoryFormat::Tsv,
            ExportFormat::Csv => MemoryFormat::Csv,
        }
    }
}

/// What `termbridge export` wrote.
#[derive(Debug, Serialize)]
pub(super) struct ExportOutput {
    /// The file written.
    file: String,
    /// Units written.
    written: usize,
    /// Units (or texts of units) left out.
    skipped: usize,
}

impl Output for ExportOutput {
    fn human(&self, out: &mut dyn Write) -> std::io::Result<()> {
        writeln!(out, "{}: {} units written", self.file, self.written)
    }
}

pub(super) fn export(data_dir: &Path, format: ExportFormat, collection: Option<&str>, output: &Path, json: bool) -> Result<ExitCode> {
    let workspace = open_workspace(data_dir)?;
    let mut outcome = MemoryExport { written: 0, skipped: Vec::new() };
    write_atomically(output, |out| {
        outcome = export_memory(&workspace.store, format.format(), collection, out)?;
        Ok(())
    })?;
    for skip in outcome.skipped.iter().take(SHOWN_PROBLEMS) {
        eprintln!("termbridge: unit {:?}: {}", skip.id, skip.reason);
    }
    emit(&ExportOutput { file: output.display().to_string(), written: outcome.written, skipped: outcome.skipped.len() }, json)?;
    Ok(ExitCode::SUCCESS)
}
