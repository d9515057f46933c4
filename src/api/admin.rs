//! Administration over HTTP: `POST /api/v1/admin/backup` answers a consistent dump of the
//! store (the `store.tbdump` of a backup), so that a backup can be taken while the service
//! holds the data directory. `termbridge backup DIR` calls it when the directory is locked.
//!
//! The dump is written to a temporary file in the data directory first (writes wait only
//! for that), then streamed from the file, so a slow client never holds up writers.

use std::io::{Read, Seek};
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

use super::{ApiError, AppState, blocking};

/// Chunks read from the dump file by a blocking task.
struct Chunks(tokio::sync::mpsc::Receiver<std::io::Result<Bytes>>);

impl futures_core::Stream for Chunks {
    type Item = std::io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_recv(cx)
    }
}

/// Response header carrying the dump's BLAKE3 hash.
pub const DUMP_HASH_HEADER: &str = "x-termbridge-dump-blake3";

/// A consistent dump of the store, streamed (admin); `termbridge backup` calls it while the
/// service holds the data directory.
#[utoipa::path(
    post,
    path = "/api/v1/admin/backup",
    tag = "system",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The store dump (`store.tbdump`); its BLAKE3 hash in `x-termbridge-dump-blake3`", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 401, description = "No or an unknown token", body = super::ErrorBody),
        (status = 403, description = "The token is not an admin's", body = super::ErrorBody),
    )
)]
pub(super) async fn backup(State(state): State<AppState>) -> Result<Response, ApiError> {
    let workspace = state.workspace.clone();
    let (file, summary) = blocking(move || {
        let mut file = tempfile::tempfile_in(workspace.store.dir()).map_err(ApiError::internal)?;
        let summary = {
            let mut writer = std::io::BufWriter::with_capacity(1 << 20, &mut file);
            workspace.store.dump(&mut writer).map_err(ApiError::internal)?
        };
        file.rewind().map_err(ApiError::internal)?;
        Ok((file, summary))
    })
    .await?;
    tracing::info!(units = summary.units, bytes = summary.bytes, "store dump taken for a backup");
    let (sender, receiver) = tokio::sync::mpsc::channel(4);
    tokio::task::spawn_blocking(move || {
        // The file has no name (it is unlinked at creation) and vanishes when closed here.
        let mut file = file;
        loop {
            let mut chunk = vec![0u8; 256 << 10];
            let read = match file.read(&mut chunk) {
                Ok(0) => break,
                Ok(read) => read,
                Err(err) => {
                    let _ = sender.blocking_send(Err(err));
                    break;
                }
            };
            chunk.truncate(read);
            if sender.blocking_send(Ok(Bytes::from(chunk))).is_err() {
                break;
            }
        }
    });
    Ok((
        [
            (CONTENT_TYPE, "application/octet-stream".to_string()),
            (CONTENT_LENGTH, summary.bytes.to_string()),
            (DUMP_HASH_HEADER.parse().map_err(ApiError::internal)?, summary.blake3),
        ],
        Body::from_stream(Chunks(receiver)),
    )
        .into_response())
}
