//! The embedded demo store: a seeded generator of a realistic small shop.
//!
//! 10 categories × 32 products with bilingual names, brands and prices, and ~2,000 users drawn
//! from six personas whose behaviour (category taste, price level, funnel depth, activity) differs
//! enough that segmentation has real structure to find. Same seed → byte-identical project.

use rand::distributions::{Distribution, WeightedIndex};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::Serialize;
use thiserror::Error;

use crate::error::{keyed, ErrorCode, HasCode, Keyed};
use crate::ingest::writer::{EventKind, EventWriter, NewEvent, NewProduct};
use crate::progress::{Flow, Progress, ProgressFn};
use crate::store::{now_text, Project};

/// Errors while generating the demo.
#[derive(Debug, Error)]
pub enum DemoError {
    #[error("demo generation cancelled; nothing was changed")]
    Cancelled,
    #[error("cannot store demo data: {0}")]
    Store(#[from] rusqlite::Error),
}

impl HasCode for DemoError {
    fn code(&self) -> ErrorCode {
        match self {
            DemoError::Cancelled => ErrorCode::Cancelled,
            DemoError::Store(e) => crate::error::sqlite_code(e),
        }
    }

    fn keyed(&self) -> Option<Keyed> {
        match self {
            DemoError::Cancelled => Some(keyed!("err.demo.cancelled")),
            DemoError::Store(_) => None,
        }
    }
}

/// The message keys [`DemoError`] uses (see [`crate::messages`]).
pub const ERROR_KEYS: &[&str] = &["err.demo.cancelled"];

/// What the generator wrote.
#[derive(Debug, Clone, Serialize)]
pub struct DemoReport {
    pub products: usize,
    pub users: usize,
    pub events: usize,
}

/// The demo's default seed.
pub const DEFAULT_SEED: u64 = 20261128;

struct Cat {
    key: &'static str,
    /// (en noun, zh noun, base price in yuan)
    nouns: &'static [(&'static str, &'static str, f64)],
    brands: &'static [(&'static str, &'static str)],
}

const SERIES: &[(&str, &str, f64)] = &[("Lite", "轻享版", 0.7), ("Classic", "经典款", 1.0), ("Pro", "专业版", 1.5), ("Max", "旗舰版", 2.2)];

const CATS: &[Cat] = &[
    Cat {
        key: "electronics",
        nouns: &[("wireless earbuds", "无线耳机", 299.0), ("smartphone", "智能手机", 2499.0), ("smartwatch", "智能手表", 999.0), ("bluetooth speaker", "蓝牙音箱", 399.0)],
        brands: &[("Voltix", "沃提克"), ("Lumina", "流明"), ("Orbit", "轨迹")],
    },
    Cat {
        key: "computers",
        nouns: &[("laptop", "笔记本电脑", 4999.0), ("mechanical keyboard", "机械键盘", 399.0), ("4K monitor", "4K显示器", 1999.0), ("wireless mouse", "无线鼠标", 149.0)],
        brands: &[("Nordhaus", "诺德"), ("Keystone", "键石"), ("Pixelon", "像素龙")],
    },
    Cat {
        key: "appliances",
        nouns: &[("air fryer", "空气炸锅", 459.0), ("robot vacuum", "扫地机器人", 1899.0), ("coffee machine", "咖啡机", 1299.0), ("air purifier", "空气净化器", 999.0)],
        brands: &[("Homely", "好家"), ("Brio", "布里奥"), ("Kelvin", "开尔文")],
    },
    Cat {
        key: "apparel",
        nouns: &[("down jacket", "羽绒服", 699.0), ("running shoes", "跑鞋", 499.0), ("linen shirt", "亚麻衬衫", 259.0), ("denim jeans", "牛仔裤", 299.0)],
        brands: &[("Maple & Co", "枫叶"), ("Urbanite", "都市人"), ("Silken", "丝语")],
    },
    Cat {
        key: "beauty",
        nouns: &[("serum", "精华液", 399.0), ("sunscreen", "防晒霜", 129.0), ("lipstick", "口红", 229.0), ("face cream", "面霜", 329.0)],
        brands: &[("Petal", "花瓣"), ("Aurora", "极光"), ("Mistral", "米斯特")],
    },
    Cat {
        key: "kids",
        nouns: &[("stroller", "婴儿推车", 1299.0), ("building blocks", "积木", 199.0), ("baby formula", "婴儿奶粉", 268.0), ("kids raincoat", "儿童雨衣", 89.0)],
        brands: &[("Sprout", "萌芽"), ("Tumble", "翻滚熊"), ("Bebe", "贝贝")],
    },
    Cat {
        key: "sport",
        nouns: &[("yoga mat", "瑜伽垫", 129.0), ("road bike", "公路自行车", 3299.0), ("dumbbell set", "哑铃套装", 399.0), ("camping tent", "露营帐篷", 699.0)],
        brands: &[("Peakline", "峰线"), ("Stride", "迈步"), ("Tidal", "潮汐")],
    },
    Cat {
        key: "furniture",
        nouns: &[("sofa", "沙发", 3999.0), ("desk lamp", "台灯", 199.0), ("bookshelf", "书架", 599.0), ("memory foam pillow", "记忆棉枕", 159.0)],
        brands: &[("Oakden", "橡木屋"), ("Nest", "巢"), ("Linea", "线条")],
    },
    Cat {
        key: "food",
        nouns: &[("coffee beans", "咖啡豆", 89.0), ("mixed nuts", "每日坚果", 69.0), ("green tea", "绿茶", 129.0), ("olive oil", "橄榄油", 99.0)],
        brands: &[("Harvest", "丰收"), ("Leafy", "叶子"), ("Sunny Farm", "阳光农场")],
    },
    Cat {
        key: "accessories",
        nouns: &[("leather wallet", "真皮钱包", 299.0), ("sunglasses", "太阳镜", 399.0), ("backpack", "双肩包", 349.0), ("silk scarf", "真丝围巾", 259.0)],
        brands: &[("Atelier", "工坊"), ("Vista", "远景"), ("Roam", "漫游")],
    },
];

/// A behaviour archetype: category taste, preferred price level, funnel depth, activity.
struct Persona {
    weight: f64,
    taste: [f64; 10],
    /// Multiplier on the category's typical price this persona gravitates to.
    price_level: f64,
    cart_rate: f64,
    buy_rate: f64,
    sessions: f64,
}

const PERSONAS: &[Persona] = &[
    // tech enthusiasts: electronics + computers, premium
    Persona { weight: 0.2, taste: [0.45, 0.35, 0.03, 0.02, 0.01, 0.01, 0.03, 0.02, 0.02, 0.06], price_level: 1.8, cart_rate: 0.10, buy_rate: 0.35, sessions: 6.0 },
    // young parents: kids + food + home
    Persona { weight: 0.18, taste: [0.03, 0.02, 0.12, 0.04, 0.04, 0.5, 0.02, 0.1, 0.12, 0.01], price_level: 1.0, cart_rate: 0.16, buy_rate: 0.5, sessions: 5.0 },
    // fashion & beauty lovers
    Persona { weight: 0.2, taste: [0.02, 0.01, 0.02, 0.42, 0.35, 0.02, 0.03, 0.02, 0.02, 0.09], price_level: 1.3, cart_rate: 0.14, buy_rate: 0.4, sessions: 7.0 },
    // home makers: appliances + furniture
    Persona { weight: 0.14, taste: [0.04, 0.02, 0.38, 0.02, 0.03, 0.04, 0.02, 0.35, 0.09, 0.01], price_level: 1.2, cart_rate: 0.12, buy_rate: 0.45, sessions: 4.0 },
    // sporty: sport + apparel
    Persona { weight: 0.13, taste: [0.05, 0.01, 0.02, 0.2, 0.03, 0.02, 0.55, 0.01, 0.1, 0.01], price_level: 1.1, cart_rate: 0.12, buy_rate: 0.4, sessions: 5.0 },
    // bargain hunters: everything, cheap, many views, few purchases
    Persona { weight: 0.15, taste: [0.1; 10], price_level: 0.55, cart_rate: 0.06, buy_rate: 0.2, sessions: 8.0 },
];

/// Number of demo users.
pub const USERS: usize = 2000;
/// The demo's clock: the last day of generated behaviour (2026-10-31 UTC, 00:00).
const END_TS: i64 = 1_793_404_800;
const DAYS: i64 = 60;

/// Fill `project` with the demo store. Runs in one transaction.
///
/// Errors: cancel (project unchanged) or store failure.
pub fn generate(project: &mut Project, seed: u64, progress: ProgressFn) -> Result<DemoReport, DemoError> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let tx = project.conn_mut().transaction()?;
    tx.execute(
        "INSERT INTO imports(file_name,fingerprint,format,rows_read,rows_imported,rows_duplicate,rows_rejected,imported_at,probe) VALUES ('demo store',?1,'demo',0,0,0,0,?2,'demo')",
        rusqlite::params![format!("demo:{seed}"), now_text()],
    )?;
    let import_id = tx.last_insert_rowid();
    let mut events = 0usize;
    // (id, category index, price in cents)
    let mut products: Vec<(String, usize, i64)> = Vec::new();
    {
        let mut w = EventWriter::new(&tx, import_id)?;
        for (ci, cat) in CATS.iter().enumerate() {
            for (ni, &(noun_en, noun_zh, base)) in cat.nouns.iter().enumerate() {
                for (si, &(ser_en, ser_zh, mult)) in SERIES.iter().enumerate() {
                    for (bi, &(brand_en, brand_zh)) in cat.brands.iter().enumerate().take(2 + (ni + si) % 2) {
                        let id = format!("P{:02}{}{}{}", ci, ni, si, bi);
                        let jitter: f64 = rng.gen_range(0.85..1.2);
                        let cents = ((base * mult * jitter).round() as i64) * 100 - 1;
                        let name_en = format!("{brand_en} {noun_en} {ser_en}");
                        let name_zh = format!("{brand_zh}{noun_zh}{ser_zh}");
                        w.product(&NewProduct { id: &id, name_en: &name_en, name_zh: &name_zh, category: cat.key, brand: brand_en, price_cents: cents, currency: "CNY", image: None })?;
                        products.push((id, ci, cents));
                    }
                }
            }
        }
        let by_cat: Vec<Vec<usize>> = (0..CATS.len()).map(|c| (0..products.len()).filter(|&i| products[i].1 == c).collect()).collect();
        let median: Vec<f64> = by_cat
            .iter()
            .map(|ix| {
                let mut p: Vec<i64> = ix.iter().map(|&i| products[i].2).collect();
                p.sort_unstable();
                p[p.len() / 2] as f64
            })
            .collect();
        let persona_pick = WeightedIndex::new(PERSONAS.iter().map(|p| p.weight)).expect("weights");
        // per persona × category: weights over that category's products by price fit
        let pick: Vec<Vec<WeightedIndex<f64>>> = PERSONAS
            .iter()
            .map(|p| {
                by_cat
                    .iter()
                    .enumerate()
                    .map(|(c, ix)| {
                        let target = (median[c] * p.price_level).ln();
                        WeightedIndex::new(ix.iter().map(|&i| (-((products[i].2 as f64).ln() - target).powi(2) / 0.5).exp() + 1e-3)).expect("weights")
                    })
                    .collect()
            })
            .collect();
        for u in 0..USERS {
            let pi = persona_pick.sample(&mut rng);
            let p = &PERSONAS[pi];
            let taste = WeightedIndex::new(p.taste).expect("taste");
            let user = format!("u{:05}", u + 1);
            let sessions = 1 + (rng.gen::<f64>() * p.sessions * 2.0) as usize;
            for s in 0..sessions {
                let session = format!("{user}-s{s}");
                let mut ts = END_TS - rng.gen_range(0..DAYS * 86_400);
                let views = rng.gen_range(3..14);
                for _ in 0..views {
                    let c = if rng.gen::<f64>() < 0.1 { rng.gen_range(0..CATS.len()) } else { taste.sample(&mut rng) };
                    let prod = &products[by_cat[c][pick[pi][c].sample(&mut rng)]];
                    ts += rng.gen_range(5..240);
                    let mut emit = |kind, ts: i64| -> Result<(), DemoError> {
                        if w.event(&NewEvent { ts, user_id: &user, product_id: &prod.0, kind, price_cents: Some(prod.2), session: &session, raw: None })? {
                            events += 1;
                        }
                        Ok(())
                    };
                    emit(EventKind::View, ts)?;
                    if rng.gen::<f64>() < 0.04 {
                        emit(EventKind::Fav, ts + 3)?;
                    }
                    if rng.gen::<f64>() < p.cart_rate {
                        emit(EventKind::Cart, ts + 20)?;
                        if rng.gen::<f64>() < p.buy_rate {
                            emit(EventKind::Purchase, ts + 300)?;
                        }
                    }
                }
            }
            if u % 100 == 0 && progress(&Progress::new("generate", u as u64, USERS as u64, format!("{events} events"))) == Flow::Cancel {
                return Err(DemoError::Cancelled);
            }
        }
    }
    tx.execute("UPDATE imports SET rows_read=?1, rows_imported=?1 WHERE id=?2", rusqlite::params![events as i64, import_id])?;
    tx.commit()?;
    progress(&Progress::new("generate", USERS as u64, USERS as u64, format!("{events} events")));
    Ok(DemoReport { products: products.len(), users: USERS, events })
}

/// True when the project has no data yet (a new file).
pub fn is_empty(project: &Project) -> Result<bool, rusqlite::Error> {
    let n: i64 = project.conn().query_row("SELECT count(*) FROM imports", [], |r| r.get(0))?;
    Ok(n == 0)
}

/// The catalog index (0..10) of a demo category key, for palette and art choices.
pub fn category_index(key: &str) -> Option<usize> {
    CATS.iter().position(|c| c.key == key)
}

/// Every demo product noun in English ("denim jeans", "smartwatch", …): what the drawn
/// product pictures must cover.
pub fn product_nouns() -> impl Iterator<Item = &'static str> {
    CATS.iter().flat_map(|c| c.nouns.iter().map(|n| n.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::ignore;

    #[test]
    fn demo_is_large_enough_and_deterministic() {
        let mut a = Project::open_in_memory().unwrap();
        let ra = generate(&mut a, 7, &mut ignore).unwrap();
        assert!(ra.products >= 300, "{ra:?}");
        assert!(ra.events >= 50_000, "{ra:?}");
        let cats: i64 = a.conn().query_row("SELECT count(DISTINCT category) FROM products", [], |r| r.get(0)).unwrap();
        assert!(cats >= 8);
        let mut b = Project::open_in_memory().unwrap();
        let rb = generate(&mut b, 7, &mut ignore).unwrap();
        assert_eq!(ra.events, rb.events);
        let sum = |p: &Project| -> i64 { p.conn().query_row("SELECT sum(ts % 1000 + length(product_id)) FROM events", [], |r| r.get(0)).unwrap() };
        assert_eq!(sum(&a), sum(&b));
        let kinds: i64 = a.conn().query_row("SELECT count(DISTINCT kind) FROM events", [], |r| r.get(0)).unwrap();
        assert_eq!(kinds, 4, "view, cart, fav and purchase all occur");
    }

    #[test]
    fn cancel_leaves_project_empty() {
        let mut p = Project::open_in_memory().unwrap();
        let err = generate(&mut p, 1, &mut |_| Flow::Cancel).unwrap_err();
        assert_eq!(err.code(), ErrorCode::Cancelled);
        assert!(is_empty(&p).unwrap());
    }
}
