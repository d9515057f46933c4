//! The prose of a segment: its text with code masked out — printf and brace placeholders
//! (`%(name)s`, `%d`, `{0}`), markup tags, backtick spans, URLs, e-mail addresses and
//! identifier-like tokens (`app_label`, `default:mm`, `index.html`). Masked characters become
//! spaces of the same byte length, so byte offsets into the prose are offsets into the text.
//!
//! Script, language and spelling checks read the prose: the letters of a placeholder are
//! neither Latin text in a Cyrillic version nor English. Invariant checks read the text
//! itself (a URL is an invariant).

/// Replaces `text[start..end]` in `out` (a copy of `text`) by spaces, byte for byte.
fn blank(out: &mut [u8], start: usize, end: usize) {
    for byte in &mut out[start..end] {
        *byte = b' ';
    }
}

fn is_code_joiner(c: char) -> bool {
    matches!(c, '_' | ':' | '/' | '=' | '.' | '\\' | '#' | '@')
}

/// The prose of `text` (see the module documentation).
pub fn prose(text: &str) -> String {
    if !text.contains(['%', '{', '<', '`', '_', ':', '/', '=', '.', '@', '\\', '-', '&']) {
        return text.to_string();
    }
    let mut out = text.as_bytes().to_vec();
    if let Some(conversions) = crate::text::placeholders::date_format(text) {
        for (start, end, _) in conversions {
            blank(&mut out, start, end);
        }
    }
    let bytes = text.as_bytes();
    let mut idx = 0;
    while idx < bytes.len() {
        let rest = &text[idx..];
        let skip = if let Some(after) = rest.strip_prefix('%') {
            // %(name)s, %s, %1$s, %-5.2f, %%
            let mut len = 1;
            if after.starts_with('(') {
                len = after.find(')').map_or(0, |close| close + 2);
            }
            if len > 0 {
                let tail = &rest[len..];
                let flags = tail.bytes().take_while(|b| b.is_ascii_digit() || matches!(b, b'$' | b'.' | b'-' | b'+' | b'#')).count().min(6);
                match tail.as_bytes().get(flags) {
                    Some(b's' | b'd' | b'i' | b'f' | b'u' | b'x' | b'X' | b'r' | b'c' | b'e' | b'g' | b'%') => len + flags + 1,
                    _ => 0,
                }
            } else {
                0
            }
        } else if rest.starts_with('{') {
            rest.find('}').filter(|&close| close < 60 && !rest[1..close].contains(char::is_whitespace)).map_or(0, |close| close + 1)
        } else if rest.starts_with('<') && rest[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!') {
            // A tag, or a one-word metavariable (`<nick>`); words in angle brackets
            // ("<Plane 15 Private Use>") are text.
            rest.find('>')
                .filter(|&close| close < 200)
                .filter(|&close| {
                    let inner = &rest[1..close];
                    let name = inner.trim_start_matches(['/', '!']).split([' ', '\t', '\n', '/']).next().unwrap_or_default();
                    !inner.contains(char::is_whitespace) || inner.contains('=') || inner.starts_with('!') || crate::text::placeholders::is_markup_name(name)
                })
                .map_or(0, |close| close + 1)
        } else if let Some(quoted) = rest.strip_prefix('`') {
            quoted.find('`').map_or(0, |close| close + 2)
        } else if let Some(entity) = rest.strip_prefix('&') {
            // A character reference (`&lt;`, `&#8220;`, `&#x201C;`) of markup kept as text.
            let name = entity.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'#').count();
            if (2..=10).contains(&name) && entity[name..].starts_with(';') { name + 2 } else { 0 }
        } else {
            0
        };
        if skip > 0 {
            blank(&mut out, idx, idx + skip);
            idx += skip;
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        idx += c.len_utf8();
    }
    // Identifier-like tokens, URLs and addresses: a whitespace-separated token with a code
    // joiner between two letters or digits.
    let masked = String::from_utf8(out).unwrap_or_else(|_| text.to_string());
    let mut out = masked.as_bytes().to_vec();
    let mut start = None;
    for (pos, c) in masked.char_indices().chain(std::iter::once((masked.len(), ' '))) {
        if c.is_whitespace() {
            if let Some(token_start) = start.take() {
                let token = masked[token_start..pos].trim_end_matches(['.', ',', ';', ':', ')', '!', '?', '"', '\'', '»', '”']);
                let chars: Vec<char> = token.chars().collect();
                // Character ranges such as a-z, A-Z, 0-9 are code too.
                let range = chars.len() == 3 && chars[1] == '-' && chars[0].is_ascii_alphanumeric() && chars[2].is_ascii_alphanumeric();
                let code = range
                    || chars.windows(3).any(|w| w[0].is_alphanumeric() && is_code_joiner(w[1]) && w[2].is_alphanumeric())
                    || token.starts_with("http")
                    || token.starts_with("www.");
                if code {
                    blank(&mut out, token_start, token_start + token.len());
                }
            }
        } else if start.is_none() {
            start = Some(pos);
        }
    }
    // Only ASCII bytes were replaced, with ASCII spaces, so the bytes stay valid UTF-8.
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::prose;

    fn check(text: &str, expected: &str) {
        let got = prose(text);
        assert_eq!(got.len(), text.len(), "{text}");
        assert_eq!(got.split_whitespace().collect::<Vec<_>>().join(" "), expected, "{text}");
    }

    #[test]
    fn code_is_masked() {
        check("класе `%(app_label)s.%(object_name)s`", "класе");
        check("%(count)d ставки од %(total)s", "ставки од");
        check("Nga %(filter_title)s", "Nga");
        check("default:mm", "");
        check("Vidi {0} na <a href=\"x\">sajtu</a> https://kk.rks-gov.net/sr i info@rks-gov.net.", "Vidi na sajtu i .");
        check("само мала слова a-z и A-Z, цифре 0-9", "само мала слова и , цифре");
        check("Ruaje si index.html, p.sh. 100% sigurt.", "Ruaje si , . 100% sigurt.");
        check("Komuna e Prishtinës, 2024.", "Komuna e Prishtinës, 2024.");
        // A date format's conversions are code too: "%B" is not a Latin word in Cyrillic.
        check("%-d. %B %Y. у %-H:%M", ". . у :");
        check("%A, %e %B %Y", ",");
        check("SEND <nick> [<file>]", "SEND [ ]");
        check("<Plane 15 Private Use>", "<Plane 15 Private Use>");
        check("me &lt;veprim&gt;: Dërgo &#8220;tekst&#x201D; A&B", "me veprim : Dërgo tekst A&B");
        check("<span weight=\"bold\">Gati</span>", "Gati");
    }
}
