//! `POST /api/v1/audit`: the language-rights audit of uploaded versions, answered with
//! exactly the report `termbridge audit` writes (`?format=json|html|csv|sarif`).
//!
//! The body is `multipart/form-data` with one file part per language (`sq`, `sr`, `en`,
//! `tr`, `bs`; the format is told by the file name, as on the command line) and the optional
//! text parts `municipality` and `ui_lang` (the HTML report's language). The audit runs under
//! the default policy through the audit use case (`usecase::audit`) the command line runs.
//! `?record=true` records it in the data directory's audit history (a write: it needs an
//! editor token); `?compare_last=true` compares it with the last recorded audit of the same
//! document (`?id=`, else a hash of the file names and municipality) and gives the comparison
//! in the JSON report, as `termbridge audit --compare-last` does. `?tm=true` also compares the
//! translations with the service's translation memory, as `termbridge audit --tm` does.

use axum::Extension;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::error::ErrorBody;
use super::upload::{Upload, multipart_error, multipart_rejection, save_field};
use super::{ApiError, AppState, Caller, blocking};
use crate::audit::report::{Format, UiLang};
use crate::audit::{AuditConfig, input};
use crate::model::lang::LangTag;
use crate::problem::Classify;
use crate::store::Role;
use crate::usecase::audit::{self as audit_usecase, History};

/// The file parts an audit takes, with the language each stands for.
const VERSION_FIELDS: [(&str, LangTag); 5] = [("sq", LangTag::SQ), ("sr", LangTag::SR), ("en", LangTag::EN), ("tr", LangTag::TR), ("bs", LangTag::BS)];

/// The query of `POST /api/v1/audit`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct AuditQuery {
    /// The report format: `json` (default), `html`, `csv` or `sarif`.
    #[param(example = "html")]
    format: Option<String>,
    /// With the JSON format: also give the HTML report, as the string field `html` of the
    /// JSON report, so that a page can show both from one audit.
    with_html: Option<bool>,
    /// Record this audit in the audit history (needs a bearer token of role editor).
    record: Option<bool>,
    /// With the JSON format: compare with the last recorded audit of the same document and
    /// give `comparison` in the report (`previous_date`, `previous_score`, `score`, the
    /// `fixed` and `new` findings, the count of `unchanged`; null when none was recorded),
    /// with `history` (`id`, `recorded`).
    compare_last: Option<bool>,
    /// The document's identity in the audit history (default: a hash of the file names and the
    /// municipality).
    #[param(example = "vendim-12")]
    id: Option<String>,
    /// The original's language (`sq`, `sr`, `en`, `tr`, `bs`): with two versions, differences
    /// are placed on the translation (default: Albanian).
    #[param(example = "sq")]
    source: Option<String>,
    /// Also compare each translation with the service's translation memory
    /// (`inconsistent-translation`: the exact matches of the original's segments whose
    /// translations all differ are reported, naming the TM unit).
    tm: Option<bool>,
}

/// The multipart form of `POST /api/v1/audit`: at least one version. Described for the
/// OpenAPI document only; the handler reads the parts as they stream in.
#[derive(ToSchema)]
#[allow(dead_code)]
pub(super) struct AuditForm {
    /// The Albanian version: a file whose name tells its format (`.txt`, `.md`, `.html`,
    /// `.docx`, `.po`, `.xlf`, `.tmx`).
    #[schema(value_type = Option<String>, format = Binary)]
    sq: Option<Vec<u8>>,
    /// The Serbian version, Cyrillic or Latin.
    #[schema(value_type = Option<String>, format = Binary)]
    sr: Option<Vec<u8>>,
    /// The English version.
    #[schema(value_type = Option<String>, format = Binary)]
    en: Option<Vec<u8>>,
    /// The Turkish version.
    #[schema(value_type = Option<String>, format = Binary)]
    tr: Option<Vec<u8>>,
    /// The Bosnian version.
    #[schema(value_type = Option<String>, format = Binary)]
    bs: Option<Vec<u8>>,
    /// The issuing municipality (any official name); else read from a header such as
    /// `Komuna: X`.
    #[schema(example = "Prizren")]
    municipality: Option<String>,
    /// The language of the HTML report: `sq`, `sr-Cyrl`, `sr-Latn` or `en` (default).
    #[schema(example = "sr-Cyrl")]
    ui_lang: Option<String>,
}

fn parse_format(raw: Option<&str>) -> Result<Format, ApiError> {
    match raw.map(|raw| raw.trim().to_ascii_lowercase()).as_deref() {
        None | Some("json") => Ok(Format::Json),
        Some("html") => Ok(Format::Html),
        Some("csv") => Ok(Format::Csv),
        Some("sarif") => Ok(Format::Sarif),
        Some(other) => Err(ApiError::bad_request(format!("format: unknown report format {other:?} (expected json, html, csv or sarif)"))),
    }
}

fn content_type(format: Format) -> &'static str {
    match format {
        Format::Json => "application/json",
        Format::Html => "text/html; charset=utf-8",
        Format::Csv => "text/csv; charset=utf-8",
        Format::Sarif => "application/sarif+json",
    }
}

/// What the multipart body asked for.
struct AuditRequest {
    versions: Vec<(LangTag, Upload)>,
    municipality: Option<String>,
    ui_lang: UiLang,
}

async fn read_request(mut multipart: Multipart, dir: &std::path::Path) -> Result<AuditRequest, ApiError> {
    let mut request = AuditRequest { versions: Vec::new(), municipality: None, ui_lang: UiLang::default() };
    let mut seen: Vec<String> = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or_default().to_string();
        if seen.contains(&name) {
            return Err(ApiError::bad_request(format!("field {name:?} is given twice")));
        }
        seen.push(name.clone());
        if let Some((_, tag)) = VERSION_FIELDS.iter().find(|(field_name, _)| *field_name == name) {
            // A form submitted without a chosen file sends an empty, nameless part: no version.
            let unnamed = field.file_name().is_none_or(str::is_empty);
            let upload = save_field(field, dir, &name, &format!("{name}.txt")).await?;
            if unnamed && upload.bytes == 0 {
                continue;
            }
            request.versions.push((*tag, upload));
            continue;
        }
        match name.as_str() {
            "municipality" => {
                let text = field.text().await.map_err(multipart_error)?;
                let text = text.trim();
                request.municipality = (!text.is_empty()).then(|| text.to_string());
            }
            "ui_lang" => {
                let text = field.text().await.map_err(multipart_error)?;
                if !text.trim().is_empty() {
                    request.ui_lang = UiLang::parse(&text)
                        .ok_or_else(|| ApiError::bad_request(format!("ui_lang: unknown interface language {text:?} (expected sq, sr-Cyrl, sr-Latn or en)")))?;
                }
            }
            _ => {
                return Err(ApiError::bad_request(format!(
                    "unknown field {name:?}; the audit takes the file fields sq, sr, en, tr, bs and the text fields municipality, ui_lang"
                )));
            }
        }
    }
    if request.versions.is_empty() {
        return Err(ApiError::bad_request("no version to audit: send at least one file in the fields sq, sr, en, tr or bs"));
    }
    Ok(request)
}

/// Audits uploaded language versions of one document and answers the report `termbridge
/// audit` writes for them, in the format asked for.
#[utoipa::path(
    post,
    path = "/api/v1/audit",
    tag = "audit",
    params(AuditQuery),
    request_body(content = AuditForm, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "The report (DESIGN.md \"Audit report\" for JSON; a standalone page for HTML)", content(
            (Object = "application/json"),
            (String = "text/html"),
            (String = "text/csv"),
            (Object = "application/sarif+json"),
        )),
        (status = 400, description = "Not multipart, no version, an unknown or repeated field, an unknown format or interface language, an unreadable file, or compare_last with a format other than JSON", body = ErrorBody),
        (status = 401, description = "Reads are closed, or record is asked, and no or an unknown token was given", body = ErrorBody),
        (status = 403, description = "record is asked with a token of a role below editor", body = ErrorBody),
        (status = 413, description = "The body is larger than the service's limit", body = ErrorBody),
    )
)]
pub(super) async fn run_audit(
    State(state): State<AppState>,
    caller: Option<Extension<Caller>>,
    query: Result<Query<AuditQuery>, QueryRejection>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|rejection| ApiError::bad_request(rejection.body_text()))?;
    let format = parse_format(query.format.as_deref())?;
    let with_html = query.with_html.unwrap_or(false);
    if with_html && format != Format::Json {
        return Err(ApiError::bad_request("with_html: only the JSON report can carry the HTML report"));
    }
    let history =
        History { id: query.id.filter(|id| !id.trim().is_empty()), record: query.record.unwrap_or(false), compare_last: query.compare_last.unwrap_or(false) };
    if history.compare_last && format != Format::Json {
        return Err(ApiError::bad_request("compare_last: only the JSON report can carry the comparison"));
    }
    if history.record {
        match caller.and_then(|Extension(caller)| caller.role) {
            None => return Err(ApiError::unauthorized("record: recording an audit needs a bearer token of role editor or higher")),
            Some(role) if role < Role::Editor => return Err(ApiError::forbidden("record: recording an audit needs role editor or higher")),
            Some(_) => {}
        }
    }
    let source = match query.source.as_deref() {
        None => None,
        Some(raw) => Some(LangTag::parse(raw).map_err(|err| ApiError::bad_request(format!("source: {err}")))?.lang),
    };
    let config = AuditConfig { source, translation_memory: query.tm.unwrap_or(false), ..AuditConfig::default() };
    let multipart = multipart.map_err(multipart_rejection)?;
    let dir = tempfile::Builder::new().prefix("termbridge-audit-").tempdir().map_err(ApiError::internal)?;
    let request = read_request(multipart, dir.path()).await?;
    let body = blocking(move || {
        let given: Vec<(LangTag, std::path::PathBuf)> = request.versions.iter().map(|(tag, upload)| (*tag, upload.path.clone())).collect();
        let rename = |message: String| request.versions.iter().fold(message, |message, (_, upload)| upload.speak_of_name(&message));
        let mut versions = input::read_versions(&given).map_err(|err| ApiError::classified(err.class(), err.hint(), rename(err.to_string())))?;
        // Reports name the files as the client named them.
        for version in &mut versions {
            if let Some((_, upload)) = request.versions.iter().find(|(_, upload)| upload.path == version.document.path) {
                version.document.path = std::path::PathBuf::from(&upload.name);
            }
        }
        let report = audit_usecase::run(&versions, request.municipality.as_deref(), &config, Some(state.workspace.as_ref()))
            .map_err(|err| ApiError::classified(err.class(), err.hint(), rename(err.to_string())))?;
        drop(dir);
        let outcome = if history.is_used() {
            Some(
                audit_usecase::apply_history(&state.workspace.store, &report, &history)
                    .map_err(|err| if err.is_user_error() { ApiError::bad_request(err.to_string()) } else { ApiError::internal(err) })?,
            )
        } else {
            None
        };
        if !with_html && outcome.is_none() {
            return Ok(crate::audit::report::render(&report, format, request.ui_lang));
        }
        if format != Format::Json {
            return Ok(crate::audit::report::render(&report, format, request.ui_lang));
        }
        let mut json = serde_json::to_value(&report).map_err(ApiError::internal)?;
        if with_html {
            json["html"] = serde_json::Value::String(crate::audit::report::render(&report, Format::Html, request.ui_lang));
        }
        if let Some(outcome) = outcome {
            json["history"] = serde_json::json!({"id": outcome.id, "recorded": outcome.recorded});
            if history.compare_last {
                json["comparison"] = serde_json::to_value(&outcome.comparison).map_err(ApiError::internal)?;
            }
        }
        Ok(json.to_string())
    })
    .await?;
    Ok(([(CONTENT_TYPE, content_type(format))], body).into_response())
}
