//! Roles, profiles and the review state machine, through the same entry points the shell and
//! the CLI call.

use super::profiles::{self, ProfileParams};
use super::workflow::{self, ApprovalParams, ReviewState};
use super::{approval, approval_of, audit, authorize, comments, content_hash, Action, Actor, ReviewError, Role};
use crate::campaign::edit::VariantEdit;
use crate::campaign::{self, CampaignParams};
use crate::copy::Lang;
use crate::progress::ignore;
use crate::store::Project;
use crate::{testkit, ErrorCode, HasCode};

/// One active profile per role, created by the bootstrapped admin.
pub(super) struct Team {
    pub admin: Actor,
    pub marketer: Actor,
    pub reviewer: Actor,
    pub manager: Actor,
}

impl Team {
    pub fn of(&self, role: Role) -> &Actor {
        match role {
            Role::Marketer => &self.marketer,
            Role::Reviewer => &self.reviewer,
            Role::Manager => &self.manager,
            Role::Admin => &self.admin,
        }
    }
}

pub(super) fn team(p: &mut Project) -> Team {
    let (_, admin) = profiles::bootstrap_admin(p, ProfileParams { name: "Ada".into(), role: Role::Admin }).unwrap();
    let mut add = |name: &str, role| {
        let pr = profiles::create(p, &admin, ProfileParams { name: name.into(), role }).unwrap();
        profiles::actor(p, pr.id).unwrap()
    };
    let (marketer, reviewer, manager) = (add("Mia", Role::Marketer), add("Rui", Role::Reviewer), add("Max", Role::Manager));
    Team { admin, marketer, reviewer, manager }
}

/// Put variant `id` in `state` directly (test set-up only; keeps `status` in step).
pub(super) fn force(p: &Project, id: i64, state: ReviewState) {
    let status = if state == ReviewState::Approved { "approved" } else { "draft" };
    p.conn().execute("UPDATE variants SET review_state = ?2, status = ?3 WHERE id = ?1", rusqlite::params![id, state.as_str(), status]).unwrap();
}

pub(super) fn state(p: &Project, id: i64) -> ReviewState {
    campaign::variant(p, id).unwrap().unwrap().review_state
}

fn audit_rows(p: &Project) -> i64 {
    p.conn().query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0)).unwrap()
}

/// The matrix as the issue states it, written out independently of `roles::allowed`:
/// columns marketer, reviewer, manager, admin.
const EXPECTED: [(Action, [bool; 4]); 11] = [
    (Action::ManageProfiles, [false, false, false, true]),
    (Action::CreateCampaign, [true, false, false, true]),
    (Action::EditCopy, [true, false, false, true]),
    (Action::Submit, [true, false, false, true]),
    (Action::Approve, [false, true, false, false]),
    (Action::RequestChanges, [false, true, false, false]),
    (Action::Override, [false, true, false, false]),
    (Action::Comment, [true, true, true, true]),
    (Action::Export, [true, false, false, true]),
    (Action::RemoveReport, [true, false, false, true]),
    (Action::RenameSegment, [true, false, false, true]),
];

/// Take `action` as `actor` through its public entry point, from a state in which it is legal.
fn attempt(p: &mut Project, actor: &Actor, action: Action, vid: i64, blocked: i64, n: u64) -> Result<(), ReviewError> {
    match action {
        Action::ManageProfiles => profiles::create(p, actor, ProfileParams { name: format!("new-{n}"), role: Role::Marketer }).map(drop),
        Action::CreateCampaign => workflow::create_campaign(p, actor, CampaignParams::single(&format!("c{n}"), Lang::Zh, n), &mut ignore).map(drop),
        Action::EditCopy => {
            workflow::edit_variant(p, actor, vid, VariantEdit { headline: Some(format!("Fresh pick {n}")), ..Default::default() })?;
            workflow::regenerate_variant(p, actor, vid).map(drop)
        }
        Action::Submit => {
            force(p, vid, ReviewState::Draft);
            workflow::submit(p, actor, vid).map(drop)
        }
        Action::Approve => {
            force(p, vid, ReviewState::InReview);
            workflow::approve(p, actor, vid, ApprovalParams::default()).map(drop)
        }
        Action::RequestChanges => {
            force(p, vid, ReviewState::InReview);
            workflow::request_changes(p, actor, vid, "Please soften the claim").map(drop)
        }
        Action::Override => {
            force(p, blocked, ReviewState::InReview);
            let params = ApprovalParams { note: String::new(), override_reason: Some("Legal cleared this wording for the promo".into()) };
            workflow::approve(p, actor, blocked, params).map(drop)
        }
        Action::Comment => comments::add(p, actor, vid, "Looks good to me").map(drop),
        Action::Export => authorize(p, actor, Action::Export).map(drop),
        Action::RemoveReport => authorize(p, actor, Action::RemoveReport).map(drop),
        Action::RenameSegment => {
            let segment = campaign::variant(p, vid).unwrap().unwrap().segment_id;
            super::rename::rename_segment(p, actor, segment, &format!("Night owls {n}"), &format!("夜猫子{n}")).map(drop)
        }
    }
}

#[test]
fn role_matrix_holds_through_every_entry_point() {
    let (mut p, cid) = testkit::campaign_project();
    let t = team(&mut p);
    let vs = campaign::variants(&p, cid).unwrap();
    let (vid, blocked) = (vs[0].id, vs[1].id);
    p.conn().execute("UPDATE variants SET headline = '全网最低价 FREE' WHERE id = ?1", [blocked]).unwrap();
    let mut n = 0;
    for (action, row) in EXPECTED {
        for (role, expect) in Role::ALL.into_iter().zip(row) {
            assert_eq!(super::allowed(role, action), expect, "allowed({role}, {action:?})");
            n += 1;
            let before = (audit_rows(&p), state(&p, vid), state(&p, blocked));
            let got = attempt(&mut p, t.of(role), action, vid, blocked, n);
            match (expect, got) {
                (true, Ok(())) => {}
                (false, Err(e)) => {
                    assert_eq!(e.code(), ErrorCode::Forbidden, "{role} {action:?}: {e}");
                    if action != Action::Submit && action != Action::Approve && action != Action::RequestChanges && action != Action::Override {
                        assert_eq!(before, (audit_rows(&p), state(&p, vid), state(&p, blocked)), "a refused {action:?} changes nothing");
                    } else {
                        assert_eq!(before.0, audit_rows(&p), "a refused {action:?} logs nothing");
                    }
                }
                (true, Err(e)) => panic!("{role} should be allowed to {action:?}: {e}"),
                (false, Ok(())) => panic!("{role} must not {action:?}"),
            }
        }
    }
}

#[test]
fn a_refusal_names_the_actor_their_role_and_who_may() {
    let (mut p, cid) = testkit::campaign_project();
    let t = team(&mut p);
    let id = campaign::variants(&p, cid).unwrap()[0].id;
    workflow::submit(&mut p, &t.marketer, id).unwrap();
    for who in [&t.marketer, &t.manager, &t.admin] {
        let e = workflow::approve(&mut p, who, id, ApprovalParams::default()).unwrap_err();
        assert_eq!(e.code().as_str(), "forbidden");
        let m = e.to_string();
        assert!(m.contains(who.name()) && m.contains(who.role().as_str()) && m.contains("only reviewers may approve"), "{m}");
    }
    let e = workflow::edit_variant(&mut p, &t.reviewer, id, VariantEdit { headline: Some("Mine now".into()), ..Default::default() }).unwrap_err();
    assert!(matches!(&e, ReviewError::Forbidden { .. }) && e.to_string().contains("only marketers and admins may edit"), "{e}");
    assert_eq!(state(&p, id), ReviewState::InReview, "nothing changed");
}

#[test]
fn draft_in_review_approved_and_an_edit_afterwards_returns_to_draft_voiding_the_approval() {
    let (mut p, cid) = testkit::campaign_project();
    let t = team(&mut p);
    let v = campaign::variants(&p, cid).unwrap().remove(0);
    assert_eq!((v.review_state, v.status.as_str()), (ReviewState::Draft, "draft"));
    let v = workflow::submit(&mut p, &t.marketer, v.id).unwrap();
    assert_eq!((v.review_state, v.status.as_str()), (ReviewState::InReview, "draft"));
    assert_eq!(approval_of(&p, v.id).unwrap(), None);
    let v = workflow::approve(&mut p, &t.reviewer, v.id, ApprovalParams { note: "fine".into(), override_reason: None }).unwrap();
    assert_eq!((v.review_state, v.status.as_str()), (ReviewState::Approved, "approved"));
    let a = approval(&p, v.id).unwrap().expect("approved");
    assert_eq!((a.reviewer.as_str(), a.profile_id, a.content_hash.clone(), a.note.as_str()), ("Rui", Some(t.reviewer.profile_id()), content_hash(&v), "fine"));
    assert_eq!(approval_of(&p, v.id).unwrap().unwrap().2, content_hash(&v));
    assert_eq!(campaign::get(&p, cid).unwrap().approved, 1, "old readers of status see it");

    let e = workflow::edit_variant(&mut p, &t.marketer, v.id, VariantEdit { headline: Some("A calmer morning".into()), ..Default::default() }).unwrap();
    assert_eq!((e.review_state, e.status.as_str()), (ReviewState::Draft, "draft"), "an edit after approval returns to draft");
    assert_eq!(approval_of(&p, v.id).unwrap(), None, "the approval no longer counts");
    assert_eq!(campaign::get(&p, cid).unwrap().approved, 0);
    let history: i64 = p.conn().query_row("SELECT count(*) FROM approvals WHERE variant_id = ?1", [v.id], |r| r.get(0)).unwrap();
    assert_eq!(history, 1, "the approval stays as history");
    let log = audit::for_variant(&p, v.id).unwrap();
    let edit = log.last().unwrap();
    assert_eq!((edit.action.as_str(), edit.before_hash.clone(), edit.after_hash.clone()), ("edit", Some(content_hash(&v)), Some(content_hash(&e))));
    assert!(edit.detail.contains("approved → draft") && edit.detail.contains("no longer counts"), "{}", edit.detail);

    // Regenerating also voids a fresh approval; a new cycle approves the new content.
    workflow::submit(&mut p, &t.admin, v.id).unwrap();
    workflow::approve(&mut p, &t.reviewer, v.id, ApprovalParams::default()).unwrap();
    let r = workflow::regenerate_variant(&mut p, &t.marketer, v.id).unwrap();
    assert_eq!(r.review_state, ReviewState::Draft);
    assert_eq!(approval(&p, v.id).unwrap(), None);
    // A change behind the workflow's back (raw SQL) also voids the approval: the hash differs.
    workflow::submit(&mut p, &t.marketer, v.id).unwrap();
    workflow::approve(&mut p, &t.reviewer, v.id, ApprovalParams::default()).unwrap();
    assert!(approval(&p, v.id).unwrap().is_some());
    p.conn().execute("UPDATE variants SET cta = 'Tap' WHERE id = ?1", [v.id]).unwrap();
    assert_eq!(approval_of(&p, v.id).unwrap(), None, "stale content is never approved");
}

#[test]
fn illegal_transitions_are_conflicts_naming_both_states() {
    let (mut p, cid) = testkit::campaign_project();
    let t = team(&mut p);
    let id = campaign::variants(&p, cid).unwrap()[0].id;
    let bad = |e: ReviewError, from: &str, to: &str| {
        assert_eq!(e.code(), ErrorCode::Conflict, "{e}");
        let m = e.to_string();
        assert!(m.contains(&format!("is {from}")) && m.contains(&format!("move to {to}")), "{m}");
    };
    bad(workflow::approve(&mut p, &t.reviewer, id, ApprovalParams::default()).unwrap_err(), "draft", "approved");
    bad(workflow::request_changes(&mut p, &t.reviewer, id, "why").unwrap_err(), "draft", "changes_requested");
    workflow::submit(&mut p, &t.marketer, id).unwrap();
    bad(workflow::submit(&mut p, &t.marketer, id).unwrap_err(), "in_review", "in_review");
    workflow::request_changes(&mut p, &t.reviewer, id, "Shorter headline, please").unwrap();
    assert_eq!(state(&p, id), ReviewState::ChangesRequested);
    bad(workflow::approve(&mut p, &t.reviewer, id, ApprovalParams::default()).unwrap_err(), "changes_requested", "approved");
    workflow::submit(&mut p, &t.marketer, id).unwrap();
    workflow::approve(&mut p, &t.reviewer, id, ApprovalParams::default()).unwrap();
    bad(workflow::approve(&mut p, &t.reviewer, id, ApprovalParams::default()).unwrap_err(), "approved", "approved");
    bad(workflow::submit(&mut p, &t.marketer, id).unwrap_err(), "approved", "in_review");
    bad(workflow::request_changes(&mut p, &t.reviewer, id, "late").unwrap_err(), "approved", "changes_requested");
    assert_eq!(state(&p, id), ReviewState::Approved, "refused moves change nothing");
    assert_eq!(workflow::submit(&mut p, &t.marketer, 999_999).unwrap_err().code(), ErrorCode::NotFound);
}

#[test]
fn request_changes_needs_a_comment_and_stores_it() {
    let (mut p, cid) = testkit::campaign_project();
    let t = team(&mut p);
    let id = campaign::variants(&p, cid).unwrap()[0].id;
    workflow::submit(&mut p, &t.marketer, id).unwrap();
    for empty in ["", "   \n"] {
        assert_eq!(workflow::request_changes(&mut p, &t.reviewer, id, empty).unwrap_err().code(), ErrorCode::InvalidInput);
    }
    assert_eq!(state(&p, id), ReviewState::InReview);
    workflow::request_changes(&mut p, &t.reviewer, id, "  Drop the exclamation marks  ").unwrap();
    let cs = comments::list(&p, id).unwrap();
    assert_eq!(cs.len(), 1);
    assert_eq!((cs[0].author.as_str(), cs[0].role, cs[0].text.as_str()), ("Rui", Role::Reviewer, "Drop the exclamation marks"));
    let row = audit::for_variant(&p, id).unwrap().pop().unwrap();
    assert_eq!((row.action.as_str(), row.role.as_str(), row.detail.as_str()), ("request_changes", "reviewer", "Drop the exclamation marks"));
}

#[test]
fn comments_are_validated_and_listed_oldest_first() {
    let (mut p, cid) = testkit::campaign_project();
    let t = team(&mut p);
    let id = campaign::variants(&p, cid).unwrap()[0].id;
    for bad in ["", " \t ", &"字".repeat(2001)] {
        let e = comments::add(&mut p, &t.manager, id, bad).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidInput, "{e}");
    }
    assert!(comments::list(&p, id).unwrap().is_empty(), "refused comments are not stored");
    comments::add(&mut p, &t.manager, id, &"字".repeat(2000)).unwrap();
    comments::add(&mut p, &t.marketer, id, "Will fix tomorrow").unwrap();
    let cs = comments::list(&p, id).unwrap();
    assert_eq!(cs.iter().map(|c| (c.author.as_str(), c.role)).collect::<Vec<_>>(), vec![("Max", Role::Manager), ("Mia", Role::Marketer)]);
    assert_eq!(cs[0].text.chars().count(), 2000);
    assert_eq!(comments::add(&mut p, &t.manager, 999_999, "x").unwrap_err().code(), ErrorCode::NotFound);
    assert_eq!(comments::list(&p, 999_999).unwrap_err().code(), ErrorCode::NotFound);
    assert_eq!(audit::for_variant(&p, id).unwrap().iter().filter(|r| r.action == "comment").count(), 2);
}

#[test]
fn profiles_bootstrap_once_and_only_admins_manage_them() {
    let mut p = Project::open_in_memory().unwrap();
    let reviewer_first = profiles::bootstrap_admin(&mut p, ProfileParams { name: "Rui".into(), role: Role::Reviewer }).unwrap_err();
    assert_eq!(reviewer_first.code(), ErrorCode::InvalidInput, "the first profile is an admin");
    let t = team(&mut p);
    let again = profiles::bootstrap_admin(&mut p, ProfileParams { name: "Eve".into(), role: Role::Admin }).unwrap_err();
    assert_eq!(again.code(), ErrorCode::Forbidden, "{again}");
    let dup = profiles::create(&mut p, &t.admin, ProfileParams { name: " mia ".into(), role: Role::Manager }).unwrap_err();
    assert_eq!(dup.code(), ErrorCode::Conflict, "names are unique regardless of case: {dup}");
    for bad in ["", "   ", "a\u{7}b", &"x".repeat(61)] {
        assert_eq!(profiles::create(&mut p, &t.admin, ProfileParams { name: bad.into(), role: Role::Manager }).unwrap_err().code(), ErrorCode::InvalidInput);
    }
    assert_eq!(Role::parse("Reviewer").unwrap(), Role::Reviewer);
    assert_eq!(Role::parse("boss").unwrap_err().code(), ErrorCode::InvalidInput);
    // An admin cannot change or deactivate themselves (so the last admin stays one).
    for e in [profiles::set_role(&mut p, &t.admin, t.admin.profile_id(), Role::Reviewer).unwrap_err(), profiles::deactivate(&mut p, &t.admin, t.admin.profile_id()).unwrap_err()] {
        assert_eq!(e.code(), ErrorCode::Forbidden, "{e}");
    }
    // A role change applies at once, even to an Actor resolved before it.
    let mia = t.marketer.clone();
    let changed = profiles::set_role(&mut p, &t.admin, mia.profile_id(), Role::Manager).unwrap();
    assert_eq!(changed.role, Role::Manager);
    assert_eq!(authorize(&p, &mia, Action::Submit).unwrap_err().code(), ErrorCode::Forbidden);
    assert_eq!(authorize(&p, &mia, Action::Comment).unwrap().role(), Role::Manager);
    // A deactivated profile may do nothing, and cannot be resolved.
    profiles::deactivate(&mut p, &t.admin, t.reviewer.profile_id()).unwrap();
    let e = authorize(&p, &t.reviewer, Action::Comment).unwrap_err();
    assert!(matches!(e, ReviewError::Inactive(_)) && e.code() == ErrorCode::Forbidden, "{e}");
    assert_eq!(profiles::actor_by_name(&p, "rui").unwrap_err().code(), ErrorCode::Forbidden);
    assert_eq!(profiles::actor_by_name(&p, "nobody").unwrap_err().code(), ErrorCode::NotFound);
    let list = profiles::list(&p).unwrap();
    assert_eq!(list.iter().map(|x| (x.name.as_str(), x.active)).collect::<Vec<_>>(), vec![("Ada", true), ("Max", true), ("Mia", true), ("Rui", false)]);
    let log = audit::all(&p, &audit::AuditFilter { entity: Some(audit::AuditEntity::Profile), ..Default::default() }).unwrap();
    let actions: Vec<&str> = log.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(actions, ["create_profile", "create_profile", "create_profile", "create_profile", "set_role", "deactivate_profile"]);
    assert!(log[0].detail.contains("bootstrap") && log[4].detail == "role marketer → manager", "{log:?}");
    assert_ne!(log[4].before_hash, log[4].after_hash);
}
