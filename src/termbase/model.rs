//! The checks every imported term passes, and the Serbian script a term base derives by
//! transliteration. The concepts and terms themselves are `model`'s
//! ([`Concept`], [`Term`], [`TermStatus`]).
//!
//! Serbian is one language written in two scripts, so a concept may carry terms tagged
//! `sr-Cyrl` and `sr-Latn`; when a source gives only one script,
//! [`derive_serbian_scripts`] adds the other, marked `derived`, so that both scripts are
//! found and suggested alike.
//!
//! This module does no I/O: the readers (CSV here, TBX in `tbx.rs`) call
//! [`clean_term`] and [`check_concept`] with their own file and line.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::lang::{Lang, LangTag, SrScript};
use crate::model::{Concept, Term, TermStatus};
use crate::text::{self, Tier, translit::is_serbian_cyrillic_letter};

/// What a reader found besides the concepts: input it skipped or repaired, with its line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportWarning {
    /// 1-based line in the input.
    pub line: usize,
    /// What was skipped or repaired, and why.
    pub message: String,
}

/// The result of reading a term base file: its concepts, checked and with the other Serbian
/// script derived, and warnings about what was skipped or repaired.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    /// The concepts, in file order.
    pub concepts: Vec<Concept>,
    /// What was skipped or repaired.
    pub warnings: Vec<ImportWarning>,
}

/// Collapses whitespace runs to one space, trims, and returns NFC; `None` when nothing is left.
pub fn clean_text(raw: &str) -> Option<String> {
    let collapsed = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.is_empty() {
        return None;
    }
    Some(text::nfc(&collapsed).into_owned())
}

/// Why a term or a concept cannot be accepted into the term base, naming the value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntryError {
    /// The term is empty once spaces are trimmed.
    #[error("empty term")]
    EmptyTerm,
    /// The term holds a C1 control character, a sign of encoding damage.
    #[error("term {text:?} holds control character {} (encoding damage)", unicode(.character))]
    ControlCharacter {
        /// The term.
        text: String,
        /// The control character.
        character: char,
    },
    /// An `sr-Cyrl` term holds a letter outside the Serbian Cyrillic alphabet.
    #[error("sr-Cyrl term {text:?} holds {letter:?} ({}), not a letter of the Serbian Cyrillic alphabet", unicode(.letter))]
    NotSerbianCyrillic {
        /// The term.
        text: String,
        /// The first letter outside the alphabet.
        letter: char,
    },
    /// A term of a Latin-script language holds a Cyrillic letter.
    #[error("{lang} term {text:?} holds Cyrillic {letter:?} ({})", unicode(.letter))]
    CyrillicInLatin {
        /// The term's language.
        lang: LangTag,
        /// The term.
        text: String,
        /// The first Cyrillic letter.
        letter: char,
    },
    /// The concept has no id.
    #[error("concept without an id")]
    NoId,
    /// The concept has no term.
    #[error("concept {id:?} has no term")]
    NoTerm {
        /// The concept id.
        id: String,
    },
    /// The concept lists one term twice.
    #[error("concept {id:?} lists {lang} term {text:?} twice")]
    DuplicateTerm {
        /// The concept id.
        id: String,
        /// The term's language.
        lang: LangTag,
        /// The term.
        text: String,
    },
}

/// `U+0043` for C.
fn unicode(c: &char) -> String {
    format!("U+{:04X}", u32::from(*c))
}

impl crate::problem::Classify for EntryError {
    /// A term or concept the user gave.
    fn class(&self) -> crate::problem::ErrorClass {
        crate::problem::ErrorClass::Input
    }
}

/// Checks and normalises one term as a reader found it; returns the repaired term and any
/// repair made, or why the term cannot be accepted.
///
/// The term is made NFC with single spaces. An `sr` tag without a script gets the script of
/// the term's letters. U+00D0 (Ð, Icelandic eth), which some sources write for Đ, becomes
/// U+0110 in Serbian Latin. Refused: an empty term, C1 control characters (encoding damage),
/// Cyrillic letters in a Latin-script language, and in `sr-Cyrl` any letter outside the 30
/// letters of the Serbian Cyrillic alphabet (Latin look-alikes such as a, e, o, c, non-Serbian
/// Cyrillic such as й, ы, ѓ).
///
/// ```
/// use termbridge::model::lang::LangTag;
/// use termbridge::termbase::clean_term;
/// use termbridge::model::{Term, TermStatus};
/// let (term, _) = clean_term(Term::new(LangTag::SR, " општина ", TermStatus::Preferred)).unwrap();
/// assert_eq!((term.lang, term.text.as_str()), (LangTag::SR_CYRL, "општина"));
/// assert!(clean_term(Term::new(LangTag::SR_CYRL, "Mитровица", TermStatus::Preferred)).is_err());
/// ```
pub fn clean_term(mut term: Term) -> Result<(Term, Option<String>), EntryError> {
    let Some(cleaned) = clean_text(&term.text) else {
        return Err(EntryError::EmptyTerm);
    };
    term.text = cleaned;
    if let Some(bad) = term.text.chars().find(|c| ('\u{80}'..='\u{9f}').contains(c)) {
        return Err(EntryError::ControlCharacter { text: term.text, character: bad });
    }
    term.lang = crate::model::resolve_script(term.lang, &term.text);
    let mut repair = None;
    if term.lang == LangTag::SR_LATN && term.text.contains(['\u{D0}', '\u{F0}']) {
        let fixed = term.text.replace('\u{D0}', "\u{110}").replace('\u{F0}', "\u{111}");
        repair = Some(format!("term {:?}: U+00D0/U+00F0 (eth) replaced by Đ/đ", term.text));
        term.text = fixed;
    }
    if term.lang == LangTag::SR_CYRL {
        if let Some(bad) = non_serbian_cyrillic_letter(&term.text) {
            return Err(EntryError::NotSerbianCyrillic { text: term.text, letter: bad });
        }
    } else if let Some(bad) = term.text.chars().find(|c| crate::text::script::is_cyrillic_letter(*c)) {
        return Err(EntryError::CyrillicInLatin { lang: term.lang, text: term.text, letter: bad });
    }
    term.note = term.note.as_deref().and_then(clean_text);
    term.source = term.source.as_deref().and_then(clean_text);
    term.pos = term.pos.as_deref().and_then(normalize_pos);
    Ok((term, repair))
}

/// The canonical spelling of a part of speech (`adj` → `adjective`, `N` → `noun`).
pub fn normalize_pos(raw: &str) -> Option<String> {
    let lowered = raw.trim().to_lowercase();
    let canonical = match lowered.as_str() {
        "" => return None,
        "n" | "noun" => "noun",
        "v" | "verb" => "verb",
        "adj" | "adjective" => "adjective",
        "adv" | "adverb" => "adverb",
        "propernoun" | "proper noun" | "proper" => "properNoun",
        "phr" | "phrase" => "phrase",
        other => return Some(other.to_string()),
    };
    Some(canonical.to_string())
}

/// Concept-level checks: an id, at least one term, no term twice. Returns warnings (several
/// preferred terms in one language and script are allowed but reported) or why the concept
/// cannot be accepted.
pub fn check_concept(concept: &Concept) -> Result<Vec<String>, EntryError> {
    if concept.id.trim().is_empty() {
        return Err(EntryError::NoId);
    }
    if concept.terms.is_empty() {
        return Err(EntryError::NoTerm { id: concept.id.clone() });
    }
    let mut warnings = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut preferred: BTreeMap<LangTag, usize> = BTreeMap::new();
    for term in &concept.terms {
        if !seen.insert((term.lang, term.text.as_str())) {
            return Err(EntryError::DuplicateTerm { id: concept.id.clone(), lang: term.lang, text: term.text.clone() });
        }
        if term.status == TermStatus::Preferred && !term.derived {
            *preferred.entry(term.lang).or_default() += 1;
        }
    }
    for (lang, count) in preferred {
        if count > 1 {
            warnings.push(format!("concept {:?} has {count} preferred {lang} terms; the first is suggested", concept.id));
        }
    }
    Ok(warnings)
}

/// The first letter of `text` that is not Serbian Cyrillic, skipping codes with digits
/// ("02/L-37"), which Serbian Cyrillic text keeps in Latin letters.
fn non_serbian_cyrillic_letter(text: &str) -> Option<char> {
    text.split_whitespace()
        .filter(|token| !token.chars().any(|c| c.is_ascii_digit()))
        .flat_map(str::chars)
        .find(|c| c.is_alphabetic() && !is_serbian_cyrillic_letter(*c))
}

/// Adds to `concept`, for each Serbian term that has no counterpart in the other script, the
/// transliterated term marked `derived`, placed right after it. The derived term keeps the
/// status, part of speech, note and source of its original, except that it is admitted, not
/// preferred, when the concept already has a preferred term in that script. Latin terms that
/// the transliterator keeps in Latin (foreign words, codes) get no Cyrillic form, nor do
/// deprecated Latin spellings with "dj" standing for đ.
/// Returns the number of terms added; running it again adds none.
///
/// ```
/// use termbridge::model::lang::LangTag;
/// use termbridge::termbase::derive_serbian_scripts;
/// use termbridge::model::{Concept, Term, TermStatus};
/// let mut concept = Concept::new("municipality");
/// concept.terms.push(Term::new(LangTag::SR_LATN, "opština", TermStatus::Preferred));
/// assert_eq!(derive_serbian_scripts(&mut concept), 1);
/// assert_eq!(concept.terms[1].text, "општина");
/// assert!(concept.terms[1].derived);
/// assert_eq!(derive_serbian_scripts(&mut concept), 0);
/// ```
pub fn derive_serbian_scripts(concept: &mut Concept) -> usize {
    let mut added = 0;
    let mut idx = 0;
    while idx < concept.terms.len() {
        let term = &concept.terms[idx];
        let target_script = match term.lang.script {
            Some(SrScript::Latn) if term.lang.lang == Lang::Sr => SrScript::Cyrl,
            Some(SrScript::Cyrl) if term.lang.lang == Lang::Sr => SrScript::Latn,
            _ => {
                idx += 1;
                continue;
            }
        };
        let target_tag = LangTag { lang: Lang::Sr, script: Some(target_script) };
        let converted = match target_script {
            SrScript::Cyrl => text::lat_to_cyr(&term.text).into_owned(),
            SrScript::Latn => text::cyr_to_lat(&term.text).into_owned(),
        };
        let usable = match target_script {
            // A deprecated Latin spelling with "dj" writes đ the way keyboards without it do
            // ("Djakovica" for "Đakovica"): a Latin-only misspelling with no Cyrillic form
            // ("Дјаковица" would be a new error, not the same one).
            SrScript::Cyrl => non_serbian_cyrillic_letter(&converted).is_none() && (term.status.is_approved() || !term.text.to_lowercase().contains("dj")),
            SrScript::Latn => !converted.chars().any(is_serbian_cyrillic_letter),
        };
        let converted_key = text::fold(&converted, Tier::Case);
        let present = concept.terms.iter().any(|other| other.lang == target_tag && text::fold(&other.text, Tier::Case) == converted_key);
        if !usable || present {
            idx += 1;
            continue;
        }
        let has_preferred = concept.terms.iter().any(|other| other.lang == target_tag && other.status == TermStatus::Preferred);
        let mut derived = term.clone();
        derived.lang = target_tag;
        derived.text = converted;
        derived.derived = true;
        if derived.status == TermStatus::Preferred && has_preferred {
            derived.status = TermStatus::Admitted;
        }
        concept.terms.insert(idx + 1, derived);
        added += 1;
        idx += 2;
    }
    added
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cleaned(lang: LangTag, text: &str) -> Result<(String, String), EntryError> {
        clean_term(Term::new(lang, text, TermStatus::Preferred)).map(|(term, _)| (term.lang.to_string(), term.text))
    }

    #[test]
    fn clean_term_repairs_and_refuses() {
        assert_eq!(cleaned(LangTag::SQ, "  komunë\n e  re "), Ok(("sq".into(), "komunë e re".into())));
        assert_eq!(cleaned(LangTag::SQ, "komune\u{308}"), Ok(("sq".into(), "komunë".into())));
        assert_eq!(cleaned(LangTag::SR, "opština"), Ok(("sr-Latn".into(), "opština".into())));
        assert_eq!(cleaned(LangTag::SR, "општина"), Ok(("sr-Cyrl".into(), "општина".into())));
        assert_eq!(cleaned(LangTag::SR_LATN, "\u{D0}akovica"), Ok(("sr-Latn".into(), "Đakovica".into())));
        assert!(cleaned(LangTag::SR_CYRL, "Ceвeрнa Митровицa").unwrap_err().to_string().contains("U+0043"));
        assert!(cleaned(LangTag::SR_CYRL, "объект").unwrap_err().to_string().contains("U+044A"));
        assert!(cleaned(LangTag::SQ, "комуна").unwrap_err().to_string().contains("Cyrillic"));
        assert!(cleaned(LangTag::EN, "   ").unwrap_err().to_string().contains("empty"));
        assert!(cleaned(LangTag::SQ, "komunÃ\u{8b}").unwrap_err().to_string().contains("U+008B"));
        assert_eq!(cleaned(LangTag::SR_CYRL, "Закон 02/L-37"), Ok(("sr-Cyrl".into(), "Закон 02/L-37".into())));
    }

    #[test]
    fn pos_spellings() {
        for (raw, expected) in [("adj", Some("adjective")), ("N", Some("noun")), ("phrase", Some("phrase")), ("", None), ("properNoun", Some("properNoun"))] {
            assert_eq!(normalize_pos(raw).as_deref(), expected, "{raw}");
        }
    }

    #[test]
    fn derives_the_missing_script_once() {
        let mut concept = Concept::new("c");
        concept.terms.push(Term::new(LangTag::SR_LATN, "Skupština opštine", TermStatus::Preferred));
        concept.terms.push(Term::new(LangTag::SR_CYRL, "скупштина општине", TermStatus::Preferred));
        concept.terms.push(Term::new(LangTag::SR_LATN, "SO", TermStatus::Admitted));
        concept.terms.push(Term::new(LangTag::SR_CYRL, "село", TermStatus::Preferred));
        concept.terms.push(Term::new(LangTag::SR_LATN, "Windows", TermStatus::Admitted));
        concept.terms.push(Term::new(LangTag::SR_LATN, "Djakovica", TermStatus::Deprecated));
        assert_eq!(derive_serbian_scripts(&mut concept), 2);
        let texts: Vec<(String, &str, TermStatus, bool)> =
            concept.terms.iter().map(|term| (term.lang.to_string(), term.text.as_str(), term.status, term.derived)).collect();
        assert_eq!(
            texts,
            vec![
                ("sr-Latn".to_string(), "Skupština opštine", TermStatus::Preferred, false),
                ("sr-Cyrl".to_string(), "скупштина општине", TermStatus::Preferred, false),
                ("sr-Latn".to_string(), "SO", TermStatus::Admitted, false),
                ("sr-Cyrl".to_string(), "СО", TermStatus::Admitted, true),
                ("sr-Cyrl".to_string(), "село", TermStatus::Preferred, false),
                // A second preferred Latin term would compete with the first: admitted.
                ("sr-Latn".to_string(), "selo", TermStatus::Admitted, true),
                ("sr-Latn".to_string(), "Windows", TermStatus::Admitted, false),
                ("sr-Latn".to_string(), "Djakovica", TermStatus::Deprecated, false),
            ]
        );
        assert_eq!(derive_serbian_scripts(&mut concept), 0);
    }

    #[test]
    fn preferred_prefers_sources_and_latin() {
        let mut concept = Concept::new("c");
        concept.terms.push(Term::new(LangTag::SR_CYRL, "општина", TermStatus::Preferred));
        derive_serbian_scripts(&mut concept);
        assert_eq!(concept.preferred(LangTag::SR).map(|t| t.text.as_str()), Some("општина"), "the source's script first");
        concept.terms.insert(0, Term::new(LangTag::SR_LATN, "opština", TermStatus::Preferred));
        concept.terms.retain(|term| !term.derived);
        assert_eq!(concept.preferred(LangTag::SR).map(|t| t.text.as_str()), Some("opština"), "then Latin");
        assert_eq!(concept.preferred(LangTag::SR_CYRL).map(|t| t.text.as_str()), Some("општина"));
        assert_eq!(concept.preferred(LangTag::EN), None);
    }

    #[test]
    fn concept_checks() {
        let mut concept = Concept::new("c");
        assert!(check_concept(&concept).unwrap_err().to_string().contains("no term"));
        concept.terms.push(Term::new(LangTag::EN, "mayor", TermStatus::Preferred));
        concept.terms.push(Term::new(LangTag::EN, "Mayor", TermStatus::Preferred));
        assert_eq!(check_concept(&concept).unwrap().len(), 1);
        concept.terms.push(Term::new(LangTag::EN, "mayor", TermStatus::Admitted));
        assert!(check_concept(&concept).unwrap_err().to_string().contains("twice"));
    }
}
