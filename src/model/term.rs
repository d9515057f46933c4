//! Concepts and terms: the data a term base holds.
//!
//! A [`Concept`] is one meaning; its [`Term`]s name it in each language and script, each with
//! a [`TermStatus`]. Serbian is one language written in two scripts, so a concept may carry
//! terms tagged `sr-Cyrl` and `sr-Latn`.
//!
//! The checks every imported term passes and the derivation of the missing Serbian script are
//! `termbase`'s; storing concepts is `store`'s.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::lang::{LangTag, SrScript};

/// How a term may be used, from the term base's point of view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TermStatus {
    /// The term to use.
    Preferred,
    /// Acceptable, though not the first choice.
    Admitted,
    /// Should no longer be used (a misspelling, a calque, another variety's word).
    Deprecated,
    /// Replaced by a newer term (an institution renamed, an old law).
    Superseded,
    /// Must not be used (for Kosovo: the designations of another state's administration).
    Forbidden,
}

impl TermStatus {
    /// Every status, approved first.
    pub const ALL: [TermStatus; 5] = [TermStatus::Preferred, TermStatus::Admitted, TermStatus::Deprecated, TermStatus::Superseded, TermStatus::Forbidden];

    /// The status as CSV files and reports write it.
    pub fn as_str(self) -> &'static str {
        match self {
            TermStatus::Preferred => "preferred",
            TermStatus::Admitted => "admitted",
            TermStatus::Deprecated => "deprecated",
            TermStatus::Superseded => "superseded",
            TermStatus::Forbidden => "forbidden",
        }
    }

    /// Parses the CSV spelling (case-insensitive).
    pub fn parse(raw: &str) -> Option<TermStatus> {
        let lowered = raw.trim().to_ascii_lowercase();
        TermStatus::ALL.into_iter().find(|status| status.as_str() == lowered)
    }

    /// True for preferred and admitted terms: the ones a translation may use.
    pub fn is_approved(self) -> bool {
        matches!(self, TermStatus::Preferred | TermStatus::Admitted)
    }
}

impl std::fmt::Display for TermStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One term: a word or phrase naming a concept in one language and script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    /// Language, and for Serbian always the script (`sr-Cyrl` or `sr-Latn`).
    pub lang: LangTag,
    /// The term, NFC, single spaces.
    pub text: String,
    /// How it may be used.
    pub status: TermStatus,
    /// Part of speech (`noun`, `verb`, `adjective`, `adverb`, `phrase`, `other` …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pos: Option<String>,
    /// Usage note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Where the term is attested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// True when the term was transliterated from the concept's term in the other Serbian
    /// script rather than taken from a source.
    #[serde(default)]
    pub derived: bool,
}

impl Term {
    /// A term with no part of speech, note or source.
    pub fn new(lang: LangTag, text: impl Into<String>, status: TermStatus) -> Term {
        Term { lang, text: text.into(), status, pos: None, note: None, source: None, derived: false }
    }
}

/// One meaning and the terms that name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Concept {
    /// Stable identifier, unique in the term base (`municipality`, `c42`).
    pub id: String,
    /// Subject field (domain).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Definition, independent of language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition: Option<String>,
    /// Definitions written in one language (TBX `langSec`-level `definition`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub lang_definitions: BTreeMap<LangTag, String>,
    /// Note on the concept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Where the concept is attested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The terms, in the order the source gave them (derived terms follow the term they come from).
    pub terms: Vec<Term>,
}

impl Concept {
    /// A concept with an id and nothing else.
    pub fn new(id: impl Into<String>) -> Concept {
        Concept { id: id.into(), subject: None, definition: None, lang_definitions: BTreeMap::new(), note: None, source: None, terms: Vec::new() }
    }

    /// The preferred term for `lang`, in its script when `lang` names one. Terms taken from a
    /// source come before derived ones; then, for Serbian without a script, Latin before
    /// Cyrillic; then the term base's order.
    pub fn preferred(&self, lang: LangTag) -> Option<&Term> {
        let wanted =
            |term: &&Term| term.status == TermStatus::Preferred && term.lang.lang == lang.lang && (lang.script.is_none() || term.lang.script == lang.script);
        let mut candidates: Vec<&Term> = self.terms.iter().filter(wanted).collect();
        candidates.sort_by_key(|term| (term.derived, term.lang.script != Some(SrScript::Latn)));
        candidates.first().copied()
    }

    /// The best term to suggest in `lang`: the preferred one, else the first admitted one.
    pub fn suggestion(&self, lang: LangTag) -> Option<&Term> {
        self.preferred(lang).or_else(|| {
            self.terms
                .iter()
                .filter(|term| term.status == TermStatus::Admitted && term.lang.lang == lang.lang && (lang.script.is_none() || term.lang.script == lang.script))
                .min_by_key(|term| term.derived)
        })
    }

    /// The terms in `lang` (any script when `lang` names none).
    pub fn terms_in(&self, lang: LangTag) -> impl Iterator<Item = &Term> {
        self.terms.iter().filter(move |term| term.lang.lang == lang.lang && (lang.script.is_none() || term.lang.script == lang.script))
    }
}

/// What a concept write did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ConceptWriteSummary {
    /// Concepts whose id was new.
    pub added: usize,
    /// Concepts whose id existed with other content (replaced).
    pub replaced: usize,
    /// Concepts stored before with the same content.
    pub unchanged: usize,
}
