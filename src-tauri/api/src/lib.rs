//! Creative Studio's commands without a window: what the desktop app's window (through one
//! Tauri command) and the dev bridge (over HTTP, for a browser and the UI tests) call. Each
//! command is a few lines over `studio-core`; [`dispatch`] is their one list.

pub mod bindings;
pub mod bridge;
pub mod commands;
pub mod dispatch;
pub mod dto;
pub mod error;
pub mod open;
pub mod state;

pub use dispatch::{call, COMMANDS};
pub use error::{ApiError, ApiResult};
pub use open::open_project;
pub use state::{AppState, Events};
