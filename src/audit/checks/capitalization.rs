//! `capitalization`: a version that starts its sentence with a small letter where the other
//! versions start with a capital, and text in ALL CAPITALS that the other versions write in
//! ordinary case.
//!
//! Only a sentence (three words or more, ending with `.` `!` `?` or `…`) is judged at its
//! start, since English capitalises labels that Albanian and Serbian do not (language, month
//! and day names), and only one that starts with a letter (one that starts with a
//! number, a placeholder or a quote's content is left alone), and a first word written in
//! mixed case (`iPhone`, `eKosova`) is a name. Capitals count as shouting from three words, or two
//! words of eleven letters, on, so acronyms (`OSBE`, `KFOR`, `PDF`), which languages write differently,
//! are not judged.

use crate::audit::context::AuditContext;
use crate::audit::vocabulary::words;
use crate::model::{Category, Finding, Severity};

use super::{About, Check, Localized, Scope, row_members};

/// Finds capitalisation that differs from the other versions'.
pub struct Capitalization;

/// The byte range of the first letter of `text` and whether it is a capital, when `text`
/// starts (after opening quotes, brackets, dashes and bullets) with a word that is not written
/// in mixed case.
pub fn start_case(text: &str) -> Option<(usize, usize, bool)> {
    let start = text.find(|c: char| !(c.is_whitespace() || "\"'„“”«»‘’([-–—•*·¿¡".contains(c)))?;
    let first = text[start..].chars().next()?;
    if !first.is_alphabetic() {
        return None;
    }
    let word_end = text[start..].find(|c: char| !c.is_alphabetic()).map_or(text.len(), |len| start + len);
    let word = &text[start..word_end];
    let rest_has_capital = word.chars().skip(1).any(char::is_uppercase);
    if first.is_lowercase() && rest_has_capital {
        return None;
    }
    // A first word in capitals is an acronym or a shouted heading, not a sentence start.
    if word.chars().count() > 1 && !word.chars().skip(1).any(char::is_lowercase) {
        return None;
    }
    Some((start, start + first.len_utf8(), first.is_uppercase()))
}

/// The first run of words in capitals (three words, or two of eleven letters or more) in
/// `prose`, as a byte range; words separated by a comma are a list (of acronyms), not a run.
pub fn shouted(prose: &str) -> Option<(usize, usize)> {
    let mut run: Option<(usize, usize, usize, usize)> = None; // start, end, words, letters
    for (start, word) in words(prose) {
        let letters = word.chars().count();
        let capitals = letters >= 2 && !word.chars().any(char::is_lowercase);
        if capitals {
            // Words in a run are separated by spaces and light punctuation only.
            let joined = run.filter(|&(_, end, _, _)| prose[end..start].chars().all(|c| c.is_whitespace() || "-–:&/".contains(c)));
            run = Some(match joined {
                Some((run_start, _, count, total)) => (run_start, start + word.len(), count + 1, total + letters),
                None => (start, start + word.len(), 1, letters),
            });
            if let Some((run_start, end, count, total)) = run
                && (count >= 3 || total >= 11)
                && count >= 2
            {
                // Extend to the end of the run before answering.
                let base = end;
                let mut end = end;
                for (next_start, next) in words(&prose[base..]) {
                    let next_start = base + next_start;
                    let gap_ok = prose[end..next_start].chars().all(|c| c.is_whitespace() || "-–:&/".contains(c));
                    if gap_ok && next.chars().count() >= 2 && !next.chars().any(char::is_lowercase) {
                        end = next_start + next.len();
                    } else {
                        break;
                    }
                }
                return Some((run_start, end));
            }
        } else {
            run = None;
        }
    }
    None
}

/// True for a version that reads as a sentence or a message even without a full stop: three
/// words or more ("An error occurred in the backend"), or two with a final mark ("Verifying
/// backup…"). A label of one or two words ("Monday", "Language") is not.
fn sentence_like(text: &str) -> bool {
    let count = text.split_whitespace().count();
    count >= 3 || (count == 2 && !super::end_punctuation::final_mark(text).0.is_empty())
}

/// True when `text` starts with a word in capitals (`GTK`, `PDF`): it starts with a capital,
/// though not as a sentence start that [`start_case`] judges.
fn starts_with_acronym(text: &str) -> bool {
    let word = text.trim_start().split(|c: char| !c.is_alphanumeric()).next().unwrap_or_default();
    word.chars().count() > 1 && word.chars().next().is_some_and(char::is_uppercase) && !word.chars().any(char::is_lowercase)
}

/// Serbian and Albanian day names (Albanian after its article `e`), which both languages write
/// with a small letter.
const DAYS: &[&str] = &[
    "ponedeljak",
    "utorak",
    "sreda",
    "srijeda",
    "četvrtak",
    "petak",
    "subota",
    "nedelja",
    "nedjelja",
    "понедељак",
    "уторак",
    "среда",
    "четвртак",
    "петак",
    "субота",
    "недеља",
    "hënë",
    "martë",
    "mërkurë",
    "enjte",
    "premte",
    "shtunë",
    "diel",
];

/// True when `text` starts with a month or day name, or Albanian `e` and a day name: a date
/// at a sentence's start keeps its small letter in Albanian and Serbian.
fn starts_with_calendar_word(text: &str) -> bool {
    let mut words = text.split(|c: char| !c.is_alphabetic()).filter(|word| !word.is_empty()).map(str::to_lowercase);
    let first = words.next().unwrap_or_default();
    let day = |word: &str| DAYS.contains(&word);
    super::number_mismatch::month_number(&first).is_some() || day(&first) || (first == "e" && words.next().is_some_and(|next| day(&next)))
}

impl Check for Capitalization {
    fn about(&self) -> About {
        About { id: "capitalization", severity: Severity::Warning, category: Category::Orthography, scope: Scope::Versions }
    }

    fn issue_type(&self) -> &'static str {
        "typographical"
    }

    fn summary(&self) -> Localized {
        Localized {
            en: "A sentence starts with a small letter, or text is in capitals, unlike the other versions",
            sq: "Fjalia fillon me shkronjë të vogël, ose teksti është me shkronja të mëdha, ndryshe nga versionet e tjera",
            sr: "Rečenica počinje malim slovom, ili je tekst velikim slovima, za razliku od drugih verzija",
        }
    }

    fn docs(&self) -> &'static str {
        "Compares every aligned segment's versions: a version that starts with a small letter where every other \
         version starts with a capital, and a version written in capitals (three words, or two of eleven letters or more) where \
         no other version is. Only sentences (three words or more, ending with `.` `!` `?` or `…`) are judged at their start, \
         since Albanian and Serbian write language, month and day names with a small letter where English \
         capitalises them; one that starts with a number, a placeholder or a word in mixed case (`iPhone`) is not, and acronyms alone (`OSBE`, `KFOR`) are not capitals in this sense.\n\n\
         **Why** a sentence that starts with a small letter looks truncated or carelessly translated, and a version \
         that shouts where the others do not gives its readers a different text.\n\n\
         **Bad** sq: `Kërkesa dorëzohet në zyrën e pritjes.` sr: `zahtev se podnosi u prijemnoj kancelariji.`\n\n\
         **Good** sr: `Zahtev se podnosi u prijemnoj kancelariji.`"
    }

    fn run(&self, ctx: &AuditContext<'_>, out: &mut Vec<Finding>) {
        for row in &ctx.rows {
            let members = row_members(ctx, row);
            if members.len() < 2 {
                continue;
            }
            let texts: Vec<&crate::audit::context::Segment> = members.iter().map(|&(v, s)| &ctx.versions[v].segments[s]).collect();
            // Only a sentence has a sentence start: three words or more, ending with . ! ? or …
            // (a label such as a language, month or day name is capitalised in English only).
            let sentence = |text: &str| text.split_whitespace().count() >= 3 && matches!(super::end_punctuation::final_mark(text).0, "." | "!" | "?" | "…");
            let capitals: Vec<Option<(usize, usize, bool)>> = texts.iter().map(|seg| start_case(&seg.text)).collect();
            let starts: Vec<Option<(usize, usize, bool)>> = capitals.iter().zip(&texts).map(|(start, seg)| start.filter(|_| sentence(&seg.text))).collect();
            let shouts: Vec<Option<(usize, usize)>> = texts.iter().map(|seg| shouted(&seg.prose)).collect();
            for (idx, &(version, segment)) in members.iter().enumerate() {
                let others = || (0..members.len()).filter(move |&other| other != idx);
                let lang_of = |other: usize| ctx.versions[members[other].0].lang().code();
                // The original's first word may be a name written in small letters ("pluma
                // cannot …"): a translation is judged against it, never the other way round.
                // The other versions need only start with a capital, a short sentence too
                // ("Врста датотеке."), as long as one of them is a sentence.
                if let Some((start, end, false)) = starts[idx]
                    && (members.len() > 2 || version != ctx.original())
                    && others().all(|other| matches!(capitals[other], Some((_, _, true))) || starts_with_acronym(&texts[other].text))
                    && others().any(|other| starts[other].is_some() || sentence_like(&texts[other].text))
                    && !starts_with_calendar_word(&texts[idx].text[start..])
                {
                    let other = others().next().unwrap_or(idx);
                    let text = &texts[idx].text;
                    let capital: String = text[start..end].to_uppercase();
                    out.push(ctx.finding(
                        version,
                        segment,
                        Some((start, end)),
                        format!("the sentence starts with a small letter; the {} version starts with a capital", lang_of(other)),
                        Some(format!("{}{capital}{}", &text[..start], &text[end..])),
                    ));
                    continue;
                }
                if let Some((start, end)) = shouts[idx]
                    && others().all(|other| shouts[other].is_none() && texts[other].prose.chars().filter(|c| c.is_lowercase()).count() >= 4)
                {
                    let other = others().next().unwrap_or(idx);
                    out.push(ctx.finding(
                        version,
                        segment,
                        Some((start, end)),
                        format!("written in capitals where the {} version is not", lang_of(other)),
                        None,
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::AuditConfig;
    use crate::audit::checks::tests::{expect, expect_with};

    #[test]
    fn starts_and_capitals() {
        assert_eq!(start_case("„kërkesa"), Some((3, 4, false)));
        assert_eq!(start_case("Захтев"), Some((0, 2, true)));
        assert_eq!(start_case("iPhone është"), None);
        assert_eq!(start_case("%s skedarë"), None);
        assert_eq!(start_case("5 ditë"), None);
        assert_eq!(start_case("PDF skedar"), None);
        assert_eq!(shouted("NJOFTIM PËR PUBLIKUN sot"), Some((0, 21)));
        assert_eq!(shouted("OSBE dhe KFOR"), None);
        assert_eq!(shouted("Raporti i OSBE KFOR"), None);
        assert_eq!(shouted("OSBE, KFOR, UNMIK, EULEX"), None);
        assert_eq!(shouted("ОБАВЕШТЕЊЕ ЈАВНОСТИ"), Some((0, 37)));
        assert_eq!(shouted("ДОБРО ДОШЛИ"), None);
    }

    #[test]
    fn a_small_letter_and_shouting_are_found_on_the_version_that_differs() {
        expect(
            "capitalization",
            &[
                ("sq", "Kërkesa dorëzohet sot.\n⟦NJOFTIM PËR PUBLIKUN⟧\nRaporti i OSBE-së\n%s skedarë\niPhone është gati\nArabisht\nJanar"),
                ("sr", "⟦z⟧ahtev se podnosi danas.\nObaveštenje za javnost\nIzveštaj OEBS-a\n%s datoteka\niPhone je spreman\narapski\njanuar"),
                ("en", "The request is filed today.\nNotice to the public\nThe OSCE report\n%s files\niPhone is ready\nArabic\nJanuary"),
            ],
        );
        expect("capitalization", &[("sq", "Njoftim për publikun"), ("sr-Cyrl", "⟦ОБАВЕШТЕЊЕ ЗА ЈАВНОСТ⟧"), ("en", "Notice to the public")]);
        // The other versions' short sentences count as starting with a capital.
        expect("capitalization", &[("sq", "⟦l⟧loji i skedarit."), ("sr-Cyrl", "Врста датотеке."), ("en", "The type of the file.")]);
    }

    #[test]
    fn messages_without_a_full_stop_count_as_sentences_but_labels_and_dates_do_not() {
        // The other versions are messages of three words or more, or two with a final mark,
        // written without a full stop, as software and web pages often write them.
        expect(
            "capitalization",
            &[
                ("sq", "Ndodhi një gabim në programin e djegies\nDuke verifikuar kopjen…\nModaliteti GTK nuk është i disponueshëm"),
                ("sr", "⟦d⟧ošlo je do greške u programu za rezanje.\n⟦p⟧roveravam rezervnu kopiju…\n⟦g⟧tk (stari) režim nije dostupan u ovoj izgradnji."),
                ("en", "An error occurred in the burn backend\nVerifying backup…\nGTK (legacy) mode is unavailable in this build."),
            ],
        );
        // Labels of one or two words stay unjudged, and so do dates at a sentence's start.
        expect(
            "capitalization",
            &[
                ("sq", "e hënë, 5 maj 2025.\nmaj 2025 ishte muaji i fundit.\nGjuha shqipe"),
                ("sr", "Ponedeljak, 5. maj 2025.\nMaj 2025. je bio poslednji mesec.\nSrpski jezik"),
                ("en", "Monday, 5 May 2025.\nMay 2025 was the last month.\nAlbanian"),
            ],
        );
    }

    #[test]
    fn the_original_is_not_judged_by_its_translation() {
        // "pluma" is the program's name: the English original writes it small.
        let config = AuditConfig { source: Some(crate::model::lang::Lang::En), ..AuditConfig::default() };
        expect_with("capitalization", &[("sr", "Pluma ne može da rukuje ovim mestom."), ("en", "pluma cannot handle this location.")], &config);
    }
}
