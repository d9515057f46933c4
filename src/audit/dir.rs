//! Audit of a folder tree (a municipal website dump, a publication archive): find the
//! language versions of each document by file-name conventions, audit every document, and
//! list those whose counterparts are missing.
//!
//! Versions are paired by these conventions (the language code is `sq`, `sr`, `sr-Latn`,
//! `sr-Cyrl`, `en`, `tr` or `bs`, any case, `_` or `-` inside it):
//! - a language extension: `vendim.sq.html` / `vendim.sr.html`;
//! - a suffix: `vendim-sq.docx` / `vendim-sr.docx`, `vendim_sq.md` / `vendim_sr.md`;
//! - a language folder anywhere in the path: `sq/lajme/vendim.html` / `sr/lajme/vendim.html`.
//!
//! Files whose name carries no language code are not audited (and are counted). Readable
//! formats: `.txt`, `.md`, `.html`, `.htm`, `.docx`. A document found in one language only is
//! audited alone, so its report carries the `missing-version` findings: that is the
//! inventory of documents without counterpart.
//!
//! Words spelled with diacritics anywhere in the tree feed every document's diacritics check
//! (a corpus word list). Documents are audited in the order of their keys, and each one's
//! translations are compared with the first translation of the same text in the documents
//! before it (`inconsistent-translation`, reported on the later document).
//!
//! Deliberately not done: following symbolic links, guessing the language of unmarked files,
//! pairing by content.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::formats::document::{DocumentError, read_document};
use crate::model::lang::{Lang, LangTag};

use super::{AuditConfig, KnownTranslations, Report, Resources, Version, Vocabulary, audit_collecting};

/// The file extensions audit-dir reads.
pub const EXTENSIONS: &[&str] = &["txt", "md", "markdown", "html", "htm", "xhtml", "docx"];

/// One document: its key (the path without the language marker) and its versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentGroup {
    /// The path relative to the root, language marker removed.
    pub key: String,
    /// The versions found, in language order.
    pub files: Vec<(LangTag, PathBuf)>,
    /// Further files for a language already taken (e.g. both Serbian scripts), not audited.
    pub extra: Vec<PathBuf>,
}

/// The outcome for one document.
#[derive(Debug)]
pub struct DocumentOutcome {
    /// The document group.
    pub group: DocumentGroup,
    /// The report, or why the document could not be read.
    pub report: Result<Report, DirError>,
}

/// Why a folder could not be audited at all (`Io`), or one document of it (`Document`,
/// `Audit`).
#[derive(Debug, thiserror::Error)]
pub enum DirError {
    /// The folder cannot be listed.
    #[error("{path}: cannot list folder: {source}")]
    Io {
        /// The folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A version of a document could not be read.
    #[error(transparent)]
    Document(#[from] DocumentError),
    /// The versions of a document could not be audited.
    #[error(transparent)]
    Audit(#[from] crate::audit::AuditError),
}

impl crate::problem::Classify for DirError {
    /// A folder or document that cannot be read is classed by its cause; an audit refused is
    /// the input's.
    fn class(&self) -> crate::problem::ErrorClass {
        match self {
            DirError::Io { source, .. } => crate::problem::ErrorClass::of_io(source),
            DirError::Document(err) => err.class(),
            DirError::Audit(err) => err.class(),
        }
    }
}

/// Language codes as they appear in file names, longest first so `sr-latn` wins over `sr`.
const CODES: &[&str] = &["sr-latn", "sr_latn", "sr-cyrl", "sr_cyrl", "sq", "sr", "en", "tr", "bs"];

fn tag_of(code: &str) -> Option<LangTag> {
    LangTag::parse(code).ok()
}

/// The language marked in a file's relative path, and the key without the marker.
pub fn classify(relative: &Path) -> Option<(LangTag, String)> {
    let ext = relative.extension()?.to_str()?.to_ascii_lowercase();
    if !EXTENSIONS.contains(&ext.as_str()) {
        return None;
    }
    let stem = relative.file_stem()?.to_str()?;
    let lowered = stem.to_ascii_lowercase();
    let parent: Vec<String> = relative.parent().map(|p| p.iter().map(|part| part.to_string_lossy().to_string()).collect()).unwrap_or_default();
    for code in CODES {
        for sep in ['.', '-', '_'] {
            let suffix = format!("{sep}{code}");
            if lowered.ends_with(&suffix) && lowered.len() > suffix.len() {
                let base = &stem[..stem.len() - suffix.len()];
                let mut key: Vec<String> = parent.clone();
                key.push(format!("{base}.{ext}"));
                return Some((tag_of(code)?, key.join("/")));
            }
        }
    }
    // A language folder: sq/lajme/vendim.html.
    for (idx, part) in parent.iter().enumerate() {
        let lowered_part = part.to_ascii_lowercase();
        if CODES.contains(&lowered_part.as_str()) {
            let mut key: Vec<String> = parent.iter().enumerate().filter(|(i, _)| *i != idx).map(|(_, p)| p.clone()).collect();
            key.push(format!("{stem}.{ext}"));
            return Some((tag_of(&lowered_part)?, key.join("/")));
        }
    }
    None
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), DirError> {
    let mut entries: Vec<_> = std::fs::read_dir(dir).map_err(|source| DirError::Io { path: dir.to_path_buf(), source })?.filter_map(Result::ok).collect();
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let Ok(kind) = entry.file_type() else { continue };
        if kind.is_dir() {
            walk(&entry.path(), files)?;
        } else if kind.is_file() {
            files.push(entry.path());
        }
    }
    Ok(())
}

/// The documents under `root`, with the number of files that carry no language marker.
pub fn discover(root: &Path) -> Result<(Vec<DocumentGroup>, usize), DirError> {
    let mut files = Vec::new();
    walk(root, &mut files)?;
    let mut groups: BTreeMap<String, DocumentGroup> = BTreeMap::new();
    let mut unmarked = 0;
    for path in files {
        let relative = path.strip_prefix(root).unwrap_or(&path);
        let Some((tag, key)) = classify(relative) else {
            unmarked += 1;
            continue;
        };
        let group = groups.entry(key.clone()).or_insert_with(|| DocumentGroup { key, files: Vec::new(), extra: Vec::new() });
        if group.files.iter().any(|(other, _)| other.lang == tag.lang) {
            group.extra.push(path);
        } else {
            group.files.push((tag, path));
        }
    }
    let mut groups: Vec<DocumentGroup> = groups.into_values().collect();
    for group in &mut groups {
        group.files.sort_by_key(|(tag, _)| Lang::ALL.iter().position(|lang| *lang == tag.lang));
    }
    Ok((groups, unmarked))
}

/// The documents of a folder tree, read and not yet audited ([`read_dir`]).
#[derive(Debug)]
pub struct FolderDocuments {
    /// The documents, in the folder's order (by key).
    pub groups: Vec<DocumentGroup>,
    /// Each document's versions, or why they could not be read.
    pub versions: Vec<Result<Vec<Version>, DirError>>,
    /// Files that carry no language marker.
    pub unmarked: usize,
    /// The words of every version read (the corpus word list).
    corpus: Vocabulary,
}

/// Finds and reads the documents under `root` (everything is read before any is audited: the
/// corpus word list needs all of them).
pub fn read_dir(root: &Path) -> Result<FolderDocuments, DirError> {
    let (groups, unmarked) = discover(root)?;
    let mut versions: Vec<Result<Vec<Version>, DirError>> = Vec::with_capacity(groups.len());
    let mut corpus = Vocabulary::default();
    for group in &groups {
        let read: Result<Vec<Version>, DocumentError> =
            group.files.iter().map(|(tag, path)| read_document(path).map(|document| Version { tag: *tag, document })).collect();
        match read {
            Ok(read) => {
                for version in &read {
                    for block in &version.document.blocks {
                        corpus.add_segment(version.tag.lang, &block.text);
                    }
                }
                versions.push(Ok(read));
            }
            Err(err) => versions.push(Err(err.into())),
        }
    }
    Ok(FolderDocuments { groups, versions, unmarked, corpus })
}

/// Audits the documents read by [`read_dir`], in the folder's order; `progress(done, total,
/// key)` reports each one. Each document's translations are compared with those of the
/// documents before it (`inconsistent-translation`): a text translated differently than in an
/// earlier document is reported on the later one.
pub fn audit_read(folder: FolderDocuments, config: &AuditConfig, resources: &Resources, progress: &mut dyn FnMut(usize, usize, &str)) -> Vec<DocumentOutcome> {
    let FolderDocuments { groups, versions, corpus, .. } = folder;
    let mut resources = Resources { corpus: Some(Arc::new(corpus)), ..resources.clone() };
    // The first translation seen of each text; one map for the folder, extended in place
    // after each document (the audit's reference to it is dropped by then).
    let mut known = Arc::new(KnownTranslations::default());
    let total = groups.len();
    let mut outcomes = Vec::with_capacity(total);
    for (idx, (group, versions)) in groups.into_iter().zip(versions).enumerate() {
        progress(idx, total, &group.key);
        resources.folder = Some(Arc::clone(&known));
        let audited = versions.and_then(|versions| audit_collecting(&versions, None, config, &resources, true).map_err(DirError::from));
        resources.folder = None;
        let report = audited.map(|(report, translations)| {
            let folder = Arc::make_mut(&mut known);
            for (source, target, source_key, translation) in translations {
                folder.add(source, target, source_key, translation, true);
            }
            report
        });
        outcomes.push(DocumentOutcome { group, report });
    }
    progress(total, total, "");
    outcomes
}

/// Audits every document under `root` ([`read_dir`], then [`audit_read`]); `progress(done,
/// total, key)` reports each one. Returns the outcomes and the number of files without a
/// language marker.
pub fn audit_dir(
    root: &Path,
    config: &AuditConfig,
    resources: &Resources,
    progress: &mut dyn FnMut(usize, usize, &str),
) -> Result<(Vec<DocumentOutcome>, usize), DirError> {
    let folder = read_dir(root)?;
    let unmarked = folder.unmarked;
    Ok((audit_read(folder, config, resources, progress), unmarked))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(path: &str, expected: Option<(&str, &str)>) {
        let got = classify(Path::new(path)).map(|(tag, key)| (tag.to_string(), key));
        assert_eq!(got, expected.map(|(tag, key)| (tag.to_string(), key.to_string())), "{path}");
    }

    #[test]
    fn naming_conventions() {
        check("vendim.sq.html", Some(("sq", "vendim.html")));
        check("lajme/vendim.sr-Latn.html", Some(("sr-Latn", "lajme/vendim.html")));
        check("vendim-sr.docx", Some(("sr", "vendim.docx")));
        check("vendim_SQ.md", Some(("sq", "vendim.md")));
        check("sq/lajme/vendim.html", Some(("sq", "lajme/vendim.html")));
        check("web/sr/lajme/vendim.html", Some(("sr", "web/lajme/vendim.html")));
        check("vendim.html", None);
        check("vendim.sq.pdf", None);
        check("en.txt", None);
    }

    #[test]
    fn pairs_and_orphans() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("a.sq.txt", "Komuna: Junik\nNjë vendim i ri për rrugët.");
        write("a.sr.txt", "Opština: Junik\nNova odluka o putevima.");
        write("b-sq.txt", "Komuna: Junik\nNjoftim për banorët.");
        write("notes.txt", "pa gjuhë");
        let mut seen = Vec::new();
        let (outcomes, unmarked) =
            audit_dir(dir.path(), &AuditConfig::default(), &Resources::default(), &mut |done, total, _| seen.push((done, total))).unwrap();
        assert_eq!(unmarked, 1);
        assert_eq!(outcomes.len(), 2);
        assert_eq!(seen.last(), Some(&(2, 2)));
        let b = outcomes.iter().find(|o| o.group.key == "b.txt").unwrap();
        let report = b.report.as_ref().unwrap();
        assert_eq!(report.findings.iter().filter(|f| f.check == "missing-version").map(|f| f.lang.as_str()).collect::<Vec<_>>(), vec!["sr"]);
    }
}
