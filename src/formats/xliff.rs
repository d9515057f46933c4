//! XLIFF 1.2 and 2.x (OASIS) reader; the version comes from the root's `version` attribute.
//!
//! XLIFF 1.2: `file` `source-language`/`target-language` (else `--src`/`--tgt`) and
//! `original` (property `xliff:original`); `trans-unit` `id`, its `resname`, `approved` and
//! `translate` (properties `xliff:…`); `source`, `target` with `state` (target variant
//! property `state`), `note`s; inline `g`/`mrk` (paired) and `x`/`bx`/`ex` (empty) and
//! `ph`/`bpt`/`ept`/`it` (native code) as [`InlineTag`](crate::model::InlineTag)s.
//! `alt-trans`, `seg-source`, `context-group` and `count-group` are skipped.
//!
//! XLIFF 2.x: `xliff` `srcLang`/`trgLang`; `unit` `id` and `notes/note` (notes of the unit);
//! each `segment` becomes one translation unit (id = unit id, or `unit-id/segment-id` when the
//! unit has several segments) with `state`/`subState` as target variant properties; inline
//! `ph`/`sc`/`ec`/`cp`/`sm`/`em` (empty) and `pc`/`mrk` (paired). `ignorable` parts and
//! module elements (`mtc:`, `gls:` …) are skipped.
//!
//! A unit's context (property `x-context`, see `TranslationUnit::context`) is its `resname`
//! (1.2) or `name` (2.x), else its `id`.
//!
//! A unit without a target (or with an empty one) is skipped with the problem "no
//! translation". Not done: writing XLIFF, `seg-source` segmentation of 1.2.

use std::collections::BTreeMap;

use super::xml::{XmlEvent, XmlReader, attr};
use super::{FormatError, Parsed, Problem, ReadOptions, Source, ensure_id, resolve_lang, too_long};
use crate::model::lang::LangTag;
use crate::model::{CONTEXT_PROP, InlineTag, TranslationUnit, Variant};
use crate::problem::Hint;

/// XLIFF 1.2 inline elements holding native code (XLIFF 1.2 §2.4.3).
const CODE_ELEMENTS_1: &[&str] = &["ph", "bpt", "ept", "it"];

/// Reads an XLIFF document.
pub(crate) fn read_xliff(source: &mut Source<'_>, options: &ReadOptions) -> Result<Parsed, FormatError> {
    let path = source.path.clone();
    let mut reader = XmlReader::new(source, &options.limits);
    let root_attrs = loop {
        match reader.next()? {
            XmlEvent::Start { name, attrs } if name == "xliff" => break attrs,
            XmlEvent::Start { name, .. } | XmlEvent::Empty { name, .. } => return Err(reader.syntax(format!("root element is <{name}>, expected <xliff>"))),
            XmlEvent::Text(text) if text.trim().is_empty() => {}
            _ => return Err(reader.syntax("no <xliff> root element")),
        }
    };
    let version = attr(&root_attrs, "version").unwrap_or("1.2").to_string();
    let mut state = State { path, options, parsed: Parsed::default() };
    if version.starts_with('2') {
        let src = lang_attr(&reader, &root_attrs, "srcLang")?.or(options.src);
        let tgt = lang_attr(&reader, &root_attrs, "trgLang")?.or(options.tgt);
        read_v2(&mut reader, &mut state, src, tgt)?;
    } else if version.starts_with('1') {
        read_v1(&mut reader, &mut state)?;
    } else {
        return Err(reader.syntax(format!("XLIFF version {version:?} is not supported (1.x or 2.x)")));
    }
    Ok(state.parsed)
}

struct State<'o> {
    path: String,
    options: &'o ReadOptions,
    parsed: Parsed,
}

impl State<'_> {
    fn problem(&mut self, line: usize, reason: impl Into<String>) {
        self.parsed.problems.push(Problem::skipped(self.path.clone(), line, reason));
    }
}

fn lang_attr(reader: &XmlReader<'_, '_>, attrs: &[(String, String)], name: &str) -> Result<Option<LangTag>, FormatError> {
    match attr(attrs, name) {
        None | Some("") => Ok(None),
        Some(raw) => LangTag::parse(raw).map(Some).map_err(|err| reader.syntax(format!("{name}: {err}"))),
    }
}

fn read_v1(reader: &mut XmlReader<'_, '_>, state: &mut State<'_>) -> Result<(), FormatError> {
    let mut src = state.options.src;
    let mut tgt = state.options.tgt;
    let mut original = None;
    loop {
        match reader.next()? {
            XmlEvent::Start { name, attrs } if name == "file" => {
                src = lang_attr(reader, &attrs, "source-language")?.or(state.options.src);
                tgt = lang_attr(reader, &attrs, "target-language")?.or(state.options.tgt);
                original = attr(&attrs, "original").map(str::to_string);
            }
            XmlEvent::Start { name, .. } if matches!(name.as_str(), "body" | "group") => {}
            XmlEvent::Start { name, attrs } if name == "trans-unit" => {
                let context = UnitContext { src, tgt, original: original.as_deref(), line: reader.line() };
                read_trans_unit(reader, state, attrs, context)?;
            }
            XmlEvent::Start { .. } => reader.skip_element()?,
            XmlEvent::End { name } if name == "xliff" => return Ok(()),
            XmlEvent::End { .. } | XmlEvent::Empty { .. } | XmlEvent::Text(_) => {}
            XmlEvent::Eof => return Err(reader.syntax("unexpected end of file before </xliff>")),
        }
    }
}

/// What a unit inherits from its file: the languages and the file's name, and the line the
/// unit starts on.
struct UnitContext<'a> {
    src: Option<LangTag>,
    tgt: Option<LangTag>,
    original: Option<&'a str>,
    line: usize,
}

fn read_trans_unit(reader: &mut XmlReader<'_, '_>, state: &mut State<'_>, attrs: Vec<(String, String)>, context: UnitContext<'_>) -> Result<(), FormatError> {
    let UnitContext { src, tgt, original, line } = context;
    let mut unit = new_unit(state.options);
    for (key, value) in attrs {
        match key.as_str() {
            "id" => unit.id = value,
            "resname" | "approved" | "translate" => {
                unit.props.insert(format!("xliff:{key}"), value);
            }
            _ => {}
        }
    }
    if let Some(original) = original {
        unit.props.insert("xliff:original".into(), original.to_string());
    }
    if !unit.id.is_empty() && !unit.props.contains_key("xliff:resname") {
        unit.props.insert(CONTEXT_PROP.to_string(), unit.id.clone());
    }
    let mut source = None;
    let mut target = None;
    loop {
        match reader.next()? {
            XmlEvent::Start { name, .. } if name == "source" => source = Some(reader.mixed_content(CODE_ELEMENTS_1)?),
            XmlEvent::Start { name, attrs } if name == "target" => {
                let lang = lang_attr(reader, &attrs, "xml:lang")?.or(tgt);
                let (text, inline) = reader.mixed_content(CODE_ELEMENTS_1)?;
                let mut props = BTreeMap::new();
                for key in ["state", "state-qualifier"] {
                    if let Some(value) = attr(&attrs, key) {
                        props.insert(key.to_string(), value.to_string());
                    }
                }
                target = Some((lang, text, inline, props));
            }
            XmlEvent::Start { name, .. } if name == "note" => unit.notes.push(reader.element_text()?),
            XmlEvent::Start { .. } => reader.skip_element()?,
            XmlEvent::End { .. } => break,
            XmlEvent::Empty { .. } | XmlEvent::Text(_) => {}
            XmlEvent::Eof => return Err(reader.syntax("unexpected end of file in <trans-unit>")),
        }
    }
    finish_unit(reader, state, unit, src, source, target, line)
}

fn new_unit(options: &ReadOptions) -> TranslationUnit {
    super::empty_unit(options.collection_or_default())
}

type Target = (Option<LangTag>, String, Vec<InlineTag>, BTreeMap<String, String>);

fn finish_unit(
    reader: &XmlReader<'_, '_>,
    state: &mut State<'_>,
    mut unit: TranslationUnit,
    src: Option<LangTag>,
    source: Option<(String, Vec<InlineTag>)>,
    target: Option<Target>,
    line: usize,
) -> Result<(), FormatError> {
    let Some((source_text, source_inline)) = source else {
        state.problem(line, format!("unit {:?} has no source", unit.id));
        return Ok(());
    };
    let Some((tgt, target_text, target_inline, target_props)) = target.filter(|(_, text, _, _)| !text.trim().is_empty()) else {
        state.problem(line, format!("unit {:?} has no translation", unit.id));
        return Ok(());
    };
    let Some(src) = src else {
        return Err(FormatError::Missing {
            path: reader.path().to_string(),
            message: "no source language (source-language / srcLang)".into(),
            hint: Hint::SourceLanguage,
        });
    };
    let Some(tgt) = tgt else {
        return Err(FormatError::Missing {
            path: reader.path().to_string(),
            message: "no target language (target-language / trgLang)".into(),
            hint: Hint::TargetLanguage,
        });
    };
    if let Some(reason) = too_long("source", &source_text, &state.options.limits).or_else(|| too_long("target", &target_text, &state.options.limits)) {
        state.problem(line, reason);
        return Ok(());
    }
    unit.variants.push(Variant { lang: resolve_lang(src, &source_text), text: source_text, inline: source_inline, props: BTreeMap::new() });
    unit.variants.push(Variant { lang: resolve_lang(tgt, &target_text), text: target_text, inline: target_inline, props: target_props });
    ensure_id(&mut unit);
    state.parsed.units.push(unit);
    Ok(())
}

fn read_v2(reader: &mut XmlReader<'_, '_>, state: &mut State<'_>, src: Option<LangTag>, tgt: Option<LangTag>) -> Result<(), FormatError> {
    let mut original = None;
    loop {
        match reader.next()? {
            XmlEvent::Start { name, attrs } if name == "file" => original = attr(&attrs, "original").map(str::to_string),
            XmlEvent::Start { name, .. } if name == "group" => {}
            XmlEvent::Start { name, attrs } if name == "unit" => {
                let context = UnitContext { src, tgt, original: original.as_deref(), line: reader.line() };
                read_unit_v2(reader, state, attrs, context)?;
            }
            XmlEvent::Start { .. } => reader.skip_element()?,
            XmlEvent::End { name } if name == "xliff" => return Ok(()),
            XmlEvent::End { .. } | XmlEvent::Empty { .. } | XmlEvent::Text(_) => {}
            XmlEvent::Eof => return Err(reader.syntax("unexpected end of file before </xliff>")),
        }
    }
}

fn read_unit_v2(reader: &mut XmlReader<'_, '_>, state: &mut State<'_>, attrs: Vec<(String, String)>, context: UnitContext<'_>) -> Result<(), FormatError> {
    let UnitContext { src, tgt, original, line } = context;
    let unit_id = attr(&attrs, "id").unwrap_or_default().to_string();
    let mut notes = Vec::new();
    let mut props = BTreeMap::new();
    if let Some(name) = attr(&attrs, "name") {
        props.insert("xliff:name".to_string(), name.to_string());
    }
    if let Some(original) = original {
        props.insert("xliff:original".to_string(), original.to_string());
    }
    if !unit_id.is_empty() && !props.contains_key("xliff:name") {
        props.insert(CONTEXT_PROP.to_string(), unit_id.clone());
    }
    // (segment id, source, target, segment line)
    let mut segments = Vec::new();
    loop {
        match reader.next()? {
            XmlEvent::Start { name, .. } if name == "notes" => loop {
                match reader.next()? {
                    XmlEvent::Start { name, .. } if name == "note" => notes.push(reader.element_text()?),
                    XmlEvent::Start { .. } => reader.skip_element()?,
                    XmlEvent::End { .. } => break,
                    XmlEvent::Eof => return Err(reader.syntax("unexpected end of file in <notes>")),
                    _ => {}
                }
            },
            XmlEvent::Start { name, attrs } if name == "segment" => {
                let segment_line = reader.line();
                let mut segment_props = BTreeMap::new();
                for key in ["state", "subState"] {
                    if let Some(value) = attr(&attrs, key) {
                        segment_props.insert(key.to_string(), value.to_string());
                    }
                }
                let mut source = None;
                let mut target = None;
                loop {
                    match reader.next()? {
                        XmlEvent::Start { name, .. } if name == "source" => source = Some(reader.mixed_content(&[])?),
                        XmlEvent::Start { name, attrs } if name == "target" => {
                            let lang = lang_attr(reader, &attrs, "xml:lang")?.or(tgt);
                            let (text, inline) = reader.mixed_content(&[])?;
                            target = Some((lang, text, inline, segment_props.clone()));
                        }
                        XmlEvent::Start { .. } => reader.skip_element()?,
                        XmlEvent::End { .. } => break,
                        XmlEvent::Eof => return Err(reader.syntax("unexpected end of file in <segment>")),
                        _ => {}
                    }
                }
                segments.push((attr(&attrs, "id").map(str::to_string), source, target, segment_line));
            }
            XmlEvent::Start { .. } => reader.skip_element()?,
            XmlEvent::End { .. } => break,
            XmlEvent::Eof => return Err(reader.syntax("unexpected end of file in <unit>")),
            _ => {}
        }
    }
    if segments.is_empty() {
        state.problem(line, format!("unit {unit_id:?} has no segment"));
    }
    let several = segments.len() > 1;
    for (segment_idx, (segment_id, source, target, segment_line)) in segments.into_iter().enumerate() {
        let mut unit = new_unit(state.options);
        unit.id = match (several, segment_id) {
            (false, _) => unit_id.clone(),
            (true, Some(segment_id)) => format!("{unit_id}/{segment_id}"),
            (true, None) => format!("{unit_id}/{}", segment_idx + 1),
        };
        unit.notes = notes.clone();
        unit.props = props.clone();
        finish_unit(reader, state, unit, src, source, target, segment_line)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::Classify;

    fn read(xml: &str) -> Result<Parsed, FormatError> {
        let mut progress = |_, _| {};
        let mut source = Source::from_text("t.xlf", xml, &mut progress);
        read_xliff(&mut source, &ReadOptions::default())
    }

    #[test]
    fn xliff_1_2_with_inline_and_alt_trans() {
        let parsed = read(
            r#"<xliff version="1.2"><file source-language="en" target-language="sq" original="site.html" datatype="html"><body>
<trans-unit id="t1" resname="title"><source>Open <g id="1">the</g> file<x id="2"/></source><target state="translated">Hap <g id="1">skedarin</g><x id="2"/></target><note>UI</note>
<alt-trans><source>x</source><target>y</target></alt-trans></trans-unit>
<trans-unit id="t2"><source>Untranslated</source></trans-unit>
</body></file></xliff>"#,
        )
        .unwrap();
        assert_eq!(parsed.units.len(), 1);
        let unit = &parsed.units[0];
        assert_eq!(unit.id, "t1");
        assert_eq!(unit.variants[1].text, "Hap skedarin");
        assert_eq!(unit.variants[1].props["state"], "translated");
        let kinds: Vec<(usize, &str)> = unit.variants[0].inline.iter().map(|t| (t.offset, t.kind.as_str())).collect();
        assert_eq!(kinds, vec![(5, "g"), (8, "/g"), (13, "x")]);
        assert_eq!(unit.notes, vec!["UI"]);
        assert_eq!(parsed.problems.len(), 1);
        assert_eq!(parsed.problems[0].line, Some(4));
    }

    #[test]
    fn xliff_2_segments_notes_and_state() {
        let parsed = read(
            r#"<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="sr-Latn"><file id="f1">
<unit id="u1"><notes><note category="context">Street sign</note></notes>
<segment id="s1" state="final"><source>Main <pc id="1">street</pc><ph id="2"/></source><target>Glavna <pc id="1">ulica</pc><ph id="2"/></target></segment>
<ignorable><source> </source></ignorable>
<segment id="s2"><source>Two</source><target>Dva</target></segment></unit>
</file></xliff>"#,
        )
        .unwrap();
        assert_eq!(parsed.units.len(), 2, "{:?}", parsed.problems);
        assert_eq!(parsed.units[0].id, "u1/s1");
        assert_eq!(parsed.units[0].notes, vec!["Street sign"]);
        assert_eq!(parsed.units[0].variants[1].lang, LangTag::SR_LATN);
        assert_eq!(parsed.units[0].variants[1].props["state"], "final");
        assert_eq!(parsed.units[0].variants[1].inline.len(), 3);
        assert_eq!(parsed.units[1].id, "u1/s2");
    }

    #[test]
    fn missing_languages_are_reported() {
        let err =
            read(r#"<xliff version="1.2"><file><body><trans-unit id="1"><source>a</source><target>b</target></trans-unit></body></file></xliff>"#).unwrap_err();
        assert!(err.to_string().ends_with(": no source language (source-language / srcLang)"), "{err}");
        assert_eq!(err.hint(), Some(Hint::SourceLanguage));
    }
}
