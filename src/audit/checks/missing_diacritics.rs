//! `missing-diacritics`: ë ç or č ć š ž đ dropped, judged against the document's own words.

use crate::audit::context::AuditContext;
use crate::audit::vocabulary::{Vocabulary, is_marked_letter, words};
use crate::model::lang::{Lang, LangTag};
use crate::model::{Category, Finding, Severity};
use crate::text::mojibake;
use crate::text::script::{Script, word_script};

use super::{About, Check, Issue, Localized, Scope, TextRefs};

/// Finds words written without the diacritics that the same document (or corpus, the
/// gazetteer, the terms) spells them with.
pub struct MissingDiacritics;

/// A word written without its diacritics: byte offset, the word, the word restored.
type Suspect<'t> = (usize, &'t str, String);

/// True when the suspects of one text (a segment, or a text sent to `/v2/check`) show the
/// loss of diacritics rather than chance: two suspects, or one of five letters or more, or
/// one in Albanian running text of 25 letters or more (`letters`) without any ë or ç
/// (`has_marks`). The audit and the proofreader judge by this one rule.
fn shows_loss(lang: Lang, suspects: &[Suspect<'_>], has_marks: bool, letters: usize) -> bool {
    // Albanian nouns in ë have inflected forms in e (temë, teme; kartelë, kartele): a word
    // that differs only in a final ë is weak evidence.
    let final_e_only = |word: &str, restored: &str| {
        let (word, restored) = (word.to_lowercase(), restored.to_lowercase());
        lang == Lang::Sq && restored.ends_with('ë') && restored[..restored.len() - 'ë'.len_utf8()] == word[..word.len() - 1]
    };
    // One short word is weak evidence (sto/što, tema/temë are both words); a long word or
    // two words are not.
    let strong: usize =
        suspects.iter().filter(|(_, word, restored)| !final_e_only(word, restored)).map(|(_, word, _)| if word.chars().count() >= 5 { 2 } else { 1 }).sum();
    let weak = suspects.iter().filter(|(_, word, restored)| final_e_only(word, restored)).count();
    // Albanian running text without a single ë or ç is itself unusual (ë is among its most
    // frequent letters), so there one word is enough.
    let long_unmarked = lang == Lang::Sq && !has_marks && letters >= 25;
    strong + weak >= 2 || (long_unmarked && strong >= 1)
}

impl Check for MissingDiacritics {
    fn about(&self) -> About {
        About { id: "missing-diacritics", severity: Severity::Error, category: Category::Orthography, scope: Scope::Text }
    }

    fn issue_type(&self) -> &'static str {
        "misspelling"
    }

    fn summary(&self) -> Localized {
        Localized {
            en: "Letters with diacritics replaced by plain letters (ë→e, ç→c, č→c, š→s …)",
            sq: "Shkronja me shenja diakritike të zëvendësuara me shkronja të thjeshta (ë→e, ç→c …)",
            sr: "Slova sa dijakriticima zamenjena običnim slovima (č→c, ć→c, š→s, ž→z, đ→dj …)",
        }
    }

    fn docs(&self) -> &'static str {
        "Finds Albanian words that lost ë or ç and Serbian Latin words that lost č ć š ž đ. It does not guess: a word is \
         reported only when the same document (or the audited corpus, the gazetteer, the term base) writes it with its \
         diacritics in text that was typed with them, and never without. One finding per segment; the suggestion \
         restores every such word. It takes two such words, or one of five letters or more: one short word is weak \
         evidence — except in Albanian running text of 25 letters or more without any ë or ç, itself unusual. The \
         word list is seeded with the function words whose forms without diacritics are not words (një, është, për; \
         već, još, može).\n\n\
         **Why** without diacritics Albanian and Serbian words change meaning or become other words (Serbian sto/što, \
         Albanian tema/temë); official texts in either language must be correctly spelled, and names lose their \
         official form (UNMIK Reg. 2000/43 Art. 1 for place names; DOMAIN.md V9, D8).\n\n\
         **Bad** sq: `Ky eshte vendimi per komunen.`\n\n\
         **Good** sq: `Ky është vendimi për komunën.`"
    }

    /// Each word the word list (and the text itself) spells with diacritics, when the text
    /// as a whole shows the loss ([`shows_loss`]), so that a single word the corpus happens
    /// to spell with a mark is not taken for a defect.
    fn detect(&self, text: &str, lang: LangTag, refs: &TextRefs<'_>) -> Vec<Issue> {
        let latin_text = lang.lang == Lang::Sq || lang == LangTag::SR_LATN || lang.lang == Lang::Bs;
        if !latin_text || !mojibake::detect(text).is_empty() {
            return Vec::new();
        }
        // The text vouches for the spellings it writes with marks (and is ignored when it
        // has none, see `Vocabulary::add_segment`).
        let mut own_words = Vocabulary::default();
        own_words.add_segment(lang.lang, text);
        let mut suspects: Vec<Suspect<'_>> = Vec::new();
        for (start, word) in words(text) {
            if word.chars().count() < 3 || word_script(word) != Script::Latn {
                continue;
            }
            if let Some(restored) = refs.vocabulary.restore_with(&own_words, lang.lang, word) {
                suspects.push((start, word, restored));
            }
        }
        let has_marks = text.chars().any(|c| is_marked_letter(lang.lang, c));
        let letters = text.chars().filter(|c| c.is_alphabetic()).count();
        if !shows_loss(lang.lang, &suspects, has_marks, letters) {
            return Vec::new();
        }
        suspects
            .into_iter()
            .map(|(start, word, restored)| {
                let message = format!("\"{word}\" is written without its diacritics: \"{restored}\"");
                Issue::new(self.id(), start..start + word.len(), message, "Missing diacritics", Some(restored))
            })
            .collect()
    }

    fn run(&self, ctx: &AuditContext<'_>, out: &mut Vec<Finding>) {
        for (version, view) in ctx.versions.iter().enumerate() {
            let lang = view.lang();
            if !matches!(lang, Lang::Sq | Lang::Sr | Lang::Bs) {
                continue;
            }
            for (segment_idx, segment) in view.segments.iter().enumerate() {
                if segment.damaged || segment.foreign.is_some() || segment.script() != Script::Latn {
                    continue;
                }
                let has_marks = segment.prose.chars().any(|c| is_marked_letter(lang, c));
                // Names in a segment that has its diacritics elsewhere are the place-name
                // check's to report.
                let mentions = &ctx.mentions[version][segment_idx];
                let mut suspects: Vec<(usize, &str, String)> = Vec::new();
                for (start, word) in words(&segment.prose) {
                    if word.chars().count() < 3 {
                        continue;
                    }
                    if has_marks && mentions.iter().any(|m| start >= m.start && start < m.end) {
                        continue;
                    }
                    if let Some(restored) = ctx.vocabulary.restore(lang, word) {
                        suspects.push((start, word, restored));
                    }
                }
                let letters = segment.prose.chars().filter(|c| c.is_alphabetic()).count();
                if !shows_loss(lang, &suspects, has_marks, letters) {
                    continue;
                }
                let mut suggestion = String::with_capacity(segment.text.len() + 8);
                let mut last = 0;
                for (start, word, restored) in &suspects {
                    suggestion.push_str(&segment.text[last..*start]);
                    suggestion.push_str(restored);
                    last = start + word.len();
                }
                suggestion.push_str(&segment.text[last..]);
                let list: Vec<String> = suspects.iter().map(|(_, word, restored)| format!("{word} → {restored}")).collect();
                let (start, word, _) = suspects[0];
                out.push(ctx.finding(
                    version,
                    segment_idx,
                    Some((start, start + word.len())),
                    format!("words written without their diacritics: {}", list.join(", ")),
                    Some(suggestion),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::checks::tests::expect;

    #[test]
    fn albanian_without_e_diaeresis() {
        expect(
            "missing-diacritics",
            &[
                ("sq", "Ndërroni temën (temë e tanishme: auto)\nNdërroni temën (temë e tanishme: e çelët)\n⟦Nderroni⟧ temen (teme e tanishme: e erret)"),
                ("sr", "Uključi temu (tema: auto)\nUključi temu (tema: svetla)\nUključi temu (tema: tamna)"),
            ],
        );
    }

    #[test]
    fn serbian_latin_without_caron() {
        expect(
            "missing-diacritics",
            &[
                ("sq", "Faleminderit që harxhoni kohë.\nFaleminderit që u regjistruat, tani mund të hyni."),
                ("sr", "Hvala što ste danas proveli vreme na sajtu, već sada možete da se prijavite.\nHvala ⟦sto⟧ ste se registrovali, vec sada mozete."),
            ],
        );
    }

    #[test]
    fn words_the_document_never_marks_are_left_alone() {
        expect("missing-diacritics", &[("sq", "Fjalëkalimi juaj u caktua.\nMirëfilltësimi u çaktivizua."), ("sr", "Sto dinara je cena.\nŠto pre, to bolje.")]);
    }
}
