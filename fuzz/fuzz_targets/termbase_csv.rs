//! The CSV term base reader (`termbase::parse_csv`), long and wide forms.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = termbridge::termbase::parse_csv(text, "fuzz.csv");
    }
});
