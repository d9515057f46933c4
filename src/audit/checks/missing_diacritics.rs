//! `missing-diacritics`: ë ç or č ć š ž đ dropped, judged against the document's own words.

use crate::audit::context::AuditContext;
use crate::audit::vocabulary::{Vocabulary, is_marked_letter, words};
use crate::model::lang::{Lang, LangTag};
use crate::model::{Category, Finding, Severity};
use crate::text::mojibake;
use crate::text::script::{Script, word_script};

use crate::lexicon::{DictLang, Lexicon};

use super::{About, Check, Issue, Localized, Scope, TextRefs};

/// Finds words written without the diacritics that the same document (or corpus, the
/// gazetteer, the terms) spells them with.
pub struct MissingDiacritics;

/// A word written without its diacritics: byte offset, the word, the word restored, and how
/// much the dictionary says about it.
type Suspect<'t> = (usize, &'t str, String, Evidence);

/// What the dictionary says of a suspect, which decides its weight in [`shows_loss`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Evidence {
    /// The word as written is no word, the restored one is (or a rule of grammar says so).
    Vouched,
    /// No dictionary verdict (no dictionary, or a capitalised word): its length decides.
    Unjudged,
    /// Both spellings are words ("prikazi", views, and "prikaži", show): weak evidence however
    /// long the word, which the rest of the text has to confirm.
    BothWords,
}

/// The restoration of one word: from the document's own words (and corpus, gazetteer, terms)
/// first, else from the language's dictionary.
///
/// `opening` marks the capitalised first word of a sentence that goes on in small letters
/// ("Uvecaj do popune"): its capital is the sentence's, not a name's, so the dictionary
/// judges it in small letters.
fn restore<'t>(lexicon: &Lexicon, from_words: Option<String>, lang: Lang, start: usize, word: &'t str, opening: bool) -> Option<Suspect<'t>> {
    let suspect = restore_any(lexicon, from_words, lang, start, word, opening)?;
    // The imperative of the Serbian verbs of vući (razvući, izvući, povući) ends in -vuci,
    // and an interface text opens with one ("Razvuci sliku na panelu"); the dictionaries list
    // the infinitive, not the imperative. (Not every -ci: "Onemoguci" is onemogući, the
    // imperative of onemogućiti.)
    let imperative = matches!(lang, Lang::Sr | Lang::Bs)
        && opening
        && word.ends_with("vuci")
        && suspect.2.strip_suffix("ći").is_some_and(|stem| stem == &word[..word.len() - 2]);
    (!imperative).then_some(suspect)
}

/// [`restore`] before the rule for imperatives.
fn restore_any<'t>(lexicon: &Lexicon, from_words: Option<String>, lang: Lang, start: usize, word: &'t str, opening: bool) -> Option<Suspect<'t>> {
    if let Some(restored) = from_words {
        // The word list and the dictionary agree ("nje" is no word, "një" is): as strong as
        // the dictionary's own restoration, though the word is short.
        let evidence = dictionary_evidence(lexicon, lang, word, &restored, opening);
        return Some((start, word, restored, evidence));
    }
    if opening && word.starts_with(|c: char| c.is_uppercase()) {
        return opening_restore(lexicon, lang, word).map(|restored| (start, word, restored, Evidence::Vouched));
    }
    dictionary_restore(lexicon, lang, word).map(|restored| (start, word, restored, Evidence::Vouched))
}

/// What the dictionary of `lang` says of a restoration the word list made, in small letters:
/// for a word in small letters, or a sentence's first word (`opening`).
fn dictionary_evidence(lexicon: &Lexicon, lang: Lang, word: &str, restored: &str, opening: bool) -> Evidence {
    let small = word.chars().all(|c| c.is_ascii_lowercase());
    let Some(dict) = DictLang::for_text(lang, Script::Latn).and_then(|dict| lexicon.get(dict).ok()) else { return Evidence::Unjudged };
    if !(small || opening) || !word.is_ascii() {
        return Evidence::Unjudged;
    }
    let (word, restored) = (word.to_lowercase(), restored.to_lowercase());
    match (dict.check(&word), dict.check(&restored)) {
        (false, true) => Evidence::Vouched,
        // A text's capitalised first word is mostly a command, where the marked spelling is
        // the likelier of two words ("Prikazi verziju" is prikaži, show): its length decides.
        (true, true) if opening && !small => Evidence::Unjudged,
        (true, true) => Evidence::BothWords,
        _ => Evidence::Unjudged,
    }
}

/// Albanian particles that are words without their mark too, but rarely are in running text
/// written without any ë or ç, where they are the likeliest trace of a loss: the restored
/// particle, and whether it is strong evidence on its own.
///
/// - "në" (in) against "ne" (we) and "që" (that, which) against "qe" (was): the marked form
///   is by far the usual one (in the Albanian of the Xfce, KDE and MATE catalogues written
///   with their marks, "në" 1,147 times and "ne" twice, "që" 274 and "qe" 4 times; no
///   line of the Xfce and KDE Albanian without ë or ç has "ne" or "qe"), so each is strong.
/// - "të" (the subjunctive particle and the adjective article) against "te" (at, to): the
///   preposition is common in short interface texts ("Kalo te Skeda 1"), so "te" is weak,
///   except after a modal verb or a conjunction that takes the subjunctive ("mund të",
///   "duhet të", "do të", "për të", "që të": Albanian grammar puts the particle there, never
///   the preposition), where it is strong.
fn albanian_particle(previous: Option<&str>, word: &str) -> Option<(&'static str, Evidence)> {
    const SUBJUNCTIVE_BEFORE: &[&str] = &[
        "mund",
        "mundet",
        "mundem",
        "mundemi",
        "duhet",
        "do",
        "doni",
        "dua",
        "duam",
        "deshironi",
        "dëshironi",
        "per",
        "për",
        "qe",
        "që",
        "se",
        "arrit",
        "arriti",
    ];
    match word {
        "ne" => Some(("në", Evidence::Vouched)),
        "qe" => Some(("që", Evidence::Vouched)),
        "te" if previous.is_some_and(|previous| SUBJUNCTIVE_BEFORE.contains(&previous.to_lowercase().as_str())) => Some(("të", Evidence::Vouched)),
        "te" => Some(("të", Evidence::BothWords)),
        _ => None,
    }
}

/// The suspects [`albanian_particle`] adds to those of an Albanian text without any ë or ç
/// (`suspects`, in text order), each particle not already among them.
fn add_albanian_particles<'t>(text: &'t str, suspects: &mut Vec<Suspect<'t>>) {
    let mut previous: Option<&str> = None;
    for (start, word) in words(text) {
        if let Some((restored, evidence)) = albanian_particle(previous, word) {
            match suspects.iter_mut().find(|(at, ..)| *at == start) {
                // Grammar outranks the dictionary's "both are words".
                Some(suspect) if evidence == Evidence::Vouched => suspect.3 = evidence,
                Some(_) => {}
                None => suspects.push((start, word, restored.to_string(), evidence)),
            }
        }
        previous = Some(word);
    }
    suspects.sort_by_key(|(start, ..)| *start);
}

/// [`dictionary_restore`] for a sentence's capitalised first word of four letters or more:
/// judged in small letters, the restoration given back with its capital, unless the
/// dictionary knows the word as written (a name it lists).
fn opening_restore(lexicon: &Lexicon, lang: Lang, word: &str) -> Option<String> {
    let mut chars = word.chars();
    let first = chars.next()?;
    if !first.is_ascii_uppercase() || !chars.all(|c| c.is_ascii_lowercase()) || word.len() < 4 {
        return None;
    }
    if !matches!(lang, Lang::Sq | Lang::Sr | Lang::Bs) || lexicon.get(DictLang::for_text(lang, Script::Latn)?).ok()?.check(word) {
        return None;
    }
    let restored = dictionary_restore(lexicon, lang, &word.to_ascii_lowercase())?;
    let mut letters = restored.chars();
    let head = letters.next()?;
    Some(head.to_uppercase().chain(letters).collect())
}

/// True when two words are the same but for case ("Caja" of the Albanian, "caja" of the English).
fn same_word(a: &str, b: &str) -> bool {
    a.chars().flat_map(char::to_lowercase).eq(b.chars().flat_map(char::to_lowercase))
}

/// True for the first word of a text of two words or more whose second word starts with a
/// small letter: a capital there is the sentence's.
fn opens_sentence(text: &str, start: usize) -> bool {
    let mut all = words(text);
    matches!(all.next(), Some((first, _)) if first == start) && all.next().is_some_and(|(_, second)| second.chars().next().is_some_and(char::is_lowercase))
}

/// The most spellings [`dictionary_restore`] tries for one word.
const MAX_RESTORATIONS: usize = 256;

/// The one spelling with diacritics of `word` that the language's Hunspell dictionary knows,
/// when the dictionary does not know `word` itself: "eshte" → "është", "mozete" → "možete".
/// `None` when there is no dictionary, when the word is a word as written (Albanian "te",
/// "ne"; Serbian "sto"), when it has a capital (names: "Kosta" is not "Košta", nor "Caja"
/// "Çaja", though the dictionaries know the restored words), when it already has a mark, or
/// when several restorations are words ("kuca" → kuća, kuča): context would have to decide.
///
/// The dictionaries know the stems better than every inflected form, so two kinds of word
/// are left alone, having been seen as false alarms on real translated text:
/// - Albanian words whose restored letters are all in the last three (the endings -e/-ë,
///   -esh/-ësh, -et/-ët, where an imperative with its clitic, "maksimizoje", or an ablative
///   plural, "bajtesh", is spelled right without the mark);
/// - English words and words that start with an English word of five letters or more, or of
///   four and at most two more letters (a loanword with a native ending, "shellin"), when
///   the English dictionary is installed.
pub(crate) fn dictionary_restore(lexicon: &Lexicon, lang: Lang, word: &str) -> Option<String> {
    if !matches!(lang, Lang::Sq | Lang::Sr | Lang::Bs) {
        return None;
    }
    let dict = lexicon.get(DictLang::for_text(lang, Script::Latn)?).ok()?;
    if word.chars().count() < 3 || !word.chars().all(|c| c.is_ascii_lowercase()) || dict.check(word) {
        return None;
    }
    // A loanword: an English word ("doc"), or one of five letters or more with a native
    // ending ("shellin", "desktopu"), or of four with at most two more letters. Four-letter
    // English words begin too many Serbian and Albanian ones ("polo-zaju", "skol-jku").
    if lexicon.is_english(word) || (4..=word.len()).any(|end| (end >= 5 || word.len() - end <= 2) && lexicon.is_english(&word[..end])) {
        return None;
    }
    let spellings = marked_spellings(lang, word)?;
    // Albanian: a restoration that only marks letters of the last three is an ending.
    let stem_changed = |spelling: &str| {
        let plain: Vec<char> = word.chars().collect();
        let marked: Vec<char> = spelling.chars().collect();
        // Words of four or five letters are nearly all ending; there the rule would leave
        // every short word ("dhena" → "dhëna") to chance. Three letters stay with it: an
        // abbreviation ("tet" for tetor) is no "tët".
        (4..6).contains(&plain.len()) || plain.len() != marked.len() || plain.iter().zip(&marked).take(plain.len().saturating_sub(3)).any(|(a, b)| a != b)
    };
    let mut known =
        spellings.into_iter().filter(|spelling| spelling != word && dict.check(spelling)).filter(|spelling| lang != Lang::Sq || stem_changed(spelling));
    let restored = known.next()?;
    known.next().is_none().then_some(restored)
}

/// True when the dictionary of `lang` knows some spelling of `word` (small letters, none
/// marked) with diacritics restored, endings included ("komunen" → komunën): a word that is
/// missing-diacritics' to judge, not a misspelling.
pub(crate) fn has_marked_spelling(lexicon: &Lexicon, lang: Lang, word: &str) -> bool {
    if !matches!(lang, Lang::Sq | Lang::Sr | Lang::Bs) || !word.chars().all(|c| c.is_ascii_lowercase()) {
        return false;
    }
    let Some(dict) = DictLang::for_text(lang, Script::Latn).and_then(|dict| lexicon.get(dict).ok()) else { return false };
    marked_spellings(lang, word).is_some_and(|spellings| spellings.iter().any(|spelling| spelling != word && dict.check(spelling)))
}

/// Every spelling of `word` with some of its plain letters marked (Albanian e → ë, c → ç;
/// Serbian c → č ć, s → š, z → ž, d → đ, dj → đ), `word` itself first; `None` when there
/// would be more than [`MAX_RESTORATIONS`].
fn marked_spellings(lang: Lang, word: &str) -> Option<Vec<String>> {
    // Each plain letter and the marked letters it may have lost.
    let options = |c: char| -> &'static [char] {
        match (lang, c.to_ascii_lowercase()) {
            (Lang::Sq, 'e') => &['ë'],
            (Lang::Sq, 'c') => &['ç'],
            (Lang::Sr | Lang::Bs, 'c') => &['č', 'ć'],
            (Lang::Sr | Lang::Bs, 's') => &['š'],
            (Lang::Sr | Lang::Bs, 'z') => &['ž'],
            (Lang::Sr | Lang::Bs, 'd') => &['đ'],
            _ => &[],
        }
    };
    let mut spellings: Vec<String> = vec![String::new()];
    for c in word.chars() {
        let marks = options(c);
        let mut next = Vec::with_capacity(spellings.len() * (marks.len() + 1));
        for spelling in &spellings {
            next.push(format!("{spelling}{c}"));
            for mark in marks {
                next.push(format!("{spelling}{mark}"));
            }
        }
        if next.len() > MAX_RESTORATIONS {
            return None;
        }
        spellings = next;
    }
    // Serbian "dj" for đ is the usual plain spelling: "medju" → "među".
    if matches!(lang, Lang::Sr | Lang::Bs) && word.contains("dj") {
        spellings.push(word.replace("dj", "đ"));
    }
    Some(spellings)
}

/// True when the suspects of one text (a segment, or a text sent to `/v2/check`) show the
/// loss of diacritics rather than chance: two suspects, or one of five letters or more, or
/// one in Albanian running text of 25 letters or more (`letters`) without any ë or ç
/// (`has_marks`). The audit and the proofreader judge by this one rule.
fn shows_loss(lang: Lang, suspects: &[Suspect<'_>], has_marks: bool, letters: usize) -> bool {
    // Albanian nouns in ë have inflected forms in e (temë, teme; kartelë, kartele): a word
    // that differs only in a final ë is weak evidence.
    let final_e_only = |word: &str, restored: &str| {
        let (word, restored) = (word.to_lowercase(), restored.to_lowercase());
        lang == Lang::Sq && restored.ends_with('ë') && restored[..restored.len() - 'ë'.len_utf8()] == word[..word.len() - 1]
    };
    // One short word is weak evidence (sto/što, tema/temë are both words); a long word or
    // two words are not.
    // A word the dictionary does not know while it knows the word restored is strong
    // evidence on its own, however short the line: "Njoftim per punesim".
    // A word that is a word both ways is weak evidence, however long: "Mali prikazi"
    // (thumbnails) is right as written.
    let is_weak = |(_, word, restored, evidence): &Suspect<'_>| match evidence {
        Evidence::Vouched => false,
        Evidence::BothWords => true,
        Evidence::Unjudged => final_e_only(word, restored),
    };
    let strong: usize = suspects
        .iter()
        .filter(|suspect| !is_weak(suspect))
        .map(|(_, word, _, evidence)| if *evidence == Evidence::Vouched || word.chars().count() >= 5 { 2 } else { 1 })
        .sum();
    let weak = suspects.iter().filter(|suspect| is_weak(suspect)).count();
    // Albanian running text without a single ë or ç is itself unusual (ë is among its most
    // frequent letters), so there one word is enough.
    let long_unmarked = lang == Lang::Sq && !has_marks && letters >= 25;
    strong + weak >= 2 || (long_unmarked && strong >= 1)
}

/// A word of a segment as the check reads it: the word of the prose, or one that the prose
/// masks as code though it is text — a word with an accelerator inside (`Par_aardhesen`),
/// the parts of a time zone (`Afrike/Luanda`, `Amerike/Boa_Vista`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Token<'t> {
    /// Byte offset of the word as written.
    start: usize,
    /// The word as written, accelerator included.
    written: &'t str,
    /// The word without its accelerator, as the dictionary knows it.
    word: std::borrow::Cow<'t, str>,
    /// Where the accelerator stood (in characters of `word`) and which it was.
    accelerator: Option<(usize, char)>,
}

impl Token<'_> {
    /// `restored` (a restoration of [`Token::word`]) with the accelerator put back where it
    /// stood, when the restoration kept the word's length (Serbian dj → đ does not).
    fn mark(&self, restored: &str) -> String {
        match self.accelerator {
            Some((at, accelerator)) if restored.chars().count() == self.word.chars().count() => {
                let mut out: String = restored.chars().take(at).collect();
                out.push(accelerator);
                out.extend(restored.chars().skip(at));
                out
            }
            _ => restored.to_string(),
        }
    }
}

/// The words of `text` whose prose is `prose` (see [`Token`]).
fn tokens<'t>(text: &'t str, prose: &'t str) -> Vec<Token<'t>> {
    let mut found: Vec<Token<'t>> =
        words(prose).map(|(start, word)| Token { start, written: &text[start..start + word.len()], word: word.into(), accelerator: None }).collect();
    // The tokens the prose masked: whitespace-separated, blank in the prose, not in the text.
    let mut token_start = None;
    for (pos, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        if !c.is_whitespace() {
            token_start = token_start.or(Some(pos));
            continue;
        }
        let Some(begin) = token_start.take() else { continue };
        let token = text[begin..pos].trim_end_matches(['.', ',', ';', ':', '!', '?', '…', ')', '"', '\'']);
        if token.is_empty() || !prose[begin..begin + token.len()].trim().is_empty() {
            continue;
        }
        if token.contains('/') {
            // A time zone: capitalised names joined by '/' and '_' (a space in the name).
            let parts: Vec<(usize, &str)> = token
                .split(['/', '_'])
                .scan(begin, |at, part| {
                    let here = *at;
                    *at += part.len() + 1;
                    Some((here, part))
                })
                .collect();
            let zone = parts.iter().all(|(_, part)| part.chars().all(char::is_alphabetic) && part.starts_with(|c: char| c.is_uppercase()));
            if zone && !token.starts_with('/') {
                found.extend(parts.into_iter().map(|(start, part)| Token { start, written: part, word: part.into(), accelerator: None }));
            }
            continue;
        }
        // One accelerator between letters.
        let marks: Vec<(usize, char)> = token.char_indices().filter(|(_, c)| matches!(c, '_' | '&')).collect();
        if let [(at, accelerator)] = marks[..] {
            let (head, tail) = (&token[..at], &token[at + 1..]);
            if !head.is_empty() && !tail.is_empty() && head.chars().chain(tail.chars()).all(char::is_alphabetic) {
                let word = format!("{head}{tail}");
                found.push(Token { start: begin, written: token, word: word.into(), accelerator: Some((head.chars().count(), accelerator)) });
            }
        }
    }
    found.sort_by_key(|token| token.start);
    found
}

/// The weights of [`line_loss`], measured on the Albanian and Serbian Latin of translated
/// interface catalogues (BENCHMARKS.md, "Missing diacritics: the whole line as evidence").
mod line_weights {
    /// "ne", "qe", and "te" where grammar wants the particle ([`super::albanian_particle`]).
    pub const PARTICLE: f64 = 3.0;
    /// Another "te": also the preposition ("Kalo te skeda").
    pub const TE: f64 = 1.0;
    /// "se": the conjunction as often as "së".
    pub const SE: f64 = 0.5;
    /// The most a two-letter word weighs by the document's counts (me/më, se/së).
    pub const SHORT: f64 = 1.0;
    /// A word the dictionary does not know, while it knows one spelling with marks.
    pub const UNKNOWN: f64 = 3.0;
    /// The same, when only an Albanian ending is marked ("pasardhes", "gjatesi").
    pub const UNKNOWN_ENDING: f64 = 2.0;
    /// A word the dictionary knows both ways.
    pub const BOTH: f64 = 0.7;
    /// The least sum of a line's weights that shows a loss.
    pub const LINE: f64 = 1.5;
    /// The least weight of the line's strongest word.
    pub const STRONGEST: f64 = 1.0;
    /// The least weight of a word named in the finding.
    pub const SHOWN: f64 = 0.5;
}

/// True when `restored` marks only letters of the last three of an Albanian `word` of three
/// letters or of six and more: an ending, where both spellings are often right.
fn ending_only(lang: Lang, word: &str, restored: &str) -> bool {
    let (plain, marked): (Vec<char>, Vec<char>) = (word.chars().collect(), restored.chars().collect());
    lang == Lang::Sq
        && plain.len() == marked.len()
        && !(4..6).contains(&plain.len())
        && plain.iter().zip(&marked).take(plain.len().saturating_sub(3)).all(|(a, b)| a == b)
}

/// True when `restored` is `word` (Albanian) with its final e marked: tastiere/tastierë.
fn final_e_only(lang: Lang, word: &str, restored: &str) -> bool {
    lang == Lang::Sq && word.strip_suffix('e').is_some_and(|stem| restored.strip_suffix('ë') == Some(stem))
}

/// The loss of diacritics in a text without any (`tokens`, in text order), judged by all its
/// words at once: each word weighs by the odds that it lost a mark, from how often the
/// document's trusted text (and the seeded word list, the gazetteer, the terms) writes it
/// with and without marks, and from the dictionary when the document does not say. The
/// suspects when the weights add up to enough; `is_name` sets names aside.
fn line_loss<'t>(
    lexicon: &Lexicon,
    vocabulary: &Vocabulary,
    lang: Lang,
    tokens: &[Token<'t>],
    is_name: impl Fn(&Token<'t>) -> bool,
) -> Option<Vec<Suspect<'t>>> {
    let dict = DictLang::for_text(lang, Script::Latn).and_then(|dict| lexicon.get(dict).ok());
    let mut weighed: Vec<(f64, Suspect<'t>)> = Vec::new();
    let mut previous: Option<&str> = None;
    for token in tokens {
        let word = token.word.as_ref();
        let last = previous.replace(word);
        let lower = word.to_lowercase();
        if !lower.chars().all(|c| c.is_ascii_lowercase()) || lower.len() < 2 {
            continue;
        }
        let capital = word.starts_with(|c: char| c.is_uppercase());
        // A capitalised word the dictionary lists only so ("Kosta") is a name.
        if capital && (is_name(token) || dict.is_some_and(|dict| dict.check(word) && !dict.check(&lower))) {
            continue;
        }
        let mut best: Option<(f64, String)> = None;
        let mut offer = |score: f64, restored: String| {
            if best.as_ref().is_none_or(|(have, _)| score > *have) {
                best = Some((score, restored));
            }
        };
        if lang == Lang::Sq && lower.len() == 2 {
            let particle = match lower.as_str() {
                "te" => albanian_particle(last, "te")
                    .map(|(restored, evidence)| (restored, if evidence == Evidence::Vouched { line_weights::PARTICLE } else { line_weights::TE })),
                "ne" | "qe" => albanian_particle(last, &lower).map(|(restored, _)| (restored, line_weights::PARTICLE)),
                "se" => Some(("së", line_weights::SE)),
                _ => None,
            };
            if let Some((restored, score)) = particle {
                offer(score, restored.to_string());
            }
        }
        // The genitive of a feminine noun in -ë ends in -e ("Dritare bisede"), so a final e
        // is evidence only in a line's first word (a label's noun: "Kartele").
        let first = std::ptr::eq(token, &tokens[0]);
        let discount = |restored: &str| match (final_e_only(lang, &lower, restored), ending_only(lang, &lower, restored)) {
            (true, _) if !first => 0.0,
            (false, true) => 0.5,
            _ => 1.0,
        };
        if let Some((restored, marked, plain)) = vocabulary.counts(lang, &lower)
            && marked > 0
            && !verb_with_clitic(lang, &lower, &restored)
        {
            let odds = ((marked + plain + 1) as f64 / (plain + 1) as f64).ln() * discount(&restored);
            // Two-letter words are common both ways (Albanian te/të, me/më).
            offer(if lower.len() < 3 { odds.min(line_weights::SHORT) } else { odds }, restored);
        }
        if lower.len() >= 3
            && let Some(dict) = dict
            && !lexicon.is_english(&lower)
        {
            // A capitalised word may be a name the dictionary lists with its capital ("Afrikë").
            let known: Vec<String> = marked_spellings(lang, &lower)
                .unwrap_or_default()
                .into_iter()
                .filter(|spelling| *spelling != lower && !verb_with_clitic(lang, &lower, spelling))
                .filter(|spelling| dict.check(spelling) || (capital && dict.check(&copy_case(word, spelling))))
                .collect();
            if let [restored] = &known[..] {
                let ending = ending_only(lang, &lower, restored);
                let score = match (dict.check(&lower), ending) {
                    // A final e of a word both ways is mostly right: a feminine adjective
                    // ("Normale") or an imperative with its clitic ("Lidhe te …").
                    (true, _) if final_e_only(lang, &lower, restored) => 0.0,
                    (true, _) => line_weights::BOTH * discount(restored),
                    // A three-letter ending is mostly an abbreviation ("tet", tetor).
                    (false, true) if lower.len() == 3 => line_weights::BOTH,
                    (false, true) => line_weights::UNKNOWN_ENDING,
                    (false, false) => line_weights::UNKNOWN,
                };
                offer(score, restored.clone());
            }
        }
        if let Some((score, restored)) = best {
            let restored = copy_case(word, &restored);
            weighed.push((score, (token.start, token.written, token.mark(&restored), Evidence::Unjudged)));
        }
    }
    let total: f64 = weighed.iter().map(|(score, _)| score).sum();
    let strongest = weighed.iter().map(|(score, _)| *score).fold(0.0, f64::max);
    if total < line_weights::LINE || strongest < line_weights::STRONGEST {
        return None;
    }
    Some(weighed.into_iter().filter(|(score, _)| *score >= line_weights::SHOWN).map(|(_, suspect)| suspect).collect())
}

/// True for an Albanian verb with its clitic, right without the mark ("riktheje",
/// "maksimizoje", restore it, maximise it), whose restoration only marks the final e of -je:
/// the subjunctive (rikthejë) is a word too.
fn verb_with_clitic(lang: Lang, word: &str, restored: &str) -> bool {
    lang == Lang::Sq && word.ends_with("je") && restored.strip_suffix("jë").is_some_and(|stem| word.strip_suffix("je") == Some(stem))
}

/// `target` (small letters) with the capital of `model`'s first letter, or all capitals.
fn copy_case(model: &str, target: &str) -> String {
    if model.chars().count() > 1 && model.chars().all(char::is_uppercase) {
        return target.to_uppercase();
    }
    if model.starts_with(char::is_uppercase) {
        let mut chars = target.chars();
        return chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default();
    }
    target.to_string()
}

impl Check for MissingDiacritics {
    fn about(&self) -> About {
        About { id: "missing-diacritics", severity: Severity::Error, category: Category::Orthography, scope: Scope::Text }
    }

    fn issue_type(&self) -> &'static str {
        "misspelling"
    }

    fn summary(&self) -> Localized {
        Localized {
            en: "Letters with diacritics replaced by plain letters (ë→e, ç→c, č→c, š→s …)",
            sq: "Shkronja me shenja diakritike të zëvendësuara me shkronja të thjeshta (ë→e, ç→c …)",
            sr: "Slova sa dijakriticima zamenjena običnim slovima (č→c, ć→c, š→s, ž→z, đ→dj …)",
        }
    }

    fn docs(&self) -> &'static str {
        "Finds Albanian words that lost ë or ç and Serbian Latin words that lost č ć š ž đ. It does not guess: a word is \
         reported only when the same document (or the audited corpus, the gazetteer, the term base) writes it with its \
         diacritics in text that was typed with them, and never without. One finding per segment; the suggestion \
         restores every such word. It takes two such words, or one of five letters or more: one short word is weak \
         evidence — except in Albanian running text of 25 letters or more without any ë or ç, itself unusual. The \
         word list is seeded with the function words whose forms without diacritics are not words (një, është, për; \
         već, još, može). With the Hunspell dictionaries installed (`myspell-sq`, `hunspell-sr`), a small-letter word \
         the dictionary does not know, while it knows exactly one spelling of it with diacritics restored, is evidence \
         on its own, so one word in a short line is enough (`Njoftim per punesim`); words that are words both ways \
         (Albanian te/të, ne/në; Serbian sto/što) are left to the document's own spelling, and capitalised words \
         inside a sentence (names) to the place-name check; the capitalised first word of a sentence that goes on \
         in small letters is judged in small letters (`Uvecaj do popune`), and so is any capitalised word of a \
         segment whose counterparts in the other languages write it otherwise (a label, `Fjale` for `Word`). A \
         short word the word list restores is evidence on its own when the dictionary knows it only restored \
         (`Ruaj nje kopje`); a word that is a word both ways is weak evidence, however long (`Mali prikazi`). \
         Albanian text without any ë or ç is also judged by its particles: `ne` and `qe` (në, që are by far the \
         usual words) and `te` after a modal verb or conjunction that takes the subjunctive (`mund te`, `per te`) \
         are evidence on their own; another `te` (also the preposition, `Kalo te skeda`) is weak. A text without \
         any mark is also weighed as a whole: each word by how much more often the document writes it with marks \
         than without, or by the dictionary (no word as written: strong; a word both ways: weak), and the weights \
         add up (`Sto je ovo` where the document writes `Što` again and again, a label `Kartele` where the document writes `Kartelë`); an Albanian final \
         e counts only in a line's first word (after a noun it is a genitive: `Dritare bisede`). Words split by an \
         accelerator (`Par_aardhesen`) and the parts of a time zone (`Afrike/Luanda`) are read whole.\n\n\
         **Why** without diacritics Albanian and Serbian words change meaning or become other words (Serbian sto/što, \
         Albanian tema/temë); official texts in either language must be correctly spelled, and names lose their \
         official form (UNMIK Reg. 2000/43 Art. 1 for place names; DOMAIN.md V9, D8).\n\n\
         **Bad** sq: `Ky eshte vendimi per komunen.`\n\n\
         **Good** sq: `Ky është vendimi për komunën.`"
    }

    /// Each word the word list (and the text itself) spells with diacritics, when the text
    /// as a whole shows the loss ([`shows_loss`]), so that a single word the corpus happens
    /// to spell with a mark is not taken for a defect.
    fn detect(&self, text: &str, lang: LangTag, refs: &TextRefs<'_>) -> Vec<Issue> {
        let latin_text = lang.lang == Lang::Sq || lang == LangTag::SR_LATN || lang.lang == Lang::Bs;
        if !latin_text || !mojibake::detect(text).is_empty() {
            return Vec::new();
        }
        // The text vouches for the spellings it writes with marks (and is ignored when it
        // has none, see `Vocabulary::add_segment`).
        let mut own_words = Vocabulary::default();
        own_words.add_segment(lang.lang, text);
        let mut suspects: Vec<Suspect<'_>> = Vec::new();
        for (start, word) in words(text) {
            if word.chars().count() < 3 || word_script(word) != Script::Latn {
                continue;
            }
            let opening = opens_sentence(text, start);
            if let Some(suspect) = restore(refs.lexicon, refs.vocabulary.restore_with(&own_words, lang.lang, word), lang.lang, start, word, opening) {
                suspects.push(suspect);
            }
        }
        let has_marks = text.chars().any(|c| is_marked_letter(lang.lang, c));
        if lang.lang == Lang::Sq && !has_marks {
            add_albanian_particles(text, &mut suspects);
        }
        let letters = text.chars().filter(|c| c.is_alphabetic()).count();
        if !shows_loss(lang.lang, &suspects, has_marks, letters) {
            return Vec::new();
        }
        suspects
            .into_iter()
            .map(|(start, word, restored, _)| {
                let message = format!("\"{word}\" is written without its diacritics: \"{restored}\"");
                Issue::new(self.id(), start..start + word.len(), message, "Missing diacritics", Some(restored))
            })
            .collect()
    }

    fn run(&self, ctx: &AuditContext<'_>, out: &mut Vec<Finding>) {
        for (version, view) in ctx.versions.iter().enumerate() {
            let lang = view.lang();
            if !matches!(lang, Lang::Sq | Lang::Sr | Lang::Bs) {
                continue;
            }
            for (segment_idx, segment) in view.segments.iter().enumerate() {
                // A text all of whose words the prose masks ("Afrike/Luanda") has no script.
                if segment.damaged || segment.foreign.is_some() || !matches!(segment.script(), Script::Latn | Script::Other) {
                    continue;
                }
                let has_marks = segment.prose.chars().any(|c| is_marked_letter(lang, c));
                // Names in a segment that has its diacritics elsewhere are the place-name
                // check's to report.
                let mentions = &ctx.mentions[version][segment_idx];
                let mut suspects: Vec<Suspect<'_>> = Vec::new();
                let segment_tokens = tokens(&segment.text, &segment.prose);
                for token in &segment_tokens {
                    let (start, word) = (token.start, token.word.as_ref());
                    if word.chars().count() < 3 || word_script(word) != Script::Latn {
                        continue;
                    }
                    let in_mention = mentions.iter().any(|m| start >= m.start && start < m.end);
                    if has_marks && in_mention {
                        continue;
                    }
                    // A capitalised word that a counterpart in another language writes the same
                    // way is a name ("Caja", the file manager), whatever its place. Where the
                    // counterparts write it otherwise, a capital that does not open a sentence
                    // is a label's ("Fjale" for "Word", title case "Kopjo Ketu" for
                    // "Copy Here"), judged in small letters too; without counterparts it may be
                    // a name, left alone.
                    let has_counterpart = || {
                        (0..ctx.versions.len()).filter(|&other| other != version).any(|other| {
                            ctx.counterpart(version, segment_idx, other).is_some_and(|seg| words(&ctx.versions[other].segments[seg].prose).next().is_some())
                        })
                    };
                    let written_alike = || {
                        (0..ctx.versions.len()).filter(|&other| other != version).any(|other| {
                            ctx.counterpart(version, segment_idx, other)
                                .is_some_and(|seg| words(&ctx.versions[other].segments[seg].prose).any(|(_, w)| same_word(w, word)))
                        })
                    };
                    let opening =
                        word.starts_with(char::is_uppercase) && !in_mention && (opens_sentence(&segment.prose, start) || has_counterpart()) && !written_alike();
                    if let Some((_, _, restored, evidence)) = restore(ctx.lexicon, ctx.vocabulary.restore(lang, word), lang, start, word, opening) {
                        suspects.push((start, token.written, token.mark(&restored), evidence));
                    }
                }
                if lang == Lang::Sq && !has_marks {
                    add_albanian_particles(&segment.prose, &mut suspects);
                }
                let letters = segment.prose.chars().filter(|c| c.is_alphabetic()).count();
                if !shows_loss(lang, &suspects, has_marks, letters) {
                    // Text without any mark is judged as a whole too: each word weighs by
                    // how much likelier its marked spelling is.
                    // As above, a capitalised word without a counterpart may be a name, unless
                    // it opens a sentence.
                    let has_counterpart = (0..ctx.versions.len())
                        .filter(|&other| other != version)
                        .any(|other| ctx.counterpart(version, segment_idx, other).is_some_and(|seg| !ctx.versions[other].segments[seg].text.trim().is_empty()));
                    let names = |token: &Token<'_>| {
                        !(has_counterpart || opens_sentence(&segment.prose, token.start))
                            || mentions.iter().any(|m| token.start >= m.start && token.start < m.end)
                            || (0..ctx.versions.len()).filter(|&other| other != version).any(|other| {
                                ctx.counterpart(version, segment_idx, other).is_some_and(|seg| {
                                    let other_text = &ctx.versions[other].segments[seg].text;
                                    tokens(other_text, &ctx.versions[other].segments[seg].prose).iter().any(|t| same_word(&t.word, &token.word))
                                })
                            })
                    };
                    match (has_marks, line_loss(ctx.lexicon, &ctx.vocabulary, lang, &segment_tokens, names)) {
                        (false, Some(found)) => suspects = found,
                        _ => continue,
                    }
                }
                let mut suggestion = String::with_capacity(segment.text.len() + 8);
                let mut last = 0;
                for (start, word, restored, _) in &suspects {
                    suggestion.push_str(&segment.text[last..*start]);
                    suggestion.push_str(restored);
                    last = start + word.len();
                }
                suggestion.push_str(&segment.text[last..]);
                let list: Vec<String> = suspects.iter().map(|(_, word, restored, _)| format!("{word} → {restored}")).collect();
                let (start, word, ..) = suspects[0];
                out.push(ctx.finding(
                    version,
                    segment_idx,
                    Some((start, start + word.len())),
                    format!("words written without their diacritics: {}", list.join(", ")),
                    Some(suggestion),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Evidence, albanian_particle, dictionary_restore, ending_only, final_e_only, opening_restore, opens_sentence, tokens, verb_with_clitic};
    use crate::audit::AuditConfig;
    use crate::audit::checks::tests::{expect, expect_with};
    use crate::audit::prose::prose;
    use crate::lexicon::Lexicon;
    use crate::model::lang::Lang;

    #[test]
    fn the_dictionary_restores_a_word_it_knows_only_with_marks() {
        let fixture = Lexicon::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/lexicon"));
        let restore = |lang, word| dictionary_restore(&fixture, lang, word);
        assert_eq!(restore(Lang::Sq, "eshte").as_deref(), Some("është"));
        assert_eq!(restore(Lang::Sq, "punesim").as_deref(), Some("punësim"));
        // Words both ways, capitals (names, labels), unknown words, endings only, loanwords.
        assert_eq!(restore(Lang::Sq, "te"), None);
        assert_eq!(restore(Lang::Sq, "ne"), None);
        assert_eq!(restore(Lang::Sq, "Eshte"), None, "a capital may start a name");
        assert_eq!(restore(Lang::Sq, "ESHTE"), None);
        assert_eq!(restore(Lang::Sq, "kompjuter"), None);
        assert_eq!(restore(Lang::Sq, "komune"), None, "only the ending changes: komune/komunë");
        // Four letters of English and four more are not a loanword ("polo-zaju"): the
        // dictionary decides.
        assert_eq!(restore(Lang::Sq, "homeshte").as_deref(), Some("homështe"));
        assert_eq!(restore(Lang::Sr, "mozete").as_deref(), Some("možete"));
        assert_eq!(restore(Lang::Sr, "vec").as_deref(), Some("već"));
        assert_eq!(restore(Lang::Sr, "medju").as_deref(), Some("među"));
        assert_eq!(restore(Lang::Sr, "sto"), None, "sto is a word");
        assert_eq!(restore(Lang::Sr, "kuca"), None, "kuća and kuča: context would decide");
        assert_eq!(restore(Lang::En, "eshte"), None);
        // Without a dictionary the check does what it did without one.
        let none = Lexicon::new("/nonexistent-dictionaries");
        assert_eq!(dictionary_restore(&none, Lang::Sq, "eshte"), None);
    }

    #[test]
    fn a_sentence_opening_is_judged_in_small_letters() {
        let fixture = Lexicon::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/lexicon"));
        assert_eq!(opening_restore(&fixture, Lang::Sr, "Mozete").as_deref(), Some("Možete"));
        assert_eq!(opening_restore(&fixture, Lang::Sq, "Eshte").as_deref(), Some("Është"));
        assert_eq!(opening_restore(&fixture, Lang::Sr, "MOZETE"), None);
        assert!(opens_sentence("Mozete da se prijavite", 0));
        assert!(!opens_sentence("Kosta Petrović", 0), "a name goes on with a capital");
        assert!(!opens_sentence("Mozete", 0), "a lone word may be a name or a label");
        assert!(!opens_sentence("Tada Mozete", 5));
    }

    #[test]
    fn albanian_without_e_diaeresis() {
        expect(
            "missing-diacritics",
            &[
                ("sq", "Ndërroni temën (temë e tanishme: auto)\nNdërroni temën (temë e tanishme: e çelët)\n⟦Nderroni⟧ temen (teme e tanishme: e erret)"),
                ("sr", "Uključi temu (tema: auto)\nUključi temu (tema: svetla)\nUključi temu (tema: tamna)"),
            ],
        );
    }

    #[test]
    fn serbian_latin_without_caron() {
        expect(
            "missing-diacritics",
            &[
                ("sq", "Faleminderit që harxhoni kohë.\nFaleminderit që u regjistruat, tani mund të hyni."),
                ("sr", "Hvala što ste danas proveli vreme na sajtu, već sada možete da se prijavite.\nHvala ⟦sto⟧ ste se registrovali, vec sada mozete."),
            ],
        );
    }

    #[test]
    fn words_the_document_never_marks_are_left_alone() {
        expect("missing-diacritics", &[("sq", "Fjalëkalimi juaj u caktua.\nMirëfilltësimi u çaktivizua."), ("sr", "Sto dinara je cena.\nŠto pre, to bolje.")]);
    }

    /// An audit configuration with the small dictionaries of tests/data/lexicon.
    fn with_fixture_dictionaries() -> AuditConfig {
        AuditConfig { dict_dir: Some(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/lexicon").into()), ..AuditConfig::default() }
    }

    #[test]
    fn particles_of_albanian_without_marks() {
        type Case<'a> = (Option<&'a str>, &'a str, Option<(&'a str, Evidence)>);
        let cases: &[Case<'_>] = &[
            (None, "ne", Some(("në", Evidence::Vouched))),
            (Some("elementin"), "ne", Some(("në", Evidence::Vouched))),
            (None, "qe", Some(("që", Evidence::Vouched))),
            (Some("Kalo"), "te", Some(("të", Evidence::BothWords))),
            (Some("mund"), "te", Some(("të", Evidence::Vouched))),
            (Some("Duhet"), "te", Some(("të", Evidence::Vouched))),
            (Some("per"), "te", Some(("të", Evidence::Vouched))),
            (Some("mund"), "Te", None),
            (None, "se", None),
            (None, "me", None),
        ];
        for (previous, word, expected) in cases {
            assert_eq!(albanian_particle(*previous, word), *expected, "{previous:?} {word}");
        }
    }

    #[test]
    fn albanian_without_any_mark_is_judged_by_its_particles() {
        expect_with(
            "missing-diacritics",
            &[("sq", "Dokumenti u ruajt në dosje.\nBlloko elementin ⟦ne⟧ panel\nNuk mund ⟦te⟧ ruhet\nKalo te skeda 1\nShko te dosja e fundit")],
            &with_fixture_dictionaries(),
        );
    }

    #[test]
    fn a_short_word_the_dictionary_vouches_for_is_enough() {
        // "nje" is in the seeded word list; the dictionary knows "një" and not "nje".
        expect_with("missing-diacritics", &[("sq", "Dokumenti u ruajt në dosje.\nRuaj ⟦nje⟧ kopje")], &with_fixture_dictionaries());
        let none = AuditConfig { dict_dir: Some("/nonexistent-dictionaries".into()), ..AuditConfig::default() };
        expect_with("missing-diacritics", &[("sq", "Dokumenti u ruajt në dosje.\nRuaj nje kopje")], &none);
    }

    #[test]
    fn a_capitalised_label_is_judged_when_its_counterparts_write_it_otherwise() {
        expect_with(
            "missing-diacritics",
            &[("en", "The document was saved.\nWord\nCaja"), ("sq", "Dokumenti u ruajt në dosje.\n⟦Fjale⟧\nCaja")],
            &with_fixture_dictionaries(),
        );
        // Without a counterpart a lone capitalised word may be a name.
        expect_with("missing-diacritics", &[("sq", "Dokumenti u ruajt në dosje.\nFjale")], &with_fixture_dictionaries());
    }

    #[test]
    fn accelerators_and_time_zones_are_read_as_words() {
        let cases: &[(&str, &[(&str, &str)])] = &[
            ("Gjej Par_aardhesen", &[("Gjej", "Gjej"), ("Par_aardhesen", "Paraardhesen")]),
            ("Paneli ane_sor", &[("Paneli", "Paneli"), ("ane_sor", "anesor")]),
            ("Madhe_sia:", &[("Madhe_sia", "Madhesia")]),
            ("Afrike/Luanda", &[("Afrike", "Afrike"), ("Luanda", "Luanda")]),
            ("Amerike/Boa_Vista", &[("Amerike", "Amerike"), ("Boa", "Boa"), ("Vista", "Vista")]),
            // Code stays code: paths, identifiers with several joiners, lower-case parts.
            ("Ruaje te /usr/share/doc", &[("Ruaje", "Ruaje"), ("te", "te")]),
            ("Ndrysho app_label_name", &[("Ndrysho", "Ndrysho")]),
            ("Hap dosje/kartela", &[("Hap", "Hap")]),
        ];
        for (text, expected) in cases {
            let masked = prose(text);
            let got: Vec<(&str, String)> = tokens(text, &masked).into_iter().map(|token| (token.written, token.word.into_owned())).collect();
            let expected: Vec<(&str, String)> = expected.iter().map(|(written, word)| (*written, word.to_string())).collect();
            assert_eq!(got, expected, "{text}");
        }
        let masked = prose("Gjej Par_aardhesen");
        let accelerated = &tokens("Gjej Par_aardhesen", &masked)[1];
        assert_eq!(accelerated.mark("Paraardhësen"), "Par_aardhësen", "the accelerator goes back where it was");
    }

    #[test]
    fn albanian_endings_weigh_less() {
        assert!(final_e_only(Lang::Sq, "tastiere", "tastierë"));
        assert!(!final_e_only(Lang::Sq, "gjatesi", "gjatësi"));
        assert!(ending_only(Lang::Sq, "gjatesi", "gjatësi"));
        assert!(ending_only(Lang::Sq, "tet", "tët"));
        assert!(!ending_only(Lang::Sq, "dhena", "dhëna"), "four and five letters are nearly all ending");
        assert!(!ending_only(Lang::Sq, "perdorimi", "përdorimi"));
        assert!(!ending_only(Lang::Sr, "prikazi", "prikaži"));
        assert!(verb_with_clitic(Lang::Sq, "riktheje", "rikthejë"));
        assert!(verb_with_clitic(Lang::Sq, "maksimizoje", "maksimizojë"));
        assert!(!verb_with_clitic(Lang::Sq, "kartele", "kartelë"));
    }

    /// An audit configuration without dictionaries: only the document's own spellings count.
    fn without_dictionaries() -> AuditConfig {
        AuditConfig { dict_dir: Some("/nonexistent-dictionaries".into()), ..AuditConfig::default() }
    }

    #[test]
    fn a_line_without_marks_is_weighed_by_the_documents_spellings() {
        // A one-word label in -e, where the document writes the word with -ë, has lost it;
        // the same word after a noun is a genitive ("Dritare kartele") and right.
        expect_with(
            "missing-diacritics",
            &[
                ("en", "A new file.\nA hidden file.\nAnother file.\nAn open file.\nFile\nFile window\nFile name"),
                ("sq", "Kartelë e re.\nKartelë e fshehur.\nKartelë tjetër.\nKartelë e hapur.\n⟦Kartele⟧\nDritare kartele\nEmri i kartele"),
            ],
            &without_dictionaries(),
        );
        // Serbian "sto" (hundred) is rare where the document writes "što" again and again; a
        // document that writes "što" once says too little.
        expect_with("missing-diacritics", &[("sr", "Što je novo.\nŠto pre.\nŠto god.\nŠto da ne.\n⟦Sto⟧ je ovo")], &without_dictionaries());
        expect_with("missing-diacritics", &[("sr", "Što pre, to bolje.\nSto dinara je cena.")], &without_dictionaries());
    }

    #[test]
    fn a_word_split_by_an_accelerator_is_judged_whole() {
        expect_with("missing-diacritics", &[("sq", "Gjej paraardhësen e dosjes.\nGjej ⟦Par_aardhesen⟧\nGjej _Paraardhësen")], &without_dictionaries());
    }
}
