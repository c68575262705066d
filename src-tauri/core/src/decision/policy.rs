//! The live allocation: Thompson sampling per context (segment × language) over the approved
//! variants, with an exploration floor, and an *exact* logged propensity.
//!
//! Thompson sampling picks arm *i* with probability π_i = P(arm i has the highest posterior
//! draw). The service computes π from the simulator's own sampler ([`Thompson`], Beta(1 +
//! clicks, 1 + misses) per arm) with [`PI_DRAWS`] posterior draws, smooths it to (wins + ½) /
//! (draws + K/2), mixes in the floor — p_i = m + (1 − K·m)·π_i with m the minimum propensity —
//! and then draws the shown arm *from p itself*. Choosing from p is Thompson sampling up to the
//! Monte-Carlo error of π (about 1/√[`PI_DRAWS`] ≈ 0.016 absolute at worst), and the logged
//! propensity is exactly the probability with which this arm was drawn. p is recomputed at the
//! first decision after a reward changed the posterior, at most every [`REFRESH`].
//!
//! Counts are kept per (context, variant id), so an approval or withdrawal changes the arm set
//! without losing what was learnt about the other arms.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::DecisionError;

use crate::simulate::policy::{Policy, Thompson, EXACT_BELOW};
use crate::simulate::SimRng;

/// Posterior draws per recomputation of the allocation.
pub const PI_DRAWS: u32 = 4096;
/// Shortest time between two recomputations of one context's allocation.
pub const REFRESH: Duration = Duration::from_millis(50);

/// A context: segment id and language tag.
pub type Context = (i64, String);

/// Clicks and misses of one variant in one context.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub clicks: u64,
    pub misses: u64,
}

/// The learnt state that a checkpoint keeps: counts per context and variant.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Learnt {
    /// `"segment|lang"` → variant id → counts (string keys keep the JSON readable).
    pub counts: BTreeMap<String, BTreeMap<i64, Counts>>,
}

fn key((segment, lang): &Context) -> String {
    format!("{segment}|{lang}")
}

/// One context's current allocation.
struct Slot {
    arms: Vec<i64>,
    p: Vec<f64>,
    dirty: bool,
    at: Option<Instant>,
}

/// Per-context Thompson sampling with an exploration floor (see the module docs).
pub struct Allocator {
    min_propensity: f64,
    learnt: Learnt,
    slots: HashMap<Context, Slot>,
    rng: SimRng,
    pi_rng: SimRng,
}

impl Allocator {
    /// `min_propensity` in (0, 1] (checked by the caller's params); `seed` seeds both streams.
    pub fn new(min_propensity: f64, learnt: Learnt, seed: u64) -> Allocator {
        Allocator { min_propensity, learnt, slots: HashMap::new(), rng: SimRng::new(seed, 11), pi_rng: SimRng::new(seed, 12) }
    }

    /// What a checkpoint keeps.
    pub fn learnt(&self) -> &Learnt {
        &self.learnt
    }

    /// Pick one of `arms` (variant ids, non-empty) for `ctx`: the index into `arms` and the full
    /// distribution it was drawn from (`p[i]` ≥ the floor when K·floor ≤ 1; Σ p = 1).
    pub fn choose(&mut self, ctx: &Context, arms: &[i64]) -> (usize, Vec<f64>) {
        debug_assert!(!arms.is_empty());
        let slot = self.slots.entry(ctx.clone()).or_insert_with(|| Slot { arms: Vec::new(), p: Vec::new(), dirty: true, at: None });
        if slot.arms != arms {
            slot.arms = arms.to_vec();
            slot.dirty = true;
            slot.at = None;
        }
        if slot.dirty && slot.at.is_none_or(|t| t.elapsed() >= REFRESH) {
            let counts = self.learnt.counts.get(&key(ctx));
            let c: Vec<(u64, u64)> = arms.iter().map(|v| counts.and_then(|m| m.get(v)).map_or((0, 0), |c| (c.clicks, c.misses))).collect();
            slot.p = allocation(&c, self.min_propensity, &mut self.pi_rng);
            slot.dirty = false;
            slot.at = Some(Instant::now());
        }
        let u = self.rng.unit();
        let mut acc = 0.0;
        let mut pick = slot.p.len() - 1;
        for (i, p) in slot.p.iter().enumerate() {
            acc += p;
            if u < acc {
                pick = i;
                break;
            }
        }
        (pick, slot.p.clone())
    }

    /// Learn that `variant` shown in `ctx` was clicked (`reward`) or not.
    pub fn update(&mut self, ctx: &Context, variant: i64, reward: bool) {
        let c = self.learnt.counts.entry(key(ctx)).or_default().entry(variant).or_default();
        if reward {
            c.clicks += 1;
        } else {
            c.misses += 1;
        }
        if let Some(s) = self.slots.get_mut(ctx) {
            s.dirty = true;
        }
    }
}

impl Allocator {
    /// Turn one counted miss of `variant` in `ctx` into a click (its reward arrived).
    pub fn reward(&mut self, ctx: &Context, variant: i64) {
        let c = self.learnt.counts.entry(key(ctx)).or_default().entry(variant).or_default();
        c.misses = c.misses.saturating_sub(1);
        c.clicks += 1;
        if let Some(s) = self.slots.get_mut(ctx) {
            s.dirty = true;
        }
    }
}

/// The floor-mixed Thompson allocation of arms with (clicks, misses) `counts`.
pub fn allocation(counts: &[(u64, u64)], min_propensity: f64, rng: &mut SimRng) -> Vec<f64> {
    let k = counts.len();
    let floor = min_propensity.min(1.0 / k as f64);
    let mut t = Thompson::with_counts(counts, EXACT_BELOW, rng.next());
    let mut wins = vec![0u32; k];
    for _ in 0..PI_DRAWS {
        wins[t.choose(0, rng).0] += 1;
    }
    let denom = PI_DRAWS as f64 + 0.5 * k as f64;
    let mut p: Vec<f64> = wins.iter().map(|&w| floor + (1.0 - k as f64 * floor) * (w as f64 + 0.5) / denom).collect();
    let total: f64 = p.iter().sum();
    p.iter_mut().for_each(|x| *x /= total);
    p
}

/// File name of the checkpoint in the log folder.
pub const CHECKPOINT: &str = "policy-checkpoint.json";

/// The learnt counts saved in `dir` (empty when there is no checkpoint yet).
///
/// Errors: `Io` when the file exists but cannot be read; `InvalidParams` when it is not a
/// checkpoint (never silently started over).
pub fn load_checkpoint(dir: &std::path::Path) -> Result<Learnt, DecisionError> {
    let path = dir.join(CHECKPOINT);
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| DecisionError::InvalidParams(format!("{} is not a policy checkpoint: {e}", path.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Learnt::default()),
        Err(source) => Err(DecisionError::Io { path: path.display().to_string(), source }),
    }
}

/// Save `learnt` in `dir` atomically (temporary file, fsync, rename).
pub fn save_checkpoint(dir: &std::path::Path, learnt: &Learnt) -> Result<(), DecisionError> {
    write_checkpoint(dir, &checkpoint_bytes(learnt))
}

/// `learnt` as the checkpoint file holds it: cheap, so a service can take it under its lock
/// and write it (with the fsync) after letting go.
pub fn checkpoint_bytes(learnt: &Learnt) -> Vec<u8> {
    serde_json::to_vec(learnt).expect("counts serialise")
}

/// Write checkpoint `bytes` (from [`checkpoint_bytes`]) in `dir` atomically (temporary file,
/// fsync, rename).
pub fn write_checkpoint(dir: &std::path::Path, bytes: &[u8]) -> Result<(), DecisionError> {
    use std::io::Write;
    let path = dir.join(CHECKPOINT);
    let tmp = dir.join(format!("{CHECKPOINT}.tmp"));
    let io = |source| DecisionError::Io { path: path.display().to_string(), source };
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut f = std::fs::File::create(&tmp).map_err(io)?;
    f.write_all(bytes).and_then(|_| f.sync_all()).map_err(io)?;
    std::fs::rename(&tmp, &path).map_err(io)
}
