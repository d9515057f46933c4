//! Light stemmers for Albanian and Serbian, for the "stem" tier of DESIGN.md: they let an
//! inflected place name or term ("Prishtinës", "Prizrenit", "u Prištini", "iz Uroševca") meet
//! its dictionary form.
//!
//! Both work on words folded with `text::fold(word, Tier::Script)`: lower case, Latin script,
//! no diacritics (so Albanian ë is e and ç is c, Serbian č ć are c, š s, ž z, đ dj). Each
//! strips one case or definiteness ending, longest first, and never leaves fewer than
//! [`MIN_STEM_CHARS`] letters, so short words ("dhe", "nga", "Peć") come back whole.
//! Stripping repeats up to [`MAX_PASSES`] times (Vitisë → viti → vit), and Serbian undoes
//! the fleeting a (Uroševac, Uroševca → uroševc).
//!
//! Stems are comparison keys, not words: compare `stem(a) == stem(b)`, never show a stem as
//! a spelling. The stemmers deliberately do not handle verbs, plural paradigms beyond the
//! common endings, the Albanian genitive plural -ve (see [`ALBANIAN_ENDINGS`]) or sound
//! changes inside the stem (Serbian sibilarization Reka/Reci, Duga/Duzi: undoing it merged
//! more different names than it joined forms, BENCHMARKS.md): a light stemmer that
//! misses a form costs a fuzzy match, one that over-strips merges different names.

use std::borrow::Cow;

use crate::model::lang::Lang;

/// The fewest letters a stem keeps; a word whose only ending would leave fewer is returned
/// whole.
pub const MIN_STEM_CHARS: usize = 3;

/// Albanian endings, diacritics folded (ë → e), longest first (Newmark, Hubbard & Prifti,
/// *Standard Albanian*, 1982, §§ on noun declension; Buchholz & Fiedler, *Albanische
/// Grammatik*, 1987):
/// - definite singular: nominative -i, -u (masculine after k, g, h), -a, -ja (feminine);
///   genitive/dative/ablative -it, -ut, -t (after a vowel or j), -es (-ës), -se (-së);
///   accusative -in, -un, -n (after j), -en (-ën);
/// - indefinite feminine genitive -e, the nominative -ë itself (folded -e);
/// - plural: definite -et (-ët), ablative -sh; the adverbial -ndaj.
///
/// The genitive plural -ve/-ëve/-ave is left out on purpose: folded, it cannot be told from
/// the -vë of the many names in -ovë/-evë/-avë (Berkovë, Barilevë, Batllavë), whose other
/// forms (Berkova, Berkovës) keep the v.
const ALBANIAN_ENDINGS: &[&str] = &["ndaj", "it", "ut", "in", "un", "en", "es", "se", "et", "ja", "sh", "i", "u", "a", "e"];

/// Serbian endings, diacritics folded, longest first (Stanojčić & Popović, *Gramatika
/// srpskoga jezika*, 2012, declension of nouns and adjectives):
/// - nouns: genitive -a, -e, -i; dative/locative -u, -i; accusative -u, -a, -e; instrumental
///   -om, -em, -ju (Pećju), -i; plural -i, -e, -a, -ima, -ama; the -o/-e of neuter and
///   masculine nominatives (Kosovo, Gnjilane);
/// - adjectives (Banjska, Kosovsko): -og, -eg, -oga, -ega, -om, -em, -omu, -emu, -oj, -ih,
///   -im, -ima.
const SERBIAN_ENDINGS: &[&str] =
    &["ovima", "evima", "ima", "ama", "oga", "ega", "omu", "emu", "om", "em", "og", "eg", "oj", "ih", "im", "ju", "a", "e", "i", "o", "u"];

/// How many times an ending is stripped, at most. Folded text cannot tell an ending from the
/// end of a stem ("Prizren" and "Prishtinën" → prishtinen both end in -en), so the
/// nominative of a name may lose a piece of its stem (prizren → prizr) that its other forms
/// lose one step later (prizrenit → prizren → prizr). Stripping until no ending is left
/// makes the forms of one name meet; [`MIN_STEM_CHARS`] bounds it. On the gazetteer, one pass
/// brings 93.8% of the generated Albanian forms to their name's stem, two 98.2%, three 99.7%
/// and more passes change nothing (BENCHMARKS.md).
const MAX_PASSES: usize = 3;

/// The stem of `folded_word`, a word already folded with `text::fold(word, Tier::Script)`.
/// Albanian (sq) and Serbian (sr; Bosnian shares its declension) are stemmed; other
/// languages come back unchanged.
///
/// ```
/// use termbridge::model::lang::Lang;
/// use termbridge::text::stem::stem;
/// assert_eq!(stem("prishtines", Lang::Sq), stem("prishtine", Lang::Sq));
/// assert_eq!(stem("prizrenit", Lang::Sq), stem("prizren", Lang::Sq));
/// assert_eq!(stem("urosevca", Lang::Sr), stem("urosevac", Lang::Sr));
/// assert_eq!(stem("pristinom", Lang::Sr), "pristin");
/// assert_eq!(stem("dhe", Lang::Sq), "dhe");
/// ```
pub fn stem(folded_word: &str, lang: Lang) -> Cow<'_, str> {
    match lang {
        Lang::Sq => stem_albanian(folded_word),
        Lang::Sr | Lang::Bs => stem_serbian(folded_word),
        Lang::En | Lang::Tr => Cow::Borrowed(folded_word),
    }
}

/// Folds `word` to the script tier and stems it: the convenience for words as written.
///
/// ```
/// use termbridge::model::lang::Lang;
/// use termbridge::text::stem::stem_word;
/// assert_eq!(stem_word("Prishtinës", Lang::Sq), stem_word("Prishtinë", Lang::Sq));
/// assert_eq!(stem_word("Приштини", Lang::Sr), stem_word("Priština", Lang::Sr));
/// ```
pub fn stem_word(word: &str, lang: Lang) -> String {
    let folded = super::fold(word, super::Tier::Script);
    stem(&folded, lang).into_owned()
}

/// `word` without the longest of `endings` that leaves at least [`MIN_STEM_CHARS`] letters
/// and that `allowed` accepts (given the stem that would remain and the ending).
fn strip_longest<'a>(word: &'a str, endings: &[&str], allowed: impl Fn(&str, &str) -> bool) -> Option<&'a str> {
    let n_chars = word.chars().count();
    endings
        .iter()
        .filter(|ending| word.ends_with(*ending) && n_chars >= ending.chars().count() + MIN_STEM_CHARS)
        .filter(|ending| allowed(&word[..word.len() - ending.len()], ending))
        .max_by_key(|ending| ending.len())
        .map(|ending| &word[..word.len() - ending.len()])
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// True when the stem ends in a consonant that forms a letter with a following j: Albanian
/// gj, nj; Serbian lj, nj and dj (folded đ).
fn ends_in_digraph_first_half(stem: &str, halves: &[char]) -> bool {
    stem.chars().last().is_some_and(|c| halves.contains(&c))
}

fn stem_albanian(word: &str) -> Cow<'_, str> {
    let mut stem = word;
    for _ in 0..MAX_PASSES {
        // -ja is the definite ending only after a consonant that does not make a letter with
        // j: Shtime → Shtimja, but Atmagjë → Atmagja (gj) and Bellopojë → Bellopoja (j of the
        // stem after a vowel).
        let allowed =
            |rest: &str, ending: &str| ending != "ja" || rest.chars().last().is_some_and(|c| !is_vowel(c)) && !ends_in_digraph_first_half(rest, &['g', 'n']);
        if let Some(stripped) = strip_longest(stem, ALBANIAN_ENDINGS, allowed) {
            stem = stripped;
        } else if (stem.ends_with("jt") || stem.ends_with("jn")) && stem.chars().count() > MIN_STEM_CHARS + 1 {
            // After a vowel or j the definite endings are bare -t and -n: Ferizajt, Ferizajn.
            stem = &stem[..stem.len() - 1];
        } else if stem.ends_with('j')
            && stem.chars().count() > MIN_STEM_CHARS + 1
            && stem.chars().rev().nth(1).is_some_and(|c| !is_vowel(c) && !matches!(c, 'g' | 'n'))
        {
            // A j after a consonant is either the stem's (Bresje, Bresja) or the ending's
            // (Shtime, Shtimja); written alike, both lose it.
            stem = &stem[..stem.len() - 1];
        } else {
            break;
        }
    }
    Cow::Borrowed(stem)
}

fn stem_serbian(word: &str) -> Cow<'_, str> {
    let mut stem = word;
    for _ in 0..MAX_PASSES {
        // -ju is the instrumental of i-declension nouns after ć (Pećju); elsewhere it is the
        // -u after the j of the stem (Banju, Crepulju, Dedaju, Prilužju).
        let allowed = |rest: &str, ending: &str| ending != "ju" || rest.ends_with('c');
        match strip_longest(stem, SERBIAN_ENDINGS, allowed) {
            Some(stripped) => stem = stripped,
            None => break,
        }
    }
    // Fleeting a (nepostojano a): Uroševac, Uroševca, Uroševcu; Dubočak, Dubočka. The -ac and
    // -ak of the nominative lose their a in every other case, so the stem drops it too.
    let chars: Vec<char> = stem.chars().collect();
    let n_chars = chars.len();
    if n_chars > MIN_STEM_CHARS + 1
        && chars[n_chars - 2] == 'a'
        && matches!(chars[n_chars - 1], 'c' | 'k')
        && !is_vowel(chars[n_chars - 3])
        && chars[n_chars - 3] != 'j'
    {
        let mut without_a: String = chars[..n_chars - 2].iter().collect();
        without_a.push(chars[n_chars - 1]);
        return Cow::Owned(without_a);
    }
    Cow::Borrowed(stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(lang: Lang, forms: &[&str], expected: &str) {
        for form in forms {
            assert_eq!(stem(form, lang), expected, "{form:?} ({lang})");
        }
    }

    /// The forms of one word share a stem, and the stem differs from the stems of `others`.
    fn check_family(lang: Lang, forms: &[&str], others: &[&str]) {
        let family_stem = stem(forms[0], lang);
        for form in forms {
            assert_eq!(stem(form, lang), family_stem, "{form:?} vs {:?} ({lang})", forms[0]);
        }
        for other in others {
            assert_ne!(stem(other, lang), family_stem, "{other:?} merged with {:?} ({lang})", forms[0]);
        }
    }

    #[test]
    fn albanian_place_names() {
        check(Lang::Sq, &["prishtine", "prishtina", "prishtines", "prishtinen"], "prisht");
        check(Lang::Sq, &["prizren", "prizreni", "prizrenit", "prizrenin"], "prizr");
        check(Lang::Sq, &["peje", "peja", "pejes", "pejen"], "pej");
        check(Lang::Sq, &["kacanik", "kacaniku", "kacanikut", "kacanikun"], "kacanik");
        check(Lang::Sq, &["ferizaj", "ferizaji", "ferizajt", "ferizajn"], "ferizaj");
        check(Lang::Sq, &["viti", "vitia", "vitise"], "vit");
        check(Lang::Sq, &["shtime", "shtimja", "shtimes", "shtimen"], "shtim");
        check(Lang::Sq, &["bresje", "bresja", "bresjes"], "bres");
        check(Lang::Sq, &["gjakove", "gjakova", "gjakoves", "gjakoven"], "gjakov");
        check(Lang::Sq, &["berkove", "berkova", "berkoves"], "berkov");
        check(Lang::Sq, &["atmagje", "atmagja", "atmagjes"], "atmagj");
        check_family(Lang::Sq, &["zvecan", "zvecani", "zvecanit", "zvecanin"], &["zveqan"]);
        check_family(Lang::Sq, &["gjilan", "gjilani", "gjilanit", "gjilanin"], &["gjakove", "gjinoc"]);
        check_family(Lang::Sq, &["mitrovice", "mitrovica", "mitrovices", "mitrovicen"], &["mitrovc"]);
        check_family(Lang::Sq, &["podujeve", "podujeva", "podujeves"], &["prishtine", "pristine"]);
    }

    #[test]
    fn albanian_common_nouns() {
        check_family(Lang::Sq, &["komune", "komuna", "komunes", "komunen"], &["kombi", "kompani"]);
        check_family(Lang::Sq, &["qytet", "qyteti", "qytetit", "qytetin", "qytetet"], &["qytetar"]);
        check_family(Lang::Sq, &["gjuhe", "gjuha", "gjuhes", "gjuhen", "gjuhet"], &["gjykate"]);
    }

    #[test]
    fn serbian_place_names() {
        check(Lang::Sr, &["prizren", "prizrena", "prizrenu", "prizrenom"], "prizren");
        check(Lang::Sr, &["pristina", "pristini", "pristine", "pristinu", "pristinom"], "pristin");
        check(Lang::Sr, &["pec", "peci", "pecju"], "pec");
        check(Lang::Sr, &["gnjilane", "gnjilana", "gnjilanu", "gnjilanom"], "gnjilan");
        check(Lang::Sr, &["urosevac", "urosevca", "urosevcu", "urosevcem"], "urosevc");
        check(Lang::Sr, &["kosovo", "kosova", "kosovu", "kosovom"], "kosov");
        check(Lang::Sr, &["opstina", "opstini", "opstine", "opstinu", "opstinom"], "opstin");
        check(Lang::Sr, &["dubocak", "dubocka", "dubocku", "dubockom"], "dubock");
        check(Lang::Sr, &["adzici", "adzica", "adzicima", "adzice"], "adzic");
        check(Lang::Sr, &["banjska", "banjske", "banjskoj", "banjsku", "banjskom"], "banjsk");
        check(Lang::Sr, &["djakovica", "djakovice", "djakovici"], "djakovic");
        check(Lang::Sr, &["banja", "banju", "banjom"], "banj");
        check(Lang::Sr, &["priluzje", "priluzja", "priluzju", "priluzjem"], "priluzj");
        check(Lang::Sr, &["dedaj", "dedaja", "dedaju"], "dedaj");
        check(Lang::Sr, &["beleg", "belega", "belegu", "belegom"], "bel");
        check_family(Lang::Sr, &["dragoljevci", "dragoljevaca", "dragoljevcima"], &["dragodan"]);
    }

    #[test]
    fn short_words_are_kept() {
        check(Lang::Sq, &["dhe"], "dhe");
        check(Lang::Sq, &["nga"], "nga");
        check(Lang::Sq, &["te"], "te");
        check(Lang::Sr, &["je"], "je");
        check(Lang::Sr, &["od"], "od");
        check(Lang::Sr, &["lipa"], "lip");
        check(Lang::Sr, &["ime"], "ime");
        check(Lang::Sq, &[""], "");
    }

    #[test]
    fn other_languages_are_unchanged_and_borrowed() {
        assert!(matches!(stem("municipalities", Lang::En), Cow::Borrowed("municipalities")));
        assert!(matches!(stem("belediyesi", Lang::Tr), Cow::Borrowed("belediyesi")));
        assert!(matches!(stem("prizrenit", Lang::Sq), Cow::Borrowed("prizr")));
    }

    #[test]
    fn bosnian_declines_like_serbian() {
        assert_eq!(stem("opcini", Lang::Bs), stem("opcina", Lang::Bs));
    }

    #[test]
    fn stem_word_folds_first() {
        assert_eq!(stem_word("Uroševcu", Lang::Sr), "urosevc");
        assert_eq!(stem_word("Урошевцу", Lang::Sr), "urosevc");
        assert_eq!(stem_word("Gjakovës", Lang::Sq), "gjakov");
        assert_eq!(stem_word("GJAKOVË", Lang::Sq), "gjakov");
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_stemmed_without_panic(word in "\\PC{0,16}") {
            for lang in Lang::ALL {
                let stemmed = stem(&word, lang);
                proptest::prop_assert!(stemmed.len() <= word.len());
                let _ = stem_word(&word, lang);
            }
        }

        #[test]
        fn stems_are_prefixes_or_fleeting_a_and_stable_in_length(word in "[a-z]{0,12}") {
            for lang in [Lang::Sq, Lang::Sr] {
                let stemmed = stem(&word, lang);
                proptest::prop_assert!(stemmed.len() <= word.len());
                if stemmed.len() < word.len() {
                    proptest::prop_assert!(stemmed.chars().count() >= MIN_STEM_CHARS);
                }
            }
        }
    }
}
