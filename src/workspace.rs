//! A data directory opened for work: the store (truth), the search index and the fuzzy-match
//! index (both derived), kept in step. Every write goes to the store first, durably and
//! atomically, then to the indexes; writes run one at a time, so the indexes see them in the
//! store's order. When the store took a write but the search index could not (disk full), the
//! write stands and the caller is told so ([`WorkspaceError::IndexBehind`]); the index is then
//! marked stale on disk and rebuilt from the store at the next open.
//!
//! The term index (lookup and recognition over the term base) is derived too: built from the
//! store's concepts on first use and dropped by every concept write made through the
//! workspace, so the next use sees the write.
//!
//! Translation-memory searches are operations of the opened directory: [`Workspace::tm_match`]
//! (the match index proposes, `memory` ranks, the store gives the units) and
//! [`Workspace::concordance`] (the search index proposes, `memory::concordance` locates).
//!
//! The fuzzy-match index lives in memory. It is built from the store the first time a
//! language is matched against (so commands that never match, such as `import` or `stats`,
//! do not pay for it) and grows with every later import of the same process.

mod fragments;

use std::path::Path;
use std::sync::{Arc, Mutex, RwLock};

use crate::index::{IndexError, OpenOutcome, PendingDocs, SearchIndex};
use crate::memory::concordance::{self, ConcordanceLine, ConcordanceOptions};
use crate::memory::matcher::{DocInput, FuzzyIndex, RawHit, Recency, SearchStats};
use crate::memory::{MatchOptions, TmConfig, TmHit, TmQuery, source_langs};
use crate::model::lang::Lang;
use crate::model::{Concept, ConceptWriteSummary, TranslationUnit};
use crate::problem::{Classify, ErrorClass, Hint};
use crate::store::{PendingUnits, Store, StoreError, WriteSummary};
use crate::termbase::TermIndex;

/// Why a data directory could not be opened or written.
#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    /// The store failed or refused.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The index failed.
    #[error(transparent)]
    Index(#[from] IndexError),
    /// The store took the write (it is durable) but the search index could not follow; the
    /// index is rebuilt from the store when the data directory is next opened.
    #[error(
        "{stored} units were stored, but the search index could not be updated ({cause}); searches miss them until the index is rebuilt from the store, which happens when the data directory is next opened"
    )]
    IndexBehind {
        /// Units the store took.
        stored: usize,
        /// Why the index could not follow.
        cause: IndexError,
    },
    /// A lock was poisoned by a panic in another thread.
    #[error("the in-memory match index is unusable after an earlier failure")]
    Poisoned,
    /// The data directory's TM settings (`tm.toml`) could not be read.
    #[error("{path}: {message}")]
    Config {
        /// The settings file.
        path: String,
        /// What is wrong.
        message: String,
    },
}

impl Classify for WorkspaceError {
    /// The store's and the index's own class; an index that could not follow a stored write
    /// is out of space or internal.
    fn class(&self) -> ErrorClass {
        match self {
            WorkspaceError::Store(err) => err.class(),
            WorkspaceError::Index(err) => err.class(),
            WorkspaceError::IndexBehind { cause, .. } if cause.is_no_space() => ErrorClass::OutOfSpace,
            WorkspaceError::IndexBehind { .. } | WorkspaceError::Poisoned => ErrorClass::Internal,
            WorkspaceError::Config { .. } => ErrorClass::Input,
        }
    }

    fn hint(&self) -> Option<Hint> {
        match self {
            WorkspaceError::Store(err) | WorkspaceError::Index(IndexError::Store(err)) => err.hint(),
            _ => None,
        }
    }
}

impl WorkspaceError {
    /// True when the disk is full or a file size limit was reached, in the store or the index.
    pub fn is_no_space(&self) -> bool {
        match self {
            WorkspaceError::Store(err) | WorkspaceError::Index(IndexError::Store(err)) => err.is_no_space(),
            WorkspaceError::Index(err) | WorkspaceError::IndexBehind { cause: err, .. } => err.is_no_space(),
            WorkspaceError::Poisoned | WorkspaceError::Config { .. } => false,
        }
    }

    /// True when the write was stored (durably) even though this error is returned.
    pub fn was_stored(&self) -> bool {
        matches!(self, WorkspaceError::IndexBehind { .. })
    }
}

/// What an import stored and how long its parts took.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ImportTimings {
    /// What was stored.
    pub summary: WriteSummary,
    /// Seconds to write the store (durably).
    pub store_s: f64,
    /// Seconds to update the search and fuzzy-match indexes (side by side).
    pub index_s: f64,
    /// Of which the fuzzy-match index took this long.
    pub match_index_s: f64,
}

/// A streamed import in progress, from [`Workspace::begin_import`]: batches go to the store
/// (written, not yet visible) and to the search index's writer (not committed) as they come;
/// [`UnitImport::publish`] makes the whole visible in the store in one step, then commits the
/// search index and builds the fuzzy-match index of the new texts. Dropped unpublished (a
/// failed read, a failed write), it leaves the data directory as it was: the store removes
/// its batches, the search index drops its uncommitted documents. A crash before the publish
/// leaves the same, the store's next open removing the batches.
///
/// The search index's words are folded on a thread of the import's own, fed batch by batch
/// (at most two batches ahead), so that reading, storing and folding go on side by side.
pub struct UnitImport<'w> {
    pending: Option<PendingUnits<'w>>,
    workspace: &'w Workspace,
    _write: std::sync::MutexGuard<'w, ()>,
    /// Batches of new units for the folding thread.
    to_index: Option<std::sync::mpsc::SyncSender<Vec<(u64, TranslationUnit)>>>,
    /// The folding thread: gives the writer back, and the first failure.
    indexer: Option<std::thread::JoinHandle<(PendingDocs, Result<(), IndexError>)>>,
    /// Texts of the new units for each language the fuzzy-match index has.
    matcher_docs: Vec<(Lang, Vec<DocInput>)>,
    timings: ImportTimings,
}

impl std::fmt::Debug for UnitImport<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UnitImport").field("pending", &self.pending).finish()
    }
}

impl UnitImport<'_> {
    /// Writes one batch: its new units go to the store (not visible yet) and to the search
    /// index (not committed); units stored before or earlier in this import are duplicates.
    pub fn add(&mut self, units: Vec<TranslationUnit>) -> Result<(), WorkspaceError> {
        let started = std::time::Instant::now();
        // Taken only by `publish`, which consumes the import.
        let pending = self.pending.as_mut().ok_or(WorkspaceError::Poisoned)?;
        let generation = pending.generation();
        let keys = pending.write(&units)?;
        self.timings.store_s += started.elapsed().as_secs_f64();
        if keys.is_empty() {
            return Ok(());
        }
        let started = std::time::Instant::now();
        let wanted: std::collections::HashSet<u64> = keys.iter().copied().collect();
        let mut taken = std::collections::HashSet::with_capacity(keys.len());
        let new_units: Vec<(u64, TranslationUnit)> = units
            .into_iter()
            .filter_map(|unit| {
                let key = unit.key();
                (wanted.contains(&key) && taken.insert(key)).then_some((key, unit))
            })
            .collect();
        for (lang, docs) in self.matcher_docs.iter_mut() {
            docs.extend(docs_of(new_units.iter().map(|(key, unit)| (*key, generation, unit)), *lang));
        }
        let sent = self.to_index.as_ref().is_some_and(|sender| sender.send(new_units).is_ok());
        self.timings.index_s += started.elapsed().as_secs_f64();
        if !sent {
            // The folding thread stopped: its failure is the import's.
            let (docs, result) = self.stop_indexer()?;
            self.workspace.index.discard_pending(docs);
            result?;
            return Err(WorkspaceError::Index(IndexError::Panicked));
        }
        Ok(())
    }

    /// Ends the folding thread and takes the writer back with its outcome.
    fn stop_indexer(&mut self) -> Result<(PendingDocs, Result<(), IndexError>), WorkspaceError> {
        self.to_index = None;
        let handle = self.indexer.take().ok_or(WorkspaceError::Poisoned)?;
        handle.join().map_err(|_| WorkspaceError::Index(IndexError::Panicked))
    }

    /// What the import holds so far.
    pub fn summary(&self) -> WriteSummary {
        self.pending.as_ref().map(PendingUnits::summary).unwrap_or_default()
    }

    /// Batches written to the store so far.
    pub fn batches(&self) -> usize {
        self.pending.as_ref().map_or(0, PendingUnits::batches)
    }

    /// Publishes the import (see [`UnitImport`]) and tells what it stored and how long the
    /// parts took. A failure of the search index before the store published stores nothing;
    /// when the store took the import but the search index could not commit it, the import
    /// stands and [`WorkspaceError::IndexBehind`] says so.
    pub fn publish(mut self) -> Result<ImportTimings, WorkspaceError> {
        let started = std::time::Instant::now();
        let (docs, folded) = self.stop_indexer()?;
        if let Err(err) = folded {
            self.workspace.index.discard_pending(docs);
            return Err(err.into());
        }
        self.timings.index_s += started.elapsed().as_secs_f64();
        let pending = self.pending.take().ok_or(WorkspaceError::Poisoned)?;
        let generation = pending.generation();
        let started = std::time::Instant::now();
        let summary = pending.publish();
        self.timings.store_s += started.elapsed().as_secs_f64();
        let summary = match summary {
            Ok(summary) => summary,
            Err(err) => {
                self.workspace.index.discard_pending(docs);
                return Err(err.into());
            }
        };
        self.timings.summary = summary;
        if summary.stored == 0 {
            self.workspace.index.discard_pending(docs);
            return Ok(self.timings);
        }
        let started = std::time::Instant::now();
        let workspace = self.workspace;
        let matcher_docs = std::mem::take(&mut self.matcher_docs);
        let mut match_index_s = 0.0;
        std::thread::scope(|scope| {
            let search_index = scope.spawn(|| workspace.index.commit_pending(docs, generation));
            let matcher_started = std::time::Instant::now();
            let matcher_result = workspace.add_docs_to_matcher(matcher_docs);
            match_index_s = matcher_started.elapsed().as_secs_f64();
            let index_result = search_index.join().unwrap_or_else(|_| Err(IndexError::Panicked));
            if let Err(cause) = index_result {
                workspace.index.mark_stale();
                return Err(WorkspaceError::IndexBehind { stored: summary.stored, cause });
            }
            matcher_result
        })?;
        self.timings.match_index_s = match_index_s;
        self.timings.index_s += started.elapsed().as_secs_f64();
        release_free_memory();
        Ok(self.timings)
    }
}

impl Drop for UnitImport<'_> {
    fn drop(&mut self) {
        // Not published: the store's pending write removes its batches when it drops, the
        // search index's writer drops what it was given.
        if self.indexer.is_some()
            && let Ok((docs, _)) = self.stop_indexer()
        {
            self.workspace.index.discard_pending(docs);
        }
    }
}

/// An open data directory.
#[derive(Debug)]
pub struct Workspace {
    /// The source of truth.
    pub store: Store,
    /// The derived search index.
    pub index: SearchIndex,
    /// The derived fuzzy-match index, per language, built on first use.
    matcher: RwLock<FuzzyIndex>,
    /// The derived term index, built on first use, dropped by concept writes.
    terms: RwLock<Option<Arc<TermIndex>>>,
    /// Held by a write from the store write to the last index update.
    write_lock: Mutex<()>,
    /// The TM settings (`tm.toml` in the data directory), read at open.
    tm_config: TmConfig,
}

/// The TM settings file of a data directory.
pub const TM_CONFIG_FILE: &str = "tm.toml";

/// Reads `dir`'s TM settings; defaults when the file is absent.
fn read_tm_config(dir: &Path) -> Result<TmConfig, WorkspaceError> {
    let path = dir.join(TM_CONFIG_FILE);
    let config_error = |message: String| WorkspaceError::Config { path: path.display().to_string(), message };
    match std::fs::read_to_string(&path) {
        Ok(text) => TmConfig::parse(&text).map_err(config_error),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(TmConfig::default()),
        Err(err) => Err(config_error(err.to_string())),
    }
}

/// The texts of `units` in the languages of `langs`, for the fuzzy-match index.
fn docs_of<'a>(units: impl Iterator<Item = (u64, u64, &'a TranslationUnit)>, lang: Lang) -> Vec<DocInput> {
    let mut docs = Vec::new();
    for (key, generation, unit) in units {
        let recency = Recency::new(unit.changed.as_deref().or(unit.created.as_deref()), generation);
        for (variant_idx, variant) in unit.variants.iter().enumerate() {
            if variant.lang.lang == lang && !variant.text.is_empty() {
                docs.push(DocInput { text: variant.text.clone(), inline: variant.inline.clone(), unit: key, variant: variant_idx as u16, recency });
            }
        }
    }
    docs
}

impl Workspace {
    /// Opens the data directory `dir` (creating it), rebuilding the index if it is missing or
    /// stale; `progress(done, total)` reports a rebuild.
    pub fn open(dir: &Path, progress: &mut dyn FnMut(u64, u64)) -> Result<(Workspace, OpenOutcome), WorkspaceError> {
        let tm_config = read_tm_config(dir)?;
        let store = Store::open(dir)?;
        let (index, outcome) = SearchIndex::open(&store, progress)?;
        let workspace = Workspace { store, index, matcher: RwLock::new(FuzzyIndex::new()), terms: RwLock::new(None), write_lock: Mutex::new(()), tm_config };
        Ok((workspace, outcome))
    }

    /// Stores `units` (all or nothing, durable) and indexes the new ones.
    pub fn add_units(&self, units: &[TranslationUnit]) -> Result<WriteSummary, WorkspaceError> {
        Ok(self.add_units_timed(units)?.summary)
    }

    /// [`Workspace::add_units`], also telling how long the store and the indexes took.
    pub fn add_units_timed(&self, units: &[TranslationUnit]) -> Result<ImportTimings, WorkspaceError> {
        // One writer at a time: the search index takes one writer, and its commits must
        // record the store generations in order.
        let _write = self.write_lock.lock().map_err(|_| WorkspaceError::Poisoned)?;
        let started = std::time::Instant::now();
        let (summary, keys) = self.store.put_units(units)?;
        let store_s = started.elapsed().as_secs_f64();
        let mut timings = ImportTimings { summary, store_s, index_s: 0.0, match_index_s: 0.0 };
        if summary.stored == 0 {
            return Ok(timings);
        }
        let started = std::time::Instant::now();
        let generation = self.store.generation()?;
        let wanted: std::collections::HashSet<u64> = keys.iter().copied().collect();
        let mut taken = std::collections::HashSet::with_capacity(keys.len());
        let new_units: Vec<(u64, &TranslationUnit)> = units
            .iter()
            .filter_map(|unit| {
                let key = unit.key();
                (wanted.contains(&key) && taken.insert(key)).then_some((key, unit))
            })
            .collect();
        // The two derived indexes are independent: build them side by side.
        std::thread::scope(|scope| {
            let search_index = scope.spawn(|| self.index.add_units(&new_units, generation));
            let matcher_started = std::time::Instant::now();
            let matcher_result = self.add_to_matcher(&new_units, generation);
            timings.match_index_s = matcher_started.elapsed().as_secs_f64();
            let index_result = search_index.join().unwrap_or_else(|_| Err(IndexError::Panicked));
            if let Err(cause) = index_result {
                self.index.mark_stale();
                return Err(WorkspaceError::IndexBehind { stored: summary.stored, cause });
            }
            matcher_result
        })?;
        timings.index_s = started.elapsed().as_secs_f64();
        release_free_memory();
        Ok(timings)
    }

    /// Starts a streamed import (see [`UnitImport`]). Other writes wait until it is published
    /// or dropped.
    pub fn begin_import(&self) -> Result<UnitImport<'_>, WorkspaceError> {
        let write = self.write_lock.lock().map_err(|_| WorkspaceError::Poisoned)?;
        let pending = self.store.begin_units()?;
        let docs = self.index.take_pending()?;
        let (to_index, batches) = std::sync::mpsc::sync_channel::<Vec<(u64, TranslationUnit)>>(2);
        let indexer = std::thread::Builder::new()
            .name("import-index".into())
            .spawn(move || {
                for batch in batches {
                    let refs: Vec<(u64, &TranslationUnit)> = batch.iter().map(|(key, unit)| (*key, unit)).collect();
                    if let Err(err) = docs.add(&refs) {
                        return (docs, Err(err));
                    }
                }
                (docs, Ok(()))
            })
            .map_err(|err| WorkspaceError::Index(IndexError::Io { path: self.store.dir().to_path_buf(), source: err }))?;
        let langs: Vec<Lang> = {
            let matcher = self.matcher.read().map_err(|_| WorkspaceError::Poisoned)?;
            Lang::ALL.into_iter().filter(|lang| matcher.has_partition(*lang)).collect()
        };
        Ok(UnitImport {
            pending: Some(pending),
            workspace: self,
            _write: write,
            to_index: Some(to_index),
            indexer: Some(indexer),
            matcher_docs: langs.into_iter().map(|lang| (lang, Vec::new())).collect(),
            timings: ImportTimings { summary: WriteSummary::default(), store_s: 0.0, index_s: 0.0, match_index_s: 0.0 },
        })
    }

    /// Adds the texts of a published import to the fuzzy-match index: one segment a
    /// language, then the merges the tiers call for (outside the index's lock, as in
    /// [`Workspace::add_to_matcher`]).
    fn add_docs_to_matcher(&self, per_lang: Vec<(Lang, Vec<DocInput>)>) -> Result<(), WorkspaceError> {
        let langs: Vec<Lang> = per_lang.iter().map(|(lang, _)| *lang).collect();
        for (lang, docs) in per_lang {
            if let Some(segment) = FuzzyIndex::build_segment(lang, docs) {
                self.matcher.write().map_err(|_| WorkspaceError::Poisoned)?.insert(segment);
            }
        }
        self.merge_matcher(&langs)
    }

    /// Merges the segments of `langs` as their merge plans say, each merge built outside the
    /// index's lock and swapped in under it.
    fn merge_matcher(&self, langs: &[Lang]) -> Result<(), WorkspaceError> {
        for &lang in langs {
            loop {
                let plan = self.matcher.read().map_err(|_| WorkspaceError::Poisoned)?.plan_merge(lang);
                let Some(plan) = plan else { break };
                let merged = plan.build();
                // Writes hold the write lock, so the planned segments are still there.
                if !self.matcher.write().map_err(|_| WorkspaceError::Poisoned)?.apply_merge(plan, merged) {
                    break;
                }
            }
        }
        Ok(())
    }

    /// Adds new units to the built partitions of the fuzzy-match index. Segments are built and
    /// merged outside the index's lock, which is taken only to swap them in, so that matches
    /// go on while a write (even one that merges the largest segments) is indexed.
    fn add_to_matcher(&self, new_units: &[(u64, &TranslationUnit)], generation: u64) -> Result<(), WorkspaceError> {
        let langs: Vec<Lang> = {
            let matcher = self.matcher.read().map_err(|_| WorkspaceError::Poisoned)?;
            Lang::ALL.into_iter().filter(|lang| matcher.has_partition(*lang)).collect()
        };
        let built: Vec<_> = langs
            .iter()
            .filter_map(|&lang| FuzzyIndex::build_segment(lang, docs_of(new_units.iter().map(|(key, unit)| (*key, generation, *unit)), lang)))
            .collect();
        {
            let mut matcher = self.matcher.write().map_err(|_| WorkspaceError::Poisoned)?;
            for segment in built {
                matcher.insert(segment);
            }
        }
        self.merge_matcher(&langs)
    }

    /// Builds the fuzzy-match index of `langs` from the store where it is not built yet.
    /// Holds the write lock meanwhile, so that a write cannot be both read from the store here
    /// and added by [`Workspace::add_units`]; the index itself is locked only to add the
    /// built partitions, so matches in other languages go on during the build.
    pub fn prepare_matcher(&self, langs: &[Lang]) -> Result<(), WorkspaceError> {
        let missing = |langs: &[Lang]| -> Result<Vec<Lang>, WorkspaceError> {
            let matcher = self.matcher.read().map_err(|_| WorkspaceError::Poisoned)?;
            Ok(langs.iter().copied().filter(|lang| !matcher.has_partition(*lang)).collect())
        };
        if missing(langs)?.is_empty() {
            return Ok(());
        }
        let _write = self.write_lock.lock().map_err(|_| WorkspaceError::Poisoned)?;
        // Another request may have built them while this one waited for the lock.
        let missing = missing(langs)?;
        // One language at a time, each read from the store anew: the texts of one language
        // are held while its segment is built, not those of all (at ten million units a
        // language's texts are about 1.5 GiB), and what the build freed goes back to the
        // system before the next.
        // Languages no unit has texts in are known after the first pass, and not read again.
        let mut present: Option<std::collections::HashSet<Lang>> = None;
        for lang in missing {
            let mut docs = Vec::new();
            if present.as_ref().is_none_or(|present| present.contains(&lang)) {
                let mut seen = std::collections::HashSet::new();
                for record in self.store.records() {
                    let record = record?;
                    if present.is_none() {
                        seen.extend(record.unit.variants.iter().filter(|variant| !variant.text.is_empty()).map(|variant| variant.lang.lang));
                    }
                    docs.extend(docs_of(std::iter::once((record.key, record.generation, &record.unit)), lang));
                }
                present.get_or_insert(seen);
            }
            let segment = FuzzyIndex::build_segment(lang, docs);
            {
                let mut matcher = self.matcher.write().map_err(|_| WorkspaceError::Poisoned)?;
                matcher.ensure_partition(lang);
                if let Some(segment) = segment {
                    matcher.insert(segment);
                }
            }
            release_free_memory();
        }
        Ok(())
    }

    /// Segments of the fuzzy-match index, all languages.
    pub fn matcher_segments(&self) -> usize {
        self.matcher.read().map(|matcher| Lang::ALL.into_iter().map(|lang| matcher.segment_count(lang)).sum()).unwrap_or(0)
    }

    /// Approximate bytes held by the fuzzy-match index.
    pub fn matcher_bytes(&self) -> usize {
        self.matcher.read().map(|matcher| matcher.heap_bytes()).unwrap_or(0)
    }

    /// The best raw fuzzy matches of `query` among the variants of `langs`; see
    /// [`FuzzyIndex::search`]. Builds the index of those languages first if needed.
    pub fn fuzzy_search(&self, query: &TmQuery, langs: &[Lang], top: usize, min_score: f64, stats: &mut SearchStats) -> Result<Vec<RawHit>, WorkspaceError> {
        self.prepare_matcher(langs)?;
        let matcher = self.matcher.read().map_err(|_| WorkspaceError::Poisoned)?;
        Ok(matcher.search(query, langs, top, min_score, stats))
    }

    /// The `top` best TM matches for `query` (ranked by score, then tier, then recency).
    ///
    /// ```
    /// use termbridge::Workspace;
    /// use termbridge::memory::MatchOptions;
    /// use termbridge::model::lang::LangTag;
    /// use termbridge::model::{TranslationUnit, Variant};
    ///
    /// let dir = tempfile::tempdir().unwrap();
    /// let (workspace, _) = Workspace::open(dir.path(), &mut |_, _| {}).unwrap();
    /// let unit = TranslationUnit {
    ///     id: "t1".into(),
    ///     collection: "default".into(),
    ///     variants: vec![Variant::new(LangTag::EN, "Decision 11 of 2024"), Variant::new(LangTag::SQ, "Vendimi 11 i vitit 2024")],
    ///     props: Default::default(),
    ///     notes: vec![],
    ///     created: None,
    ///     changed: None,
    /// };
    /// workspace.add_units(&[unit]).unwrap();
    /// let options = MatchOptions { src: Some(LangTag::EN), tgt: Some(LangTag::SQ), ..MatchOptions::default() };
    /// let hits = workspace.tm_match("Decision 12 of 2024", &options).unwrap();
    /// assert_eq!(hits[0].score, 94.74);
    /// assert_eq!(hits[0].patched_target.as_deref(), Some("Vendimi 12 i vitit 2024"));
    /// assert_eq!(hits[0].target.as_deref(), Some("Vendimi 11 i vitit 2024"));
    /// ```
    pub fn tm_match(&self, query: &str, options: &MatchOptions) -> Result<Vec<TmHit>, WorkspaceError> {
        let query = TmQuery::new(query);
        let mut stats = SearchStats::default();
        let raw = self.fuzzy_search(&query, &source_langs(options.src), options.top, options.min_score / 100.0, &mut stats)?;
        self.resolve_hits(&query, raw, options)
    }

    /// Ranks the raw hits of [`Workspace::fuzzy_search`] (see `memory::rank`), reads the units
    /// of the best of them from the store, scores their context and penalties, patches their
    /// targets with the query's numbers, dates, codes, place names and terms (`patch`, with
    /// the shipped gazetteer and the term index) and keeps the top ones by penalised score
    /// (`memory::finish`).
    ///
    /// Only the `top` best by raw score are read, and the penalties reorder them: reading more
    /// would let a penalty lift a hit from further down, but asking the match index for
    /// 2 × top + 5 hits doubled the median lookup at a million units (7.8 → 14.2 ms, `tm
    /// bench`), so a hit below the `top` by raw score stays out, however small its penalty.
    pub fn resolve_hits(&self, query: &TmQuery, raw: Vec<RawHit>, options: &MatchOptions) -> Result<Vec<TmHit>, WorkspaceError> {
        let ranked = crate::memory::rank(query, raw, options.top);
        let penalties = &self.tm_config.penalties;
        let today = crate::memory::penalty::today();
        let mut hits = Vec::with_capacity(ranked.len());
        let term_index = if ranked.is_empty() { None } else { Some(self.term_index()?) };
        let mut patcher =
            crate::patch::Patcher::new(query.text(), crate::patch::Resources { places: crate::places::Places::shipped(), terms: term_index.as_deref() });
        for (raw_hit, tier) in ranked {
            let Some(unit) = self.store.unit(raw_hit.unit)? else { continue };
            let Some(mut hit) = crate::memory::hit(query, &unit, &raw_hit, tier, options, penalties, today) else { continue };
            let inline =
                unit.variants.iter().find(|variant| Some(variant.text.as_str()) == hit.target.as_deref()).map_or(&[][..], |variant| &variant.inline[..]);
            patcher.patch(&mut hit, inline);
            hits.push(hit);
        }
        Ok(crate::memory::finish(hits, penalties, options.top))
    }

    /// The TM settings read from the data directory at open.
    pub fn tm_config(&self) -> &TmConfig {
        &self.tm_config
    }

    /// Every text (in `options.lang`, or any language) that contains `phrase`, strictest tier
    /// first, then most recent, at most `options.limit` lines.
    pub fn concordance(&self, phrase: &str, options: &ConcordanceOptions) -> Result<Vec<ConcordanceLine>, WorkspaceError> {
        let phrase = crate::text::nfc(phrase);
        if options.limit == 0 || phrase.trim().is_empty() {
            return Ok(Vec::new());
        }
        let wanted = concordance::candidates_wanted(options.limit);
        let langs = concordance::langs_of(options.lang);
        let mut units: Vec<u64> = self.index.phrase_search(&phrase, options.lang, wanted)?.into_iter().map(|hit| hit.unit).collect();
        for &lang in &langs {
            units.extend(self.index.stem_search(&phrase, lang, wanted)?.into_iter().map(|hit| hit.unit));
        }
        let mut seen = std::collections::HashSet::new();
        units.retain(|unit| seen.insert(*unit));
        let mut lines = Vec::new();
        for key in units {
            let Some(record) = self.store.record(key)? else { continue };
            lines.extend(concordance::lines_of(&record.unit, &phrase, &langs).into_iter().map(|line| (line, record.generation)));
        }
        Ok(concordance::finish(lines, options.limit))
    }

    /// The units with a variant in `lang` equal to `text` once case, punctuation, diacritics
    /// and Serbian script are set aside (`Tier::Script`): the exact matches of `text` by its
    /// folded key, not a fuzzy search. The word index proposes the `limit` best units that
    /// contain its words in order (the shortest rank first), and each is kept when one of its
    /// variants in `lang` folds to the same key.
    ///
    /// ```
    /// use termbridge::Workspace;
    /// use termbridge::model::lang::{Lang, LangTag};
    /// use termbridge::model::{TranslationUnit, Variant};
    ///
    /// let dir = tempfile::tempdir().unwrap();
    /// let (workspace, _) = Workspace::open(dir.path(), &mut |_, _| {}).unwrap();
    /// let unit = |id: &str, sq: &str| TranslationUnit {
    ///     id: id.into(),
    ///     collection: "default".into(),
    ///     variants: vec![Variant::new(LangTag::SQ, sq), Variant::new(LangTag::EN, "Open the file")],
    ///     props: Default::default(),
    ///     notes: vec![],
    ///     created: None,
    ///     changed: None,
    /// };
    /// workspace.add_units(&[unit("a", "Hap skedarin"), unit("b", "Hap skedarin e ri")]).unwrap();
    /// let found = workspace.exact_matches("hap skedarin.", Lang::Sq, 20).unwrap();
    /// assert_eq!(found.iter().map(|unit| unit.id.as_str()).collect::<Vec<_>>(), ["a"]);
    /// ```
    pub fn exact_matches(&self, text: &str, lang: Lang, limit: usize) -> Result<Vec<TranslationUnit>, WorkspaceError> {
        let key = crate::text::fold(text, crate::text::Tier::Script);
        if key.trim().is_empty() {
            return Ok(Vec::new());
        }
        let mut seen = std::collections::HashSet::new();
        let mut units = Vec::new();
        for hit in self.index.phrase_search(text, Some(lang), limit)? {
            if !seen.insert(hit.unit) {
                continue;
            }
            let Some(unit) = self.store.unit(hit.unit)? else { continue };
            if unit.variants.iter().any(|variant| variant.lang.lang == lang && crate::text::fold(&variant.text, crate::text::Tier::Script) == key) {
                units.push(unit);
            }
        }
        Ok(units)
    }

    /// The term index over the stored concepts, built from the store if no write has been
    /// made since the last build. Building and concept writes hold the same lock, so an index
    /// never misses a write that was acknowledged before it was asked for.
    pub fn term_index(&self) -> Result<Arc<TermIndex>, WorkspaceError> {
        if let Some(index) = self.terms.read().map_err(|_| WorkspaceError::Poisoned)?.as_ref() {
            return Ok(index.clone());
        }
        let mut cached = self.terms.write().map_err(|_| WorkspaceError::Poisoned)?;
        if let Some(index) = cached.as_ref() {
            return Ok(index.clone());
        }
        let index = Arc::new(TermIndex::build(self.store.concepts()?));
        *cached = Some(index.clone());
        Ok(index)
    }

    /// Runs a concept write with the term index locked, then drops the index so the next
    /// lookup rebuilds it from the store.
    fn write_concepts<T>(&self, write: impl FnOnce(&Store) -> Result<T, StoreError>) -> Result<T, WorkspaceError> {
        let mut cached = self.terms.write().map_err(|_| WorkspaceError::Poisoned)?;
        let outcome = write(&self.store);
        *cached = None;
        Ok(outcome?)
    }

    /// Stores `concepts` all or nothing, durably (see [`Store::put_concepts`]), keeping the
    /// term index in step.
    pub fn put_concepts(&self, concepts: &[Concept]) -> Result<ConceptWriteSummary, WorkspaceError> {
        self.write_concepts(|store| store.put_concepts(concepts))
    }

    /// Stores `concept` as a new concept; `false` when its id is taken (nothing written).
    pub fn create_concept(&self, concept: &Concept) -> Result<bool, WorkspaceError> {
        self.write_concepts(|store| store.put_concept_checked(concept, false))
    }

    /// Replaces the stored concept with `concept`'s id; `false` when there is none (nothing
    /// written).
    pub fn replace_concept(&self, concept: &Concept) -> Result<bool, WorkspaceError> {
        self.write_concepts(|store| store.put_concept_checked(concept, true))
    }

    /// Deletes the concept `id`; `false` when there is none.
    pub fn delete_concept(&self, id: &str) -> Result<bool, WorkspaceError> {
        self.write_concepts(|store| store.delete_concept(id))
    }

    /// Rebuilds the search index from the store.
    pub fn reindex(&mut self, progress: &mut dyn FnMut(u64, u64)) -> Result<(), WorkspaceError> {
        self.index.close_writer();
        self.index = SearchIndex::rebuild(&self.store, progress)?;
        Ok(())
    }
}

/// Limits the C allocator to two memory arenas. By default glibc gives each busy thread an
/// arena of its own, up to eight per core; a service whose request, indexing and merge threads
/// take turns allocating then keeps memory freed in one arena that the next allocation, made in
/// another, cannot reuse. With writes going on, that grew the service by about 140 MiB per
/// 100,000 units written (BENCHMARKS.md, "Service under load"). Call it first thing in `main`,
/// before any thread starts; `MALLOC_ARENA_MAX` in the environment, when set, wins.
pub fn limit_allocator_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        if std::env::var_os("MALLOC_ARENA_MAX").is_some() {
            return;
        }
        unsafe extern "C" {
            /// glibc: sets an allocator parameter; returns 1 on success.
            fn mallopt(param: i32, value: i32) -> i32;
        }
        /// glibc's `M_ARENA_MAX`.
        const M_ARENA_MAX: i32 = -8;
        // SAFETY: mallopt only sets a parameter of the allocator; called before other threads
        // exist, it races with no allocation.
        unsafe {
            mallopt(M_ARENA_MAX, 2);
        }
    }
}

/// Hands memory that an import freed back to the operating system. A large import frees
/// hundreds of megabytes of parsed units and encoded blocks in small pieces, which the C
/// allocator otherwise keeps: a server would go on holding them while it serves. Call it
/// again after dropping the imported units.
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        unsafe extern "C" {
            /// glibc: releases free memory at the top of the heap and in unused pages.
            fn malloc_trim(pad: usize) -> i32;
        }
        // SAFETY: malloc_trim only walks the allocator's own free lists; it takes no pointers
        // from us and is safe to call at any time from any thread.
        unsafe {
            malloc_trim(0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Variant;
    use crate::model::lang::LangTag;

    fn unit(id: &str, en: &str, sq: &str) -> TranslationUnit {
        TranslationUnit {
            id: id.into(),
            collection: "default".into(),
            variants: vec![Variant::new(LangTag::EN, en), Variant::new(LangTag::SQ, sq)],
            props: Default::default(),
            notes: Vec::new(),
            created: None,
            changed: None,
        }
    }

    fn best(workspace: &Workspace, query: &str) -> Option<(String, f64)> {
        let options = MatchOptions { src: Some(LangTag::EN), tgt: Some(LangTag::SQ), ..MatchOptions::default() };
        workspace.tm_match(query, &options).unwrap().into_iter().next().map(|hit| (hit.id, hit.score))
    }

    #[test]
    fn match_index_follows_imports_and_reopens() {
        let dir = tempfile::tempdir().unwrap();
        {
            let (workspace, _) = Workspace::open(dir.path(), &mut |_, _| {}).unwrap();
            assert_eq!(best(&workspace, "Save changes"), None);
            workspace.add_units(&[unit("1", "Save changes", "Ruaj ndryshimet")]).unwrap();
            assert_eq!(best(&workspace, "Save changes"), Some(("1".into(), 100.0)));
            // A later import adds a segment to the index that is already built.
            workspace.add_units(&[unit("2", "Delete the file", "Fshije skedarin")]).unwrap();
            assert_eq!(best(&workspace, "Delete the files"), Some(("2".into(), 93.75)));
            // Re-importing the same units changes nothing.
            assert_eq!(workspace.add_units(&[unit("2", "Delete the file", "Fshije skedarin")]).unwrap().stored, 0);
        }
        let (workspace, _) = Workspace::open(dir.path(), &mut |_, _| {}).unwrap();
        assert_eq!(workspace.store.stats().unwrap().units, 2);
        assert_eq!(best(&workspace, "Delete the files"), Some(("2".into(), 93.75)));
    }

    #[test]
    fn many_small_writes_keep_few_segments() {
        let dir = tempfile::tempdir().unwrap();
        let (workspace, _) = Workspace::open(dir.path(), &mut |_, _| {}).unwrap();
        assert_eq!(best(&workspace, "Save changes"), None);
        let writes = 80;
        for i in 0..writes {
            workspace.add_units(&[unit(&i.to_string(), &format!("Save the changes of document {i}"), &format!("Ruaj ndryshimet e dokumentit {i}"))]).unwrap();
        }
        // Both indexes merge as they grow: the fuzzy-match index in the write, the search
        // index in its writer's merge thread (waited for here).
        assert!(workspace.matcher_segments() <= 16, "{} match segments", workspace.matcher_segments());
        workspace.index.close_writer();
        assert!(workspace.index.segment_count() < writes / 4, "{} search segments", workspace.index.segment_count());
        for i in [0, 41, 79] {
            assert_eq!(best(&workspace, &format!("Save the changes of document {i}")), Some((i.to_string(), 100.0)));
        }
        assert_eq!(workspace.index.doc_count(), 2 * writes as u64);
        // Writes go on after the writer was closed.
        workspace.add_units(&[unit("last", "Close the window", "Mbyll dritaren")]).unwrap();
        assert_eq!(best(&workspace, "Close the window"), Some(("last".into(), 100.0)));
        assert_eq!(workspace.index.doc_count(), 2 * writes as u64 + 2);
    }

    #[test]
    fn term_index_follows_concept_writes() {
        use crate::model::{Term, TermStatus};
        use crate::termbase::LookupOptions;
        let dir = tempfile::tempdir().unwrap();
        let (workspace, _) = Workspace::open(dir.path(), &mut |_, _| {}).unwrap();
        let found = |query: &str| -> Vec<String> {
            let index = workspace.term_index().unwrap();
            index.lookup(query, &LookupOptions::default()).into_iter().map(|hit| hit.concept.id.clone()).collect()
        };
        assert!(found("mayor").is_empty());
        let mut concept = Concept::new("mayor");
        concept.terms.push(Term::new(LangTag::EN, "mayor", TermStatus::Preferred));
        assert!(workspace.create_concept(&concept).unwrap());
        assert!(!workspace.create_concept(&concept).unwrap());
        assert_eq!(found("mayor"), ["mayor"]);
        concept.terms[0].text = "head of municipality".into();
        assert!(workspace.replace_concept(&concept).unwrap());
        assert!(found("mayor").is_empty());
        assert_eq!(found("head of municipality"), ["mayor"]);
        assert!(workspace.delete_concept("mayor").unwrap());
        assert!(found("head of municipality").is_empty());
    }

    #[test]
    fn a_more_recent_unit_wins_a_tie() {
        let dir = tempfile::tempdir().unwrap();
        let (workspace, _) = Workspace::open(dir.path(), &mut |_, _| {}).unwrap();
        workspace.add_units(&[unit("old", "Open the file", "Hape skedarin")]).unwrap();
        workspace.add_units(&[unit("new", "Open the file", "Hap skedarin")]).unwrap();
        assert_eq!(best(&workspace, "Open the file"), Some(("new".into(), 100.0)));
    }
}
