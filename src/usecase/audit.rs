//! Auditing one document's language versions, with its history: the report is recorded in
//! the data directory's audit history under the document's identity, and compared with the
//! last recorded audit of the same document ("what was fixed, what is new").
//!
//! Deliberately not here: reading the versions from paths or uploads (`audit::input`), the
//! findings themselves (`audit`), the record and comparison logic (`audit::history`), and
//! rendering the report.

use serde::Serialize;

use super::UseCaseError;
use crate::audit::history::{self, AuditRecord, Comparison};
use crate::audit::{AuditConfig, Report, Version};
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

/// Audits `versions` under `config` with the resources the policy names.
pub fn run(versions: &[Version], municipality: Option<&str>, config: &AuditConfig) -> Result<Report, UseCaseError> {
    let resources = crate::audit::input::resources_for(config);
    Ok(crate::audit::audit(versions, municipality, config, &resources)?)
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
