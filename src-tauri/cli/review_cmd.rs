//! `studio user`, `studio review` and `studio audit`: profiles, the review workflow and the
//! audit log, over the same core calls as the shell (`studio_core::review`). `--as NAME` names
//! the acting profile; the core decides whether its role may act.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;
use studio_core::review::bulk::{self, BulkReport};
use studio_core::review::profiles::{self, Profile, ProfileParams};
use studio_core::review::workflow::{self, ApprovalParams, ReviewStatus};
use studio_core::review::{audit, comments, ReviewState, Role};
use studio_core::ErrorCode;

use crate::{open, open_existing, print, Failure};

/// `studio user …`
#[derive(Subcommand)]
pub enum UserCommand {
    /// Add a profile (project created if missing). The first profile of a project must be an
    /// admin and is added without --as; after that only an admin may add profiles.
    Add {
        #[arg(long)]
        project: PathBuf,
        #[arg(long)]
        name: String,
        /// marketer, reviewer, manager or admin.
        #[arg(long)]
        role: String,
        /// The admin adding the profile (not needed for the first admin).
        #[arg(long = "as", value_name = "ADMIN")]
        actor: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// List the profiles, active ones first.
    List {
        #[arg(long)]
        project: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Give a profile another role (an admin, not on their own profile).
    SetRole {
        #[arg(long)]
        project: PathBuf,
        #[arg(long)]
        name: String,
        #[arg(long)]
        role: String,
        #[arg(long = "as", value_name = "ADMIN")]
        actor: String,
        #[arg(long)]
        json: bool,
    },
    /// Deactivate a profile (an admin, not their own profile); its history stays.
    Deactivate {
        #[arg(long)]
        project: PathBuf,
        #[arg(long)]
        name: String,
        #[arg(long = "as", value_name = "ADMIN")]
        actor: String,
        #[arg(long)]
        json: bool,
    },
}

/// The variant and acting profile every `studio review` command names.
#[derive(Args)]
pub struct Target {
    #[arg(long)]
    project: PathBuf,
    /// Variant id.
    #[arg(long)]
    variant: i64,
    /// The acting profile's name.
    #[arg(long = "as", value_name = "NAME")]
    actor: String,
    #[arg(long)]
    json: bool,
}

/// The campaign and acting profile of a bulk `studio review` command.
#[derive(Args)]
pub struct BulkScope {
    #[arg(long)]
    project: PathBuf,
    /// Campaign id.
    #[arg(long)]
    campaign: i64,
    /// The acting profile's name.
    #[arg(long = "as", value_name = "NAME")]
    actor: String,
    #[arg(long)]
    json: bool,
}

/// `studio review …`
#[derive(Subcommand)]
pub enum ReviewCommand {
    /// Submit a draft (or a variant with changes requested) for review (marketer, admin).
    Submit {
        #[command(flatten)]
        target: Target,
    },
    /// Approve a variant in review (reviewer). A variant failing the compliance check needs
    /// --reason (at least 10 characters), which is logged as an override.
    Approve {
        #[command(flatten)]
        target: Target,
        #[arg(long, default_value = "")]
        note: String,
        /// Override reason for error-severity compliance findings.
        #[arg(long)]
        reason: Option<String>,
    },
    /// Send a variant in review back with a comment (reviewer).
    RequestChanges {
        #[command(flatten)]
        target: Target,
        #[arg(long)]
        text: String,
    },
    /// Comment on a variant (every role).
    Comment {
        #[command(flatten)]
        target: Target,
        #[arg(long)]
        text: String,
    },
    /// Submit every draft (and every variant with changes requested) of a campaign, or of one
    /// segment of it (marketer, admin). One outcome per variant; each is its own transaction.
    SubmitAll {
        #[command(flatten)]
        scope: BulkScope,
        #[arg(long)]
        segment: Option<i64>,
    },
    /// Approve without override every variant in review of a campaign, or the --variants
    /// given (reviewer). A closed compliance gate, four eyes or a variant not in review
    /// refuses that variant only; exit 1 when any was refused.
    ApproveAll {
        #[command(flatten)]
        scope: BulkScope,
        /// Comma-separated variant ids (default: every variant of the campaign in review).
        #[arg(long, value_delimiter = ',')]
        variants: Vec<i64>,
    },
    /// Show a variant's review state, approval, findings and comments.
    Show {
        #[arg(long)]
        project: PathBuf,
        #[arg(long)]
        variant: i64,
        #[arg(long)]
        json: bool,
    },
}

/// Output formats of `studio audit`.
#[derive(Clone, Copy, ValueEnum)]
pub enum AuditFormat {
    Text,
    Csv,
    Json,
}

/// `studio audit`: print the audit log (oldest first).
#[derive(Args)]
pub struct AuditArgs {
    #[arg(long)]
    project: PathBuf,
    /// Only the rows about this variant.
    #[arg(long)]
    variant: Option<i64>,
    #[arg(long, value_enum, default_value = "text")]
    format: AuditFormat,
}

fn role(s: &str) -> Result<Role, Failure> {
    Ok(Role::parse(s)?)
}

fn print_profile(json: bool, p: &Profile) -> Result<(), Failure> {
    print(json, p, |p| outln!("profile {} {} ({}){}", p.id, p.name, p.role, if p.active { "" } else { ", deactivated" }))
}

/// Run one `studio user` command.
pub fn user(cmd: UserCommand) -> Result<(), Failure> {
    match cmd {
        UserCommand::Add { project, name, role: r, actor, json } => {
            let params = ProfileParams { name, role: role(&r)? };
            let mut p = open(&project)?;
            let created = match actor {
                None => profiles::bootstrap_admin(&mut p, params)?.0,
                Some(a) => {
                    let admin = profiles::actor_by_name(&p, &a)?;
                    profiles::create(&mut p, &admin, params)?
                }
            };
            print_profile(json, &created)?;
        }
        UserCommand::List { project, json } => {
            let list = profiles::list(&crate::open_read(&project)?)?;
            print(json, &list, |l| l.iter().try_for_each(|p| print_profile(false, p)))?;
        }
        UserCommand::SetRole { project, name, role: r, actor, json } => {
            let new_role = role(&r)?;
            let mut p = open_existing(&project)?;
            let admin = profiles::actor_by_name(&p, &actor)?;
            let id = profile_id(&p, &name)?;
            print_profile(json, &profiles::set_role(&mut p, &admin, id, new_role)?)?;
        }
        UserCommand::Deactivate { project, name, actor, json } => {
            let mut p = open_existing(&project)?;
            let admin = profiles::actor_by_name(&p, &actor)?;
            let id = profile_id(&p, &name)?;
            print_profile(json, &profiles::deactivate(&mut p, &admin, id)?)?;
        }
    }
    Ok(())
}

/// The id of the profile named `name` (active or not).
fn profile_id(p: &studio_core::Project, name: &str) -> Result<i64, Failure> {
    profiles::list(p)?.into_iter().find(|x| x.name.eq_ignore_ascii_case(name.trim())).map(|x| x.id).ok_or_else(|| Failure::new(ErrorCode::NotFound, format!("no profile {:?}", name.trim())))
}

/// Run one `studio review` command.
pub fn review(cmd: ReviewCommand) -> Result<(), Failure> {
    match cmd {
        ReviewCommand::Show { project, variant, json } => {
            let p = crate::open_read(&project)?;
            let out = ShowOutput { status: workflow::status(&p, variant)?, comments: comments::list(&p, variant)? };
            print(json, &out, |o| {
                human_status(&o.status)?;
                for c in &o.comments {
                    outln!("  {} {} ({}): {}", c.at, c.author, c.role, c.text)?;
                }
                Ok(())
            })?;
        }
        ReviewCommand::Comment { target, text } => {
            let (mut p, actor) = resolve(&target)?;
            let c = comments::add(&mut p, &actor, target.variant, &text)?;
            print(target.json, &c, |c| outln!("comment {} on variant {} by {} ({})", c.id, c.variant_id, c.author, c.role))?;
        }
        ReviewCommand::Submit { target } => {
            let (mut p, actor) = resolve(&target)?;
            workflow::submit(&mut p, &actor, target.variant)?;
            print(target.json, &workflow::status(&p, target.variant)?, human_status)?;
        }
        ReviewCommand::Approve { target, note, reason } => {
            let (mut p, actor) = resolve(&target)?;
            workflow::approve(&mut p, &actor, target.variant, ApprovalParams { note, override_reason: reason })?;
            print(target.json, &workflow::status(&p, target.variant)?, human_status)?;
        }
        ReviewCommand::SubmitAll { scope, segment } => {
            let mut p = open_existing(&scope.project)?;
            let actor = profiles::actor_by_name(&p, &scope.actor)?;
            let report = bulk::submit_all(&mut p, &actor, scope.campaign, segment)?;
            bulk_result(scope.json, &report, "submitted")?;
        }
        ReviewCommand::ApproveAll { scope, variants } => {
            let mut p = open_existing(&scope.project)?;
            let actor = profiles::actor_by_name(&p, &scope.actor)?;
            let ids = if variants.is_empty() { bulk::variants_in(&p, scope.campaign, None, &[ReviewState::InReview])? } else { variants };
            let report = bulk::approve_all(&mut p, &actor, &ids)?;
            bulk_result(scope.json, &report, "approved")?;
        }
        ReviewCommand::RequestChanges { target, text } => {
            let (mut p, actor) = resolve(&target)?;
            workflow::request_changes(&mut p, &actor, target.variant, &text)?;
            print(target.json, &workflow::status(&p, target.variant)?, human_status)?;
        }
    }
    Ok(())
}

/// Who acts in a command that changes creatives (`studio campaign`, `studio export`): the
/// profile named by `--as`, checked by the core like the shell's signed-in profile. A project
/// without profiles has no roles yet (`None`: the command runs ungated); once it has profiles,
/// `--as` is required. Errors: `forbidden` without `--as`, `not_found` for an unknown name.
pub fn acting(p: &studio_core::Project, as_name: Option<&str>) -> Result<Option<studio_core::review::Actor>, Failure> {
    match as_name {
        Some(name) => Ok(Some(profiles::actor_by_name(p, name)?)),
        None if profiles::any(p)? => Err(Failure::new(ErrorCode::Forbidden, "this project has profiles: say who acts with --as NAME")),
        None => Ok(None),
    }
}

/// Open the target's project and resolve `--as` to an active profile.
fn resolve(t: &Target) -> Result<(studio_core::Project, studio_core::review::Actor), Failure> {
    let p = open_existing(&t.project)?;
    let actor = profiles::actor_by_name(&p, &t.actor)?;
    Ok((p, actor))
}

/// Print a bulk report; a report with refusals fails with `conflict` (after printing it),
/// so that scripts notice.
fn bulk_result(json: bool, r: &BulkReport, verb: &str) -> Result<(), Failure> {
    print(json, r, |r| {
        for o in &r.outcomes {
            match &o.reason {
                None => outln!("variant {}: {verb} ({})", o.variant_id, o.state)?,
                Some(why) => outln!("variant {}: refused ({}): {}", o.variant_id, why.code.as_str(), why.message)?,
            }
        }
        outln!("{} {verb}, {} refused", r.done, r.refused)
    })?;
    if r.refused > 0 {
        return Err(Failure::new(ErrorCode::Conflict, format!("{} of {} variants were refused (see above)", r.refused, r.outcomes.len())));
    }
    Ok(())
}

fn human_status(s: &ReviewStatus) -> Result<(), Failure> {
    outln!("variant {}: {} (content {})", s.variant_id, s.state, &s.content_hash[..12])?;
    if let Some(a) = &s.approval {
        outln!("  approved by {} at {}{}", a.reviewer, a.approved_at, a.override_reason.as_ref().map(|r| format!(" (override: {r})")).unwrap_or_default())?;
    }
    for f in &s.findings {
        outln!("  {:?} {}: “{}” in the {:?}", f.severity, f.rule, f.text, f.field)?;
    }
    Ok(())
}

/// `studio review show` output.
#[derive(Serialize)]
struct ShowOutput {
    #[serde(flatten)]
    status: ReviewStatus,
    comments: Vec<comments::Comment>,
}

/// Run `studio audit`.
pub fn audit_log(args: AuditArgs) -> Result<(), Failure> {
    let p = crate::open_read(&args.project)?;
    let rows = match args.variant {
        Some(id) => audit::for_variant(&p, id)?,
        None => audit::all(&p, &audit::AuditFilter::default())?,
    };
    // Formatted in memory (the log of one project), then written: a closed pipe is then only
    // an output matter (see `output`).
    let mut text = Vec::new();
    match args.format {
        AuditFormat::Csv => audit::export_csv(&rows, &mut text)?,
        AuditFormat::Json => audit::export_json(&rows, &mut text)?,
        AuditFormat::Text => {
            for r in &rows {
                writeln!(text, "{} #{} {} ({}) {} {} {}: {}", r.at, r.id, r.actor, r.role, r.action, r.entity, r.entity_id, r.detail).expect("writing to memory");
            }
        }
    }
    crate::output::with(|out| out.write_all(&text))
}
