//! What the acting profile may do, for a window that disables what it may not (with the reason)
//! instead of letting a role start what the core will refuse.
//!
//! Nothing here decides anything new: [`permissions`] asks [`authorize`] (the role matrix
//! [`super::allowed`] plus the active flag) for every [`Action`], and [`approval_check`] runs
//! the checks of [`super::workflow::approve`] that do not write (role, state, four eyes) and
//! reports the compliance gate. A refusal carries the same code, English message and message
//! key as the error the entry point would return. The entry points still check everything
//! themselves: a permission is a hint for the window, never a grant.

use serde::Serialize;

use super::roles::{authorize, Action, Actor};
use super::{blocking, four_eyes, ReviewError, ReviewState};
use crate::campaign;
use crate::error::{ErrorCode, HasCode, Keyed};
use crate::store::Project;

/// Why something is refused: the error the core would return, as the window shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Refusal {
    pub code: ErrorCode,
    /// English, for the CLI and logs.
    pub message: String,
    /// The message key and parameters, for the window's language (`None` for the rare error
    /// that has no key yet; the window then shows `message`).
    pub keyed: Option<Keyed>,
}

impl Refusal {
    /// The refusal describing `e`.
    pub fn of<E: HasCode>(e: &E) -> Refusal {
        Refusal { code: e.code(), message: e.to_string(), keyed: e.keyed() }
    }

    /// Nobody is signed in (the shell's refusal for every gated command).
    pub fn no_profile() -> Refusal {
        Refusal { code: ErrorCode::Forbidden, message: NO_PROFILE.to_string(), keyed: Some(Keyed::new(NO_PROFILE_KEY, [])) }
    }
}

/// The English message when nobody is signed in.
pub const NO_PROFILE: &str = "choose who you are (a profile) before changing anything";
/// Its message key.
pub const NO_PROFILE_KEY: &str = "err.no_profile";

/// May the acting profile take one action?
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Permission {
    pub action: Action,
    pub allowed: bool,
    /// Why not (`None` when allowed).
    pub reason: Option<Refusal>,
}

/// Every [`Action`] for `actor` (`None`: nobody signed in, everything refused with
/// [`Refusal::no_profile`]), in [`Action::ALL`] order. Errors: store errors only (a refusal is
/// an answer, not an error).
pub fn permissions(project: &Project, actor: Option<&Actor>) -> Result<Vec<Permission>, ReviewError> {
    Action::ALL
        .into_iter()
        .map(|action| {
            let Some(actor) = actor else {
                return Ok(Permission { action, allowed: false, reason: Some(Refusal::no_profile()) });
            };
            match authorize(project, actor, action) {
                Ok(_) => Ok(Permission { action, allowed: true, reason: None }),
                Err(e @ ReviewError::Store(_)) => Err(e),
                Err(e) => Ok(Permission { action, allowed: false, reason: Some(Refusal::of(&e)) }),
            }
        })
        .collect()
}

/// May `actor` approve variant `id` now, and does it need an override reason?
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ApprovalCheck {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub variant_id: i64,
    /// Role, state and four eyes allow it (the compliance gate aside).
    pub allowed: bool,
    /// Why not, when not allowed.
    pub reason: Option<Refusal>,
    /// An error-severity finding closes the gate: approval needs a written override reason.
    pub needs_override: bool,
}

/// The checks [`super::workflow::approve`] makes before it writes, in its order: the role
/// (and active profile), the variant exists and is `in_review`, and `actor` is not an author of
/// its current content ([`four_eyes`]). `needs_override` reports the compliance gate.
///
/// Errors: store errors only; an unknown variant is a refusal (`not_found`).
pub fn approval_check(project: &Project, actor: Option<&Actor>, id: i64) -> Result<ApprovalCheck, ReviewError> {
    let refused = |reason: Refusal, needs_override| Ok(ApprovalCheck { variant_id: id, allowed: false, reason: Some(reason), needs_override });
    let Some(actor) = actor else {
        return refused(Refusal::no_profile(), false);
    };
    let actor = match authorize(project, actor, Action::Approve) {
        Ok(a) => a,
        Err(e @ ReviewError::Store(_)) => return Err(e),
        Err(e) => return refused(Refusal::of(&e), false),
    };
    let Some(v) = campaign::variant(project, id)? else {
        return refused(Refusal::of(&ReviewError::NotFound(id)), false);
    };
    let needs_override = !blocking(project, &v)?.is_empty();
    if v.review_state != ReviewState::InReview {
        let e = ReviewError::BadTransition { id, from: v.review_state, to: ReviewState::Approved, rule: "approval needs in_review: submit it first" };
        return refused(Refusal::of(&e), needs_override);
    }
    match four_eyes::check(project.conn(), &actor, &v) {
        Ok(()) => Ok(ApprovalCheck { variant_id: id, allowed: true, reason: None, needs_override }),
        Err(e @ ReviewError::Store(_)) => Err(e),
        Err(e) => refused(Refusal::of(&e), needs_override),
    }
}
