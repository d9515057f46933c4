//! `whitespace`: doubled spaces, spaces before punctuation or inside brackets, and spaces at
//! the start of a text or the end of a line.
//!
//! The convention is the one Albanian, Serbian, English, Turkish and Bosnian share: no space
//! before `,` `.` `;` `:` `!` `?` or a closing bracket, none after an opening one (French's
//! spaced `;` `:` `!` `?` is not a convention of these languages). Code (placeholders, tags,
//! links) is not judged, and neither is an ellipsis, indentation, or a mark that starts a word
//! (`.NET`, ` :)`).

use crate::audit::context::AuditContext;
use crate::audit::prose::prose;
use crate::model::lang::LangTag;
use crate::model::{Category, Finding, Severity};

use super::{About, Check, Issue, Localized, Scope, TextRefs, run_on_segments_fixed};

/// Finds whitespace that the languages' conventions do not write.
pub struct Whitespace;

/// The marks no space goes before, in `lang` (the same for every language this audit reads).
fn no_space_before(_lang: LangTag) -> &'static [char] {
    &[',', '.', ';', ':', '!', '?', ')', ']']
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{a0}' | '\u{202f}')
}

/// The issues of one line (`start` is its byte offset in the whole text); `masked[i]` is true
/// where the text is code.
fn line_issues(text: &str, start: usize, end: usize, first_line: bool, masked: &[bool], lang: LangTag, out: &mut Vec<Issue>) {
    let check = Whitespace.id();
    let line = &text[start..end];
    let chars: Vec<(usize, char)> = line.char_indices().map(|(pos, c)| (start + pos, c)).collect();
    let near_code = |from: usize, to: usize| masked[from.saturating_sub(1)..(to + 1).min(masked.len())].iter().any(|m| *m);
    let content_start = chars.iter().position(|(_, c)| !is_space(*c));
    let Some(content_start) = content_start else { return };
    if first_line && content_start > 0 {
        out.push(Issue::new(check, start..chars[content_start].0, "the text starts with whitespace".to_string(), "Leading whitespace", Some(String::new())));
    }
    let content_end = chars.iter().rposition(|(_, c)| !is_space(*c)).unwrap_or(0);
    if content_end + 1 < chars.len() {
        let from = chars[content_end + 1].0;
        out.push(Issue::new(check, from..end, "the line ends with whitespace".to_string(), "Trailing whitespace", Some(String::new())));
    }
    let mut idx = content_start;
    while idx <= content_end {
        let (pos, c) = chars[idx];
        if !is_space(c) {
            // A space after an opening bracket: `( tekst`.
            if matches!(c, '(' | '[')
                && idx + 2 <= content_end
                && is_space(chars[idx + 1].1)
                && chars[idx + 2].1.is_alphanumeric()
                && !near_code(pos, chars[idx + 2].0)
            {
                let run_end = chars[idx + 2].0;
                out.push(Issue::new(check, pos..run_end, format!("a space after {c:?}"), "Space after bracket", Some(c.to_string())));
            }
            idx += 1;
            continue;
        }
        let run_start = idx;
        while idx <= content_end && is_space(chars[idx].1) {
            idx += 1;
        }
        // idx is now the first character after the run, which exists (the run is inside the content).
        let (after_pos, after) = chars[idx];
        let before = chars[run_start - 1].1;
        let from = chars[run_start].0;
        if near_code(from, after_pos) {
            continue;
        }
        let next = chars.get(idx + 1).map(|(_, c)| *c);
        let ends_word = next.is_none_or(|n| n.is_whitespace() || matches!(n, '"' | '”' | '“' | '»' | '«' | '\'' | '’'));
        let ellipsis = after == '…' || (after == '.' && next == Some('.'));
        let smiley = matches!(after, ':' | ';') && matches!(next, Some(')' | '(' | '-' | 'D' | 'P'));
        // After a symbol (`@/./+/-/_ .`) a space keeps the mark apart from a list of characters.
        let after_word = before.is_alphanumeric() || matches!(before, '"' | '”' | '“' | '»' | '«' | '’' | ')' | ']');
        if no_space_before(lang).contains(&after) && !ellipsis && !smiley && after_word && (ends_word || matches!(after, ')' | ']')) {
            let message = format!("a space before {after:?}");
            out.push(Issue::new(check, from..after_pos, message, "Space before punctuation", Some(String::new())));
        } else if idx - run_start >= 2 && !matches!(before, '(' | '[') {
            let message = format!("{} spaces where one belongs", idx - run_start);
            out.push(Issue::new(check, from..after_pos, message, "Repeated whitespace", Some(" ".to_string())));
        }
    }
}

impl Check for Whitespace {
    fn about(&self) -> About {
        About { id: "whitespace", severity: Severity::Warning, category: Category::Orthography, scope: Scope::Text }
    }

    fn issue_type(&self) -> &'static str {
        "whitespace"
    }

    fn summary(&self) -> Localized {
        Localized {
            en: "Doubled spaces, spaces before punctuation, leading or trailing whitespace",
            sq: "Hapësira të dyfishta, hapësirë para pikësimit, hapësirë në fillim ose në fund",
            sr: "Dvostruki razmaci, razmak ispred interpunkcije, razmak na početku ili na kraju",
        }
    }

    fn docs(&self) -> &'static str {
        "Finds two or more spaces between words, a space before `,` `.` `;` `:` `!` `?` or a closing bracket, a space \
         after an opening bracket, whitespace at the start of the text and at the end of a line, by the convention \
         Albanian, Serbian and English share (no space before those marks). Indentation, an ellipsis, a mark that \
         starts a word (`.NET`) a mark set apart from a list of symbols (`@/./+/-/_ .`) and code (placeholders, tags, links) are left \
         alone. The suggestion removes the \
         extra space.\n\n\
         **Why** stray spaces are visible on the page, break lines before a comma and mark a text as unrevised.\n\n\
         **Bad** sq: `Afati është  15 ditë , sipas ligjit.`\n\n\
         **Good** sq: `Afati është 15 ditë, sipas ligjit.`"
    }

    fn detect(&self, text: &str, lang: LangTag, _refs: &TextRefs<'_>) -> Vec<Issue> {
        if !text.contains(is_space) {
            return Vec::new();
        }
        let masked_text = prose(text);
        let masked: Vec<bool> = text.bytes().zip(masked_text.bytes()).map(|(a, b)| a != b).collect();
        let mut out = Vec::new();
        let mut start = 0;
        for (line_idx, line) in text.split('\n').enumerate() {
            let end = start + line.strip_suffix('\r').map_or(line.len(), str::len);
            line_issues(text, start, end, line_idx == 0, &masked, lang, &mut out);
            start += line.len() + 1;
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

    fn found(text: &str) -> Vec<String> {
        let places = crate::places::Places::shipped();
        let vocabulary = crate::audit::vocabulary::Vocabulary::seeded();
        let refs = TextRefs { places, terms: None, vocabulary: &vocabulary, lexicon: crate::lexicon::Lexicon::system(), known: None };
        Whitespace
            .detect(text, LangTag::parse("sq").unwrap(), &refs)
            .into_iter()
            .map(|issue| format!("{}:{:?}", issue.short_message, &text[issue.range()]))
            .collect()
    }

    #[test]
    fn detector() {
        assert_eq!(found(" Po"), ["Leading whitespace:\" \""]);
        assert_eq!(found("Po \nJo"), ["Trailing whitespace:\" \""]);
        assert_eq!(found("Po  jo"), ["Repeated whitespace:\"  \""]);
        assert_eq!(found("Po , jo ."), ["Space before punctuation:\" \"", "Space before punctuation:\" \""]);
        assert_eq!(found("( tekst )"), ["Space after bracket:\"( \"", "Space before punctuation:\" \""]);
        assert!(found("vetëm shkronja dhe shenjat @/./+/-/_ .").is_empty());
        assert!(found("Ruaj si …\nRuaj si ...\nPo :)\nMbi .NET dhe .pdf\nRreshti\n    i futur").is_empty());
        assert!(found("%s  %d\n<b> ,</b>\n{0} .").is_empty(), "code is not judged");
    }

    #[test]
    fn in_the_audit() {
        expect(
            "whitespace",
            &[("sq", "Afati është⟦  ⟧15 ditë.\nRuaj si …"), ("sr", "Rok je 15 dana⟦ ⟧.\nSačuvaj kao …"), ("en", "The deadline is 15 days.\nSave as …")],
        );
    }
}
