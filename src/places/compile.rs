//! The gazetteer compiler behind `termbridge places build`: reads the collected sources
//! (`places.csv`, `raw/variants_compiled.csv`, `raw/gns_kv_2012.txt`) and the hand-maintained
//! `curation.tsv`, corrects the known character defects, derives the missing Cyrillic names,
//! flags what it cannot correct, and writes `places.tsv`, `place_variants.tsv` and
//! `corrections.tsv` for `glossaries/kosovo/`.
//!
//! What it corrects, and records row by row: text not in NFC; Ð (U+00D0) written for Đ
//! (U+0110), found by comparing each name with the raw GNS rows of the same feature; C1 control
//! characters; the curation's explicit corrections. What it derives: the Cyrillic name of
//! settlements that have none (`text::lat_to_cyr`, marked `derived`). What it only flags:
//! Latin and Cyrillic names that do not transliterate into each other (no source says which one
//! is right), damaged spellings among the variants (they stay as attested, with the repair
//! beside them), namesakes in one municipality (given a disambiguation).
//!
//! It does not copy raw files, and it never ships a variant attested only in the KDI
//! polling-centre list (no licence). Output is deterministic: same inputs, same bytes.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use super::error::PlacesError;
use super::gazetteer::{CyrlOrigin, Place, PlaceKind, PlaceStatus, PlaceVariant, VariantType, escape_field, places_to_tsv, tsv_records, variants_to_tsv};
use super::history::{CoordOrigin, Coordinates, FormerName, NameChange, coordinates_to_tsv, gns_points, history_to_tsv, parse_period, period_text};
use super::repair::{fix_case, fix_eth, has_broken_case, repair};
use crate::text::{Tier, cyr_to_lat, diacritic_fold, fold, lat_to_cyr, translit::is_serbian_cyrillic_letter};

/// The curation rules shipped with the project.
pub const SHIPPED_CURATION_TSV: &str = include_str!("../../glossaries/kosovo/curation.tsv");

/// The source files, as text.
#[derive(Debug, Clone, Copy)]
pub struct CompileInputs<'a> {
    /// `places.csv`.
    pub places_csv: &'a str,
    /// `raw/variants_compiled.csv`.
    pub variants_csv: &'a str,
    /// `raw/gns_kv_2012.txt`, the raw NGA GNS file (used to find the names it wrote with Ð).
    pub gns_raw: &'a str,
    /// `curation.tsv`.
    pub curation_tsv: &'a str,
}

/// One correction the compiler applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Correction {
    /// The place (or `variant:<n>` for the n-th variant row).
    pub entity: String,
    /// The field corrected.
    pub field: String,
    /// The value the source gives.
    pub before: String,
    /// The value shipped.
    pub after: String,
    /// Why.
    pub reason: String,
}

/// Counts of what the compiler did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CompileReport {
    /// Municipalities compiled.
    pub municipalities: usize,
    /// Settlements compiled.
    pub settlements: usize,
    /// Variant rows shipped.
    pub variants: usize,
    /// Variant rows held back because their only source is the KDI list (no licence).
    pub variants_held_back: usize,
    /// Names written with Ð for Đ in the raw GNS file, shipped with Đ.
    pub d_stroke_normalised: usize,
    /// Fields that were not in NFC.
    pub nfc_normalised: usize,
    /// Fields holding C1 control characters, repaired.
    pub c1_repaired: usize,
    /// Cyrillic names derived by transliteration.
    pub sr_cyrl_derived: usize,
    /// Cyrillic names that could not be derived (foreign letters in the Latin name).
    pub sr_cyrl_missing: usize,
    /// Places whose Latin and Cyrillic names do not transliterate into each other.
    pub sr_scripts_disagree: usize,
    /// Variants with C1 control characters (kept as attested, repair recorded).
    pub variants_c1: usize,
    /// Variants with broken capitalisation (kept as attested, repair recorded); words run
    /// together ("KosovoPolje") are recorded as `spacing` and not counted here.
    pub variants_casing: usize,
    /// Places given a disambiguation because they share (municipality, name) with another.
    pub namesakes: usize,
    /// Curation rules applied (one rule may touch many places).
    pub curation_rules: usize,
    /// Explicit corrections from the curation file.
    pub curated_corrections: usize,
    /// Former names (and Serbian-state forms) from the curation file, one a place.
    pub former_names: usize,
    /// Former names added to the variants because no source row had them.
    pub former_name_variants: usize,
    /// Places given coordinates (settlements from GNS, municipalities from their seat).
    pub coordinates: usize,
    /// Places left without coordinates (no GNS point, or a municipality without a seat).
    pub coordinates_missing: usize,
}

/// The compiled gazetteer.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// The places, municipalities first.
    pub places: Vec<Place>,
    /// The sourced variants.
    pub variants: Vec<PlaceVariant>,
    /// Every correction applied.
    pub corrections: Vec<Correction>,
    /// Former names with their periods (`place_history.tsv`).
    pub history: Vec<FormerName>,
    /// Coordinates (`place_coordinates.tsv`).
    pub coordinates: Vec<Coordinates>,
    /// Counts.
    pub report: CompileReport,
}

const PREAMBLE_COMMON: &str = "Attribution: NGA GEOnet Names Server (GNS), public domain; GeoNames (geonames.org), CC BY 4.0; Who's On First, CC0 with the licences of its sources. See PROVENANCE.md.";

impl Compiled {
    /// `places.tsv`.
    pub fn places_tsv(&self) -> String {
        places_to_tsv(
            &self.places,
            &[
                "Official place names of Kosovo: 38 municipalities and their settlements (sq, sr-Latn, sr-Cyrl; tr and bs where a source gives them).".into(),
                "Compiled by `termbridge places build` from places.csv, raw/variants_compiled.csv, raw/gns_kv_2012.txt and curation.tsv; do not edit by hand."
                    .into(),
                PREAMBLE_COMMON.into(),
            ],
        )
    }

    /// `place_variants.tsv`.
    pub fn variants_tsv(&self) -> String {
        variants_to_tsv(
            &self.variants,
            &[
                "Sourced variant spellings of Kosovo place names; each row inherits the licence of its source. Spellings attested only in the KDI polling-centre list are not included.".into(),
                "Compiled by `termbridge places build`; do not edit by hand. Inflected and diacritic-less forms are generated when the gazetteer loads, not stored.".into(),
                PREAMBLE_COMMON.into(),
            ],
        )
    }

    /// `place_history.tsv`.
    pub fn history_tsv(&self) -> String {
        history_to_tsv(
            &self.history,
            &[
                "Former names of Kosovo places (renamings, the undivided pre-2013 Mitrovicë, Serbian-state forms) with their period, status and source.".into(),
                "Compiled by `termbridge places build` from the `former` rules of curation.tsv; do not edit by hand. A year stands only where the cited source gives it; an empty period is a date no source gives.".into(),
                "period: FROM..UNTIL in years, either side empty when unknown. change: renamed | split | serbian_state_form | former_official.".into(),
            ],
        )
    }

    /// `place_coordinates.tsv`.
    pub fn coordinates_tsv(&self) -> String {
        coordinates_to_tsv(
            &self.coordinates,
            &[
                "Coordinates (WGS 84 degrees) of Kosovo places: settlements from their NGA GNS feature (LAT, LONG); municipalities from the GNS point of their seat (origin = seat, the seat named in source).".into(),
                "Compiled by `termbridge places build` from raw/gns_kv_2012.txt; do not edit by hand. Attribution: NGA GEOnet Names Server (GNS), public domain.".into(),
            ],
        )
    }

    /// `corrections.tsv`: one line per correction.
    pub fn corrections_tsv(&self) -> String {
        let mut out =
            String::from("# Corrections applied by `termbridge places build` to the sources; do not edit by hand.\nentity\tfield\tbefore\tafter\treason\n");
        for correction in &self.corrections {
            let fields = [&correction.entity, &correction.field, &correction.before, &correction.after, &correction.reason];
            out.push_str(&fields.iter().map(|value| escape_field(value)).collect::<Vec<_>>().join("\t"));
            out.push('\n');
        }
        out
    }

    /// Writes the three compiled files into `out_dir`.
    pub fn write(&self, out_dir: &Path) -> Result<(), PlacesError> {
        std::fs::create_dir_all(out_dir).map_err(|source| PlacesError::Io { path: out_dir.to_path_buf(), source })?;
        for (name, content) in [
            ("places.tsv", self.places_tsv()),
            ("place_variants.tsv", self.variants_tsv()),
            ("corrections.tsv", self.corrections_tsv()),
            ("place_history.tsv", self.history_tsv()),
            ("place_coordinates.tsv", self.coordinates_tsv()),
        ] {
            let path = out_dir.join(name);
            std::fs::write(&path, content).map_err(|source| PlacesError::Io { path, source })?;
        }
        Ok(())
    }
}

/// Reads the sources from `from` (the folder holding `places.csv` and `raw/`) and compiles them
/// with the curation rules `curation_tsv`.
pub fn compile_dir(from: &Path, curation_tsv: &str) -> Result<Compiled, PlacesError> {
    let read = |relative: &str| {
        let path = from.join(relative);
        std::fs::read_to_string(&path).map_err(|source| PlacesError::Io { path, source })
    };
    let places_csv = read("places.csv")?;
    let variants_csv = read("raw/variants_compiled.csv")?;
    let gns_raw = read("raw/gns_kv_2012.txt")?;
    compile(CompileInputs { places_csv: &places_csv, variants_csv: &variants_csv, gns_raw: &gns_raw, curation_tsv })
}

/// The id slug of a municipality: its Albanian name folded to ASCII, lower case, words joined
/// by hyphens ("Fushë Kosovë" → "fushe-kosove").
///
/// ```
/// assert_eq!(termbridge::places::municipality_id("Mitrovicë e Veriut"), "mun:mitrovice-e-veriut");
/// ```
pub fn municipality_id(name_sq: &str) -> String {
    let folded = fold(name_sq, Tier::Diacritics);
    format!("mun:{}", folded.split(' ').filter(|part| !part.is_empty()).collect::<Vec<_>>().join("-"))
}

struct Cleaner<'a> {
    corrections: &'a mut Vec<Correction>,
    report: &'a mut CompileReport,
}

impl Cleaner<'_> {
    /// NFC, C1 repair, whitespace; records each change.
    fn clean(&mut self, entity: &str, field: &str, raw: &str) -> String {
        let mut value: String = raw.nfc().collect();
        if value != raw {
            self.report.nfc_normalised += 1;
            self.corrections.push(Correction {
                entity: entity.into(),
                field: field.into(),
                before: raw.into(),
                after: value.clone(),
                reason: "not in Unicode NFC".into(),
            });
        }
        if value.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c)) {
            let (repaired, _) = repair(&value);
            self.report.c1_repaired += 1;
            self.corrections.push(Correction {
                entity: entity.into(),
                field: field.into(),
                before: value.clone(),
                after: repaired.clone(),
                reason: "C1 control characters (cp1252 read as Latin-1)".into(),
            });
            value = repaired;
        }
        let collapsed = value.split_whitespace().collect::<Vec<_>>().join(" ");
        if collapsed != value {
            self.corrections.push(Correction {
                entity: entity.into(),
                field: field.into(),
                before: value.clone(),
                after: collapsed.clone(),
                reason: "extra whitespace".into(),
            });
        }
        collapsed
    }
}

/// What the sources credit, derived from a source description.
fn attribution_of(source: &str) -> String {
    let mut credits = Vec::new();
    let has = |needle: &str| source.contains(needle);
    if has("GNS") {
        credits.push("NGA GNS (public domain)");
    }
    if has("GeoNames") || has("GN12") || has("GN20") || has("geonames") {
        credits.push("GeoNames (CC BY 4.0)");
    }
    if has("WOF") || has("Who's On First") {
        credits.push("Who's On First (CC0 + source licences)");
    }
    if has("OLC") {
        credits.push("Office of the Language Commissioner table (cited)");
    }
    if has("HLC") {
        credits.push("HLC-Kosovo 2007 (cited)");
    }
    if has("WIKI") || has("wikipedia") {
        credits.push("en.wikipedia (CC BY-SA, name cited)");
    }
    if has("ALIAS") || has("KOSINT") || has("unattributed") {
        credits.push("unattributed public code files (names cited)");
    }
    if has("curation") {
        credits.push("termbridge curation");
    }
    credits.join("; ")
}

fn ufi_of(source: &str) -> Option<&str> {
    let start = source.find("UFI=")? + 4;
    let rest = &source[start..];
    let end = rest.find(|c: char| !(c.is_ascii_digit() || c == '-')).unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

fn after_marker<'a>(source: &'a str, marker: &str) -> Option<&'a str> {
    let start = source.find(marker)? + marker.len();
    let rest = &source[start..];
    let end = rest.find([';', ' ']).unwrap_or(rest.len());
    Some(&rest[..end])
}

fn sq_confidence(code: &str) -> &'static str {
    match code {
        "N" => "approved",
        "D" => "unverified",
        "V" => "variant",
        "V*" => "variant_arbitrary",
        "V+GN" => "variant_geonames",
        _ => "unknown",
    }
}

fn is_serbian_cyrillic_name(name: &str) -> bool {
    name.chars().all(|c| is_serbian_cyrillic_letter(c) || c == ' ' || c == '-')
}

/// Raw GNS names written with eth (Ð/ð): by UFI, and by ADM1 code for ADM1 features.
struct EthNames {
    by_ufi: HashMap<String, Vec<String>>,
    by_adm1: HashMap<String, Vec<String>>,
}

fn eth_names(gns_raw: &str) -> EthNames {
    let mut by_ufi: HashMap<String, Vec<String>> = HashMap::new();
    let mut by_adm1: HashMap<String, Vec<String>> = HashMap::new();
    for line in gns_raw.lines().skip(1) {
        let fields: Vec<&str> = line.split('\t').collect();
        // Columns of the GNS country file: 1 UFI, 10 DSG, 13 ADM1, 22 FULL_NAME_RO.
        let (Some(ufi), Some(dsg), Some(adm1), Some(name)) = (fields.get(1), fields.get(10), fields.get(13), fields.get(22)) else { continue };
        if !name.contains(['\u{D0}', '\u{F0}']) {
            continue;
        }
        by_ufi.entry(ufi.to_string()).or_default().push(name.to_string());
        if *dsg == "ADM1" {
            by_adm1.entry(adm1.to_string()).or_default().push(name.to_string());
        }
    }
    EthNames { by_ufi, by_adm1 }
}

/// Compiles the gazetteer.
pub fn compile(inputs: CompileInputs<'_>) -> Result<Compiled, PlacesError> {
    let mut corrections = Vec::new();
    let mut report = CompileReport::default();
    let eth = eth_names(inputs.gns_raw);
    let mut places = read_places(inputs.places_csv, &eth, &mut corrections, &mut report)?;
    let curation = parse_curation(inputs.curation_tsv)?;
    let mut extra_variants = Vec::new();
    let mut history = Vec::new();
    apply_curation(&curation, &mut places, &mut extra_variants, &mut history, &mut corrections, &mut report)?;
    derive_and_check_cyrillic(&mut places, &mut report);
    disambiguate(&mut places, &mut report);
    let mut variants = read_variants(inputs.variants_csv, &places, &mut report)?;
    variants.extend(extra_variants);
    add_former_name_variants(&history, &mut variants, &mut report);
    report.variants = variants.len();
    report.former_names = history.len();
    report.municipalities = places.iter().filter(|place| place.kind == PlaceKind::Municipality).count();
    report.settlements = places.len() - report.municipalities;
    let coordinates = place_coordinates(&places, inputs.gns_raw, &mut report);
    Ok(Compiled { places, variants, corrections, history, coordinates, report })
}

fn read_places(csv_text: &str, eth: &EthNames, corrections: &mut Vec<Correction>, report: &mut CompileReport) -> Result<Vec<Place>, PlacesError> {
    const FILE: &str = "places.csv";
    let mut reader = csv::ReaderBuilder::new().from_reader(csv_text.as_bytes());
    let headers = reader.headers().map_err(|err| PlacesError::invalid(FILE, 1, err.to_string()))?.clone();
    let expected = ["kind", "municipality_sq", "name_sq", "name_sr_latn", "name_sr_cyrl", "name_tr", "name_bs", "source"];
    if headers.iter().collect::<Vec<_>>() != expected {
        return Err(PlacesError::invalid(FILE, 1, format!("header {:?} is not the expected {:?}", headers, expected)));
    }
    let mut places = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|err| PlacesError::invalid(FILE, err.position().map_or(0, |pos| pos.line() as usize), err.to_string()))?;
        let line = record.position().map_or(0, |pos| pos.line() as usize);
        let get = |idx: usize| record.get(idx).unwrap_or_default();
        let kind = match get(0) {
            "municipality" => PlaceKind::Municipality,
            "settlement" => PlaceKind::Settlement,
            other => return Err(PlacesError::invalid(FILE, line, format!("unknown kind {other:?}"))),
        };
        let source = get(7).to_string();
        let (id, feature) = match kind {
            PlaceKind::Municipality => (municipality_id(get(2)), "ADM2".to_string()),
            PlaceKind::Settlement => {
                let ufi = ufi_of(&source).ok_or_else(|| PlacesError::invalid(FILE, line, format!("settlement {:?} has no GNS UFI in its source", get(2))))?;
                let feature = after_marker(&source, "DSG=").unwrap_or("PPL").to_string();
                (format!("gns:{ufi}"), feature)
            }
        };
        let mut cleaner = Cleaner { corrections, report };
        let municipality_sq = cleaner.clean(&id, "municipality_sq", get(1));
        let name_sq = cleaner.clean(&id, "name_sq", get(2));
        let name_sr_latn = cleaner.clean(&id, "name_sr_latn", get(3));
        let name_sr_cyrl = cleaner.clean(&id, "name_sr_cyrl", get(4));
        let name_tr = cleaner.clean(&id, "name_tr", get(5));
        let name_bs = cleaner.clean(&id, "name_bs", get(6));
        if name_sq.is_empty() || name_sr_latn.is_empty() {
            return Err(PlacesError::invalid(FILE, line, format!("{id}: Albanian and Serbian Latin names are required")));
        }
        let mut place = Place {
            municipality_ids: vec![match kind {
                PlaceKind::Municipality => id.clone(),
                PlaceKind::Settlement => municipality_id(&municipality_sq),
            }],
            id,
            kind,
            feature,
            municipality_sq,
            name_sq,
            name_sr_latn,
            name_sr_cyrl,
            name_tr,
            name_bs,
            disambiguation: String::new(),
            status: PlaceStatus::Current,
            sq_confidence: match kind {
                PlaceKind::Municipality => "curated".to_string(),
                PlaceKind::Settlement => sq_confidence(after_marker(&source, "sq=").unwrap_or("")).to_string(),
            },
            sr_cyrl_origin: CyrlOrigin::Source,
            flags: Vec::new(),
            note: String::new(),
            attribution: attribution_of(&source),
            source,
        };
        normalise_eth(&mut place, eth, corrections, report);
        places.push(place);
    }
    Ok(places)
}

/// Ð written for Đ: the name shipped must use Đ (U+0110). The raw GNS rows of the same feature
/// tell which names the source wrote with Ð, so each is recorded even where places.csv already
/// carries the corrected form.
fn normalise_eth(place: &mut Place, eth: &EthNames, corrections: &mut Vec<Correction>, report: &mut CompileReport) {
    let raw_names: Vec<&String> = match place.kind {
        PlaceKind::Settlement => place.id.strip_prefix("gns:").and_then(|ufi| eth.by_ufi.get(ufi)).map(|names| names.iter().collect()).unwrap_or_default(),
        PlaceKind::Municipality => {
            after_marker(&place.source, "GNS ADM1 ").and_then(|code| eth.by_adm1.get(code)).map(|names| names.iter().collect()).unwrap_or_default()
        }
    };
    for field in ["name_sr_latn", "name_sq"] {
        let value = if field == "name_sr_latn" { &mut place.name_sr_latn } else { &mut place.name_sq };
        let fixed = fix_eth(value).into_owned();
        let raw = raw_names.iter().find(|raw| {
            let normalised = fix_eth(raw);
            normalised == fixed.as_str() || normalised.strip_prefix("Opština ") == Some(fixed.as_str())
        });
        if fixed != *value || raw.is_some() {
            let before = raw.map_or_else(|| value.clone(), |raw| raw.to_string());
            corrections.push(Correction {
                entity: place.id.clone(),
                field: field.into(),
                before,
                after: fixed.clone(),
                reason: "Ð (U+00D0 LATIN CAPITAL LETTER ETH) written for Đ (U+0110 LATIN CAPITAL LETTER D WITH STROKE) in GNS".into(),
            });
            report.d_stroke_normalised += 1;
            *value = fixed;
            if !place.has_flag("d_stroke_normalised") {
                place.flags.push("d_stroke_normalised".into());
            }
        }
    }
}

/// Fills missing Cyrillic names by transliteration and flags Latin/Cyrillic disagreements.
fn derive_and_check_cyrillic(places: &mut [Place], report: &mut CompileReport) {
    for place in places.iter_mut() {
        if place.name_sr_cyrl.is_empty() {
            let derived = lat_to_cyr(&place.name_sr_latn).into_owned();
            if is_serbian_cyrillic_name(&derived) {
                place.name_sr_cyrl = derived;
                place.sr_cyrl_origin = CyrlOrigin::Derived;
                place.flags.push("sr_cyrl_derived".into());
                report.sr_cyrl_derived += 1;
            } else {
                place.sr_cyrl_origin = CyrlOrigin::Missing;
                place.flags.push("sr_cyrl_missing".into());
                add_note(place, &format!("No Cyrillic name: the Latin name {:?} holds letters outside the Serbian alphabet.", place.name_sr_latn));
                report.sr_cyrl_missing += 1;
            }
            continue;
        }
        let transliterated = cyr_to_lat(&place.name_sr_cyrl);
        if transliterated != place.name_sr_latn {
            place.flags.push("sr_scripts_disagree".into());
            let note = format!(
                "Known source error: the Cyrillic name {} transliterates to {}, not to the Latin name {}; no source says which is right, so both are kept.",
                place.name_sr_cyrl, transliterated, place.name_sr_latn
            );
            add_note(place, &note);
            report.sr_scripts_disagree += 1;
        }
    }
}

fn add_note(place: &mut Place, note: &str) {
    if note.is_empty() {
        return;
    }
    if !place.note.is_empty() {
        place.note.push(' ');
    }
    place.note.push_str(note);
}

/// Gives namesakes within one municipality (same Albanian or same Serbian Latin name) a
/// disambiguation: the other language's name when it differs, else the feature type, else the
/// GNS id.
fn disambiguate(places: &mut [Place], report: &mut CompileReport) {
    let mut by_sq: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    let mut by_sr: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (idx, place) in places.iter().enumerate() {
        if place.kind != PlaceKind::Settlement {
            continue;
        }
        by_sq.entry((place.municipality_sq.clone(), place.name_sq.clone())).or_default().push(idx);
        by_sr.entry((place.municipality_sq.clone(), place.name_sr_latn.clone())).or_default().push(idx);
    }
    let groups: Vec<Vec<usize>> = by_sq.into_values().chain(by_sr.into_values()).filter(|group| group.len() > 1).collect();
    for group in &groups {
        let distinct = |get: &dyn Fn(&Place) -> String| {
            let mut values: Vec<String> = group.iter().map(|&idx| get(&places[idx])).collect();
            values.sort();
            values.dedup();
            values.len() == group.len()
        };
        let label: Box<dyn Fn(&Place) -> String> = if distinct(&|place: &Place| place.name_sr_latn.clone()) && distinct(&|place: &Place| place.name_sq.clone())
        {
            Box::new(|place: &Place| format!("sq {} / sr {}", place.name_sq, place.name_sr_latn))
        } else if distinct(&|place: &Place| place.name_sr_latn.clone()) {
            Box::new(|place: &Place| format!("sr {}", place.name_sr_latn))
        } else if distinct(&|place: &Place| place.name_sq.clone()) {
            Box::new(|place: &Place| format!("sq {}", place.name_sq))
        } else if distinct(&|place: &Place| place.feature.clone()) {
            Box::new(|place: &Place| feature_label(&place.feature).to_string())
        } else {
            Box::new(|place: &Place| format!("GNS {}", place.id.trim_start_matches("gns:")))
        };
        for &idx in group {
            let value = label(&places[idx]);
            let place = &mut places[idx];
            if place.disambiguation.is_empty() {
                place.disambiguation = value;
                place.flags.push("namesake".into());
                report.namesakes += 1;
            } else if !place.disambiguation.contains(&value) {
                place.disambiguation = format!("{}; {}", place.disambiguation, value);
            }
        }
    }
}

fn feature_label(feature: &str) -> &'static str {
    match feature {
        "PPLL" => "populated locality (PPLL)",
        "PPLA" => "municipal seat (PPLA)",
        "PPLC" => "capital (PPLC)",
        _ => "populated place (PPL)",
    }
}

/// One rule of `curation.tsv`.
#[derive(Debug, Clone)]
struct CurationRule {
    line: usize,
    target: String,
    action: String,
    field: String,
    old: String,
    new: String,
    reason: String,
    source: String,
}

const CURATION_COLUMNS: [&str; 7] = ["target", "action", "field", "old", "new", "reason", "source"];

fn parse_curation(text: &str) -> Result<Vec<CurationRule>, PlacesError> {
    let mut rules = Vec::new();
    for (line, fields) in tsv_records(text, "curation.tsv", &CURATION_COLUMNS)? {
        let rule = CurationRule {
            line,
            target: fields[0].to_string(),
            action: fields[1].to_string(),
            field: fields[2].to_string(),
            old: fields[3].to_string(),
            new: fields[4].to_string(),
            reason: fields[5].to_string(),
            source: fields[6].to_string(),
        };
        if rule.new.is_empty() {
            return Err(PlacesError::invalid("curation.tsv", line, "column new must not be empty"));
        }
        rules.push(rule);
    }
    Ok(rules)
}

fn apply_curation(
    rules: &[CurationRule],
    places: &mut [Place],
    extra_variants: &mut Vec<PlaceVariant>,
    history: &mut Vec<FormerName>,
    corrections: &mut Vec<Correction>,
    report: &mut CompileReport,
) -> Result<(), PlacesError> {
    let fail = |rule: &CurationRule, message: String| PlacesError::Curation { file: "curation.tsv".into(), line: rule.line, message };
    for rule in rules {
        let targets: Vec<usize> = match rule.target.strip_prefix("municipality_sq=") {
            Some(municipality) => places
                .iter()
                .enumerate()
                .filter(|(_, place)| place.kind == PlaceKind::Settlement && place.municipality_sq == municipality)
                .map(|(idx, _)| idx)
                .collect(),
            None => places.iter().position(|place| place.id == rule.target).into_iter().collect(),
        };
        if targets.is_empty() {
            return Err(fail(rule, format!("no place matches target {:?}", rule.target)));
        }
        report.curation_rules += 1;
        for idx in targets {
            let place = &mut places[idx];
            match rule.action.as_str() {
                "status" => {
                    place.status = PlaceStatus::parse(&rule.new).ok_or_else(|| fail(rule, format!("unknown status {:?}", rule.new)))?;
                    add_note(place, &rule.reason);
                }
                "note" => add_note(place, &rule.new),
                "municipality" => {
                    place.municipality_ids = rule.new.split('|').map(str::to_string).collect();
                }
                "correct" => {
                    let value = match rule.field.as_str() {
                        "name_sq" => &mut place.name_sq,
                        "name_sr_latn" => &mut place.name_sr_latn,
                        "name_sr_cyrl" => &mut place.name_sr_cyrl,
                        "name_tr" => &mut place.name_tr,
                        "name_bs" => &mut place.name_bs,
                        "feature" => &mut place.feature,
                        other => return Err(fail(rule, format!("field {other:?} cannot be corrected"))),
                    };
                    if *value != rule.old {
                        return Err(fail(rule, format!("{} {} is {:?}, not {:?}", rule.target, rule.field, value, rule.old)));
                    }
                    let new_value = if rule.new == "-" { String::new() } else { rule.new.clone() };
                    *value = new_value.clone();
                    corrections.push(Correction {
                        entity: place.id.clone(),
                        field: rule.field.clone(),
                        before: rule.old.clone(),
                        after: new_value,
                        reason: format!("{} ({})", rule.reason, rule.source),
                    });
                    add_note(place, &format!("Corrected {} {} → {}: {}", rule.field, rule.old, rule.new, rule.reason));
                    if !place.has_flag("corrected") {
                        place.flags.push("corrected".into());
                    }
                    report.curated_corrections += 1;
                }
                "variant" => {
                    let variant_type =
                        VariantType::from_source_label(&rule.field).ok_or_else(|| fail(rule, format!("unknown variant type label {:?}", rule.field)))?;
                    let lang = if rule.new.chars().any(is_serbian_cyrillic_letter) { "sr-Cyrl" } else { lang_of_label(&rule.field, "") };
                    extra_variants.push(PlaceVariant {
                        variant: rule.new.clone(),
                        variant_type,
                        source_type: rule.field.clone(),
                        entity: place.id.clone(),
                        lang: lang.to_string(),
                        defect: String::new(),
                        repaired: String::new(),
                        source: format!("{}: {}", rule.source, rule.reason),
                        attribution: "termbridge curation".into(),
                    });
                }
                "former" => {
                    // field = LANG:CHANGE, old = the period (FROM..UNTIL, empty when no source
                    // gives a date), new = the former name, reason = the note.
                    let (lang, change) = rule.field.split_once(':').ok_or_else(|| fail(rule, format!("field {:?} is not LANG:CHANGE", rule.field)))?;
                    if !["sq", "sr-Latn", "sr-Cyrl", "tr", "bs"].contains(&lang) {
                        return Err(fail(rule, format!("unknown language {lang:?}")));
                    }
                    let change = NameChange::parse(change).ok_or_else(|| fail(rule, format!("unknown change {change:?}")))?;
                    let (from, until) = parse_period(&rule.old).ok_or_else(|| fail(rule, format!("period {:?} is not FROM..UNTIL in years", rule.old)))?;
                    if rule.source.is_empty() {
                        return Err(fail(rule, "a former name needs a source".to_string()));
                    }
                    history.push(FormerName {
                        entity: place.id.clone(),
                        name: rule.new.clone(),
                        lang: lang.to_string(),
                        change,
                        status: change.status(),
                        from,
                        until,
                        period: period_text(from, until),
                        note: rule.reason.clone(),
                        source: rule.source.clone(),
                    });
                }
                other => return Err(fail(rule, format!("unknown action {other:?}"))),
            }
        }
    }
    Ok(())
}

/// A former name no variant row spells gets one, so lookup and the place-name check find it.
fn add_former_name_variants(history: &[FormerName], variants: &mut Vec<PlaceVariant>, report: &mut CompileReport) {
    for former in history {
        if variants.iter().any(|variant| variant.entity == former.entity && variant.variant == former.name) {
            continue;
        }
        let label = match (former.change, former.lang.as_str()) {
            (NameChange::Split, _) => "pre_2013_undivided_municipality_name",
            (NameChange::Renamed, "sq") => "former_albanian_name_before_renaming",
            _ => "serbian_state_or_former_official_name",
        };
        variants.push(PlaceVariant {
            variant: former.name.clone(),
            variant_type: VariantType::FormerOrOtherStateName,
            source_type: label.to_string(),
            entity: former.entity.clone(),
            lang: former.lang.clone(),
            defect: String::new(),
            repaired: String::new(),
            source: format!("curation: former name ({}; {})", former.period, former.source),
            attribution: "termbridge curation".into(),
        });
        report.former_name_variants += 1;
    }
}

/// Settlements take their GNS point; a municipality takes its seat's (the settlement marked
/// PPLA or PPLC in it, after the curation's seat corrections).
fn place_coordinates(places: &[Place], gns_raw: &str, report: &mut CompileReport) -> Vec<Coordinates> {
    let points = gns_points(gns_raw);
    let mut out = Vec::new();
    for place in places {
        let found = match place.kind {
            PlaceKind::Settlement => place.id.strip_prefix("gns:").and_then(|ufi| points.get(ufi)).map(|&(lat, lon)| Coordinates {
                entity: place.id.clone(),
                lat,
                lon,
                origin: CoordOrigin::Gns,
                source: format!("GNS UFI={}", &place.id[4..]),
            }),
            PlaceKind::Municipality => places
                .iter()
                .filter(|seat| seat.kind == PlaceKind::Settlement && matches!(seat.feature.as_str(), "PPLA" | "PPLC") && seat.in_municipality(&place.id))
                .find_map(|seat| {
                    let ufi = seat.id.strip_prefix("gns:")?;
                    points.get(ufi).map(|&(lat, lon)| Coordinates {
                        entity: place.id.clone(),
                        lat,
                        lon,
                        origin: CoordOrigin::Seat,
                        source: format!("seat {} {} (GNS UFI={ufi})", seat.id, seat.name_sq),
                    })
                }),
        };
        match found {
            Some(point) => out.push(point),
            None => report.coordinates_missing += 1,
        }
    }
    report.coordinates = out.len();
    out
}

/// The language a variant is written in, from its type label or the GNS language code.
fn lang_of_label(label: &str, source: &str) -> &'static str {
    if source.contains("LC=sqi") || source.contains("sqi variant") || source.contains("sqi_") {
        return "sq";
    }
    if source.contains("LC=tur") || source.contains("tur_preferred") {
        return "tr";
    }
    if source.contains("LC=srp") || source.contains("srp V/D") || source.contains("srp_") {
        return "sr-Latn";
    }
    if label.starts_with("sq_") || label.starts_with("albanian_") || label.starts_with("former_albanian") || label == "letters_with_diacritics_dropped" {
        "sq"
    } else if label.starts_with("sr_") || label.starts_with("serbian_") {
        "sr-Latn"
    } else if label.starts_with("turkish_") {
        "tr"
    } else {
        ""
    }
}

/// Decodes the `\u0080`-style escapes the compiled variants file uses for C1 controls.
fn decode_source_escapes(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find("\\u") {
        out.push_str(&rest[..at]);
        let hex = rest.get(at + 2..at + 6).unwrap_or("");
        match u32::from_str_radix(hex, 16).ok().and_then(char::from_u32) {
            Some(c) if hex.len() == 4 => {
                out.push(c);
                rest = &rest[at + 6..];
            }
            _ => {
                out.push_str("\\u");
                rest = &rest[at + 2..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn read_variants(csv_text: &str, places: &[Place], report: &mut CompileReport) -> Result<Vec<PlaceVariant>, PlacesError> {
    const FILE: &str = "raw/variants_compiled.csv";
    let mut reader = csv::ReaderBuilder::new().from_reader(csv_text.as_bytes());
    let headers = reader.headers().map_err(|err| PlacesError::invalid(FILE, 1, err.to_string()))?.clone();
    let expected = ["kind", "municipality_sq", "canonical_sq", "canonical_sr_latn", "variant", "variant_type", "source"];
    if headers.iter().collect::<Vec<_>>() != expected {
        return Err(PlacesError::invalid(FILE, 1, format!("header {:?} is not the expected {:?}", headers, expected)));
    }
    let by_id: HashMap<&str, usize> = places.iter().enumerate().map(|(idx, place)| (place.id.as_str(), idx)).collect();
    let mut by_names: HashMap<(PlaceKind, &str, &str, &str), Vec<usize>> = HashMap::new();
    for (idx, place) in places.iter().enumerate() {
        by_names.entry((place.kind, place.municipality_sq.as_str(), place.name_sq.as_str(), place.name_sr_latn.as_str())).or_default().push(idx);
    }
    let mut variants = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for record in reader.records() {
        let record = record.map_err(|err| PlacesError::invalid(FILE, err.position().map_or(0, |pos| pos.line() as usize), err.to_string()))?;
        let line = record.position().map_or(0, |pos| pos.line() as usize);
        let get = |idx: usize| record.get(idx).unwrap_or_default();
        let source = get(6).to_string();
        if source.contains("KDI") {
            // The KDI polling-centre list has no licence: its spellings are evidence, never data.
            report.variants_held_back += 1;
            continue;
        }
        let kind = match get(0) {
            "municipality" => PlaceKind::Municipality,
            "settlement" => PlaceKind::Settlement,
            other => return Err(PlacesError::invalid(FILE, line, format!("unknown kind {other:?}"))),
        };
        let canonical_sq: String = fix_eth(get(2)).nfc().collect();
        let canonical_sr: String = fix_eth(get(3)).nfc().collect();
        let municipality_sq: String = get(1).nfc().collect();
        let entity_idx = match kind {
            PlaceKind::Municipality => by_id.get(municipality_id(&canonical_sq).as_str()).copied(),
            PlaceKind::Settlement => {
                let by_ufi = ufi_of(&source).and_then(|ufi| by_id.get(format!("gns:{ufi}").as_str()).copied());
                let matches_names = |idx: usize| {
                    let place = &places[idx];
                    place.name_sr_latn == canonical_sr || place.name_sq == canonical_sq || diacritic_fold(&place.name_sq) == diacritic_fold(&canonical_sq)
                };
                by_ufi.filter(|&idx| matches_names(idx)).or_else(|| {
                    by_names.get(&(kind, municipality_sq.as_str(), canonical_sq.as_str(), canonical_sr.as_str())).and_then(|found| found.first().copied())
                })
            }
        };
        let Some(entity_idx) = entity_idx else {
            return Err(PlacesError::invalid(FILE, line, format!("no place {canonical_sq:?} / {canonical_sr:?} in {municipality_sq:?}")));
        };
        let place = &places[entity_idx];
        let label = get(5).to_string();
        let mut variant_type =
            VariantType::from_source_label(&label).ok_or_else(|| PlacesError::invalid(FILE, line, format!("unknown variant type {label:?}")))?;
        let variant: String = decode_source_escapes(get(4)).nfc().collect();
        let (mut defect, mut repaired) = (String::new(), String::new());
        if variant.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c)) {
            defect = "c1_controls".into();
            repaired = repair(&variant).0;
            report.variants_c1 += 1;
        } else {
            let squeeze = |text: &str| fold(text, Tier::Diacritics).replace(' ', "");
            let lower = fold(&variant, Tier::Diacritics);
            let same_letters = place.official_names().into_iter().find(|(_, name)| squeeze(name) == squeeze(&variant));
            match same_letters {
                // Words run together or split ("KosovoPolje", "Shte Rpce"): a spacing slip.
                Some((_, name)) if fold(name, Tier::Diacritics) != lower => {
                    defect = "spacing".into();
                    repaired = name.to_string();
                }
                _ if has_broken_case(&variant) => {
                    defect = "casing".into();
                    variant_type = VariantType::EncodingDamage;
                    repaired = same_letters.map_or_else(|| fix_case(&variant), |(_, name)| name.to_string());
                    report.variants_casing += 1;
                }
                _ => {}
            }
        }
        let lang = if variant.chars().any(is_serbian_cyrillic_letter) { "sr-Cyrl" } else { lang_of_label(&label, &source) };
        let row = PlaceVariant {
            variant,
            variant_type,
            source_type: label,
            entity: place.id.clone(),
            lang: lang.to_string(),
            defect,
            repaired,
            attribution: attribution_of(&source),
            source,
        };
        if seen.insert((row.variant.clone(), row.entity.clone(), row.source_type.clone(), row.source.clone())) {
            variants.push(row);
        }
    }
    Ok(variants)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLACES_CSV: &str = "kind,municipality_sq,name_sq,name_sr_latn,name_sr_cyrl,name_tr,name_bs,source
municipality,Gjakovë,Gjakovë,Đakovica,Ђаковица,,,\"sq,sr_latn,sr_cyrl:GNS ADM1 05 (V sqi/V srp/VS srp)\"
settlement,Gjakovë,Gjakovë,Đakovica,Ђаковица,,,GNS UFI=-78082 DSG=PPLA ADM1=05; sq=N; sr_latn=N; sr_cyrl=NS
settlement,Gjakovë,Bishtazhin,Bistražin,Биштражин,,,GNS UFI=-75209 DSG=PPL ADM1=05; sq=N; sr_latn=N; sr_cyrl=NS; WARN Cyrillic does not transliterate to the Latin form
settlement,Gjakovë,Çelik,Čelik,,,,GNS UFI=7130043 DSG=PPL ADM1=05; sq=N; sr_latn=N; sr_cyrl=-;
settlement,Gjakovë,Çelik,Čelik,Челик,,,GNS UFI=411837 DSG=PPLL ADM1=05; sq=N; sr_latn=N; sr_cyrl=NS
settlement,Gjakovë,Trepčë,Trepča,,,,GNS UFI=412548 DSG=PPL ADM1=05; sq=V; sr_latn=N; sr_cyrl=-
";
    const VARIANTS_CSV: &str = "kind,municipality_sq,canonical_sq,canonical_sr_latn,variant,variant_type,source
municipality,Gjakovë,Gjakovë,Đakovica,Komuna e Gjakovës,administrative_long_form,GNS ADM1 05 UFI=-78082 NT=N LC=sqi
municipality,Gjakovë,Gjakovë,Đakovica,\\u008aakovica,mojibake_cp1252_read_as_latin1,made-up test row
municipality,Gjakovë,Gjakovë,Đakovica,GjaKova,sq_diacritics_missing_or_wrong,Who's On First test row
settlement,Gjakovë,Çelik,Čelik,Qelik,other_spelling_variant,GNS UFI=411837 sqi variant
settlement,Gjakovë,Çelik,Čelik,Celiku,sq_definite_or_inflected_form,KDI polling centres
";
    const GNS: &str =
        "RC\tUFI\tUNI\tLAT\tLONG\tDMS_LAT\tDMS_LONG\tMGRS\tJOG\tFC\tDSG\tPC\tCC1\tADM1\tPOP\tELEV\tCC2\tNT\tLC\tSHORT_FORM\tGENERIC\tSORT_NAME_RO\tFULL_NAME_RO
1\t-78082\t1\t0\t0\t0\t0\tx\tx\tP\tPPLA\t\tKV\t05\t\t\t\tN\tsrp\t\t\tDAKOVICA\t\u{D0}akovica
1\t-78083\t1\t0\t0\t0\t0\tx\tx\tA\tADM1\t\tKV\t05\t\t\t\tN\tsrp\t\t\tDAKOVICA\tOpština \u{D0}akovica
";
    const CURATION: &str = "target\taction\tfield\told\tnew\treason\tsource
gns:412548\tcorrect\tname_sq\tTrepčë\tTrepçë\tSerbian letter in an Albanian name\tDOMAIN B.4.2
mun:gjakove\tnote\t\t\tA note.\t\tsomewhere
";

    fn compiled() -> Compiled {
        compile(CompileInputs { places_csv: PLACES_CSV, variants_csv: VARIANTS_CSV, gns_raw: GNS, curation_tsv: CURATION }).unwrap()
    }

    #[test]
    fn compiles_a_small_sample() {
        let compiled = compiled();
        let report = &compiled.report;
        assert_eq!((report.municipalities, report.settlements), (1, 5));
        assert_eq!(report.d_stroke_normalised, 2, "{:?}", compiled.corrections);
        assert_eq!(report.sr_cyrl_derived, 2);
        assert_eq!(report.sr_scripts_disagree, 1);
        assert_eq!(report.variants_held_back, 1);
        assert_eq!(report.variants_c1, 1);
        assert_eq!(report.variants_casing, 1);
        assert_eq!(report.curated_corrections, 1);
        let ids: Vec<&str> = compiled.places.iter().map(|place| place.id.as_str()).collect();
        assert_eq!(ids, ["mun:gjakove", "gns:-78082", "gns:-75209", "gns:7130043", "gns:411837", "gns:412548"]);
        let celik = &compiled.places[3];
        assert_eq!(celik.name_sr_cyrl, "Челик");
        assert_eq!(celik.sr_cyrl_origin, CyrlOrigin::Derived);
        assert_eq!(celik.disambiguation, "populated place (PPL)");
        assert_eq!(compiled.places[4].disambiguation, "populated locality (PPLL)");
        assert!(compiled.places[2].has_flag("sr_scripts_disagree"));
        assert_eq!(compiled.places[5].name_sq, "Trepçë");
        assert_eq!(compiled.places[0].note, "A note.");
        let mojibake = &compiled.variants[1];
        assert_eq!((mojibake.variant.as_str(), mojibake.repaired.as_str(), mojibake.defect.as_str()), ("\u{8a}akovica", "Šakovica", "c1_controls"));
        let casing = &compiled.variants[2];
        assert_eq!((casing.variant_type, casing.repaired.as_str()), (VariantType::EncodingDamage, "Gjakova"));
        assert_eq!(compiled.variants[3].entity, "gns:411837");
        assert_eq!(compiled.variants[3].lang, "sq");
    }

    #[test]
    fn output_is_deterministic_and_reads_back() {
        let first = compiled();
        let second = compiled();
        assert_eq!(first.places_tsv(), second.places_tsv());
        assert_eq!(first.variants_tsv(), second.variants_tsv());
        let places = super::super::gazetteer::parse_places(&first.places_tsv(), "places.tsv").unwrap();
        assert_eq!(places, first.places);
        let variants = super::super::gazetteer::parse_variants(&first.variants_tsv(), "place_variants.tsv").unwrap();
        assert_eq!(variants, first.variants);
    }

    #[test]
    fn former_names_and_coordinates() {
        let gns = GNS.replace("1\t-78082\t1\t0\t0\t", "1\t-78082\t1\t42.380278\t20.430833\t");
        let curation = format!(
            "{CURATION}mun:gjakove\tformer\tsr-Latn:serbian_state_form\t1914..2012\tĐakovica Stara\tA made-up note.\tsome source\nmun:gjakove\tformer\tsq:renamed\t\tGjakova e Vjetër\tNo date.\tanother source\n"
        );
        let compiled = compile(CompileInputs { places_csv: PLACES_CSV, variants_csv: VARIANTS_CSV, gns_raw: &gns, curation_tsv: &curation }).unwrap();
        assert_eq!((compiled.report.former_names, compiled.report.former_name_variants), (2, 2));
        let first = &compiled.history[0];
        assert_eq!((first.from, first.until, first.period.as_str(), first.status), (Some(1914), Some(2012), "1914–2012", "serbian_state"));
        assert_eq!(compiled.history[1].period, "date unknown");
        let added = compiled.variants.iter().find(|variant| variant.variant == "Gjakova e Vjetër").unwrap();
        assert_eq!((added.variant_type, added.source_type.as_str()), (VariantType::FormerOrOtherStateName, "former_albanian_name_before_renaming"));
        let history = super::super::history::parse_history(&compiled.history_tsv(), "place_history.tsv").unwrap();
        assert_eq!(history, compiled.history);
        // The municipality takes its seat's point (the settlement marked PPLA).
        let municipality = compiled.coordinates.iter().find(|point| point.entity == "mun:gjakove").unwrap();
        assert_eq!((municipality.lat, municipality.lon, municipality.origin), (42.380278, 20.430833, CoordOrigin::Seat));
        assert!(municipality.source.contains("gns:-78082"), "{}", municipality.source);
        for (rule, expected) in [
            ("mun:gjakove\tformer\tsq\t\tX\tr\ts", "is not LANG:CHANGE"),
            ("mun:gjakove\tformer\tsq:vanished\t\tX\tr\ts", "unknown change \"vanished\""),
            ("mun:gjakove\tformer\tsq:renamed\t2012\tX\tr\ts", "period \"2012\" is not FROM..UNTIL"),
            ("mun:gjakove\tformer\tsq:renamed\t\tX\tr\t", "a former name needs a source"),
        ] {
            let curation = format!("target\taction\tfield\told\tnew\treason\tsource\n{rule}\n");
            let err =
                compile(CompileInputs { places_csv: PLACES_CSV, variants_csv: VARIANTS_CSV, gns_raw: GNS, curation_tsv: &curation }).unwrap_err().to_string();
            assert!(err.contains(expected) && err.starts_with("curation.tsv:2:"), "{rule}: {err}");
        }
    }

    #[test]
    fn curation_that_does_not_apply_fails() {
        for (rule, expected) in [
            ("gns:412548\tcorrect\tname_sq\tTrepçe\tTrepçë\tr\ts", "is \"Trepčë\", not \"Trepçe\""),
            ("gns:1\tnote\t\t\tx\t\ts", "no place matches target \"gns:1\""),
            ("mun:gjakove\tstatus\t\t\tdisputed\tr\ts", "unknown status \"disputed\""),
            ("mun:gjakove\tpaint\t\t\tx\tr\ts", "unknown action \"paint\""),
        ] {
            let curation = format!("target\taction\tfield\told\tnew\treason\tsource\n{rule}\n");
            let err =
                compile(CompileInputs { places_csv: PLACES_CSV, variants_csv: VARIANTS_CSV, gns_raw: GNS, curation_tsv: &curation }).unwrap_err().to_string();
            assert!(err.contains(expected), "{rule}: {err}");
            assert!(err.starts_with("curation.tsv:2:"), "{err}");
        }
    }

    /// The committed glossaries/kosovo files are what the compiler makes of the sources.
    #[test]
    fn shipped_files_are_the_compiled_sources() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let sources = root.join("../shared/data/places");
        if !sources.join("places.csv").exists() {
            println!("SKIPPED: {} is absent; the shipped gazetteer is not recompiled", sources.display());
            return;
        }
        let compiled = compile_dir(&sources, SHIPPED_CURATION_TSV).unwrap();
        let shipped = root.join("glossaries/kosovo");
        for (name, content) in [
            ("places.tsv", compiled.places_tsv()),
            ("place_variants.tsv", compiled.variants_tsv()),
            ("corrections.tsv", compiled.corrections_tsv()),
            ("place_history.tsv", compiled.history_tsv()),
            ("place_coordinates.tsv", compiled.coordinates_tsv()),
        ] {
            let committed = std::fs::read_to_string(shipped.join(name)).unwrap();
            assert!(committed == content, "glossaries/kosovo/{name} differs from a fresh compile; run `termbridge places build` and review the diff");
        }
        assert_eq!(compiled.report.municipalities, 38);
        assert_eq!(compiled.report.settlements, 1547);
        assert_eq!(compiled.report.sr_scripts_disagree, 25);
        assert_eq!(compiled.report.variants_held_back, 0);
        assert_eq!((compiled.report.coordinates, compiled.report.coordinates_missing), (38 + 1547, 0));
        assert_eq!(compile_dir(&sources, SHIPPED_CURATION_TSV).unwrap().places_tsv(), compiled.places_tsv(), "compiling twice gives the same bytes");
    }

    #[test]
    fn helpers() {
        assert_eq!(municipality_id("Fushë Kosovë"), "mun:fushe-kosove");
        assert_eq!(municipality_id("Hani i Elezit"), "mun:hani-i-elezit");
        assert_eq!(ufi_of("GNS UFI=-74029 DSG=PPL"), Some("-74029"));
        assert_eq!(ufi_of("GNS ADM1 05"), None);
        assert_eq!(decode_source_escapes("Uro\\u009aevac"), "Uro\u{9a}evac");
        assert_eq!(decode_source_escapes("a\\uZZ"), "a\\uZZ");
        assert_eq!(attribution_of("GNS UFI=1; GeoNames=2"), "NGA GNS (public domain); GeoNames (CC BY 4.0)");
        assert_eq!(lang_of_label("other_spelling_variant", "GNS UFI=1 sqi variant"), "sq");
        assert_eq!(lang_of_label("sr_inflected_form", ""), "sr-Latn");
    }
}
