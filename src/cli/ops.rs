//! Operating the data directory: `backup`, `restore`, `check`, `reindex`, `stats` and
//! `token`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Subcommand, ValueEnum};
use serde::Serialize;

use termbridge::store::{NewToken, Role, StoreError, TokenRecord};

use super::common::{Output, emit, open_workspace, progress_bar};
use super::user_error;

#[derive(Debug, Subcommand)]
pub(super) enum TokenCommand {
    /// Create a token and print it (shown once; only its hash is stored)
    Create {
        /// What the token may do
        #[arg(long, value_enum)]
        role: RoleArg,
    },
    /// List tokens (ids and roles, never secrets)
    List,
    /// Revoke a token by its id
    Revoke {
        /// The token id (the part after `tb_`)
        id: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum RoleArg {
    Reader,
    Editor,
    Admin,
}

pub(super) fn reindex(data_dir: &Path, json: bool) -> Result<ExitCode> {
    let mut workspace = open_workspace(data_dir)?;
    let bar = progress_bar("reindexing");
    workspace
        .reindex(&mut |done, total| {
            bar.set_length(total);
            bar.set_position(done);
        })
        .context("reindex failed; the store is unchanged")?;
    bar.finish_and_clear();
    emit(&Reindexed { indexed_variants: workspace.index.doc_count() }, json)?;
    Ok(ExitCode::SUCCESS)
}

/// What `reindex` rebuilt.
#[derive(Debug, Serialize)]
struct Reindexed {
    indexed_variants: u64,
}

impl Output for Reindexed {
    fn human(&self, out: &mut dyn Write) -> std::io::Result<()> {
        writeln!(out, "index rebuilt: {} variants", self.indexed_variants)
    }
}

pub(super) fn stats(data_dir: &Path, json: bool) -> Result<ExitCode> {
    let workspace = open_workspace(data_dir)?;
    let stats = workspace.store.stats()?;
    let output = StatsOutput {
        data_dir: data_dir.display().to_string(),
        units: stats.units,
        indexed_variants: workspace.index.doc_count(),
        schema_version: stats.schema_version,
        generation: stats.generation,
    };
    emit(&output, json)?;
    Ok(ExitCode::SUCCESS)
}

/// What `stats` shows.
#[derive(Debug, Serialize)]
struct StatsOutput {
    #[serde(skip)]
    data_dir: String,
    units: usize,
    indexed_variants: u64,
    schema_version: u32,
    generation: u64,
}

impl Output for StatsOutput {
    fn human(&self, out: &mut dyn Write) -> std::io::Result<()> {
        writeln!(
            out,
            "data directory: {}\nunits: {}\nindexed variants: {}\nschema version: {}",
            self.data_dir, self.units, self.indexed_variants, self.schema_version
        )
    }
}

pub(super) fn token_command(data_dir: &Path, command: TokenCommand, json: bool) -> Result<ExitCode> {
    let store = termbridge::store::Store::open(data_dir).with_context(|| format!("cannot open data directory {}", data_dir.display()))?;
    match command {
        TokenCommand::Create { role } => {
            let role = match role {
                RoleArg::Reader => Role::Reader,
                RoleArg::Editor => Role::Editor,
                RoleArg::Admin => Role::Admin,
            };
            let token = TokenCreated(store.create_token(role)?);
            emit(&token, json)?;
            if !json {
                eprintln!("created {} token {} (shown once; keep it secret)", token.0.role.as_str(), token.0.id);
            }
        }
        TokenCommand::List => {
            emit(&TokenList { tokens: store.tokens()? }, json)?;
        }
        TokenCommand::Revoke { id } => {
            if !store.revoke_token(&id)? {
                return Err(user_error(format!("no token with id {id}")));
            }
            emit(&Revoked { revoked: id }, json)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A token as `token create` shows it: the secret, once.
#[derive(Debug, Serialize)]
struct TokenCreated(NewToken);

impl Output for TokenCreated {
    fn human(&self, out: &mut dyn Write) -> std::io::Result<()> {
        writeln!(out, "{}", self.0.token)
    }
}

/// The tokens `token list` shows (never secrets).
#[derive(Debug, Serialize)]
struct TokenList {
    tokens: Vec<TokenRecord>,
}

impl Output for TokenList {
    fn human(&self, out: &mut dyn Write) -> std::io::Result<()> {
        for token in &self.tokens {
            writeln!(out, "{}\t{}\tcreated {}", token.id, token.role.as_str(), token.created)?;
        }
        Ok(())
    }
}

/// The token `token revoke` revoked.
#[derive(Debug, Serialize)]
struct Revoked {
    revoked: String,
}

impl Output for Revoked {
    fn human(&self, out: &mut dyn Write) -> std::io::Result<()> {
        writeln!(out, "revoked {}", self.revoked)
    }
}

/// The file in the data directory where a running service records its address, so that
/// `termbridge backup` can reach it while it holds the directory.
pub(super) const SERVICE_FILE: &str = "SERVICE";

/// `termbridge backup DIR`: directly when the data directory is free, through the running
/// service when it holds it.
pub(super) fn backup_command(data_dir: &Path, dest: &Path, server: Option<&str>, token: Option<&str>, json: bool) -> Result<ExitCode> {
    let manifest = match server {
        Some(server) => backup_through_service(server, token, dest)?,
        None => {
            if !data_dir.is_dir() {
                return Err(user_error(format!("data directory {} does not exist", data_dir.display())));
            }
            match termbridge::store::Store::open(data_dir) {
                Ok(store) => termbridge::ops::backup_store(&store, dest)?,
                Err(StoreError::Locked { holder, .. }) => {
                    let recorded = std::fs::read_to_string(data_dir.join(SERVICE_FILE)).unwrap_or_default();
                    let url = recorded.trim();
                    if url.is_empty() {
                        return Err(user_error(format!(
                            "data directory {} is in use ({holder}) and records no service address; pass --server http://HOST:PORT and an admin token",
                            data_dir.display()
                        )));
                    }
                    tracing::info!(%url, "the data directory is in use by a running service; backing up through it");
                    backup_through_service(url, token, dest)?
                }
                Err(err) => return Err(anyhow::Error::new(err).context(format!("cannot open data directory {}", data_dir.display()))),
            }
        }
    };
    emit(&BackupOutput { backup: dest.display().to_string(), manifest }, json)?;
    Ok(ExitCode::SUCCESS)
}

/// What `backup` wrote.
#[derive(Debug, Serialize)]
struct BackupOutput {
    backup: String,
    manifest: termbridge::ops::Manifest,
}

impl Output for BackupOutput {
    fn human(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let manifest = &self.manifest;
        writeln!(
            out,
            "backup {}: {} units, {} concepts, {} tokens, {} audit records; {} bytes, blake3 {}",
            self.backup, manifest.units, manifest.concepts, manifest.tokens, manifest.audits, manifest.dump.bytes, manifest.dump.blake3
        )
    }
}

fn backup_through_service(server: &str, token: Option<&str>, dest: &Path) -> Result<termbridge::ops::Manifest> {
    let base = service_base_url(server).map_err(user_error)?;
    let Some(token) = token else {
        return Err(user_error(format!(
            "backing up through the service at {base} needs an admin token: pass --token or set TERMBRIDGE_TOKEN (create one with `termbridge token create --role admin` while the service is stopped, or POST /api/v1/tokens)"
        )));
    };
    if dest.exists() {
        return Err(user_error(format!("{} already exists; back up into a new directory", dest.display())));
    }
    // Plain HTTP straight to the service: no proxy, no redirects; the dump is streamed, and
    // the timeout bounds each read, not the whole transfer.
    let client = reqwest::blocking::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(600))
        .build()
        .context("cannot set up the HTTP client")?;
    let mut response = client
        .post(format!("{base}/api/v1/admin/backup"))
        .bearer_auth(token)
        .send()
        .map_err(|err| user_error(format!("cannot reach the service at {base}: {err}")))?;
    let status = response.status();
    if status != reqwest::StatusCode::OK {
        let text = response.text().unwrap_or_default();
        let message = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|value| value["error"]["message"].as_str().map(str::to_string))
            .unwrap_or_else(|| text.trim().to_string());
        return Err(user_error(format!("{base} answered {}: {message}", status.as_u16())));
    }
    Ok(termbridge::ops::backup_from_dump(&mut response, dest)?)
}

/// The base address of a running service, `http://HOST[:PORT]` without a final slash.
fn service_base_url(raw: &str) -> std::result::Result<String, String> {
    let url = reqwest::Url::parse(raw.trim()).map_err(|err| format!("{raw:?}: not a service address ({err})"))?;
    if url.scheme() != "http" {
        return Err(format!("{raw:?}: only http:// service addresses are supported"));
    }
    if url.host_str().is_none() || url.path() != "/" || url.query().is_some() || !url.username().is_empty() {
        return Err(format!("{raw:?}: give the service's base address, e.g. http://127.0.0.1:8080"));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

#[cfg(test)]
mod service_url_tests {
    #[test]
    fn service_urls() {
        assert_eq!(super::service_base_url("http://127.0.0.1:8080/").as_deref(), Ok("http://127.0.0.1:8080"));
        assert_eq!(super::service_base_url("http://localhost").as_deref(), Ok("http://localhost"));
        assert_eq!(super::service_base_url("http://[::1]:9000").as_deref(), Ok("http://[::1]:9000"));
        for bad in ["https://example.org", "http://host:port", "http://host/path", "127.0.0.1:8080"] {
            assert!(super::service_base_url(bad).is_err(), "{bad}");
        }
    }
}

pub(super) fn restore_command(data_dir: &Path, backup: &Path, force: bool, json: bool) -> Result<ExitCode> {
    let bar = progress_bar("rebuilding search index");
    let outcome = termbridge::ops::restore(backup, data_dir, force, &mut |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    })?;
    bar.finish_and_clear();
    emit(&RestoreOutput { data_dir: data_dir.display().to_string(), restored: outcome, backup: backup.display().to_string() }, json)?;
    Ok(ExitCode::SUCCESS)
}

/// What `restore` did.
#[derive(Debug, Serialize)]
struct RestoreOutput {
    data_dir: String,
    restored: termbridge::ops::RestoreOutcome,
    #[serde(skip)]
    backup: String,
}

impl Output for RestoreOutput {
    fn human(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let outcome = &self.restored;
        writeln!(
            out,
            "restored {} into {}: {} units, {} concepts, {} indexed variants{}",
            self.backup,
            self.data_dir,
            outcome.units,
            outcome.concepts,
            outcome.indexed_variants,
            if outcome.replaced { " (the previous content was replaced)" } else { "" }
        )
    }
}

pub(super) fn check_command(data_dir: &Path, json: bool) -> Result<ExitCode> {
    let report = termbridge::ops::check(data_dir)?;
    let code = if report.ok { ExitCode::SUCCESS } else { ExitCode::from(1) };
    emit(&CheckOutput { data_dir: data_dir.display().to_string(), report }, json)?;
    Ok(code)
}

/// What `check` found.
#[derive(Debug, Serialize)]
struct CheckOutput {
    #[serde(skip)]
    data_dir: String,
    #[serde(flatten)]
    report: termbridge::ops::CheckReport,
}

impl Output for CheckOutput {
    fn human(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let report = &self.report;
        writeln!(out, "data directory: {}", self.data_dir)?;
        if let Some(reason) = &report.open_error {
            writeln!(out, "the store cannot be opened: {reason}")?;
        }
        if let Some(store) = &report.store {
            writeln!(
                out,
                "store: schema {}, generation {}, {} units in {} blocks, {} concepts, {} tokens, {} audit records",
                store.schema_version, store.generation, store.unit_records, store.blocks, store.concepts, store.tokens, store.audits
            )?;
            for problem in &store.problems {
                writeln!(out, "  problem (store, {}): {}", problem.kind, problem.detail)?;
            }
        }
        if let Some(index) = &report.index {
            match index.generation {
                Some(generation) => writeln!(out, "index: {} documents at store generation {generation}", index.documents)?,
                None => writeln!(out, "index: not usable")?,
            }
            for problem in &index.problems {
                writeln!(out, "  problem (index): {problem}")?;
            }
        }
        writeln!(out, "{}", if report.ok { "ok: no problems found" } else { "NOT OK: see the problems above" })
    }
}
