//! The three report formats the import reads, told apart by their header, and how one row of
//! each becomes counted figures.
//!
//! - **studio**: `ad_id,impressions,clicks,conversions[,date][,cost]` (see the parent module).
//! - **Google Ads ad report** (a report downloaded as CSV from the Google Ads UI): title lines
//!   above the header (report name, date range) are skipped; the header is the first line
//!   naming `Clicks` and `Impr.` (or `Impressions`). Columns used: `Ad name` (the variant key,
//!   [`crate::export::key`]; or an export file stem), `Impr.`, `Clicks`, `Conversions`, and
//!   optionally `Day` (a date: `2026-11-01` or `Nov 1, 2026`), `Cost` and `Currency code`;
//!   every other column (`Campaign`, `Ad group`, `CTR`, `Ad ID`, …) is ignored. Google's own
//!   numeric `Ad ID` is not a studio id: a report without `Ad name` is refused.
//! - **Meta Ads Manager export** (Ads Manager → Reports → Export table data, CSV): the header
//!   names `Reporting starts`. Columns used: `Ad name`, `Reporting starts`, `Reporting ends`
//!   (the row counts for that period), `Impressions`, `Link clicks` (clicks), `Results`
//!   (conversions) and optionally `Amount spent (CUR)` (cost; the currency is read from the
//!   parentheses). Other columns are ignored.
//!
//! Platform cells: thousands separators (`1,234`) are read; an empty cell or `--` (Google's
//! "nothing to show") counts as 0 in a count column and as no cost in a cost column; a
//! fractional `Conversions`/`Results` (Google's data-driven attribution gives e.g. `2.50`) is
//! rounded to the nearest whole conversion, since the store counts whole ones. A row whose
//! first non-empty cell is `Total` or starts with `Total:` (Google's `Total: Account`,
//! `Total: Campaigns`, …) is a platform total: skipped, listed with its line, never counted (its ads' own rows are).

use std::collections::HashSet;

use ::csv::StringRecord;

use super::{parse_ad_id, MAX_COST, MAX_COUNT};
use crate::error::{keyed_text, Keyed, KeyedText};
use crate::export::names::variant_id_of_key as parse_variant_key;

/// At most this many lines above a platform header are skipped as title lines.
pub const MAX_TITLE_LINES: u64 = 10;

const REQUIRED: [&str; 4] = ["ad_id", "impressions", "clicks", "conversions"];
const OPTIONAL: [&str; 2] = ["date", "cost"];

/// Which format a report is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    Studio,
    GoogleAds,
    MetaAds,
}

impl Format {
    /// The name reported in [`super::PerformanceImport::format`].
    pub fn name(self) -> &'static str {
        match self {
            Format::Studio => "studio",
            Format::GoogleAds => "google_ads",
            Format::MetaAds => "meta_ads",
        }
    }

    /// Display names of the columns: key, impressions, clicks, conversions, date, end, cost.
    fn columns(self) -> [&'static str; 7] {
        match self {
            Format::Studio => ["ad_id", "impressions", "clicks", "conversions", "date", "date", "cost"],
            Format::GoogleAds => ["Ad name", "Impr.", "Clicks", "Conversions", "Day", "Day", "Cost"],
            Format::MetaAds => ["Ad name", "Impressions", "Link clicks", "Results", "Reporting starts", "Reporting ends", "Amount spent"],
        }
    }
}

/// Why one cell of a report row is refused: its column and the reason (kept with the row).
pub(super) struct BadCell {
    pub column: &'static str,
    pub reason: KeyedText,
}

pub(super) fn bad_cell(column: &'static str, reason: KeyedText) -> BadCell {
    BadCell { column, reason }
}

/// One parsed row's figures, for variant `variant_id`.
pub(super) struct Figures {
    pub variant_id: i64,
    pub impressions: i64,
    pub clicks: i64,
    pub conversions: i64,
    /// The day, or the first day of a period.
    pub date: Option<String>,
    /// The last day of a period longer than one day (`None` for a single day or no date).
    pub until: Option<String>,
    pub cost: Option<f64>,
}

/// What a row is.
pub(super) enum Row {
    Figures(Figures),
    /// A platform's total row: not counted; the reason names it.
    Total(KeyedText),
}

/// Where a format's columns are in a header.
pub(super) struct Layout {
    pub format: Format,
    /// Fields in the header.
    pub width: usize,
    /// The cost's currency, when the header says (`Amount spent (CNY)`; a `Currency code`
    /// column's value is read per row instead).
    pub currency: Option<String>,
    cols: [Option<usize>; 7],
    currency_col: Option<usize>,
}

/// Why a report's header is refused: the studio's own layout or a platform's. Shown after
/// "line N: " by the import, so each message names the column concerned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeaderError {
    #[error("the header lacks the required column {0:?} (a header ad_id,impressions,clicks,conversions[,date][,cost] is required, or a Google Ads ad report or Meta Ads Manager export with its own header)")]
    MissingStudioColumn(&'static str),
    #[error("this {platform} header lacks the column {column:?}{hint}")]
    MissingPlatformColumn { platform: &'static str, column: &'static str, hint: &'static str },
    #[error("column {0:?} appears twice")]
    Repeated(String),
    #[error("unknown column {0:?} (expected ad_id, impressions, clicks, conversions, optionally date and cost)")]
    Unknown(String),
}

impl HeaderError {
    /// The refusal of a header at `line`, keyed.
    pub fn at(&self, line: u64) -> KeyedText {
        let (key, params) = match self {
            HeaderError::MissingStudioColumn(column) => ("perf.file.missing_studio_column", vec![("column", column.to_string())]),
            HeaderError::MissingPlatformColumn { platform, column, hint } => {
                (if hint.is_empty() { "perf.file.missing_platform_column" } else { "perf.file.missing_ad_name" }, vec![("platform", platform.to_string()), ("column", column.to_string())])
            }
            HeaderError::Repeated(column) => ("perf.file.repeated_column", vec![("column", column.clone())]),
            HeaderError::Unknown(column) => ("perf.file.unknown_column", vec![("column", column.clone())]),
        };
        let mut keyed = Keyed::new(key, [("line", line.to_string())]);
        keyed.params.extend(params.into_iter().map(|(k, v)| (k.to_string(), v)));
        KeyedText { text: format!("line {line}: {self}"), keyed }
    }
}

fn normalise(n: &str) -> String {
    n.trim().trim_start_matches('\u{feff}').trim().to_string()
}

impl Layout {
    /// The studio layout of header `names`. Errors: [`HeaderError`] (a required column
    /// missing, a column repeated or unknown).
    pub fn studio(names: &[String]) -> Result<Layout, HeaderError> {
        let names: Vec<String> = names.iter().map(|n| normalise(n).to_ascii_lowercase()).collect();
        if let Some(missing) = REQUIRED.iter().find(|c| !names.iter().any(|n| n == *c)) {
            return Err(HeaderError::MissingStudioColumn(missing));
        }
        if let Some(n) = names.iter().enumerate().find_map(|(i, n)| names[..i].contains(n).then_some(n)) {
            return Err(HeaderError::Repeated(n.clone()));
        }
        if let Some(unknown) = names.iter().find(|c| !REQUIRED.contains(&c.as_str()) && !OPTIONAL.contains(&c.as_str())) {
            return Err(HeaderError::Unknown(unknown.clone()));
        }
        let at = |c: &str| names.iter().position(|n| n == c);
        Ok(Layout {
            format: Format::Studio,
            width: names.len(),
            currency: None,
            cols: [at("ad_id"), at("impressions"), at("clicks"), at("conversions"), at("date"), None, at("cost")],
            currency_col: None,
        })
    }

    /// The platform layout of header `names`: `None` when it is no platform header (a title
    /// line, or the studio's format); `Some(Err(_))` when it is one but lacks a column the
    /// import needs or repeats one.
    pub fn platform(names: &[String]) -> Option<Result<Layout, HeaderError>> {
        let names: Vec<String> = names.iter().map(|n| normalise(n)).collect();
        let find = |wanted: &[&str]| names.iter().position(|n| wanted.iter().any(|w| n.eq_ignore_ascii_case(w)));
        let twice = |i: Option<usize>| i.filter(|&i| names.iter().filter(|n| n.eq_ignore_ascii_case(&names[i])).count() > 1).map(|i| names[i].clone());
        let (format, cols, currency, currency_col) = if find(&["Reporting starts"]).is_some() {
            let spent = names.iter().position(|n| n.to_ascii_lowercase().starts_with("amount spent"));
            let currency = spent.and_then(|i| names[i].split_once('(')).map(|(_, c)| c.trim_end_matches(')').trim().to_string()).filter(|c| !c.is_empty());
            let cols = [find(&["Ad name"]), find(&["Impressions"]), find(&["Link clicks"]), find(&["Results"]), find(&["Reporting starts"]), find(&["Reporting ends"]), spent];
            (Format::MetaAds, cols, currency, None)
        } else if find(&["Clicks"]).is_some() && find(&["Impr.", "Impressions"]).is_some() && find(&["Ad name", "Ad ID", "Ad"]).is_some() {
            let cols = [find(&["Ad name"]), find(&["Impr.", "Impressions"]), find(&["Clicks"]), find(&["Conversions"]), find(&["Day", "Date"]), None, find(&["Cost"])];
            (Format::GoogleAds, cols, None, find(&["Currency code", "Currency"]))
        } else {
            return None;
        };
        let shown = format.columns();
        let required: &[usize] = if format == Format::MetaAds { &[0, 1, 2, 3, 4, 5] } else { &[0, 1, 2, 3] };
        if let Some(&i) = required.iter().find(|&&i| cols[i].is_none()) {
            let hint =
                if format == Format::GoogleAds && i == 0 { " (Google's numeric Ad ID is not a studio id: add the column Ad name, which holds the variant key the export gave each ad)" } else { "" };
            let platform = if format == Format::MetaAds { "Meta Ads Manager" } else { "Google Ads report" };
            return Some(Err(HeaderError::MissingPlatformColumn { platform, column: shown[i], hint }));
        }
        if let Some(n) = cols.iter().copied().chain([currency_col]).find_map(twice) {
            return Some(Err(HeaderError::Repeated(n)));
        }
        Some(Ok(Layout { format, width: names.len(), currency, cols, currency_col }))
    }

    /// Parse `record` (as many fields as the header, or a total row): its figures for a variant
    /// of `variants` (the campaign `campaign_id`'s), or that it is a total.
    /// Errors: the refused cell and why (unmapped key, bad number, impossible counts).
    pub fn parse(&self, record: &StringRecord, variants: &HashSet<i64>, campaign_id: i64) -> Result<Row, BadCell> {
        let [key_col, imp_col, clk_col, conv_col, date_col, end_col, cost_col] = self.format.columns();
        let get = |i: usize| self.cols[i].and_then(|c| record.get(c)).unwrap_or("");
        let platform = self.format != Format::Studio;
        if platform {
            if let Some(first) = record.iter().map(str::trim).find(|c| !c.is_empty()).filter(|c| {
                let c = c.to_ascii_lowercase();
                c == "total" || c.starts_with("total:")
            }) {
                return Ok(Row::Total(keyed_text!("perf.row.total"; "a total row ({value:?}): not counted, the rows of its ads are", value = crate::input::bounded(first, 60))));
            }
        }
        if record.len() != self.width {
            return Err(bad_cell("*", keyed_text!("perf.row.field_count"; "{fields} fields, the header has {width}", fields = record.len(), width = self.width)));
        }
        let raw_id = get(0).trim();
        let shown_id = crate::input::bounded(raw_id, 60);
        let variant_id = if platform {
            parse_variant_key(raw_id).or_else(|| parse_ad_id(raw_id).filter(|_| raw_id.parse::<i64>().is_err())).ok_or_else(|| {
                bad_cell(key_col, keyed_text!("perf.row.not_a_key"; "{value:?} is no variant key (campaign-s<segment>-v<variant>-<lang>, the ad name the export gave) nor an exported file stem: not mapped to a variant", value = &shown_id))
            })?
        } else {
            parse_ad_id(raw_id).ok_or_else(|| bad_cell(key_col, keyed_text!("perf.row.not_an_id"; "{value:?} is neither a variant id nor an exported file stem with v<ID>", value = &shown_id)))?
        };
        if !variants.contains(&variant_id) {
            return Err(bad_cell(key_col, keyed_text!("perf.row.not_in_campaign"; "variant {variant} is not in campaign {campaign}", variant = variant_id, campaign = campaign_id)));
        }
        let counter = if platform { platform_count } else { count };
        let impressions = counter(get(1), imp_col, false)?;
        let clicks = counter(get(2), clk_col, false)?;
        let conversions = counter(get(3), conv_col, true)?;
        if clicks > impressions {
            return Err(bad_cell(
                clk_col,
                keyed_text!("perf.row.clicks_exceed"; "{clicks_column} ({clicks}) exceed {impressions_column} ({impressions})", clicks_column = clk_col, clicks = clicks, impressions_column = imp_col, impressions = impressions),
            ));
        }
        if conversions > clicks {
            return Err(bad_cell(
                conv_col,
                keyed_text!("perf.row.conversions_exceed"; "{conversions_column} ({conversions}) exceed {clicks_column} ({clicks}); the studio counts conversions of clicks", conversions_column = conv_col, conversions = conversions, clicks_column = clk_col, clicks = clicks),
            ));
        }
        let (date, until) = if self.format == Format::MetaAds {
            let (start, end) = (date_required(get(4), date_col)?, date_required(get(5), end_col)?);
            if end < start {
                return Err(bad_cell(
                    end_col,
                    keyed_text!("perf.row.end_before_start"; "{end_column} {end} is before {start_column} {start}", end_column = end_col, end = &end, start_column = date_col, start = &start),
                ));
            }
            let until = (end > start).then_some(end);
            (Some(start), until)
        } else {
            (date(get(4), date_col, platform)?, None)
        };
        let cost = cost(get(6), cost_col, platform)?;
        Ok(Row::Figures(Figures { variant_id, impressions, clicks, conversions, date, until, cost }))
    }

    /// The currency of `record`'s cost: the header's, or the row's `Currency code`.
    pub fn currency_of(&self, record: &StringRecord) -> Option<String> {
        self.currency.clone().or_else(|| self.currency_col.and_then(|c| record.get(c)).map(str::trim).filter(|c| !c.is_empty() && *c != "--").map(String::from))
    }
}

fn count(value: &str, column: &'static str, _fractional: bool) -> Result<i64, BadCell> {
    let v = value.trim();
    let digits = !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit());
    match v.parse::<i64>() {
        Ok(n) if (0..=MAX_COUNT).contains(&n) => Ok(n),
        Ok(n) if n < 0 => Err(bad_cell(column, keyed_text!("perf.row.negative"; "{column} must not be negative, is {value}", column = column, value = n))),
        Ok(n) => Err(bad_cell(column, keyed_text!("perf.row.too_large"; "{column} must be at most 10^12, is {value}", column = column, value = n))),
        Err(_) if digits => Err(bad_cell(column, keyed_text!("perf.row.too_large"; "{column} must be at most 10^12, is {value}", column = column, value = crate::input::bounded(v, 60)))),
        Err(_) => Err(bad_cell(column, keyed_text!("perf.row.not_integer"; "{column} must be a non-negative integer, is {value:?}", column = column, value = crate::input::bounded(v, 60)))),
    }
}

/// `v` without thousands separators when it is a number written with them (`1,234,567.5`).
fn ungroup(v: &str) -> Option<String> {
    let (int, frac) = v.split_once('.').map_or((v, None), |(i, f)| (i, Some(f)));
    let groups: Vec<&str> = int.split(',').collect();
    let grouped = groups.len() > 1 && (1..=3).contains(&groups[0].len()) && groups[1..].iter().all(|g| g.len() == 3) && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
    grouped.then(|| groups.concat() + &frac.map(|f| format!(".{f}")).unwrap_or_default())
}

/// A platform count: thousands separators read, empty or `--` = 0, a fraction rounded when
/// `fractional` (conversions), else refused.
fn platform_count(value: &str, column: &'static str, fractional: bool) -> Result<i64, BadCell> {
    let v = value.trim();
    if v.is_empty() || v == "--" {
        return Ok(0);
    }
    let plain = ungroup(v).unwrap_or_else(|| v.to_string());
    if let Some((_, frac)) = plain.split_once('.') {
        let whole = !frac.is_empty() && frac.bytes().all(|b| b == b'0');
        if fractional || whole {
            return match plain.parse::<f64>() {
                Ok(x) if x.is_finite() && x >= 0.0 && x.round() <= MAX_COUNT as f64 => Ok(x.round() as i64),
                _ => count(&plain, column, fractional),
            };
        }
        return Err(bad_cell(column, keyed_text!("perf.row.not_whole"; "{column} must be a whole number, is {value:?}", column = column, value = crate::input::bounded(v, 60))));
    }
    count(&plain, column, fractional)
}

fn parse_day(v: &str, platform: bool) -> Option<String> {
    let d = chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").ok().or_else(|| platform.then(|| chrono::NaiveDate::parse_from_str(v, "%b %d, %Y").ok()).flatten())?;
    Some(d.format("%Y-%m-%d").to_string())
}

fn date(value: &str, column: &'static str, platform: bool) -> Result<Option<String>, BadCell> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let value = crate::input::bounded(v, 60);
    parse_day(v, platform).map(Some).ok_or_else(|| {
        bad_cell(
            column,
            if platform {
                keyed_text!("perf.row.bad_platform_date"; "{column} must be YYYY-MM-DD or like Nov 1, 2026, is {value:?}", column = column, value = value)
            } else {
                keyed_text!("perf.row.bad_date"; "{column} must be YYYY-MM-DD, is {value:?}", column = column, value = value)
            },
        )
    })
}

fn date_required(value: &str, column: &'static str) -> Result<String, BadCell> {
    match date(value, column, true)? {
        Some(d) => Ok(d),
        None => Err(bad_cell(column, keyed_text!("perf.row.empty_date"; "{column} is empty; a Meta row counts for its reporting period", column = column))),
    }
}

fn cost(value: &str, column: &'static str, platform: bool) -> Result<Option<f64>, BadCell> {
    let v = value.trim();
    if v.is_empty() || (platform && v == "--") {
        return Ok(None);
    }
    let plain = if platform { ungroup(v).unwrap_or_else(|| v.to_string()) } else { v.to_string() };
    match plain.parse::<f64>() {
        Ok(c) if c.is_finite() && (0.0..=MAX_COST).contains(&c) => Ok(Some(c)),
        Ok(c) if c.is_finite() && c > MAX_COST => Err(bad_cell(column, keyed_text!("perf.row.too_large"; "{column} must be at most 10^12, is {value}", column = column, value = v))),
        _ => Err(bad_cell(column, keyed_text!("perf.row.bad_cost"; "{column} must be a non-negative number, is {value:?}", column = column, value = crate::input::bounded(v, 60)))),
    }
}
