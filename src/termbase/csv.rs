//! Term bases as CSV (RFC 4180, UTF-8, a header line), in two forms.
//!
//! **Long form**, one row per term (the form of the shipped `glossaries/kosovo/terms.csv`):
//!
//! ```text
//! concept_id,subject,lang,term,status,pos,note,source
//! municipality,local-government,sq,komunë,preferred,noun,,"Law No. 03/L-040, Art. 3"
//! municipality,local-government,sr-Latn,opština,preferred,noun,,"…"
//! ```
//!
//! `concept_id`, `lang` and `term` are required; `subject`, `status` (default `preferred`),
//! `pos`, `note` (the term's usage note) and `source` (the term's source) are optional, and so
//! are the concept-level `definition`, `concept_note` and `concept_source`, which may be given
//! on any row of the concept. Rows of one concept need not be adjacent.
//!
//! **Wide form**, one row per concept (or per status of a concept), one column per language:
//!
//! ```text
//! id,domain,sq,sr-Latn,sr-Cyrl,en,status,note
//! municipality,local-government,komunë,opština,општина,municipality,preferred,
//! municipality,,,općina,,,deprecated,Croatian form
//! ```
//!
//! Language columns are named by tag (`sq`, `sr-Latn`, `sr_cyrl`, `en`, `tr`, `bs`; `sr` takes
//! the script of each cell's letters). `id` (or `concept_id`), `domain` (or `subject`),
//! `status`, `note`, `source`, `pos` and `definition` are optional; `status`, `note`, `source`
//! and `pos` apply to every term on the row. Rows with the same id add terms to one concept;
//! a row without an id is a concept of its own, with an id made from its first term.
//!
//! Either form: a row or column in a language termbridge does not know is skipped with a
//! warning; anything else wrong (an unknown status, a Latin letter in a Cyrillic term, a
//! concept given two subjects) rejects the whole file with its line. Serbian terms given in
//! one script get the other by transliteration, marked derived. [`write_csv`] writes the long
//! form without derived terms (a reader derives them again), and without language-level
//! definitions, which only TBX carries.

use std::collections::HashMap;
use std::io::Write;

use super::error::TermbaseError;
use super::model::{ImportWarning, Imported, check_concept, clean_term, clean_text, derive_serbian_scripts};
use crate::model::lang::LangTag;
use crate::model::{Concept, Term, TermStatus};
use crate::text::{self, Tier};

/// The longest field read (64 KiB): terms are words, and a definition or note a paragraph.
const MAX_FIELD_BYTES: usize = 64 << 10;

/// Reads a CSV term base in either form. `path` only names the input in messages.
///
/// ```
/// let csv = "concept_id,lang,term,status\nmunicipality,sq,komunë,preferred\nmunicipality,sr-Latn,opština,preferred\n";
/// let imported = termbridge::termbase::parse_csv(csv, "terms.csv").unwrap();
/// assert_eq!(imported.concepts[0].terms.len(), 3, "sq, sr-Latn and the derived sr-Cyrl");
/// ```
pub fn parse_csv(input: &str, path: &str) -> Result<Imported, TermbaseError> {
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    let invalid = |line: usize, message: String| TermbaseError::Invalid { path: path.to_string(), line, message };
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(input.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        None => return Err(invalid(1, "empty file; expected a header line".to_string())),
        Some(Err(err)) => return Err(invalid(csv_line(&err), err.to_string())),
        Some(Ok(record)) => record,
    };
    let columns: Vec<String> = header.iter().map(|cell| cell.trim().to_string()).collect();
    let lowered: Vec<String> = columns.iter().map(|column| column.to_ascii_lowercase()).collect();
    let mut rows = Vec::new();
    for record in records {
        let record = record.map_err(|err| invalid(csv_line(&err), err.to_string()))?;
        let line = record.position().map_or(0, |position| position.line() as usize);
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if record.len() != columns.len() {
            return Err(invalid(line, format!("{} fields, the header has {}", record.len(), columns.len())));
        }
        if let Some((column_idx, cell)) = record.iter().enumerate().find(|(_, cell)| cell.len() > MAX_FIELD_BYTES) {
            return Err(invalid(line, format!("field {} is {} bytes, more than the limit of {MAX_FIELD_BYTES}", column_idx + 1, cell.len())));
        }
        rows.push((line, record.iter().map(str::to_string).collect::<Vec<_>>()));
    }
    let mut builder = Builder::new(path);
    if lowered.iter().any(|column| column == "term") && lowered.iter().any(|column| column == "lang") {
        read_long(&lowered, &rows, &mut builder)?;
    } else {
        read_wide(&columns, &rows, &mut builder)?;
    }
    builder.finish()
}

/// Reads a CSV term base file (see [`parse_csv`]).
pub fn read_csv(path: &std::path::Path) -> Result<Imported, TermbaseError> {
    let display = path.display().to_string();
    let input = super::tbx::read_termbase_text(path).map_err(|err| match err {
        Err(source) => TermbaseError::Io { path: display.clone(), source },
        Ok((line, message)) => TermbaseError::Invalid { path: display.clone(), line, message },
    })?;
    parse_csv(&input, &display)
}

fn csv_line(err: &csv::Error) -> usize {
    err.position().map_or(1, |position| position.line() as usize)
}

/// Collects terms into concepts in first-seen order and reports conflicts with their line.
struct Builder<'a> {
    path: &'a str,
    concepts: Vec<Concept>,
    first_line: Vec<usize>,
    by_id: HashMap<String, usize>,
    warnings: Vec<ImportWarning>,
}

impl<'a> Builder<'a> {
    fn new(path: &'a str) -> Builder<'a> {
        Builder { path, concepts: Vec::new(), first_line: Vec::new(), by_id: HashMap::new(), warnings: Vec::new() }
    }

    fn invalid(&self, line: usize, message: String) -> TermbaseError {
        TermbaseError::Invalid { path: self.path.to_string(), line, message }
    }

    fn concept(&mut self, id: &str, line: usize) -> usize {
        if let Some(&idx) = self.by_id.get(id) {
            return idx;
        }
        self.concepts.push(Concept::new(id));
        self.first_line.push(line);
        self.by_id.insert(id.to_string(), self.concepts.len() - 1);
        self.concepts.len() - 1
    }

    /// Sets a concept-level field, refusing a second, different value.
    fn set_field(&mut self, idx: usize, field: ConceptField, raw: &str, line: usize) -> Result<(), TermbaseError> {
        let Some(value) = clean_text(raw) else { return Ok(()) };
        let concept = &mut self.concepts[idx];
        let slot = match field {
            ConceptField::Subject => &mut concept.subject,
            ConceptField::Definition => &mut concept.definition,
            ConceptField::Note => &mut concept.note,
            ConceptField::Source => &mut concept.source,
        };
        match slot {
            Some(existing) if *existing != value => {
                let message = format!("concept {:?} has {} {value:?} here but {existing:?} on an earlier row", concept.id, field.name());
                Err(TermbaseError::Invalid { path: self.path.to_string(), line, message })
            }
            Some(_) => Ok(()),
            None => {
                *slot = Some(value);
                Ok(())
            }
        }
    }

    fn add_term(&mut self, idx: usize, term: Term, line: usize) -> Result<(), TermbaseError> {
        let (term, repair) = clean_term(term).map_err(|err| self.invalid(line, err.to_string()))?;
        if let Some(message) = repair {
            self.warnings.push(ImportWarning { line, message });
        }
        self.concepts[idx].terms.push(term);
        Ok(())
    }

    fn warn(&mut self, line: usize, message: String) {
        self.warnings.push(ImportWarning { line, message });
    }

    fn finish(mut self) -> Result<Imported, TermbaseError> {
        let mut concepts = std::mem::take(&mut self.concepts);
        for (concept, &line) in concepts.iter_mut().zip(&self.first_line) {
            let warnings = check_concept(concept).map_err(|err| self.invalid(line, err.to_string()))?;
            self.warnings.extend(warnings.into_iter().map(|message| ImportWarning { line, message }));
            derive_serbian_scripts(concept);
        }
        Ok(Imported { concepts, warnings: self.warnings })
    }
}

#[derive(Clone, Copy)]
enum ConceptField {
    Subject,
    Definition,
    Note,
    Source,
}

impl ConceptField {
    fn name(self) -> &'static str {
        match self {
            ConceptField::Subject => "subject",
            ConceptField::Definition => "definition",
            ConceptField::Note => "concept note",
            ConceptField::Source => "concept source",
        }
    }
}

/// A language column or cell value: a known tag, a language termbridge does not handle
/// (skipped), or not a language at all.
enum LangCell {
    Known(LangTag),
    Unsupported,
    NotALanguage,
}

fn classify_lang(raw: &str) -> LangCell {
    if let Ok(tag) = LangTag::parse(raw) {
        return LangCell::Known(tag);
    }
    let main = raw.trim().split(['-', '_', '@']).next().unwrap_or_default();
    if (2..=3).contains(&main.len()) && main.chars().all(|c| c.is_ascii_alphabetic()) { LangCell::Unsupported } else { LangCell::NotALanguage }
}

fn parse_status(raw: &str, line: usize, builder: &Builder<'_>) -> Result<TermStatus, TermbaseError> {
    if raw.trim().is_empty() {
        return Ok(TermStatus::Preferred);
    }
    TermStatus::parse(raw)
        .ok_or_else(|| builder.invalid(line, format!("unknown status {raw:?} (expected preferred, admitted, deprecated, superseded or forbidden)")))
}

const LONG_COLUMNS: [&str; 11] = ["concept_id", "subject", "lang", "term", "status", "pos", "note", "source", "definition", "concept_note", "concept_source"];

fn read_long(columns: &[String], rows: &[(usize, Vec<String>)], builder: &mut Builder<'_>) -> Result<(), TermbaseError> {
    if let Some(unknown) = columns.iter().find(|column| !LONG_COLUMNS.contains(&column.as_str())) {
        return Err(builder.invalid(1, format!("unknown column {unknown:?} (the long form has {})", LONG_COLUMNS.join(", "))));
    }
    let position = |name: &str| columns.iter().position(|column| column == name);
    let Some(id_col) = position("concept_id") else {
        return Err(builder.invalid(1, "the long form needs a concept_id column".to_string()));
    };
    let (lang_col, term_col) = (position("lang"), position("term"));
    let cell = |row: &[String], col: Option<usize>| col.map_or(String::new(), |col| row[col].trim().to_string());
    for (line, row) in rows {
        let line = *line;
        let id = row[id_col].trim();
        if id.is_empty() {
            return Err(builder.invalid(line, "empty concept_id".to_string()));
        }
        let lang_raw = cell(row, lang_col);
        let lang = match classify_lang(&lang_raw) {
            LangCell::Known(tag) => tag,
            LangCell::Unsupported => {
                builder.warn(line, format!("language {lang_raw:?} is not one termbridge handles; row skipped"));
                continue;
            }
            LangCell::NotALanguage => return Err(builder.invalid(line, format!("{lang_raw:?} is not a language tag"))),
        };
        let status = parse_status(&cell(row, position("status")), line, builder)?;
        let idx = builder.concept(id, line);
        builder.set_field(idx, ConceptField::Subject, &cell(row, position("subject")), line)?;
        builder.set_field(idx, ConceptField::Definition, &cell(row, position("definition")), line)?;
        builder.set_field(idx, ConceptField::Note, &cell(row, position("concept_note")), line)?;
        builder.set_field(idx, ConceptField::Source, &cell(row, position("concept_source")), line)?;
        let mut term = Term::new(lang, cell(row, term_col), status);
        term.pos = Some(cell(row, position("pos")));
        term.note = Some(cell(row, position("note")));
        term.source = Some(cell(row, position("source")));
        builder.add_term(idx, term, line)?;
    }
    Ok(())
}

/// What a wide-form column holds.
enum WideColumn {
    Id,
    Subject,
    Status,
    Note,
    Source,
    Pos,
    Definition,
    Lang(LangTag),
    Skipped,
}

fn read_wide(columns: &[String], rows: &[(usize, Vec<String>)], builder: &mut Builder<'_>) -> Result<(), TermbaseError> {
    let mut kinds = Vec::with_capacity(columns.len());
    for column in columns {
        let kind = match column.to_ascii_lowercase().as_str() {
            "id" | "concept_id" => WideColumn::Id,
            "domain" | "subject" => WideColumn::Subject,
            "status" => WideColumn::Status,
            "note" => WideColumn::Note,
            "source" => WideColumn::Source,
            "pos" => WideColumn::Pos,
            "definition" => WideColumn::Definition,
            _ => match classify_lang(column) {
                LangCell::Known(tag) => WideColumn::Lang(tag),
                LangCell::Unsupported => {
                    builder.warn(1, format!("column {column:?} is a language termbridge does not handle; skipped"));
                    WideColumn::Skipped
                }
                LangCell::NotALanguage => {
                    return Err(builder.invalid(
                        1,
                        format!("unknown column {column:?}: expected a language tag, id, domain, status, note, source, pos or definition (or the long form's concept_id,lang,term)"),
                    ));
                }
            },
        };
        kinds.push(kind);
    }
    if !kinds.iter().any(|kind| matches!(kind, WideColumn::Lang(_))) {
        return Err(builder.invalid(1, "no language column (expected e.g. sq,sr-Latn,sr-Cyrl,en) and no long-form lang,term columns".to_string()));
    }
    let mut generated: HashMap<String, usize> = HashMap::new();
    for (line, row) in rows {
        let line = *line;
        let field = |wanted: fn(&WideColumn) -> bool| kinds.iter().position(wanted).map_or("", |col| row[col].trim());
        let status = parse_status(field(|kind| matches!(kind, WideColumn::Status)), line, builder)?;
        let id = match field(|kind| matches!(kind, WideColumn::Id)) {
            "" => {
                let first_term =
                    kinds.iter().zip(row).find(|(kind, cell)| matches!(kind, WideColumn::Lang(_)) && !cell.trim().is_empty()).map(|(_, cell)| cell.as_str());
                let Some(first_term) = first_term else { continue };
                let slug = slug(first_term).unwrap_or_else(|| format!("row-{line}"));
                let count = generated.entry(slug.clone()).or_default();
                *count += 1;
                let mut id = if *count == 1 { slug.clone() } else { format!("{slug}-{count}") };
                while builder.by_id.contains_key(&id) {
                    *count += 1;
                    id = format!("{slug}-{count}");
                }
                id
            }
            explicit => explicit.to_string(),
        };
        let idx = builder.concept(&id, line);
        builder.set_field(idx, ConceptField::Subject, field(|kind| matches!(kind, WideColumn::Subject)), line)?;
        builder.set_field(idx, ConceptField::Definition, field(|kind| matches!(kind, WideColumn::Definition)), line)?;
        for (kind, cell) in kinds.iter().zip(row) {
            let WideColumn::Lang(lang) = kind else { continue };
            if cell.trim().is_empty() {
                continue;
            }
            let mut term = Term::new(*lang, cell.as_str(), status);
            term.note = Some(field(|kind| matches!(kind, WideColumn::Note)).to_string());
            term.source = Some(field(|kind| matches!(kind, WideColumn::Source)).to_string());
            term.pos = Some(field(|kind| matches!(kind, WideColumn::Pos)).to_string());
            builder.add_term(idx, term, line)?;
        }
    }
    Ok(())
}

/// A concept id made from a term: folded to ASCII where possible, words joined by hyphens.
fn slug(term: &str) -> Option<String> {
    let folded = text::fold(term, Tier::Script);
    let slug: String = folded.split(' ').filter(|word| !word.is_empty()).collect::<Vec<_>>().join("-");
    let slug: String = slug.chars().filter(|c| c.is_alphanumeric() || *c == '-').collect();
    if slug.is_empty() { None } else { Some(slug) }
}

/// Writes `concepts` as a long-form CSV. Derived terms are left out (a reader derives them
/// again); the concept-level columns are written only when some concept has such a field.
pub fn write_csv<W: Write>(concepts: &[Concept], writer: W) -> Result<(), std::io::Error> {
    let extended = concepts.iter().any(|concept| concept.definition.is_some() || concept.note.is_some() || concept.source.is_some());
    let mut out = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(writer);
    let header: &[&str] = if extended { &LONG_COLUMNS } else { &LONG_COLUMNS[..8] };
    out.write_record(header)?;
    for concept in concepts {
        for term in concept.terms.iter().filter(|term| !term.derived) {
            let lang = term.lang.to_string();
            let mut record = vec![
                concept.id.as_str(),
                concept.subject.as_deref().unwrap_or(""),
                lang.as_str(),
                term.text.as_str(),
                term.status.as_str(),
                term.pos.as_deref().unwrap_or(""),
                term.note.as_deref().unwrap_or(""),
                term.source.as_deref().unwrap_or(""),
            ];
            if extended {
                record.push(concept.definition.as_deref().unwrap_or(""));
                record.push(concept.note.as_deref().unwrap_or(""));
                record.push(concept.source.as_deref().unwrap_or(""));
            }
            out.write_record(&record)?;
        }
    }
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(input: &str) -> String {
        parse_csv(input, "t.csv").expect_err("should be refused").to_string()
    }

    #[test]
    fn long_form_groups_rows_and_derives() {
        let input = "concept_id,subject,lang,term,status,pos,note,source\r\n\
                     municipality,local-government,en,municipality,preferred,noun,,src\r\n\
                     mayor,local-government,en,Mayor,preferred,noun,,src\r\n\
                     municipality,local-government,sr-Latn,općina,deprecated,noun,Croatian,src\r\n\
                     municipality,,sr-Latn,opština,preferred,noun,,src\r\n";
        let imported = parse_csv(input, "t.csv").unwrap();
        let ids: Vec<&str> = imported.concepts.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["municipality", "mayor"]);
        let terms: Vec<String> =
            imported.concepts[0].terms.iter().map(|t| format!("{} {} {}{}", t.lang, t.text, t.status, if t.derived { " derived" } else { "" })).collect();
        assert_eq!(
            terms,
            [
                "en municipality preferred",
                "sr-Latn općina deprecated",
                "sr-Cyrl опћина deprecated derived",
                "sr-Latn opština preferred",
                "sr-Cyrl општина preferred derived"
            ]
        );
        assert_eq!(imported.concepts[0].subject.as_deref(), Some("local-government"));
        assert_eq!(imported.concepts[0].terms[1].note.as_deref(), Some("Croatian"));
        assert_eq!(imported.concepts[0].terms[0].pos.as_deref(), Some("noun"));
    }

    #[test]
    fn wide_form() {
        let input = "id,domain,sq,sr-Latn,sr_cyrl,en,de,status,note\n\
                     municipality,local-government,komunë,opština,општина,municipality,Gemeinde,preferred,\n\
                     municipality,,,općina,,,,deprecated,Croatian form\n\
                     ,,Kuvendi i Komunës,Skupština opštine,,Municipal Assembly,,,\n\
                     ,,Kuvendi i Komunës,,,,,,\n";
        let imported = parse_csv(input, "w.csv").unwrap();
        let ids: Vec<&str> = imported.concepts.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["municipality", "kuvendi-i-komunes", "kuvendi-i-komunes-2"]);
        let municipality = &imported.concepts[0];
        assert_eq!(municipality.terms.iter().filter(|t| !t.derived).count(), 5);
        let deprecated = municipality.terms.iter().find(|t| t.text == "općina").unwrap();
        assert_eq!((deprecated.status, deprecated.note.as_deref()), (TermStatus::Deprecated, Some("Croatian form")));
        assert_eq!(imported.warnings.len(), 1, "{:?}", imported.warnings);
        assert!(imported.warnings[0].message.contains("\"de\""));
    }

    #[test]
    fn refusals_name_the_line() {
        assert_eq!(error_of(""), "t.csv:1: empty file; expected a header line");
        assert_eq!(
            error_of("concept_id,lang,term,colour\n"),
            "t.csv:1: unknown column \"colour\" (the long form has concept_id, subject, lang, term, status, pos, note, source, definition, concept_note, concept_source)"
        );
        assert_eq!(
            error_of("concept_id,lang,term,status\nc,en,x,preferred\nc,en,y,approved\n"),
            "t.csv:3: unknown status \"approved\" (expected preferred, admitted, deprecated, superseded or forbidden)"
        );
        assert!(error_of("concept_id,lang,term\nc,sr-Cyrl,Mитровица\n").starts_with("t.csv:2: sr-Cyrl term \"Mитровица\" holds 'M' (U+004D)"));
        assert_eq!(error_of("concept_id,subject,lang,term\nc,a,en,x\nc,b,en,y\n"), "t.csv:3: concept \"c\" has subject \"b\" here but \"a\" on an earlier row");
        assert_eq!(error_of("concept_id,lang,term\nc,en,x\nc,en,x,extra\n"), "t.csv:3: 4 fields, the header has 3");
        assert_eq!(error_of("concept_id,lang,term\nc,english!,x\n"), "t.csv:2: \"english!\" is not a language tag");
        assert_eq!(error_of("concept_id,lang,term\nc,en,\n"), "t.csv:2: empty term");
        assert_eq!(error_of("concept_id,lang,term\nc,en,x\nc,en,x\n"), "t.csv:2: concept \"c\" lists en term \"x\" twice");
        assert!(error_of("colour,size\nred,1\n").starts_with("t.csv:1: unknown column \"colour\""));
        assert!(error_of("concept_id,lang,term\n\"c,en,x\n").starts_with("t.csv:"));
    }

    #[test]
    fn written_long_form_reads_back_equal() {
        let input = "concept_id,subject,lang,term,status,pos,note,source,definition,concept_note,concept_source\r\n\
                     c1,law,sq,\"ligj, i ri\",preferred,noun,\"a \"\"quoted\"\" note\",src,A rule.,,\r\n\
                     c1,law,sr-Cyrl,закон,preferred,noun,,src,A rule.,,\r\n\
                     c2,,en,Mayor,forbidden,,,,,n,s\r\n";
        let first = parse_csv(input, "a.csv").unwrap();
        let mut written = Vec::new();
        write_csv(&first.concepts, &mut written).unwrap();
        let written = String::from_utf8(written).unwrap();
        assert_eq!(written, input);
        assert_eq!(parse_csv(&written, "b.csv").unwrap().concepts, first.concepts);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(input in "\\PC{0,200}") {
            let _ = parse_csv(&input, "p.csv");
        }

        #[test]
        fn never_panics_on_csv_like_input(rows in proptest::collection::vec("[a-z,\"\\n ёa-]{0,30}", 0..6)) {
            let input = format!("concept_id,lang,term,status\n{}", rows.join("\n"));
            let _ = parse_csv(&input, "p.csv");
        }
    }
}
