//! Shapes that exist only at the command boundary (IPC and the bridge).

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

/// What the campaign form shows while the marketer types (`check_campaign`): every problem the
/// core would refuse the spec for, each with its field, and the business name's width in the
/// core's units (a Chinese character counts 2).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct CampaignCheck {
    pub problems: Vec<FieldProblem>,
    pub business_width: u32,
}

/// One field's problem: the field as the core names it (`landing_url`, `promotion.ends`, …)
/// and the error `create_campaign` would answer.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct FieldProblem {
    pub field: String,
    pub error: crate::error::ApiError,
}
