//! The store: sled, the source of truth for units, concepts, places, audits and tokens.
//!
//! Invariants:
//! - one process at a time: [`Store::open`] takes an exclusive lock on `LOCK` in the data
//!   directory and fails at once with a clear message when another process holds it;
//! - every write that returns `Ok` has been flushed to disk (`sled::Db::flush`);
//! - a multi-record write is all-or-nothing: the records and the new generation number go in
//!   one sled transaction, which sled's log recovers whole or not at all after a crash;
//! - the generation number grows with every write, so the derived search index can tell
//!   whether it is in step with the store.
//!
//! No `sled::` type leaves this module.

mod audits;
mod concepts;
mod error;
mod tokens;

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use sled::Transactional;

pub use error::StoreError;
pub use tokens::{NewToken, Role, TokenRecord};

use crate::memory::TranslationUnit;

/// The schema version this build writes. Older stores are migrated at open.
pub const SCHEMA_VERSION: u32 = 1;

const META_SCHEMA: &[u8] = b"schema_version";
const META_GENERATION: &[u8] = b"generation";

/// What a write stored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct WriteSummary {
    /// Records that were new.
    pub stored: usize,
    /// Records that were already there (same content).
    pub duplicates: usize,
}

/// Counts of what the store holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct StoreStats {
    /// Translation units.
    pub units: usize,
    /// Schema version.
    pub schema_version: u32,
    /// Write generation.
    pub generation: u64,
}

/// An open data directory's store.
pub struct Store {
    db: sled::Db,
    meta: sled::Tree,
    units: sled::Tree,
    dir: PathBuf,
    write_lock: Mutex<()>,
    _process_lock: File,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("dir", &self.dir).finish()
    }
}

fn take_process_lock(dir: &Path) -> Result<File, StoreError> {
    let path = dir.join("LOCK");
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&path)
        .map_err(|source| StoreError::NotWritable { dir: dir.to_path_buf(), source })?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            let holder = std::fs::read_to_string(&path).unwrap_or_default();
            return Err(StoreError::Locked { dir: dir.to_path_buf(), holder: holder.trim().to_string() });
        }
        Err(std::fs::TryLockError::Error(source)) => return Err(StoreError::NotWritable { dir: dir.to_path_buf(), source }),
    }
    // Record who holds the lock, for the message another process shows.
    let _ = file.set_len(0);
    let _ = write!(file, "pid {}", std::process::id());
    Ok(file)
}

fn read_u64(tree: &sled::Tree, key: &[u8]) -> Result<Option<u64>, StoreError> {
    match tree.get(key)? {
        None => Ok(None),
        Some(bytes) => {
            let array: [u8; 8] =
                bytes.as_ref().try_into().map_err(|_| StoreError::Corrupt(format!("meta key {:?} is not 8 bytes", String::from_utf8_lossy(key))))?;
            Ok(Some(u64::from_be_bytes(array)))
        }
    }
}

impl Store {
    /// Opens (creating if needed) the store in `dir`, migrating an older schema.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::NotWritable { dir: dir.to_path_buf(), source })?;
        let process_lock = take_process_lock(dir)?;
        let db = sled::Config::new().path(dir.join("store")).cache_capacity(256 << 20).flush_every_ms(Some(500)).open()?;
        let meta = db.open_tree("meta")?;
        let units = db.open_tree("units")?;
        let store = Store { db, meta, units, dir: dir.to_path_buf(), write_lock: Mutex::new(()), _process_lock: process_lock };
        store.migrate()?;
        Ok(store)
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn migrate(&self) -> Result<(), StoreError> {
        let found = read_u64(&self.meta, META_SCHEMA)?;
        match found {
            None => {
                if !self.units.is_empty() {
                    return Err(StoreError::Corrupt("store holds data but no schema version".into()));
                }
                self.meta.insert(META_SCHEMA, &u64::from(SCHEMA_VERSION).to_be_bytes())?;
                self.db.flush()?;
            }
            Some(version) if version == u64::from(SCHEMA_VERSION) => {}
            Some(version) if version > u64::from(SCHEMA_VERSION) => {
                return Err(StoreError::TooNew { found: version, supported: SCHEMA_VERSION });
            }
            Some(version) => {
                // Migration hook: each step upgrades one version, in one transaction.
                for from in version..u64::from(SCHEMA_VERSION) {
                    self.migrate_step(from)?;
                }
            }
        }
        Ok(())
    }

    fn migrate_step(&self, from: u64) -> Result<(), StoreError> {
        // No older schema exists yet; version 0 stores are empty by construction.
        self.meta.insert(META_SCHEMA, &(from + 1).to_be_bytes())?;
        self.db.flush()?;
        Ok(())
    }

    /// The write generation: grows with every acknowledged write.
    pub fn generation(&self) -> Result<u64, StoreError> {
        Ok(read_u64(&self.meta, META_GENERATION)?.unwrap_or(0))
    }

    /// Counts of what the store holds.
    pub fn stats(&self) -> Result<StoreStats, StoreError> {
        Ok(StoreStats { units: self.units.len(), schema_version: SCHEMA_VERSION, generation: self.generation()? })
    }

    /// Stores `units` all-or-nothing and durably; units already present are counted as
    /// duplicates and not written again. Returns what was stored and the keys of the new
    /// units, in input order.
    pub fn put_units(&self, units: &[TranslationUnit]) -> Result<(WriteSummary, Vec<u64>), StoreError> {
        let _guard = self.write_lock.lock().map_err(|_| StoreError::Corrupt("write lock poisoned".into()))?;
        let mut batch = sled::Batch::default();
        let mut summary = WriteSummary::default();
        let mut new_keys = Vec::new();
        let mut seen = std::collections::HashSet::with_capacity(units.len());
        for unit in units {
            let key = unit.key();
            if !seen.insert(key) || self.units.contains_key(key.to_be_bytes())? {
                summary.duplicates += 1;
                continue;
            }
            let value = serde_json::to_vec(unit).map_err(|err| StoreError::Corrupt(format!("cannot encode unit {}: {err}", unit.id)))?;
            batch.insert(&key.to_be_bytes(), value);
            new_keys.push(key);
            summary.stored += 1;
        }
        if summary.stored == 0 {
            return Ok((summary, new_keys));
        }
        let next_generation = self.generation()? + 1;
        (&self.units, &self.meta)
            .transaction(|(units_tx, meta_tx)| {
                units_tx.apply_batch(&batch)?;
                meta_tx.insert(META_GENERATION, &next_generation.to_be_bytes())?;
                Ok::<(), sled::transaction::ConflictableTransactionError<()>>(())
            })
            .map_err(|err| StoreError::Corrupt(format!("transaction failed: {err:?}")))?;
        self.db.flush()?;
        Ok((summary, new_keys))
    }

    /// The unit stored under `key`.
    pub fn unit(&self, key: u64) -> Result<Option<TranslationUnit>, StoreError> {
        match self.units.get(key.to_be_bytes())? {
            None => Ok(None),
            Some(bytes) => Ok(Some(decode_unit(key, &bytes)?)),
        }
    }

    /// Every unit with its key, in key order.
    pub fn units(&self) -> impl Iterator<Item = Result<(u64, TranslationUnit), StoreError>> + '_ {
        self.units.iter().map(|entry| {
            let (key_bytes, value) = entry?;
            let array: [u8; 8] = key_bytes.as_ref().try_into().map_err(|_| StoreError::Corrupt("unit key is not 8 bytes".into()))?;
            let key = u64::from_be_bytes(array);
            Ok((key, decode_unit(key, &value)?))
        })
    }

    /// Flushes everything to disk.
    pub fn flush(&self) -> Result<(), StoreError> {
        self.db.flush()?;
        Ok(())
    }
}

fn decode_unit(key: u64, bytes: &[u8]) -> Result<TranslationUnit, StoreError> {
    serde_json::from_slice(bytes).map_err(|err| StoreError::Corrupt(format!("unit {key:016x} cannot be decoded: {err}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::LangTag;
    use crate::memory::Variant;

    fn unit(id: &str, text: &str) -> TranslationUnit {
        TranslationUnit {
            id: id.into(),
            collection: "default".into(),
            variants: vec![Variant::new(LangTag::EN, text), Variant::new(LangTag::SQ, format!("{text} sq"))],
            props: Default::default(),
            notes: Vec::new(),
            created: None,
            changed: None,
        }
    }

    #[test]
    fn put_is_deduplicated_and_survives_reopen() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = Store::open(dir.path()).unwrap();
            let (summary, keys) = store.put_units(&[unit("1", "a"), unit("2", "b"), unit("1", "a")]).unwrap();
            assert_eq!(summary, WriteSummary { stored: 2, duplicates: 1 });
            assert_eq!(keys.len(), 2);
            let (again, _) = store.put_units(&[unit("1", "a")]).unwrap();
            assert_eq!(again, WriteSummary { stored: 0, duplicates: 1 });
            assert_eq!(store.generation().unwrap(), 1);
        }
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.stats().unwrap().units, 2);
        assert_eq!(store.unit(unit("2", "b").key()).unwrap().unwrap().id, "2");
    }

    #[test]
    fn second_open_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let _first = Store::open(dir.path()).unwrap();
        let err = Store::open(dir.path()).unwrap_err();
        assert!(matches!(err, StoreError::Locked { .. }), "{err}");
        assert!(err.to_string().contains("in use by another termbridge process"), "{err}");
    }

    #[test]
    fn newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = Store::open(dir.path()).unwrap();
            store.meta.insert(META_SCHEMA, &99u64.to_be_bytes()).unwrap();
            store.flush().unwrap();
        }
        let err = Store::open(dir.path()).unwrap_err();
        assert!(matches!(err, StoreError::TooNew { found: 99, .. }), "{err}");
    }
}
