//! Context matches and penalties: what a translator's CAT tool adds to the edit-distance score.
//!
//! A 100 % match whose stored context (PO `msgctxt`, XLIFF `resname`, TMX `tuid` …) equals
//! the query's is a context match (101); when the stored unit's neighbouring source segments
//! also equal the query's, 102. Penalties take points off for what makes a stored translation
//! less trustworthy than its score says: a unit from automatic alignment, a source stored
//! with several different translations, an unreviewed translation (PO `fuzzy`, an XLIFF
//! `state` that is not final), an old one, placeholders or markup that differ from the
//! query's. The hits are then ordered by the penalised score.
//!
//! What it does not do: read the configuration file (the opened data directory does), or
//! count the translations of a source beyond the hits it is given.

use serde::{Deserialize, Serialize};

use crate::model::TranslationUnit;

/// Points taken off a hit's score, each configurable (`[penalties]` in the data directory's
/// `tm.toml`); 0 turns a penalty off.
///
/// ```toml
/// [penalties]
/// alignment = 2     # the unit comes from automatic alignment (termbridge align)
/// variants = 1      # the source is stored with several different translations
/// unreviewed = 5    # PO fuzzy, XLIFF state other than final/translated/reviewed/signed-off
/// age = 1           # the unit was last changed more than age_years ago
/// age_years = 5
/// tags = 1          # placeholders or markup differ between the query and the source
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Penalties {
    /// Points for a unit from automatic alignment.
    pub alignment: f64,
    /// Points for each of several different translations of one source.
    pub variants: f64,
    /// Points for an unreviewed translation.
    pub unreviewed: f64,
    /// Points for a unit older than [`Penalties::age_years`].
    pub age: f64,
    /// How many years old a unit must be for the age penalty.
    pub age_years: u32,
    /// Points for placeholders or markup that differ between the query and the source.
    pub tags: f64,
}

impl Default for Penalties {
    fn default() -> Penalties {
        Penalties { alignment: 2.0, variants: 1.0, unreviewed: 5.0, age: 1.0, age_years: 5, tags: 1.0 }
    }
}

impl Penalties {
    /// No penalty at all.
    pub fn none() -> Penalties {
        Penalties { alignment: 0.0, variants: 0.0, unreviewed: 0.0, age: 0.0, age_years: 0, tags: 0.0 }
    }
}

/// What a penalty is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PenaltyKind {
    /// The unit comes from automatic alignment.
    Alignment,
    /// The source is stored with several different translations.
    Variants,
    /// The translation is not reviewed.
    Unreviewed,
    /// The unit is old.
    Age,
    /// Placeholders or markup differ.
    Tags,
}

impl PenaltyKind {
    /// The kind's name as JSON writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            PenaltyKind::Alignment => "alignment",
            PenaltyKind::Variants => "variants",
            PenaltyKind::Unreviewed => "unreviewed",
            PenaltyKind::Age => "age",
            PenaltyKind::Tags => "tags",
        }
    }
}

/// Points taken off one hit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Penalty {
    /// What for.
    pub kind: PenaltyKind,
    /// How many points.
    pub points: f64,
}

/// Where the query stands in its document: its context (a PO `msgctxt`, a resource name) and
/// the source segments before and after it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MatchContext {
    /// The query's context.
    pub context: Option<String>,
    /// The source segment before the query.
    pub prev: Option<String>,
    /// The source segment after the query.
    pub next: Option<String>,
}

impl MatchContext {
    /// True when nothing is given.
    pub fn is_empty(&self) -> bool {
        self.context.is_none() && self.prev.is_none() && self.next.is_none()
    }
}

/// The context score of a 100 % match of `unit`: 102 when the query's neighbours are both
/// given and equal the unit's (and its context, if given, too), 101 when the query's context
/// equals the unit's, `None` otherwise.
pub fn context_score(unit: &TranslationUnit, query: &MatchContext) -> Option<f64> {
    let same = |given: &Option<String>, stored: Option<&str>| match (given, stored) {
        (Some(given), Some(stored)) => same_segment(given, stored),
        _ => false,
    };
    let same_neighbour = |given: &Option<String>, stored: Option<&str>| match (given, stored) {
        (Some(given), Some(stored)) => crate::model::same_neighbour(given, stored),
        _ => false,
    };
    let context_given = query.context.is_some();
    let same_context = same(&query.context, unit.context());
    let (prev, next) = unit.neighbours();
    if same_neighbour(&query.prev, prev) && same_neighbour(&query.next, next) && (!context_given || same_context) {
        return Some(102.0);
    }
    same_context.then_some(101.0)
}

/// Two segments are the same when equal after NFC with outer whitespace set aside.
fn same_segment(a: &str, b: &str) -> bool {
    crate::text::nfc(a.trim()) == crate::text::nfc(b.trim())
}

/// Property that marks a unit of automatic alignment (`termbridge align` writes it).
const ALIGNMENT_PROP: &str = "align:lines";

/// XLIFF states of a reviewed translation (XLIFF 1.2 `state`: final, translated, signed-off;
/// XLIFF 2 `state`: translated, reviewed, final).
const REVIEWED_STATES: &[&str] = &["final", "translated", "signed-off", "reviewed"];

/// The penalties of `unit` itself, matched in its variant `matched` for `query`: alignment,
/// review status, age (`today` as `YYYYMMDD`) and tags. The penalty for several translations
/// needs the other hits: [`penalise_variants`].
pub fn unit_penalties(unit: &TranslationUnit, matched: usize, query: &str, penalties: &Penalties, today: u64) -> Vec<Penalty> {
    let mut found = Vec::new();
    let mut add = |kind: PenaltyKind, points: f64| {
        if points > 0.0 {
            found.push(Penalty { kind, points });
        }
    };
    if unit.props.contains_key(ALIGNMENT_PROP) {
        add(PenaltyKind::Alignment, penalties.alignment);
    }
    let fuzzy = unit.props.get("fuzzy").is_some_and(|value| value == "yes");
    let unreviewed_state = unit.variants.iter().filter_map(|variant| variant.props.get("state")).any(|state| !REVIEWED_STATES.contains(&state.as_str()));
    if fuzzy || unreviewed_state {
        add(PenaltyKind::Unreviewed, penalties.unreviewed);
    }
    if penalties.age_years > 0 && is_older(unit, penalties.age_years, today) {
        add(PenaltyKind::Age, penalties.age);
    }
    if let Some(source) = unit.variants.get(matched)
        && tags_differ(query, source)
    {
        add(PenaltyKind::Tags, penalties.tags);
    }
    found
}

/// True when the unit's change (else creation) date is more than `years` before `today`
/// (`YYYYMMDD`); a unit without a date is not old.
fn is_older(unit: &TranslationUnit, years: u32, today: u64) -> bool {
    let Some(date) = unit.changed.as_deref().or(unit.created.as_deref()) else { return false };
    let digits: String = date.chars().filter(char::is_ascii_digit).take(8).collect();
    if digits.len() < 4 {
        return false;
    }
    let Ok(day) = format!("{digits:0<8}").parse::<u64>() else { return false };
    day < today.saturating_sub(u64::from(years) * 10_000)
}

/// Today as `YYYYMMDD` (UTC), from the system clock.
pub fn today() -> u64 {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |elapsed| elapsed.as_secs());
    let (year, month, day) = civil_from_days((secs / 86_400) as i64);
    (year as u64) * 10_000 + u64::from(month) * 100 + u64::from(day)
}

/// The proleptic Gregorian date of a day counted from 1970-01-01 (H. Hinnant's
/// `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// True when the query and a stored source differ in their placeholders (printf `%s`,
/// `%1$d`, `%(name)s`, `{0}`, `{name}`, Qt `%1`) or markup (tags written in the text, by name,
/// and the source's inline tags, by their native code), compared as multisets of keys
/// (`memory::tags`); the words around them are the edit distance's business.
fn tags_differ(query: &str, source: &crate::model::Variant) -> bool {
    super::tags::tag_keys(query, &[]) != super::tags::tag_keys(&source.text, &source.inline)
}

/// Adds the penalty for several translations to every hit whose source (same text and
/// target language) is stored with more than one different translation among `hits`: each
/// hit given as (source, target language, target).
pub fn penalise_variants<'h>(hits: impl IntoIterator<Item = (&'h str, Option<String>, Option<&'h str>, &'h mut Vec<Penalty>)>, penalties: &Penalties) {
    if penalties.variants <= 0.0 {
        return;
    }
    let hits: Vec<_> = hits.into_iter().collect();
    let mut targets: std::collections::HashMap<(&str, Option<String>), std::collections::HashSet<&str>> = std::collections::HashMap::new();
    for (source, lang, target, _) in &hits {
        if let Some(target) = target {
            targets.entry((*source, lang.clone())).or_default().insert(*target);
        }
    }
    for (source, lang, target, found) in hits {
        if target.is_some() && targets.get(&(source, lang)).is_some_and(|distinct| distinct.len() > 1) {
            found.push(Penalty { kind: PenaltyKind::Variants, points: penalties.variants });
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::model::Variant;
    use crate::model::lang::LangTag;

    fn unit(props: &[(&str, &str)]) -> TranslationUnit {
        TranslationUnit {
            id: "1".into(),
            collection: "default".into(),
            variants: vec![Variant::new(LangTag::EN, "Close %s"), Variant::new(LangTag::SQ, "Mbyll %s")],
            props: props.iter().map(|(key, value)| (key.to_string(), value.to_string())).collect(),
            notes: Vec::new(),
            created: None,
            changed: None,
        }
    }

    fn kinds(found: &[Penalty]) -> Vec<&'static str> {
        found.iter().map(|penalty| penalty.kind.as_str()).collect()
    }

    #[test]
    fn context_scores() {
        let stored = unit(&[("x-context", "menu"), ("x-context-prev", "File"), ("x-context-next", "Save")]);
        let ask = |context: Option<&str>, prev: Option<&str>, next: Option<&str>| {
            context_score(&stored, &MatchContext { context: context.map(Into::into), prev: prev.map(Into::into), next: next.map(Into::into) })
        };
        assert_eq!(ask(Some("menu"), None, None), Some(101.0));
        assert_eq!(ask(Some("door"), None, None), None);
        assert_eq!(ask(Some("menu"), Some("File"), Some("Save")), Some(102.0));
        assert_eq!(ask(None, Some("File "), Some("Save")), Some(102.0));
        assert_eq!(ask(Some("menu"), Some("File"), Some("Quit")), Some(101.0));
        assert_eq!(ask(Some("door"), Some("File"), Some("Save")), None);
        assert_eq!(ask(None, Some("File"), None), None);
        assert_eq!(ask(None, None, None), None);
    }

    #[test]
    fn unit_penalties_by_kind() {
        let penalties = Penalties::default();
        let today = 20261207;
        for (props, query, expected) in [
            (vec![], "Close %s", vec![]),
            (vec![("align:lines", "3-3")], "Close %s", vec!["alignment"]),
            (vec![("fuzzy", "yes")], "Close %s", vec!["unreviewed"]),
            (vec![], "Close %d", vec!["tags"]),
            (vec![], "Close <b>%s</b>", vec!["tags"]),
            (vec![], "Close it", vec!["tags"]),
        ] {
            let found = unit_penalties(&unit(&props), 0, query, &penalties, today);
            assert_eq!(kinds(&found), expected, "{props:?} {query}");
        }
        let mut old = unit(&[]);
        old.changed = Some("20150301T120000Z".into());
        assert_eq!(kinds(&unit_penalties(&old, 0, "Close %s", &penalties, today)), ["age"]);
        old.changed = Some("2024-01-31".into());
        assert!(unit_penalties(&old, 0, "Close %s", &penalties, today).is_empty());
        let mut states = unit(&[]);
        for (state, expected) in [
            ("final", vec![]),
            ("translated", vec![]),
            ("signed-off", vec![]),
            ("needs-review-translation", vec!["unreviewed"]),
            ("initial", vec!["unreviewed"]),
        ] {
            states.variants[1].props = BTreeMap::from([("state".to_string(), state.to_string())]);
            assert_eq!(kinds(&unit_penalties(&states, 0, "Close %s", &penalties, today)), expected, "{state}");
        }
        assert!(unit_penalties(&unit(&[("fuzzy", "yes"), ("align:lines", "1-1")]), 0, "Close", &Penalties::none(), today).is_empty());
    }

    #[test]
    fn tags_by_their_keys() {
        let variant = |text: &str, inline: Vec<crate::model::InlineTag>| Variant { inline, ..Variant::new(LangTag::EN, text) };
        let tag = |offset: usize, kind: &str, content: &str| crate::model::InlineTag { offset, kind: kind.into(), attrs: Vec::new(), content: content.into() };
        for (query, source, differ) in [
            ("Close %s now", variant("Close %s", vec![]), false),
            ("%2$s of %1$s", variant("%1$s of %2$s", vec![]), false),
            ("Close %s", variant("Close %d", vec![]), true),
            ("Click <b>here</b>", variant("Click <i>here</i>", vec![]), true),
            ("Click <b>here</b>", variant("Click <b class=\"x\">here</b>", vec![]), false),
            ("Click here", variant("Click <b>here</b>", vec![]), true),
            // A TMX source's inline tags, by their native code.
            ("Click here", variant("Click here", vec![tag(6, "bpt", "<b>"), tag(10, "ept", "</b>")]), true),
            ("Click <b>here</b>", variant("Click here", vec![tag(6, "bpt", "<b>"), tag(10, "ept", "</b>")]), false),
            ("Click <b>here</b>", variant("Click here", vec![tag(6, "g", ""), tag(10, "/g", "")]), true),
            ("Shkalla 100%, a < b", variant("Shkalla 90%, a < b", vec![]), false),
        ] {
            assert_eq!(tags_differ(query, &source), differ, "{query} / {source:?}");
        }
    }

    #[test]
    fn several_translations_of_one_source() {
        let mut a = Vec::new();
        let mut b = Vec::new();
        let mut c = Vec::new();
        penalise_variants(
            [
                ("Open", Some("sq".to_string()), Some("Hap"), &mut a),
                ("Open", Some("sq".to_string()), Some("E hapur"), &mut b),
                ("Close", Some("sq".to_string()), Some("Mbyll"), &mut c),
            ],
            &Penalties::default(),
        );
        assert_eq!((kinds(&a), kinds(&b), kinds(&c)), (vec!["variants"], vec!["variants"], vec![]));
    }

    #[test]
    fn the_calendar() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_794), (2026, 12, 7));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }
}
