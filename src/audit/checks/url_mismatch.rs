//! `url-mismatch`: links, e-mail addresses and file names that differ between the versions of
//! one segment.
//!
//! Links and e-mail addresses are found as number-mismatch finds them
//! ([`super::number_mismatch::invariants`], which also keeps their digits from counting as
//! numbers); this check is their one owner. A link that differs only in a language part of
//! its path or query (`/sq/` → `/sr/`, `?lang=sr`) is the same page in another language. File
//! names are compared with a language suffix set aside (`udhezues-sq.pdf` = `udhezues-sr.pdf`).

use crate::audit::context::AuditContext;
use crate::model::{Category, Finding, Severity};

use super::number_mismatch::{Invariant, invariants, link_tokens};
use super::{About, Check, Localized, Scope, Token, compare_tokens};

/// Finds a segment whose versions give different links, e-mail addresses or file names.
pub struct UrlMismatch;

/// True for the invariant keys of links and e-mail addresses.
pub fn is_link_key(key: &str) -> bool {
    key.starts_with("url:") || key.starts_with("mail:")
}

/// File extensions that name a document, page or archive a text points at.
const EXTENSIONS: &[&str] = &[
    "pdf", "doc", "docx", "xls", "xlsx", "odt", "ods", "odp", "ppt", "pptx", "rtf", "txt", "csv", "zip", "rar", "7z", "png", "jpg", "jpeg", "gif", "svg",
    "html", "htm", "xml", "json", "po", "xlf", "xliff", "exe", "msi",
];

/// Language suffixes a file name may carry (`-sq`, `_sr_latn`).
const LANGUAGE_PARTS: &[&str] = &["sq", "sr", "en", "tr", "bs", "al", "rs", "latn", "cyrl", "lat", "cyr", "shq", "srp", "eng"];

/// The comparison key of a file name: lowercased, a trailing language part set aside.
fn file_key(name: &str) -> String {
    let lowered = name.to_lowercase();
    let (stem, ext) = lowered.rsplit_once('.').unwrap_or((&lowered, ""));
    let mut stem = stem.to_string();
    while let Some(cut) = stem.rfind(['-', '_', '.']) {
        if LANGUAGE_PARTS.contains(&&stem[cut + 1..]) && cut > 0 {
            stem.truncate(cut);
        } else {
            break;
        }
    }
    format!("file:{stem}.{ext}")
}

/// The links, e-mail addresses and file names of `text`.
///
/// ```
/// use termbridge::audit::checks::url_mismatch::links;
/// let keys: Vec<String> = links("Shih https://kk.rks-gov.net/sq/faqja, info@kk.net dhe Udhezuesi_SQ.pdf")
///     .into_iter().map(|token| token.key).collect();
/// assert_eq!(keys, ["url:kk.rks-gov.net/faqja", "mail:info@kk.net", "file:udhezuesi.pdf"]);
/// ```
pub fn links(text: &str) -> Vec<Token> {
    links_among(text, &invariants(text))
}

/// [`links`], given the text's invariants (found once for number-mismatch and this check).
fn links_among(text: &str, invariants: &[Invariant]) -> Vec<Token> {
    let mut found: Vec<Token> =
        invariants.iter().filter(|inv| is_link_key(&inv.key)).map(|inv| Token { key: inv.key.clone(), start: inv.start, end: inv.end }).collect();
    for (start, token) in link_tokens(text) {
        let trimmed = token
            .trim_start_matches(['(', '"', '\'', '«', '»', '„', '“', '<', '['])
            .trim_end_matches(['.', ',', ';', ':', ')', '!', '?', '"', '\'', '»', '«', '”', '“', '>', ']']);
        let offset = start + token.find(trimmed).unwrap_or(0);
        let Some((stem, ext)) = trimmed.rsplit_once('.') else { continue };
        let is_file = EXTENSIONS.iter().any(|known| ext.eq_ignore_ascii_case(known))
            && !stem.is_empty()
            && stem.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
            && !trimmed.contains("://")
            && !trimmed.contains('@');
        let inside_link = found.iter().any(|link| link.start <= offset && offset < link.end);
        if is_file && !inside_link {
            found.push(Token { key: file_key(trimmed), start: offset, end: offset + trimmed.len() });
        }
    }
    found.sort_by_key(|token| token.start);
    found
}

impl Check for UrlMismatch {
    fn about(&self) -> About {
        About { id: "url-mismatch", severity: Severity::Error, category: Category::Consistency, scope: Scope::Versions }
    }

    fn issue_type(&self) -> &'static str {
        "mistranslation"
    }

    fn summary(&self) -> Localized {
        Localized {
            en: "Links, e-mail addresses or file names differ between the versions",
            sq: "Lidhjet, adresat e-mail ose emrat e skedarëve ndryshojnë midis versioneve",
            sr: "Linkovi, adrese e-pošte ili imena datoteka se razlikuju između verzija",
        }
    }

    fn docs(&self) -> &'static str {
        "Compares, for every aligned segment, the links (`https://…`, `www.…`), e-mail addresses and file names \
         (`raporti.pdf`, `formulari.docx`) of its versions as multisets. A link whose only difference is a language \
         part of its path or query (`/sq/` and `/sr/`, `?lang=sr`) points at the same page in the version's language \
         and is the same link; a file name's language suffix (`-sq`, `_sr`) is set aside likewise. The finding goes to \
         the version that differs from the others (with two versions: to the one that is not Albanian).\n\n\
         **Why** a reader of one version who is sent to another address, or to another document, does not get the same \
         service (DOMAIN.md V5, D4: versions must be equivalent).\n\n\
         **Bad** sq: `Ankesat dërgohen në ankesa@kk.rks-gov.net ose https://kk.rks-gov.net/sq/ankesa` sr: `Žalbe se \
         šalju na zalbe@kk.rks-gov.net ili https://kk.rks-gov.net/sr/zalbe`\n\n\
         **Good** sr: `Žalbe se šalju na ankesa@kk.rks-gov.net ili https://kk.rks-gov.net/sr/ankesa`"
    }

    fn run(&self, ctx: &AuditContext<'_>, out: &mut Vec<Finding>) {
        compare_tokens(ctx, out, "links, e-mail addresses and file names", |v, s| links_among(&ctx.versions[v].segments[s].text, ctx.invariants(v, s)));
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::checks::tests::expect;

    #[test]
    fn a_changed_address_is_found_and_a_language_path_is_not() {
        expect(
            "url-mismatch",
            &[
                ("sq", "Shih https://kk.rks-gov.net/sq/junik/ dhe info@junik.net\nFormulari: kerkesa-sq.pdf\nFaqja www.kk.net?lang=sq"),
                ("sr", "Vidi https://kk.rks-gov.net/sr/junik/ i ⟦info@junik.org⟧\nObrazac: kerkesa-sr.pdf\nStrana www.kk.net?lang=sr"),
                ("en", "See https://kk.rks-gov.net/en/junik/ and info@junik.net\nForm: kerkesa-en.pdf\nPage www.kk.net?lang=en"),
            ],
        );
    }

    #[test]
    fn a_lost_file_name_is_found_and_versions_without_links_are_clean() {
        expect(
            "url-mismatch",
            &[
                ("sq", "Shkarkoni udhezuesi.pdf\nNuk ka lidhje këtu."),
                ("sr", "Preuzmite ⟦⟧uputstvo\nOvde nema linkova."),
                ("en", "Download udhezuesi.pdf\nNo links here."),
            ],
        );
    }

    #[test]
    fn links_inside_markup_are_read_as_a_browser_reads_them() {
        expect(
            "url-mismatch",
            &[
                (
                    "sq",
                    "<p>Shih <a href=\"https://kk.net/sq/wiki\">wiki</a> dhe <a href=\"mailto:info@kk.net\">na shkruani</a>.</p>\nShkarkoni <a href='udhezuesi.pdf'>udhëzuesin</a>",
                ),
                (
                    "sr",
                    "<p>Vidi <a href=\"⟦https://example.org/other⟧\">wiki</a> i <a href=\"mailto:info@kk.net\">pišite nam</a>.</p>\nPreuzmite <a href='⟦uputstvo.pdf⟧'>uputstvo</a>",
                ),
                (
                    "en",
                    "<p>See the <a href=\"https://kk.net/en/wiki\">wiki</a> and <a href=\"mailto:info@kk.net\">write to us</a>.</p>\nDownload <a href='udhezuesi.pdf'>the guide</a>",
                ),
            ],
        );
    }

    #[test]
    fn numbers_in_addresses_are_not_numbers_and_addresses_are_not_number_mismatch() {
        expect("number-mismatch", &[("sq", "Shih https://kk.net/2024/sq/"), ("sr", "Vidi https://kk.net/2023/sr/")]);
        expect("url-mismatch", &[("sq", "Shih https://kk.net/2024/sq/"), ("sr", "Vidi ⟦https://kk.net/2023/sr/⟧")]);
    }
}
