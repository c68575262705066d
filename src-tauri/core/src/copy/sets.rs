//! Copy sets v2: per segment × product × language, up to `n` distinct, compliant, length-fitted
//! sets built from several creative angles, each with the reasons it was made.

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::{Deserialize, Serialize};

use super::bank::{self, Angle};
use super::claims::Evidence;
use super::fit::{sanitize, Signature};
use super::plan::{self, Planned};
use super::reason::Reason;
use super::text::{capitalise, fill, hash, money, width};
use super::{keywords, Goal, Lang, ProductInfo, Tone};
use crate::catalog;
use crate::compliance::{self, Field};
use crate::segments::profile::Profile;

/// How many copy sets a campaign asks for per segment and language unless told otherwise.
pub const VARIANTS_DEFAULT: usize = 8;

/// Headline limit of a copy set in width units: fits Google's 30 (CJK counted 2) and Meta's 27.
pub const SET_HEADLINE_MAX: usize = 27;
/// Long headline limit in width units (Google 90).
pub const SET_LONG_HEADLINE_MAX: usize = 90;
/// Description limit in width units (Google 90).
pub const SET_DESCRIPTION_MAX: usize = 90;
/// Primary text limit in width units (Meta 125 characters; width ≥ characters, so it fits).
pub const SET_PRIMARY_TEXT_MAX: usize = 125;

/// Everything the generator looks at for one segment × product × language.
pub struct Brief<'a> {
    /// The segment: price index, recency, cart and purchase rates, top brands.
    pub profile: &'a Profile,
    /// The product the sets promote (name in both languages, brand, category, price).
    pub product: &'a ProductInfo,
    /// The segment's predicted interests (category key, mean probability), likeliest first; may be empty.
    pub interests: &'a [(String, f64)],
    /// Wording: which column of the phrase banks, which opener and closer.
    pub tone: Tone,
    /// Order of the angles and the kind of CTA.
    pub goal: Goal,
    /// Advertiser name (≤ 25 width units, already validated by the caller).
    pub business_name: &'a str,
    /// Language of every text of the sets (reasons are keyed, with English text).
    pub lang: Lang,
    /// Same seed, same brief → same sets.
    pub seed: u64,
    /// How many distinct sets to return (default [`VARIANTS_DEFAULT`] at the call site).
    pub n: usize,
    /// What backs claims for this product in this campaign: the promotion, novelty,
    /// popularity, a cart audience. `Evidence::default()` backs nothing.
    pub evidence: &'a Evidence,
}

/// One generated copy set: every field already fits every placement in `placements::all()`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CopySet {
    /// ≤ 27 width units with CJK counted 2 (fits Google 30 and Meta 27).
    pub headline: String,
    /// ≤ 90 width units.
    pub long_headline: String,
    /// ≤ 90 width units.
    pub description: String,
    /// ≤ 125 width units.
    pub primary_text: String,
    /// Call to action (no length limit on any placement).
    pub cta: String,
    /// The price the banner shows: the promotion price when the set makes a price claim
    /// (computed from the campaign's promotion), else the regular price.
    pub price: String,
    /// The banner's badge: the promotion exactly ("-15%", "-¥50") on a set that makes a price
    /// claim, else empty.
    pub badge: String,
    /// Keywords taken from the product title (jieba TF-IDF for Chinese, stop-word-filtered
    /// words for English), most important first, without the brand; the same for every set of
    /// a brief.
    pub keywords: Vec<String>,
    /// The creative angle, a stable snake_case id: `discount`, `quality`, `new_arrival`,
    /// `welcome_back`, `cart_reminder`, `keyword`, `brand`, `bundle`, `social_proof`, `interest`.
    pub angle: String,
    /// Why it was made, one per decision, naming the data behind it: a message key with its
    /// parameters and the English text.
    pub reasons: Vec<Reason>,
}

/// Keywords taken from a title for the templates.
const KEYWORDS_PER_TITLE: usize = 3;
/// Variants per angle: the tone's two headlines and the row's tone-neutral one.
const VARIANTS_PER_ANGLE: usize = 3;

/// Generate up to `brief.n` distinct, compliant copy sets, deterministic under `brief.seed`.
///
/// Angles are ranked from the profile (price sensitivity, recency, funnel stage, brands,
/// predicted interests) and the goal; angles of equal rank, and each angle's variants, are
/// shuffled by a Xoshiro256++ seeded from `seed` and the product id. Sets are taken round-robin
/// over the ranked angles (each angle's first variant, then its second, …), so the leading
/// angle comes first. A set is dropped when it is a [`near_duplicate`](super::near_duplicate) of one already taken
/// or when the compliance checker finds an error in it. Fewer than `n` sets come back when
/// the angles that apply run out of distinct variants (at most 3 per angle).
pub fn generate_sets(brief: &Brief) -> Vec<CopySet> {
    if brief.n == 0 {
        return Vec::new();
    }
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(brief.seed ^ hash(&brief.product.id));
    let ctx = Ctx::new(brief);
    let plan = plan::plan(brief, &ctx.keywords, &mut rng);
    let claims = brief.evidence.context(&ctx.names());
    let orders: Vec<[usize; VARIANTS_PER_ANGLE]> = plan
        .iter()
        .map(|_| {
            let mut o = [0, 1, 2];
            o.shuffle(&mut rng);
            o
        })
        .collect();
    let mut out: Vec<CopySet> = Vec::new();
    let mut taken: Vec<Signature> = Vec::new();
    for round in 0..VARIANTS_PER_ANGLE {
        for (planned, order) in plan.iter().zip(&orders) {
            let Some(set) = build(brief, &ctx, planned, order[round]) else { continue };
            let fields = [
                (Field::Headline, set.headline.as_str()),
                (Field::LongHeadline, &set.long_headline),
                (Field::Description, &set.description),
                (Field::PrimaryText, &set.primary_text),
                (Field::Cta, &set.cta),
            ];
            let sig = Signature::of(&set);
            if taken.iter().any(|t| t.near(&sig)) || compliance::has_errors(&compliance::check_with(&fields, &claims)) {
                continue;
            }
            taken.push(sig);
            out.push(set);
            if out.len() == brief.n {
                return out;
            }
        }
    }
    out
}

/// What every set of one brief shares: the cleaned slot values and keywords. A slot with an
/// empty value is unavailable: a template using it is not used.
struct Ctx {
    keywords: Vec<String>,
    slots: Vec<(&'static str, String)>,
    /// Lines about inputs that had to be adjusted for the ad rules.
    notes: Vec<Reason>,
    /// The banner's price and badge for a set that makes the price claim.
    offer_price: String,
    offer_badge: String,
    /// The regular price, as shown.
    price: String,
    /// The names as written in the catalog (never read as claims).
    raw_names: Vec<String>,
}

impl Ctx {
    fn new(b: &Brief) -> Ctx {
        let p = b.product;
        let zh = b.lang == Lang::Zh;
        let mut notes = Vec::new();
        let mut clean = |what: &str, s: &str| {
            let c = sanitize(s);
            if c != s.trim() {
                notes.push(Reason::new("reason.adjusted", [("field", what.to_string()), ("from", s.to_string()), ("to", c.clone())]));
            }
            c
        };
        let raw_name = match b.lang {
            Lang::En => &p.name_en,
            Lang::Zh => &p.name_zh,
        };
        let name = clean("product_name", raw_name);
        let brand = clean("brand", &p.brand);
        let biz = if b.business_name.trim().is_empty() { brand.clone() } else { clean("business_name", b.business_name) };
        let keywords = title_keywords(&name, &brand, b.lang);
        // A placeholder category ("unknown" → other/其他) is an internal label, never copy.
        let pick = |key: &str| match catalog::names(key) {
            _ if key.is_empty() || key == "unknown" => String::new(),
            (en, _) if !zh => en.to_string(),
            (_, zh) => zh.to_string(),
        };
        let cat = pick(&p.category);
        let interest = b.interests.first().map_or(cat.clone(), |(k, _)| pick(k));
        // The head keyword: English the title's head noun phrase ("air fryer", not "fryer");
        // Chinese a jieba keyword in Han script (a Latin word is not a Chinese keyword).
        let kw = match b.lang {
            Lang::En => super::keywords::head_phrase(&name, &brand),
            Lang::Zh => keywords.iter().find(|k| k.chars().any(is_han) && k.chars().all(|c| is_han(c) || c.is_ascii_digit())).cloned().unwrap_or_default(),
        };
        let short = short_name(&name, &brand, &keywords, b.lang);
        let price = money(p.price_cents, &p.currency);
        let offer = b.evidence.offer.as_ref();
        let (deal, off, until) = offer.map_or_else(Default::default, |o| (money(o.now_cents, &o.currency), o.off(zh), o.until(zh)));
        let raw_names = [p.name_en.as_str(), &p.name_zh, &p.brand, b.business_name, &name, &brand, &biz, &short].iter().filter(|s| !s.trim().is_empty()).map(|s| s.to_string()).collect();
        let slots = vec![
            ("name", name),
            ("short", short),
            ("brand", brand),
            ("Cat", capitalise(&cat)),
            ("cat", cat),
            ("Interest", capitalise(&interest)),
            ("interest", interest),
            ("Kw", capitalise(&kw)),
            ("kw", kw),
            ("price", price.clone()),
            ("deal", deal.clone()),
            ("off", off),
            ("until", until),
            ("biz", biz),
        ];
        Ctx { keywords, slots, notes, offer_price: deal, offer_badge: offer.map(|o| o.badge()).unwrap_or_default(), price, raw_names }
    }

    /// Names whose words the claim checker never reads as claims.
    fn names(&self) -> Vec<&str> {
        self.raw_names.iter().map(String::as_str).collect()
    }

    /// Whether every slot in `used` has a value.
    fn available(&self, used: &[&str]) -> bool {
        used.iter().all(|u| self.slots.iter().any(|(k, v)| k == u && !v.trim().is_empty()))
    }
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c)
}

/// Keywords of the product name for the templates: [`keywords`] without the brand (in
/// Chinese names the brand is the leading word of a name of three words or more), at most
/// [`KEYWORDS_PER_TITLE`].
fn title_keywords(name: &str, brand: &str, lang: Lang) -> Vec<String> {
    let lead = match lang {
        Lang::Zh => Some(super::keywords::words_zh(name)).filter(|w| w.len() >= 3).and_then(|w| w.first().map(|s| s.to_string())),
        Lang::En => None,
    };
    keywords(name, lang, KEYWORDS_PER_TITLE + 2).into_iter().filter(|k| !k.eq_ignore_ascii_case(brand) && Some(k) != lead.as_ref()).take(KEYWORDS_PER_TITLE).collect()
}

/// Widest short product name, in width units.
const SHORT_MAX: usize = 14;

/// A short product name for headlines: the name itself when it fits [`SHORT_MAX`]; English
/// otherwise its first word (usually the brand) and its head keyword ("Voltix earbuds");
/// Chinese the longest run of whole jieba words from the start that fits (the product noun
/// comes before edition suffixes there).
fn short_name(name: &str, brand: &str, keywords: &[String], lang: Lang) -> String {
    if width(name) <= SHORT_MAX {
        return name.to_string();
    }
    let fallback = || super::shorten(name, SHORT_MAX);
    match lang {
        Lang::En => {
            let first = name.split_whitespace().next().unwrap_or(brand);
            match keywords.iter().find(|k| !k.eq_ignore_ascii_case(first)) {
                Some(head) if width(first) + 1 + width(head) <= SHORT_MAX => format!("{first} {head}"),
                _ => fallback(),
            }
        }
        Lang::Zh => {
            let mut out = String::new();
            for word in super::keywords::words_zh(name) {
                if width(&out) + width(word) > SHORT_MAX {
                    break;
                }
                out.push_str(word);
            }
            let out = out.trim().to_string();
            if width(&out) < 4 {
                fallback()
            } else {
                out
            }
        }
    }
}

/// Build variant `v` of a planned angle; `None` when the bank has no row for it.
fn build(b: &Brief, ctx: &Ctx, planned: &Planned, v: usize) -> Option<CopySet> {
    let row = bank::row(planned.angle, b.lang)?;
    let voice = bank::voice(b.tone, b.lang)?;
    let sep = if b.lang == Lang::En { " " } else { "" };
    let alt = (v + v / 2) % 2; // the third variant takes the other tone frame
    let slots = ctx.slots.as_slice();
    // The first template of the candidates whose slots all have values that fits whole; only
    // when none does, the first one shortened ("Voltix…, built with care" reads as a cut).
    let first = |candidates: &[&str], max: usize| {
        let filled: Vec<_> = candidates.iter().map(|t| fill(t, slots, max)).filter(|f| ctx.available(&f.used)).collect();
        let whole = filled.iter().position(|f| !f.shortened).unwrap_or(0);
        filled.into_iter().nth(whole)
    };
    let tone_pair = row.headlines[b.tone.index()];
    let heads: Vec<&str> = match tone_pair.get(v) {
        Some(&h) => vec![h, tone_pair[1 - v], row.extra_headline],
        None => vec![row.extra_headline],
    };
    let pair = |p: [&'static str; 2]| [p[v % 2], p[1 - v % 2]];
    let mut headline = first(&heads, SET_HEADLINE_MAX)?;
    let mut long = first(&pair(row.long_headlines), SET_LONG_HEADLINE_MAX)?;
    let mut body = first(&pair(row.descriptions), SET_DESCRIPTION_MAX)?;
    if b.lang == Lang::En {
        // Sentence case: every field starts with a capital.
        for f in [&mut headline, &mut long, &mut body] {
            f.text = capitalise(&f.text);
        }
    }
    let close = voice.closes[alt];
    let description = if !body.shortened && width(&body.text) + width(sep) + width(close) <= SET_DESCRIPTION_MAX { format!("{}{sep}{close}", body.text) } else { body.text.clone() };
    // The tone's opener leads the primary text unless it would force a cut.
    let lead = voice.leads[alt];
    let room = SET_PRIMARY_TEXT_MAX.saturating_sub(width(lead) + width(sep));
    let primaries = pair(row.primaries);
    let mut primary = first(&primaries, room)?;
    let mut with_lead = !lead.is_empty();
    if primary.shortened {
        if let Some(bare) = first(&primaries, SET_PRIMARY_TEXT_MAX).filter(|f| !f.shortened) {
            primary = bare;
            with_lead = false;
        }
    }
    if b.lang == Lang::En {
        primary.text = capitalise(&primary.text);
    }
    let primary_text = if with_lead { format!("{lead}{sep}{}", primary.text) } else { primary.text.clone() };

    let (cta, cta_reason) = plan::cta(b, planned.angle);
    let price_claim = planned.angle == Angle::Discount && !ctx.offer_badge.is_empty();
    let mut reasons = planned.reasons.clone();
    let parts = [("headline", &headline), ("long_headline", &long), ("description", &body), ("primary_text", &primary)];
    let uses = |slot: &str| parts.iter().any(|(_, f)| f.used.contains(&slot));
    if !ctx.keywords.is_empty() && (uses("kw") || uses("Kw")) && planned.angle != Angle::Keyword {
        let key = if b.lang == Lang::Zh { "reason.keywords.zh" } else { "reason.keywords.en" };
        reasons.push(Reason::new(key, [("keywords", ctx.keywords.join(", "))]));
    }
    reasons.push(Reason::new("reason.tone", [("tone", b.tone.as_str().to_string())]));
    reasons.push(cta_reason);
    let biz_in: Vec<&str> = [("long_headline", &long), ("primary_text", &primary)].iter().filter(|(_, f)| f.used.contains(&"biz")).map(|(n, _)| *n).collect();
    if !biz_in.is_empty() {
        let name = ctx.slots.iter().find(|s| s.0 == "biz").map_or("", |s| s.1.as_str());
        reasons.push(Reason::new("reason.business_name", [("name", name.to_string()), ("fields", biz_in.join(","))]));
    }
    for (what, _) in parts.iter().filter(|(_, f)| f.shortened) {
        reasons.push(Reason::new("reason.shortened", [("field", what.to_string())]));
    }
    reasons.extend(ctx.notes.iter().cloned());
    Some(CopySet {
        headline: headline.text,
        long_headline: long.text,
        description,
        primary_text,
        cta: cta.to_string(),
        price: if price_claim { ctx.offer_price.clone() } else { ctx.price.clone() },
        badge: if price_claim { ctx.offer_badge.clone() } else { String::new() },
        keywords: ctx.keywords.clone(),
        angle: planned.angle.id().to_string(),
        reasons,
    })
}
