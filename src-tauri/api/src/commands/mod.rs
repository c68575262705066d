//! The window's commands, grouped by screen: each takes the window's state and its arguments,
//! calls one core function and maps the error. [`crate::dispatch`] lists them.

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
