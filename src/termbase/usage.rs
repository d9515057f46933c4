//! Usage notes that programs read: the two clauses a term's note may carry beside its prose,
//! and the dates they are compared with.
//!
//! - `replaced on DATE by ACT` (also `replaced in DATE by ACT`): when a superseded term
//!   stopped being the name, and what replaced it. DATE is `YYYY`, `YYYY-MM` or `YYYY-MM-DD`;
//!   ACT runs to the next `;` or the end of the note. Example: `replaced on 2013-01-01 by Law
//!   No. 03/L-199 on Courts, Art. 43`.
//! - `correct in «PHRASE»; «PHRASE»`: fixed phrases in which a deprecated or superseded term is
//!   right (the name of a treaty, a phrase of the law). A word of a phrase ending in `*` matches
//!   any word it begins (`Okvirn* konvencij*` matches "Okvirne konvencije"). Matching folds
//!   case, punctuation, diacritics and Serbian script, as term recognition does.
//!
//! A document's date is what its reader says (an option or a configuration key) or, failing
//! that, the latest full date written in it ([`latest_date`]): a document cannot cite a date
//! after its own, so the latest date it writes is a lower bound on its date, and a document
//! that writes a date after a renaming was written after it.
//!
//! This module only reads notes and texts; what to report is `check`'s and the audit's.

use std::ops::Range;

use serde::Serialize;

use crate::text::{Folded, Tier};

/// A calendar date as precise as the source gives it (`2013`, `2013-01`, `2013-01-01`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TermDate {
    /// Year.
    pub year: u16,
    /// Month, 1–12, when given.
    pub month: Option<u8>,
    /// Day, 1–31, when given.
    pub day: Option<u8>,
}

impl TermDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    ///
    /// ```
    /// use termbridge::termbase::TermDate;
    /// assert_eq!(TermDate::parse("2013-01").map(|date| date.to_string()), Some("2013-01".to_string()));
    /// assert!(TermDate::parse("2013-13-01").is_none());
    /// ```
    pub fn parse(raw: &str) -> Option<TermDate> {
        let mut parts = raw.trim().split('-');
        let year_part = parts.next()?;
        if year_part.len() != 4 {
            return None;
        }
        let year: u16 = year_part.parse().ok()?;
        let month = match parts.next() {
            Some(part) if part.len() == 2 => Some(part.parse::<u8>().ok().filter(|month| (1..=12).contains(month))?),
            Some(_) => return None,
            None => None,
        };
        let day = match parts.next() {
            Some(part) if part.len() == 2 && month.is_some() => Some(part.parse::<u8>().ok().filter(|day| (1..=31).contains(day))?),
            Some(_) => return None,
            None => None,
        };
        if parts.next().is_some() {
            return None;
        }
        Some(TermDate { year, month, day })
    }

    /// True when a document of date `self` (a full date) is surely after `change`: later
    /// than the last day `change` may stand for.
    pub fn is_after(self, change: TermDate) -> bool {
        let own = (self.year, self.month.unwrap_or(1), self.day.unwrap_or(1));
        let last = (change.year, change.month.unwrap_or(12), change.day.unwrap_or(31));
        own > last
    }
}

impl std::fmt::Display for TermDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(month) = self.month {
            write!(f, "-{month:02}")?;
        }
        if let Some(day) = self.day {
            write!(f, "-{day:02}")?;
        }
        Ok(())
    }
}

impl<'de> serde::Deserialize<'de> for TermDate {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<TermDate, D::Error> {
        let raw = <String as serde::Deserialize>::deserialize(deserializer)?;
        TermDate::parse(&raw).ok_or_else(|| serde::de::Error::custom(format!("invalid date {raw:?} (expected YYYY, YYYY-MM or YYYY-MM-DD)")))
    }
}

impl Serialize for TermDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// When and by what a superseded term was replaced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Supersession {
    /// The date of the change.
    pub date: TermDate,
    /// The act (or event) that made it.
    pub by: String,
}

impl std::fmt::Display for Supersession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "replaced in {} by {}", self.date, self.by)
    }
}

/// The `replaced on DATE by ACT` clause of a note, if it has a well-formed one.
///
/// ```
/// use termbridge::termbase::supersession;
/// let found = supersession("old name; replaced on 2013-01-01 by Law No. 03/L-199 on Courts; see court").unwrap();
/// assert_eq!((found.date.to_string().as_str(), found.by.as_str()), ("2013-01-01", "Law No. 03/L-199 on Courts"));
/// ```
pub fn supersession(note: &str) -> Option<Supersession> {
    let lowered = note.to_ascii_lowercase();
    for keyword in ["replaced on ", "replaced in "] {
        let Some(at) = lowered.find(keyword) else { continue };
        let rest = &note[at + keyword.len()..];
        let (date_raw, after) = rest.split_once(' ')?;
        let date = TermDate::parse(date_raw.trim_end_matches([',', '.']))?;
        let after = after.trim_start();
        let by = after.strip_prefix("by ")?;
        let by = by.split(';').next().unwrap_or(by).trim().trim_end_matches('.').trim();
        if by.is_empty() {
            return None;
        }
        return Some(Supersession { date, by: by.to_string() });
    }
    None
}

/// True when `note` mentions a replacement at all (well-formed or not), so that a lint can
/// tell a malformed clause from a missing one.
pub fn mentions_replacement(note: &str) -> bool {
    note.to_ascii_lowercase().contains("replaced ")
}

/// The phrases of a note's `correct in «…»; «…»` clause.
///
/// ```
/// use termbridge::termbase::correct_in;
/// assert_eq!(correct_in("Serbia-state word; correct in «nacionalnih manjina»; «manjinskih zajednica»"),
///            vec!["nacionalnih manjina", "manjinskih zajednica"]);
/// ```
pub fn correct_in(note: &str) -> Vec<String> {
    let Some(start) = note.find("correct in «").or_else(|| note.find("Correct in «")) else { return Vec::new() };
    let mut phrases = Vec::new();
    let mut rest = &note[start + "correct in ".len()..];
    loop {
        let trimmed = rest.trim_start_matches([' ', ';', ',']);
        let Some(inner) = trimmed.strip_prefix('«') else { break };
        let Some(close) = inner.find('»') else { break };
        let phrase = inner[..close].trim();
        if !phrase.is_empty() {
            phrases.push(phrase.to_string());
        }
        rest = &inner[close + '»'.len_utf8()..];
    }
    phrases
}

/// A phrase's folded words, each with "matches as a prefix" when it ended in `*`.
fn phrase_words(phrase: &str) -> Vec<(String, bool)> {
    phrase
        .split_whitespace()
        .flat_map(|word| {
            let wildcard = word.ends_with('*');
            let folded = Folded::new(word.trim_end_matches('*'), Tier::Script, true).text;
            let parts: Vec<String> = folded.split(' ').filter(|part| !part.is_empty()).map(str::to_string).collect();
            let n_parts = parts.len();
            parts.into_iter().enumerate().map(move |(idx, part)| (part, wildcard && idx + 1 == n_parts)).collect::<Vec<_>>()
        })
        .collect()
}

/// The first of `phrases` that, written in `text`, covers the byte range `range` (an
/// occurrence of a term); matching as described in the module documentation.
///
/// ```
/// use termbridge::termbase::phrase_covering;
/// let text = "u skladu sa Okvirnom konvencijom za zaštitu nacionalnih manjina i manjina";
/// let phrases = vec!["Okvirn* konvencij* za zaštitu nacionalnih manjina".to_string()];
/// let first = text.find("manjina").unwrap();
/// assert!(phrase_covering(text, first..first + 7, &phrases).is_some());
/// let last = text.rfind("manjina").unwrap();
/// assert!(phrase_covering(text, last..last + 7, &phrases).is_none());
/// ```
pub fn phrase_covering<'p>(text: &str, range: Range<usize>, phrases: &'p [String]) -> Option<&'p str> {
    if phrases.is_empty() {
        return None;
    }
    let folded = Folded::new(text, Tier::Script, true);
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut offset = 0;
    for word in folded.text.split(' ') {
        if !word.is_empty() {
            spans.push((offset, offset + word.len()));
        }
        offset += word.len() + 1;
    }
    for phrase in phrases {
        let words = phrase_words(phrase);
        if words.is_empty() || words.len() > spans.len() {
            continue;
        }
        for first in 0..=spans.len() - words.len() {
            let fits = words.iter().enumerate().all(|(idx, (word, prefix))| {
                let (start, end) = spans[first + idx];
                let written = &folded.text[start..end];
                if *prefix { written.starts_with(word.as_str()) } else { written == word }
            });
            if !fits {
                continue;
            }
            let covered = folded.original_range(spans[first].0..spans[first + words.len() - 1].1);
            if covered.start <= range.start && range.end <= covered.end {
                return Some(phrase.as_str());
            }
        }
    }
    None
}

/// The latest full date written in `text`: `D.M.YYYY` (with or without spaces and a final
/// dot, as Albanian and Serbian write it), `YYYY-MM-DD`, or `D/M/YYYY`. Years outside
/// 1900–2099 and impossible days are ignored.
///
/// ```
/// use termbridge::termbase::latest_date;
/// let date = latest_date("Na osnovu zakona od 12.03.2008. godine, Priština, 5. 6. 2011.").unwrap();
/// assert_eq!(date.to_string(), "2011-06-05");
/// assert!(latest_date("Nr. 03/L-199").is_none());
/// ```
pub fn latest_date(text: &str) -> Option<TermDate> {
    let bytes = text.as_bytes();
    let mut latest: Option<TermDate> = None;
    let mut idx = 0;
    while idx < bytes.len() {
        if !bytes[idx].is_ascii_digit() || (idx > 0 && (bytes[idx - 1].is_ascii_digit() || bytes[idx - 1] == b'/' || bytes[idx - 1] == b'-')) {
            idx += 1;
            continue;
        }
        if let Some((date, len)) = date_at(&bytes[idx..]) {
            latest = latest.max(Some(date));
            idx += len;
        } else {
            idx += 1;
        }
    }
    latest
}

/// Reads a run of digits: (value, length), at most `max` digits.
fn digits(bytes: &[u8], max: usize) -> Option<(u32, usize)> {
    let len = bytes.iter().take(max + 1).take_while(|byte| byte.is_ascii_digit()).count();
    if len == 0 || len > max {
        return None;
    }
    let value = bytes[..len].iter().fold(0u32, |acc, byte| acc * 10 + u32::from(byte - b'0'));
    Some((value, len))
}

/// Skips spaces (at most two).
fn spaces(bytes: &[u8]) -> usize {
    bytes.iter().take(2).take_while(|byte| **byte == b' ').count()
}

/// A date starting at the first byte: (date, bytes read).
fn date_at(bytes: &[u8]) -> Option<(TermDate, usize)> {
    let make = |year: u32, month: u32, day: u32| {
        ((1900..2100).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day)).then_some(TermDate {
            year: year as u16,
            month: Some(month as u8),
            day: Some(day as u8),
        })
    };
    // YYYY-MM-DD
    if let Some((year, 4)) = digits(bytes, 4)
        && bytes.get(4) == Some(&b'-')
        && let Some((month, 2)) = digits(&bytes[5..], 2)
        && bytes.get(7) == Some(&b'-')
        && let Some((day, 2)) = digits(&bytes[8..], 2)
    {
        return make(year, month, day).map(|date| (date, 10));
    }
    // D.M.YYYY or D/M/YYYY
    let (day, day_len) = digits(bytes, 2)?;
    let separator = *bytes.get(day_len)?;
    if separator != b'.' && separator != b'/' {
        return None;
    }
    let mut at = day_len + 1;
    at += spaces(&bytes[at..]);
    let (month, month_len) = digits(&bytes[at..], 2)?;
    at += month_len;
    if bytes.get(at) != Some(&separator) {
        return None;
    }
    at += 1;
    at += spaces(&bytes[at..]);
    let (year, year_len) = digits(&bytes[at..], 4)?;
    if year_len != 4 {
        return None;
    }
    make(year, month, day).map(|date| (date, at + year_len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        for (raw, expected) in
            [("2019", Some("2019")), ("2019-07", Some("2019-07")), ("2019-07-31", Some("2019-07-31")), ("19", None), ("2019-7", None), ("2019-00", None)]
        {
            assert_eq!(TermDate::parse(raw).map(|date| date.to_string()).as_deref(), expected, "{raw}");
        }
        let change = TermDate::parse("2013").unwrap();
        assert!(!TermDate::parse("2013-12-31").unwrap().is_after(change));
        assert!(TermDate::parse("2014-01-01").unwrap().is_after(change));
        assert!(TermDate::parse("2013-01-02").unwrap().is_after(TermDate::parse("2013-01-01").unwrap()));
    }

    #[test]
    fn supersession_clauses() {
        assert_eq!(
            supersession("replaced in 2019 by Law No. 06/L-114 on Public Officials.").map(|s| s.to_string()).as_deref(),
            Some("replaced in 2019 by Law No. 06/L-114 on Public Officials")
        );
        assert_eq!(supersession("replaced on 2019-13 by X"), None);
        assert_eq!(supersession("replaced on 2019 by"), None);
        assert_eq!(supersession("old form"), None);
        assert!(mentions_replacement("Replaced by the Law on Courts"));
    }

    #[test]
    fn phrases() {
        assert_eq!(correct_in("no clause"), Vec::<String>::new());
        assert_eq!(correct_in("correct in «a b»,«c»; then prose"), vec!["a b", "c"]);
        let phrases = vec!["pripadni* manjinskih zajednica".to_string()];
        let text = "Припадници мањинских заједница";
        assert!(phrase_covering(text, 0..text.len(), &phrases).is_some(), "Cyrillic text, Latin phrase");
        assert!(phrase_covering("pripadnici zajednica", 0..9, &phrases).is_none());
    }

    #[test]
    fn dates_in_text() {
        for (text, expected) in [
            ("Prishtinë, më 03.04.2012", Some("2012-04-03")),
            ("od 1. 1. 2013. godine i 2009-05-06", Some("2013-01-01")),
            ("31/12/2010", Some("2010-12-31")),
            ("Nr. 03/L-199 i 2019", None),
            ("32.01.2010 i 1.13.2010", None),
            ("12.2010", None),
        ] {
            assert_eq!(latest_date(text).map(|date| date.to_string()).as_deref(), expected, "{text}");
        }
    }

    proptest::proptest! {
        #[test]
        fn date_scan_never_panics(text in "\\PC{0,80}") {
            let _ = latest_date(&text);
            let _ = correct_in(&text);
            let _ = supersession(&text);
        }

        #[test]
        fn phrase_ranges_in_bounds(text in "(manjin[aeu]|nacionalnih|Ђ|e\u{308}| |, ){0,30}") {
            let phrases = vec!["nacionalnih manjin*".to_string()];
            let _ = phrase_covering(&text, 0..text.len(), &phrases);
        }
    }
}
