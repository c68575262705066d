use super::*;
use crate::progress::ignore;
use linfa::prelude::*;
use linfa::ParamGuard;
use ndarray::Array2;

fn demo() -> Project {
    crate::testkit::demo_store(11)
}

#[test]
fn params_are_checked_once() {
    assert!(SegmentParams { k: KChoice::Fixed(1), ..Default::default() }.check().is_err());
    assert!(SegmentParams { k: KChoice::Auto { min: 6, max: 3 }, ..Default::default() }.check().is_err());
    assert!(SegmentParams { half_life_days: 0.0, ..Default::default() }.check().is_err());
    assert!(SegmentParams::default().check().is_ok());
}

#[test]
fn demo_segments_are_sized_named_and_deterministic() {
    let mut p = demo();
    let params = SegmentParams { k: KChoice::Fixed(6), seed: 5, ..Default::default() }.check().unwrap();
    let a = train(&mut p, &params, &mut ignore).unwrap();
    let b = train(&mut p, &params, &mut ignore).unwrap();
    assert_eq!(a.users as usize, crate::demo::USERS);
    assert!(a.segments.len() >= 2 && a.segments.len() <= 6);
    let sizes: Vec<u32> = a.segments.iter().map(|s| s.size).collect();
    assert_eq!(sizes, b.segments.iter().map(|s| s.size).collect::<Vec<_>>(), "same seed, same segments");
    assert_eq!(sizes.iter().sum::<u32>(), a.users);
    for s in &a.segments {
        assert!(s.size >= 50, "{s:?}");
        assert!(!s.name_en.is_empty() && !s.name_zh.is_empty());
    }
    let mut names: Vec<_> = a.segments.iter().map(|s| s.name_en.clone()).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), a.segments.len(), "names are unique");
    assert_eq!(latest(&p).unwrap(), b.segments);
}

#[test]
fn planted_personas_are_recovered() {
    // The demo plants a tech persona; some segment must be led by electronics or computers
    // and another by kids (the young-parent persona).
    let mut p = demo();
    let params = SegmentParams { k: KChoice::Fixed(6), seed: 1, ..Default::default() }.check().unwrap();
    let r = train(&mut p, &params, &mut ignore).unwrap();
    let leads: Vec<&str> = r.segments.iter().map(|s| s.top_categories[0].as_str()).collect();
    assert!(leads.iter().any(|c| *c == "electronics" || *c == "computers"), "{leads:?}");
    assert!(leads.contains(&"kids"), "{leads:?}");
}

#[test]
fn auto_k_reports_silhouette_per_k() {
    let mut p = demo();
    let params = SegmentParams { k: KChoice::Auto { min: 3, max: 5 }, silhouette_sample: 400, ..Default::default() }.check().unwrap();
    let r = train(&mut p, &params, &mut ignore).unwrap();
    assert_eq!(r.silhouette.iter().map(|s| s.0).collect::<Vec<_>>(), vec![3, 4, 5]);
    assert!(r.silhouette.iter().all(|s| s.1 > -1.0 && s.1 <= 1.0));
}

#[test]
fn small_clusters_are_merged_into_nearest() {
    let data = ndarray::array![[0.0], [0.1], [0.2], [5.0], [5.1], [9.0]];
    let mut labels = vec![0, 0, 0, 1, 1, 2];
    let merged = merge_small(&data, &mut labels, 3, 2);
    assert_eq!(merged, 1);
    assert_eq!(labels, vec![0, 0, 0, 1, 1, 1]);
    // A merge that leaves another cluster too small goes on until none is.
    let data = ndarray::array![[0.0], [0.1], [0.2], [5.0], [9.0], [9.1]];
    let mut labels = vec![0, 0, 0, 1, 2, 3];
    assert_eq!(merge_small(&data, &mut labels, 4, 3), 2, "{labels:?}");
    let mut sizes = std::collections::HashMap::new();
    labels.iter().for_each(|l| *sizes.entry(*l).or_insert(0) += 1);
    assert!(sizes.values().all(|&s| s >= 3), "{labels:?}");
}

#[test]
fn too_few_users_is_a_clear_error() {
    let mut p = Project::open_in_memory().unwrap();
    let e = train(&mut p, &SegmentParams::default().check().unwrap(), &mut ignore).unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidInput);
    assert!(e.to_string().contains("not enough users"));
}

/// A REES46-format file of `users` users (seeded), imported into a fresh project.
fn small_file(users: usize, seed: u64) -> Project {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut csv = String::from("event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session\n");
    let cats = ["electronics.smartphone", "apparel.shoes", "kids.toys", "furniture.bedroom"];
    for u in 0..users {
        let taste = u % cats.len();
        for e in 0..rng.gen_range(3..12) {
            let cat = if rng.gen_bool(0.7) { taste } else { rng.gen_range(0..cats.len()) };
            let kind = ["view", "view", "view", "cart", "purchase"][rng.gen_range(0..5)];
            let price = 10.0 + 90.0 * rng.gen::<f64>() * (1 + taste) as f64;
            csv.push_str(&format!("2019-10-{:02} {:02}:00:00 UTC,{kind},{},{},{},brand{},{price:.2},{},s{u}\n", 1 + (u + e) % 28, e % 24, 100 + cat * 10 + e % 3, cat, cats[cat], cat, 1000 + u));
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("small.csv");
    std::fs::write(&path, csv).unwrap();
    let mut p = Project::open_in_memory().unwrap();
    crate::ingest::import_file(&mut p, &path, &mut ignore).unwrap();
    p
}

#[test]
fn the_minimum_size_is_never_lowered() {
    let mut p = small_file(43, 1);
    let e = train(&mut p, &SegmentParams::default().check().unwrap(), &mut ignore).unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidInput);
    assert!(e.to_string().contains("43 users with events; 3 segments of at least 50 users need 150"), "{e}");
    assert!(latest(&p).unwrap().is_empty(), "nothing stored");

    let mut p = small_file(160, 2);
    let r = train(&mut p, &SegmentParams::default().check().unwrap(), &mut ignore).unwrap();
    assert_eq!(r.users, 160);
    assert!(r.segments.len() <= 3, "{:?}", r.segments);
    assert!(r.segments.iter().all(|s| s.size >= 50), "{:?}", r.segments.iter().map(|s| s.size).collect::<Vec<_>>());
    assert_eq!(r.min_size, 50);
}

#[test]
fn profiles_carry_brands_price_band_and_rfm_tier() {
    let mut p = demo();
    let params = SegmentParams { k: KChoice::Fixed(6), seed: 5, ..Default::default() }.check().unwrap();
    let r = train(&mut p, &params, &mut ignore).unwrap();
    for s in &r.segments {
        assert!(!s.top_brands.is_empty() && s.top_brands.len() <= 3, "{s:?}");
        assert!(["budget", "mid", "premium"].contains(&s.price_band.as_str()), "{s:?}");
        assert!(["champions", "loyal", "at_risk", "new_or_occasional", "hibernating"].contains(&s.rfm_tier.as_str()), "{s:?}");
    }
    assert!(r.segments.iter().map(|s| &s.price_band).collect::<std::collections::HashSet<_>>().len() >= 2, "the demo's personas differ in price level");
}

#[test]
fn a_segment_can_be_renamed_once_names_are_valid_and_unique() {
    let mut p = demo();
    let params = SegmentParams { k: KChoice::Fixed(4), seed: 5, ..Default::default() }.check().unwrap();
    let r = train(&mut p, &params, &mut ignore).unwrap();
    let (a, b) = (&r.segments[0], &r.segments[1]);
    let renamed = rename(&mut p, a.id, "  Gadget fans ", "数码控").unwrap();
    assert_eq!((renamed.name_en.as_str(), renamed.name_zh.as_str(), renamed.size), ("Gadget fans", "数码控", a.size));
    assert_eq!(latest(&p).unwrap()[0].name_en, "Gadget fans", "stored");
    let clash = rename(&mut p, b.id, "gadget FANS", "别的").unwrap_err();
    assert_eq!(clash.code(), ErrorCode::InvalidInput, "{clash}");
    assert_eq!(rename(&mut p, b.id, "", "空").unwrap_err().code(), ErrorCode::InvalidInput);
    assert_eq!(rename(&mut p, 9_999, "X", "Y").unwrap_err().code(), ErrorCode::NotFound);
    assert_eq!(latest(&p).unwrap()[1].name_en, b.name_en, "failed renames change nothing");
}

/// Over [`K_CHOICE_SAMPLE`] rows the segments' k-means seeds on the sample and refines on every
/// row: on overlapping clusters it lands within 0.5 % of the inertia of ten seedings on every
/// row (the bench shows the same on a million rows), its labels are the nearest centres, and
/// the same seed gives the same segments.
#[test]
fn seeding_on_the_sample_fits_as_well_as_seeding_on_every_row() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(3);
    let (n, d, k) = (K_CHOICE_SAMPLE + 5_000, 6, 5);
    let centres: Vec<Vec<f64>> = (0..8).map(|_| (0..d).map(|_| rng.gen_range(-3.0..3.0)).collect()).collect();
    let data = Array2::from_shape_fn((n, d), |(i, j)| centres[i % 8][j] + rng.sample::<f64, _>(rand_distr::StandardNormal));
    let (labels, centroids, inertia) = kmeans(&data, k, 9).unwrap();
    let full = kmeans::fit_view(&kmeans::KMeans::params(k).seed(9).n_init(N_INIT).check().unwrap(), data.view()).unwrap();
    assert!(inertia <= full.inertia() * 1.005, "sample-seeded {inertia} vs every row {}", full.inertia());
    let nearest = kmeans::KMeans::from_centroids(centroids).predict(&data).to_vec();
    assert_eq!(labels, nearest);
    assert_eq!(kmeans(&data, k, 9).unwrap().2, inertia, "seeded");
}
