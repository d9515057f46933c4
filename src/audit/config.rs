//! Audit policy: which checks run and how serious their findings are, the Serbian script
//! policy, thresholds, and house terms. Read from TOML or JSON (by extension; JSON when the
//! text starts with `{`).
//!
//! ```toml
//! # termbridge-audit.toml
//! serbian_script = "cyrl"        # consistent (default) | cyrl | latn
//! length_ratio = 2.5             # flag segments this many times longer or shorter than usual
//! shipped_terms = true           # also check the starter term base
//! document_date = "2012-05-10"   # compared with the dates of superseded terms
//! source = "sq"                  # the original; the other versions are its translations
//!
//! [checks.length-ratio]
//! enabled = false
//!
//! [checks.term-missing]
//! severity = "error"
//!
//! [[terms]]
//! id = "password"
//! approved = { sq = ["fjalëkalim"], sr = ["lozinka"], en = ["password"] }
//! forbidden = { sr = ["šifra"] }
//! ```
//!
//! Unknown check ids are refused, so a typo does not silently leave a check on.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::terms::TermRule;
use crate::model::Severity;

/// What the Serbian version's script must be (Law No. 02/L-37 Art. 2: Serbian "and its
/// alphabet"; DOMAIN.md A.1: configurable, never silently Latin).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ScriptPolicy {
    /// Either script, but one throughout the version (its majority).
    #[default]
    Consistent,
    /// Cyrillic throughout.
    Cyrl,
    /// Latin throughout.
    Latn,
}

/// One check's settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckSettings {
    /// Turn the check off (`false`) or on.
    pub enabled: Option<bool>,
    /// Override its severity.
    #[serde(default, deserialize_with = "severity_opt")]
    pub severity: Option<Severity>,
}

fn severity_opt<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Severity>, D::Error> {
    let raw: Option<String> = Option::deserialize(deserializer)?;
    match raw {
        None => Ok(None),
        Some(raw) => {
            Severity::parse(&raw).map(Some).ok_or_else(|| serde::de::Error::custom(format!("unknown severity {raw:?} (expected error, warning or info)")))
        }
    }
}

/// The audit policy.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuditConfig {
    /// Per check id.
    pub checks: BTreeMap<String, CheckSettings>,
    /// The Serbian script policy.
    pub serbian_script: ScriptPolicy,
    /// A segment whose length ratio to its counterpart is this many times the document's
    /// usual ratio (or its inverse) is flagged by `length-ratio`.
    pub length_ratio: f64,
    /// House terms.
    pub terms: Vec<TermRule>,
    /// Also check the shipped starter term base. Off by default: its general words (letters,
    /// street, request) have other senses in running text, which makes `term-missing` noisy
    /// outside administrative documents.
    pub shipped_terms: bool,
    /// The document's date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`), against which the dates of
    /// superseded terms are compared. When absent, the latest full date the document writes
    /// stands in for it (see `termbase::latest_date`).
    pub document_date: Option<crate::termbase::TermDate>,
    /// The language the document was written in, the others being its translations. With two
    /// versions, a difference is placed on the translation; when absent, the Albanian version
    /// (the drafting language of Kosovo's institutions) is taken as the original, else the
    /// first version given.
    pub source: Option<crate::model::lang::Lang>,
}

impl Default for AuditConfig {
    fn default() -> Self {
        AuditConfig {
            checks: BTreeMap::new(),
            serbian_script: ScriptPolicy::Consistent,
            length_ratio: 2.5,
            terms: Vec::new(),
            shipped_terms: false,
            document_date: None,
            source: None,
        }
    }
}

/// Why a configuration file was refused.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not valid TOML or JSON for this schema.
    #[error("{path}: line {line}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// The line (0 when unknown).
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A check id that no check has.
    /// ([`Hint::CheckIds`](crate::problem::Hint::CheckIds))
    #[error("{path}: unknown check id {id:?}")]
    UnknownCheck {
        /// The file.
        path: PathBuf,
        /// The id.
        id: String,
    },
}

impl crate::problem::Classify for ConfigError {
    /// A missing or invalid configuration file is the user's to fix; another failure to read
    /// one is the machine's.
    fn class(&self) -> crate::problem::ErrorClass {
        match self {
            ConfigError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => crate::problem::ErrorClass::NotFound,
            ConfigError::Io { .. } => crate::problem::ErrorClass::Internal,
            ConfigError::Invalid { .. } | ConfigError::UnknownCheck { .. } => crate::problem::ErrorClass::Input,
        }
    }

    fn hint(&self) -> Option<crate::problem::Hint> {
        matches!(self, ConfigError::UnknownCheck { .. }).then_some(crate::problem::Hint::CheckIds)
    }
}

impl AuditConfig {
    /// Reads a TOML or JSON configuration file.
    pub fn load(path: &Path) -> Result<AuditConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io { path: path.to_path_buf(), source })?;
        AuditConfig::parse(&text, path)
    }

    /// Parses configuration text; `path` names it in errors and picks the syntax.
    pub fn parse(text: &str, path: &Path) -> Result<AuditConfig, ConfigError> {
        let json = path.extension().is_some_and(|ext| ext.eq_ignore_ascii_case("json")) || text.trim_start().starts_with('{');
        let config: AuditConfig = if json {
            serde_json::from_str(text).map_err(|err| ConfigError::Invalid { path: path.to_path_buf(), line: err.line(), message: err.to_string() })?
        } else {
            toml::from_str(text).map_err(|err| {
                let line = err.span().map_or(0, |span| text[..span.start.min(text.len())].matches('\n').count() + 1);
                ConfigError::Invalid { path: path.to_path_buf(), line, message: err.message().to_string() }
            })?
        };
        for id in config.checks.keys() {
            if !super::checks::REGISTRY.iter().any(|check| check.id() == id) {
                return Err(ConfigError::UnknownCheck { path: path.to_path_buf(), id: id.clone() });
            }
        }
        Ok(config)
    }

    /// The severity a check's findings get, or `None` when the check is off.
    pub fn severity_of(&self, id: &str, default: Severity) -> Option<Severity> {
        match self.checks.get(id) {
            Some(settings) if settings.enabled == Some(false) => None,
            Some(settings) => Some(settings.severity.unwrap_or(default)),
            None => Some(default),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_and_json() {
        let toml = "serbian_script = \"cyrl\"\n[checks.length-ratio]\nenabled = false\n[checks.term-missing]\nseverity = \"error\"\n\
                    [[terms]]\nid = \"password\"\napproved = { sq = [\"fjalëkalim\"], sr = [\"lozinka\"] }\n";
        let config = AuditConfig::parse(toml, Path::new("a.toml")).unwrap();
        assert_eq!(config.serbian_script, ScriptPolicy::Cyrl);
        assert_eq!(config.severity_of("length-ratio", Severity::Warning), None);
        assert_eq!(config.severity_of("term-missing", Severity::Warning), Some(Severity::Error));
        assert_eq!(config.severity_of("mojibake", Severity::Error), Some(Severity::Error));
        assert_eq!(config.terms[0].approved[&crate::model::lang::Lang::Sr], vec!["lozinka"]);
        let json = r#"{"checks": {"mojibake": {"severity": "warning"}}}"#;
        assert_eq!(AuditConfig::parse(json, Path::new("a.json")).unwrap().severity_of("mojibake", Severity::Error), Some(Severity::Warning));
    }

    #[test]
    fn errors_name_file_line_and_value() {
        let err = AuditConfig::parse("[checks.no-such-check]\nenabled = false\n", Path::new("p.toml")).unwrap_err();
        assert_eq!(err.to_string(), "p.toml: unknown check id \"no-such-check\"");
        assert_eq!(crate::problem::Classify::hint(&err), Some(crate::problem::Hint::CheckIds));
        let err = AuditConfig::parse("serbian_script = \"greek\"\n", Path::new("p.toml")).unwrap_err();
        assert!(err.to_string().starts_with("p.toml: line 1: "), "{err}");
        let err = AuditConfig::parse("[checks.mojibake]\nseverity = \"fatal\"\n", Path::new("p.toml")).unwrap_err();
        assert!(err.to_string().contains("fatal"), "{err}");
    }
}
