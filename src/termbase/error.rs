//! Term base errors: input the user has to fix (a file, its line and what is wrong there)
//! apart from failures of the store.

use crate::store::StoreError;

/// Why a term base file could not be read or stored.
#[derive(Debug, thiserror::Error)]
pub enum TermbaseError {
    /// A file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A term base file is not valid; nothing of it was stored.
    #[error("{path}:{line}: {message}")]
    Invalid {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// What is wrong, naming the value.
        message: String,
    },
    /// Two files of one import define the same concept id.
    #[error("concept {id:?} is defined in both {first} and {second}")]
    DuplicateConcept {
        /// The concept id.
        id: String,
        /// The file read first.
        first: String,
        /// The file read second.
        second: String,
    },
    /// The term base shipped with termbridge does not load: a defect of the build.
    #[error("the shipped term base is damaged: {0}")]
    Shipped(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl TermbaseError {
    /// True when the user can fix the cause (a bad file, a held data directory), as opposed
    /// to a failure of termbridge or the disk.
    pub fn is_user_error(&self) -> bool {
        match self {
            TermbaseError::Io { .. } | TermbaseError::Invalid { .. } | TermbaseError::DuplicateConcept { .. } => true,
            TermbaseError::Store(err) => err.is_user_error(),
            TermbaseError::Shipped(_) => false,
        }
    }
}
