//! Inflected forms of term words, so that "komunës" finds "komunë" and "opštini" finds
//! "opština" whatever the general-purpose stemmer does.
//!
//! A table of endings per language says which endings an inflected form may have in place of
//! the ending of a term word as the term base writes it (its base form). Everything happens on
//! comparison keys (case-folded, Cyrillic transliterated, diacritics dropped: "komunës" is
//! "komunes"), so one table serves both Serbian scripts and text typed without diacritics.
//! Rather than generating every form of every term word, [`bases`] goes the other way: it
//! strips each form ending a word may have, puts back each base ending, and keeps the
//! candidates that are words of some term in that language. A candidate is only ever a word
//! the term base holds, so the table may over-generate (a rule that makes no real form of a
//! word costs nothing) but never invents a word.
//!
//! The table covers noun and adjective declension and the commonest verb forms; it does not
//! model stem changes beyond the listed ones (sibilarisation k/g/h → c/z/s before -i, fleeting
//! a, Albanian ë-drop before the definite ending) and knows nothing of word meaning, so two
//! term words that inflect into one another collide (rare in a term base). Turkish has no table yet.
//!
//! Sources: Albanian declension after *Gramatika e gjuhës shqipe* I (Akademia e Shkencave e
//! Shqipërisë, 2002), the noun classes and the definite and oblique endings -a/-i/-u, -n, -s/-t,
//! -ve; Serbian after Stanojčić & Popović, *Gramatika srpskoga jezika* (Zavod za udžbenike),
//! the a-, e- and i-declension and adjective endings.

use std::collections::HashMap;

use crate::model::lang::Lang;

/// One rule: a base ending (as the term base writes the word, on comparison keys) and the
/// endings inflected forms have in its place. An empty base ending applies after a consonant.
struct Rule {
    base: &'static str,
    forms: &'static [&'static str],
}

const fn rule(base: &'static str, forms: &'static [&'static str]) -> Rule {
    Rule { base, forms }
}

/// Albanian, on keys (ë → e, ç → c).
const ALBANIAN: &[Rule] = &[
    // Feminine in -ë/-e (komunë, gjuhë, zgjedhje): komuna, komunën, komunës, komunat, komunave.
    rule("e", &["a", "en", "es", "at", "ave", "ash", "et", "eve", "esh", "ja", "jen", "jes"]),
    // Feminine definite as base (Republika, Gjykata): Republikës, Republikën, Republikat.
    rule("a", &["e", "es", "en", "at", "ave", "ash"]),
    // Feminine in -ia (Qeveria, Ministria, Agjencia): Qeverisë, Qeverinë, Qeveri.
    rule("ia", &["ise", "ine", "i", "ite", "ive", "ia"]),
    // Feminine in -i (shtetësi, popullsi) and masculine definite in -i (Kuvendi, Ligji).
    rule("i", &["ia", "ine", "ise", "ite", "ive", "in", "it", "", "e", "et", "eve", "a", "at", "ave"]),
    // Masculine after a consonant (ligj, vendim, qytetar): ligji, ligjin, ligjit, ligje, ligjet, ligjeve.
    rule("", &["i", "in", "it", "e", "et", "eve", "esh", "a", "at", "ave", "ash", "u", "un", "ut", "ra", "rat", "rave"]),
    // Masculine definite in -u after k, g, h (Kreu, fshatit is above): -un, -ut.
    rule("u", &["un", "ut", ""]),
    // Nouns in -ër drop the ë before endings (kadastër → kadastri, regjistër → regjistrin, numër → numri).
    rule("er", &["ri", "rin", "rit", "ra", "rat", "rave", "rash"]),
    // Plural definite as base (dispozitat, të drejtat): dispozitave, dispozita.
    rule("at", &["ave", "a", "ash"]),
    rule("et", &["eve", "e", "esh"]),
    // Verbs in -oj, -aj (miratoj, nënshkruaj): miraton, miratuar, miratohet, nënshkruan, nënshkruar.
    rule("oj", &["on", "ojme", "oni", "ojne", "oi", "uar", "ohet", "ohen", "ova"]),
    rule("aj", &["an", "ajme", "ani", "ajne", "ar", "ajti", "ahet", "ahen"]),
];

/// Serbian and Bosnian, on keys (č ć → c, š → s, ž → z, đ → d, Cyrillic → Latin).
const SERBIAN: &[Rule] = &[
    // a-declension and feminine adjectives (opština, lokalna): opštine, opštini, opštinu,
    // opštinom, opštino, opštinama; lokalnoj, lokalnih, lokalnim.
    rule("a", &["e", "i", "u", "om", "o", "ama", "oj", "ih", "im", "ima"]),
    // Sibilarisation before dative/locative -i (preporuka → preporuci, Republika → Republici).
    rule("ka", &["ci"]),
    rule("ga", &["zi"]),
    rule("ha", &["si"]),
    // Neuter in -o (selo, Kosovo): sela, selu, selom, selima.
    rule("o", &["a", "u", "om", "ima", "e"]),
    // Neuter in -e and plural adjectives (stanje, prebivalište, opšte): stanja, stanju, stanjem; opštih.
    rule("e", &["a", "u", "em", "ima", "ih", "im", "ama"]),
    // Masculine after a consonant (zakon, sud, član) and the i-declension (Peć, nadležnost):
    // zakona, zakonu, zakonom, zakoni, zakone, zakonima, sudovi, sudova; Peći, Peću.
    rule("", &["a", "u", "om", "em", "e", "i", "ima", "ovi", "ova", "ove", "ovima", "evi", "eva", "eve", "evima"]),
    // Sibilarisation in the plural (predsednik → predsednici, jezik → jezicima).
    rule("k", &["ci", "cima", "ce"]),
    rule("g", &["zi", "zima"]),
    rule("h", &["si", "sima"]),
    // i-declension instrumental (nadležnost → nadležnošću, key "nadleznoscu").
    rule("st", &["scu"]),
    // -in drops in the plural (građanin → građani, građana).
    rule("in", &["i", "a", "ima", "e"]),
    // Fleeting a (katastar → katastra, sastanak → sastanka, Orahovac → Orahovca,
    // prevodilac → prevodioca).
    rule("ar", &["ra", "ru", "rom", "ri", "re", "rima"]),
    rule("ak", &["ka", "ku", "kom", "ci", "ke", "cima"]),
    rule("ac", &["ca", "cu", "cem", "ci", "ce", "cima"]),
    rule("lac", &["oca", "ocu", "ocem", "oci", "oce", "laca", "ocima"]),
    // Masculine definite adjectives (službeni, opštinski): službenog, službenom, službenim,
    // službena, službene, službenoj, službenu, službenih.
    rule("i", &["og", "oga", "om", "omu", "im", "ima", "a", "e", "u", "ih", "oj"]),
    // Indefinite adjectives with fleeting a (dvojezičan, ravnopravan): dvojezična, dvojezičnog.
    rule("an", &["na", "ne", "ni", "nu", "no", "nog", "nom", "nim", "nih", "noj"]),
    // Verbs: infinitive to present and participles (usvojiti → usvaja is suppletive and not
    // covered; stupiti → stupio, stupila; potpisati → potpisao, potpisan; doneti → doneo).
    rule("iti", &["io", "ila", "ilo", "ili", "ile", "im", "is", "i", "imo", "ite", "e", "en", "ena", "eno"]),
    rule("ati", &["ao", "ala", "alo", "ali", "ale", "am", "as", "a", "amo", "ate", "aju", "an", "ana", "ano"]),
    rule("eti", &["eo", "ela", "elo", "eli", "ele", "em", "es", "e", "emo", "ete", "u", "et", "eta"]),
];

/// English: plurals, third person, participles.
const ENGLISH: &[Rule] = &[rule("", &["s", "es", "ed", "ing"]), rule("y", &["ies", "ied"]), rule("e", &["es", "ed", "ing", "s"])];

fn rules(lang: Lang) -> &'static [Rule] {
    match lang {
        Lang::Sq => ALBANIAN,
        Lang::Sr | Lang::Bs => SERBIAN,
        Lang::En => ENGLISH,
        Lang::Tr => &[],
    }
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// For each language, inflected-form ending → base endings it may replace, built once.
pub(crate) struct Inflector {
    by_form: [HashMap<&'static str, Vec<&'static str>>; 5],
    longest_form: usize,
}

fn lang_slot(lang: Lang) -> usize {
    match lang {
        Lang::Sq => 0,
        Lang::Sr => 1,
        Lang::En => 2,
        Lang::Tr => 3,
        Lang::Bs => 4,
    }
}

impl Inflector {
    pub(crate) fn new() -> Inflector {
        let mut by_form: [HashMap<&'static str, Vec<&'static str>>; 5] = Default::default();
        let mut longest_form = 0;
        for lang in Lang::ALL {
            let map = &mut by_form[lang_slot(lang)];
            for rule in rules(lang) {
                for form in rule.forms {
                    longest_form = longest_form.max(form.len());
                    let bases = map.entry(*form).or_default();
                    if !bases.contains(&rule.base) {
                        bases.push(rule.base);
                    }
                }
            }
        }
        Inflector { by_form, longest_form }
    }

    /// Calls `found` with each candidate base form of the key `word` in `lang` (never `word`
    /// itself); `is_word` says whether a candidate is a term word of that language.
    pub(crate) fn bases(&self, word: &str, lang: Lang, mut is_word: impl FnMut(&str) -> bool, mut found: impl FnMut(&str)) {
        let map = &self.by_form[lang_slot(lang)];
        if map.is_empty() {
            return;
        }
        let mut candidate = String::with_capacity(word.len() + 4);
        for form_len in 0..=self.longest_form.min(word.len()) {
            let cut = word.len() - form_len;
            if !word.is_char_boundary(cut) {
                continue;
            }
            let (stem, form) = word.split_at(cut);
            // A base must keep at least two characters of the word.
            if stem.chars().count() < 2 {
                continue;
            }
            let Some(base_endings) = map.get(form) else { continue };
            for base_ending in base_endings {
                if base_ending.is_empty() && stem.chars().last().is_none_or(|c| is_vowel(c) || !c.is_alphabetic()) {
                    continue;
                }
                candidate.clear();
                candidate.push_str(stem);
                candidate.push_str(base_ending);
                if candidate != word && is_word(&candidate) {
                    found(&candidate);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(word: &str, lang: Lang, vocabulary: &[&str], expected: &[&str]) {
        let inflector = Inflector::new();
        let mut found = Vec::new();
        inflector.bases(word, lang, |candidate| vocabulary.contains(&candidate), |base| found.push(base.to_string()));
        found.sort();
        found.dedup();
        assert_eq!(found, expected, "{word} ({lang})");
    }

    #[test]
    fn albanian() {
        let words = ["komune", "kuvendi", "republika", "kosoves", "qeveria", "ligj", "shtetesi", "kadaster", "drejtat", "miratoj", "gjuhe"];
        check("komunes", Lang::Sq, &words, &["komune"]);
        check("komunen", Lang::Sq, &words, &["komune"]);
        check("komunave", Lang::Sq, &words, &["komune"]);
        check("kuvendit", Lang::Sq, &words, &["kuvendi"]);
        check("kuvend", Lang::Sq, &words, &["kuvendi"]);
        check("republikes", Lang::Sq, &words, &["republika"]);
        check("qeverise", Lang::Sq, &words, &["qeveria"]);
        check("ligjit", Lang::Sq, &words, &["ligj"]);
        check("ligjeve", Lang::Sq, &words, &["ligj"]);
        check("shtetesise", Lang::Sq, &words, &["shtetesi"]);
        check("kadastrit", Lang::Sq, &words, &["kadaster"]);
        check("drejtave", Lang::Sq, &words, &["drejtat"]);
        check("miraton", Lang::Sq, &words, &["miratoj"]);
        check("gjuhet", Lang::Sq, &words, &["gjuhe"]);
        check("komunes", Lang::Sr, &words, &[]);
    }

    #[test]
    fn serbian() {
        let words = [
            "opstina",
            "zakon",
            "jezik",
            "sluzbeni",
            "selo",
            "stanje",
            "katastar",
            "gradanin",
            "prevodilac",
            "nadleznost",
            "republika",
            "dvojezican",
            "stupiti",
            "orahovac",
        ];
        check("opstini", Lang::Sr, &words, &["opstina"]);
        check("opstinom", Lang::Sr, &words, &["opstina"]);
        check("opstinama", Lang::Sr, &words, &["opstina"]);
        check("zakona", Lang::Sr, &words, &["zakon"]);
        check("zakonima", Lang::Sr, &words, &["zakon"]);
        check("jezicima", Lang::Sr, &words, &["jezik"]);
        check("sluzbenog", Lang::Sr, &words, &["sluzbeni"]);
        check("selu", Lang::Sr, &words, &["selo"]);
        check("stanjem", Lang::Sr, &words, &["stanje"]);
        check("katastra", Lang::Sr, &words, &["katastar"]);
        check("gradani", Lang::Sr, &words, &["gradanin"]);
        check("prevodioca", Lang::Sr, &words, &["prevodilac"]);
        check("nadleznoscu", Lang::Sr, &words, &["nadleznost"]);
        check("republici", Lang::Sr, &words, &["republika"]);
        check("dvojezicne", Lang::Sr, &words, &["dvojezican"]);
        check("stupio", Lang::Sr, &words, &["stupiti"]);
        check("orahovca", Lang::Sr, &words, &["orahovac"]);
        check("opstina", Lang::Sr, &words, &[]);
    }

    #[test]
    fn english_and_edges() {
        check("municipalities", Lang::En, &["municipality"], &["municipality"]);
        check("decisions", Lang::En, &["decision"], &["decision"]);
        check("issued", Lang::En, &["issue"], &["issue"]);
        check("a", Lang::Sq, &["a"], &[]);
        check("", Lang::Sr, &[""], &[]);
        check("ёжик", Lang::Sr, &["ёжика"], &[]);
        check("kitap", Lang::Tr, &["kitap"], &[]);
    }
}
