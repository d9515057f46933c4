//! Errors of the places module: data files that cannot be read or do not hold what they must
//! ("your input is wrong"), apart from the shipped gazetteer failing to load ("we failed").

use std::path::PathBuf;

/// Why gazetteer data could not be read, compiled or checked.
#[derive(Debug, thiserror::Error)]
pub enum PlacesError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A line of a data file is malformed or holds a value that is not allowed.
    #[error("{file}:{line}: {message}")]
    Invalid {
        /// The file (a path, or the name of a shipped file).
        file: String,
        /// 1-based line number (0 when the problem concerns the whole file).
        line: usize,
        /// What is wrong, naming the value.
        message: String,
    },
    /// A curation rule names an entity or a value the sources do not have.
    #[error("{file}:{line}: curation rule does not apply: {message}")]
    Curation {
        /// The curation file.
        file: String,
        /// 1-based line number.
        line: usize,
        /// What did not match.
        message: String,
    },
    /// A municipality name (e.g. `--municipality`) that names none of the 38 municipalities.
    #[error("unknown municipality {0:?}: not one of the 38 municipalities in any of their spellings")]
    UnknownMunicipality(String),
    /// A place id that names no place of the gazetteer.
    #[error("no place with id {0:?} (ids are mun:<slug> for municipalities, gns:<UFI> for settlements)")]
    UnknownPlace(String),
    /// The gazetteer shipped inside the binary does not load; a build defect, not user input.
    #[error("shipped gazetteer is damaged: {0}")]
    Shipped(String),
}

impl crate::problem::Classify for PlacesError {
    /// Input the user gave (a file to compile or check) is theirs to fix; termbridge's own
    /// data failing is internal.
    fn class(&self) -> crate::problem::ErrorClass {
        use crate::problem::ErrorClass;
        match self {
            PlacesError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => ErrorClass::NotFound,
            PlacesError::UnknownPlace(_) => ErrorClass::NotFound,
            PlacesError::Io { .. } | PlacesError::Invalid { .. } | PlacesError::Curation { .. } | PlacesError::UnknownMunicipality(_) => ErrorClass::Input,
            PlacesError::Shipped(_) => ErrorClass::Internal,
        }
    }
}

impl PlacesError {
    pub(crate) fn invalid(file: &str, line: usize, message: impl Into<String>) -> PlacesError {
        PlacesError::Invalid { file: file.to_string(), line, message: message.into() }
    }
}
