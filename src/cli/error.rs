//! How the command line speaks of failures: the one table from an error's class to the exit
//! code, the words of each hint (the flag that supplies what is missing), and the rendering
//! of an error on standard error (text, or JSON with `--json`).
//!
//! Deliberately not here: deciding whether an error is the user's. Every library error says
//! so itself ([`Classify`]); this module only looks the class up in a chain of causes.

use std::process::ExitCode;

use serde_json::json;
use termbridge::problem::{Classify, ErrorClass, Hint};

/// Input the user has to fix, found by the command line itself (a flag's value, a file to
/// write): exit code 2.
#[derive(Debug)]
pub(crate) struct UserError(String);

impl std::fmt::Display for UserError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UserError {}

/// An error the user has to fix, in their words.
pub(crate) fn user_error(message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(UserError(message.into()))
}

/// The exit code of an error: 2 for what the user must fix, 3 for internal failures (the
/// disk being full included: nothing in the input would fix it). Exit code 1 is kept for
/// findings (an audit or a check that found errors).
pub(crate) fn exit_code(class: ErrorClass) -> u8 {
    match class {
        ErrorClass::Input | ErrorClass::NotFound | ErrorClass::Conflict | ErrorClass::Refused => 2,
        ErrorClass::OutOfSpace | ErrorClass::Internal => 3,
    }
}

/// What the command line tells the user to do for a hint, naming its flags.
pub(crate) fn hint_words(hint: Hint) -> &'static str {
    match hint {
        Hint::SourceLanguage => "pass --src",
        Hint::TargetLanguage => "pass --tgt",
        Hint::SourceAndTargetLanguages => "pass --src and --tgt",
        Hint::Format => "pass --format tmx|xliff|po|csv|tsv|text",
        Hint::TermsFormat => "pass --format tbx or --format csv",
        Hint::FileLanguages => "pass --langs with one language per file, e.g. --langs sq,sr",
        Hint::Force => "pass --force to replace its content",
        Hint::OtherDataDir => "stop it or pass another --data-dir",
        Hint::CheckIds => "see termbridge audit --list-checks",
    }
}

/// The class and hint of the first cause in `err`'s chain that knows its class; internal
/// when none does.
pub(crate) fn classify(err: &anyhow::Error) -> (ErrorClass, Option<Hint>) {
    for cause in err.chain() {
        if cause.is::<UserError>() {
            return (ErrorClass::Input, None);
        }
        if let Some(classified) = classified(cause) {
            return (classified.class(), classified.hint());
        }
    }
    (ErrorClass::Internal, None)
}

/// `cause` as a library error that knows its class.
fn classified<'e>(cause: &'e (dyn std::error::Error + 'static)) -> Option<&'e dyn Classify> {
    macro_rules! first_of {
        ($($error:ty),* $(,)?) => {
            $(if let Some(err) = cause.downcast_ref::<$error>() {
                return Some(err);
            })*
        };
    }
    first_of!(
        termbridge::formats::FormatError,
        termbridge::formats::tsv::TsvError,
        termbridge::formats::document::DocumentError,
        termbridge::store::StoreError,
        termbridge::index::IndexError,
        termbridge::WorkspaceError,
        termbridge::ops::OpsError,
        termbridge::termbase::TermbaseError,
        termbridge::usecase::UseCaseError,
        termbridge::places::PlacesError,
        termbridge::audit::AuditError,
        termbridge::audit::ConfigError,
        termbridge::audit::input::InputError,
        termbridge::audit::dir::DirError,
        termbridge::align::AlignError,
        termbridge::monitor::evidence::EvidenceError,
        termbridge::model::lang::UnknownLangTag,
    );
    None
}

/// The message of `err` (its chain of causes) followed by what to do, in the command line's
/// words.
pub(crate) fn message(err: &anyhow::Error, hint: Option<Hint>) -> String {
    match hint {
        Some(hint) => format!("{err:#}; {}", hint_words(hint)),
        None => format!("{err:#}"),
    }
}

/// Prints `err` on standard error (as `{"error": {"code", "message"}}` with `--json`) and
/// returns its exit code.
pub(crate) fn report(err: &anyhow::Error, json: bool) -> ExitCode {
    let (class, hint) = classify(err);
    let message = message(err, hint);
    if json {
        let code = if class.is_user() { "bad_input" } else { "internal" };
        eprintln!("{}", json!({"error": {"code": code, "message": message}}));
    } else {
        eprintln!("termbridge: error: {message}");
    }
    ExitCode::from(exit_code(class))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_map_to_exit_codes() {
        for (class, code) in [
            (ErrorClass::Input, 2),
            (ErrorClass::NotFound, 2),
            (ErrorClass::Conflict, 2),
            (ErrorClass::Refused, 2),
            (ErrorClass::OutOfSpace, 3),
            (ErrorClass::Internal, 3),
        ] {
            assert_eq!(exit_code(class), code, "{class:?}");
            assert_ne!(exit_code(class), 1, "1 is kept for findings");
        }
    }

    #[test]
    fn library_errors_get_their_class_and_hint_through_context() {
        let err = anyhow::Error::new(termbridge::formats::FormatError::UnknownFormat { path: "m.dat".into() }).context("cannot import");
        let (class, hint) = classify(&err);
        assert_eq!((class, hint), (ErrorClass::Input, Some(Hint::Format)));
        assert_eq!(message(&err, hint), "cannot import: m.dat: unknown format; pass --format tmx|xliff|po|csv|tsv|text");
        assert_eq!(classify(&user_error("bad")), (ErrorClass::Input, None));
        assert_eq!(classify(&anyhow::anyhow!("something broke")), (ErrorClass::Internal, None));
    }
}
