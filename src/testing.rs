//! Golden files for the tests, unit and integration alike: one switch, `TERMBRIDGE_BLESS=1`,
//! rewrites the expected files instead of comparing; then read the diff before committing.
//!
//! It is public only so that the integration tests in `tests/` can share it; it is not part of
//! the library's API and does nothing outside tests.

use std::path::Path;

/// The environment variable that rewrites golden files when set to `1`.
pub const BLESS_VAR: &str = "TERMBRIDGE_BLESS";

/// True when `TERMBRIDGE_BLESS=1` asks the tests to rewrite their golden files.
pub fn blessing() -> bool {
    std::env::var_os(BLESS_VAR).is_some_and(|value| value == "1")
}

/// Compares `actual` with the golden file at `path`; with `TERMBRIDGE_BLESS=1`, writes
/// `actual` there instead.
///
/// # Panics
/// When they differ, when the file is missing, or when blessing cannot write it.
#[track_caller]
pub fn assert_golden(path: &Path, actual: &str) {
    if blessing() {
        if let Err(err) = std::fs::write(path, actual) {
            panic!("cannot write golden file {}: {err}", path.display());
        }
        return;
    }
    let expected = match std::fs::read_to_string(path) {
        Ok(expected) => expected,
        Err(err) => panic!("{}: {err} (run with {BLESS_VAR}=1 to create it)", path.display()),
    };
    if actual != expected {
        let first = actual.lines().zip(expected.lines()).position(|(a, b)| a != b).unwrap_or(actual.lines().count().min(expected.lines().count()));
        panic!(
            "{} differs from the golden file ({BLESS_VAR}=1 rewrites it; read the diff); first difference at line {}:\n  expected: {:?}\n  actual:   {:?}",
            path.display(),
            first + 1,
            expected.lines().nth(first).unwrap_or("<end of file>"),
            actual.lines().nth(first).unwrap_or("<end of file>"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::assert_golden;

    #[test]
    fn equal_text_passes_and_a_difference_names_the_line() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("x.expected.txt");
        std::fs::write(&path, "a\nb\n").expect("write");
        if super::blessing() {
            return;
        }
        assert_golden(&path, "a\nb\n");
        let failure = std::panic::catch_unwind(|| assert_golden(&path, "a\nc\n")).expect_err("differs");
        let message = failure.downcast_ref::<String>().expect("message");
        assert!(message.contains("line 2") && message.contains("TERMBRIDGE_BLESS=1"), "{message}");
    }
}
