//! Input formats. Each maps one record's fields to the normalised model: an optional event and
//! an optional catalog row, or a [`FieldError`] naming the column and the reason.

pub mod generic;
pub mod guess;
pub mod online_retail;
pub mod rees46;
pub mod simple;

use std::collections::HashSet;

use rustc_hash::FxBuildHasher;
use serde::Serialize;

use super::writer::EventKind;
use crate::error::Keyed;

/// The formats the importer knows. Detected from the first line; overridable.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// REES46 multi-category store export.
    Rees46,
    /// Taobao / Tianchi UserBehavior: no header, `user,item,category,behavior,unix_seconds`.
    Taobao,
    /// RetailRocket `events.csv`: `timestamp(ms),visitorid,event,itemid,transactionid`.
    RetailRocket,
    /// UCI Online Retail invoices.
    OnlineRetail,
    /// A product catalog: id, title, category path, brand, price, image.
    Catalog(generic::CatalogColumns),
    /// Any CSV/TSV/JSON Lines with a user-given column mapping.
    Generic(generic::Mapping),
}

impl Format {
    /// The stored name.
    pub fn name(&self) -> &'static str {
        match self {
            Format::Rees46 => "rees46",
            Format::Taobao => "taobao",
            Format::RetailRocket => "retailrocket",
            Format::OnlineRetail => "online_retail",
            Format::Catalog(_) => "catalog",
            Format::Generic(_) => "generic",
        }
    }

    /// The currency a format's prices are in when its rows carry none: REES46 exports are in
    /// USD, UCI Online Retail's invoices in GBP. `None`: the file does not say (no prices, or a
    /// mapped file whose currency the user gives or the project's is assumed).
    pub fn fixed_currency(&self) -> Option<&'static str> {
        match self {
            Format::Rees46 => Some("USD"),
            Format::OnlineRetail => Some("GBP"),
            Format::Taobao | Format::RetailRocket | Format::Catalog(_) | Format::Generic(_) => None,
        }
    }

    /// Whether line 1 is a header (Taobao files have none).
    /// The column holding user ids (0-based), if the format has one (a catalog has none).
    pub fn user_column(&self) -> Option<usize> {
        match self {
            Format::Rees46 => Some(7),
            Format::Taobao => Some(0),
            Format::RetailRocket => Some(1),
            Format::OnlineRetail => Some(6),
            Format::Catalog(_) => None,
            Format::Generic(m) => Some(m.user),
        }
    }

    pub fn has_header(&self) -> bool {
        !matches!(self, Format::Taobao)
    }

    /// Parse one record, with a stub catalog row for every event.
    pub fn parse(&self, f: &[&str]) -> Result<Parsed, FieldError> {
        self.parse_with(f, &mut Stubs::every_record())
    }

    /// Parse one record, building stub catalog rows only where `stubs` wants them.
    pub fn parse_with(&self, f: &[&str], stubs: &mut Stubs) -> Result<Parsed, FieldError> {
        match self {
            Format::Rees46 => rees46::parse_with(f, stubs),
            Format::Taobao => simple::taobao_with(f, stubs),
            Format::RetailRocket => simple::retailrocket_with(f, stubs),
            Format::OnlineRetail => online_retail::parse_with(f, stubs),
            Format::Catalog(c) => generic::catalog(c, f),
            Format::Generic(m) => generic::event_with(m, f, stubs),
        }
    }
}

/// Which product ids still need a stub catalog row. Event formats derive a placeholder product
/// from every event, and the store keeps the first one per id; an import asks for each id
/// once and so skips building (and storing) the rest. Ask only once a record is valid.
pub struct Stubs {
    seen: Option<SeenIds>,
}

/// Product ids seen so far. Ids are very often decimal numbers: those are kept as integers
/// (no string to hash, compare or chase a pointer to), the rest as text. Most numeric ids fit
/// 32 bits, and a set half the size misses the cache half as often: every record asks.
#[derive(Default)]
struct SeenIds {
    small: HashSet<u32, FxBuildHasher>,
    numeric: HashSet<u64, FxBuildHasher>,
    text: HashSet<Box<str>, FxBuildHasher>,
}

impl SeenIds {
    /// Record `id`; `true` when it is new.
    fn insert(&mut self, id: &str) -> bool {
        // A canonical decimal (no sign, no leading zero, fits u64) maps to exactly one id.
        let canonical = !id.is_empty() && id.len() <= 19 && id.bytes().all(|b| b.is_ascii_digit()) && (id.len() == 1 || !id.starts_with('0'));
        if canonical {
            let n: u64 = id.parse().expect("checked decimal");
            return match u32::try_from(n) {
                Ok(small) => self.small.insert(small),
                Err(_) => self.numeric.insert(n),
            };
        }
        if self.text.contains(id) {
            return false;
        }
        self.text.insert(id.into())
    }
}

impl Stubs {
    /// A stub for every record (previews, tests).
    pub fn every_record() -> Self {
        Stubs { seen: None }
    }

    /// A stub for the first valid record of each product id.
    pub fn once_per_id() -> Self {
        Stubs { seen: Some(SeenIds::default()) }
    }

    /// Whether to build the stub for `id` (records it as built).
    pub fn wanted(&mut self, id: &str) -> bool {
        match &mut self.seen {
            None => true,
            Some(seen) => seen.insert(id),
        }
    }
}

/// A normalised event (owned).
#[derive(Debug, Clone, PartialEq)]
pub struct EventRow {
    /// Unix seconds, UTC.
    pub ts: i64,
    pub user: String,
    pub product: String,
    pub kind: EventKind,
    pub price_cents: Option<i64>,
    pub session: String,
    /// The source value where normalising lost information (e.g. `remove_from_cart`).
    pub raw: Option<String>,
}

/// A normalised catalog row (owned).
#[derive(Debug, Clone, PartialEq)]
pub struct ProductRow {
    pub id: String,
    pub name_en: String,
    pub name_zh: String,
    pub category: String,
    pub brand: String,
    pub price_cents: i64,
    pub currency: &'static str,
    /// True for authoritative catalog files: they overwrite stub rows derived from events.
    pub authoritative: bool,
    /// Image path or URL, kept as text (never fetched).
    pub image: Option<String>,
}

/// What one record became. `notes` name handled special cases (e.g. a cancellation), counted
/// in the import summary.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Parsed {
    pub event: Option<EventRow>,
    /// Boxed: most records of an event file carry none, and a batch moves records around.
    pub product: Option<Box<ProductRow>>,
    pub notes: Vec<&'static str>,
}

/// Why a record was rejected: the column (by name) and the reason, in English (stored, and
/// shown by the CLI) and as a message key `row.*` with parameters (the window's language).
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    pub column: String,
    pub reason: String,
    pub keyed: Keyed,
}

impl FieldError {
    /// An error in `column`: `reason` in English, and `key` (one of [`ROW_KEYS`]) with `params`.
    pub fn new<const N: usize>(column: &str, reason: impl Into<String>, key: &str, params: [(&str, String); N]) -> Self {
        FieldError { column: column.to_string(), reason: reason.into(), keyed: Keyed::new(key, params) }
    }
}

/// The message keys of row rejections (see [`FieldError`] and [`crate::messages`]).
pub const ROW_KEYS: &[&str] = &[
    "row.unreadable",
    "row.field_count",
    "row.empty",
    "row.missing_field",
    "row.not_unix_time",
    "row.time_out_of_range",
    "row.bad_time",
    "row.not_decimal",
    "row.not_integer",
    "row.zero_quantity",
    "row.unknown_value",
    "row.unsupported_currency",
    "row.currency_mismatch",
];

/// Require exactly `n` fields.
pub fn expect_fields(f: &[&str], n: usize) -> Result<(), FieldError> {
    if f.len() != n {
        return Err(FieldError::new(
            "*",
            format!("expected {n} fields, found {} (truncated or malformed line)", f.len()),
            "row.field_count",
            [("expected", n.to_string()), ("found", f.len().to_string())],
        ));
    }
    Ok(())
}

/// A non-empty trimmed value.
pub fn required<'a>(f: &'a str, column: &str) -> Result<&'a str, FieldError> {
    let t = f.trim();
    if t.is_empty() {
        Err(FieldError::new(column, "empty", "row.empty", []))
    } else {
        Ok(t)
    }
}

/// An integer (Unix seconds or milliseconds) timestamp.
pub fn unix_time(s: &str, column: &str, millis: bool) -> Result<i64, FieldError> {
    let v: i64 = s.trim().parse().map_err(|_| FieldError::new(column, format!("{:?} is not a Unix timestamp", clip(s)), "row.not_unix_time", [("value", clip(s))]))?;
    let secs = if millis { v.div_euclid(1000) } else { v };
    // 1990-01-01 .. 2100-01-01: anything else is a unit mistake or garbage.
    if !(631_152_000..4_102_444_800).contains(&secs) {
        let unit = if millis { "milliseconds" } else { "seconds" };
        return Err(FieldError::new(
            column,
            format!("{v} is outside 1990..2100 as Unix {unit}"),
            "row.time_out_of_range",
            [("value", v.to_string()), ("unit", if millis { "ms" } else { "s" }.to_string())],
        ));
    }
    Ok(secs)
}

/// At most 40 characters of `s`, for messages.
pub fn clip(s: &str) -> String {
    s.chars().take(40).collect()
}

/// Decimal currency units → minor units, exactly (no float rounding); half-up on the third
/// decimal.
pub fn parse_price(s: &str, column: &str) -> Result<i64, FieldError> {
    let t = s.trim();
    let bad = || FieldError::new(column, format!("{:?} is not a non-negative decimal number", clip(t)), "row.not_decimal", [("value", clip(t))]);
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) || int.len() > 12 {
        return Err(bad());
    }
    let mut cents: i64 = int.parse::<i64>().map_err(|_| bad())? * 100;
    let fb = frac.as_bytes();
    let d = |i: usize| fb.get(i).map(|b| (b - b'0') as i64).unwrap_or(0);
    cents += d(0) * 10 + d(1);
    if d(2) >= 5 {
        cents += 1;
    }
    Ok(cents)
}

/// Map a free-form event name to the normalised kind; unknown names become `Other` (the raw
/// value is kept by the caller).
pub fn kind_of(name: &str) -> EventKind {
    match name.trim().to_ascii_lowercase().as_str() {
        "view" | "pv" | "click" | "detail" | "page_view" | "product_view" | "viewed" => EventKind::View,
        "cart" | "addtocart" | "add_to_cart" | "add-to-cart" | "addtobasket" => EventKind::Cart,
        "fav" | "favorite" | "favourite" | "wishlist" | "like" => EventKind::Fav,
        "purchase" | "buy" | "transaction" | "order" | "checkout" | "sale" => EventKind::Purchase,
        _ => EventKind::Other,
    }
}

/// Pick the format for a file whose first record is `first`. `None` when nothing matches
/// (the caller then asks for a column mapping).
pub fn detect(first: &[&str]) -> Option<Format> {
    let norm: Vec<String> = first.iter().map(|s| s.trim().trim_matches('"').to_ascii_lowercase()).collect();
    let is = |want: &[&str]| norm.len() == want.len() && norm.iter().zip(want).all(|(a, b)| a == b);
    if is(&rees46::HEADER) {
        return Some(Format::Rees46);
    }
    if is(&["timestamp", "visitorid", "event", "itemid", "transactionid"]) {
        return Some(Format::RetailRocket);
    }
    if norm.iter().map(String::as_str).eq(online_retail::HEADER.iter().map(|h| h.to_ascii_lowercase()).collect::<Vec<_>>().iter().map(String::as_str)) {
        return Some(Format::OnlineRetail);
    }
    if first.len() == 5 && simple::taobao(first).is_ok() {
        return Some(Format::Taobao);
    }
    generic::CatalogColumns::detect(&norm).map(Format::Catalog)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_each_known_header() {
        assert_eq!(detect(&rees46::HEADER).unwrap().name(), "rees46");
        assert_eq!(detect(&["timestamp", "visitorid", "event", "itemid", "transactionid"]).unwrap().name(), "retailrocket");
        assert_eq!(detect(&online_retail::HEADER).unwrap().name(), "online_retail");
        assert_eq!(detect(&["1", "2268318", "2520377", "pv", "1511544070"]).unwrap().name(), "taobao");
        assert_eq!(detect(&["id", "title", "category", "brand", "price", "image"]).unwrap().name(), "catalog");
        assert!(detect(&["a", "b"]).is_none());
    }

    #[test]
    fn stubs_ask_once_per_id_telling_numeric_lookalikes_apart() {
        let mut s = Stubs::once_per_id();
        for id in ["7", "07", "7 ", "x7", "4294967295", "4294967296", "18446744073709551615", "99999999999999999999"] {
            assert!(s.wanted(id), "{id:?} is new");
            assert!(!s.wanted(id), "{id:?} asked again");
        }
        assert!(s.wanted("0"));
        assert!(Stubs::every_record().wanted("7") && Stubs::every_record().wanted("7"));
    }

    #[test]
    fn price_is_exact() {
        assert_eq!(parse_price("0.1", "p").unwrap(), 10);
        assert_eq!(parse_price("1234.56", "p").unwrap(), 123456);
        assert_eq!(parse_price("2.005", "p").unwrap(), 201);
        assert!(parse_price("-1", "p").is_err());
        assert!(parse_price("", "p").is_err());
        assert!(parse_price("1e3", "p").is_err());
    }

    #[test]
    fn unix_time_checks_range_and_unit() {
        assert_eq!(unix_time("1511544070", "t", false).unwrap(), 1_511_544_070);
        assert_eq!(unix_time("1433221332117", "t", true).unwrap(), 1_433_221_332);
        assert!(unix_time("1433221332117", "t", false).is_err(), "ms given as seconds");
        assert!(unix_time("yesterday", "t", false).is_err());
    }
}
