//! The text and Markdown readers of audit inputs, after the UTF-8/UTF-16 decoder.
#![no_main]

use libfuzzer_sys::fuzz_target;
use termbridge::formats::document::{decode_text, parse_markdown, parse_text};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = decode_text(std::path::Path::new("fuzz.txt"), data) {
        let _ = parse_text(&text);
        let _ = parse_markdown(&text);
    }
});
