//! Creative Studio desktop shell (Tauri 2). Only wiring: the window's project, one command that
//! hands every call to `studio-api` (the same list the dev bridge serves), plugins.

use std::path::PathBuf;

use serde_json::Value;
use studio_api::{ApiResult, AppState, Events};
use tauri::ipc::Channel;
use tauri::{Manager, State};

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

/// Run window command `command` (see `studio_api::dispatch`) with `args`; a job's progress or a
/// live run's frames go to `on_event`.
#[tauri::command]
async fn call(state: State<'_, AppState>, command: String, args: Option<Value>, on_event: Channel<Value>) -> ApiResult<Value> {
    let events = Events::new(move |event| on_event.send(event).is_ok());
    studio_api::call(&state, &command, args.unwrap_or(Value::Null), events).await
}

/// Start the app.
pub fn run() {
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            let project = studio_api::open_project(&project_path(app)?)?;
            app.manage(AppState::new(project));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![call])
        .run(tauri::generate_context!())
        .expect("error while running Creative Studio");
}
