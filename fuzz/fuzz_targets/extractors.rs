//! The extractors that run on every segment: numbers (TM substitution), the audit's
//! invariants (numbers, references, URLs, e-mail addresses, placeholders) and the code
//! stripping before language identification. The input is split at the first NUL into a
//! query and a source.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (query, source) = text.split_once('\0').unwrap_or((&text, ""));
    for range in termbridge::memory::numbers::numbers(query) {
        assert!(query.is_char_boundary(range.start) && query.is_char_boundary(range.end));
    }
    let _ = termbridge::memory::numbers::substitute(query, source, Some(source));
    for invariant in termbridge::audit::checks::number_mismatch::invariants(query) {
        assert!(invariant.start <= invariant.end && invariant.end <= query.len());
    }
    let _ = termbridge::text::langid::without_codes(query);
});
