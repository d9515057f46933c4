//! Self-checks of the gazetteer (DOMAIN.md A.5, "Gazetteer self-checks"): the invariants the
//! shipped data must keep, run as tests on every build.
//!
//! Checks: text in NFC; no C1 control characters in the files; Đ is U+0110 (no eth); Serbian
//! Cyrillic names use only the 30 letters of the Serbian alphabet; the Cyrillic and Latin
//! Serbian names transliterate into each other; Albanian names hold no Serbian-only letters and
//! Serbian Latin names no Albanian-only ones; (municipality, name) is unique or disambiguated;
//! every row has a source; every settlement points at existing municipalities; the language
//! table has one row per municipality. Known data errors are not hidden: they come out as
//! problems and the test compares them with a reviewed list.

use std::collections::HashMap;

use serde::Serialize;
use unicode_normalization::{IsNormalized, is_nfc_quick};

use super::gazetteer::{CyrlOrigin, Gazetteer, PlaceKind};
use crate::text::{cyr_to_lat, translit::is_serbian_cyrillic_letter};

/// One violation of a gazetteer invariant.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct SelfCheckProblem {
    /// Which check (`nfc`, `c1-controls`, `eth`, `cyrillic-letters`, `scripts-agree`,
    /// `sq-letters`, `sr-latin-letters`, `unique-name`, `source`, `municipality`,
    /// `language-table`).
    pub check: &'static str,
    /// The place id (or file name for whole-file checks).
    pub entity: String,
    /// The offending value.
    pub value: String,
}

/// Serbian-only Latin letters that Albanian never writes.
const SERBIAN_ONLY: [char; 10] = ['č', 'ć', 'š', 'ž', 'đ', 'Č', 'Ć', 'Š', 'Ž', 'Đ'];
/// Albanian-only letters that Serbian Latin never writes.
const ALBANIAN_ONLY: [char; 4] = ['ë', 'ç', 'Ë', 'Ç'];

fn is_nfc(text: &str) -> bool {
    match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => true,
        _ => unicode_normalization::is_nfc(text),
    }
}

/// Checks whole files for characters that must not occur in them at all.
pub fn check_file_text(file: &str, text: &str) -> Vec<SelfCheckProblem> {
    let mut problems = Vec::new();
    if !is_nfc(text) {
        problems.push(SelfCheckProblem { check: "nfc", entity: file.into(), value: String::new() });
    }
    if let Some(c) = text.chars().find(|c| ('\u{80}'..='\u{9f}').contains(c)) {
        problems.push(SelfCheckProblem { check: "c1-controls", entity: file.into(), value: format!("U+{:04X}", c as u32) });
    }
    problems
}

/// Runs every invariant over a loaded gazetteer; an empty list means all hold.
pub fn self_check(gazetteer: &Gazetteer) -> Vec<SelfCheckProblem> {
    let mut problems = Vec::new();
    let mut problem = |check: &'static str, entity: &str, value: &str| problems.push(SelfCheckProblem { check, entity: entity.into(), value: value.into() });
    let municipality_ids: Vec<&str> = gazetteer.municipalities().map(|place| place.id.as_str()).collect();
    let mut names_seen: HashMap<(String, String, String), &str> = HashMap::new();
    for place in gazetteer.places() {
        let fields = [&place.name_sq, &place.name_sr_latn, &place.name_sr_cyrl, &place.name_tr, &place.name_bs, &place.note, &place.source];
        for value in fields {
            if !is_nfc(value) {
                problem("nfc", &place.id, value);
            }
            if value.chars().any(|c| c.is_control()) {
                problem("c1-controls", &place.id, value);
            }
            if value.contains(['\u{D0}', '\u{F0}']) {
                problem("eth", &place.id, value);
            }
        }
        if !place.name_sr_cyrl.chars().all(|c| is_serbian_cyrillic_letter(c) || c == ' ' || c == '-') {
            problem("cyrillic-letters", &place.id, &place.name_sr_cyrl);
        }
        if place.sr_cyrl_origin != CyrlOrigin::Missing && cyr_to_lat(&place.name_sr_cyrl) != place.name_sr_latn {
            problem("scripts-agree", &place.id, &format!("{} | {}", place.name_sr_latn, place.name_sr_cyrl));
        }
        if place.sr_cyrl_origin == CyrlOrigin::Missing && !place.name_sr_cyrl.is_empty() {
            problem("cyrillic-letters", &place.id, "origin missing but a Cyrillic name is given");
        }
        if place.name_sq.contains(SERBIAN_ONLY) {
            problem("sq-letters", &place.id, &place.name_sq);
        }
        if place.name_sr_latn.contains(ALBANIAN_ONLY) {
            problem("sr-latin-letters", &place.id, &place.name_sr_latn);
        }
        if place.source.trim().is_empty() || place.attribution.trim().is_empty() {
            problem("source", &place.id, "");
        }
        if place.municipality_ids.is_empty() || place.municipality_ids.iter().any(|id| !municipality_ids.contains(&id.as_str())) {
            problem("municipality", &place.id, &place.municipality_ids.join("|"));
        }
        if place.kind == PlaceKind::Settlement {
            let municipality = place.municipality_ids.join("|");
            for name in [&place.name_sq, &place.name_sr_latn] {
                let key = (municipality.clone(), name.clone(), place.disambiguation.clone());
                if let Some(other) = names_seen.insert(key, &place.id).filter(|other| *other != place.id) {
                    problem("unique-name", &place.id, &format!("{name} (also {other})"));
                }
            }
        }
    }
    for variant in gazetteer.variants() {
        if variant.source.trim().is_empty() || variant.attribution.trim().is_empty() {
            problem("source", &variant.entity, &variant.variant);
        }
        if variant.variant.contains(['\u{D0}', '\u{F0}']) {
            problem("eth", &variant.entity, &variant.variant);
        }
    }
    let table = gazetteer.language_table();
    for id in &municipality_ids {
        if table.iter().filter(|row| row.municipality_id == *id).count() != 1 {
            problem("language-table", id, "not exactly one row");
        }
    }
    for row in table {
        if !municipality_ids.contains(&row.municipality_id.as_str()) {
            problem("language-table", &row.municipality_id, "no such municipality");
        }
    }
    problems.sort();
    problems
}

#[cfg(test)]
mod tests {
    use super::super::gazetteer::{PLACES_COLUMNS, SHIPPED_LANGUAGES_TSV, SHIPPED_PLACES_TSV, SHIPPED_VARIANTS_TSV, VARIANT_COLUMNS};
    use super::*;

    /// A gazetteer of one municipality and one settlement whose fields `edit` may damage.
    fn gazetteer_with(edit: impl Fn(&mut Vec<String>)) -> Gazetteer {
        let municipality = "mun:junik\tmunicipality\tADM2\tmun:junik\tJunik\tJunik\tJunik\tЈуник\t\t\t\tcurrent\tcurated\tsource\t\t\tGNS ADM1 33\tNGA GNS";
        let mut settlement: Vec<String> =
            "gns:1\tsettlement\tPPL\tmun:junik\tJunik\tGjocaj\tĐocaj\tЂоцај\t\t\t\tcurrent\tapproved\tsource\t\t\tGNS UFI=1\tNGA GNS"
                .split('\t')
                .map(str::to_string)
                .collect();
        edit(&mut settlement);
        let other = "gns:2\tsettlement\tPPL\tmun:junik\tJunik\tLugu\tLug\tЛуг\t\t\t\tcurrent\tapproved\tsource\t\t\tGNS UFI=2\tNGA GNS";
        let places = format!("{}\n{municipality}\n{}\n{other}\n", PLACES_COLUMNS.join("\t"), settlement.join("\t"));
        let variants = format!("{}\n", VARIANT_COLUMNS.join("\t"));
        let languages = "municipality_id\tmunicipality_sq\tofficial\tin_official_use\tmajority\tsr_script_policy\tstatus\tsource\tdate\tnote\nmun:junik\tJunik\tsq,sr\t-\tsq\tcyrillic_required\tunverified\tLAW\t2006\t\n";
        Gazetteer::from_tsv(&places, &variants, languages).unwrap()
    }

    fn finds(edit: impl Fn(&mut Vec<String>), check: &str) {
        let problems = self_check(&gazetteer_with(edit));
        assert!(problems.iter().any(|problem| problem.check == check), "expected {check}, got {problems:?}");
    }

    #[test]
    fn clean_gazetteer_passes() {
        assert_eq!(self_check(&gazetteer_with(|_| {})), vec![]);
    }

    #[test]
    fn finds_each_defect() {
        finds(|row| row[6] = "\u{D0}ocaj".into(), "eth");
        finds(|row| row[5] = "Gjoc\u{0061}\u{0308}j".into(), "nfc");
        finds(|row| row[7] = "Ђоцaј".into(), "cyrillic-letters");
        finds(|row| row[7] = "Ђоцај ё".into(), "cyrillic-letters");
        finds(|row| row[7] = "Ђоцаи".into(), "scripts-agree");
        finds(|row| row[5] = "Gjočaj".into(), "sq-letters");
        finds(|row| row[6] = "Đoçaj".into(), "sr-latin-letters");
        finds(|row| row[16] = String::new(), "source");
        finds(|row| row[3] = "mun:nowhere".into(), "municipality");
        finds(|row| row[5] = "Uro\\u009aevac".into(), "c1-controls");
        finds(|row| row[5] = "Lugu".into(), "unique-name");
    }

    #[test]
    fn whole_file_checks() {
        assert_eq!(check_file_text("x", "Prishtinë"), vec![]);
        assert_eq!(check_file_text("x", "Uro\u{9a}evac")[0].check, "c1-controls");
        assert_eq!(check_file_text("x", "e\u{308}")[0].check, "nfc");
    }

    /// The shipped data keeps every invariant except the source errors listed, with reasons, in
    /// tests/data/places/known_selfcheck_problems.tsv.
    #[test]
    fn shipped_gazetteer_keeps_its_invariants() {
        for (file, text) in
            [("places.tsv", SHIPPED_PLACES_TSV), ("place_variants.tsv", SHIPPED_VARIANTS_TSV), ("municipal_languages.tsv", SHIPPED_LANGUAGES_TSV)]
        {
            assert_eq!(check_file_text(file, text), vec![], "{file}");
        }
        let gazetteer = Gazetteer::shipped();
        assert_eq!(gazetteer.municipalities().count(), 38);
        assert_eq!(gazetteer.places().len(), 38 + 1547);
        let found: Vec<(String, String)> = self_check(gazetteer).into_iter().map(|problem| (problem.check.to_string(), problem.entity)).collect();
        let known_text = include_str!("../../tests/data/places/known_selfcheck_problems.tsv");
        let mut known: Vec<(String, String)> = known_text
            .lines()
            .filter(|line| !line.starts_with('#') && !line.starts_with("check\t") && !line.is_empty())
            .map(|line| {
                let fields: Vec<&str> = line.split('\t').collect();
                assert_eq!(fields.len(), 4, "check, entity, value, reason: {line}");
                assert!(!fields[3].is_empty(), "every known problem needs a reason: {line}");
                (fields[0].to_string(), fields[1].to_string())
            })
            .collect();
        known.sort();
        let mut found_sorted = found.clone();
        found_sorted.sort();
        assert_eq!(found_sorted, known, "self-check problems differ from the reviewed list");
    }
}
