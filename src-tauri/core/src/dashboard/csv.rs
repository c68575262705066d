//! The numbers behind each dashboard chart as CSV (UTF-8, header, one record per figure).
//! Every table has a `simulated` column: `true` for figures from the simulator, `false` for
//! reported (real) or workflow figures. Missing values are empty; rates are fractions.
//!
//! * `ctr`: `segment_id,segment_en,segment_zh,variant_id,targeted,review_state,simulated,
//!   impressions,clicks,conversions,ctr,ctr_low,ctr_high,cvr,p_best` — one record per
//!   segment × variant and source (simulated, real);
//! * `approval`: `state,count,share,simulated`;
//! * `lift`: `run_id,mean,low,high,probability_positive,true_lift,generic_variant,
//!   personalised_variants,simulated` (personalised variants separated by `;`);
//! * `ope`: `id,logs_path,policy,estimator,value,low,high,n,created_at,simulated` — every stored
//!   estimate, oldest first (the chart shows the newest per logs file, policy and estimator).

use std::io::Write;

use super::data::Dashboard;
use super::ChartKind;
use crate::csv_cell::write_row;

fn opt(x: Option<f64>) -> String {
    x.map_or_else(String::new, |v| v.to_string())
}

/// Write the numbers behind chart `kind` of `dashboard` to `out`.
/// Errors: the writer's I/O errors.
pub fn write<W: Write>(dashboard: &Dashboard, kind: ChartKind, out: W) -> std::io::Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    match kind {
        ChartKind::Ctr => {
            write_row(
                &mut w,
                [
                    "segment_id",
                    "segment_en",
                    "segment_zh",
                    "variant_id",
                    "targeted",
                    "review_state",
                    "simulated",
                    "impressions",
                    "clicks",
                    "conversions",
                    "ctr",
                    "ctr_low",
                    "ctr_high",
                    "cvr",
                    "p_best",
                ],
            )?;
            for r in &dashboard.rows {
                let head =
                    [r.segment_id.to_string(), r.segment_en.clone(), r.segment_zh.clone(), r.variant_id.to_string(), r.targeted.to_string(), r.review_state.map_or("", |s| s.as_str()).to_string()];
                if let Some(s) = &r.simulated {
                    let tail = [
                        "true".to_string(),
                        s.impressions.to_string(),
                        s.clicks.to_string(),
                        String::new(),
                        s.ctr.to_string(),
                        s.ctr_low.to_string(),
                        s.ctr_high.to_string(),
                        String::new(),
                        s.p_best.to_string(),
                    ];
                    write_row(&mut w, head.iter().chain(tail.iter()))?;
                }
                if let Some(x) = &r.real {
                    let tail =
                        ["false".to_string(), x.impressions.to_string(), x.clicks.to_string(), x.conversions.to_string(), opt(x.ctr), opt(x.ctr_low), opt(x.ctr_high), opt(x.cvr), String::new()];
                    write_row(&mut w, head.iter().chain(tail.iter()))?;
                }
            }
        }
        ChartKind::Approval => {
            write_row(&mut w, ["state", "count", "share", "simulated"])?;
            let a = &dashboard.approval;
            for (state, n) in a.by_state() {
                let share = if a.total > 0 { n as f64 / a.total as f64 } else { 0.0 };
                write_row(&mut w, [state.as_str().to_string(), n.to_string(), share.to_string(), "false".into()])?;
            }
        }
        ChartKind::Lift => {
            write_row(&mut w, ["run_id", "mean", "low", "high", "probability_positive", "true_lift", "generic_variant", "personalised_variants", "simulated"])?;
            if let Some(l) = &dashboard.lift {
                let x = &l.lift;
                let personal: Vec<String> = x.personalised.iter().map(|v| v.to_string()).collect();
                write_row(
                    &mut w,
                    [
                        l.run_id.to_string(),
                        x.mean.to_string(),
                        x.low.to_string(),
                        x.high.to_string(),
                        x.probability_positive.to_string(),
                        x.true_lift.to_string(),
                        x.generic.to_string(),
                        personal.join(";"),
                        "true".into(),
                    ],
                )?;
            }
        }
        ChartKind::Ope => {
            write_row(&mut w, ["id", "logs_path", "policy", "estimator", "value", "low", "high", "n", "created_at", "simulated"])?;
            for o in &dashboard.ope {
                write_row(
                    &mut w,
                    [o.id.to_string(), o.logs_path.clone(), o.policy.clone(), o.estimator.clone(), opt(o.value), opt(o.low), opt(o.high), o.n.to_string(), o.created_at.clone(), "false".into()],
                )?;
            }
        }
    }
    w.flush()?;
    Ok(())
}
