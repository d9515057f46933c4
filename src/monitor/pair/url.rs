//! What a page's address says about its language, and the address with that part taken out:
//! `/sq/lajme/5`, `/sr-latn/lajme/5` and `/en/lajme/5` share the key `host/lajme/5`, and so do
//! `?lang=sr`, `sr.host` and a Cyrillic slug beside its Latin form.
//!
//! Addresses are split here by hand (scheme, host, path, query): the crawl gives them
//! absolute and normalised, and pairing only compares their parts.

use crate::model::lang::{Lang, LangTag, SrScript};
use crate::text::{case_fold, cyr_to_lat, diacritic_fold};

/// Query parameters that carry a page's language.
const LANGUAGE_PARAMETERS: [&str; 4] = ["lang", "lng", "language", "locale"];

/// How many leading path segments may hold the language (`/sq/…`, `/komuna/sq/…`).
const LANGUAGE_SEGMENT_DEPTH: usize = 3;

/// Index pages that are the same page as their folder.
const INDEX_PAGES: [&str; 6] = ["index.html", "index.htm", "index.php", "default.aspx", "default.asp", "index.aspx"];

/// An address split into what pairing compares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlKey {
    /// The language the address claims, if any.
    pub lang: Option<LangTag>,
    /// The address without scheme, `www.`, the language part, the fragment and an index page,
    /// path segments decoded, folded to plain Latin lower case.
    pub key: String,
    /// `key` without its last path segment (the slug), and the digits of that slug: a
    /// translated slug keeps the article's number (`/sq/lajme/123-vendimi`,
    /// `/sr/vesti/123-odluka`). `None` for a page at the root or in no folder.
    pub slug: Option<(String, String)>,
}

/// The address as an index key: scheme, `www.`, fragment and a trailing slash dropped, host
/// lower-cased, query parameters sorted. Links written either way find the page.
pub fn normalise(url: &str) -> String {
    let parts = split(url);
    let mut out = parts.host;
    for segment in &parts.segments {
        out.push('/');
        out.push_str(segment);
    }
    if !parts.query.is_empty() {
        out.push('?');
        out.push_str(&parts.query.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&"));
    }
    out
}

/// The language an address claims and its language-neutral key.
pub fn url_key(url: &str) -> UrlKey {
    let mut parts = split(url);
    let mut lang = None;
    // The path first: a site's language folder is the most common marker and the least
    // ambiguous; then the query; then the host.
    for idx in 0..parts.segments.len().min(LANGUAGE_SEGMENT_DEPTH) {
        if let Some(tag) = code_lang(&parts.segments[idx]) {
            lang = Some(tag);
            parts.segments.remove(idx);
            break;
        }
    }
    if let Some(pos) = parts.query.iter().position(|(name, _)| LANGUAGE_PARAMETERS.contains(&name.as_str())) {
        let (_, value) = parts.query.remove(pos);
        lang = lang.or_else(|| code_lang(&value));
    }
    if lang.is_none() {
        let labels: Vec<&str> = parts.host.split('.').collect();
        if labels.len() >= 3
            && let Some(tag) = code_lang(labels[0])
        {
            lang = Some(tag);
            parts.host = labels[1..].join(".");
        }
    }
    let fold = |segment: &str| case_fold(&diacritic_fold(&cyr_to_lat(segment))).into_owned();
    let segments: Vec<String> = parts.segments.iter().map(|segment| fold(segment)).collect();
    let query = if parts.query.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.query.iter().map(|(k, v)| format!("{k}={}", fold(v))).collect::<Vec<_>>().join("&"))
    };
    let key = format!("{}/{}{query}", parts.host, segments.join("/"));
    // A slug needs a folder: every page at a site's root shares the root.
    let slug = segments.split_last().filter(|(_, rest)| !rest.is_empty()).map(|(last, rest)| {
        let digits: String = last.split(|c: char| !c.is_ascii_digit()).filter(|run| !run.is_empty()).collect::<Vec<_>>().join("-");
        (format!("{}/{}{query}", parts.host, rest.join("/")), digits)
    });
    UrlKey { lang, key, slug }
}

/// A language code as sites write it in paths, queries, hosts and switcher attributes.
pub fn code_lang(code: &str) -> Option<LangTag> {
    let lowered = code.trim().to_ascii_lowercase().replace('_', "-");
    let tag = match lowered.as_str() {
        "sq" | "sqi" | "alb" | "al" | "shq" | "sq-al" | "sq-xk" | "sq-ks" => LangTag::SQ,
        "sr" | "srp" | "rs" | "sr-rs" | "sr-xk" | "sr-ks" => LangTag::SR,
        "sr-latn" | "sr-lat" | "sr-latin" | "srl" | "sr-latn-rs" | "sr-latn-xk" => LangTag::SR_LATN,
        "sr-cyrl" | "sr-cyr" | "sr-cir" | "sr-cyrl-rs" | "sr-cyrl-xk" => LangTag::SR_CYRL,
        "en" | "eng" | "en-us" | "en-gb" => LangTag::EN,
        "tr" | "tur" | "tr-tr" => LangTag::TR,
        "bs" | "bos" | "bs-ba" => LangTag::BS,
        // Longer tags with a region or script (`sr-Latn-ME`); `x-default` is none.
        other if other.contains('-') && other.len() <= 16 => return LangTag::parse(other).ok(),
        _ => return None,
    };
    Some(tag)
}

/// The language a switcher's label names: a code (`SR`, `sr-Latn`), or the language's name
/// in any of the languages (`Srpski`, `Српски`, `Serbisht`, `Shqip`, `English`), with the
/// Serbian script when the label names it (`Latinica`, `Ћирилица`) or is written in it.
pub fn label_lang(label: &str) -> Option<LangTag> {
    if let Some(tag) = code_lang(label) {
        return Some(tag);
    }
    let folded = case_fold(&diacritic_fold(&cyr_to_lat(label))).into_owned();
    const NAMES: &[(&str, Lang)] = &[
        ("shqip", Lang::Sq),
        ("albanian", Lang::Sq),
        ("albanski", Lang::Sq),
        ("arnavut", Lang::Sq),
        ("srpski", Lang::Sr),
        ("serbian", Lang::Sr),
        ("serbisht", Lang::Sr),
        ("sirpca", Lang::Sr),
        ("latinica", Lang::Sr),
        ("cirilica", Lang::Sr),
        ("english", Lang::En),
        ("anglisht", Lang::En),
        ("engleski", Lang::En),
        ("ingilizce", Lang::En),
        ("turkce", Lang::Tr),
        ("turkish", Lang::Tr),
        ("turqisht", Lang::Tr),
        ("turski", Lang::Tr),
        ("bosanski", Lang::Bs),
        ("bosnian", Lang::Bs),
        ("boshnjakisht", Lang::Bs),
        ("bosnakca", Lang::Bs),
    ];
    let lang = NAMES.iter().find(|(name, _)| folded.contains(name)).map(|(_, lang)| *lang)?;
    let script = if lang != Lang::Sr {
        None
    } else if folded.contains("latin") {
        Some(SrScript::Latn)
    } else if folded.contains("ciril") || folded.contains("cyril") || crate::text::script::has_cyrillic(label) {
        Some(SrScript::Cyrl)
    } else {
        None
    };
    Some(LangTag { lang, script })
}

/// An address's parts.
struct Parts {
    host: String,
    segments: Vec<String>,
    query: Vec<(String, String)>,
}

fn split(url: &str) -> Parts {
    let url = url.trim();
    let without_fragment = url.split('#').next().unwrap_or(url);
    let rest = without_fragment.split_once("://").map_or(without_fragment, |(_, rest)| rest);
    let (location, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (authority, path) = location.split_once('/').unwrap_or((location, ""));
    let host = authority.rsplit('@').next().unwrap_or(authority).to_ascii_lowercase();
    let host = host.strip_suffix(":80").or_else(|| host.strip_suffix(":443")).unwrap_or(&host);
    let host = host.strip_prefix("www.").unwrap_or(host).to_string();
    let mut segments: Vec<String> = path.split('/').filter(|s| !s.is_empty()).map(percent_decode).collect();
    if segments.last().is_some_and(|last| INDEX_PAGES.contains(&last.to_ascii_lowercase().as_str())) {
        segments.pop();
    }
    let mut query: Vec<(String, String)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(name).to_ascii_lowercase(), percent_decode(value))
        })
        .collect();
    query.sort();
    Parts { host, segments, query }
}

/// `%D0%B2` and `+` decoded; bytes that are not UTF-8 are replaced.
fn percent_decode(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut idx = 0;
    while idx < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[idx] {
            b'%' => match (bytes.get(idx + 1).and_then(|b| hex(*b)), bytes.get(idx + 2).and_then(|b| hex(*b))) {
                (Some(high), Some(low)) => {
                    out.push((high * 16 + low) as u8);
                    idx += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            other => out.push(other),
        }
        idx += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(url: &str, lang: Option<&str>, key: &str) {
        let got = url_key(url);
        assert_eq!((got.lang.map(|tag| tag.to_string()).as_deref(), got.key.as_str()), (lang, key), "{url}");
    }

    #[test]
    fn language_parts_are_found_and_taken_out() {
        check("https://kk.example/sq/lajme/5", Some("sq"), "kk.example/lajme/5");
        check("http://www.kk.example/sr-latn/lajme/5/", Some("sr-Latn"), "kk.example/lajme/5");
        check("https://kk.example/komuna/SR-CYRL/lajme/5#top", Some("sr-Cyrl"), "kk.example/komuna/lajme/5");
        check("https://kk.example/sq-al/index.php", Some("sq"), "kk.example/");
        check("https://kk.example/news.php?id=5&lang=en", Some("en"), "kk.example/news.php?id=5");
        check("https://kk.example/news.php?lng=sr&id=5", Some("sr"), "kk.example/news.php?id=5");
        check("https://sr.kk.example/vesti/5", Some("sr"), "kk.example/vesti/5");
        check("https://kk.example/lajme/5", None, "kk.example/lajme/5");
        check("https://kk.example/sr/%D0%B2%D0%B5%D1%81%D1%82%D0%B8", Some("sr"), "kk.example/vesti");
        // A two-letter word that is no language stays in the key.
        check("https://kk.example/ks/lajme", None, "kk.example/ks/lajme");
    }

    #[test]
    fn slugs_keep_their_numbers() {
        assert_eq!(url_key("https://kk.example/sq/lajme/123-vendimi").slug, Some(("kk.example/lajme".to_string(), "123".to_string())));
        assert_eq!(url_key("https://kk.example/sr/lajme/odluka").slug, Some(("kk.example/lajme".to_string(), String::new())));
        assert_eq!(url_key("https://kk.example/sr/odluka").slug, None);
        assert_eq!(url_key("https://kk.example/").slug, None);
    }

    #[test]
    fn switcher_labels() {
        let check = |label: &str, expected: Option<&str>| assert_eq!(label_lang(label).map(|t| t.to_string()).as_deref(), expected, "{label}");
        check("SR", Some("sr"));
        check("sr-Latn", Some("sr-Latn"));
        check("Srpski", Some("sr"));
        check("Српски", Some("sr-Cyrl"));
        check("Srpski (latinica)", Some("sr-Latn"));
        check("Shqip", Some("sq"));
        check("English", Some("en"));
        check("Türkçe", Some("tr"));
        check("Ballina", None);
    }

    #[test]
    fn normalised_addresses_meet() {
        assert_eq!(normalise("https://www.KK.example/sq/lajme/?b=2&a=1#x"), normalise("http://kk.example/sq/lajme?a=1&b=2"));
        assert_ne!(normalise("https://kk.example/sq/lajme"), normalise("https://kk.example/sr/lajme"));
    }
}
