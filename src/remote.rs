//! A minimal HTTP/1.1 client for the one call the CLI makes to a running service:
//! `POST /api/v1/admin/backup`, whose answer (a store dump) is streamed to a reader.
//!
//! Plain `http://` only: the service binds to the loopback interface by default, and a
//! service behind a TLS proxy is backed up on its own host. It does not follow redirects.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};

/// Where a running service is: host, port and the base URL as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceUrl {
    host: String,
    port: u16,
    base: String,
}

impl ServiceUrl {
    /// Parses `http://HOST[:PORT][/]`.
    pub fn parse(raw: &str) -> Result<ServiceUrl> {
        let rest = raw.trim().strip_prefix("http://").ok_or_else(|| anyhow!("{raw:?}: only http:// service addresses are supported"))?;
        let authority = rest.trim_end_matches('/');
        if authority.is_empty() || authority.contains('/') {
            bail!("{raw:?}: give the service's base address, e.g. http://127.0.0.1:8080");
        }
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) if !host.ends_with(']') || authority.starts_with('[') => {
                (host.to_string(), port.parse().map_err(|_| anyhow!("{raw:?}: {port:?} is not a port number"))?)
            }
            _ => (authority.to_string(), 80),
        };
        Ok(ServiceUrl { host, port, base: format!("http://{authority}") })
    }

    /// The base URL.
    pub fn base(&self) -> &str {
        &self.base
    }
}

/// Posts to `path` with a bearer `token` and returns the response body as a reader when the
/// status is 200; otherwise the error names the status and the service's message.
pub fn post(url: &ServiceUrl, path: &str, token: &str) -> Result<impl Read> {
    let host = url.host.trim_start_matches('[').trim_end_matches(']');
    let stream = TcpStream::connect((host, url.port)).with_context(|| format!("cannot connect to {}", url.base))?;
    stream.set_read_timeout(Some(Duration::from_secs(600))).context("socket setup")?;
    let mut writer = stream.try_clone().context("socket setup")?;
    write!(
        writer,
        "POST {path} HTTP/1.1\r\nHost: {}:{}\r\nAuthorization: Bearer {token}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        url.host, url.port
    )
    .and_then(|()| writer.flush())
    .with_context(|| format!("cannot send the request to {}", url.base))?;
    let mut reader = BufReader::with_capacity(1 << 20, stream);
    let mut status_line = String::new();
    reader.read_line(&mut status_line).with_context(|| format!("no answer from {}", url.base))?;
    let status: u16 =
        status_line.split_whitespace().nth(1).and_then(|code| code.parse().ok()).ok_or_else(|| anyhow!("{} answered {status_line:?}", url.base))?;
    let mut length: Option<u64> = None;
    let mut chunked = false;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).context("reading the response headers")? == 0 {
            bail!("{} closed the connection inside the response headers", url.base);
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            let value = value.trim();
            if name.eq_ignore_ascii_case("content-length") {
                length = value.parse().ok();
            } else if name.eq_ignore_ascii_case("transfer-encoding") && value.eq_ignore_ascii_case("chunked") {
                chunked = true;
            }
        }
    }
    if chunked {
        bail!("{} answered with chunked encoding, which this client does not read", url.base);
    }
    let body: Box<dyn Read> = match length {
        Some(length) => Box::new(reader.take(length)),
        None => Box::new(reader),
    };
    if status != 200 {
        let mut text = String::new();
        body.take(64 << 10).read_to_string(&mut text).ok();
        let message = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|value| value["error"]["message"].as_str().map(str::to_string))
            .unwrap_or_else(|| text.trim().to_string());
        bail!("{} answered {status}: {message}", url.base);
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_urls() {
        let url = ServiceUrl::parse("http://127.0.0.1:8080/").unwrap();
        assert_eq!((url.host.as_str(), url.port, url.base()), ("127.0.0.1", 8080, "http://127.0.0.1:8080"));
        assert_eq!(ServiceUrl::parse("http://localhost").unwrap().port, 80);
        assert_eq!(ServiceUrl::parse("http://[::1]:9000").unwrap().host, "[::1]");
        assert!(ServiceUrl::parse("https://example.org").is_err());
        assert!(ServiceUrl::parse("http://host:port").is_err());
        assert!(ServiceUrl::parse("http://host/path").is_err());
    }
}
