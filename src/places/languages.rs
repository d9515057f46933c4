//! The municipality language table: for each of the 38 municipalities, its official languages,
//! the languages in official use, the majority community's language (for the sign-order rule)
//! and the policy for the Serbian script, each row with its source and date.
//!
//! Law No. 02/L-37 on the Use of Languages, Art. 2: Albanian and Serbian "and their alphabets"
//! are official everywhere; a community language spoken by at least 5 % of a municipality's
//! inhabitants is official there, one spoken by at least 3 % or traditionally is in official
//! use; Turkish is official in Prizren. The table records what sources say per municipality;
//! it does not compute status from census shares. Rows the sources do not cover are marked
//! `unverified` rather than guessed.

use serde::Serialize;

use super::error::PlacesError;
use super::gazetteer::{tsv_records, unescape_field};
use crate::model::lang::Lang;

/// How Serbian must be written on signs and in name lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SrScriptPolicy {
    /// Serbian must appear in Cyrillic; Latin may appear beside it (Law No. 02/L-37 Art. 2:
    /// Serbian "and its alphabet").
    CyrillicRequired,
    /// Serbian may appear in either script.
    LatinAllowed,
    /// Serbian must appear in both scripts.
    Both,
}

impl SrScriptPolicy {
    /// The name the table and the CLI use.
    pub fn as_str(self) -> &'static str {
        match self {
            SrScriptPolicy::CyrillicRequired => "cyrillic_required",
            SrScriptPolicy::LatinAllowed => "latin_allowed",
            SrScriptPolicy::Both => "both",
        }
    }

    /// Parses [`SrScriptPolicy::as_str`] (hyphens accepted for underscores).
    pub fn parse(raw: &str) -> Option<SrScriptPolicy> {
        match raw.trim().replace('-', "_").as_str() {
            "cyrillic_required" => Some(SrScriptPolicy::CyrillicRequired),
            "latin_allowed" => Some(SrScriptPolicy::LatinAllowed),
            "both" => Some(SrScriptPolicy::Both),
            _ => None,
        }
    }
}

/// How well a row is sourced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowStatus {
    /// Every field has a source.
    Sourced,
    /// Official languages and majority are sourced; some community-language claim is not.
    PartlySourced,
    /// Only the law's nation-wide rule (sq, sr) applies; community languages not sourced.
    Unverified,
}

impl RowStatus {
    /// The name the table uses.
    pub fn as_str(self) -> &'static str {
        match self {
            RowStatus::Sourced => "sourced",
            RowStatus::PartlySourced => "partly_sourced",
            RowStatus::Unverified => "unverified",
        }
    }

    fn parse(raw: &str) -> Option<RowStatus> {
        match raw {
            "sourced" => Some(RowStatus::Sourced),
            "partly_sourced" => Some(RowStatus::PartlySourced),
            "unverified" => Some(RowStatus::Unverified),
            _ => None,
        }
    }
}

/// One row of the municipality language table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MunicipalLanguages {
    /// The municipality's id in the gazetteer (`mun:…`).
    pub municipality_id: String,
    /// Its Albanian name, for people reading the table.
    pub municipality_sq: String,
    /// Official languages (ISO 639 codes: sq, sr, tr, bs).
    pub official: Vec<String>,
    /// Languages in official use (tr, bs, rom …).
    pub in_official_use: Vec<String>,
    /// Language of the majority community (sq, sr or tr).
    pub majority: String,
    /// Script policy for Serbian.
    pub sr_script_policy: SrScriptPolicy,
    /// How well the row is sourced.
    pub status: RowStatus,
    /// The sources, by the short names the file's header explains.
    pub source: String,
    /// Date (or year) of the sources.
    pub date: String,
    /// Caveats.
    pub note: String,
}

impl MunicipalLanguages {
    /// The official languages termbridge knows (Romani and other codes are skipped).
    pub fn official_langs(&self) -> Vec<Lang> {
        self.official.iter().filter_map(|code| lang_of(code)).collect()
    }

    /// The majority community's language, when termbridge knows it.
    pub fn majority_lang(&self) -> Option<Lang> {
        lang_of(&self.majority)
    }
}

fn lang_of(code: &str) -> Option<Lang> {
    Some(match code {
        "sq" => Lang::Sq,
        "sr" => Lang::Sr,
        "tr" => Lang::Tr,
        "bs" => Lang::Bs,
        "en" => Lang::En,
        _ => return None,
    })
}

/// The columns of `municipal_languages.tsv`, in order.
pub const LANGUAGE_COLUMNS: [&str; 10] =
    ["municipality_id", "municipality_sq", "official", "in_official_use", "majority", "sr_script_policy", "status", "source", "date", "note"];

const KNOWN_CODES: [&str; 5] = ["sq", "sr", "tr", "bs", "rom"];

/// Parses `municipal_languages.tsv`.
pub fn parse_municipal_languages(text: &str, file: &str) -> Result<Vec<MunicipalLanguages>, PlacesError> {
    let mut rows = Vec::new();
    for (line, fields) in tsv_records(text, file, &LANGUAGE_COLUMNS)? {
        let get = |idx: usize| unescape_field(fields[idx]).ok_or_else(|| PlacesError::invalid(file, line, format!("malformed escape in {:?}", fields[idx])));
        let codes = |idx: usize| -> Result<Vec<String>, PlacesError> {
            let raw = get(idx)?;
            let codes: Vec<String> = raw.split(',').map(str::trim).filter(|code| !code.is_empty() && *code != "-").map(str::to_string).collect();
            if let Some(bad) = codes.iter().find(|code| !KNOWN_CODES.contains(&code.as_str())) {
                return Err(PlacesError::invalid(file, line, format!("unknown language code {bad:?} in column {}", LANGUAGE_COLUMNS[idx])));
            }
            Ok(codes)
        };
        let official = codes(2)?;
        if !(official.iter().any(|code| code == "sq") && official.iter().any(|code| code == "sr")) {
            // Law No. 02/L-37 Art. 2: Albanian and Serbian are official in every municipality.
            return Err(PlacesError::invalid(file, line, "official languages must include sq and sr (Law No. 02/L-37 Art. 2)"));
        }
        let sr_script_policy =
            SrScriptPolicy::parse(fields[5]).ok_or_else(|| PlacesError::invalid(file, line, format!("unknown sr_script_policy {:?}", fields[5])))?;
        let status = RowStatus::parse(fields[6]).ok_or_else(|| PlacesError::invalid(file, line, format!("unknown status {:?}", fields[6])))?;
        let row = MunicipalLanguages {
            municipality_id: get(0)?,
            municipality_sq: get(1)?,
            official,
            in_official_use: codes(3)?,
            majority: get(4)?,
            sr_script_policy,
            status,
            source: get(7)?,
            date: get(8)?,
            note: get(9)?,
        };
        if !KNOWN_CODES.contains(&row.majority.as_str()) {
            return Err(PlacesError::invalid(file, line, format!("unknown majority language {:?}", row.majority)));
        }
        if row.source.is_empty() || row.date.is_empty() {
            return Err(PlacesError::invalid(file, line, format!("{}: every row needs a source and a date", row.municipality_id)));
        }
        rows.push(row);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(row: &str) -> Result<Vec<MunicipalLanguages>, PlacesError> {
        parse_municipal_languages(&format!("# comment\n{}\n{row}\n", LANGUAGE_COLUMNS.join("\t")), "t.tsv")
    }

    #[test]
    fn parses_rows() {
        let rows = table("mun:prizren\tPrizren\tsq,sr,tr,bs\t-\tsq\tcyrillic_required\tsourced\tLAW\t2006\t").unwrap();
        assert_eq!(rows[0].official_langs(), vec![Lang::Sq, Lang::Sr, Lang::Tr, Lang::Bs]);
        assert!(rows[0].in_official_use.is_empty());
        assert_eq!(rows[0].majority_lang(), Some(Lang::Sq));
        let rows = table("mun:gracanice\tGraçanicë\tsq,sr\trom\tsr\tlatin-allowed\tpartly_sourced\tAA\tn.d.\t").unwrap();
        assert_eq!(rows[0].in_official_use, vec!["rom"]);
        assert_eq!(rows[0].sr_script_policy, SrScriptPolicy::LatinAllowed);
    }

    #[test]
    fn rejects_bad_rows() {
        for (row, expected) in [
            ("mun:x\tX\tsq\t-\tsq\tboth\tsourced\tS\t2020\t", "must include sq and sr"),
            ("mun:x\tX\tsq,sr,de\t-\tsq\tboth\tsourced\tS\t2020\t", "unknown language code \"de\""),
            ("mun:x\tX\tsq,sr\t-\tsq\tsometimes\tsourced\tS\t2020\t", "unknown sr_script_policy"),
            ("mun:x\tX\tsq,sr\t-\tsq\tboth\tsourced\t\t2020\t", "needs a source and a date"),
            ("mun:x\tX\tsq,sr\t-\tsq\tboth\tmaybe\tS\t2020\t", "unknown status"),
        ] {
            let err = table(row).unwrap_err().to_string();
            assert!(err.contains(expected), "{row}: {err}");
            assert!(err.starts_with("t.tsv:3:"), "{err}");
        }
    }

    #[test]
    fn policies_parse() {
        for (raw, expected) in [
            ("cyrillic_required", Some(SrScriptPolicy::CyrillicRequired)),
            ("cyrillic-required", Some(SrScriptPolicy::CyrillicRequired)),
            ("both", Some(SrScriptPolicy::Both)),
            ("latin", None),
        ] {
            assert_eq!(SrScriptPolicy::parse(raw), expected, "{raw}");
        }
    }
}
