//! `studio bridge`: the window's commands over HTTP on loopback (see `studio_api::bridge`), for
//! the UI in a plain browser (`cd ui && npm run dev`) and for the UI tests.

use std::path::PathBuf;

use clap::Args;
use studio_core::ErrorCode;

use crate::output::Failure;

/// `studio bridge …`
#[derive(Args)]
pub struct BridgeArgs {
    /// The project (created with the demo data and team when it is new, as the app does).
    #[arg(long)]
    project: PathBuf,
    /// Port on 127.0.0.1 (0: any free port; the chosen one is printed).
    #[arg(long, default_value_t = 8765)]
    port: u16,
}

/// Run `studio bridge` until Ctrl-C / SIGTERM.
pub fn run(a: BridgeArgs) -> Result<(), Failure> {
    let project = studio_api::open_project(&a.project).map_err(|e| Failure::new(e.code, e.message))?;
    let state = studio_api::AppState::new(project);
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| Failure::new(ErrorCode::Io, format!("cannot start the bridge's runtime: {e}")))?;
    rt.block_on(async move {
        let listener = studio_api::bridge::bind(a.port).await.map_err(|e| Failure::new(ErrorCode::Io, format!("cannot listen on 127.0.0.1:{}: {e}", a.port)))?;
        let addr = listener.local_addr().map_err(|e| Failure::new(ErrorCode::Io, e.to_string()))?;
        let shutdown = crate::serve_cmd::shutdown_signal();
        // Scripts (the UI tests) wait for this line; the bridge accepts connections once it is printed.
        outln!("bridge on http://{addr} (project {}; development only: whoever reaches it acts in the project)", a.project.display())?;
        crate::output::flush()?;
        studio_api::bridge::serve(state, listener, shutdown).await.map_err(|e| Failure::new(ErrorCode::Io, format!("bridge stopped: {e}")))
    })
}
