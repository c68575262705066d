//! Integration tests of the `studio` CLI: each test runs the real binary in a temp dir and
//! checks its exit code, output and the project/export files it leaves behind.

mod fixture_data;
mod support;

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
mod cli_simulate;
mod cli_spark;
mod fixtures_data;
