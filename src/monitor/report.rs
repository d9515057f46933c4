//! The report of a monitoring run: the compliance score, the counts by check, the documents
//! with their missing versions and the script of their Serbian version, translation lag, and
//! what was fixed or is new since the run before; rendered as JSON (the contract of issue #15
//! point 8, fields added), CSV (one finding a row) or a standalone HTML page.
//!
//! Plain functions over [`RunRecord`]s: nothing here reads the store or the network.
//!
//! # The score
//!
//! With `D` documents (groups of language versions of one page), `C` of them with a version
//! in every required language, and, over all documents, `E` findings of severity error and
//! `W` of severity warning other than `missing-version` (a missing version already counts
//! through `C`):
//!
//! ```text
//! score = clamp(100 × C / D − (10 × E + 2.5 × W) / D, 0, 100)
//! ```
//!
//! rounded to one decimal; 0 when there is no document. So a site with every document in
//! every required language and no defect scores 100; each missing version costs its
//! document's whole share; an error costs as much as a tenth of a document, a warning a
//! fortieth. Information findings cost nothing.
//!
//! # Translation lag
//!
//! A version's date is the earliest evidence of it: the time termbridge first saw its URL,
//! its `Last-Modified` header and its sitemap `lastmod`. The lag of a translation is the
//! whole days from the original's date (the Albanian version, else the earliest) to its own,
//! 0 when it came first.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::audit::report::html::escape;
use crate::model::Severity;
use crate::model::monitor::{FailureKind, Institution, PageDates, RefusalKind, RunDocument, RunFinding, RunRecord};

/// The score formula as the reports print it.
pub const SCORE_FORMULA: &str =
    "clamp(100 × C / D − (10 × E + 2.5 × W) / D, 0, 100): D documents, C with every required version, E errors and W warnings other than missing-version";

/// What an error and a warning cost, in documents.
const ERROR_WEIGHT: f64 = 0.1;
const WARNING_WEIGHT: f64 = 0.025;

/// The compliance score of a run's documents (see the module documentation).
pub fn score(documents: &[RunDocument]) -> f64 {
    if documents.is_empty() {
        return 0.0;
    }
    let total = documents.len() as f64;
    let complete = documents.iter().filter(|doc| doc.missing.is_empty()).count() as f64;
    let (mut errors, mut warnings) = (0usize, 0usize);
    for finding in documents.iter().flat_map(|doc| &doc.findings).filter(|finding| finding.check != "missing-version") {
        match finding.severity {
            Severity::Error => errors += 1,
            Severity::Warning => warnings += 1,
            Severity::Info => {}
        }
    }
    let raw = 100.0 * (complete - ERROR_WEIGHT * errors as f64 - WARNING_WEIGHT * warnings as f64) / total;
    (raw.clamp(0.0, 100.0) * 10.0).round() / 10.0
}

/// Findings per check id over all documents.
pub fn findings_by_check(documents: &[RunDocument]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for finding in documents.iter().flat_map(|doc| &doc.findings) {
        *counts.entry(finding.check.clone()).or_insert(0) += 1;
    }
    counts
}

/// The run as the report shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunSummary {
    pub id: u64,
    pub started: u64,
    pub finished: u64,
    pub pages_fetched: usize,
    pub pages_refused: usize,
    pub pages_not_modified: usize,
    pub pages_unreadable: usize,
    /// Pages that are mostly links (indexes, menus): followed, not audited.
    pub pages_listing: usize,
    /// Documents unchanged since the run before, whose findings were carried over.
    pub documents_reused: usize,
    pub refusals: BTreeMap<RefusalKind, usize>,
    pub failures: BTreeMap<FailureKind, usize>,
}

/// A document of the report: the stored one with the lag of each translation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportDocument {
    pub urls: BTreeMap<String, String>,
    pub missing: Vec<String>,
    pub script: BTreeMap<String, String>,
    pub method: Option<crate::model::monitor::PairMethod>,
    pub confidence: f32,
    pub findings: Vec<RunFinding>,
    /// Whole days from the original's date to each translation's (see the module docs).
    pub lag_days: BTreeMap<String, u64>,
}

/// The scripts of the Serbian versions.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SerbianScripts {
    /// Documents with a Serbian version.
    pub pages: usize,
    pub cyrillic: usize,
    /// Serbian only in Latin script (Law No. 02/L-37 Art. 2 makes the alphabet official too).
    pub latin_only: usize,
    /// `latin_only / pages`, 0 without Serbian pages.
    pub latin_only_share: f64,
}

/// Translation lag over the documents.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Lag {
    /// Translations whose lag is known.
    pub translations: usize,
    pub median_days: Option<u64>,
    pub max_days: Option<u64>,
}

/// What changed since the run before.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SincePrevious {
    pub previous_run: u64,
    pub previous_score: f64,
    /// Findings of the previous run that are gone.
    pub fixed: Vec<RunFinding>,
    /// Findings the previous run did not have.
    pub new: Vec<RunFinding>,
    pub unchanged: usize,
}

/// The report of one run (the JSON contract, with added fields).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonitorReport {
    /// The institution's id.
    pub institution: String,
    pub name: String,
    pub municipality: Option<String>,
    pub required: Vec<String>,
    pub run: RunSummary,
    pub score: f64,
    pub score_formula: &'static str,
    pub documents: Vec<ReportDocument>,
    pub findings_by_check: BTreeMap<String, usize>,
    pub serbian: SerbianScripts,
    pub translation_lag: Lag,
    /// `None` for an institution's first run.
    pub since_previous: Option<SincePrevious>,
}

/// Builds the report of `run`, compared with `previous` (the institution's run before it).
pub fn report(institution: &Institution, run: &RunRecord, previous: Option<&RunRecord>) -> MonitorReport {
    let documents: Vec<ReportDocument> = run
        .documents
        .iter()
        .map(|doc| ReportDocument {
            urls: doc.urls.clone(),
            missing: doc.missing.clone(),
            script: doc.script.clone(),
            method: doc.method,
            confidence: doc.confidence,
            findings: doc.findings.clone(),
            lag_days: lag_days(doc),
        })
        .collect();
    let mut serbian = SerbianScripts::default();
    for doc in run.documents.iter().filter(|doc| doc.urls.contains_key("sr")) {
        serbian.pages += 1;
        match doc.script.get("sr").map(String::as_str) {
            Some("Cyrl") => serbian.cyrillic += 1,
            Some("Latn") => serbian.latin_only += 1,
            _ => {}
        }
    }
    if serbian.pages > 0 {
        serbian.latin_only_share = (serbian.latin_only as f64 / serbian.pages as f64 * 1000.0).round() / 1000.0;
    }
    let mut lags: Vec<u64> = documents.iter().flat_map(|doc| doc.lag_days.values().copied()).collect();
    lags.sort_unstable();
    let translation_lag = Lag { translations: lags.len(), median_days: lags.get(lags.len() / 2).copied(), max_days: lags.last().copied() };
    MonitorReport {
        institution: institution.id.clone(),
        name: institution.name.clone(),
        municipality: institution.municipality.clone(),
        required: run.required.clone(),
        run: RunSummary {
            id: run.id,
            started: run.started,
            finished: run.finished,
            pages_fetched: run.pages_fetched,
            pages_refused: run.pages_refused,
            pages_not_modified: run.pages_not_modified,
            pages_unreadable: run.pages_unreadable,
            pages_listing: run.pages_listing,
            documents_reused: run.documents_reused,
            refusals: run.refusals.clone(),
            failures: run.failures.clone(),
        },
        score: run.score,
        score_formula: SCORE_FORMULA,
        documents,
        findings_by_check: run.findings_by_check.clone(),
        serbian,
        translation_lag,
        since_previous: previous.map(|previous| compare(previous, run)),
    }
}

/// A finding's identity across runs: check, language, page and excerpt (not the line: an
/// edit above a defect moves it without fixing it).
fn fingerprint(finding: &RunFinding) -> (String, String, String, String) {
    (finding.check.clone(), finding.lang.clone(), finding.url.clone(), finding.excerpt.clone())
}

/// What was fixed and what is new in `current` since `previous` (findings with multiplicity).
pub fn compare(previous: &RunRecord, current: &RunRecord) -> SincePrevious {
    let mut before: BTreeMap<_, Vec<&RunFinding>> = BTreeMap::new();
    for finding in previous.documents.iter().flat_map(|doc| &doc.findings) {
        before.entry(fingerprint(finding)).or_default().push(finding);
    }
    let mut new = Vec::new();
    let mut unchanged = 0;
    for finding in current.documents.iter().flat_map(|doc| &doc.findings) {
        match before.get_mut(&fingerprint(finding)).and_then(Vec::pop) {
            Some(_) => unchanged += 1,
            None => new.push(finding.clone()),
        }
    }
    let fixed = before.into_values().flatten().cloned().collect();
    SincePrevious { previous_run: previous.id, previous_score: previous.score, fixed, new, unchanged }
}

/// Seconds since the epoch of an HTTP date (`Last-Modified`).
pub fn parse_http_date(text: &str) -> Option<u64> {
    httpdate::parse_http_date(text.trim()).ok()?.duration_since(std::time::UNIX_EPOCH).ok().map(|elapsed| elapsed.as_secs())
}

/// Seconds since the epoch of the day of a sitemap `lastmod` (W3C date, `YYYY-MM-DD` first).
pub fn parse_lastmod(text: &str) -> Option<u64> {
    let date = text.trim().get(..10)?;
    let mut parts = date.split('-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: i64 = parts.next()?.parse().ok()?;
    let day: i64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    // Days since 1970-01-01 of a civil date (H. Hinnant's algorithm).
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year - era * 400;
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    u64::try_from(days * 86_400).ok()
}

/// The earliest evidence of a version (see the module documentation).
pub fn version_date(dates: &PageDates) -> u64 {
    let mut earliest = dates.first_seen;
    for candidate in [dates.last_modified.as_deref().and_then(parse_http_date), dates.lastmod.as_deref().and_then(parse_lastmod)].into_iter().flatten() {
        earliest = earliest.min(candidate);
    }
    earliest
}

/// The lag of each translation of a document, in whole days.
fn lag_days(doc: &RunDocument) -> BTreeMap<String, u64> {
    let dated: BTreeMap<&str, u64> =
        doc.dates.iter().filter(|(lang, _)| doc.urls.contains_key(*lang)).map(|(lang, dates)| (lang.as_str(), version_date(dates))).collect();
    let original = match dated.get("sq") {
        Some(&date) => Some(("sq", date)),
        None => dated.iter().min_by_key(|(_, date)| **date).map(|(lang, date)| (*lang, *date)),
    };
    let Some((original, original_date)) = original else { return BTreeMap::new() };
    dated.iter().filter(|(lang, _)| **lang != original).map(|(lang, date)| (lang.to_string(), date.saturating_sub(original_date) / 86_400)).collect()
}

/// The report as pretty-printed JSON.
pub fn render_json(report: &MonitorReport) -> String {
    // The report holds strings, numbers and maps only; serialising it cannot fail.
    serde_json::to_string_pretty(report).unwrap_or_else(|err| format!("{{\"error\": \"{err}\"}}"))
}

/// The CSV columns, in order.
pub const CSV_COLUMNS: [&str; 9] = ["run", "check", "severity", "lang", "url", "line", "message", "excerpt", "suggestion"];

/// The findings as CSV, one a row (RFC 4180 quoting).
pub fn render_csv(report: &MonitorReport) -> String {
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
    // Writing to a Vec cannot fail for I/O reasons, and every record has the header's width.
    let _ = writer.write_record(CSV_COLUMNS);
    let run = report.run.id.to_string();
    for finding in report.documents.iter().flat_map(|doc| &doc.findings) {
        let line = finding.line.to_string();
        let _ = writer.write_record([
            run.as_str(),
            &finding.check,
            finding.severity.as_str(),
            &finding.lang,
            &finding.url,
            &line,
            &finding.message,
            &finding.excerpt,
            finding.suggestion.as_deref().unwrap_or(""),
        ]);
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// A UTC time `YYYY-MM-DD HH:MM:SS` for seconds since the epoch.
fn time(secs: u64) -> String {
    crate::audit::history::format_date(secs.saturating_mul(1_000_000_000)).replace('T', " ").replace('Z', " UTC")
}

const EXTRA_STYLE: &str = "td.missing{color:#b71c1c;font-weight:600}ul.findings{margin:.2rem 0;padding-left:1.1rem;font-size:.85rem}\
.sev-error{color:#b71c1c}.sev-warning{color:#8a6d00}.formula{font-size:.85rem;color:#444}td.url{word-break:break-all}";

/// The report as a standalone HTML page (inline style, no script; every text escaped).
pub fn render_html(report: &MonitorReport) -> String {
    let mut html = String::with_capacity(16 * 1024);
    let title = format!("Monitoring report: {}", report.name);
    html.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n<title>{}</title>\n<style>{}{EXTRA_STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        escape(&title),
        crate::audit::report::html::STYLE,
        escape(&title)
    ));
    let run = &report.run;
    html.push_str(&format!(
        "<section id=\"summary\">\n<p>Institution <code>{}</code>{} · run {} · {} to {}</p>\n",
        escape(&report.institution),
        report.municipality.as_deref().map(|m| format!(" · municipality {}", escape(m))).unwrap_or_default(),
        run.id,
        time(run.started),
        time(run.finished)
    ));
    html.push_str(&format!(
        "<p>Compliance score: <span id=\"score\">{}</span>/100</p>\n<p class=\"formula\">score = {}</p>\n",
        report.score,
        escape(SCORE_FORMULA)
    ));
    html.push_str(&format!(
        "<p>Pages fetched: {} ({} unchanged) · indexes and menus, not audited: {} · refused: {} · unreadable: {} · failed: {} · required languages: {}</p>\n",
        run.pages_fetched,
        run.pages_not_modified,
        run.pages_listing,
        run.pages_refused,
        run.pages_unreadable,
        run.failures.values().sum::<usize>(),
        escape(&report.required.join(", "))
    ));
    let serbian = &report.serbian;
    html.push_str(&format!(
        "<p>Serbian versions: {} · Cyrillic: {} · Latin only: {} ({:.1} %)</p>\n",
        serbian.pages,
        serbian.cyrillic,
        serbian.latin_only,
        serbian.latin_only_share * 100.0
    ));
    let lag = &report.translation_lag;
    if let (Some(median), Some(max)) = (lag.median_days, lag.max_days) {
        html.push_str(&format!("<p>Translation lag over {} translations: median {median} days, longest {max} days</p>\n", lag.translations));
    }
    if let Some(since) = &report.since_previous {
        html.push_str(&format!(
            "<p id=\"since\">Since run {} (score {}): {} fixed, {} new, {} unchanged</p>\n",
            since.previous_run,
            since.previous_score,
            since.fixed.len(),
            since.new.len(),
            since.unchanged
        ));
    }
    if !report.findings_by_check.is_empty() {
        html.push_str("<table class=\"by-check\"><thead><tr><th>Check</th><th>Findings</th></tr></thead><tbody>\n");
        for (check, count) in &report.findings_by_check {
            html.push_str(&format!("<tr><td><code>{}</code></td><td>{count}</td></tr>\n", escape(check)));
        }
        html.push_str("</tbody></table>\n");
    }
    html.push_str("</section>\n<h2>Documents</h2>\n<table class=\"documents\"><thead><tr><th>Versions</th><th>Missing</th><th>Serbian script</th><th>Findings</th></tr></thead><tbody>\n");
    for doc in &report.documents {
        let urls: Vec<String> = doc.urls.iter().map(|(lang, url)| format!("<b>{}</b> {}", escape(lang), escape(url))).collect();
        let findings: Vec<String> = doc
            .findings
            .iter()
            .map(|finding| {
                format!(
                    "<li class=\"sev-{}\"><code>{}</code> {} {} {}: {}</li>",
                    finding.severity.as_str(),
                    escape(&finding.check),
                    escape(&finding.lang),
                    escape(&finding.url),
                    finding.line,
                    escape(&finding.message)
                )
            })
            .collect();
        html.push_str(&format!(
            "<tr><td class=\"url\">{}</td><td class=\"missing\">{}</td><td>{}</td><td><ul class=\"findings\">{}</ul></td></tr>\n",
            urls.join("<br>"),
            escape(&doc.missing.join(", ")),
            escape(doc.script.get("sr").map(String::as_str).unwrap_or("")),
            findings.join("")
        ));
    }
    html.push_str(&format!("</tbody></table>\n<p class=\"evidence\">termbridge {}</p>\n</body>\n</html>\n", escape(env!("CARGO_PKG_VERSION"))));
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::monitor::PairMethod;

    fn finding(check: &str, severity: Severity, lang: &str, url: &str, excerpt: &str) -> RunFinding {
        RunFinding {
            check: check.into(),
            severity,
            lang: lang.into(),
            url: url.into(),
            line: if excerpt.is_empty() { 0 } else { 2 },
            message: format!("{check} in {lang}"),
            excerpt: excerpt.into(),
            suggestion: None,
        }
    }

    fn document(urls: &[(&str, &str)], missing: &[&str], script: Option<&str>, findings: Vec<RunFinding>) -> RunDocument {
        RunDocument {
            urls: urls.iter().map(|(lang, url)| (lang.to_string(), url.to_string())).collect(),
            missing: missing.iter().map(|lang| lang.to_string()).collect(),
            script: script.map(|script| BTreeMap::from([("sr".to_string(), script.to_string())])).unwrap_or_default(),
            method: (urls.len() > 1).then_some(PairMethod::Hreflang),
            confidence: if urls.len() > 1 { 1.0 } else { 0.0 },
            findings,
            dates: urls.iter().map(|(lang, _)| (lang.to_string(), PageDates { first_seen: 1_700_000_000, ..PageDates::default() })).collect(),
        }
    }

    fn institution() -> Institution {
        Institution {
            id: "kline".into(),
            name: "Komuna e Klinës".into(),
            municipality: Some("Klinë".into()),
            urls: vec!["https://kk.rks-gov.net/".into()],
            source: None,
            added: 1_700_000_000,
        }
    }

    fn run(id: u64, documents: Vec<RunDocument>) -> RunRecord {
        RunRecord {
            id,
            institution: "kline".into(),
            started: 1_765_000_000 + id * 86_400,
            finished: 1_765_000_600 + id * 86_400,
            required: vec!["sq".into(), "sr".into()],
            pages_fetched: 5,
            pages_not_modified: 0,
            pages_refused: 1,
            refusals: BTreeMap::from([(RefusalKind::Robots, 1)]),
            failures: BTreeMap::from([(FailureKind::Status, 1)]),
            pages_unreadable: 0,
            pages_listing: 0,
            documents_reused: 0,
            audit_key: String::new(),
            findings_by_check: findings_by_check(&documents),
            score: score(&documents),
            documents,
        }
    }

    const SQ: &str = "https://kk.rks-gov.net/sq/lajme";
    const SR: &str = "https://kk.rks-gov.net/sr/vesti";

    fn second_run() -> RunRecord {
        let mut lagging = document(&[("sq", SQ), ("sr", SR)], &[], Some("Latn"), vec![finding("untranslated", Severity::Error, "sr", SR, "Lajm i ri")]);
        lagging.dates.get_mut("sq").unwrap().last_modified = Some("Mon, 01 Dec 2025 00:00:00 GMT".into());
        lagging.dates.get_mut("sq").unwrap().first_seen = 1_800_000_000;
        lagging.dates.get_mut("sr").unwrap().lastmod = Some("2025-12-08".into());
        lagging.dates.get_mut("sr").unwrap().first_seen = 1_800_000_000;
        run(
            2,
            vec![
                lagging,
                document(
                    &[("sq", "https://kk.rks-gov.net/sq/konkurs")],
                    &["sr"],
                    None,
                    vec![finding("missing-version", Severity::Error, "sr", "https://kk.rks-gov.net/sq/konkurs", "")],
                ),
                document(&[("sq", "https://kk.rks-gov.net/sq/"), ("sr", "https://kk.rks-gov.net/sr/")], &[], Some("Cyrl"), Vec::new()),
            ],
        )
    }

    #[test]
    fn score_follows_the_formula() {
        let complete = || document(&[("sq", SQ), ("sr", SR)], &[], Some("Cyrl"), Vec::new());
        let cases: Vec<(Vec<RunDocument>, f64)> = vec![
            (Vec::new(), 0.0),
            (vec![complete()], 100.0),
            (vec![complete(), document(&[("sq", SQ)], &["sr"], None, vec![finding("missing-version", Severity::Error, "sr", SQ, "")])], 50.0),
            (vec![document(&[("sq", SQ), ("sr", SR)], &[], None, vec![finding("untranslated", Severity::Error, "sr", SR, "x")])], 90.0),
            (vec![document(&[("sq", SQ), ("sr", SR)], &[], None, vec![finding("spelling", Severity::Warning, "sr", SR, "x")])], 97.5),
            (vec![document(&[("sq", SQ), ("sr", SR)], &[], None, vec![finding("spelling", Severity::Info, "sr", SR, "x")])], 100.0),
            (vec![document(&[("sq", SQ)], &["sr"], None, vec![finding("untranslated", Severity::Error, "sq", SQ, "x")])], 0.0),
            (vec![complete(), complete(), complete()], 100.0),
            (vec![complete(), complete(), document(&[("en", SQ)], &["sq", "sr"], None, Vec::new())], 66.7),
        ];
        for (documents, expected) in cases {
            assert_eq!(score(&documents), expected, "{documents:?}");
        }
    }

    #[test]
    fn dates_parse() {
        assert_eq!(parse_lastmod("1970-01-02"), Some(86_400));
        assert_eq!(parse_lastmod("2025-12-08T10:00:00+01:00"), Some(1_765_152_000));
        assert_eq!(parse_lastmod("2024-03-01"), Some(1_709_251_200));
        assert_eq!(parse_lastmod("yesterday"), None);
        assert_eq!(parse_http_date("Mon, 01 Dec 2025 10:00:00 GMT"), Some(1_764_583_200));
        assert_eq!(parse_http_date("not a date"), None);
    }

    #[test]
    fn fixed_and_new_since_the_previous_run() {
        let first = run(1, vec![document(&[("sq", SQ)], &["sr"], None, vec![finding("missing-version", Severity::Error, "sr", SQ, "")])]);
        let second = second_run();
        let since = compare(&first, &second);
        assert_eq!((since.fixed.len(), since.new.len(), since.unchanged), (1, 2, 0), "the missing Serbian version of {SQ} is there now");
        let since = compare(&second, &first);
        assert_eq!((since.fixed.len(), since.new.len(), since.unchanged), (2, 1, 0));
    }

    #[test]
    fn json_report_matches_the_golden_file() {
        let report = report(&institution(), &second_run(), Some(&run(1, Vec::new())));
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/monitor/report.expected.json");
        crate::testing::assert_golden(&path, &(render_json(&report) + "\n"));
        let value: serde_json::Value = serde_json::from_str(&render_json(&report)).unwrap();
        assert_eq!(value["documents"][1]["urls"], serde_json::json!({"sq": "https://kk.rks-gov.net/sq/konkurs"}));
        assert_eq!(value["documents"][1]["missing"], serde_json::json!(["sr"]));
        assert_eq!(value["documents"][0]["lag_days"], serde_json::json!({"sr": 7}), "lastmod 8 Dec against Last-Modified 1 Dec");
        assert_eq!(value["serbian"]["latin_only_share"], 0.5);
        for key in ["id", "started", "finished", "pages_fetched", "pages_refused"] {
            assert!(value["run"].get(key).is_some(), "{key}");
        }
        for key in ["check", "severity", "lang", "url", "line", "message"] {
            assert!(value["documents"][0]["findings"][0].get(key).is_some(), "{key}");
        }
    }

    #[test]
    fn csv_has_a_row_per_finding_and_html_escapes() {
        let mut record = second_run();
        record.documents[0].findings[0].message = "<script>alert(1)</script>".into();
        let report = report(&institution(), &record, None);
        let csv = render_csv(&report);
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        assert_eq!(reader.headers().unwrap().iter().collect::<Vec<_>>(), CSV_COLUMNS.to_vec());
        assert_eq!(reader.records().count(), 2);
        let html = render_html(&report);
        assert!(!html.contains("<script>") && html.contains("&lt;script&gt;"), "escaped");
        assert!(html.contains("id=\"score\">"));
    }
}
