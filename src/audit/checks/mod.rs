//! The checks, one file each, and their registry.
//!
//! A check is a unit struct behind the [`Check`] trait: a stable kebab-case id (DESIGN.md's
//! list; never reused), a default severity, a category, a one-line summary in English,
//! Albanian and Serbian, its documentation (what it finds, why it matters, the legal basis,
//! a bad and a good example) and `run`, which reads the [`AuditContext`] and pushes findings.
//! [`REGISTRY`] lists them in report order; SARIF rules, `--list-checks`, the HTML report's
//! explanations and the configuration's check ids all derive from it.
//!
//! Tests mark what they expect in the input itself: `⟦…⟧` around the excerpt a finding must
//! point at, `⟦⟧` at the place where something is missing (see [`tests::expect`]).

use super::context::AuditContext;
use crate::model::{Category, Finding, Severity};

pub mod length_ratio;
pub mod missing_diacritics;
pub mod missing_segment;
pub mod missing_version;
pub mod mixed_script;
pub mod mojibake;
pub mod number_mismatch;
pub mod place_name;
pub mod term_forbidden;
pub mod term_inconsistent;
pub mod term_missing;
pub mod untranslated;
pub mod wrong_language;
pub mod wrong_script;

/// A one-line text in the languages of the report's readers (Serbian in Latin; Cyrillic is
/// transliterated from it).
#[derive(Debug, Clone, Copy)]
pub struct Localized {
    /// English.
    pub en: &'static str,
    /// Albanian.
    pub sq: &'static str,
    /// Serbian, Latin script.
    pub sr: &'static str,
}

/// One audit check.
pub trait Check: Sync {
    /// The stable id (kebab-case).
    fn id(&self) -> &'static str;
    /// The default severity of its findings.
    fn severity(&self) -> Severity;
    /// What it protects.
    fn category(&self) -> Category;
    /// One line saying what it finds, for people.
    fn summary(&self) -> Localized;
    /// Its documentation: what it finds, why, the legal basis, a bad and a good example.
    fn docs(&self) -> &'static str;
    /// Reads the context and appends findings (id and severity are filled in by the runner).
    fn run(&self, ctx: &AuditContext<'_>, out: &mut Vec<Finding>);
}

/// Every check, in report order.
pub static REGISTRY: &[&dyn Check] = &[
    &missing_version::MissingVersion,
    &missing_segment::MissingSegment,
    &untranslated::Untranslated,
    &wrong_language::WrongLanguage,
    &wrong_script::WrongScript,
    &mixed_script::MixedScript,
    &missing_diacritics::MissingDiacritics,
    &mojibake::Mojibake,
    &number_mismatch::NumberMismatch,
    &place_name::PlaceName,
    &term_forbidden::TermForbidden,
    &term_inconsistent::TermInconsistent,
    &term_missing::TermMissing,
    &length_ratio::LengthRatio,
];

/// The check with id `id`.
pub fn by_id(id: &str) -> Option<&'static dyn Check> {
    REGISTRY.iter().copied().find(|check| check.id() == id)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::audit::{AuditConfig, Report, Resources, Version, audit};
    use crate::formats::document::{Document, DocumentFormat, parse_text};
    use crate::model::lang::LangTag;

    /// Resources for check tests: a few municipalities and house terms.
    pub(crate) fn resources() -> Resources {
        Resources { places: crate::audit::places::tests::sample(), terms: crate::audit::terms::tests::sample(), corpus: None }
    }

    /// Audits plain-text versions given as (tag, text) pairs, markers removed.
    pub(crate) fn run(versions: &[(&str, &str)], config: &AuditConfig) -> Report {
        let versions: Vec<Version> = versions
            .iter()
            .map(|(tag, text)| {
                let clean = text.replace(['⟦', '⟧'], "");
                Version {
                    tag: LangTag::parse(tag).expect("test tag"),
                    document: Document { path: format!("test.{tag}.txt").into(), format: DocumentFormat::Text, blocks: parse_text(&clean) },
                }
            })
            .collect();
        audit(&versions, None, config, &resources()).expect("audit runs")
    }

    /// What a marker stands for: language, line and, unless the marker is empty, the column
    /// and excerpt.
    type Expected = (String, usize, Option<(usize, String)>);

    /// The expectation each marker in the versions stands for.
    fn markers(versions: &[(&str, &str)]) -> Vec<Expected> {
        let mut expected = Vec::new();
        for (tag, text) in versions {
            let lang = LangTag::parse(tag).expect("test tag").lang.code().to_string();
            for (line_idx, line) in text.split('\n').enumerate() {
                let mut column = 0;
                let mut open: Option<(usize, String)> = None;
                for c in line.chars() {
                    match c {
                        '⟦' => open = Some((column + 1, String::new())),
                        '⟧' => {
                            if let Some((start, excerpt)) = open.take() {
                                let detail = if excerpt.is_empty() { None } else { Some((start, excerpt)) };
                                expected.push((lang.clone(), line_idx + 1, detail));
                            }
                        }
                        _ => {
                            column += 1;
                            if let Some((_, excerpt)) = open.as_mut() {
                                excerpt.push(c);
                            }
                        }
                    }
                }
            }
        }
        expected
    }

    /// Asserts that check `id` finds exactly what the markers say, and nothing else.
    pub(crate) fn expect(id: &str, versions: &[(&str, &str)]) {
        expect_with(id, versions, &AuditConfig::default());
    }

    /// [`expect`] under a configuration.
    pub(crate) fn expect_with(id: &str, versions: &[(&str, &str)], config: &AuditConfig) {
        let report = run(versions, config);
        let mut found: Vec<Expected> = report
            .findings
            .iter()
            .filter(|finding| finding.check == id)
            .map(|finding| (finding.lang.clone(), finding.line, Some((finding.column, finding.excerpt.clone()))))
            .collect();
        let mut expected = markers(versions);
        // An empty marker checks the line only.
        for (lang, line, detail) in &expected {
            if detail.is_none()
                && let Some(hit) = found.iter_mut().find(|(l, n, d)| l == lang && n == line && d.is_some())
            {
                hit.2 = None;
            }
        }
        found.sort();
        expected.sort();
        let all: Vec<String> =
            report.findings.iter().map(|f| format!("{} {}:{}:{} {:?} — {}", f.check, f.lang, f.line, f.column, f.excerpt, f.message)).collect();
        assert_eq!(found, expected, "check {id}; all findings:\n{}", all.join("\n"));
    }

    #[test]
    fn registry_is_complete_and_documented() {
        let mut ids: Vec<&str> = REGISTRY.iter().map(|check| check.id()).collect();
        let count = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), count, "ids are unique");
        for check in REGISTRY {
            let id = check.id();
            assert!(id.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{id} is kebab-case");
            let docs = check.docs();
            for section in ["Why", "Bad", "Good"] {
                assert!(docs.contains(&format!("**{section}**")), "{id} docs have a {section} section");
            }
            let summary = check.summary();
            assert!(!summary.en.is_empty() && !summary.sq.is_empty() && !summary.sr.is_empty(), "{id} summary");
            assert_eq!(by_id(id).map(|c| c.id()), Some(id));
        }
        // Every file in this folder is registered (one check, one file).
        let files: Vec<String> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/src/audit/checks"))
            .expect("checks folder")
            .filter_map(|entry| entry.ok())
            .map(|entry| entry.file_name().to_string_lossy().trim_end_matches(".rs").replace('_', "-"))
            .filter(|name| name != "mod")
            .collect();
        for file in &files {
            assert!(by_id(file).is_some(), "{file}.rs is not in the registry");
        }
        assert_eq!(files.len(), REGISTRY.len());
        // DESIGN.md's document checks, in its order.
        assert_eq!(
            REGISTRY.iter().map(|c| c.id()).collect::<Vec<_>>(),
            vec![
                "missing-version",
                "missing-segment",
                "untranslated",
                "wrong-language",
                "wrong-script",
                "mixed-script",
                "missing-diacritics",
                "mojibake",
                "number-mismatch",
                "place-name",
                "term-forbidden",
                "term-inconsistent",
                "term-missing",
                "length-ratio"
            ]
        );
    }
}
