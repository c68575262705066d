//! Four eyes across role changes: nobody who created, edited, regenerated or submitted a
//! variant's current content approves it, whatever their role is now (also through the
//! compliance override); and the gated, audited segment rename.

use super::audit::{self, AuditAction, AuditEntity, AuditFilter};
use super::four_eyes;
use super::profiles::{self, ProfileParams};
use super::tests::{state, team};
use super::workflow::{self, ApprovalParams, ReviewState};
use super::{approval, rename, Actor, ReviewError, Role};
use crate::campaign::edit::VariantEdit;
use crate::campaign::{self, CampaignParams};
use crate::copy::Lang;
use crate::progress::ignore;
use crate::store::Project;
use crate::{segments, testkit, ErrorCode, HasCode};

fn rows(p: &Project) -> i64 {
    p.conn().query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0)).unwrap()
}

/// The id of the newest audit row `action` about variant `id`.
fn row_id(p: &Project, id: i64, action: &str) -> i64 {
    audit::for_variant(p, id).unwrap().into_iter().rev().find(|r| r.action == action).unwrap().id
}

/// `who` approving `id` is refused as an author, naming what they did and the audit row; the
/// refusal changes and logs nothing.
#[track_caller]
fn refused_as_author(p: &mut Project, who: &Actor, id: i64, params: ApprovalParams, did: &str, audit_id: i64) {
    let before = (rows(p), state(p, id));
    let e = workflow::approve(p, who, id, params).unwrap_err();
    assert!(matches!(e, ReviewError::OwnContent { .. }), "{e:?}");
    assert_eq!(e.code(), ErrorCode::Forbidden);
    let m = e.to_string();
    let want = format!("{} cannot approve variant {id}: they {did} (audit #{audit_id})", who.name());
    assert!(m.contains(&want), "{m}\nwant: {want}");
    assert_eq!((rows(p), state(p, id)), before, "a refused approval changes and logs nothing");
    assert_eq!(approval(p, id).unwrap(), None);
}

#[test]
fn a_submitter_made_reviewer_cannot_approve_the_content_they_submitted() {
    // The report: a marketer submits variant 8, an admin makes them a reviewer, and they approve it.
    let (mut p, cid) = testkit::campaign_project();
    let t = team(&mut p);
    let id = campaign::variants(&p, cid).unwrap()[0].id;
    workflow::submit(&mut p, &t.marketer, id).unwrap();
    let submitted = row_id(&p, id, "submit");
    profiles::set_role(&mut p, &t.admin, t.marketer.profile_id(), Role::Reviewer).unwrap();
    refused_as_author(&mut p, &t.marketer, id, ApprovalParams::default(), "submitted its current content", submitted);
    // Requesting changes is not approving: the new reviewer may send it back; a resubmission
    // by someone else does not clear the earlier submitter (no approval in between).
    workflow::request_changes(&mut p, &t.marketer, id, "I would rather reword this").unwrap();
    workflow::submit(&mut p, &t.admin, id).unwrap();
    refused_as_author(&mut p, &t.marketer, id, ApprovalParams::default(), "submitted its current content", submitted);
    // Someone who never touched it approves.
    let v = workflow::approve(&mut p, &t.reviewer, id, ApprovalParams::default()).unwrap();
    assert_eq!(v.review_state, ReviewState::Approved);
}

#[test]
fn the_creator_of_a_campaign_authored_its_variants() {
    let (mut p, _) = testkit::campaign_project();
    let t = team(&mut p);
    let c = workflow::create_campaign(&mut p, &t.marketer, CampaignParams::single("Mia's own", Lang::Zh, 7), &mut ignore).unwrap();
    let created = audit::all(&p, &AuditFilter { entity: Some(AuditEntity::Campaign), entity_id: Some(c.id), ..Default::default() }).unwrap();
    assert_eq!(created.len(), 1);
    let id = campaign::variants(&p, c.id).unwrap()[0].id;
    workflow::submit(&mut p, &t.admin, id).unwrap();
    profiles::set_role(&mut p, &t.admin, t.marketer.profile_id(), Role::Reviewer).unwrap();
    refused_as_author(&mut p, &t.marketer, id, ApprovalParams::default(), "created its campaign, which wrote its current content", created[0].id);
    let authors: Vec<(String, AuditAction)> = four_eyes::authors(p.conn(), &campaign::variant(&p, id).unwrap().unwrap()).unwrap().into_iter().map(|a| (a.actor, a.action)).collect();
    assert_eq!(authors, [("Mia".to_string(), AuditAction::CreateCampaign), ("Ada".to_string(), AuditAction::Submit)]);
    workflow::approve(&mut p, &t.reviewer, id, ApprovalParams::default()).unwrap();
}

#[test]
fn an_admin_who_edited_then_made_reviewer_cannot_approve_even_with_an_override() {
    let (mut p, cid) = testkit::campaign_project();
    let t = team(&mut p);
    let bea = profiles::create(&mut p, &t.admin, ProfileParams { name: "Bea".into(), role: Role::Admin }).unwrap();
    let bea = profiles::actor(&p, bea.id).unwrap();
    let vs = campaign::variants(&p, cid).unwrap();
    let (id, regen) = (vs[0].id, vs[1].id);
    // Bea (an admin) edits in a claim the compliance gate blocks; Mia submits.
    workflow::edit_variant(&mut p, &bea, id, VariantEdit { headline: Some("全网最低价 FREE".into()), ..Default::default() }).unwrap();
    let edited = row_id(&p, id, "edit");
    workflow::submit(&mut p, &t.marketer, id).unwrap();
    workflow::regenerate_variant(&mut p, &bea, regen).unwrap();
    let regenerated = row_id(&p, regen, "regenerate");
    workflow::submit(&mut p, &t.marketer, regen).unwrap();
    // Ada makes Bea a reviewer: the override path applies the same rule.
    profiles::set_role(&mut p, &t.admin, bea.profile_id(), Role::Reviewer).unwrap();
    let reason = ApprovalParams { note: String::new(), override_reason: Some("Legal cleared the price claim".into()) };
    refused_as_author(&mut p, &bea, id, reason.clone(), "edited its current content", edited);
    refused_as_author(&mut p, &bea, regen, ApprovalParams::default(), "regenerated its current content", regenerated);
    // Demoted again to marketer, then promoted back to reviewer: still the author.
    profiles::set_role(&mut p, &t.admin, bea.profile_id(), Role::Marketer).unwrap();
    profiles::set_role(&mut p, &t.admin, bea.profile_id(), Role::Reviewer).unwrap();
    refused_as_author(&mut p, &bea, id, reason.clone(), "edited its current content", edited);
    workflow::approve(&mut p, &t.reviewer, id, reason).unwrap();
    assert!(audit::for_variant(&p, id).unwrap().iter().any(|r| r.action == "override" && r.actor == "Rui"));
}

#[test]
fn authorship_counts_since_the_last_approval() {
    let (mut p, cid) = testkit::campaign_project();
    let t = team(&mut p);
    let bea = profiles::create(&mut p, &t.admin, ProfileParams { name: "Bea".into(), role: Role::Marketer }).unwrap();
    let bea = profiles::actor(&p, bea.id).unwrap();
    let id = campaign::variants(&p, cid).unwrap()[0].id;
    // Mia writes and submits; Rui approves: Mia's content has had its four eyes.
    workflow::edit_variant(&mut p, &t.marketer, id, VariantEdit { headline: Some("A calm morning".into()), ..Default::default() }).unwrap();
    workflow::submit(&mut p, &t.marketer, id).unwrap();
    workflow::approve(&mut p, &t.reviewer, id, ApprovalParams::default()).unwrap();
    // Bea rewrites and resubmits: only Bea is an author of the new content.
    workflow::edit_variant(&mut p, &bea, id, VariantEdit { headline: Some("A calmer evening".into()), ..Default::default() }).unwrap();
    workflow::submit(&mut p, &bea, id).unwrap();
    let v = campaign::variant(&p, id).unwrap().unwrap();
    let authors: Vec<String> = four_eyes::authors(p.conn(), &v).unwrap().into_iter().map(|a| a.actor).collect();
    assert_eq!(authors, ["Bea", "Bea"]);
    for who in [&bea, &t.marketer] {
        profiles::set_role(&mut p, &t.admin, who.profile_id(), Role::Reviewer).unwrap();
    }
    let submitted = row_id(&p, id, "submit");
    refused_as_author(&mut p, &bea, id, ApprovalParams::default(), "submitted its current content", submitted);
    let v = workflow::approve(&mut p, &t.marketer, id, ApprovalParams::default()).unwrap();
    assert_eq!(approval(&p, id).unwrap().unwrap().reviewer, "Mia", "{v:?}");
}

#[test]
fn renaming_a_segment_is_gated_and_audited_with_old_and_new_names() {
    let (mut p, _) = testkit::campaign_project();
    let t = team(&mut p);
    let seg = &segments::latest(&p).unwrap()[0];
    let (id, old_en, old_zh) = (seg.id, seg.name_en.clone(), seg.name_zh.clone());
    for who in [&t.reviewer, &t.manager] {
        let before = rows(&p);
        let e = rename::rename_segment(&mut p, who, id, "Night owls", "夜猫子").unwrap_err();
        assert!(matches!(e, ReviewError::Forbidden { .. }) && e.to_string().contains("only marketers and admins may rename segments"), "{e}");
        assert_eq!(rows(&p), before);
    }
    assert_eq!(segments::latest(&p).unwrap()[0].name_en, old_en, "a refused rename changes nothing");
    let row = rename::rename_segment(&mut p, &t.marketer, id, " Night owls ", "夜猫子").unwrap();
    assert_eq!((row.name_en.as_str(), row.name_zh.as_str()), ("Night owls", "夜猫子"));
    let log = audit::all(&p, &AuditFilter { entity: Some(AuditEntity::Segment), ..Default::default() }).unwrap();
    assert_eq!(log.len(), 1);
    let r = &log[0];
    assert_eq!((r.actor.as_str(), r.role.as_str(), r.action.as_str(), r.entity_id), ("Mia", "marketer", "rename_segment", id));
    assert!(r.detail.contains(&old_en) && r.detail.contains(&old_zh) && r.detail.contains("→ \"Night owls\" / \"夜猫子\""), "{}", r.detail);
    assert_ne!(r.before_hash, r.after_hash);
    // A bad name (here: ESC) is refused, changes nothing and logs nothing; so is an unknown segment.
    let before = rows(&p);
    let e = rename::rename_segment(&mut p, &t.admin, id, "Night\u{1b}[2Jowls", "夜猫子").unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidInput, "{e}");
    assert!(e.to_string().contains("name_en") && e.to_string().contains("U+001B"), "{e}");
    assert_eq!(rename::rename_segment(&mut p, &t.admin, 999_999, "X", "Y").unwrap_err().code(), ErrorCode::NotFound);
    assert_eq!((rows(&p), segments::latest(&p).unwrap()[0].name_en.as_str()), (before, "Night owls"));
}

#[test]
fn profile_names_refuse_look_alikes_and_invisible_characters() {
    let mut p = Project::open_in_memory().unwrap();
    let (_, ada) = profiles::bootstrap_admin(&mut p, ProfileParams { name: "\u{0410}da".into(), role: Role::Admin }).unwrap();
    let e = profiles::create(&mut p, &ada, ProfileParams { name: "Ada".into(), role: Role::Marketer }).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Conflict);
    assert!(e.to_string().contains("\"Ada\"") && e.to_string().contains("existing profile \"\u{0410}da\""), "{e}");
    for look_alike in ["ADA", "аda", "Ａｄａ"] {
        assert_eq!(profiles::create(&mut p, &ada, ProfileParams { name: look_alike.into(), role: Role::Marketer }).unwrap_err().code(), ErrorCode::Conflict, "{look_alike}");
    }
    for bad in ["Mia\u{202E}", "M\u{200B}ia", "Mia\u{1b}", "Mi\na", "\u{2066}Mia\u{2069}"] {
        let e = profiles::create(&mut p, &ada, ProfileParams { name: bad.into(), role: Role::Marketer }).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidInput, "{bad:?}");
        assert!(e.to_string().contains("profile name"), "{e}");
    }
    assert_eq!(profiles::list(&p).unwrap().len(), 1, "nothing refused was stored");
    profiles::create(&mut p, &ada, ProfileParams { name: "Mia".into(), role: Role::Marketer }).unwrap();
}
