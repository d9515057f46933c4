//! The search index: tantivy, derived from the store and always rebuildable from it.
//!
//! Each language variant of a unit is one document with the unit's key, its language, its
//! words folded to the script tier (`words`) and their stems (`stems`), both with positions
//! for phrase search (concordance). Folding uses the same `text::Folded` as every other
//! feature, through `analyzer::word_keys`. Fuzzy TM matching does not use this index: it
//! keeps its own trigram index in memory (`memory::matcher`), which is faster to build and
//! to query at a million units.
//!
//! Invariant: the index records in its commit payload the store generation it reflects and
//! its own schema version; [`SearchIndex::open`] rebuilds the index when either differs, when
//! the directory is missing or when tantivy cannot open it. Writes go to the store first, so a
//! crash between the two leaves a stale index, which the next open rebuilds.

mod analyzer;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{FAST, Field, INDEXED, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions};
use tantivy::{Index, IndexReader, ReloadPolicy, Term, doc};

use crate::model::TranslationUnit;
use crate::model::lang::Lang;
use crate::problem::Classify;
use crate::store::{Store, StoreError, no_space_cause, no_space_cause_in};

pub use analyzer::{KEY_TOKENIZER, NGRAM_TOKENIZER, WORD_TOKENIZER, WordKey, fold_word, register_analyzers, word_keys};

/// Bumped whenever the schema or the analyzers change; a mismatch triggers a rebuild.
pub const INDEX_SCHEMA_VERSION: u32 = 3;

/// The generation recorded by an index that cannot tell which store generation it reflects.
const UNKNOWN_GENERATION: u64 = u64::MAX;

/// Why the index could not be used.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// The disk is full or a file reached the process's file size limit.
    #[error("the search index cannot grow: {cause}; free space on the disk of the data directory (or raise the file size limit)")]
    NoSpace {
        /// What the operating system reported, in words.
        cause: String,
    },
    /// tantivy failed.
    #[error("search index failure: {0}")]
    Tantivy(tantivy::TantivyError),
    /// The store failed while the index was being rebuilt.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The index directory could not be prepared.
    #[error("search index directory {path}: {source}")]
    Io {
        /// The directory.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// An indexing thread panicked.
    #[error("search index failure: an indexing thread stopped unexpectedly")]
    Panicked,
    /// Files of the index fail their checksum.
    #[error("search index files fail their checksum: {0}")]
    Damaged(String),
}

impl From<tantivy::TantivyError> for IndexError {
    fn from(err: tantivy::TantivyError) -> IndexError {
        match no_space_cause_in(&err) {
            Some(cause) => IndexError::NoSpace { cause },
            None => IndexError::Tantivy(err),
        }
    }
}

impl IndexError {
    /// True when the disk is full or a file size limit was reached.
    pub fn is_no_space(&self) -> bool {
        match self {
            IndexError::NoSpace { .. } => true,
            IndexError::Store(err) => err.is_no_space(),
            _ => false,
        }
    }
}

impl Classify for IndexError {
    /// A full disk is the host's; the store's errors keep their class; the rest is ours.
    fn class(&self) -> crate::problem::ErrorClass {
        match self {
            IndexError::NoSpace { .. } => crate::problem::ErrorClass::OutOfSpace,
            IndexError::Store(err) => err.class(),
            IndexError::Tantivy(_) | IndexError::Io { .. } | IndexError::Panicked | IndexError::Damaged(_) => crate::problem::ErrorClass::Internal,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Payload {
    schema: u32,
    generation: u64,
}

#[derive(Debug, Clone, Copy)]
struct Fields {
    unit: Field,
    lang: Field,
    words: Field,
    stems: Field,
}

/// The index's writer, taken out for a write in progress (see [`SearchIndex::take_pending`]).
pub struct PendingDocs {
    writer: tantivy::IndexWriter,
    fields: Fields,
}

impl std::fmt::Debug for PendingDocs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PendingDocs").finish_non_exhaustive()
    }
}

impl PendingDocs {
    /// Folds the units' texts and hands them to the writer (not committed).
    pub fn add(&self, units: &[(u64, &TranslationUnit)]) -> Result<(), IndexError> {
        add_documents(&self.writer, self.fields, units)
    }
}

fn add_documents(writer: &tantivy::IndexWriter, fields: Fields, units: &[(u64, &TranslationUnit)]) -> Result<(), IndexError> {
    let mut words = String::new();
    let mut stems = String::new();
    for (key, unit) in units {
        for variant in &unit.variants {
            words.clear();
            stems.clear();
            let mut inflected = false;
            for word_key in word_keys(&variant.text, variant.lang.lang) {
                if !words.is_empty() {
                    words.push(' ');
                    stems.push(' ');
                }
                inflected |= word_key.stem != word_key.word;
                words.push_str(&word_key.word);
                stems.push_str(&word_key.stem);
            }
            let mut document = doc!(
                fields.unit => *key,
                fields.lang => variant.lang.lang.code(),
                fields.words => words.as_str(),
            );
            // A text whose every word is its own stem is found through `words` (see
            // `stem_search`); leaving `stems` out halves the indexing of such texts
            // (all English ones).
            if inflected {
                document.add_text(fields.stems, &stems);
            }
            writer.add_document(document)?;
        }
    }
    Ok(())
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    // Nothing is stored: the unit key comes from the fast field, the text from the store.
    let unit = builder.add_u64_field("unit", INDEXED | FAST);
    let lang = builder.add_text_field("lang", STRING);
    let key_options = TextOptions::default()
        .set_indexing_options(TextFieldIndexing::default().set_tokenizer(KEY_TOKENIZER).set_index_option(IndexRecordOption::WithFreqsAndPositions));
    let words = builder.add_text_field("words", key_options.clone());
    let stems = builder.add_text_field("stems", key_options);
    (builder.build(), Fields { unit, lang, words, stems })
}

/// What [`SearchIndex::phrase_units`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PhraseUnits {
    /// Matching texts, up to the count asked for.
    pub count: u64,
    /// The keys of the first units found.
    pub units: Vec<u64>,
}

/// Why [`SearchIndex::open`] rebuilt the index, if it did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenOutcome {
    /// The index was in step with the store.
    Current,
    /// The index was rebuilt; the reason says why.
    Rebuilt(String),
}

/// What [`SearchIndex::inspect`] found: whether the index reflects the store, document by
/// document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IndexCheck {
    /// The index directory exists and tantivy opens it.
    pub present: bool,
    /// The index schema version recorded at its last commit.
    pub schema: Option<u32>,
    /// The store generation recorded at its last commit.
    pub generation: Option<u64>,
    /// Indexed documents (one per language variant).
    pub documents: u64,
    /// Everything that differs from the store.
    pub problems: Vec<String>,
}

/// At most this many units are named per kind of difference.
const NAMED_PER_PROBLEM: usize = 10;

/// A document found by a search: the unit's key and its BM25 score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IndexHit {
    /// The unit's store key.
    pub unit: u64,
    /// BM25 score.
    pub score: f32,
}

/// The open search index of a data directory.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    dir: PathBuf,
    /// Set when an update failed: later commits then record no generation, so the next open
    /// rebuilds the index instead of trusting one that misses units.
    stale: std::sync::atomic::AtomicBool,
    /// The writer of the open index, made at the first update and kept: its merge thread
    /// merges the small segments that every update commits. A writer dropped after each
    /// commit would stop its merges, and the segments (each with its own dictionaries in
    /// memory) would grow by one a write.
    writer: std::sync::Mutex<Option<tantivy::IndexWriter>>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").field("dir", &self.dir).finish()
    }
}

fn index_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("tantivy")
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> IndexError + '_ {
    move |source| match no_space_cause(&source) {
        Some(cause) => IndexError::NoSpace { cause },
        None => IndexError::Io { path: path.to_path_buf(), source },
    }
}

impl SearchIndex {
    /// Opens the index of the store's data directory, rebuilding it from the store when it is
    /// missing, damaged, of another schema or behind the store. `progress(done, total)` is
    /// called during a rebuild.
    pub fn open(store: &Store, progress: &mut dyn FnMut(u64, u64)) -> Result<(SearchIndex, OpenOutcome), IndexError> {
        let dir = index_dir(store.dir());
        let generation = store.generation()?;
        let reason = match Self::open_existing(&dir) {
            Ok(Some((index, payload))) if payload == (Payload { schema: INDEX_SCHEMA_VERSION, generation }) => {
                return Ok((index, OpenOutcome::Current));
            }
            Ok(Some((_, payload))) if payload.schema != INDEX_SCHEMA_VERSION => {
                format!("index schema {} differs from {}", payload.schema, INDEX_SCHEMA_VERSION)
            }
            Ok(Some((_, payload))) => format!("index reflects store generation {}, the store is at {generation}", payload.generation),
            Ok(None) => "no index yet".to_string(),
            Err(err) => format!("index could not be opened ({err})"),
        };
        let index = Self::rebuild(store, progress)?;
        Ok((index, OpenOutcome::Rebuilt(reason)))
    }

    /// Compares the index of `store`'s data directory with the store without changing
    /// either: its schema and generation, and for every unit the number of indexed variants
    /// against `variants_per_unit` (unit key → variants in the store).
    pub fn inspect(store: &Store, store_generation: u64, variants_per_unit: &std::collections::HashMap<u64, u64>) -> IndexCheck {
        let dir = index_dir(store.dir());
        let mut check = IndexCheck::default();
        let index = match Self::open_existing(&dir) {
            Ok(Some((index, payload))) => {
                check.present = true;
                check.schema = Some(payload.schema);
                check.generation = Some(payload.generation);
                if payload.schema != INDEX_SCHEMA_VERSION {
                    check.problems.push(format!("index schema {} differs from {INDEX_SCHEMA_VERSION}", payload.schema));
                }
                if payload.generation != store_generation {
                    check.problems.push(format!("index reflects store generation {}, the store is at {store_generation}", payload.generation));
                }
                index
            }
            Ok(None) => {
                check.problems.push("there is no search index (it is rebuilt at the next start or by `termbridge reindex`)".into());
                return check;
            }
            Err(err) => {
                check.problems.push(format!("the search index cannot be opened: {err}"));
                return check;
            }
        };
        let mut indexed: std::collections::HashMap<u64, u64> = std::collections::HashMap::with_capacity(variants_per_unit.len());
        let searcher = index.reader.searcher();
        for segment in searcher.segment_readers() {
            let column = match segment.fast_fields().u64("unit") {
                Ok(column) => column,
                Err(err) => {
                    check.problems.push(format!("a segment has no unit column: {err}"));
                    continue;
                }
            };
            for doc in segment.doc_ids_alive() {
                check.documents += 1;
                match column.first(doc) {
                    Some(unit) => *indexed.entry(unit).or_default() += 1,
                    None => check.problems.push("an indexed document has no unit key".into()),
                }
            }
        }
        let mut missing: Vec<u64> = variants_per_unit.keys().filter(|key| !indexed.contains_key(key)).copied().collect();
        let mut extra: Vec<u64> = indexed.keys().filter(|key| !variants_per_unit.contains_key(key)).copied().collect();
        let mut differing: Vec<u64> =
            variants_per_unit.iter().filter(|(key, variants)| indexed.get(key).is_some_and(|docs| docs != *variants)).map(|(key, _)| *key).collect();
        for (keys, what) in [
            (&mut missing, "stored but not indexed"),
            (&mut extra, "indexed but not stored"),
            (&mut differing, "indexed with another number of variants than stored"),
        ] {
            if keys.is_empty() {
                continue;
            }
            keys.sort_unstable();
            let named: Vec<String> = keys.iter().take(NAMED_PER_PROBLEM).map(|key| format!("{key:016x}")).collect();
            let more = if keys.len() > NAMED_PER_PROBLEM { format!(" and {} more", keys.len() - NAMED_PER_PROBLEM) } else { String::new() };
            check.problems.push(format!("{} units {what}: {}{more}", keys.len(), named.join(", ")));
        }
        check
    }

    fn open_existing(dir: &Path) -> Result<Option<(SearchIndex, Payload)>, IndexError> {
        if !dir.join("meta.json").exists() {
            return Ok(None);
        }
        let index = Index::open_in_dir(dir)?;
        let payload = index
            .load_metas()?
            .payload
            .and_then(|raw| serde_json::from_str::<Payload>(&raw).ok())
            .unwrap_or(Payload { schema: 0, generation: UNKNOWN_GENERATION });
        let (expected_schema, _) = schema();
        if index.schema() != expected_schema {
            return Ok(Some((Self::from_index(index, dir)?, Payload { schema: 0, generation: payload.generation })));
        }
        // Every file of the index ends with a checksum; a damaged file (a disk error, a
        // truncated copy) is found here rather than by a search that reads garbage.
        let mut damaged: Vec<String> = index.validate_checksum()?.into_iter().map(|path| path.display().to_string()).collect();
        if !damaged.is_empty() {
            damaged.sort();
            return Err(IndexError::Damaged(damaged.join(", ")));
        }
        Ok(Some((Self::from_index(index, dir)?, payload)))
    }

    fn from_index(index: Index, dir: &Path) -> Result<SearchIndex, IndexError> {
        register_analyzers(&index);
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let (_, fields) = schema();
        Ok(SearchIndex { index, reader, fields, dir: dir.to_path_buf(), stale: std::sync::atomic::AtomicBool::new(false), writer: std::sync::Mutex::new(None) })
    }

    /// Rebuilds the index from every unit in the store, into a fresh directory that replaces
    /// the old one only when complete.
    pub fn rebuild(store: &Store, progress: &mut dyn FnMut(u64, u64)) -> Result<SearchIndex, IndexError> {
        let dir = index_dir(store.dir());
        let staging = store.dir().join("tantivy.rebuild");
        if staging.exists() {
            std::fs::remove_dir_all(&staging).map_err(io_error(&staging))?;
        }
        std::fs::create_dir_all(&staging).map_err(io_error(&staging))?;
        let (schema, _) = schema();
        let index = Index::create_in_dir(&staging, schema)?;
        let staged = Self::from_index(index, &staging)?;
        let generation = store.generation()?;
        let total = store.stats()?.units as u64;
        let mut done = 0u64;
        let mut writer = staged.writer()?;
        for entry in store.units() {
            let (key, unit) = entry?;
            staged.add_documents(&writer, &[(key, &unit)])?;
            done += 1;
            if done.is_multiple_of(10_000) {
                progress(done, total);
            }
        }
        progress(done, total);
        Self::commit(&mut writer, generation)?;
        drop(writer);
        drop(staged);
        // Swap by renames, so a crash leaves the old index, the new one or none (which the
        // next open rebuilds), never a half-deleted directory under the live name.
        let old = store.dir().join("tantivy.old");
        if old.exists() {
            std::fs::remove_dir_all(&old).map_err(io_error(&old))?;
        }
        if dir.exists() {
            std::fs::rename(&dir, &old).map_err(io_error(&dir))?;
        }
        std::fs::rename(&staging, &dir).map_err(io_error(&dir))?;
        if old.exists() {
            std::fs::remove_dir_all(&old).map_err(io_error(&old))?;
        }
        let index = Index::open_in_dir(&dir)?;
        Self::from_index(index, &dir)
    }

    fn writer(&self) -> Result<tantivy::IndexWriter, IndexError> {
        // One indexing thread: the caller's thread folds the words meanwhile, and the
        // fuzzy-match index is built beside both, which keeps two cores busy.
        Ok(self.index.writer_with_num_threads(1, 128_000_000)?)
    }

    fn add_documents(&self, writer: &tantivy::IndexWriter, units: &[(u64, &TranslationUnit)]) -> Result<(), IndexError> {
        add_documents(writer, self.fields, units)
    }

    fn commit(writer: &mut tantivy::IndexWriter, generation: u64) -> Result<(), IndexError> {
        let payload = serde_json::to_string(&Payload { schema: INDEX_SCHEMA_VERSION, generation }).unwrap_or_default();
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        Ok(())
    }

    /// Adds newly stored units and records the store generation they bring the index to
    /// (or, once the index is stale, a generation no store has).
    pub fn add_units(&self, units: &[(u64, &TranslationUnit)], generation: u64) -> Result<(), IndexError> {
        let mut slot = self.writer.lock().map_err(|_| IndexError::Panicked)?;
        let writer = match slot.as_mut() {
            Some(writer) => writer,
            None => slot.insert(self.writer()?),
        };
        let recorded = if self.is_stale() { UNKNOWN_GENERATION } else { generation };
        let written = self.add_documents(writer, units).and_then(|()| Self::commit(writer, recorded));
        if written.is_err() {
            // A writer whose add or commit failed may hold half a batch: the next update
            // starts a fresh one from the last commit.
            *slot = None;
        }
        written?;
        self.reader.reload()?;
        Ok(())
    }

    /// Takes the index's writer out, for documents of a write the store has not published
    /// yet: [`PendingDocs::add`] adds them (on any thread) without committing; they become
    /// searchable with [`SearchIndex::commit_pending`], and [`SearchIndex::discard_pending`]
    /// (or a crash) drops them. The caller holds the workspace's write lock meanwhile.
    pub fn take_pending(&self) -> Result<PendingDocs, IndexError> {
        let mut slot = self.writer.lock().map_err(|_| IndexError::Panicked)?;
        let writer = match slot.take() {
            Some(writer) => writer,
            None => self.writer()?,
        };
        Ok(PendingDocs { writer, fields: self.fields })
    }

    /// Puts the writer back and commits what was added to it, recording the store generation
    /// it brings the index to (or, once the index is stale, a generation no store has).
    pub fn commit_pending(&self, pending: PendingDocs, generation: u64) -> Result<(), IndexError> {
        self.writer.lock().map_err(|_| IndexError::Panicked)?.replace(pending.writer);
        self.add_units(&[], generation)
    }

    /// Drops what was added to the taken writer since the last commit.
    pub fn discard_pending(&self, pending: PendingDocs) {
        let mut writer = pending.writer;
        let _ = writer.rollback();
        if let Ok(mut slot) = self.writer.lock() {
            slot.replace(writer);
        }
    }

    /// Number of segments the index's searcher sees (merges keep it small).
    pub fn segment_count(&self) -> usize {
        self.reader.searcher().segment_readers().len()
    }

    /// Bytes of the index's files on disk.
    pub fn disk_bytes(&self) -> u64 {
        std::fs::read_dir(&self.dir)
            .map(|entries| entries.filter_map(Result::ok).filter_map(|entry| entry.metadata().ok()).filter(|meta| meta.is_file()).map(|meta| meta.len()).sum())
            .unwrap_or(0)
    }

    /// Stops the index's writer, letting running merges finish, before the directory is
    /// replaced or the index closed.
    pub fn close_writer(&self) {
        let writer = self.writer.lock().map(|mut slot| slot.take()).unwrap_or(None);
        if let Some(writer) = writer
            && let Err(err) = writer.wait_merging_threads()
        {
            tracing::warn!("search index merge did not finish: {err}");
        }
        if let Err(err) = self.reader.reload() {
            tracing::warn!("search index reload failed: {err}");
        }
    }

    /// Marks the index as missing units the store has: it is rebuilt at the next open.
    pub fn mark_stale(&self) {
        self.stale.store(true, std::sync::atomic::Ordering::SeqCst);
    }

    /// True when an update failed since the index was opened or rebuilt.
    pub fn is_stale(&self) -> bool {
        self.stale.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Number of indexed variants.
    pub fn doc_count(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Units with a variant in `lang` (any language when `None`) that contain the words of
    /// `phrase` in order, folded to the script tier; best BM25 first.
    pub fn phrase_search(&self, phrase: &str, lang: Option<Lang>, limit: usize) -> Result<Vec<IndexHit>, IndexError> {
        let keys: Vec<String> = word_keys(phrase, lang.unwrap_or(Lang::En)).into_iter().map(|key| key.word).collect();
        self.keys_search(self.fields.words, keys, lang, limit)
    }

    /// Units with a variant in `lang` whose words have the stems of the words of `phrase`, in
    /// order (inflected forms); best BM25 first. Texts without inflected words have no
    /// `stems`, so their `words` are searched for the stems too.
    pub fn stem_search(&self, phrase: &str, lang: Lang, limit: usize) -> Result<Vec<IndexHit>, IndexError> {
        let keys: Vec<String> = word_keys(phrase, lang).into_iter().map(|key| key.stem).collect();
        let (Some(in_stems), Some(in_words)) = (self.keys_query(self.fields.stems, &keys), self.keys_query(self.fields.words, &keys)) else {
            return Ok(Vec::new());
        };
        self.search(Box::new(BooleanQuery::new(vec![(Occur::Should, in_stems), (Occur::Should, in_words)])), Some(lang), limit)
    }

    /// Units with a variant in `lang` whose words have the keys `keys` in a row (`None`: any
    /// word there), folded words or, with `stems`, stems (texts without inflected words
    /// answer for their stems through `words`, as in [`SearchIndex::stem_search`]). Counts
    /// them up to `max_count` and returns the first `sample` in index order; no scoring, so
    /// asking whether a phrase occurs at all (`max_count` 1) stops at the first one.
    pub fn phrase_units(&self, keys: &[Option<String>], lang: Lang, stems: bool, sample: usize, max_count: u64) -> Result<PhraseUnits, IndexError> {
        let fields: &[Field] = if stems { &[self.fields.stems, self.fields.words] } else { &[self.fields.words] };
        let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for &field in fields {
            let mut terms: Vec<(usize, Term)> =
                keys.iter().enumerate().filter_map(|(offset, key)| key.as_ref().map(|key| (offset, Term::from_field_text(field, key)))).collect();
            let query: Box<dyn Query> = match terms.len() {
                0 => return Ok(PhraseUnits { count: 0, units: Vec::new() }),
                1 => {
                    let (_, term) = terms.remove(0);
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
                }
                _ => Box::new(PhraseQuery::new_with_offset(terms)),
            };
            alternatives.push((Occur::Should, query));
        }
        let text_query: Box<dyn Query> = if alternatives.len() == 1 { alternatives.remove(0).1 } else { Box::new(BooleanQuery::new(alternatives)) };
        let lang_query = TermQuery::new(Term::from_field_text(self.fields.lang, lang.code()), IndexRecordOption::Basic);
        let query = BooleanQuery::new(vec![(Occur::Must, text_query), (Occur::Must, Box::new(lang_query))]);
        let searcher = self.reader.searcher();
        let weight = query.weight(tantivy::query::EnableScoring::disabled_from_searcher(&searcher))?;
        let mut found = PhraseUnits { count: 0, units: Vec::with_capacity(sample) };
        for segment in searcher.segment_readers() {
            let mut scorer = weight.scorer(segment, 1.0)?;
            let alive = segment.alive_bitset();
            let units = segment.fast_fields().u64("unit")?;
            let mut doc = scorer.doc();
            while doc != tantivy::TERMINATED {
                if alive.is_none_or(|alive| alive.is_alive(doc)) {
                    found.count += 1;
                    if found.units.len() < sample
                        && let Some(unit) = units.first(doc)
                    {
                        found.units.push(unit);
                    }
                    if found.count >= max_count {
                        return Ok(found);
                    }
                }
                doc = scorer.advance();
            }
        }
        Ok(found)
    }

    /// How many indexed texts contain the folded word `word` (any language).
    pub fn word_doc_freq(&self, word: &str) -> Result<u64, IndexError> {
        Ok(self.reader.searcher().doc_freq(&Term::from_field_text(self.fields.words, word))?)
    }

    /// How many indexed texts are in `lang`.
    pub fn lang_doc_count(&self, lang: Lang) -> Result<u64, IndexError> {
        Ok(self.reader.searcher().doc_freq(&Term::from_field_text(self.fields.lang, lang.code()))?)
    }

    fn keys_query(&self, field: Field, keys: &[String]) -> Option<Box<dyn Query>> {
        let mut terms: Vec<Term> = keys.iter().map(|key| Term::from_field_text(field, key)).collect();
        match terms.len() {
            0 => None,
            1 => Some(Box::new(TermQuery::new(terms.remove(0), IndexRecordOption::WithFreqs))),
            _ => Some(Box::new(PhraseQuery::new(terms))),
        }
    }

    fn keys_search(&self, field: Field, keys: Vec<String>, lang: Option<Lang>, limit: usize) -> Result<Vec<IndexHit>, IndexError> {
        match self.keys_query(field, &keys) {
            None => Ok(Vec::new()),
            Some(text_query) => self.search(text_query, lang, limit),
        }
    }

    fn search(&self, text_query: Box<dyn Query>, lang: Option<Lang>, limit: usize) -> Result<Vec<IndexHit>, IndexError> {
        let query: Box<dyn Query> = match lang {
            None => text_query,
            Some(lang) => {
                let lang_query = TermQuery::new(Term::from_field_text(self.fields.lang, lang.code()), IndexRecordOption::Basic);
                Box::new(BooleanQuery::new(vec![(Occur::Must, text_query), (Occur::Must, Box::new(lang_query))]))
            }
        };
        let searcher = self.reader.searcher();
        let top = searcher.search(&query, &TopDocs::with_limit(limit.max(1)).order_by_score())?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let units = searcher.segment_reader(address.segment_ord).fast_fields().u64("unit")?;
            let Some(unit) = units.first(address.doc_id) else { continue };
            hits.push(IndexHit { unit, score });
        }
        Ok(hits)
    }
}
