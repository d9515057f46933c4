//! The HTML reader of audit inputs (`formats::html::parse_html`) and its entity decoder.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = termbridge::formats::html::parse_html(&text);
    let _ = termbridge::formats::html::decode_entities(&text);
});
