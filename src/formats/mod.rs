//! Readers and writers for the formats termbridge imports and exports, one module a format.
//! Readers are lenient where a format allows it and strict where a unit would be lost: they
//! return the units read, or an error naming the file, line and problem.

pub mod bilingual;
pub mod document;
pub mod docx;
pub mod html;
pub mod tsv;

pub use tsv::read_tsv;
