//! The links of an HTML page that matter to a crawl and to pairing: the links to follow,
//! the `hreflang` alternates a page declares, the language switcher (the links labelled
//! "Shqip", "Srpski", "English" and the like) and the canonical URL.
//!
//! The page is parsed as browsers parse it (`scraper`, an HTML5 tree builder), so unclosed
//! elements and broken markup still give their links. It reads no text beyond link labels:
//! the page's language and content are `monitor::page`'s.

use scraper::{ElementRef, Html};
use url::Url;

use super::urls::normalise_url;

/// The links of one page, absolute and in normal form (see `normalise`), in document order,
/// each once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageLinks {
    /// Everything a crawler may follow: `a[href]`, `area[href]`, `link[rel=alternate]`,
    /// `iframe[src]`, `frame[src]`; other schemes (mailto:, javascript:) included, for the
    /// crawler to refuse and count.
    pub follow: Vec<String>,
    /// `<link rel="alternate" hreflang="…">`: (hreflang as written, URL).
    pub alternates: Vec<(String, String)>,
    /// Language-switcher links: (the `hreflang`/`lang` attribute, else the label, URL).
    pub switchers: Vec<(String, String)>,
    /// `<link rel="canonical">`, when present.
    pub canonical: Option<String>,
}

/// Labels of a language switcher, compared after trimming and in lower case: the names of
/// Kosovo's official and municipal languages in themselves and in each other, and their
/// codes. Flags are images: their `alt` or `title` text is compared the same way.
const SWITCHER_LABELS: &[&str] = &[
    "shqip",
    "shqipe",
    "albanian",
    "albanski",
    "албански",
    "gjuha shqipe",
    "srpski",
    "српски",
    "serbian",
    "serbisht",
    "srpski (latinica)",
    "српски (ћирилица)",
    "srpski (ćirilica)",
    "latinica",
    "ћирилица",
    "ćirilica",
    "english",
    "anglisht",
    "engleski",
    "енглески",
    "türkçe",
    "turqisht",
    "turski",
    "турски",
    "bosanski",
    "boshnjakisht",
    "босански",
    "romani",
    "sq",
    "sr",
    "en",
    "tr",
    "bs",
    "rom",
    "alb",
    "al",
    "srb",
    "rs",
    "eng",
    "sq-al",
    "sr-latn",
    "sr-cyrl",
    "sr-rs",
    "en-us",
    "en-gb",
];

/// The links of `html` (bytes as served; invalid UTF-8 is replaced), resolved against `base`
/// (the page's final URL) or the page's own `<base href>`. Never fails: what cannot be read
/// is skipped.
///
/// ```
/// use termbridge::monitor::crawl::links;
/// let html = br#"<link rel="alternate" hreflang="sr" href="/sr/"><a href="/sr/">Srpski</a><a href="a#x">A</a>"#;
/// let found = links(html, "http://komuna.example/sq/");
/// assert_eq!(found.follow, ["http://komuna.example/sr/", "http://komuna.example/sq/a"]);
/// assert_eq!(found.alternates, [("sr".to_string(), "http://komuna.example/sr/".to_string())]);
/// assert_eq!(found.switchers, [("Srpski".to_string(), "http://komuna.example/sr/".to_string())]);
/// ```
pub fn links(html: &[u8], base: &str) -> PageLinks {
    let text = String::from_utf8_lossy(html);
    let document = Html::parse_document(&text);
    let mut base = Url::parse(base).ok();
    let mut found = PageLinks::default();
    let mut seen = std::collections::HashSet::new();

    let elements: Vec<ElementRef<'_>> = document.root_element().descendent_elements().collect();
    // `<base href>` counts for every link of the page, also those before it.
    if let Some(declared) = elements.iter().find(|e| e.value().name() == "base").and_then(|e| e.attr("href"))
        && let Some(resolved) = resolve(base.as_ref(), declared)
    {
        base = Url::parse(&resolved).ok();
    }
    for element in elements {
        let name = element.value().name();
        let href = match name {
            "a" | "area" | "link" => element.attr("href"),
            "iframe" | "frame" => element.attr("src"),
            _ => None,
        };
        let Some(href) = href else { continue };
        let Some(url) = resolve(base.as_ref(), href) else { continue };
        let rel = element.attr("rel").unwrap_or("").to_ascii_lowercase();
        let rels: Vec<&str> = rel.split_ascii_whitespace().collect();
        match name {
            "link" if rels.contains(&"canonical") => {
                found.canonical.get_or_insert(url);
                continue;
            }
            "link" if rels.contains(&"alternate") => {
                if let Some(hreflang) = element.attr("hreflang").map(str::trim).filter(|h| !h.is_empty()) {
                    found.alternates.push((hreflang.to_string(), url.clone()));
                } else {
                    // Feeds and print versions are alternates too, but not language versions.
                    continue;
                }
            }
            // Style sheets, icons and the like are not pages.
            "link" => continue,
            "a" => {
                if let Some(label) = switcher_label(element) {
                    found.switchers.push((label, url.clone()));
                }
            }
            _ => {}
        }
        if seen.insert(url.clone()) {
            found.follow.push(url);
        }
    }
    found
}

/// `href` made absolute against `base` and put in normal form; `None` for an empty or
/// unparsable reference.
fn resolve(base: Option<&Url>, href: &str) -> Option<String> {
    let href = href.trim();
    if href.is_empty() || href.starts_with('#') && base.is_none() {
        return None;
    }
    let url = match base {
        Some(base) => base.join(href).ok()?,
        None => Url::parse(href).ok()?,
    };
    Some(normalise_url(url))
}

/// The switcher label of an anchor: its `hreflang` or `lang` attribute, else its text, else
/// the `alt`/`title` of an image inside (a flag), when it names a language.
fn switcher_label(anchor: ElementRef<'_>) -> Option<String> {
    for attribute in ["hreflang", "lang"] {
        if let Some(value) = anchor.attr(attribute).map(str::trim).filter(|v| !v.is_empty()) {
            return Some(value.to_string());
        }
    }
    let text: String = anchor.text().collect::<Vec<_>>().join(" ");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if is_language_label(&text) {
        return Some(text);
    }
    for image in anchor.descendent_elements().filter(|e| e.value().name() == "img") {
        for attribute in ["alt", "title"] {
            if let Some(value) = image.attr(attribute).map(str::trim)
                && is_language_label(value)
            {
                return Some(value.to_string());
            }
        }
    }
    if let Some(title) = anchor.attr("title").map(str::trim)
        && is_language_label(title)
    {
        return Some(title.to_string());
    }
    None
}

fn is_language_label(text: &str) -> bool {
    let text = text.trim().trim_matches(|c: char| c == '[' || c == ']' || c == '|' || c == '(' || c == ')').trim();
    if text.is_empty() || text.chars().count() > 24 {
        return false;
    }
    let lower = text.to_lowercase();
    SWITCHER_LABELS.contains(&lower.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "http://komuna.example/sq/lajme/";

    #[test]
    fn anchors_frames_and_alternates_are_followed() {
        let html = br#"<html><head>
            <link rel="stylesheet" href="/s.css"><link rel="canonical" href="/sq/lajme/">
            <link rel="alternate" hreflang="sr-Latn" href="http://komuna.example/sr/vesti/">
            <link rel="alternate" type="application/rss+xml" href="/rss">
            </head><body>
            <a href="a.html#part">a</a><a href="a.html">again</a><a href="mailto:info@komuna.example">mail</a>
            <iframe src="/frame"></iframe><p><a href="https://other.example/x">x</a>
            </body></html>"#;
        let found = links(html, BASE);
        assert_eq!(
            found.follow,
            [
                "http://komuna.example/sr/vesti/",
                "http://komuna.example/sq/lajme/a.html",
                "mailto:info@komuna.example",
                "http://komuna.example/frame",
                "https://other.example/x",
            ]
        );
        assert_eq!(found.canonical.as_deref(), Some("http://komuna.example/sq/lajme/"));
        assert_eq!(found.alternates, [("sr-Latn".to_string(), "http://komuna.example/sr/vesti/".to_string())]);
    }

    #[test]
    fn switchers_by_label_attribute_and_flag() {
        let html = r#"<ul>
            <li><a href="/sq/">Shqip</a></li><li><a href="/sr/"> Српски </a></li>
            <li><a href="/en/" lang="en">ENG</a></li><li><a href="/tr/"><img src="tr.png" alt="Türkçe"></a></li>
            <li><a href="/sr-lat/">[ SR ]</a></li><li><a href="/kontakt">Kontakt</a></li></ul>"#;
        let found = links(html.as_bytes(), BASE);
        let labels: Vec<&str> = found.switchers.iter().map(|(label, _)| label.as_str()).collect();
        assert_eq!(labels, ["Shqip", "Српски", "en", "Türkçe", "[ SR ]"]);
    }

    #[test]
    fn base_href_counts() {
        let found = links(br#"<a href="x">x</a><base href="http://komuna.example/sr/">"#, BASE);
        assert_eq!(found.follow, ["http://komuna.example/sr/x"]);
    }

    #[test]
    fn garbage_gives_nothing() {
        assert_eq!(links(b"\0\xff<a href=", BASE), PageLinks::default());
        assert_eq!(links(b"<a href='http://[::1'>x</a>", BASE).follow, Vec::<String>::new());
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_give_links_without_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..2000)) {
            let _ = links(&bytes, BASE);
        }

        #[test]
        fn any_markup_gives_links_without_panic(text in "(<a href=\"[^\"]{0,20}\"[^>]{0,10}>|<link rel=alternate hreflang=[a-z-]{0,6} href=[^ >]{0,12}>|<base href=[^ >]{0,12}>|<img alt=[^ >]{0,8}>|</a>|[^<]{0,10}){0,30}") {
            let _ = links(text.as_bytes(), BASE);
        }
    }
}
