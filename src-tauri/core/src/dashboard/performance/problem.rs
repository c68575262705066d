//! The message keys of a performance report's problems. Each refusal is a
//! [`crate::error::KeyedText`]: English for the CLI and the logs, keyed for the window, so a
//! report's problems read in the user's language like every other refusal.

/// The message keys of report problems: the file's (`perf.file.*`, shown inside
/// `err.dashboard.bad_file`) and the rows' (`perf.row.*`, shown with the row's line and column).
pub const PERF_KEYS: &[&str] = &[
    "perf.file.too_big",
    "perf.file.malformed_csv",
    "perf.file.empty",
    "perf.file.header_too_long",
    "perf.file.not_utf8",
    "perf.file.missing_studio_column",
    "perf.file.missing_platform_column",
    "perf.file.missing_ad_name",
    "perf.file.repeated_column",
    "perf.file.unknown_column",
    "perf.file.too_many_rows",
    "perf.file.no_rows",
    "perf.row.line_too_long",
    "perf.row.total",
    "perf.row.field_count",
    "perf.row.not_a_key",
    "perf.row.not_an_id",
    "perf.row.not_in_campaign",
    "perf.row.clicks_exceed",
    "perf.row.conversions_exceed",
    "perf.row.end_before_start",
    "perf.row.negative",
    "perf.row.too_large",
    "perf.row.not_integer",
    "perf.row.not_whole",
    "perf.row.bad_date",
    "perf.row.bad_platform_date",
    "perf.row.empty_date",
    "perf.row.bad_cost",
    "perf.row.undated_total",
    "perf.row.counted_day",
    "perf.row.counted_period",
    "perf.row.overlaps_day",
    "perf.row.overlaps_period",
    "perf.row.undated_after_day",
];
