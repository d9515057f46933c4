//! Tab-separated translation memories: a header line naming the columns, then one unit a line.
//!
//! Two headers are understood:
//! - `id<TAB>src<TAB>tgt` (the benchmark form): the languages come from the caller
//!   (`--src`/`--tgt`);
//! - language columns named by tag (`id<TAB>en<TAB>sq<TAB>sr-Cyrl`, `id` optional).
//!
//! Fields hold no tab or newline (there is no quoting: a `"` is an ordinary character); a BOM
//! and CRLF line ends are accepted. A line with the wrong number of fields rejects the whole
//! file with its line number. The reading itself is shared with CSV (see [`super::csv`]);
//! this module keeps the TSV entry points and the writer.

use std::io::Write;
use std::path::Path;

use super::csv::Skipped;
use super::{Format, FormatError, ReadOptions};
use crate::model::TranslationUnit;
use crate::model::lang::LangTag;

/// Why a TSV file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum TsvError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The content is not a TSV translation memory.
    #[error("{message}")]
    Invalid {
        /// The file.
        path: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong, prefixed with `file:line: `.
        message: String,
    },
}

impl crate::problem::Classify for TsvError {
    /// A file that is not a TSV translation memory is the user's to fix.
    fn class(&self) -> crate::problem::ErrorClass {
        match self {
            TsvError::Io { source, .. } => crate::problem::ErrorClass::of_io(source),
            TsvError::Invalid { .. } => crate::problem::ErrorClass::Input,
        }
    }
}

/// Languages for the `src`/`tgt` columns of the benchmark form.
#[derive(Debug, Clone, Copy)]
pub struct TsvLanguages {
    /// Language of the `src` column.
    pub src: LangTag,
    /// Language of the `tgt` column.
    pub tgt: LangTag,
}

/// Reads a TSV translation memory into units of `collection`; records without text are left
/// out (use [`super::read_file`] to learn which).
pub fn read_tsv(path: &Path, langs: Option<TsvLanguages>, collection: &str) -> Result<Vec<TranslationUnit>, TsvError> {
    let options = ReadOptions {
        format: Some(Format::Tsv),
        src: langs.map(|langs| langs.src),
        tgt: langs.map(|langs| langs.tgt),
        collection: Some(collection.to_string()),
        ..ReadOptions::default()
    };
    match super::read_file(path, &options) {
        Ok(parsed) => Ok(parsed.units),
        Err(FormatError::Io { path, source }) => Err(TsvError::Io { path, source }),
        Err(err) => {
            let (path, line) = match &err {
                FormatError::Syntax { path, line, .. } | FormatError::Encoding { path, line, .. } | FormatError::Refused { path, line, .. } => {
                    (path.clone(), *line)
                }
                FormatError::TooLarge { path, .. } | FormatError::UnknownFormat { path } | FormatError::Missing { path, .. } | FormatError::Io { path, .. } => {
                    (path.clone(), 0)
                }
            };
            Err(TsvError::Invalid { path, line, message: err.to_string() })
        }
    }
}

/// Writes TSV: header `id<TAB><lang>…`, one line a unit. Units whose text holds a tab or a
/// line break cannot be written and are returned as skipped.
pub fn write_tsv<W: Write>(out: W, units: &[TranslationUnit]) -> std::io::Result<Vec<Skipped>> {
    super::csv::write_delimited(out, units, b'\t')
}
