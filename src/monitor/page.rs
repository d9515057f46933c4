//! A fetched page's text and language, read through the audit's readers: HTML
//! (`formats::html`), PDF (poppler's `pdftotext`, run as a child process), DOCX
//! (`formats::docx`) and plain text, into a `formats::Document` whose path is the page's URL.
//!
//! The page's language is detected from its text (`text::langid`), never taken from its URL or
//! its `<html lang>`: a page at `/sr/` written in Albanian is an untranslated page, and the
//! monitor exists to find those. What the page declares is kept beside the detection.
//!
//! Deliberately not done here: fetching, following links (the crawl's), pairing (`pair`) and
//! auditing. Scanned PDFs (images without a text layer) give a page with no text and no
//! language; no OCR is attempted.

use std::path::Path;

use crate::formats::document::{Block, BlockKind, Document, DocumentFormat, decode_text};
use crate::model::lang::{Lang, LangTag, SrScript};
use crate::model::monitor::FetchedPage;
use crate::text::script::{count_cyrillic, is_latin_letter};

use super::pair::features::features;

mod pdf;

pub use pdf::PDF_TIME_LIMIT;

/// What pairing knows of a page.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PageInfo {
    /// The page's address after redirects.
    pub url: String,
    /// Other addresses that led to it (the requested URL, when it redirected): links to
    /// these are links to the page.
    pub aliases: Vec<String>,
    /// The language detected in its text, with the script for Serbian; `None` when it has
    /// too little text to tell.
    pub tag: Option<LangTag>,
    /// What the page says its language is (`<html lang>`, else `Content-Language`), as written.
    pub declared: Option<String>,
    /// The title (`<title>`, else the first heading or line).
    pub title: String,
    /// Characters of text.
    pub chars: usize,
    /// hreflang alternates (hreflang, absolute URL), as the crawl's link reader gives them.
    pub alternates: Vec<(String, String)>,
    /// Language-switcher links (label or `lang` attribute, absolute URL).
    pub switchers: Vec<(String, String)>,
    /// Other links followed from the page (absolute URLs).
    pub links: Vec<String>,
    /// Numbers and references (see `pair::features`).
    pub numbers: Vec<String>,
    /// Dates, `YYYY-MM-DD`.
    pub dates: Vec<String>,
    /// Names folded to plain Latin, and places by gazetteer id.
    pub names: Vec<String>,
    /// A page that is mostly links (an index, a menu, a language chooser): its links lead
    /// to documents, it is not one (`formats::html::PageContent::is_listing`).
    #[serde(default)]
    pub listing: bool,
}

/// A page read: what pairing needs and the document the audit reads.
#[derive(Debug, Clone)]
pub struct PageText {
    /// What pairing compares.
    pub info: PageInfo,
    /// The text as an audit document; its path is the page's URL.
    pub document: Document,
}

/// Why a page's text could not be read (the crawl counts these as unreadable pages).
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    /// The bytes are not text in the encoding the page declares, or UTF-8 when it declares none.
    #[error("{url}: not {encoding} text (line {line})")]
    Encoding {
        /// The page.
        url: String,
        /// The encoding tried (`windows-1250`, `UTF-8`).
        encoding: String,
        /// The first line with a bad byte.
        line: usize,
    },
    /// Binary bytes served as HTML or text.
    #[error("{url}: binary content served as {content_type}")]
    Binary {
        /// The page.
        url: String,
        /// The type it was served as.
        content_type: String,
    },
    /// A type termbridge does not read (an image, a spreadsheet).
    #[error("{url}: {content_type} is not a page termbridge reads (HTML, PDF, DOCX or plain text)")]
    Unsupported {
        /// The page.
        url: String,
        /// The type served or guessed.
        content_type: String,
    },
    /// `pdftotext` is not installed.
    #[error("{url}: PDF reading is off: pdftotext was not found (install the Debian package poppler-utils)")]
    PdfOff {
        /// The page.
        url: String,
    },
    /// `pdftotext` could not read the file, or took too long.
    #[error("{url}: not a readable PDF: {reason}")]
    Pdf {
        /// The page.
        url: String,
        /// What pdftotext said, or the time limit.
        reason: String,
    },
    /// A damaged DOCX container.
    #[error("{url}: not a readable DOCX file: {reason}")]
    Docx {
        /// The page.
        url: String,
        /// What is wrong.
        reason: String,
    },
    /// The temporary file for `pdftotext` could not be written or read.
    #[error("{url}: cannot pass the PDF to pdftotext: {source}")]
    Io {
        /// The page.
        url: String,
        /// The cause.
        source: std::io::Error,
    },
}

impl crate::problem::Classify for PageError {
    /// The page is at fault, but for a missing pdftotext (the host's set-up) and I/O.
    fn class(&self) -> crate::problem::ErrorClass {
        match self {
            PageError::Io { source, .. } => crate::problem::ErrorClass::of_io(source),
            PageError::PdfOff { .. } => crate::problem::ErrorClass::Refused,
            _ => crate::problem::ErrorClass::Input,
        }
    }
}

/// The languages a page is told among (the official ones everywhere and in municipalities,
/// and English, which institutions also publish in).
const CANDIDATES: [Lang; 5] = [Lang::Sq, Lang::Sr, Lang::En, Lang::Tr, Lang::Bs];

/// The letters of text language detection reads per page: the longest blocks first, which
/// are the content rather than the menus; more adds time and no certainty.
const DETECTION_LETTERS: usize = 6000;

/// The kinds of page read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Html,
    Pdf,
    Docx,
    Text,
}

/// Reads a fetched page's text, language and what pairing compares. `alternates`,
/// `switchers` and `links` are the page's links as the crawl's link reader found them.
///
/// ```
/// use std::collections::BTreeMap;
/// use termbridge::model::lang::LangTag;
/// use termbridge::model::monitor::{FetchedPage, Snapshot};
/// use termbridge::monitor::page::read_page;
/// let html = "<html lang=sq><title>Njoftim</title><p>Komuna e Junikut njofton qytetarët se afati për aplikim është 15.03.2024.</p></html>";
/// let headers = BTreeMap::from([("content-type".to_string(), "text/html".to_string())]);
/// let snapshot = Snapshot { url: "https://junik.example/sq/njoftim".into(), final_url: "https://junik.example/sq/njoftim".into(), status: 200,
///     fetched_at: 0, headers, hash: String::new(), body_len: html.len() as u64, lastmod: None, depth: 0 };
/// let page = read_page(&FetchedPage { snapshot, body: html.as_bytes().to_vec() }, Vec::new(), Vec::new(), Vec::new()).unwrap();
/// assert_eq!(page.info.tag, Some(LangTag::SQ));
/// assert_eq!(page.info.dates, vec!["2024-03-15"]);
/// assert_eq!(page.document.path.to_str(), Some("https://junik.example/sq/njoftim"));
/// ```
pub fn read_page(page: &FetchedPage, alternates: Vec<(String, String)>, switchers: Vec<(String, String)>, links: Vec<String>) -> Result<PageText, PageError> {
    let snapshot = &page.snapshot;
    let url = if snapshot.final_url.is_empty() { snapshot.url.clone() } else { snapshot.final_url.clone() };
    let (mime, charset) = content_type(snapshot.header("content-type").unwrap_or(""));
    let kind = kind_of(&mime, &url, &page.body).ok_or_else(|| PageError::Unsupported { url: url.clone(), content_type: mime.clone() })?;
    let body = page.body.as_slice();
    if matches!(kind, Kind::Html | Kind::Text) && looks_binary(body) {
        return Err(PageError::Binary { url, content_type: if mime.is_empty() { "text".to_string() } else { mime } });
    }
    let mut declared = snapshot.header("content-language").and_then(|value| value.split(',').next()).map(str::trim).filter(|v| !v.is_empty());
    let mut listing = false;
    let (format, blocks, html_lang) = match kind {
        Kind::Html => {
            let text = decode_html(&url, body, charset.as_deref())?;
            let html_lang = html_lang(&text);
            let content = crate::formats::html::parse_page_content(&text);
            listing = content.is_listing();
            (DocumentFormat::Html, without_language_names(content.blocks), html_lang)
        }
        Kind::Docx => {
            let blocks = crate::formats::docx::parse_docx(body).map_err(|reason| PageError::Docx { url: url.clone(), reason })?;
            (DocumentFormat::Docx, blocks, None)
        }
        Kind::Pdf => (DocumentFormat::Text, pdf::pdf_blocks(&pdf::pdf_text(&url, body, "pdftotext", pdf::PDF_TIME_LIMIT)?), None),
        Kind::Text => {
            let text = match charset.as_deref().and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes())) {
                Some(encoding) => strict_decode(&url, encoding, body)?,
                None => decode_text(Path::new(&url), body).map_err(|_| PageError::Encoding {
                    url: url.clone(),
                    encoding: "UTF-8".to_string(),
                    line: bad_line(body),
                })?,
            };
            (DocumentFormat::Text, crate::formats::document::parse_text(&text), None)
        }
    };
    if html_lang.is_some() {
        declared = html_lang.as_deref();
    }
    let declared = declared.map(str::to_string);
    let title = title(&blocks);
    let chars = blocks.iter().map(|block| block.text.chars().count()).sum();
    let found = features(blocks.iter().map(|block| block.text.as_str()));
    let tag = detect(&blocks);
    let aliases = if snapshot.url != url && !snapshot.url.is_empty() { vec![snapshot.url.clone()] } else { Vec::new() };
    let mut document = Document::new(url.clone(), format, blocks);
    // The hash of what was fetched, as `formats::document::read_document` keeps a file's.
    document.blake3 = blake3::hash(body).to_hex().to_string();
    let info = PageInfo {
        url,
        aliases,
        tag,
        declared,
        title,
        chars,
        alternates,
        switchers,
        links,
        numbers: found.numbers,
        dates: found.dates,
        names: found.names,
        listing,
    };
    Ok(PageText { info, document })
}

/// The blocks without those that only name languages ("Shqip | Српски | English"): a
/// language switcher outside the page's navigation, which is in every language on every
/// page and says nothing of the page's own language or script. Lines are numbered again.
fn without_language_names(blocks: Vec<Block>) -> Vec<Block> {
    let names_languages = |text: &str| {
        let mut words =
            text.split(|c: char| c.is_whitespace() || matches!(c, '|' | '/' | '·' | '•' | ',' | '-' | '–')).filter(|word| !word.is_empty()).peekable();
        words.peek().is_some() && words.all(|word| super::pair::url::label_lang(word).is_some())
    };
    let mut kept: Vec<Block> = blocks.into_iter().filter(|block| block.kind == BlockKind::Heading(0) || !names_languages(&block.text)).collect();
    for (idx, block) in kept.iter_mut().enumerate() {
        block.line = idx + 1;
    }
    kept
}

/// The media type (lower case) and charset of a `Content-Type` value.
fn content_type(value: &str) -> (String, Option<String>) {
    let mut parts = value.split(';');
    let mime = parts.next().unwrap_or("").trim().to_ascii_lowercase();
    let charset = parts.find_map(|part| {
        let (name, value) = part.split_once('=')?;
        name.trim().eq_ignore_ascii_case("charset").then(|| value.trim().trim_matches(['"', '\'']).to_string())
    });
    (mime, charset.filter(|c| !c.is_empty()))
}

/// The kind of page: by its type, else its address's extension, else its first bytes.
fn kind_of(mime: &str, url: &str, body: &[u8]) -> Option<Kind> {
    match mime {
        "text/html" | "application/xhtml+xml" => return Some(Kind::Html),
        "application/pdf" | "application/x-pdf" => return Some(Kind::Pdf),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => return Some(Kind::Docx),
        "text/plain" => return Some(Kind::Text),
        // Servers send documents as these when they do not know better.
        "" | "application/octet-stream" | "binary/octet-stream" | "application/download" | "application/force-download" => {}
        _ => return None,
    }
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let last = path.rsplit('/').next().unwrap_or("");
    let extension = last.rsplit_once('.').map(|(_, ext)| ext.to_ascii_lowercase());
    match extension.as_deref() {
        Some("html" | "htm" | "xhtml" | "php" | "asp" | "aspx" | "jsp") => return Some(Kind::Html),
        Some("pdf") => return Some(Kind::Pdf),
        Some("docx") => return Some(Kind::Docx),
        Some("txt") => return Some(Kind::Text),
        _ => {}
    }
    sniff(body)
}

/// The kind a body's first bytes show, as browsers sniff (WHATWG MIME Sniffing, 7.1).
fn sniff(body: &[u8]) -> Option<Kind> {
    if body.starts_with(b"%PDF-") {
        return Some(Kind::Pdf);
    }
    if body.starts_with(b"PK\x03\x04") {
        return Some(Kind::Docx);
    }
    let head = &body[..body.len().min(512)];
    let start = head.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(head.len());
    let lowered = head[start..].to_ascii_lowercase();
    if [b"<!doctype html".as_slice(), b"<html", b"<head", b"<body", b"<title", b"<p", b"<div"].iter().any(|tag| lowered.starts_with(tag)) {
        return Some(Kind::Html);
    }
    if looks_binary(body) { None } else { Some(Kind::Text) }
}

/// True when the first bytes hold control bytes no text has (NUL and the like), unless a
/// UTF-16 byte-order mark explains them.
fn looks_binary(body: &[u8]) -> bool {
    if body.starts_with(&[0xFF, 0xFE]) || body.starts_with(&[0xFE, 0xFF]) {
        return false;
    }
    body.iter().take(4096).any(|&b| matches!(b, 0x00..=0x08 | 0x0E..=0x1A | 0x1C..=0x1F))
}

/// Decodes an HTML page: a byte-order mark, else the `Content-Type` charset, else a
/// `<meta charset>` in its first bytes, else UTF-8 (the WHATWG encoding sniffing order, less
/// the guessing). Labels nobody knows are passed over, as browsers do.
fn decode_html(url: &str, body: &[u8], header: Option<&str>) -> Result<String, PageError> {
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(body) {
        return strict_decode(url, encoding, &body[bom_len..]);
    }
    let known = |label: &str| encoding_rs::Encoding::for_label(label.trim().as_bytes());
    let encoding = header.and_then(known).or_else(|| meta_charset(body).as_deref().and_then(known)).unwrap_or(encoding_rs::UTF_8);
    // A page that declares UTF-16 in an ASCII <meta> cannot be UTF-16 (HTML, 13.2.3.2).
    let encoding = if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE { encoding_rs::UTF_8 } else { encoding };
    strict_decode(url, encoding, body)
}

/// `bytes` in `encoding`, or the error naming the encoding and the first bad line.
fn strict_decode(url: &str, encoding: &'static encoding_rs::Encoding, bytes: &[u8]) -> Result<String, PageError> {
    match encoding.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => Ok(text.into_owned()),
        None => {
            let mut decoder = encoding.new_decoder_without_bom_handling();
            let mut decoded = String::with_capacity(decoder.max_utf8_buffer_length(bytes.len()).unwrap_or(bytes.len()));
            let _ = decoder.decode_to_string_without_replacement(bytes, &mut decoded, true);
            let line = decoded.matches('\n').count() + 1;
            Err(PageError::Encoding { url: url.to_string(), encoding: encoding.name().to_string(), line })
        }
    }
}

/// The line of the first byte that is not UTF-8.
fn bad_line(bytes: &[u8]) -> usize {
    let valid = std::str::from_utf8(bytes).map_or_else(|err| err.valid_up_to(), |_| bytes.len());
    bytes[..valid].iter().filter(|&&b| b == b'\n').count() + 1
}

/// The charset of a `<meta charset>` or `<meta http-equiv content="…; charset=…">` in the
/// first 4 KiB (browsers look at 1 KiB; some CMSs put a long comment first).
fn meta_charset(body: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&body[..body.len().min(4096)]).to_ascii_lowercase();
    let mut rest = head.as_str();
    while let Some(at) = rest.find("<meta") {
        let tag = &rest[at..];
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        if let Some(pos) = tag.find("charset") {
            let value = tag[pos + "charset".len()..].trim_start().strip_prefix('=')?.trim_start().trim_start_matches(['"', '\'']);
            let end = value.find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ';' | '/' | '>')).unwrap_or(value.len());
            if end > 0 {
                return Some(value[..end].to_string());
            }
        }
        rest = &rest[at + 5..];
    }
    None
}

/// The `lang` (or `xml:lang`) attribute of the `<html>` element.
fn html_lang(html: &str) -> Option<String> {
    let lowered = html.as_bytes()[..html.len().min(64 * 1024)].to_ascii_lowercase();
    let mut from = 0;
    let at = loop {
        let at = from + find(&lowered[from..], b"<html")?;
        // `<html` must be the element, not `<htmlfoo`.
        if lowered.get(at + 5).is_some_and(|b| b.is_ascii_whitespace() || *b == b'>') {
            break at;
        }
        from = at + 5;
    };
    let tag_end = at + find(&lowered[at..], b">").unwrap_or(lowered.len() - at);
    let mut cursor = at;
    while let Some(pos) = find(&lowered[cursor..tag_end], b"lang") {
        let pos = cursor + pos;
        cursor = pos + 4;
        if !matches!(lowered[pos - 1], b' ' | b'\t' | b'\n' | b'\r' | b':') {
            continue;
        }
        let mut idx = pos + 4;
        let skip_space = |mut idx: usize| {
            while idx < tag_end && lowered[idx].is_ascii_whitespace() {
                idx += 1;
            }
            idx
        };
        idx = skip_space(idx);
        if lowered.get(idx) != Some(&b'=') {
            continue;
        }
        idx = skip_space(idx + 1);
        let quote = lowered.get(idx).copied().filter(|b| matches!(b, b'"' | b'\''));
        if quote.is_some() {
            idx += 1;
        }
        let end = (idx..tag_end).find(|&i| match quote {
            Some(q) => lowered[i] == q,
            None => lowered[i].is_ascii_whitespace() || lowered[i] == b'/',
        });
        // `get`, not slicing: a tag cut at 64 KiB may end inside a character.
        let value = html.get(idx..end.unwrap_or(tag_end))?.trim();
        return (!value.is_empty()).then(|| value.to_string());
    }
    None
}

/// The first position of `needle` in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

/// The title: the HTML `<title>`, else the first heading, else the first block.
fn title(blocks: &[Block]) -> String {
    let block = blocks
        .iter()
        .find(|block| block.kind == BlockKind::Heading(0))
        .or_else(|| blocks.iter().find(|block| matches!(block.kind, BlockKind::Heading(_))))
        .or_else(|| blocks.first());
    block.map(|block| crate::audit::context::shorten(&block.text, 300)).unwrap_or_default()
}

/// The language of a page: each of its longest blocks is identified, and the language with
/// the most letters wins. Serbian's script is the one most of its Serbian blocks' letters are
/// in, as the audit decides a version's (`audit::context`: own-language letters only, so an
/// English menu does not make a Cyrillic page Latin).
fn detect(blocks: &[Block]) -> Option<LangTag> {
    let letters = |text: &str| text.chars().filter(|c| c.is_alphabetic()).count();
    let mut sample: Vec<(usize, &str)> =
        blocks.iter().map(|block| (letters(&block.text), block.text.as_str())).filter(|(n, text)| *n >= 12 && text.split_whitespace().count() >= 3).collect();
    if sample.is_empty() {
        // A page of short lines only (a form, a table): read them together.
        let joined = blocks.iter().map(|block| block.text.as_str()).collect::<Vec<_>>().join(". ");
        let guess = crate::text::langid::identify_among(&joined, &CANDIDATES)?;
        return Some(LangTag { lang: guess.lang, script: guess.script });
    }
    // Longest first; equal lengths keep the page's order (a stable sort).
    sample.sort_by_key(|(n, _)| std::cmp::Reverse(*n));
    let mut weights = [0usize; CANDIDATES.len()];
    let (mut latin, mut cyrillic, mut read) = (0, 0, 0);
    for (n, text) in sample {
        if read >= DETECTION_LETTERS {
            break;
        }
        read += n;
        let Some(guess) = crate::text::langid::identify_among(text, &CANDIDATES) else { continue };
        if let Some(idx) = CANDIDATES.iter().position(|lang| *lang == guess.lang) {
            weights[idx] += n;
        }
        if guess.lang == Lang::Sr {
            cyrillic += count_cyrillic(text);
            latin += text.chars().filter(|c| is_latin_letter(*c)).count();
        }
    }
    let (best, weight) = weights.iter().enumerate().max_by_key(|(idx, weight)| (**weight, std::cmp::Reverse(*idx)))?;
    if *weight == 0 {
        return None;
    }
    let lang = CANDIDATES[best];
    let script = (lang == Lang::Sr).then_some(if cyrillic > latin { SrScript::Cyrl } else { SrScript::Latn });
    Some(LangTag { lang, script })
}

#[cfg(test)]
mod tests;
