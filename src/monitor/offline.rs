//! Crawls made by others, read as if fetched: a mirror directory written by `wget -r` or
//! HTTrack (`DIR/host/path`), and WARC files (ISO 28500, plain or gzip-compressed, read with
//! the `warc` crate). Archived crawls can then be audited like live ones.
//!
//! Nothing is fetched. A mirror keeps no headers or statuses, so its pages get a type guessed
//! from the file name, status 200 and the file's modification time; a WARC keeps all three.

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use warc::{RecordType, WarcHeader, WarcReader};

use super::crawl::{CrawlError, CrawlOptions, CrawlStats};
use super::urls::normalise;
use crate::model::monitor::{CrawlEvent, FailureKind, FetchedPage, Snapshot};

/// Folders of HTTrack's own bookkeeping, never pages.
const SKIPPED_DIRS: &[&str] = &["hts-cache", "hts-tmp"];

/// Reads a mirror directory: `DIR/host/path` becomes `http://host/path` (a directory's
/// `index.html` becomes the directory's URL, a file name with `?` keeps its query, as
/// `wget` writes them). `DIR` may also be one host's folder itself. HTML, PDF, DOCX and
/// text files are emitted; other files are skipped.
pub fn read_dir(dir: &Path, sink: &mut dyn FnMut(CrawlEvent)) -> Result<CrawlStats, CrawlError> {
    let input = |message: String| CrawlError::Input { path: dir.display().to_string(), message };
    let entries = fs::read_dir(dir).map_err(|err| input(format!("cannot read the mirror directory: {err}")))?;
    let mut hosts: Vec<(String, PathBuf)> = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
        if is_dir && looks_like_host(&name) && !SKIPPED_DIRS.contains(&name.as_str()) {
            hosts.push((name, entry.path()));
        }
    }
    if hosts.is_empty() {
        let own = dir.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        if !looks_like_host(&own) {
            return Err(input("no host folder found (a mirror holds one folder a host, such as komuna.example/)".into()));
        }
        hosts.push((own, dir.to_path_buf()));
    }
    hosts.sort();
    let limits = CrawlOptions::default();
    let mut stats = CrawlStats::default();
    for (host, root) in hosts {
        let mut files = Vec::new();
        walk(&root, &mut files);
        files.sort();
        for file in files {
            let Ok(relative) = file.strip_prefix(&root) else { continue };
            let relative = relative.to_string_lossy().replace('\\', "/");
            let Some(content_type) = guess_type(&relative) else {
                tracing::debug!(file = %file.display(), "not a page, skipped");
                continue;
            };
            let path = relative.strip_suffix("index.html").or_else(|| relative.strip_suffix("index.htm")).unwrap_or(&relative);
            let Some(url) = normalise(&format!("http://{host}/{path}")) else { continue };
            let metadata = match fs::metadata(&file) {
                Ok(metadata) => metadata,
                Err(err) => {
                    emit(&mut stats, sink, failed(&url, FailureKind::Other, None, format!("{}: {err}", file.display())));
                    continue;
                }
            };
            let cap = if content_type == "text/html" { limits.max_html_bytes } else { limits.max_document_bytes };
            if metadata.len() > cap {
                emit(&mut stats, sink, failed(&url, FailureKind::TooLarge, None, format!("{} is larger than the cap of {cap} bytes", file.display())));
                continue;
            }
            let body = match fs::read(&file) {
                Ok(body) => body,
                Err(err) => {
                    emit(&mut stats, sink, failed(&url, FailureKind::Other, None, format!("{}: {err}", file.display())));
                    continue;
                }
            };
            let fetched_at = metadata.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).map(|d| d.as_secs()).unwrap_or(0);
            let headers = BTreeMap::from([("content-type".to_string(), content_type.to_string())]);
            stats.bytes += body.len() as u64;
            emit(&mut stats, sink, page(&url, 200, fetched_at, headers, body));
        }
    }
    Ok(stats)
}

fn looks_like_host(name: &str) -> bool {
    !name.starts_with('.') && (name.contains('.') || name.contains(':') || name == "localhost")
}

/// Every regular file under `dir`; symbolic links are not followed (a mirror has none of its
/// own, and a link could lead out of it or round in a circle).
fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else { continue };
        let name = entry.file_name().to_string_lossy().to_string();
        if kind.is_dir() && !SKIPPED_DIRS.contains(&name.as_str()) {
            walk(&entry.path(), files);
        } else if kind.is_file() {
            files.push(entry.path());
        }
    }
}

fn guess_type(path: &str) -> Option<&'static str> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let name = name.split('?').next().unwrap_or(name).to_ascii_lowercase();
    let extension = name.rsplit_once('.').map(|(_, ext)| ext).unwrap_or("");
    match extension {
        "html" | "htm" | "php" | "asp" | "aspx" | "jsp" | "shtml" | "" => Some("text/html"),
        "xhtml" => Some("application/xhtml+xml"),
        "pdf" => Some("application/pdf"),
        "docx" => Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        "txt" => Some("text/plain"),
        _ => None,
    }
}

/// Reads a WARC file (gzip-compressed or not): every `response` record becomes a page (2xx)
/// or a failure (4xx, 5xx) with its `WARC-Target-URI`, `WARC-Date` and HTTP headers; other
/// records (requests, metadata, revisits) are skipped. A record that cannot be read ends the
/// file with a failure; a file whose first record cannot be read is an error.
pub fn read_warc(path: &Path, sink: &mut dyn FnMut(CrawlEvent)) -> Result<CrawlStats, CrawlError> {
    let input = |message: String| CrawlError::Input { path: path.display().to_string(), message };
    let mut file = fs::File::open(path).map_err(|err| input(format!("cannot open the WARC file: {err}")))?;
    let mut magic = [0u8; 2];
    let gzip = file.read_exact(&mut magic).is_ok() && magic == [0x1f, 0x8b];
    let file = fs::File::open(path).map_err(|err| input(format!("cannot open the WARC file: {err}")))?;
    if gzip {
        // Each record of a .warc.gz is its own gzip member.
        let decoder = flate2::read::MultiGzDecoder::new(BufReader::new(file));
        read_records(WarcReader::new(BufReader::new(decoder)), path, sink)
    } else {
        read_records(WarcReader::new(BufReader::new(file)), path, sink)
    }
}

fn read_records<R: BufRead>(reader: WarcReader<R>, path: &Path, sink: &mut dyn FnMut(CrawlEvent)) -> Result<CrawlStats, CrawlError> {
    let mut stats = CrawlStats::default();
    let mut records = 0;
    for (index, record) in reader.iter_records().enumerate() {
        records += 1;
        let record = match record {
            Ok(record) => record,
            Err(err) if index == 0 => return Err(CrawlError::Input { path: path.display().to_string(), message: format!("not a readable WARC file: {err}") }),
            Err(err) => {
                let url = format!("{}#record-{}", path.display(), index + 1);
                emit(
                    &mut stats,
                    sink,
                    failed(&url, FailureKind::Unreadable, None, format!("record {} cannot be read, the rest of the file is skipped: {err}", index + 1)),
                );
                break;
            }
        };
        if *record.warc_type() != RecordType::Response {
            continue;
        }
        let Some(target) = record.header(WarcHeader::TargetURI) else { continue };
        let target = target.trim().trim_start_matches('<').trim_end_matches('>').to_string();
        let url = normalise(&target).unwrap_or(target);
        let fetched_at = record.date().timestamp().max(0) as u64;
        match http_message(record.body()) {
            Some((status, headers, body)) if (200..300).contains(&status) => {
                stats.bytes += body.len() as u64;
                emit(&mut stats, sink, page(&url, status, fetched_at, headers, body));
            }
            Some((status, _, _)) if status >= 400 => {
                emit(&mut stats, sink, failed(&url, FailureKind::Status, Some(status), format!("{url} answered {status} (archived)")));
            }
            Some(_) => {}
            None => emit(&mut stats, sink, failed(&url, FailureKind::Unreadable, None, format!("the archived answer for {url} is not an HTTP response"))),
        }
    }
    if records == 0 && fs::metadata(path).is_ok_and(|m| m.len() > 0) {
        return Err(CrawlError::Input { path: path.display().to_string(), message: "not a WARC file: no record found".into() });
    }
    Ok(stats)
}

/// An archived HTTP response: status, headers (lower-case names) and the body, de-chunked
/// and decompressed as a client would have read it.
fn http_message(raw: &[u8]) -> Option<(u16, BTreeMap<String, String>, Vec<u8>)> {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").map(|i| (i, i + 4)).or_else(|| raw.windows(2).position(|w| w == b"\n\n").map(|i| (i, i + 2)))?;
    let head = String::from_utf8_lossy(&raw[..split.0]);
    let mut lines = head.lines();
    let status_line = lines.next()?;
    let mut parts = status_line.split_whitespace();
    if !parts.next()?.starts_with("HTTP/") {
        return None;
    }
    let status: u16 = parts.next()?.parse().ok()?;
    let mut headers: BTreeMap<String, String> = BTreeMap::new();
    for line in lines {
        if let Some((name, value)) = line.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_string());
        }
    }
    let mut body = raw[split.1..].to_vec();
    if headers.get("transfer-encoding").is_some_and(|v| v.to_ascii_lowercase().contains("chunked")) {
        body = dechunk(&body).unwrap_or(body);
    }
    match headers.get("content-encoding").map(|v| v.to_ascii_lowercase()) {
        Some(encoding) if encoding.contains("gzip") => {
            let mut decoded = Vec::new();
            if flate2::read::MultiGzDecoder::new(&body[..]).read_to_end(&mut decoded).is_ok() {
                body = decoded;
            }
        }
        Some(encoding) if encoding.contains("deflate") => {
            let mut decoded = Vec::new();
            if flate2::read::ZlibDecoder::new(&body[..]).read_to_end(&mut decoded).is_ok() {
                body = decoded;
            }
        }
        _ => {}
    }
    Some((status, headers, body))
}

/// Undoes HTTP/1.1 chunked transfer coding (RFC 9112 §7.1); `None` when it is broken.
fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n")?;
        let size_text = String::from_utf8_lossy(&data[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size + 2..).unwrap_or(&[]);
    }
}

fn page(url: &str, status: u16, fetched_at: u64, headers: BTreeMap<String, String>, body: Vec<u8>) -> CrawlEvent {
    let snapshot = Snapshot {
        url: url.to_string(),
        final_url: url.to_string(),
        status,
        fetched_at,
        headers,
        hash: blake3::hash(&body).to_hex().to_string(),
        body_len: body.len() as u64,
        lastmod: None,
        depth: 0,
    };
    CrawlEvent::Page(FetchedPage { snapshot, body })
}

fn failed(url: &str, kind: FailureKind, status: Option<u16>, detail: String) -> CrawlEvent {
    CrawlEvent::Failed { url: url.to_string(), kind, status, detail, referrer: None }
}

fn emit(stats: &mut CrawlStats, sink: &mut dyn FnMut(CrawlEvent), event: CrawlEvent) {
    match &event {
        CrawlEvent::Page(_) => stats.fetched += 1,
        CrawlEvent::Refused { .. } => stats.refused += 1,
        CrawlEvent::Failed { .. } => stats.failed += 1,
    }
    sink(event);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_messages() {
        let raw = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n1\r\n!\r\n0\r\n\r\n";
        let (status, headers, body) = http_message(raw).unwrap();
        assert_eq!((status, headers["content-type"].as_str(), body.as_slice()), (200, "text/html", b"hello!".as_slice()));
        assert!(http_message(b"GET / HTTP/1.1\r\n\r\n").is_none());
    }

    #[test]
    fn types_from_names() {
        assert_eq!(guess_type("sq/index.html"), Some("text/html"));
        assert_eq!(guess_type("index.php?id=3"), Some("text/html"));
        assert_eq!(guess_type("docs/vendim.PDF"), Some("application/pdf"));
        assert_eq!(guess_type("img/logo.png"), None);
        assert_eq!(guess_type("sr/lajme"), Some("text/html"));
    }
}
