//! Golden pages and the decisions of `read_page`: types, charsets, languages.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use super::*;
use crate::model::monitor::Snapshot;

fn fetched(url: &str, content_type: &str, body: &[u8]) -> FetchedPage {
    let mut headers = BTreeMap::new();
    if !content_type.is_empty() {
        headers.insert("content-type".to_string(), content_type.to_string());
    }
    let snapshot = Snapshot {
        url: url.to_string(),
        final_url: url.to_string(),
        status: 200,
        fetched_at: 0,
        headers,
        hash: String::new(),
        body_len: body.len() as u64,
        lastmod: None,
        depth: 0,
    };
    FetchedPage { snapshot, body: body.to_vec() }
}

fn read(url: &str, content_type: &str, body: &[u8]) -> Result<PageText, PageError> {
    read_page(&fetched(url, content_type, body), Vec::new(), Vec::new(), Vec::new())
}

pub(super) fn pdftotext_installed() -> bool {
    Command::new("pdftotext").arg("-v").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok()
}

/// What a golden file shows of a page read.
fn render(page: &PageText) -> String {
    let info = &page.info;
    let mut out = format!(
        "url: {}\nformat: {:?}\ntag: {}\ndeclared: {}\ntitle: {}\nchars: {}\nnumbers: {}\ndates: {}\nnames: {}\nblocks:\n",
        info.url,
        page.document.format,
        info.tag.map(|tag| tag.to_string()).unwrap_or_default(),
        info.declared.as_deref().unwrap_or(""),
        info.title,
        info.chars,
        info.numbers.join(" "),
        info.dates.join(" "),
        info.names.join(" "),
    );
    for block in &page.document.blocks {
        out.push_str(&format!("  {} {:?}: {}\n", block.line, block.kind, block.text));
    }
    out
}

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/monitor/pages")
}

#[test]
fn golden_html_in_windows_1250_by_its_meta_charset() {
    let body = std::fs::read(fixtures().join("notice.sr-latn.windows-1250.html")).unwrap();
    let page = read("https://junik.example/sr/obavestenje-14", "text/html", &body).unwrap();
    assert_eq!(page.info.tag, Some(LangTag::SR_LATN));
    crate::testing::assert_golden(&fixtures().join("notice.sr-latn.windows-1250.expected.txt"), &render(&page));
}

#[test]
fn golden_pdf_through_pdftotext() {
    if !pdftotext_installed() {
        eprintln!("skipped: pdftotext is not installed (Debian package poppler-utils)");
        return;
    }
    let body = std::fs::read(fixtures().join("notice.sq.pdf")).unwrap();
    let page = read("https://junik.example/dokumente/njoftim-14", "application/pdf", &body).unwrap();
    assert_eq!(page.info.tag, Some(LangTag::SQ));
    crate::testing::assert_golden(&fixtures().join("notice.sq.pdf.expected.txt"), &render(&page));
}

#[test]
fn golden_docx_by_its_extension() {
    let body = crate::formats::docx::write_minimal_docx(&[
        ("Title", "Obaveštenje o javnom konkursu br. 14/2024"),
        ("", "Opština Junik raspisuje javni konkurs za tri slobodna radna mesta u opštinskoj upravi."),
        ("", "Rok za prijavu je 15. marta 2024. godine. Informacije daje Besnik Krasniqi."),
    ])
    .unwrap();
    let page = read("https://junik.example/dokumenti/konkurs-14.docx", "application/octet-stream", &body).unwrap();
    assert_eq!(page.info.tag, Some(LangTag::SR_LATN));
    crate::testing::assert_golden(&fixtures().join("notice.sr-latn.docx.expected.txt"), &render(&page));
}

#[test]
fn plain_text_and_sniffed_types() {
    let text = "Општина Junik расписује јавни конкурс за три слободна радна места.\nРок за пријаву је 15.03.2024.";
    let page = read("https://junik.example/konkurs", "text/plain; charset=utf-8", text.as_bytes()).unwrap();
    assert_eq!((page.info.tag, page.document.format), (Some(LangTag::SR_CYRL), DocumentFormat::Text));
    let page = read("https://junik.example/faqe", "", b"  <!DOCTYPE html><p>Komuna e Junikut njofton qytetar\xc3\xabt p\xc3\xabr takimin publik.</p>").unwrap();
    assert_eq!((page.info.tag, page.document.format), (Some(LangTag::SQ), DocumentFormat::Html));
    assert!(matches!(read("https://junik.example/logo", "image/png", b"\x89PNG"), Err(PageError::Unsupported { .. })));
    assert!(matches!(read("https://junik.example/x", "text/html", b"<p>\x00\x01\x02</p>"), Err(PageError::Binary { .. })));
    assert_eq!(sniff(b"%PDF-1.7"), Some(Kind::Pdf));
    assert_eq!(sniff(b"PK\x03\x04"), Some(Kind::Docx));
}

#[test]
fn charset_from_header_then_meta_then_utf8() {
    // "Opština" in windows-1250: š is 0x9A.
    let meta = b"<html><head><meta charset=\"windows-1250\"></head><p>Op\x9atina Junik raspisuje javni konkurs za radna mesta.</p>";
    assert!(read("https://x.example/a", "text/html", meta).unwrap().document.blocks[0].text.starts_with("Opština"));
    // The header wins over the meta: ISO-8859-2 has š at 0xB9.
    let header = b"<meta charset=\"windows-1250\"><p>Op\xb9tina</p>";
    assert_eq!(read("https://x.example/a", "text/html; charset=ISO-8859-2", header).unwrap().document.blocks[0].text, "Opština");
    // An unknown label is passed over, as browsers do.
    assert_eq!(read("https://x.example/a", "text/html; charset=bogus", "<p>Opština</p>".as_bytes()).unwrap().document.blocks[0].text, "Opština");
    let broken = read("https://x.example/a", "text/html", b"<p>ok</p>\n<p>Op\x9atina</p>").unwrap_err();
    assert_eq!(broken.to_string(), "https://x.example/a: not UTF-8 text (line 2)");
    // A lead byte of Shift_JIS followed by a space is no character.
    let broken = read("https://x.example/a", "text/html; charset=shift_jis", b"<p>ok</p>\n\n<p>\x81 </p>").unwrap_err();
    assert_eq!(broken.to_string(), "https://x.example/a: not Shift_JIS text (line 3)");
}

#[test]
fn language_from_the_text_not_the_address() {
    let html = "<html lang=\"sr\"><p>Komuna e Junikut fton qytetarët në dëgjimin publik për buxhetin e vitit 2025.</p></html>";
    let page = read("https://junik.example/sr/vesti/5", "text/html", html.as_bytes()).unwrap();
    assert_eq!((page.info.tag, page.info.declared.as_deref()), (Some(LangTag::SQ), Some("sr")));
    // An English menu does not make a Cyrillic page Latin.
    let html = "<ul><li>Home page and news</li><li>Contact us by mail</li></ul>\
                <p>Општина Јуник позива грађане на јавну расправу о буџету за 2025. годину.</p>";
    assert_eq!(read("https://junik.example/x", "text/html", html.as_bytes()).unwrap().info.tag, Some(LangTag::SR_CYRL));
    assert_eq!(read("https://junik.example/x", "text/html", b"<p>12.03.2024</p>").unwrap().info.tag, None);
}

#[test]
fn redirected_pages_keep_the_requested_address() {
    let mut page = fetched("https://junik.example/sr", "text/html", b"<p>Opstina</p>");
    page.snapshot.final_url = "https://junik.example/sr/".to_string();
    let read = read_page(&page, Vec::new(), Vec::new(), Vec::new()).unwrap();
    assert_eq!((read.info.url.as_str(), read.info.aliases.clone()), ("https://junik.example/sr/", vec!["https://junik.example/sr".to_string()]));
    assert_eq!(read.document.path.to_str(), Some("https://junik.example/sr/"));
}

#[test]
fn meta_charset_and_html_lang() {
    assert_eq!(meta_charset(b"<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=windows-1250\">").as_deref(), Some("windows-1250"));
    assert_eq!(meta_charset(b"<meta charset=utf-8>").as_deref(), Some("utf-8"));
    assert_eq!(meta_charset(b"<meta name=description content=charset>"), None);
    assert_eq!(html_lang("<!doctype html><HTML class=x LANG='sr-Latn'>").as_deref(), Some("sr-Latn"));
    assert_eq!(html_lang("<html xml:lang=\"sq\" xmlns=\"x\">").as_deref(), Some("sq"));
    assert_eq!(html_lang("<html data-slang=\"x\">"), None);
    assert_eq!(html_lang("<htmlx lang=sq><html lang=en>").as_deref(), Some("en"));
    assert_eq!(content_type("Text/HTML; Charset=\"Windows-1250\""), ("text/html".to_string(), Some("Windows-1250".to_string())));
}

#[test]
fn a_language_switcher_outside_the_navigation_is_not_page_text() {
    let html = "<html lang=sq><title>Njoftim</title><div class=top><a href=/sr/>Српски</a> | <a href=/en/>English</a></div>\
        <p>Komuna e Gjilanit njofton qytetarët se mbledhja e Kuvendit Komunal mbahet më 2 shkurt 2026 në orën 12:00.</p></html>";
    let page = read("http://komuna.example/sq/njoftim", "text/html", html.as_bytes()).expect("read");
    let texts: Vec<&str> = page.document.blocks.iter().map(|block| block.text.as_str()).collect();
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert!(!texts.iter().any(|text| text.contains("Српски")), "{texts:?}");
    assert_eq!(page.document.blocks[1].line, 2);
    assert_eq!(page.info.tag, Some(LangTag::SQ));
    assert!(!page.info.listing);
}

#[test]
fn an_index_of_links_is_a_listing() {
    let items: String = (1..=12).map(|n| format!("<li><a href=/sq/njoftime/{n}>Njoftim {n}</a></li>")).collect();
    let html = format!("<html lang=sq><title>Njoftime</title><h1>Njoftime</h1><ul>{items}</ul></html>");
    let page = read("http://komuna.example/sq/njoftime/", "text/html", html.as_bytes()).expect("read");
    assert!(page.info.listing);
}
