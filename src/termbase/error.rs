//! Term base errors: input the user has to fix (a file, its line and what is wrong there)
//! apart from failures of the store.

use crate::problem::{Classify, ErrorClass, Hint, Problem, ProblemKind};
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
    /// The error as a [`Problem`] (file, line, reason) when it is about one file.
    pub fn problem(&self) -> Option<Problem> {
        let (path, line, kind, reason) = match self {
            TermbaseError::Io { path, source } => (path, None, ProblemKind::Io, source.to_string()),
            TermbaseError::Invalid { path, line, message } => (path, Some(*line), ProblemKind::Syntax, message.clone()),
            TermbaseError::DuplicateConcept { .. } | TermbaseError::Shipped(_) | TermbaseError::Store(_) => return None,
        };
        Some(Problem { file: path.clone(), line, column: None, kind, reason, hint: None })
    }
}

impl Classify for TermbaseError {
    /// The user can fix a bad file or a held data directory; a shipped term base that does
    /// not load is a defect of the build.
    fn class(&self) -> ErrorClass {
        match self {
            TermbaseError::Io { source, .. } => match ErrorClass::of_io(source) {
                ErrorClass::Internal => ErrorClass::Input,
                class => class,
            },
            TermbaseError::Invalid { .. } | TermbaseError::DuplicateConcept { .. } => ErrorClass::Input,
            TermbaseError::Store(err) => err.class(),
            TermbaseError::Shipped(_) => ErrorClass::Internal,
        }
    }

    fn hint(&self) -> Option<Hint> {
        match self {
            TermbaseError::Store(err) => err.hint(),
            _ => None,
        }
    }
}
