//! UCI Online Retail invoices: `InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,
//! CustomerID,Country`, prices in pounds sterling.
//!
//! Each line is a catalog row (stock code, description, price) and, when the customer is known,
//! a purchase event (session = invoice, raw = quantity). Cancellations (`C…` invoices, negative
//! quantities) become `other` events with raw `cancel qty=-N` (negative quantities on ordinary
//! invoices, stock adjustments, become `other` with raw `adjust qty=-N`); lines without a customer (`NA`)
//! keep their catalog row but make no event. Both are counted in the summary's notes.

use chrono::NaiveDateTime;

use super::{clip, expect_fields, parse_price, required, EventRow, FieldError, Parsed, ProductRow, Stubs};
use crate::ingest::writer::EventKind;

/// The header, as UCI ships it.
pub const HEADER: [&str; 8] = ["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"];

/// Note for a negative quantity on an ordinary invoice (stock adjustment, damage, loss).
pub const NOTE_ADJUST: &str = "negative quantity on an ordinary invoice (stock adjustment) → kind 'other', raw adjust qty";
/// Note for a cancellation line.
pub const NOTE_CANCEL: &str = "cancellations (C… invoices) → kind 'other', raw cancel qty";
/// Note for a line without customer.
pub const NOTE_NO_CUSTOMER: &str = "no customer (NA) → catalog row only, no event";

/// Parse one record (with its catalog row).
pub fn parse(f: &[&str]) -> Result<Parsed, FieldError> {
    parse_with(f, &mut Stubs::every_record())
}

/// Parse one record; the catalog row only where `stubs` wants it.
pub fn parse_with(f: &[&str], stubs: &mut Stubs) -> Result<Parsed, FieldError> {
    expect_fields(f, HEADER.len())?;
    let invoice = required(f[0], "InvoiceNo")?;
    let code = required(f[1], "StockCode")?;
    let qty: i64 = f[3].trim().parse().map_err(|_| FieldError::new("Quantity", format!("{:?} is not an integer", clip(f[3])), "row.not_integer", [("value", clip(f[3]))]))?;
    let ts = parse_date(f[4]).ok_or_else(|| {
        FieldError::new(
            "InvoiceDate",
            format!("cannot parse {:?} (expected 'YYYY-MM-DD hh:mm[:ss]' or 'M/D/YYYY h:mm')", clip(f[4])),
            "row.bad_time",
            [("value", clip(f[4])), ("formats", "'YYYY-MM-DD hh:mm[:ss]', 'M/D/YYYY h:mm'".into())],
        )
    })?;
    let price = parse_price(f[5], "UnitPrice")?;
    let cancel = invoice.starts_with('C');
    let adjustment = !cancel && qty < 0;
    if qty == 0 {
        return Err(FieldError::new("Quantity", "zero quantity", "row.zero_quantity", []));
    }
    let desc = f[2].trim();
    let product = stubs.wanted(code).then(|| {
        let name = if desc.is_empty() { format!("Item {code}") } else { desc.to_string() };
        Box::new(ProductRow {
            id: code.to_string(),
            name_en: name.clone(),
            name_zh: name,
            category: "unknown".into(),
            brand: String::new(),
            price_cents: price,
            currency: "GBP",
            authoritative: false,
            image: None,
        })
    });
    let customer = f[6].trim();
    let mut notes = Vec::new();
    if cancel {
        notes.push(NOTE_CANCEL);
    }
    if adjustment {
        notes.push(NOTE_ADJUST);
    }
    if customer.is_empty() || customer.eq_ignore_ascii_case("NA") {
        notes.push(NOTE_NO_CUSTOMER);
        return Ok(Parsed { event: None, product, notes });
    }
    let user = customer.strip_suffix(".0").unwrap_or(customer);
    let (kind, raw) = if cancel {
        (EventKind::Other, format!("cancel qty={qty}"))
    } else if adjustment {
        (EventKind::Other, format!("adjust qty={qty}"))
    } else {
        (EventKind::Purchase, format!("qty={qty}"))
    };
    Ok(Parsed { event: Some(EventRow { ts, user: user.into(), product: code.into(), kind, price_cents: Some(price), session: invoice.into(), raw: Some(raw) }), product, notes })
}

fn parse_date(s: &str) -> Option<i64> {
    let t = s.trim();
    ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%m/%d/%Y %H:%M", "%d/%m/%Y %H:%M"].iter().find_map(|fmt| NaiveDateTime::parse_from_str(t, fmt).ok()).map(|d| d.and_utc().timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row<'a>(inv: &'a str, qty: &'a str, cust: &'a str) -> [&'a str; 8] {
        [inv, "21733", "RED HANGING HEART T-LIGHT HOLDER", qty, "2011-03-10 16:16:00", "2.95", cust, "United Kingdom"]
    }

    #[test]
    fn purchases_cancellations_and_missing_customers() {
        let p = parse(&row("546306", "2", "12621")).unwrap();
        let e = p.event.unwrap();
        assert_eq!((e.kind, e.price_cents, e.raw.as_deref()), (EventKind::Purchase, Some(295), Some("qty=2")));
        let c = parse(&row("C546306", "-2", "12621")).unwrap();
        assert_eq!((c.event.unwrap().kind, c.notes), (EventKind::Other, vec![NOTE_CANCEL]));
        let na = parse(&row("546306", "2", "NA")).unwrap();
        assert!(na.event.is_none() && na.product.is_some());
        assert_eq!(na.notes, vec![NOTE_NO_CUSTOMER]);
        let both = parse(&row("C546306", "-2", "NA")).unwrap();
        assert_eq!(both.notes, vec![NOTE_CANCEL, NOTE_NO_CUSTOMER], "a cancellation without customer counts as both");
    }

    #[test]
    fn bad_values_name_their_column() {
        assert_eq!(parse(&row("1", "two", "1")).unwrap_err().column, "Quantity");
        let mut r = row("1", "2", "1");
        r[4] = "tomorrow";
        assert_eq!(parse(&r).unwrap_err().column, "InvoiceDate");
        r[4] = "12/1/2010 8:26";
        assert!(parse(&r).is_ok());
        r[5] = "-11062.06";
        assert_eq!(parse(&r).unwrap_err().column, "UnitPrice");
    }
}
