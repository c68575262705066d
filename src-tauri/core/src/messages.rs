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

/// The keys of keyed errors and refusals (see [`crate::error::HasCode::keyed`]).
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
    let mut out: Vec<String> = ERROR_KEYS.iter().map(|k| k.to_string()).collect();
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
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::error::HasCode;
    use crate::review::{ReviewError, TextProblem};

    /// The keys of a TypeScript dictionary file (`'key': '…'` lines).
    fn dictionary(file: &str) -> BTreeSet<String> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/i18n").join(file);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        text.lines()
            .filter_map(|l| {
                let l = l.trim_start();
                let rest = l.strip_prefix('\'')?;
                let end = rest.find("':")?;
                Some(rest[..end].to_string())
            })
            .collect()
    }

    /// Fails when the core can send a key the Chinese (or English) UI has no text for.
    #[test]
    fn every_core_message_key_has_a_chinese_and_an_english_text() {
        for file in ["zh-CN.ts", "en.ts"] {
            let have = dictionary(file);
            assert!(have.len() > 100, "{file} parsed to {} keys", have.len());
            let missing: Vec<String> = keys().into_iter().filter(|k| !have.contains(k)).collect();
            assert!(missing.is_empty(), "ui/src/lib/i18n/{file} lacks {missing:?}");
        }
    }

    /// The window's English texts of the copy reasons are the core's templates, word for word
    /// (the English wording lives once, in `copy::reason`).
    #[test]
    fn english_dictionary_matches_the_reason_templates() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/i18n/en.ts");
        let text = std::fs::read_to_string(&path).unwrap();
        for (key, template) in crate::copy::reason::TEMPLATES {
            let line = format!("'{key}': '{}',", template.replace('\'', "\\'"));
            assert!(text.lines().any(|l| l.trim() == line), "en.ts should have the line {line}");
        }
    }

    /// The export rules' names are their serialised names.
    #[test]
    fn export_rule_names_match_serde() {
        for (rule, name) in crate::export::Rule::ALL {
            assert_eq!(serde_json::to_value(rule).unwrap(), serde_json::json!(name));
        }
    }

    /// Every keyed review error uses a listed key and only parameters its text can fill.
    #[test]
    fn keyed_review_errors_use_listed_keys() {
        let samples = [
            ReviewError::NotFound(3),
            ReviewError::NotCompliant { id: 3, summary: "x".into() },
            ReviewError::Forbidden { actor: "Rui".into(), role: Role::Reviewer, action: Action::EditCopy, allowed: "marketers and admins".into() },
            ReviewError::OwnContent { actor: "Mia".into(), id: 3, action: AuditAction::Edit, audit_id: 9 },
            ReviewError::Inactive("Max".into()),
            ReviewError::SelfChange("Ada".into()),
            ReviewError::BootstrapClosed,
            ReviewError::BootstrapNotAdmin,
            ReviewError::ProfileNotFound("Zoe".into()),
            ReviewError::DuplicateName("Mia".into()),
            ReviewError::BadName,
            ReviewError::BadRole("boss".into()),
            ReviewError::BadTransition { id: 3, from: ReviewState::Draft, to: ReviewState::Approved, rule: "r" },
            ReviewError::BadText { what: "comment", problem: TextProblem::Empty },
            ReviewError::BadText { what: "note", problem: TextProblem::TooLong(2001) },
            ReviewError::BadText { what: "override reason", problem: TextProblem::TooShort(3) },
        ];
        let all = keys();
        let mut seen = BTreeSet::new();
        for e in samples {
            let k = e.keyed().unwrap_or_else(|| panic!("{e:?} has no key"));
            assert!(all.contains(&k.key), "{} not listed", k.key);
            for (name, value) in &k.params {
                let label = match name.as_str() {
                    "role" => Some(format!("role.{value}")),
                    "action" => Some(format!("action.{value}")),
                    "from" | "to" => Some(format!("state.{value}")),
                    "audit_action" => Some(format!("audit.{value}")),
                    "what" => Some(format!("text.{value}")),
                    _ => None,
                };
                if let Some(label) = label {
                    assert!(all.contains(&label), "{}: parameter {name}={value} has no label {label}", k.key);
                }
            }
            seen.insert(k.key);
        }
        let listed: BTreeSet<String> = ERROR_KEYS.iter().filter(|k| k.starts_with("err.review.")).map(|k| k.to_string()).collect();
        assert_eq!(seen, listed, "every listed review key is produced by some error");
    }
}
