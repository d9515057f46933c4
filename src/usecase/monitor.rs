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
use crate::store::{FirstSeen, Removed, Store};

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
    #[error("institution id {id:?} is not 1 to 64 lower-case letters, digits, '-', '_' or '.', starting with a letter or digit")]
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
    /// An unknown institution is not found; everything else but a crawl failure is the
    /// user's input; a crawl failure says itself.
    fn class(&self) -> ErrorClass {
        match self {
            MonitorError::UnknownInstitution { .. } => ErrorClass::NotFound,
            MonitorError::Crawl { class, .. } => *class,
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

fn valid_id(id: &str) -> bool {
    let first_ok = id.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    first_ok && id.len() <= 64 && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
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
    let institution = Institution {
        id: new.id.clone(),
        name: new.name.clone().unwrap_or_else(|| new.id.clone()),
        municipality,
        urls: new.urls.clone(),
        source: new.source.clone(),
        added: now(),
    };
    let replaced = store.put_institution(&institution)?;
    let required = required_languages(institution.municipality.as_deref());
    Ok(Added { institution, required, replaced })
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

/// One page as read for a run.
#[derive(Debug, Clone)]
pub struct Page {
    /// The URL it was requested as.
    pub url: String,
    /// Its language as detected from its text (Serbian with its script).
    pub tag: Option<LangTag>,
    /// Its text, for the audit (path = the URL).
    pub document: Document,
    /// `hreflang` alternates: (language, URL).
    pub alternates: Vec<(String, String)>,
    /// Language-switcher links: (label or `lang` attribute, URL).
    pub switchers: Vec<(String, String)>,
}

/// The last snapshot and body of a URL in a finished run, for conditional requests.
pub type PreviousLookup<'a> = dyn Fn(&str) -> Option<(Snapshot, Vec<u8>)> + Sync + 'a;

/// The documents of a run and the URLs first seen in it.
type Audited = (Vec<RunDocument>, Vec<(String, FirstSeen)>);

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
        let read = Page {
            url: text.info.url.clone(),
            tag: text.info.tag,
            document: text.document,
            alternates: text.info.alternates.clone(),
            switchers: text.info.switchers.clone(),
        };
        if let Ok(mut infos) = self.infos.lock() {
            infos.insert(read.url.clone(), text.info);
        }
        Ok(read)
    }

    fn pair(&self, pages: &[Page]) -> Vec<PageGroup> {
        let infos: Vec<crate::monitor::page::PageInfo> = match self.infos.lock() {
            Ok(infos) => pages.iter().filter_map(|page| infos.get(&page.url).cloned()).collect(),
            Err(_) => Vec::new(),
        };
        crate::monitor::pair::pair(&infos)
    }
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
    let documents = audit_groups(&institution, &required, &options.audit, steps, &collected, store, progress)?;
    let (documents, first_seen) = documents;
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
        findings_by_check: report::findings_by_check(&documents),
        score: report::score(&documents),
        documents,
    };
    let removed = store.finish_run(&record, &first_seen)?;
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
            if let Err(err) = store.put_snapshot(id, run, &page.snapshot, &page.body) {
                collected.store_error = Some(err);
                return;
            }
            match steps.read_page(&page) {
                Ok(read) => collected.pages.push(read),
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

/// The language a counterpart link names: an `hreflang`, a `lang` attribute or a switcher's
/// label in the language itself.
fn link_lang(label: &str) -> Option<Lang> {
    if let Ok(tag) = LangTag::parse(label) {
        return Some(tag.lang);
    }
    let folded = crate::text::diacritic_fold(&label.trim().to_lowercase()).into_owned();
    match folded.as_str() {
        "shqip" | "albanian" | "alb" => Some(Lang::Sq),
        "srpski" | "српски" | "serbian" | "srb" | "srp" | "serbisht" => Some(Lang::Sr),
        "english" | "eng" | "anglisht" | "engleski" => Some(Lang::En),
        "turkce" | "turkish" | "turqisht" => Some(Lang::Tr),
        "bosanski" | "bosnian" | "boshnjakisht" => Some(Lang::Bs),
        _ => None,
    }
}

/// Audits every group and turns it into the run's documents, with the URLs first seen in
/// this run.
fn audit_groups(
    institution: &Institution,
    required: &[Lang],
    config: &AuditConfig,
    steps: &dyn Steps,
    collected: &Collected,
    store: &Store,
    progress: &mut dyn FnMut(RunProgress),
) -> Result<Audited, UseCaseError> {
    let groups = steps.pair(&collected.pages);
    let by_url: HashMap<&str, &Page> = collected.pages.iter().map(|page| (page.url.as_str(), page)).collect();
    let dead: HashMap<&str, &DeadLink> = collected.dead.iter().filter(|link| link.status == Some(404)).map(|link| (link.url.as_str(), link)).collect();
    let seen_before = store.first_seen(&institution.id)?;
    let mut first_seen = Vec::new();
    let resources = crate::audit::input::resources_for(config);
    let mut documents = Vec::with_capacity(groups.len());
    for (done, group) in groups.iter().enumerate() {
        progress(RunProgress::Auditing { done, total: groups.len() });
        let mut versions = Vec::new();
        let mut dates = BTreeMap::new();
        for (lang, url) in &group.urls {
            let Some(page) = by_url.get(url.as_str()) else { continue };
            let tag = group
                .tags
                .get(lang)
                .copied()
                .or(page.tag)
                .unwrap_or(LangTag { lang: LangTag::parse(lang).map(|tag| tag.lang).unwrap_or(Lang::Sq), script: None });
            versions.push(Version { tag, document: page.document.clone() });
            let snapshot = collected.snapshots.get(url);
            let seen = match seen_before.get(url) {
                Some(seen) => seen.at,
                None => {
                    let at = snapshot.map_or_else(now, |snapshot| snapshot.fetched_at);
                    first_seen.push((url.clone(), FirstSeen { at, lang: Some(lang.clone()) }));
                    at
                }
            };
            dates.insert(
                lang.clone(),
                PageDates {
                    first_seen: seen,
                    last_modified: snapshot.and_then(|snapshot| snapshot.header("last-modified")).map(str::to_string),
                    lastmod: snapshot.and_then(|snapshot| snapshot.lastmod.clone()),
                },
            );
        }
        let original_url = group.urls.get("sq").or_else(|| group.urls.values().next()).cloned().unwrap_or_default();
        let mut findings = Vec::new();
        let mut script = BTreeMap::new();
        if !versions.is_empty() {
            match crate::audit::audit(&versions, institution.municipality.as_deref(), config, &resources) {
                Ok(audit) => {
                    for info in audit.documents.iter().filter(|info| info.lang == "sr") {
                        if matches!(info.script.as_str(), "Cyrl" | "Latn") {
                            script.insert("sr".to_string(), info.script.clone());
                        }
                    }
                    for finding in audit.findings.into_iter().filter(|finding| finding.check != "missing-version") {
                        let url = group.urls.get(&finding.lang).cloned().unwrap_or_else(|| original_url.clone());
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
        }
        if !script.contains_key("sr")
            && let Some(tag) = group.tags.get("sr").filter(|tag| tag.script.is_some())
        {
            script.insert("sr".to_string(), if tag.script == Some(SrScript::Cyrl) { "Cyrl" } else { "Latn" }.to_string());
        }
        let missing: Vec<Lang> = required.iter().copied().filter(|lang| !group.urls.contains_key(lang.code())).collect();
        let mut missing_findings = missing_versions(&missing, group, &by_url, &dead, &original_url, institution, config);
        missing_findings.append(&mut findings);
        documents.push(RunDocument {
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
    Ok((documents, first_seen))
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
                dead_by_lang.entry(link_lang(label)).or_insert_with(|| (target.clone(), url.clone()));
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
                document: Document::new(url.clone(), DocumentFormat::Text, parse_text(&text)),
                url,
                alternates,
                switchers: Vec::new(),
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
