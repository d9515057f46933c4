//! DOCX (Office Open XML) documents as audit documents: the paragraphs of
//! `word/document.xml` in reading order, each a block numbered 1, 2, 3 …: headings (styles
//! `Title`, `Heading1`…`Heading9`, in any language's style id that ends in a digit), list items
//! (paragraphs with numbering), table cells (paragraphs inside `w:tc`) and paragraphs.
//!
//! Text comes from `w:t`; `w:tab` becomes a tab, `w:br`/`w:cr` a space; deleted text of
//! tracked changes (`w:delText`) and field instructions (`w:instrText`) are left out.
//!
//! Deliberately not read: headers, footers, footnotes, comments, text boxes' alternate
//! content duplicates (`mc:Fallback`), embedded objects.

use std::io::Read;

use super::document::{Block, BlockKind};
use super::xml::{TextEvent, XmlStop, XmlTextReader};

/// The largest `word/document.xml` read (a zip bomb guard): 64 MiB.
const MAX_XML_BYTES: u64 = 64 << 20;

/// The deepest element nesting read: none. This reader keeps counters, not a stack, so a
/// deeply nested document costs no memory and is read flat (tests/it/hostile.rs pins it).
const MAX_DEPTH: usize = usize::MAX;

/// Reads the blocks of a DOCX file's bytes; `Err` says what is wrong with the container.
///
/// Only `word/document.xml` is read, by name, into memory: no entry is ever written to disk
/// (so names such as `../../evil` do nothing), and an entry that inflates to more than
/// 64 MiB is refused, whatever size its header claims (a zip bomb).
pub fn parse_docx(bytes: &[u8]) -> Result<Vec<Block>, String> {
    parse_docx_with_limit(bytes, MAX_XML_BYTES)
}

fn parse_docx_with_limit(bytes: &[u8], limit: u64) -> Result<Vec<Block>, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|err| format!("not a zip archive ({err})"))?;
    let entry = archive.by_name("word/document.xml").map_err(|_| "no word/document.xml inside".to_string())?;
    let too_large = |size: u64| format!("word/document.xml inflates to {size} bytes or more, more than the limit of {limit} (a zip bomb?)");
    if entry.size() > limit {
        return Err(too_large(entry.size()));
    }
    let mut xml = Vec::new();
    // The header's size may lie: stop one byte past the limit whatever it says.
    entry.take(limit + 1).read_to_end(&mut xml).map_err(|err| format!("word/document.xml unreadable ({err})"))?;
    if xml.len() as u64 > limit {
        return Err(too_large(xml.len() as u64));
    }
    let xml = String::from_utf8(xml).map_err(|err| {
        let line = memchr::memchr_iter(b'\n', &err.as_bytes()[..err.utf8_error().valid_up_to()]).count() + 1;
        format!("word/document.xml line {line}: not UTF-8 (byte {})", err.utf8_error().valid_up_to())
    })?;
    parse_document_xml(&xml)
}

/// Reads the blocks of a `word/document.xml`. A DOCTYPE is refused (Word never writes one;
/// entities are never expanded), and so is malformed XML, with its line.
pub fn parse_document_xml(xml: &str) -> Result<Vec<Block>, String> {
    let line_at = |position: u64| super::bilingual::line_at(xml, position);
    let mut reader = XmlTextReader::new(xml, MAX_DEPTH);
    let mut blocks = Vec::new();
    let mut in_paragraph = false;
    let mut text = String::new();
    let mut kind = BlockKind::Paragraph;
    let mut table_depth = 0usize;
    let mut in_text = false;
    let mut skip_depth = 0usize;
    loop {
        let (_, event) = reader.next().map_err(|stop| match stop {
            XmlStop::Malformed { position, message } => format!("word/document.xml line {}: malformed XML at byte {position}: {message}", line_at(position)),
            // Reported at the line it starts on, not where its internal subset ends.
            XmlStop::Doctype { position } => {
                format!("word/document.xml line {}: a DOCTYPE is not accepted: termbridge never expands entities or loads external DTDs", line_at(position))
            }
            XmlStop::TooDeep { position, max } => format!("word/document.xml line {}: elements nested deeper than {max}", line_at(position)),
        })?;
        match event {
            TextEvent::Start(start) => {
                let name = start.local_name();
                match name.as_ref() {
                    _ if skip_depth > 0 => skip_depth += 1,
                    "Fallback" | "delText" | "instrText" => skip_depth = 1,
                    "tbl" => table_depth += 1,
                    "p" => {
                        in_paragraph = true;
                        text.clear();
                        kind = if table_depth > 0 { BlockKind::TableCell } else { BlockKind::Paragraph };
                    }
                    "t" => in_text = true,
                    "numPr" if in_paragraph && table_depth == 0 => kind = BlockKind::ListItem,
                    _ => {}
                }
            }
            TextEvent::Empty(empty) => {
                if skip_depth > 0 || !in_paragraph {
                    continue;
                }
                match empty.local_name().as_ref() {
                    "tab" => text.push('\t'),
                    "br" | "cr" => text.push(' '),
                    "pStyle" => {
                        for attribute in empty.attributes().flatten() {
                            if attribute.key.local_name().as_ref() == "val" {
                                let value = attribute.value.to_string();
                                if let Some(level) = heading_level(&value) {
                                    kind = BlockKind::Heading(level);
                                }
                            }
                        }
                    }
                    "numPr" if table_depth == 0 => kind = BlockKind::ListItem,
                    _ => {}
                }
            }
            TextEvent::End(end) => {
                if skip_depth > 0 {
                    skip_depth -= 1;
                    continue;
                }
                match end.local_name().as_ref() {
                    "tbl" => table_depth = table_depth.saturating_sub(1),
                    "t" => in_text = false,
                    "p" => {
                        in_paragraph = false;
                        let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
                        if !joined.is_empty() {
                            blocks.push(Block { kind, text: joined, line: blocks.len() + 1, column: 1, unit: None });
                        }
                        text.clear();
                    }
                    _ => {}
                }
            }
            TextEvent::Text(chunk) if in_text && skip_depth == 0 => text.push_str(&chunk),
            // An undefined entity is left out: Word never writes one.
            TextEvent::Reference(Ok(c)) if in_text && skip_depth == 0 => text.push(c),
            TextEvent::Eof => break,
            _ => {}
        }
    }
    Ok(blocks)
}

/// The heading level of a paragraph style id: `Title` is 0; `Heading2`, `berschrift2`,
/// `Naslov2` … are 2 (Word localises style ids, but they end in the level).
fn heading_level(style: &str) -> Option<u8> {
    let lowered = style.to_ascii_lowercase();
    if lowered == "title" {
        return Some(0);
    }
    let digits: String = lowered.chars().rev().take_while(char::is_ascii_digit).collect();
    let stem = &lowered[..lowered.len() - digits.len()];
    if !digits.is_empty() && (stem.contains("heading") || stem.contains("berschrift") || stem.contains("naslov") || stem.contains("titull")) {
        return digits.parse().ok();
    }
    None
}

/// Writes a minimal DOCX holding `paragraphs` (style id, text); used by tests and examples.
pub fn write_minimal_docx(paragraphs: &[(&str, &str)]) -> Result<Vec<u8>, String> {
    use std::io::Write;
    let mut body = String::new();
    for (style, text) in paragraphs {
        let escaped = text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
        let style = if style.is_empty() { String::new() } else { format!("<w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>") };
        body.push_str(&format!("<w:p>{style}<w:r><w:t xml:space=\"preserve\">{escaped}</w:t></w:r></w:p>"));
    }
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    let mut buffer = std::io::Cursor::new(Vec::new());
    let mut writer = zip::ZipWriter::new(&mut buffer);
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    writer.start_file("word/document.xml", options).map_err(|err| err.to_string())?;
    writer.write_all(document.as_bytes()).map_err(|err| err.to_string())?;
    writer.finish().map_err(|err| err.to_string())?;
    Ok(buffer.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_headings_lists_tables() {
        let xml = r#"<w:document xmlns:w="w" xmlns:mc="mc"><w:body>
            <w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Neni 5</w:t></w:r></w:p>
            <w:p><w:r><w:t xml:space="preserve">Komuna </w:t></w:r><w:r><w:t>e Junikut</w:t></w:r><w:r><w:delText>fshirë</w:delText></w:r></w:p>
            <w:p><w:pPr><w:numPr><w:ilvl w:val="0"/></w:numPr></w:pPr><w:r><w:t>pika &amp; një</w:t></w:r></w:p>
            <w:p></w:p>
            <w:tbl><w:tr><w:tc><w:p><w:r><w:t>qeliza</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
            </w:body></w:document>"#;
        let blocks = parse_document_xml(xml).unwrap();
        let got: Vec<_> = blocks.iter().map(|b| (b.kind, b.text.as_str(), b.line)).collect();
        assert_eq!(
            got,
            vec![
                (BlockKind::Heading(1), "Neni 5", 1),
                (BlockKind::Paragraph, "Komuna e Junikut", 2),
                (BlockKind::ListItem, "pika & një", 3),
                (BlockKind::TableCell, "qeliza", 4),
            ]
        );
    }

    #[test]
    fn round_trip_through_zip() {
        let bytes = write_minimal_docx(&[("Title", "Vendim"), ("", "Teksti <b>")]).unwrap();
        let blocks = parse_docx(&bytes).unwrap();
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].kind, BlockKind::Heading(0));
        assert_eq!(blocks[1].text, "Teksti <b>");
        assert!(parse_docx("not a zip".as_bytes()).unwrap_err().starts_with("not a zip archive"));
    }

    #[test]
    fn inflated_size_and_doctype_are_limited() {
        let bytes = write_minimal_docx(&[("", &"a".repeat(5000))]).unwrap();
        assert!(parse_docx_with_limit(&bytes, 10_000).is_ok());
        let err = parse_docx_with_limit(&bytes, 1000).unwrap_err();
        assert!(err.contains("more than the limit of 1000"), "{err}");
        let err = parse_document_xml("<?xml version=\"1.0\"?>\n<!DOCTYPE w [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<w:document/>").unwrap_err();
        assert!(err.starts_with("word/document.xml line 2: a DOCTYPE is not accepted"), "{err}");
    }

    /// A DOCX whose word/document.xml holds exactly `xml`.
    fn zip_with(xml: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut buffer = std::io::Cursor::new(Vec::new());
        let mut writer = zip::ZipWriter::new(&mut buffer);
        writer.start_file("word/document.xml", zip::write::SimpleFileOptions::default()).unwrap();
        writer.write_all(xml).unwrap();
        writer.finish().unwrap();
        buffer.into_inner()
    }

    /// WordprocessingML-like markup soup.
    const SOUP: &str = "(<w:(p|r|t|tbl|tc|pStyle|numPr|tab|br|delText|instrText)( w:val=\"[a-zA-Z0-9]{0,9}\")?/?>|</w:(p|r|t|tbl|tc|delText)>|<mc:Fallback>|</mc:Fallback>|[a-zë<>&;#x0-9 ]{0,6}|&[a-z#0-9]{0,5};|<!DOCTYPE x>|<!\\[CDATA\\[[a-z]{0,3}\\]\\]>){0,40}";

    proptest::proptest! {
        #[test]
        fn never_panics_on_bytes(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600)) {
            let _ = parse_docx(&bytes);
        }

        #[test]
        fn never_panics_on_markup_soup(xml in SOUP) {
            if let Ok(blocks) = parse_document_xml(&xml) {
                for (idx, block) in blocks.iter().enumerate() {
                    proptest::prop_assert_eq!(block.line, idx + 1);
                    proptest::prop_assert!(!block.text.is_empty());
                }
            }
            let _ = parse_docx(&zip_with(xml.as_bytes()));
        }

        #[test]
        fn never_panics_on_a_damaged_archive(xml in SOUP, damage in proptest::collection::vec((0usize..4096, proptest::prelude::any::<u8>()), 1..8)) {
            let mut bytes = zip_with(xml.as_bytes());
            for (at, byte) in damage {
                let len = bytes.len();
                bytes[at % len] = byte;
            }
            let _ = parse_docx(&bytes);
        }
    }
}
