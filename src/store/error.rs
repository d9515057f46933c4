//! Store errors: the data directory's state (locked, not writable, too new) apart from
//! failures of the storage engine.

use std::path::PathBuf;

/// Why the store could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another process has the data directory open.
    #[error("data directory {dir} is in use by another termbridge process ({holder}); stop it or pass another --data-dir")]
    Locked {
        /// The data directory.
        dir: PathBuf,
        /// What the lock file says about its holder.
        holder: String,
    },
    /// The data directory cannot be created or written.
    #[error("data directory {dir} is not writable: {source}")]
    NotWritable {
        /// The data directory.
        dir: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The store was written by a newer termbridge.
    #[error("the store has schema version {found}, this termbridge reads up to {supported}; upgrade termbridge")]
    TooNew {
        /// Version found on disk.
        found: u64,
        /// Newest version this build reads.
        supported: u32,
    },
    /// The store's content is not what this build expects.
    #[error("store is damaged: {0}")]
    Corrupt(String),
    /// A store dump (a backup) is damaged, truncated or not a dump at all.
    #[error("store dump is unusable: {0}")]
    Dump(String),
    /// Reading or writing a dump failed.
    #[error("dump i/o failed: {0}")]
    Io(String),
    /// The storage engine failed (I/O, disk full, …).
    #[error("storage failure: {0}")]
    Engine(#[from] sled::Error),
}

impl StoreError {
    /// True when the user can fix the cause (another process, permissions, version), as
    /// opposed to a failure of the storage engine.
    pub fn is_user_error(&self) -> bool {
        matches!(self, StoreError::Locked { .. } | StoreError::NotWritable { .. } | StoreError::TooNew { .. } | StoreError::Dump(_))
    }
}
