//! Audit history: a document's identity, the record stored for each audit, and the
//! comparison of an audit with the previous one ("what was fixed, what is new"), which is
//! the Commissioner's follow-up after a recommendation (DOMAIN.md A.3).
//!
//! Findings are compared by check, language and excerpt (with multiplicity), not by line:
//! an edit above a defect moves it without fixing it.
//!
//! Deliberately not done: storing the documents themselves (only the findings and counts).

use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::{Report, Summary};
use crate::model::Finding;

/// What is stored for one audit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// The document's identity.
    pub id: String,
    /// When, as `YYYY-MM-DDTHH:MM:SSZ`.
    pub date: String,
    /// The versions' paths.
    pub paths: Vec<String>,
    /// The municipality, when known.
    pub municipality: Option<String>,
    /// Counts and score.
    pub summary: Summary,
    /// The findings.
    pub findings: Vec<Finding>,
}

/// A change between two audits of one document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// The document's identity.
    pub id: String,
    /// When the previous audit ran.
    pub previous_date: String,
    /// Its score.
    pub previous_score: u32,
    /// The current score.
    pub score: u32,
    /// Findings of the previous audit that are gone.
    pub fixed: Vec<Finding>,
    /// Findings that the previous audit did not have.
    pub new: Vec<Finding>,
    /// Findings in both.
    pub unchanged: usize,
}

/// The identity of a document: an explicit id, or a hash of its versions' paths (sorted)
/// and the municipality.
pub fn document_id(explicit: Option<&str>, paths: &[String], municipality: Option<&str>) -> String {
    if let Some(id) = explicit {
        return id.to_string();
    }
    let mut sorted: Vec<&String> = paths.iter().collect();
    sorted.sort();
    let mut hasher = blake3::Hasher::new();
    for path in sorted {
        hasher.update(path.as_bytes());
        hasher.update(b"\0");
    }
    hasher.update(municipality.unwrap_or("").as_bytes());
    hasher.finalize().to_hex()[..16].to_string()
}

/// Nanoseconds since the epoch, now.
pub fn now_nanos() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(0)
}

/// A UTC timestamp `YYYY-MM-DDTHH:MM:SSZ` for nanoseconds since the epoch.
pub fn format_date(unix_nanos: u64) -> String {
    let secs = unix_nanos / 1_000_000_000;
    let (days, rem) = ((secs / 86_400) as i64, secs % 86_400);
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// The record of an audit.
pub fn record(id: &str, unix_nanos: u64, report: &Report) -> AuditRecord {
    AuditRecord {
        id: id.to_string(),
        date: format_date(unix_nanos),
        paths: report.documents.iter().map(|doc| doc.path.clone()).collect(),
        municipality: report.municipality.clone(),
        summary: report.summary.clone(),
        findings: report.findings.clone(),
    }
}

fn fingerprint(finding: &Finding) -> (String, String, String) {
    let excerpt: String = finding.excerpt.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    (finding.check.clone(), finding.lang.clone(), excerpt)
}

/// Compares the current report with the previous audit's record.
pub fn compare(previous: &AuditRecord, current: &Report) -> Comparison {
    let mut remaining: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    for finding in &previous.findings {
        *remaining.entry(fingerprint(finding)).or_default() += 1;
    }
    let mut new = Vec::new();
    let mut unchanged = 0;
    for finding in &current.findings {
        match remaining.get_mut(&fingerprint(finding)) {
            Some(count) if *count > 0 => {
                *count -= 1;
                unchanged += 1;
            }
            _ => new.push(finding.clone()),
        }
    }
    let mut fixed = Vec::new();
    for finding in &previous.findings {
        if let Some(count) = remaining.get_mut(&fingerprint(finding))
            && *count > 0
        {
            *count -= 1;
            fixed.push(finding.clone());
        }
    }
    Comparison {
        id: previous.id.clone(),
        previous_date: previous.date.clone(),
        previous_score: previous.summary.score,
        score: current.summary.score,
        fixed,
        new,
        unchanged,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::checks::tests::run;

    #[test]
    fn dates() {
        assert_eq!(format_date(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_date(1_709_337_600_000_000_000), "2024-03-02T00:00:00Z");
        assert_eq!(format_date(951_825_600_000_000_000), "2000-02-29T12:00:00Z");
    }

    #[test]
    fn ids_are_stable_and_order_free() {
        let a = document_id(None, &["a.sq.txt".into(), "a.sr.txt".into()], Some("Junik"));
        let b = document_id(None, &["a.sr.txt".into(), "a.sq.txt".into()], Some("Junik"));
        assert_eq!(a, b);
        assert_ne!(a, document_id(None, &["a.sq.txt".into(), "a.sr.txt".into()], None));
        assert_eq!(document_id(Some("vendim-12"), &[], None), "vendim-12");
    }

    #[test]
    fn fixed_and_new() {
        let before = run(&[("sq", "Komuna: Junik\nZbraz kоshin tani."), ("sr", "Opština: Junik\nIsprazni korpu sada.")], &Default::default());
        let after = run(
            &[("sq", "Komuna: Junik\nRresht i ri.\nZbraz koshin tani."), ("sr", "Opština: Junik\nNovi red.\nIsprazni fаsciklu sada.")],
            &Default::default(),
        );
        let comparison = compare(&record("doc", 0, &before), &after);
        assert_eq!(comparison.fixed.iter().map(|f| f.excerpt.as_str()).collect::<Vec<_>>(), vec!["kоshin"]);
        assert_eq!(comparison.new.iter().map(|f| f.excerpt.as_str()).collect::<Vec<_>>(), vec!["fаsciklu"]);
    }
}
