//! Bilingual and multilingual files (gettext PO, XLIFF 1.2 and 2.x, TMX) as audit
//! documents: one [`Document`] per language, each unit a block numbered by its position
//! in the file (1, 2, 3 …), the unit id kept so that the aligner pairs the sides exactly.
//! A unit with an empty side (an untranslated PO entry, a missing target) has no block on
//! that side, which the audit reports as a missing segment.
//!
//! This is a minimal reader for audits: text only (inline codes such as TMX `bpt`/`ept`/`ph`
//! are dropped, the text inside XLIFF `g`/`mrk` kept), no plural forms beyond the first, no
//! notes or properties. The import readers ([`super::read_file`]) keep all of that, but they
//! leave out units without a target, as a translation memory must; an audit needs exactly
//! those, so it reads the files itself.

use std::path::Path;

use super::document::{Block, BlockKind, Document, DocumentError, DocumentFormat, decode_text};
use super::xml::{TextEvent, XmlStop, XmlTextReader};
use crate::model::lang::LangTag;

/// Why a file cannot be read as a bilingual file (reported as a damaged container).
#[derive(Debug, thiserror::Error)]
pub enum BilingualError {
    /// The extension names no bilingual format.
    #[error("not a PO, XLIFF or TMX file")]
    NotBilingual,
    /// A PO line's string is not closed.
    #[error("bad string literal: {0}")]
    BadLiteral(String),
    /// A PO keyword this reader does not know.
    #[error("unknown keyword {0:?}")]
    UnknownKeyword(String),
    /// A PO file without a `Language:` header.
    #[error("no Language: header names the translation's language")]
    NoTargetLanguage,
    /// The XML is not well-formed.
    #[error("line {line}: malformed XML at byte {byte}: {message}")]
    Xml {
        /// 1-based line of the error.
        line: usize,
        /// Byte offset of the error.
        byte: u64,
        /// What the parser found wrong.
        message: String,
    },
    /// Elements are nested deeper than the reader follows.
    #[error("line {line}: elements nested deeper than {max}")]
    TooDeep {
        /// 1-based line of the element that is too deep.
        line: usize,
        /// The deepest nesting accepted.
        max: usize,
    },
    /// The XML has a DOCTYPE, which is refused.
    #[error("line {line}: a DOCTYPE is not accepted: termbridge never expands entities or loads external DTDs")]
    Doctype {
        /// 1-based line where it starts.
        line: usize,
    },
    /// An XLIFF file without source and target languages.
    #[error("the file does not name its source and target languages")]
    NoLanguages,
}

/// The sides of a bilingual file, one document per language, in the file's order
/// (source first).
pub fn read_bilingual(path: &Path) -> Result<Vec<(LangTag, Document)>, DocumentError> {
    let format = DocumentFormat::from_path(path);
    let bytes = super::document::read_capped(path)?;
    let text = decode_text(path, &bytes)?;
    // Every side is read from the same file, so each carries the file's hash.
    let hash = blake3::hash(&bytes).to_hex().to_string();
    let units = match format {
        DocumentFormat::Po => parse_po(&text),
        DocumentFormat::Xliff | DocumentFormat::Tmx => parse_xml(&text, format),
        _ => Err(BilingualError::NotBilingual),
    }
    .map_err(|err| DocumentError::Container { path: path.to_path_buf(), format: "bilingual", reason: err.to_string() })?;
    let mut sides: Vec<(LangTag, Document)> = Vec::new();
    for (idx, unit) in units.iter().enumerate() {
        for (tag, text) in &unit.texts {
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let position = match sides.iter().position(|(side, _)| side.lang == tag.lang) {
                Some(position) => position,
                None => {
                    sides.push((*tag, Document { path: path.to_path_buf(), format, blocks: Vec::new(), blake3: hash.clone(), original: sides.is_empty() }));
                    sides.len() - 1
                }
            };
            if text.is_empty() {
                continue;
            }
            sides[position].1.blocks.push(Block { kind: BlockKind::Paragraph, text, line: idx + 1, column: 1, unit: Some(unit.id.clone()) });
        }
    }
    Ok(sides)
}

/// One unit: its id and its text per language.
#[derive(Debug, Default)]
struct Unit {
    id: String,
    texts: Vec<(LangTag, String)>,
}

fn tag(raw: &str) -> Option<LangTag> {
    LangTag::parse(raw).ok()
}

/// Unescapes a PO string literal's content.
fn po_unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => {}
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

fn parse_po(text: &str) -> Result<Vec<Unit>, BilingualError> {
    // (msgctxt, msgid, msgstr) of each entry, in order.
    let mut entries: Vec<(String, String, String)> = Vec::new();
    let mut current = (String::new(), String::new(), String::new());
    let mut field: u8 = 0;
    let mut seen_any = false;
    let flush = |current: &mut (String, String, String), entries: &mut Vec<(String, String, String)>, seen: &mut bool| {
        if *seen {
            entries.push(std::mem::take(current));
        }
        *seen = false;
    };
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            flush(&mut current, &mut entries, &mut seen_any);
            field = 0;
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let (keyword, rest) = match line.find('"') {
            Some(pos) => (line[..pos].trim(), &line[pos..]),
            None => continue,
        };
        let literal = rest.strip_prefix('"').and_then(|r| r.strip_suffix('"')).ok_or_else(|| BilingualError::BadLiteral(line.to_string()))?;
        let value = po_unescape(literal);
        match keyword {
            "msgctxt" => {
                if field >= 2 {
                    flush(&mut current, &mut entries, &mut seen_any);
                }
                field = 1;
                current.0 = value;
            }
            "msgid" => {
                if field >= 2 {
                    flush(&mut current, &mut entries, &mut seen_any);
                }
                field = 2;
                current.1 = value;
            }
            "msgid_plural" => field = 4,
            "msgstr" | "msgstr[0]" => {
                field = 3;
                current.2 = value;
            }
            _ if keyword.starts_with("msgstr[") => field = 4,
            "" => match field {
                1 => current.0.push_str(&value),
                2 => current.1.push_str(&value),
                3 => current.2.push_str(&value),
                _ => {}
            },
            other => return Err(BilingualError::UnknownKeyword(other.to_string())),
        }
        seen_any = true;
    }
    flush(&mut current, &mut entries, &mut seen_any);
    // The header entry (empty msgid) names the target language.
    let mut target = None;
    let mut source = LangTag::EN;
    if let Some(header) = entries.iter().find(|(_, id, _)| id.is_empty()) {
        for line in header.2.lines() {
            if let Some(value) = line.strip_prefix("Language:") {
                target = tag(value.trim());
            }
            if let Some(value) = line.strip_prefix("X-Source-Language:")
                && let Some(found) = tag(value.trim())
            {
                source = found;
            }
        }
    }
    let target = target.ok_or(BilingualError::NoTargetLanguage)?;
    Ok(entries
        .into_iter()
        .filter(|(_, id, _)| !id.is_empty())
        .map(|(ctxt, id, string)| Unit { id: format!("{ctxt}\u{4}{id}"), texts: vec![(source, id), (target, string)] })
        .collect())
}

/// The 1-based line of byte `position` of `text`.
pub(crate) fn line_at(text: &str, position: u64) -> usize {
    let end = (position as usize).min(text.len());
    memchr::memchr_iter(b'\n', &text.as_bytes()[..end]).count() + 1
}

/// Elements whose content is native code, not text.
const CODE_ELEMENTS: &[&str] = &["bpt", "ept", "ph", "it", "ut", "sub", "originalData"];

fn parse_xml(text: &str, format: DocumentFormat) -> Result<Vec<Unit>, BilingualError> {
    let mut reader = XmlTextReader::new(text, super::Limits::default().max_depth);
    let mut units = Vec::new();
    let (mut source_lang, mut target_lang) = (None, None);
    let mut unit: Option<Unit> = None;
    let mut capture: Option<(LangTag, String)> = None;
    let mut tuv_lang: Option<LangTag> = None;
    let mut code_depth = 0usize;
    let mut counter = 0usize;
    loop {
        let (_, event) = reader.next().map_err(|stop| match stop {
            XmlStop::Malformed { position, message } => BilingualError::Xml { line: line_at(text, position), byte: position, message },
            // Reported at the line it starts on, not where its internal subset ends.
            XmlStop::Doctype { position } => BilingualError::Doctype { line: line_at(text, position) },
            XmlStop::TooDeep { position, max } => BilingualError::TooDeep { line: line_at(text, position), max },
        })?;
        match event {
            TextEvent::Start(ref start) | TextEvent::Empty(ref start) => {
                let empty = matches!(event, TextEvent::Empty(_));
                let name = start.local_name().as_ref().to_string();
                if CODE_ELEMENTS.contains(&name.as_str()) {
                    if !empty {
                        code_depth += 1;
                    }
                    continue;
                }
                if code_depth > 0 {
                    continue;
                }
                let attribute = |wanted: &str| -> Option<String> {
                    start
                        .attributes()
                        .flatten()
                        .find(|attr| attr.key.local_name().as_ref() == wanted || attr.key.as_ref() == wanted)
                        .map(|attr| attr.value.to_string())
                };
                match name.as_str() {
                    "file" | "xliff" if format == DocumentFormat::Xliff => {
                        if let Some(lang) = attribute("source-language").or_else(|| attribute("srcLang")) {
                            source_lang = tag(&lang);
                        }
                        if let Some(lang) = attribute("target-language").or_else(|| attribute("trgLang")) {
                            target_lang = tag(&lang);
                        }
                    }
                    "trans-unit" | "unit" | "tu" if !empty => {
                        counter += 1;
                        let id = attribute("id").or_else(|| attribute("tuid")).unwrap_or_else(|| counter.to_string());
                        unit = Some(Unit { id, texts: Vec::new() });
                    }
                    "tuv" => tuv_lang = attribute("lang").and_then(|lang| tag(&lang)),
                    "source" if !empty && format == DocumentFormat::Xliff => capture = source_lang.map(|lang| (lang, String::new())),
                    "target" if !empty && format == DocumentFormat::Xliff => capture = target_lang.map(|lang| (lang, String::new())),
                    "seg" if !empty && format == DocumentFormat::Tmx => capture = tuv_lang.map(|lang| (lang, String::new())),
                    _ => {}
                }
            }
            TextEvent::End(end) => {
                let name = end.local_name().as_ref().to_string();
                if CODE_ELEMENTS.contains(&name.as_str()) {
                    code_depth = code_depth.saturating_sub(1);
                    continue;
                }
                if code_depth > 0 {
                    continue;
                }
                match name.as_str() {
                    "source" | "target" | "seg" => {
                        if let (Some((lang, captured)), Some(current)) = (capture.take(), unit.as_mut()) {
                            match current.texts.iter_mut().find(|(side, _)| side.lang == lang.lang) {
                                // XLIFF 2 units hold several segments: join them.
                                Some((_, existing)) => {
                                    existing.push(' ');
                                    existing.push_str(&captured);
                                }
                                None => current.texts.push((lang, captured)),
                            }
                        }
                    }
                    "trans-unit" | "unit" | "tu" => {
                        if let Some(done) = unit.take() {
                            units.push(done);
                        }
                    }
                    _ => {}
                }
            }
            TextEvent::Text(chunk) if code_depth == 0 => {
                if let Some((_, captured)) = capture.as_mut() {
                    captured.push_str(&chunk);
                }
            }
            // An undefined entity is left out of the text.
            TextEvent::Reference(Ok(c)) if code_depth == 0 => {
                if let Some((_, captured)) = capture.as_mut() {
                    captured.push(c);
                }
            }
            TextEvent::Eof => break,
            _ => {}
        }
    }
    if format == DocumentFormat::Xliff && (source_lang.is_none() || target_lang.is_none()) {
        return Err(BilingualError::NoLanguages);
    }
    Ok(units)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sides(name: &str, content: &str) -> Vec<(String, Vec<(usize, String)>)> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        read_bilingual(&path).unwrap().into_iter().map(|(tag, doc)| (tag.to_string(), doc.blocks.into_iter().map(|b| (b.line, b.text)).collect())).collect()
    }

    #[test]
    fn po_entries_and_untranslated_ones() {
        let po = "msgid \"\"\nmsgstr \"\"\n\"Language: sr@latin\\n\"\n\n#: a.py:1\nmsgid \"Save the \"\n\"file\"\nmsgstr \"Sačuvaj datoteku\"\n\nmsgctxt \"menu\"\nmsgid \"Open\"\nmsgstr \"\"\n\nmsgid \"One file\"\nmsgid_plural \"%d files\"\nmsgstr[0] \"Jedna datoteka\"\nmsgstr[1] \"%d datoteke\"\n";
        assert_eq!(
            sides("a.po", po),
            vec![
                ("en".to_string(), vec![(1, "Save the file".to_string()), (2, "Open".to_string()), (3, "One file".to_string())]),
                ("sr-Latn".to_string(), vec![(1, "Sačuvaj datoteku".to_string()), (3, "Jedna datoteka".to_string())]),
            ]
        );
    }

    #[test]
    fn xliff_1_and_2() {
        let xliff1 = r#"<?xml version="1.0"?><xliff version="1.2"><file source-language="sq" target-language="sr-Cyrl"><body>
            <trans-unit id="a"><source>Komuna <g id="1">vendos</g></source><target>Општина одлучује</target></trans-unit>
            <trans-unit id="b"><source>Neni <ph id="2">&lt;b&gt;</ph>5</source></trans-unit></body></file></xliff>"#;
        assert_eq!(
            sides("a.xlf", xliff1),
            vec![
                ("sq".to_string(), vec![(1, "Komuna vendos".to_string()), (2, "Neni 5".to_string())]),
                ("sr-Cyrl".to_string(), vec![(1, "Општина одлучује".to_string())])
            ]
        );
        let xliff2 = r#"<xliff version="2.0" srcLang="sq" trgLang="en"><file id="f"><unit id="u1"><segment><source>Një.</source><target>One.</target></segment><segment><source>Dy.</source><target>Two.</target></segment></unit></file></xliff>"#;
        assert_eq!(
            sides("b.xliff", xliff2),
            vec![("sq".to_string(), vec![(1, "Një. Dy.".to_string())]), ("en".to_string(), vec![(1, "One. Two.".to_string())])]
        );
    }

    #[test]
    fn tmx_sides_per_language() {
        let tmx = r#"<tmx version="1.4"><header srclang="sq"/><body>
            <tu tuid="1"><tuv xml:lang="sq"><seg>Komuna e <bpt i="1">&lt;b&gt;</bpt>Junikut<ept i="1">&lt;/b&gt;</ept></seg></tuv><tuv xml:lang="sr-Latn"><seg>Opština Junik</seg></tuv><tuv xml:lang="en"><seg>Municipality of Junik</seg></tuv></tu>
            </body></tmx>"#;
        assert_eq!(
            sides("c.tmx", tmx),
            vec![
                ("sq".to_string(), vec![(1, "Komuna e Junikut".to_string())]),
                ("sr-Latn".to_string(), vec![(1, "Opština Junik".to_string())]),
                ("en".to_string(), vec![(1, "Municipality of Junik".to_string())]),
            ]
        );
    }

    #[test]
    fn broken_files_are_refused_with_a_reason() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.po");
        std::fs::write(&path, "msgid \"a\"\nmsgstr \"b\"\n").unwrap();
        let err = read_bilingual(&path).unwrap_err().to_string();
        assert!(err.contains("no Language: header"), "{err}");
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_text(text in "\\PC{0,300}") {
            let _ = parse_po(&text);
            let _ = parse_xml(&text, DocumentFormat::Tmx);
            let _ = parse_xml(&text, DocumentFormat::Xliff);
        }

        #[test]
        fn never_panics_on_markup_soup(
            text in "(<(tmx|tu|tuv|seg|xliff|file|trans-unit|unit|source|target|bpt|ph|g)( (xml:lang|id|tuid|source-language|target-language|srcLang|trgLang)=\"[a-zA-Z\\-]{0,6}\")?/?>|</(tu|tuv|seg|trans-unit|unit|source|target|bpt|ph|g)>|msgid \"[a-z\\\\\"]{0,4}\"\n|msgstr(\\[[0-9]\\])? \"[a-z]{0,4}\"\n|\"Language: sq\\\\n\"\n|&[a-z#0-9]{0,5};|[a-zë ]{0,6}){0,40}"
        ) {
            let _ = parse_po(&text);
            let _ = parse_xml(&text, DocumentFormat::Tmx);
            let _ = parse_xml(&text, DocumentFormat::Xliff);
        }
    }
}
