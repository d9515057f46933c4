//! Placeholders and markup written in a text: printf (`%s`, `%1$d`, `%-5.2f`), Python
//! (`%(name)s`), brace and ICU (`{0}`, `{name}`, `{{name}}`, `{count, plural, …}`), Qt (`%1`),
//! strftime date formats (`%d.%m.%Y`) and markup tags (`<b>`, `</a>`, `<br/>`). One reader for
//! every feature: the audit compares versions by these keys, the translation memory scores
//! and penalises them as tags.
//!
//! [`symbols`] turns each of them into one symbol (a character of Unicode's supplementary
//! private use area A, U+F0000–U+FFFFD, chosen by the placeholder's key), so an edit distance
//! over the result counts a tag as one character, not as the five of `</b>` or the ten of
//! `%(name)s`. Equal keys give equal symbols; a text without placeholders is returned as it
//! is.
//!
//! What it does not do: judge whether a placeholder is right for a language, or read the inline
//! tags that XML formats keep beside the text (those are the model's and the readers').

use std::borrow::Cow;

/// One placeholder or markup tag found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    /// What is compared: the placeholder as written (`%(name)s`, `{0}`, `%1$s`), a printf
    /// conversion by its letter (`%5.2f` → `%f`), a tag by its name (`<a href="…">` → `<a>`),
    /// an ICU argument by name and type (`{count,plural}`), a date conversion by the field it
    /// shows (`%I` → `%H`; `%c` is several fields over one span).
    pub key: String,
    /// Byte offset of its first character.
    pub start: usize,
    /// Byte offset just past it.
    pub end: usize,
}

/// The length of a printf conversion after the `%` (flags, width, precision, length
/// modifier, conversion letter), or 0 when `rest` does not start one.
fn printf_len(rest: &str) -> usize {
    let bytes = rest.as_bytes();
    let mut idx = 0;
    while idx < bytes.len() && matches!(bytes[idx], b'-' | b'+' | b'#' | b'0') && idx < 4 {
        idx += 1;
    }
    while idx < bytes.len() && bytes[idx].is_ascii_digit() && idx < 8 {
        idx += 1;
    }
    if idx < bytes.len() && bytes[idx] == b'.' {
        idx += 1;
        while idx < bytes.len() && bytes[idx].is_ascii_digit() && idx < 12 {
            idx += 1;
        }
    }
    for modifier in ["hh", "ll", "h", "l", "z", "j", "t", "L", "q"] {
        if rest[idx..].starts_with(modifier) && rest[idx + modifier.len()..].starts_with(|c: char| "diouxX".contains(c)) {
            idx += modifier.len();
            break;
        }
    }
    match bytes.get(idx) {
        Some(b's' | b'd' | b'i' | b'u' | b'o' | b'x' | b'X' | b'f' | b'F' | b'e' | b'E' | b'g' | b'G' | b'c' | b'p' | b'r' | b'@') => idx + 1,
        _ => 0,
    }
}

fn is_name(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

/// The byte length of the balanced `{…}` group at the start of `rest`, or `None`.
fn balanced(rest: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (idx, c) in rest.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(idx + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// The placeholders and markup tags of `text`, in order.
///
/// ```
/// use termbridge::text::placeholders::placeholders;
/// let keys: Vec<String> = placeholders("<b>%(name)s</b> has {count, plural, one {# file} other {# files}} %1 %2$s {0}")
///     .into_iter().map(|token| token.key).collect();
/// assert_eq!(keys, ["<b>", "%(name)s", "</b>", "{count,plural}", "%1", "%2$s", "{0}"]);
/// // A date format by its fields: a 24-hour clock has no AM/PM.
/// let keys = |text| placeholders(text).into_iter().map(|token| token.key).collect::<Vec<_>>();
/// assert_eq!(keys("%I:%M %p, %b %d"), ["%H", "%M", "%m", "%d"]);
/// assert_eq!(keys("%-H:%M, %-d. %B"), ["%H", "%M", "%d", "%m"]);
/// ```
pub fn placeholders(text: &str) -> Vec<Placeholder> {
    let mut found = Vec::new();
    // A date format is compared by the fields it shows (see [`date_format`]).
    let dates = date_format(text).unwrap_or_default();
    let mut dates = dates.into_iter().peekable();
    let mut idx = 0;
    while idx < text.len() {
        let rest = &text[idx..];
        if let Some(&(start, end, fields)) = dates.peek()
            && start == idx
        {
            found.extend(fields.iter().map(|&key| Placeholder { key: key.to_string(), start, end }));
            dates.next();
            idx = end;
            continue;
        }
        let token: Option<(String, usize)> = if let Some(after) = rest.strip_prefix('%') {
            if after.starts_with('%') {
                idx += 2;
                continue;
            }
            if let Some(named) = after.strip_prefix('(') {
                named.find(')').filter(|&close| close > 0 && close < 40 && is_name(&named[..close])).and_then(|close| {
                    let len = printf_len(&named[close + 1..]);
                    (len > 0).then(|| {
                        let conversion = &named[close + 1 + len - 1..close + 1 + len];
                        (format!("%({}){conversion}", &named[..close]), close + 3 + len)
                    })
                })
            } else {
                let digits = after.bytes().take_while(u8::is_ascii_digit).count();
                if digits > 0 && digits <= 2 && after[digits..].starts_with('$') {
                    let len = printf_len(&after[digits + 1..]);
                    (len > 0).then(|| {
                        let conversion = &after[digits + len..digits + 1 + len];
                        (format!("%{}${conversion}", &after[..digits]), digits + len + 2)
                    })
                } else {
                    let len = printf_len(after);
                    if len > 0 {
                        Some((format!("%{}", &after[len - 1..len]), len + 1))
                    } else if digits > 0 && digits <= 2 && (!after.starts_with('0') || digits == 1) {
                        // Qt's %1 … %99 (and %0, the hour of Xfce's clock formats); a
                        // percentage is written after its number, not before.
                        Some((format!("%{}", &after[..digits]), digits + 1))
                    } else {
                        None
                    }
                }
            }
        } else if rest.starts_with("{{") {
            rest.find("}}").filter(|&close| close < 80 && is_name(rest[2..close].trim())).map(|close| (format!("{{{{{}}}}}", rest[2..close].trim()), close + 2))
        } else if rest.starts_with('{') {
            balanced(rest).filter(|&len| len < 2000).and_then(|len| {
                let inner = &rest[1..len - 1];
                let mut parts = inner.splitn(3, ',');
                let name = parts.next().unwrap_or_default().trim();
                match parts.next().map(str::trim) {
                    None if inner.is_empty() || is_name(inner) => Some((format!("{{{inner}}}"), len)),
                    Some(kind) if is_name(name) && !kind.is_empty() && kind.chars().all(|c| c.is_ascii_lowercase()) => {
                        Some((format!("{{{name},{kind}}}"), len))
                    }
                    _ => None,
                }
            })
        } else if let Some(after) = rest.strip_prefix('<') {
            let closing = after.starts_with('/');
            let name_start = usize::from(closing);
            let name_len = after[name_start..].bytes().take_while(u8::is_ascii_alphanumeric).count();
            let starts_with_letter = after[name_start..].starts_with(|c: char| c.is_ascii_alphabetic());
            match rest.find('>') {
                Some(close) if starts_with_letter && close < 300 && !rest[1..close].contains('<') => {
                    let next = after.as_bytes().get(name_start + name_len).copied();
                    let name = after[name_start..name_start + name_len].to_ascii_lowercase();
                    // `<nick>` in a command's syntax is a metavariable its translation may
                    // translate, not markup.
                    if matches!(next, Some(b'>' | b' ' | b'/' | b'\t' | b'\n')) && is_markup_name(&name) {
                        Some((if closing { format!("</{name}>") } else { format!("<{name}>") }, close + 1))
                    } else {
                        None
                    }
                }
                _ => None,
            }
        } else {
            None
        };
        match token {
            Some((key, len)) => {
                found.push(Placeholder { key, start: idx, end: idx + len });
                idx += len;
            }
            None => idx += rest.chars().next().map_or(1, char::len_utf8),
        }
    }
    found
}

/// The date and time fields of a strftime conversion, by the conversion that stands for each
/// (`%d` day, `%m` month, `%Y` year, `%H` hour, `%M` minute, `%S` second, `%a` weekday, `%Z`
/// time zone, `%j` day of the year, `%V` week); AM/PM and layout conversions show none.
fn strftime_fields(letter: u8) -> &'static [&'static str] {
    match letter {
        b'd' | b'e' => &["%d"],
        b'm' | b'b' | b'B' | b'h' => &["%m"],
        b'y' | b'Y' | b'C' | b'G' | b'g' => &["%Y"],
        b'H' | b'I' | b'k' | b'l' => &["%H"],
        b'M' => &["%M"],
        b'S' | b's' => &["%S"],
        b'a' | b'A' | b'u' | b'w' => &["%a"],
        b'Z' | b'z' => &["%Z"],
        b'j' => &["%j"],
        b'U' | b'V' | b'W' => &["%V"],
        b'R' => &["%H", "%M"],
        b'T' | b'X' | b'r' => &["%H", "%M", "%S"],
        b'D' | b'F' | b'x' => &["%d", "%m", "%Y"],
        b'c' => &["%a", "%d", "%m", "%Y", "%H", "%M", "%S"],
        _ => &[],
    }
}

/// Conversion letters that printf does not have: a text that uses one of them is a date format.
const STRFTIME_ONLY: &[u8] = b"aAbBCDhHIjklmMPRSTUVWyYzZ";

/// The byte length and letter of the strftime conversion at the start of `rest` (after its
/// `%`): an optional glibc flag (`-`, `_`, `0`, `^`, `#`), an optional `E`/`O` modifier, the
/// letter.
fn strftime_conversion(rest: &str) -> Option<(usize, u8)> {
    let bytes = rest.as_bytes();
    let mut idx = usize::from(matches!(bytes.first(), Some(b'-' | b'_' | b'0' | b'^' | b'#')));
    if matches!(bytes.get(idx), Some(b'E' | b'O')) && bytes.get(idx + 1).is_some_and(u8::is_ascii_alphabetic) {
        idx += 1;
    }
    let letter = *bytes.get(idx)?;
    (letter.is_ascii_alphabetic() && (STRFTIME_ONLY.contains(&letter) || b"cdeFgGpsuwxXnrt".contains(&letter))).then_some((idx + 1, letter))
}

/// The conversions of `text` when it is a strftime date format (two conversions at least, one
/// of them one that printf does not have, and no printf-only syntax such as `%s` beside a
/// `%(name)`), as `(start, end, fields)`, else `None`. Locales write dates differently: a
/// 24-hour clock drops `%p`, a day may come before its month, `%B` may become `%m`; what stays
/// is which fields are shown.
///
/// ```
/// use termbridge::text::placeholders::date_format;
/// let fields = |t| date_format(t).map(|c| c.iter().flat_map(|&(_, _, f)| f.iter().copied()).collect::<Vec<_>>());
/// assert_eq!(fields("%I:%M %p"), fields("%-H:%M"));
/// assert_eq!(fields("%A, %B %-d"), Some(vec!["%a", "%m", "%d"]));
/// assert_eq!(fields("%d files of %s"), None);
/// ```
pub fn date_format(text: &str) -> Option<Vec<(usize, usize, &'static [&'static str])>> {
    if !text.contains('%') || text.contains("%(") {
        return None;
    }
    let mut found = Vec::new();
    let mut specific = false;
    let mut idx = 0;
    while let Some(pos) = text[idx..].find('%') {
        let start = idx + pos;
        let rest = &text[start + 1..];
        if rest.starts_with('%') {
            idx = start + 2;
            continue;
        }
        match strftime_conversion(rest) {
            Some((len, letter)) => {
                specific |= STRFTIME_ONLY.contains(&letter);
                found.push((start, start + 1 + len, strftime_fields(letter)));
                idx = start + 1 + len;
            }
            // A `%` that starts no conversion (a percentage) is text; a printf conversion
            // with width or precision is not a date format.
            None if rest.starts_with(|c: char| c.is_ascii_digit() || c == '.') && !rest.starts_with("0") => return None,
            None => idx = start + 1,
        }
    }
    (specific && found.len() >= 2).then_some(found)
}

/// Element names of the markup that translated text carries inline: HTML, Pango, DocBook and
/// KDE's KUIT, XLIFF's inline codes. Anything else in angle brackets is text or a
/// metavariable the translator may translate (`<nick>` → `<nofkë>`).
pub fn is_markup_name(name: &str) -> bool {
    const NAMES: &[&str] = &[
        "a",
        "abbr",
        "acronym",
        "address",
        "application",
        "article",
        "audio",
        "b",
        "bcode",
        "big",
        "blockquote",
        "body",
        "bpt",
        "br",
        "button",
        "bx",
        "caption",
        "center",
        "cite",
        "code",
        "command",
        "cp",
        "dd",
        "del",
        "details",
        "dfn",
        "div",
        "dl",
        "dt",
        "ec",
        "em",
        "email",
        "emphasis",
        "envar",
        "ept",
        "ex",
        "figcaption",
        "figure",
        "filename",
        "font",
        "footer",
        "form",
        "g",
        "guibutton",
        "guilabel",
        "guimenu",
        "guimenuitem",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "head",
        "header",
        "hr",
        "html",
        "i",
        "icode",
        "iframe",
        "img",
        "input",
        "ins",
        "interface",
        "it",
        "kbd",
        "keycap",
        "label",
        "li",
        "link",
        "literal",
        "main",
        "mark",
        "menuchoice",
        "meta",
        "mrk",
        "nav",
        "nl",
        "nobr",
        "note",
        "numid",
        "ol",
        "option",
        "p",
        "para",
        "pc",
        "ph",
        "picture",
        "pre",
        "q",
        "qt",
        "replaceable",
        "resource",
        "s",
        "samp",
        "sc",
        "script",
        "section",
        "select",
        "shortcut",
        "sm",
        "small",
        "source",
        "span",
        "strike",
        "strong",
        "style",
        "sub",
        "summary",
        "sup",
        "svg",
        "table",
        "tbody",
        "td",
        "textarea",
        "th",
        "thead",
        "time",
        "title",
        "tr",
        "tt",
        "u",
        "ul",
        "ulink",
        "userinput",
        "var",
        "video",
        "warning",
        "wbr",
        "x",
    ];
    NAMES.binary_search(&name.to_ascii_lowercase().as_str()).is_ok()
}

/// The first character of the symbols (supplementary private use area A).
const FIRST_SYMBOL: u32 = 0xF_0000;

/// How many symbols there are (U+F0000–U+FFFFD; U+FFFFE and U+FFFFF are noncharacters).
const SYMBOLS: u32 = 0xFFFE;

/// True when `c` is one of the characters [`symbols`] writes.
pub fn is_symbol(c: char) -> bool {
    (FIRST_SYMBOL..FIRST_SYMBOL + SYMBOLS).contains(&(c as u32))
}

/// The symbol of a placeholder key: a hash of the key (FNV-1a), so that equal keys give the same
/// symbol in every text and every process. Two different keys share a symbol once in about
/// 65,534 pairs; a distance then counts them equal, and the memory's tags penalty, which
/// compares keys, still sees the difference.
pub fn symbol_of(key: &str) -> char {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in key.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    // Always a valid scalar value: the range holds no surrogate.
    char::from_u32(FIRST_SYMBOL + (hash % u64::from(SYMBOLS)) as u32).unwrap_or('\u{F0000}')
}

/// One placeholder of a text as one symbol: its span in the text and its symbol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TagToken {
    /// Byte offset of its first character.
    pub start: usize,
    /// Byte offset just past it.
    pub end: usize,
    /// The character that stands for it.
    pub symbol: char,
}

/// The placeholders of `text` that [`symbols`] replaces, in order and without overlap. A date
/// conversion that shows several fields (`%c`) is one token keyed by them all. An ICU argument
/// with branches (`{count, plural, one {# file} other {# files}}`) is left out: its branches
/// are translated text, which an edit distance should read.
pub fn tag_tokens(text: &str) -> Vec<TagToken> {
    if !text.contains(['%', '{', '<']) {
        return Vec::new();
    }
    let mut tokens: Vec<TagToken> = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    for found in placeholders(text) {
        if found.key.contains(',') {
            continue;
        }
        match tokens.last() {
            Some(last) if last.start == found.start && last.end == found.end => {
                if let Some(key) = keys.last_mut() {
                    key.push_str(&found.key);
                }
            }
            Some(last) if found.start < last.end => {}
            _ => {
                tokens.push(TagToken { start: found.start, end: found.end, symbol: ' ' });
                keys.push(found.key);
            }
        }
    }
    for (token, key) in tokens.iter_mut().zip(&keys) {
        token.symbol = symbol_of(key);
    }
    tokens
}

/// `text` with every placeholder and markup tag replaced by its symbol ([`tag_tokens`]);
/// borrowed when it has none.
///
/// ```
/// use termbridge::text::placeholders::symbols;
/// assert_eq!(symbols("Click Save now"), "Click Save now");
/// let tagged = symbols("Click <b>Save</b> now");
/// assert_eq!(tagged.chars().count(), "Click Save now".chars().count() + 2);
/// assert_eq!(symbols("%(name)s saved").chars().count(), " saved".chars().count() + 1);
/// assert_eq!(symbols("<b>a</b>").chars().next(), symbols("<b>b</b>").chars().next());
/// assert_ne!(symbols("%s").as_ref(), symbols("%d").as_ref());
/// ```
pub fn symbols(text: &str) -> Cow<'_, str> {
    let tokens = tag_tokens(text);
    if tokens.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for token in tokens {
        out.push_str(&text[at..token.start]);
        out.push(token.symbol);
        at = token.end;
    }
    out.push_str(&text[at..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<String> {
        placeholders(text).into_iter().map(|found| found.key).collect()
    }

    #[test]
    fn the_reader() {
        assert_eq!(keys("%s, %d, %5.2f, %-3ld, %% and 100% sure"), ["%s", "%d", "%f", "%d"]);
        assert_eq!(keys("%(name)s %1$s {0} {name} {{ user }} Qt %1"), ["%(name)s", "%1$s", "{0}", "{name}", "{{user}}", "%1"]);
        assert_eq!(keys("<a href=\"/sq/\">lidhja</a><br/> a < b"), ["<a>", "</a>", "<br>"]);
        assert_eq!(keys("%I:%M %p"), ["%H", "%M"]);
        assert!(keys("SEND <nick>, { not a name }").is_empty());
    }

    #[test]
    fn markup_names_are_sorted() {
        assert!(is_markup_name("B") && is_markup_name("span") && is_markup_name("x") && is_markup_name("a"));
        assert!(!is_markup_name("nick") && !is_markup_name("file") && !is_markup_name("message"));
    }

    fn count(text: &str) -> usize {
        symbols(text).chars().count()
    }

    #[test]
    fn each_tag_is_one_symbol() {
        for (text, expected) in [
            ("Click Save now", 14),
            ("Click <b>Save</b> now", 16),
            ("<br/>", 1),
            ("%(name)s of %(count)d", 6),
            ("{0} files in {folder}", 12),
            ("%d.%m.%Y", 5),
            ("Today: %c", 8),
            // An ICU argument with branches keeps its characters.
            ("{n, plural, one {# file} other {# files}}", 41),
            ("100% sure, a < b, { x }", 23),
        ] {
            assert_eq!(count(text), expected, "{text}");
        }
        assert!(matches!(symbols("Komuna e Prishtinës"), Cow::Borrowed(_)));
        assert_eq!(symbols("<b>").as_ref(), symbols("<b class=\"x\">").as_ref(), "a tag by its name");
        assert_ne!(symbols("<b>").as_ref(), symbols("</b>").as_ref());
        assert_ne!(symbols("{0}").as_ref(), symbols("{1}").as_ref());
        assert!(symbols("%s").chars().all(is_symbol));
    }

    proptest::proptest! {
        #[test]
        fn tokens_are_lossless_and_consistent(text in "([%{}<>/()$ .a-z0-9]|ë|Ж|<b>|</b>|%s|%d|\\{0\\}|%\\(name\\)s|plural|,){0,30}") {
            let tokens = tag_tokens(&text);
            let symbols = symbols(&text);
            // Lossless: putting each token's text back for its symbol gives the text.
            let mut rebuilt = String::new();
            let mut at = 0;
            let mut chars = symbols.chars();
            for token in &tokens {
                proptest::prop_assert!(at <= token.start && token.start < token.end && token.end <= text.len());
                for _ in text[at..token.start].chars() {
                    rebuilt.push(chars.next().unwrap_or('?'));
                }
                proptest::prop_assert_eq!(chars.next(), Some(token.symbol));
                rebuilt.push_str(&text[token.start..token.end]);
                at = token.end;
            }
            rebuilt.extend(chars);
            proptest::prop_assert_eq!(&rebuilt, &text);
            // One character a token; the rest as written.
            let outside: usize = text.chars().count() - tokens.iter().map(|token| text[token.start..token.end].chars().count()).sum::<usize>();
            proptest::prop_assert_eq!(symbols.chars().count(), outside + tokens.len());
            // Consistent: the same tag in another text is the same symbol (a date format's
            // conversions are read as such only in a text that is a date format).
            for token in tokens.iter().filter(|_| date_format(&text).is_none()) {
                let alone = self::symbols(&text[token.start..token.end]).into_owned();
                proptest::prop_assert_eq!(alone, token.symbol.to_string());
            }
        }
    }
}
