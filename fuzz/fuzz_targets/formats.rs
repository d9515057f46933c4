//! The import readers (`formats::read_file`): TMX, XLIFF, PO, CSV, TSV and plain text, the
//! format chosen by the first byte, the rest written to a file and read back.
#![no_main]

use libfuzzer_sys::fuzz_target;
use termbridge::formats::{Format, ReadOptions, read_file};
use termbridge::model::lang::LangTag;

const FORMATS: [Format; 6] = [Format::Tmx, Format::Xliff, Format::Po, Format::Csv, Format::Tsv, Format::Text];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, content)) = data.split_first() else { return };
    let format = FORMATS[usize::from(selector) % FORMATS.len()];
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("input");
    std::fs::write(&path, content).expect("write input");
    let options = ReadOptions { format: Some(format), src: Some(LangTag::EN), tgt: Some(LangTag::SQ), langs: vec![LangTag::SQ], ..ReadOptions::default() };
    let _ = read_file(&path, &options);
});
