//! Header-light behaviour logs: Taobao/Tianchi UserBehavior and RetailRocket events.

use super::{clip, expect_fields, kind_of, required, unix_time, EventRow, FieldError, Parsed, ProductRow, Stubs};
use crate::ingest::writer::EventKind;

fn stub_product(id: &str, category: Option<&str>) -> ProductRow {
    let (category, name_en, name_zh) = match category {
        Some(c) => (format!("cat_{c}"), format!("Item #{id}"), format!("商品 #{id}")),
        None => ("unknown".to_string(), format!("Item #{id}"), format!("商品 #{id}")),
    };
    ProductRow { id: id.to_string(), name_en, name_zh, category, brand: String::new(), price_cents: 0, currency: "CNY", authoritative: false, image: None }
}

/// Taobao UserBehavior: `user_id,item_id,category_id,behavior_type,timestamp` (no header),
/// behavior `pv|cart|fav|buy`, Unix seconds.
pub fn taobao(f: &[&str]) -> Result<Parsed, FieldError> {
    taobao_with(f, &mut Stubs::every_record())
}

/// [`taobao`], the stub catalog row only where `stubs` wants it.
pub fn taobao_with(f: &[&str], stubs: &mut Stubs) -> Result<Parsed, FieldError> {
    expect_fields(f, 5)?;
    let user = required(f[0], "user_id")?;
    let item = required(f[1], "item_id")?;
    let cat = required(f[2], "category_id")?;
    let kind = match f[3].trim() {
        "pv" => EventKind::View,
        "cart" => EventKind::Cart,
        "fav" => EventKind::Fav,
        "buy" => EventKind::Purchase,
        other => {
            return Err(FieldError::new(
                "behavior_type",
                format!("unknown value {:?} (expected pv, cart, fav or buy)", clip(other)),
                "row.unknown_value",
                [("value", clip(other)), ("expected", "pv, cart, fav, buy".into())],
            ))
        }
    };
    let ts = unix_time(f[4], "timestamp", false)?;
    Ok(Parsed {
        event: Some(EventRow { ts, user: user.into(), product: item.into(), kind, price_cents: None, session: String::new(), raw: None }),
        product: stubs.wanted(item).then(|| Box::new(stub_product(item, Some(cat)))),
        notes: Vec::new(),
    })
}

/// RetailRocket `events.csv`: `timestamp,visitorid,event,itemid,transactionid`, Unix ms,
/// events `view|addtocart|transaction`. The transaction id is kept as the raw value.
pub fn retailrocket(f: &[&str]) -> Result<Parsed, FieldError> {
    retailrocket_with(f, &mut Stubs::every_record())
}

/// [`retailrocket`], the stub catalog row only where `stubs` wants it.
pub fn retailrocket_with(f: &[&str], stubs: &mut Stubs) -> Result<Parsed, FieldError> {
    expect_fields(f, 5)?;
    let ts = unix_time(f[0], "timestamp", true)?;
    let user = required(f[1], "visitorid")?;
    let ev = required(f[2], "event")?;
    let kind = kind_of(ev);
    if kind == EventKind::Other {
        return Err(FieldError::new(
            "event",
            format!("unknown value {:?} (expected view, addtocart or transaction)", clip(ev)),
            "row.unknown_value",
            [("value", clip(ev)), ("expected", "view, addtocart, transaction".into())],
        ));
    }
    let item = required(f[3], "itemid")?;
    let tx = f[4].trim();
    Ok(Parsed {
        event: Some(EventRow { ts, user: user.into(), product: item.into(), kind, price_cents: None, session: String::new(), raw: (!tx.is_empty()).then(|| format!("transactionid={tx}")) }),
        product: stubs.wanted(item).then(|| Box::new(stub_product(item, None))),
        notes: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taobao_rows_map_behaviours() {
        let p = taobao(&["1", "2268318", "2520377", "buy", "1511544070"]).unwrap();
        let e = p.event.unwrap();
        assert_eq!((e.kind, e.ts, e.user.as_str()), (EventKind::Purchase, 1_511_544_070, "1"));
        assert_eq!(p.product.unwrap().category, "cat_2520377");
        assert_eq!(taobao(&["1", "2", "3", "click", "1511544070"]).unwrap_err().column, "behavior_type");
    }

    #[test]
    fn retailrocket_rows_keep_transaction_ids() {
        let e = retailrocket(&["1433221332117", "257597", "transaction", "355908", "4000"]).unwrap().event.unwrap();
        assert_eq!((e.kind, e.ts, e.raw.as_deref()), (EventKind::Purchase, 1_433_221_332, Some("transactionid=4000")));
        assert_eq!(retailrocket(&["1433221332117", "257597", "addtocart", "355908", ""]).unwrap().event.unwrap().kind, EventKind::Cart);
        assert_eq!(retailrocket(&["x", "1", "view", "2", ""]).unwrap_err().column, "timestamp");
    }
}
