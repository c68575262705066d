//! What backs a campaign's claims: its promotion (validated once, with the spec) and, per
//! product, the evidence in the project's data (first-seen date, recent buyers). The copy
//! generator and every compliance check of a variant (review gate, editor) read the same
//! [`Evidence`], so an edited "20% off" without a promotion is blocked like a generated one.

use chrono::{DateTime, NaiveDate};
use rusqlite::{params, OptionalExtension};

use super::CampaignError;
use crate::compliance::ClaimContext;
use crate::copy::{parse_date, Evidence, Novelty, Popularity, ProductInfo, PromoKind, Promotion, PERCENT_RANGE, POPULAR_DAYS, POPULAR_MIN_BUYERS};
use crate::error::{keyed_text, KeyedText};
use crate::store::Project;

/// Widest novelty window a campaign may set, in days.
pub const MAX_NEW_WITHIN_DAYS: u32 = 365;

/// Today's date (UTC): promotions that ended before it back nothing.
pub fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

/// Check a promotion as entered: percent in [`PERCENT_RANGE`], amount above 0 in whole
/// currency units, dates
/// `YYYY-MM-DD` with `starts ≤ ends`, not ended before `today`, product ids without repeats
/// (on a promotion [`normalise_promotion`] trimmed). Whether the products exist and cost more than an amount off is
/// checked against the project by [`check_products`]. Errors: `BadSpec` naming the field.
pub(super) fn check_promotion(p: &Promotion, today: NaiveDate) -> Result<(), CampaignError> {
    let bad = |field: &'static str, reason: KeyedText| CampaignError::BadSpec { field, reason };
    match p.kind {
        PromoKind::Percent(n) if !PERCENT_RANGE.contains(&n) => {
            return Err(bad(
                "promotion.percent",
                keyed_text!("spec.percent_range"; "must be {min}–{max} (percent off); it is {value}", min = PERCENT_RANGE.start(), max = PERCENT_RANGE.end(), value = n),
            ))
        }
        PromoKind::Amount(0) => return Err(bad("promotion.amount", keyed_text!("spec.amount_zero"; "must be above 0"))),
        PromoKind::Amount(a) if a % 100 != 0 => {
            return Err(bad("promotion.amount", keyed_text!("spec.amount_whole"; "must be whole currency units (prices are shown in whole units); it is {cents} cents", cents = a)))
        }
        _ => {}
    }
    let starts = parse_date(&p.starts).ok_or_else(|| bad("promotion.starts", keyed_text!("spec.not_a_date"; "{value:?} is not a date (YYYY-MM-DD)", value = &p.starts)))?;
    let ends = parse_date(&p.ends).ok_or_else(|| bad("promotion.ends", keyed_text!("spec.not_a_date"; "{value:?} is not a date (YYYY-MM-DD)", value = &p.ends)))?;
    if starts > ends {
        return Err(bad("promotion.ends", keyed_text!("spec.ends_before_start"; "{ends} is before the start {starts}", ends = ends, starts = starts)));
    }
    if ends < today {
        return Err(bad(
            "promotion.ends",
            keyed_text!("spec.promotion_ended"; "the promotion ended on {ends} (today is {today}); an ended promotion cannot back price claims", ends = ends, today = today),
        ));
    }
    for (i, id) in p.products.iter().enumerate() {
        if p.products[..i].contains(id) {
            return Err(bad("promotion.products", keyed_text!("spec.listed_twice"; "{value} is listed twice", value = id)));
        }
    }
    Ok(())
}

/// A promotion as [`check_promotion`] reads it: dates trimmed, product ids trimmed and blanks
/// dropped.
pub(super) fn normalise_promotion(p: &mut Promotion) {
    p.starts = p.starts.trim().to_string();
    p.ends = p.ends.trim().to_string();
    p.products = p.products.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
}

/// Every product a promotion names exists, and costs more than an amount off. Errors:
/// `BadSpec` (`promotion.products` / `promotion.amount`), store.
pub(super) fn check_products(project: &Project, p: &Promotion) -> Result<(), CampaignError> {
    let bad = |field: &'static str, reason: KeyedText| CampaignError::BadSpec { field, reason };
    for id in &p.products {
        let row: Option<(i64, String)> = project.conn().query_row("SELECT price_cents, currency FROM products WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
        let (price, currency) = row.ok_or_else(|| bad("promotion.products", keyed_text!("spec.no_product"; "no product {id:?} in the catalog", id = id)))?;
        if let PromoKind::Amount(a) = p.kind {
            if a as i64 >= price {
                let money = |c: i64| crate::copy::money(c, &currency);
                return Err(bad(
                    "promotion.amount",
                    keyed_text!("spec.amount_not_below_price"; "{amount} off is not below the price of {id} ({price})", amount = money(a as i64), id = id, price = money(price)),
                ));
            }
        }
    }
    Ok(())
}

/// The evidence behind claims about `product` in a campaign with `promotion` and novelty
/// window `new_within_days`, for ads made on `on`: the promotion's offer; novelty when the
/// product's first event is within the window before the data's last event *and* the data
/// shows at least one window without it before (a product seen since the data began is not
/// "new", the data may simply start there); popularity when at least
/// [`POPULAR_MIN_BUYERS`] users bought it in the [`POPULAR_DAYS`] to the last event. No
/// audience is defined by a cart, so `cart_audience` is false. Errors: store.
pub fn evidence(project: &Project, promotion: Option<&Promotion>, new_within_days: u32, product: &ProductInfo, on: NaiveDate) -> rusqlite::Result<Evidence> {
    let offer = promotion.and_then(|p| p.offer_for(product, on));
    let span: Option<(i64, i64)> = project.conn().query_row("SELECT min(ts), max(ts) FROM events", [], |r| Ok(r.get::<_, Option<i64>>(0)?.zip(r.get::<_, Option<i64>>(1)?)))?;
    let Some((data_first, last)) = span else { return Ok(Evidence { offer, ..Evidence::default() }) };
    const DAY: i64 = 86_400;
    let (first, buyers): (Option<i64>, i64) = project.conn().query_row(
        "SELECT min(ts), count(DISTINCT CASE WHEN kind = 'purchase' AND ts > ?2 THEN user_id END) FROM events WHERE product_id = ?1",
        params![product.id, last - POPULAR_DAYS as i64 * DAY],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let date = |ts: i64| DateTime::from_timestamp(ts, 0).map_or(NaiveDate::MIN, |d| d.date_naive());
    let window = new_within_days as i64 * DAY;
    let novelty =
        first.filter(|&f| new_within_days > 0 && f >= last - window && f >= data_first + window).map(|f| Novelty { first_seen: date(f), last_event: date(last), window_days: new_within_days });
    let popularity = (buyers >= POPULAR_MIN_BUYERS as i64).then(|| Popularity { buyers: buyers as u32, days: POPULAR_DAYS, to: date(last) });
    Ok(Evidence { offer, novelty, popularity, cart_audience: false })
}

/// The claim context of variant `variant_id` as of `on`: its campaign's promotion and novelty
/// window, the evidence for its product, and its names. Errors: `VariantNotFound`, store.
pub fn context_of_variant(project: &Project, variant_id: i64, on: NaiveDate) -> Result<ClaimContext, CampaignError> {
    let row: Option<(Option<String>, i64, ProductInfo, String)> = project
        .conn()
        .query_row(
            "SELECT c.promotion, c.new_within_days, p.id, p.name_en, p.name_zh, p.brand, p.category, p.price_cents, p.currency, c.business_name
             FROM variants v JOIN campaigns c ON c.id = v.campaign_id JOIN products p ON p.id = v.product_id WHERE v.id = ?1",
            [variant_id],
            |r| {
                let product = ProductInfo { id: r.get(2)?, name_en: r.get(3)?, name_zh: r.get(4)?, brand: r.get(5)?, category: r.get(6)?, price_cents: r.get(7)?, currency: r.get(8)? };
                Ok((r.get(0)?, r.get(1)?, product, r.get(9)?))
            },
        )
        .optional()?;
    let (promo, days, product, biz) = row.ok_or(CampaignError::VariantNotFound(variant_id))?;
    let promo: Option<Promotion> = promo.and_then(|s| serde_json::from_str(&s).ok());
    let ev = evidence(project, promo.as_ref(), days.clamp(0, MAX_NEW_WITHIN_DAYS as i64) as u32, &product, on)?;
    Ok(ev.context(&[&product.name_en, &product.name_zh, &product.brand, &biz]))
}
