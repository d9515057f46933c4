//! Evaluation of place-name resolution and of the place-name check, with timings.
//!
//! `cargo bench --bench places_eval` prints Markdown tables for BENCHMARKS.md (official place names):
//! - top-1 accuracy of lookup on the development set (../shared/data/dev/places_variants_dev.tsv,
//!   skipped when absent), with and without the sourced variants in the index;
//! - on the synthetic municipality set (hand-written inflections, scripts, typos, damage);
//! - on every sourced variant as a query, with the sourced variants held out of the index;
//! - on the phrase set (names inside search-box phrases) and the inflected-suggestion set;
//! - the place-name check's findings and mentions on clean text (false positives): the clean
//!   lines of the audit development set, the TM targets, and the system's sq/sr gettext
//!   catalogues when present; and its throughput.

use std::path::Path;
use std::time::Instant;

use termbridge::model::lang::LangTag;
use termbridge::places::{
    EvalReport, Gazetteer, IndexOptions, Places, evaluate, evaluate_suggestions, phrase_cases, read_eval_set, sourced_variant_cases, suggestion_cases,
    synthetic_municipality_cases,
};

/// The translations (msgstr) of a gettext .mo file; plural forms split on NUL.
fn mo_translations(data: &[u8]) -> Vec<String> {
    let word = |at: usize| -> Option<u32> {
        let bytes: [u8; 4] = data.get(at..at + 4)?.try_into().ok()?;
        Some(if data.get(..4) == Some(&[0xde, 0x12, 0x04, 0x95]) { u32::from_le_bytes(bytes) } else { u32::from_be_bytes(bytes) })
    };
    let (Some(count), Some(table)) = (word(8), word(16)) else { return Vec::new() };
    let mut out = Vec::new();
    for idx in 0..count as usize {
        let (Some(len), Some(offset)) = (word(table as usize + 8 * idx), word(table as usize + 8 * idx + 4)) else { break };
        let Some(bytes) = data.get(offset as usize..offset as usize + len as usize) else { break };
        let text = String::from_utf8_lossy(bytes);
        // The header entry (empty msgid) holds metadata, not text.
        if text.contains("Content-Type:") {
            continue;
        }
        out.extend(text.split('\0').filter(|part| !part.trim().is_empty()).map(str::to_string));
    }
    out
}

fn table(title: &str, report: &EvalReport) {
    println!("\n### {title}\n");
    println!("| group | cases | top-1 | top-1 % | found in candidates % |");
    println!("|---|---:|---:|---:|---:|");
    let row = |name: &str, score: &termbridge::places::Score| {
        let found = if score.cases == 0 { 100.0 } else { 100.0 * score.found as f64 / score.cases as f64 };
        println!("| {name} | {} | {} | {:.1} | {:.1} |", score.cases, score.top1, 100.0 * score.top1_rate(), found);
    };
    row("**overall**", &report.overall);
    row("**municipalities**", &report.municipalities);
    for (variant_type, score) in &report.by_type {
        row(variant_type, score);
    }
    println!("\nlookup latency: p50 {} µs, p95 {} µs, max {} µs", report.p50_us, report.p95_us, report.max_us);
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let started = Instant::now();
    let shipped = Places::shipped();
    println!(
        "index build (shipped gazetteer, {} places, {} indexed forms): {:.0} ms",
        shipped.gazetteer().places().len(),
        shipped.form_count(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    let started = Instant::now();
    let held_out = Places::with_options(Gazetteer::shipped().clone(), IndexOptions { sourced_variants: false, generated_forms: true });
    println!("index build without sourced variants ({} forms): {:.0} ms", held_out.form_count(), started.elapsed().as_secs_f64() * 1000.0);

    let dev = root.join("../shared/data/dev/places_variants_dev.tsv");
    match (std::fs::read_to_string(&dev), std::fs::read_to_string(root.join("../shared/data/dev/places_variants_dev.meta.tsv"))) {
        (Ok(tsv), meta) => {
            let cases = read_eval_set(&tsv, meta.ok().as_deref(), "places_variants_dev.tsv").expect("dev set parses");
            table("Development set, full index", &evaluate(shipped, &cases));
            table("Development set, sourced variants left out of the index", &evaluate(&held_out, &cases));
        }
        _ => println!("SKIPPED: {} is absent", dev.display()),
    }
    let synthetic = synthetic_municipality_cases(shipped.gazetteer()).expect("synthetic set builds");
    table("Synthetic municipality set, full index", &evaluate(shipped, &synthetic));
    table("Synthetic municipality set, sourced variants left out", &evaluate(&held_out, &synthetic));
    let sourced = sourced_variant_cases(shipped.gazetteer());
    table("Sourced variants as queries, held out of the index", &evaluate(&held_out, &sourced));
    let phrases = phrase_cases(shipped.gazetteer()).expect("phrase set builds");
    table("Phrase queries (generated templates; groups: en, sq, sr_latn, sr_cyrl, unofficial_name, settlement)", &evaluate(shipped, &phrases));

    let suggestions = suggestion_cases(shipped.gazetteer()).expect("suggestion set builds");
    let report = evaluate_suggestions(shipped, &suggestions);
    println!("\n### Inflected suggestions (generated inflected non-official names in sentences)\n");
    println!("| class | cases | reported | suggestion right | right % of reported | right % of all |");
    println!("|---|---:|---:|---:|---:|---:|");
    let row = |name: &str, score: &termbridge::places::Score| {
        let of_found = 100.0 * score.top1 as f64 / score.found.max(1) as f64;
        println!("| {name} | {} | {} | {} | {of_found:.1} | {:.1} |", score.cases, score.found, score.top1, 100.0 * score.top1_rate());
    };
    row("**overall**", &report.overall);
    for (class, score) in &report.by_class {
        row(class, score);
    }
    for (written, expected, got) in &report.misses {
        println!("- miss: {written}: expected \"{expected}\", got \"{got}\"");
    }

    println!("\n### place-name check on clean text\n");
    println!("| text | lang | lines | mentions | findings | MB/s |");
    println!("|---|---|---:|---:|---:|---:|");
    let mut texts: Vec<(String, String, LangTag)> = Vec::new();
    let audit = root.join("../shared/data/dev/audit");
    for (suffix, lang) in [("sq", LangTag::SQ), ("sr", LangTag::SR)] {
        let mut joined = String::new();
        for case in 901..=910 {
            if let Ok(text) = std::fs::read_to_string(audit.join(format!("{case}.{suffix}.txt"))) {
                // Line 1 of 909.sq.txt carries the one labelled place-name defect.
                let lines: Vec<&str> =
                    text.lines().enumerate().filter(|(idx, _)| !(case == 909 && suffix == "sq" && *idx == 0)).map(|(_, line)| line).collect();
                joined.push_str(&lines.join("\n"));
                joined.push('\n');
            }
        }
        if !joined.is_empty() {
            texts.push((format!("dev/audit clean {suffix} lines"), joined, lang));
        }
    }
    for (file, column, lang) in [("tm_en_sq.tsv", 2, LangTag::SQ), ("tm_en_sr.tsv", 2, LangTag::SR)] {
        if let Ok(text) = std::fs::read_to_string(root.join("../shared/data/dev").join(file)) {
            let joined: Vec<&str> = text.lines().skip(1).filter_map(|line| line.split('\t').nth(column)).collect();
            texts.push((format!("dev/{file} target"), joined.join("\n"), lang));
        }
    }
    // Larger clean text: the translations in the system's gettext catalogues (Debian
    // packages' sq, sr and sr@latin .mo files), when the machine has them.
    for (dir, lang) in [("sq", LangTag::SQ), ("sr", LangTag::SR), ("sr@latin", LangTag::SR)] {
        let path = Path::new("/usr/share/locale").join(dir).join("LC_MESSAGES");
        let Ok(entries) = std::fs::read_dir(&path) else { continue };
        let mut files: Vec<_> = entries.flatten().map(|entry| entry.path()).filter(|file| file.extension().is_some_and(|ext| ext == "mo")).collect();
        files.sort();
        let mut joined = String::new();
        for file in &files {
            for translation in mo_translations(&std::fs::read(file).unwrap_or_default()) {
                joined.push_str(&translation.replace('\n', " "));
                joined.push('\n');
            }
        }
        texts.push((format!("{} .mo catalogues in /usr/share/locale/{dir}", files.len()), joined, lang));
    }
    for (name, text, lang) in &texts {
        let started = Instant::now();
        let mentions = shipped.mentions(text, *lang);
        let findings = shipped.check_text(text, *lang);
        let seconds = started.elapsed().as_secs_f64() / 2.0;
        println!("| {name} | {lang} | {} | {} | {} | {:.2} |", text.lines().count(), mentions.len(), findings.len(), text.len() as f64 / 1e6 / seconds);
        for finding in findings.iter().take(5) {
            println!("|  ↳ {}:{} {} | | | | | |", finding.line, finding.column, finding.message);
        }
    }
    if texts.is_empty() {
        println!("SKIPPED: ../shared/data/dev is absent");
    }
}
