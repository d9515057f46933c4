//! `sign-order`: the languages of a sign in another order than the rule asks.

use crate::model::{Category, Severity};

use super::{About, Check, Localized, Scope};

/// Finds signs whose first language is not the one the order rule puts first (the
/// majority's language by default); the logic is [`crate::places::Places::check_sign`]'s.
pub struct SignOrder;

impl Check for SignOrder {
    fn about(&self) -> About {
        About { id: "sign-order", severity: Severity::Warning, category: Category::PlaceNames, scope: Scope::Sign }
    }

    fn summary(&self) -> Localized {
        Localized {
            en: "The languages of a sign are not in the required order",
            sq: "Gjuhët e tabelës nuk janë në rendin e kërkuar",
            sr: "Jezici na tabli nisu propisanim redom",
        }
    }

    fn docs(&self) -> &'static str {
        "Finds signs whose first language is not the one the order rule puts first: by default the language of the \
         municipality's majority community (`majority-first`), or Albanian, Serbian, then the other official \
         languages (`law-order`); `any` turns the check off. A warning: the rule is a reading of the law, not its \
         letter.\n\n\
         **Why** the Language Commissioner's reading of March 2024 puts the majority's language first, in Serb-majority \
         municipalities Serbian; Law No. 02/L-37 Art. 2 lists Albanian and Serbian in that order (DOMAIN.md A.5, S4).\n\n\
         **Bad** `Приштина / Prishtinë`\n\n\
         **Good** `Prishtinë / Приштина`"
    }
}
