//! A data directory opened for work: the store (truth) and the search index (derived), kept
//! in step. Every write goes to the store first, durably and atomically, then to the index.

use std::path::Path;

use crate::index::{IndexError, OpenOutcome, SearchIndex};
use crate::memory::TranslationUnit;
use crate::store::{Store, StoreError, WriteSummary};

/// Why a data directory could not be opened or written.
#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    /// The store failed or refused.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The index failed.
    #[error(transparent)]
    Index(#[from] IndexError),
}

impl WorkspaceError {
    /// True when the user can fix the cause (see [`StoreError::is_user_error`]).
    pub fn is_user_error(&self) -> bool {
        match self {
            WorkspaceError::Store(err) => err.is_user_error(),
            WorkspaceError::Index(IndexError::Store(err)) => err.is_user_error(),
            WorkspaceError::Index(_) => false,
        }
    }
}

/// An open data directory.
#[derive(Debug)]
pub struct Workspace {
    /// The source of truth.
    pub store: Store,
    /// The derived search index.
    pub index: SearchIndex,
}

impl Workspace {
    /// Opens the data directory `dir` (creating it), rebuilding the index if it is missing or
    /// stale; `progress(done, total)` reports a rebuild.
    pub fn open(dir: &Path, progress: &mut dyn FnMut(u64, u64)) -> Result<(Workspace, OpenOutcome), WorkspaceError> {
        let store = Store::open(dir)?;
        let (index, outcome) = SearchIndex::open(&store, progress)?;
        Ok((Workspace { store, index }, outcome))
    }

    /// Stores `units` (all or nothing, durable) and indexes the new ones.
    pub fn add_units(&self, units: &[TranslationUnit]) -> Result<WriteSummary, WorkspaceError> {
        let (summary, keys) = self.store.put_units(units)?;
        if summary.stored > 0 {
            let generation = self.store.generation()?;
            let mut new_units = Vec::with_capacity(keys.len());
            let wanted: std::collections::HashSet<u64> = keys.iter().copied().collect();
            let mut taken = std::collections::HashSet::with_capacity(keys.len());
            for unit in units {
                let key = unit.key();
                if wanted.contains(&key) && taken.insert(key) {
                    new_units.push((key, unit.clone()));
                }
            }
            self.index.add_units(&new_units, generation)?;
        }
        Ok(summary)
    }

    /// Rebuilds the search index from the store.
    pub fn reindex(&mut self, progress: &mut dyn FnMut(u64, u64)) -> Result<(), WorkspaceError> {
        self.index = SearchIndex::rebuild(&self.store, progress)?;
        Ok(())
    }
}
