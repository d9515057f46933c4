//! URLs as the crawler sees them: one normal form per page (so a page is fetched once), the
//! host a URL belongs to, what kind of resource a link names, and the URL traps that would
//! keep a crawler busy forever (calendars, session ids, repeated path segments).
//!
//! It does no I/O and keeps no state: counting how often a URL shape was seen is the
//! crawler's.

use url::Url;

/// Query parameters that carry a session, not a page: stripped so that one page does not
/// become a new URL on every visit. Compared case-insensitively.
const SESSION_PARAMS: &[&str] = &["phpsessid", "sid", "jsessionid", "sessionid", "session_id", "aspsessionid", "cfid", "cftoken"];

/// Longest URL followed; longer ones are almost always generated (filters, encoded state).
pub const MAX_URL_LEN: usize = 2048;
/// Longest query followed.
pub const MAX_QUERY_LEN: usize = 512;
/// Deepest path followed, in segments.
const MAX_SEGMENTS: usize = 16;
/// A path segment repeated this often is a relative-link loop (`/a/b/a/b/a/b`).
const MAX_SEGMENT_REPEATS: usize = 3;
/// Highest page number followed in a pagination parameter or `/page/N`.
const MAX_PAGE_NUMBER: u64 = 1000;
/// Earliest year a calendar link may name; older dates are an endless calendar running back.
const MIN_YEAR: i64 = 1990;

/// The normal form of `raw`: scheme and host in lower case, default port dropped, the
/// fragment removed, percent-escapes of unreserved characters decoded and the others in
/// upper case, session parameters removed, an empty query dropped. `None` when it is not an
/// absolute URL.
///
/// ```
/// use termbridge::monitor::crawl::normalise;
/// assert_eq!(normalise("HTTP://Example.org:80/a/%7Eb?PHPSESSID=1#top").as_deref(), Some("http://example.org/a/~b"));
/// ```
pub fn normalise(raw: &str) -> Option<String> {
    let url = Url::parse(raw.trim()).ok()?;
    Some(normalise_url(url))
}

/// The normal form of a parsed URL (see [`normalise`]).
pub fn normalise_url(mut url: Url) -> String {
    url.set_fragment(None);
    if url.cannot_be_a_base() {
        return url.to_string();
    }
    // `;jsessionid=…` rides in the path on Java servers.
    let path = strip_path_session(url.path());
    let path = fix_escapes(&path);
    url.set_path(&path);
    if let Some(query) = url.query() {
        let kept: Vec<&str> = query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .filter(|pair| {
                let name = pair.split('=').next().unwrap_or("");
                !SESSION_PARAMS.iter().any(|session| name.eq_ignore_ascii_case(session))
            })
            .collect();
        let query = fix_escapes(&kept.join("&"));
        url.set_query(if query.is_empty() { None } else { Some(&query) });
    }
    if let Some(host) = url.host_str()
        && host.ends_with('.')
        && host.len() > 1
    {
        let trimmed = host.trim_end_matches('.').to_string();
        // A host that will not take the trimmed name keeps its dot.
        let _ = url.set_host(Some(&trimmed));
    }
    // A second parse settles what `set_path` and `set_query` leave for the parser to decide
    // (dot segments made by decoding, encodings of the parser's own choosing), so that the
    // normal form is a fixed point.
    let once = url.to_string();
    match Url::parse(&once) {
        Ok(again) if again.as_str() != once => again.to_string(),
        _ => once,
    }
}

fn strip_path_session(path: &str) -> String {
    match path.to_ascii_lowercase().find(";jsessionid=") {
        Some(start) => {
            let rest = &path[start + 1..];
            let end = rest.find(['/', ';']).map(|i| start + 1 + i).unwrap_or(path.len());
            format!("{}{}", &path[..start], &path[end..])
        }
        None => path.to_string(),
    }
}

/// Decodes escapes of unreserved characters (RFC 3986 §6.2.2.2) and writes the other
/// escapes' hex digits in upper case (§6.2.2.1), so that two spellings of one URL meet.
fn fix_escapes(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(high), Some(low)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            let byte = high * 16 + low;
            if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
                out.push(byte as char);
            } else {
                out.push('%');
                out.push(bytes[i + 1].to_ascii_uppercase() as char);
                out.push(bytes[i + 2].to_ascii_uppercase() as char);
            }
            i += 3;
            continue;
        }
        // `text` comes from a parsed URL, which is ASCII; a stray byte is copied as it is.
        let c = text[i..].chars().next().unwrap_or('?');
        out.push(c);
        i += c.len_utf8();
    }
    out
}

fn hex(byte: u8) -> Option<u8> {
    (byte as char).to_digit(16).map(|d| d as u8)
}

/// The host of a URL as the crawler tells hosts apart: name and port, where the two default
/// ports (80, 443) count as one, so `http://x/` redirecting to `https://x/` stays on `x`
/// while `127.0.0.1:8001` and `127.0.0.1:8002` are two hosts.
pub fn host_key(url: &Url) -> Option<String> {
    let host = url.host_str()?.to_ascii_lowercase();
    match url.port() {
        Some(port) if Some(port) != default_port(url.scheme()) => Some(format!("{host}:{port}")),
        _ => Some(host),
    }
}

fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" => Some(80),
        "https" => Some(443),
        _ => None,
    }
}

/// What a link names, judged from the URL alone (the answer's type decides later).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// A page to read and follow.
    Page,
    /// A document (PDF, DOCX, plain text): fetched under the document cap, not followed.
    Document,
    /// Not fetched: another scheme or a media, style or script file.
    NotAPage,
}

const DOCUMENT_EXTENSIONS: &[&str] = &["pdf", "docx", "txt"];
const MEDIA_EXTENSIONS: &[&str] = &[
    "jpg", "jpeg", "png", "gif", "webp", "svg", "ico", "bmp", "tif", "tiff", "mp3", "mp4", "m4a", "avi", "mov", "wmv", "webm", "ogg", "wav", "flac", "zip",
    "rar", "7z", "gz", "tar", "exe", "msi", "dmg", "apk", "iso", "css", "js", "json", "woff", "woff2", "ttf", "eot", "xls", "xlsx", "ppt", "pptx", "doc",
    "odt", "ods", "rtf", "xml", "rss",
];

/// The kind of resource `url` names.
pub fn link_kind(url: &Url) -> LinkKind {
    if !matches!(url.scheme(), "http" | "https") {
        return LinkKind::NotAPage;
    }
    let last = url.path_segments().and_then(|mut segments| segments.next_back()).unwrap_or("");
    let extension = match last.rsplit_once('.') {
        Some((_, ext)) => ext.to_ascii_lowercase(),
        None => return LinkKind::Page,
    };
    if DOCUMENT_EXTENSIONS.contains(&extension.as_str()) {
        LinkKind::Document
    } else if MEDIA_EXTENSIONS.contains(&extension.as_str()) {
        LinkKind::NotAPage
    } else {
        LinkKind::Page
    }
}

/// Why `url` looks like a URL trap, or `None`. `current_year` bounds calendar dates: a
/// calendar that links one month ahead forever stops a year after it.
pub fn trap(url: &Url, current_year: i64) -> Option<String> {
    let text = url.as_str();
    if text.len() > MAX_URL_LEN {
        return Some(format!("URL longer than {MAX_URL_LEN} characters"));
    }
    if url.query().is_some_and(|query| query.len() > MAX_QUERY_LEN) {
        return Some(format!("query longer than {MAX_QUERY_LEN} characters"));
    }
    let segments: Vec<&str> = url.path_segments().map(|s| s.filter(|s| !s.is_empty()).collect()).unwrap_or_default();
    if segments.len() > MAX_SEGMENTS {
        return Some(format!("path deeper than {MAX_SEGMENTS} segments"));
    }
    for segment in &segments {
        let repeats = segments.iter().filter(|other| *other == segment).count();
        if repeats >= MAX_SEGMENT_REPEATS && !segment.bytes().all(|b| b.is_ascii_digit()) {
            return Some(format!("path segment {segment:?} repeated {repeats} times"));
        }
    }
    for window in segments.windows(2) {
        if let Some(number) = number(window[1])
            && window[0].eq_ignore_ascii_case("page")
            && number > MAX_PAGE_NUMBER
        {
            return Some(format!("page number {number} beyond {MAX_PAGE_NUMBER}"));
        }
    }
    for (name, value) in url.query_pairs() {
        let name = name.to_ascii_lowercase();
        if matches!(name.as_str(), "page" | "p" | "pg" | "paged" | "start" | "offset")
            && let Some(number) = number(&value)
            && number > if name == "start" || name == "offset" { 100 * MAX_PAGE_NUMBER } else { MAX_PAGE_NUMBER }
        {
            return Some(format!("{name}={number} beyond the pages a site lists"));
        }
    }
    if let Some(year) = calendar_year(url)
        && (year < MIN_YEAR || year > current_year + 1)
    {
        return Some(format!("calendar date in {year}, outside {MIN_YEAR}..={}", current_year + 1));
    }
    None
}

fn number(text: &str) -> Option<u64> {
    if text.is_empty() || text.len() > 12 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// The year a URL names, if it looks like a calendar or dated listing: a path segment or a
/// `year`/`date`/`month` parameter holding a four-digit year (`/2031/05`, `2031-05-07`,
/// `?year=2031`, `?date=2031-05`).
pub fn calendar_year(url: &Url) -> Option<i64> {
    let from_text = |text: &str| -> Option<i64> {
        let head: String = text.chars().take_while(|c| c.is_ascii_digit()).collect();
        let rest = &text[head.len()..];
        if head.len() == 4 && (rest.is_empty() || rest.starts_with('-') || rest.starts_with('_') || rest.starts_with('.')) {
            let year: i64 = head.parse().ok()?;
            (1000..=9999).contains(&year).then_some(year)
        } else {
            None
        }
    };
    for (name, value) in url.query_pairs() {
        let name = name.to_ascii_lowercase();
        if matches!(name.as_str(), "year" | "y" | "date" | "month" | "day" | "cal" | "calendar" | "from" | "to")
            && let Some(year) = from_text(&value)
        {
            return Some(year);
        }
    }
    let segments: Vec<&str> = url.path_segments().map(|s| s.collect()).unwrap_or_default();
    segments.iter().find_map(|segment| from_text(segment))
}

/// The shape of a dated URL: its text with every digit run replaced by `#`. The crawler
/// bounds how many URLs of one shape it follows, since a calendar makes new dates without
/// end while a site's real dated pages differ in more than their numbers.
pub fn calendar_shape(url: &Url) -> Option<String> {
    calendar_year(url)?;
    let mut shape = String::with_capacity(url.as_str().len());
    let mut in_digits = false;
    for c in url.as_str().chars() {
        if c.is_ascii_digit() {
            if !in_digits {
                shape.push('#');
            }
            in_digits = true;
        } else {
            shape.push(c);
            in_digits = false;
        }
    }
    Some(shape)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(raw: &str, expected: Option<&str>) {
        assert_eq!(normalise(raw).as_deref(), expected, "{raw}");
    }

    #[test]
    fn normal_forms() {
        check("HTTP://Example.ORG:80/a/b#x", Some("http://example.org/a/b"));
        check("https://example.org:443", Some("https://example.org/"));
        check("https://example.org:8443/", Some("https://example.org:8443/"));
        check("http://example.org/%7euser/%2f", Some("http://example.org/~user/%2F"));
        check("http://example.org/a?PHPSESSID=abc&x=1", Some("http://example.org/a?x=1"));
        check("http://example.org/a?sid=abc", Some("http://example.org/a"));
        check("http://example.org/a;jsessionid=F00/b", Some("http://example.org/a/b"));
        check("http://example.org/a/./b/../c", Some("http://example.org/a/c"));
        check("http://example.org/lajme?", Some("http://example.org/lajme"));
        check("http://example.org./", Some("http://example.org/"));
        check("http://example.org/Приштина", Some("http://example.org/%D0%9F%D1%80%D0%B8%D1%88%D1%82%D0%B8%D0%BD%D0%B0"));
        check("/relative", None);
        check("not a url", None);
    }

    #[test]
    fn hosts_differ_by_port_but_not_by_default_port() {
        let key = |s: &str| host_key(&Url::parse(s).unwrap());
        assert_eq!(key("http://Example.org/"), key("https://example.org/"));
        assert_ne!(key("http://127.0.0.1:8001/"), key("http://127.0.0.1:8002/"));
    }

    #[test]
    fn kinds() {
        let kind = |s: &str| link_kind(&Url::parse(s).unwrap());
        assert_eq!(kind("http://x.org/vendim.PDF"), LinkKind::Document);
        assert_eq!(kind("http://x.org/a.docx"), LinkKind::Document);
        assert_eq!(kind("http://x.org/logo.png"), LinkKind::NotAPage);
        assert_eq!(kind("mailto:info@x.org"), LinkKind::NotAPage);
        assert_eq!(kind("http://x.org/lajme/"), LinkKind::Page);
        assert_eq!(kind("http://x.org/index.php?id=3"), LinkKind::Page);
    }

    #[test]
    fn traps() {
        let trap_of = |s: &str| trap(&Url::parse(s).unwrap(), 2026);
        assert!(trap_of("http://x.org/calendar/2031/01").is_some());
        assert!(trap_of("http://x.org/calendar/1970-01-01").is_some());
        assert!(trap_of("http://x.org/events?year=2040&month=2").is_some());
        assert!(trap_of("http://x.org/calendar/2027/01").is_none());
        assert!(trap_of("http://x.org/a/b/a/b/a/b").is_some());
        assert!(trap_of("http://x.org/news?page=100000").is_some());
        assert!(trap_of("http://x.org/news/page/5000").is_some());
        assert!(trap_of(&format!("http://x.org/?q={}", "a".repeat(600))).is_some());
        assert!(trap_of("http://x.org/lajme/2024/05/kuvendi").is_none());
        assert!(trap_of("http://x.org/1/1/1/1").is_none());
    }

    #[test]
    fn calendar_shapes() {
        let shape = |s: &str| calendar_shape(&Url::parse(s).unwrap());
        assert_eq!(shape("http://x.org/cal/2026/12"), shape("http://x.org/cal/2027/1"));
        assert_eq!(shape("http://x.org/lajme/kuvendi"), None);
    }

    proptest::proptest! {
        #[test]
        fn normalising_is_idempotent(path in "[a-zA-Z0-9/%._~;=?&#!$'()*+,:@ -]{0,40}", host in "[a-zA-Z0-9.-]{1,12}", port in proptest::option::of(1u16..)) {
            let port = port.map(|p| format!(":{p}")).unwrap_or_default();
            if let Some(once) = normalise(&format!("http://{host}{port}/{path}")) {
                proptest::prop_assert_eq!(normalise(&once), Some(once.clone()));
            }
        }

        #[test]
        fn normalising_any_text_is_idempotent(text in "\\PC{0,60}") {
            if let Some(once) = normalise(&text) {
                proptest::prop_assert_eq!(normalise(&once), Some(once.clone()));
            }
        }
    }
}
