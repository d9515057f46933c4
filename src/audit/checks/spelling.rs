//! `spelling`: words that the Hunspell dictionary of the version's language and script does not
//! know, with the dictionary's suggestions.
//!
//! A word is checked against the dictionary of its text (Albanian `sq_AL`, Serbian `sr_RS` in
//! Cyrillic or `sr_Latn_RS` in Latin; [`DictLang::for_text`]), then against what a dictionary
//! cannot know: official place names in every form ([`KnownWords::gazetteer`]), the term
//! base's terms, and the names of languages, countries, regions, scripts and currencies that
//! Debian's `iso-codes` translates ([`IsoNames`]: "Asamezisht", "Шриланканска рупија"). What
//! is left is set aside when it is not prose or not the translator's
//! spelling, each rule for a false alarm seen on real translated text (BENCHMARKS.md
//! "Audit: spelling"):
//! - words with digits (`mp3`, `x86`), abbreviations in capitals (`PDF`, `URL`), words with a
//!   capital inside (`KDialog`, `OpenGL`), and words of fewer than three letters;
//! - code: placeholders, markup, URLs, e-mail addresses and file names are masked in the
//!   segment's prose (`audit::prose`) before any word is read;
//! - words of another script than the version's (a Latin product name in Cyrillic text);
//! - English words, in Albanian and Serbian Latin text, that the English dictionary knows (the
//!   loanwords of software: "desktop", "shell", "online");
//! - a word written without its diacritics that the dictionary knows with them: that is
//!   `missing-diacritics`' finding, not a second one;
//! - in an audit: words that another version of the same segment writes too (an untranslated
//!   product name: "Dolphin", "Konsole"), place names the audit's mention finder found, and a
//!   word the version writes alike in two segments or more, or in several forms of one stem in
//!   three (the translator's vocabulary; a typo is seldom made twice alike), unless a word of
//!   the dictionary one slip away is written in twice as many segments ("duhett" beside
//!   "duhet": the same slip made again);
//! - a Serbian abbreviation spelled out without a vowel (`пдф`, `фтп`), and a name right before
//!   an e-mail address (credits);
//! - unless the dictionary knows a word one slip away (then it is as likely a typo): a
//!   loanword with a native ending, a compound of two words, a word after a productive prefix
//!   (`joekzistues`, `надфасциклу`), an English stem in Albanian spelling with an Albanian
//!   ending (`inkremental`, `kompresuar`), an English word in Cyrillic letters (`шифт`), and a
//!   capitalised word inside a sentence or beside another name (`Атрилових`, `Vilson Gjeci`).
//!
//! Each distinct word is judged once an audit (verdicts are cached), and suggestions are asked
//! only for reported words, at most [`MAX_SUGGESTED_WORDS`] distinct ones a run, without the
//! dictionary's slow n-gram pass.
//!
//! Without the dictionary of a version's language the check finds nothing there and says so
//! ([`Check::note`]); it never fails. Deliberately not done: grammar, words that are words but
//! the wrong ones (real-word errors), English versions, and spelling inside code.

use std::collections::{HashMap, HashSet};

use spellbook::Dictionary;

use crate::audit::context::AuditContext;
use crate::audit::known_words::{IsoNames, KnownWords};
use crate::audit::prose::prose;
use crate::audit::vocabulary::Vocabulary;
use crate::lexicon::{DictLang, Lexicon};
use crate::model::lang::{Lang, LangTag, SrScript};
use crate::model::{Category, Finding, Severity};
use crate::text::script::{Script, word_script};
use crate::text::stem::stem_word;

use super::missing_diacritics::has_marked_spelling;
use super::{About, Check, Issue, Localized, Scope, TextRefs};

/// Finds words the dictionary of the text's language does not know.
pub struct Spelling;

/// The most replacements one finding offers.
const MAX_SUGGESTIONS: usize = 5;

/// The most distinct words one run asks suggestions for (each costs the dictionary
/// milliseconds); later ones are reported without suggestions.
pub const MAX_SUGGESTED_WORDS: usize = 400;

/// The fewest letters a word has to be checked: shorter ones are mostly abbreviations,
/// clitics and symbols.
const MIN_LETTERS: usize = 3;

/// The most letters of a word in capitals taken for an abbreviation (UNMIK, ASCII, UNICEF).
const MAX_ABBREVIATION: usize = 6;

/// The most letters of an inflectional ending that Albanian and Serbian attach to a foreign
/// word, with a hyphen (Dolphin-it) or without (desktopin, menuja, fajla).
const MAX_ENDING: usize = 3;

/// The fewest segments in which the forms of one unknown stem make it the translator's word.
const MIN_STEM_SEGMENTS: usize = 3;

/// The fewest letters of each part of a compound written as one word ("kopjeruajtje",
/// "parapamje", "једноразмачни") whose parts are words.
const MIN_COMPOUND_PART: usize = 4;

/// How many times as many segments a word of the dictionary one slip away from a repeated
/// unknown word must be written in for the unknown word to be the same slip made again.
const TYPO_OF_COMMON_RATIO: usize = 2;

/// The longest word [`Speller::near_words`] tries edits of.
const MAX_NEAR_CHARS: usize = 24;

/// The fewest letters of a word tried as an English stem in Albanian spelling: shorter
/// words are too often one by chance.
const MIN_ADAPTED_LOAN: usize = 6;

/// The most letters of a Serbian word without vowels taken for an abbreviation (пдф, фтп),
/// and the fewest of a word one slip away that makes it a typo instead ("ткст": "текст").
const MAX_VOWELLESS: usize = 5;

/// The most English spellings tried for one Albanian stem.
const MAX_ENGLISH_SPELLINGS: usize = 16;

/// The productive Albanian prefixes (Gramatika e gjuhës shqipe I, 2002, word formation by
/// prefixes): negation `jo`, `mos`, `pa`; `nën` (sub-), `mbi` (over-), `ri` (re-), `para`
/// (pre-), `ndër` (inter-), `kundër` (counter-), `shumë` (multi-), `vetë` (self-).
const SQ_PREFIXES: &[&str] = &["jo", "mos", "pa", "nën", "mbi", "ri", "para", "ndër", "kundër", "shumë", "vetë"];

/// The productive Serbian prefixes, in the assimilated forms spelling writes (Pravopis srpskoga
/// jezika, Matica srpska, 2010, on assimilation: под → пот, над → нат, раз → рас, из → ис, без → бес before a voiceless
/// consonant): не, над, под, пред, пре, раз, из, без, међу, само, полу, више, ауто, супер.
const SR_PREFIXES: &[&str] =
    &["не", "над", "нат", "под", "пот", "пред", "прет", "пре", "раз", "рас", "из", "ис", "без", "бес", "међу", "само", "полу", "више", "ауто", "супер"];

/// [`SR_PREFIXES`] in Latin letters.
const SR_LATN_PREFIXES: &[&str] =
    &["ne", "nad", "nat", "pod", "pot", "pred", "pret", "pre", "raz", "ras", "iz", "is", "bez", "bes", "među", "samo", "polu", "više", "auto", "super"];

/// Albanian endings of derivation and inflection a loan stem takes: verbs (-oj, -on, -ohet,
/// -uar), nouns of action and agent (-im, -ues), adjectives (-ik, -al, -isht), and the case
/// and article endings after them; the longest first.
const SQ_LOAN_ENDINGS: &[&str] = &[
    "uesit", "uesin", "uesi", "uese", "ues", "uarat", "uara", "uari", "uar", "imeve", "imet", "imit", "imin", "imi", "im", "ikeve", "ikët", "ike", "ikë", "ik",
    "isht", "ohet", "ojnë", "ojë", "oni", "on", "oj", "ave", "eve", "ët", "et", "it", "in", "ës", "ën", "ja", "a", "e", "ë", "i", "o", "",
];

/// The English endings the Albanian ones replace (esoter-ic, compress-ed, optimiz-e,
/// animat-ion), or none.
const EN_LOAN_ENDINGS: &[&str] = &["", "e", "ic", "ion", "al", "ate", "er", "or", "ed", "y"];

/// A word of a text: byte range and the word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Word<'t> {
    start: usize,
    text: &'t str,
}

/// The words of `prose` worth a dictionary's look: runs of letters with apostrophes, hyphens
/// and accelerator marks inside (`s'ka`, `e-mail` as one run, then split at hyphens;
/// `Ska&ner`), those with digits or underscores left out, as are abbreviations, words with an
/// inner capital and short words.
fn candidate_words(prose: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut chars = prose.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if !c.is_alphanumeric() {
            continue;
        }
        let mut end = start + c.len_utf8();
        let mut has_digit = c.is_numeric();
        while let Some(&(idx, next)) = chars.peek() {
            let joiner = matches!(next, '\'' | '’' | '-' | '_' | '&');
            let continues = next.is_alphanumeric() || (joiner && prose[idx + next.len_utf8()..].chars().next().is_some_and(char::is_alphanumeric));
            if !continues {
                break;
            }
            has_digit |= next.is_numeric() || next == '_';
            end = idx + next.len_utf8();
            chars.next();
        }
        if has_digit {
            continue;
        }
        let mut part_start = start;
        for (part_idx, part) in prose[start..end].split('-').enumerate() {
            let word = Word { start: part_start, text: part.trim_end_matches(['\'', '’']) };
            part_start += part.len() + 1;
            let letters: Vec<char> = word.text.chars().filter(|c| c.is_alphabetic()).collect();
            // Abbreviations are short runs of capitals (PDF, UNMIK); a longer word in capitals
            // is a word set in capitals, and checked.
            let abbreviation = letters.len() <= MAX_ABBREVIATION && letters.iter().all(|c| c.is_uppercase());
            // A capital after a small letter marks a product name (OpenGL, iPhone, KDialog's
            // Dialog); two capitals at the start and small letters after them are checked (a
            // typing slip such as "TTraži", as often as a name).
            let inner_capital = letters.windows(2).any(|pair| pair[0].is_lowercase() && pair[1].is_uppercase());
            // An ending hyphenated to a foreign word or a number: Dolphin-it, Zoom-uar, Ristretto-s.
            let ending = part_idx > 0 && letters.len() <= MAX_ENDING;
            if letters.len() >= MIN_LETTERS && !abbreviation && !inner_capital && !ending {
                out.push(word);
            }
        }
    }
    out
}

/// Judges words of one language and script, remembering each verdict.
struct Speller<'a> {
    lexicon: &'a Lexicon,
    dict: &'a Dictionary,
    dict_lang: DictLang,
    lang: Lang,
    terms: Option<&'a KnownWords>,
    /// The translated names of languages, countries, scripts and currencies.
    iso_names: &'a IsoNames,
    /// The word list for diacritics (the audit's, or the proofreader's).
    vocabulary: &'a Vocabulary,
    /// Word as written → known.
    verdicts: HashMap<String, bool>,
    /// Word as written → suggestions, for reported words.
    suggestions: HashMap<String, Vec<String>>,
    /// Word as written → dictionary words one slip away.
    near: HashMap<String, Vec<String>>,
}

impl<'a> Speller<'a> {
    /// The speller of text in `lang` and `script`, when its dictionary is on.
    fn new(
        lexicon: &'a Lexicon,
        lang: Lang,
        script: Script,
        terms: Option<&'a KnownWords>,
        iso_names: &'a IsoNames,
        vocabulary: &'a Vocabulary,
    ) -> Option<Speller<'a>> {
        if !matches!(lang, Lang::Sq | Lang::Sr | Lang::Bs) {
            return None;
        }
        let dict_lang = DictLang::for_text(lang, script)?;
        let dict = lexicon.get(dict_lang).ok()?;
        Some(Speller {
            lexicon,
            dict,
            dict_lang,
            lang,
            terms,
            iso_names,
            vocabulary,
            verdicts: HashMap::new(),
            suggestions: HashMap::new(),
            near: HashMap::new(),
        })
    }

    fn script(&self) -> Script {
        if self.dict_lang == DictLang::SrCyrl { Script::Cyrl } else { Script::Latn }
    }

    /// True when the word is spelled right or is not this check's to judge (see the module
    /// documentation for each rule).
    fn known(&mut self, word: &str) -> bool {
        if let Some(&verdict) = self.verdicts.get(word) {
            return verdict;
        }
        let verdict = self.judge(word);
        self.verdicts.insert(word.to_string(), verdict);
        verdict
    }

    fn judge(&mut self, word: &str) -> bool {
        // The accelerator mark of KDE's interface texts (`&Hapeni`, `Ska&ner`).
        let word = &word.replace('&', "");
        if word_script(word) != self.script() {
            return true;
        }
        let plain = word.replace('’', "'");
        if self.dict.check(&plain)
            || KnownWords::gazetteer().contains(self.lang, word)
            || self.terms.is_some_and(|terms| terms.contains(self.lang, word))
            || self.iso_names.contains(self.lang, word)
        {
            return true;
        }
        // Albanian elides with an apostrophe (s'ka, t'i, m'u): the dictionary knows some
        // forms; the rest are judged by the word after it.
        if let Some((before, after)) = plain.split_once('\'') {
            let after_ok = after.chars().count() < MIN_LETTERS || self.dict.check(after);
            if before.chars().count() <= 2 && after_ok {
                return true;
            }
        }
        if self.script() == Script::Latn && self.is_english(&plain) {
            return true;
        }
        // A word that only lost its diacritics is missing-diacritics' to report.
        let lowered = word.to_lowercase();
        let restorable = self.vocabulary.restore(self.lang, word).is_some() || has_marked_spelling(self.lexicon, self.lang, &lowered);
        if self.script() == Script::Latn && restorable {
            return true;
        }
        // Serbian writes every word with a vowel or a syllabic r; a word without either is an
        // abbreviation spelled out in the alphabet (пдф, фтп, Гтк, тчк), and no slip in a
        // word of five letters or more leaves it without one.
        // A slip that takes the only vowel out of a longer word ("tkst" for "tekst") leaves
        // that word one slip away.
        if matches!(self.lang, Lang::Sr | Lang::Bs) && is_vowelless(word) && !self.near_words(word).iter().any(|near| near.chars().count() >= MAX_VOWELLESS) {
            return true;
        }
        // A loanword with a native ending, a compound of two words, a word with a productive
        // prefix, an English stem in Albanian spelling, or an English word in Cyrillic letters
        // is a word unless the dictionary knows a word one slip away from it (then it is as
        // likely a typo: "paneliin" for "panelin").
        let loanword = self.script() == Script::Latn && self.is_loanword(&plain);
        let formed = loanword
            || self.is_compound(&plain)
            || self.is_prefixed(&plain)
            || (self.dict_lang == DictLang::Sq && self.is_adapted_loan(&plain))
            || (self.script() == Script::Cyrl && self.is_transliterated_english(&plain));
        formed && !self.has_near_word(&plain)
    }

    /// A known word of [`MIN_COMPOUND_PART`] letters or more after one of the language's
    /// productive prefixes (the Albanian `jo` of "joekzistues", `nën` of "nënpërbashkët";
    /// the Serbian `над` of "надфасциклу", `пот` of "поткорачење"), which dictionaries list
    /// only for old words.
    fn is_prefixed(&self, word: &str) -> bool {
        let lowered = word.to_lowercase();
        let prefixes: &[&str] = match self.dict_lang {
            DictLang::Sq => SQ_PREFIXES,
            DictLang::SrCyrl => SR_PREFIXES,
            DictLang::SrLatn => SR_LATN_PREFIXES,
            DictLang::En => &[],
        };
        prefixes.iter().any(|prefix| lowered.strip_prefix(prefix).is_some_and(|rest| rest.chars().count() >= MIN_COMPOUND_PART && self.dict.check(rest)))
    }

    /// An English stem written the Albanian way, with an Albanian ending: "ezoterike"
    /// (esoteric), "inkremental" (incremental), "kompresuar" (compress), "dixhital" (digital).
    /// Albanian writes loans as they sound (Drejtshkrimi i gjuhës shqipe, 1973: c before a
    /// back vowel as k, x as ks, y as i, ph as f, soft g as xh) and derives them with its own
    /// endings (-ik, -im, -ues, -uar, -isht); the stem, undone, is tried with the English
    /// endings those replace.
    fn is_adapted_loan(&self, word: &str) -> bool {
        let lowered = word.to_lowercase();
        if lowered.chars().count() < MIN_ADAPTED_LOAN {
            return false;
        }
        SQ_LOAN_ENDINGS.iter().filter_map(|ending| lowered.strip_suffix(ending)).filter(|stem| stem.chars().count() >= MIN_COMPOUND_PART).any(|stem| {
            english_spellings(stem).iter().any(|english| {
                EN_LOAN_ENDINGS.iter().any(|ending| self.lexicon.is_english(&format!("{english}{ending}")))
                    || english.chars().last().is_some_and(|last| !is_vowel(last) && self.lexicon.is_english(&format!("{english}{last}")))
            })
        })
    }

    /// A Cyrillic word that is an English word in Serbian letters: "тар" (tar), "шифт"
    /// (shift), "тифф" (tiff), file types and key names written as they sound.
    fn is_transliterated_english(&self, word: &str) -> bool {
        let latin = crate::text::cyr_to_lat(&word.to_lowercase()).into_owned();
        let mut spellings = vec![latin];
        for (serbian, english) in [("š", "sh"), ("č", "ch"), ("ć", "ch"), ("ks", "x"), ("j", "y"), ("k", "c")] {
            let more: Vec<String> = spellings.iter().filter(|s| s.contains(serbian)).map(|s| s.replace(serbian, english)).collect();
            spellings.extend(more);
        }
        spellings.iter().any(|spelling| self.lexicon.is_english(spelling))
    }

    /// True when the dictionary knows a word one slip away from `word` ([`Speller::near_words`]).
    fn has_near_word(&mut self, word: &str) -> bool {
        !self.near_words(word).is_empty()
    }

    /// The words of the dictionary one slip away from `word`: a letter dropped, added,
    /// replaced, or two neighbours swapped (cached). The dictionaries' own suggestions do not
    /// always try them: the Serbian affix files have no TRY line, so a dropped letter
    /// ("Докмент") gets no suggestion there.
    fn near_words(&mut self, word: &str) -> Vec<String> {
        if let Some(found) = self.near.get(word) {
            return found.clone();
        }
        let alphabet: Vec<char> = match self.dict_lang {
            DictLang::Sq => "eiaërstohukmçpdvgbfycjlnqxz".chars().collect(),
            DictLang::SrLatn => "aeiounrstjvklpmdzgbcčćšžđhf".chars().collect(),
            DictLang::SrCyrl => "аеиоунрстјвклпмдзгбцчћшжђхфљњџ".chars().collect(),
            DictLang::En => Vec::new(),
        };
        let lower: Vec<char> = word.to_lowercase().chars().collect();
        let mut found: Vec<String> = Vec::new();
        if lower.len() <= MAX_NEAR_CHARS {
            let mut tried: HashSet<String> = HashSet::new();
            let mut candidates: Vec<Vec<char>> = Vec::new();
            for at in 0..lower.len() {
                let mut dropped = lower.clone();
                dropped.remove(at);
                candidates.push(dropped);
                if at + 1 < lower.len() {
                    let mut swapped = lower.clone();
                    swapped.swap(at, at + 1);
                    candidates.push(swapped);
                }
                for &letter in &alphabet {
                    let mut replaced = lower.clone();
                    replaced[at] = letter;
                    candidates.push(replaced);
                }
            }
            for at in 0..=lower.len() {
                for &letter in &alphabet {
                    let mut added = lower.clone();
                    added.insert(at, letter);
                    candidates.push(added);
                }
            }
            let capital = word.chars().next().is_some_and(char::is_uppercase);
            for candidate in candidates {
                let candidate: String = candidate.into_iter().collect();
                if candidate.chars().count() < MIN_LETTERS || !tried.insert(candidate.clone()) || candidate == lower.iter().collect::<String>() {
                    continue;
                }
                let shown = if capital { capitalise(&candidate) } else { candidate.clone() };
                if self.dict.check(&candidate) || (capital && self.dict.check(&shown)) {
                    found.push(shown);
                }
            }
        }
        self.near.insert(word.to_string(), found.clone());
        found
    }

    /// An English word the English dictionary knows ("desktop", "online").
    fn is_english(&self, word: &str) -> bool {
        self.lexicon.is_english(word)
    }

    /// An English word of four letters or more with a native ending of up to three letters
    /// ("desktopin", "menuja").
    fn is_loanword(&self, word: &str) -> bool {
        let chars: Vec<(usize, char)> = word.char_indices().collect();
        (1..=MAX_ENDING).any(|ending| {
            chars.len() >= 4 + ending && {
                let cut = if ending == 0 { word.len() } else { chars[chars.len() - ending].0 };
                self.lexicon.is_english(&word[..cut])
            }
        })
    }

    /// Two words of the dictionary written as one ("kopjeruajtje", "parapamjet",
    /// "једноразмачни"), each of at least [`MIN_COMPOUND_PART`] letters.
    fn is_compound(&self, word: &str) -> bool {
        let chars: Vec<(usize, char)> = word.char_indices().collect();
        if chars.len() < 2 * MIN_COMPOUND_PART {
            return false;
        }
        let lowered = word.to_lowercase();
        if lowered.len() != word.len() {
            return false;
        }
        (MIN_COMPOUND_PART..=chars.len() - MIN_COMPOUND_PART).any(|split| {
            let cut = chars[split].0;
            self.dict.check(&word[..cut]) && self.dict.check(&lowered[cut..])
        })
    }

    /// True when `word` is a common word of the language in small letters (so a capitalised
    /// neighbour of it is not part of a name).
    fn is_common_word(&mut self, word: &str) -> bool {
        self.dict.check(&word.to_lowercase())
    }

    /// The dictionary's suggestions for a reported word (cached), or none once
    /// [`MAX_SUGGESTED_WORDS`] words have been asked about.
    fn suggest(&mut self, word: &str) -> Vec<String> {
        if let Some(found) = self.suggestions.get(word) {
            return found.clone();
        }
        if self.suggestions.len() >= MAX_SUGGESTED_WORDS {
            return Vec::new();
        }
        let plain = word.replace('&', "");
        let mut found = Vec::new();
        self.dict.suggester().with_ngram_suggestions(false).suggest(&plain, &mut found);
        // One slip away first (the dictionary's own order puts two words split apart, "pre
        // mičи", among them), then the rest.
        let near = self.near_words(&plain);
        let mut ordered: Vec<String> = near.iter().filter(|word| found.contains(word)).cloned().collect();
        for candidate in near.into_iter().chain(found.into_iter().map(|found| found.trim().to_string())) {
            if !candidate.is_empty() && !ordered.contains(&candidate) {
                ordered.push(candidate);
            }
        }
        let mut found = ordered;
        found.truncate(MAX_SUGGESTIONS);
        self.suggestions.insert(word.to_string(), found.clone());
        found
    }

    /// The issue for an unknown word.
    fn issue(&mut self, word: Word<'_>) -> Issue {
        let replacements = self.suggest(word.text);
        let dictionary = self.dict_lang.tag();
        let message = if replacements.is_empty() {
            format!("\"{}\" is not in the {dictionary} dictionary", word.text)
        } else {
            let listed: Vec<String> = replacements.iter().map(|r| format!("\"{r}\"")).collect();
            format!("\"{}\" is not in the {dictionary} dictionary; did you mean {}?", word.text, listed.join(", "))
        };
        Issue { check: "spelling", start: word.start, end: word.start + word.text.len(), message, short_message: "Spelling".into(), replacements }
    }
}

/// True for a vowel of the Latin alphabet.
fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'ë')
}

/// True for a word of [`MAX_VOWELLESS`] letters or fewer with no vowel and no r, in either
/// Serbian alphabet (a syllabic r makes words such as "крв", "trg").
fn is_vowelless(word: &str) -> bool {
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).flat_map(char::to_lowercase).collect();
    letters.len() <= MAX_VOWELLESS && !letters.iter().any(|c| "аеиоурaeiour".contains(*c))
}

/// The English spellings of an Albanian loan stem, at most [`MAX_ENGLISH_SPELLINGS`]: each
/// Albanian letter or digraph read as the English letters it writes (k: c, k; ks: x; z: s,
/// z; i: i, y; f: f, ph; xh: g, j; q: ch).
fn english_spellings(stem: &str) -> Vec<String> {
    let mut spellings = vec![String::new()];
    let mut rest = stem;
    while let Some(c) = rest.chars().next() {
        let (len, choices): (usize, &[&str]) = if rest.starts_with("xh") {
            (2, &["g", "j"])
        } else if rest.starts_with("ks") {
            (2, &["x", "ks"])
        } else if rest.starts_with("sh") {
            (2, &["sh"])
        } else {
            let choices: &[&str] = match c {
                'k' => &["c", "k"],
                'z' => &["s", "z"],
                'i' => &["i", "y"],
                'f' => &["f", "ph"],
                'q' => &["ch"],
                'ë' => &["e"],
                'ç' => &["ch"],
                _ => &[],
            };
            (c.len_utf8(), choices)
        };
        let written = &rest[..len];
        if choices.is_empty() {
            spellings.iter_mut().for_each(|spelling| spelling.push_str(written));
        } else {
            let mut next = Vec::new();
            for spelling in &spellings {
                for choice in choices {
                    if next.len() < MAX_ENGLISH_SPELLINGS {
                        next.push(format!("{spelling}{choice}"));
                    }
                }
            }
            spellings = next;
        }
        rest = &rest[len..];
    }
    spellings
}

/// `word` with its first letter in capitals.
fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}

/// True for a word that starts with a capital and goes on in small letters.
fn capitalised(word: &str) -> bool {
    let mut chars = word.chars().filter(|c| c.is_alphabetic());
    chars.next().is_some_and(char::is_uppercase) && chars.all(char::is_lowercase)
}

/// The words right before and after the word at `start..end` of `prose`, when only spaces
/// separate them from it.
fn neighbours(prose: &str, start: usize, end: usize) -> [Option<&str>; 2] {
    let before = prose[..start].strip_suffix(' ').map(|head| {
        let from = head.char_indices().rev().take_while(|(_, c)| c.is_alphabetic()).last().map_or(head.len(), |(idx, _)| idx);
        &head[from..]
    });
    let after = prose[end..].strip_prefix(' ').map(|tail| &tail[..tail.find(|c: char| !c.is_alphabetic()).unwrap_or(tail.len())]);
    [before.filter(|word| !word.is_empty()), after.filter(|word| !word.is_empty())]
}

/// True when a capitalised word is a name, unless the dictionary knows a word one slip away
/// from it:
/// - beside another capitalised word that is not a common word: a personal or product name
///   of two words or more ("Matijas Etrih", "Vilson Gjeci");
/// - inside a sentence: Albanian and Serbian capitalise only the first word of a sentence and
///   names (Drejtshkrimi i gjuhës shqipe, 1973, capitals; Pravopis srpskoga jezika,
///   Matica srpska, 2010), so "Atrilovih", "Мејтово" there is a name, except in a segment whose words are
///   mostly capitalised (a title copied in English Title Case);
/// - in a segment with an e-mail address (credits and contacts: "Elian Myftiu
///   <elian@…>").
fn in_name(speller: &mut Speller<'_>, text: &str, prose: &str, word: Word<'_>) -> bool {
    if !capitalised(word.text) {
        return false;
    }
    let end = word.start + word.text.len();
    // A personal name stands right before its address; a slip there is too rare to guard.
    if before_address(text, end) {
        return true;
    }
    let mut beside_name =
        || neighbours(prose, word.start, end).into_iter().flatten().any(|neighbour| capitalised(neighbour) && !speller.is_common_word(neighbour));
    let named = beside_name() || (!sentence_initial(prose, word.start) && !title_case(prose)) || has_address(text);
    named && !speller.has_near_word(word.text)
}

/// True when the word at `start` of `prose` opens the segment or a sentence: only spaces,
/// opening quotes and brackets, or masked code stand between it and the segment's start or
/// an end of sentence, a colon, a line break or a list mark.
fn sentence_initial(prose: &str, start: usize) -> bool {
    let before = prose[..start].trim_end_matches(|c: char| c.is_whitespace() || "\"„“”«»‘’'([{<*•·".contains(c));
    before.chars().next_back().is_none_or(|last| ".!?:;…-–—|>\n".contains(last) || !(last.is_alphanumeric() || ",)]}\"”»’'".contains(last)))
}

/// True when at least half of the words of four letters or more in `prose` after its first
/// are capitalised: a title ("Upravnik Datoteka Za Mejtovo") rather than a sentence.
fn title_case(prose: &str) -> bool {
    let long: Vec<&str> = crate::audit::vocabulary::words(prose).map(|(_, word)| word).skip(1).filter(|word| word.chars().count() >= 4).collect();
    !long.is_empty() && long.iter().filter(|word| word.chars().next().is_some_and(char::is_uppercase)).count() * 2 >= long.len()
}

/// True when only capitalised words (up to three) and spaces or an opening bracket stand
/// between `end` and an e-mail address ("Elian Myftiu <elian@…>").
fn before_address(text: &str, end: usize) -> bool {
    let mut tail = &text[end..];
    for _ in 0..4 {
        tail = tail.trim_start_matches([' ', '<', '(', '[']);
        let token_end = tail.find(char::is_whitespace).unwrap_or(tail.len());
        let token = &tail[..token_end];
        if has_address(token) {
            return true;
        }
        if !capitalised(token) {
            return false;
        }
        tail = &tail[token_end..];
    }
    false
}

/// True when `text` holds an e-mail address (a letter or digit on both sides of an `@`).
fn has_address(text: &str) -> bool {
    text.match_indices('@')
        .any(|(at, _)| text[..at].chars().next_back().is_some_and(char::is_alphanumeric) && text[at + 1..].chars().next().is_some_and(char::is_alphanumeric))
}

/// The script a text in `lang` is spelled in: a Serbian tag's own, else its majority.
fn text_script(lang: LangTag, text: &str) -> Script {
    match (lang.lang, lang.script) {
        (Lang::Sr, Some(SrScript::Cyrl)) => Script::Cyrl,
        (Lang::Sr, Some(SrScript::Latn)) => Script::Latn,
        (Lang::Sr, None) if crate::text::script::count_cyrillic(text) * 2 > text.chars().filter(|c| c.is_alphabetic()).count() => Script::Cyrl,
        _ => Script::Latn,
    }
}

impl Check for Spelling {
    fn about(&self) -> About {
        About { id: "spelling", severity: Severity::Warning, category: Category::Orthography, scope: Scope::Text }
    }

    fn issue_type(&self) -> &'static str {
        "misspelling"
    }

    fn summary(&self) -> Localized {
        Localized {
            en: "A word the dictionary of the language does not know (Hunspell), with suggestions",
            sq: "Një fjalë që fjalori i gjuhës nuk e njeh (Hunspell), me sugjerime",
            sr: "Reč koju rečnik jezika ne poznaje (Hunspell), sa predlozima",
        }
    }

    fn docs(&self) -> &'static str {
        "Finds Albanian and Serbian (Cyrillic and Latin) words that the Hunspell dictionary of the language and script \
         does not know (Debian's `myspell-sq` and `hunspell-sr`, read from /usr/share/hunspell, or the folder named by \
         `TERMBRIDGE_DICT_DIR`, the audit's dictionary option or the configuration's `dict_dir`), with up to five of the dictionary's suggestions. \
         Official place names in every form the gazetteer knows, the term base's terms and the names of languages, \
         countries, regions, scripts and currencies that Debian's `iso-codes` translates (read from /usr/share/locale, \
         `TERMBRIDGE_LOCALE_DIR` or the configuration's `locale_dir`) count as words. Left alone: \
         words with digits, abbreviations in capitals, words with a capital inside (product names), code (placeholders, \
         markup, links, e-mail addresses, file names), English words the English dictionary knows (software \
         loanwords), words that only lost their diacritics (`missing-diacritics`), and in an audit the words another \
         version of the segment writes too (untranslated names), words the version writes alike in two \
         segments or more (its vocabulary) unless a dictionary word one slip away is written twice as often, Serbian abbreviations without a vowel (`пдф`) and names before an e-mail address; \
         unless the dictionary knows a word one slip away: capitalised words inside a sentence (names), words after a \
         productive prefix (`joekzistues`, `надфасциклу`), English stems in Albanian spelling with Albanian endings \
         (`inkremental`), English words in Cyrillic letters (`шифт`), loanwords with native endings and compounds. Without the dictionary of a version's language the check is off there, and the \
         report says so.\n\n\
         **Why** official texts in every official language must be correctly written (Law No. 02/L-37 on the Use of \
         Languages, Art. 2 and 7: equal status and equal quality of the versions); a misspelt word in one version is a \
         defect of that version alone (DOMAIN.md V9).\n\n\
         **Bad** sq: `Dokumenti u ruajt në dosjen e përdorusit.` sr-Cyrl: `Документ је сачуван у фасцкили.`\n\n\
         **Good** sq: `Dokumenti u ruajt në dosjen e përdoruesit.` sr-Cyrl: `Документ је сачуван у фасцикли.`"
    }

    /// Off for each language whose dictionary is not installed: "off for sq: … (install the
    /// Debian package myspell-sq)".
    fn note(&self, lexicon: &Lexicon, langs: &[LangTag]) -> Option<String> {
        let mut dicts: Vec<DictLang> = Vec::new();
        for tag in langs {
            let scripts: &[Script] = match (tag.lang, tag.script) {
                (Lang::Sq, _) | (Lang::Sr, Some(SrScript::Latn)) => &[Script::Latn],
                (Lang::Sr, Some(SrScript::Cyrl)) => &[Script::Cyrl],
                (Lang::Sr, None) => &[Script::Cyrl, Script::Latn],
                _ => &[],
            };
            for script in scripts {
                if let Some(dict) = DictLang::for_text(tag.lang, *script).filter(|dict| !dicts.contains(dict)) {
                    dicts.push(dict);
                }
            }
        }
        let off: Vec<String> = dicts.into_iter().filter_map(|dict| lexicon.missing(dict).map(|why| format!("off for {dict}: {why}"))).collect();
        (!off.is_empty()).then(|| off.join("; "))
    }

    fn detect(&self, text: &str, lang: LangTag, refs: &TextRefs<'_>) -> Vec<Issue> {
        let prose = prose(text);
        let Some(mut speller) = Speller::new(refs.lexicon, lang.lang, text_script(lang, &prose), refs.known, IsoNames::at(None), refs.vocabulary) else {
            return Vec::new();
        };
        let mut issues = Vec::new();
        for word in candidate_words(&prose) {
            if !speller.known(word.text) && !in_name(&mut speller, text, &prose, word) {
                issues.push(speller.issue(word));
            }
        }
        issues
    }

    fn run(&self, ctx: &AuditContext<'_>, out: &mut Vec<Finding>) {
        for (version, view) in ctx.versions.iter().enumerate() {
            let script = match view.majority {
                Some(SrScript::Cyrl) => Script::Cyrl,
                _ => Script::Latn,
            };
            let iso_names = IsoNames::at(ctx.config.locale_dir.as_deref());
            let Some(mut speller) = Speller::new(ctx.lexicon, view.lang(), script, None, iso_names, &ctx.vocabulary) else { continue };
            // Unknown words of each segment, after the rules that need no other segment.
            let mut unknown: Vec<(usize, Word<'_>)> = Vec::new();
            for (segment_idx, segment) in view.segments.iter().enumerate() {
                if segment.damaged || segment.foreign.is_some() {
                    continue;
                }
                let mentions = &ctx.mentions[version][segment_idx];
                let mut source_words: Option<HashSet<String>> = None;
                let mut term_spans: Option<Vec<(usize, usize)>> = None;
                for word in candidate_words(&segment.prose) {
                    if speller.known(word.text) || mentions.iter().any(|m| word.start < m.end && m.start < word.start + word.text.len()) {
                        continue;
                    }
                    // The audit's approved terms, in the forms its term checks find.
                    let term_spans = term_spans.get_or_insert_with(|| {
                        ctx.resources.terms.find(&segment.text, view.lang()).into_iter().filter(|hit| !hit.forbidden).map(|hit| (hit.start, hit.end)).collect()
                    });
                    if term_spans.iter().any(|&(start, end)| word.start < end && start < word.start + word.text.len()) {
                        continue;
                    }
                    // Words another version of the segment writes too: untranslated names,
                    // and names transliterated from them.
                    let source_words = source_words.get_or_insert_with(|| other_versions_words(ctx, version, segment_idx));
                    let lowered = word.text.to_lowercase();
                    if source_words.contains(&lowered) || (transliterated_name(word.text, source_words) && !speller.has_near_word(word.text)) {
                        continue;
                    }
                    // In Albanian a name of the source written one slip off ("Rstretto") is a
                    // typo, not another name; Serbian writes foreign names as they sound
                    // (Pravopis srpskoga jezika, Matica srpska, 2010: "Bastijan", "Debijan"), one
                    // letter off the source as often as not.
                    let misspelt = view.lang() == Lang::Sq && misspelt_source_word(&lowered, source_words);
                    if !misspelt && in_name(&mut speller, &segment.text, &segment.prose, word) {
                        continue;
                    }
                    unknown.push((segment_idx, word));
                }
            }
            // A word the version writes alike in two segments or more, or in several forms in
            // three or more, is the translator's vocabulary (a term or name the dictionary
            // lacks): a typing slip is seldom made twice alike. (Two forms in two segments are
            // as often two slips in one word: "profl", "profla".) Unless the version writes a
            // word of the dictionary one slip away from it in at least
            // [`TYPO_OF_COMMON_RATIO`] times as many segments: then it is the same slip in a
            // common word made again ("duhett" for "duhet", "datotkee" for "datoteke"), not a
            // word of its own.
            let lang = view.lang();
            let mut segments_of: HashMap<String, HashSet<usize>> = HashMap::new();
            let mut stem_segments_of: HashMap<String, HashSet<usize>> = HashMap::new();
            let forms: Vec<(String, String)> = unknown
                .iter()
                .map(|(_, word)| {
                    let form = word.text.replace('&', "").to_lowercase();
                    let stem = stem_word(&form, lang);
                    (form, stem)
                })
                .collect();
            for ((segment_idx, _), (form, stem)) in unknown.iter().zip(&forms) {
                segments_of.entry(form.clone()).or_default().insert(*segment_idx);
                stem_segments_of.entry(stem.clone()).or_default().insert(*segment_idx);
            }
            let mut word_segments: Option<HashMap<String, usize>> = None;
            for ((segment_idx, word), (form, stem)) in unknown.into_iter().zip(&forms) {
                let n_form = segments_of.get(form).map_or(0, HashSet::len);
                let n_stem = stem_segments_of.get(stem).map_or(0, HashSet::len);
                let repeated = n_form >= 2;
                let inflected = n_stem >= MIN_STEM_SEGMENTS;
                if repeated || inflected {
                    let word_segments = word_segments.get_or_insert_with(|| segments_of_words(&view.segments));
                    let n_vocabulary = if inflected { n_stem.max(n_form) } else { n_form };
                    let near = speller.near_words(&word.text.replace('&', ""));
                    let slip_of_common =
                        near.iter().any(|near| word_segments.get(&near.to_lowercase()).is_some_and(|&n_near| n_near >= TYPO_OF_COMMON_RATIO * n_vocabulary));
                    if !slip_of_common {
                        continue;
                    }
                }
                let issue = speller.issue(word);
                out.push(ctx.finding(version, segment_idx, Some((issue.start, issue.end)), issue.message, issue.replacements.into_iter().next()));
            }
        }
    }
}

/// Each word (lowercase, without accelerator marks) of the usable segments of a version, with
/// the number of segments it is written in.
fn segments_of_words(segments: &[crate::audit::context::Segment]) -> HashMap<String, usize> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for segment in segments.iter().filter(|segment| !segment.damaged && segment.foreign.is_none()) {
        let words: HashSet<String> = candidate_words(&segment.prose).into_iter().map(|word| word.text.replace('&', "").to_lowercase()).collect();
        for word in words {
            *counts.entry(word).or_default() += 1;
        }
    }
    counts
}

/// True when a capitalised Cyrillic word, read in Latin letters, is within a quarter of its
/// letters of a word of the other versions (`source_words`, lowercased): a name transliterated
/// as it sounds ("Гостскрипт" for Ghostscript, "Тамблер" for Tumbler). Latin text writes
/// such names as the source does, so a near miss there is a typo ("Rstretto").
fn transliterated_name(word: &str, source_words: &HashSet<String>) -> bool {
    if !capitalised(word) || word_script(word) != Script::Cyrl {
        return false;
    }
    let latin: Vec<char> = crate::text::cyr_to_lat(&word.to_lowercase()).chars().collect();
    let max = (latin.len() / 4).max(1);
    source_words.iter().any(|source| {
        let source: Vec<char> = source.chars().collect();
        source.len() >= 3 && crate::text::osa_distance(&latin, &source, max).is_some()
    })
}

/// True when a Latin word (lowercased) is one slip away from a word of four letters or more
/// of the other versions (`source_words`, lowercased): "rstretto" for "ristretto".
fn misspelt_source_word(lowered: &str, source_words: &HashSet<String>) -> bool {
    if word_script(lowered) != Script::Latn {
        return false;
    }
    let word: Vec<char> = lowered.chars().collect();
    source_words.iter().any(|source| {
        let source: Vec<char> = source.chars().collect();
        source.len() >= 4 && crate::text::osa_distance(&word, &source, 1).is_some()
    })
}

/// The lowercase words of the other versions' segments in the row of `segment_idx`.
fn other_versions_words(ctx: &AuditContext<'_>, version: usize, segment_idx: usize) -> HashSet<String> {
    let row = &ctx.rows[ctx.row_of[version][segment_idx]];
    row.iter()
        .enumerate()
        .filter(|&(other, _)| other != version)
        .filter_map(|(other, cell)| cell.map(|segment| &ctx.versions[other].segments[segment].prose))
        .flat_map(|text| crate::audit::vocabulary::words(text).map(|(_, word)| word.to_lowercase()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::AuditConfig;
    use crate::audit::checks::tests::expect_with;

    /// The small dictionaries of tests/data/lexicon.
    fn fixture_dir() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/lexicon")
    }

    /// The words `detect` reports in `text` with the fixture dictionaries (and the term
    /// "fjalëkalim"), each with its first suggestion or "-".
    fn spelled(text: &str, lang: &str) -> Vec<(String, String)> {
        let lexicon = Lexicon::at(Some(&fixture_dir()));
        let vocabulary = Vocabulary::seeded();
        let mut known = KnownWords::default();
        known.add_term(Lang::Sq, "fjalëkalim");
        let refs = TextRefs { places: crate::places::Places::shipped(), terms: None, vocabulary: &vocabulary, lexicon, known: Some(&known) };
        Spelling
            .detect(text, LangTag::parse(lang).expect("test tag"), &refs)
            .into_iter()
            .map(|issue| (text[issue.range()].to_string(), issue.replacements.first().cloned().unwrap_or_else(|| "-".into())))
            .collect()
    }

    fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected.iter().map(|(word, fix)| (word.to_string(), fix.to_string())).collect()
    }

    #[test]
    fn a_typo_is_found_with_the_dictionary_suggestion() {
        assert_eq!(spelled("Dokumenti u ruajt në dosjje.", "sq"), pairs(&[("dosjje", "dosje")]));
        assert_eq!(spelled("Dokumenti u rujat në dosje.", "sq"), pairs(&[("rujat", "ruajt")]));
        assert_eq!(spelled("Dokument je sačvan u fascikli.", "sr-Latn"), pairs(&[("sačvan", "sačuvan")]));
        assert_eq!(spelled("Документ је сачуван у фасцкили.", "sr-Cyrl"), pairs(&[("фасцкили", "фасцикли")]));
        assert_eq!(spelled("Документ је сачуван у фасцкили.", "sr"), pairs(&[("фасцкили", "фасцикли")]), "the script of an untagged text");
    }

    #[test]
    fn what_is_not_a_misspelling_is_left_alone() {
        // Digits, abbreviations, inner capitals, short words, code, another script.
        assert!(spelled("Dokumenti mp3 u ruajt në PDF, OpenGL, xy.", "sq").is_empty());
        // Two capitals at the start are a typing slip as often as a name, and checked.
        assert_eq!(spelled("DDokumenti u ruajt.", "sq"), pairs(&[("DDokumenti", "Dokumenti")]));
        assert!(spelled("Hapeni %(skedar)s dhe {emri} me <b>kjo</b> https://shembull.org/faqe, info@shembull.org, raporti.pdf.", "sq").is_empty());
        assert!(spelled("Документ је сачуван у Dolphin фасцикли.", "sr-Cyrl").is_empty());
        // English loanwords, place names in any form, terms inflected, accelerators.
        assert!(spelled("Hapeni desktop dhe skedarin.", "sq").is_empty());
        assert!(spelled("Dokumenti u ruajt në Gjakovës dhe Prishtinën.", "sq").is_empty());
        assert!(spelled("Документ је сачуван у Ђаковици.", "sr-Cyrl").is_empty());
        assert!(spelled("Hapeni fjalëkalimin.", "sq").is_empty());
        assert!(spelled("&Hapeni ska&darin", "sq").len() == 1);
        // A word that only lost its diacritics is missing-diacritics' finding.
        assert_eq!(spelled("Dokumenti u ruajt ne dosje per punesim.", "sq"), pairs(&[]));
    }

    #[test]
    fn a_productive_prefix_before_a_word_makes_a_word() {
        assert!(spelled("Dokumenti joekzistues u ruajt në dosjen nënpërbashkët.", "sq").is_empty());
        assert!(spelled("Документ је сачуван у надфасцикли.", "sr-Cyrl").is_empty());
        assert!(spelled("Dokument je sačuvan u podfascikli.", "sr-Latn").is_empty());
        // A prefix before a word that is not one is no excuse.
        assert_eq!(spelled("Dokumenti u ruajt në nëndosjje.", "sq"), pairs(&[("nëndosjje", "-")]));
    }

    #[test]
    fn an_english_stem_in_albanian_spelling_with_an_albanian_ending_is_a_loanword() {
        // ezoter-ike: esoter-ic; kompres-uar: compres(s).
        assert!(spelled("Dokumenti ezoterike u ruajt i kompresuar.", "sq").is_empty());
    }

    #[test]
    fn serbian_abbreviations_and_english_words_in_cyrillic_letters_are_words() {
        // Vowelless: пдф, фтп; transliterated: шифт (shift).
        assert!(spelled("Документ је сачуван у пдф фасцикли са фтп.", "sr-Cyrl").is_empty());
        assert!(spelled("Отворите шифт датотеку.", "sr-Cyrl").is_empty());
        // A vowel dropped from a longer word leaves it one slip away.
        assert_eq!(spelled("Отворите ткст датотеку.", "sr-Cyrl"), pairs(&[("ткст", "текст")]));
    }

    #[test]
    fn a_capital_inside_a_sentence_or_before_an_address_marks_a_name() {
        assert!(spelled("Dokumenti u ruajt me Elian në dosje.", "sq").is_empty());
        assert!(spelled("Elian Myftiu <elian@shembull.org>", "sq").is_empty());
        // The first word of a sentence is capitalised anyway, and so are the words of a title.
        assert_eq!(spelled("Dokumenti u ruajt. Elian dosje.", "sq"), pairs(&[("Elian", "-")]));
        assert_eq!(spelled("Dokumenti Ruajt Dhe Elian", "sq"), pairs(&[("Elian", "-")]));
        // A capitalised typo of a word stays one slip away from it.
        assert_eq!(spelled("Dokumenti u ruajt në Dosjje.", "sq"), pairs(&[("Dosjje", "Dosje")]));
    }

    #[test]
    fn in_an_audit_source_words_and_repeated_names_are_not_misspellings() {
        let config = AuditConfig { dict_dir: Some(fixture_dir()), ..AuditConfig::default() };
        expect_with(
            "spelling",
            &[
                ("en", "Open Dolphin\nSave the file\nOpen the file\nOpen Konqueror\nOpen Ristretto"),
                ("sq", "Hapeni Dolphin\nDokumenti u ruajt në ⟦dosjje⟧\nHapeni Konqueror\nHapeni Konqueror\nHapeni ⟦Rstretto⟧"),
                ("sr", "Otvorite Dolphin\nDokument je ⟦sačvan⟧\nOtvorite Konqueror\nOtvorite datoteku\nOtvorite Ristretto"),
            ],
            &config,
        );
    }

    #[test]
    fn names_of_languages_and_countries_from_iso_codes_are_words() {
        use crate::formats::mo::{MoEntry, write_mo};
        let locale = std::env::temp_dir().join(format!("termbridge-spelling-iso-{}", std::process::id()));
        let entry = |original: &str, translated: &str| MoEntry { context: None, original: original.into(), translations: vec![translated.into()] };
        for (folder, entries) in
            [("sq", vec![entry("Assamese", "Asamezisht")]), ("sr", vec![entry("Kudavadi", "Кудавадски")]), ("sr@latin", vec![entry("Eswatini", "Svaziland")])]
        {
            let dir = locale.join(folder).join("LC_MESSAGES");
            std::fs::create_dir_all(&dir).expect("temporary folder");
            std::fs::write(dir.join("iso_639-2.mo"), write_mo(&entries)).expect("temporary file");
        }
        let config = AuditConfig { dict_dir: Some(fixture_dir()), locale_dir: Some(locale.clone()), ..AuditConfig::default() };
        // Serbian names count in both scripts; a slip in a name is still reported.
        expect_with("spelling", &[("en", "Assamese\nKudavadi"), ("sq", "Asamezisht\n⟦Asamezsiht⟧"), ("sr", "Kudavadski\nSvaziland")], &config);
        std::fs::remove_dir_all(&locale).expect("temporary folder");
    }

    #[test]
    fn a_repeated_slip_of_a_common_word_is_still_a_misspelling() {
        let config = AuditConfig { dict_dir: Some(fixture_dir()), ..AuditConfig::default() };
        // "dosjje" twice beside "dosje" in four segments: the same slip made again. A word
        // written twice with no common word one slip away is the translator's ("Zqarkues").
        expect_with(
            "spelling",
            &[
                ("en", "a\nb\nc\nd\ne\nf\ng\nh"),
                (
                    "sq",
                    "Dokumenti në ⟦dosjje⟧\nDokumenti në ⟦dosjje⟧\nDokumenti në dosje\nDokumenti në dosje\nDokumenti në dosje\nDokumenti në dosje\nZqarkues dokumenti\nZqarkues dokumenti",
                ),
            ],
            &config,
        );
    }

    #[test]
    fn without_a_dictionary_the_check_is_off_and_says_so() {
        let none = Lexicon::at(Some(std::path::Path::new("/nonexistent-dictionaries")));
        let vocabulary = Vocabulary::seeded();
        let refs = TextRefs { places: crate::places::Places::shipped(), terms: None, vocabulary: &vocabulary, lexicon: none, known: None };
        assert!(Spelling.detect("Dokumenti u ruajt në dosjje.", LangTag::SQ, &refs).is_empty());
        let note = Spelling.note(none, &[LangTag::SQ, LangTag::SR_CYRL]).expect("a note");
        assert!(note.contains("off for sq") && note.contains("myspell-sq") && note.contains("off for sr-Cyrl"), "{note}");
        assert_eq!(Spelling.note(Lexicon::at(Some(&fixture_dir())), &[LangTag::SQ, LangTag::SR]), None);
        // An audit runs, finds nothing of the kind and notes why.
        let config = AuditConfig { dict_dir: Some("/nonexistent-dictionaries".into()), ..AuditConfig::default() };
        let report = crate::audit::checks::tests::run(&[("sq", "Dokumenti u ruajt në dosjje."), ("sr", "Dokument je sačvan.")], &config);
        assert!(report.findings.iter().all(|finding| finding.check != "spelling"));
        let ran = report.evidence.checks.iter().find(|check| check.id == "spelling").expect("spelling ran");
        assert!(ran.note.as_deref().is_some_and(|note| note.contains("hunspell-sr")), "{ran:?}");
    }

    #[test]
    fn candidate_words_split_hyphens_and_skip_code_like_runs() {
        let found: Vec<&str> = candidate_words("e-mail-in s'ka x86_64 KDE-së Skedari3 ruajt").into_iter().map(|word| word.text).collect();
        assert_eq!(found, ["mail", "s'ka", "ruajt"]);
    }
}
