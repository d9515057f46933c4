//! The query's values written as the target writes the value they replace: a number in the
//! target's separators, a date in its order and month names (case ending, script and capitals
//! kept), a term with the ending the replaced one had.

use super::read::{Date, MonthForm, Number};
use crate::model::lang::Lang;

/// `number` written as `written` (a number of the target, in `lang`) is: its decimal
/// separator, and its thousands separator when it groups (else the language's, when the
/// query grouped: 1,000.5 in English is 1.000,5 in Albanian and Serbian).
pub(super) fn number(number: &Number, query_written: &str, written: &str, lang: Lang) -> String {
    let (lang_group, lang_decimal) = if lang == Lang::En { (',', '.') } else { ('.', ',') };
    let target_number = super::read::read_number(written, lang);
    let target_decimal = target_number.as_ref().and_then(|n| n.decimals.as_ref()).and_then(|_| written.chars().rev().find(|c| !c.is_ascii_digit()));
    let target_groups = target_number.as_ref().is_some_and(|n| n.whole.len() < written.len() - n.decimals.as_ref().map_or(0, |d| d.len() + 1));
    let target_group = target_groups.then(|| written.chars().find(|c| !c.is_ascii_digit())).flatten();
    let query_groups = number.whole.len() < query_written.len() - number.decimals.as_ref().map_or(0, |d| d.len() + 1);
    let group = match (target_group, query_groups) {
        (Some(sep), _) => Some(sep),
        (None, true) => Some(lang_group),
        (None, false) => None,
    };
    let mut out = String::new();
    let whole = number.whole.as_str();
    for (idx, digit) in whole.chars().enumerate() {
        if idx > 0
            && (whole.len() - idx).is_multiple_of(3)
            && let Some(sep) = group
        {
            out.push(sep);
        }
        out.push(digit);
    }
    if let Some(decimals) = &number.decimals {
        out.push(target_decimal.unwrap_or(lang_decimal));
        out.push_str(decimals);
    }
    out
}

/// Month names as each language writes them: English, Albanian (the indefinite form), Serbian
/// (the nominative, and the stem its other cases are built on: septembar → septembra).
const ENGLISH_MONTHS: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const ALBANIAN_MONTHS: [&str; 12] = ["janar", "shkurt", "mars", "prill", "maj", "qershor", "korrik", "gusht", "shtator", "tetor", "nëntor", "dhjetor"];
const SERBIAN_MONTHS: [(&str, &str); 12] = [
    ("januar", "januar"),
    ("februar", "februar"),
    ("mart", "mart"),
    ("april", "april"),
    ("maj", "maj"),
    ("jun", "jun"),
    ("jul", "jul"),
    ("avgust", "avgust"),
    ("septembar", "septembr"),
    ("oktobar", "oktobr"),
    ("novembar", "novembr"),
    ("decembar", "decembr"),
];

/// The Albanian definite endings after a back consonant (korrik → korriku, korrikut) and after
/// any other (mars → marsi, marsit), in the same order.
const SQ_ENDINGS: [&str; 4] = ["", "i", "in", "it"];
const SQ_BACK_ENDINGS: [&str; 4] = ["", "u", "un", "ut"];

fn sq_back(name: &str) -> bool {
    name.ends_with(['k', 'g', 'h'])
}

/// Month `month` (1–12) written as `written` (the target's month name of another month) is
/// written: same language, case ending, script and capitals. `None` when the ending of
/// `written` cannot be read.
pub(super) fn month_name(month: u32, written: &str, lang: Lang) -> Option<String> {
    let slot = month.checked_sub(1)? as usize;
    let cyrillic = crate::text::script::has_cyrillic(written);
    let latin = crate::text::cyr_to_lat(&crate::text::case_fold(written)).into_owned();
    let plain = match lang {
        Lang::Sq => {
            let (old_name, ending) =
                ALBANIAN_MONTHS.iter().filter_map(|name| latin.strip_prefix(name).map(|ending| (*name, ending))).max_by_key(|(name, _)| name.len())?;
            let old_endings = if sq_back(old_name) { SQ_BACK_ENDINGS } else { SQ_ENDINGS };
            let which = old_endings.iter().position(|each| *each == ending)?;
            let new_name = ALBANIAN_MONTHS[slot];
            let new_endings = if sq_back(new_name) { SQ_BACK_ENDINGS } else { SQ_ENDINGS };
            format!("{new_name}{}", new_endings[which])
        }
        Lang::Sr | Lang::Bs => {
            let ending = SERBIAN_MONTHS.iter().find_map(|(nominative, stem)| {
                if latin == *nominative || (latin == "juni" || latin == "juli") {
                    Some("")
                } else {
                    latin.strip_prefix(stem).filter(|ending| matches!(*ending, "a" | "u" | "om"))
                }
            })?;
            let (nominative, stem) = SERBIAN_MONTHS[slot];
            if ending.is_empty() { nominative.to_string() } else { format!("{stem}{ending}") }
        }
        _ => {
            let name = ENGLISH_MONTHS[slot];
            // An abbreviation (Mar, Sept) stays one.
            if latin.len() <= 4 && !ENGLISH_MONTHS.iter().any(|each| crate::text::case_fold(each) == latin) {
                name.chars().take(3).collect()
            } else {
                name.to_string()
            }
        }
    };
    let scripted = if cyrillic { crate::text::lat_to_cyr(&plain).into_owned() } else { plain };
    Some(follow_capitals(&scripted, written))
}

/// `text` in the capitals of `like`: all capitals, a capital first, or as it is.
pub(super) fn follow_capitals(text: &str, like: &str) -> String {
    let letters: Vec<char> = like.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        return text.to_uppercase();
    }
    let mut chars = text.chars();
    match (letters.first(), chars.next()) {
        (Some(first), Some(head)) if first.is_uppercase() => head.to_uppercase().chain(chars).collect(),
        (Some(_), Some(head)) => head.to_lowercase().chain(chars).collect(),
        _ => text.to_string(),
    }
}

/// The date `date` (the query's) in the form of `target` (the target's date, `target_text`
/// its whole text from `offset`): each part of the target replaced by the query's, days and
/// months padded as the target pads them, month names as the target writes them. `None` when
/// the two dates do not have the same parts.
pub(super) fn date(date: &Date, target: &Date, target_text: &str, offset: usize, lang: Lang) -> Option<String> {
    if !date.same_parts(target) {
        return None;
    }
    let (_, month_range, form) = &target.month;
    let month_written = &target_text[month_range.start - offset..month_range.end - offset];
    let day_written = target.day.as_ref().map(|(_, range)| &target_text[range.start - offset..range.end - offset]);
    // "12" says nothing about padding; only a leading zero in the target's day or numeric
    // month does ("03.05.2024"), so "12 maj" becomes "3 qershor", not "03 qershor".
    let pads = day_written.is_some_and(|day| day.starts_with('0')) || (matches!(form, MonthForm::Digits) && month_written.starts_with('0'));
    let padded = |value: u32, written: &str| if pads && written.len() == 2 { format!("{value:02}") } else { value.to_string() };
    let mut parts: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    if let (Some((day, _)), Some(written)) = (&date.day, day_written) {
        parts.push((target.day.as_ref().map(|(_, range)| range.clone()).unwrap_or_default(), padded(*day, written)));
    }
    let month = match form {
        MonthForm::Digits => padded(date.month.0, month_written),
        MonthForm::Name => month_name(date.month.0, month_written, lang)?,
    };
    parts.push((month_range.clone(), month));
    if let (Some((year, _)), Some((_, range))) = (&date.year, &target.year) {
        let written = &target_text[range.start - offset..range.end - offset];
        let year = if written.len() == 2 { format!("{:02}", year.rem_euclid(100)) } else { year.to_string() };
        parts.push((range.clone(), year));
    }
    parts.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    let end = parts.iter().map(|(range, _)| range.end).max()?;
    let mut out = target_text[..end - offset].to_string();
    for (range, text) in parts {
        out.replace_range(range.start - offset..range.end - offset, &text);
    }
    out.push_str(&target_text[end - offset..]);
    Some(out)
}

/// `term` (the preferred term of the query's concept) inflected as `written` inflects
/// `base` (the replaced term and its occurrence in the target): word by word, the ending that
/// `written` has in place of the ending of `base` put in place of the same ending of `term`
/// (komunë → komunës makes qeveri… fail, gjykatë → gjykatës). Albanian linking articles take
/// the occurrence's (e → së). `None` when an ending does not carry over.
pub(super) fn inflect_term(term: &str, base: &str, written: &str) -> Option<String> {
    let key = |text: &str| crate::text::fold(text, crate::text::Tier::Diacritics).into_owned();
    if key(base) == key(written) {
        return Some(follow_capitals(term, written));
    }
    let base_words: Vec<&str> = base.split_whitespace().collect();
    let written_words: Vec<&str> = written.split_whitespace().collect();
    let term_words: Vec<&str> = term.split_whitespace().collect();
    if base_words.len() != written_words.len() {
        return None;
    }
    if base_words.len() == 1 && term_words.len() > 1 {
        // A one-word term replaced by a phrase: the head (first word) takes the ending.
        let head = inflect_word(term_words[0], base_words[0], written_words[0])?;
        let rest = term_words[1..].join(" ");
        return Some(follow_capitals(&format!("{head} {rest}"), written));
    }
    if term_words.len() != base_words.len() {
        return None;
    }
    let articles = ["i", "e", "të", "së", "te", "se"];
    let mut out: Vec<String> = Vec::new();
    for ((term_word, base_word), written_word) in term_words.iter().zip(&base_words).zip(&written_words) {
        if articles.contains(term_word) && articles.contains(base_word) {
            out.push(written_word.to_string());
        } else {
            out.push(inflect_word(term_word, base_word, written_word)?);
        }
    }
    Some(follow_capitals(&out.join(" "), written))
}

fn inflect_word(term: &str, base: &str, written: &str) -> Option<String> {
    let lower = |text: &str| crate::text::case_fold(text).into_owned();
    let (base_lower, written_lower, term_lower) = (lower(base), lower(written), lower(term));
    if base_lower == written_lower {
        return Some(follow_capitals(term, written));
    }
    let base_chars: Vec<char> = base_lower.chars().collect();
    let written_chars: Vec<char> = written_lower.chars().collect();
    let common = base_chars.iter().zip(&written_chars).take_while(|(a, b)| a == b).count();
    // At least a stem of two letters must be shared, or it is another word.
    if common < 2 {
        return None;
    }
    let old_ending: String = base_chars[common..].iter().collect();
    let new_ending: String = written_chars[common..].iter().collect();
    if !term_lower.ends_with(old_ending.as_str()) || term.chars().count() < old_ending.chars().count() {
        return None;
    }
    // Only an ending added to a word of the same class carries over: after the same vowel, or
    // after a consonant (ligj → ligjit, vendim → vendimit; komunë → komunës, not qeveri → qeveris).
    if old_ending.is_empty() {
        let vowel = |c: char| "aeiouyëаеиоу".contains(c);
        let (base_last, term_last) = (base_lower.chars().last(), term_lower.chars().last());
        let same_class = match (base_last, term_last) {
            (Some(a), Some(b)) => a == b || (!vowel(a) && !vowel(b)),
            _ => false,
        };
        if !same_class {
            return None;
        }
    }
    let kept: String = term.chars().take(term.chars().count() - old_ending.chars().count()).collect();
    Some(follow_capitals(&format!("{kept}{new_ending}"), written))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patch::read::read_number;

    #[test]
    fn numbers_take_the_target_format() {
        let check = |query: &str, query_lang: Lang, target: &str, lang: Lang, expected: &str| {
            let value = read_number(query, query_lang).unwrap_or(Number { whole: String::new(), decimals: None });
            assert_eq!(number(&value, query, target, lang), expected, "{query} into {target}");
        };
        check("1,000.5", Lang::En, "2.000,7", Lang::Sq, "1.000,5");
        check("1,000.5", Lang::En, "7", Lang::Sr, "1.000,5");
        check("2500", Lang::En, "1000", Lang::Sq, "2500");
        check("12", Lang::En, "11", Lang::Sq, "12");
        check("3.25", Lang::En, "1.5", Lang::Sq, "3.25");
        check("1.234.567,8", Lang::Sq, "9", Lang::En, "1,234,567.8");
    }

    proptest::proptest! {
        /// A number written into a target reads back as the same number in the target's
        /// language, whichever format it came in.
        #[test]
        fn numbers_read_back_equal(whole in "[1-9][0-9]{0,8}", decimals in proptest::option::of("[0-9]{1,2}"), target in proptest::sample::select(vec!["7", "2.000,5", "1.000", "3,5"]), lang in proptest::sample::select(vec![Lang::Sq, Lang::Sr, Lang::En])) {
            let value = Number { whole: whole.clone(), decimals: decimals.clone() };
            let query_written = match &decimals { Some(d) => format!("{whole}.{d}"), None => whole.clone() };
            // The target in its own language's format (an English target writes 2,000.5).
            let target: String = if lang == Lang::En { target.chars().map(|c| match c { '.' => ',', ',' => '.', c => c }).collect() } else { target.to_string() };
            let written = number(&value, &query_written, &target, lang);
            let back = read_number(&written, lang);
            // A lone separator before three digits is ambiguous by itself (1.000 is a thousand
            // in Albanian, one in English); the writer only uses it as the language does.
            proptest::prop_assert!(back.as_ref().is_some_and(|back| back.same(&value)), "{} → {} → {:?}", query_written, written, back);
        }
    }

    #[test]
    fn month_names_keep_case_script_and_capitals() {
        for (month, written, lang, expected) in [
            (4, "marsit", Lang::Sq, Some("prillit")),
            (7, "mars", Lang::Sq, Some("korrik")),
            (7, "marsit", Lang::Sq, Some("korrikut")),
            (3, "korrikun", Lang::Sq, Some("marsin")),
            (9, "marta", Lang::Sr, Some("septembra")),
            (9, "марта", Lang::Sr, Some("септембра")),
            (10, "maju", Lang::Sr, Some("oktobru")),
            (6, "mart", Lang::Sr, Some("jun")),
            (12, "March", Lang::En, Some("December")),
            (12, "Mar", Lang::En, Some("Dec")),
            (1, "MARS", Lang::Sq, Some("JANAR")),
            (1, "martom", Lang::Sq, None),
        ] {
            assert_eq!(month_name(month, written, lang).as_deref(), expected, "{month} like {written}");
        }
    }

    #[test]
    fn terms_take_the_ending_of_the_replaced_one() {
        for (term, base, written, expected) in [
            ("gjykatë", "komunë", "komunës", Some("gjykatës")),
            ("vendim", "ligj", "ligjit", Some("vendimit")),
            ("Gjykata", "Komuna", "Komuna", Some("Gjykata")),
            ("opština", "skupština", "skupštine", Some("opštine")),
            ("општина", "скупштина", "скупштини", Some("општини")),
            ("qeveri", "komunë", "komunës", None),
            ("Ministria e Shëndetësisë", "Ministria e Arsimit", "Ministrisë së Arsimit", Some("Ministrisë së Shëndetësisë")),
        ] {
            assert_eq!(inflect_term(term, base, written).as_deref(), expected, "{term} like {written}");
        }
    }
}
