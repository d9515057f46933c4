//! A logical dump of the whole store (every tree, every record) in one self-checking stream,
//! and its reverse. Backups (`crate::ops`) are built on it.
//!
//! The dump is consistent: it is taken under the store's write lock, which every write
//! (units, concepts, tokens, audit records) holds, so no write can land half inside it.
//! Reads go on meanwhile; writes wait until the dump is written.
//!
//! Format (all integers big-endian): the magic `TBDUMP\0\x01`; per tree `T`, name length
//! (u32), name; per record `R`, key length (u32), key, value length (u32), value; then `E` and
//! the 32-byte BLAKE3 hash of every byte before it. It does not depend on sled's on-disk
//! format, so a dump can be loaded by a build with another storage engine version.
//!
//! It does not compress and does not encrypt: protect backups like the data directory.

use std::collections::BTreeMap;
use std::io::{Read, Write};

use super::{Store, StoreError};

const MAGIC: &[u8; 8] = b"TBDUMP\x00\x01";
const TAG_TREE: u8 = b'T';
const TAG_RECORD: u8 = b'R';
const TAG_END: u8 = b'E';
/// The largest key or value a dump may hold (a unit block is about 64 KiB); bounds what
/// damaged input can make us allocate.
const MAX_FIELD_BYTES: u32 = 256 << 20;
/// Records applied to a tree per batch while loading.
const LOAD_BATCH: usize = 4096;

/// What a dump holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DumpSummary {
    /// Records per tree, by tree name.
    pub trees: BTreeMap<String, u64>,
    /// Length of the dump in bytes.
    pub bytes: u64,
    /// Hex BLAKE3 hash of the whole dump (the trailing hash included).
    pub blake3: String,
    /// The schema version recorded in the dumped store.
    pub schema_version: u64,
    /// The dumped store's write generation.
    pub generation: u64,
    /// Translation units in the dumped store.
    pub units: u64,
}

impl DumpSummary {
    /// Records of tree `name` (0 when the dump has no such tree).
    pub fn records(&self, name: &str) -> u64 {
        self.trees.get(name).copied().unwrap_or(0)
    }

    /// Reads the counters a record carries (schema version, generation, unit count).
    fn observe(&mut self, tree: &str, key: &[u8], value: &[u8]) {
        let as_u64 = || <[u8; 8]>::try_from(value).ok().map(u64::from_be_bytes);
        match (tree, key) {
            ("meta", super::META_SCHEMA) => self.schema_version = as_u64().unwrap_or(0),
            ("meta", super::META_GENERATION_V1) if self.generation == 0 => self.generation = as_u64().unwrap_or(0),
            ("units", super::UNITS_GENERATION) => self.generation = as_u64().unwrap_or(0),
            ("units", super::UNITS_COUNT) => self.units = as_u64().unwrap_or(0),
            ("units", super::UNITS_COMMITTED) => {
                if let Ok(committed) = super::Committed::decode(value) {
                    self.generation = committed.generation;
                    self.units = committed.count;
                }
            }
            _ => {}
        }
    }
}

/// A writer that hashes and counts what passes through.
struct Hashing<W> {
    inner: W,
    hasher: blake3::Hasher,
    bytes: u64,
}

impl<W: Write> Hashing<W> {
    fn put(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.inner.write_all(bytes)?;
        self.hasher.update(bytes);
        self.bytes += bytes.len() as u64;
        Ok(())
    }

    fn field(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.put(&(bytes.len() as u32).to_be_bytes())?;
        self.put(bytes)
    }
}

fn io(err: std::io::Error) -> StoreError {
    StoreError::Io(err.to_string())
}

/// Display name of a tree (sled names the default tree `__sled__default`).
fn tree_name(raw: &[u8]) -> String {
    String::from_utf8_lossy(raw).into_owned()
}

impl Store {
    /// Writes a consistent dump of every tree to `out` and returns what it holds. Writes wait
    /// while it runs; reads do not.
    pub fn dump(&self, out: &mut dyn Write) -> Result<DumpSummary, StoreError> {
        let _guard = self.write_lock.lock().map_err(|_| StoreError::Corrupt("write lock poisoned".into()))?;
        let mut writer = Hashing { inner: out, hasher: blake3::Hasher::new(), bytes: 0 };
        let mut summary = DumpSummary::default();
        writer.put(MAGIC).map_err(io)?;
        let mut names = self.db.tree_names();
        names.sort();
        for name in names {
            let tree = self.db.open_tree(&name)?;
            writer.put(&[TAG_TREE]).map_err(io)?;
            writer.field(&name).map_err(io)?;
            let display = tree_name(&name);
            let mut records = 0u64;
            for entry in tree.iter() {
                let (key, value) = entry?;
                writer.put(&[TAG_RECORD]).map_err(io)?;
                writer.field(&key).map_err(io)?;
                writer.field(&value).map_err(io)?;
                summary.observe(&display, &key, &value);
                records += 1;
            }
            summary.trees.insert(display, records);
        }
        writer.put(&[TAG_END]).map_err(io)?;
        let hash = writer.hasher.finalize();
        writer.inner.write_all(hash.as_bytes()).map_err(io)?;
        writer.inner.flush().map_err(io)?;
        summary.bytes = writer.bytes + 32;
        let mut whole = writer.hasher.clone();
        whole.update(hash.as_bytes());
        summary.blake3 = whole.finalize().to_hex().to_string();
        Ok(summary)
    }

    /// Loads a dump into this store, which must hold no data yet (a freshly created data
    /// directory). The dump's trailing hash is checked; on any error the store is left
    /// partly loaded and must be thrown away, so load into a staging directory. Reopen the
    /// store afterwards so that its schema is migrated and its unit table read.
    pub fn load_dump(&self, input: &mut dyn Read) -> Result<DumpSummary, StoreError> {
        let _guard = self.write_lock.lock().map_err(|_| StoreError::Corrupt("write lock poisoned".into()))?;
        for name in self.db.tree_names() {
            let tree = self.db.open_tree(&name)?;
            if name.as_ref() != b"meta" && !tree.is_empty() {
                return Err(StoreError::Dump(format!("the target store is not empty (tree {} holds records)", tree_name(&name))));
            }
        }
        let mut current: Option<(sled::Tree, sled::Batch, usize)> = None;
        let summary = read_dump(input, &mut |item| {
            match item {
                DumpItem::Tree(name) => {
                    if let Some((tree, batch, _)) = current.take() {
                        tree.apply_batch(batch)?;
                    }
                    current = Some((self.db.open_tree(name)?, sled::Batch::default(), 0));
                }
                DumpItem::Record(key, value) => {
                    // read_dump never yields a record before a tree.
                    let Some((tree, batch, pending)) = current.as_mut() else { return Ok(()) };
                    batch.insert(key, value);
                    *pending += 1;
                    if *pending >= LOAD_BATCH {
                        tree.apply_batch(std::mem::take(batch))?;
                        *pending = 0;
                    }
                }
                DumpItem::End => {
                    if let Some((tree, batch, _)) = current.take() {
                        tree.apply_batch(batch)?;
                    }
                }
            }
            Ok(())
        })?;
        self.db.flush()?;
        Ok(summary)
    }
}

/// What [`read_dump`] hands its visitor, in dump order.
enum DumpItem<'a> {
    /// A tree starts (its raw name).
    Tree(&'a [u8]),
    /// A record of the current tree.
    Record(&'a [u8], &'a [u8]),
    /// Every record was read and the hash matches.
    End,
}

/// Checks a dump from end to end (format, lengths, trailing hash) without loading it, and
/// returns what it holds.
pub fn verify_dump(input: &mut dyn Read) -> Result<DumpSummary, StoreError> {
    read_dump(input, &mut |_| Ok(()))
}

/// Reads a dump, handing every tree and record to `visit`; `End` comes only once the
/// trailing hash has been checked.
fn read_dump(input: &mut dyn Read, visit: &mut dyn FnMut(DumpItem<'_>) -> Result<(), StoreError>) -> Result<DumpSummary, StoreError> {
    let mut reader = DumpReader { input, hasher: blake3::Hasher::new(), bytes: 0 };
    let magic: [u8; 8] = reader.array()?;
    if &magic != MAGIC {
        return Err(StoreError::Dump("not a termbridge store dump (bad magic bytes)".into()));
    }
    let mut summary = DumpSummary::default();
    let mut current: Option<String> = None;
    loop {
        let [tag] = reader.array::<1>()?;
        match tag {
            TAG_TREE => {
                let name = reader.field()?;
                let display = tree_name(&name);
                if summary.trees.contains_key(&display) {
                    return Err(StoreError::Dump(format!("tree {display} appears twice")));
                }
                summary.trees.insert(display.clone(), 0);
                visit(DumpItem::Tree(&name))?;
                current = Some(display);
            }
            TAG_RECORD => {
                let Some(tree) = current.as_deref() else {
                    return Err(StoreError::Dump(format!("record before any tree at byte {}", reader.bytes - 1)));
                };
                let key = reader.field()?;
                let value = reader.field()?;
                summary.observe(tree, &key, &value);
                if let Some(count) = summary.trees.get_mut(tree) {
                    *count += 1;
                }
                visit(DumpItem::Record(&key, &value))?;
            }
            TAG_END => break,
            other => return Err(StoreError::Dump(format!("unknown tag {other:#04x} at byte {}", reader.bytes - 1))),
        }
    }
    let expected = reader.hasher.finalize();
    let mut found = [0u8; 32];
    reader.input.read_exact(&mut found).map_err(|err| StoreError::Dump(format!("the dump ends before its hash: {err}")))?;
    if blake3::Hash::from(found) != expected {
        return Err(StoreError::Dump("the dump's content does not match its hash (damaged or edited)".into()));
    }
    let mut extra = [0u8; 1];
    if reader.input.read(&mut extra).map_err(io)? != 0 {
        return Err(StoreError::Dump("bytes follow the dump's hash".into()));
    }
    visit(DumpItem::End)?;
    summary.bytes = reader.bytes + 32;
    let mut whole = reader.hasher;
    whole.update(&found);
    summary.blake3 = whole.finalize().to_hex().to_string();
    Ok(summary)
}

/// Reads a dump, hashing every byte before the trailing hash.
struct DumpReader<'a> {
    input: &'a mut dyn Read,
    hasher: blake3::Hasher,
    bytes: u64,
}

impl DumpReader<'_> {
    fn exact(&mut self, buf: &mut [u8]) -> Result<(), StoreError> {
        self.input.read_exact(buf).map_err(|err| StoreError::Dump(format!("truncated at byte {}: {err}", self.bytes)))?;
        self.hasher.update(buf);
        self.bytes += buf.len() as u64;
        Ok(())
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], StoreError> {
        let mut buf = [0u8; N];
        self.exact(&mut buf)?;
        Ok(buf)
    }

    fn field(&mut self) -> Result<Vec<u8>, StoreError> {
        let len = u32::from_be_bytes(self.array()?);
        if len > MAX_FIELD_BYTES {
            return Err(StoreError::Dump(format!("field of {len} bytes at byte {} is larger than any record", self.bytes - 4)));
        }
        let mut buf = vec![0u8; len as usize];
        self.exact(&mut buf)?;
        Ok(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Role;
    use crate::store::tests::unit;

    #[test]
    fn dump_and_load_round_trip() {
        let source_dir = tempfile::tempdir().unwrap();
        let source = Store::open(source_dir.path()).unwrap();
        source.put_units(&[unit("a", "one"), unit("b", "two")]).unwrap();
        let token = source.create_token(Role::Reader).unwrap();
        source.put_audit("doc", 7, b"record").unwrap();
        let mut bytes = Vec::new();
        let written = source.dump(&mut bytes).unwrap();
        assert_eq!(written.bytes, bytes.len() as u64);
        assert_eq!(written.trees.get("tokens"), Some(&1));

        let target_dir = tempfile::tempdir().unwrap();
        {
            let target = Store::open(target_dir.path()).unwrap();
            let read = target.load_dump(&mut bytes.as_slice()).unwrap();
            assert_eq!(read, written);
            assert!(target.load_dump(&mut bytes.as_slice()).is_err(), "a store with data is refused");
        }
        // Reopening in the same process waits for the engine lock of the store closed above.
        let target = Store::open(target_dir.path()).unwrap();
        assert_eq!(target.stats().unwrap(), source.stats().unwrap());
        let units: Vec<_> = target.units().map(Result::unwrap).collect();
        assert_eq!(units, source.units().map(Result::unwrap).collect::<Vec<_>>());
        assert_eq!(target.verify_token(&token.token).unwrap(), Some(Role::Reader));
        assert_eq!(target.last_audit("doc").unwrap(), Some((7, b"record".to_vec())));
    }

    #[test]
    fn damaged_dumps_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        store.put_units(&[unit("a", "one")]).unwrap();
        let mut bytes = Vec::new();
        store.dump(&mut bytes).unwrap();
        let load = |bytes: &[u8]| {
            let target_dir = tempfile::tempdir().unwrap();
            let target = Store::open(target_dir.path()).unwrap();
            target.load_dump(&mut &bytes[..]).map(|_| ())
        };
        assert!(load(&bytes).is_ok());
        for cut in [0, 5, bytes.len() / 2, bytes.len() - 1] {
            assert!(matches!(load(&bytes[..cut]), Err(StoreError::Dump(_))), "cut at {cut}");
        }
        let mut flipped = bytes.clone();
        let middle = flipped.len() / 2;
        flipped[middle] ^= 0x20;
        assert!(load(&flipped).is_err());
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(load(&longer).is_err());
    }
}
