//! The gazetteer: official place names of Kosovo's 38 municipalities and their settlements,
//! and the sourced variants that point at them, as read from the TSV files that
//! `termbridge places build` compiles into `glossaries/kosovo/`.
//!
//! The TSV format is the same for every shipped file: lines starting with `#` are comments, the
//! first other line names the columns, then one record a line. Fields hold no tab or newline;
//! control characters (the C1 range that encoding damage leaves behind) and backslashes are
//! written as `\u0080`-style and `\\` escapes, so the files themselves stay clean text.
//!
//! This file does not resolve names or look at text: see `resolve.rs` and `mentions.rs`.

use std::collections::HashMap;
use std::fmt;

use serde::Serialize;

use super::error::PlacesError;
use super::history::{Coordinates, FormerName, parse_coordinates, parse_history};
use super::languages::{MunicipalLanguages, parse_municipal_languages};
use crate::model::lang::LangTag;

/// Whether a place is a municipality or a settlement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    /// One of the 38 municipalities (Law No. 03/L-041 on Administrative Municipal Boundaries).
    Municipality,
    /// A town, village or hamlet inside a municipality.
    Settlement,
}

impl PlaceKind {
    /// The name the TSV files and reports use.
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceKind::Municipality => "municipality",
            PlaceKind::Settlement => "settlement",
        }
    }

    fn parse(raw: &str) -> Option<PlaceKind> {
        match raw {
            "municipality" => Some(PlaceKind::Municipality),
            "settlement" => Some(PlaceKind::Settlement),
            _ => None,
        }
    }
}

/// How settled an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceStatus {
    /// Nothing known to be in dispute.
    Current,
    /// A name form is contested (e.g. Dečane/Dečani); the note says which and why.
    Contested,
    /// The settlement lies in the undivided pre-2013 Mitrovicë and is not yet assigned to
    /// Mitrovicë e Jugut or Mitrovicë e Veriut.
    MunicipalityUnresolved,
}

impl PlaceStatus {
    /// The name the TSV files and reports use.
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceStatus::Current => "current",
            PlaceStatus::Contested => "contested",
            PlaceStatus::MunicipalityUnresolved => "municipality_unresolved",
        }
    }

    pub(crate) fn parse(raw: &str) -> Option<PlaceStatus> {
        match raw {
            "current" => Some(PlaceStatus::Current),
            "contested" => Some(PlaceStatus::Contested),
            "municipality_unresolved" => Some(PlaceStatus::MunicipalityUnresolved),
            _ => None,
        }
    }
}

/// Where the Serbian Cyrillic name comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CyrlOrigin {
    /// A source gives it (GNS "NS" name, or a named source for municipalities).
    Source,
    /// No source gives it; it was transliterated from the Latin name with `text::lat_to_cyr`.
    Derived,
    /// No source gives it and the Latin name cannot be transliterated (foreign letters).
    Missing,
}

impl CyrlOrigin {
    /// The name the TSV files and reports use.
    pub fn as_str(self) -> &'static str {
        match self {
            CyrlOrigin::Source => "source",
            CyrlOrigin::Derived => "derived",
            CyrlOrigin::Missing => "missing",
        }
    }

    fn parse(raw: &str) -> Option<CyrlOrigin> {
        match raw {
            "source" => Some(CyrlOrigin::Source),
            "derived" => Some(CyrlOrigin::Derived),
            "missing" => Some(CyrlOrigin::Missing),
            _ => None,
        }
    }
}

/// What kind of spelling a variant (or a query) is, relative to the official names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VariantType {
    /// An official name, in one of the official languages and scripts.
    Official,
    /// A name in inflected (case or definite) form, e.g. Prishtinës, u Prištini.
    InflectedForm,
    /// A long administrative form, e.g. Komuna e Prishtinës, Opština Priština.
    LongAdministrativeForm,
    /// The official name without its diacritics (Zvecan, Fushe Kosove).
    MissingDiacritics,
    /// Another attested spelling: other romanisation, spacing, Cyrillic variant.
    SpellingVariant,
    /// A misspelling (typo) of an official name.
    Misspelling,
    /// Damaged text: mojibake, C1 controls, broken capitalisation (KaCanik).
    EncodingDamage,
    /// A name in another language or a historical (Ottoman) name that is not official here.
    OtherLanguageName,
    /// A local alternative name not in the official list (Besianë, Therandë, Kastriot …).
    UnofficialAlternative,
    /// A former name or a name used by another state's administration (Kosovska Mitrovica,
    /// Dečani, Đeneral Janković, Gllogoc).
    FormerOrOtherStateName,
    /// A short form that names more than one place (Kosovo for Fushë Kosovë).
    AmbiguousShortForm,
    /// A source's own error (e.g. a settlement given as a municipality's seat).
    DatasetError,
}

impl VariantType {
    /// All types, for reports that list them.
    pub const ALL: [VariantType; 12] = [
        VariantType::Official,
        VariantType::InflectedForm,
        VariantType::LongAdministrativeForm,
        VariantType::MissingDiacritics,
        VariantType::SpellingVariant,
        VariantType::Misspelling,
        VariantType::EncodingDamage,
        VariantType::OtherLanguageName,
        VariantType::UnofficialAlternative,
        VariantType::FormerOrOtherStateName,
        VariantType::AmbiguousShortForm,
        VariantType::DatasetError,
    ];

    /// The name reports use.
    pub fn as_str(self) -> &'static str {
        match self {
            VariantType::Official => "official",
            VariantType::InflectedForm => "inflected_form",
            VariantType::LongAdministrativeForm => "long_administrative_form",
            VariantType::MissingDiacritics => "missing_diacritics",
            VariantType::SpellingVariant => "spelling_variant",
            VariantType::Misspelling => "misspelling",
            VariantType::EncodingDamage => "encoding_damage",
            VariantType::OtherLanguageName => "other_language_name",
            VariantType::UnofficialAlternative => "unofficial_alternative",
            VariantType::FormerOrOtherStateName => "former_or_other_state_name",
            VariantType::AmbiguousShortForm => "ambiguous_short_form",
            VariantType::DatasetError => "dataset_error",
        }
    }

    /// A short phrase for messages read by people.
    pub fn describe(self) -> &'static str {
        match self {
            VariantType::Official => "official name",
            VariantType::InflectedForm => "inflected form",
            VariantType::LongAdministrativeForm => "long administrative form",
            VariantType::MissingDiacritics => "missing diacritics",
            VariantType::SpellingVariant => "spelling variant",
            VariantType::Misspelling => "misspelling",
            VariantType::EncodingDamage => "encoding damage",
            VariantType::OtherLanguageName => "name in another language or historical name",
            VariantType::UnofficialAlternative => "unofficial alternative name",
            VariantType::FormerOrOtherStateName => "former name or name used by another administration",
            VariantType::AmbiguousShortForm => "ambiguous short form",
            VariantType::DatasetError => "error in a source dataset",
        }
    }

    /// Parses [`VariantType::as_str`].
    pub fn parse(raw: &str) -> Option<VariantType> {
        VariantType::ALL.into_iter().find(|variant_type| variant_type.as_str() == raw)
    }

    /// The type for a variant type label of `variants_compiled.csv` (DOMAIN.md B.5).
    pub fn from_source_label(label: &str) -> Option<VariantType> {
        Some(match label {
            "administrative_long_form" => VariantType::LongAdministrativeForm,
            "turkish_or_ottoman_name" => VariantType::OtherLanguageName,
            "serbian_state_or_former_official_name" | "former_albanian_name_before_renaming" | "pre_2013_undivided_municipality_name" => {
                VariantType::FormerOrOtherStateName
            }
            "albanian_unofficial_alternative_name" => VariantType::UnofficialAlternative,
            "sr_cyrillic_variant" | "spacing_or_hyphenation" | "sr_foreign_romanization" | "other_spelling_variant" | "sq_final_e_dropped" => {
                VariantType::SpellingVariant
            }
            "sq_diacritics_missing_or_wrong" | "sr_diacritics_missing_or_wrong" | "letters_with_diacritics_dropped" => VariantType::MissingDiacritics,
            "sq_definite_or_inflected_form" | "sr_inflected_form" => VariantType::InflectedForm,
            "mojibake_cp1252_read_as_latin1" => VariantType::EncodingDamage,
            "typo_in_official_document" => VariantType::Misspelling,
            "dataset_error_wrong_seat_settlement" => VariantType::DatasetError,
            "ambiguous_short_form" => VariantType::AmbiguousShortForm,
            _ => return None,
        })
    }
}

impl fmt::Display for VariantType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One municipality or settlement with its official names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Place {
    /// Stable id: `mun:<slug>` for municipalities, `gns:<UFI>` (the NGA GNS feature id) for
    /// settlements.
    pub id: String,
    /// Municipality or settlement.
    pub kind: PlaceKind,
    /// GNS feature designation for settlements (PPL, PPLL populated locality, PPLA seat,
    /// PPLC capital); `ADM2` for municipalities.
    pub feature: String,
    /// The municipality (or, for the undivided pre-2013 Mitrovicë, the municipalities it may
    /// now belong to); a municipality lists itself.
    pub municipality_ids: Vec<String>,
    /// The municipality's Albanian name as the source gives it (pre-2013 "Mitrovicë" kept).
    pub municipality_sq: String,
    /// Official Albanian name.
    pub name_sq: String,
    /// Official Serbian name in Latin script.
    pub name_sr_latn: String,
    /// Official Serbian name in Cyrillic script (empty when [`CyrlOrigin::Missing`]).
    pub name_sr_cyrl: String,
    /// Turkish name where a source gives one (empty otherwise).
    pub name_tr: String,
    /// Bosnian name where a source gives one (empty otherwise).
    pub name_bs: String,
    /// Empty when (municipality, name) is unique; otherwise what tells the namesakes apart.
    pub disambiguation: String,
    /// Whether the entry is settled.
    pub status: PlaceStatus,
    /// How sure the Albanian name is: `curated` (municipalities), or the GNS name type the
    /// settlement's Albanian name came from: `approved` (N), `unverified` (D), `variant` (V),
    /// `variant_arbitrary` (V*, one of several), `variant_geonames` (V matching GeoNames).
    pub sq_confidence: String,
    /// Where the Cyrillic name comes from.
    pub sr_cyrl_origin: CyrlOrigin,
    /// Data flags: `sr_cyrl_derived`, `sr_scripts_disagree`, `d_stroke_normalised`,
    /// `corrected`, `namesake`.
    pub flags: Vec<String>,
    /// Free-text note (contested forms, corrections, known data errors).
    pub note: String,
    /// Where each field came from, as the compiled source records it.
    pub source: String,
    /// The sources to credit, with their licences.
    pub attribution: String,
}

impl Place {
    /// The official name in `tag` (sq, sr-Latn, sr-Cyrl, tr, bs); `None` when there is none.
    /// Plain `sr` gives the Latin form.
    pub fn name(&self, tag: LangTag) -> Option<&str> {
        use crate::model::lang::{Lang, SrScript};
        let name = match (tag.lang, tag.script) {
            (Lang::Sq, _) => &self.name_sq,
            (Lang::Sr, Some(SrScript::Cyrl)) => &self.name_sr_cyrl,
            (Lang::Sr, _) => &self.name_sr_latn,
            (Lang::Tr, _) => &self.name_tr,
            (Lang::Bs, _) => &self.name_bs,
            (Lang::En, _) => return None,
        };
        if name.is_empty() { None } else { Some(name) }
    }

    /// The official names with their tags, in report order.
    pub fn official_names(&self) -> Vec<(LangTag, &str)> {
        [LangTag::SQ, LangTag::SR_LATN, LangTag::SR_CYRL, LangTag::TR, LangTag::BS]
            .into_iter()
            .filter_map(|tag| self.name(tag).map(|name| (tag, name)))
            .collect()
    }

    /// True when the place lies in `municipality_id` (or may, for unresolved Mitrovicë).
    pub fn in_municipality(&self, municipality_id: &str) -> bool {
        self.municipality_ids.iter().any(|id| id == municipality_id)
    }

    /// True when a flag is set.
    pub fn has_flag(&self, flag: &str) -> bool {
        self.flags.iter().any(|set| set == flag)
    }
}

/// A sourced variant spelling of a place's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlaceVariant {
    /// The spelling as attested (escapes decoded: may hold C1 control characters).
    pub variant: String,
    /// What kind of variant it is.
    pub variant_type: VariantType,
    /// The type label the source compilation gave (DOMAIN.md B.5), kept as a hint.
    pub source_type: String,
    /// The place it names.
    pub entity: String,
    /// The language the variant is written in, when known (`sq`, `sr-Latn`, `sr-Cyrl`, `tr`).
    pub lang: String,
    /// Damage found in the spelling: `c1_controls`, `casing`, `spacing` (words run together), or empty.
    pub defect: String,
    /// The repaired spelling when `defect` is set (empty otherwise).
    pub repaired: String,
    /// Where it is attested.
    pub source: String,
    /// The source to credit, with its licence (variants inherit their source's licence).
    pub attribution: String,
}

/// The loaded gazetteer: places, variants and the municipality language table.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    places: Vec<Place>,
    index_by_id: HashMap<String, usize>,
    variants: Vec<PlaceVariant>,
    languages: Vec<MunicipalLanguages>,
    history: Vec<FormerName>,
    coordinates: HashMap<String, Coordinates>,
}

/// The compiled gazetteer as shipped inside the binary.
pub const SHIPPED_PLACES_TSV: &str = include_str!("../../glossaries/kosovo/places.tsv");
/// The compiled sourced variants as shipped inside the binary.
pub const SHIPPED_VARIANTS_TSV: &str = include_str!("../../glossaries/kosovo/place_variants.tsv");
/// The municipality language table as shipped inside the binary.
pub const SHIPPED_LANGUAGES_TSV: &str = include_str!("../../glossaries/kosovo/municipal_languages.tsv");
/// The compiled former names as shipped inside the binary.
pub const SHIPPED_HISTORY_TSV: &str = include_str!("../../glossaries/kosovo/place_history.tsv");
/// The compiled coordinates as shipped inside the binary.
pub const SHIPPED_COORDINATES_TSV: &str = include_str!("../../glossaries/kosovo/place_coordinates.tsv");

impl Gazetteer {
    /// Parses the three TSV files.
    pub fn from_tsv(places_tsv: &str, variants_tsv: &str, languages_tsv: &str) -> Result<Gazetteer, PlacesError> {
        let places = parse_places(places_tsv, "places.tsv")?;
        let mut index_by_id = HashMap::with_capacity(places.len());
        for (idx, place) in places.iter().enumerate() {
            if index_by_id.insert(place.id.clone(), idx).is_some() {
                return Err(PlacesError::invalid("places.tsv", 0, format!("id {:?} occurs twice", place.id)));
            }
        }
        let variants = parse_variants(variants_tsv, "place_variants.tsv")?;
        for (idx, variant) in variants.iter().enumerate() {
            if !index_by_id.contains_key(&variant.entity) {
                return Err(PlacesError::invalid("place_variants.tsv", idx + 1, format!("entity {:?} is not in places.tsv", variant.entity)));
            }
        }
        let languages = parse_municipal_languages(languages_tsv, "municipal_languages.tsv")?;
        Ok(Gazetteer { places, index_by_id, variants, languages, history: Vec::new(), coordinates: HashMap::new() })
    }

    /// Adds the former names (`place_history.tsv`) and the coordinates
    /// (`place_coordinates.tsv`); every row must name a place of the gazetteer.
    pub fn with_history(mut self, history_tsv: &str, coordinates_tsv: &str) -> Result<Gazetteer, PlacesError> {
        let history = parse_history(history_tsv, "place_history.tsv")?;
        for (idx, former) in history.iter().enumerate() {
            if !self.index_by_id.contains_key(&former.entity) {
                return Err(PlacesError::invalid("place_history.tsv", idx + 1, format!("entity {:?} is not in places.tsv", former.entity)));
            }
        }
        let mut coordinates = HashMap::new();
        for (idx, point) in parse_coordinates(coordinates_tsv, "place_coordinates.tsv")?.into_iter().enumerate() {
            if !self.index_by_id.contains_key(&point.entity) {
                return Err(PlacesError::invalid("place_coordinates.tsv", idx + 1, format!("entity {:?} is not in places.tsv", point.entity)));
            }
            coordinates.insert(point.entity.clone(), point);
        }
        self.history = history;
        self.coordinates = coordinates;
        Ok(self)
    }

    /// The gazetteer compiled into the binary (loaded once).
    ///
    /// ```
    /// let gazetteer = termbridge::places::Gazetteer::shipped();
    /// assert_eq!(gazetteer.municipalities().count(), 38);
    /// ```
    pub fn shipped() -> &'static Gazetteer {
        static SHIPPED: std::sync::OnceLock<Gazetteer> = std::sync::OnceLock::new();
        SHIPPED.get_or_init(|| {
            // The shipped files are checked by the tests in selfcheck.rs on every build, so a
            // failure here is a build defect; there is no input a user could correct.
            Gazetteer::from_tsv(SHIPPED_PLACES_TSV, SHIPPED_VARIANTS_TSV, SHIPPED_LANGUAGES_TSV)
                .and_then(|gazetteer| gazetteer.with_history(SHIPPED_HISTORY_TSV, SHIPPED_COORDINATES_TSV))
                .unwrap_or_else(|err| panic!("{}", PlacesError::Shipped(err.to_string())))
        })
    }

    /// All places, municipalities first.
    pub fn places(&self) -> &[Place] {
        &self.places
    }

    /// The place with id `id`.
    pub fn place(&self, id: &str) -> Option<&Place> {
        self.index_by_id.get(id).map(|&idx| &self.places[idx])
    }

    /// The index of the place with id `id` in [`Gazetteer::places`].
    pub fn place_index(&self, id: &str) -> Option<usize> {
        self.index_by_id.get(id).copied()
    }

    /// The 38 municipalities.
    pub fn municipalities(&self) -> impl Iterator<Item = &Place> {
        self.places.iter().filter(|place| place.kind == PlaceKind::Municipality)
    }

    /// The sourced variants.
    pub fn variants(&self) -> &[PlaceVariant] {
        &self.variants
    }

    /// The language table row of a municipality.
    pub fn municipal_languages(&self, municipality_id: &str) -> Option<&MunicipalLanguages> {
        self.languages.iter().find(|row| row.municipality_id == municipality_id)
    }

    /// All rows of the municipality language table.
    pub fn language_table(&self) -> &[MunicipalLanguages] {
        &self.languages
    }

    /// Every former name, in file order.
    pub fn history(&self) -> &[FormerName] {
        &self.history
    }

    /// The former names of the place `id`.
    pub fn former_names<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a FormerName> + 'a {
        self.history.iter().filter(move |former| former.entity == id)
    }

    /// The coordinates of the place `id` (every shipped place has them).
    pub fn coordinates(&self, id: &str) -> Option<&Coordinates> {
        self.coordinates.get(id)
    }
}

/// The columns of `places.tsv`, in order.
pub const PLACES_COLUMNS: [&str; 18] = [
    "id",
    "kind",
    "feature",
    "municipality_ids",
    "municipality_sq",
    "name_sq",
    "name_sr_latn",
    "name_sr_cyrl",
    "name_tr",
    "name_bs",
    "disambiguation",
    "status",
    "sq_confidence",
    "sr_cyrl_origin",
    "flags",
    "note",
    "source",
    "attribution",
];

/// The columns of `place_variants.tsv`, in order.
pub const VARIANT_COLUMNS: [&str; 9] = ["variant", "variant_type", "source_type", "entity", "lang", "defect", "repaired", "source", "attribution"];

/// Escapes a field for the TSV files: backslash, tab, newlines and other control characters
/// become `\\`, `\u0009`-style escapes.
pub fn escape_field(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c == '\\' {
            out.push_str("\\\\");
        } else if c.is_control() {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Reverses [`escape_field`]; `None` when an escape is malformed.
pub fn unescape_field(raw: &str) -> Option<String> {
    if !raw.contains('\\') {
        return Some(raw.to_string());
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '\\' => out.push('\\'),
            'u' => {
                let hex: String = chars.by_ref().take(4).collect();
                if hex.len() != 4 {
                    return None;
                }
                out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
            }
            _ => return None,
        }
    }
    Some(out)
}

/// The data lines of a TSV file: (1-based line number, fields), after the header, which must
/// equal `columns`.
pub(crate) fn tsv_records<'a>(text: &'a str, file: &str, columns: &[&str]) -> Result<Vec<(usize, Vec<&'a str>)>, PlacesError> {
    let mut records = Vec::new();
    let mut header_seen = false;
    for (line_idx, line) in text.lines().enumerate() {
        let line_no = line_idx + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        if !header_seen {
            if fields != columns {
                return Err(PlacesError::invalid(file, line_no, format!("header {:?} is not the expected {:?}", fields, columns)));
            }
            header_seen = true;
            continue;
        }
        if fields.len() != columns.len() {
            return Err(PlacesError::invalid(file, line_no, format!("{} fields, expected {}", fields.len(), columns.len())));
        }
        records.push((line_no, fields));
    }
    if !header_seen {
        return Err(PlacesError::invalid(file, 0, "no header line"));
    }
    Ok(records)
}

fn field(file: &str, line: usize, raw: &str) -> Result<String, PlacesError> {
    unescape_field(raw).ok_or_else(|| PlacesError::invalid(file, line, format!("malformed escape in {raw:?}")))
}

fn list(raw: &str, separator: char) -> Vec<String> {
    raw.split(separator).filter(|part| !part.is_empty()).map(str::to_string).collect()
}

/// Parses `places.tsv`.
pub fn parse_places(text: &str, file: &str) -> Result<Vec<Place>, PlacesError> {
    let mut places = Vec::new();
    for (line, fields) in tsv_records(text, file, &PLACES_COLUMNS)? {
        let get = |idx: usize| field(file, line, fields[idx]);
        let kind = PlaceKind::parse(fields[1]).ok_or_else(|| PlacesError::invalid(file, line, format!("unknown kind {:?}", fields[1])))?;
        let status = PlaceStatus::parse(fields[11]).ok_or_else(|| PlacesError::invalid(file, line, format!("unknown status {:?}", fields[11])))?;
        let sr_cyrl_origin =
            CyrlOrigin::parse(fields[13]).ok_or_else(|| PlacesError::invalid(file, line, format!("unknown sr_cyrl_origin {:?}", fields[13])))?;
        let place = Place {
            id: get(0)?,
            kind,
            feature: get(2)?,
            municipality_ids: list(&get(3)?, '|'),
            municipality_sq: get(4)?,
            name_sq: get(5)?,
            name_sr_latn: get(6)?,
            name_sr_cyrl: get(7)?,
            name_tr: get(8)?,
            name_bs: get(9)?,
            disambiguation: get(10)?,
            status,
            sq_confidence: get(12)?,
            sr_cyrl_origin,
            flags: list(&get(14)?, ','),
            note: get(15)?,
            source: get(16)?,
            attribution: get(17)?,
        };
        if place.id.is_empty() || place.name_sq.is_empty() || place.name_sr_latn.is_empty() {
            return Err(PlacesError::invalid(file, line, "id, name_sq and name_sr_latn must not be empty"));
        }
        places.push(place);
    }
    Ok(places)
}

/// Writes `places.tsv` (header included; `preamble` lines become `#` comments).
pub fn places_to_tsv(places: &[Place], preamble: &[String]) -> String {
    let mut out = String::new();
    for line in preamble {
        out.push_str("# ");
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(&PLACES_COLUMNS.join("\t"));
    out.push('\n');
    for place in places {
        let fields = [
            place.id.as_str(),
            place.kind.as_str(),
            &place.feature,
            &place.municipality_ids.join("|"),
            &place.municipality_sq,
            &place.name_sq,
            &place.name_sr_latn,
            &place.name_sr_cyrl,
            &place.name_tr,
            &place.name_bs,
            &place.disambiguation,
            place.status.as_str(),
            &place.sq_confidence,
            place.sr_cyrl_origin.as_str(),
            &place.flags.join(","),
            &place.note,
            &place.source,
            &place.attribution,
        ];
        let escaped: Vec<String> = fields.iter().map(|value| escape_field(value)).collect();
        out.push_str(&escaped.join("\t"));
        out.push('\n');
    }
    out
}

/// Parses `place_variants.tsv`.
pub fn parse_variants(text: &str, file: &str) -> Result<Vec<PlaceVariant>, PlacesError> {
    let mut variants = Vec::new();
    for (line, fields) in tsv_records(text, file, &VARIANT_COLUMNS)? {
        let get = |idx: usize| field(file, line, fields[idx]);
        let variant_type = VariantType::parse(fields[1]).ok_or_else(|| PlacesError::invalid(file, line, format!("unknown variant_type {:?}", fields[1])))?;
        let variant = PlaceVariant {
            variant: get(0)?,
            variant_type,
            source_type: get(2)?,
            entity: get(3)?,
            lang: get(4)?,
            defect: get(5)?,
            repaired: get(6)?,
            source: get(7)?,
            attribution: get(8)?,
        };
        if variant.variant.is_empty() || variant.source.is_empty() {
            return Err(PlacesError::invalid(file, line, "variant and source must not be empty"));
        }
        variants.push(variant);
    }
    Ok(variants)
}

/// Writes `place_variants.tsv`.
pub fn variants_to_tsv(variants: &[PlaceVariant], preamble: &[String]) -> String {
    let mut out = String::new();
    for line in preamble {
        out.push_str("# ");
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(&VARIANT_COLUMNS.join("\t"));
    out.push('\n');
    for variant in variants {
        let fields = [
            variant.variant.as_str(),
            variant.variant_type.as_str(),
            &variant.source_type,
            &variant.entity,
            &variant.lang,
            &variant.defect,
            &variant.repaired,
            &variant.source,
            &variant.attribution,
        ];
        let escaped: Vec<String> = fields.iter().map(|value| escape_field(value)).collect();
        out.push_str(&escaped.join("\t"));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_round_trip() {
        for (raw, escaped) in [("Uro\u{9a}evac", "Uro\\u009aevac"), ("a\\b", "a\\\\b"), ("tab\there", "tab\\u0009here"), ("Priština", "Priština"), ("", "")] {
            assert_eq!(escape_field(raw), escaped, "{raw:?}");
            assert_eq!(unescape_field(escaped).as_deref(), Some(raw), "{escaped:?}");
        }
        for bad in ["\\x", "\\u00", "\\u12g4", "end\\"] {
            assert_eq!(unescape_field(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn variant_types_map_every_source_label() {
        for (label, expected) in [
            ("administrative_long_form", VariantType::LongAdministrativeForm),
            ("albanian_unofficial_alternative_name", VariantType::UnofficialAlternative),
            ("serbian_state_or_former_official_name", VariantType::FormerOrOtherStateName),
            ("pre_2013_undivided_municipality_name", VariantType::FormerOrOtherStateName),
            ("mojibake_cp1252_read_as_latin1", VariantType::EncodingDamage),
            ("sq_definite_or_inflected_form", VariantType::InflectedForm),
            ("sr_diacritics_missing_or_wrong", VariantType::MissingDiacritics),
            ("other_spelling_variant", VariantType::SpellingVariant),
            ("typo_in_official_document", VariantType::Misspelling),
        ] {
            assert_eq!(VariantType::from_source_label(label), Some(expected), "{label}");
        }
        assert_eq!(VariantType::from_source_label("made_up"), None);
        for variant_type in VariantType::ALL {
            assert_eq!(VariantType::parse(variant_type.as_str()), Some(variant_type));
        }
    }

    #[test]
    fn rejects_malformed_files() {
        assert!(parse_places("", "t").is_err());
        assert!(parse_places("id\tkind\n", "t").is_err());
        let header = PLACES_COLUMNS.join("\t");
        let short = format!("{header}\nmun:x\tmunicipality\n");
        assert!(matches!(parse_places(&short, "t"), Err(PlacesError::Invalid { line: 2, .. })));
        let mut fields = vec![""; PLACES_COLUMNS.len()];
        fields[0] = "mun:x";
        fields[1] = "town";
        let bad_kind = format!("{header}\n{}\n", fields.join("\t"));
        let err = parse_places(&bad_kind, "t").unwrap_err().to_string();
        assert!(err.contains("unknown kind \"town\""), "{err}");
    }
}
