//! The starter term base shipped in the binary: `glossaries/kosovo/terms.csv` (long-form
//! CSV, one row per term, every row with its source; provenance in
//! `glossaries/kosovo/TERMS-PROVENANCE.md`), loaded into an empty store on first use.
//!
//! The file holds Serbian in the script(s) the sources used; the other script is derived
//! when the file is read and marked as such, never written back into the file.

use super::csv::parse_csv;
use super::error::TermbaseError;
use crate::model::{Concept, ConceptWriteSummary};
use crate::store::Store;

/// The shipped term base, as CSV.
pub const SHIPPED_CSV: &str = include_str!("../../glossaries/kosovo/terms.csv");

/// The path of the shipped file in the source tree, as messages name it.
pub const SHIPPED_PATH: &str = "glossaries/kosovo/terms.csv";

/// The concepts of the shipped term base, with derived Serbian scripts.
pub fn shipped_concepts() -> Result<Vec<Concept>, TermbaseError> {
    parse_csv(SHIPPED_CSV, SHIPPED_PATH).map(|imported| imported.concepts).map_err(|err| TermbaseError::Shipped(err.to_string()))
}

/// Loads the shipped term base into `store` when it holds no concept yet, and does nothing
/// otherwise; safe to call on every start. Returns what was written, or `None` when the store
/// already had concepts.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let store = termbridge::store::Store::open(dir.path()).unwrap();
/// assert!(termbridge::termbase::load_shipped(&store).unwrap().is_some());
/// assert!(termbridge::termbase::load_shipped(&store).unwrap().is_none());
/// ```
pub fn load_shipped(store: &Store) -> Result<Option<ConceptWriteSummary>, TermbaseError> {
    if store.concept_count()? > 0 {
        return Ok(None);
    }
    let concepts = shipped_concepts()?;
    Ok(store.put_concepts_if_empty(&concepts)?)
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;
    use crate::model::TermStatus;
    use crate::model::lang::{Lang, LangTag};
    use crate::text::{self, Tier};

    /// The shipped file as raw rows: (line, fields by header name).
    fn raw_rows() -> Vec<(usize, BTreeMap<String, String>)> {
        let mut reader = ::csv::ReaderBuilder::new().from_reader(SHIPPED_CSV.as_bytes());
        let header: Vec<String> = reader.headers().expect("header").iter().map(str::to_string).collect();
        assert_eq!(header, ["concept_id", "subject", "lang", "term", "status", "pos", "note", "source"], "the documented long-form header");
        reader
            .records()
            .map(|record| {
                let record = record.expect("well-formed CSV");
                let line = record.position().map_or(0, |position| position.line() as usize);
                (line, header.iter().cloned().zip(record.iter().map(str::to_string)).collect())
            })
            .collect()
    }

    #[test]
    fn every_field_is_clean_nfc_text() {
        for (line, row) in raw_rows() {
            for (column, value) in &row {
                assert_eq!(text::nfc(value), value.as_str(), "line {line}: {column} is not NFC");
                assert_eq!(value.trim(), value, "line {line}: {column} has surrounding spaces");
                assert!(
                    !value.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c) || c == '\u{D0}' || c == '\u{F0}'),
                    "line {line}: {column} holds a C1 control or an eth"
                );
                assert!(!crate::text::mojibake::looks_damaged(value), "line {line}: {column} looks like mojibake: {value}");
            }
        }
    }

    #[test]
    fn every_row_has_a_source_a_known_status_and_a_canonical_tag() {
        for (line, row) in raw_rows() {
            assert!(!row["source"].is_empty(), "line {line}: no source");
            assert!(TermStatus::parse(&row["status"]).is_some(), "line {line}: status {:?}", row["status"]);
            let tag = LangTag::parse(&row["lang"]).unwrap_or_else(|_| panic!("line {line}: language {:?}", row["lang"]));
            assert_eq!(tag.to_string(), row["lang"], "line {line}: write the canonical tag");
            assert!(tag.lang != Lang::Sr || tag.script.is_some(), "line {line}: Serbian needs its script");
            assert!(["noun", "verb", "adjective", "phrase"].contains(&row["pos"].as_str()), "line {line}: part of speech {:?}", row["pos"]);
        }
    }

    #[test]
    fn serbian_scripts_are_pure_and_agree() {
        let rows = raw_rows();
        let latin: BTreeSet<(String, String)> = rows
            .iter()
            .filter(|(_, row)| row["lang"] == "sr-Latn")
            .map(|(_, row)| (row["concept_id"].clone(), text::fold(&row["term"], Tier::Case).into_owned()))
            .collect();
        for (line, row) in &rows {
            let term = &row["term"];
            match row["lang"].as_str() {
                "sr-Cyrl" => {
                    let bad: Vec<char> = term.chars().filter(|c| c.is_alphabetic() && !text::translit::is_serbian_cyrillic_letter(*c)).collect();
                    assert!(bad.is_empty(), "line {line}: {term:?} holds non-Serbian-Cyrillic letters {bad:?}");
                    // Where the concept has Latin terms, each Cyrillic term is one of them
                    // transliterated (DOMAIN.md D7).
                    let has_latin = latin.iter().any(|(concept, _)| *concept == row["concept_id"]);
                    let as_latin = text::fold(&text::cyr_to_lat(term), Tier::Case).into_owned();
                    assert!(
                        !has_latin || latin.contains(&(row["concept_id"].clone(), as_latin.clone())),
                        "line {line}: {term:?} has no Latin counterpart {as_latin:?}"
                    );
                }
                _ => assert!(!crate::text::script::has_cyrillic(term), "line {line}: Cyrillic in a {} term {term:?}", row["lang"]),
            }
        }
    }

    #[test]
    fn one_preferred_term_per_language_and_the_core_languages() {
        let mut preferred: BTreeMap<(String, String), usize> = BTreeMap::new();
        let mut langs: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut subjects: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (_, row) in raw_rows() {
            langs.entry(row["concept_id"].clone()).or_default().insert(row["lang"].clone());
            subjects.entry(row["concept_id"].clone()).or_default().insert(row["subject"].clone());
            if row["status"] == "preferred" {
                *preferred.entry((row["concept_id"].clone(), row["lang"].clone())).or_default() += 1;
            }
        }
        for (concept, concept_langs) in &langs {
            for lang in concept_langs {
                assert_eq!(preferred.get(&(concept.clone(), lang.clone())), Some(&1), "{concept}: {lang} needs exactly one preferred term");
            }
            assert!(concept_langs.contains("en") || concept == "bosnian-language", "{concept}: no English term");
            assert!(concept_langs.contains("sr-Latn") || concept_langs.contains("sr-Cyrl"), "{concept}: no Serbian term");
            assert_eq!(subjects[concept].len(), 1, "{concept}: one subject field");
        }
    }

    #[test]
    fn loads_whole_with_both_scripts_and_no_warnings() {
        let imported = crate::termbase::parse_csv(SHIPPED_CSV, SHIPPED_PATH).expect("the shipped term base reads");
        assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
        assert_eq!(imported.concepts.len(), 352);
        for concept in &imported.concepts {
            assert!(concept.terms.iter().all(|term| term.source.is_some()), "{}: every term has a source", concept.id);
            let has = |tag: LangTag| concept.terms.iter().any(|term| term.lang == tag && term.status == TermStatus::Preferred);
            assert!(has(LangTag::SR_LATN) && has(LangTag::SR_CYRL), "{}: a preferred term in both Serbian scripts", concept.id);
        }
        assert!(!SHIPPED_CSV.contains(",derived"), "derived terms are never written into the file");
    }

    fn shipped_index() -> &'static crate::termbase::TermIndex {
        static INDEX: std::sync::OnceLock<crate::termbase::TermIndex> = std::sync::OnceLock::new();
        INDEX.get_or_init(|| crate::termbase::TermIndex::build(shipped_concepts().expect("shipped term base")))
    }

    #[test]
    fn the_shipped_index_answers_the_documented_lookups() {
        let index = shipped_index();
        for (query, concept, tier) in
            [("komunës", "municipality", Tier::Stem), ("opstini", "municipality", Tier::Stem), ("Kuvendit të Komunës", "municipal-assembly", Tier::Stem)]
        {
            let hits = index.lookup(query, &crate::termbase::LookupOptions::default());
            assert_eq!(hits.first().map(|hit| (hit.concept.id.as_str(), hit.tier)), Some((concept, tier)), "{query}");
        }
    }

    proptest::proptest! {
        #[test]
        fn the_shipped_index_never_panics(text in "(\\PC|Komunës |opštini |Kosovo i Metohija |Ђаковица |e\u{308}|\n){0,40}") {
            let index = shipped_index();
            let _ = index.lookup(&text, &crate::termbase::LookupOptions::default());
            for lang in Lang::ALL {
                for occurrence in index.recognize(&text, lang) {
                    proptest::prop_assert!(text.is_char_boundary(occurrence.start) && text.is_char_boundary(occurrence.end) && occurrence.end <= text.len());
                }
            }
        }
    }
}
