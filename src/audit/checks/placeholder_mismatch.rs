//! `placeholder-mismatch`: placeholders and inline markup that differ between the versions of
//! one segment.
//!
//! It reads printf (`%s`, `%d`, `%1$s`, `%-5.2f`), Python (`%(name)s`), brace (`{0}`,
//! `{name}`, `{{name}}`), ICU (`{count, plural, …}`: the argument and its type; the branches
//! are translated text) and Qt (`%1`) placeholders, and markup tags (`<b>`, `</a>`; by name,
//! attributes aside, since an `href` may point at the page in the version's language). It
//! does not judge numbers, links or e-mail addresses (number-mismatch, url-mismatch).

use crate::audit::context::AuditContext;
use crate::model::{Category, Finding, Severity};

use super::{About, Check, Localized, Scope, Token, compare_tokens};

/// Finds a segment whose versions carry different placeholders or markup tags.
pub struct PlaceholderMismatch;

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
/// use termbridge::audit::checks::placeholder_mismatch::placeholders;
/// let keys: Vec<String> = placeholders("<b>%(name)s</b> has {count, plural, one {# file} other {# files}} %1 %2$s {0}")
///     .into_iter().map(|token| token.key).collect();
/// assert_eq!(keys, ["<b>", "%(name)s", "</b>", "{count,plural}", "%1", "%2$s", "{0}"]);
/// // A date format by its fields: a 24-hour clock has no AM/PM.
/// let keys = |text| placeholders(text).into_iter().map(|token| token.key).collect::<Vec<_>>();
/// assert_eq!(keys("%I:%M %p, %b %d"), ["%H", "%M", "%m", "%d"]);
/// assert_eq!(keys("%-H:%M, %-d. %B"), ["%H", "%M", "%d", "%m"]);
/// ```
pub fn placeholders(text: &str) -> Vec<Token> {
    let mut found = Vec::new();
    // A date format is compared by the fields it shows (see `prose::date_format`).
    let dates = crate::audit::prose::date_format(text).unwrap_or_default();
    let mut dates = dates.into_iter().peekable();
    let mut idx = 0;
    while idx < text.len() {
        let rest = &text[idx..];
        if let Some(&(start, end, fields)) = dates.peek()
            && start == idx
        {
            found.extend(fields.iter().map(|&key| Token { key: key.to_string(), start, end }));
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
                    if matches!(next, Some(b'>' | b' ' | b'/' | b'\t' | b'\n')) && crate::audit::prose::is_markup_name(&name) {
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
                found.push(Token { key, start: idx, end: idx + len });
                idx += len;
            }
            None => idx += rest.chars().next().map_or(1, char::len_utf8),
        }
    }
    found
}

impl Check for PlaceholderMismatch {
    fn about(&self) -> About {
        About { id: "placeholder-mismatch", severity: Severity::Error, category: Category::Consistency, scope: Scope::Versions }
    }

    fn issue_type(&self) -> &'static str {
        "markup"
    }

    fn summary(&self) -> Localized {
        Localized {
            en: "Placeholders or markup tags differ between the versions",
            sq: "Vendmbajtësit ose etiketat e formatimit ndryshojnë midis versioneve",
            sr: "Čuvari mesta ili oznake formatiranja se razlikuju između verzija",
        }
    }

    fn docs(&self) -> &'static str {
        "Compares, for every aligned segment, the placeholders and inline markup of its versions as multisets: printf \
         (`%s`, `%d`, `%1$s`), Python (`%(name)s`), brace and ICU (`{0}`, `{name}`, `{{name}}`, `{count, plural, …}` \
         by argument and type, its branches being text), Qt (`%1`) and markup tags by name (`<b>`, `</a>`). The order \
         may change between languages; the set may not. A placeholder renamed or translated (`%(emri)s` for \
         `%(name)s`) is a mismatch. The finding goes to the version that differs from the others (with two versions: \
         to the one that is not Albanian).\n\n\
         **Why** a placeholder that is missing, extra or renamed makes the software fail or show the wrong value, and \
         a lost tag breaks a link or the page's markup: the version is no longer equivalent.\n\n\
         **Bad** sq: `Fshij %(count)d %(items)s të zgjedhura` sr: `Obriši %(count)d izabranih`\n\n\
         **Good** sr: `Obriši %(count)d izabranih %(items)s`"
    }

    fn run(&self, ctx: &AuditContext<'_>, out: &mut Vec<Finding>) {
        compare_tokens(ctx, out, "placeholders and tags", |v, s| placeholders(&ctx.versions[v].segments[s].text));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::checks::tests::expect;

    fn keys(text: &str) -> Vec<String> {
        placeholders(text).into_iter().map(|token| token.key).collect()
    }

    #[test]
    fn extraction() {
        assert_eq!(keys("%s, %d, %5.2f, %-3ld, %% and 100% sure, 50 % off"), ["%s", "%d", "%f", "%d"]);
        assert_eq!(keys("%(name)s %(count)d %1$s %2$d"), ["%(name)s", "%(count)d", "%1$s", "%2$d"]);
        assert_eq!(keys("{0} {name} {} {{ user }} {a b}"), ["{0}", "{name}", "{}", "{{user}}"]);
        assert_eq!(keys("{n, plural, one {{n} skedar} other {{n} skedarë}}"), ["{n,plural}"]);
        assert_eq!(keys("<a href=\"/sq/\">lidhja</a><br/> a < b > c <3"), ["<a>", "</a>", "<br>"]);
        assert_eq!(keys("Qt %1 of %2, 20%"), ["%1", "%2"]);
        assert_eq!(keys("twenty past %0"), ["%0"]);
        assert!(keys("CTCP <nick> <message>, <Plane 15 Private Use>").is_empty());
        assert!(keys("Shkalla 100%, zbritje 5 %").is_empty());
    }

    #[test]
    fn a_lost_or_renamed_placeholder_is_found_on_the_version_that_differs() {
        expect(
            "placeholder-mismatch",
            &[
                ("sq", "Skedari %(name)s u ruajt\nKliko <b>këtu</b>\n{0} nga {1}"),
                ("sr", "Datoteka ⟦%(ime)s⟧ je sačuvana\nKlikni ⟦⟧ovde\n{1} od {0}"),
                ("en", "The file %(name)s was saved\nClick <b>here</b>\n{0} of {1}"),
            ],
        );
    }

    #[test]
    fn placeholders_inside_words_and_reordered_are_clean() {
        expect(
            "placeholder-mismatch",
            &[
                ("sq", "%1$s-ja i %2$s\nKomuna e %(name)ss\n„%s“ u fshi"),
                ("sr", "%2$s i %1$s-a\nOpština %(name)ss\n„%s“ je obrisan"),
                ("en", "%1$s's %2$s\nMunicipality of %(name)ss\n\"%s\" was deleted"),
            ],
        );
    }

    #[test]
    fn date_formats_are_compared_by_the_fields_they_show() {
        // Each locale writes its own date format: 24-hour clocks without %p, the day before the
        // month, %B for %b. A field the translation lost is still found.
        expect(
            "placeholder-mismatch",
            &[
                ("sq", "%d.%m.%Y, %H:%M\nMë %-d %B\nOra %H:%M"),
                ("sr", "%-d. %B %Y. у %-H:%M\nДана ⟦⟧%B\nВреме %k:%M:⟦%S⟧"),
                ("en", "%b %d %Y, %I:%M %p\nOn %B %-d\nTime %l:%M %p"),
            ],
        );
    }

    proptest::proptest! {
        #[test]
        fn tokens_point_into_the_text(text in "([%{}<>/()$ .a-z0-9]|ë|Ж|plural|,){0,40}") {
            for token in placeholders(&text) {
                proptest::prop_assert!(token.start < token.end && token.end <= text.len());
                proptest::prop_assert!(text.is_char_boundary(token.start) && text.is_char_boundary(token.end));
            }
        }
    }
}
