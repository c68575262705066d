//! Evaluation policies: probabilities π(a | position), the same for every logged row (obp's
//! `action_dist[i, a, k]` with no dependence on `i`).
//!
//! Three sources, chosen with `--policy`:
//! - `uniform`: π(a | k) = 1 / n_items for every item and position.
//! - `best-item`: at each position, all mass on the item with the largest reward-model value
//!   q̂(a, k) (ties → smallest item id; see [`RewardModel::best_item`]). Deterministic: the
//!   greedy policy a studio would deploy from these logs.
//! - a CSV file `item_id,position,probability` (header required, columns in any order), with
//!   positions numbered as in the logs (1..3 for the OBD samples). Items must occur in the
//!   logs' range 0..n_items, positions in the logs' range; probabilities in [0, 1]; no (item,
//!   position) twice; each position's probabilities must sum to 1 within 1e-9. Unlisted items
//!   get probability 0.

use std::path::{Path, PathBuf};

use csv::{ByteRecord, ReaderBuilder};

use super::logs::{csv_error, find_columns, parse_f64, parse_int, shown};
use super::{Logs, OpeError, RewardModel};

/// Tolerance on each position's probability sum.
pub const SUM_TOLERANCE: f64 = 1e-9;

/// What `--policy` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicySpec {
    Uniform,
    BestItem,
    File(PathBuf),
}

impl PolicySpec {
    /// `uniform`, `best-item`, or else a file path.
    pub fn parse(s: &str) -> PolicySpec {
        match s {
            "uniform" => PolicySpec::Uniform,
            "best-item" => PolicySpec::BestItem,
            path => PolicySpec::File(PathBuf::from(path)),
        }
    }
}

/// π(a | k) for every item and 0-based position.
#[derive(Debug, Clone, PartialEq)]
pub struct EvalPolicy {
    name: String,
    n_items: usize,
    n_positions: usize,
    /// Position-major: `prob[k * n_items + a]`.
    prob: Vec<f64>,
}

impl EvalPolicy {
    /// Build the policy `spec` names for these logs (the model is used by `best-item`).
    pub fn resolve(spec: &PolicySpec, logs: &Logs, model: &RewardModel) -> Result<EvalPolicy, OpeError> {
        match spec {
            PolicySpec::Uniform => Ok(EvalPolicy::uniform(logs.n_items(), logs.n_positions())),
            PolicySpec::BestItem => Ok(EvalPolicy::best_item(model)),
            PolicySpec::File(path) => EvalPolicy::read(path, logs),
        }
    }

    /// Every item equally likely at every position.
    pub fn uniform(n_items: usize, n_positions: usize) -> EvalPolicy {
        let p = 1.0 / n_items as f64;
        EvalPolicy { name: "uniform".into(), n_items, n_positions, prob: vec![p; n_items * n_positions] }
    }

    /// Probability 1 on the reward model's best item at each position.
    pub fn best_item(model: &RewardModel) -> EvalPolicy {
        let (n_items, n_positions) = (model.n_items(), model.n_positions());
        let mut prob = vec![0.0; n_items * n_positions];
        for k in 0..n_positions {
            prob[k * n_items + model.best_item(k)] = 1.0;
        }
        EvalPolicy { name: "best-item".into(), n_items, n_positions, prob }
    }

    /// A policy from a full table `prob[k * n_items + a]`, validated like a policy file.
    pub fn from_table(name: &str, n_items: usize, n_positions: usize, prob: Vec<f64>) -> Result<EvalPolicy, OpeError> {
        let bad = |reason: String| OpeError::BadFile { path: name.into(), reason };
        if n_items == 0 || n_positions == 0 || prob.len() != n_items * n_positions {
            return Err(bad(format!("a table of {n_items} items × {n_positions} positions needs {} probabilities, got {}", n_items * n_positions, prob.len())));
        }
        if let Some(p) = prob.iter().find(|p| !(0.0..=1.0).contains(*p)) {
            return Err(bad(format!("{p} is not a probability in [0, 1]")));
        }
        for k in 0..n_positions {
            let sum: f64 = prob[k * n_items..(k + 1) * n_items].iter().sum();
            if (sum - 1.0).abs() > SUM_TOLERANCE {
                return Err(bad(format!("the probabilities of position {k} sum to {sum}, not 1")));
            }
        }
        Ok(EvalPolicy { name: name.into(), n_items, n_positions, prob })
    }

    /// Read a policy CSV for `logs` (see the module docs for the rules).
    pub fn read(path: &Path, logs: &Logs) -> Result<EvalPolicy, OpeError> {
        let name = path.display().to_string();
        let (file, _) = crate::input::open_regular(path).map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => OpeError::PolicyNotFound { path: name.clone() },
            _ => OpeError::Read { path: name.clone(), source },
        })?;
        // A line over the limit becomes a one-field marker line: refused below as a row
        // with the wrong number of fields, without the line ever being held.
        let (limited, _marks) = crate::input::lines::LineLimit::new(std::io::BufReader::new(file), super::logs::MAX_LINE_BYTES);
        let mut rdr = ReaderBuilder::new().has_headers(true).from_reader(limited);
        let header = rdr.byte_headers().map_err(|e| csv_error(&name, e))?.clone();
        let [ci, cp, cq] = find_columns(&name, &header, ["item_id", "position", "probability"])?;
        let (n_items, n_positions, base) = (logs.n_items(), logs.n_positions(), logs.position_base());
        let mut prob = vec![0.0; n_items * n_positions];
        // Line of the (item, position) entry, to report duplicates; 0 = not given.
        let mut given = vec![0u64; n_items * n_positions];
        // Per position: running sum, first and last line.
        let mut sums = vec![(0.0f64, 0u64, 0u64); n_positions];
        let mut record = ByteRecord::new();
        while rdr.read_byte_record(&mut record).map_err(|e| csv_error(&name, e))? {
            let line = record.position().map_or(0, |p| p.line());
            let bad = |column, reason: String| OpeError::BadValue { path: name.clone(), line, column, reason };
            let field = |i: usize| record.get(i).unwrap_or(b"");
            let item = parse_int(field(ci)).ok_or_else(|| bad("item_id", format!("{} is not an item id", shown(field(ci)))))? as usize;
            if item >= n_items {
                return Err(bad("item_id", format!("item {item} is not in the logs {} (items 0..{})", logs.path(), n_items - 1)));
            }
            let pos = parse_int(field(cp)).ok_or_else(|| bad("position", format!("{} is not a position", shown(field(cp)))))?;
            let last = base + n_positions as u32 - 1;
            if pos < base || pos > last {
                return Err(bad("position", format!("position {pos} is not in the logs {} (positions {base}..{last})", logs.path())));
            }
            let p = parse_f64(field(cq)).ok_or_else(|| bad("probability", format!("{} is not a number", shown(field(cq)))))?;
            if !(0.0..=1.0).contains(&p) {
                return Err(bad("probability", format!("{p} is not a probability in [0, 1]")));
            }
            let k = (pos - base) as usize;
            let cell = k * n_items + item;
            if given[cell] != 0 {
                return Err(bad("item_id", format!("item {item} at position {pos} was already given on line {}", given[cell])));
            }
            given[cell] = line;
            prob[cell] = p;
            let s = &mut sums[k];
            *s = (s.0 + p, if s.1 == 0 { line } else { s.1 }, line);
        }
        for (k, &(sum, first, last)) in sums.iter().enumerate() {
            let pos = k as u32 + base;
            if first == 0 {
                return Err(OpeError::BadFile { path: name, reason: format!("no probabilities for position {pos}: every logged position needs a distribution over items") });
            }
            if (sum - 1.0).abs() > SUM_TOLERANCE {
                return Err(OpeError::BadValue {
                    path: name,
                    line: last,
                    column: "probability",
                    reason: format!("the probabilities of position {pos} (lines {first}–{last}) sum to {sum}, not 1 (tolerance {SUM_TOLERANCE:e})"),
                });
            }
        }
        Ok(EvalPolicy { name, n_items, n_positions, prob })
    }

    /// `uniform`, `best-item` or the file it was read from.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// π(item | position), position 0-based.
    #[inline]
    pub fn prob(&self, item: usize, position: usize) -> f64 {
        self.prob[position * self.n_items + item]
    }

    /// π(· | position) over all items.
    pub fn at_position(&self, position: usize) -> &[f64] {
        &self.prob[position * self.n_items..(position + 1) * self.n_items]
    }

    pub fn n_items(&self) -> usize {
        self.n_items
    }

    pub fn n_positions(&self) -> usize {
        self.n_positions
    }
}
