//! Which words exist: the Hunspell dictionaries of Albanian, Serbian (Cyrillic and Latin) and
//! English, read with the `spellbook` crate.
//!
//! The dictionaries are system data, not shipped: Debian's `hunspell-sr` (`sr_RS` in Cyrillic,
//! `sr_Latn_RS` in Latin), `myspell-sq` (`sq_AL`) and `hunspell-en-us` (`en_US`) install them in
//! `/usr/share/hunspell`. [`Lexicon::system`] reads that directory, or the one named by the
//! `TERMBRIDGE_DICT_DIR` environment variable; [`Lexicon::new`] reads any other. Each
//! dictionary is parsed on first use (a Serbian one takes about 0.15 s of CPU and 28 MiB) and kept
//! for the life of the process. A missing or unreadable dictionary is not an error for the
//! caller: [`Lexicon::get`] says why it is off, and features that use it fall back to what
//! they did without it ([`Lexicon::status`] lists every dictionary for a message).
//!
//! Dictionaries declare their character set in the affix file (`SET ISO8859-1` for Albanian);
//! both files are decoded with `encoding_rs` before parsing.
//!
//! [`SerbianWords`] is what Latin→Cyrillic transliteration asks of them (see
//! [`crate::text::translit::WordKnowledge`]): whether a Cyrillic spelling is a Serbian word, and
//! whether a Latin word is English and not Serbian.
//!
//! [`Lexicon::at`] keeps one [`Lexicon`] a directory for the life of the process, so that a
//! configured directory (the audit's `dict_dir`) is read once however many audits use it;
//! [`DictLang::for_text`] names the dictionary of a text's language and script, and
//! [`Lexicon::is_english`] is the one loanword test of the checks that use the dictionaries.
//!
//! Deliberately not here: words added at run time (term-base terms, place names) and the
//! policy of which unknown words to report; the checks that need them build on this module.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use spellbook::Dictionary;

use crate::model::lang::Lang;
use crate::text::script::Script;
use crate::text::translit::WordKnowledge;

/// The directory read when neither `TERMBRIDGE_DICT_DIR` nor an explicit directory is given.
pub const SYSTEM_DICT_DIR: &str = "/usr/share/hunspell";

/// The environment variable that overrides [`SYSTEM_DICT_DIR`].
pub const DICT_DIR_ENV: &str = "TERMBRIDGE_DICT_DIR";

/// One of the dictionaries termbridge reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DictLang {
    /// Albanian, `sq_AL` (Debian `myspell-sq`).
    Sq,
    /// Serbian in Cyrillic, `sr_RS` (Debian `hunspell-sr`).
    SrCyrl,
    /// Serbian in Latin, `sr_Latn_RS` (Debian `hunspell-sr`).
    SrLatn,
    /// English, `en_US` (Debian `hunspell-en-us`).
    En,
}

impl DictLang {
    /// Every dictionary, in a fixed order.
    pub const ALL: [DictLang; 4] = [DictLang::Sq, DictLang::SrCyrl, DictLang::SrLatn, DictLang::En];

    /// The file name without `.aff` / `.dic`.
    pub fn file_stem(self) -> &'static str {
        match self {
            DictLang::Sq => "sq_AL",
            DictLang::SrCyrl => "sr_RS",
            DictLang::SrLatn => "sr_Latn_RS",
            DictLang::En => "en_US",
        }
    }

    /// The BCP 47 tag of the language and script.
    pub fn tag(self) -> &'static str {
        match self {
            DictLang::Sq => "sq",
            DictLang::SrCyrl => "sr-Cyrl",
            DictLang::SrLatn => "sr-Latn",
            DictLang::En => "en",
        }
    }

    /// The Debian package that installs it.
    pub fn package(self) -> &'static str {
        match self {
            DictLang::Sq => "myspell-sq",
            DictLang::SrCyrl | DictLang::SrLatn => "hunspell-sr",
            DictLang::En => "hunspell-en-us",
        }
    }

    /// The dictionary of text in `lang` written in `script`: Albanian, Serbian in its script
    /// (Bosnian in Latin shares the Serbian Latin one), English; `None` for other languages
    /// and for words that are not in one script.
    ///
    /// ```
    /// use termbridge::lexicon::DictLang;
    /// use termbridge::model::lang::Lang;
    /// use termbridge::text::script::Script;
    /// assert_eq!(DictLang::for_text(Lang::Sr, Script::Cyrl), Some(DictLang::SrCyrl));
    /// assert_eq!(DictLang::for_text(Lang::Sq, Script::Cyrl), None);
    /// ```
    pub fn for_text(lang: Lang, script: Script) -> Option<DictLang> {
        match (lang, script) {
            (Lang::Sq, Script::Latn) => Some(DictLang::Sq),
            (Lang::Sr, Script::Cyrl) => Some(DictLang::SrCyrl),
            (Lang::Sr | Lang::Bs, Script::Latn) => Some(DictLang::SrLatn),
            (Lang::En, Script::Latn) => Some(DictLang::En),
            _ => None,
        }
    }

    fn slot(self) -> usize {
        match self {
            DictLang::Sq => 0,
            DictLang::SrCyrl => 1,
            DictLang::SrLatn => 2,
            DictLang::En => 3,
        }
    }
}

impl fmt::Display for DictLang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

/// Why a dictionary is off.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LexiconError {
    #[error("{path}: no such dictionary file (install the Debian package {package})")]
    Missing { path: PathBuf, package: &'static str },
    #[error("{path}: cannot read: {reason}")]
    Read { path: PathBuf, reason: String },
    #[error("{path}: unknown character set {charset:?} in the SET line")]
    Charset { path: PathBuf, charset: String },
    #[error("{path}: not a Hunspell dictionary: {reason}")]
    Parse { path: PathBuf, reason: String },
}

/// A set of Hunspell dictionaries in one directory, each parsed on first use.
pub struct Lexicon {
    dir: PathBuf,
    slots: [OnceLock<Result<Arc<Dictionary>, LexiconError>>; 4],
}

impl fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Lexicon").field("dir", &self.dir).finish_non_exhaustive()
    }
}

/// Whether one dictionary is on, for messages and `--json` output.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DictStatus {
    /// The language tag (`sq`, `sr-Cyrl`, `sr-Latn`, `en`).
    pub lang: &'static str,
    /// The `.dic` file.
    pub path: PathBuf,
    /// True when the dictionary was read.
    pub on: bool,
    /// Why it is off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Lexicon {
    /// The dictionaries in `dir` (read lazily).
    pub fn new(dir: impl Into<PathBuf>) -> Lexicon {
        Lexicon { dir: dir.into(), slots: Default::default() }
    }

    /// The process-wide dictionaries of `dir` (one [`Lexicon`] a directory, kept for the life
    /// of the process), or [`Lexicon::system`]'s when `dir` is `None`.
    pub fn at(dir: Option<&Path>) -> &'static Lexicon {
        static DIRS: Mutex<Vec<&'static Lexicon>> = Mutex::new(Vec::new());
        let Some(dir) = dir else { return Lexicon::system() };
        // A poisoned lock only means another thread panicked while pushing; the list is intact.
        let mut dirs = DIRS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(lexicon) = dirs.iter().find(|lexicon| lexicon.dir == dir) {
            return lexicon;
        }
        // Leaked on purpose: one per configured directory, kept like the system one.
        let lexicon: &'static Lexicon = Box::leak(Box::new(Lexicon::new(dir)));
        dirs.push(lexicon);
        lexicon
    }

    /// The process-wide dictionaries of `TERMBRIDGE_DICT_DIR`, or of [`SYSTEM_DICT_DIR`].
    pub fn system() -> &'static Lexicon {
        static SYSTEM: OnceLock<Lexicon> = OnceLock::new();
        SYSTEM.get_or_init(|| {
            let dir = std::env::var_os(DICT_DIR_ENV).filter(|dir| !dir.is_empty()).map_or_else(|| PathBuf::from(SYSTEM_DICT_DIR), PathBuf::from);
            Lexicon::new(dir)
        })
    }

    /// The directory the dictionaries are read from.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The dictionary of `lang`, parsed on the first call; the reason it is off otherwise.
    pub fn get(&self, lang: DictLang) -> Result<&Dictionary, &LexiconError> {
        self.slots[lang.slot()].get_or_init(|| load(&self.dir, lang).map(Arc::new)).as_ref().map(|dict| dict.as_ref())
    }

    /// Every dictionary with whether it is on (this reads the ones not read yet).
    pub fn status(&self) -> Vec<DictStatus> {
        DictLang::ALL
            .iter()
            .map(|&lang| {
                let path = self.dir.join(format!("{}.dic", lang.file_stem()));
                match self.get(lang) {
                    Ok(_) => DictStatus { lang: lang.tag(), path, on: true, reason: None },
                    Err(error) => DictStatus { lang: lang.tag(), path, on: false, reason: Some(error.to_string()) },
                }
            })
            .collect()
    }

    /// True when the English dictionary is on and knows `word` (a loanword or product word in
    /// Albanian or Serbian Latin text: "desktop", "shell").
    pub fn is_english(&self, word: &str) -> bool {
        self.get(DictLang::En).is_ok_and(|english| english.check(word))
    }

    /// Why the dictionary of `lang` is off, without reading it when its files are there
    /// (for listings that must not pay for parsing); `None` when both files exist.
    pub fn missing(&self, lang: DictLang) -> Option<LexiconError> {
        ["aff", "dic"]
            .iter()
            .map(|ext| self.dir.join(format!("{}.{ext}", lang.file_stem())))
            .find(|path| !path.is_file())
            .map(|path| LexiconError::Missing { path, package: lang.package() })
    }

    /// What Latin→Cyrillic transliteration may ask, when both Serbian dictionaries are on
    /// (English is optional: without it no word is taken for English).
    pub fn serbian_words(&self) -> Option<SerbianWords<'_>> {
        let cyrillic = self.get(DictLang::SrCyrl).ok()?;
        let latin = self.get(DictLang::SrLatn).ok()?;
        Some(SerbianWords { cyrillic, latin, english: self.get(DictLang::En).ok() })
    }
}

/// Reads one dictionary, decoding both files with the character set of the affix file.
fn load(dir: &Path, lang: DictLang) -> Result<Dictionary, LexiconError> {
    let aff_path = dir.join(format!("{}.aff", lang.file_stem()));
    let dic_path = dir.join(format!("{}.dic", lang.file_stem()));
    let aff_bytes = read(&aff_path, lang)?;
    let dic_bytes = read(&dic_path, lang)?;
    let charset = declared_charset(&aff_bytes).unwrap_or_else(|| "UTF-8".to_string());
    let encoding = encoding_rs::Encoding::for_label(charset.as_bytes()).ok_or_else(|| LexiconError::Charset { path: aff_path.clone(), charset })?;
    let (aff, _, _) = encoding.decode(&aff_bytes);
    let (dic, _, _) = encoding.decode(&dic_bytes);
    Dictionary::new(&aff, &dic).map_err(|error| LexiconError::Parse { path: dic_path, reason: error.to_string() })
}

fn read(path: &Path, lang: DictLang) -> Result<Vec<u8>, LexiconError> {
    std::fs::read(path).map_err(|error| match error.kind() {
        std::io::ErrorKind::NotFound => LexiconError::Missing { path: path.to_path_buf(), package: lang.package() },
        _ => LexiconError::Read { path: path.to_path_buf(), reason: error.to_string() },
    })
}

/// The value of the affix file's `SET` line (ASCII, so it can be read before decoding).
fn declared_charset(aff: &[u8]) -> Option<String> {
    aff.split(|&b| b == b'\n').find_map(|line| {
        let line = std::str::from_utf8(line).ok()?.trim();
        let rest = line.strip_prefix("SET")?;
        rest.starts_with(char::is_whitespace).then(|| rest.trim().to_string())
    })
}

/// The Serbian dictionaries, and English when present, as transliteration asks of them.
#[derive(Clone, Copy)]
pub struct SerbianWords<'a> {
    cyrillic: &'a Dictionary,
    latin: &'a Dictionary,
    english: Option<&'a Dictionary>,
}

impl fmt::Debug for SerbianWords<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SerbianWords").field("english", &self.english.is_some()).finish_non_exhaustive()
    }
}

impl WordKnowledge for SerbianWords<'_> {
    fn is_serbian_cyrillic(&self, word: &str) -> bool {
        self.cyrillic.check(word)
    }

    fn is_serbian_latin(&self, word: &str) -> bool {
        self.latin.check(word)
    }

    fn is_english(&self, word: &str) -> bool {
        self.english.is_some_and(|english| english.check(word))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_set_line_names_the_charset() {
        assert_eq!(declared_charset(b"# comment\nSET ISO8859-1\nTRY abc\n").as_deref(), Some("ISO8859-1"));
        assert_eq!(declared_charset(b"SET UTF-8\r\n").as_deref(), Some("UTF-8"));
        assert_eq!(declared_charset(b"SETTING x\n"), None);
    }

    #[test]
    fn a_missing_dictionary_is_off_with_the_package_to_install() {
        let dir = tempfile::tempdir().expect("temp dir");
        let lexicon = Lexicon::new(dir.path());
        let error = lexicon.get(DictLang::SrCyrl).expect_err("no files");
        assert!(error.to_string().contains("sr_RS.dic") || error.to_string().contains("sr_RS.aff"), "{error}");
        assert!(error.to_string().contains("hunspell-sr"), "{error}");
        assert!(lexicon.serbian_words().is_none());
        assert!(lexicon.status().iter().all(|status| !status.on && status.reason.is_some()));
    }

    #[test]
    fn a_small_latin_1_dictionary_is_decoded_and_read() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("sq_AL.aff"), b"SET ISO8859-1\n").expect("write aff");
        // "për" and "çelës" in ISO 8859-1.
        std::fs::write(dir.path().join("sq_AL.dic"), b"2\np\xebr\n\xe7el\xebs\n").expect("write dic");
        let lexicon = Lexicon::new(dir.path());
        let dict = lexicon.get(DictLang::Sq).expect("read");
        assert!(dict.check("për"));
        assert!(dict.check("çelës"));
        assert!(!dict.check("per"));
    }

    #[test]
    fn an_unknown_charset_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("en_US.aff"), b"SET NO-SUCH-CHARSET\n").expect("write aff");
        std::fs::write(dir.path().join("en_US.dic"), b"1\nword\n").expect("write dic");
        let lexicon = Lexicon::new(dir.path());
        let error = lexicon.get(DictLang::En).expect_err("unknown charset");
        assert!(matches!(error, LexiconError::Charset { .. }), "{error}");
        assert!(error.to_string().contains("en_US.aff") && error.to_string().contains("NO-SUCH-CHARSET"), "{error}");
    }
}
