//! The one integration binary: the `studio` CLI (each test runs the real binary in a temp dir and
//! checks its exit code, output and the files it leaves behind), and the `studio-api` and
//! `studio-serve` crates through their public API.

mod fixture_data;
mod support;

mod api_commands;
mod cli_bulk;
mod cli_campaign;
mod cli_crash;
mod cli_dashboard;
mod cli_demo;
mod cli_export;
mod cli_formats;
mod cli_four_eyes;
mod cli_hardening;
mod cli_hostile;
mod cli_import;
mod cli_ope;
mod cli_report;
mod cli_results;
mod cli_review;
mod cli_segment;
mod cli_serve;
mod cli_serve_live;
mod cli_serve_security;
mod cli_simulate;
mod cli_spark;
mod fixtures_data;
mod serve_errors;
