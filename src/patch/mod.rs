//! Patched TM matches: a fuzzy hit whose source differs from the query in numbers, dates,
//! codes (act numbers such as 03/L-040), place names or terms of the term base gets a
//! `patched_target`: the stored target with those spans replaced by the query's values as
//! the target language writes them, and the list of replacements (`memory::Patch`).
//!
//! How: the query and the hit's source are read into words and replaceable spans
//! (`read.rs`); the two sequences are aligned (longest common subsequence, a span matching a
//! span of the same kind); each aligned pair of spans whose values differ is a change. Each
//! change is looked for in the target: the one span of the same kind whose value equals the
//! source's (1,000 in the source is 1.000 in an Albanian target, Prishtina is
//! Prishtinës/Приштина, a concept is any of its terms in any form). It is replaced by the
//! query's value written as the replaced span was (`render.rs`): numbers in the target's
//! separators, dates in its order and month names, a place by its official name in the case
//! and script of the replaced one (`Places::inflect_like`), a term by the preferred term with
//! the replaced one's ending. When one change cannot be placed, the hit gets no patched
//! target at all: half a patch reads as a right translation and is not one.
//!
//! What it never does: change `target`, `score` or `tier` (a patched hit stays fuzzy, and its
//! `patched_score` stays below 100), touch placeholders, markup or inline tags (spans that
//! would cover an inline tag's offset are not replaced), or patch words that are none of the
//! five kinds: the rest of a difference is the translator's, and `patched_score` says how
//! much of it is left.
//!
//! It sits above `memory`, `termbase` and `places`, which may not use each other, and above
//! `audit`, whose month and placeholder readers it shares; `workspace` runs it on every hit.

mod read;
mod render;

use std::ops::Range;

use crate::memory::{Patch, TmHit};
use crate::model::InlineTag;
use crate::model::lang::{Lang, LangTag, SrScript};
use crate::places::Places;
use crate::termbase::TermIndex;

use read::{Span, Value};

/// What a patch reads besides the hit: the place names and the term base.
#[derive(Clone, Copy)]
pub struct Resources<'a> {
    /// The gazetteer with its lookup tables.
    pub places: &'a Places,
    /// The term index, when there is a term base.
    pub terms: Option<&'a TermIndex>,
}

/// One token of a text for the alignment: a word or sign (by its folded key) or a span.
#[derive(Debug)]
enum Token {
    Word(String),
    Span(usize),
}

fn tokens(text: &str, spans: &[Span]) -> Vec<Token> {
    let mut out = Vec::new();
    let mut span_idx = 0;
    let mut idx = 0;
    while idx < text.len() {
        if let Some(span) = spans.get(span_idx)
            && span.range.start <= idx
        {
            out.push(Token::Span(span_idx));
            idx = idx.max(span.range.end);
            span_idx += 1;
            continue;
        }
        let next_span = spans.get(span_idx).map_or(text.len(), |span| span.range.start);
        let rest = &text[idx..next_span];
        let Some(c) = rest.chars().next() else { break };
        if c.is_whitespace() {
            idx += c.len_utf8();
        } else if c.is_alphanumeric() {
            let len = rest.find(|c: char| !c.is_alphanumeric()).unwrap_or(rest.len());
            out.push(Token::Word(crate::text::fold(&rest[..len], crate::text::Tier::Script).into_owned()));
            idx += len;
        } else {
            out.push(Token::Word(c.to_string()));
            idx += c.len_utf8();
        }
    }
    out
}

/// The longest texts aligned token by token; longer ones are not patched (a sentence of a
/// few hundred words is no fuzzy match to patch).
const MAX_TOKENS: usize = 400;

/// Pairs (query span, source span) aligned by the longest common subsequence of the two
/// token lists, a span matching a span of the same kind.
fn aligned_spans(query: &[Token], query_spans: &[Span], source: &[Token], source_spans: &[Span]) -> Vec<(usize, usize)> {
    let equal = |a: &Token, b: &Token| match (a, b) {
        (Token::Word(a), Token::Word(b)) => a == b,
        (Token::Span(a), Token::Span(b)) => query_spans[*a].value.kind() == source_spans[*b].value.kind(),
        _ => false,
    };
    let (n, m) = (query.len(), source.len());
    let mut table = vec![0u16; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            table[at(i, j)] = if equal(&query[i], &source[j]) { table[at(i + 1, j + 1)] + 1 } else { table[at(i + 1, j)].max(table[at(i, j + 1)]) };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut pairs = Vec::new();
    while i < n && j < m {
        if equal(&query[i], &source[j]) && table[at(i, j)] == table[at(i + 1, j + 1)] + 1 {
            if let (Token::Span(a), Token::Span(b)) = (&query[i], &source[j]) {
                pairs.push((*a, *b));
            }
            i += 1;
            j += 1;
        } else if table[at(i + 1, j)] >= table[at(i, j + 1)] {
            i += 1;
        } else {
            j += 1;
        }
    }
    pairs
}

/// The tag of the target's language with its script, as written.
fn target_tag(target: &str, lang: LangTag) -> LangTag {
    if lang.lang == Lang::Sr { if crate::text::script::has_cyrillic(target) { LangTag::SR_CYRL } else { LangTag::SR_LATN } } else { lang }
}

/// The query's value (`query_span` of `query`) written as the target's `target_span` is.
fn replacement(query: &str, query_span: &Span, target: &str, target_span: &Span, lang: LangTag, resources: Resources<'_>) -> Option<String> {
    let written = &target[target_span.range.clone()];
    let query_written = &query[query_span.range.clone()];
    match (&query_span.value, &target_span.value) {
        (Value::Number(number), Value::Number(_)) => Some(render::number(number, query_written, written, lang.lang)),
        (Value::Date(date), Value::Date(target_date)) => render::date(date, target_date, written, target_span.range.start, lang.lang),
        (Value::Code(_), Value::Code(_)) => {
            // An act number keeps its Latin L in Cyrillic too (03/L-040); a code the target wrote
            // in Cyrillic letters ("УТФ-8") gets the query's in Cyrillic letters too ("УТФ-16").
            if crate::text::script::has_cyrillic(written) && !query_written.contains('/') {
                let letters = crate::text::translit::LatToCyr { codes: crate::text::translit::Codes::Translit, ..Default::default() };
                Some(letters.convert(query_written).into_owned())
            } else {
                Some(query_written.to_string())
            }
        }
        (Value::Place(place_id), Value::Place(old_id)) => place(place_id, old_id, written, target, target_span.range.start, lang, resources.places),
        (Value::Term(concept_id), Value::Term(_)) => {
            let terms = resources.terms?;
            let concept = terms.concepts().iter().find(|concept| concept.id == *concept_id)?;
            let new_term =
                concept.preferred(lang).or_else(|| concept.suggestion(lang)).or_else(|| concept.suggestion(LangTag { lang: lang.lang, script: None }))?;
            let old = terms.recognize(target, lang.lang).into_iter().find(|occurrence| occurrence.range() == target_span.range)?;
            let (_, old_term) = terms.occurrence_term(&old);
            let mut text = new_term.text.clone();
            if lang.lang == Lang::Sr {
                text = match lang.script {
                    Some(SrScript::Cyrl) => crate::text::lat_to_cyr(&text).into_owned(),
                    _ => crate::text::cyr_to_lat(&text).into_owned(),
                };
            }
            let base = if lang.lang == Lang::Sr && lang.script == Some(SrScript::Cyrl) {
                crate::text::lat_to_cyr(&old_term.text).into_owned()
            } else {
                crate::text::cyr_to_lat(&old_term.text).into_owned()
            };
            render::inflect_term(&text, &base, written)
        }
        _ => None,
    }
}

/// The official name of `place_id` in the case and script of `written` (a name of another
/// place in the target). English has no cases: the name is the Albanian one, definite when the
/// replaced one was (Prishtina, Gjilani), as English texts of Kosovo write them.
fn place(place_id: &str, old_id: &str, written: &str, target: &str, start: usize, lang: LangTag, places: &Places) -> Option<String> {
    let preceding = crate::places::preceding_word(target, start);
    let key = |text: &str| crate::text::fold(text, crate::text::Tier::Case).into_owned();
    // The replaced name as the list writes it is the citation form, whatever else it could be
    // read as (Priština after "opštine" is in apposition, not a genitive).
    let (old, new) = (places.gazetteer().place(old_id)?, places.gazetteer().place(place_id)?);
    let nominative = match lang.lang {
        Lang::Sq if key(written) == key(&old.name_sq) => Some(new.name_sq.clone()),
        Lang::Sr if key(written) == key(&old.name_sr_latn) => Some(new.name_sr_latn.clone()),
        Lang::Sr if key(written) == key(&old.name_sr_cyrl) => Some(new.name_sr_cyrl.clone()),
        _ => None,
    };
    if let Some(name) = nominative.filter(|name| !name.is_empty()) {
        return Some(render::follow_capitals(&name, written));
    }
    if let Some(name) = same_case(old, new, written, lang) {
        return Some(name);
    }
    match lang.lang {
        Lang::Sq | Lang::Sr => places.inflect_like(written, preceding, place_id, lang).filter(|inflected| inflected.sure).map(|inflected| inflected.text),
        _ => {
            let place = new;
            let definite = crate::places::inflect_name(&place.name_sq, crate::places::NameCase::DefiniteNominative, Lang::Sq);
            let key = |text: &str| crate::text::fold(text, crate::text::Tier::Diacritics).into_owned();
            let written_definite = {
                let lookup = places.lookup(written);
                lookup.best().and_then(|best| places.gazetteer().place(&best.id)).and_then(|old| {
                    crate::places::inflect_name(&old.name_sq, crate::places::NameCase::DefiniteNominative, Lang::Sq).map(|form| key(&form) == key(written))
                })
            };
            let name = if written_definite == Some(true) { definite? } else { place.name_sq.clone() };
            let name = if written.is_ascii() { crate::text::fold(&name, crate::text::Tier::Diacritics).into_owned() } else { name };
            Some(render::follow_capitals(&name, written))
        }
    }
}

/// The new place's official name in the case `written` has as a form of the old one's, when
/// the preferred forms of the cases it could be (`places::inflect_name`) all give the new
/// place one form: "u Prizrenu" is a locative (the accusative is Prizren), so "u Uroševcu".
fn same_case(old: &crate::places::Place, new: &crate::places::Place, written: &str, lang: LangTag) -> Option<String> {
    use crate::places::NameCase;
    let (old_name, new_name) = match lang.lang {
        Lang::Sq => (old.name_sq.as_str(), new.name_sq.as_str()),
        Lang::Sr => (old.name_sr_latn.as_str(), new.name_sr_latn.as_str()),
        _ => return None,
    };
    let cyrillic = crate::text::script::has_cyrillic(written);
    let written_latin = crate::text::case_fold(&crate::text::cyr_to_lat(written)).into_owned();
    let cases = [
        NameCase::Nominative,
        NameCase::DefiniteNominative,
        NameCase::Accusative,
        NameCase::Genitive,
        NameCase::IndefiniteGenitive,
        NameCase::Locative,
        NameCase::Instrumental,
    ];
    let mut forms: Vec<String> = Vec::new();
    for case in cases {
        let Some(old_form) = crate::places::inflect_name(old_name, case, lang.lang) else { continue };
        if crate::text::case_fold(&old_form) != written_latin {
            continue;
        }
        let new_form = crate::places::inflect_name(new_name, case, lang.lang)?;
        if !forms.contains(&new_form) {
            forms.push(new_form);
        }
    }
    let [form] = &forms[..] else { return None };
    let form = if cyrillic { crate::text::lat_to_cyr(form).into_owned() } else { form.clone() };
    Some(render::follow_capitals(&form, written))
}

/// The TM score of `query` against `text` (DESIGN.md: `1 - lev / max(len)` over characters),
/// 0 to 100, as the matcher computes it.
fn text_score(query: &str, text: &str) -> f64 {
    let distance = rapidfuzz::distance::levenshtein::distance(query.chars(), text.chars());
    let longest = query.chars().count().max(text.chars().count()).max(1);
    crate::memory::round_score(1.0 - distance as f64 / longest as f64)
}

/// The highest `patched_score`: a patched hit is never an exact match.
pub const MAX_PATCHED_SCORE: f64 = 99.99;

/// Fills `hit.patched_target`, `hit.patches` and `hit.patched_score` when the hit's source
/// differs from `query` in numbers, dates, codes, place names or terms and every such
/// difference can be placed in its target (`inline`: the target variant's inline tags, whose
/// offsets a replacement may not cover). Leaves the hit as it is otherwise.
///
/// ```
/// use termbridge::memory::{HitTier, TmHit};
/// use termbridge::model::lang::LangTag;
/// use termbridge::patch::{Resources, patch_hit};
/// use termbridge::places::Places;
///
/// let mut hit = TmHit {
///     id: "1".into(), score: 80.0, tier: HitTier::Text(termbridge::text::Tier::Fuzzy), penalised_score: None,
///     penalties: vec![], context: None, source: "Municipal Assembly of Prishtina".into(),
///     target: Some("Kuvendi i Komunës së Prishtinës".into()), source_lang: LangTag::EN,
///     target_lang: Some(LangTag::SQ), collection: "default".into(), numbers: vec![],
///     patched_target: None, patches: vec![], patched_score: None, key: 0,
/// };
/// patch_hit("Municipal Assembly of Gjilan", &mut hit, &[], Resources { places: Places::shipped(), terms: None });
/// assert_eq!(hit.patched_target.as_deref(), Some("Kuvendi i Komunës së Gjilanit"));
/// assert!(hit.patched_score.is_some_and(|score| score < 100.0));
/// ```
pub fn patch_hit(query: &str, hit: &mut TmHit, inline: &[InlineTag], resources: Resources<'_>) {
    Patcher::new(query, resources).patch(hit, inline);
}

/// The query of one lookup, read once for all its hits: its spans and tokens in each source
/// language a hit has (a lookup without `--src` may match texts of several).
pub struct Patcher<'a> {
    query: String,
    resources: Resources<'a>,
    read: Vec<(LangTag, Vec<Span>, Vec<Token>)>,
}

impl<'a> Patcher<'a> {
    /// A patcher for the hits of `query`.
    pub fn new(query: &str, resources: Resources<'a>) -> Patcher<'a> {
        Patcher { query: crate::text::nfc(query).into_owned(), resources, read: Vec::new() }
    }

    /// Patches one hit, as [`patch_hit`] does.
    pub fn patch(&mut self, hit: &mut TmHit, inline: &[InlineTag]) {
        if hit.target.is_none() || hit.target_lang.is_none() || hit.score >= 100.0 || hit.source == self.query {
            return;
        }
        let source_lang = hit.source_lang;
        let idx = match self.read.iter().position(|(lang, _, _)| *lang == source_lang) {
            Some(idx) => idx,
            None => {
                let spans = read::spans(&self.query, source_lang, self.resources.places, self.resources.terms);
                let tokens = tokens(&self.query, &spans);
                self.read.push((source_lang, spans, tokens));
                self.read.len() - 1
            }
        };
        let (_, query_spans, query_tokens) = &self.read[idx];
        patch_read(&self.query, query_spans, query_tokens, hit, inline, self.resources);
    }
}

/// [`patch_hit`] with the query's spans and tokens read.
fn patch_read(query: &str, query_spans: &[Span], query_tokens: &[Token], hit: &mut TmHit, inline: &[InlineTag], resources: Resources<'_>) {
    let (Some(target), Some(target_lang)) = (hit.target.as_deref(), hit.target_lang) else { return };
    let source_lang = hit.source_lang;
    let source_spans = read::spans(&hit.source, source_lang, resources.places, resources.terms);
    if query_spans.is_empty() || source_spans.is_empty() {
        return;
    }
    let source_tokens = tokens(&hit.source, &source_spans);
    if query_tokens.len() > MAX_TOKENS || source_tokens.len() > MAX_TOKENS {
        return;
    }
    let changes: Vec<(usize, usize)> = aligned_spans(query_tokens, query_spans, &source_tokens, &source_spans)
        .into_iter()
        .filter(|(q, s)| !query_spans[*q].value.same(&source_spans[*s].value))
        .collect();
    if changes.is_empty() {
        return;
    }
    let lang = target_tag(target, target_lang);
    let target_spans = read::spans(target, lang, resources.places, resources.terms);
    let mut replacements: Vec<(Range<usize>, String, crate::memory::PatchKind)> = Vec::new();
    for (query_idx, source_idx) in &changes {
        let wanted = &source_spans[*source_idx].value;
        let mut found = target_spans.iter().filter(|span| span.value.same(wanted) && !replacements.iter().any(|(range, _, _)| *range == span.range));
        let (Some(target_span), None) = (found.next(), found.next()) else { return };
        if inline.iter().any(|tag| tag.offset > target_span.range.start && tag.offset < target_span.range.end) {
            return;
        }
        let Some(text) = replacement(query, &query_spans[*query_idx], target, target_span, lang, resources) else { return };
        replacements.push((target_span.range.clone(), text, wanted.kind()));
    }
    replacements.sort_by_key(|(range, _, _)| range.start);
    let mut patched = String::with_capacity(target.len() + 16);
    let mut patches = Vec::new();
    let mut last = 0;
    for (range, text, kind) in replacements {
        patched.push_str(&target[last..range.start]);
        let start = patched.len();
        patched.push_str(&text);
        if text != target[range.clone()] {
            patches.push(Patch { from: target[range.clone()].to_string(), to: text, kind, start, end: patched.len() });
        }
        last = range.end;
    }
    patched.push_str(&target[last..]);
    if patches.is_empty() {
        return;
    }
    // The source with the query's spans: what the score would be had the memory held it.
    let mut patched_source = hit.source.clone();
    let mut by_position: Vec<&(usize, usize)> = changes.iter().collect();
    by_position.sort_by_key(|(_, source_idx)| std::cmp::Reverse(source_spans[*source_idx].range.start));
    for (query_idx, source_idx) in by_position {
        patched_source.replace_range(source_spans[*source_idx].range.clone(), &query[query_spans[*query_idx].range.clone()]);
    }
    if source_lang.lang == Lang::Sr && crate::text::script::has_cyrillic(&patched_source) != crate::text::script::has_cyrillic(query) {
        patched_source = if crate::text::script::has_cyrillic(query) {
            crate::text::lat_to_cyr(&patched_source).into_owned()
        } else {
            crate::text::cyr_to_lat(&patched_source).into_owned()
        };
    }
    let score = text_score(query, &patched_source).min(MAX_PATCHED_SCORE).max(hit.score);
    hit.patched_target = Some(patched);
    hit.patches = patches;
    hit.patched_score = Some(score);
}

#[cfg(test)]
mod tests;
