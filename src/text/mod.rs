//! The text pipeline that every feature shares: search, term recognition, place-name
//! resolution and the audit all fold text with these functions, so they agree on what
//! "the same" means.
//!
//! Each step is a small `&str -> Cow<str>` function that borrows when nothing changes:
//! [`nfc`], [`case_fold`], [`punct_fold`], [`diacritic_fold`], [`cyr_to_lat`] and [`lat_to_cyr`].
//! [`Tier`] orders them into the ladder of DESIGN.md (exact, case, punct, diacritics, script),
//! and [`Folded`] applies a prefix of that ladder while keeping a map from every folded byte
//! back to the original text, so a match can be highlighted where the user wrote it.
//!
//! Analysis lives beside the folds: [`osa_distance`] (bounded edit distance), [`script`] (per-word script, homoglyphs, non-Serbian
//! Cyrillic letters), [`mojibake`] (encoding damage and its repair), [`langid`] (language of
//! one sentence), [`segment`] (sentences and words), [`stem`] (light Albanian and Serbian
//! stemmers) and [`placeholders`] (printf, brace, Qt and date-format placeholders and markup
//! tags, each also as one symbol for edit distances).
//!
//! This module does no I/O and holds no state beyond static tables.

mod case;
mod diacritics;
mod distance;
mod fold;
pub mod langid;
pub mod mojibake;
mod nfc;
pub mod placeholders;
mod punct;
pub mod script;
pub mod segment;
pub mod stem;
pub mod translit;

pub use case::case_fold;
pub use diacritics::{diacritic_fold, diacritic_fold_dj_as_d};
pub use distance::osa_distance;
pub use fold::{Folded, Tier, fold, match_tier};
pub use nfc::nfc;
pub use punct::punct_fold;
pub use translit::{cyr_to_lat, lat_to_cyr};
