//! Who is acting: local profiles (marketer, reviewer, manager, admin). The window picks a
//! profile; every gated command resolves it to an `Actor` and the core checks the role.

use studio_core::review::permissions::{self, Permission, Refusal};
use studio_core::review::profiles::{self, Profile, ProfileParams};
use studio_core::review::{Actor, Role};
use studio_core::Project;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The acting profile as an [`Actor`]; `forbidden` when nobody is signed in.
pub fn actor(p: &Project, profile_id: Option<i64>) -> ApiResult<Actor> {
    let id = profile_id.ok_or_else(|| ApiError::refused(Refusal::no_profile()))?;
    Ok(profiles::actor(p, id)?)
}

/// What the acting profile may do: every action with whether it is allowed and, if not, why
/// (the core's role matrix; nobody signed in is refused everything). The window disables what
/// is refused and shows the reason; the core still checks every command.
pub async fn permissions(state: &AppState) -> ApiResult<Vec<Permission>> {
    let id = state.profile_id();
    state
        .with_project(move |p| {
            let who = id.map(|id| profiles::actor(p, id)).transpose();
            // A profile that is gone or deactivated since signing in is refused everything.
            match who {
                Ok(who) => Ok(permissions::permissions(p, who.as_ref())?),
                Err(e) => Ok(studio_core::review::Action::ALL.into_iter().map(|action| Permission { action, allowed: false, reason: Some(Refusal::of(&e)) }).collect()),
            }
        })
        .await
}

/// Every profile, active or not.
pub async fn list_profiles(state: &AppState) -> ApiResult<Vec<Profile>> {
    state.with_project(|p| Ok(profiles::list(p)?)).await
}

/// The acting profile, if any.
pub async fn current_profile(state: &AppState) -> ApiResult<Option<Profile>> {
    let id = state.profile_id();
    state.with_project(move |p| Ok(id.map(|id| profiles::get(p, id)).transpose()?)).await
}

/// Act as profile `profile_id` (it must exist and be active).
pub async fn sign_in(state: &AppState, profile_id: i64) -> ApiResult<Profile> {
    let profile = state
        .with_project(move |p| {
            profiles::actor(p, profile_id)?;
            Ok(profiles::get(p, profile_id)?)
        })
        .await?;
    state.set_profile(Some(profile.id));
    Ok(profile)
}

/// Stop acting as anyone.
pub async fn sign_out(state: &AppState) -> ApiResult<()> {
    state.set_profile(None);
    Ok(())
}

/// Create a profile: the first one of a project is its admin (and signs in); later ones need
/// a signed-in admin.
pub async fn create_profile(state: &AppState, params: ProfileParams) -> ApiResult<Profile> {
    let who = state.profile_id();
    let (profile, first) =
        state.with_project(move |p| if profiles::any(p)? { Ok((profiles::create(p, &actor(p, who)?, params)?, false)) } else { Ok((profiles::bootstrap_admin(p, params)?.0, true)) }).await?;
    if first {
        state.set_profile(Some(profile.id));
    }
    Ok(profile)
}

/// Change a profile's role (admins only).
pub async fn set_profile_role(state: &AppState, profile_id: i64, role: Role) -> ApiResult<Profile> {
    let who = state.profile_id();
    state.with_project(move |p| Ok(profiles::set_role(p, &actor(p, who)?, profile_id, role)?)).await
}

/// Deactivate a profile (admins only); it stays in the history.
pub async fn deactivate_profile(state: &AppState, profile_id: i64) -> ApiResult<Profile> {
    let who = state.profile_id();
    state.with_project(move |p| Ok(profiles::deactivate(p, &actor(p, who)?, profile_id)?)).await
}
