//! The LanguageTool HTTP API v2, as LibreOffice's LanguageTool client and editor plug-ins
//! (LTeX, the Obsidian and browser plug-ins) call it.
//!
//! `POST /v2/check` (or `GET` with the same parameters in the query string, as LanguageTool
//! accepts) with form fields:
//! - `text`, or `data`: a JSON annotation `{"annotation": [{"text": "…"}, {"markup": "<b>"},
//!   {"markup": "<br/>", "interpretAs": "\n"}]}`. Markup is not checked (an `interpretAs`
//!   stands in for it) but counts in the offsets, which point into the text with markup, as
//!   LanguageTool's do.
//! - `language`: `sq`, `sr`, `sr-Latn`, `sr-Cyrl`, `en`, `tr`, `bs` in any spelling
//!   [`LangTag::parse`] reads (LibreOffice sends `sq-AL`, `sr-Latn-RS`), or `auto`, which
//!   identifies the language with [`crate::text::langid`]. Anything else is 400 with
//!   LanguageTool's plain-text message, which clients show or match on.
//! - `enabledRules`, `disabledRules`, `enabledCategories`, `disabledCategories` (comma
//!   separated; rule ids as answered, e.g. `PLACE_NAME`, or the check ids, e.g. `place-name`)
//!   and `enabledOnly=true`. `motherTongue`, `level`, `preferredVariants`, `username` and
//!   `apiKey` are accepted and have no effect.
//!
//! The answer is LanguageTool's JSON: `software`, `warnings`, `language` (with
//! `detectedLanguage`) and `matches`, each with `message`, `shortMessage`, `replacements`
//! (`[{"value"}]`), `offset` and `length` **in UTF-16 code units** (what Java, JavaScript and
//! LibreOffice count), `context` (`text`, `offset`, `length`: up to 40 code units either side,
//! "..." where cut), `sentence`, `type.typeName` and `rule` (`id`, `description`, `issueType`,
//! `category.id`, `category.name`). The rules ([`rules`]) are the audit registry's
//! single-text checks, which [`crate::proofread`] runs; ids, descriptions, issue types and
//! categories all derive from the registry. Orthography
//! rules (encoding damage, missing diacritics) use LanguageTool's `TYPOS` category, which
//! LibreOffice underlines in red; the others underline in its default colour.
//!
//! `GET /v2/languages` lists `[{"name", "code", "longCode"}]`.
//!
//! Texts longer than [`MAX_TEXT_CHARS`] characters are refused with 413, as LanguageTool
//! refuses texts over its limit.

use std::sync::{Arc, Mutex};

use axum::Json;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::api::error::WireFormat;
use crate::api::{ApiError, AppState, blocking};
use crate::audit::checks::{Check, Scope, by_id, of_scope};
use crate::model::Category;
use crate::model::lang::{Lang, LangTag, SrScript};
use crate::proofread::{Issue, Proofreader};
use crate::termbase::TermIndex;
use crate::text::langid::{self, LangGuess};
use crate::text::segment::sentences;

/// Longest text checked, in characters.
pub const MAX_TEXT_CHARS: usize = 200_000;

/// Characters of context either side of a match, in UTF-16 code units (LanguageTool's).
const CONTEXT_UNITS: usize = 40;

/// The languages `/v2/check` takes, as `/v2/languages` lists them.
const LANGUAGES: [LangTag; 7] = [LangTag::SQ, LangTag::SR, LangTag::SR_LATN, LangTag::SR_CYRL, LangTag::EN, LangTag::TR, LangTag::BS];

/// Why the `data` parameter (annotated text) cannot be read; messages in LanguageTool's words.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// The parameter is not JSON of the annotation shape.
    #[error("invalid 'data' parameter: {0}")]
    Json(serde_json::Error),
    /// An annotation item has both or neither of `text` and `markup`.
    #[error("invalid 'data' parameter: annotation item {index} must have either 'text' or 'markup'")]
    Item {
        /// 0-based position of the item.
        index: usize,
    },
}

/// A request LanguageTool would refuse, answered as it does: a status and a plain-text body
/// starting with "Error: ".
#[derive(Debug)]
pub struct WireError {
    status: StatusCode,
    message: String,
}

impl WireError {
    fn bad_request(message: impl Into<String>) -> WireError {
        WireError { status: StatusCode::BAD_REQUEST, message: message.into() }
    }
}

impl IntoResponse for WireError {
    fn into_response(self) -> Response {
        let body = format!("Error: {}", self.message);
        let mut response = (self.status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response();
        response.extensions_mut().insert(WireFormat);
        response
    }
}

/// Either a LanguageTool-style refusal or one of the service's own errors (auth, 5xx).
pub enum CheckError {
    /// Refused as LanguageTool refuses.
    Wire(WireError),
    /// The service's own error.
    Api(ApiError),
}

impl From<ApiError> for CheckError {
    fn from(err: ApiError) -> CheckError {
        CheckError::Api(err)
    }
}

impl From<WireError> for CheckError {
    fn from(err: WireError) -> CheckError {
        CheckError::Wire(err)
    }
}

impl IntoResponse for CheckError {
    fn into_response(self) -> Response {
        match self {
            CheckError::Wire(err) => err.into_response(),
            CheckError::Api(err) => err.into_response(),
        }
    }
}

/// A text to check: what the checks read (`checked`), the text as sent with its markup
/// (`original`), and where each piece of the one is in the other.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AnnotatedText {
    /// The text the checks read: text parts, and `interpretAs` for markup.
    pub checked: String,
    /// The text as sent, markup included: what offsets point into.
    pub original: String,
    /// (byte range in `checked`, byte range in `original`, is markup).
    pieces: Vec<(std::ops::Range<usize>, std::ops::Range<usize>, bool)>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AnnotationPart {
    text: Option<String>,
    markup: Option<String>,
    #[serde(rename = "interpretAs")]
    interpret_as: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Annotation {
    annotation: Vec<AnnotationPart>,
}

impl AnnotatedText {
    /// Plain text: checked as it is.
    pub fn plain(text: &str) -> AnnotatedText {
        AnnotatedText { checked: text.to_string(), original: text.to_string(), pieces: vec![(0..text.len(), 0..text.len(), false)] }
    }

    /// Reads LanguageTool's `data` parameter.
    ///
    /// ```
    /// use termbridge::api::compat::languagetool::AnnotatedText;
    /// let text = AnnotatedText::from_data(r#"{"annotation": [{"text": "A "}, {"markup": "<b>"}, {"text": "test"}, {"markup": "</b>"}]}"#).unwrap();
    /// assert_eq!(text.checked, "A test");
    /// assert_eq!(text.original, "A <b>test</b>");
    /// assert_eq!(text.original_range(2..6), 5..9);
    /// ```
    pub fn from_data(data: &str) -> Result<AnnotatedText, DataError> {
        let annotation: Annotation = serde_json::from_str(data).map_err(DataError::Json)?;
        let mut out = AnnotatedText::default();
        for (idx, part) in annotation.annotation.into_iter().enumerate() {
            match (part.text, part.markup) {
                (Some(text), None) => {
                    let checked = out.checked.len()..out.checked.len() + text.len();
                    let original = out.original.len()..out.original.len() + text.len();
                    out.checked.push_str(&text);
                    out.original.push_str(&text);
                    out.pieces.push((checked, original, false));
                }
                (None, Some(markup)) => {
                    let interpreted = part.interpret_as.unwrap_or_default();
                    let checked = out.checked.len()..out.checked.len() + interpreted.len();
                    let original = out.original.len()..out.original.len() + markup.len();
                    out.checked.push_str(&interpreted);
                    out.original.push_str(&markup);
                    out.pieces.push((checked, original, true));
                }
                _ => return Err(DataError::Item { index: idx }),
            }
        }
        Ok(out)
    }

    /// The byte range in `original` of a byte range of `checked` (both on char boundaries).
    /// A range that starts or ends inside an `interpretAs` covers the whole markup.
    pub fn original_range(&self, checked: std::ops::Range<usize>) -> std::ops::Range<usize> {
        let start = self
            .pieces
            .iter()
            .find(|(piece, _, _)| piece.start <= checked.start && checked.start < piece.end)
            .map_or(self.original.len(), |(piece, original, markup)| if *markup { original.start } else { original.start + checked.start - piece.start });
        let end = self
            .pieces
            .iter()
            .find(|(piece, _, _)| piece.start < checked.end && checked.end <= piece.end)
            .map_or(start, |(piece, original, markup)| if *markup { original.end } else { original.start + checked.end - piece.start });
        start..end.max(start)
    }
}

/// UTF-16 positions of the char boundaries of a text, for turning byte offsets into the
/// code-unit offsets LanguageTool clients count in.
#[derive(Debug)]
pub struct Utf16Index {
    /// (byte offset, UTF-16 offset) of every char boundary, the end included.
    boundaries: Vec<(usize, usize)>,
}

impl Utf16Index {
    /// Indexes `text`.
    pub fn new(text: &str) -> Utf16Index {
        let mut boundaries = Vec::with_capacity(text.len() + 1);
        let mut units = 0;
        for (byte, c) in text.char_indices() {
            boundaries.push((byte, units));
            units += c.len_utf16();
        }
        boundaries.push((text.len(), units));
        Utf16Index { boundaries }
    }

    /// The UTF-16 offset of byte offset `byte` (a char boundary; otherwise the boundary
    /// before it).
    pub fn units(&self, byte: usize) -> usize {
        match self.boundaries.binary_search_by_key(&byte, |(b, _)| *b) {
            Ok(idx) => self.boundaries[idx].1,
            Err(idx) => self.boundaries[idx.saturating_sub(1)].1,
        }
    }
}

/// The parameters of a request, query string and form body together (the body wins).
fn parameters(query: Option<&str>, body: &[u8]) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = query.map(|query| form_urlencoded::parse(query.as_bytes()).into_owned().collect()).unwrap_or_default();
    pairs.extend(form_urlencoded::parse(body).into_owned());
    pairs
}

fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().rev().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
}

/// A rule or category id as compared: upper case, `_` for `-`.
fn normalize_id(id: &str) -> String {
    id.trim().to_ascii_uppercase().replace('-', "_")
}

fn id_list(pairs: &[(String, String)], name: &str) -> Vec<String> {
    param(pairs, name).map(|list| list.split(',').map(normalize_id).filter(|id| !id.is_empty()).collect()).unwrap_or_default()
}

/// LanguageTool's rule id for an audit check id.
pub fn rule_id(check: &str) -> String {
    normalize_id(check)
}

/// LanguageTool's category (id, name) for a check's audit category.
fn category(category: Category) -> (&'static str, &'static str) {
    match category {
        Category::Orthography => ("TYPOS", "Possible Typo"),
        Category::Script => ("SCRIPT", "Script"),
        Category::PlaceNames => ("PLACE_NAMES", "Official place names"),
        Category::Terminology => ("TERMINOLOGY", "Terminology"),
        _ => ("MISC", "Miscellaneous"),
    }
}

/// One rule `/v2/check` applies, as its matches describe it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Rule {
    /// LanguageTool's rule id (`PLACE_NAME`).
    pub id: String,
    /// The audit check id (`place-name`).
    pub check: &'static str,
    /// What it finds, in a line.
    pub description: &'static str,
    /// The ITS 2.0 localization quality issue type.
    pub issue_type: &'static str,
    /// LanguageTool's category id.
    pub category_id: &'static str,
    /// LanguageTool's category name.
    pub category_name: &'static str,
}

impl Rule {
    fn of(check: &dyn Check) -> Rule {
        let (category_id, category_name) = category(check.category());
        Rule { id: rule_id(check.id()), check: check.id(), description: check.summary().en, issue_type: check.issue_type(), category_id, category_name }
    }
}

/// The rules `/v2/check` applies: the audit registry's single-text checks, in registry order.
///
/// ```
/// let rules = termbridge::api::compat::languagetool::rules();
/// assert!(rules.iter().any(|rule| rule.id == "PLACE_NAME" && rule.issue_type == "terminology"));
/// ```
pub fn rules() -> Vec<Rule> {
    of_scope(Scope::Text).map(Rule::of).collect()
}

fn language_name(tag: LangTag) -> String {
    match tag.script {
        Some(SrScript::Latn) => format!("{} (Latin)", tag.lang.english_name()),
        Some(SrScript::Cyrl) => format!("{} (Cyrillic)", tag.lang.english_name()),
        None => tag.lang.english_name().to_string(),
    }
}

fn guess_tag(guess: &LangGuess) -> LangTag {
    LangTag { lang: guess.lang, script: if guess.lang == Lang::Sr { guess.script } else { None } }
}

fn unknown_language(code: &str) -> WireError {
    let mut codes: Vec<String> = LANGUAGES.iter().map(ToString::to_string).collect();
    codes.push("auto".to_string());
    codes.sort();
    WireError::bad_request(format!("'{code}' is not a language code known to LanguageTool. Supported language codes are: {}.", codes.join(", ")))
}

/// The proofreader for the workspace's current term base: built once, and again only when
/// the stored concepts change (their fingerprint is checked on every request).
fn proofreader(workspace: &crate::Workspace) -> Result<Arc<Proofreader>, ApiError> {
    static CACHE: Mutex<Option<([u8; 32], Arc<Proofreader>)>> = Mutex::new(None);
    let fingerprint = workspace.store.concepts_fingerprint().map_err(ApiError::internal)?;
    // A panic while building leaves no half-built entry behind, so a poisoned lock is safe
    // to take over.
    let mut cache = CACHE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((known, proofreader)) = cache.as_ref()
        && *known == fingerprint
    {
        return Ok(proofreader.clone());
    }
    let concepts = workspace.store.concepts().map_err(ApiError::internal)?;
    let terms = if concepts.is_empty() { None } else { Some(TermIndex::build(concepts)) };
    let proofreader = Arc::new(Proofreader::new(terms));
    *cache = Some((fingerprint, proofreader.clone()));
    Ok(proofreader)
}

/// Which issues a request wants, by its rule and category lists.
struct RuleFilter {
    enabled_rules: Vec<String>,
    disabled_rules: Vec<String>,
    enabled_categories: Vec<String>,
    disabled_categories: Vec<String>,
    enabled_only: bool,
}

impl RuleFilter {
    fn from_pairs(pairs: &[(String, String)]) -> RuleFilter {
        RuleFilter {
            enabled_rules: id_list(pairs, "enabledRules"),
            disabled_rules: id_list(pairs, "disabledRules"),
            enabled_categories: id_list(pairs, "enabledCategories"),
            disabled_categories: id_list(pairs, "disabledCategories"),
            enabled_only: param(pairs, "enabledOnly").is_some_and(|value| value.trim().eq_ignore_ascii_case("true")),
        }
    }

    fn keeps(&self, rule: &str, category: &str) -> bool {
        if self.disabled_rules.iter().any(|id| id == rule) || self.disabled_categories.iter().any(|id| id == category) {
            return false;
        }
        !self.enabled_only || self.enabled_rules.iter().any(|id| id == rule) || self.enabled_categories.iter().any(|id| id == category)
    }
}

/// The context LanguageTool shows around a match: up to [`CONTEXT_UNITS`] code units either
/// side, line breaks as spaces, "..." where cut; returns (text, offset of the match in it).
fn context(original: &str, range: &std::ops::Range<usize>) -> (String, usize) {
    let mut start = range.start;
    let mut units = 0;
    for c in original[..range.start].chars().rev() {
        if units + c.len_utf16() > CONTEXT_UNITS {
            break;
        }
        units += c.len_utf16();
        start -= c.len_utf8();
    }
    let mut end = range.end;
    units = 0;
    for c in original[range.end..].chars() {
        if units + c.len_utf16() > CONTEXT_UNITS {
            break;
        }
        units += c.len_utf16();
        end += c.len_utf8();
    }
    let prefix = if start > 0 { "..." } else { "" };
    let suffix = if end < original.len() { "..." } else { "" };
    let flat = |text: &str| text.replace(['\n', '\r', '\t'], " ");
    let text = format!("{prefix}{}{suffix}", flat(&original[start..end]));
    let offset = prefix.len() + original[start..range.start].encode_utf16().count();
    (text, offset)
}

/// The sentence of `checked` that holds byte offset `at`, trimmed.
fn sentence_at(checked: &str, sentence_ranges: &[std::ops::Range<usize>], at: usize) -> String {
    match sentence_ranges.iter().find(|range| range.start <= at && at < range.end) {
        Some(range) => checked[range.clone()].trim().to_string(),
        None => {
            let line_start = checked[..at].rfind('\n').map_or(0, |idx| idx + 1);
            let line_end = checked[at..].find('\n').map_or(checked.len(), |idx| at + idx);
            checked[line_start..line_end].trim().to_string()
        }
    }
}

/// One LanguageTool match for an issue.
fn render_match(text: &AnnotatedText, index: &Utf16Index, sentence_ranges: &[std::ops::Range<usize>], issue: &Issue) -> Value {
    let range = text.original_range(issue.range());
    let offset = index.units(range.start);
    let length = index.units(range.end) - offset;
    let (context_text, context_offset) = context(&text.original, &range);
    let rule = by_id(issue.check).map(Rule::of);
    let (category_id, category_name) = rule.as_ref().map_or(("MISC", "Miscellaneous"), |rule| (rule.category_id, rule.category_name));
    let description = rule.as_ref().map_or(issue.short_message.as_str(), |rule| rule.description);
    let issue_type = rule.as_ref().map_or("uncategorized", |rule| rule.issue_type);
    let replacements: Vec<Value> = issue.replacements.iter().take(5).map(|value| json!({"value": value})).collect();
    json!({
        "message": issue.message,
        "shortMessage": issue.short_message,
        "replacements": replacements,
        "offset": offset,
        "length": length,
        "context": {"text": context_text, "offset": context_offset, "length": length},
        "sentence": sentence_at(&text.checked, sentence_ranges, issue.start),
        "type": {"typeName": "Other"},
        "rule": {
            "id": rule_id(issue.check),
            "description": description,
            "issueType": issue_type,
            "category": {"id": category_id, "name": category_name},
        },
        "ignoreForIncompleteSentence": false,
        "contextForSureMatch": 0,
    })
}

/// Checks a request's text and renders LanguageTool's answer (the synchronous part of
/// `/v2/check`).
pub fn check_request(workspace: &crate::Workspace, pairs: &[(String, String)]) -> Result<Value, CheckError> {
    let text = match (param(pairs, "text"), param(pairs, "data")) {
        (Some(text), _) => AnnotatedText::plain(text),
        (None, Some(data)) => AnnotatedText::from_data(data).map_err(|err| WireError::bad_request(err.to_string()))?,
        (None, None) => return Err(WireError::bad_request("Missing 'text' or 'data' parameter").into()),
    };
    let chars = text.checked.chars().count();
    if chars > MAX_TEXT_CHARS {
        return Err(WireError {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            message: format!("Your text exceeds the limit of {MAX_TEXT_CHARS} characters (it's {chars} characters). Please submit a shorter text."),
        }
        .into());
    }
    let Some(code) = param(pairs, "language").map(str::trim) else {
        return Err(WireError::bad_request("Missing 'language' parameter").into());
    };
    let detected = langid::identify(&text.checked);
    let lang = if code.eq_ignore_ascii_case("auto") {
        match &detected {
            Some(guess) => guess_tag(guess),
            None => param(pairs, "motherTongue").and_then(|tongue| LangTag::parse(tongue).ok()).unwrap_or(LangTag::SQ),
        }
    } else {
        LangTag::parse(code).map_err(|_| unknown_language(code))?
    };
    let (detected_tag, confidence) = match &detected {
        Some(guess) => (guess_tag(guess), guess.confidence),
        None => (lang, 0.0),
    };
    let proofreader = proofreader(workspace)?;
    let filter = RuleFilter::from_pairs(pairs);
    let index = Utf16Index::new(&text.original);
    let sentence_ranges = sentences(&text.checked);
    let matches: Vec<Value> = proofreader
        .check(&text.checked, lang)
        .iter()
        .filter(|issue| {
            let category_id = by_id(issue.check).map_or("MISC", |check| category(check.category()).0);
            filter.keeps(&rule_id(issue.check), category_id)
        })
        .map(|issue| render_match(&text, &index, &sentence_ranges, issue))
        .collect();
    Ok(json!({
        "software": {"name": "termbridge", "version": env!("CARGO_PKG_VERSION"), "buildDate": "", "apiVersion": 1, "premium": false, "status": ""},
        "warnings": {"incompleteResults": false},
        "language": {
            "name": language_name(lang),
            "code": lang.to_string(),
            "detectedLanguage": {"name": language_name(detected_tag), "code": detected_tag.to_string(), "confidence": confidence},
        },
        "matches": matches,
    }))
}

/// `POST /v2/check` (and `GET` with the parameters in the query string).
pub(super) async fn check(State(state): State<AppState>, RawQuery(query): RawQuery, body: Bytes) -> Result<Json<Value>, CheckError> {
    let pairs = parameters(query.as_deref(), &body);
    let workspace = state.workspace.clone();
    let answer = blocking(move || Ok(check_request(&workspace, &pairs))).await?;
    Ok(Json(answer?))
}

/// `GET /v2/languages`.
pub(super) async fn languages() -> Json<Value> {
    let list: Vec<Value> = LANGUAGES.iter().map(|tag| json!({"name": language_name(*tag), "code": tag.lang.code(), "longCode": tag.to_string()})).collect();
    Json(Value::Array(list))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn utf16_offsets_count_astral_characters_twice() {
        let text = "😀 Ferizaj ë";
        let index = Utf16Index::new(text);
        let at = text.find("Ferizaj").expect("in text");
        assert_eq!(index.units(at), 3);
        assert_eq!(index.units(text.len()), 12);
    }

    #[test]
    fn markup_counts_in_offsets() {
        let text =
            AnnotatedText::from_data(r#"{"annotation": [{"text": "Një "}, {"markup": "<br/>", "interpretAs": "\n"}, {"text": "test"}, {"markup": "</p>"}]}"#)
                .expect("valid data");
        assert_eq!(text.checked, "Një \ntest");
        assert_eq!(text.original, "Një <br/>test</p>");
        let test = text.checked.find("test").expect("in text");
        assert_eq!(&text.original[text.original_range(test..test + 4)], "test");
        // A range that starts in an interpretAs covers the markup.
        assert_eq!(&text.original[text.original_range(test - 1..test + 4)], "<br/>test");
        assert!(AnnotatedText::from_data(r#"{"annotation": [{"text": "a", "markup": "b"}]}"#).is_err());
        assert!(AnnotatedText::from_data("not json").is_err());
    }

    #[test]
    fn context_is_cut_at_forty_units() {
        let text = format!("{}Ferizaj{}", "a".repeat(50), "b".repeat(50));
        let start = 50;
        let (context_text, offset) = context(&text, &(start..start + 7));
        assert_eq!(context_text, format!("...{}Ferizaj{}...", "a".repeat(40), "b".repeat(40)));
        assert_eq!(offset, 43);
        let (short, offset) = context("u Ferizaju.\nDalje", &(2..10));
        assert_eq!((short.as_str(), offset), ("u Ferizaju. Dalje", 2));
    }

    #[test]
    fn rule_filters_take_either_spelling() {
        let pairs = vec![("disabledRules".to_string(), "place-name, MOJIBAKE".to_string())];
        let filter = RuleFilter::from_pairs(&pairs);
        assert!(!filter.keeps("PLACE_NAME", "PLACE_NAMES"));
        assert!(!filter.keeps("MOJIBAKE", "TYPOS"));
        assert!(filter.keeps("TERM_FORBIDDEN", "TERMINOLOGY"));
        let pairs = vec![("enabledOnly".to_string(), "true".to_string()), ("enabledCategories".to_string(), "typos".to_string())];
        let filter = RuleFilter::from_pairs(&pairs);
        assert!(filter.keeps("MISSING_DIACRITICS", "TYPOS"));
        assert!(!filter.keeps("PLACE_NAME", "PLACE_NAMES"));
    }

    #[test]
    fn every_rule_is_a_single_text_check_of_the_registry() {
        let rules = rules();
        assert_eq!(rules.iter().map(|rule| rule.check).collect::<Vec<_>>(), crate::proofread::checks());
        for rule in &rules {
            assert_eq!(by_id(rule.check).map(|check| check.scope()), Some(Scope::Text), "{}", rule.check);
            assert_ne!(rule.category_id, "MISC", "{}", rule.check);
            assert_ne!(rule.issue_type, "uncategorized", "{}", rule.check);
        }
    }

    proptest! {
        /// A byte range of the checked text maps to UTF-16 offsets that select the same
        /// characters in the text as sent, with any markup around it.
        #[test]
        // LanguageTool counts UTF-16 code units: the test selects by them on purpose.
        #[allow(clippy::disallowed_methods)]
        fn utf16_offsets_select_the_same_text(
            parts in proptest::collection::vec(("[a-zë😀Ш \\n]{0,6}", proptest::bool::ANY), 1..8),
            pick in 0usize..64,
            span in 0usize..8,
        ) {
            let annotation: Vec<Value> = parts
                .iter()
                .map(|(text, markup)| if *markup { json!({"markup": format!("<{text}>")}) } else { json!({"text": text}) })
                .collect();
            let text = AnnotatedText::from_data(&json!({"annotation": annotation}).to_string()).expect("valid data");
            let boundaries: Vec<usize> = text.checked.char_indices().map(|(idx, _)| idx).chain(std::iter::once(text.checked.len())).collect();
            let start = boundaries[pick % boundaries.len()];
            let end_idx = (pick % boundaries.len() + span).min(boundaries.len() - 1);
            let end = boundaries[end_idx];
            // Ranges within one text part map to the same characters.
            let original = text.original_range(start..end);
            prop_assert!(original.start <= original.end && original.end <= text.original.len());
            let index = Utf16Index::new(&text.original);
            let units: Vec<u16> = text.original.encode_utf16().collect();
            let offset = index.units(original.start);
            let length = index.units(original.end) - offset;
            let selected = String::from_utf16(&units[offset..offset + length]).expect("whole characters");
            prop_assert_eq!(&selected, &text.original[original.clone()]);
            if text.pieces.iter().any(|(piece, _, markup)| !markup && piece.start <= start && end <= piece.end) {
                prop_assert_eq!(&selected, &text.checked[start..end]);
            }
        }
    }
}
