//! Structured problems and the classes of every error: what a reader or an operation found
//! wrong, where ([`Problem`]: file, line, column), of what kind, and what the user can give
//! to fix it ([`Hint`]); and one [`ErrorClass`] per error, so each front end maps every
//! library error the same way (one table to HTTP statuses in `api/error.rs`, one to exit
//! codes in the command line).
//!
//! Deliberately not here: how a hint is worded. The library names what is missing (a target
//! language, a format); the command line says `--tgt`, the HTTP service `target_lang`.
//! Library messages never name a command-line flag or an HTTP field. This module depends on
//! nothing else in the crate, so every folder can use it.

use std::fmt;

/// What the user can give or do to fix a problem. Each front end words it in its own terms:
/// the command line names its flags, the HTTP service its parameters and JSON fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Hint {
    /// Name the source language.
    SourceLanguage,
    /// Name the target language.
    TargetLanguage,
    /// Name both the source and the target language.
    SourceAndTargetLanguages,
    /// Name the file format (`tmx`, `xliff`, `po`, `csv`, `tsv` or `text`).
    Format,
    /// Name the term base format (`tbx` or `csv`).
    TermsFormat,
    /// Name the language of each plain text file, one per file, in order.
    FileLanguages,
    /// Allow replacing existing content.
    Force,
    /// Stop the process holding the data directory, or use another one.
    OtherDataDir,
    /// Look up the ids of the known checks.
    CheckIds,
}

/// Who has to act on an error: the user (the input is wrong, missing, conflicting or refused)
/// or termbridge and its host (out of space, internal failure).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    /// The input is wrong: a malformed file, a bad value, a missing option.
    Input,
    /// Something named does not exist (a file, a directory, a record).
    NotFound,
    /// The request conflicts with what is there (a destination that exists, a non-empty
    /// directory).
    Conflict,
    /// The operation is refused in the current state (a locked or read-only data directory, a
    /// store written by a newer version).
    Refused,
    /// The disk is full or a size limit of the host was reached.
    OutOfSpace,
    /// termbridge or its storage failed; the user cannot fix it by changing the input.
    Internal,
}

impl ErrorClass {
    /// True when the user can fix the cause by changing what they gave or did.
    pub fn is_user(self) -> bool {
        matches!(self, ErrorClass::Input | ErrorClass::NotFound | ErrorClass::Conflict | ErrorClass::Refused)
    }

    /// The class of an I/O error met while reading something the user named.
    pub fn of_io(err: &std::io::Error) -> ErrorClass {
        use std::io::ErrorKind;
        match err.kind() {
            ErrorKind::NotFound => ErrorClass::NotFound,
            ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => ErrorClass::Refused,
            ErrorKind::IsADirectory | ErrorKind::NotADirectory | ErrorKind::InvalidData | ErrorKind::InvalidInput => ErrorClass::Input,
            ErrorKind::AlreadyExists => ErrorClass::Conflict,
            ErrorKind::StorageFull | ErrorKind::FileTooLarge | ErrorKind::QuotaExceeded => ErrorClass::OutOfSpace,
            _ => ErrorClass::Internal,
        }
    }
}

/// What every library error tells its front end: its class and, when the user can supply
/// something to fix it, a hint.
pub trait Classify {
    /// Who has to act on this error.
    fn class(&self) -> ErrorClass;

    /// What the user can give to fix it, if anything.
    fn hint(&self) -> Option<Hint> {
        None
    }

    /// True when the user can fix the cause ([`ErrorClass::is_user`]).
    fn is_user_error(&self) -> bool {
        self.class().is_user()
    }
}

/// The kind of a [`Problem`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProblemKind {
    /// A unit was left out; the rest of the file was read.
    Skipped,
    /// The file could not be opened or read.
    Io,
    /// The file is larger than the limit.
    TooLarge,
    /// The file's format could not be told.
    UnknownFormat,
    /// The bytes are not text in an encoding termbridge reads.
    Encoding,
    /// The file breaks its format's syntax or structure.
    Syntax,
    /// The file asks for something refused for safety.
    Refused,
    /// The file lacks information the reader needs (a language).
    Missing,
}

/// One thing found wrong in an input, with where it is and what would fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file, as the user named it.
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// What kind of problem it is.
    pub kind: ProblemKind,
    /// What is wrong, lowercase, naming the value.
    pub reason: String,
    /// What the user can give to fix it.
    pub hint: Option<Hint>,
}

impl Problem {
    /// A unit skipped at `line` of `file`, for `reason`.
    pub fn skipped(file: impl Into<String>, line: usize, reason: impl Into<String>) -> Problem {
        Problem { file: file.into(), line: Some(line), column: None, kind: ProblemKind::Skipped, reason: reason.into(), hint: None }
    }
}

/// `file:line:column: reason`, leaving out what is unknown; the hint is the front end's to word.
impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.reason)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_print_what_is_known() {
        let mut problem = Problem::skipped("m.tmx", 7, "empty segment");
        assert_eq!(problem.to_string(), "m.tmx:7: empty segment");
        problem.column = Some(3);
        assert_eq!(problem.to_string(), "m.tmx:7:3: empty segment");
        problem.line = None;
        assert_eq!(problem.to_string(), "m.tmx: empty segment");
    }

    #[test]
    fn io_errors_are_classed_by_kind() {
        use std::io::{Error, ErrorKind};
        for (kind, class) in [
            (ErrorKind::NotFound, ErrorClass::NotFound),
            (ErrorKind::PermissionDenied, ErrorClass::Refused),
            (ErrorKind::InvalidData, ErrorClass::Input),
            (ErrorKind::StorageFull, ErrorClass::OutOfSpace),
            (ErrorKind::Other, ErrorClass::Internal),
        ] {
            assert_eq!(ErrorClass::of_io(&Error::from(kind)), class, "{kind:?}");
        }
        assert!(ErrorClass::Refused.is_user());
        assert!(!ErrorClass::OutOfSpace.is_user());
    }
}
