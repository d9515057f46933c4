//! The bilingual audit reader (`formats::bilingual::read_bilingual`) for PO, XLIFF and TMX,
//! the format chosen by the first byte.
#![no_main]

use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 3] = ["input.po", "input.xlf", "input.tmx"];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, content)) = data.split_first() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(NAMES[usize::from(selector) % NAMES.len()]);
    std::fs::write(&path, content).expect("write input");
    let _ = termbridge::formats::bilingual::read_bilingual(&path);
});
