//! The XML layer under every XML reader (TMX, XLIFF, TBX, DOCX and the bilingual audit
//! documents) and the TMX writer. Two pull readers share one set of rules: a DOCTYPE is
//! refused (no DTD is read, no entity expanded, so no external entities and no entity bombs),
//! only the five predefined entities and character references are resolved, and nesting is
//! bounded.
//!
//! - [`XmlReader`] reads a streamed [`Source`] (the import readers) and hands out owned,
//!   simplified events; a collector turns mixed content (text with inline elements) into text
//!   plus [`InlineTag`]s.
//! - [`XmlTextReader`] reads a text held in memory (TBX, `word/document.xml`, the bilingual
//!   audit readers) and hands out borrowed events with their byte position, and stops with an
//!   [`XmlStop`] that each format words in its own message.
//!
//! Escaping for the writers is here too. It does not validate against a schema: the format
//! readers check the structure they need.

use std::borrow::Cow;

use quick_xml::XmlVersion;
use quick_xml::events::{BytesDecl, BytesEnd, BytesRef, BytesStart, Event};

use super::{FormatError, Limits, Source};
use crate::model::InlineTag;

/// Attribute marking an [`InlineTag`] whose `content` is XML markup (it held child elements,
/// such as TMX `sub`), to be written back verbatim. Writers never emit it as an attribute.
pub const MARKUP_CONTENT_ATTR: &str = "tb:content";

/// An XML event, owned and simplified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum XmlEvent {
    /// A start tag: local name and attributes (qualified names, values unescaped).
    Start { name: String, attrs: Vec<(String, String)> },
    /// An empty-element tag.
    Empty { name: String, attrs: Vec<(String, String)> },
    /// An end tag (local name).
    End { name: String },
    /// Character data, unescaped (text, CDATA and references alike).
    Text(String),
    /// End of the document.
    Eof,
}

/// A pull reader over a [`Source`].
pub struct XmlReader<'s, 'p> {
    reader: quick_xml::Reader<&'s mut Source<'p>>,
    buf: Vec<u8>,
    depth: usize,
    max_depth: usize,
}

impl<'s, 'p> XmlReader<'s, 'p> {
    pub fn new(source: &'s mut Source<'p>, limits: &Limits) -> XmlReader<'s, 'p> {
        // The one place (with `XmlTextReader::new`) where quick-xml readers are made.
        #[allow(clippy::disallowed_methods)]
        let mut reader = quick_xml::Reader::from_reader(source);
        let config = reader.config_mut();
        config.trim_text(false);
        config.check_end_names = true;
        config.expand_empty_elements = false;
        XmlReader { reader, buf: Vec::with_capacity(4096), depth: 0, max_depth: limits.max_depth }
    }

    /// The 1-based line the reader has reached.
    pub fn line(&self) -> usize {
        self.reader.get_ref().line()
    }

    pub fn path(&self) -> &str {
        &self.reader.get_ref().path
    }

    /// A syntax error at the current line.
    pub fn syntax(&self, message: impl Into<String>) -> FormatError {
        FormatError::Syntax { path: self.path().to_string(), line: self.line(), message: message.into() }
    }

    /// The next event. Comments, processing instructions and the XML declaration are skipped.
    pub fn next(&mut self) -> Result<XmlEvent, FormatError> {
        loop {
            self.buf.clear();
            let event = match self.reader.read_event_into(&mut self.buf) {
                Ok(event) => event,
                Err(err) => {
                    let source = self.reader.get_ref();
                    let message = format!("malformed XML at byte {}: {err}", self.reader.error_position());
                    return Err(match err {
                        quick_xml::Error::Io(io) => source.io_error(std::io::Error::new(io.kind(), io.to_string())),
                        _ => FormatError::Syntax { path: source.path.clone(), line: source.line(), message },
                    });
                }
            };
            let owned = match event {
                Event::Start(start) => {
                    self.depth += 1;
                    if self.depth > self.max_depth {
                        let source = self.reader.get_ref();
                        return Err(FormatError::Refused {
                            path: source.path.clone(),
                            line: source.line(),
                            message: format!("elements nested deeper than {}", self.max_depth),
                        });
                    }
                    let name = start.local_name().as_ref().to_string();
                    let attrs = attributes(&start).map_err(|err| self.syntax(err.to_string()))?;
                    XmlEvent::Start { name, attrs }
                }
                Event::Empty(start) => {
                    let name = start.local_name().as_ref().to_string();
                    let attrs = attributes(&start).map_err(|err| self.syntax(err.to_string()))?;
                    XmlEvent::Empty { name, attrs }
                }
                Event::End(end) => {
                    self.depth = self.depth.saturating_sub(1);
                    XmlEvent::End { name: end.local_name().as_ref().to_string() }
                }
                Event::Text(text) => XmlEvent::Text(text.xml10_content().into_owned()),
                Event::CData(cdata) => XmlEvent::Text(cdata.xml10_content().into_owned()),
                Event::GeneralRef(reference) => match resolve_reference(&reference) {
                    Ok(c) => XmlEvent::Text(c.to_string()),
                    Err(err) => return Err(self.syntax(err.to_string())),
                },
                Event::DocType(doctype) => {
                    // Report the line the DOCTYPE starts on, not where its internal subset ends.
                    let newlines_inside = doctype.xml10_content().matches('\n').count();
                    let source = self.reader.get_ref();
                    return Err(FormatError::Refused {
                        path: source.path.clone(),
                        line: source.line().saturating_sub(newlines_inside).max(1),
                        message: "the file has a DOCTYPE; termbridge does not read DTDs or expand entities (no external references, no entity expansion). Remove the DOCTYPE line".into(),
                    });
                }
                Event::Eof => {
                    if self.depth > 0 {
                        return Err(self.syntax("unexpected end of file inside an element"));
                    }
                    XmlEvent::Eof
                }
                Event::Comment(_) | Event::PI(_) | Event::Decl(_) => continue,
            };
            return Ok(owned);
        }
    }

    /// Skips to the end of the element whose start was just read.
    pub fn skip_element(&mut self) -> Result<(), FormatError> {
        let mut depth = 1usize;
        while depth > 0 {
            match self.next()? {
                XmlEvent::Start { .. } => depth += 1,
                XmlEvent::End { .. } => depth -= 1,
                XmlEvent::Eof => return Err(self.syntax("unexpected end of file")),
                _ => {}
            }
        }
        Ok(())
    }

    /// Reads the text content of the element whose start was just read, up to its end
    /// (markup inside is dropped).
    pub fn element_text(&mut self) -> Result<String, FormatError> {
        let mut text = String::new();
        let mut depth = 1usize;
        while depth > 0 {
            match self.next()? {
                XmlEvent::Start { .. } => depth += 1,
                XmlEvent::End { .. } => depth -= 1,
                XmlEvent::Text(chunk) => text.push_str(&chunk),
                XmlEvent::Eof => return Err(self.syntax("unexpected end of file")),
                XmlEvent::Empty { .. } => {}
            }
        }
        Ok(text)
    }

    /// Reads mixed content (a TMX `seg`, an XLIFF `source`/`target`) up to the end of the
    /// element whose start was just read. Elements named in `code_elements` hold native code
    /// (their content goes to the tag's `content`); other elements are paired markup around
    /// translatable text (an opening tag `kind` and a closing tag `/kind`).
    pub fn mixed_content(&mut self, code_elements: &[&str]) -> Result<(String, Vec<InlineTag>), FormatError> {
        let mut collector = Collector::default();
        // Open paired elements, so that their ends become closing tags.
        let mut open: Vec<String> = Vec::new();
        loop {
            match self.next()? {
                XmlEvent::Text(text) => collector.raw.push_str(&text),
                XmlEvent::Empty { name, attrs } => collector.tag(InlineTag { offset: 0, kind: name, attrs, content: String::new() }),
                XmlEvent::Start { name, attrs } if code_elements.contains(&name.as_str()) => {
                    let (content, markup) = self.code_content()?;
                    let mut attrs = attrs;
                    if markup {
                        attrs.push((MARKUP_CONTENT_ATTR.to_string(), "xml".to_string()));
                    }
                    collector.tag(InlineTag { offset: 0, kind: name, attrs, content });
                }
                XmlEvent::Start { name, attrs } => {
                    collector.tag(InlineTag { offset: 0, kind: name.clone(), attrs, content: String::new() });
                    open.push(name);
                }
                XmlEvent::End { name } => match open.pop() {
                    Some(_) => collector.tag(InlineTag { offset: 0, kind: format!("/{name}"), attrs: Vec::new(), content: String::new() }),
                    None => return Ok(collector.finish()),
                },
                XmlEvent::Eof => return Err(self.syntax("unexpected end of file in a segment")),
            }
        }
    }

    /// The content of a code element (TMX `bpt`, XLIFF `ph` …): its text, or when it has
    /// child elements (`sub`), its inner markup re-serialised, with `true`.
    fn code_content(&mut self) -> Result<(String, bool), FormatError> {
        let mut text = String::new();
        let mut markup = String::new();
        let mut has_children = false;
        let mut depth = 1usize;
        loop {
            match self.next()? {
                XmlEvent::Text(chunk) => {
                    text.push_str(&chunk);
                    markup.push_str(&escape_text(&chunk));
                }
                XmlEvent::Start { name, attrs } => {
                    has_children = true;
                    depth += 1;
                    write_tag(&mut markup, &name, &attrs, false);
                }
                XmlEvent::Empty { name, attrs } => {
                    has_children = true;
                    write_tag(&mut markup, &name, &attrs, true);
                }
                XmlEvent::End { name } => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(if has_children { (markup, true) } else { (text, false) });
                    }
                    markup.push_str("</");
                    markup.push_str(&name);
                    markup.push('>');
                }
                XmlEvent::Eof => return Err(self.syntax("unexpected end of file in inline code")),
            }
        }
    }
}

/// Text and tags of a segment being read. Text between two tags is NFC-normalised as one
/// run, so that tag offsets point into the normalised text.
#[derive(Default)]
struct Collector {
    text: String,
    raw: String,
    tags: Vec<InlineTag>,
}

impl Collector {
    fn flush(&mut self) {
        if !self.raw.is_empty() {
            self.text.push_str(&crate::text::nfc(&self.raw));
            self.raw.clear();
        }
    }

    fn tag(&mut self, mut tag: InlineTag) {
        self.flush();
        tag.offset = self.text.len();
        self.tags.push(tag);
    }

    fn finish(mut self) -> (String, Vec<InlineTag>) {
        self.flush();
        (self.text, self.tags)
    }
}

/// Why the attributes of an element cannot be read.
#[derive(Debug, thiserror::Error)]
enum AttributeError {
    /// The attribute list is malformed (a missing quote, a repeated name …).
    #[error("bad attribute: {0}")]
    Malformed(#[from] quick_xml::events::attributes::AttrError),
    /// An attribute's value holds a bad reference.
    #[error("bad value of attribute {key}: {source}")]
    Value {
        /// The attribute's name.
        key: String,
        /// The parser's error.
        source: quick_xml::Error,
    },
}

fn attributes(start: &quick_xml::events::BytesStart<'_>) -> Result<Vec<(String, String)>, AttributeError> {
    let mut attrs = Vec::new();
    for attr in start.attributes() {
        let attr = attr?;
        let key = attr.key.as_ref().to_string();
        let value = attr.normalized_value(XmlVersion::Implicit1_0).map_err(|source| AttributeError::Value { key: key.clone(), source })?;
        attrs.push((key, value.into_owned()));
    }
    Ok(attrs)
}

/// A reference that is neither a character reference nor one of the five predefined
/// entities, or a character reference to no character.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReferenceError {
    /// `&name;` names an entity that XML does not predefine (no DTD is ever read).
    #[error("undefined entity &{name};")]
    Undefined {
        /// The entity name.
        name: String,
    },
    /// `&#…;` is not a character XML allows.
    #[error("bad character reference &{name};: {message}")]
    BadCharacter {
        /// The reference without `&` and `;`.
        name: String,
        /// Why it is bad.
        message: String,
    },
}

/// The character a reference stands for: a character reference or one of the five
/// predefined entities; nothing else is expanded.
pub fn resolve_reference(reference: &BytesRef<'_>) -> Result<char, ReferenceError> {
    match reference.resolve_char_ref() {
        Ok(Some(c)) => Ok(c),
        Ok(None) => predefined_entity(reference).ok_or_else(|| ReferenceError::Undefined { name: reference.to_string() }),
        Err(err) => Err(ReferenceError::BadCharacter { name: reference.to_string(), message: err.to_string() }),
    }
}

fn predefined_entity(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => None,
    }
}

/// Why an [`XmlTextReader`] stopped; each format words it in its own message, with the line of
/// `position`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum XmlStop {
    /// The XML is not well-formed (quick-xml's message), at byte `position`.
    Malformed {
        /// Byte offset of the error.
        position: u64,
        /// What is wrong.
        message: String,
    },
    /// A DOCTYPE starting at byte `position`: refused, never read.
    Doctype {
        /// Byte offset where the DOCTYPE starts.
        position: u64,
    },
    /// An element starting at byte `position` is nested deeper than `max`.
    TooDeep {
        /// Byte offset of the element's start tag.
        position: u64,
        /// The deepest nesting accepted.
        max: usize,
    },
}

/// An event of an [`XmlTextReader`], borrowed from the text.
#[derive(Debug)]
pub enum TextEvent<'a> {
    /// The XML declaration.
    Decl(BytesDecl<'a>),
    /// A start tag.
    Start(BytesStart<'a>),
    /// An empty-element tag.
    Empty(BytesStart<'a>),
    /// An end tag.
    End(BytesEnd<'a>),
    /// Character data or CDATA content, unescaped, line ends normalised.
    Text(Cow<'a, str>),
    /// An entity or character reference, resolved by [`resolve_reference`]; the caller
    /// decides whether an unresolved one is an error.
    Reference(Result<char, ReferenceError>),
    /// End of the text.
    Eof,
}

/// A pull reader over a text held in memory, under the shared rules: no DOCTYPE, nesting
/// bounded. Comments and processing instructions are skipped.
pub struct XmlTextReader<'a> {
    reader: quick_xml::Reader<&'a [u8]>,
    depth: usize,
    max_depth: usize,
}

impl<'a> XmlTextReader<'a> {
    /// A reader over `text` that refuses elements nested deeper than `max_depth`.
    pub fn new(text: &'a str, max_depth: usize) -> XmlTextReader<'a> {
        // The one place (with `XmlReader::new`) where quick-xml readers are made.
        #[allow(clippy::disallowed_methods)]
        let reader = quick_xml::Reader::from_str(text);
        XmlTextReader { reader, depth: 0, max_depth }
    }

    /// The next event and the byte offset where it starts.
    pub fn next(&mut self) -> Result<(u64, TextEvent<'a>), XmlStop> {
        loop {
            let position = self.reader.buffer_position();
            let event = self.reader.read_event().map_err(|err| XmlStop::Malformed { position: self.reader.error_position(), message: err.to_string() })?;
            let event = match event {
                Event::Decl(decl) => TextEvent::Decl(decl),
                Event::Start(start) => {
                    self.depth += 1;
                    if self.depth > self.max_depth {
                        return Err(XmlStop::TooDeep { position, max: self.max_depth });
                    }
                    TextEvent::Start(start)
                }
                Event::Empty(start) => TextEvent::Empty(start),
                Event::End(end) => {
                    self.depth = self.depth.saturating_sub(1);
                    TextEvent::End(end)
                }
                Event::Text(text) => TextEvent::Text(text.xml10_content()),
                Event::CData(cdata) => TextEvent::Text(cdata.xml10_content()),
                Event::GeneralRef(reference) => TextEvent::Reference(resolve_reference(&reference)),
                Event::DocType(_) => return Err(XmlStop::Doctype { position }),
                Event::Eof => TextEvent::Eof,
                Event::Comment(_) | Event::PI(_) => continue,
            };
            return Ok((position, event));
        }
    }
}

/// The value of attribute `name`, if present.
pub fn attr<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
}

/// True for characters XML 1.0 cannot carry, even as a character reference (§2.2 Char).
fn is_forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// Escapes character data. `\r` is written as a reference, because a literal one would be
/// turned into a line feed by the reader (XML 1.0 §2.11); characters XML cannot carry become
/// U+FFFD.
pub fn escape_text(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

/// Escapes an attribute value: also quotes, and tab and line feed as references, which
/// attribute-value normalisation would otherwise turn into spaces (XML 1.0 §3.3.3).
pub fn escape_attr(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

fn escape(text: &str, in_attribute: bool) -> Cow<'_, str> {
    let needs = |c: char| matches!(c, '<' | '>' | '&' | '\r') || is_forbidden(c) || (in_attribute && matches!(c, '"' | '\'' | '\n' | '\t'));
    if !text.chars().any(needs) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\r' => out.push_str("&#13;"),
            '"' if in_attribute => out.push_str("&quot;"),
            '\'' if in_attribute => out.push_str("&apos;"),
            '\n' if in_attribute => out.push_str("&#10;"),
            '\t' if in_attribute => out.push_str("&#9;"),
            c if is_forbidden(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// True when `name` can be written as an XML name (element or attribute).
pub fn is_xml_name(name: &str) -> bool {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) if first.is_alphabetic() || first == '_' => {}
        _ => return false,
    }
    chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'))
}

/// Writes `<name attr="value" …>` (or `…/>`), skipping attributes that are not XML names
/// and the internal [`MARKUP_CONTENT_ATTR`].
pub fn write_tag(out: &mut String, name: &str, attrs: &[(String, String)], empty: bool) {
    out.push('<');
    out.push_str(name);
    for (key, value) in attrs {
        if key == MARKUP_CONTENT_ATTR || !is_xml_name(key) {
            continue;
        }
        out.push(' ');
        out.push_str(key);
        out.push_str("=\"");
        out.push_str(&escape_attr(value));
        out.push('"');
    }
    out.push_str(if empty { "/>" } else { ">" });
}

/// True when `markup` is a well-formed XML fragment without DOCTYPE (so it can be written
/// back verbatim).
pub fn is_well_formed_fragment(markup: &str) -> bool {
    let wrapped = format!("<x>{markup}</x>");
    let mut reader = XmlTextReader::new(&wrapped, usize::MAX);
    let mut depth = 0i64;
    loop {
        match reader.next() {
            Ok((_, TextEvent::Eof)) => return depth == 0,
            Ok((_, TextEvent::Start(_))) => depth += 1,
            Ok((_, TextEvent::End(_))) => depth -= 1,
            Ok((_, TextEvent::Reference(Err(_)))) | Err(_) => return false,
            Ok(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(xml: &str) -> Result<Vec<XmlEvent>, FormatError> {
        let mut progress = |_, _| {};
        let mut source = Source::from_text("t.xml", xml, &mut progress);
        let mut reader = XmlReader::new(&mut source, &Limits::default());
        let mut out = Vec::new();
        loop {
            let event = reader.next()?;
            if event == XmlEvent::Eof {
                return Ok(out);
            }
            out.push(event);
        }
    }

    #[test]
    fn references_are_resolved() {
        let got = events("<a>x &amp; y &#x41;&#66;</a>").unwrap();
        let text: String = got.iter().filter_map(|e| if let XmlEvent::Text(t) = e { Some(t.as_str()) } else { None }).collect();
        assert_eq!(text, "x & y AB");
    }

    #[test]
    fn doctype_and_unknown_entities_are_refused() {
        let err = events("<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY x \"y\">]>\n<a>&x;</a>").unwrap_err();
        assert!(matches!(err, FormatError::Refused { line: 2, .. }), "{err}");
        let err = events("<a>&x;</a>").unwrap_err();
        assert!(err.to_string().contains("undefined entity &x;"), "{err}");
    }

    #[test]
    fn depth_is_limited() {
        let deep = "<a>".repeat(100) + &"</a>".repeat(100);
        assert!(matches!(events(&deep).unwrap_err(), FormatError::Refused { .. }));
    }

    #[test]
    fn mismatched_end_names_the_line() {
        let err = events("<a>\n<b>\n</c>\n</a>").unwrap_err();
        assert!(matches!(err, FormatError::Syntax { line: 3, .. }), "{err}");
    }

    #[test]
    fn escaping_round_trips() {
        assert_eq!(escape_text("a<b>&c\r"), "a&lt;b&gt;&amp;c&#13;");
        assert_eq!(escape_attr("\"x'\n\t"), "&quot;x&apos;&#10;&#9;");
        assert_eq!(escape_text("a\u{1}b"), "a\u{FFFD}b");
        assert!(is_well_formed_fragment("a<sub>b</sub>"));
        assert!(!is_well_formed_fragment("a<sub>b"));
        assert!(!is_well_formed_fragment("&foo;"));
    }
}
