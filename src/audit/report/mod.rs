//! Renderers of an audit [`Report`](super::Report), one file per output: [`json`] (the
//! contract of DESIGN.md), [`csv`] (one finding a row), [`sarif`] (SARIF 2.1.0, rules from
//! the check registry) and [`html`] (a standalone page: versions side by side, every
//! finding highlighted in place, readable in Albanian, Serbian in either script or English).
//!
//! Renderers only format: they never change findings or decide anything.

pub mod csv;
pub mod html;
pub mod json;
pub mod sarif;

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JSON (DESIGN.md "Audit report").
    Json,
    /// Standalone HTML.
    Html,
    /// CSV, one finding a row.
    Csv,
    /// SARIF 2.1.0.
    Sarif,
}

impl Format {
    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Html => "html",
            Format::Csv => "csv",
            Format::Sarif => "sarif",
        }
    }
}

/// The language of the HTML report's interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UiLang {
    /// Albanian.
    Sq,
    /// Serbian, Cyrillic script.
    SrCyrl,
    /// Serbian, Latin script.
    SrLatn,
    /// English.
    #[default]
    En,
}

impl UiLang {
    /// Parses `sq`, `sr-Cyrl`, `sr-Latn` (or `sr`, Cyrillic) and `en`.
    pub fn parse(raw: &str) -> Option<UiLang> {
        match raw.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "sq" => Some(UiLang::Sq),
            "sr" | "sr-cyrl" => Some(UiLang::SrCyrl),
            "sr-latn" => Some(UiLang::SrLatn),
            "en" => Some(UiLang::En),
            _ => None,
        }
    }

    /// The BCP 47 tag for the page's `lang` attribute.
    pub fn tag(self) -> &'static str {
        match self {
            UiLang::Sq => "sq",
            UiLang::SrCyrl => "sr-Cyrl",
            UiLang::SrLatn => "sr-Latn",
            UiLang::En => "en",
        }
    }

    /// Picks the text for this language from a [`Localized`](super::checks::Localized) triple.
    pub fn pick(self, en: &str, sq: &str, sr_latn: &str) -> String {
        match self {
            UiLang::Sq => sq.to_string(),
            UiLang::SrLatn => sr_latn.to_string(),
            UiLang::SrCyrl => crate::text::lat_to_cyr(sr_latn).into_owned(),
            UiLang::En => en.to_string(),
        }
    }
}

/// Renders a report in a format (the HTML report in `ui`).
pub fn render(report: &super::Report, format: Format, ui: UiLang) -> String {
    match format {
        Format::Json => json::render(report),
        Format::Html => html::render(report, ui),
        Format::Csv => csv::render(report),
        Format::Sarif => sarif::render(report),
    }
}
