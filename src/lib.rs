//! termbridge: multilingual terminology, translation memory and language-rights compliance
//! for Albanian (sq), Serbian in both scripts (sr-Cyrl, sr-Latn) and English (en), with Turkish
//! and Bosnian where a municipality uses them.
//!
//! The library is synchronous and knows nothing of HTTP, argv, exit codes or wire JSON: the
//! binary's `cli` and `api` modules parse input, call into here and render the result.
//!
//! - [`model`]: the data every service shares (languages, translation units, concepts and
//!   terms, findings), at the bottom of the layers `tests/it/layering.rs` pins.
//! - [`text`]: the normalisation pipeline every feature shares (NFC, case, punctuation and
//!   diacritic folding, Serbian transliteration, script and language identification,
//!   segmentation, stemming), with offsets back into the original text.
//! - [`store`]: sled, the source of truth; every acknowledged write is durable and atomic.
//! - [`index`]: tantivy, a derived search index that can always be rebuilt from the store.
//! - [`lexicon`]: the Hunspell dictionaries (sq, sr in both scripts, en) read on first use.
//! - [`formats`]: readers and writers for the file formats termbridge imports and exports.
//! - [`align`]: sentence alignment of language versions of a document.
//! - [`memory`]: fuzzy TM match (an in-memory trigram index with exact
//!   scores) and concordance.
//! - [`proofread`]: one text in one language checked span by span (place names, terms,
//!   scripts, diacritics, encoding), for grammar-checker clients.
//! - [`monitor`]: institutions' websites crawled, their pages paired by language, for the
//!   audit over time.
//! - [`ops`]: backup, restore and check of a data directory.
//! - [`problem`]: structured problems, hints and the class of every error, for the front ends.

pub mod align;
pub mod api;
pub mod audit;
pub mod formats;
pub mod index;
pub mod lexicon;
pub mod memory;
pub mod model;
pub mod monitor;
pub mod ops;
pub mod patch;
pub mod places;
pub mod problem;
pub mod proofread;
pub mod store;
pub mod termbase;
#[doc(hidden)]
pub mod testing;
pub mod text;
pub mod usecase;
pub mod workspace;

pub use workspace::{ImportTimings, Workspace, WorkspaceError};
