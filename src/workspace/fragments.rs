//! Fragments of a query over the opened data directory: the search index says which runs of
//! the query's words the memory holds and samples the units holding them, the store gives
//! those units, and the term base and the gazetteer add the terms and place names the query
//! contains (`memory::fragments` chooses and aligns).
//!
//! The background an alignment compares with is the search index's document frequencies,
//! not a sample of units without the fragment: they are exact and cost one dictionary
//! lookup a word.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::{Workspace, WorkspaceError};
use crate::memory::fragments::{
    self, Candidate, Fragment, FragmentExample, FragmentOptions, FragmentOrigin, FragmentWord, SAMPLE_UNITS, Sample, keys_of, locate_keys, query_words,
};
use crate::model::lang::{Lang, LangTag, SrScript};
use crate::places::Places;

/// Counting the units of a fragment stops here.
const MAX_COUNT: u64 = 1_000_000;

/// Texts without a word that every memory is taken to have besides its own: in a memory of
/// a few texts, the sampled units are most of it and nothing would stand out against it.
const SMALL_MEMORY: u64 = 20;

/// A translation from the term base or the gazetteer, for a span of the query's words.
struct Known {
    span: Range<usize>,
    origin: FragmentOrigin,
    translation: String,
    lang: LangTag,
}

impl Workspace {
    /// The longest word sequences of `query` found in the memory, the term base and the
    /// gazetteer, with their translations (see `memory::fragments`), in query order.
    ///
    /// ```
    /// use termbridge::Workspace;
    /// use termbridge::memory::fragments::FragmentOptions;
    /// use termbridge::model::lang::LangTag;
    /// use termbridge::model::{TranslationUnit, Variant};
    ///
    /// let dir = tempfile::tempdir().unwrap();
    /// let (workspace, _) = Workspace::open(dir.path(), &mut |_, _| {}).unwrap();
    /// let unit = |id: &str, en: &str, sq: &str| TranslationUnit {
    ///     id: id.into(),
    ///     collection: "default".into(),
    ///     variants: vec![Variant::new(LangTag::EN, en), Variant::new(LangTag::SQ, sq)],
    ///     props: Default::default(),
    ///     notes: vec![],
    ///     created: None,
    ///     changed: None,
    /// };
    /// workspace.add_units(&[unit("a", "Open the file", "Hap skedarin"), unit("b", "Save the file", "Ruaj skedarin")]).unwrap();
    /// let options = FragmentOptions { src: Some(LangTag::EN), tgt: Some(LangTag::SQ), limit: 5 };
    /// let found = workspace.fragments("Print the file", &options).unwrap();
    /// assert_eq!(found[0].text, "file");
    /// assert_eq!(found[0].translation.as_deref(), Some("skedarin"));
    /// assert_eq!(found[0].occurrences, 2);
    /// ```
    pub fn fragments(&self, query: &str, options: &FragmentOptions) -> Result<Vec<Fragment>, WorkspaceError> {
        let query = crate::text::nfc(query);
        let src = options.src.unwrap_or_else(|| guess_lang(&query));
        let tgt = options.tgt.unwrap_or(if src.lang == Lang::En { LangTag::SQ } else { LangTag::EN });
        let words = query_words(&query, src.lang);
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let stems = matches!(src.lang, Lang::Sq | Lang::Sr | Lang::Bs);

        let mut candidates = Vec::new();
        let mut samples: HashMap<Range<usize>, Vec<u64>> = HashMap::new();
        let occurs = |span: Range<usize>| -> Result<bool, WorkspaceError> {
            Ok(self.index.phrase_units(&keys_of(&words[span], stems), src.lang, stems, 0, 1)?.count > 0)
        };
        for span in fragments::maximal_spans(words.len(), occurs)? {
            let Some(span) = fragments::trim(&words, span) else { continue };
            if samples.contains_key(&span) {
                continue;
            }
            let found = self.index.phrase_units(&keys_of(&words[span.clone()], stems), src.lang, stems, SAMPLE_UNITS, MAX_COUNT)?;
            if found.count > 0 {
                candidates.push(Candidate { span: span.clone(), origin: FragmentOrigin::Memory, occurrences: found.count });
                samples.insert(span, found.units);
            }
        }

        let known = self.known_translations(&query, &words, src, tgt)?;
        // The term base's translations of the query's words: strong evidence in alignments.
        let mut term_keys: Vec<HashSet<String>> = vec![HashSet::new(); words.len()];
        for entry in known.iter().filter(|entry| entry.origin == FragmentOrigin::Termbase) {
            let keys: HashSet<String> = query_words(&entry.translation, tgt.lang).into_iter().map(|word| word.key).collect();
            for word_keys in &mut term_keys[entry.span.clone()] {
                word_keys.extend(keys.iter().cloned());
            }
        }
        for entry in &known {
            let occurrences = self.index.phrase_units(&keys_of(&words[entry.span.clone()], stems), src.lang, stems, 0, MAX_COUNT)?.count;
            candidates.push(Candidate { span: entry.span.clone(), origin: entry.origin, occurrences });
        }

        let limit = if options.limit == 0 { usize::MAX } else { options.limit };
        let mut found = Vec::new();
        for candidate in fragments::choose(candidates, limit) {
            let span = candidate.span.clone();
            let range = words[span.start].range.start..words[span.end - 1].range.end;
            let mut fragment = Fragment {
                text: query[range.clone()].to_string(),
                start: range.start,
                end: range.end,
                words: span.len(),
                translation: None,
                target_lang: None,
                origin: candidate.origin,
                occurrences: candidate.occurrences,
                confidence: 1.0,
                example: None,
            };
            if candidate.origin == FragmentOrigin::Memory {
                let priors: HashSet<String> = term_keys[span.clone()].iter().flatten().cloned().collect();
                let units = samples.get(&span).map(Vec::as_slice).unwrap_or_default();
                if !self.align_fragment(&mut fragment, &words[span], units, src, tgt, stems, &priors)? {
                    continue;
                }
            } else if let Some(entry) = known.iter().find(|entry| entry.span == span && entry.origin == candidate.origin) {
                fragment.translation = Some(entry.translation.clone());
                fragment.target_lang = Some(entry.lang);
            }
            found.push(fragment);
        }
        Ok(found)
    }

    /// Fills the translation of a memory fragment from the sampled `units`; false when none
    /// of them has a target to align in.
    #[allow(clippy::too_many_arguments)]
    fn align_fragment(
        &self,
        fragment: &mut Fragment,
        fragment_words: &[FragmentWord],
        units: &[u64],
        src: LangTag,
        tgt: LangTag,
        stems: bool,
        priors: &HashSet<String>,
    ) -> Result<bool, WorkspaceError> {
        let keys = keys_of(fragment_words, stems);
        let mut read = Vec::new();
        for &key in units {
            let Some(unit) = self.store.unit(key)? else { continue };
            let source = unit.variants.iter().find(|variant| variant.lang.lang == src.lang);
            let target = unit.variants.iter().find(|variant| variant.lang.lang == tgt.lang && (tgt.script.is_none() || variant.lang.script == tgt.script));
            let (Some(source), Some(target)) = (source, target) else { continue };
            let source_words = query_words(&source.text, src.lang);
            let Some(at) = locate_keys(&source_words, &keys, stems) else { continue };
            read.push((unit.id.clone(), source.text.clone(), target.text.clone(), target.lang, at, source_words.len()));
        }
        let samples: Vec<Sample<'_>> = read
            .iter()
            .enumerate()
            .map(|(idx, (_, _, target, _, at, n_source_words))| Sample { idx, target, source_words: at.clone(), n_source_words: *n_source_words })
            .collect();
        let n_texts = (self.index.lang_doc_count(tgt.lang)? + SMALL_MEMORY) as f64;
        let background = |word: &str| self.index.word_doc_freq(word).unwrap_or(0) as f64 / n_texts;
        let Some(alignment) = fragments::align(&samples, tgt.lang, &background, priors) else { return Ok(false) };
        let (id, source, target, target_lang, _, _) = &read[alignment.sample];
        fragment.translation = Some(target[alignment.range.clone()].to_string());
        fragment.target_lang = Some(*target_lang);
        fragment.confidence = alignment.confidence;
        fragment.example = Some(FragmentExample {
            id: id.clone(),
            source: source.clone(),
            target: target.clone(),
            target_start: alignment.range.start,
            target_end: alignment.range.end,
        });
        Ok(true)
    }

    /// The terms and place names of `query` with their translation in `tgt`.
    fn known_translations(&self, query: &str, words: &[FragmentWord], src: LangTag, tgt: LangTag) -> Result<Vec<Known>, WorkspaceError> {
        let span_of = |range: Range<usize>| -> Option<Range<usize>> {
            let first = words.iter().position(|word| word.range.start >= range.start)?;
            let last = words.iter().rposition(|word| word.range.end <= range.end)?;
            (first <= last).then_some(first..last + 1)
        };
        let mut known = Vec::new();
        let term_index = self.term_index()?;
        for occurrence in term_index.recognize(query, src.lang) {
            // English has no declension for the term base's ending tables to undo: a "stem"
            // match there is a different word ("taking" for the abbreviation TAK).
            if src.lang == Lang::En && occurrence.tier >= crate::text::Tier::Stem {
                continue;
            }
            let (concept, _) = term_index.occurrence_term(&occurrence);
            let Some(term) = concept.suggestion(tgt) else { continue };
            let Some(span) = span_of(occurrence.range()) else { continue };
            known.push(Known { span, origin: FragmentOrigin::Termbase, translation: term.text.clone(), lang: term.lang });
        }
        let place_lang = match tgt {
            LangTag { lang: Lang::Sq, .. } => LangTag::SQ,
            LangTag { lang: Lang::Sr, script: Some(SrScript::Cyrl) } => LangTag::SR_CYRL,
            LangTag { lang: Lang::Sr, .. } => LangTag::SR_LATN,
            _ => return Ok(known),
        };
        // English texts write the places of Kosovo with their Albanian or Serbian names.
        let mention_lang = if src.lang == Lang::En { LangTag::SQ } else { src };
        let places = Places::shipped();
        for mention in places.mentions(query, mention_lang) {
            // A place without a Cyrillic name keeps its Latin one.
            let Some(place) = places.gazetteer().place(&mention.place_id) else { continue };
            let Some(name) = place.name(place_lang).or_else(|| place.name(LangTag::SR_LATN)) else { continue };
            let Some(span) = span_of(mention.start..mention.end) else { continue };
            known.push(Known { span, origin: FragmentOrigin::Places, translation: name.to_string(), lang: place_lang });
        }
        Ok(known)
    }
}

/// The language of a query given without one: English, Albanian or Serbian, English when
/// nothing can be told.
fn guess_lang(query: &str) -> LangTag {
    match crate::text::langid::identify_among(query, &[Lang::En, Lang::Sq, Lang::Sr]) {
        Some(guess) => LangTag { lang: guess.lang, script: guess.script },
        None => LangTag::EN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{TranslationUnit, Variant};

    fn unit(id: &str, source: (LangTag, &str), target: (LangTag, &str)) -> TranslationUnit {
        TranslationUnit {
            id: id.into(),
            collection: "default".into(),
            variants: vec![Variant::new(source.0, source.1), Variant::new(target.0, target.1)],
            props: Default::default(),
            notes: vec![],
            created: None,
            changed: None,
        }
    }

    fn found(workspace: &Workspace, query: &str, src: LangTag, tgt: LangTag) -> Vec<(String, String, FragmentOrigin)> {
        let options = FragmentOptions { src: Some(src), tgt: Some(tgt), limit: 10 };
        workspace
            .fragments(query, &options)
            .unwrap()
            .into_iter()
            .map(|fragment| (fragment.text, fragment.translation.unwrap_or_default(), fragment.origin))
            .collect()
    }

    fn memory(pairs: &[(LangTag, &str, LangTag, &str)]) -> (tempfile::TempDir, Workspace) {
        let dir = tempfile::tempdir().unwrap();
        let (workspace, _) = Workspace::open(dir.path(), &mut |_, _| {}).unwrap();
        let units: Vec<TranslationUnit> =
            pairs.iter().enumerate().map(|(idx, (src, source, tgt, target))| unit(&format!("u{idx}"), (*src, source), (*tgt, target))).collect();
        workspace.add_units(&units).unwrap();
        (dir, workspace)
    }

    #[test]
    fn aligns_fragments_on_a_small_memory() {
        let en = LangTag::EN;
        let sq = LangTag::SQ;
        let (_dir, workspace) = memory(&[
            (en, "Open the file", sq, "Hap skedarin"),
            (en, "Save the file", sq, "Ruaj skedarin"),
            (en, "The file is empty", sq, "Skedari është bosh"),
            (en, "Close the window", sq, "Mbyll dritaren"),
            (en, "Open a new window", sq, "Hap një dritare të re"),
            (en, "Print the document", sq, "Shtyp dokumentin"),
        ]);
        let got = found(&workspace, "Open the file in a new window", en, sq);
        assert_eq!(
            got,
            [
                ("Open the file".to_string(), "Hap skedarin".to_string(), FragmentOrigin::Memory),
                ("new window".to_string(), "dritare të re".to_string(), FragmentOrigin::Memory),
            ]
        );
    }

    #[test]
    fn cyrillic_query_meets_latin_memory() {
        let (_dir, workspace) = memory(&[
            (LangTag::SR_LATN, "Skupština opštine Priština", LangTag::SQ, "Kuvendi i Komunës së Prishtinës"),
            (LangTag::SR_LATN, "Skupština opštine Prizren", LangTag::SQ, "Kuvendi i Komunës së Prizrenit"),
        ]);
        let got = found(&workspace, "Одлука скупштине општине", LangTag::SR_CYRL, LangTag::SQ);
        assert_eq!(got, [("скупштине општине".to_string(), "Kuvendi i Komunës".to_string(), FragmentOrigin::Memory)]);
    }

    #[test]
    fn inflected_query_meets_its_dictionary_form() {
        let (_dir, workspace) = memory(&[
            (LangTag::SQ, "Komuna e Prishtinës", LangTag::EN, "Municipality of Prishtina"),
            (LangTag::SQ, "Komuna e Prishtinës ka një buxhet", LangTag::EN, "The Municipality of Prishtina has a budget"),
        ]);
        let options = FragmentOptions { src: Some(LangTag::SQ), tgt: Some(LangTag::EN), limit: 10 };
        let fragments = workspace.fragments("Kuvendi i Komunës së Prishtinës", &options).unwrap();
        let memory_fragment = fragments.iter().find(|fragment| fragment.origin == FragmentOrigin::Memory).expect("a memory fragment");
        assert_eq!(memory_fragment.text, "Komunës së Prishtinës");
        assert_eq!(memory_fragment.translation.as_deref(), Some("Municipality of Prishtina"));
        assert_eq!(memory_fragment.occurrences, 2);
        let example = memory_fragment.example.as_ref().unwrap();
        assert_eq!(&example.target[example.target_start..example.target_end], "Municipality of Prishtina");
    }

    #[test]
    fn places_and_terms_bring_their_own_translations() {
        let (_dir, workspace) = memory(&[(LangTag::EN, "Open the file", LangTag::SR_LATN, "Otvori datoteku")]);
        let got = found(&workspace, "The office in Prizren", LangTag::EN, LangTag::SR_CYRL);
        assert!(got.contains(&("Prizren".to_string(), "Призрен".to_string(), FragmentOrigin::Places)), "{got:?}");
    }
}
