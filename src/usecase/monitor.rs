//! Monitoring institutions' websites: the institutions watched, and a run: crawl (or read a
//! mirror or a WARC file), keep every page as a snapshot, read each page's text and language,
//! pair the language versions of each document, audit every group with the institution's
//! required languages, and publish the run with its score.
//!
//! The crawler, the page reader and the pairing are reached through [`Steps`], so that a run
//! can be fed recorded events and hand-made groups; [`steps`] gives the real ones:
//! `monitor::crawl`, `monitor::page` and `monitor::pair`.
//!
//! Deliberately not here: fetching, reading HTML or PDF, pairing heuristics (`monitor`), the
//! score and the report (`monitor::report`), progress bars and exit codes (the front ends).

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::UseCaseError;
use crate::audit::{AuditConfig, Version};
use crate::formats::document::Document;
use crate::model::Severity;
use crate::model::lang::{Lang, LangTag, SrScript};
use crate::model::monitor::{
    CrawlEvent, FailureKind, FetchedPage, Institution, PageDates, PageGroup, RefusalKind, RunDocument, RunFinding, RunRecord, Snapshot,
};
use crate::monitor::report;
use crate::problem::{Classify, ErrorClass};
use crate::store::{FirstSeen, PageNote, Removed, Store};

/// Why a monitoring use case refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum MonitorError {
    /// No institution has this id.
    #[error("no institution with id {id}")]
    UnknownInstitution {
        /// The id asked for.
        id: String,
    },
    /// The municipality is not one of Kosovo's 38.
    #[error("unknown municipality {name:?}; the municipalities are: {}", known.join(", "))]
    UnknownMunicipality {
        /// The name given.
        name: String,
        /// The official Albanian names of the municipalities.
        known: Vec<String>,
    },
    /// An institution id must be short and plain, since it names the institution everywhere.
    #[error("institution id {id:?} is not 1 to 64 lower-case letters, digits, '-', '_', '.' or ':', starting with a letter or digit")]
    InvalidId {
        /// The id given.
        id: String,
    },
    /// A start address is not an http or https URL with a host.
    #[error("{url:?} is not an http or https address")]
    InvalidUrl {
        /// The address given.
        url: String,
    },
    /// An institution needs at least one start address.
    #[error("institution {id} has no start address")]
    NoUrl {
        /// The institution.
        id: String,
    },
    /// The institution has no finished run with this id (or none at all).
    #[error("institution {id} has {}", match run { Some(run) => format!("no finished run {run}"), None => "no finished run yet".to_string() })]
    NoRun {
        /// The institution.
        id: String,
        /// The run asked for; `None` for the latest.
        run: Option<u64>,
    },
    /// No check of the audit has this id.
    #[error("unknown check {check:?}; the checks are: {}", known.join(", "))]
    UnknownCheck {
        /// The id given.
        check: String,
        /// The ids of the checks a run's documents are audited with.
        known: Vec<String>,
    },
    /// No preset has this name.
    #[error("unknown preset {name:?}; the presets are: {}", known.join(", "))]
    UnknownPreset {
        /// The name given.
        name: String,
        /// The names of the presets.
        known: Vec<String>,
    },
    /// The shipped institutions could not be read.
    #[error(transparent)]
    Preset(crate::monitor::preset::PresetError),
    /// The evidence package could not be written.
    #[error(transparent)]
    Evidence(#[from] crate::monitor::evidence::EvidenceError),
    /// The crawl could not start or a mirror or WARC file could not be read.
    #[error("the crawl of {institution} could not run: {reason}")]
    Crawl {
        /// The institution.
        institution: String,
        /// Why.
        reason: String,
        /// The class of the crawler's error.
        class: ErrorClass,
    },
}

impl Classify for MonitorError {
    /// An unknown institution or run is not found; a crawl failure, the shipped presets and
    /// the evidence writer say themselves; everything else is the user's input.
    fn class(&self) -> ErrorClass {
        match self {
            MonitorError::UnknownInstitution { .. } | MonitorError::NoRun { .. } => ErrorClass::NotFound,
            MonitorError::Crawl { class, .. } => *class,
            MonitorError::Preset(err) => err.class(),
            MonitorError::Evidence(err) => err.class(),
            _ => ErrorClass::Input,
        }
    }
}

/// Seconds since the epoch, now.
fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|elapsed| elapsed.as_secs()).unwrap_or(0)
}

pub use crate::monitor::pair::required_languages;

/// The official Albanian name of a municipality given in any language or form.
pub fn resolve_municipality(name: &str) -> Result<String, MonitorError> {
    let places = crate::audit::resources().places;
    match places.municipality_named(name) {
        Some(idx) => Ok(places.place(idx).sq.clone()),
        None => {
            let mut known: Vec<String> = places.places().iter().filter(|place| place.municipality).map(|place| place.sq.clone()).collect();
            known.sort();
            Err(MonitorError::UnknownMunicipality { name: name.to_string(), known })
        }
    }
}

/// Whether `id` may name an institution. ':' is allowed so that the shipped institutions keep
/// their gazetteer ids (`mun:kline`, `central:assembly`).
fn valid_id(id: &str) -> bool {
    let first_ok = id.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    first_ok && id.len() <= 64 && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.' | ':'))
}

fn valid_url(url: &str) -> bool {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|rest| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty() && !host.contains(char::is_whitespace)
    }) && !url.contains(char::is_control)
}

/// What `monitor add` is given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewInstitution {
    pub id: String,
    pub urls: Vec<String>,
    /// Defaults to the id.
    pub name: Option<String>,
    /// A municipality's name in any language; `None` for a central institution.
    pub municipality: Option<String>,
    /// Where the address was found.
    pub source: Option<String>,
}

/// The outcome of adding an institution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Added {
    pub institution: Institution,
    /// Languages its documents need.
    pub required: Vec<Lang>,
    /// True when an institution with this id was replaced.
    pub replaced: bool,
}

/// Adds (or replaces) an institution, its municipality resolved to the official name.
pub fn add_institution(store: &Store, new: &NewInstitution) -> Result<Added, UseCaseError> {
    let institution = checked(new)?;
    let replaced = store.put_institution(&institution)?;
    let required = required_languages(institution.municipality.as_deref());
    Ok(Added { institution, required, replaced })
}

/// The institution `new` describes, checked, with its municipality's official name.
fn checked(new: &NewInstitution) -> Result<Institution, UseCaseError> {
    if !valid_id(&new.id) {
        return Err(MonitorError::InvalidId { id: new.id.clone() }.into());
    }
    if new.urls.is_empty() {
        return Err(MonitorError::NoUrl { id: new.id.clone() }.into());
    }
    if let Some(url) = new.urls.iter().find(|url| !valid_url(url)) {
        return Err(MonitorError::InvalidUrl { url: url.clone() }.into());
    }
    let municipality = new.municipality.as_deref().map(resolve_municipality).transpose()?;
    Ok(Institution {
        id: new.id.clone(),
        name: new.name.clone().unwrap_or_else(|| new.id.clone()),
        municipality,
        urls: new.urls.clone(),
        source: new.source.clone(),
        added: now(),
    })
}

/// An institution by id, or [`MonitorError::UnknownInstitution`].
pub fn institution(store: &Store, id: &str) -> Result<Institution, UseCaseError> {
    store.institution(id)?.ok_or_else(|| MonitorError::UnknownInstitution { id: id.to_string() }.into())
}

/// An institution in a listing, with its last run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Listed {
    #[serde(flatten)]
    pub institution: Institution,
    pub runs: usize,
    pub last_run: Option<u64>,
    pub last_score: Option<f64>,
}

/// Every institution with the number of its runs and its last score.
pub fn list_institutions(store: &Store) -> Result<Vec<Listed>, UseCaseError> {
    let mut listed = Vec::new();
    for institution in store.institutions()? {
        let runs = store.run_ids(&institution.id)?;
        let last = match runs.last() {
            Some(&run) => store.run_record(&institution.id, run)?,
            None => None,
        };
        listed.push(Listed { runs: runs.len(), last_run: last.as_ref().map(|run| run.id), last_score: last.map(|run| run.score), institution });
    }
    Ok(listed)
}

/// Removes an institution with its runs and snapshots.
pub fn remove_institution(store: &Store, id: &str) -> Result<Removed, UseCaseError> {
    store.remove_institution(id)?.ok_or_else(|| MonitorError::UnknownInstitution { id: id.to_string() }.into())
}

/// The report of an institution's run (the latest with `None`), compared with the run
/// before it; `None` when the institution has no such run.
pub fn report(store: &Store, id: &str, run: Option<u64>) -> Result<Option<report::MonitorReport>, UseCaseError> {
    let institution = institution(store, id)?;
    let (current, previous) = store.run_and_previous(id, run)?;
    Ok(current.map(|current| report::report(&institution, &current, previous.as_ref())))
}

/// What [`add_preset`] did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PresetAdded {
    /// The preset's name.
    pub preset: String,
    /// Every institution added or replaced, in the file's order.
    pub added: Vec<Added>,
    /// The rows left out because no source gave their address.
    pub skipped: Vec<PresetSkipped>,
}

/// A row of a preset left out for want of a sourced address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PresetSkipped {
    pub id: String,
    /// Its Albanian name.
    pub name: String,
    /// What was looked for, from the file.
    pub note: String,
}

/// Adds (or replaces) every institution of the shipped preset `name` that has a sourced
/// address, each with that source; the rows without one are listed, never guessed. Running it
/// again replaces the same ids; an institution's runs are kept when it is replaced. Every row
/// is checked first, then all are written in one batch: all or none.
///
/// The addresses are the shipped file's, not a caller's: the service's address guard is for
/// addresses others submit, and the crawler checks every address it fetches anyway.
pub fn add_preset(store: &Store, name: &str) -> Result<PresetAdded, UseCaseError> {
    use crate::monitor::preset::{self, PresetError};
    let selection = preset::preset_selection(name).map_err(|err| match err {
        PresetError::Unknown { name } => MonitorError::UnknownPreset { name, known: preset::PRESETS.iter().map(|(name, _)| name.to_string()).collect() },
        other => MonitorError::Preset(other),
    })?;
    let institutions = selection
        .institutions
        .into_iter()
        .map(|institution| {
            checked(&NewInstitution {
                id: institution.id,
                urls: institution.urls,
                name: Some(institution.name),
                municipality: institution.municipality,
                source: institution.source,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let replaced = store.put_institutions(&institutions)?;
    let added = institutions
        .into_iter()
        .zip(replaced)
        .map(|(institution, replaced)| Added { required: required_languages(institution.municipality.as_deref()), institution, replaced })
        .collect();
    let skipped = selection.skipped.into_iter().map(|row| PresetSkipped { id: row.id, name: row.name_sq, note: row.note }).collect();
    Ok(PresetAdded { preset: name.to_string(), added, skipped })
}

/// What [`evidence`] wrote.
#[derive(Debug, Clone)]
pub struct EvidenceWritten {
    /// The run the package documents.
    pub run: u64,
    /// The package's manifest.
    pub manifest: crate::monitor::evidence::Manifest,
}

/// The ids of the checks a run's documents are audited with, in registry order.
pub fn document_check_ids() -> Vec<String> {
    use crate::audit::checks::{REGISTRY, Scope};
    REGISTRY.iter().filter(|check| check.scope() != Scope::Sign).map(|check| check.id().to_string()).collect()
}

/// Writes the evidence package of run `run` of institution `id` (the latest with `None`) into
/// `out`: the report (JSON and HTML), the snapshots of the pages the findings rest on and the
/// manifest (`monitor::evidence`). With `check`, only that check's findings and the pages they
/// rest on. An unknown institution, run or check is refused before anything is written.
pub fn evidence<W: std::io::Write + std::io::Seek>(
    store: &Store,
    id: &str,
    run: Option<u64>,
    check: Option<&str>,
    out: W,
) -> Result<EvidenceWritten, UseCaseError> {
    use crate::monitor::evidence;
    let institution = institution(store, id)?;
    if let Some(check) = check {
        let known = document_check_ids();
        if !known.iter().any(|known| known == check) {
            return Err(MonitorError::UnknownCheck { check: check.to_string(), known }.into());
        }
    }
    let mut report = report(store, id, run)?.ok_or_else(|| MonitorError::NoRun { id: id.to_string(), run })?;
    if let Some(check) = check {
        for document in &mut report.documents {
            document.findings.retain(|finding| finding.check == check);
        }
        report.documents.retain(|document| !document.findings.is_empty());
        report.findings_by_check.retain(|found, _| found == check);
    }
    let cited: std::collections::BTreeSet<&str> = report
        .documents
        .iter()
        .flat_map(|document| document.urls.values().chain(document.findings.iter().map(|finding| &finding.url)))
        .map(String::as_str)
        .collect();
    let snapshots: Vec<Snapshot> = store
        .snapshots(id, report.run.id)?
        .into_iter()
        .filter(|snapshot| cited.contains(snapshot.url.as_str()) || cited.contains(snapshot.final_url.as_str()))
        .collect();
    let mut bodies = Vec::with_capacity(snapshots.len());
    for snapshot in &snapshots {
        match store.snapshot_body(&snapshot.hash)? {
            Some(body) => bodies.push(body),
            None => return Err(crate::store::StoreError::Corrupt(format!("the body {} of {} is not stored", snapshot.hash, snapshot.url)).into()),
        }
    }
    let report_json = report::render_json(&report);
    let report_html = report::render_html(&report);
    let input = evidence::EvidenceInput {
        institution: &institution,
        run: evidence::RunRef { id: report.run.id, started: report.run.started, finished: report.run.finished },
        check,
        report_json: report_json.as_bytes(),
        report_html: &report_html,
        snapshots: snapshots.iter().zip(&bodies).map(|(snapshot, body)| (snapshot, body.as_slice())).collect(),
        created: now(),
    };
    let manifest = evidence::write_package(out, &input).map_err(MonitorError::from)?;
    Ok(EvidenceWritten { run: report.run.id, manifest })
}

/// One page as read for a run.
#[derive(Debug, Clone)]
pub struct Page {
    /// The URL it was requested as.
    pub url: String,
    /// Its language as detected from its text (Serbian with its script).
    pub tag: Option<LangTag>,
    /// Its text, for the audit (path = the URL); `None` for a page unchanged since the run
    /// before, restored from what was read then ([`Steps::restore`]): its text is read again
    /// only when its document must be audited again.
    pub document: Option<Document>,
    /// `hreflang` alternates: (language, URL).
    pub alternates: Vec<(String, String)>,
    /// Language-switcher links: (label or `lang` attribute, URL).
    pub switchers: Vec<(String, String)>,
    /// Mostly links (an index, a menu, a language chooser): followed, not a document.
    pub listing: bool,
}

/// The last snapshot and body of a URL in a finished run, for conditional requests.
pub type PreviousLookup<'a> = dyn Fn(&str) -> Option<(Snapshot, Vec<u8>)> + Sync + 'a;

/// What a run asks of the crawler, the page reader and the pairing.
pub trait Steps {
    /// Emits the crawl's events (pages, refusals, failures) into `sink`, given the last
    /// snapshot and body of a URL for conditional requests; `fetched(n)` after each page.
    /// `Err` only when the whole crawl cannot run: (reason, class).
    fn crawl(
        &self,
        seeds: &[String],
        previous: &PreviousLookup,
        sink: &mut dyn FnMut(CrawlEvent),
        fetched: &mut dyn FnMut(usize),
    ) -> Result<(), (String, ErrorClass)>;

    /// Reads a fetched page's text and language; `Err` with the reason when it cannot.
    fn read_page(&self, page: &FetchedPage) -> Result<Page, String>;

    /// Groups the pages into documents, every page in exactly one group.
    fn pair(&self, pages: &[Page]) -> Vec<PageGroup>;

    /// What of a page read is worth keeping for the next run, so that the page is not read
    /// again while its body stays the same (`None`: nothing is kept).
    fn keep(&self, _page: &Page) -> Option<Vec<u8>> {
        None
    }

    /// The page as `keep` kept it, without its document (`None` when the reading cannot be
    /// used: then the page is read again).
    fn restore(&self, _kept: &[u8]) -> Option<Page> {
        None
    }
}

/// Where a run reads the site from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The institution's websites, crawled.
    Live(LiveOptions),
    /// A wget or HTTrack mirror directory (`DIR/host/path`).
    Dir(std::path::PathBuf),
    /// A WARC file.
    Warc(std::path::PathBuf),
}

/// What a live crawl may change from the crawler's defaults.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LiveOptions {
    pub max_pages: Option<usize>,
    pub max_depth: Option<u32>,
    pub delay_ms: Option<u64>,
    /// A contact URL the user agent names.
    pub contact: Option<String>,
    /// Whether loopback, private and link-local addresses may be crawled (the command line's
    /// own choice; a service allows them only when started to).
    pub allow_private: bool,
    /// CA certificates (PEM files) trusted for https besides the system's.
    pub extra_ca: Vec<std::path::PathBuf>,
}

/// The steps of a real run from `source`: `monitor::crawl` (or its mirror and WARC readers),
/// `monitor::page::read_page` with the crawl's link reader, `monitor::pair::pair`.
pub fn steps(source: Source) -> Box<dyn Steps> {
    Box::new(Real { source, infos: std::sync::Mutex::new(HashMap::new()) })
}

/// The monitor's own crawler, reader and pairing.
struct Real {
    source: Source,
    /// What pairing compares of each page read, by its URL.
    infos: std::sync::Mutex<HashMap<String, crate::monitor::page::PageInfo>>,
}

fn crawl_class(err: &crate::monitor::crawl::CrawlError) -> ErrorClass {
    match err {
        crate::monitor::crawl::CrawlError::Client(_) => ErrorClass::Internal,
        _ => ErrorClass::Input,
    }
}

impl Steps for Real {
    fn crawl(
        &self,
        seeds: &[String],
        previous: &PreviousLookup,
        sink: &mut dyn FnMut(CrawlEvent),
        fetched: &mut dyn FnMut(usize),
    ) -> Result<(), (String, ErrorClass)> {
        use crate::monitor::crawl::{self, CrawlOptions, Previous};
        let mut pages = 0;
        let mut counting = |event: CrawlEvent| {
            if matches!(event, CrawlEvent::Page(_)) {
                pages += 1;
                fetched(pages);
            }
            sink(event);
        };
        let outcome = match &self.source {
            Source::Live(live) => {
                let defaults = CrawlOptions::default();
                let options = CrawlOptions {
                    max_pages: live.max_pages.unwrap_or(defaults.max_pages),
                    max_depth: live.max_depth.unwrap_or(defaults.max_depth),
                    delay_ms: live.delay_ms.unwrap_or(defaults.delay_ms),
                    contact: live.contact.clone(),
                    allow_private: live.allow_private,
                    extra_ca: live.extra_ca.clone(),
                    ..defaults
                };
                let previous = |url: &str| {
                    previous(url).map(|(snapshot, body)| Previous {
                        etag: snapshot.header("etag").map(str::to_string),
                        last_modified: snapshot.header("last-modified").map(str::to_string),
                        body,
                        snapshot,
                    })
                };
                crawl::crawl(seeds, &options, &previous, &mut counting, &mut |_| {})
            }
            Source::Dir(dir) => crawl::read_dir(dir, &mut counting),
            Source::Warc(path) => crawl::read_warc(path, &mut counting),
        };
        outcome.map(|_| ()).map_err(|err| (err.to_string(), crawl_class(&err)))
    }

    fn read_page(&self, page: &FetchedPage) -> Result<Page, String> {
        let base = if page.snapshot.final_url.is_empty() { &page.snapshot.url } else { &page.snapshot.final_url };
        let links = crate::monitor::crawl::links(&page.body, base);
        let text = crate::monitor::page::read_page(page, links.alternates, links.switchers, links.follow).map_err(|err| err.to_string())?;
        let read = page_of(&text.info, Some(text.document));
        if let Ok(mut infos) = self.infos.lock() {
            infos.insert(read.url.clone(), text.info);
        }
        Ok(read)
    }

    fn keep(&self, page: &Page) -> Option<Vec<u8>> {
        let infos = self.infos.lock().ok()?;
        let kept = Kept { reader: READER_VERSION.to_string(), info: infos.get(&page.url)?.clone() };
        serde_json::to_vec(&kept).ok()
    }

    fn restore(&self, kept: &[u8]) -> Option<Page> {
        let kept: Kept = serde_json::from_slice(kept).ok()?;
        if kept.reader != READER_VERSION {
            return None;
        }
        let page = page_of(&kept.info, None);
        self.infos.lock().ok()?.insert(page.url.clone(), kept.info);
        Some(page)
    }

    fn pair(&self, pages: &[Page]) -> Vec<PageGroup> {
        let infos: Vec<crate::monitor::page::PageInfo> = match self.infos.lock() {
            Ok(infos) => pages.iter().filter_map(|page| infos.get(&page.url).cloned()).collect(),
            Err(_) => Vec::new(),
        };
        crate::monitor::pair::pair(&infos)
    }
}

/// What reads pages: a page read by another version is read again.
const READER_VERSION: &str = env!("CARGO_PKG_VERSION");

/// What is kept of a page read, for the next run.
#[derive(serde::Serialize, serde::Deserialize)]
struct Kept {
    reader: String,
    info: crate::monitor::page::PageInfo,
}

fn page_of(info: &crate::monitor::page::PageInfo, document: Option<Document>) -> Page {
    Page { url: info.url.clone(), tag: info.tag, document, alternates: info.alternates.clone(), switchers: info.switchers.clone(), listing: info.listing }
}

/// How far a run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunProgress {
    /// Pages fetched so far.
    Crawling { pages: usize },
    /// Documents audited of all.
    Auditing { done: usize, total: usize },
}

/// Options of a run.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// The audit policy every document is audited under.
    pub audit: AuditConfig,
    /// Sets how many runs an institution keeps (the store's setting stays for later runs).
    pub keep_runs: Option<usize>,
}

/// What a run did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunOutcome {
    pub institution: String,
    pub run: u64,
    pub score: f64,
    pub pages_fetched: usize,
    pub pages_not_modified: usize,
    pub pages_refused: usize,
    pub pages_failed: usize,
    pub pages_unreadable: usize,
    pub documents: usize,
    /// Documents lacking a required version.
    pub documents_missing_versions: usize,
    pub findings: usize,
    /// Pages that are mostly links: followed, not audited.
    pub pages_listing: usize,
    /// Documents unchanged since the run before, whose findings were carried over.
    pub documents_reused: usize,
    /// Old runs, snapshots and bodies removed by the retention.
    pub removed: Removed,
}

/// A failed request that may be a counterpart link.
struct DeadLink {
    url: String,
    status: Option<u16>,
}

/// What the crawl's sink collects.
#[derive(Default)]
struct Collected {
    pages: Vec<Page>,
    snapshots: HashMap<String, Snapshot>,
    dead: Vec<DeadLink>,
    fetched: usize,
    not_modified: usize,
    refused: usize,
    refusals: BTreeMap<RefusalKind, usize>,
    failures: BTreeMap<FailureKind, usize>,
    unreadable: usize,
    store_error: Option<crate::store::StoreError>,
    /// The BLAKE3 hash of each page's body, by the page's URL.
    hashes: HashMap<String, String>,
}

/// Runs a monitoring run of institution `id` and publishes it (see the module documentation).
pub fn run(store: &Store, id: &str, options: &RunOptions, steps: &dyn Steps, progress: &mut dyn FnMut(RunProgress)) -> Result<RunOutcome, UseCaseError> {
    let institution = institution(store, id)?;
    if let Some(keep) = options.keep_runs {
        store.set_keep_runs(keep)?;
    }
    let required = required_languages(institution.municipality.as_deref());
    let started = now();
    let run = store.begin_run(id)?;
    let clock = std::time::Instant::now();
    let collected = match crawl(store, &institution, run, steps, progress) {
        Ok(collected) => collected,
        Err(err) => {
            // Nothing of a run that failed is kept; a failure to drop it leaves it to the next open.
            if let Err(drop_err) = store.abandon_run(id, run) {
                tracing::warn!(run, "cannot drop the failed run: {drop_err}");
            }
            return Err(err);
        }
    };
    tracing::debug!(elapsed_ms = clock.elapsed().as_millis() as u64, pages = collected.pages.len(), "crawled and read");
    let key = audit_key(&options.audit, store);
    let audited = audit_groups(&institution, &required, &options.audit, &key, steps, &collected, store, progress)?;
    tracing::debug!(elapsed_ms = clock.elapsed().as_millis() as u64, reused = audited.reused, "paired and audited");
    let documents = audited.documents;
    let record = RunRecord {
        id: run,
        institution: id.to_string(),
        started,
        finished: now(),
        required: required.iter().map(|lang| lang.code().to_string()).collect(),
        pages_fetched: collected.fetched,
        pages_not_modified: collected.not_modified,
        pages_refused: collected.refused,
        refusals: collected.refusals.clone(),
        failures: collected.failures.clone(),
        pages_unreadable: collected.unreadable,
        pages_listing: audited.listing,
        documents_reused: audited.reused,
        audit_key: key,
        findings_by_check: report::findings_by_check(&documents),
        score: report::score(&documents),
        documents,
    };
    let removed = store.finish_run(&record, &audited.first_seen)?;
    tracing::debug!(elapsed_ms = clock.elapsed().as_millis() as u64, "kept");
    Ok(RunOutcome {
        institution: id.to_string(),
        run,
        score: record.score,
        pages_fetched: record.pages_fetched,
        pages_not_modified: record.pages_not_modified,
        pages_refused: record.pages_refused,
        pages_failed: record.failures.values().sum(),
        pages_unreadable: record.pages_unreadable,
        documents: record.documents.len(),
        documents_missing_versions: record.documents.iter().filter(|doc| !doc.missing.is_empty()).count(),
        pages_listing: record.pages_listing,
        documents_reused: record.documents_reused,
        findings: record.findings_by_check.values().sum(),
        removed,
    })
}

/// Crawls and keeps every page's snapshot as it arrives.
fn crawl(store: &Store, institution: &Institution, run: u64, steps: &dyn Steps, progress: &mut dyn FnMut(RunProgress)) -> Result<Collected, UseCaseError> {
    let id = institution.id.as_str();
    let previous = |url: &str| match store.previous_snapshot(id, url) {
        Ok(found) => found,
        Err(err) => {
            tracing::warn!(url, "cannot read the last snapshot: {err}");
            None
        }
    };
    let mut collected = Collected::default();
    let mut sink = |event: CrawlEvent| match event {
        CrawlEvent::Page(mut page) => {
            if collected.store_error.is_some() {
                return;
            }
            collected.fetched += 1;
            if page.snapshot.status == 304 {
                collected.not_modified += 1;
                if page.body.is_empty()
                    && let Some((_, body)) = previous(&page.snapshot.url)
                {
                    page.body = body;
                }
            }
            let hash = match store.put_snapshot(id, run, &page.snapshot, &page.body) {
                Ok(hash) => hash,
                Err(err) => {
                    collected.store_error = Some(err);
                    return;
                }
            };
            match read_or_restore(store, id, steps, &page, &hash) {
                Ok(read) => {
                    collected.hashes.insert(read.url.clone(), hash);
                    collected.pages.push(read);
                }
                Err(reason) => {
                    tracing::info!(url = page.snapshot.url, "page not read: {reason}");
                    collected.unreadable += 1;
                }
            }
            // Groups name a page by its address after redirects.
            if !page.snapshot.final_url.is_empty() && page.snapshot.final_url != page.snapshot.url {
                collected.snapshots.insert(page.snapshot.final_url.clone(), page.snapshot.clone());
            }
            collected.snapshots.insert(page.snapshot.url.clone(), page.snapshot);
        }
        CrawlEvent::Refused { kind, .. } => {
            collected.refused += 1;
            *collected.refusals.entry(kind).or_insert(0) += 1;
        }
        CrawlEvent::Failed { url, kind, status, .. } => {
            *collected.failures.entry(kind).or_insert(0) += 1;
            collected.dead.push(DeadLink { url, status });
        }
    };
    let mut fetched = |pages: usize| progress(RunProgress::Crawling { pages });
    let outcome = steps.crawl(&institution.urls, &previous, &mut sink, &mut fetched);
    if let Some(err) = collected.store_error.take() {
        return Err(err.into());
    }
    outcome.map_err(|(reason, class)| MonitorError::Crawl { institution: id.to_string(), reason, class })?;
    Ok(collected)
}

/// A page restored from what was read of it last, when its body has not changed since;
/// else read, and what was read kept for the next run.
fn read_or_restore(store: &Store, id: &str, steps: &dyn Steps, page: &FetchedPage, hash: &str) -> Result<Page, String> {
    let url = &page.snapshot.url;
    match store.page_note(id, url) {
        Ok(Some(note)) if note.hash == hash => {
            if let Some(restored) = steps.restore(&note.reading) {
                return Ok(restored);
            }
        }
        Ok(_) => {}
        Err(err) => tracing::warn!(url, "cannot read what was read of the page last: {err}"),
    }
    let read = steps.read_page(page)?;
    if let Some(reading) = steps.keep(&read)
        && let Err(err) = store.put_page_note(id, url, &PageNote { hash: hash.to_string(), reading })
    {
        tracing::warn!(url, "cannot keep what was read of the page: {err}");
    }
    Ok(read)
}

/// What auditing the groups gave.
struct Audited {
    documents: Vec<RunDocument>,
    /// URLs first seen in this run.
    first_seen: Vec<(String, FirstSeen)>,
    /// Pages of groups that are all listings.
    listing: usize,
    /// Documents carried over from the run before.
    reused: usize,
}

/// What a run's audit depends on besides its pages: termbridge's version, the audit policy,
/// the dictionaries' files and, when the policy reads it, the translation memory's write
/// generation. Documents are carried over only between runs with the same key.
fn audit_key(config: &AuditConfig, store: &Store) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    hasher.update(format!("{config:?}").as_bytes());
    let dir = config.dict_dir.clone().unwrap_or_else(|| crate::lexicon::Lexicon::system().dir().to_path_buf());
    if let Ok(entries) = std::fs::read_dir(&dir) {
        let mut files: Vec<String> = entries
            .filter_map(Result::ok)
            .filter_map(|entry| {
                let meta = entry.metadata().ok()?;
                let modified = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
                Some(format!("{}:{}:{modified}", entry.file_name().to_string_lossy(), meta.len()))
            })
            .collect();
        files.sort();
        hasher.update(files.join("\n").as_bytes());
    }
    if config.translation_memory {
        hasher.update(&store.generation().unwrap_or(0).to_be_bytes());
    }
    hasher.finalize().to_hex()[..16].to_string()
}

/// Audits every group and turns it into the run's documents, with the URLs first seen in
/// this run. A group whose pages are all listings is no document. A group whose pages have
/// not changed since the run before, whose audit had the same key, carries that run's audit
/// findings over (its missing versions and dates are worked out again).
#[allow(clippy::too_many_arguments)]
fn audit_groups(
    institution: &Institution,
    required: &[Lang],
    config: &AuditConfig,
    key: &str,
    steps: &dyn Steps,
    collected: &Collected,
    store: &Store,
    progress: &mut dyn FnMut(RunProgress),
) -> Result<Audited, UseCaseError> {
    let clock = std::time::Instant::now();
    let groups = steps.pair(&collected.pages);
    tracing::debug!(elapsed_ms = clock.elapsed().as_millis() as u64, groups = groups.len(), "paired");
    let by_url: HashMap<&str, &Page> = collected.pages.iter().map(|page| (page.url.as_str(), page)).collect();
    let dead: HashMap<&str, &DeadLink> = collected.dead.iter().filter(|link| link.status == Some(404)).map(|link| (link.url.as_str(), link)).collect();
    let seen_before = store.first_seen(&institution.id)?;
    let last = store.run_and_previous(&institution.id, None)?.0.filter(|last| last.audit_key == key);
    let before: HashMap<&BTreeMap<String, String>, &RunDocument> = last.iter().flat_map(|last| &last.documents).map(|doc| (&doc.urls, doc)).collect();
    let mut audited = Audited { documents: Vec::with_capacity(groups.len()), first_seen: Vec::new(), listing: 0, reused: 0 };
    // Loaded on the first document audited: a run that carries every document over needs none.
    let mut resources = None;
    for (done, group) in groups.iter().enumerate() {
        progress(RunProgress::Auditing { done, total: groups.len() });
        let pages: Vec<(&String, &String, &Page)> = group.urls.iter().filter_map(|(lang, url)| Some((lang, url, *by_url.get(url.as_str())?))).collect();
        if !pages.is_empty() && pages.iter().all(|(_, _, page)| page.listing) {
            audited.listing += pages.len();
            continue;
        }
        let mut dates = BTreeMap::new();
        for (lang, url, _) in &pages {
            let snapshot = collected.snapshots.get(*url);
            let seen = match seen_before.get(*url) {
                Some(seen) => seen.at,
                None => {
                    let at = snapshot.map_or_else(now, |snapshot| snapshot.fetched_at);
                    audited.first_seen.push(((*url).clone(), FirstSeen { at, lang: Some((*lang).clone()) }));
                    at
                }
            };
            dates.insert(
                (*lang).clone(),
                PageDates {
                    first_seen: seen,
                    last_modified: snapshot.and_then(|snapshot| snapshot.header("last-modified")).map(str::to_string),
                    lastmod: snapshot.and_then(|snapshot| snapshot.lastmod.clone()),
                },
            );
        }
        let original_url = group.urls.get("sq").or_else(|| group.urls.values().next()).cloned().unwrap_or_default();
        let unchanged = pages.len() == group.urls.len() && pages.iter().all(|(_, _, page)| page.document.is_none());
        let (mut findings, mut script) = match before.get(&group.urls).filter(|_| unchanged) {
            Some(doc) => {
                audited.reused += 1;
                (doc.findings.iter().filter(|finding| finding.check != "missing-version").cloned().collect(), doc.script.clone())
            }
            None => {
                let resources = resources.get_or_insert_with(|| crate::audit::input::resources_for(config));
                audit_group(institution, config, resources, group, &pages, &original_url, collected, store, steps)
            }
        };
        if !script.contains_key("sr")
            && let Some(tag) = group.tags.get("sr").filter(|tag| tag.script.is_some())
        {
            script.insert("sr".to_string(), if tag.script == Some(SrScript::Cyrl) { "Cyrl" } else { "Latn" }.to_string());
        }
        let missing: Vec<Lang> = required.iter().copied().filter(|lang| !group.urls.contains_key(lang.code())).collect();
        let mut missing_findings = missing_versions(&missing, group, &by_url, &dead, &original_url, institution, config);
        missing_findings.append(&mut findings);
        audited.documents.push(RunDocument {
            urls: group.urls.clone(),
            missing: missing.iter().map(|lang| lang.code().to_string()).collect(),
            script,
            method: group.method,
            confidence: group.confidence,
            findings: missing_findings,
            dates,
        });
    }
    progress(RunProgress::Auditing { done: groups.len(), total: groups.len() });
    Ok(audited)
}

/// The audit findings (all but missing versions) of a group's pages and the script of its
/// Serbian version. A page restored without its text is read again from its stored body.
#[allow(clippy::too_many_arguments)]
fn audit_group(
    institution: &Institution,
    config: &AuditConfig,
    resources: &crate::audit::Resources,
    group: &PageGroup,
    pages: &[(&String, &String, &Page)],
    original_url: &str,
    collected: &Collected,
    store: &Store,
    steps: &dyn Steps,
) -> (Vec<RunFinding>, BTreeMap<String, String>) {
    let mut versions = Vec::new();
    for (lang, url, page) in pages {
        let tag =
            group.tags.get(*lang).copied().or(page.tag).unwrap_or(LangTag { lang: LangTag::parse(lang).map(|tag| tag.lang).unwrap_or(Lang::Sq), script: None });
        let document = match &page.document {
            Some(document) => document.clone(),
            None => match read_again(url, collected, store, steps) {
                Ok(document) => document,
                Err(reason) => {
                    tracing::warn!(url, "page not read again: {reason}");
                    continue;
                }
            },
        };
        versions.push(Version { tag, document });
    }
    let mut findings = Vec::new();
    let mut script = BTreeMap::new();
    if versions.is_empty() {
        return (findings, script);
    }
    match crate::audit::audit(&versions, institution.municipality.as_deref(), config, resources) {
        Ok(audit) => {
            for info in audit.documents.iter().filter(|info| info.lang == "sr") {
                if matches!(info.script.as_str(), "Cyrl" | "Latn") {
                    script.insert("sr".to_string(), info.script.clone());
                }
            }
            for finding in audit.findings.into_iter().filter(|finding| finding.check != "missing-version") {
                let url = group.urls.get(&finding.lang).cloned().unwrap_or_else(|| original_url.to_string());
                findings.push(RunFinding {
                    check: finding.check,
                    severity: finding.severity,
                    lang: finding.lang,
                    url,
                    line: finding.line,
                    message: finding.message,
                    excerpt: finding.excerpt,
                    suggestion: finding.suggestion,
                });
            }
        }
        Err(err) => tracing::warn!(url = original_url, "document not audited: {err}"),
    }
    (findings, script)
}

/// The text of a page restored without it, read again from the body this run stored.
fn read_again(url: &str, collected: &Collected, store: &Store, steps: &dyn Steps) -> Result<Document, String> {
    let hash = collected.hashes.get(url).ok_or("no body was kept")?;
    let body = store.snapshot_body(hash).map_err(|err| err.to_string())?.ok_or("no body was kept")?;
    let snapshot = collected.snapshots.get(url).cloned().ok_or("no snapshot was kept")?;
    let page = steps.read_page(&FetchedPage { snapshot, body })?;
    page.document.ok_or_else(|| "the page has no text".to_string())
}

/// The `missing-version` findings of a group: one for each required language without a
/// version, naming the counterpart link that answered 404 when a page of the group has one;
/// and one (a warning) for a counterpart link in a language not required that answered 404.
fn missing_versions(
    missing: &[Lang],
    group: &PageGroup,
    by_url: &HashMap<&str, &Page>,
    dead: &HashMap<&str, &DeadLink>,
    original_url: &str,
    institution: &Institution,
    config: &AuditConfig,
) -> Vec<RunFinding> {
    // Dead counterpart links of the group's pages, by the language they name.
    let mut dead_by_lang: BTreeMap<Option<Lang>, (String, String)> = BTreeMap::new();
    for url in group.urls.values() {
        let Some(page) = by_url.get(url.as_str()) else { continue };
        for (label, target) in page.alternates.iter().chain(&page.switchers) {
            if dead.contains_key(target.as_str()) {
                dead_by_lang.entry(crate::monitor::pair::url::label_lang(label).map(|tag| tag.lang)).or_insert_with(|| (target.clone(), url.clone()));
            }
        }
    }
    if missing.len() == 1
        && !dead_by_lang.contains_key(&Some(missing[0]))
        && let Some(unnamed) = dead_by_lang.remove(&None)
    {
        dead_by_lang.insert(Some(missing[0]), unnamed);
    }
    let municipality = institution.municipality.as_ref().map(|name| format!(" in {name}")).unwrap_or_default();
    let mut findings = Vec::new();
    for lang in missing {
        let community = !matches!(lang, Lang::Sq | Lang::Sr);
        let default = if community { Severity::Warning } else { Severity::Error };
        let Some(severity) = config.severity_of("missing-version", default) else { continue };
        let basis = if community { "Law No. 02/L-37 Art. 2.3" } else { "Law No. 02/L-37 Art. 2" };
        let (url, message) = match dead_by_lang.get(&Some(*lang)) {
            Some((target, from)) => (
                target.clone(),
                format!(
                    "the {} version linked from {from} answers 404; {} is an official language{municipality} ({basis})",
                    lang.english_name(),
                    lang.english_name()
                ),
            ),
            None => (
                original_url.to_string(),
                format!("the {} version is missing; {} is an official language{municipality} ({basis})", lang.english_name(), lang.english_name()),
            ),
        };
        findings.push(RunFinding {
            check: "missing-version".into(),
            severity,
            lang: lang.code().into(),
            url,
            line: 0,
            message,
            excerpt: String::new(),
            suggestion: None,
        });
    }
    for (lang, (target, from)) in &dead_by_lang {
        let Some(lang) = lang else { continue };
        if missing.contains(lang) || group.urls.contains_key(lang.code()) {
            continue;
        }
        let Some(severity) = config.severity_of("missing-version", Severity::Warning) else { continue };
        findings.push(RunFinding {
            check: "missing-version".into(),
            severity: severity.max(Severity::Warning),
            lang: lang.code().into(),
            url: target.clone(),
            line: 0,
            message: format!("the {} version linked from {from} answers 404", lang.english_name()),
            excerpt: String::new(),
            suggestion: None,
        });
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::document::{DocumentFormat, parse_text};
    use crate::model::monitor::PairMethod;

    /// Recorded events, pages read as plain text in the language the URL's first segment
    /// names, and the groups given.
    struct Recorded {
        events: Vec<CrawlEvent>,
        groups: Vec<PageGroup>,
        links: Vec<(String, String, String)>,
    }

    impl Steps for Recorded {
        fn crawl(
            &self,
            _seeds: &[String],
            _previous: &PreviousLookup,
            sink: &mut dyn FnMut(CrawlEvent),
            fetched: &mut dyn FnMut(usize),
        ) -> Result<(), (String, ErrorClass)> {
            for (n, event) in self.events.iter().enumerate() {
                sink(event.clone());
                fetched(n + 1);
            }
            Ok(())
        }

        fn read_page(&self, page: &FetchedPage) -> Result<Page, String> {
            let url = page.snapshot.url.clone();
            let text = String::from_utf8(page.body.clone()).map_err(|err| err.to_string())?;
            let lang = url.split('/').nth(3).unwrap_or("sq");
            let alternates = self.links.iter().filter(|(from, _, _)| *from == url).map(|(_, lang, to)| (lang.clone(), to.clone())).collect();
            Ok(Page {
                tag: LangTag::parse(lang).ok(),
                document: Some(Document::new(url.clone(), DocumentFormat::Text, parse_text(&text))),
                url,
                alternates,
                switchers: Vec::new(),
                listing: false,
            })
        }

        fn pair(&self, _pages: &[Page]) -> Vec<PageGroup> {
            self.groups.clone()
        }
    }

    fn page(url: &str, body: &str) -> CrawlEvent {
        CrawlEvent::Page(FetchedPage {
            snapshot: Snapshot {
                url: url.into(),
                final_url: url.into(),
                status: 200,
                fetched_at: 1_765_000_000,
                headers: BTreeMap::new(),
                hash: String::new(),
                body_len: body.len() as u64,
                lastmod: None,
                depth: 0,
            },
            body: body.as_bytes().to_vec(),
        })
    }

    fn group(urls: &[(&str, &str)]) -> PageGroup {
        PageGroup {
            urls: urls.iter().map(|(lang, url)| (lang.to_string(), url.to_string())).collect(),
            tags: urls.iter().map(|(lang, _)| (lang.to_string(), LangTag::parse(lang).unwrap())).collect(),
            method: (urls.len() > 1).then_some(PairMethod::Hreflang),
            confidence: if urls.len() > 1 { 1.0 } else { 0.0 },
            ..PageGroup::default()
        }
    }

    fn add(store: &Store, id: &str, municipality: Option<&str>) {
        let new = NewInstitution {
            id: id.into(),
            urls: vec![format!("http://127.0.0.1/{id}")],
            municipality: municipality.map(str::to_string),
            ..NewInstitution::default()
        };
        add_institution(store, &new).unwrap();
    }

    fn site() -> Recorded {
        Recorded {
            events: vec![
                page("http://k/sq/lajme", "Komuna: Klinë\nKomuna hap konkurs për mësues të rinj."),
                page("http://k/sr/vesti", "Opština: Klina\nOpština otvara konkurs za nove nastavnike."),
                page("http://k/sq/vendim", "Komuna: Klinë\nVendim për buxhetin e vitit."),
                page("http://k/sq/njoftim", "Komuna: Klinë\nNjoftim për banorët."),
                CrawlEvent::Failed {
                    url: "http://k/sr/obavestenje".into(),
                    kind: FailureKind::Status,
                    status: Some(404),
                    detail: "404".into(),
                    referrer: None,
                },
                CrawlEvent::Refused { url: "http://k/admin".into(), kind: RefusalKind::Robots, detail: "robots.txt".into() },
            ],
            groups: vec![
                group(&[("sq", "http://k/sq/lajme"), ("sr", "http://k/sr/vesti")]),
                group(&[("sq", "http://k/sq/vendim")]),
                group(&[("sq", "http://k/sq/njoftim")]),
            ],
            links: vec![("http://k/sq/njoftim".into(), "sr".into(), "http://k/sr/obavestenje".into())],
        }
    }

    #[test]
    fn institutions_are_validated_and_their_municipality_resolved() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let new = |id: &str, url: &str, municipality: Option<&str>| NewInstitution {
            id: id.into(),
            urls: vec![url.into()],
            municipality: municipality.map(str::to_string),
            ..NewInstitution::default()
        };
        let added = add_institution(&store, &new("prizren", "https://prizren.rks-gov.net/", Some("Prizren"))).unwrap();
        assert_eq!(added.institution.municipality.as_deref(), Some("Prizren"));
        assert!(added.required.contains(&Lang::Tr), "{:?}", added.required);
        let central = add_institution(&store, &new("mpb", "https://mpb.rks-gov.net/", None)).unwrap();
        assert_eq!(central.required, vec![Lang::Sq, Lang::Sr]);
        let err = add_institution(&store, &new("x", "https://x/", Some("Atlantis"))).unwrap_err();
        assert!(matches!(&err, UseCaseError::Monitor(MonitorError::UnknownMunicipality { known, .. }) if known.len() >= 38), "{err}");
        assert_eq!(err.class(), ErrorClass::Input);
        for (id, url) in [("Bad Id", "https://x/"), ("ok", "ftp://x/"), ("ok", "https:///path")] {
            assert_eq!(add_institution(&store, &new(id, url, None)).unwrap_err().class(), ErrorClass::Input, "{id} {url}");
        }
        assert_eq!(remove_institution(&store, "none").unwrap_err().class(), ErrorClass::NotFound);
        assert_eq!(list_institutions(&store).unwrap().len(), 2);
    }

    #[test]
    fn a_run_audits_every_group_and_reports_missing_versions() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        add(&store, "kline", Some("Klinë"));
        let mut seen = Vec::new();
        let outcome = run(&store, "kline", &RunOptions::default(), &site(), &mut |progress| seen.push(progress)).unwrap();
        assert_eq!((outcome.pages_fetched, outcome.pages_refused, outcome.pages_failed, outcome.documents), (4, 1, 1, 3));
        assert_eq!(outcome.documents_missing_versions, 2);
        assert!(seen.contains(&RunProgress::Crawling { pages: 4 }) && seen.contains(&RunProgress::Auditing { done: 3, total: 3 }));
        let first = report(&store, "kline", None).unwrap().expect("a run");
        assert_eq!(first.score, outcome.score);
        assert!(outcome.score < 40.0, "two of three documents lack Serbian: {}", outcome.score);
        let vendim = &first.documents[1];
        assert_eq!(vendim.missing, vec!["sr".to_string()]);
        assert_eq!((vendim.findings[0].check.as_str(), vendim.findings[0].url.as_str()), ("missing-version", "http://k/sq/vendim"));
        let njoftim = &first.documents[2];
        assert_eq!(njoftim.findings[0].url, "http://k/sr/obavestenje", "the dead counterpart link is named");
        assert!(njoftim.findings[0].message.contains("404"), "{}", njoftim.findings[0].message);
        assert_eq!(first.documents[0].script.get("sr").map(String::as_str), Some("Latn"));
        assert_eq!(first.serbian.latin_only_share, 1.0);
        assert!(first.since_previous.is_none());
        assert_eq!(store.snapshots("kline", outcome.run).unwrap().len(), 4);
        assert_eq!(store.first_seen("kline").unwrap().len(), 4);

        // The Serbian counterpart is published: fixed.
        let mut fixed = site();
        fixed.events.push(page("http://k/sr/odluka", "Opština: Klina\nOdluka o budžetu za godinu."));
        fixed.groups[1] = group(&[("sq", "http://k/sq/vendim"), ("sr", "http://k/sr/odluka")]);
        let second = run(&store, "kline", &RunOptions::default(), &fixed, &mut |_| {}).unwrap();
        assert!(second.run > outcome.run && second.score > outcome.score);
        let latest = report(&store, "kline", None).unwrap().unwrap();
        let since = latest.since_previous.expect("compared with the first run");
        assert_eq!(since.previous_run, outcome.run);
        assert!(since.fixed.iter().any(|finding| finding.check == "missing-version" && finding.url == "http://k/sq/vendim"), "{since:?}");
    }

    #[test]
    fn evidence_is_written_for_a_run_and_refuses_what_does_not_exist() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        add(&store, "kline", Some("Klinë"));
        let class = |err: UseCaseError| err.class();
        let mut out = std::io::Cursor::new(Vec::new());
        assert_eq!(class(evidence(&store, "kline", None, None, &mut out).unwrap_err()), ErrorClass::NotFound, "no run yet");
        let outcome = run(&store, "kline", &RunOptions::default(), &site(), &mut |_| {}).unwrap();
        let written = evidence(&store, "kline", None, Some("missing-version"), &mut out).unwrap();
        assert_eq!(written.run, outcome.run);
        let manifest = crate::monitor::evidence::verify(std::io::Cursor::new(out.into_inner())).unwrap();
        assert_eq!((manifest.check.as_deref(), manifest.snapshots.len()), (Some("missing-version"), 2), "the two Albanian-only pages");
        let mut out = std::io::Cursor::new(Vec::new());
        let err = evidence(&store, "kline", None, Some("no-such-check"), &mut out).unwrap_err();
        assert!(err.to_string().contains("untranslated"), "the known checks: {err}");
        assert_eq!(err.class(), ErrorClass::Input);
        assert!(out.into_inner().is_empty(), "nothing written");
        assert_eq!(class(evidence(&store, "kline", Some(outcome.run + 1), None, std::io::Cursor::new(Vec::new())).unwrap_err()), ErrorClass::NotFound);
        assert_eq!(class(evidence(&store, "nobody", None, None, std::io::Cursor::new(Vec::new())).unwrap_err()), ErrorClass::NotFound);
    }

    #[test]
    fn a_preset_replaces_its_institutions_and_keeps_their_runs() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        add(&store, "mun:kline", Some("Klinë"));
        let outcome = run(&store, "mun:kline", &RunOptions::default(), &site(), &mut |_| {}).unwrap();
        let added = add_preset(&store, "kosovo-municipalities").unwrap();
        assert_eq!(added.added.len() + added.skipped.len(), 38);
        let kline = added.added.iter().find(|added| added.institution.id == "mun:kline").expect("mun:kline has an address");
        assert!(kline.replaced && kline.institution.source.is_some(), "{kline:?}");
        assert_eq!(added.added.iter().filter(|added| added.replaced).count(), 1, "the others are new");
        assert_eq!(store.run_ids("mun:kline").unwrap(), vec![outcome.run], "the run is kept");
        let again = add_preset(&store, "kosovo-municipalities").unwrap();
        assert!(again.added.iter().all(|added| added.replaced));
        assert_eq!(list_institutions(&store).unwrap().len(), added.added.len());
        let err = add_preset(&store, "kosova").unwrap_err();
        assert_eq!(err.class(), ErrorClass::Input);
        assert!(err.to_string().contains("kosovo-central"), "{err}");
    }

    #[test]
    fn a_failed_crawl_leaves_no_run() {
        struct Failing;
        impl Steps for Failing {
            fn crawl(&self, _: &[String], _: &PreviousLookup, sink: &mut dyn FnMut(CrawlEvent), _: &mut dyn FnMut(usize)) -> Result<(), (String, ErrorClass)> {
                sink(page("http://k/sq/a", "Komuna: Klinë"));
                Err(("the WARC file is unreadable".into(), ErrorClass::Input))
            }
            fn read_page(&self, _: &FetchedPage) -> Result<Page, String> {
                Err("not read".into())
            }
            fn pair(&self, _: &[Page]) -> Vec<PageGroup> {
                Vec::new()
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        add(&store, "kline", None);
        let err = run(&store, "kline", &RunOptions::default(), &Failing, &mut |_| {}).unwrap_err();
        assert_eq!(err.class(), ErrorClass::Input);
        assert!(store.run_ids("kline").unwrap().is_empty());
        assert_eq!(store.snapshot_body_count().unwrap(), 0);
        assert_eq!(run(&store, "nobody", &RunOptions::default(), &Failing, &mut |_| {}).unwrap_err().class(), ErrorClass::NotFound);
    }
}
