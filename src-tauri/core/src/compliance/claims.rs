//! The `unsupported-claim` rule: price, novelty, popularity, cart and stock claims, in Chinese
//! and English, blocked unless the [`ClaimContext`] says the campaign or the data backs them.
//! The phrase lists are data; a phrase inside a name of the context (product, brand,
//! advertiser: "New Balance", "新款…" in a catalog title) is never a claim.

use super::{push, starts_with, Field, Finding, Fix};

/// What backs claims in one ad (see [`crate::copy::Evidence::context`]). `Default` backs
/// nothing: every claim is blocked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClaimContext {
    /// The campaign has a promotion that applies to the product now or later.
    pub price: bool,
    /// The product was first seen within the campaign's novelty window.
    pub novelty: bool,
    /// The product has enough recent buyers, counted in the reasons.
    pub popularity: bool,
    /// The audience is defined by having this item in a cart.
    pub cart: bool,
    /// Names whose words are never claims (product name, brand, business name).
    pub names: Vec<String>,
}

/// Kinds of claim, each with what backs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Claim {
    Price,
    Novelty,
    Popularity,
    Cart,
    /// Stock and scarcity: the studio has no stock data, nothing backs it.
    Stock,
}

impl Claim {
    fn backed(self, ctx: &ClaimContext) -> bool {
        match self {
            Claim::Price => ctx.price,
            Claim::Novelty => ctx.novelty,
            Claim::Popularity => ctx.popularity,
            Claim::Cart => ctx.cart,
            Claim::Stock => false,
        }
    }

    fn fix(self) -> &'static str {
        match self {
            Claim::Price => "add a promotion to the campaign (percent or amount, dates, products) or remove the price claim",
            Claim::Novelty => "remove the novelty claim: the data does not show the product as new within the campaign's window",
            Claim::Popularity => "remove the popularity claim: the data shows too few recent buyers to back it",
            Claim::Cart => "remove the cart claim: cart reminders need an audience of users with this item in their cart",
            Claim::Stock => "remove the stock or scarcity claim: the studio has no stock data to back it",
        }
    }
}

/// Claim phrases, lower case. English phrases match at word boundaries; Chinese anywhere.
const PHRASES: &[(Claim, &[&str])] = &[
    (
        Claim::Price,
        &[
            "% off",
            "discount",
            "save",
            "saves",
            "saving",
            "savings",
            "deal",
            "deals",
            "sale",
            "on sale",
            "reduced",
            "price drop",
            "instead of",
            "down from",
            "was ¥",
            "was $",
            "was €",
            "was £",
            "half price",
            "clearance",
            "bargain",
            "coupon",
            "promo",
            "ends sunday",
            "ends soon",
            "offer ends",
            "limited time",
            "折扣",
            "打折",
            "折起",
            "原价",
            "到手价",
            "现价",
            "优惠",
            "立减",
            "特价",
            "直降",
            "促销",
            "降价",
            "满减",
            "秒杀",
            "划算",
            "券后",
            "限时",
            "倒计时",
            "省钱",
            "让利",
        ],
    ),
    (
        Claim::Novelty,
        &[
            "new",
            "brand-new",
            "just in",
            "just landed",
            "fresh drop",
            "introducing",
            "latest",
            "new arrival",
            "new arrivals",
            "new in",
            "this season",
            "新品",
            "上新",
            "新款",
            "新到",
            "首发",
            "上市",
            "新朋友",
            "尝鲜",
            "本季",
        ],
    ),
    (
        Claim::Popularity,
        &[
            "popular",
            "best-selling",
            "best seller",
            "bestseller",
            "best-seller",
            "top-selling",
            "top seller",
            "selling fast",
            "crowd favourite",
            "crowd favorite",
            "fan pick",
            "fan favourite",
            "favourite among",
            "others are buying",
            "others are viewing",
            "often bought",
            "chosen again and again",
            "trending",
            "most loved",
            "in demand",
            "keep coming back",
            "keep choosing",
            "热销",
            "爆款",
            "人气",
            "热门",
            "都在看",
            "很多人在看",
            "口碑",
            "回购",
            "卖得正快",
            "卖爆",
            "抢手",
            "畅销",
            "大家都",
            "常选",
        ],
    ),
    (
        Claim::Cart,
        &[
            "your cart",
            "in your cart",
            "your order",
            "finish checkout",
            "complete your order",
            "check out now",
            "saved for you",
            "your selection is saved",
            "left behind",
            "购物车",
            "结算",
            "完成订单",
            "已为你保留",
            "静候结算",
        ],
    ),
    (Claim::Stock, &["while stocks last", "while supplies last", "going fast", "moves fast", "only a few left", "low stock", "in stock", "库存有限", "手慢无", "先到先得", "现货", "仅剩", "售罄"]),
];

/// Every unbacked claim in `chars` (one field), pushed as `unsupported-claim` findings.
pub(super) fn unsupported(field: Field, chars: &[char], ctx: &ClaimContext, out: &mut Vec<Finding>) {
    let lower: Vec<char> = chars.iter().flat_map(|c| c.to_lowercase()).collect();
    if lower.len() != chars.len() {
        return unsupported_slow(field, chars, ctx, out);
    }
    let exempt = exempt_spans(&lower, &ctx.names);
    let mut i = 0;
    while i < lower.len() {
        match find_at(&lower, i) {
            Some((claim, n)) if !exempt.iter().any(|&(s, e)| i < e && s < i + n) => {
                if !claim.backed(ctx) {
                    push(out, "unsupported-claim", field, chars, i, i + n, Fix::Advise(claim.fix().to_string()));
                }
                i += n;
            }
            _ => {
                i += digit_fold(&lower, i).map_or(1, |n| {
                    if !Claim::Price.backed(ctx) {
                        push(out, "unsupported-claim", field, chars, i, i + n, Fix::Advise(Claim::Price.fix().to_string()));
                    }
                    n
                })
            }
        }
    }
}

/// Texts whose lower-casing changes their length (rare scripts): checked per character.
fn unsupported_slow(field: Field, chars: &[char], ctx: &ClaimContext, out: &mut Vec<Finding>) {
    let lower: Vec<char> = chars.iter().map(|c| c.to_lowercase().next().unwrap_or(*c)).collect();
    let mut sub = Vec::new();
    unsupported(field, &lower, ctx, &mut sub);
    out.extend(sub.into_iter().map(|f| Finding { text: chars[f.start as usize..f.end as usize].iter().collect(), ..f }));
}

/// The longest claim phrase at `i` on word boundaries (English), with its length.
fn find_at(lower: &[char], i: usize) -> Option<(Claim, usize)> {
    let word = |c: &char| c.is_alphanumeric() && c.is_ascii();
    let mut best: Option<(Claim, usize)> = None;
    for &(claim, phrases) in PHRASES {
        for p in phrases.iter() {
            if !starts_with(lower, i, p) {
                continue;
            }
            let n = p.chars().count();
            let latin = p.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
            let bounded = !latin || ((i == 0 || !word(&lower[i - 1])) && !lower.get(i + n).is_some_and(word));
            // "% off" needs the number before it, which is matched from the number.
            if bounded && best.is_none_or(|(_, m)| n > m) {
                best = Some((claim, n));
            }
        }
    }
    best.or_else(|| amount_off(lower, i))
}

/// A number followed by 折 ("85折", "8.5折", "九折"), as a price claim; its length.
fn digit_fold(lower: &[char], i: usize) -> Option<usize> {
    let num = |c: char| c.is_ascii_digit() || c == '.' || "一二三四五六七八九".contains(c);
    if !num(lower[i]) || (i > 0 && num(lower[i - 1])) {
        return None;
    }
    let run = lower[i..].iter().take_while(|&&c| num(c)).count();
    (lower.get(i + run) == Some(&'折') && lower.get(i + run + 1) != Some(&'叠')).then_some(run + 1)
}

/// A money amount or percentage followed by " off" ("¥50 off", "20% off"): its length.
fn amount_off(lower: &[char], i: usize) -> Option<(Claim, usize)> {
    let start = lower[i];
    if !(start.is_ascii_digit() || "¥$€£".contains(start)) || (i > 0 && (lower[i - 1].is_ascii_digit() || "¥$€£".contains(lower[i - 1]))) {
        return None;
    }
    let run = lower[i..].iter().take_while(|c| c.is_ascii_digit() || "¥$€£.,%".contains(**c)).count();
    let rest = &lower[i + run..];
    let off = [' ', 'o', 'f', 'f'];
    (rest.len() >= 4 && rest[..4] == off && !rest.get(4).is_some_and(|c| c.is_ascii_alphanumeric())).then_some((Claim::Price, run + 4))
}

/// Character spans of every occurrence of a name (lower-cased) in `lower`.
fn exempt_spans(lower: &[char], names: &[String]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for name in names {
        let n: String = name.to_lowercase();
        let len = n.chars().count();
        if len == 0 {
            continue;
        }
        for i in 0..lower.len() {
            if starts_with(lower, i, &n) {
                out.push((i, i + len));
            }
        }
    }
    out
}
