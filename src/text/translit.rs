//! Serbian transliteration between Cyrillic (Vuk's alphabet) and Latin (Gaj's alphabet).
//!
//! Cyrillic→Latin is one-to-one: each of the 30 letters has one Latin letter or digraph
//! (љ→lj, њ→nj, џ→dž). The only choice is the case of a digraph: ЊЕГОШ (all caps) becomes
//! NJEGOŠ, Његош (title case) becomes Njegoš.
//!
//! Latin→Cyrillic treats lj, nj and dž as single letters (Pravopis srpskoga jezika, Matica
//! srpska, §§ on the Latin alphabet), except in the known words where they are two letters
//! because a prefix meets a root or a foreign word has n+j (nadživeti, injekcija, konjunkcija,
//! odžaliti…, see [`SPLIT_DIGRAPH_STEMS`]). It leaves alone what is not Serbian words: URLs,
//! e-mail addresses, tokens with digits ("02/L-37"), Roman numerals (XII) and foreign words
//! (letters q, w, x, y, or non-Serbian diacritics such as ë ç ä ü).

use std::borrow::Cow;

/// Cyrillic letters and their Latin forms (lower case). One entry a line.
const CYR_TO_LAT: &[(char, &str)] = &[
    ('а', "a"),  // CYRILLIC SMALL LETTER A
    ('б', "b"),  // CYRILLIC SMALL LETTER BE
    ('в', "v"),  // CYRILLIC SMALL LETTER VE
    ('г', "g"),  // CYRILLIC SMALL LETTER GHE
    ('д', "d"),  // CYRILLIC SMALL LETTER DE
    ('ђ', "đ"),  // CYRILLIC SMALL LETTER DJE
    ('е', "e"),  // CYRILLIC SMALL LETTER IE
    ('ж', "ž"),  // CYRILLIC SMALL LETTER ZHE
    ('з', "z"),  // CYRILLIC SMALL LETTER ZE
    ('и', "i"),  // CYRILLIC SMALL LETTER I
    ('ј', "j"),  // CYRILLIC SMALL LETTER JE
    ('к', "k"),  // CYRILLIC SMALL LETTER KA
    ('л', "l"),  // CYRILLIC SMALL LETTER EL
    ('љ', "lj"), // CYRILLIC SMALL LETTER LJE
    ('м', "m"),  // CYRILLIC SMALL LETTER EM
    ('н', "n"),  // CYRILLIC SMALL LETTER EN
    ('њ', "nj"), // CYRILLIC SMALL LETTER NJE
    ('о', "o"),  // CYRILLIC SMALL LETTER O
    ('п', "p"),  // CYRILLIC SMALL LETTER PE
    ('р', "r"),  // CYRILLIC SMALL LETTER ER
    ('с', "s"),  // CYRILLIC SMALL LETTER ES
    ('т', "t"),  // CYRILLIC SMALL LETTER TE
    ('ћ', "ć"),  // CYRILLIC SMALL LETTER TSHE
    ('у', "u"),  // CYRILLIC SMALL LETTER U
    ('ф', "f"),  // CYRILLIC SMALL LETTER EF
    ('х', "h"),  // CYRILLIC SMALL LETTER HA
    ('ц', "c"),  // CYRILLIC SMALL LETTER TSE
    ('ч', "č"),  // CYRILLIC SMALL LETTER CHE
    ('џ', "dž"), // CYRILLIC SMALL LETTER DZHE
    ('ш', "š"),  // CYRILLIC SMALL LETTER SHA
];

/// Latin form of a lower-case Serbian Cyrillic letter.
pub(crate) fn cyr_lower_to_lat(c: char) -> Option<&'static str> {
    CYR_TO_LAT.iter().find(|entry| entry.0 == c).map(|entry| entry.1)
}

/// True for the 60 letters of the Serbian Cyrillic alphabet (both cases).
pub fn is_serbian_cyrillic_letter(c: char) -> bool {
    let lower = c.to_lowercase().next().unwrap_or(c);
    cyr_lower_to_lat(lower).is_some()
}

/// Writes the Latin form of Cyrillic `c` into `out`; `all_caps` chooses LJ over Lj.
fn push_latin(c: char, all_caps: bool, out: &mut String) -> bool {
    if let Some(latin) = cyr_lower_to_lat(c) {
        out.push_str(latin);
        return true;
    }
    let mut lower = c.to_lowercase();
    let (Some(lower_c), None) = (lower.next(), lower.next()) else { return false };
    let Some(latin) = cyr_lower_to_lat(lower_c) else { return false };
    let mut letters = latin.chars();
    if let Some(first) = letters.next() {
        out.extend(first.to_uppercase());
    }
    for rest in letters {
        if all_caps { out.extend(rest.to_uppercase()) } else { out.push(rest) }
    }
    true
}

/// Transliterates Serbian Cyrillic to Latin; other characters pass through.
///
/// ```
/// use termbridge::text::cyr_to_lat;
/// assert_eq!(cyr_to_lat("Љубљана, Њујорк, џемпер"), "Ljubljana, Njujork, džemper");
/// assert_eq!(cyr_to_lat("ЊЕГОШ и Његош"), "NJEGOŠ i Njegoš");
/// ```
pub fn cyr_to_lat(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_serbian_cyrillic_letter) {
        return Cow::Borrowed(text);
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for (idx, &c) in chars.iter().enumerate() {
        // A capital digraph letter is written all-caps when a neighbour in the same word is
        // a capital too (ЉУБЉАНА → LJUBLJANA), title-case otherwise (Љубљана → Ljubljana).
        let next_upper = chars.get(idx + 1).is_some_and(|n| n.is_uppercase());
        let next_letter = chars.get(idx + 1).is_some_and(|n| n.is_alphabetic());
        let prev_upper = idx > 0 && chars[idx - 1].is_uppercase();
        let all_caps = next_upper || (!next_letter && prev_upper);
        if !push_latin(c, all_caps, &mut out) {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Lower-case Latin letters and digraphs of Serbian and their Cyrillic letters.
/// Digraphs come first so that the longest match wins.
const LAT_TO_CYR: &[(&str, char)] = &[
    ("dž", 'џ'),
    ("lj", 'љ'),
    ("nj", 'њ'),
    ("a", 'а'),
    ("b", 'б'),
    ("c", 'ц'),
    ("č", 'ч'),
    ("ć", 'ћ'),
    ("d", 'д'),
    ("đ", 'ђ'),
    ("e", 'е'),
    ("f", 'ф'),
    ("g", 'г'),
    ("h", 'х'),
    ("i", 'и'),
    ("j", 'ј'),
    ("k", 'к'),
    ("l", 'л'),
    ("m", 'м'),
    ("n", 'н'),
    ("o", 'о'),
    ("p", 'п'),
    ("r", 'р'),
    ("s", 'с'),
    ("š", 'ш'),
    ("t", 'т'),
    ("u", 'у'),
    ("v", 'в'),
    ("z", 'з'),
    ("ž", 'ж'),
];

/// Word stems (lower case) in which l+j, n+j or d+ž are two letters, not one digraph,
/// because a prefix meets a root (nad-živeti, od-žaliti, pod-žanr) or the word is a loan with
/// n+j (in-jekcija, kon-junkcija). A word that starts with a stem keeps those pairs apart.
/// Sources: Pravopis srpskoga jezika (Matica srpska), the rule on prefixes ending in -d
/// before ž and on loan words with n+j.
pub const SPLIT_DIGRAPH_STEMS: &[&str] = &[
    "nadžanj",
    "nadžive",
    "nadživi",
    "nadživj",
    "nadžnje",
    "nadžup",
    "odžali",
    "odžive",
    "odživi",
    "odžvak",
    "podžanr",
    "podžup",
    "predživot",
    "injekc",
    "injekt",
    "injunkc",
    "konjugac",
    "konjunk",
    "konjekt",
    "vanjezi",
    "tanjug",
];

fn is_roman_numeral(token: &str) -> bool {
    if token.len() < 2 || !token.chars().all(|c| "IVXLCDM".contains(c)) {
        return false;
    }
    // Validate by parsing and re-rendering: only canonical numerals (XII, not IIX) count.
    let value = |c| match c {
        'I' => 1,
        'V' => 5,
        'X' => 10,
        'L' => 50,
        'C' => 100,
        'D' => 500,
        _ => 1000,
    };
    let digits: Vec<u32> = token.chars().map(value).collect();
    let mut total = 0u32;
    for (idx, &digit) in digits.iter().enumerate() {
        if digits.get(idx + 1).is_some_and(|&next| next > digit) { total = total.saturating_sub(digit) } else { total += digit }
    }
    if total == 0 || total >= 4000 {
        return false;
    }
    let table =
        [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")];
    let mut rest = total;
    let mut canonical = String::new();
    for (amount, symbol) in table {
        while rest >= amount {
            canonical.push_str(symbol);
            rest -= amount;
        }
    }
    canonical == token
}

/// True when a whitespace-delimited token must be left in Latin letters.
fn keep_latin(token: &str) -> bool {
    let core = token.trim_matches(|c: char| !c.is_alphanumeric());
    if core.is_empty() {
        return false;
    }
    let lower = core.to_lowercase();
    lower.contains("://")
        || lower.starts_with("www.")
        || core.contains('@')
        || core.chars().any(|c| c.is_ascii_digit())
        || is_roman_numeral(core)
        || core.chars().filter(|c| c.is_alphabetic()).any(|c| {
            let lower = c.to_lowercase().next().unwrap_or(c);
            !(LAT_TO_CYR.iter().any(|(latin, _)| latin.starts_with(lower) && latin.chars().count() == 1))
        })
}

/// Transliterates one word (a run of letters) into `out`.
fn word_to_cyr(word: &str, out: &mut String) {
    let lower: String = word.to_lowercase();
    // Number of leading characters in which digraphs stay split.
    let split_chars = SPLIT_DIGRAPH_STEMS.iter().find(|stem| lower.starts_with(*stem)).map_or(0, |stem| stem.chars().count());
    let chars: Vec<char> = word.chars().collect();
    let lower_chars: Vec<char> = lower.chars().collect();
    if chars.len() != lower_chars.len() {
        // Case mapping changed the length (not a Serbian word); leave it alone.
        out.push_str(word);
        return;
    }
    let mut idx = 0;
    while idx < chars.len() {
        let mut matched = false;
        for (latin, cyrillic) in LAT_TO_CYR {
            let len = latin.chars().count();
            if len == 2 && idx + 1 < split_chars {
                continue;
            }
            if idx + len <= chars.len() && lower_chars[idx..idx + len].iter().copied().eq(latin.chars()) {
                // A digraph is one letter only when its second half is not a capital after a
                // small first half ("nJ" is two letters).
                if len == 2 && chars[idx].is_lowercase() && chars[idx + 1].is_uppercase() {
                    continue;
                }
                if chars[idx].is_uppercase() {
                    out.extend(cyrillic.to_uppercase());
                } else {
                    out.push(*cyrillic);
                }
                idx += len;
                matched = true;
                break;
            }
        }
        if !matched {
            out.push(chars[idx]);
            idx += 1;
        }
    }
}

/// Transliterates Serbian Latin to Cyrillic, leaving URLs, e-mail addresses, codes with
/// digits, Roman numerals and foreign words as they are.
///
/// ```
/// use termbridge::text::lat_to_cyr;
/// assert_eq!(lat_to_cyr("Ljubljana, Njujork, džemper"), "Љубљана, Њујорк, џемпер");
/// assert_eq!(lat_to_cyr("LJUBLJANA"), "ЉУБЉАНА");
/// assert_eq!(lat_to_cyr("nadživeti"), "надживети");
/// assert_eq!(lat_to_cyr("Zakon 02/L-37, član XII, www.rks-gov.net"), "Закон 02/L-37, члан XII, www.rks-gov.net");
/// ```
pub fn lat_to_cyr(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c.is_ascii_alphabetic() || "čćđšžČĆĐŠŽ".contains(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() * 2);
    for token in text.split_inclusive(char::is_whitespace) {
        if keep_latin(token) {
            out.push_str(token);
            continue;
        }
        let mut word = String::new();
        for c in token.chars() {
            if c.is_alphabetic() {
                word.push(c);
            } else {
                if !word.is_empty() {
                    word_to_cyr(&word, &mut out);
                    word.clear();
                }
                out.push(c);
            }
        }
        if !word.is_empty() {
            word_to_cyr(&word, &mut out);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(cyrillic: &str, latin: &str) {
        assert_eq!(cyr_to_lat(cyrillic), latin, "cyr→lat {cyrillic}");
        assert_eq!(lat_to_cyr(latin), cyrillic, "lat→cyr {latin}");
    }

    #[test]
    fn both_directions() {
        check("Љубљана, Њујорк, џемпер", "Ljubljana, Njujork, džemper");
        check("ЉУБЉАНА", "LJUBLJANA");
        check("ЊЕГОШ", "NJEGOŠ");
        check("Његош", "Njegoš");
        check("Приштина", "Priština");
        check("Ђаковица", "Đakovica");
        check("Урошевац", "Uroševac");
        check("надживети", "nadživeti");
        check("инјекција", "injekcija");
        check("конјункција", "konjunkcija");
        check("оджалити", "odžaliti");
        check("Танјуг", "Tanjug");
        check("ЏЕП и Џеп", "DŽEP i Džep");
    }

    #[test]
    fn leaves_non_serbian_tokens() {
        for text in ["https://kk.rks-gov.net/prishtine", "info@rks-gov.net", "02/L-37", "XIV", "Windows", "Prishtinë"] {
            assert_eq!(lat_to_cyr(text), text, "{text}");
        }
    }
}
