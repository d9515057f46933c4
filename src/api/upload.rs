//! Uploaded files: multipart parts and raw bodies streamed to a private temporary folder,
//! under a cleaned version of the name the client gave (formats are told by file name, as
//! on the command line), and messages that speak of the client's name, never of the
//! server's temporary path.

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::extract::multipart::{Field, MultipartError, MultipartRejection};
use axum::http::StatusCode;
use futures_util::StreamExt;
use tokio::io::AsyncWriteExt;

use super::ApiError;

/// Longest file name kept, in characters.
const MAX_NAME_CHARS: usize = 120;

/// A file received and written to disk.
#[derive(Debug)]
pub(super) struct Upload {
    /// The cleaned name the client gave (shown in reports and messages).
    pub name: String,
    /// Where it was written.
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
}

impl Upload {
    /// `message` with the temporary path replaced by the client's file name.
    pub fn speak_of_name(&self, message: &str) -> String {
        message.replace(&self.path.display().to_string(), &self.name)
    }
}

/// The last path component of `raw`, with characters other than letters, digits, `.`, `-`
/// and `_` replaced by `_`; `fallback` when nothing is left.
pub(super) fn clean_file_name(raw: Option<&str>, fallback: &str) -> String {
    let raw = raw.unwrap_or_default();
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last.chars().take(MAX_NAME_CHARS).map(|c| if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' }).collect();
    let cleaned = cleaned.trim_start_matches('.').to_string();
    if cleaned.is_empty() || cleaned.chars().all(|c| c == '_') { fallback.to_string() } else { cleaned }
}

/// The 400 or 413 a multipart failure deserves.
pub(super) fn multipart_error(err: MultipartError) -> ApiError {
    if err.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return too_large();
    }
    ApiError::bad_request(format!("malformed multipart body: {}", err.body_text()))
}

/// The 400 for a request that is not multipart at all (or has no boundary).
pub(super) fn multipart_rejection(rejection: MultipartRejection) -> ApiError {
    ApiError::bad_request(format!("expected a multipart/form-data body: {}", rejection.body_text()))
}

/// 413 in the JSON error format.
pub(super) fn too_large() -> ApiError {
    ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", "the request body is larger than the limit")
}

fn write_error(err: std::io::Error) -> ApiError {
    ApiError::internal(format!("cannot write an upload: {err}"))
}

/// Creates `dir/sub/name` for writing.
async fn create(dir: &Path, sub: &str, name: &str) -> Result<(PathBuf, tokio::fs::File), ApiError> {
    let folder = dir.join(sub);
    tokio::fs::create_dir_all(&folder).await.map_err(write_error)?;
    let path = folder.join(name);
    let file = tokio::fs::File::create(&path).await.map_err(write_error)?;
    Ok((path, file))
}

/// Streams a multipart file part to `dir/sub/<name>`.
pub(super) async fn save_field(mut field: Field<'_>, dir: &Path, sub: &str, fallback: &str) -> Result<Upload, ApiError> {
    let name = clean_file_name(field.file_name(), fallback);
    let (path, mut file) = create(dir, sub, &name).await?;
    let mut bytes = 0u64;
    while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
        bytes += chunk.len() as u64;
        file.write_all(&chunk).await.map_err(write_error)?;
    }
    file.flush().await.map_err(write_error)?;
    Ok(Upload { name, path, bytes })
}

/// Streams a raw request body to `dir/sub/<name>`.
pub(super) async fn save_body(body: Body, dir: &Path, sub: &str, name: &str) -> Result<Upload, ApiError> {
    let (path, mut file) = create(dir, sub, name).await?;
    let mut stream = body.into_data_stream();
    let mut bytes = 0u64;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|err| {
            let too_big = std::error::Error::source(&err).is_some_and(|source| source.is::<http_body_util::LengthLimitError>())
                || err.to_string().contains("length limit exceeded");
            if too_big { too_large() } else { ApiError::bad_request(format!("the request body could not be read: {err}")) }
        })?;
        bytes += chunk.len() as u64;
        file.write_all(&chunk).await.map_err(write_error)?;
    }
    file.flush().await.map_err(write_error)?;
    Ok(Upload { name: name.to_string(), path, bytes })
}

#[cfg(test)]
mod tests {
    use super::clean_file_name;

    #[test]
    fn file_names_are_cleaned() {
        for (raw, expected) in [
            (Some("vendim.sq.txt"), "vendim.sq.txt"),
            (Some("../../etc/passwd"), "passwd"),
            (Some("C:\\docs\\odluka.sr.html"), "odluka.sr.html"),
            (Some("одлука крај.md"), "одлука_крај.md"),
            (Some(".hidden"), "hidden"),
            (Some(""), "upload"),
            (Some(".."), "upload"),
            (Some("$$$"), "upload"),
            (None, "upload"),
        ] {
            assert_eq!(clean_file_name(raw, "upload"), expected, "{raw:?}");
        }
    }
}
