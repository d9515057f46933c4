//! Words that are spelled right though a Hunspell dictionary may not know them: the official
//! place names in every form the gazetteer knows, and the terms of the term base.
//!
//! The `spelling` check asks these after the dictionary, so an official name ("Gjakovë",
//! "Ђаковица", "Prishtinës") or an approved term is never reported as a misspelling. Place
//! names are read once a process from the shipped gazetteer ([`KnownWords::gazetteer`]):
//! the official names in every language and script, the forms the audit's mention finder
//! knows (generated inflections, attested variants), and the fuller Albanian and Serbian
//! declensions of `places::inflect` (in Cyrillic too). Terms are added by whoever holds a term
//! base (the audit's house terms, the proofreader's term index), each word with its stem
//! ([`crate::text::stem::stem_word`]), so that an inflected term is known as well.
//!
//! The names of languages, countries and their regions, scripts and currencies that Debian's
//! `iso-codes` translates ([`IsoNames`]: "Asameze", "Svaziland", "Кудавадски") are read the same
//! way from the gettext catalogues `iso_639-2.mo`, `iso_3166-1.mo` … under
//! `/usr/share/locale/{sq,sr,sr@latin}/LC_MESSAGES` (or `TERMBRIDGE_LOCALE_DIR`, or the audit's
//! `locale_dir`): system data like the dictionaries, never copied into the repository. A
//! missing catalogue leaves that source off; a corrupt one is skipped and named in
//! [`IsoNames::problems`]. Serbian names are added in both scripts.
//!
//! Deliberately not here: misspelt and diacritic-less forms of names (attested variants that
//! the place-name and missing-diacritics checks report), and forbidden or deprecated terms.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use crate::model::lang::Lang;
use crate::text::stem::stem_word;

use super::vocabulary::words;

/// The fewest letters a term word has for its stem to stand for its inflected forms: the stem
/// of a shorter word matches too many other words.
const MIN_STEMMED_CHARS: usize = 5;

/// Lowercase words known to be spelled right, and the stems of term words.
#[derive(Debug, Clone, Default)]
pub struct KnownWords {
    words: HashSet<String>,
    stems: HashSet<(Lang, String)>,
}

impl KnownWords {
    /// The words of the shipped gazetteer's place names, in every known form (built on first
    /// use and kept for the process).
    pub fn gazetteer() -> &'static KnownWords {
        static GAZETTEER: OnceLock<KnownWords> = OnceLock::new();
        GAZETTEER.get_or_init(|| {
            let mut known = KnownWords::default();
            let names = super::resources().places;
            for form in names.correct_forms() {
                known.add_name(form);
            }
            for place in crate::places::Gazetteer::shipped().places() {
                for name in [&place.name_sq, &place.name_sr_latn, &place.name_sr_cyrl, &place.name_tr, &place.name_bs] {
                    known.add_name(name);
                }
                for form in crate::places::albanian_forms(&place.name_sq) {
                    known.add_name(&form);
                }
                for form in crate::places::serbian_forms(&place.name_sr_latn) {
                    known.add_name(&crate::text::lat_to_cyr(&form));
                    known.add_name(&form);
                }
            }
            known
        })
    }

    /// Adds the words of a name (any language or script), as written.
    pub fn add_name(&mut self, name: &str) {
        for (_, word) in words(name) {
            self.words.insert(word.to_lowercase());
        }
    }

    /// Adds the words of a term in `lang`, with the stems of the longer ones.
    pub fn add_term(&mut self, lang: Lang, term: &str) {
        for (_, word) in words(term) {
            let lowered = word.to_lowercase();
            if lowered.chars().count() >= MIN_STEMMED_CHARS && matches!(lang, Lang::Sq | Lang::Sr | Lang::Bs) {
                self.stems.insert((stem_lang(lang), stem_word(&lowered, lang)));
            }
            self.words.insert(lowered);
        }
    }

    /// True when `word` (any case) is one of the words, or in `lang` an inflected form of a
    /// term word.
    ///
    /// ```
    /// use termbridge::audit::KnownWords;
    /// use termbridge::model::lang::Lang;
    /// let mut known = KnownWords::default();
    /// known.add_term(Lang::Sq, "fjalëkalim");
    /// assert!(known.contains(Lang::Sq, "Fjalëkalimin"));
    /// assert!(!known.contains(Lang::Sr, "Fjalëkalimin"));
    /// ```
    pub fn contains(&self, lang: Lang, word: &str) -> bool {
        let lowered = word.to_lowercase();
        if self.words.contains(&lowered) {
            return true;
        }
        !self.stems.is_empty()
            && lowered.chars().count() >= MIN_STEMMED_CHARS
            && matches!(lang, Lang::Sq | Lang::Sr | Lang::Bs)
            && self.stems.contains(&(stem_lang(lang), stem_word(&lowered, lang)))
    }

    /// True when nothing is known.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

/// The directory of gettext catalogues read when neither `TERMBRIDGE_LOCALE_DIR` nor a
/// configured one is given.
pub const SYSTEM_LOCALE_DIR: &str = "/usr/share/locale";

/// The environment variable that overrides [`SYSTEM_LOCALE_DIR`].
pub const LOCALE_DIR_ENV: &str = "TERMBRIDGE_LOCALE_DIR";

/// The `iso-codes` catalogues read: languages (ISO 639-2, 639-3, 639-5), countries, their
/// regions and former countries (ISO 3166-1, 3166-2, 3166-3), scripts (ISO 15924) and
/// currencies (ISO 4217).
const ISO_DOMAINS: &[&str] = &["iso_639-2", "iso_639-3", "iso_639-5", "iso_3166-1", "iso_3166-2", "iso_3166-3", "iso_15924", "iso_4217"];

/// The translated names of `iso-codes`, as words a dictionary may lack.
#[derive(Debug, Default)]
pub struct IsoNames {
    sq: KnownWords,
    sr: KnownWords,
    /// The catalogues that were there but could not be read, each with why.
    pub problems: Vec<String>,
}

impl IsoNames {
    /// The names under `dir` (`dir/sq/LC_MESSAGES/iso_639-2.mo` …); catalogues that are absent
    /// are off, corrupt ones are skipped and listed in [`IsoNames::problems`].
    pub fn load(dir: &Path) -> IsoNames {
        let mut names = IsoNames::default();
        for (locale, lang) in [("sq", Lang::Sq), ("sr", Lang::Sr), ("sr@latin", Lang::Sr)] {
            for domain in ISO_DOMAINS {
                let path = dir.join(locale).join("LC_MESSAGES").join(format!("{domain}.mo"));
                if !path.is_file() {
                    continue;
                }
                let entries = match crate::formats::mo::read_mo(&path) {
                    Ok(entries) => entries,
                    Err(error) => {
                        names.problems.push(error.to_string());
                        continue;
                    }
                };
                let known = if lang == Lang::Sq { &mut names.sq } else { &mut names.sr };
                for entry in entries.iter().filter(|entry| !entry.original.is_empty()) {
                    for name in &entry.translations {
                        known.add_name(name);
                        // Serbian writes both scripts; the catalogues are translated into each
                        // separately and not always alike.
                        if lang == Lang::Sr {
                            known.add_name(&crate::text::cyr_to_lat(name));
                            known.add_name(&crate::text::lat_to_cyr(name));
                        }
                    }
                }
            }
        }
        names
    }

    /// The names of `dir`, or of `TERMBRIDGE_LOCALE_DIR`, else [`SYSTEM_LOCALE_DIR`], when `dir`
    /// is `None`: read once a directory and kept for the process.
    pub fn at(dir: Option<&Path>) -> &'static IsoNames {
        static DIRS: Mutex<Vec<(PathBuf, &'static IsoNames)>> = Mutex::new(Vec::new());
        let dir = dir.map_or_else(
            || std::env::var_os(LOCALE_DIR_ENV).filter(|dir| !dir.is_empty()).map_or_else(|| PathBuf::from(SYSTEM_LOCALE_DIR), PathBuf::from),
            Path::to_path_buf,
        );
        // A poisoned lock only means another thread panicked while pushing; the list is intact.
        let mut dirs = DIRS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((_, names)) = dirs.iter().find(|(known_dir, _)| *known_dir == dir) {
            return names;
        }
        // Leaked on purpose: one per directory, kept for the process like the dictionaries.
        let names: &'static IsoNames = Box::leak(Box::new(IsoNames::load(&dir)));
        for problem in &names.problems {
            tracing::warn!(%problem, "a catalogue of iso-codes names is skipped");
        }
        dirs.push((dir, names));
        names
    }

    /// True when `word` (any case) is a word of a name in `lang` (Serbian: either script).
    pub fn contains(&self, lang: Lang, word: &str) -> bool {
        match lang {
            Lang::Sq => self.sq.contains(lang, word),
            Lang::Sr | Lang::Bs => self.sr.contains(lang, word),
            _ => false,
        }
    }

    /// True when no catalogue gave a name.
    pub fn is_empty(&self) -> bool {
        self.sq.is_empty() && self.sr.is_empty()
    }
}

/// Bosnian shares the Serbian declension (and its stems).
fn stem_lang(lang: Lang) -> Lang {
    if lang == Lang::Bs { Lang::Sr } else { lang }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gazetteer_knows_names_in_every_form_and_script() {
        let known = KnownWords::gazetteer();
        for word in ["Gjakovë", "Gjakovës", "Gjakovën", "Đakovica", "Đakovici", "Ђаковица", "Ђаковици", "Prishtinës", "Uroševcu", "Podujevë"]
        {
            assert!(known.contains(Lang::Sq, word), "{word}");
        }
        assert!(!known.contains(Lang::Sq, "Gjakovëss"));
    }

    #[test]
    fn iso_names_are_read_from_the_catalogues_of_each_language() {
        use crate::formats::mo::{MoEntry, write_mo};
        let dir = std::env::temp_dir().join(format!("termbridge-iso-{}", std::process::id()));
        let entry = |original: &str, translated: &str| MoEntry { context: None, original: original.into(), translations: vec![translated.into()] };
        for (locale, domain, entries) in [
            ("sq", "iso_639-2", vec![entry("", "Content-Type: text/plain; charset=UTF-8"), entry("Assamese", "Asameze")]),
            ("sq", "iso_3166-1", vec![entry("Eswatini", "Svaziland")]),
            ("sr", "iso_639-3", vec![entry("Kudavadi", "Кудавадски")]),
            ("sr@latin", "iso_15924", vec![entry("Manichaean", "Maničanski")]),
        ] {
            let folder = dir.join(locale).join("LC_MESSAGES");
            std::fs::create_dir_all(&folder).unwrap();
            std::fs::write(folder.join(format!("{domain}.mo")), write_mo(&entries)).unwrap();
        }
        std::fs::write(dir.join("sq/LC_MESSAGES/iso_4217.mo"), b"broken").unwrap();
        let names = IsoNames::load(&dir);
        assert!(names.contains(Lang::Sq, "Asameze") && names.contains(Lang::Sq, "svaziland"));
        assert!(!names.contains(Lang::Sr, "Asameze"), "Albanian names are Albanian words only");
        for word in ["Кудавадски", "Kudavadski", "Maničanski", "Маничански"] {
            assert!(names.contains(Lang::Sr, word), "{word}");
        }
        assert!(!names.contains(Lang::Sq, "Content"), "the header is not a name");
        assert_eq!(names.problems.len(), 1);
        assert!(names.problems[0].contains("iso_4217.mo"), "{:?}", names.problems);
        std::fs::remove_dir_all(&dir).unwrap();
        // Without the catalogues the source is off, not an error.
        let none = IsoNames::load(Path::new("/nonexistent-locale"));
        assert!(none.is_empty() && none.problems.is_empty());
    }

    #[test]
    fn a_term_is_known_in_its_inflected_forms() {
        let mut known = KnownWords::default();
        known.add_term(Lang::Sr, "upravni postupak");
        assert!(known.contains(Lang::Sr, "postupka"));
        assert!(known.contains(Lang::Sr, "Upravnog"));
        assert!(known.contains(Lang::Sr, "upravni"));
        assert!(!known.contains(Lang::Sr, "postupci"), "sound changes inside the stem are not undone");
    }
}
