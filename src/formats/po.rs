//! gettext PO and POT catalogues (GNU gettext manual, "The Format of PO Files").
//!
//! An entry is `msgctxt`? `msgid` (`msgid_plural` `msgstr[N]`… | `msgstr`), each a run of
//! C-escaped quoted strings, preceded by comments: `# ` translator comments and `#.`
//! extracted comments become notes, `#:` references the property `po:references`, `#,` flags
//! the property `po:flags`, `#|` previous strings `po:previous`.
//!
//! Choices:
//! - Source language: `--src`, else `en`. Target: `--tgt`, else the header's `Language:`
//!   (`sr@latin` → `sr-Latn`); neither is an error.
//! - Unit id: `msgctxt|msgid`, or just `msgid` (gettext's own MO key separates them with
//!   U+0004, which XML cannot carry, so a TMX export could not give it back).
//! - Plural forms: one unit per `msgstr[N]`. `msgstr[0]` pairs with `msgid`, the others with
//!   `msgid_plural`; the id gets `[N]` appended and the property `po:plural` holds `N`.
//! - Fuzzy entries (`#, fuzzy`) are imported, marked with the property `fuzzy` = `yes`
//!   (besides `po:flags`), so matching can rank them below checked translations.
//! - Entries with an empty `msgstr` (every entry of a POT) are skipped with the problem
//!   "untranslated"; obsolete entries (`#~`) are skipped with a problem.
//! - A broken string (no closing quote, an unknown escape) or a keyword out of place rejects
//!   the file with its line, as `msgfmt` does.

use std::collections::BTreeMap;
use std::io::BufRead;

use super::{FormatError, Parsed, Problem, ReadOptions, Source, resolve_lang, too_long};
use crate::model::lang::LangTag;
use crate::model::{TranslationUnit, Variant};
use crate::problem::Hint;

/// Plural forms read per entry: gettext's languages need at most six (Arabic), so a larger
/// index is a broken or hostile file, refused before it can make an entry grow without end.
const MAX_PLURAL_FORMS: usize = 100;

/// Which string a continuation line extends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Ctxt,
    Id,
    IdPlural,
    Str(usize),
}

#[derive(Debug, Default)]
struct Entry {
    line: usize,
    ctxt: Option<String>,
    id: Option<String>,
    id_plural: Option<String>,
    strs: BTreeMap<usize, String>,
    notes: Vec<String>,
    references: Vec<String>,
    flags: Vec<String>,
    previous: Vec<String>,
    obsolete: bool,
    /// The entry has seen a msgstr: a following keyword starts a new entry.
    has_str: bool,
}

impl Entry {
    fn is_empty(&self) -> bool {
        self.id.is_none() && self.ctxt.is_none() && !self.obsolete
    }
}

/// Reads a PO/POT catalogue.
pub(crate) fn read_po(source: &mut Source<'_>, options: &ReadOptions) -> Result<Parsed, FormatError> {
    let path = source.path.clone();
    let mut entries: Vec<Entry> = Vec::new();
    let mut entry = Entry::default();
    let mut field: Option<Field> = None;
    let mut line_no = 0usize;
    let mut raw = Vec::new();
    loop {
        raw.clear();
        let n = source.read_until(b'\n', &mut raw).map_err(|err| source.io_error(err))?;
        if n == 0 {
            break;
        }
        line_no += 1;
        let syntax = |message: String| FormatError::Syntax { path: path.clone(), line: line_no, message };
        let line = std::str::from_utf8(&raw).map_err(|err| FormatError::Encoding {
            path: path.clone(),
            line: line_no,
            message: format!("not UTF-8 (bad byte at column {}); convert the catalogue with msgconv --to-code=UTF-8", err.valid_up_to() + 1),
        })?;
        let line = line.trim_end_matches(['\n', '\r']).trim_start();
        if line.is_empty() {
            if !entry.is_empty() {
                entries.push(std::mem::take(&mut entry));
            }
            field = None;
            continue;
        }
        if let Some(rest) = line.strip_prefix("#~") {
            // Obsolete entry (PO format §"obsolete entries"): note it, keep nothing.
            if !entry.obsolete && !entry.is_empty() {
                entries.push(std::mem::take(&mut entry));
            }
            if !entry.obsolete {
                entry.obsolete = true;
                entry.line = line_no;
            }
            let _ = rest;
            field = None;
            continue;
        }
        if entry.obsolete {
            entries.push(std::mem::take(&mut entry));
        }
        if let Some(comment) = line.strip_prefix('#') {
            if entry.has_str {
                entries.push(std::mem::take(&mut entry));
            }
            if entry.line == 0 {
                entry.line = line_no;
            }
            field = None;
            match comment.chars().next() {
                Some(',') => entry.flags.extend(comment[1..].split(',').map(str::trim).filter(|flag| !flag.is_empty()).map(str::to_string)),
                Some(':') => entry.references.extend(comment[1..].split_whitespace().map(str::to_string)),
                Some('.') => entry.notes.push(comment[1..].trim().to_string()),
                Some('|') => entry.previous.push(comment[1..].trim().to_string()),
                _ => {
                    let note = comment.strip_prefix(' ').unwrap_or(comment);
                    if !note.trim().is_empty() {
                        entry.notes.push(note.to_string());
                    }
                }
            }
            continue;
        }
        if line.starts_with('"') {
            let Some(current) = field else {
                return Err(syntax("string without a keyword before it".into()));
            };
            let value = unquote(line).map_err(|err| syntax(err.to_string()))?;
            let target = match current {
                Field::Ctxt => entry.ctxt.get_or_insert_with(String::new),
                Field::Id => entry.id.get_or_insert_with(String::new),
                Field::IdPlural => entry.id_plural.get_or_insert_with(String::new),
                Field::Str(n) => entry.strs.entry(n).or_default(),
            };
            target.push_str(&value);
            continue;
        }
        let (keyword, rest) = line.split_once([' ', '\t']).unwrap_or((line, ""));
        let value = unquote(rest.trim()).map_err(|err| syntax(err.to_string()))?;
        let next_field = match keyword {
            "msgctxt" => Field::Ctxt,
            "msgid" => Field::Id,
            "msgid_plural" => Field::IdPlural,
            "msgstr" => Field::Str(0),
            _ => match keyword.strip_prefix("msgstr[").and_then(|rest| rest.strip_suffix(']')) {
                Some(digits) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => match digits.parse::<usize>() {
                    Ok(n) if n < MAX_PLURAL_FORMS => Field::Str(n),
                    _ => {
                        return Err(syntax(format!(
                            "plural form {keyword}: termbridge reads at most {MAX_PLURAL_FORMS} plural forms (msgstr[0] to msgstr[{}]); no language has more than six",
                            MAX_PLURAL_FORMS - 1
                        )));
                    }
                },
                _ => return Err(syntax(format!("unknown keyword {keyword:?}: expected msgctxt, msgid, msgid_plural, msgstr or msgstr[N]"))),
            },
        };
        if matches!(next_field, Field::Ctxt | Field::Id) && (entry.has_str || (next_field == Field::Ctxt && entry.id.is_some())) {
            entries.push(std::mem::take(&mut entry));
        }
        if entry.line == 0 {
            entry.line = line_no;
        }
        match next_field {
            Field::Ctxt => entry.ctxt = Some(value),
            Field::Id if entry.id.is_some() => return Err(syntax("second msgid in one entry".into())),
            Field::Id => entry.id = Some(value),
            Field::IdPlural => entry.id_plural = Some(value),
            Field::Str(n) => {
                if entry.id.is_none() {
                    return Err(syntax("msgstr without a msgid before it".into()));
                }
                entry.has_str = true;
                entry.strs.insert(n, value);
            }
        }
        field = Some(next_field);
    }
    if !entry.is_empty() {
        entries.push(entry);
    }
    build_units(&path, entries, options)
}

fn build_units(path: &str, entries: Vec<Entry>, options: &ReadOptions) -> Result<Parsed, FormatError> {
    let header = entries.iter().find(|entry| !entry.obsolete && entry.ctxt.is_none() && entry.id.as_deref() == Some(""));
    let header_lang = header
        .and_then(|entry| entry.strs.get(&0))
        .and_then(|text| text.lines().find_map(|line| line.strip_prefix("Language:").map(|lang| lang.trim().to_string())))
        .filter(|lang| !lang.is_empty());
    let src = options.src.unwrap_or(LangTag::EN);
    let tgt = match (options.tgt, &header_lang) {
        (Some(tgt), _) => Some(tgt),
        (None, Some(raw)) => Some(LangTag::parse(raw).map_err(|err| FormatError::Missing {
            path: path.to_string(),
            message: format!("header Language: {err}"),
            hint: Hint::TargetLanguage,
        })?),
        (None, None) => None,
    };
    let collection = options.collection_or_default();
    let mut parsed = Parsed::default();
    let mut tgt_needed = false;
    for entry in entries {
        let problem = |reason: &str| Problem::skipped(path, entry.line, reason);
        if entry.obsolete {
            parsed.problems.push(problem("obsolete entry (#~) skipped"));
            continue;
        }
        let Some(msgid) = &entry.id else {
            parsed.problems.push(problem("entry without msgid skipped"));
            continue;
        };
        if msgid.is_empty() && entry.ctxt.is_none() {
            continue; // the header
        }
        if entry.strs.values().all(String::is_empty) {
            parsed.problems.push(problem("untranslated entry skipped"));
            continue;
        }
        let Some(tgt) = tgt else {
            tgt_needed = true;
            continue;
        };
        let base_id = match &entry.ctxt {
            Some(ctxt) => format!("{ctxt}|{msgid}"),
            None => msgid.clone(),
        };
        let mut props = BTreeMap::new();
        if !entry.flags.is_empty() {
            props.insert("po:flags".to_string(), entry.flags.join(", "));
        }
        if entry.flags.iter().any(|flag| flag == "fuzzy") {
            props.insert("fuzzy".to_string(), "yes".to_string());
        }
        if !entry.references.is_empty() {
            props.insert("po:references".to_string(), entry.references.join(" "));
        }
        if !entry.previous.is_empty() {
            props.insert("po:previous".to_string(), entry.previous.join("\n"));
        }
        if let Some(ctxt) = &entry.ctxt {
            props.insert("po:msgctxt".to_string(), ctxt.clone());
        }
        let plural = entry.id_plural.is_some();
        for (n, msgstr) in &entry.strs {
            if msgstr.is_empty() {
                parsed.problems.push(problem(&format!("untranslated plural form msgstr[{n}] skipped")));
                continue;
            }
            let source_text = if *n == 0 { msgid } else { entry.id_plural.as_ref().unwrap_or(msgid) };
            if let Some(reason) = too_long("string", source_text, &options.limits).or_else(|| too_long("string", msgstr, &options.limits)) {
                parsed.problems.push(problem(&reason));
                continue;
            }
            let mut unit_props = props.clone();
            let id = if plural {
                unit_props.insert("po:plural".to_string(), n.to_string());
                format!("{base_id}[{n}]")
            } else {
                base_id.clone()
            };
            let source_text = crate::text::nfc(source_text).into_owned();
            let target_text = crate::text::nfc(msgstr).into_owned();
            parsed.units.push(TranslationUnit {
                id,
                collection: collection.clone(),
                variants: vec![Variant::new(resolve_lang(src, &source_text), source_text), Variant::new(resolve_lang(tgt, &target_text), target_text)],
                props: unit_props,
                notes: entry.notes.clone(),
                created: None,
                changed: None,
            });
        }
    }
    if tgt_needed {
        return Err(FormatError::Missing {
            path: path.to_string(),
            message: "the catalogue names no Language: in its header".into(),
            hint: Hint::TargetLanguage,
        });
    }
    Ok(parsed)
}

/// Why a quoted PO string cannot be decoded; each names the string as written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuoteError {
    /// The string is not in double quotes.
    #[error("expected a quoted string, found {0:?}")]
    NotQuoted(String),
    /// A double quote inside the string is not escaped.
    #[error("unescaped quote inside {0:?}")]
    UnescapedQuote(String),
    /// The string ends in a lone backslash.
    #[error("string ends in a backslash: {0:?}")]
    TrailingBackslash(String),
    /// An octal escape names no character.
    #[error("bad octal escape in {0:?}")]
    BadOctal(String),
    /// A hex escape has no digits or names no character.
    #[error("bad hex escape in {0:?}")]
    BadHex(String),
    /// A backslash before a character that is no escape.
    #[error("unknown escape \\{escape} in {raw:?}")]
    UnknownEscape {
        /// The character after the backslash.
        escape: char,
        /// The string.
        raw: String,
    },
}

/// Decodes one quoted PO string with its C escapes.
fn unquote(raw: &str) -> Result<String, QuoteError> {
    let inner = raw.strip_prefix('"').and_then(|rest| rest.trim_end().strip_suffix('"')).ok_or_else(|| QuoteError::NotQuoted(raw.to_string()))?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Err(QuoteError::UnescapedQuote(raw.to_string())),
            '\\' => {
                let escaped = chars.next().ok_or_else(|| QuoteError::TrailingBackslash(raw.to_string()))?;
                match escaped {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'r' => out.push('\r'),
                    'a' => out.push('\u{7}'),
                    'b' => out.push('\u{8}'),
                    'f' => out.push('\u{C}'),
                    'v' => out.push('\u{B}'),
                    '\\' | '"' | '\'' | '?' => out.push(escaped),
                    '0'..='7' => {
                        let mut value = escaped.to_digit(8).unwrap_or(0);
                        for _ in 0..2 {
                            match chars.peek().and_then(|c| c.to_digit(8)) {
                                Some(digit) => {
                                    value = value * 8 + digit;
                                    chars.next();
                                }
                                None => break,
                            }
                        }
                        out.push(char::from_u32(value).ok_or_else(|| QuoteError::BadOctal(raw.to_string()))?);
                    }
                    'x' => {
                        let mut value = 0u32;
                        let mut digits = 0;
                        while let Some(digit) = chars.peek().and_then(|c| c.to_digit(16)) {
                            value = value.saturating_mul(16).saturating_add(digit);
                            digits += 1;
                            chars.next();
                        }
                        let decoded = if digits > 0 { char::from_u32(value) } else { None };
                        out.push(decoded.ok_or_else(|| QuoteError::BadHex(raw.to_string()))?);
                    }
                    escape => return Err(QuoteError::UnknownEscape { escape, raw: raw.to_string() }),
                }
            }
            c => out.push(c),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::Classify;

    fn read(text: &str, options: &ReadOptions) -> Result<Parsed, FormatError> {
        let mut progress = |_, _| {};
        let mut source = Source::from_text("t.po", text, &mut progress);
        read_po(&mut source, options)
    }

    fn check_unquote(raw: &str, expected: Result<&str, ()>) {
        assert_eq!(unquote(raw).map_err(|_| ()), expected.map(str::to_string), "{raw}");
    }

    #[test]
    fn escapes() {
        check_unquote(r#""a\nb""#, Ok("a\nb"));
        check_unquote(r#""tab\there \"q\" \\""#, Ok("tab\there \"q\" \\"));
        check_unquote(r#""\101\x42""#, Ok("AB"));
        check_unquote(r#""""#, Ok(""));
        check_unquote(r#""open"#, Err(()));
        check_unquote(r#""bad \q""#, Err(()));
        check_unquote(r#""in"side""#, Err(()));
        check_unquote(r#""\x""#, Err(()));
    }

    #[test]
    fn entries_with_context_plural_and_multiline() {
        let po = "msgid \"\"\nmsgstr \"\"\n\"Language: sr\\n\"\n\"Plural-Forms: nplurals=3;\\n\"\n\n#. Shown on the sign\n#: src/a.c:1 src/b.c:2\nmsgctxt \"menu\"\nmsgid \"\"\n\"Open \"\n\"file\"\nmsgstr \"Отвори датотеку\"\n\nmsgid \"%d file\"\nmsgid_plural \"%d files\"\nmsgstr[0] \"%d датотека\"\nmsgstr[1] \"%d датотеке\"\nmsgstr[2] \"%d датотека\"\n";
        let parsed = read(po, &ReadOptions::default()).unwrap();
        assert_eq!(parsed.units.len(), 4, "{:?}", parsed.problems);
        let first = &parsed.units[0];
        assert_eq!(first.id, "menu|Open file");
        assert_eq!(first.variants[1].lang, LangTag::SR_CYRL);
        assert_eq!(first.notes, vec!["Shown on the sign"]);
        assert_eq!(first.props["po:references"], "src/a.c:1 src/b.c:2");
        assert_eq!(parsed.units[2].id, "%d file[1]");
        assert_eq!(parsed.units[2].variants[0].text, "%d files");
        assert_eq!(parsed.units[3].props["po:plural"], "2");
    }

    #[test]
    fn fuzzy_obsolete_and_untranslated() {
        let po = "#, fuzzy, c-format\nmsgid \"Mayor\"\nmsgstr \"Kryetari\"\n\nmsgid \"Empty\"\nmsgstr \"\"\n\n#~ msgid \"Old\"\n#~ msgstr \"E vjetër\"\n";
        let options = ReadOptions { tgt: Some(LangTag::SQ), ..ReadOptions::default() };
        let parsed = read(po, &options).unwrap();
        assert_eq!(parsed.units.len(), 1);
        assert_eq!(parsed.units[0].props["fuzzy"], "yes");
        assert_eq!(parsed.units[0].props["po:flags"], "fuzzy, c-format");
        let reasons: Vec<(Option<usize>, &str)> = parsed.problems.iter().map(|p| (p.line, p.reason.as_str())).collect();
        assert_eq!(reasons, vec![(Some(5), "untranslated entry skipped"), (Some(8), "obsolete entry (#~) skipped")]);
    }

    #[test]
    fn missing_language_and_bad_syntax() {
        let err = read("msgid \"a\"\nmsgstr \"b\"\n", &ReadOptions::default()).unwrap_err();
        assert_eq!(err.hint(), Some(Hint::TargetLanguage), "{err}");
        assert_eq!(err.to_string(), "t.po: the catalogue names no Language: in its header");
        let err = read("msgid \"a\"\nmsgstr \"b\n", &ReadOptions::default()).unwrap_err();
        assert!(err.to_string().starts_with("t.po:2:"), "{err}");
        let err = read("msgid \"a\"\nmsgfoo \"b\"\n", &ReadOptions::default()).unwrap_err();
        assert!(err.to_string().contains("unknown keyword"), "{err}");
        let err = read("msgid \"a\"\nmsgid_plural \"as\"\nmsgstr[0] \"b\"\nmsgstr[999999] \"c\"\n", &ReadOptions::default()).unwrap_err();
        assert!(err.to_string().starts_with("t.po:4: plural form msgstr[999999]: termbridge reads at most 100"), "{err}");
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_text(text in "\\PC{0,300}") {
            let _ = read(&text, &ReadOptions::default());
            let _ = unquote(&text);
        }

        #[test]
        fn never_panics_on_catalogue_soup(
            text in "((#[,.:|~ ]?[a-z, ]{0,6}|msgctxt|msgid|msgid_plural|msgstr|msgstr\\[[0-9]{1,7}\\]|\"[a-zë\\\\\"ntx0-9]{0,6}\"|\"Language: sr\\\\n\"|[ \t]){0,4}\n){0,30}"
        ) {
            let options = ReadOptions { tgt: Some(LangTag::SQ), ..ReadOptions::default() };
            let _ = read(&text, &options);
        }
    }
}
