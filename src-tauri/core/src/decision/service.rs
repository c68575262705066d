//! The [`Decider`]: rank, activate, reward, with the bookkeeping that makes every reward count
//! exactly once.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::time::{Duration, Instant};

use super::api::{Creative, RankRequest, RankResponse, Refusals, SegmentRef, VariantStats};
use super::arms::{self, Arms};
use super::log::{self, ActionFeatures, Decision, LogWriter};
use super::pending::{Book, Expired};
use super::policy::{Allocator, Context, Learnt};
use super::stats::{self, Cell, CellKey, LiveStats};
use super::{DecisionError, ValidDecisionParams};
use crate::features::user::UserState;
use crate::placements;
use crate::segments::realtime::Assigner;
use crate::store::{now_text, Project};

mod shopper;
use shopper::replay;

/// A ranked event awaiting activation or reward.
pub struct Pending {
    ctx: Context,
    variant_id: i64,
    at: Instant,
    deferred: bool,
    activated: bool,
    rewarded: bool,
    simulated: bool,
}

/// The decision service's state over one project and campaign.
pub struct Decider {
    params: ValidDecisionParams,
    project: Project,
    assigner: Assigner,
    data_end: i64,
    products: HashMap<String, (String, String, i64)>,
    users: HashMap<String, UserState>,
    pseudonym_key: Option<[u8; 32]>,
    arms: Arms,
    alloc: Allocator,
    /// The policy of replayed simulated traffic: a copy of the real one made at the first
    /// simulated rank, so a replay never changes what was learnt from real shoppers.
    sim_alloc: Option<Allocator>,
    pending: Book<Pending>,
    log: Option<LogWriter>,
    seq: u64,
    cells: BTreeMap<CellKey, Cell>,
    segment_names: HashMap<i64, (String, String)>,
    refusals: Refusals,
    /// The store's `PRAGMA data_version` at the last reload check.
    data_version: Option<i64>,
}

impl Decider {
    /// Start serving campaign `params.campaign_id` of `project`, continuing from `learnt` (a
    /// checkpoint) and logging to `log_dir` when given.
    ///
    /// Errors: no segment model (`NoModel`), a cold-start segment not in it (`InvalidParams`),
    /// campaign not found, store, log folder not writable.
    pub fn new(project: Project, params: ValidDecisionParams, learnt: Learnt, log_dir: Option<&Path>) -> Result<Decider, DecisionError> {
        let assigner = Assigner::load(&project)?.ok_or(DecisionError::NoModel)?;
        if let Some(s) = params.cold_start_segment.filter(|s| !assigner.segments().iter().any(|(id, ..)| id == s)) {
            let ids: Vec<String> = assigner.segments().iter().map(|(id, ..)| id.to_string()).collect();
            return Err(DecisionError::InvalidParams(format!("cold_start_segment: {s} is not a segment of the current model (its segments: {})", ids.join(", "))));
        }
        let arms = arms::load(&project, params.campaign_id)?;
        let data_end: i64 = project.conn().query_row("SELECT COALESCE(max(ts), 0) FROM events", [], |r| r.get(0))?;
        let products = project
            .conn()
            .prepare("SELECT id, category, brand, price_cents FROM products")?
            .query_map([], |r| Ok((r.get::<_, String>(0)?, (r.get(1)?, r.get(2)?, r.get(3)?))))?
            .collect::<Result<_, _>>()?;
        let log = log_dir.map(|d| LogWriter::open(d, params.rotate_bytes)).transpose()?;
        let pending = Book::new(Duration::from_secs(params.reward_window_secs));
        let alloc = Allocator::new(params.min_propensity, learnt, params.seed);
        let users = replay(&project, &assigner)?;
        let pseudonym_key = project
            .conn()
            .query_row("SELECT value FROM project_meta WHERE key = 'pseudonym_key'", [], |r| r.get::<_, String>(0))
            .ok()
            .and_then(|h| hex::decode(h).ok())
            .and_then(|k| <[u8; 32]>::try_from(k.as_slice()).ok());
        let segment_names = project.conn().prepare("SELECT id, name_en, name_zh FROM segments")?.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?.collect::<Result<_, _>>()?;
        Ok(Decider {
            params,
            project,
            assigner,
            data_end,
            products,
            users,
            pseudonym_key,
            arms,
            alloc,
            sim_alloc: None,
            pending,
            log,
            seq: 0,
            cells: BTreeMap::new(),
            segment_names,
            refusals: Refusals::default(),
            data_version: None,
        })
    }

    /// The servable arms now.
    pub fn arms(&self) -> &Arms {
        &self.arms
    }

    /// The project (for reading creatives).
    pub fn project(&self) -> &Project {
        &self.project
    }

    /// What a checkpoint keeps.
    pub fn learnt(&self) -> &Learnt {
        self.alloc.learnt()
    }

    /// What the demo storefront page offers: up to 50 shoppers of the project (in id order),
    /// the campaign's languages and first placement, and up to 12 product names.
    pub fn storefront(&self) -> Result<super::Storefront, DecisionError> {
        let conn = self.project.conn();
        let users = conn.prepare("SELECT DISTINCT user_id FROM user_segments ORDER BY user_id LIMIT 50")?.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        let products = conn.prepare("SELECT name_en FROM products ORDER BY id LIMIT 12")?.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        let c = self.arms.campaign.as_ref().ok_or(DecisionError::NoModel)?;
        Ok(super::Storefront { users, products, languages: c.languages.clone(), placement: c.placements.first().cloned().unwrap_or_default() })
    }

    /// Real traffic per variant id since start (simulated traffic left out).
    pub fn stats(&self) -> BTreeMap<i64, VariantStats> {
        let mut out: BTreeMap<i64, VariantStats> = BTreeMap::new();
        for ((_, _, v), c) in self.cells.iter().filter(|((sim, _, _), _)| !sim) {
            let s = out.entry(*v).or_default();
            s.impressions += c.impressions;
            s.rewards += c.clicks;
            s.reward_value += c.reward_value;
        }
        out
    }

    /// Real and simulated traffic per segment × variant ([`stats::build`]).
    pub fn live_stats(&self) -> LiveStats {
        let arms: Vec<stats::ArmRef<'_>> = self.arms.arms.iter().map(|a| (a.variant_id, a.segment_id, a.key.as_str(), a.headline.as_str(), a.lang.as_str())).collect();
        let learnt = self.alloc.learnt().counts.values().flat_map(|m| m.values()).map(|c| c.clicks + c.misses).sum();
        stats::build(self.params.campaign_id, &self.cells, &arms, &self.segment_names, learnt, self.refusals)
    }

    /// The allocator of real (`false`) or simulated traffic.
    fn allocator(&mut self, simulated: bool) -> &mut Allocator {
        allocator_of(&mut self.alloc, &mut self.sim_alloc, &self.params, simulated)
    }

    fn cell(&mut self, simulated: bool, segment: i64, variant: i64) -> &mut Cell {
        let arm = self.arms.get(variant);
        self.cells
            .entry((simulated, segment, variant))
            .or_insert_with(|| arm.map_or_else(Cell::default, |a| Cell { key: a.key.clone(), headline: a.headline.clone(), lang: a.lang.clone(), ..Default::default() }))
    }

    /// Refused calls since start.
    pub fn refusals(&self) -> Refusals {
        self.refusals
    }

    /// Re-read the approved arms when the store changed (a new approval, a withdrawal, an edit
    /// that made an approval stale). `true` when the arm set was reloaded.
    ///
    /// SQLite's `data_version` (which changes only when another connection commits) is read
    /// first, so the fingerprint query runs only after a write, not twice a second under the
    /// service's lock.
    pub fn reload_if_changed(&mut self) -> Result<bool, DecisionError> {
        let version: i64 = self.project.conn().query_row("PRAGMA data_version", [], |r| r.get(0))?;
        if self.data_version.replace(version) == Some(version) {
            return Ok(false);
        }
        if arms::fingerprint(&self.project, self.params.campaign_id)? == self.arms.fingerprint {
            return Ok(false);
        }
        self.arms = arms::load(&self.project, self.params.campaign_id)?;
        Ok(true)
    }

    /// Choose a creative for one shopper (see the module docs of [`super::policy`]).
    ///
    /// Errors: `BadRequest` naming the field; `DuplicateEvent`; `NothingToServe`; log I/O.
    pub fn rank(&mut self, req: &RankRequest, simulated: bool) -> Result<RankResponse, DecisionError> {
        let bad = |field: &'static str, reason: String| DecisionError::BadRequest { field, reason };
        {
            let campaign = self.arms.campaign.as_ref().ok_or(DecisionError::NoModel)?;
            if req.user_id.is_empty() || req.user_id.len() > 256 {
                return Err(bad("user_id", "must be 1–256 bytes".into()));
            }
            if !campaign.placements.contains(&req.placement) {
                return Err(bad("placement", format!("{:?} is not a placement of this campaign ({})", req.placement, campaign.placements.join(", "))));
            }
            if !campaign.languages.contains(&req.lang) {
                return Err(bad("lang", format!("{:?} is not a language of this campaign ({})", req.lang, campaign.languages.join(", "))));
            }
        }
        let placement = placements::by_id(&req.placement).ok_or_else(|| bad("placement", "unknown placement".into()))?;
        let event_id = match &req.event_id {
            Some(id) if id.is_empty() || id.len() > 64 || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') => {
                return Err(bad("event_id", "must be 1–64 of A–Z a–z 0–9 _ -".into()));
            }
            Some(id) if self.pending.contains(id) => return Err(DecisionError::DuplicateEvent(id.clone())),
            Some(id) => id.clone(),
            None => self.next_event_id(),
        };
        let (seg_id, seg_name, cold, interests) = self.assign(req)?;
        // Offered arms borrowed from the snapshot (once: the choice and the log line read the
        // same list), the line written straight into the log's buffer: nothing on the rank
        // path is copied for the log.
        let offered = self.arms.for_context(seg_id, &req.lang);
        if offered.is_empty() {
            let campaign = self.arms.campaign.as_ref().map_or(0, |c| c.id);
            return Err(DecisionError::NothingToServe { campaign, lang: req.lang.clone() });
        }
        let ids: Vec<i64> = offered.iter().map(|a| a.variant_id).collect();
        let ctx: Context = (seg_id, req.lang.clone());
        let (i, p) = allocator_of(&mut self.alloc, &mut self.sim_alloc, &self.params, simulated).choose(&ctx, &ids);
        let timestamp = now_text();
        if let Some(log) = &mut self.log {
            let actions: Vec<ActionFeatures> = offered.iter().map(|a| ActionFeatures { variant_id: a.variant_id, key: &a.key, angle: &a.angle }).collect();
            let decision = Decision {
                event_id: &event_id,
                timestamp: &timestamp,
                segment_id: seg_id,
                interests: &interests,
                placement: &req.placement,
                lang: &req.lang,
                actions: &actions,
                chosen: i,
                p: &p,
                deferred: req.deferred,
                simulated,
            };
            log.append_with(|out| log::write_decision_line(out, &decision, 0.0))?;
        }
        let variant_id = ids[i];
        if !req.deferred {
            self.allocator(simulated).update(&ctx, variant_id, false);
            self.cell(simulated, seg_id, variant_id).impressions += 1;
        }
        let at = Instant::now();
        self.pending.insert(event_id.clone(), Pending { ctx, variant_id, at, deferred: req.deferred, activated: false, rewarded: false, simulated }, at);
        let arm = self.arms.get(variant_id).expect("an offered arm");
        let file = arm.files.get(&req.placement).map_or("", String::as_str);
        Ok(RankResponse {
            event_id,
            variant_id,
            variant_key: arm.key.clone(),
            segment: SegmentRef { id: seg_id, name: seg_name, cold_start: cold },
            interests,
            probability: p[i],
            creative: Creative {
                image_url: format!("/v1/creatives/{file}"),
                width: placement.width,
                height: placement.height,
                headline: arm.headline.clone(),
                description: arm.description.clone(),
                cta: arm.cta.clone(),
                final_url: arm.final_url.clone(),
            },
        })
    }

    /// Mark a deferred rank as shown. Activating twice is harmless (idempotent).
    ///
    /// Errors: `UnknownEvent`, `Expired`, log I/O.
    pub fn activate(&mut self, event_id: &str) -> Result<(), DecisionError> {
        let window = self.window();
        let p = self.live(event_id, window)?;
        if !p.deferred || p.activated {
            return Ok(());
        }
        p.activated = true;
        let (ctx, v, sim) = (p.ctx.clone(), p.variant_id, p.simulated);
        self.allocator(sim).update(&ctx, v, false);
        self.cell(sim, ctx.0, v).impressions += 1;
        if let Some(log) = &mut self.log {
            log.append(&log::activation_line(event_id, &now_text()))?;
        }
        Ok(())
    }

    /// Record the reward of an event (`value` > 0 counts as a click for the policy).
    ///
    /// Errors: `BadRequest` (value not finite or negative), `UnknownEvent`, `Expired`,
    /// `AlreadyRewarded`, `NotActivated`, log I/O — each refusal counted.
    pub fn reward(&mut self, event_id: &str, value: f64) -> Result<(), DecisionError> {
        if !value.is_finite() || !(0.0..=1e9).contains(&value) {
            return Err(DecisionError::BadRequest { field: "value", reason: format!("must be a number from 0 to 1e9, got {value}") });
        }
        let window = self.window();
        let p = self.live(event_id, window)?;
        if p.rewarded {
            self.refusals.duplicate_reward += 1;
            return Err(DecisionError::AlreadyRewarded(event_id.to_string()));
        }
        if p.deferred && !p.activated {
            return Err(DecisionError::NotActivated(event_id.to_string()));
        }
        p.rewarded = true;
        let (ctx, v, sim) = (p.ctx.clone(), p.variant_id, p.simulated);
        if value > 0.0 {
            self.allocator(sim).reward(&ctx, v);
        }
        let s = self.cell(sim, ctx.0, v);
        s.clicks += u64::from(value > 0.0);
        s.reward_value += value;
        if let Some(log) = &mut self.log {
            log.append(&log::reward_line(event_id, value, &now_text()))?;
        }
        Ok(())
    }

    /// Forget events whose reward window has passed (their reward is refused as `Expired`), a
    /// whole generation at a time (see [`pending`](super::pending)). Drop the result after
    /// releasing the lock around the decider: freeing the events is then off the rank path.
    pub fn expire(&mut self) -> Expired<Pending> {
        self.pending.expire(Instant::now())
    }

    /// Hand buffered log lines to the OS (the flusher calls this every [`log::FLUSH_EVERY`]).
    pub fn flush(&mut self) -> Result<(), DecisionError> {
        self.log.as_mut().map_or(Ok(()), LogWriter::flush)
    }

    /// Flush and fsync the log (a clean stop).
    pub fn sync(&mut self) -> Result<(), DecisionError> {
        self.log.as_mut().map_or(Ok(()), LogWriter::sync)
    }

    fn window(&self) -> Duration {
        Duration::from_secs(self.params.reward_window_secs)
    }

    fn live(&mut self, event_id: &str, window: Duration) -> Result<&mut Pending, DecisionError> {
        match self.pending.get(event_id).map(|p| p.at.elapsed() < window) {
            None => {
                let ours_expired = parse_event_time(event_id).is_some_and(|t| t + window.as_millis() as u64 <= unix_millis());
                if ours_expired {
                    self.refusals.expired += 1;
                    Err(DecisionError::Expired { id: event_id.to_string(), window_secs: window.as_secs() })
                } else {
                    self.refusals.unknown_event += 1;
                    Err(DecisionError::UnknownEvent(event_id.to_string()))
                }
            }
            Some(false) => {
                self.pending.remove(event_id);
                self.refusals.expired += 1;
                Err(DecisionError::Expired { id: event_id.to_string(), window_secs: window.as_secs() })
            }
            Some(true) => Ok(self.pending.get_mut(event_id).expect("checked above")),
        }
    }

    /// `e<unix ms, hex>-<sequence, hex>`: unique within a service, and its age is readable.
    fn next_event_id(&mut self) -> String {
        self.seq += 1;
        format!("e{:x}-{:x}", unix_millis(), self.seq)
    }
}

/// The allocator of real (`false`) or simulated traffic, over the decider's fields so that a
/// caller can hold a borrow of its arms meanwhile. The simulated one starts from a copy of the
/// real counts at its first use, so replayed traffic never changes what real shoppers taught.
fn allocator_of<'a>(alloc: &'a mut Allocator, sim: &'a mut Option<Allocator>, params: &ValidDecisionParams, simulated: bool) -> &'a mut Allocator {
    if !simulated {
        return alloc;
    }
    sim.get_or_insert_with(|| Allocator::new(params.min_propensity, alloc.learnt().clone(), params.seed ^ 0x5157))
}

fn unix_millis() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

fn parse_event_time(id: &str) -> Option<u64> {
    let (t, _) = id.strip_prefix('e')?.split_once('-')?;
    u64::from_str_radix(t, 16).ok()
}
