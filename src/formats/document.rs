//! Documents as the audit reads them: one language version of a text, split into numbered
//! blocks (headings, paragraphs, list items, table cells, lines).
//!
//! [`read_document`] picks a reader by file extension: plain text (one block a non-empty
//! line), Markdown (headings, list items, table cells, paragraphs of joined lines), HTML
//! ([`super::html`]) and DOCX ([`super::docx`]). Every block keeps where it came from, so a
//! finding can point at it: for text and Markdown the 1-based line of the file, for HTML and
//! DOCX the 1-based block number (DESIGN.md, "Audit report").
//!
//! Readers are lenient: markup they do not understand is read as text. They deliberately do
//! not keep formatting (bold, links), footnotes, headers and footers of DOCX, or images.

use std::path::{Path, PathBuf};

use serde::Serialize;

/// What a block is in the document's structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BlockKind {
    /// A heading, with its level (1 = top; 0 for a page title).
    Heading(u8),
    /// A paragraph of running text.
    Paragraph,
    /// One item of a list.
    ListItem,
    /// One cell of a table.
    TableCell,
    /// One line of a plain text file.
    Line,
}

/// One block of text with its location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Block {
    /// What the block is.
    pub kind: BlockKind,
    /// The text, trimmed, markup removed.
    pub text: String,
    /// 1-based line (text, Markdown) or block number (HTML, DOCX, bilingual files).
    pub line: usize,
    /// 1-based column in the line where `text` starts (1 unless indentation was trimmed).
    pub column: usize,
    /// An identifier shared with the other language's block, when the input pairs them
    /// already (a unit id of a bilingual file); the aligner takes it as a hard anchor.
    pub unit: Option<String>,
}

/// The input formats of a document version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DocumentFormat {
    /// Plain text, one segment a line.
    Text,
    /// Markdown.
    Markdown,
    /// HTML.
    Html,
    /// Office Open XML word processing (DOCX).
    Docx,
    /// Gettext PO (bilingual: msgid and msgstr).
    Po,
    /// XLIFF 1.2 or 2.x (bilingual: source and target).
    Xliff,
    /// TMX (one side per language of its units).
    Tmx,
}

impl DocumentFormat {
    /// The format for a file name, by extension (anything unknown is plain text).
    pub fn from_path(path: &Path) -> DocumentFormat {
        match path.extension().and_then(|ext| ext.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("md" | "markdown") => DocumentFormat::Markdown,
            Some("html" | "htm" | "xhtml") => DocumentFormat::Html,
            Some("docx") => DocumentFormat::Docx,
            Some("po" | "pot") => DocumentFormat::Po,
            Some("xliff" | "xlf" | "xlif") => DocumentFormat::Xliff,
            Some("tmx") => DocumentFormat::Tmx,
            _ => DocumentFormat::Text,
        }
    }

    /// True when locations are block numbers rather than file lines.
    pub fn numbers_blocks(self) -> bool {
        !matches!(self, DocumentFormat::Text | DocumentFormat::Markdown)
    }

    /// True for formats that hold two or more languages (see [`super::bilingual`]).
    pub fn is_bilingual(self) -> bool {
        matches!(self, DocumentFormat::Po | DocumentFormat::Xliff | DocumentFormat::Tmx)
    }
}

/// One language version of a document, read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Document {
    /// Where it was read from (as given).
    pub path: PathBuf,
    /// Its format.
    pub format: DocumentFormat,
    /// Its blocks, in reading order.
    pub blocks: Vec<Block>,
    /// The BLAKE3 hash (hex) of the bytes read, so a report can say exactly which file it
    /// judged; for a document built in memory, of its blocks' text ([`Document::new`]).
    pub blake3: String,
    /// True for the source side of a bilingual file (PO `msgid`, XLIFF `source`, TMX
    /// `srclang`): the original the other sides translate.
    pub original: bool,
}

impl Document {
    /// A document built in memory: its hash is the BLAKE3 of its blocks' text, one a line.
    pub fn new(path: impl Into<PathBuf>, format: DocumentFormat, blocks: Vec<Block>) -> Document {
        let mut hasher = blake3::Hasher::new();
        for block in &blocks {
            hasher.update(block.text.as_bytes());
            hasher.update(b"\n");
        }
        Document { path: path.into(), format, blocks, blake3: hasher.finalize().to_hex().to_string(), original: false }
    }
}

/// Why a document could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// The file could not be opened or read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The bytes are not UTF-8 text (nor UTF-16 with a byte-order mark).
    #[error("{path}: line {line}: not UTF-8 text")]
    Encoding {
        /// The file.
        path: PathBuf,
        /// The first line with a bad byte.
        line: usize,
    },
    /// The file is larger than [`MAX_DOCUMENT_BYTES`].
    #[error("{path}: file is {size} bytes, more than the limit of {limit} for one document version")]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// A container format (DOCX) is damaged or incomplete.
    #[error("{path}: not a readable {format} file: {reason}")]
    Container {
        /// The file.
        path: PathBuf,
        /// The expected format.
        format: &'static str,
        /// What is wrong.
        reason: String,
    },
}

impl crate::problem::Classify for DocumentError {
    /// The input is at fault, but for I/O errors that are the machine's.
    fn class(&self) -> crate::problem::ErrorClass {
        match self {
            DocumentError::Io { source, .. } => crate::problem::ErrorClass::of_io(source),
            DocumentError::Encoding { .. } | DocumentError::TooLarge { .. } | DocumentError::Container { .. } => crate::problem::ErrorClass::Input,
        }
    }
}

/// The largest document version read (8 MiB): a decision, a web page or a whole code of
/// law is a few MiB at most, and the audit holds every version in memory with its analysis,
/// about twenty bytes a byte of text (see [`MAX_AUDIT_TEXT_BYTES`](crate::audit::MAX_AUDIT_TEXT_BYTES)).
pub const MAX_DOCUMENT_BYTES: u64 = 8 << 20;

/// Reads a whole input file of at most [`MAX_DOCUMENT_BYTES`].
pub(crate) fn read_capped(path: &Path) -> Result<Vec<u8>, DocumentError> {
    use std::io::Read;
    let io = |source| DocumentError::Io { path: path.to_path_buf(), source };
    let file = std::fs::File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    let too_large = |size| DocumentError::TooLarge { path: path.to_path_buf(), size, limit: MAX_DOCUMENT_BYTES };
    if size > MAX_DOCUMENT_BYTES {
        return Err(too_large(size));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    // The size can change while the file is read (a pipe, a file being written): read one
    // byte past the limit to notice.
    file.take(MAX_DOCUMENT_BYTES + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > MAX_DOCUMENT_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Reads a document version, choosing the reader by extension.
///
/// ```no_run
/// let document = termbridge::formats::document::read_document(std::path::Path::new("decision.sq.md")).unwrap();
/// assert!(document.blocks.iter().all(|block| block.line >= 1));
/// ```
pub fn read_document(path: &Path) -> Result<Document, DocumentError> {
    let format = DocumentFormat::from_path(path);
    let bytes = read_capped(path)?;
    if format.is_bilingual() {
        return Err(DocumentError::Container {
            path: path.to_path_buf(),
            format: "single-language",
            reason: "a bilingual file (PO, XLIFF, TMX) holds several versions; read it with formats::bilingual".to_string(),
        });
    }
    let blocks = match format {
        DocumentFormat::Docx => {
            super::docx::parse_docx(&bytes).map_err(|reason| DocumentError::Container { path: path.to_path_buf(), format: "DOCX", reason })?
        }
        _ => {
            let text = decode_text(path, &bytes)?;
            match format {
                DocumentFormat::Markdown => parse_markdown(&text),
                DocumentFormat::Html => super::html::parse_html(&text),
                _ => parse_text(&text),
            }
        }
    };
    Ok(Document { path: path.to_path_buf(), format, blocks, blake3: blake3::hash(&bytes).to_hex().to_string(), original: false })
}

/// Decodes UTF-8 (a BOM is dropped) or UTF-16 with a byte-order mark, naming the first bad
/// line.
pub fn decode_text(path: &Path, bytes: &[u8]) -> Result<String, DocumentError> {
    let utf16 = |rest: &[u8], encoding: &'static encoding_rs::Encoding| {
        let mut decoder = encoding.new_decoder_without_bom_handling();
        let capacity = decoder.max_utf8_buffer_length_without_replacement(rest.len()).ok_or_else(|| encoding_error(path, ""))?;
        let mut text = String::with_capacity(capacity);
        match decoder.decode_to_string_without_replacement(rest, &mut text, true) {
            (encoding_rs::DecoderResult::InputEmpty, _) => Ok(text),
            // A lone surrogate or an odd byte: the line of what was decoded before it.
            _ => Err(encoding_error(path, &text)),
        }
    };
    match bytes {
        [0xFF, 0xFE, rest @ ..] => return utf16(rest, encoding_rs::UTF_16LE),
        [0xFE, 0xFF, rest @ ..] => return utf16(rest, encoding_rs::UTF_16BE),
        _ => {}
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(err) => {
            let line = bytes[..err.valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1;
            Err(DocumentError::Encoding { path: path.to_path_buf(), line })
        }
    }
}

/// The encoding error for a UTF-16 text that went wrong after `decoded`.
fn encoding_error(path: &Path, decoded: &str) -> DocumentError {
    DocumentError::Encoding { path: path.to_path_buf(), line: decoded.matches('\n').count() + 1 }
}

/// Splits plain text into one block a non-empty line.
pub fn parse_text(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    for (idx, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            continue;
        }
        let indent = raw[..raw.len() - raw.trim_start().len()].chars().count();
        blocks.push(Block { kind: BlockKind::Line, text: trimmed.to_string(), line: idx + 1, column: indent + 1, unit: None });
    }
    blocks
}

/// Splits Markdown into headings, list items, table cells and paragraphs (consecutive text
/// lines joined with a space). Fenced code is skipped: it is not translated.
pub fn parse_markdown(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut paragraph: Option<(usize, usize, String)> = None;
    let mut in_fence = false;
    let flush = |paragraph: &mut Option<(usize, usize, String)>, blocks: &mut Vec<Block>| {
        if let Some((line, column, text)) = paragraph.take() {
            let text = strip_inline_markdown(&text);
            if !text.trim().is_empty() {
                blocks.push(Block { kind: BlockKind::Paragraph, text: text.trim().to_string(), line, column, unit: None });
            }
        }
    };
    for (idx, raw) in text.split('\n').enumerate() {
        let line_no = idx + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let trimmed = raw.trim();
        let indent = raw[..raw.len() - raw.trim_start().len()].chars().count();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            flush(&mut paragraph, &mut blocks);
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        if trimmed.is_empty() {
            flush(&mut paragraph, &mut blocks);
            continue;
        }
        if let Some(level) = heading_level(trimmed) {
            flush(&mut paragraph, &mut blocks);
            let body = trimmed.trim_start_matches('#').trim().trim_end_matches('#').trim();
            let offset = trimmed.len() - trimmed.trim_start_matches('#').trim_start().len();
            push_block(&mut blocks, BlockKind::Heading(level), body, line_no, indent + offset + 1);
            continue;
        }
        if trimmed.starts_with('|') {
            flush(&mut paragraph, &mut blocks);
            // A separator row (|---|:--:|) carries no text.
            if trimmed.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ')) {
                continue;
            }
            let mut column = indent + 1;
            for cell in trimmed.trim_matches('|').split('|') {
                column += 1;
                let lead = cell.len() - cell.trim_start().len();
                push_block(&mut blocks, BlockKind::TableCell, cell.trim(), line_no, column + lead);
                column += cell.chars().count();
            }
            continue;
        }
        if let Some(marker_len) = list_marker_len(trimmed) {
            flush(&mut paragraph, &mut blocks);
            push_block(&mut blocks, BlockKind::ListItem, &trimmed[marker_len..], line_no, indent + marker_len + 1);
            continue;
        }
        match &mut paragraph {
            Some((_, _, text)) => {
                text.push(' ');
                text.push_str(trimmed);
            }
            None => paragraph = Some((line_no, indent + 1, trimmed.to_string())),
        }
    }
    flush(&mut paragraph, &mut blocks);
    blocks
}

fn push_block(blocks: &mut Vec<Block>, kind: BlockKind, raw: &str, line: usize, column: usize) {
    let text = strip_inline_markdown(raw);
    let text = text.trim();
    if !text.is_empty() {
        blocks.push(Block { kind, text: text.to_string(), line, column, unit: None });
    }
}

fn heading_level(line: &str) -> Option<u8> {
    let hashes = line.chars().take_while(|&c| c == '#').count();
    if (1..=6).contains(&hashes) && line[hashes..].starts_with(' ') { Some(hashes as u8) } else { None }
}

/// Length of a list marker ("- ", "* ", "+ ", "1. ", "1) ") at the start of `line`.
fn list_marker_len(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    if bytes.len() >= 2 && matches!(bytes[0], b'-' | b'*' | b'+') && bytes[1] == b' ' {
        return Some(2);
    }
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    if (1..=3).contains(&digits) && bytes.len() > digits + 1 && matches!(bytes[digits], b'.' | b')') && bytes[digits + 1] == b' ' {
        return Some(digits + 2);
    }
    None
}

/// Drops emphasis markers and keeps link text (and the target, which may be an invariant
/// the audit compares), so the words read as written.
fn strip_inline_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut idx = 0;
    while idx < chars.len() {
        let c = chars[idx];
        match c {
            '*' | '`' => {}
            // Underscores inside words (snake_case, file names) are text, not emphasis.
            '_' if idx == 0 || idx + 1 == chars.len() || !chars[idx - 1].is_alphanumeric() || !chars[idx + 1].is_alphanumeric() => {}
            '!' if chars.get(idx + 1) == Some(&'[') => {}
            '[' => {
                // [text](target) -> text (target)
                if let Some(close) = chars[idx..].iter().position(|&ch| ch == ']').map(|p| p + idx)
                    && chars.get(close + 1) == Some(&'(')
                    && let Some(end) = chars[close..].iter().position(|&ch| ch == ')').map(|p| p + close)
                {
                    let label: String = chars[idx + 1..close].iter().collect();
                    let target: String = chars[close + 2..end].iter().collect();
                    out.push_str(&label);
                    if !target.is_empty() && !target.starts_with('#') {
                        out.push_str(" (");
                        out.push_str(&target);
                        out.push(')');
                    }
                    idx = end + 1;
                    continue;
                }
                out.push(c);
            }
            _ => out.push(c),
        }
        idx += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(blocks: &[Block]) -> Vec<(BlockKind, &str, usize)> {
        blocks.iter().map(|block| (block.kind, block.text.as_str(), block.line)).collect()
    }

    #[test]
    fn text_lines_keep_their_line_numbers() {
        let blocks = parse_text("Komuna: Junik\r\n\n  Neni 5\n");
        assert_eq!(kinds(&blocks), vec![(BlockKind::Line, "Komuna: Junik", 1), (BlockKind::Line, "Neni 5", 3)]);
        assert_eq!(blocks[1].column, 3);
    }

    #[test]
    fn markdown_structure() {
        let md =
            "# Vendim\n\nNeni 1\nKomuna e **Junikut**\nvendos.\n\n- pika [një](https://ex.org/a)\n1. dy\n\n| a | b |\n|---|---|\n| c | d |\n```\ncode\n```\n";
        let blocks = parse_markdown(md);
        assert_eq!(
            kinds(&blocks),
            vec![
                (BlockKind::Heading(1), "Vendim", 1),
                (BlockKind::Paragraph, "Neni 1 Komuna e Junikut vendos.", 3),
                (BlockKind::ListItem, "pika një (https://ex.org/a)", 7),
                (BlockKind::ListItem, "dy", 8),
                (BlockKind::TableCell, "a", 10),
                (BlockKind::TableCell, "b", 10),
                (BlockKind::TableCell, "c", 12),
                (BlockKind::TableCell, "d", 12),
            ]
        );
        assert_eq!(parse_markdown("file_name_here")[0].text, "file_name_here");
    }

    #[test]
    fn formats_by_extension() {
        assert_eq!(DocumentFormat::from_path(Path::new("a.sq.HTML")), DocumentFormat::Html);
        assert_eq!(DocumentFormat::from_path(Path::new("a.docx")), DocumentFormat::Docx);
        assert_eq!(DocumentFormat::from_path(Path::new("a.md")), DocumentFormat::Markdown);
        assert_eq!(DocumentFormat::from_path(Path::new("a")), DocumentFormat::Text);
    }

    #[test]
    fn bad_utf8_names_the_line() {
        let err = decode_text(Path::new("x.txt"), b"ok\nbad \xff\n").unwrap_err();
        assert_eq!(err.to_string(), "x.txt: line 2: not UTF-8 text");
    }

    #[test]
    fn utf16_with_a_bom_is_decoded() {
        let text = "Komuna e Prishtinës\nОпштина 😀\n";
        let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let be: Vec<u8> = [0xFE, 0xFF].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect();
        assert_eq!(decode_text(Path::new("x.txt"), &le).unwrap(), text);
        assert_eq!(decode_text(Path::new("x.txt"), &be).unwrap(), text);
        let mut lone = le.clone();
        lone.extend_from_slice(&0xDC00u16.to_le_bytes());
        assert!(matches!(decode_text(Path::new("x.txt"), &lone).unwrap_err(), DocumentError::Encoding { line: 3, .. }));
        assert!(decode_text(Path::new("x.txt"), &le[..le.len() - 1]).is_err(), "odd length");
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_bytes(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
            if let Ok(text) = decode_text(Path::new("p.txt"), &bytes) {
                let _ = parse_text(&text);
                let _ = parse_markdown(&text);
            }
        }

        #[test]
        fn blocks_point_into_the_text(text in "([#|*_`>\\-+0-9.) \\[\\]()!~a-zëç]{0,12}\n?){0,20}") {
            let lines = text.split('\n').count();
            for block in parse_text(&text).into_iter().chain(parse_markdown(&text)) {
                proptest::prop_assert!(block.line >= 1 && block.line <= lines, "{:?}", block);
                proptest::prop_assert!(block.column >= 1);
                proptest::prop_assert!(!block.text.is_empty());
            }
        }
    }
}
