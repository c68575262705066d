//! What the report says: the campaign's dashboard plus per-segment CTR, real and simulated,
//! each rate labelled with its [`Source`].
//!
//! * **Simulated CTR of a segment**: Σ clicks / Σ impressions the simulation run (the
//!   dashboard's run) served to the segment over all variants, with a 95 % Wilson interval.
//! * **Real CTR of a segment**: Σ clicks / Σ impressions of the imported performance reports of
//!   the variants written for the segment, with a 95 % Wilson interval.
//! * **All segments**: the same sums over every segment.
//!
//! The lift, approval counts and off-policy estimates are the dashboard's, unchanged.

use serde::Serialize;

use super::ReportError;
use crate::campaign::{self, CampaignRow};
use crate::copy::Promotion;
use crate::dashboard::{self, data::wilson, Dashboard};
use crate::store::{now_text, Project};
use crate::text::Lang;

/// Where a figure comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ReportSource"))]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Observed: imported performance reports, logged traffic, the review workflow.
    Real,
    /// From the simulator.
    Simulated,
}

/// A click-through rate from counts, with its 95 % Wilson interval.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Rate {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub impressions: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub clicks: u64,
    pub ctr: f64,
    pub low: f64,
    pub high: f64,
    pub source: Source,
}

impl Rate {
    /// `clicks / impressions` with its interval; `None` without impressions.
    pub fn new(clicks: u64, impressions: u64, source: Source) -> Option<Rate> {
        let (low, high) = wilson(clicks, impressions)?;
        Some(Rate { impressions, clicks, ctr: clicks as f64 / impressions as f64, low, high, source })
    }
}

/// One segment's CTR, real and simulated (see the module docs).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SegmentCtr {
    /// `None` for the all-segments total.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub segment_id: Option<i64>,
    pub name_en: String,
    pub name_zh: String,
    pub simulated: Option<Rate>,
    pub real: Option<Rate>,
}

/// Everything the report prints.
#[derive(Debug, Clone, PartialEq)]
pub struct Content {
    pub lang: Lang,
    /// UTC, RFC 3339.
    pub generated_at: String,
    pub version: &'static str,
    pub campaign: CampaignRow,
    pub promotion: Option<Promotion>,
    pub dashboard: Dashboard,
    /// Per segment, in the dashboard's order.
    pub segments: Vec<SegmentCtr>,
    /// All segments together.
    pub total: SegmentCtr,
}

impl SegmentCtr {
    /// The name in `lang`.
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.name_en,
            Lang::Zh => &self.name_zh,
        }
    }
}

/// Per-segment CTRs of `d` and their total (see the module docs).
pub fn segment_ctrs(d: &Dashboard) -> (Vec<SegmentCtr>, SegmentCtr) {
    fn sums<'r>(rows: impl Iterator<Item = &'r dashboard::CellRow>) -> (Option<Rate>, Option<Rate>) {
        let (mut sim, mut real, mut any_sim, mut any_real) = ((0u64, 0u64), (0u64, 0u64), false, false);
        for r in rows {
            if let Some(s) = &r.simulated {
                any_sim = true;
                sim = (sim.0 + s.clicks, sim.1 + s.impressions);
            }
            if let Some(x) = &r.real {
                any_real = true;
                real = (real.0 + x.clicks, real.1 + x.impressions);
            }
        }
        let simulated = if any_sim { Rate::new(sim.0, sim.1, Source::Simulated) } else { None };
        let real = if any_real { Rate::new(real.0, real.1, Source::Real) } else { None };
        (simulated, real)
    }
    let segments = d
        .segments
        .iter()
        .map(|g| {
            let (simulated, real) = sums(g.rows.iter().map(|&i| &d.rows[i as usize]));
            SegmentCtr { segment_id: Some(g.segment_id), name_en: g.segment_en.clone(), name_zh: g.segment_zh.clone(), simulated, real }
        })
        .collect();
    let (simulated, real) = sums(d.rows.iter());
    let total = SegmentCtr { segment_id: None, name_en: super::strings::TOTAL.en.into(), name_zh: super::strings::TOTAL.zh.into(), simulated, real };
    (segments, total)
}

/// The content of campaign `campaign_id`'s report in `lang`, generated now.
/// Errors: `Dashboard` (as [`dashboard::build`]).
pub fn build(project: &Project, campaign_id: i64, lang: Lang) -> Result<Content, ReportError> {
    let dashboard = dashboard::build(project, campaign_id)?;
    let campaign = campaign::get(project, campaign_id).map_err(|e| ReportError::Dashboard(e.into()))?;
    let promotion: Option<String> = project.conn().query_row("SELECT promotion FROM campaigns WHERE id = ?1", [campaign_id], |r| r.get(0)).map_err(|e| ReportError::Dashboard(e.into()))?;
    let promotion = promotion.and_then(|p| serde_json::from_str::<Option<Promotion>>(&p).ok().flatten());
    let (segments, total) = segment_ctrs(&dashboard);
    Ok(Content { lang, generated_at: now_text(), version: env!("CARGO_PKG_VERSION"), campaign, promotion, dashboard, segments, total })
}
