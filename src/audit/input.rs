//! Reading the language versions an audit is given, the same way for every front end: a
//! single-language document (text, Markdown, HTML, DOCX) per language, or a bilingual file
//! (PO, XLIFF, TMX) whose side in the named language is that version and whose other sides
//! stand in for the languages nobody gave.
//!
//! It also assembles the reference data a configuration asks for ([`resources_for`]). It
//! does not run the audit or render a report.

use std::path::PathBuf;

use super::{AuditConfig, Resources, Version};
use crate::formats::bilingual::read_bilingual;
use crate::formats::document::{DocumentError, DocumentFormat, read_document};
use crate::model::lang::LangTag;
use crate::problem::{Classify, ErrorClass};

/// Why the versions could not be read.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// A file could not be read or parsed.
    #[error(transparent)]
    Document(#[from] DocumentError),
    /// A bilingual file has no side in the language it was given for.
    #[error("{path}: has no {lang} side")]
    NoSide {
        /// The file.
        path: PathBuf,
        /// The language it was given for (English name).
        lang: &'static str,
    },
}

impl Classify for InputError {
    /// The input is at fault, but for I/O errors that are the machine's.
    fn class(&self) -> ErrorClass {
        match self {
            InputError::Document(err) => err.class(),
            InputError::NoSide { .. } => ErrorClass::Input,
        }
    }
}

/// Reads the versions given as (language, file) pairs, in that order; the sides of
/// bilingual files in languages no pair names are added at the end.
///
/// ```
/// use termbridge::audit::input::read_versions;
/// use termbridge::model::lang::LangTag;
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("v.sq.txt"), "Komuna: Junik\n").unwrap();
/// let versions = read_versions(&[(LangTag::SQ, dir.path().join("v.sq.txt"))]).unwrap();
/// assert_eq!(versions[0].document.blocks[0].text, "Komuna: Junik");
/// ```
pub fn read_versions(given: &[(LangTag, PathBuf)]) -> Result<Vec<Version>, InputError> {
    let mut versions: Vec<Version> = Vec::new();
    let mut extra_sides = Vec::new();
    for (tag, path) in given {
        if DocumentFormat::from_path(path).is_bilingual() {
            let mut found = false;
            for (side_tag, document) in read_bilingual(path)? {
                if side_tag.lang == tag.lang {
                    versions.push(Version { tag: side_tag, document });
                    found = true;
                } else if !given.iter().any(|(other, _)| other.lang == side_tag.lang) {
                    extra_sides.push(Version { tag: side_tag, document });
                }
            }
            if !found {
                return Err(InputError::NoSide { path: path.clone(), lang: tag.lang.english_name() });
            }
        } else {
            versions.push(Version { tag: *tag, document: read_document(path)? });
        }
    }
    for side in extra_sides {
        if !versions.iter().any(|version| version.tag.lang == side.tag.lang) {
            versions.push(side);
        }
    }
    Ok(versions)
}

/// The reference data an audit under `config` uses: the shipped gazetteer when there is
/// one, the configuration's house terms, and the starter term base where it asks for it.
pub fn resources_for(config: &AuditConfig) -> Resources {
    let mut resources = super::resources();
    let mut rules = config.terms.clone();
    if config.shipped_terms {
        rules.extend(super::shipped_term_rules());
    }
    resources.terms.extend(rules);
    resources
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bilingual_sides_fill_missing_languages() {
        let dir = tempfile::tempdir().unwrap();
        let po = dir.path().join("messages.po");
        std::fs::write(&po, "msgid \"\"\nmsgstr \"Language: sq\\n\"\n\nmsgid \"Open the file\"\nmsgstr \"Hap skedarin\"\n").unwrap();
        let versions = read_versions(&[(LangTag::SQ, po.clone())]).unwrap();
        let langs: Vec<&str> = versions.iter().map(|version| version.tag.lang.code()).collect();
        assert_eq!(langs, ["sq", "en"]);
        let err = read_versions(&[(LangTag::SR, po)]).unwrap_err();
        assert!(err.to_string().ends_with("has no Serbian side"), "{err}");
        assert!(err.is_user_error());
    }

    #[test]
    fn a_missing_file_is_named() {
        let err = read_versions(&[(LangTag::SQ, PathBuf::from("/nonexistent/v.sq.txt"))]).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/v.sq.txt"), "{err}");
    }
}
