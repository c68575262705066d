//! `studio segment`: train interest segments (or split one), printing the report — k and why,
//! each segment's figures ("—" with the reason when undefined), stability across seeds, a
//! dominant-segment warning and the interest prediction — or the JSON report.

use std::path::PathBuf;

use clap::Args;
use studio_core::segments::{self, KChoice, SegmentParams};
use studio_core::ErrorCode;

use crate::{open_existing, print, Failure};

/// `studio segment …`
#[derive(Args)]
pub struct SegmentArgs {
    #[arg(long)]
    project: PathBuf,
    /// `auto` (over 3..=8: the smallest k within 0.01 of the best sampled silhouette) or a number 2..=20.
    #[arg(long, default_value = "auto")]
    k: String,
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// The smallest segment allowed (never lowered; too few users is an error).
    #[arg(long, default_value_t = 50)]
    min_size: usize,
    /// Split this segment of the newest model in two instead of training anew (offered
    /// when one segment holds most users).
    #[arg(long, value_name = "SEGMENT_ID")]
    split: Option<i64>,
    /// Kept for old scripts: stability across 5 seeds is always reported now.
    #[arg(long, hide = true)]
    ari: bool,
    #[arg(long)]
    json: bool,
}

/// Run `studio segment`.
pub fn segment(args: SegmentArgs) -> Result<(), Failure> {
    let SegmentArgs { project, k, seed, min_size, split, ari: _, json } = args;
    let k = match k.as_str() {
        "auto" => KChoice::Auto { min: 3, max: 8 },
        n => KChoice::Fixed(n.parse().map_err(|_| Failure::new(ErrorCode::InvalidInput, format!("--k must be 'auto' or a number, got {n:?}")))?),
    };
    let params = SegmentParams { k, seed, min_size, ..Default::default() }.check()?;
    let mut p = open_existing(&project)?;
    let report = match split {
        Some(id) => segments::split(&mut p, &params, id)?,
        None => segments::train(&mut p, &params, &mut studio_core::progress::ignore)?,
    };
    print(json, &report, |r| {
        outln!("{} users → {} segments (seed {}, inertia {:.1}, minimum size {})", r.users, r.k, r.seed, r.inertia, r.min_size)?;
        for (k, s) in &r.silhouette {
            outln!("  k={k}: sampled silhouette {s:.3}")?;
        }
        outln!("{}", r.k_reason)?;
        let pct = |x: Option<f64>| x.map_or("—".to_string(), |x| format!("{:.1}%", x * 100.0));
        for s in &r.segments {
            outln!(
                "  [{}] {} / {} — {} users ({:.1}%), top: {}; brands: {}; {} price, {}; purchase rate {}, buyers {:.0}%, avg price {}",
                s.label,
                s.name_en,
                s.name_zh,
                s.size,
                s.share * 100.0,
                s.top_categories.join(", "),
                s.top_brands.join(", "),
                s.price_band,
                s.rfm_tier,
                pct(s.purchase_rate),
                s.buyer_share * 100.0,
                s.avg_price.map_or("—".to_string(), |p| format!("{p:.2}"))
            )?;
            for note in [&s.rate_note, &s.price_note].into_iter().flatten() {
                outln!("      — {note}")?;
            }
        }
        if let Some(d) = &r.dominant_segment {
            outln!("warning: {}", d.message)?;
        }
        match (&r.prediction, &r.prediction_note) {
            (Some(p), _) => outln!(
                "interest prediction (held-out window, {} users): AUC {:.3} vs popularity {:.3}; precision@3 {:.3} vs {:.3}",
                p.test_users,
                p.auc,
                p.baseline_auc,
                p.precision_at_3,
                p.baseline_precision_at_3
            ),
            (None, Some(why)) => outln!("interest prediction: none ({why})"),
            (None, None) => Ok(()),
        }?;
        if let Some(s) = &r.stability {
            outln!("stability over seeds {:?} (k={}, {} users): ARI mean {:.3}, min {:.3}", s.seeds, s.k, s.rows, s.mean_ari, s.min_ari)?;
        }
        Ok(())
    })?;
    Ok(())
}
