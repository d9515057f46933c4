//! Parse throughput of the TMX and TSV readers on a generated 100,000-unit memory.
//!
//! `cargo run --release --example parse_throughput [UNITS]` writes a TSV (`id<TAB>src<TAB>tgt`,
//! en → sq) and a TMX of the same units (through the TMX writer, two of every ten segments
//! with inline tags) to a temporary directory, reads each three times and prints MB/s and
//! units/s of the best run.

use std::time::Instant;

use termbridge::formats::tmx::{TmxHeader, TmxWriter};
use termbridge::formats::{ReadOptions, read_file};
use termbridge::model::lang::LangTag;
use termbridge::model::{InlineTag, TranslationUnit, Variant};

fn main() {
    let units: usize = std::env::args().nth(1).and_then(|raw| raw.parse().ok()).unwrap_or(100_000);
    let words = [
        "komuna",
        "vendimi",
        "neni",
        "kuvendi",
        "prishtinë",
        "kryetari",
        "decision",
        "article",
        "municipality",
        "assembly",
        "mayor",
        "the",
        "of",
        "budget",
        "road",
    ];
    let mut state = 0x5eed_u64;
    let mut next = || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    let mut memory = Vec::with_capacity(units);
    for row in 0..units {
        let src: Vec<&str> = (0..10).map(|_| words[next() % words.len()]).collect();
        let tgt: Vec<&str> = (0..10).map(|_| words[next() % words.len()]).collect();
        let mut source = Variant::new(LangTag::EN, format!("{} {row}", src.join(" ")));
        if row % 5 == 0 {
            source.inline.push(InlineTag { offset: 0, kind: "bpt".into(), attrs: vec![("i".into(), "1".into())], content: "<b>".into() });
            source.inline.push(InlineTag { offset: 6, kind: "ept".into(), attrs: vec![("i".into(), "1".into())], content: "</b>".into() });
        }
        memory.push(TranslationUnit {
            id: format!("u{row}"),
            collection: "default".into(),
            variants: vec![source, Variant::new(LangTag::SQ, format!("{} {row}", tgt.join(" ")))],
            props: Default::default(),
            notes: Vec::new(),
            created: None,
            changed: None,
        });
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let tsv = dir.path().join("memory.tsv");
    let mut text = String::from("id\tsrc\ttgt\n");
    for unit in &memory {
        text.push_str(&format!("{}\t{}\t{}\n", unit.id, unit.variants[0].text, unit.variants[1].text));
    }
    std::fs::write(&tsv, text).expect("write tsv");
    let tmx = dir.path().join("memory.tmx");
    let mut writer = TmxWriter::new(std::io::BufWriter::new(std::fs::File::create(&tmx).expect("create tmx")), &TmxHeader::default()).expect("tmx header");
    let started = Instant::now();
    for unit in &memory {
        writer.write_unit(unit).expect("tmx unit");
    }
    writer.finish().expect("finish tmx");
    let write_seconds = started.elapsed().as_secs_f64();

    println!("| format | units | file MB | best of 3, s | MB/s | units/s |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (name, path) in [("TSV", &tsv), ("TMX", &tmx)] {
        let bytes = std::fs::metadata(path).expect("metadata").len() as f64;
        let options = ReadOptions { src: Some(LangTag::EN), tgt: Some(LangTag::SQ), ..ReadOptions::default() };
        let mut best = f64::INFINITY;
        for _ in 0..3 {
            let started = Instant::now();
            let parsed = read_file(path, &options).expect("read");
            best = best.min(started.elapsed().as_secs_f64());
            assert_eq!(parsed.units.len(), units);
        }
        println!("| {name} | {units} | {:.1} | {best:.3} | {:.1} | {:.0} |", bytes / 1e6, bytes / 1e6 / best, units as f64 / best);
    }
    let tmx_bytes = std::fs::metadata(&tmx).expect("metadata").len() as f64;
    println!("\nTMX writer: {:.3} s, {:.1} MB/s, {:.0} units/s", write_seconds, tmx_bytes / 1e6 / write_seconds, units as f64 / write_seconds);
}
