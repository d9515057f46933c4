//! The evidence package of a monitoring run: what an investigation cites. One zip archive
//! holds the report (JSON and HTML), every page snapshot the findings rest on (the bytes as
//! fetched), and `manifest.json`, which lists each file with its BLAKE3 hash and size, each
//! snapshot with its URL, time, status and headers, and the termbridge version that made it.
//! `verify` reads a package back and checks every file against the manifest, so a copy that
//! was altered, truncated or added to is told apart from the original.

use std::collections::BTreeMap;
use std::io::{Read, Seek, Write};

use serde::{Deserialize, Serialize};

use crate::model::monitor::{Institution, Snapshot};

/// The format name written in every manifest; a reader refuses any other.
pub const FORMAT: &str = "termbridge-evidence/1";

/// The manifest's own name in the archive.
pub const MANIFEST: &str = "manifest.json";

/// No file of a package is read past this size (the snapshots are capped far below it).
const MAX_ENTRY_BYTES: u64 = 64 << 20;

/// What goes into a package.
#[derive(Debug, Clone)]
pub struct EvidenceInput<'a> {
    pub institution: &'a Institution,
    pub run: RunRef,
    /// The check the package is restricted to, when it is.
    pub check: Option<&'a str>,
    /// The report as JSON (the `monitor report` contract) and as a standalone HTML page.
    pub report_json: &'a [u8],
    pub report_html: &'a str,
    /// Each snapshot with the body it describes.
    pub snapshots: Vec<(&'a Snapshot, &'a [u8])>,
    /// Seconds since the epoch, written as the package's creation time.
    pub created: u64,
}

/// The run a package documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunRef {
    pub id: u64,
    /// Seconds since the epoch.
    pub started: u64,
    pub finished: u64,
}

/// `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub termbridge_version: String,
    /// UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    pub created: String,
    pub institution: Institution,
    pub run: RunRef,
    pub check: Option<String>,
    /// Every file of the package but the manifest, in archive order.
    pub files: Vec<ManifestFile>,
    /// Every snapshot, with the file that holds its body.
    pub snapshots: Vec<ManifestSnapshot>,
}

/// One file of a package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestFile {
    pub path: String,
    pub blake3: String,
    pub bytes: u64,
}

/// One snapshot of a package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestSnapshot {
    /// The file holding the body as fetched.
    pub path: String,
    pub url: String,
    pub final_url: String,
    pub status: u16,
    /// UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    pub fetched_at: String,
    pub blake3: String,
    pub headers: BTreeMap<String, String>,
}

/// Why a package could not be written or does not verify.
#[derive(Debug, thiserror::Error)]
pub enum EvidenceError {
    #[error("cannot write the evidence package: {0}")]
    Write(String),
    #[error("not an evidence package: {0}")]
    NotPackage(String),
    #[error("evidence package does not verify: {0}")]
    Mismatch(String),
}

impl crate::problem::Classify for EvidenceError {
    fn class(&self) -> crate::problem::ErrorClass {
        match self {
            EvidenceError::Write(_) => crate::problem::ErrorClass::Internal,
            EvidenceError::NotPackage(_) | EvidenceError::Mismatch(_) => crate::problem::ErrorClass::Input,
        }
    }
}

/// Writes the package for `input` into `out` and returns its manifest. Snapshots with the
/// same body are stored once.
pub fn write_package<W: Write + Seek>(out: W, input: &EvidenceInput<'_>) -> Result<Manifest, EvidenceError> {
    let failed = |err: &dyn std::fmt::Display| EvidenceError::Write(err.to_string());
    let mut zip = zip::ZipWriter::new(out);
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut files = Vec::new();
    let mut add = |zip: &mut zip::ZipWriter<W>, path: &str, bytes: &[u8]| -> Result<(), EvidenceError> {
        zip.start_file(path, options).map_err(|err| failed(&err))?;
        zip.write_all(bytes).map_err(|err| failed(&err))?;
        files.push(ManifestFile { path: path.to_string(), blake3: blake3::hash(bytes).to_hex().to_string(), bytes: bytes.len() as u64 });
        Ok(())
    };
    add(&mut zip, "report.json", input.report_json)?;
    add(&mut zip, "report.html", input.report_html.as_bytes())?;
    let mut snapshots = Vec::new();
    let mut written: BTreeMap<String, String> = BTreeMap::new();
    for (snapshot, body) in &input.snapshots {
        let hash = blake3::hash(body).to_hex().to_string();
        let path = match written.get(&hash) {
            Some(path) => path.clone(),
            None => {
                let path = format!("snapshots/{hash}.{}", extension(snapshot));
                add(&mut zip, &path, body)?;
                written.insert(hash.clone(), path.clone());
                path
            }
        };
        snapshots.push(ManifestSnapshot {
            path,
            url: snapshot.url.clone(),
            final_url: snapshot.final_url.clone(),
            status: snapshot.status,
            fetched_at: utc(snapshot.fetched_at),
            blake3: hash,
            headers: snapshot.headers.clone(),
        });
    }
    let manifest = Manifest {
        format: FORMAT.to_string(),
        termbridge_version: env!("CARGO_PKG_VERSION").to_string(),
        created: utc(input.created),
        institution: input.institution.clone(),
        run: input.run.clone(),
        check: input.check.map(str::to_string),
        files,
        snapshots,
    };
    let json = serde_json::to_vec_pretty(&manifest).map_err(|err| failed(&err))?;
    zip.start_file(MANIFEST, options).map_err(|err| failed(&err))?;
    zip.write_all(&json).map_err(|err| failed(&err))?;
    zip.finish().map_err(|err| failed(&err))?;
    Ok(manifest)
}

/// Reads a package and checks it against its manifest: every listed file present with its
/// hash and size, every snapshot's body hashing to the hash recorded for it, and no file
/// that the manifest does not list.
pub fn verify<R: Read + Seek>(package: R) -> Result<Manifest, EvidenceError> {
    let mut zip = zip::ZipArchive::new(package).map_err(|err| EvidenceError::NotPackage(err.to_string()))?;
    let manifest: Manifest = {
        let bytes = read_entry(&mut zip, MANIFEST)?;
        serde_json::from_slice(&bytes).map_err(|err| EvidenceError::NotPackage(format!("{MANIFEST}: {err}")))?
    };
    if manifest.format != FORMAT {
        return Err(EvidenceError::NotPackage(format!("{MANIFEST} names the format {:?}, expected {FORMAT:?}", manifest.format)));
    }
    let mut hashes = BTreeMap::new();
    for file in &manifest.files {
        let bytes = read_entry(&mut zip, &file.path)?;
        let hash = blake3::hash(&bytes).to_hex().to_string();
        if hash != file.blake3 || bytes.len() as u64 != file.bytes {
            return Err(EvidenceError::Mismatch(format!(
                "{}: {} bytes with BLAKE3 {hash}, the manifest lists {} bytes with {}",
                file.path,
                bytes.len(),
                file.bytes,
                file.blake3
            )));
        }
        hashes.insert(file.path.as_str(), hash);
    }
    for snapshot in &manifest.snapshots {
        match hashes.get(snapshot.path.as_str()) {
            Some(hash) if *hash == snapshot.blake3 => {}
            Some(hash) => {
                return Err(EvidenceError::Mismatch(format!(
                    "{}: the snapshot of {} has BLAKE3 {}, its file {hash}",
                    snapshot.path, snapshot.url, snapshot.blake3
                )));
            }
            None => return Err(EvidenceError::Mismatch(format!("{}: the snapshot of {} is not among the listed files", snapshot.path, snapshot.url))),
        }
    }
    for name in zip.file_names() {
        let name = name.map_err(|err| EvidenceError::NotPackage(err.to_string()))?;
        if name != MANIFEST && !hashes.contains_key(name.as_ref()) {
            return Err(EvidenceError::Mismatch(format!("{name}: a file the manifest does not list")));
        }
    }
    Ok(manifest)
}

fn read_entry<R: Read + Seek>(zip: &mut zip::ZipArchive<R>, name: &str) -> Result<Vec<u8>, EvidenceError> {
    let entry = zip.by_name(name).map_err(|err| EvidenceError::Mismatch(format!("{name}: {err}")))?;
    if entry.size() > MAX_ENTRY_BYTES {
        return Err(EvidenceError::NotPackage(format!("{name}: {} bytes, more than a package holds", entry.size())));
    }
    let mut bytes = Vec::with_capacity(entry.size() as usize);
    entry.take(MAX_ENTRY_BYTES + 1).read_to_end(&mut bytes).map_err(|err| EvidenceError::Mismatch(format!("{name}: {err}")))?;
    Ok(bytes)
}

/// The extension a snapshot's body is stored under, from its type, so the file opens in the
/// program a reader expects.
fn extension(snapshot: &Snapshot) -> &'static str {
    let kind = snapshot.header("content-type").unwrap_or("").to_ascii_lowercase();
    let path = snapshot.final_url.split(['?', '#']).next().unwrap_or("").to_ascii_lowercase();
    if kind.contains("html") {
        "html"
    } else if kind.contains("pdf") || path.ends_with(".pdf") {
        "pdf"
    } else if kind.contains("wordprocessingml") || path.ends_with(".docx") {
        "docx"
    } else if kind.starts_with("text/") || path.ends_with(".txt") {
        "txt"
    } else {
        "bin"
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` for seconds since the epoch.
fn utc(secs: u64) -> String {
    crate::audit::history::format_date(secs.saturating_mul(1_000_000_000))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn snapshot(url: &str, kind: &str, body: &[u8]) -> Snapshot {
        Snapshot {
            url: url.to_string(),
            final_url: url.to_string(),
            status: 200,
            fetched_at: 1_796_000_000,
            headers: BTreeMap::from([("content-type".to_string(), kind.to_string())]),
            hash: blake3::hash(body).to_hex().to_string(),
            body_len: body.len() as u64,
            lastmod: None,
            depth: 0,
        }
    }

    fn institution() -> Institution {
        Institution {
            id: "gjilan".into(),
            name: "Komuna e Gjilanit".into(),
            municipality: Some("Gjilan".into()),
            urls: vec!["http://127.0.0.1/".into()],
            source: None,
            added: 1_795_000_000,
        }
    }

    fn package() -> Vec<u8> {
        let sq = snapshot("http://127.0.0.1/sq/", "text/html; charset=utf-8", b"<p>Njoftim</p>");
        let copy = snapshot("http://127.0.0.1/sq/?print=1", "text/html", b"<p>Njoftim</p>");
        let pdf = snapshot("http://127.0.0.1/vendim.pdf", "application/pdf", b"%PDF-1.4");
        let institution = institution();
        let input = EvidenceInput {
            institution: &institution,
            run: RunRef { id: 3, started: 1_796_000_000, finished: 1_796_000_100 },
            check: None,
            report_json: br#"{"score": 50}"#,
            report_html: "<!doctype html><p>report</p>",
            snapshots: vec![(&sq, b"<p>Njoftim</p>"), (&copy, b"<p>Njoftim</p>"), (&pdf, b"%PDF-1.4")],
            created: 1_796_000_200,
        };
        let mut out = Cursor::new(Vec::new());
        write_package(&mut out, &input).unwrap();
        out.into_inner()
    }

    #[test]
    fn a_package_verifies_and_stores_one_body_once() {
        let manifest = verify(Cursor::new(package())).unwrap();
        assert_eq!(manifest.format, FORMAT);
        assert_eq!(manifest.created, "2026-11-30T00:56:40Z");
        assert_eq!(manifest.snapshots.len(), 3);
        assert_eq!(manifest.snapshots[0].path, manifest.snapshots[1].path);
        assert!(manifest.snapshots[2].path.ends_with(".pdf"));
        let paths: Vec<&str> = manifest.files.iter().map(|file| file.path.as_str()).collect();
        assert_eq!(paths.len(), 4, "{paths:?}");
        assert_eq!(&paths[..2], ["report.json", "report.html"]);
    }

    #[test]
    fn an_altered_file_or_an_added_one_does_not_verify() {
        let original = package();
        let manifest = verify(Cursor::new(original.clone())).unwrap();
        let mut zip = zip::ZipArchive::new(Cursor::new(original)).unwrap();
        let mut rewrite = |replace: Option<(&str, &[u8])>, extra: Option<&str>| {
            let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
            for index in 0..zip.len() {
                let mut entry = zip.by_index(index).unwrap();
                let name = entry.name().unwrap().to_string();
                let mut bytes = Vec::new();
                entry.read_to_end(&mut bytes).unwrap();
                if let Some((target, with)) = replace
                    && target == name
                {
                    bytes = with.to_vec();
                }
                out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
                out.write_all(&bytes).unwrap();
            }
            if let Some(extra) = extra {
                out.start_file(extra, zip::write::SimpleFileOptions::default()).unwrap();
                out.write_all(b"x").unwrap();
            }
            out.finish().unwrap().into_inner()
        };
        let body = manifest.snapshots[2].path.clone();
        let altered = rewrite(Some((&body, b"%PDF-1.5")), None);
        let err = verify(Cursor::new(altered)).unwrap_err().to_string();
        assert!(err.contains(&body) && err.contains("the manifest lists"), "{err}");
        let added = rewrite(None, Some("snapshots/extra.html"));
        let err = verify(Cursor::new(added)).unwrap_err().to_string();
        assert!(err.contains("snapshots/extra.html: a file the manifest does not list"), "{err}");
        let err = verify(Cursor::new(b"not a zip".to_vec())).unwrap_err();
        assert!(matches!(err, EvidenceError::NotPackage(_)), "{err}");
    }
}
