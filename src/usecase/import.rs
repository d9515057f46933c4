//! Importing translation memories and term bases, all or nothing: a file that cannot be read
//! stores nothing. [`import_memory`] streams: it reads the files and writes what it read in
//! batches of [`ImportSettings::batch_units`] units, which the store keeps out of sight until
//! the last file was read whole and the import is published in one durable step (see
//! `workspace::UnitImport`), so memory stays bounded whatever the files' size.
//! [`read_memory`] then [`store_memory`] do the same for a file read whole (uploads, whose
//! size is limited). Units a reader skipped are counted, and the first [`SHOWN_PROBLEMS`] are
//! kept with file, line and reason.
//!
//! Plain text files are one line-aligned set (one file a language, in the order of
//! [`ReadOptions::langs`]); every other file stands alone. Every unit keeps the source texts
//! of its neighbours in its file (`formats::Neighbours`), for context matches.
//!
//! Deliberately not here: where the files come from (paths given on the command line or
//! uploads saved by the service) and how progress and problems are shown.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::UseCaseError;
use crate::Workspace;
use crate::formats::{Format, FormatError, Neighbours, Parsed, ReadOptions};
use crate::store::WriteSummary;
use crate::termbase::{self, FileFormat, Imported, TermbaseError};

/// How many skipped units an import lists before it only counts them.
pub const SHOWN_PROBLEMS: usize = 10;

/// A file to import: where it is, and the name to speak of it by (the path on the command
/// line, the client's file name over HTTP).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The name in outcomes and problems.
    pub name: String,
    /// Where the bytes are.
    pub path: PathBuf,
}

impl Source {
    /// A file named by its path.
    pub fn from_path(path: &Path) -> Source {
        Source { name: path.display().to_string(), path: path.to_path_buf() }
    }
}

/// What an import is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// Reading a file (progress counts bytes).
    Reading,
    /// Writing what was read (progress counts units).
    Writing,
}

impl Phase {
    /// `reading` or `writing`.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Reading => "reading",
            Phase::Writing => "writing",
        }
    }
}

/// How far an import got: the file (or set of files), the phase, and work done of the total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress<'a> {
    /// The file, as named.
    pub file: &'a str,
    /// The phase.
    pub phase: Phase,
    /// Work done, in the phase's unit.
    pub done: u64,
    /// Work in the phase, in the phase's unit.
    pub total: u64,
}

/// A unit or a concept a reader skipped (or partly kept), and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportProblem {
    /// The file, as named.
    pub file: String,
    /// 1-based line where it starts, when the reader tells.
    pub line: Option<usize>,
    /// Why, lowercase.
    pub reason: String,
}

impl std::fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file, self.reason),
            None => write!(f, "{}: {}", self.file, self.reason),
        }
    }
}

/// A translation memory document read and ready to store.
#[derive(Debug, Clone)]
pub struct ReadMemory {
    /// The file (or `a + b + c` for a set of plain text files).
    pub name: String,
    /// What the reader made of it.
    pub parsed: Parsed,
}

/// What importing one translation memory document stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemoryImport {
    /// The file (or `a + b + c` for a set of plain text files).
    pub file: String,
    /// Units read.
    pub read: usize,
    /// Units that were new.
    pub stored: usize,
    /// Units already stored (same content).
    pub duplicates: usize,
    /// Units the reader skipped.
    pub skipped: usize,
    /// The first [`SHOWN_PROBLEMS`] skips.
    pub problems: Vec<ImportProblem>,
    /// Every skip, counted by reason.
    #[serde(skip)]
    pub skipped_by_reason: BTreeMap<String, usize>,
}

/// The format of `source`: the one asked for, else told by its name and first bytes.
pub fn detect_format(source: &Source, asked: Option<Format>) -> Result<Format, FormatError> {
    if let Some(format) = asked {
        return Ok(format);
    }
    let io = |err| FormatError::Io { path: source.path.display().to_string(), source: err };
    let mut head = Vec::with_capacity(4096);
    std::fs::File::open(&source.path).map_err(io)?.take(4096).read_to_end(&mut head).map_err(io)?;
    crate::formats::detect(&source.path, &head).ok_or_else(|| FormatError::UnknownFormat { path: source.name.clone() })
}

/// Plain text files (read together as one document) and the other sources with their
/// formats, in order.
type ByFormat<'a> = (Vec<&'a Source>, Vec<(&'a Source, Format)>);

fn by_format(sources: &[Source], asked: Option<Format>) -> Result<ByFormat<'_>, FormatError> {
    let mut text_files = Vec::new();
    let mut other_files = Vec::new();
    for source in sources {
        match detect_format(source, asked)? {
            Format::Text => text_files.push(source),
            format => other_files.push((source, format)),
        }
    }
    Ok((text_files, other_files))
}

/// The plain text files as one document: its name ("a.txt + b.txt") and its units.
fn read_text_document(text_files: &[&Source], options: &ReadOptions) -> Result<(String, Parsed), FormatError> {
    let paths: Vec<&Path> = text_files.iter().map(|source| source.path.as_path()).collect();
    let name = text_files.iter().map(|source| source.name.as_str()).collect::<Vec<_>>().join(" + ");
    let mut parsed = crate::formats::text::read_text_files(&paths, options)?;
    Neighbours::link(&mut parsed.units);
    Ok((name, parsed))
}

/// Reads every source, calling `progress` while it reads; nothing is written. Plain text
/// files become one document, read first; the others one document each, in order.
pub fn read_memory(sources: &[Source], options: &ReadOptions, progress: &mut dyn FnMut(Progress<'_>)) -> Result<Vec<ReadMemory>, UseCaseError> {
    let (text_files, other_files) = by_format(sources, options.format)?;
    let mut documents = Vec::with_capacity(sources.len());
    if !text_files.is_empty() {
        let (name, parsed) = read_text_document(&text_files, options)?;
        documents.push(ReadMemory { name, parsed });
    }
    for (source, format) in other_files {
        let file_options = ReadOptions { format: Some(format), ..options.clone() };
        let mut parsed = crate::formats::read_file_with_progress(&source.path, &file_options, &mut |done, total| {
            progress(Progress { file: &source.name, phase: Phase::Reading, done, total });
        })?;
        if !is_export(source, format) {
            if format == Format::Tmx {
                parsed.units.iter_mut().for_each(crate::formats::tmx::tuid_context);
            }
            Neighbours::link(&mut parsed.units);
        }
        documents.push(ReadMemory { name: source.name.clone(), parsed });
    }
    Ok(documents)
}

/// Writes one document read by [`read_memory`] into the workspace, all or nothing.
pub fn store_memory(workspace: &Workspace, document: &ReadMemory, progress: &mut dyn FnMut(Progress<'_>)) -> Result<MemoryImport, UseCaseError> {
    let read = document.parsed.units.len();
    progress(Progress { file: &document.name, phase: Phase::Writing, done: 0, total: read as u64 });
    let summary = workspace.add_units(&document.parsed.units).map_err(|source| UseCaseError::Write { file: document.name.clone(), source })?;
    progress(Progress { file: &document.name, phase: Phase::Writing, done: read as u64, total: read as u64 });
    Ok(outcome(&document.name, read, WriteSummary::default(), summary, &document.parsed.problems))
}

/// How a streamed import goes about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportSettings {
    /// Units read before they are written as one batch.
    pub batch_units: usize,
}

/// The batch size of a streamed import: big enough that a batch's fixed costs vanish, small
/// enough that a batch (read, encoded and indexed) stays a few tens of MiB.
pub const DEFAULT_BATCH_UNITS: usize = 20_000;

impl Default for ImportSettings {
    fn default() -> ImportSettings {
        ImportSettings { batch_units: DEFAULT_BATCH_UNITS }
    }
}

/// What a streamed import stored, file by file, and how it went.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamedImport {
    /// One outcome a document, in the order read (plain text files first, as one).
    pub documents: Vec<MemoryImport>,
    /// Batches written before the import was published.
    pub batches: usize,
    /// What the whole import stored and how long its parts took.
    pub timings: crate::workspace::ImportTimings,
}

/// Reads `sources` and writes their units into the workspace in batches, publishing all of
/// it at the end in one step (see the module docs); a file that cannot be read, or a write
/// that fails before the publish, leaves the workspace as it was. `progress` is told the
/// bytes read of each file.
pub fn import_memory(
    workspace: &Workspace,
    sources: &[Source],
    options: &ReadOptions,
    settings: ImportSettings,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<StreamedImport, UseCaseError> {
    let (text_files, other_files) = by_format(sources, options.format)?;
    let batch_units = settings.batch_units.max(1);
    let mut import = workspace.begin_import().map_err(|source| UseCaseError::Write { file: sources_name(sources), source })?;
    let mut documents = Vec::with_capacity(sources.len());
    if !text_files.is_empty() {
        let (name, parsed) = read_text_document(&text_files, options)?;
        let before = import.summary();
        for batch in parsed.units.chunks(batch_units) {
            import.add(batch.to_vec()).map_err(|source| UseCaseError::Write { file: name.clone(), source })?;
        }
        documents.push(outcome(&name, parsed.units.len(), before, import.summary(), &parsed.problems));
    }
    for (source, format) in other_files {
        let file_options = ReadOptions { format: Some(format), ..options.clone() };
        let before = import.summary();
        let mut batch = Vec::with_capacity(batch_units);
        let mut read = 0usize;
        let mut failed = None;
        let mut neighbours = Neighbours::default();
        let document_order = !is_export(source, format);
        let problems = crate::formats::read_file_each(
            &source.path,
            &file_options,
            &mut |done, total| progress(Progress { file: &source.name, phase: Phase::Reading, done, total }),
            &mut |mut unit| {
                read += 1;
                if !document_order {
                    batch.push(unit);
                } else {
                    if format == Format::Tmx {
                        crate::formats::tmx::tuid_context(&mut unit);
                    }
                    let Some(held) = neighbours.push(unit) else { return ControlFlow::Continue(()) };
                    batch.push(held);
                }
                if batch.len() >= batch_units
                    && let Err(err) = import.add(std::mem::replace(&mut batch, Vec::with_capacity(batch_units)))
                {
                    failed = Some(err);
                    return ControlFlow::Break(());
                }
                ControlFlow::Continue(())
            },
        )?;
        if let Some(source_err) = failed {
            return Err(UseCaseError::Write { file: source.name.clone(), source: source_err });
        }
        batch.extend(neighbours.finish());
        import.add(batch).map_err(|err| UseCaseError::Write { file: source.name.clone(), source: err })?;
        documents.push(outcome(&source.name, read, before, import.summary(), &problems));
    }
    let batches = import.batches();
    let last = documents.last().map(|document| document.file.clone()).unwrap_or_default();
    let timings = import.publish().map_err(|source| UseCaseError::Write { file: last, source })?;
    Ok(StreamedImport { documents, batches, timings })
}

/// True when `source` is a TMX export of termbridge's: its units keep the context and
/// neighbours they were stored with, and its order (the store's) gives them no new ones.
fn is_export(source: &Source, format: Format) -> bool {
    if format != Format::Tmx {
        return false;
    }
    let mut head = [0u8; 1024];
    let read = std::fs::File::open(&source.path).and_then(|mut file| file.read(&mut head)).unwrap_or(0);
    crate::formats::tmx::is_termbridge_export(&head[..read])
}

fn sources_name(sources: &[Source]) -> String {
    sources.iter().map(|source| source.name.as_str()).collect::<Vec<_>>().join(", ")
}

/// The outcome of one document, from the write summaries before and after it (a whole-file
/// write starts from zero).
fn outcome(name: &str, read: usize, before: WriteSummary, after: WriteSummary, problems: &[crate::formats::Problem]) -> MemoryImport {
    let mut skipped_by_reason = BTreeMap::new();
    for problem in problems {
        *skipped_by_reason.entry(problem.reason.clone()).or_insert(0) += 1;
    }
    MemoryImport {
        file: name.to_string(),
        read,
        stored: after.stored - before.stored,
        duplicates: after.duplicates - before.duplicates,
        skipped: problems.len(),
        problems: problems
            .iter()
            .take(SHOWN_PROBLEMS)
            .map(|problem| ImportProblem { file: name.to_string(), line: problem.line, reason: problem.reason.clone() })
            .collect(),
        skipped_by_reason,
    }
}

/// A term base file read and ready to store.
#[derive(Debug, Clone)]
pub struct ReadTerms {
    /// The file, as named.
    pub name: String,
    /// Its concepts and warnings.
    pub imported: Imported,
}

impl ReadTerms {
    /// The first [`SHOWN_PROBLEMS`] warnings, as problems.
    pub fn problems(&self) -> Vec<ImportProblem> {
        self.imported
            .warnings
            .iter()
            .take(SHOWN_PROBLEMS)
            .map(|warning| ImportProblem { file: self.name.clone(), line: Some(warning.line), reason: warning.message.clone() })
            .collect()
    }
}

/// Reads term base files (TBX or CSV; `format` or else told by each name), checking that
/// no two files define one concept; nothing is written.
pub fn read_terms(sources: &[Source], format: Option<FileFormat>) -> Result<Vec<ReadTerms>, UseCaseError> {
    let mut read = Vec::with_capacity(sources.len());
    let mut origin: HashMap<String, String> = HashMap::new();
    for source in sources {
        let file_format = match format {
            Some(format) => format,
            None => FileFormat::from_path(&source.path).ok_or_else(|| UseCaseError::UnknownTermsFormat { file: source.name.clone() })?,
        };
        let imported = termbase::read_file(&source.path, file_format)?;
        for concept in &imported.concepts {
            if let Some(first) = origin.insert(concept.id.clone(), source.name.clone()) {
                return Err(TermbaseError::DuplicateConcept { id: concept.id.clone(), first, second: source.name.clone() }.into());
            }
        }
        read.push(ReadTerms { name: source.name.clone(), imported });
    }
    Ok(read)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, content: &str) -> Source {
        let path = dir.join(name);
        std::fs::write(&path, content).unwrap();
        Source::from_path(&path)
    }

    #[test]
    fn reads_then_stores_and_counts_skips() {
        let dir = tempfile::tempdir().unwrap();
        let tsv = write(dir.path(), "m.tsv", "id\ten\tsq\n1\tHello\tPërshëndetje\n2\t\t\n3\tHello\tPërshëndetje\n");
        let options = ReadOptions::default();
        let mut phases = Vec::new();
        let documents = read_memory(std::slice::from_ref(&tsv), &options, &mut |progress| phases.push(progress.phase)).unwrap();
        assert_eq!(documents.len(), 1);
        let (workspace, _) = Workspace::open(&dir.path().join("data"), &mut |_, _| {}).unwrap();
        let outcome = store_memory(&workspace, &documents[0], &mut |progress| phases.push(progress.phase)).unwrap();
        assert_eq!(outcome.file, tsv.name);
        assert_eq!(outcome.read + outcome.skipped, 3);
        assert_eq!(outcome.problems.len(), outcome.skipped);
        assert!(outcome.problems.iter().all(|problem| problem.file == tsv.name));
        assert_eq!(phases.last(), Some(&Phase::Writing));
    }

    fn tsv_rows(rows: std::ops::Range<usize>) -> String {
        let mut text = String::from("id\ten\tsq\n");
        for row in rows {
            text.push_str(&format!("r{row}\tThe decision number {row}\tVendimi numër {row}\n"));
        }
        text
    }

    #[test]
    fn a_streamed_import_writes_several_batches_before_it_publishes() {
        let dir = tempfile::tempdir().unwrap();
        let first = write(dir.path(), "a.tsv", &tsv_rows(0..7));
        let second = write(
            dir.path(),
            "b.tmx",
            "<tmx version=\"1.4\"><header/><body><tu tuid=\"t\"><tuv xml:lang=\"en\"><seg>Mayor</seg></tuv><tuv xml:lang=\"sq\"><seg>Kryetari</seg></tuv></tu></body></tmx>",
        );
        let (workspace, _) = Workspace::open(&dir.path().join("data"), &mut |_, _| {}).unwrap();
        let settings = ImportSettings { batch_units: 2 };
        let streamed = import_memory(&workspace, &[first.clone(), second.clone(), first.clone()], &ReadOptions::default(), settings, &mut |_| {}).unwrap();
        // 7 units in batches of 2 (4 batches), the TMX unit (1), the repeat stores nothing.
        assert_eq!(streamed.batches, 5);
        let counts: Vec<(usize, usize, usize)> = streamed.documents.iter().map(|document| (document.read, document.stored, document.duplicates)).collect();
        assert_eq!(counts, [(7, 7, 0), (1, 1, 0), (7, 0, 7)]);
        assert_eq!(workspace.store.stats().unwrap().units, 8);
        assert_eq!(workspace.store.generation().unwrap(), 1, "one import, one generation");
        assert_eq!(workspace.index.doc_count(), 16);
    }

    #[test]
    fn a_file_that_fails_after_some_batches_stores_nothing_of_the_import() {
        let dir = tempfile::tempdir().unwrap();
        let good = write(dir.path(), "good.tsv", &tsv_rows(100..105));
        // Ten good rows, then a record with a field too many.
        let bad = write(dir.path(), "bad.tsv", &(tsv_rows(0..10) + "r10\tone\ttwo\tthree\n"));
        let data = dir.path().join("data");
        {
            let (workspace, _) = Workspace::open(&data, &mut |_, _| {}).unwrap();
            import_memory(&workspace, std::slice::from_ref(&good), &ReadOptions::default(), ImportSettings::default(), &mut |_| {}).unwrap();
            let before = (workspace.store.stats().unwrap(), workspace.index.doc_count());
            let settings = ImportSettings { batch_units: 3 };
            match import_memory(&workspace, &[good.clone(), bad.clone()], &ReadOptions::default(), settings, &mut |_| {}) {
                Err(UseCaseError::Format(FormatError::Syntax { line, .. })) => assert_eq!(line, 12),
                other => panic!("{other:?}"),
            }
            assert_eq!((workspace.store.stats().unwrap(), workspace.index.doc_count()), before);
            assert!(workspace.store.check().unwrap().problems.is_empty());
            // The workspace takes the next import whole.
            let streamed = import_memory(&workspace, &[bad_fixed(dir.path())], &ReadOptions::default(), settings, &mut |_| {}).unwrap();
            assert_eq!(streamed.documents[0].stored, 10);
        }
        let (workspace, outcome) = Workspace::open(&data, &mut |_, _| {}).unwrap();
        assert!(matches!(outcome, crate::index::OpenOutcome::Current), "the search index is in step: {outcome:?}");
        assert_eq!(workspace.store.stats().unwrap().units, 15);
        assert!(workspace.store.check().unwrap().problems.is_empty());
    }

    fn bad_fixed(dir: &Path) -> Source {
        write(dir, "fixed.tsv", &tsv_rows(0..10))
    }

    #[test]
    fn an_unknown_format_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let source = Source { name: "upload.bin".into(), path: write(dir.path(), "x.bin", "\u{0}\u{1}").path };
        match read_memory(&[source], &ReadOptions::default(), &mut |_| {}) {
            Err(UseCaseError::Format(FormatError::UnknownFormat { path })) => assert_eq!(path, "upload.bin"),
            other => panic!("{other:?}"),
        }
    }
}
