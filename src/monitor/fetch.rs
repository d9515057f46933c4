//! One request of the crawler, redirects included: every hop is put in normal form and
//! checked for its host, its address and robots.txt before it is asked for; a hop seen twice
//! is a loop; bodies are read up to the cap of their type and no further.
//!
//! It knows nothing of the frontier or of politeness: the crawler decides what to fetch and
//! when.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;

use url::Url;

use super::crawl::CrawlOptions;
use super::guard::check_public;
use super::robots::Rules;
use super::scope::Scope;
use super::urls::{host_key, normalise_url};
use crate::model::monitor::{FailureKind, RefusalKind};

/// What is asked for: a page (typed, capped by its type) or a raw file (robots.txt, a
/// sitemap) with its own cap.
#[derive(Debug, Clone, Copy)]
pub enum Want {
    /// A page or document: HTML under the HTML cap, documents under the document cap, other
    /// types refused unread.
    Page,
    /// Any type, up to this many bytes.
    Raw(u64),
}

/// The outcome of one fetch.
#[derive(Debug)]
pub enum Fetched {
    /// An answer with a body read (2xx) or without one (304).
    Answer {
        /// The URL after redirects, in normal form.
        final_url: String,
        status: u16,
        /// Header names in lower case; repeated headers joined with ", ".
        headers: BTreeMap<String, String>,
        body: Vec<u8>,
    },
    /// Not asked for (a redirect hop refused, or an answer that is not a page).
    Refused { url: String, kind: RefusalKind, detail: String },
    /// Failed, with the HTTP status when there was one.
    Failed { kind: FailureKind, status: Option<u16>, detail: String, bytes: u64 },
}

/// What a fetch may consult: the client, the options, the hosts of the crawl and their rules.
pub struct Fetcher<'a> {
    pub client: &'a reqwest::blocking::Client,
    pub options: &'a CrawlOptions,
    /// Host keys (see `urls::host_key`) that may be fetched, with the part of each that pages
    /// may come from.
    pub hosts: &'a HashMap<String, Scope>,
    /// robots.txt of each host; empty while robots.txt itself is fetched.
    pub robots: &'a HashMap<String, Rules>,
}

/// Content types read as pages, and whether they fall under the document cap.
fn page_type(content_type: &str) -> Option<bool> {
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    match essence.as_str() {
        "" | "text/html" | "application/xhtml+xml" => Some(false),
        "application/pdf" | "application/vnd.openxmlformats-officedocument.wordprocessingml.document" | "text/plain" | "application/octet-stream" => Some(true),
        _ => None,
    }
}

impl Fetcher<'_> {
    /// Fetches `url`, sending `conditional` (ETag, Last-Modified) as If-None-Match and
    /// If-Modified-Since.
    pub fn fetch(&self, url: &Url, want: Want, conditional: Option<(Option<&str>, Option<&str>)>) -> Fetched {
        let mut current = url.clone();
        let mut chain: Vec<String> = vec![normalise_url(url.clone())];
        let mut redirects = 0u32;
        loop {
            let mut request = self.client.get(current.as_str());
            if redirects == 0
                && let Some((etag, last_modified)) = conditional
            {
                if let Some(etag) = etag {
                    request = request.header(reqwest::header::IF_NONE_MATCH, etag);
                }
                if let Some(last_modified) = last_modified {
                    request = request.header(reqwest::header::IF_MODIFIED_SINCE, last_modified);
                }
            }
            tracing::debug!(url = %current, "request");
            let response = match request.send() {
                Ok(response) => response,
                Err(err) => return failure(&err, &current),
            };
            let status = response.status().as_u16();
            let headers = header_map(&response);
            if (300..400).contains(&status) && status != 304 {
                let Some(location) = headers.get("location") else {
                    return Fetched::Failed {
                        kind: FailureKind::Status,
                        status: Some(status),
                        detail: format!("{current} answered {status} without a Location"),
                        bytes: 0,
                    };
                };
                let Ok(next) = current.join(location) else {
                    return Fetched::Failed {
                        kind: FailureKind::Status,
                        status: Some(status),
                        detail: format!("{current} redirects to an unreadable Location {location:?}"),
                        bytes: 0,
                    };
                };
                let next_text = normalise_url(next.clone());
                if chain.contains(&next_text) {
                    return Fetched::Failed {
                        kind: FailureKind::RedirectLoop,
                        status: Some(status),
                        detail: format!("redirect loop: {} → {next_text}", chain.join(" → ")),
                        bytes: 0,
                    };
                }
                redirects += 1;
                if redirects > self.options.max_redirects {
                    return Fetched::Failed {
                        kind: FailureKind::TooManyRedirects,
                        status: Some(status),
                        detail: format!("more than {} redirects from {}", self.options.max_redirects, chain[0]),
                        bytes: 0,
                    };
                }
                if let Err((kind, detail)) = self.admit(&next_text) {
                    return Fetched::Refused { url: next_text, kind, detail: format!("{detail} (redirected from {current})") };
                }
                // robots.txt and sitemaps live at the host's root, pages in the scope.
                if let (Want::Page, Some(scope)) = (want, self.hosts.get(&host_key(&next).unwrap_or_default()))
                    && !scope.contains(&next)
                {
                    let detail = format!("outside the institution's part of the host ({}) (redirected from {current})", scope.describe());
                    return Fetched::Refused { url: next_text, kind: RefusalKind::OtherHost, detail };
                }
                chain.push(next_text.clone());
                current = Url::parse(&next_text).unwrap_or(next);
                continue;
            }
            let final_url = chain.last().cloned().unwrap_or_default();
            if status == 304 {
                return Fetched::Answer { final_url, status, headers, body: Vec::new() };
            }
            if !(200..400).contains(&status) {
                return Fetched::Failed { kind: FailureKind::Status, status: Some(status), detail: format!("{current} answered {status}"), bytes: 0 };
            }
            let cap = match want {
                Want::Raw(cap) => cap,
                Want::Page => {
                    let content_type = headers.get("content-type").map(String::as_str).unwrap_or("");
                    match page_type(content_type) {
                        Some(false) => self.options.max_html_bytes,
                        Some(true) => self.options.max_document_bytes,
                        None => {
                            return Fetched::Refused {
                                url: final_url,
                                kind: RefusalKind::Scheme,
                                detail: format!("answered with {content_type}, not a page or document"),
                            };
                        }
                    }
                }
            };
            return match read_capped(response, cap) {
                Ok(body) => Fetched::Answer { final_url, status, headers, body },
                Err(ReadStop::TooLarge(read)) => Fetched::Failed {
                    kind: FailureKind::TooLarge,
                    status: Some(status),
                    detail: format!("{current} is larger than the cap of {cap} bytes; reading stopped there"),
                    bytes: read,
                },
                Err(ReadStop::Failed(kind, detail, read)) => {
                    Fetched::Failed { kind, status: Some(status), detail: format!("{current}: {detail}"), bytes: read }
                }
            };
        }
    }

    /// Whether a redirect target may be asked for: one of the crawl's hosts, a public address
    /// (unless private ones are allowed), allowed by its host's robots.txt.
    pub fn admit(&self, url: &str) -> Result<(), (RefusalKind, String)> {
        let parsed = Url::parse(url).map_err(|err| (RefusalKind::Scheme, format!("{url:?} is not a URL: {err}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err((RefusalKind::Scheme, format!("{url} is not an http or https URL")));
        }
        let host = host_key(&parsed).unwrap_or_default();
        if !self.hosts.contains_key(&host) {
            return Err((RefusalKind::OtherHost, format!("{host} is not one of the institution's hosts")));
        }
        if !self.options.allow_private {
            check_public(url, false)?;
        }
        if let Some(rules) = self.robots.get(&host) {
            rules.check(url).map_err(|why| (RefusalKind::Robots, why))?;
        }
        Ok(())
    }
}

fn header_map(response: &reqwest::blocking::Response) -> BTreeMap<String, String> {
    let mut headers: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in response.headers() {
        let value = String::from_utf8_lossy(value.as_bytes()).to_string();
        headers
            .entry(name.as_str().to_ascii_lowercase())
            .and_modify(|v| {
                v.push_str(", ");
                v.push_str(&value);
            })
            .or_insert(value);
    }
    headers
}

enum ReadStop {
    TooLarge(u64),
    Failed(FailureKind, String, u64),
}

/// Reads the body up to `cap` bytes; a declared or actual length beyond it stops the read.
fn read_capped(mut response: reqwest::blocking::Response, cap: u64) -> Result<Vec<u8>, ReadStop> {
    if response.content_length().is_some_and(|length| length > cap) {
        return Err(ReadStop::TooLarge(0));
    }
    let mut body = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        match response.read(&mut chunk) {
            Ok(0) => return Ok(body),
            Ok(n) => {
                if body.len() as u64 + n as u64 > cap {
                    return Err(ReadStop::TooLarge(body.len() as u64 + n as u64));
                }
                body.extend_from_slice(&chunk[..n]);
            }
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(err) => {
                let timed_out = err.kind() == std::io::ErrorKind::TimedOut
                    || err.get_ref().and_then(|inner| inner.downcast_ref::<reqwest::Error>()).is_some_and(reqwest::Error::is_timeout);
                let kind = if timed_out { FailureKind::Timeout } else { FailureKind::Other };
                return Err(ReadStop::Failed(kind, format!("reading the body failed: {err}"), body.len() as u64));
            }
        }
    }
}

/// A failed request as a failure kind and a message that names the cause.
fn failure(err: &reqwest::Error, url: &Url) -> Fetched {
    let mut chain = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        chain.push_str(": ");
        chain.push_str(&cause.to_string());
        source = cause.source();
    }
    if let Some(what) = super::tls::describe_failure(err) {
        return Fetched::Failed { kind: FailureKind::Tls, status: None, detail: format!("{url}: {what}"), bytes: 0 };
    }
    let lower = chain.to_ascii_lowercase();
    let kind = if err.is_timeout() {
        FailureKind::Timeout
    } else if err.is_dns() || lower.contains("dns") || lower.contains("lookup address") || lower.contains("resolves to") {
        FailureKind::Dns
    } else if lower.contains("tls") || lower.contains("certificate") {
        FailureKind::Tls
    } else if err.is_connect() {
        FailureKind::Connect
    } else {
        FailureKind::Other
    };
    Fetched::Failed { kind, status: None, detail: format!("{url}: {chain}"), bytes: 0 }
}
