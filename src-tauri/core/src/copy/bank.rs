//! The phrase banks, as data: one row per creative angle × language with headlines per tone,
//! plus tone-of-voice frames and calls to action.
//!
//! Templates name their slots in braces (see [`SLOTS`]). Every text here is written to pass the
//! compliance checker on its own: no absolute terms (最/第一/唯一/顶级…, "best ever"), no "!" or
//! "！" outside the one playful opener of the primary text, no capitals for emphasis, no
//! symbols, nothing about the viewer's person. The tests fill every template and check it.

use super::voice::Tone;
use super::Lang;

/// A creative angle: the idea a copy set is built around.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Angle {
    Discount,
    Quality,
    NewArrival,
    WelcomeBack,
    CartReminder,
    Keyword,
    Brand,
    Bundle,
    SocialProof,
    Interest,
}

impl Angle {
    /// Every angle, in declaration order.
    pub const ALL: [Angle; 10] =
        [Angle::Discount, Angle::Quality, Angle::NewArrival, Angle::WelcomeBack, Angle::CartReminder, Angle::Keyword, Angle::Brand, Angle::Bundle, Angle::SocialProof, Angle::Interest];

    /// The stable snake_case id stored in [`super::CopySet::angle`].
    pub fn id(self) -> &'static str {
        match self {
            Angle::Discount => "discount",
            Angle::Quality => "quality",
            Angle::NewArrival => "new_arrival",
            Angle::WelcomeBack => "welcome_back",
            Angle::CartReminder => "cart_reminder",
            Angle::Keyword => "keyword",
            Angle::Brand => "brand",
            Angle::Bundle => "bundle",
            Angle::SocialProof => "social_proof",
            Angle::Interest => "interest",
        }
    }
}

/// Slots a template may use: product name (`name`, shortened first when too long) and its
/// short form (`short`), product `brand`, category (`cat`, `Cat` capitalised), top predicted
/// interest (`interest`, `Interest`), the title's head keyword phrase (`kw`, `Kw`), `price`,
/// and from the campaign's promotion only: the promotion price (`deal`), what it takes off
/// (`off`: "15% off" / "85折") and its last day (`until`); and the advertiser (`biz`). A
/// template whose slot has no value (no promotion, no brand, a placeholder category, a Latin
/// keyword in Chinese copy) is not used.
#[cfg_attr(not(test), allow(dead_code))] // checked against the banks by the tests
pub(super) const SLOTS: [&str; 14] = ["name", "short", "brand", "cat", "Cat", "interest", "Interest", "kw", "Kw", "price", "deal", "off", "until", "biz"];

/// The texts of one angle in one language.
pub(super) struct Row {
    pub angle: Angle,
    pub lang: Lang,
    /// Two headlines per tone, in [`Tone::ALL`] order (≤ 27 width units once filled, ideally).
    pub headlines: [[&'static str; 2]; 4],
    /// A tone-neutral third headline.
    pub extra_headline: &'static str,
    /// Long headlines; the first of each pair names the advertiser (`{biz}`) where natural.
    pub long_headlines: [&'static str; 2],
    pub descriptions: [&'static str; 2],
    pub primaries: [&'static str; 2],
}

/// The tone-of-voice frame: an opener for the primary text and a closer for the description.
pub(super) struct Voice {
    pub tone: Tone,
    pub lang: Lang,
    pub leads: [&'static str; 2],
    pub closes: [&'static str; 2],
}

/// What a call to action asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Intent {
    /// Finish a started order (carters).
    Checkout,
    /// Buy (goal: purchases).
    Direct,
    /// Look around (goal: clicks).
    Soft,
}

/// Calls to action per intent × language, in [`Tone::ALL`] order.
pub(super) const CTAS: [(Intent, Lang, [&str; 4]); 6] = [
    (Intent::Checkout, Lang::En, ["Finish checkout", "Complete your order", "Check out now", "Complete your order"]),
    (Intent::Checkout, Lang::Zh, ["去结算", "完成订单", "立即结算", "去结算"]),
    (Intent::Direct, Lang::En, ["Grab yours", "Shop the collection", "Buy now", "Shop now"]),
    (Intent::Direct, Lang::Zh, ["马上入手", "即刻选购", "立即抢购", "立即购买"]),
    (Intent::Soft, Lang::En, ["Take a peek", "Explore the collection", "See the range", "Discover more"]),
    (Intent::Soft, Lang::Zh, ["去看看", "探索系列", "速来看看", "查看详情"]),
];

/// Tone frames per tone × language. The playful opener holds the set's only "!"; the
/// informative tone has no opener (an opener about the text, "In short:", is filler).
pub(super) const VOICES: [Voice; 8] = [
    Voice { tone: Tone::Playful, lang: Lang::En, leads: ["Good news!", "Psst."], closes: ["Go on, treat yourself.", "Your next favourite is one tap away."] },
    Voice { tone: Tone::Premium, lang: Lang::En, leads: ["Considered, not rushed.", "For those who choose carefully."], closes: ["Made to be kept.", "Quietly refined, built to last."] },
    Voice { tone: Tone::Urgent, lang: Lang::En, leads: ["Don't wait.", "Now's the time."], closes: ["Order today.", "Why wait? Tap to order."] },
    Voice { tone: Tone::Informative, lang: Lang::En, leads: ["", ""], closes: ["Specs on the product page.", "Compare options before you buy."] },
    Voice { tone: Tone::Playful, lang: Lang::Zh, leads: ["好消息！", "悄悄告诉你，"], closes: ["快来挑一件吧。", "心动不如行动。"] },
    Voice { tone: Tone::Premium, lang: Lang::Zh, leads: ["慢慢挑，好好选。", "为讲究的你准备。"], closes: ["值得长久珍藏。", "细节见真章。"] },
    Voice { tone: Tone::Urgent, lang: Lang::Zh, leads: ["抓紧时间：", "别再犹豫："], closes: ["今天就下单吧。", "喜欢就别等，现在下单。"] },
    Voice { tone: Tone::Informative, lang: Lang::Zh, leads: ["", ""], closes: ["详细参数请见商品页。", "下单前可先对比规格。"] },
];

use Angle as A;
use Lang::{En, Zh};

/// Every angle × language. Headline pairs: playful, premium, urgent, informative.
pub(super) const ROWS: [Row; 20] = [
    Row {
        angle: A::Discount,
        lang: En,
        headlines: [["{off} {short}", "Treat time: {off}"], ["{short}, now {deal}", "{off} until {until}"], ["{short}: {off} now", "{off}, ends {until}"], ["{short}: {off}", "{short} for {deal}"]],
        extra_headline: "Now {deal}: {short}",
        long_headlines: ["{name}: {off} at {biz} until {until}", "{name} for {deal} instead of {price} until {until}"],
        descriptions: ["{off} {name}: {deal} instead of {price}, until {until}.", "Until {until}: {name} for {deal}, regular price {price}."],
        primaries: ["At {biz} until {until}: {name} for {deal} instead of {price}.", "{off} {name} at {biz}, now {deal} until {until}."],
    },
    Row {
        angle: A::Discount,
        lang: Zh,
        headlines: [["{short}限时{off}", "{short}，{off}啦"], ["{short}，礼遇{off}", "{short}现价{deal}"], ["{off}，{until}截止", "{short}{off}，{until}止"], ["{short}{off}", "{short}到手价{deal}"]],
        extra_headline: "{until}前享{off}",
        long_headlines: ["{biz}：{name}{off}，到手价{deal}", "{name}现价{deal}，原价{price}，{until}截止"],
        descriptions: ["{name}{off}，到手价{deal}，原价{price}，{until}截止。", "{until}前，{name}到手价{deal}。"],
        primaries: ["{biz}促销：{name}{off}，到手价{deal}，{until}截止。", "{until}前下单{name}，到手价{deal}，原价{price}。"],
    },
    Row {
        angle: A::Quality,
        lang: En,
        headlines: [
            ["{short}, nicely done", "Nicely made: {short}"],
            ["{Kw}, made to last", "{brand} quality, made to last"],
            ["Quality {kw}, today", "{short}: quality first"],
            ["Built to last: {short}", "Well made: {short}"],
        ],
        extra_headline: "{short}, built with care",
        long_headlines: ["{name} from {biz}: made to last", "Quality {cat} from {brand}, made to be kept"],
        descriptions: ["Considered design and materials from {brand}. {Cat} made to last.", "{name}: careful materials, honest build, {price}."],
        primaries: ["{name}: built with care from considered materials, at {biz}.", "Quality {cat} from {brand}: {name}, {price}."],
    },
    Row {
        angle: A::Quality,
        lang: Zh,
        headlines: [
            ["{short}，好用又耐看", "认真做的{kw}"],
            ["{short}，品质之选", "品质{kw}，{brand}出品"],
            ["品质{kw}，现在入手", "{short}，品质好物"],
            ["{short}，品质看得见", "{brand}{kw}，用料扎实"],
        ],
        extra_headline: "{kw}，品质好物",
        long_headlines: ["{biz}：{name}，品质之选", "{brand}{cat}，用料考究，经久耐用"],
        descriptions: ["{brand}匠心设计，用料考究，值得长久陪伴的{cat}。", "{name}，做工扎实，细节用心，{price}。"],
        primaries: ["{name}，精选用料，认真做工，{biz}有售。", "来自{brand}的品质{cat}：{name}，{price}。"],
    },
    Row {
        angle: A::NewArrival,
        lang: En,
        headlines: [
            ["Fresh drop: {short}", "Say hi to {short}"],
            ["Introducing {short}", "New from {brand}"],
            ["Just landed: {short}", "New {kw}, just in"],
            ["New in: {short}", "New {kw} from {brand}"],
        ],
        extra_headline: "Just in: {short}",
        long_headlines: ["Just in at {biz}: {name}", "New from {brand}: {name}, {price}"],
        descriptions: ["New in {cat}: {name}, {price}.", "New this season from {brand}: {name}, {price}."],
        primaries: ["New at {biz}: {name}, {price}.", "Meet {name}, new from {brand}. See it first."],
    },
    Row {
        angle: A::NewArrival,
        lang: Zh,
        headlines: [["上新啦：{short}", "新朋友{short}来了"], ["{brand}新品：{kw}", "新品{kw}，静候品鉴"], ["新品速递：{short}", "新款{kw}，抢先看"], ["新品上架：{short}", "{brand}{kw}新品上市"]],
        extra_headline: "{kw}新品来了",
        long_headlines: ["{biz}新品上架：{name}", "{brand}新品：{name}，{price}"],
        descriptions: ["新品上架：{name}，{cat}新选择，{price}。", "{brand}本季新品{name}，到手{price}。"],
        primaries: ["{biz}上新：{name}，{cat}新选择，{price}。", "认识一下{brand}新品{name}，抢先看看。"],
    },
    Row {
        angle: A::WelcomeBack,
        lang: En,
        headlines: [
            ["Hey, welcome back", "Missed you. Take a look"],
            ["Welcome back to {brand}", "Good to see you again"],
            ["Back again? Don't miss out", "Welcome back, it's all here"],
            ["Welcome back: {short}", "Welcome back to {cat}"],
        ],
        extra_headline: "Glad you're back",
        long_headlines: ["Welcome back to {biz}: take another look at {name}", "Welcome back: {cat} from {brand}"],
        descriptions: ["Take another look at {name}, {price}.", "Catch up on {cat} from {brand} since your last visit."],
        primaries: ["Welcome back to {biz}. Pick up where you left off with {name}, {price}.", "It has been a while. Catch up on {cat} from {brand}."],
    },
    Row {
        angle: A::WelcomeBack,
        lang: Zh,
        headlines: [
            ["欢迎回来，想你啦", "好久不见，看看{kw}"],
            ["欢迎回到{brand}", "久违了，{short}"],
            ["欢迎回来，别错过{short}", "回来得正好：{short}"],
            ["欢迎回来：{short}", "欢迎回来，看看{kw}"],
        ],
        extra_headline: "欢迎回来",
        long_headlines: ["欢迎回到{biz}：{name}等你来看", "欢迎回来：再看看{brand}{cat}"],
        descriptions: ["{name}等你来看，{price}。", "欢迎回来，再逛逛{cat}。"],
        primaries: ["欢迎回到{biz}，{name}等你来挑，{price}。", "好久不见，来看看{brand}的{cat}。"],
    },
    Row {
        angle: A::CartReminder,
        lang: En,
        headlines: [
            ["Your cart misses you", "In your cart: {short}"],
            ["Your selection is saved", "Saved for you: {short}"],
            ["Still in your cart: {short}", "Finish your order today"],
            ["Items left in your cart", "Still in your cart"],
        ],
        extra_headline: "Still thinking it over?",
        long_headlines: ["{name}: still in your cart at {biz}", "Complete your order: {name}, {price}"],
        descriptions: ["Still thinking it over? {name}, {price}, is in your cart.", "Your picks are saved. Finish your order of {name} today."],
        primaries: ["Still in your cart at {biz}: {name}. Complete your order in a few taps.", "Your {cat} picks are saved: {name}, {price}. Check out when ready."],
    },
    Row {
        angle: A::CartReminder,
        lang: Zh,
        headlines: [["购物车在想你", "{kw}还在购物车里"], ["心仪之选，已为你保留", "{short}，静候结算"], ["购物车好物别错过", "{kw}还没结算，快下单"], ["购物车里还有{kw}", "完成你的{kw}订单"]],
        extra_headline: "还在犹豫吗？",
        long_headlines: ["{name}还在你的购物车里", "完成订单：{name}，{price}"],
        descriptions: ["购物车里的{name}还在等你，{price}，随时可结算。", "心仪好物已为你保留：{name}，现在下单吧。"],
        primaries: ["{name}还在你的{biz}购物车里，几步即可完成订单。", "你挑好的{cat}还在：{name}，{price}，准备好就结算吧。"],
    },
    Row {
        angle: A::Keyword,
        lang: En,
        headlines: [["{Kw}? This one", "All about {short}"], ["{Kw}, considered", "{Kw}, done properly"], ["{Kw}: ready when you are", "{Kw}, sorted today"], ["{Kw}: {short}", "{Kw} at {biz}"]],
        extra_headline: "{Kw}, sorted",
        long_headlines: ["{Kw} from {brand}: {name}, {price}", "{Kw} at {biz}: {name}"],
        descriptions: ["{Kw}: {name} at {biz}, {price}.", "{name}, {price}: {kw} from {brand}."],
        primaries: ["Compare {kw} at {biz}: {name}, {price}.", "{name} from {brand}: {kw}, {price}."],
    },
    Row {
        angle: A::Keyword,
        lang: Zh,
        headlines: [["想要{kw}？看这里", "{kw}控看过来"], ["{kw}，讲究之选", "懂{kw}的人会选它"], ["{kw}，今天就选", "要{kw}？现在就下单"], ["在找{kw}？", "{kw}怎么选？看这款"]],
        extra_headline: "{kw}好物推荐",
        long_headlines: ["{kw}之选：{name}", "{biz}精选{kw}：{name}"],
        descriptions: ["{kw}之选：{name}，{price}。", "想找{kw}？来看看{name}，{price}。"],
        primaries: ["想找{kw}？不妨看看{name}，{price}。", "{biz}的{kw}好物：{name}，{price}。"],
    },
    Row {
        angle: A::Brand,
        lang: En,
        headlines: [
            ["Hello from {brand}", "{brand}, your way"],
            ["{brand}, crafted with care", "The {brand} collection"],
            ["{brand} picks for today", "{brand}, ready when you are"],
            ["Shop {brand} {kw}", "The {brand} {kw} range"],
        ],
        extra_headline: "Discover {brand}",
        long_headlines: ["{brand} at {biz}: {name}", "Discover {brand}: {name}, {price}"],
        descriptions: ["{brand} {cat}, designed with care. {name} for {price}.", "From {brand}: {name}, {price}."],
        primaries: ["Discover {brand} at {biz}: {name}, {price}.", "{brand} makes {cat} with care. Meet {name}."],
    },
    Row {
        angle: A::Brand,
        lang: Zh,
        headlines: [["{brand}来打招呼啦", "{brand}粉看过来"], ["{brand}，匠心之作", "{brand}臻选{kw}"], ["{brand}好物，速来看", "{brand}精选{kw}"], ["{brand}{kw}专区", "了解{brand}{kw}"]],
        extra_headline: "探索{brand}",
        long_headlines: ["{biz}：{brand}{cat}专区", "探索{brand}：{name}，{price}"],
        descriptions: ["{brand}出品，用心做{cat}。{name}，{price}。", "来自{brand}的{name}，{cat}里的好选择。"],
        primaries: ["在{biz}探索{brand}：{name}，{price}。", "{brand}用心做{cat}，来认识{name}。"],
    },
    Row {
        angle: A::Bundle,
        lang: En,
        headlines: [
            ["Better together: {short}", "Pair up your {kw}"],
            ["Complete the {brand} set", "{Kw}, and the rest"],
            ["Bundle up today", "Add-ons for your {kw}"],
            ["Build your {kw} kit", "{Kw} plus the extras"],
        ],
        extra_headline: "Round out your {kw}",
        long_headlines: ["Build your {cat} set around {name}", "{name} with more {cat} at {biz}"],
        descriptions: ["Pair {name} with more {cat} favourites and complete your setup.", "Build your {cat} kit around {name}, {price}."],
        primaries: ["Start with {name} and add the {cat} extras you need, all at {biz}.", "Pair {name} with more from {brand} and complete the set."],
    },
    Row {
        angle: A::Bundle,
        lang: Zh,
        headlines: [["{kw}搭配更好玩", "凑一套，更尽兴"], ["{brand}成套之选", "{kw}与配件，一次配齐"], ["配齐{kw}，趁现在", "搭配购，别错过"], ["{kw}搭配指南", "{cat}一次配齐"]],
        extra_headline: "{kw}配件一站配齐",
        long_headlines: ["{biz}：{name}与更多{cat}好物", "以{name}为起点，配齐{cat}"],
        descriptions: ["{name}搭配更多{cat}好物，一次配齐。", "以{name}为起点，配齐你的{cat}装备，{price}。"],
        primaries: ["从{name}开始，在{biz}配齐你需要的{cat}好物。", "{name}和{brand}的其他好物很搭，凑成一套吧。"],
    },
    Row {
        angle: A::SocialProof,
        lang: En,
        headlines: [
            ["Crowd favourite: {short}", "Fan pick: {short}"],
            ["{brand}, a firm favourite", "Chosen again and again"],
            ["{Kw}, selling fast", "Popular now: {short}"],
            ["Popular {kw} from {brand}", "Often bought: {short}"],
        ],
        extra_headline: "A popular pick: {short}",
        long_headlines: ["A popular pick at {biz}: {name}", "A popular {cat} pick: {name}"],
        descriptions: ["A popular {cat} pick: {name}, {price}.", "Fans of {brand} keep coming back to {name}."],
        primaries: ["A popular pick at {biz}: {name}, {price}.", "See why so many choose {brand}: {name}, {price}."],
    },
    Row {
        angle: A::SocialProof,
        lang: Zh,
        headlines: [["人气{kw}来啦", "很多人在看{kw}"], ["{brand}人气之选", "口碑{kw}，值得一试"], ["人气{kw}，卖得正快", "热门好物：{short}"], ["{cat}热门：{kw}", "常被回购的{kw}"]],
        extra_headline: "人气之选：{kw}",
        long_headlines: ["{biz}人气好物：{name}", "{cat}热门好物：{name}"],
        descriptions: ["{cat}热门好物：{name}，{price}。", "喜欢{brand}的人，常常回购{name}。"],
        primaries: ["{name}是{biz}的人气好物，{price}。", "看看大家为什么常选{brand}：{name}，{price}。"],
    },
    Row {
        angle: A::Interest,
        lang: En,
        headlines: [
            ["For {interest} fans", "{Interest}, sorted"],
            ["{Interest}, elevated", "{Interest}, refined"],
            ["{Interest}: on now", "{Interest} picks"],
            ["{Interest} shortlist", "Picked: {interest}"],
        ],
        extra_headline: "{Interest}, this way",
        long_headlines: ["For your next {interest} plan: {name} at {biz}", "Picked for {interest} fans: {name}"],
        descriptions: ["Picked for {interest} fans: {name}, {price}.", "A natural fit for {interest} fans: {name}."],
        primaries: ["At {biz} for {interest} fans: {name}, {price}.", "For {interest} fans: {name} from {brand}, {price}."],
    },
    Row {
        angle: A::Interest,
        lang: Zh,
        headlines: [
            ["喜欢{interest}？看过来", "玩{interest}，带上{kw}"],
            ["为{interest}而选", "{interest}臻选"],
            ["{interest}好物，速看", "{interest}好物别错过"],
            ["{interest}精选：{kw}", "为{interest}挑选"],
        ],
        extra_headline: "{interest}从这里开始",
        long_headlines: ["{biz}为喜欢{interest}的你挑选：{name}", "下一次{interest}，带上{name}"],
        descriptions: ["为喜欢{interest}的你挑选：{name}，{price}。", "{name}，玩{interest}的好搭档。"],
        primaries: ["{biz}的{interest}好物：{name}，{price}。", "{name}，适合喜欢{interest}的你，{price}。"],
    },
];

/// The row of `angle` in `lang`.
pub(super) fn row(angle: Angle, lang: Lang) -> Option<&'static Row> {
    ROWS.iter().find(|r| r.angle == angle && r.lang == lang)
}

/// The tone frame of `tone` in `lang`.
pub(super) fn voice(tone: Tone, lang: Lang) -> Option<&'static Voice> {
    VOICES.iter().find(|v| v.tone == tone && v.lang == lang)
}

/// The call to action for `intent` in `tone` and `lang`.
pub(super) fn cta(intent: Intent, tone: Tone, lang: Lang) -> &'static str {
    CTAS.iter().find(|c| c.0 == intent && c.1 == lang).map_or("", |c| c.2[tone.index()])
}
