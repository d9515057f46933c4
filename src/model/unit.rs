//! Translation units: one segment in several languages, as every reader produces it, the
//! store keeps it and the indexes search it.
//!
//! A [`TranslationUnit`] holds every language [`Variant`] of one segment, each with the
//! [`InlineTag`]s of its source format. Units are keyed by a content hash of their id,
//! collection and variants ([`TranslationUnit::key`]), so importing the same file twice adds
//! nothing. [`resolve_script`] gives an untagged Serbian text the script of its letters.
//!
//! Reading and writing file formats is `formats`' business, storing is `store`'s, matching is
//! `memory`'s.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::lang::{Lang, LangTag, SrScript};
use crate::text::script::{Script, word_script};

/// Property holding a unit's context (see [`TranslationUnit::context`]). Context lives in
/// the properties, which every store schema has kept, so stores written before it read as
/// they were and exports carry it (a TMX `prop`).
pub const CONTEXT_PROP: &str = "x-context";
/// Property holding the key ([`neighbour_key`]) of the source segment before a unit in its
/// file.
pub const PREV_PROP: &str = "x-context-prev";
/// Property holding the key ([`neighbour_key`]) of the source segment after a unit in its file.
pub const NEXT_PROP: &str = "x-context-next";

/// What a unit keeps of a neighbouring segment: `h64:` and 16 hex digits of the BLAKE3 hash of
/// its NFC text with outer whitespace set aside. A 102 % match only asks whether the
/// neighbours are equal, and a key is 20 bytes where the texts doubled the store (two
/// sentences a unit). Units stored with the texts themselves still compare (see
/// [`same_neighbour`]).
///
/// ```
/// use termbridge::model::neighbour_key;
/// assert_eq!(neighbour_key(" Open "), neighbour_key("Open"));
/// assert_ne!(neighbour_key("Open"), neighbour_key("Close"));
/// assert!(neighbour_key("Open").starts_with("h64:") && neighbour_key("Open").len() == 20);
/// ```
pub fn neighbour_key(text: &str) -> String {
    let hash = blake3::hash(crate::text::nfc(text.trim()).as_bytes());
    let mut key = String::with_capacity(20);
    key.push_str("h64:");
    for byte in &hash.as_bytes()[..8] {
        key.push_str(&format!("{byte:02x}"));
    }
    key
}

/// Whether a segment `given` is the stored neighbour `stored`: a key ([`neighbour_key`]) or,
/// in units stored before keys, the text itself.
pub fn same_neighbour(given: &str, stored: &str) -> bool {
    stored == neighbour_key(given) || crate::text::nfc(given.trim()) == crate::text::nfc(stored.trim())
}

/// One language version of a unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variant {
    /// Canonical language tag (`sq`, `sr-Cyrl`, `sr-Latn`, `en` …).
    pub lang: LangTag,
    /// The text, NFC, without inline markup (that is in `inline`).
    pub text: String,
    /// Inline markup of the source format (TMX `bpt/ept/ph/it/hi`, XLIFF `g/x/bx/ex/ph/pc`),
    /// kept so that an export writes it back where it was.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inline: Vec<InlineTag>,
    /// Variant-level properties (TMX `tuv/prop`, XLIFF `state` …).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub props: BTreeMap<String, String>,
}

impl Variant {
    /// A variant with plain text and nothing else.
    pub fn new(lang: LangTag, text: impl Into<String>) -> Variant {
        Variant { lang, text: text.into(), inline: Vec::new(), props: BTreeMap::new() }
    }
}

/// A piece of inline markup at a position of a variant's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InlineTag {
    /// Byte offset in the variant's `text` where the tag stands.
    pub offset: usize,
    /// Element name as the source format writes it (`bpt`, `ept`, `ph`, `it`, `hi`, `g` …).
    pub kind: String,
    /// The element's attributes, in source order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attrs: Vec<(String, String)>,
    /// The element's raw content (e.g. the native code `<b>` inside a TMX `bpt`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub content: String,
}

/// A translation unit: one segment in several languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TranslationUnit {
    /// The external id (TSV `id` column, TMX `tuid`, …, else a content hash).
    pub id: String,
    /// The collection the unit was imported into.
    pub collection: String,
    /// The language variants, in the order the source gave them.
    pub variants: Vec<Variant>,
    /// Properties (TMX `prop`, PO flags and references, XLIFF attributes …).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub props: BTreeMap<String, String>,
    /// Notes and comments (TMX `note`, PO translator comments, XLIFF `note`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Creation date as the source wrote it (TMX `creationdate`, ISO 8601 basic or extended).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// Last change date as the source wrote it (TMX `changedate`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed: Option<String>,
}

impl TranslationUnit {
    /// The store key: the first 8 bytes of a BLAKE3 hash of id, collection and variants.
    pub fn key(&self) -> u64 {
        let mut hasher = blake3::Hasher::new();
        for part in [self.id.as_str(), self.collection.as_str()] {
            hasher.update(&(part.len() as u64).to_le_bytes());
            hasher.update(part.as_bytes());
        }
        for variant in &self.variants {
            let tag = variant.lang.to_string();
            hasher.update(&(tag.len() as u64).to_le_bytes());
            hasher.update(tag.as_bytes());
            hasher.update(&(variant.text.len() as u64).to_le_bytes());
            hasher.update(variant.text.as_bytes());
        }
        let digest = hasher.finalize();
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest.as_bytes()[..8]);
        u64::from_be_bytes(first)
    }

    /// The unit's context: the `x-context` property (TMX `x-context` prop or `tuid`, XLIFF
    /// `id` without a `resname`, a TSV/CSV `context` column), else the PO `msgctxt`, else the
    /// XLIFF `resname` (1.2) or `name` (2.x), so units stored before the property existed
    /// keep theirs.
    pub fn context(&self) -> Option<&str> {
        [CONTEXT_PROP, "po:msgctxt", "xliff:resname", "xliff:name"].into_iter().find_map(|key| self.props.get(key)).map(String::as_str)
    }

    /// The source segments before and after the unit in the file it was read from (the keys,
    /// [`neighbour_key`], of the neighbouring units' texts in the language of this unit's
    /// first variant; the texts in units stored before keys), when kept.
    pub fn neighbours(&self) -> (Option<&str>, Option<&str>) {
        (self.props.get(PREV_PROP).map(String::as_str), self.props.get(NEXT_PROP).map(String::as_str))
    }

    /// The variant in `lang` (for Serbian, either script), if any.
    pub fn variant(&self, lang: Lang) -> Option<&Variant> {
        self.variants.iter().find(|variant| variant.lang.lang == lang)
    }
}

/// Gives an untagged Serbian text the script its letters are written in (Latin when it has
/// no letters of either script).
pub fn resolve_script(tag: LangTag, text: &str) -> LangTag {
    if tag.lang != Lang::Sr || tag.script.is_some() {
        return tag;
    }
    let mut cyrillic = 0usize;
    let mut latin = 0usize;
    for word in text.split_whitespace() {
        match word_script(word) {
            Script::Cyrl => cyrillic += 1,
            Script::Latn => latin += 1,
            Script::Mixed | Script::Other => {}
        }
    }
    let script = if cyrillic > latin { SrScript::Cyrl } else { SrScript::Latn };
    LangTag { lang: Lang::Sr, script: Some(script) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serbian_script_is_detected() {
        assert_eq!(resolve_script(LangTag::SR, "Општина Приштина"), LangTag::SR_CYRL);
        assert_eq!(resolve_script(LangTag::SR, "Opština Priština"), LangTag::SR_LATN);
        assert_eq!(resolve_script(LangTag::SR_CYRL, "Opština"), LangTag::SR_CYRL);
        assert_eq!(resolve_script(LangTag::SQ, "Приштина"), LangTag::SQ);
    }

    #[test]
    fn key_depends_on_content() {
        let unit = |text: &str| TranslationUnit {
            id: "1".into(),
            collection: "default".into(),
            variants: vec![Variant::new(LangTag::EN, text)],
            props: BTreeMap::new(),
            notes: Vec::new(),
            created: None,
            changed: None,
        };
        assert_eq!(unit("a").key(), unit("a").key());
        assert_ne!(unit("a").key(), unit("b").key());
    }
}
