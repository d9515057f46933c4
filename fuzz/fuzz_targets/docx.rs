//! The DOCX reader: the bytes as a whole archive (`parse_docx`) and as `word/document.xml`
//! (`parse_document_xml`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use termbridge::formats::docx::{parse_document_xml, parse_docx};

fuzz_target!(|data: &[u8]| {
    let _ = parse_docx(data);
    if let Ok(xml) = std::str::from_utf8(data) {
        let _ = parse_document_xml(xml);
    }
});
