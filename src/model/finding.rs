//! Findings: what an audit (or a single-text check) reports, how serious it is and which
//! area of language rights it concerns.
//!
//! Checks produce [`Finding`]s; the report renderers, the history comparison and the HTTP
//! front ends read them. The audit report around them (documents, summary, score) stays in
//! `audit`.

use serde::{Deserialize, Serialize};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A breach of language rights (exit code 1).
    Error,
    /// Needs a person to look (triage flags, likely defects).
    Warning,
    /// Worth knowing; never a defect by itself.
    Info,
}

impl Severity {
    /// The name reports use.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    /// Parses [`Severity::as_str`] (and `note`, SARIF's word for info).
    pub fn parse(raw: &str) -> Option<Severity> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            "info" | "note" => Some(Severity::Info),
            _ => None,
        }
    }
}

/// What area of language rights a check protects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Versions and segments that must exist (D1, D3).
    Completeness,
    /// The right language in each version (D2).
    Language,
    /// Scripts and alphabets (D6, D7).
    Script,
    /// Spelling, diacritics, encoding (D8).
    Orthography,
    /// Invariants that must agree between versions (D4).
    Consistency,
    /// Official place names (D5).
    PlaceNames,
    /// Terminology (D9).
    Terminology,
    /// Triage signals of poor or machine translation (D10).
    Quality,
}

impl Category {
    /// The name reports use.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Completeness => "completeness",
            Category::Language => "language",
            Category::Script => "script",
            Category::Orthography => "orthography",
            Category::Consistency => "consistency",
            Category::PlaceNames => "place-names",
            Category::Terminology => "terminology",
            Category::Quality => "quality",
        }
    }
}

/// Where a related piece of evidence is (the counterpart segment in another version).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Related {
    /// Language code of the other version.
    pub lang: String,
    /// Its line (or block) number.
    pub line: usize,
}

/// Where a finding sits inside the audited versions, for renderers that show it in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Anchor {
    /// Index of the version in [`Report::documents`].
    pub version: usize,
    /// Index of the segment in that version.
    pub segment: Option<usize>,
    /// Byte range in the segment's text, when the finding is about part of it.
    pub span: Option<(usize, usize)>,
    /// The aligned row the finding belongs to (for a missing segment: the row with the gap).
    pub row: Option<usize>,
}

/// One finding: what is wrong, where, and what to do about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// The check's stable id.
    pub check: String,
    /// How serious it is.
    pub severity: Severity,
    /// Language code of the version it is in (`sq`, `sr`, `en`, `tr`, `bs`).
    pub lang: String,
    /// 1-based line (text, Markdown) or block number (HTML, DOCX, bilingual files); 0 for
    /// the whole version.
    pub line: usize,
    /// 1-based column (in characters) where the excerpt starts.
    pub column: usize,
    /// The offending text.
    pub excerpt: String,
    /// What is wrong and why, in English.
    pub message: String,
    /// A fix, when one is safe to propose.
    pub suggestion: Option<String>,
    /// The counterpart in another version.
    pub related: Option<Related>,
    /// Where the finding sits, for renderers (not part of the JSON contract).
    #[serde(skip)]
    pub anchor: Anchor,
}
