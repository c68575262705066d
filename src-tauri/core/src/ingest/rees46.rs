//! The REES46 "eCommerce behavior data from multi category store" export format.
//!
//! `event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session`
//! with times like `2019-10-01 00:00:00 UTC` and prices as decimal currency units.

use chrono::NaiveDateTime;

use super::writer::{EventKind, NewEvent, NewProduct};

/// The exact header of a REES46 export.
pub const HEADER: [&str; 9] =
    ["event_time", "event_type", "product_id", "category_id", "category_code", "brand", "price", "user_id", "user_session"];

/// One parsed row, borrowing the record's fields.
#[derive(Debug)]
pub struct Row<'a> {
    pub event: NewEvent<'a>,
    pub category: String,
    pub brand: &'a str,
    pub name_en: String,
    pub name_zh: String,
}

impl<'a> Row<'a> {
    /// The catalog row this event implies.
    pub fn product(&self) -> NewProduct<'_> {
        NewProduct {
            id: self.event.product_id,
            name_en: &self.name_en,
            name_zh: &self.name_zh,
            category: &self.category,
            brand: self.brand,
            price_cents: self.event.price_cents.unwrap_or(0),
            // REES46 prices are US dollars.
            currency: "USD",
        }
    }
}

/// Parse one record's fields. Errors are a human-readable reason naming the column.
pub fn parse<'a>(f: &[&'a str]) -> Result<Row<'a>, String> {
    if f.len() != HEADER.len() {
        return Err(format!("expected {} fields, found {} (truncated or malformed line)", HEADER.len(), f.len()));
    }
    let ts = parse_time(f[0]).ok_or_else(|| format!("event_time: cannot parse {:?} as 'YYYY-MM-DD hh:mm:ss UTC'", clip(f[0])))?;
    let kind = match f[1] {
        "view" => EventKind::View,
        "cart" => EventKind::Cart,
        "purchase" => EventKind::Purchase,
        "remove_from_cart" => EventKind::Other,
        other => return Err(format!("event_type: unknown value {:?}", clip(other))),
    };
    let product_id = non_empty(f[2], "product_id")?;
    let price_cents = parse_price(f[6])?;
    let user_id = non_empty(f[7], "user_id")?;
    let code = f[4].trim();
    let category = code.split('.').next().filter(|s| !s.is_empty()).unwrap_or("unknown").to_string();
    let brand = f[5].trim();
    let leaf = code.rsplit('.').next().filter(|s| !s.is_empty()).map(|s| s.replace('_', " "));
    let (name_en, name_zh) = match (&leaf, brand.is_empty()) {
        (Some(l), false) => (format!("{brand} {l}"), format!("{brand} {l}")),
        (Some(l), true) => (format!("{l} #{product_id}"), format!("{l} #{product_id}")),
        (None, false) => (format!("{brand} item #{product_id}"), format!("{brand} 商品 #{product_id}")),
        (None, true) => (format!("Item #{product_id}"), format!("商品 #{product_id}")),
    };
    Ok(Row {
        event: NewEvent { ts, user_id, product_id, kind, price_cents: Some(price_cents), session: f[8].trim() },
        category,
        brand,
        name_en,
        name_zh,
    })
}

fn non_empty<'a>(s: &'a str, col: &str) -> Result<&'a str, String> {
    let t = s.trim();
    if t.is_empty() {
        Err(format!("{col}: empty"))
    } else {
        Ok(t)
    }
}

fn parse_time(s: &str) -> Option<i64> {
    let t = s.trim().strip_suffix(" UTC")?;
    NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S").ok().map(|d| d.and_utc().timestamp())
}

/// Decimal currency units → minor units, exactly (no float rounding).
pub fn parse_price(s: &str) -> Result<i64, String> {
    let t = s.trim();
    let bad = || format!("price: {:?} is not a non-negative decimal number", clip(t));
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) || int.len() > 12 {
        return Err(bad());
    }
    let mut cents: i64 = int.parse().map_err(|_| bad())?;
    cents *= 100;
    let fb = frac.as_bytes();
    let d = |i: usize| fb.get(i).map(|b| (b - b'0') as i64).unwrap_or(0);
    cents += d(0) * 10 + d(1);
    if d(2) >= 5 {
        cents += 1;
    }
    Ok(cents)
}

fn clip(s: &str) -> String {
    s.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_full_row() {
        let f = ["2019-10-01 00:00:00 UTC", "view", "44600062", "2103807459595387724", "appliances.kitchen.refrigerators", "shiseido", "35.79", "541312140", "72d76fde-8bb3-4e00-8c23-a032dfed738c"];
        let r = parse(&f).unwrap();
        assert_eq!(r.event.ts, 1_569_888_000);
        assert_eq!(r.event.price_cents, Some(3579));
        assert_eq!(r.category, "appliances");
        assert_eq!(r.name_en, "shiseido refrigerators");
    }

    #[test]
    fn rejects_wrong_field_count_and_bad_values() {
        assert!(parse(&["a"; 8]).unwrap_err().contains("expected 9 fields, found 8"));
        let mut f = ["2019-10-01 00:00:00 UTC", "view", "1", "2", "", "", "abc", "5", "s"];
        assert!(parse(&f).unwrap_err().starts_with("price"));
        f[6] = "1.5";
        f[0] = "yesterday";
        assert!(parse(&f).unwrap_err().starts_with("event_time"));
    }

    #[test]
    fn price_is_exact() {
        assert_eq!(parse_price("0.1").unwrap(), 10);
        assert_eq!(parse_price("1234.56").unwrap(), 123456);
        assert_eq!(parse_price("2.005").unwrap(), 201);
        assert!(parse_price("-1").is_err());
        assert!(parse_price("").is_err());
    }
}
