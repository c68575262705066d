use std::path::PathBuf;

use studio_core::ingest::preview::{self, FilePreview};
use studio_core::ingest::{self, ImportSummary, RejectedLine};
use studio_core::overview::{self, ProductRow, ProjectOverview};

use crate::error::{ApiError, ApiResult};
use crate::state::{AppState, Events};

/// Totals, event mix and import history of the open project.
pub async fn project_overview(state: &AppState) -> ApiResult<ProjectOverview> {
    state.with_project(|p| overview::overview(p).map_err(|e| ApiError::internal(e.to_string()))).await
}

/// A page of the catalog, optionally filtered.
pub async fn list_products(state: &AppState, limit: u32, offset: u32, search: Option<String>) -> ApiResult<Vec<ProductRow>> {
    state.with_project(move |p| overview::products(p, limit, offset, search.as_deref()).map_err(|e| ApiError::internal(e.to_string()))).await
}

/// Import one behaviour export or catalog; progress on `on_progress`, cancellable as `job_id`.
/// User ids are pseudonymised unless `pseudonymise` is false; `currency` is the file's (the
/// first import sets the project's; rows in another currency are rejected); `delimiter` (comma,
/// semicolon, tab, pipe or spaces) overrides the sniffed one.
#[allow(clippy::too_many_arguments)]
pub async fn import_file(
    state: &AppState,
    path: String,
    job_id: String,
    format: Option<String>,
    mapping: Option<String>,
    pseudonymise: Option<bool>,
    currency: Option<String>,
    delimiter: Option<String>,
    events: Events,
) -> ApiResult<ImportSummary> {
    let opts = ingest::ImportOptions { format, mapping, pseudonymise: pseudonymise.unwrap_or(true), currency, delimiter, ..Default::default() };
    state.run_job(job_id, events, move |p, progress| Ok(ingest::import_file_with(p, &PathBuf::from(path), &opts, progress)?)).await
}

/// Detected format, encoding, columns and first rows of a file, before importing it.
pub async fn preview_import(state: &AppState, path: String) -> ApiResult<FilePreview> {
    state.with_project(move |p| Ok(preview::preview(p, &PathBuf::from(path), 10)?)).await
}

/// A page of an import's rejected lines.
pub async fn rejected_lines(state: &AppState, import_id: i64, offset: u32, limit: u32) -> ApiResult<Vec<RejectedLine>> {
    state.with_project(move |p| ingest::rejected_page(p, import_id, offset, limit).map_err(|e| ApiError::internal(e.to_string()))).await
}
