//! Shapes that exist only at the IPC boundary, and the TypeScript bindings of every type the
//! window sees (generated with ts-rs into `ui/src/lib/bindings.ts`; a test fails on drift).

use base64::Engine;
use serde::Serialize;
use studio_core::campaign::Variant;

/// A variant as the window shows it: its whole copy set, why it was made, its compliance
/// findings, its layer edits and locks, every placement's render (metadata), and its primary
/// render inlined as a data URL (other placements load through `variant_image`).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct VariantRow {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub campaign_id: i64,
    #[ts(type = "number")]
    pub segment_id: i64,
    pub segment_label: u32,
    pub segment_name_en: String,
    pub segment_name_zh: String,
    pub product_id: String,
    pub product_name: String,
    pub lang: String,
    pub set_index: u32,
    pub headline: String,
    pub long_headline: String,
    pub description: String,
    pub primary_text: String,
    pub cta: String,
    pub angle: String,
    pub keywords: Vec<String>,
    pub reasons: Vec<studio_core::copy::Reason>,
    /// Compliance findings of the copy (an error blocks approval).
    pub findings: Vec<studio_core::compliance::Finding>,
    /// Where the variant is in review (draft → in review → approved | changes requested).
    pub status: studio_core::review::ReviewState,
    /// The user's layer edits (text, colour, position, hidden, locked).
    pub layers: Vec<studio_core::banner::LayerEdit>,
    /// The colour each drawn layer shows at the primary placement (the swatches of the layer
    /// panel; a layer left out is missing).
    pub layer_colors: Vec<studio_core::banner::LayerColor>,
    pub renders: Vec<studio_core::campaign::RenderInfo>,
    /// Primary placement id and its render.
    pub placement: String,
    pub banner_data_url: String,
    pub width: u32,
    pub height: u32,
}

/// What the Simulation screen needs before a run: the audience and arms the campaign would
/// serve, the default parameters (model included, all editable) and the speed limit.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct SimulationSetup {
    pub scenario: studio_core::simulate::Scenario,
    pub params: studio_core::simulate::RunParams,
    #[ts(type = "number")]
    pub max_speed: u64,
}

/// A `data:` URL of encoded image bytes.
pub fn data_url(bytes: &[u8], format: studio_core::banner::ImageFormat) -> String {
    format!("data:{};base64,{}", format.mime(), base64::engine::general_purpose::STANDARD.encode(bytes))
}

impl VariantRow {
    /// The row of `v`, its compliance findings judged by its evidence in `project` (promotion,
    /// data). Errors: store.
    pub fn of(project: &studio_core::Project, v: Variant) -> Result<VariantRow, studio_core::review::ReviewError> {
        let findings = studio_core::review::findings(project, &v)?;
        let primary = studio_core::banner::Design { width: v.width, height: v.height, family: studio_core::banner::family_for(v.width, v.height), ..v.design.clone() };
        let layer_colors = studio_core::banner::layer_colors(&primary);
        Ok(VariantRow {
            id: v.id,
            campaign_id: v.campaign_id,
            segment_id: v.segment_id,
            segment_label: v.segment_label,
            segment_name_en: v.segment_name_en,
            segment_name_zh: v.segment_name_zh,
            product_id: v.product_id,
            product_name: v.product_name,
            lang: v.lang,
            set_index: v.set_index,
            headline: v.headline,
            long_headline: v.long_headline,
            description: v.description,
            primary_text: v.primary_text,
            cta: v.cta,
            angle: v.angle,
            keywords: v.keywords,
            reasons: v.reasons,
            findings,
            status: v.review_state,
            layers: v.design.edits,
            layer_colors,
            renders: v.renders,
            placement: v.placement,
            banner_data_url: data_url(&v.image, v.image_format),
            width: v.width,
            height: v.height,
        })
    }
}

/// The full text of `ui/src/lib/bindings.ts`.
pub fn typescript_bindings() -> String {
    use studio_core::{campaign, export, ingest, overview, segments, simulate};
    use ts_rs::TS;
    let decls = [
        crate::error::ApiError::decl(),
        studio_core::ErrorCode::decl(),
        studio_core::Progress::decl(),
        ingest::RowError::decl(),
        ingest::NoteCount::decl(),
        ingest::RejectedLine::decl(),
        ingest::preview::FilePreview::decl(),
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
        studio_core::placements::LengthProblem::decl(),
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
    let mut out = String::from("// Generated from the Rust types by ts-rs (src-tauri/src/dto.rs). Do not edit:\n// run `make bindings` after changing a type that crosses IPC.\n");
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
        "/** Code point ranges whose characters count 2 width units (`studio_core::text::WIDE_RANGES`). */\nexport const WIDE_CHAR_RANGES: ReadonlyArray<readonly [number, number]> = {};\n",
        serde_json::to_string(&studio_core::text::WIDE_RANGES).expect("ranges serialise")
    ));
    out.push_str(&format!(
        "/** The business name's limit in width units (`studio_core::campaign::spec::MAX_BUSINESS_WIDTH`). */\nexport const MAX_BUSINESS_WIDTH = {};\n",
        studio_core::campaign::spec::MAX_BUSINESS_WIDTH
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
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// Fails when the committed bindings differ from the Rust types. `UPDATE_BINDINGS=1`
    /// rewrites them.
    #[test]
    fn bindings_are_current() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings.ts");
        let want = super::typescript_bindings();
        if std::env::var("UPDATE_BINDINGS").as_deref() == Ok("1") {
            std::fs::write(&path, &want).unwrap();
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(have == want, "ui/src/lib/bindings.ts is stale: run `make bindings` (UPDATE_BINDINGS=1 cargo test -p studio-app bindings)");
    }
}
