//! Aggregates of a run over time, for charts: cumulative counts at evenly spaced impressions.

use serde::{Deserialize, Serialize};

/// Impressions and clicks of one segment × arm.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cell {
    pub impressions: u64,
    pub clicks: u64,
}

/// The most chart points a run records (plus the point at 0).
pub const MAX_POINTS: u64 = 128;

/// Cumulative aggregates after `impressions` impressions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub impressions: u64,
    /// The learning policy's counts, row-major `[segment × arm]`.
    pub cells: Vec<Cell>,
    /// Clicks of the paired uniform split, per segment.
    pub uniform_clicks: Vec<u64>,
    /// Cumulative expected regret of the policy, per segment (see [`super::Run`]).
    pub regret: Vec<f64>,
    /// Cumulative expected regret of the uniform split, per segment.
    pub uniform_regret: Vec<f64>,
}

impl Point {
    /// Counts of every arm in `segment` (`None`: summed over segments).
    pub fn arm_cells(&self, arms: usize, segment: Option<usize>) -> Vec<Cell> {
        let mut out = vec![Cell::default(); arms];
        for (i, c) in self.cells.iter().enumerate() {
            if segment.is_none_or(|s| i / arms == s) {
                out[i % arms].impressions += c.impressions;
                out[i % arms].clicks += c.clicks;
            }
        }
        out
    }

    /// (policy clicks, uniform clicks, policy regret, uniform regret) in `segment` (`None`: all).
    pub fn totals(&self, arms: usize, segment: Option<usize>) -> (u64, u64, f64, f64) {
        let pick = |s: usize| segment.is_none_or(|x| x == s);
        let clicks = self.cells.iter().enumerate().filter(|(i, _)| pick(i / arms)).map(|(_, c)| c.clicks).sum();
        let uniform = self.uniform_clicks.iter().enumerate().filter(|(s, _)| pick(*s)).map(|(_, c)| c).sum();
        let regret = self.regret.iter().enumerate().filter(|(s, _)| pick(*s)).map(|(_, r)| r).sum();
        let uregret = self.uniform_regret.iter().enumerate().filter(|(s, _)| pick(*s)).map(|(_, r)| r).sum();
        (clicks, uniform, regret, uregret)
    }
}

/// Points at every multiple of `every` impressions (`every` = ⌈planned / [`MAX_POINTS`]⌉),
/// starting with the point at 0. Chunk boundaries never matter: points are taken exactly at
/// the multiples.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct History {
    pub every: u64,
    pub points: Vec<Point>,
}

impl History {
    /// The empty history of a run of `planned` impressions over `segments` × `arms`.
    pub fn new(planned: u64, segments: usize, arms: usize) -> History {
        let zero = Point { impressions: 0, cells: vec![Cell::default(); segments * arms], uniform_clicks: vec![0; segments], regret: vec![0.0; segments], uniform_regret: vec![0.0; segments] };
        History { every: planned.div_ceil(MAX_POINTS).max(1), points: vec![zero] }
    }

    /// The next impression count at which a point is due.
    pub fn next_due(&self) -> u64 {
        self.points.last().map_or(0, |p| p.impressions) + self.every
    }
}
