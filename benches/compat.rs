//! The compatible APIs measured (plain binary, no harness):
//!
//! 1. building the `Proofreader` with the shipped Kosovo term base;
//! 2. the proofreading rules on the development audit set (`../shared/data/dev/audit`): for
//!    each labelled defect of a check the LanguageTool endpoint reports, whether a match of
//!    that rule lands on that line, and how many matches land on lines without a label;
//! 3. `Proofreader::check` latency per line of that set;
//! 4. over loopback HTTP, with the development TM (`tm_en_sq.tsv`, `tm_en_sr.tsv`) loaded:
//!    `GET /tmserver/en/{sq,sr_latn}/unit/{text}` as Weblate builds it, for edited source
//!    sentences, and `POST /v2/check` as LibreOffice sends it, for the audit set's lines.
//!
//! Run: `cargo bench --bench compat`. Without `../shared` the parts that need it say so and
//! are skipped. Figures go to BENCHMARKS.md.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use serde_json::Value;
use termbridge::api::{AppState, ServeConfig, router};
use termbridge::model::lang::LangTag;
use termbridge::model::{TranslationUnit, Variant};
use termbridge::proofread::{Proofreader, checks};
use termbridge::termbase::{TermIndex, shipped_concepts};

fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn percentiles(mut micros: Vec<f64>) -> String {
    if micros.is_empty() {
        return "no samples".to_string();
    }
    micros.sort_by(f64::total_cmp);
    let at = |q: f64| micros[((micros.len() - 1) as f64 * q).round() as usize];
    let mean = micros.iter().sum::<f64>() / micros.len() as f64;
    format!("n={} p50={:.0} µs p95={:.0} µs p99={:.0} µs mean={:.0} µs max={:.0} µs", micros.len(), at(0.5), at(0.95), at(0.99), mean, at(1.0))
}

/// The audit set: (case, lang, tag, lines).
fn audit_lines(dir: &Path) -> Vec<(String, String, LangTag, Vec<String>)> {
    let Ok(cases) = std::fs::read_to_string(dir.join("cases.jsonl")) else { return Vec::new() };
    let mut out = Vec::new();
    for line in cases.lines().filter(|line| !line.trim().is_empty()) {
        let Ok(case) = serde_json::from_str::<Value>(line) else { continue };
        let Some(id) = case["case"].as_str() else { continue };
        let sr_tag = if case["sr_script"] == "latn" { LangTag::SR_LATN } else { LangTag::SR_CYRL };
        for (lang, tag) in [("sq", LangTag::SQ), ("sr", sr_tag)] {
            let Ok(text) = std::fs::read_to_string(dir.join(format!("{id}.{lang}.txt"))) else { continue };
            out.push((id.to_string(), lang.to_string(), tag, text.lines().map(str::to_string).collect()));
        }
    }
    out
}

fn main() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/dev");

    let started = Instant::now();
    let terms = shipped_concepts().ok().map(TermIndex::build);
    let n_terms = terms.as_ref().map_or(0, TermIndex::term_count);
    let proofreader = Proofreader::new(terms);
    println!("proofreader: built in {:.1} ms with the shipped gazetteer and {n_terms} terms", started.elapsed().as_secs_f64() * 1e3);

    let audit = audit_lines(&shared.join("audit"));
    if audit.is_empty() {
        println!("SKIPPED dev audit set: {} not found", shared.join("audit").display());
    } else {
        // (case, lang, line) -> checks labelled there.
        let labels: Vec<(String, String, usize, String)> = std::fs::read_to_string(shared.join("audit/labels.jsonl"))
            .unwrap_or_default()
            .lines()
            .filter_map(|line| serde_json::from_str::<Value>(line).ok())
            .filter_map(|label| {
                Some((
                    label["case"].as_str()?.to_string(),
                    label["lang"].as_str()?.to_string(),
                    label["line"].as_u64()? as usize,
                    label["check"].as_str()?.to_string(),
                ))
            })
            .collect();
        let mut found: Vec<(String, String, usize, &'static str)> = Vec::new();
        let mut micros = Vec::new();
        let mut chars = 0usize;
        for (case, lang, tag, lines) in &audit {
            for (idx, line) in lines.iter().enumerate() {
                chars += line.chars().count();
                let started = Instant::now();
                let issues = proofreader.check(line, *tag);
                micros.push(started.elapsed().as_secs_f64() * 1e6);
                for issue in issues {
                    found.push((case.clone(), lang.clone(), idx + 1, issue.check));
                }
            }
        }
        println!("proofread latency per line ({} lines, {chars} characters): {}", micros.len(), percentiles(micros.clone()));
        println!("proofread throughput: {:.2} MB of text per second of one core", chars as f64 / micros.iter().sum::<f64>());
        println!("proofread issues on the set: {}", found.len());
        println!("rule      labelled  found  matches-off-label");
        for check in checks() {
            let labelled: Vec<_> = labels.iter().filter(|label| label.3 == check).collect();
            let hit = labelled.iter().filter(|label| found.iter().any(|f| f.0 == label.0 && f.1 == label.1 && f.2 == label.2 && f.3 == check)).count();
            let off = found.iter().filter(|f| f.3 == check && !labels.iter().any(|label| label.0 == f.0 && label.1 == f.1 && label.2 == f.2)).count();
            println!("{check:<20} {:>3} {:>6} {:>6}", labelled.len(), hit, off);
        }
    }

    // HTTP over loopback with the development TM.
    let dir = tempfile::tempdir().expect("tempdir");
    let (workspace, _) = termbridge::Workspace::open(dir.path(), &mut |_, _| {}).expect("open workspace");
    let mut queries: Vec<(&str, String)> = Vec::new();
    for (file, tgt) in [("tm_en_sq.tsv", LangTag::SQ), ("tm_en_sr.tsv", LangTag::SR_CYRL)] {
        let Ok(text) = std::fs::read_to_string(shared.join(file)) else {
            println!("SKIPPED {file}: not found");
            continue;
        };
        let units: Vec<TranslationUnit> = text
            .lines()
            .skip(1)
            .filter_map(|line| {
                let mut fields = line.split('\t');
                let (id, src, target) = (fields.next()?, fields.next()?, fields.next()?);
                Some(TranslationUnit {
                    id: id.to_string(),
                    collection: file.to_string(),
                    variants: vec![Variant::new(LangTag::EN, src), Variant::new(tgt, target)],
                    props: Default::default(),
                    notes: Vec::new(),
                    created: None,
                    changed: None,
                })
            })
            .collect();
        let code = if tgt == LangTag::SQ { "sq" } else { "sr_latn" };
        // Every fifth source sentence of at least three words, with its last letter dropped:
        // a near miss, as a translator's new string usually is.
        for unit in units.iter().step_by(5).filter(|unit| unit.variants[0].text.split_whitespace().count() >= 3) {
            let mut query = unit.variants[0].text.clone();
            query.pop();
            queries.push((code, query));
        }
        workspace.add_units(&units).expect("units stored");
    }
    let state = AppState::new(Arc::new(workspace), ServeConfig::default());
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    runtime.spawn(async move { axum::serve(listener, router(state)).await });
    termbridge::monitor::crawl::install_default_provider();
    let client = reqwest::blocking::Client::new();

    if !queries.is_empty() {
        // The first lookup per language builds the match index; it is timed apart.
        let started = Instant::now();
        for code in ["sq", "sr_latn"] {
            let _ = client.get(format!("{base}/tmserver/en/{code}/unit/warm")).send();
        }
        println!("tmserver: first lookups (match index built) {:.0} ms", started.elapsed().as_secs_f64() * 1e3);
        let mut micros = Vec::new();
        let mut with_hits = 0;
        for (code, query) in &queries {
            let url = format!("{base}/tmserver/en/{code}/unit/{}", quote(query));
            let started = Instant::now();
            let body: Value = client.get(&url).send().and_then(|response| response.json()).unwrap_or(Value::Null);
            micros.push(started.elapsed().as_secs_f64() * 1e6);
            if body.as_array().is_some_and(|hits| !hits.is_empty()) {
                with_hits += 1;
            }
        }
        println!("tmserver lookups over HTTP: {} ({with_hits} of {} with a suggestion)", percentiles(micros), queries.len());
    }

    if !audit.is_empty() {
        let mut micros = Vec::new();
        let mut n_matches = 0;
        for (_, _, tag, lines) in &audit {
            for line in lines {
                let body = format!("text={}&language={tag}", quote(line));
                let started = Instant::now();
                let answer: Value = client
                    .post(format!("{base}/v2/check"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .body(body)
                    .send()
                    .and_then(|response| response.json())
                    .unwrap_or(Value::Null);
                micros.push(started.elapsed().as_secs_f64() * 1e6);
                n_matches += answer["matches"].as_array().map_or(0, Vec::len);
            }
        }
        println!("/v2/check over HTTP (LibreOffice's form body, one line each): {} ({n_matches} matches)", percentiles(micros));
    }
}
