//! Measures sentence alignment on document pairs built from real translations.
//!
//! `cargo run --release --example align_eval [DEV_DIR]` (DEV_DIR defaults to
//! `../shared/data/dev`). Sources: `audit/NNN.{sq,sr,en}.txt` (line-aligned language versions;
//! the `missing-segment` labels give the lines deleted on purpose) and `tm_en_sq.tsv` /
//! `tm_en_sr.tsv` (translation pairs, grouped ten to a paragraph). From the true pairs it
//! writes two documents, one paragraph a source document, after deleting lines on either
//! side (1-0, 0-1 beads), merging two lines into one on the second side (2-1) and splitting a
//! long line in two (1-2), each at a fixed rate, then aligns them and scores the predicted
//! links between lines against the truth: a link (line of A, line of B) is true when the two
//! lines share a source pair. Prints precision, recall and F1 per corpus and settings.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use termbridge::align::{AlignOptions, align_segments, segment_document};

/// One true pair; `None` where a side has no text.
type Pair = (Option<String>, Option<String>);

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 11) as f64) / ((1u64 << 53) as f64)
    }
}

/// A document side: its lines (with blank lines between paragraphs) and, for each line, the
/// ids of the true pairs it holds.
#[derive(Default)]
struct Side {
    text: String,
    ids: BTreeMap<usize, BTreeSet<usize>>,
    line: usize,
}

impl Side {
    fn push(&mut self, text: &str, ids: &[usize]) {
        self.line += 1;
        self.text.push_str(text);
        self.text.push('\n');
        self.ids.insert(self.line, ids.iter().copied().collect());
    }

    fn paragraph_break(&mut self) {
        self.line += 1;
        self.text.push('\n');
    }
}

/// Rate of each perturbation (1-0, 0-1, 2-1, 1-2); `ALIGN_EVAL_RATE` overrides it.
fn rate() -> f64 {
    std::env::var("ALIGN_EVAL_RATE").ok().and_then(|raw| raw.parse().ok()).unwrap_or(0.05)
}

/// Builds the two documents from paragraphs of true pairs, perturbed with `rng`.
fn build(paragraphs: &[Vec<Pair>], rng: &mut Rng) -> (Side, Side, usize) {
    let rate = rate();
    let mut a = Side::default();
    let mut b = Side::default();
    let mut pair_id = 0usize;
    for (paragraph_idx, pairs) in paragraphs.iter().enumerate() {
        if paragraph_idx > 0 {
            a.paragraph_break();
            b.paragraph_break();
        }
        let mut k = 0;
        while k < pairs.len() {
            let (text_a, text_b) = &pairs[k];
            let id = pair_id + k;
            let roll = rng.next();
            match (text_a, text_b) {
                (Some(ta), Some(tb)) if roll < rate => a.push(ta, &[id]),
                (Some(_), Some(tb)) if roll < 2.0 * rate => b.push(tb, &[id]),
                (Some(ta), Some(tb)) if roll < 3.0 * rate && k + 1 < pairs.len() && pairs[k + 1].0.is_some() && pairs[k + 1].1.is_some() => {
                    // 2-1: two lines of A, one merged line of B.
                    let (Some(ta2), Some(tb2)) = &pairs[k + 1] else { unreachable!() };
                    a.push(ta, &[id]);
                    a.push(ta2, &[id + 1]);
                    b.push(&format!("{tb} {tb2}"), &[id, id + 1]);
                    k += 2;
                    continue;
                }
                (Some(ta), Some(tb)) if roll < 4.0 * rate && tb.split_whitespace().count() >= 6 => {
                    // 1-2: one line of A, B split in two at the middle word.
                    let words: Vec<&str> = tb.split_whitespace().collect();
                    let middle = words.len() / 2;
                    a.push(ta, &[id]);
                    b.push(&words[..middle].join(" "), &[id]);
                    b.push(&words[middle..].join(" "), &[id]);
                }
                (Some(ta), Some(tb)) => {
                    a.push(ta, &[id]);
                    b.push(tb, &[id]);
                }
                (Some(ta), None) => a.push(ta, &[id]),
                (None, Some(tb)) => b.push(tb, &[id]),
                (None, None) => {}
            }
            k += 1;
        }
        pair_id += pairs.len();
    }
    (a, b, pair_id)
}

#[derive(Default, Clone, Copy)]
struct Score {
    true_positive: usize,
    predicted: usize,
    truth: usize,
}

impl Score {
    fn add(&mut self, other: Score) {
        self.true_positive += other.true_positive;
        self.predicted += other.predicted;
        self.truth += other.truth;
    }

    fn prf(&self) -> (f64, f64, f64) {
        let precision = self.true_positive as f64 / self.predicted.max(1) as f64;
        let recall = self.true_positive as f64 / self.truth.max(1) as f64;
        let f1 = if precision + recall > 0.0 { 2.0 * precision * recall / (precision + recall) } else { 0.0 };
        (precision, recall, f1)
    }
}

fn score(a: &Side, b: &Side, options: &AlignOptions) -> Score {
    let segments_a = segment_document(&a.text);
    let segments_b = segment_document(&b.text);
    let beads = align_segments(&segments_a, &segments_b, options);
    let mut predicted = BTreeSet::new();
    for bead in &beads {
        for sa in &segments_a[bead.a.clone()] {
            for sb in &segments_b[bead.b.clone()] {
                predicted.insert((sa.line, sb.line));
            }
        }
    }
    let mut truth = BTreeSet::new();
    for (line_a, ids_a) in &a.ids {
        for (line_b, ids_b) in &b.ids {
            if !ids_a.is_disjoint(ids_b) {
                truth.insert((*line_a, *line_b));
            }
        }
    }
    Score { true_positive: predicted.intersection(&truth).count(), predicted: predicted.len(), truth: truth.len() }
}

fn read_lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path).unwrap_or_else(|err| panic!("{}: {err}", path.display())).lines().map(str::to_string).collect()
}

/// Audit documents as paragraphs of (lang1, lang2) pairs, the deleted lines as one-sided pairs.
fn audit_paragraphs(dev: &Path, first: &str, second: &str) -> Vec<Vec<Pair>> {
    let labels = std::fs::read_to_string(dev.join("audit/labels.jsonl")).expect("labels.jsonl");
    let mut deleted: BTreeMap<(String, String), usize> = BTreeMap::new();
    for line in labels.lines() {
        let value: serde_json::Value = serde_json::from_str(line).expect("label JSON");
        if value["check"] == "missing-segment" {
            deleted.insert(
                (value["case"].as_str().unwrap_or_default().to_string(), value["lang"].as_str().unwrap_or_default().to_string()),
                value["line"].as_u64().unwrap_or(0) as usize,
            );
        }
    }
    let mut paragraphs = Vec::new();
    for case in 901..=910 {
        let case = case.to_string();
        let en = read_lines(&dev.join(format!("audit/{case}.en.txt")));
        let side = |lang: &str| -> Vec<Option<String>> {
            let mut lines: Vec<Option<String>> = read_lines(&dev.join(format!("audit/{case}.{lang}.txt"))).into_iter().map(Some).collect();
            if let Some(line) = deleted.get(&(case.clone(), lang.to_string())) {
                lines.insert(line - 1, None);
            }
            lines.resize(en.len(), None);
            lines
        };
        let a = side(first);
        let b = side(second);
        paragraphs.push(a.into_iter().zip(b).collect());
    }
    paragraphs
}

/// TM pairs (`id<TAB>src<TAB>tgt`) as paragraphs of ten.
fn tm_paragraphs(path: &Path) -> Vec<Vec<Pair>> {
    let pairs: Vec<Pair> = read_lines(path)
        .into_iter()
        .skip(1)
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let _id = fields.next()?;
            Some((Some(fields.next()?.to_string()), Some(fields.next()?.to_string())))
        })
        .collect();
    pairs.chunks(10).map(<[Pair]>::to_vec).collect()
}

fn main() {
    let dev = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "../shared/data/dev".into()));
    let corpora: Vec<(String, Vec<Vec<Pair>>)> = vec![
        ("audit sq-sr".into(), audit_paragraphs(&dev, "sq", "sr")),
        ("audit sq-en".into(), audit_paragraphs(&dev, "sq", "en")),
        ("audit sr-en".into(), audit_paragraphs(&dev, "sr", "en")),
        ("tm en-sq".into(), tm_paragraphs(&dev.join("tm_en_sq.tsv"))),
        ("tm en-sr".into(), tm_paragraphs(&dev.join("tm_en_sr.tsv"))),
    ];
    let settings: Vec<(&str, AlignOptions)> = vec![
        ("gale-church (length only)", AlignOptions { anchors: false, paragraph_penalty: 0.0, length_cost_for_deletions: true, ..AlignOptions::default() }),
        ("+ paragraphs, prior-only deletions", AlignOptions { anchors: false, ..AlignOptions::default() }),
        ("termbridge default (+ anchors)", AlignOptions::default()),
    ];
    if std::env::args().any(|arg| arg == "--grid") {
        grid(&corpora);
        return;
    }
    let seeds = 5u64;
    println!("| corpus | pairs | settings | precision | recall | F1 |");
    println!("|---|---:|---|---:|---:|---:|");
    let mut totals: Vec<Score> = vec![Score::default(); settings.len()];
    for (name, paragraphs) in &corpora {
        let n_pairs: usize = paragraphs.iter().map(Vec::len).sum();
        for (setting_idx, (setting, options)) in settings.iter().enumerate() {
            let mut total = Score::default();
            for seed in 1..=seeds {
                let mut rng = Rng(seed * 7919);
                let (a, b, _) = build(paragraphs, &mut rng);
                total.add(score(&a, &b, options));
            }
            totals[setting_idx].add(total);
            let (p, r, f) = total.prf();
            println!("| {name} | {n_pairs} | {setting} | {:.3} | {:.3} | {:.3} |", p, r, f);
        }
    }
    for (setting_idx, (setting, _)) in settings.iter().enumerate() {
        let (p, r, f) = totals[setting_idx].prf();
        println!("| all (micro) | | {setting} | {:.3} | {:.3} | {:.3} |", p, r, f);
    }
}

/// Tries weight combinations on all corpora (to choose the defaults) and prints micro F1.
fn grid(corpora: &[(String, Vec<Vec<Pair>>)]) {
    for mismatch in [0.5, 1.0, 1.5, 2.5] {
        for matched in [0.5, 1.0, 2.0, 3.0] {
            for paragraph in [1.0, 3.0, 6.0] {
                let options = AlignOptions { anchor_mismatch: mismatch, anchor_match: matched, paragraph_penalty: paragraph, ..AlignOptions::default() };
                let mut total = Score::default();
                for (_, paragraphs) in corpora {
                    for seed in 1..=3u64 {
                        let mut rng = Rng(seed * 104729);
                        let (a, b, _) = build(paragraphs, &mut rng);
                        total.add(score(&a, &b, &options));
                    }
                }
                let (p, r, f) = total.prf();
                println!("mismatch {mismatch} match {matched} paragraph {paragraph}: P {p:.3} R {r:.3} F1 {f:.3}");
            }
        }
    }
}
