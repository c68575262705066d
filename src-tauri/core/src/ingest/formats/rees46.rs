//! The REES46 "eCommerce behavior data from multi category store" export.
//!
//! `event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session`
//! with times like `2019-10-01 00:00:00 UTC` and prices in US dollars.

use chrono::NaiveDateTime;

use super::{clip, expect_fields, parse_price, required, EventRow, FieldError, Parsed, ProductRow};
use crate::ingest::writer::EventKind;

/// The exact header of a REES46 export.
pub const HEADER: [&str; 9] =
    ["event_time", "event_type", "product_id", "category_id", "category_code", "brand", "price", "user_id", "user_session"];

/// Parse one record.
pub fn parse(f: &[&str]) -> Result<Parsed, FieldError> {
    expect_fields(f, HEADER.len())?;
    let ts = parse_time(f[0]).ok_or_else(|| FieldError::new("event_time", format!("cannot parse {:?} as 'YYYY-MM-DD hh:mm:ss UTC'", clip(f[0]))))?;
    let (kind, raw) = match f[1].trim() {
        "view" => (EventKind::View, None),
        "cart" => (EventKind::Cart, None),
        "purchase" => (EventKind::Purchase, None),
        "remove_from_cart" => (EventKind::Other, Some("remove_from_cart".to_string())),
        other => return Err(FieldError::new("event_type", format!("unknown value {:?}", clip(other)))),
    };
    let product_id = required(f[2], "product_id")?;
    let price_cents = parse_price(f[6], "price")?;
    let user_id = required(f[7], "user_id")?;
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
    Ok(Parsed {
        event: Some(EventRow {
            ts,
            user: user_id.to_string(),
            product: product_id.to_string(),
            kind,
            price_cents: Some(price_cents),
            session: f[8].trim().to_string(),
            raw,
        }),
        product: Some(ProductRow {
            id: product_id.to_string(),
            name_en,
            name_zh,
            category,
            brand: brand.to_string(),
            price_cents,
            currency: "USD",
            authoritative: false,
        }),
        notes: Vec::new(),
    })
}

fn parse_time(s: &str) -> Option<i64> {
    let t = s.trim().strip_suffix(" UTC")?;
    NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S").ok().map(|d| d.and_utc().timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_full_row() {
        let f = ["2019-10-01 00:00:00 UTC", "view", "44600062", "2103807459595387724", "appliances.kitchen.refrigerators", "shiseido", "35.79", "541312140", "72d76fde"];
        let r = parse(&f).unwrap();
        let e = r.event.unwrap();
        assert_eq!(e.ts, 1_569_888_000);
        assert_eq!(e.price_cents, Some(3579));
        let p = r.product.unwrap();
        assert_eq!(p.category, "appliances");
        assert_eq!(p.name_en, "shiseido refrigerators");
    }

    #[test]
    fn rejects_wrong_field_count_and_bad_values_naming_the_column() {
        assert!(parse(&["a"; 8]).unwrap_err().reason.contains("expected 9 fields, found 8"));
        let mut f = ["2019-10-01 00:00:00 UTC", "view", "1", "2", "", "", "abc", "5", "s"];
        assert_eq!(parse(&f).unwrap_err().column, "price");
        f[6] = "1.5";
        f[0] = "yesterday";
        assert_eq!(parse(&f).unwrap_err().column, "event_time");
        f[0] = "2019-10-01 00:00:00 UTC";
        f[1] = "teleport";
        assert_eq!(parse(&f).unwrap_err().column, "event_type");
    }

    #[test]
    fn remove_from_cart_keeps_its_raw_value() {
        let f = ["2019-10-01 00:00:00 UTC", "remove_from_cart", "1", "2", "", "", "1.00", "5", "s"];
        let e = parse(&f).unwrap().event.unwrap();
        assert_eq!((e.kind, e.raw.as_deref()), (EventKind::Other, Some("remove_from_cart")));
    }
}
