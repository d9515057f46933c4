//! `mixed-script`: look-alike letters of the other script inside a word, and Cyrillic
//! letters that Serbian does not use.

use crate::audit::context::AuditContext;
use crate::model::lang::{Lang, LangTag};
use crate::model::{Category, Finding, Severity};
use crate::text::script::{OffenderKind, analyze};

use super::{About, Check, Issue, Localized, Scope, TextRefs, run_on_segments};

/// Finds words mixing Latin and Cyrillic letters (homoglyphs such as Cyrillic а in a Latin
/// word), all-look-alike Cyrillic words in Latin text, and non-Serbian Cyrillic letters in
/// Serbian text.
pub struct MixedScript;

impl Check for MixedScript {
    fn about(&self) -> About {
        About { id: "mixed-script", severity: Severity::Error, category: Category::Script, scope: Scope::Text }
    }

    fn issue_type(&self) -> &'static str {
        "characters"
    }

    fn summary(&self) -> Localized {
        Localized {
            en: "Look-alike letters of the other script inside a word, or non-Serbian Cyrillic letters",
            sq: "Shkronja të ngjashme të alfabetit tjetër brenda një fjale, ose shkronja cirilike jo serbe",
            sr: "Slova drugog pisma slična izgledom unutar reči, ili ćirilična slova koja nisu srpska",
        }
    }

    fn docs(&self) -> &'static str {
        "Finds words that mix Latin and Cyrillic letters — usually a look-alike (homoglyph) such as Cyrillic а (U+0430) \
         in a Latin word or Latin o in a Cyrillic one —, words made only of Cyrillic look-alikes inside Latin text \
         (`је` for `je`), and Cyrillic letters that are not in the Serbian alphabet (ё й щ ъ ы ь э ю я ѓ ќ є ї ґ ў і) in \
         Serbian text. The suggestion rewrites the word in the script of its other letters.\n\n\
         **Why** such words look right but do not match in search, spell checking, screen readers or term look-ups, and \
         a mixed text does not honour either alphabet (Law No. 02/L-37 Art. 2 \"and their alphabets\"; DOMAIN.md D6).\n\n\
         **Bad** sr-Latn: `Odredišna fascikla je unutar polazne fаscikle.` (the second а is Cyrillic).\n\n\
         **Good** sr-Latn: `Odredišna fascikla je unutar polazne fascikle.`"
    }

    /// Per word, by [`analyze`]: the letters that do not belong to the word's script (in
    /// Serbian, also Cyrillic letters outside its alphabet), with the word in one script.
    fn detect(&self, text: &str, lang: LangTag, _refs: &TextRefs<'_>) -> Vec<Issue> {
        let serbian = matches!(lang.lang, Lang::Sr | Lang::Bs);
        let mut out = Vec::new();
        for word in &analyze(text).words {
            let offenders: Vec<_> = word.offenders.iter().filter(|offender| serbian || offender.kind != OffenderKind::NonSerbianCyrillic).collect();
            if offenders.is_empty() {
                continue;
            }
            // A lone Latin letter in Cyrillic text is a symbol (the x axis), not a Cyrillic
            // word typed with a look-alike, unless it looks like a Serbian one-letter word
            // (а, о, с, у: "Датотеке a не фасцикле").
            if word.word.chars().count() == 1
                && word.word.chars().all(|c| c.is_ascii_alphabetic() && !matches!(c.to_ascii_lowercase(), 'a' | 'o' | 'c' | 'y'))
                && offenders.iter().all(|offender| offender.kind != OffenderKind::NonSerbianCyrillic)
            {
                continue;
            }
            let mut fixed = String::with_capacity(word.word.len());
            let mut complete = true;
            for (offset, c) in word.word.char_indices() {
                match offenders.iter().find(|offender| offender.offset == word.start + offset).map(|offender| offender.looks_like) {
                    Some(Some(replacement)) => fixed.push(replacement),
                    Some(None) => {
                        complete = false;
                        fixed.push(c);
                    }
                    None => fixed.push(c),
                }
            }
            let letters: Vec<String> =
                offenders.iter().map(|offender| format!("{} U+{:04X}, {}", offender.found, u32::from(offender.found), offender.kind.describe())).collect();
            let all_foreign = offenders.iter().all(|offender| offender.kind == OffenderKind::NonSerbianCyrillic);
            out.push(Issue {
                check: self.id(),
                start: word.start,
                end: word.end,
                message: format!("{:?} has letters that do not belong to its script ({})", &text[word.start..word.end], letters.join("; ")),
                short_message: if all_foreign { "Letter not in the Serbian alphabet".to_string() } else { "Mixed Latin and Cyrillic letters".to_string() },
                replacements: if complete && fixed != word.word { vec![fixed] } else { Vec::new() },
            });
        }
        out
    }

    /// The detector, segment by segment: the audit and `/v2/check` judge a word alike.
    fn run(&self, ctx: &AuditContext<'_>, out: &mut Vec<Finding>) {
        run_on_segments(self, ctx, out);
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::checks::tests::expect;

    #[test]
    fn homoglyphs_inside_words() {
        expect(
            "mixed-script",
            &[
                ("sq", "Kartela e destinuar ndodhet në brendësi të kartelës buruese.\nZbraz ⟦kоshin⟧ para se të kryhet zmontimi?"),
                ("sr", "Odredišna fascikla je unutar polazne ⟦fаscikle⟧.\nDa li želite da ispraznite smeće?"),
            ],
        );
    }

    #[test]
    fn look_alike_words_and_foreign_cyrillic() {
        expect(
            "mixed-script",
            &[
                ("sq", "Fjalëkalimi juaj u caktua.\nDy fusha.\nTë drejtat ⟦е⟧ file."),
                ("sr", "Vaša lozinka ⟦је⟧ postavljena.\nДва ⟦поля⟧.\nДатотеке ⟦a⟧ не фасцикле, OK."),
            ],
        );
    }

    #[test]
    fn clean_text_in_either_script() {
        expect("mixed-script", &[("sq", "Ngarkoni një figurë të vlefshme në PDF."), ("sr", "Пребаците исправан фајл у PDF-у, е-пошта и URL-ова.")]);
        // A lone Latin letter as a symbol: the x axis.
        expect("mixed-script", &[("sr", "Положај панела дуж x осе, од леве ивице екрана.")]);
    }
}
