//! TMX 1.4b (Translation Memory eXchange, LISA OSCAR, now GALA, CC BY 3.0): reader and
//! streaming writer.
//!
//! Read: `header/@srclang`; each `tu` with `tuid`, `creationdate`, `changedate` (kept as
//! written); `prop` (key = `type`) and `note` at `tu` and `tuv` level; `tuv` language from
//! `xml:lang` (or the TMX 1.1 `lang`), normalised with [`LangTag::parse`]; `seg` text with the
//! inline elements of TMX §3.7 (`bpt ept it ph ut` hold native code, `hi` and `sub` wrap text)
//! kept as [`InlineTag`]s at their byte offset in the NFC text. Other `tu`/`tuv` attributes
//! become properties named `tmx:ATTRIBUTE`; `tuv` notes become variant properties
//! `tmx:note:N`; a repeated `prop` type gets `#2`, `#3` … appended. All of these are written
//! back as they came. The unit's context is its `x-context` prop; an import also gives a unit
//! without one its `tuid` ([`tuid_context`]), which the reader leaves out so that what is
//! written reads back equal.
//!
//! Skipped with a problem: a `tuv` in a language termbridge does not know, a `tu` left without
//! a variant, a unit with a segment over the size limit. Refused: a DOCTYPE, malformed XML,
//! a root other than `tmx`.
//!
//! Not done: `ude`/`map` user-defined encodings (ignored), header-level props and notes
//! (ignored), `o-encoding` conversion.

use std::collections::BTreeMap;
use std::io::Write;

use super::xml::{MARKUP_CONTENT_ATTR, XmlEvent, XmlReader, attr, escape_attr, escape_text, is_well_formed_fragment, write_tag};
use std::ops::ControlFlow;

use super::{FormatError, Problem, ReadOptions, Source, ensure_id, resolve_lang, too_long};
use crate::model::lang::LangTag;
use crate::model::{CONTEXT_PROP, InlineTag, TranslationUnit, Variant};

/// TMX inline elements whose content is native code (TMX 1.4b §3.7.2–3.7.6).
const CODE_ELEMENTS: &[&str] = &["bpt", "ept", "it", "ph", "ut"];

/// Property carrying the unit's collection in a termbridge export.
pub const COLLECTION_PROP: &str = "x-collection";

/// Prefix of properties that stand for `tu`/`tuv` attributes.
const ATTR_PREFIX: &str = "tmx:";

/// Prefix of variant properties that stand for `tuv` notes.
const NOTE_PREFIX: &str = "tmx:note:";

/// Reads a TMX document.
/// Each unit goes to `each` as it is read (see `super::read_file_each`); returns the problems.
pub(crate) fn read_tmx(
    source: &mut Source<'_>,
    options: &ReadOptions,
    each: &mut dyn FnMut(TranslationUnit) -> ControlFlow<()>,
) -> Result<Vec<Problem>, FormatError> {
    let path = source.path.clone();
    let limits = options.limits;
    let mut reader = XmlReader::new(source, &limits);
    let mut all_problems = Vec::new();
    // The root.
    loop {
        match reader.next()? {
            XmlEvent::Start { name, .. } if name == "tmx" => break,
            XmlEvent::Start { name, .. } | XmlEvent::Empty { name, .. } => return Err(reader.syntax(format!("root element is <{name}>, expected <tmx>"))),
            XmlEvent::Text(text) if text.trim().is_empty() => {}
            XmlEvent::Text(_) => return Err(reader.syntax("text before the root element")),
            XmlEvent::End { .. } | XmlEvent::Eof => return Err(reader.syntax("no <tmx> root element")),
        }
    }
    loop {
        match reader.next()? {
            XmlEvent::Start { name, .. } if name == "body" => {}
            XmlEvent::End { name } if name == "body" => {}
            XmlEvent::Start { name, .. } if name == "header" => reader.skip_element()?,
            XmlEvent::Empty { .. } | XmlEvent::Text(_) => {}
            XmlEvent::Start { name, attrs } if name == "tu" => {
                let line = reader.line();
                let mut problems = Vec::new();
                let unit = read_tu(&mut reader, attrs, options, &mut problems)?;
                if unit.is_none() && problems.is_empty() {
                    problems.push("tu has no tuv in a known language".into());
                }
                all_problems.extend(problems.into_iter().map(|reason| Problem::skipped(path.clone(), line, reason)));
                if let Some(unit) = unit
                    && each(unit).is_break()
                {
                    return Ok(all_problems);
                }
            }
            XmlEvent::Start { .. } => reader.skip_element()?,
            XmlEvent::End { name } if name == "tmx" => break,
            XmlEvent::End { name } => return Err(reader.syntax(format!("unexpected </{name}>"))),
            XmlEvent::Eof => return Err(reader.syntax("unexpected end of file before </tmx>")),
        }
    }
    // Only whitespace and comments may follow the root.
    loop {
        match reader.next()? {
            XmlEvent::Eof => break,
            XmlEvent::Text(text) if text.trim().is_empty() => {}
            _ => return Err(reader.syntax("content after </tmx>")),
        }
    }
    Ok(all_problems)
}

/// Adds a property, appending `#2`, `#3` … to a key already taken.
fn insert_prop(props: &mut BTreeMap<String, String>, key: String, value: String) {
    let key = match props.entry(key) {
        std::collections::btree_map::Entry::Vacant(slot) => {
            slot.insert(value);
            return;
        }
        std::collections::btree_map::Entry::Occupied(slot) => slot.key().clone(),
    };
    let mut n = 2;
    while props.contains_key(&format!("{key}#{n}")) {
        n += 1;
    }
    props.insert(format!("{key}#{n}"), value);
}

/// The key a repeated property was stored under, without its `#N`.
fn prop_type(key: &str) -> &str {
    match key.rsplit_once('#') {
        Some((base, n)) if !base.is_empty() && !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => base,
        _ => key,
    }
}

/// Gives a unit read from TMX its `tuid` as context (property `x-context`) when it has no
/// context and its id is the file's, not one made from its content.
pub fn tuid_context(unit: &mut TranslationUnit) {
    if unit.context().is_some() || unit.id.is_empty() {
        return;
    }
    let mut without_id = unit.clone();
    without_id.id.clear();
    if unit.id != format!("{:016x}", without_id.key()) {
        unit.props.insert(CONTEXT_PROP.to_string(), unit.id.clone());
    }
}

/// True when `head` (the start of a TMX file) is a termbridge export: a dump of stored units
/// in the store's order, not a document, so its order says nothing of neighbours.
pub fn is_termbridge_export(head: &[u8]) -> bool {
    let marker = b"o-tmf=\"termbridge\"";
    head.windows(marker.len()).any(|window| window == marker)
}

fn read_tu(
    reader: &mut XmlReader<'_, '_>,
    attrs: Vec<(String, String)>,
    options: &ReadOptions,
    problems: &mut Vec<String>,
) -> Result<Option<TranslationUnit>, FormatError> {
    let limits = options.limits;
    let mut unit = super::empty_unit(String::new());
    for (key, value) in attrs {
        match key.as_str() {
            "tuid" => unit.id = value,
            "creationdate" => unit.created = Some(value),
            "changedate" => unit.changed = Some(value),
            _ => {
                unit.props.insert(format!("{ATTR_PREFIX}{key}"), value);
            }
        }
    }
    let mut skip = false;
    loop {
        match reader.next()? {
            XmlEvent::Start { name, attrs } if name == "prop" => {
                let value = reader.element_text()?;
                let key = attr(&attrs, "type").unwrap_or("x-untyped").to_string();
                if let Some(reason) = too_long("prop", &value, &limits) {
                    problems.push(reason);
                    skip = true;
                }
                insert_prop(&mut unit.props, key, value);
            }
            XmlEvent::Empty { name, attrs } if name == "prop" => {
                insert_prop(&mut unit.props, attr(&attrs, "type").unwrap_or("x-untyped").to_string(), String::new())
            }
            XmlEvent::Start { name, .. } if name == "note" => {
                let note = reader.element_text()?;
                if let Some(reason) = too_long("note", &note, &limits) {
                    problems.push(reason);
                    skip = true;
                }
                unit.notes.push(note);
            }
            XmlEvent::Start { name, attrs } if name == "tuv" => {
                if let Some(variant) = read_tuv(reader, attrs, options, problems, &mut skip)? {
                    unit.variants.push(variant);
                }
            }
            XmlEvent::Start { .. } => reader.skip_element()?,
            XmlEvent::Empty { .. } | XmlEvent::Text(_) => {}
            XmlEvent::End { .. } => break,
            XmlEvent::Eof => return Err(reader.syntax("unexpected end of file in <tu>")),
        }
    }
    let file_collection = unit.props.remove(COLLECTION_PROP);
    unit.collection = match (&options.collection, file_collection) {
        (Some(collection), _) => collection.clone(),
        (None, Some(collection)) if !collection.is_empty() => collection,
        _ => options.collection_or_default(),
    };
    if skip || unit.variants.is_empty() {
        return Ok(None);
    }
    ensure_id(&mut unit);
    Ok(Some(unit))
}

fn read_tuv(
    reader: &mut XmlReader<'_, '_>,
    attrs: Vec<(String, String)>,
    options: &ReadOptions,
    problems: &mut Vec<String>,
    skip: &mut bool,
) -> Result<Option<Variant>, FormatError> {
    let mut lang_raw = None;
    let mut props = BTreeMap::new();
    for (key, value) in attrs {
        match key.as_str() {
            "xml:lang" | "lang" => lang_raw = Some(value),
            _ => {
                props.insert(format!("{ATTR_PREFIX}{key}"), value);
            }
        }
    }
    let mut segment = None;
    let mut n_notes = 0;
    loop {
        match reader.next()? {
            XmlEvent::Start { name, attrs } if name == "prop" => {
                let value = reader.element_text()?;
                insert_prop(&mut props, attr(&attrs, "type").unwrap_or("x-untyped").to_string(), value);
            }
            XmlEvent::Start { name, .. } if name == "note" => {
                n_notes += 1;
                props.insert(format!("{NOTE_PREFIX}{n_notes}"), reader.element_text()?);
            }
            XmlEvent::Start { name, .. } if name == "seg" => segment = Some(reader.mixed_content(CODE_ELEMENTS)?),
            XmlEvent::Empty { name, .. } if name == "seg" => segment = Some((String::new(), Vec::new())),
            XmlEvent::Start { .. } => reader.skip_element()?,
            XmlEvent::Empty { .. } | XmlEvent::Text(_) => {}
            XmlEvent::End { .. } => break,
            XmlEvent::Eof => return Err(reader.syntax("unexpected end of file in <tuv>")),
        }
    }
    let Some(lang_raw) = lang_raw else {
        problems.push("tuv without xml:lang skipped".into());
        return Ok(None);
    };
    let tag = match LangTag::parse(&lang_raw) {
        Ok(tag) => tag,
        Err(err) => {
            problems.push(format!("tuv skipped: {err}"));
            return Ok(None);
        }
    };
    let Some((text, inline)) = segment else {
        problems.push(format!("tuv {lang_raw} has no seg"));
        return Ok(None);
    };
    if let Some(reason) = too_long("seg", &text, &options.limits) {
        problems.push(reason);
        *skip = true;
    }
    Ok(Some(Variant { lang: resolve_lang(tag, &text), text, inline, props }))
}

/// Header fields of a TMX export.
#[derive(Debug, Clone)]
pub struct TmxHeader {
    /// `srclang`: the source language of the units, or `*all*`.
    pub srclang: String,
    /// `adminlang`: the language of notes and properties.
    pub adminlang: String,
}

impl Default for TmxHeader {
    fn default() -> TmxHeader {
        TmxHeader { srclang: "*all*".into(), adminlang: "en".into() }
    }
}

/// Writes TMX 1.4b unit by unit, so an export never holds the whole memory.
///
/// ```
/// use termbridge::formats::tmx::{TmxHeader, TmxWriter};
/// use termbridge::model::lang::LangTag;
/// use termbridge::model::{TranslationUnit, Variant};
/// let unit = TranslationUnit { id: "t1".into(), collection: "default".into(),
///     variants: vec![Variant::new(LangTag::EN, "Mayor"), Variant::new(LangTag::SQ, "Kryetari")],
///     props: Default::default(), notes: vec![], created: None, changed: None };
/// let mut out = Vec::new();
/// let mut writer = TmxWriter::new(&mut out, &TmxHeader::default()).unwrap();
/// writer.write_unit(&unit).unwrap();
/// writer.finish().unwrap();
/// assert!(String::from_utf8(out).unwrap().contains(r#"<tuv xml:lang="sq"><seg>Kryetari</seg></tuv>"#));
/// ```
pub struct TmxWriter<W: Write> {
    out: W,
    buf: String,
}

impl<W: Write> TmxWriter<W> {
    /// Writes the XML declaration and the header.
    pub fn new(mut out: W, header: &TmxHeader) -> std::io::Result<TmxWriter<W>> {
        write!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">\n  <header creationtool=\"termbridge\" creationtoolversion=\"{}\" segtype=\"sentence\" o-tmf=\"termbridge\" adminlang=\"{}\" srclang=\"{}\" datatype=\"plaintext\"/>\n  <body>\n",
            env!("CARGO_PKG_VERSION"),
            escape_attr(&header.adminlang),
            escape_attr(&header.srclang)
        )?;
        Ok(TmxWriter { out, buf: String::with_capacity(4096) })
    }

    /// Writes one unit.
    pub fn write_unit(&mut self, unit: &TranslationUnit) -> std::io::Result<()> {
        self.buf.clear();
        let out = &mut self.buf;
        let mut tu_attrs = vec![("tuid".to_string(), unit.id.clone())];
        if let Some(created) = &unit.created {
            tu_attrs.push(("creationdate".into(), created.clone()));
        }
        if let Some(changed) = &unit.changed {
            tu_attrs.push(("changedate".into(), changed.clone()));
        }
        for (key, value) in &unit.props {
            if let Some(attribute) = key.strip_prefix(ATTR_PREFIX) {
                tu_attrs.push((attribute.to_string(), value.clone()));
            }
        }
        out.push_str("    ");
        write_tag(out, "tu", &tu_attrs, false);
        out.push('\n');
        write_element(out, 6, "prop", &[("type", COLLECTION_PROP)], &unit.collection);
        for (key, value) in &unit.props {
            if !key.starts_with(ATTR_PREFIX) {
                write_element(out, 6, "prop", &[("type", prop_type(key))], value);
            }
        }
        for note in &unit.notes {
            write_element(out, 6, "note", &[], note);
        }
        for variant in &unit.variants {
            let lang = variant.lang.to_string();
            let mut tuv_attrs = vec![("xml:lang".to_string(), lang)];
            let mut notes: Vec<(usize, &String)> = Vec::new();
            for (key, value) in &variant.props {
                if let Some(n) = key.strip_prefix(NOTE_PREFIX).and_then(|n| n.parse::<usize>().ok()) {
                    notes.push((n, value));
                } else if let Some(attribute) = key.strip_prefix(ATTR_PREFIX) {
                    tuv_attrs.push((attribute.to_string(), value.clone()));
                }
            }
            notes.sort();
            out.push_str("      ");
            write_tag(out, "tuv", &tuv_attrs, false);
            let has_children = !notes.is_empty() || variant.props.keys().any(|key| !key.starts_with(ATTR_PREFIX));
            if has_children {
                out.push('\n');
                for (_, note) in &notes {
                    write_element(out, 8, "note", &[], note);
                }
                for (key, value) in &variant.props {
                    if !key.starts_with(ATTR_PREFIX) {
                        write_element(out, 8, "prop", &[("type", prop_type(key))], value);
                    }
                }
                out.push_str("        ");
            }
            out.push_str("<seg>");
            write_segment(out, &variant.text, &variant.inline);
            out.push_str("</seg>");
            if has_children {
                out.push_str("\n      ");
            }
            out.push_str("</tuv>\n");
        }
        out.push_str("    </tu>\n");
        self.out.write_all(self.buf.as_bytes())
    }

    /// Closes the document and returns the output.
    pub fn finish(mut self) -> std::io::Result<W> {
        self.out.write_all(b"  </body>\n</tmx>\n")?;
        self.out.flush()?;
        Ok(self.out)
    }
}

fn write_element(out: &mut String, indent: usize, name: &str, attrs: &[(&str, &str)], text: &str) {
    out.extend(std::iter::repeat_n(' ', indent));
    let attrs: Vec<(String, String)> = attrs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    write_tag(out, name, &attrs, false);
    out.push_str(&escape_text(text));
    out.push_str("</");
    out.push_str(name);
    out.push_str(">\n");
}

/// TMX elements written as they are; other kinds (XLIFF `g`, `x`, `pc` …) are mapped.
fn is_tmx_kind(kind: &str) -> bool {
    matches!(kind, "bpt" | "ept" | "it" | "ph" | "ut" | "hi" | "sub")
}

/// Writes a segment's text with its inline tags at their offsets. Paired tags (`hi` …
/// `/hi`) nest as in the source; an unclosed one is closed at the end. Tags from other
/// formats become TMX tags: an opening `g`/`pc`/`mrk` a `bpt`, its closing an `ept`, an empty
/// one (`x`, `bx`, `ex`, `sc`, `ec` …) a `ph`, each with `type` naming the original kind.
fn write_segment(out: &mut String, text: &str, inline: &[InlineTag]) {
    let mut order: Vec<usize> = (0..inline.len()).collect();
    // Stable: tags at one offset keep their order.
    order.sort_by_key(|&idx| inline[idx].offset.min(text.len()));
    let mut open: Vec<(String, Option<usize>)> = Vec::new();
    let mut next_i = 1usize;
    let mut written = 0usize;
    for idx in order {
        let tag = &inline[idx];
        let mut offset = tag.offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset += 1;
        }
        if offset > written {
            out.push_str(&escape_text(&text[written..offset]));
            written = offset;
        }
        if let Some(closed) = tag.kind.strip_prefix('/') {
            let Some(position) = open.iter().rposition(|(kind, _)| kind == closed) else { continue };
            // Close what was opened inside it first, so the XML stays well formed.
            while open.len() > position {
                let Some((kind, i)) = open.pop() else { break };
                close_open(out, &kind, i);
            }
            continue;
        }
        let paired = matches!(tag.kind.as_str(), "hi" | "sub")
            || (!is_tmx_kind(&tag.kind) && inline.iter().any(|other| other.kind.strip_prefix('/') == Some(tag.kind.as_str())));
        if is_tmx_kind(&tag.kind) && paired {
            write_tag(out, &tag.kind, &tag.attrs, false);
            open.push((tag.kind.clone(), None));
        } else if is_tmx_kind(&tag.kind) {
            write_code(out, &tag.kind, &tag.attrs, &tag.content);
        } else if paired {
            let i = next_i;
            next_i += 1;
            let attrs = vec![("i".to_string(), i.to_string()), ("type".to_string(), tag.kind.clone())];
            write_code(out, "bpt", &attrs, &tag.content);
            open.push((tag.kind.clone(), Some(i)));
        } else {
            let mut attrs = vec![("type".to_string(), tag.kind.clone())];
            attrs.extend(tag.attrs.iter().filter(|(key, _)| key == "id" || key == "x").cloned());
            write_code(out, "ph", &attrs, &tag.content);
        }
    }
    if written < text.len() {
        out.push_str(&escape_text(&text[written..]));
    }
    while let Some((kind, i)) = open.pop() {
        close_open(out, &kind, i);
    }
}

/// Closes an element left open: a `bpt` numbered `i` by its `ept`, a TMX element by its end
/// tag.
fn close_open(out: &mut String, kind: &str, i: Option<usize>) {
    match i {
        Some(i) => {
            out.push_str("<ept i=\"");
            out.push_str(&i.to_string());
            out.push_str("\"/>");
        }
        None => {
            out.push_str("</");
            out.push_str(kind);
            out.push('>');
        }
    }
}

/// Writes a code element; its content verbatim when it is markup read from XML (checked to
/// be well formed), else escaped.
fn write_code(out: &mut String, kind: &str, attrs: &[(String, String)], content: &str) {
    if content.is_empty() {
        write_tag(out, kind, attrs, true);
        return;
    }
    write_tag(out, kind, attrs, false);
    let markup = attr(attrs, MARKUP_CONTENT_ATTR) == Some("xml") && is_well_formed_fragment(content);
    if markup {
        out.push_str(content);
    } else {
        out.push_str(&escape_text(content));
    }
    out.push_str("</");
    out.push_str(kind);
    out.push('>');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::{Limits, Parsed};

    fn read_with(source: &mut Source<'_>, options: &ReadOptions) -> Result<Parsed, FormatError> {
        let mut units = Vec::new();
        let problems = read_tmx(source, options, &mut |unit| {
            units.push(unit);
            ControlFlow::Continue(())
        })?;
        Ok(Parsed { units, problems })
    }

    fn read(xml: &str) -> Result<Parsed, FormatError> {
        let mut progress = |_, _| {};
        let mut source = Source::from_text("t.tmx", xml, &mut progress);
        read_with(&mut source, &ReadOptions::default())
    }

    fn write(units: &[TranslationUnit]) -> String {
        let mut writer = TmxWriter::new(Vec::new(), &TmxHeader::default()).expect("write");
        for unit in units {
            writer.write_unit(unit).expect("write");
        }
        String::from_utf8(writer.finish().expect("finish")).expect("utf-8")
    }

    #[test]
    fn inline_tags_keep_their_offsets() {
        let parsed = read(r#"<tmx version="1.4"><header srclang="en"/><body><tu tuid="1"><tuv xml:lang="en"><seg>Click <bpt i="1" x="1">&lt;b&gt;</bpt>Save<ept i="1">&lt;/b&gt;</ept> now<ph x="2"/> <hi type="em">here</hi></seg></tuv></tu></body></tmx>"#).unwrap();
        let variant = &parsed.units[0].variants[0];
        assert_eq!(variant.text, "Click Save now here");
        let kinds: Vec<(usize, &str, &str)> = variant.inline.iter().map(|t| (t.offset, t.kind.as_str(), t.content.as_str())).collect();
        assert_eq!(kinds, vec![(6, "bpt", "<b>"), (10, "ept", "</b>"), (14, "ph", ""), (15, "hi", ""), (19, "/hi", "")]);
        let again = read(&write(&parsed.units)).unwrap();
        assert_eq!(again.units, parsed.units);
    }

    #[test]
    fn sub_inside_code_round_trips_as_markup() {
        let parsed = read(r#"<tmx version="1.4"><header/><body><tu tuid="1"><tuv xml:lang="en"><seg>See <ph>&lt;img alt="<sub>Logo</sub>"&gt;</ph>.</seg></tuv></tu></body></tmx>"#).unwrap();
        let tag = &parsed.units[0].variants[0].inline[0];
        assert_eq!(tag.content, "&lt;img alt=\"<sub>Logo</sub>\"&gt;");
        let again = read(&write(&parsed.units)).unwrap();
        assert_eq!(again.units, parsed.units);
    }

    #[test]
    fn unknown_languages_and_long_segments_are_problems() {
        let parsed = read(
            r#"<tmx version="1.4"><header/><body>
<tu><tuv xml:lang="de"><seg>Haus</seg></tuv></tu>
<tu tuid="2"><tuv xml:lang="de"><seg>Haus</seg></tuv><tuv xml:lang="sq"><seg>Shtëpi</seg></tuv></tu>
</body></tmx>"#,
        )
        .unwrap();
        assert_eq!(parsed.units.len(), 1);
        assert_eq!(parsed.problems.len(), 2);
        assert_eq!(parsed.problems[0].line, Some(2));
        assert!(parsed.problems[0].reason.contains("unknown language tag \"de\""), "{:?}", parsed.problems);
        let long = format!(r#"<tmx version="1.4"><header/><body><tu><tuv xml:lang="en"><seg>{}</seg></tuv></tu></body></tmx>"#, "a".repeat(100));
        let mut progress = |_, _| {};
        let mut source = Source::from_text("t.tmx", &long, &mut progress);
        let options = ReadOptions { limits: Limits { max_segment_bytes: 10, ..Limits::default() }, ..ReadOptions::default() };
        let parsed = read_with(&mut source, &options).unwrap();
        assert!(parsed.units.is_empty());
        assert!(parsed.problems[0].reason.contains("100 bytes"));
    }

    #[test]
    fn wrong_root_is_refused() {
        assert!(read("<html/>").unwrap_err().to_string().contains("expected <tmx>"));
        assert!(read("<tmx><body><tu>").is_err());
    }

    #[test]
    fn repeated_props_and_tuv_notes_round_trip() {
        let parsed = read(r#"<tmx version="1.4"><header/><body><tu tuid="a" creationid="ana" usagecount="3"><prop type="domain">law</prop><prop type="domain">admin</prop><note>n1</note><tuv xml:lang="sr" creationdate="20240101T000000Z"><note>checked</note><prop type="x-state">final</prop><seg>Општина</seg></tuv></tu></body></tmx>"#).unwrap();
        let unit = &parsed.units[0];
        assert_eq!(unit.props.get("domain#2").map(String::as_str), Some("admin"));
        assert_eq!(unit.props.get("tmx:usagecount").map(String::as_str), Some("3"));
        assert_eq!(unit.variants[0].lang, LangTag::SR_CYRL);
        assert_eq!(unit.variants[0].props.get("tmx:note:1").map(String::as_str), Some("checked"));
        let again = read(&write(&parsed.units)).unwrap();
        assert_eq!(again.units, parsed.units);
    }

    #[test]
    fn foreign_tags_become_tmx_codes() {
        let unit = TranslationUnit {
            id: "x".into(),
            collection: "default".into(),
            variants: vec![Variant {
                lang: LangTag::EN,
                text: "a b c".into(),
                inline: vec![
                    InlineTag { offset: 2, kind: "g".into(), attrs: vec![("id".into(), "1".into())], content: String::new() },
                    InlineTag { offset: 3, kind: "/g".into(), attrs: vec![], content: String::new() },
                    InlineTag { offset: 5, kind: "x".into(), attrs: vec![("id".into(), "2".into())], content: String::new() },
                ],
                props: BTreeMap::new(),
            }],
            props: BTreeMap::new(),
            notes: vec![],
            created: None,
            changed: None,
        };
        let xml = write(&[unit]);
        assert!(xml.contains(r#"<seg>a <bpt i="1" type="g"/>b<ept i="1"/> c<ph type="x" id="2"/></seg>"#), "{xml}");
        let again = read(&xml).unwrap();
        assert_eq!(again.units[0].variants[0].inline.len(), 3);
    }
}
