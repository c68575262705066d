//! # studio-core
//!
//! Everything Creative Studio does, without a window: one module per stage of the loop
//! behaviour → cleaning → interest segments → copy + banner → simulated serving → review → export.
//! The Tauri shell (`studio-app`) and the headless CLI (`studio`) are thin adapters over these
//! functions; neither adds behaviour of its own.
//!
//! Data flows one way: [`ingest`] and [`demo`] write events and products into a [`store::Project`];
//! [`features`] reads them into a matrix; [`segments`] clusters it; [`copy`] and [`banner`] make
//! variants per segment; [`simulate`] serves them to a simulated audience; [`review`] approves;
//! [`export`] writes approved creatives to a folder. No module depends on a later one's
//! types: shared facts live in generic leaves ([`text`]: language and display width;
//! [`store`]: the project and the event identity) or with their owner (a variant's
//! [`campaign::ReviewState`]); a test reads the sources and refuses any cycle between
//! top-level modules (`module_graph_tests`).

/// The studio's version: the workspace's one version number (`[workspace.package]` in the root
/// `Cargo.toml`), the same in the app's About box, `studio --version`, the Debian package and
/// every export's manifest.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

pub mod banner;
pub mod campaign;
pub mod catalog;
pub mod chart;
pub mod compliance;
pub mod copy;
pub mod csv_cell;
pub mod dashboard;
pub mod decision;
pub mod demo;
pub mod error;
pub mod export;
pub mod features;
pub mod fonts;
pub mod ingest;
pub mod input;
pub mod interest;
pub mod messages;
pub mod names;
pub mod ope;
pub mod overview;
pub mod placements;
pub mod progress;
pub mod report;
pub mod review;
pub mod segments;
pub mod simulate;
pub mod spark;
pub mod store;
pub mod text;

pub use error::{ErrorCode, HasCode, Keyed};
pub use progress::{Flow, Progress};
pub use store::Project;

#[cfg(test)]
mod copy_lint_tests;
#[cfg(test)]
mod module_graph_tests;
#[cfg(test)]
mod pipeline_tests;
#[cfg(test)]
mod testkit;
