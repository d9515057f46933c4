//! Term base benchmarks on synthetic data (plain binary, no harness):
//!
//! 1. lookup latency with 100,000 concepts (about 430,000 terms in sq, sr-Latn, derived
//!    sr-Cyrl and en), over a mix of exact, folded, Cyrillic, inflected, misspelt and prefix
//!    queries;
//! 2. term recognition over 1 MB of Serbian and of Albanian text with 50,000 terms loaded, on
//!    one core.
//!
//! Run: `cargo bench --bench terms` (`TERMS_BENCH_CONCEPTS`, `TERMS_BENCH_QUERIES` change the
//! sizes). Figures go to BENCHMARKS.md.

use std::time::Instant;

use termbridge::model::lang::{Lang, LangTag};
use termbridge::model::{Concept, Term, TermStatus};
use termbridge::termbase::{LookupOptions, TermIndex, derive_serbian_scripts};

/// A small deterministic generator (PCG-style LCG), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const SQ_SYLLABLES: &[&str] = &[
    "ko", "mu", "në", "ku", "ve", "ndi", "gji", "shë", "ri", "ta", "për", "dre", "jto", "ria", "zyr", "ça", "xhe", "le", "gje", "sti", "mi", "ra", "ligj",
    "ba", "fsha", "pu", "shtë", "dë", "ho", "rë",
];
const SR_SYLLABLES: &[&str] = &[
    "op", "šti", "na", "sku", "pa", "za", "ko", "nje", "lju", "đa", "vi", "ča", "će", "ži", "dže", "ra", "ste", "pro", "gra", "ni", "vo", "ja", "li", "ma",
    "se", "ti", "ob", "ra", "zo", "van",
];
const EN_SYLLABLES: &[&str] = &[
    "mu", "ni", "ci", "pal", "ad", "mi", "nis", "tra", "tion", "com", "mit", "tee", "re", "gis", "ter", "of", "fice", "law", "de", "part", "ment", "coun",
    "cil", "stat", "ute",
];

fn make_vocabulary(rng: &mut Rng, syllables: &[&str], size: usize, endings: &[&str]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut words = Vec::with_capacity(size);
    while words.len() < size {
        let count = 2 + rng.below(3);
        let mut word: String = (0..count).map(|_| *rng.pick(syllables)).collect();
        let ending: &&str = rng.pick(endings);
        word.push_str(ending);
        if seen.insert(word.clone()) {
            words.push(word);
        }
    }
    words
}

struct Vocabularies {
    sq: Vec<String>,
    sr: Vec<String>,
    en: Vec<String>,
}

fn phrase(rng: &mut Rng, words: &[String], joiner: Option<&str>) -> String {
    let count = 1 + rng.below(3);
    let mut parts: Vec<String> = Vec::with_capacity(count + 1);
    for idx in 0..count {
        if idx == 1
            && let Some(joiner) = joiner
        {
            parts.push(joiner.to_string());
        }
        parts.push(rng.pick(words).clone());
    }
    let mut text = parts.join(" ");
    if rng.below(3) == 0 {
        // Capitalised like an institution's name.
        let mut chars = text.chars();
        if let Some(first) = chars.next() {
            text = first.to_uppercase().chain(chars).collect();
        }
    }
    text
}

fn synthetic_concepts(count: usize, seed: u64) -> (Vec<Concept>, Vocabularies) {
    let mut rng = Rng(seed);
    let vocabularies = Vocabularies {
        sq: make_vocabulary(&mut rng, SQ_SYLLABLES, 30_000, &["", "ë", "i", "a"]),
        sr: make_vocabulary(&mut rng, SR_SYLLABLES, 30_000, &["", "a", "o", "i"]),
        en: make_vocabulary(&mut rng, EN_SYLLABLES, 25_000, &["", "s", "al"]),
    };
    let mut concepts = Vec::with_capacity(count);
    let mut seen_sr = std::collections::HashSet::new();
    for idx in 0..count {
        let mut concept = Concept::new(format!("c{idx}"));
        concept.subject = Some(["local-government", "legal-structure", "civil-registry"][idx % 3].to_string());
        concept.terms.push(Term::new(LangTag::EN, phrase(&mut rng, &vocabularies.en, Some("of")), TermStatus::Preferred));
        let sq_joiner = *rng.pick(&["i", "e", "të"]);
        concept.terms.push(Term::new(LangTag::SQ, phrase(&mut rng, &vocabularies.sq, Some(sq_joiner)), TermStatus::Preferred));
        let sr = phrase(&mut rng, &vocabularies.sr, Some("za"));
        seen_sr.insert(sr.clone());
        concept.terms.push(Term::new(LangTag::SR_LATN, sr, TermStatus::Preferred));
        if rng.below(5) == 0 {
            concept.terms.push(Term::new(LangTag::SR_LATN, phrase(&mut rng, &vocabularies.sr, None), TermStatus::Admitted));
        }
        if rng.below(20) == 0 {
            concept.terms.push(Term::new(LangTag::SQ, phrase(&mut rng, &vocabularies.sq, None), TermStatus::Deprecated));
        }
        concept.terms.dedup_by(|a, b| a.lang == b.lang && a.text == b.text);
        derive_serbian_scripts(&mut concept);
        concepts.push(concept);
    }
    (concepts, vocabularies)
}

/// CPU time of the calling thread, in microseconds: unlike wall time, it does not count the
/// time the thread waited for a core on a busy machine.
fn thread_cpu_micros() -> f64 {
    #[repr(C)]
    struct Timespec {
        tv_sec: i64,
        tv_nsec: i64,
    }
    unsafe extern "C" {
        fn clock_gettime(clock: i32, tp: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut now = Timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes one timespec (two 64-bit fields on x86_64 and aarch64
    // Linux) into the valid, exclusively borrowed `now`.
    let status = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut now) };
    if status != 0 {
        return 0.0;
    }
    now.tv_sec as f64 * 1e6 + now.tv_nsec as f64 / 1e3
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg").ok().and_then(|line| line.split_whitespace().next().map(str::to_string)).unwrap_or_else(|| "?".into())
}

fn rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| status.lines().find(|line| line.starts_with("VmRSS:")).and_then(|line| line.split_whitespace().nth(1)?.parse::<f64>().ok()))
        .map_or(0.0, |kib| kib / 1024.0)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// Strips diacritics the way people type without them.
fn ascii_typed(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'ë' => 'e',
            'ç' | 'č' | 'ć' => 'c',
            'š' => 's',
            'ž' => 'z',
            'đ' => 'd',
            other => other,
        })
        .collect()
}

/// An inflected form of a one-word Albanian or Serbian term.
fn inflect(term: &Term, rng: &mut Rng) -> Option<String> {
    if term.text.contains(' ') || term.lang.script == Some(termbridge::model::lang::SrScript::Cyrl) {
        return None;
    }
    let text = term.text.to_lowercase();
    let form = match term.lang.lang {
        Lang::Sq if text.ends_with('ë') => format!("{}ës", text.strip_suffix('ë')?),
        Lang::Sq if text.ends_with('a') => format!("{}ës", text.strip_suffix('a')?),
        Lang::Sq if text.ends_with('i') => format!("{text}t"),
        Lang::Sq => format!("{text}{}", rng.pick(&["it", "in", "et"])),
        Lang::Sr if text.ends_with('a') => format!("{}{}", text.strip_suffix('a')?, rng.pick(&["i", "e", "om", "ama"])),
        Lang::Sr if text.ends_with('o') => format!("{}{}", text.strip_suffix('o')?, rng.pick(&["a", "u", "om"])),
        Lang::Sr if text.ends_with('i') => format!("{}og", text.strip_suffix('i')?),
        Lang::Sr if text.ends_with('e') => format!("{}{}", text.strip_suffix('e')?, rng.pick(&["a", "u", "em"])),
        Lang::Sr => format!("{text}{}", rng.pick(&["a", "u", "om", "ima"])),
        _ => return None,
    };
    Some(form)
}

/// One random edit (substitution, deletion, insertion or transposition) in a term of 5+ letters.
fn typo(text: &str, rng: &mut Rng) -> Option<String> {
    let mut chars: Vec<char> = text.chars().collect();
    if chars.iter().filter(|c| c.is_alphabetic()).count() < 5 {
        return None;
    }
    let at = 1 + rng.below(chars.len() - 2);
    match rng.below(4) {
        0 => chars[at] = 'x',
        1 => {
            chars.remove(at);
        }
        2 => chars.insert(at, 'q'),
        _ => chars.swap(at, at + 1),
    }
    Some(chars.into_iter().collect())
}

fn lookup_benchmark() {
    let concept_count: usize = std::env::var("TERMS_BENCH_CONCEPTS").ok().and_then(|raw| raw.parse().ok()).unwrap_or(100_000);
    let query_count: usize = std::env::var("TERMS_BENCH_QUERIES").ok().and_then(|raw| raw.parse().ok()).unwrap_or(5_000);
    let rss_before = rss_mib();
    let started = Instant::now();
    let (concepts, _) = synthetic_concepts(concept_count, 7);
    let generated = started.elapsed();
    let started = Instant::now();
    let index = TermIndex::build(concepts);
    let built = started.elapsed();
    println!("## Lookup: {concept_count} concepts, {} terms", index.term_count());
    println!(
        "generate {:.2} s, build index {:.2} s, RSS {:.0} MiB (after {:.0} MiB before)",
        generated.as_secs_f64(),
        built.as_secs_f64(),
        rss_mib(),
        rss_before
    );

    let mut rng = Rng(99);
    let kinds = ["exact", "folded", "cyrillic", "inflected", "typo", "prefix"];
    let mut queries: Vec<(usize, String)> = Vec::with_capacity(query_count);
    let mut origins: Vec<String> = Vec::with_capacity(query_count);
    while queries.len() < query_count {
        let concept = rng.pick(index.concepts());
        let term = rng.pick(&concept.terms);
        let kind = rng.below(kinds.len());
        let query = match kinds[kind] {
            "exact" => Some(term.text.clone()),
            "folded" => Some(ascii_typed(&term.text).to_uppercase()),
            "cyrillic" => concept.terms.iter().find(|t| t.lang == LangTag::SR_CYRL).map(|t| t.text.clone()),
            "inflected" => inflect(term, &mut rng),
            "typo" => typo(&term.text, &mut rng),
            _ => {
                let chars: Vec<char> = term.text.chars().collect();
                (chars.len() > 6).then(|| chars[..4 + rng.below(3)].iter().collect())
            }
        };
        if let Some(query) = query {
            queries.push((kind, query));
            origins.push(format!("{} {} {:?}", concept.id, term.lang, term.text));
        }
    }
    let options = LookupOptions::default();
    // Warm up the allocator and caches.
    for (_, query) in queries.iter().take(200) {
        std::hint::black_box(index.lookup(query, &options));
    }
    let mut all = Vec::with_capacity(queries.len());
    let mut all_wall = Vec::with_capacity(queries.len());
    let mut by_kind: Vec<Vec<f64>> = vec![Vec::new(); kinds.len()];
    let mut empty = vec![0usize; kinds.len()];
    let load_before = load_average();
    let started = Instant::now();
    for ((kind, query), origin) in queries.iter().zip(&origins) {
        let one = Instant::now();
        let cpu = thread_cpu_micros();
        let hits = index.lookup(query, &options);
        let micros = thread_cpu_micros() - cpu;
        all_wall.push(one.elapsed().as_secs_f64() * 1e6);
        if hits.is_empty() {
            empty[*kind] += 1;
            if std::env::var_os("TERMS_BENCH_DEBUG").is_some() {
                eprintln!("no hit: {} {query:?} from {origin}", kinds[*kind]);
            }
        }
        std::hint::black_box(&hits);
        all.push(micros);
        by_kind[*kind].push(micros);
    }
    let total = started.elapsed();
    all.sort_by(f64::total_cmp);
    all_wall.sort_by(f64::total_cmp);
    println!("{} queries in {:.2} s (load average {load_before} before, {} after)", all.len(), total.as_secs_f64(), load_average());
    for (name, times) in [("thread CPU time", &all), ("wall time", &all_wall)] {
        println!(
            "{name}: p50 {:.0} µs, p95 {:.0} µs, p99 {:.0} µs, max {:.0} µs",
            percentile(times, 50.0),
            percentile(times, 95.0),
            percentile(times, 99.0),
            times.last().copied().unwrap_or(0.0)
        );
    }
    println!("| query kind (CPU time) | n | p50 µs | p99 µs | max µs | no hit |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (kind, name) in kinds.iter().enumerate() {
        let times = &mut by_kind[kind];
        times.sort_by(f64::total_cmp);
        println!(
            "| {name} | {} | {:.0} | {:.0} | {:.0} | {} |",
            times.len(),
            percentile(times, 50.0),
            percentile(times, 99.0),
            times.last().copied().unwrap_or(0.0),
            empty[kind]
        );
    }
}

/// About `bytes` of running text in `lang`: filler words, term words and whole terms, some
/// inflected, in sentences of 8–20 words.
fn running_text(index: &TermIndex, vocabularies: &Vocabularies, lang: Lang, bytes: usize, rng: &mut Rng) -> String {
    let filler: &[&str] = match lang {
        Lang::Sq => &["dhe", "në", "për", "me", "që", "nga", "është", "janë", "kjo", "ky", "sipas", "nenit", "vendimi", "u", "miratua", "sot"],
        _ => &["i", "u", "na", "za", "od", "je", "su", "se", "da", "ova", "prema", "članu", "odluka", "danas", "usvojena", "koja"],
    };
    let words = match lang {
        Lang::Sq => &vocabularies.sq,
        _ => &vocabularies.sr,
    };
    let terms: Vec<&Term> = index
        .concepts()
        .iter()
        .flat_map(|concept| concept.terms.iter())
        .filter(|term| term.lang.lang == lang && term.lang.script != Some(termbridge::model::lang::SrScript::Cyrl))
        .collect();
    let mut text = String::with_capacity(bytes + 200);
    while text.len() < bytes {
        let length = 8 + rng.below(13);
        for idx in 0..length {
            let word = match rng.below(10) {
                0 | 1 => {
                    let term = rng.pick(&terms);
                    if rng.below(2) == 0 { inflect(term, rng).unwrap_or_else(|| term.text.clone()) } else { term.text.clone() }
                }
                2 | 3 => rng.pick(words).clone(),
                _ => rng.pick(filler).to_string(),
            };
            if idx > 0 {
                text.push(' ');
            }
            text.push_str(&word);
        }
        text.push_str(if rng.below(8) == 0 { ".\n" } else { ". " });
    }
    text
}

fn recognition_benchmark() {
    // Concepts with about four terms each (sq, sr-Latn, sr-Cyrl, en): 50,000 terms.
    let (mut concepts, vocabularies) = synthetic_concepts(13_000, 11);
    let mut terms = 0;
    concepts.retain(|concept| {
        terms += concept.terms.len();
        terms <= 50_000
    });
    let index = TermIndex::build(concepts);
    println!("\n## Recognition: {} terms loaded, one core", index.term_count());
    println!("| text | bytes | words | occurrences | CPU best of 5 | CPU median of 5 | wall median of 5 |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let mut rng = Rng(5);
    for (lang, name) in [(Lang::Sr, "Serbian (Latin)"), (Lang::Sq, "Albanian")] {
        let text = running_text(&index, &vocabularies, lang, 1 << 20, &mut rng);
        let mut times = Vec::new();
        let mut walls = Vec::new();
        let mut found = 0;
        for _ in 0..5 {
            let started = Instant::now();
            let cpu = thread_cpu_micros();
            let occurrences = index.recognize(&text, lang);
            times.push((thread_cpu_micros() - cpu) / 1e6);
            walls.push(started.elapsed().as_secs_f64());
            found = occurrences.len();
            std::hint::black_box(occurrences);
        }
        times.sort_by(f64::total_cmp);
        walls.sort_by(f64::total_cmp);
        println!("| {name} | {} | {} | {found} | {:.3} s | {:.3} s | {:.3} s |", text.len(), text.split_whitespace().count(), times[0], times[2], walls[2]);
    }
    let cyrillic = termbridge::text::lat_to_cyr(&running_text(&index, &vocabularies, Lang::Sr, 1 << 20, &mut rng)).into_owned();
    let started = Instant::now();
    let cpu = thread_cpu_micros();
    let found = index.recognize(&cyrillic, Lang::Sr).len();
    let cpu = (thread_cpu_micros() - cpu) / 1e6;
    println!(
        "| Serbian (Cyrillic) | {} | {} | {found} | {cpu:.3} s (one run) | | {:.3} s |",
        cyrillic.len(),
        cyrillic.split_whitespace().count(),
        started.elapsed().as_secs_f64()
    );
}

fn main() {
    // `cargo bench` passes --bench; nothing to parse.
    lookup_benchmark();
    recognition_benchmark();
}
