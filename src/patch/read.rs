//! What a text holds that a patch may replace: numbers, dates, codes, place names and terms,
//! each with its byte range and a value to compare by, and the code a patch never touches
//! (placeholders, markup, character references, links).
//!
//! The readers are the crate's own: number runs are `memory::numbers`', month names and
//! placeholders the `number-mismatch` check's, place mentions `Places::mentions`, terms
//! `TermIndex::recognize`. This file only decides which run is which kind and reads the
//! values; it does not render them (`render.rs` does).

use std::ops::Range;

use crate::memory::PatchKind;
use crate::model::lang::{Lang, LangTag};
use crate::places::Places;
use crate::termbase::TermIndex;

/// A number as its digits: the whole part without grouping and the decimals, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Number {
    pub whole: String,
    pub decimals: Option<String>,
}

impl Number {
    /// Equal in value: leading zeros of the whole part and trailing zeros of the decimals
    /// do not count.
    pub(super) fn same(&self, other: &Number) -> bool {
        let whole = |n: &Number| n.whole.trim_start_matches('0').to_string();
        let decimals = |n: &Number| n.decimals.as_deref().map(|d| d.trim_end_matches('0').to_string()).filter(|d| !d.is_empty());
        whole(self) == whole(other) && decimals(self) == decimals(other)
    }
}

/// How a month is written in a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MonthForm {
    /// As a number (05.03.2024).
    Digits,
    /// As a word (5 March 2024, 5. marta 2024).
    Name,
}

/// A date, with where each of its parts stands in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Date {
    pub day: Option<(u32, Range<usize>)>,
    pub month: (u32, Range<usize>, MonthForm),
    pub year: Option<(i64, Range<usize>)>,
}

impl Date {
    fn same(&self, other: &Date) -> bool {
        self.day.as_ref().map(|d| d.0) == other.day.as_ref().map(|d| d.0)
            && self.month.0 == other.month.0
            && self.year.as_ref().map(|y| y.0) == other.year.as_ref().map(|y| y.0)
    }

    /// True when both have the same parts (day, year).
    pub fn same_parts(&self, other: &Date) -> bool {
        self.day.is_some() == other.day.is_some() && self.year.is_some() == other.year.is_some()
    }
}

/// What a span holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Value {
    Number(Number),
    Date(Date),
    /// A code, compared in upper case with Cyrillic read as Latin (03/Л-040 = 03/L-040).
    Code(String),
    /// A place, by its gazetteer id.
    Place(String),
    /// A term, by its concept id.
    Term(String),
}

impl Value {
    pub fn kind(&self) -> PatchKind {
        match self {
            Value::Number(_) => PatchKind::Number,
            Value::Date(_) => PatchKind::Date,
            Value::Code(_) => PatchKind::Code,
            Value::Place(_) => PatchKind::Place,
            Value::Term(_) => PatchKind::Term,
        }
    }

    /// Equal in value (a number in another format, a place in another case or script).
    pub fn same(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Number(a), Value::Number(b)) => a.same(b),
            (Value::Date(a), Value::Date(b)) => a.same(b),
            (Value::Code(a), Value::Code(b)) | (Value::Place(a), Value::Place(b)) | (Value::Term(a), Value::Term(b)) => a == b,
            _ => false,
        }
    }
}

/// One replaceable span of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Span {
    pub range: Range<usize>,
    pub value: Value,
}

/// The byte ranges of what a patch never changes: placeholders (`%s`, `%1$d`, `{0}`, and the
/// `%1` of Qt and KDE), markup (`<b>`, `</a>`), character references (`&amp;`, `&#169;`) and
/// links and e-mail addresses.
pub(super) fn protected(text: &str) -> Vec<Range<usize>> {
    // The one placeholder reader (printf, Python, brace and ICU, Qt's %1, strftime, markup).
    let mut found: Vec<Range<usize>> = crate::text::placeholders::placeholders(text).into_iter().map(|found| found.start..found.end).collect();
    let bytes = text.as_bytes();
    let mut idx = 0;
    while idx < bytes.len() {
        let rest = &text[idx..];
        let end = match bytes[idx] {
            // Markup of any name (the reader knows the markup languages' names only).
            b'<' => rest
                .find('>')
                .filter(|&close| close > 1 && close < 200 && !rest[1..close].contains('<'))
                .map(|close| close + 1)
                .filter(|_| rest[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!')),
            b'&' => rest
                .find(';')
                .filter(|&close| close > 1 && close < 12 && rest[1..close].chars().all(|c| c.is_ascii_alphanumeric() || c == '#'))
                .map(|close| close + 1),
            _ => None,
        };
        match end {
            Some(len) => {
                found.push(idx..idx + len);
                idx += len;
            }
            None => idx += rest.chars().next().map_or(1, char::len_utf8),
        }
    }
    for (start, token) in text.split_whitespace().map(|token| (token.as_ptr() as usize - text.as_ptr() as usize, token)) {
        let lowered = token.to_ascii_lowercase();
        if lowered.contains("://") || lowered.starts_with("www.") || (token.contains('@') && token.contains('.')) {
            found.push(start..start + token.len());
        }
    }
    found.sort_by_key(|range| (range.start, range.end));
    // Markup the reader knows is found by both.
    found.dedup();
    found
}

fn overlaps(range: &Range<usize>, taken: &[Range<usize>]) -> bool {
    taken.iter().any(|other| range.start < other.end && other.start < range.end)
}

/// The words of a text (runs of letters and digits) with their byte ranges.
fn words(text: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut start = None;
    for (idx, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(idx),
            (false, Some(begin)) => {
                found.push(begin..idx);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(begin) = start {
        found.push(begin..text.len());
    }
    found
}

/// A code: an act number (03/L-040, 02/L-37, 03/Л-041) or a word of capitals and digits with
/// at least one of each (A4, UTF-8, ISO-8859-2, MP3).
fn codes(text: &str, taken: &[Range<usize>]) -> Vec<Span> {
    let mut found = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |idx: usize| chars.get(idx).map_or(text.len(), |(pos, _)| *pos);
    let mut idx = 0;
    while idx < chars.len() {
        let (start, c) = chars[idx];
        let boundary = idx == 0 || !chars[idx - 1].1.is_alphanumeric();
        if !boundary || !c.is_alphanumeric() {
            idx += 1;
            continue;
        }
        // The longest run of letters, digits and inner / - . that ends in a letter or digit.
        let mut cursor = idx;
        let mut last_alnum = idx;
        while cursor < chars.len() {
            let here = chars[cursor].1;
            if here.is_alphanumeric() {
                last_alnum = cursor;
            } else if !(matches!(here, '/' | '-' | '.') && chars.get(cursor + 1).is_some_and(|(_, next)| next.is_alphanumeric())) {
                break;
            }
            cursor += 1;
        }
        let range = start..end_of(last_alnum + 1);
        let token = &text[range.clone()];
        let has_digit = token.chars().any(|c| c.is_ascii_digit());
        let letters: Vec<char> = token.chars().filter(|c| c.is_alphabetic()).collect();
        let act = has_digit && token.contains('/') && !letters.is_empty() && letters.len() <= 3 && token.contains('-');
        let capitals = has_digit
            && !letters.is_empty()
            && letters.iter().all(|c| c.is_uppercase())
            && !token.contains('.')
            && token.chars().next().is_some_and(|c| c.is_alphabetic() || token.contains('-'));
        if (act || capitals) && !overlaps(&range, taken) {
            let key = crate::text::cyr_to_lat(token).to_uppercase();
            found.push(Span { range, value: Value::Code(key) });
        }
        idx = last_alnum + 1;
    }
    found
}

/// The whole and decimal digits of a number as written in `lang` (`1,000.5` in English,
/// `1.000,5` in Albanian and Serbian). A separator followed by three digits is a thousands
/// separator when it is the language's, a decimal one otherwise; with both kinds, the last
/// is the decimal one.
pub(super) fn read_number(written: &str, lang: Lang) -> Option<Number> {
    if written.is_empty() || !written.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b',') {
        return None;
    }
    let separators: Vec<(usize, u8)> = written.bytes().enumerate().filter(|(_, b)| !b.is_ascii_digit()).collect();
    let decimal_at = match separators.as_slice() {
        [] => None,
        [(idx, sep)] => {
            let after = written.len() - idx - 1;
            let grouping = if lang == Lang::En { b',' } else { b'.' };
            if after == 3 && *sep == grouping { None } else { Some(*idx) }
        }
        many => {
            let last = many[many.len() - 1];
            if many.iter().all(|(_, sep)| *sep == last.1) { None } else { Some(last.0) }
        }
    };
    let (whole, decimals) = match decimal_at {
        Some(idx) => (&written[..idx], Some(written[idx + 1..].to_string())),
        None => (written, None),
    };
    let whole: String = whole.chars().filter(char::is_ascii_digit).collect();
    if decimals.as_deref().is_some_and(|d| !d.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    Some(Number { whole, decimals })
}

/// Numeric dates: 05.03.2024 (and 5.3.2024.), 2024-03-05, and 05/03/2024 in Albanian and
/// Serbian (day first; in English the order is not known, so it stays two numbers and a year).
fn numeric_date(text: &str, range: &Range<usize>, lang: Lang) -> Option<Date> {
    let written = &text[range.clone()];
    let parts: Vec<(usize, &str)> = written
        .split(['.', '-', '/'])
        .scan(0, |offset, part| {
            let at = *offset;
            *offset += part.len() + 1;
            Some((range.start + at, part))
        })
        .collect();
    if parts.len() != 3 || parts.iter().any(|(_, part)| part.is_empty()) {
        return None;
    }
    let separators: Vec<char> = written.chars().filter(|c| !c.is_ascii_digit()).collect();
    if separators.len() != 2 || separators[0] != separators[1] {
        return None;
    }
    let value = |part: &str| part.parse::<i64>().ok();
    let at = |(start, part): (usize, &str)| start..start + part.len();
    let (day, month, year) = match separators[0] {
        '-' if parts[0].1.len() == 4 => (parts[2], parts[1], parts[0]),
        '.' if parts[2].1.len() == 4 => (parts[0], parts[1], parts[2]),
        '/' if parts[2].1.len() == 4 && lang != Lang::En => (parts[0], parts[1], parts[2]),
        _ => return None,
    };
    let (d, m, y) = (value(day.1)?, value(month.1)?, value(year.1)?);
    if !(1..=31).contains(&d) || !(1..=12).contains(&m) || day.1.len() > 2 || month.1.len() > 2 {
        return None;
    }
    Some(Date { day: Some((d as u32, at(day))), month: (m as u32, at(month), MonthForm::Digits), year: Some((y, at(year))) })
}

/// Dates with a month name: 5 March 2024, March 5, 2024, March 2024, 5. marta 2024., më 12
/// dhjetor, u maju 2021 (a month name counts only next to a day or a year).
fn named_dates(text: &str, taken: &[Range<usize>]) -> Vec<(Range<usize>, Date)> {
    let words = words(text);
    let digits = |range: &Range<usize>| text[range.clone()].bytes().all(|b| b.is_ascii_digit());
    let gap_ok = |from: usize, to: usize, allowed: &[char]| text.get(from..to).is_some_and(|gap| !gap.is_empty() && gap.chars().all(|c| allowed.contains(&c)));
    let mut found = Vec::new();
    for (idx, word) in words.iter().enumerate() {
        if digits(word) || overlaps(word, taken) {
            continue;
        }
        let written = &text[word.clone()];
        // "may", "mar", "dec" in small letters are English words, not months.
        if matches!(written, "may" | "mar" | "jan" | "feb" | "apr" | "aug" | "sep" | "sept" | "oct" | "nov" | "dec") {
            continue;
        }
        let Some(month) = crate::audit::checks::number_mismatch::month_number(written) else { continue };
        let as_day = |range: &Range<usize>| -> Option<u32> {
            let value: u32 = text[range.clone()].parse().ok()?;
            (digits(range) && range.len() <= 2 && (1..=31).contains(&value)).then_some(value)
        };
        let as_year = |range: &Range<usize>| -> Option<i64> { (digits(range) && range.len() == 4).then(|| text[range.clone()].parse().ok()).flatten() };
        let mut day = None;
        let mut year = None;
        if idx > 0 && !overlaps(&words[idx - 1], taken) && gap_ok(words[idx - 1].end, word.start, &[' ', '.', '\u{a0}']) {
            day = as_day(&words[idx - 1]).map(|value| (value, words[idx - 1].clone()));
        }
        let mut next = idx + 1;
        if day.is_none()
            && let Some(after) = words.get(next)
            && gap_ok(word.end, after.start, &[' ', '\u{a0}'])
            && !overlaps(after, taken)
            && let Some(value) = as_day(after)
        {
            day = Some((value, after.clone()));
            next += 1;
        }
        let last_end = day.as_ref().map_or(word.end, |(_, range)| range.end.max(word.end));
        if let Some(after) = words.get(next)
            && gap_ok(last_end, after.start, &[' ', ',', '.', '\u{a0}'])
            && !overlaps(after, taken)
            && let Some(value) = as_year(after)
        {
            year = Some((value, after.clone()));
        }
        if day.is_none() && year.is_none() {
            continue;
        }
        let start = day.as_ref().map_or(word.start, |(_, range)| range.start.min(word.start));
        let end = year.as_ref().map_or(last_end, |(_, range)| range.end);
        found.push((start..end, Date { day, month: (month as u32, word.clone(), MonthForm::Name), year }));
    }
    found
}

/// The words that make a long administrative form of a name (Komuna e Shtimes, Opština
/// Štimlje), as script-tier keys: a patch replaces the name after them, not them.
const ADMINISTRATIVE_HEADS: &[&str] = &["komuna", "komunes", "komunen", "komune", "opstina", "opstine", "opstini", "opstinu", "opstinom"];
const ALBANIAN_ARTICLES: &[&str] = &["e", "i", "se", "te"];

/// A mention's range without a leading administrative head and its article.
fn bare_name(text: &str, range: Range<usize>) -> Range<usize> {
    let mut start = range.start;
    let mut rest = &text[range.clone()];
    let mut cut_head = false;
    while let Some((word, after)) = rest.split_once(' ') {
        let key = crate::text::fold(word, crate::text::Tier::Script);
        let is_head = !cut_head && ADMINISTRATIVE_HEADS.contains(&key.as_ref());
        let is_article = cut_head && ALBANIAN_ARTICLES.contains(&key.as_ref());
        if !(is_head || is_article) {
            break;
        }
        cut_head = true;
        start += word.len() + 1;
        rest = after;
    }
    start..range.end
}

/// Everything of `text` (written in `lang`) a patch may replace, in text order, without
/// overlaps: codes first, then dates, numbers, place names and terms.
pub(super) fn spans(text: &str, lang: LangTag, places: &Places, terms: Option<&TermIndex>) -> Vec<Span> {
    let mut taken = protected(text);
    let mut found: Vec<Span> = Vec::new();
    let keep = |span: Span, taken: &mut Vec<Range<usize>>, found: &mut Vec<Span>| {
        if !overlaps(&span.range, taken) {
            taken.push(span.range.clone());
            found.push(span);
        }
    };
    for span in codes(text, &taken) {
        keep(span, &mut taken, &mut found);
    }
    let runs = crate::memory::numbers::numbers(text);
    for run in &runs {
        if let Some(date) = numeric_date(text, run, lang.lang) {
            keep(Span { range: run.clone(), value: Value::Date(date) }, &mut taken, &mut found);
        }
    }
    for (range, date) in named_dates(text, &taken) {
        keep(Span { range, value: Value::Date(date) }, &mut taken, &mut found);
    }
    for run in runs {
        // Times, ranges and fractions (12:30, 3-4, 1/2) are numbers one by one.
        let mut start = run.start;
        for part in text[run.clone()].split([':', '/', '-']) {
            let range = start..start + part.len();
            start = range.end + 1;
            // A number glued to letters (x86, 5px, 2D) is part of a word.
            let glued =
                text[..range.start].chars().next_back().is_some_and(char::is_alphabetic) || text[range.end..].chars().next().is_some_and(char::is_alphabetic);
            if glued {
                continue;
            }
            if let Some(number) = read_number(part, lang.lang) {
                keep(Span { range, value: Value::Number(number) }, &mut taken, &mut found);
            }
        }
    }
    let place_lang = if lang.lang == Lang::Sr { lang } else { LangTag::SQ };
    if matches!(lang.lang, Lang::Sq | Lang::Sr | Lang::En) {
        for mention in places.mentions(text, place_lang) {
            let range = bare_name(text, mention.start..mention.end);
            keep(Span { range, value: Value::Place(mention.place_id) }, &mut taken, &mut found);
        }
    }
    if let Some(terms) = terms {
        for occurrence in terms.recognize(text, lang.lang) {
            keep(Span { range: occurrence.range(), value: Value::Term(occurrence.concept_id) }, &mut taken, &mut found);
        }
    }
    found.sort_by_key(|span| span.range.start);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str, lang: LangTag) -> Vec<(&str, &'static str)> {
        spans(text, lang, Places::shipped(), None).into_iter().map(|span| (&text[span.range.clone()], span.value.kind().as_str())).collect()
    }

    #[test]
    fn reads_kinds() {
        assert_eq!(
            shown("Law No. 03/L-040 of 5 March 2024 on 1,000.5 euros", LangTag::EN),
            [("03/L-040", "code"), ("5 March 2024", "date"), ("1,000.5", "number")]
        );
        assert_eq!(
            shown("Më 12.03.2024 në Prishtinë, %1 herë <b>3</b> 12:30", LangTag::SQ),
            [("12.03.2024", "date"), ("Prishtinë", "place"), ("3", "number"), ("12", "number"), ("30", "number")]
        );
        assert_eq!(shown("Скупштина општине Гњилане, 15. марта 2021.", LangTag::SR_CYRL), [("Гњилане", "place"), ("15. марта 2021", "date")]);
        assert_eq!(shown("Format A4, UTF-8 and x86 on May 2", LangTag::EN), [("A4", "code"), ("UTF-8", "code"), ("May 2", "date")]);
        // "May" alone is no date.
        assert_eq!(shown("You may 2 times", LangTag::EN), [("2", "number")]);
    }

    #[test]
    fn reads_numbers_in_the_language_format() {
        let check = |written: &str, lang: Lang, whole: &str, decimals: Option<&str>| {
            assert_eq!(read_number(written, lang), Some(Number { whole: whole.into(), decimals: decimals.map(Into::into) }), "{written}");
        };
        check("1,000.5", Lang::En, "1000", Some("5"));
        check("1.000,5", Lang::Sq, "1000", Some("5"));
        check("1.000", Lang::Sr, "1000", None);
        check("1.000", Lang::En, "1", Some("000"));
        check("1,000", Lang::En, "1000", None);
        check("1,5", Lang::Sq, "1", Some("5"));
        check("1.5", Lang::Sq, "1", Some("5"));
        check("1.000.000", Lang::En, "1000000", None);
        assert!(
            read_number("1,000.5", Lang::En)
                .is_some_and(|n| n.same(&read_number("1.000,50", Lang::Sq).unwrap_or(Number { whole: String::new(), decimals: None })))
        );
    }

    #[test]
    fn protects_code() {
        let text = "%s of {0}: <a href=\"x\">%1</a> &amp; https://rks-gov.net/2024";
        let found: Vec<&str> = protected(text).into_iter().map(|range| &text[range]).collect();
        assert_eq!(found, ["%s", "{0}", "<a href=\"x\">", "%1", "</a>", "&amp;", "https://rks-gov.net/2024"]);
    }

    proptest::proptest! {
        #[test]
        fn spans_are_in_bounds_and_apart(text in "([0-9.,:/\\-]{1,6}|[A-Z]{1,2}[0-9]|%[sd1]|<b>|[ (\"«»]|[a-zëЖ]{1,5}|mars|March|Prishtinë|Гњилане){0,20}") {
            for lang in [LangTag::EN, LangTag::SQ, LangTag::SR_CYRL] {
                let found = spans(&text, lang, Places::shipped(), None);
                for pair in found.windows(2) {
                    proptest::prop_assert!(pair[0].range.end <= pair[1].range.start);
                }
                for span in found {
                    proptest::prop_assert!(span.range.end <= text.len() && text.is_char_boundary(span.range.start) && text.is_char_boundary(span.range.end));
                }
            }
        }
    }
}
