//! Bulk review: submit every draft of a campaign (or of one segment of it), approve a
//! selection. Each is one function applying exactly the per-variant entry point
//! ([`workflow::submit`], [`workflow::approve`] without an override) to each variant, so the
//! compliance gate and four eyes are checked for every one, and reports one [`BulkOutcome`]
//! per variant.
//!
//! **One transaction per variant, not all-or-nothing.** A bulk action is a shortcut for
//! pressing the button on each variant: a reviewer approving twenty variants wants the
//! eighteen that pass approved and the two that fail the compliance gate (or that they wrote
//! themselves) left in review with the reason, not nothing approved because of two. Each move
//! is atomic with its audit row (see [`workflow`]), so a failure halfway (a full disk) leaves
//! every variant either moved and logged or untouched, and the outcome list says which. The
//! role is checked once up front: a profile that may not take the action at all gets the
//! `forbidden` error, not a list of identical refusals.

use serde::Serialize;

use super::permissions::Refusal;
use super::roles::{authorize, Action, Actor};
use super::workflow::{self, ApprovalParams};
use super::{ReviewError, ReviewState};
use crate::campaign;
use crate::store::Project;

/// What happened to one variant of a bulk action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BulkOutcome {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub variant_id: i64,
    /// Moved (submitted or approved).
    pub done: bool,
    /// The variant's state afterwards (unchanged when refused; `draft` for an unknown id).
    pub state: ReviewState,
    /// Why it was refused (`None` when done).
    pub reason: Option<Refusal>,
}

/// The result of a bulk action: one outcome per variant, in the order acted on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BulkReport {
    pub outcomes: Vec<BulkOutcome>,
    pub done: u32,
    pub refused: u32,
}

impl BulkReport {
    fn of(outcomes: Vec<BulkOutcome>) -> BulkReport {
        let done = outcomes.iter().filter(|o| o.done).count() as u32;
        BulkReport { refused: outcomes.len() as u32 - done, done, outcomes }
    }
}

/// The ids of campaign `campaign_id`'s variants in `states`, optionally of one segment, by id.
/// Errors: `not_found` for an unknown campaign; store.
pub fn variants_in(project: &Project, campaign_id: i64, segment_id: Option<i64>, states: &[ReviewState]) -> Result<Vec<i64>, ReviewError> {
    let all = campaign::variants(project, campaign_id)?;
    Ok(all.into_iter().filter(|v| segment_id.is_none_or(|s| v.segment_id == s) && states.contains(&v.review_state)).map(|v| v.id).collect())
}

/// Submit every draft and every variant with changes requested of campaign `campaign_id`
/// (of one segment when `segment_id` is given) as `actor`, each with [`workflow::submit`].
/// A campaign with nothing to submit gives an empty report.
///
/// Errors: `forbidden` when `actor` may not submit at all; `not_found` for an unknown
/// campaign; store errors. Per-variant refusals are in the report.
pub fn submit_all(project: &mut Project, actor: &Actor, campaign_id: i64, segment_id: Option<i64>) -> Result<BulkReport, ReviewError> {
    let actor = authorize(project, actor, Action::Submit)?;
    let ids = variants_in(project, campaign_id, segment_id, &[ReviewState::Draft, ReviewState::ChangesRequested])?;
    each(project, &ids, |project, id| workflow::submit(project, &actor, id))
}

/// Approve each of `ids` as `actor` with [`workflow::approve`] and no override reason: a
/// variant whose compliance gate is closed is refused (`conflict`, approve it on its own with
/// a written reason), as is one `actor` wrote (four eyes) or one not in review. Duplicate ids
/// are acted on once.
///
/// Errors: `forbidden` when `actor` may not approve at all; store errors. Per-variant
/// refusals are in the report.
pub fn approve_all(project: &mut Project, actor: &Actor, ids: &[i64]) -> Result<BulkReport, ReviewError> {
    let actor = authorize(project, actor, Action::Approve)?;
    let mut unique = Vec::with_capacity(ids.len());
    for id in ids {
        if !unique.contains(id) {
            unique.push(*id);
        }
    }
    each(project, &unique, |project, id| workflow::approve(project, &actor, id, ApprovalParams::default()))
}

/// Run `act` on every id (each in its own transaction, inside `act`); a store error stops the
/// run (the outcomes so far are committed), any other error is that variant's refusal.
fn each(project: &mut Project, ids: &[i64], mut act: impl FnMut(&mut Project, i64) -> Result<campaign::Variant, ReviewError>) -> Result<BulkReport, ReviewError> {
    let mut outcomes = Vec::with_capacity(ids.len());
    for &id in ids {
        let outcome = match act(project, id) {
            Ok(v) => BulkOutcome { variant_id: id, done: true, state: v.review_state, reason: None },
            Err(e @ ReviewError::Store(_)) => return Err(e),
            Err(e) => {
                let state = campaign::variant(project, id)?.map_or(ReviewState::Draft, |v| v.review_state);
                BulkOutcome { variant_id: id, done: false, state, reason: Some(Refusal::of(&e)) }
            }
        };
        outcomes.push(outcome);
    }
    Ok(BulkReport::of(outcomes))
}
