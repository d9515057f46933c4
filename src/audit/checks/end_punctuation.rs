//! `end-punctuation`: versions of one segment that end with different punctuation (a full
//! stop in one, a question mark or nothing in another).
//!
//! Closing quotes and brackets after the mark are set aside (`„Po.“` ends like `"Yes."`), and
//! `...` is `…`. Segments without letters (numbers, codes) are not judged; neither are the
//! marks inside a segment, nor, in a row of labels of one or two words, the full stop that
//! ends an abbreviation (`пон.` for "Mon", `по п.` for "p.m.").

use crate::audit::context::AuditContext;
use crate::model::{Category, Finding, Severity};

use super::{About, Check, Localized, Scope, reference_member, row_members};

/// Finds a segment whose versions end with different punctuation.
pub struct EndPunctuation;

/// The closing quotes and brackets that may follow a segment's final mark.
const CLOSERS: &[char] = &['"', '\'', '”', '“', '’', '»', '«', ')', ']', '}', '>'];

/// The final mark of `text` (`.`, `…`, `!`, `?`, `:`, `;`, `,` or "" for none) and its byte
/// range, closing quotes and brackets set aside.
pub fn final_mark(text: &str) -> (&'static str, usize, usize) {
    let trimmed = text.trim_end().trim_end_matches(CLOSERS).trim_end();
    let end = trimmed.len();
    if trimmed.ends_with("...") || trimmed.ends_with('…') {
        let start = if trimmed.ends_with('…') { end - '…'.len_utf8() } else { end - 3 };
        return ("…", start, end);
    }
    let mark = match trimmed.chars().next_back() {
        Some('.') => ".",
        Some('!') => "!",
        Some('?') => "?",
        Some(':') => ":",
        Some(';') => ";",
        Some(',') => ",",
        _ => "",
    };
    (mark, end - mark.len(), end)
}

/// True when `text` is a label of one or two words whose final full stop ends an
/// abbreviation (a last word of at most four letters: `пон.`, `по п.`, `p.m.`).
fn is_abbreviation(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    let last = words.last().map_or("", |word| word.trim_end_matches(CLOSERS).trim_end_matches('.'));
    words.len() <= 2 && !last.is_empty() && last.chars().all(|c| c.is_alphabetic() || c == '.') && last.chars().filter(|c| c.is_alphabetic()).count() <= 4
}

fn described(mark: &str) -> &'static str {
    match mark {
        "." => "a full stop",
        "…" => "an ellipsis",
        "!" => "an exclamation mark",
        "?" => "a question mark",
        ":" => "a colon",
        ";" => "a semicolon",
        "," => "a comma",
        _ => "no punctuation",
    }
}

impl Check for EndPunctuation {
    fn about(&self) -> About {
        About { id: "end-punctuation", severity: Severity::Warning, category: Category::Quality, scope: Scope::Versions }
    }

    fn issue_type(&self) -> &'static str {
        "punctuation"
    }

    fn summary(&self) -> Localized {
        Localized {
            en: "The versions of a segment end with different punctuation",
            sq: "Versionet e një segmenti mbarojnë me pikësim të ndryshëm",
            sr: "Verzije jednog segmenta se završavaju različitom interpunkcijom",
        }
    }

    fn docs(&self) -> &'static str {
        "Compares the final punctuation mark of every aligned segment's versions: a full stop, an ellipsis (`...` = \
         `…`), an exclamation or question mark, a colon, a semicolon, a comma, or none. Closing quotes and brackets \
         after the mark are set aside, so `„Po.“` and `\"Yes.\"` both end with a full stop. Segments without letters \
         are not judged, and in a row of labels of one or two words, a full stop that ends an abbreviation counts as none \
         (`пон.` for `Mon`, `по п.` for `p.m.`). The finding goes to the version that differs from the others (with two versions: to the one \
         that is not Albanian).\n\n\
         **Why** a question turned into a statement, a label that lost its colon or a sentence cut off before its full \
         stop is a sign of an incomplete or careless translation, and the versions read differently.\n\n\
         **Bad** sq: `A doni ta fshini dokumentin?` sr: `Da li želite da obrišete dokument.`\n\n\
         **Good** sr: `Da li želite da obrišete dokument?`"
    }

    fn run(&self, ctx: &AuditContext<'_>, out: &mut Vec<Finding>) {
        for row in &ctx.rows {
            let members: Vec<(usize, usize)> = row_members(ctx, row)
                .into_iter()
                .filter(|&(v, s)| ctx.versions[v].segments[s].text.chars().filter(|c| c.is_alphabetic()).count() >= 2)
                .collect();
            if members.len() < 2 {
                continue;
            }
            // In a row of short labels, the full stop that ends an abbreviation (`пон.` for
            // "Mon", `по п.` for "p.m.") counts as none.
            let labels = members.iter().all(|&(v, s)| ctx.versions[v].segments[s].text.split_whitespace().count() <= 2);
            let marks: Vec<(&str, usize, usize)> = members
                .iter()
                .map(|&(v, s)| {
                    let text = &ctx.versions[v].segments[s].text;
                    match final_mark(text) {
                        (".", _, end) if labels && is_abbreviation(text) => ("", end, end),
                        mark => mark,
                    }
                })
                .collect();
            let kinds: Vec<&str> = marks.iter().map(|mark| mark.0).collect();
            if kinds.iter().all(|kind| *kind == kinds[0]) {
                continue;
            }
            let reference = reference_member(ctx, &members, &kinds);
            let reference_lang = ctx.versions[members[reference].0].lang().code();
            for (idx, &(version, segment)) in members.iter().enumerate() {
                if kinds[idx] == kinds[reference] {
                    continue;
                }
                let text = &ctx.versions[version].segments[segment].text;
                let (_, start, end) = marks[idx];
                // Nothing to point at when the mark is missing: the last character then.
                let span = if start < end { (start, end) } else { (text[..end].char_indices().next_back().map_or(0, |(pos, _)| pos), end) };
                let suggestion = format!("{}{}{}", &text[..start], kinds[reference], &text[end..]);
                out.push(ctx.finding(
                    version,
                    segment,
                    Some(span),
                    format!("this version ends with {}, the {reference_lang} version with {}", described(kinds[idx]), described(kinds[reference])),
                    Some(suggestion),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::checks::tests::expect;

    #[test]
    fn marks() {
        assert_eq!(final_mark("„Po.“").0, ".");
        assert_eq!(final_mark("«Po»!").0, "!");
        assert_eq!(final_mark("Ruaj si...").0, "…");
        assert_eq!(final_mark("Ruaj si…").0, "…");
        assert_eq!(final_mark("Emri (opsional)").0, "");
        assert_eq!(final_mark("Emri:").0, ":");
    }

    #[test]
    fn the_version_that_differs_is_found() {
        expect(
            "end-punctuation",
            &[
                ("sq", "A doni ta ruani?\nEmri:\nRuaj si…\n„Po.“"),
                ("sr", "Da li želite da sačuvat⟦e⟧\nIm⟦e⟧\nSačuvaj kao...\n»Da.«"),
                ("en", "Do you want to save?\nName:\nSave as...\n\"Yes.\""),
            ],
        );
    }

    #[test]
    fn a_question_made_a_statement_with_two_versions() {
        expect(
            "end-punctuation",
            &[
                ("sq", "A doni ta fshini?\n12.05\nHën\nm.d.\nU shtua “%(object)s”.\nU shtua."),
                ("sr-Cyrl", "Да ли желите да обришете⟦.⟧\n12:05\nпон.\nпо п.\nДодат објекат „%(object)s“.\nДода⟦т⟧"),
            ],
        );
    }
}
