//! One user's running aggregates: the single definition of every feature, used by the batch
//! matrix ([`super::build_window`]) and by real-time assignment, which updates it one event
//! at a time in O(1).

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::{FeatureSpec, UserStats};
use crate::ingest::writer::EventKind;

/// Everything needed to turn a [`UserState`] into the model's standardised row: the spec, the
/// per-column scale of the training matrix and each category's mean log price. Stored with
/// every segment model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Featurizer {
    pub spec: FeatureSpec,
    pub scale: Vec<(f64, f64)>,
    /// Mean ln(price in cents) per category, over the training window.
    pub mean_log_price: HashMap<String, f64>,
}

impl Featurizer {
    /// ln 2 / half-life, per second.
    pub fn decay(&self) -> f64 {
        decay_per_second(self.spec.half_life_days)
    }

    /// The standardised row of `state` as of `now`, as the training matrix would hold it.
    pub fn row(&self, state: &UserState, now: i64) -> Vec<f64> {
        let raw = raw_row(&state.stats(now));
        raw.iter().zip(&self.scale).map(|(&v, &(mean, sd))| if sd > 0.0 { (v - mean) / sd } else { 0.0 }).collect()
    }

    /// Fold one event into `state`.
    pub fn observe(&self, state: &mut UserState, e: &LiveEvent) {
        let col = self.spec.categories.iter().position(|c| c == e.category);
        state.observe(e, col, self.mean_log_price.get(e.category).copied(), self.decay());
    }
}

/// ln 2 / half-life, per second (half-life at least 0.1 day).
pub fn decay_per_second(half_life_days: f64) -> f64 {
    std::f64::consts::LN_2 / (half_life_days.max(0.1) * 86_400.0)
}

/// One behaviour event as features see it.
#[derive(Debug, Clone, Copy)]
pub struct LiveEvent<'a> {
    pub ts: i64,
    pub kind: EventKind,
    pub category: &'a str,
    pub price_cents: i64,
    pub session: &'a str,
    pub brand: &'a str,
}

/// Running aggregates of one user. Affinity is kept as Σ weight·e^{decay·(ts − ref)} with a
/// per-user reference time, so adding an event never rescales the others; shares are
/// normalised when read, which cancels the reference.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserState {
    views: f64,
    carts: f64,
    favs: f64,
    purchases: f64,
    spend_cents: f64,
    price_rel_sum: f64,
    /// ln price ratio sum and count over priced events other than views (the price index of
    /// users who never viewed, e.g. order-line files).
    other_rel_sum: f64,
    other_priced: f64,
    last_ts: Option<i64>,
    ref_ts: Option<i64>,
    affinity: Vec<f64>,
    sessions: HashSet<String>,
    brands: HashMap<String, u32>,
    day_parts: [f64; 4],
    weekend: f64,
}

impl UserState {
    /// An empty state over `categories` affinity columns.
    pub fn new(categories: usize) -> Self {
        UserState { affinity: vec![0.0; categories], ..Default::default() }
    }

    /// Fold in one event: `col` is its category's column (if any), `mean_log_price` that
    /// category's mean ln price.
    pub fn observe(&mut self, e: &LiveEvent, col: Option<usize>, mean_log_price: Option<f64>, decay: f64) {
        if !e.brand.is_empty() {
            *self.brands.entry(e.brand.to_string()).or_default() += 1;
        }
        self.day_parts[(e.ts.rem_euclid(86_400) / 21_600) as usize] += 1.0;
        // 1970-01-01 was a Thursday: days 2 and 3 after it are Saturday and Sunday.
        if matches!(e.ts.div_euclid(86_400).rem_euclid(7), 2 | 3) {
            self.weekend += 1.0;
        }
        let weight = match e.kind {
            EventKind::Purchase => 4.0,
            EventKind::Cart => 2.0,
            EventKind::Fav => 1.5,
            _ => 1.0,
        };
        let reference = *self.ref_ts.get_or_insert(e.ts);
        if let Some(c) = col {
            self.affinity[c] += weight * (decay * (e.ts - reference) as f64).exp();
        }
        match e.kind {
            EventKind::View => {
                self.views += 1.0;
                self.price_rel_sum += (e.price_cents.max(1) as f64).ln() - mean_log_price.unwrap_or(0.0);
            }
            EventKind::Cart => self.carts += 1.0,
            EventKind::Fav => self.favs += 1.0,
            EventKind::Purchase => {
                self.purchases += 1.0;
                self.spend_cents += e.price_cents as f64;
            }
            EventKind::Other => {}
        }
        if e.kind != EventKind::View && e.price_cents > 0 {
            self.other_rel_sum += (e.price_cents as f64).ln() - mean_log_price.unwrap_or(0.0);
            self.other_priced += 1.0;
        }
        self.last_ts = Some(self.last_ts.map_or(e.ts, |t| t.max(e.ts)));
        if !e.session.is_empty() && !self.sessions.contains(e.session) {
            self.sessions.insert(e.session.to_string());
        }
    }

    /// The user's stats as of `now` (recency measured from it).
    pub fn stats(&self, now: i64) -> UserStats {
        let mut s = UserStats {
            views: self.views,
            carts: self.carts,
            favs: self.favs,
            purchases: self.purchases,
            spend_cents: self.spend_cents,
            price_index: if self.views > 0.0 {
                self.price_rel_sum / self.views
            } else if self.other_priced > 0.0 {
                self.other_rel_sum / self.other_priced
            } else {
                0.0
            },
            recency_days: self.last_ts.map_or(0.0, |t| (now - t) as f64 / 86_400.0),
            sessions: self.sessions.len().max(1) as f64,
            affinity: self.affinity.clone(),
            ..Default::default()
        };
        let total: f64 = s.affinity.iter().sum();
        if total > 0.0 {
            s.affinity.iter_mut().for_each(|a| *a /= total);
        }
        let events: f64 = self.day_parts.iter().sum();
        if events > 0.0 {
            s.day_parts = self.day_parts.map(|d| d / events);
            s.weekend = self.weekend / events;
            s.brand_loyalty = self.brands.values().copied().max().unwrap_or(0) as f64 / events;
        }
        s
    }
}

/// The unstandardised feature row of `s`, in [`super::TAIL_COLUMNS`] order after the
/// affinity columns. Affinity weighs double: it is what segments are about.
pub fn raw_row(s: &UserStats) -> Vec<f64> {
    let v = s.views.max(1.0);
    let mut row: Vec<f64> = s.affinity.iter().map(|a| a * 2.0).collect();
    row.extend_from_slice(&[
        s.views.ln_1p(),
        s.carts.ln_1p(),
        s.purchases.ln_1p(),
        s.carts / v,
        s.purchases / v,
        s.price_index,
        s.recency_days,
        s.sessions.ln_1p(),
        (s.spend_cents / 100.0).ln_1p(),
        s.brand_loyalty,
        s.day_parts[0],
        s.day_parts[1],
        s.day_parts[2],
        s.day_parts[3],
        s.weekend,
    ]);
    row
}
