//! Exporting the translation memory (TMX, TSV, CSV) and the term base (TBX, CSV) into any
//! writer: a file written atomically by the command line, a streamed HTTP answer by the
//! service.
//!
//! Deliberately not here: where the bytes go, and what a failure half-way means for them.

use std::io::Write;

use serde::Serialize;

use super::UseCaseError;
use crate::formats::csv::Skipped;
use crate::formats::tmx::{TmxHeader, TmxWriter};
use crate::model::TranslationUnit;
use crate::store::Store;
use crate::termbase::tbx::TbxVersion;

/// A file format of the translation memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemoryFormat {
    /// TMX 1.4b, every language of a unit.
    Tmx,
    /// Tab-separated, a column per language.
    Tsv,
    /// Comma-separated, a column per language.
    Csv,
}

/// A file format of the term base.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermsFormat {
    /// TBX of the given edition.
    Tbx(TbxVersion),
    /// CSV, long form.
    Csv,
}

/// What a translation memory export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemoryExport {
    /// Units written.
    pub written: usize,
    /// Units (or parts of units) left out, and why.
    #[serde(skip)]
    pub skipped: Vec<Skipped>,
}

/// What a term base export wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TermsExport {
    /// Concepts written.
    pub concepts: usize,
    /// Terms written.
    pub terms: usize,
}

/// Writes the translation memory (only `collection`, when given) into `out` and flushes it.
/// TMX streams unit by unit; TSV and CSV gather the units first, since their header names
/// every language.
pub fn export_memory(store: &Store, format: MemoryFormat, collection: Option<&str>, out: &mut dyn Write) -> Result<MemoryExport, UseCaseError> {
    let wanted = |unit: &TranslationUnit| collection.is_none_or(|name| unit.collection == name);
    let outcome = match format {
        MemoryFormat::Tmx => {
            let mut units = store.units().filter(|entry| entry.as_ref().map_or(true, |(_, unit)| wanted(unit)));
            let first = units.next().transpose()?;
            let srclang = first.as_ref().and_then(|(_, unit)| unit.variants.first()).map_or_else(|| "*all*".to_string(), |variant| variant.lang.to_string());
            let mut writer = TmxWriter::new(&mut *out, &TmxHeader { srclang, adminlang: "en".into() })?;
            let mut written = 0;
            for entry in first.into_iter().map(Ok).chain(units) {
                let (_, unit) = entry?;
                writer.write_unit(&unit)?;
                written += 1;
            }
            writer.finish()?;
            MemoryExport { written, skipped: Vec::new() }
        }
        MemoryFormat::Tsv | MemoryFormat::Csv => {
            let mut units = Vec::new();
            for entry in store.units() {
                let (_, unit) = entry?;
                if wanted(&unit) {
                    units.push(unit);
                }
            }
            let skipped = if format == MemoryFormat::Tsv {
                crate::formats::tsv::write_tsv(&mut *out, &units)?
            } else {
                crate::formats::csv::write_csv(&mut *out, &units)?
            };
            // A skip of a second text in one language leaves the unit written.
            let written = units.len() - skipped.iter().filter(|skip| !skip.reason.contains("the first was written")).count();
            MemoryExport { written, skipped }
        }
    };
    out.flush()?;
    Ok(outcome)
}

/// Writes the whole term base into `out` and flushes it.
pub fn export_terms(store: &Store, format: TermsFormat, out: &mut dyn Write) -> Result<TermsExport, UseCaseError> {
    let concepts = store.concepts()?;
    match format {
        TermsFormat::Tbx(version) => crate::termbase::tbx::write_tbx(&concepts, version, &mut *out)?,
        TermsFormat::Csv => crate::termbase::write_csv(&concepts, &mut *out)?,
    }
    out.flush()?;
    Ok(TermsExport { concepts: concepts.len(), terms: concepts.iter().map(|concept| concept.terms.len()).sum() })
}
