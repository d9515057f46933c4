//! Sign and name-list checks (DOMAIN.md A.5, S1–S7), run with the registry's sign checks
//! (ids, severities, texts) over the official list in `places/`: a place-name sign is one name written in
//! several languages and scripts; the checks say whether every required language is there,
//! each written exactly as the official list has it, Serbian in the required script, in the
//! required order, for a place that lies in the sign's municipality.
//!
//! Basis: Law No. 02/L-37 on the Use of Languages, the provision on signs (names of
//! municipalities, villages, streets "in the official languages and in the languages of the
//! communities that have the status of official language in that municipality"), Art. 2
//! (Serbian "and its alphabet"); UNMIK Regulation 2000/43 Art. 1 and Law No. 03/L-041 (the
//! official list of names). The order rule (majority language first) follows the Language
//! Commissioner's reading of March 2024 and is configurable; so is the Serbian script policy.
//!
//! A sign's text is split into parts at " / ", "|" and line breaks; each part's language and
//! script are identified against the official names of the place the sign names. Equal
//! prominence (S8) cannot be read from text and is not checked.

use serde::Serialize;

use crate::audit::checks::Check;
use crate::audit::checks::place_name::PlaceName;
use crate::audit::checks::sign_missing_language::SignMissingLanguage;
use crate::audit::checks::sign_order::SignOrder;
use crate::audit::checks::sign_script::SignScript;
use crate::model::Severity;
use crate::model::lang::{Lang, LangTag, SrScript};
use crate::places::{Candidate, Place, PlaceKind, PlaceNames, Places, PlacesError, SrScriptPolicy, VariantType, municipality_names, names_of};
use crate::text::script::{Script, word_script};
use crate::text::{Tier, case_fold, cyr_to_lat, match_tier};

/// Which language must come first on a sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderRule {
    /// The language of the municipality's majority community first (the Language
    /// Commissioner's reading for Serb-majority municipalities, March 2024).
    MajorityFirst,
    /// The order of Law No. 02/L-37 Art. 2: Albanian, Serbian, then the other official
    /// languages of the municipality.
    LawOrder,
    /// Order is not checked.
    Any,
}

impl OrderRule {
    /// Parses `majority-first`, `law-order` or `any`.
    pub fn parse(raw: &str) -> Option<OrderRule> {
        match raw.trim().replace('_', "-").as_str() {
            "majority-first" => Some(OrderRule::MajorityFirst),
            "law-order" => Some(OrderRule::LawOrder),
            "any" => Some(OrderRule::Any),
            _ => None,
        }
    }
}

/// How to check a sign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignOptions {
    /// The municipality the sign stands in (any spelling); without it, the municipality of
    /// the place the sign names is used.
    pub municipality: Option<String>,
    /// Serbian script policy; without it, the municipality's policy from the language table.
    pub sr_script: Option<SrScriptPolicy>,
    /// The order rule.
    pub order: OrderRule,
}

impl Default for SignOptions {
    fn default() -> SignOptions {
        SignOptions { municipality: None, sr_script: None, order: OrderRule::MajorityFirst }
    }
}

/// One part of a sign (one language version).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignPart {
    /// 1-based position on the sign (top to bottom, left to right).
    pub position: usize,
    /// The text as written.
    pub text: String,
    /// The language identified (or declared), with the Serbian script; `None` when the part
    /// is none of the place's names.
    pub lang: Option<String>,
    /// The script of the text.
    pub script: Script,
}

/// One finding on a sign.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignFinding {
    /// The registry's check id: `place-name`, `sign-missing-language`, `sign-script` or
    /// `sign-order`.
    pub check: &'static str,
    /// The check's severity (the registry's).
    pub severity: Severity,
    /// The language concerned, if one is.
    pub lang: Option<String>,
    /// The part concerned (1-based), if one is.
    pub part: Option<usize>,
    /// What is wrong, in neutral words.
    pub message: String,
    /// What to write instead, when there is a single answer.
    pub suggestion: Option<String>,
}

/// The result of checking one sign.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignReport {
    /// The sign as given.
    pub sign: String,
    /// The municipality the rules come from (Albanian name), when known.
    pub municipality: Option<String>,
    /// The place the sign names (id), when found.
    pub place: Option<String>,
    /// Its official names.
    pub names: Option<PlaceNames>,
    /// Languages the sign must carry.
    pub required: Vec<String>,
    /// The Serbian script policy applied.
    pub sr_script_policy: SrScriptPolicy,
    /// The parts, in order.
    pub parts: Vec<SignPart>,
    /// The findings.
    pub findings: Vec<SignFinding>,
}

/// Splits a sign's text into its parts: at "/", "|" and line breaks.
///
/// ```
/// assert_eq!(termbridge::audit::sign_parts("Zveçan / Zvečan | Звечан"), ["Zveçan", "Zvečan", "Звечан"]);
/// ```
pub fn sign_parts(sign: &str) -> Vec<String> {
    sign.split(['/', '|', '\n']).map(str::trim).filter(|part| !part.is_empty()).map(str::to_string).collect()
}

impl SignFinding {
    /// A finding of `check`, with the registry's id and severity.
    fn of(check: &dyn Check, lang: Option<String>, part: Option<usize>, message: String, suggestion: Option<String>) -> SignFinding {
        SignFinding { check: check.id(), severity: check.severity(), lang, part, message, suggestion }
    }
}

fn lang_name(tag: LangTag) -> String {
    match tag.script {
        Some(SrScript::Cyrl) => "Serbian (Cyrillic)".into(),
        Some(SrScript::Latn) => "Serbian (Latin)".into(),
        None => tag.lang.english_name().into(),
    }
}

/// Letters that only one of the languages writes, as a hint for telling parts apart.
fn letter_hint(text: &str) -> Option<Lang> {
    if text.contains(['ë', 'Ë']) || text.contains("xh") || text.contains("Xh") {
        return Some(Lang::Sq);
    }
    if text.contains(['ş', 'Ş', 'ğ', 'Ğ', 'ı', 'İ']) {
        return Some(Lang::Tr);
    }
    if text.contains(['č', 'ć', 'š', 'ž', 'đ', 'Č', 'Ć', 'Š', 'Ž', 'Đ']) {
        return Some(Lang::Sr);
    }
    None
}

fn exact_on_sign(part: &str, official: &str) -> bool {
    // Signs are often in capitals: PRISHTINË is the official name.
    part == official || (part.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase) && case_fold(part) == case_fold(official))
}

impl Places {
    fn resolve_municipality(&self, name: &str) -> Result<&Place, PlacesError> {
        let lookup = self.lookup(name);
        lookup
            .candidates
            .iter()
            .filter(|candidate| candidate.kind == PlaceKind::Municipality && candidate.tier != Tier::Fuzzy)
            .find_map(|candidate| self.gazetteer().place(&candidate.id))
            .ok_or_else(|| PlacesError::UnknownMunicipality(name.to_string()))
    }

    /// Checks a sign given as text (parts separated by " / ", "|" or line breaks).
    ///
    /// ```
    /// use termbridge::audit::SignOptions;
    /// use termbridge::places::Places;
    /// let options = SignOptions { municipality: Some("Zveçan".into()), ..SignOptions::default() };
    /// let report = Places::shipped().check_sign("Zveçan / Zvecan", &options).unwrap();
    /// let checks: Vec<&str> = report.findings.iter().map(|finding| finding.check).collect();
    /// assert_eq!(checks, ["place-name", "sign-script", "sign-order"]);
    /// ```
    pub fn check_sign(&self, sign: &str, options: &SignOptions) -> Result<SignReport, PlacesError> {
        let parts: Vec<(Option<LangTag>, String)> = sign_parts(sign).into_iter().map(|part| (None, part)).collect();
        self.check_sign_parts(sign, &parts, options)
    }

    /// Checks a sign given as parts, each with its declared language when known (a name list
    /// with one column per language).
    pub fn check_sign_parts(&self, sign: &str, parts: &[(Option<LangTag>, String)], options: &SignOptions) -> Result<SignReport, PlacesError> {
        let municipality = options.municipality.as_deref().map(|name| self.resolve_municipality(name)).transpose()?;
        let lookups: Vec<Vec<Candidate>> = parts.iter().map(|(_, text)| self.lookup(text).candidates).collect();
        let place = self.sign_place(&lookups, municipality);
        // The rules come from the sign's municipality, else from the place's own.
        let rules_municipality = municipality
            .or_else(|| place.and_then(|place| (place.municipality_ids.len() == 1).then(|| self.gazetteer().place(&place.municipality_ids[0])).flatten()));
        let table_row = rules_municipality.and_then(|municipality| self.gazetteer().municipal_languages(&municipality.id));
        let required: Vec<Lang> = table_row.map_or_else(|| vec![Lang::Sq, Lang::Sr], |row| row.official_langs());
        let policy = options.sr_script.or(table_row.map(|row| row.sr_script_policy)).unwrap_or(SrScriptPolicy::CyrillicRequired);
        let mut findings = Vec::new();
        let sign_parts = self.identify_parts(parts, &lookups, place, &required);
        let part_tags: Vec<Option<LangTag>> = sign_parts.iter().map(|part| part.lang.as_deref().and_then(|tag| LangTag::parse(tag).ok())).collect();

        let Some(place) = place else {
            findings.push(SignFinding::of(&PlaceName, None, None, "no part of the sign is a name in the official list".into(), None));
            return Ok(SignReport {
                sign: sign.to_string(),
                municipality: rules_municipality.map(|municipality| municipality.name_sq.clone()),
                place: None,
                names: None,
                required: required.iter().map(|lang| lang.code().to_string()).collect(),
                sr_script_policy: policy,
                parts: sign_parts,
                findings,
            });
        };

        // S2, S5: each part is the official name, exactly.
        for (idx, part) in sign_parts.iter().enumerate() {
            let candidate = lookups[idx].iter().find(|candidate| candidate.id == place.id);
            let Some(tag) = part_tags[idx] else {
                let other = lookups[idx].first().map(|candidate| format!(" (it names {})", candidate.names.sq)).unwrap_or_default();
                findings.push(SignFinding::of(
                    &PlaceName,
                    None,
                    Some(part.position),
                    format!("{:?} is not a name of {} in the official list{other}", part.text, place.name_sq),
                    None,
                ));
                continue;
            };
            let Some(official) = place.name(tag) else { continue };
            if exact_on_sign(&part.text, official) {
                continue;
            }
            let generated_long_form = candidate.is_some_and(|candidate| {
                candidate.variant_type == VariantType::LongAdministrativeForm && candidate.tier == Tier::Exact && candidate.source.is_none()
            });
            if generated_long_form {
                continue;
            }
            // The other Serbian script, exactly transliterated, is the script check's business.
            if tag.lang == Lang::Sr && part.script == Script::Latn && cyr_to_lat(official) == part.text {
                continue;
            }
            let variant_type = candidate.map_or(VariantType::Misspelling, |candidate| candidate.variant_type);
            findings.push(SignFinding::of(
                &PlaceName,
                Some(tag.to_string()),
                Some(part.position),
                format!(
                    "{:?} is not the form in the official list for {} ({}); official name: {official:?}",
                    part.text,
                    lang_name(tag),
                    variant_type.describe()
                ),
                Some(official.to_string()),
            ));
        }

        // S7: the place lies in the sign's municipality.
        if let Some(municipality) = municipality
            && place.id != municipality.id
            && !place.in_municipality(&municipality.id)
        {
            let actual = municipality_names(self.gazetteer(), place).join(" or ");
            findings.push(SignFinding::of(&PlaceName, None, None, format!("{} is a place in {actual}, not in {}", place.name_sq, municipality.name_sq), None));
        }

        // S1: every required language is on the sign.
        let present = |lang: Lang| part_tags.iter().flatten().any(|tag| tag.lang == lang);
        for &lang in &required {
            if present(lang) {
                continue;
            }
            let tag = match lang {
                Lang::Sr if policy == SrScriptPolicy::LatinAllowed => LangTag::SR_LATN,
                Lang::Sr => LangTag::SR_CYRL,
                _ => LangTag { lang, script: None },
            };
            let suggestion = place.name(tag).map(str::to_string);
            let missing_form = if suggestion.is_none() { "; the gazetteer has no sourced form in this language" } else { "" };
            findings.push(SignFinding::of(
                &SignMissingLanguage,
                Some(tag.to_string()),
                None,
                format!(
                    "{} is an official language in {} and is missing from the sign{missing_form}",
                    lang.english_name(),
                    rules_municipality.map_or_else(|| "Kosovo".to_string(), |municipality| municipality.name_sq.clone())
                ),
                suggestion,
            ));
        }

        // S3, S6: Serbian script policy, mixed scripts, and Cyrillic and Latin agreeing.
        for part in &sign_parts {
            if part.script == Script::Mixed {
                findings.push(SignFinding::of(
                    &SignScript,
                    part.lang.clone(),
                    Some(part.position),
                    format!("{:?} mixes Latin and Cyrillic letters", part.text),
                    None,
                ));
            }
        }
        let serbian: Vec<(usize, LangTag)> =
            part_tags.iter().enumerate().filter_map(|(idx, tag)| tag.filter(|tag| tag.lang == Lang::Sr).map(|tag| (idx, tag))).collect();
        let has_cyrillic = serbian.iter().any(|(_, tag)| tag.script == Some(SrScript::Cyrl));
        let has_latin = serbian.iter().any(|(_, tag)| tag.script == Some(SrScript::Latn));
        let where_ = rules_municipality.map_or_else(|| "here".to_string(), |municipality| format!("in {}", municipality.name_sq));
        if !serbian.is_empty() {
            let missing = match policy {
                SrScriptPolicy::CyrillicRequired if !has_cyrillic => Some((LangTag::SR_CYRL, "Cyrillic")),
                SrScriptPolicy::Both if !has_cyrillic => Some((LangTag::SR_CYRL, "Cyrillic")),
                SrScriptPolicy::Both if !has_latin => Some((LangTag::SR_LATN, "Latin")),
                _ => None,
            };
            if let Some((tag, script_name)) = missing {
                let written = if has_latin { "Latin" } else { "Cyrillic" };
                findings.push(SignFinding::of(&SignScript, Some(tag.to_string()), None, format!(
                        "Serbian is written in {written} script only; the policy {where_} ({}) asks for {script_name} (Law No. 02/L-37 Art. 2: Serbian and its alphabet)",
                        policy.as_str()
                    ), place.name(tag).map(str::to_string)));
            }
        }
        if let (Some(&(cyrillic_idx, _)), Some(&(latin_idx, _))) =
            (serbian.iter().find(|(_, tag)| tag.script == Some(SrScript::Cyrl)), serbian.iter().find(|(_, tag)| tag.script == Some(SrScript::Latn)))
        {
            let cyrillic = &sign_parts[cyrillic_idx].text;
            let latin = &sign_parts[latin_idx].text;
            if !matches!(match_tier(&cyr_to_lat(cyrillic), latin), Some(Tier::Exact | Tier::Case)) {
                findings.push(SignFinding::of(
                    &SignScript,
                    Some("sr".into()),
                    Some(sign_parts[latin_idx].position),
                    format!("the Serbian Cyrillic {cyrillic:?} and Latin {latin:?} do not transliterate into each other"),
                    None,
                ));
            }
        }

        // S4: order.
        if let Some(first) = part_tags.iter().flatten().next() {
            let expected = match options.order {
                OrderRule::MajorityFirst => table_row.and_then(|row| row.majority_lang()),
                OrderRule::LawOrder => required.first().copied(),
                OrderRule::Any => None,
            };
            if let Some(expected) = expected.filter(|expected| *expected != first.lang && present(*expected)) {
                let reason = match options.order {
                    OrderRule::MajorityFirst => {
                        format!("{} has a {} majority; under the rule \"majority language first\"", where_.trim_start_matches("in "), community(expected))
                    }
                    _ => "under the order of Law No. 02/L-37 Art. 2".to_string(),
                };
                findings.push(SignFinding::of(
                    &SignOrder,
                    Some(expected.code().to_string()),
                    None,
                    format!("{reason} {} comes first; here {} does", expected.english_name(), first.lang.english_name()),
                    None,
                ));
            } else if let Some(expected) = expected.filter(|expected| *expected != first.lang) {
                // The first language is missing altogether: S1 already says so; note the order.
                findings.push(SignFinding::of(
                    &SignOrder,
                    Some(expected.code().to_string()),
                    None,
                    format!("under the configured rule {} comes first; it is missing from the sign", expected.english_name()),
                    None,
                ));
            }
        }

        Ok(SignReport {
            sign: sign.to_string(),
            municipality: rules_municipality.map(|municipality| municipality.name_sq.clone()),
            place: Some(place.id.clone()),
            names: Some(names_of(place)),
            required: required.iter().map(|lang| lang.code().to_string()).collect(),
            sr_script_policy: policy,
            parts: sign_parts,
            findings,
        })
    }

    /// The place a sign names: the one most parts resolve to, preferring places in the sign's
    /// municipality, then better ranks.
    fn sign_place(&self, lookups: &[Vec<Candidate>], municipality: Option<&Place>) -> Option<&Place> {
        let mut scores: Vec<(String, usize, usize, bool)> = Vec::new();
        for candidates in lookups {
            for (rank, candidate) in candidates.iter().enumerate() {
                match scores.iter_mut().find(|(id, ..)| *id == candidate.id) {
                    Some(entry) => {
                        entry.1 += 1;
                        entry.2 += rank;
                    }
                    None => scores.push((candidate.id.clone(), 1, rank, candidate.kind == PlaceKind::Municipality)),
                }
            }
        }
        let in_municipality = |id: &str| {
            municipality
                .is_some_and(|municipality| id == municipality.id || self.gazetteer().place(id).is_some_and(|place| place.in_municipality(&municipality.id)))
        };
        scores.sort_by_key(|(id, votes, ranks, is_municipality)| (!in_municipality(id), usize::MAX - votes, *ranks, !is_municipality));
        scores.first().and_then(|(id, ..)| self.gazetteer().place(id))
    }

    /// Identifies the language of each part against the place's official names.
    fn identify_parts(&self, parts: &[(Option<LangTag>, String)], lookups: &[Vec<Candidate>], place: Option<&Place>, required: &[Lang]) -> Vec<SignPart> {
        let mut assigned: Vec<Option<LangTag>> = vec![None; parts.len()];
        let scripts: Vec<Script> = parts.iter().map(|(_, text)| word_script(text)).collect();
        // Candidate languages for each part, best tier first.
        let mut options: Vec<Vec<LangTag>> = Vec::with_capacity(parts.len());
        for (idx, (declared, text)) in parts.iter().enumerate() {
            let script = scripts[idx];
            let serbian_script = if script == Script::Cyrl { SrScript::Cyrl } else { SrScript::Latn };
            if let Some(declared) = declared {
                let tag = if declared.lang == Lang::Sr { LangTag { lang: Lang::Sr, script: Some(serbian_script) } } else { *declared };
                options.push(vec![tag]);
                continue;
            }
            if script == Script::Cyrl {
                options.push(vec![LangTag::SR_CYRL]);
                continue;
            }
            let Some(place) = place else {
                options.push(Vec::new());
                continue;
            };
            let mut by_tier: Vec<(Tier, LangTag)> = [LangTag::SQ, LangTag::SR_LATN, LangTag::TR, LangTag::BS]
                .into_iter()
                .filter_map(|tag| place.name(tag).and_then(|name| match_tier(text, name)).map(|tier| (tier, tag)))
                .collect();
            if by_tier.is_empty() {
                // Not an official name: the language of the variant it matched, if known.
                if let Some(candidate) = lookups[idx].iter().find(|candidate| candidate.id == place.id) {
                    let hinted = letter_hint(text).map(|lang| LangTag { lang, script: None });
                    let tag = hinted.or_else(|| candidate.matched_lang.as_deref().and_then(|tag| LangTag::parse(tag).ok()));
                    let tag = tag.map(|tag| if tag.lang == Lang::Sr { LangTag::SR_LATN } else { tag });
                    options.push(tag.into_iter().collect());
                } else {
                    options.push(Vec::new());
                }
                continue;
            }
            by_tier.sort_by_key(|(tier, _)| *tier);
            let best = by_tier[0].0;
            let mut tied: Vec<LangTag> = by_tier.iter().filter(|(tier, _)| *tier == best).map(|(_, tag)| *tag).collect();
            if let Some(hint) = letter_hint(text) {
                tied.sort_by_key(|tag| tag.lang != hint);
            }
            options.push(tied);
        }
        // Unambiguous parts first, then each ambiguous part takes the first required language
        // not yet on the sign, else its first option.
        for (idx, choices) in options.iter().enumerate() {
            if choices.len() == 1 {
                assigned[idx] = Some(choices[0]);
            }
        }
        for (idx, choices) in options.iter().enumerate() {
            if assigned[idx].is_some() || choices.is_empty() {
                continue;
            }
            let taken = |tag: &LangTag| assigned.iter().flatten().any(|other| other.lang == tag.lang);
            let pick = choices
                .iter()
                .find(|tag| required.contains(&tag.lang) && !taken(tag))
                .or_else(|| choices.iter().find(|tag| !taken(tag)))
                .or_else(|| choices.first())
                .copied();
            assigned[idx] = pick;
        }
        parts
            .iter()
            .enumerate()
            .map(|(idx, (_, text))| SignPart { position: idx + 1, text: text.clone(), lang: assigned[idx].map(|tag| tag.to_string()), script: scripts[idx] })
            .collect()
    }
}

/// The community whose language `lang` is, for messages.
fn community(lang: Lang) -> &'static str {
    match lang {
        Lang::Sq => "Albanian",
        Lang::Sr => "Serb",
        Lang::Tr => "Turkish",
        Lang::Bs => "Bosniak",
        Lang::En => "English-speaking",
    }
}

/// One sign of a CSV batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignRow {
    /// 1-based line of the row in the file.
    pub line: usize,
    /// The row's id (the `id` column, else the line number).
    pub id: String,
    /// The municipality column, if any.
    pub municipality: Option<String>,
    /// The parts with their declared languages, in sign order.
    pub parts: Vec<(Option<LangTag>, String)>,
}

/// Reads a CSV list of signs. Columns: `municipality` (optional), `id` (optional), and either
/// `sign` (the whole text, parts separated by " / ", "|" or line breaks) or one column per
/// language (`sq`, `sr`, `sr-Latn`, `sr-Cyrl`, `tr`, `bs`), with an optional `order` column
/// listing those languages top to bottom (default: column order).
pub fn read_sign_csv(text: &str, file: &str) -> Result<Vec<SignRow>, PlacesError> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers: Vec<String> =
        reader.headers().map_err(|err| PlacesError::invalid(file, 1, err.to_string()))?.iter().map(|header| header.to_lowercase()).collect();
    let column = |name: &str| headers.iter().position(|header| header == name);
    let lang_columns: Vec<(usize, LangTag)> = headers
        .iter()
        .enumerate()
        .filter(|(_, header)| !matches!(header.as_str(), "municipality" | "id" | "sign" | "order"))
        .map(|(idx, header)| LangTag::parse(header).map(|tag| (idx, tag)).map_err(|_| PlacesError::invalid(file, 1, format!("unknown column {header:?}"))))
        .collect::<Result<_, _>>()?;
    let sign_column = column("sign");
    if sign_column.is_none() && lang_columns.is_empty() {
        return Err(PlacesError::invalid(file, 1, "needs a sign column or language columns (sq, sr-Cyrl, sr-Latn, tr, bs)"));
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|err| PlacesError::invalid(file, err.position().map_or(0, |pos| pos.line() as usize), err.to_string()))?;
        let line = record.position().map_or(0, |pos| pos.line() as usize);
        let get = |idx: Option<usize>| idx.and_then(|idx| record.get(idx)).filter(|value| !value.is_empty()).map(str::to_string);
        let mut parts: Vec<(Option<LangTag>, String)> = Vec::new();
        if let Some(sign) = get(sign_column) {
            parts.extend(sign_parts(&sign).into_iter().map(|part| (None, part)));
        }
        let mut by_lang: Vec<(LangTag, String)> = lang_columns.iter().filter_map(|(idx, tag)| get(Some(*idx)).map(|value| (*tag, value))).collect();
        if let Some(order) = get(column("order")) {
            let mut ordered = Vec::new();
            for code in order.split([' ', ',', ';', '>']).filter(|code| !code.is_empty()) {
                let tag = LangTag::parse(code).map_err(|_| PlacesError::invalid(file, line, format!("unknown language {code:?} in order")))?;
                match by_lang.iter().position(|(column_tag, _)| *column_tag == tag) {
                    Some(at) => ordered.push(by_lang.remove(at)),
                    None => return Err(PlacesError::invalid(file, line, format!("order names {code:?} but that column is empty"))),
                }
            }
            ordered.append(&mut by_lang);
            by_lang = ordered;
        }
        parts.extend(by_lang.into_iter().map(|(tag, value)| (Some(tag), value)));
        if parts.is_empty() {
            return Err(PlacesError::invalid(file, line, "the row has no sign text"));
        }
        rows.push(SignRow { line, id: get(column("id")).unwrap_or_else(|| line.to_string()), municipality: get(column("municipality")), parts });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sign_report(sign: &str, municipality: Option<&str>) -> SignReport {
        let options = SignOptions { municipality: municipality.map(str::to_string), ..SignOptions::default() };
        Places::shipped().check_sign(sign, &options).unwrap()
    }

    /// One line per case: sign, municipality, the checks reported in order.
    fn check(sign: &str, municipality: Option<&str>, expected: &[&str]) {
        let report = sign_report(sign, municipality);
        let checks: Vec<&str> = report.findings.iter().map(|finding| finding.check).collect();
        assert_eq!(checks, expected, "{sign}: {:#?}", report.findings);
    }

    #[test]
    fn checks_signs() {
        // The issue's example: missing diacritic, Cyrillic missing, Serbian first in a Serb-majority municipality.
        check("Zveçan / Zvecan", Some("Zveçan"), &["place-name", "sign-script", "sign-order"]);
        check("Звечан / Zvečan / Zveçan", Some("Zveçan"), &[]);
        check("Prishtinë / Приштина / Priština", Some("Prishtinë"), &[]);
        check("Prishtinë / Приштина", Some("Prishtinë"), &[]);
        check("PRISHTINË / ПРИШТИНА", None, &[]);
        check("Prishtinë / Priština", Some("Prishtinë"), &["sign-script"]);
        check("Prishtinë", Some("Prishtinë"), &["sign-missing-language"]);
        check("Приштина / Prishtinë", Some("Prishtinë"), &["sign-order"]);
        check("Besianë / Подујево", Some("Podujevë"), &["place-name"]);
        check("Podujevë / Подујево", Some("Podujevë"), &[]);
        check("Prizren / Призрен / Prizren", Some("Prizren"), &["sign-missing-language"]);
        check("Prizren / Призрен / Prizren / Prizren", Some("Prizren"), &[]);
        check("Mamushë / Мамуша / Mamuša", Some("Mamushë"), &["sign-missing-language", "sign-order"]);
        check("Hani i Elezit / Đeneral Janković / Ђенерал Јанковић", Some("Hani i Elezit"), &["place-name", "place-name"]);
        check("Prizren / Призрен", Some("Pejë"), &["place-name"]);
        // A Cyrillic look-alike letter inside the Latin part.
        check("Звечан / Zvečaп", Some("Zveçan"), &["place-name", "sign-missing-language", "sign-script", "sign-script"]);
        check("Lorem / Ipsum", None, &["place-name"]);
    }

    #[test]
    fn helpers() {
        for (text, expected) in [("Zveçan", None), ("Fushë", Some(Lang::Sq)), ("Zvečan", Some(Lang::Sr)), ("Mamuşa", Some(Lang::Tr)), ("Prizren", None)] {
            assert_eq!(letter_hint(text), expected, "{text}");
        }
        for (part, official, expected) in
            [("PRISHTINË", "Prishtinë", true), ("Prishtinë", "Prishtinë", true), ("prishtinë", "Prishtinë", false), ("Prishtine", "Prishtinë", false)]
        {
            assert_eq!(exact_on_sign(part, official), expected, "{part}");
        }
        assert_eq!(sign_parts(" a /b|\n c \n\n"), ["a", "b", "c"]);
        assert!(sign_parts(" / | ").is_empty());
        assert_eq!(community(Lang::Sr), "Serb");
    }

    #[test]
    fn identifies_parts() {
        let report = sign_report("Zveçan / Zvecan", Some("Zveçan"));
        let langs: Vec<Option<&str>> = report.parts.iter().map(|part| part.lang.as_deref()).collect();
        assert_eq!(langs, [Some("sq"), Some("sr-Latn")]);
        assert_eq!(report.findings[0].suggestion.as_deref(), Some("Zvečan"));
        assert_eq!(report.findings[1].suggestion.as_deref(), Some("Звечан"));
        assert_eq!(report.required, ["sq", "sr"]);
        let report = sign_report("Звечан | Zvečan\nZveçan", None);
        assert_eq!(report.parts.len(), 3);
        assert_eq!(report.municipality.as_deref(), Some("Zveçan"));
    }

    #[test]
    fn policies_and_rules_are_configurable() {
        let options = SignOptions { municipality: Some("Zveçan".into()), sr_script: Some(SrScriptPolicy::LatinAllowed), order: OrderRule::Any };
        let report = Places::shipped().check_sign("Zveçan / Zvečan", &options).unwrap();
        assert!(report.findings.is_empty(), "{:#?}", report.findings);
        let options = SignOptions { municipality: Some("Zveçan".into()), sr_script: Some(SrScriptPolicy::Both), order: OrderRule::LawOrder };
        let report = Places::shipped().check_sign("Звечан / Zveçan", &options).unwrap();
        let checks: Vec<&str> = report.findings.iter().map(|finding| finding.check).collect();
        assert_eq!(checks, ["sign-script", "sign-order"]);
        assert!(matches!(
            Places::shipped().check_sign("X", &SignOptions { municipality: Some("Atlantis".into()), ..SignOptions::default() }),
            Err(PlacesError::UnknownMunicipality(_))
        ));
        assert_eq!(OrderRule::parse("majority_first"), Some(OrderRule::MajorityFirst));
        assert_eq!(OrderRule::parse("sideways"), None);
    }

    /// Golden file: tests/data/places/signs.csv beside signs.expected.tsv (one line per
    /// finding). Set TERMBRIDGE_BLESS=1 to rewrite the expected file, then read the diff.
    #[test]
    fn golden_sign_list() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/places");
        let rows = read_sign_csv(&std::fs::read_to_string(dir.join("signs.csv")).unwrap(), "signs.csv").unwrap();
        let mut rendered = String::from("id\tparts\tcheck\tpart\tlang\tsuggestion\n");
        for row in rows {
            let options = SignOptions { municipality: row.municipality.clone(), ..SignOptions::default() };
            let report = Places::shipped().check_sign_parts("", &row.parts, &options).unwrap();
            let parts: Vec<String> = report.parts.iter().map(|part| format!("{}={}", part.text, part.lang.as_deref().unwrap_or("?"))).collect();
            if report.findings.is_empty() {
                rendered.push_str(&format!("{}\t{}\t-\t\t\t\n", row.id, parts.join(" / ")));
            }
            for finding in &report.findings {
                rendered.push_str(&format!(
                    "{}\t{}\t{}\t{}\t{}\t{}\n",
                    row.id,
                    parts.join(" / "),
                    finding.check,
                    finding.part.map(|part| part.to_string()).unwrap_or_default(),
                    finding.lang.as_deref().unwrap_or_default(),
                    finding.suggestion.as_deref().unwrap_or_default()
                ));
            }
        }
        crate::testing::assert_golden(&dir.join("signs.expected.tsv"), &rendered);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]

        /// Sign checks never panic, and every part is reported.
        #[test]
        fn signs_never_panic(sign in "(\\PC|[/|\n]|Zveçan|Звечан|Prizren|Besianë){0,12}") {
            let report = Places::shipped().check_sign(&sign, &SignOptions::default()).unwrap();
            proptest::prop_assert_eq!(report.parts.len(), sign_parts(&sign).len());
        }
    }

    #[test]
    fn reads_csv_batches() {
        let csv = "id,municipality,sq,sr-Cyrl,sr-Latn,order\ns1,Zveçan,Zveçan,Звечан,Zvečan,sr-Cyrl sr-Latn sq\ns2,Prishtinë,Prishtinë,,Priština,\n";
        let rows = read_sign_csv(csv, "signs.csv").unwrap();
        assert_eq!(rows[0].parts.iter().map(|(tag, _)| tag.unwrap().to_string()).collect::<Vec<_>>(), ["sr-Cyrl", "sr-Latn", "sq"]);
        assert_eq!(rows[1].parts.len(), 2);
        assert_eq!(rows[1].id, "s2");
        let report = Places::shipped()
            .check_sign_parts("", &rows[0].parts, &SignOptions { municipality: rows[0].municipality.clone(), ..SignOptions::default() })
            .unwrap();
        assert!(report.findings.is_empty(), "{:#?}", report.findings);
        let report = Places::shipped()
            .check_sign_parts("", &rows[1].parts, &SignOptions { municipality: rows[1].municipality.clone(), ..SignOptions::default() })
            .unwrap();
        assert_eq!(report.findings.iter().map(|finding| finding.check).collect::<Vec<_>>(), ["sign-script"]);
        for (bad, expected) in [
            ("municipality,klingon\nX,Y\n", "unknown column \"klingon\""),
            ("municipality\nX\n", "needs a sign column"),
            ("sq,order\nPejë,sr\n", "order names \"sr\""),
            ("id,sq\n1,\n", "no sign text"),
        ] {
            let err = read_sign_csv(bad, "signs.csv").unwrap_err().to_string();
            assert!(err.contains(expected) && err.starts_with("signs.csv:"), "{bad}: {err}");
        }
    }
}
