//! `repeated-word`: the same word written twice in a row ("the the", "и и").
//!
//! Words are compared case-folded, separated by spaces only (a comma or a line break between
//! them is a deliberate repetition: "po, po"). Words repeated by the grammar are left alone:
//! Albanian clitics and particles (`për të të ndihmuar`, "to help you"; `e e`), English
//! "had had" and "that that". Numbers and code are not words here.

use crate::audit::context::AuditContext;
use crate::audit::prose::prose;
use crate::audit::vocabulary::words;
use crate::model::lang::{Lang, LangTag};
use crate::model::{Category, Finding, Severity};

use super::{About, Check, Issue, Localized, Scope, TextRefs, run_on_segments_fixed};

/// Finds a word written twice in a row.
pub struct RepeatedWord;

/// Words that the grammar of `lang` may repeat.
fn may_repeat(lang: Lang, word: &str) -> bool {
    match lang {
        Lang::Sq => matches!(word, "të" | "te" | "e" | "i" | "së" | "se" | "u" | "ta" | "t" | "do" | "më" | "me" | "na" | "ju" | "ia"),
        Lang::En => matches!(word, "had" | "that"),
        Lang::Sr | Lang::Bs => matches!(word, "da" | "što" | "šta" | "je" | "то" | "да" | "што" | "је"),
        _ => false,
    }
}

impl Check for RepeatedWord {
    fn about(&self) -> About {
        About { id: "repeated-word", severity: Severity::Warning, category: Category::Orthography, scope: Scope::Text }
    }

    fn issue_type(&self) -> &'static str {
        "duplication"
    }

    fn summary(&self) -> Localized {
        Localized { en: "A word written twice in a row", sq: "Një fjalë e shkruar dy herë radazi", sr: "Reč napisana dvaput zaredom" }
    }

    fn docs(&self) -> &'static str {
        "Finds the same word written twice in a row, separated by spaces only, compared without regard to case. \
         Words the grammar repeats are left alone (Albanian `për të të ndihmuar`, English `had had`), as are \
         repetitions across a comma or a line break, numbers and code. The suggestion keeps one.\n\n\
         **Why** a doubled word is a slip every reader notices; in a legal text it can make a provision read oddly or \
         ambiguously.\n\n\
         **Bad** sr-Cyrl: `Захтев се подноси у у року од 15 дана.`\n\n\
         **Good** sr-Cyrl: `Захтев се подноси у року од 15 дана.`"
    }

    fn detect(&self, text: &str, lang: LangTag, _refs: &TextRefs<'_>) -> Vec<Issue> {
        let masked = prose(text);
        let mut out = Vec::new();
        let mut previous: Option<(usize, &str)> = None;
        for (start, word) in words(&masked) {
            if let Some((prev_start, prev)) = previous {
                let between = &masked[prev_start + prev.len()..start];
                let spaces_only = !between.is_empty() && between.chars().all(|c| c == ' ' || c == '\u{a0}');
                // The gap must be spaces in the text too, not code blanked out.
                let gap_is_text = text.get(prev_start + prev.len()..start) == Some(between);
                let folded = word.to_lowercase();
                if spaces_only && gap_is_text && prev.to_lowercase() == folded && !may_repeat(lang.lang, &folded) {
                    let end = start + word.len();
                    out.push(Issue::new(
                        self.id(),
                        prev_start..end,
                        format!("{word:?} is written twice"),
                        "Repeated word",
                        Some(text[prev_start..prev_start + prev.len()].to_string()),
                    ));
                    previous = None;
                    continue;
                }
            }
            previous = Some((start, word));
        }
        out
    }

    fn run(&self, ctx: &AuditContext<'_>, out: &mut Vec<Finding>) {
        run_on_segments_fixed(self, ctx, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::checks::tests::expect;

    fn found(text: &str, lang: &str) -> Vec<String> {
        crate::audit::checks::tests::detected(&RepeatedWord, text, lang)
    }

    #[test]
    fn detector() {
        assert_eq!(found("The the deadline", "en"), ["The the"]);
        assert_eq!(found("Rok je je 15 dana i i više", "sr-Latn"), ["i i"]);
        assert!(found("për të të ndihmuar, po, po\nPo\npo 5 5 %s %s {0} {0}", "sq").is_empty());
        assert!(found("He had had enough; Komuna Komunat", "en").is_empty());
        assert_eq!(found("Komuna komuna e Prizrenit", "sq"), ["Komuna komuna"]);
    }

    #[test]
    fn in_the_audit() {
        expect("repeated-word", &[("sq", "Kërkesa ⟦dorëzohet dorëzohet⟧ brenda 15 ditëve."), ("sr-Cyrl", "Захтев се подноси у року од 15 дана.")]);
    }
}
