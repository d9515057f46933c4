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
//! translation_memory = true      # compare translations with the data directory's TM
//! dict_dir = "/usr/share/hunspell" # Hunspell dictionaries (relative: to this file's folder)
//! locale_dir = "/usr/share/locale"  # iso-codes' translated names (relative: to this file's folder)
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
//!
//! [length_limit]                 # length-limit: the most characters a segment may have
//! chars = 120
//! per_language = { sr = 110 }
//!
//! [[custom_rules]]               # custom-rule: a checklist of regular expressions
//! name = "no-sifra"
//! lang = "sr"                    # optional: every version when absent
//! pattern = "(?i)\\bšifr"
//! message = "write lozinka for password"
//! replacement = "lozinka"        # optional
//! ```
//!
//! Unknown check ids are refused, so a typo does not silently leave a check on; a custom
//! rule's regular expression and language are checked when the file is read.

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

/// The most characters a segment may have (the `length-limit` check; off when empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LengthLimit {
    /// The limit for every version.
    pub chars: Option<usize>,
    /// Limits by language code (`sq`, `sr`, `en`), overriding `chars`.
    #[serde(default)]
    pub per_language: BTreeMap<String, usize>,
}

impl LengthLimit {
    /// The limit for a version in `lang`, when there is one.
    pub fn for_lang(&self, lang: crate::model::lang::Lang) -> Option<usize> {
        self.per_language.get(lang.code()).copied().or(self.chars)
    }
}

/// One rule of a regular-expression checklist (the `custom-rule` check): text that matches
/// `pattern` is reported with `message`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomRule {
    /// A short name, shown with the message.
    #[serde(default)]
    pub name: Option<String>,
    /// The language (`sq`, `sr`, `sr-Latn`, …) whose versions it applies to; all when absent.
    #[serde(default)]
    pub lang: Option<String>,
    /// The regular expression (Rust `regex` syntax; `(?i)` for any case).
    pub pattern: String,
    /// What is wrong, for the reader of the report.
    pub message: String,
    /// The text to put in place of a match (`$1` names a group), when there is one.
    #[serde(default)]
    pub replacement: Option<String>,
}

impl CustomRule {
    /// The compiled expression (checked when the configuration is read).
    pub fn regex(&self) -> Result<regex::Regex, regex::Error> {
        regex::RegexBuilder::new(&self.pattern).size_limit(1 << 22).build()
    }

    /// The language tag it is limited to, when it is (checked when the configuration is read).
    pub fn lang_tag(&self) -> Option<crate::model::lang::LangTag> {
        self.lang.as_deref().and_then(|lang| crate::model::lang::LangTag::parse(lang).ok())
    }
}

/// The line (1-based) of the `n`-th (0-based) `key` in a TOML or JSON text, or 0.
fn line_of_key(text: &str, key: &str, n: usize) -> usize {
    let mut seen = 0;
    for (idx, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find(key) {
            let before = rest[..at].chars().next_back();
            let after = rest[at + key.len()..].trim_start_matches('"').trim_start();
            rest = &rest[at + key.len()..];
            if before.is_none_or(|c| !(c.is_alphanumeric() || c == '_')) && (after.starts_with('=') || after.starts_with(':')) {
                if seen == n {
                    return idx + 1;
                }
                seen += 1;
            }
        }
    }
    0
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
    /// Segment length limits (`length-limit`).
    pub length_limit: LengthLimit,
    /// The regular-expression checklist (`custom-rule`).
    pub custom_rules: Vec<CustomRule>,
    /// The language the document was written in, the others being its translations. With two
    /// versions, a difference is placed on the translation; when absent, the Albanian version
    /// (the drafting language of Kosovo's institutions) is taken as the original, else the
    /// first version given.
    pub source: Option<crate::model::lang::Lang>,
    /// Compare each translated segment with the translation memory of the data directory
    /// (`inconsistent-translation`: exact matches of the original's segment whose translations
    /// all differ). Off by default: the audit then needs nothing but its documents.
    pub translation_memory: bool,
    /// The folder of the Hunspell dictionaries (`sq_AL`, `sr_RS`, `sr_Latn_RS`, `en_US`) that
    /// `spelling` and `missing-diacritics` ask; a relative path is taken from the
    /// configuration file's folder. When absent, `TERMBRIDGE_DICT_DIR`, else
    /// `/usr/share/hunspell` ([`crate::lexicon::Lexicon::system`]).
    pub dict_dir: Option<PathBuf>,
    /// The folder of gettext catalogues whose `iso-codes` names of languages, countries,
    /// regions, scripts and currencies `spelling` takes as words (`sq/LC_MESSAGES/iso_639-2.mo`
    /// …); a relative path is taken from the configuration file's folder. When absent,
    /// `TERMBRIDGE_LOCALE_DIR`, else `/usr/share/locale` ([`super::IsoNames::at`]).
    pub locale_dir: Option<PathBuf>,
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
            length_limit: LengthLimit::default(),
            custom_rules: Vec::new(),
            source: None,
            translation_memory: false,
            dict_dir: None,
            locale_dir: None,
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
        let mut config: AuditConfig = if json {
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
        let invalid = |key: &str, n: usize, message: String| ConfigError::Invalid { path: path.to_path_buf(), line: line_of_key(text, key, n), message };
        for (n, rule) in config.custom_rules.iter().enumerate() {
            let name = rule.name.as_deref().map_or_else(|| format!("custom rule {}", n + 1), |name| format!("custom rule {name:?}"));
            if let Err(err) = rule.regex() {
                // The regex crate's message draws the pattern over several lines; its last says what is wrong.
                let what = err.to_string();
                let what = what.lines().rev().find(|line| !line.trim().is_empty()).unwrap_or_default().trim().trim_start_matches("error: ").to_string();
                return Err(invalid("pattern", n, format!("{name}: invalid regular expression {:?}: {what}", rule.pattern)));
            }
            if let Some(lang) = &rule.lang
                && crate::model::lang::LangTag::parse(lang).is_err()
            {
                let n = config.custom_rules[..n].iter().filter(|rule| rule.lang.is_some()).count();
                return Err(invalid("lang", n, format!("{name}: unknown language {lang:?}")));
            }
        }
        for code in config.length_limit.per_language.keys() {
            if !crate::model::lang::Lang::ALL.iter().any(|lang| lang.code() == code) {
                return Err(invalid(code, 0, format!("length limit: unknown language {code:?}")));
            }
        }
        let base = path.parent().unwrap_or(Path::new(""));
        if let Some(dir) = config.dict_dir.take() {
            config.dict_dir = Some(if dir.is_relative() { base.join(dir) } else { dir });
        }
        if let Some(dir) = config.locale_dir.take() {
            config.locale_dir = Some(if dir.is_relative() { base.join(dir) } else { dir });
        }
        Ok(config)
    }

    /// The dictionaries the checks ask: those of `dict_dir`, else the process-wide ones.
    pub fn lexicon(&self) -> &'static crate::lexicon::Lexicon {
        crate::lexicon::Lexicon::at(self.dict_dir.as_deref())
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

    #[test]
    fn a_relative_dictionary_folder_is_taken_from_the_file_folder() {
        let config = AuditConfig::parse("dict_dir = \"dicts\"\n", Path::new("/etc/termbridge/audit.toml")).unwrap();
        assert_eq!(config.dict_dir.as_deref(), Some(Path::new("/etc/termbridge/dicts")));
        let config = AuditConfig::parse("locale_dir = \"locale\"\n", Path::new("/etc/termbridge/audit.toml")).unwrap();
        assert_eq!(config.locale_dir.as_deref(), Some(Path::new("/etc/termbridge/locale")));
        let config = AuditConfig::parse("{\"dict_dir\": \"/opt/hunspell\"}", Path::new("a.json")).unwrap();
        assert_eq!(config.lexicon().dir(), Path::new("/opt/hunspell"));
        assert_eq!(AuditConfig::default().lexicon().dir(), crate::lexicon::Lexicon::system().dir());
    }

    #[test]
    fn length_limit_and_custom_rules() {
        let toml = "[length_limit]\nchars = 80\nper_language = { sr = 70 }\n\n[[custom_rules]]\nlang = \"sr\"\npattern = '(?i)\\bšifr\\w*'\n\
                    message = \"write lozinka\"\nreplacement = \"lozinka\"\n";
        let config = AuditConfig::parse(toml, Path::new("a.toml")).unwrap();
        assert_eq!(config.length_limit.for_lang(crate::model::lang::Lang::Sr), Some(70));
        assert_eq!(config.length_limit.for_lang(crate::model::lang::Lang::Sq), Some(80));
        assert!(config.custom_rules[0].regex().unwrap().is_match("Unesite Šifru"));
        assert_eq!(config.custom_rules[0].lang_tag().map(|tag| tag.lang), Some(crate::model::lang::Lang::Sr));
    }

    #[test]
    fn a_bad_rule_is_refused_naming_file_line_and_pattern() {
        let toml = "[[custom_rules]]\npattern = \"ok\"\nmessage = \"m\"\n\n[[custom_rules]]\nname = \"broken\"\npattern = \"(unclosed\"\nmessage = \"m\"\n";
        let err = AuditConfig::parse(toml, Path::new("rules.toml")).unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("rules.toml: line 7: custom rule \"broken\": invalid regular expression \"(unclosed\": "), "{text}");
        assert!(!text.contains('\n'), "{text}");
        let json = "{\n  \"custom_rules\": [\n    {\"pattern\": \"[a-\", \"message\": \"m\"}\n  ]\n}";
        let err = AuditConfig::parse(json, Path::new("rules.json")).unwrap_err();
        assert!(err.to_string().starts_with("rules.json: line 3: custom rule 1: invalid regular expression"), "{err}");
        let err = AuditConfig::parse("[[custom_rules]]\nlang = \"xx\"\npattern = \"a\"\nmessage = \"m\"\n", Path::new("r.toml")).unwrap_err();
        assert_eq!(err.to_string(), "r.toml: line 2: custom rule 1: unknown language \"xx\"");
        let err = AuditConfig::parse("[length_limit]\nper_language = { xx = 5 }\n", Path::new("r.toml")).unwrap_err();
        assert_eq!(err.to_string(), "r.toml: line 2: length limit: unknown language \"xx\"");
        let err = AuditConfig::parse("[[custom_rules]]\npattern = \"a\"\n", Path::new("r.toml")).unwrap_err();
        assert!(err.to_string().contains("message"), "{err}");
    }
}
