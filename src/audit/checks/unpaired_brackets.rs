//! `unpaired-brackets`: a bracket or quotation mark opened and not closed, or closed and not
//! opened, within one paragraph.
//!
//! Brackets `()` `[]` `{}` pair by kind. Quotation marks pair by the languages' conventions:
//! Serbian „…“ (or „…”), Albanian and Serbian «…» and »…«, English “…”, and straight `"…"`.
//! Apostrophes and single quotes are not judged (an apostrophe is not a quote: `t'i`,
//! `don't`), nor list markers (`a)`, `1)`), emoticons (`:)`), inch marks (`24"`), a guillemet
//! standing alone as a separator (`Ballina » Lajme`), or placeholders and tags.

use crate::audit::context::AuditContext;
use crate::model::lang::LangTag;
use crate::model::{Category, Finding, Severity};

use super::{About, Check, Issue, Localized, Scope, TextRefs, run_on_segments_fixed};

/// Finds brackets and quotation marks without their pair.
pub struct UnpairedBrackets;

/// True when the `)` at `idx` closes a list marker (`a)`, `1)`, `iv)`) rather than a bracket:
/// one to three letters or digits at the start of the paragraph or after a space.
fn is_list_marker(chars: &[(usize, char)], idx: usize) -> bool {
    let mut start = idx;
    while start > 0 && chars[start - 1].1.is_alphanumeric() && idx - start < 4 {
        start -= 1;
    }
    let len = idx - start;
    (1..=3).contains(&len) && (start == 0 || chars[start - 1].1.is_whitespace())
}

/// The unpaired marks of one paragraph: byte offsets (into `text`) of each mark without its
/// pair. `chars` are the paragraph's characters of the masked text.
fn unpaired(chars: &[(usize, char)]) -> Vec<(usize, char)> {
    let mut stack: Vec<(usize, char)> = Vec::new();
    let mut lonely = Vec::new();
    for (idx, &(pos, c)) in chars.iter().enumerate() {
        let prev = idx.checked_sub(1).map(|i| chars[i].1);
        let next = chars.get(idx + 1).map(|(_, c)| *c);
        match c {
            // Not an emoticon's: ":(".
            '(' | '[' | '{' if !(c == '(' && matches!(prev, Some(':' | ';'))) => stack.push((pos, c)),
            ')' | ']' | '}' => {
                let open = match c {
                    ')' => '(',
                    ']' => '[',
                    _ => '{',
                };
                if let Some(at) = stack.iter().rposition(|(_, o)| *o == open) {
                    // Whatever opened after it and is still open is unpaired.
                    lonely.extend(stack.drain(at..).skip(1));
                } else if c == ')' && (matches!(prev, Some(':' | ';' | '-')) || is_list_marker(chars, idx)) {
                    // An emoticon or a list marker.
                } else {
                    lonely.push((pos, c));
                }
            }
            '„' => stack.push((pos, c)),
            '“' => {
                if stack.last().is_some_and(|(_, o)| *o == '„') {
                    stack.pop();
                } else {
                    stack.push((pos, c));
                }
            }
            '”' => {
                if stack.last().is_some_and(|(_, o)| matches!(o, '„' | '“')) {
                    stack.pop();
                } else if let Some(at) = stack.iter().rposition(|(_, o)| matches!(o, '„' | '“')) {
                    lonely.extend(stack.drain(at..).skip(1));
                } else {
                    lonely.push((pos, c));
                }
            }
            '«' | '»' => {
                // A separator: a guillemet with spaces on both sides, or doubled.
                let spaced = prev.is_none_or(char::is_whitespace) && next.is_none_or(char::is_whitespace);
                if spaced {
                    continue;
                }
                let other = if c == '«' { '»' } else { '«' };
                if stack.last().is_some_and(|(_, o)| *o == other) {
                    stack.pop();
                } else if let Some(at) = stack.iter().rposition(|(_, o)| *o == other) {
                    lonely.extend(stack.drain(at..).skip(1));
                } else {
                    stack.push((pos, c));
                }
            }
            '"' => {
                // An inch or second mark after a number.
                if prev.is_some_and(|p| p.is_ascii_digit()) && next.is_none_or(|n| !n.is_alphanumeric()) {
                    continue;
                }
                if stack.last().is_some_and(|(_, o)| *o == '"') {
                    stack.pop();
                } else if let Some(at) = stack.iter().rposition(|(_, o)| *o == '"') {
                    lonely.extend(stack.drain(at..).skip(1));
                } else {
                    stack.push((pos, c));
                }
            }
            _ => {}
        }
    }
    lonely.extend(stack);
    lonely.sort();
    lonely
}

impl Check for UnpairedBrackets {
    fn about(&self) -> About {
        About { id: "unpaired-brackets", severity: Severity::Warning, category: Category::Orthography, scope: Scope::Text }
    }

    fn issue_type(&self) -> &'static str {
        "typographical"
    }

    fn summary(&self) -> Localized {
        Localized { en: "A bracket or quotation mark without its pair", sq: "Kllapë ose thonjëz pa çiftin e saj", sr: "Zagrada ili navodnik bez para" }
    }

    fn docs(&self) -> &'static str {
        "Finds, within each paragraph, a bracket (`(` `[` `{`) or quotation mark opened and not closed, or closed and \
         not opened. Quotation marks pair by the conventions of the languages: Serbian „…“ (and „…”), Albanian «…», \
         Serbian »…«, English “…” and straight quotes. Apostrophes, list markers (`a)`, `1)`), emoticons, inch marks \
         (`24\"`), a guillemet standing alone as a separator (`Ballina » Lajme`) and code are left alone.\n\n\
         **Why** a quotation or an aside that is never closed leaves the reader unsure where it ends, and often marks \
         text lost in translation.\n\n\
         **Bad** sr-Latn: `Zakon o upotrebi jezika („Službeni list“ br. 02/L-37`\n\n\
         **Good** sr-Latn: `Zakon o upotrebi jezika („Službeni list“ br. 02/L-37)`"
    }

    fn detect(&self, text: &str, _lang: LangTag, _refs: &TextRefs<'_>) -> Vec<Issue> {
        if !text.contains(['(', ')', '[', ']', '{', '}', '„', '“', '”', '«', '»', '"']) {
            return Vec::new();
        }
        // Placeholders and tags are code; the rest is read as written (a quoted path or a
        // function name's brackets are text for this check).
        let mut masked = text.to_string();
        for token in super::placeholder_mismatch::placeholders(text) {
            masked.replace_range(token.start..token.end, &" ".repeat(token.end - token.start));
        }
        let mut out = Vec::new();
        let mut start = 0;
        for paragraph in masked.split("\n\n") {
            let chars: Vec<(usize, char)> = paragraph.char_indices().map(|(pos, c)| (start + pos, c)).collect();
            for (pos, c) in unpaired(&chars) {
                out.push(Issue::new(
                    self.id(),
                    pos..pos + c.len_utf8(),
                    format!("{c:?} has no matching pair in this paragraph"),
                    "Unpaired bracket or quote",
                    None,
                ));
            }
            start += paragraph.len() + 2;
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
        crate::audit::checks::tests::detected(&UnpairedBrackets, text, lang)
    }

    #[test]
    fn conventions_of_each_language_pair() {
        assert!(found("„Službeni list“ i „Službeni glasnik”", "sr-Latn").is_empty());
        assert!(found("»Službeni list« i «Gazeta zyrtare»", "sr-Latn").is_empty());
        assert!(found("«Gazeta Zyrtare» dhe \"Ligji\"", "sq").is_empty());
        assert!(found("“Official Gazette” (see [1])", "en").is_empty());
        assert!(found("a) e para b) e dyta 1) një iv) katër :) ;-)", "sq").is_empty());
        assert!(found("Ekrani 24\" dhe Ballina » Lajme « Prapa", "sq").is_empty());
        assert!(found("Shkruaj t'i dhe 'Po' don't", "sq").is_empty());
        assert!(found("%(name)s {0} <a href=\"x)\">lidhje</a>", "sq").is_empty());
        assert!(found("Shembull: “/rreth/kontakt/”. Formati (HH:MM[:ss[.uuuuuu]]) dhe get_absolute_url()", "sq").is_empty());
        assert!(found("Празна листа и „%(class_name)s.allow_empty“. Пример: \"/about/contact/\".", "sr-Cyrl").is_empty());
    }

    #[test]
    fn unpaired_marks_are_found() {
        assert_eq!(found("„Službeni list br. 5", "sr-Latn"), ["„"]);
        assert_eq!(found("Gazeta Zyrtare» nr. 5", "sq"), ["»"]);
        assert_eq!(found("(neni 5", "sq"), ["("]);
        assert_eq!(found("neni pesë) dhe (6", "sq"), [")", "("]);
        assert_eq!(found("[neni (5]", "sq"), ["("]);
        assert_eq!(found("\"Po", "en"), ["\""]);
        assert_eq!(found("(aa\n\nbbbb)", "en"), ["(", ")"]);
    }

    #[test]
    fn in_the_audit() {
        expect("unpaired-brackets", &[("sq", "Ligji ⟦(⟧nr. 02/L-37\n«Gazeta Zyrtare»"), ("sr-Cyrl", "Закон (бр. 02/Л-37)\n„Службени лист“")]);
    }
}
