//! The running service's traffic as the app's Live screen and `GET /v1/stats` show it: per
//! segment (as assigned at rank time) × variant, impressions, clicks, CTR with its Wilson 95 %
//! interval and the variant's share of the segment's impressions — real traffic and simulated
//! traffic (`studio serve --replay`) kept apart, never added together.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::api::Refusals;
use super::ctr_interval;

/// Counters of one (traffic kind, segment, variant) cell, kept by the [`super::Decider`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    pub key: String,
    pub headline: String,
    pub lang: String,
    pub impressions: u64,
    /// Rewarded events (reward value > 0).
    pub clicks: u64,
    pub reward_value: f64,
}

/// Where a cell's counts come from: `simulated` is replayed traffic.
pub type CellKey = (bool, i64, i64);

/// One segment × variant row of live traffic.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LiveCell {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub segment_id: i64,
    pub segment_en: String,
    pub segment_zh: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub variant_id: i64,
    pub variant_key: String,
    pub headline: String,
    pub lang: String,
    /// The variant's approval still counts (it is being served now).
    pub servable: bool,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub impressions: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub clicks: u64,
    pub reward_value: f64,
    pub ctr: Option<f64>,
    /// Wilson 95 % interval of the CTR.
    pub ctr_low: Option<f64>,
    pub ctr_high: Option<f64>,
    /// This variant's share of the segment's impressions (of the same traffic kind).
    pub share: Option<f64>,
}

/// All cells of one kind of traffic, with totals.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LiveTraffic {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub impressions: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub clicks: u64,
    pub ctr: Option<f64>,
    pub ctr_low: Option<f64>,
    pub ctr_high: Option<f64>,
    /// By segment id, then variant id.
    pub cells: Vec<LiveCell>,
}

/// The service's traffic since it started.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LiveStats {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub campaign_id: i64,
    /// Real shoppers' traffic. Every servable variant has a row for its own segment, traffic or not.
    pub real: LiveTraffic,
    /// Replayed simulated shoppers (`--replay`); never part of `real`.
    pub simulated: LiveTraffic,
    /// Impressions the policy has learnt from, checkpoints of earlier runs included.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub learnt_impressions: u64,
    pub refused: Refusals,
    pub servable_variants: u32,
}

/// What [`build`] needs of a servable arm: (variant id, segment id, key, headline, lang).
pub type ArmRef<'a> = (i64, i64, &'a str, &'a str, &'a str);

/// Build the stats from the decider's `cells`, the servable `arms`, the segment names and the
/// learnt total. Pure: the one place the Live screen's and `/v1/stats`'s numbers come from.
pub fn build(campaign_id: i64, cells: &BTreeMap<CellKey, Cell>, arms: &[ArmRef<'_>], names: &HashMap<i64, (String, String)>, learnt_impressions: u64, refused: Refusals) -> LiveStats {
    let traffic = |simulated: bool| {
        let mut rows: BTreeMap<(i64, i64), Cell> = cells.iter().filter(|((s, _, _), _)| *s == simulated).map(|((_, seg, v), c)| ((*seg, *v), c.clone())).collect();
        if !simulated {
            for &(v, seg, key, headline, lang) in arms {
                rows.entry((seg, v)).or_insert_with(|| Cell { key: key.into(), headline: headline.into(), lang: lang.into(), ..Default::default() });
            }
        }
        let mut per_segment: HashMap<i64, u64> = HashMap::new();
        for ((seg, _), c) in &rows {
            *per_segment.entry(*seg).or_default() += c.impressions;
        }
        let cells: Vec<LiveCell> = rows
            .into_iter()
            .map(|((seg, v), c)| {
                let (ctr, ctr_low, ctr_high) = ctr_interval(c.clicks, c.impressions);
                let (en, zh) = names.get(&seg).cloned().unwrap_or_else(|| (format!("Segment {seg}"), format!("人群 {seg}")));
                let in_segment = per_segment[&seg];
                LiveCell {
                    segment_id: seg,
                    segment_en: en,
                    segment_zh: zh,
                    variant_id: v,
                    variant_key: c.key,
                    headline: c.headline,
                    lang: c.lang,
                    servable: arms.iter().any(|a| a.0 == v),
                    impressions: c.impressions,
                    clicks: c.clicks,
                    reward_value: c.reward_value,
                    ctr,
                    ctr_low,
                    ctr_high,
                    share: (in_segment > 0).then(|| c.impressions as f64 / in_segment as f64),
                }
            })
            .collect();
        let impressions = cells.iter().map(|c| c.impressions).sum();
        let clicks = cells.iter().map(|c| c.clicks).sum();
        let (ctr, ctr_low, ctr_high) = ctr_interval(clicks, impressions);
        LiveTraffic { impressions, clicks, ctr, ctr_low, ctr_high, cells }
    };
    LiveStats { campaign_id, real: traffic(false), simulated: traffic(true), learnt_impressions, refused, servable_variants: arms.len() as u32 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_and_simulated_stay_apart_with_shares_per_segment_and_empty_rows_for_servable_arms() {
        let mut cells = BTreeMap::new();
        let c = |imp, clicks| Cell { key: "k".into(), headline: "h".into(), lang: "en".into(), impressions: imp, clicks, reward_value: clicks as f64 };
        cells.insert((false, 1, 10), c(30, 3));
        cells.insert((false, 1, 11), c(10, 0));
        cells.insert((true, 1, 10), c(500, 50));
        cells.insert((false, 2, 99), c(5, 1)); // a variant withdrawn since
        let arms = [(10, 1, "k10", "h10", "en"), (11, 1, "k11", "h11", "en"), (12, 2, "k12", "h12", "en")];
        let names = HashMap::from([(1, ("Bargain".to_string(), "折扣".to_string()))]);
        let s = build(7, &cells, &arms, &names, 45, Refusals::default());
        assert_eq!((s.real.impressions, s.real.clicks), (45, 4));
        assert_eq!((s.simulated.impressions, s.simulated.clicks), (500, 50));
        assert_eq!(s.real.cells.len(), 4, "three servable arms + the withdrawn one with traffic");
        let r10 = s.real.cells.iter().find(|c| c.variant_id == 10).unwrap();
        assert_eq!((r10.share, r10.ctr, r10.segment_en.as_str()), (Some(0.75), Some(0.1), "Bargain"));
        assert!(r10.ctr_low.unwrap() < 0.1 && r10.ctr_high.unwrap() > 0.1);
        let r12 = s.real.cells.iter().find(|c| c.variant_id == 12).unwrap();
        assert_eq!((r12.impressions, r12.share, r12.ctr), (0, Some(0.0), None), "segment 2 had traffic (the withdrawn variant), none of it here");
        assert!(!s.real.cells.iter().find(|c| c.variant_id == 99).unwrap().servable);
        assert_eq!(s.simulated.cells.len(), 1, "no empty rows in simulated traffic");
        assert_eq!(s.simulated.cells[0].share, Some(1.0));
    }
}
