//! `sign-script`: Serbian on a sign in the wrong script, a part mixing scripts, or Serbian
//! Cyrillic and Latin that do not transliterate into each other.

use crate::model::{Category, Severity};

use super::{About, Check, Localized, Scope};

/// Finds signs whose Serbian does not follow the municipality's script policy, parts that
/// mix Latin and Cyrillic letters, and Serbian Cyrillic and Latin parts that disagree; the
/// logic is [`crate::places::Places::check_sign`]'s.
pub struct SignScript;

impl Check for SignScript {
    fn about(&self) -> About {
        About { id: "sign-script", severity: Severity::Error, category: Category::Script, scope: Scope::Sign }
    }

    fn summary(&self) -> Localized {
        Localized {
            en: "Serbian on a sign is not in the required script, or a part mixes scripts",
            sq: "Serbishtja në tabelë nuk është me alfabetin e kërkuar, ose një pjesë përzien alfabetet",
            sr: "Srpski na tabli nije napisan propisanim pismom, ili deo meša pisma",
        }
    }

    fn docs(&self) -> &'static str {
        "Finds signs whose Serbian is written only in Latin where the municipality's policy requires Cyrillic (or \
         only in one script where it requires both), parts that mix Latin and Cyrillic letters (a Cyrillic п inside \
         a Latin name), and Serbian Cyrillic and Latin parts that do not transliterate into each other. The policy \
         comes from the municipality language table unless one is given. The suggestion, where there is one, is \
         the official name in the missing script.\n\n\
         **Why** Serbian is official \"and its alphabet\" (Law No. 02/L-37 Art. 2); the Commissioner treats Cyrillic \
         as part of Serbian's status on signs (DOMAIN.md A.5, S3, S6).\n\n\
         **Bad** `Prishtinë / Priština`\n\n\
         **Good** `Prishtinë / Приштина`"
    }
}
