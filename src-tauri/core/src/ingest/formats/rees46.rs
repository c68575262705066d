//! The REES46 "eCommerce behavior data from multi category store" export.
//!
//! `event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session`
//! with times like `2019-10-01 00:00:00 UTC` and prices in US dollars.

use chrono::NaiveDateTime;

use super::{clip, expect_fields, parse_price, required, EventRow, FieldError, Parsed, ProductRow, Stubs};
use crate::ingest::writer::EventKind;

/// The exact header of a REES46 export.
pub const HEADER: [&str; 9] = ["event_time", "event_type", "product_id", "category_id", "category_code", "brand", "price", "user_id", "user_session"];

/// Parse one record (with its stub catalog row).
pub fn parse(f: &[&str]) -> Result<Parsed, FieldError> {
    parse_with(f, &mut Stubs::every_record())
}

/// Parse one record; the stub catalog row only where `stubs` wants it.
pub fn parse_with(f: &[&str], stubs: &mut Stubs) -> Result<Parsed, FieldError> {
    expect_fields(f, HEADER.len())?;
    let ts = parse_time(f[0]).ok_or_else(|| {
        FieldError::new("event_time", format!("cannot parse {:?} as 'YYYY-MM-DD hh:mm:ss UTC'", clip(f[0])), "row.bad_time", [("value", clip(f[0])), ("formats", "'YYYY-MM-DD hh:mm:ss UTC'".into())])
    })?;
    let (kind, raw) = match f[1].trim() {
        "view" => (EventKind::View, None),
        "cart" => (EventKind::Cart, None),
        "purchase" => (EventKind::Purchase, None),
        "remove_from_cart" => (EventKind::Other, Some("remove_from_cart".to_string())),
        other => {
            return Err(FieldError::new(
                "event_type",
                format!("unknown value {:?}", clip(other)),
                "row.unknown_value",
                [("value", clip(other)), ("expected", "view, cart, remove_from_cart, purchase".into())],
            ))
        }
    };
    let product_id = required(f[2], "product_id")?;
    let price_cents = parse_price(f[6], "price")?;
    let user_id = required(f[7], "user_id")?;
    let product = stubs.wanted(product_id).then(|| Box::new(stub(product_id, f[4].trim(), f[5].trim(), price_cents)));
    Ok(Parsed {
        event: Some(EventRow { ts, user: user_id.to_string(), product: product_id.to_string(), kind, price_cents: Some(price_cents), session: f[8].trim().to_string(), raw }),
        product,
        notes: Vec::new(),
    })
}

/// The catalog row an event implies: category from the code's first part, a name from the
/// brand and the code's last part.
fn stub(product_id: &str, code: &str, brand: &str, price_cents: i64) -> ProductRow {
    let category = code.split('.').next().filter(|s| !s.is_empty()).unwrap_or("unknown").to_string();
    let leaf = code.rsplit('.').next().filter(|s| !s.is_empty()).map(|s| s.replace('_', " "));
    let (name_en, name_zh) = match (&leaf, brand.is_empty()) {
        (Some(l), false) => (format!("{brand} {l}"), format!("{brand} {l}")),
        (Some(l), true) => (format!("{l} #{product_id}"), format!("{l} #{product_id}")),
        (None, false) => (format!("{brand} item #{product_id}"), format!("{brand} 商品 #{product_id}")),
        (None, true) => (format!("Item #{product_id}"), format!("商品 #{product_id}")),
    };
    ProductRow { id: product_id.to_string(), name_en, name_zh, category, brand: brand.to_string(), price_cents, currency: "USD", authoritative: false, image: None }
}

fn parse_time(s: &str) -> Option<i64> {
    let t = s.trim().strip_suffix(" UTC")?;
    fast_time(t).or_else(|| NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S").ok().map(|d| d.and_utc().timestamp()))
}

/// `YYYY-MM-DD hh:mm:ss` → Unix seconds without allocating; `None` for anything else
/// (including out-of-range fields), so the caller can fall back to the general parser.
fn fast_time(t: &str) -> Option<i64> {
    let b = t.as_bytes();
    if b.len() != 19 || b[4] != b'-' || b[7] != b'-' || b[10] != b' ' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> { b[r].iter().try_fold(0i64, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + (c - b'0') as i64)) };
    let (y, mo, d, h, mi, s) = (num(0..4)?, num(5..7)?, num(8..10)?, num(11..13)?, num(14..16)?, num(17..19)?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days_in = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if !(1..=12).contains(&mo) || d < 1 || d > days_in[(mo - 1) as usize] || h > 23 || mi > 59 || s > 59 {
        return None;
    }
    // days from civil (Howard Hinnant)
    let y2 = if mo <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + h * 3600 + mi * 60 + s)
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
    fn fast_time_agrees_with_chrono() {
        for t in ["2019-10-01 00:00:00", "2020-02-29 23:59:59", "1999-12-31 12:34:56", "2100-03-01 00:00:01"] {
            let want = NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S").unwrap().and_utc().timestamp();
            assert_eq!(fast_time(t), Some(want), "{t}");
        }
        for bad in ["2019-02-29 00:00:00", "2019-13-01 00:00:00", "2019-10-01 24:00:00", "2019-10-01T00:00:00", "2019-1-01 00:00:00"] {
            assert_eq!(fast_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn remove_from_cart_keeps_its_raw_value() {
        let f = ["2019-10-01 00:00:00 UTC", "remove_from_cart", "1", "2", "", "", "1.00", "5", "s"];
        let e = parse(&f).unwrap().event.unwrap();
        assert_eq!((e.kind, e.raw.as_deref()), (EventKind::Other, Some("remove_from_cart")));
    }
}
