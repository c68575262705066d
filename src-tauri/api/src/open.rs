//! Opening the window's project, the same way in the app and on the bridge.

use std::path::Path;

use studio_core::store::{Access, StoreError};
use studio_core::{demo, ErrorCode, Project};

use crate::error::{ApiError, ApiResult};

/// Open the project at `path` as the window does: a project the user may not write opens for
/// reading (every change then says `read_only`); a writable project without any data gets the
/// demo data and the demo team (a marketer, a reviewer, a manager and an admin), so a first
/// start shows something to work with.
///
/// Errors: the store's (`invalid_input` naming the path for a missing folder, `busy`, …); the
/// demo's should generation fail.
pub fn open_project(path: &Path) -> ApiResult<Project> {
    let mut project = match Project::open(path) {
        Err(StoreError::ReadOnly { .. }) => Project::open_for(path, Access::Read)?,
        other => other?,
    };
    let empty = demo::is_empty(&project).map_err(|e| ApiError::new(ErrorCode::Io, format!("{}: {e}", path.display())))?;
    if !project.read_only() && empty {
        demo::generate(&mut project, demo::DEFAULT_SEED, &mut studio_core::progress::ignore)?;
        studio_core::review::profiles::demo_team(&mut project)?;
    }
    Ok(project)
}
