//! Per-user interest features, built from stored events.
//!
//! Version 2 of the feature spec (stored with every segment model, see [`FeatureSpec`]):
//! time-decayed category affinity (share of a user's decayed activity per top-level category,
//! half-life `half_life_days`); RFM (recency in days, frequency as log counts per event kind,
//! monetary as log spend); funnel ratios (cart/view, purchase/view); price sensitivity (mean log
//! of viewed prices against each category's geometric mean price: < 0 cheaper, > 0 dearer);
//! brand loyalty (share of events on the user's most-used brand); activity by time of day
//! (shares of events at night 0–6, morning 6–12, afternoon 12–18, evening 18–24 UTC) and the
//! weekend share; session count where sessions exist. Columns are z-standardised (the means
//! and deviations are kept, see [`FeatureMatrix::scale`]); a constant column becomes 0.
//!
//! A matrix can be built from a time window (`until`: only events before it, recency and decay
//! measured from it) and over a given category list, so that matrices of two windows line up
//! column by column (used by [`crate::interest`]).

pub mod user;

use std::collections::HashMap;

use ndarray::{Array2, ArrayView1};
use serde::{Deserialize, Serialize};

use crate::ingest::writer::EventKind;
use crate::store::Project;

/// How features were built; stored as JSON next to each model so results reproduce.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureSpec {
    pub version: u32,
    pub half_life_days: f64,
    /// Category keys with an affinity column, in column order.
    pub categories: Vec<String>,
    /// All column names, in order.
    pub columns: Vec<String>,
}

/// Raw (unstandardised) per-user aggregates, kept for profiles.
#[derive(Debug, Clone, Default)]
pub struct UserStats {
    pub views: f64,
    pub carts: f64,
    pub favs: f64,
    pub purchases: f64,
    pub spend_cents: f64,
    /// Mean of ln(price / category mean price) over viewed items (over other priced events when
    /// the user viewed nothing): <0 cheaper, >0 dearer.
    pub price_index: f64,
    pub recency_days: f64,
    pub sessions: f64,
    /// Decayed activity per category column (sums to 1 when the user has any activity).
    pub affinity: Vec<f64>,
    /// Share of events on the user's most frequent brand (0 without brands).
    pub brand_loyalty: f64,
    /// Shares of events at night, morning, afternoon, evening (UTC).
    pub day_parts: [f64; 4],
    /// Share of events on Saturday or Sunday (UTC).
    pub weekend: f64,
}

/// Users × features, plus the raw stats behind each row.
pub struct FeatureMatrix {
    pub users: Vec<String>,
    pub stats: Vec<UserStats>,
    pub spec: FeatureSpec,
    /// Standardised features, one row per user in `users` order.
    pub data: Array2<f64>,
    /// (mean, standard deviation) of each raw column before standardising (sd 0: constant).
    pub scale: Vec<(f64, f64)>,
    /// Mean ln(price in cents) per category over the window (the price-index reference).
    pub mean_log_price: HashMap<String, f64>,
}

impl FeatureMatrix {
    /// What real-time assignment needs to featurise one user exactly as this matrix did.
    pub fn featurizer(&self) -> user::Featurizer {
        user::Featurizer { spec: self.spec.clone(), scale: self.scale.clone(), mean_log_price: self.mean_log_price.clone() }
    }
}

/// Which events and columns a matrix is built from.
#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    pub half_life_days: f64,
    /// Only events strictly before this Unix time (all when `None`).
    pub until: Option<i64>,
    /// The category columns, in order (the most active top-level categories when `None`).
    pub categories: Option<Vec<String>>,
}

/// The most category columns a matrix gets (the rest fold into no column).
pub const MAX_CATEGORIES: usize = 12;

/// Build the matrix over every user with at least one event.
pub fn build(project: &Project, half_life_days: f64) -> rusqlite::Result<FeatureMatrix> {
    build_window(project, &Window { half_life_days, until: None, categories: None })
}

/// Build the matrix over every user with at least one event in `w`.
pub fn build_window(project: &Project, w: &Window) -> rusqlite::Result<FeatureMatrix> {
    let half_life_days = w.half_life_days;
    let until = w.until.unwrap_or(i64::MAX);
    let conn = project.conn();
    // (category, events, mean ln price); SQLite's bundled build has no ln(), so fold in Rust.
    let mut acc: HashMap<String, (i64, f64)> = HashMap::new();
    {
        let mut stmt = conn.prepare("SELECT p.category, COALESCE(e.price_cents, p.price_cents) FROM events e JOIN products p ON p.id = e.product_id WHERE e.ts < ?1")?;
        let mut rows = stmt.query([until])?;
        while let Some(r) = rows.next()? {
            let cat: String = r.get(0)?;
            let price: i64 = r.get(1)?;
            let e = acc.entry(cat).or_insert((0, 0.0));
            e.0 += 1;
            e.1 += (price.max(1) as f64).ln();
        }
    }
    let mut cats: Vec<(String, i64, f64)> = acc.into_iter().map(|(c, (n, s))| (c, n, s / n as f64)).collect();
    cats.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mean_log_price: HashMap<String, f64> = cats.iter().map(|(c, _, m)| (c.clone(), *m)).collect();
    cats.truncate(MAX_CATEGORIES);
    let cats: Vec<String> = match &w.categories {
        Some(given) => given.clone(),
        None => cats.into_iter().map(|c| c.0).collect(),
    };
    let col_of: HashMap<&str, usize> = cats.iter().enumerate().map(|(i, c)| (c.as_str(), i)).collect();
    let end_ts: i64 = match w.until {
        Some(t) => t,
        None => conn.query_row("SELECT COALESCE(max(ts), 0) FROM events", [], |r| r.get(0))?,
    };

    let decay = user::decay_per_second(half_life_days);
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut users: Vec<String> = Vec::new();
    let mut states: Vec<user::UserState> = Vec::new();
    let mut stmt = conn.prepare(
        "SELECT e.user_id, e.kind, p.category, e.ts, COALESCE(e.price_cents, p.price_cents), e.session, p.brand FROM events e JOIN products p ON p.id = e.product_id WHERE e.ts < ?1 ORDER BY e.user_id",
    )?;
    let mut rows = stmt.query([until])?;
    while let Some(r) = rows.next()? {
        let user: String = r.get(0)?;
        let i = *index.entry(user.clone()).or_insert_with(|| {
            users.push(user);
            states.push(user::UserState::new(cats.len()));
            states.len() - 1
        });
        let (kind, cat, session, brand): (String, String, String, String) = (r.get(1)?, r.get(2)?, r.get(5)?, r.get(6)?);
        let e = user::LiveEvent { ts: r.get(3)?, kind: EventKind::from_stored(&kind), category: &cat, price_cents: r.get(4)?, session: &session, brand: &brand };
        states[i].observe(&e, col_of.get(cat.as_str()).copied(), mean_log_price.get(&cat).copied(), decay);
    }
    let stats: Vec<UserStats> = states.iter().map(|s| s.stats(end_ts)).collect();
    drop(states);

    let mut columns: Vec<String> = cats.iter().map(|c| format!("{AFFINITY_PREFIX}{c}")).collect();
    columns.extend(TAIL_COLUMNS.iter().map(|c| c.to_string()));
    let n = users.len();
    let mut data = Array2::<f64>::zeros((n, columns.len()));
    for (i, s) in stats.iter().enumerate() {
        data.row_mut(i).assign(&ArrayView1::from(&user::raw_row(s)));
    }
    let scale = standardise(&mut data);
    let spec = FeatureSpec { version: SPEC_VERSION, half_life_days, categories: cats, columns };
    Ok(FeatureMatrix { users, stats, spec, data, scale, mean_log_price })
}

/// The feature spec version this build writes.
pub const SPEC_VERSION: u32 = 2;

/// The name prefix of the category-affinity columns (`affinity_<category>`), which come first.
pub const AFFINITY_PREFIX: &str = "affinity_";

/// The columns after the affinity columns, in order ([`user::raw_row`] computes them; the Spark
/// SQL generator has one expression per name).
pub const TAIL_COLUMNS: [&str; 15] = [
    "log_views",
    "log_carts",
    "log_purchases",
    "cart_per_view",
    "purchase_per_view",
    "price_index",
    "recency_days",
    "log_sessions",
    "log_spend",
    "brand_loyalty",
    "share_night",
    "share_morning",
    "share_afternoon",
    "share_evening",
    "share_weekend",
];

/// Z-score every column in place; constant columns become all zeros. Returns each column's
/// (mean, standard deviation), sd 0 for a constant column.
pub fn standardise(data: &mut Array2<f64>) -> Vec<(f64, f64)> {
    let n = data.nrows().max(1) as f64;
    let mut scale = Vec::with_capacity(data.ncols());
    for mut col in data.columns_mut() {
        let mean = col.sum() / n;
        let var = col.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
        let sd = if var.sqrt() > 1e-12 { var.sqrt() } else { 0.0 };
        col.mapv_inplace(|x| if sd > 0.0 { (x - mean) / sd } else { 0.0 });
        scale.push((mean, sd));
    }
    scale
}

/// Write `m` as CSV: a header (`user_id` and the column names), then one row per user, values
/// standardised as the model sees them (`raw = false`) or before standardising (`raw = true`).
pub fn write_csv(m: &FeatureMatrix, raw: bool, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let mut header = vec!["user_id".to_string()];
    header.extend(m.spec.columns.iter().cloned());
    crate::csv_cell::write_row(&mut w, &header)?;
    for (i, user) in m.users.iter().enumerate() {
        let mut rec = vec![user.clone()];
        rec.extend(m.data.row(i).iter().zip(&m.scale).map(|(&z, &(mean, sd))| {
            let v = if raw {
                if sd > 0.0 {
                    z * sd + mean
                } else {
                    mean
                }
            } else {
                z
            };
            format!("{v}")
        }));
        crate::csv_cell::write_row(&mut w, &rec)?;
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn standardise_gives_zero_mean_unit_variance_and_zero_for_constants() {
        let mut a = array![[1.0, 5.0], [3.0, 5.0], [5.0, 5.0]];
        standardise(&mut a);
        assert!((a.column(0).sum()).abs() < 1e-12);
        let var: f64 = a.column(0).iter().map(|x| x * x).sum::<f64>() / 3.0;
        assert!((var - 1.0).abs() < 1e-12);
        assert!(a.column(1).iter().all(|&x| x == 0.0));
    }

    #[test]
    fn affinities_sum_to_one_on_demo() {
        let p = crate::testkit::demo_store(3);
        let m = build(&p, 14.0).unwrap();
        assert_eq!(m.users.len(), crate::demo::USERS);
        assert_eq!(m.data.ncols(), m.spec.columns.len());
        for s in &m.stats {
            let t: f64 = s.affinity.iter().sum();
            assert!((t - 1.0).abs() < 1e-9, "{t}");
        }
        assert!(m.data.iter().all(|x| x.is_finite()));
    }

    #[test]
    fn a_window_sees_only_earlier_events_and_keeps_the_given_columns() {
        let p = crate::testkit::demo_store(3);
        let full = build(&p, 14.0).unwrap();
        let (lo, hi): (i64, i64) = p.conn().query_row("SELECT min(ts), max(ts) FROM events", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        let cut = lo + (hi - lo) / 2;
        let mut cats = full.spec.categories.clone();
        cats.reverse();
        let early = build_window(&p, &Window { half_life_days: 14.0, until: Some(cut), categories: Some(cats.clone()) }).unwrap();
        assert_eq!(early.spec.categories, cats, "columns follow the given list");
        let before: i64 = p.conn().query_row("SELECT count(*) FROM events WHERE ts < ?1", [cut], |r| r.get(0)).unwrap();
        let counted: f64 = early.stats.iter().map(|s| s.views + s.carts + s.favs + s.purchases).sum();
        assert_eq!(counted as i64, before, "exactly the events before the cut");
        assert!(early.stats.iter().all(|s| s.recency_days >= 0.0), "recency measured from the cut");
    }

    #[test]
    fn csv_export_has_a_header_one_row_per_user_and_raw_values_undo_the_scaling() {
        let p = crate::testkit::demo_store(3);
        let m = build(&p, 14.0).unwrap();
        let mut out = Vec::new();
        write_csv(&m, true, &mut out).unwrap();
        let mut r = csv::Reader::from_reader(&out[..]);
        assert_eq!(r.headers().unwrap().len(), m.spec.columns.len() + 1);
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), m.users.len());
        let i = m.spec.columns.iter().position(|c| c == "log_views").unwrap();
        let raw: f64 = rows[0][i + 1].parse().unwrap();
        assert!((raw - m.stats[0].views.ln_1p()).abs() < 1e-9, "{raw}");
    }

    #[test]
    fn csv_export_keeps_hostile_user_ids_as_text_and_negative_values_as_numbers() {
        let p = crate::testkit::demo_store(3);
        let mut m = build(&p, 14.0).unwrap();
        m.users[0] = "=HYPERLINK(\"http://x\",\"y\")".into();
        m.users[1] = "@SUM(A1)".into();
        m.users[2] = "-2+3".into();
        let mut out = Vec::new();
        write_csv(&m, false, &mut out).unwrap();
        let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(&out[..]).records().map(Result::unwrap).collect();
        assert_eq!([&rows[0][0], &rows[1][0], &rows[2][0]], ["'=HYPERLINK(\"http://x\",\"y\")", "'@SUM(A1)", "'-2+3"]);
        let negatives: Vec<&str> = rows.iter().flat_map(|r| r.iter().skip(1).collect::<Vec<_>>()).filter(|c| c.starts_with('-')).collect();
        assert!(!negatives.is_empty(), "standardised values include negatives");
        assert!(negatives.iter().all(|c| c.parse::<f64>().is_ok()), "negative numbers stay numbers: {:?}", negatives.first());
    }
}
