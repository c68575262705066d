//! Every message key the core can send to the window, so that a test can hold the window's
//! dictionaries to them (`ui/src/lib/i18n/zh-CN.ts` must have an entry for each).
//!
//! Two kinds: the keys of keyed errors and refusals ([`crate::error::Keyed`], listed in
//! [`ERROR_KEYS`]), and the labels of identifiers the core sends as data and the window names
//! in the user's language: roles, actions, review states, audit actions, compliance rules,
//! error codes and the texts a refusal can be about ([`keys`] enumerates them from the core's
//! own lists, so a new action or audit action without a label fails the test).

use crate::compliance::RULES;
use crate::error::ErrorCode;
use crate::ingest::writer::EventKind;
use crate::review::audit::AuditAction;
use crate::review::{Action, ReviewState, Role};

/// The keys of keyed review errors and refusals (see [`crate::error::HasCode::keyed`]); every
/// module's keys are [`error_keys`].
pub const ERROR_KEYS: &[&str] = &[
    crate::review::permissions::NO_PROFILE_KEY,
    "err.review.not_found",
    "err.review.not_compliant",
    "err.review.forbidden",
    "err.review.own_content",
    "err.review.inactive",
    "err.review.self_change",
    "err.review.bootstrap_closed",
    "err.review.bootstrap_not_admin",
    "err.review.profile_not_found",
    "err.review.duplicate_name",
    "err.review.bad_name",
    "err.review.bad_role",
    "err.review.bad_transition",
    "err.review.text_empty",
    "err.review.text_too_long",
    "err.review.text_too_short",
];

/// The keys of every module's keyed errors: the review keys above and each module's
/// `ERROR_KEYS`.
pub fn error_keys() -> impl Iterator<Item = &'static str> {
    [
        ERROR_KEYS,
        crate::ingest::ERROR_KEYS,
        crate::segments::ERROR_KEYS,
        crate::names::ERROR_KEYS,
        crate::campaign::ERROR_KEYS,
        crate::banner::ERROR_KEYS,
        crate::simulate::ERROR_KEYS,
        crate::export::ERROR_KEYS,
        crate::dashboard::ERROR_KEYS,
        crate::report::ERROR_KEYS,
        crate::store::ERROR_KEYS,
        crate::decision::ERROR_KEYS,
        crate::demo::ERROR_KEYS,
    ]
    .into_iter()
    .flatten()
    .copied()
}

/// The texts a `text_*` refusal names (its `what` parameter, spaces as underscores).
pub const TEXT_KINDS: &[&str] = &["comment", "note", "override_reason"];

/// Every event kind the store keeps (the window's `event.{kind}` labels of the event mix).
pub const EVENT_KINDS: [EventKind; 5] = [EventKind::View, EventKind::Cart, EventKind::Fav, EventKind::Purchase, EventKind::Other];

/// Every error code, in declaration order (the window's `err.{code}` titles).
pub const ERROR_CODES: [ErrorCode; 9] =
    [ErrorCode::InvalidInput, ErrorCode::NotFound, ErrorCode::Io, ErrorCode::Cancelled, ErrorCode::Conflict, ErrorCode::Forbidden, ErrorCode::Busy, ErrorCode::ReadOnly, ErrorCode::Internal];

/// Every key the window needs a text for to show what the core sends: [`ERROR_KEYS`] and the
/// labels `err.{code}`, `role.{role}`, `action.{action}`, `state.{state}`, `audit.{action}`,
/// `text.{kind}`, `rule.{rule id}`, `export.rule.{export rule}` (an export problem's text
/// from its rule, field, value and limit), `event.{event kind}`, `category.{catalog key}`,
/// the copy reasons' keys (`reason.*`) and the copy fields they name (`copyfield.*`).
pub fn keys() -> Vec<String> {
    let mut out: Vec<String> = error_keys().map(str::to_string).collect();
    out.extend(crate::names::FIELDS.iter().map(|(_, id)| format!("namefield.{id}")));
    out.extend(crate::ingest::formats::ROW_KEYS.iter().map(|k| k.to_string()));
    out.extend(crate::dashboard::performance::PERF_KEYS.iter().map(|k| k.to_string()));
    out.extend(crate::campaign::SPEC_KEYS.iter().map(|k| k.to_string()));
    out.extend(crate::segments::REASON_KEYS.iter().map(|k| k.to_string()));
    out.extend(crate::simulate::PARAM_KEYS.iter().map(|k| k.to_string()));
    out.extend(crate::export::PARAM_KEYS.iter().map(|k| k.to_string()));
    out.extend(ERROR_CODES.iter().map(|c| format!("err.{}", c.as_str())));
    out.extend(Role::ALL.iter().map(|r| format!("role.{}", r.as_str())));
    out.extend(Action::ALL.iter().map(|a| format!("action.{}", a.key())));
    out.extend([ReviewState::Draft, ReviewState::InReview, ReviewState::Approved, ReviewState::ChangesRequested].iter().map(|s| format!("state.{}", s.as_str())));
    out.extend(AuditAction::ALL.iter().map(|a| format!("audit.{}", a.as_str())));
    out.extend(TEXT_KINDS.iter().map(|k| format!("text.{k}")));
    out.extend(RULES.iter().map(|r| format!("rule.{}", r.id)));
    out.extend(crate::export::Rule::ALL.iter().map(|(_, name)| format!("export.rule.{name}")));
    out.extend(EVENT_KINDS.iter().map(|k| format!("event.{}", k.as_str())));
    out.extend(crate::catalog::CATEGORIES.iter().map(|c| format!("category.{}", c.key)));
    out.extend(crate::copy::reason::TEMPLATES.iter().map(|(k, _)| k.to_string()));
    out.extend(crate::copy::reason::FIELDS.iter().map(|f| format!("copyfield.{f}")));
    out.extend(crate::compliance::Field::ALL.iter().map(|f| format!("copyfield.{}", f.as_str())));
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_reasons;
