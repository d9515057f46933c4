//! Sitemaps (sitemaps.org 0.9): the page list a site publishes, with each page's `lastmod`,
//! which dates a page for translation lag when its answer has no Last-Modified. Read through
//! the crate's safe XML reader (no DTD, no entities, bounded nesting); a sitemap index gives
//! the sitemaps to read next. A text sitemap (one URL a line) is read as well. Compressed
//! sitemaps (`.xml.gz`) are not read.

use crate::formats::xml::{TextEvent, XmlTextReader};

/// What one sitemap file lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sitemap {
    /// Pages: (`loc`, `lastmod` as written).
    pub pages: Vec<(String, Option<String>)>,
    /// Sitemaps of a sitemap index.
    pub sitemaps: Vec<String>,
}

/// Deepest nesting a sitemap needs is 3 (`urlset/url/loc`); a little room for extensions.
const MAX_DEPTH: usize = 16;

/// Reads a sitemap or sitemap index; `Err` with the reason when it is malformed XML. Stops
/// after `max_entries` entries.
pub fn parse(body: &[u8], max_entries: usize) -> Result<Sitemap, String> {
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if !trimmed.starts_with('<') {
        let pages = trimmed
            .lines()
            .map(str::trim)
            .filter(|line| line.starts_with("http://") || line.starts_with("https://"))
            .take(max_entries)
            .map(|line| (line.to_string(), None))
            .collect();
        return Ok(Sitemap { pages, sitemaps: Vec::new() });
    }
    let mut reader = XmlTextReader::new(trimmed, MAX_DEPTH);
    let mut sitemap = Sitemap::default();
    // The entry being read (`url` or `sitemap`), the child element whose text is collected.
    let mut entry: Option<String> = None;
    let mut field: Option<String> = None;
    let (mut loc, mut lastmod, mut value) = (String::new(), String::new(), String::new());
    loop {
        let (position, event) = reader.next().map_err(|stop| format!("malformed sitemap: {stop:?}"))?;
        match event {
            TextEvent::Start(start) => {
                let name = start.local_name().into_inner().to_string();
                match name.as_str() {
                    "url" | "sitemap" => {
                        entry = Some(name);
                        loc.clear();
                        lastmod.clear();
                    }
                    "loc" | "lastmod" if entry.is_some() => {
                        field = Some(name);
                        value.clear();
                    }
                    _ => {}
                }
            }
            TextEvent::Text(text) if field.is_some() => value.push_str(&text),
            TextEvent::Reference(Ok(c)) if field.is_some() => value.push(c),
            TextEvent::End(end) => {
                let name = end.local_name().into_inner().to_string();
                if field.as_deref() == Some(name.as_str()) {
                    if name == "loc" {
                        loc = value.trim().to_string();
                    } else {
                        lastmod = value.trim().to_string();
                    }
                    field = None;
                } else if entry.as_deref() == Some(name.as_str()) {
                    if !loc.is_empty() {
                        if name == "url" {
                            let date = (!lastmod.is_empty()).then(|| lastmod.clone());
                            sitemap.pages.push((loc.clone(), date));
                        } else {
                            sitemap.sitemaps.push(loc.clone());
                        }
                    }
                    entry = None;
                    if sitemap.pages.len() + sitemap.sitemaps.len() >= max_entries {
                        tracing::debug!(position, max_entries, "sitemap cut at the entry cap");
                        break;
                    }
                }
            }
            TextEvent::Eof => break,
            _ => {}
        }
    }
    Ok(sitemap)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urlset_with_lastmod() {
        let xml = br#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>http://komuna.example/sq/</loc><lastmod>2026-11-02</lastmod></url>
  <url><loc> http://komuna.example/sr/?a=1&amp;b=2 </loc></url>
</urlset>"#;
        let sitemap = parse(xml, 100).unwrap();
        assert_eq!(
            sitemap.pages,
            [("http://komuna.example/sq/".to_string(), Some("2026-11-02".to_string())), ("http://komuna.example/sr/?a=1&b=2".to_string(), None)]
        );
    }

    #[test]
    fn index_lists_sitemaps() {
        let xml = br#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>http://komuna.example/sitemap-sq.xml</loc><lastmod>2026-01-01</lastmod></sitemap>
</sitemapindex>"#;
        assert_eq!(parse(xml, 100).unwrap().sitemaps, ["http://komuna.example/sitemap-sq.xml"]);
    }

    #[test]
    fn doctype_is_refused_and_text_sitemaps_read() {
        assert!(parse(b"<!DOCTYPE x [<!ENTITY a 'b'>]><urlset/>", 100).is_err());
        let text = parse(b"http://komuna.example/a\n\nhttp://komuna.example/b\n", 1).unwrap();
        assert_eq!(text.pages.len(), 1);
    }
}
