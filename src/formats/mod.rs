//! Readers and writers for the formats termbridge imports and exports, one module a format:
//! TMX 1.4b ([`tmx`]), XLIFF 1.2 and 2.x ([`xliff`]), gettext PO/POT ([`po`]), CSV and TSV
//! ([`csv`], [`tsv`]) and plain line-aligned text files ([`text`]).
//!
//! [`read_file`] is the one entry point: it detects the format ([`detect`]) unless told,
//! decodes the bytes (UTF-8 with or without BOM; UTF-16 with a BOM), enforces [`Limits`] and
//! returns a [`Parsed`] document: the units plus the [`Problem`]s of units it skipped (file,
//! line, reason), so one bad unit does not sink an import. A file that cannot be parsed at
//! all (malformed XML, a DOCTYPE, a wrong structure, a bad encoding) is an `Err` naming the
//! file, line and reason, and nothing of it is returned.
//!
//! Writers: [`tmx::TmxWriter`] (streaming), [`csv::write_csv`] and [`tsv::write_tsv`]. What we
//! write, we read back equal: a TMX export keeps ids, languages, properties, notes, dates and
//! inline tags; CSV and TSV keep ids and texts.
//!
//! Deliberately not done: XML entity expansion beyond the five predefined entities and
//! character references (a DOCTYPE is refused, so no billion laughs and no external entities),
//! legacy 8-bit encodings (convert to UTF-8 first), TBX (the term base owns it), XLIFF output.

pub mod bilingual;
pub mod csv;
pub mod document;
pub mod docx;
pub mod html;
pub mod mo;
pub mod po;
pub mod text;
pub mod tmx;
pub mod tsv;
pub mod xliff;
pub(crate) mod xml;

use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::ops::ControlFlow;
use std::path::Path;

use crate::model::TranslationUnit;
use crate::model::lang::LangTag;
use crate::problem::{Classify, ErrorClass, Hint};

pub use tsv::read_tsv;

/// A file format termbridge reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// TMX 1.4b.
    Tmx,
    /// XLIFF 1.2 or 2.x.
    Xliff,
    /// gettext PO or POT.
    Po,
    /// Comma-separated values (RFC 4180).
    Csv,
    /// Tab-separated values.
    Tsv,
    /// Plain text, one segment a line, one file a language.
    Text,
}

impl Format {
    /// The format's name as `--format` spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Tmx => "tmx",
            Format::Xliff => "xliff",
            Format::Po => "po",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Text => "text",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Size limits a reader enforces, so a hostile or broken file cannot exhaust memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest file accepted, in bytes (default 2 GiB).
    pub max_file_bytes: u64,
    /// Longest segment, note or property value, in bytes (default 1 MiB); a unit with a
    /// longer one is skipped with a problem.
    pub max_segment_bytes: usize,
    /// Deepest XML element nesting accepted (default 64); deeper rejects the file.
    pub max_depth: usize,
    /// Longest run of input a reader has to hold at once, in bytes (default 16 MiB): a line
    /// (PO, TSV, text), a record (CSV, line breaks inside quotes included) or the text
    /// between two markup characters `<` `>` (TMX, XLIFF). A longer run rejects the file, so
    /// a file without line breaks or markup cannot make a reader buffer all of it.
    pub max_run_bytes: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { max_file_bytes: 2 << 30, max_segment_bytes: 1 << 20, max_depth: 64, max_run_bytes: 16 << 20 }
    }
}

/// What a reader needs to know besides the file.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// The format; `None` detects it from the name and first bytes.
    pub format: Option<Format>,
    /// Source language: TSV `src` column, PO msgid (default `en`), XLIFF without
    /// `source-language`/`srcLang`.
    pub src: Option<LangTag>,
    /// Target language: TSV `tgt` column, PO msgstr (overrides the header `Language:`),
    /// XLIFF without `target-language`/`trgLang`.
    pub tgt: Option<LangTag>,
    /// Languages of plain text files, one per file, in order.
    pub langs: Vec<LangTag>,
    /// Collection to put the units in; `None` keeps the collection a termbridge TMX export
    /// recorded (`x-collection` property), else `default`.
    pub collection: Option<String>,
    /// Size limits.
    pub limits: Limits,
}

impl ReadOptions {
    pub(crate) fn collection_or_default(&self) -> String {
        self.collection.clone().unwrap_or_else(|| DEFAULT_COLLECTION.to_string())
    }
}

/// The collection units go to when nobody names one.
pub const DEFAULT_COLLECTION: &str = "default";

pub use crate::problem::{Problem, ProblemKind};

/// A file read: its units and the problems of the units left out.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    /// The units, in file order.
    pub units: Vec<TranslationUnit>,
    /// Units skipped (or partly kept), with file, line and reason.
    pub problems: Vec<Problem>,
}

/// Why a file could not be read at all. Every variant but `Io` and `Internal` is the
/// user's to fix.
#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    /// The file could not be opened or read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is larger than [`Limits::max_file_bytes`].
    #[error("{path}: file is {size} bytes, more than the limit of {limit}")]
    TooLarge {
        /// The file.
        path: String,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The format could not be told from the name or content ([`Hint::Format`]).
    #[error("{path}: unknown format")]
    UnknownFormat {
        /// The file.
        path: String,
    },
    /// The bytes are not text in an encoding termbridge reads.
    #[error("{path}:{line}: {message}")]
    Encoding {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The file breaks its format's syntax or structure (malformed XML, wrong root element,
    /// a TSV line with too many fields …).
    #[error("{path}:{line}: {message}")]
    Syntax {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// What is wrong, with the byte offset where it helps.
        message: String,
    },
    /// The file asks for something refused for safety (a DOCTYPE, too deep nesting).
    #[error("{path}:{line}: refused: {message}")]
    Refused {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// What was refused and why.
        message: String,
    },
    /// The reader needs information the file does not carry (a language).
    #[error("{path}: {message}")]
    Missing {
        /// The file.
        path: String,
        /// What is missing.
        message: String,
        /// What supplies it.
        hint: Hint,
    },
}

impl Classify for FormatError {
    /// Every variant but `Io` (depending on its kind) is the user's to fix.
    fn class(&self) -> ErrorClass {
        match self {
            FormatError::Io { source, .. } => ErrorClass::of_io(source),
            _ => ErrorClass::Input,
        }
    }

    fn hint(&self) -> Option<Hint> {
        match self {
            FormatError::UnknownFormat { .. } => Some(Hint::Format),
            FormatError::Missing { hint, .. } => Some(*hint),
            _ => None,
        }
    }
}

impl FormatError {
    /// The error as a [`Problem`]: file, line, kind, reason and hint as fields.
    pub fn problem(&self) -> Problem {
        let (path, line, kind, reason) = match self {
            FormatError::Io { path, source } => (path, None, ProblemKind::Io, source.to_string()),
            FormatError::TooLarge { path, size, limit } => (path, None, ProblemKind::TooLarge, format!("file is {size} bytes, more than the limit of {limit}")),
            FormatError::UnknownFormat { path } => (path, None, ProblemKind::UnknownFormat, "unknown format".to_string()),
            FormatError::Encoding { path, line, message } => (path, Some(*line), ProblemKind::Encoding, message.clone()),
            FormatError::Syntax { path, line, message } => (path, Some(*line), ProblemKind::Syntax, message.clone()),
            FormatError::Refused { path, line, message } => (path, Some(*line), ProblemKind::Refused, format!("refused: {message}")),
            FormatError::Missing { path, message, .. } => (path, None, ProblemKind::Missing, message.clone()),
        };
        Problem { file: path.clone(), line, column: None, kind, reason, hint: self.hint() }
    }
}

/// Tells the format of a file from its name and its first bytes (a few KiB are plenty).
///
/// Content wins over the extension where it is unambiguous (`<tmx`, `<xliff`, `msgid`), so a
/// TMX saved as `.xml` is read as TMX.
///
/// ```
/// use std::path::Path;
/// use termbridge::formats::{detect, Format};
/// assert_eq!(detect(Path::new("memory.xml"), b"<?xml version=\"1.0\"?>\n<tmx version=\"1.4\">"), Some(Format::Tmx));
/// assert_eq!(detect(Path::new("sr.po"), b"msgid \"\""), Some(Format::Po));
/// assert_eq!(detect(Path::new("corpus.tsv"), b"id\tsrc\ttgt\n"), Some(Format::Tsv));
/// ```
pub fn detect(path: &Path, head: &[u8]) -> Option<Format> {
    let text = decode_head(head);
    let lower = text.to_ascii_lowercase();
    if lower.contains("<tmx") {
        return Some(Format::Tmx);
    }
    if lower.contains("<xliff") {
        return Some(Format::Xliff);
    }
    let extension = path.extension().and_then(|ext| ext.to_str()).map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("tmx") => return Some(Format::Tmx),
        Some("xlf" | "xliff" | "sdlxliff" | "mxliff") => return Some(Format::Xliff),
        Some("po" | "pot") => return Some(Format::Po),
        Some("csv") => return Some(Format::Csv),
        Some("tsv" | "tab") => return Some(Format::Tsv),
        _ => {}
    }
    let starts_po = lower.lines().map(str::trim_start).any(|line| line.starts_with("msgid ") || line.starts_with("msgctxt "));
    if starts_po {
        return Some(Format::Po);
    }
    let first_line = text.lines().next().unwrap_or_default();
    let header_names_languages = |separator: char| {
        let names: Vec<&str> = first_line.split(separator).map(str::trim).collect();
        names.len() >= 2 && names.iter().all(|name| matches!(*name, "id" | "src" | "tgt" | "source" | "target") || LangTag::parse(name).is_ok())
    };
    if header_names_languages('\t') {
        return Some(Format::Tsv);
    }
    if header_names_languages(',') {
        return Some(Format::Csv);
    }
    match extension.as_deref() {
        Some("txt" | "text") => Some(Format::Text),
        _ => None,
    }
}

/// The first bytes as text, whatever the encoding (lossy; only for sniffing).
fn decode_head(head: &[u8]) -> String {
    match head {
        [0xFF, 0xFE, rest @ ..] => encoding_rs::UTF_16LE.decode_without_bom_handling(rest).0.into_owned(),
        [0xFE, 0xFF, rest @ ..] => encoding_rs::UTF_16BE.decode_without_bom_handling(rest).0.into_owned(),
        [0xEF, 0xBB, 0xBF, rest @ ..] => String::from_utf8_lossy(rest).into_owned(),
        _ => String::from_utf8_lossy(head).into_owned(),
    }
}

/// Reads one file in any format termbridge knows.
///
/// ```
/// use termbridge::formats::{read_file, Format, ReadOptions};
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("m.tmx");
/// std::fs::write(&path, r#"<tmx version="1.4"><header srclang="en"/><body>
///   <tu tuid="t1"><tuv xml:lang="en"><seg>Mayor</seg></tuv><tuv xml:lang="sq"><seg>Kryetari</seg></tuv></tu>
/// </body></tmx>"#).unwrap();
/// let parsed = read_file(&path, &ReadOptions::default()).unwrap();
/// assert_eq!(parsed.units[0].id, "t1");
/// assert_eq!(parsed.units[0].variants[1].text, "Kryetari");
/// ```
pub fn read_file(path: &Path, options: &ReadOptions) -> Result<Parsed, FormatError> {
    read_file_with_progress(path, options, &mut |_, _| {})
}

/// [`read_file`], calling `progress(bytes_read, total_bytes)` now and then.
pub fn read_file_with_progress(path: &Path, options: &ReadOptions, progress: &mut dyn FnMut(u64, u64)) -> Result<Parsed, FormatError> {
    let mut units = Vec::new();
    let problems = read_file_each(path, options, progress, &mut |unit| {
        units.push(unit);
        ControlFlow::Continue(())
    })?;
    Ok(Parsed { units, problems })
}

/// [`read_file_with_progress`], handing each unit to `each` as soon as it is read instead of
/// collecting them, so that a file of any size is read in bounded memory (TMX, CSV and TSV
/// stream; XLIFF, PO and plain text are read whole, then handed over). Returns the problems
/// of the units left out. When `each` breaks, reading stops there and the rest of the file
/// is neither read nor checked.
pub fn read_file_each(
    path: &Path,
    options: &ReadOptions,
    progress: &mut dyn FnMut(u64, u64),
    each: &mut dyn FnMut(TranslationUnit) -> ControlFlow<()>,
) -> Result<Vec<Problem>, FormatError> {
    let format = match options.format {
        Some(format) => format,
        None => {
            let mut head = vec![0u8; 4096];
            let display = path.display().to_string();
            let mut file = std::fs::File::open(path).map_err(|source| FormatError::Io { path: display.clone(), source })?;
            let n = read_up_to(&mut file, &mut head).map_err(|source| FormatError::Io { path: display.clone(), source })?;
            head.truncate(n);
            detect(path, &head).ok_or(FormatError::UnknownFormat { path: display })?
        }
    };
    let hand_over = |parsed: Parsed, each: &mut dyn FnMut(TranslationUnit) -> ControlFlow<()>| {
        for unit in parsed.units {
            if each(unit).is_break() {
                break;
            }
        }
        parsed.problems
    };
    if format == Format::Text {
        return Ok(hand_over(text::read_text_files(&[path], options)?, each));
    }
    let mut source = Source::open(path, &options.limits, progress)?;
    source.set_runs(match format {
        Format::Tmx | Format::Xliff => Runs::Markup,
        Format::Csv => Runs::CsvRecords,
        Format::Po | Format::Tsv | Format::Text => Runs::Lines,
    });
    match format {
        Format::Tmx => tmx::read_tmx(&mut source, options, each),
        Format::Xliff => Ok(hand_over(xliff::read_xliff(&mut source, options)?, each)),
        Format::Po => Ok(hand_over(po::read_po(&mut source, options)?, each)),
        Format::Csv => csv::read_delimited(&mut source, options, b',', each),
        // Text was read above; the arm only keeps the match exhaustive.
        Format::Tsv | Format::Text => csv::read_delimited(&mut source, options, b'\t', each),
    }
}

fn read_up_to(reader: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    Ok(filled)
}

/// How an input is cut into runs for [`Limits::max_run_bytes`]: the pieces a reader has to
/// hold in memory at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Runs {
    /// A run ends at a line feed (PO, TSV, text).
    Lines,
    /// A run ends at a line feed outside a quoted field (CSV, RFC 4180).
    CsvRecords,
    /// A run ends at `<` or `>` (XML).
    Markup,
}

/// Where a CSV record is, for [`Runs::CsvRecords`]: the csv crate opens a quoted field only at
/// the start of a field, and a quote after the closing one is text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CsvState {
    FieldStart,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

/// Why a [`Source`] stopped handing out bytes: it found something no reader should see.
#[derive(Debug, Clone)]
struct Stop {
    encoding: bool,
    line: usize,
    message: String,
}

/// What a [`Source`] knows of the bytes handed out so far.
#[derive(Debug)]
struct Tracker {
    /// Newlines consumed so far.
    newlines: u64,
    /// Bytes consumed so far (of the UTF-8 stream).
    consumed: u64,
    runs: Runs,
    run_len: u64,
    max_run: u64,
    csv_state: CsvState,
    /// The 1-based line where the open run started.
    run_start_line: u64,
    stop: Option<Stop>,
}

impl Tracker {
    /// Looks at `bytes`, about to be consumed: counts lines, measures the runs and stops at a
    /// NUL byte or a run that is too long.
    fn inspect(&mut self, bytes: &[u8]) {
        let lines_before = |offset: usize| memchr::memchr_iter(b'\n', &bytes[..offset]).count() as u64;
        if let Some(nul) = memchr::memchr(0, bytes) {
            self.stop = Some(Stop {
                encoding: true,
                line: (self.newlines + lines_before(nul) + 1) as usize,
                message: format!("NUL byte at byte {}: this is not a text file (binary data, or UTF-16 saved without a BOM)", self.consumed + nul as u64),
            });
            return;
        }
        let mut scan = RunScan { max: self.max_run, open: self.run_len, last: 0, ended: false, overlong: None };
        match self.runs {
            Runs::Lines => memchr::memchr_iter(b'\n', bytes).for_each(|idx| scan.delimiter(idx)),
            Runs::Markup => memchr::memchr2_iter(b'<', b'>', bytes).for_each(|idx| scan.delimiter(idx)),
            Runs::CsvRecords => {
                for (idx, &byte) in bytes.iter().enumerate() {
                    self.csv_state = match (self.csv_state, byte) {
                        (CsvState::FieldStart, b'"') | (CsvState::QuoteInQuoted, b'"') => CsvState::Quoted,
                        (CsvState::Quoted, b'"') => CsvState::QuoteInQuoted,
                        (CsvState::Quoted, _) => CsvState::Quoted,
                        (_, b'\n') => {
                            scan.delimiter(idx);
                            CsvState::FieldStart
                        }
                        (_, b',') => CsvState::FieldStart,
                        _ => CsvState::Unquoted,
                    };
                }
            }
        }
        scan.finish(bytes.len());
        if let Some(start) = scan.overlong {
            let line = match start {
                Some(offset) => self.newlines + lines_before(offset) + 1,
                None => self.run_start_line,
            };
            let what = match self.runs {
                Runs::Lines => "a line",
                Runs::CsvRecords => "a record",
                Runs::Markup => "text or a tag without markup characters",
            };
            self.stop = Some(Stop {
                encoding: false,
                line: line as usize,
                message: format!("{what} longer than {} bytes; termbridge reads at most that much at once", self.max_run),
            });
            return;
        }
        if scan.ended {
            self.run_start_line = self.newlines + lines_before(scan.last) + 1;
        }
        self.run_len = scan.open;
        self.newlines += lines_before(bytes.len());
        self.consumed += bytes.len() as u64;
    }
}

/// The runs of one block of bytes, for [`Tracker::inspect`].
struct RunScan {
    max: u64,
    /// Length of the run that is open at `last`.
    open: u64,
    /// Where the open run continues in the block.
    last: usize,
    /// True once a run ended in the block.
    ended: bool,
    /// The first run longer than `max`: its start in the block, or `None` when it began in an
    /// earlier block.
    overlong: Option<Option<usize>>,
}

impl RunScan {
    /// A delimiter at `idx` ends the open run.
    fn delimiter(&mut self, idx: usize) {
        self.check(self.open + (idx - self.last) as u64);
        self.open = 0;
        self.last = idx + 1;
        self.ended = true;
    }

    /// The block ends after `len` bytes, the last run still open.
    fn finish(&mut self, len: usize) {
        self.open += (len - self.last) as u64;
        self.check(self.open);
    }

    fn check(&mut self, len: u64) {
        if len > self.max && self.overlong.is_none() {
            self.overlong = Some(if self.ended { Some(self.last) } else { None });
        }
    }
}

/// An opened input: UTF-8 bytes (a UTF-8 BOM skipped, UTF-16 decoded as it is read) that
/// count the lines and bytes they hand out, for error positions and progress.
///
/// It refuses, as an I/O error that [`Source::io_error`] turns into a [`FormatError`] with
/// the line: a NUL byte (no text format termbridge reads carries one; a binary or sparse file
/// does), bad UTF-16, and a run longer than [`Limits::max_run_bytes`] (see [`Runs`]).
pub(crate) struct Source<'p> {
    /// The file as error messages name it.
    pub path: String,
    reader: Box<dyn BufRead + 'p>,
    tracker: Tracker,
    total: u64,
    progress: &'p mut dyn FnMut(u64, u64),
    next_report: u64,
}

impl<'p> Source<'p> {
    /// Opens `path`, checks its size and decodes a BOM.
    pub fn open(path: &Path, limits: &Limits, progress: &'p mut dyn FnMut(u64, u64)) -> Result<Source<'p>, FormatError> {
        let display = path.display().to_string();
        let io = |source| FormatError::Io { path: display.clone(), source };
        let file = std::fs::File::open(path).map_err(io)?;
        let size = file.metadata().map_err(io)?.len();
        if size > limits.max_file_bytes {
            return Err(FormatError::TooLarge { path: display, size, limit: limits.max_file_bytes });
        }
        let mut reader = BufReader::with_capacity(1 << 20, file);
        let head = reader.fill_buf().map_err(io)?;
        let reader: Box<dyn BufRead> = if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
            reader.consume(3);
            Box::new(reader)
        } else if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
            let little_endian = head[0] == 0xFF;
            reader.consume(2);
            Box::new(Utf16Decoder::new(reader, little_endian))
        } else if head.len() >= 4 && ((head[0] == 0 && head[1] != 0 && head[2] == 0) || (head[0] != 0 && head[1] == 0 && head[3] == 0)) {
            return Err(FormatError::Encoding {
                path: display,
                line: 1,
                message: "looks like UTF-16 without a byte-order mark; save it as UTF-8 or UTF-16 with a BOM".into(),
            });
        } else {
            Box::new(reader)
        };
        Ok(Source::new(display, reader, size, limits, progress))
    }

    fn new(path: String, reader: Box<dyn BufRead + 'p>, total: u64, limits: &Limits, progress: &'p mut dyn FnMut(u64, u64)) -> Source<'p> {
        let tracker = Tracker {
            newlines: 0,
            consumed: 0,
            runs: Runs::Lines,
            run_len: 0,
            max_run: limits.max_run_bytes as u64,
            csv_state: CsvState::FieldStart,
            run_start_line: 1,
            stop: None,
        };
        Source { path, reader, tracker, total, progress, next_report: 0 }
    }

    /// Wraps in-memory text (tests, and inputs that are not files).
    #[cfg(test)]
    pub fn from_text(path: &str, text: &'p str, progress: &'p mut dyn FnMut(u64, u64)) -> Source<'p> {
        Source::new(path.to_string(), Box::new(text.as_bytes()), text.len() as u64, &Limits::default(), progress)
    }

    /// Sets how runs end (see [`Runs`]); lines unless told.
    pub fn set_runs(&mut self, runs: Runs) {
        self.tracker.runs = runs;
    }

    /// The 1-based line of the next byte to be read.
    pub fn line(&self) -> usize {
        self.tracker.newlines as usize + 1
    }

    /// The error for an I/O error met while reading: what the source refused (with its
    /// line), else the I/O error itself.
    pub fn io_error(&self, source: std::io::Error) -> FormatError {
        match &self.tracker.stop {
            Some(Stop { encoding: true, line, message }) => FormatError::Encoding { path: self.path.clone(), line: *line, message: message.clone() },
            Some(Stop { encoding: false, line, message }) => FormatError::Refused { path: self.path.clone(), line: *line, message: message.clone() },
            None => FormatError::Io { path: self.path.clone(), source },
        }
    }
}

/// `Read::read` for a reader whose `BufRead` side does the work: copies what its buffer holds.
fn read_from_buffer(reader: &mut impl BufRead, out: &mut [u8]) -> std::io::Result<usize> {
    let available = reader.fill_buf()?;
    let n = available.len().min(out.len());
    out[..n].copy_from_slice(&available[..n]);
    reader.consume(n);
    Ok(n)
}

impl Read for Source<'_> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        read_from_buffer(self, out)
    }
}

impl BufRead for Source<'_> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if let Some(stop) = &self.tracker.stop {
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, stop.message.clone()));
        }
        if let Err(err) = self.reader.fill_buf() {
            if let Some(bad) = err.get_ref().and_then(|inner| inner.downcast_ref::<Utf16Error>()) {
                self.tracker.stop = Some(Stop { encoding: true, line: bad.line, message: bad.message.clone() });
            }
            return Err(err);
        }
        self.reader.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        // `consume` only follows a `fill_buf` that returned at least `amount` bytes, so asking
        // again returns the same buffer without reading.
        if let Ok(buffer) = self.reader.fill_buf() {
            let amount_seen = amount.min(buffer.len());
            self.tracker.inspect(&buffer[..amount_seen]);
        }
        self.reader.consume(amount);
        if self.tracker.consumed >= self.next_report {
            (self.progress)(self.tracker.consumed, self.total);
            self.next_report = self.tracker.consumed + (8 << 20);
        }
    }
}

/// Bad UTF-16, with the line of the decoded text where it was found.
#[derive(Debug)]
struct Utf16Error {
    line: usize,
    message: String,
}

impl fmt::Display for Utf16Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for Utf16Error {}

/// Decodes UTF-16 (after the BOM) to UTF-8 as it is read, a block at a time, so a large file
/// is never held whole (`encoding_rs` keeps a code unit or surrogate pair that straddles two
/// blocks). A lone surrogate or an odd number of bytes is an error naming the line.
struct Utf16Decoder<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    little_endian: bool,
    /// The last bytes read, so that an error straddling two blocks can name its code unit.
    recent: Vec<u8>,
    out: Vec<u8>,
    position: usize,
    line: usize,
    done: bool,
}

impl<R: BufRead> Utf16Decoder<R> {
    fn new(inner: R, little_endian: bool) -> Utf16Decoder<R> {
        let encoding = if little_endian { encoding_rs::UTF_16LE } else { encoding_rs::UTF_16BE };
        Utf16Decoder {
            inner,
            decoder: encoding.new_decoder_without_bom_handling(),
            little_endian,
            recent: Vec::with_capacity(8),
            out: Vec::new(),
            position: 0,
            line: 1,
            done: false,
        }
    }

    fn error(&self, message: String) -> std::io::Error {
        std::io::Error::new(std::io::ErrorKind::InvalidData, Utf16Error { line: self.line, message })
    }

    /// The error for `n_bad` malformed bytes followed by `n_after` good ones at the end of
    /// what was read so far (`recent` followed by `consumed`).
    fn malformed(&self, consumed: &[u8], n_bad: usize, n_after: usize) -> std::io::Error {
        if n_bad != 2 {
            // A byte left over, alone or after a high surrogate.
            return self.error("UTF-16 file has an odd number of bytes".into());
        }
        let stream: Vec<u8> = self.recent.iter().chain(consumed).copied().collect();
        let end = stream.len().saturating_sub(n_after);
        let unit = match stream.get(end.saturating_sub(2)..end) {
            Some(&[a, b]) if self.little_endian => u16::from_le_bytes([a, b]),
            Some(&[a, b]) => u16::from_be_bytes([a, b]),
            _ => 0xFFFD,
        };
        self.error(format!("invalid UTF-16: lone surrogate {unit:#06x}"))
    }

    fn remember(&mut self, consumed: &[u8]) {
        self.recent.extend_from_slice(consumed);
        let excess = self.recent.len().saturating_sub(4);
        self.recent.drain(..excess);
    }

    /// Decodes the next block into `out`.
    fn refill(&mut self) -> std::io::Result<()> {
        self.out.clear();
        self.position = 0;
        while self.out.is_empty() && !self.done {
            let block = self.inner.fill_buf()?.to_vec();
            self.inner.consume(block.len());
            let last = block.is_empty();
            self.done = last;
            let mut input = block.as_slice();
            loop {
                let start = self.out.len();
                let room = self.decoder.max_utf8_buffer_length_without_replacement(input.len()).ok_or_else(|| self.error("UTF-16 block too large".into()))?;
                self.out.resize(start + room, 0);
                let (result, read, written) = self.decoder.decode_to_utf8_without_replacement(input, &mut self.out[start..], last);
                self.out.truncate(start + written);
                self.line += memchr::memchr_iter(b'\n', &self.out[start..]).count();
                let (consumed, rest) = input.split_at(read);
                match result {
                    encoding_rs::DecoderResult::InputEmpty => {
                        self.remember(consumed);
                        break;
                    }
                    encoding_rs::DecoderResult::OutputFull => {
                        self.remember(consumed);
                        input = rest;
                    }
                    encoding_rs::DecoderResult::Malformed(n_bad, n_after) => {
                        return Err(self.malformed(consumed, usize::from(n_bad), usize::from(n_after)));
                    }
                }
            }
        }
        Ok(())
    }
}

impl<R: BufRead> Read for Utf16Decoder<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        read_from_buffer(self, out)
    }
}

impl<R: BufRead> BufRead for Utf16Decoder<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.position >= self.out.len() {
            self.refill()?;
        }
        Ok(&self.out[self.position..])
    }

    fn consume(&mut self, amount: usize) {
        self.position = (self.position + amount).min(self.out.len());
    }
}

/// The language of a variant: for Serbian without a script, the script of its letters
/// ([`resolve_script`](crate::model::resolve_script)), ignoring placeholders, markup and
/// numbers (`%(count)d`, `{name}`, `<b>`), which are Latin in every script and would
/// otherwise tip a short Cyrillic string to Latin.
pub(crate) fn resolve_lang(tag: LangTag, text: &str) -> LangTag {
    if tag.script.is_some() || tag.lang != crate::model::lang::Lang::Sr {
        return tag;
    }
    let words: Vec<&str> = text
        .split_whitespace()
        .filter(|word| !word.chars().any(|c| c.is_ascii_digit() || matches!(c, '%' | '{' | '}' | '$' | '<' | '>' | '\\' | '&' | '_')))
        .collect();
    if words.is_empty() {
        return crate::model::resolve_script(tag, text);
    }
    crate::model::resolve_script(tag, &words.join(" "))
}

/// A unit of `collection` with nothing in it yet, for a reader to fill.
pub(crate) fn empty_unit(collection: String) -> TranslationUnit {
    TranslationUnit { id: String::new(), collection, variants: Vec::new(), props: Default::default(), notes: Vec::new(), created: None, changed: None }
}

/// Hands units on with the keys ([`neighbour_key`](crate::model::neighbour_key)) of their
/// neighbours' source texts in the file they were read from, in the properties
/// [`PREV_PROP`](crate::model::PREV_PROP) and [`NEXT_PROP`](crate::model::NEXT_PROP): what a
/// 102 % context match compares. A unit is held back until the next one is read; the
/// neighbour's text is its first variant's, kept when both first variants are in the same
/// language.
///
/// ```
/// use termbridge::formats::Neighbours;
/// use termbridge::model::lang::LangTag;
/// use termbridge::model::{TranslationUnit, Variant, neighbour_key};
///
/// let unit = |en: &str| TranslationUnit {
///     id: en.into(), collection: "default".into(), variants: vec![Variant::new(LangTag::EN, en)],
///     props: Default::default(), notes: vec![], created: None, changed: None };
/// let mut neighbours = Neighbours::default();
/// assert!(neighbours.push(unit("File")).is_none());
/// let first = neighbours.push(unit("Open")).unwrap();
/// let second = neighbours.finish().unwrap();
/// assert_eq!(first.neighbours(), (None, Some(neighbour_key("Open").as_str())));
/// assert_eq!(second.neighbours(), (Some(neighbour_key("File").as_str()), None));
/// ```
#[derive(Debug, Default)]
pub struct Neighbours {
    held: Option<TranslationUnit>,
}

impl Neighbours {
    /// Takes the next unit of the file; gives back the one before it, now that its next
    /// neighbour is known.
    pub fn push(&mut self, mut unit: TranslationUnit) -> Option<TranslationUnit> {
        let mut before = self.held.take();
        if let Some(before) = before.as_mut() {
            set_neighbour(before, &unit, crate::model::NEXT_PROP);
            set_neighbour(&mut unit, before, crate::model::PREV_PROP);
        }
        self.held = Some(unit);
        before
    }

    /// The last unit of the file, which has no next neighbour.
    pub fn finish(&mut self) -> Option<TranslationUnit> {
        self.held.take()
    }

    /// Gives every unit of one file, in file order, its neighbours.
    pub fn link(units: &mut [TranslationUnit]) {
        for idx in 1..units.len() {
            let (before, after) = units.split_at_mut(idx);
            set_neighbour(&mut before[idx - 1], &after[0], crate::model::NEXT_PROP);
            set_neighbour(&mut after[0], &before[idx - 1], crate::model::PREV_PROP);
        }
    }
}

/// Records in `unit`'s property `key` the key of its neighbour `other`'s source text, unless the
/// unit has it already (a TMX export keeps the neighbours of the file first imported).
fn set_neighbour(unit: &mut TranslationUnit, other: &TranslationUnit, key: &str) {
    if !unit.props.contains_key(key)
        && let (Some(own), Some(theirs)) = (unit.variants.first(), other.variants.first())
        && own.lang.lang == theirs.lang.lang
        && !theirs.text.is_empty()
    {
        unit.props.insert(key.to_string(), crate::model::neighbour_key(&theirs.text));
    }
}

/// Gives `unit` an id from its content when the file gave none.
pub(crate) fn ensure_id(unit: &mut TranslationUnit) {
    if unit.id.is_empty() {
        unit.id = format!("{:016x}", unit.key());
    }
}

/// Checks a text against the segment limit; returns the problem reason if it is too long.
pub(crate) fn too_long(what: &str, text: &str, limits: &Limits) -> Option<String> {
    (text.len() > limits.max_segment_bytes).then(|| format!("{what} is {} bytes, more than the limit of {}", text.len(), limits.max_segment_bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(name: &str, head: &str, expected: Option<Format>) {
        assert_eq!(detect(Path::new(name), head.as_bytes()), expected, "{name}: {head:?}");
    }

    #[test]
    fn detects_by_content_then_extension() {
        check("a.xml", "<?xml version=\"1.0\"?><tmx version=\"1.4\">", Some(Format::Tmx));
        check("a.xml", "<xliff version=\"1.2\">", Some(Format::Xliff));
        check("a.tmx", "", Some(Format::Tmx));
        check("a.xlf", "", Some(Format::Xliff));
        check("a.pot", "", Some(Format::Po));
        check("a", "# comment\nmsgid \"\"\nmsgstr \"\"", Some(Format::Po));
        check("a.csv", "id,en,sq", Some(Format::Csv));
        check("a.txt", "id\ten\tsq\nx\ty\tz", Some(Format::Tsv));
        check("a.dat", "en,sq\n", Some(Format::Csv));
        check("a.txt", "Komuna e Prishtinës\n", Some(Format::Text));
        check("a.dat", "whatever", None);
    }

    #[test]
    fn detects_utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "<tmx version=\"1.4\">".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(detect(Path::new("a.xml"), &bytes), Some(Format::Tmx));
    }

    #[test]
    fn placeholders_do_not_decide_the_script() {
        assert_eq!(resolve_lang(LangTag::SR, "%(count)d одлука"), LangTag::SR_CYRL);
        assert_eq!(resolve_lang(LangTag::SR, "{n} odluka"), LangTag::SR_LATN);
        assert_eq!(resolve_lang(LangTag::SR, "%s"), LangTag::SR_LATN);
        assert_eq!(resolve_lang(LangTag::SQ, "одлука"), LangTag::SQ);
    }

    fn decode_utf16(bytes: &[u8], little_endian: bool) -> std::io::Result<String> {
        let mut decoder = Utf16Decoder::new(bytes, little_endian);
        let mut out = String::new();
        decoder.read_to_string(&mut out)?;
        Ok(out)
    }

    #[test]
    fn utf16_decodes_in_blocks_and_names_the_line_of_a_lone_surrogate() {
        let text = "a\nb\n\u{1F600} ë Ђ";
        let mut bytes = Vec::new();
        for unit in text.encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        // One byte at a time, so code units and surrogate pairs straddle blocks.
        let mut decoder = Utf16Decoder::new(std::io::BufReader::with_capacity(1, bytes.as_slice()), true);
        let mut out = String::new();
        decoder.read_to_string(&mut out).unwrap();
        assert_eq!(out, text);
        let big_endian: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode_utf16(&big_endian, false).unwrap(), text);
        bytes.truncate(8);
        bytes.extend_from_slice(&0xD800u16.to_le_bytes());
        bytes.extend_from_slice(&0x0041u16.to_le_bytes());
        assert_eq!(decode_utf16(&bytes, true).unwrap_err().to_string(), "line 3: invalid UTF-16: lone surrogate 0xd800");
        assert_eq!(decode_utf16(&[0x41, 0x00, 0x42], true).unwrap_err().to_string(), "line 1: UTF-16 file has an odd number of bytes");
    }

    fn read_runs(text: &str, runs: Runs, max_run_bytes: usize) -> Result<usize, FormatError> {
        let mut progress = |_, _| {};
        let limits = Limits { max_run_bytes, ..Limits::default() };
        let mut source = Source::new("t".into(), Box::new(text.as_bytes()), text.len() as u64, &limits, &mut progress);
        source.set_runs(runs);
        let mut out = Vec::new();
        source.read_to_end(&mut out).map_err(|err| source.io_error(err))
    }

    #[test]
    fn runs_nul_bytes_and_lines_are_bounded() {
        assert!(read_runs("abc\ndef\n", Runs::Lines, 4).is_ok());
        let err = read_runs("abc\nabcdef\n", Runs::Lines, 4).unwrap_err();
        assert!(matches!(err, FormatError::Refused { line: 2, .. }), "{err}");
        assert!(read_runs("<a>text</a><b>more</b>", Runs::Markup, 4).is_ok());
        assert!(read_runs("<a>long text</a>", Runs::Markup, 4).is_err());
        // A line break inside quotes does not end a CSV record; one after a field does.
        assert!(read_runs("a,b\nc,d\n", Runs::CsvRecords, 4).is_ok());
        assert!(read_runs("\"a\nb\nc\"\n", Runs::CsvRecords, 4).is_err());
        assert!(read_runs("a\"b\nc\nd\n", Runs::CsvRecords, 4).is_ok(), "a quote inside an unquoted field is text");
        assert!(read_runs("\"a\"\"\"\nb\n", Runs::CsvRecords, 6).is_ok(), "an escaped quote closes nothing");
        let err = read_runs("ok\nok\nbad\0", Runs::Lines, 100).unwrap_err();
        assert!(matches!(err, FormatError::Encoding { line: 3, .. }), "{err}");
        assert!(err.to_string().contains("NUL byte"), "{err}");
    }
}
