//! Monitoring records: institutions, runs and the snapshots of the pages each run fetched.
//!
//! Tree `monitor` holds every record but the bodies, under one-letter prefixes, so that a
//! multi-record change is one atomic batch:
//! - `i` NUL institution → the [`Institution`] (JSON);
//! - `n` → the next run id (8 bytes, big-endian; run ids grow over the whole directory);
//! - `o` run → the institution of a run begun and not finished (its marker);
//! - `r` NUL institution NUL run → the [`RunRecord`] (JSON, deflated);
//! - `s` NUL institution NUL run url → the [`Snapshot`] of `url` in that run (JSON);
//! - `f` NUL institution NUL url → when the URL was first seen, and in which language;
//! - `k` → how many runs an institution keeps (8 bytes; [`DEFAULT_KEEP_RUNS`] without it);
//! - `p` NUL institution NUL url → what was read of the URL's page last (a [`PageNote`],
//!   JSON, deflated), so an unchanged page is not read again.
//!
//! Tree `monitor_bodies` holds the bodies, deflated, under their BLAKE3 hash (hex): a page
//! that did not change between runs is stored once.
//!
//! A run is published by its record: [`Store::begin_run`] writes the marker (flushed),
//! [`Store::put_snapshot`] writes as the crawl goes (not flushed one by one), and
//! [`Store::finish_run`] flushes the snapshots and bodies, then writes the record, removes
//! the marker and the runs past the retention in one batch, and flushes. Readers list runs by
//! their records only, so a run killed before its record is never seen; its snapshots are
//! removed when the store is opened next ([`Store::remove_unfinished_runs`]), and bodies no
//! snapshot refers to any more with them.

use std::collections::{BTreeMap, HashSet};
use std::io::{Read, Write};

use serde::{Deserialize, Serialize};

use super::{Store, StoreError};
use crate::model::monitor::{Institution, RunRecord, Snapshot};

/// Runs kept per institution when no retention was set.
pub const DEFAULT_KEEP_RUNS: usize = 30;

const TREE: &str = "monitor";
const BODIES: &str = "monitor_bodies";
const NEXT_RUN: &[u8] = b"n";
const KEEP_RUNS: &[u8] = b"k";

/// When a URL was first seen, and the language its page was in then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirstSeen {
    /// Seconds since the epoch.
    pub at: u64,
    /// The language code detected then, when one was.
    pub lang: Option<String>,
}

/// What [`Store::finish_run`] and [`Store::remove_institution`] removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Removed {
    /// Run records.
    pub runs: usize,
    /// Snapshot records.
    pub snapshots: usize,
    /// Bodies no remaining snapshot refers to.
    pub bodies: usize,
}

fn prefixed(tag: u8, parts: &[&[u8]]) -> Vec<u8> {
    let mut key = vec![tag];
    for part in parts {
        key.push(0);
        key.extend_from_slice(part);
    }
    key
}

fn institution_key(id: &str) -> Vec<u8> {
    prefixed(b'i', &[id.as_bytes()])
}

/// The prefix of every key of `tag` under an institution (`r`, `s`, `f`).
fn under(tag: u8, institution: &str) -> Vec<u8> {
    let mut key = prefixed(tag, &[institution.as_bytes()]);
    key.push(0);
    key
}

fn run_key(institution: &str, run: u64) -> Vec<u8> {
    let mut key = under(b'r', institution);
    key.extend_from_slice(&run.to_be_bytes());
    key
}

fn snapshots_of(institution: &str, run: u64) -> Vec<u8> {
    let mut key = under(b's', institution);
    key.extend_from_slice(&run.to_be_bytes());
    key
}

fn snapshot_key(institution: &str, run: u64, url: &str) -> Vec<u8> {
    let mut key = snapshots_of(institution, run);
    key.extend_from_slice(url.as_bytes());
    key
}

fn first_seen_key(institution: &str, url: &str) -> Vec<u8> {
    let mut key = under(b'f', institution);
    key.extend_from_slice(url.as_bytes());
    key
}

fn note_key(institution: &str, url: &str) -> Vec<u8> {
    let mut key = under(b'p', institution);
    key.extend_from_slice(url.as_bytes());
    key
}

/// What was read of a page: the hash of the body it was read from, and the reading, which
/// the store keeps as given (the monitor's use case writes and reads it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageNote {
    /// The BLAKE3 hash (hex) of the body read.
    pub hash: String,
    /// The reading.
    pub reading: Vec<u8>,
}

fn marker_key(run: u64) -> Vec<u8> {
    let mut key = vec![b'o'];
    key.extend_from_slice(&run.to_be_bytes());
    key
}

fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(what.to_string())
}

fn json<T: Serialize>(value: &T) -> Result<Vec<u8>, StoreError> {
    serde_json::to_vec(value).map_err(|err| corrupt(format!("cannot encode a monitoring record: {err}")))
}

fn from_json<T: for<'de> Deserialize<'de>>(bytes: &[u8], what: &str) -> Result<T, StoreError> {
    serde_json::from_slice(bytes).map_err(|err| corrupt(format!("{what} cannot be decoded: {err}")))
}

fn deflate(bytes: &[u8]) -> Result<Vec<u8>, StoreError> {
    let mut encoder = flate2::write::DeflateEncoder::new(Vec::with_capacity(bytes.len() / 3 + 16), flate2::Compression::default());
    encoder.write_all(bytes).and_then(|()| encoder.finish()).map_err(|err| corrupt(format!("cannot compress: {err}")))
}

fn inflate(bytes: &[u8], what: &str) -> Result<Vec<u8>, StoreError> {
    let mut out = Vec::with_capacity(bytes.len() * 3);
    flate2::read::DeflateDecoder::new(bytes).read_to_end(&mut out).map_err(|err| corrupt(format!("{what} cannot be decompressed: {err}")))?;
    Ok(out)
}

fn run_of(key: &[u8], prefix_len: usize) -> Result<u64, StoreError> {
    key.get(prefix_len..prefix_len + 8)
        .and_then(|bytes| <[u8; 8]>::try_from(bytes).ok())
        .map(u64::from_be_bytes)
        .ok_or_else(|| corrupt("a monitoring key has no 8-byte run id"))
}

/// The hash a snapshot record refers to, read without the rest of it.
#[derive(Deserialize)]
struct HashOnly {
    hash: String,
}

impl Store {
    fn monitor_tree(&self) -> Result<sled::Tree, StoreError> {
        Ok(self.db.open_tree(TREE)?)
    }

    fn bodies_tree(&self) -> Result<sled::Tree, StoreError> {
        Ok(self.db.open_tree(BODIES)?)
    }

    fn monitor_write<T>(&self, write: impl FnOnce(&sled::Tree) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let _guard = self.write_lock.lock().map_err(|_| corrupt("write lock poisoned"))?;
        self.engine_write(|| write(&self.monitor_tree()?))
    }

    /// Adds or replaces an institution (durable when this returns); true when it replaced one.
    pub fn put_institution(&self, institution: &Institution) -> Result<bool, StoreError> {
        Ok(self.put_institutions(std::slice::from_ref(institution))?.first().copied().unwrap_or(false))
    }

    /// Adds or replaces institutions in one batch, all or none, flushed; for each, whether it
    /// replaced one with the same id. Their runs stay.
    pub fn put_institutions(&self, institutions: &[Institution]) -> Result<Vec<bool>, StoreError> {
        let values = institutions.iter().map(json).collect::<Result<Vec<_>, _>>()?;
        self.monitor_write(|tree| {
            let mut replaced = Vec::with_capacity(institutions.len());
            let mut batch = sled::Batch::default();
            for (institution, value) in institutions.iter().zip(values) {
                replaced.push(tree.contains_key(institution_key(&institution.id))?);
                batch.insert(institution_key(&institution.id), value);
            }
            tree.apply_batch(batch)?;
            self.db.flush()?;
            Ok(replaced)
        })
    }

    /// The institution with id `id`.
    pub fn institution(&self, id: &str) -> Result<Option<Institution>, StoreError> {
        match self.monitor_tree()?.get(institution_key(id))? {
            None => Ok(None),
            Some(bytes) => from_json(&bytes, &format!("institution {id}")).map(Some),
        }
    }

    /// Every institution, by id.
    pub fn institutions(&self) -> Result<Vec<Institution>, StoreError> {
        let mut found = Vec::new();
        for entry in self.monitor_tree()?.scan_prefix(b"i\0") {
            let (_, value) = entry?;
            found.push(from_json(&value, "an institution")?);
        }
        Ok(found)
    }

    /// Removes an institution with its runs, snapshots and first sightings in one batch, then
    /// the bodies nothing refers to; `None` when there was no such institution.
    pub fn remove_institution(&self, id: &str) -> Result<Option<Removed>, StoreError> {
        let removed = self.monitor_write(|tree| {
            if tree.get(institution_key(id))?.is_none() {
                return Ok(None);
            }
            let mut batch = sled::Batch::default();
            batch.remove(institution_key(id));
            let mut removed = Removed::default();
            for key in tree.scan_prefix(under(b'r', id)).keys() {
                batch.remove(key?);
                removed.runs += 1;
            }
            for key in tree.scan_prefix(under(b's', id)).keys() {
                batch.remove(key?);
                removed.snapshots += 1;
            }
            for key in tree.scan_prefix(under(b'f', id)).keys() {
                batch.remove(key?);
            }
            for key in tree.scan_prefix(under(b'p', id)).keys() {
                batch.remove(key?);
            }
            for entry in tree.scan_prefix(b"o") {
                let (key, value) = entry?;
                if value.as_ref() == id.as_bytes() {
                    batch.remove(key);
                }
            }
            tree.apply_batch(batch)?;
            self.db.flush()?;
            Ok(Some(removed))
        })?;
        let Some(mut removed) = removed else { return Ok(None) };
        removed.bodies = self.remove_unreferenced_bodies()?;
        Ok(Some(removed))
    }

    /// How many runs an institution keeps.
    pub fn keep_runs(&self) -> Result<usize, StoreError> {
        match self.monitor_tree()?.get(KEEP_RUNS)? {
            None => Ok(DEFAULT_KEEP_RUNS),
            Some(bytes) => run_of(&bytes, 0).map(|keep| keep as usize),
        }
    }

    /// Sets how many runs an institution keeps (at least one); older runs go when the next
    /// run of the institution finishes.
    pub fn set_keep_runs(&self, keep: usize) -> Result<(), StoreError> {
        self.monitor_write(|tree| {
            tree.insert(KEEP_RUNS, &(keep.max(1) as u64).to_be_bytes())?;
            self.db.flush()?;
            Ok(())
        })
    }

    /// Begins a run of `institution` and returns its id. The run is invisible until
    /// [`Store::finish_run`]; unfinished runs of earlier processes are removed first.
    pub fn begin_run(&self, institution: &str) -> Result<u64, StoreError> {
        self.remove_unfinished_runs()?;
        self.monitor_write(|tree| {
            let run = match tree.get(NEXT_RUN)? {
                None => 1,
                Some(bytes) => run_of(&bytes, 0)?,
            };
            let mut batch = sled::Batch::default();
            batch.insert(NEXT_RUN, &(run + 1).to_be_bytes());
            batch.insert(marker_key(run), institution.as_bytes());
            tree.apply_batch(batch)?;
            self.db.flush()?;
            Ok(run)
        })
    }

    /// Keeps one fetched page of a run: its snapshot, and its body under its BLAKE3 hash
    /// unless a body with that hash is stored already. The snapshot is kept with the hash of
    /// `body` (a 304 without a body keeps the hash it names), which is returned. Not flushed:
    /// the run's end does.
    pub fn put_snapshot(&self, institution: &str, run: u64, snapshot: &Snapshot, body: &[u8]) -> Result<String, StoreError> {
        let mut snapshot = snapshot.clone();
        // A 304 without a body stands for the body its hash names, kept already.
        let has_body = !(body.is_empty() && snapshot.status == 304);
        if has_body {
            snapshot.hash = blake3::hash(body).to_hex().to_string();
            snapshot.body_len = body.len() as u64;
        }
        let value = json(&snapshot)?;
        let bodies = self.bodies_tree()?;
        self.monitor_write(|tree| {
            if has_body && !bodies.contains_key(snapshot.hash.as_bytes())? {
                bodies.insert(snapshot.hash.as_bytes(), deflate(body)?)?;
            }
            tree.insert(snapshot_key(institution, run, &snapshot.url), value)?;
            Ok(())
        })?;
        Ok(snapshot.hash)
    }

    /// Publishes a run: flushes its snapshots, then in one batch writes its record and the new
    /// first sightings, removes its marker and the institution's runs beyond the retention
    /// ([`Store::keep_runs`]), flushes, and removes the bodies nothing refers to any more.
    pub fn finish_run(&self, record: &RunRecord, first_seen: &[(String, FirstSeen)]) -> Result<Removed, StoreError> {
        let value = deflate(&json(record)?)?;
        let keep = self.keep_runs()?;
        let mut removed = self.monitor_write(|tree| {
            // What the record points at is on disk before the record.
            self.db.flush()?;
            let mut batch = sled::Batch::default();
            batch.insert(run_key(&record.institution, record.id), value);
            batch.remove(marker_key(record.id));
            for (url, seen) in first_seen {
                batch.insert(first_seen_key(&record.institution, url), json(seen)?);
            }
            let mut runs: Vec<u64> = Vec::new();
            let prefix = under(b'r', &record.institution);
            for key in tree.scan_prefix(&prefix).keys() {
                runs.push(run_of(&key?, prefix.len())?);
            }
            if !runs.contains(&record.id) {
                runs.push(record.id);
            }
            runs.sort_unstable();
            let mut removed = Removed::default();
            for &old in runs.iter().take(runs.len().saturating_sub(keep)) {
                batch.remove(run_key(&record.institution, old));
                removed.runs += 1;
                for key in tree.scan_prefix(snapshots_of(&record.institution, old)).keys() {
                    batch.remove(key?);
                    removed.snapshots += 1;
                }
            }
            tree.apply_batch(batch)?;
            self.db.flush()?;
            Ok(removed)
        })?;
        if removed.runs > 0 {
            removed.bodies = self.remove_unreferenced_bodies()?;
        }
        Ok(removed)
    }

    /// Drops a run that will not finish (its crawl failed): its snapshots and marker, then
    /// the bodies nothing refers to.
    pub fn abandon_run(&self, institution: &str, run: u64) -> Result<(), StoreError> {
        self.monitor_write(|tree| {
            let mut batch = sled::Batch::default();
            for key in tree.scan_prefix(snapshots_of(institution, run)).keys() {
                batch.remove(key?);
            }
            batch.remove(marker_key(run));
            tree.apply_batch(batch)?;
            self.db.flush()?;
            Ok(())
        })?;
        self.remove_unreferenced_bodies()?;
        Ok(())
    }

    /// Removes the runs begun and never finished (a process killed during a run): their
    /// snapshots and markers, then the bodies nothing refers to. Returns how many runs.
    pub fn remove_unfinished_runs(&self) -> Result<usize, StoreError> {
        let count = self.monitor_write(|tree| {
            let mut batch = sled::Batch::default();
            let mut count = 0;
            for entry in tree.scan_prefix(b"o") {
                let (key, institution) = entry?;
                let run = run_of(&key, 1)?;
                let institution = String::from_utf8_lossy(&institution).into_owned();
                for snapshot in tree.scan_prefix(snapshots_of(&institution, run)).keys() {
                    batch.remove(snapshot?);
                }
                batch.remove(key);
                count += 1;
            }
            if count > 0 {
                tree.apply_batch(batch)?;
                self.db.flush()?;
            }
            Ok(count)
        })?;
        if count > 0 {
            tracing::info!(runs = count, "removed monitoring runs that never finished");
            self.remove_unreferenced_bodies()?;
        }
        Ok(count)
    }

    /// Removes the bodies no snapshot refers to; returns how many.
    fn remove_unreferenced_bodies(&self) -> Result<usize, StoreError> {
        let bodies = self.bodies_tree()?;
        self.monitor_write(|tree| {
            let mut referenced: HashSet<Vec<u8>> = HashSet::new();
            for entry in tree.scan_prefix(b"s\0") {
                let (_, value) = entry?;
                let snapshot: HashOnly = from_json(&value, "a snapshot")?;
                referenced.insert(snapshot.hash.into_bytes());
            }
            let mut batch = sled::Batch::default();
            let mut count = 0;
            for key in bodies.iter().keys() {
                let key = key?;
                if !referenced.contains(key.as_ref()) {
                    batch.remove(key);
                    count += 1;
                }
            }
            if count > 0 {
                bodies.apply_batch(batch)?;
                self.db.flush()?;
            }
            Ok(count)
        })
    }

    /// The finished runs of an institution, oldest first.
    pub fn run_ids(&self, institution: &str) -> Result<Vec<u64>, StoreError> {
        let prefix = under(b'r', institution);
        let mut runs = Vec::new();
        for key in self.monitor_tree()?.scan_prefix(&prefix).keys() {
            runs.push(run_of(&key?, prefix.len())?);
        }
        Ok(runs)
    }

    /// A finished run of an institution.
    pub fn run_record(&self, institution: &str, run: u64) -> Result<Option<RunRecord>, StoreError> {
        match self.monitor_tree()?.get(run_key(institution, run))? {
            None => Ok(None),
            Some(bytes) => from_json(&inflate(&bytes, &format!("run {run}"))?, &format!("run {run}")).map(Some),
        }
    }

    /// The latest finished run of an institution at or before `run` (the latest of all with
    /// `None`), and the finished run before that one.
    pub fn run_and_previous(&self, institution: &str, run: Option<u64>) -> Result<(Option<RunRecord>, Option<RunRecord>), StoreError> {
        let runs = self.run_ids(institution)?;
        let at = match run {
            None => runs.len().checked_sub(1),
            Some(run) => runs.iter().position(|&id| id == run),
        };
        let Some(at) = at else { return Ok((None, None)) };
        let current = self.run_record(institution, runs[at])?;
        let previous = match at.checked_sub(1) {
            Some(before) => self.run_record(institution, runs[before])?,
            None => None,
        };
        Ok((current, previous))
    }

    /// The snapshots of a run (finished or in progress), by URL.
    pub fn snapshots(&self, institution: &str, run: u64) -> Result<Vec<Snapshot>, StoreError> {
        let mut found = Vec::new();
        for entry in self.monitor_tree()?.scan_prefix(snapshots_of(institution, run)) {
            let (_, value) = entry?;
            found.push(from_json(&value, "a snapshot")?);
        }
        Ok(found)
    }

    /// The body stored under a BLAKE3 hash (hex).
    pub fn snapshot_body(&self, hash: &str) -> Result<Option<Vec<u8>>, StoreError> {
        match self.bodies_tree()?.get(hash.as_bytes())? {
            None => Ok(None),
            Some(bytes) => inflate(&bytes, &format!("body {hash}")).map(Some),
        }
    }

    /// The last snapshot of `url` in a finished run of the institution, with its body: what a
    /// conditional request sends (ETag, Last-Modified) and what a 304 stands for.
    pub fn previous_snapshot(&self, institution: &str, url: &str) -> Result<Option<(Snapshot, Vec<u8>)>, StoreError> {
        let tree = self.monitor_tree()?;
        for run in self.run_ids(institution)?.into_iter().rev() {
            let Some(value) = tree.get(snapshot_key(institution, run, url))? else { continue };
            let snapshot: Snapshot = from_json(&value, "a snapshot")?;
            let Some(body) = self.snapshot_body(&snapshot.hash)? else { continue };
            return Ok(Some((snapshot, body)));
        }
        Ok(None)
    }

    /// Keeps what was read of a URL's page. Not flushed: a note lost in a crash only means
    /// the page is read again.
    pub fn put_page_note(&self, institution: &str, url: &str, note: &PageNote) -> Result<(), StoreError> {
        let value = deflate(&json(note)?)?;
        self.monitor_write(|tree| {
            tree.insert(note_key(institution, url), value)?;
            Ok(())
        })
    }

    /// What was read of a URL's page last, if anything.
    pub fn page_note(&self, institution: &str, url: &str) -> Result<Option<PageNote>, StoreError> {
        match self.monitor_tree()?.get(note_key(institution, url))? {
            None => Ok(None),
            Some(value) => from_json(&inflate(&value, "a page note")?, "a page note").map(Some),
        }
    }

    /// When each URL of an institution was first seen, by URL.
    pub fn first_seen(&self, institution: &str) -> Result<BTreeMap<String, FirstSeen>, StoreError> {
        let prefix = under(b'f', institution);
        let mut found = BTreeMap::new();
        for entry in self.monitor_tree()?.scan_prefix(&prefix) {
            let (key, value) = entry?;
            found.insert(String::from_utf8_lossy(&key[prefix.len()..]).into_owned(), from_json(&value, "a first sighting")?);
        }
        Ok(found)
    }

    /// The number of bodies stored (for tests and `stats`).
    pub fn snapshot_body_count(&self) -> Result<usize, StoreError> {
        Ok(self.bodies_tree()?.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn institution(id: &str) -> Institution {
        Institution {
            id: id.into(),
            name: format!("Komuna {id}"),
            municipality: Some("Klinë".into()),
            urls: vec![format!("https://{id}.example/")],
            source: None,
            added: 1,
        }
    }

    fn snapshot(url: &str) -> Snapshot {
        Snapshot {
            url: url.into(),
            final_url: url.into(),
            status: 200,
            fetched_at: 10,
            headers: BTreeMap::from([("etag".to_string(), "\"v1\"".to_string())]),
            hash: String::new(),
            body_len: 0,
            lastmod: None,
            depth: 0,
        }
    }

    fn record(institution: &str, id: u64) -> RunRecord {
        RunRecord {
            id,
            institution: institution.into(),
            started: 100 + id,
            finished: 200 + id,
            required: vec!["sq".into(), "sr".into()],
            pages_fetched: 1,
            pages_not_modified: 0,
            pages_refused: 0,
            refusals: BTreeMap::new(),
            failures: BTreeMap::new(),
            pages_unreadable: 0,
            pages_listing: 0,
            documents_reused: 0,
            audit_key: String::new(),
            documents: Vec::new(),
            findings_by_check: BTreeMap::new(),
            score: 50.0,
        }
    }

    /// A finished run of `institution` that fetched `pages` (url, body).
    fn finished_run(store: &Store, institution: &str, pages: &[(&str, &[u8])]) -> u64 {
        let run = store.begin_run(institution).unwrap();
        for (url, body) in pages {
            store.put_snapshot(institution, run, &snapshot(url), body).unwrap();
        }
        store.finish_run(&record(institution, run), &[]).unwrap();
        run
    }

    #[test]
    fn institutions_round_trip_and_survive_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        assert!(!store.put_institution(&institution("kline")).unwrap());
        assert!(store.put_institution(&institution("kline")).unwrap(), "replaced");
        store.put_institution(&institution("junik")).unwrap();
        drop(store);
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.institution("kline").unwrap(), Some(institution("kline")));
        assert_eq!(store.institution("none").unwrap(), None);
        assert_eq!(store.institutions().unwrap().iter().map(|i| i.id.as_str()).collect::<Vec<_>>(), ["junik", "kline"]);
    }

    #[test]
    fn runs_round_trip_and_bodies_are_stored_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let first = finished_run(&store, "kline", &[("https://k/a", b"same"), ("https://k/b", b"same"), ("https://k/c", b"other")]);
        let second = finished_run(&store, "kline", &[("https://k/a", b"same")]);
        assert!(second > first, "run ids grow");
        assert_eq!(store.snapshot_body_count().unwrap(), 2, "one body a content");
        assert_eq!(store.run_ids("kline").unwrap(), vec![first, second]);
        assert_eq!(store.run_record("kline", first).unwrap(), Some(record("kline", first)));
        let (current, previous) = store.run_and_previous("kline", None).unwrap();
        assert_eq!((current.map(|r| r.id), previous.map(|r| r.id)), (Some(second), Some(first)));
        let (current, previous) = store.run_and_previous("kline", Some(first)).unwrap();
        assert_eq!((current.map(|r| r.id), previous), (Some(first), None));
        let snapshots = store.snapshots("kline", first).unwrap();
        assert_eq!(snapshots.len(), 3);
        assert_eq!(snapshots[0].hash, blake3::hash(b"same").to_hex().to_string());
        assert_eq!(store.snapshot_body(&snapshots[2].hash).unwrap().as_deref(), Some(&b"other"[..]));
        let (previous, body) = store.previous_snapshot("kline", "https://k/c").unwrap().expect("seen in the first run");
        assert_eq!((previous.header("etag"), body.as_slice()), (Some("\"v1\""), &b"other"[..]));
        assert_eq!(store.previous_snapshot("kline", "https://k/none").unwrap(), None);
    }

    #[test]
    fn a_run_is_invisible_until_finished_and_an_unfinished_one_is_removed_at_open() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let done = finished_run(&store, "kline", &[("https://k/a", b"old")]);
        let open = store.begin_run("kline").unwrap();
        store.put_snapshot("kline", open, &snapshot("https://k/a"), b"new").unwrap();
        store.put_snapshot("kline", open, &snapshot("https://k/z"), b"only in the open run").unwrap();
        assert_eq!(store.run_ids("kline").unwrap(), vec![done], "not published");
        assert_eq!(store.previous_snapshot("kline", "https://k/a").unwrap().unwrap().1, b"old", "the open run is not a previous one");
        assert_eq!(store.previous_snapshot("kline", "https://k/z").unwrap(), None);
        store.flush().unwrap();
        drop(store);
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.snapshots("kline", open).unwrap(), Vec::new(), "removed at open");
        assert_eq!(store.snapshot_body_count().unwrap(), 1, "its bodies too");
        assert_eq!(store.run_ids("kline").unwrap(), vec![done]);
        assert!(store.begin_run("kline").unwrap() > open, "ids are not reused");
    }

    #[test]
    fn retention_keeps_the_last_runs_and_their_bodies() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.keep_runs().unwrap(), DEFAULT_KEEP_RUNS);
        store.set_keep_runs(2).unwrap();
        let runs: Vec<u64> = (0..4).map(|n| finished_run(&store, "kline", &[("https://k/a", format!("body {n}").as_bytes())])).collect();
        finished_run(&store, "junik", &[("https://j/a", b"body 0")]);
        assert_eq!(store.run_ids("kline").unwrap(), runs[2..].to_vec());
        assert_eq!(store.snapshots("kline", runs[0]).unwrap(), Vec::new());
        // body 2 and body 3 for kline, body 0 still referenced by junik.
        assert_eq!(store.snapshot_body_count().unwrap(), 3);
        assert_eq!(store.run_ids("junik").unwrap().len(), 1, "retention is per institution");
    }

    #[test]
    fn removing_an_institution_drops_its_runs_and_snapshots() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        store.put_institution(&institution("kline")).unwrap();
        store.put_institution(&institution("junik")).unwrap();
        finished_run(&store, "kline", &[("https://k/a", b"kline page"), ("https://k/b", b"shared")]);
        finished_run(&store, "junik", &[("https://j/a", b"shared")]);
        store.finish_run(&record("kline", 99), &[("https://k/a".into(), FirstSeen { at: 5, lang: Some("sq".into()) })]).unwrap();
        assert_eq!(store.first_seen("kline").unwrap().len(), 1);
        let removed = store.remove_institution("kline").unwrap().expect("existed");
        assert_eq!(removed, Removed { runs: 2, snapshots: 2, bodies: 1 });
        assert_eq!(store.institution("kline").unwrap(), None);
        assert!(store.run_ids("kline").unwrap().is_empty());
        assert!(store.first_seen("kline").unwrap().is_empty());
        assert_eq!(store.snapshot_body_count().unwrap(), 1, "the body junik refers to stays");
        assert_eq!(store.remove_institution("kline").unwrap(), None);
        assert_eq!(store.run_ids("junik").unwrap().len(), 1);
    }
}
