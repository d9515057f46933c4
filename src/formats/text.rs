//! Plain line-aligned text: two or three files, one language each (`--langs sq,sr,en`), one
//! segment a line, line N of every file being translations of each other.
//!
//! Every file must have the same number of lines (a difference rejects the set, naming both
//! counts: an unaligned pair needs `termbridge align` instead). A line empty in every file is
//! skipped; an empty line in one file leaves that language out of the unit. Unit ids are a
//! content hash; the property `line` keeps the line number.

use std::io::BufRead;
use std::path::Path;

use super::{FormatError, Limits, Parsed, Problem, ReadOptions, Source, ensure_id, resolve_lang, too_long};
use crate::model::Variant;
use crate::problem::Hint;

/// Reads the lines of one text file (decoded, BOM removed, line ends stripped).
pub fn read_lines(path: &Path, limits: &Limits) -> Result<Vec<String>, FormatError> {
    let mut progress = |_, _| {};
    let mut source = Source::open(path, limits, &mut progress)?;
    let mut lines = Vec::new();
    let mut raw = Vec::new();
    loop {
        raw.clear();
        let n = source.read_until(b'\n', &mut raw).map_err(|err| source.io_error(err))?;
        if n == 0 {
            break;
        }
        let line_no = lines.len() + 1;
        let text = String::from_utf8(std::mem::take(&mut raw)).map_err(|err| FormatError::Encoding {
            path: source.path.clone(),
            line: line_no,
            message: format!("not UTF-8 (bad byte at column {})", err.utf8_error().valid_up_to() + 1),
        })?;
        let trimmed = text.trim_end_matches(['\n', '\r']);
        lines.push(trimmed.to_string());
    }
    Ok(lines)
}

/// Reads line-aligned files, one per language of `options.langs`, into units.
pub fn read_text_files(paths: &[&Path], options: &ReadOptions) -> Result<Parsed, FormatError> {
    let first = paths.first().map(|path| path.display().to_string()).unwrap_or_default();
    if options.langs.len() != paths.len() {
        return Err(FormatError::Missing {
            path: first,
            message: format!("{} text file(s) but {} language(s)", paths.len(), options.langs.len()),
            hint: Hint::FileLanguages,
        });
    }
    let mut files = Vec::with_capacity(paths.len());
    for path in paths {
        files.push(read_lines(path, &options.limits)?);
    }
    for (file_idx, lines) in files.iter().enumerate().skip(1) {
        if lines.len() != files[0].len() {
            return Err(FormatError::Syntax {
                path: paths[file_idx].display().to_string(),
                line: lines.len().min(files[0].len()) + 1,
                message: format!("{} lines, but {} has {}; the files are not line-aligned (use termbridge align)", lines.len(), first, files[0].len()),
            });
        }
    }
    let collection = options.collection_or_default();
    let mut parsed = Parsed::default();
    for line_idx in 0..files[0].len() {
        let mut unit = super::empty_unit(collection.clone());
        let mut problem = None;
        for (lines, tag) in files.iter().zip(&options.langs) {
            let text = crate::text::nfc(lines[line_idx].trim()).into_owned();
            if text.is_empty() {
                continue;
            }
            problem = problem.or_else(|| too_long("line", &text, &options.limits));
            unit.variants.push(Variant::new(resolve_lang(*tag, &text), text));
        }
        if unit.variants.is_empty() {
            continue;
        }
        if let Some(reason) = problem {
            parsed.problems.push(Problem::skipped(first.clone(), line_idx + 1, reason));
            continue;
        }
        unit.props.insert("line".into(), (line_idx + 1).to_string());
        ensure_id(&mut unit);
        parsed.units.push(unit);
    }
    Ok(parsed)
}
