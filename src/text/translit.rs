//! Serbian transliteration between Cyrillic (Vuk's alphabet) and Latin (Gaj's alphabet).
//!
//! Cyrillic→Latin is one-to-one: each of the 30 letters has one Latin letter or digraph
//! (љ→lj, њ→nj, џ→dž). The only choice is the case of a digraph: ЊЕГОШ (all caps) becomes
//! NJEGOŠ, Његош (title case) becomes Njegoš, and a capital digraph letter standing alone
//! becomes the title-case form (Љ → Lj). Every other character passes through, including
//! Cyrillic letters that are not Serbian (й, я, ѓ…): reporting them is [`super::script`]'s job.
//!
//! Latin→Cyrillic treats lj, nj and dž as single letters (Pravopis srpskoga jezika, Matica
//! srpska, on the Latin alphabet), in any case (LJ, Lj, lj; DŽ, Dž), except:
//! - in the known words where they are two letters because a prefix meets a root
//!   (nad-živeti, od-žaliti, pod-žanr, pred-žetveni) or a loan word or foreign name has n+j
//!   (in-jekcija, kon-junkcija, Tan-jug, van-jezički, Ben-jamin), see [`SPLIT_DIGRAPH_STEMS`];
//! - with a dictionary ([`LatToCyr::words`]), where the Serbian Cyrillic dictionary spells the
//!   word with two letters and not with one;
//! - when the second half is a capital after a small first half ("nJ"), which is no digraph.
//!
//! It leaves alone what is not running Serbian text:
//! - URLs, e-mail addresses, domain and file names ("rks-gov.net", "akt.pdf"), paths;
//! - tokens with digits ("02/L-37", "A4", "COVID-19"), except a case ending after a number
//!   ("1990-ih" → "1990-их"); with [`Codes::Translit`] only act numbers with a slash
//!   ("03/L-040") are kept and the letters of other codes are transliterated ("А4", "УТФ-8");
//! - Roman numerals ("XII", "Petar I", "ČLAN VI"), which Serbian Cyrillic text writes in
//!   Latin letters. The two that are also Serbian words, I (and) and VI (you), are numerals
//!   only in numeral context: after a division word ("član VI", "kategorija I"), after a
//!   ruler ("Petar I", "kralj Tvrtko I"), beside another numeral ("I i II", "I–IV"), opening a
//!   line of a list whose other lines open with numerals, alone, or closing a phrase after a
//!   name ("Tvrtko I, kralj"); elsewhere they are words ("Prava I Obaveze", "SRBIJA I
//!   KOSOVO", "VI STE"). Short numerals of C, D, L, M without X are words or acronyms ("CD",
//!   "MI", "DIV"), and "I." or "V." inside a sentence an initial ("prema V. Karadžiću"),
//!   unless a name precedes it ("Petar I.");
//! - unit symbols of the SI and IEC ("MB", "MiB", "GHz"), which are international;
//! - foreign words: letters outside Gaj's alphabet (q, w, x, y, ë, ç, ä, é…), the Albanian
//!   digraph gj, an apostrophe inside the word ("O'Brien"), and lower-case words with neither
//!   a vowel nor syllabic r ("ls", "cd"), which no Serbian word is (abbreviations with a full
//!   stop such as "tj." and "npr." are Serbian and are transliterated); a compound joined by
//!   hyphens or underscores with a foreign part stays whole ("local-only");
//! - code: a name followed by "()" ("fstat()"), identifiers with two underscores or in
//!   capitals with one ("g_get_name", "GTK_ALIGN"), command-line options ("--help"), file
//!   extensions and globs (".zip", "*.bak");
//! - markup and placeholders of translation files: tags ("<b>", `<a href="…">`), entities
//!   ("&amp;"), printf and Python placeholders ("%s", "%1$d", "%(name)s", "{count}") and
//!   shell variables ("$HOME").
//!
//! Words with capitals inside ("OpenGL", "DjVu") are transliterated letter by letter, as
//! Serbian Cyrillic software translations do (ОпенГЛ).
//!
//! With a dictionary ([`LatToCyr`]), English words that Serbian does not know stay Latin
//! ("never", "COLOR"), and so do quoted literal values („none“, „as-folder“). Without one,
//! foreign words written only with Serbian letters are transliterated ("never" becomes
//! "невер"); names always are ("Google" becomes "Гоогле"), as Serbian transcribes names.
//! Deliberately not done: the rare l+j split, for which no Serbian word is known.
//!
//! Both functions put their input in NFC first, so decomposed "č" (c + U+030C) is a letter.

use std::borrow::Cow;
use std::ops::Range;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// What Latin→Cyrillic may ask of a dictionary (`crate::lexicon` answers from the Hunspell
/// dictionaries). Without one, the rules alone decide.
pub trait WordKnowledge {
    /// True when `word`, in Serbian Cyrillic as written, is a Serbian word.
    fn is_serbian_cyrillic(&self, word: &str) -> bool;
    /// True when `word`, in Serbian Latin as written, is a Serbian word.
    fn is_serbian_latin(&self, word: &str) -> bool;
    /// True when `word` is an English word.
    fn is_english(&self, word: &str) -> bool;
}

/// What Latin→Cyrillic does with alphanumeric codes ("A4", "UTF-8", "POP3", "IPv6").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Codes {
    /// Keep them in Latin, as official Serbian Cyrillic texts keep document and act numbers
    /// ("02/L-37", "A4").
    #[default]
    Keep,
    /// Transliterate their letters ("А4", "УТФ-8", "ПОП3"), as Serbian Cyrillic software
    /// translations do; act numbers with a slash ("03/L-040") are still kept.
    Translit,
}

/// Latin→Cyrillic with options: a dictionary and what to do with codes.
/// [`lat_to_cyr`] is the default: no dictionary, codes kept.
///
/// With a dictionary, two more things are decided by words rather than rules:
/// - lj, nj and dž are one letter or two as the Cyrillic dictionary spells the word
///   ("konjunkcija" → "конјункција" because the dictionary knows "конјункција" and not
///   "коњункција"), after the known split stems and before the default of one letter;
/// - a word of ASCII letters that the Serbian Latin dictionary does not know and the English
///   one does ("never", "Home", "COLOR") is foreign and kept in Latin; names are looked up in
///   lower case, so an English dictionary's proper names ("Milan", "Ivan") stay Serbian.
#[derive(Clone, Copy, Default)]
pub struct LatToCyr<'a> {
    /// The dictionary consulted, if any.
    pub words: Option<&'a dyn WordKnowledge>,
    /// What to do with alphanumeric codes.
    pub codes: Codes,
}

impl std::fmt::Debug for LatToCyr<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LatToCyr").field("words", &self.words.is_some()).field("codes", &self.codes).finish()
    }
}

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

/// The 27 one-character letters of Gaj's Latin alphabet (lower case) and their Cyrillic
/// letters; the digraphs lj, nj and dž are handled by [`digraph_to_cyr`]. One entry a line.
const LAT_TO_CYR: &[(char, char)] = &[
    ('a', 'а'), // LATIN SMALL LETTER A → CYRILLIC SMALL LETTER A
    ('b', 'б'), // LATIN SMALL LETTER B → CYRILLIC SMALL LETTER BE
    ('c', 'ц'), // LATIN SMALL LETTER C → CYRILLIC SMALL LETTER TSE
    ('č', 'ч'), // LATIN SMALL LETTER C WITH CARON → CYRILLIC SMALL LETTER CHE
    ('ć', 'ћ'), // LATIN SMALL LETTER C WITH ACUTE → CYRILLIC SMALL LETTER TSHE
    ('d', 'д'), // LATIN SMALL LETTER D → CYRILLIC SMALL LETTER DE
    ('đ', 'ђ'), // LATIN SMALL LETTER D WITH STROKE → CYRILLIC SMALL LETTER DJE
    ('e', 'е'), // LATIN SMALL LETTER E → CYRILLIC SMALL LETTER IE
    ('f', 'ф'), // LATIN SMALL LETTER F → CYRILLIC SMALL LETTER EF
    ('g', 'г'), // LATIN SMALL LETTER G → CYRILLIC SMALL LETTER GHE
    ('h', 'х'), // LATIN SMALL LETTER H → CYRILLIC SMALL LETTER HA
    ('i', 'и'), // LATIN SMALL LETTER I → CYRILLIC SMALL LETTER I
    ('j', 'ј'), // LATIN SMALL LETTER J → CYRILLIC SMALL LETTER JE
    ('k', 'к'), // LATIN SMALL LETTER K → CYRILLIC SMALL LETTER KA
    ('l', 'л'), // LATIN SMALL LETTER L → CYRILLIC SMALL LETTER EL
    ('m', 'м'), // LATIN SMALL LETTER M → CYRILLIC SMALL LETTER EM
    ('n', 'н'), // LATIN SMALL LETTER N → CYRILLIC SMALL LETTER EN
    ('o', 'о'), // LATIN SMALL LETTER O → CYRILLIC SMALL LETTER O
    ('p', 'п'), // LATIN SMALL LETTER P → CYRILLIC SMALL LETTER PE
    ('r', 'р'), // LATIN SMALL LETTER R → CYRILLIC SMALL LETTER ER
    ('s', 'с'), // LATIN SMALL LETTER S → CYRILLIC SMALL LETTER ES
    ('š', 'ш'), // LATIN SMALL LETTER S WITH CARON → CYRILLIC SMALL LETTER SHA
    ('t', 'т'), // LATIN SMALL LETTER T → CYRILLIC SMALL LETTER TE
    ('u', 'у'), // LATIN SMALL LETTER U → CYRILLIC SMALL LETTER U
    ('v', 'в'), // LATIN SMALL LETTER V → CYRILLIC SMALL LETTER VE
    ('z', 'з'), // LATIN SMALL LETTER Z → CYRILLIC SMALL LETTER ZE
    ('ž', 'ж'), // LATIN SMALL LETTER Z WITH CARON → CYRILLIC SMALL LETTER ZHE
];

/// Latin form of a lower-case Serbian Cyrillic letter.
pub(crate) fn cyr_lower_to_lat(c: char) -> Option<&'static str> {
    if !('\u{0430}'..='\u{045F}').contains(&c) {
        return None;
    }
    CYR_TO_LAT.iter().find(|entry| entry.0 == c).map(|entry| entry.1)
}

/// Lower case of a Cyrillic letter in the basic block (U+0400–U+044F), without a Unicode
/// table: the block is laid out so that each capital has its small letter at a fixed distance.
fn cyr_to_lower(c: char) -> char {
    match c {
        // CYRILLIC CAPITAL LETTER IE WITH GRAVE .. CYRILLIC CAPITAL LETTER DZHE → U+0450..U+045F
        '\u{0400}'..='\u{040F}' => char::from_u32(c as u32 + 0x50).unwrap_or(c),
        // CYRILLIC CAPITAL LETTER A .. CYRILLIC CAPITAL LETTER YA → U+0430..U+044F
        '\u{0410}'..='\u{042F}' => char::from_u32(c as u32 + 0x20).unwrap_or(c),
        _ => c,
    }
}

/// True for the 60 letters of the Serbian Cyrillic alphabet (both cases).
///
/// ```
/// use termbridge::text::translit::is_serbian_cyrillic_letter;
/// assert!(is_serbian_cyrillic_letter('Љ') && is_serbian_cyrillic_letter('ђ'));
/// assert!(!is_serbian_cyrillic_letter('я') && !is_serbian_cyrillic_letter('a'));
/// ```
pub fn is_serbian_cyrillic_letter(c: char) -> bool {
    cyr_lower_to_lat(cyr_to_lower(c)).is_some()
}

/// Cyrillic letter of a lower-case one-character Serbian Latin letter.
fn lat_lower_to_cyr(c: char) -> Option<char> {
    LAT_TO_CYR.iter().find(|entry| entry.0 == c).map(|entry| entry.1)
}

/// Lower case of a Serbian Latin letter (the 27 single letters and their capitals).
fn lat_to_lower(c: char) -> char {
    match c {
        'A'..='Z' => c.to_ascii_lowercase(),
        'Č' => 'č', // LATIN CAPITAL LETTER C WITH CARON
        'Ć' => 'ć', // LATIN CAPITAL LETTER C WITH ACUTE
        'Đ' => 'đ', // LATIN CAPITAL LETTER D WITH STROKE
        'Š' => 'š', // LATIN CAPITAL LETTER S WITH CARON
        'Ž' => 'ž', // LATIN CAPITAL LETTER Z WITH CARON
        _ => c,
    }
}

/// True for the 27 one-character letters of Gaj's Latin alphabet, both cases (the digraphs
/// lj, nj, dž are made of them).
///
/// ```
/// use termbridge::text::translit::is_serbian_latin_letter;
/// assert!(is_serbian_latin_letter('Đ') && is_serbian_latin_letter('ž'));
/// assert!(!is_serbian_latin_letter('q') && !is_serbian_latin_letter('ë'));
/// ```
pub fn is_serbian_latin_letter(c: char) -> bool {
    lat_lower_to_cyr(lat_to_lower(c)).is_some()
}

/// The Cyrillic letter of a digraph given as its two lower-case halves.
fn digraph_to_cyr(first: char, second: char) -> Option<char> {
    match (first, second) {
        ('l', 'j') => Some('љ'),
        ('n', 'j') => Some('њ'),
        ('d', 'ž') => Some('џ'),
        _ => None,
    }
}

/// Upper case of a Serbian Cyrillic small letter (U+0430–U+045F).
fn cyr_to_upper(c: char) -> char {
    match c {
        '\u{0430}'..='\u{044F}' => char::from_u32(c as u32 - 0x20).unwrap_or(c),
        '\u{0450}'..='\u{045F}' => char::from_u32(c as u32 - 0x50).unwrap_or(c),
        _ => c,
    }
}

/// Puts `text` in NFC when it is not already, borrowing otherwise.
fn nfc_of(text: &str) -> Cow<'_, str> {
    match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => Cow::Borrowed(text),
        IsNormalized::No | IsNormalized::Maybe => {
            let normalized: String = text.nfc().collect();
            if normalized == text { Cow::Borrowed(text) } else { Cow::Owned(normalized) }
        }
    }
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
    let text = nfc_of(text);
    let mut out = String::with_capacity(text.len());
    let mut prev: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let lower = cyr_to_lower(c);
        match cyr_lower_to_lat(lower) {
            None => out.push(c),
            Some(latin) if lower == c => out.push_str(latin),
            Some(latin) => {
                // A capital digraph letter is all caps when the next letter is a capital
                // (ЉУБЉАНА → LJUBLJANA) or when it ends a word of capitals (ПАЏ → PADŽ);
                // otherwise it starts a title-case word (Љубљана → Ljubljana).
                let next = chars.peek().copied();
                let all_caps = next.is_some_and(char::is_uppercase) || (!next.is_some_and(char::is_alphabetic) && prev.is_some_and(char::is_uppercase));
                let mut letters = latin.chars();
                if let Some(first) = letters.next() {
                    out.extend(first.to_uppercase());
                }
                for rest in letters {
                    if all_caps { out.extend(rest.to_uppercase()) } else { out.push(rest) }
                }
            }
        }
        prev = Some(c);
    }
    Cow::Owned(out)
}

/// Word stems (lower case) in which l+j, n+j or d+ž are two letters, not one digraph. A word
/// that starts with a stem keeps the pairs inside the stem apart; later pairs are digraphs
/// again (nadživljavati → надживљавати).
///
/// Pravopis srpskoga jezika (Matica srpska) writes д+ж where a prefix ending in -d meets a
/// root in ž- (nad-, od-, pod-, pred-), and н+ј in loans with the Latin prefixes in-, kon-,
/// the Serbian prefix van- and the acronym Tanjug (TA-N-JUG). Stems are long enough not to
/// catch words with a real џ or њ: odžak (оџак), Odžaci (Оџаци), nadžak (наџак), konj (коњ),
/// vanjski (вањски).
pub const SPLIT_DIGRAPH_STEMS: &[&str] = &[
    // nad- + ž
    "nadžnje", // nadžnjeti
    "nadživ",  // nadživeti, nadživio, nadživljavati: to outlive
    "nadžup",  // nadžupan, nadžupnik
    // od- + ž
    "odžali",   // odžaliti: to get over a loss
    "odžaljen", // odžaljen
    "odživ",    // odživeti: to live out
    // pod- + ž
    "podžanr", // podžanr: subgenre
    "podžar",  // podžariti, podžarivati: to fry lightly
    "podžeć",  // podžeći: to set fire from below
    "podžel",  // podželudačna (žlezda): pancreas
    "podžig",  // podžigati, podžigač: to incite, an incendiary
    "podžup",  // podžupan, podžupanija
    // pred- + ž
    "predžetv", // predžetveni: pre-harvest
    "predželu", // predželudac: proventriculus
    // in- + j (Latin loans)
    "injek",  // injekcija, injektor, injektirati, injekcioni
    "injunk", // injunkcija
    // kon- + j (Latin loans)
    "konjek",  // konjektura
    "konjug",  // konjugacija, konjugovati, konjugat
    "konjunk", // konjunkcija, konjunktura, konjunktiv, konjunktivitis
    // van- + j (Serbian prefix van-: outside)
    "vanjez", // vanjezički: extralinguistic
    "vanjug", // vanjugoslovenski
    // pan- + j
    "panjug", // panjugoslovenski
    // pan- + j
    "panjevrop", // panjevropski: pan-European
    // in- + j (Latin loans)
    "injicir", // injicirati: to inject
    // foreign names
    "benjamin", // Benjamin, Benjamina
    // acronyms read as words
    "tanjug", // Tanjug: Telegrafska agencija nove Jugoslavije
];

/// Number of leading characters of `lower_word` in which digraphs stay split.
fn split_digraph_prefix(lower_word: &str) -> usize {
    SPLIT_DIGRAPH_STEMS.iter().find(|stem| lower_word.starts_with(*stem)).map_or(0, |stem| stem.chars().count())
}

/// Serbian words that are also Roman numerals when written in capitals.
const NUMERAL_WORDS: &[&str] = &["I", "VI"];

/// Words after which a Roman numeral counts parts of a text (lower case, stems).
const DIVISION_WORDS: &[&str] = &[
    "član",
    "glav",
    "deo",
    "del",
    "poglavlj",
    "odeljak",
    "odeljk",
    "knjig",
    "tom",
    "tač",
    "stav",
    "odsek",
    "razred",
    "faz",
    "etap",
    "stepen",
    "kategorij",
    "zon",
    "nivo",
    "serij",
    "klas",
    "grup",
];

/// Given names of rulers and popes that a Roman numeral follows ("Petar I", "za vlade Petra I",
/// "papa Pavle VI"), as lower-case stems; a case ending of up to three letters may follow.
const RULER_STEMS: &[&str] = &[
    "aleksand",
    "aleksije",
    "bajazit",
    "benedikt",
    "boris",
    "dragutin",
    "dušan",
    "edvard",
    "elizabet",
    "ferdinand",
    "filip",
    "franc",
    "fridrih",
    "grgur",
    "gustav",
    "henri",
    "ivan",
    "jovan",
    "josif",
    "justinijan",
    "karl",
    "katarin",
    "klement",
    "konstantin",
    "lav",
    "leopold",
    "ludvig",
    "luj",
    "mehmed",
    "mihail",
    "milan",
    "milutin",
    "murat",
    "napoleon",
    "nikol",
    "pav",
    "petar",
    "petr",
    "pij",
    "radoslav",
    "rudolf",
    "selim",
    "simeon",
    "stefan",
    "sulejman",
    "tvrtk",
    "uroš",
    "vasilij",
    "viktorij",
    "vilhelm",
    "vladislav",
];

/// Titles before a ruler's name ("kralj Tvrtko I", "car Dušan"), lower-case stems.
const RULER_TITLES: &[&str] = &["kralj", "car", "knez", "knjaz", "papa", "pape", "papi", "sultan", "vojvod", "princ", "despot", "imperator"];

/// True when `lower_word` is `stem` followed by a case ending of at most three letters.
fn is_stem_form(lower_word: &str, stem: &str) -> bool {
    lower_word.strip_prefix(stem).is_some_and(|ending| ending.chars().count() <= 3)
}

/// The value of a canonical Roman numeral in capitals (XII, not IIX or xii), if `token` is one.
fn roman_value(token: &str) -> Option<u32> {
    if token.is_empty() || token.len() > 15 || !token.chars().all(|c| "IVXLCDM".contains(c)) {
        return None;
    }
    let value = |c| match c {
        'I' => 1,
        'V' => 5,
        'X' => 10,
        'L' => 50,
        'C' => 100,
        'D' => 500,
        _ => 1000,
    };
    let digits: Vec<i64> = token.chars().map(value).collect();
    let mut signed_total = 0i64;
    for (idx, &digit) in digits.iter().enumerate() {
        // A smaller digit before a larger one is subtracted (IV = 4); non-canonical forms
        // that this reads oddly are rejected by the comparison below.
        if digits.get(idx + 1).is_some_and(|&next| next > digit) { signed_total -= digit } else { signed_total += digit }
    }
    let total = u32::try_from(signed_total).ok().filter(|total| (1..4000).contains(total))?;
    // Only the canonical spelling counts: render the value and compare.
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
    (canonical == token).then_some(total)
}

/// True when `word` reads as a Roman numeral in running text: a canonical numeral in capitals
/// made of I, V and X (chapters, centuries, rulers: "XII", "XXI", "Petar I"), or holding X, or
/// of four letters or more ("MCMXC"); or a lower-case list number followed by ")" ("ii)").
/// Short numerals without X made of C, D, L, M are read as words and acronyms ("CD", "DVI",
/// "MI", "LI", "DIV"), and single letters other than I and V ("C", "D", "L", "M") as letters.
fn is_roman_numeral(word: &str, next_char: Option<char>) -> bool {
    if roman_value(word).is_some() && (word.chars().all(|c| "IVX".contains(c)) || word.len() >= 4) {
        return true;
    }
    next_char == Some(')') && word.len() >= 2 && roman_value(&word.to_ascii_uppercase()).is_some() && word.chars().all(|c| c.is_ascii_lowercase())
}

/// A span of protected text that transliteration copies as it is.
fn push_protected(ranges: &mut Vec<Range<usize>>, range: Range<usize>) {
    if let Some(last) = ranges.last_mut()
        && last.end >= range.start
    {
        last.end = last.end.max(range.end);
        return;
    }
    ranges.push(range);
}

/// Length in bytes of a printf or Python placeholder at the start of `rest` (which starts
/// with '%'): "%s", "%1$d", "%-10s", "%.2f", "%lu", "%'d", "%Id", "%(name)s", "%%".
fn placeholder_len(rest: &str) -> Option<usize> {
    let bytes = rest.as_bytes();
    let mut idx = 1;
    match bytes.get(idx) {
        Some(b'%') => return Some(2),
        Some(b'(') => {
            let close = rest[idx..].find(')')? + idx;
            let name = &rest[idx + 1..close];
            if name.is_empty() || name.len() > 40 || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                return None;
            }
            idx = close + 1;
            let conversion = bytes.get(idx)?;
            return conversion.is_ascii_alphabetic().then_some(idx + 1);
        }
        _ => {}
    }
    // Positional argument: digits then '$'.
    let digits_end = idx + bytes[idx..].iter().take_while(|b| b.is_ascii_digit()).count();
    if digits_end > idx && bytes.get(digits_end) == Some(&b'$') {
        idx = digits_end + 1;
    }
    while bytes.get(idx).is_some_and(|b| b"-+#0'I".contains(b)) {
        idx += 1;
    }
    while bytes.get(idx).is_some_and(|b| b.is_ascii_digit() || *b == b'*' || *b == b'.') {
        idx += 1;
    }
    while bytes.get(idx).is_some_and(|b| b"hlLqjzt".contains(b)) {
        idx += 1;
    }
    if let Some(&conversion) = bytes.get(idx)
        && b"diouxXeEfFgGaAcsSpn".contains(&conversion)
    {
        return Some(idx + 1);
    }
    strftime_len(rest)
}

/// Length of a strftime conversion ("%H", "%-e", "%OB", "%Y") at the start of `rest`, when no
/// letter follows it (so "%ovo" after a number stays text).
fn strftime_len(rest: &str) -> Option<usize> {
    let bytes = rest.as_bytes();
    let mut idx = 1;
    if bytes.get(idx).is_some_and(|b| b"-_0^#".contains(b)) {
        idx += 1;
    }
    if bytes.get(idx).is_some_and(|b| b"EO".contains(b)) && bytes.get(idx + 1).is_some_and(u8::is_ascii_alphabetic) {
        idx += 1;
    }
    if !bytes.get(idx).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    // The byte at idx is an ASCII letter, so idx + 1 is a character boundary.
    let then = rest[idx + 1..].chars().next();
    (!then.is_some_and(char::is_alphabetic)).then_some(idx + 1)
}

/// Length in bytes of a markup tag at the start of `rest` (which starts with '<'): "<b>",
/// "</a>", `<a href="…">`, "<br/>", "<choices>". Any name counts, so a Serbian word in angle
/// brackets ("<vrednost>") stays Latin too: translation files use that form for placeholders.
fn tag_len(rest: &str) -> Option<usize> {
    let after = rest[1..].chars().next()?;
    if !(after.is_ascii_alphabetic() || after == '/' || after == '!' || after == '?') {
        return None;
    }
    let close = rest.find('>')?;
    let inside = &rest[1..close];
    (close <= 400 && !inside.contains('<') && !inside.contains('\n')).then_some(close + 1)
}

/// Length in bytes of an entity ("&amp;", "&#8222;", "&#x201E;") at the start of `rest`.
fn entity_len(rest: &str) -> Option<usize> {
    let semicolon = rest.find(';')?;
    let body = &rest[1..semicolon];
    let valid = match body.strip_prefix('#') {
        Some(number) => match number.strip_prefix(['x', 'X']) {
            Some(hex) => !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit()),
            None => !number.is_empty() && number.chars().all(|c| c.is_ascii_digit()),
        },
        None => !body.is_empty() && body.len() <= 10 && body.chars().all(|c| c.is_ascii_alphanumeric()),
    };
    valid.then_some(semicolon + 1)
}

/// Length in bytes of "{name}", "{0}", "${name}" or "$NAME" at the start of `rest`.
fn variable_len(rest: &str) -> Option<usize> {
    let is_name_byte = |b: &u8| b.is_ascii_alphanumeric() || b"_.:-".contains(b);
    let body_start = if rest.starts_with("${") {
        2
    } else if rest.starts_with('{') {
        1
    } else {
        // "$HOME": '$' and an identifier.
        let name_len = rest[1..].bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
        let starts_with_letter = rest[1..].bytes().next().is_some_and(|b| b.is_ascii_alphabetic() || b == b'_');
        return (name_len > 0 && starts_with_letter).then_some(1 + name_len);
    };
    let body_len = rest[body_start..].bytes().take_while(is_name_byte).count();
    (rest[body_start + body_len..].starts_with('}')).then_some(body_start + body_len + 1)
}

/// Byte ranges of markup and placeholders in `text`: tags, entities, printf, strftime and
/// Python placeholders, shell variables.
pub(crate) fn markup_ranges(text: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut idx = 0;
    while let Some(found) = text[idx..].find(['<', '&', '%', '{', '$']) {
        let start = idx + found;
        let rest = &text[start..];
        let len = match rest.as_bytes()[0] {
            b'<' => tag_len(rest),
            b'&' => entity_len(rest),
            b'%' => placeholder_len(rest),
            _ => variable_len(rest),
        };
        match len {
            Some(len) => {
                push_protected(&mut ranges, start..start + len);
                idx = start + len;
            }
            None => idx = start + 1,
        }
    }
    ranges
}

/// True when a whitespace-delimited chunk (trimmed of surrounding punctuation) is a URL,
/// e-mail address, path, or a domain or file name.
fn is_address(core: &str) -> bool {
    if core.contains("://") || core.contains('@') || core.contains('\\') {
        return true;
    }
    let lower_start = core.get(..4).map(str::to_ascii_lowercase);
    if lower_start.as_deref() == Some("www.") {
        return true;
    }
    if (core.starts_with('/') || core.starts_with("~/") || core.starts_with("./")) && core.len() > 2 {
        return true;
    }
    // A file extension or glob (".zip", ".tar.gz", "*.bak") and a command-line option ("--help").
    let extension = core.strip_prefix("*.").or_else(|| core.strip_prefix('.'));
    if extension.is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_alphanumeric())) || core.starts_with("--") {
        return true;
    }
    // "rks-gov.net", "akt.pdf", "gschemas.compiled": labels joined by dots, the first and the
    // last at least two characters long and the last in small ASCII letters. Abbreviations
    // ("d.o.o", "i.sl", "v.d") have one-letter labels and stay Serbian.
    let labels: Vec<&str> = core.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|label| !label.is_empty() && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        && labels.first().is_some_and(|label| label.len() >= 2)
        && labels.last().is_some_and(|label| label.len() >= 2 && label.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

/// Byte ranges of `text` to copy unchanged: markup and placeholders, addresses, and pieces
/// with digits (codes such as "02/L-37"), except the case ending of "1990-ih". A piece is a
/// run of text between whitespace and markup.
fn protected_ranges(text: &str, codes: Codes) -> Vec<Range<usize>> {
    let markup = markup_ranges(text);
    let mut ranges: Vec<Range<usize>> = Vec::with_capacity(markup.len());
    let mut markup_idx = 0;
    let mut piece_start = None;
    // One extra step at the end closes the last piece.
    for (idx, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        while markup.get(markup_idx).is_some_and(|range| range.end <= idx) {
            markup_idx += 1;
        }
        let in_markup = markup.get(markup_idx).is_some_and(|range| range.contains(&idx));
        if !c.is_whitespace() && !in_markup {
            piece_start.get_or_insert(idx);
            continue;
        }
        let Some(start) = piece_start.take() else { continue };
        if let Some(range) = protected_piece(&text[start..idx], codes) {
            push_protected(&mut ranges, start + range.start..start + range.end);
        }
    }
    let mut all: Vec<Range<usize>> = ranges.into_iter().chain(markup).collect();
    all.sort_by_key(|range| range.start);
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(all.len());
    for range in all {
        push_protected(&mut merged, range);
    }
    merged
}

/// The part of one piece (text between whitespace and markup) to copy unchanged, relative to
/// the piece: all of an address or of a code with digits; the number of "1990-ih".
fn protected_piece(piece: &str, codes: Codes) -> Option<Range<usize>> {
    let core = piece.trim_matches(|c: char| !c.is_alphanumeric() && !"/~.\\_$*-".contains(c)).trim_end_matches(['.', '-']);
    if !core.is_empty() && is_address(core) {
        return Some(0..piece.len());
    }
    if !piece.chars().any(|c| c.is_ascii_digit()) || (codes == Codes::Translit && !is_act_number(core)) {
        return None;
    }
    Some(0..case_ending_after_number(piece).unwrap_or(piece.len()))
}

/// True for a number with a slash and digits before it: act and case numbers ("03/L-040",
/// "02/L-37", "12/2019"), which stay as written whatever [`Codes`] says.
fn is_act_number(core: &str) -> bool {
    core.split_once('/').is_some_and(|(before, after)| before.ends_with(|c: char| c.is_ascii_digit()) && !after.is_empty())
}

/// For "1990-ih", "5.-og", "20-tih": the byte offset where the Serbian case ending starts.
fn case_ending_after_number(chunk: &str) -> Option<usize> {
    let trimmed = chunk.trim_end_matches(|c: char| !c.is_alphanumeric());
    let hyphen = trimmed.rfind('-')?;
    let (number, ending) = (&trimmed[..hyphen], &trimmed[hyphen + 1..]);
    let number = number.trim_end_matches('.');
    let number_ok = !number.is_empty() && number.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',');
    let ending_ok = !ending.is_empty() && ending.chars().all(|c| c.is_lowercase() && is_serbian_latin_letter(c));
    (number_ok && ending_ok).then_some(hyphen + 1)
}

/// A candidate word: a run of letters (with combining marks, and apostrophes between letters)
/// outside protected text.
struct WordSpan {
    range: Range<usize>,
}

fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || is_combining_mark(c)
}

/// The words of `text` outside `protected`.
fn candidate_words(text: &str, protected: &[Range<usize>]) -> Vec<WordSpan> {
    let mut words = Vec::new();
    let mut protected_iter = protected.iter().peekable();
    let mut start: Option<usize> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((idx, c)) = chars.next() {
        while protected_iter.peek().is_some_and(|range| range.end <= idx) {
            protected_iter.next();
        }
        let in_protected = protected_iter.peek().is_some_and(|range| range.contains(&idx));
        let joins = (c == '\'' || c == '’') && start.is_some() && chars.peek().is_some_and(|(_, next)| next.is_alphabetic());
        if !in_protected && (is_word_char(c) || joins) {
            start.get_or_insert(idx);
            continue;
        }
        if let Some(word_start) = start.take() {
            words.push(WordSpan { range: word_start..idx });
        }
    }
    if let Some(word_start) = start {
        words.push(WordSpan { range: word_start..text.len() });
    }
    words
}

/// The case pattern of the letters of a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WordCase {
    Lower,
    Title,
    Upper,
    /// A capital after a small letter inside the word ("iPhone"); not Serbian writing.
    Mixed,
}

/// Reads the case of a word, counting a leading digraph as one letter: "Džemper" and
/// "DŽemper" are title case, "DžEMPER" and "DŽEMPER" all caps.
fn word_case(letters: &[char]) -> WordCase {
    let digraph_len = match letters {
        [first, second, ..] if digraph_to_cyr(lat_to_lower(*first), lat_to_lower(*second)).is_some() && first.is_uppercase() => 2,
        _ => 1,
    };
    let (head, tail) = letters.split_at(digraph_len.min(letters.len()));
    let head_upper = head.first().is_some_and(|c| c.is_uppercase());
    let tail_upper = tail.iter().filter(|c| c.is_uppercase()).count();
    let tail_lower = tail.iter().filter(|c| c.is_lowercase()).count();
    match (head_upper, tail_upper, tail_lower) {
        (false, 0, _) => {
            if head.iter().all(|c| !c.is_uppercase()) {
                WordCase::Lower
            } else {
                WordCase::Mixed
            }
        }
        (true, 0, _) => {
            if head.len() == 2 && head[1].is_uppercase() && tail_lower == 0 {
                WordCase::Upper
            } else {
                WordCase::Title
            }
        }
        (true, _, 0) => WordCase::Upper,
        _ => WordCase::Mixed,
    }
}

/// True when a word cannot be Serbian written in Gaj's alphabet.
fn is_foreign(word: &str, prev_char: Option<char>, next_char: Option<char>) -> bool {
    if word.contains(['\'', '’']) {
        return true;
    }
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    // Cyrillic letters in a Latin word are homoglyph damage, not foreign: they stay Cyrillic
    // and the Latin letters around them are transliterated.
    if letters.iter().any(|&c| !is_serbian_latin_letter(c) && !is_serbian_cyrillic_letter(c)) {
        return true;
    }
    let case = word_case(&letters);
    let lower: String = letters.iter().map(|&c| lat_to_lower(c)).collect();
    // The Albanian digraph gj ("Gjakova", "Gjilan") does not occur in Serbian words.
    if lower.contains("gj") {
        return true;
    }
    // Every Serbian word has a vowel or a syllabic r; "ls", "cd", "fd" are code. An
    // abbreviation with a full stop ("tj.", "npr.", "sl.") is Serbian, and so is a word of one
    // letter ("s", "k", "Lj") and a piece cut by an accelerator mark ("zn_akova").
    let has_vowel = lower.chars().any(|c| "aeiour".contains(c) || is_serbian_cyrillic_letter(c));
    let one_letter = letters.len() == 1 || (letters.len() == 2 && digraph_to_cyr(lat_to_lower(letters[0]), lat_to_lower(letters[1])).is_some());
    let beside_accelerator = prev_char == Some('_') || next_char == Some('_');
    !has_vowel && !one_letter && !beside_accelerator && case == WordCase::Lower && next_char != Some('.')
}

/// Unit symbols of the SI and of IEC 80000-13 that are written in Latin letters in any script
/// ("10 MB", "5 GHz"); the case of each is its own ("MB" is a unit, "mb" is not).
const UNIT_SYMBOLS: &[&str] = &[
    "kB", "KB", "MB", "GB", "TB", "PB", "EB", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "kbit", "Mbit", "Gbit", "kbps", "Mbps", "Gbps", "Hz", "kHz", "MHz",
    "GHz", "dpi", "ppi",
];

/// True when the word stands in a quoted token of ASCII (a literal value, option or command:
/// „none“, „as-folder“, „fpaste“) and the Serbian dictionary does not know it; a quoted Serbian
/// word („naziv“) is transliterated.
fn quoted_literal(text: &str, range: &Range<usize>, knowledge: &dyn WordKnowledge) -> bool {
    let start = text[..range.start].rfind(char::is_whitespace).map_or(0, |at| at + text[at..].chars().next().map_or(1, char::len_utf8));
    let end = text[range.end..].find(char::is_whitespace).map_or(text.len(), |at| range.end + at);
    let token = text[start..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')']);
    let mut chars = token.chars();
    let (Some(first), Some(last)) = (chars.next(), chars.next_back()) else { return false };
    let inner = chars.as_str();
    let quoted = is_opening_quote(first) && matches!(last, '“' | '”' | '"' | '\'' | '’' | '«' | '»');
    let word = &text[range.clone()];
    quoted
        && !inner.is_empty()
        && inner.chars().all(|c| c.is_ascii_alphanumeric() || "-_.:%".contains(c))
        && !knowledge.is_serbian_latin(word)
        && !knowledge.is_serbian_latin(&word.to_lowercase())
}

/// True for the quotation marks that open a quote in Serbian and English text.
fn is_opening_quote(c: char) -> bool {
    matches!(c, '„' | '“' | '"' | '\'' | '»' | '«' | '‘' | '‚')
}

/// True when a word of ASCII letters is English and not Serbian: the English dictionary knows
/// its lower-case form and the Serbian Latin one knows it in no case.
///
/// Only words that are written as words count: in small letters, with a capital where a
/// sentence or a quote opens (`opens`), or in capitals when five letters or longer ("COLOR").
/// A capitalised word inside a sentence is a name, which Serbian transcribes ("River",
/// "Stark"), and a short word in capitals an acronym, which Serbian Cyrillic text also
/// transliterates ("ИД", "ТИФФ", "ССХ").
fn is_english_not_serbian(word: &str, opens: bool, knowledge: &dyn WordKnowledge) -> bool {
    let letters: Vec<char> = word.chars().collect();
    if letters.len() < 3 || !letters.iter().all(char::is_ascii_alphabetic) {
        return false;
    }
    let written_as_word = match word_case(&letters) {
        WordCase::Lower => true,
        WordCase::Title => opens,
        WordCase::Upper => letters.len() >= 5,
        WordCase::Mixed => false,
    };
    if !written_as_word {
        return false;
    }
    let lower = word.to_ascii_lowercase();
    knowledge.is_english(&lower) && !knowledge.is_serbian_latin(word) && !knowledge.is_serbian_latin(&lower)
}

/// How one candidate word is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// A Serbian word: transliterate.
    Convert,
    /// A foreign word or code: keep, with the compound it belongs to.
    Foreign,
    /// A Roman numeral: keep ("XX-og" keeps XX and transliterates the ending).
    Numeral,
}

/// True when the word at `idx` stands among words in capitals ("SRBIJA I KOSOVO").
fn in_caps_context(text: &str, words: &[WordSpan], idx: usize) -> bool {
    let is_caps_word = |word: &WordSpan| {
        let letters: Vec<char> = text[word.range.clone()].chars().filter(|c| c.is_alphabetic()).collect();
        letters.len() >= 2 && word_case(&letters) == WordCase::Upper && roman_value(&text[word.range.clone()]).is_none()
    };
    let neighbour = |other: usize| {
        let (left, right) = if other < idx { (&words[other], &words[idx]) } else { (&words[idx], &words[other]) };
        // Only a neighbour in the same line and sentence counts.
        let between = &text[left.range.end..right.range.start];
        !between.contains(['\n', '.', '!', '?']) && is_caps_word(&words[other])
    };
    (idx > 0 && neighbour(idx - 1)) || (idx + 1 < words.len() && neighbour(idx + 1))
}

/// True when the word at `idx` opens a sentence: first in the text or after . ! ? or a line break.
fn starts_sentence(text: &str, words: &[WordSpan], idx: usize) -> bool {
    let before = if idx == 0 { &text[..words[idx].range.start] } else { &text[words[idx - 1].range.end..words[idx].range.start] };
    idx == 0 || before.contains(['.', '!', '?', '\n'])
}

/// Decides whether the word at `idx` is transliterated.
fn verdict(text: &str, words: &[WordSpan], idx: usize, knowledge: Option<&dyn WordKnowledge>) -> Verdict {
    let range = &words[idx].range;
    let word = &text[range.clone()];
    let next_char = text[range.end..].chars().next();
    let prev_char = text[..range.start].chars().next_back();
    // Numerals first: "XX" has a letter outside Gaj's alphabet but is no foreign word.
    if !is_roman_numeral(word, next_char) {
        let foreign = is_foreign(word, prev_char, next_char)
            || UNIT_SYMBOLS.contains(&word)
            || knowledge.is_some_and(|knowledge| quoted_literal(text, range, knowledge))
            || knowledge.is_some_and(|knowledge| {
                // Pieces cut by an accelerator mark ("Pos_tavke") are no words of their own.
                let accelerator = prev_char == Some('_') || next_char == Some('_');
                // A capital opens a sentence only where more words follow: a word alone is
                // more likely a name ("Saros", a village) than an English word.
                let opens = (starts_sentence(text, words, idx) && words.len() > 1) || prev_char.is_some_and(is_opening_quote);
                !accelerator && is_english_not_serbian(word, opens, knowledge)
            });
        return if foreign { Verdict::Foreign } else { Verdict::Convert };
    }
    let after_division = idx > 0 && {
        let previous = text[words[idx - 1].range.clone()].to_lowercase();
        DIVISION_WORDS.iter().any(|stem| previous.starts_with(stem))
    };
    if word.chars().count() == 1 && next_char == Some('.') {
        // "I." and "V." are numerals as headings ("V. Završne odredbe"), after a division
        // word ("glava V.") and after a name ("kralj Petar I."); elsewhere they are initials
        // ("prema V. Karadžiću").
        let after_name = idx > 0 && {
            let letters: Vec<char> = text[words[idx - 1].range.clone()].chars().collect();
            word_case(&letters) == WordCase::Title
        };
        let heading = starts_sentence(text, words, idx);
        return if after_division || after_name || heading { Verdict::Numeral } else { Verdict::Convert };
    }
    if !NUMERAL_WORDS.contains(&word) || next_char == Some('.') || next_char == Some(')') {
        return Verdict::Numeral;
    }
    // I and VI are numerals only in numeral context: after a division word ("ČLAN VI",
    // "kategorija I"), after a ruler ("Petar I", "kralj Tvrtko I"), beside another numeral
    // ("I i II", "I–IV"), or opening a line of a list whose other lines open with numerals.
    // Everywhere else they are the conjunction and the pronoun ("Prava I Obaveze", "VI STE").
    if after_division || after_ruler(text, words, idx) || beside_numeral(text, words, idx) || opens_list_line(text, words, idx) {
        return Verdict::Numeral;
    }
    if in_caps_context(text, words, idx) {
        return Verdict::Convert;
    }
    // Alone, or closing a phrase after a name ("Tvrtko I, kralj"): a numeral.
    let next_in_clause = words.get(idx + 1).is_some_and(|next| !text[range.end..next.range.start].contains([',', ';', ':', '.', '\n', '(', ')']));
    let after_title_case = idx > 0 && {
        let letters: Vec<char> = text[words[idx - 1].range.clone()].chars().collect();
        word_case(&letters) == WordCase::Title
    };
    if words.len() == 1 || (!next_in_clause && after_title_case) { Verdict::Numeral } else { Verdict::Convert }
}

/// True when the word before `idx` is a ruler's name, or a name after a ruler's title.
fn after_ruler(text: &str, words: &[WordSpan], idx: usize) -> bool {
    let lower = |at: usize| text[words[at].range.clone()].to_lowercase();
    if idx == 0 || !text[words[idx - 1].range.end..words[idx].range.start].chars().all(char::is_whitespace) {
        return false;
    }
    let previous = lower(idx - 1);
    if RULER_STEMS.iter().any(|stem| is_stem_form(&previous, stem)) {
        return true;
    }
    let letters: Vec<char> = text[words[idx - 1].range.clone()].chars().collect();
    idx >= 2 && word_case(&letters) == WordCase::Title && RULER_TITLES.iter().any(|title| is_stem_form(&lower(idx - 2), title))
}

/// True when another Roman numeral stands next to the word at `idx`, joined by a comma, a
/// dash or "i"/"do"/"ili" ("I, II i III", "I–IV", "od I do V").
fn beside_numeral(text: &str, words: &[WordSpan], idx: usize) -> bool {
    let joined = |left: usize, right: usize| {
        let between = text[words[left].range.end..words[right].range.start].trim();
        matches!(between, "," | "-" | "–" | "—" | "/" | "")
    };
    let numeral_at = |at: usize| {
        let word = &text[words[at].range.clone()];
        roman_value(word).is_some() && !NUMERAL_WORDS.contains(&word)
    };
    let conjunction = |at: usize| matches!(text[words[at].range.clone()].to_lowercase().as_str(), "i" | "do" | "ili");
    let left = idx >= 1 && numeral_at(idx - 1) && joined(idx - 1, idx);
    let left_far = idx >= 2 && numeral_at(idx - 2) && conjunction(idx - 1);
    let right = idx + 1 < words.len() && numeral_at(idx + 1) && joined(idx, idx + 1);
    let right_far = idx + 2 < words.len() && numeral_at(idx + 2) && conjunction(idx + 1);
    left || left_far || right || right_far
}

/// True when the word at `idx` opens a line and another line of the text opens with a Roman
/// numeral (a list of parts: "I Opšte odredbe / II Nadležnost").
fn opens_list_line(text: &str, words: &[WordSpan], idx: usize) -> bool {
    let line_start = text[..words[idx].range.start].rfind('\n').map_or(0, |at| at + 1);
    if !text[line_start..words[idx].range.start].trim().is_empty() {
        return false;
    }
    text.lines().filter_map(|line| line.split_whitespace().next()).filter(|first| first.trim_end_matches(['.', ')']).len() > 1).any(|first| {
        let first = first.trim_end_matches(['.', ')']);
        roman_value(first).is_some() && !NUMERAL_WORDS.contains(&first)
    })
}

/// Verdicts for all words, with compounds decided together: words joined by single hyphens
/// or underscores stay Latin together when one of them is foreign ("local-only"), when they
/// form an identifier (two underscores, "g_get_name"; or capitals joined by one,
/// "GTK_ALIGN"), or when a call "()" follows ("fstat()", "g_unlink()").
fn verdicts(text: &str, words: &[WordSpan], knowledge: Option<&dyn WordKnowledge>) -> Vec<Verdict> {
    let mut verdicts: Vec<Verdict> = (0..words.len()).map(|idx| verdict(text, words, idx, knowledge)).collect();
    let mut group_start = 0;
    while group_start < words.len() {
        let mut group_end = group_start + 1;
        let mut n_underscores = 0;
        while group_end < words.len() {
            let between = &text[words[group_end - 1].range.end..words[group_end].range.start];
            match between {
                "-" => {}
                "_" => n_underscores += 1,
                _ => break,
            }
            group_end += 1;
        }
        let group = group_start..group_end;
        let any_foreign = verdicts[group.clone()].contains(&Verdict::Foreign);
        let all_caps = words[group.clone()].iter().all(|word| {
            let letters: Vec<char> = text[word.range.clone()].chars().collect();
            letters.len() >= 2 && word_case(&letters) == WordCase::Upper
        });
        let identifier = n_underscores >= 2 || (n_underscores == 1 && all_caps);
        let call = text[words[group_end - 1].range.end..].starts_with("()");
        if any_foreign || identifier || call {
            verdicts[group].fill(Verdict::Foreign);
        }
        group_start = group_end;
    }
    verdicts
}

/// The most digraphs in one word that the dictionary is asked about (2^n spellings).
const MAX_DICTIONARY_DIGRAPHS: usize = 3;

/// Transliterates one Serbian word into `out`: lj, nj and dž as one letter, except in the known
/// split stems and where the dictionary spells the word with two letters.
fn word_to_cyr(word: &str, out: &mut String, knowledge: Option<&dyn WordKnowledge>) {
    let lower: String = word.chars().map(lat_to_lower).collect();
    let split_chars = split_digraph_prefix(&lower);
    let chars: Vec<char> = word.chars().collect();
    // Positions (char index of the first half) of the pairs that read as one letter by rule.
    let mut digraphs = Vec::new();
    let mut idx = 0;
    while idx + 1 < chars.len() {
        let (c, next) = (chars[idx], chars[idx + 1]);
        // "nJ" is two letters: a digraph never has a capital second half after a small first.
        if idx + 1 >= split_chars && !(c.is_lowercase() && next.is_uppercase()) && digraph_to_cyr(lat_to_lower(c), lat_to_lower(next)).is_some() {
            digraphs.push(idx);
            idx += 2;
        } else {
            idx += 1;
        }
    }
    let joined = match knowledge {
        Some(knowledge) if !digraphs.is_empty() && digraphs.len() <= MAX_DICTIONARY_DIGRAPHS => dictionary_digraphs(&chars, &digraphs, knowledge),
        _ => digraphs,
    };
    write_cyr(&chars, &joined, out);
}

/// The digraphs to join as the dictionary spells the word: all of them when it knows that
/// spelling or no spelling at all; otherwise the first spelling it knows with fewer joined.
fn dictionary_digraphs(chars: &[char], digraphs: &[usize], knowledge: &dyn WordKnowledge) -> Vec<usize> {
    let spell = |joined: &[usize]| {
        let mut spelled = String::with_capacity(chars.len() * 2);
        write_cyr(chars, joined, &mut spelled);
        spelled
    };
    if knowledge.is_serbian_cyrillic(&spell(digraphs)) {
        return digraphs.to_vec();
    }
    // Subsets of the digraphs, most joined first: "konjunkcija" tries к-о-њ-у… and then
    // к-о-н-ј-у…; a word with nj twice tries one split before both.
    let n = digraphs.len();
    let mut masks: Vec<u32> = (0..(1u32 << n) - 1).collect();
    masks.sort_by_key(|mask| std::cmp::Reverse(mask.count_ones()));
    for mask in masks {
        let joined: Vec<usize> = digraphs.iter().enumerate().filter(|(bit, _)| mask & (1 << bit) != 0).map(|(_, &at)| at).collect();
        if knowledge.is_serbian_cyrillic(&spell(&joined)) {
            return joined;
        }
    }
    digraphs.to_vec()
}

/// Writes `chars` in Cyrillic, reading the pairs that start at `joined` as one letter.
fn write_cyr(chars: &[char], joined: &[usize], out: &mut String) {
    let upper_if = |c: char, cyrillic: char| if c.is_uppercase() { cyr_to_upper(cyrillic) } else { cyrillic };
    let mut idx = 0;
    while idx < chars.len() {
        let c = chars[idx];
        let lower_c = lat_to_lower(c);
        if joined.contains(&idx)
            && let Some(cyrillic) = chars.get(idx + 1).and_then(|&next| digraph_to_cyr(lower_c, lat_to_lower(next)))
        {
            out.push(upper_if(c, cyrillic));
            idx += 2;
            continue;
        }
        match lat_lower_to_cyr(lower_c) {
            Some(cyrillic) => out.push(upper_if(c, cyrillic)),
            None => out.push(c),
        }
        idx += 1;
    }
}

/// Transliterates Serbian Latin to Cyrillic, leaving URLs, e-mail addresses, codes with
/// digits, Roman numerals, markup, placeholders and foreign words as they are (see the module
/// documentation for the rules).
///
/// ```
/// use termbridge::text::lat_to_cyr;
/// assert_eq!(lat_to_cyr("Ljubljana, Njujork, džemper"), "Љубљана, Њујорк, џемпер");
/// assert_eq!(lat_to_cyr("LJUBLJANA, NJEGOŠ, DžEMPER"), "ЉУБЉАНА, ЊЕГОШ, ЏЕМПЕР");
/// assert_eq!(lat_to_cyr("nadživeti, injekcija"), "надживети, инјекција");
/// assert_eq!(lat_to_cyr("Zakon 02/L-37, član XII, www.rks-gov.net"), "Закон 02/L-37, члан XII, www.rks-gov.net");
/// assert_eq!(lat_to_cyr("Datoteka „%s“ je na <b>Windows</b> disku"), "Датотека „%s“ је на <b>Windows</b> диску");
/// ```
pub fn lat_to_cyr(text: &str) -> Cow<'_, str> {
    LatToCyr::default().convert(text)
}

impl LatToCyr<'_> {
    /// Transliterates Serbian Latin to Cyrillic with these options (see [`lat_to_cyr`] and
    /// the type's documentation).
    ///
    /// ```
    /// use termbridge::text::translit::{Codes, LatToCyr};
    /// let codes = LatToCyr { codes: Codes::Translit, ..LatToCyr::default() };
    /// assert_eq!(codes.convert("format A4, UTF-8, Zakon 03/L-040"), "формат А4, УТФ-8, Закон 03/L-040");
    /// ```
    pub fn convert<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if !text.chars().any(is_serbian_latin_letter) {
            return Cow::Borrowed(text);
        }
        let normalized = nfc_of(text);
        let source: &str = &normalized;
        let protected = protected_ranges(source, self.codes);
        let words = candidate_words(source, &protected);
        let verdicts = verdicts(source, &words, self.words);
        let mut out = String::new();
        let mut copied_to = 0;
        for (word_span, verdict) in words.iter().zip(verdicts) {
            let range = &word_span.range;
            let word = &source[range.clone()];
            if verdict != Verdict::Convert || !word.chars().any(is_serbian_latin_letter) {
                continue;
            }
            if out.is_empty() {
                out.reserve(source.len() * 2);
            }
            out.push_str(&source[copied_to..range.start]);
            word_to_cyr(word, &mut out, self.words);
            copied_to = range.end;
        }
        if copied_to == 0 && out.is_empty() {
            return normalized;
        }
        out.push_str(&source[copied_to..]);
        Cow::Owned(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Both directions: `cyrillic` ↔ `latin`.
    fn check(cyrillic: &str, latin: &str) {
        assert_eq!(cyr_to_lat(cyrillic), latin, "cyr→lat {cyrillic}");
        assert_eq!(lat_to_cyr(latin), cyrillic, "lat→cyr {latin}");
    }

    /// Latin→Cyrillic only (the Latin is not what Cyrillic→Latin writes, or is kept).
    fn to_cyr(latin: &str, cyrillic: &str) {
        assert_eq!(lat_to_cyr(latin), cyrillic, "lat→cyr {latin}");
    }

    /// Cyrillic→Latin only.
    fn to_lat(cyrillic: &str, latin: &str) {
        assert_eq!(cyr_to_lat(cyrillic), latin, "cyr→lat {cyrillic}");
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
        check("ЏЕП и Џеп", "DŽEP i Džep");
        check("ПАЏ", "PADŽ");
        check("Џемпер", "Džemper");
        check("ЏЕМПЕР", "DŽEMPER");
        check("Гњилане", "Gnjilane");
        check("ГЊИЛАНЕ", "GNJILANE");
        check("Косово Поље", "Kosovo Polje");
        check("Љ", "Lj");
        check("Вучитрн, Штрпце, Зубин Поток", "Vučitrn, Štrpce, Zubin Potok");
        check("Канцеларија повереника за језике", "Kancelarija poverenika za jezike");
        check("", "");
        check("123, „—“", "123, „—“");
    }

    #[test]
    fn split_digraphs() {
        check("надживети", "nadživeti");
        check("Надживљавати", "Nadživljavati");
        check("НАДЖИВЕТИ", "NADŽIVETI");
        check("инјекција", "injekcija");
        check("Инјектор", "Injektor");
        check("конјункција", "konjunkcija");
        check("конјунктура", "konjunktura");
        check("конјугација", "konjugacija");
        check("конјектура", "konjektura");
        check("оджалити", "odžaliti");
        check("поджанр", "podžanr");
        check("поджарити", "podžariti");
        check("поджупан", "podžupan");
        check("преджетвени", "predžetveni");
        check("поджелудачна", "podželudačna");
        check("ванјезички", "vanjezički");
        check("ванјугословенски", "vanjugoslovenski");
        check("панјугословенски", "panjugoslovenski");
        check("Танјуг", "Tanjug");
        check("ТАНЈУГ", "TANJUG");
        // Real џ and њ that look like the stems.
        check("оџак", "odžak");
        check("Оџаци", "Odžaci");
        check("наџак", "nadžak");
        check("коњ", "konj");
        check("коњица", "konjica");
        check("вањски", "vanjski");
        check("Подњемачка", "Podnjemačka");
    }

    #[test]
    fn mixed_case_digraphs() {
        to_cyr("DžEMPER", "ЏЕМПЕР");
        to_cyr("DŽemper", "Џемпер");
        to_cyr("LjUBLJANA", "ЉУБЉАНА");
        to_cyr("NJegoš", "Његош");
        // A small letter before a capital is no digraph.
        to_cyr("nJ", "нЈ");
        // Capitals inside a word are kept letter by letter.
        to_cyr("OpenGL, DjVu, iPhone", "ОпенГЛ, ДјВу, иПхоне");
        to_cyr("Nj", "Њ");
        to_cyr("NJ", "Њ");
    }

    #[test]
    fn keeps_what_is_not_serbian_words() {
        for text in [
            "https://kk.rks-gov.net/prishtine",
            "info@rks-gov.net",
            "www.rks-gov.net",
            "rks-gov.net",
            "odluka.pdf",
            "/usr/share/locale",
            "02/L-37",
            "A4",
            "COVID-19",
            "XIV",
            "Windows",
            "Prishtinë",
            "Gjakova",
            "O'Brien",
            "ownCloud",
            "local-only",
            "fstat()",
            "g_get_application_name",
            "GTK_ALIGN_BASELINE",
            "--help",
            ".tar.gz",
            "*.bak",
            "%H:%M",
            "%-e. %B %Y.",
            "<span weight=\"bold\">",
            "<choices>",
            "ls",
            "cd",
            "%s",
            "%1$d",
            "%(name)s",
            "{count}",
            "${HOME}",
            "$HOME",
            "<b>",
            "&amp;",
        ] {
            assert_eq!(lat_to_cyr(text), text, "{text}");
        }
    }

    #[test]
    fn keeps_inside_running_text() {
        to_cyr("Zakon br. 02/L-37 o upotrebi jezika", "Закон бр. 02/L-37 о употреби језика");
        to_cyr("Pišite na info@rks-gov.net ili idite na https://rks-gov.net.", "Пишите на info@rks-gov.net или идите на https://rks-gov.net.");
        to_cyr("Otvori %s u %d sekundi", "Отвори %s у %d секунди");
        to_cyr("Obriši „%(name)s“?", "Обриши „%(name)s“?");
        to_cyr("<a href=\"https://gnome.org\">Sajt</a> projekta", "<a href=\"https://gnome.org\">Сајт</a> пројекта");
        to_cyr("Pokreni ls u terminalu", "Покрени ls у терминалу");
        to_cyr("Kosovo i Prishtinë", "Косово и Prishtinë");
        to_cyr("tj. npr. sl. itd.", "тј. нпр. сл. итд.");
        to_cyr("d.o.o. i v.d. direktora", "д.о.о. и в.д. директора");
        to_cyr("1990-ih godina, 5.-og dana", "1990-их година, 5.-ог дана");
        to_cyr("Sačuvaj _kao", "Сачувај _као");
        to_cyr("P_rikaži ključ, zn_akova", "П_рикажи кључ, зн_акова");
        to_cyr("Amerika/Sent_Tomas", "Америка/Сент_Томас");
        to_cyr("<vrednost> <b>tekst</b>", "<vrednost> <b>текст</b>");
        to_cyr("Gtk i Gdk", "Гтк и Гдк");
        to_cyr("Sačuvaj arhivu (.zip) kao *.bak", "Сачувај архиву (.zip) као *.bak");
        to_cyr("Vrednost „local-only“ ili „crveno-plava“", "Вредност „local-only“ или „црвено-плава“");
        to_cyr("čl. 5. st. 2", "чл. 5. ст. 2");
    }

    #[test]
    fn roman_numerals() {
        to_cyr("član XII", "члан XII");
        to_cyr("Petar I Karađorđević", "Петар I Карађорђевић");
        to_cyr("XX vek", "XX век");
        to_cyr("I. Opšte odredbe", "I. Опште одредбе");
        to_cyr("V. Završne odredbe", "V. Завршне одредбе");
        to_cyr("prema V. Karadžiću i I. Andriću", "према В. Караџићу и И. Андрићу");
        to_cyr("kralj Petar I. i glava V.", "краљ Петар I. и глава V.");
        to_cyr("ČLAN VI", "ЧЛАН VI");
        to_cyr("GLAVA I", "ГЛАВА I");
        to_cyr("I tako dalje", "И тако даље");
        to_cyr("Došli smo. I tako", "Дошли смо. И тако");
        to_cyr("SRBIJA I KOSOVO", "СРБИЈА И КОСОВО");
        to_cyr("MI SMO TU", "МИ СМО ТУ");
        to_cyr("VI STE", "ВИ СТЕ");
        to_cyr("tačka ii) i iv)", "тачка ii) и iv)");
        // Non-canonical "numerals" are words, and so are short ones of C, D, L, M.
        to_cyr("DIM", "ДИМ");
        to_cyr("Mi smo", "Ми смо");
        to_cyr("CD i DVD, DIV, LI, C", "ЦД и ДВД, ДИВ, ЛИ, Ц");
        to_cyr("D-sabirnica, vitamin C", "Д-сабирница, витамин Ц");
        to_cyr("XX-og veka, MCMXC", "XX-ог века, MCMXC");
    }

    #[test]
    fn capital_i_is_the_conjunction_outside_numeral_context() {
        // Title-case headings and names joined by a capital I.
        to_cyr("Prava I Obaveze Zajednica", "Права И Обавезе Заједница");
        to_cyr("Ana I Marko", "Ана И Марко");
        // Rulers, also inflected and after a title.
        to_cyr("za vlade Petra I", "за владе Петра I");
        to_cyr("kralj Tvrtko I", "краљ Твртко I");
        to_cyr("Tvrtko I, kralj Bosne", "Твртко I, краљ Босне");
        to_cyr("papa Pavle VI", "папа Павле VI");
        // Divisions, sequences and lists.
        to_cyr("kategorija I i zona VI", "категорија I и зона VI");
        to_cyr("delovi I, II i III", "делови I, II и III");
        to_cyr("poglavlja I–IV", "поглавља I–IV");
        to_cyr("od I do V", "од I до V");
        to_cyr("I Opšte odredbe\nII Nadležnost", "I Опште одредбе\nII Надлежност");
        to_cyr("I tako\nVI ste", "И тако\nВИ сте");
        to_cyr("I", "I");
    }

    #[test]
    fn codes_are_kept_or_transliterated_as_asked() {
        let translit = LatToCyr { codes: Codes::Translit, ..LatToCyr::default() };
        for (latin, kept, transliterated) in [
            ("papir A4", "папир A4", "папир А4"),
            ("kodiranje UTF-8", "кодирање UTF-8", "кодирање УТФ-8"),
            ("protokoli POP3 i IPv6", "протоколи POP3 и IPv6", "протоколи ПОП3 и ИПв6"),
            ("Zakon br. 03/L-040 od 12/2019", "Закон бр. 03/L-040 од 12/2019", "Закон бр. 03/L-040 од 12/2019"),
            ("1990-ih", "1990-их", "1990-их"),
        ] {
            assert_eq!(lat_to_cyr(latin), kept, "keep {latin}");
            assert_eq!(translit.convert(latin), transliterated, "translit {latin}");
        }
    }

    #[test]
    fn unit_symbols_stay_latin() {
        to_cyr("veličina 10 MB, 4 GiB i 2,4 GHz", "величина 10 MB, 4 GiB и 2,4 GHz");
        // A unit's case is its own: "Mb" is no unit symbol here.
        to_cyr("Mb", "Мб");
    }

    /// A dictionary of a few words, to test what the options do with one.
    struct FakeWords {
        cyrillic: &'static [&'static str],
        latin: &'static [&'static str],
        english: &'static [&'static str],
    }

    impl WordKnowledge for FakeWords {
        fn is_serbian_cyrillic(&self, word: &str) -> bool {
            self.cyrillic.contains(&word.to_lowercase().as_str())
        }
        fn is_serbian_latin(&self, word: &str) -> bool {
            self.latin.contains(&word.to_lowercase().as_str())
        }
        fn is_english(&self, word: &str) -> bool {
            self.english.contains(&word)
        }
    }

    const FAKE: FakeWords = FakeWords {
        cyrillic: &["коњ", "инјекција", "конјункција", "ињ", "конјугација", "наджњети", "мој"],
        latin: &["konj", "injekcija", "konjunkcija", "filter", "to", "na", "je", "reka", "vrednost"],
        english: &["never", "home", "color", "filter", "river", "tiff", "to", "none", "always", "folder", "as"],
    };

    fn with_words(latin: &str) -> String {
        LatToCyr { words: Some(&FAKE), ..LatToCyr::default() }.convert(latin).into_owned()
    }

    #[test]
    fn the_dictionary_decides_digraphs() {
        // Spelled with н+ј in the dictionary: split, although no stem lists the word.
        assert_eq!(with_words("konjunkcija"), "конјункција");
        assert_eq!(with_words("KONJUGACIJA"), "КОНЈУГАЦИЈА");
        // Known with њ, or unknown: one letter.
        assert_eq!(with_words("konj"), "коњ");
        assert_eq!(with_words("Njujork"), "Њујорк");
        // Without the dictionary the rules alone decide.
        assert_eq!(lat_to_cyr("konjugacija"), "конјугација", "a listed stem");
        assert_eq!(lat_to_cyr("konjunkcija"), "конјункција", "a listed stem");
    }

    #[test]
    fn english_words_serbian_does_not_know_stay_latin() {
        assert_eq!(with_words("vrednost never i always"), "вредност never и always");
        assert_eq!(with_words("Home je"), "Home је", "capital where a sentence opens");
        assert_eq!(with_words("Home"), "Хоме", "a capitalised word alone is a name");
        assert_eq!(with_words("ključ COLOR"), "кључ COLOR", "five capitals or more");
        // Known to Serbian too: transliterated.
        assert_eq!(with_words("filter to"), "филтер то");
        // A capitalised word inside a sentence is a name, short capitals an acronym.
        assert_eq!(with_words("reka River"), "река Ривер");
        assert_eq!(with_words("format TIFF"), "формат ТИФФ");
        // Pieces cut by an accelerator are no words.
        assert_eq!(with_words("_never"), "_невер");
        // Without the dictionary, no word is English.
        assert_eq!(lat_to_cyr("never"), "невер");
    }

    #[test]
    fn quoted_literal_values_stay_latin_with_a_dictionary() {
        assert_eq!(with_words("vrednost „none“ ili „as-folder“, i „vrednost“."), "вредност „none“ или „as-folder“, и „вредност“.");
        assert_eq!(lat_to_cyr("„none“"), "„ноне“");
    }

    #[test]
    fn decomposed_input_is_composed_first() {
        to_cyr("c\u{30c}as", "час");
        to_lat("и\u{306}", "й");
    }

    #[test]
    fn mixed_script_words_are_repaired_toward_cyrillic() {
        // "Приштинa" with a Latin a: the Cyrillic letters stay, the Latin one is converted.
        to_cyr("Приштинa", "Приштина");
        to_lat("Priшtina", "Priština");
    }

    #[test]
    fn non_serbian_cyrillic_passes_through() {
        to_lat("Москва, Київ, Ѓорѓе", "Moskva, Kiїv, Ѓorѓe");
    }

    #[test]
    fn borrows_when_nothing_changes() {
        assert!(matches!(cyr_to_lat("Priština"), Cow::Borrowed(_)));
        assert!(matches!(lat_to_cyr("Приштина 02/L-37"), Cow::Borrowed(_)));
        assert!(matches!(lat_to_cyr("Windows XP"), Cow::Borrowed(_)));
    }

    #[test]
    fn tables_are_inverse() {
        for (cyrillic, latin) in CYR_TO_LAT {
            let mut letters = latin.chars();
            match (letters.next(), letters.next()) {
                (Some(single), None) => assert_eq!(lat_lower_to_cyr(single), Some(*cyrillic)),
                (Some(first), Some(second)) => assert_eq!(digraph_to_cyr(first, second), Some(*cyrillic)),
                _ => unreachable!("empty Latin form of {cyrillic}"),
            }
            assert_eq!(cyr_to_lower(cyr_to_upper(*cyrillic)), *cyrillic);
            assert!(is_serbian_cyrillic_letter(cyr_to_upper(*cyrillic)));
        }
        assert_eq!(LAT_TO_CYR.len() + 3, CYR_TO_LAT.len());
        for (latin, _) in LAT_TO_CYR {
            let upper: Vec<char> = latin.to_uppercase().collect();
            assert_eq!(lat_to_lower(upper[0]), *latin);
        }
    }

    #[test]
    fn split_stems_are_lower_case_and_hold_a_pair() {
        for stem in SPLIT_DIGRAPH_STEMS {
            assert_eq!(stem.to_lowercase(), *stem);
            assert!(stem.contains("dž") || stem.contains("nj") || stem.contains("lj"), "{stem}");
        }
    }

    /// The hard cases of `tests/data/text/translit_cases.tsv` (also scored for other tools by
    /// `benches/translit_compare.py`): "both" rows go both ways, "lat2cyr" rows one way.
    #[test]
    fn golden_cases() {
        let cases = include_str!("../../tests/data/text/translit_cases.tsv");
        let mut n_cases = 0;
        for line in cases.lines().skip(1).filter(|line| !line.trim().is_empty()) {
            let fields: Vec<&str> = line.split('\t').collect();
            assert_eq!(fields.len(), 4, "bad line {line:?}");
            let (cyrillic, latin, direction) = (fields[0], fields[1], fields[2]);
            match direction {
                "both" => check(cyrillic, latin),
                "lat2cyr" => to_cyr(latin, cyrillic),
                other => panic!("unknown direction {other:?} in {line:?}"),
            }
            n_cases += 1;
        }
        assert!(n_cases >= 40);
    }

    /// Every settlement and municipality of the gazetteer with both Serbian scripts must
    /// transliterate both ways, except the rows listed, with the reason, in the golden file
    /// `tests/data/text/translit_gazetteer_mismatches.tsv`. `TERMBRIDGE_BLESS=1` rewrites the
    /// list (keeping the reasons already written); read the diff.
    #[test]
    fn gazetteer_round_trips() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let places = root.join("../shared/data/places/places.csv");
        if !places.exists() {
            println!("SKIPPED: ../shared/data/places/places.csv not present");
            return;
        }
        let golden_path = root.join("tests/data/text/translit_gazetteer_mismatches.tsv");
        let golden_text = std::fs::read_to_string(&golden_path).unwrap_or_default();
        let mut known = std::collections::BTreeMap::new();
        for line in golden_text.lines().skip(1).filter(|line| !line.trim().is_empty()) {
            let fields: Vec<&str> = line.split('\t').collect();
            assert_eq!(fields.len(), 3, "{}: bad line {line:?}", golden_path.display());
            known.insert((fields[0].to_string(), fields[1].to_string()), fields[2].to_string());
        }
        let mut reader = csv::Reader::from_path(&places).expect("places.csv opens");
        let headers = reader.headers().expect("places.csv has a header").clone();
        let column = |name: &str| headers.iter().position(|header| header == name).unwrap_or_else(|| panic!("places.csv has no {name} column"));
        let (latin_col, cyrillic_col) = (column("name_sr_latn"), column("name_sr_cyrl"));
        let mut mismatches = std::collections::BTreeMap::new();
        let mut n_rows = 0;
        for record in reader.records() {
            let record = record.expect("places.csv row parses");
            let (latin, cyrillic) = (&record[latin_col], &record[cyrillic_col]);
            if latin.is_empty() || cyrillic.is_empty() {
                continue;
            }
            n_rows += 1;
            let (to_cyrillic, to_latin) = (lat_to_cyr(latin), cyr_to_lat(cyrillic));
            if to_cyrillic != cyrillic || to_latin != latin {
                mismatches.insert((latin.to_string(), cyrillic.to_string()), format!("lat→cyr {to_cyrillic}, cyr→lat {to_latin}"));
            }
        }
        assert!(n_rows > 1000, "only {n_rows} rows with both scripts");
        if crate::testing::blessing() {
            let mut text = String::from("latin\tcyrillic\twhy\n");
            for key in mismatches.keys() {
                let why = known.get(key).cloned().unwrap_or_else(|| "UNCLASSIFIED: review".to_string());
                text.push_str(&format!("{}\t{}\t{why}\n", key.0, key.1));
            }
            std::fs::write(&golden_path, text).expect("golden file is writable");
            return;
        }
        let unexpected: Vec<String> =
            mismatches.iter().filter(|(key, _)| !known.contains_key(*key)).map(|(key, got)| format!("{} | {}: {got}", key.0, key.1)).collect();
        let stale: Vec<String> = known.keys().filter(|key| !mismatches.contains_key(*key)).map(|key| format!("{} | {}", key.0, key.1)).collect();
        assert!(unexpected.is_empty(), "{} gazetteer rows do not transliterate and are not listed:\n{}", unexpected.len(), unexpected.join("\n"));
        assert!(stale.is_empty(), "listed as mismatches but now transliterate (remove them):\n{}", stale.join("\n"));
    }

    /// The 30 Serbian Cyrillic letters, lower case.
    const LETTERS: &str = "абвгдђежзијклљмнњопрстћуфхцчџш";
    const VOWELS: &str = "аеиоу";

    /// A Cyrillic word of syllables (consonants then a vowel) that avoids н+ј, л+ј and д+ж,
    /// the pairs that are one Latin digraph in all but the exception words, and г+ј, which
    /// no Serbian word has and which marks Albanian words in Latin ("Gjakova").
    fn cyrillic_word() -> impl Strategy<Value = String> {
        let consonants: Vec<char> = LETTERS.chars().filter(|c| !VOWELS.contains(*c)).collect();
        let vowels: Vec<char> = VOWELS.chars().collect();
        let syllable = (proptest::collection::vec(proptest::sample::select(consonants.clone()), 0..3), proptest::sample::select(vowels));
        let coda = proptest::collection::vec(proptest::sample::select(consonants.clone()), 0..3);
        let syllabic = (proptest::collection::vec(syllable, 1..5), coda).prop_map(|(syllables, coda)| {
            let mut word = String::new();
            for (onset, vowel) in syllables {
                word.extend(onset);
                word.push(vowel);
            }
            word.extend(coda);
            word
        });
        // Words of one consonant: the prepositions с and к, and letters named on their own.
        let one_letter = proptest::sample::select(consonants).prop_map(String::from);
        prop_oneof![9 => syllabic, 1 => one_letter].prop_map(|mut word| {
            // Removing the second letter of a pair can make a new pair ("нјј"): repeat.
            loop {
                let cleaned = word.replace("нј", "н").replace("лј", "л").replace("дж", "д").replace("гј", "г");
                if cleaned == word {
                    return word;
                }
                word = cleaned;
            }
        })
    }

    /// Upper-cases a Cyrillic word as lower, Title or UPPER.
    fn with_case(word: &str, case: u8) -> String {
        match case {
            0 => word.to_string(),
            1 => {
                let mut chars = word.chars();
                chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
            }
            _ => word.to_uppercase(),
        }
    }

    /// True when the Latin form of an all-caps word reads as a Roman numeral (ВИ → VI, ИВ →
    /// IV): outside the contexts that [`verdict`] reads as words, those stay Latin by design.
    fn spells_numeral(cyrillic: &str) -> bool {
        is_roman_numeral(&cyr_to_lat(cyrillic), None)
    }

    /// True when the Latin form of a generated word is a unit symbol (ЕБ → EB), which stays
    /// Latin by design.
    fn spells_unit(cyrillic: &str) -> bool {
        UNIT_SYMBOLS.contains(&cyr_to_lat(cyrillic).as_ref())
    }

    /// True when the Latin form of a generated word starts like an exception word ("оџара" →
    /// "odžara", like "odžaliti"): those are spelled with two letters, and the golden list
    /// tests them.
    fn starts_like_exception(cyrillic: &str) -> bool {
        split_digraph_prefix(&cyr_to_lat(cyrillic).to_lowercase()) > 0
    }

    fn cyrillic_text() -> impl Strategy<Value = String> {
        let word = (cyrillic_word(), 0u8..3)
            .prop_map(|(word, case)| with_case(&word, case))
            .prop_filter("numeral", |word| !spells_numeral(word))
            .prop_filter("unit", |word| !spells_unit(word))
            .prop_filter("exception", |word| !starts_like_exception(word));
        let separator = proptest::sample::select(vec![" ", ", ", ". ", " — ", "\n", " „", "“ ", "-"]);
        (proptest::collection::vec((word, separator), 1..8)).prop_map(|parts| {
            let mut text = String::new();
            for (word, separator) in parts {
                text.push_str(&word);
                text.push_str(separator);
            }
            text
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn cyrillic_round_trips(text in cyrillic_text()) {
            let latin = cyr_to_lat(&text);
            prop_assert_eq!(lat_to_cyr(&latin), text.as_str(), "via {}", latin);
        }

        #[test]
        fn latin_round_trips(text in cyrillic_text()) {
            // Serbian Latin made from generated Cyrillic: lower, Title and UPPER words with
            // digraphs written LJ/Lj/lj.
            let latin = cyr_to_lat(&text).into_owned();
            let cyrillic = lat_to_cyr(&latin);
            prop_assert_eq!(cyr_to_lat(&cyrillic), latin.as_str());
        }

        #[test]
        fn never_panics(text in any::<String>()) {
            let _ = cyr_to_lat(&text);
            let _ = lat_to_cyr(&text);
        }

        #[test]
        fn never_panics_on_markup_like_text(text in "[a-zA-Zčćđšž%<>&{}$;()'’_./@:0-9 \\-]{0,40}") {
            let _ = lat_to_cyr(&text);
            let _ = cyr_to_lat(&lat_to_cyr(&text));
        }

        #[test]
        fn dictionary_decisions_keep_the_round_trip(text in cyrillic_text()) {
            // However a dictionary splits or joins lj, nj and dž, the Cyrillic reads back as
            // the same Latin.
            let latin = cyr_to_lat(&text).into_owned();
            let cyrillic = LatToCyr { words: Some(&FAKE), codes: Codes::Translit }.convert(&latin).into_owned();
            prop_assert_eq!(cyr_to_lat(&cyrillic), latin.as_str());
        }

        #[test]
        fn latin_output_has_no_serbian_cyrillic(text in any::<String>()) {
            prop_assert!(!cyr_to_lat(&text).chars().any(is_serbian_cyrillic_letter));
        }
    }
}
