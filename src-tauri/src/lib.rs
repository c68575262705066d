//! Creative Studio desktop shell (Tauri 2). Only wiring: state, commands, plugins. All
//! behaviour lives in `studio-core`.

pub mod commands;
pub mod dto;
pub mod error;
pub mod state;

use std::path::PathBuf;

use studio_core::store::{Access, StoreError};
use studio_core::{demo, Project};
use tauri::Manager;

use state::AppState;

/// Where the project lives: `STUDIO_PROJECT`, else the first argument, else the demo project
/// in the app's data folder.
fn project_path(app: &tauri::App) -> Result<PathBuf, Box<dyn std::error::Error>> {
    if let Some(p) = std::env::var_os("STUDIO_PROJECT") {
        return Ok(PathBuf::from(p));
    }
    if let Some(arg) = std::env::args_os().nth(1).filter(|a| !a.to_string_lossy().starts_with('-')) {
        return Ok(PathBuf::from(arg));
    }
    let dir = app.path().app_data_dir()?;
    std::fs::create_dir_all(&dir)?;
    Ok(dir.join("demo.studio"))
}

/// Start the app.
pub fn run() {
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            let path = project_path(app)?;
            // A read-only project still opens, for reading; every change then says `read_only`.
            let mut project = match Project::open(&path) {
                Err(StoreError::ReadOnly { .. }) => Project::open_for(&path, Access::Read)?,
                other => other?,
            };
            if !project.read_only() && demo::is_empty(&project)? {
                demo::generate(&mut project, demo::DEFAULT_SEED, &mut studio_core::progress::ignore)?;
                studio_core::review::profiles::demo_team(&mut project)?;
            }
            app.manage(AppState::new(project));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::data::project_overview,
            commands::data::list_products,
            commands::data::import_file,
            commands::data::preview_import,
            commands::data::rejected_lines,
            commands::jobs::cancel_job,
            commands::segments::train_segments,
            commands::segments::split_segment,
            commands::segments::list_segments,
            commands::segments::segment_insights,
            commands::segments::rename_segment,
            commands::campaign::create_campaign,
            commands::campaign::list_campaigns,
            commands::campaign::list_variants,
            commands::campaign::list_placements,
            commands::campaign::variant_image,
            commands::campaign::edit_variant,
            commands::campaign::regenerate_variant,
            commands::campaign::lint_copy,
            commands::simulate::simulation_setup,
            commands::simulate::start_simulation,
            commands::simulate::resume_simulation,
            commands::simulate::control_simulation,
            commands::simulate::list_simulation_runs,
            commands::simulate::simulation_frame,
            commands::simulate::compare_simulation_runs,
            commands::simulate::export_simulation_chart,
            commands::simulate::export_simulation_comparison,
            commands::simulate::delete_simulation_run,
            commands::profiles::list_profiles,
            commands::profiles::current_profile,
            commands::profiles::sign_in,
            commands::profiles::sign_out,
            commands::profiles::create_profile,
            commands::profiles::set_profile_role,
            commands::profiles::deactivate_profile,
            commands::profiles::permissions,
            commands::review::review_status,
            commands::review::submit_variant,
            commands::review::approve_variant,
            commands::review::request_changes,
            commands::review::add_comment,
            commands::review::list_comments,
            commands::review::variant_audit,
            commands::review::export_audit,
            commands::review::approval_check,
            commands::review::submit_all,
            commands::review::approve_all,
            commands::dashboard::campaign_dashboard,
            commands::dashboard::export_dashboard,
            commands::dashboard::export_report,
            commands::dashboard::import_performance,
            commands::dashboard::list_performance_reports,
            commands::dashboard::remove_performance_report,
            commands::export::preview_export,
            commands::export::export_campaign,
            commands::live::start_live_service,
            commands::live::stop_live_service,
            commands::live::live_service,
            commands::live::live_service_stats,
            commands::live::rotate_api_key,
            commands::live::replay_live_service,
        ])
        .run(tauri::generate_context!())
        .expect("error while running Creative Studio");
}
