//! The crawler over HTTPS against fixture sites on 127.0.0.1 with the test certificates of
//! `tests/data/tls` (a self-made CA and its leaves; test-only keys): pages fetched and links
//! followed when the CA is given as an extra CA; an untrusted, expired or wrong-host
//! certificate and a handshake with a plain HTTP server are `Tls` failures that say what
//! failed, and the crawl goes on; a bad CA file is an error naming it; the command line's
//! `--ca-cert`. Traffic goes to the loopback interface only.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use serde_json::Value;
use termbridge::model::monitor::{CrawlEvent, FailureKind};
use termbridge::monitor::crawl::{CrawlError, CrawlOptions, crawl};

use super::monitor_api::{call, wait_for_job};
use super::monitor_crawl::{Reply, Site, failure, html, options, page, run, status};
use super::support::{data, run_json};

fn tls_file(name: &str) -> PathBuf {
    data("tls").join(name)
}

/// A server configuration with the leaf `name` (`name.pem`, `name.key`) and the test CA.
#[allow(deprecated)] // ring's provider: see monitor::tls for why it is kept
fn server_config(name: &str) -> Arc<rustls::ServerConfig> {
    let chain =
        vec![CertificateDer::from_pem_file(tls_file(&format!("{name}.pem"))).expect("leaf"), CertificateDer::from_pem_file(tls_file("ca.pem")).expect("ca")];
    let key = PrivateKeyDer::from_pem_file(tls_file(&format!("{name}.key"))).expect("key");
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .expect("certificate and key");
    Arc::new(config)
}

fn two_pages(seen: &super::monitor_crawl::Seen) -> Reply {
    match seen.path.as_str() {
        "/" => html(r#"<a href="/a">a</a>"#),
        "/a" => html("<p>a</p>"),
        _ => status(404),
    }
}

fn trusting_the_test_ca() -> CrawlOptions {
    CrawlOptions { extra_ca: vec![tls_file("ca.pem")], ..options() }
}

/// The detail of the `Tls` failure of `url`.
fn tls_failure(events: &[CrawlEvent], url: &str) -> String {
    let detail = events.iter().find_map(|event| match event {
        CrawlEvent::Failed { url: failed, kind: FailureKind::Tls, detail, status: None, .. } if failed == url => Some(detail.clone()),
        _ => None,
    });
    detail.unwrap_or_else(|| panic!("no Tls failure of {url}: {events:#?}"))
}

#[test]
fn https_pages_are_fetched_with_an_extra_ca() {
    let site = Site::start_tls(server_config("localhost"), two_pages);
    assert!(site.url("/").starts_with("https://127.0.0.1:"));
    let (events, stats) = run(&[site.url("/")], &trusting_the_test_ca(), &|_| None);
    let linked = page(&events, &site.url("/a")).unwrap_or_else(|| panic!("the linked page: {events:#?}"));
    assert_eq!(linked.snapshot.status, 200);
    assert_eq!(linked.body, b"<p>a</p>");
    assert_eq!((stats.fetched, stats.failed), (2, 0));
    assert_eq!(site.requests_of("/robots.txt").len(), 1, "robots.txt is read over https too");
}

#[test]
fn an_untrusted_certificate_is_a_tls_failure() {
    let site = Site::start_tls(server_config("localhost"), two_pages);
    let (events, stats) = run(&[site.url("/")], &options(), &|_| None);
    let detail = tls_failure(&events, &site.url("/"));
    // Without ca-certificates installed there is no trust root at all, which says so instead.
    assert!(detail.contains("certificate not trusted: UnknownIssuer") || detail.contains("no trusted CA certificate"), "{detail}");
    assert_eq!((stats.fetched, stats.failed), (0, 1));
    assert!(site.requested().is_empty(), "no request passed the handshake: {:?}", site.requested());
}

#[test]
fn a_certificate_for_another_host_is_a_tls_failure() {
    let site = Site::start_tls(server_config("other-host"), two_pages);
    let (events, _) = run(&[site.url("/")], &trusting_the_test_ca(), &|_| None);
    let detail = tls_failure(&events, &site.url("/"));
    assert!(detail.contains("certificate for another host name") && detail.contains("other.example"), "{detail}");
}

#[test]
fn an_expired_certificate_is_a_tls_failure() {
    let site = Site::start_tls(server_config("expired"), two_pages);
    let (events, _) = run(&[site.url("/")], &trusting_the_test_ca(), &|_| None);
    let detail = tls_failure(&events, &site.url("/"));
    assert!(detail.contains("certificate expired on Mon, 01 Jan 2001"), "{detail}");
}

#[test]
fn https_to_a_plain_http_server_is_a_tls_failure() {
    // A plain HTTP server that answers at once, before any request: what a site without TLS
    // on its https port sends back to a TLS greeting.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("https://127.0.0.1:{}/", listener.local_addr().expect("address").port());
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
            // Closing with the greeting unread would reset the connection before the client
            // reads the answer; it closes first, once it has given up.
            let mut greeting = [0u8; 1024];
            while matches!(stream.read(&mut greeting), Ok(n) if n > 0) {}
        }
    });
    let (events, stats) = run(std::slice::from_ref(&url), &options(), &|_| None);
    let detail = tls_failure(&events, &url);
    assert!(detail.contains("TLS handshake failed"), "{detail}");
    assert_eq!(stats.failed, 1);
    assert_eq!(failure(&events, &url), Some((FailureKind::Tls, None)));
}

#[test]
fn a_bad_ca_file_is_an_error_that_names_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let not_pem = dir.path().join("internal-ca.crt");
    std::fs::write(&not_pem, "not a certificate\n").expect("write");
    for (path, says) in [(not_pem, "no certificate"), (dir.path().join("missing.pem"), "cannot read")] {
        let options = CrawlOptions { extra_ca: vec![path.clone()], ..options() };
        let err = crawl(&["https://127.0.0.1:9/".to_string()], &options, &|_| None, &mut |_| {}, &mut |_| {}).expect_err("a bad CA file");
        assert!(matches!(err, CrawlError::CaFile(_)), "{err:?}");
        let message = err.to_string();
        assert!(message.contains(path.to_str().expect("utf-8")) && message.contains(says), "{message}");
    }
}

#[test]
fn the_command_line_trusts_a_ca_cert() {
    let site = Site::start_tls(server_config("localhost"), two_pages);
    let dir = tempfile::tempdir().expect("tempdir");
    let data_dir = dir.path();
    run_json(data_dir, &["monitor", "add", "tls", &site.url("/")]);
    let ca = tls_file("ca.pem");
    let ran: Value = run_json(data_dir, &["monitor", "run", "tls", "--delay-ms", "0", "--ca-cert", ca.to_str().expect("utf-8")]);
    let outcome = &ran["runs"][0];
    assert_eq!(outcome["pages_fetched"], 2, "{ran:#}");
    assert_eq!(outcome["pages_failed"], 0, "{ran:#}");
    let untrusted: Value = run_json(data_dir, &["monitor", "run", "tls", "--delay-ms", "0"]);
    assert_eq!(untrusted["runs"][0]["pages_failed"], 1, "{untrusted:#}");
}

#[test]
fn the_service_trusts_its_ca_certs_and_refuses_a_bad_one_at_start() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("missing-ca.pem");
    let output = super::support::run(&dir.path().join("refused"), &["serve", "--addr", "127.0.0.1:0", "--monitor-ca-cert", missing.to_str().expect("utf-8")]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("missing-ca.pem"), "the file is named: {stderr}");

    let site = Site::start_tls(server_config("localhost"), two_pages);
    let data_dir = dir.path().join("data");
    let editor = run_json(&data_dir, &["token", "create", "--role", "editor"])["token"].as_str().expect("token").to_string();
    let ca = tls_file("ca.pem");
    let server = super::support::ServerProcess::start(&data_dir, |command| {
        command.args(["--monitor-allow-private", "--monitor-ca-cert"]).arg(&ca);
    });
    let body = serde_json::json!({"id": "tls", "urls": [site.url("/")]});
    let (status, added) = call(&server, reqwest::Method::POST, "/api/v1/monitor/institutions", &editor, Some(&body));
    assert_eq!(status, 201, "{added}");
    let (status, started) = call(&server, reqwest::Method::POST, "/api/v1/monitor/institutions/tls/runs", &editor, None);
    assert_eq!(status, 202, "{started}");
    let job = wait_for_job(&server, &started, &editor);
    assert_eq!((job["result"]["pages_fetched"].as_u64(), job["result"]["pages_failed"].as_u64()), (Some(2), Some(0)), "{job}\n{}", server.log());
}
