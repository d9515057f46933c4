//! The crawler: fetches an institution's websites politely and reports every page, refusal
//! and failure as a [`CrawlEvent`], in the order it happens.
//!
//! A run has three steps. robots.txt of every host is asked for once; then the sitemaps
//! (`Sitemap:` lines, else `/sitemap.xml`) give each listed page its `lastmod`; then the pages
//! are fetched breadth first from the start addresses and the sitemap entries. Only the start
//! addresses' hosts are fetched, and of a host only the part its start addresses name
//! (`monitor::scope`: the start address's folder, `/komuna/` on a shared host, with its
//! language siblings; links out of it are not followed, and not counted as refusals); a host gets at most `per_host` requests at once, started at
//! least `delay_ms` apart (or its `Crawl-delay`, when longer). The calling thread decides what
//! to fetch and when and is the only one to call `sink` and `progress`; worker threads do the
//! requests and read the links.
//!
//! It does not read page text or languages (`monitor::page`) and keeps nothing (the store
//! does): what a later run needs for conditional requests comes in through `previous`.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::path::PathBuf;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use url::Url;

use super::fetch::{Fetched, Fetcher, Want};
use super::guard::GuardResolver;
use super::robots::{MAX_ROBOTS_BYTES, Rules};
use super::scope::Scope;
use super::sitemap;
use super::tls;
use super::urls::{LinkKind, calendar_shape, host_key, link_kind, normalise_url, trap};
use crate::model::monitor::{CrawlEvent, FailureKind, FetchedPage, RefusalKind, Snapshot};

pub use super::guard::check_public;
pub use super::links::{PageLinks, links};
pub use super::offline::{read_dir, read_warc};
pub use super::tls::{CaFileError, install_default_provider};

/// Checks that every extra CA certificate file can be used, as a crawl given them would:
/// the service checks its own once, at start. Reads nothing else (none given, nothing read).
pub fn check_ca_files(files: &[std::path::PathBuf]) -> Result<(), CaFileError> {
    super::tls::extra_roots(files).map(|_| ())
}
pub use super::urls::normalise;

/// How a crawl behaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrawlOptions {
    /// Most pages requested in one run (default 500).
    pub max_pages: usize,
    /// Deepest link depth followed from a start address (default 5).
    pub max_depth: u32,
    /// Least time between two requests to one host, in milliseconds (default 1000).
    pub delay_ms: u64,
    /// Most requests to one host at once (default 2).
    pub per_host: usize,
    /// The User-Agent header; `contact` is appended when it is not already in it.
    pub user_agent: String,
    /// A URL where site owners learn about the crawl (sent in the User-Agent).
    pub contact: Option<String>,
    /// Longest wait for a connection (default 10 s).
    pub connect_timeout: Duration,
    /// Longest wait for an answer's headers and for each read of its body (default 30 s).
    pub read_timeout: Duration,
    /// Largest HTML page read (default 8 MiB).
    pub max_html_bytes: u64,
    /// Largest document (PDF, DOCX, text) read (default 32 MiB).
    pub max_document_bytes: u64,
    /// Most redirects followed for one URL (default 5).
    pub max_redirects: u32,
    /// Whether loopback, private and link-local addresses may be fetched (tests; a service
    /// started with `--monitor-allow-private`).
    pub allow_private: bool,
    /// CA certificates (PEM files) trusted for https besides the system's, for institutions
    /// whose sites carry certificates of an internal CA.
    pub extra_ca: Vec<PathBuf>,
}

impl Default for CrawlOptions {
    fn default() -> CrawlOptions {
        CrawlOptions {
            max_pages: 500,
            max_depth: 5,
            delay_ms: 1000,
            per_host: 2,
            user_agent: format!("termbridge/{}", env!("CARGO_PKG_VERSION")),
            contact: None,
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(30),
            max_html_bytes: 8 << 20,
            max_document_bytes: 32 << 20,
            max_redirects: 5,
            allow_private: false,
            extra_ca: Vec::new(),
        }
    }
}

/// What the store kept of a URL at the last run: for conditional requests and, on a 304,
/// the body whose links are followed and which is emitted again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Previous {
    /// The ETag answered last time, sent as If-None-Match.
    pub etag: Option<String>,
    /// The Last-Modified answered last time, sent as If-Modified-Since.
    pub last_modified: Option<String>,
    /// The body kept.
    pub body: Vec<u8>,
    /// The snapshot kept.
    pub snapshot: Snapshot,
}

/// Counts of a crawl so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CrawlStats {
    /// Pages answered 2xx.
    pub fetched: usize,
    /// Pages answered 304 Not Modified.
    pub not_modified: usize,
    /// URLs not requested.
    pub refused: usize,
    /// Requests that failed (error statuses included).
    pub failed: usize,
    /// Bytes of bodies read (robots.txt and sitemaps included).
    pub bytes: u64,
}

impl CrawlStats {
    fn count(&mut self, event: &CrawlEvent) {
        match event {
            CrawlEvent::Page(page) if page.snapshot.status == 304 => self.not_modified += 1,
            CrawlEvent::Page(_) => self.fetched += 1,
            CrawlEvent::Refused { .. } => self.refused += 1,
            CrawlEvent::Failed { .. } => self.failed += 1,
        }
    }
}

/// What makes a whole crawl (or offline read) impossible; everything about one URL is a
/// [`CrawlEvent`] instead.
#[derive(Debug, thiserror::Error)]
pub enum CrawlError {
    /// None of the start addresses is an http(s) URL.
    #[error("no start address is an http or https URL: {0}")]
    NoSeed(String),
    /// The HTTP client could not be built.
    #[error("the HTTP client could not be set up: {0}")]
    Client(String),
    /// An extra CA certificate file that cannot be used.
    #[error(transparent)]
    CaFile(#[from] CaFileError),
    /// A mirror directory or WARC file that cannot be read.
    #[error("{path}: {message}")]
    Input {
        /// The file or directory.
        path: String,
        /// What is wrong.
        message: String,
    },
}

/// Most sitemap files read per host (an index may list many).
const MAX_SITEMAPS_PER_HOST: usize = 20;
/// Largest sitemap read, as sent.
const MAX_SITEMAP_BYTES: u64 = 16 << 20;
/// Largest sitemap once a gzipped one is inflated: sitemaps.org's own limit, 50 MB.
const MAX_SITEMAP_INFLATED_BYTES: u64 = 50_000_000;
/// Most URLs of one calendar shape followed (see `urls::calendar_shape`): two years of
/// monthly pages.
const MAX_PER_CALENDAR_SHAPE: usize = 24;
/// Most worker threads, whatever the number of hosts.
const MAX_WORKERS: usize = 16;

enum JobKind {
    Robots,
    Sitemap { declared: bool },
    Page { depth: u32, referrer: Option<String>, lastmod: Option<String>, kind: LinkKind },
}

struct Job {
    host: String,
    url: Url,
    kind: JobKind,
    robots: Arc<HashMap<String, Rules>>,
}

enum Outcome {
    Robots { host: String, rules: Rules, bytes: u64 },
    Sitemap { host: String, parsed: Option<sitemap::Sitemap>, bytes: u64 },
    Page { host: String, depth: u32, event: CrawlEvent, links: Vec<String>, bytes: u64 },
}

struct HostState {
    queue: VecDeque<Job>,
    in_flight: usize,
    next_start: Instant,
    delay: Duration,
    /// `scheme://host[:port]` of the first start address on the host.
    origin: String,
    /// Why the host's address is refused, when it is.
    private: Option<String>,
    /// The part of the host the start addresses name (`monitor::scope`).
    scope: Scope,
    sitemaps_read: usize,
}

/// Crawls the hosts of `seeds`, calling `sink` with every event and `progress` after every
/// answer. `previous` gives what the last run kept of a URL (by its normal form), for
/// conditional requests.
///
/// ```no_run
/// use termbridge::monitor::crawl::{crawl, CrawlOptions};
/// let mut pages = Vec::new();
/// let stats = crawl(&["http://komuna.example/".to_string()], &CrawlOptions::default(), &|_| None,
///     &mut |event| pages.push(event), &mut |_| {}).unwrap();
/// println!("{} pages", stats.fetched);
/// ```
pub fn crawl(
    seeds: &[String],
    options: &CrawlOptions,
    previous: &(dyn Fn(&str) -> Option<Previous> + Sync),
    sink: &mut dyn FnMut(CrawlEvent),
    progress: &mut dyn FnMut(CrawlStats),
) -> Result<CrawlStats, CrawlError> {
    let mut run = Run::new(options, sink);
    let mut seed_urls = Vec::new();
    for seed in seeds {
        match Url::parse(seed.trim()) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.host_str().is_some() => {
                let url = Url::parse(&normalise_url(url.clone())).unwrap_or(url);
                if let Some(host) = host_key(&url) {
                    run.add_host(&host, &url);
                    if let Some(state) = run.hosts.get_mut(&host) {
                        state.scope.add(&url);
                    }
                }
                seed_urls.push(url);
            }
            _ => run.emit(CrawlEvent::Refused { url: seed.clone(), kind: RefusalKind::Scheme, detail: "not an http or https URL".into() }),
        }
    }
    if seed_urls.is_empty() {
        return Err(CrawlError::NoSeed(seeds.join(", ")));
    }
    let client = client(options)?;
    let hosts: HashMap<String, Scope> = run.hosts.iter().map(|(host, state)| (host.clone(), state.scope.clone())).collect();
    let workers = (hosts.len() * options.per_host.max(1)).clamp(1, MAX_WORKERS);
    let (job_sender, job_receiver) = mpsc::channel::<Job>();
    let job_receiver = Arc::new(Mutex::new(job_receiver));
    let (outcome_sender, outcomes) = mpsc::channel::<Outcome>();

    std::thread::scope(|scope| {
        for _ in 0..workers {
            let jobs = Arc::clone(&job_receiver);
            let outcome_sender = outcome_sender.clone();
            let (client, hosts) = (&client, &hosts);
            scope.spawn(move || {
                loop {
                    // A poisoned lock means another worker panicked; stop taking jobs.
                    let job = match jobs.lock() {
                        Ok(receiver) => receiver.recv(),
                        Err(_) => return,
                    };
                    let Ok(job) = job else { return };
                    let robots = Arc::clone(&job.robots);
                    let fetcher = Fetcher { client, options, hosts, robots: &robots };
                    if outcome_sender.send(run_job(&fetcher, job, previous)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(outcome_sender);
        run.schedule(&seed_urls, &job_sender, &outcomes, &mut *progress);
        drop(job_sender);
    });
    // Refusals decided without a request come after the last answer: the bar ends on the total.
    progress(run.stats);
    Ok(run.stats)
}

/// The blocking client: no redirects of its own (each hop is checked), no proxy from the
/// environment, the guarding resolver unless private addresses are allowed, TLS with the
/// system's roots and the extra CA certificates (`monitor::tls`).
fn client(options: &CrawlOptions) -> Result<reqwest::blocking::Client, CrawlError> {
    let mut agent = options.user_agent.clone();
    if let Some(contact) = &options.contact
        && !agent.contains(contact.as_str())
    {
        agent = format!("{agent} (+{contact})");
    }
    let mut builder = reqwest::blocking::Client::builder()
        .user_agent(agent)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .connect_timeout(options.connect_timeout)
        .timeout(options.read_timeout)
        .pool_max_idle_per_host(options.per_host.max(1))
        .use_preconfigured_tls(tls::client_config(&options.extra_ca)?);
    if !options.allow_private {
        builder = builder.dns_resolver(Arc::new(GuardResolver));
    }
    builder.build().map_err(|err| CrawlError::Client(err.to_string()))
}

/// The state of one crawl, kept by the scheduling thread.
struct Run<'o, 's> {
    options: &'o CrawlOptions,
    sink: &'s mut dyn FnMut(CrawlEvent),
    stats: CrawlStats,
    hosts: BTreeMap<String, HostState>,
    robots: HashMap<String, Rules>,
    frozen: Arc<HashMap<String, Rules>>,
    seen: HashSet<String>,
    lastmods: HashMap<String, String>,
    sitemap_pages: Vec<String>,
    shapes: HashMap<String, usize>,
    pages_queued: usize,
    current_year: i64,
}

impl<'o, 's> Run<'o, 's> {
    fn new(options: &'o CrawlOptions, sink: &'s mut dyn FnMut(CrawlEvent)) -> Run<'o, 's> {
        let seconds = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        Run {
            options,
            sink,
            stats: CrawlStats::default(),
            hosts: BTreeMap::new(),
            robots: HashMap::new(),
            frozen: Arc::new(HashMap::new()),
            seen: HashSet::new(),
            lastmods: HashMap::new(),
            sitemap_pages: Vec::new(),
            shapes: HashMap::new(),
            pages_queued: 0,
            // A year of 365.2425 days is close enough to bound calendar traps.
            current_year: 1970 + (seconds / 31_556_952) as i64,
        }
    }

    fn emit(&mut self, event: CrawlEvent) {
        self.stats.count(&event);
        (self.sink)(event);
    }

    fn refuse(&mut self, url: String, kind: RefusalKind, detail: String) {
        tracing::debug!(%url, ?kind, %detail, "refused");
        self.emit(CrawlEvent::Refused { url, kind, detail });
    }

    fn add_host(&mut self, host: &str, url: &Url) {
        if self.hosts.contains_key(host) {
            return;
        }
        let private = if self.options.allow_private { None } else { check_public(url.as_str(), false).err().map(|(_, why)| why) };
        self.hosts.insert(
            host.to_string(),
            HostState {
                queue: VecDeque::new(),
                in_flight: 0,
                next_start: Instant::now(),
                delay: Duration::from_millis(self.options.delay_ms),
                origin: url.origin().ascii_serialization(),
                private,
                scope: Scope::default(),
                sitemaps_read: 0,
            },
        );
        if self.hosts[host].private.is_none()
            && let Ok(robots_url) = url.join("/robots.txt")
        {
            let job = Job { host: host.to_string(), url: robots_url, kind: JobKind::Robots, robots: Arc::clone(&self.frozen) };
            if let Some(state) = self.hosts.get_mut(host) {
                state.queue.push_back(job);
            }
        }
    }

    /// The scheduling loop: robots.txt, then sitemaps, then pages; returns when nothing is
    /// queued or in flight.
    fn schedule(&mut self, seeds: &[Url], jobs: &mpsc::Sender<Job>, outcomes: &mpsc::Receiver<Outcome>, progress: &mut dyn FnMut(CrawlStats)) {
        let mut step = 0;
        loop {
            let now = Instant::now();
            let mut in_flight = 0;
            let mut next_wake: Option<Instant> = None;
            for state in self.hosts.values_mut() {
                while state.in_flight < self.options.per_host.max(1) && state.next_start <= now {
                    let Some(job) = state.queue.pop_front() else { break };
                    state.in_flight += 1;
                    state.next_start = now + state.delay;
                    if jobs.send(job).is_err() {
                        // Every worker has stopped (one panicked); nothing more can be fetched.
                        return;
                    }
                }
                in_flight += state.in_flight;
                if !state.queue.is_empty() && state.in_flight < self.options.per_host.max(1) {
                    next_wake = Some(next_wake.map_or(state.next_start, |wake| wake.min(state.next_start)));
                }
            }
            let queued: usize = self.hosts.values().map(|state| state.queue.len()).sum();
            if in_flight == 0 && queued == 0 {
                step += 1;
                match step {
                    1 => self.queue_sitemaps(),
                    2 => self.queue_pages(seeds),
                    _ => return,
                }
                continue;
            }
            let outcome = match next_wake {
                Some(wake) => match outcomes.recv_timeout(wake.saturating_duration_since(Instant::now())) {
                    Ok(outcome) => outcome,
                    Err(RecvTimeoutError::Timeout) => continue,
                    Err(RecvTimeoutError::Disconnected) => return,
                },
                None => match outcomes.recv() {
                    Ok(outcome) => outcome,
                    Err(_) => return,
                },
            };
            self.handle(outcome);
            progress(self.stats);
        }
    }

    fn handle(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Robots { host, rules, bytes } => {
                self.stats.bytes += bytes;
                if let Some(state) = self.hosts.get_mut(&host) {
                    state.in_flight -= 1;
                    if let Some(delay) = rules.delay_ms() {
                        state.delay = state.delay.max(Duration::from_millis(delay));
                    }
                }
                self.robots.insert(host, rules);
            }
            Outcome::Sitemap { host, parsed, bytes } => {
                self.stats.bytes += bytes;
                let Some(state) = self.hosts.get_mut(&host) else { return };
                state.in_flight -= 1;
                let Some(parsed) = parsed else { return };
                for (loc, lastmod) in parsed.pages {
                    if self.sitemap_pages.len() >= self.options.max_pages {
                        break;
                    }
                    // A shared host's sitemap lists every institution's pages: only this
                    // one's count towards the cap.
                    if !self.in_scope(&loc) {
                        continue;
                    }
                    if let Some(normal) = super::urls::normalise(&loc) {
                        if let Some(lastmod) = lastmod {
                            self.lastmods.insert(normal.clone(), lastmod);
                        }
                        self.sitemap_pages.push(normal);
                    }
                }
                for child in parsed.sitemaps {
                    self.queue_sitemap(&host, &child, true);
                }
            }
            Outcome::Page { host, depth, event, links, bytes } => {
                self.stats.bytes += bytes;
                if let Some(state) = self.hosts.get_mut(&host) {
                    state.in_flight -= 1;
                }
                if let CrawlEvent::Page(page) = &event {
                    self.seen.insert(page.snapshot.final_url.clone());
                }
                let referrer = match &event {
                    CrawlEvent::Page(page) => Some(page.snapshot.final_url.clone()),
                    _ => None,
                };
                self.emit(event);
                for link in links {
                    self.consider(&link, depth + 1, referrer.clone());
                }
            }
        }
    }

    /// Whether `url` is on one of the hosts and inside its scope; other hosts' URLs count as
    /// inside (`consider` refuses them, counted).
    fn in_scope(&self, url: &str) -> bool {
        let Ok(url) = Url::parse(url) else { return false };
        match host_key(&url).and_then(|host| self.hosts.get(&host)) {
            Some(state) => state.scope.contains(&url),
            None => true,
        }
    }

    fn queue_sitemaps(&mut self) {
        self.frozen = Arc::new(std::mem::take(&mut self.robots));
        let hosts: Vec<String> = self.hosts.keys().cloned().collect();
        for host in hosts {
            let Some(rules) = self.frozen.get(&host) else { continue };
            if matches!(rules, Rules::DenyAll(_) | Rules::Unreachable(..)) {
                continue;
            }
            let declared = rules.sitemaps();
            if declared.is_empty() {
                let guess = format!("{}/sitemap.xml", self.hosts[&host].origin);
                self.queue_sitemap(&host, &guess, false);
            } else {
                for url in declared {
                    self.queue_sitemap(&host, &url, true);
                }
            }
        }
    }

    fn queue_sitemap(&mut self, host: &str, url: &str, declared: bool) {
        let Some(state) = self.hosts.get_mut(host) else { return };
        let Ok(url) = Url::parse(url) else { return };
        if state.sitemaps_read >= MAX_SITEMAPS_PER_HOST || host_key(&url).as_deref() != Some(host) {
            tracing::debug!(%url, "sitemap skipped (cap reached or another host)");
            return;
        }
        state.sitemaps_read += 1;
        state.queue.push_back(Job { host: host.to_string(), url, kind: JobKind::Sitemap { declared }, robots: Arc::clone(&self.frozen) });
    }

    fn queue_pages(&mut self, seeds: &[Url]) {
        for seed in seeds {
            self.consider(seed.as_str(), 0, None);
        }
        for page in std::mem::take(&mut self.sitemap_pages) {
            self.consider(&page, 0, None);
        }
    }

    /// Queues a link unless it was seen or is refused (and says why).
    fn consider(&mut self, link: &str, depth: u32, referrer: Option<String>) {
        let Ok(url) = Url::parse(link) else { return };
        let text = normalise_url(url);
        if !self.seen.insert(text.clone()) {
            return;
        }
        let Ok(url) = Url::parse(&text) else { return };
        let kind = link_kind(&url);
        if kind == LinkKind::NotAPage {
            return self.refuse(text, RefusalKind::Scheme, "not a page (another scheme, or a media, style or script file)".into());
        }
        let host = host_key(&url).unwrap_or_default();
        let Some(state) = self.hosts.get(&host) else {
            return self.refuse(text, RefusalKind::OtherHost, format!("{host} is not one of the institution's hosts"));
        };
        // Not a refusal: on a shared host every page links to the other institutions' parts,
        // and counting those would measure the portal, not the institution.
        if !state.scope.contains(&url) {
            tracing::debug!(url = %text, scope = %state.scope.describe(), "outside the institution's part of the host");
            return;
        }
        if let Some(why) = state.private.clone() {
            return self.refuse(text, RefusalKind::PrivateAddress, why);
        }
        if depth > self.options.max_depth {
            return self.refuse(text, RefusalKind::Limit, format!("deeper than {} links", self.options.max_depth));
        }
        if let Some(why) = trap(&url, self.current_year) {
            return self.refuse(text, RefusalKind::Trap, why);
        }
        if let Some(shape) = calendar_shape(&url) {
            let count = self.shapes.entry(shape.clone()).or_insert(0);
            *count += 1;
            if *count > MAX_PER_CALENDAR_SHAPE {
                return self.refuse(text, RefusalKind::Trap, format!("more than {MAX_PER_CALENDAR_SHAPE} dated URLs of the shape {shape}"));
            }
        }
        if let Some(rules) = self.frozen.get(&host)
            && let Err(why) = rules.check(&text)
        {
            return self.refuse(text, RefusalKind::Robots, why);
        }
        if self.pages_queued >= self.options.max_pages {
            return self.refuse(text, RefusalKind::Limit, format!("beyond {} pages", self.options.max_pages));
        }
        self.pages_queued += 1;
        let lastmod = self.lastmods.get(&text).cloned();
        let job = Job { host: host.clone(), url, kind: JobKind::Page { depth, referrer, lastmod, kind }, robots: Arc::clone(&self.frozen) };
        if let Some(state) = self.hosts.get_mut(&host) {
            state.queue.push_back(job);
        }
    }
}

/// Runs one job on a worker thread.
fn run_job(fetcher: &Fetcher<'_>, job: Job, previous: &(dyn Fn(&str) -> Option<Previous> + Sync)) -> Outcome {
    match job.kind {
        JobKind::Robots => {
            let (rules, bytes) = match fetcher.fetch(&job.url, Want::Raw(MAX_ROBOTS_BYTES), None) {
                Fetched::Answer { status, body, .. } => {
                    let bytes = body.len() as u64;
                    (Rules::from_answer(status, &body), bytes)
                }
                Fetched::Failed { status: Some(status), kind: FailureKind::Status, bytes, .. } => (Rules::from_answer(status, b""), bytes),
                Fetched::Failed { status: Some(_), bytes, .. } => (Rules::AllowAll, bytes),
                Fetched::Failed { kind, detail, .. } => (Rules::Unreachable(kind, format!("robots.txt could not be fetched: {detail}")), 0),
                Fetched::Refused { detail, .. } => {
                    tracing::debug!(%detail, "robots.txt redirected away; no rules applied");
                    (Rules::AllowAll, 0)
                }
            };
            Outcome::Robots { host: job.host, rules, bytes }
        }
        JobKind::Sitemap { declared } => {
            let admitted = fetcher.admit(job.url.as_str());
            let (parsed, bytes) = match admitted.map(|()| fetcher.fetch(&job.url, Want::Raw(MAX_SITEMAP_BYTES), None)) {
                Ok(Fetched::Answer { status: 200..=299, body, .. }) => {
                    match sitemap::inflate(&body, MAX_SITEMAP_INFLATED_BYTES).and_then(|xml| sitemap::parse(&xml, 50_000)) {
                        Ok(parsed) => (Some(parsed), body.len() as u64),
                        Err(why) => {
                            tracing::debug!(url = %job.url, %why, "sitemap unreadable");
                            (None, body.len() as u64)
                        }
                    }
                }
                other => {
                    tracing::debug!(url = %job.url, declared, outcome = ?other.as_ref().map(|_| ()).err(), "no sitemap read");
                    (None, 0)
                }
            };
            Outcome::Sitemap { host: job.host, parsed, bytes }
        }
        JobKind::Page { depth, referrer, lastmod, kind } => {
            let request = PageRequest { url: &job.url, host: &job.host, depth, referrer, lastmod, kind };
            let (event, links, bytes) = page(fetcher, request, previous);
            Outcome::Page { host: job.host, depth, event, links, bytes }
        }
    }
}

/// One page job, taken apart.
struct PageRequest<'j> {
    url: &'j Url,
    host: &'j str,
    depth: u32,
    referrer: Option<String>,
    lastmod: Option<String>,
    kind: LinkKind,
}

/// Fetches one page and turns the answer into its event and the links to consider.
fn page(fetcher: &Fetcher<'_>, request: PageRequest<'_>, previous: &(dyn Fn(&str) -> Option<Previous> + Sync)) -> (CrawlEvent, Vec<String>, u64) {
    let PageRequest { url: target, host, depth, referrer, lastmod, kind } = request;
    let url_text = target.to_string();
    let url = url_text.as_str();
    if let Some(Rules::Unreachable(failure, detail)) = fetcher.robots.get(host) {
        return (CrawlEvent::Failed { url: url.to_string(), kind: *failure, status: None, detail: detail.clone(), referrer }, Vec::new(), 0);
    }
    let previous = previous(url);
    let conditional = previous.as_ref().map(|p| (p.etag.as_deref(), p.last_modified.as_deref()));
    let fetched_at = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    match fetcher.fetch(target, Want::Page, conditional) {
        Fetched::Answer { final_url, status: 304, headers, .. } => {
            let Some(previous) = previous else {
                let detail = format!("{url} answered 304 Not Modified to a request that was not conditional");
                return (CrawlEvent::Failed { url: url.to_string(), kind: FailureKind::Other, status: Some(304), detail, referrer }, Vec::new(), 0);
            };
            let mut snapshot = previous.snapshot.clone();
            snapshot.headers.extend(headers);
            snapshot.url = url.to_string();
            snapshot.final_url = final_url.clone();
            snapshot.status = 304;
            snapshot.fetched_at = fetched_at;
            snapshot.depth = depth;
            snapshot.body_len = previous.body.len() as u64;
            if lastmod.is_some() {
                snapshot.lastmod = lastmod;
            }
            let links = page_links(&snapshot, &previous.body, kind);
            (CrawlEvent::Page(FetchedPage { snapshot, body: previous.body }), links, 0)
        }
        Fetched::Answer { final_url, status, headers, body } => {
            let bytes = body.len() as u64;
            let snapshot = Snapshot {
                url: url.to_string(),
                final_url,
                status,
                fetched_at,
                hash: blake3::hash(&body).to_hex().to_string(),
                body_len: bytes,
                lastmod,
                depth,
                headers,
            };
            if is_html(&snapshot) && looks_binary(&body, snapshot.header("content-type").unwrap_or("")) {
                let detail = format!("{url} is served as HTML but its body is binary (NUL bytes)");
                return (CrawlEvent::Failed { url: url.to_string(), kind: FailureKind::Unreadable, status: Some(status), detail, referrer }, Vec::new(), bytes);
            }
            let links = page_links(&snapshot, &body, kind);
            (CrawlEvent::Page(FetchedPage { snapshot, body }), links, bytes)
        }
        Fetched::Refused { url: refused, kind, detail } => (CrawlEvent::Refused { url: refused, kind, detail }, Vec::new(), 0),
        Fetched::Failed { kind, status, detail, bytes } => (CrawlEvent::Failed { url: url.to_string(), kind, status, detail, referrer }, Vec::new(), bytes),
    }
}

fn is_html(snapshot: &Snapshot) -> bool {
    let content_type = snapshot.header("content-type").unwrap_or("").to_ascii_lowercase();
    content_type.is_empty() || content_type.starts_with("text/html") || content_type.starts_with("application/xhtml")
}

/// A body with NUL bytes near its start is not text, unless it is UTF-16 (a byte-order mark or
/// a declared charset), where every other byte of ASCII is NUL.
fn looks_binary(body: &[u8], content_type: &str) -> bool {
    if body.starts_with(&[0xff, 0xfe]) || body.starts_with(&[0xfe, 0xff]) || content_type.to_ascii_lowercase().contains("utf-16") {
        return false;
    }
    body[..body.len().min(8192)].contains(&0)
}

/// The links to consider from a page: those of an HTML page (its canonical URL included);
/// documents are not followed.
fn page_links(snapshot: &Snapshot, body: &[u8], kind: LinkKind) -> Vec<String> {
    if kind == LinkKind::Document || !is_html(snapshot) {
        return Vec::new();
    }
    let found = links(body, &snapshot.final_url);
    let mut follow = found.follow;
    follow.extend(found.canonical);
    follow
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_html_is_told_from_utf16() {
        assert!(looks_binary(b"<html>\0\0\x01", "text/html"));
        assert!(!looks_binary(b"\xff\xfe<\0h\0", "text/html"));
        assert!(!looks_binary(b"<\0h\0", "text/html; charset=UTF-16LE"));
        assert!(!looks_binary(b"<html>", "text/html"));
    }

    #[test]
    fn no_seed_is_an_error() {
        let result = crawl(&["mailto:x@y".to_string()], &CrawlOptions::default(), &|_| None, &mut |_| {}, &mut |_| {});
        assert!(matches!(result, Err(CrawlError::NoSeed(_))));
    }
}
