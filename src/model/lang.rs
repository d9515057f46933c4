//! Languages and BCP 47 language tags as termbridge uses them.
//!
//! Tags arrive in many spellings (`sr_latn` from Weblate, `sr@latin` from gettext, `sr-RS`,
//! `sq_AL`, `SR-CYRL`); [`LangTag::parse`] turns them into the canonical forms `sq`, `sr-Cyrl`,
//! `sr-Latn`, `sr` (script not known yet), `en`, `tr`, `bs`. Region subtags are dropped:
//! the tool treats all regional variants of a language alike.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A language termbridge knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Albanian.
    Sq,
    /// Serbian (either script).
    Sr,
    /// English.
    En,
    /// Turkish.
    Tr,
    /// Bosnian.
    Bs,
}

impl Lang {
    /// All languages, in the order reports list them.
    pub const ALL: [Lang; 5] = [Lang::Sq, Lang::Sr, Lang::En, Lang::Tr, Lang::Bs];

    /// The ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Sq => "sq",
            Lang::Sr => "sr",
            Lang::En => "en",
            Lang::Tr => "tr",
            Lang::Bs => "bs",
        }
    }

    /// The language's name in English.
    pub fn english_name(self) -> &'static str {
        match self {
            Lang::Sq => "Albanian",
            Lang::Sr => "Serbian",
            Lang::En => "English",
            Lang::Tr => "Turkish",
            Lang::Bs => "Bosnian",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The writing system of a Serbian text (other languages are always Latin here).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SrScript {
    /// Serbian Cyrillic (`sr-Cyrl`).
    Cyrl,
    /// Serbian Latin, Gaj's alphabet (`sr-Latn`).
    Latn,
}

/// A canonical language tag: a language, and for Serbian the script when it is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LangTag {
    /// The language.
    pub lang: Lang,
    /// The script; only ever set for Serbian.
    pub script: Option<SrScript>,
}

/// A tag that names no language termbridge knows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language tag {0:?} (expected sq, sr, sr-Cyrl, sr-Latn, en, tr or bs)")]
pub struct UnknownLangTag(pub String);

impl crate::problem::Classify for UnknownLangTag {
    /// A tag the user wrote.
    fn class(&self) -> crate::problem::ErrorClass {
        crate::problem::ErrorClass::Input
    }
}

impl LangTag {
    /// Albanian.
    pub const SQ: LangTag = LangTag { lang: Lang::Sq, script: None };
    /// Serbian, script unknown.
    pub const SR: LangTag = LangTag { lang: Lang::Sr, script: None };
    /// Serbian in Cyrillic.
    pub const SR_CYRL: LangTag = LangTag { lang: Lang::Sr, script: Some(SrScript::Cyrl) };
    /// Serbian in Latin.
    pub const SR_LATN: LangTag = LangTag { lang: Lang::Sr, script: Some(SrScript::Latn) };
    /// English.
    pub const EN: LangTag = LangTag { lang: Lang::En, script: None };
    /// Turkish.
    pub const TR: LangTag = LangTag { lang: Lang::Tr, script: None };
    /// Bosnian.
    pub const BS: LangTag = LangTag { lang: Lang::Bs, script: None };

    /// Parses any common spelling of a tag.
    ///
    /// ```
    /// use termbridge::model::lang::LangTag;
    /// assert_eq!(LangTag::parse("sr_latn").unwrap().to_string(), "sr-Latn");
    /// assert_eq!(LangTag::parse("sr@latin").unwrap().to_string(), "sr-Latn");
    /// assert_eq!(LangTag::parse("sq_AL").unwrap().to_string(), "sq");
    /// assert_eq!(LangTag::parse("SR-Cyrl-RS").unwrap().to_string(), "sr-Cyrl");
    /// ```
    pub fn parse(raw: &str) -> Result<LangTag, UnknownLangTag> {
        let lowered = raw.trim().to_ascii_lowercase();
        let (main, modifier) = match lowered.split_once('@') {
            Some((main, modifier)) => (main, Some(modifier)),
            None => (lowered.as_str(), None),
        };
        let mut parts = main.split(['-', '_']).filter(|part| !part.is_empty());
        let lang = match parts.next() {
            Some("sq" | "sqi" | "alb") => Lang::Sq,
            Some("sr" | "srp" | "scc") => Lang::Sr,
            Some("en" | "eng") => Lang::En,
            Some("tr" | "tur") => Lang::Tr,
            Some("bs" | "bos") => Lang::Bs,
            _ => return Err(UnknownLangTag(raw.to_string())),
        };
        let mut script = None;
        for part in parts {
            match part {
                "latn" => script = Some(SrScript::Latn),
                "cyrl" => script = Some(SrScript::Cyrl),
                // Region subtags (AL, RS, XK, ME, US, GB …) are deliberately ignored.
                _ if part.len() == 2 || part.len() == 3 => {}
                _ => return Err(UnknownLangTag(raw.to_string())),
            }
        }
        match modifier {
            Some("latin") => script = Some(SrScript::Latn),
            Some("cyrillic") => script = Some(SrScript::Cyrl),
            Some(_) => return Err(UnknownLangTag(raw.to_string())),
            None => {}
        }
        if lang != Lang::Sr {
            script = None;
        }
        Ok(LangTag { lang, script })
    }
}

impl fmt::Display for LangTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.script {
            None => f.write_str(self.lang.code()),
            Some(SrScript::Cyrl) => write!(f, "{}-Cyrl", self.lang.code()),
            Some(SrScript::Latn) => write!(f, "{}-Latn", self.lang.code()),
        }
    }
}

impl FromStr for LangTag {
    type Err = UnknownLangTag;
    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        LangTag::parse(raw)
    }
}

impl Serialize for LangTag {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for LangTag {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        LangTag::parse(&raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(raw: &str, expected: Option<&str>) {
        assert_eq!(LangTag::parse(raw).ok().map(|tag| tag.to_string()).as_deref(), expected, "{raw}");
    }

    #[test]
    fn parses_the_spellings_tools_write() {
        check("sq", Some("sq"));
        check("sq-AL", Some("sq"));
        check("sr", Some("sr"));
        check("sr-RS", Some("sr"));
        check("sr_Latn", Some("sr-Latn"));
        check("sr_latn", Some("sr-Latn"));
        check("sr_cyrl", Some("sr-Cyrl"));
        check("sr@latin", Some("sr-Latn"));
        check("sr_RS@latin", Some("sr-Latn"));
        check("sr-Cyrl-XK", Some("sr-Cyrl"));
        check("en_US", Some("en"));
        check("EN", Some("en"));
        check("tr", Some("tr"));
        check("bs", Some("bs"));
        check("de", None);
        check("", None);
        check("sr-Grek", None);
        check("sr@foo", None);
    }
}
