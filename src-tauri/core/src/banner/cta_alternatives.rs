//! Shorter wordings of the same call to action, for banners too small for the full one: a
//! designer picks "Discover" over "Discove…". Data: each CTA the copy generator writes (both
//! languages) → shorter same-meaning wordings, longest first. A CTA not in the table (a
//! marketer's own) gets a generic shortening ([`alternatives`]).

/// CTA → shorter same-meaning wordings, longest first.
const TABLE: &[(&str, &[&str])] = &[
    ("Finish checkout", &["Checkout", "Pay"]),
    ("Complete your order", &["Complete order", "Order now", "Order"]),
    ("Check out now", &["Check out", "Checkout"]),
    ("Grab yours", &["Grab it", "Buy"]),
    ("Shop the collection", &["Shop all", "Shop"]),
    ("Buy now", &["Buy"]),
    ("Shop now", &["Shop"]),
    ("Take a peek", &["Peek in", "Look"]),
    ("Explore the collection", &["Explore all", "Explore"]),
    ("See what's new", &["What's new", "New in"]),
    ("Discover more", &["Discover", "More"]),
    ("Learn more", &["More"]),
    ("Shop the limited offer now", &["Shop the offer", "Shop now", "Shop"]),
    ("去结算", &["结算"]),
    ("完成订单", &["下单"]),
    ("立即结算", &["结算"]),
    ("马上入手", &["入手"]),
    ("即刻选购", &["选购"]),
    ("立即抢购", &["抢购"]),
    ("立即购买", &["购买"]),
    ("去看看", &["看看"]),
    ("探索系列", &["探索"]),
    ("速来看看", &["看看"]),
    ("查看详情", &["详情"]),
    ("立即抢购限量优惠", &["抢购优惠", "立即抢购", "抢购"]),
];

/// Chinese adverbs of urgency a CTA can lose without changing what it asks ("立即购买" → "购买").
const ZH_LEADS: [&str; 7] = ["立即", "马上", "即刻", "速来", "快来", "现在", "去"];

/// Shorter wordings of `cta` with the same meaning, longest first (never `cta` itself, never
/// empty strings). From the table when it lists `cta` (ignoring case and surrounding space);
/// otherwise: a Chinese CTA without its leading adverb (立即, 马上, …), an English one cut to
/// its leading verb ("Explore our range" → "Explore").
pub fn alternatives(cta: &str) -> Vec<String> {
    let key = cta.trim();
    if let Some((_, alts)) = TABLE.iter().find(|(c, _)| c.eq_ignore_ascii_case(key)) {
        return alts.iter().map(|s| s.to_string()).collect();
    }
    let mut out = Vec::new();
    if key.chars().any(|c| crate::text::char_width(c) == 2) {
        if let Some(rest) = ZH_LEADS.iter().find_map(|l| key.strip_prefix(l)).filter(|r| r.chars().count() >= 2) {
            out.push(rest.to_string());
        }
    } else if let Some((verb, _)) = key.split_once(' ') {
        out.push(verb.trim_end_matches([',', ':', ';']).to_string());
    }
    out.retain(|s| !s.is_empty() && s != key);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_alternative_is_shorter_and_known_ctas_have_one() {
        for (cta, alts) in TABLE {
            assert!(!alts.is_empty(), "{cta}");
            let mut prev = crate::text::width(cta);
            for a in *alts {
                let w = crate::text::width(a);
                assert!(w < crate::text::width(cta) && w <= prev && !a.is_empty(), "{cta} → {a}");
                prev = w;
            }
        }
        assert_eq!(alternatives("Discover more"), vec!["Discover", "More"]);
        assert_eq!(alternatives(" complete your order "), vec!["Complete order", "Order now", "Order"]);
    }

    #[test]
    fn unknown_ctas_get_a_generic_shortening() {
        assert_eq!(alternatives("Explore our range"), vec!["Explore"]);
        assert_eq!(alternatives("立即预约试驾"), vec!["预约试驾"]);
        assert!(alternatives("Go").is_empty());
        assert!(alternatives("购买").is_empty());
    }
}
