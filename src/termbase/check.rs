//! Terminology checks over aligned segments, the building blocks of the audit's
//! `term-missing`, `term-forbidden` and `term-inconsistent` findings (DOMAIN.md A.5 D9).
//!
//! - `term-missing`: a source segment names a concept whose approved term in the target
//!   language appears nowhere in the aligned target segment (no rendering of the concept at
//!   all; a deprecated rendering is `term-forbidden` instead).
//! - `term-forbidden`: a target segment uses a forbidden term, or a deprecated or superseded
//!   term of a concept its source segment names (elsewhere such a term is often an ordinary
//!   word in another sense); the finding suggests the preferred term in the same language and
//!   script. [`check_forbidden`] reports every non-approved term of a lone text.
//! - `term-inconsistent`: across a document, one source concept is rendered by different
//!   target terms; the renderings that differ from the reference (the preferred term when it
//!   is used, else the most frequent) are reported.
//!
//! These functions only find; severity, report wording in the reader's language and
//! suppression belong to the audit.

use std::collections::HashMap;

use serde::Serialize;

use super::index::{TermIndex, key};
use super::recognize::Occurrence;
use super::usage::{TermDate, latest_date};
use crate::model::TermStatus;
use crate::model::lang::LangTag;
use crate::model::resolve_script;

/// Which terminology check a finding comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TermCheck {
    /// An approved target term is missing.
    Missing,
    /// A deprecated, superseded or forbidden term is used.
    Forbidden,
    /// A source concept is rendered in different ways across a document.
    Inconsistent,
}

impl TermCheck {
    /// The stable check id.
    pub fn id(self) -> &'static str {
        match self {
            TermCheck::Missing => "term-missing",
            TermCheck::Forbidden => "term-forbidden",
            TermCheck::Inconsistent => "term-inconsistent",
        }
    }
}

impl Serialize for TermCheck {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

/// Which side of an aligned pair a finding points into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// The source segment.
    Source,
    /// The target segment.
    Target,
}

/// One aligned pair of segments.
#[derive(Debug, Clone, Copy)]
pub struct SegmentPair<'a> {
    /// The source segment.
    pub source: &'a str,
    /// The target segment.
    pub target: &'a str,
}

/// A terminology problem in an aligned pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermFinding {
    /// The check.
    pub check: TermCheck,
    /// Index of the pair in the document.
    pub segment: usize,
    /// The segment the range points into.
    pub side: Side,
    /// Byte offset in that segment.
    pub start: usize,
    /// Byte offset just past the range.
    pub end: usize,
    /// The concept concerned.
    pub concept_id: String,
    /// What the check found, in words.
    pub message: String,
    /// The term to use.
    pub suggestion: Option<String>,
    /// True for information rather than a defect: a superseded term in a document not known to
    /// be dated after the change its usage note records.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub informational: bool,
}

/// One target term found for a source concept: (comparison key of the term, the term, is it
/// preferred, segment, start, end).
type Rendering = (String, String, bool, usize, usize, usize);

/// The target language with a script: the caller's, else the script of the target text.
fn target_tag(target_lang: LangTag, target_text: &str) -> LangTag {
    resolve_script(target_lang, target_text)
}

/// Findings for deprecated, superseded and forbidden terms among `occurrences` of segment
/// `segment`, side `side`. Occurrences inside a fixed phrase of their usage note are right and
/// skipped; a dated superseded term is information unless `document_date` is after the change.
fn forbidden_findings(occurrences: &[Occurrence], segment: usize, side: Side, document_date: Option<TermDate>) -> Vec<TermFinding> {
    occurrences
        .iter()
        .filter(|occurrence| !occurrence.status.is_approved() && occurrence.correct_in.is_none())
        .map(|occurrence| {
            let status = match occurrence.status {
                TermStatus::Forbidden => "forbidden",
                TermStatus::Superseded => "superseded",
                _ => "deprecated",
            };
            let use_instead = occurrence.suggestion.as_deref().map(|better| format!("; use «{better}»")).unwrap_or_default();
            let mut informational = false;
            let message = match (&occurrence.replaced, document_date) {
                (Some(change), Some(date)) if date.is_after(change.date) => {
                    format!("«{}» is a former name ({}), {change}, before this document's date {date}{use_instead}", occurrence.text, occurrence.concept_id)
                }
                (Some(change), _) => {
                    informational = true;
                    format!(
                        "«{}» is a former name ({}), {change}; right in texts from before then{use_instead} in later ones",
                        occurrence.text, occurrence.concept_id
                    )
                }
                (None, _) => format!("«{}» is a {status} term ({}){use_instead}", occurrence.text, occurrence.concept_id),
            };
            TermFinding {
                check: TermCheck::Forbidden,
                segment,
                side,
                start: occurrence.start,
                end: occurrence.end,
                concept_id: occurrence.concept_id.clone(),
                message,
                suggestion: occurrence.suggestion.clone(),
                informational,
            }
        })
        .collect()
}

/// `term-forbidden` findings in one text (segment 0, side target). The text's date, for
/// superseded terms, is the latest full date it writes ([`latest_date`]).
///
/// ```
/// use termbridge::model::lang::LangTag;
/// use termbridge::termbase::{TermIndex, check_forbidden};
/// use termbridge::model::{Concept, Term, TermStatus};
/// let mut concept = Concept::new("municipality");
/// concept.terms.push(Term::new(LangTag::SR_LATN, "opština", TermStatus::Preferred));
/// concept.terms.push(Term::new(LangTag::SR_LATN, "općina", TermStatus::Deprecated));
/// let index = TermIndex::build(vec![concept]);
/// let findings = check_forbidden(&index, "u općini Prizren", LangTag::SR_LATN);
/// assert_eq!(findings[0].suggestion.as_deref(), Some("opština"));
/// ```
pub fn check_forbidden(index: &TermIndex, text: &str, lang: LangTag) -> Vec<TermFinding> {
    forbidden_findings(&index.recognize(text, lang.lang), 0, Side::Target, latest_date(text))
}

/// `term-missing` and `term-forbidden` findings for one aligned pair (as segment 0).
pub fn check_pair(index: &TermIndex, source_lang: LangTag, target_lang: LangTag, pair: SegmentPair<'_>) -> Vec<TermFinding> {
    check_document(index, source_lang, target_lang, &[pair]).into_iter().filter(|finding| finding.check != TermCheck::Inconsistent).collect()
}

/// All three checks over a document's aligned pairs, in segment order.
pub fn check_document(index: &TermIndex, source_lang: LangTag, target_lang: LangTag, pairs: &[SegmentPair<'_>]) -> Vec<TermFinding> {
    let mut findings = Vec::new();
    let mut renderings: HashMap<String, Vec<Rendering>> = HashMap::new();
    let mut concept_order: Vec<String> = Vec::new();
    let document_date = pairs.iter().flat_map(|pair| [latest_date(pair.source), latest_date(pair.target)]).flatten().max();
    for (segment, pair) in pairs.iter().enumerate() {
        let source = index.recognize(pair.source, source_lang.lang);
        if source.is_empty() && pair.target.is_empty() {
            continue;
        }
        let target = index.recognize(pair.target, target_lang.lang);
        let tag = target_tag(target_lang, pair.target);
        let mut reported_missing = std::collections::HashSet::new();
        for occurrence in &source {
            let (concept, _) = index.occurrence_term(occurrence);
            let rendered: Vec<&Occurrence> = target.iter().filter(|found| found.concept_id == concept.id).collect();
            if rendered.is_empty() {
                let has_approved = concept.terms_in(LangTag { lang: tag.lang, script: None }).any(|term| term.status.is_approved());
                if has_approved && reported_missing.insert(concept.id.clone()) {
                    let expected = concept.suggestion(tag).or_else(|| concept.suggestion(LangTag { lang: tag.lang, script: None }));
                    let expected_text = expected.map(|term| term.text.clone());
                    findings.push(TermFinding {
                        check: TermCheck::Missing,
                        segment,
                        side: Side::Source,
                        start: occurrence.start,
                        end: occurrence.end,
                        concept_id: concept.id.clone(),
                        message: match &expected_text {
                            Some(expected) => format!("«{}» ({}) is not rendered in the {tag} version; expected «{expected}»", occurrence.text, concept.id),
                            None => format!("«{}» ({}) is not rendered in the {tag} version", occurrence.text, concept.id),
                        },
                        suggestion: expected_text,
                        informational: false,
                    });
                }
                continue;
            }
            for found in rendered {
                let (_, term) = index.occurrence_term(found);
                let entry = renderings.entry(concept.id.clone()).or_insert_with(|| {
                    concept_order.push(concept.id.clone());
                    Vec::new()
                });
                if !entry.iter().any(|seen| seen.3 == segment && seen.4 == found.start) {
                    entry.push((key(&term.text), found.term.clone(), term.status == TermStatus::Preferred, segment, found.start, found.end));
                }
            }
        }
        // Forbidden terms are wrong wherever they stand. A deprecated or superseded term is
        // often an ordinary word in another sense ("letter", "plata" = salary), so it is only
        // reported where the source segment names its concept.
        let source_concepts: std::collections::HashSet<&str> = source.iter().map(|occurrence| occurrence.concept_id.as_str()).collect();
        let flagged: Vec<Occurrence> =
            target.iter().filter(|found| found.status == TermStatus::Forbidden || source_concepts.contains(found.concept_id.as_str())).cloned().collect();
        findings.extend(forbidden_findings(&flagged, segment, Side::Target, document_date));
    }
    for concept_id in concept_order {
        let used = &renderings[&concept_id];
        let mut counts: Vec<(&str, &str, bool, usize)> = Vec::new();
        for (rendering_key, text, preferred, ..) in used {
            match counts.iter_mut().find(|count| count.0 == rendering_key) {
                Some(count) => count.3 += 1,
                None => counts.push((rendering_key, text, *preferred, 1)),
            }
        }
        if counts.len() < 2 {
            continue;
        }
        // The reference: the preferred rendering when used, else the most frequent (first wins ties).
        let reference = counts.iter().find(|count| count.2).or_else(|| counts.iter().rev().max_by_key(|count| count.3)).map(|count| (count.0, count.1));
        let Some((reference_key, reference_text)) = reference else { continue };
        let reference_segments: Vec<String> = used.iter().filter(|seen| seen.0 == reference_key).map(|seen| (seen.3 + 1).to_string()).collect();
        for (rendering_key, text, _, segment, start, end) in used {
            if rendering_key == reference_key {
                continue;
            }
            findings.push(TermFinding {
                check: TermCheck::Inconsistent,
                segment: *segment,
                side: Side::Target,
                start: *start,
                end: *end,
                concept_id: concept_id.clone(),
                message: format!("{concept_id} is rendered «{text}» here but «{reference_text}» in segment {}", reference_segments.join(", ")),
                suggestion: Some(reference_text.to_string()),
                informational: false,
            });
        }
    }
    findings.sort_by_key(|finding| (finding.segment, finding.check, finding.start));
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> TermIndex {
        let rows: &[(&str, &str, &str, TermStatus)] = &[
            ("municipality", "sq", "komunë", TermStatus::Preferred),
            ("municipality", "sr-Latn", "opština", TermStatus::Preferred),
            ("municipality", "sr-Latn", "općina", TermStatus::Deprecated),
            ("mayor", "sq", "Kryetari i Komunës", TermStatus::Preferred),
            ("mayor", "sr-Latn", "predsednik opštine", TermStatus::Preferred),
            ("mayor", "sr-Latn", "gradonačelnik", TermStatus::Admitted),
            ("olc", "sq", "Zyra e Komisionerit për Gjuhët", TermStatus::Preferred),
            ("olc", "sr-Latn", "Kancelarija poverenika za jezike", TermStatus::Preferred),
            ("olc", "sr-Latn", "Kancelarija povjerenika za jezike", TermStatus::Deprecated),
        ];
        crate::termbase::test_index(rows)
    }

    /// Each finding as "segment:check:side:marked text=suggestion".
    fn check(pairs: &[(&str, &str)], target_lang: LangTag, expected: &[&str]) {
        let pairs: Vec<SegmentPair<'_>> = pairs.iter().map(|(source, target)| SegmentPair { source, target }).collect();
        let found: Vec<String> = check_document(&index(), LangTag::SQ, target_lang, &pairs)
            .iter()
            .map(|finding| {
                let segment = match finding.side {
                    Side::Source => pairs[finding.segment].source,
                    Side::Target => pairs[finding.segment].target,
                };
                format!(
                    "{}:{}:{:?}:{}={}",
                    finding.segment,
                    finding.check.id(),
                    finding.side,
                    &segment[finding.start..finding.end],
                    finding.suggestion.as_deref().unwrap_or("-")
                )
            })
            .collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn missing() {
        check(&[("Kryetari i Komunës nënshkruan.", "Potpisuje predsednik opštine.")], LangTag::SR_LATN, &[]);
        check(&[("Kryetari i Komunës nënshkruan.", "Potpisuje gradonačelnik.")], LangTag::SR_LATN, &[]);
        check(&[("Kryetari i Komunës nënshkruan.", "Potpisuje načelnik.")], LangTag::SR_LATN, &["0:term-missing:Source:Kryetari i Komunës=predsednik opštine"]);
        check(&[("Kryetari i Komunës nënshkruan.", "Потписује начелник.")], LangTag::SR, &["0:term-missing:Source:Kryetari i Komunës=председник општине"]);
        check(&[("Kryetari i Komunës nënshkruan.", "Mayor signs.")], LangTag::EN, &[]);
    }

    #[test]
    fn forbidden() {
        check(
            &[("Zyra e Komisionerit për Gjuhët", "Kancelarija povjerenika za jezike")],
            LangTag::SR_LATN,
            &["0:term-forbidden:Target:Kancelarija povjerenika za jezike=Kancelarija poverenika za jezike"],
        );
        check(&[("në komunë", "u općini")], LangTag::SR_LATN, &["0:term-forbidden:Target:općini=opština"]);
        check(&[("Kryetari i Komunës", "predsednik opštine, ne općine")], LangTag::SR_LATN, &[]);
    }

    #[test]
    fn inconsistent() {
        check(
            &[
                ("Kryetari i Komunës", "gradonačelnik"),
                ("Kryetari i Komunës", "predsednik opštine"),
                ("Kryetari i Komunës", "gradonačelnika"),
                ("Kryetari i Komunës", "председник општине"),
            ],
            LangTag::SR,
            &["0:term-inconsistent:Target:gradonačelnik=predsednik opštine", "2:term-inconsistent:Target:gradonačelnika=predsednik opštine"],
        );
        check(&[("komunë", "opština"), ("komuna", "opštini"), ("komunës", "општине")], LangTag::SR, &[]);
    }

    #[test]
    fn check_ids() {
        assert_eq!([TermCheck::Missing.id(), TermCheck::Forbidden.id(), TermCheck::Inconsistent.id()], ["term-missing", "term-forbidden", "term-inconsistent"]);
    }
}
