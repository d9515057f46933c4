//! Auditing one document's language versions, with its history: the report is recorded in
//! the data directory's audit history under the document's identity, and compared with the
//! last recorded audit of the same document ("what was fixed, what is new"). Auditing a folder
//! tree. Both can compare the translations with the data directory's translation memory (exact
//! matches of the original's segments, looked up here and handed to the audit as data).
//!
//! Deliberately not here: reading the versions from paths or uploads (`audit::input`), the
//! findings themselves (`audit`), the record and comparison logic (`audit::history`), and
//! rendering the report.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;

use super::UseCaseError;
use crate::Workspace;
use crate::audit::context::content_key;
use crate::audit::dir::DocumentOutcome;
use crate::audit::history::{self, AuditRecord, Comparison};
use crate::audit::prose::prose;
use crate::audit::translations::{KnownTranslation, MIN_CONTENT_WORDS, Origin, text_key};
use crate::audit::{AuditConfig, KnownTranslations, Report, Version, original_version};
use crate::model::lang::Lang;
use crate::store::Store;

/// What to do with the audit history.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    /// The document's identity (default: a hash of its versions' paths and municipality).
    pub id: Option<String>,
    /// Record this audit.
    pub record: bool,
    /// Compare this audit with the last recorded one.
    pub compare_last: bool,
}

impl History {
    /// Whether the history is touched at all.
    pub fn is_used(&self) -> bool {
        self.record || self.compare_last
    }
}

/// What the history said about an audit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryOutcome {
    /// The document's identity in the history.
    pub id: String,
    /// Whether this audit was recorded.
    pub recorded: bool,
    /// The comparison with the last recorded audit: `None` when none was asked for or none
    /// was recorded before.
    pub comparison: Option<Comparison>,
}

/// Audits `versions` under `config` with the resources the policy names. With
/// `config.translation_memory`, each translated segment is also compared with the translation
/// memory of `memory` (the open data directory; nothing is compared without one).
pub fn run(versions: &[Version], municipality: Option<&str>, config: &AuditConfig, memory: Option<&Workspace>) -> Result<Report, UseCaseError> {
    let mut resources = crate::audit::input::resources_for(config);
    if let Some(workspace) = memory.filter(|_| config.translation_memory) {
        resources.memory = Some(Arc::new(memory_translations(workspace, [versions], config)?));
    }
    Ok(crate::audit::audit(versions, municipality, config, &resources)?)
}

/// Audits every document under `root` (`audit::dir`), with the translation memory as
/// [`run`] does; `progress(done, total, key)` reports each document. Returns the outcomes and
/// the number of files without a language marker.
pub fn run_dir(
    root: &Path,
    config: &AuditConfig,
    memory: Option<&Workspace>,
    progress: &mut dyn FnMut(usize, usize, &str),
) -> Result<(Vec<DocumentOutcome>, usize), UseCaseError> {
    let folder = crate::audit::dir::read_dir(root)?;
    let mut resources = crate::audit::input::resources_for(config);
    if let Some(workspace) = memory.filter(|_| config.translation_memory) {
        let documents = folder.versions.iter().filter_map(|versions| versions.as_ref().ok()).map(Vec::as_slice);
        resources.memory = Some(Arc::new(memory_translations(workspace, documents, config)?));
    }
    let unmarked = folder.unmarked;
    Ok((crate::audit::dir::audit_read(folder, config, &resources, progress), unmarked))
}

/// At most this many units the word index proposes for one segment looked up in the TM; the
/// units whose text is the segment's rank first (the shortest that contain its words).
const MEMORY_CANDIDATES: usize = 20;

/// The translation memory's translations of the original segments of `documents` (each one
/// document's versions): for each segment of the original ([`original_version`]) with enough
/// content words to be judged, the units whose variant in its language is the same text
/// ([`Workspace::exact_matches`]), with their variants in every other language. Each distinct
/// text is looked up once.
pub fn memory_translations<'v>(
    workspace: &Workspace,
    documents: impl IntoIterator<Item = &'v [Version]>,
    config: &AuditConfig,
) -> Result<KnownTranslations, UseCaseError> {
    let mut known = KnownTranslations::default();
    let mut looked_up: HashSet<(Lang, String)> = HashSet::new();
    for versions in documents {
        if versions.len() < 2 {
            continue;
        }
        let original = &versions[original_version(versions, config)];
        let source_lang = original.tag.lang;
        for block in &original.document.blocks {
            if content_key(&prose(&block.text), config.lexicon()).1 < MIN_CONTENT_WORDS {
                continue;
            }
            let source_key = text_key(&block.text);
            if !looked_up.insert((source_lang, source_key.clone())) {
                continue;
            }
            for unit in workspace.exact_matches(&block.text, source_lang, MEMORY_CANDIDATES).map_err(UseCaseError::Memory)? {
                for variant in unit.variants.iter().filter(|variant| variant.lang.lang != source_lang && !variant.text.trim().is_empty()) {
                    let translation = KnownTranslation::new(&variant.text, Origin::Memory { unit: unit.id.clone() }, config.lexicon());
                    known.add(source_lang, variant.lang.lang, source_key.clone(), translation, false);
                }
            }
        }
    }
    Ok(known)
}

/// The identity `report` has in the history.
pub fn document_id(report: &Report, history: &History) -> String {
    let paths: Vec<String> = report.documents.iter().map(|doc| doc.path.clone()).collect();
    history::document_id(history.id.as_deref(), &paths, report.municipality.as_deref())
}

/// Compares `report` with the last recorded audit of its document (when asked), then records
/// it (when asked): the comparison is with the audit before this one.
pub fn apply_history(store: &Store, report: &Report, history: &History) -> Result<HistoryOutcome, UseCaseError> {
    let id = document_id(report, history);
    let comparison = if history.compare_last { last_record(store, &id)?.map(|previous| history::compare(&previous, report)) } else { None };
    if history.record {
        let now = history::now_nanos();
        let record = history::record(&id, now, report);
        let bytes = serde_json::to_vec(&record).map_err(|source| UseCaseError::Record { id: id.clone(), source })?;
        store.put_audit(&id, now, &bytes)?;
    }
    Ok(HistoryOutcome { id, recorded: history.record, comparison })
}

/// The last recorded audit of document `id`.
pub fn last_record(store: &Store, id: &str) -> Result<Option<AuditRecord>, UseCaseError> {
    let Some((_, bytes)) = store.last_audit(id)? else { return Ok(None) };
    serde_json::from_slice(&bytes).map(Some).map_err(|source| UseCaseError::Record { id: id.to_string(), source })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::checks::tests::run as audit_texts;

    #[test]
    fn records_then_compares_with_the_record_before() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let before = audit_texts(&[("sq", "Komuna: Junik\nZbraz kоshin tani."), ("sr", "Opština: Junik\nIsprazni korpu sada.")], &Default::default());
        let after = audit_texts(&[("sq", "Komuna: Junik\nZbraz koshin tani."), ("sr", "Opština: Junik\nIsprazni korpu sada.")], &Default::default());
        let history = History { id: Some("doc".into()), record: true, compare_last: true };
        let first = apply_history(&store, &before, &history).unwrap();
        assert_eq!((first.id.as_str(), first.recorded, first.comparison.is_none()), ("doc", true, true));
        let second = apply_history(&store, &after, &history).unwrap();
        let comparison = second.comparison.expect("compared with the first audit");
        assert_eq!(comparison.fixed.len(), 1);
        assert!(comparison.new.is_empty());
        let unrecorded = apply_history(&store, &after, &History { record: false, ..history }).unwrap();
        assert_eq!(unrecorded.comparison.map(|c| c.fixed.len()), Some(0), "compared with the second audit");
    }
}
