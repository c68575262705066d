//! Segment statistics on the real samples in `fixtures/data/` (REES46, UCI Online Retail) and
//! the demo: sound figures, and stability across seeds.

use super::*;
use crate::progress::ignore;

/// A project holding the demo's events (seed 11) and/or the given fixture samples.
pub(super) fn project(demo: bool, fixtures: &[&str]) -> Project {
    let mut p = Project::open_in_memory().unwrap();
    if demo {
        crate::demo::generate(&mut p, 11, &mut ignore).unwrap();
    }
    // Beside the demo's CNY events, the samples are read as if their prices were converted
    // (one currency per project; the figures here do not depend on prices' units).
    let opts = crate::ingest::ImportOptions { currency: demo.then(|| "CNY".to_string()), ..Default::default() };
    for f in fixtures {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/data").join(f);
        crate::ingest::import_file_with(&mut p, &path, &opts, &mut ignore).unwrap();
    }
    p
}

pub(super) const REES46: &str = "rees46/2019-Oct-head.csv.gz";
pub(super) const RETAIL: &str = "online-retail/online-retail-sample-20k.csv.gz";

#[test]
fn online_retail_figures_are_defined_or_absent_never_absurd() {
    let mut p = project(false, &[RETAIL]);
    let r = train(&mut p, &SegmentParams::default().check().unwrap(), &mut ignore).unwrap();
    let st = r.stability.as_ref().unwrap();
    assert!(st.mean_ari >= 0.9, "stable across seeds: {st:?}");
    for s in &r.segments {
        assert!(s.share > 0.0 && s.share <= 1.0 && s.buyer_share <= 1.0, "{s:?}");
        assert_eq!((s.purchase_rate, s.cart_rate), (None, None), "purchases without views have no per-view rate: {s:?}");
        assert_eq!(s.rate_note.as_deref(), Some(profile::NO_VIEWS));
        let price = s.avg_price.expect("order lines carry prices");
        assert!(price > 0.0 && price < 1_000.0, "{s:?}");
        assert!(!s.name_en.to_lowercase().contains("other") && !s.name_en.chars().any(|c| c.is_ascii_digit()), "named by behaviour: {}", s.name_en);
        let p = profile_of(&p, s.id).unwrap();
        assert_eq!(p.purchase_lift(), None);
    }
}

#[test]
fn mixed_data_keeps_every_rate_a_share() {
    let mut p = project(true, &[RETAIL]);
    let r = train(&mut p, &SegmentParams::default().check().unwrap(), &mut ignore).unwrap();
    for s in &r.segments {
        for x in [s.purchase_rate, s.cart_rate].into_iter().flatten() {
            assert!((0.0..=1.0).contains(&x), "{s:?}");
        }
        assert!(s.size >= 50);
        let lift = profile_of(&p, s.id).unwrap().purchase_lift();
        assert!(lift.is_none_or(|l| l < 50.0), "{s:?}: {lift:?}");
    }
}

#[test]
fn automatic_segments_are_stable_across_seeds_on_the_demo_and_rees46() {
    for (demo, files) in [(true, vec![]), (false, vec![REES46])] {
        let mut p = project(demo, &files);
        let r = train(&mut p, &SegmentParams::default().check().unwrap(), &mut ignore).unwrap();
        let st = r.stability.as_ref().unwrap();
        assert_eq!(st.seeds.len(), 5);
        assert!(st.mean_ari >= 0.9, "{}: {st:?}", r.k_reason);
        assert_eq!(r.k_stability.len(), 6, "every k of 3..=8 judged");
        assert!(r.segments.iter().all(|s| s.size >= 50));
    }
}

/// Run with `cargo test -j 1 -p studio-core --lib measure_segments -- --ignored --nocapture`:
/// k, names, sizes, stability and interest AUC on the demo, REES46, Online Retail and the mix.
#[test]
#[ignore = "a measurement, not a check; prints its figures"]
fn measure_segments() {
    for (name, demo, files) in [("demo", true, vec![]), ("REES46", false, vec![REES46]), ("Online Retail", false, vec![RETAIL]), ("demo + Online Retail", true, vec![RETAIL])] {
        let mut p = project(demo, &files);
        let t = std::time::Instant::now();
        let r = train(&mut p, &SegmentParams::default().check().unwrap(), &mut ignore).unwrap();
        println!("== {name}: {} users, k={} ({:.1}s)\n   {}", r.users, r.k, t.elapsed().as_secs_f64(), r.k_reason);
        println!("   silhouette {:?}", r.silhouette.iter().map(|(k, s)| format!("{k}:{s:.3}")).collect::<Vec<_>>());
        for s in &r.segments {
            println!("   {:>5} {:.1}% {} / {} (buyers {:.0}%, rate {:?}, price {:?})", s.size, s.share * 100.0, s.name_en, s.name_zh, s.buyer_share * 100.0, s.purchase_rate, s.avg_price);
        }
        let st = r.stability.as_ref().unwrap();
        println!("   ARI over seeds {:?}: mean {:.3} min {:.3}", st.seeds, st.mean_ari, st.min_ari);
        match &r.prediction {
            Some(pr) => println!("   interest AUC {:.3} vs popularity {:.3}", pr.auc, pr.baseline_auc),
            None => println!("   no prediction: {:?}", r.prediction_note),
        }
        if let Some(d) = &r.dominant_segment {
            println!("   dominant: {}", d.message);
        }
        if std::env::var("MEASURE_ALL_K").is_ok() {
            let m = crate::features::build(&p, 14.0).unwrap();
            for k in 3..=8 {
                let st = stability::of_matrix(&m.data, k, 42, 5).unwrap();
                println!("   k={k}: ARI mean {:.3} min {:.3}", st.mean_ari, st.min_ari);
            }
        }
    }
}
