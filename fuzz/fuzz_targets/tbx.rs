//! The TBX reader (`termbase::tbx::parse_tbx`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = termbridge::termbase::tbx::parse_tbx(text, "fuzz.tbx");
    }
});
