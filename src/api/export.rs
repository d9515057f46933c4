//! Export over HTTP: the translation memory as TMX, TSV or CSV and the term base as TBX or CSV,
//! streamed as `termbridge export` and `termbridge terms export` write them (both run the
//! export use case, `usecase::export`).
//!
//! The file is written on the blocking pool into a bounded channel and sent as it is made, so
//! a large memory is never held whole in the answer. A failure after the first bytes have gone
//! out can only be signalled by breaking the transfer, which clients see as a truncated body.

use std::io::Write;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tokio::sync::mpsc;
use utoipa::IntoParams;

use super::error::{ApiQuery, ErrorBody};
use super::params::required_text;
use super::{ApiError, AppState};
use crate::Workspace;
use crate::termbase::tbx::TbxVersion;
use crate::usecase::UseCaseError;
use crate::usecase::export::{MemoryFormat, TermsFormat, export_memory, export_terms};

/// Bytes gathered before a chunk is sent.
const CHUNK_BYTES: usize = 64 << 10;
/// Chunks that may wait in the channel (the writer blocks beyond that: back-pressure).
const CHANNEL_CHUNKS: usize = 8;

/// What can be exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ExportFormat {
    Tmx,
    Tsv,
    Csv,
    Tbx,
    Tbx2008,
    TermsCsv,
}

impl ExportFormat {
    const NAMES: &'static str = "tmx, tsv, csv (translation memory), tbx, tbx2008 or terms-csv (term base)";

    fn parse(raw: &str) -> Option<ExportFormat> {
        Some(match raw.trim().to_ascii_lowercase().as_str() {
            "tmx" => ExportFormat::Tmx,
            "tsv" => ExportFormat::Tsv,
            "csv" => ExportFormat::Csv,
            "tbx" => ExportFormat::Tbx,
            "tbx2008" => ExportFormat::Tbx2008,
            "terms-csv" | "terms_csv" => ExportFormat::TermsCsv,
            _ => return None,
        })
    }

    fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Tmx | ExportFormat::Tbx | ExportFormat::Tbx2008 => "application/xml; charset=utf-8",
            ExportFormat::Tsv => "text/tab-separated-values; charset=utf-8",
            ExportFormat::Csv | ExportFormat::TermsCsv => "text/csv; charset=utf-8",
        }
    }

    fn file_name(self) -> &'static str {
        match self {
            ExportFormat::Tmx => "termbridge.tmx",
            ExportFormat::Tsv => "termbridge.tsv",
            ExportFormat::Csv => "termbridge.csv",
            ExportFormat::Tbx | ExportFormat::Tbx2008 => "termbridge-terms.tbx",
            ExportFormat::TermsCsv => "termbridge-terms.csv",
        }
    }
}

/// Query of `GET /api/v1/export`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct ExportQuery {
    /// `tmx`, `tsv` or `csv` (the translation memory), `tbx`, `tbx2008` (TBX 2008 `martif`, as
    /// translate-toolkit and Weblate read it) or `terms-csv` (the term base).
    #[param(required = true, example = "tmx")]
    format: Option<String>,
    /// Only this collection (translation memory formats).
    collection: Option<String>,
    /// TBX edition: `2019` (default, ISO 30042:2019 TBX-Basic) or `2008` (martif).
    tbx_version: Option<String>,
}

/// A `Write` that sends what it is given as chunks over a channel to the response body.
struct ChannelWriter {
    sender: mpsc::Sender<Result<Bytes, std::io::Error>>,
    buffer: Vec<u8>,
}

impl ChannelWriter {
    fn send_buffer(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buffer, Vec::with_capacity(CHUNK_BYTES)));
        self.sender.blocking_send(Ok(chunk)).map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client closed the connection"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(data);
        if self.buffer.len() >= CHUNK_BYTES {
            self.send_buffer()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send_buffer()
    }
}

/// Writes the export into `out` through the export use case.
fn write_export(
    workspace: &Workspace,
    format: ExportFormat,
    collection: Option<&str>,
    tbx_version: TbxVersion,
    out: &mut ChannelWriter,
) -> std::io::Result<()> {
    let store = &workspace.store;
    let written = match format {
        ExportFormat::Tmx => export_memory(store, MemoryFormat::Tmx, collection, out).map(|_| ()),
        ExportFormat::Tsv | ExportFormat::Csv => {
            let memory_format = if format == ExportFormat::Tsv { MemoryFormat::Tsv } else { MemoryFormat::Csv };
            export_memory(store, memory_format, collection, out).map(|outcome| {
                if !outcome.skipped.is_empty() {
                    tracing::warn!(skipped = outcome.skipped.len(), "export: units left out of the {} file", format.file_name());
                }
            })
        }
        ExportFormat::Tbx => export_terms(store, TermsFormat::Tbx(tbx_version), out).map(|_| ()),
        ExportFormat::Tbx2008 => export_terms(store, TermsFormat::Tbx(TbxVersion::V2008), out).map(|_| ()),
        ExportFormat::TermsCsv => export_terms(store, TermsFormat::Csv, out).map(|_| ()),
    };
    written.map_err(|err| match err {
        UseCaseError::Io(err) => err,
        err => std::io::Error::other(err.to_string()),
    })
}

/// Streams the translation memory or the term base as a file.
#[utoipa::path(
    get,
    path = "/api/v1/export",
    tag = "export",
    params(ExportQuery),
    responses(
        (status = 200, description = "The file, streamed", content(
            (String = "application/xml"),
            (String = "text/tab-separated-values"),
            (String = "text/csv"),
        )),
        (status = 400, description = "Missing or unknown format, or unknown TBX edition", body = ErrorBody),
    )
)]
pub(super) async fn export(State(state): State<AppState>, ApiQuery(query): ApiQuery<ExportQuery>) -> Result<Response, ApiError> {
    let raw = required_text(query.format, "format")?;
    let format = ExportFormat::parse(&raw).ok_or_else(|| ApiError::bad_request(format!("`format`: unknown format {raw:?} (use {})", ExportFormat::NAMES)))?;
    let tbx_version = match query.tbx_version.as_deref().map(str::trim) {
        None | Some("" | "2019") => TbxVersion::V2019,
        Some("2008") => TbxVersion::V2008,
        Some(other) => return Err(ApiError::bad_request(format!("`tbx_version`: unknown edition {other:?} (2019 or 2008)"))),
    };
    let collection = query.collection.filter(|name| !name.trim().is_empty());
    let (sender, mut receiver) = mpsc::channel::<Result<Bytes, std::io::Error>>(CHANNEL_CHUNKS);
    let workspace = state.workspace.clone();
    tokio::task::spawn_blocking(move || {
        let mut out = ChannelWriter { sender: sender.clone(), buffer: Vec::with_capacity(CHUNK_BYTES) };
        if let Err(err) = write_export(&workspace, format, collection.as_deref(), tbx_version, &mut out)
            && err.kind() != std::io::ErrorKind::BrokenPipe
        {
            tracing::error!(%err, "export failed after the answer began; the transfer is broken off");
            let _ = sender.blocking_send(Err(err));
        }
    });
    let stream = futures_util::stream::poll_fn(move |context| receiver.poll_recv(context));
    let headers = [(CONTENT_TYPE, format.content_type().to_string()), (CONTENT_DISPOSITION, format!("attachment; filename=\"{}\"", format.file_name()))];
    Ok((headers, Body::from_stream(stream)).into_response())
}
