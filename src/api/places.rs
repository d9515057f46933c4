//! Official place names over JSON: lookup of any spelling, the place names of a text that are
//! not official, the sign check, and the municipalities with their languages and settlements.
//! Everything reads the gazetteer compiled into the binary; nothing here writes.

use axum::Json;
use axum::extract::Path;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::error::{ApiJson, ApiQuery, ErrorBody};
use super::params::{limit, required_lang, required_text};
use super::{ApiError, blocking};
use crate::audit::{OrderRule, SignFinding, SignOptions, SignReport};
use crate::model::lang::{Lang, LangTag};
use crate::places::{Candidate, GeoJsonOptions, Place, PlaceFinding, PlaceKind, Places, SrScriptPolicy};
use crate::text::Tier;

fn optional(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_string())
}

/// A place a query may name, with its official names.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct PlaceHit {
    /// The place's id (`mun:<slug>` for municipalities, `gns:<id>` for settlements).
    #[schema(example = "mun:ferizaj")]
    pub id: String,
    /// `municipality` or `settlement`.
    #[schema(example = "municipality")]
    pub kind: String,
    /// Official Albanian name.
    #[schema(example = "Ferizaj")]
    pub name_sq: String,
    /// Official Serbian name, Latin script.
    #[schema(example = "Uroševac")]
    pub name_sr_latn: String,
    /// Official Serbian name, Cyrillic script (empty when none is sourced).
    #[schema(example = "Урошевац")]
    pub name_sr_cyrl: String,
    /// Turkish name, where a source gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_tr: Option<String>,
    /// Bosnian name, where a source gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_bs: Option<String>,
    /// For a settlement, the municipality it lies in (Albanian name; several joined by " / "
    /// for the undivided pre-2013 Mitrovicë).
    pub municipality: Option<String>,
    /// Whether the entry is settled.
    pub status: String,
    /// The gazetteer's note (contested forms, known data errors).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The loosest tier the match needed.
    pub tier: String,
    /// What kind of spelling the query is (`official`, `inflected`, `no_diacritics`, …).
    #[schema(example = "inflected")]
    pub variant_type: String,
    /// Further things true of the spelling.
    pub also: Vec<String>,
    /// The indexed form the query matched.
    pub matched: String,
    /// The language (and script) of the matched form, when known.
    pub matched_lang: Option<String>,
    /// Edit distance for fuzzy matches.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distance: Option<usize>,
    /// How likely this is the place meant, 0 to 1.
    pub confidence: f64,
    /// When the query is a former name (or a Serbian-state form): the change and its period.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "Gllogoc: the name before the renaming to Drenas (date unknown; …)")]
    pub history: Option<String>,
}

impl From<Candidate> for PlaceHit {
    fn from(candidate: Candidate) -> PlaceHit {
        let municipality = (candidate.kind == PlaceKind::Settlement && !candidate.municipality.is_empty()).then(|| candidate.municipality.join(" / "));
        PlaceHit {
            id: candidate.id,
            kind: candidate.kind.as_str().to_string(),
            name_sq: candidate.names.sq,
            name_sr_latn: candidate.names.sr_latn,
            name_sr_cyrl: candidate.names.sr_cyrl,
            name_tr: candidate.names.tr,
            name_bs: candidate.names.bs,
            municipality,
            status: candidate.status.as_str().to_string(),
            note: optional(&candidate.note),
            tier: candidate.tier.as_str().to_string(),
            variant_type: candidate.variant_type.as_str().to_string(),
            also: candidate.also.iter().map(|variant_type| variant_type.as_str().to_string()).collect(),
            matched: candidate.matched,
            matched_lang: candidate.matched_lang,
            distance: candidate.distance,
            confidence: candidate.confidence,
            history: candidate.history,
        }
    }
}

/// The places a name may be, best first (fuzzy guesses only when nothing closer matched), and
/// the words of a phrase taken as the name.
pub(super) fn place_hits(query: &str, limit: usize) -> (Vec<PlaceHit>, Option<MatchedSpanOut>) {
    let lookup = Places::shipped().lookup(query);
    let span = lookup.matched_span.map(span_out);
    (lookup.candidates.into_iter().take(limit).map(PlaceHit::from).collect(), span)
}

fn span_out(span: crate::places::MatchedSpan) -> MatchedSpanOut {
    MatchedSpanOut { name: span.name, start: span.start, end: span.end, before: span.before, after: span.after, how: span.how.to_string() }
}

/// Query of `GET /api/v1/places/lookup`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct PlaceLookupQuery {
    /// Any way of writing a place: official, inflected, without diacritics, Cyrillic, old or
    /// unofficial names, misspelt, with context words ("u Uroševcu").
    #[param(required = true, example = "u Uroševcu")]
    q: Option<String>,
    /// At most this many candidates, 1–50 (default 10).
    limit: Option<usize>,
}

/// Answer of `GET /api/v1/places/lookup`.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct PlaceLookupResponse {
    /// The query as given.
    query: String,
    /// The part of the query that was matched.
    searched: String,
    /// The query after undoing encoding damage, when there was any.
    repaired: Option<String>,
    /// Leading words set aside as context ("u", "në komunën e").
    context: Option<String>,
    /// Where the name was found inside a phrase ("Municipality of Gjakova", "Peć, Kosovo"):
    /// the words taken as the name, their character offsets and the words set aside.
    #[serde(skip_serializing_if = "Option::is_none")]
    matched_span: Option<MatchedSpanOut>,
    /// True when several different places match equally well.
    ambiguous: bool,
    /// Candidates, best first.
    candidates: Vec<PlaceHit>,
}

/// The words of a phrase taken as the place name.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = MatchedSpan)]
pub(super) struct MatchedSpanOut {
    /// The words taken as the name, as written.
    #[schema(example = "Gjakova")]
    name: String,
    /// Character offset of the name in the query.
    start: usize,
    /// Character offset just past it.
    end: usize,
    /// The words before the name that were set aside.
    #[schema(example = "Municipality of")]
    before: String,
    /// The words after it that were set aside.
    after: String,
    /// `phrase` (words around a name set aside) or `mention` (found in running text).
    how: String,
}

/// Resolves any spelling of a place to its official names.
#[utoipa::path(
    get,
    path = "/api/v1/places/lookup",
    tag = "places",
    params(PlaceLookupQuery),
    responses(
        (status = 200, description = "Candidates, best first", body = PlaceLookupResponse),
        (status = 400, description = "Missing `q` or bad limit", body = ErrorBody),
    )
)]
pub(super) async fn lookup(ApiQuery(query): ApiQuery<PlaceLookupQuery>) -> Result<Json<PlaceLookupResponse>, ApiError> {
    let text = required_text(query.q, "q")?;
    let limit = limit(query.limit, 10, 50, "limit")?;
    let lookup = blocking(move || Ok(Places::shipped().lookup(&text))).await?;
    Ok(Json(PlaceLookupResponse {
        query: lookup.query,
        searched: lookup.searched,
        repaired: lookup.repaired,
        context: lookup.context,
        matched_span: lookup.matched_span.map(span_out),
        ambiguous: lookup.ambiguous,
        candidates: lookup.candidates.into_iter().take(limit).map(PlaceHit::from).collect(),
    }))
}

/// Body of `POST /api/v1/places/check`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct CheckRequest {
    /// The text.
    #[schema(required = true, example = "Sastanak je održan u Ferizaju.")]
    text: Option<String>,
    /// Its language: sq, or sr in either script (sr, sr-Latn, sr-Cyrl).
    #[schema(required = true, example = "sr-Latn")]
    lang: Option<String>,
}

/// A place name in a text that is not the official form.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = PlaceFinding)]
pub(super) struct PlaceFindingOut {
    /// Always `place-name`.
    check: String,
    /// `error`: official communication must use the official names.
    severity: String,
    /// The text's language.
    lang: String,
    /// 1-based line.
    line: usize,
    /// 1-based column, in characters.
    column: usize,
    /// Byte offset of the mention.
    start: usize,
    /// Byte offset just past it.
    end: usize,
    /// The mention as written.
    text: String,
    /// The line, shortened around the mention.
    excerpt: String,
    /// What is wrong.
    message: String,
    /// The official form to use (none when the writer must choose among `alternatives`).
    suggestion: Option<String>,
    /// The official forms to choose from when one old name now stands for several places
    /// (the undivided pre-2013 Mitrovicë).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    alternatives: Vec<String>,
    /// The place's id.
    place_id: String,
    /// What the mention is (`unofficial`, `no_diacritics`, `wrong_script`, …).
    variant_type: String,
}

fn finding_out(text: &str, finding: PlaceFinding) -> PlaceFindingOut {
    PlaceFindingOut {
        check: finding.check.to_string(),
        severity: "error".to_string(),
        lang: finding.lang,
        line: finding.line,
        column: finding.column,
        start: finding.start,
        end: finding.end,
        text: text.get(finding.start..finding.end).unwrap_or_default().to_string(),
        excerpt: finding.excerpt,
        message: finding.message,
        suggestion: finding.suggestion,
        alternatives: finding.alternatives,
        place_id: finding.entity,
        variant_type: finding.variant_type.as_str().to_string(),
    }
}

/// Answer of `POST /api/v1/places/check`.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct CheckResponse {
    /// The text's language, canonical.
    lang: String,
    /// The place names that are not official, in text order.
    findings: Vec<PlaceFindingOut>,
}

/// Finds the place names of a text that are not the official form (unofficial names,
/// missing diacritics, the other script, old names), with the form to use.
#[utoipa::path(
    post,
    path = "/api/v1/places/check",
    tag = "places",
    request_body = CheckRequest,
    responses(
        (status = 200, description = "Non-official place names", body = CheckResponse),
        (status = 400, description = "Malformed JSON, missing text, or a language other than sq and sr", body = ErrorBody),
    )
)]
pub(super) async fn check(ApiJson(request): ApiJson<CheckRequest>) -> Result<Json<CheckResponse>, ApiError> {
    let text = required_text(request.text, "text")?;
    let tag = required_lang(request.lang.as_deref(), "lang")?;
    if !matches!(tag.lang, Lang::Sq | Lang::Sr) {
        return Err(ApiError::bad_request(format!("`lang`: place names are checked in sq and sr text, not {tag}")));
    }
    let tag = if tag == LangTag::SR { crate::model::resolve_script(tag, &text) } else { tag };
    let findings = blocking(move || Ok(Places::shipped().check_text(&text, tag).into_iter().map(|finding| finding_out(&text, finding)).collect())).await?;
    Ok(Json(CheckResponse { lang: tag.to_string(), findings }))
}

/// Body of `POST /api/v1/places/sign`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct SignRequest {
    /// The sign: one language version a line, or separated by "/" or "|".
    #[schema(required = true, example = "Zveçan / Zvecan")]
    text: Option<String>,
    /// The municipality the sign stands in (any spelling); default: the municipality of the
    /// place the sign names.
    #[serde(default)]
    municipality: Option<String>,
    /// Serbian script policy: `cyrillic-required`, `latin-allowed`, … (default: the
    /// municipality's policy).
    #[serde(default)]
    sr_script: Option<String>,
    /// Which language comes first: `majority-first` (default), `law-order` or `any`.
    #[serde(default)]
    order: Option<String>,
}

/// One finding on a sign.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = SignFinding)]
pub(super) struct SignFindingOut {
    /// `place-name`, `sign-missing-language`, `sign-script` or `sign-order`.
    check: String,
    /// `error`, or `warning` for `sign-order`.
    severity: String,
    /// The language concerned, if one is.
    lang: Option<String>,
    /// The part concerned (1-based, top to bottom), if one is; 0 for the sign as a whole.
    line: usize,
    /// The text of that part, if one is.
    excerpt: Option<String>,
    /// What is wrong.
    message: String,
    /// What to write instead, when there is a single answer.
    suggestion: Option<String>,
}

/// One part (language version) of a sign.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = SignPart)]
pub(super) struct SignPartOut {
    /// 1-based position.
    position: usize,
    /// The text as written.
    text: String,
    /// The language identified, with the Serbian script.
    lang: Option<String>,
}

/// Answer of `POST /api/v1/places/sign`.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct SignResponse {
    /// The sign as given.
    sign: String,
    /// The municipality the rules come from (Albanian name), when known.
    municipality: Option<String>,
    /// The place the sign names (id), when found.
    place: Option<String>,
    /// Its official names: sq, sr_latn, sr_cyrl (and tr, bs where sourced).
    #[schema(value_type = Option<Object>)]
    names: Option<serde_json::Value>,
    /// Languages the sign must carry.
    required: Vec<String>,
    /// The Serbian script policy applied.
    sr_script_policy: String,
    /// The parts, in order.
    parts: Vec<SignPartOut>,
    /// The findings.
    findings: Vec<SignFindingOut>,
}

fn sign_finding_out(report: &SignReport, finding: &SignFinding) -> SignFindingOut {
    SignFindingOut {
        check: finding.check.to_string(),
        severity: finding.severity.as_str().to_string(),
        lang: finding.lang.clone(),
        line: finding.part.unwrap_or(0),
        excerpt: finding.part.and_then(|position| report.parts.iter().find(|part| part.position == position)).map(|part| part.text.clone()),
        message: finding.message.clone(),
        suggestion: finding.suggestion.clone(),
    }
}

/// Checks a sign or a name list: official spellings, the languages the municipality must use,
/// the Serbian script, and the order of the languages.
#[utoipa::path(
    post,
    path = "/api/v1/places/sign",
    tag = "places",
    request_body = SignRequest,
    responses(
        (status = 200, description = "The sign's parts and findings", body = SignResponse),
        (status = 400, description = "Malformed JSON, missing text, unknown municipality, policy or order", body = ErrorBody),
    )
)]
pub(super) async fn sign(ApiJson(request): ApiJson<SignRequest>) -> Result<Json<SignResponse>, ApiError> {
    let text = required_text(request.text, "text")?;
    let sr_script = request
        .sr_script
        .as_deref()
        .filter(|raw| !raw.trim().is_empty())
        .map(|raw| SrScriptPolicy::parse(raw).ok_or_else(|| ApiError::bad_request(format!("`sr_script`: unknown policy {raw:?}"))))
        .transpose()?;
    let order = match request.order.as_deref().filter(|raw| !raw.trim().is_empty()) {
        None => OrderRule::MajorityFirst,
        Some(raw) => OrderRule::parse(raw).ok_or_else(|| ApiError::bad_request(format!("`order`: unknown rule {raw:?} (majority-first, law-order or any)")))?,
    };
    let municipality = request.municipality.filter(|name| !name.trim().is_empty());
    let options = SignOptions { municipality, sr_script, order };
    let report = blocking(move || Places::shipped().check_sign(&text, &options).map_err(ApiError::from_error)).await?;
    let findings = report.findings.iter().map(|finding| sign_finding_out(&report, finding)).collect();
    Ok(Json(SignResponse {
        names: report.names.as_ref().and_then(|names| serde_json::to_value(names).ok()),
        required: report.required.clone(),
        sr_script_policy: report.sr_script_policy.as_str().to_string(),
        parts: report.parts.iter().map(|part| SignPartOut { position: part.position, text: part.text.clone(), lang: part.lang.clone() }).collect(),
        findings,
        sign: report.sign,
        municipality: report.municipality,
        place: report.place,
    }))
}

/// A municipality with its official names and languages.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Municipality)]
pub(super) struct MunicipalityOut {
    /// The municipality's id.
    #[schema(example = "mun:ferizaj")]
    id: String,
    /// Official Albanian name.
    name_sq: String,
    /// Official Serbian name, Latin script.
    name_sr_latn: String,
    /// Official Serbian name, Cyrillic script.
    name_sr_cyrl: String,
    /// Turkish name, where a source gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    name_tr: Option<String>,
    /// Bosnian name, where a source gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    name_bs: Option<String>,
    /// Official languages (sq, sr, tr, bs).
    official: Vec<String>,
    /// Languages in official use.
    in_official_use: Vec<String>,
    /// Language of the majority community.
    majority: Option<String>,
    /// Serbian script policy.
    sr_script_policy: Option<String>,
    /// How many settlements the gazetteer lists in it.
    settlements: usize,
    /// The gazetteer's note, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    /// The language table's sources and caveats.
    #[serde(skip_serializing_if = "Option::is_none")]
    languages_source: Option<String>,
}

fn municipality_out(places: &Places, municipality: &Place) -> MunicipalityOut {
    let gazetteer = places.gazetteer();
    let row = gazetteer.municipal_languages(&municipality.id);
    let settlements = gazetteer.places().iter().filter(|place| place.kind == PlaceKind::Settlement && place.in_municipality(&municipality.id)).count();
    MunicipalityOut {
        id: municipality.id.clone(),
        name_sq: municipality.name_sq.clone(),
        name_sr_latn: municipality.name_sr_latn.clone(),
        name_sr_cyrl: municipality.name_sr_cyrl.clone(),
        name_tr: optional(&municipality.name_tr),
        name_bs: optional(&municipality.name_bs),
        official: row.map(|row| row.official.clone()).unwrap_or_default(),
        in_official_use: row.map(|row| row.in_official_use.clone()).unwrap_or_default(),
        majority: row.and_then(|row| optional(&row.majority)),
        sr_script_policy: row.map(|row| row.sr_script_policy.as_str().to_string()),
        settlements,
        note: optional(&municipality.note),
        languages_source: row.and_then(|row| {
            optional(
                &[row.source.as_str(), row.date.as_str(), row.note.as_str()].iter().filter(|part| !part.is_empty()).copied().collect::<Vec<_>>().join("; "),
            )
        }),
    }
}

/// Answer of `GET /api/v1/places/municipalities`.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct MunicipalitiesResponse {
    /// The 38 municipalities, by Albanian name.
    municipalities: Vec<MunicipalityOut>,
}

/// The municipalities with their official names and languages.
#[utoipa::path(
    get,
    path = "/api/v1/places/municipalities",
    tag = "places",
    responses((status = 200, description = "The municipalities", body = MunicipalitiesResponse))
)]
pub(super) async fn municipalities() -> Result<Json<MunicipalitiesResponse>, ApiError> {
    let list = blocking(|| {
        let places = Places::shipped();
        let mut list: Vec<MunicipalityOut> = places.gazetteer().municipalities().map(|municipality| municipality_out(places, municipality)).collect();
        list.sort_by(|a, b| crate::text::fold(&a.name_sq, Tier::Diacritics).cmp(&crate::text::fold(&b.name_sq, Tier::Diacritics)));
        Ok(list)
    })
    .await?;
    Ok(Json(MunicipalitiesResponse { municipalities: list }))
}

/// The municipality `key` names: its id (`mun:ferizaj`), the id without `mun:`, or any of its
/// official names or their common spellings.
fn find_municipality<'a>(places: &'a Places, key: &str) -> Result<&'a Place, ApiError> {
    let gazetteer = places.gazetteer();
    let by_id = gazetteer.place(key).or_else(|| gazetteer.place(&format!("mun:{key}"))).filter(|place| place.kind == PlaceKind::Municipality);
    if let Some(place) = by_id {
        return Ok(place);
    }
    places
        .lookup(key)
        .candidates
        .iter()
        .filter(|candidate| candidate.kind == PlaceKind::Municipality && candidate.tier != Tier::Fuzzy)
        .find_map(|candidate| gazetteer.place(&candidate.id))
        .ok_or_else(|| ApiError::not_found(format!("no municipality {key:?}")))
}

/// One municipality.
#[utoipa::path(
    get,
    path = "/api/v1/places/municipalities/{id}",
    tag = "places",
    params(("id" = String, Path, description = "The municipality's id (`mun:ferizaj`), the id without `mun:`, or one of its names")),
    responses(
        (status = 200, description = "The municipality", body = MunicipalityOut),
        (status = 404, description = "No such municipality", body = ErrorBody),
    )
)]
pub(super) async fn municipality(Path(id): Path<String>) -> Result<Json<MunicipalityOut>, ApiError> {
    let municipality = blocking(move || {
        let places = Places::shipped();
        find_municipality(places, &id).map(|place| municipality_out(places, place))
    })
    .await?;
    Ok(Json(municipality))
}

/// A settlement with its official names.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Settlement)]
pub(super) struct SettlementOut {
    /// The settlement's id.
    id: String,
    /// Official Albanian name.
    name_sq: String,
    /// Official Serbian name, Latin script.
    name_sr_latn: String,
    /// Official Serbian name, Cyrillic script (empty when none is sourced).
    name_sr_cyrl: String,
    /// Turkish name, where a source gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    name_tr: Option<String>,
    /// Bosnian name, where a source gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    name_bs: Option<String>,
    /// Whether the entry is settled.
    status: String,
    /// What tells namesakes in one municipality apart.
    #[serde(skip_serializing_if = "Option::is_none")]
    disambiguation: Option<String>,
    /// The gazetteer's note, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

/// Answer of `GET /api/v1/places/municipalities/{id}/settlements`.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct SettlementsResponse {
    /// The municipality's id.
    municipality: String,
    /// Its settlements, by Albanian name.
    settlements: Vec<SettlementOut>,
}

/// The settlements of one municipality.
#[utoipa::path(
    get,
    path = "/api/v1/places/municipalities/{id}/settlements",
    tag = "places",
    params(("id" = String, Path, description = "The municipality's id (`mun:ferizaj`), the id without `mun:`, or one of its names")),
    responses(
        (status = 200, description = "The settlements", body = SettlementsResponse),
        (status = 404, description = "No such municipality", body = ErrorBody),
    )
)]
pub(super) async fn settlements(Path(id): Path<String>) -> Result<Json<SettlementsResponse>, ApiError> {
    let response = blocking(move || {
        let places = Places::shipped();
        let municipality = find_municipality(places, &id)?;
        let mut settlements: Vec<SettlementOut> = places
            .gazetteer()
            .places()
            .iter()
            .filter(|place| place.kind == PlaceKind::Settlement && place.in_municipality(&municipality.id))
            .map(|place| SettlementOut {
                id: place.id.clone(),
                name_sq: place.name_sq.clone(),
                name_sr_latn: place.name_sr_latn.clone(),
                name_sr_cyrl: place.name_sr_cyrl.clone(),
                name_tr: optional(&place.name_tr),
                name_bs: optional(&place.name_bs),
                status: place.status.as_str().to_string(),
                disambiguation: optional(&place.disambiguation),
                note: optional(&place.note),
            })
            .collect();
        settlements.sort_by(|a, b| crate::text::fold(&a.name_sq, Tier::Diacritics).cmp(&crate::text::fold(&b.name_sq, Tier::Diacritics)));
        Ok(SettlementsResponse { municipality: municipality.id.clone(), settlements })
    })
    .await?;
    Ok(Json(response))
}

/// One place with everything the gazetteer knows of it: official names, municipality,
/// coordinates, official languages, sourced variants and former names with their periods.
#[utoipa::path(
    get,
    path = "/api/v1/places/{id}",
    tag = "places",
    params(("id" = String, Path, description = "The place's id: `mun:<slug>` for a municipality (`mun:drenas`), `gns:<UFI>` for a settlement")),
    responses(
        (status = 200, description = "The place (names, municipality_ids, coordinates {lat, lon, origin, source}, official_languages, variants, former_names [{name, lang, change, status, from, until, period, note, source}])", body = Object),
        (status = 404, description = "No place has this id", body = ErrorBody),
    )
)]
pub(super) async fn place(Path(id): Path<String>) -> Result<Json<crate::places::PlaceDetail>, ApiError> {
    let detail = blocking(move || Places::shipped().gazetteer().detail(id.trim()).map_err(ApiError::from_error)).await?;
    Ok(Json(detail))
}

/// Query of `GET /api/v1/places/export`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct PlacesExportQuery {
    /// The format; only `geojson` (the default).
    #[param(example = "geojson")]
    format: Option<String>,
    /// Only `municipality` (their seats' points) or only `settlement`; both when absent.
    kind: Option<String>,
}

/// The gazetteer as a GeoJSON FeatureCollection (RFC 7946): one Point a place, coordinates in
/// `[lon, lat]` order, official names, municipality, official languages, status and former
/// names as properties.
#[utoipa::path(
    get,
    path = "/api/v1/places/export",
    tag = "places",
    params(PlacesExportQuery),
    responses(
        (status = 200, description = "A GeoJSON FeatureCollection", content_type = "application/geo+json", body = Object),
        (status = 400, description = "Unknown format or kind", body = ErrorBody),
    )
)]
pub(super) async fn export_places(ApiQuery(query): ApiQuery<PlacesExportQuery>) -> Result<impl axum::response::IntoResponse, ApiError> {
    match query.format.as_deref().unwrap_or("geojson") {
        "geojson" => {}
        other => return Err(ApiError::bad_request(format!("`format`: unknown format {other:?} (geojson)"))),
    }
    let kind = match query.kind.as_deref() {
        None | Some("") => None,
        Some("municipality") => Some(PlaceKind::Municipality),
        Some("settlement") => Some(PlaceKind::Settlement),
        Some(other) => return Err(ApiError::bad_request(format!("`kind`: unknown kind {other:?} (municipality or settlement)"))),
    };
    let body = blocking(move || Ok(crate::places::geojson(Places::shipped().gazetteer(), GeoJsonOptions { kind }).to_string())).await?;
    Ok(([(axum::http::header::CONTENT_TYPE, "application/geo+json")], body))
}
