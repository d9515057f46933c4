//! The audit engine: compare the language versions of one document and report what breaks
//! language rights (Law No. 02/L-37 on the Use of Languages; DOMAIN.md A.3–A.5).
//!
//! An audit takes the versions ([`Version`]: a language tag and a read
//! [`Document`](crate::formats::document::Document)), aligns them (structure first: article
//! numbers and units; then blocks by a dynamic programme over lengths, invariants, shared
//! tokens and punctuation, robust to missing and extra segments; [`align`]), analyses every
//! segment once (script, language evidence, encoding damage; [`context`]) and runs the ordered
//! registry of [`checks`], each in its own file with its documentation and tests. The result is
//! a [`Report`] in the JSON contract of DESIGN.md, which [`report`] renders as JSON, CSV,
//! SARIF 2.1.0 or a standalone HTML page.
//!
//! Policy lives in [`AuditConfig`] ([`config`]: checks on or off, severities, the Serbian
//! script policy, house terms); reference data in [`Resources`] (the gazetteer's place names,
//! the municipality language table, terms, a corpus-wide word list). [`history`] compares an
//! audit with the last one of the same document; [`dir`] pairs the versions found in a folder
//! tree and audits them all.
//!
//! What the engine deliberately does not do: fetch anything, change the documents, translate,
//! or decide what the law requires beyond the configured policy. Every finding is evidence
//! for a person to weigh, with the excerpt, the rule and a suggestion where one is safe.

pub mod align;
pub mod checks;
pub mod config;
pub mod context;
pub mod dir;
pub mod history;
pub mod input;
pub mod known_words;
pub mod language;
pub mod places;
pub mod prose;
pub mod report;
pub mod sign;
pub mod terms;
pub mod translations;
pub mod vocabulary;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::formats::document::Document;
use crate::model::lang::{Lang, LangTag};
use crate::model::{Finding, Severity};

pub use config::{AuditConfig, ConfigError, ScriptPolicy};
pub use context::AuditContext;
pub use known_words::{IsoNames, KnownWords};
pub use places::{Municipality, PlaceNames};
pub use sign::{OrderRule, SignFinding, SignOptions, SignPart, SignReport, SignRow, read_sign_csv, sign_parts};
pub use terms::{TermList, TermRule};
pub use translations::{KnownTranslation, KnownTranslations};
pub use vocabulary::Vocabulary;

/// The version of the report format (DESIGN.md "Audit report").
pub const REPORT_VERSION: u32 = 1;

/// What made a report, so a finding can be cited and reproduced: with the documents' hashes in
/// [`DocumentInfo::blake3`], the same files audited by the same versions give the same findings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// The termbridge version that ran the audit.
    pub termbridge: String,
    /// Every check that ran, with the version of its logic.
    pub checks: Vec<CheckVersion>,
}

/// A check that ran, and its version ([`checks::Check::version`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckVersion {
    /// The check id.
    pub id: String,
    /// The version of its logic.
    pub version: u32,
    /// Why it found less than it could (a dictionary not installed; [`checks::Check::note`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One audited version as the report lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentInfo {
    /// Language code.
    pub lang: String,
    /// The path as given.
    pub path: String,
    /// Number of segments read.
    pub segments: usize,
    /// The BLAKE3 hash (hex) of the file read, so the report can be cited and reproduced.
    #[serde(default)]
    pub blake3: String,
    /// The script of most of its own-language letters (text left in another language does not
    /// count): `Latn`, `Cyrl` or `Other`.
    pub script: String,
}

/// Counts and the compliance score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// 0–100: the share of aligned segments without an error finding (a warning counts a
    /// quarter), scaled by the share of required versions present.
    pub score: u32,
    /// Findings of severity error.
    pub errors: usize,
    /// Findings of severity warning.
    pub warnings: usize,
    /// Findings per check id.
    pub by_check: BTreeMap<String, usize>,
}

/// The result of an audit (DESIGN.md "Audit report").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Report format version ([`REPORT_VERSION`]).
    pub version: u32,
    /// The municipality's official Albanian name, when known.
    pub municipality: Option<String>,
    /// The versions audited.
    pub documents: Vec<DocumentInfo>,
    /// The findings, in registry order, then by language and line.
    pub findings: Vec<Finding>,
    /// Counts and score.
    pub summary: Summary,
    /// What made the report: the termbridge version and the version of every check that ran.
    #[serde(default)]
    pub evidence: Evidence,
    /// The aligned rows (segment index per version), for renderers.
    #[serde(skip)]
    pub rows: Vec<Vec<Option<usize>>>,
    /// The segments' texts and locations per version, for renderers.
    #[serde(skip)]
    pub texts: Vec<Vec<(usize, String)>>,
}

impl Report {
    /// True when some finding is an error (the CLI exits 1).
    pub fn has_errors(&self) -> bool {
        self.summary.errors > 0
    }
}

/// One language version to audit.
#[derive(Debug, Clone)]
pub struct Version {
    /// Its language (and for Serbian, the script if the caller knows it).
    pub tag: LangTag,
    /// Its text.
    pub document: Document,
}

/// Reference data an audit can use; everything is optional.
#[derive(Debug, Clone, Default)]
pub struct Resources {
    /// Official place names, their variants and the municipality language table.
    pub places: PlaceNames,
    /// Terms (approved, variant and forbidden forms).
    pub terms: TermList,
    /// Words of a wider corpus (the other documents of an audit-dir run), for the
    /// diacritics check.
    pub corpus: Option<std::sync::Arc<Vocabulary>>,
    /// Translations of the documents audited before this one in the same folder
    /// (`inconsistent-translation` compares with the first translation of each text).
    pub folder: Option<std::sync::Arc<KnownTranslations>>,
    /// The translation memory's translations of this document's original segments (exact
    /// matches, looked up by the caller that opened the data directory).
    pub memory: Option<std::sync::Arc<KnownTranslations>>,
}

/// Why an audit could not run.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    /// Two versions were given for one language.
    #[error("two versions given for language {lang}: {first} and {second}")]
    DuplicateLanguage {
        /// The language.
        lang: String,
        /// The first path.
        first: String,
        /// The second path.
        second: String,
    },
    /// No version at all.
    #[error("no version to audit")]
    NoVersion,
    /// The versions hold more text together than one audit analyses.
    #[error("the versions hold {total} bytes of text together, more than the limit of {limit} for one audit; audit the document in parts")]
    TooLarge {
        /// Bytes of text in all versions.
        total: usize,
        /// The limit ([`MAX_AUDIT_TEXT_BYTES`]).
        limit: usize,
    },
}

impl crate::problem::Classify for AuditError {
    /// Every reason an audit refuses to run is in the versions it was given.
    fn class(&self) -> crate::problem::ErrorClass {
        crate::problem::ErrorClass::Input
    }
}

/// The most text (in bytes, all versions together) one audit analyses: 16 MiB. The analysis
/// keeps about twenty bytes of memory per byte of text, so this bounds an audit to a few
/// hundred MiB; a single version is limited further when it is read
/// ([`MAX_DOCUMENT_BYTES`](crate::formats::document::MAX_DOCUMENT_BYTES)).
pub const MAX_AUDIT_TEXT_BYTES: usize = 16 << 20;

/// Audits the versions of one document.
///
/// ```
/// use termbridge::audit::{audit, AuditConfig, Resources, Version};
/// use termbridge::formats::document::{Document, DocumentFormat, parse_text};
/// use termbridge::model::lang::LangTag;
/// let version = |tag, text| Version { tag, document: Document::new("x", DocumentFormat::Text, parse_text(text)) };
/// let report = audit(
///     &[version(LangTag::SQ, "Komuna: Junik\nNjë kartelë e re."), version(LangTag::SR, "Opština: Junik\nNjë kartelë e re.")],
///     None,
///     &AuditConfig::default(),
///     &Resources::default(),
/// )
/// .unwrap();
/// assert_eq!(report.findings[0].check, "untranslated");
/// assert!(report.has_errors());
/// ```
pub fn audit(versions: &[Version], municipality: Option<&str>, config: &AuditConfig, resources: &Resources) -> Result<Report, AuditError> {
    audit_collecting(versions, municipality, config, resources, false).map(|(report, _)| report)
}

/// The version of `versions` taken as the original, the others being its translations: the
/// configured `source`, else the source side of a bilingual file, else the Albanian version,
/// else the first one (what the audit's checks take, [`AuditContext::original`]).
pub fn original_version(versions: &[Version], config: &AuditConfig) -> usize {
    context::original_among(versions.iter().map(|version| (version.tag.lang, version.document.original)), config.source)
}

/// A translation of one document, for the folder's [`KnownTranslations`]: source language,
/// target language, source key and the translation.
pub(crate) type DocumentTranslation = (Lang, Lang, String, KnownTranslation);

/// [`audit`]; with `collect`, also the document's translations of its original's segments,
/// as `inconsistent-translation` judges them (none when that check is off).
pub(crate) fn audit_collecting(
    versions: &[Version],
    municipality: Option<&str>,
    config: &AuditConfig,
    resources: &Resources,
    collect: bool,
) -> Result<(Report, Vec<DocumentTranslation>), AuditError> {
    if versions.is_empty() {
        return Err(AuditError::NoVersion);
    }
    for (idx, version) in versions.iter().enumerate() {
        if let Some(other) = versions[..idx].iter().find(|other| other.tag.lang == version.tag.lang) {
            return Err(AuditError::DuplicateLanguage {
                lang: version.tag.lang.code().to_string(),
                first: other.document.path.display().to_string(),
                second: version.document.path.display().to_string(),
            });
        }
    }
    let total: usize = versions.iter().flat_map(|version| &version.document.blocks).map(|block| block.text.len()).sum();
    if total > MAX_AUDIT_TEXT_BYTES {
        return Err(AuditError::TooLarge { total, limit: MAX_AUDIT_TEXT_BYTES });
    }
    let ctx = AuditContext::build(versions, municipality, config, resources);
    let mut findings = Vec::new();
    let mut ran = Vec::new();
    let tags: Vec<LangTag> = ctx
        .versions
        .iter()
        .map(|view| match view.majority {
            Some(script) => LangTag { script: Some(script), ..view.tag },
            None => view.tag,
        })
        .collect();
    for check in checks::REGISTRY {
        if config.severity_of(check.id(), check.severity()).is_none() {
            continue;
        }
        let note = check.note(ctx.lexicon, &tags);
        if let Some(note) = &note {
            tracing::info!(check = check.id(), "{note}");
        }
        ran.push(CheckVersion { id: check.id().to_string(), version: check.version(), note });
        let configured = config.checks.get(check.id()).and_then(|settings| settings.severity);
        let start = findings.len();
        check.run(&ctx, &mut findings);
        for finding in &mut findings[start..] {
            finding.check = check.id().to_string();
            // A check may rate one finding below its default (never above); a configured
            // severity overrides both.
            finding.severity = configured.unwrap_or(finding.severity.max(check.severity()));
            // English is not an official language (Law No. 02/L-37 Art. 2): defects in an
            // English version are for review, not breaches.
            if !ctx.is_official(&finding.lang) && finding.severity == Severity::Error {
                finding.severity = Severity::Warning;
            }
        }
        findings[start..].sort_by_key(|finding| (lang_rank(&finding.lang), finding.line, finding.column));
    }
    let check: &dyn checks::Check = &checks::inconsistent_translation::InconsistentTranslation;
    let translations =
        if collect && config.severity_of(check.id(), check.severity()).is_some() { checks::inconsistent_translation::translations(&ctx) } else { Vec::new() };
    let mut report = ctx.into_report(findings);
    report.evidence = Evidence { termbridge: env!("CARGO_PKG_VERSION").to_string(), checks: ran };
    Ok((report, translations))
}

fn lang_rank(code: &str) -> usize {
    Lang::ALL.iter().position(|lang| lang.code() == code).unwrap_or(Lang::ALL.len())
}

/// The reference data shipped with termbridge: the gazetteer's place names and the
/// municipality language table (built once). Terms come from the configuration, and the
/// starter term base where it asks for it ([`shipped_term_rules`]).
pub fn resources() -> Resources {
    static PLACES: std::sync::OnceLock<PlaceNames> = std::sync::OnceLock::new();
    let places = PLACES.get_or_init(|| PlaceNames::from_gazetteer(crate::places::Gazetteer::shipped())).clone();
    Resources { places, ..Resources::default() }
}

/// The rules of the shipped starter term base (empty if it cannot be read: it is checked by
/// the term base's own tests on every build).
pub fn shipped_term_rules() -> Vec<TermRule> {
    crate::termbase::shipped_concepts().map(|concepts| TermList::rules_from_concepts(&concepts)).unwrap_or_default()
}
