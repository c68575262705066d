//! What to export ([`ExportParams`]) and its one validation ([`ExportParams::check`]).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::ExportError;
use crate::placements::Platform;

/// The message keys of [`ExportError::BadParam`]'s reasons (nested in `err.export.bad_param`).
pub const PARAM_KEYS: &[&str] = &["exportparam.asset_base_url", "exportparam.daily_budget"];

/// What to export, as asked for; [`ExportParams::check`] validates it once.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ExportParams {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub campaign_id: i64,
    /// The export folder: created, or replaced when it holds a previous export.
    pub out_dir: String,
    /// Also write `<campaign>.zip` of every file into the folder.
    #[serde(default)]
    pub zip: bool,
    /// Platforms to export for; empty: every platform among the campaign's placements.
    #[serde(default)]
    pub platforms: Vec<Platform>,
    /// Where the exported images will be served (http(s)); Meta bodies then give images by
    /// `url` instead of by `hash` (no `meta_images.csv`).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub asset_base_url: Option<String>,
    /// Daily budget of each Google campaign, in the account's currency (default
    /// [`DEFAULT_DAILY_BUDGET`], with a warning); the campaigns are written paused.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub daily_budget: Option<f64>,
}

/// The daily budget written when none is given: Google's minimum-like placeholder; the
/// campaigns are paused, so nothing is spent until someone sets the real budget.
pub const DEFAULT_DAILY_BUDGET: f64 = 1.0;

/// Parameters that passed [`ExportParams::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct ValidExportParams {
    pub campaign_id: i64,
    pub out_dir: PathBuf,
    pub zip: bool,
    pub platforms: Vec<Platform>,
    /// Without a trailing `/`.
    pub asset_base_url: Option<String>,
    pub daily_budget: Option<f64>,
}

impl ExportParams {
    /// Validate: the folder path is non-empty, has no NUL, and ends in a folder name (not `/`,
    /// `.` or `..`); platforms are deduplicated; the asset base URL is an http(s) URL with a
    /// host and no spaces, query or fragment; the daily budget a finite number above zero.
    ///
    /// Errors: [`ExportError::BadOutDir`], [`ExportError::BadParam`] naming the field.
    pub fn check(self) -> Result<ValidExportParams, ExportError> {
        let bad = || ExportError::BadOutDir(self.out_dir.clone());
        if self.out_dir.trim().is_empty() || self.out_dir.contains('\0') {
            return Err(bad());
        }
        let out_dir = PathBuf::from(&self.out_dir);
        if !matches!(out_dir.components().next_back(), Some(std::path::Component::Normal(_))) {
            return Err(bad());
        }
        let mut platforms = self.platforms;
        platforms.sort_by_key(|p| *p as u8);
        platforms.dedup();
        let asset_base_url = match self.asset_base_url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            None => None,
            Some(u) => {
                let rest = u.strip_prefix("https://").or_else(|| u.strip_prefix("http://"));
                let host = rest.map(|r| r.split('/').next().unwrap_or(""));
                if host.is_none_or(str::is_empty) || u.contains(['?', '#']) || u.chars().any(|c| c.is_whitespace() || c.is_control()) {
                    return Err(ExportError::BadParam {
                        field: "asset_base_url",
                        reason: crate::error::keyed_text!("exportparam.asset_base_url"; "{value:?} is not an http(s) URL with a host and no spaces, query or fragment", value = u),
                    });
                }
                Some(u.trim_end_matches('/').to_string())
            }
        };
        if let Some(b) = self.daily_budget.filter(|b| !b.is_finite() || *b <= 0.0 || *b > 1e9) {
            return Err(ExportError::BadParam { field: "daily_budget", reason: crate::error::keyed_text!("exportparam.daily_budget"; "{value} is not an amount above zero", value = b) });
        }
        Ok(ValidExportParams { campaign_id: self.campaign_id, out_dir, zip: self.zip, platforms, asset_base_url, daily_budget: self.daily_budget })
    }
}
