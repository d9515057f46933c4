//! The starter term base shipped in the binary: `glossaries/kosovo/terms.csv` (long-form
//! CSV, one row per term, every row with its source; provenance in
//! `glossaries/kosovo/TERMS-PROVENANCE.md`), loaded into an empty store on first use.
//!
//! The file holds Serbian in the script(s) the sources used; the other script is derived
//! when the file is read and marked as such, never written back into the file.

use super::csv::parse_csv;
use super::error::TermbaseError;
use super::model::{Concept, ConceptWriteSummary};
use crate::store::Store;

/// The shipped term base, as CSV.
pub const SHIPPED_CSV: &str = include_str!("../../glossaries/kosovo/terms.csv");

/// The path of the shipped file in the source tree, as messages name it.
pub const SHIPPED_PATH: &str = "glossaries/kosovo/terms.csv";

/// The concepts of the shipped term base, with derived Serbian scripts.
pub fn shipped_concepts() -> Result<Vec<Concept>, TermbaseError> {
    parse_csv(SHIPPED_CSV, SHIPPED_PATH).map(|imported| imported.concepts).map_err(|err| TermbaseError::Shipped(err.to_string()))
}

/// Loads the shipped term base into `store` when it holds no concept yet, and does nothing
/// otherwise; safe to call on every start. Returns what was written, or `None` when the store
/// already had concepts.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let store = termbridge::store::Store::open(dir.path()).unwrap();
/// assert!(termbridge::termbase::load_shipped(&store).unwrap().is_some());
/// assert!(termbridge::termbase::load_shipped(&store).unwrap().is_none());
/// ```
pub fn load_shipped(store: &Store) -> Result<Option<ConceptWriteSummary>, TermbaseError> {
    if store.concept_count()? > 0 {
        return Ok(None);
    }
    let concepts = shipped_concepts()?;
    Ok(store.put_concepts_if_empty(&concepts)?)
}
