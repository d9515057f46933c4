//! CSV (RFC 4180: quoted fields, `""` for a quote, line breaks inside quotes) and TSV
//! (no quoting; a field holds no tab or line break) translation memories: a header line
//! naming the columns, then one unit a record.
//!
//! Header columns: `id` (optional), `context` (optional: the unit's context, e.g. the
//! resource key or msgctxt), `note`/`notes` (optional, one note), language tags
//! (`en`, `sq`, `sr-Cyrl`, `sr_latn` …) or, in the benchmark form, `src`/`tgt`
//! (`source`/`target`) whose languages come from `--src`/`--tgt`. A BOM and CRLF line ends are
//! accepted. An unknown header column, a record with a different number of fields than the
//! header, or bytes that are not UTF-8 reject the whole file with its line; a record with no
//! text is skipped with a problem. Empty fields leave that language out of the unit.
//!
//! The writers put `id` and one column a language; properties, notes, dates and inline tags
//! have no place in these formats and are not written (use TMX for those).

use std::io::Write;

use std::ops::ControlFlow;

use super::{FormatError, Problem, ReadOptions, Source, ensure_id, resolve_lang, too_long};
use crate::model::lang::{Lang, LangTag, SrScript};
use crate::model::{CONTEXT_PROP, TranslationUnit, Variant};
use crate::problem::Hint;

#[derive(Debug, Clone, Copy)]
enum Column {
    Id,
    Context,
    Note,
    Lang(LangTag),
}

/// Reads CSV (`delimiter` `,`, quoting on) or TSV (`\t`, quoting off).
/// Each unit goes to `each` as it is read (see `super::read_file_each`); returns the problems.
pub(crate) fn read_delimited(
    source: &mut Source<'_>,
    options: &ReadOptions,
    delimiter: u8,
    each: &mut dyn FnMut(TranslationUnit) -> ControlFlow<()>,
) -> Result<Vec<Problem>, FormatError> {
    let path = source.path.clone();
    let mut reader = ::csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).quoting(delimiter != b'\t').from_reader(source);
    let mut record = ::csv::ByteRecord::new();
    let mut columns: Vec<Column> = Vec::new();
    let mut problems = Vec::new();
    let collection = options.collection_or_default();
    loop {
        let more = reader.read_byte_record(&mut record).map_err(|err| csv_error(reader.get_ref(), &err))?;
        if !more {
            break;
        }
        let line = record.position().map_or(0, |position| position.line() as usize);
        let mut fields = Vec::with_capacity(record.len());
        for (field_idx, field) in record.iter().enumerate() {
            let text = std::str::from_utf8(field).map_err(|err| FormatError::Encoding {
                path: path.clone(),
                line,
                message: format!("field {} is not UTF-8 (bad byte at offset {} of the field); save the file as UTF-8", field_idx + 1, err.valid_up_to()),
            })?;
            fields.push(text);
        }
        if columns.is_empty() {
            columns = header(&path, line, &fields, options)?;
            continue;
        }
        if fields.len() == 1 && fields[0].is_empty() {
            continue;
        }
        if fields.len() != columns.len() {
            return Err(FormatError::Syntax { path, line, message: format!("{} fields, the header has {}", fields.len(), columns.len()) });
        }
        let mut unit = super::empty_unit(collection.clone());
        let mut problem = None;
        for (column, field) in columns.iter().zip(&fields) {
            if let Some(reason) = too_long("field", field, &options.limits) {
                problem = Some(reason);
            }
            match column {
                Column::Id => unit.id = field.to_string(),
                Column::Context if !field.is_empty() => {
                    unit.props.insert(CONTEXT_PROP.to_string(), field.to_string());
                }
                Column::Context => {}
                Column::Note if !field.is_empty() => unit.notes.push(field.to_string()),
                Column::Note => {}
                Column::Lang(_) if field.is_empty() => {}
                Column::Lang(tag) => {
                    let text = crate::text::nfc(field).into_owned();
                    unit.variants.push(Variant::new(resolve_lang(*tag, &text), text));
                }
            }
        }
        if problem.is_none() && unit.variants.is_empty() {
            problem = Some("record has no text in any language column".into());
        }
        match problem {
            Some(reason) => problems.push(Problem::skipped(path.clone(), line, reason)),
            None => {
                ensure_id(&mut unit);
                if each(unit).is_break() {
                    return Ok(problems);
                }
            }
        }
    }
    if columns.is_empty() {
        return Err(FormatError::Syntax { path, line: 1, message: "empty file: expected a header line naming the columns".into() });
    }
    Ok(problems)
}

fn header(path: &str, line: usize, fields: &[&str], options: &ReadOptions) -> Result<Vec<Column>, FormatError> {
    let invalid = |message: String| FormatError::Syntax { path: path.to_string(), line, message };
    let unnamed_language = |name: &str| FormatError::Missing {
        path: path.to_string(),
        message: format!("header column {name:?} (line {line}) does not name its language"),
        hint: Hint::SourceAndTargetLanguages,
    };
    let mut columns = Vec::with_capacity(fields.len());
    for (column_idx, name) in fields.iter().enumerate() {
        let name = name.trim();
        let column = match name {
            "id" => Column::Id,
            "context" => Column::Context,
            "note" | "notes" => Column::Note,
            "src" | "source" => Column::Lang(options.src.ok_or_else(|| unnamed_language(name))?),
            "tgt" | "target" => Column::Lang(options.tgt.ok_or_else(|| unnamed_language(name))?),
            other => match LangTag::parse(other) {
                Ok(tag) => Column::Lang(tag),
                Err(_) => {
                    return Err(invalid(format!("header column {} is {other:?}: expected id, context, note, src, tgt or a language tag", column_idx + 1)));
                }
            },
        };
        columns.push(column);
    }
    if !columns.iter().any(|column| matches!(column, Column::Lang(_))) {
        return Err(invalid("header names no language column".into()));
    }
    Ok(columns)
}

fn csv_error(source: &Source<'_>, err: &::csv::Error) -> FormatError {
    let line = err.position().map_or(0, |position| position.line() as usize);
    match err.kind() {
        ::csv::ErrorKind::Io(io) => source.io_error(std::io::Error::new(io.kind(), io.to_string())),
        _ => FormatError::Syntax { path: source.path.clone(), line, message: err.to_string() },
    }
}

/// A unit a writer left out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The unit's id.
    pub id: String,
    /// Why.
    pub reason: String,
    /// True when the unit was written all the same, without what the reason names.
    pub written: bool,
}

/// The language columns for `units`, in a fixed order (sq, sr-Cyrl, sr-Latn, sr, en, tr, bs).
pub fn language_columns<'a>(units: impl IntoIterator<Item = &'a TranslationUnit>) -> Vec<LangTag> {
    let mut seen = std::collections::BTreeSet::new();
    for unit in units {
        for variant in &unit.variants {
            seen.insert(variant.lang);
        }
    }
    let rank = |tag: &LangTag| {
        let lang = Lang::ALL.iter().position(|lang| *lang == tag.lang).unwrap_or(usize::MAX);
        let script = match tag.script {
            Some(SrScript::Cyrl) => 0,
            Some(SrScript::Latn) => 1,
            None => 2,
        };
        (lang, script)
    };
    let mut tags: Vec<LangTag> = seen.into_iter().collect();
    tags.sort_by_key(rank);
    tags
}

/// Writes CSV: header `id,<lang>…`, one record a unit. A unit with two variants in one
/// language keeps the first and is reported.
pub fn write_csv<W: Write>(out: W, units: &[TranslationUnit]) -> std::io::Result<Vec<Skipped>> {
    write_delimited(out, units, b',')
}

pub(crate) fn write_delimited<W: Write>(out: W, units: &[TranslationUnit], delimiter: u8) -> std::io::Result<Vec<Skipped>> {
    let tsv = delimiter == b'\t';
    let langs = language_columns(units);
    let mut writer = ::csv::WriterBuilder::new()
        .delimiter(delimiter)
        .quote_style(if tsv { ::csv::QuoteStyle::Never } else { ::csv::QuoteStyle::Necessary })
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_writer(out);
    let mut header = vec!["id".to_string()];
    header.extend(langs.iter().map(LangTag::to_string));
    writer.write_record(&header)?;
    let mut skipped = Vec::new();
    let mut row: Vec<&str> = Vec::with_capacity(header.len());
    for unit in units {
        row.clear();
        row.push(&unit.id);
        let mut duplicate = false;
        for lang in &langs {
            let mut matching = unit.variants.iter().filter(|variant| variant.lang == *lang);
            row.push(matching.next().map_or("", |variant| variant.text.as_str()));
            duplicate |= matching.next().is_some();
        }
        if tsv && row.iter().any(|field| field.contains(['\t', '\n', '\r'])) {
            skipped.push(Skipped {
                id: unit.id.clone(),
                reason: "text holds a tab or line break, which TSV cannot carry; export as CSV or TMX".into(),
                written: false,
            });
            continue;
        }
        if tsv && row.iter().skip(1).all(|field| field.is_empty()) {
            skipped.push(Skipped { id: unit.id.clone(), reason: "unit has only empty texts".into(), written: false });
            continue;
        }
        if duplicate {
            skipped.push(Skipped { id: unit.id.clone(), reason: "unit has two variants in one language; the first was written".into(), written: true });
        }
        writer.write_record(&row)?;
    }
    writer.flush()?;
    Ok(skipped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::Classify;

    fn read(text: &str, delimiter: u8, options: &ReadOptions) -> Result<crate::formats::Parsed, FormatError> {
        let mut progress = |_, _| {};
        let mut source = Source::from_text("t.csv", text, &mut progress);
        let mut units = Vec::new();
        let problems = read_delimited(&mut source, options, delimiter, &mut |unit| {
            units.push(unit);
            ControlFlow::Continue(())
        })?;
        Ok(crate::formats::Parsed { units, problems })
    }

    #[test]
    fn quoted_newlines_and_crlf() {
        let parsed = read("id,en,sr\r\n1,\"Line one\r\nline \"\"two\"\"\",Општина\r\n2,Mayor,Gradonačelnik\r\n", b',', &ReadOptions::default()).unwrap();
        assert_eq!(parsed.units.len(), 2);
        assert_eq!(parsed.units[0].variants[0].text, "Line one\r\nline \"two\"");
        assert_eq!(parsed.units[0].variants[1].lang, LangTag::SR_CYRL);
        assert_eq!(parsed.units[1].variants[1].lang, LangTag::SR_LATN);
    }

    #[test]
    fn benchmark_form_needs_languages() {
        let err = read("id\tsrc\ttgt\n1\ta\tb\n", b'\t', &ReadOptions::default()).unwrap_err();
        assert_eq!(err.to_string(), "t.csv: header column \"src\" (line 1) does not name its language");
        assert_eq!(err.hint(), Some(Hint::SourceAndTargetLanguages));
        let options = ReadOptions { src: Some(LangTag::EN), tgt: Some(LangTag::SQ), ..ReadOptions::default() };
        let parsed = read("id\tsrc\ttgt\n1\ta \"q\tb\n", b'\t', &options).unwrap();
        assert_eq!(parsed.units[0].variants[0].text, "a \"q");
    }

    #[test]
    fn wrong_field_count_names_the_line() {
        let err = read("en,sq\na,b\na,b,c\n", b',', &ReadOptions::default()).unwrap_err();
        assert_eq!(err.to_string(), "t.csv:3: 3 fields, the header has 2");
    }

    #[test]
    fn empty_records_are_problems() {
        let parsed = read("id,en,sq\n1,,\n2,a,b\n", b',', &ReadOptions::default()).unwrap();
        assert_eq!(parsed.units.len(), 1);
        assert_eq!(parsed.problems[0].line, Some(2));
    }

    #[test]
    fn writes_and_reads_back() {
        let parsed = read("id,sq,sr-Cyrl,en\n1,\"a,b\",в,\"x\ny\"\n2,c,,z\n", b',', &ReadOptions::default()).unwrap();
        let mut out = Vec::new();
        assert!(write_csv(&mut out, &parsed.units).unwrap().is_empty());
        let again = read(std::str::from_utf8(&out).unwrap(), b',', &ReadOptions::default()).unwrap();
        assert_eq!(again.units, parsed.units);
    }
}
