//! Tab-separated translation memories: a header line naming the columns, then one unit a line.
//!
//! Two headers are understood:
//! - `id<TAB>src<TAB>tgt` (the benchmark form): the languages come from the caller
//!   (`--src`/`--tgt`);
//! - language columns named by tag (`id<TAB>en<TAB>sq<TAB>sr-Cyrl`, `id` optional).
//!
//! Fields hold no tab or newline; a BOM and CRLF line ends are accepted. A line with the wrong
//! number of fields rejects the whole file with its line number.

use std::io::BufRead;
use std::path::Path;

use crate::lang::LangTag;
use crate::memory::{TranslationUnit, Variant, resolve_script};

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
    #[error("{path}:{line}: {message}")]
    Invalid {
        /// The file.
        path: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// Languages for the `src`/`tgt` columns of the benchmark form.
#[derive(Debug, Clone, Copy)]
pub struct TsvLanguages {
    /// Language of the `src` column.
    pub src: LangTag,
    /// Language of the `tgt` column.
    pub tgt: LangTag,
}

/// Reads a TSV translation memory into units of `collection`.
pub fn read_tsv(path: &Path, langs: Option<TsvLanguages>, collection: &str) -> Result<Vec<TranslationUnit>, TsvError> {
    let display = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|source| TsvError::Io { path: display.clone(), source })?;
    let reader = std::io::BufReader::with_capacity(1 << 20, file);
    let invalid = |line: usize, message: String| TsvError::Invalid { path: display.clone(), line, message };
    let mut columns: Vec<Option<LangTag>> = Vec::new();
    let mut id_column = None;
    let mut units = Vec::new();
    for (line_idx, line) in reader.split(b'\n').enumerate() {
        let line_no = line_idx + 1;
        let bytes = line.map_err(|source| TsvError::Io { path: display.clone(), source })?;
        let text = String::from_utf8(bytes).map_err(|err| invalid(line_no, format!("invalid UTF-8 at byte {} of the line", err.utf8_error().valid_up_to())))?;
        let text = text.strip_suffix('\r').unwrap_or(&text);
        let text = if line_no == 1 { text.strip_prefix('\u{feff}').unwrap_or(text) } else { text };
        if line_no == 1 {
            for (column_idx, name) in text.split('\t').enumerate() {
                let name = name.trim();
                match name {
                    "id" => id_column = Some(column_idx),
                    "src" | "source" => columns.push(langs.map(|l| l.src)),
                    "tgt" | "target" => columns.push(langs.map(|l| l.tgt)),
                    other => match LangTag::parse(other) {
                        Ok(tag) => columns.push(Some(tag)),
                        Err(_) => return Err(invalid(1, format!("header column {} is {other:?}: expected id, src, tgt or a language tag", column_idx + 1))),
                    },
                }
                if name != "id" && columns.last().is_some_and(|tag| tag.is_none()) {
                    return Err(invalid(1, format!("header column {name:?} needs --src and --tgt to name its language")));
                }
            }
            if columns.is_empty() {
                return Err(invalid(1, "header names no language column".into()));
            }
            continue;
        }
        if text.is_empty() {
            continue;
        }
        let fields: Vec<&str> = text.split('\t').collect();
        let expected = columns.len() + usize::from(id_column.is_some());
        if fields.len() != expected {
            return Err(invalid(line_no, format!("{} fields, the header has {expected}", fields.len())));
        }
        let mut variants = Vec::with_capacity(columns.len());
        let mut language_idx = 0;
        let mut id = None;
        for (field_idx, field) in fields.iter().enumerate() {
            if Some(field_idx) == id_column {
                id = Some(field.to_string());
                continue;
            }
            // Every language column was checked to have a tag when the header was read.
            let Some(tag) = columns[language_idx] else { unreachable!("header checked") };
            language_idx += 1;
            if field.is_empty() {
                continue;
            }
            let text = crate::text::nfc(field).into_owned();
            variants.push(Variant::new(resolve_script(tag, &text), text));
        }
        if variants.is_empty() {
            continue;
        }
        let mut unit = TranslationUnit {
            id: id.unwrap_or_default(),
            collection: collection.to_string(),
            variants,
            props: Default::default(),
            notes: Vec::new(),
            created: None,
            changed: None,
        };
        if unit.id.is_empty() {
            unit.id = format!("{:016x}", unit.key());
        }
        units.push(unit);
    }
    Ok(units)
}
