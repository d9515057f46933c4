//! TBX (TermBase eXchange) term bases: ISO 30042:2019 (TBX-Core/TBX-Basic, DCA style, root
//! `<tbx>`) and the 2008 form most tools still write (root `<martif type="TBX">`).
//!
//! Read, in either form (element names of the 2008 form in brackets):
//! `conceptEntry` [`termEntry`] with `id`, its `descrip type="subjectField"`,
//! `descrip type="definition"`, `note`, `admin type="source"` or `xref`; `langSec` [`langSet`]
//! with `xml:lang` and a `descrip type="definition"`; `termSec` [`tig`, `ntig`/`termGrp`] with
//! `term`, `termNote type="administrativeStatus"` (preferredTerm-admn-sts, admittedTerm-admn-sts,
//! deprecatedTerm-admn-sts, supersededTerm-admn-sts; also the 2008 `normativeAuthorization`),
//! `termNote type="partOfSpeech"`, `termNote type="termType"` (only `phrase` is kept),
//! `note`, `admin type="source"`, `xref`. Grouping elements (`descripGrp`, `adminGrp`,
//! `termNoteGrp`) are looked through; the header and `transacGrp` (dates, responsibility) are
//! skipped silently; other data categories are skipped with one warning each.
//! Languages termbridge does not handle are skipped with a warning; a concept left without a
//! term is skipped too.
//!
//! TBX-Basic has no "forbidden" status: a forbidden term is written as
//! `deprecatedTerm-admn-sts` with the note `status: forbidden`, and a derived Serbian term
//! carries the note `derived from sr-Latn by transliteration` (or sr-Cyrl); the reader turns
//! both notes back into the model, so what [`write_tbx`] writes, [`parse_tbx`] reads back equal.
//!
//! Refused, rejecting the whole file with its line: a DOCTYPE (termbridge never expands
//! entities nor loads external DTDs, so there is no XXE or entity expansion), references to
//! entities other than the five predefined ones, XML that is not well-formed, input that is not
//! UTF-8, a concept without id, two concepts with one id, a term section without a term,
//! an unknown administrative status, and terms that fail the term base's checks (a Latin
//! letter in a Cyrillic term …).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use quick_xml::XmlVersion;
use quick_xml::escape::escape;
use quick_xml::events::BytesStart;

use crate::formats::xml::{ReferenceError, TextEvent, XmlStop, XmlTextReader};
use crate::model::lang::{Lang, LangTag, SrScript};
use crate::model::{Concept, Term, TermStatus};
use crate::termbase::{ImportWarning, Imported, TermbaseError, check_concept, clean_term, clean_text, derive_serbian_scripts, normalize_pos};

/// Which TBX form [`write_tbx`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TbxVersion {
    /// ISO 30042:2019, TBX-Basic dialect, DCA style (`<tbx>`).
    #[default]
    V2019,
    /// TBX 2008 (`<martif type="TBX-Basic">`, `termEntry`, `langSet`, `tig`).
    V2008,
}

/// The largest term base file read (128 MiB): the file is held in memory while it is parsed.
pub const MAX_TERMBASE_BYTES: u64 = 128 << 20;

/// The deepest element nesting accepted; TBX needs about ten levels.
const MAX_DEPTH: usize = 64;

/// Reads a whole term base file of at most [`MAX_TERMBASE_BYTES`] as UTF-8; `Err` holds the
/// line (0 for the file as a whole) and what is wrong, or the I/O error.
pub(crate) fn read_termbase_text(path: &Path) -> Result<String, Result<(usize, String), std::io::Error>> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(Err)?;
    let size = file.metadata().map_err(Err)?.len();
    let too_large = |size: u64| Ok((1, format!("file is {size} bytes, more than the limit of {MAX_TERMBASE_BYTES} for a term base")));
    if size > MAX_TERMBASE_BYTES {
        return Err(too_large(size));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(MAX_TERMBASE_BYTES + 1).read_to_end(&mut bytes).map_err(Err)?;
    if bytes.len() as u64 > MAX_TERMBASE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    String::from_utf8(bytes).map_err(|err| {
        let valid = err.utf8_error().valid_up_to();
        let line = 1 + memchr::memchr_iter(b'\n', &err.as_bytes()[..valid]).count();
        Ok((line, format!("not UTF-8 (byte {valid})")))
    })
}

/// The note that marks a forbidden term written as deprecated.
const FORBIDDEN_NOTE: &str = "status: forbidden";

fn derived_note(from: LangTag) -> String {
    format!("derived from {from} by transliteration")
}

fn is_derived_note(note: &str) -> bool {
    note.starts_with("derived from sr-") && note.ends_with(" by transliteration")
}

/// What an element on the stack is.
#[derive(Debug, Clone, PartialEq)]
enum Role {
    Root,
    Text,
    Body,
    Concept,
    Lang,
    TermSec,
    /// A grouping element, looked through.
    Group,
    /// A subtree that is ignored.
    Skip,
    /// A data element whose text is being collected.
    Field(Field),
    /// An inline element inside a field (`hi`, `foreign` …): its text belongs to the field.
    Inline,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Field {
    Subject,
    Definition,
    Note,
    Source,
    Xref,
    Term,
    Status,
    Pos,
    TermType,
}

#[derive(Default)]
struct TermDraft {
    line: usize,
    text: Option<String>,
    /// The administrative status and its line.
    status: Option<(String, usize)>,
    pos: Option<String>,
    term_type: Option<String>,
    notes: Vec<String>,
    sources: Vec<String>,
}

struct LangDraft {
    tag: LangTag,
    /// The terms, each with whether its status was left out (settled in `finish_lang`).
    terms: Vec<(Term, bool)>,
}

struct ConceptDraft {
    line: usize,
    concept: Concept,
    sources: Vec<String>,
    notes: Vec<String>,
}

struct Parser<'a> {
    path: &'a str,
    input: &'a str,
    /// Lines counted so far: (byte position, its 1-based line).
    counted: std::cell::Cell<(usize, usize)>,
    stack: Vec<Role>,
    field_text: String,
    /// The xref `target` of the field being read.
    xref_target: Option<String>,
    concept: Option<ConceptDraft>,
    lang: Option<LangDraft>,
    term: Option<TermDraft>,
    concepts: Vec<Concept>,
    seen_ids: BTreeMap<String, usize>,
    warnings: Vec<ImportWarning>,
    /// Skipped data categories: description → (first line, count).
    skipped: BTreeMap<String, (usize, usize)>,
}

/// Reads a TBX file (see the module documentation).
pub fn read_tbx(path: &Path) -> Result<Imported, TermbaseError> {
    let display = path.display().to_string();
    let input = read_termbase_text(path).map_err(|err| match err {
        Err(source) => TermbaseError::Io { path: display.clone(), source },
        Ok((line, message)) if message.starts_with("not UTF-8") => {
            TermbaseError::Invalid { path: display.clone(), line, message: format!("{message}; termbridge reads UTF-8 TBX files") }
        }
        Ok((line, message)) => TermbaseError::Invalid { path: display.clone(), line, message },
    })?;
    parse_tbx(&input, &display)
}

/// Parses a TBX document; `path` only names it in messages.
///
/// ```
/// let tbx = r#"<tbx type="TBX-Basic" style="dca" xmlns="urn:iso:std:iso:30042:ed-2"><text><body>
///   <conceptEntry id="c1"><langSec xml:lang="sr-Latn"><termSec><term>opština</term>
///   <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec></langSec>
///   </conceptEntry></body></text></tbx>"#;
/// let imported = termbridge::termbase::tbx::parse_tbx(tbx, "a.tbx").unwrap();
/// assert_eq!(imported.concepts[0].terms[1].text, "општина");
///
/// let evil = r#"<!DOCTYPE tbx [<!ENTITY x "y">]><tbx/>"#;
/// let err = termbridge::termbase::tbx::parse_tbx(evil, "evil.tbx").unwrap_err();
/// assert!(err.to_string().starts_with("evil.tbx:1: DOCTYPE"));
/// ```
pub fn parse_tbx(input: &str, path: &str) -> Result<Imported, TermbaseError> {
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    let mut parser = Parser {
        path,
        input,
        counted: std::cell::Cell::new((0, 1)),
        stack: Vec::new(),
        field_text: String::new(),
        xref_target: None,
        concept: None,
        lang: None,
        term: None,
        concepts: Vec::new(),
        seen_ids: BTreeMap::new(),
        warnings: Vec::new(),
        skipped: BTreeMap::new(),
    };
    let mut reader = XmlTextReader::new(input, MAX_DEPTH);
    let mut seen_root = false;
    loop {
        let (position, event) = match reader.next() {
            Ok(next) => next,
            Err(XmlStop::Malformed { position, message }) => {
                return Err(parser.invalid(parser.line_at(position as usize), format!("not well-formed XML: {message}")));
            }
            Err(XmlStop::Doctype { position }) => {
                let message = "DOCTYPE declarations are refused: termbridge never expands entities or loads external DTDs".to_string();
                return Err(parser.invalid(parser.line_at(position as usize), message));
            }
            Err(XmlStop::TooDeep { position, max }) => {
                return Err(parser.invalid(parser.line_at(position as usize), format!("elements nested deeper than {max}")));
            }
        };
        let line = parser.line_at(position as usize);
        match event {
            TextEvent::Decl(decl) => {
                if let Some(Ok(encoding)) = decl.encoding()
                    && !encoding.eq_ignore_ascii_case("utf-8")
                    && !encoding.eq_ignore_ascii_case("utf8")
                {
                    return Err(parser.invalid(line, format!("encoding {encoding:?} is not supported; save the file as UTF-8")));
                }
            }
            TextEvent::Start(_) | TextEvent::Empty(_) if parser.stack.is_empty() && seen_root => {
                return Err(parser.invalid(line, "content after the root element".to_string()));
            }
            TextEvent::Start(element) => {
                seen_root = true;
                parser.start(&element, line)?;
            }
            TextEvent::Empty(element) => {
                seen_root = true;
                parser.start(&element, line)?;
                parser.end(line)?;
            }
            TextEvent::End(_) => parser.end(line)?,
            TextEvent::Text(text) => {
                if parser.capturing() {
                    parser.field_text.push_str(&text);
                }
            }
            TextEvent::Reference(Ok(resolved)) => {
                if parser.capturing() {
                    parser.field_text.push(resolved);
                }
            }
            TextEvent::Reference(Err(ReferenceError::Undefined { name })) => {
                return Err(parser.invalid(line, format!("entity &{name}; is not defined (termbridge does not expand entities)")));
            }
            TextEvent::Reference(Err(err)) => return Err(parser.invalid(line, err.to_string())),
            TextEvent::Eof => break,
        }
    }
    let end_line = parser.line_at(input.len());
    if !seen_root {
        return Err(parser.invalid(end_line, "no <tbx> or <martif> root element".to_string()));
    }
    if !parser.stack.is_empty() {
        return Err(parser.invalid(end_line, "unexpected end of file: elements left open".to_string()));
    }
    for (what, (first_line, count)) in std::mem::take(&mut parser.skipped) {
        let times = if count == 1 { String::new() } else { format!(" ({count} times)") };
        parser.warnings.push(ImportWarning { line: first_line, message: format!("skipped {what}{times}: termbridge does not keep it") });
    }
    parser.warnings.sort_by_key(|warning| warning.line);
    Ok(Imported { concepts: parser.concepts, warnings: parser.warnings })
}

fn local_name(element: &BytesStart<'_>) -> String {
    element.local_name().as_ref().to_string()
}

impl Parser<'_> {
    /// The 1-based line of byte `position`, counted on from the last position asked (the
    /// reader moves forward), so no table of line starts is kept.
    fn line_at(&self, position: usize) -> usize {
        let position = position.min(self.input.len());
        let (from, line) = match self.counted.get() {
            (counted, line) if counted <= position => (counted, line),
            _ => (0, 1),
        };
        let line = line + memchr::memchr_iter(b'\n', &self.input.as_bytes()[from..position]).count();
        self.counted.set((position, line));
        line
    }

    fn invalid(&self, line: usize, message: String) -> TermbaseError {
        TermbaseError::Invalid { path: self.path.to_string(), line, message }
    }

    fn capturing(&self) -> bool {
        matches!(self.stack.last(), Some(Role::Field(_) | Role::Inline))
    }

    fn attribute(&self, element: &BytesStart<'_>, name: &str, line: usize) -> Result<Option<String>, TermbaseError> {
        match element.try_get_attribute(name) {
            Ok(None) => Ok(None),
            Ok(Some(attribute)) => attribute
                .normalized_value(XmlVersion::Implicit1_0)
                .map(|value| Some(value.into_owned()))
                .map_err(|err| self.invalid(line, format!("attribute {name} of <{}>: {err}", local_name(element)))),
            Err(err) => Err(self.invalid(line, format!("attributes of <{}>: {err}", local_name(element)))),
        }
    }

    /// The nearest enclosing role that is not a group.
    fn context(&self) -> Option<&Role> {
        self.stack.iter().rev().find(|role| **role != Role::Group)
    }

    fn skip(&mut self, what: String, line: usize) -> Role {
        let entry = self.skipped.entry(what).or_insert((line, 0));
        entry.1 += 1;
        Role::Skip
    }

    fn start(&mut self, element: &BytesStart<'_>, line: usize) -> Result<(), TermbaseError> {
        let name = local_name(element);
        if self.stack.len() >= MAX_DEPTH {
            return Err(self.invalid(line, format!("elements nested deeper than {MAX_DEPTH}")));
        }
        let type_attr = self.attribute(element, "type", line)?;
        let typed = |prefix: &str| format!("<{prefix} type=\"{}\">", type_attr.as_deref().unwrap_or(""));
        let role = match self.stack.last() {
            Some(Role::Field(_) | Role::Inline) => Role::Inline,
            Some(Role::Skip) => Role::Skip,
            None => match name.as_str() {
                "tbx" | "martif" => Role::Root,
                other => return Err(self.invalid(line, format!("root element <{other}> is neither <tbx> (TBX 2019) nor <martif> (TBX 2008)"))),
            },
            Some(_) => match (self.context().cloned(), name.as_str()) {
                (Some(Role::Root), "tbxHeader" | "martifHeader") => Role::Skip,
                (Some(Role::Root), "text") => Role::Text,
                (Some(Role::Text), "body") => Role::Body,
                (Some(Role::Text), "back") => Role::Skip,
                (Some(Role::Body), "conceptEntry" | "termEntry") => {
                    let Some(id) = self.attribute(element, "id", line)?.and_then(|id| clean_text(&id)) else {
                        return Err(self.invalid(line, format!("<{name}> without an id attribute")));
                    };
                    if let Some(first) = self.seen_ids.get(&id) {
                        return Err(self.invalid(line, format!("concept id {id:?} is used twice (first on line {first})")));
                    }
                    self.seen_ids.insert(id.clone(), line);
                    self.concept = Some(ConceptDraft { line, concept: Concept::new(id), sources: Vec::new(), notes: Vec::new() });
                    Role::Concept
                }
                (Some(Role::Concept), "langSec" | "langSet") => {
                    let raw = self.attribute(element, "xml:lang", line)?.unwrap_or_default();
                    match LangTag::parse(&raw) {
                        Ok(tag) => {
                            self.lang = Some(LangDraft { tag, terms: Vec::new() });
                            Role::Lang
                        }
                        Err(_) => self.skip(format!("<{name} xml:lang=\"{raw}\"> (a language termbridge does not handle)"), line),
                    }
                }
                (Some(Role::Lang), "termSec" | "tig" | "ntig") => {
                    self.term = Some(TermDraft { line, ..TermDraft::default() });
                    Role::TermSec
                }
                (Some(Role::Concept | Role::Lang | Role::TermSec), "descripGrp" | "adminGrp" | "termGrp" | "termNoteGrp" | "noteGrp") => Role::Group,
                (Some(Role::Concept | Role::Lang | Role::TermSec), "transacGrp") => Role::Skip,
                (Some(Role::Concept), "descrip") => match type_attr.as_deref() {
                    Some("subjectField") => Role::Field(Field::Subject),
                    Some("definition") => Role::Field(Field::Definition),
                    _ => self.skip(typed("descrip"), line),
                },
                (Some(Role::Lang), "descrip") => match type_attr.as_deref() {
                    Some("definition") => Role::Field(Field::Definition),
                    _ => self.skip(typed("descrip"), line),
                },
                (Some(Role::Concept | Role::TermSec), "note") => Role::Field(Field::Note),
                (Some(Role::Concept | Role::TermSec), "admin") => match type_attr.as_deref() {
                    Some("source") => Role::Field(Field::Source),
                    _ => self.skip(typed("admin"), line),
                },
                (Some(Role::Concept | Role::TermSec), "xref") => {
                    self.xref_target = self.attribute(element, "target", line)?;
                    Role::Field(Field::Xref)
                }
                (Some(Role::TermSec), "term") => Role::Field(Field::Term),
                (Some(Role::TermSec), "termNote") => match type_attr.as_deref() {
                    Some("administrativeStatus" | "normativeAuthorization") => Role::Field(Field::Status),
                    Some("partOfSpeech") => Role::Field(Field::Pos),
                    Some("termType") => Role::Field(Field::TermType),
                    _ => self.skip(typed("termNote"), line),
                },
                (Some(Role::Lang), "note" | "admin" | "xref") => self.skip(format!("<{name}> in a language section"), line),
                (_, other) => self.skip(format!("<{other}>"), line),
            },
        };
        if matches!(role, Role::Field(_)) {
            self.field_text.clear();
        }
        self.stack.push(role);
        Ok(())
    }

    fn end(&mut self, line: usize) -> Result<(), TermbaseError> {
        let Some(role) = self.stack.pop() else {
            return Err(self.invalid(line, "closing tag without an open element".to_string()));
        };
        match role {
            Role::Field(field) => {
                let value = clean_text(&self.field_text);
                self.field_text.clear();
                self.store_field(field, value, line);
            }
            Role::TermSec => self.finish_term()?,
            Role::Lang => self.finish_lang(),
            Role::Concept => self.finish_concept()?,
            _ => {}
        }
        Ok(())
    }

    fn store_field(&mut self, field: Field, value: Option<String>, line: usize) {
        let target = self.xref_target.take();
        let value = match field {
            Field::Xref => match (value, target.and_then(|target| clean_text(&target))) {
                (Some(label), Some(target)) if label != target => Some(format!("{label} – {target}")),
                (Some(label), _) => Some(label),
                (None, target) => target,
            },
            _ => value,
        };
        let Some(value) = value else { return };
        // Where the field belongs: the innermost open term section, language or concept.
        let in_term = self.stack.contains(&Role::TermSec);
        let in_lang = self.stack.contains(&Role::Lang);
        if in_term {
            let Some(term) = self.term.as_mut() else { return };
            match field {
                Field::Term => term.text = Some(value),
                Field::Status => term.status = Some((value, line)),
                Field::Pos => term.pos = Some(value),
                Field::TermType => term.term_type = Some(value),
                Field::Note => term.notes.push(value),
                Field::Source | Field::Xref => term.sources.push(value),
                Field::Subject | Field::Definition => {}
            }
        } else if in_lang {
            if let (Field::Definition, Some(lang), Some(concept)) = (field, self.lang.as_ref(), self.concept.as_mut()) {
                concept.concept.lang_definitions.insert(lang.tag, value);
            }
        } else if let Some(concept) = self.concept.as_mut() {
            match field {
                Field::Subject => concept.concept.subject = Some(value),
                Field::Definition => concept.concept.definition = Some(value),
                Field::Note => concept.notes.push(value),
                Field::Source | Field::Xref => concept.sources.push(value),
                Field::Term | Field::Status | Field::Pos | Field::TermType => {}
            }
        }
    }

    fn parse_status(&mut self, raw: &str, line: usize) -> Result<TermStatus, TermbaseError> {
        let status = match raw {
            "preferredTerm-admn-sts" | "preferredTerm" | "preferred" => TermStatus::Preferred,
            "admittedTerm-admn-sts" | "admittedTerm" | "admitted" => TermStatus::Admitted,
            "deprecatedTerm-admn-sts" | "deprecatedTerm" | "deprecated" | "notRecommended" => TermStatus::Deprecated,
            "supersededTerm-admn-sts" | "supersededTerm" | "superseded" | "obsolete" => TermStatus::Superseded,
            "forbiddenTerm-admn-sts" | "forbidden" => TermStatus::Forbidden,
            "standardizedTerm-admn-sts" | "standardizedTerm" => {
                self.warnings.push(ImportWarning { line, message: format!("administrative status {raw:?} read as preferred") });
                TermStatus::Preferred
            }
            "legalTerm-admn-sts" | "regulatedTerm-admn-sts" | "legalTerm" | "regulatedTerm" => {
                self.warnings.push(ImportWarning { line, message: format!("administrative status {raw:?} read as admitted") });
                TermStatus::Admitted
            }
            other => {
                return Err(self.invalid(
                    line,
                    format!("unknown administrative status {other:?} (expected preferredTerm-admn-sts, admittedTerm-admn-sts, deprecatedTerm-admn-sts or supersededTerm-admn-sts)"),
                ));
            }
        };
        Ok(status)
    }

    fn finish_term(&mut self) -> Result<(), TermbaseError> {
        let Some(draft) = self.term.take() else { return Ok(()) };
        let Some(lang) = self.lang.as_ref().map(|lang| lang.tag) else { return Ok(()) };
        let Some(text) = draft.text else {
            return Err(self.invalid(draft.line, "term section without a <term>".to_string()));
        };
        let explicit_status = match &draft.status {
            Some((raw, line)) => Some(self.parse_status(raw, *line)?),
            None => None,
        };
        let mut notes = Vec::new();
        let mut derived = false;
        let mut forbidden = false;
        for note in draft.notes {
            if note == FORBIDDEN_NOTE {
                forbidden = true;
            } else if is_derived_note(&note) {
                derived = true;
            } else {
                notes.push(note);
            }
        }
        let mut status = explicit_status.unwrap_or(TermStatus::Admitted);
        if forbidden && matches!(status, TermStatus::Deprecated) {
            status = TermStatus::Forbidden;
        }
        let pos = match (draft.pos.as_deref(), draft.term_type.as_deref()) {
            (Some("other") | None, Some("phrase")) => Some("phrase".to_string()),
            (pos, term_type) => {
                if let Some(term_type) = term_type.filter(|term_type| *term_type != "phrase") {
                    let entry = self.skipped.entry(format!("<termNote type=\"termType\">{term_type}</termNote>")).or_insert((draft.line, 0));
                    entry.1 += 1;
                }
                pos.and_then(normalize_pos)
            }
        };
        let term = Term {
            lang,
            text,
            status,
            pos,
            note: if notes.is_empty() { None } else { Some(notes.join("; ")) },
            source: if draft.sources.is_empty() { None } else { Some(draft.sources.join(" ; ")) },
            derived,
        };
        let (term, repair) = clean_term(term).map_err(|err| self.invalid(draft.line, err.to_string()))?;
        if let Some(message) = repair {
            self.warnings.push(ImportWarning { line: draft.line, message });
        }
        if let Some(lang) = self.lang.as_mut() {
            lang.terms.push((term, explicit_status.is_none()));
        }
        Ok(())
    }

    fn finish_lang(&mut self) {
        let Some(lang) = self.lang.take() else { return };
        // A term without a status is preferred when it is the first such term of a language
        // section that marks none preferred, admitted otherwise.
        let mut promoted = lang.terms.iter().any(|(term, implied)| !implied && term.status == TermStatus::Preferred);
        let terms = lang.terms.into_iter().map(|(mut term, implied)| {
            if implied && !promoted {
                term.status = TermStatus::Preferred;
                promoted = true;
            }
            term
        });
        if let Some(concept) = self.concept.as_mut() {
            concept.concept.terms.extend(terms);
        }
    }

    fn finish_concept(&mut self) -> Result<(), TermbaseError> {
        let Some(mut draft) = self.concept.take() else { return Ok(()) };
        if !draft.notes.is_empty() {
            draft.concept.note = Some(draft.notes.join("; "));
        }
        if !draft.sources.is_empty() {
            draft.concept.source = Some(draft.sources.join(" ; "));
        }
        if draft.concept.terms.is_empty() {
            self.warnings.push(ImportWarning {
                line: draft.line,
                message: format!("concept {:?} has no term in a language termbridge handles; skipped", draft.concept.id),
            });
            return Ok(());
        }
        let warnings = check_concept(&draft.concept).map_err(|err| self.invalid(draft.line, err.to_string()))?;
        self.warnings.extend(warnings.into_iter().map(|message| ImportWarning { line: draft.line, message }));
        derive_serbian_scripts(&mut draft.concept);
        group_by_lang(&mut draft.concept);
        self.concepts.push(draft.concept);
        Ok(())
    }
}

/// Orders a concept's terms by language, languages in order of first appearance; within a
/// language, terms from sources before derived ones, otherwise in their order.
fn group_by_lang(concept: &mut Concept) {
    let mut order: Vec<LangTag> = Vec::new();
    for term in &concept.terms {
        if !order.contains(&term.lang) {
            order.push(term.lang);
        }
    }
    concept.terms.sort_by_key(|term| (order.iter().position(|lang| *lang == term.lang), term.derived));
}

fn tbx_status(status: TermStatus) -> &'static str {
    match status {
        TermStatus::Preferred => "preferredTerm-admn-sts",
        TermStatus::Admitted => "admittedTerm-admn-sts",
        TermStatus::Deprecated | TermStatus::Forbidden => "deprecatedTerm-admn-sts",
        TermStatus::Superseded => "supersededTerm-admn-sts",
    }
}

/// Writes `concepts` as TBX in `version`. Terms are grouped by language (languages in order of
/// first appearance); everything the model holds is written (see the module documentation
/// for forbidden and derived terms).
pub fn write_tbx<W: Write>(concepts: &[Concept], version: TbxVersion, writer: W) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(writer);
    let (entry, lang_section, term_section) = match version {
        TbxVersion::V2019 => ("conceptEntry", "langSec", "termSec"),
        TbxVersion::V2008 => ("termEntry", "langSet", "tig"),
    };
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    match version {
        TbxVersion::V2019 => {
            writeln!(
                out,
                "<?xml-model href=\"https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/TBXcoreStructV03_TBX-Basic_integrated.rng\" type=\"application/xml\" schematypens=\"http://relaxng.org/ns/structure/1.0\"?>"
            )?;
            writeln!(
                out,
                "<?xml-model href=\"https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/TBX-Basic_DCA.sch\" type=\"application/xml\" schematypens=\"http://purl.oclc.org/dsdl/schematron\"?>"
            )?;
            writeln!(out, "<tbx type=\"TBX-Basic\" style=\"dca\" xml:lang=\"en\" xmlns=\"urn:iso:std:iso:30042:ed-2\">")?;
            writeln!(
                out,
                "  <tbxHeader>\n    <fileDesc>\n      <sourceDesc>\n        <p>termbridge term base</p>\n      </sourceDesc>\n    </fileDesc>\n  </tbxHeader>"
            )?;
        }
        TbxVersion::V2008 => {
            writeln!(out, "<martif type=\"TBX-Basic\" xml:lang=\"en\">")?;
            writeln!(
                out,
                "  <martifHeader>\n    <fileDesc>\n      <sourceDesc>\n        <p>termbridge term base</p>\n      </sourceDesc>\n    </fileDesc>\n    <encodingDesc>\n      <p type=\"XCSURI\">TBXBasicXCSV02.xcs</p>\n    </encodingDesc>\n  </martifHeader>"
            )?;
        }
    }
    writeln!(out, "  <text>\n    <body>")?;
    for concept in concepts {
        writeln!(out, "      <{entry} id=\"{}\">", escape(concept.id.as_str()))?;
        if let Some(subject) = &concept.subject {
            writeln!(out, "        <descrip type=\"subjectField\">{}</descrip>", escape(subject.as_str()))?;
        }
        if let Some(definition) = &concept.definition {
            writeln!(out, "        <descrip type=\"definition\">{}</descrip>", escape(definition.as_str()))?;
        }
        if let Some(note) = &concept.note {
            writeln!(out, "        <note>{}</note>", escape(note.as_str()))?;
        }
        if let Some(source) = &concept.source {
            writeln!(out, "        <admin type=\"source\">{}</admin>", escape(source.as_str()))?;
        }
        let mut langs: Vec<LangTag> = Vec::new();
        for term in &concept.terms {
            if !langs.contains(&term.lang) {
                langs.push(term.lang);
            }
        }
        for lang in langs {
            writeln!(out, "        <{lang_section} xml:lang=\"{lang}\">")?;
            if let Some(definition) = concept.lang_definitions.get(&lang) {
                writeln!(out, "          <descrip type=\"definition\">{}</descrip>", escape(definition.as_str()))?;
            }
            for term in concept.terms.iter().filter(|term| term.lang == lang) {
                writeln!(out, "          <{term_section}>")?;
                writeln!(out, "            <term>{}</term>", escape(term.text.as_str()))?;
                writeln!(out, "            <termNote type=\"administrativeStatus\">{}</termNote>", tbx_status(term.status))?;
                match term.pos.as_deref() {
                    Some("phrase") => {
                        writeln!(out, "            <termNote type=\"partOfSpeech\">other</termNote>")?;
                        writeln!(out, "            <termNote type=\"termType\">phrase</termNote>")?;
                    }
                    Some(pos) => writeln!(out, "            <termNote type=\"partOfSpeech\">{}</termNote>", escape(pos))?,
                    None => {}
                }
                if let Some(note) = &term.note {
                    writeln!(out, "            <note>{}</note>", escape(note.as_str()))?;
                }
                if term.status == TermStatus::Forbidden {
                    writeln!(out, "            <note>{FORBIDDEN_NOTE}</note>")?;
                }
                if term.derived {
                    let from = LangTag { lang: Lang::Sr, script: Some(if term.lang.script == Some(SrScript::Cyrl) { SrScript::Latn } else { SrScript::Cyrl }) };
                    writeln!(out, "            <note>{}</note>", derived_note(from))?;
                }
                if let Some(source) = &term.source {
                    writeln!(out, "            <admin type=\"source\">{}</admin>", escape(source.as_str()))?;
                }
                writeln!(out, "          </{term_section}>")?;
            }
            writeln!(out, "        </{lang_section}>")?;
        }
        writeln!(out, "      </{entry}>")?;
    }
    writeln!(out, "    </body>\n  </text>")?;
    match version {
        TbxVersion::V2019 => writeln!(out, "</tbx>")?,
        TbxVersion::V2008 => writeln!(out, "</martif>")?,
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE_2019: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
  <tbxHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></tbxHeader>
  <text>
    <body>
      <conceptEntry id="municipality">
        <descrip type="subjectField">local-government</descrip>
        <descripGrp><descrip type="definition">Basic unit of local self-government.</descrip></descripGrp>
        <transacGrp><transac type="transactionType">origination</transac></transacGrp>
        <langSec xml:lang="sq">
          <termSec>
            <term>komun<hi>ë</hi></term>
            <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
            <termNote type="partOfSpeech">noun</termNote>
            <termNote type="grammaticalGender">feminine</termNote>
            <admin type="source">Law No. 03/L-040 &amp; Constitution</admin>
          </termSec>
        </langSec>
        <langSec xml:lang="sr-Latn">
          <termSec><term>opština</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
          <termSec><term>općina</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote><note>Croatian form</note></termSec>
        </langSec>
        <langSec xml:lang="de"><termSec><term>Gemeinde</term></termSec></langSec>
      </conceptEntry>
    </body>
  </text>
</tbx>
"#;

    const SAMPLE_2008: &str = r#"<?xml version="1.0"?>
<martif type="TBX" xml:lang="en">
  <martifHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></martifHeader>
  <text><body>
    <termEntry id="mayor">
      <langSet xml:lang="en"><tig><term>Mayor</term><termNote type="partOfSpeech">noun</termNote></tig></langSet>
      <langSet xml:lang="sr_RS@latin">
        <ntig><termGrp><term>predsednik opštine</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termGrp></ntig>
        <ntig><termGrp><term>gradonačelnik</term></termGrp><termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></ntig>
      </langSet>
      <langSet xml:lang="sr-Cyrl"><tig><term>председник општине</term></tig></langSet>
    </termEntry>
  </body></text>
</martif>
"#;

    fn error_of(input: &str) -> String {
        parse_tbx(input, "t.tbx").expect_err("should be refused").to_string()
    }

    fn wrap(entries: &str) -> String {
        format!("<tbx>\n<text><body>\n{entries}\n</body></text></tbx>")
    }

    #[test]
    fn reads_tbx_2019() {
        let imported = parse_tbx(SAMPLE_2019, "a.tbx").unwrap();
        let concept = &imported.concepts[0];
        assert_eq!(concept.subject.as_deref(), Some("local-government"));
        assert_eq!(concept.definition.as_deref(), Some("Basic unit of local self-government."));
        let terms: Vec<String> =
            concept.terms.iter().map(|t| format!("{} {} {}{}", t.lang, t.text, t.status, if t.derived { " derived" } else { "" })).collect();
        assert_eq!(
            terms,
            [
                "sq komunë preferred",
                "sr-Latn opština preferred",
                "sr-Latn općina deprecated",
                "sr-Cyrl општина preferred derived",
                "sr-Cyrl опћина deprecated derived"
            ]
        );
        assert_eq!(concept.terms[0].source.as_deref(), Some("Law No. 03/L-040 & Constitution"));
        assert_eq!(concept.terms[0].pos.as_deref(), Some("noun"));
        assert_eq!(concept.terms[2].note.as_deref(), Some("Croatian form"));
        let warnings: Vec<String> = imported.warnings.iter().map(|w| format!("{}: {}", w.line, w.message)).collect();
        assert_eq!(
            warnings,
            [
                "15: skipped <termNote type=\"grammaticalGender\">: termbridge does not keep it",
                "23: skipped <langSec xml:lang=\"de\"> (a language termbridge does not handle): termbridge does not keep it"
            ]
        );
    }

    #[test]
    fn reads_tbx_2008() {
        let imported = parse_tbx(SAMPLE_2008, "b.tbx").unwrap();
        let terms: Vec<String> =
            imported.concepts[0].terms.iter().map(|t| format!("{} {} {}{}", t.lang, t.text, t.status, if t.derived { " derived" } else { "" })).collect();
        assert_eq!(
            terms,
            [
                "en Mayor preferred",
                "sr-Latn predsednik opštine preferred",
                "sr-Latn gradonačelnik admitted",
                "sr-Cyrl председник општине preferred",
                "sr-Cyrl градоначелник admitted derived"
            ]
        );
    }

    #[test]
    fn refusals_name_the_line() {
        assert_eq!(
            error_of("<?xml version=\"1.0\"?>\n<!DOCTYPE tbx [<!ENTITY lol \"lol\">]>\n<tbx/>"),
            "t.tbx:2: DOCTYPE declarations are refused: termbridge never expands entities or loads external DTDs"
        );
        assert_eq!(
            error_of(&wrap("<conceptEntry id=\"c\"><langSec xml:lang=\"en\"><termSec><term>&xxe;</term></termSec></langSec></conceptEntry>")),
            "t.tbx:3: entity &xxe; is not defined (termbridge does not expand entities)"
        );
        assert_eq!(error_of(&wrap("<conceptEntry>\n</conceptEntry>")), "t.tbx:3: <conceptEntry> without an id attribute");
        assert_eq!(
            error_of(&wrap(
                "<conceptEntry id=\"c\"><langSec xml:lang=\"en\"><termSec><term>x</term></termSec></langSec></conceptEntry>\n<conceptEntry id=\"c\"/>"
            )),
            "t.tbx:4: concept id \"c\" is used twice (first on line 3)"
        );
        assert_eq!(
            error_of(&wrap("<conceptEntry id=\"c\"><langSec xml:lang=\"en\">\n<termSec><note>n</note></termSec></langSec></conceptEntry>")),
            "t.tbx:4: term section without a <term>"
        );
        assert!(error_of(&wrap("<conceptEntry id=\"c\"><langSec xml:lang=\"en\"><termSec><term>x</term>\n<termNote type=\"administrativeStatus\">approved</termNote></termSec></langSec></conceptEntry>"))
            .starts_with("t.tbx:4: unknown administrative status \"approved\""));
        assert!(
            error_of(&wrap("<conceptEntry id=\"c\"><langSec xml:lang=\"sr-Cyrl\">\n<termSec><term>Mитровица</term></termSec></langSec></conceptEntry>"))
                .starts_with("t.tbx:4: sr-Cyrl term \"Mитровица\" holds 'M'")
        );
        assert!(
            error_of(&wrap("<conceptEntry id=\"c\">\n<langSec xml:lang=\"en\"></termSec></langSec></conceptEntry>"))
                .starts_with("t.tbx:4: not well-formed XML")
        );
        assert_eq!(error_of("<html><body/></html>"), "t.tbx:1: root element <html> is neither <tbx> (TBX 2019) nor <martif> (TBX 2008)");
        assert_eq!(
            error_of("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><tbx/>"),
            "t.tbx:1: encoding \"ISO-8859-1\" is not supported; save the file as UTF-8"
        );
        assert_eq!(error_of("<tbx><text>\n<body>"), "t.tbx:2: unexpected end of file: elements left open");
        assert_eq!(error_of(""), "t.tbx:1: no <tbx> or <martif> root element");
        assert_eq!(error_of("<tbx/><tbx/>"), "t.tbx:1: content after the root element");
    }

    #[test]
    fn statuses_and_implied_preference() {
        let imported = parse_tbx(
            &wrap(
                "<conceptEntry id=\"c\"><langSec xml:lang=\"en\">\
                 <termSec><term>a</term></termSec><termSec><term>b</term></termSec>\
                 <termSec><term>c</term><termNote type=\"administrativeStatus\">supersededTerm-admn-sts</termNote></termSec>\
                 <termSec><term>d</term><termNote type=\"administrativeStatus\">deprecatedTerm-admn-sts</termNote><note>status: forbidden</note></termSec>\
                 <termSec><term>e</term><termNote type=\"administrativeStatus\">standardizedTerm-admn-sts</termNote></termSec>\
                 </langSec></conceptEntry>",
            ),
            "s.tbx",
        )
        .unwrap();
        let statuses: Vec<(&str, TermStatus)> = imported.concepts[0].terms.iter().map(|t| (t.text.as_str(), t.status)).collect();
        assert_eq!(
            statuses,
            [
                ("a", TermStatus::Admitted),
                ("b", TermStatus::Admitted),
                ("c", TermStatus::Superseded),
                ("d", TermStatus::Forbidden),
                ("e", TermStatus::Preferred)
            ]
        );
    }

    #[test]
    fn what_is_written_reads_back_equal() {
        let mut concepts = parse_tbx(SAMPLE_2019, "a.tbx").unwrap().concepts;
        concepts.extend(parse_tbx(SAMPLE_2008, "b.tbx").unwrap().concepts);
        let mut extra = Concept::new("odd <id> & \"quotes\"");
        extra.note = Some("concept note".into());
        extra.source = Some("concept source".into());
        extra.lang_definitions.insert(LangTag::SQ, "Përkufizim.".into());
        let mut term = Term::new(LangTag::SR_LATN, "Kosovo i Metohija", TermStatus::Forbidden);
        term.pos = Some("phrase".into());
        term.note = Some("use «Republika Kosovo»".into());
        extra.terms.push(term);
        extra.terms.push(Term::new(LangTag::SQ, "ëç <b>", TermStatus::Superseded));
        derive_serbian_scripts(&mut extra);
        group_by_lang(&mut extra);
        concepts.push(extra);
        for version in [TbxVersion::V2019, TbxVersion::V2008] {
            let mut written = Vec::new();
            write_tbx(&concepts, version, &mut written).unwrap();
            let written = String::from_utf8(written).unwrap();
            let read = parse_tbx(&written, "w.tbx").unwrap();
            assert_eq!(read.concepts, concepts, "{version:?}\n{written}");
            assert!(read.warnings.is_empty(), "{:?}", read.warnings);
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_text(input in "\\PC{0,300}") {
            let _ = parse_tbx(&input, "p.tbx");
        }

        #[test]
        fn never_panics_on_damaged_tbx(cut in 0usize..2000, insert in "[<>&;/=\"a-z ]{0,8}") {
            let mut damaged = SAMPLE_2019.to_string();
            let mut at = cut.min(damaged.len());
            while !damaged.is_char_boundary(at) {
                at -= 1;
            }
            damaged.insert_str(at, &insert);
            let _ = parse_tbx(&damaged, "p.tbx");
            let _ = parse_tbx(&damaged[..at], "p.tbx");
        }

        #[test]
        fn written_terms_read_back(texts in proptest::collection::vec("[a-zA-Zëçčćšžđ<>&'\" ]{1,20}", 1..5)) {
            let mut concept = Concept::new("c");
            for text in &texts {
                if let Ok((term, _)) = clean_term(Term::new(LangTag::SQ, text.as_str(), TermStatus::Admitted))
                    && !concept.terms.iter().any(|t| t.text == term.text)
                {
                    concept.terms.push(term);
                }
            }
            proptest::prop_assume!(!concept.terms.is_empty());
            let mut written = Vec::new();
            write_tbx(std::slice::from_ref(&concept), TbxVersion::V2019, &mut written).unwrap();
            let read = parse_tbx(std::str::from_utf8(&written).unwrap(), "p.tbx").unwrap();
            proptest::prop_assert_eq!(read.concepts, vec![concept]);
        }
    }
}
