//! `termbridge align`: sentence alignment of two or three language versions into a TMX.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use serde::Serialize;
use termbridge::align::AlignOptions;
use termbridge::formats::Limits;
use termbridge::formats::tmx::{TmxHeader, TmxWriter};

use super::common::{Output, emit, parse_tag, write_atomically};
use super::user_error;

pub(super) fn align(files: &[PathBuf], langs: &[String], collection: &str, output: &Path, json: bool) -> Result<ExitCode> {
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
    let beads: std::collections::BTreeMap<String, usize> = alignment.shapes().into_iter().map(|((a, b), count)| (format!("{a}-{b}"), count)).collect();
    let output = AlignOutput { file: output.display().to_string(), units: units.len(), segments: alignment.segments.iter().map(Vec::len).collect(), beads };
    emit(&output, json)?;
    Ok(ExitCode::SUCCESS)
}

/// What `align` wrote: units, segments per document, and the beads by shape (`1-1`, `1-2` …).
#[derive(Debug, Serialize)]
struct AlignOutput {
    file: String,
    units: usize,
    segments: Vec<usize>,
    beads: std::collections::BTreeMap<String, usize>,
}

impl Output for AlignOutput {
    fn human(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let beads: Vec<String> = self.beads.iter().map(|(shape, count)| format!("{count} × {shape}")).collect();
        writeln!(out, "{}: {} units; beads {}", self.file, self.units, beads.join(", "))
    }
}
