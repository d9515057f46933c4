//! The search index: tantivy, derived from the store and always rebuildable from it.
//!
//! Each language variant of a unit is one document with the unit's key, its language, the
//! text folded to the script tier as character trigrams (`ng`, fuzzy candidates) and as words
//! (`words`, concordance). Folding uses the same `text::Folded` as every other feature, through
//! the tokenizer adapters in `analyzer`.
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
use tantivy::schema::{FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value};
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyDocument, Term, doc};

use crate::lang::Lang;
use crate::memory::TranslationUnit;
use crate::store::{Store, StoreError};

pub use analyzer::{NGRAM_TOKENIZER, WORD_TOKENIZER, register_analyzers};

/// Bumped whenever the schema or the analyzers change; a mismatch triggers a rebuild.
pub const INDEX_SCHEMA_VERSION: u32 = 1;

/// Why the index could not be used.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// tantivy failed.
    #[error("search index failure: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
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
    ngrams: Field,
    words: Field,
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let unit = builder.add_u64_field("unit", INDEXED | STORED | FAST);
    let lang = builder.add_text_field("lang", STRING | STORED);
    let ngram_options =
        TextOptions::default().set_indexing_options(TextFieldIndexing::default().set_tokenizer(NGRAM_TOKENIZER).set_index_option(IndexRecordOption::WithFreqs));
    let ngrams = builder.add_text_field("ng", ngram_options);
    let word_options = TextOptions::default()
        .set_indexing_options(TextFieldIndexing::default().set_tokenizer(WORD_TOKENIZER).set_index_option(IndexRecordOption::WithFreqsAndPositions));
    let words = builder.add_text_field("words", word_options);
    (builder.build(), Fields { unit, lang, ngrams, words })
}

/// Why [`SearchIndex::open`] rebuilt the index, if it did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenOutcome {
    /// The index was in step with the store.
    Current,
    /// The index was rebuilt; the reason says why.
    Rebuilt(String),
}

/// A document found by a search: the unit's key and the language of the variant that matched.
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
    move |source| IndexError::Io { path: path.to_path_buf(), source }
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

    fn open_existing(dir: &Path) -> Result<Option<(SearchIndex, Payload)>, IndexError> {
        if !dir.join("meta.json").exists() {
            return Ok(None);
        }
        let index = Index::open_in_dir(dir)?;
        let payload =
            index.load_metas()?.payload.and_then(|raw| serde_json::from_str::<Payload>(&raw).ok()).unwrap_or(Payload { schema: 0, generation: u64::MAX });
        let (expected_schema, _) = schema();
        if index.schema() != expected_schema {
            return Ok(Some((Self::from_index(index, dir)?, Payload { schema: 0, generation: payload.generation })));
        }
        Ok(Some((Self::from_index(index, dir)?, payload)))
    }

    fn from_index(index: Index, dir: &Path) -> Result<SearchIndex, IndexError> {
        register_analyzers(&index);
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let (_, fields) = schema();
        Ok(SearchIndex { index, reader, fields, dir: dir.to_path_buf() })
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
        let mut chunk = Vec::with_capacity(10_000);
        let mut writer = staged.writer()?;
        for entry in store.units() {
            chunk.push(entry?);
            if chunk.len() == 10_000 {
                staged.add_documents(&writer, &chunk)?;
                done += chunk.len() as u64;
                chunk.clear();
                progress(done, total);
            }
        }
        staged.add_documents(&writer, &chunk)?;
        done += chunk.len() as u64;
        progress(done, total);
        Self::commit(&mut writer, generation)?;
        drop(writer);
        drop(staged);
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(io_error(&dir))?;
        }
        std::fs::rename(&staging, &dir).map_err(io_error(&dir))?;
        let index = Index::open_in_dir(&dir)?;
        Self::from_index(index, &dir)
    }

    fn writer(&self) -> Result<tantivy::IndexWriter, IndexError> {
        Ok(self.index.writer_with_num_threads(1, 200_000_000)?)
    }

    fn add_documents(&self, writer: &tantivy::IndexWriter, units: &[(u64, TranslationUnit)]) -> Result<(), IndexError> {
        for (key, unit) in units {
            for variant in &unit.variants {
                writer.add_document(doc!(
                    self.fields.unit => *key,
                    self.fields.lang => variant.lang.lang.code(),
                    self.fields.ngrams => variant.text.as_str(),
                    self.fields.words => variant.text.as_str(),
                ))?;
            }
        }
        Ok(())
    }

    fn commit(writer: &mut tantivy::IndexWriter, generation: u64) -> Result<(), IndexError> {
        let payload = serde_json::to_string(&Payload { schema: INDEX_SCHEMA_VERSION, generation }).unwrap_or_default();
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        Ok(())
    }

    /// Adds newly stored units and records the store generation they bring the index to.
    pub fn add_units(&self, units: &[(u64, TranslationUnit)], generation: u64) -> Result<(), IndexError> {
        let mut writer = self.writer()?;
        self.add_documents(&writer, units)?;
        Self::commit(&mut writer, generation)?;
        self.reader.reload()?;
        Ok(())
    }

    /// Number of indexed variants.
    pub fn doc_count(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Units with a variant in `lang` (any language when `None`) that contain the words of
    /// `phrase` in order, folded to the script tier; best BM25 first.
    pub fn phrase_search(&self, phrase: &str, lang: Option<Lang>, limit: usize) -> Result<Vec<IndexHit>, IndexError> {
        let mut analyzer = self.index.tokenizer_for_field(self.fields.words)?;
        let mut stream = analyzer.token_stream(phrase);
        let mut terms = Vec::new();
        while let Some(token) = stream.next() {
            terms.push(Term::from_field_text(self.fields.words, &token.text));
        }
        let text_query: Box<dyn Query> = match terms.len() {
            0 => return Ok(Vec::new()),
            1 => Box::new(TermQuery::new(terms.remove(0), IndexRecordOption::WithFreqs)),
            _ => Box::new(PhraseQuery::new(terms)),
        };
        self.search(text_query, lang, limit)
    }

    /// Candidate units for a fuzzy match of `text`: documents sharing the rarest `n_grams`
    /// folded trigrams of the query, best BM25 first.
    pub fn ngram_candidates(&self, text: &str, lang: Option<Lang>, n_grams: usize, limit: usize) -> Result<Vec<IndexHit>, IndexError> {
        let searcher = self.reader.searcher();
        let mut analyzer = self.index.tokenizer_for_field(self.fields.ngrams)?;
        let mut stream = analyzer.token_stream(text);
        let mut grams = std::collections::BTreeSet::new();
        while let Some(token) = stream.next() {
            grams.insert(token.text.clone());
        }
        let mut by_rarity = Vec::with_capacity(grams.len());
        for gram in grams {
            let term = Term::from_field_text(self.fields.ngrams, &gram);
            let frequency = searcher.doc_freq(&term)?;
            if frequency > 0 {
                by_rarity.push((frequency, term));
            }
        }
        by_rarity.sort_by_key(|(frequency, _)| *frequency);
        let clauses: Vec<(Occur, Box<dyn Query>)> = by_rarity
            .into_iter()
            .take(n_grams)
            .map(|(_, term)| (Occur::Should, Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)) as Box<dyn Query>))
            .collect();
        if clauses.is_empty() {
            return Ok(Vec::new());
        }
        self.search(Box::new(BooleanQuery::new(clauses)), lang, limit)
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
        let top = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let document: TantivyDocument = searcher.doc(address)?;
            let Some(unit) = document.get_first(self.fields.unit).and_then(|value| value.as_u64()) else { continue };
            hits.push(IndexHit { unit, score });
        }
        Ok(hits)
    }
}
