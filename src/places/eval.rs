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

/// The hand-written inflection table, one row a municipality: (sq, sr-Latn, sq genitive,
/// sr locative, sr genitive).
fn inflection_rows() -> Result<Vec<[&'static str; 5]>, PlacesError> {
    let mut rows = Vec::new();
    for (line_idx, line) in MUNICIPALITY_INFLECTIONS_TSV.lines().enumerate() {
        if line.starts_with('#') || line.starts_with("name_sq\t") || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [sq, sr, sq_gen, sr_loc, sr_gen] = fields[..] else {
            return Err(PlacesError::invalid("municipality_inflections.tsv", line_idx + 1, "expected 5 fields"));
        };
        rows.push([sq, sr, sq_gen, sr_loc, sr_gen]);
    }
    Ok(rows)
}

/// The names of a municipality that are not official but name it (unofficial, former and
/// other-state names), by language: (sq names, sr-Latn names).
fn unofficial_names(gazetteer: &Gazetteer, place_id: &str) -> (Vec<String>, Vec<String>) {
    let mut sq = Vec::new();
    let mut sr = Vec::new();
    for variant in gazetteer.variants().iter().filter(|variant| variant.entity == place_id) {
        if !matches!(variant.variant_type, VariantType::UnofficialAlternative | VariantType::FormerOrOtherStateName) || variant.variant.contains(' ') {
            continue;
        }
        if variant.variant.chars().any(|c| c.is_control()) {
            continue;
        }
        match variant.lang.as_str() {
            "sq" if !sq.contains(&variant.variant) => sq.push(variant.variant.clone()),
            "sr-Latn" if !sr.contains(&variant.variant) => sr.push(variant.variant.clone()),
            _ => {}
        }
    }
    (sq, sr)
}

/// The phrase evaluation set: the 38 municipalities (and every 25th settlement) inside
/// phrases people type in a search box, in English, Albanian and Serbian in both scripts,
/// with the inflected forms of the hand-written table and the unofficial names of the sourced
/// variants. Its templates are written here for measuring; the phrase words of the lookup
/// were tuned on the separate list of `resolve.rs`'s tests.
pub fn phrase_cases(gazetteer: &Gazetteer) -> Result<Vec<EvalCase>, PlacesError> {
    let mut cases: Vec<EvalCase> = Vec::new();
    let mut add = |query: String, sq: &str, sr: &str, class: &str| {
        if !cases.iter().any(|case| case.query == query) {
            cases.push(EvalCase { query, expected_sq: sq.into(), expected_sr_latn: sr.into(), variant_type: class.into() });
        }
    };
    for [sq, sr, sq_gen, sr_loc, sr_gen] in inflection_rows()? {
        let Some(place) = gazetteer.municipalities().find(|place| place.name_sq == sq && place.name_sr_latn == sr) else { continue };
        for template in ["Municipality of {}", "{} Municipality", "{}, Kosovo", "in {}", "near {}", "the town of {}", "{} (Kosovo)", "{}, Republic of Kosovo"] {
            add(template.replace("{}", sq), sq, sr, "en");
        }
        add(format!("{sr}, Kosovo"), sq, sr, "en");
        add(format!("from {sr}"), sq, sr, "en");
        for template in ["Komuna e {}", "banorët e {}", "qytetarët e {}", "Kuvendi i Komunës së {}", "kryetari i komunës së {}"] {
            add(template.replace("{}", sq_gen), sq, sr, "sq");
        }
        for template in ["nga {}", "në {}, Kosovë", "{}, Kosovë", "komuna {}"] {
            add(template.replace("{}", sq), sq, sr, "sq");
        }
        let sr_phrases = [
            format!("Opština {sr}"),
            format!("u opštini {sr}"),
            format!("u {sr_loc}"),
            format!("iz {sr_gen}"),
            format!("stanovnici {sr_gen}"),
            format!("grad {sr}"),
            format!("{sr} opština"),
            format!("{sr}, Kosovo"),
        ];
        for phrase in &sr_phrases {
            add(phrase.clone(), sq, sr, "sr_latn");
            add(lat_to_cyr(phrase).into_owned(), sq, sr, "sr_cyrl");
        }
        let (sq_other, sr_other) = unofficial_names(gazetteer, &place.id);
        for name in sq_other {
            add(format!("Municipality of {name}"), sq, sr, "unofficial_name");
            add(format!("{name}, Kosovo"), sq, sr, "unofficial_name");
            add(
                format!(
                    "banorët e {}",
                    super::inflect::inflect_name(&name, super::inflect::NameCase::Genitive, crate::model::lang::Lang::Sq).unwrap_or(name.clone())
                ),
                sq,
                sr,
                "unofficial_name",
            );
        }
        for name in sr_other {
            add(format!("opština {name}"), sq, sr, "unofficial_name");
            add(format!("in {name}"), sq, sr, "unofficial_name");
        }
    }
    // Settlements: every 25th, with a village word, where the name is unique.
    let settlements: Vec<_> = gazetteer.places().iter().filter(|place| place.kind == PlaceKind::Settlement && place.disambiguation.is_empty()).collect();
    for place in settlements.iter().step_by(25) {
        let unique = gazetteer.places().iter().filter(|other| other.name_sq == place.name_sq || other.name_sr_latn == place.name_sr_latn).count() == 1;
        if !unique {
            continue;
        }
        let (sq, sr) = (place.name_sq.as_str(), place.name_sr_latn.as_str());
        add(format!("village of {sq}"), sq, sr, "settlement");
        add(format!("fshati {sq}"), sq, sr, "settlement");
        add(format!("selo {sr}"), sq, sr, "settlement");
        add(format!("{sr}, Kosovo"), sq, sr, "settlement");
    }
    Ok(cases)
}

/// One generated inflected unofficial name in a sentence, with the suggestion expected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SuggestionCase {
    /// The sentence.
    pub text: String,
    /// Its language.
    pub lang: String,
    /// The name as written in it.
    pub written: String,
    /// The suggestion expected (from the hand-written inflection table); the written name
    /// itself when the right outcome is no finding (the name is also the official name of a
    /// place that exists today, as "Mitrovica" of the city).
    pub expected: String,
    /// When the right answer is a choice (a name of the undivided pre-2013 Mitrovicë after
    /// "Komuna e"): the forms to offer, in the written case; `expected` is then unused.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<String>,
    /// What kind of case it is.
    pub class: String,
}

/// The result of the suggestion evaluation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SuggestionReport {
    /// All cases (`top1`: the outcome is the expected one; `found`: a finding was made, or
    /// none was, where none is right).
    pub overall: Score,
    /// Per class.
    pub by_class: BTreeMap<String, Score>,
    /// Cases whose suggestion was not the expected one: (written, expected sentence, sentence
    /// with the suggestions applied).
    pub misses: Vec<(String, String, String)>,
}

/// The generated set of inflected non-official names: Albanian unofficial and former names in
/// the genitive ("Kuvendi i Komunës së Besianës"), the Albanian names with Serbian locative and
/// genitive endings ("u Ferizaju", "iz Ferizaja") and Serbian former names inflected, in both
/// scripts. The expected suggestion is the hand-written inflection of the official name.
///
/// A name of the undivided pre-2013 Mitrovicë (class `pre_2013_undivided`) has no single right
/// suggestion: after "Komunës së" both successors are expected, offered in the genitive; in
/// "u Mitrovici" the name is the official Serbian name of the city of Mitrovicë, so the right
/// outcome there is no finding.
pub fn suggestion_cases(gazetteer: &Gazetteer) -> Result<Vec<SuggestionCase>, PlacesError> {
    use super::inflect::{NameCase, inflect_name};
    use crate::model::lang::Lang;
    let rows = inflection_rows()?;
    let mut cases: Vec<SuggestionCase> = Vec::new();
    let mut add = |text: String, lang: &str, written: String, expected: &str, alternatives: Vec<String>, class: &str| {
        if written.is_empty() || cases.iter().any(|case| case.text == text) {
            return;
        }
        cases.push(SuggestionCase { text, lang: lang.into(), written, expected: expected.into(), alternatives, class: class.into() });
    };
    // The successors of a name of the undivided Mitrovicë, by their table row.
    let split_successors = |name: &str| -> Vec<[&'static str; 5]> {
        gazetteer
            .history()
            .iter()
            .filter(|former| former.change == super::history::NameChange::Split && former.name == name)
            .filter_map(|former| gazetteer.place(&former.entity))
            .filter_map(|place| rows.iter().find(|row| row[0] == place.name_sq).copied())
            .collect()
    };
    // True when a name is the official name of some place in that language.
    let official_somewhere = |name: &str, lang: Lang| {
        gazetteer.places().iter().any(|place| match lang {
            Lang::Sq => place.name_sq == name,
            _ => place.name_sr_latn == name,
        })
    };
    for &[sq, sr, sq_gen, sr_loc, sr_gen] in &rows {
        let Some(place) = gazetteer.municipalities().find(|place| place.name_sq == sq && place.name_sr_latn == sr) else { continue };
        let (sq_other, sr_other) = unofficial_names(gazetteer, &place.id);
        // Albanian text: the Serbian name and the unofficial names, in the genitive.
        let mut sq_names = sq_other.clone();
        if sr != sq {
            sq_names.push(sr.to_string());
        }
        for name in &sq_names {
            // Names already in a definite form (Besiana, Deçani) and multi-word names are left out.
            if name.ends_with('a') || name.ends_with('i') || name.contains(' ') {
                continue;
            }
            let Some(genitive) = inflect_name(name, NameCase::Genitive, Lang::Sq) else { continue };
            let successors = split_successors(name);
            let text = format!("Kuvendi i Komunës së {genitive} u mblodh sot.");
            if successors.len() > 1 {
                let alternatives = successors.iter().map(|row| row[2].to_string()).collect();
                add(text, "sq", genitive, sq_gen, alternatives, "pre_2013_undivided");
            } else {
                add(text, "sq", genitive, sq_gen, Vec::new(), "sq_genitive");
            }
        }
        // Serbian text: the Albanian name and the Serbian former names, in the locative and
        // genitive, in both scripts.
        let mut sr_names = sr_other.clone();
        if sr != sq {
            sr_names.push(sq.to_string());
        }
        for name in &sr_names {
            // Serbian text writes a foreign name with its own letters; a name ending in ë or
            // holding Albanian letters takes no Serbian ending as such.
            if name.contains(' ') || name.ends_with('ë') || name.chars().any(|c| "ëçqxyw".contains(c.to_lowercase().next().unwrap_or(c))) {
                continue;
            }
            // A pre-2013 name that is also the official name of a place today (the city of
            // Mitrovica) is right as written when nothing says it means the municipality.
            let undivided = split_successors(name).len() > 1;
            let keep = undivided && official_somewhere(name, Lang::Sr);
            for (case, expected, preposition, class) in [(NameCase::Locative, sr_loc, "u", "sr_locative"), (NameCase::Genitive, sr_gen, "iz", "sr_genitive")] {
                let Some(form) = inflect_name(name, case, Lang::Sr) else { continue };
                if form == expected {
                    continue;
                }
                let (expected, class) =
                    if undivided { (if keep { form.as_str() } else { expected }, "pre_2013_undivided".to_string()) } else { (expected, class.to_string()) };
                add(format!("Delegacija je stigla {preposition} {form} juče."), "sr-Latn", form.clone(), expected, Vec::new(), &class);
                // In Cyrillic text; a name transliteration keeps in Latin expects a Latin form.
                let cyrl = lat_to_cyr(&format!("Delegacija je stigla {preposition} {form} juče.")).into_owned();
                let written = lat_to_cyr(&form).into_owned();
                let expected = if written == form { expected.to_string() } else { lat_to_cyr(expected).into_owned() };
                let class = if undivided { class } else { format!("{class}_cyrl") };
                add(cyrl, "sr-Cyrl", written, &expected, Vec::new(), &class);
            }
        }
    }
    Ok(cases)
}

/// Runs the place-name check on every case and scores the suggestions.
pub fn evaluate_suggestions(places: &Places, cases: &[SuggestionCase]) -> SuggestionReport {
    let mut overall = Score::default();
    let mut by_class: BTreeMap<String, Score> = BTreeMap::new();
    let mut misses = Vec::new();
    for case in cases {
        let lang = crate::model::lang::LangTag::parse(&case.lang).unwrap_or(crate::model::lang::LangTag::SQ);
        // Every finding's suggestion applied; right when the sentence becomes the one with the
        // expected form in place of the written one.
        let findings = places.check_text(&case.text, lang);
        let mut fixed = case.text.clone();
        for finding in findings.iter().rev() {
            if let Some(suggestion) = &finding.suggestion {
                fixed.replace_range(finding.start..finding.end, suggestion);
            }
        }
        let expected = case.text.replacen(&case.written, &case.expected, 1);
        let (right, got) = if case.alternatives.is_empty() {
            (fixed == expected, fixed)
        } else {
            // Right when the name is reported with no single suggestion and exactly the
            // expected choice offered.
            let at = case.text.find(&case.written);
            let offered = findings.iter().find(|finding| Some(finding.start) <= at && at.is_some_and(|at| at < finding.end));
            let mut want = case.alternatives.clone();
            want.sort();
            let mut got = offered.map(|finding| finding.alternatives.clone()).unwrap_or_default();
            got.sort();
            let right = offered.is_some_and(|finding| finding.suggestion.is_none()) && got == want;
            (right, format!("{} [offered: {}]", case.text, got.join(" | ")))
        };
        let no_finding_expected = case.alternatives.is_empty() && case.expected == case.written;
        let class = by_class.entry(case.class.clone()).or_default();
        for score in [&mut overall, class] {
            score.cases += 1;
            score.found += usize::from(!findings.is_empty() || (no_finding_expected && right));
            score.top1 += usize::from(right);
        }
        if !right {
            let expected = if case.alternatives.is_empty() { expected } else { format!("{} [offer: {}]", case.text, case.alternatives.join(" | ")) };
            misses.push((case.written.clone(), expected, got));
        }
    }
    SuggestionReport { overall, by_class, misses }
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

    /// The phrase figure (issue 18 asks ≥ 97 % top-1) and the inflected suggestions (≥ 95 %).
    #[test]
    fn phrases_and_suggestions() {
        let cases = phrase_cases(Gazetteer::shipped()).unwrap();
        assert!(cases.len() > 38 * 30, "{}", cases.len());
        let report = evaluate(Places::shipped(), &cases);
        assert!(report.overall.top1_rate() >= 0.97, "{:.3}: {:#?}", report.overall.top1_rate(), report.misses);
        let cases = suggestion_cases(Gazetteer::shipped()).unwrap();
        assert!(cases.len() > 100, "{}", cases.len());
        let report = evaluate_suggestions(Places::shipped(), &cases);
        // The figure for BENCHMARKS.md (run with --nocapture).
        for (class, score) in std::iter::once(("overall", &report.overall)).chain(report.by_class.iter().map(|(class, score)| (class.as_str(), score))) {
            println!("| {class} | {} | {} | {} | {:.1} |", score.cases, score.found, score.top1, 100.0 * score.top1_rate());
        }
        // Right over every generated case (the goal is 95 %).
        assert!(report.overall.top1_rate() >= 0.95, "{:.3}: {:#?}", report.overall.top1_rate(), report.misses);
        let right_of_found = report.overall.top1 as f64 / report.overall.found.max(1) as f64;
        assert!(right_of_found >= 0.95, "{right_of_found:.3}: {:#?}", report.misses);
        // The undivided Mitrovicë: both successors offered after "Komunës së", the city's
        // official name left alone elsewhere; the former name Gllogoc in the genitive.
        assert_eq!(report.by_class["pre_2013_undivided"].top1, report.by_class["pre_2013_undivided"].cases, "{:#?}", report.misses);
        assert!(!report.misses.iter().any(|(written, _, _)| written.starts_with("Gllogo")), "{:#?}", report.misses);
    }

    /// The municipality figure the issue asks for (≥ 99 % top-1) on the synthetic set.
    #[test]
    fn municipalities_resolve() {
        let cases = synthetic_municipality_cases(Gazetteer::shipped()).unwrap();
        let report = evaluate(Places::shipped(), &cases);
        assert!(report.municipalities.top1_rate() >= 0.99, "{:.3}: {:#?}", report.municipalities.top1_rate(), report.misses);
    }
}
