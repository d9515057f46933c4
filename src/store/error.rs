//! Store errors: the data directory's state (locked, not writable, too new) apart from
//! failures of the storage engine.

use std::path::PathBuf;

use crate::problem::{Classify, ErrorClass, Hint};

/// Why the store could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another process has the data directory open.
    /// ([`Hint::OtherDataDir`])
    #[error("data directory {dir} is in use by another termbridge process ({holder})")]
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
    /// The disk holding the data directory is full, or a file reached the process's file
    /// size limit. Nothing of the write that met it was stored.
    #[error("the store cannot grow: {cause}; free space on the disk of the data directory (or raise the file size limit) and restart termbridge")]
    NoSpace {
        /// What the operating system reported, in words (with the OS error number).
        cause: String,
    },
    /// An earlier write failed in the engine; writes are refused until termbridge restarts.
    #[error("the store refuses writes after an earlier failure ({0}); restart termbridge")]
    Stopped(String),
    /// The storage engine failed (I/O, …).
    #[error("storage failure: {0}")]
    Engine(sled::Error),
}

/// The words for an I/O error that means the data cannot grow, or `None` for any other error.
pub fn no_space_cause(err: &std::io::Error) -> Option<String> {
    use std::io::ErrorKind;
    let what = match err.kind() {
        ErrorKind::StorageFull => "no space left on the device",
        ErrorKind::FileTooLarge => "a file reached the size limit of the process (RLIMIT_FSIZE)",
        ErrorKind::QuotaExceeded => "the disk quota is exceeded",
        _ => return None,
    };
    Some(match err.raw_os_error() {
        Some(code) => format!("{what} (os error {code})"),
        None => what.to_string(),
    })
}

/// [`no_space_cause`] for the first I/O error in `err`'s chain of sources. Errors that carry
/// an I/O error only as text (tantivy's errors from its indexing threads) are recognised by
/// the operating system's error numbers for a full disk (28), a file size limit (27) and an
/// exceeded quota (122).
pub fn no_space_cause_in(err: &(dyn std::error::Error + 'static)) -> Option<String> {
    let mut current = Some(err);
    while let Some(cause) = current {
        if let Some(io) = cause.downcast_ref::<std::io::Error>()
            && let Some(words) = no_space_cause(io)
        {
            return Some(words);
        }
        current = cause.source();
    }
    let text = err.to_string();
    [(28, std::io::ErrorKind::StorageFull), (27, std::io::ErrorKind::FileTooLarge), (122, std::io::ErrorKind::QuotaExceeded)]
        .into_iter()
        .find(|(code, _)| text.contains(&format!("os error {code})")) || text.contains(&format!("code: {code},")))
        .and_then(|(code, _)| no_space_cause(&std::io::Error::from_raw_os_error(code)))
}

impl From<sled::Error> for StoreError {
    fn from(err: sled::Error) -> StoreError {
        if let sled::Error::Io(io) = &err
            && let Some(cause) = no_space_cause(io)
        {
            return StoreError::NoSpace { cause };
        }
        StoreError::Engine(err)
    }
}

impl Classify for StoreError {
    /// The user can fix another process holding the directory, its permissions, the version
    /// and a damaged dump; a full disk is the host's; the rest is a failure of the engine.
    fn class(&self) -> ErrorClass {
        match self {
            StoreError::Locked { .. } | StoreError::NotWritable { .. } | StoreError::TooNew { .. } => ErrorClass::Refused,
            StoreError::Dump(_) => ErrorClass::Input,
            StoreError::NoSpace { .. } => ErrorClass::OutOfSpace,
            StoreError::Corrupt(_) | StoreError::Io(_) | StoreError::Stopped(_) | StoreError::Engine(_) => ErrorClass::Internal,
        }
    }

    fn hint(&self) -> Option<Hint> {
        matches!(self, StoreError::Locked { .. }).then_some(Hint::OtherDataDir)
    }
}

impl StoreError {
    /// True when the disk is full or a file size limit was reached.
    pub fn is_no_space(&self) -> bool {
        matches!(self, StoreError::NoSpace { .. })
    }
}
