//! Operations on a data directory: backup, restore and check.
//!
//! A backup is a directory holding `store.tbdump` (a consistent dump of every tree of the
//! store, see `store::dump`) and `manifest.json` (counts, schema version, generation, size
//! and BLAKE3 hash of the dump). It is written into a temporary sibling directory and renamed
//! into place only when complete and synced, so a backup directory that exists is whole.
//! The search index is not backed up: it is rebuilt from the store at restore.
//!
//! A restore loads the dump into a staging directory beside the data directory, opens it
//! (migrating an older schema and rebuilding the index), compares it with the manifest, and
//! only then moves it into place.
//!
//! What this module does not do: reach a running service (the CLI asks the service for the
//! dump over HTTP when the data directory is locked), compress or encrypt backups.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::index::{IndexCheck, SearchIndex};
use crate::problem::{Classify, ErrorClass, Hint};
use crate::store::{DumpSummary, SCHEMA_VERSION, Store, StoreCheck, StoreError};
use crate::{Workspace, WorkspaceError};

/// The manifest's file name inside a backup directory.
pub const MANIFEST_FILE: &str = "manifest.json";
/// The dump's file name inside a backup directory.
pub const DUMP_FILE: &str = "store.tbdump";
/// The `format` field of every manifest.
pub const BACKUP_FORMAT: &str = "termbridge-backup";
/// The manifest layout version this build writes and reads.
pub const BACKUP_FORMAT_VERSION: u32 = 1;

/// Why a backup, restore or check could not be done.
#[derive(Debug, thiserror::Error)]
pub enum OpsError {
    /// The store failed or refused.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Opening the restored data directory failed.
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The backup is not a termbridge backup, or is damaged.
    #[error("backup {path} is unusable: {reason}")]
    BadBackup {
        /// The backup directory.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// The backup destination already exists.
    #[error("{0} already exists; back up into a new directory")]
    Exists(PathBuf),
    /// A restore would overwrite data.
    /// ([`Hint::Force`] replaces the content.)
    #[error("data directory {0} is not empty; restore into an empty one")]
    NotEmpty(PathBuf),
    /// There is no data directory to check.
    #[error("data directory {0} does not exist")]
    NoDataDir(PathBuf),
}

impl Classify for OpsError {
    /// The user can fix a path, a damaged backup or a locked directory; an I/O failure on a
    /// file termbridge writes is ours (or the disk's).
    fn class(&self) -> ErrorClass {
        match self {
            OpsError::Store(err) => err.class(),
            OpsError::Workspace(err) => err.class(),
            OpsError::Io { source, .. } if ErrorClass::of_io(source) == ErrorClass::OutOfSpace => ErrorClass::OutOfSpace,
            OpsError::Io { .. } => ErrorClass::Internal,
            OpsError::BadBackup { .. } => ErrorClass::Input,
            OpsError::Exists(_) | OpsError::NotEmpty(_) => ErrorClass::Conflict,
            OpsError::NoDataDir(_) => ErrorClass::NotFound,
        }
    }

    fn hint(&self) -> Option<Hint> {
        match self {
            OpsError::Store(err) => err.hint(),
            OpsError::Workspace(err) => err.hint(),
            OpsError::NotEmpty(_) => Some(Hint::Force),
            _ => None,
        }
    }
}

fn io_at(path: &Path) -> impl FnOnce(std::io::Error) -> OpsError + '_ {
    move |source| OpsError::Io { path: path.to_path_buf(), source }
}

/// The manifest of a backup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`BACKUP_FORMAT`].
    pub format: String,
    /// The manifest layout version ([`BACKUP_FORMAT_VERSION`]).
    pub format_version: u32,
    /// The termbridge version that wrote the backup.
    pub termbridge_version: String,
    /// When the backup was written, seconds since the Unix epoch.
    pub created_unix: u64,
    /// The dump file's name inside the backup directory.
    pub file: String,
    /// Translation units.
    pub units: u64,
    /// Term base concepts.
    pub concepts: u64,
    /// API tokens (hashes only; secrets are never stored).
    pub tokens: u64,
    /// Audit history records.
    pub audits: u64,
    /// The dump's content: records per tree, schema version, generation, size and hash.
    pub dump: DumpSummary,
}

impl Manifest {
    fn new(dump: DumpSummary) -> Manifest {
        let created_unix = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|elapsed| elapsed.as_secs()).unwrap_or(0);
        Manifest {
            format: BACKUP_FORMAT.to_string(),
            format_version: BACKUP_FORMAT_VERSION,
            termbridge_version: env!("CARGO_PKG_VERSION").to_string(),
            created_unix,
            file: DUMP_FILE.to_string(),
            units: dump.units,
            concepts: dump.records("concepts"),
            tokens: dump.records("tokens"),
            audits: dump.records("audits"),
            dump,
        }
    }
}

/// `dir`'s parent, `.` for a bare name.
fn parent_of(dir: &Path) -> PathBuf {
    match dir.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A hidden sibling of `dir` for work in progress: `.NAME.WHAT-PID`.
fn sibling(dir: &Path, what: &str) -> PathBuf {
    let name = dir.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_else(|| "termbridge".to_string());
    parent_of(dir).join(format!(".{name}.{what}-{}", std::process::id()))
}

fn sync_dir(dir: &Path) -> Result<(), OpsError> {
    File::open(dir).and_then(|file| file.sync_all()).map_err(io_at(dir))
}

/// Writes a backup of `store` into the new directory `dest`, atomically.
pub fn backup_store(store: &Store, dest: &Path) -> Result<Manifest, OpsError> {
    write_backup(dest, |file| Ok(store.dump(file)?))
}

/// Writes a backup into the new directory `dest` from a dump read from `dump` (as served by
/// `POST /api/v1/admin/backup`), checking the dump whole before the backup is put in place.
pub fn backup_from_dump(dump: &mut dyn std::io::Read, dest: &Path) -> Result<Manifest, OpsError> {
    write_backup(dest, |file| {
        std::io::copy(dump, file).map_err(|err| StoreError::Io(format!("cannot receive the dump: {err}")))?;
        Ok(DumpSummary::default())
    })
}

/// The shared frame: temporary sibling, dump file written by `write`, checked, manifest,
/// syncs, rename.
fn write_backup(dest: &Path, write: impl FnOnce(&mut dyn Write) -> Result<DumpSummary, OpsError>) -> Result<Manifest, OpsError> {
    if dest.exists() {
        return Err(OpsError::Exists(dest.to_path_buf()));
    }
    let staging = sibling(dest, "backup");
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(io_at(&staging))?;
    }
    std::fs::create_dir_all(&staging).map_err(io_at(&staging))?;
    let result = (|| {
        let dump_path = staging.join(DUMP_FILE);
        let file = File::create(&dump_path).map_err(io_at(&dump_path))?;
        let mut writer = BufWriter::with_capacity(1 << 20, file);
        write(&mut writer)?;
        let file = writer.into_inner().map_err(|err| OpsError::Io { path: dump_path.clone(), source: err.into_error() })?;
        file.sync_all().map_err(io_at(&dump_path))?;
        drop(file);
        // Read back what was written: the manifest describes the file on disk, and a dump
        // that arrived damaged is refused here rather than at restore.
        let summary = crate::store::verify_dump(&mut BufReader::with_capacity(1 << 20, File::open(&dump_path).map_err(io_at(&dump_path))?))
            .map_err(|err| OpsError::BadBackup { path: dest.to_path_buf(), reason: err.to_string() })?;
        let manifest = Manifest::new(summary);
        let manifest_path = staging.join(MANIFEST_FILE);
        let text = serde_json::to_vec_pretty(&manifest).map_err(|err| OpsError::Io { path: manifest_path.clone(), source: err.into() })?;
        let mut file = File::create(&manifest_path).map_err(io_at(&manifest_path))?;
        file.write_all(&text).and_then(|()| file.sync_all()).map_err(io_at(&manifest_path))?;
        sync_dir(&staging)?;
        Ok(manifest)
    })();
    match result {
        Ok(manifest) => {
            std::fs::rename(&staging, dest).map_err(io_at(dest))?;
            sync_dir(&parent_of(dest))?;
            Ok(manifest)
        }
        Err(err) => {
            let _ = std::fs::remove_dir_all(&staging);
            Err(err)
        }
    }
}

/// Reads a backup's manifest and checks the dump file against it (size and BLAKE3 hash).
pub fn verify_backup(backup: &Path) -> Result<Manifest, OpsError> {
    let bad = |reason: String| OpsError::BadBackup { path: backup.to_path_buf(), reason };
    let manifest_path = backup.join(MANIFEST_FILE);
    let text = std::fs::read(&manifest_path).map_err(|err| bad(format!("cannot read {MANIFEST_FILE}: {err}")))?;
    let manifest: Manifest = serde_json::from_slice(&text).map_err(|err| bad(format!("{MANIFEST_FILE} is not a backup manifest: {err}")))?;
    if manifest.format != BACKUP_FORMAT || manifest.format_version > BACKUP_FORMAT_VERSION {
        return Err(bad(format!("format {} version {} is not one this termbridge reads", manifest.format, manifest.format_version)));
    }
    if manifest.file.contains(['/', '\\']) || manifest.file.starts_with('.') {
        return Err(bad(format!("the dump file name {:?} is not a plain file name", manifest.file)));
    }
    let dump_path = backup.join(&manifest.file);
    let file = File::open(&dump_path).map_err(|err| bad(format!("cannot read {}: {err}", manifest.file)))?;
    let summary = crate::store::verify_dump(&mut BufReader::with_capacity(1 << 20, file)).map_err(|err| bad(err.to_string()))?;
    if summary != manifest.dump {
        return Err(bad(format!("{} does not match the manifest (hash {} where the manifest says {})", manifest.file, summary.blake3, manifest.dump.blake3)));
    }
    if manifest.dump.schema_version > u64::from(SCHEMA_VERSION) {
        return Err(OpsError::Store(StoreError::TooNew { found: manifest.dump.schema_version, supported: SCHEMA_VERSION }));
    }
    Ok(manifest)
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RestoreOutcome {
    /// The backup's manifest.
    pub manifest: Manifest,
    /// Units in the restored store.
    pub units: u64,
    /// Concepts in the restored store.
    pub concepts: u64,
    /// Variants in the rebuilt search index.
    pub indexed_variants: u64,
    /// True when an existing data directory's content was replaced (`--force`).
    pub replaced: bool,
}

fn is_empty_dir(dir: &Path) -> Result<bool, OpsError> {
    Ok(std::fs::read_dir(dir).map_err(io_at(dir))?.next().is_none())
}

/// Restores the backup in `backup` into `data_dir`, which must not exist or be empty unless
/// `force` is set; `progress(done, total)` reports the index rebuild.
pub fn restore(backup: &Path, data_dir: &Path, force: bool, progress: &mut dyn FnMut(u64, u64)) -> Result<RestoreOutcome, OpsError> {
    let manifest = verify_backup(backup)?;
    let exists = data_dir.exists();
    // Holding the target's lock keeps a service from opening it while it is replaced.
    let _target_lock = if exists {
        if !force && !is_empty_dir(data_dir)? {
            return Err(OpsError::NotEmpty(data_dir.to_path_buf()));
        }
        Some(crate::store::lock_data_dir(data_dir)?)
    } else {
        None
    };
    let staging = sibling(data_dir, "restore");
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(io_at(&staging))?;
    }
    let result = (|| {
        {
            let store = Store::open(&staging)?;
            let dump_path = backup.join(&manifest.file);
            let file = File::open(&dump_path).map_err(io_at(&dump_path))?;
            let loaded = store.load_dump(&mut BufReader::with_capacity(1 << 20, file))?;
            if loaded != manifest.dump {
                return Err(OpsError::BadBackup { path: backup.to_path_buf(), reason: "the dump changed while it was restored".into() });
            }
        }
        let (workspace, _) = Workspace::open(&staging, progress)?;
        let stats = workspace.store.stats()?;
        let concepts = workspace.store.concept_count()? as u64;
        if stats.units as u64 != manifest.units || concepts != manifest.concepts {
            return Err(OpsError::BadBackup {
                path: backup.to_path_buf(),
                reason: format!("restored {} units and {concepts} concepts where the manifest says {} and {}", stats.units, manifest.units, manifest.concepts),
            });
        }
        Ok((stats.units as u64, concepts, workspace.index.doc_count()))
    })();
    let (units, concepts, indexed_variants) = match result {
        Ok(counts) => counts,
        Err(err) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(err);
        }
    };
    // The staging directory holds its own LOCK file, released when the workspace closed.
    if exists {
        let replaced = sibling(data_dir, "replaced");
        std::fs::rename(data_dir, &replaced).map_err(io_at(data_dir))?;
        std::fs::rename(&staging, data_dir).map_err(io_at(data_dir))?;
        std::fs::remove_dir_all(&replaced).map_err(io_at(&replaced))?;
    } else {
        std::fs::rename(&staging, data_dir).map_err(io_at(data_dir))?;
    }
    sync_dir(&parent_of(data_dir))?;
    Ok(RestoreOutcome { manifest, units, concepts, indexed_variants, replaced: exists && force })
}

/// What `termbridge check` found in a data directory.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    /// The data directory.
    pub data_dir: PathBuf,
    /// True when nothing is wrong.
    pub ok: bool,
    /// Why the store could not be opened at all, if it could not.
    pub open_error: Option<String>,
    /// The store's records, counters and hashes.
    pub store: Option<StoreCheck>,
    /// The search index compared with the store.
    pub index: Option<IndexCheck>,
}

/// Checks the data directory `data_dir` without changing it (beyond migrating an older schema
/// at open): the store's schema, counters, every record and content hash, and whether the
/// search index reflects the store.
pub fn check(data_dir: &Path) -> Result<CheckReport, OpsError> {
    if !data_dir.is_dir() {
        return Err(OpsError::NoDataDir(data_dir.to_path_buf()));
    }
    let mut report = CheckReport { data_dir: data_dir.to_path_buf(), ok: false, open_error: None, store: None, index: None };
    let store = match Store::open(data_dir) {
        Ok(store) => store,
        Err(err) if err.is_user_error() => return Err(err.into()),
        Err(err) => {
            report.open_error = Some(err.to_string());
            return Ok(report);
        }
    };
    let store_check = store.check()?;
    let index_check = SearchIndex::inspect(&store, store_check.generation, &store_check.variants_per_unit);
    report.ok = store_check.problems.is_empty() && index_check.problems.is_empty();
    report.store = Some(store_check);
    report.index = Some(index_check);
    Ok(report)
}
