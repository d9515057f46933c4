//! Use cases shared by the front ends: importing files into the data directory, auditing a
//! document with its history, exporting the translation memory and the term base. The command
//! line (`cli/`) and the HTTP API (`api/`) both call these, so an import, an audit or an export
//! does the same work, in the same order, with the same outcome, whichever way it was asked.
//!
//! Each use case takes plain values (paths and names, options, an open [`Workspace`] or
//! [`Store`]), reports progress through a callback, and returns a typed, serialisable outcome
//! that each front end renders in its own words.
//!
//! Deliberately not here: parsing arguments or requests, progress bars, HTTP status codes,
//! exit codes, and messages naming a command-line flag or a request field.
//!
//! [`Workspace`]: crate::Workspace
//! [`Store`]: crate::store::Store

pub mod audit;
pub mod export;
pub mod import;
pub mod monitor;

use crate::WorkspaceError;
use crate::audit::AuditError;
use crate::formats::FormatError;
use crate::problem::{Classify, ErrorClass, Hint};
use crate::store::StoreError;
use crate::termbase::TermbaseError;

/// Why a use case failed.
#[derive(Debug, thiserror::Error)]
pub enum UseCaseError {
    /// A translation memory file could not be read (or its format told).
    #[error(transparent)]
    Format(#[from] FormatError),
    /// A term base file could not be read, or two files define one concept.
    #[error(transparent)]
    Termbase(#[from] TermbaseError),
    /// The format of a term base file is not told by its name.
    #[error("{file}: unknown term base format")]
    UnknownTermsFormat {
        /// The file, as the caller named it.
        file: String,
    },
    /// Writing what was read from `file` into the data directory failed.
    #[error("{file}: {source}")]
    Write {
        /// The file, as the caller named it.
        file: String,
        /// Why.
        #[source]
        source: WorkspaceError,
    },
    /// The audit could not run.
    #[error(transparent)]
    Audit(#[from] AuditError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The stored record of an earlier audit cannot be read.
    #[error("the stored audit record of {id} cannot be read: {source}")]
    Record {
        /// The document's identity in the history.
        id: String,
        /// Why.
        #[source]
        source: serde_json::Error,
    },
    /// The translation memory could not be searched.
    #[error("cannot search the translation memory: {0}")]
    Memory(#[source] WorkspaceError),
    /// A folder to audit could not be listed, or a document of it read.
    #[error(transparent)]
    Dir(#[from] crate::audit::dir::DirError),
    /// Writing an export failed.
    #[error("cannot write the export: {0}")]
    Io(#[from] std::io::Error),
    /// A monitoring use case refused or failed.
    #[error(transparent)]
    Monitor(#[from] monitor::MonitorError),
}

impl Classify for UseCaseError {
    /// The class of the failure it wraps; an unknown term base format is the user's to name,
    /// an unreadable audit record or a failed export write is ours.
    fn class(&self) -> ErrorClass {
        match self {
            UseCaseError::Format(err) => err.class(),
            UseCaseError::Termbase(err) => err.class(),
            UseCaseError::UnknownTermsFormat { .. } => ErrorClass::Input,
            UseCaseError::Audit(err) => err.class(),
            UseCaseError::Write { source, .. } | UseCaseError::Memory(source) => source.class(),
            UseCaseError::Dir(err) => err.class(),
            UseCaseError::Store(err) => err.class(),
            UseCaseError::Record { .. } => ErrorClass::Internal,
            UseCaseError::Io(err) => ErrorClass::of_io(err),
            UseCaseError::Monitor(err) => err.class(),
        }
    }

    fn hint(&self) -> Option<Hint> {
        match self {
            UseCaseError::Format(err) => err.hint(),
            UseCaseError::Termbase(err) => err.hint(),
            UseCaseError::UnknownTermsFormat { .. } => Some(Hint::TermsFormat),
            UseCaseError::Audit(err) => err.hint(),
            UseCaseError::Write { source, .. } | UseCaseError::Memory(source) => source.hint(),
            UseCaseError::Dir(err) => err.hint(),
            UseCaseError::Store(err) => err.hint(),
            UseCaseError::Record { .. } | UseCaseError::Io(_) => None,
            UseCaseError::Monitor(err) => err.hint(),
        }
    }
}
