//! The crawler against fixture websites served on 127.0.0.1 by the test itself: robots.txt,
//! other hosts never asked, traps, redirects, error statuses, a slow server, size caps,
//! conditional requests, sitemaps; and the offline inputs (a mirror directory, a WARC file).
//! No test sends traffic anywhere but the loopback interface, and none measures time. The
//! fixture server speaks HTTPS as well, for `monitor_tls`.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use termbridge::model::monitor::{CrawlEvent, FailureKind, RefusalKind};
use termbridge::monitor::crawl::{CrawlOptions, CrawlStats, Previous, crawl, read_dir, read_warc};

/// A request as the fixture server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub path: String,
    pub headers: HashMap<String, String>,
}

/// What the fixture server answers.
pub enum Reply {
    Send {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: Vec<u8>,
    },
    /// Sends nothing and keeps the connection open until the client gives up.
    Hold,
}

pub fn html(body: &str) -> Reply {
    Reply::Send { status: 200, headers: vec![("Content-Type", "text/html; charset=utf-8".into())], body: body.as_bytes().to_vec() }
}

pub fn status(code: u16) -> Reply {
    Reply::Send { status: code, headers: vec![], body: format!("status {code}").into_bytes() }
}

fn redirect(to: &str) -> Reply {
    Reply::Send { status: 302, headers: vec![("Location", to.to_string())], body: Vec::new() }
}

pub type Routes = dyn Fn(&Seen) -> Reply + Send + Sync;

/// A tiny HTTP/1.1 server on an ephemeral loopback port, plain or over TLS; one thread a
/// connection, every answer closes its connection. A request whose TLS handshake fails is
/// not logged. The service tests (`monitor_api`) serve their sites with it too.
pub struct Site {
    port: u16,
    scheme: &'static str,
    log: Arc<Mutex<Vec<Seen>>>,
}

impl Site {
    pub fn start(routes: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> Site {
        Site::listen(None, routes)
    }

    /// The site over HTTPS with the certificate chain and key of `tls`.
    pub fn start_tls(tls: Arc<rustls::ServerConfig>, routes: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> Site {
        Site::listen(Some(tls), routes)
    }

    fn listen(tls: Option<Arc<rustls::ServerConfig>>, routes: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> Site {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("address").port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let routes: Arc<Routes> = Arc::new(routes);
        let server_log = Arc::clone(&log);
        let scheme = if tls.is_some() { "https" } else { "http" };
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (routes, log, tls) = (Arc::clone(&routes), Arc::clone(&server_log), tls.clone());
                std::thread::spawn(move || match tls {
                    None => serve(stream, &*routes, &log),
                    Some(config) => {
                        let Ok(connection) = rustls::ServerConnection::new(config) else { return };
                        let mut stream = rustls::StreamOwned::new(connection, stream);
                        serve(&mut stream, &*routes, &log);
                        // The answer ends at close_notify: without it the client sees a
                        // truncated body.
                        stream.conn.send_close_notify();
                        let _ = stream.flush();
                    }
                });
            }
        });
        Site { port, scheme, log }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}://127.0.0.1:{}{path}", self.scheme, self.port)
    }

    pub fn requested(&self) -> Vec<String> {
        self.log.lock().unwrap().iter().map(|seen| seen.path.clone()).collect()
    }

    pub fn requests_of(&self, path: &str) -> Vec<Seen> {
        self.log.lock().unwrap().iter().filter(|seen| seen.path == path).cloned().collect()
    }
}

fn serve(mut stream: impl Read + Write, routes: &Routes, log: &Mutex<Vec<Seen>>) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let text = String::from_utf8_lossy(&head).to_string();
    let mut lines = text.lines();
    let path = lines.next().and_then(|line| line.split_whitespace().nth(1)).unwrap_or("/").to_string();
    let headers = lines.filter_map(|line| line.split_once(':')).map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string())).collect();
    let seen = Seen { path, headers };
    log.lock().unwrap().push(seen.clone());
    match routes(&seen) {
        Reply::Hold => {
            // Nothing is sent; the read ends when the client closes the connection.
            let mut sink = [0u8; 64];
            while matches!(stream.read(&mut sink), Ok(n) if n > 0) {}
        }
        Reply::Send { status, headers, body } => {
            let mut out = format!("HTTP/1.1 {status} X\r\nConnection: close\r\n");
            for (name, value) in headers {
                out.push_str(&format!("{name}: {value}\r\n"));
            }
            out.push_str("\r\n");
            let _ = stream.write_all(out.as_bytes());
            let _ = stream.write_all(&body);
        }
    }
}

pub(crate) fn options() -> CrawlOptions {
    CrawlOptions {
        delay_ms: 0,
        allow_private: true,
        contact: Some("https://termbridge.example/monitor".into()),
        read_timeout: Duration::from_secs(20),
        connect_timeout: Duration::from_secs(10),
        ..CrawlOptions::default()
    }
}

pub(crate) fn run(seeds: &[String], options: &CrawlOptions, previous: &(dyn Fn(&str) -> Option<Previous> + Sync)) -> (Vec<CrawlEvent>, CrawlStats) {
    let mut events = Vec::new();
    let mut last_progress = None;
    let stats = crawl(seeds, options, previous, &mut |event| events.push(event), &mut |stats| last_progress = Some(stats)).expect("crawl");
    assert_eq!(last_progress, Some(stats), "the last progress report is the result");
    (events, stats)
}

pub(crate) fn page<'e>(events: &'e [CrawlEvent], url: &str) -> Option<&'e termbridge::model::monitor::FetchedPage> {
    events.iter().find_map(|event| match event {
        CrawlEvent::Page(page) if page.snapshot.url == url => Some(page),
        _ => None,
    })
}

pub(crate) fn refusal(events: &[CrawlEvent], url: &str) -> Option<(RefusalKind, String)> {
    events.iter().find_map(|event| match event {
        CrawlEvent::Refused { url: refused, kind, detail } if refused == url => Some((*kind, detail.clone())),
        _ => None,
    })
}

pub(crate) fn failure(events: &[CrawlEvent], url: &str) -> Option<(FailureKind, Option<u16>)> {
    events.iter().find_map(|event| match event {
        CrawlEvent::Failed { url: failed, kind, status, .. } if failed == url => Some((*kind, *status)),
        _ => None,
    })
}

#[test]
fn robots_other_hosts_and_error_statuses() {
    let other = Site::start(|_| html("<p>never</p>"));
    let other_url = other.url("/");
    let site = Site::start(move |seen| match seen.path.as_str() {
        "/robots.txt" => Reply::Send { status: 200, headers: vec![], body: b"User-agent: *\nDisallow: /private/\n".to_vec() },
        "/" => html(&format!(
            r#"<a href="/private/x">p</a><a href="/a">a</a><a href="/missing">m</a><a href="/error">e</a>
               <a href="{other_url}">other</a><a href="mailto:info@komuna.example">mail</a><a href="/a#top">a again</a>"#
        )),
        "/a" => html("<p>a</p>"),
        "/missing" => status(404),
        "/error" => status(500),
        _ => status(404),
    });
    let (events, stats) = run(&[site.url("/")], &options(), &|_| None);

    assert!(other.requested().is_empty(), "the other host was asked: {:?}", other.requested());
    assert!(!site.requested().iter().any(|path| path.starts_with("/private")), "{:?}", site.requested());
    assert_eq!(site.requests_of("/robots.txt").len(), 1);
    assert_eq!(site.requests_of("/a").len(), 1, "one page, one request");
    assert_eq!(refusal(&events, &site.url("/private/x")).map(|r| r.0), Some(RefusalKind::Robots));
    assert_eq!(refusal(&events, &other.url("/")).map(|r| r.0), Some(RefusalKind::OtherHost));
    assert_eq!(refusal(&events, "mailto:info@komuna.example").map(|r| r.0), Some(RefusalKind::Scheme));
    assert_eq!(failure(&events, &site.url("/missing")), Some((FailureKind::Status, Some(404))));
    assert_eq!(failure(&events, &site.url("/error")), Some((FailureKind::Status, Some(500))));
    assert_eq!((stats.fetched, stats.failed, stats.refused), (2, 2, 3));

    let agent = &site.requests_of("/")[0].headers["user-agent"];
    assert!(agent.starts_with("termbridge/") && agent.contains("https://termbridge.example/monitor"), "{agent}");
}

#[test]
fn a_failing_robots_txt_refuses_the_host() {
    let site = Site::start(|seen| if seen.path == "/robots.txt" { status(503) } else { html("<p>x</p>") });
    let (events, stats) = run(&[site.url("/")], &options(), &|_| None);
    let (kind, detail) = refusal(&events, &site.url("/")).expect("refused");
    assert_eq!(kind, RefusalKind::Robots);
    assert!(detail.contains("503"), "{detail}");
    assert_eq!(site.requested(), ["/robots.txt"]);
    assert_eq!(stats.fetched, 0);
}

#[test]
fn an_endless_calendar_is_bounded() {
    let site = Site::start(|seen| {
        let parts: Vec<&str> = seen.path.trim_start_matches('/').split('/').collect();
        match parts.as_slice() {
            ["cal", year, month] => {
                let (year, month): (u32, u32) = (year.parse().unwrap_or(2000), month.parse().unwrap_or(1));
                let (next_year, next_month) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
                html(&format!(r#"<a href="/cal/{next_year}/{next_month}">next</a>"#))
            }
            [""] => html(r#"<a href="/cal/2000/1">calendar</a>"#),
            _ => status(404),
        }
    });
    let options = CrawlOptions { max_depth: 10_000, max_pages: 10_000, ..options() };
    let (events, stats) = run(&[site.url("/")], &options, &|_| None);
    assert!(stats.fetched <= 30, "{} calendar pages fetched", stats.fetched);
    assert!(events.iter().any(|e| matches!(e, CrawlEvent::Refused { kind: RefusalKind::Trap, .. })));
}

#[test]
fn redirects_are_followed_checked_and_loops_stopped() {
    let other = Site::start(|_| html("never"));
    let other_url = other.url("/landing");
    let site = Site::start(move |seen| match seen.path.as_str() {
        "/" => html(r#"<a href="/old">o</a><a href="/loop1">l</a><a href="/away">a</a><a href="/chain0">c</a>"#),
        "/old" => redirect("/new"),
        "/new" => html("<p>new</p>"),
        "/loop1" => redirect("/loop2"),
        "/loop2" => redirect("/loop1"),
        "/away" => redirect(&other_url),
        path if path.starts_with("/chain") => {
            let n: u32 = path[6..].parse().unwrap_or(0);
            redirect(&format!("/chain{}", n + 1))
        }
        _ => status(404),
    });
    let (events, _) = run(&[site.url("/")], &options(), &|_| None);
    let moved = page(&events, &site.url("/old")).expect("redirected page");
    assert_eq!(moved.snapshot.final_url, site.url("/new"));
    assert_eq!(failure(&events, &site.url("/loop1")).map(|f| f.0), Some(FailureKind::RedirectLoop));
    assert_eq!(failure(&events, &site.url("/chain0")).map(|f| f.0), Some(FailureKind::TooManyRedirects));
    assert_eq!(refusal(&events, &other.url("/landing")).map(|r| r.0), Some(RefusalKind::OtherHost));
    assert!(other.requested().is_empty());
}

#[test]
fn slow_large_and_binary_pages_fail_with_their_kind() {
    let site = Site::start(|seen| match seen.path.as_str() {
        "/" => html(r#"<a href="/slow">s</a><a href="/big">b</a><a href="/binary">x</a>"#),
        "/slow" => Reply::Hold,
        // No Content-Length: the cap must stop the reading itself.
        "/big" => Reply::Send { status: 200, headers: vec![("Content-Type", "text/html".into())], body: vec![b'a'; 3 << 20] },
        "/binary" => Reply::Send { status: 200, headers: vec![("Content-Type", "text/html".into())], body: b"\x7fELF\0\0\0\x01\x02".to_vec() },
        _ => status(404),
    });
    let options = CrawlOptions { read_timeout: Duration::from_millis(1500), max_html_bytes: 1 << 20, ..options() };
    let (events, _) = run(&[site.url("/")], &options, &|_| None);
    assert_eq!(failure(&events, &site.url("/slow")).map(|f| f.0), Some(FailureKind::Timeout));
    assert_eq!(failure(&events, &site.url("/big")).map(|f| f.0), Some(FailureKind::TooLarge));
    assert_eq!(failure(&events, &site.url("/binary")).map(|f| f.0), Some(FailureKind::Unreadable));
}

#[test]
fn a_second_run_asks_conditionally_and_gets_304() {
    let site = Site::start(|seen| {
        let fresh = seen.headers.get("if-none-match").map(String::as_str) == Some("\"v1\"");
        let body = match seen.path.as_str() {
            "/" => r#"<a href="/b">b</a>"#,
            "/b" => "<p>b</p>",
            _ => return status(404),
        };
        if fresh {
            Reply::Send { status: 304, headers: vec![("ETag", "\"v1\"".into())], body: Vec::new() }
        } else {
            Reply::Send { status: 200, headers: vec![("Content-Type", "text/html".into()), ("ETag", "\"v1\"".into())], body: body.as_bytes().to_vec() }
        }
    });
    let (first, first_stats) = run(&[site.url("/")], &options(), &|_| None);
    assert_eq!(first_stats.fetched, 2);
    let kept: HashMap<String, Previous> = first
        .iter()
        .filter_map(|event| match event {
            CrawlEvent::Page(page) => Some((
                page.snapshot.url.clone(),
                Previous {
                    etag: page.snapshot.header("etag").map(str::to_string),
                    last_modified: None,
                    body: page.body.clone(),
                    snapshot: page.snapshot.clone(),
                },
            )),
            _ => None,
        })
        .collect();
    let (second, stats) = run(&[site.url("/")], &options(), &|url| kept.get(url).cloned());
    assert_eq!((stats.fetched, stats.not_modified), (0, 2), "the links of the kept body are followed too");
    let home = page(&second, &site.url("/")).expect("home");
    assert_eq!(home.snapshot.status, 304);
    assert_eq!(home.body, kept[&site.url("/")].body);
    assert_eq!(home.snapshot.hash, kept[&site.url("/")].snapshot.hash);
    assert!(site.requests_of("/").iter().any(|seen| seen.headers.contains_key("if-none-match")));
}

#[test]
fn sitemap_lastmod_with_absolute_locations() {
    let port = Arc::new(Mutex::new(0u16));
    let server_port = Arc::clone(&port);
    let site = Site::start(move |seen| {
        let base = format!("http://127.0.0.1:{}", server_port.lock().unwrap());
        match seen.path.as_str() {
            "/robots.txt" => Reply::Send { status: 200, headers: vec![], body: format!("User-agent: *\nSitemap: {base}/sitemap-index.xml\n").into_bytes() },
            "/sitemap-index.xml" => Reply::Send {
                status: 200,
                headers: vec![],
                body: format!("<sitemapindex><sitemap><loc>{base}/pages.xml</loc></sitemap></sitemapindex>").into_bytes(),
            },
            "/pages.xml" => Reply::Send {
                status: 200,
                headers: vec![],
                body: format!("<urlset><url><loc>{base}/orphan</loc><lastmod>2026-11-02</lastmod></url></urlset>").into_bytes(),
            },
            "/" | "/orphan" => html("<p>x</p>"),
            _ => status(404),
        }
    });
    *port.lock().unwrap() = site.port;
    let (events, _) = run(&[site.url("/")], &options(), &|_| None);
    let orphan = page(&events, &site.url("/orphan")).expect("the page only the sitemap lists");
    assert_eq!(orphan.snapshot.lastmod.as_deref(), Some("2026-11-02"));
    assert_eq!(orphan.snapshot.depth, 0);
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).expect("gzip");
    encoder.finish().expect("gzip")
}

#[test]
fn gzipped_sitemaps_are_read() {
    let port = Arc::new(Mutex::new(0u16));
    let server_port = Arc::clone(&port);
    let site = Site::start(move |seen| {
        let base = format!("http://127.0.0.1:{}", server_port.lock().unwrap());
        let gzipped = |xml: String| Reply::Send { status: 200, headers: vec![("Content-Type", "application/x-gzip".into())], body: gzip(xml.as_bytes()) };
        match seen.path.as_str() {
            "/robots.txt" => Reply::Send { status: 200, headers: vec![], body: format!("User-agent: *\nSitemap: {base}/sitemap.xml.gz\n").into_bytes() },
            "/sitemap.xml.gz" => gzipped(format!("<sitemapindex><sitemap><loc>{base}/pages.xml.gz</loc></sitemap></sitemapindex>")),
            "/pages.xml.gz" => gzipped(format!("<urlset><url><loc>{base}/orphan</loc><lastmod>2026-11-02</lastmod></url></urlset>")),
            "/" | "/orphan" => html("<p>x</p>"),
            _ => status(404),
        }
    });
    *port.lock().unwrap() = site.port;
    let (events, _) = run(&[site.url("/")], &options(), &|_| None);
    let orphan = page(&events, &site.url("/orphan")).expect("the page only the gzipped sitemap lists");
    assert_eq!(orphan.snapshot.lastmod.as_deref(), Some("2026-11-02"));
}

#[test]
fn a_start_address_in_a_folder_keeps_the_crawl_in_it() {
    let port = Arc::new(Mutex::new(0u16));
    let server_port = Arc::clone(&port);
    let site = Site::start(move |seen| {
        let base = format!("http://127.0.0.1:{}", server_port.lock().unwrap());
        match seen.path.as_str() {
            "/robots.txt" => status(404),
            "/sitemap.xml" => Reply::Send {
                status: 200,
                headers: vec![],
                body: format!("<urlset><url><loc>{base}/other/listed</loc></url><url><loc>{base}/komuna/listed</loc></url></urlset>").into_bytes(),
            },
            "/sq/komuna/" => html(
                r#"<a href="/komuna/a">a</a><a href="/sr/komuna/b">b</a><a href="/other/x">other</a><a href="/">portal</a>
                   <a href="/sq/komuna/away">away</a>"#,
            ),
            "/sq/komuna/away" => redirect("/other/landing"),
            path if path.starts_with("/komuna/") || path.starts_with("/sr/komuna/") => html("<p>x</p>"),
            _ => html(r#"<a href="/sq/komuna/">komuna</a>"#),
        }
    });
    *port.lock().unwrap() = site.port;
    let (events, stats) = run(&[site.url("/sq/komuna/")], &options(), &|_| None);

    for path in ["/sq/komuna/", "/komuna/a", "/sr/komuna/b", "/komuna/listed"] {
        assert!(page(&events, &site.url(path)).is_some(), "{path} not fetched: {:?}", site.requested());
    }
    let requested = site.requested();
    assert!(requested.iter().any(|path| path == "/robots.txt") && requested.iter().any(|path| path == "/sitemap.xml"), "{requested:?}");
    assert!(!requested.iter().any(|path| path.starts_with("/other") || path == "/"), "outside the folder: {requested:?}");
    assert_eq!(refusal(&events, &site.url("/other/x")), None, "a link out of the folder is not a refusal");
    let (kind, detail) = refusal(&events, &site.url("/other/landing")).expect("the redirect out of the folder");
    assert_eq!(kind, RefusalKind::OtherHost);
    assert!(detail.contains("/komuna/"), "{detail}");
    assert_eq!((stats.fetched, stats.refused), (4, 1));
}

#[test]
fn private_addresses_are_refused_unless_allowed() {
    let site = Site::start(|_| html("<p>x</p>"));
    let options = CrawlOptions { allow_private: false, ..options() };
    let (events, _) = run(&[site.url("/")], &options, &|_| None);
    let (kind, detail) = refusal(&events, &site.url("/")).expect("refused");
    assert_eq!(kind, RefusalKind::PrivateAddress);
    assert!(detail.contains("loopback"), "{detail}");
    assert!(site.requested().is_empty());
}

fn data(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/monitor").join(name)
}

#[test]
fn a_mirror_directory_reads_as_pages() {
    let mut events = Vec::new();
    let stats = read_dir(&data("mirror"), &mut |event| events.push(event)).expect("mirror");
    let mut urls: Vec<&str> = events
        .iter()
        .filter_map(|event| match event {
            CrawlEvent::Page(page) => Some(page.snapshot.url.as_str()),
            _ => None,
        })
        .collect();
    urls.sort();
    assert_eq!(urls, ["http://komuna.example/", "http://komuna.example/docs/vendim.pdf", "http://komuna.example/sr/", "http://komuna.example/sr/vesti.html"]);
    assert_eq!(stats.fetched, 4);
    assert!(read_dir(&data("no-such-mirror"), &mut |_| {}).is_err());
}

#[test]
fn a_warc_reads_as_pages_and_failures() {
    let mut events = Vec::new();
    let stats = read_warc(&data("small.warc"), &mut |event| events.push(event)).expect("warc");
    let home = page(&events, "http://komuna.example/sq/").expect("the archived page");
    assert_eq!(home.snapshot.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(home.snapshot.fetched_at, 1_764_590_400);
    assert!(String::from_utf8_lossy(&home.body).contains("Komuna"));
    assert_eq!(failure(&events, "http://komuna.example/sr/"), Some((FailureKind::Status, Some(404))));
    assert_eq!((stats.fetched, stats.failed), (1, 1));
    assert!(read_warc(&data("mirror/komuna.example/index.html"), &mut |_| {}).is_err());
}
