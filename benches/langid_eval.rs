//! Accuracy and cost of `termbridge::text::langid` on labelled sentences.
//!
//! ```text
//! cargo bench --bench langid_eval -- [--dev DIR] [--candidates sq,sr,en,tr] [--errors N] [FILE.tsv ...]
//! ```
//! Each FILE holds `tag<TAB>sentence` lines, tag one of sq, sr-Cyrl, sr-Latn, en, tr, bs
//! (`benches/langid_corpus.py` writes one from the gettext catalogues Debian installs).
//! `--dev DIR` adds the dev set of the shared data: the audit documents (lines that
//! labels.jsonl marks as defects are skipped) and the TM files. The env var `LANGID_EVAL_TSV`
//! may name one more file. Rows whose language is not among the candidates are skipped.
//!
//! Every sentence is scored in three forms: as written; "latin", Serbian Cyrillic
//! transliterated with `text::cyr_to_lat` (only rows labelled sr-Cyrl); and "folded", the
//! Latin form with `text::diacritic_fold`. The report gives, per form and length bucket
//! (fewer than 30 characters, 30 or more), the accuracy and the confusion matrix, then the
//! detector's load time, the memory it took and the time per sentence.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use termbridge::model::lang::{Lang, LangTag, SrScript};
use termbridge::text::{self, langid};

/// The labels rows can carry, in report order.
const LABELS: [&str; 6] = ["sq", "sr-Cyrl", "sr-Latn", "en", "tr", "bs"];
/// Predicted columns of the confusion matrix.
const PREDICTED: [&str; 6] = ["sq", "sr", "en", "tr", "bs", "none"];

struct Row {
    label: LangTag,
    text: String,
    source: String,
}

struct Options {
    dev: Option<PathBuf>,
    files: Vec<PathBuf>,
    candidates: Vec<Lang>,
    errors: usize,
}

fn parse_args() -> Options {
    let mut options = Options { dev: None, files: Vec::new(), candidates: langid::DEFAULT_CANDIDATES.to_vec(), errors: 0 };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            // `cargo bench` passes --bench to harness-less benches.
            "--bench" => {}
            "--dev" => options.dev = args.next().map(PathBuf::from),
            "--errors" => options.errors = args.next().and_then(|n| n.parse().ok()).unwrap_or(20),
            "--candidates" => {
                options.candidates = args
                    .next()
                    .unwrap_or_default()
                    .split(',')
                    .map(|code| LangTag::parse(code).unwrap_or_else(|err| panic!("--candidates: {err}")).lang)
                    .collect();
            }
            path => options.files.push(PathBuf::from(path)),
        }
    }
    if let Ok(path) = std::env::var("LANGID_EVAL_TSV") {
        options.files.push(PathBuf::from(path));
    }
    options
}

fn read_tsv(path: &Path) -> Vec<Row> {
    let content = std::fs::read_to_string(path).unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
    let source = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    content
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .filter_map(|line| {
            let (tag, sentence) = line.split_once('\t')?;
            Some(Row { label: LangTag::parse(tag).ok()?, text: sentence.to_string(), source: source.clone() })
        })
        .collect()
}

/// The dev set: audit lines minus labelled defects, and both sides of the TM files.
fn read_dev(dir: &Path) -> Vec<Row> {
    let mut rows = Vec::new();
    let read = |path: &Path| std::fs::read_to_string(path).unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
    let audit = dir.join("audit");
    let mut defects = HashSet::new();
    for line in read(&audit.join("labels.jsonl")).lines().filter(|line| !line.trim().is_empty()) {
        let label: serde_json::Value = serde_json::from_str(line).expect("labels.jsonl line is JSON");
        defects.insert((
            label["case"].as_str().unwrap_or_default().to_string(),
            label["lang"].as_str().unwrap_or_default().to_string(),
            label["line"].as_u64().unwrap_or(0),
        ));
    }
    let mut sr_scripts = BTreeMap::new();
    for line in read(&audit.join("cases.jsonl")).lines().filter(|line| !line.trim().is_empty()) {
        let case: serde_json::Value = serde_json::from_str(line).expect("cases.jsonl line is JSON");
        let script = if case["sr_script"] == "cyrl" { LangTag::SR_CYRL } else { LangTag::SR_LATN };
        sr_scripts.insert(case["case"].as_str().unwrap_or_default().to_string(), script);
    }
    for (case, sr_tag) in &sr_scripts {
        for (lang, tag) in [("sq", LangTag::SQ), ("sr", *sr_tag), ("en", LangTag::EN)] {
            let path = audit.join(format!("{case}.{lang}.txt"));
            for (line_idx, line) in read(&path).lines().enumerate() {
                if defects.contains(&(case.clone(), lang.to_string(), line_idx as u64 + 1)) || line.trim().is_empty() {
                    continue;
                }
                rows.push(Row { label: tag, text: line.to_string(), source: "audit".into() });
            }
        }
    }
    let mut english = HashSet::new();
    for (file, tag) in [("tm_en_sq.tsv", LangTag::SQ), ("tm_en_sr.tsv", LangTag::SR_CYRL)] {
        for line in read(&dir.join(file)).lines().skip(1) {
            let mut fields = line.split('\t');
            let (Some(_id), Some(src), Some(tgt)) = (fields.next(), fields.next(), fields.next()) else { continue };
            // A target equal to its source ("Afrikaans") belongs to both languages: skip it.
            if src != tgt {
                rows.push(Row { label: tag, text: tgt.to_string(), source: file.into() });
            }
            if english.insert(src.to_string()) {
                rows.push(Row { label: LangTag::EN, text: src.to_string(), source: file.into() });
            }
        }
    }
    rows
}

fn label_name(tag: LangTag) -> &'static str {
    match (tag.lang, tag.script) {
        (Lang::Sr, Some(SrScript::Cyrl)) => "sr-Cyrl",
        (Lang::Sr, _) => "sr-Latn",
        (lang, _) => lang.code(),
    }
}

#[derive(Default)]
struct Tally {
    /// (label, predicted) -> count
    cells: BTreeMap<(&'static str, &'static str), usize>,
    total: usize,
    correct: usize,
}

impl Tally {
    fn add(&mut self, label: LangTag, predicted: Option<Lang>) {
        let predicted_name = predicted.map(|lang| lang.code()).unwrap_or("none");
        *self.cells.entry((label_name(label), predicted_name)).or_default() += 1;
        self.total += 1;
        if predicted == Some(label.lang) {
            self.correct += 1;
        }
    }

    fn print(&self, title: &str) {
        if self.total == 0 {
            return;
        }
        println!("\n**{title}**: {} / {} correct = **{:.2}%**\n", self.correct, self.total, 100.0 * self.correct as f64 / self.total as f64);
        println!("| truth \\ guess | {} | n | acc |", PREDICTED.join(" | "));
        println!("|---|{}---|---|", "---|".repeat(PREDICTED.len()));
        for label in LABELS {
            let row_total: usize = PREDICTED.iter().map(|p| self.cells.get(&(label, *p)).copied().unwrap_or(0)).sum();
            if row_total == 0 {
                continue;
            }
            let cells: Vec<String> = PREDICTED.iter().map(|p| self.cells.get(&(label, *p)).copied().unwrap_or(0).to_string()).collect();
            let lang_code = label.split('-').next().unwrap_or(label);
            let hits = self.cells.get(&(label, lang_code)).copied().unwrap_or(0);
            println!("| {label} | {} | {row_total} | {:.1}% |", cells.join(" | "), 100.0 * hits as f64 / row_total as f64);
        }
    }
}

fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find(|line| line.starts_with("VmRSS:"))?.split_whitespace().nth(1)?.parse().ok()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let options = parse_args();
    let mut rows = Vec::new();
    if let Some(dir) = &options.dev {
        rows.extend(read_dev(dir));
    }
    for file in &options.files {
        rows.extend(read_tsv(file));
    }
    if rows.is_empty() {
        eprintln!("langid_eval: no rows; pass --dev DIR and/or TSV files (tag<TAB>sentence)");
        return;
    }
    let n_read = rows.len();
    rows.retain(|row| options.candidates.contains(&row.label.lang));
    let candidate_codes: Vec<&str> = options.candidates.iter().map(|lang| lang.code()).collect();
    println!("rows: {} read, {} with a candidate language ({})", n_read, rows.len(), candidate_codes.join(","));

    let rss_before = rss_kib();
    let load_start = Instant::now();
    let _ = langid::identify_among("warm up", &options.candidates);
    let load_time = load_start.elapsed();
    let rss_after = rss_kib();
    let all_load = langid::preload();
    println!(
        "detector load (first call, candidates {}): {:.0} ms; RSS {} -> {} MiB; loading the rest of the five languages: {:.0} ms; RSS now {} MiB",
        candidate_codes.join(","),
        load_time.as_secs_f64() * 1000.0,
        rss_before.unwrap_or(0) / 1024,
        rss_after.unwrap_or(0) / 1024,
        all_load.as_secs_f64() * 1000.0,
        rss_kib().unwrap_or(0) / 1024
    );

    let mut tallies: BTreeMap<(&str, &str), Tally> = BTreeMap::new();
    let mut timings = Vec::with_capacity(rows.len() * 3);
    let mut errors_shown = 0;
    for row in &rows {
        let is_cyrillic = row.label.script == Some(SrScript::Cyrl);
        let latin = text::cyr_to_lat(&row.text).into_owned();
        let mut forms: Vec<(&str, String, LangTag)> = vec![("original", row.text.clone(), row.label)];
        let latin_label = if is_cyrillic { LangTag::SR_LATN } else { row.label };
        if is_cyrillic {
            forms.push(("latin", latin.clone(), latin_label));
        }
        forms.push(("folded", text::diacritic_fold(&latin).into_owned(), latin_label));
        for (form, sentence, label) in forms {
            let start = Instant::now();
            let guess = langid::identify_among(&sentence, &options.candidates);
            timings.push(start.elapsed());
            let bucket = if sentence.chars().count() < 30 { "<30" } else { "30+" };
            tallies.entry((form, bucket)).or_default().add(label, guess.map(|g| g.lang));
            tallies.entry((form, "all")).or_default().add(label, guess.map(|g| g.lang));
            if guess.map(|g| g.lang) != Some(label.lang) && errors_shown < options.errors {
                errors_shown += 1;
                eprintln!(
                    "MISS {form} {} [{}] -> {:?}: {sentence}",
                    label_name(label),
                    row.source,
                    guess.map(|g| (g.lang.code(), (g.confidence * 100.0).round() / 100.0))
                );
            }
        }
    }
    for form in ["original", "latin", "folded"] {
        for bucket in ["<30", "30+", "all"] {
            if let Some(tally) = tallies.get(&(form, bucket)) {
                tally.print(&format!("{form}, {bucket} chars"));
            }
        }
    }
    timings.sort();
    let total: Duration = timings.iter().sum();
    println!(
        "\ntime per sentence over {} calls: p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms, mean {:.3} ms",
        timings.len(),
        percentile(&timings, 0.5).as_secs_f64() * 1000.0,
        percentile(&timings, 0.99).as_secs_f64() * 1000.0,
        timings.last().copied().unwrap_or_default().as_secs_f64() * 1000.0,
        total.as_secs_f64() * 1000.0 / timings.len().max(1) as f64
    );
}
