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

/// Month names (and their common inflections) in the audited languages, as month numbers:
/// a date written "5 March 2024" must match "05.03.2024".
const MONTHS: &[(&str, u64)] = &[
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("janar", 1),
    ("janarit", 1),
    ("shkurt", 2),
    ("shkurtit", 2),
    ("mars", 3),
    ("marsit", 3),
    ("prill", 4),
    ("prillit", 4),
    ("maj", 5),
    ("majit", 5),
    ("qershor", 6),
    ("qershorit", 6),
    ("korrik", 7),
    ("korrikut", 7),
    ("gusht", 8),
    ("gushtit", 8),
    ("shtator", 9),
    ("shtatorit", 9),
    ("tetor", 10),
    ("tetorit", 10),
    ("nëntor", 11),
    ("nëntorit", 11),
    ("dhjetor", 12),
    ("dhjetorit", 12),
    ("januar", 1),
    ("januara", 1),
    ("februar", 2),
    ("februara", 2),
    ("mart", 3),
    ("marta", 3),
    ("aprila", 4),
    ("maja", 5),
    ("jun", 6),
    ("juna", 6),
    ("jul", 7),
    ("jula", 7),
    ("avgust", 8),
    ("avgusta", 8),
    ("septembar", 9),
    ("septembra", 9),
    ("oktobar", 10),
    ("oktobra", 10),
    ("novembar", 11),
    ("novembra", 11),
    ("decembar", 12),
    ("decembra", 12),
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

/// Number words from one to twelve, which a translation may write instead of digits.
const NUMBER_WORDS: &[(&str, u64)] = &[
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
    ("jedan", 1),
    ("jedna", 1),
    ("jedno", 1),
    ("jednog", 1),
    ("jednom", 1),
    ("dva", 2),
    ("dve", 2),
    ("dvije", 2),
    ("tri", 3),
    ("četiri", 4),
    ("pet", 5),
    ("šest", 6),
    ("sedam", 7),
    ("osam", 8),
    ("devet", 9),
    ("deset", 10),
    ("jedanaest", 11),
    ("dvanaest", 12),
    ("bir", 1),
    ("iki", 2),
    ("üç", 3),
    ("dört", 4),
    ("beş", 5),
    ("altı", 6),
    ("yedi", 7),
    ("sekiz", 8),
    ("dokuz", 9),
];

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

/// The invariants of a text.
pub fn invariants(text: &str) -> Vec<Invariant> {
    let masked = mask_placeholders(text);
    let mut found = Vec::new();
    let mut covered = vec![false; masked.len()];
    // URLs and e-mail addresses first: their digits are part of them.
    for (start, token) in masked.split_whitespace().map(|t| (t.as_ptr() as usize - masked.as_ptr() as usize, t)) {
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
        let lowered = cyr_to_lat(&word.to_lowercase()).into_owned();
        let Some((_, month)) = MONTHS.iter().find(|(name, _)| *name == lowered) else { continue };
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
    groups.iter().map(|(digits, _)| strip(digits)).collect()
}

fn multiset(invariants: &[Invariant]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for invariant in invariants {
        *counts.entry(invariant.key.clone()).or_insert(0) += 1;
    }
    counts
}

/// The numbers one to twelve that `text` writes as words.
fn spelled_numbers(text: &str) -> Vec<u64> {
    crate::audit::vocabulary::words(text)
        .filter_map(|(_, word)| {
            let lowered = cyr_to_lat(&word.to_lowercase()).into_owned();
            NUMBER_WORDS.iter().find(|(name, _)| *name == lowered).map(|(_, value)| *value)
        })
        .collect()
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
         and URLs are not numbers (the addresses are url-mismatch's). Placeholders such as %s or {0} are code, not numbers, \
         and a number from one to twelve may be written as a word. When versions disagree, the finding goes to the \
         version that differs from the others (with two versions: to the one that is not Albanian).\n\n\
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
                .map(|&(v, s)| invariants(&ctx.versions[v].segments[s].text).into_iter().filter(|inv| !super::url_mismatch::is_link_key(&inv.key)).collect())
                .collect();
            let sets: Vec<BTreeMap<String, usize>> = found.iter().map(|inv| multiset(inv)).collect();
            if sets.iter().all(|set| *set == sets[0]) {
                continue;
            }
            // The reference: the set most versions share; else the Albanian version's; else the first.
            let majority = (0..sets.len()).find(|&i| sets.iter().filter(|set| **set == sets[i]).count() >= 2);
            let reference = majority.unwrap_or_else(|| members.iter().position(|&(v, _)| ctx.versions[v].lang() == Lang::Sq).unwrap_or(0));
            for (member_idx, &(version, segment)) in members.iter().enumerate() {
                if sets[member_idx] == sets[reference] {
                    continue;
                }
                let text = &ctx.versions[version].segments[segment].text;
                let reference_text = &ctx.versions[members[reference].0].segments[members[reference].1].text;
                let extra = unexplained(excess(&sets[member_idx], &sets[reference]), &spelled_numbers(reference_text));
                let lacking = unexplained(excess(&sets[reference], &sets[member_idx]), &spelled_numbers(text));
                if extra.is_empty() && lacking.is_empty() {
                    continue;
                }
                let reference_lang = ctx.versions[members[reference].0].lang().code();
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
