//! Evaluation of variant resolution: top-1 accuracy of [`Places::lookup`] on a labelled set of
//! queries (`query<TAB>expected_sq<TAB>expected_sr_latn<TAB>status`, with an optional meta file
//! giving each query's variant type), overall, per variant type and for municipality names,
//! with lookup latencies.
//!
//! [`synthetic_municipality_cases`] builds a second, larger set for the 38 municipalities from
//! hand-written inflected forms (`tests/data/places/municipality_inflections.tsv`), their
//! scripts, diacritic-less spellings, typos and encoding damage, so the figure for
//! municipalities does not rest on the handful of them in the development set.
//!
//! This file measures; it does not tune anything.

use std::collections::BTreeMap;
use std::time::Instant;

use serde::Serialize;

use super::error::PlacesError;
use super::gazetteer::{Gazetteer, PlaceKind, VariantType};
use super::repair::damage_utf8_as_cp1252;
use super::resolve::Places;
use crate::text::{diacritic_fold, diacritic_fold_dj_as_d, lat_to_cyr};

/// One labelled query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvalCase {
    /// The query.
    pub query: String,
    /// The expected official Albanian name.
    pub expected_sq: String,
    /// The expected official Serbian Latin name.
    pub expected_sr_latn: String,
    /// The variant type the set gives the query (empty when unknown).
    pub variant_type: String,
}

/// Accuracy on a group of cases.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Score {
    /// Cases.
    pub cases: usize,
    /// Cases whose best candidate has the expected names.
    pub top1: usize,
    /// Cases whose expected place is among the candidates at all.
    pub found: usize,
}

impl Score {
    /// Top-1 accuracy, 0 to 1 (1 for an empty group).
    pub fn top1_rate(&self) -> f64 {
        if self.cases == 0 { 1.0 } else { self.top1 as f64 / self.cases as f64 }
    }
}

/// A query whose best candidate was not the expected place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Miss {
    /// The query.
    pub query: String,
    /// Expected "sq / sr-Latn".
    pub expected: String,
    /// What came first ("sq / sr-Latn"), or empty.
    pub got: String,
}

/// The result of an evaluation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvalReport {
    /// All cases.
    pub overall: Score,
    /// Cases whose expected place is a municipality.
    pub municipalities: Score,
    /// Per variant type of the set.
    pub by_type: BTreeMap<String, Score>,
    /// The misses.
    pub misses: Vec<Miss>,
    /// Median lookup time, microseconds.
    pub p50_us: u64,
    /// 95th percentile lookup time, microseconds.
    pub p95_us: u64,
    /// Slowest lookup, microseconds.
    pub max_us: u64,
}

/// Reads a set in the `places_variants_dev.tsv` format, with its optional `.meta.tsv`
/// (`query<TAB>variant_type<TAB>source`).
pub fn read_eval_set(tsv: &str, meta: Option<&str>, file: &str) -> Result<Vec<EvalCase>, PlacesError> {
    let mut types: BTreeMap<String, String> = BTreeMap::new();
    if let Some(meta) = meta {
        for line in meta.lines().skip(1).filter(|line| !line.trim().is_empty()) {
            let fields: Vec<&str> = line.split('\t').collect();
            if fields.len() >= 2 {
                types.insert(fields[0].to_string(), fields[1].to_string());
            }
        }
    }
    let mut cases = Vec::new();
    for (line_idx, line) in tsv.lines().enumerate() {
        if line_idx == 0 || line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() < 3 {
            return Err(PlacesError::invalid(file, line_idx + 1, format!("{} fields, expected query, expected_sq, expected_sr_latn", fields.len())));
        }
        let variant_type = fields.get(4).map(|value| value.to_string()).or_else(|| types.get(fields[0]).cloned()).unwrap_or_default();
        cases.push(EvalCase { query: fields[0].into(), expected_sq: fields[1].into(), expected_sr_latn: fields[2].into(), variant_type });
    }
    Ok(cases)
}

/// Looks every case up and scores the answers.
pub fn evaluate(places: &Places, cases: &[EvalCase]) -> EvalReport {
    let gazetteer = places.gazetteer();
    let is_municipality =
        |case: &EvalCase| gazetteer.municipalities().any(|place| place.name_sq == case.expected_sq && place.name_sr_latn == case.expected_sr_latn);
    let mut overall = Score::default();
    let mut municipalities = Score::default();
    let mut by_type: BTreeMap<String, Score> = BTreeMap::new();
    let mut misses = Vec::new();
    let mut micros = Vec::with_capacity(cases.len());
    for case in cases {
        let started = Instant::now();
        let lookup = places.lookup(&case.query);
        micros.push(started.elapsed().as_micros() as u64);
        let hit = |sq: &str, sr: &str| sq == case.expected_sq && sr == case.expected_sr_latn;
        let top1 = lookup.best().is_some_and(|best| hit(&best.names.sq, &best.names.sr_latn));
        let found = lookup.candidates.iter().any(|candidate| hit(&candidate.names.sq, &candidate.names.sr_latn));
        let mut groups = vec![&mut overall];
        if is_municipality(case) {
            groups.push(&mut municipalities);
        }
        for score in groups {
            score.cases += 1;
            score.top1 += usize::from(top1);
            score.found += usize::from(found);
        }
        let score = by_type.entry(if case.variant_type.is_empty() { "unknown".into() } else { case.variant_type.clone() }).or_default();
        score.cases += 1;
        score.top1 += usize::from(top1);
        score.found += usize::from(found);
        if !top1 {
            misses.push(Miss {
                query: case.query.clone(),
                expected: format!("{} / {}", case.expected_sq, case.expected_sr_latn),
                got: lookup.best().map(|best| format!("{} / {}", best.names.sq, best.names.sr_latn)).unwrap_or_default(),
            });
        }
    }
    micros.sort_unstable();
    let percentile = |p: f64| micros.get(((micros.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or(0);
    EvalReport { overall, municipalities, by_type, misses, p50_us: percentile(0.5), p95_us: percentile(0.95), max_us: micros.last().copied().unwrap_or(0) }
}

/// Every sourced variant as a query, labelled with its place and its variant type; variants
/// that name several places with different names, and dataset errors and ambiguous short
/// forms, are left out. Run with the sourced variants left out of the index, this measures how
/// far the generated forms, folding and fuzzy matching reach on real spellings.
pub fn sourced_variant_cases(gazetteer: &Gazetteer) -> Vec<EvalCase> {
    let mut names_by_variant: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    for variant in gazetteer.variants() {
        if let Some(place) = gazetteer.place(&variant.entity) {
            let names = names_by_variant.entry(variant.variant.as_str()).or_default();
            if !names.contains(&(place.name_sq.as_str(), place.name_sr_latn.as_str())) {
                names.push((place.name_sq.as_str(), place.name_sr_latn.as_str()));
            }
        }
    }
    let mut cases = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for variant in gazetteer.variants() {
        if matches!(variant.variant_type, VariantType::DatasetError | VariantType::AmbiguousShortForm) {
            continue;
        }
        let Some(place) = gazetteer.place(&variant.entity) else { continue };
        if names_by_variant.get(variant.variant.as_str()).is_some_and(|names| names.len() > 1) || !seen.insert(variant.variant.clone()) {
            continue;
        }
        cases.push(EvalCase {
            query: variant.variant.clone(),
            expected_sq: place.name_sq.clone(),
            expected_sr_latn: place.name_sr_latn.clone(),
            variant_type: variant.variant_type.as_str().to_string(),
        });
    }
    cases
}

/// The hand-written municipality inflections the synthetic set is built from.
pub const MUNICIPALITY_INFLECTIONS_TSV: &str = include_str!("../../tests/data/places/municipality_inflections.tsv");

/// Deterministic typos of a name: a letter dropped, two letters swapped, a letter doubled.
fn typos(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    if chars.len() < 5 {
        return Vec::new();
    }
    let middle = chars.len() / 2;
    let mut dropped = chars.clone();
    dropped.remove(middle);
    let mut swapped = chars.clone();
    swapped.swap(middle, middle + 1);
    let mut doubled = chars.clone();
    doubled.insert(middle, chars[middle]);
    [dropped, swapped, doubled].into_iter().map(|word| word.into_iter().collect::<String>()).filter(|typo| typo != name).collect()
}

/// The synthetic evaluation set for the 38 municipalities (about 25 queries each): official
/// names in every script, all capitals, without diacritics (đ as dj and as d), Albanian
/// genitive and long forms, Serbian locative and genitive with prepositions in both scripts,
/// typos and UTF-8 read as cp1252.
pub fn synthetic_municipality_cases(gazetteer: &Gazetteer) -> Result<Vec<EvalCase>, PlacesError> {
    const FILE: &str = "municipality_inflections.tsv";
    let mut cases = Vec::new();
    for (line_idx, line) in MUNICIPALITY_INFLECTIONS_TSV.lines().enumerate() {
        if line.starts_with('#') || line.starts_with("name_sq\t") || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [sq, sr, sq_gen, sr_loc, sr_gen] = fields[..] else {
            return Err(PlacesError::invalid(FILE, line_idx + 1, "expected 5 fields"));
        };
        let place = gazetteer
            .municipalities()
            .find(|place| place.name_sq == sq && place.name_sr_latn == sr && place.kind == PlaceKind::Municipality)
            .ok_or_else(|| PlacesError::invalid(FILE, line_idx + 1, format!("{sq} / {sr} is not a municipality of the gazetteer")))?;
        let mut add = |query: String, variant_type: &str| {
            if !cases.iter().any(|case: &EvalCase| case.query == query && case.expected_sq == sq) {
                cases.push(EvalCase { query, expected_sq: sq.into(), expected_sr_latn: sr.into(), variant_type: variant_type.into() });
            }
        };
        add(sq.into(), "official_sq");
        add(sr.into(), "official_sr_latn");
        if !place.name_sr_cyrl.is_empty() {
            add(place.name_sr_cyrl.clone(), "official_sr_cyrl");
        }
        add(sq.to_uppercase(), "all_capitals");
        for name in [sq, sr] {
            for folded in [diacritic_fold(name), diacritic_fold_dj_as_d(name)] {
                if folded != name {
                    add(folded.into_owned(), "missing_diacritics");
                }
            }
        }
        add(format!("Komuna e {sq_gen}"), "long_form");
        add(sq_gen.into(), "inflected_sq");
        add(format!("në {sq}"), "inflected_sq");
        add(diacritic_fold(&format!("Komuna e {sq_gen}")).into_owned(), "inflected_missing_diacritics");
        add(format!("Opština {sr}"), "long_form");
        add(format!("u {sr_loc}"), "inflected_sr");
        add(format!("iz {sr_gen}"), "inflected_sr");
        add(format!("у {}", lat_to_cyr(sr_loc)), "inflected_sr_cyrl");
        add(format!("из {}", lat_to_cyr(sr_gen)), "inflected_sr_cyrl");
        add(diacritic_fold(&format!("u {sr_loc}")).into_owned(), "inflected_missing_diacritics");
        for name in [sq, sr] {
            for typo in typos(name) {
                add(typo, "typo");
            }
            if !name.is_ascii() {
                add(damage_utf8_as_cp1252(name), "encoding_damage");
            }
        }
    }
    Ok(cases)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sets() {
        let tsv = "query\texpected_sq\texpected_sr_latn\tstatus\nZvecan\tZveçan\tZvečan\tattested\n";
        let meta = "query\tvariant_type\tsource\nZvecan\tsq_diacritics_missing_or_wrong\tGeoNames\n";
        let cases = read_eval_set(tsv, Some(meta), "dev.tsv").unwrap();
        assert_eq!(cases[0].variant_type, "sq_diacritics_missing_or_wrong");
        assert!(read_eval_set("h\nonly\ttwo\n", None, "dev.tsv").unwrap_err().to_string().starts_with("dev.tsv:2:"));
    }

    #[test]
    fn scores() {
        let places = Places::shipped();
        let cases = vec![
            EvalCase { query: "Zvecan".into(), expected_sq: "Zveçan".into(), expected_sr_latn: "Zvečan".into(), variant_type: "a".into() },
            EvalCase { query: "Prizren".into(), expected_sq: "Pejë".into(), expected_sr_latn: "Peć".into(), variant_type: "b".into() },
        ];
        let report = evaluate(places, &cases);
        assert_eq!((report.overall.cases, report.overall.top1), (2, 1));
        assert_eq!((report.municipalities.cases, report.municipalities.top1), (2, 1));
        assert_eq!(report.by_type["a"].top1, 1);
        assert_eq!(report.misses[0].got, "Prizren / Prizren");
    }

    #[test]
    fn synthetic_set_covers_every_municipality() {
        let cases = synthetic_municipality_cases(Gazetteer::shipped()).unwrap();
        let municipalities: std::collections::BTreeSet<&str> = cases.iter().map(|case| case.expected_sq.as_str()).collect();
        assert_eq!(municipalities.len(), 38);
        assert!(cases.len() > 38 * 15, "{}", cases.len());
        assert_eq!(typos("Prizren"), vec!["Priren", "Prirzen", "Prizzren"]);
    }

    /// The municipality figure the issue asks for (≥ 99 % top-1) on the synthetic set.
    #[test]
    fn municipalities_resolve() {
        let cases = synthetic_municipality_cases(Gazetteer::shipped()).unwrap();
        let report = evaluate(Places::shipped(), &cases);
        assert!(report.municipalities.top1_rate() >= 0.99, "{:.3}: {:#?}", report.municipalities.top1_rate(), report.misses);
    }
}
