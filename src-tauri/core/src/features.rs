//! Per-user interest features, built from stored events.
//!
//! Version 1 of the feature spec (stored with every segment model, see [`FeatureSpec`]):
//! time-decayed category affinity (share of a user's decayed activity per top-level category,
//! half-life `half_life_days`), funnel counts and ratios, price level against each category's
//! mean, recency and session count. Columns are z-standardised; a constant column becomes 0.

use std::collections::HashMap;

use ndarray::Array2;
use serde::{Deserialize, Serialize};

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
    /// Mean of ln(price / category mean price) over viewed items: <0 cheaper, >0 dearer.
    pub price_index: f64,
    pub recency_days: f64,
    pub sessions: f64,
    /// Decayed activity per category column (sums to 1 when the user has any activity).
    pub affinity: Vec<f64>,
}

/// Users × features, plus the raw stats behind each row.
pub struct FeatureMatrix {
    pub users: Vec<String>,
    pub stats: Vec<UserStats>,
    pub spec: FeatureSpec,
    /// Standardised features, one row per user in `users` order.
    pub data: Array2<f64>,
}

/// The most category columns a matrix gets (the rest fold into no column).
pub const MAX_CATEGORIES: usize = 12;

/// Build the matrix over every user with at least one event.
pub fn build(project: &Project, half_life_days: f64) -> rusqlite::Result<FeatureMatrix> {
    let conn = project.conn();
    // (category, events, mean ln price); SQLite's bundled build has no ln(), so fold in Rust.
    let mut acc: HashMap<String, (i64, f64)> = HashMap::new();
    {
        let mut stmt = conn.prepare("SELECT p.category, COALESCE(e.price_cents, p.price_cents) FROM events e JOIN products p ON p.id = e.product_id")?;
        let mut rows = stmt.query([])?;
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
    let col_of: HashMap<&str, usize> = cats.iter().enumerate().map(|(i, c)| (c.0.as_str(), i)).collect();
    let end_ts: i64 = conn.query_row("SELECT COALESCE(max(ts), 0) FROM events", [], |r| r.get(0))?;

    let mut index: HashMap<String, usize> = HashMap::new();
    let mut users: Vec<String> = Vec::new();
    let mut stats: Vec<UserStats> = Vec::new();
    let mut last_ts: Vec<i64> = Vec::new();
    let mut sessions: Vec<std::collections::HashSet<String>> = Vec::new();
    let decay = std::f64::consts::LN_2 / (half_life_days.max(0.1) * 86_400.0);
    let mut stmt = conn.prepare(
        "SELECT e.user_id, e.kind, p.category, e.ts, COALESCE(e.price_cents, p.price_cents), e.session FROM events e JOIN products p ON p.id = e.product_id ORDER BY e.user_id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let user: String = r.get(0)?;
        let i = *index.entry(user.clone()).or_insert_with(|| {
            users.push(user);
            stats.push(UserStats { affinity: vec![0.0; cats.len()], ..Default::default() });
            last_ts.push(i64::MIN);
            sessions.push(Default::default());
            stats.len() - 1
        });
        let kind: String = r.get(1)?;
        let cat: String = r.get(2)?;
        let ts: i64 = r.get(3)?;
        let price: i64 = r.get(4)?;
        let session: String = r.get(5)?;
        let s = &mut stats[i];
        let w = (-(decay * (end_ts - ts) as f64)).exp();
        let weight = match kind.as_str() {
            "purchase" => 4.0,
            "cart" => 2.0,
            "fav" => 1.5,
            _ => 1.0,
        };
        if let Some(&c) = col_of.get(cat.as_str()) {
            s.affinity[c] += w * weight;
        }
        match kind.as_str() {
            "view" => {
                s.views += 1.0;
                let rel = (price.max(1) as f64).ln() - mean_log_price.get(&cat).copied().unwrap_or(0.0);
                s.price_index += rel;
            }
            "cart" => s.carts += 1.0,
            "fav" => s.favs += 1.0,
            "purchase" => {
                s.purchases += 1.0;
                s.spend_cents += price as f64;
            }
            _ => {}
        }
        last_ts[i] = last_ts[i].max(ts);
        if !session.is_empty() {
            sessions[i].insert(session);
        }
    }
    for (i, s) in stats.iter_mut().enumerate() {
        let total: f64 = s.affinity.iter().sum();
        if total > 0.0 {
            s.affinity.iter_mut().for_each(|a| *a /= total);
        }
        if s.views > 0.0 {
            s.price_index /= s.views;
        }
        s.recency_days = (end_ts - last_ts[i]) as f64 / 86_400.0;
        s.sessions = sessions[i].len().max(1) as f64;
    }

    let mut columns: Vec<String> = cats.iter().map(|c| format!("affinity_{}", c.0)).collect();
    for c in ["log_views", "log_carts", "log_purchases", "cart_per_view", "purchase_per_view", "price_index", "recency_days", "log_sessions", "log_spend"] {
        columns.push(c.to_string());
    }
    let n = users.len();
    let mut data = Array2::<f64>::zeros((n, columns.len()));
    for (i, s) in stats.iter().enumerate() {
        let mut row = data.row_mut(i);
        let k = cats.len();
        for c in 0..k {
            // affinity weighs double: it is what segments are about
            row[c] = s.affinity[c] * 2.0;
        }
        let v = s.views.max(1.0);
        let tail = [
            s.views.ln_1p(),
            s.carts.ln_1p(),
            s.purchases.ln_1p(),
            s.carts / v,
            s.purchases / v,
            s.price_index,
            s.recency_days,
            s.sessions.ln_1p(),
            (s.spend_cents / 100.0).ln_1p(),
        ];
        for (j, x) in tail.iter().enumerate() {
            row[k + j] = *x;
        }
    }
    standardise(&mut data);
    let spec = FeatureSpec { version: 1, half_life_days, categories: cats.into_iter().map(|c| c.0).collect(), columns };
    Ok(FeatureMatrix { users, stats, spec, data })
}

/// Z-score every column in place; constant columns become all zeros.
pub fn standardise(data: &mut Array2<f64>) {
    let n = data.nrows().max(1) as f64;
    for mut col in data.columns_mut() {
        let mean = col.sum() / n;
        let var = col.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
        let sd = var.sqrt();
        col.mapv_inplace(|x| if sd > 1e-12 { (x - mean) / sd } else { 0.0 });
    }
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
        let mut p = Project::open_in_memory().unwrap();
        crate::demo::generate(&mut p, 3, &mut crate::progress::ignore).unwrap();
        let m = build(&p, 14.0).unwrap();
        assert_eq!(m.users.len(), crate::demo::USERS);
        assert_eq!(m.data.ncols(), m.spec.columns.len());
        for s in &m.stats {
            let t: f64 = s.affinity.iter().sum();
            assert!((t - 1.0).abs() < 1e-9, "{t}");
        }
        assert!(m.data.iter().all(|x| x.is_finite()));
    }
}
