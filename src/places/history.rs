//! Place history and position: the former names of places (renamings, the undivided pre-2013
//! Mitrovicë, the Serbian-state forms of renamed places) with their period, status and source,
//! the coordinates of every place, and the GeoJSON export of the gazetteer.
//!
//! Both tables are compiled by `termbridge places build` into `glossaries/kosovo/`
//! (`place_history.tsv` from the `former` rules of the hand-maintained `curation.tsv`,
//! `place_coordinates.tsv` from the GNS file) and loaded with the gazetteer.
//!
//! Place names are facts: a year stands in a row only with a source that gives it; where no
//! source gives one, the period says "date unknown" (and the note says what is known), never
//! a guess. What this module does not do: resolve names (see `resolve.rs`, which uses the
//! history to explain a former name) or draw maps (the web UI draws the GeoJSON).

use std::fmt;

use serde::Serialize;
use serde_json::{Value, json};

use super::error::PlacesError;
use super::gazetteer::{Gazetteer, PlaceKind, escape_field, tsv_records, unescape_field};

/// What happened to a former name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NameChange {
    /// The place was renamed; this is the name before (Gllogoc → Drenas).
    Renamed,
    /// The place was divided; this is the name of the undivided place (Mitrovicë before 2013).
    Split,
    /// The form Serbia's administration uses (or used as the official form before 1999) for a
    /// place whose name in Kosovo's official list differs (Kosovska Mitrovica, Dečani).
    SerbianStateForm,
    /// An official name of an earlier state, replaced by a name that is itself not today's
    /// (Titova Mitrovica, replaced by Kosovska Mitrovica in the early 1990s).
    FormerOfficial,
}

impl NameChange {
    /// The name the TSV file and reports use.
    pub fn as_str(self) -> &'static str {
        match self {
            NameChange::Renamed => "renamed",
            NameChange::Split => "split",
            NameChange::SerbianStateForm => "serbian_state_form",
            NameChange::FormerOfficial => "former_official",
        }
    }

    /// Parses [`NameChange::as_str`].
    pub fn parse(raw: &str) -> Option<NameChange> {
        [NameChange::Renamed, NameChange::Split, NameChange::SerbianStateForm, NameChange::FormerOfficial].into_iter().find(|change| change.as_str() == raw)
    }

    /// Whether the name is still in official use somewhere: `former` (no longer official) or
    /// `serbian_state` (used by Serbia's administration, not in Kosovo's official list).
    pub fn status(self) -> &'static str {
        match self {
            NameChange::Renamed | NameChange::Split | NameChange::FormerOfficial => "former",
            NameChange::SerbianStateForm => "serbian_state",
        }
    }
}

impl fmt::Display for NameChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A former name of a place (or a form another administration uses), with its period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FormerName {
    /// The place it named (`mun:…` or `gns:…`); the same name may stand for several places
    /// (both successors of the undivided Mitrovicë).
    pub entity: String,
    /// The name as it was written.
    pub name: String,
    /// Its language and script (`sq`, `sr-Latn`, `sr-Cyrl`).
    pub lang: String,
    /// What happened to it.
    pub change: NameChange,
    /// `former` or `serbian_state` (see [`NameChange::status`]).
    pub status: &'static str,
    /// First year of the period, when a source gives it.
    pub from: Option<u16>,
    /// Last year of the period (the year of the change), when a source gives it.
    pub until: Option<u16>,
    /// The period for people: "1914–2012", "until 2013", "date unknown".
    pub period: String,
    /// What is known of the change, in a sentence.
    pub note: String,
    /// Where the facts come from.
    pub source: String,
}

/// Formats a period from its years.
pub fn period_text(from: Option<u16>, until: Option<u16>) -> String {
    match (from, until) {
        (Some(from), Some(until)) => format!("{from}–{until}"),
        (None, Some(until)) => format!("until {until}"),
        (Some(from), None) => format!("since {from}"),
        (None, None) => "date unknown".to_string(),
    }
}

/// Parses a period written `FROM..UNTIL` (either year may be left out; an empty text is a
/// period whose dates no source gives).
pub fn parse_period(raw: &str) -> Option<(Option<u16>, Option<u16>)> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Some((None, None));
    }
    let (from, until) = raw.split_once("..")?;
    let year = |text: &str| -> Option<Option<u16>> {
        if text.is_empty() {
            return Some(None);
        }
        let year: u16 = text.parse().ok()?;
        (1000..=2100).contains(&year).then_some(Some(year))
    };
    let (from, until) = (year(from)?, year(until)?);
    if let (Some(from), Some(until)) = (from, until)
        && from > until
    {
        return None;
    }
    Some((from, until))
}

impl FormerName {
    /// The sentence a lookup shows for this name, naming today's place:
    /// "Gllogoc: the name before the renaming to Drenas (date unknown; …)".
    /// `today` names every place the name is recorded for (for a split, every successor).
    pub fn explain(&self, today: &[String]) -> String {
        let what = match (self.change, today) {
            (NameChange::Split, _) => format!("the name of the undivided place, since divided into {}", today.join(" and ")),
            (NameChange::Renamed, [one]) => format!("the name before the renaming to {one}"),
            (NameChange::Renamed, _) => format!("the name before the renaming to {}", today.join(" or ")),
            (NameChange::SerbianStateForm, [one]) => format!("the form used by Serbia's administration; the official name is {one}"),
            (NameChange::SerbianStateForm, _) => format!("the form used by Serbia's administration; the official names are {}", today.join(" or ")),
            (NameChange::FormerOfficial, _) => format!("a former official name; today {}", today.join(" or ")),
        };
        if self.note.is_empty() {
            format!("{}: {what} ({})", self.name, self.period)
        } else {
            format!("{}: {what} ({}; {})", self.name, self.period, self.note)
        }
    }
}

/// Where a place's coordinates come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CoordOrigin {
    /// The GNS point of the settlement itself.
    Gns,
    /// A municipality: the point of its seat (the settlement named in `source`).
    Seat,
}

impl CoordOrigin {
    /// The name the TSV file uses.
    pub fn as_str(self) -> &'static str {
        match self {
            CoordOrigin::Gns => "gns",
            CoordOrigin::Seat => "seat",
        }
    }

    fn parse(raw: &str) -> Option<CoordOrigin> {
        match raw {
            "gns" => Some(CoordOrigin::Gns),
            "seat" => Some(CoordOrigin::Seat),
            _ => None,
        }
    }
}

/// The position of a place (WGS 84 degrees).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coordinates {
    /// The place.
    pub entity: String,
    /// Latitude, degrees north.
    pub lat: f64,
    /// Longitude, degrees east.
    pub lon: f64,
    /// Where the point comes from.
    pub origin: CoordOrigin,
    /// The source row (GNS UFI; for a seat, the seat's id too).
    pub source: String,
}

/// The columns of `place_history.tsv`, in order (change: renamed | split | serbian_state_form |
/// former_official).
pub const HISTORY_COLUMNS: [&str; 8] = ["entity", "name", "lang", "change", "period", "note", "source", "attribution"];

/// The columns of `place_coordinates.tsv`, in order.
pub const COORDINATE_COLUMNS: [&str; 5] = ["entity", "lat", "lon", "origin", "source"];

fn preamble_lines(preamble: &[String], columns: &[&str]) -> String {
    let mut out = String::new();
    for line in preamble {
        out.push_str("# ");
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(&columns.join("\t"));
    out.push('\n');
    out
}

fn row(fields: &[&str]) -> String {
    let mut line = fields.iter().map(|value| escape_field(value)).collect::<Vec<_>>().join("\t");
    line.push('\n');
    line
}

/// The period column: `FROM..UNTIL`, empty when no source gives a date.
fn period_field(from: Option<u16>, until: Option<u16>) -> String {
    match (from, until) {
        (None, None) => String::new(),
        _ => format!("{}..{}", from.map(|year| year.to_string()).unwrap_or_default(), until.map(|year| year.to_string()).unwrap_or_default()),
    }
}

/// Writes `place_history.tsv`.
pub fn history_to_tsv(names: &[FormerName], preamble: &[String]) -> String {
    let mut out = preamble_lines(preamble, &HISTORY_COLUMNS);
    for name in names {
        let period = period_field(name.from, name.until);
        out.push_str(&row(&[
            &name.entity,
            &name.name,
            &name.lang,
            name.change.as_str(),
            &period,
            &name.note,
            &name.source,
            "termbridge curation (sources cited)",
        ]));
    }
    out
}

fn unescape(file: &str, line: usize, raw: &str) -> Result<String, PlacesError> {
    unescape_field(raw).ok_or_else(|| PlacesError::invalid(file, line, format!("malformed escape in {raw:?}")))
}

/// Parses `place_history.tsv`.
pub fn parse_history(text: &str, file: &str) -> Result<Vec<FormerName>, PlacesError> {
    let mut names = Vec::new();
    for (line, fields) in tsv_records(text, file, &HISTORY_COLUMNS)? {
        let change = NameChange::parse(fields[3]).ok_or_else(|| PlacesError::invalid(file, line, format!("unknown change {:?}", fields[3])))?;
        let (from, until) =
            parse_period(fields[4]).ok_or_else(|| PlacesError::invalid(file, line, format!("period {:?} is not FROM..UNTIL in years", fields[4])))?;
        let name = FormerName {
            entity: unescape(file, line, fields[0])?,
            name: unescape(file, line, fields[1])?,
            lang: unescape(file, line, fields[2])?,
            change,
            status: change.status(),
            from,
            until,
            period: period_text(from, until),
            note: unescape(file, line, fields[5])?,
            source: unescape(file, line, fields[6])?,
        };
        if name.entity.is_empty() || name.name.is_empty() || name.source.is_empty() {
            return Err(PlacesError::invalid(file, line, "entity, name and source must not be empty"));
        }
        names.push(name);
    }
    Ok(names)
}

/// Writes `place_coordinates.tsv`.
pub fn coordinates_to_tsv(coordinates: &[Coordinates], preamble: &[String]) -> String {
    let mut out = preamble_lines(preamble, &COORDINATE_COLUMNS);
    for point in coordinates {
        out.push_str(&row(&[&point.entity, &point.lat.to_string(), &point.lon.to_string(), point.origin.as_str(), &point.source]));
    }
    out
}

/// Parses `place_coordinates.tsv`; a latitude or longitude outside Kosovo's neighbourhood
/// (41–44 °N, 19–22 °E) is an error.
pub fn parse_coordinates(text: &str, file: &str) -> Result<Vec<Coordinates>, PlacesError> {
    let mut points = Vec::new();
    for (line, fields) in tsv_records(text, file, &COORDINATE_COLUMNS)? {
        let degrees = |raw: &str, range: std::ops::RangeInclusive<f64>, what: &str| -> Result<f64, PlacesError> {
            raw.parse::<f64>()
                .ok()
                .filter(|value| range.contains(value))
                .ok_or_else(|| PlacesError::invalid(file, line, format!("{what} {raw:?} is not a number of degrees in Kosovo")))
        };
        points.push(Coordinates {
            entity: unescape(file, line, fields[0])?,
            lat: degrees(fields[1], 41.0..=44.0, "latitude")?,
            lon: degrees(fields[2], 19.0..=22.0, "longitude")?,
            origin: CoordOrigin::parse(fields[3]).ok_or_else(|| PlacesError::invalid(file, line, format!("unknown origin {:?}", fields[3])))?,
            source: unescape(file, line, fields[4])?,
        });
    }
    Ok(points)
}

/// Parses a GNS country file into (UFI → (lat, lon)), from its LAT and LONG columns; every
/// name row of a feature carries the same point, the first is kept.
pub fn gns_points(gns_raw: &str) -> std::collections::HashMap<String, (f64, f64)> {
    let mut points = std::collections::HashMap::new();
    for line in gns_raw.lines().skip(1) {
        let fields: Vec<&str> = line.split('\t').collect();
        // Columns of the GNS country file: 1 UFI, 3 LAT, 4 LONG.
        let (Some(ufi), Some(lat), Some(lon)) = (fields.get(1), fields.get(3), fields.get(4)) else { continue };
        let (Ok(lat), Ok(lon)) = (lat.parse::<f64>(), lon.parse::<f64>()) else { continue };
        points.entry(ufi.to_string()).or_insert((lat, lon));
    }
    points
}

/// Options of the GeoJSON export.
#[derive(Debug, Clone, Copy, Default)]
pub struct GeoJsonOptions {
    /// Only municipalities (their seats' points) or only settlements; both when `None`.
    pub kind: Option<PlaceKind>,
}

/// The gazetteer as a GeoJSON FeatureCollection (RFC 7946): one Point feature a place with
/// coordinates, `[lon, lat]` in that order, its official names, municipality, official
/// languages, status and former names as properties.
pub fn geojson(gazetteer: &Gazetteer, options: GeoJsonOptions) -> Value {
    let mut features = Vec::new();
    for place in gazetteer.places() {
        if options.kind.is_some_and(|kind| kind != place.kind) {
            continue;
        }
        let Some(point) = gazetteer.coordinates(&place.id) else { continue };
        let official_languages: Vec<&str> = {
            let mut langs: Vec<&str> = Vec::new();
            for id in &place.municipality_ids {
                for lang in gazetteer.municipal_languages(id).map(|row| row.official.as_slice()).unwrap_or_default() {
                    if !langs.contains(&lang.as_str()) {
                        langs.push(lang);
                    }
                }
            }
            langs
        };
        let municipality: Vec<&str> = place.municipality_ids.iter().filter_map(|id| gazetteer.place(id)).map(|mun| mun.name_sq.as_str()).collect();
        let former: Vec<Value> = gazetteer
            .former_names(&place.id)
            .map(|former| json!({"name": former.name, "lang": former.lang, "change": former.change, "status": former.status, "from": former.from, "until": former.until, "period": former.period}))
            .collect();
        let mut properties = json!({
            "id": place.id,
            "kind": place.kind,
            "name_sq": place.name_sq,
            "name_sr_latn": place.name_sr_latn,
            "name_sr_cyrl": place.name_sr_cyrl,
            "municipality_ids": place.municipality_ids,
            "municipality": municipality,
            "official_languages": official_languages,
            "status": place.status,
            "coordinates_origin": point.origin,
        });
        if let Some(map) = properties.as_object_mut() {
            for (key, value) in [("name_tr", &place.name_tr), ("name_bs", &place.name_bs)] {
                if !value.is_empty() {
                    map.insert(key.into(), json!(value));
                }
            }
            if !former.is_empty() {
                map.insert("former_names".into(), Value::Array(former));
            }
        }
        features.push(json!({
            "type": "Feature",
            "id": place.id,
            "geometry": {"type": "Point", "coordinates": [point.lon, point.lat]},
            "properties": properties,
        }));
    }
    json!({
        "type": "FeatureCollection",
        "attribution": "Coordinates: NGA GEOnet Names Server (GNS), public domain. Names: see glossaries/kosovo/PROVENANCE.md (GNS, GeoNames CC BY 4.0, Who's On First).",
        "features": features,
    })
}

/// A sourced variant of a place, as the detail view lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VariantOut {
    /// The spelling as attested.
    pub variant: String,
    /// What kind of variant it is.
    pub variant_type: super::gazetteer::VariantType,
    /// Its language, when known.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub lang: String,
    /// Where it is attested.
    pub source: String,
}

/// Everything the gazetteer knows of one place: official names, municipality, coordinates,
/// official languages, sourced variants and former names with their periods.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlaceDetail {
    /// `mun:<slug>` or `gns:<UFI>`.
    pub id: String,
    /// Municipality or settlement.
    pub kind: PlaceKind,
    /// GNS feature designation (`ADM2` for municipalities).
    pub feature: String,
    /// Official names.
    pub names: super::resolve::PlaceNames,
    /// The municipality ids (two for a settlement of the undivided pre-2013 Mitrovicë).
    pub municipality_ids: Vec<String>,
    /// Their Albanian names.
    pub municipality: Vec<String>,
    /// Whether the entry is settled.
    pub status: super::gazetteer::PlaceStatus,
    /// What tells namesakes apart.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub disambiguation: String,
    /// The gazetteer's note.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Where the place lies.
    pub coordinates: Option<Coordinates>,
    /// Official languages of its municipality (or municipalities).
    pub official_languages: Vec<String>,
    /// Languages in official use there.
    pub in_official_use: Vec<String>,
    /// Former names and Serbian-state forms, with their periods.
    pub former_names: Vec<FormerName>,
    /// Sourced variant spellings.
    pub variants: Vec<VariantOut>,
    /// The sources to credit.
    pub attribution: String,
}

impl Gazetteer {
    /// The detail of the place `id` (`mun:<slug>` or `gns:<UFI>`).
    ///
    /// ```
    /// let detail = termbridge::places::Gazetteer::shipped().detail("mun:drenas").unwrap();
    /// assert_eq!(detail.former_names[0].name, "Gllogoc");
    /// assert!(detail.coordinates.is_some());
    /// ```
    pub fn detail(&self, id: &str) -> Result<PlaceDetail, PlacesError> {
        let place = self.place(id).ok_or_else(|| PlacesError::UnknownPlace(id.to_string()))?;
        let mut official_languages: Vec<String> = Vec::new();
        let mut in_official_use: Vec<String> = Vec::new();
        for row in place.municipality_ids.iter().filter_map(|mun| self.municipal_languages(mun)) {
            for (list, add) in [(&mut official_languages, &row.official), (&mut in_official_use, &row.in_official_use)] {
                for lang in add {
                    if !list.contains(lang) {
                        list.push(lang.clone());
                    }
                }
            }
        }
        Ok(PlaceDetail {
            id: place.id.clone(),
            kind: place.kind,
            feature: place.feature.clone(),
            names: super::resolve::names_of(place),
            municipality_ids: place.municipality_ids.clone(),
            municipality: super::resolve::municipality_names(self, place),
            status: place.status,
            disambiguation: place.disambiguation.clone(),
            note: place.note.clone(),
            coordinates: self.coordinates(&place.id).cloned(),
            official_languages,
            in_official_use,
            former_names: self.former_names(&place.id).cloned().collect(),
            variants: self
                .variants()
                .iter()
                .filter(|variant| variant.entity == place.id)
                .map(|variant| VariantOut {
                    variant: variant.variant.clone(),
                    variant_type: variant.variant_type,
                    lang: variant.lang.clone(),
                    source: variant.source.clone(),
                })
                .collect(),
            attribution: place.attribution.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods() {
        assert_eq!(parse_period(""), Some((None, None)));
        assert_eq!(parse_period("1914..2012"), Some((Some(1914), Some(2012))));
        assert_eq!(parse_period("..2013"), Some((None, Some(2013))));
        assert_eq!(parse_period("2012.."), Some((Some(2012), None)));
        for bad in ["2013", "2013..1914", "x..2013", "..99999", "..20"] {
            assert_eq!(parse_period(bad), None, "{bad}");
        }
        assert_eq!(period_text(Some(1914), Some(2012)), "1914–2012");
        assert_eq!(period_text(None, Some(2013)), "until 2013");
        assert_eq!(period_text(None, None), "date unknown");
    }

    proptest::proptest! {
        /// Every period written back and parsed again is the same period; no text panics.
        #[test]
        fn period_round_trip(from in proptest::option::of(1000u16..2100), span in 0u16..100, until_set: bool, raw in "\\PC{0,12}") {
            let until = until_set.then(|| from.unwrap_or(1000).saturating_add(span).min(2100));
            proptest::prop_assert_eq!(parse_period(&period_field(from, until)), Some((from, until)));
            let _ = parse_period(&raw);
        }
    }

    #[test]
    fn tables_round_trip_and_reject_bad_rows() {
        let names = vec![FormerName {
            entity: "mun:drenas".into(),
            name: "Gllogoc".into(),
            lang: "sq".into(),
            change: NameChange::Renamed,
            status: "former",
            from: None,
            until: None,
            period: "date unknown".into(),
            note: "n".into(),
            source: "s".into(),
        }];
        let text = history_to_tsv(&names, &["x".into()]);
        assert_eq!(parse_history(&text, "h.tsv").unwrap(), names);
        assert_eq!(names[0].explain(&["Drenas".to_string()]), "Gllogoc: the name before the renaming to Drenas (date unknown; n)");
        let bad = text.replace("\trenamed\t", "\tvanished\t");
        assert!(parse_history(&bad, "h.tsv").unwrap_err().to_string().starts_with("h.tsv:3: unknown change \"vanished\""));
        let points = vec![Coordinates { entity: "gns:1".into(), lat: 42.9075, lon: 20.84028, origin: CoordOrigin::Gns, source: "GNS UFI=1".into() }];
        let text = coordinates_to_tsv(&points, &[]);
        assert!(text.contains("42.9075\t20.84028"), "{text}");
        assert_eq!(parse_coordinates(&text, "c.tsv").unwrap(), points);
        let err = parse_coordinates(&text.replace("42.9075", "4.29"), "c.tsv").unwrap_err().to_string();
        assert!(err.starts_with("c.tsv:2: latitude \"4.29\""), "{err}");
    }

    #[test]
    fn gns_points_read_lat_and_long() {
        let raw = "RC\tUFI\tUNI\tLAT\tLONG\n1\t-78082\t1\t42.383\t20.43\n1\t-78082\t2\t0\t0\n1\tbad\t1\tx\t1\n";
        let points = gns_points(raw);
        assert_eq!(points.get("-78082"), Some(&(42.383, 20.43)));
        assert_eq!(points.len(), 1);
    }
}
