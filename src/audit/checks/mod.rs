//! The checks, one file each, and their registry.
//!
//! A check is a unit struct behind the [`Check`] trait: a stable kebab-case id (DESIGN.md's
//! list; never reused), a default severity, a category, a [`Scope`], a one-line summary in
//! English, Albanian and Serbian, its documentation (what it finds, why it matters, the legal
//! basis, a bad and a good example) and what it runs on:
//! - [`Scope::Versions`]: `run` reads the [`AuditContext`] (several language versions of one
//!   document) and pushes findings;
//! - [`Scope::Text`]: `detect` judges one text in one language ([`TextRefs`] for reference
//!   data) and returns [`Issue`]s by byte range; the audit runs it too, segment by segment,
//!   so the audit and `/v2/check` ([`crate::proofread`]) judge one word alike;
//! - [`Scope::Sign`]: the sign checker ([`crate::places::Places::check_sign`]) reports under
//!   the check's id and severity.
//!
//! [`REGISTRY`] lists them in report order; the audit, the proofreader, the sign checker,
//! SARIF rules, LanguageTool rule ids, `--list-checks` ([`list`]), the HTML report's
//! explanations and the configuration's check ids all derive from it.
//!
//! Every check's docs carry a **Bad** and a **Good** example, run as tests: an example is the
//! paragraph's code spans (`` `…` ``), each in the language of the tag written before it
//! (`sq:`, `sr-Cyrl:`; a tag holds until the next one; a sign needs none), the rest being
//! commentary. A single-text check judges each span on its own, a sign check each span as a
//! sign; for a check that compares versions, the spans of one tag are the lines of that
//! version, and the Good example gives only the versions that differ from the Bad one. The
//! Bad example must give at least one finding of its check, the Good one none.
//!
//! Tests mark what they expect in the input itself: `⟦…⟧` around the excerpt a finding must
//! point at, `⟦⟧` at the place where something is missing (see [`tests::expect`]).

use std::ops::Range;

use serde::Serialize;

use super::context::AuditContext;
use super::known_words::KnownWords;
use super::vocabulary::Vocabulary;
use crate::lexicon::Lexicon;
use crate::model::lang::LangTag;
use crate::model::{Category, Finding, Severity};
use crate::places::Places;
use crate::termbase::TermIndex;

pub mod capitalization;
pub mod custom_rule;
pub mod end_punctuation;
pub mod inconsistent_translation;
pub mod length_limit;
pub mod length_ratio;
pub mod missing_diacritics;
pub mod missing_segment;
pub mod missing_version;
pub mod mixed_script;
pub mod mojibake;
pub mod number_mismatch;
pub mod place_name;
pub mod placeholder_mismatch;
pub mod repeated_word;
pub mod sign_missing_language;
pub mod sign_order;
pub mod sign_script;
pub mod spelling;
pub mod term_forbidden;
pub mod term_inconsistent;
pub mod term_missing;
pub mod unpaired_brackets;
pub mod untranslated;
pub mod url_mismatch;
pub mod whitespace;
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

/// What a check judges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// The language versions of one document, side by side (a missing version, text left
    /// untranslated, numbers that differ).
    Versions,
    /// One text in one language: the check has a single-text detector ([`Check::detect`]).
    Text,
    /// A place-name sign: one name in several languages and scripts.
    Sign,
}

impl Scope {
    /// The name `--list-checks` uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Versions => "versions",
            Scope::Text => "text",
            Scope::Sign => "sign",
        }
    }
}

/// The reference data a single-text detector reads: the official place names, the term
/// base (if any), the word list for diacritics, the Hunspell dictionaries and the term
/// base's words.
#[derive(Clone, Copy)]
pub struct TextRefs<'a> {
    /// The gazetteer's place names.
    pub places: &'a Places,
    /// The term base, when there is one.
    pub terms: Option<&'a TermIndex>,
    /// Words spelled with diacritics (seeded, the gazetteer, the term base).
    pub vocabulary: &'a Vocabulary,
    /// The Hunspell dictionaries (each off when it is not installed).
    pub lexicon: &'a Lexicon,
    /// The term base's words, which a dictionary may not know (the gazetteer's are
    /// [`KnownWords::gazetteer`]).
    pub known: Option<&'a KnownWords>,
}

/// One problem a single-text detector finds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    /// The check id.
    pub check: &'static str,
    /// Byte offset of the first character of the problem (a char boundary).
    pub start: usize,
    /// Byte offset just past it (a char boundary).
    pub end: usize,
    /// What is wrong, in a sentence.
    pub message: String,
    /// What is wrong, in a few words.
    pub short_message: String,
    /// Texts to put in place of `start..end`, best first; may be empty.
    pub replacements: Vec<String>,
}

impl Issue {
    /// An issue of `check` at `range`, with at most one replacement.
    pub fn new(check: &'static str, range: Range<usize>, message: String, short_message: &str, replacement: Option<String>) -> Issue {
        Issue { check, start: range.start, end: range.end, message, short_message: short_message.to_string(), replacements: replacement.into_iter().collect() }
    }

    /// The byte range in the text.
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// What a check is, in the terms every front end lists it by.
#[derive(Debug, Clone, Copy)]
pub struct About {
    /// The stable id (kebab-case).
    pub id: &'static str,
    /// The default severity of its findings.
    pub severity: Severity,
    /// What it protects.
    pub category: Category,
    /// What it judges.
    pub scope: Scope,
}

/// One audit check.
pub trait Check: Sync {
    /// Its id, default severity, category and scope.
    fn about(&self) -> About;
    /// The stable id (kebab-case).
    fn id(&self) -> &'static str {
        self.about().id
    }
    /// The default severity of its findings.
    fn severity(&self) -> Severity {
        self.about().severity
    }
    /// What it protects.
    fn category(&self) -> Category {
        self.about().category
    }
    /// What it judges.
    fn scope(&self) -> Scope {
        self.about().scope
    }
    /// The version of its logic, raised whenever what it finds on the same text changes, so a
    /// finding can be cited with the check that made it and reproduced.
    fn version(&self) -> u32 {
        1
    }
    /// The ITS 2.0 localization quality issue type of its findings (what LanguageTool
    /// clients call `issueType`).
    fn issue_type(&self) -> &'static str {
        "uncategorized"
    }
    /// One line saying what it finds, for people.
    fn summary(&self) -> Localized;
    /// Its documentation: what it finds, why, the legal basis, a bad and a good example.
    fn docs(&self) -> &'static str;
    /// Reads the context and appends findings (id and severity are filled in by the runner).
    /// Sign checks find nothing in documents.
    fn run(&self, ctx: &AuditContext<'_>, out: &mut Vec<Finding>) {
        let _ = (ctx, out);
    }
    /// For [`Scope::Text`]: the problems in `text`, written in `lang` (a Serbian tag carries
    /// its script), in any order. Other scopes find nothing here.
    fn detect(&self, text: &str, lang: LangTag, refs: &TextRefs<'_>) -> Vec<Issue> {
        let _ = (text, lang, refs);
        Vec::new()
    }
    /// Why the check finds less than it could on texts in `langs` with the dictionaries of
    /// `lexicon` (one it needs is not installed), for the report, `--list-checks` and the
    /// log; `None` when nothing it needs is missing.
    fn note(&self, lexicon: &Lexicon, langs: &[LangTag]) -> Option<String> {
        let _ = (lexicon, langs);
        None
    }
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
    &placeholder_mismatch::PlaceholderMismatch,
    &url_mismatch::UrlMismatch,
    &end_punctuation::EndPunctuation,
    &whitespace::Whitespace,
    &unpaired_brackets::UnpairedBrackets,
    &repeated_word::RepeatedWord,
    &spelling::Spelling,
    &capitalization::Capitalization,
    &inconsistent_translation::InconsistentTranslation,
    &length_limit::LengthLimit,
    &custom_rule::CustomRule,
    &sign_missing_language::SignMissingLanguage,
    &sign_script::SignScript,
    &sign_order::SignOrder,
];

/// The audit's run of a single-text check: its detector on each segment's prose (damaged
/// segments are the mojibake check's), each issue a finding with the first replacement as
/// the suggestion.
pub(crate) fn run_on_segments(check: &dyn Check, ctx: &AuditContext<'_>, out: &mut Vec<Finding>) {
    let refs = ctx.text_refs();
    for (version, view) in ctx.versions.iter().enumerate() {
        for (segment_idx, segment) in view.segments.iter().enumerate().filter(|(_, segment)| !segment.damaged) {
            for issue in check.detect(&segment.prose, view.tag, &refs) {
                out.push(ctx.finding(version, segment_idx, Some((issue.start, issue.end)), issue.message, issue.replacements.into_iter().next()));
            }
        }
    }
}

/// The segments of an aligned row that the checks comparing versions read: (version,
/// segment) for each version that has one there, readable (no encoding damage; that is the
/// mojibake check's) and in its version's language (text in another language is the
/// language checks').
pub(crate) fn row_members(ctx: &AuditContext<'_>, row: &[Option<usize>]) -> Vec<(usize, usize)> {
    row.iter()
        .enumerate()
        .filter_map(|(version, cell)| cell.map(|segment| (version, segment)))
        .filter(|&(version, segment)| {
            let seg = &ctx.versions[version].segments[segment];
            !seg.damaged && seg.foreign.is_none()
        })
        .collect()
}

/// Of the members' values (one per member), the index of the one the others are judged
/// against: a value at least two members share; else the original's
/// ([`AuditContext::original`]: the configured source, the source side of a bilingual file,
/// else Albanian); else the first. So with three versions the one that disagrees is blamed,
/// and with two the translation (number-mismatch's rule).
pub(crate) fn reference_member<T: PartialEq>(ctx: &AuditContext<'_>, members: &[(usize, usize)], values: &[T]) -> usize {
    (0..values.len()).find(|&i| values.iter().filter(|value| **value == values[i]).count() >= 2).unwrap_or_else(|| {
        let original = ctx.original();
        members.iter().position(|&(v, _)| v == original).unwrap_or(0)
    })
}

/// A token that versions must carry alike (a placeholder, a link): its comparison key, and
/// where it is written in the segment's text (byte range).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// What is compared (equal keys are the same token).
    pub key: String,
    /// Byte offset of its first character.
    pub start: usize,
    /// Byte offset just past it.
    pub end: usize,
}

/// Compares, row by row, the tokens `extract(version, segment)` finds in each member as multisets, and
/// reports each version that differs from the reference ([`reference_member`]) with what it
/// has and lacks; `what` names the tokens in the message.
pub(crate) fn compare_tokens(ctx: &AuditContext<'_>, out: &mut Vec<Finding>, what: &str, extract: impl Fn(usize, usize) -> Vec<Token>) {
    use std::collections::BTreeMap;
    for row in &ctx.rows {
        let members = row_members(ctx, row);
        if members.len() < 2 {
            continue;
        }
        let found: Vec<Vec<Token>> = members.iter().map(|&(v, s)| extract(v, s)).collect();
        let sets: Vec<BTreeMap<&str, usize>> = found
            .iter()
            .map(|tokens| {
                let mut counts = BTreeMap::new();
                for token in tokens {
                    *counts.entry(token.key.as_str()).or_insert(0) += 1;
                }
                counts
            })
            .collect();
        if sets.iter().all(|set| *set == sets[0]) {
            continue;
        }
        let reference = reference_member(ctx, &members, &sets);
        let excess = |a: &BTreeMap<&str, usize>, b: &BTreeMap<&str, usize>| -> Vec<String> {
            a.iter().flat_map(|(key, count)| std::iter::repeat_n(key.to_string(), count.saturating_sub(b.get(key).copied().unwrap_or(0)))).collect()
        };
        let shown =
            |tokens: &[Token], text: &str, key: &str| tokens.iter().find(|t| t.key == key).map_or(key.to_string(), |t| text[t.start..t.end].to_string());
        let (ref_version, ref_segment) = members[reference];
        let ref_text = &ctx.versions[ref_version].segments[ref_segment].text;
        for (idx, &(version, segment)) in members.iter().enumerate() {
            if sets[idx] == sets[reference] {
                continue;
            }
            let text = &ctx.versions[version].segments[segment].text;
            let extra = excess(&sets[idx], &sets[reference]);
            let lacking = excess(&sets[reference], &sets[idx]);
            let mut parts = Vec::new();
            if !extra.is_empty() {
                parts.push(format!("has {}", extra.iter().map(|k| shown(&found[idx], text, k)).collect::<Vec<_>>().join(", ")));
            }
            if !lacking.is_empty() {
                parts.push(format!("lacks {}", lacking.iter().map(|k| shown(&found[reference], ref_text, k)).collect::<Vec<_>>().join(", ")));
            }
            let span = extra.first().and_then(|key| found[idx].iter().find(|t| &t.key == key)).map(|t| (t.start, t.end));
            let reference_lang = ctx.versions[ref_version].lang().code();
            out.push(ctx.finding(
                version,
                segment,
                span,
                format!("the {what} differ from the {reference_lang} version: this version {}", parts.join(" and ")),
                None,
            ));
        }
    }
}

/// [`run_on_segments`] for detectors whose replacement is a small edit (a space removed, a
/// word dropped): the suggestion is the whole segment with that edit made.
pub(crate) fn run_on_segments_fixed(check: &dyn Check, ctx: &AuditContext<'_>, out: &mut Vec<Finding>) {
    let refs = ctx.text_refs();
    for (version, view) in ctx.versions.iter().enumerate() {
        for (segment_idx, segment) in view.segments.iter().enumerate().filter(|(_, segment)| !segment.damaged) {
            for issue in check.detect(&segment.text, view.tag, &refs) {
                let suggestion = issue.replacements.first().map(|fix| format!("{}{fix}{}", &segment.text[..issue.start], &segment.text[issue.end..]));
                out.push(ctx.finding(version, segment_idx, Some((issue.start, issue.end)), issue.message, suggestion));
            }
        }
    }
}

/// The check with id `id`.
pub fn by_id(id: &str) -> Option<&'static dyn Check> {
    REGISTRY.iter().copied().find(|check| check.id() == id)
}

/// The checks of one scope, in registry order.
pub fn of_scope(scope: Scope) -> impl Iterator<Item = &'static dyn Check> {
    REGISTRY.iter().copied().filter(move |check| check.scope() == scope)
}

/// One check as `--list-checks` and other listings show it.
#[derive(Debug, Clone, Serialize)]
pub struct CheckInfo {
    /// The stable id.
    pub id: &'static str,
    /// The default severity (`error`, `warning`, `info`).
    pub severity: &'static str,
    /// The category.
    pub category: &'static str,
    /// What it judges (`versions`, `text`, `sign`).
    pub scope: &'static str,
    /// One line in English.
    pub summary: &'static str,
    /// The documentation.
    pub docs: &'static str,
}

/// Every check, in registry order, as listings show them.
///
/// ```
/// let checks = termbridge::audit::checks::list();
/// assert_eq!(checks[0].id, "missing-version");
/// assert!(checks.iter().any(|check| check.scope == "sign"));
/// ```
pub fn list() -> Vec<CheckInfo> {
    REGISTRY
        .iter()
        .map(|check| CheckInfo {
            id: check.id(),
            severity: check.severity().as_str(),
            category: check.category().as_str(),
            scope: check.scope().as_str(),
            summary: check.summary().en,
            docs: check.docs(),
        })
        .collect()
}

/// One example of a check's docs, `label` being `Bad` or `Good`: (language tag, text) per code
/// span, in order (see the module docs for the convention); the tag is empty before the first
/// one, and an unclosed span ends the example.
///
/// ```
/// use termbridge::audit::checks::{by_id, example};
/// let docs = by_id("mixed-script").unwrap().docs();
/// let bad = example(docs, "Bad");
/// assert_eq!(bad[0].0, "sr-Latn");
/// ```
pub fn example(docs: &str, label: &str) -> Vec<(String, String)> {
    let marker = format!("**{label}**");
    let Some(at) = docs.find(&marker) else { return Vec::new() };
    let paragraph = &docs[at + marker.len()..];
    let mut rest = &paragraph[..paragraph.find("\n\n").unwrap_or(paragraph.len())];
    let mut tag: Option<&str> = None;
    let mut spans = Vec::new();
    while let Some(open) = rest.find('`') {
        if let Some(word) = rest[..open].split_whitespace().last().and_then(|word| word.strip_suffix(':')).filter(|word| LangTag::parse(word).is_ok()) {
            tag = Some(word);
        }
        let after = &rest[open + 1..];
        let Some(close) = after.find('`') else { break };
        spans.push((tag.unwrap_or_default().to_string(), after[..close].to_string()));
        rest = &after[close + 1..];
    }
    spans
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::audit::{AuditConfig, Report, Resources, Version, audit};
    use crate::formats::document::{Document, DocumentFormat, parse_text};
    use crate::model::lang::LangTag;

    /// Resources for check tests: a few municipalities and house terms.
    pub(crate) fn resources() -> Resources {
        Resources { places: crate::audit::places::tests::sample(), terms: crate::audit::terms::tests::sample(), ..Resources::default() }
    }

    /// Audits plain-text versions given as (tag, text) pairs, markers removed.
    pub(crate) fn run(versions: &[(&str, &str)], config: &AuditConfig) -> Report {
        run_in(versions, config, &resources())
    }

    /// [`run`] with other resources.
    pub(crate) fn run_in(versions: &[(&str, &str)], config: &AuditConfig, resources: &Resources) -> Report {
        let versions: Vec<Version> = versions
            .iter()
            .map(|(tag, text)| {
                let clean = text.replace(['⟦', '⟧'], "");
                Version {
                    tag: LangTag::parse(tag).expect("test tag"),
                    document: Document::new(format!("test.{tag}.txt"), DocumentFormat::Text, parse_text(&clean)),
                }
            })
            .collect();
        audit(&versions, None, config, resources).expect("audit runs")
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

    /// An audit configuration whose dictionaries hold only the given words, per dictionary file
    /// stem (`en_US`, `sq_AL`, `sr_Latn_RS`, `sr_RS`): language checks judged on words the test
    /// names, whatever the machine's dictionaries say. The folder is kept for the process.
    pub(crate) fn with_dictionaries(dictionaries: &[(&str, &[&str])]) -> AuditConfig {
        let dir = tempfile::tempdir().expect("a temporary folder").keep();
        for (stem, words) in dictionaries {
            std::fs::write(dir.join(format!("{stem}.aff")), "SET UTF-8\n").expect("the affix file");
            std::fs::write(dir.join(format!("{stem}.dic")), format!("{}\n{}\n", words.len(), words.join("\n"))).expect("the word list");
        }
        AuditConfig { dict_dir: Some(dir), ..AuditConfig::default() }
    }

    /// The spans of `text` (written in `lang`) that a single-text check reports, with the
    /// shipped gazetteer and the seeded word list as its reference data.
    pub(crate) fn detected(check: &dyn Check, text: &str, lang: &str) -> Vec<String> {
        let places = crate::places::Places::shipped();
        let vocabulary = crate::audit::vocabulary::Vocabulary::seeded();
        let refs = TextRefs { places, terms: None, vocabulary: &vocabulary, lexicon: Lexicon::system(), known: None };
        check.detect(text, LangTag::parse(lang).expect("a known tag"), &refs).into_iter().map(|issue| text[issue.range()].to_string()).collect()
    }

    /// Asserts that check `id` finds exactly what the markers say, and nothing else.
    pub(crate) fn expect(id: &str, versions: &[(&str, &str)]) {
        expect_with(id, versions, &AuditConfig::default());
    }

    /// [`expect`] under a configuration.
    pub(crate) fn expect_with(id: &str, versions: &[(&str, &str)], config: &AuditConfig) {
        expect_in(id, versions, config, &resources());
    }

    /// [`expect`] under a configuration, with other resources.
    pub(crate) fn expect_in(id: &str, versions: &[(&str, &str)], config: &AuditConfig, resources: &Resources) {
        let report = run_in(versions, config, resources);
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

    /// The versions of a multi-version example: the spans of one tag joined as lines, tags in
    /// order of first appearance.
    fn versions_of(spans: &[(String, String)]) -> Vec<(String, String)> {
        let mut versions: Vec<(String, String)> = Vec::new();
        for (tag, text) in spans {
            match versions.iter_mut().find(|(known, _)| known == tag) {
                Some((_, lines)) => {
                    lines.push('\n');
                    lines.push_str(text);
                }
                None => versions.push((tag.clone(), text.clone())),
            }
        }
        versions
    }

    /// How many findings of `check` an example gives; `base` is the Bad example a Good one
    /// of a multi-version check amends.
    fn findings_of(check: &dyn Check, spans: &[(String, String)], base: &[(String, String)]) -> Vec<usize> {
        match check.scope() {
            // Single-text checks run on their examples through the proofreader, one layer up
            // (`proofread::tests`), as `/v2/check` runs them.
            Scope::Text => Vec::new(),
            Scope::Sign => spans
                .iter()
                .map(|(_, sign)| {
                    let report = Places::shipped().check_sign(sign, &crate::audit::SignOptions::default()).expect("sign checked");
                    report.findings.iter().filter(|finding| finding.check == check.id()).count()
                })
                .collect(),
            Scope::Versions => {
                let mut versions = versions_of(base);
                for (tag, text) in versions_of(spans) {
                    match versions.iter_mut().find(|(known, _)| *known == tag) {
                        Some(version) => version.1 = text,
                        None => versions.push((tag, text)),
                    }
                }
                let pairs: Vec<(&str, &str)> = versions.iter().map(|(tag, text)| (tag.as_str(), text.as_str())).collect();
                let report = run(&pairs, &example_config(check.id()));
                vec![report.findings.iter().filter(|finding| finding.check == check.id()).count()]
            }
        }
    }

    /// The configuration a check's examples assume (its docs say which).
    fn example_config(id: &str) -> AuditConfig {
        let toml = match id {
            "length-limit" => "[length_limit]\nchars = 40\n",
            "custom-rule" => "[[custom_rules]]\nlang = \"sr\"\npattern = '(?i)\\bšifr\\w*'\nmessage = \"write lozinka\"\n",
            _ => "",
        };
        AuditConfig::parse(toml, std::path::Path::new("example.toml")).expect("example configuration")
    }

    #[test]
    fn every_check_finds_its_bad_example_and_not_its_good_one() {
        let mut wrong = Vec::new();
        for check in REGISTRY {
            let id = check.id();
            let (bad, good) = (example(check.docs(), "Bad"), example(check.docs(), "Good"));
            assert!(!bad.is_empty() && !good.is_empty(), "{id}: the Bad and Good examples are code spans");
            // A sign carries its languages; every other example says its language.
            let tagged = check.scope() == Scope::Sign || bad.iter().chain(&good).all(|(tag, _)| !tag.is_empty());
            assert!(tagged, "{id}: every example has its language tag");
            for (idx, count) in findings_of(*check, &bad, &[]).into_iter().enumerate() {
                // length-ratio judges a segment against the document's usual ratio, which a
                // two-line example does not establish; its unit tests hold longer documents.
                if count == 0 && id != "length-ratio" {
                    wrong.push(format!("{id} finds nothing in its Bad example {idx}: {bad:?}"));
                }
            }
            for (idx, count) in findings_of(*check, &good, &bad).into_iter().enumerate() {
                if count > 0 {
                    wrong.push(format!("{id} finds {count} in its Good example {idx}: {good:?}"));
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn examples_are_read_with_their_tags() {
        let docs = "**Bad** sq: `Një` and `Dy`, sr-Cyrl: `Три`\n\n**Good** sr: `Jedan`";
        let spans = |pairs: &[(&str, &str)]| pairs.iter().map(|(tag, text)| (tag.to_string(), text.to_string())).collect::<Vec<_>>();
        assert_eq!(example(docs, "Bad"), spans(&[("sq", "Një"), ("sq", "Dy"), ("sr-Cyrl", "Три")]));
        assert_eq!(example(docs, "Good"), spans(&[("sr", "Jedan")]));
        assert_eq!(versions_of(&example(docs, "Bad")), spans(&[("sq", "Një\nDy"), ("sr-Cyrl", "Три")]));
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
                "length-ratio",
                "placeholder-mismatch",
                "url-mismatch",
                "end-punctuation",
                "whitespace",
                "unpaired-brackets",
                "repeated-word",
                "spelling",
                "capitalization",
                "inconsistent-translation",
                "length-limit",
                "custom-rule",
                "sign-missing-language",
                "sign-script",
                "sign-order"
            ]
        );
        // Exactly the single-text checks have a detector.
        let text_checks: Vec<&str> = of_scope(Scope::Text).map(|check| check.id()).collect();
        assert_eq!(
            text_checks,
            [
                "wrong-script",
                "mixed-script",
                "missing-diacritics",
                "mojibake",
                "place-name",
                "term-forbidden",
                "whitespace",
                "unpaired-brackets",
                "repeated-word",
                "spelling"
            ]
        );
    }
}
