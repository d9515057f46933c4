//! What the monitor keeps about institutions and their websites: plain data shared by the
//! crawler (`monitor::crawl`), the page pairing (`monitor::pair`), the store
//! (`store::monitor`) and the reports.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::lang::LangTag;

/// An institution whose websites are watched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Institution {
    /// Short stable id chosen by the user (`prishtine`, `mpb`).
    pub id: String,
    pub name: String,
    /// The municipality whose language table decides the required languages; `None` for a
    /// central institution (Albanian and Serbian required).
    pub municipality: Option<String>,
    /// Start addresses; their hosts are the only hosts crawled.
    pub urls: Vec<String>,
    /// Where the address was found (a preset's source), when known.
    pub source: Option<String>,
    /// Seconds since the epoch when it was added.
    pub added: u64,
}

/// One answer (or the lack of one) to one request, as kept for evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The URL requested, as linked.
    pub url: String,
    /// The URL after redirects.
    pub final_url: String,
    /// HTTP status; 304 when a conditional request found the page unchanged.
    pub status: u16,
    /// Seconds since the epoch when the answer arrived.
    pub fetched_at: u64,
    /// Response headers kept for evidence and for the next run's conditional requests, names
    /// in lower case (`content-type`, `content-language`, `etag`, `last-modified`, `location`).
    pub headers: BTreeMap<String, String>,
    /// BLAKE3 of the body, hex; for a 304 the previous snapshot's.
    pub hash: String,
    pub body_len: u64,
    /// The sitemap's `lastmod` for this URL, when the sitemap gave one.
    pub lastmod: Option<String>,
    /// Link depth from a start address (0 for a start address or a sitemap entry).
    pub depth: u32,
}

impl Snapshot {
    /// A header by its lower-case name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

/// A fetched page: the snapshot and the body it describes (for a 304 the caller supplies the
/// previous body from the store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchedPage {
    pub snapshot: Snapshot,
    pub body: Vec<u8>,
}

/// Why a URL was not fetched (counted as `pages_refused`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RefusalKind {
    /// robots.txt disallows it for our user agent.
    Robots,
    /// Its host is not one of the institution's; or a redirect left the institution's part of
    /// a shared host (links out of that part are not followed and not counted).
    OtherHost,
    /// It resolves (or redirects) to a loopback, private, link-local or metadata address.
    PrivateAddress,
    /// Deeper than `max_depth` or beyond `max_pages`.
    Limit,
    /// A URL trap (calendar, session id, repeated path segments, too long a query).
    Trap,
    /// Not http or https, or not a page (mailto:, javascript:, a media file).
    Scheme,
}

/// Why a fetch failed (counted, never fatal).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailureKind {
    Dns,
    Connect,
    Tls,
    Timeout,
    /// An HTTP error status (4xx, 5xx): the status is in the event.
    Status,
    RedirectLoop,
    TooManyRedirects,
    /// Larger than the cap for its type.
    TooLarge,
    /// An HTML type whose body is binary, or an encoding that cannot be read.
    Unreadable,
    Other,
}

/// What a crawl reports, in the order it happens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CrawlEvent {
    /// A page was fetched (2xx, or 304 with `body` empty: the store supplies the last body).
    Page(FetchedPage),
    /// A URL was not requested.
    Refused { url: String, kind: RefusalKind, detail: String },
    /// A request failed; `status` is the HTTP status when there was one (404 included, which
    /// makes a counterpart link a `missing-version`).
    Failed { url: String, kind: FailureKind, status: Option<u16>, detail: String, referrer: Option<String> },
}

/// How two pages were found to be language versions of one another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PairMethod {
    Hreflang,
    Switcher,
    UrlPattern,
    Content,
}

/// One document of a site: its language versions found so far.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PageGroup {
    /// The URL of each language version, by detected language (`sq`, `sr`, `en`, `tr`, `bs`).
    pub urls: BTreeMap<String, String>,
    /// The detected tag of each version (`sr-Cyrl` / `sr-Latn` for Serbian).
    pub tags: BTreeMap<String, LangTag>,
    /// How the versions were paired; `None` for a page with no counterpart.
    pub method: Option<PairMethod>,
    /// 0..=1: 1 for hreflang both ways, lower for one-way links, patterns and content; the
    /// weakest of the group's pairs (`pairs`), 0 for a page with no counterpart.
    pub confidence: f32,
    /// Serbian versions in the second script, by tag (`sr-Latn` → URL), when the group has
    /// Serbian in both: `urls["sr"]` holds the Cyrillic one (Law No. 02/L-37 Art. 2, Serbian
    /// "and its alphabet").
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub alternate_scripts: BTreeMap<String, String>,
    /// Pages whose address, hreflang or switcher label claims another language than their
    /// text is in (a "Serbian" page in Albanian is an untranslated page).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mismatches: Vec<LanguageMismatch>,
    /// Pages of the group held in neither `urls` nor `alternate_scripts`: their text's
    /// language could not be told, or another page of the group is already the version in
    /// it (`mismatches` says what they claim to be).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub others: Vec<String>,
    /// Language versions the group's pages link to (hreflang, switchers) that are not among
    /// the pages read (not fetched, refused or failed: a 404 counterpart is a
    /// `missing-version`), by claimed language.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub unfetched: BTreeMap<String, String>,
    /// How the pages were joined: one pair per page beyond the first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pairs: Vec<PagePair>,
}

/// A page whose text is in another language than the one its address or links claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LanguageMismatch {
    /// The page.
    pub url: String,
    /// The language claimed (`sr`, `sr-Latn`, `en`, …).
    pub claimed: String,
    /// The language detected in its text (`sq`, `sr-Cyrl`, …); `None` when none could be told.
    pub detected: Option<String>,
    /// What made the claim: `Hreflang`, `Switcher` (a language switcher's label) or
    /// `UrlPattern` (`/sr/`, `?lang=sr`, `sr.` host).
    pub by: PairMethod,
}

/// Two pages found to be language versions of one another.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PagePair {
    /// The page already in the group.
    pub from: String,
    /// The page that joined it.
    pub to: String,
    /// How they were found.
    pub method: PairMethod,
    /// 0..=1.
    pub confidence: f32,
}

/// One finding of a monitoring run: an audit finding placed on the page it is in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunFinding {
    /// The check's stable id (`missing-version`, `untranslated`, …).
    pub check: String,
    pub severity: crate::model::Severity,
    /// Language code of the version it is in (for a missing version: the missing language).
    pub lang: String,
    /// The page it is on; for a missing version, the page that lacks its counterpart, or the
    /// counterpart link that answered 404.
    pub url: String,
    /// Block number in the page (0 for the whole page).
    pub line: usize,
    pub message: String,
    /// The offending text (empty for whole pages).
    #[serde(default)]
    pub excerpt: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
}

/// When one language version of a document was published, as far as the run can tell.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageDates {
    /// Seconds since the epoch when termbridge first saw the URL.
    pub first_seen: u64,
    /// The `Last-Modified` header as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    /// The sitemap's `lastmod` as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lastmod: Option<String>,
}

/// One document of a run: its versions, what is missing, the Serbian script and the
/// findings of its audit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunDocument {
    /// The URL of each language version, by language code.
    pub urls: BTreeMap<String, String>,
    /// Required languages without a version.
    pub missing: Vec<String>,
    /// The script of each Serbian version (`Cyrl`, `Latn`), by language code.
    pub script: BTreeMap<String, String>,
    pub method: Option<PairMethod>,
    pub confidence: f32,
    pub findings: Vec<RunFinding>,
    /// Publication evidence of each version, by language code.
    #[serde(default)]
    pub dates: BTreeMap<String, PageDates>,
}

/// A monitoring run as stored: counts and the audited documents, one record written when
/// the run has finished.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    /// Monotonic over the whole data directory.
    pub id: u64,
    pub institution: String,
    /// Seconds since the epoch.
    pub started: u64,
    pub finished: u64,
    /// Languages every document needs (the municipal language table).
    pub required: Vec<String>,
    /// Pages fetched (a 304 included).
    pub pages_fetched: usize,
    /// Of those, pages a conditional request found unchanged.
    #[serde(default)]
    pub pages_not_modified: usize,
    pub pages_refused: usize,
    /// Refusals by kind.
    #[serde(default)]
    pub refusals: BTreeMap<RefusalKind, usize>,
    /// Failed requests by kind.
    #[serde(default)]
    pub failures: BTreeMap<FailureKind, usize>,
    /// Fetched pages whose text could not be read (a PDF without pdftotext, a broken DOCX).
    #[serde(default)]
    pub pages_unreadable: usize,
    /// Fetched pages that are mostly links (indexes, menus, language choosers): followed,
    /// but not documents, so neither audited nor counted as missing a version.
    #[serde(default)]
    pub pages_listing: usize,
    /// Documents whose pages had not changed since the run before, whose audit findings
    /// were carried over from it rather than audited again.
    #[serde(default)]
    pub documents_reused: usize,
    /// What the audit of this run depended on besides the pages (termbridge's version, the
    /// audit policy, the dictionaries): a document is carried over only from a run with the
    /// same key.
    #[serde(default)]
    pub audit_key: String,
    pub documents: Vec<RunDocument>,
    /// Findings per check id over all documents.
    #[serde(default)]
    pub findings_by_check: BTreeMap<String, usize>,
    /// The compliance score (`monitor::report::score`).
    pub score: f64,
}
