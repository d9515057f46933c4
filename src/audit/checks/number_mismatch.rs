//! `number-mismatch`: numbers, dates, amounts and law references that differ between the
//! versions of one segment (links and e-mail addresses are extracted here too, so that their
//! digits are not numbers, and compared by `url-mismatch`).

use std::collections::BTreeMap;

use crate::audit::context::AuditContext;
use crate::model::lang::Lang;
use crate::model::{Category, Finding, Severity};
use crate::text::cyr_to_lat;

use super::{About, Check, Localized, Scope};

/// Compares the invariants of aligned segments as multisets.
pub struct NumberMismatch;

/// One invariant found in a text: its comparison key and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invariant {
    /// The comparison key (`n:5`, `ref:02/L-37`, `mail:…`, `url:…`).
    pub key: String,
    /// Byte range of the text it came from.
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
}

/// A month name in any case, capitals or script the audited languages write it, as its number:
/// a date written "u maju 2021", "në maj 2021", "15. marta", "më 12 dhjetor", "të majit" or
/// "5 March 2024" must match "05.03.2024". The word is read in small letters and, when
/// Cyrillic, in Latin letters first.
pub(crate) fn month_number(word: &str) -> Option<u64> {
    // English (with the usual abbreviations) and Turkish: not inflected.
    const UNINFLECTED: &[(&str, u64)] = &[
        ("january", 1),
        ("jan", 1),
        ("february", 2),
        ("feb", 2),
        ("march", 3),
        ("mar", 3),
        ("april", 4),
        ("apr", 4),
        ("may", 5),
        ("june", 6),
        ("july", 7),
        ("august", 8),
        ("aug", 8),
        ("september", 9),
        ("sep", 9),
        ("sept", 9),
        ("october", 10),
        ("oct", 10),
        ("november", 11),
        ("nov", 11),
        ("december", 12),
        ("dec", 12),
        ("ocak", 1),
        ("şubat", 2),
        ("nisan", 4),
        ("mayıs", 5),
        ("haziran", 6),
        ("temmuz", 7),
        ("ağustos", 8),
        ("eylül", 9),
        ("ekim", 10),
        ("kasım", 11),
        ("aralık", 12),
    ];
    // Serbian and Bosnian: the nominative, then the stem the other cases are built on
    // (septembar → septembra, septembru, septembrom).
    const SERBIAN: &[(&str, &str, u64)] = &[
        ("januar", "januar", 1),
        ("februar", "februar", 2),
        ("mart", "mart", 3),
        ("april", "april", 4),
        ("maj", "maj", 5),
        ("jun", "jun", 6),
        ("juni", "jun", 6),
        ("jul", "jul", 7),
        ("juli", "jul", 7),
        ("avgust", "avgust", 8),
        ("august", "august", 8),
        ("septembar", "septembr", 9),
        ("oktobar", "oktobr", 10),
        ("novembar", "novembr", 11),
        ("decembar", "decembr", 12),
    ];
    // Albanian: the indefinite form; the definite ones add -i, -in, -it (-u, -un, -ut after
    // k, g, h: korriku, korrikut).
    const ALBANIAN: &[(&str, u64)] = &[
        ("janar", 1),
        ("shkurt", 2),
        ("mars", 3),
        ("prill", 4),
        ("maj", 5),
        ("qershor", 6),
        ("korrik", 7),
        ("gusht", 8),
        ("shtator", 9),
        ("tetor", 10),
        ("nëntor", 11),
        ("dhjetor", 12),
    ];
    let lowered = cyr_to_lat(&word.to_lowercase()).into_owned();
    let word = lowered.as_str();
    if let Some((_, month)) = UNINFLECTED.iter().find(|(name, _)| *name == word) {
        return Some(*month);
    }
    for (nominative, stem, month) in SERBIAN {
        if word == *nominative || word.strip_prefix(stem).is_some_and(|ending| matches!(ending, "a" | "u" | "om")) {
            return Some(*month);
        }
    }
    for (name, month) in ALBANIAN {
        if let Some(ending) = word.strip_prefix(name) {
            let back = name.ends_with(['k', 'g', 'h']);
            let endings: &[&str] = if back { &["", "u", "un", "ut"] } else { &["", "i", "in", "it"] };
            if endings.contains(&ending) {
                return Some(*month);
            }
        }
    }
    None
}

/// Number words of one language: a translation may write "pesëmbëdhjetë", "петнаест" or
/// "fifteen" where another version has 15. Units, teens, tens, hundreds and the word for a
/// thousand; compounds ("twenty-one", "njëzet e një", "dvadeset i jedan", "on beş") are summed.
fn number_word(word: &str, lang: Lang) -> Option<u64> {
    const ENGLISH: &[(&str, u64)] = &[
        ("zero", 0),
        ("one", 1),
        ("two", 2),
        ("three", 3),
        ("four", 4),
        ("five", 5),
        ("six", 6),
        ("seven", 7),
        ("eight", 8),
        ("nine", 9),
        ("ten", 10),
        ("eleven", 11),
        ("twelve", 12),
        ("thirteen", 13),
        ("fourteen", 14),
        ("fifteen", 15),
        ("sixteen", 16),
        ("seventeen", 17),
        ("eighteen", 18),
        ("nineteen", 19),
        ("twenty", 20),
        ("thirty", 30),
        ("forty", 40),
        ("fifty", 50),
        ("sixty", 60),
        ("seventy", 70),
        ("eighty", 80),
        ("ninety", 90),
        ("hundred", 100),
        ("thousand", 1000),
    ];
    const ALBANIAN: &[(&str, u64)] = &[
        ("zero", 0),
        ("një", 1),
        ("dy", 2),
        ("tre", 3),
        ("tri", 3),
        ("katër", 4),
        ("pesë", 5),
        ("gjashtë", 6),
        ("shtatë", 7),
        ("tetë", 8),
        ("nëntë", 9),
        ("dhjetë", 10),
        ("njëmbëdhjetë", 11),
        ("dymbëdhjetë", 12),
        ("trembëdhjetë", 13),
        ("katërmbëdhjetë", 14),
        ("pesëmbëdhjetë", 15),
        ("gjashtëmbëdhjetë", 16),
        ("shtatëmbëdhjetë", 17),
        ("tetëmbëdhjetë", 18),
        ("nëntëmbëdhjetë", 19),
        ("njëzet", 20),
        ("tridhjetë", 30),
        ("dyzet", 40),
        ("pesëdhjetë", 50),
        ("gjashtëdhjetë", 60),
        ("shtatëdhjetë", 70),
        ("tetëdhjetë", 80),
        ("nëntëdhjetë", 90),
        ("qind", 100),
        ("njëqind", 100),
        ("dyqind", 200),
        ("treqind", 300),
        ("katërqind", 400),
        ("pesëqind", 500),
        ("gjashtëqind", 600),
        ("shtatëqind", 700),
        ("tetëqind", 800),
        ("nëntëqind", 900),
        ("mijë", 1000),
    ];
    // Serbian and Bosnian, in Latin letters (Cyrillic is read in Latin first), with the
    // inflected forms of one to four.
    const SERBIAN: &[(&str, u64)] = &[
        ("nula", 0),
        ("jedan", 1),
        ("jedna", 1),
        ("jedno", 1),
        ("jednog", 1),
        ("jednom", 1),
        ("jednu", 1),
        ("jednoj", 1),
        ("dva", 2),
        ("dve", 2),
        ("dvije", 2),
        ("dvaju", 2),
        ("dvema", 2),
        ("tri", 3),
        ("triju", 3),
        ("trima", 3),
        ("četiri", 4),
        ("pet", 5),
        ("šest", 6),
        ("sedam", 7),
        ("osam", 8),
        ("devet", 9),
        ("deset", 10),
        ("jedanaest", 11),
        ("dvanaest", 12),
        ("trinaest", 13),
        ("četrnaest", 14),
        ("petnaest", 15),
        ("šesnaest", 16),
        ("sedamnaest", 17),
        ("osamnaest", 18),
        ("devetnaest", 19),
        ("dvadeset", 20),
        ("trideset", 30),
        ("četrdeset", 40),
        ("pedeset", 50),
        ("šezdeset", 60),
        ("sedamdeset", 70),
        ("osamdeset", 80),
        ("devedeset", 90),
        ("sto", 100),
        ("stotinu", 100),
        ("dvesta", 200),
        ("dvjesta", 200),
        ("dvesto", 200),
        ("trista", 300),
        ("tristo", 300),
        ("četiristo", 400),
        ("petsto", 500),
        ("šeststo", 600),
        ("sedamsto", 700),
        ("osamsto", 800),
        ("devetsto", 900),
        ("hiljadu", 1000),
        ("hiljada", 1000),
        ("hiljade", 1000),
        ("tisuću", 1000),
    ];
    const TURKISH: &[(&str, u64)] = &[
        ("sıfır", 0),
        ("bir", 1),
        ("iki", 2),
        ("üç", 3),
        ("dört", 4),
        ("beş", 5),
        ("altı", 6),
        ("yedi", 7),
        ("sekiz", 8),
        ("dokuz", 9),
        ("on", 10),
        ("yirmi", 20),
        ("otuz", 30),
        ("kırk", 40),
        ("elli", 50),
        ("altmış", 60),
        ("yetmiş", 70),
        ("seksen", 80),
        ("doksan", 90),
        ("yüz", 100),
        ("bin", 1000),
    ];
    let table = match lang {
        Lang::En => ENGLISH,
        Lang::Sq => ALBANIAN,
        Lang::Sr | Lang::Bs => SERBIAN,
        Lang::Tr => TURKISH,
    };
    let lowered = cyr_to_lat(&word.to_lowercase()).into_owned();
    table.iter().find(|(name, _)| *name == lowered).map(|(_, value)| *value)
}

/// The word joining the parts of a compound number ("njëzet e një", "dvadeset i jedan",
/// "one hundred and five").
fn number_joiner(word: &str, lang: Lang) -> bool {
    matches!((lang, word), (Lang::Sq, "e") | (Lang::Sr | Lang::Bs, "i" | "и") | (Lang::En, "and"))
}

/// Removes placeholders (`%s`, `%(name)d`, `%1$s`, `{0}`, `{name}`): they are code, and
/// their digits are positions, not numbers.
fn mask_placeholders(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut idx = 0;
    while idx < text.len() {
        let rest = &text[idx..];
        if let Some(after) = rest.strip_prefix('%') {
            let mut end = 1;
            if after.starts_with('(')
                && let Some(close) = rest.find(')')
            {
                end = close + 1;
            }
            while end < rest.len() && (bytes[idx + end].is_ascii_digit() || bytes[idx + end] == b'$' || bytes[idx + end] == b'.') {
                end += 1;
            }
            if end < rest.len() && matches!(bytes[idx + end], b's' | b'd' | b'i' | b'f' | b'u' | b'x' | b'r') {
                out.push_str(&" ".repeat(end + 1));
                idx += end + 1;
                continue;
            }
        }
        if rest.starts_with('{')
            && let Some(close) = rest.find('}')
            && close < 40
            && rest[1..close].chars().all(|c| c.is_alphanumeric() || c == '_' || c == ':')
        {
            out.push_str(&" ".repeat(close + 1));
            idx += close + 1;
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        out.push(c);
        idx += c.len_utf8();
    }
    out
}

/// Language path parts a site puts in its URLs (`/sq/`, `/sr-latn/`, `?lang=en`): the same
/// page in another language is the same link.
fn normalise_url(url: &str) -> String {
    let lowered = url.to_lowercase();
    let lowered = lowered.trim_end_matches(['.', ',', ';', ':', ')', '!', '?', '"', '\'', '»', '”']);
    let mut parts: Vec<&str> = Vec::new();
    for part in lowered.split(['/', '?', '&', '=']) {
        if matches!(part, "sq" | "sr" | "en" | "tr" | "bs" | "sr-latn" | "sr-cyrl" | "sr_latn" | "sr_cyrl" | "lang" | "al" | "rs" | "sr-lat" | "sr-cyr") {
            continue;
        }
        parts.push(part);
    }
    parts.join("/")
}

/// The words of `text` that may be a link, an e-mail address or a file name, with their byte
/// offsets: split at white space and at the quotes and angle brackets of markup, so that
/// `<a href="https://kk.net/sq/">` gives `https://kk.net/sq/` as a browser reads it.
pub(crate) fn link_tokens(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split(|c: char| c.is_whitespace() || matches!(c, '"' | '<' | '>' | '\''))
        .filter(|token| !token.is_empty())
        .map(move |token| (token.as_ptr() as usize - text.as_ptr() as usize, token))
}

/// The invariants of a text.
pub fn invariants(text: &str) -> Vec<Invariant> {
    let masked = mask_placeholders(text);
    let mut found = Vec::new();
    let mut covered = vec![false; masked.len()];
    // URLs and e-mail addresses first: their digits are part of them.
    for (start, token) in link_tokens(&masked) {
        let (start, token) = token.strip_prefix("mailto:").map_or((start, token), |address| (start + "mailto:".len(), address));
        let trimmed =
            token.trim_start_matches(['(', '"', '\'', '«', '„', '“', '<']).trim_end_matches(['.', ',', ';', ':', ')', '!', '?', '"', '\'', '»', '”', '>']);
        let offset = start + token.find(trimmed).unwrap_or(0);
        let lowered = trimmed.to_lowercase();
        let key = if lowered.starts_with("http://") || lowered.starts_with("https://") || lowered.starts_with("www.") {
            Some(format!("url:{}", normalise_url(trimmed.trim_start_matches("https://").trim_start_matches("http://"))))
        } else if trimmed.contains('@') && trimmed.split('@').nth(1).is_some_and(|domain| domain.contains('.')) && !trimmed.starts_with('@') {
            Some(format!("mail:{lowered}"))
        } else {
            None
        };
        if let Some(key) = key {
            covered[offset..offset + trimmed.len()].iter_mut().for_each(|c| *c = true);
            found.push(Invariant { key, start: offset, end: offset + trimmed.len() });
        }
    }
    let chars: Vec<(usize, char)> = masked.char_indices().collect();
    let mut idx = 0;
    while idx < chars.len() {
        let (start, c) = chars[idx];
        if !c.is_ascii_digit() || covered[start] || (idx > 0 && chars[idx - 1].1.is_ascii_digit()) {
            idx += 1;
            continue;
        }
        // Law and act numbers: 02/L-37, 2000/43 (a UNMIK regulation), 03/Л-041.
        let mut end_idx = idx;
        while end_idx < chars.len() && chars[end_idx].1.is_ascii_digit() {
            end_idx += 1;
        }
        if end_idx + 3 < chars.len() && chars[end_idx].1 == '/' && chars[end_idx + 1].1.is_alphabetic() {
            let mut cursor = end_idx + 1;
            while cursor < chars.len() && chars[cursor].1.is_alphabetic() && cursor - end_idx <= 3 {
                cursor += 1;
            }
            if cursor + 1 < chars.len() && chars[cursor].1 == '-' && chars[cursor + 1].1.is_ascii_digit() {
                cursor += 1;
                while cursor < chars.len() && chars[cursor].1.is_ascii_digit() {
                    cursor += 1;
                }
                let end = chars.get(cursor).map_or(masked.len(), |(pos, _)| *pos);
                let key = format!("ref:{}", cyr_to_lat(&masked[start..end]).to_uppercase());
                found.push(Invariant { key, start, end });
                idx = cursor;
                continue;
            }
        }
        // A number: digit groups joined by one separator each (1.000,50; 05.03.2024; 12:30).
        let mut groups: Vec<(String, char)> = Vec::new();
        let mut cursor = idx;
        let mut current = String::new();
        loop {
            while cursor < chars.len() && chars[cursor].1.is_ascii_digit() {
                current.push(chars[cursor].1);
                cursor += 1;
            }
            let separator = chars.get(cursor).map(|(_, c)| *c);
            let next_is_digit = chars.get(cursor + 1).is_some_and(|(_, c)| c.is_ascii_digit());
            match separator {
                Some(sep @ ('.' | ',' | ':' | '/' | '\u{a0}' | '\u{202f}' | ' ')) if next_is_digit => {
                    // A space joins only thousands groups (1 000 000).
                    let thousands_follow = chars[cursor + 1..].iter().take_while(|(_, c)| c.is_ascii_digit()).count() == 3;
                    if matches!(sep, ' ' | '\u{a0}' | '\u{202f}') && (!thousands_follow || current.len() > 3) {
                        groups.push((std::mem::take(&mut current), '\0'));
                        break;
                    }
                    groups.push((std::mem::take(&mut current), sep));
                    cursor += 1;
                }
                _ => {
                    groups.push((std::mem::take(&mut current), '\0'));
                    break;
                }
            }
        }
        let end = chars.get(cursor).map_or(masked.len(), |(pos, _)| *pos);
        let mut atoms = number_atoms(&groups);
        // A 12-hour clock time (6 p.m.) is the same time as its 24-hour form (18 h).
        let after = masked[end..].trim_start().to_ascii_lowercase();
        if atoms.len() <= 2
            && (after.starts_with("p.m.") || after.starts_with("pm"))
            && let Some(hour) = atoms.first().and_then(|h| h.parse::<u64>().ok()).filter(|h| (1..12).contains(h))
        {
            atoms[0] = (hour + 12).to_string();
        }
        for atom in atoms {
            found.push(Invariant { key: format!("n:{atom}"), start, end });
        }
        idx = cursor;
    }
    // Month names next to a number are part of a date.
    let words: Vec<(usize, &str)> = crate::audit::vocabulary::words(&masked).collect();
    for (start, word) in &words {
        let Some(month) = month_number(word) else { continue };
        let before = masked[..*start].trim_end_matches(['.', ' ', ',']).chars().next_back().is_some_and(|c| c.is_ascii_digit());
        let after = masked[start + word.len()..].trim_start_matches(['.', ' ', ',']).chars().next().is_some_and(|c| c.is_ascii_digit());
        if before || after {
            found.push(Invariant { key: format!("n:{month}"), start: *start, end: start + word.len() });
        }
    }
    found.sort_by_key(|inv| inv.start);
    found
}

/// The numbers a run of digit groups stands for: one value for a thousands-grouped number
/// (its decimals apart), else each group (dates, times, decimals) without leading zeros.
fn number_atoms(groups: &[(String, char)]) -> Vec<String> {
    let strip = |digits: &str| -> String {
        let trimmed = digits.trim_start_matches('0');
        if trimmed.is_empty() { "0".to_string() } else { trimmed.to_string() }
    };
    if groups.len() >= 2 {
        let group_sep = groups[0].1;
        let first_ok = (1..=3).contains(&groups[0].0.len());
        let mut thousands = 1;
        while thousands < groups.len() && groups[thousands].0.len() == 3 && groups[thousands - 1].1 == group_sep {
            thousands += 1;
        }
        let decimal_ok = thousands == groups.len() || (thousands + 1 == groups.len() && groups[thousands - 1].1 != group_sep);
        if first_ok && thousands >= 2 && decimal_ok && matches!(group_sep, '.' | ',' | ' ' | '\u{a0}' | '\u{202f}') {
            let whole: String = groups[..thousands].iter().map(|(digits, _)| digits.as_str()).collect();
            let mut atoms = vec![strip(&whole)];
            if thousands < groups.len() {
                atoms.push(strip(&groups[thousands].0));
            }
            return atoms;
        }
    }
    // Whole hours and whole amounts: "12:00" is the "12 часова" of a translation, and
    // "12,00 €" the same sum as "12 €".
    if groups.len() == 2 && groups[1].0 == "00" && matches!(groups[0].1, ':' | '.' | ',') {
        return vec![strip(&groups[0].0)];
    }
    groups.iter().map(|(digits, _)| strip(digits)).collect()
}

fn multiset(invariants: &[Invariant]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for invariant in invariants {
        *counts.entry(invariant.key.clone()).or_insert(0) += 1;
    }
    counts
}

/// The numbers `text`, written in `lang`, spells as words: each run of number words (with
/// its joiners, and hyphens inside a word) is one number ("twenty-one" 21, "dy mijë" 2000).
fn spelled_numbers(text: &str, lang: Lang) -> Vec<u64> {
    let mut numbers = Vec::new();
    // The number being read: the thousands done, the part below a thousand, and whether a
    // joiner was the last word.
    let mut run: Option<(u64, u64)> = None;
    let mut joined = false;
    fn finish(run: &mut Option<(u64, u64)>, numbers: &mut Vec<u64>) {
        if let Some((thousands, rest)) = run.take() {
            numbers.push(thousands + rest);
        }
    }
    for (_, word) in crate::audit::vocabulary::words(text) {
        let lowered = word.to_lowercase();
        if run.is_some() && !joined && number_joiner(&lowered, lang) {
            joined = true;
            continue;
        }
        let parts: Vec<Option<u64>> = lowered.split('-').map(|part| number_word(part, lang)).collect();
        if parts.is_empty() || parts.iter().any(Option::is_none) {
            finish(&mut run, &mut numbers);
            joined = false;
            continue;
        }
        for value in parts.into_iter().flatten() {
            let (thousands, rest) = run.get_or_insert((0, 0));
            match value {
                1000 => {
                    *thousands += (*rest).max(1) * 1000;
                    *rest = 0;
                }
                100 => *rest = (*rest).max(1) * 100,
                // A smaller part follows a larger one (twenty one, sto pet); otherwise a new
                // number starts (pet šest).
                value if *rest == 0 || *rest % 10 == 0 && value < 10 || *rest % 100 == 0 && value < 100 => *rest += value,
                value => {
                    let done = *thousands + *rest;
                    numbers.push(done);
                    *thousands = 0;
                    *rest = value;
                }
            }
        }
        joined = false;
    }
    finish(&mut run, &mut numbers);
    numbers
}

/// Keys in `a` beyond `b` (with multiplicity).
fn excess(a: &BTreeMap<String, usize>, b: &BTreeMap<String, usize>) -> Vec<String> {
    let mut out = Vec::new();
    for (key, count) in a {
        let other = b.get(key).copied().unwrap_or(0);
        for _ in other..*count {
            out.push(key.clone());
        }
    }
    out
}

/// Drops differences that a spelled-out number explains.
fn unexplained(keys: Vec<String>, spelled: &[u64]) -> Vec<String> {
    let mut spelled = spelled.to_vec();
    keys.into_iter()
        .filter(|key| {
            let value = key.strip_prefix("n:").and_then(|v| v.parse::<u64>().ok());
            match value.and_then(|v| spelled.iter().position(|s| *s == v)) {
                Some(pos) => {
                    spelled.remove(pos);
                    false
                }
                None => true,
            }
        })
        .collect()
}

fn shown(key: &str) -> &str {
    key.split_once(':').map_or(key, |(_, value)| value)
}

impl Check for NumberMismatch {
    fn about(&self) -> About {
        About { id: "number-mismatch", severity: Severity::Error, category: Category::Consistency, scope: Scope::Versions }
    }

    fn summary(&self) -> Localized {
        Localized {
            en: "Numbers, dates or law references differ between the versions",
            sq: "Numrat, datat ose referencat ligjore ndryshojnë midis versioneve",
            sr: "Brojevi, datumi ili pozivi na zakone se razlikuju između verzija",
        }
    }

    fn docs(&self) -> &'static str {
        "Compares, for every aligned segment, the invariants of its versions as multisets: numbers (thousands \
         separators and decimal commas normalised: 1.000,50 = 1,000.50), dates (05.03.2024 = 5 March 2024 = 5 mars \
         2024), times, amounts, law and act numbers (02/L-37, 2000/43; Cyrillic Л read as L). The digits of e-mail addresses \
         and URLs are not numbers (the addresses are url-mismatch's). Placeholders such as %s or {0} are code, not numbers. \
         Month names count in any case, capitals and script (u maju, 15. marta, të majit, у октобру), and a number \
         written in words in one version (pesëmbëdhjetë, dvadeset i jedan, twenty-one, up to the thousands) is the same \
         as its digits in another. When versions disagree, the finding goes to the \
         version that differs from the others; with two versions, to the translation (not the `source` version of the \
         configuration, by default Albanian), naming the original.\n\n\
         **Why** a deadline, an amount or a law number that differs between language versions makes them conflicting \
         legal texts; conflicting versions of legislation are a documented problem (DOMAIN.md V5, D4).\n\n\
         **Bad** sq: `Afati është 15 ditë sipas Ligjit 02/L-37.` sr: `Rok je 5 dana prema Zakonu 02/L-37.`\n\n\
         **Good** sr: `Rok je 15 dana prema Zakonu 02/L-37.`"
    }

    fn run(&self, ctx: &AuditContext<'_>, out: &mut Vec<Finding>) {
        for row in &ctx.rows {
            let members: Vec<(usize, usize)> = row
                .iter()
                .enumerate()
                .filter_map(|(version, cell)| cell.map(|segment| (version, segment)))
                .filter(|&(version, segment)| {
                    let seg = &ctx.versions[version].segments[segment];
                    !seg.damaged && seg.foreign.is_none()
                })
                .collect();
            if members.len() < 2 {
                continue;
            }
            // Links and e-mail addresses are url-mismatch's.
            let found: Vec<Vec<Invariant>> = members
                .iter()
                .map(|&(v, s)| ctx.invariants(v, s).iter().filter(|inv| !super::url_mismatch::is_link_key(&inv.key)).cloned().collect())
                .collect();
            let sets: Vec<BTreeMap<String, usize>> = found.iter().map(|inv| multiset(inv)).collect();
            if sets.iter().all(|set| *set == sets[0]) {
                continue;
            }
            // The reference: the set most versions share; else the original's; else the first.
            let majority = (0..sets.len()).find(|&i| sets.iter().filter(|set| **set == sets[i]).count() >= 2);
            let original = ctx.original();
            let reference = majority.unwrap_or_else(|| members.iter().position(|&(v, _)| v == original).unwrap_or(0));
            for (member_idx, &(version, segment)) in members.iter().enumerate() {
                if sets[member_idx] == sets[reference] {
                    continue;
                }
                let text = &ctx.versions[version].segments[segment].text;
                let reference_text = &ctx.versions[members[reference].0].segments[members[reference].1].text;
                let reference_lang = ctx.versions[members[reference].0].lang();
                let extra = unexplained(excess(&sets[member_idx], &sets[reference]), &spelled_numbers(reference_text, reference_lang));
                let lacking = unexplained(excess(&sets[reference], &sets[member_idx]), &spelled_numbers(text, ctx.versions[version].lang()));
                if extra.is_empty() && lacking.is_empty() {
                    continue;
                }
                let reference_lang = reference_lang.code();
                let mut parts = Vec::new();
                if !extra.is_empty() {
                    parts.push(format!("has {}", extra.iter().map(|k| shown(k)).collect::<Vec<_>>().join(", ")));
                }
                if !lacking.is_empty() {
                    parts.push(format!("lacks {}", lacking.iter().map(|k| shown(k)).collect::<Vec<_>>().join(", ")));
                }
                let span = extra.first().and_then(|key| found[member_idx].iter().find(|inv| &inv.key == key)).map(|inv| (inv.start, inv.end));
                let suggestion = if extra.len() == 1 && lacking.len() == 1 && extra[0].starts_with("n:") == lacking[0].starts_with("n:") {
                    span.map(|(start, end)| format!("{}{}{}", &text[..start], shown(&lacking[0]), &text[end..]))
                } else {
                    None
                };
                // Replacing a whole date or grouped number with one atom would be wrong.
                let suggestion = suggestion.filter(|_| span.is_some_and(|(start, end)| text[start..end].chars().all(|c| c.is_ascii_digit())));
                out.push(ctx.finding(
                    version,
                    segment,
                    span,
                    format!("the invariants differ from the {reference_lang} version: this version {}", parts.join(" and ")),
                    suggestion,
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::checks::tests::expect;

    fn keys(text: &str) -> Vec<String> {
        invariants(text).into_iter().map(|inv| inv.key).collect()
    }

    #[test]
    fn extraction() {
        assert_eq!(keys("Ligji Nr. 02/L-37, neni 5"), vec!["ref:02/L-37", "n:5"]);
        assert_eq!(keys("Закон бр. 02/Л-37"), vec!["ref:02/L-37"]);
        assert_eq!(keys("1.000,50 € dhe 1,000.50"), vec!["n:1000", "n:50", "n:1000", "n:50"]);
        assert_eq!(keys("më 05.03.2024 në 12:30"), vec!["n:5", "n:3", "n:2024", "n:12", "n:30"]);
        assert_eq!(keys("on 5 March 2024"), vec!["n:5", "n:3", "n:2024"]);
        assert_eq!(keys("%(count)d of %1$s items {0}"), Vec::<String>::new());
        assert_eq!(keys("Shkruani në info@rks-gov.net ose https://kk.rks-gov.net/sq/junik/"), vec!["mail:info@rks-gov.net", "url:kk.rks-gov.net/junik/"]);
        assert_eq!(keys("https://kk.rks-gov.net/sr/junik/"), vec!["url:kk.rks-gov.net/junik/"]);
        assert_eq!(keys("1 000 000 banorë"), vec!["n:1000000"]);
        assert_eq!(keys("You may enter 3 values"), vec!["n:3"]);
        assert_eq!(keys("6 p.m."), keys("18ч"));
    }

    #[test]
    fn months_in_every_case_capitals_and_script() {
        for (text, month) in [
            ("u maju 2021", 5),
            ("u Junu 2021", 6),
            ("15. marta 2021", 3),
            ("до 1. септембра 2024", 9),
            ("у октобру 2023", 10),
            ("në maj 2021", 5),
            ("më 12 dhjetor 2021", 12),
            ("më 12 Dhjetor 2021", 12),
            ("deri më 5 të majit 2021", 5),
            ("në fund të korrikut 2022", 7),
            ("on 5 Sept. 2024", 9),
        ] {
            assert!(keys(text).contains(&format!("n:{month}")), "{text}: {:?}", keys(text));
        }
        // Not a month away from a number, and not a month when the word only starts like one.
        assert_eq!(keys("u maju"), Vec::<String>::new());
        assert_eq!(keys("marshuti 2021"), vec!["n:2021"]);
    }

    #[test]
    fn numbers_in_words() {
        assert_eq!(spelled_numbers("Afati është pesëmbëdhjetë ditë", Lang::Sq), [15]);
        assert_eq!(spelled_numbers("njëzet e një anëtarë dhe dy mijë banorë", Lang::Sq), [21, 2000]);
        assert_eq!(spelled_numbers("Rok je dvadeset i jedan dan", Lang::Sr), [21]);
        assert_eq!(spelled_numbers("Рок је петнаест дана, сто пет евра", Lang::Sr), [15, 105]);
        assert_eq!(spelled_numbers("twenty-one days and one hundred and five euro", Lang::En), [21, 105]);
        assert_eq!(spelled_numbers("on beş gün", Lang::Tr), [15]);
        // A word is a number only in its own language: English "on" and "pet" are not.
        assert_eq!(spelled_numbers("Click on the pet", Lang::En), Vec::<u64>::new());
    }

    #[test]
    fn digits_and_words_for_the_same_number_agree() {
        expect(
            "number-mismatch",
            &[
                ("sq", "Afati është pesëmbëdhjetë ditë nga data e vendimit.\nKuvendi ka njëzet e një anëtarë."),
                ("sr", "Rok je 15 dana od dana donošenja odluke.\nSkupština ima 21 člana."),
                ("en", "The deadline is fifteen days from the date of the decision.\nThe assembly has twenty-one members."),
            ],
        );
        expect(
            "number-mismatch",
            &[("sq", "Seanca mbahet më 12 maj 2021."), ("sr", "Седница се одржава 12. маја 2021."), ("en", "The session is held on 12 May 2021.")],
        );
    }

    #[test]
    fn a_changed_number_in_one_version() {
        expect(
            "number-mismatch",
            &[
                ("sq", "Komuna: Kamenicë\nAi numër faqeje është më i vogël se 1\nAfati është 15 ditë sipas Ligjit 02/L-37."),
                ("sr", "Општина: Каменица\nЗадати број стране је мањи од 1\nRok je ⟦5⟧ dana prema Zakonu 02/L-37."),
                ("en", "Municipality: Kamenicë\nThat page number is less than 1\nThe deadline is 15 days under Law 02/L-37."),
            ],
        );
    }

    #[test]
    fn equal_invariants_in_other_notations_are_clean() {
        expect(
            "number-mismatch",
            &[
                ("sq", "Shuma prej 1.500,00 euro paguhet më 05.03.2024.\nDy fusha për fjalëkalim.\nShih https://kk.rks-gov.net/sq/faqja"),
                ("sr", "Iznos od 1.500,00 evra plaća se 5. marta 2024.\nDva polja za lozinku.\nVidi https://kk.rks-gov.net/sr/faqja"),
                ("en", "The amount of 1,500.00 euro is paid on 5 March 2024.\nThe 2 password fields.\nSee https://kk.rks-gov.net/en/faqja"),
            ],
        );
    }

    #[test]
    fn whole_hours_and_amounts_are_their_number() {
        let keys = |text: &str| invariants(text).into_iter().map(|inv| inv.key).collect::<Vec<_>>();
        assert_eq!(keys("në orën 12:00"), ["n:12"]);
        assert_eq!(keys("у 12 часова"), ["n:12"]);
        assert_eq!(keys("12,00 €"), ["n:12"]);
        assert_eq!(keys("në orën 12:30"), ["n:12", "n:30"]);
        assert_eq!(keys("12.000 €"), ["n:12000"]);
    }

    proptest::proptest! {
        #[test]
        fn invariants_point_into_the_text(text in "([0-9.,:/\\-]{1,6}|https?://[a-z./0-9]{0,8}|[a-z]{1,4}@[a-z]{1,3}\\.[a-z]{2}|%[sd]|\\{[a-z0-9]{0,3}\\}|[ (\"«»<>]|[a-zëЖ]{1,4}|Neni|Ligji|nr\\.){0,20}") {
            for invariant in invariants(&text) {
                proptest::prop_assert!(invariant.start <= invariant.end && invariant.end <= text.len(), "{:?}", invariant.key);
                proptest::prop_assert!(text.is_char_boundary(invariant.start) && text.is_char_boundary(invariant.end));
            }
        }

        #[test]
        fn never_panics(text in "\\PC{0,120}") {
            let _ = invariants(&text);
        }
    }
}
