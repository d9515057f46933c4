//! The institutions termbridge ships for monitoring: Kosovo's 38 municipalities and its central
//! institutions, each with the official website address a public source gave and that source
//! (`glossaries/kosovo/institutions.csv`, compiled in; its provenance is
//! `glossaries/kosovo/INSTITUTIONS-PROVENANCE.md`). `monitor add --preset kosovo-municipalities`
//! gives the Language Commissioner the whole country in one step.
//!
//! A municipality's row names it as the municipality language table does, so the languages it
//! must publish in follow from that table; a central institution has no municipality (Albanian
//! and Serbian are required). The file keeps rows whose address no source gave, with an empty
//! URL and a note saying so: a preset skips them and counts them rather than guess an address.
//! Nothing here fetches a page or checks that an address still answers.

use serde::Deserialize;

use crate::model::monitor::Institution;

/// `glossaries/kosovo/institutions.csv`, compiled into the binary.
pub const SHIPPED_INSTITUTIONS_CSV: &str = include_str!("../../glossaries/kosovo/institutions.csv");

/// The columns of `institutions.csv`, in order.
pub const INSTITUTION_COLUMNS: [&str; 10] = ["id", "kind", "name_sq", "name_sr", "name_en", "municipality", "url", "source", "consulted", "note"];

/// The presets [`preset`] knows, with what each selects.
pub const PRESETS: [(&str, &str); 3] = [
    ("kosovo-municipalities", "the 38 municipalities"),
    ("kosovo-central", "the central institutions (Assembly, President, Government and ministries, courts, agencies)"),
    ("kosovo", "all of them"),
];

/// Whether a row is a municipality or a central institution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstitutionKind {
    Municipality,
    Central,
}

/// One row of `institutions.csv`, as written.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct InstitutionRow {
    /// Stable ASCII id; for a municipality its gazetteer id (`mun:prishtine`).
    pub id: String,
    pub kind: InstitutionKind,
    /// Official name in Albanian.
    pub name_sq: String,
    /// Official name in Serbian, Cyrillic script.
    pub name_sr: String,
    pub name_en: String,
    /// The municipality as the language table names it (`Prishtinë`); empty for a central
    /// institution.
    pub municipality: String,
    /// The official website addresses, separated by spaces; empty when no source gave one.
    pub url: String,
    /// Where each address was found: the address of a page that lists or links it.
    pub source: String,
    /// When the stored copy of the source was consulted (`YYYY-MM-DD`).
    pub consulted: String,
    /// Caveats, and for a row without an address what was looked for.
    pub note: String,
}

impl InstitutionRow {
    /// The website addresses of the row.
    pub fn urls(&self) -> Vec<String> {
        self.url.split_whitespace().map(str::to_string).collect()
    }

    /// The row as an institution to monitor (`added` is 0: the caller sets it). Its name is the
    /// Albanian and the Serbian name together, since both are official everywhere.
    pub fn institution(&self) -> Institution {
        let name = if self.name_sr.is_empty() { self.name_sq.clone() } else { format!("{} / {}", self.name_sq, self.name_sr) };
        Institution {
            id: self.id.clone(),
            name,
            municipality: (!self.municipality.is_empty()).then(|| self.municipality.clone()),
            urls: self.urls(),
            source: (!self.source.is_empty()).then(|| self.source.clone()),
            added: 0,
        }
    }
}

/// What a preset selects: the institutions with an address, and the rows left out because no
/// source gave one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresetSelection {
    pub institutions: Vec<Institution>,
    /// Rows of the preset without an address, in file order.
    pub skipped: Vec<InstitutionRow>,
}

/// Why a preset could not be given.
#[derive(Debug, thiserror::Error)]
pub enum PresetError {
    /// The name is none of [`PRESETS`].
    #[error("unknown preset {name:?}; the presets are {}", PRESETS.iter().map(|(name, _)| *name).collect::<Vec<_>>().join(", "))]
    Unknown { name: String },
    /// A row of an institutions file is malformed.
    #[error("{file}:{line}: {message}")]
    Invalid {
        /// The file (a path, or the name of the shipped file).
        file: String,
        /// 1-based line number.
        line: u64,
        /// What is wrong, naming the value.
        message: String,
    },
}

impl crate::problem::Classify for PresetError {
    /// An unknown name is the user's to correct; the shipped file failing to read is a build
    /// defect, since its test runs on every build.
    fn class(&self) -> crate::problem::ErrorClass {
        match self {
            PresetError::Unknown { .. } => crate::problem::ErrorClass::NotFound,
            PresetError::Invalid { .. } => crate::problem::ErrorClass::Internal,
        }
    }
}

/// Reads an institutions file (`institutions.csv`'s columns, RFC 4180, a header row).
///
/// Checks what each row must hold: a known kind, an ASCII id, a municipality exactly for
/// municipalities, addresses that are absolute http(s) URLs, and for every address a source and
/// a consultation date; a row without an address needs a note.
pub fn parse_institutions(text: &str, file: &str) -> Result<Vec<InstitutionRow>, PresetError> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(text.as_bytes());
    let invalid = |line: u64, message: String| PresetError::Invalid { file: file.to_string(), line, message };
    let headers = reader.headers().map_err(|err| invalid(1, err.to_string()))?.clone();
    if headers.iter().ne(INSTITUTION_COLUMNS) {
        return Err(invalid(1, format!("header must be {}", INSTITUTION_COLUMNS.join(","))));
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|err| invalid(err.position().map_or(0, |position| position.line()), err.to_string()))?;
        let line = record.position().map_or(0, |position| position.line());
        let row: InstitutionRow = record.deserialize(Some(&headers)).map_err(|err| invalid(line, err.to_string()))?;
        check_row(&row).map_err(|message| invalid(line, format!("{}: {message}", row.id)))?;
        rows.push(row);
    }
    Ok(rows)
}

fn check_row(row: &InstitutionRow) -> Result<(), String> {
    let id_ok = !row.id.is_empty() && row.id.bytes().all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || b":-".contains(&byte));
    if !id_ok {
        return Err("the id must be lower-case ASCII letters, digits, ':' and '-'".to_string());
    }
    match row.kind {
        InstitutionKind::Municipality if row.municipality.is_empty() => return Err("a municipality row names its municipality".to_string()),
        InstitutionKind::Central if !row.municipality.is_empty() => return Err("a central institution has no municipality".to_string()),
        _ => {}
    }
    if row.name_sq.is_empty() || row.name_sr.is_empty() || row.name_en.is_empty() {
        return Err("every row has its Albanian, Serbian and English names".to_string());
    }
    let urls = row.urls();
    if urls.is_empty() {
        if row.note.is_empty() {
            return Err("a row without an address says why in its note".to_string());
        }
        return Ok(());
    }
    for url in &urls {
        let parsed = reqwest::Url::parse(url).map_err(|err| format!("address {url:?} does not parse: {err}"))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
            return Err(format!("address {url:?} is not an http(s) address with a host"));
        }
    }
    if !row.source.contains("http://") && !row.source.contains("https://") {
        return Err("an address needs its source: the address of the page where it was found".to_string());
    }
    if !is_date(&row.consulted) {
        return Err(format!("consulted {:?} is not a YYYY-MM-DD date", row.consulted));
    }
    Ok(())
}

fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10 && bytes[4] == b'-' && bytes[7] == b'-' && bytes.iter().enumerate().all(|(idx, byte)| idx == 4 || idx == 7 || byte.is_ascii_digit())
}

/// The rows of the shipped file.
pub fn shipped_rows() -> Result<Vec<InstitutionRow>, PresetError> {
    parse_institutions(SHIPPED_INSTITUTIONS_CSV, "glossaries/kosovo/institutions.csv")
}

/// The institutions of the preset `name` and the rows skipped for want of an address.
pub fn preset_selection(name: &str) -> Result<PresetSelection, PresetError> {
    let wanted = |kind: InstitutionKind| match name {
        "kosovo-municipalities" => Some(kind == InstitutionKind::Municipality),
        "kosovo-central" => Some(kind == InstitutionKind::Central),
        "kosovo" => Some(true),
        _ => None,
    };
    if wanted(InstitutionKind::Central).is_none() {
        return Err(PresetError::Unknown { name: name.to_string() });
    }
    let mut selection = PresetSelection { institutions: Vec::new(), skipped: Vec::new() };
    for row in shipped_rows()? {
        if wanted(row.kind) != Some(true) {
            continue;
        }
        if row.url.trim().is_empty() {
            selection.skipped.push(row);
        } else {
            selection.institutions.push(row.institution());
        }
    }
    Ok(selection)
}

/// The institutions of the preset `name` (`kosovo-municipalities`, `kosovo-central` or
/// `kosovo`), each with its addresses and their source; `added` is left 0 for the caller. Rows
/// without an address are left out ([`preset_selection`] lists them).
///
/// ```
/// let municipalities = termbridge::monitor::preset::preset("kosovo-municipalities").unwrap();
/// assert!(municipalities.iter().all(|institution| institution.municipality.is_some()));
/// assert!(termbridge::monitor::preset::preset("kosova").is_err());
/// ```
pub fn preset(name: &str) -> Result<Vec<Institution>, PresetError> {
    preset_selection(name).map(|selection| selection.institutions)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::places::{Gazetteer, PlaceKind};

    #[test]
    fn every_municipality_of_the_language_table_appears_once_with_its_id_and_name() {
        let rows = shipped_rows().unwrap();
        let gazetteer = Gazetteer::shipped();
        let table = gazetteer.language_table();
        assert_eq!(table.len(), 38);
        for entry in table {
            let matching: Vec<&InstitutionRow> = rows.iter().filter(|row| row.id == entry.municipality_id).collect();
            assert_eq!(matching.len(), 1, "{} appears {} times", entry.municipality_id, matching.len());
            let row = matching[0];
            assert_eq!(row.kind, InstitutionKind::Municipality, "{}", row.id);
            assert_eq!(row.municipality, entry.municipality_sq, "{}", row.id);
            let place = gazetteer.place(&row.id).unwrap();
            assert_eq!(place.kind, PlaceKind::Municipality);
            assert!(row.name_sr.contains(&place.name_sr_cyrl), "{}: {:?} lacks {:?}", row.id, row.name_sr, place.name_sr_cyrl);
            assert!(row.name_en.contains(&place.name_sq), "{}: {:?} lacks {:?}", row.id, row.name_en, place.name_sq);
        }
        let municipal: Vec<&InstitutionRow> = rows.iter().filter(|row| row.kind == InstitutionKind::Municipality).collect();
        assert_eq!(municipal.len(), 38);
        for row in municipal {
            assert!(gazetteer.municipal_languages(&row.id).is_some(), "{} is not in the language table", row.id);
        }
    }

    #[test]
    fn every_address_parses_is_http_and_has_a_source() {
        let rows = shipped_rows().unwrap();
        let mut ids = HashSet::new();
        for row in &rows {
            assert!(ids.insert(row.id.as_str()), "duplicate id {}", row.id);
            for url in row.urls() {
                let parsed = reqwest::Url::parse(&url).unwrap_or_else(|err| panic!("{}: {url}: {err}", row.id));
                assert!(matches!(parsed.scheme(), "https" | "http"), "{}: {url}", row.id);
                assert!(!row.source.is_empty() && is_date(&row.consulted), "{}: {url} without source or date", row.id);
            }
            if row.urls().is_empty() {
                assert!(!row.note.is_empty(), "{} has neither an address nor a note", row.id);
            }
            // Serbian names are given in Cyrillic, the script Law No. 02/L-37 Art. 2 protects.
            assert!(!row.name_sr.chars().any(|ch| ch.is_ascii_alphabetic()), "{}: {:?} is not Cyrillic", row.id, row.name_sr);
        }
        let central = rows.iter().filter(|row| row.kind == InstitutionKind::Central).count();
        assert!(central >= 12, "{central} central institutions");
    }

    #[test]
    fn presets_select_by_kind_and_skip_rows_without_an_address() {
        let rows = shipped_rows().unwrap();
        let without = |kind: Option<InstitutionKind>| rows.iter().filter(|row| kind.is_none_or(|kind| row.kind == kind) && row.url.is_empty()).count();
        let all = preset_selection("kosovo").unwrap();
        let municipalities = preset_selection("kosovo-municipalities").unwrap();
        let central = preset_selection("kosovo-central").unwrap();
        assert_eq!(municipalities.institutions.len() + municipalities.skipped.len(), 38);
        assert_eq!(municipalities.skipped.len(), without(Some(InstitutionKind::Municipality)));
        assert_eq!(central.skipped.len(), without(Some(InstitutionKind::Central)));
        assert_eq!(all.institutions.len(), municipalities.institutions.len() + central.institutions.len());
        assert_eq!(all.skipped.len(), without(None));
        assert!(municipalities.institutions.iter().all(|institution| institution.municipality.is_some() && !institution.urls.is_empty()));
        assert!(central.institutions.iter().all(|institution| institution.municipality.is_none() && institution.source.is_some()));
        assert_eq!(preset("kosovo").unwrap(), all.institutions);
        let err = preset("kosovo-villages").unwrap_err().to_string();
        assert!(err.contains("\"kosovo-villages\"") && err.contains("kosovo-municipalities"), "{err}");
    }

    #[test]
    fn rejects_bad_rows() {
        let header = INSTITUTION_COLUMNS.join(",");
        for (row, expected) in [
            ("mun:x,municipality,Komuna X,Општина X,Municipality of X,,https://x.example/,https://s.example/,2026-12-07,", "names its municipality"),
            ("gov:x,central,X,X,X,Prizren,https://x.example/,https://s.example/,2026-12-07,", "has no municipality"),
            ("Gov X,central,X,X,X,,https://x.example/,https://s.example/,2026-12-07,", "lower-case ASCII"),
            ("gov:x,central,X,X,X,,ftp://x.example/,https://s.example/,2026-12-07,", "not an http(s) address"),
            ("gov:x,central,X,X,X,,x.example,https://s.example/,2026-12-07,", "does not parse"),
            ("gov:x,central,X,X,X,,https://x.example/,a web page,2026-12-07,", "needs its source"),
            ("gov:x,central,X,X,X,,https://x.example/,https://s.example/,December 2026,", "not a YYYY-MM-DD date"),
            ("gov:x,central,X,X,X,,,,,", "says why in its note"),
            ("gov:x,agency,X,X,X,,,,,none found", "unknown variant"),
        ] {
            let err = parse_institutions(&format!("{header}\n{row}\n"), "t.csv").unwrap_err().to_string();
            assert!(err.contains(expected), "{row}: {err}");
            assert!(err.starts_with("t.csv:2:"), "{err}");
        }
        let rows =
            parse_institutions(&format!("{header}\ngov:x,central,X,Х,X,,https://x.example/ https://y.example/,https://s.example/,2026-12-07,\n"), "t.csv")
                .unwrap();
        let institution = rows[0].institution();
        assert_eq!(institution.urls, vec!["https://x.example/", "https://y.example/"]);
        assert_eq!(institution.name, "X / Х");
        assert_eq!(institution.municipality, None);
    }
}
