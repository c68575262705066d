//! The TypeScript bindings of every type the window sees, generated with ts-rs into
//! `ui/src/lib/bindings.ts`, and the core's constants the window needs; a test fails on drift.

/// The full text of `ui/src/lib/bindings.ts`.
pub fn typescript_bindings() -> String {
    use crate::dto::{CampaignCheck, FieldProblem, SimulationSetup, VariantRow};
    use studio_core::{campaign, export, ingest, overview, segments, simulate};
    use ts_rs::TS;
    let decls = [
        crate::error::ApiError::decl(),
        CampaignCheck::decl(),
        FieldProblem::decl(),
        studio_core::ErrorCode::decl(),
        studio_core::Progress::decl(),
        ingest::RowError::decl(),
        ingest::NoteCount::decl(),
        ingest::RejectedLine::decl(),
        ingest::preview::FilePreview::decl(),
        ingest::formats::guess::SuggestedMapping::decl(),
        ingest::ImportSummary::decl(),
        overview::ImportRecord::decl(),
        overview::ProductRow::decl(),
        overview::ProjectOverview::decl(),
        overview::EventCount::decl(),
        segments::SegmentRow::decl(),
        studio_core::interest::PredictionReport::decl(),
        segments::TrainReport::decl(),
        segments::Stability::decl(),
        segments::DominantSegment::decl(),
        segments::charts::SegmentInsights::decl(),
        studio_core::compliance::Severity::decl(),
        studio_core::compliance::Field::decl(),
        studio_core::compliance::Finding::decl(),
        campaign::CampaignRow::decl(),
        campaign::CampaignParams::decl(),
        campaign::ProductFilter::decl(),
        campaign::RenderInfo::decl(),
        campaign::edit::CopyFields::decl(),
        campaign::edit::VariantEdit::decl(),
        campaign::edit::CopyLint::decl(),
        studio_core::placements::Placement::decl(),
        studio_core::placements::Platform::decl(),
        studio_core::placements::Family::decl(),
        studio_core::placements::Role::decl(),
        studio_core::placements::TextLimits::decl(),
        studio_core::placements::TextLength::decl(),
        studio_core::copy::Lang::decl(),
        studio_core::copy::Tone::decl(),
        studio_core::copy::Promotion::decl(),
        studio_core::copy::PromoKind::decl(),
        studio_core::copy::Goal::decl(),
        studio_core::banner::BrandKit::decl(),
        studio_core::banner::FontChoice::decl(),
        studio_core::banner::LayerKind::decl(),
        studio_core::banner::LayerEdit::decl(),
        studio_core::banner::LayerColor::decl(),
        studio_core::banner::ImageFormat::decl(),
        studio_core::banner::ContrastCheck::decl(),
        VariantRow::decl(),
        studio_core::review::ReviewState::decl(),
        studio_core::review::Role::decl(),
        studio_core::review::profiles::Profile::decl(),
        studio_core::review::profiles::ProfileParams::decl(),
        studio_core::review::workflow::ApprovalParams::decl(),
        studio_core::review::Approval::decl(),
        studio_core::review::workflow::ReviewStatus::decl(),
        studio_core::review::comments::Comment::decl(),
        studio_core::review::audit::AuditEntry::decl(),
        studio_core::Keyed::decl(),
        studio_core::copy::Reason::decl(),
        studio_core::review::Action::decl(),
        studio_core::review::permissions::Refusal::decl(),
        studio_core::review::permissions::Permission::decl(),
        studio_core::review::permissions::ApprovalCheck::decl(),
        studio_core::review::bulk::BulkOutcome::decl(),
        studio_core::review::bulk::BulkReport::decl(),
        simulate::Scenario::decl(),
        simulate::SegmentSpec::decl(),
        simulate::ArmSpec::decl(),
        simulate::RunParams::decl(),
        simulate::PolicySpec::decl(),
        simulate::ResponseModel::decl(),
        simulate::model::BaseOverride::decl(),
        simulate::model::PlacementEffect::decl(),
        simulate::model::Element::decl(),
        simulate::model::ElementEffect::decl(),
        simulate::model::Drift::decl(),
        SimulationSetup::decl(),
        simulate::LiveCommand::decl(),
        simulate::RunStatus::decl(),
        simulate::RunRecord::decl(),
        simulate::Totals::decl(),
        simulate::ChartKind::decl(),
        simulate::Scope::decl(),
        simulate::live::ChartFrame::decl(),
        simulate::LiveFrame::decl(),
        simulate::stats::ArmDecision::decl(),
        simulate::stats::PeekReason::decl(),
        simulate::stats::PeekingWarning::decl(),
        simulate::stats::Decision::decl(),
        simulate::stats::SegmentReport::decl(),
        simulate::stats::Lift::decl(),
        simulate::stats::ArmRef::decl(),
        simulate::Report::decl(),
        simulate::budget::Budget::decl(),
        simulate::budget::BudgetRow::decl(),
        simulate::compare::RunSummary::decl(),
        simulate::compare::Comparison::decl(),
        simulate::compare::ChartFormat::decl(),
        studio_core::dashboard::ChartKind::decl(),
        studio_core::dashboard::ExportFormat::decl(),
        studio_core::dashboard::data::RunRef::decl(),
        studio_core::dashboard::data::SimulatedCell::decl(),
        studio_core::dashboard::data::RealCell::decl(),
        studio_core::dashboard::data::CellRow::decl(),
        studio_core::dashboard::data::SimulatedLift::decl(),
        studio_core::dashboard::data::ApprovalProgress::decl(),
        studio_core::dashboard::data::OpeRow::decl(),
        studio_core::dashboard::data::ReportRef::decl(),
        studio_core::dashboard::data::SegmentGroup::decl(),
        studio_core::report::Source::decl(),
        studio_core::report::Rate::decl(),
        studio_core::report::SegmentCtr::decl(),
        studio_core::report::ReportSummary::decl(),
        studio_core::dashboard::Dashboard::decl(),
        studio_core::dashboard::performance::PerformanceImport::decl(),
        studio_core::dashboard::performance::RemovedReport::decl(),
        crate::commands::dashboard::DashboardChartSvg::decl(),
        crate::commands::dashboard::DashboardView::decl(),
        export::ExportParams::decl(),
        export::ExportedFile::decl(),
        export::Skipped::decl(),
        export::Severity::decl(),
        export::Rule::decl(),
        export::Problem::decl(),
        export::ExportSummary::decl(),
        export::ExportPreview::decl(),
        export::FormatCheck::decl(),
        studio_core::decision::Refusals::decl(),
        studio_core::decision::LiveCell::decl(),
        studio_core::decision::LiveTraffic::decl(),
        studio_core::decision::LiveStats::decl(),
        studio_core::decision::replay::ReplaySummary::decl(),
        crate::commands::live::LiveServiceInfo::decl(),
    ];
    let mut out = String::from("// Generated from the Rust types by ts-rs (src-tauri/api/src/bindings.rs). Do not edit:\n// run `make bindings` after changing a type that crosses IPC.\n");
    for d in decls {
        out.push_str("export ");
        out.push_str(&d);
        out.push('\n');
    }
    // Constants the window shows or counts with, as the core has them: the one version number of
    // the workspace, the ad-image placements (`list_placements`' table), the width rules.
    let image_placements: Vec<&studio_core::placements::Placement> = studio_core::placements::all().iter().filter(|p| p.role == studio_core::placements::Role::Image).collect();
    out.push_str(&format!("export const STUDIO_VERSION = {};\n", serde_json::Value::from(studio_core::VERSION)));
    out.push_str(&format!(
        "/** The ad-image placements, as `list_placements` returns them. */\nexport const IMAGE_PLACEMENTS: Placement[] = {};\n",
        serde_json::to_string(&image_placements).expect("placements serialise")
    ));
    out.push_str(&format!(
        "/** The business name's limit in width units (`studio_core::campaign::spec::MAX_BUSINESS_WIDTH`). */\nexport const MAX_BUSINESS_WIDTH = {};\n",
        studio_core::campaign::spec::MAX_BUSINESS_WIDTH
    ));
    out.push_str(&format!(
        "/** The formats an import may be forced to (`studio_core::ingest::FORMAT_NAMES`). */\nexport const IMPORT_FORMATS = {} as const;\n/** The currencies a project may use (`studio_core::ingest::product_checks::CURRENCIES`). */\nexport const IMPORT_CURRENCIES = {} as const;\n",
        serde_json::to_string(&studio_core::ingest::FORMAT_NAMES).expect("names serialise"),
        serde_json::to_string(&studio_core::ingest::product_checks::CURRENCIES).expect("codes serialise")
    ));
    out.push_str(&format!("/** The variant id of a run's shared generic control arm. */\nexport const GENERIC_CONTROL_ID = {};\n", studio_core::simulate::scenario::GENERIC_CONTROL_ID));
    // The campaign form's defaults and bounds (`studio_core::campaign::spec`).
    out.push_str(&format!(
        "/** The placements a new campaign targets unless chosen otherwise. */\nexport const DEFAULT_PLACEMENTS: readonly string[] = {};\n",
        serde_json::to_string(&studio_core::campaign::spec::DEFAULT_PLACEMENTS).expect("ids serialise")
    ));
    out.push_str(&format!(
        "/** Copy sets per segment and language: the default, and the most a campaign may ask for. */\nexport const DEFAULT_VARIANTS = {};\nexport const MAX_VARIANTS = {};\n",
        studio_core::copy::VARIANTS_DEFAULT,
        studio_core::campaign::spec::MAX_VARIANTS
    ));
    // The choices the campaign screens offer, in the core's order, and a new campaign as the
    // core makes one (`CampaignParams::new`): the form starts from it.
    out.push_str(&format!(
        "export const GOALS: readonly Goal[] = {};\nexport const TONES: readonly Tone[] = {};\n/** The copy fields of a variant, in the editor's order. */\nexport const COPY_FIELDS: readonly Field[] = {};\n/** Every banner layer, in the usual drawing order. */\nexport const LAYER_KINDS: readonly LayerKind[] = {};\n",
        json(&studio_core::copy::Goal::ALL),
        json(&studio_core::copy::Tone::ALL),
        json(&studio_core::compliance::Field::ALL),
        json(&studio_core::banner::LayerKind::ALL)
    ));
    out.push_str(&format!(
        "/** The fields a column mapping names, in canonical order, and those it must name (`ingest::formats::generic`). */\nexport const MAPPING_FIELDS = {} as const;\nexport const REQUIRED_MAPPING_FIELDS = {} as const;\n",
        json(&studio_core::ingest::formats::generic::FIELDS),
        json(&studio_core::ingest::formats::generic::REQUIRED)
    ));
    // The simulation screen's choices: each policy with its defaults, the speeds, the model's
    // elements; and the team screen's roles.
    out.push_str(&format!(
        "/** Every policy with its default settings, the default first. */\nexport const POLICY_CHOICES: PolicySpec[] = {};\n/** Speeds offered, impressions/s (0 = full speed), and the default. */\nexport const SPEED_CHOICES: readonly number[] = {};\nexport const DEFAULT_SPEED = {};\nexport const SIM_ELEMENTS: readonly Element[] = {};\nexport const ROLES: readonly ProfileRole[] = {};\n",
        json(&studio_core::simulate::PolicySpec::choices()),
        json(&studio_core::simulate::live::SPEED_CHOICES),
        studio_core::simulate::live::DEFAULT_SPEED,
        json(&studio_core::simulate::model::Element::ALL),
        json(&studio_core::review::Role::ALL)
    ));
    let new_campaign = studio_core::campaign::CampaignParams::new("", studio_core::copy::Lang::En, 42);
    out.push_str(&format!(
        "/** A new campaign's settings (`CampaignParams::new`); the form fills in the name and languages. */\nexport const NEW_CAMPAIGN: CampaignParams = {};\n",
        json(&new_campaign)
    ));
    out
}

/// A constant as TypeScript reads it.
fn json<T: serde::Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v).expect("a constant serialises")
}
