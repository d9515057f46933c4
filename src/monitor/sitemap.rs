//! Sitemaps (sitemaps.org 0.9): the page list a site publishes, with each page's `lastmod`,
//! which dates a page for translation lag when its answer has no Last-Modified. Read through
//! the crate's safe XML reader (no DTD, no entities, bounded nesting); a sitemap index gives
//! the sitemaps to read next. A text sitemap (one URL a line) is read as well, and a gzipped
//! one (`sitemap.xml.gz`) is inflated first, up to a cap.

use std::borrow::Cow;
use std::io::Read;

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

/// The first bytes of a gzip stream (RFC 1952).
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// The sitemap in `body`, inflated when it is gzip, up to `cap` bytes inflated. The bytes
/// decide, not the name (`.xml.gz`) or the type (`application/x-gzip`): servers send gzip
/// files under every type, and a `.gz` name with the body already inflated. `Err` when the
/// gzip stream is broken or inflates beyond `cap`.
pub fn inflate(body: &[u8], cap: u64) -> Result<Cow<'_, [u8]>, String> {
    if !body.starts_with(&GZIP_MAGIC) {
        return Ok(Cow::Borrowed(body));
    }
    let mut inflated = Vec::new();
    flate2::read::MultiGzDecoder::new(body).take(cap + 1).read_to_end(&mut inflated).map_err(|err| format!("gzipped sitemap cannot be inflated: {err}"))?;
    if inflated.len() as u64 > cap {
        return Err(format!("gzipped sitemap inflates to more than {cap} bytes"));
    }
    Ok(Cow::Owned(inflated))
}

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

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn gzip_is_inflated_up_to_the_cap() {
        let xml = b"<urlset><url><loc>http://komuna.example/a</loc></url></urlset>";
        let packed = gzip(xml);
        assert_eq!(&*inflate(&packed, 1000).unwrap(), xml);
        assert!(matches!(inflate(xml, 10).unwrap(), Cow::Borrowed(_)), "plain XML is left as it is, whatever its length");
        assert!(inflate(&packed, 20).unwrap_err().contains("more than 20 bytes"));
        assert!(inflate(&packed[..packed.len() / 2], 1000).is_err(), "a cut stream");
        let bomb = gzip(&vec![b' '; 1 << 20]);
        assert!(bomb.len() < 4096 && inflate(&bomb, 64 << 10).is_err(), "a small file that inflates far");
    }

    #[test]
    fn doctype_is_refused_and_text_sitemaps_read() {
        assert!(parse(b"<!DOCTYPE x [<!ENTITY a 'b'>]><urlset/>", 100).is_err());
        let text = parse(b"http://komuna.example/a\n\nhttp://komuna.example/b\n", 1).unwrap();
        assert_eq!(text.pages.len(), 1);
    }
}
