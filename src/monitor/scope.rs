//! The part of a host that belongs to an institution. On a shared host
//! (`kk.rks-gov.net/<municipality>/`) the start address's folder is the institution's and the
//! rest is others': a start address `http://host/komuna/` keeps the crawl under `/komuna/`,
//! while a start address at `/` gives the whole host. The folder is the path up to its last
//! slash, as wget's `--no-parent` takes it: `/komuna/index.php` is in `/komuna/`, and
//! `/komuna` (no final slash) names a page in `/`, the whole host.
//!
//! A leading language segment (`/sq/`, `/sr/`, `/en/`, `/sr-latn/`) is left out on both sides
//! of the comparison, so a start address `/sq/komuna/` also admits `/sr/komuna/` and
//! `/en/komuna/`: the language versions are what the monitoring is about. It does no I/O.

use url::Url;

/// The path prefixes of one host that a crawl may fetch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    /// Prefixes in lower case, without a language segment, each ending in `/`; `/` is the
    /// whole host.
    prefixes: Vec<String>,
}

impl Scope {
    /// Adds the part of the host a start address names: the folder of its path, up to its
    /// last slash.
    pub fn add(&mut self, start: &Url) {
        let path = without_language(&start.path().to_ascii_lowercase());
        let prefix = match path.rfind('/') {
            Some(last) => path[..=last].to_string(),
            None => "/".to_string(),
        };
        if !self.prefixes.contains(&prefix) {
            self.prefixes.push(prefix);
        }
    }

    /// Whether the scope is the whole host.
    pub fn is_whole_host(&self) -> bool {
        self.prefixes.is_empty() || self.prefixes.iter().any(|prefix| prefix == "/")
    }

    /// Whether `url` (of this scope's host) lies inside it: under one of the prefixes, or the
    /// folder itself without its final slash (`/komuna`, which usually redirects to `/komuna/`).
    pub fn contains(&self, url: &Url) -> bool {
        if self.is_whole_host() {
            return true;
        }
        let path = without_language(&url.path().to_ascii_lowercase());
        self.prefixes.iter().any(|prefix| path.starts_with(prefix.as_str()) || path == prefix[..prefix.len() - 1])
    }

    /// The prefixes, for messages: `/komuna/` or `/komuna/, /kuvendi/`.
    pub fn describe(&self) -> String {
        if self.is_whole_host() { "/".to_string() } else { self.prefixes.join(", ") }
    }
}

/// `path` without a leading language segment: two letters, optionally with a region or script
/// of one to four letters (`sq`, `sr-latn`, `sr-l`, `en_us`).
fn without_language(path: &str) -> String {
    let rest = path.strip_prefix('/').unwrap_or(path);
    let (first, after) = rest.split_once('/').map_or((rest, None), |(first, after)| (first, Some(after)));
    if !is_language(first) {
        return if path.starts_with('/') { path.to_string() } else { format!("/{path}") };
    }
    format!("/{}", after.unwrap_or(""))
}

fn is_language(segment: &str) -> bool {
    let (language, variant) = match segment.split_once(['-', '_']) {
        Some((language, variant)) => (language, Some(variant)),
        None => (segment, None),
    };
    let letters = |text: &str, range: std::ops::RangeInclusive<usize>| range.contains(&text.len()) && text.bytes().all(|b| b.is_ascii_alphabetic());
    letters(language, 2..=2) && variant.is_none_or(|variant| letters(variant, 1..=4))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(starts: &[&str]) -> Scope {
        let mut scope = Scope::default();
        for start in starts {
            scope.add(&Url::parse(start).unwrap());
        }
        scope
    }

    fn check(starts: &[&str], url: &str, inside: bool) {
        assert_eq!(scope(starts).contains(&Url::parse(url).unwrap()), inside, "{starts:?} ∋ {url}");
    }

    #[test]
    fn a_folder_keeps_the_crawl_under_it() {
        check(&["http://kk.example/komuna/"], "http://kk.example/komuna/lajme?id=3", true);
        check(&["http://kk.example/komuna/"], "http://kk.example/komuna", true);
        check(&["http://kk.example/komuna/"], "http://kk.example/komunat/", false);
        check(&["http://kk.example/komuna/"], "http://kk.example/", false);
        check(&["http://kk.example/komuna/"], "http://kk.example/tjeter/komuna/", false);
        check(&["http://kk.example/Komuna/"], "http://kk.example/komuna/faqe", true);
        check(&["http://kk.example/komuna/index.php"], "http://kk.example/komuna/other.php", true);
        check(&["http://kk.example/komuna/index.php"], "http://kk.example/index.php", false);
        check(&["http://kk.example/komuna"], "http://kk.example/tjeter/", true);
        check(&["http://kk.example/sr-l/o-ministarstvu/nadleznosti.html"], "http://kk.example/sq/o-ministarstvu/", true);
    }

    #[test]
    fn language_versions_are_siblings() {
        check(&["http://kk.example/sq/komuna/"], "http://kk.example/sr/komuna/vesti", true);
        check(&["http://kk.example/sq/komuna/"], "http://kk.example/en/komuna/", true);
        check(&["http://kk.example/sq/komuna/"], "http://kk.example/sr-latn/komuna/", true);
        check(&["http://kk.example/sq/komuna/"], "http://kk.example/komuna/", true);
        check(&["http://kk.example/sq/komuna/"], "http://kk.example/sr/drugo/", false);
        check(&["http://kk.example/komuna/"], "http://kk.example/sr/komuna/", true);
        check(&["http://kk.example/sq/"], "http://kk.example/anything", true);
        check(&["http://kk.example/sq/"], "http://kk.example/sr/", true);
    }

    #[test]
    fn the_root_or_several_folders() {
        check(&["http://kk.example/"], "http://kk.example/any/where", true);
        check(&["http://kk.example/a/", "http://kk.example/"], "http://kk.example/b/", true);
        check(&["http://kk.example/a/", "http://kk.example/b/"], "http://kk.example/b/x", true);
        check(&["http://kk.example/a/", "http://kk.example/b/"], "http://kk.example/c/x", false);
        assert_eq!(scope(&["http://kk.example/sq/a/", "http://kk.example/b/c.html"]).describe(), "/a/, /b/");
        assert!(!is_language("abc") && !is_language("s1") && is_language("sr_Latn") && is_language("sr-l") && !is_language("sr-"));
    }
}
