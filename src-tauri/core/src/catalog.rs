//! Catalog vocabulary: top-level categories with their English and Chinese display names.
//!
//! Category keys are REES46-style top-level codes (`electronics`, `apparel`, ...). Keys not in the
//! table (other shops' trees) display as themselves in both languages.

/// One top-level category: key, English name, Chinese name.
pub struct Category {
    pub key: &'static str,
    pub en: &'static str,
    pub zh: &'static str,
}

/// Known top-level categories (REES46's tree plus the demo store's).
pub const CATEGORIES: &[Category] = &[
    Category { key: "electronics", en: "electronics", zh: "数码电子" },
    Category { key: "computers", en: "computers", zh: "电脑办公" },
    Category { key: "appliances", en: "home appliances", zh: "家用电器" },
    Category { key: "apparel", en: "fashion", zh: "服饰鞋包" },
    Category { key: "beauty", en: "beauty", zh: "美妆个护" },
    Category { key: "kids", en: "kids & baby", zh: "母婴童装" },
    Category { key: "sport", en: "sports & outdoors", zh: "运动户外" },
    Category { key: "furniture", en: "home & furniture", zh: "家居家具" },
    Category { key: "accessories", en: "accessories", zh: "配饰" },
    Category { key: "food", en: "food & grocery", zh: "食品生鲜" },
    Category { key: "construction", en: "tools & DIY", zh: "五金工具" },
    Category { key: "auto", en: "auto", zh: "汽车用品" },
    Category { key: "medicine", en: "health", zh: "医药保健" },
    Category { key: "country_yard", en: "garden", zh: "庭院园艺" },
    Category { key: "stationery", en: "stationery", zh: "文具" },
    Category { key: "unknown", en: "other", zh: "其他" },
];

/// Display names (en, zh) of a category key.
pub fn names(key: &str) -> (&str, &str) {
    CATEGORIES.iter().find(|c| c.key == key).map(|c| (c.en, c.zh)).unwrap_or((key, key))
}
