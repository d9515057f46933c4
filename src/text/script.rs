//! Script detection per word and per segment, homoglyphs, and Cyrillic letters that are not
//! Serbian (DOMAIN.md, check D6).
//!
//! [`analyze`] splits a text into words (Unicode word boundaries, also cut at "_" and ".", so
//! "Нокс_IN" and "Превучено.txt" are two words each; markup and placeholders such as "%s",
//! "<b>" and "&amp;" are no words) and gives each word its [`Script`]: `Latn`, `Cyrl`, `Mixed` (letters of both) or `Other` (no letter of either). In
//! each word it reports the letters that do not belong, with their byte offset and character
//! index in the text and the letter to put instead:
//! - a Latin look-alike inside a Cyrillic word ("Приштинa" with U+0061 LATIN SMALL LETTER A),
//!   and the reverse ("Priština" with U+0430 CYRILLIC SMALL LETTER A);
//! - any other letter of the other script inside a word ("Priшtina"), with its transliteration;
//! - a whole word made of look-alikes in text of the other script (Latin "y" for the
//!   preposition "у", "je" for "је" in Cyrillic text), when it is in small letters or title
//!   case and stands between spaces or punctuation (capitals such as "X" or "CT" are symbols);
//! - Cyrillic letters outside the 30 of the Serbian alphabet (ё й щ ъ ы ь э ю я ѓ ќ є і ї ґ ў
//!   ѕ…), with the Serbian letter they usually stand for where there is one.
//!
//! A segment's script is `Mixed` when it has a mixed word or words of both scripts, so a
//! Cyrillic text quoting "www.rks-gov.net" is mixed: the report's word counts let a check
//! decide what it tolerates. Deliberately not done: scripts other than Latin and Cyrillic
//! (Greek look-alikes count as `Other`), and deciding the language of a word.

use std::ops::Range;

use serde::Serialize;
use unicode_segmentation::UnicodeSegmentation;

use super::translit::{cyr_to_lat, is_serbian_cyrillic_letter, is_serbian_latin_letter, lat_to_cyr, markup_ranges};

/// The writing system of a word or segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Script {
    /// Latin letters only.
    Latn,
    /// Cyrillic letters only.
    Cyrl,
    /// Latin and Cyrillic letters in one word (or, for a segment, words of both scripts).
    Mixed,
    /// No Latin or Cyrillic letter.
    Other,
}

impl Script {
    /// The ISO 15924 code as reports write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Script::Latn => "Latn",
            Script::Cyrl => "Cyrl",
            Script::Mixed => "Mixed",
            Script::Other => "Other",
        }
    }
}

/// `char::is_alphabetic`, with the letters of Albanian, Serbian (both scripts) and English
/// answered from their code point ranges: for a letter outside ASCII the standard library
/// searches a table, and the audit asks for every character of every segment several times.
///
/// ```
/// use termbridge::text::script::is_letter;
/// assert!(is_letter('ë') && is_letter('ђ') && is_letter('ǅ') && is_letter('ª'));
/// assert!(!is_letter('×') && !is_letter('҂') && !is_letter('7') && !is_letter('„'));
/// ```
#[inline]
pub fn is_letter(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' => true,
        '\0'..='\u{7F}' => false,
        // LATIN CAPITAL LETTER A WITH GRAVE .. LATIN SMALL LETTER Y WITH DIAERESIS but × and ÷,
        // Latin Extended-A and -B (every code point a letter).
        '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{24F}' => true,
        // CYRILLIC CAPITAL LETTER IE WITH GRAVE .. CYRILLIC SMALL LETTER KOPPA, and CYRILLIC
        // CAPITAL LETTER SHORT I WITH TAIL .. the end of Cyrillic Supplement (between them the
        // thousands sign and the combining marks, which are not letters).
        '\u{400}'..='\u{481}' | '\u{48A}'..='\u{52F}' => true,
        _ => c.is_alphabetic(),
    }
}

/// True for a letter of the Latin script (Basic Latin, Latin-1, Latin Extended-A/B and
/// Additional, fullwidth forms).
pub fn is_latin_letter(c: char) -> bool {
    is_letter(c)
        && matches!(c, 'A'..='Z' | 'a'..='z' | '\u{00AA}' | '\u{00BA}' | '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}' | '\u{2C60}'..='\u{2C7F}' | '\u{A720}'..='\u{A7FF}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}')
        && c != '\u{00D7}'
        && c != '\u{00F7}'
}

/// True for a letter of the Cyrillic script (Cyrillic, Supplement, Extended-A/B/C).
pub fn is_cyrillic_letter(c: char) -> bool {
    is_letter(c) && matches!(c, '\u{0400}'..='\u{052F}' | '\u{1C80}'..='\u{1C8F}' | '\u{2DE0}'..='\u{2DFF}' | '\u{A640}'..='\u{A69F}')
}

/// True when `text` has a Cyrillic letter.
///
/// ```
/// assert!(termbridge::text::script::has_cyrillic("Prizren / Призрен"));
/// assert!(!termbridge::text::script::has_cyrillic("Prizren"));
/// ```
pub fn has_cyrillic(text: &str) -> bool {
    text.chars().any(is_cyrillic_letter)
}

/// The number of Cyrillic letters in `text`.
pub fn count_cyrillic(text: &str) -> usize {
    text.chars().filter(|c| is_cyrillic_letter(*c)).count()
}

/// True for a Cyrillic letter outside the 30 of the Serbian alphabet (Vuk's): Russian,
/// Ukrainian, Belarusian, Macedonian, Bulgarian letters that a keyboard layout or a
/// converter slips into Serbian text.
pub fn is_non_serbian_cyrillic(c: char) -> bool {
    is_cyrillic_letter(c) && !is_serbian_cyrillic_letter(c)
}

/// The script of one word.
///
/// ```
/// use termbridge::text::script::{Script, word_script};
/// assert_eq!(word_script("Приштина"), Script::Cyrl);
/// assert_eq!(word_script("Приштин\u{61}"), Script::Mixed); // Latin a at the end
/// assert_eq!(word_script("02"), Script::Other);
/// ```
pub fn word_script(word: &str) -> Script {
    let latin = word.chars().any(is_latin_letter);
    let cyrillic = word.chars().any(is_cyrillic_letter);
    match (latin, cyrillic) {
        (true, true) => Script::Mixed,
        (true, false) => Script::Latn,
        (false, true) => Script::Cyrl,
        (false, false) => Script::Other,
    }
}

/// Byte ranges of the words of `text` whose script is mixed.
pub fn mixed_words(text: &str) -> Vec<Range<usize>> {
    super::segment::words(text).into_iter().filter(|range| word_script(&text[range.clone()]) == Script::Mixed).collect()
}

/// Latin letters and the Cyrillic letters that look the same in common fonts (after Unicode's
/// confusables list). One entry a line: Latin, Cyrillic. The one table of look-alikes: the
/// audit's `mixed-script` check and `/v2/check` read it through [`latin_lookalike`] and
/// [`cyrillic_lookalike`].
const LOOKALIKES: &[(char, char)] = &[
    ('A', 'А'), // LATIN CAPITAL LETTER A, CYRILLIC CAPITAL LETTER A
    ('B', 'В'), // LATIN CAPITAL LETTER B, CYRILLIC CAPITAL LETTER VE
    ('C', 'С'), // LATIN CAPITAL LETTER C, CYRILLIC CAPITAL LETTER ES
    ('E', 'Е'), // LATIN CAPITAL LETTER E, CYRILLIC CAPITAL LETTER IE
    ('Ë', 'Ё'), // LATIN CAPITAL LETTER E WITH DIAERESIS, CYRILLIC CAPITAL LETTER IO
    ('H', 'Н'), // LATIN CAPITAL LETTER H, CYRILLIC CAPITAL LETTER EN
    ('I', 'І'), // LATIN CAPITAL LETTER I, CYRILLIC CAPITAL LETTER BYELORUSSIAN-UKRAINIAN I
    ('Ï', 'Ї'), // LATIN CAPITAL LETTER I WITH DIAERESIS, CYRILLIC CAPITAL LETTER YI
    ('J', 'Ј'), // LATIN CAPITAL LETTER J, CYRILLIC CAPITAL LETTER JE
    ('K', 'К'), // LATIN CAPITAL LETTER K, CYRILLIC CAPITAL LETTER KA
    ('M', 'М'), // LATIN CAPITAL LETTER M, CYRILLIC CAPITAL LETTER EM
    ('O', 'О'), // LATIN CAPITAL LETTER O, CYRILLIC CAPITAL LETTER O
    ('P', 'Р'), // LATIN CAPITAL LETTER P, CYRILLIC CAPITAL LETTER ER
    ('S', 'Ѕ'), // LATIN CAPITAL LETTER S, CYRILLIC CAPITAL LETTER DZE
    ('T', 'Т'), // LATIN CAPITAL LETTER T, CYRILLIC CAPITAL LETTER TE
    ('X', 'Х'), // LATIN CAPITAL LETTER X, CYRILLIC CAPITAL LETTER HA
    ('Y', 'У'), // LATIN CAPITAL LETTER Y, CYRILLIC CAPITAL LETTER U
    ('a', 'а'), // LATIN SMALL LETTER A, CYRILLIC SMALL LETTER A
    ('c', 'с'), // LATIN SMALL LETTER C, CYRILLIC SMALL LETTER ES
    ('d', 'ԁ'), // LATIN SMALL LETTER D, CYRILLIC SMALL LETTER KOMI DE
    ('e', 'е'), // LATIN SMALL LETTER E, CYRILLIC SMALL LETTER IE
    ('ë', 'ё'), // LATIN SMALL LETTER E WITH DIAERESIS, CYRILLIC SMALL LETTER IO
    ('h', 'һ'), // LATIN SMALL LETTER H, CYRILLIC SMALL LETTER SHHA
    ('i', 'і'), // LATIN SMALL LETTER I, CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I
    ('ï', 'ї'), // LATIN SMALL LETTER I WITH DIAERESIS, CYRILLIC SMALL LETTER YI
    ('j', 'ј'), // LATIN SMALL LETTER J, CYRILLIC SMALL LETTER JE
    ('o', 'о'), // LATIN SMALL LETTER O, CYRILLIC SMALL LETTER O
    ('p', 'р'), // LATIN SMALL LETTER P, CYRILLIC SMALL LETTER ER
    ('s', 'ѕ'), // LATIN SMALL LETTER S, CYRILLIC SMALL LETTER DZE
    ('x', 'х'), // LATIN SMALL LETTER X, CYRILLIC SMALL LETTER HA
    ('y', 'у'), // LATIN SMALL LETTER Y, CYRILLIC SMALL LETTER U
];

/// Cyrillic letters of other languages that turn up in Serbian text, and the Serbian letter
/// each usually stands for (`None` where it takes two letters or none: я = ја, щ = шт).
/// One entry a line.
const NON_SERBIAN_CYRILLIC: &[(char, Option<char>)] = &[
    ('ѐ', Some('е')), // CYRILLIC SMALL LETTER IE WITH GRAVE (an accent mark, not a letter of the alphabet)
    ('ё', Some('е')), // CYRILLIC SMALL LETTER IO (Russian)
    ('ѓ', Some('ђ')), // CYRILLIC SMALL LETTER GJE (Macedonian)
    ('є', None),      // CYRILLIC SMALL LETTER UKRAINIAN IE (је)
    ('ѕ', None),      // CYRILLIC SMALL LETTER DZE (Macedonian, дз)
    ('і', Some('и')), // CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I
    ('ї', None),      // CYRILLIC SMALL LETTER YI (Ukrainian, ји)
    ('ќ', Some('ћ')), // CYRILLIC SMALL LETTER KJE (Macedonian)
    ('ѝ', Some('и')), // CYRILLIC SMALL LETTER I WITH GRAVE (an accent mark, not a letter of the alphabet)
    ('ў', Some('у')), // CYRILLIC SMALL LETTER SHORT U (Belarusian)
    ('й', Some('ј')), // CYRILLIC SMALL LETTER SHORT I (Russian, Ukrainian, Bulgarian)
    ('щ', None),      // CYRILLIC SMALL LETTER SHCHA (шч, шт)
    ('ъ', None),      // CYRILLIC SMALL LETTER HARD SIGN
    ('ы', Some('и')), // CYRILLIC SMALL LETTER YERU (Russian)
    ('ь', None),      // CYRILLIC SMALL LETTER SOFT SIGN
    ('э', Some('е')), // CYRILLIC SMALL LETTER E (Russian)
    ('ю', None),      // CYRILLIC SMALL LETTER YU (ју)
    ('я', None),      // CYRILLIC SMALL LETTER YA (ја)
    ('ґ', Some('г')), // CYRILLIC SMALL LETTER GHE WITH UPTURN (Ukrainian)
    ('һ', Some('х')), // CYRILLIC SMALL LETTER SHHA (Kazakh, Bashkir)
];

/// The Cyrillic look-alike of a Latin letter.
///
/// ```
/// assert_eq!(termbridge::text::script::cyrillic_lookalike('a'), Some('а'));
/// assert_eq!(termbridge::text::script::cyrillic_lookalike('z'), None);
/// ```
pub fn cyrillic_lookalike(latin: char) -> Option<char> {
    LOOKALIKES.iter().find(|entry| entry.0 == latin).map(|entry| entry.1)
}

/// The Latin look-alike of a Cyrillic letter.
///
/// ```
/// assert_eq!(termbridge::text::script::latin_lookalike('ј'), Some('j'));
/// assert_eq!(termbridge::text::script::latin_lookalike('ш'), None);
/// ```
pub fn latin_lookalike(cyrillic: char) -> Option<char> {
    LOOKALIKES.iter().find(|entry| entry.1 == cyrillic).map(|entry| entry.0)
}

/// The Serbian letter a non-Serbian Cyrillic letter stands for, keeping its case.
fn serbian_for(cyrillic: char) -> Option<char> {
    let lower = cyrillic.to_lowercase().next().unwrap_or(cyrillic);
    let serbian = NON_SERBIAN_CYRILLIC.iter().find(|entry| entry.0 == lower).and_then(|entry| entry.1)?;
    if cyrillic.is_uppercase() { serbian.to_uppercase().next() } else { Some(serbian) }
}

/// The one character `text` transliterates to, if it is one.
fn single_char(text: &str) -> Option<char> {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}

/// What is wrong with an offending letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OffenderKind {
    /// A Latin letter that looks like a Serbian Cyrillic one, in Cyrillic (word or text).
    LatinHomoglyph,
    /// A Cyrillic letter that looks like a Latin one, in Latin (word or text).
    CyrillicHomoglyph,
    /// Another Latin letter inside a Cyrillic word.
    LatinLetter,
    /// Another Cyrillic letter inside a Latin word.
    CyrillicLetter,
    /// A Cyrillic letter outside the 30 of the Serbian alphabet.
    NonSerbianCyrillic,
}

impl OffenderKind {
    /// A short explanation for people.
    pub fn describe(self) -> &'static str {
        match self {
            OffenderKind::LatinHomoglyph => "Latin look-alike in Cyrillic text",
            OffenderKind::CyrillicHomoglyph => "Cyrillic look-alike in Latin text",
            OffenderKind::LatinLetter => "Latin letter in a Cyrillic word",
            OffenderKind::CyrillicLetter => "Cyrillic letter in a Latin word",
            OffenderKind::NonSerbianCyrillic => "Cyrillic letter not in the Serbian alphabet",
        }
    }
}

/// One letter that does not belong where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Offender {
    /// Byte offset of the letter in the analysed text.
    pub offset: usize,
    /// Index of the letter among the characters (Unicode scalar values) of the analysed text.
    pub char_index: usize,
    /// The letter found.
    pub found: char,
    /// The letter it looks like or stands for: the suggested fix, when there is one letter.
    pub looks_like: Option<char>,
    /// What is wrong.
    pub kind: OffenderKind,
}

/// One word of the analysed text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WordReport {
    /// The word as written.
    pub word: String,
    /// Byte offset of its first character.
    pub start: usize,
    /// Byte offset just past its last character.
    pub end: usize,
    /// The script of its letters.
    pub script: Script,
    /// Letters that do not belong, in text order.
    pub offenders: Vec<Offender>,
}

/// Script of a segment and of each of its words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScriptReport {
    /// `Latn` or `Cyrl` when every word with letters is of that script, `Mixed` when a word is
    /// mixed or both scripts occur, `Other` when no word has Latin or Cyrillic letters.
    pub script: Script,
    /// Number of words in Latin letters only.
    pub latin_words: usize,
    /// Number of words in Cyrillic letters only.
    pub cyrillic_words: usize,
    /// Every word, in text order.
    pub words: Vec<WordReport>,
}

impl ScriptReport {
    /// Every offending letter of the text, in text order.
    pub fn offenders(&self) -> impl Iterator<Item = (&WordReport, &Offender)> {
        self.words.iter().flat_map(|word| word.offenders.iter().map(move |offender| (word, offender)))
    }

    /// True when no letter offends.
    pub fn is_clean(&self) -> bool {
        self.words.iter().all(|word| word.offenders.is_empty())
    }
}

/// The offenders of a word whose letters are of both scripts: the letters of the minority
/// script (ties go to the script of the first letter).
fn mixed_word_offenders(word: &str, start: usize, first_char_index: usize, out: &mut Vec<Offender>) {
    let n_latin = word.chars().filter(|c| is_latin_letter(*c)).count();
    let n_cyrillic = word.chars().filter(|c| is_cyrillic_letter(*c)).count();
    let first_is_cyrillic = word.chars().find(|c| is_latin_letter(*c) || is_cyrillic_letter(*c)).is_some_and(is_cyrillic_letter);
    let base_is_cyrillic = n_cyrillic > n_latin || (n_cyrillic == n_latin && first_is_cyrillic);
    for (char_offset, (byte_offset, c)) in word.char_indices().enumerate() {
        let (offset, char_index) = (start + byte_offset, first_char_index + char_offset);
        let (looks_like, kind) = if base_is_cyrillic && is_latin_letter(c) {
            match cyrillic_lookalike(c).filter(|lookalike| is_serbian_cyrillic_letter(*lookalike)) {
                Some(lookalike) => (Some(lookalike), OffenderKind::LatinHomoglyph),
                None => (latin_letter_in_cyrillic(c), OffenderKind::LatinLetter),
            }
        } else if !base_is_cyrillic && is_cyrillic_letter(c) {
            match latin_lookalike(c) {
                Some(lookalike) => (Some(lookalike), OffenderKind::CyrillicHomoglyph),
                None => (single_char(&cyr_to_lat(&c.to_string())).filter(|latin| *latin != c), OffenderKind::CyrillicLetter),
            }
        } else if base_is_cyrillic && is_cyrillic_letter(c) && !is_serbian_cyrillic_letter(c) {
            (serbian_for(c), OffenderKind::NonSerbianCyrillic)
        } else {
            continue;
        };
        out.push(Offender { offset, char_index, found: c, looks_like, kind });
    }
}

/// The Cyrillic letter a Latin letter in a Cyrillic word stands for: its transliteration.
fn latin_letter_in_cyrillic(c: char) -> Option<char> {
    if !is_serbian_latin_letter(c) {
        return None;
    }
    single_char(&lat_to_cyr(&c.to_string())).filter(|cyrillic| *cyrillic != c)
}

/// True when the word at `start..end` stands between spaces or ordinary punctuation, not in
/// an escape ("\\c", "^C"), a file name ("*.pac") or next to a placeholder ("a%c").
fn stands_alone(text: &str, start: usize, end: usize) -> bool {
    let ordinary = |c: char| c.is_whitespace() || ",;:!?()[]„“”\"'‘’«»—–-".contains(c);
    text[..start].chars().next_back().is_none_or(ordinary) && text[end..].chars().next().is_none_or(ordinary)
}

/// True for a word in capitals ("CT", "X"): symbols, codes and axis names rather than words
/// typed in the wrong script.
fn is_all_caps(word: &str) -> bool {
    word.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase)
}

/// The words of `text` for script analysis: Unicode words cut at "_" and ".", outside markup
/// and placeholders.
fn script_words(text: &str) -> Vec<(usize, &str)> {
    let markup = markup_ranges(text);
    let mut words = Vec::new();
    for (word_start, word) in text.unicode_word_indices() {
        let mut part_start = 0;
        for (offset, c) in word.char_indices().chain(std::iter::once((word.len(), '_'))) {
            if c != '_' && c != '.' {
                continue;
            }
            let start = word_start + part_start;
            let part = &word[part_start..offset];
            part_start = offset + c.len_utf8();
            if part.is_empty() || markup.iter().any(|range| range.start < start + part.len() && start < range.end) {
                continue;
            }
            words.push((start, part));
        }
    }
    words
}

/// Reports whole words made of look-alikes in text of the other script, given the words and
/// the character index of each.
fn flag_lookalike_words(text: &str, words: &mut [(WordReport, usize)]) {
    // A whole word of look-alikes in text of the other script: Latin "a", "y", "je" in
    // Cyrillic text, and the reverse. Only words with a letter that has no look-alike vote
    // for the script of the text, and one script must have two votes and ten times the votes
    // of the other: "Отвори PDF у Adobe Reader" is Serbian with English names, and its "у" is
    // Cyrillic.
    let lookalike_in = |c: char, from: Script| match from {
        Script::Latn => cyrillic_lookalike(c).filter(|lookalike| is_serbian_cyrillic_letter(*lookalike)),
        // Latin text may be Albanian or English, which have y: any Latin look-alike counts.
        _ => latin_lookalike(c),
    };
    let votes = |script: Script| {
        words
            .iter()
            .filter(|(word, _)| word.script == script && word.word.chars().filter(|c| c.is_alphabetic()).any(|c| lookalike_in(c, script).is_none()))
            .count()
    };
    let (latin_votes, cyrillic_votes) = (votes(Script::Latn), votes(Script::Cyrl));
    let dominant = if cyrillic_votes >= 2 && latin_votes * 10 <= cyrillic_votes {
        Some(Script::Cyrl)
    } else if latin_votes >= 2 && cyrillic_votes * 10 <= latin_votes {
        Some(Script::Latn)
    } else {
        None
    };
    for (word, first_char_index) in words.iter_mut() {
        let suspect = matches!((dominant, word.script), (Some(Script::Cyrl), Script::Latn) | (Some(Script::Latn), Script::Cyrl));
        let lookalike_of = |c: char| if suspect { lookalike_in(c, word.script) } else { None };
        let mut letters = word.word.chars().filter(|c| c.is_alphabetic());
        if !suspect
            || word.word.chars().any(|c| c.is_ascii_digit())
            || !stands_alone(text, word.start, word.end)
            || is_all_caps(&word.word)
            || !letters.all(|c| lookalike_of(c).is_some())
        {
            continue;
        }
        let kind = if word.script == Script::Latn { OffenderKind::LatinHomoglyph } else { OffenderKind::CyrillicHomoglyph };
        for (char_offset, (byte_offset, c)) in word.word.char_indices().enumerate() {
            if let Some(lookalike) = lookalike_of(c) {
                word.offenders.push(Offender {
                    offset: word.start + byte_offset,
                    char_index: *first_char_index + char_offset,
                    found: c,
                    looks_like: Some(lookalike),
                    kind,
                });
            }
        }
    }
}

/// Analyses the script of `text` and of each of its words, and finds homoglyphs, letters of
/// the other script inside words and non-Serbian Cyrillic letters.
///
/// ```
/// use termbridge::text::script::{analyze, OffenderKind, Script};
/// let report = analyze("Приштин\u{61}"); // the last letter is U+0061 LATIN SMALL LETTER A
/// assert_eq!(report.script, Script::Mixed);
/// let (_, offender) = report.offenders().next().unwrap();
/// assert_eq!((offender.offset, offender.char_index), (14, 7));
/// assert_eq!((offender.found, offender.looks_like), ('a', Some('а')));
/// assert_eq!(offender.kind, OffenderKind::LatinHomoglyph);
/// ```
pub fn analyze(text: &str) -> ScriptReport {
    let mut words = Vec::new();
    // Character index of each word start, counted incrementally.
    let mut char_index = 0;
    let mut counted_to = 0;
    for (start, word) in script_words(text) {
        char_index += text[counted_to..start].chars().count();
        counted_to = start;
        let script = word_script(word);
        let mut offenders = Vec::new();
        match script {
            Script::Mixed => mixed_word_offenders(word, start, char_index, &mut offenders),
            Script::Cyrl => {
                for (char_offset, (byte_offset, c)) in word.char_indices().enumerate() {
                    if is_cyrillic_letter(c) && !is_serbian_cyrillic_letter(c) {
                        offenders.push(Offender {
                            offset: start + byte_offset,
                            char_index: char_index + char_offset,
                            found: c,
                            looks_like: serbian_for(c),
                            kind: OffenderKind::NonSerbianCyrillic,
                        });
                    }
                }
            }
            Script::Latn | Script::Other => {}
        }
        words.push((WordReport { word: word.to_string(), start, end: start + word.len(), script, offenders }, char_index));
    }
    let latin_words = words.iter().filter(|(word, _)| word.script == Script::Latn).count();
    let cyrillic_words = words.iter().filter(|(word, _)| word.script == Script::Cyrl).count();
    flag_lookalike_words(text, &mut words);
    let words: Vec<WordReport> = words.into_iter().map(|(word, _)| word).collect();
    let script = if words.iter().any(|word| word.script == Script::Mixed) || (latin_words > 0 && cyrillic_words > 0) {
        Script::Mixed
    } else if cyrillic_words > 0 {
        Script::Cyrl
    } else if latin_words > 0 {
        Script::Latn
    } else {
        Script::Other
    };
    ScriptReport { script, latin_words, cyrillic_words, words }
}

/// The script of a whole segment, as [`analyze`] reports it.
pub fn segment_script(text: &str) -> Script {
    analyze(text).script
}

#[cfg(test)]
mod tests {

    #[test]
    fn is_letter_is_is_alphabetic() {
        for c in ('\0'..='\u{3000}').chain('\u{A640}'..='\u{A7FF}') {
            assert_eq!(is_letter(c), c.is_alphabetic(), "{c:?} U+{:04X}", c as u32);
        }
    }

    use super::*;
    use proptest::prelude::*;

    /// Renders a report as "Script offender offender…", each offender as
    /// "char_index:found→looks_like:kind" (looks_like "-" when there is none).
    fn render(report: &ScriptReport) -> String {
        let mut out = report.script.as_str().to_string();
        for (_, offender) in report.offenders() {
            let looks_like = offender.looks_like.map_or("-".to_string(), |c| c.to_string());
            let kind = serde_json::to_value(offender.kind).ok().and_then(|value| value.as_str().map(str::to_string)).unwrap_or_default();
            out.push_str(&format!(" {}:{}→{}:{}", offender.char_index, offender.found, looks_like, kind));
        }
        out
    }

    fn check(input: &str, expected: &str) {
        assert_eq!(render(&analyze(input)), expected, "input {input:?}");
    }

    #[test]
    fn scripts_and_offenders() {
        check("Приштина", "Cyrl");
        check("Priština", "Latn");
        check("Prishtinë", "Latn");
        check("02/L-37", "Latn");
        check("123 — 456", "Other");
        check("", "Other");
        check("Приштин\u{61}", "Mixed 7:a→а:latin_homoglyph");
        check("П\u{70}иштина", "Mixed 1:p→р:latin_homoglyph");
        check("ОПШТИН\u{41} ПРИШТИНА", "Mixed 6:A→А:latin_homoglyph");
        check("\u{43}рбија", "Mixed 0:C→С:latin_homoglyph");
        check("Pri\u{448}tina", "Mixed 3:ш→š:cyrillic_letter");
        check("Prištin\u{430}", "Mixed 7:а→a:cyrillic_homoglyph");
        check("\u{4b}осово", "Mixed 0:K→К:latin_homoglyph");
        check("K\u{43e}sovo", "Mixed 1:о→o:cyrillic_homoglyph");
        check("Pri\u{459}ina", "Mixed 3:љ→-:cyrillic_letter");
        check("Приштин\u{62}", "Mixed 7:b→б:latin_letter");
        check("Приштин\u{161}", "Mixed 7:š→ш:latin_letter");
        check("Приштин\u{eb}", "Mixed 7:ë→-:latin_letter");
        check("Пр\u{69}штина", "Mixed 2:i→и:latin_letter");
        check("П\u{70}иштин\u{61}", "Mixed 1:p→р:latin_homoglyph 7:a→а:latin_homoglyph");
        check("Приштин\u{455}", "Cyrl 7:ѕ→-:non_serbian_cyrillic");
        check("Општина Priština", "Mixed");
        check("Москва", "Cyrl");
        check("Київ", "Cyrl 2:ї→-:non_serbian_cyrillic");
        check("Майка", "Cyrl 2:й→ј:non_serbian_cyrillic");
        check("Ѓорѓе", "Cyrl 0:Ѓ→Ђ:non_serbian_cyrillic 3:ѓ→ђ:non_serbian_cyrillic");
        check("Ђаковица ё", "Cyrl 9:ё→е:non_serbian_cyrillic");
        check("Щука, съезд, Юг", "Cyrl 0:Щ→-:non_serbian_cyrillic 7:ъ→-:non_serbian_cyrillic 13:Ю→-:non_serbian_cyrillic");
    }

    #[test]
    fn whole_words_of_lookalikes() {
        check("Приштина \u{61} Урошевац", "Mixed 9:a→а:latin_homoglyph");
        check("Живим \u{79} Приштини", "Mixed 6:y→у:latin_homoglyph");
        check("Ово је \u{4f}\u{4b}\u{4f} града", "Mixed");
        check("Документ \u{6a}\u{65} завршен", "Mixed 9:j→ј:latin_homoglyph 10:e→е:latin_homoglyph");
        check("Ово је \u{4b}\u{6f}\u{63}\u{65} града", "Mixed 7:K→К:latin_homoglyph 8:o→о:latin_homoglyph 9:c→с:latin_homoglyph 10:e→е:latin_homoglyph");
        // Symbols, escapes and file names are not typos.
        check("у правцу X осе и Y осе", "Mixed");
        check("\\c на крају обрасца", "Mixed");
        check("ПАЦ датотеке (*.pac)", "Mixed");
        check("Živim \u{443} Prištini", "Mixed 6:у→y:cyrillic_homoglyph");
        // Latin words with letters that have no look-alike are not homoglyphs.
        check("Закон 02/L-37 и www.rks-gov.net", "Mixed");
        check("Ово је Windows", "Mixed");
        // Real words of both scripts: no script dominates, so short words are not suspects.
        check("Отвори PDF у Adobe Reader", "Mixed");
        check("\u{61} \u{443}", "Mixed");
        check("Приштина \u{61}", "Mixed");
        // Placeholders are no words, so they neither vote nor offend.
        check("%A, %d. %B %Y. у %H:%M", "Cyrl");
        check("Имена не могу да садрже „%c“ и <b>", "Cyrl");
        // Parts joined by "_" or "." are words of their own.
        check("Америка/Нокс_IN", "Mixed");
        check("Превучено.txt", "Mixed");
    }

    #[test]
    fn offsets_and_words() {
        let text = "Град Приштин\u{61}.";
        let report = analyze(text);
        assert_eq!(report.words.len(), 2);
        assert_eq!((report.words[1].start, report.words[1].end, report.words[1].script), (9, 24, Script::Mixed));
        let (_, offender) = report.offenders().next().unwrap();
        assert_eq!(&text[offender.offset..offender.offset + offender.found.len_utf8()], "a");
        assert_eq!(text.chars().nth(offender.char_index), Some('a'));
        assert_eq!((report.latin_words, report.cyrillic_words), (0, 1));
    }

    #[test]
    fn word_scripts() {
        assert_eq!(word_script("Приштина"), Script::Cyrl);
        assert_eq!(word_script("Priština"), Script::Latn);
        assert_eq!(word_script("Приштин\u{61}"), Script::Mixed);
        assert_eq!(word_script("123"), Script::Other);
        assert_eq!(word_script("Αθήνα"), Script::Other);
        assert_eq!(mixed_words("Град Приштин\u{61} и Prizren"), vec![9..24]);
    }

    #[test]
    fn tables_hold_what_they_say() {
        for (latin, cyrillic) in LOOKALIKES {
            assert!(is_latin_letter(*latin) && is_cyrillic_letter(*cyrillic), "{latin} {cyrillic}");
            assert_eq!(latin.is_uppercase(), cyrillic.is_uppercase(), "{latin} {cyrillic}");
        }
        for (letter, serbian) in NON_SERBIAN_CYRILLIC {
            assert!(is_cyrillic_letter(*letter) && !is_serbian_cyrillic_letter(*letter), "{letter}");
            assert!(is_non_serbian_cyrillic(*letter), "{letter}");
            assert!(serbian.is_none_or(is_serbian_cyrillic_letter), "{letter}");
        }
        // Each letter has one look-alike at most, both ways.
        for (latin, cyrillic) in LOOKALIKES {
            assert_eq!(LOOKALIKES.iter().filter(|entry| entry.0 == *latin || entry.1 == *cyrillic).count(), 1, "{latin} {cyrillic}");
        }
    }

    #[test]
    fn lookalikes_where_the_two_tables_disagreed() {
        // Once only in the audit's table: Komi de.
        assert_eq!(latin_lookalike('ԁ'), Some('d'));
        // Once only in this one: capital U, and the letters with diaeresis.
        assert_eq!(latin_lookalike('У'), Some('Y'));
        assert_eq!(latin_lookalike('ё'), Some('ë'));
        assert_eq!(cyrillic_lookalike('Ï'), Some('Ї'));
        // Letters that look alike only in some fonts stay out.
        assert_eq!(latin_lookalike('п'), None);
        assert_eq!(cyrillic_lookalike('n'), None);
        // Letters of both Cyrillic blocks count; Greek does not.
        assert!(is_cyrillic_letter('ж') && is_cyrillic_letter('ԁ') && !is_cyrillic_letter('α'));
        assert!(is_non_serbian_cyrillic('ѕ') && is_non_serbian_cyrillic('я') && !is_non_serbian_cyrillic('ђ') && !is_non_serbian_cyrillic('a'));
        assert_eq!(count_cyrillic("Град Prizren ԁ"), 5);
    }

    #[test]
    fn report_serializes() {
        let json = serde_json::to_value(analyze("Приштин\u{61}")).unwrap();
        assert_eq!(json["script"], "Mixed");
        assert_eq!(json["words"][0]["offenders"][0]["char_index"], 7);
        assert_eq!(json["words"][0]["offenders"][0]["offset"], 14);
        assert_eq!(json["words"][0]["offenders"][0]["found"], "a");
        assert_eq!(json["words"][0]["offenders"][0]["looks_like"], "а");
        assert_eq!(json["words"][0]["offenders"][0]["kind"], "latin_homoglyph");
    }

    proptest! {
        #[test]
        fn offsets_point_at_the_letter(text in any::<String>()) {
            let report = analyze(&text);
            for (word, offender) in report.offenders() {
                prop_assert!(text.is_char_boundary(offender.offset));
                prop_assert_eq!(text[offender.offset..].chars().next(), Some(offender.found));
                prop_assert_eq!(text.chars().nth(offender.char_index), Some(offender.found));
                prop_assert!(word.start <= offender.offset && offender.offset < word.end);
            }
        }

        #[test]
        fn serbian_cyrillic_words_are_clean(text in "[а-шђјљњћџА-ШЂЈЉЊЋЏ ]{0,40}") {
            let text: String = text.chars().filter(|c| *c == ' ' || is_serbian_cyrillic_letter(*c)).collect();
            prop_assert!(analyze(&text).is_clean());
        }
    }
}
