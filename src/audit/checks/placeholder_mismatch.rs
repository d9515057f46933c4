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

/// The placeholders and markup tags of `text`, in order (the reader is `text::placeholders`'s,
/// shared with the translation memory's tag tokens).
///
/// ```
/// use termbridge::audit::checks::placeholder_mismatch::placeholders;
/// let keys: Vec<String> = placeholders("<b>%(name)s</b> %1 {0}").into_iter().map(|token| token.key).collect();
/// assert_eq!(keys, ["<b>", "%(name)s", "</b>", "%1", "{0}"]);
/// ```
pub fn placeholders(text: &str) -> Vec<Token> {
    crate::text::placeholders::placeholders(text).into_iter().map(|found| Token { key: found.key, start: found.start, end: found.end }).collect()
}

/// The key every metavariable gets: a translation may translate its name (`<nick>` →
/// `<nofkë>`, `<надимак>`), so metavariables are compared by how many there are.
const METAVARIABLE: &str = "<…>";

/// Elements that never close (HTML's void elements, XLIFF's inline codes).
const VOID: &[&str] = &["br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "track", "wbr", "x", "bx", "ex", "ph"];

/// The metavariables of `text` in angle brackets, in order: up to four words of letters, digits,
/// `_`, `-`, `.` or apostrophes (`<nick>`, `<hostname>`, `<nofkë e re>`; also escaped as
/// `&lt;nick&gt;`), as in a command's syntax (`SEND <nick> [<file>]`), and not a markup tag: a
/// markup name without its closing tag in the text (`help <command>`) is a metavariable too, and
/// several words each with a capital or a digit are a name (`<Plane 15 Private Use>`). Their
/// names may be translated, into several words; losing one loses what the user must type there.
///
/// ```
/// use termbridge::audit::checks::placeholder_mismatch::metavariables;
/// assert_eq!(metavariables("SEND <nick> [<file>] <b>x</b> a < b > c &lt;port&gt;").len(), 3);
/// assert!(metavariables("<Plane 15 Private Use>, <user@example.org>").is_empty());
/// ```
pub fn metavariables(text: &str) -> Vec<Token> {
    let markup: Vec<usize> = placeholders(text)
        .into_iter()
        .filter(|token| {
            // An element that opens without closing, and is not one that never closes, is a
            // metavariable named like an element (DocBook's `<command>`).
            let name = &token.key[1..token.key.len() - 1];
            !token.key.starts_with('<')
                || token.key.starts_with("</")
                || text[token.start..token.end].ends_with("/>")
                || VOID.contains(&name)
                || text.contains(&format!("</{name}>"))
        })
        .map(|token| token.start)
        .collect();
    let mut found = Vec::new();
    let mut idx = 0;
    while idx < text.len() {
        let rest = &text[idx..];
        let (open, close) = if rest.starts_with("&lt;") {
            (4, "&gt;")
        } else if rest.starts_with('<') {
            (1, ">")
        } else {
            (0, "")
        };
        if open > 0 && !markup.contains(&idx) {
            let inner = &rest[open..];
            let len = inner.find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ' ' | '\'' | '’'))).unwrap_or(inner.len());
            let words = &inner[..len];
            // Several words each with a capital or a digit are a name in brackets (a Unicode
            // block's "<Plane 15 Private Use>"), not a slot to type into.
            let titled = words.contains(' ') && words.split(' ').all(|word| word.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit()));
            let plain = words.chars().next().is_some_and(char::is_alphabetic) && !words.ends_with(' ') && words.split(' ').count() <= 4 && !titled;
            if plain && words.chars().count() <= 40 && inner[len..].starts_with(close) {
                let end = idx + open + len + close.len();
                found.push(Token { key: METAVARIABLE.to_string(), start: idx, end });
                idx = end;
                continue;
            }
        }
        idx += rest.chars().next().map_or(1, char::len_utf8);
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
        compare_tokens(ctx, out, "placeholders and tags", |v, s| {
            let text = &ctx.versions[v].segments[s].text;
            let metavariables = metavariables(text);
            let mut tokens: Vec<Token> = placeholders(text).into_iter().filter(|token| !metavariables.iter().any(|m| m.start == token.start)).collect();
            tokens.extend(metavariables);
            tokens
        });
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
    fn metavariables_are_compared_by_how_many_there_are() {
        // Translated names are fine; a lost one is not.
        expect(
            "placeholder-mismatch",
            &[
                (
                    "sq",
                    "SEND <nofkë> [<kartelë>]\nCHARSET [<kodim>], tregon kodimin\nNEWSERVER <strehë> [<portë>]\nJepni &lt;emrin&gt; e ri\nMSG <nofkë> <mesazh>",
                ),
                ("sr", "SEND <nadimak> [⟦⟧]\nCHARSET [⟦⟧], dobija enkoding\nNEWSERVER <računar> [<port>]\nUnesite novo &lt;ime&gt;\nMSG <надимак> <порука>"),
                (
                    "en",
                    "SEND <nick> [<file>]\nCHARSET [<encoding>], get the encoding\nNEWSERVER <hostname> [<port>]\nEnter a new &lt;name&gt;\nMSG <nick> <message>",
                ),
            ],
        );
        let count = |text: &str| metavariables(text).len();
        assert_eq!(count("KICK <nick> [<reason>]"), 2);
        assert_eq!(count("<b>bold</b> <a href=\"x\">link</a> <br/>"), 0);
        assert_eq!(count("a < b > c, 3<4, <Plane 15 Private Use Area>, <info@example.org>, <https://example.org>"), 0);
        assert_eq!(count("help <command>, nick &lt;nofkë e re&gt;, BAN <maskë> [<lloj dëbimi>]"), 4);
        assert_eq!(count("<command>ls</command> <br> <img src=\"a\"/>"), 0);
        assert_eq!(count("<kartelë_1> <file-name.txt>"), 2);
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
