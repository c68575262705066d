//! Bulk submit / approve (one transaction per variant, the same per-variant checks) and the
//! permissions the window shows (the matrix and four eyes, with keyed reasons).

use super::bulk;
use super::permissions::{self, approval_check};
use super::tests::{force, state, team};
use super::workflow::{self, ReviewState};
use super::{Action, ReviewError, Role};
use crate::campaign;
use crate::store::Project;
use crate::{testkit, ErrorCode, HasCode};

fn audit_rows(p: &Project) -> i64 {
    p.conn().query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0)).unwrap()
}

#[test]
fn submit_all_moves_every_draft_of_the_campaign_and_reports_each() {
    let (mut p, cid) = testkit::campaign_project();
    let t = team(&mut p);
    let ids: Vec<i64> = campaign::variants(&p, cid).unwrap().iter().map(|v| v.id).collect();
    assert!(ids.len() >= 4, "{ids:?}");
    // One already in review (skipped), one with changes requested (submitted again).
    force(&p, ids[0], ReviewState::InReview);
    force(&p, ids[1], ReviewState::ChangesRequested);
    let before = audit_rows(&p);
    let r = bulk::submit_all(&mut p, &t.marketer, cid, None).unwrap();
    assert_eq!(r.outcomes.len(), ids.len() - 1, "the one in review is not a candidate");
    assert_eq!((r.done as usize, r.refused), (ids.len() - 1, 0));
    assert!(r.outcomes.iter().all(|o| o.done && o.state == ReviewState::InReview && o.reason.is_none()));
    assert!(ids.iter().all(|id| state(&p, *id) == ReviewState::InReview));
    assert_eq!(audit_rows(&p) - before, ids.len() as i64 - 1, "one submit row per variant");
    // Nothing left to submit: an empty report, not an error.
    assert_eq!(bulk::submit_all(&mut p, &t.marketer, cid, None).unwrap().outcomes.len(), 0);
}

#[test]
fn submit_all_can_be_limited_to_one_segment_and_refuses_reviewers_up_front() {
    let (mut p, cid) = testkit::campaign_project();
    let t = team(&mut p);
    let all = campaign::variants(&p, cid).unwrap();
    let seg = all[0].segment_id;
    let e = bulk::submit_all(&mut p, &t.reviewer, cid, Some(seg)).unwrap_err();
    assert!(matches!(e, ReviewError::Forbidden { action: Action::Submit, .. }), "{e:?}");
    assert!(all.iter().all(|v| state(&p, v.id) == ReviewState::Draft), "a refused bulk changes nothing");
    let r = bulk::submit_all(&mut p, &t.admin, cid, Some(seg)).unwrap();
    let in_seg: Vec<i64> = all.iter().filter(|v| v.segment_id == seg).map(|v| v.id).collect();
    assert_eq!(r.outcomes.iter().map(|o| o.variant_id).collect::<Vec<_>>(), in_seg);
    for v in &all {
        assert_eq!(state(&p, v.id) == ReviewState::InReview, v.segment_id == seg, "variant {}", v.id);
    }
    let e = bulk::submit_all(&mut p, &t.marketer, 9999, None).unwrap_err();
    assert_eq!(e.code(), ErrorCode::NotFound);
}

#[test]
fn approve_all_applies_the_gate_and_four_eyes_per_variant() {
    let (mut p, cid) = testkit::campaign_project();
    let t = team(&mut p);
    let ids: Vec<i64> = campaign::variants(&p, cid).unwrap().iter().map(|v| v.id).take(4).collect();
    for id in &ids[..3] {
        workflow::submit(&mut p, &t.marketer, *id).unwrap();
    }
    // ids[1] fails the compliance gate; ids[3] is still a draft.
    p.conn().execute("UPDATE variants SET headline = '全网最低价 FREE' WHERE id = ?1", [ids[1]]).unwrap();
    let r = bulk::approve_all(&mut p, &t.reviewer, &[ids[0], ids[1], ids[2], ids[3], ids[0]]).unwrap();
    assert_eq!(r.outcomes.len(), 4, "duplicates acted on once");
    assert_eq!((r.done, r.refused), (2, 2));
    let by = |id: i64| r.outcomes.iter().find(|o| o.variant_id == id).unwrap();
    assert!(by(ids[0]).done && by(ids[2]).done);
    assert_eq!(state(&p, ids[0]), ReviewState::Approved);
    let gate = by(ids[1]).reason.clone().unwrap();
    assert_eq!((gate.code, gate.keyed.unwrap().key.as_str()), (ErrorCode::Conflict, "err.review.not_compliant"));
    assert_eq!((by(ids[1]).state, state(&p, ids[1])), (ReviewState::InReview, ReviewState::InReview), "no override in bulk");
    let draft = by(ids[3]).reason.clone().unwrap();
    assert_eq!(draft.keyed.unwrap().key, "err.review.bad_transition");
    // Four eyes: the marketer made reviewer cannot bulk-approve what they submitted.
    workflow::submit(&mut p, &t.marketer, ids[3]).unwrap();
    profiles_set(&mut p, &t, Role::Reviewer);
    let r = bulk::approve_all(&mut p, &t.marketer, &[ids[3]]).unwrap();
    let k = r.outcomes[0].reason.clone().unwrap().keyed.unwrap();
    assert_eq!((k.key.as_str(), k.params["audit_action"].as_str()), ("err.review.own_content", "submit"));
    assert_eq!(state(&p, ids[3]), ReviewState::InReview);
    // A marketer-turned-manager may not approve at all: one error, not a list.
    assert!(matches!(bulk::approve_all(&mut p, &t.manager, &ids).unwrap_err(), ReviewError::Forbidden { .. }));
}

fn profiles_set(p: &mut Project, t: &super::tests::Team, role: Role) {
    super::profiles::set_role(p, &t.admin, t.marketer.profile_id(), role).unwrap();
}

#[test]
fn permissions_follow_the_matrix_with_keyed_reasons() {
    let (mut p, _) = testkit::campaign_project();
    let t = team(&mut p);
    for role in Role::ALL {
        let perms = permissions::permissions(&p, Some(t.of(role))).unwrap();
        assert_eq!(perms.len(), Action::ALL.len());
        for perm in perms {
            assert_eq!(perm.allowed, super::allowed(role, perm.action), "{role} {:?}", perm.action);
            if let Some(r) = perm.reason {
                assert!(!perm.allowed);
                let k = r.keyed.unwrap();
                assert_eq!((r.code, k.key.as_str(), k.params["role"].as_str(), k.params["action"].as_str()), (ErrorCode::Forbidden, "err.review.forbidden", role.as_str(), perm.action.key()));
                assert!(r.message.contains("may"), "{}", r.message);
            }
        }
    }
    // The reviewer may not edit: the reason names the roles that may, by identifier.
    let edit = permissions::permissions(&p, Some(&t.reviewer)).unwrap().into_iter().find(|x| x.action == Action::EditCopy).unwrap();
    assert_eq!(edit.reason.unwrap().keyed.unwrap().params["roles"], "marketer,admin");
    // Nobody signed in: everything refused with the no-profile key.
    let none = permissions::permissions(&p, None).unwrap();
    assert!(none.iter().all(|x| !x.allowed && x.reason.as_ref().unwrap().keyed.as_ref().unwrap().key == "err.no_profile"));
    // A deactivated profile may do nothing, comment included.
    super::profiles::deactivate(&mut p, &t.admin, t.manager.profile_id()).unwrap();
    let off = permissions::permissions(&p, Some(&t.manager)).unwrap();
    assert!(off.iter().all(|x| !x.allowed && x.reason.as_ref().unwrap().keyed.as_ref().unwrap().key == "err.review.inactive"));
}

#[test]
fn approval_check_agrees_with_approve() {
    let (mut p, cid) = testkit::campaign_project();
    let t = team(&mut p);
    let ids: Vec<i64> = campaign::variants(&p, cid).unwrap().iter().map(|v| v.id).take(2).collect();
    let key = |c: &permissions::ApprovalCheck| c.reason.as_ref().map(|r| r.keyed.as_ref().unwrap().key.clone());
    // Draft: refused by state.
    let c = approval_check(&p, Some(&t.reviewer), ids[0]).unwrap();
    assert_eq!((c.allowed, key(&c).as_deref()), (false, Some("err.review.bad_transition")));
    workflow::submit(&mut p, &t.marketer, ids[0]).unwrap();
    let c = approval_check(&p, Some(&t.reviewer), ids[0]).unwrap();
    assert!(c.allowed && !c.needs_override && c.reason.is_none());
    // The marketer: refused by role; made reviewer: refused by four eyes, as approve is.
    assert_eq!(key(&approval_check(&p, Some(&t.marketer), ids[0]).unwrap()).as_deref(), Some("err.review.forbidden"));
    profiles_set(&mut p, &t, Role::Reviewer);
    let c = approval_check(&p, Some(&t.marketer), ids[0]).unwrap();
    assert_eq!(key(&c).as_deref(), Some("err.review.own_content"));
    let e = workflow::approve(&mut p, &t.marketer, ids[0], Default::default()).unwrap_err();
    assert_eq!(Some(e.keyed().unwrap().key), key(&c));
    // A closed gate is reported, not refused (a reviewer may override with a reason).
    workflow::submit(&mut p, &t.admin, ids[1]).unwrap();
    p.conn().execute("UPDATE variants SET headline = '全网最低价 FREE' WHERE id = ?1", [ids[1]]).unwrap();
    let c = approval_check(&p, Some(&t.reviewer), ids[1]).unwrap();
    assert!(c.allowed && c.needs_override);
    assert_eq!(key(&approval_check(&p, Some(&t.reviewer), 9999).unwrap()).as_deref(), Some("err.review.not_found"));
    assert_eq!(key(&approval_check(&p, None, ids[1]).unwrap()).as_deref(), Some("err.no_profile"));
}
