//! robots.txt as the crawler obeys it, through `texting_robots` (a parser tested against
//! Google's and the RFC 9309 cases): the rules for the agent `termbridge`, the `Sitemap:`
//! lines and a `Crawl-delay` longer than ours.
//!
//! What an answer means follows RFC 9309 §2.3.1: a 4xx answer (404 included) means there are
//! no rules, a 5xx answer means the whole host is off limits for this run; a host that gives
//! no answer at all is reported as unreachable rather than guessed about.

use texting_robots::Robot;

use crate::model::monitor::FailureKind;

/// The product token matched against `User-agent:` lines.
pub const AGENT_TOKEN: &str = "termbridge";

/// Longest robots.txt read (RFC 9309 §2.5 asks crawlers to read at least 500 KiB).
pub const MAX_ROBOTS_BYTES: u64 = 512 * 1024;

/// Longest `Crawl-delay` honoured; a larger one would stall a run for hours.
const MAX_CRAWL_DELAY_MS: u64 = 60_000;

/// The rules of one host.
pub enum Rules {
    /// No robots.txt (a 4xx answer) or one without rules for us.
    AllowAll,
    /// The parsed file.
    Parsed(Box<Robot>),
    /// Nothing may be fetched: the reason (a 5xx answer).
    DenyAll(String),
    /// robots.txt could not be asked for at all; every page of the host fails the same way.
    Unreachable(FailureKind, String),
}

impl Rules {
    /// The rules an answer gives: `status` and the body read.
    pub fn from_answer(status: u16, body: &[u8]) -> Rules {
        match status {
            200..=299 => match Robot::new(AGENT_TOKEN, body) {
                Ok(robot) => Rules::Parsed(Box::new(robot)),
                Err(err) => {
                    // An unreadable file states no rule (RFC 9309 §2.2.2: parse what can be parsed).
                    tracing::debug!(%err, "robots.txt unreadable, no rules applied");
                    Rules::AllowAll
                }
            },
            400..=499 => Rules::AllowAll,
            _ => Rules::DenyAll(format!("robots.txt answered {status}, so the whole host is treated as disallowed (RFC 9309 §2.3.1.4)")),
        }
    }

    /// `Ok` when `url` may be fetched, else why not.
    pub fn check(&self, url: &str) -> Result<(), String> {
        match self {
            Rules::AllowAll | Rules::Unreachable(..) => Ok(()),
            Rules::Parsed(robot) => {
                if robot.allowed(url) {
                    Ok(())
                } else {
                    Err(format!("robots.txt disallows {url} for {AGENT_TOKEN}"))
                }
            }
            Rules::DenyAll(why) => Err(why.clone()),
        }
    }

    /// The `Sitemap:` URLs of the file.
    pub fn sitemaps(&self) -> Vec<String> {
        match self {
            Rules::Parsed(robot) => robot.sitemaps.clone(),
            _ => Vec::new(),
        }
    }

    /// The `Crawl-delay` asked for, in milliseconds, capped.
    pub fn delay_ms(&self) -> Option<u64> {
        match self {
            Rules::Parsed(robot) => robot.delay.map(|seconds| ((seconds.max(0.0) * 1000.0) as u64).min(MAX_CRAWL_DELAY_MS)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_decide() {
        let txt = b"User-agent: *\nDisallow: /private/\nCrawl-delay: 2\nSitemap: http://x.example/sm.xml\n";
        let rules = Rules::from_answer(200, txt);
        assert!(rules.check("http://x.example/public").is_ok());
        assert!(rules.check("http://x.example/private/a").is_err());
        assert_eq!(rules.sitemaps(), ["http://x.example/sm.xml"]);
        assert_eq!(rules.delay_ms(), Some(2000));
        assert!(Rules::from_answer(404, b"").check("http://x.example/private/a").is_ok());
        let error = Rules::from_answer(503, b"").check("http://x.example/").unwrap_err();
        assert!(error.contains("503"), "{error}");
    }

    #[test]
    fn our_group_wins() {
        let txt = b"User-agent: *\nDisallow: /\n\nUser-agent: termbridge\nAllow: /\n";
        assert!(Rules::from_answer(200, txt).check("http://x.example/a").is_ok());
    }
}
