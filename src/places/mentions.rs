//! Place names in running Albanian or Serbian text, and the `place-name` check on them.
//!
//! [`Places::mentions`] finds every place mention (multi-word names, inflected forms, both
//! Serbian scripts) with byte offsets into the original text; [`Places::check_text`] reports
//! each mention that is not the official form for the text's language and script, with the
//! official form as suggestion (Reg. 2000/43 Art. 1: official communication uses the names of
//! the official list). Grammar is respected: "Komuna e Prishtinës" and "u Prištini" are the
//! official names, inflected; "Prishtines", "Besianë", "Uroševac" in Albanian text, "Ferizaj"
//! or "Kosovska Mitrovica" in Serbian text are not. Where a form stands alone as a label
//! ("Komuna: Klina"), the citation form of the list is expected.
//!
//! Villages are often named with common words, so a mention must start with a capital letter,
//! single words in a stop list are skipped, a single-word settlement at the start of a
//! sentence must be written exactly as listed, and loose matches (typos) are only looked for
//! among municipality names. The check does not judge scripts (a Latin name in a Cyrillic text
//! is the `wrong-script` check's business) and does not look at English text.

use std::ops::Range;

use serde::Serialize;

use super::gazetteer::{Place, PlaceKind, VariantType};
use super::resolve::{FormOrigin, Generated, PlaceNames, Places, bounded_distance, name_key, names_of};
use crate::model::lang::{Lang, LangTag, SrScript};
use crate::text::script::{Script, word_script};
use crate::text::{Tier, case_fold, lat_to_cyr, match_tier, segment};

/// Common Albanian and Serbian words that are also the names of villages (or inflected forms
/// of them), as keys (folded, Latin). A single word naming only settlements is not taken for a
/// place when its key is listed here; municipality names and multi-word names are not affected.
const STOP_WORDS: &[&str] = &[
    // Albanian
    "ara",
    "bare",
    "bajra",
    "balla",
    "bardh",
    "bela",
    "breg",
    "bregu",
    "buke",
    "burim",
    "burimi",
    "dardha",
    "dardhe",
    "dega",
    "dege",
    "dheu",
    "dita",
    "dite",
    "dobra",
    "dushk",
    "fusha",
    "fushe",
    "guri",
    "gure",
    "guret",
    "gurra",
    "kala",
    "kalaja",
    "koder",
    "kodra",
    "kodrat",
    "krusha",
    "kroi",
    "kroni",
    "lagja",
    "livadhi",
    "lugu",
    "lug",
    "lugi",
    "lumi",
    "mali",
    "malet",
    "mira",
    "mirash",
    "palaj",
    "para",
    "pela",
    "pema",
    "prroni",
    "qafa",
    "qafe",
    "rruga",
    "shpella",
    "shtepi",
    "suka",
    "sopi",
    "vrri",
    "zalli",
    "zabel",
    "zhur",
    // Serbian (Latin; Cyrillic text folds to the same keys)
    "banja",
    "banje",
    "bara",
    "brdo",
    "brezovica",
    "breg",
    "dobra",
    "dol",
    "dolac",
    "grad",
    "grace",
    "jezero",
    "kamen",
    "kamena",
    "kamenica",
    "kosa",
    "kula",
    "kuce",
    "lug",
    "luka",
    "lipa",
    "mahala",
    "mala",
    "mali",
    "most",
    "novo",
    "polje",
    "potok",
    "reka",
    "ruda",
    "rudnik",
    "selo",
    "sela",
    "stan",
    "stanovi",
    "straza",
    "strana",
    "strane",
    "gora",
    "gore",
    "goru",
    "gori",
    "izvor",
    "izvora",
    "izvoru",
    "duga",
    "dugi",
    "duge",
    "kuk",
    "brod",
    "crvena",
    "crveni",
    "crveno",
    "slatina",
    "poljana",
    "mogila",
    "zagora",
    "zagorje",
    "svrha",
    "svrhe",
    "svrhu",
    "viti",
    "vitin",
    "vitit",
    "ada",
    "kosh",
    "koshi",
    "burime",
    "suva",
    "ulica",
    "vrh",
    "voda",
    "zabrde",
    "zdravo",
    "put",
    "dom",
    "lipe",
    "bela",
    "crkva",
    "crkvica",
    "zivinje",
    "luzane",
    "pasjane",
];

/// Names that look like Kosovo places but name countries and regions (Srbija is one letter
/// from Srbica; Kosovo is the country, not Fushë Kosovë): never a mention.
const NOT_PLACES: &[&str] = &[
    "srbija",
    "srbije",
    "srbiji",
    "srbiju",
    "srbijom",
    "kosovo",
    "kosova",
    "kosove",
    "kosoves",
    "kosoven",
    "kosovu",
    "kosovom",
    "metohija",
    "metohije",
    "metohiji",
    "metohiju",
    "shqiperia",
    "shqiperi",
    "shqiperise",
    "shqiperine",
    "evropa",
    "europa",
    "evropes",
    "evrope",
];

/// Words that announce a place name: prepositions and the nouns "municipality", "town",
/// "village" in Albanian and Serbian, as keys. A mention right after one of them (an article
/// may stand between: "komunën e …") is taken for a place even where its word is common.
const CUES: &[&str] = &[
    // Albanian prepositions and place nouns
    "ne", "nga", "prej", "per", "tek", "te", "drejt", "deri", "prane", "afer", "komuna", "komunes", "komunen", "komunave", "qyteti", "qytetit", "qytetin",
    "fshati", "fshatit", "fshatin", "rajoni", "rajonit", // Serbian prepositions and place nouns
    "u", "iz", "za", "kod", "ka", "do", "od", "prema", "kroz", "pored", "blizu", "sa", "opstina", "opstine", "opstini", "opstinu", "opstinom", "grad", "grada",
    "gradu", "gradom", "selo", "sela", "selu", "selom", "mesto", "mesta", "mestu",
];

/// Words inside a multi-word name that are written small (Hani i Elezit).
const SMALL_WORDS: &[&str] = &["i", "e", "të", "së", "te", "se", "и", "a", "na", "od", "kod"];

/// One place mention in a text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mention {
    /// Byte offset of the first character in the text.
    pub start: usize,
    /// Byte offset just past the last character.
    pub end: usize,
    /// The mention as written.
    pub text: String,
    /// The place's id.
    pub place_id: String,
    /// Its official names.
    pub names: PlaceNames,
    /// The indexed form the mention matched.
    pub matched: String,
    /// The loosest tier the match needed.
    pub tier: Tier,
    /// What the mention is, relative to the text's language and script.
    pub variant_type: VariantType,
    /// True when the mention is the official form (inflected as grammar needs).
    pub official: bool,
    /// The form to write instead, when the mention is not official.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    /// The forms to choose from when no single one can be suggested: a name of the undivided
    /// pre-2013 Mitrovicë gets both successors, in the case it is written in.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<String>,
    /// When the mention is a former name (or a Serbian-state form): the change and its period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<String>,
    /// True when the mention stands alone as a label (start of line or after "…:", nothing
    /// but punctuation after it), where the citation form is expected.
    pub citation: bool,
}

/// A `place-name` finding: a mention that is not the form in the official list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlaceFinding {
    /// Always `place-name`.
    pub check: &'static str,
    /// The text's language (`sq`, `sr-Latn`, `sr-Cyrl`).
    pub lang: String,
    /// 1-based line in the text.
    pub line: usize,
    /// 1-based column (in characters) in that line.
    pub column: usize,
    /// Byte offset of the mention in the text.
    pub start: usize,
    /// Byte offset just past the mention.
    pub end: usize,
    /// The line, shortened around the mention.
    pub excerpt: String,
    /// What is wrong, in neutral words.
    pub message: String,
    /// The official form to use (none when the choice is the writer's: see `alternatives`).
    pub suggestion: Option<String>,
    /// The official forms to choose from when one name now stands for several places (the
    /// undivided pre-2013 Mitrovicë: Mitrovicë e Jugut or Mitrovicë e Veriut).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<String>,
    /// The place's id.
    pub entity: String,
    /// What the mention is.
    pub variant_type: VariantType,
}

/// The words of a text with their keys.
struct Word {
    range: Range<usize>,
    key: String,
    key_d: String,
}

fn is_sentence_start(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end_matches([' ', '\t', '"', '«', '„', '“', '(', '\u{a0}']);
    before.is_empty() || before.ends_with(['.', '!', '?', '\n', ':', ';', '•', '-', '–', '—'])
}

/// True when the gap between two words lets them belong to one name: spaces or a hyphen,
/// no line break.
fn joinable(gap: &str) -> bool {
    gap.chars().count() <= 3 && !gap.is_empty() && gap.chars().all(|c| c == ' ' || c == '\u{a0}' || c == '-' || c == '–')
}

fn line_bounds(text: &str, range: &Range<usize>) -> Range<usize> {
    let start = text[..range.start].rfind('\n').map_or(0, |idx| idx + 1);
    let end = text[range.end..].find('\n').map_or(text.len(), |idx| range.end + idx);
    start..end
}

fn is_citation(text: &str, range: &Range<usize>) -> bool {
    let line = line_bounds(text, range);
    let before = text[line.start..range.start].trim();
    let after = text[range.end..line.end].trim();
    (before.is_empty() || before.ends_with(':')) && !after.chars().any(char::is_alphanumeric)
}

/// True when the word before `idx` announces a place (a cue, possibly followed by an
/// Albanian article), or the mention follows a label such as "Komuna:".
fn cued(text: &str, words: &[Word], idx: usize) -> bool {
    let previous = |back: usize| idx.checked_sub(back).map(|at| &words[at]);
    let Some(before) = previous(1) else { return false };
    if text[before.range.end..words[idx].range.start].contains('\n') {
        return false;
    }
    // Words are folded lazily here: most are small and lower case, so not folded in `words`.
    let key = |word: &Word| name_key(&text[word.range.clone()], false);
    let before_key = key(before);
    if CUES.contains(&before_key.as_str()) {
        return true;
    }
    ["e", "i", "se", "te"].contains(&before_key.as_str()) && previous(2).is_some_and(|noun| CUES.contains(&key(noun).as_str()))
}

/// Nouns for "municipality" (keys) that make the next name a municipality's.
const MUNICIPALITY_NOUNS: &[&str] = &["komuna", "komunes", "komunen", "komune", "opstina", "opstine", "opstini", "opstinu", "opstinom"];

/// True when the words just before byte `start` are a municipality noun, possibly followed by
/// an Albanian article ("Komunës së …", "opštini …", "Општина …").
fn municipal_context(text: &str, start: usize) -> bool {
    let Some(word) = preceding_word(text, start) else { return false };
    let key = name_key(word, false);
    if MUNICIPALITY_NOUNS.contains(&key.as_str()) {
        return true;
    }
    if !["e", "i", "se", "te"].contains(&key.as_str()) {
        return false;
    }
    let before = text[..start].trim_end_matches([' ', '\t', '\u{a0}']);
    let word_start = before.len() - word.len();
    preceding_word(text, word_start).is_some_and(|noun| MUNICIPALITY_NOUNS.contains(&name_key(noun, false).as_str()))
}

fn all_caps(text: &str) -> bool {
    let mut letters = text.chars().filter(|c| c.is_alphabetic()).peekable();
    letters.peek().is_some() && letters.all(char::is_uppercase)
}

/// The language family a tag belongs to, for comparing a form's language with the text's.
fn same_language(a: LangTag, b: LangTag) -> bool {
    a.lang == b.lang
}

/// A candidate reading of one mention.
struct Reading {
    form: u32,
    tier: Tier,
    /// The form written in the mention's script.
    rendered: String,
    own: bool,
    acceptable: bool,
    citation_form: bool,
}

impl Places {
    /// The words of a text with their keys. Only capitalised words and the small words that
    /// may sit inside a name can be part of a mention, so only they are folded (the rest get a
    /// key no name has); a cache spares folding the same word twice.
    fn words(&self, text: &str) -> Vec<Word> {
        let mut cache: std::collections::HashMap<&str, (String, String)> = std::collections::HashMap::new();
        segment::words(text)
            .into_iter()
            .filter(|range| text[range.clone()].chars().any(char::is_alphabetic))
            .map(|range| {
                let word = &text[range.clone()];
                let may_be_in_name = word.chars().next().is_some_and(char::is_uppercase) || SMALL_WORDS.contains(&word);
                let (key, key_d) = if may_be_in_name {
                    cache.entry(word).or_insert_with(|| (name_key(word, false), name_key(word, true))).clone()
                } else {
                    (String::from("\u{0}"), String::from("\u{0}"))
                };
                Word { key, key_d, range }
            })
            .collect()
    }

    /// The form ids of the longest name starting at word `first`, and its length in words.
    fn longest_match(&self, text: &str, words: &[Word], first: usize) -> Option<(usize, Vec<u32>)> {
        let mut last = first;
        while last + 1 < words.len() && last + 1 - first < self.max_words && joinable(&text[words[last].range.end..words[last + 1].range.start]) {
            last += 1;
        }
        for end in (first..=last).rev() {
            let parts = &words[first..=end];
            let key = parts.iter().map(|word| word.key.as_str()).collect::<Vec<_>>().join(" ");
            let key_d = parts.iter().map(|word| word.key_d.as_str()).collect::<Vec<_>>().join(" ");
            let mut forms: Vec<u32> = self.forms_for_key(&key).to_vec();
            for &form in self.forms_for_key(&key_d) {
                if !forms.contains(&form) {
                    forms.push(form);
                }
            }
            forms.retain(|&form| !matches!(self.form_type(&self.forms[form as usize]), VariantType::DatasetError | VariantType::AmbiguousShortForm));
            if !forms.is_empty() {
                return Some((end - first + 1, forms));
            }
        }
        None
    }

    /// A municipality name misspelled by one or two letters (only for words of 6 letters or
    /// more that start with a capital; the caller also requires a cue).
    fn municipality_typo(&self, word: &Word) -> Option<Vec<u32>> {
        let letters = word.key.chars().filter(|c| c.is_alphabetic()).count();
        if letters < 6 || NOT_PLACES.contains(&word.key.as_str()) {
            return None;
        }
        // Short names are one letter away from too many words (Junik, Juniks for Unix).
        let long_enough = |key: &[char]| key.iter().filter(|c| c.is_alphabetic()).count() >= 6;
        let key: Vec<char> = word.key.chars().collect();
        let max = if letters >= 9 { 2 } else { 1 };
        let mut best: Option<(usize, Vec<u32>)> = None;
        for (form_key, form_idx) in &self.municipality_keys {
            let form_idx = *form_idx as usize;
            if form_key.contains(&' ') || !long_enough(form_key) {
                continue;
            }
            if let Some(distance) = bounded_distance(&key, form_key, max) {
                if distance == 0 {
                    return None;
                }
                match &mut best {
                    Some((best_distance, forms)) if *best_distance == distance => forms.push(form_idx as u32),
                    Some((best_distance, _)) if *best_distance < distance => {}
                    _ => best = Some((distance, vec![form_idx as u32])),
                }
            }
        }
        best.map(|(_, forms)| forms)
    }

    fn reading(&self, surface: &str, form_idx: u32, own_lang: LangTag, script: Script) -> Reading {
        let form = &self.forms[form_idx as usize];
        let place = self.place_of(form);
        let form_lang = self.form_lang(form);
        // A name carrying the other language's endings (u Ferizaju) is never the text's own.
        let cross = matches!(form.origin, FormOrigin::Generated { kind: Generated::CrossInflected, .. });
        let own = !cross && form_lang.is_some_and(|tag| same_language(tag, own_lang));
        let cyrillic = script == Script::Cyrl;
        let rendered = match form.origin {
            FormOrigin::Official(tag) if tag == LangTag::SR_LATN && cyrillic && !place.name_sr_cyrl.is_empty() => place.name_sr_cyrl.clone(),
            FormOrigin::Official(tag) if tag == LangTag::SR_CYRL && !cyrillic => place.name_sr_latn.clone(),
            FormOrigin::Generated { base, .. } if base.lang == Lang::Sr && cyrillic => lat_to_cyr(&form.text).into_owned(),
            _ => form.text.clone(),
        };
        let official_own = matches!(form.origin, FormOrigin::Official(tag) if same_language(tag, own_lang));
        let generated_own = matches!(form.origin, FormOrigin::Generated { base, kind: Generated::Inflected | Generated::LongForm, from_variant: None } if same_language(base, own_lang));
        let exact = surface == rendered || (all_caps(surface) && case_fold(surface) == case_fold(&rendered));
        let tier = if exact { Tier::Exact } else { match_tier(surface, &rendered).unwrap_or(Tier::Fuzzy) };
        Reading { form: form_idx, tier, rendered, own, acceptable: exact && (official_own || generated_own), citation_form: official_own }
    }

    /// Every place mention in `text` written in `lang` (sq, or sr in either script).
    ///
    /// ```
    /// use termbridge::model::lang::LangTag;
    /// let places = termbridge::places::Places::shipped();
    /// let mentions = places.mentions("Takimi u mbajt në Prishtinë dhe në Besianë.", LangTag::SQ);
    /// assert_eq!(mentions.len(), 2);
    /// assert!(mentions[0].official);
    /// assert_eq!(mentions[1].suggestion.as_deref(), Some("Podujevë"));
    /// ```
    pub fn mentions(&self, text: &str, lang: LangTag) -> Vec<Mention> {
        let words = self.words(text);
        let mut mentions = Vec::new();
        let mut idx = 0;
        while idx < words.len() {
            let word = &words[idx];
            let starts_upper = text[word.range.clone()].chars().next().is_some_and(char::is_uppercase);
            if !starts_upper {
                idx += 1;
                continue;
            }
            let (n_words, forms, fuzzy) = match self.longest_match(text, &words, idx) {
                Some((n_words, forms)) => (n_words, forms, false),
                // Typos are only looked for right after a cue word.
                None => match cued(text, &words, idx).then(|| self.municipality_typo(word)).flatten() {
                    Some(forms) => (1, forms, true),
                    None => {
                        idx += 1;
                        continue;
                    }
                },
            };
            let range = word.range.start..words[idx + n_words - 1].range.end;
            let cue = cued(text, &words, idx);
            // Every word of a multi-word name starts with a capital, articles apart
            // ("Novo selo" is a new village, "Novo Selo" a place).
            let capitalised = words[idx..idx + n_words].iter().all(|word| {
                let written = &text[word.range.clone()];
                SMALL_WORDS.contains(&written) || written.chars().next().is_some_and(char::is_uppercase)
            });
            idx += n_words;
            if !capitalised {
                continue;
            }
            if let Some(mention) = self.mention(text, range, &forms, lang, fuzzy, n_words, cue) {
                mentions.push(mention);
            }
        }
        mentions
    }

    #[allow(clippy::too_many_arguments)]
    fn mention(&self, text: &str, range: Range<usize>, forms: &[u32], lang: LangTag, fuzzy: bool, n_words: usize, cue: bool) -> Option<Mention> {
        let surface = &text[range.clone()];
        let script = match word_script(surface) {
            Script::Cyrl => Script::Cyrl,
            _ => Script::Latn,
        };
        let own_lang = match lang.lang {
            Lang::Sr => LangTag { lang: Lang::Sr, script: Some(if script == Script::Cyrl { SrScript::Cyrl } else { SrScript::Latn }) },
            _ => lang,
        };
        let key = name_key(surface, false);
        let readings: Vec<Reading> = forms.iter().map(|&form| self.reading(surface, form, own_lang, script)).collect();
        let first_place = |reading: &Reading| self.place_of(&self.forms[reading.form as usize]);
        if n_words == 1 && !self.single_word_is_place(text, &range, &key, &readings, fuzzy, cue) {
            return None;
        }
        let citation = is_citation(text, &range);
        // After "Komuna e", "opština" and the like the name is a municipality's: a former or
        // unofficial municipality name there beats a village of the same name.
        let municipal = municipal_context(text, range.start) && readings.iter().any(|reading| first_place(reading).kind == PlaceKind::Municipality);
        // Best reading: acceptable own forms first (citation forms first where a label is
        // expected), then the strictest tier, own-language forms before others, municipalities
        // before settlements.
        let best = readings.iter().min_by_key(|reading| {
            let place = first_place(reading);
            (
                municipal && place.kind == PlaceKind::Settlement,
                !reading.acceptable,
                citation && !reading.citation_form,
                reading.tier,
                !reading.own,
                self.form_rank(&self.forms[reading.form as usize]),
                place.kind == PlaceKind::Settlement,
                reading.form,
            )
        })?;
        let form = &self.forms[best.form as usize];
        let place = self.place_of(form);
        let official = best.acceptable && (!citation || best.citation_form);
        let (variant_type, mut suggestion) = if official {
            (VariantType::Official, None)
        } else {
            self.judge(surface, preceding_word(text, range.start), best, &readings, place, own_lang, script, fuzzy)
        };
        // A name in the other Serbian script, written exactly, is a script question.
        if !official && variant_type == VariantType::Official {
            return None;
        }
        let former = if official || fuzzy { None } else { self.history_of(form) };
        let mut alternatives = Vec::new();
        if let Some((former, _)) = &former
            && former.change == super::history::NameChange::Split
        {
            // One name, several places today: the writer chooses; each successor is
            // offered in the case the name is written in.
            let preceding = preceding_word(text, range.start);
            for successor in self.gazetteer().history().iter().filter(|other| other.change == former.change && other.name == former.name) {
                let Some(successor) = self.gazetteer().place(&successor.entity) else { continue };
                let name = match self.inflect_like(surface, preceding, &successor.id, own_lang) {
                    Some(done) if done.sure => done.text,
                    _ => successor.name(own_lang).unwrap_or(&successor.name_sq).to_string(),
                };
                if !alternatives.contains(&name) {
                    alternatives.push(name);
                }
            }
            suggestion = None;
        }
        let history = former.map(|(former, today)| former.explain(&today));
        Some(Mention {
            start: range.start,
            end: range.end,
            text: surface.to_string(),
            place_id: place.id.clone(),
            names: names_of(place),
            matched: form.text.clone(),
            tier: if fuzzy { Tier::Fuzzy } else { best.tier },
            variant_type,
            official,
            suggestion,
            alternatives,
            history,
            citation,
        })
    }

    /// Whether a single word is taken for a place. Common words need a cue ("në", "u",
    /// "Komuna e"); so do typos, settlement names in all capitals (headings, buttons) and
    /// settlement names found only as generated inflections; a settlement name opening a
    /// sentence must be written exactly as listed.
    fn single_word_is_place(&self, text: &str, range: &Range<usize>, key: &str, readings: &[Reading], fuzzy: bool, cue: bool) -> bool {
        if NOT_PLACES.contains(&key) {
            return false;
        }
        if STOP_WORDS.contains(&key) || fuzzy {
            return cue;
        }
        let settlement_only = readings.iter().all(|reading| self.place_of(&self.forms[reading.form as usize]).kind == PlaceKind::Settlement);
        if !settlement_only {
            return true;
        }
        let listed = readings.iter().any(|reading| {
            let form = &self.forms[reading.form as usize];
            reading.tier <= Tier::Diacritics && !matches!(form.origin, FormOrigin::Generated { .. })
        });
        let caps = all_caps(&text[range.clone()]);
        if cue {
            return listed || !caps;
        }
        listed && !caps && (!is_sentence_start(text, range.start) || readings.iter().any(|reading| reading.acceptable))
    }

    fn form_rank(&self, form: &super::resolve::Form) -> u32 {
        match form.origin {
            FormOrigin::Official(_) => 0,
            FormOrigin::Sourced(_) => 1,
            FormOrigin::Generated { .. } => 2,
        }
    }

    /// What a non-official mention is, and what to write instead.
    #[allow(clippy::too_many_arguments)]
    fn judge(
        &self,
        surface: &str,
        preceding: Option<&str>,
        best: &Reading,
        readings: &[Reading],
        place: &Place,
        own_lang: LangTag,
        script: Script,
        fuzzy: bool,
    ) -> (VariantType, Option<String>) {
        let official_form = match own_lang.script {
            Some(SrScript::Cyrl) if !place.name_sr_cyrl.is_empty() => place.name_sr_cyrl.clone(),
            _ => place.name(own_lang).unwrap_or(&place.name_sr_latn).to_string(),
        };
        let caps = |form: &str| if all_caps(surface) { form.to_uppercase() } else { form.to_string() };
        // Another name, in the case and script it is written in (së Besianës → së Podujevës).
        let inflected = || match self.inflect_like(surface, preceding, &place.id, own_lang) {
            Some(done) if done.sure => caps(&done.text),
            _ => caps(&official_form),
        };
        if fuzzy {
            return (VariantType::Misspelling, Some(inflected()));
        }
        let form = &self.forms[best.form as usize];
        let own_generated = best.own && matches!(form.origin, FormOrigin::Generated { base, from_variant: None, .. } if same_language(base, own_lang));
        let own_official = matches!(form.origin, FormOrigin::Official(tag) if same_language(tag, own_lang));
        if best.acceptable {
            // Correct inflected form where the list's citation form is expected.
            let other_official = readings.iter().any(|reading| {
                let other = &self.forms[reading.form as usize];
                reading.tier == Tier::Exact && matches!(other.origin, FormOrigin::Official(tag) if !same_language(tag, own_lang))
            });
            let variant_type = if other_official { VariantType::OtherLanguageName } else { VariantType::InflectedForm };
            return (variant_type, Some(caps(&official_form)));
        }
        if best.own && (own_generated || own_official) {
            let variant_type = match best.tier {
                Tier::Exact | Tier::Case if surface != best.rendered => VariantType::EncodingDamage,
                Tier::Exact | Tier::Case => VariantType::Official,
                Tier::Punct => VariantType::SpellingVariant,
                Tier::Diacritics => VariantType::MissingDiacritics,
                // The other Serbian script, exactly transliterated: not this check's business.
                Tier::Script if word_script(surface) != script => VariantType::Official,
                _ => VariantType::MissingDiacritics,
            };
            return (variant_type, Some(caps(&best.rendered)));
        }
        let variant_type = match self.form_type(form) {
            VariantType::Official | VariantType::InflectedForm | VariantType::LongAdministrativeForm if !best.own => VariantType::OtherLanguageName,
            other => other,
        };
        (variant_type, Some(inflected()))
    }

    /// The `place-name` findings of a text: every mention that is not the official form for
    /// `lang` (sq, sr, sr-Latn or sr-Cyrl).
    ///
    /// ```
    /// use termbridge::model::lang::LangTag;
    /// let places = termbridge::places::Places::shipped();
    /// let findings = places.check_text("Sastanak je održan u Ferizaju.", LangTag::SR_LATN);
    /// assert_eq!(findings[0].suggestion.as_deref(), Some("Uroševcu"));
    /// assert_eq!((findings[0].line, findings[0].column), (1, 22));
    /// ```
    pub fn check_text(&self, text: &str, lang: LangTag) -> Vec<PlaceFinding> {
        self.mentions(text, lang).into_iter().filter(|mention| !mention.official).map(|mention| self.finding(text, lang, mention)).collect()
    }

    fn finding(&self, text: &str, lang: LangTag, mention: Mention) -> PlaceFinding {
        let range = mention.start..mention.end;
        let line_range = line_bounds(text, &range);
        let line = text[..mention.start].matches('\n').count() + 1;
        let column = text[line_range.start..mention.start].chars().count() + 1;
        let excerpt = excerpt(text, &line_range, &range);
        let lang_tag = match lang.lang {
            Lang::Sr => LangTag { lang: Lang::Sr, script: Some(if word_script(&mention.text) == Script::Cyrl { SrScript::Cyrl } else { SrScript::Latn }) },
            _ => lang,
        };
        let lang_name = match lang_tag.script {
            Some(SrScript::Cyrl) => "Serbian (Cyrillic)".to_string(),
            Some(SrScript::Latn) => "Serbian (Latin)".to_string(),
            None => lang_tag.lang.english_name().to_string(),
        };
        let official = self.gazetteer().place(&mention.place_id).and_then(|place| place.name(lang_tag)).unwrap_or(&mention.names.sr_latn).to_string();
        let mut message = format!("{:?} is not the form in the official list for {lang_name} ({})", mention.text, mention.variant_type.describe());
        if mention.citation && mention.variant_type == VariantType::InflectedForm {
            message.push_str("; a label takes the citation form");
        }
        if mention.alternatives.is_empty() {
            message.push_str(&format!("; official name: {official:?}"));
        } else {
            message
                .push_str(&format!("; official names today: {}", mention.alternatives.iter().map(|name| format!("{name:?}")).collect::<Vec<_>>().join(" or ")));
        }
        if let Some(history) = &mention.history {
            message.push_str(&format!(" ({history})"));
        }
        PlaceFinding {
            check: "place-name",
            lang: lang_tag.to_string(),
            line,
            column,
            start: mention.start,
            end: mention.end,
            excerpt,
            message,
            suggestion: mention.suggestion,
            alternatives: mention.alternatives,
            entity: mention.place_id,
            variant_type: mention.variant_type,
        }
    }
}

/// The word just before byte `start` of `text` on the same line, if any.
pub(crate) fn preceding_word(text: &str, start: usize) -> Option<&str> {
    let before = text.get(..start)?.trim_end_matches([' ', '\t', '\u{a0}']);
    let word_start = before.rfind(|c: char| !c.is_alphanumeric()).map_or(0, |idx| idx + before[idx..].chars().next().map_or(1, char::len_utf8));
    let word = &before[word_start..];
    (!word.is_empty()).then_some(word)
}

/// The line around a mention, at most about 80 characters, with "…" where it was cut.
fn excerpt(text: &str, line: &Range<usize>, mention: &Range<usize>) -> String {
    const CONTEXT: usize = 30;
    let before: Vec<char> = text[line.start..mention.start].chars().collect();
    let after: Vec<char> = text[mention.end..line.end].chars().collect();
    let mut out = String::new();
    if before.len() > CONTEXT {
        out.push('…');
        out.extend(&before[before.len() - CONTEXT..]);
    } else {
        out.extend(&before);
    }
    out.push_str(&text[mention.clone()]);
    if after.len() > CONTEXT {
        out.extend(&after[..CONTEXT]);
        out.push('…');
    } else {
        out.extend(&after);
    }
    out.trim_end_matches('\r').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places() -> &'static Places {
        Places::shipped()
    }

    /// Marks the expected finding with [brackets] in the input; checks its variant type and
    /// suggestion, and that nothing else is reported.
    fn finds(marked: &str, lang: LangTag, variant_type: VariantType, suggestion: &str) {
        let start = marked.find('[').expect("mark the finding with [ ]");
        let end = marked.find(']').expect("mark the finding with [ ]") - 1;
        let text = marked.replace(['[', ']'], "");
        let findings = places().check_text(&text, lang);
        assert_eq!(findings.len(), 1, "{marked}: {findings:#?}");
        let finding = &findings[0];
        assert_eq!((finding.start, finding.end), (start, end), "{marked}");
        assert_eq!((finding.variant_type, finding.suggestion.as_deref()), (variant_type, Some(suggestion)), "{marked}");
    }

    fn clean(text: &str, lang: LangTag) {
        let findings = places().check_text(text, lang);
        assert!(findings.is_empty(), "{text}: {findings:#?}");
    }

    #[test]
    fn finds_non_official_forms() {
        use VariantType::*;
        finds("Takimi u mbajt në [Besianë].", LangTag::SQ, UnofficialAlternative, "Podujevë");
        finds("Projekti në [Prishtine] përfundoi.", LangTag::SQ, MissingDiacritics, "Prishtinë");
        finds("Kryetari i Komunës së [Prishtines] foli.", LangTag::SQ, MissingDiacritics, "Prishtinës");
        finds("Zyra në [Uroševac] është e hapur.", LangTag::SQ, OtherLanguageName, "Ferizaj");
        finds("Sastanak je održan u [Ferizaju].", LangTag::SR_LATN, OtherLanguageName, "Uroševcu");
        finds("Kancelarija u [Kosovskoj Mitrovici] radi.", LangTag::SR_LATN, FormerOrOtherStateName, "Južnoj Mitrovici");
        finds("Канцеларија у [Косовској Митровици] ради.", LangTag::SR_CYRL, FormerOrOtherStateName, "Јужној Митровици");
        // Suggestions keep the case and script of the name as written.
        finds("Kuvendi i Komunës së [Besianës] u mblodh.", LangTag::SQ, UnofficialAlternative, "Podujevës");
        finds("Delegacioni erdhi nga [Besiana].", LangTag::SQ, UnofficialAlternative, "Podujeva");
        finds("Састанак у [Феризају] је завршен.", LangTag::SR_CYRL, OtherLanguageName, "Урошевцу");
        finds("Putovali smo iz [Gjilana] za Prizren.", LangTag::SR_LATN, OtherLanguageName, "Gnjilana");
        finds("Ekipa u [Gjakovi] radi.", LangTag::SR_LATN, Misspelling, "Đakovici");
        finds("Komuna: [Klina]", LangTag::SQ, OtherLanguageName, "Klinë");
        finds("Opština: [Klinë]", LangTag::SR, OtherLanguageName, "Klina");
        finds("Projekti në Komunën e [Therandës] vazhdon.", LangTag::SQ, UnofficialAlternative, "Suharekës");
        finds("Dokumenti nga [PRISHTINE].", LangTag::SQ, MissingDiacritics, "PRISHTINË");
        finds("Odluka opštine [Vucitrn] je objavljena.", LangTag::SR_LATN, MissingDiacritics, "Vučitrn");
        finds("Ekipa udhëtoi për në [Gjakoven] dje.", LangTag::SQ, MissingDiacritics, "Gjakovën");
    }

    #[test]
    fn leaves_official_forms_alone() {
        clean("Komuna e Prishtinës dhe Komuna e Ferizajt nënshkruan marrëveshjen në Prizren.", LangTag::SQ);
        clean("Takimi në Fushë Kosovë dhe në Mitrovicë e Jugut.", LangTag::SQ);
        clean("Sastanak u Prištini, Uroševcu i Kosovu Polju.", LangTag::SR_LATN);
        clean("Састанак у Приштини и Урошевцу.", LangTag::SR_CYRL);
        clean("Komuna: Kamenicë", LangTag::SQ);
        clean("Општина: Каменица", LangTag::SR_CYRL);
        clean("Hani i Elezit dhe Hanit të Elezit.", LangTag::SQ);
        // Common words that are also village names.
        clean("Lumi rrjedh pranë malit. Mali është i lartë. Guri ra.", LangTag::SQ);
        clean("Selo je blizu. Reka teče. Polje je zeleno. Banja radi.", LangTag::SR_LATN);
        clean("prishtinë e vogël", LangTag::SQ);
        clean("Viti 2024 ishte i mirë. Burimi i të dhënave.", LangTag::SQ);
        clean("Izvor podataka. Gore je bolje. Srbija i Kosovo. Novo selo.", LangTag::SR_LATN);
        clean("ИЗВОР\nРЕЧИ", LangTag::SR_CYRL);
        clean("Barem jednom.", LangTag::SR_LATN);
        clean("Поређај према РЕЧИ. Симболи за ЈУНИКС.", LangTag::SR_CYRL);
        clean("", LangTag::SQ);
    }

    #[test]
    fn mentions_have_offsets_in_the_original() {
        let text = "Ju\u{308}ni: u Prištini i Уроševcu, u Kosovu Polju.";
        let mentions = places().mentions(text, LangTag::SR);
        let found: Vec<&str> = mentions.iter().map(|mention| &text[mention.start..mention.end]).collect();
        assert_eq!(found, ["Prištini", "Kosovu Polju"]);
        let text = "Përshëndetje nga Gjakova,\nkomuna e Gjakovës.";
        let findings = places().check_text(text, LangTag::SQ);
        assert!(findings.is_empty(), "{findings:#?}");
        let findings = places().check_text("Rreshti i parë\nnë Pristinë, Kosovë", LangTag::SQ);
        assert_eq!((findings[0].line, findings[0].column, findings[0].start), (2, 4, 20));
        assert_eq!(findings[0].excerpt, "në Pristinë, Kosovë");
    }

    /// Golden files: tests/data/places/check/NAME.LANG.txt beside NAME.LANG.expected.tsv.
    /// Set TERMBRIDGE_BLESS=1 to rewrite the expected files, then read the diff.
    #[test]
    fn golden_texts() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/places/check");
        let mut inputs: Vec<_> =
            std::fs::read_dir(&dir).unwrap().map(|entry| entry.unwrap().path()).filter(|path| path.extension().is_some_and(|ext| ext == "txt")).collect();
        inputs.sort();
        assert!(!inputs.is_empty());
        for input in inputs {
            let text = std::fs::read_to_string(&input).unwrap();
            let stem = input.file_stem().unwrap().to_str().unwrap().to_string();
            let lang = LangTag::parse(stem.rsplit('.').next().unwrap()).unwrap();
            let mut rendered = String::from("line\tcolumn\tmention\tvariant_type\tsuggestion\n");
            for finding in places().check_text(&text, lang) {
                let mention = &text[finding.start..finding.end];
                rendered.push_str(&format!(
                    "{}\t{}\t{mention}\t{}\t{}\n",
                    finding.line,
                    finding.column,
                    finding.variant_type,
                    finding.suggestion.unwrap_or_default()
                ));
            }
            crate::testing::assert_golden(&dir.join(format!("{stem}.expected.tsv")), &rendered);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// Mention detection never panics, and every mention's offsets lie on character
        /// boundaries inside the text, in order, without overlap.
        #[test]
        fn mentions_stay_in_bounds(text in "(\\PC|[ÇçËëČčĆćŠšŽžĐđ\u{D0}ЉљЊњЂђ \n/:.-]|Prishtin|Uroševc|Kosov|Mitrovic|e Jugut|Hani i |Приштин){0,40}") {
            for lang in [LangTag::SQ, LangTag::SR, LangTag::SR_CYRL] {
                let mut previous_end = 0;
                for mention in places().mentions(&text, lang) {
                    proptest::prop_assert!(mention.start < mention.end && mention.end <= text.len());
                    proptest::prop_assert!(text.is_char_boundary(mention.start) && text.is_char_boundary(mention.end));
                    proptest::prop_assert!(mention.start >= previous_end);
                    previous_end = mention.end;
                }
                for finding in places().check_text(&text, lang) {
                    proptest::prop_assert!(finding.line >= 1 && finding.column >= 1);
                    proptest::prop_assert_eq!(&text[finding.start..finding.end], text.get(finding.start..finding.end).unwrap_or_default());
                }
            }
        }
    }

    #[test]
    fn text_helpers() {
        for (text, at, expected) in
            [("Prizren", 0, true), ("Ai. Prizren", 4, true), ("ai Prizren", 3, false), ("Komuna: Prizren", 8, true), ("«Prizren", 2, true)]
        {
            assert_eq!(is_sentence_start(text, at), expected, "{text}");
        }
        for (gap, expected) in [(" ", true), ("-", true), (" - ", true), ("\n", false), (", ", false), ("", false), ("    ", false)] {
            assert_eq!(joinable(gap), expected, "{gap:?}");
        }
        for (text, range, expected) in [("Komuna: Klina", 8..13, true), ("Klina", 0..5, true), ("në Klina sot", 3..8, false), ("Klina.\nx", 0..5, true)] {
            assert_eq!(is_citation(text, &range), expected, "{text}");
        }
        for (text, expected) in [("PRISHTINË", true), ("Prishtinë", false), ("123", false), ("ЗВЕЧАН", true)] {
            assert_eq!(all_caps(text), expected, "{text}");
        }
        let long = format!("{}Prizren{}", "a".repeat(40), "b".repeat(40));
        let excerpt = excerpt(&long, &(0..long.len()), &(40..47));
        assert_eq!(excerpt, format!("…{}Prizren{}…", "a".repeat(30), "b".repeat(30)));
    }

    #[test]
    fn municipality_typos() {
        finds("Takimi u mbajt në qytetin e [Prishtnë].", LangTag::SQ, VariantType::Misspelling, "Prishtinë");
        clean("Prishtnë ishte fjala e parë.", LangTag::SQ);
        clean("Ai foli për Srbiju.", LangTag::SR_LATN);
        finds("Takimi u mbajt në [Prizrem].", LangTag::SQ, VariantType::Misspelling, "Prizren");
    }
}
