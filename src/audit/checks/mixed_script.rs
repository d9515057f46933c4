//! `mixed-script`: look-alike letters of the other script inside a word, and Cyrillic
//! letters that Serbian does not use.

use crate::audit::context::AuditContext;
use crate::model::lang::Lang;
use crate::model::{Category, Finding, Severity};

use super::{Check, Localized};

/// Finds words mixing Latin and Cyrillic letters (homoglyphs such as Cyrillic а in a Latin
/// word), all-look-alike Cyrillic words in Latin text, and non-Serbian Cyrillic letters in
/// Serbian text.
pub struct MixedScript;

/// Cyrillic letters that look like Latin ones, with their Latin twin.
const CYRILLIC_TO_LATIN: &[(char, char)] = &[
    ('а', 'a'), // CYRILLIC SMALL LETTER A
    ('е', 'e'), // CYRILLIC SMALL LETTER IE
    ('о', 'o'), // CYRILLIC SMALL LETTER O
    ('р', 'p'), // CYRILLIC SMALL LETTER ER
    ('с', 'c'), // CYRILLIC SMALL LETTER ES
    ('у', 'y'), // CYRILLIC SMALL LETTER U
    ('х', 'x'), // CYRILLIC SMALL LETTER HA
    ('ј', 'j'), // CYRILLIC SMALL LETTER JE
    ('і', 'i'), // CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I
    ('ѕ', 's'), // CYRILLIC SMALL LETTER DZE
    ('һ', 'h'), // CYRILLIC SMALL LETTER SHHA
    ('ԁ', 'd'), // CYRILLIC SMALL LETTER KOMI DE
    ('А', 'A'), // CYRILLIC CAPITAL LETTER A
    ('В', 'B'), // CYRILLIC CAPITAL LETTER VE
    ('Е', 'E'), // CYRILLIC CAPITAL LETTER IE
    ('К', 'K'), // CYRILLIC CAPITAL LETTER KA
    ('М', 'M'), // CYRILLIC CAPITAL LETTER EM
    ('Н', 'H'), // CYRILLIC CAPITAL LETTER EN
    ('О', 'O'), // CYRILLIC CAPITAL LETTER O
    ('Р', 'P'), // CYRILLIC CAPITAL LETTER ER
    ('С', 'C'), // CYRILLIC CAPITAL LETTER ES
    ('Т', 'T'), // CYRILLIC CAPITAL LETTER TE
    ('Х', 'X'), // CYRILLIC CAPITAL LETTER HA
    ('Ј', 'J'), // CYRILLIC CAPITAL LETTER JE
    ('І', 'I'), // CYRILLIC CAPITAL LETTER BYELORUSSIAN-UKRAINIAN I
    ('Ѕ', 'S'), // CYRILLIC CAPITAL LETTER DZE
];

/// Cyrillic letters outside the 30 of the Serbian alphabet (Vuk's): Russian, Ukrainian,
/// Belarusian, Macedonian, Bulgarian letters that a keyboard layout or a converter slips in.
const NON_SERBIAN_CYRILLIC: &[char] = &[
    'ё', 'Ё', // CYRILLIC LETTER IO
    'й', 'Й', // CYRILLIC LETTER SHORT I
    'щ', 'Щ', // CYRILLIC LETTER SHCHA
    'ъ', 'Ъ', // CYRILLIC LETTER HARD SIGN
    'ы', 'Ы', // CYRILLIC LETTER YERU
    'ь', 'Ь', // CYRILLIC LETTER SOFT SIGN
    'э', 'Э', // CYRILLIC LETTER E
    'ю', 'Ю', // CYRILLIC LETTER YU
    'я', 'Я', // CYRILLIC LETTER YA
    'ѓ', 'Ѓ', // CYRILLIC LETTER GJE (Macedonian)
    'ќ', 'Ќ', // CYRILLIC LETTER KJE (Macedonian)
    'є', 'Є', // CYRILLIC LETTER UKRAINIAN IE
    'ї', 'Ї', // CYRILLIC LETTER YI
    'ґ', 'Ґ', // CYRILLIC LETTER GHE WITH UPTURN
    'ў', 'Ў', // CYRILLIC LETTER SHORT U
    'і', 'І', // CYRILLIC LETTER BYELORUSSIAN-UKRAINIAN I
];

fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{04FF}').contains(&c) || ('\u{0500}'..='\u{052F}').contains(&c)
}

fn is_latin(c: char) -> bool {
    c.is_alphabetic() && (c as u32) < 0x0250
}

fn to_latin(c: char) -> Option<char> {
    CYRILLIC_TO_LATIN.iter().find(|(cyr, _)| *cyr == c).map(|(_, lat)| *lat)
}

fn to_cyrillic(c: char) -> Option<char> {
    CYRILLIC_TO_LATIN.iter().find(|(_, lat)| *lat == c).map(|(cyr, _)| *cyr)
}

/// Words as runs of letters of any script (so a mixed word stays one word).
fn words(text: &str) -> Vec<(usize, &str)> {
    crate::audit::vocabulary::words(text).collect()
}

impl Check for MixedScript {
    fn id(&self) -> &'static str {
        "mixed-script"
    }

    fn severity(&self) -> Severity {
        Severity::Error
    }

    fn category(&self) -> Category {
        Category::Script
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
         **Bad** `Odredišna fascikla je unutar polazne fаscikle.` (the second а is Cyrillic).\n\n\
         **Good** `Odredišna fascikla je unutar polazne fascikle.`"
    }

    fn run(&self, ctx: &AuditContext<'_>, out: &mut Vec<Finding>) {
        for (version, view) in ctx.versions.iter().enumerate() {
            let serbian = matches!(view.lang(), Lang::Sr | Lang::Bs);
            for (segment_idx, segment) in view.segments.iter().enumerate() {
                if segment.damaged {
                    continue;
                }
                let latin_segment = segment.latin >= 4 * segment.cyrillic.max(1) || segment.cyrillic == 0;
                for (start, word) in words(&segment.prose) {
                    let latin = word.chars().filter(|c| is_latin(*c)).count();
                    let cyrillic = word.chars().filter(|c| is_cyrillic(*c)).count();
                    let span = Some((start, start + word.len()));
                    if latin > 0 && cyrillic > 0 {
                        // Rewrite in the script of the majority of the word's letters.
                        let suggestion: String = if latin >= cyrillic {
                            word.chars().map(|c| if is_cyrillic(c) { to_latin(c).unwrap_or(c) } else { c }).collect()
                        } else {
                            word.chars().map(|c| if is_latin(c) { to_cyrillic(c).unwrap_or(c) } else { c }).collect()
                        };
                        let odd: Vec<String> = word
                            .chars()
                            .filter(|c| if latin >= cyrillic { is_cyrillic(*c) } else { is_latin(*c) })
                            .map(|c| format!("{c} U+{:04X}", c as u32))
                            .collect();
                        out.push(ctx.finding(
                            version,
                            segment_idx,
                            span,
                            format!("the word mixes Latin and Cyrillic letters ({} from the other script)", odd.join(", ")),
                            Some(suggestion),
                        ));
                        continue;
                    }
                    // A word of Cyrillic look-alikes in Latin text: two letters or more, or a
                    // single one when it is the only Cyrillic in the segment.
                    if cyrillic > 0
                        && (cyrillic > 1 || segment.cyrillic == cyrillic)
                        && latin_segment
                        && segment.latin > 0
                        && word.chars().all(|c| to_latin(c).is_some())
                    {
                        let suggestion: String = word.chars().map(|c| to_latin(c).unwrap_or(c)).collect();
                        out.push(ctx.finding(
                            version,
                            segment_idx,
                            span,
                            "this word in Latin text is written with Cyrillic look-alike letters".to_string(),
                            Some(suggestion),
                        ));
                        continue;
                    }
                    // A lowercase word of Latin look-alikes in Cyrillic text (`a` for `а`);
                    // capitals are left alone: acronyms such as OK or TV are written so.
                    let cyrillic_segment = segment.cyrillic >= 4 * segment.latin.max(1);
                    // Only one- and two-letter words: longer Latin words in Cyrillic text are
                    // names and code more often than look-alikes.
                    if latin > 0 && latin <= 2 && cyrillic == 0 && cyrillic_segment && word.chars().all(|c| c.is_lowercase() && to_cyrillic(c).is_some()) {
                        let suggestion: String = word.chars().map(|c| to_cyrillic(c).unwrap_or(c)).collect();
                        out.push(ctx.finding(
                            version,
                            segment_idx,
                            span,
                            "this word in Cyrillic text is written with Latin look-alike letters".to_string(),
                            Some(suggestion),
                        ));
                        continue;
                    }
                    if serbian && cyrillic > 0 {
                        let foreign: Vec<char> = word.chars().filter(|c| NON_SERBIAN_CYRILLIC.contains(c)).collect();
                        if !foreign.is_empty() {
                            let names: Vec<String> = foreign.iter().map(|c| format!("{c} U+{:04X}", *c as u32)).collect();
                            out.push(ctx.finding(
                                version,
                                segment_idx,
                                span,
                                format!("the word has Cyrillic letters that are not in the Serbian alphabet ({})", names.join(", ")),
                                None,
                            ));
                        }
                    }
                }
            }
        }
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
    }
}
