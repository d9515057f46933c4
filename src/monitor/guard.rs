//! The guard that keeps the crawler (and the service that adds institutions) from becoming a
//! way into the network it runs in: a URL whose host resolves to a loopback, private,
//! link-local (cloud metadata included) or unspecified address is refused unless private
//! addresses were allowed.
//!
//! The crawler checks every request and every redirect hop, and its client resolves names
//! through [`GuardResolver`], so a name that answers with a public address to the check and a
//! private one to the connection (DNS rebinding) still cannot reach the inside.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};

use url::Url;

use crate::model::monitor::RefusalKind;

/// Whether `url` may be fetched: `Err` with the refusal and the reason when it is not an
/// http(s) URL, its host does not resolve, or (unless `allow_private`) any address it
/// resolves to is loopback, private (RFC 1918, fc00::/7), link-local (169.254/16 with the
/// 169.254.169.254 metadata address, fe80::/10), shared (100.64/10) or unspecified.
///
/// ```
/// use termbridge::model::monitor::RefusalKind;
/// use termbridge::monitor::crawl::check_public;
/// let (kind, why) = check_public("http://169.254.169.254/latest/meta-data/", false).unwrap_err();
/// assert_eq!(kind, RefusalKind::PrivateAddress);
/// assert!(why.contains("metadata"));
/// assert!(check_public("http://127.0.0.1:8080/", true).is_ok());
/// ```
pub fn check_public(url: &str, allow_private: bool) -> Result<(), (RefusalKind, String)> {
    let parsed = Url::parse(url).map_err(|err| (RefusalKind::Scheme, format!("{url:?} is not a URL: {err}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err((RefusalKind::Scheme, format!("{url} is not an http or https URL")));
    }
    let host = parsed.host().ok_or_else(|| (RefusalKind::Scheme, format!("{url} has no host")))?;
    let port = parsed.port_or_known_default().unwrap_or(80);
    let addresses: Vec<IpAddr> = match host {
        url::Host::Ipv4(ip) => vec![IpAddr::V4(ip)],
        url::Host::Ipv6(ip) => vec![IpAddr::V6(ip)],
        url::Host::Domain(name) => {
            if allow_private {
                // Nothing to refuse; the fetch reports a name that does not resolve.
                return Ok(());
            }
            match (name, port).to_socket_addrs() {
                Ok(found) => found.map(|address| address.ip()).collect(),
                Err(err) => return Err((RefusalKind::PrivateAddress, format!("{name} does not resolve ({err}), so it cannot be checked"))),
            }
        }
    };
    if allow_private {
        return Ok(());
    }
    for address in addresses {
        if let Some(why) = private_reason(address) {
            return Err((
                RefusalKind::PrivateAddress,
                format!("{url} resolves to {address}, {why}; private addresses are refused unless the service is started to allow them"),
            ));
        }
    }
    Ok(())
}

/// Why `address` is not a public address, or `None` when it is.
pub fn private_reason(address: IpAddr) -> Option<&'static str> {
    match address {
        IpAddr::V4(ip) => private_v4(ip),
        IpAddr::V6(ip) => {
            if let Some(mapped) = ip.to_ipv4_mapped() {
                return private_v4(mapped);
            }
            private_v6(ip)
        }
    }
}

fn private_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, ..] = ip.octets();
    if ip == Ipv4Addr::new(169, 254, 169, 254) {
        Some("the cloud metadata address")
    } else if ip.is_unspecified() || a == 0 {
        Some("an unspecified address (0.0.0.0/8)")
    } else if ip.is_loopback() {
        Some("a loopback address")
    } else if ip.is_private() {
        Some("a private address (RFC 1918)")
    } else if ip.is_link_local() {
        Some("a link-local address (169.254.0.0/16)")
    } else if a == 100 && (64..128).contains(&b) {
        Some("a shared carrier-grade NAT address (100.64.0.0/10)")
    } else if ip.is_broadcast() || a >= 224 {
        Some("a multicast, reserved or broadcast address")
    } else {
        None
    }
}

fn private_v6(ip: Ipv6Addr) -> Option<&'static str> {
    let first = ip.segments()[0];
    if ip.is_unspecified() {
        Some("the unspecified address (::)")
    } else if ip.is_loopback() {
        Some("the loopback address (::1)")
    } else if first & 0xfe00 == 0xfc00 {
        Some("a unique local address (fc00::/7)")
    } else if first & 0xffc0 == 0xfe80 {
        Some("a link-local address (fe80::/10)")
    } else if first & 0xff00 == 0xff00 {
        Some("a multicast address")
    } else {
        None
    }
}

/// A name resolver for the crawler's HTTP client that drops private addresses from every
/// answer, so a connection can only go where [`check_public`] would allow.
pub struct GuardResolver;

impl reqwest::dns::Resolve for GuardResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let name = name.as_str().to_string();
        Box::pin(async move {
            // The system resolver blocks; the blocking pool keeps it off the client's runtime.
            let resolved = tokio::task::spawn_blocking(move || {
                let found: Vec<SocketAddr> = (name.as_str(), 0).to_socket_addrs()?.collect();
                let public: Vec<SocketAddr> = found.iter().copied().filter(|a| private_reason(a.ip()).is_none()).collect();
                if public.is_empty() && !found.is_empty() {
                    let why = private_reason(found[0].ip()).unwrap_or("private");
                    return Err(std::io::Error::other(format!("{name} resolves to {}, {why}", found[0].ip())));
                }
                Ok(public)
            })
            .await
            .map_err(|err| Box::new(std::io::Error::other(err.to_string())) as Box<dyn std::error::Error + Send + Sync>)?;
            let addresses = resolved.map_err(|err| Box::new(err) as Box<dyn std::error::Error + Send + Sync>)?;
            Ok(Box::new(addresses.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(url: &str, refused: bool) {
        let result = check_public(url, false);
        assert_eq!(result.is_err(), refused, "{url}: {result:?}");
        assert!(check_public(url, true).is_ok() || url.starts_with("ftp"), "{url} with private allowed");
    }

    #[test]
    fn private_addresses_are_refused() {
        check("http://127.0.0.1/", true);
        check("http://127.9.9.9:8080/", true);
        check("http://10.1.2.3/", true);
        check("http://172.16.0.1/", true);
        check("http://172.31.255.255/", true);
        check("http://192.168.1.1/", true);
        check("http://169.254.169.254/latest/meta-data/", true);
        check("http://169.254.1.1/", true);
        check("http://0.0.0.0/", true);
        check("http://[::1]/", true);
        check("http://[fd00::1]/", true);
        check("http://[fe80::1]/", true);
        check("http://[::]/", true);
        check("http://[::ffff:10.0.0.1]/", true);
        check("http://100.64.0.1/", true);
    }

    #[test]
    fn public_addresses_pass() {
        check("http://93.184.216.34/", false);
        check("http://172.32.0.1/", false);
        check("https://[2001:db8::1]/", false);
    }

    #[test]
    fn other_schemes_are_refused() {
        let (kind, _) = check_public("ftp://example.org/", true).unwrap_err();
        assert_eq!(kind, RefusalKind::Scheme);
    }
}
