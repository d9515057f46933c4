//! Language evidence for one segment: which of sq, sr, en, tr (bs counts as sr's family)
//! the words of a segment speak for, from function words and letters that only one
//! candidate uses, with [`crate::text::langid`] as a second opinion.
//!
//! The audit asks a narrower question than language identification: "is this segment, in
//! the Serbian version, clearly written in another language?". Function words answer it
//! with very few false alarms, because a real translation keeps its own function words even
//! when it borrows names, terms or acronyms; n-gram models are better on short content words.
//! So a verdict needs both to agree when both have something to say.
//!
//! Deliberately not done: telling Serbian from Bosnian or Croatian (one family here), or
//! splitting a segment into languages.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::model::lang::Lang;

/// Function-word hits and letter evidence per language.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Evidence {
    /// Albanian.
    pub sq: u16,
    /// Serbian (and Bosnian).
    pub sr: u16,
    /// English.
    pub en: u16,
    /// Turkish.
    pub tr: u16,
    /// Words with letters.
    pub words: u16,
}

impl Evidence {
    /// The hits for `lang` (Bosnian shares Serbian's).
    pub fn hits(&self, lang: Lang) -> u16 {
        match lang {
            Lang::Sq => self.sq,
            Lang::Sr | Lang::Bs => self.sr,
            Lang::En => self.en,
            Lang::Tr => self.tr,
        }
    }

    /// The language with the most hits, when it leads the runner-up.
    pub fn leader(&self) -> Option<(Lang, u16, u16)> {
        let mut scores = [(Lang::Sq, self.sq), (Lang::Sr, self.sr), (Lang::En, self.en), (Lang::Tr, self.tr)];
        scores.sort_by_key(|score| std::cmp::Reverse(score.1));
        if scores[0].1 > scores[1].1 { Some((scores[0].0, scores[0].1, scores[1].1)) } else { None }
    }
}

/// True when two languages count as one here (Serbian and Bosnian share most words).
pub fn same_family(a: Lang, b: Lang) -> bool {
    a == b || matches!((a, b), (Lang::Sr, Lang::Bs) | (Lang::Bs, Lang::Sr))
}

/// Function words that one candidate uses and the others do not (or rarely), lowercase.
/// Short words that two languages share (sq/sr "i", "u", "se", "po", "ne", "te", "do") are
/// deliberately absent.
const SQ_WORDS: &[&str] = &[
    "të", "një", "në", "është", "dhe", "për", "nga", "që", "nuk", "së", "këtë", "kjo", "ky", "janë", "më", "apo", "duke", "mbi", "tuaj", "juaj", "lutemi",
    "ndonjë", "cilat", "cili", "cila", "edhe", "vetëm", "ose", "mund", "nëse", "tyre", "kanë", "ishte", "këtij", "kësaj", "këto", "tij", "saj", "dy", "shumë",
    "gjatë", "pas", "sipas", "lidhje", "mes", "s’u", "s'u", "s’ka", "s’mund", "jeni", "keni", "kemi", "nje", "eshte", "per", "dhe", "qe", "jane", "kete", "ju",
    "jo",
];
const SR_WORDS: &[&str] = &[
    "je", "da", "za", "od", "su", "sa", "koji", "koja", "koje", "kojima", "kao", "ili", "iz", "bi", "biti", "može", "moze", "nije", "što", "sto", "ali",
    "ovaj", "ova", "ovo", "će", "ce", "ste", "smo", "sam", "već", "vec", "kada", "samo", "pri", "prema", "ukoliko", "li", "mogu", "nema", "molim", "vas",
    "vaš", "vaša", "vaše", "sve", "svi", "ima", "bilo", "nisu", "još", "jos", "kako", "gde", "njih", "njihov", "ovom", "ovog", "tom", "tog", "kod", "uz",
    "bez", "nad", "između", "zato", "jer", "dok", "čak", "treba", "možete", "mozete",
];
const EN_WORDS: &[&str] = &[
    "the", "of", "and", "is", "was", "for", "that", "with", "as", "by", "not", "be", "are", "this", "from", "at", "or", "an", "it", "you", "your", "can",
    "could", "has", "have", "been", "will", "would", "there", "which", "their", "all", "do", "does", "any", "into", "only", "if", "than", "more", "other",
    "such", "these", "those", "we", "our", "please", "must", "should", "may", "were", "what", "when", "where", "who", "how", "its", "they", "them", "about",
    "after", "before", "while", "because", "cannot", "can't", "don't", "doesn't", "isn't", "wasn't", "couldn't", "won't", "in",
];
const TR_WORDS: &[&str] = &[
    "ve",
    "bir",
    "bu",
    "için",
    "ile",
    "değil",
    "olarak",
    "olan",
    "çok",
    "ama",
    "gibi",
    "daha",
    "veya",
    "kadar",
    "ise",
    "şu",
    "tarafından",
    "mı",
    "ki",
    "olan",
    "edilen",
    "göre",
    "sonra",
    "önce",
    "yok",
    "var",
    "lütfen",
    "dosya",
];

/// Words several lists share count for none: they cannot tell the languages apart.
fn table() -> &'static HashMap<&'static str, [bool; 4]> {
    static TABLE: OnceLock<HashMap<&'static str, [bool; 4]>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table: HashMap<&'static str, [bool; 4]> = HashMap::new();
        for (idx, list) in [SQ_WORDS, SR_WORDS, EN_WORDS, TR_WORDS].iter().enumerate() {
            for word in *list {
                table.entry(*word).or_default()[idx] = true;
            }
        }
        table.retain(|_, langs| langs.iter().filter(|&&set| set).count() == 1);
        table
    })
}

/// Collects the evidence of `text`.
pub fn evidence(text: &str) -> Evidence {
    let table = table();
    let mut evidence = Evidence::default();
    for word in text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’')) {
        let word = word.trim_matches(|c| c == '\'' || c == '’');
        if !word.chars().any(char::is_alphabetic) {
            continue;
        }
        evidence.words = evidence.words.saturating_add(1);
        let lowered = word.to_lowercase();
        if let Some(langs) = table.get(lowered.as_str()) {
            if langs[0] {
                evidence.sq += 1;
            } else if langs[1] {
                evidence.sr += 1;
            } else if langs[2] {
                evidence.en += 1;
            } else if langs[3] {
                evidence.tr += 1;
            }
            continue;
        }
        // Letters only one candidate writes: ë (Albanian), č ć đ (Serbian Latin and its
        // family), ğ ş ı (Turkish); Cyrillic is Serbian here. ç, š, ž and ü are shared and
        // prove nothing on their own.
        if lowered.contains('ë') {
            evidence.sq += 1;
        } else if lowered.contains(['č', 'ć', 'đ']) {
            evidence.sr += 1;
        } else if lowered.contains(['ğ', 'ş', 'ı']) {
            evidence.tr += 1;
        } else if crate::text::script::has_cyrillic(&lowered) {
            evidence.sr += 1;
        }
    }
    evidence
}

/// The language `text` is clearly written in when that is not `expected`, or `None`.
///
/// A verdict needs at least two hits for the other language, at most a third as many for
/// the expected one, and no contradiction from [`crate::text::langid`]. Cyrillic text is
/// Serbian.
pub fn foreign_language(text: &str, expected: Lang, candidates: &[Lang]) -> Option<Lang> {
    let cyrillic = crate::text::script::count_cyrillic(text);
    let latin = text.chars().filter(|c| crate::text::script::is_latin_letter(*c)).count();
    if cyrillic > latin && cyrillic >= 4 {
        if same_family(expected, Lang::Sr) {
            return None;
        }
        // Albanian (or another language) written in Cyrillic letters is the right language
        // in the wrong script, which `wrong-script` reports.
        let latin = crate::text::cyr_to_lat(text);
        let evidence = evidence(&latin);
        if evidence.hits(expected) >= 2 && evidence.hits(expected) > evidence.sr {
            return None;
        }
        return Some(Lang::Sr);
    }
    let evidence = evidence(text);
    let own = evidence.hits(expected);
    if let Some((leader, hits, _)) = evidence.leader()
        && !same_family(leader, expected)
        && candidates.iter().any(|c| same_family(*c, leader))
        && hits >= 2
        && own * 3 <= hits
    {
        return match crate::text::langid::identify_among(text, candidates) {
            Some(guess) if !same_family(guess.lang, leader) && guess.confidence >= 0.8 => None,
            _ => Some(leader),
        };
    }
    // No function word of its own language at all: on running text of 30 characters or
    // more, language identification is reliable enough to decide alone (BENCHMARKS.md:
    // 99.7 % there), when it is sure.
    if own == 0 && evidence.words >= 4 && text.chars().count() >= 30 {
        return crate::text::langid::identify_among(text, candidates)
            .filter(|guess| !same_family(guess.lang, expected) && guess.confidence >= 0.9)
            .map(|guess| guess.lang);
    }
    None
}

/// Decides which of two languages a text shared by two versions is written in, from any
/// margin of evidence (the copy itself is strong evidence that one of them is wrong).
pub fn which_of(text: &str, first: Lang, second: Lang) -> Option<Lang> {
    let cyrillic = crate::text::script::has_cyrillic(text);
    if cyrillic {
        return [first, second].into_iter().find(|lang| same_family(*lang, Lang::Sr));
    }
    let evidence = evidence(text);
    let (a, b) = (evidence.hits(first), evidence.hits(second));
    if a > b {
        return Some(first);
    }
    if b > a {
        return Some(second);
    }
    if evidence.words < 3 {
        return None;
    }
    match crate::text::langid::identify_among(text, &[first, second]) {
        Some(guess) if guess.confidence >= 0.7 && same_family(guess.lang, first) => Some(first),
        Some(guess) if guess.confidence >= 0.7 && same_family(guess.lang, second) => Some(second),
        _ => None,
    }
}

/// Which of two languages the Hunspell dictionaries say `text` is written in, or `None`:
/// at least two words of three letters or more known (in small letters) only to one
/// language's dictionary, none only to the other's, and together two thirds of the words.
/// Names do not count: a capitalised word the dictionary knows only capitalised is not
/// known in small letters. Without both dictionaries, `None`.
pub fn by_dictionary(lexicon: &crate::lexicon::Lexicon, text: &str, first: Lang, second: Lang) -> Option<Lang> {
    use crate::text::script::Script;
    let script = if crate::text::script::has_cyrillic(text) { Script::Cyrl } else { Script::Latn };
    let dictionary = |lang: Lang| lexicon.get(crate::lexicon::DictLang::for_text(lang, script)?).ok();
    let (a, b) = (dictionary(first)?, dictionary(second)?);
    let (mut words, mut only_a, mut only_b) = (0usize, 0usize, 0usize);
    for word in text.split(|c: char| !c.is_alphabetic()).filter(|word| word.chars().count() >= 3) {
        words += 1;
        let lowered = word.to_lowercase();
        match (a.check(&lowered), b.check(&lowered)) {
            (true, false) => only_a += 1,
            (false, true) => only_b += 1,
            _ => {}
        }
    }
    let decide = |mine: usize, theirs: usize| mine >= 2 && theirs == 0 && mine * 3 >= words * 2;
    if decide(only_a, only_b) {
        Some(first)
    } else if decide(only_b, only_a) {
        Some(second)
    } else {
        None
    }
}

/// True when `text`, a short segment of a `own` version that copies its counterpart in the
/// `other` version word for word, is written in `other`'s language by the dictionaries and
/// function words: at least two words (of two letters or more, acronyms aside) known in small
/// letters to `other`'s dictionary or function words, together two thirds of the words, none
/// known only to `own`'s, and more known to `other` than to `own`. English, the usual source
/// of copies, may tie ("Auto hide panel": Albanian knows those words too), since the copy
/// itself is then the evidence. Without both dictionaries, `false`.
///
/// Meant for lines too short for [`which_of`] and [`by_dictionary`] ("Go to Tab 7",
/// "Unknown MIME Type", "Kë Të Cyt"): the caller has already seen the copy, and has seen that
/// a third version writes the line otherwise, so the line is not a name or a code.
pub fn copy_by_dictionary(lexicon: &crate::lexicon::Lexicon, text: &str, own: Lang, other: Lang) -> bool {
    use crate::text::script::Script;
    let script = if crate::text::script::has_cyrillic(text) { Script::Cyrl } else { Script::Latn };
    let dictionary = |lang: Lang| crate::lexicon::DictLang::for_text(lang, script).and_then(|dict| lexicon.get(dict).ok());
    let (Some(own_dictionary), Some(other_dictionary)) = (dictionary(own), dictionary(other)) else { return false };
    let table = table();
    let function_word = |word: &str, lang: Lang| {
        let idx = match lang {
            Lang::Sq => 0,
            Lang::Sr | Lang::Bs => 1,
            Lang::En => 2,
            Lang::Tr => 3,
        };
        table.get(word).is_some_and(|langs| langs[idx])
    };
    let (mut words, mut theirs, mut mine, mut only_mine) = (0usize, 0usize, 0usize, 0usize);
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        // An acronym (MIME, OK) is written alike in every language, and so is a unit after
        // its number ("35mm").
        if word.chars().count() < 2 || !word.chars().any(char::is_lowercase) || word.chars().any(|c| c.is_numeric()) {
            continue;
        }
        words += 1;
        let lowered = word.to_lowercase();
        let known_other = other_dictionary.check(&lowered) || function_word(&lowered, other);
        let known_own = own_dictionary.check(&lowered) || function_word(&lowered, own);
        theirs += usize::from(known_other);
        mine += usize::from(known_own);
        only_mine += usize::from(known_own && !known_other);
    }
    words >= 2 && theirs >= 2 && theirs * 3 >= words * 2 && only_mine == 0 && (mine < theirs || other == Lang::En)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Lang; 4] = [Lang::Sq, Lang::Sr, Lang::En, Lang::Tr];

    fn check(text: &str, expected: Lang, verdict: Option<Lang>) {
        assert_eq!(foreign_language(text, expected, &ALL), verdict, "{text}");
    }

    #[test]
    fn verdicts() {
        check("There was an error getting information about the destination.", Lang::Sr, Some(Lang::En));
        check("Gjej korrispondimin paraardhës të tekstit të kërkuar", Lang::Sr, Some(Lang::Sq));
        check("Pronađite sledeći izraz u nizu za pretraživanje", Lang::Sr, None);
        check("Sada možete da izaberete bookmarklet sa bilo koje stranice na sajtu.", Lang::Sr, None);
        check("Tani mund ta përzgjidhni bookmarklet-in prej cilësdo faqe te sajti.", Lang::Sq, None);
        check("Алатке за ваш претраживач", Lang::Sq, Some(Lang::Sr));
        check("Алатке за ваш претраживач", Lang::Sr, None);
        check("Нук ешт е мундур те екзекутохен командат нга њи сит не дистанце.", Lang::Sq, None);
        check("DVI document has incorrect format", Lang::Sq, Some(Lang::En));
        check("DVI dokument", Lang::Sq, None);
        check("Dosya bu dizinde değil ve silinemez.", Lang::Sq, Some(Lang::Tr));
        // No function word, but long enough for language identification.
        check("Toggle theme between light mode and dark mode", Lang::Sr, Some(Lang::En));
        check("Kartela e destinuar ndodhet brenda kartelës buruese", Lang::Sq, None);
    }

    #[test]
    fn shared_text_direction() {
        assert_eq!(which_of("DVI document has incorrect format", Lang::Sq, Lang::En), Some(Lang::En));
        assert_eq!(which_of("Gjej korrispondimin paraardhës të tekstit", Lang::Sr, Lang::Sq), Some(Lang::Sq));
        assert_eq!(which_of("Junik Prizren", Lang::Sr, Lang::Sq), None);
    }

    #[test]
    fn the_dictionaries_decide_titles_without_function_words() {
        let dir = tempfile::tempdir().unwrap();
        let write = |stem: &str, words: &[&str]| {
            std::fs::write(dir.path().join(format!("{stem}.aff")), "SET UTF-8\n").unwrap();
            std::fs::write(dir.path().join(format!("{stem}.dic")), format!("{}\n{}\n", words.len(), words.join("\n"))).unwrap();
        };
        write("en_US", &["power", "manager", "plugin", "settings", "Chris"]);
        write("sr_Latn_RS", &["podešavanja", "priključak", "upravnik"]);
        write("sq_AL", &["rregullime", "shtojcë"]);
        let lexicon = crate::lexicon::Lexicon::new(dir.path());
        assert_eq!(by_dictionary(&lexicon, "Power Manager Plugin Settings", Lang::Sr, Lang::En), Some(Lang::En));
        assert_eq!(by_dictionary(&lexicon, "Podešavanja priključka upravnika", Lang::Sr, Lang::En), None);
        assert_eq!(by_dictionary(&lexicon, "Upravnik podešavanja", Lang::Sr, Lang::En), Some(Lang::Sr));
        // A name the dictionary knows only capitalised is no evidence.
        assert_eq!(by_dictionary(&lexicon, "Chris Howells", Lang::Sq, Lang::En), None);
        // Without the other dictionary, no verdict.
        assert_eq!(by_dictionary(&lexicon, "Power Manager Plugin Settings", Lang::Tr, Lang::En), None);
    }

    #[test]
    fn short_copies_are_decided_by_words_known_to_the_copied_language() {
        let config = crate::audit::checks::tests::with_dictionaries(&[
            ("en_US", &["go", "to", "tab", "unknown", "type", "auto", "hide", "panel", "import", "list", "Chris"]),
            ("sq_AL", &["auto", "hide", "panel", "import", "cyt", "shtoni", "cytje", "hapeni", "dosjen"]),
            ("sr_Latn_RS", &["auto", "panel", "import", "list", "idi", "na"]),
        ]);
        let lexicon = crate::lexicon::Lexicon::new(config.dict_dir.as_deref().expect("the dictionaries' folder"));
        let copy = |text: &str, own: Lang, other: Lang| copy_by_dictionary(&lexicon, text, own, other);
        // English left in the Albanian or Serbian version; acronyms and numbers aside.
        assert!(copy("Go to Tab 7", Lang::Sq, Lang::En));
        assert!(copy("Unknown MIME Type", Lang::Sr, Lang::En));
        assert!(copy("Import Sametime List...", Lang::Sq, Lang::En));
        // Every word Albanian too: the copy of the English source decides.
        assert!(copy("Auto hide panel", Lang::Sq, Lang::En));
        // Albanian in the Serbian version, by a function word and the dictionary.
        assert!(copy("Kë Të Cyt", Lang::Sr, Lang::Sq));
        assert!(copy("Shtoni Cytje", Lang::Sr, Lang::Sq));
        // Not the other way round: Albanian words shared with English are no English copy in
        // the Albanian version's favour, a person's name is no language, a single word decides
        // nothing, and a word only the version's own language knows keeps it.
        assert!(!copy("Auto hide panel", Lang::En, Lang::Sq));
        assert!(!copy("Chris Howells", Lang::Sq, Lang::En));
        assert!(!copy("Import", Lang::Sq, Lang::En));
        assert!(!copy("Go to Tab 7", Lang::Sr, Lang::Sq));
        assert!(!copy("Idi na list", Lang::Sr, Lang::En));
        assert!(!copy("Hapeni dosjen", Lang::Sq, Lang::En));
        assert!(!copy("%.1f (35mm panel)", Lang::Sq, Lang::En));
        // Without the version's own dictionary, nothing is decided.
        assert!(!copy("Go to Tab 7", Lang::Tr, Lang::En));
    }
}
