//! Sentence and word segmentation for Albanian, Serbian (both scripts) and English
//! administrative text, as byte ranges into the original.
//!
//! Sentences start from the Unicode sentence boundaries (UAX #29, through unicode-segmentation)
//! and then undo the boundaries that legal and administrative writing does not mean:
//! - after abbreviations that never end a sentence here ([`ABBREVIATIONS`]: nr., čl., br.,
//!   tj., p.sh., Dr., e.g. …) and after initials ("A. B. Smith");
//! - after the ordinal dot of a numbered provision ("sipas nenit 5. Ligji", "u članu 5.
//!   Zakona") and of a date ("12.03.2024. Skupština", also written "12. 03. 2024.");
//! - after a bare list marker ("1.", "a)", "(2)", "Neni 5"), which is not split from its text.
//!
//! Lines matter: a blank line ends a segment, and so does a line that starts with a numbered
//! provision ("Neni 5", "Član 5", "Члан 5", "Article 5", "1.1", "1.", "a)", "(2)"). A line
//! that starts in lower case continues the sentence of the line before (hard-wrapped text),
//! unless that line ended a sentence.
//!
//! Words are UAX #29 words (runs of letters and digits, "3.5" and "12.03.2024" whole), with
//! law and regulation numbers kept whole ("02/L-37", "UNMIK/REG/2000/45").
//!
//! It deliberately does not guess sentence ends that have no punctuation, nor split text
//! inside a line at list markers ("si vijon: a) … b) …" stays one sentence).

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

/// Abbreviations after which a full stop does not end a sentence, lower case, without their
/// final dot. Sentence-final ones (itd., etj., etc., i sl.) are not here: after them a capital
/// letter does start a new sentence, and UAX #29 already continues before a lower-case word.
pub const ABBREVIATIONS: &[&str] = &[
    // Albanian: numri, neni, paragrafi, faqe, për shembull, zoti/zonja, profesor, doktor.
    "nr", "nr.rend", "art", "par", "para", "fq", "p.sh", "psh", "z", "znj", "prof", "dr", "mr", "dt", "pik",
    // Serbian Latin: član, broj, stav, strana, to jest, na primer, godina, gospodin/gospođa,
    // tačka, alineja, Službeni (list), odnosno.
    "čl", "cl", "br", "st", "str", "tj", "npr", "god", "g", "gos", "gđa", "gdja", "gđica", "tač", "tac", "al", "sl", "odn", "ul", "tzv",
    // Serbian Cyrillic.
    "чл", "бр", "ст", "стр", "тј", "нпр", "год", "г", "гђа", "тач", "ал", "сл", "одн", "ул", "тзв", "др", "проф", // English.
    "mrs", "ms", "no", "nos", "e.g", "i.e", "cf", "vs", "p", "pp", "vol", "sec", "ch", "fig", "approx", "jr", "sr", "st", "mt",
];

/// Words that name a provision: followed by a number and a full stop they are an ordinal
/// ("nenit 5. të Ligjit", "članom 5. Zakona", "Article 5. The …" is rare but harmless).
const PROVISION_WORDS: &[&str] = &[
    "neni",
    "nenit",
    "nenin",
    "nenet",
    "neneve",
    "paragrafi",
    "paragrafit",
    "paragrafin",
    "pika",
    "pikës",
    "pikes",
    "kapitulli",
    "kapitullit",
    "član",
    "člana",
    "članu",
    "članom",
    "clan",
    "clana",
    "clanu",
    "clanom",
    "stav",
    "stava",
    "stavu",
    "stavom",
    "tačka",
    "tačke",
    "tački",
    "tacka",
    "tacke",
    "tacki",
    "glava",
    "glave",
    "члан",
    "члана",
    "члану",
    "чланом",
    "став",
    "става",
    "ставу",
    "тачка",
    "тачке",
    "тачки",
    "глава",
    "article",
    "articles",
    "paragraph",
    "section",
    "chapter",
    "point",
];

/// Words that open a numbered provision at the start of a line: "Neni 5", "Član 5", "Члан 5",
/// "Article 5" (any case).
const PROVISION_HEADINGS: &[&str] = &["neni", "član", "clan", "члан", "article", "kapitulli", "glava", "глава", "chapter", "poglavlje", "поглавље"];

/// Byte ranges of the words (runs of letters and digits) of `text`. Law and regulation
/// numbers stay one word.
///
/// ```
/// use termbridge::text::segment::words;
/// let text = "Ligji nr. 02/L-37, neni 3.5";
/// let found: Vec<&str> = words(text).into_iter().map(|range| &text[range]).collect();
/// assert_eq!(found, ["Ligji", "nr", "02/L-37", "neni", "3.5"]);
/// ```
pub fn words(text: &str) -> Vec<Range<usize>> {
    // Chain words joined by one "/" or "-", then keep a chain whole only when it is a code: it
    // has a slash and a digit ("02/L-37"). "Gjilan/Gnjilane" and "1999-2000" split back.
    let mut chains: Vec<Range<usize>> = Vec::new();
    for (start, word) in text.unicode_word_indices() {
        let range = start..start + word.len();
        if let Some(last) = chains.last_mut()
            && matches!(&text[last.end..range.start], "/" | "-")
        {
            last.end = range.end;
            continue;
        }
        chains.push(range);
    }
    let mut out = Vec::with_capacity(chains.len());
    for chain in chains {
        let chunk = &text[chain.clone()];
        if chunk.contains('/') && chunk.chars().any(|c| c.is_ascii_digit()) {
            out.push(chain);
        } else {
            out.extend(chunk.unicode_word_indices().map(|(offset, word)| chain.start + offset..chain.start + offset + word.len()));
        }
    }
    out
}

/// Byte ranges of the sentences (segments) of `text`, trimmed of surrounding whitespace, in
/// order and not overlapping.
///
/// ```
/// use termbridge::text::segment::sentences;
/// let text = "Neni 5\n1. Sipas Ligjit nr. 02/L-37, dr. A. B. Krasniqi nënshkruan. Vendimi hyn në fuqi më 12.03.2024.\n2. Komuna zbaton vendimin.";
/// let found: Vec<&str> = sentences(text).into_iter().map(|range| &text[range]).collect();
/// assert_eq!(found, [
///     "Neni 5",
///     "1. Sipas Ligjit nr. 02/L-37, dr. A. B. Krasniqi nënshkruan.",
///     "Vendimi hyn në fuqi më 12.03.2024.",
///     "2. Komuna zbaton vendimin.",
/// ]);
/// ```
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for block in blocks(text) {
        let mut pieces: Vec<Range<usize>> =
            text[block.clone()].split_sentence_bound_indices().map(|(offset, piece)| block.start + offset..block.start + offset + piece.len()).collect();
        let mut idx = 0;
        while idx + 1 < pieces.len() {
            if continues(text, &pieces[idx], &pieces[idx + 1]) {
                pieces[idx].end = pieces[idx + 1].end;
                pieces.remove(idx + 1);
            } else {
                idx += 1;
            }
        }
        out.extend(pieces.into_iter().filter_map(|piece| trim_range(text, piece)));
    }
    out
}

/// The range without its leading and trailing whitespace, or `None` when nothing is left.
fn trim_range(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let slice = &text[range.clone()];
    let trimmed = slice.trim();
    if trimmed.is_empty() {
        return None;
    }
    let start = range.start + (slice.len() - slice.trim_start().len());
    Some(start..start + trimmed.len())
}

/// Splits `text` into blocks that no sentence crosses: a blank line ends a block, and a line
/// that starts with a numbered provision starts one (so a heading line "Neni 5" followed by
/// "1. …" stays apart, while "Neni 5" followed by its title joins it). Lines are joined
/// otherwise; whether the join is a sentence boundary is decided by [`continues`].
fn blocks(text: &str) -> Vec<Range<usize>> {
    let mut blocks = Vec::new();
    let mut current: Option<Range<usize>> = None;
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let range = line_start..line_start + line.len();
        line_start = range.end;
        let content = line.trim();
        if content.is_empty() {
            if let Some(block) = current.take() {
                blocks.push(block);
            }
            continue;
        }
        match current.as_mut() {
            Some(block) if marker_len(content).is_none() => block.end = range.end,
            _ => {
                if let Some(block) = current.replace(range) {
                    blocks.push(block);
                }
            }
        }
    }
    if let Some(block) = current {
        blocks.push(block);
    }
    blocks
}

/// True when the UAX #29 boundary between `piece` and `next` is not a sentence end.
fn continues(text: &str, piece: &Range<usize>, next: &Range<usize>) -> bool {
    let content = text[piece.clone()].trim_end();
    let next_content = text[next.clone()].trim_start();
    if content.is_empty() || next_content.is_empty() {
        return true;
    }
    // A bare list marker or provision heading belongs to the text after it.
    if marker_len(content) == Some(content.len()) {
        return true;
    }
    let trailing = &text[piece.start + content.len()..piece.end];
    let ends_sentence = content.ends_with(['.', '!', '?', '…', ':', ';']) || content.ends_with(['"', '”', '»', ')', '\'', '’']);
    // UAX #29 breaks at every line end; a line that did not end a sentence and a next line that
    // starts in lower case are one hard-wrapped sentence.
    if trailing.contains('\n') {
        return !ends_sentence && next_content.chars().next().is_some_and(char::is_lowercase);
    }
    let Some(before_dot) = content.strip_suffix('.') else { return false };
    let last_token = before_dot.rsplit(char::is_whitespace).next().unwrap_or(before_dot).trim_start_matches(['(', '[', '"', '„', '“', '«', '\'']);
    if last_token.is_empty() {
        return false;
    }
    let lower = super::case_fold(last_token);
    if ABBREVIATIONS.contains(&lower.as_ref()) {
        return true;
    }
    // Initials: "A. B. Smith", "Ј. Јовановић".
    if last_token.chars().count() == 1 && last_token.chars().all(char::is_uppercase) {
        return true;
    }
    if last_token.chars().all(|c| c.is_ascii_digit() || c == '.') {
        // Spaced dates and enumerations: "12. 03. 2024."
        if next_content.starts_with(|c: char| c.is_ascii_digit()) {
            return true;
        }
        // The ordinal of a provision: "nenit 5. të Ligjit", "članom 5. Zakona".
        let word_before = before_dot[..before_dot.len() - last_token.len()].trim_end().rsplit(char::is_whitespace).next().unwrap_or("");
        if PROVISION_WORDS.contains(&super::case_fold(word_before).as_ref()) {
            return true;
        }
        // The date "12. 03. 2024." and "12.03.2024.": Serbian writes an ordinal dot after the
        // year (Pravopis srpskoga jezika, 2010, t. 171), so that dot is not a sentence end.
        let compact: String =
            before_dot.chars().rev().take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ' ').collect::<Vec<_>>().into_iter().rev().collect();
        if is_date(compact.trim()) {
            return true;
        }
    }
    false
}

/// True for "12.03.2024" and "12. 03. 2024": day, month and a four-digit year.
fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('.').map(str::trim).collect();
    parts.len() >= 3 && {
        let tail = &parts[parts.len() - 3..];
        tail[0].len() <= 2 && tail[1].len() <= 2 && tail[2].len() == 4 && tail.iter().all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit()))
    }
}

/// The byte length of the list marker or provision heading that `line` (trimmed) starts
/// with: "Neni 5", "Član 5a.", "Члан 5", "Article 5:", "1.1", "1.", "2)", "a)", "(2)", "(a)";
/// `None` when it starts with none.
pub fn marker_len(line: &str) -> Option<usize> {
    let first_word_end = line.find(char::is_whitespace).unwrap_or(line.len());
    let first_word = &line[..first_word_end];
    // Provision headings: a heading word, a space, a number with an optional letter, an
    // optional dot or colon.
    if PROVISION_HEADINGS.contains(&super::case_fold(first_word).as_ref()) {
        let rest = &line[first_word_end..];
        let number_start = first_word_end + (rest.len() - rest.trim_start().len());
        let number_len = line[number_start..].find(|c: char| !c.is_ascii_digit()).unwrap_or(line.len() - number_start);
        if number_len == 0 {
            return None;
        }
        let mut end = number_start + number_len;
        if line[end..].starts_with(|c: char| c.is_alphabetic()) && !line[end..].chars().nth(1).is_some_and(char::is_alphabetic) {
            end += line[end..].chars().next().map_or(0, char::len_utf8);
        }
        if line[end..].starts_with(['.', ':']) {
            end += 1;
        }
        return (line.len() == end || line[end..].starts_with(char::is_whitespace)).then_some(end);
    }
    // "(2)", "(a)".
    if let Some(inner) = line.strip_prefix('(') {
        let close = inner.find(')')?;
        let label = &inner[..close];
        let ok = (!label.is_empty() && label.len() <= 3 && label.chars().all(|c| c.is_ascii_digit()))
            || (label.chars().count() == 1 && label.chars().all(char::is_lowercase));
        let end = close + 2;
        return (ok && (line.len() == end || line[end..].starts_with(char::is_whitespace))).then_some(end);
    }
    // "a)", "б)".
    let mut chars = line.char_indices();
    if let (Some((_, letter)), Some((paren_at, ')'))) = (chars.next(), chars.next())
        && letter.is_lowercase()
    {
        let end = paren_at + 1;
        return (line.len() == end || line[end..].starts_with(char::is_whitespace)).then_some(end);
    }
    // "1.", "1.1", "1.1.", "2)": numbers joined by dots, ending in a dot, a parenthesis, or a
    // space after a multi-level number.
    let digits_and_dots = line.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(line.len());
    let number = &line[..digits_and_dots];
    if number.is_empty() || !number.starts_with(|c: char| c.is_ascii_digit()) || number.contains("..") || number.len() > 12 {
        return None;
    }
    let levels = number.trim_end_matches('.').split('.').count();
    let mut end = digits_and_dots;
    if line[end..].starts_with(')') && !number.ends_with('.') {
        end += 1;
    } else if !number.ends_with('.') && levels < 2 {
        // "2024 budget": a plain number is not a marker.
        return None;
    }
    // "12.03.2024" at a line start is a date, not a level-3 marker.
    if is_date(number.trim_end_matches('.')) {
        return None;
    }
    (line.len() == end || line[end..].starts_with(char::is_whitespace)).then_some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &[&str]) {
        let found: Vec<&str> = sentences(input).into_iter().map(|range| &input[range]).collect();
        assert_eq!(found, expected, "{input:?}");
    }

    fn check_words(input: &str, expected: &[&str]) {
        let found: Vec<&str> = words(input).into_iter().map(|range| &input[range]).collect();
        assert_eq!(found, expected, "{input:?}");
    }

    #[test]
    fn plain_sentences() {
        check("", &[]);
        check("   \n\n ", &[]);
        check("Një fjali.", &["Një fjali."]);
        check("Komuna miratoi vendimin. Kuvendi u mblodh!", &["Komuna miratoi vendimin.", "Kuvendi u mblodh!"]);
        check("Da li je usvojen? Jeste.", &["Da li je usvojen?", "Jeste."]);
        check("  Leading and trailing.  ", &["Leading and trailing."]);
        check("Без тачке на крају", &["Без тачке на крају"]);
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        check("Ligji nr. 02/L-37 për përdorimin e gjuhëve.", &["Ligji nr. 02/L-37 për përdorimin e gjuhëve."]);
        check("Në bazë të Ligjit Nr. 03/L-040 Kuvendi vendos.", &["Në bazë të Ligjit Nr. 03/L-040 Kuvendi vendos."]);
        check("Vidi čl. 5 Zakona. Drugi pasus.", &["Vidi čl. 5 Zakona.", "Drugi pasus."]);
        check("Rešenje br. 123 je konačno.", &["Rešenje br. 123 je konačno."]);
        check("U skladu sa st. 2 i str. 4 Pravilnika.", &["U skladu sa st. 2 i str. 4 Pravilnika."]);
        check("Organi opštine, tj. Skupština i predsednik.", &["Organi opštine, tj. Skupština i predsednik."]);
        check("Jezici u službenoj upotrebi, npr. Srpski i albanski.", &["Jezici u službenoj upotrebi, npr. Srpski i albanski."]);
        check("Члан 5 ст. 2 Закона. Друга реченица.", &["Члан 5 ст. 2 Закона.", "Друга реченица."]);
        check("Gjuhët zyrtare, p.sh. Shqipja dhe serbishtja.", &["Gjuhët zyrtare, p.sh. Shqipja dhe serbishtja."]);
        check("Shih art. 5 dhe para. 2 të Rregullores.", &["Shih art. 5 dhe para. 2 të Rregullores."]);
        check("Mr. Smith met Dr. Jones. They agreed.", &["Mr. Smith met Dr. Jones.", "They agreed."]);
        check("See No. 5 of the list.", &["See No. 5 of the list."]);
        check("Official languages, e.g. Albanian and Serbian, i.e. Both.", &["Official languages, e.g. Albanian and Serbian, i.e. Both."]);
    }

    #[test]
    fn sentence_final_abbreviations_end_before_a_capital() {
        check("Shqip, serbisht etj. Kuvendi vendos.", &["Shqip, serbisht etj.", "Kuvendi vendos."]);
        check("Srpski, albanski itd. Skupština odlučuje.", &["Srpski, albanski itd.", "Skupština odlučuje."]);
        check("Srpski, albanski itd. i drugi jezici.", &["Srpski, albanski itd. i drugi jezici."]);
    }

    #[test]
    fn numbers_dates_and_initials_stay_whole() {
        check("Stopa është 3.5 për qind. Tjetra.", &["Stopa është 3.5 për qind.", "Tjetra."]);
        check("Sednica je održana 12.03.2024. Skupština je usvojila odluku.", &["Sednica je održana 12.03.2024. Skupština je usvojila odluku."]);
        check("Rok je 12. 03. 2024. godine.", &["Rok je 12. 03. 2024. godine."]);
        check("Vendimi u nënshkrua nga A. B. Smith sot.", &["Vendimi u nënshkrua nga A. B. Smith sot."]);
        check("Потписао Ј. Јовановић. Крај.", &["Потписао Ј. Јовановић.", "Крај."]);
        check("Sipas nenit 5. të Ligjit, komuna vendos.", &["Sipas nenit 5. të Ligjit, komuna vendos."]);
        check("U skladu sa članom 5. Zakona o upotrebi jezika.", &["U skladu sa članom 5. Zakona o upotrebi jezika."]);
        check("Buxheti ishte 2024. Kuvendi e miratoi.", &["Buxheti ishte 2024.", "Kuvendi e miratoi."]);
    }

    #[test]
    fn numbered_structure_starts_segments() {
        check("Neni 5\nGjuhët zyrtare", &["Neni 5\nGjuhët zyrtare"]);
        check("Neni 5. Gjuhët zyrtare janë shqipja dhe serbishtja.", &["Neni 5. Gjuhët zyrtare janë shqipja dhe serbishtja."]);
        check(
            "Član 5\n1. Srpski i albanski su službeni jezici.\n2. Turski je u službenoj upotrebi.",
            &["Član 5", "1. Srpski i albanski su službeni jezici.", "2. Turski je u službenoj upotrebi."],
        );
        check("Члан 5\nСлужбени језици", &["Члан 5\nСлужбени језици"]);
        check("Article 5\nOfficial languages", &["Article 5\nOfficial languages"]);
        check("1.1 Fusha e zbatimit\n1.2 Përkufizimet", &["1.1 Fusha e zbatimit", "1.2 Përkufizimet"]);
        check("Komuna siguron:\na) përkthimin\nb) botimin", &["Komuna siguron:", "a) përkthimin", "b) botimin"]);
        check("(1) Prvi stav\n(2) Drugi stav", &["(1) Prvi stav", "(2) Drugi stav"]);
        check("1.\nKomuna ka dy gjuhë zyrtare.", &["1.\nKomuna ka dy gjuhë zyrtare."]);
        check("The text reads:\n2) second item", &["The text reads:", "2) second item"]);
        check("Prvi red bez tačke\n2024 godina je počela", &["Prvi red bez tačke", "2024 godina je počela"]);
    }

    #[test]
    fn lines_join_only_inside_a_sentence() {
        check("Kuvendi i Komunës\nmiratoi vendimin.", &["Kuvendi i Komunës\nmiratoi vendimin."]);
        check("Titulli\nTeksti i parë.", &["Titulli", "Teksti i parë."]);
        check("Prva rečenica.\ndruga počinje malim slovom.", &["Prva rečenica.", "druga počinje malim slovom."]);
        check("Paragraf një.\n\nParagraf dy.", &["Paragraf një.", "Paragraf dy."]);
        check("Windows line.\r\nNext line.", &["Windows line.", "Next line."]);
        check("Windows line\r\nends here.", &["Windows line\r\nends here."]);
    }

    #[test]
    fn markers() {
        for (line, expected) in [
            ("Neni 5", Some(6)),
            ("NENI 12 Gjuhët", Some(7)),
            ("Član 5a. Tekst", Some("Član 5a.".len())),
            ("Члан 5", Some("Члан 5".len())),
            ("Article 5: Scope", Some(10)),
            ("1.1 Tekst", Some(3)),
            ("1. Tekst", Some(2)),
            ("1.2.3. Tekst", Some(6)),
            ("2) Tekst", Some(2)),
            ("a) tekst", Some(2)),
            ("(2) Tekst", Some(3)),
            ("(a) tekst", Some(3)),
            ("2024 budget", None),
            ("12.03.2024 datum", None),
            ("Neni i ri", None),
            ("A) Uppercase", None),
            ("ab) tekst", None),
            ("3.5% e buxhetit", None),
        ] {
            assert_eq!(marker_len(line), expected, "{line:?}");
        }
    }

    #[test]
    fn words_keep_codes_whole() {
        check_words("Ligji nr. 02/L-37 dhe UNMIK/REG/2000/45", &["Ligji", "nr", "02/L-37", "dhe", "UNMIK/REG/2000/45"]);
        check_words("Gjilan/Gnjilane 1999-2000", &["Gjilan", "Gnjilane", "1999", "2000"]);
        check_words("3.5 i 12.03.2024", &["3.5", "i", "12.03.2024"]);
        check_words("Prishtinë — Приштина", &["Prishtinë", "Приштина"]);
        check_words("", &[]);
    }

    fn assert_well_formed(text: &str, ranges: &[Range<usize>]) {
        let mut previous_end = 0;
        for range in ranges {
            assert!(range.start < range.end, "{range:?} empty in {text:?}");
            assert!(range.start >= previous_end, "{ranges:?} overlap or out of order in {text:?}");
            assert!(range.end <= text.len(), "{range:?} out of bounds in {text:?}");
            assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end), "{range:?} not on char boundaries in {text:?}");
            previous_end = range.end;
        }
    }

    proptest::proptest! {
        #[test]
        fn ranges_are_in_bounds_ordered_and_on_char_boundaries(text in "\\PC*") {
            assert_well_formed(&text, &sentences(&text));
            assert_well_formed(&text, &words(&text));
        }

        #[test]
        fn ranges_hold_for_legal_looking_text(text in "([ \n]|Neni|Član|Члан|nr\\.|čl\\.|[0-9]{1,4}|[a-zëčш]{1,6}|[A-ZÇŠЋ]|[.)(/:-]|\r\n){0,40}") {
            let ranges = sentences(&text);
            assert_well_formed(&text, &ranges);
            // Segments never start or end with whitespace.
            for range in &ranges {
                let segment = &text[range.clone()];
                proptest::prop_assert_eq!(segment.trim(), segment);
            }
        }
    }
}
