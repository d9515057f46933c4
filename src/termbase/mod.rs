//! The term base: concepts and their terms in every language and script, lookup, term
//! recognition in text, and the terminology checks the audit builds on.
//!
//! - Concepts: a [`Concept`](crate::model::Concept) with [`Term`](crate::model::Term)s (the
//!   model's types), checked on import ([`clean_term`], [`check_concept`]); Serbian terms
//!   exist in both scripts, the missing one [derived](derive_serbian_scripts) by
//!   transliteration.
//! - Files: CSV in a long and a wide form ([`parse_csv`], [`write_csv`]); TBX 2019 and 2008 in
//!   [`tbx`] ([`tbx::read_tbx`], [`tbx::write_tbx`]), read through the shared safe XML reader.
//!   [`read_file`] picks the reader by extension.
//! - Store: concepts live in the store's `concepts` tree ([`crate::store::Store::put_concepts`]);
//!   [`load_shipped`] fills an empty store with the Kosovo starter term base.
//! - [`TermIndex`]: built once from the concepts; [`TermIndex::lookup`] finds concepts from a
//!   word or phrase through the tiers exact → case/punct/diacritics/script → stem → fuzzy →
//!   prefix; [`TermIndex::recognize`] finds every term occurrence in a text.
//! - [`check_document`]: `term-missing`, `term-forbidden`, `term-inconsistent` over aligned
//!   segments; usage notes that programs read ([`supersession`], [`correct_in`]) make a
//!   superseded term information in older documents and a deprecated word right in its fixed
//!   phrases.
//! - [`lint`]: checks a whole term base for what review by hand finds (scripts, look-alike
//!   letters, statuses that contradict each other, head words, sources, dates, duplicates).
//!
//! What it deliberately does not do: guess a query's language, translate, or hold a cache
//! that outlives a store change (rebuild the [`TermIndex`] after writing concepts).

mod check;
mod csv;
mod error;
mod index;
mod inflect;
mod lint;
mod lookup;
mod model;
mod recognize;
mod shipped;
pub mod tbx;
mod usage;

use std::path::Path;

pub use check::{SegmentPair, Side, TermCheck, TermFinding, check_document, check_forbidden, check_pair};
pub use csv::{parse_csv, read_csv, write_csv};
pub use error::TermbaseError;
pub use index::TermIndex;
pub use lint::{LintFinding, LintRule, LintSummary, lint, lint_summary};
pub use lookup::{LookupHit, LookupOptions};
pub use model::{EntryError, ImportWarning, Imported, check_concept, clean_term, clean_text, derive_serbian_scripts, normalize_pos};
pub use recognize::Occurrence;
pub use shipped::{SHIPPED_CSV, SHIPPED_PATH, load_shipped, shipped_concepts};
pub use usage::{Supersession, TermDate, correct_in, latest_date, mentions_replacement, phrase_covering, supersession};

use crate::store::Store;

/// A term base file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    /// TBX (ISO 30042:2019 or the 2008 `martif` form).
    Tbx,
    /// CSV, long or wide form.
    Csv,
}

impl FileFormat {
    /// The format a file's extension names (`.tbx`, `.csv`), if any.
    pub fn from_path(path: &Path) -> Option<FileFormat> {
        match path.extension().and_then(|ext| ext.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("tbx" | "xml") => Some(FileFormat::Tbx),
            Some("csv") => Some(FileFormat::Csv),
            _ => None,
        }
    }
}

/// Reads a term base file in `format`.
pub fn read_file(path: &Path, format: FileFormat) -> Result<Imported, TermbaseError> {
    match format {
        FileFormat::Csv => read_csv(path),
        FileFormat::Tbx => tbx::read_tbx(path),
    }
}

/// Builds the term index from everything the store holds.
pub fn index_from_store(store: &Store) -> Result<TermIndex, TermbaseError> {
    Ok(TermIndex::build(store.concepts()?))
}

/// Builds a term index from `(concept id, language, term, status)` rows, consecutive rows of
/// one id forming one concept; Serbian scripts are derived as at import. For unit tests.
#[cfg(test)]
pub(crate) fn test_index(rows: &[(&str, &str, &str, crate::model::TermStatus)]) -> TermIndex {
    use crate::model::{Concept, Term};
    let mut concepts: Vec<Concept> = Vec::new();
    for (id, lang, text, status) in rows {
        if concepts.last().is_none_or(|concept| concept.id != *id) {
            concepts.push(Concept::new(*id));
        }
        let tag = crate::model::lang::LangTag::parse(lang).expect("test rows use valid tags");
        concepts.last_mut().expect("pushed above").terms.push(Term::new(tag, *text, *status));
    }
    for concept in &mut concepts {
        model::derive_serbian_scripts(concept);
    }
    TermIndex::build(concepts)
}
