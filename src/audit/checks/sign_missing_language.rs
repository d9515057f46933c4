//! `sign-missing-language`: a place-name sign without one of the municipality's official
//! languages.

use crate::model::{Category, Severity};

use super::{About, Check, Localized, Scope};

/// Finds signs that lack a language official in their municipality; the logic is
/// [`crate::places::Places::check_sign`]'s.
pub struct SignMissingLanguage;

impl Check for SignMissingLanguage {
    fn about(&self) -> About {
        About { id: "sign-missing-language", severity: Severity::Error, category: Category::Completeness, scope: Scope::Sign }
    }

    fn summary(&self) -> Localized {
        Localized {
            en: "A sign lacks an official language of its municipality",
            sq: "Një tabelë nuk ka një gjuhë zyrtare të komunës së saj",
            sr: "Na tabli nedostaje službeni jezik njene opštine",
        }
    }

    fn docs(&self) -> &'static str {
        "Finds place-name signs (or rows of a name list) that do not carry every language official in the municipality \
         where the sign stands: Albanian and Serbian everywhere, and Turkish or Bosnian where the municipality has \
         given them official status. The municipality is the one given, or else the one of the place the sign \
         names. The suggestion is the place's official name in the missing language (Serbian in the script the \
         municipality's policy requires).\n\n\
         **Why** names of municipalities, villages and streets are written \"in the official languages and in the \
         languages of the communities that have the status of official language in that municipality\" (Law No. \
         02/L-37 on the Use of Languages, the provision on signs; DOMAIN.md A.5, S1).\n\n\
         **Bad** `Prishtinë`\n\n\
         **Good** `Prishtinë / Приштина`"
    }
}
