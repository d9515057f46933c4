//! Place names as the audit needs them: every official name of a place in each language and
//! script, the forms derived from it (light inflection, diacritics dropped) and the attested
//! forms that are not official (renamed, other-state, unofficial names), with a fast
//! longest-match finder for mentions in running text, and the municipality language table
//! (which versions a municipality's documents need).
//!
//! Filled from the gazetteer of the places module ([`PlaceNames::from_gazetteer`]); tests and
//! callers without it can add places by hand. Without any place, only Albanian and Serbian
//! are required and the place-name check finds nothing.
//!
//! Deliberately not done: resolving namesakes by context, or inflecting beyond the common
//! endings (a form the table does not know is simply not a mention).

use std::collections::HashMap;

use crate::model::lang::{Lang, LangTag, SrScript};
use crate::text::diacritic_fold;

use super::vocabulary::words;

/// What a form of a place name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    /// The official name in its language and script.
    Official,
    /// An inflected or definite form of the official name.
    Inflected,
    /// The official name with its diacritics dropped.
    MissingDiacritics,
    /// An attested name that is not the official one; the text says what it is (e.g. "an
    /// unofficial alternative name").
    NotOfficial(&'static str),
}

/// What [`FormKind::NotOfficial`] says of an attested misspelling of a name.
pub const MISSPELLING: &str = "a misspelling";

/// A municipality or settlement with its official names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlaceEntry {
    /// Stable id (the gazetteer's).
    pub id: String,
    /// True for one of the 38 municipalities.
    pub municipality: bool,
    /// Official Albanian name.
    pub sq: String,
    /// Official Serbian name, Latin script.
    pub sr_latn: String,
    /// Official Serbian name, Cyrillic script (may be empty).
    pub sr_cyrl: String,
    /// Turkish name where official (may be empty).
    pub tr: String,
    /// Bosnian name where official (may be empty).
    pub bs: String,
    /// For municipalities: languages official there beyond sq and sr (tr, bs).
    pub extra_languages: Vec<Lang>,
}

impl PlaceEntry {
    /// The official name for a language (and, for Serbian, a script).
    pub fn name(&self, lang: Lang, script: Option<SrScript>) -> Option<&str> {
        let name = match (lang, script) {
            (Lang::Sq, _) => &self.sq,
            (Lang::Sr, Some(SrScript::Cyrl)) => &self.sr_cyrl,
            (Lang::Sr, _) => &self.sr_latn,
            (Lang::Tr, _) => &self.tr,
            (Lang::Bs, _) => &self.bs,
            (Lang::En, _) => &self.sq,
        };
        if name.is_empty() { None } else { Some(name) }
    }
}

/// One form in the lookup table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormRef {
    /// Index of the place.
    pub place: usize,
    /// The language the form belongs to (`None` when a source does not say).
    pub lang: Option<Lang>,
    /// What it is.
    pub kind: FormKind,
}

/// A place name found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Byte range in the text.
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
    /// Every reading of the matched form (a form can be official in one language and a
    /// variant in another).
    pub forms: Vec<FormRef>,
}

/// The municipality a document is from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Municipality {
    /// Official Albanian name (or the name as the document writes it, when unknown).
    pub name: String,
    /// Index of the place, when known.
    pub place: Option<usize>,
    /// Languages its documents need: sq and sr always, plus tr and bs where official.
    pub required: Vec<Lang>,
}

/// Official names and their forms, with a mention finder.
#[derive(Debug, Clone, Default)]
pub struct PlaceNames {
    places: Vec<PlaceEntry>,
    forms: HashMap<String, Vec<FormRef>>,
    max_words: usize,
}

/// The lookup key of a form: lowercase words joined by one space.
fn key(form: &str) -> String {
    words(form).map(|(_, word)| word.to_lowercase()).collect::<Vec<_>>().join(" ")
}

impl PlaceNames {
    /// The place at `idx`.
    pub fn place(&self, idx: usize) -> &PlaceEntry {
        &self.places[idx]
    }

    /// Number of places.
    pub fn len(&self) -> usize {
        self.places.len()
    }

    /// True when no place is loaded.
    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    /// All places.
    pub fn places(&self) -> &[PlaceEntry] {
        &self.places
    }

    /// Adds a place with its official names and their generated forms; returns its index.
    pub fn add_place(&mut self, entry: PlaceEntry) -> usize {
        let idx = self.places.len();
        let names = [
            (Lang::Sq, entry.sq.clone()),
            (Lang::Sr, entry.sr_latn.clone()),
            (Lang::Sr, entry.sr_cyrl.clone()),
            (Lang::Tr, entry.tr.clone()),
            (Lang::Bs, entry.bs.clone()),
        ];
        self.places.push(entry);
        for (lang, name) in names {
            if name.is_empty() {
                continue;
            }
            self.add_form(&name, FormRef { place: idx, lang: Some(lang), kind: FormKind::Official });
            for inflected in inflections(lang, &name) {
                self.add_form(&inflected, FormRef { place: idx, lang: Some(lang), kind: FormKind::Inflected });
            }
            let folded = diacritic_fold(&name);
            if folded != name {
                self.add_form(&folded, FormRef { place: idx, lang: Some(lang), kind: FormKind::MissingDiacritics });
            }
        }
        idx
    }

    /// Adds an attested form of the place at `place`.
    pub fn add_variant(&mut self, place: usize, form: &str, lang: Option<Lang>, kind: FormKind) {
        self.add_form(form, FormRef { place, lang, kind });
    }

    fn add_form(&mut self, form: &str, form_ref: FormRef) {
        let key = key(form);
        if key.is_empty() {
            return;
        }
        self.max_words = self.max_words.max(key.split(' ').count());
        let entry = self.forms.entry(key).or_default();
        if !entry.contains(&form_ref) {
            entry.push(form_ref);
        }
    }

    /// The forms that spell a name right, as lookup keys (lowercase words joined by one
    /// space): official names, their generated inflections and the attested names that are
    /// not official (a former or unofficial name is spelled as its users write it); not the
    /// attested misspellings and forms without diacritics.
    pub fn correct_forms(&self) -> impl Iterator<Item = &str> {
        self.forms
            .iter()
            .filter(|(_, refs)| {
                refs.iter().any(|form_ref| match form_ref.kind {
                    FormKind::Official | FormKind::Inflected => true,
                    FormKind::NotOfficial(what) => what != MISSPELLING,
                    FormKind::MissingDiacritics => false,
                })
            })
            .map(|(key, _)| key.as_str())
    }

    /// Place names in `text`, longest match first, left to right. A mention must start with
    /// a capital letter: most settlement names are also common words.
    pub fn mentions(&self, text: &str) -> Vec<Mention> {
        if self.forms.is_empty() {
            return Vec::new();
        }
        let tokens: Vec<(usize, &str)> = words(text).collect();
        let mut found = Vec::new();
        let mut idx = 0;
        while idx < tokens.len() {
            let (start, word) = tokens[idx];
            if !word.chars().next().is_some_and(char::is_uppercase) {
                idx += 1;
                continue;
            }
            let mut matched = None;
            for n in (1..=self.max_words.min(tokens.len() - idx)).rev() {
                let window = &tokens[idx..idx + n];
                // Words of a name are separated by spaces or hyphens only.
                if window.windows(2).any(|pair| !text[pair[0].0 + pair[0].1.len()..pair[1].0].chars().all(|c| c == ' ' || c == '-')) {
                    continue;
                }
                let candidate = window.iter().map(|(_, w)| w.to_lowercase()).collect::<Vec<_>>().join(" ");
                if let Some(forms) = self.forms.get(&candidate) {
                    let (last_start, last) = window[n - 1];
                    matched = Some((n, Mention { start, end: last_start + last.len(), forms: forms.clone() }));
                    break;
                }
            }
            match matched {
                Some((n, mention)) => {
                    found.push(mention);
                    idx += n;
                }
                None => idx += 1,
            }
        }
        found
    }

    /// The municipality whose name (in any language, form or variant) is `name`.
    pub fn municipality_named(&self, name: &str) -> Option<usize> {
        let forms = self.forms.get(&key(name))?;
        forms.iter().find(|form| self.places[form.place].municipality).map(|form| form.place)
    }

    /// The municipality of a document: from `given` (a name in any language) or from a
    /// header line such as "Komuna: Junik", "Opština Štimlje", "Општина: Клина" or
    /// "Municipality of Junik" in the first segments of the versions.
    pub fn municipality(&self, given: Option<&str>, first_segments: &[&str]) -> Option<Municipality> {
        let raw = match given {
            Some(name) => Some(name.trim().to_string()),
            None => first_segments.iter().find_map(|segment| header_name(segment)),
        }?;
        let place = self.municipality_named(&raw);
        let (name, extra) = match place {
            Some(idx) => (self.places[idx].sq.clone(), self.places[idx].extra_languages.clone()),
            None => (raw, Vec::new()),
        };
        let mut required = vec![Lang::Sq, Lang::Sr];
        for lang in extra {
            if !required.contains(&lang) {
                required.push(lang);
            }
        }
        Some(Municipality { name, place, required })
    }

    /// The official name of `place` for a version in `tag` (Serbian in `script`).
    pub fn official(&self, place: usize, tag: LangTag, script: Option<SrScript>) -> Option<&str> {
        self.places[place].name(tag.lang, script.or(tag.script))
    }
}

/// Labels that introduce a municipality's name in a document header.
const HEADER_LABELS: &[&str] = &[
    "komuna e ",
    "komuna:",
    "komuna ",
    "opština:",
    "opština ",
    "opstina:",
    "општина:",
    "општина ",
    "municipality of ",
    "municipality:",
    "belediyesi:",
    "belediye:",
    "općina:",
    "opcina:",
];

/// The name after a header label, when `segment` is such a header.
pub fn header_name(segment: &str) -> Option<String> {
    let lowered = segment.trim().to_lowercase();
    for label in HEADER_LABELS {
        if let Some(rest) = lowered.strip_prefix(label) {
            // Same offset in the original: lowercasing these labels keeps byte lengths.
            let original = segment.trim().get(label.len()..).unwrap_or(rest);
            let name = original.trim().trim_end_matches(['.', ',', ';']).trim();
            if !name.is_empty() && name.split_whitespace().count() <= 4 {
                return Some(name.to_string());
            }
        }
    }
    None
}

/// Common inflected forms of a name, so that running text ("në Prishtinë", "Prishtinës",
/// "u Prištini", "Приштине") reads as a mention of it. The places module's inflection
/// tables replace these once loaded from the gazetteer.
fn inflections(lang: Lang, name: &str) -> Vec<String> {
    let mut forms = Vec::new();
    let Some(last) = name.chars().last() else { return forms };
    let stem: String = name.chars().take(name.chars().count() - 1).collect();
    match lang {
        Lang::Sq => match last {
            'ë' => {
                for ending in ["a", "ës", "ën", "ës", "e"] {
                    forms.push(format!("{stem}{ending}"));
                }
            }
            'a' | 'e' | 'i' | 'o' | 'u' => {
                for ending in ["s", "n"] {
                    forms.push(format!("{name}{ending}"));
                }
            }
            _ => {
                for ending in ["i", "it", "in", "a", "ës"] {
                    forms.push(format!("{name}{ending}"));
                }
            }
        },
        Lang::Sr | Lang::Bs => {
            let cyrillic = crate::text::script::has_cyrillic(name);
            let endings: &[&str] = if cyrillic { &["е", "и", "у", "ом", "ој"] } else { &["e", "i", "u", "om", "oj"] };
            if matches!(last, 'a' | 'а' | 'e' | 'е' | 'o' | 'о') {
                for ending in endings {
                    forms.push(format!("{stem}{ending}"));
                }
            } else {
                let case: &[&str] = if cyrillic { &["а", "у", "ом", "е"] } else { &["a", "u", "om", "e"] };
                for ending in case {
                    forms.push(format!("{name}{ending}"));
                }
            }
        }
        _ => {}
    }
    forms
}

impl PlaceNames {
    /// The table of the gazetteer: every place's official names (with their generated
    /// forms), the sourced variants by type, and the municipality language table.
    ///
    /// ```
    /// let names = termbridge::audit::PlaceNames::from_gazetteer(termbridge::places::Gazetteer::shipped());
    /// assert!(names.municipality_named("Klinë").is_some());
    /// ```
    pub fn from_gazetteer(gazetteer: &crate::places::Gazetteer) -> PlaceNames {
        use crate::places::{PlaceKind, VariantType};
        let mut names = PlaceNames::default();
        let mut index: HashMap<&str, usize> = HashMap::with_capacity(gazetteer.places().len());
        for place in gazetteer.places() {
            let municipality = place.kind == PlaceKind::Municipality;
            let extra_languages = if municipality {
                gazetteer
                    .municipal_languages(&place.id)
                    .map(|row| row.official_langs().into_iter().filter(|lang| !matches!(lang, Lang::Sq | Lang::Sr)).collect())
                    .unwrap_or_default()
            } else {
                Vec::new()
            };
            let idx = names.add_place(PlaceEntry {
                id: place.id.clone(),
                municipality,
                sq: place.name_sq.clone(),
                sr_latn: place.name_sr_latn.clone(),
                sr_cyrl: place.name_sr_cyrl.clone(),
                tr: place.name_tr.clone(),
                bs: place.name_bs.clone(),
                extra_languages,
            });
            index.insert(place.id.as_str(), idx);
        }
        for variant in gazetteer.variants() {
            let Some(&idx) = index.get(variant.entity.as_str()) else { continue };
            let kind = match variant.variant_type {
                VariantType::UnofficialAlternative => FormKind::NotOfficial("an unofficial alternative name"),
                VariantType::FormerOrOtherStateName => FormKind::NotOfficial("a former name or one used by another administration"),
                VariantType::OtherLanguageName => FormKind::NotOfficial("a name in another language or a historical name"),
                VariantType::Misspelling => FormKind::NotOfficial(MISSPELLING),
                VariantType::MissingDiacritics => FormKind::MissingDiacritics,
                VariantType::InflectedForm | VariantType::LongAdministrativeForm => FormKind::Inflected,
                // Spelling variants (other romanisations, Cyrillic variants) are too close to
                // legitimate writing to report without a person; damage is the mojibake
                // check's; ambiguous short forms and source errors name no place reliably.
                VariantType::Official
                | VariantType::SpellingVariant
                | VariantType::EncodingDamage
                | VariantType::AmbiguousShortForm
                | VariantType::DatasetError => continue,
            };
            let lang = LangTag::parse(&variant.lang).ok().map(|tag| tag.lang);
            names.add_variant(idx, &variant.variant, lang, kind);
        }
        names
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A small table for the tests of the checks: two municipalities.
    pub(crate) fn sample() -> PlaceNames {
        let mut places = PlaceNames::default();
        let kline = places.add_place(PlaceEntry {
            id: "mun:kline".into(),
            municipality: true,
            sq: "Klinë".into(),
            sr_latn: "Klina".into(),
            sr_cyrl: "Клина".into(),
            ..PlaceEntry::default()
        });
        let podujeve = places.add_place(PlaceEntry {
            id: "mun:podujeve".into(),
            municipality: true,
            sq: "Podujevë".into(),
            sr_latn: "Podujevo".into(),
            sr_cyrl: "Подујево".into(),
            ..PlaceEntry::default()
        });
        places.add_variant(podujeve, "Besianë", Some(Lang::Sq), FormKind::NotOfficial("an unofficial alternative name"));
        places.add_place(PlaceEntry {
            id: "mun:prizren".into(),
            municipality: true,
            sq: "Prizren".into(),
            sr_latn: "Prizren".into(),
            sr_cyrl: "Призрен".into(),
            tr: "Prizren".into(),
            extra_languages: vec![Lang::Tr, Lang::Bs],
            ..PlaceEntry::default()
        });
        let _ = kline;
        places
    }

    #[test]
    fn mentions_and_headers() {
        let places = sample();
        let found = places.mentions("Komuna e Klinës dhe Besianë, jo besianë");
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].forms[0].kind, FormKind::Inflected);
        assert_eq!(found[1].forms[0].kind, FormKind::NotOfficial("an unofficial alternative name"));
        assert_eq!(header_name("Општина: Клина").as_deref(), Some("Клина"));
        assert_eq!(header_name("Komuna e Klinës").as_deref(), Some("Klinës"));
        assert_eq!(header_name("Ai numër faqeje është më i vogël se 1"), None);
        let municipality = places.municipality(None, &["Opština: Prizren"]).unwrap();
        assert_eq!(municipality.required, vec![Lang::Sq, Lang::Sr, Lang::Tr, Lang::Bs]);
        assert_eq!(places.municipality(None, &["Komuna: Klina"]).unwrap().name, "Klinë");
        assert_eq!(places.municipality(Some("Graçanicë"), &[]).unwrap().required, vec![Lang::Sq, Lang::Sr]);
    }
}
