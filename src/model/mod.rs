//! The model: the data every service reads and writes, with no service logic.
//!
//! - [`lang`]: languages and canonical BCP 47 tags ([`Lang`](lang::Lang),
//!   [`LangTag`](lang::LangTag), [`SrScript`](lang::SrScript)). It is the lowest module of
//!   the crate: `text` uses it, and it uses nothing of the crate.
//! - Translation units ([`TranslationUnit`], [`Variant`], [`InlineTag`], the unit key and
//!   [`resolve_script`]), as readers produce them, the store keeps them and the indexes
//!   search them.
//! - Concepts and terms ([`Concept`], [`Term`], [`TermStatus`], [`ConceptWriteSummary`]), as
//!   the term base holds them.
//! - What the monitor keeps of institutions and their websites ([`monitor`]).
//! - Findings ([`Finding`], [`Severity`], [`Category`], [`Related`], [`Anchor`]), as checks
//!   report them.
//!
//! Everything here is plain data with its invariants (keys, parsing, display). Reading files,
//! checking imported terms, matching and storing belong to the services above: the model uses
//! only `text` (for the script of a Serbian text), and every other module may use the model.
//! The layer order is pinned by `tests/it/layering.rs`.

pub mod lang;
pub mod monitor;

mod finding;
mod term;
mod unit;

pub use finding::{Anchor, Category, Finding, Related, Severity};
pub use term::{Concept, ConceptWriteSummary, Term, TermStatus};
pub use unit::{CONTEXT_PROP, InlineTag, NEXT_PROP, PREV_PROP, TranslationUnit, Variant, neighbour_key, resolve_script, same_neighbour};
