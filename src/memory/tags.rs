//! Tags and placeholders as tokens of a match: the text the fuzzy score reads, in which every
//! placeholder, markup tag and inline tag of the source format is one symbol, and the keys the
//! `tags` penalty compares.
//!
//! A stored variant's inline tags (TMX `bpt`/`ept`/`ph`/`it`, XLIFF `g`/`x`/`ph`/`bpt`/`ept`)
//! are not in its text; they take part as symbols at their offsets, so the same segment scores
//! alike whether its markup was written in the text (a PO file's `<b>`) or kept as inline tags
//! (a TMX `bpt` holding `<b>`). A tag whose native code reads as one placeholder or markup tag
//! is keyed by it (`<bpt>&lt;b&gt;</bpt>` is `<b>`, `<ph>%s</ph>` is `%s`); a tag without
//! readable code by its element (`<g>`, `</g>`, `<x>`). A query is plain text: its markup and
//! placeholders are read from it.
//!
//! The tiers compare scored texts too: a symbol is neither letter nor digit, so from the punct
//! tier on it is set aside like punctuation, and a hit that differs from the query only in its
//! tags ranks at tier `punct` (with the `tags` penalty saying what differs).
//!
//! What it does not do: carry tags into targets, or decide how many points a difference
//! costs (the penalties do).

use std::borrow::Cow;

use crate::model::InlineTag;
use crate::text::placeholders::{placeholders, symbol_of, symbols, tag_tokens};

/// The key of an inline tag: the placeholder its native code is, else its element.
pub fn inline_key(tag: &InlineTag) -> String {
    let code = tag.content.trim();
    if !code.is_empty() {
        let found = placeholders(code);
        if let [only] = found.as_slice()
            && only.start == 0
            && only.end == code.len()
        {
            return only.key.clone();
        }
    }
    format!("<{}>", tag.kind)
}

/// True when `TERMBRIDGE_TM_TAGS=characters` is set: tags are then scored character by
/// character, as the peer benchmark's truth scores them, so that `tm bench` can be compared
/// with it on texts that carry tags (read once a process).
fn tags_as_characters() -> bool {
    static AS_CHARACTERS: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *AS_CHARACTERS.get_or_init(|| std::env::var("TERMBRIDGE_TM_TAGS").is_ok_and(|value| value == "characters"))
}

/// The text a fuzzy match scores: `text` with each placeholder and markup tag as one symbol
/// (`text::placeholders::symbols`) and each inline tag's symbol at its offset. Borrowed when
/// there is neither, or when `TERMBRIDGE_TM_TAGS=characters` asks for the characters.
pub fn scored_text<'t>(text: &'t str, inline: &[InlineTag]) -> Cow<'t, str> {
    if tags_as_characters() {
        return Cow::Borrowed(text);
    }
    if inline.is_empty() {
        return symbols(text);
    }
    let mut inserts: Vec<(usize, char)> = inline
        .iter()
        .filter(|tag| tag.offset <= text.len() && text.is_char_boundary(tag.offset))
        .map(|tag| (tag.offset, symbol_of(&inline_key(tag))))
        .collect();
    // Stable: tags at one offset keep their order.
    inserts.sort_by_key(|&(offset, _)| offset);
    let mut out = String::with_capacity(text.len() + 4 * inserts.len());
    let mut at = 0;
    let mut next = inserts.iter().peekable();
    for token in tag_tokens(text).into_iter().map(|token| (token.start, token.end, token.symbol)).chain(std::iter::once((text.len(), text.len(), ' '))) {
        let (start, end, symbol) = token;
        while let Some(&&(offset, inserted)) = next.peek() {
            if offset > start {
                break;
            }
            // An offset inside a placeholder already passed (it cannot be split) comes after it.
            let upto = offset.max(at);
            out.push_str(&text[at..upto]);
            at = upto;
            out.push(inserted);
            next.next();
        }
        out.push_str(&text[at..start]);
        if end > start {
            out.push(symbol);
        }
        at = end;
    }
    Cow::Owned(out)
}

/// The keys of the placeholders, markup and inline tags of a text, sorted: two texts whose
/// keys differ carry different tags.
pub fn tag_keys(text: &str, inline: &[InlineTag]) -> Vec<String> {
    let mut keys: Vec<String> = placeholders(text).into_iter().map(|found| found.key).chain(inline.iter().map(inline_key)).collect();
    keys.sort_unstable();
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(offset: usize, kind: &str, content: &str) -> InlineTag {
        InlineTag { offset, kind: kind.into(), attrs: Vec::new(), content: content.into() }
    }

    #[test]
    fn inline_tags_are_keyed_by_their_code() {
        assert_eq!(inline_key(&tag(0, "bpt", "<b>")), "<b>");
        assert_eq!(inline_key(&tag(0, "ept", "</b>")), "</b>");
        assert_eq!(inline_key(&tag(0, "ph", "%s")), "%s");
        assert_eq!(inline_key(&tag(0, "ph", "<br/>")), "<br>");
        assert_eq!(inline_key(&tag(0, "g", "")), "<g>");
        assert_eq!(inline_key(&tag(0, "/g", "")), "</g>");
        assert_eq!(inline_key(&tag(0, "ph", "&nbsp;x")), "<ph>");
    }

    #[test]
    fn inline_tags_stand_where_they_were() {
        // "Click <b>Save</b> now" as a TMX segment: text "Click Save now", tags at 6 and 10.
        let inline = [tag(6, "bpt", "<b>"), tag(10, "ept", "</b>")];
        assert_eq!(scored_text("Click Save now", &inline), symbols("Click <b>Save</b> now"));
        assert_eq!(scored_text("Click Save now", &[]), "Click Save now");
        // With placeholders in the text too, and tags at the ends.
        let inline = [tag(0, "x", ""), tag(8, "ph", "%d"), tag(10, "x", "")];
        let expected: String = [symbol_of("<x>")]
            .into_iter()
            .chain("Saved ".chars())
            .chain([symbol_of("%s"), symbol_of("%d")])
            .chain("ok".chars())
            .chain([symbol_of("<x>")])
            .collect();
        assert_eq!(scored_text("Saved %sok", &inline), expected);
        // An offset past the text or inside a character is left out rather than misplaced.
        assert_eq!(scored_text("ë", &[tag(1, "x", ""), tag(9, "x", "")]), "ë");
    }

    #[test]
    fn keys_compare_tags_of_text_and_inline_alike() {
        assert_eq!(tag_keys("Click <b>Save</b>", &[]), tag_keys("Click Save", &[tag(6, "bpt", "<b>"), tag(10, "ept", "</b>")]));
        assert_ne!(tag_keys("Click <b>Save</b>", &[]), tag_keys("Click <i>Save</i>", &[]));
        assert_eq!(tag_keys("%1$s of %2$s", &[]), tag_keys("%2$s nga %1$s", &[]));
    }
}
