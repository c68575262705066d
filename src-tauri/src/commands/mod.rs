//! Tauri commands: each parses its arguments, calls one core function, maps the error.

pub mod campaign;
pub mod dashboard;
pub mod data;
pub mod export;
pub mod jobs;
pub mod live;
pub mod profiles;
pub mod review;
pub mod segments;
pub mod simulate;
