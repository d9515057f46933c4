//! What the commands share: printing JSON, progress bars, opening the data directory,
//! language flags, and writing a file atomically.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use termbridge::Workspace;
use termbridge::model::lang::LangTag;

use super::user_error;

pub(super) fn write_output(output: Option<&Path>, text: &str) -> Result<()> {
    match output {
        Some(path) => std::fs::write(path, text).map_err(|err| user_error(format!("{}: cannot write: {err}", path.display()))),
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(text.as_bytes())?;
            if !text.ends_with('\n') {
                stdout.write_all(b"\n")?;
            }
            Ok(())
        }
    }
}

/// What a command reports: serialised for `--json`, rendered for people otherwise.
pub(super) trait Output: Serialize {
    /// The human rendering, on standard output.
    fn human(&self, out: &mut dyn Write) -> std::io::Result<()>;
}

/// Prints `output` on standard output: one JSON object a line (keys in the order of
/// `serde_json::Value`, as every `--json` output has them) or the human rendering. A closed
/// pipe (`| head`) is not an error.
pub(super) fn emit(output: &impl Output, json: bool) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    write_to(&mut stdout, output, json)?;
    match stdout.flush() {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => Err(err.into()),
        _ => Ok(()),
    }
}

/// Writes `output` into `out` as [`emit`] prints it.
pub(super) fn write_to(out: &mut dyn Write, output: &impl Output, json: bool) -> Result<()> {
    let written = if json { writeln!(out, "{}", serde_json::to_value(output)?) } else { output.human(out) };
    match written {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => Err(err.into()),
        _ => Ok(()),
    }
}

pub(super) fn progress_bar(message: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({per_sec}, {eta})").unwrap_or_else(|_| ProgressStyle::default_bar()).progress_chars("=> "),
    );
    bar.set_message(message.to_string());
    bar
}

/// A progress bar over bytes, with the rate and the time left.
pub(super) fn byte_progress_bar(message: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta} left)")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(message.to_string());
    bar
}

pub(super) fn open_workspace(data_dir: &Path) -> Result<Workspace> {
    let bar = progress_bar("rebuilding search index");
    let (workspace, outcome) = Workspace::open(data_dir, &mut |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    })
    .with_context(|| format!("cannot open data directory {}", data_dir.display()))?;
    bar.finish_and_clear();
    if let termbridge::index::OpenOutcome::Rebuilt(reason) = outcome {
        tracing::info!(%reason, "search index rebuilt from the store");
    }
    Ok(workspace)
}

pub(super) fn parse_tag(raw: &str, flag: &str) -> Result<LangTag> {
    LangTag::parse(raw).map_err(|err| user_error(format!("{flag}: {err}")))
}

/// Writes `output` through a temporary file in the same directory, synced and renamed, so a
/// reader never sees half a file and a crash leaves the old one.
pub(super) fn write_atomically(output: &Path, write: impl FnOnce(&mut std::io::BufWriter<&std::fs::File>) -> Result<()>) -> Result<()> {
    let parent = match output.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let temporary =
        tempfile::NamedTempFile::new_in(&parent).map_err(|err| user_error(format!("{}: cannot write in {}: {err}", output.display(), parent.display())))?;
    {
        let mut writer = std::io::BufWriter::with_capacity(1 << 20, temporary.as_file());
        write(&mut writer)?;
        writer.flush().with_context(|| format!("cannot write {}", output.display()))?;
    }
    temporary.as_file().sync_all().with_context(|| format!("cannot sync {}", output.display()))?;
    temporary.persist(output).map_err(|err| user_error(format!("{}: cannot replace the file: {}", output.display(), err.error)))?;
    if let Ok(directory) = std::fs::File::open(&parent) {
        let _ = directory.sync_all();
    }
    Ok(())
}
