//! Verification of a store: the schema version, the counters, every block and record, and
//! the content hashes that key units, concepts and tokens. It reports what it finds and
//! repairs nothing.
//!
//! A unit's key is a BLAKE3 hash of its id, collection, languages and texts, so a unit whose
//! stored text was changed no longer matches its key; fields outside that hash (notes,
//! properties, dates) are checked only for decoding.

use std::collections::{HashMap, HashSet};

use super::{BLOCK_PREFIX, SCHEMA_VERSION, Store, StoreError, UNITS_COMMITTED, block_entries, block_number, decode_record, read_committed, read_u64};

/// One thing wrong with a store.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoreProblem {
    /// What kind of problem: `schema`, `count`, `block`, `record`, `content-hash`,
    /// `duplicate`, `concept`, `token`, `audit`, `unknown-key`.
    pub kind: &'static str,
    /// What exactly, naming the key.
    pub detail: String,
}

/// What [`Store::check`] found.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct StoreCheck {
    /// The schema version recorded in the store.
    pub schema_version: u64,
    /// The write generation.
    pub generation: u64,
    /// Units the counter says the store holds.
    pub units: u64,
    /// Unit records found in the blocks.
    pub unit_records: u64,
    /// Blocks of units.
    pub blocks: u64,
    /// Concepts.
    pub concepts: u64,
    /// API tokens.
    pub tokens: u64,
    /// Audit records.
    pub audits: u64,
    /// Everything wrong, in the order found.
    pub problems: Vec<StoreProblem>,
    /// Variants per unit key, for comparing the search index with the store.
    #[serde(skip)]
    pub variants_per_unit: HashMap<u64, u64>,
}

impl StoreCheck {
    fn problem(&mut self, kind: &'static str, detail: impl Into<String>) {
        self.problems.push(StoreProblem { kind, detail: detail.into() });
    }
}

impl Store {
    /// Reads every record of the store and reports what is wrong. Errors are returned only
    /// when the storage engine itself fails; damage is reported as problems.
    pub fn check(&self) -> Result<StoreCheck, StoreError> {
        let mut check = StoreCheck::default();
        match read_u64(&self.meta, super::META_SCHEMA) {
            Ok(Some(version)) => check.schema_version = version,
            Ok(None) => check.problem("schema", "the store records no schema version"),
            Err(err) => check.problem("schema", err.to_string()),
        }
        if check.schema_version != u64::from(SCHEMA_VERSION) {
            check.problem("schema", format!("schema version {} where this termbridge writes {SCHEMA_VERSION}", check.schema_version));
        }
        let committed = match read_committed(&self.units) {
            Ok(committed) => committed,
            Err(err) => {
                check.problem("count", err.to_string());
                super::Committed::default()
            }
        };
        check.generation = committed.generation;
        check.units = committed.count;
        let next_block = committed.next_block;
        self.check_units(&mut check, next_block)?;
        self.check_concepts(&mut check)?;
        self.check_tokens(&mut check)?;
        self.check_audits(&mut check)?;
        Ok(check)
    }

    fn check_units(&self, check: &mut StoreCheck, next_block: u64) -> Result<(), StoreError> {
        let mut seen = HashSet::new();
        for entry in self.units.iter() {
            let (key_bytes, value) = entry?;
            if key_bytes.first() != Some(&BLOCK_PREFIX) {
                if key_bytes.as_ref() != UNITS_COMMITTED {
                    check.problem("unknown-key", format!("tree units holds an unexpected key {:?}", String::from_utf8_lossy(&key_bytes)));
                }
                continue;
            }
            let block = match block_number(&key_bytes) {
                Ok(block) => block,
                Err(err) => {
                    check.problem("block", err.to_string());
                    continue;
                }
            };
            check.blocks += 1;
            if block >= next_block {
                check.problem("block", format!("block {block} lies beyond the next free block {next_block}"));
            }
            let entries = match block_entries(block, &value) {
                Ok(entries) => entries,
                Err(err) => {
                    check.problem("block", err.to_string());
                    continue;
                }
            };
            for (key, location) in entries {
                check.unit_records += 1;
                let range = location.offset as usize..(location.offset + location.len) as usize;
                let record = match value.get(range).map(|bytes| decode_record(key, bytes)) {
                    Some(Ok(record)) => record,
                    Some(Err(err)) => {
                        check.problem("record", err.to_string());
                        continue;
                    }
                    None => {
                        check.problem("record", format!("unit {key:016x} lies outside block {block}"));
                        continue;
                    }
                };
                if !seen.insert(key) {
                    check.problem("duplicate", format!("unit {key:016x} is stored twice"));
                }
                let content_key = record.unit.key();
                if content_key != key {
                    check.problem(
                        "content-hash",
                        format!("unit {key:016x} (id {:?}) has content whose hash is {content_key:016x}: it was changed after it was stored", record.unit.id),
                    );
                }
                if record.generation > check.generation {
                    check.problem("record", format!("unit {key:016x} has generation {} beyond the store's {}", record.generation, check.generation));
                }
                check.variants_per_unit.insert(key, record.unit.variants.len() as u64);
            }
        }
        if check.unit_records != check.units {
            check.problem("count", format!("the unit counter says {} but the blocks hold {} units", check.units, check.unit_records));
        }
        Ok(())
    }

    fn check_concepts(&self, check: &mut StoreCheck) -> Result<(), StoreError> {
        for entry in self.db.open_tree("concepts")?.iter() {
            let (key, value) = entry?;
            check.concepts += 1;
            match serde_json::from_slice::<crate::model::Concept>(&value) {
                Ok(concept) if concept.id.as_bytes() == key.as_ref() => {}
                Ok(concept) => check.problem("concept", format!("concept stored under {:?} has id {:?}", String::from_utf8_lossy(&key), concept.id)),
                Err(err) => check.problem("concept", format!("concept {:?} cannot be decoded: {err}", String::from_utf8_lossy(&key))),
            }
        }
        Ok(())
    }

    fn check_tokens(&self, check: &mut StoreCheck) -> Result<(), StoreError> {
        for entry in self.db.open_tree("tokens")?.iter() {
            let (key, value) = entry?;
            check.tokens += 1;
            match serde_json::from_slice::<super::TokenRecord>(&value) {
                Ok(token) if token.id.as_bytes() == key.as_ref() && token.hash_is_well_formed() => {}
                Ok(token) => {
                    check.problem("token", format!("token stored under {:?} has id {:?} or a malformed hash", String::from_utf8_lossy(&key), token.id))
                }
                Err(err) => check.problem("token", format!("token {:?} cannot be decoded: {err}", String::from_utf8_lossy(&key))),
            }
        }
        Ok(())
    }

    fn check_audits(&self, check: &mut StoreCheck) -> Result<(), StoreError> {
        for entry in self.db.open_tree("audits")?.iter() {
            let (key, _) = entry?;
            check.audits += 1;
            let well_formed = key.len() >= 9 && key[key.len() - 9] == 0;
            if !well_formed {
                check.problem("audit", format!("audit key {:?} has no document id and time", String::from_utf8_lossy(&key)));
            }
        }
        Ok(())
    }

    /// Overwrites the raw bytes of the record of unit `key` with `edit` applied, bypassing
    /// every check: only for tests of [`Store::check`].
    #[cfg(test)]
    pub(crate) fn tamper_unit(&self, key: u64, edit: impl FnOnce(&mut Vec<u8>)) {
        let location = *self.locations.read().unwrap().get(&key).unwrap();
        let block_key = super::block_key(location.block);
        let mut block = self.units.get(block_key).unwrap().unwrap().to_vec();
        let range = location.offset as usize..(location.offset + location.len) as usize;
        let mut record = block[range.clone()].to_vec();
        edit(&mut record);
        assert_eq!(record.len(), range.len(), "tampering keeps the length");
        block[range].copy_from_slice(&record);
        self.units.insert(block_key, block).unwrap();
        self.db.flush().unwrap();
    }
}

#[cfg(test)]
mod tests {
    use crate::model::lang::LangTag;
    use crate::model::{TranslationUnit, Variant};
    use crate::store::Store;

    fn unit(id: &str, text: &str) -> TranslationUnit {
        TranslationUnit {
            id: id.into(),
            collection: "default".into(),
            variants: vec![Variant::new(LangTag::EN, text), Variant::new(LangTag::SQ, "Komuna")],
            props: Default::default(),
            notes: Vec::new(),
            created: None,
            changed: None,
        }
    }

    #[test]
    fn a_sound_store_has_no_problems() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        store.put_units(&[unit("a", "Municipality"), unit("b", "Assembly")]).unwrap();
        store.create_token(crate::store::Role::Admin).unwrap();
        let check = store.check().unwrap();
        assert!(check.problems.is_empty(), "{:?}", check.problems);
        assert_eq!((check.units, check.unit_records, check.tokens, check.blocks), (2, 2, 1, 1));
        assert_eq!(check.variants_per_unit.len(), 2);
    }

    #[test]
    fn a_changed_text_breaks_the_content_hash() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let (_, keys) = store.put_units(&[unit("a", "Municipality"), unit("b", "Assembly")]).unwrap();
        store.tamper_unit(keys[1], |record| {
            let at = record.windows(8).position(|window| window == b"Assembly").unwrap();
            record[at] = b'X';
        });
        let check = store.check().unwrap();
        assert_eq!(check.problems.len(), 1, "{:?}", check.problems);
        assert_eq!(check.problems[0].kind, "content-hash");
        assert!(check.problems[0].detail.contains("\"b\""), "{:?}", check.problems);
    }

    #[test]
    fn an_undecodable_record_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let (_, keys) = store.put_units(&[unit("a", "Municipality")]).unwrap();
        store.tamper_unit(keys[0], |record| record[0] = 0x7f);
        let check = store.check().unwrap();
        assert_eq!(check.problems.iter().map(|problem| problem.kind).collect::<Vec<_>>(), ["record"]);
    }
}
