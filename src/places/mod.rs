//! Official place names of Kosovo: the gazetteer, its compiler, variant resolution, place
//! mentions in running text (the sign checks that read it are `audit::sign`).
//!
//! UNMIK Regulation 2000/43 Art. 1 (and since 2008 Law No. 03/L-041) makes the list of
//! municipality names the official one: "official communication shall contain no municipality
//! name that is not in" it. Law No. 02/L-37 Art. 2 makes Albanian and Serbian "and their
//! alphabets" official, with Turkish and Bosnian official or in official use in some
//! municipalities. This module carries that list (38 municipalities and their settlements, in
//! sq, sr-Latn, sr-Cyrl, and tr/bs where sourced) and checks text and signs against it.
//!
//! - [`Gazetteer`]: the compiled data, embedded in the binary (`glossaries/kosovo/`).
//! - [`compile`]: builds that data from the collected sources (`termbridge places build`).
//! - [`Places`]: the gazetteer with its lookup tables; [`Places::lookup`] resolves any way of
//!   writing a place to its entry, tier and variant type; [`Places::mentions`] and
//!   [`Places::check_text`] find place names in running text and report non-official forms;
//!   The sign checker (`Places::check_sign`, in `audit::sign`, beside the registry it reports
//!   under) checks a sign or a name list (languages, spelling, script, order).
//!
//! What this module deliberately does not do: decide contested names (they are data, with a
//! status and a note), guess municipality language status from census shares (the table says
//! what sources say), or store inflected and diacritic-less forms (they are generated at load).

mod compile;
mod error;
mod eval;
mod gazetteer;
mod history;
mod inflect;
mod languages;
mod mentions;
mod repair;
mod resolve;
mod selfcheck;

pub use compile::{CompileInputs, CompileReport, Compiled, Correction, SHIPPED_CURATION_TSV, compile, compile_dir, municipality_id};
pub use error::PlacesError;
pub use eval::{
    EvalCase, EvalReport, MUNICIPALITY_INFLECTIONS_TSV, Miss, Score, SuggestionCase, SuggestionReport, evaluate, evaluate_suggestions, phrase_cases,
    read_eval_set, sourced_variant_cases, suggestion_cases, synthetic_municipality_cases,
};
pub use gazetteer::{
    CyrlOrigin, Gazetteer, PLACES_COLUMNS, Place, PlaceKind, PlaceStatus, PlaceVariant, SHIPPED_COORDINATES_TSV, SHIPPED_HISTORY_TSV, SHIPPED_LANGUAGES_TSV,
    SHIPPED_PLACES_TSV, SHIPPED_VARIANTS_TSV, VARIANT_COLUMNS, VariantType, escape_field, parse_places, parse_variants, places_to_tsv, unescape_field,
    variants_to_tsv,
};
pub use history::{
    COORDINATE_COLUMNS, CoordOrigin, Coordinates, FormerName, GeoJsonOptions, HISTORY_COLUMNS, NameChange, PlaceDetail, VariantOut, coordinates_to_tsv,
    geojson, gns_points, history_to_tsv, parse_coordinates, parse_history, parse_period, period_text,
};
pub use inflect::{
    Inflected, NameCase, albanian_forms, albanian_long_forms, albanian_synonym_forms, inflect_like, inflect_name, serbian_forms, serbian_long_forms,
};
pub use languages::{LANGUAGE_COLUMNS, MunicipalLanguages, RowStatus, SrScriptPolicy, parse_municipal_languages};
pub(crate) use mentions::preceding_word;
pub use mentions::{Mention, PlaceFinding};
pub use repair::{Damage, damage_utf8_as_cp1252, fix_case, fix_eth, has_broken_case, repair, repair_c1, repair_utf8_as_cp1252};
pub use resolve::{Candidate, IndexOptions, Lookup, MatchedSpan, PlaceNames, Places};
pub(crate) use resolve::{municipality_names, names_of};
pub use selfcheck::{SelfCheckProblem, check_file_text, self_check};
