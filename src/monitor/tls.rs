//! TLS for the crawler: rustls with the ring provider, the system's trust roots
//! (`/etc/ssl/certs`, Debian's `ca-certificates`) and the extra CA certificates that an
//! institution behind an internal CA needs; and what a failed handshake means, in words a
//! report can show ("certificate not trusted: UnknownIssuer").
//!
//! The provider is chosen here, for the crawler's client, and not taken from a process-wide
//! default: reqwest is built without one (its own would build aws-lc-rs, a long C build), and a
//! crawl must not depend on who else in the process installed what. Processes that build other
//! reqwest clients call [`install_default_provider`] first.
//!
//! It does no request and no name resolution.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};

/// Why the TLS setup of a crawl failed: an extra CA certificate file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", path.display())]
pub struct CaFileError {
    /// The file.
    pub path: PathBuf,
    /// What is wrong with it.
    pub message: String,
}

/// The crypto provider every TLS connection of termbridge uses: ring's.
pub fn provider() -> Arc<CryptoProvider> {
    Arc::new(ring_provider())
}

/// rustls 0.23.48 deprecates ring's provider because it lacks the post-quantum key exchange
/// (X25519MLKEM768) that aws-lc-rs has; ring is kept on purpose, since aws-lc-rs is a long C
/// build, and classic X25519/ECDHE is what the sites crawled offer anyway.
#[allow(deprecated)]
fn ring_provider() -> CryptoProvider {
    rustls::crypto::ring::default_provider()
}

/// Installs ring as the process's default rustls provider, once; later calls (and a provider
/// installed by someone else first) are left alone. reqwest's clients that are not given a
/// TLS configuration of their own look for it and panic without it.
pub fn install_default_provider() {
    if CryptoProvider::get_default().is_none() {
        // Losing a race to another thread installing one is as good as winning it.
        let _ = ring_provider().install_default();
    }
}

/// The trust anchors of the extra CA certificate files alone; `Err` names a file that is
/// missing, unreadable, holds no PEM certificate or one that cannot be a trust anchor.
pub(super) fn extra_roots(extra_ca: &[PathBuf]) -> Result<RootCertStore, CaFileError> {
    let mut roots = RootCertStore::empty();
    for path in extra_ca {
        for certificate in read_ca_file(path)? {
            roots.add(certificate).map_err(|err| CaFileError { path: path.clone(), message: format!("a certificate cannot be a trust anchor: {err}") })?;
        }
    }
    Ok(roots)
}

/// The client configuration of a crawl: TLS 1.2 and 1.3 with ring, certificates checked
/// against the system's roots and the CA certificates in `extra_ca` (PEM files, each with
/// one or more certificates).
///
/// `Err` names the file that is missing, unreadable, holds no PEM certificate or a
/// certificate that cannot be a trust anchor. An empty system store is not an error: plain
/// HTTP still works, and every https site then fails with a message saying why.
pub fn client_config(extra_ca: &[PathBuf]) -> Result<ClientConfig, CaFileError> {
    let provider = provider();
    let mut roots = extra_roots(extra_ca)?;
    let system = rustls_native_certs::load_native_certs();
    for error in &system.errors {
        tracing::debug!(%error, "a system CA certificate could not be read");
    }
    let (added, ignored) = roots.add_parsable_certificates(system.certs);
    tracing::debug!(added, ignored, extra = extra_ca.len(), "trust roots loaded");
    let builder = ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        // ring's provider supports the safe defaults; this cannot fail with it.
        .expect("ring supports TLS 1.2 and 1.3");
    let config = if roots.is_empty() {
        builder.dangerous().with_custom_certificate_verifier(Arc::new(NoRoots(provider))).with_no_client_auth()
    } else {
        builder.with_root_certificates(roots).with_no_client_auth()
    };
    Ok(config)
}

/// The certificates of one PEM file.
fn read_ca_file(path: &Path) -> Result<Vec<CertificateDer<'static>>, CaFileError> {
    let error = |message: String| CaFileError { path: path.to_path_buf(), message };
    let bytes = std::fs::read(path).map_err(|err| error(format!("cannot read the CA certificate file: {err}")))?;
    let certificates: Vec<CertificateDer<'static>> =
        CertificateDer::pem_slice_iter(&bytes).collect::<Result<_, _>>().map_err(|err| error(format!("not a readable PEM file: {err}")))?;
    if certificates.is_empty() {
        return Err(error("no certificate in it (a CA certificate in PEM form, -----BEGIN CERTIFICATE-----, is expected)".into()));
    }
    Ok(certificates)
}

/// What went wrong in a TLS handshake, in words, when `err` (or one of its causes) is a
/// rustls error; `None` when TLS is not the cause.
pub fn describe_failure(err: &(dyn std::error::Error + 'static)) -> Option<String> {
    let mut cause = Some(err);
    while let Some(current) = cause {
        if let Some(tls) = as_rustls(current) {
            return Some(describe(tls));
        }
        cause = current.source();
    }
    None
}

/// A rustls error, also when it rides inside `io::Error`s, whose `source` skips the error they
/// wrap (hyper-rustls wraps tokio-rustls' `io::Error` in another).
fn as_rustls<'e>(err: &'e (dyn std::error::Error + 'static)) -> Option<&'e rustls::Error> {
    if let Some(tls) = err.downcast_ref::<rustls::Error>() {
        return Some(tls);
    }
    if let Some(io) = err.downcast_ref::<std::io::Error>() {
        return io.get_ref().and_then(|inner| as_rustls(inner));
    }
    None
}

fn describe(err: &rustls::Error) -> String {
    match err {
        rustls::Error::InvalidCertificate(certificate) => match certificate {
            CertificateError::UnknownIssuer => {
                "certificate not trusted: UnknownIssuer (its issuer is neither in the system's trust store nor an extra CA certificate)".into()
            }
            CertificateError::Expired => "certificate expired".into(),
            CertificateError::ExpiredContext { not_after, .. } => format!("certificate expired on {}", date(*not_after)),
            CertificateError::NotValidYet => "certificate not valid yet".into(),
            CertificateError::NotValidYetContext { not_before, .. } => format!("certificate not valid before {}", date(*not_before)),
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                format!("certificate for another host name: {certificate}")
            }
            CertificateError::Revoked => "certificate revoked".into(),
            other => format!("certificate rejected: {other}"),
        },
        rustls::Error::AlertReceived(alert) => format!("TLS handshake failed: the server sent the alert {alert:?}"),
        rustls::Error::General(message) => format!("TLS failed: {message}"),
        other => format!("TLS handshake failed: {other}"),
    }
}

fn date(time: UnixTime) -> String {
    httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(time.as_secs()))
}

/// The verifier when there is no trust root at all: every certificate is refused, saying why.
#[derive(Debug)]
struct NoRoots(Arc<CryptoProvider>);

impl ServerCertVerifier for NoRoots {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Err(rustls::Error::General(
            "no trusted CA certificate: the system's store (/etc/ssl/certs, from the ca-certificates package) is empty and no extra CA certificate was given"
                .into(),
        ))
    }

    fn verify_tls12_signature(&self, message: &[u8], cert: &CertificateDer<'_>, dss: &DigitallySignedStruct) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(&self, message: &[u8], cert: &CertificateDer<'_>, dss: &DigitallySignedStruct) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tls").join(name)
    }

    #[test]
    fn extra_ca_files_are_read_or_named() {
        assert!(client_config(&[data("ca.pem")]).is_ok());
        let missing = client_config(&[data("no-such.pem")]).unwrap_err();
        assert_eq!(missing.path, data("no-such.pem"));
        assert!(missing.to_string().contains("no-such.pem: cannot read"), "{missing}");
        let key = client_config(&[data("README.md")]).unwrap_err();
        assert!(key.message.contains("no certificate"), "{key}");
    }

    #[test]
    fn failures_are_described() {
        let unknown = std::io::Error::new(std::io::ErrorKind::InvalidData, rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer));
        assert!(describe_failure(&unknown).unwrap().starts_with("certificate not trusted: UnknownIssuer"));
        let twice = std::io::Error::other(unknown);
        assert!(describe_failure(&twice).unwrap().starts_with("certificate not trusted"), "wrapped twice");
        let expired = rustls::Error::InvalidCertificate(CertificateError::ExpiredContext {
            time: UnixTime::since_unix_epoch(Duration::from_secs(1_000_000_000)),
            not_after: UnixTime::since_unix_epoch(Duration::from_secs(978_307_200)),
        });
        assert_eq!(describe_failure(&expired).unwrap(), "certificate expired on Mon, 01 Jan 2001 00:00:00 GMT");
        assert_eq!(describe_failure(&std::io::Error::other("refused")), None);
    }
}
