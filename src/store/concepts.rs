//! Concepts of the term base in the store: the `concepts` tree, keyed by concept id, one
//! JSON-encoded [`Concept`] a value.
//!
//! A write is one atomic batch on that tree, flushed before it returns: all the concepts of an
//! import are stored, or none. Concepts carry no generation number: the search index does not
//! cover them; the term index is rebuilt from this tree.

use super::{Store, StoreError};
use crate::model::{Concept, ConceptWriteSummary};

fn decode(key: &[u8], bytes: &[u8]) -> Result<Concept, StoreError> {
    serde_json::from_slice(bytes).map_err(|err| StoreError::Corrupt(format!("concept {:?} cannot be decoded: {err}", String::from_utf8_lossy(key))))
}

impl Store {
    fn concepts_tree(&self) -> Result<sled::Tree, StoreError> {
        Ok(self.db.open_tree("concepts")?)
    }

    /// Stores `concepts` all-or-nothing and durably. A concept replaces the stored concept
    /// with the same id; identical concepts are not written again. When `only_if_empty` is
    /// set, nothing is written unless the store holds no concept (checked under the write
    /// lock), and `None` tells that it held some.
    fn write_concepts(&self, concepts: &[Concept], only_if_empty: bool) -> Result<Option<ConceptWriteSummary>, StoreError> {
        let _guard = self.write_lock.lock().map_err(|_| StoreError::Corrupt("write lock poisoned".into()))?;
        let tree = self.concepts_tree()?;
        if only_if_empty && !tree.is_empty() {
            return Ok(None);
        }
        let mut batch = sled::Batch::default();
        let mut summary = ConceptWriteSummary::default();
        let mut seen = std::collections::HashSet::with_capacity(concepts.len());
        for concept in concepts {
            if !seen.insert(concept.id.as_str()) {
                return Err(StoreError::Corrupt(format!("concept {:?} given twice in one write", concept.id)));
            }
            let value = serde_json::to_vec(concept).map_err(|err| StoreError::Corrupt(format!("cannot encode concept {:?}: {err}", concept.id)))?;
            match tree.get(concept.id.as_bytes())? {
                Some(existing) if existing.as_ref() == value.as_slice() => {
                    summary.unchanged += 1;
                    continue;
                }
                Some(_) => summary.replaced += 1,
                None => summary.added += 1,
            }
            batch.insert(concept.id.as_bytes(), value);
        }
        if summary.added + summary.replaced > 0 {
            self.engine_write(|| {
                tree.apply_batch(batch)?;
                self.db.flush()?;
                Ok(())
            })?;
        }
        Ok(Some(summary))
    }

    /// Stores `concepts` (see [`ConceptWriteSummary`]): all or nothing, durable on return.
    pub fn put_concepts(&self, concepts: &[Concept]) -> Result<ConceptWriteSummary, StoreError> {
        // Unwrap-free: without `only_if_empty` the write always yields a summary.
        Ok(self.write_concepts(concepts, false)?.unwrap_or_default())
    }

    /// Stores `concepts` only when the store holds no concept yet; returns what was written,
    /// or `None` when concepts were already there.
    pub fn put_concepts_if_empty(&self, concepts: &[Concept]) -> Result<Option<ConceptWriteSummary>, StoreError> {
        self.write_concepts(concepts, true)
    }

    /// Stores one concept under its id, durably: as a new concept when `replace` is false
    /// (nothing is written and `false` returned when the id is taken), or in place of the
    /// stored one when `replace` is true (nothing is written and `false` returned when the id
    /// is unknown). The check and the write happen under the store's write lock.
    pub fn put_concept_checked(&self, concept: &Concept, replace: bool) -> Result<bool, StoreError> {
        let _guard = self.write_lock.lock().map_err(|_| StoreError::Corrupt("write lock poisoned".into()))?;
        let tree = self.concepts_tree()?;
        if tree.contains_key(concept.id.as_bytes())? != replace {
            return Ok(false);
        }
        let value = serde_json::to_vec(concept).map_err(|err| StoreError::Corrupt(format!("cannot encode concept {:?}: {err}", concept.id)))?;
        self.engine_write(|| {
            tree.insert(concept.id.as_bytes(), value)?;
            self.db.flush()?;
            Ok(())
        })?;
        Ok(true)
    }

    /// Removes the concept stored under `id`, durably; `false` when there was none.
    pub fn delete_concept(&self, id: &str) -> Result<bool, StoreError> {
        let _guard = self.write_lock.lock().map_err(|_| StoreError::Corrupt("write lock poisoned".into()))?;
        self.engine_write(|| {
            let removed = self.concepts_tree()?.remove(id.as_bytes())?.is_some();
            if removed {
                self.db.flush()?;
            }
            Ok(removed)
        })
    }

    /// The concept stored under `id`.
    pub fn concept(&self, id: &str) -> Result<Option<Concept>, StoreError> {
        match self.concepts_tree()?.get(id.as_bytes())? {
            None => Ok(None),
            Some(bytes) => Ok(Some(decode(id.as_bytes(), &bytes)?)),
        }
    }

    /// Every stored concept, in id order.
    pub fn concepts(&self) -> Result<Vec<Concept>, StoreError> {
        let tree = self.concepts_tree()?;
        let mut concepts = Vec::with_capacity(tree.len());
        for entry in tree.iter() {
            let (key, value) = entry?;
            concepts.push(decode(&key, &value)?);
        }
        Ok(concepts)
    }

    /// The number of stored concepts.
    pub fn concept_count(&self) -> Result<usize, StoreError> {
        Ok(self.concepts_tree()?.len())
    }

    /// A BLAKE3 hash of every stored concept (ids and encoded values, in id order): it stays
    /// the same exactly as long as the concepts do, so a term index built from them can be
    /// kept until it changes. Reads the raw values without decoding them.
    pub fn concepts_fingerprint(&self) -> Result<[u8; 32], StoreError> {
        let mut hasher = blake3::Hasher::new();
        for entry in self.concepts_tree()?.iter() {
            let (key, value) = entry?;
            for part in [key.as_ref(), value.as_ref()] {
                hasher.update(&(part.len() as u64).to_le_bytes());
                hasher.update(part);
            }
        }
        Ok(*hasher.finalize().as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use crate::model::lang::LangTag;
    use crate::model::{Concept, Term, TermStatus};
    use crate::store::Store;

    fn concept(id: &str, text: &str) -> Concept {
        let mut concept = Concept::new(id);
        concept.terms.push(Term::new(LangTag::EN, text, TermStatus::Preferred));
        concept
    }

    #[test]
    fn put_replace_and_reopen() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = Store::open(dir.path()).unwrap();
            assert_eq!(store.concept_count().unwrap(), 0);
            let summary = store.put_concepts(&[concept("a", "one"), concept("b", "two")]).unwrap();
            assert_eq!((summary.added, summary.replaced, summary.unchanged), (2, 0, 0));
            let summary = store.put_concepts(&[concept("a", "one"), concept("b", "three")]).unwrap();
            assert_eq!((summary.added, summary.replaced, summary.unchanged), (0, 1, 1));
            assert!(store.put_concepts_if_empty(&[concept("c", "x")]).unwrap().is_none());
            assert!(store.put_concepts(&[concept("d", "x"), concept("d", "y")]).is_err());
            assert_eq!(store.concept_count().unwrap(), 2, "a refused write stores nothing");
        }
        let store = Store::open(dir.path()).unwrap();
        let ids: Vec<String> = store.concepts().unwrap().into_iter().map(|c| c.id).collect();
        assert_eq!(ids, ["a", "b"]);
        assert_eq!(store.concept("b").unwrap().unwrap().terms[0].text, "three");
        assert!(store.concept("zz").unwrap().is_none());
        assert!(!store.put_concept_checked(&concept("a", "again"), false).unwrap(), "create refuses a taken id");
        assert!(!store.put_concept_checked(&concept("zz", "x"), true).unwrap(), "replace refuses an unknown id");
        assert!(store.put_concept_checked(&concept("c", "four"), false).unwrap());
        assert!(store.put_concept_checked(&concept("c", "five"), true).unwrap());
        assert_eq!(store.concept("c").unwrap().unwrap().terms[0].text, "five");
        assert!(store.delete_concept("c").unwrap());
        assert!(!store.delete_concept("c").unwrap());
        assert_eq!(store.stats().unwrap().generation, 0, "concept writes leave the unit generation alone");
    }
}
