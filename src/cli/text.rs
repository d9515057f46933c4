//! `termbridge text`: the text pipeline on a string or on standard input.

use std::io::{BufRead, Write};
use std::process::ExitCode;

use std::borrow::Cow;
use std::collections::BTreeMap;

use anyhow::{Context, Result};
use clap::{Subcommand, ValueEnum};
use serde::Serialize;

use termbridge::lexicon::{DictLang, Lexicon, SerbianWords};
use termbridge::model::lang::{Lang, LangTag};
use termbridge::text::translit::{Codes, LatToCyr, WordKnowledge};
use termbridge::text::{self, Tier};

use super::common::{Output, emit, parse_tag, write_to};
use super::user_error;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(super) enum TranslitTarget {
    /// Cyrillic text to Latin, Latin text to Cyrillic
    Auto,
    /// To Latin
    Latn,
    /// To Cyrillic
    Cyrl,
}

/// What Latin→Cyrillic does with alphanumeric codes.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(super) enum CodesArg {
    /// Keep codes such as A4, UTF-8, POP3 in Latin
    Keep,
    /// Transliterate their letters (А4, УТФ-8, ПОП3); act numbers such as 03/L-040 are kept
    Translit,
}

#[derive(Debug, Subcommand)]
pub(super) enum TextCommand {
    /// Transliterate Serbian between Cyrillic and Latin
    Translit {
        /// The text (omit with --stdin)
        #[arg(required_unless_present = "stdin", conflicts_with = "stdin")]
        text: Option<String>,
        /// Target script
        #[arg(long, value_enum, default_value = "auto")]
        to: TranslitTarget,
        /// Batch mode: read lines from standard input, write one output line per input line
        /// (JSONL with --json)
        #[arg(long)]
        stdin: bool,
        /// Latin→Cyrillic: what to do with alphanumeric codes
        #[arg(long, value_enum, default_value = "keep")]
        codes: CodesArg,
        /// Directory of the Hunspell dictionaries (sr_RS, sr_Latn_RS, en_US) that decide
        /// nj/lj/dž and foreign words [default: $TERMBRIDGE_DICT_DIR or /usr/share/hunspell]
        #[arg(long, value_name = "DIR")]
        dict_dir: Option<std::path::PathBuf>,
        /// Latin→Cyrillic by the rules alone, without the dictionaries
        #[arg(long, conflicts_with = "dict_dir")]
        no_dict: bool,
    },
    /// Detect the script of each word; report homoglyphs, mixed-script words and non-Serbian
    /// Cyrillic letters
    Script {
        /// The text (omit with --stdin)
        #[arg(required_unless_present = "stdin", conflicts_with = "stdin")]
        text: Option<String>,
        /// Batch mode: analyse each line of standard input (JSONL with --json)
        #[arg(long)]
        stdin: bool,
    },
    /// Identify the language of a sentence (sq, sr in either script, en, tr, bs)
    Lang {
        /// The sentence (omit with --stdin)
        #[arg(required_unless_present = "stdin", conflicts_with = "stdin")]
        text: Option<String>,
        /// Candidate languages, comma-separated; add bs or drop tr where the municipality
        /// uses other languages
        #[arg(long, value_delimiter = ',', default_value = "sq,sr,en,tr")]
        among: Vec<String>,
        /// Read one sentence a line from standard input and answer one line each
        #[arg(long)]
        stdin: bool,
    },
    /// Write each line of standard input with every placeholder and markup tag as the one
    /// symbol the TM's fuzzy score counts it as (to compute an exhaustive reference score with
    /// other tools, e.g. the peer benchmark's truth)
    Symbols,
    /// Show the comparison key of a text at every tier
    Normalize {
        /// The text
        text: String,
    },
    /// Stem words (Albanian or Serbian): fold to the script tier, then strip endings
    Stem {
        /// Language of the words (sq, sr or bs)
        #[arg(long)]
        lang: String,
        /// The words (omit with --stdin)
        #[arg(required_unless_present = "stdin", conflicts_with = "stdin")]
        words: Vec<String>,
        /// Read words from standard input, any number a line
        #[arg(long)]
        stdin: bool,
    },
}

/// Transliterates `text` toward `to` with `to_cyrillic` for Latin→Cyrillic; `Auto` goes to
/// Latin when Serbian Cyrillic letters are at least as many as other letters. Returns the
/// output and whether it is Latin.
fn transliterate<'t>(text: &'t str, to: TranslitTarget, to_cyrillic: &LatToCyr<'_>) -> (Cow<'t, str>, bool) {
    let to_latin = match to {
        TranslitTarget::Latn => true,
        TranslitTarget::Cyrl => false,
        TranslitTarget::Auto => {
            let cyrillic_letters = text.chars().filter(|c| text::translit::is_serbian_cyrillic_letter(*c)).count();
            let other_letters = text.chars().filter(|c| c.is_alphabetic()).count() - cyrillic_letters;
            cyrillic_letters >= other_letters
        }
    };
    (if to_latin { text::cyr_to_lat(text) } else { to_cyrillic.convert(text) }, to_latin)
}

/// What `text translit` made of a text.
#[derive(Debug, Serialize)]
struct TranslitOutput<'a> {
    input: &'a str,
    output: Cow<'a, str>,
    script: &'static str,
    /// True when the Serbian dictionaries decided nj/lj/dž and foreign words.
    dictionary: bool,
}

impl Output for TranslitOutput<'_> {
    fn human(&self, out: &mut dyn Write) -> std::io::Result<()> {
        writeln!(out, "{}", self.output)
    }
}

fn translit_output<'t>(text: &'t str, to: TranslitTarget, to_cyrillic: &LatToCyr<'_>) -> TranslitOutput<'t> {
    let (output, to_latin) = transliterate(text, to, to_cyrillic);
    TranslitOutput { input: text, output, script: if to_latin { "Latn" } else { "Cyrl" }, dictionary: to_cyrillic.words.is_some() }
}

/// The Serbian dictionaries for Latin→Cyrillic, or a note on standard error saying why they
/// are off (the rules alone then decide).
fn serbian_words(lexicon: &Lexicon) -> Option<SerbianWords<'_>> {
    let words = lexicon.serbian_words();
    if words.is_none() {
        let reasons: Vec<String> =
            [DictLang::SrCyrl, DictLang::SrLatn].iter().filter_map(|&lang| lexicon.get(lang).err().map(|error| error.to_string())).collect();
        eprintln!("note: Serbian dictionaries off, nj/lj/dž and foreign words are decided by rules alone: {}", reasons.join("; "));
    }
    words
}

/// The script report of a text (`line` in batch mode).
#[derive(Debug, Serialize)]
struct ScriptOutput<'a> {
    #[serde(flatten)]
    report: text::script::ScriptReport,
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
}

impl Output for ScriptOutput<'_> {
    /// A summary line and a line per offending letter ("line N: " in front in batch mode).
    fn human(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let report = &self.report;
        let prefix = self.line.map(|line| format!("line {line}: ")).unwrap_or_default();
        let n_offenders = report.offenders().count();
        writeln!(
            out,
            "{prefix}{} ({} Cyrillic words, {} Latin words); {}",
            report.script.as_str(),
            report.cyrillic_words,
            report.latin_words,
            if n_offenders == 0 { "no problems".to_string() } else { format!("{n_offenders} problem(s)") }
        )?;
        for (word, offender) in report.offenders() {
            let fix = offender.looks_like.map(|c| format!("; write '{c}' (U+{:04X})", c as u32)).unwrap_or_default();
            writeln!(
                out,
                "{prefix}{}: byte {}, char {}: '{}' (U+{:04X}) is a {}{fix}",
                word.word,
                offender.offset,
                offender.char_index,
                offender.found,
                offender.found as u32,
                offender.kind.describe()
            )?;
        }
        Ok(())
    }
}

/// The language `text lang` identified (`batch`: one tab-separated line a sentence).
#[derive(Debug, Serialize)]
struct LangOutput<'a> {
    text: &'a str,
    lang: Option<&'static str>,
    tag: Option<String>,
    confidence: Option<f64>,
    #[serde(skip)]
    english_name: Option<&'static str>,
    #[serde(skip)]
    batch: bool,
}

impl Output for LangOutput<'_> {
    fn human(&self, out: &mut dyn Write) -> std::io::Result<()> {
        if self.batch {
            let confidence = self.confidence.map(|confidence| format!("{confidence:.2}")).unwrap_or_default();
            return writeln!(out, "{}\t{confidence}\t{}", self.tag.as_deref().unwrap_or("unknown"), self.text);
        }
        match (&self.tag, self.english_name, self.confidence) {
            (Some(tag), Some(name), Some(confidence)) => writeln!(out, "{tag} ({name}, confidence {confidence:.2})"),
            _ => writeln!(out, "unknown"),
        }
    }
}

/// The comparison keys of a text at every folding tier.
#[derive(Debug, Serialize)]
struct NormalizeOutput {
    text: String,
    keys: BTreeMap<&'static str, String>,
}

impl Output for NormalizeOutput {
    fn human(&self, out: &mut dyn Write) -> std::io::Result<()> {
        for tier in Tier::FOLDING {
            writeln!(out, "{:<11} {}", tier.as_str(), self.keys.get(tier.as_str()).map_or("", String::as_str))?;
        }
        Ok(())
    }
}

/// A word and its stem.
#[derive(Debug, Serialize)]
struct Stem<'a> {
    word: &'a str,
    stem: String,
}

impl Output for Stem<'_> {
    fn human(&self, out: &mut dyn Write) -> std::io::Result<()> {
        writeln!(out, "{}\t{}", self.word, self.stem)
    }
}

/// The stems of the words given as arguments.
#[derive(Debug, Serialize)]
struct StemsOutput<'a> {
    lang: &'static str,
    stems: Vec<Stem<'a>>,
}

impl Output for StemsOutput<'_> {
    fn human(&self, out: &mut dyn Write) -> std::io::Result<()> {
        self.stems.iter().try_for_each(|stem| stem.human(out))
    }
}

/// Calls `each` with every line of standard input and its 1-based number, writing what it
/// returns into one buffered standard output.
fn each_stdin_line(json: bool, mut each: impl FnMut(&mut dyn Write, &str, usize, bool) -> Result<()>) -> Result<ExitCode> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for (line_idx, line) in std::io::stdin().lines().enumerate() {
        let line = line.map_err(|err| user_error(format!("standard input, line {}: {err}", line_idx + 1)))?;
        each(&mut out, &line, line_idx + 1, json)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

pub(super) fn text_command(command: TextCommand, json: bool) -> Result<ExitCode> {
    match command {
        TextCommand::Translit { text, to, stdin, codes, dict_dir, no_dict } => {
            let own_lexicon = dict_dir.map(Lexicon::new);
            let lexicon = own_lexicon.as_ref().unwrap_or_else(|| Lexicon::system());
            // The dictionaries are read only when some Latin is to become Cyrillic.
            let wants_cyrillic = !no_dict && !matches!(to, TranslitTarget::Latn);
            let words = if wants_cyrillic { serbian_words(lexicon) } else { None };
            let codes = match codes {
                CodesArg::Keep => Codes::Keep,
                CodesArg::Translit => Codes::Translit,
            };
            let to_cyrillic = LatToCyr { words: words.as_ref().map(|words| words as &dyn WordKnowledge), codes };
            match text.filter(|_| !stdin) {
                Some(text) => emit(&translit_output(&text, to, &to_cyrillic), json),
                None => return each_stdin_line(json, |out, line, _, json| write_to(out, &translit_output(line, to, &to_cyrillic), json)),
            }?
        }
        TextCommand::Script { text, stdin } => match text.filter(|_| !stdin) {
            Some(text) => emit(&ScriptOutput { report: text::script::analyze(&text), text: &text, line: None }, json),
            None => {
                return each_stdin_line(json, |out, line, number, json| {
                    write_to(out, &ScriptOutput { report: text::script::analyze(line), text: line, line: Some(number) }, json)
                });
            }
        }?,
        TextCommand::Lang { text, among, stdin } => {
            let candidates = among.iter().map(|code| parse_tag(code, "--among").map(|tag| tag.lang)).collect::<Result<Vec<Lang>>>()?;
            let sentences: Vec<String> = match text {
                Some(text) if !stdin => vec![text],
                _ => std::io::BufRead::lines(std::io::stdin().lock())
                    .collect::<std::io::Result<Vec<String>>>()
                    .context("cannot read standard input")?
                    .into_iter()
                    .filter(|line| !line.trim().is_empty())
                    .collect(),
            };
            for sentence in &sentences {
                let guess = text::langid::identify_among(sentence, &candidates);
                let output = LangOutput {
                    text: sentence,
                    lang: guess.map(|guess| guess.lang.code()),
                    tag: guess.map(|guess| LangTag { lang: guess.lang, script: guess.script }.to_string()),
                    confidence: guess.map(|guess| guess.confidence),
                    english_name: guess.map(|guess| guess.lang.english_name()),
                    batch: stdin,
                };
                emit(&output, json)?;
            }
        }
        TextCommand::Symbols => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            for line in std::io::stdin().lock().lines() {
                let line = line.context("cannot read standard input")?;
                writeln!(out, "{}", text::placeholders::symbols(&line))?;
            }
            out.flush()?;
        }
        TextCommand::Normalize { text } => {
            let keys = Tier::FOLDING.iter().map(|tier| (tier.as_str(), text::fold(&text, *tier).into_owned())).collect();
            emit(&NormalizeOutput { text, keys }, json)?;
        }
        TextCommand::Stem { lang, words, stdin } => {
            let tag = parse_tag(&lang, "--lang")?;
            if !matches!(tag.lang, Lang::Sq | Lang::Sr | Lang::Bs) {
                return Err(user_error(format!("--lang: stemming is available for sq, sr and bs, not {}", tag.lang)));
            }
            let words: Vec<String> = if stdin {
                let input = std::io::read_to_string(std::io::stdin()).context("cannot read standard input")?;
                input.split_whitespace().map(str::to_string).collect()
            } else {
                words
            };
            let stems: Vec<Stem<'_>> = words.iter().map(|word| Stem { word, stem: text::stem::stem_word(word, tag.lang) }).collect();
            if stdin {
                // One record a word, as the words stream in.
                let mut out = std::io::BufWriter::new(std::io::stdout().lock());
                for stem in &stems {
                    write_to(&mut out, stem, json)?;
                }
                out.flush()?;
            } else {
                emit(&StemsOutput { lang: tag.lang.code(), stems }, json)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
