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

    /// The string literals of Rust source, up to its test module.
    fn string_literals(source: &str) -> Vec<String> {
        let code = source.split("#[cfg(test)]").next().unwrap_or_default();
        let chars: Vec<char> = code.chars().collect();
        let mut literals = Vec::new();
        let mut idx = 0;
        while idx < chars.len() {
            let c = chars[idx];
            let next = chars.get(idx + 1).copied();
            if c == '/' && next == Some('/') {
                while idx < chars.len() && chars[idx] != '\n' {
                    idx += 1;
                }
            } else if c == '/' && next == Some('*') {
                while idx + 1 < chars.len() && !(chars[idx] == '*' && chars[idx + 1] == '/') {
                    idx += 1;
                }
                idx += 2;
            } else if c == '\'' {
                // A char literal ('x', '\n', '"'), or a lifetime.
                if next == Some('\\') {
                    idx += 2;
                    while idx < chars.len() && chars[idx] != '\'' {
                        idx += 1;
                    }
                    idx += 1;
                } else if chars.get(idx + 2) == Some(&'\'') {
                    idx += 3;
                } else {
                    idx += 1;
                }
            } else if c == 'r' && matches!(next, Some('"' | '#')) && (idx == 0 || !(chars[idx - 1].is_alphanumeric() || chars[idx - 1] == '_')) {
                let mut hashes = 0;
                let mut at = idx + 1;
                while chars.get(at) == Some(&'#') {
                    hashes += 1;
                    at += 1;
                }
                if chars.get(at) != Some(&'"') {
                    idx += 1;
                    continue;
                }
                let start = at + 1;
                let mut end = start;
                while end < chars.len() && !(chars[end] == '"' && (0..hashes).all(|n| chars.get(end + 1 + n) == Some(&'#'))) {
                    end += 1;
                }
                literals.push(chars[start..end.min(chars.len())].iter().collect());
                idx = end + 1 + hashes;
            } else if c == '"' {
                let start = idx + 1;
                let mut end = start;
                while end < chars.len() && chars[end] != '"' {
                    end += if chars[end] == '\\' { 2 } else { 1 };
                }
                literals.push(chars[start..end.min(chars.len())].iter().collect());
                idx = end + 1;
            } else {
                idx += 1;
            }
        }
        literals
    }

    /// The command-line flags a literal names (`--` and a lowercase letter), but for other
    /// programs' flags quoted in advice.
    fn flags_named(literal: &str) -> Vec<String> {
        const OTHER_PROGRAMS: [&str; 1] = ["msgconv "];
        let dashes = "-".repeat(2);
        let mut flags = Vec::new();
        for (at, _) in literal.match_indices(&dashes) {
            let flag: String = literal[at + 2..].chars().take_while(|c| c.is_ascii_lowercase() || *c == '-').collect();
            let quoted = OTHER_PROGRAMS.iter().any(|program| literal[..at].ends_with(program));
            if flag.starts_with(|c: char| c.is_ascii_lowercase()) && !quoted {
                flags.push(format!("{dashes}{flag}"));
            }
        }
        flags
    }

    fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("src is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                out.push(path);
            }
        }
    }

    #[test]
    fn the_lexer_finds_literals_and_flags() {
        let source = "// \"--no\"\nlet a = '\"'; fn f<'a>() {} let b = \"x --src y\"; let c = r#\"--tgt \"q\"\"#;\n#[cfg(test)]\nlet d = \"--force\";";
        assert_eq!(string_literals(source), ["x --src y", "--tgt \"q\""]);
        assert_eq!(flags_named("pass --src and --tgt; -- or --"), ["--src", "--tgt"]);
        assert!(flags_named("convert with msgconv --to-code=UTF-8").is_empty());
    }

    /// Library messages name what is missing through a [`Hint`]; only the command line (and
    /// the binary's own modules) speaks of flags.
    #[test]
    fn no_library_message_names_a_command_line_flag() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        let front_end = |path: &std::path::Path| {
            let relative = path.strip_prefix(&src).unwrap_or(path);
            relative.starts_with("cli")
                || relative == std::path::Path::new("cli.rs")
                || relative == std::path::Path::new("main.rs")
                || relative == std::path::Path::new("remote.rs")
        };
        let mut offenders = Vec::new();
        for path in files.iter().filter(|path| !front_end(path)) {
            let source = std::fs::read_to_string(path).expect("a source file is readable");
            for literal in string_literals(&source) {
                for flag in flags_named(&literal) {
                    offenders.push(format!("{}: {flag} in {literal:?}", path.display()));
                }
            }
        }
        assert!(files.len() > 50, "the walk found the sources");
        assert!(offenders.is_empty(), "library messages name command-line flags (use a Hint):\n{}", offenders.join("\n"));
    }
}
