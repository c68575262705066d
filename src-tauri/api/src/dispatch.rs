//! The one list of commands: name, arguments, core-facing function. The Tauri shell and the dev
//! bridge both answer through [`call`], so a command exists once, with the same argument names
//! (camelCase, as the window sends them), the same errors and the same events.

use std::path::PathBuf;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use studio_core::campaign::edit::{CopyFields, VariantEdit};
use studio_core::campaign::CampaignParams;
use studio_core::copy::Lang;
use studio_core::dashboard::ExportFormat;
use studio_core::export::ExportParams;
use studio_core::review::profiles::ProfileParams;
use studio_core::review::workflow::ApprovalParams;
use studio_core::simulate::compare::ChartFormat;
use studio_core::simulate::{LiveCommand, RunParams, Scope};
use studio_core::ErrorCode;

use crate::commands::{campaign, dashboard, data, export, jobs, live, profiles, review, segments, simulate};
use crate::error::{ApiError, ApiResult};
use crate::state::{AppState, Events};

/// Parse a command's arguments (a JSON object; `null` for none).
fn parse<A: DeserializeOwned>(command: &str, args: Value) -> ApiResult<A> {
    let args = if args.is_null() { Value::Object(Default::default()) } else { args };
    serde_json::from_value(args).map_err(|e| ApiError::new(ErrorCode::InvalidInput, format!("{command}: bad arguments: {e}")))
}

fn reply<T: Serialize>(result: ApiResult<T>) -> ApiResult<Value> {
    result.and_then(|v| serde_json::to_value(v).map_err(|e| ApiError::internal(format!("answer not serialisable: {e}"))))
}

macro_rules! commands {
    (@call $f:path, $state:ident, $events:ident, ($($arg:ident),*),) => { $f($state, $($arg),*) };
    (@call $f:path, $state:ident, $events:ident, ($($arg:ident),*), events) => { $f($state, $($arg,)* $events) };
    ($( $name:ident ( $($arg:ident : $ty:ty),* ) $(with $ev:ident)? => $f:path ;)*) => {
        /// Every command's name, in the order of the table.
        pub const COMMANDS: &[&str] = &[$(stringify!($name)),*];

        /// Run command `command` with `args` (an object of camelCase names; unknown names are
        /// refused) as the window's `state`; a long job's progress or a live run's frames go
        /// to `events`.
        ///
        /// Errors: `not_found` for an unknown command, `invalid_input` for arguments that do
        /// not fit, and whatever the command itself answers.
        pub async fn call(state: &AppState, command: &str, args: Value, events: Events) -> ApiResult<Value> {
            match command {
                $( stringify!($name) => {
                    #[derive(serde::Deserialize)]
                    #[serde(rename_all = "camelCase", deny_unknown_fields)]
                    struct Args { $($arg: $ty),* }
                    let Args { $($arg),* } = parse(command, args)?;
                    let _ = &events;
                    reply(commands!(@call $f, state, events, ($($arg),*), $($ev)?).await)
                } )*
                _ => Err(ApiError::new(ErrorCode::NotFound, format!("no command {command:?}"))),
            }
        }
    };
}

commands! {
    project_overview() => data::project_overview;
    list_products(limit: u32, offset: u32, search: Option<String>) => data::list_products;
    import_file(path: String, job_id: String, format: Option<String>, mapping: Option<String>, pseudonymise: Option<bool>, currency: Option<String>, delimiter: Option<String>) with events => data::import_file;
    preview_import(path: String) => data::preview_import;
    rejected_lines(import_id: i64, offset: u32, limit: u32) => data::rejected_lines;
    cancel_job(job_id: String) => jobs::cancel_job;
    train_segments(k: Option<u32>, seed: u64, job_id: String) with events => segments::train_segments;
    split_segment(segment_id: i64, seed: u64) => segments::split_segment;
    list_segments() => segments::list_segments;
    segment_insights(lang: String) => segments::segment_insights;
    rename_segment(segment_id: i64, name_en: String, name_zh: String) => segments::rename_segment;
    create_campaign(params: CampaignParams, job_id: String) with events => campaign::create_campaign;
    check_campaign(params: CampaignParams) => campaign::check_campaign;
    list_campaigns() => campaign::list_campaigns;
    list_placements() => campaign::list_placements;
    list_variants(campaign_id: i64) => campaign::list_variants;
    variant_image(variant_id: i64, placement: String) => campaign::variant_image;
    edit_variant(variant_id: i64, edit: VariantEdit) => campaign::edit_variant;
    regenerate_variant(variant_id: i64) => campaign::regenerate_variant;
    check_layer_rect(kind: studio_core::banner::LayerKind, rect: [f32; 4]) => campaign::check_layer_rect;
    lint_copy(campaign_id: i64, variant_id: Option<i64>, fields: CopyFields) => campaign::lint_copy;
    simulation_setup(campaign_id: i64) => simulate::simulation_setup;
    start_simulation(campaign_id: i64, name: String, params: RunParams, speed: u64) with events => simulate::start_simulation;
    resume_simulation(run_id: i64, speed: u64) with events => simulate::resume_simulation;
    control_simulation(run_id: i64, command: Option<LiveCommand>, speed: Option<u64>, scope: Option<Scope>) => simulate::control_simulation;
    list_simulation_runs(campaign_id: i64) => simulate::list_simulation_runs;
    simulation_frame(run_id: i64, scope: Scope) => simulate::simulation_frame;
    compare_simulation_runs(run_ids: Vec<i64>) => simulate::compare_simulation_runs;
    export_simulation_chart(run_id: i64, kind: studio_core::simulate::ChartKind, scope: Scope, format: ChartFormat, path: PathBuf) => simulate::export_simulation_chart;
    export_simulation_comparison(run_ids: Vec<i64>, format: ChartFormat, path: PathBuf) => simulate::export_simulation_comparison;
    delete_simulation_run(run_id: i64) => simulate::delete_simulation_run;
    permissions() => profiles::permissions;
    list_profiles() => profiles::list_profiles;
    current_profile() => profiles::current_profile;
    sign_in(profile_id: i64) => profiles::sign_in;
    sign_out() => profiles::sign_out;
    create_profile(params: ProfileParams) => profiles::create_profile;
    set_profile_role(profile_id: i64, role: studio_core::review::Role) => profiles::set_profile_role;
    deactivate_profile(profile_id: i64) => profiles::deactivate_profile;
    review_status(variant_id: i64) => review::review_status;
    submit_variant(variant_id: i64) => review::submit_variant;
    approve_variant(variant_id: i64, params: ApprovalParams) => review::approve_variant;
    approval_check(variant_id: i64) => review::approval_check;
    submit_all(campaign_id: i64, segment_id: Option<i64>) => review::submit_all;
    approve_all(variant_ids: Vec<i64>) => review::approve_all;
    request_changes(variant_id: i64, comment: String) => review::request_changes;
    add_comment(variant_id: i64, text: String) => review::add_comment;
    list_comments(variant_id: i64) => review::list_comments;
    variant_audit(variant_id: i64) => review::variant_audit;
    export_audit(variant_id: Option<i64>, json: bool, path: PathBuf) => review::export_audit;
    campaign_dashboard(campaign_id: i64, lang: Lang) => dashboard::campaign_dashboard;
    export_dashboard(campaign_id: i64, kind: studio_core::dashboard::ChartKind, format: ExportFormat, lang: Lang, path: PathBuf) => dashboard::export_dashboard;
    export_report(campaign_id: i64, lang: Lang, path: PathBuf) => dashboard::export_report;
    import_performance(campaign_id: i64, path: PathBuf) => dashboard::import_performance;
    list_performance_reports(campaign_id: i64) => dashboard::list_performance_reports;
    remove_performance_report(report_id: i64) => dashboard::remove_performance_report;
    preview_export(params: ExportParams) => export::preview_export;
    export_campaign(params: ExportParams) => export::export_campaign;
    start_live_service(campaign_id: i64, port: u16) => live::start_live_service;
    stop_live_service() => live::stop_live_service;
    live_service() => live::live_service;
    live_service_stats() => live::live_service_stats;
    rotate_api_key() => live::rotate_api_key;
    replay_live_service(shoppers: u64) => live::replay_live_service;
}
